"""Exporting annotations.

Formats (see `export_annotations`):

- `json`: Margin's native format, validated by `tui/schemas/margin-export.schema.json`; the
  default, and what `margin import` reads back;
- `w3c`: a W3C Web Annotation collection (JSON-LD), read by Hypothesis-style tools;
- `jsonl`: one article per line with character spans, as Prodigy/spaCy training tools read it;
- `markdown`: a readable digest, per article;
- `csv`: the columns of common highlight importers (Readwise and the like).

`jsonl`, `markdown` and `csv` read the articles' files (for their text, author, URL); an
article whose file is gone or unreadable is handled gracefully and reported in `messages`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui import __version__
from tui.core.annotations import Annotation, now_iso

if TYPE_CHECKING:
    from tui.core.articles import Article

EXPORT_VERSION = 1
SCHEMA_ID = "https://margin-reader.invalid/schemas/margin-export-v1.json"
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "margin-export.schema.json"
W3C_SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "w3c-annotation-collection.schema.json"
FORMATS = ("json", "w3c", "jsonl", "markdown", "csv")


ARTICLE_DETAILS = ("date", "source", "author", "url")
DETAIL_LIMITS = {"source": 2000, "author": 2000, "url": 8192}  # as in the JSON schema


def annotation_to_export(annotation: Annotation, article=None, speaker_source: str | None = None) -> dict:
    """One annotation as Margin's JSON; `article` (when its file could be read) adds the
    article's date, source, author and URL. `speaker_source` ("user" when the user corrected or
    confirmed the quote's speaker, "model" for the analysis' own; None for passages that are not
    quotes) defaults to "model" for quotes."""
    if speaker_source is None and annotation.kind == "quote":
        speaker_source = "model"
    article_block: dict[str, str | None] = {"id": annotation.article_id, "title": annotation.article_title,
                                            "path": annotation.article_path}
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


def sort_for_export(annotations: list[Annotation]) -> list[Annotation]:
    """Annotations in a stable export order: by article, then by position."""
    return sorted(annotations, key=lambda a: (a.article_title.casefold(), a.article_id, a.start, a.end, a.id))


def export_json_document(annotations: list[Annotation], source: "ArticleSource | None" = None,
                         sources: dict[str, str] | None = None) -> dict:
    """Margin's JSON export document (with `$schema` and `version`), offsets re-anchored to the
    current texts; `sources`: annotation id -> speaker source (see `speaker_sources`)."""
    sources = sources or {}
    def article_of(annotation: Annotation):
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
        "annotations": [annotation_to_export(a, article_of(a), sources.get(a.id)) for a in sort_for_export(annotations)],
    }


@dataclass
class ExportResult:
    """An export's text, how many annotations it holds, and what was left out and why."""
    payload: str
    count: int  # annotations written
    messages: list[str] = field(default_factory=list)  # what was left out, and why


class ArticleSource:
    """Loads each article file once, for formats that need the text or metadata.

    Only articles that are the user's are given out: a file with an article's name (.txt, .md,
    .html), one under the library or a folder Margin has opened, or one whose text is the very
    text an annotation was made on (its hash). Any other file named by a stored annotation (say
    /etc/shadow, from an import made before imports were checked) is never read into an export."""

    def __init__(self) -> None:
        self._cache: dict[str, Article | Exception] = {}
        self._roots: list[Path] | None = None

    def _known(self, path: str) -> bool:
        from tui.core.articles import is_article_name

        if is_article_name(Path(path).name):
            return True
        if self._roots is None:
            from tui.core.importing import known_roots

            self._roots = known_roots()
        try:
            real = Path(os.path.realpath(path))
        except (OSError, ValueError):
            return False
        return any(real == root or real.is_relative_to(root) for root in self._roots)

    def get(self, path: str, hashes=()):
        """(Article, None) or (None, reason). `hashes`: the text hashes of the annotations asking
        (a file outside the user's articles is given out only when its text has one of them)."""
        if path not in self._cache:
            from tui.core.articles import ArticleError, load_article

            try:
                self._cache[path] = load_article(path) if path else ArticleError("no file path recorded")
            except ArticleError as exc:
                self._cache[path] = exc
            except OSError as exc:
                self._cache[path] = ArticleError(f"{path}: {exc.strerror or exc}")
        value = self._cache[path]
        if isinstance(value, Exception):
            return None, str(value)
        if value.text_hash not in hashes and not self._known(path):
            return None, f"{path}: not one of your articles (outside your library and the folders Margin has opened)"
        return value, None


