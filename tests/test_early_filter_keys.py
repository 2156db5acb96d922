"""Keys typed right after `/` (fast typing, a paste) land in the filter box, never run as commands:
a binding's action runs after the keys already queued behind it. The keys are posted at once here,
as a terminal delivers a burst (Pilot's `press` would wait for each)."""

from __future__ import annotations

from helpers import REPO, make_app, wait_until
from test_people_ui import app_for, library, open_people  # noqa: F401  (the fixture too)
from textual import events


def burst(app, text: str) -> None:
    for ch in text:
        app.post_message(events.Key("slash" if ch == "/" else ch, ch))


async def test_library_filter_keeps_the_letters_typed_right_after_slash(tmp_path):
    from tui.ui.screens.library import LibraryScreen

    app = make_app([REPO / "sample_articles"], tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        sort = app.screen.sort
        burst(app, "/sv")
        await wait_until(pilot, lambda: app.screen.filter_text == "sv", what="the filter typed")
        assert app.screen.sort == sort  # `s` did not cycle the sort


async def test_people_filter_keeps_the_letters_typed_right_after_slash(library, tmp_path):  # noqa: F811
    from tui.ui.screens.chart import ChartScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_people(pilot)
        sort = people.sort
        burst(app, "/sv")
        await pilot.pause(0.3)
        box = people.query_one("#people-filter")
        assert box.value == "sv"
        assert people.sort == sort and not isinstance(app.screen, ChartScreen)
