"""Train the speaker ranker (tui/core/analysis/speaker_ranker.py) on PolNeAR's TUNING part only.

    .venv/bin/python bench/train_speaker_ranker.py --data /tmp/polnear --doc-cache /tmp/mq/cache [--folds 5] [--write]

For every speech piece Margin finds that matches a gold quote (overlap >= 0.8, as bench/polnear.py
scores), the candidates of `speaker_candidates` are labelled right or wrong with bench/polnear.py's
own speaker test (against the corrected gold). A conditional logit (softmax over one quote's
candidates, L2 penalty; plain numpy gradient descent, no other dependency) is fitted. The L2
strength is chosen by cross-validation over articles inside the tuning part (fixed folds), and
the cross-validated accuracy of the ranker and of the rules on the same quotes is printed. With
--write the model fitted on the whole tuning part is written to speaker_ranker.json (feature
names and coefficients). The scoring part is never read here.

The model is fitted on every matched quote, but the analysis applies it only where the rules left
no valid speaker (speaker_ranker.rerank): fitted this way it never overrode a named speaker on
the tuning part, so the accuracies printed are for that use.
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

from tui.core.analysis import speaker_ranker  # noqa: E402
from tui.core.analysis.quotes import speaker_problem  # noqa: E402

LAMBDAS = (0.003, 0.01, 0.03, 0.1)
FOLD_SEED = 11
RULES_PICK = speaker_ranker.INDEX["rules_pick"]


def tune_docs(data: Path, cache: Path):
    """(stem, Doc, gold) for the tuning part, from the doc cache bench/polnear.py makes."""
    from train_speaker_confidence import parsed_docs

    corpus = polnear.load_corpus(polnear.train_dir(data))
    polnear.apply_corrections(corpus, json.loads(polnear.CORRECTIONS.read_text(encoding="utf-8"))["corrections"])
    yield from parsed_docs(corpus, [s for s in corpus if s in polnear.split("tune")], cache)


def collect(data: Path, cache: Path) -> list[dict]:
    """One record per matched speech piece: article, candidate matrix, labels, the rules' choice."""
    records: list[dict] = []
    seen: list = []

    def grab(qd) -> None:
        seen.append(qd)

    os.environ["MARGIN_SPEAKER_RANKER"] = "1"
    os.environ["MARGIN_SPEAKER_CONFIDENCE"] = "0"  # the rules' own confidences, as the ranker was trained on
    original = speaker_ranker.rerank
    speaker_ranker.rerank = grab  # type: ignore[assignment]
    try:
        from tui.core.analysis.quotes import QuoteDocument

        for stem, doc, gold in tune_docs(data, cache):
            seen.clear()
            qd = QuoteDocument(doc)
            qd.run()
            if not seen:
                continue
            speech = [k for k, a in enumerate(qd.attributions) if a.is_speech]
            cands = {k: speaker_ranker.speaker_candidates(qd, k) for k in speech}
            pred = [{"start": qd.pieces[k].start, "end": qd.pieces[k].end} for k in speech]
            spans = [(q["start"], q["end"], q) for q in gold["quotes"]]
            for i, j in match(pred, spans, 0.8):
                k = speech[i]
                cs = [c for c in cands[k] if c.canonical is None or speaker_problem(c.canonical) is None]
                labels = [polnear.speaker_ok(c.canonical, spans[j][2]) for c in cs]
                rules = next((n for n, c in enumerate(cs) if c.features.get("rules_pick")), 0)
                records.append(
                    {
                        "stem": stem,
                        "x": np.stack([c.vector() for c in cs]),
                        "y": np.array(labels, dtype=float),
                        "rules": rules,
                    }
                )
    finally:
        speaker_ranker.rerank = original  # type: ignore[assignment]
    return records


def _stack(records: list[dict]):
    usable = [r for r in records if r["y"].any() and len(r["y"]) > 1]
    x = np.concatenate([r["x"] for r in usable])
    y = np.concatenate([r["y"] for r in usable])
    starts = np.cumsum([0] + [len(r["y"]) for r in usable])[:-1]
    group = np.repeat(np.arange(len(usable)), [len(r["y"]) for r in usable])
    return x, y, starts, group, len(usable)


def fit(records: list[dict], lam: float, steps: int = 300, lr: float = 0.05) -> np.ndarray:
    """Conditional logit: maximise the log of the right candidates' total probability per quote,
    minus lam·|w|², by Adam steps over the whole set (vectorised by quote groups)."""
    x, y, starts, group, n = _stack(records)
    w = np.zeros(x.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        z = x @ w
        z = z - np.maximum.reduceat(z, starts)[group]
        e = np.exp(z)
        p = e / np.add.reduceat(e, starts)[group]
        q = p * y
        q = q / np.add.reduceat(q, starts)[group]  # posterior over the right candidates
        grad = 2 * lam * w - x.T @ (q - p) / n
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w = w - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def accuracy(records: list[dict], w: np.ndarray | None) -> float:
    """Share of records whose chosen candidate is right (w None: the rules' choice). As at
    inference, the model only decides where the rules named no valid speaker (rules index 0)."""
    if not records:
        return 0.0
    right = 0
    for r in records:
        if w is None or r["rules"] != 0:
            best = r["rules"]
        else:
            z = r["x"] @ w
            best = max(range(len(z)), key=lambda i: (round(float(z[i]), 9), r["x"][i, RULES_PICK], -i))
        right += bool(r["y"][best])
    return right / len(records)


def folds(records: list[dict], k: int) -> list[set[str]]:
    stems = sorted({r["stem"] for r in records})
    random.Random(FOLD_SEED).shuffle(stems)
    return [set(stems[i::k]) for i in range(k)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--doc-cache", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write the model fitted on the whole tuning part")
    args = parser.parse_args(argv)
    records = collect(args.data, args.doc_cache)
    oracle = sum(bool(r["y"].any()) for r in records) / max(1, len(records))
    print(f"tune: {len(records)} matched speech pieces; rules {accuracy(records, None):.3f}; oracle over candidates {oracle:.3f}")
    parts = folds(records, args.folds)
    best = (-1.0, LAMBDAS[0])
    for lam in LAMBDAS:
        hits = 0
        for held in parts:
            train = [r for r in records if r["stem"] not in held]
            test = [r for r in records if r["stem"] in held]
            hits += accuracy(test, fit(train, lam)) * len(test)
        acc = hits / len(records)
        print(f"  L2 {lam:<6} cross-validated accuracy {acc:.3f}")
        best = max(best, (acc, lam))
    print(f"best L2 {best[1]}: CV {best[0]:.3f} against rules {accuracy(records, None):.3f}")
    if args.write:
        w = fit(records, best[1])
        weights = {name: round(float(v), 5) for name, v in zip(speaker_ranker.FEATURES, w)}
        out = {
            "model": "conditional logit over speaker candidates (bench/train_speaker_ranker.py)",
            "trained_on": "PolNeAR train split, tuning part (bench/polnear_splits/tune.txt)",
            "l2": best[1],
            "cv_accuracy": round(best[0], 4),
            "rules_accuracy": round(accuracy(records, None), 4),
            "weights": weights,
        }
        speaker_ranker.WEIGHTS.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {speaker_ranker.WEIGHTS}; training accuracy {accuracy(records, w):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
