"""Rough edges of the dialogs found in real use, driven through the real UI (Pilot, invented
texts): the export dialog writes with ctrl+s from anywhere (Enter on a dropdown opens it, as its
hint now says) and says, then asks, when the file name does not fit the format; the note editor
names undo, redo and select-all; the tag dialog counts the known tags it leaves out; the library's
ctrl+f replaces the filter words when typing; no toast covers the help's last lines."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import make_app, open_article, wait_until
from textual.css.query import NoMatches
from textual.widgets import Input, Label, Select, TextArea
from textual.widgets._toast import Toast, ToastRack

from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.ui.screens.dialogs import ConfirmDialog, NoteDialog, TagDialog
from tui.ui.screens.export_dialog import ExportDialog
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.library_search import LibrarySearchScreen

ARTICLES = {
    "harbour.txt": "Harbour board weighs the ferry timetable\n\nThe board met on Tuesday about the winter ferries.\n",
    "orchard.txt": "Orchards count the cost of a late frost\n\nGrowers say the cider harvest will be half of last year's.\n",
    "mill.txt": "A press reopens in the old mill\n\nThe mill by the river will press cider again from September.\n",
}


def write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


async def _library(pilot) -> LibraryScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
    return app.screen


async def _export_dialog(pilot, folder: Path) -> ExportDialog:
    app = pilot.app
    await _library(pilot)
    app.save_annotation(Annotation.for_passage(load_article(folder / "harbour.txt"), 0, 7, tags=["ferry"]))
    await pilot.press("x")
    await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")
    await pilot.pause()
    return app.screen


def _text(label: Label) -> str:
    return str(label.render())


# 1. The export dialog ---------------------------------------------------------------------------


async def test_export_ctrl_s_writes_from_a_dropdown_where_enter_opens_it(tmp_path):
    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    target = tmp_path / "out" / "harbour.json"
    target.parent.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _export_dialog(pilot, folder)
        hints = [_text(label) for label in dialog.query(".dialog-hint")]
        assert any("Enter in the path" in hint and "ctrl+s" in hint for hint in hints), hints
        await pilot.press(*str(target))  # typed over the path proposed
        assert dialog.query_one("#export-path", Input).value == str(target)
        await pilot.press("shift+tab")  # to the format's dropdown
        fmt = dialog.query_one("#export-format", Select)
        assert app.focused is fmt
        await pilot.press("enter")  # Enter on a dropdown opens it (the hint says "in the path")
        await wait_until(pilot, lambda: fmt.expanded, what="the dropdown open")
        await pilot.press("enter")  # keeps json, closes it
        await wait_until(pilot, lambda: not fmt.expanded, what="the dropdown closed")
        assert not target.exists()
        await pilot.press("ctrl+s")  # writes from there
        await wait_until(pilot, lambda: target.exists(), what="the export")
        assert not isinstance(app.screen, ExportDialog)
    assert [a["tags"] for a in json.loads(target.read_text(encoding="utf-8"))["annotations"]] == [["ferry"]]


async def test_export_a_name_that_does_not_fit_the_format_is_said_then_asked_about(tmp_path):
    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    target = tmp_path / "ui.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _export_dialog(pilot, folder)
        assert dialog.query_one("#export-format", Select).value == "json"
        await pilot.press(*str(target))
        await pilot.pause()
        warning = dialog.query_one("#export-warning", Label)
        assert warning.display and ".csv" in _text(warning) and "json" in _text(warning)
        assert warning.region.bottom <= dialog.query_one(".dialog").region.bottom  # on screen at 80x24
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert "ui.csv" in app.screen.question and "json" in app.screen.question
        await pilot.press("n")  # no: nothing written, the dialog open to fix the name
        await wait_until(pilot, lambda: app.screen is dialog, what="back to the dialog")
        assert not target.exists()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question again")
        await pilot.press("y")  # yes: json it is, in ui.csv
        await wait_until(pilot, lambda: target.exists(), what="the export")
    assert json.loads(target.read_text(encoding="utf-8"))["annotations"]


async def test_export_the_warning_goes_when_the_format_fits_the_name(tmp_path):
    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    target = tmp_path / "ui.md"
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _export_dialog(pilot, folder)
        await pilot.press(*str(target))
        await pilot.pause()
        warning = dialog.query_one("#export-warning", Label)
        assert warning.display
        await pilot.press("shift+tab", "enter", "down", "down", "down", "enter")  # json → markdown
        fmt = dialog.query_one("#export-format", Select)
        await wait_until(pilot, lambda: fmt.value == "markdown", what="markdown chosen")
        await pilot.pause()
        assert not warning.display
        await pilot.press("ctrl+s")  # no question: written at once
        await wait_until(pilot, lambda: target.exists(), what="the export")
        assert "Harbour" in target.read_text(encoding="utf-8")


# 2. The note editor ------------------------------------------------------------------------------


async def test_the_note_editor_names_undo_redo_and_select_all_on_one_line_at_80_columns(tmp_path, shared_analyzer):
    folder = write_articles(tmp_path / "articles")
    app = make_app([folder / "mill.txt"], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), what="note editor")
        dialog = app.screen
        await pilot.pause()
        hint = dialog.query(".dialog-hint").last(Label)
        text = _text(hint)
        assert "ctrl+z undo" in text and "ctrl+y redo" in text and "F7 select all" in text and "ctrl+s save" in text
        assert hint.region.height == 1 and hint.region.right <= 80  # one line, whole
        # and what it says is true
        await pilot.press(*"Pressed in September")
        area = dialog.query_one(TextArea)
        await pilot.press("ctrl+z")
        assert area.text == ""
        await pilot.press("ctrl+y")
        assert area.text == "Pressed in September"
        await pilot.press("f7", *"Cider")  # select all, typed over
        assert area.text == "Cider"


# 3. The tag dialog -------------------------------------------------------------------------------

MANY_TAGS = [f"tag{n:02d}" for n in range(12)] + ["עברית", "🇺🇸 flag"]


async def test_the_known_tags_left_out_of_the_hint_are_counted_and_complete(tmp_path, shared_analyzer):
    folder = write_articles(tmp_path / "articles")
    app = make_app([folder / "mill.txt"], tmp_path / "db.json", shared_analyzer)
    app.store.add(Annotation.for_passage(load_article(folder / "harbour.txt"), 0, 7, tags=MANY_TAGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog), what="tag dialog")
        dialog = app.screen
        await pilot.pause()
        hint = _text(dialog.query(".dialog-hint").last(Label))
        named = hint.split("…")[0]
        assert "עברית" not in named and "🇺🇸" not in named  # beyond the tags named…
        hidden = len(app.known_tags()) - named.count(",") - 1
        assert f"… and {hidden} more: Tab completes" in hint  # …but counted, never silently cut
        assert dialog.query(".dialog-hint").last(Label).region.height <= 2
        await pilot.press("ע", "ב")
        await pilot.pause(0.3)  # the completion is looked for in the background
        await pilot.press("tab")
        box = dialog.query_one("#tag-input", Input)
        await wait_until(pilot, lambda: box.value == "עברית", what="completed")


# 4. The library's ctrl+f -------------------------------------------------------------------------


async def test_ctrl_f_offers_the_filter_words_selected_and_typing_replaces_them(tmp_path):
    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        await pilot.press("slash", *"cider", "enter")
        await wait_until(pilot, lambda: len(screen.shown) == 2, what="the two cider articles")
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen), what="library search")
        search = app.screen
        box = search.query_one("#lib-search-input", Input)
        assert box.value == "cider" and box.selected_text == "cider"
        await pilot.press(*"frost")
        assert box.value == "frost"  # replaced, not "ciderfrost"
        await wait_until(pilot, lambda: search.hits_query == "frost", what="the hits of frost")
        assert [Path(h.entry.path).name for h in search.hits] == ["orchard.txt"]
        await pilot.press("escape", "ctrl+f", "right", *" harvest")  # → keeps the words and edits them
        await wait_until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen), what="library search")
        assert app.screen.query_one("#lib-search-input", Input).value == "cider harvest"


# 5. The help window ------------------------------------------------------------------------------


def _toasts(screen) -> list[Toast]:
    try:
        rack = screen.get_child_by_type(ToastRack)
    except NoMatches:
        return []
    return list(rack.query(Toast)) if rack.display else []


async def test_no_toast_covers_the_last_lines_of_the_help(tmp_path):
    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _library(pilot)
        app.notify("Harbour board fetched: 3 new articles about the winter ferries and the cider harvest.", timeout=30)
        await wait_until(pilot, lambda: _toasts(app.screen), what="the toast")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.press("G")  # the end of the help
        await pilot.pause(0.3)
        help_screen = app.screen
        last = help_screen.query(".help-row").last()
        dialog = help_screen.query_one("#help-dialog")
        assert last.region.height and dialog.region.contains_region(last.region)  # in view
        assert not [t for t in _toasts(help_screen) if t.region.overlaps(dialog.region)]
        app.notify("Arrived while the help is open", timeout=30)  # a new message still shows
        await wait_until(pilot, lambda: _toasts(help_screen), what="the new toast")
