"""Speaker corrections in a timeline (c corrects, y confirms), applied by the people index: a
corrected quote moves to its right person, "not a quote" leaves it out, People counts how often
the speaker was right — and all of it holds in a new session (fake analyses)."""

from __future__ import annotations

from helpers import wait_until
from test_people_ui import app_for, library, open_people  # noqa: F401  (the fixture too)

from tui.core.corrections import all_corrections


def row(screen, name):
    return next((p for p in screen.people if p.name == name), None)


async def open_timeline(pilot, name="Orla Fenwick"):
    from tui.ui.screens.timeline import TimelineScreen

    people = await open_people(pilot)
    index = next(i for i, p in enumerate(people.shown) if p.name == name)
    people.rows_widget.move_to(index)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TimelineScreen), what="timeline")
    return people, pilot.app.screen


async def test_c_names_another_speaker_and_the_quote_moves_to_that_person(library, tmp_path):  # noqa: F811
    from tui.ui.screens.speaker_dialog import SpeakerDialog

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people, timeline = await open_timeline(pilot)
        assert len(timeline.quotes) == 3 and row(people, "Ansel Traske").quote_count == 1
        moved = timeline.quotes[0]
        await pilot.press("c")
        assert isinstance(app.screen, SpeakerDialog)
        assert "Orla Fenwick" in app.screen.people  # the article's people to pick from
        await pilot.press(*"Ansel Traske", "enter")
        await wait_until(pilot, lambda: len(timeline.quotes) == 2, what="the quote to leave this timeline")
        assert app.screen is timeline
        assert moved.text not in [q.text for q in timeline.quotes]
        assert "2 quote(s)" in str(timeline.query_one("#timeline-title").render())
        ansel = row(people, "Ansel Traske")
        assert ansel.quote_count == 2 and ansel.articles == 2
        quote = next(q for q in ansel.quotes if q.text == moved.text)
        assert quote.speaker_source == "user" and quote.canonical == "Ansel Traske"
        (stored,) = all_corrections(app.store)
        assert (stored.verdict, stored.speaker, stored.model_speaker) == ("speaker", "Ansel Traske", "Orla Fenwick")
        assert "speaker right in 0 of your 1 corrected or confirmed quote(s)" in str(people.query_one("#people-status").render())


async def test_y_confirms_and_the_people_view_counts_it_right(library, tmp_path):  # noqa: F811
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people, timeline = await open_timeline(pilot)
        await pilot.press("j", "y")
        await wait_until(pilot, lambda: timeline.quotes[1].speaker_source == "user", what="a confirmed quote")
        assert len(timeline.quotes) == 3  # it stays
        assert "speaker checked by you" in str(timeline.options.get_option_at_index(1).prompt)
        (stored,) = all_corrections(app.store)
        assert stored.verdict == "confirmed" and stored.model_right
        await pilot.press("escape")
        assert "speaker right in 1 of your 1 corrected or confirmed quote(s)" in str(people.query_one("#people-status").render())


async def test_c_then_not_a_quote_leaves_the_quote_out(library, tmp_path):  # noqa: F811
    from tui.ui.screens.speaker_dialog import SpeakerDialog

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people, timeline = await open_timeline(pilot, "Ansel Traske")
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, SpeakerDialog)
        await pilot.press(*"zzz")  # narrows the list to nothing but "Not a quote"
        await pilot.press("backspace", "backspace", "backspace", "down", "end", "enter")
        await wait_until(pilot, lambda: not timeline.quotes, what="the quote to go")
        await pilot.press("escape")
        await wait_until(pilot, lambda: row(people, "Ansel Traske") is None, what="Ansel to go")
        (stored,) = all_corrections(app.store)
        assert stored.verdict == "not_a_quote"


async def test_escape_cancels_and_a_bad_name_is_refused_with_a_message(library, tmp_path):  # noqa: F811
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        _, timeline = await open_timeline(pilot)
        await pilot.press("c", "escape")
        assert app.screen is timeline and not all_corrections(app.store)
        from textual.widgets import Input

        await pilot.press("c")
        app.screen.query_one(Input).value = "x" * 600  # a paste: longer than a speaker's name may be
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.screen is timeline and not all_corrections(app.store)
        assert any("Not saved" in str(n.message) for n in app._notifications)
        assert len(timeline.quotes) == 3


