"""The library: every article given on the command line, with title, date, words and annotations."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.core.articles import Article, load_articles
from tui.core.text import one_line


class LibraryScreen(Screen):
    BINDINGS = [
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
        Binding("enter", "open", "Open", show=True),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = paths
        self.articles: list[Article] = []
        self.problems: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(Content("Margin — library"), id="library-title")
        table = DataTable(id="library", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="library-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Title", key="title")
        table.add_column("Date", key="date", width=10)
        table.add_column("Words", key="words", width=7)
        table.add_column("Notes", key="notes", width=5)
        table.loading = True
        self.load()

    @work(thread=True, exclusive=True, group="library")
    def load(self) -> None:
        articles, problems = load_articles(self.paths)
        self.app.call_from_thread(self._loaded, articles, problems)

    def _loaded(self, articles: list[Article], problems: list[str]) -> None:
        self.articles = articles
        self.problems = problems
        table = self.query_one(DataTable)
        table.loading = False
        self.refresh_rows()
        table.focus()

    def refresh_rows(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        counts = self.app.annotation_counts()
        for article in self.articles:
            table.add_row(
                Text(one_line(article.title, 200)),
                Text(article.date or "—", style="" if article.date_from_file else "dim"),
                Text(str(article.word_count), justify="right"),
                Text(str(counts.get(article.id, 0) or ""), justify="right"),
                key=article.id,
            )
        if self.articles:
            table.move_cursor(row=min(row, len(self.articles) - 1))
        self._update_status()

    def _update_status(self) -> None:
        text = f"{len(self.articles)} article(s) · model: {self.app.analyzer.describe()}"
        if self.problems:
            text += f" · {len(self.problems)} file(s) could not be opened: " + one_line(self.problems[0], 120)
        self.query_one("#library-status", Static).update(Content(text))

    def on_screen_resume(self) -> None:
        if self.articles:
            self.refresh_rows()

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.articles or table.row_count == 0:
            return
        self.open_article(self.articles[table.cursor_row])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_article(self.articles[event.cursor_row])

    def open_article(self, article: Article) -> None:
        from tui.ui.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(article))
