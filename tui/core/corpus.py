"""A news corpus on Dask: Margin's analysis of many articles on a cluster (or on this machine's
cores), into the analysis cache and, optionally, Parquet quote, entity and article tables.

Only `margin analyze --all --engine dask` imports this module; it needs the `corpus` extra
(dask[distributed], pyarrow). The app and the plain install never import either.
The output folder (manifest, partitions, lock) and the plan of a run are in
tui/core/corpus_output.py, the worker side in tui/core/corpus_worker.py.

How it works:

- The client walks the corpus (`folders.walk`) and compares each file's size and modification
  time with the manifest of the output folder; unchanged files are skipped without being read.
- The rest are cut into batches (by bytes and by count: many per worker thread, so that no worker
  idles while the last ones run); each batch is one Dask task (`corpus_worker.analyse_batch`). A
  worker process loads the pipeline once, reads the batch's files, and runs them through
  `Analyzer.analyze_many` with the shared cache dir: cached analyses are reused, new ones are
  written to the cache under their content address (text hash + model + analyzer version),
  atomically, so two workers never write one file differently.
- With an output folder, the worker writes the batch's rows as one partition of each table,
  `quotes|entities|articles/part-<run>-<batch>.parquet` (tui/core/quote_table.py), atomically (a
  hidden temporary file renamed into place; a task retried after a lost worker writes the same
  bytes under the same name). The client records each finished article in `manifest.json`
  (path → size, mtime, text hash, partition) every few seconds and at the end.
- The quotes' People columns (person, person_id, kind, group, also_in) need the whole corpus: the
  client fills them at the end of a run that changed the table (or when the user's merges and
  splits changed), from the article table's speaker summaries (`quote_table.fill_people_columns`).
- Resuming: a partition the manifest does not name (a run stopped before recording it) is removed
  at the start, and its articles are done again. An article deleted or changed since the last run
  has its rows removed from its partition before anything else is written; the removal is journaled
  in the manifest (`rewrite`) so an interrupted clean-up is finished by the next run.
- A file that cannot be read, or an article whose analysis or rows fail, is reported per article;
  the other articles of its batch and the run go on (corpus_worker.analyse_batch). A worker lost mid-batch (killed, out of memory) costs nothing: Dask runs the batch again
  on another worker.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.analysis.batch import Progress
from tui.core.corpus_output import CorpusError, Output, Plan, plan
from tui.core.corpus_worker import analyse_batch, preload, worker_memory
from tui.core.quote_table import (
    ARTICLE_COLUMNS,
    ENTITY_COLUMNS,
    QUOTE_COLUMNS,
    QuoteTableError,
    fill_people_columns,
    overrides_fingerprint,
)

if TYPE_CHECKING:
    from tui.core.folders import FileInfo
    from tui.core.people import Overrides

__all__ = [
    "ARTICLE_COLUMNS",
    "ENTITY_COLUMNS",
    "QUOTE_COLUMNS",
    "Cluster",
    "CorpusError",
    "CorpusProgress",
    "Output",
    "Plan",
    "analyse_batch",
    "analyse_corpus",
    "batches",
    "default_workers",
    "plan",
    "preload",
    "require_extra",
    "worker_memory",
]

BATCH_BYTES = 200_000  # at most about 30,000 words of text per task
BATCH_MIN_BYTES = 20_000  # ... and at least this much, however many workers
BATCHES_PER_THREAD = 16  # small batches: the last ones end nearly together (no idle worker at the end)
BATCH_ARTICLES = 64
MANIFEST_EVERY = 5.0  # seconds between manifest writes during a run (and one at the end)


def require_extra() -> None:
    """Raise CorpusError, saying what to install, when dask, distributed or pyarrow is missing."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise CorpusError(
            f"the dask engine needs the corpus extra ({exc.name} is missing): pip install 'margin-reader[corpus]'"
        ) from None


