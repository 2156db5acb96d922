"""The library: the index (only changed files re-parsed), and the screen: sort, filter, tags, search."""

from __future__ import annotations

import os

import pytest
from helpers import make_app, wait_until

from tui.core import library as library_mod
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.folders import walk
from tui.core.library import LibraryIndex, sort_entries
from tui.ui.screens.library import LibraryList, LibraryScreen
from tui.ui.screens.library_search import LibrarySearchScreen
from tui.ui.screens.tag_filter import TagFilterDialog


# -- the index ------------------------------------------------------------------------------------
def test_index_reparses_only_what_changed(tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    folder.mkdir()
    for i in range(300):
        (folder / f"{i:03}.txt").write_text(f"Story number {i}\n\nBody of story {i} with some words.\n")
    cache = tmp_path / "cache"
    index = LibraryIndex([folder], cache=cache)
    assert index.load() == []
    assert index.refresh() == (300, 0)
    assert index.file.exists()

    parsed = []
    real = library_mod.parse_entry
    monkeypatch.setattr(library_mod, "parse_entry", lambda info, qc=None: parsed.append(info.path) or real(info, qc))
    again = LibraryIndex([folder], cache=cache)
    assert len(again.load()) == 300
    assert again.refresh() == (0, 0)
    assert parsed == []

    (folder / "007.txt").write_text("Story seven, rewritten\n\nNew body.\n")
    os.utime(folder / "007.txt", ns=(1, 1))
    (folder / "008.txt").unlink()
    third = LibraryIndex([folder], cache=cache)
    third.load()
    assert third.refresh() == (1, 1)
    assert parsed == [str(folder / "007.txt")]
    entry = third.entries[str(folder / "007.txt")]
    assert entry.title == "Story seven, rewritten"
    assert entry.id == load_article(folder / "007.txt").id
    assert str(folder / "008.txt") not in third.entries


def _dated_folder(folder):
    folder.mkdir()
    dates = ["2021-05-01", None, "2021-05-01", "2019-01-02", None, "2023-12-31", "2021-05-01"]
    for i, date in enumerate(dates):
        head = f'---\ntitle: "{"BAaCb"[i % 5]} story {i % 3}"\n' + (f"date: {date}\n" if date else "") + "---\n\n"
        (folder / f"{i}.md").write_text(head + f"Body {i}.\n")
    (folder / "empty.txt").write_bytes(b"")  # an entry with an error: never in the order


def test_the_stored_date_order_is_the_date_sort(tmp_path):
    folder = tmp_path / "lib"
    _dated_folder(folder)
    index = LibraryIndex([folder], cache=tmp_path / "cache")
    index.load()
    index.refresh()
    again = LibraryIndex([folder], cache=tmp_path / "cache")
    again.load()
    stored = again.by_date()
    assert stored is not None
    assert [e.path for e in stored] == [e.path for e in sort_entries(again.articles(), "date")]
    assert len(stored) == 7 and all(e.ok for e in stored)


def test_an_index_without_a_date_order_gets_one_and_a_wrong_one_is_ignored(tmp_path):
    import orjson

    folder = tmp_path / "lib"
    _dated_folder(folder)
    LibraryIndex([folder], cache=tmp_path / "cache").refresh()
    index = LibraryIndex([folder], cache=tmp_path / "cache")
    data = orjson.loads(index.file.read_bytes())
    for order in (None, [0, 0, 0, 0, 0, 0, 0], [99], [-1, 0, 1, 2, 3, 4, 5], "x"):  # as written before the order existed; damaged
        data["by_date"] = order
        index.file.write_bytes(orjson.dumps(data))
        loaded = LibraryIndex([folder], cache=tmp_path / "cache")
        assert len(loaded.load()) == 8 and loaded.by_date() is None
    assert loaded.refresh() == (0, 0)  # nothing changed, but the order is written for the next start
    fresh = LibraryIndex([folder], cache=tmp_path / "cache")
    fresh.load()
    assert [e.path for e in fresh.by_date()] == [e.path for e in sort_entries(fresh.articles(), "date")]


async def test_a_start_on_an_indexed_library_does_not_sort_it(library, tmp_path, monkeypatch):
    from tui.ui.screens import library as screen_mod

    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        expected = titles(await ready(pilot))
    sorted_at_start = []
    real = screen_mod.sort_entries
    monkeypatch.setattr(screen_mod, "sort_entries", lambda *a, **k: sorted_at_start.append(1) or real(*a, **k))
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        assert sorted_at_start == [] and titles(screen) == expected
        await pilot.press("s")  # any other order is sorted as before
        assert sorted_at_start == [1]


def test_walk_survives_loops_and_counts_problems(tmp_path):
    folder = tmp_path / "lib"
    (folder / "a" / "b").mkdir(parents=True)
    (folder / "a" / "b" / "x.txt").write_text("X\n\nbody\n")
    os.symlink(folder, folder / "a" / "b" / "up")  # loop through a folder link: not followed
    os.symlink(folder / "a" / "b" / "x.txt", folder / "alias.txt")  # the same file twice: listed once
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    (folder / ".hidden.txt").write_text("secret")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    files, problems = walk([folder])
    assert [os.path.basename(f.path) for f in files] == ["alias.txt"]
    assert len(problems) == 1 and "dangling.txt" in problems[0]


def test_walk_stops_at_the_file_cap(tmp_path):
    for i in range(30):
        (tmp_path / f"{i}.txt").write_text("x")
    files, problems = walk([tmp_path], max_files=10)
    assert len(files) == 10
    assert problems == [f"{tmp_path}: more than 10 article files; the rest are not listed"]


# -- the screen -----------------------------------------------------------------------------------
ALPHA = "---\ntitle: Alpha harbour report\ndate: 2021-05-01\nsource: Daily Bugle\n---\nAlpha harbour report\n\nThe old lighthouse was repainted this spring.\n"
BRAVO = "Bravo council vote\n\nThe council voted to buy a zeppelin for the parade.\n"
CHARLIE = """<html><head><title>Charlie market news</title><meta property="og:site_name" content="Gazette">
<meta property="article:published_time" content="2022-07-07"></head><body><article><h1>Charlie market news</h1>
<p>Prices at the market rose again this week, traders said, as the harvest came in late.</p></article></body></html>"""


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.md").write_text(ALPHA, encoding="utf-8")
    (folder / "b.txt").write_text(BRAVO, encoding="utf-8")
    os.utime(folder / "b.txt", (1_546_300_800, 1_546_300_800))  # 2019-01-01
    (folder / "c.html").write_text(CHARLIE, encoding="utf-8")
    (folder / "d.txt").write_bytes(b"")
    (folder / "e.txt").write_bytes(b"\x00\x01\x02binary")
    return folder


def annotate(store, path, passage, tags):
    article = load_article(path)
    start = article.text.index(passage)
    store.add(Annotation.for_passage(article, start, start + len(passage), tags=tags))


def titles(screen) -> list[str]:
    return [e.title for e in screen.articles]


async def open_search(pilot) -> LibrarySearchScreen:
    """`ctrl+f` in the library: its search screen."""
    await pilot.press("ctrl+f")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LibrarySearchScreen), what="search")
    return pilot.app.screen


