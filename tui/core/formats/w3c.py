"""W3C Web Annotation (JSON-LD): an AnnotationCollection of text annotations.

Each annotation targets its article (a file: URI) with a TextQuoteSelector (exact, prefix,
suffix) and a TextPositionSelector (start, end; left out for orphans); tags are TextualBody
bodies with purpose `tagging`, the note one with purpose `commenting`. What the model has no
term for (article id and title, kind, speaker, text hash, orphan) travels in `margin:`-prefixed
properties, so `margin import` restores everything; other tools ignore them. The user's speaker
decisions (on annotated quotes or not) are the collection's `margin:speakerCorrections`, before
its first page, each as in Margin's JSON (`tui.core.formats.decisions`).
"""

from __future__ import annotations

import re
from pathlib import Path

from tui import __version__
from tui.core.annotations import Annotation, Record, now_iso
from tui.core.correction_record import SpeakerCorrection
from tui.core.formats.base import ExportFormat, ExportResult, RenderContext, sort_for_export
from tui.core.formats.decisions import decision_to_export
from tui.core.paths import dump_json

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MARGIN_NS = "https://margin-reader.invalid/ns#"
CONTEXT = [ANNO_CONTEXT, {"margin": MARGIN_NS}]
_HEX32 = re.compile(r"[0-9a-f]{32}")


def annotation_iri(annotation_id: str) -> str:
    """The IRI that names an annotation in W3C exports."""
    if _HEX32.fullmatch(annotation_id):
        h = annotation_id
        return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return f"urn:margin:annotation:{annotation_id}"


def source_iri(article_path: str, article_id: str) -> str:
    """The IRI of an annotation's target article: its file URL, else an id-based URN."""
    if article_path and Path(article_path).is_absolute():
        return Path(article_path).as_uri()
    return f"urn:margin:article:{article_id}"


def annotation_to_w3c(annotation: Annotation, speaker_source: str | None = None) -> Record:
    """One annotation as a W3C Web Annotation (quote and position selectors; tagging and commenting bodies)."""
    bodies: list[dict[str, str]] = [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tags]
    if annotation.note:
        bodies.append({"type": "TextualBody", "value": annotation.note, "purpose": "commenting", "format": "text/plain"})
    selectors: list[dict[str, str | int]] = [
        {"type": "TextQuoteSelector", "exact": annotation.text, "prefix": annotation.prefix, "suffix": annotation.suffix}
    ]
    if not annotation.orphan:
        selectors.append({"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end})
    motivation = "commenting" if annotation.note else "tagging" if annotation.tags else "highlighting"
    record: dict[str, object] = {
        "@context": CONTEXT,
        "id": annotation_iri(annotation.id),
        "type": "Annotation",
        "motivation": motivation,
        "created": annotation.created,
        "modified": annotation.updated,
        "generator": {"type": "Software", "name": f"Margin {__version__}"},
    }
    if bodies:
        record["body"] = bodies
    record["target"] = {"source": source_iri(annotation.article_path, annotation.article_id), "selector": selectors}
    record.update(
        {
            "margin:id": annotation.id,
            "margin:articleId": annotation.article_id,
            "margin:articleTitle": annotation.article_title,
            "margin:articlePath": annotation.article_path,
            "margin:kind": annotation.kind,
            "margin:speaker": annotation.speaker,
            "margin:speakerSource": speaker_source or ("model" if annotation.kind == "quote" else None),
            "margin:textHash": annotation.text_hash,
            "margin:orphan": annotation.orphan,
        }
    )
    return record


def export_w3c_document(
    annotations: list[Annotation],
    sources: dict[str, str] | None = None,
    decisions: list[SpeakerCorrection] | None = None,
) -> Record:
    """A W3C AnnotationCollection holding every annotation on one page (`sources`: annotation id
    -> speaker source, "user" or "model"), and the user's speaker `decisions` as
    `margin:speakerCorrections` (before the page, so an import finds them first)."""
    sources = sources or {}
    items = [annotation_to_w3c(a, sources.get(a.id)) for a in sort_for_export(annotations)]
    return {
        "@context": CONTEXT,
        "id": f"urn:margin:export:{now_iso()}",
        "type": "AnnotationCollection",
        "label": "Margin annotations",
        "total": len(items),
        "margin:speakerCorrections": [decision_to_export(c) for c in decisions or ()],
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def export_w3c(
    annotations: list[Annotation], sources: dict[str, str] | None = None, decisions: list[SpeakerCorrection] | None = None
) -> ExportResult:
    """The W3C export as text (JSON-LD)."""
    payload = dump_json(export_w3c_document(annotations, sources, decisions), indent=True).decode("utf-8") + "\n"
    return ExportResult(payload, len(annotations))


def render(annotations: list[Annotation], context: RenderContext) -> ExportResult:
    """The registered renderer."""
    return export_w3c(annotations, context.speaker_sources, context.decisions)


FORMAT = ExportFormat("w3c", "jsonld", render)
