"""Weak given-name evidence: a given name mostly, though not nearly always, given to one gender
("Jalen", "Makenzie": marked "m?"/"f?" in world_given_names.txt) breaks the tie of a text that
never says "he" or "she" of the person, and never outweighs what the text does say. Also the
speech nouns of an inverted cue ("“…,” came shouts from the delegates")."""

from __future__ import annotations

from tests.test_quotes_real_news import speaker_of

MEETING = "{a} met {b} at the council on Monday. The two disagreed over the budget.\n\n"


def test_a_weak_given_name_is_weak_evidence_only():
    from tui.core.analysis.given_names import given_name_gender, weak_given_name_gender

    assert given_name_gender("Jalen Keller") is None  # not strong evidence
    assert weak_given_name_gender("Jalen Keller") == "m"
    assert weak_given_name_gender("Makenzie Marsh") == "f"
    assert weak_given_name_gender("Jalen") is None  # a single word may be a surname
    assert weak_given_name_gender("Jane Doe") is None  # a strong name is not weak too


def test_she_goes_to_the_woman_when_the_text_never_says_which_is_which(trained):
    text = MEETING.format(a="Jalen Keller", b="Makenzie Marsh") + "“We cannot afford this,” she said."
    assert speaker_of(trained, text, "We cannot") == "Makenzie Marsh"


def test_he_goes_to_the_man_when_the_text_never_says_which_is_which(trained):
    text = MEETING.format(a="Makenzie Marsh", b="Jalen Keller") + "“We cannot afford this,” he said."
    assert speaker_of(trained, text, "We cannot") == "Jalen Keller"


def test_the_text_outweighs_a_weak_given_name(trained):
    # the title says Jalen Keller is a woman: the weak "m?" of her given name counts for less
    text = (
        "Ms. Jalen Keller met Tom Berg at the council on Monday. The two disagreed over the budget.\n\n"
        "“We cannot afford this,” she said."
    )
    assert speaker_of(trained, text, "We cannot") == "Jalen Keller"


def test_a_his_after_a_party_tag_is_the_tagged_persons(trained):
    # "(R-Ore.)" is no person: the "his" after it still tells that Sen. Keller is a man, which
    # outweighs the weak "f?" of the given name
    text = (
        "On Thursday, Sen. Makenzie Keller (R-Ore.) called out his rival, Gov. Anna Berg, over the budget. "
        "Berg has backed the plan for months.\n\n“We cannot afford this plan,” he said."
    )
    assert speaker_of(trained, text, "We cannot") == "Makenzie Keller"


def test_shouts_from_a_crowd_after_the_quote_are_the_crowds(trained):
    text = (
        "The chairman, Tom Berg, called for a voice vote, and declared the request denied.\n\n"
        "“Call the roll,” came shouts from the delegates, as the hall booed."
    )
    assert speaker_of(trained, text, "Call the roll") == "the delegates"
