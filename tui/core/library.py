"""The library index: what the library screen shows, without parsing every article at start-up.

For a set of roots (files and folders) the index keeps, per article file, its size and mtime and
what parsing it found (title, date, source, words, text hash, quote count, or the one-line error).
It is stored in the cache dir; a launch shows the stored entries at once, then walks the roots,
re-parses only files whose size or mtime changed, and drops files that are gone.

Pure Python: no Textual, no spaCy, no trafilatura (HTML files are parsed only when they change).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

import orjson

from tui.core.articles import Article, ArticleError, article_format, load_article, read_article_text
from tui.core.folders import FileInfo, walk

if TYPE_CHECKING:
    from tui.core.analysis.service import Analyzer
    from tui.core.annotations import Annotation

# An entry as the index file stores it: its field values in order (a JSON array of str, int and None).
EntryRecord = list[Any]

INDEX_VERSION = 3  # 3: undated articles have no date (was: the file's mtime)
LIBRARY_ENV = "MARGIN_LIBRARY"


def library_dir(arg: str | Path | None = None) -> Path:
    """The user's library folder: --library DIR, else $MARGIN_LIBRARY, else <data dir>/library."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return Path(env).expanduser()
    from tui.core.paths import data_dir

    return data_dir() / "library"


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
        return [getattr(self, name) for name in _RECORD_FIELDS]

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
        )


_RECORD_FIELDS = [f.name for f in fields(Entry) if f.name != "_hay"]


def parse_entry(info: FileInfo, quote_count: Callable[[str], int | None] | None = None) -> Entry:
    """Parse one file into an entry; a file that cannot be read gives an entry with `error`."""
    try:
        article = load_article(info.path)
    except ArticleError as exc:
        return Entry(path=info.path, size=info.size, mtime_ns=info.mtime_ns, title=Path(info.path).name, error=str(exc))
    except Exception as exc:  # a parser bug must not stop the library
        return Entry(
            path=info.path,
            size=info.size,
            mtime_ns=info.mtime_ns,
            title=Path(info.path).name,
            error=f"{info.path}: could not be read ({type(exc).__name__}: {exc})",
        )
    quotes = None
    if quote_count is not None:
        try:
            quotes = quote_count(article.text)
        except Exception:
            quotes = None
    return Entry.from_article(article, info.path, info.size, info.mtime_ns, quotes)


@dataclass
class Progress:
    """How far a long job has got: `done` of `total`."""

    done: int
    total: int


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
            data = orjson.loads(self.file.read_bytes())
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
        payload = orjson.dumps(
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
    ) -> tuple[int, int]:
        """Bring the index up to date with the files; (files re-parsed, files dropped). Saves it.

        `changes` is what `changes()` returned, when the caller already walked the roots.
        """
        stale, gone = changes if changes is not None else self.changes()
        if stale or gone:
            self._by_date = None
        for path in gone:
            del self.entries[path]
        last = 0.0
        for n, info in enumerate(stale, 1):
            if cancelled is not None and cancelled():
                break
            self.entries[info.path] = parse_entry(info, quote_count)
            now = time.monotonic()
            if progress is not None and (now - last > 0.1 or n == len(stale)):
                last = now
                progress(Progress(n, len(stale)))
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


