"""An uncued quote carried by a sentence whose subject names a body, a group or a person
("The commission recognized that … — “…”") is that subject's, not the last speaker's."""

from __future__ import annotations

from tests.test_quotes_real_news import speaker_of

OPENING = (
    "Senator Marta Lindqvist opened the hearing on the ballot dispute on Tuesday. “This question "
    "has dragged on for far too long,” Lindqvist said.\n\n"
)


def test_the_subject_of_the_highest_verb_not_of_the_clause_below(trained):
    text = OPENING + (
        "In rejecting a similar challenge last year, the election commission recognized that a "
        "higher court should settle the matter — “so that every county clerk knows the rule once "
        "and for all.”"
    )
    speaker = speaker_of(trained, text, "so that every")
    assert speaker is not None and speaker.lower().endswith("commission")


def test_a_coordinated_clause_carries_its_own_subject(trained):
    text = OPENING + (
        "Boos rained down when the senator named the governor, and at one point the crowd loudly "
        "reprised the chant “Count every vote! Count every vote!” that filled the hall all week."
    )
    speaker = speaker_of(trained, text, "Count every vote")
    assert speaker is not None and speaker.lower() == "the crowd"


def test_a_relative_clause_stands_for_the_person_it_describes(trained):
    text = OPENING + (
        "Lindqvist won over Tomas Berglund, who spent the week lobbying for “a count that leaves no "
        "ballot behind and no clerk in doubt.”"
    )
    assert speaker_of(trained, text, "a count that") == "Tomas Berglund"


def test_a_passive_subject_says_nothing(trained):
    text = OPENING + (
        "The governor had planned a speech on the budget, but by Sunday afternoon the speech had "
        "been reframed to “address the ballot dispute and nothing else.”"
    )
    assert speaker_of(trained, text, "address the ballot") != "the speech"


def test_words_named_as_someones_are_theirs(trained):
    text = OPENING + (
        "The memo appears to contradict 2013 comments from Senator Tomas Berglund that “every ballot "
        "cast abroad must be counted before the result is certified.”\n\n"
        "The ruling echoed an earlier claim by Ines Duarte that “no clerk in the state has ever been "
        "told how to count them.”"
    )
    assert speaker_of(trained, text, "every ballot") == "Tomas Berglund"
    assert speaker_of(trained, text, "no clerk") == "Ines Duarte"
