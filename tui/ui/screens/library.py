"""The library: every article under the given paths, found fast, at any size.

The list comes from the library index (`tui.core.library`): stored entries show at once, a worker
walks the folders and re-parses only what changed (with a progress bar when many files did). The
list widget (`ui/widgets/library_list.py`) is virtual, so sorting and filtering 10,000 articles
costs a list comprehension; the tag filter and the library search are screens of their own.

Keys: enter open · / filter (title, source, text) · s sort · t tag filter · ctrl+f search ·
p problems · r rescan · escape clear filters · q quit.
"""

from __future__ import annotations

from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from tui.core import settings
from tui.core.articles import mebibytes
from tui.core.library import (
    SORTS,
    Entry,
    LibraryIndex,
    Progress,
    TextCorpus,
    filter_entries,
    sort_entries,
)
from tui.core.text import one_line
from tui.ui.messages import StoreChanged
from tui.ui.palette import LibraryCommands
from tui.ui.screens import library_jobs as jobs
from tui.ui.screens.early_filter_keys import EarlyFilterKeys
from tui.ui.screens.library_keys import LIBRARY_KEYS
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.widgets.library_list import LibraryList

if TYPE_CHECKING:
    from textual.widgets import Label, ProgressBar

    from tui.core.articles import Article

SLOW_OPEN_BYTES = 2**20  # a larger article takes a second or more to open: a notice says it is coming
SORT_LABELS = {"date": "date (newest first)", "title": "title (A–Z)", "source": "source (A–Z)", "annotated": "most annotated"}
REVERSED_LABELS = {
    "date": "date (oldest first)",
    "title": "title (Z–A)",
    "source": "source (Z–A)",
    "annotated": "least annotated",
}


def sort_label(sort: str, reverse: bool) -> str:
    """The order in words, the reversal included ("date (oldest first)", "title (Z–A)")."""
    return (REVERSED_LABELS if reverse else SORT_LABELS)[sort]