async def ready(pilot) -> LibraryScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
    return app.screen


async def test_sort_cycles_through_date_title_source_and_most_annotated(library, tmp_path):
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    annotate(app.store, library / "b.txt", "zeppelin", ["claim"])
    annotate(app.store, library / "b.txt", "The council voted", ["claim"])
    annotate(app.store, library / "c.html", "Prices at the market", ["check"])
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        assert titles(screen) == ["Charlie market news", "Alpha harbour report", "Bravo council vote"]
        await pilot.press("s")
        assert titles(screen) == ["Alpha harbour report", "Bravo council vote", "Charlie market news"]
        await pilot.press("s")
        assert titles(screen) == ["Alpha harbour report", "Charlie market news", "Bravo council vote"]
        await pilot.press("s")
        assert titles(screen) == ["Bravo council vote", "Charlie market news", "Alpha harbour report"]
        assert "most annotated" in str(screen.query_one("#library-title").render())
        await pilot.press("s")
        assert screen.sort == "date"


async def test_filter_as_you_type_on_title_source_and_text(library, tmp_path):
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        await pilot.press(*"gazette")  # the source of c.html; "s" and "t" go to the box, not to bindings
        assert titles(screen) == ["Charlie market news"]
        assert screen.sort == "date"
        await pilot.press("escape")
        assert len(screen.articles) == 3 and screen.filter_text == ""
        await pilot.press("slash", *"ZEPPELIN")  # only in the body of b.txt
        await wait_until(pilot, lambda: screen.corpus_ready, what="texts read")
        assert titles(screen) == ["Bravo council vote"]
        await pilot.press("enter")  # back to the list, filter kept
        assert screen.focused is screen.rows_widget
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is not screen, what="reader")
        assert app.screen.article.title == "Bravo council vote"


