"""Words per second: Margin's full analysis vs the raw spaCy pipeline, on the same texts.

    .venv/bin/python bench/analysis_speed.py [--data DIR] [--repeat N] [--model NAME]

"Margin" is `load_pipeline()` + `analyze_text()` per text (model, entity clean-up, quote
finder, conversion to result records). "raw" is `spacy.load()` of the same package and
`nlp.pipe()` over the same texts. Both are warmed up first; each is timed over `--repeat`
passes, alternating, and the best pass of each is compared. Overhead = Margin time / raw
time - 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "quotes-dev"
SEED = REPO / "sample_articles" / "000_f8b6809fbedddc50.txt"


def load_texts(data: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((data / "articles").glob("*.txt"))]
    return texts + [SEED.read_text(encoding="utf-8")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per side")
    parser.add_argument("--copies", type=int, default=4, help="each pass analyses the corpus this many times")
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)

    import spacy

    from tui.core.analysis.pipeline import analyze_text, load_pipeline

    nlp, info = load_pipeline(args.model)
    if not info.is_trained:
        print("no trained pipeline installed: nothing to compare against")
        return 1
    raw = spacy.load(info.name)
    texts = load_texts(args.data) * args.copies
    words = sum(len(t.split()) for t in texts)

    def run_margin() -> float:
        t0 = time.perf_counter()
        for text in texts:
            analyze_text(text, nlp, info)
        return time.perf_counter() - t0

    def run_raw() -> float:
        t0 = time.perf_counter()
        for _ in raw.pipe(texts):
            pass
        return time.perf_counter() - t0

    run_margin(), run_raw()  # warm-up
    margin_times, raw_times = [], []
    for _ in range(args.repeat):
        margin_times.append(run_margin())
        raw_times.append(run_raw())
    m, r = min(margin_times), min(raw_times)
    print(f"pipeline: {info.description}; {len(texts)} texts, {words} words per pass, best of {args.repeat}")
    print(f"{'':<8}{'seconds':>10}{'words/s':>12}")
    print(f"{'raw':<8}{r:>10.3f}{words / r:>12.0f}")
    print(f"{'Margin':<8}{m:>10.3f}{words / m:>12.0f}")
    print(f"overhead: {100 * (m / r - 1):+.1f} %  (goal: <= 10 %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
