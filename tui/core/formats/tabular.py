"""CSV with the columns common highlight importers read (Readwise and the like):
Highlight, Title, Author, URL, Note, Tags, Location, Date.

Author is the article's author when its file names one (never the publisher: a source is not an
author), else empty; URL comes from the article file when it names one (else a file: URI).
Location is the character offset of the passage (empty for an orphan), Date its creation time
(UTC). Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.

Tags are one cell, itself a line of CSV (`tags_cell`): separated by ", ", a tag that holds a
comma, a backslash or a line break, or that begins with a double quote, an apostrophe or a
space, is in double quotes, a double quote in it doubled. So any tags
split back exactly (`split_tags_cell`); plain tags read as before: `claim, needs check`.
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


def _needs_quotes(tag: str) -> bool:
    """Whether a tag is in double quotes in the Tags cell: it holds a comma, a backslash or a
    line break, begins with a double quote, an apostrophe or a space, or is empty."""
    return not tag or any(c in tag for c in ",\\\n\r") or tag[0] in "\"' "


def tags_cell(tags: list[str]) -> str:
    """The Tags cell: the tags separated by ", ", each that needs it in double quotes (a double
    quote in it doubled), as one line of CSV; `split_tags_cell` reads it back."""
    return ", ".join('"' + tag.replace('"', '""') + '"' if _needs_quotes(tag) else tag for tag in tags)


def split_tags_cell(cell: str) -> list[str]:
    """The tags of a Tags cell written by `tags_cell` (an apostrophe the export put before a
    formula character taken off first)."""
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_START):
        cell = cell[1:]
    if not cell:
        return []
    return next(csv.reader(io.StringIO(cell, newline=""), skipinitialspace=True), [])


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
        author = getattr(article, "author", None) or ""  # the author only: a publisher is no author
        url = getattr(article, "url", None) or (Path(a.article_path).as_uri() if Path(a.article_path).is_absolute() else "")
        writer.writerow(
            [
                _cell(a.text),
                _cell(a.article_title),
                _cell(author),
                _cell(url),
                _cell(a.note),
                _cell(tags_cell(a.tags)),
                "" if a.orphan else a.start,  # an orphan has no place in the text: no Location
                _date(a.created),
            ]
        )
    return ExportResult(buffer.getvalue(), len(annotations))


def render(annotations: list[Annotation], context: RenderContext) -> ExportResult:
    """The registered renderer."""
    return export_csv(annotations, context.source)


FORMAT = ExportFormat("csv", "csv", render)