def group_by_article(annotations: list[Annotation]) -> list[list[Annotation]]:
    """Annotations grouped by article (in export order), one list per article."""
    groups: dict[str, list[Annotation]] = {}
    for annotation in sort_for_export(annotations):
        groups.setdefault(annotation.article_id, []).append(annotation)
    return list(groups.values())


def with_current_offsets(annotations: list[Annotation], source: "ArticleSource | None" = None) -> tuple[list[Annotation], list[str]]:
    """Annotations whose article file has changed since they were saved, re-anchored to its
    current text (read-only: the store is not changed), so exported offsets index the text as it
    is now. Articles whose file is gone keep their stored offsets (their `text_hash` says which
    text those index), with a message."""
    from tui.core.anchoring import reanchor

    source = source or ArticleSource()
    result: list[Annotation] = []
    messages: list[str] = []
    for group in group_by_article(annotations):
        article, problem = source.get(group[0].article_path, {a.text_hash for a in group}) if group[0].article_path else (None, None)
        if article is None:
            if problem and any(not a.orphan for a in group):
                messages.append(f"{len(group)} annotation(s) keep their saved offsets: {problem}")
            result.extend(group)
            continue
        for annotation in group:
            if not annotation.orphan and not holds_passage(annotation, article):
                # read-only: the export shows where the passage is now, not a new edit time
                annotation = replace(reanchor(annotation, article.text), updated=annotation.updated)
            result.append(annotation)
    return result, messages


def holds_passage(annotation: Annotation, article) -> bool:
    """Whether the annotation's offsets index its passage in `article`'s current text (same text
    version and the passage really there: offsets are never trusted blindly)."""
    return (
        annotation.text_hash == article.text_hash
        and 0 <= annotation.start <= annotation.end <= len(article.text)
        and article.text[annotation.start:annotation.end] == annotation.text
    )


def speaker_sources(annotations: list[Annotation], corrections) -> tuple[list[Annotation], dict[str, str]]:
    """Quote annotations with the user's speaker where a speaker correction applies to them, and
    annotation id -> "user" | "model" for every quote annotation (the speaker's source)."""
    from tui.core.corrections import match_corrections

    by_article: dict[str, list] = {}
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


def export_annotations(annotations: list[Annotation], fmt: str, corrections=None) -> ExportResult:
    """Render `annotations` in format `fmt` (one of FORMATS). `corrections` (speaker corrections,
    e.g. `tui.core.corrections.all_corrections(store)`) give quotes the user's speaker and
    `speaker_source` "user" (JSON, W3C, Markdown); without them every quote's is "model"."""
    annotations, sources = speaker_sources(annotations, corrections)
    if fmt in ("json", "w3c", "markdown", "csv"):
        source = ArticleSource()
        annotations, messages = with_current_offsets(annotations, source)
        result = _render(annotations, fmt, source, sources)
        result.messages[:0] = messages
        return result
    return _render(annotations, fmt, None, sources)


def _render(annotations: list[Annotation], fmt: str, source: "ArticleSource | None" = None,
            sources: dict[str, str] | None = None) -> ExportResult:
    if fmt == "json":
        import orjson

        document = export_json_document(annotations, source, sources)
        payload = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
        return ExportResult(payload, len(annotations))
    if fmt == "w3c":
        from tui.core.formats.w3c import export_w3c

        return export_w3c(annotations, sources)
    if fmt == "jsonl":
        from tui.core.formats.jsonl import export_jsonl

        return export_jsonl(annotations)
    if fmt == "markdown":
        from tui.core.formats.markdown import export_markdown

        return export_markdown(annotations, sources)
    if fmt == "csv":
        from tui.core.formats.tabular import export_csv

        return export_csv(annotations)
    raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")

