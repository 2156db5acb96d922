"""More reader paths: the mouse, the command palette, quote jumps, panels, and a crash right after
a key press (the annotation must already be on disk)."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time

from helpers import REPO, SEED, make_app, open_article, run_palette_command, wait_until
from textual.widgets import OptionList

from tui.core.store import AnnotationStore
from tui.ui.screens.export_dialog import ExportDialog

SIZE = (120, 40)


async def test_click_places_the_cursor(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        view = reader.view
        target_line = next(
            i for i, (s, e) in enumerate(view.lines) if reader.article.text[s:e].startswith("Biden has independently")
        )
        await pilot.click(view, offset=(6, target_line - int(view.scroll_y)))
        await pilot.pause()
        start, end = reader.units[reader.unit_index]
        assert reader.article.text[start:end].startswith("Biden has independently")


async def test_quote_jumps_and_who_said_what_panel(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        quotes = reader.analysis.quotes
        assert len(quotes) == 6
        seen = []
        for _ in range(6):
            await pilot.press("right_square_bracket")
            seen.append(reader.current_target().start)
        assert seen == [q.start for q in quotes]
        await pilot.press("left_square_bracket")
        assert reader.current_target().start == quotes[4].start
        # who said what: choose Mike Pompeo's first quote
        await pilot.press("g", "s")
        panel = reader.query_one("#quote-list", OptionList)
        assert app.focused is panel
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert any("Mike Pompeo" in p for p in prompts)
        await pilot.press("enter")
        await pilot.pause()
        first = next(q for q in quotes if q.speaker and q.speaker.canonical == "Mike Pompeo")
        assert reader.current_target().start == first.start


async def test_entities_panel_highlights_mentions_and_toggles_labels(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("E")
        panel = reader.query_one("#entity-list", OptionList)
        ids = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        biden = next(i for i, option_id in enumerate(ids) if option_id and option_id.endswith("\x00Joe Biden"))
        panel.highlighted = biden
        await pilot.press("enter")
        await pilot.pause()
        mentions = [e for e in reader.analysis.entities if e.canonical == "Joe Biden"]
        assert len(mentions) >= 4  # "Joe Biden" and the short forms "Biden"
        assert reader.matches == [(e.start, e.end) for e in mentions]
        # Enter on the PERSON label row hides PERSON highlights; again shows them
        ids = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        panel.highlighted = ids.index("label\x00PERSON")
        await pilot.press("enter")
        await pilot.pause()
        people = {e.start for e in reader.analysis.entities if e.label == "PERSON"}
        shown = reader.view._layers["entities"].marks
        assert shown and not people & {m.start for m in shown}
        assert "hidden" in str(panel.get_option_at_index(ids.index("label\x00PERSON")).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert people <= {m.start for m in reader.view._layers["entities"].marks}


async def test_command_palette_offers_export(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await run_palette_command(pilot, "export annotations")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")


def test_annotation_survives_a_kill_right_after_the_key(tmp_path):
    db = tmp_path / "db.json"
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30", MARGIN_DB=str(db))
    for name in ("MARGIN_DATA_DIR", "MARGIN_CACHE_DIR", "MARGIN_CONFIG_DIR"):
        env[name] = str(tmp_path / name)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        os.execve(sys.executable, [sys.executable, "-m", "tui", "--model", "rules", str(SEED)], env)
    output = bytearray()

    def read_until(marker: bytes, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if marker in output:
                return True
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    output.extend(os.read(fd, 65536))
                except OSError:
                    return False
        return marker in output

    try:
        assert read_until(b"1 article(s)", 30), "library did not list the article"
        os.write(fd, b"\r")
        assert read_until(b"sentence", 30), "reader did not appear"
        os.write(fd, b"1")
        assert read_until(b"Tagged", 10), "no confirmation of the tag"
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    [annotation] = AnnotationStore.open(db, explicit=True).all()
    assert annotation.tags == ["claim"]


async def test_theme_change_recolours_the_article_and_is_remembered(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        dark_quote = reader.view._layers["quotes"].marks[0].style
        app.theme = "catppuccin-latte"
        await pilot.pause()
        assert reader.view._layers["quotes"].marks[0].style != dark_quote
        reader.view.refresh()
        await pilot.pause()
        gutter = list(reader.view.render_line(5))[0]  # drawn in the view's own background
        assert sum(gutter.style.bgcolor.get_truecolor()) > 600  # light, not the dark theme's
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "catppuccin-latte"


async def test_panel_toggle_and_the_other_names_of_move_keys(tmp_path, shared_analyzer):
    """`p` hides and shows the side panel (the text keeps the focus); `}` / `{` are `J` / `K`;
    Home / End are `g` / `G`."""
    from textual.widgets import TabbedContent

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        side = reader.query_one("#side", TabbedContent)
        assert side.display
        await pilot.press("p")
        assert not side.display and app.focused is reader.view
        await pilot.press("p")
        assert side.display and app.focused is reader.view
        await pilot.press("J")
        by_letter = reader.unit_index
        await pilot.press("K", "right_curly_bracket")
        assert reader.unit_index == by_letter > 0
        await pilot.press("left_curly_bracket")
        await pilot.press("J")
        assert reader.unit_index == by_letter
        await pilot.press("end")
        assert reader.unit_index == len(reader.units) - 1
        await pilot.press("home")
        assert reader.unit_index == 0


async def test_who_said_rows_fit_the_panel_at_80_columns(tmp_path, shared_analyzer):
    """At 80×24 the seed's quotes overflow the panel: its scrollbar takes cells, and every row on
    screen is one the panel wrapped (hanging indent kept), never one the list wrapped again."""
    from rich.cells import cell_len

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("s")
        await pilot.pause()
        panel = reader.query_one("#quote-list", OptionList)
        region = panel.scrollable_content_region
        assert panel.show_vertical_scrollbar
        wrapped = [str(panel.get_option_at_index(i).prompt).split("\n") for i in range(panel.option_count)]
        assert all(cell_len(line) <= region.width for lines in wrapped for line in lines)
        expected = {line.rstrip() for lines in wrapped for line in lines}
        shown = [panel.render_line(y).text.rstrip() for y in range(region.height)]
        assert shown[0].startswith("Mike Pompeo · ")
        assert all(line in expected for line in shown if line), shown
        assert any(line.startswith("    ") for line in shown)  # the hanging indent is on screen


def test_hanging_lines_cut_long_words_between_characters():
    """A word longer than the panel (wide characters, a letter and its accent, a family emoji) is
    cut between whole characters; no line is wider than the panel; "…" ends a shortened quote."""
    from rich.cells import cell_len, split_graphemes

    from tui.ui.widgets.quotes_panel import hanging_lines

    def graphemes(text):
        return [text[start:end] for start, end, _ in split_graphemes(text)[0]]

    for word in ("長い言葉" * 10, "cafe\u0301" * 12, "👨\u200d👩\u200d👧" * 20, "x" * 80):
        for width in (9, 10, 11, 29):
            lines = hanging_lines(f"a {word} b", width, first="? ", rest="    ")
            assert all(cell_len(line) <= width for line in lines), (width, lines)
            assert lines[0].startswith("? ") and all(line.startswith("    ") for line in lines[1:])
            text = "".join(line.removeprefix("? ").strip() for line in lines).replace(" ", "")
            assert graphemes(text) == graphemes(f"a{word}b")
            short = hanging_lines(f"a {word} b", width, first="? ", rest="    ", max_lines=3)
            assert short == lines if len(lines) <= 3 else len(short) == 3 and short[-1].endswith("…")
            assert all(cell_len(line) <= width for line in short)
