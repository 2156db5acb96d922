"""Every text/background pair Margin draws reaches WCAG AA contrast (4.5:1) in every theme the
theme picker offers: computed from the colours the app actually renders, screen by screen."""

from __future__ import annotations

import pytest
from helpers import SEED, make_app, open_article
from textual.color import Color
from textual.screen import ModalScreen

from tui.ui.theme import AA_CONTRAST, UNCHECKABLE_THEMES, contrast_ratio, readable_on

# The screens and panels to look at, as keys pressed in the reader ("" = the library).
VIEWS = ["", "reader", "s", "E", "a", "question_mark"]
# Themes whose text is checked once down-converted to 256 colours too (tmux without truecolor,
# macOS Terminal.app): Textual's own dark and light.
IN_256_COLOURS_TOO = ("textual-dark", "textual-light")


def _box_drawing(text: str) -> bool:
    return all(0x2500 <= ord(c) <= 0x259F for c in text)


def in_256_colours(colour: Color) -> Color:
    """`colour` as a terminal of 256 colours shows it: Rich's down-conversion to the xterm palette."""
    from rich.color import Color as RichColor
    from rich.color import ColorSystem

    return Color(*RichColor.from_rgb(*colour.rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor())


def low_contrast_text(app, eight_bit: bool = False) -> list[tuple[float, int, str]]:
    """(ratio, row, text) of every drawn text segment below AA (with `eight_bit`, once both colours
    are down-converted to 256 colours); under a dialog only the dialog is checked (the screen
    behind it is dimmed on purpose). A dim segment counts in the colour it is drawn in."""
    from textual.filter import dim_color

    region = app.screen.children[0].region if isinstance(app.screen, ModalScreen) else None
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            start, x = x, x + segment.cell_length
            text = segment.text.strip()
            style = segment.style
            if not text or _box_drawing(text) or style is None or style.color is None or style.bgcolor is None:
                continue
            if region is not None and not (region.y <= y < region.bottom and region.x <= start < region.right):
                continue
            colour = dim_color(style.bgcolor, style.color) if style.dim else style.color
            fg, bg = Color(*colour.get_truecolor()), Color(*style.bgcolor.get_truecolor())
            if eight_bit:
                fg, bg = in_256_colours(fg), in_256_colours(bg)
            ratio = contrast_ratio(fg, bg)
            if ratio < AA_CONTRAST:
                found.append((round(ratio, 2), y, text[:30]))
    return found


async def low_contrast_in_every_theme(app, pilot) -> dict[str, list[tuple[float, int, str]]]:
    """{theme: its first three text segments below AA} over every theme the app offers; for the
    dark and light themes Margin starts in, in 256 colours as well."""
    failures = {}
    for name in sorted(app.available_themes):
        app.theme = name
        await pilot.pause()
        low = low_contrast_text(app)
        if name in IN_256_COLOURS_TOO:
            low += [("256 colours", *found) for found in low_contrast_text(app, eight_bit=True)]
        if low:
            failures[name] = low[:3]
    return failures


def test_readable_on_reaches_the_ratio_and_keeps_good_colours():
    navy, grey = Color.parse("#1b2a4a"), Color.parse("#555566")
    assert contrast_ratio(grey, navy) < 2
    fixed = readable_on(grey, navy)
    assert contrast_ratio(fixed, navy) >= AA_CONTRAST
    white = Color(255, 255, 255)
    assert readable_on(white, navy) == white


def test_themes_whose_colours_come_from_the_terminal_are_not_offered(tmp_path):
    app = make_app([SEED], tmp_path / "db.json")
    assert not set(UNCHECKABLE_THEMES) & set(app.available_themes)
    assert {"textual-dark", "textual-light"} <= set(app.available_themes)


@pytest.mark.parametrize("view", VIEWS)
async def test_every_offered_theme_is_readable(tmp_path, shared_analyzer, view):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        if view:
            await open_article(pilot)
            if view != "reader":
                await pilot.press(view)
        await pilot.pause(0.3)
        assert await low_contrast_in_every_theme(app, pilot) == {}


async def test_the_cursors_gutter_mark_stands_out_in_every_offered_theme(tmp_path, shared_analyzer):
    """The ▌ beside the cursor's sentence is where the eye finds the cursor: a graphic, so 3:1."""
    from tui.ui.theme import GRAPHICS_CONTRAST

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot)
        await pilot.pause(0.3)
        failures = {}
        for name in sorted(app.available_themes):
            app.theme = name
            await pilot.pause()
            marks = [
                segment.style
                for strip in app.screen._compositor.render_strips()
                for segment in strip
                if segment.text.startswith("▌") and segment.style is not None and segment.style.bold
            ]
            assert marks, name
            fg, bg = (Color(*c.get_truecolor()) for c in (marks[0].color, marks[0].bgcolor))
            if contrast_ratio(fg, bg) < GRAPHICS_CONTRAST:
                failures[name] = round(contrast_ratio(fg, bg), 2)
        assert failures == {}


