"""Who said this quote? A dialog to correct a quote's speaker (`c` in the reader and in a timeline).

Type a name (Tab completes from the article's people: with nothing to complete it says so and
the name stays as typed), or pick one of them from the list below (↓ goes to the list, typing
narrows it; a letter typed in the list goes to the name box), or pick "Not a quote" there. Enter in
the name box takes the typed name, else the highlighted person — never "Not a quote", which is
only chosen in the list itself. Escape cancels. Dismisses with ("speaker", name),
("not_a_quote", None) or None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.core.text import one_line
from tui.ui.screens.dialogs import TagInput
from tui.ui.sizes import SHORT_BELOW

if TYPE_CHECKING:
    from tui.core.analysis.result import Analysis

NOT_A_QUOTE = "not_a_quote"
# The dialog's rows besides the list: frame and padding 4, title 2, quote 1, "Now:" 1, name box 3, hint 2.
LINES_AROUND_THE_LIST = 13
DIALOG_HEIGHT = 0.9  # its .dialog's max-height in margin.tcss
DIALOG_WIDTH = 76  # .dialog's width
# A short terminal (fewer rows than SHORT_BELOW, the app's breakpoint): no padding or blank lines, a one-line name box,
# no frame around the name box or the list, the whole height: frame 2, title 1, quote 2, "Now:" 1,
# name box 1, hint 2 (it wraps on a narrow one).
LINES_AROUND_THE_LIST_SHORT = 9
LIST_MAX_ROWS = 12  # a long list of the article's people scrolls beyond this
QUOTE_CHARS = 120  # of the quote shown: two word-wrapped lines of the dialog's 70 columns


def article_people(analysis: Analysis, speakers: bool = True) -> list[str]:
    """The names the dialog offers for an article: its speakers (most quoted first; left out
    when `speakers` is False), then the people it names (its PERSON entities)."""
    names: list[str] = []
    if speakers:
        counts: dict[str, int] = {}
        for quote in analysis.quotes:
            if quote.speaker is not None:
                counts[quote.speaker.canonical] = counts.get(quote.speaker.canonical, 0) + 1
        names = sorted(counts, key=lambda n: (-counts[n], n.casefold()))
    names += [e.canonical or e.text for e in analysis.entities if e.label == "PERSON"]
    return names


class SpeakerName(TagInput):
    """The name box: Tab accepts the completion; with none it keeps the focus here (and says so),
    so the letters typed next still reach the name."""

    def action_complete(self) -> None:
        suggestion = self._suggestion
        if suggestion and len(suggestion) > len(self.value):
            self.value = suggestion
            self.cursor_position = len(suggestion)
            return
        typed = " ".join(self.value.split())
        people = getattr(self.screen, "people", [])
        if typed and any(p.casefold() == typed.casefold() for p in people):
            return  # a whole name already: nothing to add
        if typed:
            said = f"No name of this article's people starts with “{one_line(typed, 40)}”: Enter takes it as typed."
        else:
            said = "Type the start of a name: Tab completes it from the article's people (↓ lists them)."
        self.notify(said, timeout=4, markup=False)


class SpeakerOptions(OptionList):
    """The list of the article's people: a letter (or Backspace) typed here goes to the name box
    (type-to-edit), never lost; ↑ ↓ and Enter work on the list as usual."""

    def on_key(self, event: events.Key) -> None:
        box = self.screen.query_one(SpeakerName)
        if event.key == "backspace":
            event.stop()
            event.prevent_default()
            box.focus()
            box.action_delete_left()
        elif event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            box.focus()
            box.insert_text_at_cursor(event.character)


class SpeakerDialog(ModalScreen[tuple[str, str | None] | None]):
    """Name the speaker of a quote, pick one of the article's people, or mark it not a quote."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("down", "to_list", "List", show=False)]

    def __init__(self, quote: str, current: str | None, people: list[str]) -> None:
        super().__init__()
        self.quote = quote
        self.current = current
        seen: dict[str, None] = {}
        for name in people:
            name = " ".join(name.split())
            if name and name.casefold() not in {s.casefold() for s in seen}:
                seen[name] = None
        self.people = list(seen)
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):  # the app's dialog frame (76 columns, margin.tcss)
            yield Label(Content("Who said this?"), classes="dialog-title")
            # two lines of the dialog at most, ending in "…" when the quote is longer
            yield Label(self._quote_text(), id="speaker-quote")
            yield Label(self._now_text())
            yield SpeakerName(  # Tab completes, and stays here when there is nothing to complete
                placeholder="the speaker's name (Tab completes)",
                id="speaker-name",
                select_on_focus=False,  # back from the list, a letter typed adds to the name, never replaces it
                suggester=SuggestFromList(self.people, case_sensitive=False),
            )
            yield SpeakerOptions(id="speaker-options")
            yield Label(Content("Enter: the typed name, else the highlighted one · ↓ list · Esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        if hasattr(self.app, "steady_cursors"):
            self.app.steady_cursors(self)
        self._fill("")
        self._fit_list(self.app.size.height)
        self.query_one(SpeakerName).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_list(event.size.height)

    def _fit_list(self, height: int) -> None:
        """The list takes the rows the dialog's other lines leave (at 24 rows: five names and
        "Not a quote" show, never just two rows with blank ones under the hint)."""
        short = height < SHORT_BELOW
        # (the app has the class -short then, MarginApp.on_resize: margin.tcss drops the padding and frames)
        room = height - LINES_AROUND_THE_LIST_SHORT if short else int(height * DIALOG_HEIGHT) - LINES_AROUND_THE_LIST
        room -= self._wrapped_lines(2 if short else 4)
        self.query_one(OptionList).styles.max_height = max(2 if short else 4, min(LIST_MAX_ROWS, room))

    def _wrapped_lines(self, padding: int) -> int:
        """The rows the quote (two at most) and the "Now:" line take beyond one each, at the
        dialog's width (76 columns, or the screen's) less its frame and `padding`."""
        width = max(10, min(DIALOG_WIDTH, self.app.size.width) - 2 - padding)
        quote = min(2, -(-cell_len(self._quote_text().plain) // width))
        now = -(-cell_len(self._now_text().plain) // width)
        return max(0, quote - 1) + max(0, now - 1)

    def _quote_text(self) -> Text:
        return Text("“" + one_line(self.quote, QUOTE_CHARS) + "”")

    def _now_text(self) -> Text:
        now = Text("Now: ", style="bold")
        now.append(one_line(self.current, 80) if self.current else "no speaker")
        return now

    def _fill(self, needle: str) -> None:
        wanted = " ".join(needle.split()).casefold()
        self.shown = [p for p in self.people if wanted in p.casefold()]
        options = self.query_one(OptionList)
        options.clear_options()
        items = [Option(Text(one_line(p, 70), no_wrap=True, overflow="ellipsis"), id=f"p{i}") for i, p in enumerate(self.shown)]
        items.append(Option(Text("✗ Not a quote (leave it out everywhere)", style="italic"), id=NOT_A_QUOTE))
        options.add_options(items)
        options.highlighted = 0

    def on_input_changed(self, event: SpeakerName.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: SpeakerName.Submitted) -> None:
        """Enter in the name box: the typed name, else the highlighted person (never "Not a
        quote": that one is chosen in the list, with ↓ and Enter)."""
        event.stop()
        typed = " ".join(event.value.split())
        if typed:
            same = next((p for p in self.people if p.casefold() == typed.casefold()), typed)
            self.dismiss(("speaker", same))
            return
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.shown):
            self.notify("Type a name, or pick one in the list (↓, then Enter).", timeout=4, markup=False)
            return
        self._choose(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is None:
            return
        if index >= len(self.shown):
            self.dismiss((NOT_A_QUOTE, None))
        else:
            self.dismiss(("speaker", self.shown[index]))

    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
