"""A verbless phrase naming whose words or document the quote is ("From Doe's Facebook post:",
"in Doe's words,") credits its owner."""

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
