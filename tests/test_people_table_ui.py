"""The People view over a Parquet quote table (`margin --quotes-from DIR`), driven by keys (Pilot):
rows from the table (nothing analysed), the filter, a timeline, an article that is not on this
machine, the user's speaker corrections, and a folder that is not a quote table. The table is
written in this process from fake analyses (tests/helpers.py write_quote_table): no cluster."""

from __future__ import annotations

import shutil

import pytest
from helpers import wait_until, write_quote_table
from test_people_ui import FakeAnalyzer, app_for, library  # noqa: F401  (the fixture too)

from tui.ui.screens.people_table import PeopleTableScreen, TableTimelineScreen, open_quote_table


@pytest.fixture
def table(library, tmp_path):  # noqa: F811
    """(corpus folder, table folder): the People articles, copied to a corpus analysed into a table."""
    corpus = tmp_path / "corpus"
    shutil.copytree(library, corpus)
    return corpus, write_quote_table(corpus, tmp_path / "table", FakeAnalyzer._analyse)


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def open_table(pilot, folder) -> PeopleTableScreen:
    from tui.ui.screens.library import LibraryScreen

    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
    screen = open_quote_table(app, folder)
    await wait_until(pilot, lambda: app.screen is screen and screen.finished, what="people over the table")
    return screen


async def open_timeline(pilot, people: PeopleTableScreen, name: str) -> TableTimelineScreen:
    index = next(i for i, p in enumerate(people.shown) if p.name == name)
    people.rows_widget.move_to(index)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TableTimelineScreen), what="timeline")
    return pilot.app.screen


