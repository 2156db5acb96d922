"""The reader's search: its term, its matches and which one the cursor is on.

Matches are found with the pattern of `tui.core.library_search.find_hits`, the search the
library's `/` uses, so the reader finds exactly what the library search found
(case-insensitive, the term as typed).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from tui.core.library_search import hit_pattern

Span = tuple[int, int]


def find_all(text: str, term: str) -> list[Span]:
    """Every case-insensitive match of `term` in `text`, as (start, end) offsets (none for "")."""
    if not term:
        return []
    return [match.span() for match in re.finditer(hit_pattern(term), text, re.IGNORECASE)]


@dataclass
class Search:
    """A search or an entity's mentions: the term shown, the matches, the current one (-1 while
    the term is being typed or before the first `n`)."""

    term: str = ""
    matches: list[Span] = field(default_factory=list)
    index: int = -1
    _starts: tuple[list[Span], list[int]] | None = field(default=None, repr=False, compare=False)

    @property
    def starts(self) -> list[int]:
        """Where each match starts (kept while the matches are the same list)."""
        if self._starts is None or self._starts[0] is not self.matches:
            self._starts = (self.matches, [m[0] for m in self.matches])
        return self._starts[1]

    def show(self, matches: list[Span], term: str) -> None:
        """Highlight `matches` (found for `term`), none of them current yet."""
        self.matches = matches
        self.term = term
        self.index = -1

    def clear(self) -> None:
        """No search: nothing highlighted (the term is kept for the next `/`)."""
        self.show([], self.term)

    def first_from(self, offset: int) -> int:
        """The index of the first match at or after `offset`, wrapping to the first match."""
        if not self.matches:
            return -1
        return bisect_left(self.starts, offset) % len(self.matches)

    def before(self, offset: int) -> None:
        """Make the match just before `offset` current, so that `step(1)` goes to the first
        match at or after it."""
        self.index = bisect_left(self.starts, offset) - 1

    def at(self, offset: int) -> None:
        """Make the match containing or last before `offset` current (a library search hit)."""
        if not self.matches:
            self.index = -1
            return
        self.index = max(0, bisect_right(self.starts, offset) - 1)

    def step(self, step: int) -> tuple[Span, bool] | None:
        """Move to the next (`step` > 0) or previous match: (its span, whether it wrapped at an
        end, as vim says "search hit BOTTOM"); None without matches."""
        if not self.matches:
            return None
        index = self.index + step
        wrapped = self.index >= 0 and not 0 <= index < len(self.matches)
        self.index = index % len(self.matches)
        return self.matches[self.index], wrapped

    def snapshot(self) -> tuple[str, list[Span], int]:
        """The search as it is (kept while `/` edits it, restored by Escape)."""
        return self.term, self.matches, self.index

    def restore(self, saved: tuple[str, list[Span], int]) -> None:
        """The search as `snapshot` returned it."""
        self.term, self.matches, self.index = saved
