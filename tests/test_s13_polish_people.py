"""People's footer and status line say what is true now: Escape is "Clear" while a filter is on
(it clears the filter, not back to the library), and from 100 columns on the status line says
what it is doing in words, also while articles are read ("speaker right 1/2" only below 100)."""

from __future__ import annotations

import threading

import pytest
from helpers import make_app, wait_until
from test_people_ui import FakeAnalyzer, app_for, library, open_people  # noqa: F401  (the fixture too)
from textual.widgets import Static
from textual.widgets._footer import FooterKey


def escape_label(screen) -> str:
    return next(key.description for key in screen.query_one("Footer").query(FooterKey) if key.key == "escape")


def status(screen) -> str:
    return str(screen.query_one("#people-status", Static).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_footer_says_escape_clears_the_filter_while_one_is_on(library, tmp_path, size):  # noqa: F811
    from tui.ui.screens.library import LibraryScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=size) as pilot:
        people = await open_people(pilot)
        assert escape_label(people) == "Back"
        await pilot.press("slash")
        await wait_until(pilot, lambda: escape_label(people) == "Cancel", what="Escape: Cancel (the empty box)")
        await pilot.press(*"orla")
        await wait_until(pilot, lambda: escape_label(people) == "Clear", what="Escape: Clear")
        await pilot.press("enter")  # back to the list, the filter kept
        await pilot.pause()
        assert [p.name for p in people.shown] == ["Orla Fenwick"]
        assert escape_label(people) == "Clear"
        await pilot.press("escape")  # clears the filter: People stays
        await wait_until(pilot, lambda: escape_label(people) == "Back", what="Escape: Back again")
        assert app.screen is people and len(people.shown) == 3
        await pilot.press("slash", *"x", "backspace")  # typed and taken back: the box is empty again
        await wait_until(pilot, lambda: escape_label(people) == "Cancel", what="Escape: Cancel again")
        await pilot.press("escape", "escape")  # the box closed, then back to the library
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="the library")


async def test_the_status_line_says_it_in_words_from_100_columns_while_articles_are_read(
    library,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.people import PeopleScreen
    from tui.ui.screens.speaker_dialog import SpeakerDialog
    from tui.ui.screens.timeline import TimelineScreen

    # Two checked quotes: one confirmed (right), one given another speaker (wrong).
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_people(pilot)
        await pilot.press("enter")  # Orla Fenwick's quotes
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        timeline = app.screen
        await pilot.press("y")
        await wait_until(pilot, lambda: timeline.quotes[0].speaker_source == "user", what="a confirmed quote")
        await pilot.press("j", "c")
        await wait_until(pilot, lambda: isinstance(app.screen, SpeakerDialog), what="the speaker dialog")
        await pilot.press(*"Ansel Traske", "enter")
        await wait_until(pilot, lambda: len(timeline.quotes) == 2, what="the quote to move")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is people, what="People")
        assert "speaker right in 1 of your 2 corrected or confirmed quote(s)" in status(people)

    # A new session whose articles are read again (another cache), slowly: the status while loading.
    monkeypatch.setenv("MARGIN_CACHE_DIR", str(tmp_path / "cache-2"))
    analyzer = FakeAnalyzer(tmp_path / "cache-2")
    app = make_app([library], tmp_path / "data" / "ann.json", analyzer=analyzer)  # the same database
    release, analyse = threading.Event(), analyzer.analyze_many

    def slow(texts):
        release.wait(30)
        return analyse(texts)

    analyzer.analyze_many = slow
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="the library")
            await pilot.press("P")
            await wait_until(pilot, lambda: isinstance(app.screen, PeopleScreen), what="People")
            people = app.screen
            await wait_until(pilot, lambda: people.analysing == (0, 3), what="reading the articles")
            line = status(people)
            assert "reading 0/3 article(s)…" in line and "speaker right in 1 of your 2 " in line, line
            assert "speaker right 1/2" not in line
            await pilot.resize_terminal(100, 30)  # from 100 columns on: words
            await pilot.pause()
            line = status(people)
            assert "reading 0/3 article(s)…" in line and "speaker right in 1 of your 2 " in line, line
            await pilot.resize_terminal(99, 30)  # below: short words
            await pilot.pause()
            line = status(people)
            assert "reading 0/3…" in line and "speaker right 1/2" in line, line
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            assert "speaker right 1/2" in status(people) and len(status(people)) <= 78
            await pilot.resize_terminal(160, 40)  # room for every word
            await pilot.pause()
            line = status(people)
            assert "reading 0/3 article(s)… the list fills in" in line, line
            assert "speaker right in 1 of your 2 corrected or confirmed quote(s)" in line, line
            release.set()
            await wait_until(pilot, lambda: people.finished, what="the articles read")
    finally:
        release.set()
