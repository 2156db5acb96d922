"""`F` in the library: fetch the feeds in the background with a progress bar, then rescan; the new
articles are new (unread) and the text filter on their source (the feed's title) finds them."""

from __future__ import annotations

import pytest
from feeds_server import Site, page, rss, story
from helpers import make_app, wait_until

from tui.core.feeds import FeedState


@pytest.fixture
def site(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    s = Site("127.0.0.2")
    yield s
    s.close()


async def test_F_fetches_feeds_into_the_library(site, tmp_path, monkeypatch):
    from tui.ui.screens.library import LIBRARY_KEYS, LibraryScreen

    library = tmp_path / "lib"
    library.mkdir()
    (library / "old.md").write_text("---\ntitle: Old story\nsource: Elsewhere\n---\n\nAn article already here, long read.\n")
    monkeypatch.setenv("MARGIN_LIBRARY", str(library))
    items = [{"title": f"Feed story {i}", "link": site.url(f"/a/{i}"), "guid": f"f{i}"} for i in range(3)]
    FeedState().add(site.add("/feed", rss("Harbour Times", items), ctype="application/rss+xml"), "Harbour Times")
    for i in range(3):
        site.add(f"/a/{i}", page(f"Feed story {i}", story(i)))

    labels: list[str] = []
    original = LibraryScreen._show_progress

    def record(self, progress, label="Indexing"):
        labels.append(label.format(done=progress.done, total=progress.total))
        return original(self, progress, label)

    monkeypatch.setattr(LibraryScreen, "_show_progress", record)
    assert any(key == "F" for _group, rows in LIBRARY_KEYS for key, _ in rows)

    app = make_app([library], tmp_path / "ann.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        await wait_until(
            pilot, lambda: isinstance(screen, LibraryScreen) and screen.loaded and len(screen.entries) == 1, what="library"
        )
        await pilot.press("F")
        await wait_until(pilot, lambda: len(screen.entries) == 4 and screen.loaded, what="fetched articles")
        assert "Fetching feeds 1/1" in labels
        assert not screen.query_one("#lib-progress-row").has_class("visible")
        fetched = [e for e in screen.entries if e.source == "Harbour Times"]
        assert sorted(e.title for e in fetched) == ["Feed story 0", "Feed story 1", "Feed story 2"]
        progress = screen.rows_widget.progress
        assert all(e.id not in progress for e in fetched)  # new: never opened
        assert "4 new" in str(screen.query_one("#library-status").render())
        # a filter by feed is the text filter on the source
        await pilot.press("slash")
        for ch in "harbour times":
            await pilot.press("space" if ch == " " else ch)
        await wait_until(pilot, lambda: len(screen.shown) == 3, what="filter by feed")
        assert {e.source for e in screen.shown} == {"Harbour Times"}

        # F again: nothing new (the same items), nothing duplicated
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.press("F")
        await wait_until(pilot, lambda: site.hits["/feed"] == 2 and screen.loaded and len(labels) >= 2, what="second fetch")
        await pilot.pause(0.2)
        assert len(list(library.glob("*.md"))) == 4


async def test_F_says_where_a_wrong_typed_feeds_file_was_kept(tmp_path, monkeypatch):
    import json

    from tui.core.paths import data_dir
    from tui.ui.screens.library import LibraryScreen

    monkeypatch.setenv("MARGIN_LIBRARY", str(tmp_path / "library"))
    feeds = data_dir() / "feeds.json"
    feeds.parent.mkdir(parents=True, exist_ok=True)
    feeds.write_text(json.dumps({"version": 1, "feeds": {"http://127.0.0.1:9/feed": 5}}), encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("A day\n\nThe ferry ran late.\n", encoding="utf-8")
    app = make_app([articles], tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("F")
        await wait_until(pilot, lambda: any("feeds file" in n.message for n in app._notifications), what="the notice")
    [kept] = list(feeds.parent.glob("feeds.json.damaged-*"))
    [told] = [n for n in app._notifications if "feeds file" in n.message]
    assert str(kept) in told.message and told.severity == "warning"
