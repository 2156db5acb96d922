"""People over a Parquet quote table (`margin --quotes-from DIR`): who said what across a corpus
analysed with `margin analyze --all --engine dask --quotes-out DIR`, bigger than the library.

The same view and keys as the library's People (filter, sort, merge, split, charts, Enter for
a timeline), over `QuoteTableSource`: nothing is analysed (the summaries are in the table). The
title names the table, its articles and quotes. A timeline opens, tags, notes and corrects a
quote only where its article file is on this machine; elsewhere it says so. A folder that is not
a readable quote table is a message in the view, never a traceback.

The app's hook: `open_quote_table(app, folder)` pushes the view (over the library, so Escape
goes back to it)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.content import Content
from textual.widgets import Static

from tui.core.people import Person, PersonQuote
from tui.core.text import one_line
from tui.ui.deliver import deliver
from tui.ui.screens.people import SORT_LABELS, PeopleScreen
from tui.ui.screens.people_source import QuoteTableSource
from tui.ui.screens.timeline import TimelineScreen

__all__ = ["PeopleTableScreen", "QuoteTableSource", "TableTimelineScreen", "open_quote_table"]


def open_quote_table(app, folder: str | Path) -> "PeopleTableScreen":
    """Push the People view over the quote table in `folder` on `app` (a MarginApp: its `store`
    gives the speaker corrections) and return it. Never raises for a bad folder: the view says
    what is wrong."""
    screen = PeopleTableScreen(folder, store=getattr(app, "store", None))
    app.push_screen(screen)
    return screen


class PeopleTableScreen(PeopleScreen):
    """People over a quote table (`QuoteTableSource`)."""

    def __init__(self, folder: str | Path, store=None, source: QuoteTableSource | None = None) -> None:
        super().__init__(source or QuoteTableSource(folder, store=store))
        self.problem: str | None = None  # why the table cannot be read

    @work(thread=True, exclusive=True, group="people")
    def load(self) -> None:
        """The table's rows (read once, then only re-indexed for new corrections); a bad
        folder is said in the view."""
        from textual.worker import get_current_worker

        from tui.core.quote_table import QuoteTableError

        worker = get_current_worker()
        try:
            people = self.source.build()
        except QuoteTableError as exc:
            deliver(self, self._failed, str(exc))
            return
        if not worker.is_cancelled:
            deliver(self, self._loaded, people)
        if self._same_of is not people:
            from tui.core.people import same_quotes

            same = same_quotes(people)
            if not worker.is_cancelled:
                deliver(self, self._same_found, people, same)

    def _loaded(self, people: list[Person]) -> None:
        self._finished(people, [])
        self._update_status()  # "loading…" no more: the rows are on screen

    def _failed(self, problem: str) -> None:
        self.problem = problem
        self.finished = True
        self.ready = True
        self._update_title()
        self._update_status()
        self.notify(one_line(problem, 300), title="Not a quote table", severity="error", timeout=10, markup=False)

    def _update_title(self) -> None:
        source = self.source
        title = Text("Margin — people in the quote table ", style="bold")
        title.append(one_line(str(source.folder), 60))
        if source.table is not None:
            title.append(f"  ·  {source.articles} article(s), {source.quotes} quote(s)")
        title.append(f"  ·  sorted by {SORT_LABELS[self.sort]}")
        if self.filter_text.strip():
            title.append("  ·  filter “")
            title.append(one_line(self.filter_text, 40), style="bold")
            title.append("”")
        self.query_one("#people-title", Static).update(title, layout=False)

    def _update_status(self) -> None:
        if self.problem is not None:
            self.query_one("#people-status", Static).update(
                Content(f"Cannot show this quote table: {one_line(self.problem, 300)}"), layout=False
            )
            return
        super()._update_status()

    def open_timeline(self, person: Person) -> None:
        self.app.push_screen(TableTimelineScreen(person, lambda: self.same, people=lambda: self.people, corrected=self.corrected))


class TableTimelineScreen(TimelineScreen):
    """A person's timeline over a quote table: the quotes come from the table; an article opens,
    and its quote is tagged, noted or corrected, only when its file is on this machine."""

    def _missing(self, quote: PersonQuote, what: str) -> bool:
        """Say so (and return True) when `quote`'s article file is not on this machine."""
        if Path(quote.path).is_file():
            return False
        self.notify(
            f"{one_line(quote.path, 120)} is not on this machine (the quote table was made where it was, "
            f"or it has moved): the quote is shown here, but its article cannot be {what}.",
            title="Article not found",
            severity="warning",
            timeout=8,
            markup=False,
        )
        return True

    def open_quote(self, quote: PersonQuote) -> None:
        """The reader at the quote, when its article is here."""
        if not self._missing(quote, "opened"):
            self._open_directly(quote)

    def _target(self):
        quote = self.current
        if quote is not None and self._missing(quote, "tagged or noted"):
            return None
        return super()._target()

    def _article_for(self, quote: PersonQuote):
        if self._missing(quote, "corrected"):
            return None
        return super()._article_for(quote)
