"""What one article says about its speakers, cached per article, and collecting it for a library.

`summarise(analysis)` is each speaker the analysis names (its `canonical`, the fullest name the
article gives), its kind and its quotes, as compact JSON; `PeopleCache` keeps one summary per
article (keyed by the article id — its text's hash — and the analyzer version), so a library of
10,000 articles re-summarises only new or changed articles; `collect` fills it, analysing what
is not analysed yet.

Pure Python: no Textual, no spaCy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import orjson

from tui.core.analysis.given_names import given_name_gender
from tui.core.people.names import PERSON, classify, display_without_titles, person_key, title_gender

if TYPE_CHECKING:
    from tui.core.analysis.result import Analysis
    from tui.core.analysis.service import Analyzer
    from tui.core.articles import Article

# The compact JSON summaries (see `summarise`), cached as they are: arrays read by position.
SummaryQuote = list[Any]  # [start, end, text, cue, confidence, mention, method, source?]
SummaryRow = list[Any]  # [canonical, kind, full name or None, [mentions], [SummaryQuote…]]
Summary = dict[str, Any]  # {"n": quotes, "u": quotes without a speaker, "s": [SummaryRow…]}

PEOPLE_VERSION = "2"  # the per-article summary format (2: a titled bare surname keeps to its gender)


class LibraryEntry(Protocol):
    """What People needs of a library entry (read only: a frozen dataclass is one too)."""

    @property
    def id(self) -> str: ...  # noqa: D102

    @property
    def path(self) -> str: ...  # noqa: D102

    @property
    def title(self) -> str: ...  # noqa: D102

    @property
    def date(self) -> str | None: ...  # noqa: D102

    @property
    def source(self) -> str | None: ...  # noqa: D102


E = TypeVar("E", bound=LibraryEntry)


class _no_gc:
    """Tens of thousands of objects are made and all kept: a collection pass meanwhile only walks them."""

    def __enter__(self) -> None:
        import gc

        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        import gc

        if self.was:
            gc.enable()


def summarise(analysis: Analysis) -> Summary:
    """The article's speakers and their quotes, as a compact JSON-able record:
    {"n": quotes, "u": quotes without a speaker, "s": [[canonical, kind, full name the article
    gives or None, [mentions as written], [[start, end, text, cue, confidence, mention, method]…]]…]}"""
    labels: dict[str, str] = {}
    persons_by_surname: dict[str, set[str]] = {}
    for entity in analysis.entities:
        for name in (entity.canonical, entity.text):
            labels.setdefault(name, entity.label)
        if entity.label == "PERSON":
            key = person_key(entity.canonical)
            if key is not None and not key.is_bare:
                persons_by_surname.setdefault(key.surname, set()).add(display_without_titles(entity.canonical))
    speakers: dict[str, SummaryRow] = {}
    unattributed = 0
    for quote in analysis.quotes:
        speaker = quote.speaker
        if speaker is None or not speaker.canonical.strip():
            unattributed += 1
            continue
        canonical = " ".join(speaker.canonical.split())
        row = speakers.get(canonical)
        if row is None:
            row = speakers[canonical] = [canonical, labels.get(canonical) or labels.get(speaker.text), None, [], []]
        mention = " ".join(speaker.text.split())
        if mention not in row[3]:
            row[3].append(mention)
        row[4].append(
            [quote.start, quote.end, quote.text, quote.cue, round(float(speaker.confidence), 3), mention, speaker.method]
        )
    for row in speakers.values():
        row[1] = kind = classify(row[0], row[1], row[3])
        if kind == PERSON:
            key = person_key(row[0])
            if key is not None and key.is_bare:
                # A bare surname: the person the article itself names with it, if only one, and
                # never one whose given name says another gender than the title ("Ms. Doe" is
                # not Mark Doe)
                names = persons_by_surname.get(key.surname, set())
                gender = title_gender(row[0])
                if gender is not None:
                    names = {n for n in names if given_name_gender(n) in (None, gender)}
                if len(names) == 1:
                    row[2] = next(iter(names))
    return {"n": len(analysis.quotes), "u": unattributed, "s": list(speakers.values())}


class PeopleCache:
    """Per-article summaries, stored in one file in the cache dir: {key: record}. A key is the
    article id (its text's hash) + the analysis version, so an edited article or a new analyzer
    gets a new summary and nothing else is redone."""

    def __init__(self, file: Path, version: str) -> None:
        self.file = Path(file)
        self.version = version
        self.records: dict[str, Summary] = {}  # article id -> record
        self._new: dict[str, Summary] = {}
        self.lock = threading.Lock()
        self.generation = 0  # counts changes, so a caller can tell its rows are out of date
        self.loaded = False  # `load` ran (the file's summaries are in `records`)

    @classmethod
    def for_analyzer(cls, analyzer: Analyzer, cache: Path | None = None) -> "PeopleCache":
        """The (not yet loaded) cache for summaries of `analyzer`'s model and the current analyzer and
        summary versions, in `cache` (default: the cache dir)."""
        from tui.core.analysis.pipeline import ANALYZER_VERSION

        if cache is None:
            from tui.core.paths import cache_dir

            cache = cache_dir()
        name, version = analyzer.planned_model()
        return cls(Path(cache) / "people" / "articles.json", f"{name}|{version}|{ANALYZER_VERSION}|{PEOPLE_VERSION}")

    def key(self, article_id: str) -> str:
        """An article's key in the file: its id and this cache's version."""
        return f"{article_id}|{self.version}"

    def load(self) -> "PeopleCache":
        """Read this version's summaries from the file (none when it is missing or damaged); returns self."""
        try:
            with _no_gc():
                data = orjson.loads(self.file.read_bytes())
        except (OSError, ValueError):
            self.loaded = True
            return self
        suffix = f"|{self.version}"
        if isinstance(data, dict):
            with self.lock:
                for key, record in data.items():
                    if key.endswith(suffix) and isinstance(record, dict):
                        self.records[key[: -len(suffix)]] = record
        self.loaded = True
        return self

    def get(self, article_id: str) -> Summary | None:
        """The summary of an article, None when it has none yet."""
        return self.records.get(article_id)

    def put(self, article_id: str, record: Summary) -> None:
        """Record an article's summary in memory (`save` writes it); `generation` counts the change."""
        with self.lock:
            self.records[article_id] = record
            self._new[article_id] = record
            self.generation += 1

    @property
    def index_file(self) -> Path:
        """Where the people index built from these summaries is kept (next to them)."""
        return self.file.parent / "index.json"

    @property
    def dirty(self) -> bool:
        """Whether summaries were added since the last save."""
        return bool(self._new)

    def save(self) -> None:
        """Write the summaries (with those another process added meanwhile); never raises."""
        from tui.core.store import write_atomically

        with self.lock:
            new, self._new = self._new, {}
            mine = dict(self.records)
        suffix = f"|{self.version}"
        try:
            stored = orjson.loads(self.file.read_bytes())
            if not isinstance(stored, dict):
                stored = {}
        except (OSError, ValueError):
            stored = {}
        merged = {k: v for k, v in stored.items() if k.endswith(suffix)}  # other versions are dropped
        merged.update((k + suffix, v) for k, v in mine.items())
        merged.update((k + suffix, v) for k, v in new.items())
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.file, orjson.dumps(merged), durable=False)
        except OSError:
            pass  # a cache that cannot be written only costs time


