"""Exporting annotations. `json` is Margin's native format (see schemas/margin-export.schema.json)."""

from __future__ import annotations

from tui import __version__
from tui.core.annotations import Annotation, now_iso

EXPORT_VERSION = 1
SCHEMA_ID = "https://margin-reader.invalid/schemas/margin-export-v1.json"


def annotation_to_export(annotation: Annotation) -> dict:
    return {
        "id": annotation.id,
        "article": {
            "id": annotation.article_id,
            "title": annotation.article_title,
            "path": annotation.article_path,
        },
        "text": annotation.text,
        "start": annotation.start,
        "end": annotation.end,
        "kind": annotation.kind,
        "speaker": annotation.speaker,
        "tags": list(annotation.tags),
        "note": annotation.note,
        "created": annotation.created,
        "updated": annotation.updated,
        "context": {"prefix": annotation.prefix, "suffix": annotation.suffix},
        "text_hash": annotation.text_hash,
    }


def sort_for_export(annotations: list[Annotation]) -> list[Annotation]:
    return sorted(annotations, key=lambda a: (a.article_title.casefold(), a.article_id, a.start, a.end, a.id))


def export_json_document(annotations: list[Annotation]) -> dict:
    return {
        "$schema": SCHEMA_ID,
        "format": "margin-annotations",
        "version": EXPORT_VERSION,
        "generator": f"margin {__version__}",
        "exported": now_iso(),
        "annotations": [annotation_to_export(a) for a in sort_for_export(annotations)],
    }
