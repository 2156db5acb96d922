"""The reader's highlights told apart on terminals of 256 colours too (tmux without truecolor,
macOS Terminal.app): Rich, and so Textual, down-converts every truecolor style to the nearest of
the xterm palette's 256 colours, and there the dark theme's cursor and annotated passage were one
colour (48;5;23). Each background is down-converted here as Rich does it
(`rich.color.Color.downgrade(ColorSystem.EIGHT_BIT)`), independently of tui/ui/theme.py."""

from __future__ import annotations

from itertools import combinations

import pytest
from helpers import SEED, make_app, open_article, wait_until
from rich.color import Color as RichColor
from rich.color import ColorSystem
from test_people_ui import app_for, library, open_people  # noqa: F401  (the fixture too)
from textual.color import Color, rgb_to_lab

from tui.ui import theme

THEMES = ("textual-dark", "textual-light")
SIZES = [(80, 24), (120, 40)]
AA = 4.5
AT_A_GLANCE = 30.0  # CIE76 ΔE: the cursor and an annotated passage (as the search colour and the entities')
BESIDE = 15.0  # any two other highlights seen side by side or one inside the other
ON_THE_PAGE = 10.0  # a highlight and the page (a focused quote is a faint tint on purpose)


def index_256(colour: Color) -> int:
    """The xterm palette entry Rich draws `colour` as on a 256-colour terminal."""
    down = RichColor.from_rgb(*colour.rgb).downgrade(ColorSystem.EIGHT_BIT)
    assert down.number is not None
    return down.number


