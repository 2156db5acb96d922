"""The faster ways of stop 32 give the very answers of the plain ones they replaced, and the
speaker confidences no longer depend on Python's string hashing."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from tui.core.analysis import speaker_ranker
from tui.core.analysis.token_scan import capitalised_tokens, token_starts

ODD = "Ärger über Öl: Éva and ǅemal met Ⅷ Legion, ΑΒΓ and ßeta, 1st and _Under at İzmir."


def test_capitalised_tokens_agree_with_str_isupper(any_pipeline):
    nlp, _ = any_pipeline
    doc = nlp(ODD)
    starts = token_starts(doc)
    assert capitalised_tokens(doc.text, starts) == {t.i for t in doc if t.text[0].isupper()}
    assert {doc[k].text for k in capitalised_tokens(doc.text, starts)} >= {"Ärger", "Öl", "Éva", "Ⅷ", "İzmir"}
    assert capitalised_tokens("", []) == set()
    lone = "a \ud800 Bee"  # a lone surrogate (text read with errors="surrogateescape") is no capital
    assert capitalised_tokens(lone, [0, 2, 4]) == {2}


def test_ties_in_recency_keep_the_candidates_order():
    # two names last mentioned at the same place (a name and the speech event at that place)
    candidates = [
        (0, 40, True, "Jane Doe", "person", None),
        (0, 40, 2, "The mayor", "person", None),
        (0, 10, True, "Al Roe", "person", None),
    ]
    assert speaker_ranker._latest_first(candidates) == ["Jane Doe", "The mayor", "Al Roe"]
    assert speaker_ranker._latest_first(list(reversed(candidates))) == ["The mayor", "Jane Doe", "Al Roe"]


def test_scores_read_by_name_are_the_array_products():
    weights = speaker_ranker.load_weights()
    assert weights is not None
    names = list(speaker_ranker.FEATURES)
    candidates = [
        speaker_ranker.Candidate(None, None, {names[0]: 1.0, names[3]: 0.25}),
        speaker_ranker.Candidate("Jane Doe", None, {names[1]: 1.0, names[2]: -0.5, names[5]: 1.0}),
    ]
    z = np.array([sum(weights[speaker_ranker.INDEX[n]] * v for n, v in c.features.items()) for c in candidates])
    expected = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert speaker_ranker.softmax_scores(candidates, weights).tolist() == expected.tolist()
    other = weights * 2  # a different weights array is never answered from the last one's table
    assert speaker_ranker.softmax_scores(candidates, other).tolist() != expected.tolist()


SCRIPT = """
from tui.core.analysis.pipeline import analyze_text, load_pipeline
nlp, info = load_pipeline(None)
text = open({path!r}, encoding="utf-8").read()
print([(q.start, q.speaker.canonical, q.speaker.confidence) for q in analyze_text(text, nlp, info).quotes if q.speaker])
"""

PASSAGE = (
    "Jane Doe, the mayor, spoke on Monday. The former governor of the state, Al Roe, listened.\n\n"
    "“We will build the bridge,” the mayor said. “It is late, but it will come.”\n\n"
    "Roe shook his head. “It will never come,” he said. The mayor smiled. “Wait and see,” she said.\n\n"
    "Later the former governor added: “I have heard this before.”"
)


def test_speaker_confidences_are_the_same_under_any_string_hashing(tmp_path, trained):
    path = tmp_path / "passage.txt"
    path.write_text(PASSAGE, encoding="utf-8")
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT.format(path=str(path))], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1 and "Doe" in outputs.pop()


def _start_by_walking(text: str, pos: int, lo: int) -> int:
    from tui.core.analysis.quote_names import CLOSING_QUOTES, SENTENCE_END, _is_sentence_boundary

    i = pos - 1
    while i > lo:
        if text[i] in SENTENCE_END and _is_sentence_boundary(text, i, pos + 1):
            j = i + 1
            while j < pos and (text[j] in CLOSING_QUOTES or text[j].isspace()):
                j += 1
            return j
        i -= 1
    return lo


def _end_by_walking(text: str, pos: int, hi: int) -> int:
    from tui.core.analysis.quote_names import SENTENCE_END, _is_sentence_boundary

    for i in range(pos, hi):
        if text[i] in SENTENCE_END and _is_sentence_boundary(text, i, hi):
            return i + 1
    return hi


def _single_pairs_by_walking(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    from tui.core.analysis.quote_marks import SINGLE_OPENERS, _possessive_like, _single_closes, _single_opens

    pairs, i = [], lo
    while i < hi:
        if not _single_opens(text, i, lo, hi):
            i += 1
            continue
        chosen = fallback = -1
        for j in range(i + 1, hi):
            if text[j] in SINGLE_OPENERS:
                break
            if _single_closes(text, j, lo, hi):
                if not _possessive_like(text, j, hi):
                    chosen = j
                    break
                if fallback < 0:
                    fallback = j
        close = chosen if chosen >= 0 else fallback
        if close < 0:
            i += 1
            continue
        pairs.append((i, close))
        i = close + 1
    return pairs


def test_sentence_bounds_and_quote_marks_found_by_search_are_those_found_by_walking():
    import random

    from tui.core.analysis.quote_marks import ALL_DOUBLE_MARKS, _marks_in, _single_pairs
    from tui.core.analysis.quote_names import sentence_end_after, sentence_start_before

    rng = random.Random(32)
    alphabet = "ab sS.!?,‘‛’'\"“”„«»″(—\n" + "Mr.Dr.U.S."
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        lo = rng.randint(0, len(text) - 1)
        pos = rng.randint(lo, len(text) - 1)
        assert sentence_start_before(text, pos, lo) == _start_by_walking(text, pos, lo), (text, pos, lo)
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        assert sentence_end_after(text, a, b) == _end_by_walking(text, a, b), (text, a, b)
        assert _single_pairs(text, a, b) == _single_pairs_by_walking(text, a, b), (text, a, b)
        assert _marks_in(text, a, b) == [i for i in range(a, b) if text[i] in ALL_DOUBLE_MARKS]


def test_remembered_name_runs_are_the_runs_and_never_another_docs(any_pipeline):
    from spacy.tokens import Doc

    from tui.core.analysis.entity_names import RUNS_KEY, name_run_at, name_run_starting_at

    nlp, _ = any_pipeline
    doc = nlp("Jane Doe met Jean-Luc van der Berg and Hae-young Kim in Acme Corp. on Monday.")
    expected = [name_run_starting_at(doc, i, len(doc)) for i in range(len(doc))]
    assert [name_run_at(doc, i) for i in range(len(doc))] == expected
    assert [name_run_at(doc, i) for i in range(len(doc))] == expected  # now read from user_data
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())  # user_data travels with the Doc
    assert RUNS_KEY in again.user_data and [name_run_at(again, i) for i in range(len(again))] == expected
    other = nlp("Al Roe.")
    other.user_data[RUNS_KEY] = doc.user_data[RUNS_KEY]  # a stale copy from a longer doc
    assert [name_run_at(other, i) for i in range(len(other))] == [
        name_run_starting_at(other, i, len(other)) for i in range(len(other))
    ]
