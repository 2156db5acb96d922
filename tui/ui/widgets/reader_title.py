"""The reader's title line: the article's title, then its date, source and length."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from tui.core.articles import Article
from tui.core.text import one_line
from tui.ui.screens.dialogs import fit_words


class ReaderTitle(Static):
    """The title with the room it needs (cut at a word when it must be), then the date, source
    and length — the length, then the source, go first on a narrow line. The spaCy pipeline is
    in the status line and in `?`."""

    def __init__(self, article: Article, width: int, id: str | None = None) -> None:
        self.article = article
        super().__init__(self.line(width), id=id)

    def show(self, width: int) -> None:
        """Lay the line out again for a terminal `width` cells wide."""
        self.update(self.line(width))

    def line(self, width: int) -> Content:
        article = self.article
        details = [article.date or "no date", getattr(article, "source", None), f"{article.word_count:,} words"]
        details = [one_line(d, 40) for d in details if d]
        title = one_line(article.title)
        room = width - 2  # the line's padding
        while (
            len(details) > 1
            and cell_len(title) + cell_len(" · " + " · ".join(details)) > room
            and cell_len(" · " + " · ".join(details)) > room * 0.4
        ):
            details.pop()
        tail = " · " + " · ".join(details)
        return Content.styled(fit_words(title, max(20, room - cell_len(tail))), "bold") + Content.styled(tail, "not bold")
