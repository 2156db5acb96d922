"""Huge articles are analysed with bounded memory: spaCy never holds more than BATCH_CHARS
characters of Docs at once, and the chunked result indexes the original text exactly.
(Peak RSS itself is measured by bench/analysis_memory.py, not asserted here.)"""

from __future__ import annotations

from tui.core.analysis import pipeline
from tui.core.analysis.pipeline import BATCH_CHARS, CHUNK_CHARS, analyze_texts

PARAGRAPH = "“We will rebuild the bridge by spring,” the mayor said on Tuesday. Work starts soon.\n\n"


class RecordingPipe:
    """Wraps a pipeline and records how many characters each `nlp.pipe` call is given at once."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.calls: list[int] = []

    def __getattr__(self, name):
        return getattr(self.nlp, name)

    def __setattr__(self, name, value):
        if name in ("nlp", "calls"):
            object.__setattr__(self, name, value)
        else:
            setattr(self.nlp, name, value)

    def pipe(self, texts, batch_size=None, **kw):
        texts = list(texts)
        self.calls.append(sum(len(t) for t in texts))
        return self.nlp.pipe(texts, batch_size=batch_size or len(texts), **kw)


def test_a_long_article_is_never_given_to_spacy_all_at_once(rules):
    nlp, info = rules
    text = PARAGRAPH * (3 * CHUNK_CHARS // len(PARAGRAPH) + 5)
    recorder = RecordingPipe(nlp)
    [result] = analyze_texts([text], recorder, info)
    assert len(recorder.calls) >= 3
    assert max(recorder.calls) <= max(BATCH_CHARS, CHUNK_CHARS)
    assert sum(recorder.calls) == len(text)
    # Every quote of every chunk is found, and its offsets index the original text.
    assert len(result.quotes) == text.count("“")
    for quote in result.quotes:
        assert text[quote.start : quote.end] == "We will rebuild the bridge by spring,"
        assert quote.speaker is not None and text[quote.speaker.start : quote.speaker.end] == "the mayor"


def test_many_short_articles_share_batches_within_the_budget(rules):
    nlp, info = rules
    texts = [PARAGRAPH * 40 for _ in range(60)]  # ~5,000 characters each
    recorder = RecordingPipe(nlp)
    results = analyze_texts(texts, recorder, info)
    assert len(results) == 60 and all(len(r.quotes) == 40 for r in results)
    assert 1 < len(recorder.calls) < 60  # batched, not one call per article
    assert max(recorder.calls) <= BATCH_CHARS


def test_batches_keep_order_and_put_an_oversized_piece_alone():
    items = [(0, 0, "a" * 10), (1, 0, "b" * 500), (2, 0, "c" * 10), (3, 0, "d" * 10)]
    batches = list(pipeline.batches_by_chars(items, budget=100))
    assert [[i for i, _, _ in b] for b in batches] == [[0], [1], [2, 3]]


def test_a_long_article_reports_its_progress_batch_by_batch(rules):
    nlp, info = rules
    text = PARAGRAPH * (CHUNK_CHARS // len(PARAGRAPH) + 5)  # two pieces, two batches
    seen: list[tuple[int, int]] = []
    analyze_texts([text], nlp, info, lambda done, total: seen.append((done, total)))
    assert len(seen) == 2 and all(total == len(text) for _, total in seen) and 0 < seen[0][0] < len(text)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen}) and seen[-1][0] == len(text)
