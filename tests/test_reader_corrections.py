"""The reader's speaker keys (issue 14): `c` names a quote's speaker (one of the article's people,
a typed name) or marks it not a quote, `C` confirms the speaker shown, `u` undoes; "also in N"
and `o` for a quote other articles carry. Driven through the real UI (Pilot)."""

from __future__ import annotations

import errno

import pytest
from helpers import SEED, SEED_QUOTE, make_app, open_article, run_palette_command, wait_until, write_people_articles
from textual.widgets import OptionList

from tui.core.articles import load_article
from tui.core.corrections import USER_CONFIRMED, USER_CORRECTED, corrections_for, mark_not_a_quote
from tui.core.store import AnnotationStore
from tui.ui.screens.quote_group import QuoteGroupDialog
from tui.ui.screens.reader import ReaderScreen
from tui.ui.screens.speaker_dialog import SpeakerDialog
from tui.ui.widgets.reader_status import ReaderStatus

SIZE = (120, 40)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "annotations.json"


async def to_quote(pilot, reader: ReaderScreen, words: str):
    """`]` until the cursor is on the quote holding `words`; that quote."""
    for _ in range(60):
        quote = reader.quote_here()
        if quote is not None and words in quote.text:
            return quote
        await pilot.press("right_square_bracket")
    raise AssertionError(f"no quote with {words!r}")


def status(reader: ReaderScreen) -> str:
    return reader.query_one(ReaderStatus).text()


def panel_rows(reader: ReaderScreen) -> list[str]:
    rows = reader.query_one("#quote-list", OptionList)
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


async def open_dialog(pilot, app) -> SpeakerDialog:
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, SpeakerDialog), what="speaker dialog")
    return app.screen


async def test_c_picks_one_of_the_articles_people(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        quote = await to_quote(pilot, reader, SEED_QUOTE)
        before = quote.speaker.canonical
        dialog = await open_dialog(pilot, app)
        other = next(p for p in dialog.people if p != before and len(p) < 30)  # one of the article's people, not the one shown
        await pilot.press("down")  # to the list
        options = dialog.query_one(OptionList)
        while dialog.shown[options.highlighted] != other:
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is reader, what="back in the reader")
        shown = reader.quote_here()
        assert shown.speaker.canonical == other and shown.speaker.method == USER_CORRECTED
        assert f"said by {other} ✓" in status(reader)
        assert any(row.startswith("✓ ") and "There will be" in row for row in panel_rows(reader)), panel_rows(reader)
        stored = corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED))
        assert [(c.verdict, c.speaker, c.model_speaker) for c in stored] == [("speaker", other, before)]


async def test_c_takes_a_typed_name_and_u_undoes_it(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        quote = await to_quote(pilot, reader, SEED_QUOTE)
        before = quote.speaker.canonical
        await open_dialog(pilot, app)
        await pilot.press(*"Jane Roe", "enter")
        await wait_until(pilot, lambda: app.screen is reader, what="back in the reader")
        assert reader.quote_here().speaker.canonical == "Jane Roe"
        assert "said by Jane Roe ✓" in status(reader)
        assert any(row.startswith("Jane Roe") for row in panel_rows(reader))  # the panel's heading
        await pilot.press("u")
        await wait_until(pilot, lambda: reader.quote_here().speaker.canonical == before, what="undone")
        assert "✓" not in status(reader)
        assert corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED)) == []


async def test_c_marks_not_a_quote_which_disappears_and_comes_back_with_u(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        quote = await to_quote(pilot, reader, SEED_QUOTE)
        count = len(reader.analysis.quotes)
        dialog = await open_dialog(pilot, app)
        await pilot.press("down", "end", "enter")  # the list's last row: "Not a quote"
        await wait_until(pilot, lambda: app.screen is reader, what="back in the reader")
        assert dialog.shown and len(reader.analysis.quotes) == count - 1
        assert all(q.start != quote.start for q in reader.analysis.quotes)
        assert not any(SEED_QUOTE[:20] in row for row in panel_rows(reader))
        assert f"{count - 1} quotes" in status(reader)
        await pilot.press("u")
        await wait_until(pilot, lambda: len(reader.analysis.quotes) == count, what="the quote back")


async def test_C_confirms_the_speaker_shown(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        quote = await to_quote(pilot, reader, SEED_QUOTE)
        await pilot.press("C")
        await wait_until(pilot, lambda: reader.quote_here().speaker.method == USER_CONFIRMED, what="confirmed")
        shown = reader.quote_here().speaker
        assert shown.canonical == quote.speaker.canonical and not shown.uncertain
        assert f"said by {shown.canonical} ✓" in status(reader) and "?" not in status(reader).split("said by")[1]
        [mark] = [m for m in reader.view._layers["speakers"].marks if (m.start, m.end) == (shown.start, shown.end)]
        assert mark.style.underline and not mark.style.italic  # checked by the user, in the text too
        stored = corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED))
        assert [c.verdict for c in stored] == ["confirmed"]


