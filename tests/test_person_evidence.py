"""A name the tagger labels wrongly is set right by the words beside it (person_evidence, entities).

The small English pipeline often calls an unfamiliar person's name an organisation or a place. These
tests parse invented sentences with the real pipeline, then give chosen names the wrong labels the
tagger is seen to give, and check what the entity clean-up makes of them. All sentences are invented.
"""

from __future__ import annotations

import pytest

from tui.core.analysis.entities import clean_entities
from tui.core.analysis.pipeline import analyze_text


def cleaned(trained, text: str, labels: dict[str, str]) -> dict[tuple[int, str], tuple[str, str]]:
    """Parse `text`, label every occurrence of each name in `labels` as given (and nothing else),
    run the entity clean-up; {(start, text): (label, canonical)}."""
    nlp, _info = trained
    with nlp.select_pipes(disable=[p for p in nlp.pipe_names if p.startswith("margin")]):
        doc = nlp(text)
    spans = []
    for name, label in labels.items():
        start = text.find(name)
        while start >= 0:
            span = doc.char_span(start, start + len(name), label=label)
            assert span is not None, name
            if not any(s.start < span.end and span.start < s.end for s in spans):
                spans.append(span)
            start = text.find(name, start + 1)
    doc.ents = sorted(spans, key=lambda s: s.start)
    doc = clean_entities(doc)
    return {(e.start_char, e.text): (e.label_, e._.margin_canonical) for e in doc.ents}


def labels_of(result, name):
    return {value for (_, text), value in result.items() if text == name}


@pytest.mark.parametrize(
    "text",
    [
        "The report was written by economist Odile Verhagen. Verhagen said it was late. Verhagen also said more. Verhagen left.",
        "Odile Verhagen, a nurse at the clinic, said it was late. Verhagen said more. Verhagen left. Verhagen came back.",
        "Odile Verhagen, 26, said it was late. Verhagen said more. Verhagen left. Verhagen came back.",
        "Odile Verhagen, who runs the clinic, said it was late. Verhagen said more. Verhagen left. Verhagen came back.",
        "Sen. Odile Verhagen said it was late. Verhagen said more. Verhagen left. Verhagen came back.",
        "The pilot, Odile Verhagen, said it was late. Verhagen said more. Verhagen left. Verhagen came back.",
        "Economist Odile Verhagen, 44, said it was late. Verhagen said more. Verhagen left. Verhagen came back.",
        "Opposition leader Odile Verhagen said it was late. Verhagen said more. Verhagen left. Verhagen came back.",
        "Odile Verhagen, the leader of the movement, said it. Verhagen said more. Verhagen left. Verhagen came back.",
    ],
)
def test_a_role_age_or_description_beside_a_name_makes_it_a_person(trained, text):
    result = cleaned(trained, text, {"Odile Verhagen": "ORG", "Verhagen": "ORG"})
    assert labels_of(result, "Odile Verhagen") == {("PERSON", "Odile Verhagen")}
    # the bare surname follows its full name, however often the tagger said otherwise
    assert labels_of(result, "Verhagen") == {("PERSON", "Odile Verhagen")}


def test_a_surname_shown_to_be_a_person_makes_its_full_name_one(trained):
    text = (
        "For Megdi Ouarzane, Friday is a day of waiting. Her brother was among the patients.\n\n"
        "Ouarzane, 31, says she will then try to move on."
    )
    result = cleaned(trained, text, {"Megdi Ouarzane": "ORG", "Ouarzane": "GPE"})
    assert labels_of(result, "Megdi Ouarzane") == {("PERSON", "Megdi Ouarzane")}
    assert labels_of(result, "Ouarzane") == {("PERSON", "Megdi Ouarzane")}


def test_a_herself_of_its_own_makes_a_name_a_person(trained):
    text = "After the diagnosis, Odile Verhagen found herself without work. Verhagen left. Verhagen came back."
    result = cleaned(trained, text, {"Odile Verhagen": "ORG", "Verhagen": "ORG"})
    assert labels_of(result, "Odile Verhagen") == {("PERSON", "Odile Verhagen")}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("The support of the Wisconsin Republican, who had pledged to stay out, was welcome.", "Republican", "NORP"),
        ("The Chinese have zeroed in on his remarks.", "Chinese", "NORP"),
        ("He moved to a refugee centre, and Clarkston became his home.", "Clarkston", "GPE"),
        ("Acme Corp, a company from Ohio, said it would appeal.", "Acme Corp", "ORG"),
        ("The rival Acme Corp said it would appeal.", "Acme Corp", "ORG"),
        # a he/she in what a body says, or a his/her after it, is someone else
        ("Acme said she had left the company in March.", "Acme", "ORG"),
        ("Kenya said she would be deported on Friday.", "Kenya", "GPE"),
        ("Acme Electronics fired his brother last year.", "Acme Electronics", "ORG"),
        # roles that firms have too, or a role word that is no part of the name
        ("According to pollster Acme Polls, support is rising.", "Acme Polls", "ORG"),
        ("The lawyer Acme hired to fight the case resigned.", "Acme", "ORG"),
        ("The company's adviser, Harbour Sachs, said the offer was fair.", "Harbour Sachs", "ORG"),
        ("Norland, a founding member of the bloc, said it would object.", "Norland", "GPE"),
        ("Toyota, a major player in hybrids, said sales rose.", "Toyota", "ORG"),
        ("Market leader Acme Widgets said sales rose.", "Acme Widgets", "ORG"),
        ("Acme Widgets, the market leader, said sales rose.", "Acme Widgets", "ORG"),
        ("Chelsea, who beat Liverpool last week, travel to Newcastle on Sunday.", "Chelsea", "ORG"),
        ("Jane Doe, ², said the data were clear.", "Jane Doe", "ORG"),  # a superscript: no age
    ],
)
def test_peoples_places_and_companies_stay_what_they_are(trained, text, name, label):
    assert labels_of(cleaned(trained, text, {name: label}), name) == {(label, name)}


