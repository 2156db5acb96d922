"""Page furniture between a story's paragraphs: a call to action in brackets and an author's
"Follow … on Twitter" line name nobody a "he" or "she" of the story stands for."""

from __future__ import annotations

from tests.test_quotes_real_news import speaker_of
from tui.core.analysis.page_asides import aside_ranges


def _asides(text: str) -> list[str]:
    return [text[a:b] for a, b in aside_ranges(text)]


def test_calls_to_action_are_page_furniture():
    text = (
        "Story.\n\n(Subscribe to the Daily Ledger podcast with Tom Berg.)\n\n"
        "Follow Jane Roe on Twitter @janeroe.\n\n[Click here to sign up.]\n"
    )
    assert _asides(text) == [
        "(Subscribe to the Daily Ledger podcast with Tom Berg.)",
        "Follow Jane Roe on Twitter @janeroe.",
        "[Click here to sign up.]",
    ]


def test_story_sentences_that_open_alike_are_no_furniture():
    text = "Follow the money, he said.\n\n(Read more about it.) He went on.\n\nFollow Roe on her way home.\n"
    assert _asides(text) == []


def test_a_name_in_a_bracketed_call_to_action_is_nobody_she_stands_for(trained):
    text = (
        "Anna Dahl covered the statehouse for a decade before she ran the newsroom.\n\n"
        "(Subscribe to the Ledger's Off Record podcast with Maria Holm.)\n\n"
        "“I covered lobbying, which was even harder to break into,” she said."
    )
    assert speaker_of(trained, text, "I covered lobbying") == "Anna Dahl"
