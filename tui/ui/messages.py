"""Messages the app sends to its screens (instead of calling hooks it looks up on them).

A screen that cares handles them like any Textual message (`on_store_changed`,
`on_theme_changed`, or `@on(StoreChanged)`); one that does not simply ignores them.
"""

from __future__ import annotations

from textual.message import Message


class StoreChanged(Message, bubble=False):
    """Another process (a second Margin, `margin import`) changed the annotations database.

    Sent to the screen the user is looking at (the top full screen, under any dialog); screens
    below catch up when they are shown again (`on_screen_resume`)."""


class ThemeChanged(Message, bubble=False):
    """The theme changed: re-colour what the screen drew itself (the CSS follows on its own).
    Sent to every screen on the stack."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class SameQuotesFound(Message, bubble=False):
    """The same-quote groups of the reader's article are known (found in a worker):
    {(start, end) of a quote of the article: its `tui.core.people.QuoteGroup`}."""

    def __init__(self, groups: dict) -> None:
        super().__init__()
        self.groups = groups
