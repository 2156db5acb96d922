"""The People view and a person's timeline, driven by keys (Pilot). The analyses come from a fake
analyzer (fixed speakers), so these tests do not depend on the quote attribution rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_app, wait_until

from tui.core.analysis.result import Analysis, Quote, Speaker
from tui.core.analysis.service import Analyzer

ARTICLES = {
    "a1.md": (
        "Harbour to reopen",
        "2024-03-01",
        "Outlet A",
        "Orla Fenwick spoke on Monday.\n\n“We will reopen the harbour by spring,” said Orla Fenwick.\n\n"
        "“Nobody will lose their job,” she added.\n",
    ),
    "a2.md": (
        "Budget settled",
        "2024-05-02",
        "Outlet B",
        "“The budget is settled,” Senator Fenwick told reporters.\n\n“We are done here,” said a senior official.\n",
    ),
    "a3.md": ("Ships return", "2023-01-15", "Outlet A", "“Ships will come back,” said Ansel Traske.\n"),
}
SPEAKERS = {  # quote text -> (canonical, mention as written)
    "We will reopen the harbour by spring,": ("Orla Fenwick", "Orla Fenwick"),
    "Nobody will lose their job,": ("Orla Fenwick", "she"),
    "The budget is settled,": ("Senator Fenwick", "Senator Fenwick"),
    "We are done here,": ("a senior official", "a senior official"),
    "Ships will come back,": ("Ansel Traske", "Ansel Traske"),
}


class FakeAnalyzer(Analyzer):
    """Quotes between curly quotation marks, speakers from SPEAKERS; remembers what it analysed."""

    def __init__(self, cache: Path) -> None:
        super().__init__(model="fake", cache=cache)
        self.done: dict[str, Analysis] = {}
        self.analysed = 0

    def planned_model(self):
        return "fake", "1"

    def describe(self) -> str:
        return "fake 1"

    def has_cached(self, text: str) -> bool:
        return text in self.done

    def cached(self, text: str):
        return self.done.get(text)

    def analyze_many(self, texts, progress=None):
        out = []
        for text in texts:
            if text not in self.done:
                self.analysed += 1
                self.done[text] = self._analyse(text)
            out.append(self.done[text])
        return out

    @staticmethod
    def _analyse(text: str) -> Analysis:
        quotes, position = [], 0
        while (start := text.find("“", position)) >= 0:
            end = text.find("”", start)
            body = text[start + 1 : end]
            canonical, mention = SPEAKERS.get(body, ("Nobody", "Nobody"))
            at = text.find(mention, end) if mention in text[end:] else end
            quotes.append(
                Quote(start + 1, end, body, "said", Speaker(at, at + len(mention), mention, canonical, "cue subject", 0.9))
            )
            position = end + 1
        sentences, start = [], 0
        for part in text.split("\n\n"):
            if part.strip():
                s = text.find(part, start)
                sentences.append((s, s + len(part.rstrip())))
                start = s + len(part)
        return Analysis("fake", "1", "1", sentences, [], quotes)


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, (title, date, source, body) in ARTICLES.items():
        (folder / name).write_text(f"---\ntitle: {title}\ndate: {date}\nsource: {source}\n---\n{body}", encoding="utf-8")
    return folder


def app_for(library, tmp_path):
    analyzer = FakeAnalyzer(tmp_path / "cache")
    return make_app([library], tmp_path / "data" / "ann.json", analyzer=analyzer), analyzer


async def open_people(pilot):
    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.people import PeopleScreen

    app = pilot.app
    await wait_until(
        pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded and app.screen.articles, what="library"
    )
    await pilot.press("P")
    await wait_until(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.finished, what="people")
    return app.screen


async def first_timeline(pilot):
    """People, then Enter on its first row: that person's timeline."""
    from tui.ui.screens.timeline import TimelineScreen

    await open_people(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TimelineScreen), what="timeline")
    return pilot.app.screen


def names(screen) -> list[str]:
    return [p.name for p in screen.shown]


