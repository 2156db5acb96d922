"""Damaged or wrong-typed state files (people.json, feeds.json, the analysis cache) never crash
Margin and are never overwritten unseen: a file not understood is copied aside (kept), what could
be read of it is used, and the user is told once where it went."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.feeds import FeedState, parse_json_feed
from tui.core.people import Overrides

GOOD_MERGE = ["person:wren talbot", "person:ivo maske"]


def people_file(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "people.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.damaged-*"))


# ------------------------------------------------------------------ people.json


def test_truncated_people_file_is_kept_aside_before_a_merge_is_saved(tmp_path):
    path = people_file(tmp_path)
    damaged = '{"version": 1, "merges": [["person:wren talbot", "person:ivo maske"]], "splits": ["Somebody"]'
    path.write_text(damaged)
    overrides = Overrides().load()
    assert overrides.merges == [] and overrides.splits == []
    [backup] = aside(path)
    assert backup.read_text() == damaged  # kept as it was
    assert overrides.notice and str(backup) in overrides.notice and "not valid JSON" in overrides.notice
    overrides.merge("person:ada quell", "person:bo linden")
    overrides.save()
    assert json.loads(path.read_text())["merges"] == [["person:ada quell", "person:bo linden"]]
    assert backup.read_text() == damaged
    assert Overrides().load().notice is None  # told once: the file is sound now


@pytest.mark.parametrize(
    "content",
    [
        {"version": 1, "merges": 5, "splits": None},
        {"version": 1, "merges": [GOOD_MERGE, ["only one"], [1, 2], "x"], "splits": ["Somebody", 7]},
        [GOOD_MERGE],
        None,
    ],
)
def test_wrong_types_in_people_file_never_crash_and_the_file_is_kept(tmp_path, content):
    path = people_file(tmp_path)
    path.write_text(json.dumps(content))
    overrides = Overrides().load()
    [backup] = aside(path)
    assert json.loads(backup.read_text()) == content
    assert overrides.notice and str(backup) in overrides.notice
    if isinstance(content, dict) and isinstance(content["merges"], list):
        # the entries understood are used and written back; the others are only in the copy
        assert overrides.merges == [GOOD_MERGE] and overrides.splits == ["Somebody"]
        assert json.loads(path.read_text()) == {"version": 1, "merges": [GOOD_MERGE], "splits": ["Somebody"]}
        assert "2 merge(s) and 1 split(s) that could be read are kept" not in overrides.notice
        assert "1 merge(s) and 1 split(s) that could be read are kept" in overrides.notice
    else:
        assert overrides.merges == [] and overrides.splits == []
        assert json.loads(path.read_text()) == {"version": 1, "merges": [], "splits": []}


def test_damaged_people_file_that_cannot_be_kept_aside_is_never_overwritten(tmp_path, monkeypatch):
    import shutil

    path = people_file(tmp_path)
    path.write_text('{"merges": 5}')

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(shutil, "copy2", refuse)
    overrides = Overrides().load()
    assert overrides.notice and "could not be copied aside" in overrides.notice
    overrides.merge("person:ada quell", "person:bo linden")
    with pytest.raises(OSError, match="left untouched"):
        overrides.save()
    assert path.read_text() == '{"merges": 5}'


# ------------------------------------------------------------------ feeds.json


def feeds_file(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "data" / "feeds.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content))
    return path


def test_wrong_typed_feed_record_never_crashes_and_the_file_is_kept(tmp_path, capsys):
    content = {
        "version": 1,
        "feeds": {"http://127.0.0.1:9/a": 5, "http://127.0.0.1:9/b": {"title": "Harbour Notes", "failures": "x"}},
    }
    path = feeds_file(tmp_path, content)
    state = FeedState()
    feeds = {f["url"]: f for f in state.feeds()}
    assert set(feeds) == {"http://127.0.0.1:9/a", "http://127.0.0.1:9/b"}  # every subscription kept
    assert feeds["http://127.0.0.1:9/b"]["title"] == "Harbour Notes" and "failures" not in feeds["http://127.0.0.1:9/b"]
    [backup] = aside(path)
    assert json.loads(backup.read_text()) == content
    assert state.notice and str(backup) in state.notice
    assert json.loads(path.read_text())["feeds"]["http://127.0.0.1:9/a"] == {}
    before = path.read_bytes()
    again = FeedState()
    assert len(again.feeds()) == 2 and again.notice is None  # told once: the file is sound now
    assert path.read_bytes() == before and len(aside(path)) == 1


def test_wrong_typed_feeds_file_that_cannot_be_kept_aside_is_left_untouched(tmp_path, monkeypatch):
    import shutil

    path = feeds_file(tmp_path, {"version": 1, "feeds": {"http://127.0.0.1:9/a": 5}})
    before = path.read_bytes()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(shutil, "copy2", refuse)
    state = FeedState()
    assert [f["url"] for f in state.feeds()] == ["http://127.0.0.1:9/a"]
    assert state.notice and "left untouched" in state.notice
    assert path.read_bytes() == before


def test_feeds_commands_with_a_wrong_typed_feeds_file(tmp_path, capsys):
    feeds_file(tmp_path, {"version": 1, "feeds": {"http://127.0.0.1:9/a": 5}})
    assert main(["feeds", "list"]) == 0
    assert "http://127.0.0.1:9/a" in capsys.readouterr().out
    feeds_file(tmp_path, {"version": 1, "feeds": {"http://127.0.0.1:9/a": 5}})
    assert main(["feeds", "export"]) == 0
    assert 'xmlUrl="http://127.0.0.1:9/a"' in capsys.readouterr().out


def test_fetch_with_wrong_typed_failures_does_not_crash(tmp_path):
    from tui.core.feeds import fetch_feeds

    feeds_file(tmp_path, {"version": 1, "feeds": {"http://127.0.0.1:9/feed": {"failures": "x", "etag": 3}}})
    report = fetch_feeds(tmp_path / "lib", timeout=2)  # port 9: nothing listens, the feed fails
    [result] = report.feeds
    assert result.error
    record = FeedState().read()["feeds"]["http://127.0.0.1:9/feed"]
    assert record["failures"] == 1


# ------------------------------------------------------------------ the analysis cache


@pytest.mark.parametrize("content", [b"[]", b"null", b"5", b'"text"'])
def test_analysis_cache_that_is_not_an_object_is_a_miss(tmp_path, content):
    from tui.core.analysis.service import Analyzer

    text = "Wren Talbot said the harbour would reopen in spring."
    analyzer = Analyzer("rules", cache=tmp_path / "cache")
    path = analyzer._cache_file(text, *analyzer.planned_model())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert analyzer.cached(text) is None


def test_analysis_cache_that_is_a_list_is_analysed_again(tmp_path):
    from tui.core.analysis.service import Analyzer

    text = "Wren Talbot said the harbour would reopen in spring."
    analyzer = Analyzer("rules", cache=tmp_path / "cache")
    path = analyzer._cache_file(text, *analyzer.planned_model())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"[]")
    assert analyzer.analyze(text).sentences
    assert json.loads(path.read_bytes())["model"] == "rules"  # the cache holds a sound analysis again


# ------------------------------------------------------------------ JSON Feed fields of the wrong type


BASE = "http://127.0.0.1:9/feed.json"


def json_feed(items: list[object], **doc: object) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Harbour Notes", "items": items, **doc}).encode()


def test_json_feed_fields_of_the_wrong_type_are_missing():
    doc = parse_json_feed(
        json_feed(
            [
                {"id": {"a": 1}, "url": ["x"], "title": {"t": 1}, "content_text": "Some text.", "date_published": 5},
                {"id": 12, "url": 7, "external_url": "/a/2", "title": "Second", "content_html": ["no"], "summary": "Kept."},
            ],
            home_page_url={"h": 1},
        ),
        BASE,
    )
    first, second = doc.items
    assert first.guid is None and first.link is None and first.title == "" and first.date is None
    assert first.content == "Some text."
    assert second.guid == "12" and second.link == "http://127.0.0.1:9/a/2" and second.content == "Kept."
    assert doc.link is None and doc.title == "Harbour Notes"


def test_one_guid_twice_in_a_feed_is_one_item_the_first():
    doc = parse_json_feed(
        json_feed(
            [
                {"id": "s1", "url": "/a/1", "title": "First telling", "content_text": "One."},
                {"id": "s2", "url": "/a/2", "title": "Other", "content_text": "Two."},
                {"id": "s1", "url": "/a/3", "title": "Second telling", "content_text": "Three."},
            ]
        ),
        BASE,
    )
    assert [item.title for item in doc.items] == ["First telling", "Other"]


def test_one_guid_twice_in_a_fetched_feed_is_one_new_article(tmp_path, monkeypatch):
    from feeds_server import Site, page, rss, story

    from tui.core.feeds import fetch_feeds

    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    site = Site("127.0.0.9")
    try:
        items = [
            {"title": "First telling", "link": site.url("/a/1"), "guid": "urn:s1", "description": "One."},
            {"title": "Second telling", "link": site.url("/a/2"), "guid": "urn:s1", "description": "Two."},
        ]
        feed = site.add("/feed.xml", rss("Harbour Notes", items), ctype="application/rss+xml")
        for i in (1, 2):
            site.add(f"/a/{i}", page(f"Telling {i}", story(i)))
        FeedState().add(feed)
        report = fetch_feeds(tmp_path / "lib")
    finally:
        site.close()
    assert (report.new, report.updated) == (1, 0)
    [path] = (tmp_path / "lib").glob("*.md")
    assert "First telling" in path.read_text()


def test_margin_fetch_says_where_a_wrong_typed_feeds_file_was_kept(tmp_path, capsys):
    from tui.cli import main

    path = feeds_file(tmp_path, {"version": 1, "feeds": {"http://127.0.0.1:9/feed": 5}})
    main(["fetch", "--library", str(tmp_path / "lib"), "--timeout", "2"])  # port 9: the feed fails
    [kept] = list(path.parent.glob("feeds.json.damaged-*"))
    err = capsys.readouterr().err
    assert "margin: The feeds file was not entirely understood" in err and str(kept) in err


def test_margin_speakers_and_feeds_list_say_where_a_damaged_file_was_kept(tmp_path, capsys):
    people = people_file(tmp_path)
    people.write_text('{"version": 1, "merges": 5, "splits": null}')
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("A day\n\n“The ferry ran late,” said Wren Talbot.\n", encoding="utf-8")
    main(["speakers", str(articles), "--model", "rules"])
    [kept] = aside(people)
    assert str(kept) in capsys.readouterr().err
    feeds = feeds_file(tmp_path, {"version": 1, "feeds": {"http://127.0.0.1:9/feed": 5}})
    assert main(["feeds", "list"]) == 0
    [kept] = list(feeds.parent.glob("feeds.json.damaged-*"))
    assert str(kept) in capsys.readouterr().err
