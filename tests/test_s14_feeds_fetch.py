"""Fetching feeds: the permissions of the articles saved, items with too little text to be an
article, and a feed items file (`feeds-items.json`) holding values of the wrong JSON types.

Served from local HTTP servers on loopback addresses; nothing reaches the internet."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from feeds_server import Site, page, rss, story

from tui.cli import main
from tui.core import feeds
from tui.core.articles import load_article
from tui.core.feeds import FeedState, fetch_feeds


@pytest.fixture
def site(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    s = Site("127.0.0.4")
    yield s
    s.close()


@pytest.fixture
def umask():
    """Set the process's umask for the test (restored after it)."""
    before = os.umask(0o022)

    def set_to(mask: int) -> None:
        os.umask(mask)

    yield set_to
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def stories(site: Site, numbers, etag: str | None = None, **extra) -> str:
    """A feed of the harbour stories `numbers`, each with its full page; the feed's URL."""
    items = [{"title": f"Story {i}", "link": site.url(f"/a/{i}"), "guid": f"s{i}", **extra} for i in numbers]
    for i in numbers:
        site.add(f"/a/{i}", page(f"Story {i}", story(i)))
    return site.add("/feed", rss("Coast Herald", items), ctype="application/rss+xml", etag=etag)


# ------------------------------------------------------------------ 1. permissions


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002], ids=["022", "027", "002"])
def test_fetched_articles_get_the_permissions_of_an_ordinary_new_file(site, tmp_path, umask, mask):
    umask(mask)
    FeedState().add(stories(site, range(2)))
    report = fetch_feeds(tmp_path / "lib")
    assert report.new == 2
    saved = sorted((tmp_path / "lib").glob("*.md"))
    assert [mode(p) for p in saved] == [0o666 & ~mask] * 2  # 0644 under umask 022, as `margin add` gives
    assert not list((tmp_path / "lib").glob(".*"))  # still written atomically: no temporary left


def test_an_updated_article_keeps_the_permissions_it_has(site, tmp_path, umask):
    umask(0o022)
    FeedState().add(stories(site, [1], etag='"1"'))
    assert fetch_feeds(tmp_path / "lib").new == 1
    [path] = (tmp_path / "lib").glob("*.md")
    path.chmod(0o664)  # the user's choice
    site.add("/a/1", page("Story 1", story(1, "The regional board confirmed the vote on Tuesday.")))
    site.add(
        "/feed",
        rss("Coast Herald", [{"title": "Story 1", "link": site.url("/a/1"), "guid": "s1", "description": "v2"}]),
        ctype="application/rss+xml",
        etag='"2"',
    )
    report = fetch_feeds(tmp_path / "lib")
    assert report.updated == 1 and "regional board" in load_article(path).text
    assert mode(path) == 0o664


# ------------------------------------------------------------------ 5. too little text


def test_items_with_too_little_text_are_skipped_with_their_reason(site, tmp_path, capsys):
    one_word = "<!doctype html><html><head><title>Soon</title></head><body><article><p>Soon</p></article></body></html>"
    site.add("/one-word", one_word)
    items = [
        {"title": "A one-word page", "link": site.url("/one-word"), "guid": "w1"},
        {"title": "One word in the feed", "link": site.url("/gone"), "guid": "w2", "description": "Developing"},
        {"title": "A link label", "guid": "urn:thin:w3", "description": "<p>Read more</p>"},
        {"title": "Story 5", "link": site.url("/a/5"), "guid": "s5"},
        # a script written without spaces: one "word" to a regex, a full sentence to a reader
        {
            "title": "港口",
            "guid": "urn:thin:w4",
            "description": "<p>港口委员会周一晚上开会讨论新的海堤，会议一直持续到午夜之后。</p>",
        },
    ]
    site.add("/a/5", page("Story 5", story(5)))
    FeedState().add(site.add("/feed", rss("Thin Times", items), ctype="application/rss+xml"), "Thin Times")
    library = tmp_path / "lib"
    report = fetch_feeds(library)
    assert sorted(load_article(p).title for p in library.glob("*.md")) == ["Story 5", "港口"]
    [result] = report.feeds
    assert (result.new, result.skipped_items, report.skipped_items) == (2, 3, 3)
    skipped = [note for note in result.notes if note.endswith("skipped")]
    assert len(skipped) == 3 and all(f"{feeds.MIN_ARTICLE_WORDS} words at least" in note for note in skipped)
    assert any(site.url("/one-word") in note and "no text" in note for note in skipped)
    assert any("HTTP 404" in note and "only 1 word(s)" in note for note in skipped)
    assert any("A link label: no web page" in note and "only 2 word(s)" in note for note in skipped)
    assert not any("the feed's text is used" in note for note in result.notes)  # it was not

    # the summary of `margin fetch` counts them; a skipped item is tried again (not remembered)
    assert main(["fetch", "--library", str(library)]) == 0
    captured = capsys.readouterr()
    assert "Thin Times: 0 new, 3 skipped" in captured.out
    assert "0 new article(s), 0 updated, from 1 feed(s)" in captured.out and "3 item(s) skipped" in captured.out
    assert "only 1 word(s)" in captured.err
    site.add("/one-word", page("A one-word page", story(7)))  # the page has its article now
    report = fetch_feeds(library)
    assert (report.new, report.skipped_items) == (1, 2)


