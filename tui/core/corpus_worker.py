"""The worker side of a corpus run (tui/core/corpus.py): the Dask task that analyses one batch of
articles into the analysis cache and writes its partition of each Parquet table.

A worker process loads the pipeline once (`_worker_analyzer`, a per-process cache keyed by model
and cache dir; `preload` does it ahead) and keeps it for every batch it is given.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, cast

import orjson

from tui.core.analysis.pipeline import ModelInfo
from tui.core.analysis.result import Analysis
from tui.core.analysis.service import Analyzer
from tui.core.articles import Article
from tui.core.quote_table import Row, article_row, article_rows, entity_rows, schemas, write_partition


class CorpusAnalyzer(Analyzer):
    """The Analyzer, writing its cache files without an fsync each: the cache is a hint (a file
    lost or damaged in a power cut is analysed again: `cached` reads it as missing), and one
    fsync per article cost a corpus run several per cent of its time."""

    def _store(self, text: str, info: ModelInfo, result: Analysis) -> None:
        from tui.core.store import write_atomically

        try:
            write_atomically(self._cache_file(text, info.name, info.version), orjson.dumps(result.to_dict()), durable=False)
        except OSError:
            pass  # a cache that cannot be written only costs time


_worker_analyzers: dict[tuple[str | None, str], CorpusAnalyzer] = {}
_worker_lock = threading.Lock()


def _worker_analyzer(model: str | None, cache_root: str) -> CorpusAnalyzer:
    """This process's Analyzer for (model, cache dir), its pipeline loaded once."""
    key = (model, cache_root)
    with _worker_lock:
        analyzer = _worker_analyzers.get(key)
        if analyzer is None:
            _worker_analyzers.clear()  # one pipeline in memory per worker process
            analyzer = CorpusAnalyzer(model=model, cache=Path(cache_root))
            cast(Any, analyzer).pipeline()  # loads it (the analysis package is not typed strictly yet)
            _worker_analyzers[key] = analyzer
    return analyzer


def preload(model: str | None, cache_root: str) -> None:
    """Load the pipeline in this worker process now (`client.run(preload, ...)`), not at its first batch."""
    _worker_analyzer(model, cache_root)


def analyse_batch(
    paths: list[str], model: str | None, cache_root: str, out_dir: str | None, partition: str | None
) -> list[dict[str, Any]]:
    """A Dask task: analyse `paths` into the cache (and the partition `partition` of `out_dir`).

    Returns one record per path: path, status ("analysed", "cached" or "failed"), words, and for a
    readable article its size, mtime_ns, text hash and id, or the problem."""
    from tui.core.articles import ArticleError, load_article

    records: list[dict[str, Any]] = []
    articles = []
    for path in paths:
        try:
            before = os.stat(path)
            article = load_article(path)
        except (ArticleError, OSError) as exc:
            records.append(
                {
                    "path": path,
                    "status": "failed",
                    "problem": str(exc) if isinstance(exc, ArticleError) else f"{path}: cannot be read ({exc.strerror or exc})",
                    "words": 0,
                }
            )
            continue
        articles.append((article, before))
    if not articles:
        return records
    texts = [a.text for a, _ in articles]
    try:
        analyzer = _worker_analyzer(model, cache_root)
        cached = [analyzer.has_cached(t) for t in texts]
    except Exception as exc:  # the pipeline cannot be loaded: the whole batch fails, never the run
        return records + [_failed(str(a.path), exc) for a, _ in articles]
    analyses = _analyse(analyzer, texts)
    unstored: dict[int, Exception] = {}
    if out_dir is not None and partition is not None:
        try:
            unstored = _write_partitions(Path(out_dir), partition, [a for a, _ in articles], analyses)
        except Exception as exc:  # the partition cannot be written (a full disk…): this batch fails, not the run
            return records + [_failed(str(a.path), exc) for a, _ in articles]
    for number, ((article, st), was_cached, analysis) in enumerate(zip(articles, cached, analyses)):
        if isinstance(analysis, Exception):
            records.append(_failed(str(article.path), analysis))
            continue
        if number in unstored:
            records.append(_failed(str(article.path), unstored[number]))
            continue
        records.append(
            {
                "path": str(article.path),
                "status": "cached" if was_cached else "analysed",
                "words": article.word_count,
                "size": st.st_size,
                "mtime_ns": st.st_mtime_ns,
                "hash": article.text_hash,
                "id": article.id,
                "quotes": len(analysis.quotes),
                "entities": len(analysis.entities),
            }
        )
    return records


def _failed(path: str, exc: Exception) -> dict[str, Any]:
    """The record of an article whose analysis (or rows) failed."""
    return {"path": path, "status": "failed", "problem": f"{path}: analysis failed ({type(exc).__name__}: {exc})", "words": 0}


def _analyse(analyzer: CorpusAnalyzer, texts: list[str]) -> list[Analysis | Exception]:
    """The analyses of `texts` in one run; when that fails, each text alone, so that one article
    the analysis cannot take costs only itself (its exception in its place)."""
    try:
        return list(analyzer.analyze_many(texts))
    except Exception:
        pass
    results: list[Analysis | Exception] = []
    for text in texts:
        try:
            results.append(analyzer.analyze_many([text])[0])
        except Exception as exc:
            results.append(exc)
    return results


def _write_partitions(
    out_dir: Path, partition: str, articles: list[Article], analyses: list[Analysis | Exception]
) -> dict[int, Exception]:
    """The batch's rows as one partition of each table (the quotes' People columns left empty).
    An article whose rows a table cannot hold is left out of every table, never the whole batch:
    returns the index of each such article -> why."""
    import pyarrow as pa

    from tui.core.people import summarise

    tables = schemas()
    rows: dict[str, list[Row]] = {"quotes": [], "entities": [], "articles": []}
    unstored: dict[int, Exception] = {}
    for number, (article, analysis) in enumerate(zip(articles, analyses)):
        if isinstance(analysis, Exception):
            continue
        try:
            summary = summarise(analysis)
            own = {
                "quotes": article_rows(article, analysis, summary),
                "entities": entity_rows(article, analysis),
                "articles": [article_row(article, analysis, summary)],
            }
            for table, table_rows in own.items():
                pa.Table.from_pylist(table_rows, schema=tables[table])  # what Parquet cannot hold fails here
        except Exception as exc:
            unstored[number] = exc
            continue
        for table, table_rows in own.items():
            rows[table].extend(table_rows)
    for table in ("entities", "articles", "quotes"):
        write_partition(out_dir / table / partition, rows[table], tables[table])
    return unstored


def worker_memory(client: Any) -> dict[str, int]:
    """Resident memory (bytes) of each worker process."""
    memory: dict[str, int] = client.run(_rss)
    return memory


def _rss() -> int:
    import psutil

    rss: int = psutil.Process().memory_info().rss
    return rss
