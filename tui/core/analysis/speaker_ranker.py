"""A learned ranker over speaker candidates, correcting the rules' choice of a quote's speaker.

After the rules have named a speaker for every speech piece (QuoteDocument.resolve_speakers),
`speaker_candidates` gathers the people and bodies that could have said piece k: the rules' own
pick, the speakers of the previous quotes, the subjects of earlier reporting verbs, the names
and he/she chains a pronoun could stand for (DocIndex._pronoun_candidates), the names right
after the quote, and "nobody". Each candidate gets a few numeric features (FEATURES); the rules'
pick is itself a feature, so the ranker can only learn where the rules tend to be wrong.

`rerank` scores the candidates with a linear model (a conditional logit: softmax over one
quote's candidates) read from speaker_ranker.json, trained by bench/train_speaker_ranker.py on
the PolNeAR tuning part only. Trained on every quote, the model never overrode a speaker the
rules named on the tuning part: all its changes were quotes the rules left without a valid
speaker. So at inference it runs only on those (which also keeps it cheap): the winner becomes
the speaker with method "ranker" and its probability as the confidence (the reader shows it as
uncertain below LOW_CONFIDENCE); "nobody" winning leaves the rules' unknown and its reason. Pure numpy,
deterministic (ties go to the rules' pick, then to the earlier candidate).

The switch is `ENABLED` (overridden by the environment variable MARGIN_SPEAKER_RANKER=0/1 for
the benches). The ranker only runs on parsed documents (it was trained on them); the rules-only
mode is untouched.
"""

from __future__ import annotations

import json
import math
import os
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tui.core.analysis.given_names import given_name_gender

if TYPE_CHECKING:
    from tui.core.analysis.quote_document import QuoteDocument
    from tui.core.analysis.quote_pronouns import PronounCandidate

WEIGHTS = Path(__file__).with_name("speaker_ranker.json")
ENABLED = True  # the default switch (see the module docstring); shipped: it beat the rules on the scoring part

METHODS = (
    "cue subject",
    "cue description",
    "according to",
    "pronoun → name",
    "split quote",
    "continuation",
    "previous cue",
    "previous speaker",
)

BASE = (
    "bias_real",  # 1 for a named candidate, 0 for "nobody"
    "is_null",
    "rules_pick",
    *(f"rules_pick&{m}" for m in METHODS),
    "rules_pick&confidence",
    "null&rules_has_cue",
    "null&rules_none",
    "prev_speaker",
    "prev_speaker&same_par",
    "prev_speaker&rules_pronoun",
    "prev2_speaker",
    "cue_speaker",
    "event_subject",
    "latest_event",
    "subject_mention",
    "chain_referent",
    "name_after",
    "name_after_same_sentence",
    "person",
    "org",
    "in_same_par",
    "par_dist1",
    "par_dist2plus",
    "recency_rank0",
    "recency_rank1",
    "log_chars",
    "log_mentions",
    "log_speaker_count",
    "gender_agrees",
    "gender_clashes",
    "rules_pronoun&latest_event",
    "rules_pronoun&subject_mention",
    "opens_par&prev_speaker",
    "no_cue&latest_event",
    "after_prep_only",
    "latest_subject_person",
    "latest_person",
    "latest_agreeing_subject",
    "person_rank_log",
    "prev_speaker&no_rival",
    "rules_pick&gender_clashes",
    "rules_pick&rules_pronoun",
    "rules_pick&no_cue",
    "cand_gender_known",
    "rules_pick&prev_speaker",
    "rules_pick&latest_event",
    "name_gender_agrees",
    "name_gender_clashes",
    "sent_dist0",
    "sent_dist1",
    "sent_dist2plus",
    "rules_pick&sent_dist2plus",
    "prev_speaker&sent_dist2plus",
)
# every base feature also crossed with "this is the rules' pick" and with the method the rules
# used for the quote: a linear model over these learns where each rule tends to be wrong
METHOD_KEYS = (*METHODS, "none")
FEATURES = (
    *BASE,
    *(f"rp*{b}" for b in BASE),
    *(f"{m}*{b}" for m in METHOD_KEYS for b in BASE),
)
INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass
class Candidate:
    """One possible speaker of a quote: canonical name (None: nobody), where a mention of it is, and its features."""

    canonical: str | None
    chars: tuple[int, int] | None = None
    features: dict[str, float] = field(default_factory=dict)

    def vector(self) -> np.ndarray:
        """The features as a vector in FEATURES order."""
        out = np.zeros(len(FEATURES))
        for name, value in self.features.items():
            out[INDEX[name]] = value
        return out