# ------------------------------------------------------------------ 6. wrong types in feeds-items.json


def test_wrong_typed_values_in_the_items_file_are_ignored_and_said(site, tmp_path, capsys):
    library = tmp_path / "lib"
    state = FeedState()
    state.add(stories(site, range(4)))
    assert fetch_feeds(library).new == 4
    doc = json.loads(state.items_path.read_text())
    by_title = {record["title"]: item_id for item_id, record in doc["items"].items()}
    doc["items"][by_title["Story 0"]] = "not a record"
    doc["items"][by_title["Story 1"]]["path"] = 5
    doc["items"][by_title["Story 1"]]["saved"] = 1714000000
    for key, item_id in doc["keys"].items():
        if item_id == by_title["Story 2"]:
            doc["keys"][key] = 12  # a number where an item id is expected
    doc["version"] = "1"
    state.items_path.write_text(json.dumps(doc))
    damaged = state.items_path.read_bytes()
    kept = doc["items"][by_title["Story 3"]]

    site.add("/a/4", page("Story 4", story(4)))  # the feed has a new story too
    site.add(
        "/feed",
        rss("Coast Herald", [{"title": f"Story {i}", "link": site.url(f"/a/{i}"), "guid": f"s{i}"} for i in range(5)]),
        ctype="application/rss+xml",
    )
    assert main(["fetch", "--library", str(library)]) == 0
    captured = capsys.readouterr()
    assert "Coast Herald: 1 new" in captured.out  # the known stories are not fetched again
    assert len(list(library.glob("*.md"))) == 5
    [backup] = state.items_path.parent.glob("feeds-items.json.damaged-*")
    assert backup.read_bytes() == damaged
    assert "not entirely understood" in captured.err and str(backup) in captured.err
    assert "the record of item" in captured.err and "more" in captured.err

    stored = json.loads(state.items_path.read_text())
    assert stored["items"][by_title["Story 3"]] == kept  # the valid records are kept as they were
    assert by_title["Story 0"] not in stored["items"]
    assert "path" not in stored["items"][by_title["Story 1"]] and "saved" not in stored["items"][by_title["Story 1"]]
    assert all(isinstance(item_id, str) for item_id in stored["keys"].values())
    report = fetch_feeds(library)  # said once: the file is sound now
    assert report.notices == [] and report.new == 0 and not report.errors
    assert len(list(state.items_path.parent.glob("feeds-items.json.damaged-*"))) == 1


@pytest.mark.parametrize("wrong", [{"items": "none"}, {"keys": ["a", "list"]}])
def test_an_items_or_keys_table_of_the_wrong_type_is_read_as_empty(site, tmp_path, wrong):
    library = tmp_path / "lib"
    state = FeedState()
    state.add(stories(site, range(3)))
    assert fetch_feeds(library).new == 3
    doc = json.loads(state.items_path.read_text())
    doc.update(wrong)
    state.items_path.write_text(json.dumps(doc))
    report = fetch_feeds(library)
    assert not report.errors and report.new == 0  # still known: by their keys, or by their texts
    assert len(list(library.glob("*.md"))) == 3
    [notice] = report.notices
    assert f'"{next(iter(wrong))}" is not an object' in notice