def collect(
    entries: Iterable[LibraryEntry],
    analyzer: Analyzer,
    cache: PeopleCache,
    analyse: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch: int = 8,
) -> list[str]:
    """Summarise every entry not in `cache` yet: from the analysis cache, else (with `analyse`)
    by analysing it, `batch` articles per spaCy run. Returns problems (one line each)."""
    from tui.core.articles import ArticleError, load_article

    todo = [e for e in unique_entries(entries) if cache.get(e.id) is None]
    problems: list[str] = []
    done = 0
    total = len(todo)
    if progress is not None and total:
        progress(0, total)
    pending: list[Article] = []

    def run_pending() -> None:
        nonlocal done
        if not pending:
            return
        try:
            analyses = analyzer.analyze_many([a.text for a in pending])
        except Exception as exc:  # a failing model: stop analysing, keep what is cached
            problems.append(f"analysis failed ({type(exc).__name__}: {exc})")
            done += len(pending)
            pending.clear()
            raise _Stop from None
        for article, analysis in zip(pending, analyses):
            cache.put(article.id, summarise(analysis))
        done += len(pending)
        pending.clear()
        if progress is not None:
            progress(done, total)

    try:
        for entry in todo:
            if cancelled is not None and cancelled():
                break
            try:
                article = load_article(entry.path)
            except ArticleError as exc:
                problems.append(str(exc))
                done += 1
                continue
            if article.id != entry.id:
                done += 1  # changed since it was indexed: the next rescan lists it anew
                continue
            analysis = analyzer.cached(article.text)
            if analysis is not None:
                cache.put(article.id, summarise(analysis))
                done += 1
                if progress is not None and done % 25 == 0:
                    progress(done, total)
                continue
            if not analyse:
                done += 1
                continue
            pending.append(article)
            if len(pending) >= batch:
                run_pending()
        if not (cancelled is not None and cancelled()):
            run_pending()
    except _Stop:
        pass
    if progress is not None and total:
        progress(min(done, total), total)
    return problems


class _Stop(Exception):
    pass


def unique_entries(entries: Iterable[E]) -> list[E]:
    """Readable entries, one per article id (the same text in two files counts once)."""
    seen: set[str] = set()
    out: list[E] = []
    for entry in entries:
        if not getattr(entry, "id", "") or getattr(entry, "error", None) or entry.id in seen:
            continue
        seen.add(entry.id)
        out.append(entry)
    return out
