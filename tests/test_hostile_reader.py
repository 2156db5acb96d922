"""Hostile article text in the reader: markup-like text shows literally, control sequences never
reach the terminal, offsets stay aligned (issue #7, the reader's share)."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

from helpers import REPO, make_app, open_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.export import export_json_document
from tui.core.text import displayable
from tui.ui.widgets.article_view import wrap_text

HOSTILE = (
    "Markup [bold]not bold[/bold] and [link=file:///etc/passwd]x[/link] and [@click=app.quit]q[/] and [/\n\n"
    "Escapes: \x1b]0;PWNED\x07 title, \x1b[2J clear, \x1b[31mREDTEXT\x1b[0m, bell \x07, back\x08space, "
    "C1 \x9b31m, bidi \u202eevil\u202c.\n\n"
    "Wide 漢字テキスト and emoji 👩‍👩‍👧 and combining e\u0301 and RTL שלום עולם.\n\n"
    "Tab\tseparated\tcolumns. " + "x" * 500 + "\n"
)


def control_chars(text: str) -> set[str]:
    return {ch for ch in text if (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) < 0xA0 or 0x202A <= ord(ch) <= 0x202E}


def hostile_file(tmp_path: Path) -> Path:
    path = tmp_path / "[bold]hostile[red].txt"
    path.write_bytes(("Title with [red]markup[/red] \x1b[31m\n\n" + HOSTILE).encode("utf-8"))
    return path


async def test_reader_shows_markup_literally_and_no_controls(tmp_path, shared_analyzer):
    path = hostile_file(tmp_path)
    app = make_app([path], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(100, 40)) as pilot:
        reader = await open_article(pilot)
        view = reader.view
        shown = "".join("".join(segment.text for segment in view.render_line(y)) for y in range(view.size.height))
        assert "[bold]not bold[/bold]" in shown
        assert "[link=file:///etc/passwd]x[/link]" in shown
        assert "[@click=app.quit]q[/]" in shown
        assert "␛]0;PWNED␇" in shown  # visible placeholders instead of the raw sequence
        assert control_chars(shown) == set()
        title = str(app.screen.query_one("#reader-title").render())
        assert "[red]markup[/red]" in title and "\x1b" not in title
        # the cursor and an annotation still index the article text exactly
        await pilot.press("j", "1")
        await pilot.pause()
        [annotation] = reader.annotations
        assert annotation.text == reader.article.text[annotation.start : annotation.end]


def test_snapshot_markup_shows_literally(snap_compare, tmp_path, shared_analyzer):
    path = tmp_path / "markup.txt"
    path.write_text("A [bold]title[/bold]\n\n" + HOSTILE, encoding="utf-8")
    os.utime(path, (1_600_000_000, 1_600_000_000))  # the shown date comes from the file: keep it fixed
    app = make_app([path], tmp_path / "db.json", shared_analyzer)

    async def opened(pilot):
        await open_article(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=opened)


def test_no_escape_from_the_article_reaches_the_terminal(tmp_path):
    """Run the real `margin` in a pseudo-terminal and read every byte it writes."""
    path = hostile_file(tmp_path)
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30")
    for name in ("MARGIN_DATA_DIR", "MARGIN_CACHE_DIR", "MARGIN_CONFIG_DIR"):
        env[name] = str(tmp_path / name)
    env["MARGIN_DB"] = str(tmp_path / "db.json")
    pid, fd = pty.fork()
    if pid == 0:  # child: the app
        os.chdir(REPO)
        os.execve(sys.executable, [sys.executable, "-m", "tui", "--model", "rules", str(path)], env)
    output = bytearray()

    def read_for(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    output.extend(os.read(fd, 65536))
                except OSError:
                    return

    try:
        read_for(6)
        os.write(fd, b"\r")  # open the article
        read_for(6)
        os.write(fd, b"q")
        read_for(3)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    text = bytes(output)
    assert "PWNED".encode() in text, "the hostile article was not shown"
    assert b"\x1b]0;PWNED" not in text
    assert b"\x1b[31mREDTEXT" not in text
    assert b"\x1b[2J clear" not in text
    assert b"PWNED\x07" not in text
    assert "\u202eevil".encode() not in text
    assert b"\xc2\x9b31m" not in text  # the C1 CSI character, UTF-8 encoded


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=400), width=st.integers(min_value=4, max_value=120))
def test_wrapping_covers_every_character_once(text, width):
    shown = displayable(text, keep_newlines=True)
    lines = wrap_text(shown, width)
    covered = "".join(shown[s:e] for s, e in lines)
    assert covered == shown.replace("\n", "")
    assert all(s <= e for s, e in lines)
    assert control_chars(shown) == set()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=300).filter(lambda t: t.strip()), data=st.data())
def test_any_text_loads_annotates_and_exports_exact_slices(tmp_path, text, data):
    path = tmp_path / "any.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        article = load_article(path)
    except Exception as exc:  # only the documented, user-facing refusal is allowed
        assert type(exc).__name__ == "ArticleError"
        return
    start = data.draw(st.integers(min_value=0, max_value=len(article.text) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(article.text)))
    annotation = Annotation.for_passage(article, start, end, tags=["t"])
    [record] = export_json_document([annotation])["annotations"]
    assert record["text"] == article.text[record["start"] : record["end"]]
    json.loads(json.dumps(record))
