"""Markdown: per article, each passage as a block quote with its speaker, tags and note."""

from __future__ import annotations

import re

from tui.core.annotations import Annotation, now_iso
from tui.core.formats.base import ExportFormat, ExportResult, RenderContext, group_by_article
from tui.core.text import valid_text

_BLOCK_START = re.compile(r"^(\s*)([#>*+\-]|\d+[.)])")


def _escape_line(line: str) -> str:
    """Keep a line of text from turning into a heading, list, nested quote, rule or HTML."""
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line).replace("<", "&lt;")


def _quote(text: str) -> str:
    return "\n".join("> " + _escape_line(line) if line.strip() else ">" for line in text.strip("\n").split("\n"))


def export_markdown(annotations: list[Annotation], sources: dict[str, str] | None = None) -> ExportResult:
    """Per article, each passage as a block quote with its speaker, tags and note (a speaker the
    user corrected or confirmed, `sources[id] == "user"`, says so)."""
    sources = sources or {}
    out = ["# Margin annotations", "", f"Exported {now_iso()}: {len(annotations)} annotation(s).", ""]
    for group in group_by_article(annotations):
        first = group[0]
        out += [f"## {_escape_line(first.article_title or first.article_id)}", ""]
        out += [f"`{first.article_path}`" if first.article_path else f"Article {first.article_id}", ""]
        for annotation in group:
            out.append(_quote(annotation.text))
            user = sources.get(annotation.id) == "user"
            if annotation.kind == "quote" and annotation.speaker:
                out += [">", f"> — {_escape_line(annotation.speaker)}" + (" (speaker checked by you)" if user else "")]
            elif annotation.kind == "quote" and user:
                out += [">", "> *(You marked this as not a quote.)*"]
            out.append("")
            if annotation.orphan:
                out += ["*(This passage is no longer in the article's current text.)*", ""]
            if annotation.tags:
                out += ["**Tags:** " + ", ".join(f"`{t}`" for t in annotation.tags), ""]
            if annotation.note:
                note_lines = [_escape_line(line) for line in annotation.note.strip().split("\n")]
                out += ["**Note:** " + "  \n".join(note_lines), ""]  # "  \n": Markdown's hard line break
            out += ["---", ""]
    # a file name that is not UTF-8 (a path, or a title taken from it) shows its bad bytes as �:
    # markdown is text for people, written as UTF-8
    return ExportResult(valid_text("\n".join(out).rstrip("\n") + "\n"), len(annotations))


def render(annotations: list[Annotation], context: RenderContext) -> ExportResult:
    """The registered renderer."""
    return export_markdown(annotations, context.speaker_sources)


FORMAT = ExportFormat("markdown", "md", render)
