"""`margin feeds …` and `margin fetch` from the shell, against local servers (no internet)."""

from __future__ import annotations

import pytest
from feeds_server import Site, page, rss, story

from tui.cli import main
from tui.commands.common import CliError
from tui.commands.fetch_feeds import parse_interval
from tui.core.feeds import FeedState


@pytest.fixture
def site(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    s = Site("127.0.0.2")
    items = [{"title": f"Story {i}", "link": s.url(f"/a/{i}"), "guid": f"s{i}"} for i in range(2)]
    s.add("/feed.xml", rss("Coast Herald", items), ctype="application/rss+xml", etag='"1"')
    for i in range(2):
        s.add(f"/a/{i}", page(f"Story {i}", story(i)))
    s.add(
        "/",
        '<html><head><link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">'
        "</head><body>Home</body></html>",
    )
    yield s
    s.close()


def test_add_from_page_list_fetch_remove(site, tmp_path, capsys):
    library = tmp_path / "lib"
    assert main(["feeds", "add", site.url("/")]) == 0
    out = capsys.readouterr().out
    assert f"subscribed: Coast Herald — {site.url('/feed.xml')} (found on {site.url('/')}); 2 item(s) now" in out
    assert main(["feeds", "add", site.url("/feed.xml")]) == 0
    assert "already subscribed" in capsys.readouterr().out

    assert main(["feeds", "list"]) == 0
    assert f"Coast Herald  {site.url('/feed.xml')}" in capsys.readouterr().out

    assert main(["fetch", "--library", str(library)]) == 0
    out = capsys.readouterr().out
    assert "Coast Herald: 2 new" in out and "2 new article(s), 0 updated, from 1 feed(s)" in out
    assert len(list(library.glob("*.md"))) == 2
    # global option before the command, as for every command
    assert main(["--library", str(library), "fetch"]) == 0
    assert "Coast Herald: unchanged" in capsys.readouterr().out
    assert site.not_modified == 1

    assert main(["feeds", "list"]) == 0
    assert "(fetched " in capsys.readouterr().out
    assert main(["feeds", "remove", "coast herald"]) == 0  # by name, any case
    assert "unsubscribed: Coast Herald" in capsys.readouterr().out
    assert main(["feeds", "remove", "Coast Herald"]) == 1
    assert "no such feed" in capsys.readouterr().err
    assert main(["feeds", "list"]) == 0
    assert "no feeds yet" in capsys.readouterr().out
    assert len(list(library.glob("*.md"))) == 2  # the articles stay


def test_fetch_reports_a_failing_feed_and_exits_1(site, tmp_path, capsys):
    site.add("/broken", "<p>not a feed", ctype="text/html")
    FeedState().add(site.url("/broken"), "Broken\x1b[31m")
    FeedState().add(site.url("/feed.xml"), "Coast Herald")
    assert main(["fetch", "--library", str(tmp_path / "lib")]) == 1
    captured = capsys.readouterr()
    assert "Coast Herald: 2 new" in captured.out
    assert "1 feed(s) failed" in captured.out
    assert "Broken\ufffd[31m: error:" in captured.err and "not a feed" in captured.err
    assert "\x1b" not in captured.err + captured.out
    assert main(["feeds", "list"]) == 0
    assert "last fetch failed" in capsys.readouterr().out


def test_add_refuses_what_is_not_a_feed(site, capsys):
    site.add("/plain", "<html><body>No feed here</body></html>")
    assert main(["feeds", "add", site.url("/plain")]) == 1
    assert "links to no feed" in capsys.readouterr().err
    assert main(["feeds", "add", "file:///etc/passwd"]) == 1
    assert "only http:// and https://" in capsys.readouterr().err
    assert FeedState().feeds() == []


def test_opml_import_export_round_trip(tmp_path, capsys):
    opml = tmp_path / "subs.opml"
    opml.write_text("""<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="Tech"><outline type="rss" text="One" xmlUrl="http://127.0.0.2/one.xml"/></outline>
      <outline type="rss" text="Two" xmlUrl="http://127.0.0.3/two.json" htmlUrl="http://127.0.0.3/"/>
      <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
    </body></opml>""")
    assert main(["feeds", "import", str(opml)]) == 1  # one skipped
    captured = capsys.readouterr()
    assert "2 feed(s) added" in captured.out and "1 skipped" in captured.out
    assert main(["feeds", "import", str(opml)]) == 1
    out = capsys.readouterr().out
    assert "no feed added from" in out and "2 already subscribed, 1 skipped" in out and "margin fetch" not in out

    out = tmp_path / "out.opml"
    assert main(["feeds", "export", "-o", str(out)]) == 0
    assert main(["feeds", "export", "-o", str(out)]) == 1  # not over an existing file
    assert "already exists" in capsys.readouterr().err
    assert main(["feeds", "export", "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    assert main(["feeds", "export"]) == 0
    exported = capsys.readouterr().out
    assert (
        '<outline type="rss" text="Two" title="Two" xmlUrl="http://127.0.0.3/two.json" htmlUrl="http://127.0.0.3/"/>' in exported
    )
    assert exported.split("</head>")[1] == out.read_text().split("</head>")[1]

    # into a fresh data dir: the same feeds
    before = [(f["url"], f["title"]) for f in FeedState().feeds()]
    FeedState().path.unlink()
    assert main(["feeds", "import", str(out)]) == 0
    assert (
        [(f["url"], f["title"]) for f in FeedState().feeds()]
        == before
        == [("http://127.0.0.2/one.xml", "One"), ("http://127.0.0.3/two.json", "Two")]
    )


def test_import_of_a_file_that_is_not_opml(tmp_path, capsys):
    bad = tmp_path / "x.opml"
    bad.write_text("not xml at all")
    assert main(["feeds", "import", str(bad)]) == 1
    assert "not an OPML file" in capsys.readouterr().err


def test_fetch_with_no_feeds(capsys, tmp_path):
    assert main(["fetch", "--library", str(tmp_path)]) == 0
    assert "no feeds yet" in capsys.readouterr().out


def test_every_interval():
    assert parse_interval("30m") == 1800
    assert parse_interval("1h") == 3600
    assert parse_interval("90s") == 90
    assert parse_interval("5") == 300
    for bad in ("soon", "10s", ""):
        with pytest.raises(CliError):
            parse_interval(bad)


def test_fetch_every_runs_until_interrupted(site, tmp_path, monkeypatch, capsys):
    FeedState().add(site.url("/feed.xml"), "Coast Herald")
    calls = []

    def sleep(seconds):
        calls.append(seconds)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("tui.commands.fetch_feeds.time.sleep", sleep)
    assert main(["fetch", "--library", str(tmp_path / "lib"), "--every", "30m"]) == 0
    out = capsys.readouterr().out
    assert out.count("Coast Herald: 2 new") == 1 and out.count("Coast Herald: unchanged") == 1
    assert calls == [1800, 1800]


def test_fetch_then_analyze(site, tmp_path, capsys):
    from tui.commands.analyze import run_all  # noqa: F401  (the command --analyze runs)
    from tui.core.analysis.batch import pending
    from tui.core.analysis.service import Analyzer

    library = tmp_path / "lib"
    FeedState().add(site.url("/feed.xml"), "Coast Herald")
    assert main(["fetch", "--library", str(library), "--analyze", "--model", "rules"]) == 0
    captured = capsys.readouterr()
    assert "Coast Herald: 2 new" in captured.out and "done: 2 analysed" in captured.err
    todo, cached, _ = pending(sorted(library.glob("*.md")), Analyzer(model="rules"))
    assert todo == [] and cached == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["--library", "feeds", "list"],
        ["--library", "/tmp/elsewhere", "feeds", "list"],
        ["feeds", "list", "--library"],
        ["--db", "x.json", "feeds", "list"],
        ["feeds", "--library", "list"],
        ["--model", "rules", "--library", "fetch"],
    ],
)
def test_global_options_are_accepted(argv, capsys):
    assert main(argv) == 0
    assert "no feeds yet" in capsys.readouterr().out