async def test_tag_filter_lists_articles_with_that_tag(library, tmp_path):
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    annotate(app.store, library / "b.txt", "zeppelin", ["claim"])
    annotate(app.store, library / "b.txt", "The council voted", ["Claim", "check"])
    annotate(app.store, library / "a.md", "lighthouse", ["check"])
    annotate(app.store, library / "a.md", "The old", ["claim"])
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagFilterDialog), what="tag dialog")
        dialog = app.screen
        assert [t.casefold() for t in dialog.tags] == ["claim", "check"]  # most used first
        await pilot.press("down", "down", "enter")  # All, #claim (3 uses), #check (2)
        await wait_until(pilot, lambda: app.screen is screen, what="back")
        assert screen.tag == "check"
        assert titles(screen) == ["Alpha harbour report", "Bravo council vote"]
        await pilot.press("t", "k", "enter")  # j and k move as ↓ and ↑ do
        await wait_until(pilot, lambda: app.screen is screen, what="back")
        assert screen.tag == "claim"
        assert titles(screen) == ["Alpha harbour report", "Bravo council vote"]
        app.store.add(Annotation.for_passage(load_article(library / "c.html"), 0, 7, tags=["CLAIM"]))
        await pilot.press("t", "enter")  # the dialog opens on the current tag
        await wait_until(pilot, lambda: app.screen is screen, what="back")
        assert screen.tag == "claim"
        assert titles(screen) == ["Charlie market news", "Alpha harbour report", "Bravo council vote"]
        await pilot.press("escape")
        assert screen.tag is None and len(screen.articles) == 3


async def test_library_search_opens_the_article_at_the_hit(library, tmp_path):
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        search = await open_search(pilot)
        await pilot.press(*"Lighthouse")
        await wait_until(pilot, lambda: search.hits, what="hits")
        [hit] = search.hits
        assert hit.entry.title == "Alpha harbour report"
        assert hit.match == "lighthouse" and hit.before.endswith("The old ")
        await pilot.press("enter", "enter")  # to the hits, then open
        await wait_until(pilot, lambda: getattr(app.screen, "article", None) is not None, what="reader")
        reader = app.screen
        text = reader.article.text
        assert text[hit.start : hit.end] == "lighthouse"
        assert getattr(reader, "start_offset", hit.start) == hit.start


async def test_enter_right_after_typing_on_searches_what_the_box_says_not_the_older_hits(library, tmp_path):
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        search = await open_search(pilot)
        await pilot.press(*"light")
        await wait_until(pilot, lambda: search.hits_query == "light" and search.hits, what="hits for 'light'")
        await pilot.press(*"house", "enter")  # Enter before the search-as-you-type pause is over
        await wait_until(pilot, lambda: search.hits_query == "lighthouse", what="hits for what the box says")
        assert [h.match for h in search.hits] == ["lighthouse"] and not search.searching
        hits = search.query_one("#lib-search-hits")
        await wait_until(pilot, lambda: app.screen.focused is hits, what="the hits, as Enter asked")
        await pilot.press("enter")  # opens the hit
        await wait_until(pilot, lambda: getattr(app.screen, "article", None) is not None, what="reader")


async def test_enter_pressed_twice_while_a_slow_article_loads_opens_one_reader(library, tmp_path, monkeypatch):
    import time

    from tui.core import articles
    from tui.ui.screens.reader import ReaderScreen

    real_load = articles.load_article

    def slow_load(path, *args, **kwargs):  # a big HTML page takes a while to extract
        time.sleep(0.4)
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(articles, "load_article", slow_load)
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause(0.1)
        await pilot.press("enter")  # impatient: the first is still loading
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        await pilot.pause(1.0)  # the second read is done by now too
        assert sum(isinstance(s, ReaderScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="back in the library at once")


async def test_a_filter_typed_while_the_folders_are_walked_finds_the_new_articles_text(library, tmp_path, monkeypatch):
    import threading

    from tui.core.library_search import TextCorpus

    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)  # the library's index is saved: the next start shows it before walking
    (library / "f.txt").write_text("Harbour news\n\nA quokka was seen near the pier.\n", encoding="utf-8")
    walked, read = threading.Event(), threading.Event()  # a slow disk: the test says when each is done
    real_changes, real_load = LibraryIndex.changes, TextCorpus.load

    def slow_changes(self, *args, **kwargs):
        walked.wait(10)
        return real_changes(self, *args, **kwargs)

    def slow_load(self, *args, **kwargs):
        read.wait(10)
        return real_load(self, *args, **kwargs)

    monkeypatch.setattr(LibraryIndex, "changes", slow_changes)
    monkeypatch.setattr(TextCorpus, "load", slow_load)
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.entries, what="the indexed list")
        screen = app.screen
        await pilot.press("slash", *"quokka")  # a word only in the text of an article the walk will find
        walked.set()
        await wait_until(pilot, lambda: screen.loaded, what="the walk")
        read.set()
        await wait_until(pilot, lambda: screen.corpus_ready, what="the texts")
        await pilot.pause()
        assert [e.title for e in screen.shown] == ["Harbour news"]


