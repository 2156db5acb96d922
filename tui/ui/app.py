"""MarginApp: the Textual application. Screens reach the core only through the methods here."""

from __future__ import annotations

import traceback
from datetime import datetime

from rich.text import Text
from textual.app import App, SystemCommand
from textual.screen import Screen

from tui.core import settings
from tui.core.paths import cache_dir
from tui.core.text import one_line
from tui.core.analysis.service import Analyzer
from tui.core.annotations import Annotation
from tui.core.articles import Article
from tui.core.store import AnnotationStore, StoreError, annotations_for_article
from tui.ui.screens.library import LibraryScreen


class MarginApp(App):
    CSS_PATH = "margin.tcss"
    TITLE = "Margin"

    def __init__(
        self,
        paths: list[str],
        store: AnnotationStore,
        model: str | None = None,
        analyzer: Analyzer | None = None,
        debug: bool = False,
    ) -> None:
        super().__init__()
        self.debug_errors = debug
        self._last_error: BaseException | None = None
        self.paths = [str(p) for p in paths]
        self.store = store
        self.analyzer = analyzer or Analyzer(model=model)
        self.unsaved: dict[str, Annotation] = {}  # annotations whose save failed, retried later
        self._palette: list[str] | None = None
        self._shown_notice: str | None = None
        self._store_token = ""

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen(self.paths))
        self._show_store_notice()
        self._store_token = self.store.version()
        self.set_interval(15, self.retry_unsaved)
        self.set_interval(2, self.check_store_changes)

    def steady_cursors(self, screen: Screen) -> None:
        """Headless runs (tests, snapshots) get non-blinking cursors, so screenshots are stable."""
        if self.is_headless:
            for widget in screen.query("Input, TextArea"):
                widget.cursor_blink = False

    # -- never a traceback in the user's face ----------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        self._last_error = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Write the traceback to a crash log and leave one clear line (all annotations are saved)."""
        if self.debug_errors or self._last_error is None:
            super()._fatal_error()
            return
        log = write_crash_log(self._last_error)
        where = f"details in {log}" if log else "run with --debug for details"
        self._exit_renderables.append(
            Text(f"margin: error: Margin stopped after an internal error ({type(self._last_error).__name__}); "
                 f"your annotations are saved; {where}")
        )
        self._close_messages_no_wait()

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Export annotations", "Write all annotations to a file", self.action_export)
        if hasattr(screen, "action_open"):
            yield SystemCommand("Open article", "Open the highlighted article", screen.action_open)
        if hasattr(screen, "action_toggle_panel"):
            yield SystemCommand("Toggle side panel", "Show or hide the notes / who said what / entities panel", screen.action_toggle_panel)
            yield SystemCommand("Back to the library", "Close this article", screen.action_back)
        if hasattr(screen, "action_help"):
            yield SystemCommand("Keys", "Every key of this screen", screen.action_help)

    # -- the core, for screens ------------------------------------------------------------------
    def annotations_for(self, article: Article) -> list[Annotation]:
        """The article's annotations: re-anchored if its text changed; orphans (passage no longer
        found) included with `orphan=True`; unsaved ones (a failed write) included too."""
        try:
            saved = {a.id: a for a in annotations_for_article(self.store, article)}
        except StoreError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            saved = {}
        saved.update({a.id: a for a in self.unsaved.values() if a.article_id == article.id})
        self._show_store_notice()
        return sorted(saved.values(), key=lambda a: (a.orphan, a.start, a.end))

    def _show_store_notice(self) -> None:
        notice = self.store.notice
        if notice and notice != self._shown_notice:
            self._shown_notice = notice
            self.notify(one_line(notice), severity="warning", timeout=10, markup=False)

    def check_store_changes(self) -> None:
        """Another process (a second Margin, `margin import`) changed the database: show it."""
        token = self.store.version()
        if token == self._store_token:
            return
        self._store_token = token
        refresh = getattr(self.screen, "on_store_changed", None)
        if refresh is not None:
            refresh()

    def annotation_counts(self) -> dict[str, int]:
        try:
            return self.store.counts_by_article()
        except StoreError:
            return {}

    def known_tags(self) -> list[str]:
        try:
            tags = self.store.tags()
        except StoreError:
            tags = []
        return tags + [t for t in self.palette() if t not in tags]

    def save_annotation(self, annotation: Annotation) -> bool:
        """Save now; on failure keep it in memory, say so, and retry later. Never drops it."""
        try:
            self.store.update(annotation)
        except StoreError as exc:
            self.unsaved[annotation.id] = annotation
            self.notify(f"Not saved yet ({one_line(str(exc))}); kept in memory and retried.", severity="error", timeout=8, markup=False
            )
            return False
        self.unsaved.pop(annotation.id, None)
        self._store_token = self.store.version()  # our own change: nothing to reload
        self.retry_unsaved()
        return True

    def delete_annotation(self, annotation: Annotation) -> bool:
        self.unsaved.pop(annotation.id, None)
        try:
            self.store.delete(annotation.id)
        except StoreError as exc:
            self.notify(f"Could not delete: {one_line(str(exc))}", severity="error", markup=False)
            return False
        self._store_token = self.store.version()
        return True

    def retry_unsaved(self) -> None:
        for annotation in list(self.unsaved.values()):
            try:
                self.store.update(annotation)
            except StoreError:
                return
            self.unsaved.pop(annotation.id, None)

    def palette(self) -> list[str]:
        if self._palette is None:
            self._palette = settings.load_palette()
        return self._palette

    def set_palette(self, tags: list[str]) -> list[str]:
        try:
            self._palette = settings.save_palette(tags)
        except OSError as exc:
            self.notify(f"Palette not saved: {one_line(str(exc))}", severity="error", markup=False)
        return self.palette()

    def reading_position(self, article: Article) -> int | None:
        return settings.load_position(article.id)

    def remember_position(self, article: Article, offset: int) -> None:
        settings.save_position(article.id, offset)

    def action_export(self) -> None:
        from tui.ui.screens.export_dialog import ExportDialog

        self.push_screen(ExportDialog())


def write_crash_log(error: BaseException):
    """Save a traceback under the cache dir; returns its path, or None if it cannot be written."""
    try:
        folder = cache_dir() / "crash-logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}.log"
        path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
        return path
    except OSError:
        return None