async def test_people_view_analyses_in_background_and_lists_every_speaker(library, tmp_path):
    app, analyzer = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        assert analyzer.analysed == 3  # nothing was analysed before: the view did it, in its worker
        assert names(screen) == ["Orla Fenwick", "a senior official", "Ansel Traske"]  # most quoted first, ties by name
        orla = screen.shown[0]
        assert (orla.quote_count, orla.articles, orla.outlets, orla.first, orla.last) == (
            3,
            2,
            ["Outlet A", "Outlet B"],
            "2024-03-01",
            "2024-05-02",
        )
        assert [v.name for v in orla.variants] == ["Orla Fenwick", "Senator Fenwick"]
        assert screen.shown[1].kind == "description"
        detail = str(screen.query_one("#people-detail").render())
        assert "Senator Fenwick" in detail and "only person named Fenwick" in detail
        assert (tmp_path / "cache" / "people" / "articles.json").exists()  # summaries cached
        # s: name, then latest, then most quoted again
        await pilot.press("s")
        assert names(screen) == ["a senior official", "Ansel Traske", "Orla Fenwick"]
        await pilot.press("s")
        assert names(screen)[0] in ("Orla Fenwick", "a senior official")  # both last quoted 2024-05-02
        assert names(screen)[-1] == "Ansel Traske"
        await pilot.press("s")
        assert screen.sort == "quotes"
        # j / k / G / g move the cursor
        widget = screen.rows_widget
        await pilot.press("j")
        assert widget.cursor == 1
        await pilot.press("k")
        assert widget.cursor == 0
        await pilot.press("G")
        assert widget.cursor == 2
        await pilot.press("g")
        assert widget.cursor == 0


async def test_people_opens_at_once_from_the_cache(library, tmp_path):
    app, analyzer = app_for(library, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_people(pilot)
        await pilot.press("escape")
        from tui.ui.screens.library import LibraryScreen

        assert isinstance(app.screen, LibraryScreen)
        before = analyzer.analysed
        screen = await open_people(pilot)
        assert analyzer.analysed == before and len(screen.shown) == 3


async def test_filter_as_you_type_matches_variants(library, tmp_path):
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        await pilot.press("slash")
        await pilot.press(*"senator")
        assert names(screen) == ["Orla Fenwick"]
        await pilot.press("backspace", *"x")
        assert names(screen) == []
        await pilot.press("enter")  # back to the list, the filter kept
        assert screen.rows_widget.has_focus
        await pilot.press("escape")  # clears the filter
        assert len(names(screen)) == 3
        await pilot.press("escape")  # back to the library
        from tui.ui.screens.library import LibraryScreen

        assert isinstance(app.screen, LibraryScreen)


async def test_help_lists_every_key(library, tmp_path):
    from tui.ui.screens.help import HelpScreen
    from tui.ui.screens.people import PEOPLE_KEYS, PeopleList, PeopleScreen
    from tui.ui.screens.timeline import TIMELINE_KEYS, TimelineScreen

    def cells(table):
        return {part.strip() for _, rows in table for key, _ in rows for part in key.replace(", ", " / ").split(" / ")}

    def bound(bindings):
        keys = []
        for b in bindings:
            keys += b.key.split(",")
        return keys

    names_ = {
        "slash": "/",
        "question_mark": "?",
        "escape": "Escape",
        "enter": "Enter",
        "down": "↓",
        "up": "↑",
        "home": "Home",
        "end": "End",
        "pagedown": "PageDown",
        "pageup": "PageUp",
    }
    for table, bindings in ((PEOPLE_KEYS, PeopleScreen.BINDINGS + PeopleList.BINDINGS), (TIMELINE_KEYS, TimelineScreen.BINDINGS)):
        keys = bound(bindings)
        assert len(keys) == len(set(keys)), "two bindings of one screen share a key"
        documented = cells(table)
        for key in keys:
            assert names_.get(key, key) in documented, f"{key} is not in ?"
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and app.screen.title_text == "People keys"
        await pilot.press("escape")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and app.screen.title_text == "Timeline keys"
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)


