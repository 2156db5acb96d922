"""Speaker corrections as spaCy/Prodigy-style JSONL, for training an attribution model.

One line per checked quote (a speaker correction):

    {"text": <the paragraph(s) holding the quote and the speaker's name>,
     "spans": [{"start", "end", "label": "QUOTE"}, {"start", "end", "label": "SPEAKER"}],
     "answer": "accept" | "reject",
     "meta": {"speaker", "model_speaker", "verdict", "speaker_source": "user",
              "article_id", "title", "path", "correction_id",
              "text_start", "text_hash", "created", "updated"}}

`answer` is "accept" when the user named or confirmed the speaker (the spans are then the right
annotation: the quote and where the text names its speaker, when it does), "reject" when the
user said the passage is not a quote. Offsets index `text`; spans never begin or end with white
space (spaCy's `Doc.char_span` refuses such spans). The text comes from each article's file as
it is now (a correction made on an earlier version is re-anchored; one whose quote is gone, or
whose file cannot be read, is left out and reported in `messages`). `meta.text_start` is where
`text` begins in the article's text (whose hash is `meta.text_hash`), so `margin import` puts
each decision back on its quote (`tui.core.import_records.training_line`).
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.core.correction_record import SpeakerCorrection
from tui.core.corrections import reanchor_correction, with_mention
from tui.core.formats.base import ArticleSource, ExportResult
from tui.core.paths import dump_json
from tui.core.text import trim_span


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """The line(s) of `text` holding start..end (paragraphs are lines in an article's text)."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return trim_span(text, lo, len(text) if hi == -1 else hi)


def export_corrections_jsonl(corrections: Iterable[SpeakerCorrection]) -> ExportResult:
    """The speaker corrections (`tui.core.corrections.all_corrections`) as training JSONL:
    an ExportResult whose count is the number of lines written."""
    source = ArticleSource()
    lines: list[bytes] = []
    missing: dict[str, int] = {}
    reasons: dict[str, str] = {}
    orphans = 0
    for correction in sorted(corrections, key=lambda c: (c.article_title.casefold(), c.article_id, c.start, c.id)):
        article, problem = source.get(correction.article_path, (correction.text_hash,))
        if article is None:
            label = correction.article_title or correction.article_id
            missing[label] = missing.get(label, 0) + 1
            reasons[label] = problem or "no file path recorded"
            continue
        text = article.text
        if correction.orphan or not (
            correction.text_hash == article.text_hash and text[correction.start : correction.end] == correction.quote_text
        ):
            correction = reanchor_correction(correction, article)
        if correction.orphan:
            orphans += 1
            continue
        correction = with_mention(correction, text)
        q_start, q_end = trim_span(text, correction.start, correction.end)
        if q_start >= q_end:
            continue
        lo, hi = _paragraph(text, q_start, q_end)
        accept = correction.verdict != "not_a_quote"
        mention = None
        if accept and correction.mention_start is not None and correction.mention_end is not None:
            mention = (correction.mention_start, correction.mention_end)
            lo, hi = min(lo, _paragraph(text, *mention)[0]), max(hi, _paragraph(text, *mention)[1])
        spans = [{"start": q_start - lo, "end": q_end - lo, "label": "QUOTE"}]
        if mention is not None:
            spans.append({"start": mention[0] - lo, "end": mention[1] - lo, "label": "SPEAKER"})
        spans.sort(key=lambda s: (s["start"], s["end"]))
        meta = {
            "speaker": correction.speaker,
            "model_speaker": correction.model_speaker,
            "verdict": correction.verdict,
            "speaker_source": "user",
            "article_id": article.id,
            "title": article.title,
            "path": str(article.path),
            "correction_id": correction.id,
            "text_start": lo,  # where `text` begins in the article's text: spans + text_start index it
            "text_hash": article.text_hash,
            "created": correction.created,
            "updated": correction.updated,
        }
        lines.append(dump_json({"text": text[lo:hi], "spans": spans, "answer": "accept" if accept else "reject", "meta": meta}))
    messages = [f"left out {n} correction(s) of {label}: {reasons[label]}" for label, n in missing.items()]
    if orphans:
        messages.append(f"left out {orphans} correction(s) whose quote is no longer in its article")
    payload = b"".join(line + b"\n" for line in lines).decode("utf-8")
    return ExportResult(payload, len(lines), messages)
