"""The library index: what the library screen shows, without parsing every article at start-up.

For a set of roots (files and folders) the index keeps, per article file, its size and mtime and
what parsing it found (title, date, source, words, text hash, quote count, or the one-line error).
It is stored in the cache dir; a launch shows the stored entries at once, then walks the roots,
re-parses only files whose size or mtime changed, and drops files that are gone.

Pure Python: no Textual, no spaCy, no trafilatura (HTML files are parsed only when they change).

The entry type lives in `tui.core.library_entry` and the search in `tui.core.library_search`;
both are re-exported here, so callers keep importing them from `tui.core.library`.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from tui.core.articles import ArticleError, load_article
from tui.core.folders import FileInfo, walk
from tui.core.library_entry import RECORD_FIELDS as _RECORD_FIELDS
from tui.core.library_entry import Entry, EntryRecord, Progress
from tui.core.library_search import (
    Hit,
    TextCorpus,
    filter_entries,
    find_hits,
    matches,
    search,
    searchable_text,
)
from tui.core.paths import dump_json, load_json
from tui.core.text import valid_text

if TYPE_CHECKING:
    from tui.core.analysis.service import Analyzer
    from tui.core.annotations import Annotation

INDEX_VERSION = 5  # 3: undated articles have no date (was: the file's mtime); 4: no author as source; 5: notices
LIBRARY_ENV = "MARGIN_LIBRARY"
SLOW_PARSE_BYTES = 2**20  # a file this large takes a second or more to parse (an HTML page: tens)

__all__ = [
    "INDEX_VERSION",
    "LIBRARY_ENV",
    "SORTS",
    "Entry",
    "EntryRecord",
    "Hit",
    "LibraryIndex",
    "Progress",
    "TextCorpus",
    "date_order",
    "filter_entries",
    "find_hits",
    "library_dir",
    "matches",
    "parse_entry",
    "quote_counter",
    "search",
    "searchable_text",
    "sort_entries",
    "tag_choices",
]


def library_dir(arg: str | Path | None = None) -> Path:
    """The user's library folder: --library DIR, else $MARGIN_LIBRARY, else <data dir>/library."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return Path(env).expanduser()
    from tui.core.paths import data_dir

    return data_dir() / "library"


def parse_entry(info: FileInfo, quote_count: Callable[[str], int | None] | None = None) -> Entry:
    """Parse one file into an entry; a file that cannot be read gives an entry with `error`."""
    try:
        article = load_article(info.path)
    except ArticleError as exc:
        name = valid_text(Path(info.path).name)
        return Entry(path=info.path, size=info.size, mtime_ns=info.mtime_ns, title=name, error=valid_text(str(exc)))
    except Exception as exc:  # a parser bug must not stop the library
        return Entry(
            path=info.path,
            size=info.size,
            mtime_ns=info.mtime_ns,
            title=valid_text(Path(info.path).name),
            error=valid_text(f"{info.path}: could not be read ({type(exc).__name__}: {exc})"),
        )
    quotes = None
    if quote_count is not None:
        try:
            quotes = quote_count(article.text)
        except Exception:
            quotes = None
    return Entry.from_article(article, info.path, info.size, info.mtime_ns, quotes)


