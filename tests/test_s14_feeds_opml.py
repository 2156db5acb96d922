"""OPML: htmlUrl is a feed's web page (never an Atom feed's id), and an import that adds nothing
says so without suggesting a fetch. Local servers only; nothing reaches the internet."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from feeds_server import Site, rss

from tui.cli import main
from tui.core.feeds import FeedState, fetch_feeds, read_opml, write_opml


@pytest.fixture
def site(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    s = Site("127.0.0.5")
    yield s
    s.close()


def atom_feed(feed_id: str, links: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Tide Tables</title><id>{feed_id}</id>{links}<updated>2024-05-01T10:00:00Z</updated></feed>"
    )


def exported_outlines(capsys) -> dict[str, dict[str, str]]:
    """`margin feeds export`: each outline's attributes, by xmlUrl."""
    assert main(["feeds", "export"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    return {o.attrib["xmlUrl"]: o.attrib for o in root.iter("outline")}


def test_an_atom_feeds_id_is_never_its_html_url(site, capsys):
    tag = site.add("/tag.xml", atom_feed("tag:tides.example,2024:feed"), ctype="application/atom+xml")
    urn = site.add(
        "/urn.xml",
        atom_feed("urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6", f'<link rel="self" href="{site.url("/urn.xml")}"/>'),
        ctype="application/atom+xml",
    )
    web_id = site.add("/web-id.xml", atom_feed(site.url("/ids/7")), ctype="application/atom+xml")  # an id that looks like a page
    linked = site.add(
        "/linked.xml",
        atom_feed(
            "tag:tides.example,2024:linked",
            f'<link rel="self" href="{site.url("/linked.xml")}"/>'
            '<link rel="alternate" type="application/rss+xml" href="/linked.rss"/>'
            '<link rel="alternate" type="text/html" href="/harbour/"/>',
        ),
        ctype="application/atom+xml",
    )
    for url in (tag, urn, web_id, linked):
        assert main(["feeds", "add", url]) == 0
    capsys.readouterr()
    outlines = exported_outlines(capsys)
    assert [("htmlUrl" in outlines[url]) for url in (tag, urn, web_id)] == [False, False, False]
    assert outlines[linked]["htmlUrl"] == site.url("/harbour/")  # its web page, resolved
    assert {f["url"]: f.get("site") for f in FeedState().feeds()}[tag] is None


def test_a_site_stored_as_an_id_is_not_exported_and_a_fetch_sets_the_web_page(site, tmp_path, capsys):
    feed = site.add("/feed.xml", atom_feed("tag:tides.example,2024:feed", '<link href="/tides/"/>'), ctype="application/atom+xml")
    plain = site.add("/plain.xml", rss("Plain", [], link=site.url("/plain/")), ctype="application/rss+xml")
    state = FeedState()
    state.add(feed, "Tide Tables", "tag:tides.example,2024:feed")  # as an earlier Margin stored it
    state.add(plain, "Plain", "urn:plain")
    outlines = exported_outlines(capsys)
    assert "htmlUrl" not in outlines[feed] and "htmlUrl" not in outlines[plain]
    assert not fetch_feeds(tmp_path / "lib").errors
    sites = {f["url"]: f.get("site") for f in FeedState().feeds()}
    assert sites == {feed: site.url("/tides/"), plain: site.url("/plain/")}
    assert exported_outlines(capsys)[feed]["htmlUrl"] == site.url("/tides/")


def test_write_and_read_opml_keep_only_web_pages_as_html_url():
    feeds = [
        {"url": "http://127.0.0.2/a.xml", "title": "A", "site": "tag:a.example,2024:a"},
        {"url": "http://127.0.0.2/b.xml", "title": "B", "site": "https://b.example/"},
        {"url": "http://127.0.0.2/c.xml", "title": "C", "site": "javascript:alert(1)"},
    ]
    text = write_opml(feeds)
    assert "tag:" not in text and "javascript:" not in text
    assert [f["site"] for f in read_opml(text.encode())] == [None, "https://b.example/", None]
    opml = b"""<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="D" xmlUrl="http://127.0.0.2/d.xml" htmlUrl="urn:isbn:0451450523"/></body></opml>"""
    assert read_opml(opml)[0]["site"] is None


# ------------------------------------------------------------------ an import that adds nothing


def write(tmp_path, name: str, outlines: str) -> str:
    path = tmp_path / name
    path.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>', encoding="utf-8")
    return str(path)


def test_an_import_that_adds_nothing_says_so_and_suggests_no_fetch(tmp_path, capsys):
    known = write(tmp_path, "known.opml", '<outline text="One" xmlUrl="http://127.0.0.2/one.xml"/>')
    assert main(["feeds", "import", known]) == 0
    out = capsys.readouterr().out
    assert "1 feed(s) added from" in out and "Fetch them with: margin fetch" in out

    assert main(["feeds", "import", known]) == 0  # every feed already known
    out = capsys.readouterr().out
    assert out.startswith("no feed added from") and "1 already subscribed" in out and "fetch" not in out

    bad = write(tmp_path, "bad.opml", '<outline text="Bad" xmlUrl="javascript:alert(1)"/>')
    assert main(["feeds", "import", bad]) == 1  # none valid
    captured = capsys.readouterr()
    assert captured.out.startswith("no feed added from") and "1 skipped" in captured.out and "fetch" not in captured.out
    assert "not an http(s) address" in captured.err

    empty = write(tmp_path, "empty.opml", '<outline text="A folder with no feed"/>')
    assert main(["feeds", "import", empty]) == 0
    out = capsys.readouterr().out
    assert "no feed added from" in out and "it lists no feed" in out and "fetch" not in out

    both = '<outline text="One" xmlUrl="http://127.0.0.2/one.xml"/><outline text="Two" xmlUrl="http://127.0.0.2/two.xml"/>'
    assert main(["feeds", "import", write(tmp_path, "both.opml", both)]) == 0  # one added: the fetch is suggested
    out = capsys.readouterr().out
    assert "1 feed(s) added from" in out and "1 already subscribed" in out and "Fetch them with: margin fetch" in out
