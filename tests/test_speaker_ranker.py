"""The learned speaker ranker (tui/core/analysis/speaker_ranker.py): weights, features, contract,
determinism and its switch.

All example sentences are invented for these tests.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tui.core.analysis import speaker_ranker
from tui.core.analysis.pipeline import analyze_text
from tui.core.analysis.quotes import METHOD_CONFIDENCE, QuoteDocument, speaker_problem

TEXT = (
    "Harriet Quill, the county engineer, met Tobias Fenn at the town hall on Monday.\n\n"
    "“We will reopen the bridge in May,” she said. “The work is nearly finished.”\n\n"
    "Fenn, who chairs the budget committee, was less sure. “The money is not there yet,” he said.\n\n"
    "“Nobody will have to drive around the lake any more.”\n\n"
    "A spokeswoman for the council said the vote would come in April."
)


def test_weights_file_loads_and_names_known_features():
    data = json.loads(speaker_ranker.WEIGHTS.read_text(encoding="utf-8"))
    assert set(data["weights"]) <= set(speaker_ranker.FEATURES)
    weights = speaker_ranker.load_weights()
    assert weights is not None and weights.shape == (len(speaker_ranker.FEATURES),)
    assert np.all(np.isfinite(weights))
    assert weights[speaker_ranker.INDEX["rules_pick"]] > 0  # the rules' choice is the strongest hint


def test_a_missing_weights_file_means_no_ranker(tmp_path):
    assert speaker_ranker.load_weights(str(tmp_path / "absent.json")) is None


def _document(trained, text):
    nlp, _ = trained
    with nlp.select_pipes(disable=["margin_quotes"]):
        doc = nlp(text)
    qd = QuoteDocument(doc)
    return qd


def test_candidates_and_features_for_an_invented_text(trained, monkeypatch):
    monkeypatch.setenv("MARGIN_SPEAKER_RANKER", "0")
    qd = _document(trained, TEXT)
    qd.run()
    speech = [k for k, a in enumerate(qd.attributions) if a.is_speech]
    assert speech
    for k in speech:
        candidates = speaker_ranker.speaker_candidates(qd, k)
        assert candidates[0].canonical is None and candidates[0].features["is_null"] == 1.0
        named = [c.canonical for c in candidates[1:]]
        assert len(named) == len(set(named))  # one candidate per name
        picks = [c for c in candidates if c.features.get("rules_pick")]
        if qd.attributions[k].canonical:
            assert [c.canonical for c in picks] == [qd.attributions[k].canonical]
        for c in candidates:
            assert set(c.features) <= set(speaker_ranker.FEATURES)
            assert c.vector().shape == (len(speaker_ranker.FEATURES),)
    # the quote after “…,” he said: the previous quote's speaker and the pronoun's rivals are there
    k = next(k for k in speech if qd.pieces[k].start == TEXT.index("Nobody"))
    names = {c.canonical: c.features for c in speaker_ranker.speaker_candidates(qd, k)}
    assert "Tobias Fenn" in names or "Fenn" in names
    assert "Harriet Quill" in names
    assert any(f.get("prev_speaker") for f in names.values())


@pytest.mark.parametrize("enabled", ["0", "1"])
def test_the_ranker_keeps_the_speaker_contract(trained, monkeypatch, enabled):
    monkeypatch.setenv("MARGIN_SPEAKER_RANKER", enabled)
    nlp, info = trained
    texts = [
        TEXT,
        "“It is over,” he said.",
        "“We did what we could,” they said, and left. “Nobody listened.”",
        "The mayor, who spoke first, said: “The plan is ready.” “We start on Monday,” she added.",
    ]
    for text in texts:
        for q in analyze_text(text, nlp, info).quotes:
            if q.speaker is None:
                assert q.speaker_unknown_reason
                continue
            assert speaker_problem(q.speaker.canonical) is None, (text, q.speaker)
            assert q.speaker.method in METHOD_CONFIDENCE
            assert 0.0 < q.speaker.confidence <= 1.0


def test_the_ranker_is_deterministic(trained, monkeypatch):
    monkeypatch.setenv("MARGIN_SPEAKER_RANKER", "1")
    nlp, info = trained
    runs = [[(q.start, q.speaker) for q in analyze_text(TEXT, nlp, info).quotes] for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]


def test_the_switch_turns_the_ranker_off(trained, monkeypatch):
    monkeypatch.setenv("MARGIN_SPEAKER_RANKER", "0")
    assert not speaker_ranker.enabled()
    monkeypatch.setenv("MARGIN_SPEAKER_RANKER", "1")
    assert speaker_ranker.enabled()
    monkeypatch.delenv("MARGIN_SPEAKER_RANKER")
    assert speaker_ranker.enabled() is speaker_ranker.ENABLED


def test_rerank_only_fills_quotes_the_rules_left_without_a_speaker(trained, monkeypatch):
    """A model preferring the previous quote's speaker above all changes no speaker the rules
    named, and gives a quote the rules left unknown that previous speaker, saying so."""
    monkeypatch.setenv("MARGIN_SPEAKER_RANKER", "0")
    qd = _document(trained, TEXT)
    qd.run()
    previous = np.zeros(len(speaker_ranker.FEATURES))
    previous[speaker_ranker.INDEX["prev_speaker"]] = 10.0
    previous[speaker_ranker.INDEX["bias_real"]] = 1.0
    k = next(k for k, a in enumerate(qd.attributions) if a.is_speech and qd.pieces[k].start == TEXT.index("The money"))
    named = {j: a.canonical for j, a in enumerate(qd.attributions) if a.is_speech and j != k}
    assert all(named.values())
    blank = qd.attributions[k]
    expected = next(qd.attributions[j].canonical for j in range(k - 1, -1, -1) if qd.attributions[j].canonical)
    assert blank.canonical != expected  # the rules named Fenn, not the previous speaker
    blank.canonical = blank.speaker_chars = blank.speaker_text = None  # as if the rules found no one
    blank.method, blank.confidence = "", 0.0
    speaker_ranker.rerank(qd, previous)
    assert {j: qd.attributions[j].canonical for j in named} == named
    assert blank.canonical == expected and blank.method == "ranker"
    assert speaker_problem(blank.canonical) is None
    assert 0.0 < blank.confidence <= 1.0
