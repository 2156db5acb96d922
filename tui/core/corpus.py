"""A news corpus on Dask: Margin's analysis of many articles on a cluster (or on this machine's
cores), into the analysis cache and, optionally, a Parquet quote table and entity table.

Only `margin analyze --all --engine dask` imports this module; it needs the `corpus` extra
(dask[distributed], pyarrow). The app and the plain install never import either.

How it works:

- The client walks the corpus (`folders.walk`) and compares each file's size and modification
  time with the manifest of the output folder; unchanged files are skipped without being read.
- The rest are cut into batches (by bytes and by count); each batch is one Dask task. A worker
  process loads the pipeline once (`_worker_analyzer`, a per-process cache keyed by model and
  cache dir), reads the batch's files, and runs them through `Analyzer.analyze_many` with the
  shared cache dir: cached analyses are reused, new ones are written to the cache under their
  content address (text hash + model + analyzer version), atomically, so two workers never write
  one file differently.
- With an output folder, the worker writes the batch's rows as one partition,
  `quotes/part-<run>-<batch>.parquet` and `entities/part-<run>-<batch>.parquet`, atomically (a
  hidden temporary file renamed into place; a task retried after a lost worker writes the same
  bytes under the same name). The client records each finished article in `manifest.json`
  (path → size, mtime, text hash, partition) every few seconds and at the end.
- Resuming: a partition the manifest does not name (a run stopped before recording it) is removed
  at the start, and its articles are done again. An article deleted or changed since the last run
  has its rows removed from its partition before anything else is written; the removal is journaled
  in the manifest (`rewrite`) so an interrupted clean-up is finished by the next run.
- A file that cannot be read, or a batch whose analysis fails, is reported per article; the run
  goes on. A worker lost mid-batch (killed, out of memory) costs nothing: Dask runs the batch again
  on another worker.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tui.core.analysis.batch import Progress

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
TABLES = ("quotes", "entities")
BATCH_BYTES = 400_000  # about 60,000 words of text per task: seconds of work, little overhead
BATCH_ARTICLES = 64
MANIFEST_EVERY = 5.0  # seconds between manifest writes during a run (and one at the end)

# The Parquet columns: a public interface (README, "Corpora on Dask").
QUOTE_COLUMNS = ["article_id", "path", "title", "source", "date", "start", "end", "text", "cue", "speaker",
                 "speaker_canonical", "speaker_start", "speaker_end", "person", "confidence", "method",
                 "speaker_unknown_reason"]
ENTITY_COLUMNS = ["article_id", "path", "start", "end", "label", "text", "canonical"]


class CorpusError(Exception):
    """The run cannot start (missing extra, unreachable scheduler, output folder in use...)."""


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


# ----------------------------------------------------------------------------------- schemas --

def _schemas():
    import pyarrow as pa

    quotes = pa.schema([
        ("article_id", pa.string()), ("path", pa.string()), ("title", pa.string()), ("source", pa.string()),
        ("date", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()),
        ("cue", pa.string()), ("speaker", pa.string()), ("speaker_canonical", pa.string()),
        ("speaker_start", pa.int64()), ("speaker_end", pa.int64()), ("person", pa.string()),
        ("confidence", pa.float64()), ("method", pa.string()), ("speaker_unknown_reason", pa.string()),
    ])
    entities = pa.schema([
        ("article_id", pa.string()), ("path", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("label", pa.string()), ("text", pa.string()), ("canonical", pa.string()),
    ])
    return {"quotes": quotes, "entities": entities}


def quote_rows(article, analysis) -> list[dict]:
    """One row per quote (attributed or not), the columns of QUOTE_COLUMNS. `person` is the
    speaker's canonical name within the article (no cross-article merging on a cluster)."""
    rows = []
    for q in analysis.quotes:
        s = q.speaker
        rows.append({
            "article_id": article.id, "path": str(article.path), "title": article.title, "source": article.source,
            "date": article.date, "start": q.start, "end": q.end, "text": q.text, "cue": q.cue,
            "speaker": s.text if s else None, "speaker_canonical": s.canonical if s else None,
            "speaker_start": s.start if s else None, "speaker_end": s.end if s else None,
            "person": s.canonical if s else None, "confidence": s.confidence if s else None,
            "method": s.method if s else None,
            "speaker_unknown_reason": q.speaker_unknown_reason if s is None else None,
        })
    return rows


