"""Fit the per-quote speaker confidence (tui/core/analysis/speaker_confidence.py) on TUNING parts only.

    .venv/bin/python bench/train_speaker_confidence.py --data /tmp/polnear --doc-cache /tmp/mq/cache \
        [--ggt DIR --ggt-cache DIR] [--folds 5] [--write]

For every speech piece Margin finds that matches a gold quote (overlap >= 0.8, as the benches
score) and that the rules gave a speaker, the facts of speaker_confidence.quote_features are
taken and the speaker is labelled right or wrong with bench/polnear.py's speaker test. Data:
PolNeAR's tuning part, and with --ggt the Gender Gap Tracker's tuning part too (its annotators
resolve "the mayor" to the mayor's name, as our labelling rules do). A logistic regression with
a small L2 penalty is fitted by plain numpy gradient descent. Printed for the fixed method
confidences and for the model, cross-validated over articles: AUC (how often a right speaker gets
a higher confidence than a wrong one), Brier score, expected calibration error, and what the
reader's flag (confidence below LOW_CONFIDENCE) catches. --write writes the model fitted on all of
it to speaker_confidence.json. The scoring parts are never read here.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import polnear  # noqa: E402
from quotes_eval import match  # noqa: E402

from tui.core.analysis import speaker_confidence, speaker_ranker  # noqa: E402
from tui.core.analysis.quote_attribution import METHOD_CONFIDENCE  # noqa: E402
from tui.core.analysis.result import LOW_CONFIDENCE  # noqa: E402
from tui.core.text import plain_spaces  # noqa: E402

L2 = 0.001
FOLD_SEED = 11


def parsed_docs(corpus: dict, stems: list[str], cache: Path):
    """(stem, Doc, gold) with spaCy's parse read from (or written to) the benches' doc cache."""
    from spacy.tokens import DocBin

    from tui.core.analysis.pipeline import CHUNK_CHARS, load_pipeline

    nlp, info = load_pipeline(None)
    for stem in stems:
        text, gold = corpus[stem]
        if len(text) > CHUNK_CHARS:
            continue
        plain = plain_spaces(text)
        path = polnear.doc_cache_path(cache, stem, plain, nlp, info)
        if path.exists():
            doc = next(iter(DocBin().from_disk(path).get_docs(nlp.vocab)))
        else:
            with nlp.select_pipes(disable=[p for p in polnear.MARGIN_PIPES if p in nlp.pipe_names]):
                doc = nlp(plain)
            path.parent.mkdir(parents=True, exist_ok=True)
            DocBin(docs=[doc]).to_disk(path)
        yield stem, nlp.get_pipe("margin_entities")(doc), gold


def collect(docs) -> list[dict]:
    """One record per matched speech piece with a speaker: article, features, right or wrong, method."""
    from tui.core.analysis.quotes import QuoteDocument

    os.environ["MARGIN_SPEAKER_CONFIDENCE"] = "0"  # features from the rules' own output, as at inference
    os.environ["MARGIN_SPEAKER_RANKER"] = "0"
    ranker_weights = speaker_ranker.load_weights()
    assert ranker_weights is not None, "the speaker ranker's weights file is missing"
    records = []
    for stem, doc, gold in docs:
        qd = QuoteDocument(doc)
        qd.run()
        speech = [k for k, a in enumerate(qd.attributions) if a.is_speech]
        pred = [{"start": qd.pieces[k].start, "end": qd.pieces[k].end} for k in speech]
        spans = [(q["start"], q["end"], q) for q in gold["quotes"]]
        for i, j in match(pred, spans, 0.8):
            k = speech[i]
            x = speaker_confidence.quote_features(qd, k, ranker_weights)
            if x is None:
                continue
            attribution = qd.attributions[k]
            records.append(
                {
                    "stem": stem,
                    "x": x,
                    "y": float(polnear.speaker_ok(attribution.canonical, spans[j][2])),
                    "fixed": METHOD_CONFIDENCE.get(attribution.method, 0.5),
                }
            )
    return records


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 4000, lr: float = 0.2) -> np.ndarray:
    """Logistic regression by full-batch gradient descent (the bias is penalised too; it hardly matters)."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w -= lr * (x.T @ (p - y) / len(y) + 2 * l2 * w)
    return w


def describe(name: str, scores: np.ndarray, right: np.ndarray) -> str:
    """One line: how well `scores` tell right speakers from wrong ones (polnear.print_confidence's figures)."""
    flagged = scores < LOW_CONFIDENCE
    wrong = right == 0
    share = f"{1 - right[flagged].mean():.2f}" if flagged.any() else "-"
    return (
        f"{name:<22} AUC {polnear.auc(list(scores), list(right)):.3f}  Brier {((scores - right) ** 2).mean():.4f}  "
        f"ECE {polnear.calibration_error(list(scores), list(right)):.3f}  flagged {int(flagged.sum())} ({share} of them wrong; "
        f"{int((flagged & wrong).sum())} of {int(wrong.sum())} errors)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a local copy of PolNeAR")
    parser.add_argument("--doc-cache", type=Path, required=True)
    parser.add_argument("--ggt", type=Path, help="the Gender Gap Tracker data folder (bench/ggt.py --data)")
    parser.add_argument("--ggt-cache", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write the model fitted on all the data")
    args = parser.parse_args(argv)

    corpus = polnear.load_corpus(polnear.train_dir(args.data))
    polnear.apply_corrections(corpus, json.loads(polnear.CORRECTIONS.read_text(encoding="utf-8"))["corrections"])
    records = collect(parsed_docs(corpus, [s for s in sorted(corpus) if s in polnear.split("tune")], args.doc_cache))
    sources = ["PolNeAR train split, tuning part (bench/polnear_splits/tune.txt)"]
    if args.ggt is not None:
        import ggt

        ggt_corpus, _ = ggt.load_corpus(args.ggt)
        records += collect(parsed_docs(ggt_corpus, ggt.parts(ggt_corpus)["tune"], args.ggt_cache or args.doc_cache))
        sources.append("Gender Gap Tracker annotations, tuning part (bench/ggt.py)")

    x = np.stack([r["x"] for r in records])
    y = np.array([r["y"] for r in records])
    fixed = np.array([r["fixed"] for r in records])
    print(f"{len(records)} speakers named by the rules; {y.mean():.3f} right")
    stems = sorted({r["stem"] for r in records})
    random.Random(FOLD_SEED).shuffle(stems)
    fold_of = {stem: i % args.folds for i, stem in enumerate(stems)}
    folds = np.array([fold_of[r["stem"]] for r in records])
    held_out = np.zeros(len(records))
    for f in range(args.folds):
        w = fit(x[folds != f], y[folds != f])
        held_out[folds == f] = 1.0 / (1.0 + np.exp(-(x[folds == f] @ w)))
    print(describe("fixed per method", fixed, y))
    print(describe(f"model ({args.folds}-fold CV)", held_out, y))
    if args.write:
        w = fit(x, y)
        out = {
            "model": "logistic regression: is the rules' speaker right? (bench/train_speaker_confidence.py)",
            "trained_on": sources,
            "l2": L2,
            "quotes": len(records),
            "weights": {name: round(float(v), 5) for name, v in zip(speaker_confidence.FEATURES, w)},
        }
        speaker_confidence.WEIGHTS.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(describe("model (fitted on all)", 1.0 / (1.0 + np.exp(-(x @ w))), y))
        print(f"wrote {speaker_confidence.WEIGHTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
