"""The library: every article under the given paths, found fast, at any size.

The list comes from the library index (`tui.core.library`): stored entries show at once, a worker
walks the folders and re-parses only what changed (with a progress bar when many files did). The
list widget is virtual (it renders only the rows on screen), so sorting and filtering 10,000
articles costs a list comprehension, not a table rebuild.

Keys: enter open · / filter (title, source, text) · s sort · t tag filter · ctrl+f search ·
p problems · r rescan · escape clear filters · q quit.
"""

from __future__ import annotations

from pathlib import Path


from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from tui.core import settings
from tui.core.browser import is_web_address, open_in_browser
from tui.core.articles import Article, ArticleError, load_article
from tui.core.library import (
    SORTS,
    Entry,
    Hit,
    LibraryIndex,
    Progress,
    TextCorpus,
    filter_entries,
    quote_counter,
    search,
    sort_entries,
)
from tui.core.text import inline, one_line

SORT_LABELS = {"date": "date (newest first)", "title": "title", "source": "source", "annotated": "most annotated"}
PROGRESS_THRESHOLD = 20  # show the progress bar when at least this many files need parsing


def _cell(value: str, width: int, style: str = "", justify: str = "left") -> Text:
    """One column of a row: exactly `width` cells, cut with an ellipsis when too long."""
    if justify == "right" and len(value) < width:
        value = value.rjust(width)
    text = Text(value, style=style, no_wrap=True, overflow="ellipsis")
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


class LibraryList(ScrollView, can_focus=True):
    """A virtual list of library entries: one row per article, only visible rows are rendered."""

    COMPONENT_CLASSES = {"library-list--cursor", "library-list--dim", "library-list--header"}
    DEFAULT_CSS = """
    LibraryList {
        background: $surface;
        overflow-x: hidden;
    }
    LibraryList > .library-list--cursor {
        background: $block-cursor-blurred-background;
    }
    LibraryList:focus > .library-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    LibraryList > .library-list--dim {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "select", "Open"),
    ]
    CURSOR_MARK = "▶"
    COLUMNS = (("date", "Date", 10), ("source", "Source", 18), ("read", "Read", 4), ("words", "Words", 6),
               ("quotes", "Quotes", 6), ("notes", "Annot.", 6))
    DONE_PERCENT = 95  # read this far (the cursor on the last sentences): shown as read through

    class Selected(Message):
        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: list[Entry] = []
        self.counts: dict[str, int] = {}
        self.progress: dict[str, int] = {}  # article id -> furthest percentage read; absent = unread
        self.cursor = 0

    # -- data ------------------------------------------------------------------------------------
    def set_entries(self, entries: list[Entry], counts: dict[str, int], keep: str | None = None) -> None:
        """Show `entries`; keep the cursor on the entry with path `keep` when it is still there."""
        self.entries = entries
        self.counts = counts
        if keep is not None:
            for i, entry in enumerate(entries):
                if entry.path == keep:
                    self.cursor = i
                    break
            else:
                self.cursor = 0
        self.cursor = max(0, min(self.cursor, len(entries) - 1))
        self.virtual_size = Size(self.size.width, len(entries))
        self._scroll_to_cursor()
        self.refresh()

    @property
    def current(self) -> Entry | None:
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    # -- layout ----------------------------------------------------------------------------------
    NARROW = 100  # below this width the Source column is left out, so titles stay readable

    @property
    def row_width(self) -> int:
        """The width rows are drawn in: the list's width less its scrollbar (header and rows agree)."""
        return self.scrollable_content_region.width or self.size.width

    def columns(self) -> tuple:
        if self.row_width < self.NARROW:
            return tuple(c for c in self.COLUMNS if c[0] != "source")
        return self.COLUMNS

    def title_width(self) -> int:
        return max(10, self.row_width - sum(w + 1 for _, _, w in self.columns()) - 1)

    def header(self, width: int | None = None) -> Text:
        line = Text(" ", no_wrap=True)
        line.append_text(_cell("Title", self.title_width()))
        for _key, label, w in self.columns():
            line.append(" ")
            line.append_text(_cell(label, w, justify="right" if _key in ("read", "words", "quotes", "notes") else "left"))
        return line

    @property
    def dim_style(self):
        """Secondary text in a row: the theme's readable muted colour (never below AA contrast)."""
        return self.get_component_rich_style("library-list--dim", partial=True)

    def row_text(self, entry: Entry) -> Text:
        line = Text(" ", no_wrap=True)
        line.append_text(_cell(one_line(entry.title, 300), self.title_width()))
        line.append(" ")
        line.append_text(_cell(entry.date or "no date", 10, "" if entry.date else self.dim_style))
        line.append(" ")
        if self.row_width >= self.NARROW:
            line.append_text(_cell(one_line(entry.source or "", 60), 18))
            line.append(" ")
        line.append_text(self.read_cell(entry))
        line.append(" ")
        line.append_text(_cell(str(entry.word_count), 6, justify="right"))
        line.append(" ")
        line.append_text(_cell("" if entry.quotes is None else str(entry.quotes), 6, justify="right"))
        line.append(" ")
        notes = self.counts.get(entry.id) or self.counts.get(entry.path, 0)
        line.append_text(_cell(str(notes) if notes else "", 6, justify="right"))
        return line

    def read_cell(self, entry: Entry) -> Text:
        """'new' (never opened, bold), the furthest percentage read, or ✓ (read through)."""
        percent = self.progress.get(entry.id)
        if percent is None:
            return _cell("new", 4, "bold", justify="right")
        if percent >= self.DONE_PERCENT:
            return _cell("✓", 4, self.dim_style, justify="right")
        return _cell(f"{percent}%", 4, self.dim_style, justify="right")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.scroll_offset.y + y
        base = self.rich_style
        if index >= len(self.entries):
            return Strip.blank(width, base)
        line = self.row_text(self.entries[index])
        if index == self.cursor:
            # The current row: a marker in the first cell (visible in any theme or colour depth,
            # even without colour) and the cursor colours as the row's base style, so they are
            # not painted over by the list's own background.
            base = base + self.get_component_rich_style("library-list--cursor")
            line = Text(self.CURSOR_MARK, style="bold", no_wrap=True) + line[1:]
        segments = list(line.render(self.app.console))
        return Strip(segments).crop_extend(0, width, base).apply_style(base)

    class Reflowed(Message):
        """The list's drawing width changed (resize, scrollbar shown or hidden): redraw the header."""

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.entries))
        self.post_message(self.Reflowed())
        self.refresh()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        self.post_message(self.Reflowed())

    # -- movement --------------------------------------------------------------------------------
    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        if not self.entries:
            return
        self.cursor = max(0, min(index, len(self.entries) - 1))
        self._scroll_to_cursor()
        self.refresh()

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.entries) - 1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self.current))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.entries):
            if index == self.cursor:
                self.action_select()
            else:
                self.move_to(index)