def in_256(colour: Color) -> Color:
    """What the terminal shows for `colour` at 256 colours."""
    return Color(*RichColor.from_rgb(*colour.rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor())


def delta_e(a: Color, b: Color) -> float:
    (l1, a1, b1), (l2, a2, b2) = rgb_to_lab(a), rgb_to_lab(b)
    return ((l1 - l2) ** 2 + (a1 - a2) ** 2 + (b1 - b2) ** 2) ** 0.5


def contrast(a: Color, b: Color) -> float:
    def lum(c: Color) -> float:
        def ch(v: int) -> float:
            x = v / 255
            return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def bg(style) -> Color:
    return Color.parse(style.bgcolor.triplet.hex)


def layers_of(name: str):
    """The page, the text and the highlight backgrounds the reader draws in theme `name`."""
    from textual.app import App

    current = App().get_theme(name)
    assert current is not None
    hl = theme.highlights(current.dark, current)
    readable = theme.readable_variables_for(current)
    page = Color.parse(current.surface or current.background or ("#1e1e1e" if current.dark else "#ffffff"))
    backgrounds = {
        "page": page,
        "cursor": bg(hl.cursor),
        "annotation": bg(hl.annotation),
        "focused quote": bg(hl.quote_focus),
        "selection": bg(hl.selection),
        "search": bg(hl.search),
    }
    return hl, Color.parse(readable["foreground"]), backgrounds


@pytest.mark.parametrize("name", THEMES)
def test_the_cursor_and_an_annotated_passage_differ_in_truecolor_and_in_256_colours(name):
    _, _, backgrounds = layers_of(name)
    cursor, annotation = backgrounds["cursor"], backgrounds["annotation"]
    assert index_256(cursor) != index_256(annotation), f"both drawn as 48;5;{index_256(cursor)}"
    assert delta_e(cursor, annotation) >= AT_A_GLANCE, (cursor.hex, annotation.hex)
    assert delta_e(in_256(cursor), in_256(annotation)) >= AT_A_GLANCE, (index_256(cursor), index_256(annotation))


@pytest.mark.parametrize("name", THEMES)
def test_every_highlight_that_can_be_seen_beside_another_differs_from_it_in_256_colours(name):
    """The cursor, an annotated passage, a focused quote, a selection and the search matches lie
    over each other and side by side; each of them also over the page and beside the entities."""
    _, _, backgrounds = layers_of(name)
    close = []
    for (a, ca), (b, cb) in combinations(backgrounds.items(), 2):
        wanted = ON_THE_PAGE if "page" in (a, b) else BESIDE
        for system, x, y in (("truecolor", ca, cb), ("256", in_256(ca), in_256(cb))):
            if delta_e(x, y) < wanted:
                close.append((system, a, b, round(delta_e(x, y), 1)))
    entities = {label: Color.parse(c) for label, c in theme.ENTITY_COLOURS.items()}
    for a in ("cursor", "annotation"):
        for label, colour in entities.items():
            for system, x, y in (("truecolor", backgrounds[a], colour), ("256", in_256(backgrounds[a]), in_256(colour))):
                if delta_e(x, y) < BESIDE:
                    close.append((system, a, label, round(delta_e(x, y), 1)))
    assert close == []


@pytest.mark.parametrize("name", THEMES)
def test_the_text_stays_readable_on_every_highlight_once_down_converted(name):
    hl, text, backgrounds = layers_of(name)
    quote = Color.parse(hl.quote_colour)
    low = []
    for layer, colour in backgrounds.items():
        if layer == "search":
            pairs = [("search text", Color.parse(hl.search.color.triplet.hex))]
        else:
            pairs = [("text", text), ("quote", quote)]
        for what, fg in pairs:
            for system, x, y in (("truecolor", fg, colour), ("256", in_256(fg), in_256(colour))):
                if contrast(x, y) < AA:
                    low.append((system, what, layer, round(contrast(x, y), 2)))
    assert low == []


def drawn_backgrounds(app) -> set[str]:
    return {
        segment.style.bgcolor.triplet.hex.lower()
        for strip in app.screen._compositor.render_strips()
        for segment in strip
        if segment.style is not None and segment.style.bgcolor is not None and segment.style.bgcolor.triplet is not None
    }


@pytest.mark.parametrize("name", THEMES)
async def test_in_the_reader_the_cursor_beside_an_annotation_is_drawn_in_two_256_colours(tmp_path, shared_analyzer, name):
    """As the tester saw it: an annotated sentence, the cursor on the next one."""
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = name
        reader = await open_article(pilot)
        await pilot.press("t", *"colour", "enter")
        await wait_until(pilot, lambda: reader.reading.anchored, what="the annotation")
        await pilot.press("j")
        await pilot.pause(0.2)
        hl = reader.hl
        cursor, annotation = bg(hl.cursor), bg(hl.annotation)
        drawn = drawn_backgrounds(app)
        assert {cursor.hex.lower(), annotation.hex.lower()} <= drawn
        assert index_256(cursor) != index_256(annotation)


@pytest.mark.parametrize("name", THEMES)
async def test_a_lists_highlighted_row_stands_out_and_reads_in_256_colours(tmp_path, shared_analyzer, name):
    """The library's current row and a side panel's highlighted row (the light theme's was 251 on
    a page of 252) against the page, and their text, once down-converted."""
    from textual.widgets import OptionList

    from tui.ui.widgets.cursor_list import CursorList

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = name
        await wait_until(pilot, lambda: app.screen.query(CursorList), what="library")
        await pilot.pause(0.2)
        rows = []
        library = app.screen.query_one(CursorList)
        rows.append(("library row", library.get_component_rich_style("cursor-list--cursor"), library.rich_style))
        reader = await open_article(pilot)
        await pilot.press("t", *"colour", "enter")
        await wait_until(pilot, lambda: reader.reading.anchored, what="the annotation")
        await pilot.pause(0.2)
        panel = next(o for o in reader.query(OptionList) if o.option_count and o.highlighted is not None and o.display)
        rows.append(("panel row", panel.get_component_rich_style("option-list--option-highlighted"), panel.rich_style))
        problems = []
        for what, row, page in rows:
            row_bg, page_bg = Color.from_rich_color(row.bgcolor), Color.from_rich_color(page.bgcolor)
            text = Color.from_rich_color(row.color)
            if index_256(row_bg) == index_256(page_bg) or delta_e(in_256(row_bg), in_256(page_bg)) < ON_THE_PAGE:
                problems.append((what, "page", index_256(row_bg), index_256(page_bg)))
            if contrast(in_256(text), in_256(row_bg)) < AA:
                problems.append((what, "text", round(contrast(in_256(text), in_256(row_bg)), 2)))
        assert problems == []


# -- the chart screen's hint ---------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
async def test_the_chart_hint_is_on_the_same_line_above_the_footer_on_every_chart(library, tmp_path, size):  # noqa: F811
    from tui.ui.screens.chart import ChartScreen

    app, _ = app_for(library, tmp_path)
    hint = "1 most quoted · 2 over time · 3 tags"
    async with app.run_test(size=size) as pilot:
        await open_people(pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart, what="chart")
        where = {}
        for key, kind in (("1", "speakers"), ("2", "timeline"), ("3", "tags")):
            await pilot.press(key)
            await wait_until(pilot, lambda kind=kind: app.screen.chart.kind == kind, what=kind)
            await pilot.pause(0.2)
            lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
            where[kind] = [y for y, line in enumerate(lines) if hint in line]
        footer = size[1] - 1
        assert where == {kind: [footer - 1] for kind in ("speakers", "timeline", "tags")}


async def test_every_entity_colour_stands_out_on_the_page_of_each_light_theme(tmp_path, shared_analyzer):
    """displaCy's pastels for numbers and dates were next to invisible on a light page: each
    entity's background is now at least PAGE_APART from the page, its black text still readable."""
    from helpers import SEED, make_app, open_article
    from textual.color import Color

    from tui.ui import theme

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        labels = {e.label for e in reader.analysis.entities}
        assert {"CARDINAL", "DATE"} & labels  # the pale ones are there to be seen
        for name in ("textual-light", "solarized-light", "catppuccin-latte"):
            app.theme = name
            await pilot.pause()
            page = reader.view.styles.background
            for mark in reader.view._layers["entities"].marks:
                background = Color.from_rich_color(mark.style.bgcolor)
                assert theme.apart(background, page, theme.PAGE_APART), (name, mark, page.hex)
                assert theme.contrast_ratio(Color(0, 0, 0), background) >= theme.AA_CONTRAST
