"""What every export format shares: the result, the article files they read, export order,
re-anchoring to the current texts, and the form of a registered format.

The formats (`json` in `tui.core.export`, the others in this package) build on this module;
`tui.core.export` registers them. No format imports `tui.core.export`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.anchoring import reanchor
from tui.core.annotations import Annotation

if TYPE_CHECKING:
    from tui.core.articles import Article
    from tui.core.correction_record import SpeakerCorrection


@dataclass
class RenderContext:
    """What a format's `render` gets besides the annotations: the article files (read once),
    each quote annotation's speaker source ("user" | "model", by annotation id), and the user's
    speaker decisions the export carries (the formats `margin import` reads: JSON, W3C)."""

    source: "ArticleSource"
    speaker_sources: dict[str, str] = field(default_factory=dict)
    decisions: "list[SpeakerCorrection]" = field(default_factory=list)


@dataclass(frozen=True)
class ExportFormat:
    """A registered export format: its name, usual file extension, and `render`. With
    `current_offsets`, annotations are re-anchored to their article's current text first."""

    name: str
    extension: str
    render: Callable[[list[Annotation], RenderContext], "ExportResult"]
    current_offsets: bool = True


def sort_for_export(annotations: list[Annotation]) -> list[Annotation]:
    """Annotations in a stable export order: by article, then by position."""
    return sorted(annotations, key=lambda a: (a.article_title.casefold(), a.article_id, a.start, a.end, a.id))


@dataclass
class ExportResult:
    """An export's text, how many annotations it holds, and what was left out and why."""

    payload: str
    count: int  # annotations written
    messages: list[str] = field(default_factory=list)  # what was left out, and why
    decisions: int = 0  # the user's speaker decisions it carries (JSON, W3C)


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

    def get(self, path: str, hashes: Collection[str] = ()) -> tuple[Article | None, str | None]:
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


def with_current_offsets(
    annotations: list[Annotation], source: "ArticleSource | None" = None
) -> tuple[list[Annotation], list[str]]:
    """Annotations whose article file has changed since they were saved, re-anchored to its
    current text (read-only: the store is not changed), so exported offsets index the text as it
    is now. Articles whose file is gone keep their stored offsets (their `text_hash` says which
    text those index), with a message."""
    source = source or ArticleSource()
    result: list[Annotation] = []
    messages: list[str] = []
    for group in group_by_article(annotations):
        article, problem = (
            source.get(group[0].article_path, {a.text_hash for a in group}) if group[0].article_path else (None, None)
        )
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


def holds_passage(annotation: Annotation, article: Article) -> bool:
    """Whether the annotation's offsets index its passage in `article`'s current text (same text
    version and the passage really there: offsets are never trusted blindly)."""
    return (
        annotation.text_hash == article.text_hash
        and 0 <= annotation.start <= annotation.end <= len(article.text)
        and article.text[annotation.start : annotation.end] == annotation.text
    )