def test_library_P_collides_with_nothing_and_is_in_help():
    from tui.ui.screens.library import LIBRARY_KEYS, LibraryScreen
    from tui.ui.widgets.library_list import LibraryList

    keys = [k for b in LibraryScreen.BINDINGS + LibraryList.BINDINGS for k in b.key.split(",")]
    assert keys.count("P") == 1
    assert any(key == "P" for _, rows in LIBRARY_KEYS for key, _ in rows)


async def test_timeline_lists_quotes_and_enter_opens_the_article_at_the_quote(library, tmp_path):
    from tui.ui.screens.reader import ReaderScreen
    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = await first_timeline(pilot)
        assert [q.text for q in timeline.quotes] == [
            "We will reopen the harbour by spring,",
            "Nobody will lose their job,",
            "The budget is settled,",
        ]
        prompt = str(timeline.options.get_option_at_index(2).prompt)
        assert "2024-05-02" in prompt and "Outlet B" in prompt and "Budget settled" in prompt
        assert "as written: Senator Fenwick" in prompt
        await pilot.press("j")
        assert timeline.options.highlighted == 1
        await pilot.press("G")
        assert timeline.options.highlighted == 2
        await pilot.press("k")
        await pilot.press("g")
        assert timeline.options.highlighted == 0
        await pilot.press("j", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        reader = app.screen
        quote = timeline.quotes[1]
        assert reader.article.text[quote.start : quote.end] == quote.text
        assert reader.start_offset == quote.start
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="back to the timeline")
        await pilot.press("escape")
        from tui.ui.screens.people import PeopleScreen

        assert isinstance(app.screen, PeopleScreen)


async def test_timeline_tag_and_note_are_the_readers_annotations(library, tmp_path):
    from tui.ui.screens.dialogs import NoteDialog, TagDialog
    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = await first_timeline(pilot)
        await pilot.press("j", "t")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"promise", "enter")
        assert app.screen is timeline
        quote = timeline.quotes[1]
        stored = [a for a in app.store.all() if a.start == quote.start]
        assert len(stored) == 1
        annotation = stored[0]
        assert (annotation.tags, annotation.kind, annotation.speaker, annotation.text) == (
            ["promise"],
            "quote",
            "Orla Fenwick",
            quote.text,
        )
        assert "#promise" in str(timeline.options.get_option_at_index(1).prompt)
        await pilot.press("n")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"check this", "ctrl+s")
        assert app.screen is timeline
        annotation = app.store.get(annotation.id, annotation.article_id)
        assert annotation.note == "check this" and annotation.tags == ["promise"]  # the same annotation
        assert "note: check this" in str(timeline.options.get_option_at_index(1).prompt)
        # a second timeline shows the tags from the store
        await pilot.press("escape", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen) and app.screen.annotations, what="annotations")
        assert "#promise" in str(app.screen.options.get_option_at_index(1).prompt)


async def test_a_timeline_annotation_left_with_no_tag_and_no_note_is_deleted(library, tmp_path):
    from textual.widgets import Input, TextArea

    from tui.ui.screens.dialogs import NoteDialog, TagDialog

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = await first_timeline(pilot)
        await pilot.press("j", "t")
        await pilot.press(*"promise", "enter")
        await pilot.press("n")
        await pilot.press(*"check", "ctrl+s")
        [annotation] = app.store.all()
        await pilot.press("t")
        assert isinstance(app.screen, TagDialog)
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.press("n")
        assert isinstance(app.screen, NoteDialog)
        app.screen.query_one(TextArea).text = ""
        await pilot.press("ctrl+s")
        assert app.screen is timeline
        assert app.store.all() == []
        assert "1 annotated" not in str(timeline.query_one("#timeline-status").render())
        assert app.undo_delete().id == annotation.id  # the reader's `u` restores it


async def test_a_timeline_row_drops_the_tags_of_an_annotation_deleted_meanwhile(library, tmp_path):
    from tui.core.store import AnnotationStore

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = await first_timeline(pilot)
        await pilot.press("j", "t", *"promise", "enter")
        await wait_until(pilot, lambda: "#promise" in str(timeline.options.get_option_at_index(1).prompt), what="the tag")
        other = AnnotationStore.open(tmp_path / "data" / "ann.json", explicit=True)  # another process
        [annotation] = other.all()
        other.delete(annotation.id)
        app.check_store_changes()  # what the app's timer does
        await wait_until(pilot, lambda: not timeline.annotations, what="the reload")
        assert "#promise" not in str(timeline.options.get_option_at_index(1).prompt)