async def test_search_without_hits_says_so(library, tmp_path):
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        search = await open_search(pilot)
        await pilot.press(*"unicorn")
        status = search.query_one("#lib-search-status")
        await wait_until(pilot, lambda: "No article contains" in str(status.render()), what="no hits")
        assert search.hits == []
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_problems_are_listed_and_the_rest_loads(library, tmp_path):
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        assert len(screen.articles) == 3
        assert sorted(p.rsplit("/", 1)[-1] for p in screen.problems) == [
            "d.txt: the file is empty",
            "e.txt: looks like a binary file, not text",
        ]
        status = str(screen.query_one("#library-status").render())
        assert "2 file(s) could not be opened (p: show)" in status
        assert not screen.query("#lib-problems")  # made when first asked for
        await pilot.press("p")
        await pilot.pause()
        panel = screen.query_one("#lib-problems")
        assert panel.display
        assert "binary" in str(screen.query_one("#lib-problems-text").render())
        await pilot.press("p")
        await pilot.pause()
        assert not panel.display


async def test_second_start_shows_the_index_without_reparsing(library, tmp_path, monkeypatch):
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
    monkeypatch.setattr(library_mod, "parse_entry", lambda *a: pytest.fail("re-parsed an unchanged file"))
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        assert len(screen.articles) == 3 and len(screen.problems) == 2


async def test_titles_with_control_characters_are_shown_neutralised(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "x.txt").write_text("Evil \x1b[31mred\x07 title\n\nBody text.\n")
    app = make_app([folder], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        screen = await ready(pilot)
        row = screen.query_one(LibraryList).row_text(screen.articles[0]).plain
        assert "\x1b" not in row and "\x07" not in row
        assert "␛[31mred␇ title" in row


def test_sort_entries_keeps_unknown_sources_last():
    from tui.core.library import Entry

    a = Entry(path="a", size=1, mtime_ns=1, id="1", title="b", source=None, date="2020-01-01")
    b = Entry(path="b", size=1, mtime_ns=1, id="2", title="a", source="zeta", date="2021-01-01")
    assert [e.path for e in sort_entries([a, b], "source")] == ["b", "a"]
    assert [e.path for e in sort_entries([a, b], "annotated", {"1": 3})] == ["a", "b"]
    assert [e.path for e in sort_entries([a, b], "date")] == ["b", "a"]
    c = Entry(path="c", size=1, mtime_ns=1, id="3", title="c", source="alpha", date=None)
    assert [e.path for e in sort_entries([a, b, c], "source", reverse=True)] == ["b", "c", "a"]  # no source: still last


def test_date_sort_puts_undated_articles_last():
    from tui.core.library import Entry

    own = Entry(path="own", size=1, mtime_ns=1, id="1", title="Own", date="2020-11-12", date_from_file=True)
    undated = Entry(path="undated", size=1, mtime_ns=1, id="2", title="A undated", date=None, date_from_file=False)
    older_own = Entry(path="older", size=1, mtime_ns=1, id="3", title="Older", date="2008-02-06", date_from_file=True)
    assert [e.path for e in sort_entries([undated, older_own, own], "date")] == ["own", "older", "undated"]
    # reversed (S): oldest first, and still no date last
    assert [e.path for e in sort_entries([undated, older_own, own], "date", reverse=True)] == ["older", "own", "undated"]


async def test_tag_filter_follows_changes_made_in_the_reader(library, tmp_path):
    app = make_app([library], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        first = screen.shown[0]
        article = load_article(first.path)
        app.save_annotation(Annotation.for_passage(article, 0, 5, tags=["claim"]))
        screen.set_tag("claim")
        await pilot.pause()
        assert [e.id for e in screen.shown] == [article.id]
        [annotation] = app.annotations_for(article)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is not screen, what="reader")
        app.delete_annotation(annotation)  # as `d` in the reader does
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="library")
        await pilot.pause()
        assert screen.shown == []


