"""The reader's word wrap: the line-at-a-time path for plain paragraphs gives exactly the lines of
the word-at-a-time wrap, whatever the text and width."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.ui.widgets.line_wrap import wrap_paragraph, wrap_text


def word_by_word(text: str, width: int) -> list[tuple[int, int]]:
    """The wrap every paragraph by the general path (the reference)."""
    width = max(4, width)
    lines: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        if paragraph:
            wrap_paragraph(paragraph, offset, width, lines)
        else:
            lines.append((offset, offset))
        offset += len(paragraph) + 1
    return lines


# Mostly plain words and spaces (the fast path), with now and then what sends a paragraph to the
# general path: tabs, wide characters, control bytes, no-break spaces, and words wider than a line.
PIECES = st.sampled_from(
    ["a", "word", "longerword", "Doe’s", "“quoted”", "—", "é", "Ωμέγα", " ", " ", "  ", "\n", "\n\n"]
    + ["\t", "漢字", "\x01", "\xa0", "x" * 30, "\u200b", "🙂", "\x7f"]
)


@settings(max_examples=600, deadline=None)
@given(pieces=st.lists(PIECES, max_size=80), width=st.integers(min_value=1, max_value=40))
def test_the_fast_wrap_gives_the_lines_of_the_word_by_word_wrap(pieces, width):
    text = "".join(pieces)
    assert wrap_text(text, width) == word_by_word(text, width)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abcdef’é", min_size=1, max_size=12), min_size=1, max_size=60),
    gaps=st.lists(st.integers(min_value=1, max_value=3), min_size=60, max_size=60),
    lead=st.integers(min_value=0, max_value=12),
    width=st.integers(min_value=4, max_value=30),
)
def test_plain_paragraphs_wrap_alike(words, gaps, lead, width):
    text = " " * lead + "".join(w + " " * g for w, g in zip(words, gaps))
    assert wrap_text(text, width) == word_by_word(text, width)


def test_lines_keep_the_spaces_after_their_last_word_and_cut_overlong_words():
    assert wrap_text("aaa bbb ccc", 7) == [(0, 8), (8, 11)]
    assert wrap_text("abcdefghij kl", 4) == [(0, 4), (4, 8), (8, 11), (11, 13)]
    assert wrap_text("one\n\ntwo", 10) == [(0, 3), (4, 4), (5, 8)]