class LibraryScreen(jobs.LibraryJobs, EarlyFilterKeys):
    COMMANDS = {LibraryCommands}
    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("t", "tag_filter", "Tag"),
        Binding("ctrl+f", "search", "Search"),
        Binding("p", "toggle_problems", "Problems"),
        Binding("x", "export", "Export", show=False),
        Binding("m", "toggle_read", "Mark read/new", show=False),
        Binding("o", "open_url", "Open URL", show=False),
        Binding("S", "reverse_sort", "Reverse sort", show=False),
        Binding("r", "rescan", "Rescan", show=False),
        Binding("A", "analyse_all", "Analyse all", show=False),
        Binding("P", "people", "People", show=False),
        Binding("F", "fetch_feeds", "Fetch feeds", show=False),
        Binding("escape", "clear", "Clear", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("Library keys", LIBRARY_KEYS))

    def action_people(self) -> None:
        """People across the library (issue 14): tui/ui/screens/people.py."""
        from tui.ui.screens.people import PeopleScreen, PeopleSource

        self.app.push_screen(PeopleScreen(PeopleSource.from_library(self)))

    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = [str(p) for p in paths]
        self.index = LibraryIndex(self.paths)
        self.entries: list[Entry] = []  # every readable article, index order
        self.shown: list[Entry] = []  # after tag filter, text filter and sort
        self.problems: list[str] = []
        self._open_over: Screen | None = None  # the screen an article being read will open over
        self.sort = "date"
        self.reverse = False
        self.filter_text = ""
        self.tag: str | None = None
        self.tag_ids: set[str] = set()
        self.counts: dict[str, int] = {}
        self.corpus = TextCorpus()
        self.corpus_ready = False
        self.loaded = False  # the walk and refresh are done
        self.progress: Progress | None = None
        self.model = ""
        self._sorted: list[Entry] | None = None
        self._progress_widgets: tuple[Horizontal, Label, ProgressBar] | None = None
        self._resumed = False
        self._last_filter: tuple | None = None  # (what it filtered, needle, rows) for narrowing
        self._opened: tuple[Entry, Article] | None = None

    @property
    def articles(self) -> list[Entry]:
        """The rows shown, in order (entries with id, path, title, date, source, word_count…)."""
        return self.shown

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Content("Margin — library"), id="library-title")
        yield Static(id="lib-header")
        yield LibraryList(id="library")
        yield Static(id="library-status")
        yield FittingFooter()  # below 100 columns compact; on a very narrow terminal its last keys go (all in ?)

    @property
    def rows_widget(self) -> LibraryList:
        return self.query_one(LibraryList)

    # The filter box, the progress row and the problems list are made when first needed: the
    # first frame builds only what it shows.
    def _filter_box(self) -> Input | None:
        boxes = self.query("#lib-filter")
        return boxes.first(Input) if boxes else None

    def _progress_row(self) -> tuple[Horizontal, Label, ProgressBar]:
        if self._progress_widgets is None:
            from textual.widgets import Label, ProgressBar

            label, bar = Label(Content("Indexing"), id="lib-progress-label"), ProgressBar(show_eta=False, id="lib-progress")
            row = Horizontal(label, bar, id="lib-progress-row")
            self.mount(row, before=self.query_one("#library-status"))
            self._progress_widgets = (row, label, bar)
        return self._progress_widgets

    def _hide_progress(self) -> None:
        for row in self.query("#lib-progress-row"):
            row.set_class(False, "visible")

    def _problems_text(self) -> Text:
        text = Text("\n".join(one_line(p, 300) for p in self.problems) or "No problems.")
        notices = self.index.notices
        if notices:
            text.append(f"\n\nRead with changes ({len(notices)}: the reader says what each time it opens one):\n", style="bold")
            text.append("\n".join(one_line(n, 300) for n in notices))
        return text

    def on_mount(self) -> None:
        self.app.session.follow_library(lambda: self.entries)  # annotations follow texts still in it
        self.counts = self.app.annotation_counts()
        self.rows_widget.progress = settings.load_progress()
        self.rows_widget.focus()
        # The stored index is read here, before the first paint: tens of milliseconds even at
        # 10,000 articles, and faster than in a worker that competes with mounting for the GIL.
        if self.index.load():
            self._show_entries(self.index.articles(), self.index.problems, False, self.index.by_date())
        else:
            self._update_title()
            self._update_status()
        # The walk that looks for changed files starts once the first frame is on screen.
        self.call_after_refresh(self.load)
        self.call_after_refresh(self._remind_of_recovery_files)

    def _remind_of_recovery_files(self) -> None:
        """Annotations that could not be saved when Margin last quit wait in recovery files: say so
        at each start until they are imported (`margin import` marks them done)."""
        from tui.core.session import pending_recovery_files

        pending = pending_recovery_files()
        if pending:
            self.notify(
                f"{len(pending)} file(s) of annotations that could not be saved wait to be restored: margin import {pending[0]}",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def on_resize(self, event: events.Resize) -> None:
        self._update_header()
        # Narrow terminals: the footer drops its padding so every key still fits (at 80 columns).
        self.query_one(FittingFooter).fit(event.size.width)

    def _show_entries(self, entries: list[Entry], problems: list[str], final: bool, by_date: list[Entry] | None = None) -> None:
        """Show these entries; `by_date` is them newest first, when the index knows it already."""
        unchanged = len(entries) == len(self.entries) and all(a is b for a, b in zip(entries, self.entries))
        self.entries = entries
        self.problems = problems
        self.loaded = self.loaded or final
        if not unchanged:  # else the sorted rows still hold: the walk found nothing new
            self._sorted = by_date if self.sort == "date" and not self.reverse else None
        if final and self.corpus_ready:
            self.corpus_ready = False  # some texts may have changed: re-read those on demand
            if self.filter_text:
                self._load_corpus()
        self.apply()
        self._update_problems()

    # -- the visible rows ------------------------------------------------------------------------
    def apply(self) -> None:
        """Filter and sort the entries into the list, keeping the cursor on the same article."""
        if self._sorted is None:
            self._sorted = sort_entries(self.entries, self.sort, self.counts, self.reverse)
        rows = self._sorted
        if self.tag is not None:
            rows = [e for e in rows if e.id in self.tag_ids or e.path in self.tag_ids]
        needle = self.filter_text.strip().lower()
        if needle:
            corpus = self.corpus if self.corpus_ready else None
            # Typing narrows: when the filter only grew, the rows it can match are among the
            # rows the shorter filter matched (same sort, tag and texts).
            key = (self._sorted, self.tag, self.tag_ids, corpus is not None)  # compared by identity
            narrowed = self._last_filter
            if narrowed is not None and all(a is b for a, b in zip(narrowed[0], key)) and needle.startswith(narrowed[1]):
                rows = narrowed[2]
            rows = filter_entries(rows, needle, corpus)
            self._last_filter = (key, needle, rows)
        else:
            self._last_filter = None
        self.shown = rows
        widget = self.rows_widget
        current = widget.current
        widget.sorted_by = self.sort
        widget.set_entries(rows, self.counts, keep=current.path if current else None)
        self._update_header()
        self._update_title()
        self._update_status()

    def visible_for_search(self) -> list[Entry]:
        """What a library search covers: every readable article, in the current sort order."""
        if self._sorted is None:
            self._sorted = sort_entries(self.entries, self.sort, self.counts, self.reverse)
        return list(self._sorted)

    def _update_header(self) -> None:
        self.query_one("#lib-header", Static).update(self.rows_widget.header())

    def on_library_list_reflowed(self) -> None:
        self._update_header()

    def _source_label(self) -> str:
        """What is open: the bundled samples, the user's library, or the paths given."""
        from tui.core.library import library_dir
        from tui.core.paths import SAMPLE_ARTICLES

        paths = [Path(p).expanduser().resolve() for p in self.paths]
        if paths == [SAMPLE_ARTICLES.resolve()]:
            return "sample articles"
        if paths and paths[0] == library_dir().expanduser().resolve():
            return "your library"
        shown = ", ".join(one_line(p.name or str(p), 30) for p in paths[:2])
        return shown + (f" +{len(paths) - 2}" if len(paths) > 2 else "")

    def _update_title(self) -> None:
        title = Text("Margin — ", style="bold")
        title.append(self._source_label(), style="bold")
        title.append(f"  ·  sorted by {sort_label(self.sort, self.reverse)}", style="")
        if self.tag is not None:
            title.append("  ·  tag ")
            title.append("#" + one_line(self.tag, 40), style="bold")
        if self.filter_text.strip():
            title.append("  ·  filter “")
            title.append(one_line(self.filter_text, 40), style="bold")
            title.append("”")
        self.query_one("#library-title", Static).update(title)

    def _update_status(self) -> None:
        shown, total = len(self.shown), len(self.entries)
        parts = [f"{shown} of {total} article(s)" if shown != total else f"{total} article(s)"]
        progress = self.rows_widget.progress
        # Shown entries are all readable; counted in C (this runs on start-up, over every row).
        unread = len(self.shown) - sum(map(progress.__contains__, map(attrgetter("id"), self.shown)))
        if unread:
            parts.append(f"{unread} new")
        if not self.loaded:
            parts.append(f"indexing {self.progress.done}/{self.progress.total}…" if self.progress else "checking for changes…")
        elif not total and not self.problems:
            parts.append("no articles here — add some with `margin add PATH|URL`")
        if self.filter_text.strip() and not self.corpus_ready:
            parts.append("text search: reading articles…")
        if self.problems:
            parts.append(f"{len(self.problems)} file(s) could not be opened (p: show) — {one_line(self.problems[0], 100)}")
        elif self.loaded and (changed := len(self.index.notices)):
            parts.append(f"{changed} file(s) with a reading notice, e.g. bytes shown as \ufffd (p: show)")
        elif self.model:
            parts.append(f"model: {self.model}")
        self.query_one("#library-status", Static).update(Content(" · ".join(parts)))

    def _update_problems(self) -> None:
        for text in self.query("#lib-problems-text"):
            text.update(self._problems_text())  # type: ignore[attr-defined]

    # -- actions ---------------------------------------------------------------------------------
    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._sorted = None
        self.apply()
        self.notify(f"Sorted by {sort_label(self.sort, self.reverse)}", timeout=2, markup=False)

    async def action_filter(self) -> None:
        box = self._filter_box()
        if box is None:
            box = Input(placeholder="filter: title, source or text…", id="lib-filter")
            await self.mount(box, before=self.query_one("#lib-header"))
        box.add_class("visible")
        self.set_focus(box)  # at once: keys typed from now on go to the box
        self.take_early_keys(box)
        if not self.corpus_ready:
            self._load_corpus()  # read the texts while the first word is typed

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "lib-filter":
            return
        event.stop()
        self.filter_text = event.value
        if self.filter_text.strip() and not self.corpus_ready:
            self._load_corpus()
        self.apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "lib-filter":
            return
        event.stop()
        if not event.value.strip():
            event.input.remove_class("visible")
        self.rows_widget.focus()

    @work(thread=True, exclusive=True, group="library-corpus")
    def _load_corpus(self) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        jobs.read_texts(self.corpus, list(self.entries), self.post_message, lambda: worker.is_cancelled)

    def on_corpus_loaded(self, _message: jobs.CorpusLoaded) -> None:
        self.corpus_ready = True
        if self.filter_text.strip():
            self.apply()
        else:
            self._update_status()

    def action_clear(self) -> None:
        box = self._filter_box()
        shown = box is not None and box.has_class("visible")
        if self.filter_text or shown or self.tag is not None:
            self.tag = None
            self.tag_ids = set()
            self.filter_text = ""
            if box is not None:
                with box.prevent(Input.Changed):
                    box.value = ""
                box.remove_class("visible")
            self.rows_widget.focus()
            self.apply()

    def action_open_url(self) -> None:
        """Open the current article's web address in the browser (or show and copy it)."""
        entry = self.rows_widget.current
        if entry is None or not entry.ok:
            return
        from tui.core.articles import ArticleError, load_article
        from tui.core.browser import is_web_address, open_in_browser

        try:
            url = load_article(entry.path).url
        except ArticleError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            return
        if not is_web_address(url):
            self.notify("This article has no web address.", timeout=3, markup=False)
        elif open_in_browser(url):
            self.notify(f"Opened {one_line(url, 100)}", timeout=3, markup=False)
        else:
            self.app.copy_to_clipboard(url)
            self.notify(
                f"No browser window here; the address is copied to the clipboard: {one_line(url, 200)}", timeout=8, markup=False
            )

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self._sorted = None
        self.apply()
        self.notify(f"Sorted by {sort_label(self.sort, self.reverse)}", timeout=2, markup=False)

    def action_toggle_read(self) -> None:
        """Mark the current article as read through, or (if it was opened) as new again."""
        entry = self.rows_widget.current
        if entry is None or not entry.ok:
            return
        widget = self.rows_widget
        if entry.id in widget.progress:
            settings.forget_progress(entry.id)
            self.notify("Marked as new.", timeout=2, markup=False)
        else:
            settings.save_progress(entry.id, 100)
            self.notify("Marked as read.", timeout=2, markup=False)
        widget.progress = settings.load_progress()
        widget.refresh()
        self._update_status()

    def action_export(self) -> None:
        """Export all annotations, or only those of the articles shown when a filter is on."""
        from tui.ui.screens.export_dialog import ExportDialog

        filtered = self.tag is not None or bool(self.filter_text.strip())
        label = " · ".join(
            part
            for part in (
                f"#{self.tag}" if self.tag is not None else "",
                f"“{self.filter_text.strip()}”" if self.filter_text.strip() else "",
            )
            if part
        )
        self.app.push_screen(ExportDialog(shown=list(self.shown) if filtered else None, shown_label=label))

    async def action_toggle_problems(self) -> None:
        panels = self.query("#lib-problems")
        if not panels:
            panel = VerticalScroll(Static(self._problems_text(), id="lib-problems-text"), id="lib-problems")
            await self.mount(panel, before=self.query_one("#library-status"))
        else:
            panel = panels.first(VerticalScroll)
        panel.toggle_class("visible")

    def action_tag_filter(self) -> None:
        from tui.ui.screens.tag_filter import TagFilterDialog

        self.app.push_screen(TagFilterDialog(self.app.tag_choices(), self.tag), self.set_tag)

    def set_tag(self, tag: str | None) -> None:
        self.tag = tag
        self.tag_ids = set()
        if tag is not None:
            self.tag_ids = self.app.article_ids_tagged(tag)
        self.apply()

    def action_search(self) -> None:
        from tui.ui.screens.library_search import LibrarySearchScreen

        search = LibrarySearchScreen(self.visible_for_search(), self.corpus, self.filter_text.strip())
        self.app.push_screen(search, self._search_done)

    def _search_done(self, result: tuple[Entry, int, str] | None) -> None:
        if result is not None:
            entry, offset, query = result
            self.open_entry(entry, offset, query)  # the reader highlights the query, n goes to its next hit

    # -- opening ---------------------------------------------------------------------------------
    def on_library_list_selected(self, event: LibraryList.Selected) -> None:
        event.stop()
        self.open_entry(event.entry)

    def action_open(self) -> None:
        entry = self.rows_widget.current
        if entry is not None:
            self.open_entry(entry)

    def open_entry(self, entry: Entry, offset: int | None = None, search: str | None = None) -> None:
        """Read the article in a worker and open it over the screen shown now (this one, or a
        timeline): only once, however often Enter was pressed meanwhile."""
        self._open_over = self.app.screen
        if entry.size >= SLOW_OPEN_BYTES:  # seconds of reading and laying out: say it has begun
            self.notify(f"Opening {one_line(entry.title, 60)} ({mebibytes(entry.size)})…", timeout=5, markup=False)
        self._open(entry, offset, search)

    @work(thread=True, exclusive=True, group="library-open")
    def _open(self, entry: Entry, offset: int | None, search: str | None = None) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        jobs.open_entry(entry, offset, search, self.post_message, lambda: worker.is_cancelled)

    def on_article_loaded(self, message: jobs.ArticleLoaded) -> None:
        if self._open_over is None or self.app.screen is not self._open_over:
            return  # already opened (Enter pressed twice), or the user went elsewhere meanwhile
        self._open_over = None
        self.open_article(message.article, message.offset, message.entry, message.search)

    def on_article_failed(self, message: jobs.ArticleFailed) -> None:
        self.notify(one_line(message.problem, 200), severity="error", timeout=8, markup=False)
        if message.problem not in self.problems:
            self.problems = self.problems + [message.problem]
            self._update_problems()
            self._update_status()

    def open_article(
        self, article: Article, offset: int | None = None, entry: Entry | None = None, search: str | None = None
    ) -> None:
        from tui.ui.screens.reader import ReaderScreen

        if entry is not None:
            self._opened = (entry, article)
        if offset is None:
            self.app.push_screen(ReaderScreen(article))
            return
        try:
            screen = ReaderScreen(article, start_offset=offset, search=search)
        except TypeError:  # a reader without start_offset: open at the top
            screen = ReaderScreen(article)
        self.app.push_screen(screen)

    def _take_quote_counts_from_people(self) -> None:
        """Articles People analysed (they were never opened from here) get their Quotes count."""
        from tui.ui.screens.people_source import known_quote_counts

        known = known_quote_counts(self.app.analyzer)
        changed = False
        for entry in self.entries:
            if entry.quotes is None and entry.id in known:
                entry.quotes = known[entry.id]
                self.index.update(entry)
                changed = True
        if changed:
            self._save_index(self.index.snapshot())

    def on_store_changed(self, _message: StoreChanged) -> None:
        """Annotations changed in another process: update the counts and the tag filter."""
        self.counts = self.app.annotation_counts()
        self._sorted = None
        self.set_tag(self.tag)  # recomputes the tag filter, then the rows

    def on_screen_resume(self) -> None:
        if not self._resumed:
            self._resumed = True
            return  # the first resume is the start: on_mount has just shown everything
        self.counts = self.app.annotation_counts()
        self._take_quote_counts_from_people()
        self.rows_widget.progress = settings.load_progress()
        if self._opened is not None:
            entry, article = self._opened
            self._opened = None
            try:
                analysis = self.app.analyzer.cached(article.text)
            except Exception:
                analysis = None
            if analysis is not None and entry.id == article.id and entry.quotes != len(analysis.quotes):
                entry.quotes = len(analysis.quotes)
                self.index.update(entry)
                self._save_index(self.index.snapshot())
        if self.sort == "annotated":
            self._sorted = None
        if self.entries:
            self.set_tag(self.tag)  # annotations may have changed in the reader: recompute the tag filter
