"""The library's key table: no two bindings share a key, and `?` lists every binding by its key
cell (not by a letter found somewhere in the text)."""

from __future__ import annotations

import re

from helpers import SHOWN_KEYS, run_palette_command

from tui.ui.screens.library import LIBRARY_KEYS, LibraryList, LibraryScreen

SHOWN = SHOWN_KEYS


def key_cells() -> set[str]:
    """Every key named in the help's key column, one token per key."""
    tokens: set[str] = set()
    for _, rows in LIBRARY_KEYS:
        for key_cell, _ in rows:
            tokens.update(t for t in re.split(r"\s*(?:,|/(?=\s)|\s)\s*", key_cell) if t)
    return tokens


def bindings() -> list[tuple[str, str]]:
    found = []
    for owner in (LibraryScreen, LibraryList):
        for binding in owner.BINDINGS:
            for key in binding.key.split(","):
                found.append((key.strip(), binding.action))
    return found


def test_no_two_library_bindings_share_a_key():
    keys = [key for key, _ in bindings()]
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def test_every_library_binding_is_in_the_help_by_its_key():
    cells = key_cells()
    missing = [(key, action) for key, action in bindings() if SHOWN.get(key, key) not in cells]
    assert missing == []


async def _run_command(pilot, name: str) -> None:
    await run_palette_command(pilot, name)


async def test_the_palette_lists_the_library_and_reader_commands(tmp_path, shared_analyzer):
    """Each screen's commands come from its COMMANDS (the library's own provider; the reader's
    through the app until it declares them): opening from the palette, then the reader's panel."""
    from helpers import SEED, make_app, wait_until

    from tui.ui.screens.reader import ReaderScreen

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await _run_command(pilot, "open article")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="the reader, from the palette")
        reader = app.screen
        await wait_until(pilot, lambda: reader.query("ArticleView"), what="the article")
        shown = reader.query_one("#side").display
        await _run_command(pilot, "toggle side panel")
        await wait_until(pilot, lambda: reader.query_one("#side").display != shown, what="the panel toggled")


async def test_the_palettes_export_says_what_it_exports_on_each_screen(tmp_path, shared_analyzer):
    from helpers import SEED, make_app, open_article, wait_until

    def export_help(app) -> str:
        return next(c.help for c in app.get_system_commands(app.screen) if c.title == "Export annotations")

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        assert "articles shown" in export_help(app) and "this article" not in export_help(app)
        await open_article(pilot)
        assert "this article's" in export_help(app)


async def test_clearing_a_filter_keeps_the_current_row_in_view(tmp_path, shared_analyzer):
    """At 80×24, from the last row: a filter that leaves one article, Enter, Escape — all the rows
    come back and the cursor's row is on screen (it was scrolled out of view)."""
    from helpers import SAMPLES, make_app, wait_until

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.widgets.library_list import LibraryList

    app = make_app(SAMPLES, tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        rows = app.screen.query_one(LibraryList)
        assert len(rows.rows) > rows.scrollable_content_region.height  # more rows than fit
        await pilot.press("G")
        word = rows.current.title.split()[0]
        await pilot.press("slash", *word, "enter")
        await wait_until(pilot, lambda: len(rows.rows) < len(app.screen.entries), what="the filter")
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(rows.rows) == len(app.screen.entries), what="every row back")
        await pilot.pause()
        top, height = rows.scroll_offset.y, rows.scrollable_content_region.height
        assert top <= rows.cursor < top + height, (top, rows.cursor, height)