async def test_c_off_a_quote_says_where_to_go(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("g")  # the title: no quote
        assert reader.quote_here() is None
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is reader
        assert any("cursor on a quote" in str(n.message) for n in app._notifications)


async def test_a_correction_survives_reanalysis_another_process_and_a_restart(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await to_quote(pilot, reader, SEED_QUOTE)
        await open_dialog(pilot, app)
        await pilot.press(*"Jane Roe", "enter")
        await wait_until(pilot, lambda: app.screen is reader)
        reader.apply_analysis(shared_analyzer.analyze(reader.article.text))  # analysed again
        await pilot.pause()
        assert reader.quote_here().speaker.canonical == "Jane Roe"
        # Another process marks the next quote "not a quote": the reader shows it on StoreChanged.
        article = load_article(SEED)
        other = next(q for q in reader.analysis.quotes if SEED_QUOTE not in q.text)
        mark_not_a_quote(AnnotationStore.open(db, explicit=True), article, other)
        app.check_store_changes()
        await wait_until(pilot, lambda: all(q.start != other.start for q in reader.analysis.quotes), what="their change")
    again = make_app([SEED], db, shared_analyzer)  # a restart on the same database
    async with again.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        quote = await to_quote(pilot, reader, SEED_QUOTE)
        assert quote.speaker.canonical == "Jane Roe" and quote.speaker.method == USER_CORRECTED
        assert all(q.start != other.start for q in reader.analysis.quotes)


async def test_also_in_and_o_open_the_same_quote_in_another_article(tmp_path, db, shared_analyzer):
    paths = write_people_articles(tmp_path / "corpus")
    for path in paths:  # analysed before (People, `margin analyze`): only analysed articles count
        shared_analyzer.analyze(load_article(path).text)
    app = make_app([tmp_path / "corpus"], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        library = app.screen
        await wait_until(pilot, lambda: getattr(library, "loaded", False) and library.shown, what="library")
        row = next(i for i, e in enumerate(library.shown) if e.path.endswith("people-1.txt"))
        reader = await open_article(pilot, row)
        await wait_until(pilot, lambda: reader.same is not None, what="the same quotes")
        await to_quote(pilot, reader, "four hundred million")
        assert "also in" not in status(reader)
        await pilot.press("o")
        await pilot.pause()
        assert app.screen is reader  # nothing to open: said so
        await to_quote(pilot, reader, "The new tram line")
        assert "also in 1 (o)" in status(reader)
        assert any("also in 1 (o)" in row for row in panel_rows(reader))
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, QuoteGroupDialog), what="the group")
        group = app.screen.group
        assert {q.path for _, q in group.members} == {str(paths[0]), str(paths[2])}
        other = next(i for i, (_, q) in enumerate(group.members) if q.path.endswith("people-3.txt"))
        options = app.screen.query_one(OptionList)
        while options.highlighted != other:
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen is not reader, what="the other article"
        )
        assert app.screen.article.path.name == "people-3.txt"
        await wait_until(pilot, lambda: app.screen.analysis is not None)
        assert "The new tram line" in app.screen.quote_here().text  # the cursor on that version


async def test_a_correction_on_a_read_only_database_goes_to_a_recovery_file_and_comes_back(
    tmp_path, db, shared_analyzer, monkeypatch
):
    from tui.core.storage import store as store_module
    from tui.ui.app import MarginApp

    AnnotationStore.open(db, explicit=True)  # the database exists

    def read_only(lock):
        raise OSError(errno.EROFS, "Read-only file system")

    writable = store_module._acquire
    monkeypatch.setattr(store_module, "_acquire", read_only)
    app = MarginApp(paths=[str(SEED)], store=AnnotationStore.open(db, explicit=True), analyzer=shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await to_quote(pilot, reader, SEED_QUOTE)
        await open_dialog(pilot, app)
        await pilot.press(*"Jane Roe", "enter")
        await wait_until(pilot, lambda: app.screen is reader)
        assert reader.quote_here().speaker.canonical == "Jane Roe"  # shown, though kept in memory only
        assert app.session.unsaved_corrections == 1
        await pilot.press("q")
        await pilot.pause()
    recovery = list((tmp_path / "data").glob("unsaved-speaker-corrections-*.json"))
    assert len(recovery) == 1
    monkeypatch.setattr(store_module, "_acquire", writable)  # the disk can be written again
    again = make_app([SEED], db, shared_analyzer)
    async with again.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        quote = await to_quote(pilot, reader, SEED_QUOTE)
        assert quote.speaker.canonical == "Jane Roe"
    assert not recovery[0].exists()
    assert [c.speaker for c in corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED))] == ["Jane Roe"]


