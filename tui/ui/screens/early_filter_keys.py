"""Keys typed right after `/`, before the filter box has focus, are for the box.

A binding's action runs after the keys already queued behind it, so a fast typist's (or a paste's)
first letters after `/` would otherwise run as commands of the list (`s` sorts, `v` charts …).
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Input


class EarlyFilterKeys(Screen):
    """A screen whose `/` opens a filter `Input`: call `take_early_keys(box)` once the box has focus."""

    _typed_for_filter: list[str] | None = None

    def on_key(self, event: events.Key) -> None:
        if event.key == "slash" and not isinstance(self.focused, Input):
            self._typed_for_filter = []
            self.set_timer(2, self._forget_typed_for_filter)  # never swallow keys for long
        elif self._typed_for_filter is not None and event.is_printable and event.character:
            self._typed_for_filter.append(event.character)
            event.stop()
            event.prevent_default()

    def take_early_keys(self, box: Input) -> None:
        """Type into `box` what was typed after `/` before it had focus."""
        typed, self._typed_for_filter = "".join(self._typed_for_filter or []), None
        if typed:
            box.insert_text_at_cursor(typed)

    def _forget_typed_for_filter(self) -> None:
        self._typed_for_filter = None
