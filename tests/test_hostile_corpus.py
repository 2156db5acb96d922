"""A corpus of hostile files, generated here (no committed binaries), through the library, the
reader, `margin analyze` and `margin export`: each bad file gets one clear message, the rest works,
nothing leaks raw control characters, offsets stay exact (issue #7)."""

from __future__ import annotations

import gzip
import json
import os

import pytest
from helpers import make_app, open_article, wait_until

from tui.cli import main
from tui.core.articles import MAX_ARTICLE_BYTES
from tui.ui.screens.library import LibraryScreen

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

READABLE = {
    "crlf.txt": "CRLF title\r\n\r\nFirst line.\r\nSecond line with “quotes,” she said.\r\n".encode("utf-8"),
    "bom.txt": b"\xef\xbb\xbfBOM title\n\nText after a BOM.\n",
    "utf16.txt": "UTF-16 title\n\nGrüße aus Köln, said Jürgen.\n".encode("utf-16"),
    "latin1.txt": "Latin title\n\nÇa coûte très cher, déclare le maire de Besançon.\n".encode("cp1252"),
    "markup.txt": b"[bold]Markup[/bold] title [@click=app.quit]\n\nBody with [link=file:///etc/passwd]x[/link].\n",
    "escapes.txt": b"Escapes \x1b]0;PWNED\x07 title\n\nBody \x1b[2J with \x9b controls and \xe2\x80\xae bidi.\n",
    "longline.txt": b"Long line\n\n" + b"x" * 200_000 + b"\n",
    "wide.txt": "Wide\n\n漢字テキスト 👩‍👩‍👧 e\u0301 שלום עולם\tTab.\n".encode("utf-8"),
}
UNREADABLE = {
    "empty.txt": b"",
    "blank.txt": b"   \n\n  \n",
    "image.txt": PNG,
    "archive.txt": gzip.compress(b"some text"),
    "nul.txt": b"text with a NUL \x00 byte in it",
}


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, data in {**READABLE, **UNREADABLE}.items():
        (folder / name).write_bytes(data)
    with open(folder / "huge.txt", "wb") as handle:  # sparse: no 32 MiB written to disk
        handle.truncate(MAX_ARTICLE_BYTES + 1)
    (folder / "loop").mkdir()
    os.symlink(folder / "loop", folder / "loop" / "again")
    os.symlink(folder / "missing-target.txt", folder / "dangling.txt")
    (folder / "folder.txt").mkdir()
    os.mkfifo(folder / "pipe.txt")
    return folder


BAD_NAMES = ["empty.txt", "blank.txt", "image.txt", "archive.txt", "nul.txt", "huge.txt", "dangling.txt", "pipe.txt"]


async def test_library_lists_good_files_and_says_why_for_bad_ones(tmp_path, corpus, shared_analyzer):
    app = make_app([corpus], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        screen = app.screen
        listed = sorted(entry.path.rsplit("/", 1)[-1] for entry in screen.entries)
        assert listed == sorted(READABLE)
        problems = "\n".join(screen.problems)
        for name in BAD_NAMES:
            assert name in problems, f"no message for {name}"
        for problem in screen.problems:
            assert "\x1b" not in problem and "Traceback" not in problem
        titles = [entry.title for entry in screen.entries]
        assert "UTF-16 title" in titles and "Latin title" in titles and "CRLF title" in titles


@pytest.mark.parametrize("name", ["escapes.txt", "longline.txt", "wide.txt", "markup.txt", "latin1.txt"])
async def test_reader_opens_hostile_articles(tmp_path, corpus, shared_analyzer, name):
    app = make_app([corpus / name], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_article(pilot)
        view = reader.view
        for y in range(view.size.height):
            shown = "".join(segment.text for segment in view.render_line(y))
            assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch == "\u202e" for ch in shown)
        await pilot.press("G", "1")
        await pilot.pause()
        [annotation] = reader.annotations
        assert annotation.text == reader.article.text[annotation.start : annotation.end]
        await pilot.press("g", "pagedown", "pagedown", "k")  # moving never breaks


def test_cli_analyze_and_export_on_the_corpus(tmp_path, corpus, capsys):
    assert main(["analyze", "--model", "rules", "--format", "text", str(corpus)]) == 1
    captured = capsys.readouterr()
    for name in BAD_NAMES:
        assert name in captured.err
    assert "Traceback" not in captured.err
    assert "\x1b" not in captured.out + captured.err and "\u202e" not in captured.out
    for name in READABLE:
        assert name in captured.out
    # annotate a hostile passage from the shell, then export it: exact text, safe JSON
    escapes = corpus / "escapes.txt"
    assert main(["annotate", str(escapes), "--exact", "Body \x1b[2J with", "--tag", "[bold]x[/bold]"]) == 0
    capsys.readouterr()
    assert main(["export"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    [record] = json.loads(out)["annotations"]
    assert record["text"] == "Body \x1b[2J with" and record["tags"] == ["[bold]x[/bold]"]


def test_html_with_an_unusable_charset_label_is_read_by_detection(tmp_path, capsys):
    page = tmp_path / "odd.html"
    body = "<p>" + "Ordinary words about the council vote, said the mayor. " * 20 + "</p>"
    page.write_text(
        f'<html><head><meta charset="undefined"><title>Odd</title></head><body><article>{body}</article></body></html>'
    )
    (tmp_path / "good.txt").write_text("Good title\n\nGood text here.\n", encoding="utf-8")
    status = main(["analyze", "--model", "rules", "--format", "text", str(tmp_path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "Good title" in captured.out  # the rest is analysed
    # An unusable charset label falls back to detection: the page is read, under its own title.
    assert "Odd" in captured.out and str(page) not in captured.err
    assert status == 0