async def test_merge_and_split_by_keys_are_saved(library, tmp_path):
    from tui.ui.screens.people import PickPersonDialog, PickVariantDialog

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        # x on Orla Fenwick: split "Senator Fenwick" off
        await pilot.press("x")
        assert isinstance(app.screen, PickVariantDialog)
        await pilot.press("j", "enter")  # j moves as ↓ does
        await wait_until(pilot, lambda: "Senator Fenwick" in names(screen), what="split")
        overrides = json.loads((tmp_path / "data" / "people.json").read_text())
        assert overrides["splits"] == ["Senator Fenwick"]
        assert next(p for p in screen.shown if p.name == "Orla Fenwick").quote_count == 2
        # m on Orla Fenwick: merge "Senator Fenwick" back
        screen.rows_widget.move_to(names(screen).index("Orla Fenwick"))
        await pilot.press("m")
        assert isinstance(app.screen, PickPersonDialog)
        await pilot.press(*"senator", "enter")
        await wait_until(pilot, lambda: "Senator Fenwick" not in names(screen), what="merge")
        assert next(p for p in screen.shown if p.name == "Orla Fenwick").quote_count == 3
        assert screen.rows_widget.current.name == "Orla Fenwick"
        overrides = json.loads((tmp_path / "data" / "people.json").read_text())
        assert len(overrides["merges"]) == 1
        # Escape cancels either dialog; x on a one-name row says there is nothing to split
        await pilot.press("m")
        await pilot.press("escape")
        await pilot.press("x")
        assert isinstance(app.screen, PickVariantDialog)
        await pilot.press("escape")
        screen.rows_widget.move_to(names(screen).index("Ansel Traske"))
        await pilot.press("x")
        assert app.screen is screen


async def test_timeline_shows_the_same_quote_in_other_articles(library, tmp_path):
    from tui.ui.screens.timeline import TimelineScreen

    (library / "a4.md").write_text(
        "---\ntitle: Harbour plan\ndate: 2024-03-02\nsource: Outlet C\n---\n"
        "“We will reopen the harbour by spring,” Fenwick said again.\n",
        encoding="utf-8",
    )
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        await wait_until(pilot, lambda: screen.same is not None, what="same quotes")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        prompts = [str(app.screen.options.get_option_at_index(i).prompt) for i in range(len(app.screen.quotes))]
        assert [q.title for q in app.screen.quotes] == [
            "Harbour to reopen",
            "Harbour to reopen",
            "Harbour plan",
            "Budget settled",
        ]
        assert "also in 1 other article(s): Outlet C 2024-03-02" in prompts[0]
        assert "also in 1 other article(s): Outlet A 2024-03-01" in prompts[2]
        assert not any("also in" in p for p in (prompts[1], prompts[3]))


async def test_page_keys_and_q(library, tmp_path):
    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_people(pilot)
        await pilot.press("pagedown")
        assert screen.rows_widget.cursor == 2
        await pilot.press("pageup")
        assert screen.rows_widget.cursor == 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        await pilot.press("pagedown")
        assert app.screen.options.highlighted == 2
        await pilot.press("q")  # quits from a timeline (nothing unsaved)
        await pilot.pause()
    assert app.return_code == 0


