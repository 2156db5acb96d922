"""Speaker rules learned from errors on real news (issue 11): the parse's subject when the
parser finds two, names in apposition, reported clauses, ranks, gender from given names, the
person asked, the main clause's subject, wrongly turned marks, evaluative cue verbs.

All example sentences are invented for these tests.
"""

from __future__ import annotations

import pytest

from tui.core.analysis.given_names import given_name_gender
from tui.core.analysis.pipeline import analyze_text
from tui.core.analysis.quote_marks import find_quoted_pieces


def speaker_of(pipeline, text, start=""):
    nlp, info = pipeline
    found = [q for q in analyze_text(text, nlp, info).quotes if q.text.startswith(start)]
    assert found, f"no quote starting {start!r}"
    q = found[0]
    return q.speaker.canonical if q.speaker else None


@pytest.mark.parametrize(
    "text, start, expected",
    [
        # a dateline parsed as a second subject
        (
            "Lisbon (AFP) – Oriana Vale has criticised the new levy, saying that “this tax will hurt every family in the north.”",
            "this tax",
            "Oriana Vale",
        ),
        # the description first, the name in apposition
        (
            "The plant was “never going to close under my watch,” wrote the regional director at the time, Helga Marsh.",
            "never going",
            "Helga Marsh",
        ),
        # the name first, a long description in apposition
        (
            "“We looked at every option for the plant,” Helga Marsh, the chairwoman of the regional works "
            "council, recalled of the meeting.",
            "We looked",
            "Helga Marsh",
        ),
        # a thing in the reported clause does not speak
        (
            "Helga Marsh said in her opening remarks that the plan should reiterate the council’s support "
            "for “our loyal partners,” naming three firms.",
            "our loyal",
            "Helga Marsh",
        ),
    ],
)
def test_speaker_from_the_parse(trained, text, start, expected):
    assert speaker_of(trained, text, start) == expected


def test_a_rank_abbreviation_keeps_the_name_whole(trained):
    text = "“The base will stay open for another ten years,” said Army Capt. Lionel Parkes, a spokesman."
    canonical = speaker_of(trained, text)
    assert canonical is not None and canonical.endswith("Lionel Parkes")


def test_a_given_name_tells_a_pronoun_who_can_be_meant(trained):
    text = (
        "Teresa Holm spoke first at the school board meeting.\n\n"
        "Then Oscar Lind took questions from the parents about the plan.\n\n"
        "“We will build the new school next year, whatever it costs,” she said."
    )
    assert speaker_of(trained, text, "We will build") == "Teresa Holm"


def test_the_person_asked_is_the_one_who_answers(trained):
    text = (
        "Last month the radio host Colin Hart asked Oscar Reyes whether the budget was fair to farmers.\n\n"
        "“It is the fairest budget we have had in ten years,” he said."
    )
    assert speaker_of(trained, text, "It is the fairest") == "Oscar Reyes"


def test_the_main_clause_subject_before_a_relative_clause_speaker(trained):
    text = (
        "Mayor Leon Ortiz refrained from attacking his rivals, particularly Councilman Victor Gomez, who says "
        "the mayor lacks experience.\n\n"
        "He dismissed the criticism, saying that “the people of this town know my record very well.”"
    )
    assert speaker_of(trained, text, "the people") == "Leon Ortiz"


def test_an_evaluative_verb_carries_a_short_partial_quote(trained):
    text = "At the funeral, Mara Voss praised her brother’s “quiet and stubborn courage” in front of the crowd."
    assert speaker_of(trained, text, "quiet and stubborn") == "Mara Voss"


@pytest.mark.parametrize(
    "text, content",
    [
        ("He called the plan “reckless“ in a statement on Monday.", "reckless"),
        ("She called the plan ”a gift to the rich” on Monday.", "a gift to the rich"),
    ],
)
def test_a_wrongly_turned_curly_mark_is_read_by_its_place(text, content):
    assert [text[p.start : p.end] for p in find_quoted_pieces(text)] == [content]


def test_given_name_gender():
    assert given_name_gender("Jane Doe") == "f"
    assert given_name_gender("John Roe") == "m"
    assert given_name_gender("Doe") is None  # a surname alone says nothing
    assert given_name_gender("Kelly Roe") is None  # a name both sexes use


def test_given_names_of_other_countries_tell_a_gender_too():
    assert given_name_gender("Matteo Rossi") == "m"
    assert given_name_gender("Kenza Doe") == "f"
    # words that open a place's or a body's name are no given names, whatever people are named
    assert given_name_gender("Georgia Power") is None
    assert given_name_gender("General Motors") is None


