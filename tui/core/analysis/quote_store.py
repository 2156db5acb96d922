"""Storing the quotes on the Doc (`doc.spans` and Span extensions, with the speaker contract
enforced) and reading them back as `Quote` records.
"""

from __future__ import annotations

from spacy.tokens import Doc

from tui.core.analysis.lexicon import (
    FUNCTION_WORDS,
)
from tui.core.analysis.quote_attribution import DEFAULT_SPANS_KEY, Attribution, _other_keys, speaker_problem
from tui.core.analysis.quote_index import (
    DocIndex,
)
from tui.core.analysis.quote_marks import QuotedPiece
from tui.core.analysis.result import Quote, Speaker
from tui.core.analysis.token_scan import doc_text


def enforce_contract(attributions: list[Attribution]) -> None:
    """A speaker is a name, a description or unknown (with the reason): never a pronoun, a
    clause fragment, a date or a number."""
    for attribution in attributions:
        if not attribution.is_speech:
            continue
        if attribution.canonical and attribution.canonical.rsplit(" ", 1)[-1] in ("Jr", "Sr"):
            attribution.canonical += "."  # the tokenizer split "Jr." and the entity left the full stop out
        problem = speaker_problem(attribution.canonical)
        if problem is not None and attribution.canonical:
            repaired = _trim_function_words(attribution.canonical)
            if repaired and speaker_problem(repaired) is None:
                attribution.canonical = repaired  # "Jane Doe of" -> "Jane Doe"
                attribution.confidence = min(attribution.confidence, 0.5)
                continue
        if problem is None:
            continue
        if attribution.unknown_reason is None:
            attribution.unknown_reason = (
                "no cue and no speaker before it" if attribution.cue is None and not attribution.canonical else problem
            )
        attribution.canonical = None
        attribution.method, attribution.confidence = "", 0.0


def _trim_function_words(text: str) -> str:
    words = text.split()
    while words and words[0].lower().strip(",") in FUNCTION_WORDS - {"the", "a", "an"}:
        words.pop(0)
    while words and words[-1].lower().strip(",") in FUNCTION_WORDS:
        words.pop()
    return " ".join(words).strip(" ,")


def store_on_doc(
    doc: Doc, index: DocIndex, pieces: list[QuotedPiece], attributions: list[Attribution], spans_key: str = DEFAULT_SPANS_KEY
) -> None:
    """Write the quotes, their speaker mentions and the quoted non-speech to `doc.spans`, enforcing the speaker contract."""
    enforce_contract(attributions)
    quotes, others, speakers = [], [], []
    for piece, attribution in zip(pieces, attributions):
        span = doc.char_span(piece.start, piece.end, alignment_mode="expand")
        if span is None:
            continue
        if not attribution.is_speech:
            others.append(span)
            continue
        span._.margin_content = (piece.start, piece.end)
        cue = attribution.cue
        if cue is not None:
            cs, ce = index.chars((cue.cue_start, cue.cue_end))
            span._.margin_cue = index.text[cs:ce]
            span._.margin_cue_chars = (cs, ce)
        span._.margin_speaker_chars = attribution.speaker_chars
        span._.margin_speaker_text = attribution.speaker_text
        span._.margin_speaker_canonical = attribution.canonical
        span._.margin_speaker_method = attribution.method or None
        span._.margin_speaker_confidence = attribution.confidence if attribution.canonical else None
        span._.margin_speaker_unknown_reason = (
            None if attribution.canonical else (attribution.unknown_reason or "no speaker named")
        )
        quotes.append(span)
        if attribution.speaker_chars:
            speaker_span = doc.char_span(*attribution.speaker_chars, alignment_mode="expand")
            if speaker_span is not None:
                speakers.append(speaker_span)
    speakers_key, others_key = _other_keys(spans_key)
    doc.spans[spans_key] = quotes
    doc.spans[speakers_key] = speakers
    doc.spans[others_key] = others


def quotes_from_doc(doc: Doc, spans_key: str = DEFAULT_SPANS_KEY) -> list[Quote]:
    """The quotes stored on a processed doc as Quote records: a speaker only when one is named, else the reason."""
    out = []
    text = doc_text(doc)
    for span in doc.spans.get(spans_key, []):
        start, end = span._.margin_content or (span.start_char, span.end_char)
        speaker = None
        if span._.margin_speaker_canonical:
            s, e = span._.margin_speaker_chars or (start, start)
            written = span._.margin_speaker_text or ""
            speaker = Speaker(
                s,
                e,
                written or span._.margin_speaker_canonical,
                span._.margin_speaker_canonical,
                span._.margin_speaker_method or "",
                round(span._.margin_speaker_confidence or 0.0, 2),
            )
        cue_chars = span._.margin_cue_chars or (None, None)
        out.append(
            Quote(
                start,
                end,
                text[start:end],
                span._.margin_cue,
                speaker,
                cue_chars[0],
                cue_chars[1],
                None if speaker else (span._.margin_speaker_unknown_reason or "no speaker named"),
            )
        )
    return out