async def test_the_view_answers_keys_while_articles_are_analysed(library, tmp_path):
    """The analysis runs in the view's worker: while it is under way the view is up, shows its
    progress and answers keys; the rows fill in when it is done."""
    import threading

    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.people import PeopleScreen

    app, analyzer = app_for(library, tmp_path)
    release = threading.Event()
    started = threading.Event()
    analyse = analyzer.analyze_many

    def slow(texts):
        started.set()
        release.wait(30)
        return analyse(texts)

    analyzer.analyze_many = slow
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        await pilot.press("P")
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        await wait_until(pilot, started.is_set, what="analysis under way")
        await wait_until(pilot, lambda: screen.analysing is not None, what="progress")
        assert screen.analysing == (0, 3) and screen.shown == []
        assert screen.query_one("#people-progress-row").has_class("visible")
        assert "reading 0/3 article(s)" in str(screen.query_one("#people-status").render())
        await pilot.press("s")  # keys work meanwhile
        assert screen.sort == "name"
        release.set()
        await wait_until(pilot, lambda: screen.finished, what="analysis done")
        assert [p.name for p in screen.shown] == ["a senior official", "Ansel Traske", "Orla Fenwick"]
        assert not screen.query_one("#people-progress-row").has_class("visible")


async def test_a_shows_the_versions_of_a_quote_with_differences_and_opens_one(library, tmp_path):
    from tui.ui.screens.reader import ReaderScreen
    from tui.ui.screens.timeline import QuoteGroupDialog, TimelineScreen

    (library / "a5.md").write_text(
        "---\ntitle: Harbour again\ndate: 2024-04-01\nsource: Outlet D\n---\n"
        "“We will surely reopen the harbour by spring,” said Orla Fenwick.\n",
        encoding="utf-8",
    )
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        await wait_until(pilot, lambda: screen.same is not None, what="same quotes")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        timeline = app.screen
        await pilot.press("j", "a")  # "Nobody will lose their job" is in no other article
        assert app.screen is timeline
        await pilot.press("k", "a")
        dialog = app.screen
        assert isinstance(dialog, QuoteGroupDialog)
        versions = [str(dialog.query_one("#group-versions").get_option_at_index(i).prompt) for i in range(2)]
        assert "Outlet A" in versions[0] and "Outlet D" in versions[1]
        assert "surely" in versions[1]
        spans = dialog.query_one("#group-versions").get_option_at_index(1).prompt.spans
        styled = {versions[1][s.start : s.end]: str(s.style) for s in spans}
        assert styled.get("surely") == "bold reverse"  # the word the earliest version does not have
        await pilot.press("escape")
        assert app.screen is timeline
        await pilot.press("a")
        versions_list = app.screen.query_one("#group-versions")
        assert versions_list.highlighted == 1  # the version in the other article, not the one open
        await pilot.press("k")
        assert versions_list.highlighted == 0
        await pilot.press("j", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
        assert app.screen.article.title == "Harbour again"
        assert app.screen.article.text[app.screen.start_offset :].startswith("We will surely")


async def test_people_from_the_reader_with_w_and_from_the_palette(tmp_path, shared_analyzer):
    from helpers import SEED, make_app, open_article, wait_until

    from tui.ui.screens.people import PeopleScreen

    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("W")
        await wait_until(pilot, lambda: isinstance(app.screen, PeopleScreen), what="people from the reader")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is reader, what="back to the reader")
        assert any(command.title == "People" for command in app.get_system_commands(app.screen))


def footer_keys_shown(screen) -> set[str]:
    """The keys of `screen`'s footer drawn whole left of the palette key (not cut, not dropped)."""
    from textual.widgets._footer import FooterKey

    footer = screen.query_one("Footer")
    palette = footer.query_one(".-command-palette")
    return {
        key.key
        for key in footer.query(FooterKey)
        if key.region.width and key.region.right <= palette.region.x and key.region.y == palette.region.y
    }


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_people_and_timeline_footers_titles_and_status_fit(library, tmp_path, size):
    """At 80 columns the People footer keeps its main keys (Split is in ?), its status line is
    never cut; the timeline's footer shows a (also in) and v (chart), its title fits."""
    from rich.cells import cell_len
    from textual.widgets import Static

    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=size) as pilot:
        people = await open_people(pilot)
        await pilot.pause()
        main = {"enter", "slash", "s", "m", "v", "escape", "question_mark", "q"}
        assert main <= footer_keys_shown(people)
        assert ("x" in footer_keys_shown(people)) == (size[0] >= 100)
        people.analysing = (3, 120)  # the longest status: reading, and the speaker score
        people.source.correction_stats = lambda: (11, 12)
        people._update_status()
        status = str(people.query_one("#people-status", Static).render())
        assert "reading 3/120" in status and "11" in status
        assert cell_len(status) <= size[0] - 2
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        timeline = app.screen
        timeline.person.name = "Maria Magdalena Fernández de la Cruz y Montenegro"
        timeline._title()
        await pilot.pause()
        assert {"t", "n", "a", "c", "v", "escape", "question_mark", "q"} <= footer_keys_shown(timeline)
        assert ("y" in footer_keys_shown(timeline)) == (size[0] >= 100)
        title = str(timeline.query_one("#timeline-title", Static).render())
        assert cell_len(title) < size[0] and "quote" in title and "article" in title