class TagFilterDialog(ModalScreen[str | None]):
    """Pick a tag: the library then lists only articles with an annotation tagged with it."""

    DEFAULT_CSS = """
    TagFilterDialog { align: center middle; }
    TagFilterDialog > Vertical { width: 60; height: auto; max-height: 80%; padding: 1 2; border: thick $accent; background: $surface; }
    TagFilterDialog OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    ALL = "\x00all"

    def __init__(self, tags: list[str], current: str | None) -> None:
        super().__init__()
        self.tags = tags
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Show articles tagged…"), classes="dialog-title")
            options = [Option(Content("All articles (no tag filter)"), id=self.ALL)]
            options += [Option(Content("#" + one_line(tag, 50)), id=f"tag:{i}") for i, tag in enumerate(self.tags)]
            yield OptionList(*options, id="lib-tag-options")
            if not self.tags:
                yield Label(Content("No annotation has a tag yet."), classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.tags:
            options.highlighted = self.tags.index(self.current) + 1
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or self.ALL
        self.dismiss(None if option_id == self.ALL else self.tags[int(option_id.split(":", 1)[1])])

    def action_cancel(self) -> None:
        self.dismiss(self.current)


class LibrarySearchScreen(Screen[tuple[Entry, int] | None]):
    """Search every article's text; Enter on a hit opens the article there."""

    DEFAULT_CSS = """
    LibrarySearchScreen #lib-search-input { margin: 0 1; }
    LibrarySearchScreen #lib-search-hits { height: 1fr; border: none; }
    LibrarySearchScreen #lib-search-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "close", "Library"),
        Binding("down", "results", "Hits", show=False),
    ]
    DEBOUNCE = 0.25

    def __init__(self, library: "LibraryScreen", query: str = "") -> None:
        super().__init__()
        self.library = library
        self.initial = query
        self.hits: list[Hit] = []
        self.searching = False
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Static(Content("Search the library"), id="library-title")
        yield Input(value=self.initial, placeholder="words to find in every article…", id="lib-search-input")
        yield OptionList(id="lib-search-hits")
        yield Static(id="lib-search-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self.run_search(self.initial)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        query = event.value
        self._timer = self.set_timer(self.DEBOUNCE, lambda: self.run_search(query))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        if event.value.strip() and not self.hits and not self.searching:
            self.run_search(event.value)
        self.action_results()

    def action_results(self) -> None:
        hits = self.query_one("#lib-search-hits", OptionList)
        if hits.option_count:
            hits.focus()
            if hits.highlighted is None:  # the first hit, under its article's heading
                hits.highlighted = next((i for i in range(hits.option_count)
                                         if not hits.get_option_at_index(i).disabled), 0)

    def _status(self, text: str) -> None:
        self.query_one("#lib-search-status", Static).update(Content(text))

    def run_search(self, query: str) -> None:
        query = query.strip()
        self.query_one("#lib-search-hits", OptionList).clear_options()
        self.hits = []
        if not query:
            self._status("Type to search the text of every article.")
            return
        self.searching = True
        self._status("searching…")
        self._search(query)

    @work(thread=True, exclusive=True, group="library-search")
    def _search(self, query: str) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        corpus = self.library.corpus
        entries = list(self.library.visible_for_search())

        def progress(p: Progress) -> None:
            self.app.call_from_thread(self._status, f"reading articles {p.done}/{p.total}…")

        corpus.load(entries, progress, lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return
        hits = search(entries, query, corpus, cancelled=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, query, hits)

    def _show(self, query: str, hits: list[Hit]) -> None:
        self.searching = False
        if query != self.query_one(Input).value.strip():
            return  # a newer search is on its way
        self.hits = hits
        options: list[Option] = []
        previous = None
        for i, hit in enumerate(hits):
            if hit.entry.path != previous:  # hits are grouped under their article's title
                previous = hit.entry.path
                heading = Text(no_wrap=True, overflow="ellipsis")
                heading.append(one_line(hit.entry.title, 200), style="bold")
                if hit.entry.date:
                    heading.append(f"  {hit.entry.date}")
                options.append(Option(heading, id=f"article:{i}", disabled=True))
            prompt = Text("    …", no_wrap=True, overflow="ellipsis")
            prompt.append(inline(hit.before)[-50:])
            prompt.append(inline(hit.match), style="reverse bold")
            prompt.append(inline(hit.after)[:80] + "…")
            options.append(Option(prompt, id=str(i)))
        hit_list = self.query_one("#lib-search-hits", OptionList)
        hit_list.clear_options()
        hit_list.add_options(options)
        articles = len({h.entry.path for h in hits})
        if hits:
            self._status(f"{len(hits)} hit(s) in {articles} article(s) · enter opens the article at the hit")
        else:
            self._status(f"No article contains “{one_line(query, 60)}”.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.hits[int(event.option.id)]
        self.dismiss((hit.entry, hit.start))

    def action_close(self) -> None:
        self.dismiss(None)


LIBRARY_KEYS = [
    ("Move and open", [
        ("j / ↓, k / ↑", "next / previous article"),
        ("g / Home, G / End, PageDown, PageUp", "first, last, pages"),
        ("Enter / click", "open the article"),
    ]),
    ("Find", [
        ("/", "filter as you type on title, source, file name and text (Enter returns to the list)"),
        ("s", "cycle the sort: date → title → source → most annotated"),
        ("S", "reverse the sort order"),
        ("t", "show only articles with annotations tagged …"),
        ("ctrl+f", "search every article; Enter on a hit opens the article there"),
        ("Escape", "clear the filters"),
    ]),
    ("General", [
        ("x", "export annotations: all, or those of the articles shown when filtered (format and file)"),
        ("o", "open the article's web address in the browser (without one: copied to the clipboard)"),
        ("m", "mark the article as read, or as new again (the Read column: new, the furthest % read, ✓)"),
        ("p", "show / hide the files that could not be opened, with the reason"),
        ("r", "rescan the folders"),
        ("A", "analyse every article in the background (fills the Quotes column; articles then open highlighted at once)"),
        ("ctrl+p", "command palette"),
        ("?", "this help"),
        ("q", "quit"),
    ]),
]


class LibraryScreen(Screen):
    DEFAULT_CSS = """
    LibraryScreen #lib-filter { display: none; margin: 0 1; }
    LibraryScreen #lib-filter.visible { display: block; }
    LibraryScreen #lib-header { height: 1; color: $text-muted; text-style: bold; }
    LibraryScreen #lib-progress-row { height: 1; display: none; padding: 0 1; }
    LibraryScreen #lib-progress-row.visible { display: block; }
    LibraryScreen #lib-progress-label { width: auto; margin-right: 2; }
    LibraryScreen #lib-problems { display: none; height: auto; max-height: 10; border-top: solid $error; padding: 0 1; }
    LibraryScreen #lib-problems.visible { display: block; }
    """
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
        Binding("escape", "clear", "Clear", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("Library keys", LIBRARY_KEYS))

    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = [str(p) for p in paths]
        self.index = LibraryIndex(self.paths)
        self.entries: list[Entry] = []  # every readable article, index order
        self.shown: list[Entry] = []  # after tag filter, text filter and sort
        self.problems: list[str] = []
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
        self._last_filter: tuple | None = None  # (what it filtered, needle, rows) for narrowing
        self._opened: tuple[Entry, Article] | None = None

    @property
    def articles(self) -> list[Entry]:
        """The rows shown, in order (entries with id, path, title, date, source, word_count…)."""
        return self.shown

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Content("Margin — library"), id="library-title")
        yield Input(placeholder="filter: title, source or text…", id="lib-filter")
        yield Static(id="lib-header")
        yield LibraryList(id="library")
        with Horizontal(id="lib-progress-row"):
            yield Label(Content("Indexing"), id="lib-progress-label")
            yield ProgressBar(show_eta=False, id="lib-progress")
        with VerticalScroll(id="lib-problems"):
            yield Static(id="lib-problems-text")
        yield Static(id="library-status")
        yield Footer()

    @property
    def rows_widget(self) -> LibraryList:
        return self.query_one(LibraryList)

    def on_mount(self) -> None:
        self.counts = self.app.annotation_counts()
        self.rows_widget.progress = settings.load_progress()
        self.rows_widget.focus()
        # The stored index is read here, before the first paint: tens of milliseconds even at
        # 10,000 articles, and faster than in a worker that competes with mounting for the GIL.
        if self.index.load():
            self._show_entries(self.index.articles(), self.index.problems, False)
        else:
            self._update_title()
            self._update_status()
        # The walk that looks for changed files starts once the first frame is on screen.
        self.call_after_refresh(self.load)

    def on_resize(self, event: events.Resize) -> None:
        self._update_header()
        # Narrow terminals: the footer drops its padding so every key still fits.
        self.query_one(Footer).compact = event.size.width < 100

    # -- loading ---------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library")
    def load(self) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        index = self.index
        changes = index.changes(lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return  # quitting: an incomplete walk must not drop entries
        stale, gone = changes
        if len(stale) >= PROGRESS_THRESHOLD:
            self.app.call_from_thread(self._show_progress, Progress(0, len(stale)))
        try:
            counter = quote_counter(self.app.analyzer)
        except Exception:
            counter = None

        def progress(p: Progress) -> None:
            if len(stale) >= PROGRESS_THRESHOLD:
                self.app.call_from_thread(self._show_progress, p)

        index.refresh(counter, progress, lambda: worker.is_cancelled, changes=changes)
        if worker.is_cancelled:
            return
        try:
            model = self.app.analyzer.describe()
        except Exception:
            model = ""
        entries = index.articles()
        for entry in entries:
            entry.haystack  # noqa: B018  (computed here, off the UI thread, before the first filter key)
        self.app.call_from_thread(self._finish_load, entries, index.problems, model)

    def _finish_load(self, entries: list[Entry], problems: list[str], model: str) -> None:
        self.model = model
        self.progress = None
        self.query_one("#lib-progress-row").set_class(False, "visible")
        self._show_entries(entries, problems, True)

    def _show_progress(self, progress: Progress, label: str = "Indexing {done}/{total} changed file(s)") -> None:
        self.progress = progress
        self.query_one("#lib-progress-row").set_class(True, "visible")
        bar = self.query_one("#lib-progress", ProgressBar)
        bar.update(total=progress.total, progress=progress.done)
        self.query_one("#lib-progress-label", Label).update(
            Content(label.format(done=progress.done, total=progress.total))
        )
        self._update_status()

    def _show_entries(self, entries: list[Entry], problems: list[str], final: bool) -> None:
        unchanged = len(entries) == len(self.entries) and all(a is b for a, b in zip(entries, self.entries))
        self.entries = entries
        self.problems = problems
        self.loaded = self.loaded or final
        if not unchanged:
            self._sorted = None  # else the sorted rows still hold: the walk found nothing new
        if final and self.corpus_ready:
            self.corpus_ready = False  # some texts may have changed: re-read those on demand
            if self.filter_text:
                self._load_corpus()
        self.apply()
        self._update_problems()

    def action_analyse_all(self) -> None:
        todo = [e for e in self.entries if e.quotes is None]
        if not todo:
            self.notify("Every article is analysed already.", markup=False)
            return
        self.notify(f"Analysing {len(todo)} article(s) in the background; you can keep reading.", markup=False)
        self._analyse_entries(todo)

    @work(thread=True, exclusive=True, group="library-analysis")
    def _analyse_entries(self, entries: list[Entry]) -> None:
        """Pre-analyse articles (spaCy batches, in this worker: the UI never waits), filling the
        Quotes column; each result is cached as it is done, so an interrupted run resumes."""
        from textual.worker import get_current_worker

        from tui.core.articles import ArticleError, load_article

        worker = get_current_worker()
        label = "Analysing {done}/{total} article(s)"
        done = 0
        for start in range(0, len(entries), 8):
            if worker.is_cancelled:
                return
            batch, articles = [], []
            for entry in entries[start:start + 8]:
                try:
                    articles.append(load_article(entry.path))
                    batch.append(entry)
                except ArticleError:
                    continue
            try:
                analyses = self.app.analyzer.analyze_many([a.text for a in articles])
            except Exception as exc:  # a failing model: say so once, keep the library usable
                self.app.call_from_thread(self.notify, f"Analysis stopped: {one_line(str(exc), 200)}", severity="error", markup=False)
                break
            for entry, article, analysis in zip(batch, articles, analyses):
                if entry.id == article.id:
                    entry.quotes = len(analysis.quotes)
                    self.index.update(entry)
            done += len(entries[start:start + 8])
            self.app.call_from_thread(self._show_progress, Progress(done, len(entries)), label)
            self.app.call_from_thread(self.apply)
        self.app.call_from_thread(self._analysis_finished)

    def _analysis_finished(self) -> None:
        self.progress = None
        self.query_one("#lib-progress-row").set_class(False, "visible")
        self._save_index(self.index.snapshot())
        self.apply()
        self.notify("Analysis finished: every article opens with its highlights at once.", markup=False)

    def action_rescan(self) -> None:
        self.notify("Rescanning the folders for new, changed and removed articles…", timeout=2, markup=False)
        self.loaded = False
        self._update_status()
        self.load()

    # -- the visible rows ------------------------------------------------------------------------
    def apply(self) -> None:
        """Filter and sort the entries into the list, keeping the cursor on the same article."""
        if self._sorted is None:
            self._sorted = sort_entries(self.entries, self.sort, self.counts)
            if self.reverse:
                self._sorted.reverse()
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
            if (narrowed is not None and all(a is b for a, b in zip(narrowed[0], key))
                    and needle.startswith(narrowed[1])):
                rows = narrowed[2]
            rows = filter_entries(rows, needle, corpus)
            self._last_filter = (key, needle, rows)
        else:
            self._last_filter = None
        self.shown = rows
        widget = self.rows_widget
        current = widget.current
        widget.set_entries(rows, self.counts, keep=current.path if current else None)
        self._update_header()
        self._update_title()
        self._update_status()

    refresh_rows = apply

    def visible_for_search(self) -> list[Entry]:
        """What a library search covers: every readable article, in the current sort order."""
        if self._sorted is None:
            self._sorted = sort_entries(self.entries, self.sort, self.counts)
            if self.reverse:
                self._sorted.reverse()
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
        title.append(f"  ·  sorted by {SORT_LABELS[self.sort]}{', reversed' if self.reverse else ''}", style="")
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
        unread = sum(1 for e in self.shown if e.ok and e.id not in progress)
        if unread:
            parts.append(f"{unread} new")
        if not self.loaded:
            parts.append(
                f"indexing {self.progress.done}/{self.progress.total}…" if self.progress else "checking for changes…"
            )
        elif not total and not self.problems:
            parts.append("no articles here — add some with `margin add PATH|URL`")
        if self.filter_text.strip() and not self.corpus_ready:
            parts.append("text search: reading articles…")
        if self.problems:
            parts.append(f"{len(self.problems)} file(s) could not be opened (p: show) — {one_line(self.problems[0], 100)}")
        elif self.model:
            parts.append(f"model: {self.model}")
        self.query_one("#library-status", Static).update(Content(" · ".join(parts)))

    def _update_problems(self) -> None:
        lines = Text("\n".join(one_line(p, 300) for p in self.problems) or "No problems.")
        self.query_one("#lib-problems-text", Static).update(lines)

    # -- actions ---------------------------------------------------------------------------------
    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._sorted = None
        self.apply()
        self.notify(f"Sorted by {SORT_LABELS[self.sort]}", timeout=2, markup=False)

    def action_filter(self) -> None:
        box = self.query_one("#lib-filter", Input)
        box.add_class("visible")
        box.focus()
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
        entries = list(self.entries)
        if self.corpus.load(entries, None, lambda: worker.is_cancelled) and not worker.is_cancelled:
            self.app.call_from_thread(self._corpus_loaded)

    def _corpus_loaded(self) -> None:
        self.corpus_ready = True
        if self.filter_text.strip():
            self.apply()
        else:
            self._update_status()

    def action_clear(self) -> None:
        box = self.query_one("#lib-filter", Input)
        if self.filter_text or box.has_class("visible") or self.tag is not None:
            self.tag = None
            self.tag_ids = set()
            self.filter_text = ""
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
            self.notify(f"No browser window here; the address is copied to the clipboard: {one_line(url, 200)}",
                        timeout=8, markup=False)

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self._sorted = None
        self.apply()
        self.notify(f"Sorted by {SORT_LABELS[self.sort]}{', reversed' if self.reverse else ''}", timeout=2, markup=False)

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
        label = " · ".join(part for part in (
            f"#{self.tag}" if self.tag is not None else "",
            f"“{self.filter_text.strip()}”" if self.filter_text.strip() else "",
        ) if part)
        self.app.push_screen(ExportDialog(shown=list(self.shown) if filtered else None, shown_label=label))

    def action_toggle_problems(self) -> None:
        self.query_one("#lib-problems").toggle_class("visible")

    def action_tag_filter(self) -> None:
        self.app.push_screen(TagFilterDialog(self.app.tag_choices(), self.tag), self.set_tag)

    def set_tag(self, tag: str | None) -> None:
        self.tag = tag
        self.tag_ids = set()
        if tag is not None:
            self.tag_ids = self.app.article_ids_tagged(tag)
        self.apply()

    def action_search(self) -> None:
        self.app.push_screen(LibrarySearchScreen(self, self.filter_text.strip()), self._search_done)

    def _search_done(self, result: tuple[Entry, int] | None) -> None:
        if result is not None:
            entry, offset = result
            self.open_entry(entry, offset)

    # -- opening ---------------------------------------------------------------------------------
    def on_library_list_selected(self, event: LibraryList.Selected) -> None:
        event.stop()
        self.open_entry(event.entry)

    def action_open(self) -> None:
        entry = self.rows_widget.current
        if entry is not None:
            self.open_entry(entry)

    def open_entry(self, entry: Entry, offset: int | None = None) -> None:
        self._open(entry, offset)

    @work(thread=True, exclusive=True, group="library-open")
    def _open(self, entry: Entry, offset: int | None) -> None:
        try:
            article = load_article(entry.path)
        except ArticleError as exc:
            self.app.call_from_thread(self._open_failed, entry, str(exc))
            return
        self.app.call_from_thread(self.open_article, article, offset, entry)

    def _open_failed(self, entry: Entry, message: str) -> None:
        self.notify(one_line(message, 200), severity="error", timeout=8, markup=False)
        if message not in self.problems:
            self.problems = self.problems + [message]
            self._update_problems()
            self._update_status()

    def open_article(self, article: Article, offset: int | None = None, entry: Entry | None = None) -> None:
        from tui.ui.screens.reader import ReaderScreen

        if entry is not None:
            self._opened = (entry, article)
        if offset is None:
            self.app.push_screen(ReaderScreen(article))
            return
        try:
            screen = ReaderScreen(article, start_offset=offset)
        except TypeError:  # a reader without start_offset: open at the top
            screen = ReaderScreen(article)
        self.app.push_screen(screen)

    def on_store_changed(self) -> None:
        """Annotations changed in another process: update the counts and the tag filter."""
        self.counts = self.app.annotation_counts()
        self._sorted = None
        self.set_tag(self.tag)  # recomputes the tag filter, then the rows

    def on_screen_resume(self) -> None:
        self.counts = self.app.annotation_counts()
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

    @work(thread=True, group="library-save")
    def _save_index(self, records: list) -> None:
        self.index.save(records)  # a snapshot: the index may change meanwhile in the load worker
