"""`F` in the library when feeds fail: a clear notice naming each failure, and a rescan all the
same, so the library lists every article its folder holds. Local servers only."""

from __future__ import annotations

import pytest
from feeds_server import Site, page, rss, story
from helpers import make_app, wait_until

from tui.core.feeds import FeedState


@pytest.fixture
def site(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    s = Site("127.0.0.6")
    yield s
    s.close()


def notices(app, words: str) -> list:
    return [n for n in app._notifications if words in n.message]


async def test_F_when_every_feed_fails_says_why_and_lists_the_library(site, tmp_path, monkeypatch):
    from tui.ui.screens.library import LibraryScreen

    library = tmp_path / "lib"
    library.mkdir()
    (library / "old.md").write_text("---\ntitle: Old story\n---\n\nAn article already here, read long ago.\n")
    monkeypatch.setenv("MARGIN_LIBRARY", str(library))
    FeedState().add(site.url("/gone.xml"), "Gone Gazette")  # 404
    FeedState().add(site.add("/bulletin", "<!doctype html><html><body>Hello</body></html>"), "Broken Bulletin")

    app = make_app([library], tmp_path / "ann.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        await wait_until(
            pilot, lambda: isinstance(screen, LibraryScreen) and screen.loaded and len(screen.entries) == 1, what="library"
        )
        # meanwhile an article reached the folder (`margin add`, a fetch from a shell)
        (library / "late.md").write_text("---\ntitle: Late story\n---\n\nAn article added from a shell just now.\n")
        await pilot.press("F")
        await wait_until(pilot, lambda: notices(app, "Feeds not fetched"), what="the notice")
        await wait_until(pilot, lambda: screen.loaded and len(screen.entries) == 2, what="the rescan")
        assert sorted(e.title for e in screen.entries) == ["Late story", "Old story"]
        [told] = notices(app, "Feeds not fetched")
        assert told.severity == "error"
        assert "all 2 feeds failed" in told.message
        assert "Gone Gazette: " in told.message and "404" in told.message
        assert "Broken Bulletin: " in told.message and "a web page, not RSS" in told.message
        assert not screen.query_one("#lib-progress-row").has_class("visible")


async def test_F_names_the_failure_and_the_items_skipped_beside_what_was_fetched(site, tmp_path, monkeypatch):
    from tui.ui.screens.library import LibraryScreen

    library = tmp_path / "lib"
    library.mkdir()
    monkeypatch.setenv("MARGIN_LIBRARY", str(library))
    items = [
        {"title": "Harbour wall", "link": site.url("/a/1"), "guid": "h1"},
        {"title": "Teaser", "link": site.url("/missing"), "guid": "h2", "description": "Developing"},
    ]
    site.add("/a/1", page("Harbour wall", story(1)))
    FeedState().add(site.add("/feed", rss("Harbour Times", items), ctype="application/rss+xml"), "Harbour Times")
    FeedState().add(site.url("/gone.xml"), "Gone Gazette")

    app = make_app([library], tmp_path / "ann.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: isinstance(screen, LibraryScreen) and screen.loaded, what="library")
        await pilot.press("F")
        await wait_until(pilot, lambda: notices(app, "Feeds: "), what="the notice")
        await wait_until(pilot, lambda: screen.loaded and len(screen.entries) == 1, what="the rescan")
        [told] = notices(app, "Feeds: ")
        assert told.message.startswith("Feeds: 1 new article(s), 0 updated, 1 item(s) skipped (too little text)")
        assert "1 of 2 feed(s) failed — Gone Gazette: " in told.message and "404" in told.message
        assert told.severity == "error"
        assert [e.title for e in screen.entries] == ["Harbour wall"]