def test_a_given_name_alone_stays_a_person_beside_a_schools_name(trained):
    text = 'Jackson Elementary School closed early. "The heating failed," Jackson said. Jackson is nine.'
    result = cleaned(trained, text, {"Jackson Elementary School": "ORG", "Jackson": "PERSON"})
    assert labels_of(result, "Jackson") == {("PERSON", "Jackson")}


def test_a_lone_word_opening_two_companies_names_stands_for_neither(trained):
    text = "Tata Motors and Tata Steel both reported results. Tata said demand was strong."
    result = cleaned(trained, text, {"Tata Motors": "ORG", "Tata Steel": "ORG", "Tata": "ORG"})
    assert labels_of(result, "Tata") == {("ORG", "Tata")}


def test_a_lone_word_opening_a_teams_name_is_the_team_not_a_person(trained):
    text = "The Edmonton Oilers lost again. Edmonton started the scoring, but Edmonton fell apart late."
    result = cleaned(trained, text, {"Edmonton Oilers": "ORG", "Edmonton": "PERSON"})
    assert labels_of(result, "Edmonton") == {("ORG", "Edmonton")}


def test_a_companys_first_word_stands_for_the_company(trained):
    text = "Brightwave Electronics is recalling chargers. Brightwave said in a statement that it was sorry."
    result = cleaned(trained, text, {"Brightwave Electronics": "ORG", "Brightwave": "PERSON"})
    assert labels_of(result, "Brightwave") == {("ORG", "Brightwave Electronics")}


def test_a_person_named_after_a_team_word_with_evidence_stays_a_person(trained):
    text = "The Harbour Oilers lost. Coach Harbour said his players were tired. Harbour left early."
    result = cleaned(trained, text, {"Harbour Oilers": "ORG", "Harbour": "PERSON"})
    assert labels_of(result, "Harbour") == {("PERSON", "Harbour")}


def speaker(trained, text: str, start: str, method: bool = False) -> str | tuple[str, str] | None:
    nlp, info = trained
    found = [q for q in analyze_text(text, nlp, info).quotes if q.text.startswith(start)]
    assert found, start
    who = found[0].speaker
    if who is None:
        return None
    return (who.canonical, who.method) if method else who.canonical


def test_a_given_name_that_is_also_a_verb_opens_the_speakers_name(trained):
    text = "“We need more volunteers,” Will Brandt, the chairman of the county party, said of the campaign."
    # the cue's subject, not a guess of the ranker after the rules took "Will" for a verb
    assert speaker(trained, text, "We need", method=True) == ("Will Brandt", "cue subject")


def test_a_span_of_dates_is_never_the_speaker(trained):
    text = (
        "Retired teacher Anna Pike, who lost 7 kilos “and a dress size” between April and June, "
        "says the classes changed her life."
    )
    assert speaker(trained, text, "and a dress") == "Anna Pike"


def test_a_courts_judge_is_a_person_described_not_the_court(trained):
    text = "A High Court of Westland judge accused the firm of “playing games” with its creditors."
    assert speaker(trained, text, "playing") == "A High Court of Westland judge"


def test_a_full_name_the_tagger_missed_is_added_where_the_words_beside_it_show_a_person(trained):
    text = "Odile Verhagen, 34, could be a bridge to younger voters. She has pushed back against the critics."
    result = cleaned(trained, text, {})  # the tagger found nothing
    assert labels_of(result, "Odile Verhagen") == {("PERSON", "Odile Verhagen")}


@pytest.mark.parametrize(
    "text",
    [
        "Harbour Lights\n\nThe festival opens on Friday with a parade.",  # a heading
        "The Harbour Lights festival, which opens on Friday, is sold out.",  # no person beside it
        "Visitors to Harbour Lights, 2019, were counted at the gate.",  # a year, not an age
    ],
)
def test_a_capitalised_run_without_a_persons_words_is_not_added(trained, text):
    assert labels_of(cleaned(trained, text, {}), "Harbour Lights") == set()


def test_a_given_name_the_tagger_left_out_joins_the_surname_it_relabels(trained):
    text = "Caleb Norberg, 24, recorded his first career goal late in the game."
    result = cleaned(trained, text, {"Norberg": "GPE"})
    assert labels_of(result, "Caleb Norberg") == {("PERSON", "Caleb Norberg")}


def test_a_hyphenated_given_name_is_a_name_too(trained):
    text = "Marie-Claire Okafor, a nurse at the clinic, said the queues had grown."
    result = cleaned(trained, text, {"Marie-Claire Okafor": "ORG"})
    assert labels_of(result, "Marie-Claire Okafor") == {("PERSON", "Marie-Claire Okafor")}
