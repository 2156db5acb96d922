"""A library entry: one article file as the library index knows it, and its stored form.

Split from `tui.core.library` (which re-exports these names) so that the library search
(`tui.core.library_search`) can use them without importing the index.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any

from tui.core.articles import Article

# An entry as the index file stores it: its field values in order (a JSON array of str, int and None).
EntryRecord = list[Any]


@dataclass(slots=True)
class Entry:
    """One article file as the library knows it."""

    path: str
    size: int
    mtime_ns: int
    id: str = ""  # Article.id; "" when the file could not be read
    title: str = ""
    date: str | None = None
    date_from_file: bool = False
    source: str | None = None
    word_count: int = 0
    text_hash: str = ""
    format: str = "text"
    quotes: int | None = None  # from the analysis cache, when known
    error: str | None = None  # one line: why the file cannot be opened
    notice: str | None = None  # one line: how it was read, when not as written (bad bytes replaced…)
    _hay: str = field(default="", repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether the file could be read as an article."""
        return self.error is None

    @property
    def haystack(self) -> str:
        """Lower-cased title + source + file name, for the as-you-type filter."""
        if not self._hay:
            self._hay = f"{self.title}\n{self.source or ''}\n{os.path.basename(self.path)}".lower()
        return self._hay

    def to_record(self) -> EntryRecord:
        """The stored form: the field values in order (a list loads faster than a dict)."""
        return [getattr(self, name) for name in RECORD_FIELDS]

    @classmethod
    def from_record(cls, record: EntryRecord) -> "Entry":
        """An entry from its stored form (`to_record`)."""
        return cls(*record)

    @classmethod
    def from_article(cls, article: Article, path: str, size: int, mtime_ns: int, quotes: int | None = None) -> "Entry":
        """The entry of a parsed article file."""
        return cls(
            path=path,
            size=size,
            mtime_ns=mtime_ns,
            id=article.id,
            title=article.title,
            date=article.date,
            date_from_file=article.date_from_file,
            source=article.source,
            word_count=article.word_count,
            text_hash=article.text_hash,
            format=article.format,
            quotes=quotes,
            notice="; ".join(article.notices) or None,
        )


RECORD_FIELDS = [f.name for f in fields(Entry) if f.name != "_hay"]


@dataclass
class Progress:
    """How far a long job has got: `done` of `total` (files, articles…); when the job knows
    the bytes involved, `bytes_done` of `bytes_total` measure it better (one huge file)."""

    done: int
    total: int
    bytes_done: int = 0
    bytes_total: int = 0