async def test_rows_come_from_the_table_and_the_title_names_it(table, tmp_path):
    _, folder = table
    app, analyzer = app_for(tmp_path / "empty", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_table(pilot, folder)
        assert [p.name for p in people.shown] == ["Orla Fenwick", "a senior official", "Ansel Traske"]
        orla = people.shown[0]
        assert (orla.quote_count, orla.articles, orla.outlets) == (3, 2, ["Outlet A", "Outlet B"])
        assert analyzer.analysed == 0  # the summaries are the table's: nothing analysed
        title = text_of(people, "#people-title")
        assert "people in the quote table" in title and "table" in title and "3 article(s), 5 quote(s)" in title
        status = text_of(people, "#people-status")
        assert "3 row(s) · 5 attributed quote(s)" in status and "loading" not in status
        await pilot.press("slash", *"ansel")
        assert [p.name for p in people.shown] == ["Ansel Traske"]
        await pilot.press("escape")  # clears the filter
        assert len(people.shown) == 3
        await pilot.press("escape")  # back to where it was opened from
        assert not isinstance(app.screen, PeopleTableScreen)


async def test_enter_opens_a_timeline_and_an_article_that_is_here(table, tmp_path):
    from tui.ui.screens.reader import ReaderScreen

    _, folder = table
    app, _ = app_for(tmp_path / "empty", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_table(pilot, folder)
        timeline = await open_timeline(pilot, people, "Orla Fenwick")
        assert [q.text for q in timeline.quotes] == [
            "We will reopen the harbour by spring,",
            "Nobody will lose their job,",
            "The budget is settled,",
        ]
        assert "3 quote(s) in 2 article(s)" in text_of(timeline, "#timeline-title")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="the reader")
        assert app.screen.article.title == "Harbour to reopen"


async def test_a_quote_whose_article_is_not_here_says_so(table, tmp_path):
    corpus, folder = table
    (corpus / "a3.md").unlink()  # the table was made where the file was
    app, _ = app_for(tmp_path / "empty", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_table(pilot, folder)
        timeline = await open_timeline(pilot, people, "Ansel Traske")
        assert [q.text for q in timeline.quotes] == ["Ships will come back,"]  # shown from the table
        for key, what in (("enter", "opened"), ("t", "tagged or noted"), ("n", "tagged or noted"), ("c", "corrected")):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is timeline, key  # no reader, no dialog
            assert any("is not on this machine" in m and f"cannot be {what}" in m for m in messages(app)), key


async def test_tag_from_the_table_timeline_where_the_article_is_here(table, tmp_path):
    _, folder = table
    app, _ = app_for(tmp_path / "empty", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_table(pilot, folder)
        timeline = await open_timeline(pilot, people, "Ansel Traske")
        await pilot.press("t", *"ships", "enter")
        await wait_until(pilot, lambda: timeline.annotations, what="the tag to be saved")
        (annotation,) = timeline.annotations.values()
        assert annotation.tags == ["ships"] and annotation.text == "Ships will come back,"


async def test_a_speaker_correction_applies_over_the_table(table, tmp_path):
    from tui.core.articles import load_article
    from tui.core.corrections import correct_speaker

    corpus, folder = table
    app, _ = app_for(tmp_path / "empty", tmp_path)
    article = load_article(corpus / "a1.md")
    quote = next(q for q in FakeAnalyzer._analyse(article.text).quotes if q.text == "Nobody will lose their job,")
    correct_speaker(app.store, article, quote, "Ansel Traske")
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_table(pilot, folder)
        rows = {p.name: p for p in people.shown}
        assert rows["Orla Fenwick"].quote_count == 2 and rows["Ansel Traske"].quote_count == 2
        moved = next(q for q in rows["Ansel Traske"].quotes if q.text == "Nobody will lose their job,")
        assert moved.speaker_source == "user"


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda tmp: tmp / "nowhere", "no such folder"),
        (lambda tmp: (tmp / "plain").mkdir() or tmp / "plain", "is not a quote table"),
    ],
)
async def test_a_folder_that_is_not_a_quote_table_gets_a_message(tmp_path, make, expected):
    app, _ = app_for(tmp_path / "empty", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_table(pilot, make(tmp_path))
        assert people.problem is not None and expected in people.problem
        assert people.shown == []
        assert "Cannot show this quote table" in text_of(people, "#people-status")
        # a notification is a message to the app: it is shown on the app's next turn
        await wait_until(pilot, lambda: any(expected in m for m in messages(app)), what="the notification")


async def test_c_in_a_table_timeline_corrects_a_quote_whose_article_is_here(table, tmp_path):
    from tui.core.corrections import all_corrections
    from tui.ui.screens.speaker_dialog import SpeakerDialog

    _, folder = table
    table_files = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    app, _ = app_for(tmp_path / "empty", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_table(pilot, folder)
        timeline = await open_timeline(pilot, people, "Orla Fenwick")
        moved = timeline.quotes[0].text
        await pilot.press("c")
        assert isinstance(app.screen, SpeakerDialog)
        await pilot.press(*"Ansel Traske", "enter")
        await wait_until(pilot, lambda: len(timeline.quotes) == 2, what="the quote to leave this timeline")
        assert moved not in [q.text for q in timeline.quotes]
        (stored,) = all_corrections(app.store)
        assert (stored.speaker, stored.quote_text) == ("Ansel Traske", moved)
        await pilot.press("escape")
        ansel = next(p for p in people.people if p.name == "Ansel Traske")
        assert ansel.quote_count == 2
        assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == table_files  # the table is read only


async def test_the_app_opened_with_quotes_from_starts_on_people_over_the_table(table, tmp_path):
    from tui.ui.screens.library import LibraryScreen

    _, folder = table
    app, analyzer = app_for(tmp_path / "empty", tmp_path)
    app.quotes_from = str(folder)  # what `margin --quotes-from DIR` passes
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot, lambda: isinstance(app.screen, PeopleTableScreen) and app.screen.finished, what="people over the table"
        )
        assert [p.name for p in app.screen.shown] == ["Orla Fenwick", "a senior official", "Ansel Traske"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="back to the library")


def test_margin_quotes_from_a_folder_that_is_no_table_is_a_clear_error(tmp_path, capsys):
    from tui.cli import main

    (tmp_path / "notatable").mkdir()
    for folder in (tmp_path / "missing", tmp_path / "notatable"):
        assert main(["--quotes-from", str(folder), "--db", str(tmp_path / "db.json")]) != 0
        err = capsys.readouterr().err
        assert "Traceback" not in err and str(folder.name) in err
