"""The library screen and its dialogs with bad input: file names that are not UTF-8, searches with
no words, huge word counts, and the People merge picker's counts."""

from __future__ import annotations

import os

from helpers import make_app, wait_until

from tui.ui.screens.library import LibraryScreen

ARTICLE = 'Cafe owner speaks\n\nJane Doe said, "We will never close the doors of this place."\n'


async def ready(pilot) -> LibraryScreen:
    """The library screen once its entries are loaded."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
    return app.screen


def _one_article_app(tmp_path):
    """A folder holding one article, and an app on it: (folder, app)."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return folder, make_app([folder], tmp_path / "db.json", tmp_path=tmp_path)


async def test_a_library_with_a_file_name_that_is_not_utf8_opens_and_lists_it(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    with open(os.path.join(str(folder), os.fsdecode(b"caf\xe9.txt")), "w", encoding="utf-8") as handle:
        handle.write(ARTICLE)
    for _ in range(2):  # the second start reads the stored index
        app = make_app([folder], tmp_path / "db.json", tmp_path=tmp_path)
        async with app.run_test(size=(120, 30)) as pilot:
            screen = await ready(pilot)
            assert [e.title for e in screen.articles] == ["Cafe owner speaks"]
            assert app.is_running


async def test_searching_for_quotation_marks_alone_asks_for_words(tmp_path):
    from textual.widgets import Static

    from tui.ui.screens.library_search import LibrarySearchScreen

    folder, app = _one_article_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen), what="search")
        status = app.screen.query_one("#lib-search-status", Static)
        await pilot.press(*'""', "enter")
        await wait_until(pilot, lambda: "word or phrase" in str(status.render()), what="the status asking for words")
        assert "No article contains" not in str(status.render())


async def test_the_words_column_keeps_the_order_of_magnitude(tmp_path):
    from tui.core.library import Entry
    from tui.ui.widgets.library_list import LibraryList

    folder, app = _one_article_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        rows = screen.query_one(LibraryList)
        huge = Entry(path=str(folder / "a.txt"), size=1, mtime_ns=1, id="x", title="Huge", word_count=3_382_563)
        assert rows.row_text(huge).plain.split()[-1] == "3.4M"  # the last cells (quotes, annotations) are blank


async def test_the_merge_picker_says_1_quote(tmp_path):
    from textual.widgets import OptionList

    from tui.core.people import Person
    from tui.ui.screens.people_dialogs import PickPersonDialog

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    people = [Person("p1", "Jane Doe", "person", quote_count=1), Person("p2", "John Roe", "person", quote_count=2)]
    app = make_app([folder], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.push_screen(PickPersonDialog(Person("p0", "Ann Poe", "person", quote_count=3), people))
        await wait_until(
            pilot, lambda: isinstance(app.screen, PickPersonDialog) and app.screen.query(OptionList), what="the dialog"
        )
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.option_count == 2, what="the rows")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts == ["John Roe  (2 quotes, person)", "Jane Doe  (1 quote, person)"]


async def test_an_article_whose_file_name_is_not_utf8_is_read_tagged_and_remembered(tmp_path, shared_analyzer):
    from helpers import open_article

    from tui.core.store import AnnotationStore

    folder = tmp_path / "lib"
    folder.mkdir()
    with open(os.path.join(str(folder), os.fsdecode(b"caf\xe9.txt")), "w", encoding="utf-8") as handle:
        handle.write(ARTICLE)
    app = make_app([folder], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("j", "1")  # move (the position is saved) and tag the sentence
        await wait_until(pilot, lambda: len(reader.annotations) == 1, what="the tag")
        assert not app.unsaved
        await pilot.press("escape")
        await ready(pilot)
        assert app.is_running
    [saved] = AnnotationStore.open(tmp_path / "db.json", explicit=True).all()
    assert saved.article_path.endswith(os.fsdecode(b"caf\xe9.txt"))


async def test_the_reader_says_when_bad_bytes_of_a_utf8_file_were_replaced(tmp_path, shared_analyzer):
    from helpers import open_article

    folder = tmp_path / "lib"
    folder.mkdir()
    text = "Café owner speaks\n\n“We will never close,” said José Núñez in Zürich.\n"
    (folder / "cut.txt").write_bytes(text.encode("utf-8") + "é".encode("utf-8")[:1])  # a character cut in two
    app = make_app([folder], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_article(pilot)
        assert "José Núñez" in reader.article.text  # read as UTF-8, not as cp1252
        await wait_until(pilot, lambda: any("invalid byte" in n.message for n in app._notifications), what="the notice")
        [told] = [n for n in app._notifications if "invalid byte" in n.message]
        assert told.severity == "warning" and told.title == "Café owner speaks"