def default_workers() -> int:
    """Worker processes for a local cluster when none are asked for: one per core, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


# ------------------------------------------------------------------------------ client side --


@dataclass
class CorpusProgress(Progress):
    """How far a run has got: article and word counts, problems, speed and time left (speed and
    time left as for a library run)."""

    skipped: int = 0  # unchanged since the last run (not even read)
    analysed: int = 0
    cached: int = 0
    removed: int = 0  # articles whose rows were removed (deleted or changed since the last run)
    people_rewritten: int | None = None  # quote partitions whose People columns changed (None: not filled)
    people_seconds: float = 0.0  # time spent filling them
    started: float = field(default_factory=time.monotonic)
    problems: list[str] = field(default_factory=list)


def batches(todo: list[tuple[str, int]], max_bytes: int = BATCH_BYTES, max_articles: int = BATCH_ARTICLES) -> list[list[str]]:
    """`todo` cut into batches of paths, in order, each within `max_bytes` and `max_articles` (a file
    larger than `max_bytes` is a batch of its own)."""
    out: list[list[str]] = []
    current: list[str] = []
    size = 0
    for path, nbytes in todo:
        if current and (size + nbytes > max_bytes or len(current) >= max_articles):
            out.append(current)
            current, size = [], 0
        current.append(path)
        size += nbytes
    if current:
        out.append(current)
    return out


class Cluster:
    """A Dask client on a new LocalCluster (`workers` processes, one thread each) or on an existing
    scheduler. A context manager; `dashboard` is the dashboard's address when there is one."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> "Cluster":
        import logging

        import distributed

        dist: Any = distributed  # distributed is not typed
        # distributed logs every lost worker and retry at WARNING on stderr; Margin reports them itself
        logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            if self.scheduler:
                self.client = dist.Client(self.scheduler, timeout="20s")
            else:
                import dask

                dask.config.set(
                    {
                        # the workers' statistical profiler (a stack sample every 10 ms, for the dashboard's
                        # profile page) takes CPU from the analysis
                        "distributed.worker.profile.enabled": False,
                        # Dask sets MALLOC_TRIM_THRESHOLD_=65536 in its workers: glibc then hands freed memory
                        # back at once and maps spaCy's large arrays anew every time; measured, that cost the
                        # analysis 10-15% more CPU (system time doubled). Margin's memory is bounded by its
                        # batches without it. None unsets it (a value the user exported still applies).
                        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                    }
                )
                self.cluster = dist.LocalCluster(
                    n_workers=self.workers or default_workers(), threads_per_worker=1, processes=True, dashboard_address=":0"
                )
                self.client = dist.Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            self.__exit__(None, None, None)
            raise CorpusError(f"cannot reach the Dask scheduler {self.scheduler or '(local)'}: {exc}") from None
        return self

    @property
    def dashboard(self) -> str | None:
        """The dashboard's address; None when the scheduler serves none (or a local cluster has no bokeh)."""
        import importlib.util

        if self.cluster is not None and importlib.util.find_spec("bokeh") is None:
            return None  # distributed serves only an "install bokeh" page without it
        try:
            services = self.client.scheduler_info().get("services", {})
        except Exception:
            return None
        return self.client.dashboard_link if "dashboard" in services else None

    def worker_count(self) -> int:
        """How many workers the scheduler has now."""
        return len(self.client.scheduler_info().get("workers", {}))

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def analyse_corpus(
    client: Any,
    files: Iterable[FileInfo],
    *,
    model: str | None,
    cache_root: Path,
    out_dir: Path | None = None,
    model_name: str | None = None,
    report: Callable[[CorpusProgress, list[str]], None] | None = None,
    on_started: Callable[[CorpusProgress], None] | None = None,
    on_connected: Callable[[Cluster], None] | None = None,
    max_bytes: int = BATCH_BYTES,
    max_articles: int = BATCH_ARTICLES,
    overrides: Overrides | None = None,
    on_people: Callable[[int, int], None] | None = None,
) -> CorpusProgress:
    """Analyse the article `files` (`folders.FileInfo`s) on a Dask cluster; see the module doc.

    `client` is a connected `distributed.Client`, or a `Cluster` not started yet: it is started
    (and `on_connected(cluster)` called) only when there is work, and stopped at the end.
    `report(progress, problems)` is called after every batch; `on_started(progress)` once the plan
    is made (before any task runs). With an output folder, the quotes' People columns are then
    filled across the whole table (`quote_table.fill_people_columns`, with the user's merges and
    splits `overrides`; `on_people(done, partitions)` reports it) when the table or the overrides
    changed since they last were."""
    from contextlib import ExitStack

    output = Output(out_dir) if out_dir is not None else None
    if output is not None:
        output.open()
    try:
        if output is not None:
            output.finish_rewrites()  # an earlier run's interrupted clean-up
            if output.model is not None and model_name is not None and output.model != model_name:
                # another pipeline's rows: start the tables again rather than mix two models
                output.forget(set(output.articles))
            output.model = model_name or output.model
            output.remove_orphans()
        work = plan(files, output)
        progress = CorpusProgress(total=len(work.todo), skipped=work.skipped)
        if output is not None and work.gone:
            progress.removed = len(work.gone)
            output.forget(work.gone)
        if on_started is not None:
            on_started(progress)
        if work.todo:
            stack = ExitStack()
            if isinstance(client, Cluster):
                cluster = stack.enter_context(client)
                if on_connected is not None:
                    on_connected(cluster)
                client = cluster.client
            with stack:
                _run(client, work, progress, output, model, cache_root, report, max_bytes, max_articles)
        if output is not None:
            fingerprint = overrides_fingerprint(overrides)
            if output.people != fingerprint:
                output.people = None
                output.save()
                t0 = time.monotonic()
                try:
                    progress.people_rewritten = fill_people_columns(output.folder, overrides, on_people)
                except QuoteTableError as exc:
                    raise CorpusError(f"the People columns could not be filled: {exc}") from None
                progress.people_seconds = time.monotonic() - t0
                output.people = fingerprint
            output.save()
        return progress
    finally:
        if output is not None:
            output.close()


