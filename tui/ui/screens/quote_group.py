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
from tui.ui import theme
from tui.ui.messages import ThemeChanged


class QuoteGroupDialog(ModalScreen[int | None]):
    """One quote's versions across articles, earliest first: outlet, date, title, the speaker as
    each article names it, and each version's words compared with the earliest — words it has
    that the earliest has not are highlighted, words it leaves out are shown struck through (in
    the theme's readable secondary colour: Textual's dim fell to 4.3:1 on textual-light's
    highlighted row)."""

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, group: QuoteGroup, current: PersonQuote) -> None:
        super().__init__()
        self.group = group
        self.current = current

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical
        from textual.widgets import Label

        with Vertical():
            yield Label(Content(f"The same quote in {self.group.articles} articles (earliest first)"), classes="dialog-title")
            options = [Option(prompt, id=str(i)) for i, prompt in enumerate(self._prompts(self._estimated_width()))]
            yield OptionList(*options, id="group-versions")
            yield Label(
                Content(
                    "highlighted: words the earliest version does not have · struck: words it has "
                    "that this one leaves out · Enter opens the article · Escape closes"
                ),
                classes="dialog-hint",
            )

    def _estimated_width(self) -> int:
        """The cells a row has before layout: the dialog's 100 columns (95% at most) less its frame."""
        return min(100, self.app.size.width * 95 // 100) - 12

    def _muted(self) -> str:
        """The current theme's secondary text colour, readable on the page and on the highlighted
        row alike (raised to AA in tui/ui/theme.py)."""
        return theme.readable_variables_for(self.app.current_theme).get("text-muted") or "dim"

    def _prompts(self, width: int) -> list[Text]:
        """Each version's row; the quote wrapped under its own indent (a hanging indent)."""
        earliest = self.group.members[0][1]
        muted = self._muted()
        prompts = []
        for i, (person, quote) in enumerate(self.group.members):
            head = Text()
            head.append("▸ " if self._is_current(quote) else "  ", style="bold")
            head.append(quote.date or "no date", style="bold" if quote.date else muted)
            head.append(f"  {one_line(quote.source or 'no outlet', 40)}  —  ", style="italic")
            head.append(one_line(quote.title, 70))
            text = _hanging(head, width, "    ")
            text.append(f"\n    said by {one_line(quote.canonical, 50)}")
            if person.name != quote.canonical:
                text.append(f" ({one_line(person.name, 50)})", style=muted)
            text.append("\n    ")
            text.append_text(_hanging(_quoted(earliest.text, quote.text, i == 0, muted), width - 4, "    "))
            prompts.append(text)
        return prompts

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        # the first version in another article (the one open is marked ▸): what `o` was pressed for
        options.highlighted = next((i for i, (_, q) in enumerate(self.group.members) if not self._is_current(q)), 0)
        options.focus()

    def action_move(self, step: int) -> None:
        """`j` / `k`: the next / previous version, as everywhere else in Margin."""
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def on_resize(self) -> None:
        self.call_after_refresh(self._rewrap)

    def on_theme_changed(self, message: ThemeChanged) -> None:
        """Another theme: the rows again, in its readable secondary colour."""
        self._wrapped_at = None
        self.call_after_refresh(self._rewrap)

    def _rewrap(self) -> None:
        """Wrap the quotes again to the list's width as laid out, and keep the hint under the list
        on screen: the list gets the rows the dialog's 90% of the screen leaves it (it scrolls)."""
        from textual.containers import Vertical

        options = self.query_one(OptionList)
        frame = self.query_one(Vertical)
        others = sum(
            w.outer_size.height + w.styles.margin.top + w.styles.margin.bottom for w in frame.children if w is not options
        )
        room = self.size.height * 90 // 100 - frame.styles.gutter.height - others
        options.styles.max_height = max(4, min(30, room))
        width = options.scrollable_content_region.width - 2
        if width < 24 or width == getattr(self, "_wrapped_at", None):
            return
        self._wrapped_at = width
        highlighted = options.highlighted
        for i, prompt in enumerate(self._prompts(width)):
            options.replace_option_prompt_at_index(i, prompt)
        options.highlighted = highlighted
        self.call_after_refresh(options.scroll_to_highlight)  # the whole highlighted version in view

    def _is_current(self, quote: PersonQuote) -> bool:
        c = self.current
        return (quote.article_id, quote.start, quote.end) == (c.article_id, c.start, c.end)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _quoted(earliest: str, text: str, first: bool, muted: str = "dim") -> Text:
    """A version's quote in quotation marks; after the first, its word differences styled: words
    the earliest lacks highlighted, words it leaves out struck through in `muted` (a colour
    readable on the highlighted row). Spaces kept as they are."""
    quoted = Text("“")
    if first:
        quoted.append(one_line(text, 1500))
    else:
        for piece, what in diff_spans(earliest, text):
            flat = one_line(piece, 1500)
            # one_line trims: the spaces around a piece are what separates it from its neighbours
            lead = " " if piece[:1].isspace() and flat else ""
            trail = " " if piece[-1:].isspace() else ""
            if what == "missing":
                before = "" if quoted.plain.endswith((" ", "“")) else " "
                quoted.append(before)
                quoted.append(f"‹{flat}›", style=f"strike {muted}")
                quoted.append(" ")
            elif not flat:
                if not quoted.plain.endswith(" "):
                    quoted.append(" ")
            else:
                if lead and quoted.plain.endswith(" "):
                    lead = ""
                quoted.append(lead + flat + trail, style="bold reverse" if what == "changed" else "")
    quoted.rstrip()
    quoted.append("”")
    return quoted


def _hanging(text: Text, width: int, indent: str) -> Text:
    """`text` wrapped at `width` cells, each line after the first starting with `indent`."""
    from rich.console import Console

    lines = text.wrap(Console(width=max(width, 10)), max(width, 10))
    return Text("\n" + indent).join(lines)
