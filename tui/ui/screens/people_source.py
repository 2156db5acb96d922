"""Where the People view's rows come from: the library's entries, the per-article summaries, the
people index kept next to them, the user's merges, splits and speaker corrections (one instance
per People view; the index and summaries are read once per process)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from tui.core.people import (
    Overrides,
    PeopleCache,
    PeopleIndex,
    Person,
)

_CACHES: dict[tuple[str, str], PeopleCache] = {}  # loaded once per process
_INDEXES: dict[tuple[str, str], PeopleIndex] = {}  # the people index per summaries file, once per process
_LOCK = threading.RLock()


def known_quote_counts(analyzer) -> dict[str, int]:
    """Quotes per article id, from the People summaries of `analyzer`'s model this process has
    read already (People analyses articles the library has not opened); {} when none were read.
    Reads no file."""
    wanted = PeopleCache.for_analyzer(analyzer)
    with _LOCK:
        cache = _CACHES.get((str(wanted.file), wanted.version))
        records = list(cache.records.items()) if cache is not None and cache.loaded else []
    return {article_id: record["n"] for article_id, record in records if isinstance(record.get("n"), int)}


class PeopleSource:
    """Where the People view's data comes from: the library's entries (a callable: the library
    may still be loading), the analyzer, the per-article cache, the people index kept next to it
    and the user's overrides. Opening the view reads only the index (a small file); the
    per-article summaries are read in the background (`ensure_summaries`)."""

    def __init__(
        self,
        entries: Callable[[], list],
        analyzer,
        cache: PeopleCache | None = None,
        analyse: bool = True,
        overrides: Overrides | None = None,
        ready: Callable[[], bool] | None = None,
        store=None,
    ) -> None:
        self.entries = entries
        self.store = store  # the annotations store: the user's speaker corrections (None: none)
        self._corrections: list | None = None
        self.ready = ready or (lambda: True)  # the entries are complete (the library's walk is done)
        self.analyzer = analyzer
        self._cache = cache
        self.analyse = analyse
        self.overrides = overrides

    @classmethod
    def from_library(cls, library) -> "PeopleSource":
        return cls(
            lambda: list(library.entries),
            library.app.analyzer,
            ready=lambda: library.loaded,
            store=getattr(library.app, "store", None),
        )

    @property
    def cache(self) -> PeopleCache:
        """The per-article summaries (not read from disk until `ensure_summaries`)."""
        if self._cache is None:
            fresh = PeopleCache.for_analyzer(self.analyzer)
            key = (str(fresh.file), fresh.version)
            with _LOCK:
                self._cache = _CACHES.setdefault(key, fresh)
        return self._cache

    def ensure_summaries(self) -> PeopleCache:
        """The summaries, read from disk once per process."""
        cache = self.cache
        if not cache.loaded:
            with _LOCK:
                if not cache.loaded:
                    cache.load()
        return cache

    @property
    def index(self) -> PeopleIndex:
        """The people index: read from its file once per process, then kept up to date."""
        cache = self.cache
        key = (str(cache.index_file), cache.version)
        with _LOCK:
            index = _INDEXES.get(key)
            if index is None:
                index = _INDEXES[key] = PeopleIndex(cache.version, records=lambda: self.ensure_summaries().records)
                index.load(cache.index_file)
        return index

    def corrections(self) -> list | None:
        """The user's speaker corrections (read once; `refresh_corrections` reads them again)."""
        if self.store is None:
            return None
        if self._corrections is None:
            from tui.core.corrections import all_corrections
            from tui.core.store import StoreError

            try:
                self._corrections = all_corrections(self.store)
            except StoreError:
                return None  # unreadable now: what the index applied stays
        return self._corrections

    def refresh_corrections(self) -> None:
        """Read the corrections again at the next build (one was made or removed)."""
        self._corrections = None

    def correction_stats(self) -> tuple[int, int]:
        """(speaker right, checked) over the user's corrected or confirmed quotes of the articles
        listed (a database shared by several libraries holds others' too)."""
        if not self._corrections:
            return 0, 0
        from tui.core.corrections import correction_stats

        listed = {entry.id for entry in self.entries()}
        return correction_stats([c for c in self._corrections if c.article_id in listed])

    def load_overrides(self) -> Overrides:
        if self.overrides is None:
            self.overrides = Overrides().load()
        return self.overrides

    def build(self) -> list[Person]:
        """The rows, from the index brought up to date with the library's entries (and the
        summaries, once read): only new, changed or gone articles cost anything, and the rows
        are reused while nothing changed."""
        with _LOCK:
            index = self.index
            cache = self.cache
            index.update(self.entries(), cache.records if cache.loaded else {}, self.corrections())
            return index.people(self.load_overrides())

    def save(self) -> None:
        """Keep new summaries and the index on disk (never raises)."""
        with _LOCK:
            cache = self.cache
            if cache.dirty:
                cache.save()
            index = self.index
            if index.dirty and cache.loaded:
                index.save(cache.index_file)


class QuoteTableSource(PeopleSource):
    """People over a Parquet quote table (`margin analyze --all --engine dask --quotes-out DIR`,
    `tui.core.quote_table`): the speaker summaries are in the table, so nothing is analysed or
    collected; the user's merges, splits and speaker corrections apply as in the library's view
    (a correction applies to the article id it was saved with). Nothing is written: neither the
    table nor a people index. The table is read on the first `build` (in the view's worker):
    `QuoteTableError` (one line) when the folder is not a readable quote table."""

    def __init__(self, folder, store=None, overrides: Overrides | None = None) -> None:
        super().__init__(lambda: self._entries, analyzer=None, analyse=False, overrides=overrides, store=store)
        from pathlib import Path

        self.folder = Path(folder).expanduser()
        self.table = None  # the QuoteTable, once read
        self._entries: list = []
        self.records: dict = {}
        self.articles = 0  # articles in the table
        self.quotes = 0  # quotes in the table (attributed or not)
        self._table_index: PeopleIndex | None = None

    def open(self) -> None:
        """Read the table's articles and speaker summaries (once). Raises QuoteTableError."""
        if self._table_index is not None:
            return
        from tui.core.quote_table import QuoteTable

        table = QuoteTable(self.folder)
        entries, records = table.entries_and_records()
        self.table, self._entries, self.records = table, entries, records
        self.articles = table.articles
        self.quotes = sum(int(r.get("n", 0) or 0) for r in records.values() if isinstance(r, dict))
        self._table_index = PeopleIndex(records=lambda: self.records)

    @property
    def index(self) -> PeopleIndex:
        """The table's people index (in memory only; empty until `open`)."""
        if self._table_index is None:
            return PeopleIndex()
        return self._table_index

    def ensure_summaries(self):
        """The summaries are the table's: nothing to read besides `open`."""
        self.open()
        return None

    def build(self) -> list[Person]:
        """The rows of the table with the user's merges, splits and speaker corrections."""
        self.open()
        index = self.index
        with _LOCK:
            index.update(self._entries, self.records, self.corrections())
            return index.people(self.load_overrides())

    def save(self) -> None:
        """Nothing to save: the table is read only and its index lives in memory."""
