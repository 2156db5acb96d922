"""What the article view shows: the cursor stays in view after a resize and keeps context lines
around it while moving (scrolloff); one selection colour wins over every other mark."""

from __future__ import annotations

from helpers import SAMPLES, SEED, make_app, open_article, wait_until

from tui.ui.widgets.article_view import ArticleView


def _cursor_lines(view: ArticleView) -> tuple[int, int]:
    start, end = view.cursor
    return view.line_of(start), view.line_of(max(start, end - 1))


def _visible(view: ArticleView) -> range:
    top = int(view.scroll_y)
    return range(top, top + view.scrollable_content_region.height)


async def test_after_a_resize_the_cursor_is_visible(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("G", "s")
        await pilot.pause()
        for size in ((80, 24), (60, 16), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            first, last = _cursor_lines(reader.view)
            assert first in _visible(reader.view) and last in _visible(reader.view), size


async def test_after_only_the_height_shrinks_the_cursor_is_visible(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("G")  # the last sentence, at the bottom of a tall view
        await pilot.pause()
        for size in ((120, 24), (120, 14)):  # the same width: the text is not wrapped again
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            first, last = _cursor_lines(reader.view)
            assert first in _visible(reader.view) and last in _visible(reader.view), size


async def test_moving_down_keeps_context_lines_below_the_cursor(tmp_path, shared_analyzer):
    longest = max(SAMPLES, key=lambda p: p.stat().st_size)
    app = make_app([longest], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        view = reader.view
        height = view.scrollable_content_region.height
        scrolled = False
        for _ in range(40):
            await pilot.press("j")
            await pilot.pause()
            first, last = _cursor_lines(view)
            visible = _visible(view)
            if view.scroll_y > 0:
                scrolled = True
            if last - first + 1 + 2 * ArticleView.SCROLL_OFF <= height and int(view.scroll_y) < view.max_scroll_y:
                assert last + ArticleView.SCROLL_OFF < visible.stop, "the cursor reached the bottom edge"
        assert scrolled


async def test_the_selection_is_one_colour_over_entities_and_quotes(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        await wait_until(pilot, lambda: reader.analysis is not None and reader.analysis.entities, what="entities")
        await pilot.press("v", "w", "w", "w", "w")
        await pilot.pause()
        view = reader.view
        assert reader.selection is not None
        start, end = reader.selection
        selection_style = view._layers["selection"].marks[0].style
        entity_starts = [e.start for e in reader.analysis.entities if start <= e.start < end]
        assert entity_starts, "the selection should cover an entity for this test"
        for index in range(view.line_of(start), view.line_of(end - 1) + 1):
            line_start, line_end = view.lines[index]
            offset = line_start
            for segment in view._render_visual_line(index)._segments[1:]:  # after the gutter
                seg_start, offset = offset, offset + len(segment.text)
                if start <= seg_start and offset <= end:
                    assert segment.style.bgcolor == selection_style.bgcolor, segment.text
                    assert segment.style.color == selection_style.color, segment.text
