"""Paths where typed text or annotations could be lost, or the app could stop: each one is held."""

from __future__ import annotations

import json

from helpers import SEED, make_app, open_article, wait_until
from textual.widgets import Input, OptionList, TextArea

from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.store import AnnotationStore, StoreError
from tui.ui.screens.dialogs import ConfirmDialog, NoteDialog, TagDialog
from tui.ui.screens.export_dialog import ExportDialog
from tui.ui.screens.library import LibraryScreen

SIZE = (120, 36)


async def test_enter_on_a_discard_question_keeps_the_note(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("n", *"precious words", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")  # the safe answer is the default
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        assert app.screen.query_one(TextArea).text == "precious words"


async def test_quitting_while_typing_a_note_asks_first(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("n", *"half a thought", "ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        assert app.is_running
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert AnnotationStore.open(tmp_path / "db.json").all()[0].note == "half a thought"


async def test_quit_right_after_saving_a_note_keeps_it_and_keys_not_taken_in_yet_still_ask(tmp_path, shared_analyzer):
    from textual import events

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        dialog, area = app.screen, app.screen.query_one(TextArea)
        for character in "late":  # keys still in the editor's queue when ctrl+q runs (a busy app)
            area.post_message(events.Key(character, character))
        await app.action_quit()
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("n")  # keep editing
        await wait_until(pilot, lambda: app.screen is dialog)
        assert area.text == "late"
        dialog.action_save()  # ctrl+s, then at once ctrl+q
        await app.action_quit()
        await wait_until(pilot, lambda: not app.is_running, what="the app to quit")
    [saved] = AnnotationStore.open(tmp_path / "db.json").all()
    assert saved.note == "late"


async def test_unsaved_annotations_are_written_to_a_recovery_file_on_quit(tmp_path, shared_analyzer, monkeypatch):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)

        def disk_full(annotation):
            raise StoreError("cannot save to the annotations database: the disk is full")

        monkeypatch.setattr(app.store, "update", disk_full)
        await pilot.press("1")
        await pilot.pause()
        assert len(app.unsaved) == 1 and len(reader.annotations) == 1  # still shown, kept in memory
        await pilot.press("q")
        await pilot.pause()
    recovery = list((tmp_path / "data").glob("unsaved-annotations-*.json"))
    assert len(recovery) == 1
    [record] = json.loads(recovery[0].read_text(encoding="utf-8"))["annotations"]
    assert record["tags"] == [app.palette()[0]]
    # the toast went with the screen: the terminal is told where they are, and the status says so
    assert any(f"margin import {recovery[0]}" in line for line in app.farewell)  # printed by MarginApp.run
    assert app.return_code == 1


async def test_saving_an_unchanged_edit_keeps_tags_and_note_byte_for_byte(tmp_path, shared_analyzer):
    db = tmp_path / "db.json"
    article = load_article(SEED)
    start = article.text.index("The State Department has several")
    store = AnnotationStore.open(db, explicit=True)
    original = Annotation.for_passage(article, start, start + 20, tags=["t\x1bz"], note="  col1\tcol2\n\n  indented\x07  ")
    store.add(original)
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("a", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        assert app.screen.query_one(Input).value == "t␛z, "  # shown safely
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press("ctrl+s")
        await pilot.pause()
    [stored] = AnnotationStore.open(db, explicit=True).all()
    assert (stored.tags, stored.note) == (original.tags, original.note)


async def test_delete_acts_on_the_highlighted_row_and_undo_works_after_leaving(tmp_path, shared_analyzer):
    db = tmp_path / "db.json"
    article = load_article(SEED)
    store = AnnotationStore.open(db, explicit=True)
    late = article.text.index("Trump has been alleging")
    keep = Annotation.for_passage(article, 200, 220, tags=["keep"])
    gone = Annotation.for_passage(article, late, late + 30, tags=["gone"])
    store.add(keep)
    store.add(gone)
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("a")
        panel = reader.query_one("#annotation-list", OptionList)
        panel.highlighted = next(i for i in range(panel.option_count) if panel.get_option_at_index(i).id == gone.id)
        await pilot.press("d")
        await pilot.pause()
        assert [a.id for a in reader.annotations] == [keep.id]
        await pilot.press("escape", "escape")  # leave the article
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        reader = await open_article(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert sorted(a.id for a in reader.annotations) == sorted([keep.id, gone.id])


async def test_after_deleting_a_row_the_next_row_is_highlighted_and_a_second_d_deletes_that_one(tmp_path, shared_analyzer):
    db = tmp_path / "db.json"
    article = load_article(SEED)
    store = AnnotationStore.open(db, explicit=True)
    starts = [article.text.index(words) for words in ("The State Department has", "Biden has independently", "Trump has been")]
    first, middle, last = (Annotation.for_passage(article, s, s + 20, tags=[f"t{n}"]) for n, s in enumerate(starts))
    for annotation in (first, middle, last):
        store.add(annotation)
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)  # the cursor is on the first annotated sentence
        await pilot.press("a")
        panel = reader.query_one("#annotation-list", OptionList)
        panel.highlighted = next(i for i in range(panel.option_count) if panel.get_option_at_index(i).id == middle.id)
        await pilot.press("d")
        await pilot.pause()
        assert [a.id for a in reader.annotations] == [first.id, last.id]
        assert panel.get_option_at_index(panel.highlighted).id == last.id  # the row now in its place, not the top
        await pilot.press("d")
        await pilot.pause()
        assert [a.id for a in reader.annotations] == [first.id]  # never the one under the text cursor


async def test_a_change_from_another_process_under_a_dialog_is_not_overwritten(tmp_path, shared_analyzer):
    db = tmp_path / "db.json"
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("1")
        await pilot.pause()
        [mine] = reader.annotations
        await pilot.press("question_mark")  # a dialog is open while the other process writes
        other = AnnotationStore.open(db, explicit=True)
        theirs = other.get(mine.id)
        theirs.note = "NOTE FROM OTHER PROCESS"
        other.update(theirs)
        await pilot.pause(2.5)
        await pilot.press("escape", "2")
        await pilot.pause()
    [stored] = AnnotationStore.open(db, explicit=True).all()
    assert stored.note == "NOTE FROM OTHER PROCESS"
    assert len(stored.tags) == 2


async def test_export_dialog_survives_odd_paths(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        box = app.screen.query_one("#export-path", Input)
        for odd in ["", "/", "~nosuchuser/x.json", "/tmp/" + "a" * 300 + ".json", str(tmp_path)]:
            box.value = odd
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExportDialog) and app.is_running
        box.value = ""
        app.screen.query_one("#export-format").value = "csv"  # changing the format with no file name
        await pilot.pause()
        assert app.is_running


async def test_paragraph_keys_on_indented_paragraphs_and_blank_lines(tmp_path, shared_analyzer):
    path = tmp_path / "indented.txt"
    path.write_text("Title line\n\n  First para one. First para two.\n \n\t\n  Second para here.\n", encoding="utf-8")
    app = make_app([path], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        text = reader.article.text
        await pilot.press("g", "J")
        assert text[reader.units[reader.unit_index][0] :].startswith("First para one.")
        await pilot.press("J")
        assert text[reader.units[reader.unit_index][0] :].startswith("Second para here.")
        await pilot.press("K")
        assert text[reader.units[reader.unit_index][0] :].startswith("First para one.")


async def test_narrow_terminal_shows_the_text_not_the_panel(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(60, 20)) as pilot:
        reader = await open_article(pilot)
        side = reader.query_one("#side")
        assert side.display is False and reader.view.size.width >= 50
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert side.display is True
        await pilot.press("p")  # the user's choice wins from then on
        await pilot.resize_terminal(130, 30)
        await pilot.pause()
        assert side.display is False


async def test_export_dialog_shows_a_markup_looking_title_literally(tmp_path, shared_analyzer):
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: 'Budget cuts [/] and [bold]more [@click=app.quit]x[/]'\n---\nBody text here.\n", encoding="utf-8"
    )
    app = make_app([path], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        await pilot.pause()
        scope = app.screen.query_one("#export-scope")
        assert "[/] and [bold]more" in str(scope._options[0][0])  # the prompt is plain text, not markup
        assert app.is_running


async def test_quitting_from_the_note_guard_still_keeps_unsaved_annotations(tmp_path, shared_analyzer, monkeypatch):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)

        def disk_full(annotation):
            raise StoreError("the disk is full")

        monkeypatch.setattr(app.store, "update", disk_full)
        await pilot.press("1", "n", *"hi", "ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("ctrl+q")  # a second quit while the question is open does not skip it
        assert app.is_running and isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    assert len(list((tmp_path / "data").glob("unsaved-annotations-*.json"))) == 1


async def test_a_selection_stays_put_when_the_theme_changes(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("G", "v", "b")
        before = reader.selection
        app.theme = "catppuccin-latte"
        await pilot.pause()
        assert reader.selection == before


def test_the_crash_log_of_a_worker_failure_holds_the_workers_own_traceback(tmp_path, monkeypatch):
    """A background task's crash reaches the app as WorkerFailed: its log must show where the
    task itself failed, not only the one line of the wrapper."""
    from textual.worker import WorkerFailed

    from tui.ui.app import write_crash_log

    monkeypatch.setenv("MARGIN_CACHE_DIR", str(tmp_path / "cache"))

    def index_the_library():
        raise TypeError("str is not valid UTF-8")

    try:
        index_the_library()
    except TypeError as exc:
        failure = WorkerFailed(exc)
    log = write_crash_log(failure)
    assert log is not None
    text = log.read_text(encoding="utf-8")
    assert "in index_the_library" in text and "TypeError: str is not valid UTF-8" in text


async def test_a_recovery_file_is_recalled_at_each_start_until_it_is_imported(tmp_path, shared_analyzer, monkeypatch):
    from tui.cli import main
    from tui.core.paths import data_dir
    from tui.ui.screens.library import LibraryScreen

    data_dir().mkdir(parents=True, exist_ok=True)
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        monkeypatch.setattr(app.store, "update", lambda annotation: (_ for _ in ()).throw(StoreError("disk full")))
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    [recovery] = list(data_dir().glob("unsaved-annotations-*.json"))  # (the next app has a store of its own)

    def reminders(app) -> list[str]:
        return [n.message for n in app._notifications if "wait to be restored" in n.message]

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await wait_until(pilot, lambda: reminders(app), what="the reminder")
        assert f"margin import {recovery}" in reminders(app)[0]
    assert main(["import", str(recovery), "--db", str(tmp_path / "db.json")]) == 0
    assert not recovery.exists() and recovery.with_name(recovery.name + ".imported").exists()  # kept, done
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.pause(0.3)
        assert reminders(app) == []
