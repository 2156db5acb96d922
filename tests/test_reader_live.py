"""The reader as good to live in as vim and less (issue 13): keys act on what has focus, quick
tags toggle, the footer tells what keys do now, incremental search, the who-said panel's layout,
dialogs, copying with attribution, annotation jumps, centring."""

from __future__ import annotations

from helpers import SEED, make_app, open_article, wait_until
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList

from tui.ui.screens.help import HelpScreen

SIZE = (120, 40)


async def test_panel_lists_move_with_j_and_k(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        cursor = reader.unit_index
        await pilot.press("s")
        panel = reader.query_one("#quote-list", OptionList)
        assert app.focused is panel
        await pilot.press("j", "enter")
        await pilot.pause()
        chosen = [panel.get_option_at_index(i).id for i in range(panel.option_count) if panel.get_option_at_index(i).id]
        second = reader.analysis.quotes[int(chosen[1][1:])]
        assert reader.current_target().start == second.start  # the second quote, not the first
        assert reader.unit_index != cursor
        # Entities: j / k move the list
        await pilot.press("E")
        entities = reader.query_one("#entity-list", OptionList)
        assert app.focused is entities
        before = entities.highlighted
        here = reader.unit_index
        await pilot.press("j", "j", "k")
        assert entities.highlighted == before + 1
        assert reader.unit_index == here


def footer_says(screen, action: str) -> str:
    from textual.widgets._footer import FooterKey

    return next(k.description for k in screen.query(FooterKey) if k.action == action)


async def test_a_focuses_the_annotation_list_and_slash_filters(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: the panel starts hidden
        reader = await open_article(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        panel = reader.query_one("#annotation-list", OptionList)
        assert app.focused is panel
        box = reader.query_one("#tag-filter", Input)
        await pilot.press("c", "o")  # letters keep their meaning: no filter starts by itself
        await pilot.pause()
        assert box.value == ""
        await pilot.press("escape")  # the speaker dialog `c` opened
        await wait_until(pilot, lambda: app.screen is reader)
        reader.query_one("#annotation-list", OptionList).focus()
        await pilot.pause()
        assert footer_says(reader, "search") == "Filter"  # `/` there filters
        await pilot.press("slash", "w", "a")
        await pilot.pause()
        assert app.focused is box and box.value == "wa"
        assert footer_says(reader, "back") == "Clear"
        assert panel.option_count == 1 and "No annotation tagged" in str(panel.get_option_at_index(0).prompt)
        await pilot.press("escape")  # the first Escape empties the filter and goes back to the list
        await pilot.pause()
        assert box.value == "" and app.focused is panel
        assert "No annotation tagged" not in str(panel.get_option_at_index(0).prompt)
        await pilot.press("escape")
        assert app.focused is reader.view


async def test_help_scrolls_with_j_and_k(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        scroller = app.screen.query_one("#help-dialog", VerticalScroll)
        assert scroller.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroller.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroller.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y


async def test_focus_is_visible(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        view = reader.view
        line = view.line_of(view.cursor[0])
        focused_gutter = view._render_visual_line(line)._segments[0].style
        await pilot.press("s")
        await pilot.pause()
        assert view._render_visual_line(line)._segments[0].style != focused_gutter  # the text shows it lost focus
        side = reader.query_one("#side")
        assert side.has_focus_within


def _messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def record_notifications(app) -> list[str]:
    """Every message the app notifies from now on, kept however short its display time."""
    said: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return said


async def test_quick_tag_on_a_selection_toggles_off_and_undo_says_what_and_jumps(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("v", "w", "w", "w", "1")
        await pilot.pause()
        [made] = reader.annotations
        assert made.kind == "selection" and made.tags == [app.palette()[0]]
        await pilot.press("2", "1")  # the same selection: a second tag, then the first one off
        await pilot.pause()
        assert [(a.id, a.tags) for a in reader.annotations] == [(made.id, [app.palette()[1]])]
        await pilot.press("2")
        await pilot.pause()
        assert reader.annotations == []  # no second, identical annotation: the tag was removed
        await pilot.press("G")
        await pilot.press("u")
        await pilot.pause()
        [restored] = reader.annotations
        assert restored.id == made.id
        assert reader.units[reader.unit_index][0] <= made.start < reader.units[reader.unit_index][1]  # jumped there
        assert any(m.startswith("Restored “") and made.text[:20] in m for m in _messages(app))


def _footer(reader) -> dict[str, str]:
    """What the footer shows: {key: description}."""
    from textual.widgets._footer import FooterKey

    return {key.key: key.description for key in reader.query_one("Footer").query(FooterKey)}


async def test_the_footer_says_n_is_next_match_while_there_are_matches(tmp_path, shared_analyzer):
    from textual.widgets import OptionList

    from tui.ui.screens.dialogs import NoteDialog

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.pause()
        assert _footer(reader).get("n") == "Note" and "N" not in _footer(reader)
        await pilot.press("slash", *"biden", "enter")
        await pilot.pause()
        assert _footer(reader).get("n") == "Next match" and _footer(reader).get("N") == "Prev match"
        index = reader.match_index
        await pilot.press("n")
        assert reader.match_index == index + 1
        await pilot.press("escape")
        await pilot.pause()
        assert _footer(reader).get("n") == "Note"
        # an entity's mentions: the same
        await pilot.press("E")
        panel = reader.query_one("#entity-list", OptionList)
        panel.highlighted = next(
            i for i in range(panel.option_count) if (panel.get_option_at_index(i).id or "").endswith("\x00Joe Biden")
        )
        await pilot.press("enter")
        await pilot.pause()
        assert _footer(reader).get("n") == "Next match"
        await pilot.press("escape", "escape")  # back to the text, then the highlight cleared
        await pilot.pause()
        assert _footer(reader).get("n") == "Note"
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))


async def test_search_highlights_while_typing_and_wraps_with_a_message(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        text = reader.article.text.lower()
        cursor = reader.unit_index
        await pilot.press("slash", *"bid")
        await pilot.pause()
        assert len(reader.matches) == text.count("bid") > 2  # highlighted before Enter
        assert reader.view._layers["search"].spans == reader.matches
        assert reader.unit_index == cursor  # the cursor moves on Enter only
        await pilot.press(*"en")
        await pilot.pause()
        assert len(reader.matches) == text.count("biden")
        await pilot.press("escape")  # cancelled: nothing highlighted, cursor where it was
        await pilot.pause()
        assert reader.matches == [] and reader.unit_index == cursor
        said = record_notifications(app)  # "Search hit …" shows 2 s only: a slow machine may outlast it
        await pilot.press("slash", *"biden", "enter")
        await pilot.pause()
        count = len(reader.matches)
        for _ in range(count - 1 - reader.match_index):
            await pilot.press("n")
        assert reader.match_index == count - 1
        await pilot.press("n")
        await pilot.pause()
        assert reader.match_index == 0
        assert "Search hit BOTTOM, continuing at TOP" in said
        await pilot.press("N")
        await pilot.pause()
        assert reader.match_index == count - 1
        assert "Search hit TOP, continuing at BOTTOM" in said


async def test_a_library_search_hit_opens_with_the_word_highlighted_and_n_goes_on(tmp_path, shared_analyzer):
    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.library_search import LibrarySearchScreen
    from tui.ui.screens.reader import ReaderScreen

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen), what="search")
        await pilot.press(*"biden")
        search = app.screen
        await wait_until(pilot, lambda: len(search.hits) > 2, what="hits")
        await pilot.press("enter", "down", "enter")  # the second hit
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        reader = app.screen
        await pilot.pause()
        text = reader.article.text
        second = search.hits[1].start
        assert reader.matches == [(m, m + 5) for m in range(len(text)) if text[m : m + 5].lower() == "biden"]
        assert reader.matches[reader.match_index][0] == second
        await pilot.press("n")
        await pilot.pause()
        third = reader.matches[reader.match_index][0]
        assert third > second
        assert reader.units[reader.unit_index][0] <= third < reader.units[reader.unit_index][1]


async def test_who_said_panel_wraps_quotes_with_a_hanging_indent_and_keeps_speakers_whole(tmp_path, shared_analyzer):
    quote = (
        "This is a long quote that goes on and on about the many things the source wanted to say "
        "about the talks, well beyond sixty characters"
    )
    path = tmp_path / "story.txt"
    path.write_text(
        f"A story about talks\n\n“{quote},” a source familiar with the matter said on Tuesday.\n\nThe talks go on.\n",
        encoding="utf-8",
    )
    app = make_app([path], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("s")
        await pilot.pause()
        panel = reader.query_one("#quote-list", OptionList)
        for size in (SIZE, (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            width = panel.scrollable_content_region.width
            rows = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
            heading, row = rows[0], rows[1]
            assert "\n" not in heading and heading.endswith(" · 1 quote")  # the count on the speaker's line
            speaker = heading[: -len(" · 1 quote")]
            assert len(heading) <= width
            assert speaker == "a source familiar with the matter" or (
                speaker.endswith("…") and "a source familiar with the matter ".startswith(speaker[:-1] + " ")
            )  # never cut mid-word
            lines = row.split("\n")
            assert len(lines) > 2 and all(len(line) <= width for line in lines), size
            assert lines[0].startswith("  ") and all(line.startswith("    ") and line[4] != " " for line in lines[1:])
            assert "well beyond sixty characters" in " ".join(line.strip() for line in lines)  # all of it


async def test_dialog_headers_cut_at_a_word_and_long_tags_keep_the_layout(tmp_path, shared_analyzer):
    from tui.core.annotations import Annotation
    from tui.core.articles import load_article
    from tui.core.store import AnnotationStore
    from tui.ui.screens.dialogs import DIALOG_TEXT_CELLS, NoteDialog, TagDialog

    db = tmp_path / "db.json"
    article = load_article(SEED)
    AnnotationStore.open(db, explicit=True).add(Annotation.for_passage(article, 0, 5, tags=["x" * 200, "short"]))
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        passage = reader.article.text[slice(*reader.units[reader.unit_index])]
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        await pilot.pause()
        dialog = app.screen
        heading = str(dialog.query_one(".dialog-title").render())
        assert heading.startswith("Tag passage: ") and heading.endswith("…") and len(heading) <= DIALOG_TEXT_CELLS
        shown = heading[len("Tag passage: ") : -1]
        assert passage.startswith(shown) and passage[len(shown)] == " "  # cut between two words
        hint = dialog.query_one(".dialog-hint")
        assert hint.size.height <= 2 and "short" in str(hint.render())  # the long tag shortened, the rest shown
        # Enter on an empty box says what is missing and keeps the dialog open
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and "Type a tag first (Escape cancels)." in _messages(app)
        await pilot.press("escape", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        heading = str(app.screen.query_one(".dialog-title").render())
        assert heading.startswith("Note on: ") and heading.endswith("…") and passage[len(heading) - 10] == " "


async def test_the_header_gives_the_title_the_room_and_help_names_the_pipeline(tmp_path, shared_analyzer):
    title = "Negotiators from both parties return to the table as the deadline for a spending deal nears"
    path = tmp_path / "long-title.txt"
    path.write_text(f"{title}\n\nThe talks resumed on Monday. Nobody expects a deal soon.\n", encoding="utf-8")
    app = make_app([path], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.pause()
        header = str(reader.query_one("#reader-title").render())
        assert header.startswith(title + " · ")  # all of it at 120 columns
        assert shared_analyzer.describe() not in header
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.2)
        header = str(reader.query_one("#reader-title").render())
        cut = header.split("…")[0]
        assert len(cut) >= 40 and title.startswith(cut) and title[len(cut)] == " "  # cut at a word, with room
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert shared_analyzer.describe() in app.screen.subtitle


def test_the_entity_focus_colour_differs_clearly_from_every_entity_colour():
    from textual.color import Color

    from tui.ui import theme

    def lab(colour: str) -> tuple[float, float, float]:
        def linear(v: int) -> float:
            v /= 255
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(v) for v in Color.parse(colour).rgb)
        x, y, z = (
            (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
            0.2126 * r + 0.7152 * g + 0.0722 * b,
            (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
        )
        f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    focus = theme.highlights(True).search
    focus_colour = focus.bgcolor.triplet.hex
    for label, colour in {**theme.ENTITY_COLOURS, "other": theme.DEFAULT_ENTITY_COLOUR}.items():
        delta_e = sum((a - b) ** 2 for a, b in zip(lab(focus_colour), lab(colour))) ** 0.5
        assert delta_e >= 30, f"the entity focus colour is too close to {label}'s ({delta_e:.0f})"
    text = Color.parse(focus.color.triplet.hex)
    assert theme.contrast_ratio(text, Color.parse(focus_colour)) >= theme.AA_CONTRAST


async def test_at_80_columns_the_footer_shows_the_main_keys(tmp_path, shared_analyzer):
    from textual.widgets._footer import FooterKey

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        await pilot.pause()
        footer = reader.query_one("Footer")
        assert footer.compact

        def shown() -> set[str]:
            palette = footer.query_one(".-command-palette")
            return {
                key.key
                for key in footer.query(FooterKey)
                if key.region.width and key.region.right <= palette.region.x and key.region.y == palette.region.y
            }

        assert {"t", "n", "slash", "question_mark", "escape", "q"} <= shown()
        await pilot.press("slash", *"biden", "enter")  # n and N join the footer: the main keys still fit
        await pilot.pause()
        assert {"t", "n", "N", "slash", "question_mark", "escape", "q"} <= shown()


async def test_y_copies_the_quote_with_its_attribution(tmp_path, shared_analyzer):
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: Talks resume\ndate: 2024-03-05\nsource: The Daily Example\n"
        "url: https://example.org/talks\n---\n\n"
        "“We will keep talking until there is a deal,” Jane Doe said on Monday.\n\n"
        "The talks go on.\n",
        encoding="utf-8",
    )
    app = make_app([path], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("right_square_bracket", "y")
        await pilot.pause()
        assert app.clipboard == (
            "“We will keep talking until there is a deal,”\n"
            "— Jane Doe, “Talks resume”, The Daily Example, 2024-03-05\n"
            "https://example.org/talks"
        )
        assert any(m.startswith("Copied the quote with its attribution") for m in _messages(app))
        await pilot.press("J", "y")  # a sentence: no speaker
        await pilot.pause()
        assert app.clipboard.startswith("The talks go on.\n— “Talks resume”, The Daily Example")


async def test_next_and_previous_annotation_and_centring(tmp_path, shared_analyzer):
    from tui.core.annotations import Annotation
    from tui.core.articles import load_article
    from tui.core.store import AnnotationStore

    db = tmp_path / "db.json"
    article = load_article(SEED)
    first = article.text.index("Biden has independently")
    second = article.text.index("Trump has been alleging")
    store = AnnotationStore.open(db, explicit=True)
    for offset in (first, second):
        store.add(Annotation.for_passage(article, offset, offset + 20, tags=["x"]))
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)

        def at(offset: int) -> bool:
            start, end = reader.units[reader.unit_index]
            return start <= offset < end

        await pilot.press("greater_than_sign")
        assert at(first)
        await pilot.press("greater_than_sign")
        assert at(second)
        await pilot.press("greater_than_sign")  # no more: stays, and says so
        assert at(second)
        await wait_until(pilot, lambda: "No more annotations in that direction." in _messages(app))
        await pilot.press("less_than_sign")
        assert at(first)
        # z: the cursor's line in the middle of the view
        view = reader.view
        await pilot.press("g", "z")
        assert view.scroll_y == 0  # nothing above the top to centre with
        await pilot.press("J", "J", "J", "z")
        await pilot.pause()
        first_line, last_line = view.line_of(view.cursor[0]), view.line_of(view.cursor[1] - 1)
        middle = int(view.scroll_y) + view.scrollable_content_region.height // 2
        assert abs((first_line + last_line) // 2 - middle) <= 1


async def test_the_footer_says_what_escape_does_now(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.pause()
        assert _footer(reader)["escape"] == "Back"
        await pilot.press("v")
        await pilot.pause()
        assert _footer(reader)["escape"] == "Cancel"
        await pilot.press("escape", "slash", *"biden", "enter")
        await pilot.pause()
        assert _footer(reader)["escape"] == "Clear"
        await pilot.press("s")
        await pilot.pause()
        assert _footer(reader)["escape"] == "To text"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert _footer(reader)["escape"] == "Back"


async def test_entity_label_rows_stay_on_one_line(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("E")
        await pilot.pause(0.2)
        panel = reader.query_one("#entity-list", OptionList)
        width = panel.scrollable_content_region.width
        labels = [
            str(panel.get_option_at_index(i).prompt)
            for i in range(panel.option_count)
            if (panel.get_option_at_index(i).id or "").startswith("label\x00")
        ]
        assert any("NORP" in label for label in labels)
        assert all(len(label) <= width for label in labels), labels


async def test_the_side_panels_say_why_they_are_empty_before_and_after_the_analysis(tmp_path, shared_analyzer, monkeypatch):
    import threading

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.reader import ReaderScreen

    article = tmp_path / "quiet.txt"
    article.write_text("A quiet day\n\nnothing at all happened here today, and nobody spoke about it.\n", encoding="utf-8")
    go = threading.Event()
    analyze = shared_analyzer.analyze

    def slow(text, *args, **kwargs):
        go.wait(30)
        return analyze(text, *args, **kwargs)

    app = make_app([article], tmp_path / "db.json", shared_analyzer)
    monkeypatch.setattr(app.analyzer, "analyze", slow)  # the shared analyzer: put back after the test
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        reader = app.screen

        def says(list_id: str) -> str:
            rows = reader.query_one(list_id, OptionList)
            return " ".join(str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count))

        await pilot.pause()
        assert "shows once the article is analysed" in says("#quote-list")
        assert "show once the article is analysed" in says("#entity-list")
        go.set()
        await wait_until(pilot, lambda: reader.analysis is not None, what="analysis")
        await pilot.pause()
        assert says("#quote-list") == "No quotation marks around anyone's words in this article."


async def test_the_status_says_how_far_a_long_analysis_has_come(tmp_path, shared_analyzer, monkeypatch):
    import threading

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.reader import ReaderScreen

    go = threading.Event()
    analyze = shared_analyzer.analyze

    def halfway(text, progress=None):
        if progress is not None:
            progress(40, 100)  # as spaCy reports after a batch of a long article
        go.wait(30)
        return analyze(text)

    article = tmp_path / "long.txt"  # not analysed before: no cached analysis to show at once
    article.write_text("A long day\n\nThe harbour board met on Tuesday and talked until late.\n", encoding="utf-8")
    app = make_app([article], tmp_path / "db.json", shared_analyzer)
    monkeypatch.setattr(app.analyzer, "analyze", halfway)  # the shared analyzer: put back after the test
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        reader = app.screen
        await wait_until(pilot, lambda: reader.analysis_state == "analysing… 40 %", what="the share done")
        go.set()
        await wait_until(pilot, lambda: reader.analysis is not None, what="analysis")
        assert "analysing" not in reader.analysis_state


async def test_leaving_a_long_analysis_lets_it_finish_and_be_cached(tmp_path, shared_analyzer, monkeypatch):
    import threading

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.reader import ReaderScreen

    article = tmp_path / "book.txt"
    article.write_text("A book\n\nThe harbour board met again on a Friday and talked until dawn.\n", encoding="utf-8")
    go, finished = threading.Event(), threading.Event()
    analyze = shared_analyzer.analyze

    def long_analysis(text, progress=None):
        go.wait(30)
        if progress is not None:
            progress(1, 2)  # spaCy reports its first half after the reader has closed
        result = analyze(text)
        finished.set()
        return result

    app = make_app([article], tmp_path / "db.json", shared_analyzer)
    monkeypatch.setattr(app.analyzer, "analyze", long_analysis)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="back in the library")
        go.set()
        await wait_until(pilot, finished.is_set, what="the analysis to finish")
    from tui.core.articles import load_article

    assert shared_analyzer.cached(load_article(article).text) is not None


async def test_quitting_stops_a_long_analysis_left_running(tmp_path, shared_analyzer, monkeypatch):
    """`q` while a long article is still analysed (the reader left, its analysis kept running for
    the cache): the analysis stops at its next batch, so the exit is not held up for minutes."""
    import threading
    import time

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.reader import ReaderScreen

    article = tmp_path / "book.txt"
    # a text of its own: no other test's analysis of it is cached (then none would start)
    article.write_text("A long book\n\nThe ferry council sat through a Sunday and voted at noon.\n", encoding="utf-8")
    batches, started, ended = 2000, threading.Event(), threading.Event()
    done: list[int] = []

    def endless_analysis(text, progress=None):
        started.set()
        try:
            for batch in range(batches):  # 20 s of batches: far longer than the test waits
                time.sleep(0.01)
                done.append(batch)
                progress(batch, batches)
            return shared_analyzer.analyze(text)
        finally:
            ended.set()

    app = make_app([article], tmp_path / "db.json", shared_analyzer)
    monkeypatch.setattr(app.analyzer, "analyze", endless_analysis)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        await wait_until(pilot, started.is_set, what="the analysis to start")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="back in the library")
        await pilot.press("q")
    assert ended.wait(5)
    assert len(done) < batches  # stopped between two batches, not run to the end


async def test_quitting_does_not_wait_for_the_batch_spacy_is_in(tmp_path, shared_analyzer, monkeypatch):
    """spaCy can take many seconds over one batch of a long article: `q` then quits without
    waiting for it. The analysis runs in a daemon thread: Python's exit does not wait for it, as
    it waits for the thread pool Textual's thread workers run in (asyncio.run's shutdown)."""
    import threading

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.reader import ReaderScreen

    article = tmp_path / "tome.txt"
    article.write_text("A tome\n\nThe canal trust argued over a Thursday and closed at dusk.\n", encoding="utf-8")
    started, release = threading.Event(), threading.Event()

    daemon: list[bool] = []

    def one_long_batch(text, progress=None):
        daemon.append(threading.current_thread().daemon)
        started.set()
        release.wait(60)  # inside one batch: no progress call to stop at
        return shared_analyzer.analyze(text)

    app = make_app([article], tmp_path / "db.json", shared_analyzer)
    monkeypatch.setattr(app.analyzer, "analyze", one_long_batch)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
            await wait_until(pilot, started.is_set, what="the analysis to start")
            await pilot.press("q")
        assert not release.is_set()  # the app has closed while spaCy was still in its batch
        assert daemon == [True]  # …in a thread the interpreter's exit does not wait for
    finally:
        release.set()
