"""The reader and the store together: edited articles re-anchor, lost passages become orphans that
can be re-attached by keyboard, and changes made by another process appear without a restart."""

from __future__ import annotations

from helpers import make_app, open_article, wait_until
from textual.widgets import OptionList

from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.store import AnnotationStore
from tui.ui.screens.dialogs import ConfirmDialog

TEXT = "A short title\n\nThe council voted on Monday. The budget passed narrowly. Critics were not convinced.\n"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return load_article(path)


async def test_edited_article_re_anchors_and_lost_passage_is_an_orphan(tmp_path, shared_analyzer):
    path = tmp_path / "story.txt"
    article = write(path, TEXT)
    db = tmp_path / "db.json"
    store = AnnotationStore.open(db, explicit=True)
    budget = article.text.index("The budget passed narrowly.")
    store.add(Annotation.for_passage(article, budget, budget + len("The budget passed narrowly."), tags=["vote"]))
    critics = article.text.index("Critics were not convinced.")
    store.add(Annotation.for_passage(article, critics, critics + len("Critics were not convinced."), tags=["reaction"]))
    # The article is edited: a sentence is added before the budget one, the critics one is removed.
    write(path, TEXT.replace("The budget", "Turnout was high. The budget").replace(" Critics were not convinced.", ""))
    app = make_app([path], db, shared_analyzer)
    async with app.run_test(size=(110, 36)) as pilot:
        reader = await open_article(pilot)
        text = reader.article.text
        [moved] = reader.anchored
        assert text[moved.start : moved.end] == "The budget passed narrowly."
        [orphan] = reader.orphans
        assert orphan.tags == ["reaction"] and orphan.text == "Critics were not convinced."
        panel = reader.query_one("#annotation-list", OptionList)
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert any("Orphans" in p for p in prompts)
        # Re-attach the orphan to the sentence under the cursor, by keyboard.
        await pilot.press("g")
        target = reader.current_target()
        await pilot.press("a")
        orphan_row = next(i for i in range(panel.option_count) if panel.get_option_at_index(i).id == orphan.id)
        panel.highlighted = orphan_row
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await pilot.pause()
        assert reader.orphans == []
        reattached = next(a for a in reader.annotations if a.id == orphan.id)
        assert (reattached.start, reattached.end) == (target.start, target.end)
        assert reattached.tags == ["reaction"]
    saved = {a.id: a for a in AnnotationStore.open(db, explicit=True).all()}
    assert saved[orphan.id].orphan is False and saved[orphan.id].text == text[target.start : target.end]


async def test_changes_from_another_process_appear(tmp_path, shared_analyzer):
    path = tmp_path / "story.txt"
    article = write(path, TEXT)
    db = tmp_path / "db.json"
    app = make_app([path], db, shared_analyzer)
    async with app.run_test(size=(110, 36)) as pilot:
        reader = await open_article(pilot)
        assert reader.annotations == []
        other = AnnotationStore.open(db, explicit=True)  # as `margin import` in a second terminal would
        start = article.text.index("The council")
        other.add(Annotation.for_passage(article, start, start + 11, tags=["from-elsewhere"]))
        await wait_until(pilot, lambda: len(reader.annotations) == 1, what="the other process's annotation")
        assert reader.annotations[0].tags == ["from-elsewhere"]


async def test_the_library_follows_another_process_also_under_a_dialog(tmp_path, shared_analyzer):
    from tui.ui.screens.help import HelpScreen
    from tui.ui.screens.library import LibraryScreen

    path = tmp_path / "story.txt"
    article = write(path, TEXT)
    db = tmp_path / "db.json"
    app = make_app([path], db, shared_analyzer)
    async with app.run_test(size=(110, 36)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        library = app.screen
        other = AnnotationStore.open(db, explicit=True)  # a second Margin, `margin import`
        start = article.text.index("The council")
        other.add(Annotation.for_passage(article, start, start + 11, tags=["elsewhere"]))
        await wait_until(pilot, lambda: library.counts.get(article.id) == 1, what="the new count")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        start = article.text.index("The budget")
        other.add(Annotation.for_passage(article, start, start + 10, tags=["elsewhere"]))
        await wait_until(pilot, lambda: library.counts.get(article.id) == 2, what="the count under help")
        assert isinstance(app.screen, HelpScreen)  # refreshed below the dialog, the dialog untouched


async def test_back_from_a_full_screen_the_reader_shows_what_changed_meanwhile(tmp_path, shared_analyzer):
    """The app tells only the screen shown about another process's change; the reader below
    (under People, a timeline) catches up when it is shown again."""
    from textual.screen import Screen

    path = tmp_path / "story.txt"
    article = write(path, TEXT)
    db = tmp_path / "db.json"
    app = make_app([path], db, shared_analyzer)
    async with app.run_test(size=(110, 36)) as pilot:
        reader = await open_article(pilot)
        assert reader.annotations == []
        above = Screen()
        await app.push_screen(above)
        other = AnnotationStore.open(db, explicit=True)
        start = article.text.index("The council")
        other.add(Annotation.for_passage(article, start, start + 11, tags=["while-away"]))
        app.check_store_changes()  # what the app's timer does: the news goes to the screen shown
        await pilot.pause()
        assert reader.annotations == []
        app.pop_screen()
        await wait_until(pilot, lambda: app.screen is reader, what="the reader again")
        await wait_until(pilot, lambda: len(reader.annotations) == 1, what="the change made meanwhile")
        assert reader.annotations[0].tags == ["while-away"]
        panel = reader.query_one("#annotation-list", OptionList)
        assert panel.option_count == 1


async def test_another_process_s_change_keeps_the_panel_s_highlighted_row(tmp_path, shared_analyzer):
    path = tmp_path / "story.txt"
    article = write(path, TEXT)
    db = tmp_path / "db.json"
    store = AnnotationStore.open(db, explicit=True)
    for sentence, tag in (("The council voted on Monday.", "meeting"), ("The budget passed narrowly.", "vote")):
        start = article.text.index(sentence)
        store.add(Annotation.for_passage(article, start, start + len(sentence), tags=[tag]))
    app = make_app([path], db, shared_analyzer)
    async with app.run_test(size=(110, 36)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("a")
        panel = reader.query_one("#annotation-list", OptionList)
        vote_row = next(i for i in range(panel.option_count) if str(panel.get_option_at_index(i).prompt).startswith("#vote"))
        panel.highlighted = vote_row
        store.add(Annotation.for_passage(article, 0, len("A short title"), tags=["elsewhere"]))  # a row above both
        app.check_store_changes()  # what the app's timer does
        await wait_until(pilot, lambda: len(reader.annotations) == 3, what="the other process's annotation")
        assert str(panel.get_option_at_index(panel.highlighted).prompt).startswith("#vote")
        await pilot.press("enter")  # still jumps to the passage the user had highlighted
        await pilot.pause()
        assert reader.current_target().start == article.text.index("The budget passed narrowly.")
