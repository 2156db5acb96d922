"""MarginApp: the Textual application. Screens reach the core through the methods here, which
ask the core (`AnnotationSession`, the store, settings) and only show what it answers."""

from __future__ import annotations

import gc
import threading
import traceback
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.screen import ModalScreen, Screen

from tui.core import settings
from tui.core.annotations import Annotation
from tui.core.paths import cache_dir
from tui.core.session import AnnotationSession, NotSaved
from tui.core.storage.errors import StoreError
from tui.core.text import one_line
from tui.ui import theme
from tui.ui.messages import StoreChanged, ThemeChanged
from tui.ui.screens.library import LibraryScreen
from tui.ui.sizes import SHORT_BELOW

if TYPE_CHECKING:
    from tui.core.analysis.service import Analyzer
    from tui.core.articles import Article
    from tui.core.storage.store import AnnotationStore


class MarginApp(App):
    CSS_PATH = "margin.tcss"
    SUSPENDED_SCREEN_CLASS = "-covered"  # a screen under a dialog: its footer's keys are not the dialog's (hidden)
    TITLE = "Margin"

    def __init__(
        self,
        paths: list[str],
        store: AnnotationStore,
        model: str | None = None,
        analyzer: Analyzer | None = None,
        debug: bool = False,
        quotes_from: str | None = None,
    ) -> None:
        super().__init__()
        self.quotes_from = quotes_from  # a Parquet quote table to open People over, after the library
        self.debug_errors = debug
        self._keys_taken_before_quit = False  # ctrl+q over a note editor: its typed keys are in first
        self._saved_before_quit = False  # ctrl+s then ctrl+q: the quit waited for the note's save
        self._last_error: BaseException | None = None
        self.paths = [str(p) for p in paths]
        self.store = store
        self.session = AnnotationSession(store)
        self._model = model
        self._analyzer = analyzer
        self._analyzer_lock = threading.Lock()  # made on first use, by the UI or a worker
        # set when Margin quits: a reader's analysis still running (a long article, or one left
        # to finish for the cache) stops at its next batch instead of holding up the exit
        self.stop_analysis = threading.Event()
        self.farewell: list[str] = []  # lines for the terminal once the screen is gone (see `run`)
        self._theme_loaded = False
        theme.hide_uncheckable_themes(self)

    def on_resize(self, event: events.Resize) -> None:
        """Under SHORT_BELOW rows the app has the class -short: dialogs drop padding and frames
        (margin.tcss). Set only when it changes: a class change restyles every screen."""
        self.set_class(event.size.height < SHORT_BELOW, "-short")

    def run(self, *args, **kwargs):
        """Run the app; then print `farewell` (what a toast said as the app closed) on stderr, as
        whole lines: Rich would cut a long path where it wraps, and the path must copy whole."""
        result = super().run(*args, **kwargs)
        if self.farewell:
            import sys

            print("\n".join(self.farewell), file=sys.stderr)
        return result

    @property
    def analyzer(self) -> Analyzer:
        """The analysis service, made on first use (spaCy and the analysis modules are imported
        only then, after the first frame)."""
        with self._analyzer_lock:
            if self._analyzer is None:
                from tui.core.analysis.service import Analyzer

                self._analyzer = Analyzer(model=self._model)
            return self._analyzer

    @property
    def unsaved(self) -> dict[str, Annotation]:
        """Annotations whose save failed, kept in memory and retried (the session's)."""
        return self.session.unsaved

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **theme.MARGIN_VARIABLES}

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, with its text colours raised to WCAG AA where it falls short."""
        variables = {**super().get_css_variables(), **theme.readable_variables_for(self.current_theme)}
        self.theme_variables = variables
        return variables

    def watch_theme(self, name: str) -> None:
        """Remember the chosen theme, and tell every screen (they re-colour what they drew)."""
        if not self._theme_loaded:
            return
        settings.save_setting("theme", name)
        for screen in self.screen_stack:
            screen.post_message(ThemeChanged(name))

    def on_mount(self) -> None:
        saved_theme = settings.load_setting("theme")
        if isinstance(saved_theme, str) and saved_theme in self.available_themes:
            self.theme = saved_theme
        self._theme_loaded = True
        self.push_screen(LibraryScreen(self.paths))
        if self.quotes_from:
            from tui.ui.screens.people_table import open_quote_table

            open_quote_table(self, self.quotes_from)
        self._show_store_notice()
        self.session.start()
        self._recover_corrections()
        self.set_interval(15, self.retry_unsaved)
        self.set_interval(2, self.check_store_changes)
        self.call_after_refresh(self._started)

    def _recover_corrections(self) -> None:
        """Speaker corrections a read-only database could not take last time, back from their
        recovery file (saved now, or kept in memory and retried)."""
        back, problem = self.session.recover_corrections()
        if problem:
            self._error(problem, timeout=10)
        if back:
            unsaved = self.session.unsaved_corrections
            how = f"kept in memory ({unsaved} not saved yet)" if unsaved else "saved"
            self.notify(f"{back} speaker correction(s) from the last session's recovery file: {how}.", timeout=8, markup=False)

    @staticmethod
    def _started() -> None:
        """The first frame is on screen. If start-up ran without the cyclic GC (`margin` turns it
        off, tui/commands/open.py), freeze what start-up made (it lives as long as the app) and
        turn the GC on again."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

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
        self.stop_analysis.set()
        log = write_crash_log(self._last_error)
        where = f"details in {log}" if log else "run with --debug for details"
        saved = "your annotations are saved"
        if self.unsaved:
            recovery = self.write_recovery_file()
            saved = (
                f"{len(self.unsaved)} unsaved annotation(s) written to {recovery}"
                if recovery
                else "some annotations could not be saved"
            )
        if self.session.unsaved_corrections:
            recovery = self.session.write_corrections_recovery_file()
            saved += (
                f"; unsaved speaker corrections written to {recovery}"
                if recovery
                else "; some speaker corrections could not be saved"
            )
        self._exit_renderables.append(
            Text(f"margin: error: Margin stopped after an internal error ({type(self._last_error).__name__}); {saved}; {where}")
        )
        self._close_messages_no_wait()

    def get_system_commands(self, screen: Screen):
        """The app's own commands; each screen lists its commands through its `COMMANDS`."""
        yield from super().get_system_commands(screen)
        own = getattr(screen, "action_export", None)  # the screen's own export (the reader's: this article's)
        if own is None:
            where = "all of them"
        elif getattr(screen, "article", None) is not None:
            where = "this article's, or all of them"
        else:
            where = "all, or those of the articles shown"
        yield SystemCommand("Export annotations", f"Write annotations to a file ({where})", own or self.action_export)
        yield SystemCommand(
            "People",
            "Every speaker across the library, their quotes as a timeline (P in the library, W in the reader)",
            self.action_people,
        )

    def action_people(self) -> None:
        """People across the library, from any screen (the library below knows the articles); when
        People is open already (under a timeline, say), back to it rather than a second one."""
        from tui.ui.screens.people import PeopleScreen

        if any(isinstance(s, PeopleScreen) for s in self.screen_stack):
            while not isinstance(self.screen, PeopleScreen):
                self.pop_screen()
            return
        library = next((s for s in self.screen_stack if isinstance(s, LibraryScreen)), None)
        if library is not None:
            library.action_people()

    # -- the core, for screens: ask the session, show its answer ---------------------------------
    def _error(self, message: str, timeout: float | None = None) -> None:
        self.notify(one_line(message), severity="error", markup=False, timeout=timeout)

    def _show_store_notice(self) -> None:
        notice = self.session.new_notice()
        if notice:
            self.notify(one_line(notice), severity="warning", timeout=10, markup=False)

    def annotations_for(self, article: Article) -> list[Annotation]:
        """The article's annotations: re-anchored if its text changed; orphans (passage no longer
        found) included with `orphan=True`; unsaved ones (a failed write) included too. If the
        database cannot be read now, the annotations last read are shown (never an empty view)."""
        reading = self.session.annotations_for(article)
        if reading.problem:
            self._error(reading.problem)
        self._show_store_notice()
        return reading.annotations

    def check_store_changes(self) -> None:
        """Another process (a second Margin, `margin import`) changed the database: tell the
        screen the user is looking at (the top full screen, also under a dialog)."""
        if not self.session.changed_elsewhere():
            return
        shown = next((s for s in reversed(self.screen_stack) if not isinstance(s, ModalScreen)), None)
        if shown is not None:
            shown.post_message(StoreChanged())

    def stored_version(self, annotation: Annotation) -> Annotation:
        """The annotation as stored now (another process may have changed it since it was shown)."""
        return self.session.stored_version(annotation)

    def annotation_counts(self) -> dict[str, int]:
        """Annotations per article id and per article file path ({} when unreadable)."""
        return self.session.annotation_counts()

    def known_tags(self) -> list[str]:
        """Tags in use, then the palette's others (for tag suggestions)."""
        return self.session.known_tags()

    def save_annotation(self, annotation: Annotation) -> bool:
        """Save now; on failure keep it in memory, say so, and retry later. Never drops it."""
        try:
            self.session.save(annotation)
        except NotSaved as exc:
            self._error(str(exc), timeout=8)
            return False
        return True

    def change_annotation(
        self,
        base: Annotation,
        add_tags: list[str] = (),
        remove_tags: list[str] = (),
        note: str | None = None,
        note_before: str = "",
    ) -> tuple[Annotation, str | None]:
        """The user's change applied to the annotation as stored now (see
        `AnnotationSession.change`); a change that cannot be saved is kept and retried."""
        try:
            return self.session.change(base, add_tags, remove_tags, note, note_before)
        except NotSaved as exc:
            self._error(str(exc), timeout=8)
            return exc.annotation, None
        except StoreError as exc:  # an annotation left empty could not be deleted: it stays as it was
            self._error(f"Could not delete the annotation: {exc}", timeout=8)
            return base, None

    def was_just_deleted(self, annotation: Annotation) -> bool:
        """Whether the last deletion (by `d`, or a change that left nothing) was this annotation's:
        `undo_delete` would bring it back."""
        return bool(self.session.deleted) and self.session.deleted[-1].id == annotation.id

    def revert_annotation(self, after: Annotation, before: Annotation | None) -> tuple[bool, Annotation | None]:
        """Take back one change to an annotation (`AnnotationSession.revert`): (done, the annotation now)."""
        try:
            return True, self.session.revert(after, before)
        except StoreError as exc:
            self._error(f"Could not undo: {exc}")
            return False, after

    def delete_annotation(self, annotation: Annotation) -> bool:
        """Delete it (an unsaved one is only forgotten); remembered for `undo_delete`."""
        try:
            self.session.delete(annotation)
        except StoreError as exc:
            self._error(f"Could not delete: {exc}")
            return False
        return True

    def undo_delete(self, article: Article | None = None) -> Annotation | None:
        """Restore the last deleted annotation (of `article`, if given); None if there is none."""
        try:
            return self.session.undo_delete(article.id if article is not None else None)
        except NotSaved as exc:
            self._error(str(exc), timeout=8)
            return exc.annotation

    def retry_unsaved(self) -> None:
        """Try again to save what could not be saved."""
        self.session.retry_unsaved()

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
        note = next((s for s in self.screen_stack if isinstance(s, NoteDialog)), None)
        if note is not None and note.save_requested:
            self.set_timer(0.1, self._quit_again)  # ctrl+s then ctrl+q: the note is saved first
            self._saved_before_quit = True
            return
        if note is not None and not self._keys_taken_before_quit:
            self._keys_taken_before_quit = True  # what was typed before ctrl+q decides the question
            note.after_typed_keys(self._quit_again)
            return
        self._keys_taken_before_quit = False
        if note is None and self._saved_before_quit:
            self._saved_before_quit = False
            self.set_timer(0.1, self._quit_again)  # the saved note's own callback runs first
            return
        typing = next((s for s in self.screen_stack if isinstance(s, NoteDialog) and s.is_changed), None)
        if typing is not None:

            def decided(discard: bool | None) -> None:
                if discard:
                    self.quit_safely()

            self.push_screen(ConfirmDialog("Quit and lose the note you are typing?", yes="Quit", no="Keep editing"), decided)
            return
        self.quit_safely()

    def _quit_again(self) -> None:
        self.call_later(self.action_quit)

    def quit_safely(self) -> None:
        """Exit, after a last try to save what could not be saved; what still fails goes to a
        recovery file (and if even that fails, Margin stays open rather than lose it). What was
        written where is also printed in the terminal once the screen is gone (a toast would
        vanish with it), and the exit status is then 1."""
        said: list[str] = []
        still = self.session.retry_unsaved()
        if still:
            path = self.write_recovery_file()
            where = f" They were written to {path}; `margin import` it later." if path else ""
            self._error(f"{still} annotation(s) could not be saved to the database.{where}", timeout=15)
            if path is None:
                return
            said.append(f"{still} annotation(s) could not be saved to the database; restore them with: margin import {path}")
        if self.session.unsaved_corrections:
            corrections = self.session.unsaved_corrections
            path = self.session.write_corrections_recovery_file()
            if path is None:
                self._error(
                    f"{corrections} speaker correction(s) could not be saved, nor written to a recovery file.", timeout=15
                )
                return
            told = (
                f"{corrections} speaker correction(s) could not be saved to the database; they were written to "
                f"{path} and come back the next time Margin starts."
            )
            self._error(told, timeout=15)
            said.append(told)
        self.stop_analysis.set()
        if said:
            self.farewell.extend(f"margin: {line}" for line in said)
            self.exit(return_code=1)
            return
        self.exit()

    def write_recovery_file(self):
        """Write unsaved annotations as an importable JSON export in the data dir; its path or None."""
        return self.session.write_recovery_file()

    # -- export and tags for the screens ---------------------------------------------------------
    def export_to(self, path, fmt: str, force: bool = False, article: Article | None = None, articles: set[str] | None = None):
        """Export every annotation, those of `article`, or those of the articles whose id or path
        is in `articles`, to `path`; returns the ExportResult (raises what stopped it)."""
        return self.session.export(path, fmt, force=force, article=article, articles=articles)

    def tag_choices(self) -> list[str]:
        """Every tag in use, spellings merged case-insensitively, most used first (for filters)."""
        try:
            return self.session.tag_choices()
        except StoreError as exc:
            self._error(f"Tags unavailable: {exc}")
            return []

    def article_ids_tagged(self, tag: str) -> set[str]:
        """Ids and paths of the articles with an annotation tagged `tag`."""
        try:
            return self.session.article_ids_tagged(tag)
        except StoreError as exc:
            self._error(f"Tags unavailable: {exc}")
            return set()

    def palette(self) -> list[str]:
        """The quick-tag palette (keys 1–9)."""
        return self.session.palette()

    def set_palette(self, tags: list[str]) -> list[str]:
        """Save the palette; on failure say so and keep the old one."""
        try:
            return self.session.set_palette(tags)
        except OSError as exc:
            self._error(f"Palette not saved: {exc}")
            return self.palette()

    def reading_position(self, article: Article) -> int | None:
        """Where the reader left this article."""
        return self.session.reading_position(article)

    def remember_position(self, article: Article, offset: int, shown_to: int = 0) -> None:
        """Remember where the reader is, and how far the article is read (`shown_to`: where the
        text in view ends)."""
        self.session.remember_position(article, offset, shown_to)

    def action_export(self) -> None:
        """Export every annotation (the reader's `x` pushes the dialog with its article itself)."""
        from tui.ui.screens.export_dialog import ExportDialog

        self.push_screen(ExportDialog(None))


def write_crash_log(error: BaseException):
    """Save a traceback under the cache dir; returns its path, or None if it cannot be written."""
    try:
        folder = cache_dir() / "crash-logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}.log"
        cause = getattr(error, "error", None)  # a worker's failure carries what the worker raised
        told = traceback.format_exception(cause) if isinstance(cause, BaseException) else []
        path.write_text("".join(traceback.format_exception(error) + told), encoding="utf-8")
        return path
    except OSError:
        return None
