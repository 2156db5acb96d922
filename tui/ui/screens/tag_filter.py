"""`t` in the library: pick a tag; the library then lists only articles annotated with it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.core.text import one_line


class TagFilterDialog(ModalScreen[str | None]):
    """Pick a tag: the library then lists only articles with an annotation tagged with it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]
    ALL = "\x00all"

    def __init__(self, tags: list[str], current: str | None) -> None:
        super().__init__()
        self.tags = tags
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Show articles tagged…"), classes="dialog-title")
            options = [Option(Content("All articles (no tag filter)"), id=self.ALL)]
            options += [Option(Content("#" + one_line(tag, 50)), id=f"tag:{i}") for i, tag in enumerate(self.tags)]
            yield OptionList(*options, id="lib-tag-options")
            if not self.tags:
                yield Label(Content("No annotation has a tag yet."), classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.tags:
            options.highlighted = self.tags.index(self.current) + 1
        options.focus()

    def action_move(self, step: int) -> None:
        """`j` / `k`: the next / previous tag, as everywhere else in Margin."""
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or self.ALL
        self.dismiss(None if option_id == self.ALL else self.tags[int(option_id.split(":", 1)[1])])

    def action_cancel(self) -> None:
        self.dismiss(self.current)
