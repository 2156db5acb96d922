"""`?`: every key of the current screen, grouped."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, title: str, groups: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.title_text = title
        self.groups = groups

    def compose(self) -> ComposeResult:
        body = Content.styled(self.title_text, "bold") + Content("   (Escape closes)\n")
        for group, keys in self.groups:
            body += Content("\n") + Content.styled(group, "bold $accent") + Content("\n")
            for key, what in keys:
                body += Content.styled(f"  {key:<26}", "bold") + Content(what) + Content("\n")
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(body)

    def action_dismiss(self) -> None:
        self.dismiss(None)
