"""Selections by word: snapping a dragged range to whole words, extending or shrinking by one."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+(?:['’]\w+)*[^\w\s]*")  # a word with the punctuation right after it


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) widened to whole words: a range that cuts a word takes all of it."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def first_word(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first word of start…end (with the punctuation right after it), or None."""
    match = _WORD.search(text, start, end)
    return match.span() if match else None


def extend_by_word(text: str, start: int, end: int, step: int) -> tuple[int, int]:
    """The selection start…end one word longer (`step` > 0: the next word with its punctuation)
    or one word shorter (never less than one word); the start never moves."""
    if step > 0:
        match = _WORD.search(text, end)
        if match:
            end = match.end()
    else:
        words = list(_WORD.finditer(text, start, end))
        if len(words) > 1:
            end = words[-2].end()
    return start, end
