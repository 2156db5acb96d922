"""Words per second: Margin's full analysis vs the raw spaCy pipeline, on the same texts.

    .venv/bin/python bench/analysis_speed.py [--data DIR] [--repeat N] [--copies N] [--model NAME]

Two ways Margin analyses, each against raw spaCy doing the same amount of batching:

- library: `analyze_texts(texts)` (what `Analyzer.analyze_many` runs to pre-analyse a library:
  texts batched by characters through `nlp.pipe`) against raw `nlp.pipe` over the same batches;
- article: `analyze_text(text)` per text (what the reader runs on the article it opens) against
  raw `nlp(text)` per text.

"Margin" is the pipeline of `load_pipeline()` (the model plus paragraph starts, entity clean-up
and the quote finder) and the conversion to result records; "raw" is `spacy.load()` of the same
package. Both are warmed up first; each is timed over `--repeat` passes, alternating, and the best
pass of each is compared. Overhead = Margin time / raw time - 1.

Real news for `--data`: `bench/polnear.py --data PATH --part score --dump DIR` writes PolNeAR
train articles in the quotes-dev layout (keep DIR outside the repository); then
`--data DIR --copies 1`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "quotes-dev"
SEED = REPO / "sample_articles" / "000_f8b6809fbedddc50.txt"


def load_texts(data: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((data / "articles").glob("*.txt"))]
    return texts + [SEED.read_text(encoding="utf-8")]


def best_of(repeat: int, margin: Callable[[], object], raw: Callable[[], object]) -> tuple[float, float]:
    """Best time of `repeat` alternating passes of each (after one warm-up pass of each)."""

    def timed(run: Callable[[], object]) -> float:
        t0 = time.perf_counter()
        run()
        return time.perf_counter() - t0

    margin(), raw()
    margin_times, raw_times = [], []
    for _ in range(repeat):
        margin_times.append(timed(margin))
        raw_times.append(timed(raw))
    return min(margin_times), min(raw_times)


def raw_in_batches(raw, texts: list[str]) -> None:
    """Raw `nlp.pipe` over the very batches `analyze_texts` makes (by characters, long texts in
    paragraph-aligned chunks): the same batching on both sides."""
    from tui.core.analysis.pipeline import CHUNK_CHARS, _chunks, batches_by_chars

    raw.max_length = max(raw.max_length, CHUNK_CHARS + 10)
    pieces = [(index, offset, piece) for index, text in enumerate(texts) for offset, piece in _chunks(text, CHUNK_CHARS)]
    for batch in batches_by_chars(pieces):
        for _ in raw.pipe([piece for _, _, piece in batch], batch_size=len(batch)):
            pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per side")
    parser.add_argument("--copies", type=int, default=4, help="each pass analyses the corpus this many times")
    parser.add_argument("--model", default=None)
    parser.add_argument("--only", choices=("library", "article"), default=None, help="time one of the two ways only")
    args = parser.parse_args(argv)

    import spacy

    from tui.core.analysis.pipeline import analyze_text, analyze_texts, load_pipeline

    nlp, info = load_pipeline(args.model)
    if not info.is_trained:
        print("no trained pipeline installed: nothing to compare against")
        return 1
    raw = spacy.load(info.name)
    texts = load_texts(args.data) * args.copies
    words = sum(len(t.split()) for t in texts)
    ways = {
        "library": (lambda: analyze_texts(texts, nlp, info), lambda: raw_in_batches(raw, texts)),
        "article": (lambda: [analyze_text(t, nlp, info) for t in texts], lambda: [raw(t) for t in texts]),
    }
    print(f"pipeline: {info.description}; {len(texts)} texts, {words} words per pass, best of {args.repeat}")
    print(f"{'':<9}{'raw s':>8}{'Margin s':>10}{'raw w/s':>10}{'Margin w/s':>12}{'overhead':>10}")
    for way, (margin_run, raw_run) in ways.items():
        if args.only and way != args.only:
            continue
        m, r = best_of(args.repeat, margin_run, raw_run)
        print(f"{way:<9}{r:>8.3f}{m:>10.3f}{words / r:>10.0f}{words / m:>12.0f}{100 * (m / r - 1):>+9.1f}%")
    print("goal: overhead <= 10 %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