class LibraryIndex:
    """The stored index for one set of roots."""

    def __init__(self, roots: Iterable[str | Path], cache: Path | None = None) -> None:
        self.roots = [os.path.abspath(os.path.expanduser(str(r))) for r in roots]
        if cache is None:
            from tui.core.paths import cache_dir

            cache = cache_dir()
        key = hashlib.sha256("\n".join(sorted(self.roots)).encode("utf-8", "surrogatepass")).hexdigest()[:20]
        self.file = cache / "library" / f"index-{key}.json"
        self.entries: dict[str, Entry] = {}
        self.walk_problems: list[str] = []
        self._order: list[str] = []
        self._by_date: list[Entry] | None = None  # the readable entries newest first, as stored
        self._order_saved = False  # the stored index has the date order (older ones did not)

    # -- storage ---------------------------------------------------------------------------------
    def load(self) -> list[Entry]:
        """The stored entries (possibly stale); [] when there is no usable index."""
        import gc

        # Tens of thousands of objects are created here, all kept: a garbage collection pass in
        # the middle would only walk them (and every widget) to find nothing to free.
        collecting = gc.isenabled()
        gc.disable()
        try:
            data = load_json(self.file.read_bytes())
            if data.get("version") != INDEX_VERSION or data.get("fields") != _RECORD_FIELDS:
                return []
            self.entries = {r[0]: Entry.from_record(r) for r in data["entries"]}
            self._by_date = self._stored_order(data.get("by_date"))
            self._order_saved = self._by_date is not None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.entries = {}
        finally:
            if collecting:
                gc.enable()
        return list(self.entries.values())

    def _stored_order(self, order: object) -> list[Entry] | None:
        """The entries in the stored date order, or None when the order does not fit them: each
        readable entry once, nothing else (a damaged or older index is sorted as before)."""
        if not isinstance(order, list) or not all(type(i) is int for i in order) or len(set(order)) != len(order):
            return None
        entries = list(self.entries.values())
        if order and (min(order) < 0 or max(order) >= len(entries)):
            return None
        by_date = [entries[i] for i in order]
        readable = sum(1 for e in entries if e.error is None)
        if len(by_date) != readable or any(e.error is not None for e in by_date):
            return None
        return by_date

    def by_date(self) -> list[Entry] | None:
        """The readable entries as `sort_entries(articles(), "date")` orders them, straight from
        the stored index (no sorting at start-up); None once the entries changed since `load`."""
        return None if self._by_date is None else list(self._by_date)

    def snapshot(self) -> list[EntryRecord]:
        """The records to save, taken at once (call from the thread that changes the index)."""
        return [e.to_record() for e in list(self.entries.values())]

    def save(self, records: list[EntryRecord] | None = None) -> None:
        """Write the index (a snapshot of records, or the current entries) to the cache dir; failures only cost time later."""
        if records is None:
            records = self.snapshot()
        payload = dump_json(
            {
                "version": INDEX_VERSION,
                "roots": self.roots,
                "fields": _RECORD_FIELDS,
                "entries": records,
                "by_date": date_order(records),  # so the next start shows the list without sorting it
            }
        )
        from tui.core.storage.atomic import write_atomically

        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.file, payload, durable=False)  # a cache: no fsync needed
            self._order_saved = True
        except OSError:
            pass  # an index that cannot be written only costs time at the next start

    # -- refreshing ------------------------------------------------------------------------------
    def changes(self, cancelled: Callable[[], bool] | None = None) -> tuple[list[FileInfo], list[str]]:
        """Walk the roots: (files that are new or changed, paths that are gone). Updates nothing.
        A cancelled walk is incomplete: its result must not be used."""
        files, self.walk_problems = walk(self.roots, cancelled=cancelled)
        present = {f.path for f in files}
        stale = []
        for info in files:
            entry = self.entries.get(info.path)
            if entry is None or entry.size != info.size or entry.mtime_ns != info.mtime_ns:
                stale.append(info)
        gone = [p for p in self.entries if p not in present]
        self._order = [f.path for f in files]
        return stale, gone

    def refresh(
        self,
        quote_count: Callable[[str], int | None] | None = None,
        progress: Callable[[Progress], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        changes: tuple[list[FileInfo], list[str]] | None = None,
        before_slow: Callable[[], None] | None = None,
    ) -> tuple[int, int]:
        """Bring the index up to date with the files; (files re-parsed, files dropped). Saves it.

        `changes` is what `changes()` returned, when the caller already walked the roots;
        `before_slow` is called before a large file is parsed, once others were (to list them).
        """
        stale, gone = changes if changes is not None else self.changes()
        if stale or gone:
            self._by_date = None
        for path in gone:
            del self.entries[path]
        last = 0.0
        ordered = sorted(stale, key=lambda info: info.size)  # small files first: listed while large ones are read
        bytes_total, bytes_done = sum(info.size for info in ordered), 0
        for n, info in enumerate(ordered, 1):
            if cancelled is not None and cancelled():
                break
            self.entries[info.path] = parse_entry(info, quote_count)
            bytes_done += info.size
            now = time.monotonic()
            slow_next = n < len(ordered) and ordered[n].size >= SLOW_PARSE_BYTES  # say how far it got before a long wait
            if progress is not None and (now - last > 0.1 or n == len(ordered) or slow_next):
                last = now
                progress(Progress(n, len(stale), bytes_done, bytes_total))
            if slow_next and before_slow is not None:
                before_slow()
        # keep the walk's order (sorted paths), for a stable display
        order = {p: i for i, p in enumerate(self._order)}
        self.entries = dict(sorted(self.entries.items(), key=lambda kv: order.get(kv[0], len(order))))
        if stale or gone or not self._order_saved:
            self.save()
        return len(stale), len(gone)

    def update(self, entry: Entry) -> None:
        """Replace the entry of one file (a new quote count, say)."""
        if self.entries.get(entry.path) is not entry:
            self._by_date = None
        self.entries[entry.path] = entry

    @property
    def problems(self) -> list[str]:
        """Why files could not be read, one message each (walk and parse problems)."""
        return self.walk_problems + [e.error for e in self.entries.values() if e.error]

    @property
    def notices(self) -> list[str]:
        """How files that open were read when not as written ("path: 3 bytes … shown as �"), one each."""
        return [f"{e.path}: {e.notice}" for e in self.entries.values() if e.notice and not e.error]

    def articles(self) -> list[Entry]:
        """The entries of the files that could be read as articles."""
        return [e for e in self.entries.values() if e.error is None]  # not `ok`: this runs on start-up


def quote_counter(analyzer: Analyzer) -> Callable[[str], int | None] | None:
    """A cheap `text -> number of quotes` from the analysis cache, or None when nothing is cached.

    Checks for the cache file first, so indexing thousands of never-analysed files costs only a
    hash each.
    """
    cache = analyzer.cache
    try:
        if cache is None or not any(os.scandir(cache)):
            return None
    except OSError:
        return None

    def count(text: str) -> int | None:
        if not analyzer.has_cached(text):
            return None
        analysis = analyzer.cached(text)
        return len(analysis.quotes) if analysis is not None else None

    return count


def tag_choices(annotations: Iterable[Annotation]) -> list[str]:
    """Tags in use, case-insensitively merged (most common spelling), most used first."""
    counts: dict[str, int] = {}
    spellings: dict[str, dict[str, int]] = {}
    for annotation in annotations:
        for tag in annotation.tags:
            key = tag.casefold()
            counts[key] = counts.get(key, 0) + 1
            spellings.setdefault(key, {})[tag] = spellings.get(key, {}).get(tag, 0) + 1
    ordered = sorted(counts, key=lambda k: (-counts[k], k))
    return [max(spellings[k], key=lambda t: (spellings[k][t], t)) for k in ordered]


SORTS = ("date", "title", "source", "annotated")


def sort_entries(entries: list[Entry], how: str, counts: dict[str, int] | None = None, reverse: bool = False) -> list[Entry]:
    """Newest first (articles that give their own date before those dated by their file's time);
    title A–Z; source A–Z (none last); most annotated first (then newest). `reverse` turns the
    order round, but articles with no date (by date) or no source (by source) stay last."""
    ordered = _sorted_entries(entries, how, counts or {})
    if not reverse:
        return ordered
    lacking = {"date": lambda e: e.date is None, "source": lambda e: e.source is None}.get(how)
    if lacking is None:
        return ordered[::-1]
    return [e for e in reversed(ordered) if not lacking(e)] + [e for e in ordered if lacking(e)]


def _sorted_entries(entries: list[Entry], how: str, counts: dict[str, int]) -> list[Entry]:
    if how == "title":
        return sorted(entries, key=lambda e: (e.title.casefold(), e.path))
    if how == "source":
        return sorted(entries, key=lambda e: (e.source is None, (e.source or "").casefold(), e.title.casefold()))
    by_title = sorted(entries, key=lambda e: e.title.casefold())
    by_date = sorted(by_title, key=lambda e: (e.date is not None, e.date or ""), reverse=True)  # undated last; ties A–Z
    if how == "annotated":
        return sorted(by_date, key=lambda e: -(counts.get(e.id) or counts.get(e.path, 0)))
    return by_date


_TITLE, _DATE, _ERROR = (_RECORD_FIELDS.index(name) for name in ("title", "date", "error"))


def date_order(records: list[EntryRecord]) -> list[int]:
    """Positions of the readable records, ordered as `sort_entries(…, "date")` orders their
    entries (the same two stable sorts, so ties fall the same way)."""
    readable = [i for i, r in enumerate(records) if r[_ERROR] is None]
    by_title = sorted(readable, key=lambda i: records[i][_TITLE].casefold())
    return sorted(by_title, key=lambda i: (records[i][_DATE] is not None, records[i][_DATE] or ""), reverse=True)
