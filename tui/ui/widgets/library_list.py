"""LibraryList: the library's rows as a virtual list (only the rows on screen are rendered), so
sorting and filtering 10,000 articles costs a list comprehension, not a table rebuild."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from tui.core.library import Entry
from tui.core.text import one_line
from tui.ui.widgets.cursor_list import CursorList


def _cell(value: str, width: int, style: str = "", justify: str = "left") -> Text:
    """One column of a row: exactly `width` cells, cut with an ellipsis when too long."""
    if justify == "right" and len(value) < width:
        value = value.rjust(width)
    text = Text(value, style=style, no_wrap=True, overflow="ellipsis")
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def short_count(n: int, width: int = 6) -> str:
    """`n` as digits when they fit in `width` cells, else in millions or billions: 3,382,563 is "3.4M"."""
    if len(str(n)) <= width:
        return str(n)
    for size, unit in ((1e9, "B"), (1e6, "M")):
        if n >= size:
            value = n / size
            return f"{value:.1f}{unit}" if value < 10 else f"{value:.0f}{unit}"
    return str(n)


class LibraryList(CursorList):
    """A virtual list of library entries: one row per article, only visible rows are rendered."""

    BINDINGS = [Binding("enter", "select", "Open")]
    COLUMNS = (
        ("date", "Date", 10),
        ("source", "Source", 18),
        ("read", "Read", 4),
        ("words", "Words", 6),
        ("quotes", "Quotes", 6),
        ("notes", "Annot.", 6),
    )
    DONE_PERCENT = 95  # read this far (the cursor on the last sentences): shown as read through

    class Selected(Message):
        """An article was chosen (Enter or a click on the current row)."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    class Reflowed(CursorList.Reflowed):
        """The list's drawing width changed: the library redraws its header."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.counts: dict[str, int] = {}
        self.progress: dict[str, int] = {}  # article id -> furthest percentage read; absent = unread

    @property
    def entries(self) -> list[Entry]:
        return self.rows

    def chosen(self, row: Entry) -> Message:
        return self.Selected(row)

    # -- data ------------------------------------------------------------------------------------
    def set_entries(self, entries: list[Entry], counts: dict[str, int], keep: str | None = None) -> None:
        """Show `entries`; keep the cursor on the entry with path `keep` when it is still there."""
        self.counts = counts
        index = None
        if keep is not None:
            index = next((i for i, entry in enumerate(entries) if entry.path == keep), 0)
        self.show_rows(entries, index)

    # -- layout ----------------------------------------------------------------------------------
    NARROW = 100  # below this width the Source column is left out, so titles stay readable
    NARROW_SOURCE = ("source", "Source", 14)  # … unless the list is sorted by source: then it stands for Words

    sorted_by = "date"  # the library's sort key: sorted by source, a narrow list still shows the source

    def columns(self) -> tuple:
        if self.row_width >= self.NARROW:
            return self.COLUMNS
        if self.sorted_by == "source":
            return tuple(self.NARROW_SOURCE if c[0] == "source" else c for c in self.COLUMNS if c[0] != "words")
        return tuple(c for c in self.COLUMNS if c[0] != "source")

    def title_width(self) -> int:
        return max(10, self.row_width - sum(w + 1 for _, _, w in self.columns()) - 1)

    def header(self, width: int | None = None) -> Text:
        line = Text(" ", no_wrap=True)
        line.append_text(_cell("Title", self.title_width()))
        for _key, label, w in self.columns():
            line.append(" ")
            line.append_text(_cell(label, w, justify="right" if _key in ("read", "words", "quotes", "notes") else "left"))
        return line

    def row_text(self, entry: Entry) -> Text:
        line = Text(" ", no_wrap=True)
        line.append_text(_cell(one_line(entry.title, 300), self.title_width()))
        for key, _label, width in self.columns():
            line.append(" ")
            line.append_text(self._column_cell(entry, key, width))
        return line

    def _column_cell(self, entry: Entry, key: str, width: int) -> Text:
        if key == "date":
            return _cell(entry.date or "no date", width, "" if entry.date else self.dim_style)
        if key == "source":
            return _cell(one_line(entry.source or "", 60), width)
        if key == "read":
            return self.read_cell(entry)
        if key == "words":
            return _cell(short_count(entry.word_count), width, justify="right")
        if key == "quotes":
            return _cell("" if entry.quotes is None else str(entry.quotes), width, justify="right")
        notes = self.counts.get(entry.id) or self.counts.get(entry.path, 0)
        return _cell(str(notes) if notes else "", width, justify="right")

    def read_cell(self, entry: Entry) -> Text:
        """'new' (never opened, bold), the furthest percentage read, or ✓ (read through)."""
        percent = self.progress.get(entry.id)
        if percent is None:
            return _cell("new", 4, "bold", justify="right")
        if percent >= self.DONE_PERCENT:
            return _cell("✓", 4, self.dim_style, justify="right")
        return _cell(f"{percent}%", 4, self.dim_style, justify="right")
