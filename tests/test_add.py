"""`margin add`: files and folders into the library folder, and URLs fetched from a local server."""

from __future__ import annotations

import http.server
import threading

import pytest

from tui.cli import main
from tui.core import fetch as fetch_mod
from tui.core.articles import load_article
from tui.core.fetch import FetchError, fetch

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Harbour fire | Coast Herald</title>
<meta property="og:site_name" content="Coast Herald"><meta name="author" content="Sam Lee">
<meta property="article:published_time" content="2022-08-09"></head><body>
<nav>Menu</nav><article><h1>Harbour fire</h1>
<p>A fire broke out in the harbour warehouses on Monday night, firefighters said, and burned until dawn.</p>
<p>“Nobody was hurt, which is a small miracle,” the fire chief told the Coast Herald on Tuesday.</p>
</article></body></html>"""


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {
        "/fire": (200, "text/html; charset=utf-8", PAGE.encode("utf-8")),
        "/plain": (200, "text/plain; charset=utf-8", "Short note\n\nA plain text article body.\n".encode()),
        "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
        "/big": (200, "text/html", b"<p>" + b"x" * 5000 + b"</p>"),
    }

    def do_GET(self):  # noqa: N802
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/fire")
            self.end_headers()
            return
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_add_url_saves_markdown_that_reads_back_with_metadata(server, tmp_path, capsys):
    library = tmp_path / "lib"
    assert main(["add", "--library", str(library), f"{server}/moved"]) == 0
    [saved] = library.glob("*.md")
    assert saved.name.startswith("harbour-fire-")
    article = load_article(saved)
    assert article.title == "Harbour fire"
    assert article.source == "Coast Herald"
    assert article.author == "Sam Lee"
    assert article.date == "2022-08-09"
    assert article.url == f"{server}/moved"
    assert article.text.startswith("Harbour fire\n\nA fire broke out in the harbour warehouses")
    assert "Menu" not in article.text
    assert "1 article(s) added" in capsys.readouterr().out

    # the same page again is recognised by its text, not saved twice
    assert main(["add", "--library", str(library), f"{server}/fire"]) == 0
    assert len(list(library.glob("*.md"))) == 1
    assert "already in the library: Harbour fire" in capsys.readouterr().out


def test_add_url_failures_are_one_line_each_and_the_rest_is_added(server, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(fetch_mod, "MAX_BYTES", 1000)
    library = tmp_path / "lib"
    code = main(["add", "--library", str(library), f"{server}/missing", f"{server}/image", f"{server}/plain"])
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.strip().splitlines()
    assert lines == [
        f"margin: {server}/missing: HTTP 404 Not Found",
        f"margin: {server}/image: not an article page (content type image/png)",
    ]
    [saved] = library.glob("*.md")
    assert load_article(saved).title == "Short note"


def test_fetch_refuses_oversized_and_non_http(server):
    with pytest.raises(FetchError, match="too large"):
        fetch(f"{server}/big", max_bytes=1000)
    with pytest.raises(FetchError, match="not an http"):
        fetch("file:///etc/passwd")


def test_add_files_and_folders(tmp_path, monkeypatch, capsys):
    library = tmp_path / "mylib"
    monkeypatch.setenv("MARGIN_LIBRARY", str(library))
    src = tmp_path / "src"
    (src / "deep").mkdir(parents=True)
    (src / "a.txt").write_text("First story\n\nSomething happened today in town.\n", encoding="utf-8")
    (src / "deep" / "a.txt").write_text("Second story\n\nSomething else happened.\n", encoding="utf-8")
    (src / "empty.md").write_bytes(b"")
    code = main(["add", str(src), str(tmp_path / "nope.txt")])
    out, err = capsys.readouterr()
    assert code == 1
    assert sorted(p.name for p in library.iterdir()) == ["a-2.txt", "a.txt"]
    assert {load_article(p).title for p in library.iterdir()} == {"First story", "Second story"}
    assert f"margin: {src / 'empty.md'}: the file is empty" in err.splitlines()
    assert f"margin: {tmp_path / 'nope.txt'}: no such file or folder" in err.splitlines()
    assert "2 article(s) added" in out and "margin --library" in out


def test_open_with_library_flag_uses_the_library_folder(tmp_path, monkeypatch):
    from tui.commands import open as open_cmd

    seen = {}

    class FakeApp:
        def __init__(self, paths, **kw):
            seen["paths"] = paths
            self.return_code = 0

        def run(self):
            pass

    import tui.ui.app

    monkeypatch.setattr(tui.ui.app, "MarginApp", FakeApp)
    monkeypatch.setattr(open_cmd, "check_terminal", lambda: None)  # no terminal under pytest
    monkeypatch.setenv("MARGIN_LIBRARY", str(tmp_path / "envlib"))
    args = open_cmd.build_parser().parse_args(["--library"])
    assert open_cmd.run(args) == 0
    assert seen["paths"] == [str(tmp_path / "envlib")] and (tmp_path / "envlib").is_dir()
    args = open_cmd.build_parser().parse_args(["--library", str(tmp_path / "other")])
    open_cmd.run(args)
    assert seen["paths"] == [str(tmp_path / "other")]
    args = open_cmd.build_parser().parse_args([])
    open_cmd.run(args)
    assert seen["paths"][0].endswith("sample_articles")
