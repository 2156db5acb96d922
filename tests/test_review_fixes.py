"""Fixes from a user's review in tmux (dark/light, 80x24 and 120x40), each driven through the UI."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input

from tui.ui.screens.speaker_dialog import SpeakerDialog


class DialogApp(App):
    """An app that only shows one dialog and keeps what it returned."""

    def __init__(self, dialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: object = "unset"

    def steady_cursors(self, screen) -> None:
        """As the app's: nothing to do here."""

    def on_mount(self) -> None:
        self.push_screen(self.dialog, callback=lambda r: setattr(self, "result", r))


async def test_speaker_dialog_tab_completes_the_typed_name():
    app = DialogApp(SpeakerDialog("They would prefer", "a source", ["Mike Pompeo", "Joe Biden"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("M", "i")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "Mike Pompeo"
        assert isinstance(app.focused, Input)
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ("speaker", "Mike Pompeo")


async def test_empty_annotations_panel_says_why(tmp_path, shared_analyzer):
    from helpers import SEED, make_app, open_article
    from textual.widgets import OptionList

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("a")
        await pilot.pause()
        rows = reader.query_one("#annotation-list", OptionList)
        prompts = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
        assert prompts == ["No annotations yet: t tags, n notes the passage under the cursor."]
        await pilot.press("escape", "t", *"claim", "enter")
        await pilot.pause()
        await pilot.press("a", "slash", "z")  # `/` in the list, then a tag: filtered
        await pilot.pause()
        prompts = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
        assert prompts == ["No annotation tagged z."]


def _version(article: str, date: str, text: str):
    from tui.core.people.rows import PersonQuote

    return PersonQuote(
        article,
        f"/{article}.md",
        f"Title {article}",
        date,
        "Wikinews",
        0,
        len(text),
        text,
        "said",
        0.9,
        "He",
        "Ban Ki-moon",
        "rule",
    )


async def test_quote_versions_keep_the_spaces_around_a_difference_and_wrap_under_their_indent():
    from types import SimpleNamespace

    from textual.widgets import OptionList

    from tui.core.people.same import QuoteGroup
    from tui.ui.screens.quote_group import QuoteGroupDialog

    first = _version(
        "a",
        "2008-06-23",
        "He strongly supports the statement of the Chairman of SADC that conditions do not "
        "exist for a run-off election to be held at this time and that they should be postponed.",
    )
    second = _version(
        "b",
        "2008-06-29",
        "strongly supports the statement of the Chairman of SADC (Southern African "
        "Development Community) that conditions do not exist for a run-off election to be held at this "
        "time and that they should be postponed.",
    )
    person = SimpleNamespace(name="Ban Ki-moon")
    app = DialogApp(QuoteGroupDialog(QuoteGroup("g", [(person, first), (person, second)]), second))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        rows = app.screen.query_one("#group-versions", OptionList)
        later = str(rows.get_option_at_index(1).prompt)
        flat = " ".join(later.split())
        assert "SADC (Southern African Development Community) that" in flat
        assert "“‹He› strongly" in flat
        quote_lines = later.split("\n")[2:]
        assert len(quote_lines) > 1
        assert all(line.startswith("    ") for line in quote_lines)  # a hanging indent
        width = rows.scrollable_content_region.width
        assert all(len(line) <= width for line in later.split("\n"))


async def test_quote_versions_hint_stays_on_screen_at_80x24():
    from types import SimpleNamespace

    from textual.widgets import Label

    from tui.core.people.same import QuoteGroup
    from tui.ui.screens.quote_group import QuoteGroupDialog

    words = "the Secretary-General has discussed the situation with various leaders, including those of the union " * 3
    person = SimpleNamespace(name="Ban Ki-moon")
    members = [(person, _version(name, f"2008-06-2{i}", words)) for i, name in enumerate("abc")]
    app = DialogApp(QuoteGroupDialog(QuoteGroup("g", members), members[0][1]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        hint = app.screen.query(Label).last()
        assert "Escape closes" in str(hint.render())
        assert hint.region.height > 0 and hint.region.bottom <= 24
        assert hint.region.bottom <= app.screen.query_one("Vertical").region.bottom


async def test_reader_status_at_80_columns_drops_whole_parts(tmp_path, shared_analyzer):
    from helpers import SEED, make_app, open_article, wait_until

    from tui.ui.widgets.reader_status import ReaderStatus

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        status = reader.query_one(ReaderStatus)
        await wait_until(pilot, lambda: "quotes" in status.text(), what="analysis")
        for _ in range(3):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        drawn = status.render().plain
        assert len(drawn) <= status.size.width
        assert not drawn.rstrip().endswith("·")
        assert drawn.startswith(status.text()[: len(drawn)])  # the same parts, the last ones left out


async def test_entities_panel_rows_fit_the_panel_at_80x24(tmp_path, shared_analyzer):
    from helpers import REPO, make_app, open_article, wait_until
    from rich.cells import cell_len
    from textual.widgets import OptionList

    article = REPO / "sample_articles" / "30-mugabe-claims-sweeping-victory.md"
    app = make_app([article], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        await wait_until(pilot, lambda: reader.analysis is not None, what="analysis")
        await pilot.press("E")
        await pilot.pause()
        rows = reader.query_one("#entity-list", OptionList)
        await wait_until(pilot, lambda: rows.option_count > 0, what="entities")
        width = rows.scrollable_content_region.width
        prompts = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
        assert any("Southern African" in p for p in prompts)
        assert all(cell_len(p) <= width for p in prompts), [p for p in prompts if cell_len(p) > width]


async def test_annotation_tags_are_readable_in_a_light_theme(tmp_path, shared_analyzer):
    from helpers import SEED, make_app, open_article
    from textual.color import Color
    from textual.widgets import OptionList

    from tui.ui.theme import contrast_ratio

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "textual-light"
        reader = await open_article(pilot)
        await pilot.press("t", *"claim", "enter")
        await pilot.pause()
        rows = reader.query_one("#annotation-list", OptionList)
        await pilot.pause()
        seen = []
        for y in range(rows.size.height):
            for segment in rows.render_line(y):
                if "#claim" in segment.text and segment.style is not None:
                    style = segment.style
                    seen.append(contrast_ratio(Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)))
        assert seen and min(seen) >= 4.5, seen


async def test_library_cursor_row_is_readable_in_a_light_theme(tmp_path):
    from helpers import REPO, make_app, wait_until
    from textual.color import Color

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.theme import contrast_ratio
    from tui.ui.widgets.library_list import LibraryList

    app = make_app([REPO / "sample_articles"], tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("G")  # the last rows: "no date", in the muted colour
        await pilot.pause()
        rows = app.screen.query_one(LibraryList)
        line = rows.render_line(rows.cursor - rows.scroll_offset.y)
        assert "no date" in line.text
        ratios = [
            contrast_ratio(Color.from_rich_color(seg.style.color), Color.from_rich_color(seg.style.bgcolor))
            for seg in line
            if seg.text.strip() and seg.style and seg.style.color and seg.style.bgcolor
        ]
        assert ratios and min(ratios) >= 4.5, ratios


async def test_export_dialog_typing_on_a_select_writes_the_path(tmp_path, monkeypatch):
    from textual.widgets import Select

    from tui.ui.screens.export_dialog import ExportDialog

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    app = DialogApp(ExportDialog())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # from the path to the format
        assert isinstance(app.focused, Select)
        await pilot.press(*"/tmp/x.json")
        await pilot.pause()
        box = app.screen.query_one("#export-path", Input)
        assert app.focused is box
        assert box.value == "/tmp/x.json"


async def test_annotations_panel_with_tags_is_readable_in_every_theme(tmp_path, shared_analyzer):
    from helpers import SEED, make_app, open_article
    from test_contrast import low_contrast_text

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot)
        await pilot.press("t", *"claim", "enter", "right_square_bracket", "n", *"a note", "ctrl+s")
        await pilot.pause()
        await pilot.press("a", "down")  # the list focused: its background is tinted
        await pilot.pause(0.3)
        failures = {}
        for name in sorted(app.available_themes):
            app.theme = name
            await pilot.pause()
            low = low_contrast_text(app)
            if low:
                failures[name] = low[:3]
        assert failures == {}


async def test_library_search_hits_end_inside_the_list_at_80x24(tmp_path):
    from helpers import REPO, make_app, wait_until
    from rich.cells import cell_len
    from textual.widgets import OptionList

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.library_search import LibrarySearchScreen

    app = make_app([REPO / "sample_articles"], tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen), what="search")
        await pilot.press(*"Tsvangirai")
        hits = app.screen.query_one("#lib-search-hits", OptionList)
        await wait_until(pilot, lambda: hits.option_count > 20, what="hits")
        await pilot.pause()
        assert hits.show_vertical_scrollbar
        width = hits.scrollable_content_region.width - 2  # the option's padding
        rows = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert all(cell_len(r) <= width for r in rows), [r for r in rows if cell_len(r) > width][:2]


async def test_reading_position_is_kept_without_leaving_the_article(tmp_path, shared_analyzer):
    """A terminal closed mid-article never unmounts the reader: the position and how far the
    article was read are saved as the cursor enters each paragraph."""
    from helpers import SEED, make_app, open_article

    from tui.core import settings

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        article_id = reader.article.id
        assert settings.load_progress().get(article_id) is not None  # opened: no longer "new"
        await pilot.press("G")
        await pilot.pause()
        assert settings.load_progress()[article_id] == 100
        assert settings.load_position(article_id) == reader.reading.wanted_offset
