"""Peak memory of analysing one huge article: RSS before and after, by article size.

    .venv/bin/python bench/analysis_memory.py [--mb 1 5 20] [--model NAME]

Each size runs in a fresh child process (so one run's peak does not hide the next): the child
loads the pipeline, builds an article of N MB by repeating the sample articles' paragraphs,
analyses it with `analyze_text` (the path the app and `margin analyze` take), and reports its
peak RSS (`ru_maxrss`) after loading the pipeline and after the analysis, plus the time taken.
The README states the figures; the issue notes carry the runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _article(megabytes: float) -> str:
    from tui.core.articles import load_article

    paragraphs: list[str] = []
    for path in sorted((REPO / "sample_articles").glob("*.md")):
        paragraphs += [p for p in load_article(path).text.split("\n\n") if p.strip()]
    target = int(megabytes * 1_000_000)
    out, size, i = [], 0, 0
    while size < target:
        paragraph = paragraphs[i % len(paragraphs)]
        out.append(paragraph)
        size += len(paragraph) + 2
        i += 1
    return "\n\n".join(out)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(megabytes: float, model: str | None) -> None:
    from tui.core.analysis.pipeline import analyze_text, load_pipeline

    text = _article(megabytes)
    nlp, info = load_pipeline(model)
    analyze_text("Warm up. “Hello,” she said.", nlp, info)
    loaded = _peak_mb()
    started = time.perf_counter()
    result = analyze_text(text, nlp, info)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "mb": megabytes,
                "chars": len(text),
                "model": info.description,
                "peak_after_load_mb": round(loaded),
                "peak_after_analysis_mb": round(_peak_mb()),
                "seconds": round(seconds, 1),
                "sentences": len(result.sentences),
                "entities": len(result.entities),
                "quotes": len(result.quotes),
            }
        )
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[1, 5, 20])
    parser.add_argument("--model", default=None)
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.model)
        return 0
    print(f"{'MB':>5} {'chars':>11} {'RSS after load':>15} {'peak RSS':>9} {'seconds':>8}  sentences / entities / quotes")
    for mb in args.mb:
        cmd = [sys.executable, __file__, "--child", str(mb)] + (["--model", args.model] if args.model else [])
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{mb:>5} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{mb:>5} {row['chars']:>11,} {row['peak_after_load_mb']:>12} MB {row['peak_after_analysis_mb']:>6} MB "
            f"{row['seconds']:>8}  {row['sentences']} / {row['entities']} / {row['quotes']}   ({row['model']})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
