"""The speaker dialog (`c`), driven by keys in the reader and in a person's timeline (fake
analyses: fixed speakers and people, invented texts).

- Tab with nothing to complete keeps the focus in the name box, so the letters typed next reach
  the name and Enter takes it: the quote is never marked "not a quote" by accident.
- A letter (or Backspace) typed in the list goes to the name box; "Not a quote" is chosen only in
  the list itself (↓, then Enter), never by Enter in the name box.
- The timeline's dialog offers the people the article names, as the reader's does.
"""

from __future__ import annotations

import pytest
from helpers import make_app, open_article, wait_until
from test_people_ui import FakeAnalyzer, open_people

from tui.core.analysis.result import Analysis, Entity
from tui.core.corrections import all_corrections
from tui.ui.screens.speaker_dialog import SpeakerDialog, SpeakerName

# The fake analyzer (tests/test_people_ui.py) gives both quotes to Orla Fenwick; Brin Callow is
# only named. Nobody here has a name starting "Mor".
ARTICLE = (
    "---\ntitle: Quay reopens\ndate: 2024-06-10\nsource: Outlet C\n---\n"
    "Harbour master Brin Callow opened the quay on Monday.\n\n"
    "“We will reopen the harbour by spring,” said Orla Fenwick.\n\n"
    "“Nobody will lose their job,” she added.\n"
)
PEOPLE = ("Brin Callow", "Orla Fenwick")


class NamingAnalyzer(FakeAnalyzer):
    """FakeAnalyzer's quotes and speakers, and PEOPLE as the article's PERSON entities."""

    def _analyse(self, text: str) -> Analysis:  # type: ignore[override]
        analysis = FakeAnalyzer._analyse(text)
        for name in PEOPLE:
            at = text.find(name)
            if at >= 0:
                analysis.entities.append(Entity(at, at + len(name), "PERSON", name, name))
        return analysis


@pytest.fixture
def app(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "quay.md").write_text(ARTICLE, encoding="utf-8")
    return make_app([folder], tmp_path / "data" / "ann.json", analyzer=NamingAnalyzer(tmp_path / "cache"))


async def open_dialog(pilot) -> SpeakerDialog:
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SpeakerDialog), what="the speaker dialog")
    return pilot.app.screen


async def reader_on_quote(pilot):
    """The reader on the article's first quote."""
    reader = await open_article(pilot)
    await pilot.press("right_square_bracket")
    await wait_until(pilot, lambda: reader.quote_here() is not None, what="a quote")
    return reader


def name_box(dialog: SpeakerDialog) -> SpeakerName:
    return dialog.query_one(SpeakerName)


async def test_tab_with_nothing_to_complete_keeps_the_typed_name_and_enter_takes_it(app):
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await reader_on_quote(pilot)
        dialog = await open_dialog(pilot)
        await pilot.press(*"Mor", "tab")
        assert app.focused is name_box(dialog)  # not moved to the list
        await pilot.press(*"wen Tallis")
        assert name_box(dialog).value == "Morwen Tallis"  # no letter lost
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is reader, what="the reader")
        (stored,) = all_corrections(app.store)
        assert (stored.verdict, stored.speaker) == ("speaker", "Morwen Tallis")
        assert reader.quote_here().speaker.canonical == "Morwen Tallis"
        await pilot.press("u")  # still undoes
        await wait_until(pilot, lambda: not all_corrections(app.store), what="the correction undone")
        assert reader.quote_here().speaker.canonical == "Orla Fenwick"


async def test_tab_still_completes_a_name_of_the_article(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_on_quote(pilot)
        dialog = await open_dialog(pilot)
        await pilot.press(*"bri", "tab")
        assert name_box(dialog).value == "Brin Callow" and app.focused is name_box(dialog)
        await pilot.press("tab")  # a whole name already: stays
        assert app.focused is name_box(dialog)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, SpeakerDialog), what="the dialog to close")
        (stored,) = all_corrections(app.store)
        assert (stored.verdict, stored.speaker) == ("speaker", "Brin Callow")


