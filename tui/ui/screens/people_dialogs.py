"""People's dialogs: pick the row to merge with (`m`), pick the name to split off (`x`)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.core.people import (
    Person,
    filter_people,
    sort_people,
)
from tui.core.text import one_line
from tui.ui.screens.people_list import KIND_LABELS


class PickPersonDialog(ModalScreen[str | None]):
    """Pick the row to merge with: type to filter, Enter picks, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("down", "to_list", "List", show=False)]
    LIMIT = 200

    def __init__(self, person: Person, people: list[Person]) -> None:
        super().__init__()
        self.person = person
        self.people = sort_people([p for p in people if p.id != person.id], "quotes")
        self.shown: list[Person] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Merge “") + Content(one_line(self.person.name, 50)) + Content("” with…"), classes="dialog-title")
            yield Input(placeholder="type to filter by name…", id="pick-filter")
            yield OptionList(id="pick-options")
            yield Label(
                Content("Enter merges: “")
                + Content(one_line(self.person.name, 40))
                + Content("” keeps its name (a person's wins) · Esc cancels"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.app.steady_cursors(self)
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, needle: str) -> None:
        self.shown = filter_people(self.people, needle)[: self.LIMIT]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(
                    Text(
                        f"{one_line(p.name, 50)}  ({p.quote_count} {'quote' if p.quote_count == 1 else 'quotes'}, {KIND_LABELS.get(p.kind, p.kind)})",
                        no_wrap=True,
                        overflow="ellipsis",
                    ),
                    id=str(i),
                )
                for i, p in enumerate(self.shown)
            ]
        )
        if self.shown:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if self.shown and options.highlighted is not None:
            self.dismiss(self.shown[options.highlighted].id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[int(event.option.id)].id)

    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickVariantDialog(ModalScreen[str | None]):
    """Pick the name to split off a row."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, person: Person) -> None:
        super().__init__()
        self.person = person
        self.variants = person.variants

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Content("Split a name off “") + Content(one_line(self.person.name, 50)) + Content("”"), classes="dialog-title"
            )
            options = []
            for i, v in enumerate(self.variants):
                prompt = Text(one_line(v.name, 60), style="bold", no_wrap=True, overflow="ellipsis")
                prompt.append(f"  {v.quotes} quote(s) in {v.articles} article(s) · {one_line(v.reason, 80)}", style="")
                options.append(Option(prompt, id=str(i)))
            yield OptionList(*options, id="variant-options")
            yield Label(Content("Enter splits it off into a row of its own · Escape cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_move(self, step: int) -> None:
        """`j` / `k`: the next / previous name, as everywhere else in Margin."""
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.variants[int(event.option.id)].name)

    def action_cancel(self) -> None:
        self.dismiss(None)
