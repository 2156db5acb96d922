"""Annotations that follow their text: an article's annotations, re-anchored when its text
changed (see `tui.core.anchoring`), and whether a library file still holds a text."""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from pathlib import Path

from tui.core.anchoring import reanchor
from tui.core.annotations import Annotation, ArticleRef, now_iso
from tui.core.articles import load_article
from tui.core.storage.errors import StoreError
from tui.core.storage.store import AnnotationStore


def annotations_for_article(
    store: AnnotationStore, article: ArticleRef, keep_ids: Container[str] | None = None
) -> list[Annotation]:
    """The annotations of `article` (an `Article`), re-anchored when its text changed.

    Those saved with its id, plus those saved under the same file path for another version of
    its text: these are re-anchored (see `tui.core.anchoring`) and saved with the article's new
    id and hash, in one all-or-nothing write — unless their own text still exists (its id is in
    `keep_ids`, e.g. a `TextsInLibrary`): annotations follow the text, so an article
    file overwritten with another article leaves them on the copy of the old text. Orphans
    (passage not found) are included, flagged `orphan=True`. Annotations saved with this id
    under a path that no longer holds their text (the file was moved, renamed or overwritten)
    get the new path. If the changes cannot be saved (a read-only disk), they are shown anyway."""
    keep_ids = keep_ids if keep_ids is not None else ()
    path = str(article.path)
    own = store.for_article(article.id)
    changed: list[Annotation] = []
    result: dict[str, Annotation] = {}
    holds: dict[str, bool] = {}
    for annotation in own:
        old_path = annotation.article_path
        if old_path != path and old_path not in holds:
            holds[old_path] = _holds_text(old_path, article.id)
        moved_file = old_path != path and not holds[old_path]
        if moved_file or annotation.article_title != article.title:
            if moved_file:
                annotation.article_path = path
            annotation.article_title = article.title
            annotation.updated = now_iso()
            changed.append(annotation)
        result[annotation.id] = annotation
    for annotation in store.for_path(path):
        if annotation.article_id == article.id or annotation.id in result or annotation.article_id in keep_ids:
            continue
        moved = reanchor(annotation, article.text)
        moved.article_title = article.title
        result[moved.id] = moved
        changed.append(moved)
    if changed:
        try:
            store.save_many(changed)
        except StoreError:
            if not store.read_only:
                raise
    return sorted(result.values(), key=lambda a: (a.orphan, a.start, a.end))


class TextsInLibrary:
    """`article_id in texts`: does a library file other than `exclude` still hold that text?
    Built from the library's (possibly stale) entries {id: path}; each answer checks the file."""

    def __init__(self, entries: Mapping[str, str] | Callable[[], Mapping[str, str]], exclude: str = "") -> None:
        self._source = entries  # {id: path}, or a function giving it (called when first asked)
        self._exclude = exclude
        self._entries: dict[str, str] | None = None
        self._checked: dict[str, bool] = {}

    @property
    def entries(self) -> dict[str, str]:
        """Article id -> library path, without `exclude` (taken from the source once, when first asked)."""
        if self._entries is None:
            source = self._source() if callable(self._source) else self._source
            self._entries = {aid: p for aid, p in source.items() if p != self._exclude}
        return self._entries

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str) or article_id not in self.entries:
            return False
        if article_id not in self._checked:
            self._checked[article_id] = _holds_text(self.entries[article_id], article_id, unknown=False)
        return self._checked[article_id]


def holds_text(path: str, article_id: str, unknown: bool = True) -> bool:
    """Does the file at `path` still hold the text of `article_id`? (`unknown` when it cannot be read.)"""
    return _holds_text(path, article_id, unknown)


def _holds_text(path: str, article_id: str, unknown: bool = True) -> bool:
    """Does the file at `path` still hold the text of `article_id`?"""
    if not path or not Path(path).exists():
        return False
    try:
        return load_article(path).id == article_id
    except Exception:
        return unknown  # cannot tell