async def test_letters_typed_in_the_list_go_to_the_name_box(app):
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await reader_on_quote(pilot)
        dialog = await open_dialog(pilot)
        await pilot.press(*"Mor", "down")
        assert app.focused is not name_box(dialog)  # in the list, where only "Not a quote" is left
        await pilot.press("w")
        assert app.focused is name_box(dialog) and name_box(dialog).value == "Morw"
        await pilot.press("down", "backspace", "backspace")  # Backspace in the list edits the name too
        assert app.focused is name_box(dialog) and name_box(dialog).value == "Mo"
        await pilot.press("down", *"rwen Tallis")
        assert name_box(dialog).value == "Morwen Tallis"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is reader, what="the reader")
        (stored,) = all_corrections(app.store)
        assert (stored.verdict, stored.speaker) == ("speaker", "Morwen Tallis")


async def test_not_a_quote_only_from_the_list_itself(app):
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await reader_on_quote(pilot)
        dialog = await open_dialog(pilot)
        await pilot.press(*"zz", "backspace", "backspace")  # an empty name box: the people listed again
        await pilot.press("down", "end", "enter")  # deliberately: the list's last row
        await wait_until(pilot, lambda: app.screen is reader, what="the reader")
        assert dialog is not app.screen
        (stored,) = all_corrections(app.store)
        assert stored.verdict == "not_a_quote"


async def test_enter_in_an_empty_name_box_never_picks_not_a_quote():
    """A dialog with no people to offer: "Not a quote" is the only row (highlighted), and Enter in
    the empty name box says what to do instead of choosing it."""
    from test_review_fixes import DialogApp

    app = DialogApp(SpeakerDialog("We will reopen the harbour", None, []))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SpeakerDialog) and app.result == "unset"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.result == ("not_a_quote", None)


async def test_the_timeline_offers_the_people_the_reader_offers(app):
    from tui.ui.screens.timeline import TimelineScreen

    async with app.run_test(size=(120, 40)) as pilot:
        reader = await reader_on_quote(pilot)
        offered_by_reader = (await open_dialog(pilot)).people
        assert "Brin Callow" in offered_by_reader
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: app.screen is not reader, what="the library")
        people = await open_people(pilot)
        assert [p.name for p in people.shown] == ["Orla Fenwick"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="the timeline")
        timeline = app.screen
        dialog = await open_dialog(pilot)
        assert set(offered_by_reader) <= set(dialog.people)
        await pilot.press(*"Bri", "tab")
        assert name_box(dialog).value == "Brin Callow"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is timeline and len(timeline.quotes) == 1, what="the quote to move")
        (stored,) = all_corrections(app.store)
        assert (stored.verdict, stored.speaker) == ("speaker", "Brin Callow")


LONG_QUOTE_ARTICLE = (
    "---\ntitle: Quay reopens\ndate: 2024-06-10\nsource: Outlet C\n---\n"
    "Harbour master Brin Callow opened the quay on Monday.\n\n"
    "“We will reopen the harbour by spring, and the ferries will run to the islands twice a day "
    "from the first of May,” said Orla Fenwick.\n\n"
    "“Nobody will lose their job,” she added.\n"
)


@pytest.mark.parametrize("size", [(50, 15), (80, 24), (120, 40)])
async def test_the_dialog_fits_a_small_terminal_with_its_list_and_hint(tmp_path, size):
    """The quote on two lines, the name box, some of the list and the hint: nothing scrolled
    out of the dialog, on a short terminal too (no padding there, the boxes without frames)."""
    from textual.containers import Vertical
    from textual.widgets import Label, OptionList

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "quay.md").write_text(LONG_QUOTE_ARTICLE, encoding="utf-8")
    app = make_app([folder], tmp_path / "data" / "ann.json", analyzer=NamingAnalyzer(tmp_path / "cache"))
    async with app.run_test(size=size) as pilot:
        await reader_on_quote(pilot)
        dialog = await open_dialog(pilot)
        await pilot.pause()
        frame = dialog.query_one(".dialog", Vertical)
        assert frame.max_scroll_y == 0  # everything in it is shown
        assert frame.region.bottom <= size[1]
        options = dialog.query_one(OptionList)
        assert options.content_region.height >= 2  # at least two of the people
        hint = dialog.query(".dialog-hint").last(Label)
        assert hint.region.height >= 1 and hint.region.bottom <= frame.region.bottom - 1
        assert app.has_class("-short") == (size[1] < 22)
        await pilot.press("down", "down")  # the list still works
        assert app.focused is options