def test_the_cursor_shows_inside_a_focused_quote_as_well_as_on_the_page(tmp_path):
    """A sentence of a quote under the cursor: its tint must stand out from the quote's own (CIE76
    ΔE; where the theme leaves the cursor itself fainter on the page, as far as that)."""
    from tui.ui.theme import BESIDE_APART, delta_e, highlights

    app = make_app([SEED], tmp_path / "db.json")
    weak = {}
    for name in sorted(app.available_themes):
        theme = app.get_theme(name)
        hl = highlights(theme.dark, theme)
        cursor, quote = (Color.parse(s.bgcolor.triplet.hex) for s in (hl.cursor, hl.quote_focus))
        page = Color.parse(theme.surface or theme.background or ("#1e1e1e" if theme.dark else "#ffffff"))
        wanted = min(BESIDE_APART, delta_e(cursor, page))
        if delta_e(cursor, quote) < wanted - 0.5:
            weak[name] = round(delta_e(cursor, quote), 1)
    assert weak == {}


async def test_the_same_quote_dialogs_highlighted_row_is_readable_in_every_theme(tmp_path):
    """The versions of a quote (`o` in the reader, `a` in a timeline): on the highlighted version,
    the words it leaves out (struck through) were Textual's dim, 4.3:1 on textual-light's row."""
    from textual.widgets import OptionList

    from tui.core.people import PersonQuote, QuoteGroup
    from tui.ui.screens.quote_group import QuoteGroupDialog

    def version(i: int, date: str | None, text: str, canonical: str) -> PersonQuote:
        where = {"article_id": f"a{i}", "path": f"/nowhere/a{i}.md", "title": f"Article {i}", "source": f"Outlet {i}"}
        said = {"cue": "said", "confidence": 0.9, "speaker": canonical, "canonical": canonical, "method": "test"}
        return PersonQuote(**where, date=date, start=0, end=len(text), text=text, **said)

    earliest = "conditions do not exist for a run-off election to be held at this time and they should be postponed"
    members = [
        version(0, "2008-06-23", earliest, "Ban Ki-moon"),
        version(1, "2008-06-24", "conditions do not exist for a run-off election to be held", "Ban"),
        version(2, None, earliest.replace("postponed", "delayed") + " now", "the secretary general"),
    ]
    person = type("Person", (), {"name": "Ban Ki-moon"})()
    group = QuoteGroup(id="g", members=[(person, q) for q in members])
    app = make_app([SEED], tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(QuoteGroupDialog(group, members[0]))
        await pilot.pause(0.2)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 1  # the version whose left-out words are struck through
        assert any("strike" in str(span.style) for span in options.get_option_at_index(1).prompt.spans)
        assert await low_contrast_in_every_theme(app, pilot) == {}
        await pilot.press("j")  # the version with a word changed, one added, and no date
        await pilot.pause(0.1)
        assert await low_contrast_in_every_theme(app, pilot) == {}


async def test_the_library_search_titles_and_more_rows_are_readable_in_every_theme(tmp_path):
    from helpers import REPO, wait_until

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.library_search import LibrarySearchScreen

    app = make_app([REPO / "sample_articles"], tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen))
        await pilot.press(*"said")
        await wait_until(pilot, lambda: app.screen.hits, what="hits")
        await pilot.pause(0.3)
        assert await low_contrast_in_every_theme(app, pilot) == {}


async def test_a_timeline_is_readable_in_every_theme(tmp_path, shared_analyzer):
    from helpers import REPO, wait_until

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.people import PeopleScreen
    from tui.ui.screens.timeline import TimelineScreen

    app = make_app([REPO / "sample_articles"], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.finished, timeout=120)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        await pilot.pause(0.3)
        assert await low_contrast_in_every_theme(app, pilot) == {}