async def test_an_edited_article_keeps_its_notes_count_and_tag(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    story = folder / "story.txt"
    story.write_text("Title\n\nThe vote passed. The mayor resigned.\n", encoding="utf-8")
    app = make_app([folder], tmp_path / "db.json")
    store = app.store
    store.add(Annotation.for_passage(load_article(story), 7, 23, tags=["vote"]))
    story.write_text("Title\n\nA new first line. The vote passed. The mayor resigned.\n", encoding="utf-8")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        [entry] = screen.shown
        assert app.annotation_counts().get(entry.path) == 1  # before the article is opened again
        screen.set_tag("vote")
        await pilot.pause()
        assert [e.path for e in screen.shown] == [entry.path]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_header_lines_up_with_rows_at_any_width(tmp_path, size):
    from helpers import REPO

    app = make_app([REPO / "sample_articles"], tmp_path / "db.json")
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"zim", "escape")  # a filter and back: the scrollbar comes and goes
        await pilot.pause()
        header = str(screen.query_one("#lib-header").render())
        row = "".join(segment.text for segment in screen.rows_widget.render_line(0))
        date = screen.shown[0].date
        assert header.index("Date") == row.index(date)
        assert header.rstrip().endswith("Annot.") and len(header.rstrip()) <= screen.rows_widget.row_width


async def test_analyse_all_from_the_library_fills_the_quotes_column(tmp_path):
    from helpers import SAMPLES

    folder = tmp_path / "lib"
    folder.mkdir()
    for path in SAMPLES[:3]:
        (folder / path.name).write_bytes(path.read_bytes())
    app = make_app([folder], tmp_path / "db.json")  # its own, empty analysis cache
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        assert all(e.quotes is None for e in screen.entries)  # nothing analysed yet
        await pilot.press("A")
        await wait_until(pilot, lambda: all(e.quotes is not None for e in screen.entries), timeout=60, what="analysis")
        seed = next(e for e in screen.entries if e.path.endswith("000_f8b6809fbedddc50.txt"))
        assert seed.quotes == 6
        assert app.analyzer.has_cached(load_article(seed.path).text)


async def _row_backgrounds(screen):
    rows = [screen.rows_widget.render_line(y) for y in range(3)]
    return [{seg.style.bgcolor for seg in row if seg.style and seg.text.strip()} for row in rows], rows


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_current_row_is_marked_and_coloured_on_every_start(tmp_path, theme):
    from helpers import REPO

    for start in range(2):  # the second start reads the stored index: the row must still be marked
        app = make_app([REPO / "sample_articles"], tmp_path / "db.json")
        async with app.run_test(size=(120, 30)) as pilot:
            app.theme = theme
            screen = await ready(pilot)
            await pilot.press("j")
            await pilot.pause()
            backgrounds, rows = await _row_backgrounds(screen)
            texts = ["".join(seg.text for seg in row) for row in rows]
            assert texts[1].startswith(LibraryList.CURSOR_MARK) and not texts[0].startswith(LibraryList.CURSOR_MARK)
            assert backgrounds[1] and backgrounds[1].isdisjoint(backgrounds[0] | backgrounds[2]), start


async def test_undated_articles_say_no_date_and_sort_last(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "dated.md").write_text("---\ntitle: Dated story\ndate: 2001-02-03\n---\nBody text here.\n")
    (folder / "undated.txt").write_text("Undated story\n\nBody text here.\n")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        assert [e.title for e in screen.shown] == ["Dated story", "Undated story"]
        row = "".join(segment.text for segment in screen.rows_widget.render_line(1))
        assert "no date" in row


