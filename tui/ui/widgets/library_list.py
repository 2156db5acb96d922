"""LibraryList: the library's rows as a virtual list (only the rows on screen are rendered), so
sorting and filtering 10,000 articles costs a list comprehension, not a table rebuild."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.library import Entry
from tui.core.text import one_line


def _cell(value: str, width: int, style: str = "", justify: str = "left") -> Text:
    """One column of a row: exactly `width` cells, cut with an ellipsis when too long."""
    if justify == "right" and len(value) < width:
        value = value.rjust(width)
    text = Text(value, style=style, no_wrap=True, overflow="ellipsis")
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


class LibraryList(ScrollView, can_focus=True):
    """A virtual list of library entries: one row per article, only visible rows are rendered."""

    COMPONENT_CLASSES = {"library-list--cursor", "library-list--dim", "library-list--header"}
    DEFAULT_CSS = """
    LibraryList {
        background: $surface;
        overflow-x: hidden;
    }
    LibraryList > .library-list--cursor {
        background: $block-cursor-blurred-background;
    }
    LibraryList:focus > .library-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    LibraryList > .library-list--dim {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "select", "Open"),
    ]
    CURSOR_MARK = "▶"
    COLUMNS = (("date", "Date", 10), ("source", "Source", 18), ("read", "Read", 4), ("words", "Words", 6),
               ("quotes", "Quotes", 6), ("notes", "Annot.", 6))
    DONE_PERCENT = 95  # read this far (the cursor on the last sentences): shown as read through

    class Selected(Message):
        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: list[Entry] = []
        self.counts: dict[str, int] = {}
        self.progress: dict[str, int] = {}  # article id -> furthest percentage read; absent = unread
        self.cursor = 0

    # -- data ------------------------------------------------------------------------------------
    def set_entries(self, entries: list[Entry], counts: dict[str, int], keep: str | None = None) -> None:
        """Show `entries`; keep the cursor on the entry with path `keep` when it is still there."""
        self.entries = entries
        self.counts = counts
        if keep is not None:
            for i, entry in enumerate(entries):
                if entry.path == keep:
                    self.cursor = i
                    break
            else:
                self.cursor = 0
        self.cursor = max(0, min(self.cursor, len(entries) - 1))
        self.virtual_size = Size(self.size.width, len(entries))
        self._scroll_to_cursor()
        self.refresh()

    @property
    def current(self) -> Entry | None:
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    # -- layout ----------------------------------------------------------------------------------
    NARROW = 100  # below this width the Source column is left out, so titles stay readable

    @property
    def row_width(self) -> int:
        """The width rows are drawn in: the list's width less its scrollbar (header and rows agree)."""
        return self.scrollable_content_region.width or self.size.width

    def columns(self) -> tuple:
        if self.row_width < self.NARROW:
            return tuple(c for c in self.COLUMNS if c[0] != "source")
        return self.COLUMNS

    def title_width(self) -> int:
        return max(10, self.row_width - sum(w + 1 for _, _, w in self.columns()) - 1)

    def header(self, width: int | None = None) -> Text:
        line = Text(" ", no_wrap=True)
        line.append_text(_cell("Title", self.title_width()))
        for _key, label, w in self.columns():
            line.append(" ")
            line.append_text(_cell(label, w, justify="right" if _key in ("read", "words", "quotes", "notes") else "left"))
        return line

    @property
    def dim_style(self):
        """Secondary text in a row: the theme's readable muted colour (never below AA contrast)."""
        return self.get_component_rich_style("library-list--dim", partial=True)

    def row_text(self, entry: Entry) -> Text:
        line = Text(" ", no_wrap=True)
        line.append_text(_cell(one_line(entry.title, 300), self.title_width()))
        line.append(" ")
        line.append_text(_cell(entry.date or "no date", 10, "" if entry.date else self.dim_style))
        line.append(" ")
        if self.row_width >= self.NARROW:
            line.append_text(_cell(one_line(entry.source or "", 60), 18))
            line.append(" ")
        line.append_text(self.read_cell(entry))
        line.append(" ")
        line.append_text(_cell(str(entry.word_count), 6, justify="right"))
        line.append(" ")
        line.append_text(_cell("" if entry.quotes is None else str(entry.quotes), 6, justify="right"))
        line.append(" ")
        notes = self.counts.get(entry.id) or self.counts.get(entry.path, 0)
        line.append_text(_cell(str(notes) if notes else "", 6, justify="right"))
        return line

    def read_cell(self, entry: Entry) -> Text:
        """'new' (never opened, bold), the furthest percentage read, or ✓ (read through)."""
        percent = self.progress.get(entry.id)
        if percent is None:
            return _cell("new", 4, "bold", justify="right")
        if percent >= self.DONE_PERCENT:
            return _cell("✓", 4, self.dim_style, justify="right")
        return _cell(f"{percent}%", 4, self.dim_style, justify="right")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.scroll_offset.y + y
        base = self.rich_style
        if index >= len(self.entries):
            return Strip.blank(width, base)
        line = self.row_text(self.entries[index])
        if index == self.cursor:
            # The current row: a marker in the first cell (visible in any theme or colour depth,
            # even without colour) and the cursor colours as the row's base style, so they are
            # not painted over by the list's own background.
            base = base + self.get_component_rich_style("library-list--cursor")
            line = Text(self.CURSOR_MARK, style="bold", no_wrap=True) + line[1:]
        segments = list(line.render(self.app.console))
        return Strip(segments).crop_extend(0, width, base).apply_style(base)

    class Reflowed(Message):
        """The list's drawing width changed (resize, scrollbar shown or hidden): redraw the header."""

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.entries))
        self.post_message(self.Reflowed())
        self.refresh()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        self.post_message(self.Reflowed())

    # -- movement --------------------------------------------------------------------------------
    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        if not self.entries:
            return
        self.cursor = max(0, min(index, len(self.entries) - 1))
        self._scroll_to_cursor()
        self.refresh()

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.entries) - 1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self.current))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.entries):
            if index == self.cursor:
                self.action_select()
            else:
                self.move_to(index)
