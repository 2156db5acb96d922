"""People's help and palette: the keys the help screen lists, the commands the palette offers.

Split from `tui.ui.screens.people` (which re-exports `PEOPLE_KEYS`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tui.ui.palette import HELP, Command, ScreenCommands

PEOPLE_KEYS = [
    (
        "Move and open",
        [
            ("j / ↓, k / ↑", "next / previous row"),
            ("g / Home, G / End, PageDown, PageUp", "first, last, pages"),
            ("Enter / click", "this person's quotes as a timeline"),
        ],
    ),
    (
        "Find",
        [
            ("/", "filter as you type (name and every merged variant); Enter returns to the list"),
            ("s", "cycle the sort: most quoted → name → latest quote"),
            ("Escape", "clear the filter, else back to the library"),
        ],
    ),
    (
        "Look",
        [("v", "charts: the most-quoted people as bars (1), this person's quotes over time (2), tag counts (3)")],
    ),
    (
        "Fix",
        [
            ("m", "merge this row with another (pick it from a list; saved)"),
            ("x", "split a name off this row into a row of its own (or undo the merge that brought it in)"),
        ],
    ),
    (
        "General",
        [
            ("ctrl+p", "command palette"),
            ("?", "this help"),
            ("q", "quit"),
        ],
    ),
]


class PeopleCommands(ScreenCommands):
    """People's commands in the palette: open the timeline, merge, split, the charts, help."""

    def commands(self) -> Iterable[Command]:
        screen: Any = self.screen
        yield "Open timeline", "The highlighted person's quotes as a timeline (Enter)", screen.action_open
        yield (
            "Merge with another row",
            "The highlighted row and one picked from a list become one person (m)",
            screen.action_merge,
        )
        yield "Split a name off", "A name of the highlighted row becomes a row of its own (x)", screen.action_split
        yield "Chart: most quoted", "The most-quoted people as bars (v)", screen.action_chart
        yield (
            "Chart: quotes over time",
            "The highlighted person's quotes per month (v, then 2)",
            lambda: screen.action_chart("timeline"),
        )
        yield "Chart: tag counts", "How many annotations carry each tag (v, then 3)", lambda: screen.action_chart("tags")
        yield *HELP, screen.action_help