def entity_rows(article, analysis) -> list[dict]:
    """One row per named entity, the columns of ENTITY_COLUMNS."""
    return [{"article_id": article.id, "path": str(article.path), "start": e.start, "end": e.end, "label": e.label,
             "text": e.text, "canonical": e.canonical} for e in analysis.entities]


def _parquet_bytes(table) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _write_table(path: Path, rows: list[dict], schema) -> None:
    import pyarrow as pa

    from tui.core.store import write_atomically

    table = pa.Table.from_pylist(rows, schema=schema)
    write_atomically(path, _parquet_bytes(table))


# ------------------------------------------------------------------------------ worker side --

_worker_analyzers: dict[tuple[str | None, str], object] = {}
_worker_lock = threading.Lock()


def _worker_analyzer(model: str | None, cache_root: str):
    """This process's Analyzer for (model, cache dir), its pipeline loaded once."""
    from tui.core.analysis.service import Analyzer

    key = (model, cache_root)
    with _worker_lock:
        analyzer = _worker_analyzers.get(key)
        if analyzer is None:
            _worker_analyzers.clear()  # one pipeline in memory per worker process
            analyzer = Analyzer(model=model, cache=Path(cache_root))
            analyzer.pipeline()
            _worker_analyzers[key] = analyzer
    return analyzer


def preload(model: str | None, cache_root: str) -> None:
    """Load the pipeline in this worker process now (`client.run(preload, ...)`), not at its first batch."""
    _worker_analyzer(model, cache_root)


def analyse_batch(paths: list[str], model: str | None, cache_root: str, out_dir: str | None,
                  partition: str | None) -> list[dict]:
    """A Dask task: analyse `paths` into the cache (and the partition `partition` of `out_dir`).

    Returns one record per path: path, status ("analysed", "cached" or "failed"), words, and for a
    readable article its size, mtime_ns, text hash and id, or the problem."""
    from tui.core.articles import ArticleError, load_article

    records: list[dict] = []
    articles = []
    for path in paths:
        try:
            before = os.stat(path)
            article = load_article(path)
        except (ArticleError, OSError) as exc:
            records.append({"path": path, "status": "failed", "problem": str(exc) if isinstance(exc, ArticleError)
                            else f"{path}: cannot be read ({exc.strerror or exc})", "words": 0})
            continue
        articles.append((article, before))
    if not articles:
        return records
    texts = [a.text for a, _ in articles]
    try:
        analyzer = _worker_analyzer(model, cache_root)
        cached = [analyzer.has_cached(t) for t in texts]
        analyses = analyzer.analyze_many(texts)
    except Exception as exc:  # one bad batch is reported, never the end of the run
        reason = f"analysis failed ({type(exc).__name__}: {exc})"
        return records + [{"path": p, "status": "failed", "problem": f"{p}: {reason}", "words": 0}
                          for p in (str(a.path) for a, _ in articles)]
    if out_dir is not None and partition is not None:
        schemas = _schemas()
        quotes = [row for (a, _), an in zip(articles, analyses) for row in quote_rows(a, an)]
        entities = [row for (a, _), an in zip(articles, analyses) for row in entity_rows(a, an)]
        _write_table(Path(out_dir) / "entities" / partition, entities, schemas["entities"])
        _write_table(Path(out_dir) / "quotes" / partition, quotes, schemas["quotes"])
    for (article, st), was_cached, analysis in zip(articles, cached, analyses):
        records.append({
            "path": str(article.path), "status": "cached" if was_cached else "analysed", "words": article.word_count,
            "size": st.st_size, "mtime_ns": st.st_mtime_ns, "hash": article.text_hash, "id": article.id,
            "quotes": len(analysis.quotes), "entities": len(analysis.entities),
        })
    return records


# ------------------------------------------------------------------------------ output folder --

