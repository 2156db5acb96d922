"""Annotation store benchmark: save latency at 1k/10k/50k stored annotations, export time.

    .venv/bin/python bench/store_bench.py [--sizes 1000,10000,50000] [--saves 200] [--per-article 100]
                                           [--baseline] [--dir DIR]

For each size: a fresh database is filled with that many annotations (spread over articles of
`--per-article` annotations each, in one batch), reopened, and then `--saves` annotations are
saved one by one (`store.add`, each durable: fsync'd file and folder), half new, half updates of
stored ones, on random articles; p50/p95/max of the save latency are printed. At the largest
size the time to open the store, read all annotations and render each export format is printed.
`--baseline` also times plain TinyDB (one JSON file, every insert rewrites it) for comparison.

`--annotate N` (issue 10, item 20) builds a database of N annotations (`--per-article` each) and
times one `margin annotate` on a real article file against it: in-process (`annotate.run`, the
store's part) and as a whole process (`python -m tui annotate`, interpreter start included),
cold (the first command after the bulk fill, which builds the summary cache) and warm.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.annotations import Annotation  # noqa: E402
from tui.core.store import AnnotationStore  # noqa: E402

WORDS = (
    "minister said talks would resume next week after the vote was delayed again by the court "
    "officials confirmed that the company had agreed to pay a fine over the leak"
).split()


def make_annotation(rng: random.Random, article: int) -> Annotation:
    start = rng.randrange(0, 20_000)
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 30)))
    return Annotation(
        article_id=f"{article:016x}",
        article_title=f"Article number {article}",
        article_path=f"/bench/articles/{article:05d}.txt",
        start=start,
        end=start + len(text),
        text=text,
        tags=rng.sample(["claim", "source", "needs check", "quote", "figure", "context"], rng.randrange(1, 3)),
        note=rng.choice(["", "", "check this against the ministry's figures"]),
        kind=rng.choice(["sentence", "quote", "selection"]),
        prefix=" ".join(rng.choice(WORDS) for _ in range(5))[:32],
        suffix=" ".join(rng.choice(WORDS) for _ in range(5))[:32],
        text_hash="0" * 64,
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_size(root: Path, size: int, saves: int, per_article: int, rng: random.Random, exports: bool) -> None:
    db = root / f"db-{size}" / "annotations.json"
    articles = max(1, size // per_article)
    store = AnnotationStore.open(db)
    t0 = time.perf_counter()
    batch = [make_annotation(rng, i % articles) for i in range(size)]
    store.save_many(batch)
    fill = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = AnnotationStore.open(db)
    opened = time.perf_counter() - t0
    assert len(store) == size, (len(store), size)
    latencies = []
    for i in range(saves):
        if i % 2 == 0:
            annotation = make_annotation(rng, rng.randrange(articles))
            t0 = time.perf_counter()
            store.add(annotation)
        else:
            annotation = rng.choice(batch)
            annotation.note = f"edited {i}"
            t0 = time.perf_counter()
            store.update(annotation)
        latencies.append((time.perf_counter() - t0) * 1000)
    print(
        f"{size:>7,} stored ({articles:,} articles): save p50 {statistics.median(latencies):6.2f} ms  "
        f"p95 {percentile(latencies, 95):6.2f} ms  max {max(latencies):6.2f} ms   "
        f"(bulk fill {fill:5.2f} s, open {opened * 1000:6.1f} ms)"
    )
    if exports:
        from tui.core.export import export_annotations

        t0 = time.perf_counter()
        all_ = store.all()
        read = time.perf_counter() - t0
        print(f"        read all {len(all_):,}: {read * 1000:7.0f} ms")
        t0 = time.perf_counter()
        store.counts_by_article(), store.tags()
        print(f"        counts_by_article + tags (cached): {(time.perf_counter() - t0) * 1000:7.2f} ms")
        for fmt in ("json", "w3c", "markdown", "csv", "jsonl"):
            t0 = time.perf_counter()
            result = export_annotations(all_, fmt)
            took = time.perf_counter() - t0
            print(
                f"        export {fmt:<8} {took * 1000:7.0f} ms  ({len(result.payload) / 1e6:5.1f} MB"
                f"{'; article files absent in the bench, so jsonl is empty' if fmt == 'jsonl' else ''})"
            )


def bench_baseline(root: Path, size: int, saves: int, rng: random.Random) -> None:
    from tinydb import TinyDB

    path = root / f"plain-{size}.json"
    db = TinyDB(path)
    db.insert_multiple(make_annotation(rng, i % 100).to_record() for i in range(size))
    latencies = []
    for _ in range(min(saves, 50)):
        record = make_annotation(rng, 1).to_record()
        t0 = time.perf_counter()
        db.insert(record)
        latencies.append((time.perf_counter() - t0) * 1000)
    print(
        f"{size:>7,} stored, plain TinyDB JSONStorage (no fsync): insert p50 {statistics.median(latencies):7.2f} ms  "
        f"p95 {percentile(latencies, 95):7.2f} ms"
    )


def bench_annotate(root: Path, size: int, per_article: int, rng: random.Random, runs: int = 5) -> None:
    import argparse as _argparse
    import os
    import subprocess

    from tui.commands import annotate

    db = root / f"annotate-{size}" / "annotations.json"
    article = root / "article.txt"
    article.write_text("A bench article\n\nThe minister said talks would resume. Same sentence. The end.\n", encoding="utf-8")
    articles = max(1, size // per_article)
    t0 = time.perf_counter()
    AnnotationStore.open(db).save_many([make_annotation(rng, i % articles) for i in range(size)])
    print(f"annotate bench: {size:,} annotations in {articles:,} article files (bulk fill {time.perf_counter() - t0:5.1f} s)")
    time.sleep(2.1)  # files changed in the last 2 s are always re-read (mtime granularity)

    def once(n: int) -> float:
        args = _argparse.Namespace(
            path=str(article),
            exact="Same sentence.",
            tag=[f"t{n}"],
            note=None,
            occurrence=None,
            kind="selection",
            speaker=None,
            db=str(db),
            debug=False,
        )
        t = time.perf_counter()
        devnull = open(os.devnull, "w")
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = devnull
        try:
            annotate.run(args)
        finally:
            sys.stdout, sys.stderr = saved
            devnull.close()
        return time.perf_counter() - t

    cold = once(0)
    warm = [once(n) for n in range(1, runs + 1)]
    print(
        f"  margin annotate in-process: cold {cold * 1000:7.0f} ms   warm median {statistics.median(warm) * 1000:6.0f} ms  "
        f"max {max(warm) * 1000:6.0f} ms"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    walls = []
    for n in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tui",
                "annotate",
                str(article),
                "--exact",
                "Same sentence.",
                "--tag",
                f"p{n}",
                "--db",
                str(db),
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        walls.append(time.perf_counter() - t)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import tui.commands.annotate, tui.core.store, tui.core.articles"], check=True, env=env)
    imports = time.perf_counter() - t
    print(
        f"  margin annotate as a process: median {statistics.median(walls) * 1000:6.0f} ms  max {max(walls) * 1000:6.0f} ms "
        f"(of which interpreter start + imports {imports * 1000:4.0f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--per-article", type=int, default=100)
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--dir", help="where to build the databases (default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--annotate", type=int, metavar="N", help="time `margin annotate` on a database of N annotations")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp)
        if args.annotate:
            bench_annotate(root, args.annotate, args.per_article, rng)
            return 0
        for size in sizes:
            bench_size(root, size, args.saves, args.per_article, rng, exports=size == max(sizes))
        if args.baseline:
            for size in sizes:
                bench_baseline(root, size, args.saves, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
