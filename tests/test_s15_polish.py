"""Rough edges found in real use, driven through the real UI (Pilot, invented texts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_app, wait_until
from textual.widgets import Footer

from tui.ui.screens.dialogs import TagDialog
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.reader import ReaderScreen

ARTICLES = {
    "harbour.txt": "Harbour board weighs the ferry timetable\n\nThe board met on Tuesday about the winter ferries.\n",
    "orchard.txt": "Orchards count the cost of a late frost\n\nGrowers say the cider harvest will be half of last year's.\n",
}


def write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def footer_shown(screen) -> bool:
    footer = screen.query_one(Footer)
    return footer.visible and footer.styles.visibility != "hidden"


async def test_the_footer_under_a_dialog_is_hidden_its_keys_are_not_the_dialogs(tmp_path):
    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        library = app.screen
        assert footer_shown(library)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        reader = app.screen
        assert footer_shown(reader)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog), what="tag dialog")
        await pilot.pause()
        assert not footer_shown(reader)  # "t Tag  n Note …" would not work in the dialog
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is reader, what="the reader again")
        await pilot.pause()
        assert footer_shown(reader)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.pause()
        assert not footer_shown(reader)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is reader, what="the reader again")
        await pilot.pause()
        assert footer_shown(reader)


@pytest.mark.parametrize("size", [(50, 15), (80, 24)])
async def test_the_dialogs_fit_a_short_terminal_question_box_and_hint_shown(tmp_path, size):
    """Under 22 rows the app has the class -short: the tag, note and export dialogs drop
    their padding and frames so nothing in them is scrolled out of sight, the hint included."""
    from textual.containers import Vertical

    from tui.ui.screens.dialogs import NoteDialog
    from tui.ui.screens.export_dialog import ExportDialog

    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        reader = app.screen
        assert app.has_class("-short") == (size[1] < 22)
        for key, kind in (("t", TagDialog), ("n", NoteDialog), ("x", ExportDialog)):
            await pilot.press(key)
            await wait_until(pilot, lambda kind=kind: isinstance(app.screen, kind), what=kind.__name__)
            await pilot.pause()
            dialog = app.screen
            frame = dialog.query_one(".dialog", Vertical)
            assert frame.max_scroll_y == 0, kind.__name__  # nothing scrolled out of the dialog
            assert frame.region.bottom <= size[1]
            hint = dialog.query(".dialog-hint").last()
            assert hint.region.height >= 1 and hint.region.bottom <= frame.region.bottom - 1, kind.__name__
            assert app.focused is not None and app.focused.region.height >= 1  # the box typed in shows
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is reader, what="the reader again")


async def test_t_and_n_say_when_they_make_a_new_annotation_beside_the_one_e_would_edit(tmp_path):
    """The cursor's sentence holds an annotated word: `t` and `n` annotate the sentence (a new
    annotation) and say which annotation `e` edits instead; on the sentence's own annotation,
    or where there is none, they say nothing of the kind."""
    from textual.widgets import Label

    from tui.core.annotations import Annotation
    from tui.core.articles import load_article
    from tui.ui.screens.dialogs import NoteDialog

    folder = write_articles(tmp_path / "articles")
    app = make_app([folder], tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        article = load_article(folder / "harbour.txt")
        board = article.text.index("board met")
        app.save_annotation(Annotation.for_passage(article, board, board + 5, kind="selection", tags=["port"]))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        reader = app.screen
        await wait_until(pilot, lambda: reader.reading.anchored, what="the annotation shown")

        def asides() -> list[str]:
            return [str(label.render()) for label in app.screen.query(".dialog-aside").results(Label)]

        for key, kind in (("t", TagDialog), ("n", NoteDialog)):
            await pilot.press(key)
            await wait_until(pilot, lambda kind=kind: isinstance(app.screen, kind), what=kind.__name__)
            (aside,) = asides()
            assert "A new annotation on this sentence" in aside and "e edits" in aside and "“board”" in aside
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is reader, what="the reader again")
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog), what="tag dialog")
        await pilot.press(*"ferry", "enter")
        await wait_until(pilot, lambda: app.screen is reader, what="the reader again")
        assert sorted((a.kind, a.text) for a in app.store.all()) == [
            ("selection", "board"),
            ("sentence", "The board met on Tuesday about the winter ferries."),
        ]
        await pilot.press("t")  # the sentence's own annotation now: nothing to point at
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog), what="tag dialog")
        assert asides() == []
        await pilot.press("escape")


def test_the_app_starts_without_importing_dialogs_the_note_editor_or_spacy():
    """Start-up stays near Textual's hello world: the dialogs (and with them TextArea and
    tree-sitter, ~20 ms) and spaCy are imported when first used, never by importing the app."""
    import subprocess
    import sys

    code = (
        "import sys, tui.ui.app; "
        "heavy = ('tui.ui.screens.dialogs', 'textual.widgets._text_area', 'tree_sitter', 'spacy'); "
        "bad = [m for m in heavy if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
