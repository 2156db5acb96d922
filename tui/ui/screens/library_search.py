"""`ctrl+f` in the library: search the text of every article; hits grouped under their article,
`Enter` opens the article at the hit."""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.library import Entry, Hit, Progress, TextCorpus, search
from tui.core.library_search import SEARCH_MAX_ARTICLES, SEARCH_PER_ARTICLE, search_phrase
from tui.core.text import inline, one_line


class HitList(OptionList):
    """The hits. Back to the search box: ↑ on the first hit, `/`, or typing (the letter goes there)."""

    def on_key(self, event: events.Key) -> None:
        box = self.screen.query_one("#lib-search-input", Input)
        first = next((i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), None)
        typed = event.is_printable and event.character is not None and event.character not in "/ "
        if not (event.key == "up" and self.highlighted == first or event.character == "/" or typed):
            return
        event.stop()
        event.prevent_default()
        box.focus()
        box.cursor_position = len(box.value)  # typing goes on where the words end
        if typed:
            box.insert_text_at_cursor(event.character or "")


class LibrarySearchScreen(Screen[tuple[Entry, int, str] | None]):
    """Search every article's text; Enter on a hit opens the article there: (entry, offset, query).

    `entries` is a snapshot of the library's articles; `corpus` the texts read so far (a core
    object with its own lock, shared with the library's filter so each text is read once)."""

    class Searching(Message):
        """The search worker got further (reading texts)."""

        def __init__(self, status: str) -> None:
            super().__init__()
            self.status = status

    class Found(Message):
        """The search worker is done: the hits of `query`."""

        def __init__(self, query: str, hits: list[Hit]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits

    BINDINGS = [
        Binding("escape", "close", "Library"),
        Binding("down", "results", "Hits", show=False),
    ]
    DEBOUNCE = 0.25

    def __init__(self, entries: list[Entry], corpus: TextCorpus, query: str = "") -> None:
        super().__init__()
        self.entries = entries  # a snapshot of the library's articles, in its sort order
        self.corpus = corpus
        self.initial = query
        self.hits: list[Hit] = []
        self.hits_query = ""  # what the hits shown are hits of
        self.searching = False
        self._searched = ""  # the query of the search running now (or last run)
        self._to_hits = False  # Enter or ↓ was pressed before the hits came: go to them when they do
        self._moves_waiting = 0  # ↓ pressed again meanwhile: rows to move down then
        self._timer = None
        self._counts = (0, 0, 0)  # the hits found: all of them, the articles, the rows listed

    def compose(self) -> ComposeResult:
        yield Static(Content("Search the library"), id="library-title")
        yield Input(
            value=self.initial,
            placeholder="a word or phrase to find in every article…",
            id="lib-search-input",
            select_on_focus=False,
        )
        yield HitList(id="lib-search-hits")
        yield Static(id="lib-search-status")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.focus()
        # The library's filter words, selected (as the reader's `/` shows the last search): typing
        # replaces them, → keeps and edits them.
        box.select_all()
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
        query = event.value.strip()
        if query and query != self.hits_query and not (self.searching and query == self._searched):
            self.run_search(query)  # hits of an older query, or none on their way: search this one now
        if self.searching:
            self._to_hits = True  # to the hits when they come
        else:
            self.action_results()

    def action_results(self) -> None:
        hits = self.query_one("#lib-search-hits", OptionList)
        words = self.query_one(Input).value.strip()
        if not self.searching and words and words != self._searched:  # ↓ before the search began
            if self._timer is not None:
                self._timer.stop()
            self.run_search(words)
        if not hits.option_count and self.searching:
            # ↓ before the hits came: go to them when they do, as many rows down as ↓ was pressed
            self._moves_waiting += 1 if self._to_hits else 0
            self._to_hits = True
            return
        if hits.option_count:
            hits.focus()
            if hits.highlighted is None:  # the first hit, under its article's heading
                hits.highlighted = next((i for i in range(hits.option_count) if not hits.get_option_at_index(i).disabled), 0)
            for _ in range(self._moves_waiting):
                hits.action_cursor_down()
        self._moves_waiting = 0

    def _hits_status(self) -> str:
        """The status line for the hits listed (`_counts`), as long as the terminal allows: the
        figures first, the rest made short on a narrow terminal."""
        total, articles, listed = self._counts
        shown = f" ({listed} listed: {SEARCH_PER_ARTICLE} per article at most)" if total > listed else ""
        first = f" — the first {articles} articles that have it" if articles >= SEARCH_MAX_ARTICLES else ""
        status = f"{total} hit(s) in {articles} article(s){shown}{first} · enter opens the article at the hit"
        room = self.app.size.width - 2
        if len(status) > room:
            shown = f" ({listed} listed)" if total > listed else ""
            first = f", the first {articles} articles" if first else ""
            status = f"{total} hit(s) in {articles} article(s){shown}{first} · enter opens"
        if len(status) > room:  # the shortest: figures only
            first = " (first)" if first else ""
            status = f"{total} hits · {articles} articles{first} · {listed} listed · enter opens"
        return status

    def on_resize(self) -> None:
        if self.hits and self._counts:
            self._status(self._hits_status())

    def _status(self, text: str) -> None:
        self.query_one("#lib-search-status", Static).update(Content(text))

    def run_search(self, query: str) -> None:
        query = query.strip()
        self._to_hits = False
        self._moves_waiting = 0
        self.query_one("#lib-search-hits", OptionList).clear_options()
        self.hits = []
        if not query:
            self._status("Type to search the text of every article.")
            return
        if not search_phrase(query):
            self._status("Type a word or phrase between the quotation marks.")
            return
        self.searching = True
        self._searched = query
        self._status("searching…")
        self._search(query)

    @work(thread=True, exclusive=True, group="library-search")
    def _search(self, query: str) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        corpus = self.corpus
        entries = self.entries

        def progress(p: Progress) -> None:
            self.post_message(self.Searching(f"reading articles {p.done}/{p.total}…"))

        corpus.load(entries, progress, lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return
        hits = search(entries, query, corpus, cancelled=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.post_message(self.Found(query, hits))

    def on_library_search_screen_searching(self, message: Searching) -> None:
        self._status(message.status)

    def on_library_search_screen_found(self, message: Found) -> None:
        self._show(message.query, message.hits)

    def _show(self, query: str, hits: list[Hit]) -> None:
        if query != self._searched:
            return  # an older search's answer: the newer one is on its way
        self.searching = False
        if query != self.query_one(Input).value.strip():
            return  # typed on since: a newer search is on its way
        self.hits = hits
        self.hits_query = query
        hit_list = self.query_one("#lib-search-hits", OptionList)
        # one line per row, never wrapped; room kept for the scrollbar the hits may bring (else
        # the rows' ends, their "…", are drawn under it)
        bar = 0 if hit_list.show_vertical_scrollbar else hit_list.styles.scrollbar_size_vertical
        width = max(20, hit_list.scrollable_content_region.width - 2 - bar)
        options: list[Option] = []
        previous = None
        for i, hit in enumerate(hits):
            if hit.entry.path != previous:  # hits are grouped under their article's title
                previous = hit.entry.path
                date = f"  {hit.entry.date}" if hit.entry.date else ""
                heading = Text(one_line(hit.entry.title, 300), style="bold", no_wrap=True)
                heading.truncate(max(10, width - len(date)), overflow="ellipsis")
                heading.append(date)
                options.append(Option(heading, id=f"article:{i}", disabled=True))
            room = width - 6 - len(inline(hit.match))
            before = inline(hit.before)[-max(8, room // 3) :]
            prompt = Text("    …", no_wrap=True)
            prompt.append(before)
            prompt.append(inline(hit.match), style="reverse bold")
            prompt.append(inline(hit.after))
            prompt.truncate(width, overflow="ellipsis")
            options.append(Option(prompt, id=str(i)))
            if hit.more:  # never a silent cut: the article holds more than the hits listed
                more = Text(f"    … {hit.more} more in this article: open it and / finds them all", style="italic", no_wrap=True)
                more.truncate(width, overflow="ellipsis")
                options.append(Option(more, id=f"more:{i}", disabled=True))
        hit_list = self.query_one("#lib-search-hits", OptionList)
        hit_list.clear_options()
        hit_list.add_options(options)
        articles = len({h.entry.path for h in hits})
        if hits:
            total = len(hits) + sum(h.more for h in hits)
            self._counts = (total, articles, len(hits))
            self._status(self._hits_status())
        else:
            self._status(f"No article contains “{one_line(query, 60)}”.")
        if self._to_hits:
            self._to_hits = False
            self.action_results()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.hits[int(event.option.id)]
        self.dismiss((hit.entry, hit.start, self.hits_query))

    def action_close(self) -> None:
        self.dismiss(None)
