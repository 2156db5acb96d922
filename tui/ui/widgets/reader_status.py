"""The reader's status line, drawn from reactive attributes the reader screen binds to it."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from tui.core.annotations import Annotation
from tui.core.reading import plural
from tui.core.text import one_line


class ReaderStatus(Static):
    """Where the view is, the cursor's sentence (and quote: its speaker, also in N), the selection, the search, the annotations and
    the analysis — redrawn whenever one of them changes (bound with `data_bind`)."""

    position: reactive[str] = reactive("")
    sentence: reactive[tuple[int, int]] = reactive((0, 0))  # (cursor's sentence, 1-based; how many)
    quote_note: reactive[str] = reactive("")  # the quote under the cursor: its speaker, "also in N"
    selected: reactive[int] = reactive(0)  # characters selected
    search_status: reactive[tuple[str, int, int]] = reactive(("", -1, 0))  # (term, current match, matches)
    annotations: reactive[list[Annotation]] = reactive(list, always_update=True)
    analysis_state: reactive[str] = reactive("")
    pipeline: reactive[str] = reactive("")  # the spaCy pipeline, shown when there is room

    def text(self) -> str:
        """The status line as one string (the pipeline only where the line has room for it)."""
        index, count = self.sentence
        parts = [self.position, f"sentence {index}/{count}"]
        if self.quote_note:
            parts.append(self.quote_note)
        if self.selected:
            parts.append(f"selected {self.selected} chars (t n 1–9; Esc)")
        term, current, matches = self.search_status
        if matches and current < 0:  # typing a search: how many so far
            parts.append(f"“{one_line(term, 20)}”: {plural(matches, 'match', 'matches')}")
        elif matches:
            parts.append(f"“{one_line(term, 20)}” {current + 1}/{matches} (n N; Esc)")
        orphans = sum(1 for a in self.annotations if a.orphan)
        anchored = len(self.annotations) - orphans
        parts.append(plural(anchored, "annotation") + (f" + {plural(orphans, 'orphan')}" if orphans else ""))
        parts.append(self.analysis_state)
        text = " · ".join(parts)
        if self.pipeline:
            model = f" · {self.pipeline}"
            if cell_len(text + model) <= self.size.width:  # the content area: the padding is left out
                text += model
        return text

    def render(self) -> Content:
        return Content(self.fitted())

    def fitted(self) -> str:
        """The status line as drawn: where it is too long, whole parts go from the end (the least
        needed), never a part cut in the middle with its " ·" left dangling — but for the quote's
        speaker, which is cut short with "…" rather than left out."""
        text = self.text()
        width = self.size.width
        if width <= 0 or cell_len(text) <= width:
            return text
        parts = text.split(" · ")
        dropped = ""
        while len(parts) > 2 and cell_len(" · ".join(parts)) > width:
            dropped = parts.pop()
        if dropped and len(parts) == 2 and dropped == self.quote_note.split(" · ")[0]:
            # the quote's speaker is worth a cut ("said by Jane Doe? (the reporting…"), not a drop
            room = width - cell_len(" · ".join(parts) + " · ")
            if room >= 16:
                while cell_len(dropped) > room - 1:
                    dropped = dropped[:-1]
                parts.append(dropped.rstrip() + "…")
        return " · ".join(parts)
