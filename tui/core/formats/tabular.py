"""CSV with the columns common highlight importers read (Readwise and the like):
Highlight, Title, Author, URL, Note, Tags, Location, Date.

Author and URL come from the article file when it names them (URL falls back to a file: URI),
Location is the character offset of the passage (empty for an orphan), Date its creation time (UTC). Cells that a
spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from tui.core.annotations import Annotation
from tui.core.formats.base import ArticleSource, ExportFormat, ExportResult, RenderContext, sort_for_export

COLUMNS = ["Highlight", "Title", "Author", "URL", "Note", "Tags", "Location", "Date"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def export_csv(annotations: list[Annotation], source: ArticleSource | None = None) -> ExportResult:
    """CSV with the columns highlight importers read; cells that a spreadsheet would run as formulas are neutralised."""
    source = source or ArticleSource()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for a in sort_for_export(annotations):
        article, _ = source.get(a.article_path, (a.text_hash,))
        author = getattr(article, "author", None) or getattr(article, "source", None) or ""
        url = getattr(article, "url", None) or (Path(a.article_path).as_uri() if Path(a.article_path).is_absolute() else "")
        writer.writerow(
            [
                _cell(a.text),
                _cell(a.article_title),
                _cell(author),
                _cell(url),
                _cell(a.note),
                _cell(", ".join(a.tags)),
                "" if a.orphan else a.start,  # an orphan has no place in the text: no Location
                _date(a.created),
            ]
        )
    return ExportResult(buffer.getvalue(), len(annotations))


def render(annotations: list[Annotation], context: RenderContext) -> ExportResult:
    """The registered renderer."""
    return export_csv(annotations, context.source)


FORMAT = ExportFormat("csv", "csv", render)