def test_other_spellings_are_listed_once_whatever_their_case():
    from tui.ui.screens.people import other_spellings

    mentions = ["he", "the Secretary general", "He", "Pompeo", "the secretary general"]
    assert other_spellings(mentions, ["Mike Pompeo", "Pompeo"]) == ["he", "the Secretary general"]


async def test_back_from_people_the_library_shows_the_quotes_people_counted(library, tmp_path):
    from tui.ui.screens.library import LibraryScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        screen = app.screen
        assert all(e.quotes is None for e in screen.entries)  # nothing opened, nothing analysed
        await open_people(pilot)  # People analyses every article
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="the library again")
        assert sorted(e.quotes for e in screen.entries) == [1, 2, 2]


async def test_the_palette_merges_and_splits_and_people_goes_back_to_people(library, tmp_path):
    from helpers import run_palette_command

    from tui.ui.screens.people import PeopleScreen
    from tui.ui.screens.people_dialogs import PickPersonDialog, PickVariantDialog
    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:  # at 80 columns `x` is not in the footer
        people = await open_people(pilot)
        await run_palette_command(pilot, "Merge with another row")
        await wait_until(pilot, lambda: isinstance(app.screen, PickPersonDialog), what="the merge dialog")
        await pilot.press("escape")
        await run_palette_command(pilot, "Split a name off")
        await wait_until(pilot, lambda: isinstance(app.screen, PickVariantDialog), what="the split dialog")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is people)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        await run_palette_command(pilot, "People")
        await wait_until(pilot, lambda: app.screen is people, what="back to People")
        assert sum(isinstance(s, PeopleScreen) for s in app.screen_stack) == 1


async def test_the_timeline_palette_tags_and_notes(library, tmp_path):
    from helpers import run_palette_command

    from tui.ui.screens.dialogs import NoteDialog, TagDialog

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = await first_timeline(pilot)
        await run_palette_command(pilot, "Tag quote")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog), what="the tag dialog")
        await pilot.press(*"promise", "enter")
        await wait_until(pilot, lambda: app.screen is timeline)
        await run_palette_command(pilot, "Note on quote")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), what="the note dialog")
        await pilot.press(*"check", "ctrl+s")
        await wait_until(pilot, lambda: app.screen is timeline)
        [annotation] = app.store.all()
        assert (annotation.tags, annotation.note) == (["promise"], "check")


async def test_merging_rows_of_two_kinds_says_so(library, tmp_path):
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        screen.rows_widget.move_to(names(screen).index("Orla Fenwick"))
        await pilot.press("m", *"senior", "enter")
        await wait_until(pilot, lambda: "a senior official" not in names(screen), what="merge")
        [toast] = [n for n in app._notifications if "Merged" in n.message]
        assert toast.severity == "warning"
        assert "the description “a senior official” into the person “Orla Fenwick”" in toast.message


async def test_a_person_merged_into_a_description_keeps_the_persons_name(library, tmp_path):
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        screen.rows_widget.move_to(names(screen).index("a senior official"))
        await pilot.press("m", *"orla", "enter")
        await wait_until(pilot, lambda: "a senior official" not in names(screen), what="merge")
        assert "Orla Fenwick" in names(screen)
        assert screen.rows_widget.current.name == "Orla Fenwick"
        [toast] = [n for n in app._notifications if "Merged" in n.message]
        assert "the description “a senior official” into the person “Orla Fenwick”" in toast.message


