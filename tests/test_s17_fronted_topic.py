""" "As for Doe, he said …": a sentence that opens on its topic, then a pronoun, is about that
person, whoever spoke last."""

from __future__ import annotations

from tests.test_quotes_real_news import speaker_of


def test_as_for_a_person_then_he_said_is_that_person(trained):
    text = (
        "Three candidates took questions on the delegate count on Thursday night.\n\n"
        "Governor Paul Whitaker warned against a contested convention. “That would be a disaster "
        "for the party,” the governor said.\n\n"
        "As for Martin Osei, he said he is not worried. “I will have the delegates, believe me,” "
        "he said."
    )
    assert speaker_of(trained, text, "I will have") == "Martin Osei"


def test_a_topic_of_the_other_gender_is_not_taken(trained):
    text = (
        "Governor Paul Whitaker spoke first on Thursday night.\n\n"
        "As for Mrs. Amara Osei, he said she would decide soon. “She has time,” he said."
    )
    assert speaker_of(trained, text, "She has time") == "Paul Whitaker"


def test_the_owner_of_a_sentences_subject_is_whom_the_next_pronoun_stands_for(trained):
    text = (
        "Councillor Diana Reyes defended the plan on Monday. “We can build it in two years,” "
        "Reyes told the council.\n\n"
        "Indeed, Mayor Ruth Okonkwo's budget is the real test. She laments a “lost decade” for "
        "the city's parks."
    )
    assert speaker_of(trained, text, "lost decade") == "Ruth Okonkwo"