async def test_typing_a_filter_narrows_and_widens_exactly_like_a_fresh_filter(tmp_path):
    from helpers import REPO

    from tui.core.library import matches

    app = make_app([REPO / "sample_articles"], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        await wait_until(pilot, lambda: screen.corpus_ready, what="texts read")
        for keys in (["z"], ["i"], ["m"], ["q"], ["backspace"], ["b"], ["backspace", "backspace"]):
            await pilot.press(*keys)
            await pilot.pause()
            needle = screen.filter_text.strip().lower()
            fresh = [e.path for e in screen.visible_for_search() if matches(e, needle, screen.corpus)]
            assert [e.path for e in screen.shown] == fresh, needle
        assert screen.shown and len(screen.shown) < len(screen.entries)


def test_text_corpus_finds_the_articles_containing_a_word(tmp_path):
    from tui.core.library import TextCorpus, filter_entries

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: Alpha\n---\nThe harbour froze.\n")
    (folder / "b.txt").write_text("Beta\n\nNothing here.\n")
    (folder / "c.txt").write_text("Gamma\n\nHARBOUR lights, and the harbour again.\n")
    index = LibraryIndex([folder], cache=tmp_path / "cache")
    index.refresh()
    entries = index.articles()
    corpus = TextCorpus()
    assert corpus.load(entries)
    assert corpus.paths_containing("harbour") == {str(folder / "a.md"), str(folder / "c.txt")}
    assert [e.title for e in filter_entries(entries, "harbour", corpus)] == [
        e.title for e in entries if e.title in ("Alpha", "Gamma")
    ]
    assert filter_entries(entries, "beta", None)[0].title == "Beta"  # titles match without the texts
    assert filter_entries(entries, "\0", corpus) == []


async def test_read_column_new_then_progress_then_marked(tmp_path, shared_analyzer):
    from helpers import SEED, open_article

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    (folder / "other.txt").write_text("Other story\n\nA body with words.\n")
    app = make_app([folder], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        widget = screen.rows_widget
        seed = next(e for e in screen.shown if e.path.endswith(SEED.name))
        assert widget.read_cell(seed).plain.strip() == "new"
        assert "2 new" in str(screen.query_one("#library-status").render())
        row = [e.path for e in screen.shown].index(seed.path)
        reader = await open_article(pilot, row)
        await pilot.press("G")  # to the end
        await pilot.pause()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back in the library")
        assert widget.read_cell(seed).plain.strip() == "✓"
        assert "1 new" in str(screen.query_one("#library-status").render())
        widget.move_to(row)
        await pilot.press("m")  # new again
        await pilot.pause()
        assert widget.read_cell(seed).plain.strip() == "new"
        await pilot.press("m")
        await pilot.pause()
        assert widget.read_cell(seed).plain.strip() == "✓"
        assert reader is not None


async def test_reverse_sort_and_open_url(tmp_path, monkeypatch):
    from tui.core import browser

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: Older\ndate: 2001-01-01\nurl: https://example.org/older\n---\nBody.\n")
    (folder / "b.md").write_text("---\ntitle: Newer\ndate: 2002-01-01\nurl: javascript:alert(1)\n---\nBody.\n")
    opened = []
    monkeypatch.setattr(browser, "has_graphical_browser", lambda: True)
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: opened.append(url) or True)
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        assert [e.title for e in screen.shown] == ["Newer", "Older"]
        await pilot.press("S")
        await pilot.pause()
        assert [e.title for e in screen.shown] == ["Older", "Newer"]
        assert "sorted by date (oldest first)" in str(screen.query_one("#library-title").render())
        await pilot.press("s")  # the next order keeps the reversal, said in words
        await pilot.pause()
        assert "sorted by title (Z–A)" in str(screen.query_one("#library-title").render())
        await pilot.press("s", "s", "s")
        await pilot.pause()
        assert screen.rows_widget.current.title == "Newer"  # the cursor stays on its article
        await pilot.press("g", "o")  # Older: an http address
        await pilot.pause()
        assert opened == ["https://example.org/older"]
        await pilot.press("j", "o")  # Newer: not a web address, never opened
        await pilot.pause()
        assert opened == ["https://example.org/older"]
        monkeypatch.setattr(browser, "has_graphical_browser", lambda: False)
        await pilot.press("k", "o")  # no browser window: copied instead
        await pilot.pause()
        assert opened == ["https://example.org/older"]
        assert app.clipboard == "https://example.org/older"


def test_only_web_addresses_are_opened():
    from tui.core.browser import is_web_address

    assert is_web_address("https://example.org/a?b=c")
    assert not is_web_address("file:///etc/passwd")
    assert not is_web_address("javascript:alert(1)")
    assert not is_web_address("https://exa\x1bmple.org")
    assert not is_web_address(None)


async def test_search_hits_are_grouped_under_their_article(tmp_path):
    from textual.widgets import OptionList

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha story\n\nThe harbour froze. Later the harbour thawed.\n")
    (folder / "b.txt").write_text("Beta story\n\nA harbour town.\n")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        search = await open_search(pilot)
        await pilot.press(*"harbour")
        await wait_until(pilot, lambda: len(search.hits) == 3, what="hits")
        hits = search.query_one("#lib-search-hits", OptionList)
        rows = [hits.get_option_at_index(i) for i in range(hits.option_count)]
        headings = [str(o.prompt) for o in rows if o.disabled]
        assert len(rows) == 5 and len(headings) == 2  # two articles, each title once
        assert sum("Alpha story" in h for h in headings) == 1
        await pilot.press("enter")
        assert not rows[hits.highlighted].disabled  # the cursor starts on a hit, not a heading


async def test_search_says_how_many_more_hits_an_article_holds_than_it_lists(tmp_path):
    from textual.widgets import OptionList

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha story\n\n" + "The harbour froze again. " * 8 + "\n")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        search = await open_search(pilot)
        await pilot.press(*"harbour")
        await wait_until(pilot, lambda: search.hits, what="hits")
        assert len(search.hits) == 5 and search.hits[-1].more == 3
        hits = search.query_one("#lib-search-hits", OptionList)
        rows = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert "… 3 more in this article" in rows[-1]
        status = str(search.query_one("#lib-search-status").render())
        assert status.startswith("8 hit(s) in 1 article(s) (5 listed")


async def test_the_search_status_fits_80_columns_and_says_more_when_wider(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha story\n\n" + "The harbour froze again. " * 8 + "\n")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        search = await open_search(pilot)
        await pilot.press(*"harbour")
        await wait_until(pilot, lambda: search.hits, what="hits")
        await pilot.pause()
        status = search.query_one("#lib-search-status")
        narrow = str(status.render())
        assert narrow.startswith("8 hit(s) in 1 article(s)") and narrow.endswith("enter opens") and len(narrow) <= 78
        found, search._counts = search._counts, (12000, 200, 1000)  # a common word: the first 200 articles
        capped = search._hits_status()
        search._counts = found
        assert capped.startswith("12000 hits") and capped.endswith("enter opens") and len(capped) <= 78
        await pilot.resize_terminal(120, 30)
        await wait_until(pilot, lambda: str(status.render()).endswith("enter opens the article at the hit"))


async def test_down_pressed_before_the_hits_come_moves_to_them_when_they_do(tmp_path, monkeypatch):
    import threading

    import tui.ui.screens.library_search as screen_module

    folder = tmp_path / "lib"
    folder.mkdir()
    for n in range(4):
        (folder / f"a{n}.txt").write_text(f"Story {n}\n\nThe harbour froze again on day {n}.\n")
    go = threading.Event()
    real_search = screen_module.search

    def slow_search(*args, **kwargs):
        go.wait(30)
        return real_search(*args, **kwargs)

    monkeypatch.setattr(screen_module, "search", slow_search)
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        search = await open_search(pilot)
        await pilot.press(*"harbour", "down")  # at once: before the search starts (it waits for typing to pause)
        await wait_until(pilot, lambda: search.searching, what="the search to start")
        await pilot.press("down", "down")  # the first hit, then two rows further
        go.set()
        await wait_until(pilot, lambda: search.hits, what="hits")
        await pilot.pause()
        hits = search.query_one("#lib-search-hits")
        assert app.focused is hits
        chosen = [i for i in range(hits.option_count) if not hits.get_option_at_index(i).disabled]
        assert hits.highlighted == chosen[2]


async def test_up_on_the_first_hit_slash_or_typing_go_back_to_the_search_box(tmp_path):
    from textual.widgets import Input

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha story\n\nThe harbour froze again. The harbour opened.\n")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        search = await open_search(pilot)
        await pilot.press(*"harbour")
        await wait_until(pilot, lambda: search.hits, what="hits")
        box, hits = search.query_one("#lib-search-input", Input), search.query_one("#lib-search-hits")
        await pilot.press("down")
        assert app.focused is hits
        await pilot.press("up")  # on the first hit
        assert app.focused is box and box.value == "harbour"
        await pilot.press("down", "slash")
        assert app.focused is box and box.value == "harbour"
        await pilot.press("down", "s")  # typing goes on in the box, where the words end
        await pilot.pause()
        assert app.focused is box and box.value == "harbours"


async def test_A_again_while_analysing_stops_it_and_keeps_what_is_done(tmp_path, monkeypatch):
    import threading

    import tui.core.analysis.batch as batch
    from tui.core.analysis.batch import Progress

    folder = tmp_path / "lib"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(f"{name} story\n\n“We sail at dawn,” said Jane Roe.\n")
    runs, stopped = [], threading.Event()

    def slow_analyse_all(paths, model, cache, jobs, report, counted=None, stop=None):
        """One article done (its count reported), then waits to be stopped, as a long run would."""
        runs.append(len(paths))
        first = str(paths[0])
        counted({first: (load_article(first).id, 3)})
        report(Progress(total=len(paths), done=1), [])
        while not stop():
            stopped.wait(0.05)
        stopped.set()
        return Progress(total=len(paths), done=1)

    monkeypatch.setattr(batch, "analyse_all", slow_analyse_all)
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("A")
        await wait_until(pilot, lambda: runs == [2] and any(e.quotes == 3 for e in screen.entries), what="a first count")
        await pilot.press("A")  # stop
        await wait_until(pilot, lambda: screen.analysis_state is None, what="the run to end")
        assert stopped.is_set() and runs == [2]  # stopped, and no second run started beside it
        assert any("stopped after 1 of 2" in n.message for n in app._notifications)
        assert [e.quotes for e in sorted(screen.entries, key=lambda e: e.path)] == [3, None]
        assert not screen.query_one("#lib-progress-row").has_class("visible")
        await pilot.press("A")  # goes on with the rest
        await wait_until(pilot, lambda: runs == [2, 1], what="the second run")
        await pilot.press("A")
        await wait_until(pilot, lambda: screen.analysis_state is None, what="the second run to end")
    # the counts were saved as they came: a new start shows them before any analysis
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        assert sorted(e.quotes for e in screen.entries) == [3, 3]


def test_library_search_takes_a_straight_apostrophe_for_a_curly_one_and_drops_quotation_marks(tmp_path):
    from tui.core.library_search import search

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour story\n\nThe mayor’s plan was called “free and fair” by all.\n")
    (folder / "b.txt").write_text("Other story\n\nThe mayor's plan was free and fair, they said.\n")
    index = LibraryIndex([str(folder)])
    index.load()
    index.refresh()
    entries = index.articles()
    for query in ("mayor's plan", "mayor’s plan", "MAYOR‘S PLAN"):
        assert len(search(entries, query)) == 2, query
    assert len(search(entries, '"free and fair"')) == 2  # the marks around a phrase are no part of it
    assert len(search(entries, "“free and fair”")) == 2
    assert len(search(entries, 'called "free')) == 1  # marks inside the phrase still count


def test_a_tag_typed_in_quotation_marks_is_the_word_inside():
    from tui.core.annotations import tag_changes

    typed = ['"boycott"', "“needs check”", "'90s", "it's", '"kept"']
    # a new tag loses its marks; a tag stored with them stays exactly as stored
    assert tag_changes(['"kept"'], typed) == (["boycott", "needs check", "'90s", "it's"], [])


async def test_a_search_hit_fills_a_wide_screen_with_its_context(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    words = " ".join(f"word{k}" for k in range(60))
    (folder / "a.txt").write_text(f"Harbour story\n\nThe mayor spoke: harbours {words}.\n")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(160, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f", *"harbours", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen) and app.screen.hits, what="hits")
        hits = app.screen.query_one("#lib-search-hits")
        row = str(hits.get_option_at_index(1).prompt)
        assert "word12" in row  # far more than 40 characters after the hit, on a 160-column screen


async def test_sorted_by_source_a_narrow_library_shows_the_source_column(library, tmp_path):
    app = make_app([library], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        header = screen.query_one("#lib-header")
        assert "Source" not in str(header.render())  # 80 columns: titles first
        while screen.sort != "source":
            await pilot.press("s")
        await pilot.pause()
        assert "Source" in str(header.render())
        widget = screen.rows_widget
        sourced = [e for e in screen.shown if e.source]
        assert sourced
        for entry in sourced:
            assert entry.source[:10] in widget.row_text(entry).plain
            assert widget.row_text(entry).cell_len == widget.header().cell_len  # the columns line up
        await pilot.press("s")  # another order: the titles get the room back
        await pilot.pause()
        assert "Source" not in str(header.render())
