"""The export dialog: scopes (this article, the articles the library shows, all), remembered
format / scope / folder, a default folder that is not the current one, the full path shown."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import REPO, make_app, wait_until
from textual.widgets import Input, Label, Select

from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.ui.screens.export_dialog import ExportDialog
from tui.ui.screens.library import LibraryScreen


async def _library(pilot) -> LibraryScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
    return app.screen


def _annotate(app, path: Path, tag: str) -> None:
    article = load_article(path)
    app.save_annotation(Annotation.for_passage(article, 0, 10, tags=[tag]))


async def test_library_export_of_the_filtered_articles_and_remembered_choices(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    samples = REPO / "sample_articles"
    app = make_app([samples], tmp_path / "db.json")
    out = tmp_path / "out" / "shown.csv"
    out.parent.mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _library(pilot)

        def about_zimbabwe(entry):  # the filter matches titles and the articles' text
            return "zimbabwe" in (entry.title + Path(entry.path).read_text(encoding="utf-8")).lower()

        zimbabwe = [e for e in screen.entries if about_zimbabwe(e)]
        others = [e for e in screen.entries if not about_zimbabwe(e)]
        for entry in zimbabwe + others[:2]:
            _annotate(app, Path(entry.path), "t")
        await pilot.press("slash", *"zimbabwe", "enter")
        await wait_until(pilot, lambda: screen.corpus_ready, what="the texts the filter reads (loaded on `/`)")
        await pilot.pause()
        assert {e.path for e in screen.shown} == {e.path for e in zimbabwe}
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")
        dialog = app.screen
        assert dialog.query_one("#export-scope", Select).value == "shown"
        default = Path(dialog.query_one("#export-path", Input).value)
        assert default.parent != tmp_path  # never the current folder
        dialog.query_one("#export-format", Select).value = "json"
        dialog.query_one("#export-path", Input).value = str(out.with_suffix(".json"))
        await pilot.pause()
        assert str(out.with_suffix(".json")) in str(dialog.query_one("#export-full-path", Label).render())
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog), what="export written")
        exported = json.loads(out.with_suffix(".json").read_text())
        paths = {a["article"]["path"] for a in exported["annotations"]}
        assert paths == {e.path for e in zimbabwe}

        await pilot.press("x")  # the dialog remembers the format, the scope and the folder
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")
        dialog = app.screen
        assert dialog.query_one("#export-format", Select).value == "json"
        assert dialog.query_one("#export-scope", Select).value == "shown"
        assert Path(dialog.query_one("#export-path", Input).value).parent == out.parent
        await pilot.press("escape")


async def test_unfiltered_library_exports_everything(tmp_path):
    samples = REPO / "sample_articles"
    app = make_app([samples], tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        for entry in screen.entries[:3]:
            _annotate(app, Path(entry.path), "t")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")
        assert not app.screen.query("#export-scope")  # one scope only: all
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "all.json")
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / "all.json").exists(), what="export")
        assert len(json.loads((tmp_path / "all.json").read_text())["annotations"]) == 3


async def test_every_format_fits_one_line_of_its_list_at_80_columns(tmp_path, monkeypatch):
    from textual.widgets._select import SelectOverlay

    monkeypatch.chdir(tmp_path)
    app = make_app([REPO / "sample_articles"], tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="the export dialog")
        select = app.screen.query_one("#export-format", Select)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = select.query_one(SelectOverlay)
        assert overlay.option_count == 5
        assert all(overlay.get_option_at_index(i).prompt.cell_length <= overlay.content_region.width for i in range(5))


async def test_an_unwritable_or_empty_path_is_said_plainly(tmp_path):
    samples = REPO / "sample_articles"
    app = make_app([samples], tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _library(pilot)
        _annotate(app, Path(screen.entries[0].path), "t")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")
        box = app.screen.query_one("#export-path", Input)
        box.value = ""
        await pilot.press("enter")
        assert app._notifications and list(app._notifications)[-1].message == "Give the file to export to."
        box.value = "/proc/margin-export.json"  # a folder nobody may write in
        await pilot.press("enter")
        await wait_until(pilot, lambda: "cannot write" in list(app._notifications)[-1].message, what="the error")
        message = list(app._notifications)[-1].message
        assert "/proc/margin-export.json" in message and ".tmp" not in message
        assert isinstance(app.screen, ExportDialog)  # open, to fix the path


async def test_keys_typed_fast_after_tab_all_reach_the_path(tmp_path):
    """Tab lands on a Select; keys typed before the focus has moved to the path box all count
    (they used to replace each other: "abc" became "c"), and so does a pasted path."""
    from textual import events

    samples = REPO / "sample_articles"
    app = make_app([samples], tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await _library(pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")
        dialog = app.screen
        box = dialog.query_one("#export-path", Input)
        dialog.query_one("#export-format", Select).focus()
        await pilot.pause()
        for key in "abc":  # three keys in a row, before the focus moves (a key press each)
            dialog.post_message(events.Key(key, key))
        await wait_until(pilot, lambda: app.focused is box, what="the path box")
        await pilot.pause()
        assert box.value == "abc"
        dialog.query_one("#export-format", Select).focus()
        await pilot.pause()
        dialog.post_message(events.Key("d", "d"))  # a path typed by the user is added to, never replaced
        await wait_until(pilot, lambda: box.value == "abcd", what="the key added")
        box.value = dialog._proposed  # the dialog's own path again: a paste replaces it
        dialog.query_one("#export-format", Select).focus()
        await pilot.pause()
        dialog.post_message(events.Paste("/tmp/out/notes.json\n"))
        await wait_until(pilot, lambda: box.value == "/tmp/out/notes.json", what="the pasted path")
