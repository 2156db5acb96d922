"""Every key path of the reader, pressed through the real UI (Pilot)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from helpers import SEED, SHOWN_KEYS, make_app, open_article, wait_until
from textual.widgets import Input, OptionList, TextArea

from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.store import AnnotationStore
from tui.ui.screens.dialogs import ConfirmDialog, NoteDialog, TagDialog
from tui.ui.screens.export_dialog import ExportDialog
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.reader import PanelList, ReaderScreen

SIZE = (120, 40)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "annotations.json"


def unit_text(reader: ReaderScreen) -> str:
    start, end = reader.units[reader.unit_index]
    return reader.article.text[start:end]


async def test_sentence_paragraph_and_edge_moves(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        assert unit_text(reader).startswith("The State Department has several messages")
        await pilot.press("j")
        assert unit_text(reader).startswith("State Department officials told CNN")
        await pilot.press("k")
        assert unit_text(reader).startswith("The State Department has several messages")
        await pilot.press("J")
        assert unit_text(reader).startswith("State Department officials")
        await pilot.press("J")
        assert unit_text(reader).startswith("Biden has independently")
        await pilot.press("K")
        assert unit_text(reader).startswith("State Department officials")
        await pilot.press("G")
        assert reader.unit_index == len(reader.units) - 1
        assert reader.view.progress() == 1.0
        await pilot.press("g")
        assert reader.unit_index == 0
        assert reader.view.scroll_y == 0


async def test_page_down_moves_view_and_cursor(tmp_path, db, shared_analyzer):
    long_text = "A title line\n\n" + "\n\n".join(f"Paragraph {i} says something short. It ends here." for i in range(200))
    path = tmp_path / "long.txt"
    path.write_text(long_text, encoding="utf-8")
    app = make_app([path], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        before = reader.unit_index
        await pilot.press("pagedown")
        assert reader.view.scroll_y > 0
        assert reader.unit_index > before
        first_visible = reader.view.lines[int(reader.view.scroll_y)][0]
        assert reader.units[reader.unit_index][0] >= first_visible
        await pilot.press("pageup")
        assert reader.view.scroll_y == 0


async def test_selection_by_sentence_and_word_then_tag(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        first = reader.units[reader.unit_index]
        await pilot.press("v", "j")
        second = reader.units[reader.unit_index]
        assert reader.selection == (first[0], second[1])
        await pilot.press("escape")
        assert reader.selection is None
        await pilot.press("v", "w", "w")
        text = reader.article.text
        start, end = reader.selection
        assert end > reader.units[reader.unit_index][1]  # extended past the sentence by words
        await pilot.press("b")
        assert reader.selection[1] < end
        start, end = reader.selection
        await pilot.press("t", *"span", "enter")
        await pilot.pause()
        [annotation] = reader.annotations
        assert (annotation.start, annotation.end, annotation.kind) == (start, end, "selection")
        assert annotation.text == text[start:end]
        assert reader.selection is None  # cleared after annotating


async def test_tag_input_completes_known_tags(db, shared_analyzer):
    store = AnnotationStore.open(db, explicit=True)
    article = load_article(SEED)
    store.add(Annotation.for_passage(article, 0, 5, tags=["evidence-weak"]))
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        await pilot.press(*"evi")
        box = app.screen.query_one(Input)
        await wait_until(pilot, lambda: box._suggestion == "evidence-weak", what="suggestion")
        await pilot.press("tab")
        assert box.value == "evidence-weak"
        await pilot.press(*", second", "enter")
        await pilot.pause()
        tagged = [a for a in reader.annotations if a.start != 0]
        assert tagged[0].tags == ["evidence-weak", "second"]


async def test_tagging_a_tagged_passage_adds_tags(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("1", "t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        await pilot.press(*"evidence", "enter")
        await pilot.pause()
        [annotation] = reader.annotations
        assert annotation.tags == [app.palette()[0], "evidence"]


async def test_quick_tags_from_palette(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        palette = app.palette()
        await pilot.press("1", "3")
        await pilot.pause()
        [annotation] = reader.annotations
        assert annotation.tags == [palette[0], palette[2]]
        # the palette can be edited from the app and is saved in the config file
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        box = app.screen.query_one(Input)
        box.value = "alpha, beta"
        await pilot.press("enter")
        await pilot.pause()
        assert app.palette() == ["alpha", "beta"]
        await pilot.press("j", "2")
        await pilot.pause()
        assert any(a.tags == ["beta"] for a in reader.annotations)
    from tui.core.settings import load_palette

    assert load_palette() == ["alpha", "beta"]


async def test_an_emptied_quick_tag_palette_says_it_is_the_default_again(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        default = app.palette()
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert app.palette() == default
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("An empty palette is the default one.") for m in messages)


async def test_note_save_and_cancel_with_confirmation(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*"first line", "enter", *"second line", "ctrl+s")
        await pilot.pause()
        [annotation] = reader.annotations
        assert annotation.note == "first line\nsecond line"
        # editing and cancelling asks before throwing the change away
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*" more")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(TextArea).text.endswith(" more")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")  # discard
        await wait_until(pilot, lambda: app.screen is reader)
        assert reader.annotations[0].note == "first line\nsecond line"
    assert AnnotationStore.open(db).all()[0].note == "first line\nsecond line"


async def test_edit_delete_and_undo(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("1")
        await pilot.pause()
        [annotation] = reader.annotations
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        assert app.screen.query_one(Input).value == annotation.tags[0] + ", "  # typing adds, never replaces
        app.screen.query_one(Input).value = "edited"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*"a note", "ctrl+s")
        await pilot.pause()
        [edited] = reader.annotations
        assert (edited.id, edited.tags, edited.note) == (annotation.id, ["edited"], "a note")
        await pilot.press("d")
        await pilot.pause()
        assert reader.annotations == []
        assert AnnotationStore.open(db).all() == []
        await pilot.press("u")
        await pilot.pause()
        [restored] = reader.annotations
        assert (restored.id, restored.tags, restored.note) == (annotation.id, ["edited"], "a note")
        assert [a.id for a in AnnotationStore.open(db).all()] == [annotation.id]


async def test_taking_away_every_tag_and_the_note_deletes_the_annotation(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("1")
        await pilot.pause()
        [annotation] = reader.annotations
        await pilot.press("e")  # every tag cleared, then the note editor saved empty
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        assert AnnotationStore.open(db).all() != []  # nothing decided before the note is
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is reader)
        await pilot.pause()
        assert reader.annotations == [] and AnnotationStore.open(db).all() == []
        await pilot.press("u")
        await pilot.pause()
        [restored] = reader.annotations
        assert (restored.id, restored.tags) == (annotation.id, annotation.tags)
        await pilot.press("e")  # cleared again, but a note written: kept, with the note only
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*"why", "ctrl+s")
        await wait_until(pilot, lambda: app.screen is reader)
        await pilot.pause()
        [kept] = AnnotationStore.open(db).all()
        assert (kept.id, kept.tags, kept.note) == (annotation.id, [], "why")
        await pilot.press("n")  # the note emptied in the note editor: gone too
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        app.screen.query_one(TextArea).text = ""
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is reader)
        await pilot.pause()
        assert reader.annotations == [] and AnnotationStore.open(db).all() == []


async def test_an_annotation_emptied_when_the_database_cannot_be_written_stays(db, shared_analyzer, monkeypatch):
    from tui.core.storage.errors import StoreError

    def failing(*_args, **_kwargs):
        raise StoreError("the disk is full")

    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("1")
        await pilot.pause()
        [annotation] = reader.annotations
        await pilot.press("e")  # every tag cleared and no note: deleting it fails
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        monkeypatch.setattr(app.session.store, "transaction", failing)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is reader)
        await pilot.pause()
        monkeypatch.undo()
        assert [a.tags for a in reader.annotations] == [annotation.tags]  # shown as it still is
        assert any("Could not delete" in n.message for n in app._notifications)
        assert [a.tags for a in AnnotationStore.open(db).all()] == [annotation.tags]
        assert app.session.unsaved == {}


async def test_ctrl_s_saves_every_key_typed_before_it_even_those_not_taken_in_yet(db, shared_analyzer):
    from textual import events

    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        dialog, area = app.screen, app.screen.query_one(TextArea)
        for character in "typed fast":  # still in the editor's queue (a busy app) ...
            area.post_message(events.Key(character if character != " " else "space", character))
        dialog.action_save()  # ... when ctrl+s, a priority binding, runs
        await wait_until(pilot, lambda: app.screen is reader)
        await pilot.pause()
        assert [a.note for a in reader.annotations] == ["typed fast"]


async def test_e_on_a_note_without_tags_goes_on_to_the_note(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*"first", "ctrl+s")
        await wait_until(pilot, lambda: app.screen is reader)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        await pilot.press("enter")  # no tag, none typed: the note is next
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*" and second", "ctrl+s")
        await wait_until(pilot, lambda: app.screen is reader)
        await pilot.pause()
        assert [(a.tags, a.note) for a in reader.annotations] == [([], "first and second")]


async def test_nested_annotations_are_allowed(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        sentence = reader.units[reader.unit_index]
        await pilot.press("1")  # the whole sentence
        await pilot.press("v", "b", "b")  # the same sentence less its last two words
        inner_span = reader.selection
        await pilot.press("t", *"inner", "enter")
        await pilot.pause()
        assert len(reader.annotations) == 2
        outer, inner = sorted(reader.annotations, key=lambda a: a.end - a.start, reverse=True)
        assert (outer.start, outer.end, outer.tags) == (*sentence, ["claim"])
        assert (inner.start, inner.end, inner.tags) == (*inner_span, ["inner"])
        # nested: the inner passage lies inside the outer one, and is shorter
        assert outer.start <= inner.start < inner.end < outer.end
        assert sorted(a.id for a in AnnotationStore.open(db).all()) == sorted([outer.id, inner.id])
        assert [a.id for a in reader.annotations_at(reader.current_target())] == [outer.id, inner.id]


async def test_jump_from_annotation_panel_and_filter_by_tag(db, shared_analyzer):
    store = AnnotationStore.open(db, explicit=True)
    article = load_article(SEED)
    late = article.text.index("Trump has been alleging")
    store.add(Annotation.for_passage(article, late, late + 40, tags=["fraud"]))
    store.add(Annotation.for_passage(article, 200, 220, tags=["early"]))
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        panel = reader.query_one("#annotation-list", OptionList)
        assert panel.option_count == 2
        await pilot.press("a")
        assert app.focused is panel
        await pilot.press("down", "enter")
        await pilot.pause()
        assert reader.units[reader.unit_index][0] <= late < reader.units[reader.unit_index][1]
        assert app.focused is reader.view
        reader.query_one("#tag-filter", Input).value = "fra"
        await pilot.pause()
        assert panel.option_count == 1
        assert "#fraud" in str(panel.get_option_at_index(0).prompt)


async def test_search_with_next_and_previous(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("slash", *"state department", "enter")
        await pilot.pause()
        text = reader.article.text
        expected = text.lower().count("state department")
        assert len(reader.matches) == expected > 3
        first = reader.match_index
        start, _ = reader.matches[first]
        assert reader.units[reader.unit_index][0] <= start < reader.units[reader.unit_index][1]
        await pilot.press("n")
        assert reader.match_index == first + 1
        await pilot.press("N", "N")
        assert reader.match_index == (first - 1) % expected
        await pilot.press("escape")  # clears the search; n is "note" again
        assert reader.matches == []
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))


async def test_reopens_where_the_reader_left(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("G", "k", "k")
        left_at = reader.units[reader.unit_index]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=(100, 16)) as pilot:  # small: the place is below the first screen
        reader = await open_article(pilot)
        await pilot.pause()
        assert reader.units[reader.unit_index] == left_at
        view = reader.view
        top = int(view.scroll_y)
        assert top > 0
        assert top <= view.line_of(left_at[0]) < top + view.scrollable_content_region.height  # and it is on screen


# Each binding's row in `?`: (group, the row's exact key cell). Rows that are no binding of the
# reader are listed too, so that deleting any row of the help fails the test below.
HELP_ROW_OF = {
    "move": ("Move", "j / ↓, k / ↑"),
    "paragraph": ("Move", "J / }, K / {"),
    "edge": ("Move", "g / Home, G / End"),
    "page": ("Move", "PageDown / Space, PageUp"),
    "quote": ("Move", "] / ["),
    "annotation": ("Move", "> / <"),
    "centre": ("Move", "z"),
    "select": ("Select", "v"),
    "word": ("Select", "w / b"),
    "tag": ("Annotate", "t"),
    "quick_tag": ("Annotate", "1 … 9"),
    "edit_palette": ("Annotate", "P"),
    "note": ("Annotate", "n"),
    "edit": ("Annotate", "e"),
    "delete": ("Annotate", "d / u"),
    "undo": ("Annotate", "d / u"),
    "copy": ("Annotate", "y"),
    "correct_speaker": ("Speakers", "c"),
    "confirm_speaker": ("Speakers", "C"),
    "unsure_quote": ("Speakers", "!"),
    "also_in": ("Speakers", "o"),
    "search": ("Find", "/"),
    "search_step": ("Find", "n / N"),
    "panel('notes')": ("Find", "a"),
    "panel('quotes')": ("Find", "s"),
    "panel('entities')": ("Find", "E"),
    "app.people": ("Find", "W"),
    "toggle_panel": ("Find", "p"),
    "cursor_down": ("Find", "j / k, g / G, Enter"),  # PanelList's keys
    "cursor_up": ("Find", "j / k, g / G, Enter"),
    "first": ("Find", "j / k, g / G, Enter"),
    "last": ("Find", "j / k, g / G, Enter"),
    "export": ("General", "x"),
    "help": ("General", "?"),
    "back": ("General", "Escape"),
    "app.quit": ("General", "q"),
}
NOT_BINDINGS = [("Move", "mouse"), ("Select", "Escape"), ("General", "ctrl+p")]
KEY_SHOWN = SHOWN_KEYS  # Textual key names as the help writes them


def cell_keys(cell: str) -> set[str]:
    """The keys a help cell names: "j / ↓, k / ↑" → {j, ↓, k, ↑}; "1 … 9" → every digit."""
    if cell == "1 … 9":
        return {str(d) for d in range(1, 10)}
    return {token for token in re.split(r",\s*|\s+/\s+", cell) if token}


async def test_help_lists_every_reader_binding(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows, group = [], ""
        for widget in app.screen.query(".help-group, .help-key"):  # as shown, in order
            text = str(widget.render())
            if widget.has_class("help-group"):
                group = text.split(" (")[0]
            elif group != "Quick tags":  # the palette's own rows
                rows.append((group, text))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is reader)
    assert Counter(rows) == Counter(set(HELP_ROW_OF.values())) + Counter(NOT_BINDINGS), "a row of ? is missing or new"
    for owner in (ReaderScreen, PanelList):
        for binding in owner.BINDINGS:
            action = binding.action.split("(")[0] if not binding.action.startswith("panel(") else binding.action
            assert action in HELP_ROW_OF, f"{binding.key} ({binding.action}) has no row in ?"
            row = HELP_ROW_OF[action]
            assert row in rows, f"{binding.key}: the row {row} is not in ?"
            for key in binding.key.split(","):
                assert KEY_SHOWN.get(key, key) in cell_keys(row[1]), f"{key} is not in its help row {row}"


async def test_export_from_the_app_asks_before_overwriting(tmp_path, db, shared_analyzer):
    target = tmp_path / "out.json"
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("1")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: target.exists(), what="export file")
        data = json.loads(target.read_text(encoding="utf-8"))
        assert len(data["annotations"]) == 1
        target.write_text("keep me", encoding="utf-8")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        assert target.read_text(encoding="utf-8") == "keep me"


async def test_a_selection_always_follows_the_cursor(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        unit = reader.units[reader.unit_index]
        first = re.search(r"\w+", reader.article.text[unit[0] : unit[1]])
        start = unit[0] + first.start()
        await pilot.press("w")  # without v: selects the sentence's first word
        assert reader.selection is not None and reader.selection[0] == start
        assert reader.article.text[slice(*reader.selection)].rstrip(",.;:!?") == first.group()
        await pilot.press("w")  # and the next
        assert len(reader.article.text[slice(*reader.selection)].split()) == 2
        await pilot.press("j", "j")
        assert reader.selection == (start, reader.units[reader.unit_index][1])  # extended, not left behind
        await pilot.press("v")  # v again cancels
        assert reader.selection is None


async def test_export_from_the_reader_defaults_to_this_article(tmp_path, db, shared_analyzer):
    from helpers import SAMPLES

    other = load_article(SAMPLES[1])
    AnnotationStore.open(db, explicit=True).add(Annotation.for_passage(other, 0, 10, tags=["elsewhere"]))
    target = tmp_path / "this.json"
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("1", "x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: target.exists(), what="export file")
    records = json.loads(target.read_text(encoding="utf-8"))["annotations"]
    assert [r["article"]["path"] for r in records] == [str(SEED.resolve())]


async def test_a_quick_tag_key_pressed_again_removes_the_tag(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("1", "2")
        await pilot.pause()
        assert reader.annotations[0].tags == app.palette()[:2]
        await pilot.press("1")
        await pilot.pause()
        assert reader.annotations[0].tags == [app.palette()[1]]
        await pilot.press("2")
        await pilot.pause()
        assert reader.annotations == []  # nothing left to keep
        await pilot.press("u")
        await pilot.pause()
        assert [a.tags for a in reader.annotations] == [[app.palette()[1]]]  # and u brings it back, tag and all
