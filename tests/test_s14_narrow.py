"""Very narrow terminals: the library's footer keeps whole keys clear of the palette key (`?`
last to go), and the help puts each description under its key instead of cutting it off."""

from __future__ import annotations

import pytest
from helpers import make_app, open_article, wait_until
from test_library import annotate, library  # noqa: F401  (the fixture)
from textual.widgets._footer import FooterKey

from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import LibraryScreen


async def ready(pilot) -> LibraryScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
    await pilot.pause()
    return app.screen


def footer_keys(screen) -> tuple[list[str], list[str]]:
    """(keys drawn whole left of the palette key, keys overlapping it)."""
    footer = screen.query_one("Footer")
    palette = footer.query_one(".-command-palette")
    clear, hidden = [], []
    for key in footer.query(FooterKey):
        if key.has_class("-command-palette") or not key.region.width:
            continue
        (clear if key.region.right <= palette.region.x else hidden).append(key.key)
    return clear, hidden


@pytest.mark.parametrize("width", [40, 50, 60])
async def test_a_narrow_library_footer_shows_whole_keys_only_and_help_last_to_go(library, tmp_path, width):  # noqa: F811
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(width, 12)) as pilot:
        screen = await ready(pilot)
        clear, hidden = footer_keys(screen)
        assert not hidden  # nothing drawn under the palette key (a stray letter)
        assert "enter" in clear and "question_mark" in clear


async def test_at_80_columns_the_library_footer_shows_every_key(library, tmp_path):  # noqa: F811
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        clear, hidden = footer_keys(screen)
        assert not hidden
        assert {"enter", "slash", "s", "t", "ctrl+f", "p", "question_mark", "q"} <= set(clear)


async def test_help_on_a_narrow_terminal_puts_descriptions_under_their_keys(library, tmp_path):  # noqa: F811
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.pause()
        dialog = app.screen.query_one("#help-dialog")
        assert dialog.has_class("stacked")
        what = app.screen.query(".help-what").first()
        key = app.screen.query(".help-key").first()
        assert what.region.y > key.region.y  # on the line under its key
        assert what.region.width >= 25  # room enough to read
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not dialog.has_class("stacked")
        assert what.region.y == key.region.y  # beside it again


@pytest.mark.parametrize("key", ["x", "t"])
async def test_dialogs_narrow_with_a_narrow_terminal(library, tmp_path, key):  # noqa: F811
    from tui.ui.screens.export_dialog import ExportDialog
    from tui.ui.screens.tag_filter import TagFilterDialog

    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    annotate(app.store, library / "b.txt", "zeppelin", ["claim"])  # a tag for the tag filter to list
    async with app.run_test(size=(40, 16)) as pilot:
        await ready(pilot)
        await pilot.press(key)
        kind = ExportDialog if key == "x" else TagFilterDialog
        await wait_until(pilot, lambda: isinstance(app.screen, kind), what="the dialog")
        await pilot.pause()
        frame = app.screen.query_one(".dialog" if key == "x" else "TagFilterDialog > Vertical")
        assert frame.region.x >= 0 and frame.region.right <= 40  # its right edge on screen


async def test_p_lists_the_files_read_with_bad_bytes_and_the_status_counts_them(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "good.txt").write_text("Harbour report\n\nThe harbour froze again on Monday.\n", encoding="utf-8")
    cut = "Market news\n\nJosé Martí said the café near the market would stay closed. ".encode() * 3
    (folder / "cut.txt").write_bytes(cut + b"Prices rose by \xe9 percent.\n")  # one cut character in UTF-8
    app = make_app([folder], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        status = str(screen.query_one("#library-status").render())
        assert "1 file(s) with a reading notice" in status
        await pilot.press("p")
        await pilot.pause()
        listed = str(screen.query_one("#lib-problems-text").render())
        assert "cut.txt" in listed and "invalid byte sequence" in listed
        assert "good.txt" not in listed
    app = make_app([folder], tmp_path / "db.json", tmp_path=tmp_path)  # from the stored index too
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert "cut.txt" in str(screen.query_one("#lib-problems-text").render())


def test_indexing_progress_measures_bytes_so_one_huge_file_is_most_of_the_work(tmp_path):
    from tui.core.library import LibraryIndex

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "small.txt").write_text("Harbour report\n\nThe harbour froze again on Monday.\n", encoding="utf-8")
    (folder / "large.txt").write_text("Market news\n\n" + "Prices at the market rose again. " * 20000, encoding="utf-8")
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    seen = []
    LibraryIndex([folder], cache=tmp_path / "cache").refresh(progress=seen.append)
    assert seen[-1].bytes_done == seen[-1].bytes_total == sum(sizes.values())
    first = seen[0]  # the small file first: files say half done, bytes say almost nothing
    assert (first.done, first.total) == (1, 2)
    assert first.bytes_done == sizes["small.txt"] and first.bytes_done / first.bytes_total < 0.01


async def test_the_indexing_bar_follows_bytes(tmp_path):
    from tui.core.library import Progress

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour report\n\nThe harbour froze again on Monday.\n", encoding="utf-8")
    app = make_app([folder], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await ready(pilot)
        screen._show_progress(Progress(1, 2, 100, 10_000))
        await pilot.pause()
        bar = screen.query_one("ProgressBar")
        assert (bar.total, bar.progress) == (10_000, 100)  # 1 % done, though 1 of 2 files
        assert "1/2" in str(screen.query_one("#lib-progress-label").render())


async def test_K_goes_back_over_paragraphs_that_open_with_a_quotation_mark(tmp_path, shared_analyzer):
    path = tmp_path / "quotes.txt"
    path.write_text(
        "Harbour talks\n\n"
        "The council met on Monday to discuss the harbour.\n\n"
        "“We will rebuild the wall,” said Jane Doe, the mayor.\n\n"
        "“It will take two years,” she added.\n\n"
        "The vote is next week.\n",
        encoding="utf-8",
    )
    app = make_app([path], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_article(pilot)
        await wait_until(pilot, lambda: reader.analysis is not None, what="the analysis")
        text = reader.article.text

        def here() -> str:
            return text[reader.units[reader.unit_index][0] :]

        await pilot.press("G")
        assert here().startswith("The vote")
        seen = []
        for _ in range(3):
            await pilot.press("K")
            seen.append(here()[:12])
        assert seen == ["It will take", "We will rebu", "The council "]  # one paragraph back each time
