"""ArticleView: the article text as a Line-API ScrollView that renders only the visible lines.

The text is wrapped into visual lines (start, end offsets into the article text) for the current
width; each visible line is turned into a Strip from layered highlight marks (entities, quotes,
annotations, cursor, ...). Strips are cached until the highlights or the width change.
Every character shown is the article's character made terminal-safe (`tui.core.text.displayable`),
so offsets map 1:1 between the article text and the screen.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.text import displayable
from tui.ui.widgets.line_wrap import cells as _cells
from tui.ui.widgets.line_wrap import wrap_text

GUTTER = 2
CURSOR_GUTTER = "▌ "


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    style: Style


class Layer:
    """Marks of one kind, sorted, with fast lookup of the marks overlapping a range."""

    def __init__(self, marks: list[Mark]) -> None:
        self.marks = sorted((m for m in marks if m.end > m.start), key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.marks]
        self.max_ends = list(accumulate((m.end for m in self.marks), max))

    def overlapping(self, start: int, end: int) -> list[Mark]:
        upper = bisect_left(self.starts, end)
        lower = bisect_right(self.max_ends, start)
        return [m for m in self.marks[lower:upper] if m.end > start]


class SpanLayer:
    """Many ranges in one style (a search's matches): marks are made only for the lines drawn,
    so highlighting 200,000 matches costs no more than finding them."""

    def __init__(self, spans: list[tuple[int, int]], style: Style) -> None:
        spans = sorted(s for s in spans if s[1] > s[0])
        self.spans = spans
        self.style = style
        self.starts = [s for s, _ in spans]
        self.max_ends = list(accumulate((e for _, e in spans), max))

    def overlapping(self, start: int, end: int) -> list[Mark]:
        upper = bisect_left(self.starts, end)
        lower = bisect_right(self.max_ends, start)
        return [Mark(s, e, self.style) for s, e in self.spans[lower:upper] if e > start]


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one article with layered highlights and a cursor range."""

    DEFAULT_CSS = """
    ArticleView { background: $surface; }
    """

    class Moved(Message):
        """The visible part changed (scroll or reflow): status lines may want to update."""

    class Clicked(Message):
        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    # Lowest first. Entities sit above the cursor and annotations so their colours stay visible;
    # annotations add an underline that shows through the entity colour. The selection is on top
    # of everything: one colour (background and text) over the whole selected passage.
    LAYER_ORDER = ("caption", "title", "quotes", "speakers", "focus", "annotations", "cursor", "entities", "search", "selection")
    SCROLL_OFF = 3  # lines of context kept above and below the cursor (as vim's 'scrolloff')

    def __init__(self, text: str, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.text = text
        self.display_text = displayable(text, keep_newlines=True)
        self._paragraphs = self.display_text.count("\n") + 1  # at least as many lines as these
        self.lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._wrap_width = -1
        self._layers: dict[str, Layer | SpanLayer] = {}
        self._cache: dict[int, Strip] = {}
        self.cursor: tuple[int, int] = (0, 0)
        self._pending_scroll: tuple[int, int] | None = None
        self.cursor_style = CURSOR_STYLE
        self.gutter_colour = GUTTER_COLOUR  # the cursor's mark in the gutter while the text has focus
        self.base_style = Style()

    # -- highlights -----------------------------------------------------------------------------
    def set_cursor_colours(self, cursor_style: Style, gutter_colour: str) -> None:
        """The cursor's background and its gutter mark's colour (a theme's, readable on it)."""
        self.cursor_style, self.gutter_colour = cursor_style, gutter_colour
        self._invalidate()

    def set_layer(self, name: str, marks: list[Mark]) -> None:
        self._layers[name] = Layer(marks)
        self._invalidate()

    def set_spans(self, name: str, spans: list[tuple[int, int]], style: Style) -> None:
        """A layer of many ranges in one style (cheaper than `set_layer` with a mark each)."""
        self._layers[name] = SpanLayer(spans, style)
        self._invalidate()

    def set_cursor(self, start: int, end: int, scroll: bool = True) -> None:
        self.cursor = (start, end)
        self._invalidate()
        if scroll:
            self.scroll_to_range(start, end)

    def notify_style_update(self) -> None:
        """The theme or CSS changed: cached lines carry the old colours."""
        super().notify_style_update()
        self._cache.clear()

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    # -- geometry -------------------------------------------------------------------------------
    @property
    def text_width(self) -> int:
        width = self.scrollable_content_region.width - GUTTER
        styles = self.styles
        if not self.show_vertical_scrollbar and styles.overflow_y == "auto":
            # More paragraphs than rows: the scrollbar is coming and takes its columns. Wrap for
            # them now, not once before it shows and again after (seconds on a huge article).
            if self._paragraphs > self.scrollable_content_region.height:
                width -= styles.scrollbar_size_vertical
        return max(10, width)

    def _rewrap(self) -> None:
        width = self.text_width
        if width == self._wrap_width:
            return
        anchor = self.top_offset() if self.lines else None
        self._wrap_width = width
        self.lines = wrap_text(self.display_text, width)
        self._line_starts = [s for s, _ in self.lines]
        self._cache.clear()
        self.virtual_size = Size(width + GUTTER, len(self.lines))
        if anchor is not None:
            self.scroll_to(y=self.line_of(anchor), animate=False, immediate=True)
            if self.cursor[1] > self.cursor[0] and self._pending_scroll is None:
                self._pending_scroll = self.cursor  # after any resize the cursor stays in view
        if self._pending_scroll is not None:
            self.call_after_refresh(self._scroll_pending)
        self.post_message(self.Moved())

    def _scroll_pending(self) -> None:
        if self._pending_scroll is not None:
            self.scroll_to_range(*self._pending_scroll)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.Moved())

    def on_focus(self) -> None:
        self._invalidate()  # the gutter mark shows where the focus is

    def on_blur(self) -> None:
        self._invalidate()

    def on_resize(self, event: events.Resize) -> None:
        if self.text_width != self._wrap_width:
            self._rewrap()  # keeps the cursor in view too
        elif self.lines and self.cursor[1] > self.cursor[0]:
            self._pending_scroll = self.cursor  # only the height changed: the cursor's sentence stays in view
            self.call_after_refresh(self._scroll_pending)

    def on_mount(self) -> None:
        if self.scrollable_content_region.width > 0:  # else the first render wraps, at the laid-out width
            self._rewrap()

    def line_of(self, offset: int) -> int:
        if not self._line_starts:
            return 0
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def top_offset(self) -> int:
        """The character offset shown at the top of the view (the reading position)."""
        index = min(int(self.scroll_y), len(self.lines) - 1)
        return self.lines[index][0] if index >= 0 else 0

    def scroll_to_range(self, start: int, end: int) -> None:
        if not self.lines or not self.scrollable_content_region.height:
            self._pending_scroll = (start, end)  # not laid out yet: scroll once the text is wrapped
            return
        self._pending_scroll = None
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        height = max(1, self.scrollable_content_region.height)
        margin = min(self.SCROLL_OFF, max(0, (height - (last - first + 1)) // 2))
        top = int(self.scroll_y)
        if first - margin >= top and last + margin < top + height:
            return
        if last - first + 1 >= height or first - margin < top:
            target = first - margin
        else:
            target = last + margin - height + 1
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def centre_range(self, start: int, end: int) -> None:
        """Scroll so the lines of start…end sit in the middle of the view (vim's `zz`)."""
        if not self.lines:
            return
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        height = max(1, self.scrollable_content_region.height)
        middle = (first + last) // 2
        self.scroll_to(y=max(0, min(self.max_scroll_y, middle - height // 2)), animate=False, immediate=True)

    def position_label(self) -> str:
        """Where the view is: Top, End, or how far down it has scrolled, in percent."""
        if not self.lines or self.max_scroll_y <= 0:
            return "All"
        if self.scroll_y <= 0:
            return "Top"
        if self.scroll_y >= self.max_scroll_y or self.progress() >= 1.0:
            return "End"
        return f"{int(100 * self.scroll_y / self.max_scroll_y)}%"

    def bottom_offset(self) -> int:
        """The character offset where the last line in view ends: the text shown so far reaches it
        (0 before the view has a size)."""
        height = self.scrollable_content_region.height
        if not self.lines or height <= 0:
            return 0
        return self.lines[min(int(self.scroll_y) + height, len(self.lines)) - 1][1]

    def progress(self) -> float:
        if len(self.lines) <= 1:
            return 1.0
        height = max(1, self.scrollable_content_region.height)
        last_text_line = len(self.lines) - 1
        while last_text_line > 0 and self.lines[last_text_line][0] == self.lines[last_text_line][1]:
            last_text_line -= 1  # trailing blank lines do not count
        bottom = int(self.scroll_y) + height
        return 1.0 if bottom > last_text_line else bottom / (last_text_line + 1)

    # -- rendering ------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        if self._wrap_width != self.text_width:
            self._rewrap()
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_visual_line(index)
            if len(self._cache) > 4000:
                self._cache.clear()
            self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _render_visual_line(self, index: int) -> Strip:
        start, end = self.lines[index]
        base = self.rich_style + self.base_style
        c_start, c_end = self.cursor
        in_cursor = c_start < c_end and start <= c_end and end >= c_start and not (start == end and start == c_end)
        # the cursor's gutter mark is bright while the text has focus, dim while a panel has it
        mark_style = Style(color=self.gutter_colour, bold=True) if self.has_focus else Style(color="#808080")
        gutter = Segment(CURSOR_GUTTER if in_cursor else " " * GUTTER, base + mark_style)
        overlapping: list[tuple[int, Mark]] = []
        bounds = {start, end}
        for order, name in enumerate(self.LAYER_ORDER):
            layer = self._layers.get(name)
            if layer is None:
                continue
            for mark in layer.overlapping(start, end):
                overlapping.append((order, mark))
                bounds.add(max(start, mark.start))
                bounds.add(min(end, mark.end))
        if c_start < c_end and c_start < end and c_end > start:
            overlapping.append((self.LAYER_ORDER.index("cursor"), Mark(c_start, c_end, self.cursor_style)))
            bounds.add(max(start, c_start))
            bounds.add(min(end, c_end))
        segments = [gutter]
        points = sorted(bounds)
        for a, b in zip(points, points[1:]):
            if a >= b:
                continue
            styles = [m.style for _, m in sorted(overlapping, key=lambda om: om[0]) if m.start <= a and m.end >= b]
            style = base + Style.combine(styles) if styles else base
            segments.append(Segment(self.display_text[a:b], style))
        return Strip(segments)

    # -- mouse ----------------------------------------------------------------------------------
    class DragSelected(Message):
        def __init__(self, start: int, end: int) -> None:
            super().__init__()
            self.start = start
            self.end = end

    def offset_at(self, x: int, y: int) -> int | None:
        """The character offset under a point of the widget, or None below the text."""
        index = int(self.scroll_y) + y
        if not 0 <= index < len(self.lines):
            return None
        start, end = self.lines[index]
        column = max(0, x - GUTTER + int(self.scroll_x))
        offset, used = start, 0
        while offset < end and used + _cells(self.display_text[offset]) <= column:
            used += _cells(self.display_text[offset])
            offset += 1
        return offset

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._drag_anchor = self.offset_at(event.x, event.y)
        self._dragged = False
        if self._drag_anchor is not None:
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        anchor = getattr(self, "_drag_anchor", None)
        if anchor is None or not event.button:
            return
        here = self.offset_at(event.x, event.y)
        if here is not None and here != anchor:
            self._dragged = True
            self.post_message(self.DragSelected(min(anchor, here), max(anchor, here)))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        anchor = getattr(self, "_drag_anchor", None)
        self._drag_anchor = None
        self.release_mouse()
        if anchor is not None and not getattr(self, "_dragged", False):
            self.post_message(self.Clicked(anchor))


CURSOR_STYLE = Style(bgcolor="#3b4252")
GUTTER_COLOUR = "#ffaf00"