async def test_corrections_hold_in_a_new_session_from_the_people_index(library, tmp_path):  # noqa: F811
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people, timeline = await open_timeline(pilot)
        await pilot.press("c", *"Ansel Traske", "enter")
        await wait_until(pilot, lambda: len(timeline.quotes) == 2, what="the correction")
        await wait_until(pilot, lambda: (tmp_path / "cache" / "people" / "index.json").exists(), what="index saved")
    from tui.ui.screens import people as people_screen

    people_screen._INDEXES.clear()  # a new process: the index is read from its file
    people_screen._CACHES.clear()
    again, _ = app_for(library, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        assert row(screen, "Ansel Traske").quote_count == 2
        assert row(screen, "Orla Fenwick").quote_count == 2


async def test_a_correction_made_elsewhere_shows_when_people_comes_back(library, tmp_path):  # noqa: F811
    from tui.core.analysis.result import Quote, Speaker
    from tui.core.articles import load_article
    from tui.core.corrections import correct_speaker

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people, timeline = await open_timeline(pilot, "Ansel Traske")
        quote = timeline.quotes[0]
        article = load_article(quote.path)
        model = Quote(quote.start, quote.end, quote.text, quote.cue, Speaker(0, 0, quote.speaker, quote.canonical))
        correct_speaker(app.store, article, model, "Zofia Quill")  # as the reader would
        await pilot.press("escape")  # back to People
        await wait_until(pilot, lambda: row(people, "Zofia Quill") is not None, what="the correction in People")
        assert row(people, "Ansel Traske") is None


async def test_a_correction_another_process_makes_shows_in_people_at_once(library, tmp_path):  # noqa: F811
    from tui.core.analysis.result import Quote, Speaker
    from tui.core.articles import load_article
    from tui.core.corrections import correct_speaker
    from tui.core.store import AnnotationStore

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_people(pilot)
        [quote] = row(people, "Ansel Traske").quotes
        model = Quote(quote.start, quote.end, quote.text, quote.cue, Speaker(0, 0, quote.speaker, quote.canonical))
        other = AnnotationStore.open(tmp_path / "data" / "ann.json", explicit=True)  # a second Margin
        correct_speaker(other, load_article(quote.path), model, "Zofia Quill")
        app.check_store_changes()  # what the app's timer does
        await wait_until(pilot, lambda: row(people, "Zofia Quill") is not None, what="the correction in People")
        assert row(people, "Ansel Traske") is None and app.screen is people


async def test_c_on_one_piece_of_a_split_quotation_names_the_speaker_of_both(tmp_path, shared_analyzer):
    from helpers import SEED, make_app

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    app = make_app([folder], tmp_path / "ann.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        people, timeline = await open_timeline(pilot, "Mike Pompeo")
        before = [q.text for q in timeline.quotes]
        first = next(i for i, q in enumerate(timeline.quotes) if q.text.startswith("The world is watching"))
        second = next(i for i, q in enumerate(timeline.quotes) if q.text.startswith("When the process is complete"))
        timeline.options.highlighted = second
        await pilot.press("c", *"Jane Roe", "enter")
        await wait_until(pilot, lambda: len(timeline.quotes) == len(before) - 2, what="both pieces to leave this timeline")
        assert sorted(c.quote_text for c in all_corrections(app.store)) == sorted([before[first], before[second]])
        assert sorted(q.text for q in row(people, "Jane Roe").quotes) == sorted([before[first], before[second]])


async def test_people_counts_only_the_corrections_of_the_articles_it_lists(library, tmp_path):  # noqa: F811
    from tui.core.analysis.result import Quote, Speaker
    from tui.core.articles import load_article
    from tui.core.corrections import correct_speaker

    elsewhere = tmp_path / "elsewhere" / "other.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text("Other story\n\n“We will sail at dawn,” said Bram Olsen.\n", encoding="utf-8")
    other = load_article(elsewhere)
    start = other.text.index("“")
    quote = Quote(start, start + 22, other.text[start : start + 22], None, Speaker(0, 0, "Bram Olsen", "Bram Olsen"))
    app, _ = app_for(library, tmp_path)
    correct_speaker(app.store, other, quote, "Jane Roe")  # in the same database, not in this library
    async with app.run_test(size=(120, 40)) as pilot:
        people = await open_people(pilot)
        await pilot.pause()
        assert "speaker right" not in str(people.query_one("#people-status").render())


async def test_a_tagged_quote_given_to_another_person_no_longer_counts_as_annotated_here(library, tmp_path):  # noqa: F811
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people, timeline = await open_timeline(pilot)
        await pilot.press("t", *"quoted", "enter")
        await wait_until(pilot, lambda: "1 annotated" in str(timeline.query_one("#timeline-status").render()))
        await pilot.press("c", *"Ansel Traske", "enter")
        await wait_until(pilot, lambda: len(timeline.quotes) == 2, what="the quote to leave this timeline")
        await pilot.pause()
        assert "0 annotated" in str(timeline.query_one("#timeline-status").render())


async def test_u_takes_back_a_speaker_named_in_the_timeline(library, tmp_path):  # noqa: F811
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        people, timeline = await open_timeline(pilot)
        moved = timeline.quotes[0].text
        await pilot.press("c", *"Ansel Traske", "enter")
        await wait_until(pilot, lambda: len(timeline.quotes) == 2, what="the quote to leave this timeline")
        await pilot.press("u")
        await wait_until(pilot, lambda: len(timeline.quotes) == 3, what="the quote to come back")
        assert moved in [q.text for q in timeline.quotes]
        assert not all_corrections(app.store)
        assert any("Undone" in str(n.message) for n in app._notifications)
        assert row(people, "Ansel Traske").quote_count == 1
        await pilot.press("u")  # nothing left to undo here: says so, changes nothing
        await pilot.pause(0.1)
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)
        assert len(timeline.quotes) == 3


async def test_u_takes_back_a_confirmation_made_in_the_timeline(library, tmp_path):  # noqa: F811
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        _, timeline = await open_timeline(pilot)
        await pilot.press("j", "y")
        await wait_until(pilot, lambda: timeline.quotes[1].speaker_source == "user", what="a confirmed quote")
        await pilot.press("u")
        await wait_until(pilot, lambda: timeline.quotes[1].speaker_source != "user", what="the confirmation to go")
        assert not all_corrections(app.store)


async def test_a_speaker_confirmed_in_the_reader_shows_in_the_timeline_on_return(library, tmp_path):  # noqa: F811
    from tui.ui.screens.reader import ReaderScreen
    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        _, timeline = await open_timeline(pilot)
        assert timeline.quotes[0].speaker_source != "user"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        reader = app.screen
        await wait_until(pilot, lambda: reader.analysis is not None and reader.analysis.quotes, what="the reader's quotes")
        await pilot.press("C")
        await wait_until(pilot, lambda: len(all_corrections(app.store)) == 1, what="the confirmation saved")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="back to the timeline")
        await wait_until(pilot, lambda: timeline.quotes[0].speaker_source == "user", what="the timeline to show it")
        assert "speaker checked by you" in str(timeline.options.get_option_at_index(0).prompt)
