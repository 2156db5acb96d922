"""Feeds: parsing (RSS, Atom, JSON Feed), fetching full articles politely, no duplicates, OPML.

Everything is served from local HTTP servers on loopback addresses (127.0.0.2… act as different
hosts); nothing reaches the internet. No assertion depends on timing.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from feeds_server import Site, atom, page, rss, story

from tui.core import feeds as feeds_mod
from tui.core.articles import load_article
from tui.core.feeds import FAIL_LIMIT, FeedState, canonical_url, fetch_feeds, read_opml, write_opml


@pytest.fixture
def sites(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    made: list[Site] = []

    def make(n: int = 1) -> Site:
        site = Site(f"127.0.0.{n}")
        made.append(site)
        return site

    yield make
    for site in made:
        site.close()


@pytest.fixture
def library(tmp_path) -> Path:
    return tmp_path / "lib"


def rss_items(site: Site, n: int, start: int = 0, **extra) -> list[dict]:
    return [
        {
            "title": f"Story {i}",
            "link": site.url(f"/a/{i}"),
            "guid": f"urn:story:{i}",
            "pubDate": "Mon, 06 May 2024 10:00:00 GMT",
            "author": "desk@example.org (Desk)",
            "description": f"Summary of story {i}.",
            **extra,
        }
        for i in range(start, start + n)
    ]


def serve_pages(site: Site, numbers, prefix: str = "/a/") -> None:
    for i in numbers:
        site.add(f"{prefix}{i}", page(f"Story {i}", story(i)))


def articles(library: Path) -> list:
    return sorted((load_article(p) for p in library.glob("*.md")), key=lambda a: a.title)


def subscribe(url: str, title: str | None = None) -> None:
    FeedState().add(url, title)


def test_rss_full_text_front_matter_gzip_and_304(sites, library):
    site = sites(2)
    feed = site.add("/feed.xml", rss("Coast Herald", rss_items(site, 3)), ctype="application/rss+xml", etag='"v1"', gzip=True)
    serve_pages(site, range(3))
    subscribe(feed)
    report = fetch_feeds(library)
    assert report.new == 3 and not report.errors
    found = articles(library)
    assert [a.title for a in found] == ["Story 0", "Story 1", "Story 2"]
    first = found[0]
    assert first.source == "Coast Herald"  # the feed's title is the source
    assert first.date == "2024-05-06"
    assert first.url == site.url("/a/0")
    assert "the harbour council met on Monday night" in first.text  # the page's full text, not the summary
    assert "Menu Home Sport" not in first.text and "Summary of story" not in first.text
    raw = first.path.read_text()
    assert f'feed: "{feed}"' in raw and 'author: "desk@example.org (Desk)"' in raw

    # the second fetch: the server answers 304, no page is asked for again
    pages_before = sum(n for path, n in site.hits.items() if path.startswith("/a/"))
    report = fetch_feeds(library)
    assert report.new == 0 and report.feeds[0].unchanged
    assert site.not_modified == 1
    assert sum(n for path, n in site.hits.items() if path.startswith("/a/")) == pages_before
    assert len(list(library.glob("*.md"))) == 3
    state = json.loads((FeedState().path).read_text())
    assert state["feeds"][feed]["etag"] == '"v1"' and state["feeds"][feed]["failures"] == 0


def test_last_modified_alone_gives_304(sites, library):
    site = sites(3)
    feed = site.add("/rss", rss("Dated", rss_items(site, 1)), ctype="text/xml", last_modified="Mon, 06 May 2024 10:00:00 GMT")
    serve_pages(site, [0])
    subscribe(feed)
    assert fetch_feeds(library).new == 1
    assert fetch_feeds(library).feeds[0].unchanged
    assert site.not_modified == 1


def test_atom_with_relative_links(sites, library):
    site = sites(4)
    entries = [
        {
            "title": "Atom story",
            "id": "tag:x,2024:1",
            "link": "/news/1",
            "author": "Ann Writer",
            "content": "<p>The feed's own text.</p>",
        }
    ]
    feed = site.add("/feeds/atom.xml", atom("Atom Times", entries), ctype="application/atom+xml")
    site.add("/news/1", page("Atom story", story(1)))
    subscribe(feed)
    report = fetch_feeds(library)
    assert report.new == 1, report
    [article] = articles(library)
    assert article.url == site.url("/news/1")  # resolved against the feed's address
    assert article.author == "Ann Writer" and article.source == "Atom Times"
    assert "harbour council" in article.text


def test_rss_relative_link_resolved(sites, library):
    site = sites(5)
    feed = site.add(
        "/x/feed.rss", rss("Relative", [{"title": "Rel", "link": "../a/7", "guid": "rel-7"}]), ctype="application/rss+xml"
    )
    serve_pages(site, [7])
    subscribe(feed)
    assert fetch_feeds(library).new == 1
    [article] = articles(library)
    assert article.url == site.url("/a/7")


def test_json_feed(sites, library):
    site = sites(6)
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Daily",
        "home_page_url": site.url("/"),
        "items": [
            {
                "id": "1",
                "url": "/a/1",
                "title": "From JSON",
                "date_published": "2024-03-02T08:00:00Z",
                "authors": [{"name": "Jo Reporter"}],
                "content_text": "Short.",
            },
            {
                "id": "2",
                "title": "Only in the feed",
                "content_html": "<p>First paragraph of the feed, about the new harbour wall.</p><p>Second one.</p>",
            },
            "not an item",
        ],
    }
    feed = site.add("/feed.json", json.dumps(doc), ctype="application/feed+json")
    serve_pages(site, [1])
    subscribe(feed)
    report = fetch_feeds(library)
    assert report.new == 2 and not report.errors
    by_title = {a.title: a for a in articles(library)}
    assert by_title["From JSON"].author == "Jo Reporter" and by_title["From JSON"].date == "2024-03-02"
    assert by_title["From JSON"].url == site.url("/a/1")
    assert "harbour council" in by_title["From JSON"].text
    assert (
        by_title["Only in the feed"].text
        == "Only in the feed\n\nFirst paragraph of the feed, about the new harbour wall.\n\nSecond one.\n"
    )


def test_malformed_feed_is_an_error_and_the_rest_are_fetched(sites, library):
    site = sites(7)
    bad = site.add("/bad", "<html><body>this is no feed</body><p>", ctype="text/plain")
    broken_json = site.add("/bad.json", '{"version": "https://jsonfeed.org/version/1", "items": [', ctype="application/json")
    missing = site.add("/gone", "", status=404)
    site.routes.pop("/gone")
    good = site.add("/good", rss("Good", rss_items(site, 1)), ctype="application/rss+xml")
    serve_pages(site, [0])
    for url in (bad, broken_json, missing, good):
        subscribe(url)
    report = fetch_feeds(library)
    errors = {r.url: r.error for r in report.feeds if r.error}
    assert set(errors) == {bad, broken_json, missing}
    assert "not a feed" in errors[bad]
    assert "invalid JSON" in errors[broken_json]
    assert "HTTP 404" in errors[missing]
    assert report.new == 1
    stored = FeedState().read()["feeds"]
    assert stored[bad]["failures"] == 1 and "not a feed" in stored[bad]["error"]


def test_discover_feed_from_html_page(sites):
    site = sites(8)
    site.add(
        "/",
        '<html><head><title>Home</title><link rel="stylesheet" href="/s.css">'
        '<link rel="alternate" type="application/atom+xml" href="feeds/main.atom"></head><body>Hi</body></html>',
    )
    feed = site.add("/feeds/main.atom", atom("Main", []), ctype="application/atom+xml")
    url, doc = feeds_mod.discover(site.url("/"))
    assert url == feed and doc.title == "Main"
    site.add("/nofeed", "<html><head></head><body>nothing</body></html>")
    with pytest.raises(feeds_mod.FetchError, match="links to no feed"):
        feeds_mod.discover(site.url("/nofeed"))


def test_redirects_followed_with_a_limit(sites, library):
    site, other = sites(9), sites(10)
    site.add("/old-feed", location="/feed", status=301)
    site.add(
        "/feed",
        rss(
            "Moved",
            [
                {"title": "Moved story", "link": site.url("/go/1"), "guid": "m1"},
                {"title": "Elsewhere", "link": site.url("/go/2"), "guid": "m2"},
                {
                    "title": "Not web",
                    "link": site.url("/go/3"),
                    "guid": "m3",
                    "description": "Its feed text: the council met late and voted for the wall.",
                },
            ],
        ),
        ctype="application/rss+xml",
    )
    site.add("/go/1", location="/a/1", status=302)
    site.add("/go/2", location=other.url("/a/2"), status=307)  # to another host (its own one-at-a-time lock)
    site.add("/go/3", location="ftp://127.0.0.1/x", status=302)
    serve_pages(site, [1])
    serve_pages(other, [2])
    for i in range(10):
        site.add(f"/loop{i}", location=f"/loop{i + 1}")
    subscribe(site.url("/old-feed"))
    subscribe(site.url("/loop0"))
    report = fetch_feeds(library)
    by_url = {r.url: r for r in report.feeds}
    assert by_url[site.url("/old-feed")].new == 3
    assert "too many redirects" in by_url[site.url("/loop0")].error
    by_title = {a.title: a for a in articles(library)}
    assert "harbour council" in by_title["Moved story"].text
    assert "harbour council" in by_title["Elsewhere"].text and other.hits["/a/2"] == 1
    assert by_title["Not web"].text == "Not web\n\nIts feed text: the council met late and voted for the wall.\n"
    assert any("not http(s)" in note for note in by_url[site.url("/old-feed")].notes)
    assert site.hits["/loop6"] == 0  # given up after 5 redirects


def test_slow_server_times_out_and_others_are_fetched(sites, library):
    slow = sites(10)
    fast = sites(11)
    slow_feed = slow.add("/feed", hang=True)
    fast_feed = fast.add("/feed", rss("Fast", rss_items(fast, 1)), ctype="application/rss+xml")
    serve_pages(fast, [0])
    subscribe(slow_feed)
    subscribe(fast_feed)
    report = fetch_feeds(library, timeout=0.5)
    by_url = {r.url: r for r in report.feeds}
    assert "timed out" in by_url[slow_feed].error
    assert by_url[fast_feed].new == 1


def test_slow_article_page_falls_back_to_the_feed_text(sites, library):
    site = sites(12)
    feed = site.add(
        "/feed",
        rss(
            "Hangs",
            [
                {
                    "title": "Hanging page",
                    "link": site.url("/slow"),
                    "guid": "h1",
                    "description": "<p>The feed's summary paragraph, long enough to be read as an article.</p>",
                }
            ],
        ),
        ctype="application/rss+xml",
    )
    site.add("/slow", hang=True)
    subscribe(feed)
    report = fetch_feeds(library, timeout=0.5)
    [article] = articles(library)
    assert article.text == "Hanging page\n\nThe feed's summary paragraph, long enough to be read as an article.\n"
    assert any("timed out" in note for note in report.feeds[0].notes)


def test_page_without_extractable_text_uses_the_feed_content(sites, library):
    site = sites(13)
    items = [
        {
            "title": "Empty page",
            "link": site.url("/empty"),
            "guid": "e1",
            "description": "<p>What the feed says about it, in full.</p><p>And more.</p>",
        },
        {
            "title": "Image page",
            "link": site.url("/img"),
            "guid": "e2",
            "description": "A picture story: the ferry at dawn, seen from the harbour wall.",
        },
        {"title": "Nothing anywhere", "link": site.url("/empty"), "guid": "e3", "description": ""},
    ]
    feed = site.add("/feed", rss("Thin", items), ctype="application/rss+xml")
    site.add("/empty", "<html><head><title>x</title></head><body><nav>Menu</nav></body></html>")
    site.add("/img", b"\x89PNG\r\n\x1a\n" + bytes(50), ctype="image/png")
    subscribe(feed)
    report = fetch_feeds(library)
    by_title = {a.title: a for a in articles(library)}
    assert by_title["Empty page"].text == "Empty page\n\nWhat the feed says about it, in full.\n\nAnd more.\n"
    assert by_title["Image page"].text == "Image page\n\nA picture story: the ferry at dawn, seen from the harbour wall.\n"
    assert "Nothing anywhere" not in by_title  # the same page as "Empty page" and no text of its own
    assert report.new == 2


def test_same_story_in_two_feeds_is_saved_once(sites, library):
    a, b, news = sites(14), sites(15), sites(16)
    serve_pages(news, [1, 2])
    link = news.url("/a/1")
    feed_a = a.add("/feed", rss("Alpha", [{"title": "Shared", "link": link, "guid": "alpha-1"}]), ctype="application/rss+xml")
    feed_b = b.add(
        "/feed",
        rss(
            "Beta",
            [
                {"title": "Shared again", "link": link + "?utm_source=beta#top", "guid": "beta-9"},
                # another address, the same text: recognised by its content hash
                {"title": "Copy", "link": news.url("/copy"), "guid": "beta-10"},
            ],
        ),
        ctype="application/rss+xml",
    )
    news.add("/copy", page("Story 1", story(1)))
    subscribe(feed_a)
    subscribe(feed_b)
    report = fetch_feeds(library)
    assert report.new == 1, [(r.title, r.new, r.notes) for r in report.feeds]
    assert len(list(library.glob("*.md"))) == 1
    # and again, across fetches
    feed_c = a.add("/feed2", rss("Gamma", [{"title": "Third time", "link": link, "guid": "g-1"}]), ctype="application/rss+xml")
    subscribe(feed_c)
    assert fetch_feeds(library).new == 0
    assert len(list(library.glob("*.md"))) == 1


def test_updated_item_rewrites_its_file_and_annotations_follow(sites, library):
    site = sites(17)
    feed_path = "/feed"

    def publish(extra: str, summary: str) -> None:
        site.add(
            feed_path,
            rss("Updates", [{"title": "Developing", "link": site.url("/a/1"), "guid": "dev-1", "description": summary}]),
            ctype="application/rss+xml",
            etag=f'"{summary}"',
        )
        site.add("/a/1", page("Developing", story(1, extra)))

    publish("", "v1")
    subscribe(site.url(feed_path))
    assert fetch_feeds(library).new == 1
    [path] = library.glob("*.md")
    passage = "“We cannot wait another winter for this,” the mayor told reporters"
    start = load_article(path).text.index(passage)
    from tui.cli import main

    assert main(["annotate", str(path), "--exact", passage, "--tag", "mayor"]) == 0

    publish("Update: the vote was confirmed by the regional board on Tuesday.", "v2")
    report = fetch_feeds(library)
    assert report.new == 0 and report.updated == 1
    assert list(library.glob("*.md")) == [path]  # the same file, rewritten
    updated = load_article(path)
    assert "confirmed by the regional board" in updated.text
    assert updated.text.index(passage) != start  # the passage moved

    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["export", "--format", "json"]) == 0
    [annotation] = json.loads(out.getvalue())["annotations"]
    assert annotation["text"] == passage and not annotation.get("orphan")
    assert updated.text[annotation["start"] : annotation["end"]] == passage


def test_deleted_article_never_comes_back(sites, library):
    site = sites(18)
    feed = site.add("/feed", rss("Churn", rss_items(site, 2)), ctype="application/rss+xml", etag='"1"')
    serve_pages(site, range(3))
    subscribe(feed)
    assert fetch_feeds(library).new == 2
    doomed = next(a for a in articles(library) if a.title == "Story 0")
    doomed.path.unlink()
    # the feed changes (a new item; story 0 also changed): story 0 stays deleted
    site.add("/feed", rss("Churn", rss_items(site, 3, description="changed")), ctype="application/rss+xml", etag='"2"')
    report = fetch_feeds(library)
    assert report.new == 1
    assert sorted(a.title for a in articles(library)) == ["Story 1", "Story 2"]
    assert site.hits["/a/0"] == 1  # not even fetched again


def test_failing_feed_is_marked_then_skipped_until_retry(sites, library):
    site = sites(19)
    feed = site.add("/feed", "oops", status=500, ctype="text/plain")
    subscribe(feed)
    for n in range(1, FAIL_LIMIT + 1):
        report = fetch_feeds(library)
        assert "HTTP 500" in report.feeds[0].error
        assert FeedState().read()["feeds"][feed]["failures"] == n
    hits = site.hits["/feed"]
    report = fetch_feeds(library)
    assert report.feeds[0].skipped and "failed 5 times in a row" in report.feeds[0].skipped
    assert site.hits["/feed"] == hits  # not asked again
    site.add("/feed", rss("Back", rss_items(site, 1)), ctype="application/rss+xml")
    serve_pages(site, [0])
    report = fetch_feeds(library, retry_failed=True)
    assert report.new == 1 and not report.errors
    assert FeedState().read()["feeds"][feed]["failures"] == 0


def test_one_request_at_a_time_per_host(sites, library):
    hosts = [sites(n) for n in (2, 3, 4)]
    for k, site in enumerate(hosts):
        # two feeds on each host, their pages on the same host
        for f in range(2):
            items = [{"title": f"H{k} F{f} S{i}", "link": site.url(f"/p{f}/{i}"), "guid": f"h{k}f{f}s{i}"} for i in range(6)]
            site.add(f"/feed{f}", rss(f"Host {k} feed {f}", items), ctype="application/rss+xml")
            for i in range(6):
                site.add(f"/p{f}/{i}", page(f"H{k} F{f} S{i}", story(100 * k + 10 * f + i)))
            subscribe(site.url(f"/feed{f}"))
    for site in hosts:
        site.delay = 0.01  # a request overlapping another would be in flight at the same time
    report = fetch_feeds(library, jobs=6)
    assert report.new == 36 and not report.errors
    assert [site.max_active for site in hosts] == [1, 1, 1]


def test_robots_txt_is_respected_for_article_pages(sites, library):
    site = sites(20)
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    feed = site.add(
        "/feed",
        rss(
            "Robots",
            [
                {
                    "title": "Private",
                    "link": site.url("/private/1"),
                    "guid": "p1",
                    "description": "The feed's text of it, which says what the page would have said.",
                },
                {"title": "Public", "link": site.url("/a/2"), "guid": "p2"},
            ],
        ),
        ctype="application/rss+xml",
    )
    site.add("/private/1", page("Private", story(1)))
    serve_pages(site, [2])
    subscribe(feed)
    report = fetch_feeds(library)
    assert report.new == 2
    assert site.hits["/private/1"] == 0 and site.hits["/a/2"] == 1 and site.hits["/robots.txt"] == 1
    by_title = {a.title: a for a in articles(library)}
    assert by_title["Private"].text == "Private\n\nThe feed's text of it, which says what the page would have said.\n"
    assert any("robots.txt" in note for note in report.feeds[0].notes)


def test_size_limit(sites, library, monkeypatch):
    site = sites(21)
    monkeypatch.setattr("tui.core.feeds_fetch.MAX_FEED_BYTES", 1000)
    big = site.add("/big", rss("Big", rss_items(site, 40)), ctype="application/rss+xml")
    zipped = site.add("/zipped", rss("Zipped", rss_items(site, 40)), ctype="application/rss+xml", gzip=True)
    subscribe(big)
    subscribe(zipped)
    report = fetch_feeds(library)
    assert all("too large" in r.error for r in report.feeds), [r.error for r in report.feeds]


def test_two_fetches_at_once_never_duplicate(sites, library):
    site = sites(2)
    feed = site.add("/feed", rss("Busy", rss_items(site, 8)), ctype="application/rss+xml")
    serve_pages(site, range(8))
    subscribe(feed)
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(fetch_feeds(library))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.new for r in reports) == [0, 8]
    assert len(list(library.glob("*.md"))) == 8
    assert all(site.hits[f"/a/{i}"] == 1 for i in range(8))


def test_items_without_guid_or_link_are_recognised_by_their_text(sites, library):
    site = sites(3)
    items = [{"title": "Brief", "description": "<p>A brief with no link and no id, told in a few words.</p>"}]
    feed = site.add("/feed", rss("Briefs", items), ctype="application/rss+xml")
    subscribe(feed)
    assert fetch_feeds(library).new == 1
    assert fetch_feeds(library).new == 0  # no ETag: the feed comes again, the item is known
    assert len(list(library.glob("*.md"))) == 1


def test_hostile_feed_text_is_cleaned(sites, library):
    site = sites(4)
    items = [
        {
            "title": "Evil\x1b]0;pwned\x07 title",
            "guid": "x",
            "author": "A\u202eB",
            "description": "<p>Body \x1b[31mred. The rest of the story is told in plain words.</p><script>alert(1)</script>",
        },
        {
            "title": "Local",
            "guid": "y",
            "link": "file:///etc/passwd",
            "description": "<p>Text of it. The rest of the story is told in plain words.</p>",
        },
    ]
    feed = site.add(
        "/feed", rss("Feed\x1b[2J", items).replace("\x1b", "&#27;").replace("\x07", "&#7;"), ctype="application/rss+xml"
    )
    subscribe(feed)
    assert fetch_feeds(library).new == 2
    raw = "".join(path.read_text() for path in library.glob("*.md"))
    assert "\x1b" not in raw and "\x07" not in raw and "\u202e" not in raw and "alert" not in raw
    assert "file:" not in raw and "Text of it." in raw  # a link that is not http(s) is dropped


def test_canonical_url():
    assert canonical_url("HTTP://Example.ORG:80/a?utm_source=x&id=3#frag") == "http://example.org/a?id=3"
    assert canonical_url("https://example.org") == "https://example.org/"
    assert canonical_url("ftp://example.org/x") is None
    assert canonical_url("") is None


def test_opml_round_trip(tmp_path):
    opml = b"""<?xml version="1.0"?><opml version="1.0"><head><title>newsboat</title></head><body>
      <outline text="News" title="News">
        <outline type="rss" text="Coast Herald" xmlUrl="http://127.0.0.2/feed.xml" htmlUrl="http://127.0.0.2/"/>
        <outline text="Nested"><outline type="atom" title="Atom &amp; Eve" text="ignored" xmlUrl="http://127.0.0.3/atom"/></outline>
      </outline>
      <outline text="Not a feed"/>
    </body></opml>"""
    feeds = read_opml(opml)
    assert feeds == [
        {"url": "http://127.0.0.2/feed.xml", "title": "Coast Herald", "site": "http://127.0.0.2/"},
        {"url": "http://127.0.0.3/atom", "title": "Atom & Eve", "site": None},
    ]
    assert read_opml(write_opml(feeds).encode("utf-8")) == feeds
    with pytest.raises(feeds_mod.FeedError):
        read_opml(b"<html/>")
    with pytest.raises(feeds_mod.FeedError):
        read_opml(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml>&a;</opml>')


def test_a_fetch_waits_for_the_running_one(sites, library):
    site = sites(5)
    feed = site.add("/feed", rss("Waits", rss_items(site, 1)), ctype="application/rss+xml")
    serve_pages(site, [0])
    subscribe(feed)
    waited = []
    with FeedState().fetch_lock():  # another Margin is fetching
        with pytest.raises(feeds_mod.FeedError, match="another fetch"):
            fetch_feeds(library, wait=0.2, waiting=lambda: waited.append(1))
        assert fetch_feeds(library, cancelled=lambda: True, waiting=lambda: waited.append(2)).feeds == []
    assert waited == [1, 2]
    assert fetch_feeds(library).new == 1


def test_rss_091_and_rss_10_parse():
    from tui.core.feeds_http import Response

    rss091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old School</title><link>http://127.0.0.2/</link>
      <item><title>Ninety-one</title><link>http://127.0.0.2/a/91</link><description>Old text.</description></item>
      </channel></rss>"""
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="http://127.0.0.2/"><title>RDF Times</title><link>http://127.0.0.2/</link></channel>
      <item rdf:about="http://127.0.0.2/a/10"><title>One point oh</title><link>http://127.0.0.2/a/10</link>
      <dc:creator>Dee Creator</dc:creator><dc:date>2024-01-02T03:04:05Z</dc:date><description>RDF text.</description></item>
      </rdf:RDF>"""
    old = feeds_mod.parse_feed(Response("http://127.0.0.2/91", "http://127.0.0.2/91", 200, rss091, "application/rss+xml"))
    assert old.title == "Old School" and old.kind == "rss091u"
    assert [(i.title, i.link, i.content) for i in old.items] == [("Ninety-one", "http://127.0.0.2/a/91", "Old text.")]
    new = feeds_mod.parse_feed(Response("http://127.0.0.2/rdf", "http://127.0.0.2/rdf", 200, rdf, "application/rdf+xml"))
    assert new.title == "RDF Times" and new.kind == "rss10"
    [item] = new.items
    assert (item.title, item.link, item.author, item.date) == (
        "One point oh",
        "http://127.0.0.2/a/10",
        "Dee Creator",
        "2024-01-02",
    )


@pytest.mark.parametrize(
    "body, words",
    [
        (b"<!DOCTYPE html><html><body>News</body></html>", "a web page, not RSS, Atom or JSON Feed"),
        (b"plain words\nand <a line", "its XML breaks at line 2, column"),
    ],
)
def test_a_document_that_is_no_feed_is_said_in_words(body, words):
    from tui.core.feeds_http import Response
    from tui.core.feeds_parse import parse_feed
    from tui.core.fetch import FetchError

    url = "https://example.invalid/feed"
    with pytest.raises(FetchError) as failure:
        parse_feed(Response(url, url, 200, body, "text/plain"))
    assert words in str(failure.value) and "<unknown>" not in str(failure.value)