def _run(
    client: Any,
    work: Plan,
    progress: CorpusProgress,
    output: Output | None,
    model: str | None,
    cache_root: Path,
    report: Callable[[CorpusProgress, list[str]], None] | None,
    max_bytes: int,
    max_articles: int,
) -> None:
    import distributed

    as_completed: Any = distributed.as_completed

    progress.started = time.monotonic()
    run = time.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    if output is not None:
        output.people = None  # new rows: the People columns are to be filled
    # many batches per worker thread: every worker has work until the end (the last batches end
    # nearly together), and a lost worker costs little
    threads = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values()))
    total_bytes = sum(size for _, size in work.todo)
    max_bytes = max(1, min(max_bytes, max(BATCH_MIN_BYTES, total_bytes // (BATCHES_PER_THREAD * threads))))
    futures = {}
    for number, batch in enumerate(batches(work.todo, max_bytes, max_articles)):
        partition = f"part-{run}-{number:06d}.parquet" if output is not None else None
        future = client.submit(
            analyse_batch,
            batch,
            model,
            str(cache_root),
            str(output.folder) if output is not None else None,
            partition,
            key=f"margin-batch-{run}-{number}",
            pure=False,
            retries=2,
        )
        futures[future] = (batch, partition)
    last_save, save_every = time.monotonic(), MANIFEST_EVERY
    try:
        for future in as_completed(list(futures)):
            batch, partition = futures.pop(future)
            try:
                records = future.result()
            except Exception as exc:  # a batch that killed its workers, or a task that could not run
                records = [
                    {"path": p, "status": "failed", "words": 0, "problem": f"{p}: analysis failed ({type(exc).__name__}: {exc})"}
                    for p in batch
                ]
            problems = _count(progress, records)
            if output is not None:
                for record in records:
                    if record["status"] != "failed":
                        output.articles[record["path"]] = {
                            "size": record["size"],
                            "mtime_ns": record["mtime_ns"],
                            "hash": record["hash"],
                            "id": record["id"],
                            "partition": partition,
                        }
                if time.monotonic() - last_save >= save_every:
                    t0 = time.monotonic()
                    output.save()
                    last_save = time.monotonic()
                    # a big manifest is written less often: saving stays under 10% of the run
                    save_every = max(MANIFEST_EVERY, 10 * (last_save - t0))
            if report is not None:
                report(progress, problems)
    finally:
        for future in futures:
            future.cancel()
        if output is not None:
            output.save()
            output.remove_orphans()  # partitions of batches that failed after writing


def _count(progress: CorpusProgress, records: list[dict[str, Any]]) -> list[str]:
    problems = []
    for record in records:
        progress.done += 1
        progress.words += record.get("words", 0)
        if record["status"] == "failed":
            progress.failed += 1
            problems.append(record["problem"])
        elif record["status"] == "cached":
            progress.cached += 1
        else:
            progress.analysed += 1
    progress.problems.extend(problems)
    return problems
