"""The reader's "Who said" panel: each speaker, most quoted first, with their quotes."""

from __future__ import annotations

from rich.cells import cell_len, chop_cells
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.css.query import NoMatches
from textual.reactive import var
from textual.widgets import OptionList, TabPane
from textual.widgets.option_list import Option

from tui.core.analysis.result import Analysis
from tui.core.reading import plural
from tui.core.text import one_line
from tui.ui import theme
from tui.ui.screens.dialogs import fit_words
from tui.ui.widgets.panel_list import PanelList
from tui.ui.widgets.panel_messages import JumpTo

QUOTE_LINES = 6  # at most this many lines per quote (then "…")


class QuotesPanel(TabPane):
    """Speakers and their quotes from `analysis` (bound by the reader); Enter posts `JumpTo`."""

    analysis: var[Analysis | None] = var(None, always_update=True)
    also_in: var[dict[tuple[int, int], int]] = var(dict)  # quote span -> other articles carrying it

    def __init__(self) -> None:
        super().__init__("Who said", id="quotes")
        self._filled_at = (0, 0)  # the list's size the rows were wrapped for

    def compose(self) -> ComposeResult:
        yield PanelList(id="quote-list")

    def watch_analysis(self) -> None:
        self.fill()

    def watch_also_in(self) -> None:
        self.fill()

    def fill(self) -> None:
        """The rows, wrapped to the list's width (the highlighted row kept)."""
        try:
            panel = self.query_one("#quote-list", PanelList)
        except NoMatches:
            return
        highlighted = panel.highlighted  # kept when the list is re-wrapped
        panel.clear_options()
        self._filled_at = panel.layout_key()
        if self.analysis is None or not self.analysis.quotes:  # say why the list is empty, never a blank panel
            why = (
                "Who said what shows once the article is analysed (if the analysis failed, the status line says so)."
                if self.analysis is None
                else "No quotation marks around anyone's words in this article."
            )
            panel.add_option(Option(Content(why).stylize("$text-muted"), disabled=True))
            return
        rows = self.rows(panel.row_width())
        lines = sum(str(row.prompt).count("\n") + 1 for row in rows)
        if panel.row_width(lines) != panel.row_width():  # too many for the height: a scrollbar takes cells
            rows = self.rows(panel.row_width(lines))
        panel.add_options(rows)
        if highlighted is not None and highlighted < panel.option_count:
            panel.highlighted = highlighted

    def rows(self, width: int) -> list[Option]:
        """A heading per speaker (most quoted first), then their quotes wrapped to `width` cells with
        a hanging indent."""
        analysis = self.analysis
        if analysis is None:
            return []
        current = self.app.current_theme
        colour = theme.highlights(current.dark, current).quote_colour
        by_speaker: dict[str, list[int]] = {}
        for index, quote in enumerate(analysis.quotes):
            name = quote.speaker.canonical if quote.speaker else "(unattributed)"
            by_speaker.setdefault(name, []).append(index)
        also_in = self.also_in
        from tui.core.corrections import USER_METHODS  # loaded by the reader with the analysis

        rows = []
        for name, indices in sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold())):
            count = f" · {plural(len(indices), 'quote')}"  # always on the speaker's line, never cut
            speaker = fit_words(one_line(name), max(8, width - len(count)))
            heading = Content.styled(speaker, f"bold {colour}") + Content.styled(count, "$text-muted")
            rows.append(Option(heading, disabled=True))
            for index in indices:
                quote = analysis.quotes[index]
                cue = f"[{one_line(quote.cue)}] " if quote.cue else ""
                unsure = quote.speaker is not None and quote.speaker.uncertain
                checked = quote.speaker is not None and quote.speaker.method in USER_METHODS
                # a speaker the user decided: ✓; a guessed one: ?, and the quote in muted text
                first = "✓ " if checked else "? " if unsure else "  "
                lines = hanging_lines(f"{cue}“{one_line(quote.text)}”", width, first=first, rest="    ", max_lines=QUOTE_LINES)
                others = also_in.get((quote.start, quote.end))
                if others:
                    lines.append("    " + fit_words(f"also in {others} (o)", width - 4))
                text = "\n".join(lines)
                prompt = Content.styled(text, "$text-muted") if unsure else Content(text)
                rows.append(Option(prompt, id=f"q{index}"))
        return rows

    def on_panel_list_resized(self, event: PanelList.Resized) -> None:
        event.stop()
        if self.analysis is not None and self.query_one("#quote-list", PanelList).layout_key() != self._filled_at:
            self.fill()

    @on(OptionList.OptionSelected, "#quote-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.analysis and event.option.id:
            self.post_message(JumpTo(self.analysis.quotes[int(event.option.id[1:])].start))


def hanging_lines(text: str, width: int, first: str = "", rest: str = "  ", max_lines: int | None = None) -> list[str]:
    """`text` word-wrapped to `width` cells, the first line indented by `first` and the others by
    `rest` (a hanging indent); at most `max_lines`, the last ending in "…" when text was left out."""
    lines: list[str] = []
    indent, line = first, ""
    for word in text.split():
        if max_lines is not None and len(lines) > max_lines:
            break  # enough to show that text is left out
        if line and cell_len(f"{indent}{line} {word}") > width:
            lines.append(indent + line)
            indent, line = rest, word
        else:
            line = f"{line} {word}" if line else word
        while cell_len(indent + line) > width and cell_len(line) > 1:  # a word longer than a line
            room = max(1, width - cell_len(indent))
            # cut between characters (a wide one, an accent and its letter are never split)
            head = chop_cells(line, room)[0] or chop_cells(line, 2)[0]
            lines.append(indent + head)
            indent, line = rest, line[len(head) :]
    if line:
        lines.append(indent + line)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        indent = first if max_lines == 1 else rest
        lines[-1] = indent + fit_words(lines[-1][len(indent) :] + "…", width - cell_len(indent))
    return lines
