"""PanelList: the list inside each of the reader's side panels."""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, OptionList


class PanelList(OptionList):
    """A side-panel list: while it has focus, `j` / `k` / `g` / `G` move its highlight (not the
    article cursor). With a `filter_box` (the annotations list), `/` moves to it; every other key
    keeps its reader meaning (a letter typed by mistake never starts a filter it did not ask for)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    filter_box: Input | None = None
    mark_cursor = False  # a ▶ before the highlighted row (in its left padding), as the library's lists have

    class Resized(Message):
        """The list's width changed (the who-said list re-wraps its quotes)."""

    def render_line(self, y: int) -> Strip:
        """The list's line `y`; with `mark_cursor`, the highlighted row's first line begins with ▶
        (in the cell of its left padding): the row is seen without its colour too."""
        strip = super().render_line(y)
        if not self.mark_cursor or self.highlighted is None or strip.cell_length < 2:
            return strip
        try:
            index, line = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return strip
        if index != self.highlighted or line != 0:
            return strip
        first = next(iter(strip), None)
        style = first.style if first is not None else None
        return Strip.join([Strip([Segment("▶", style)], 1), strip.crop(1)])

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def on_key(self, event: events.Key) -> None:
        box = self.filter_box
        if box is None or event.character != "/":
            return
        event.stop()
        event.prevent_default()
        self.screen.set_focus(box)
        box.cursor_position = len(box.value)

    def row_width(self, lines: int = 0) -> int:
        """The cells a row has when the list holds `lines` lines: its content width as laid out (else
        as it will be), less the scrollbar's cells when they do not fit in its height. Rows wrapped
        to it are never wrapped again by the list (which would lose their hanging indent)."""
        width, height = self.content_region.width, self.content_region.height
        if width < 12:
            return 34
        if height and lines > height:
            width -= self.styles.scrollbar_size_vertical
        return width

    def layout_key(self) -> tuple[int, int]:
        """What rows are wrapped for (the list's content size): when it changes, they are re-wrapped."""
        return (self.content_region.width, self.content_region.height)

    def choose_first(self) -> None:
        """Focus the list, its first row highlighted when none is."""
        self.screen.set_focus(self)  # at once: keys typed right after go to the list
        if self.highlighted is None and self.option_count:
            self.action_first()
