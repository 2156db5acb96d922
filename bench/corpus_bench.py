"""A corpus on Dask: words/s with 1 and 2 workers against raw spaCy `nlp.pipe(n_process=2)`.

    .venv/bin/python bench/corpus_bench.py [--copies N] [--model NAME] [--repeat N]

The corpus is the bundled samples, each copied `--copies` times with one line added (so every
copy is a new text: no analysis cache hits). Measured in the same run, on the same texts:

- raw:        `spacy.load()` of the same package, `nlp.pipe(texts, n_process=2)` (no Margin
              components, no files, no cache) — the reference;
- local:      `margin analyze --all --engine local --jobs 2` (tui/core/analysis/batch.py), as a
              second reference;
- dask 1 / 2: `tui.core.corpus.analyse_corpus` on a LocalCluster of 1 / 2 worker processes, files
              read on the workers, results into a fresh cache and Parquet tables (`--quotes-out`).

Cluster start and the workers' pipeline load are not in the words/s (they happen once per worker
per run; printed apart); filling the quote table's People columns at the end of a run is (its
time is also printed apart). `--repeat N` measures every configuration N times, in turn (so a
change in the machine's load touches all of them), and prints the median of each; the load
average is printed at the start and the end (the machine may be shared). Scheduler overhead per article = (wall × workers − time inside the
tasks) / articles, on the 1-worker run; also the round trip of an empty task. Besides wall time,
CPU time (user + system, of every process doing the work: spaCy's worker processes, the pool's,
the Dask workers and the client with its scheduler) per word: on a machine shared with other work
the wall times depend on how much of the CPU each run got, the CPU time per word much less. Memory per worker is
its resident set after the run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def make_corpus(folder: Path, copies: int) -> list[Path]:
    samples = sorted(p for p in (REPO / "sample_articles").iterdir() if p.suffix in (".txt", ".md") and p.stem != "README")
    paths = []
    for copy in range(copies):
        for sample in samples:
            path = folder / f"{copy:04d}-{sample.name}"
            path.write_text(sample.read_text(encoding="utf-8") + f"\n\nCopy {copy} of this story.\n", encoding="utf-8")
            paths.append(path)
    return paths


def _noop(x):
    return x


def run_dask(workers: int, files, model, scratch: Path) -> dict:
    from distributed import get_task_stream

    from tui.core.corpus import Cluster, analyse_corpus
    from tui.core.corpus_worker import preload, worker_memory

    cache = scratch / f"cache-dask-{workers}"
    out = scratch / f"tables-dask-{workers}"
    t0 = time.perf_counter()
    with Cluster(workers=workers) as cluster:
        client = cluster.client
        client.wait_for_workers(workers)
        started = time.perf_counter() - t0
        t1 = time.perf_counter()
        client.run(preload, model, str(cache))  # each worker loads its pipeline once
        loaded = time.perf_counter() - t1
        with get_task_stream(client) as stream:
            cpu0 = _own_cpu() + sum(client.run(_process_cpu).values())
            t2 = time.perf_counter()
            progress = analyse_corpus(client, files, model=model, cache_root=cache, out_dir=out)
            wall = time.perf_counter() - t2
            cpu = _own_cpu() + sum(client.run(_process_cpu).values()) - cpu0
        inside = sum(s["stop"] - s["start"] for task in stream.data for s in task["startstops"] if s["action"] == "compute")
        memory = worker_memory(client)
        # the round trip of an empty task, one at a time
        client.submit(_noop, -1, pure=False).result()
        t3 = time.perf_counter()
        for i in range(50):
            client.submit(_noop, i, pure=False).result()
        round_trip = (time.perf_counter() - t3) / 50
    assert progress.failed == 0 and progress.analysed == len(files), progress
    return {
        "wall": wall,
        "words": progress.words,
        "start": started,
        "load": loaded,
        "inside": inside,
        "tasks": len(stream.data),
        "memory": sorted(memory.values()),
        "round_trip": round_trip,
        "people": progress.people_seconds,
        "cpu": cpu,
    }


def _process_cpu() -> float:
    """User + system CPU seconds of this process (run on each worker)."""
    import psutil

    times = psutil.Process().cpu_times()
    return times.user + times.system


def _own_cpu() -> float:
    """CPU seconds of this process and of its children that have ended (spaCy's and the pool's
    worker processes)."""
    import resource

    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def run_raw(texts: list[str], model_name: str) -> tuple[float, float]:
    import spacy

    nlp = spacy.load(model_name)
    list(nlp.pipe(texts[:20]))  # warm-up
    cpu0 = _own_cpu()
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=2, batch_size=16):
        pass
    wall = time.perf_counter() - t0
    _reap_children()
    return wall, _own_cpu() - cpu0


def _reap_children() -> None:
    """Wait for the worker processes that spaCy stopped, so that their CPU time is counted."""
    import multiprocessing

    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)


def run_local(paths: list[Path], model, scratch: Path) -> tuple[float, float]:
    from tui.core.analysis.batch import analyse_all

    cpu0 = _own_cpu()
    t0 = time.perf_counter()
    progress = analyse_all(paths, model, scratch / "cache-local", 2, lambda progress, problems: None)
    assert progress.failed == 0, progress
    wall = time.perf_counter() - t0
    _reap_children()
    return wall, _own_cpu() - cpu0


def _median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of each sample article (default: 20)")
    parser.add_argument("--model", default=None)
    parser.add_argument("--repeat", type=int, default=1, help="measure everything N times, print medians (default: 1)")
    args = parser.parse_args(argv)

    from tui.core.analysis.service import Analyzer
    from tui.core.articles import load_article
    from tui.core.folders import walk

    name, version = Analyzer(model=args.model).planned_model()
    scratch = Path(tempfile.mkdtemp(prefix="margin-corpus-bench-"))
    try:
        (scratch / "corpus").mkdir()
        paths = make_corpus(scratch / "corpus", args.copies)
        articles = [load_article(p) for p in paths]
        texts = [a.text for a in articles]
        words = sum(a.word_count for a in articles)
        files, _ = walk([scratch / "corpus"])
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"pipeline: {name} {version}; {len(texts)} articles, {words:,} words; {os.cpu_count()} cores; "
            f"load average {load} (1/5/15 min) at the start"
        )
        raws, locals_, ones, twos = [], [], [], []
        for round_ in range(args.repeat):
            for folder in scratch.iterdir():
                if folder.name != "corpus":
                    shutil.rmtree(folder)
            raws.append(run_raw(texts, name))
            locals_.append(run_local(paths, args.model, scratch))
            ones.append(run_dask(1, files, args.model, scratch))
            twos.append(run_dask(2, files, args.model, scratch))
            if args.repeat > 1:
                print(
                    f"round {round_ + 1}: raw {words / raws[-1][0]:,.0f}, local {words / locals_[-1][0]:,.0f}, "
                    f"dask 1 {words / ones[-1]['wall']:,.0f}, dask 2 {words / twos[-1]['wall']:,.0f} words/s; "
                    f"dask 2 / raw {raws[-1][0] / twos[-1]['wall']:.2f} (wall), "
                    f"{raws[-1][1] / twos[-1]['cpu']:.2f} (CPU); load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        raw, raw_cpu = _median([r[0] for r in raws]), _median([r[1] for r in raws])
        local, local_cpu = _median([r[0] for r in locals_]), _median([r[1] for r in locals_])
        keys = ("wall", "inside", "start", "load", "round_trip", "people", "cpu")
        one = {k: _median([r[k] for r in ones]) for k in keys}
        two = {k: _median([r[k] for r in twos]) for k in keys}
        what = f"median of {args.repeat} rounds" if args.repeat > 1 else "one round"
        print(f"{'(' + what + ')':<33}{'seconds':>9}{'words/s':>10}{'vs raw':>8}{'CPU s':>9}{'words/CPU s':>13}{'vs raw':>8}")
        rows = [
            ("raw nlp.pipe(n_process=2)", raw, raw_cpu),
            ("margin --engine local --jobs 2", local, local_cpu),
            ("margin --engine dask, 1 worker", one["wall"], one["cpu"]),
            ("margin --engine dask, 2 workers", two["wall"], two["cpu"]),
        ]
        for label, wall, cpu in rows:
            print(
                f"{label:<33}{wall:>9.2f}{words / wall:>10,.0f}{raw / wall:>8.2f}"
                f"{cpu:>9.1f}{words / cpu:>13,.0f}{raw_cpu / cpu:>8.2f}"
            )
        if args.repeat > 1:
            ratios = [r[0] / t["wall"] for r, t in zip(raws, twos)]
            print(
                "dask 2 workers / raw, wall time, per round: "
                + ", ".join(f"{x:.2f}" for x in ratios)
                + f" (median {_median(ratios):.2f})"
            )
        overhead = (one["wall"] - one["inside"]) / len(texts)
        print(f"per-core rate (dask, 1 worker): {words / one['wall']:,.0f} words/s")
        print(
            f"scheduler overhead per article (1 worker: wall - time in tasks): {1000 * overhead:.2f} ms "
            f"({ones[-1]['tasks']} tasks of {len(texts) / max(1, ones[-1]['tasks']):.1f} articles; "
            f"{twos[-1]['tasks']} tasks with 2 workers); empty-task round trip {1000 * one['round_trip']:.2f} ms"
        )
        print(f"filling the People columns at the end (in the words/s): {one['people']:.2f} s / {two['people']:.2f} s")
        print(
            f"cluster start {one['start']:.1f} s / {two['start']:.1f} s; pipeline load per worker "
            f"{one['load']:.1f} s / {two['load']:.1f} s (1 / 2 workers; not in the words/s)"
        )
        print(
            "memory per worker after the run (RSS): "
            + ", ".join(f"{m / 2**20:,.0f} MiB" for m in twos[-1]["memory"])
            + " (2 workers)"
        )
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average {load} (1/5/15 min) at the end")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
