"""The user's speaker decisions (speaker corrections) in the exports `margin import` reads back.

A quote annotation carries its decision in `speaker_source` ("user"), but a decision is often
on a quote that is no annotation (a speaker named in the reader, the other pieces of a split
quote). So Margin's JSON carries every decision of the exported articles in a list of its own,
`speaker_corrections`, and the W3C export the same list as `margin:speakerCorrections`; both
come before the annotations, so an import reads them without a pass over the whole file.

One decision (`decision_to_export`):

    {"id", "article": {"id", "title", "path"}, "text", "start", "end",
     "verdict": "speaker" | "confirmed" | "not_a_quote", "speaker", "model_speaker",
     "created", "updated", "context": {"prefix", "suffix"}, "text_hash", "orphan"}

`text` is the quote, `start`/`end` its offsets in the article's current text (re-anchored like
the annotations' when the file changed since; an orphan, whose quote is gone, has 0 and 0).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tui.core.annotations import Annotation, Record
from tui.core.correction_record import SpeakerCorrection
from tui.core.corrections import reanchor_correction
from tui.core.formats.base import ArticleSource


def decision_to_export(correction: SpeakerCorrection) -> Record:
    """One speaker decision as exported (the fields of an annotation's where they mean the same)."""
    return {
        "id": correction.id,
        "article": {"id": correction.article_id, "title": correction.article_title, "path": correction.article_path},
        "text": correction.quote_text,
        "start": correction.start,
        "end": correction.end,
        "verdict": correction.verdict,
        "speaker": correction.speaker,
        "model_speaker": correction.model_speaker,
        "created": correction.created,
        "updated": correction.updated,
        "context": {"prefix": correction.prefix, "suffix": correction.suffix},
        "text_hash": correction.text_hash,
        "orphan": correction.orphan,
    }


def decisions_of(annotations: list[Annotation], corrections: Iterable[SpeakerCorrection] | None) -> list[SpeakerCorrection]:
    """The decisions an export of `annotations` carries: those of their articles (by id or file path)."""
    ids = {a.article_id for a in annotations}
    paths = {a.article_path for a in annotations if a.article_path}
    return [c for c in corrections or () if c.article_id in ids or (c.article_path and c.article_path in paths)]


def current_decisions(corrections: Iterable[SpeakerCorrection], source: ArticleSource) -> list[SpeakerCorrection]:
    """The decisions with offsets into their article's current text (re-anchored, read-only,
    when its file changed; as stored when it is gone), in a stable order."""
    out = []
    for correction in corrections:
        article, _ = source.get(correction.article_path, (correction.text_hash,)) if correction.article_path else (None, None)
        if article is not None and (
            correction.orphan
            or correction.text_hash != article.text_hash
            or article.text[correction.start : correction.end] != correction.quote_text
        ):
            correction = replace(reanchor_correction(correction, article), updated=correction.updated)
        out.append(correction)
    return sorted(out, key=lambda c: (c.article_title.casefold(), c.article_id, c.orphan, c.start, c.end, c.id))
