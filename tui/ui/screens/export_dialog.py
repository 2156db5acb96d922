"""`x`: export annotations from the app: choose a format and a file; confirms before overwriting."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from tui.core import exporting, settings
from tui.core.paths import default_export_dir
from tui.core.text import one_line
from tui.ui.screens.dialogs import ConfirmDialog

FORMAT_LABELS = {  # each fits one line of the dialog at 80 columns
    "json": "json — Margin's own (margin import reads it back)",
    "w3c": "w3c — W3C Web Annotation JSON-LD (Hypothesis-style tools)",
    "jsonl": "jsonl — one article a line, tag spans (Prodigy, spaCy training)",
    "markdown": "markdown — passages as block quotes with tags and notes",
    "csv": "csv — Highlight, Title, Note, Tags… (highlight importers)",
}
# A file name's extensions each format is happy with besides its own (`exporting.extension`).
ALSO_FITS = {"w3c": {"json"}, "jsonl": {"ndjson"}, "markdown": {"markdown"}}
# What writes the file: Enter in the path box (on a dropdown, Enter opens it), or ctrl+s anywhere,
# as the note editor saves.
HINT = "Enter in the path or ctrl+s writes the file · Escape cancels"


def extension_problem(path: str, fmt: str) -> str:
    """Why `path`'s extension looks wrong for `fmt` (in words), or "" when it fits."""
    usual = exporting.extension(fmt)
    try:
        suffix = Path(path).suffix[1:]
    except (ValueError, RuntimeError, OSError):
        return ""
    if suffix.casefold() == usual or suffix.casefold() in ALSO_FITS.get(fmt, set()):
        return ""
    if not suffix:
        return f"The file name has no extension (a {fmt} export is usually .{usual})."
    return f"The file name ends in .{one_line(suffix, 20)}, but the format is {fmt} (.{usual})."


