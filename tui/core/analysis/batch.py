"""Pre-analysing a whole library: batched, in several processes, resumable.

Work is split into batches of articles; each worker process loads the pipeline once and runs a
batch through one `nlp.pipe` stream (`Analyzer.analyze_many`). Every finished article is written
to the analysis cache at once, so an interrupted run resumes where it stopped: articles already
in the cache are skipped before any work starts.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.analysis.service import Analyzer
    from tui.core.articles import Article

BATCH_ARTICLES = 8


@dataclass
class Progress:
    """Progress of a library run: articles done, words analysed, failures, and when it started (monotonic clock)."""

    total: int
    done: int = 0
    words: int = 0
    failed: int = 0
    started: float = 0.0

    @property
    def words_per_second(self) -> float:
        """Words analysed per second since the run started."""
        elapsed = time.monotonic() - self.started
        return self.words / elapsed if elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """Estimated seconds until the run is done, or None before any article is finished."""
        if not self.done:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed / self.done * (self.total - self.done)


@dataclass(frozen=True)
class BatchResult:
    """What one batch produced: the articles analysed, their words, one message per problem, and
    each analysed file's article id and number of quotes ({path: (id, quotes)})."""

    analysed: int
    words: int
    problems: list[str]
    quotes: dict[str, tuple[str, int]] = field(default_factory=dict)


def default_jobs() -> int:
    """The default number of worker processes: the CPU count, between 1 and 4."""
    return max(1, min(4, os.cpu_count() or 1))


def pending(paths: list[Path], analyzer: Analyzer) -> tuple[list[Path], int, list[str]]:
    """(articles still to analyse, number already cached, problems) — reads each file once."""
    from tui.core.articles import ArticleError, load_article

    todo: list[Path] = []
    cached = 0
    problems: list[str] = []
    for path in paths:
        try:
            article = load_article(path)
        except ArticleError as exc:
            problems.append(str(exc))
            continue
        if analyzer.has_cached(article.text):
            cached += 1
        else:
            todo.append(path)
    return todo, cached, problems


_worker_analyzer: Analyzer | None = None


def _init_worker(model: str | None, cache: str) -> None:
    global _worker_analyzer
    from tui.core.analysis.service import Analyzer

    _worker_analyzer = Analyzer(model=model, cache=Path(cache))
    _worker_analyzer.pipeline()


def _analyse_batch(paths: list[str]) -> BatchResult:
    from tui.core.articles import ArticleError, load_article

    articles: list[tuple[str, Article]] = []
    problems: list[str] = []
    for path in paths:
        try:
            articles.append((path, load_article(path)))
        except ArticleError as exc:
            problems.append(str(exc))
    assert _worker_analyzer is not None, "the worker's pipeline is loaded by the pool initialiser"
    try:
        analyses = _worker_analyzer.analyze_many([a.text for _, a in articles])
    except Exception as exc:  # one bad batch must not stop the run
        return BatchResult(0, 0, problems + [f"{p}: analysis failed ({type(exc).__name__}: {exc})" for p in paths])
    quotes = {path: (article.id, len(analysis.quotes)) for (path, article), analysis in zip(articles, analyses)}
    return BatchResult(len(articles), sum(a.word_count for _, a in articles), problems, quotes)


def _batches(paths: list[Path], size: int) -> Iterator[list[str]]:
    for start in range(0, len(paths), size):
        yield [str(p) for p in paths[start : start + size]]


Report = Callable[[Progress, list[str]], None]
Counted = Callable[[dict[str, tuple[str, int]]], None]
Stop = Callable[[], bool]

STOP_POLL_SECONDS = 0.2


def analyse_all(
    paths: list[Path],
    model: str | None,
    cache: Path,
    jobs: int,
    report: Report,
    counted: Counted | None = None,
    stop: Stop | None = None,
) -> Progress:
    """Analyse `paths` into the cache with `jobs` processes. After each batch `report` gets the
    progress and the batch's problems, and `counted` its articles' quote counts ({path: (article
    id, quotes)}). When `stop` says so (asked every STOP_POLL_SECONDS) the run ends at once: the
    worker processes are stopped, finished articles stay cached, and the progress so far is returned."""
    progress = Progress(total=len(paths), started=time.monotonic())
    if not paths:
        return progress
    batches = list(_batches(paths, BATCH_ARTICLES))
    if jobs <= 1:
        _init_worker(model, str(cache))
        for batch in batches:
            if stop is not None and stop():
                break
            _take(_analyse_batch(batch), progress, report, counted)
        return progress
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(model, str(cache))) as pool:
        for result in _results_until_stopped(pool.imap_unordered(_analyse_batch, batches), stop):
            _take(result, progress, report, counted)
    return progress  # leaving the pool's block terminates its processes, mid-batch if stopped


def _results_until_stopped(results: Iterator[BatchResult], stop: Stop | None) -> Iterator[BatchResult]:
    """The pool's results as they come, until they are all in or `stop` says so."""
    while True:
        if stop is not None and stop():
            return
        try:
            yield results.next(timeout=STOP_POLL_SECONDS)  # type: ignore[attr-defined]  # IMapIterator
        except multiprocessing.TimeoutError:
            continue
        except StopIteration:
            return


def _take(result: BatchResult, progress: Progress, report: Report, counted: Counted | None) -> None:
    progress.done += result.analysed + len(result.problems)
    progress.words += result.words
    progress.failed += len(result.problems)
    report(progress, result.problems)
    if counted is not None and result.quotes:
        counted(result.quotes)
