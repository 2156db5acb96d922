"""Phrases around a quote: a verbless phrase naming whose words or document the quote is
("From Doe's Facebook post:", "in Doe's words,") credits its owner; a relative clause with its own
subject ("Nothing the governor said") is what is talked about, not who talks."""

from __future__ import annotations

from tests.test_quotes_real_news import speaker_of


def test_from_a_persons_post_names_the_speaker(trained):
    text = (
        "Aides say the former governor plans to back Roe. From Tom Berg's Facebook post: "
        "“For the sake of our party, we must move on.”"
    )
    assert speaker_of(trained, text, "For the sake") == "Tom Berg"


def test_in_an_outlets_words_names_the_outlet(trained):
    text = (
        "The summit was held in the capital because, in Forbes’ words, “they are the most entrepreneurial places on the planet.”"
    )
    assert speaker_of(trained, text, "they are the most") == "Forbes"


def test_a_phrase_that_names_nobody_leaves_the_cue_to_the_other_rules(trained):
    text = "Jane Roe spoke first. From her statement: “We will appeal the ruling in the spring.”"
    assert speaker_of(trained, text, "We will appeal") == "Jane Roe"


def test_what_a_relative_clause_says_is_its_noun_not_the_quote(trained):
    # "Nothing the governor said" is the subject of the quoted words; the senator says them
    text = (
        "Sen. Jane Roe, R-Fla., appearing on television right after the speech, said the governor failed "
        "to address public concerns. Nothing the governor said “will assuage people's fears,” the "
        "Florida senator said."
    )
    assert speaker_of(trained, text, "will assuage") == "Jane Roe"


def test_a_who_said_relative_clause_still_introduces_its_quote(trained):
    text = "Mayor Tom Berg, who said “the budget is a disgrace for the whole city,” left the meeting early."
    assert speaker_of(trained, text, "the budget is a disgrace") == "Tom Berg"