class TextCorpus:
    """Lower-cased article texts for the as-you-type text filter, read on demand, by path."""

    def __init__(self) -> None:
        import threading

        self.texts: dict[str, str] = {}
        self.hashes: dict[str, str] = {}
        self.lock = threading.Lock()
        # Every text in one string ("\0" between them) with each text's start and path: one C-speed
        # scan finds which articles contain a word, instead of one scan per article.
        self._joined: tuple[str, list[int], list[str]] = ("", [], [])

    def load(
        self,
        entries: list[Entry],
        progress: Callable[[Progress], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> bool:
        """Read every entry's text not yet read; True when all are in (not cancelled)."""
        with self.lock:
            return self._load(entries, progress, cancelled)

    def _load(
        self, entries: Iterable[Entry], progress: Callable[[Progress], None] | None, cancelled: Callable[[], bool] | None
    ) -> bool:
        todo = [e for e in entries if e.ok and self.hashes.get(e.path) != e.text_hash]
        last = 0.0
        slice_start = time.monotonic()
        for n, entry in enumerate(todo, 1):
            if cancelled is not None and cancelled():
                return False
            try:
                text = searchable_text(Path(entry.path))
            except Exception:
                continue
            self.texts[entry.path] = text
            self.hashes[entry.path] = entry.text_hash
            if time.monotonic() - slice_start > 0.004:
                # Yield the GIL regularly: the UI thread keeps answering keys while this reads.
                time.sleep(0.002)
                slice_start = time.monotonic()
            now = time.monotonic()
            if progress is not None and (now - last > 0.1 or n == len(todo)):
                last = now
                progress(Progress(n, len(todo)))
        if todo or len(self._joined[1]) != len(self.texts):
            self._join()
        return True

    def _join(self) -> None:
        starts, paths, position = [], [], 0
        for path, text in self.texts.items():
            starts.append(position)
            paths.append(path)
            position += len(text) + 1
        self._joined = ("\0".join(self.texts.values()), starts, paths)

    def paths_containing(self, needle: str) -> set[str]:
        """Paths of the read texts that contain the lower-cased `needle`."""
        from bisect import bisect_right

        blob, starts, paths = self._joined
        found: set[str] = set()
        position = 0
        while (hit := blob.find(needle, position)) >= 0:
            k = bisect_right(starts, hit) - 1
            found.add(paths[k])
            position = starts[k + 1] if k + 1 < len(starts) else len(blob)
        return found

    def contains(self, entry: Entry, needle: str) -> bool:
        """Whether the read text of `entry` contains the lower-cased `needle`."""
        text = self.texts.get(entry.path)
        return text is not None and needle in text


def searchable_text(path: Path) -> str:
    """What the text filter searches, lower-cased: a plain-text or Markdown file's own text as it
    is (no parsing: tens of microseconds a file), an HTML file's extracted text."""
    if article_format(path) == "html":
        return load_article(path).text.lower()
    return read_article_text(path).lower()


def matches(entry: Entry, needle: str, corpus: TextCorpus | None = None) -> bool:
    """Whether an entry matches a lower-cased filter string (title, source, file name, text)."""
    return needle in entry.haystack or (corpus is not None and corpus.contains(entry, needle))


def filter_entries(entries: list[Entry], needle: str, corpus: TextCorpus | None = None) -> list[Entry]:
    """The entries that `matches` a lower-cased needle, in order (one tight loop: this runs on
    every keystroke of the library filter, over tens of thousands of entries)."""
    if "\0" in needle:
        return []
    in_text = corpus.paths_containing(needle) if corpus is not None else set()
    return [e for e in entries if needle in e.haystack or e.path in in_text]


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


def sort_entries(entries: list[Entry], how: str, counts: dict[str, int] | None = None) -> list[Entry]:
    """Newest first (articles that give their own date before those dated by their file's time);
    title A–Z; source A–Z (none last); most annotated first (then newest)."""
    counts = counts or {}
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


@dataclass
class Hit:
    """A library-search hit: where, in which article, with a line of context around it."""

    entry: Entry
    start: int
    end: int
    before: str
    match: str
    after: str


def find_hits(text: str, query: str, limit: int = 20, context: int = 40) -> list[tuple[int, int, str, str, str]]:
    """Case-insensitive hits of `query` in `text`: (start, end, before, match, after), offsets into `text`."""
    import re

    if not query:
        return []
    out = []
    for match in re.finditer(re.escape(query), text, re.IGNORECASE):
        start, end = match.span()
        before = text[max(0, start - context) : start]
        after = text[end : end + context]
        out.append((start, end, before, text[start:end], after))
        if len(out) >= limit:
            break
    return out


def search(
    entries: list[Entry],
    query: str,
    corpus: TextCorpus | None = None,
    max_articles: int = 200,
    per_article: int = 5,
    cancelled: Callable[[], bool] | None = None,
) -> list[Hit]:
    """Hits of `query` across the library, in the order of `entries`. Reads the texts it needs."""
    needle = query.lower()
    hits: list[Hit] = []
    found = 0
    for entry in entries:
        if cancelled is not None and cancelled():
            break
        if not entry.ok:
            continue
        if corpus is not None and entry.path in corpus.texts and not corpus.contains(entry, needle):
            continue  # the lower-cased text rules it out without reading the file
        try:
            article = load_article(entry.path)
        except Exception:
            continue
        spots = find_hits(article.text, query, per_article)
        if not spots:
            continue
        found += 1
        for start, end, before, match, after in spots:
            hits.append(Hit(entry, start, end, before, match, after))
        if found >= max_articles:
            break
    return hits
