"""PanelList: the list inside each of the reader's side panels."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList


class PanelList(OptionList):
    """A side-panel list: while it has focus, `j` / `k` / `g` / `G` move its highlight (not the
    article cursor). With a `filter_box` (the annotations list), typing other letters goes there."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]
    # keys that keep their reader meaning in the annotations list (the rest of the letters filter)
    PASS_THROUGH = set("jkgGedu?qaspEPxnt")

    filter_box: Input | None = None

    class Resized(Message):
        """The list's width changed (the who-said list re-wraps its quotes)."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def on_key(self, event: events.Key) -> None:
        box = self.filter_box
        if box is None or not event.is_printable or not event.character:
            return
        if event.character in self.PASS_THROUGH or event.character.isdigit():
            return
        event.stop()
        event.prevent_default()
        if event.character != "/":  # `/` only moves to the filter box
            box.value += event.character
        self.screen.set_focus(box)  # at once: the next key typed goes to the box too
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
