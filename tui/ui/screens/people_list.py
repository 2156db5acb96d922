"""The People view's virtual list of people (only the rows on screen are drawn; a row drawn once
is reused until the width or theme changes)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from tui.core.people import (
    Person,
)
from tui.core.text import one_line
from tui.ui.widgets.cursor_list import CursorList

KIND_LABELS = {"person": "person", "organisation": "org.", "description": "descr."}


def _cell(value: str, width: int, style: str = "", justify: str = "left") -> Text:
    if justify == "right" and len(value) < width:
        value = value.rjust(width)
    text = Text(value, style=style, no_wrap=True, overflow="ellipsis")
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def outlets_text(person: Person, width: int) -> str:
    if not person.outlets:
        return ""
    first = one_line(person.outlets[0], 60)
    more = len(person.outlets) - 1
    return f"{first} +{more}" if more and len(first) + 3 <= width else (first if not more else f"{len(person.outlets)} outlets")


def dates_text(person: Person) -> str:
    if person.first is None:
        return "no date"
    return person.first if person.first == person.last else f"{person.first}–{person.last}"


class PeopleList(CursorList):
    """A virtual list of people: only the rows on screen are rendered."""

    BINDINGS = [Binding("enter", "select", "Timeline")]
    NARROW = 100  # below this width the Outlets column is left out

    class Selected(Message):
        """A person was chosen (Enter or a click on the current row)."""

        def __init__(self, person: Person) -> None:
            super().__init__()
            self.person = person

    class Moved(Message):
        """The cursor moved to another person."""

    class Reflowed(CursorList.Reflowed):
        """The list's drawing width changed: the view redraws its header."""

    CACHE_ROWS = 4000  # rendered rows kept (a filter keystroke redraws rows already drawn)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._strips: dict[int, tuple[Person, Strip]] = {}
        self._strips_for: tuple = ()

    @property
    def people(self) -> list[Person]:
        return self.rows

    def render_line(self, y: int) -> Strip:
        """A row drawn once is reused (until the width or theme changes); the cursor's row is
        always drawn anew."""
        index = self.scroll_offset.y + y
        if index >= len(self.rows) or index == self.cursor:
            return super().render_line(y)
        context = (self.size.width, self.row_width, self.app.theme, self.app.current_theme.dark)
        if context != self._strips_for or len(self._strips) > self.CACHE_ROWS:
            self._strips.clear()
            self._strips_for = context
        person = self.rows[index]
        cached = self._strips.get(id(person))
        if cached is not None and cached[0] is person:
            return cached[1]
        strip = super().render_line(y)
        self._strips[id(person)] = (person, strip)
        return strip

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    def chosen(self, row: Person) -> Message:
        return self.Selected(row)

    def cursor_moved(self) -> None:
        self.post_message(self.Moved())

    def set_people(self, people: list[Person], keep: str | None = None) -> None:
        """Show `people`; keep the cursor on the person with id `keep` when it is still there, else
        (a filter left that person out) put it on the first row."""
        index = None
        if keep is not None:
            index = next((i for i, person in enumerate(people) if person.id == keep), 0)
        self.show_rows(people, index)
        self.post_message(self.Moved())

    def columns(self) -> list[tuple[str, int, str]]:
        cols = [("Kind", 6, "left"), ("Quotes", 6, "right"), ("Articles", 8, "right")]
        if self.row_width >= self.NARROW:
            cols.append(("Outlets", 18, "left"))
        cols.append(("First–last", 21, "left"))
        return cols

    def name_width(self) -> int:
        return max(10, self.row_width - sum(w + 1 for _, w, _ in self.columns()) - 1)

    def header(self) -> Text:
        line = Text(" ", no_wrap=True)
        line.append_text(_cell("Name", self.name_width()))
        for label, width, justify in self.columns():
            line.append(" ")
            line.append_text(_cell(label, width, justify=justify))
        return line

    def row_text(self, person: Person) -> Text:
        dim = self.dim_style
        line = Text(" ", no_wrap=True)
        line.append_text(_cell(one_line(person.name, 300), self.name_width()))
        line.append(" ")
        line.append_text(_cell(KIND_LABELS.get(person.kind, person.kind), 6, "" if person.kind == "person" else dim))
        line.append(" ")
        line.append_text(_cell(str(person.quote_count), 6, justify="right"))
        line.append(" ")
        line.append_text(_cell(str(person.articles), 8, justify="right"))
        if self.row_width >= self.NARROW:
            line.append(" ")
            line.append_text(_cell(outlets_text(person, 18), 18))
        line.append(" ")
        line.append_text(_cell(dates_text(person), 21, "" if person.first else dim))
        return line