def switched_on(variable: str, default: bool) -> bool:
    """An on/off switch read from the environment variable (0/false/no or empty: off), else `default`."""
    flag = os.environ.get(variable)
    if flag is not None:
        return flag.strip() not in ("", "0", "false", "no")
    return default


def read_weights(path: str, index: dict[str, int]) -> np.ndarray | None:
    """The "weights" of a JSON weights file as a vector in `index` order (missing names: 0), or None
    when the file is missing or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    weights = np.zeros(len(index))
    for name, value in data.get("weights", {}).items():
        if name in index:
            weights[index[name]] = float(value)
    return weights


def enabled() -> bool:
    """Whether the ranker overrides the rules (ENABLED, or MARGIN_SPEAKER_RANKER=0/1)."""
    return switched_on("MARGIN_SPEAKER_RANKER", ENABLED)


@lru_cache(maxsize=1)
def load_weights(path: str = str(WEIGHTS)) -> np.ndarray | None:
    """The coefficients from the weights file in FEATURES order (missing names: 0), or None without a file."""
    return read_weights(path, INDEX)


def _gender_word(text: str | None) -> str | None:
    word = (text or "").strip().lower()
    return {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}.get(word)


def _counts(qd: QuoteDocument) -> tuple[dict[str, int], dict[str, int]]:
    """How often each name is mentioned, and how often the rules made it a speaker (once per document)."""
    cached: tuple[dict[str, int], dict[str, int]] | None = getattr(qd, "_ranker_counts", None)  # set below, once per document
    if cached is not None:
        return cached
    mentions: dict[str, int] = {}
    for mention in qd.index.names:
        mentions[mention.text] = mentions.get(mention.text, 0) + 1
    spoken: dict[str, int] = {}
    for other in qd.attributions:
        if other.is_speech and other.canonical:
            spoken[other.canonical] = spoken.get(other.canonical, 0) + 1
    qd._ranker_counts = (mentions, spoken)  # type: ignore[attr-defined]
    return mentions, spoken


def _latest_first(candidates: list[PronounCandidate]) -> list[str]:
    """The candidates' names, the one mentioned last first (by each name's latest mention; two
    names last mentioned at the same place in the order they come among the candidates)."""
    latest: dict[str, int] = {}
    for c in candidates:
        latest[c[3]] = max(latest.get(c[3], c[1]), c[1])
    return sorted(latest, key=lambda name: -latest[name])


def speaker_candidates(qd: QuoteDocument, k: int) -> list[Candidate]:
    """The candidates for speech piece k of `qd` (after the rules ran), with their features; the first is "nobody"."""
    index, pieces, attributions = qd.index, qd.pieces, qd.attributions
    piece, attribution = pieces[k], attributions[k]
    pos = piece.outer_start
    paragraph = piece.paragraph
    by_name: dict[str, Candidate] = {}
    order: list[str] = []

    def add(name: str | None, chars: tuple[int, int] | None, features: dict[str, float]) -> None:
        if not name or not name.strip():
            return
        cand = by_name.get(name)
        if cand is None:
            cand = by_name[name] = Candidate(name, chars, {"bias_real": 1.0})
            order.append(name)
        elif cand.chars is None:
            cand.chars = chars
        for key, value in features.items():
            cand.features[key] = max(cand.features.get(key, 0.0), value)

    rules = attribution.canonical
    method = attribution.method
    pronoun_gender = _gender_word(attribution.speaker_text)
    rules_pronoun = (attribution.speaker_text or "").lower() in ("he", "she", "they", "it", "i", "we")
    if rules:
        feats = {"rules_pick": 1.0, "rules_pick&confidence": attribution.confidence}
        if method in METHODS:
            feats[f"rules_pick&{method}"] = 1.0
        add(rules, attribution.speaker_chars, feats)
    own_cue = qd.own[k][0] if k < len(qd.own) else None
    if own_cue is not None and own_cue.speaker is not None:
        a, b = index.chars(own_cue.speaker)
        if attribution.source == k and attribution.speaker_chars == (a, b) and attribution.method != "previous cue":
            add(rules, (a, b), {"cue_speaker": 1.0})  # the rules already resolved this very mention
        else:
            add(qd.canonical_speaker(a, b), (a, b), {"cue_speaker": 1.0})
    previous = [j for j in range(k - 1, -1, -1) if attributions[j].is_speech and attributions[j].canonical]
    if previous:
        j = previous[0]
        same = 1.0 if pieces[j].paragraph >= paragraph - 1 else 0.0
        add(
            attributions[j].canonical,
            attributions[j].speaker_chars,
            {"prev_speaker": 1.0, "prev_speaker&same_par": same, "prev_speaker&rules_pronoun": float(rules_pronoun)},
        )
        if len(previous) > 1:
            j2 = previous[1]
            add(attributions[j2].canonical, attributions[j2].speaker_chars, {"prev2_speaker": 1.0})
    raw, fallback = index._pronoun_candidates(pos, 3, "")
    genders: dict[str, str] = {}
    people = [c for c in raw if c[4] == "person"]
    latest_subject = max((c for c in people if c[2]), key=lambda c: c[1], default=None)
    latest_person = max(people, key=lambda c: c[1], default=None)
    person_recency = _latest_first(people)
    events = [c for c in raw if c[2] == 2]
    latest_event = max(events, key=lambda c: c[1])[3] if events else None
    recency = _latest_first(raw)
    for _sent, start, is_subject, canonical, kind, gender in raw:
        dist = paragraph - index.paragraph_of(start)
        feats = {
            "in_same_par": float(dist == 0),
            "par_dist1": float(dist == 1),
            "par_dist2plus": float(dist >= 2),
            "subject_mention": float(bool(is_subject)),
            "event_subject": float(is_subject == 2),
            "person": float(kind == "person"),
            "org": float(kind in ("org", "group")),
            "log_chars": -math.log1p(max(0, pos - start)) / 10.0,
        }
        if gender is not None and kind == "person" and start < pos and is_subject is True:
            feats["chain_referent"] = 1.0
        add(canonical, None, feats)
        if gender is not None:
            genders.setdefault(canonical, gender)
    if fallback:
        add(fallback, None, {"after_prep_only": 1.0, "person": 1.0})
    # names after the quote in its paragraph (an inverted or late cue: “…,” said Jane Doe)
    hi_p = index.paragraphs[paragraph][1]
    sentence = index.sentence_of(piece.outer_end) if piece.outer_end < len(index.text) else -1
    for mention in index.names[bisect_left(index.name_starts, piece.outer_end) :]:
        if mention.start >= hi_p:
            break
        if index.inside_quote(mention.start) or mention.label not in ("PERSON", "ORG"):
            continue
        add(
            mention.text,
            (mention.start, mention.end),
            {
                "name_after": 1.0,
                "name_after_same_sentence": float(index.sentence_of(mention.start) == sentence),
                "person": float(mention.label == "PERSON"),
                "org": float(mention.label == "ORG"),
            },
        )
        break
    mentions, spoken = _counts(qd)
    opens_par = not index.text[index.paragraphs[paragraph][0] : pos].strip()
    previous_end = pieces[previous[0]].outer_end if previous else 0
    quote_sentence = index.sentence_of(pos)
    last_sentence: dict[str, int] = {}
    for c in raw:
        last_sentence[c[3]] = max(last_sentence.get(c[3], -1), c[0])
    rivals = {
        m.text
        for m in index.names[bisect_left(index.name_starts, previous_end) : bisect_left(index.name_starts, pos)]
        if m.label == "PERSON" and not index.inside_quote(m.start)
    }

    def gender_of(name: str) -> str | None:
        return given_name_gender(name) or genders.get(name) or index.gender.get(name)

    agreeing = [c for c in people if c[2] and (pronoun_gender is None or gender_of(c[3]) in (None, pronoun_gender))]
    latest_agreeing = max(agreeing, key=lambda c: c[1])[3] if agreeing else None
    for name in order:
        cand = by_name[name]
        f = cand.features
        if latest_subject is not None and name == latest_subject[3]:
            f["latest_subject_person"] = 1.0
        if latest_person is not None and name == latest_person[3]:
            f["latest_person"] = 1.0
        if name == latest_agreeing:
            f["latest_agreeing_subject"] = 1.0
        if name in person_recency:
            f["person_rank_log"] = math.log1p(person_recency.index(name)) / 2.0
        if f.get("prev_speaker") and not (rivals - {name}):
            f["prev_speaker&no_rival"] = 1.0
        gender = gender_of(name)
        if gender is not None:
            f["cand_gender_known"] = 1.0
        if f.get("rules_pick"):
            if rules_pronoun:
                f["rules_pick&rules_pronoun"] = 1.0
            if attribution.cue is None:
                f["rules_pick&no_cue"] = 1.0
            if f.get("prev_speaker"):
                f["rules_pick&prev_speaker"] = 1.0
            if name == latest_event:
                f["rules_pick&latest_event"] = 1.0
        f["log_mentions"] = math.log1p(mentions.get(name, 0)) / 3.0
        f["log_speaker_count"] = math.log1p(max(0, spoken.get(name, 0) - (1 if name == rules else 0))) / 3.0
        if name == latest_event:
            f["latest_event"] = 1.0
            if rules_pronoun:
                f["rules_pronoun&latest_event"] = 1.0
            if attribution.cue is None:
                f["no_cue&latest_event"] = 1.0
        if rules_pronoun and f.get("subject_mention"):
            f["rules_pronoun&subject_mention"] = 1.0
        if opens_par and f.get("prev_speaker"):
            f["opens_par&prev_speaker"] = 1.0
        if name in recency[:1]:
            f["recency_rank0"] = 1.0
        elif name in recency[1:2]:
            f["recency_rank1"] = 1.0
        by_name_gender = given_name_gender(name)
        if pronoun_gender is not None and by_name_gender is not None:
            f["name_gender_agrees" if by_name_gender == pronoun_gender else "name_gender_clashes"] = 1.0
        if name in last_sentence:
            gap = quote_sentence - last_sentence[name]
            f["sent_dist0" if gap <= 0 else "sent_dist1" if gap == 1 else "sent_dist2plus"] = 1.0
            if gap >= 2 and f.get("rules_pick"):
                f["rules_pick&sent_dist2plus"] = 1.0
            if gap >= 2 and f.get("prev_speaker"):
                f["prev_speaker&sent_dist2plus"] = 1.0
        if pronoun_gender is not None and gender is not None:
            f["gender_agrees" if gender == pronoun_gender else "gender_clashes"] = 1.0
            if gender != pronoun_gender and f.get("rules_pick"):
                f["rules_pick&gender_clashes"] = 1.0
    null = Candidate(None, None, {"is_null": 1.0})
    if attribution.cue is not None:
        null.features["null&rules_has_cue"] = 1.0
    if not rules:
        null.features["null&rules_none"] = 1.0
    out = [null] + [by_name[name] for name in order]
    key = method if rules and method in METHODS else "none"
    for cand in out:
        base = {name: value for name, value in cand.features.items() if value}
        if base.get("rules_pick"):
            cand.features.update({f"rp*{name}": value for name, value in base.items()})
        cand.features.update({f"{key}*{name}": value for name, value in base.items()})
    return out


_LAST_WEIGHTS: list[tuple[np.ndarray, dict[str, float]]] = []  # the latest weights read by name (one slot)


def _weights_by_name(weights: np.ndarray) -> dict[str, float]:
    """`weights` as {feature name: float}: a dict read is cheaper than indexing the array."""
    entry = _LAST_WEIGHTS[0] if _LAST_WEIGHTS else None  # read once: another thread may swap it
    if entry is None or entry[0] is not weights:
        entry = (weights, dict(zip(FEATURES, weights.tolist())))
        _LAST_WEIGHTS[:] = [entry]
    return entry[1]


def softmax_scores(candidates: list[Candidate], weights: np.ndarray) -> np.ndarray:
    """The probability of each candidate under the linear model (softmax over the quote's candidates)."""
    by_name = _weights_by_name(weights)
    z = np.array([sum(by_name[name] * value for name, value in c.features.items()) for c in candidates])
    z = z - z.max()
    p = np.exp(z)
    scores: np.ndarray = p / p.sum()
    return scores


def rerank(qd: QuoteDocument, weights: np.ndarray | None = None) -> None:
    """Let the ranker pick each speech piece's speaker of `qd` (see the module docstring)."""
    from tui.core.analysis.quote_attribution import speaker_problem

    weights = load_weights() if weights is None else weights
    if weights is None or not qd.doc.has_annotation("DEP"):
        return
    decisions = []
    for k, attribution in enumerate(qd.attributions):  # all on the rules' output first: no knock-on
        if not attribution.is_speech or (attribution.canonical and speaker_problem(attribution.canonical) is None):
            continue  # the rules named someone: on the tuning part the model never overrode such a pick
        candidates = speaker_candidates(qd, k)
        candidates = [
            c
            for c in candidates
            if c.canonical is None or (speaker_problem(c.canonical) is None and not c.features.get("gender_clashes"))
        ]  # never a "she" for a person the article calls "he"
        probs = softmax_scores(candidates, weights)
        best = max(range(len(candidates)), key=lambda i: (round(float(probs[i]), 9), -i))
        decisions.append((attribution, candidates[best], float(probs[best])))
    for attribution, chosen, prob in decisions:
        if chosen.canonical is None:
            continue  # nobody: the rules' unknown (and its reason) stands
        attribution.canonical = chosen.canonical
        if chosen.chars is not None:
            attribution.speaker_chars = chosen.chars
            attribution.speaker_text = qd.index.text[chosen.chars[0] : chosen.chars[1]]
        else:
            attribution.speaker_chars, attribution.speaker_text = None, chosen.canonical
        attribution.method = "ranker"
        attribution.confidence = prob
        attribution.unknown_reason = None