class Output:
    """The output folder: manifest.json, quotes/ and entities/ partitions, and a lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.manifest_path = self.folder / MANIFEST
        self.articles: dict[str, dict] = {}
        self.rewrite: list[str] = []
        self.model: str | None = None
        self._lock: Any = None

    def open(self) -> None:
        """Create the folder and its tables, take its lock and read the manifest. CorpusError when the folder
        is a file, in use by another run, or has a manifest that cannot be read or is from another version."""
        from filelock import FileLock, Timeout

        if self.folder.exists() and not self.folder.is_dir():
            raise CorpusError(f"{self.folder} is a file, not a folder")
        for table in TABLES:
            (self.folder / table).mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(self.folder / ".margin-corpus.lock"))
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise CorpusError(f"{self.folder} is in use by another `margin analyze --engine dask` run") from None
        try:
            data = orjson.loads(self.manifest_path.read_bytes())
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as exc:
            raise CorpusError(f"{self.manifest_path}: cannot be read ({exc}); remove the folder to start again") from None
        if data and data.get("version") != MANIFEST_VERSION:
            raise CorpusError(f"{self.manifest_path}: written by another version of Margin; use a new folder")
        self.articles = dict(data.get("articles", {}))
        self.rewrite = list(data.get("rewrite", []))
        self.model = data.get("model")

    def close(self) -> None:
        """Release the folder's lock, if held."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def save(self) -> None:
        """Write the manifest, atomically."""
        from tui.core.store import write_atomically

        document = {"version": MANIFEST_VERSION, "model": self.model, "rewrite": self.rewrite,
                    "articles": self.articles}
        write_atomically(self.manifest_path, orjson.dumps(document, option=orjson.OPT_SORT_KEYS))

    def partitions(self) -> set[str]:
        """The partition file names the manifest records."""
        return {entry["partition"] for entry in self.articles.values()}

    def forget(self, paths: set[str]) -> None:
        """Drop `paths` from the manifest and from their partitions (journaled, so an interrupted
        clean-up is finished by the next run)."""
        touched = {self.articles[p]["partition"] for p in paths if p in self.articles}
        for path in paths:
            self.articles.pop(path, None)
        self.rewrite = sorted(set(self.rewrite) | touched)
        if touched:
            self.save()
        self.finish_rewrites()

    def finish_rewrites(self) -> None:
        """Finish the journaled clean-up: remove from each partition to rewrite the rows of articles no
        longer in the manifest (a partition left empty is deleted), then save the emptied journal."""
        if not self.rewrite:
            return
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        from tui.core.store import write_atomically

        members: dict[str, set[str]] = {}
        for path, entry in self.articles.items():
            members.setdefault(entry["partition"], set()).add(path)
        for partition in self.rewrite:
            keep = members.get(partition, set())
            for table in TABLES:
                file = self.folder / table / partition
                if not keep:
                    file.unlink(missing_ok=True)
                    continue
                try:
                    data = pq.read_table(file)
                except FileNotFoundError:
                    continue
                import pyarrow as pa

                kept = data.filter(pc.is_in(data["path"], value_set=pa.array(sorted(keep), pa.string())))
                if kept.num_rows != data.num_rows:
                    write_atomically(file, _parquet_bytes(kept))
        self.rewrite = []
        self.save()

    def remove_orphans(self) -> int:
        """Remove partitions the manifest does not name, and leftover temporary files."""
        known = self.partitions()
        removed = 0
        for table in TABLES:
            for file in (self.folder / table).iterdir():
                orphan = file.name.endswith(".parquet") and not file.name.startswith(".") and file.name not in known
                leftover = file.name.startswith(".") and file.name.endswith(".tmp")
                if orphan or leftover:
                    file.unlink(missing_ok=True)
                    removed += orphan
        return removed


# ------------------------------------------------------------------------------ client side --

@dataclass
class CorpusProgress(Progress):
    """How far a run has got: article and word counts, problems, speed and time left (speed and
    time left as for a library run)."""

    skipped: int = 0  # unchanged since the last run (not even read)
    analysed: int = 0
    cached: int = 0
    removed: int = 0  # articles whose rows were removed (deleted or changed since the last run)
    started: float = field(default_factory=time.monotonic)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    """What a run has to do: the files to analyse, how many are skipped, the manifest paths to forget."""

    todo: list[tuple[str, int]]  # (resolved path, size)
    skipped: int
    gone: set[str]  # in the manifest, to be forgotten (deleted or changed)