async def test_the_palette_offers_the_speaker_commands_and_this_articles_export(db, shared_analyzer):
    from tui.ui.screens.export_dialog import ExportDialog

    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await to_quote(pilot, reader, SEED_QUOTE)
        await run_palette_command(pilot, "correct the speaker")
        await wait_until(pilot, lambda: isinstance(app.screen, SpeakerDialog), what="speaker dialog")
        assert SEED_QUOTE in app.screen.quote
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is reader)
        await run_palette_command(pilot, "export annotations")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog), what="export dialog")
        assert app.screen.article is reader.article  # this article's, offered by the reader itself


async def test_the_palette_forgets_a_correction_made_in_an_earlier_session(db, shared_analyzer):
    from tui.core.corrections import correct_speaker

    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        quote = await to_quote(pilot, reader, SEED_QUOTE)
        before = quote.speaker.canonical
        correct_speaker(AnnotationStore.open(db, explicit=True), load_article(SEED), quote, "Jane Roe")  # earlier
        app.check_store_changes()
        await wait_until(pilot, lambda: reader.quote_here().speaker.canonical == "Jane Roe", what="the earlier one")
        await run_palette_command(pilot, "forget the speaker")
        await wait_until(pilot, lambda: reader.quote_here().speaker.canonical == before, what="forgotten")
        assert corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED)) == []
        await pilot.press("u")  # forgetting by mistake is undone like any decision
        await wait_until(pilot, lambda: reader.quote_here().speaker.canonical == "Jane Roe", what="the decision back")
        [back] = corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED))
        assert back.speaker == "Jane Roe"


async def test_undoing_a_forgotten_confirmation_brings_back_the_confirmation_itself(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        quote = await to_quote(pilot, reader, SEED_QUOTE)
        model = quote.speaker.canonical
        await pilot.press("C")
        await wait_until(pilot, lambda: corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED)) != [])
        [confirmed] = corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED))
        await run_palette_command(pilot, "forget the speaker")
        await wait_until(pilot, lambda: corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED)) == [])
        await pilot.press("u")
        await wait_until(pilot, lambda: corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED)) != [])
        [back] = corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED))
        assert (back.id, back.verdict, back.speaker, back.model_speaker) == (confirmed.id, "confirmed", model, model)


async def test_naming_the_speaker_of_a_split_quote_names_it_for_both_pieces_and_u_undoes_both(db, shared_analyzer):
    first_piece, second_piece, next_quote = "The world is watching", "When the process is complete", "every confidence"
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        said = {q.text: q.speaker.canonical for q in reader.analysis.quotes}

        def speaker_of(words: str) -> str:
            return next(q.speaker.canonical for q in reader.analysis.quotes if words in q.text)

        quote = await to_quote(pilot, reader, second_piece)  # the piece after "he continued"
        before = quote.speaker.canonical
        await open_dialog(pilot, app)
        await pilot.press(*"Jane Roe", "enter")
        await wait_until(pilot, lambda: speaker_of(second_piece) == "Jane Roe", what="the corrected piece")
        assert speaker_of(first_piece) == "Jane Roe"  # the quotation's other piece
        assert speaker_of(next_quote) == before  # a quote of its own, not part of this one
        assert any("other piece of this quotation" in str(n.message) for n in app._notifications)
        stored = corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED))
        assert sorted(c.quote_text[:20] for c in stored) == sorted([first_piece[:20], second_piece[:20]])
        await pilot.press("u")
        await wait_until(pilot, lambda: speaker_of(first_piece) == before, what="undone")
        assert {q.text: q.speaker.canonical for q in reader.analysis.quotes} == said
        assert corrections_for(AnnotationStore.open(db, explicit=True), load_article(SEED)) == []


async def test_the_speaker_dialog_shows_a_long_quote_in_two_lines_ending_in_an_ellipsis(db, shared_analyzer):
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        quote = await to_quote(pilot, reader, "every confidence")
        assert len(quote.text) > 200
        dialog = await open_dialog(pilot, app)
        label = dialog.query_one("#speaker-quote")
        shown = str(label.render())
        assert shown.startswith("“The world should") and shown.endswith("…”")
        from rich.console import Console
        from rich.text import Text

        assert len(Text(shown).wrap(Console(), label.size.width)) <= 2  # all of it shows: the "…" too