async def test_a_filter_that_leaves_out_the_current_row_goes_to_the_first_match(library, tmp_path):
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        screen.rows_widget.move_to(names(screen).index("Ansel Traske"))
        await pilot.press("slash", "o")
        await wait_until(pilot, lambda: "Ansel Traske" not in names(screen), what="the filter")
        assert len(screen.shown) >= 2  # the cursor could land on any of them
        assert screen.rows_widget.current is screen.shown[0]


async def test_u_in_a_timeline_restores_the_annotation_emptied_there(library, tmp_path):
    from textual.widgets import Input

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = await first_timeline(pilot)
        await pilot.press("j", "t", *"promise", "enter")
        await wait_until(pilot, lambda: app.store.all(), what="the tag")
        [annotation] = app.store.all()
        await pilot.press("t")
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.store.all() == [], what="the delete")
        assert any("u undoes" in n.message for n in app._notifications)
        await pilot.press("u")
        await wait_until(pilot, lambda: len(app.store.all()) == 1, what="the undo")
        assert app.store.all()[0].tags == annotation.tags
        await wait_until(pilot, lambda: "#promise" in str(timeline.options.get_option_at_index(1).prompt), what="the row")
        await pilot.press("u")
        assert any(n.message == "Nothing to undo." for n in app._notifications)


async def test_a_damaged_people_file_is_said_once_with_where_it_was_kept(library, tmp_path):
    from tui.core.paths import data_dir

    people = data_dir() / "people.json"
    people.parent.mkdir(parents=True, exist_ok=True)
    people.write_text('{"version": 1, "merges": [["person:a", "person:b"]]', encoding="utf-8")  # cut short
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await wait_until(pilot, lambda: any("people.json" in n.message for n in app._notifications), what="the notice")
        [told] = [n for n in app._notifications if "people.json" in n.message]
        [kept] = list(people.parent.glob("people.json.damaged-*"))
        assert str(kept) in told.message and told.severity == "warning"


@pytest.mark.parametrize("key", ["m", "x"])
async def test_a_tiny_terminal_with_the_merge_or_split_picker_open_is_no_crash(library, tmp_path, key):
    from tui.ui.screens.people import PickPersonDialog, PickVariantDialog

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await pilot.press(key)
        assert isinstance(app.screen, (PickPersonDialog, PickVariantDialog))
        for size in ((10, 4), (4, 2), (40, 12)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.is_running and isinstance(app.screen, (PickPersonDialog, PickVariantDialog))


async def test_an_answer_for_a_timeline_already_closed_is_dropped(library, tmp_path):
    """A worker's answer (the timeline's annotations) arriving after Escape is dropped, not a crash."""
    import asyncio

    from tui.ui.deliver import deliver

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        timeline = await first_timeline(pilot)
        people = app.screen_stack[-2]
        calls: list[dict] = []

        def loaded(found: dict) -> None:
            calls.append(found)
            timeline._annotations_loaded(found)

        await asyncio.to_thread(deliver, timeline, loaded, {})  # shown: delivered
        assert calls == [{}]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is people, what="back to People")
        await asyncio.to_thread(deliver, timeline, loaded, {})  # gone, and its widgets with it
        assert calls == [{}]
        await pilot.pause()
        assert app.screen is people and app.return_code is None


async def test_the_timelines_highlighted_row_has_a_mark_not_only_a_colour(library, tmp_path):
    """As in the library and People: ▶ before the highlighted row's first line; the text keeps its place."""
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = await first_timeline(pilot)
        options = timeline.options
        await pilot.pause()

        def lines() -> list[str]:
            return [options.render_line(y).text for y in range(options.size.height)]

        def marked() -> list[int]:
            return [y for y, line in enumerate(lines()) if line.startswith("▶")]

        assert len(timeline.quotes) >= 2
        assert marked() == [0]
        second = options._lines.index((1, 0))  # the second row's first line
        assert lines()[second].startswith(" " + (timeline.quotes[1].date or "no date"))
        await pilot.press("j")
        await pilot.pause()
        assert marked() == [second]
        assert lines()[0].startswith(" " + (timeline.quotes[0].date or "no date"))  # the mark, not the text, moved
