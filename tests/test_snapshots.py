"""SVG snapshots of the main views (pytest-textual-snapshot). Update with `./dev test --snapshot-update`
after an intended visual change, and look at the SVGs in tests/__snapshots__/ before committing."""

from __future__ import annotations

import pytest
from helpers import SEED, SEED_QUOTE, make_app, open_article, wait_until

from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.store import AnnotationStore
from tui.ui.screens.dialogs import NoteDialog, TagDialog
from tui.ui.screens.help import HelpScreen

SIZE = (120, 36)


@pytest.fixture
def seed_app(tmp_path, shared_analyzer):
    db = tmp_path / "annotations.json"
    store = AnnotationStore.open(db, explicit=True)
    article = load_article(SEED)
    start = article.text.index("Trump has been alleging")
    store.add(Annotation.for_passage(article, start, start + 120, tags=["claim", "fraud"], note="No evidence given."))
    shared_analyzer.analyze(article.text)  # cached, whatever ran before: the library shows its quote count
    return make_app([SEED], db, shared_analyzer)


async def go_to_pompeo_quote(pilot):
    reader = await open_article(pilot)
    text = reader.article.text
    while text[reader.current_target().start : reader.current_target().end] != SEED_QUOTE:
        await pilot.press("j")
    return reader


def test_library(snap_compare, seed_app):
    async def ready(pilot):
        screen = pilot.app.screen
        await wait_until(pilot, lambda: getattr(screen, "loaded", False) and getattr(screen, "model", None), what="library")

    assert snap_compare(seed_app, terminal_size=SIZE, run_before=ready)


def test_reader_with_entities_quotes_and_annotations(snap_compare, seed_app):
    assert snap_compare(seed_app, terminal_size=SIZE, run_before=go_to_pompeo_quote)


def test_tag_input_with_completion(snap_compare, seed_app):
    async def tagging(pilot):
        await go_to_pompeo_quote(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TagDialog))
        await pilot.press(*"fr")
        await pilot.pause(0.2)

    assert snap_compare(seed_app, terminal_size=SIZE, run_before=tagging)


def test_note_editor(snap_compare, seed_app):
    async def noting(pilot):
        await go_to_pompeo_quote(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, NoteDialog))
        await pilot.press(*"Said on Tuesday,", "enter", *"before the electors met.")

    assert snap_compare(seed_app, terminal_size=SIZE, run_before=noting)


def test_help_screen(snap_compare, seed_app):
    async def helping(pilot):
        await open_article(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))

    assert snap_compare(seed_app, terminal_size=(120, 60), run_before=helping)


def test_who_said_what_panel(snap_compare, seed_app):
    async def panel(pilot):
        await open_article(pilot)
        await pilot.press("s")

    assert snap_compare(seed_app, terminal_size=SIZE, run_before=panel)


def test_reader_with_a_corrected_speaker(snap_compare, seed_app):
    """The reader after `c` named the Pompeo quote's speaker: ✓ in the Who-said panel and the status line."""

    async def corrected(pilot):
        from tui.ui.screens.speaker_dialog import SpeakerDialog

        reader = await go_to_pompeo_quote(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SpeakerDialog))
        await pilot.press(*"Jane Roe", "enter")
        await wait_until(pilot, lambda: pilot.app.screen is reader)
        await pilot.press("s")
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(seed_app, terminal_size=SIZE, run_before=corrected)


def test_speaker_dialog_fits_80_columns(snap_compare, seed_app):
    async def dialog(pilot):
        from tui.ui.screens.speaker_dialog import SpeakerDialog

        await go_to_pompeo_quote(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SpeakerDialog))
        await pilot.pause()

    assert snap_compare(seed_app, terminal_size=(80, 24), run_before=dialog)
