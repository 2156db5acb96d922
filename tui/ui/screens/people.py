"""People: every speaker across the library, one person one row (`P` in the library).

The rows come from `tui.core.people`: summaries cached per article are merged into people in a
worker; articles not analysed yet are analysed in the same worker, with a progress bar, and the
rows fill in as they are done. The list is virtual (only the rows on screen are drawn), so a
keystroke of the filter costs one pass over the rows, not a table rebuild.

Keys: enter timeline · / filter · s sort · m merge with… · x split a name off · ? help ·
escape clear the filter, else back (the footer says which) · q quit.
"""

from __future__ import annotations

import gc
import time

from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Label, ProgressBar, Static

from tui.core.people import (
    SORTS,
    Person,
    collect,
    filter_people,
    sort_people,
)
from tui.core.text import one_line
from tui.ui.deliver import deliver
from tui.ui.screens.early_filter_keys import EarlyFilterKeys
from tui.ui.screens.people_dialogs import PickPersonDialog, PickVariantDialog
from tui.ui.screens.people_fixes import PeopleFixes
from tui.ui.screens.people_help import PEOPLE_KEYS, PeopleCommands
from tui.ui.screens.people_list import KIND_LABELS, PeopleList, dates_text, outlets_text
from tui.ui.screens.people_source import _CACHES, _INDEXES, PeopleSource
from tui.ui.widgets.fitting_footer import FittingFooter

SORT_LABELS = {"quotes": "most quoted", "name": "name", "latest": "latest quote"}
SHORT_BELOW = 100  # the status line in short words below this width (as the footer drops its padding)
# The status line's parts made one step shorter in this order while the line is too long.
SHORTER_FIRST = ("doing", "score", "quotes", "doing", "score", "doing", "score")
REBUILD_EVERY = 1.5  # seconds between rebuilds of the rows while articles are being analysed

__all__ = [
    "KIND_LABELS",
    "PEOPLE_KEYS",
    "PeopleList",
    "PeopleScreen",
    "PeopleSource",
    "PickPersonDialog",
    "PickVariantDialog",
    "_CACHES",
    "_INDEXES",
    "dates_text",
    "outlets_text",
]


