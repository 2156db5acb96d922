"""`?`: every key of the current screen, grouped, in two aligned columns that wrap cleanly."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, title: str, groups: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.title_text = title
        self.groups = groups

    def compose(self) -> ComposeResult:
        key_width = min(32, max(len(key) for _, keys in self.groups for key, _ in keys) + 4)
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Content.styled(self.title_text, "bold") + Content("   (Escape closes)"))
            for group, keys in self.groups:
                yield Static(Content.styled(group, "bold $margin-heading"), classes="help-group")
                for key, what in keys:
                    with Horizontal(classes="help-row"):
                        label = Label(Content.styled(key, "bold"), classes="help-key")
                        label.styles.width = key_width
                        yield label
                        yield Label(Content(what), classes="help-what")

    def action_dismiss(self) -> None:
        self.dismiss(None)
