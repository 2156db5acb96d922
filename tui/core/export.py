"""Exporting annotations.

Formats (see `export_annotations`):

- `json`: Margin's native format, validated by `tui/schemas/margin-export.schema.json`; the
  default, and what `margin import` reads back;
- `w3c`: a W3C Web Annotation collection (JSON-LD), read by Hypothesis-style tools;
- `jsonl`: one article per line with character spans, as Prodigy/spaCy training tools read it;
- `markdown`: a readable digest, per article;
- `csv`: the columns of common highlight importers (Readwise and the like).

`json` and `w3c` also carry the user's speaker decisions (speaker corrections) of the exported
articles, annotated quotes or not (`tui.core.formats.decisions`), so an import brings them all back.

`jsonl`, `markdown` and `csv` read the articles' files (for their text, author, URL); an
article whose file is gone or unreadable is handled gracefully and reported in `messages`.
The shared parts are in `tui.core.formats.base`; each format registers an `ExportFormat` in
`REGISTRY` below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui import __version__
from tui.core.annotations import Annotation, Record, now_iso
from tui.core.correction_record import SpeakerCorrection
from tui.core.corrections import match_corrections
from tui.core.formats import jsonl, markdown, tabular, w3c
from tui.core.formats.base import (  # noqa: F401 (re-exported: callers import them from here)
    ArticleSource,
    ExportFormat,
    ExportResult,
    RenderContext,
    group_by_article,
    holds_passage,
    sort_for_export,
    with_current_offsets,
)
from tui.core.formats.decisions import current_decisions, decision_to_export, decisions_of
from tui.core.paths import dump_json

__all__ = [
    "ARTICLE_DETAILS",
    "DETAIL_LIMITS",
    "EXPORT_VERSION",
    "DECISION_FORMATS",
    "FORMATS",
    "JSON_FORMAT",
    "REGISTRY",
    "SCHEMA_FILE",
    "SCHEMA_ID",
    "W3C_SCHEMA_FILE",
    "ArticleSource",
    "ExportFormat",
    "ExportResult",
    "RenderContext",
    "annotation_to_export",
    "export_annotations",
    "export_json_document",
    "group_by_article",
    "holds_passage",
    "sort_for_export",
    "speaker_sources",
    "with_current_offsets",
]

if TYPE_CHECKING:
    from tui.core.articles import Article

EXPORT_VERSION = 1
SCHEMA_ID = "https://margin-reader.invalid/schemas/margin-export-v1.json"
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "margin-export.schema.json"
W3C_SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "w3c-annotation-collection.schema.json"


ARTICLE_DETAILS = ("date", "source", "author", "url")
DETAIL_LIMITS = {"source": 2000, "author": 2000, "url": 8192}  # as in the JSON schema


def annotation_to_export(annotation: Annotation, article: Article | None = None, speaker_source: str | None = None) -> Record:
    """One annotation as Margin's JSON; `article` (when its file could be read) adds the
    article's date, source, author and URL. `speaker_source` ("user" when the user corrected or
    confirmed the quote's speaker, "model" for the analysis' own; None for passages that are not
    quotes) defaults to "model" for quotes."""
    if speaker_source is None and annotation.kind == "quote":
        speaker_source = "model"
    article_block: dict[str, str | None] = {
        "id": annotation.article_id,
        "title": annotation.article_title,
        "path": annotation.article_path,
    }
    if article is not None:
        for key in ARTICLE_DETAILS:
            value = getattr(article, key, None)
            limit = DETAIL_LIMITS.get(key)
            article_block[key] = value[:limit] if isinstance(value, str) and limit else value
    return {
        "id": annotation.id,
        "article": article_block,
        "text": annotation.text,
        "start": annotation.start,
        "end": annotation.end,
        "kind": annotation.kind,
        "speaker": annotation.speaker,
        "speaker_source": speaker_source,
        "tags": list(annotation.tags),
        "note": annotation.note,
        "created": annotation.created,
        "updated": annotation.updated,
        "context": {"prefix": annotation.prefix, "suffix": annotation.suffix},
        "text_hash": annotation.text_hash,
        "orphan": annotation.orphan,
    }


def export_json_document(
    annotations: list[Annotation],
    source: "ArticleSource | None" = None,
    sources: dict[str, str] | None = None,
    decisions: list[SpeakerCorrection] | None = None,
) -> Record:
    """Margin's JSON export document (with `$schema` and `version`), offsets re-anchored to the
    current texts; `sources`: annotation id -> speaker source (see `speaker_sources`);
    `decisions`: the user's speaker decisions it carries (`speaker_corrections`, before the
    annotations, so an import finds them without reading the whole file first)."""
    sources = sources or {}

    def article_of(annotation: Annotation) -> Article | None:
        if source is None or not annotation.article_path:
            return None
        article, _ = source.get(annotation.article_path, (annotation.text_hash,))
        return article if article is not None and article.id == annotation.article_id else None

    return {
        "$schema": SCHEMA_ID,
        "format": "margin-annotations",
        "version": EXPORT_VERSION,
        "generator": f"margin {__version__}",
        "exported": now_iso(),
        "speaker_corrections": [decision_to_export(c) for c in decisions or ()],
        "annotations": [annotation_to_export(a, article_of(a), sources.get(a.id)) for a in sort_for_export(annotations)],
    }


def speaker_sources(
    annotations: list[Annotation], corrections: Iterable[SpeakerCorrection] | None
) -> tuple[list[Annotation], dict[str, str]]:
    """Quote annotations with the user's speaker where a speaker correction applies to them, and
    annotation id -> "user" | "model" for every quote annotation (the speaker's source)."""
    by_article: dict[str, list[SpeakerCorrection]] = {}
    for correction in corrections or ():
        by_article.setdefault(correction.article_id, []).append(correction)
    out: list[Annotation] = []
    sources: dict[str, str] = {}
    for annotation in annotations:
        if annotation.kind == "quote":
            found = match_corrections([(annotation.start, annotation.end)], by_article.get(annotation.article_id, ())).get(0)
            sources[annotation.id] = "model" if found is None else "user"
            if found is not None and found.speaker != annotation.speaker:
                annotation = replace(annotation, speaker=found.speaker)
        out.append(annotation)
    return out, sources


def _render_json(annotations: list[Annotation], context: RenderContext) -> ExportResult:
    document = export_json_document(annotations, context.source, context.speaker_sources, context.decisions)
    payload = dump_json(document, indent=True).decode("utf-8") + "\n"
    return ExportResult(payload, len(annotations))


JSON_FORMAT = ExportFormat("json", "json", _render_json)
# The registry: every export format, Margin's own JSON first. A new format is a module in
# `tui.core.formats` with a FORMAT (an ExportFormat), added here.
REGISTRY: dict[str, ExportFormat] = {f.name: f for f in (JSON_FORMAT, w3c.FORMAT, jsonl.FORMAT, markdown.FORMAT, tabular.FORMAT)}
FORMATS = tuple(REGISTRY)
DECISION_FORMATS = ("json", "w3c")  # the formats `margin import` reads: they carry the speaker decisions


def export_annotations(
    annotations: list[Annotation],
    fmt: str,
    corrections: Iterable[SpeakerCorrection] | None = None,
    decisions: Iterable[SpeakerCorrection] | None = None,
) -> ExportResult:
    """Render `annotations` in format `fmt` (one of FORMATS). `corrections` (speaker corrections,
    e.g. `tui.core.corrections.all_corrections(store)`) give quotes the user's speaker and
    `speaker_source` "user" (JSON, W3C, Markdown); without them every quote's is "model".
    JSON and W3C carry the speaker decisions `decisions` (by default those of `corrections` on
    the exported annotations' articles; an export of everything passes all of them, articles
    without annotations included), re-anchored to the current texts."""
    export_format = REGISTRY.get(fmt)
    if export_format is None:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    corrections = list(corrections or ())
    carried = decisions_of(annotations, corrections) if decisions is None else list(decisions)
    annotations, sources = speaker_sources(annotations, corrections)
    context = RenderContext(ArticleSource(), sources)
    if fmt in DECISION_FORMATS:
        context.decisions = current_decisions(carried, context.source)
    messages: list[str] = []
    if export_format.current_offsets:
        annotations, messages = with_current_offsets(annotations, context.source)
    result = export_format.render(annotations, context)
    result.messages[:0] = messages
    result.decisions = len(context.decisions)
    return result
