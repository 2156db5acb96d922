"""CursorList: a virtual list with a row cursor, the base of the library's and People's lists.

Only the rows on screen are rendered (Line API), so tens of thousands of rows cost nothing until
shown. Subclasses give the rows (`rows`), how one row reads (`row_text`) and what choosing one
posts (`chosen`); moving, paging, clicking, the cursor mark and colours live here.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


class CursorList(ScrollView, can_focus=True):
    """A virtual list with a row cursor, marked `▶` and coloured in every theme."""

    COMPONENT_CLASSES = {"cursor-list--cursor", "cursor-list--dim"}
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]
    CURSOR_MARK = "▶"

    class Reflowed(Message):
        """The list's drawing width changed (resize, scrollbar shown or hidden): redraw headers."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[Any] = []
        self.cursor = 0

    # -- what subclasses say ---------------------------------------------------------------------
    def row_text(self, row: Any) -> Text:
        """One row as text; its first cell is left for the cursor mark."""
        raise NotImplementedError

    def chosen(self, row: Any) -> Message:
        """The message Enter or a click on the current row posts."""
        raise NotImplementedError

    def cursor_moved(self) -> None:
        """Called after every cursor move (a hook; nothing by default)."""

    # -- data ------------------------------------------------------------------------------------
    def show_rows(self, rows: list[Any], keep: int | None = None) -> None:
        """Show `rows`; the cursor goes to index `keep` when given, else stays where it was."""
        self.rows = rows
        if keep is not None:
            self.cursor = keep
        self.cursor = max(0, min(self.cursor, len(rows) - 1))
        self.virtual_size = Size(self.size.width, len(rows))
        self._scroll_to_cursor()
        # and again once the new size is laid out: a scroll further than the old rows reached
        # (all rows back after a filter of a few) was cut short, leaving the cursor out of view
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    @property
    def current(self) -> Any | None:
        """The row under the cursor, or None when the list is empty."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def row_width(self) -> int:
        """The width rows are drawn in: the list's width less its scrollbar (headers agree)."""
        return self.scrollable_content_region.width or self.size.width

    @property
    def dim_style(self) -> Style:
        """Secondary text in a row: the theme's readable muted colour (never below AA contrast)."""
        return self.get_component_rich_style("cursor-list--dim", partial=True)

    # -- drawing ---------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.scroll_offset.y + y
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        line = self.row_text(self.rows[index])
        if index == self.cursor:
            # A marker in the first cell (visible in any theme or colour depth, even without
            # colour) and the cursor colours as the row's base style, so the list's own
            # background does not paint over them.
            base = base + self.get_component_rich_style("cursor-list--cursor")
            line = Text(self.CURSOR_MARK, style="bold", no_wrap=True) + line[1:]
            # the cursor's colours for every cell: a muted cell's own colour ("no date", "89%")
            # would be 1.4:1 on the cursor's background in a light theme
            line = _without_colours(line)
        return Strip(list(line.render(self.app.console))).crop_extend(0, width, base).apply_style(base)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows))
        self.post_message(self.Reflowed())
        self.call_after_refresh(self._scroll_to_cursor)  # fewer rows shown: the cursor's stays in view
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
        """Put the cursor on row `index` (clamped) and scroll it into view."""
        if not self.rows:
            return
        self.cursor = max(0, min(index, len(self.rows) - 1))
        self._scroll_to_cursor()
        self.refresh()
        self.cursor_moved()

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.chosen(self.current))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.rows):
            if index == self.cursor:
                self.action_select()
            else:
                self.move_to(index)


def _without_colours(line: Text) -> Text:
    """`line` with its spans' foreground and background colours left out (bold, italic… stay)."""
    plain = line.copy()
    plain.style = _no_colour(plain.style)
    plain.spans = [span._replace(style=_no_colour(span.style)) for span in plain.spans]
    return plain


def _no_colour(style: str | Style) -> str | Style:
    if isinstance(style, str):
        style = Style.parse(style) if style else Style()
    return style.without_color
