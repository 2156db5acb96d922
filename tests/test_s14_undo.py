"""`u` in the reader takes back a change of tags or of a note, not only a delete or a speaker
decision: the last change made here first, one at a time (invented text)."""

from __future__ import annotations

from helpers import make_app, open_article, wait_until
from textual.widgets import TextArea

from tui.ui.screens.dialogs import NoteDialog, TagDialog

TEXT = "Harbour talks\n\nThe council met on Monday to discuss the harbour. The vote is next week.\n"


async def tag(pilot, words: str) -> None:
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TagDialog), what="the tag dialog")
    await pilot.press(*words, "enter")
    await pilot.pause()


async def test_u_takes_back_a_new_tag_then_a_replaced_note_one_at_a_time(tmp_path, shared_analyzer):
    path = tmp_path / "talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    app = make_app([path], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_article(pilot)
        await tag(pilot, "claim")
        [annotation] = reader.annotations
        assert annotation.tags == ["claim"]
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), what="the note editor")
        await pilot.press(*"first thoughts", "ctrl+s")
        await wait_until(pilot, lambda: reader.annotations and reader.annotations[0].note == "first thoughts")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), what="the note editor")
        app.screen.query_one(TextArea).text = "oops replaced"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: reader.annotations and reader.annotations[0].note == "oops replaced")
        await tag(pilot, "mistake")
        assert reader.annotations[0].tags == ["claim", "mistake"]

        await pilot.press("u")  # the tag added last goes
        await wait_until(pilot, lambda: reader.annotations[0].tags == ["claim"], what="the tag taken back")
        assert reader.annotations[0].note == "oops replaced"
        await pilot.press("u")  # the replaced note comes back
        await wait_until(pilot, lambda: reader.annotations[0].note == "first thoughts", what="the old note")
        await pilot.press("u", "u")  # the first note, then the new annotation itself
        await wait_until(pilot, lambda: not reader.annotations, what="the annotation gone")
        stored = app.store.for_article(reader.article.id)
        assert not stored
        await pilot.press("u")
        await pilot.pause()
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)
        assert not reader.annotations  # an undone creation does not come back as a "delete" to undo


async def test_u_still_undoes_a_delete_made_after_a_change(tmp_path, shared_analyzer):
    path = tmp_path / "talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    app = make_app([path], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_article(pilot)
        await tag(pilot, "claim")
        await pilot.press("d")
        await wait_until(pilot, lambda: not reader.annotations, what="deleted")
        await pilot.press("u")
        await wait_until(pilot, lambda: reader.annotations and reader.annotations[0].tags == ["claim"], what="restored")
