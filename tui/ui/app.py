"""MarginApp: the Textual application. Screens reach the core only through the methods here."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.content import Content

from tui.core.analysis.service import Analyzer
from tui.core.annotations import Annotation
from tui.core.articles import Article
from tui.core.store import AnnotationStore, StoreError
from tui.ui.screens.library import LibraryScreen


class MarginApp(App):
    CSS_PATH = "margin.tcss"
    TITLE = "Margin"

    def __init__(self, paths: list[str], store: AnnotationStore, model: str | None = None, analyzer: Analyzer | None = None) -> None:
        super().__init__()
        self.paths = [str(p) for p in paths]
        self.store = store
        self.analyzer = analyzer or Analyzer(model=model)
        self.unsaved: dict[str, Annotation] = {}  # annotations whose save failed, retried later

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen(self.paths))
        if self.store.notice:
            self.notify(Content(self.store.notice), severity="warning", timeout=10, markup=False)
        self.set_interval(15, self.retry_unsaved)

    # -- the core, for screens ------------------------------------------------------------------
    def annotations_for(self, article: Article) -> list[Annotation]:
        try:
            saved = {a.id: a for a in self.store.for_article(article.id)}
        except StoreError as exc:
            self.notify(Content(str(exc)), severity="error", markup=False)
            saved = {}
        saved.update({a.id: a for a in self.unsaved.values() if a.article_id == article.id})
        return sorted(saved.values(), key=lambda a: (a.start, a.end))

    def annotation_counts(self) -> dict[str, int]:
        try:
            return self.store.counts_by_article()
        except StoreError:
            return {}

    def known_tags(self) -> list[str]:
        try:
            return self.store.tags()
        except StoreError:
            return []

    def save_annotation(self, annotation: Annotation) -> bool:
        """Save now; on failure keep it in memory, say so, and retry later. Never drops it."""
        try:
            self.store.update(annotation)
        except StoreError as exc:
            self.unsaved[annotation.id] = annotation
            self.notify(
                Content(f"Not saved yet ({exc}); kept in memory and retried."), severity="error", timeout=8, markup=False
            )
            return False
        self.unsaved.pop(annotation.id, None)
        self.retry_unsaved()
        return True

    def retry_unsaved(self) -> None:
        for annotation in list(self.unsaved.values()):
            try:
                self.store.update(annotation)
            except StoreError:
                return
            self.unsaved.pop(annotation.id, None)


def default_paths() -> list[Path]:
    from tui.core.paths import SAMPLE_ARTICLES

    return [SAMPLE_ARTICLES]
