"""The note editor: Tab types a tab into the note (the README's notes with tabs can be written),
and the keyboard still leaves it: ctrl+s saves, Escape cancels, whatever Tab did before."""

from __future__ import annotations

from helpers import SEED, make_app, open_article, wait_until
from textual.widgets import TextArea

from tui.core.store import AnnotationStore
from tui.ui.screens.dialogs import ConfirmDialog, NoteDialog
from tui.ui.screens.reader import ReaderScreen

SIZE = (120, 36)


async def test_a_typed_tab_is_saved_in_the_note(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), what="the note editor")
        await pilot.press(*"tab:", "tab", *"end")
        assert app.screen.query_one(TextArea).text == "tab:\tend"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is reader, what="back in the reader")
        assert [a.note for a in reader.annotations] == ["tab:\tend"]
    assert [a.note for a in AnnotationStore.open(tmp_path / "db.json").all()] == ["tab:\tend"]


async def test_after_a_tab_escape_still_cancels_and_asks_before_discarding(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("n", *"a", "tab", *"b", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the discard question")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="back in the reader")
        assert app.screen.annotations == []


async def test_a_tab_typed_next_to_a_stored_one_keeps_both(tmp_path, shared_analyzer):
    """A stored tab is shown as a space (as every control character, safely); typed next to it, a
    tab is a tab, and the stored one is saved as it was."""
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("n", *"one", "tab", *"two", "ctrl+s")
        await wait_until(pilot, lambda: app.screen is reader, what="back in the reader")
        await pilot.press("e", "enter")  # edit: the tags (none: on to the note), then the note
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), what="the note editor again")
        assert app.screen.query_one(TextArea).text == "one two"
        await pilot.press("tab", *"three", "ctrl+s")
        await wait_until(pilot, lambda: app.screen is reader, what="back in the reader")
        assert [a.note for a in reader.annotations] == ["one\ttwo\tthree"]
