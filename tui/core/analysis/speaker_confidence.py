"""How likely each quote's speaker is right: a confidence per quote, not per method.

The rules name a speaker and say how they found it (`Attribution.method`). A method alone is a
poor guide to a single quote: most "he said" quotes are easy, a few (two men in the passage, a
he after a paragraph about someone else) are coin flips. `calibrate` gives every speaker the
rules named a probability of being right, from a small logistic model over a few facts about
that quote: the method, how strongly the speaker ranker (speaker_ranker.py) prefers the rules'
pick over the other candidates, and whether the pick agrees in gender with a he/she, is the
previous quote's speaker or the name right after the quote; and of the quote itself: whether it
has a reporting verb of its own, opens its paragraph, or is a short phrase.

The model is read from speaker_confidence.json, fitted by bench/train_speaker_confidence.py on
the tuning parts of PolNeAR and of the Gender Gap Tracker corpus only (the scoring parts are
used to measure it: `--errors` in bench/polnear.py and bench/ggt.py prints how well confidence
separates right from wrong speakers). The reader shows a speaker below
result.LOW_CONFIDENCE as uncertain. It runs on parsed documents with both weight files at
hand; otherwise (rules-only mode, no file, MARGIN_SPEAKER_CONFIDENCE=0) the method's fixed
confidence (quote_attribution.METHOD_CONFIDENCE) stays. Pure numpy, deterministic.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tui.core.analysis import speaker_ranker
from tui.core.analysis.quote_attribution import METHOD_CONFIDENCE, speaker_problem

if TYPE_CHECKING:
    from tui.core.analysis.quote_document import QuoteDocument

WEIGHTS = Path(__file__).with_name("speaker_confidence.json")
ENABLED = True

FEATURES = (
    "bias",
    *(f"method={m}" for m in METHOD_CONFIDENCE),
    "pick_logit",  # log-odds of the ranker's probability for the rules' pick
    "rival_log",  # log of the best other candidate's probability
    "gender_clashes",  # the pick's known gender differs from the he/she
    "gender_agrees",
    "prev_speaker",  # the pick spoke the quote before
    "name_after",  # the pick is the first name after the quote in its paragraph
    "many_candidates",  # more than two people or bodies could have said it
    "no_cue",  # no reporting verb of its own: the speaker was carried over
    "opens_paragraph",  # the quote opens its paragraph ("“…,” she said." is the usual form)
    "short_quote",  # six words or fewer: often a phrase woven into a sentence
)
INDEX = {name: i for i, name in enumerate(FEATURES)}
FLOOR = 1e-4  # probabilities are clipped here before taking logs


def enabled() -> bool:
    """Whether confidences are per quote (ENABLED, or MARGIN_SPEAKER_CONFIDENCE=0/1)."""
    return speaker_ranker.switched_on("MARGIN_SPEAKER_CONFIDENCE", ENABLED)


@lru_cache(maxsize=1)
def load_weights(path: str = str(WEIGHTS)) -> np.ndarray | None:
    """The coefficients in FEATURES order (missing names: 0), or None without a readable file."""
    return speaker_ranker.read_weights(path, INDEX)


def quote_features(qd: QuoteDocument, k: int, ranker_weights: np.ndarray) -> np.ndarray | None:
    """The facts about speech piece k's speaker (as the rules named it) in FEATURES order, or None
    when the rules named no valid speaker."""
    attribution = qd.attributions[k]
    if not attribution.canonical or speaker_problem(attribution.canonical) is not None:
        return None
    candidates = [
        c for c in speaker_ranker.speaker_candidates(qd, k) if c.canonical is None or speaker_problem(c.canonical) is None
    ]
    pick = next((i for i, c in enumerate(candidates) if c.features.get("rules_pick")), None)
    if pick is None:
        return None
    probs = speaker_ranker.softmax_scores(candidates, ranker_weights)
    p = min(max(float(probs[pick]), FLOOR), 1 - FLOOR)
    rival = max((float(q) for i, q in enumerate(probs) if i != pick), default=0.0)
    chosen = candidates[pick].features
    x = np.zeros(len(FEATURES))
    x[INDEX["bias"]] = 1.0
    if attribution.method in METHOD_CONFIDENCE:
        x[INDEX[f"method={attribution.method}"]] = 1.0
    x[INDEX["pick_logit"]] = math.log(p / (1 - p))
    x[INDEX["rival_log"]] = math.log(max(rival, FLOOR))
    for name in ("gender_clashes", "gender_agrees", "prev_speaker", "name_after"):
        x[INDEX[name]] = float(bool(chosen.get(name)))
    x[INDEX["many_candidates"]] = float(len(candidates) > 3)
    piece = qd.pieces[k]
    x[INDEX["no_cue"]] = float(attribution.cue is None)
    x[INDEX["opens_paragraph"]] = float(not qd.index.text[qd.index.paragraphs[piece.paragraph][0] : piece.outer_start].strip())
    x[INDEX["short_quote"]] = float(len(qd.index.text[piece.start : piece.end].split()) <= 6)
    return x


def probability(x: np.ndarray, weights: np.ndarray) -> float:
    """The logistic model's probability that the speaker is right."""
    return 1.0 / (1.0 + math.exp(-float(x @ weights)))


def calibrate(qd: QuoteDocument) -> None:
    """Give every speaker the rules named in `qd` its own confidence (see the module docstring).
    Runs on the rules' output, before the ranker fills the quotes they left without a speaker."""
    weights, ranker_weights = load_weights(), speaker_ranker.load_weights()
    if weights is None or ranker_weights is None or not qd.doc.has_annotation("DEP"):
        return
    decided = []
    for k, attribution in enumerate(qd.attributions):  # features from the rules' output only: no knock-on
        if attribution.is_speech:
            x = quote_features(qd, k, ranker_weights)
            if x is not None:
                decided.append((attribution, round(probability(x, weights), 3)))
    for attribution, confidence in decided:
        attribution.confidence = confidence
