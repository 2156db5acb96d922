"""Markdown: per article, each passage as a block quote with its speaker, tags and note."""

from __future__ import annotations

import re

from tui.core.annotations import Annotation, now_iso
from tui.core.formats.base import ArticleSource, ExportFormat, ExportResult, RenderContext, group_by_article
from tui.core.quote_table import shown_path
from tui.core.text import one_line, valid_text

# A line starting so would be a heading, list item, quote, rule or setext underline: escaped.
_BLOCK_START = re.compile(r"^(\s*)(?:([#>+\-=])|(\d+)([.)]))")
# What a renderer would read as markup inside a line: a backslash (an escape, or a line break at
# the end), emphasis and strikethrough marks, code spans, links and images (their `[`: a `]` with
# no `[` is text), table cells, an HTML tag or autolink, and an `&` that starts a character
# reference (`&amp;`, `&#38;`, `&#x26;`) — a lone `&` ("AT&T", "Q & A") shows as itself and is
# left as it is; so is `_` inside a word (snake_case), which never makes emphasis.
_INLINE = re.compile(r"[\\*`\[~|<]|&(?=#?[0-9A-Za-z]+;)|(?<![^\W_])_|_(?![^\W_])")
_INLINE_HEADING = re.compile(r"#|" + _INLINE.pattern)
_INLINE_AS = {"<": "&lt;", "&": "&amp;"}  # the others are escaped with a backslash


def _escape_line(line: str, heading: bool = False) -> str:
    """A line of text as Markdown that renders as exactly that text: never a heading, list,
    nested quote, rule, HTML, entity, emphasis, code or link (a CommonMark renderer shows the
    original characters). In a `heading`, every `#` is escaped too (a closing run would be dropped)."""

    def escaped(m: re.Match[str]) -> str:
        return _INLINE_AS.get(m.group(), "\\" + m.group())

    line = (_INLINE_HEADING if heading else _INLINE).sub(escaped, line)
    return _BLOCK_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), line)


def _code(text: str) -> str:
    """`text` as a code span, shown literally (no entity, no escape): fenced by more backticks
    than any run in it, and padded with a space where the renderer would take one off."""
    text = " ".join(text.splitlines())  # a code span's line ends show as spaces anyway
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip() != "")
    return f"{fence} {text} {fence}" if pad else f"{fence}{text}{fence}"


def _quote(text: str) -> str:
    return "\n".join("> " + _escape_line(line) if line.strip() else ">" for line in text.strip("\n").split("\n"))


def export_markdown(
    annotations: list[Annotation],
    sources: dict[str, str] | None = None,
    article_source: ArticleSource | None = None,
) -> ExportResult:
    """Per article, each passage as a block quote with its speaker, tags and note (a speaker the
    user corrected or confirmed, `sources[id] == "user"`, says so); under each article's title
    its publisher, date and web address when its file (from `article_source`) gives them."""
    sources = sources or {}
    out = ["# Margin annotations", "", f"Exported {now_iso()}: {len(annotations)} annotation(s).", ""]
    for group in group_by_article(annotations):
        first = group[0]
        out += [f"## {_escape_line(first.article_title or first.article_id, heading=True)}", ""]
        byline = _byline(first, group, article_source)
        if byline:
            out += [byline, ""]
        # a file name's bytes that are not UTF-8 as \xNN (a backslash as \\), as `margin quotes` shows a path
        out += [_code(shown_path(first.article_path)) if first.article_path else f"Article {_escape_line(first.article_id)}", ""]
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
                out += ["**Tags:** " + ", ".join(_code(t) for t in annotation.tags), ""]
            if annotation.note:
                note_lines = [_escape_line(line) for line in annotation.note.strip().split("\n")]
                out += ["**Note:** " + "  \n".join(note_lines), ""]  # "  \n": Markdown's hard line break
            out += ["---", ""]
    # any other text that is not UTF-8 (a title taken from a file name) shows its bad bytes as �:
    # markdown is text for people, written as UTF-8
    return ExportResult(valid_text("\n".join(out).rstrip("\n") + "\n"), len(annotations))


def _byline(first: Annotation, group: list[Annotation], article_source: ArticleSource | None) -> str:
    """ "*Publisher · 2020-11-12 · https://…*" for an article whose file names them, else ""."""
    if article_source is None or not first.article_path:
        return ""
    article, _ = article_source.get(first.article_path, {a.text_hash for a in group})
    if article is None:
        return ""
    parts = [_escape_line(one_line(part)) for part in (article.source, article.date) if part]
    if article.url:
        parts.append(f"<{article.url}>" if " " not in article.url and ">" not in article.url else _code(article.url))
    return "*" + " · ".join(parts) + "*" if parts else ""


def render(annotations: list[Annotation], context: RenderContext) -> ExportResult:
    """The registered renderer."""
    return export_markdown(annotations, context.speaker_sources, context.source)


FORMAT = ExportFormat("markdown", "md", render)