def plan(files, output: Output | None) -> Plan:
    """Which files to analyse: every file without an output folder; with one, those new or changed
    (by size and modification time) since the manifest recorded them."""
    todo, skipped, seen, gone = [], 0, set(), set()
    for info in files:
        try:
            path = str(Path(info.path).resolve())
        except (OSError, RuntimeError):
            path = os.path.abspath(info.path)
        if path in seen:
            continue
        seen.add(path)
        entry = output.articles.get(path) if output else None
        if entry is not None and entry.get("size") == info.size and entry.get("mtime_ns") == info.mtime_ns:
            skipped += 1
            continue
        if entry is not None:
            gone.add(path)  # changed: its old rows go before the new ones are written
        todo.append((path, info.size))
    if output is not None:
        gone |= set(output.articles) - seen  # deleted, or no longer under the given folders
    return Plan(todo, skipped, gone)


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

        from distributed import Client, LocalCluster

        # distributed logs every lost worker and retry at WARNING on stderr; Margin reports them itself
        logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(n_workers=self.workers or default_workers(), threads_per_worker=1,
                                            processes=True, dashboard_address=":0")
                self.client = Client(self.cluster)
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

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def analyse_corpus(
    client,
    files,
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
) -> CorpusProgress:
    """Analyse the article `files` (`folders.FileInfo`s) on a Dask cluster; see the module doc.

    `client` is a connected `distributed.Client`, or a `Cluster` not started yet: it is started
    (and `on_connected(cluster)` called) only when there is work, and stopped at the end.
    `report(progress, problems)` is called after every batch; `on_started(progress)` once the plan
    is made (before any task runs)."""
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
        if not work.todo:
            if output is not None:
                output.save()
            return progress
        stack = ExitStack()
        if isinstance(client, Cluster):
            cluster = stack.enter_context(client)
            if on_connected is not None:
                on_connected(cluster)
            client = cluster.client
        with stack:
            _run(client, work, progress, output, model, cache_root, report, max_bytes, max_articles)
        return progress
    finally:
        if output is not None:
            output.close()


def _run(client, work: Plan, progress: CorpusProgress, output: Output | None, model: str | None, cache_root: Path,
         report, max_bytes: int, max_articles: int) -> None:
    from distributed import as_completed

    progress.started = time.monotonic()
    run = time.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    # at least a few batches per worker thread, so every worker has work and a lost one costs little
    threads = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values()))
    total_bytes = sum(size for _, size in work.todo)
    max_bytes = max(1, min(max_bytes, total_bytes // (4 * threads)))
    futures = {}
    for number, batch in enumerate(batches(work.todo, max_bytes, max_articles)):
        partition = f"part-{run}-{number:06d}.parquet" if output is not None else None
        future = client.submit(analyse_batch, batch, model, str(cache_root),
                               str(output.folder) if output is not None else None, partition,
                               key=f"margin-batch-{run}-{number}", pure=False, retries=2)
        futures[future] = (batch, partition)
    last_save, save_every = time.monotonic(), MANIFEST_EVERY
    try:
        for future in as_completed(list(futures)):
            batch, partition = futures.pop(future)
            try:
                records = future.result()
            except Exception as exc:  # a batch that killed its workers, or a task that could not run
                records = [{"path": p, "status": "failed", "words": 0,
                            "problem": f"{p}: analysis failed ({type(exc).__name__}: {exc})"} for p in batch]
            problems = _count(progress, records)
            if output is not None:
                for record in records:
                    if record["status"] != "failed":
                        output.articles[record["path"]] = {
                            "size": record["size"], "mtime_ns": record["mtime_ns"], "hash": record["hash"],
                            "id": record["id"], "partition": partition}
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


def _count(progress: CorpusProgress, records: list[dict]) -> list[str]:
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


def worker_memory(client) -> dict[str, int]:
    """Resident memory (bytes) of each worker process."""
    return client.run(_rss)


def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss
