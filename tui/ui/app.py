"""MarginApp: the Textual application. Screens reach the core only through the methods here."""

from __future__ import annotations

import gc
import traceback
from datetime import datetime

from rich.text import Text
from textual.app import App, SystemCommand
from textual.screen import Screen

from tui.core import settings
from tui.core.analysis.service import Analyzer
from tui.core.annotations import Annotation, now_iso
from tui.core.articles import Article
from tui.core.paths import cache_dir
from tui.core.store import AnnotationStore, StoreError, TextsInLibrary, annotations_for_article
from tui.core.text import one_line
from tui.ui import theme
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
        self._theme_loaded = False
        self.deleted: list[Annotation] = []  # for undo, across articles
        self._store_token = ""
        self._last_read: dict[str, dict[str, Annotation]] = {}  # article id -> annotations last read
        theme.hide_uncheckable_themes(self)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **theme.MARGIN_VARIABLES}

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, with its text colours raised to WCAG AA where it falls short."""
        variables = {**super().get_css_variables(), **theme.readable_variables_for(self.current_theme)}
        self.theme_variables = variables
        return variables

    def watch_theme(self, name: str) -> None:
        """Remember the chosen theme, and let the screens re-colour what they drew themselves."""
        if not self._theme_loaded:
            return
        settings.save_setting("theme", name)
        for screen in self.screen_stack:
            recolour = getattr(screen, "on_theme_changed", None)
            if recolour is not None:
                recolour()

    def on_mount(self) -> None:
        saved_theme = settings.load_setting("theme")
        if isinstance(saved_theme, str) and saved_theme in self.available_themes:
            self.theme = saved_theme
        self._theme_loaded = True
        self.push_screen(LibraryScreen(self.paths))
        self._show_store_notice()
        self._store_token = self.store.version()
        self.set_interval(15, self.retry_unsaved)
        self.set_interval(2, self.check_store_changes)

    def settle_memory(self) -> None:
        """Collect garbage once, then freeze what is alive (the article, its lines, highlights) so
        the cyclic GC stops rescanning it: without this a full collection lands on a key press now
        and then (64 ms instead of 12 ms on a 100,000-word article, bench/reader_bench.py)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

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
        saved = "your annotations are saved"
        if self.unsaved:
            recovery = self.write_recovery_file()
            saved = f"{len(self.unsaved)} unsaved annotation(s) written to {recovery}" if recovery else "some annotations could not be saved"
        self._exit_renderables.append(
            Text(f"margin: error: Margin stopped after an internal error ({type(self._last_error).__name__}); "
                 f"{saved}; {where}")
        )
        self._close_messages_no_wait()

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Export annotations", "Write annotations to a file (this article's or all)", self.action_export)
        yield SystemCommand("People", "Every speaker across the library, their quotes as a timeline (P in the library, W in the reader)",
                            self.action_people)
        if hasattr(screen, "action_open"):
            yield SystemCommand("Open article", "Open the highlighted article", screen.action_open)
        if hasattr(screen, "action_toggle_panel"):
            yield SystemCommand("Toggle side panel", "Show or hide the notes / who said what / entities panel", screen.action_toggle_panel)
            yield SystemCommand("Notes panel", "This article's annotations (a)", lambda: screen.action_panel("notes"))
            yield SystemCommand("Who said what", "Each speaker with their quotes (s)", lambda: screen.action_panel("quotes"))
            yield SystemCommand("Entities", "People, organisations, places… with mention counts (E)", lambda: screen.action_panel("entities"))
            yield SystemCommand("Back to the library", "Close this article", screen.action_back)
        if hasattr(screen, "action_help"):
            yield SystemCommand("Help: every key of this screen", "Grouped, with what each does", screen.action_help)

    def action_people(self) -> None:
        """People across the library, from any screen (the library below knows the articles)."""
        library = next((s for s in self.screen_stack if isinstance(s, LibraryScreen)), None)
        if library is not None:
            library.action_people()

    # -- the core, for screens ------------------------------------------------------------------
    def annotations_for(self, article: Article) -> list[Annotation]:
        """The article's annotations: re-anchored if its text changed; orphans (passage no longer
        found) included with `orphan=True`; unsaved ones (a failed write) included too. If the
        database cannot be read now, the annotations last read are shown (never an empty view)."""
        try:
            texts = TextsInLibrary(self.library_article_ids(), exclude=str(article.path))
            saved = {a.id: a for a in annotations_for_article(self.store, article, texts)}
            self._last_read[article.id] = saved
        except StoreError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            saved = dict(self._last_read.get(article.id, {}))
        saved.update({a.id: a for a in self.unsaved.values() if a.article_id == article.id})
        self._show_store_notice()
        return sorted(saved.values(), key=lambda a: (a.orphan, a.start, a.end))

    def library_article_ids(self) -> dict[str, str]:
        """{id (text hash): file path} of the articles in the library: annotations follow their
        text, so those of a text still in the library are never moved to another file's new text."""
        from tui.ui.screens.library import LibraryScreen

        ids: dict[str, str] = {}
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                ids.update((entry.id, entry.path) for entry in screen.entries if entry.id)
        return ids

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
        for screen in reversed(self.screen_stack):  # also under a dialog: the reader or library below it
            refresh = getattr(screen, "on_store_changed", None)
            if refresh is not None:
                refresh()
                return

    def stored_version(self, annotation: Annotation) -> Annotation:
        """The annotation as stored now (another process may have changed it since it was shown)."""
        if annotation.id in self.unsaved:
            return self.unsaved[annotation.id]
        try:
            stored = self.store.get(annotation.id, annotation.article_id)
        except StoreError:
            stored = None
        return stored or annotation

    def annotation_counts(self) -> dict[str, int]:
        """Annotations per article id, and per article file path (so an article whose file was
        edited since, and whose annotations are re-anchored only when it is opened, still counts)."""
        try:
            counts = self.store.counts_by_path()
            counts.update(self.store.counts_by_article())
        except StoreError:
            return {}
        return counts

    def known_tags(self) -> list[str]:
        try:
            tags = self.store.tags()
        except StoreError:
            tags = []
        return tags + [t for t in self.palette() if t not in tags]

    def save_annotation(self, annotation: Annotation) -> bool:
        """Save now; on failure keep it in memory, say so, and retry later. Never drops it."""
        changed_elsewhere = self.store.changed_since(self._store_token)
        try:
            self.store.update(annotation)
        except StoreError as exc:
            self.unsaved[annotation.id] = annotation
            self.notify(f"Not saved yet ({one_line(str(exc))}); kept in memory and retried.", severity="error", timeout=8, markup=False
            )
            return False
        self.unsaved.pop(annotation.id, None)
        if not changed_elsewhere:
            self._store_token = self.store.version()  # only our own change: nothing to reload
        self.retry_unsaved()
        return True

    def change_annotation(
        self,
        base: Annotation,
        add_tags: list[str] = (),
        remove_tags: list[str] = (),
        note: str | None = None,
        note_before: str = "",
    ) -> tuple[Annotation, str | None]:
        """Apply the user's change to the annotation *as stored now*, in one read-modify-write
        under the store's lock: tags added and removed, the note replaced. Another process's
        change in between is kept. Returns (the annotation, None), or — when the stored note was
        changed elsewhere since `note_before` and differs from `note` — (the stored annotation,
        its note) without saving anything: the caller asks which note to keep.

        `base` is the annotation as the user saw it (or a new one, not stored yet). If the
        database cannot be written, the change is applied to what is known and kept unsaved."""

        def apply(current: Annotation) -> str | None:
            if note is not None and current.note != note and current.note != note_before:
                return current.note
            removed = {t.casefold() for t in remove_tags}
            tags = [t for t in current.tags if t.casefold() not in removed]
            present = {t.casefold() for t in tags}
            for tag in add_tags:
                if tag.casefold() not in present:
                    present.add(tag.casefold())
                    tags.append(tag)
            current.tags = tags
            if note is not None:
                current.note = note
            return None

        changed_elsewhere = self.store.changed_since(self._store_token)
        try:
            with self.store.transaction():
                current = self.unsaved.get(base.id) or self.store.get(base.id, base.article_id)
                if current is None:  # a new annotation: unless another process just made one there
                    current = next((a for a in self.store.for_article(base.article_id) if not a.orphan
                                    and (a.start, a.end) == (base.start, base.end)), base)
                theirs = apply(current)
                if theirs is not None:
                    return current, theirs
                self.store.update(current)
        except StoreError as exc:
            current = self.unsaved.get(base.id) or base
            theirs = apply(current)
            if theirs is not None:
                return current, theirs
            current.updated = now_iso()
            self.unsaved[current.id] = current
            self.notify(f"Not saved yet ({one_line(str(exc))}); kept in memory and retried.", severity="error", timeout=8,
                        markup=False)
            return current, None
        self.unsaved.pop(current.id, None)
        if not changed_elsewhere:
            self._store_token = self.store.version()  # only our own change: nothing to reload
        self.retry_unsaved()
        return current, None

    def delete_annotation(self, annotation: Annotation) -> bool:
        """Delete it (an unsaved one is only forgotten); remembered for `undo_delete`."""
        if annotation.id in self.unsaved and self.store.get(annotation.id, annotation.article_id) is None:
            self.unsaved.pop(annotation.id)
        else:
            try:
                self.store.delete(annotation.id)
            except StoreError as exc:
                self.notify(f"Could not delete: {one_line(str(exc))}", severity="error", markup=False)
                return False
            self.unsaved.pop(annotation.id, None)
        self.deleted.append(annotation)
        return True

    def undo_delete(self, article: Article | None = None) -> Annotation | None:
        """Restore the last deleted annotation (of `article`, if given); None if there is none."""
        for index in range(len(self.deleted) - 1, -1, -1):
            annotation = self.deleted[index]
            if article is None or annotation.article_id == article.id:
                del self.deleted[index]
                self.save_annotation(annotation)
                return annotation
        return None

    # -- leaving: nothing typed or unsaved is lost -------------------------------------------------
    async def action_quit(self) -> None:
        import sys

        dialogs = sys.modules.get("tui.ui.screens.dialogs")
        if dialogs is None:  # never loaded: no question or note can be open (and quitting stays quick)
            self.quit_safely()
            return
        ConfirmDialog, NoteDialog = dialogs.ConfirmDialog, dialogs.NoteDialog
        if isinstance(self.screen, ConfirmDialog):
            return  # a question is open: answer it first (a second ctrl+q must not skip it)
        typing = next((s for s in self.screen_stack if isinstance(s, NoteDialog) and s.is_changed), None)
        if typing is not None:

            def decided(discard: bool | None) -> None:
                if discard:
                    self.quit_safely()

            self.push_screen(ConfirmDialog("Quit and lose the note you are typing?", yes="Quit", no="Keep editing"), decided)
            return
        self.quit_safely()

    def quit_safely(self) -> None:
        """Exit, after a last try to save what could not be saved; what still fails goes to a
        recovery file (and if even that fails, Margin stays open rather than lose it)."""
        self.retry_unsaved()
        if self.unsaved:
            path = self.write_recovery_file()
            where = f" They were written to {path}; `margin import` it later." if path else ""
            self.notify(
                f"{len(self.unsaved)} annotation(s) could not be saved to the database.{where}",
                severity="error",
                timeout=15,
                markup=False,
            )
            if path is None:
                return
        self.exit()

    def write_recovery_file(self):
        """Write unsaved annotations as an importable JSON export in the data dir; its path or None."""
        from tui.core.export import export_annotations
        from tui.core.paths import data_dir
        from tui.core.store import write_atomically

        path = data_dir() / f"unsaved-annotations-{datetime.now():%Y%m%d-%H%M%S}.json"
        try:
            payload = export_annotations(list(self.unsaved.values()), "json").payload
            write_atomically(path, payload.encode("utf-8"))
        except Exception:
            return None
        return path

    # -- export and tags for the screens ---------------------------------------------------------
    def export_to(self, path, fmt: str, force: bool = False, article: Article | None = None,
                  articles: set[str] | None = None):
        """Export every annotation, those of `article`, or those of the articles whose id or path
        is in `articles`, to `path`; returns the ExportResult."""
        from tui.core import exporting

        if article is not None:
            annotations = {a.id: a for a in self.annotations_for(article)}
        else:
            annotations = {a.id: a for a in self.store.all()}
            annotations.update(self.unsaved)
            if articles is not None:
                annotations = {k: a for k, a in annotations.items()
                               if a.article_id in articles or a.article_path in articles}
        return exporting.export_to_file(list(annotations.values()), path, fmt, force=force)

    def tag_choices(self) -> list[str]:
        """Every tag in use, spellings merged case-insensitively, most used first (for filters)."""
        from tui.core.library import tag_choices

        try:
            annotations = self.store.all()
        except StoreError as exc:
            self.notify(f"Tags unavailable: {one_line(str(exc))}", severity="error", markup=False)
            return []
        return tag_choices(annotations + list(self.unsaved.values()))

    def article_ids_tagged(self, tag: str) -> set[str]:
        wanted = tag.casefold()
        try:
            annotations = self.store.all()
        except StoreError as exc:
            self.notify(f"Tags unavailable: {one_line(str(exc))}", severity="error", markup=False)
            return set()
        annotations += list(self.unsaved.values())
        tagged = [a for a in annotations if any(t.casefold() == wanted for t in a.tags)]
        return {a.article_id for a in tagged} | {a.article_path for a in tagged}  # ids, and paths (see annotation_counts)

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
        """Where the reader left this article: by its text, else (an edited file) by its path."""
        offset = settings.load_position(article.id)
        if offset is None:
            offset = settings.load_position(f"path:{article.path}")
        return None if offset is None else min(offset, len(article.text))

    def remember_position(self, article: Article, offset: int) -> None:
        settings.save_position(article.id, offset)
        settings.save_position(f"path:{article.path}", offset)
        # Read up to the end of the cursor's paragraph: on the last paragraph, read through.
        text = article.text
        end = text.find("\n\n", offset)
        settings.save_progress(article.id, round(100 * (len(text) if end < 0 else end) / max(1, len(text))))

    def action_export(self) -> None:
        from tui.ui.screens.export_dialog import ExportDialog

        self.push_screen(ExportDialog(getattr(self.screen, "article", None)))


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
