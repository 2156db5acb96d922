"""The reader's search: its term, its matches and which one the cursor is on.

Matches come from `tui.core.library.find_hits`, the search the library's `/` uses, so the reader
finds exactly what the library search found (case-insensitive, the term as typed).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from tui.core.library import find_hits

Span = tuple[int, int]


def find_all(text: str, term: str) -> list[Span]:
    """Every case-insensitive match of `term` in `text`, as (start, end) offsets (none for "")."""
    if not term:
        return []
    return [(start, end) for start, end, *_ in find_hits(text, term, limit=len(text) + 1, context=0)]


@dataclass
class Search:
    """A search or an entity's mentions: the term shown, the matches, the current one (-1 while
    the term is being typed or before the first `n`)."""

    term: str = ""
    matches: list[Span] = field(default_factory=list)
    index: int = -1

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
        return bisect_left([m[0] for m in self.matches], offset) % len(self.matches)

    def before(self, offset: int) -> None:
        """Make the match just before `offset` current, so that `step(1)` goes to the first
        match at or after it."""
        self.index = bisect_left([m[0] for m in self.matches], offset) - 1

    def at(self, offset: int) -> None:
        """Make the match containing or last before `offset` current (a library search hit)."""
        if not self.matches:
            self.index = -1
            return
        self.index = max(0, bisect_right([m[0] for m in self.matches], offset) - 1)

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
