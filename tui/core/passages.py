"""Reading units: the passages the reader's cursor steps through, and what an action applies to.

Units are sentences, cut again at quote boundaries so a quote inside a longer sentence is a unit
of its own. Before spaCy has finished, sentences come from a simple rule-based splitter.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from tui.core.text import CLOSING_QUOTE_MARKS, QUOTE_MARKS, trim_span

_SENTENCE_END = re.compile(r"[.!?]+[" + re.escape(CLOSING_QUOTE_MARKS) + r")\]]*\s+|\n+")


@dataclass(frozen=True)
class Passage:
    """A stretch of an article an action applies to: its offsets and kind (sentence, quote or selection)."""

    start: int
    end: int
    kind: str  # "sentence" | "quote" | "selection"
    quote_index: int | None = None


def rule_sentences(text: str) -> list[tuple[int, int]]:
    """A fast, model-free sentence split (paragraph breaks and sentence-final punctuation)."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [s for s in (trim_span(text, a, b) for a, b in spans) if s[1] > s[0]]


def _skip_marks(text: str, pos: int, limit: int, step: int) -> int:
    """Move `pos` past quotation marks and spaces, towards `limit`."""
    if step > 0:
        while pos < limit and (text[pos] in QUOTE_MARKS or text[pos].isspace()):
            pos += 1
    else:
        while pos > limit and (text[pos - 1] in QUOTE_MARKS or text[pos - 1].isspace()):
            pos -= 1
    return pos


def _has_words(text: str, start: int, end: int) -> bool:
    return any(ch.isalnum() for ch in text[start:end])


def reading_units(text: str, sentences: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences cut at quote starts/ends and line breaks; pieces without a letter or digit (a lone quotation
    mark left by a cut) are dropped: the cursor never stops on them."""
    cuts = sorted({q for span in quotes for q in span})
    units: list[tuple[int, int]] = []
    for s_start, s_end in sentences:
        inner = set(cuts[bisect_right(cuts, s_start) : bisect_left(cuts, s_end)])
        newline = text.find("\n", s_start, s_end)
        while newline != -1:  # a unit never spans paragraphs
            inner.add(newline)
            newline = text.find("\n", newline + 1, s_end)
        points = [s_start] + sorted(inner) + [s_end]
        for a, b in zip(points, points[1:]):
            a, b = trim_span(text, a, b)
            if a in inner:  # a cut at a quote leaves its marks on the neighbouring piece
                a = _skip_marks(text, a, b, 1)
            if b in inner:
                b = _skip_marks(text, b, a, -1)
            if b > a and _has_words(text, a, b):
                units.append((a, b))
    return units


def unit_index_at(units: list[tuple[int, int]], offset: int) -> int:
    """Index of the unit containing `offset`, else the nearest one before it."""
    if not units:
        return 0
    starts = [u[0] for u in units]
    return max(0, bisect_right(starts, offset) - 1)


def action_target(unit: tuple[int, int], quotes: list[tuple[int, int]]) -> Passage:
    """The passage an action applies to: the quote the unit lies in, else the unit itself."""
    start, end = unit
    for index, (q_start, q_end) in enumerate(quotes):
        if q_start <= start and end <= q_end + 1:
            return Passage(q_start, q_end, "quote", index)
    return Passage(start, end, "sentence")
