"""`x`: export annotations from the app: choose a format and a file; confirms before overwriting."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from tui.core import exporting
from tui.core.text import one_line
from tui.ui.screens.dialogs import ConfirmDialog


FORMAT_LABELS = {
    "json": "json — Margin's own (margin import reads it back)",
    "w3c": "w3c — W3C Web Annotation JSON-LD (Hypothesis-style tools)",
    "jsonl": "jsonl — one article per line with tag spans (Prodigy / spaCy training)",
    "markdown": "markdown — passages as block quotes with tags and notes",
    "csv": "csv — Highlight, Title, Author, URL, Note, Tags… (highlight importers)",
}


class ExportDialog(ModalScreen[None]):
    """Export all annotations, or (from the reader) only the open article's."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, article=None) -> None:
        super().__init__()
        self.article = article

    def compose(self) -> ComposeResult:
        formats = exporting.available_formats()
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label("Export annotations", classes="dialog-title")
            if self.article is not None:
                scopes = [(Content("This article: ") + Content(one_line(self.article.title, 50)), "article"),
                          (Content("All annotations"), "all")]
                yield Select(scopes, value="article", allow_blank=False, id="export-scope")
            yield Select([(Content(FORMAT_LABELS.get(name, name)), name) for name in formats], value=formats[0],
                         allow_blank=False, id="export-format")
            yield Input(value=self._default_path(formats[0]), id="export-path")
            yield Label("Enter writes the file · Escape cancels", classes="dialog-hint")

    @staticmethod
    def _default_path(fmt: str) -> str:
        try:
            folder = Path.cwd()
        except OSError:  # the folder Margin was started in is gone
            folder = Path.home()
        return str(folder / f"margin-export-{datetime.now():%Y%m%d-%H%M}.{exporting.extension(fmt)}")

    def on_mount(self) -> None:
        self.app.steady_cursors(self)
        self.query_one("#export-path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "export-format":
            return
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        if path.name and path.name not in (".", ".."):
            box.value = str(path.with_suffix("." + exporting.extension(str(event.value))))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        fmt = str(self.query_one("#export-format", Select).value)
        try:
            path = Path(event.value).expanduser()
            if not path.name or path.is_dir():
                raise ValueError("give a file name, not a folder")
            exists = path.exists()
        except (ValueError, RuntimeError, OSError) as exc:
            self.notify(f"Cannot export to {one_line(event.value, 80)}: {one_line(str(exc), 120)}", severity="error", markup=False)
            return
        if exists:
            def decided(overwrite: bool | None) -> None:
                if overwrite:
                    self._write(path, fmt, force=True)

            self.app.push_screen(ConfirmDialog(f"{one_line(str(path))} exists. Overwrite it?", yes="Overwrite", no="Cancel"), decided)
            return
        self._write(path, fmt, force=False)

    def _write(self, path: Path, fmt: str, force: bool) -> None:
        try:
            only = None
            if self.article is not None and self.query_one("#export-scope", Select).value == "article":
                only = self.article
            result = self.app.export_to(path, fmt, force=force, article=only)
        except Exception as exc:  # one clear message; the dialog stays open to fix the path
            self.notify(f"Export failed: {one_line(str(exc), 200)}", severity="error", markup=False)
            return
        message = f"Exported {result.count} annotation(s) as {fmt} to {one_line(str(path))}"
        if result.messages:
            message += f". Left out: {one_line('; '.join(result.messages), 300)}"
        self.notify(message, markup=False, timeout=10, severity="warning" if result.messages else "information")
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
