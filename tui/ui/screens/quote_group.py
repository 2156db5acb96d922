"""One quote's versions across articles (`a` in a timeline), their word differences highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.people import PersonQuote, QuoteGroup, diff_spans
from tui.core.text import one_line


class QuoteGroupDialog(ModalScreen[int | None]):
    """One quote's versions across articles, earliest first: outlet, date, title, the speaker as
    each article names it, and each version's words compared with the earliest — words it has
    that the earliest has not are highlighted, words it leaves out are shown struck through."""

    BINDINGS = [Binding("escape", "cancel", "Close")]

    def __init__(self, group: QuoteGroup, current: PersonQuote) -> None:
        super().__init__()
        self.group = group
        self.current = current

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical
        from textual.widgets import Label

        earliest = self.group.members[0][1]
        with Vertical():
            yield Label(Content(f"The same quote in {self.group.articles} articles (earliest first)"), classes="dialog-title")
            options = []
            for i, (person, quote) in enumerate(self.group.members):
                text = Text()
                text.append("▸ " if self._is_current(quote) else "  ", style="bold")
                text.append(quote.date or "no date", style="bold" if quote.date else "dim")
                text.append(f"  {one_line(quote.source or 'no outlet', 40)}  —  ", style="italic")
                text.append(one_line(quote.title, 70))
                text.append(f"\n    said by {one_line(quote.canonical, 50)}")
                if person.name != quote.canonical:
                    text.append(f" ({one_line(person.name, 50)})", style="dim")
                text.append("\n    “")
                if i == 0:
                    text.append(one_line(quote.text, 1500))
                else:
                    for piece, what in diff_spans(earliest.text, quote.text):
                        piece = one_line(piece, 1500) if piece.strip() else " "
                        if what == "changed":
                            text.append(piece, style="bold reverse")
                        elif what == "missing":
                            text.append(f" ‹{piece}› ", style="strike dim")
                        else:
                            text.append(piece)
                text.append("”")
                options.append(Option(text, id=str(i)))
            yield OptionList(*options, id="group-versions")
            yield Label(
                Content(
                    "highlighted: words the earliest version does not have · struck: words it has "
                    "that this one leaves out · Enter opens the article · Escape closes"
                ),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = next((i for i, (_, q) in enumerate(self.group.members) if self._is_current(q)), 0)
        options.focus()

    def _is_current(self, quote: PersonQuote) -> bool:
        c = self.current
        return (quote.article_id, quote.start, quote.end) == (c.article_id, c.start, c.end)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
