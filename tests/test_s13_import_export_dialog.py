"""The export dialog (`x`) never writes an empty export: a scope with no annotations is said in
words and the dialog stays open for another; a filtered library proposes the articles shown,
whatever scope was remembered. Driven through the real UI (Pilot)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from helpers import make_app, open_article, wait_until
from textual.widgets import Input, Select

from tui.core import settings
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.ui.screens.export_dialog import ExportDialog
from tui.ui.screens.library import LibraryScreen

# Invented articles: two mention cider (the filter shows them), one does not and is annotated.
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


async def _filtered_library(pilot, word: str) -> LibraryScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
    screen = app.screen
    await pilot.press("slash", *word, "enter")
    await wait_until(pilot, lambda: screen.corpus_ready, what="the texts the filter reads")
    await wait_until(pilot, lambda: len(screen.shown) == 2, what="the two cider articles")
    return screen


async def _export_dialog_over_cider(pilot) -> ExportDialog:
    """The library filtered on "cider" (its two articles shown), then `x`: the export dialog."""
    await _filtered_library(pilot, "cider")
    await pilot.press("x")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportDialog), what="export dialog")
    return pilot.app.screen


def _last_message(app) -> str:
    return str(list(app._notifications)[-1].message) if app._notifications else ""


async def test_an_empty_shown_scope_writes_nothing_and_says_so(tmp_path):
    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    out = tmp_path / "out" / "cider.csv"
    out.parent.mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        app.save_annotation(Annotation.for_passage(load_article(folder / "harbour.txt"), 0, 7, tags=["ferry"]))
        dialog = await _export_dialog_over_cider(pilot)
        assert dialog.query_one("#export-scope", Select).value == "shown"
        dialog.query_one("#export-format", Select).value = "csv"
        dialog.query_one("#export-path", Input).value = str(out)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Nothing to export" in _last_message(app) or out.exists(), what="an answer")
        assert not out.exists()  # no header-only file
        assert "the 2 article(s) shown have no annotations" in _last_message(app)
        assert "choose another scope" in _last_message(app)
        assert app.screen is dialog  # still open: another scope can be chosen

        # shift+tab to the scope, pick "All annotations" by keys, back to the path, Enter.
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is dialog.query_one("#export-scope", Select)
        await pilot.press("enter", "down", "enter")
        await wait_until(pilot, lambda: dialog.query_one("#export-scope", Select).value == "all", what="all chosen")
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: out.exists(), what="the export")
        assert not isinstance(app.screen, ExportDialog)
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert [(r["Highlight"], r["Tags"]) for r in rows] == [("Harbour", "ferry")]  # the one there is


async def test_a_filtered_library_proposes_the_articles_shown_over_a_remembered_all(tmp_path):
    folder = write_articles(tmp_path / "articles")
    settings.save_setting("export_scope", "all")  # exported everything last time
    app = make_app([folder], tmp_path / "db.json")
    target = tmp_path / "shown.json"
    async with app.run_test(size=(120, 40)) as pilot:
        for name in ARTICLES:
            app.save_annotation(Annotation.for_passage(load_article(folder / name), 0, 9, tags=["t"]))
        dialog = await _export_dialog_over_cider(pilot)
        assert dialog.query_one("#export-scope", Select).value == "shown"
        dialog.query_one("#export-format", Select).value = "json"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: target.exists(), what="the export")
    paths = {Path(a["article"]["path"]).name for a in json.loads(target.read_text())["annotations"]}
    assert paths == {"orchard.txt", "mill.txt"}


async def test_the_reader_still_remembers_the_scope_and_refuses_an_empty_article(tmp_path, shared_analyzer):
    folder = write_articles(tmp_path / "articles")
    settings.save_setting("export_scope", "all")
    app = make_app([folder / "orchard.txt"], tmp_path / "db.json", shared_analyzer)
    target = tmp_path / "this.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")
        dialog = app.screen
        assert dialog.query_one("#export-scope", Select).value == "all"  # remembered: no filter here
        dialog.query_one("#export-scope", Select).value = "article"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Nothing to export" in _last_message(app) or target.exists(), what="an answer")
        assert "this article has no annotations" in _last_message(app)
        assert not target.exists() and app.screen is dialog


async def test_an_existing_file_is_asked_about_only_when_there_is_something_to_write(tmp_path):
    from tui.ui.screens.dialogs import ConfirmDialog

    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    out = tmp_path / "cider.csv"
    out.write_text("keep me", encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        app.save_annotation(Annotation.for_passage(load_article(folder / "harbour.txt"), 0, 7, tags=["ferry"]))
        dialog = await _export_dialog_over_cider(pilot)
        dialog.query_one("#export-format", Select).value = "csv"
        dialog.query_one("#export-path", Input).value = str(out)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Nothing to export" in _last_message(app), what="nothing to export")
        assert app.screen is dialog and out.read_text(encoding="utf-8") == "keep me"  # no pointless question
        dialog.query_one("#export-scope", Select).value = "all"
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the overwrite question")
        await pilot.press("y")
        await wait_until(pilot, lambda: out.read_text(encoding="utf-8") != "keep me", what="the export")
        assert "ferry" in out.read_text(encoding="utf-8")