class ExportDialog(ModalScreen[None]):
    """Export all annotations, only the open article's (from the reader) or only those of the
    articles the library shows (when it is filtered). Remembers the last format, scope and folder."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "write", "Write the file"),
    ]

    def __init__(self, article=None, shown: list | None = None, shown_label: str = "") -> None:
        super().__init__()
        self.article = article
        self.shown = shown  # library entries (with .id and .path) when the library is filtered
        self.shown_label = shown_label
        self._proposed = ""  # the path the dialog proposes (typing replaces it; a typed one is kept)

    def _scopes(self) -> list[tuple[Content, str]]:
        scopes = []
        if self.article is not None:
            scopes.append((Content("This article: ") + Content(one_line(self.article.title, 40)), "article"))
        if self.shown is not None:
            label = f"The {len(self.shown)} article(s) shown"
            scopes.append((Content(label) + Content(f" ({one_line(self.shown_label, 30)})" if self.shown_label else ""), "shown"))
        scopes.append((Content("All annotations"), "all"))
        return scopes

    def compose(self) -> ComposeResult:
        formats = exporting.available_formats()
        remembered = settings.load_setting("export_format")
        fmt = remembered if remembered in formats else formats[0]
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label("Export annotations", classes="dialog-title")
            scopes = self._scopes()
            if len(scopes) > 1:
                yield Select(
                    scopes, value=self._first_scope([value for _, value in scopes]), allow_blank=False, id="export-scope"
                )
            yield Select(
                [(Content(FORMAT_LABELS.get(name, name)), name) for name in formats],
                value=fmt,
                allow_blank=False,
                id="export-format",
            )
            self._proposed = self._default_path(fmt)
            yield Input(value=self._proposed, id="export-path")
            yield Label(id="export-full-path", classes="dialog-hint")
            yield Label(id="export-warning")  # the file name's extension does not fit the format
            yield Label(HINT, classes="dialog-hint")

    def _first_scope(self, values: list[str]) -> str:
        """The scope proposed: the articles shown when a filter or tag narrows the library (the
        user is looking at them: "all" remembered from before would export everything by
        mistake), else the scope last chosen, else the first offered."""
        if "shown" in values:
            return "shown"
        remembered = settings.load_setting("export_scope")
        return remembered if isinstance(remembered, str) and remembered in values else values[0]

    def _nothing_in(self, scope: str, fmt: str, left_out: list[str]) -> str:
        """Why nothing was exported, in words, and what the user can do instead."""
        if left_out:
            why = f"Nothing exported: every annotation is left out of {fmt} ({one_line('; '.join(left_out), 200)})."
        elif scope == "article":
            why = "Nothing to export: this article has no annotations."
        elif scope == "shown":
            why = f"Nothing to export: the {len(self.shown or [])} article(s) shown have no annotations."
        else:
            why = "Nothing to export: there are no annotations yet."
        if left_out:
            return why + " No file was written: choose another format, or Escape."
        others = len(self.query("#export-scope")) > 0 and scope != "all"
        return why + (" No file was written: choose another scope above, or Escape." if others else " No file was written.")

    @staticmethod
    def _default_path(fmt: str) -> str:
        remembered = settings.load_setting("export_dir")
        folder = Path(remembered) if isinstance(remembered, str) and Path(remembered).is_dir() else default_export_dir()
        return str(folder / f"margin-export-{datetime.now():%Y%m%d-%H%M}.{exporting.extension(fmt)}")

    def _show_full_path(self, value: str) -> None:
        try:
            full = str(Path(value).expanduser().absolute())
        except (OSError, RuntimeError, ValueError):
            full = value
        self.query_one("#export-full-path", Label).update(Content("Writes " + one_line(full, 400)))
        self._show_extension_problem()

    def _format(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    def _show_extension_problem(self) -> None:
        """Says, as the path is typed or the format chosen, when the name does not fit the format
        (json written to ui.csv): writing it then asks first."""
        problem = extension_problem(self.query_one("#export-path", Input).value, self._format())
        warning = self.query_one("#export-warning", Label)
        warning.update(Content("⚠ " + problem) if problem else Content(""))
        warning.display = bool(problem)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "export-path":
            self._show_full_path(event.value)

    def on_mount(self) -> None:
        self.app.steady_cursors(self)
        box = self.query_one("#export-path", Input)
        box.focus()
        self._show_full_path(box.value)

    def on_key(self, event) -> None:
        """Typing while a Select has focus (Tab lands on one) writes the path, never nothing."""
        if not isinstance(self.focused, Select) or self.focused.expanded:
            return
        if not event.is_printable or not event.character or event.character.isspace():
            return
        event.stop()
        event.prevent_default()
        self._type_into_path(event.character)

    def on_paste(self, event) -> None:
        """A path pasted while a Select has focus goes to the path too (its first line)."""
        if isinstance(self.focused, Select) and event.text.strip():
            event.stop()
            self._type_into_path(event.text.strip().splitlines()[0])

    def _type_into_path(self, text: str) -> None:
        """Text typed or pasted while a Select has focus goes to the path: over the path the
        dialog proposed (as typing over the path selected on focus does), after a path the user
        has typed — so keys typed before the focus has moved to the path box follow each other,
        however slowly a busy app takes them in."""
        box = self.query_one("#export-path", Input)
        box.value = text if box.value == self._proposed else box.value + text
        box.select_on_focus = False  # else the next key typed would replace this one
        box.focus()
        box.cursor_position = len(box.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "export-format":
            return
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        if path.name and path.name not in (".", ".."):
            proposed = box.value == self._proposed
            box.value = str(path.with_suffix("." + exporting.extension(str(event.value))))
            if proposed:
                self._proposed = box.value
        self._show_extension_problem()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "export-path":
            self.action_write()

    def action_write(self) -> None:
        """Enter in the path box, or ctrl+s anywhere in the dialog: write the file (asking first
        when its extension does not fit the format, or it exists)."""
        if self.app.screen is not self:
            return  # a question is open over the dialog
        value = self.query_one("#export-path", Input).value
        fmt = self._format()
        if not value.strip():
            self.notify("Give the file to export to.", severity="error", markup=False)
            return
        try:
            path = Path(value).expanduser()
            if not path.name or path.is_dir():
                raise ValueError("give a file name, not a folder")
            exists = path.exists()
        except (ValueError, RuntimeError, OSError) as exc:
            self.notify(f"Cannot export to {one_line(value, 80)}: {one_line(str(exc), 120)}", severity="error", markup=False)
            return
        problem = extension_problem(value, fmt)
        if problem:

            def decided(write: bool | None) -> None:
                if write:  # a file there by now is asked about
                    self._write(path, fmt, force=False, ask_to_overwrite=True)

            question = f"{problem} Write {fmt} to {one_line(path.name, 60)} anyway?"
            self.app.push_screen(ConfirmDialog(question, yes=f"Write {fmt}", no="Cancel"), decided)
            return
        # An existing file is asked about only when there is something to write over it (the
        # export refuses to overwrite it unprompted, after checking there is anything to export).
        self._write(path, fmt, force=False, ask_to_overwrite=exists)

    def _ask_to_overwrite(self, path: Path, fmt: str) -> None:
        def decided(overwrite: bool | None) -> None:
            if overwrite:
                self._write(path, fmt, force=True)

        self.app.push_screen(ConfirmDialog(f"{one_line(str(path))} exists. Overwrite it?", yes="Overwrite", no="Cancel"), decided)

    def _scope(self) -> str:
        selects = self.query("#export-scope")
        return str(selects.first(Select).value) if selects else "all"

    def _write(self, path: Path, fmt: str, force: bool, ask_to_overwrite: bool = False) -> None:
        scope = self._scope()
        try:
            if scope == "article":
                result = self.app.export_to(path, fmt, force=force, article=self.article)
            elif scope == "shown":
                keys = {e.id for e in self.shown or []} | {e.path for e in self.shown or []}
                result = self.app.export_to(path, fmt, force=force, articles=keys)
            else:
                result = self.app.export_to(path, fmt, force=force)
        except exporting.NothingToExport as exc:  # no empty file: said in words; the dialog stays open
            self.notify(self._nothing_in(scope, fmt, exc.left_out), severity="warning", markup=False, timeout=10)
            return
        except FileExistsError as exc:
            if ask_to_overwrite:
                self._ask_to_overwrite(path, fmt)
            else:  # it appeared meanwhile: say so, as of any other file that cannot be written
                self.notify(f"Export failed: {one_line(str(exc), 200)}", severity="error", markup=False)
            return
        except OSError as exc:  # said of the file the user chose, not of the temporary file beside it
            reason = exc.strerror or str(exc)
            self.notify(f"Export failed: cannot write {one_line(str(path), 120)}: {reason}", severity="error", markup=False)
            return
        except Exception as exc:  # one clear message; the dialog stays open to fix the path
            self.notify(f"Export failed: {one_line(str(exc), 200)}", severity="error", markup=False)
            return
        message = f"Exported {result.count} annotation(s) as {fmt} to {one_line(str(path))}"
        if result.messages:
            message += f". Left out: {one_line('; '.join(result.messages), 300)}"
        self.notify(message, markup=False, timeout=10, severity="warning" if result.messages else "information")
        settings.save_setting("export_format", fmt)
        settings.save_setting("export_scope", scope)
        settings.save_setting("export_dir", str(path.expanduser().absolute().parent))
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
