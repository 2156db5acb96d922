"""A person's timeline at 80×24 and 120×40: every row is wrapped by the timeline to the list's
width (less its scrollbar when the rows overflow), never again by the list, so a long quote's
continuation lines stay indented under the quote text and long words are cut between whole
characters (Pilot; fake analyses, fixed speakers)."""

from __future__ import annotations

import pytest
from helpers import wait_until
from rich.cells import cell_len
from test_people_ui import app_for, open_people

LONG = (
    "The circumstances that led to the withdrawal of the harbour plan today represent a deeply "
    "distressing development that does not bode well for the future of the town, and the campaign "
    "of delay that has marred this plan has done a great disservice to the people who work there"
)
WIDE = "長い言葉" * 12  # one word wider than any line: cut between whole characters


@pytest.fixture
def long_quotes(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(6):
        body = f"“{LONG}, part {n},” said Nobody.\n\n“{WIDE} {n},” said Nobody.\n"
        (folder / f"l{n}.md").write_text(
            f"---\ntitle: A long title about the harbour plan and its delays, number {n}\ndate: 2024-03-0{n + 1}\n"
            f"source: Outlet {n}\n---\n{body}",
            encoding="utf-8",
        )
    return folder


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_timeline_rows_fit_with_a_hanging_indent(long_quotes, tmp_path, size):
    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(long_quotes, tmp_path)
    async with app.run_test(size=size) as pilot:
        await open_people(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        await pilot.pause()
        timeline = app.screen
        options = timeline.options
        assert len(timeline.quotes) == 12
        assert options.show_vertical_scrollbar  # 12 long quotes overflow both sizes
        region = options.scrollable_content_region
        rows = [str(options.get_option_at_index(i).prompt).split("\n") for i in range(options.option_count)]
        # the rows' first cell is the ▶ mark's (the highlighted row's), so they are a cell narrower
        assert all(cell_len(line) <= region.width - 1 for lines in rows for line in lines), region.width
        for lines, quote in zip(rows, timeline.quotes, strict=True):
            assert not lines[0].startswith(" ") and lines[1].startswith("  “")
            body = lines[1 : next(i for i, line in enumerate(lines) if line.rstrip().endswith("”")) + 1]
            assert all(line.startswith("   ") and not line.startswith("    ") for line in body[1:])  # under the text
            assert "".join(line.strip() for line in body).replace(" ", "") == f"“{quote.text}”".replace(" ", "")
        assert any(len(lines) > 4 for lines in rows)  # a quote wrapped over several lines
        # what the list draws: the timeline's lines, none wrapped again
        expected = {line.rstrip() for lines in rows for line in lines}

        def shown_lines() -> list[str]:
            """The lines drawn, less the mark's cell (▶ on the highlighted row's first line)."""
            drawn = [options.render_line(y).text.rstrip() for y in range(region.height)]
            assert all(line[:1] in (" ", "▶") for line in drawn if line), drawn
            assert sum(line.startswith("▶") for line in drawn) <= 1
            return [line[1:] for line in drawn]

        shown = shown_lines()
        assert all(line in expected for line in shown if line), shown
        assert any(line.startswith("   ") and not line.startswith("    ") for line in shown)
        await pilot.press("G")
        await pilot.pause()
        shown = shown_lines()
        assert all(line in expected for line in shown if line), shown


async def test_timeline_rows_rewrap_when_the_terminal_is_resized(long_quotes, tmp_path):
    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(long_quotes, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        await pilot.press("j", "j")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        options = app.screen.options
        width = options.scrollable_content_region.width
        assert width < 80
        lines = [line for i in range(options.option_count) for line in str(options.get_option_at_index(i).prompt).split("\n")]
        assert max(cell_len(line) for line in lines) <= width - 1  # the ▶ mark has the first cell
        assert max(cell_len(line) for line in lines) > width - 12  # wrapped to the new width, not the old
        assert options.highlighted == 2  # the same quote stays highlighted
