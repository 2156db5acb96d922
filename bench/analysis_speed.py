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
pass is compared, on the wall clock and in CPU time. Margin's run and raw spaCy's run of the same
text (article) or group of texts (library) are timed one right after the other, alternating which
goes first, so a shared machine that slows down for a while slows both alike (whole passes timed
apart swung ±15 % here). Overhead = Margin time / raw time - 1.

A third figure, "components", times each pipe of the same pipeline on each text, one right after
the other: spaCy's own components (tokenizer, tok2vec, tagger, parser, …) against Margin's
(paragraph starts, entity clean-up, quote finder) plus the conversion to result records. Timing
them inside one document's run leaves no room for the machine's drift between the two sides,
so this share is the steadiest of the three (the two above swung between +12 % and +18 % from
one run to the next on this machine).

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


Clock = Callable[[], float]


def paired(units: list[tuple[Callable[[], object], Callable[[], object]]], repeat: int) -> dict[str, tuple[float, float]]:
    """Total (Margin, raw) seconds per pass, on the wall clock and in CPU time, for `repeat` passes
    over `units` (each a Margin run and the raw run of the same texts, timed one right after the
    other, so a machine that slows down mid-pass slows both): the pass with the lowest total of
    each clock (after one warm-up pass)."""
    clocks: dict[str, Clock] = {"wall": time.perf_counter, "cpu": time.process_time}
    best: dict[str, tuple[float, float]] = {}
    for n in range(repeat + 1):
        totals = {name: [0.0, 0.0] for name in clocks}
        for margin_run, raw_run in units:
            for side, run in ((0, margin_run), (1, raw_run)) if n % 2 else ((1, raw_run), (0, margin_run)):
                before = {name: clock() for name, clock in clocks.items()}
                run()
                for name, clock in clocks.items():
                    totals[name][side] += clock() - before[name]
        if n == 0:
            continue  # warm-up
        for name, (m, r) in totals.items():
            if name not in best or m + r < sum(best[name]):
                best[name] = (m, r)
    return best


def raw_batches(raw, texts: list[str]) -> list[list[str]]:
    """The very batches `analyze_texts` makes (by characters, long texts in paragraph-aligned
    chunks), for raw `nlp.pipe`: the same batching on both sides."""
    from tui.core.analysis.pipeline import CHUNK_CHARS, _chunks, batches_by_chars

    raw.max_length = max(raw.max_length, CHUNK_CHARS + 10)
    pieces = [(index, offset, piece) for index, text in enumerate(texts) for offset, piece in _chunks(text, CHUNK_CHARS)]
    return [[piece for _, _, piece in batch] for batch in batches_by_chars(pieces)]


def component_share(nlp, texts: list[str], repeat: int) -> tuple[float, float, dict[str, float]]:
    """(spaCy's seconds, Margin's seconds, seconds per Margin step) of the best of `repeat`
    passes, each text run pipe by pipe with every step timed on the CPU clock."""
    from tui.core.analysis.entities import entities_from_doc
    from tui.core.analysis.pipeline import CHUNK_CHARS, _chunks, plain_spaces
    from tui.core.analysis.quote_store import quotes_from_doc

    pieces = [plain_spaces(piece) for text in texts for _, piece in _chunks(text, CHUNK_CHARS)]  # as analyze_texts cuts them
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS + 10)
    best: tuple[float, float, dict[str, float]] | None = None
    for n in range(repeat + 1):
        steps: dict[str, float] = {}
        spacy_s = margin_s = 0.0
        for piece in pieces:
            t = time.process_time()
            doc = nlp.make_doc(piece)
            spacy_s += time.process_time() - t
            for name, pipe in nlp.pipeline:
                t = time.process_time()
                doc = pipe(doc)
                took = time.process_time() - t
                if name.startswith("margin_"):
                    margin_s += took
                    steps[name] = steps.get(name, 0.0) + took
                else:
                    spacy_s += took
            t = time.process_time()
            entities_from_doc(doc)
            quotes_from_doc(doc)
            list(doc.sents)
            took = time.process_time() - t
            margin_s += took
            steps["result records"] = steps.get("result records", 0.0) + took
        if n and (best is None or spacy_s + margin_s < best[0] + best[1]):
            best = (spacy_s, margin_s, steps)
    assert best is not None
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per side")
    parser.add_argument("--copies", type=int, default=4, help="each pass analyses the corpus this many times")
    parser.add_argument("--model", default=None)
    parser.add_argument("--only", choices=("library", "article", "components"), default=None, help="time one of the three only")
    args = parser.parse_args(argv)

    import spacy

    from tui.core.analysis.pipeline import BATCH_CHARS, analyze_text, analyze_texts, load_pipeline

    nlp, info = load_pipeline(args.model)
    if not info.is_trained:
        print("no trained pipeline installed: nothing to compare against")
        return 1
    raw = spacy.load(info.name)
    texts = load_texts(args.data) * args.copies
    words = sum(len(t.split()) for t in texts)
    # library: Margin analyses the texts in groups as a library run does; raw spaCy pipes the
    # same characters in the same batches (one group = the texts of about one batch)
    groups: list[list[str]] = []
    for text in texts:
        if not groups or sum(map(len, groups[-1])) + len(text) > BATCH_CHARS:
            groups.append([])
        groups[-1].append(text)

    def library_unit(group: list[str]):
        batches = raw_batches(raw, group)
        return (lambda: analyze_texts(group, nlp, info), lambda: [list(raw.pipe(b, batch_size=len(b))) for b in batches])

    ways = {
        "library": [library_unit(group) for group in groups],
        "article": [((lambda t=t: analyze_text(t, nlp, info)), (lambda t=t: raw(t))) for t in texts],
    }
    print(f"pipeline: {info.description}; {len(texts)} texts, {words} words per pass, best of {args.repeat}")
    print(f"{'':<9}{'clock':<6}{'raw s':>8}{'Margin s':>10}{'raw w/s':>10}{'Margin w/s':>12}{'overhead':>10}")
    for way, units in ways.items():
        if args.only and way != args.only:
            continue
        for clock, (m, r) in paired(units, args.repeat).items():
            print(f"{way:<9}{clock:<6}{r:>8.3f}{m:>10.3f}{words / r:>10.0f}{words / m:>12.0f}{100 * (m / r - 1):>+9.1f}%")
    if args.only in (None, "components"):
        spacy_s, margin_s, steps = component_share(nlp, texts, args.repeat)
        detail = ", ".join(f"{name} {seconds:.3f} s" for name, seconds in steps.items())
        print(f"components: spaCy {spacy_s:.3f} s, Margin {margin_s:.3f} s ({detail}): {100 * margin_s / spacy_s:+.1f}%")
    print("goal: overhead <= 10 %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
