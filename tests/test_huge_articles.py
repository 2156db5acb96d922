"""Very large articles: the library lists what it has read while a long indexing goes on, says
an article is coming when it takes seconds to open, and the reader's search waits for a pause in
the typing when the article is very long."""

from __future__ import annotations

import threading

from helpers import SEED, make_app, open_article, wait_until
from test_reader_live import record_notifications

from tui.core import library as library_core
from tui.core.articles import mebibytes
from tui.core.text import one_line

SIZE = (120, 40)


def _small_articles(folder, count):
    for n in range(count):
        (folder / f"small-{n}.txt").write_text(f"Small story {n}\n\nA council met on Monday and agreed a plan.\n")


async def test_a_long_indexing_lists_the_articles_read_so_far(tmp_path, shared_analyzer, monkeypatch):
    from tui.ui.screens import library_jobs
    from tui.ui.screens.library import LibraryScreen

    folder = tmp_path / "articles"
    folder.mkdir()
    _small_articles(folder, 3)
    big = folder / "big.txt"
    big.write_text("Big story\n\n" + "word " * (library_jobs.PROGRESS_BYTES // 5 + 10))
    release = threading.Event()
    parse = library_core.parse_entry

    def slow_parse(info, quote_count=None):  # the big file takes as long as the test wants
        if info.path.endswith("big.txt"):
            release.wait(30)
        return parse(info, quote_count)

    monkeypatch.setattr(library_core, "parse_entry", slow_parse)
    app = make_app([folder], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="library")
        screen = app.screen
        # the small files are read first and listed while the big one is still being read
        await wait_until(pilot, lambda: len(screen.entries) == 3, what="the small articles listed")
        assert not screen.loaded
        assert "indexing" in str(screen.query_one("#library-status").render())
        assert sorted(e.title for e in screen.entries) == ["Small story 0", "Small story 1", "Small story 2"]
        release.set()
        await wait_until(pilot, lambda: screen.loaded, what="the indexing to end")
        assert len(screen.entries) == 4
        assert "indexing" not in str(screen.query_one("#library-status").render())


async def test_opening_a_large_article_says_it_is_coming(tmp_path, shared_analyzer, monkeypatch):
    from tui.ui.screens import library as library_screen

    monkeypatch.setattr(library_screen, "SLOW_OPEN_BYTES", SEED.stat().st_size)  # the seed counts as large here
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    _small_articles(folder, 1)
    app = make_app([folder], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        said = record_notifications(app)
        reader = await open_article(pilot, row=0)
        opening = [s for s in said if s.startswith("Opening ")]
        assert opening == [f"Opening {one_line(reader.article.title, 60)} ({mebibytes(SEED.stat().st_size)})…"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, library_screen.LibraryScreen), what="library")
        said.clear()
        await pilot.press("j", "enter")  # a small article opens without a word
        await wait_until(pilot, lambda: app.screen is not None and app.screen.__class__.__name__ == "ReaderScreen")
        assert not [s for s in said if s.startswith("Opening ")]


async def test_in_a_very_long_article_the_search_waits_for_a_pause_in_the_typing(tmp_path, shared_analyzer, monkeypatch):
    from tui.core.reading.state import Reading
    from tui.ui.screens import reader_search

    monkeypatch.setattr(reader_search, "INSTANT_SEARCH_CHARS", 100)  # the seed counts as very long here
    searched: list[str] = []
    show = Reading.show_search

    def counting(self, term):
        searched.append(term)
        return show(self, term)

    monkeypatch.setattr(Reading, "show_search", counting)
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        text = reader.article.text.lower()
        await pilot.press("slash", *"biden")
        await wait_until(pilot, lambda: searched == ["biden"], what="one search, once the typing paused")
        assert len(reader.matches) == text.count("biden") > 1
        await pilot.press("backspace", "backspace", "escape")  # Escape before the pause: no search runs
        await pilot.pause(reader_search.SEARCH_PAUSE * 2)
        assert searched == ["biden"] and reader.matches == []
        await pilot.press("slash", *"trump", "enter")  # Enter searches at once
        await pilot.pause()
        assert reader.reading.search.term == "trump" and len(reader.matches) == text.count("trump") > 1


async def test_an_article_seen_whole_on_screen_is_read_through_and_a_long_one_as_far_as_shown(tmp_path, shared_analyzer):
    from tui.core import settings
    from tui.ui.screens.library import LibraryScreen

    folder = tmp_path / "articles"
    folder.mkdir()
    paragraph = "The harbour board met on Tuesday. It agreed to repair the old pier before winter."
    (folder / "long.txt").write_text("A long story\n\n" + "\n\n".join([paragraph] * 400) + "\n")  # row 0 (A–Z)
    (folder / "short.txt").write_text("A short story\n\n" + "\n\n".join([paragraph] * 6) + "\n")  # row 1
    app = make_app([folder], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        for row in (0, 1):
            reader = await open_article(pilot, row=row)
            await pilot.pause()
            shown_to, text, article_id = reader.view.bottom_offset(), reader.article.text, reader.article.id
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="library")
            await wait_until(pilot, lambda key=article_id: key in settings.load_progress(), what="the progress saved")
            percent = settings.load_progress()[article_id]
            if reader.article.title == "A short story":
                assert shown_to >= len(text.rstrip())
                assert percent == 100  # all of it was on screen (the cursor on its first paragraph)
            else:
                assert 0 < shown_to < len(text) and percent == round(100 * shown_to / len(text)) > 0