def test_a_man_with_a_name_from_abroad_is_not_a_she(trained):
    text = (
        "Rescue team leader Mrs. Ada Lund said the pair had been found on a ledge. The pilot, Matteo Ricci, "
        "had to hover for ten minutes.\n\n"
        "“It was the hardest winch I have done,” Ricci said.\n\n"
        "“They were cold but in good spirits,” she said."
    )
    assert speaker_of(trained, text, "They were cold") == "Ada Lund"


def test_an_aside_between_the_name_and_its_verb(trained):
    text = (
        "The council has not voted yet. But Sen. Walter P. Crane (D-Ore.), noting the size of the deficit, "
        "said, “Let me tell you, this budget will not pass the way it is written.”"
    )
    assert speaker_of(trained, text, "Let me tell") == "Walter P. Crane"


def test_a_narration_pronoun_keeps_its_person_as_the_topic(trained):
    text = (
        "Naima Orrin, a nurse from the valley, is among those who say they will not vote this year. "
        "The strike was the first time she had taken part in politics, and she doubts Carl Berg can fix "
        "the hospitals.\n\n"
        "Choosing between the two parties is a “false choice for people like us,” she said."
    )
    assert speaker_of(trained, text, "false choice") == "Naima Orrin"


def test_a_reporting_verb_in_a_later_clause_is_not_the_cue(trained):
    text = (
        "Jason Mirren, a teacher from the coast, made up his mind on Friday.\n\n"
        "Mirren says he was “kind of sitting on the fence” until Governor Alma Reyes said she was backing "
        "the mayor."
    )
    assert speaker_of(trained, text, "kind of sitting") == "Jason Mirren"


def test_a_name_right_after_its_description(trained):
    text = "The Israeli newspaper Haaretz reported that the talks had “collapsed without a deal.”"
    assert speaker_of(trained, text, "collapsed") == "Haaretz"


def test_an_anonymous_source_stays_anonymous(trained):
    text = (
        "Senator Ruth Calder met party donors on Friday, according to Tim Ostrow, her campaign manager.\n\n"
        "“The senator will not run again,” the source said."
    )
    assert speaker_of(trained, text, "The senator will") == "the source"


def test_a_question_then_a_speaker_with_a_long_apposition(trained):
    text = (
        "The first volunteer at the door is Ada Brook. “We need more hands,” said Carl Finch, the organizer.\n\n"
        "“I am calling from the school board. How are you today?” Brook, a retired nurse from the plant, "
        "said into the phone."
    )
    assert speaker_of(trained, text, "I am calling") == "Ada Brook"


def test_citing_carries_partial_quotes(trained):
    text = (
        "The union criticised the plan. On Tuesday, Governor Tobias Fenn endorsed it, citing its “long "
        "overdue reforms” and its “firm grasp of the budget.”"
    )
    assert speaker_of(trained, text, "firm grasp") == "Tobias Fenn"


def test_as_someone_put_it(trained):
    text = "“We will wait,” said Carl Finch.\n\nThe vote was close. As the mayor Jane Roe put it, “we won by a whisker.”"
    assert speaker_of(trained, text, "we won") == "Jane Roe"


def test_it_is_the_body_that_spoke_not_a_place_named_in_passing(trained):
    text = (
        "Northgate Power said in a statement that 60,000 customers lost power because of the storm.\n\n"
        "It is very bad for our seniors if they have no backup. Rod Alder, Fernvale mayor\n\n"
        "“Hundreds of downed trees have left some roads impassable in the worst-hit areas” including Fernvale, it said."
    )
    # "including Fernvale" is no subject, and "Fernvale mayor" names the mayor, not Fernvale
    assert speaker_of(trained, text, "Hundreds") == "Northgate Power"


def test_a_players_epithet_is_the_player_not_the_team_that_scored(trained):
    text = (
        "The Harbour Hawks lost 5-3 to the visitors on Saturday, and every defenceman on the roster struggled.\n\n"
        "Caleb Norberg, 21, and Leon Falk also scored for the Hawks, who have lost five games in a row.\n\n"
        "Harbour responded a couple of minutes later when Norberg recorded his first career goal.\n\n"
        "“I will smile about it in a couple of days,” said the rookie defenceman."
    )
    assert speaker_of(trained, text, "I will smile") == "Caleb Norberg"


def test_the_world_given_names_load():
    from tui.core.analysis.given_names import world_given_names

    names = world_given_names()
    assert len(names) > 10_000 and set(names.values()) == {"f", "m"}
    assert "georgia" not in names and "any" not in names  # places and English words are left out
