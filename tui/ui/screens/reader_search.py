"""The reader's search keys (`/`, `n`, `N`, Escape in the box) and an entity's mentions shown
as matches: the search itself is `Reading.search`; this part of `ReaderScreen` shows it."""

from __future__ import annotations

from textual.timer import Timer
from textual.widgets import Input

from tui.core.text import one_line
from tui.ui.widgets.panel_messages import ShowMentions

Span = tuple[int, int]

INSTANT_SEARCH_CHARS = 1_000_000  # a longer article is searched once the typing pauses
SEARCH_PAUSE = 0.2  # seconds


class ReaderSearching:
    """Search in the article, mixed into `ReaderScreen` (which provides `reading`, `view`,
    `_go` and `_redraw`)."""

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        self._search_before = self.reading.search.snapshot()
        box.display = True
        box.value = self.reading.search.term
        self.set_focus(box)  # at once: keys typed right after `/` go to the box, not the reader
        box.select_all()  # typing replaces the last search; → keeps and edits it

    def on_input_changed(self, event: Input.Changed) -> None:
        """Incremental search (as vim's incsearch and less): every match highlighted while
        typing, the view on the first one from the cursor on (the cursor moves on Enter). In a
        very long article the search waits for a pause in the typing."""
        if event.input.id != "search" or not event.input.display:
            return
        self._stop_pending_search()
        if len(self.reading.text) <= INSTANT_SEARCH_CHARS:
            self._search_as_typed(event.value)
        else:
            value = event.value
            self._pending_search = self.set_timer(SEARCH_PAUSE, lambda: self._search_as_typed(value))

    _pending_search: Timer | None = None

    def _stop_pending_search(self) -> None:
        if self._pending_search is not None:
            self._pending_search.stop()
            self._pending_search = None

    def _search_as_typed(self, value: str) -> None:
        self._pending_search = None
        search = self.reading.search
        self.reading.show_search(value)
        self._redraw(scroll=False)
        if search.matches:
            self.view.scroll_to_range(*search.matches[search.first_from(self.reading.here)])
        else:
            self.view.scroll_to_range(*self.view.cursor)

    def _cancel_search_box(self) -> None:
        """Escape in the search box: back to the search there was before `/`, and the cursor."""
        self._stop_pending_search()
        self.query_one("#search", Input).display = False
        if self._search_before is not None:
            self.reading.search.restore(self._search_before)
        self._redraw(scroll=False)
        self.view.scroll_to_range(*self.view.cursor)
        self.view.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        self._stop_pending_search()
        event.input.display = False
        self._search_before = None
        self.view.focus()
        found = self.reading.submit_search(event.value)
        if found is None:
            self.notify(f"Not found: {one_line(event.value, 40)}", markup=False)
            self._redraw(scroll=False)
            return
        self._show_match(*found)

    def action_search_step(self, step: int) -> None:
        found = self.reading.search.step(step)
        if found is not None:
            self._show_match(*found, step=step)

    def _show_match(self, match: Span, wrapped: bool, step: int = 1) -> None:
        if wrapped:  # as vim says
            self.notify("Search hit BOTTOM, continuing at TOP" if step > 0 else "Search hit TOP, continuing at BOTTOM", timeout=2)
        self._go(self.reading.unit_at(match[0]), scroll=False)
        self.view.scroll_to_range(*match)

    def on_show_mentions(self, message: ShowMentions) -> None:
        """An entity's mentions, highlighted as search matches; the cursor to the first."""
        self.reading.search.show(message.spans, message.name)
        self._redraw(scroll=False)
        self.action_search_step(1)

    def _clear_search(self) -> None:
        self.reading.search.clear()
        self._redraw(scroll=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n` is "next match" while there are matches, else "note" (the footer shows which)."""
        if action == "search_step":
            return bool(self.matches)
        if action == "note":
            return not self.matches
        return True
