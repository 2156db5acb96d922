"""JSONL for training tools (Prodigy, spaCy): one article per line.

    {"text": <the article's text>, "spans": [{"start", "end", "label"}], "meta": {...}}

One span per tag of each annotation, the tag as its label; the offsets index `text`, and the
span never begins or ends with whitespace (spaCy's `Doc.char_span` refuses such spans). The text
comes from the article's file: when the file changed since the annotations were made, they are
re-anchored for the export (orphans are left out); when it is gone, the article is left out.
Both are reported in the result's messages.
"""

from __future__ import annotations

from tui.core.anchoring import reanchor
from tui.core.annotations import Annotation
from tui.core.formats.base import ArticleSource, ExportFormat, ExportResult, RenderContext, group_by_article, holds_passage
from tui.core.paths import dump_json
from tui.core.text import trim_span


def export_jsonl(annotations: list[Annotation], source: ArticleSource | None = None) -> ExportResult:
    """One JSON object per article: its text and one span per tag (Prodigy / spaCy training format)."""
    source = source or ArticleSource()
    lines: list[bytes] = []
    messages: list[str] = []
    count = 0
    for group in group_by_article(annotations):
        first = group[0]
        label = f"'{first.article_title}'" if first.article_title else first.article_id
        article, problem = source.get(first.article_path, {a.text_hash for a in group})
        if article is None:
            messages.append(f"left out {len(group)} annotation(s) of {label}: {problem}")
            continue
        spans = []
        orphans = 0
        for annotation in group:
            if annotation.orphan or not holds_passage(annotation, article):
                annotation = reanchor(annotation, article.text)
            if annotation.orphan:
                orphans += 1
                continue
            start, end = trim_span(article.text, annotation.start, annotation.end)
            if start >= end:
                continue
            count += 1
            for tag in annotation.tags:
                spans.append({"start": start, "end": end, "label": tag})
        if orphans:
            messages.append(f"left out {orphans} annotation(s) of {label}: their passage is no longer in {article.path}")
        spans.sort(key=lambda s: (s["start"], s["end"], s["label"]))
        meta = {
            "article_id": article.id,
            "title": article.title,
            "source": article.source,  # the publisher, as in the other formats (None when unknown)
            "date": article.date,
            "url": article.url,
            "path": str(article.path),
            "exported_by": "margin",
        }
        lines.append(dump_json({"text": article.text, "spans": spans, "meta": meta}))
    payload = b"".join(line + b"\n" for line in lines).decode("utf-8")
    return ExportResult(payload, count, messages)


def render(annotations: list[Annotation], context: RenderContext) -> ExportResult:
    """The registered renderer (offsets are re-anchored here, per article)."""
    return export_jsonl(annotations, context.source)


FORMAT = ExportFormat("jsonl", "jsonl", render, current_offsets=False)