class PeopleScreen(PeopleFixes, EarlyFilterKeys):
    COMMANDS = {PeopleCommands}
    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("m", "merge", "Merge"),
        Binding("x", "split", "Split"),
        Binding("v", "chart", "Chart"),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, source: PeopleSource) -> None:
        super().__init__()
        self.source = source
        self.people: list[Person] = []
        self.shown: list[Person] = []
        self.sort = "quotes"
        self.filter_text = ""
        self.ready = False  # the first rows are on screen
        self.ready_at = 0.0
        self.ready_cpu = 0.0
        self.analysing: tuple[int, int] | None = None
        self.finished = False  # every article is summarised (or could not be)
        self._sorted: list[Person] | None = None
        self._last_filter: tuple | None = None
        self._problems_shown: list[str] = []
        self.same: dict | None = None  # (article id, start, end) -> QuoteGroup, once computed
        self._same_of: list[Person] | None = None
        self._shown_header: Text | None = None
        self._detail_of: Person | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content("Margin — people"), id="people-title")
        yield Input(placeholder="filter: name or any variant…", id="people-filter")
        yield Static(id="people-header")
        yield PeopleList(id="people")
        yield Static(id="people-detail")
        with Horizontal(id="people-progress-row"):
            yield Label(Content("Analysing"), id="people-progress-label")
            yield ProgressBar(show_eta=False, id="people-progress")
        yield Static(id="people-status")
        yield FittingFooter(less_important=("split", "chart"))  # at 80 columns: Split dropped (in ?)

    @property
    def rows_widget(self) -> PeopleList:
        return self.query_one(PeopleList)

    def on_mount(self) -> None:
        self.rows_widget.focus()
        self._update_title()
        self._update_status()
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self._update_header()
        self.query_one(FittingFooter).fit(event.size.width)
        self._update_status()

    # -- loading ---------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="people")
    def load(self) -> None:
        """Rows from what is summarised already; then summarise (and analyse) the rest, the rows
        filling in as articles are done. Never blocks the UI."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        source = self.source
        people = source.build()
        if worker.is_cancelled:
            return
        deliver(self, self._show_people, people)
        notice = source.load_overrides().notice  # people.json was damaged: kept aside, said once
        if notice:
            source.load_overrides().notice = None
            deliver(self, self.notify, notice, severity="warning", timeout=15, markup=False)
        if not source.ready():
            # The library is still looking for new and changed files: the rows shown come from
            # its stored index; read the quotes once the walk is done.
            while not source.ready():
                if worker.is_cancelled:
                    return
                time.sleep(0.1)
            people = source.build()
            deliver(self, self._show_people, people)
        last = time.monotonic()

        def progress(done: int, total: int) -> None:
            nonlocal last
            deliver(self, self._show_progress, done, total)
            now = time.monotonic()
            if now - last > REBUILD_EVERY and done < total:
                last = now
                rows = source.build()
                if not worker.is_cancelled:
                    deliver(self, self._show_people, rows)

        cache = source.ensure_summaries()
        # Tens of thousands of summaries now live as long as the app: out of the garbage
        # collector's sight, so that no collection pass walks them between two keystrokes.
        gc.freeze()
        if worker.is_cancelled:
            return
        people = source.build()  # the articles summarised since the index was saved
        if people is not self.people:
            deliver(self, self._show_people, people)
        problems = collect(
            source.entries(),
            source.analyzer,
            cache,
            analyse=source.analyse,
            progress=progress,
            cancelled=lambda: worker.is_cancelled,
        )
        if worker.is_cancelled:
            source.save()
            return
        people = source.build()
        deliver(self, self._finished, people, problems)
        source.save()
        if self._same_of is not people:  # the same quote in other articles (for the timelines)
            from tui.core.people import same_quotes

            same = same_quotes(people)
            if not worker.is_cancelled:
                deliver(self, self._same_found, people, same)

    def _show_progress(self, done: int, total: int) -> None:
        self.analysing = (done, total)
        row = self.query_one("#people-progress-row")
        row.set_class(done < total, "visible")
        self.query_one("#people-progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#people-progress-label", Label).update(Content(f"Reading quotes of {done}/{total} article(s)"))
        self._update_status()

    def _finished(self, people: list[Person], problems: list[str]) -> None:
        self.analysing = None
        self.finished = True
        self.query_one("#people-progress-row").set_class(False, "visible")
        self._show_people(people)
        if problems and problems != self._problems_shown:
            self._problems_shown = problems
            self.notify(
                f"{len(problems)} article(s) could not be read: {one_line(problems[0], 150)}",
                severity="warning",
                timeout=8,
                markup=False,
            )

    def _same_found(self, people: list[Person], same: dict) -> None:
        self._same_of = people
        self.same = same

    def _show_people(self, people: list[Person]) -> None:
        self.people = people
        self._sorted = None
        self.apply()
        if not self.ready:
            self.ready = True
            self.ready_at = time.perf_counter()
            self.ready_cpu = time.process_time()  # for bench/people_bench.py

    # -- the visible rows ------------------------------------------------------------------------
    def apply(self) -> None:
        if self._sorted is None:
            self._sorted = sort_people(self.people, self.sort)
            self._last_filter = None
        rows = self._sorted
        needle = self.filter_text.strip()
        if needle:
            narrowed = self._last_filter
            if narrowed is not None and narrowed[0] is self._sorted and needle.startswith(narrowed[1]):
                rows = narrowed[2]
            rows = filter_people(rows, needle)
            self._last_filter = (self._sorted, needle, rows)
        else:
            self._last_filter = None
        self.shown = rows
        widget = self.rows_widget
        current = widget.current
        widget.set_people(rows, keep=current.id if current else None)
        self._update_header()
        self._update_title()
        self._update_status()

    def _update_header(self) -> None:
        header = self.rows_widget.header()
        if header != self._shown_header:
            self._shown_header = header
            self.query_one("#people-header", Static).update(header, layout=False)

    def on_people_list_reflowed(self) -> None:
        self._update_header()

    def on_people_list_moved(self) -> None:
        self._update_detail()

    def _update_detail(self, force: bool = False) -> None:
        person = self.rows_widget.current
        if person is self._detail_of and not force:
            return  # the same row: nothing to redraw (a filter keystroke that kept the cursor's row)
        self._detail_of = person
        detail = self.query_one("#people-detail", Static)
        if person is None:
            detail.update(Content(""))
            return
        text = Text()
        text.append(one_line(person.name, 80), style="bold")
        variants = person.variants
        others = [v for v in variants if v.name != person.name]
        if others:
            text.append("  merged from: ")
            for i, v in enumerate(others[:6]):
                if i:
                    text.append(" · ")
                text.append(one_line(v.name, 40), style="bold")
                text.append(f" ({one_line(v.reason, 70)})")
            if len(others) > 6:
                text.append(f" · +{len(others) - 6} more (x lists them)")
        else:
            text.append(f"  {person.quote_count} quote(s) in {person.articles} article(s)")
        mentions = other_spellings(person.mentions, [v.name for v in variants])
        if mentions:
            text.append("  · also written: " + ", ".join(one_line(m, 30) for m in mentions[:8]))
        detail.update(text)

    def _update_title(self) -> None:
        title = Text("Margin — people", style="bold")
        title.append(f"  ·  sorted by {SORT_LABELS[self.sort]}")
        if self.filter_text.strip():
            title.append("  ·  filter “")
            title.append(one_line(self.filter_text, 40), style="bold")
            title.append("”")
        self.query_one("#people-title", Static).update(title, layout=False)

    def _update_status(self) -> None:
        """Rows, quotes, what is being done, the speaker score. Below `SHORT_BELOW` columns in short
        words (nothing cut at 80 columns); from there on in words, as long as the line has room for:
        when it has not for all of them, the progress, then the speaker score, then the quotes, say
        it in fewer words first."""
        shown, total = len(self.shown), len(self.people)
        quotes = sum(p.quote_count for p in self.people)
        rows = f"{shown} of {total} row(s)" if shown != total else f"{total} row(s)"
        # each part: its wordings, longest first, and the step at which it is next made shorter
        parts: dict[str, tuple[str, ...]] = {
            "rows": (rows,),
            "quotes": (f"{quotes} attributed quote(s)", f"{quotes} quote(s)"),
        }
        if self.analysing is not None:
            done, all_ = self.analysing
            parts["doing"] = (
                f"reading {done}/{all_} article(s)… the list fills in",
                f"reading {done}/{all_} article(s)…",
                f"reading {done}/{all_}…",
            )
        elif not self.ready:
            parts["doing"] = ("loading…",)
        elif not self.people and self.finished:
            parts["doing"] = ("no speaker found yet (articles with quotes show their speakers here)", "no speaker found yet")
        right, checked = self.source.correction_stats()
        if checked:
            parts["score"] = (
                f"speaker right in {right} of your {checked} corrected or confirmed quote(s)",
                f"speaker right in {right} of your {checked} checked quote(s)",
                f"speaker right {right}/{checked}",
            )
        width = self.size.width or self.app.size.width
        room = width - 2  # the line's padding
        level = dict.fromkeys(parts, 0 if width >= SHORT_BELOW else 9)

        def line() -> str:
            return " · ".join(forms[min(level[key], len(forms) - 1)] for key, forms in parts.items())

        for key in SHORTER_FIRST:
            if cell_len(line()) <= room:
                break
            if key in level:
                level[key] += 1
        self.query_one("#people-status", Static).update(Content(line()), layout=False)

    def key_meaning(self, action: str) -> str | None:
        """What the footer key bound to `action` does now (FittingFooter asks): Escape clears the
        filter, or closes its empty box, before it goes back to the library (`action_back`)."""
        if action != "back":
            return None
        if self.filter_text:
            return "Clear"
        return "Cancel" if self.query_one("#people-filter", Input).has_class("visible") else "Back"

    # -- actions ---------------------------------------------------------------------------------
    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("People keys", PEOPLE_KEYS))

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._sorted = None
        self.apply()
        self.notify(f"Sorted by {SORT_LABELS[self.sort]}", timeout=2, markup=False)

    def action_filter(self) -> None:
        box = self.query_one("#people-filter", Input)
        box.add_class("visible")
        self.set_focus(box)  # at once: keys typed from now on go to the box
        self.take_early_keys(box)
        self.refresh_bindings()  # the footer's Escape

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "people-filter":
            return
        event.stop()
        was_filtering = bool(self.filter_text)
        self.filter_text = event.value
        self.apply()
        if bool(self.filter_text) != was_filtering:
            self.refresh_bindings()  # the footer's Escape: Clear, or Cancel

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "people-filter":
            return
        event.stop()
        if not event.value.strip():
            event.input.remove_class("visible")
        self.rows_widget.focus()
        self.refresh_bindings()  # the footer's Escape

    def action_back(self) -> None:
        box = self.query_one("#people-filter", Input)
        if self.filter_text or box.has_class("visible"):
            self.filter_text = ""
            with box.prevent(Input.Changed):
                box.value = ""
            box.remove_class("visible")
            self.rows_widget.focus()
            self.apply()
            self.refresh_bindings()  # the footer's Escape: Back again
            return
        self.dismiss()

    def on_people_list_selected(self, event: PeopleList.Selected) -> None:
        event.stop()
        self.open_timeline(event.person)

    def action_open(self) -> None:
        person = self.rows_widget.current
        if person is not None:
            self.open_timeline(person)

    def action_chart(self, kind: str = "speakers") -> None:
        from tui.ui.screens.chart import ChartScreen

        self.app.push_screen(ChartScreen(lambda: self.people, self.rows_widget.current, kind))

    def open_timeline(self, person: Person) -> None:
        from tui.ui.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(person, lambda: self.same, people=lambda: self.people, corrected=self.corrected))

    def on_screen_resume(self) -> None:
        """Back from a timeline, the reader or a dialog: pick up articles the library found
        meanwhile (a rescan) and speaker corrections made in the reader; costs nothing when
        nothing changed (only a changed article is indexed again)."""
        self._update_detail(force=True)
        if self.finished:
            self.source.refresh_corrections()
            self.load()

    def on_store_changed(self) -> None:
        """Another process (a second Margin, `margin import`) changed the database: its speaker
        corrections show here at once, as when coming back from another screen."""
        if self.finished:
            self.source.refresh_corrections()
            self.load()


def other_spellings(mentions: list[str], names: list[str]) -> list[str]:
    """The ways the articles write a person that are not one of their `names`, each once whatever
    its case ("He" opening a sentence is "he")."""
    seen = {name.casefold() for name in names}
    out = []
    for mention in mentions:
        if mention.casefold() not in seen:
            seen.add(mention.casefold())
            out.append(mention)
    return out
