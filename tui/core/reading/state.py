"""`Reading`: the reader's state for one article (units, cursor, selection, search, annotations)
and what each move or action means, as plain Python the screen calls and unit tests drive."""

from __future__ import annotations

import re
from bisect import bisect_right

from tui.core.analysis.result import Analysis, Quote
from tui.core.annotations import Annotation
from tui.core.articles import Article
from tui.core.passages import Passage, action_target, reading_units, rule_sentences, unit_index_at
from tui.core.reading.search import Search, find_all
from tui.core.reading.words import extend_by_word, first_word, snap_to_words
from tui.core.text import one_line, quoted

Span = tuple[int, int]
_PARAGRAPH = re.compile(r"(?m)^[ \t]*(\S)")


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph's text begins: its first non-blank character (blank lines are none)."""
    return [m.start(1) for m in _PARAGRAPH.finditer(text)]


def plural(count: int, singular: str, many: str | None = None) -> str:
    """ "1 quote", "2 quotes" ("2 entities" with `many`)."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


class Reading:
    """One article as the reader sees it.

    The cursor is an index into `units` (sentences, cut at quotes); `wanted_offset` is the
    offset the reader returns to when the units change (analysis arrives) or the article is
    opened again. A selection, once started, stays anchored at `anchor` and every move extends
    it. Operations that answer "where to" return a unit index (or None: nowhere to go) and do
    not move; `place` moves.
    """

    def __init__(self, article: Article) -> None:
        self.article = article
        self.text = article.text
        self.units: list[Span] = rule_sentences(article.text)
        self.unit_index = 0
        self.wanted_offset = 0
        self.quotes: list[Quote] = []
        self.quote_spans: list[Span] = []
        self.paragraph_starts = paragraph_starts(article.text)
        self.selection: Span | None = None
        self.anchor: Span | None = None
        self.search = Search()
        self.hidden_labels: frozenset[str] = frozenset()
        self.annotations: list[Annotation] = []
        self.last_quick: tuple[str, int] | None = None  # (annotation id, cursor unit) of the last quick tag

    # -- units and the cursor ---------------------------------------------------------------
    def set_analysis(self, analysis: Analysis) -> None:
        """Units from the analysis: its sentences (or the rule-based ones) cut at its quotes.
        The cursor index is not moved: `place(unit_at(wanted_offset), …)` puts it back."""
        self.quotes = list(analysis.quotes)
        self.quote_spans = [(q.start, q.end) for q in analysis.quotes]
        sentences = analysis.sentences or rule_sentences(self.text)
        self.units = reading_units(self.text, sentences, self.quote_spans) or sentences

    @property
    def unit(self) -> Span:
        """The cursor's unit ((0, 0) in an article without any)."""
        return self.units[self.unit_index] if self.units else (0, 0)

    @property
    def here(self) -> int:
        """Where the cursor's unit starts."""
        return self.unit[0]

    def unit_at(self, offset: int) -> int:
        """The unit containing `offset`, else the nearest one before it."""
        return unit_index_at(self.units, offset)

    def first_unit_from(self, offset: int) -> int:
        """The first unit that starts at or after `offset` (else the last one)."""
        index = unit_index_at(self.units, offset)
        if self.units and self.units[index][0] < offset and index + 1 < len(self.units):
            index += 1
        return index

    def first_body_unit(self) -> int:
        """The first sentence of the body, past a title or caption line."""
        spans = (self.article.title_span, self.article.caption_span)
        skip_to = max((span[1] for span in spans if span), default=0)
        for index, (start, _) in enumerate(self.units):
            if start >= skip_to:
                return index
        return 0

    def place(self, index: int, wanted: int | None = None, moved: bool = True) -> bool:
        """Put the cursor on unit `index` (clamped); `wanted` is the offset to come back to
        (default: the unit's start). A real move (`moved`) extends a selection; a redraw leaves
        it as it is. Returns False in an article without units."""
        if not self.units:
            return False
        self.unit_index = max(0, min(index, len(self.units) - 1))
        start, end = self.units[self.unit_index]
        self.wanted_offset = start if wanted is None else wanted
        if moved and self.anchor is not None:
            a_start, a_end = self.anchor
            self.set_selection(min(a_start, start), max(a_end, end))
        return True

    # -- where a move goes ------------------------------------------------------------------
    def step_target(self, step: int) -> int:
        """`j` / `k`: the next / previous unit (clamped by `place`)."""
        return self.unit_index + step

    def edge_target(self, step: int) -> int:
        """`g` / `G`: the first or the last unit."""
        return 0 if step < 0 else len(self.units) - 1

    def paragraph_target(self, step: int) -> int | None:
        """`J` / `K`: the first unit of the next / previous paragraph, None past the last / first."""
        starts, here = self.paragraph_starts, self.here
        if step > 0:
            i = bisect_right(starts, here)
            target = starts[i] if i < len(starts) else None
            return None if target is None else self.first_unit_from(target)
        # back: the first unit of this paragraph, or of the one before when the cursor is on it
        # (compared as units: a paragraph opening on “ has its first unit one character in)
        i = bisect_right(starts, here) - 1
        while i >= 0:
            unit = self.first_unit_from(starts[i])
            if unit < self.unit_index:
                return unit
            i -= 1
        return None

    def quote_target(self, step: int) -> int | None:
        """`]` / `[`: the unit where the next / previous quote begins (from inside a quote,
        `[` goes to the quote before it), None when there is no quote that way."""
        here = self.here
        if step > 0:
            later = [q for q in self.quote_spans if q[0] > here]
            target = later[0] if later else None
        else:
            current = action_target(self.unit, self.quote_spans)
            earlier = [q for q in self.quote_spans if q[0] < min(here, current.start)]
            target = earlier[-1] if earlier else None
        return None if target is None else self.unit_at(target[0])

    def unsure_quote_target(self) -> int | None:
        """`!`: the unit of the next quote whose speaker Margin could not find or is unsure of
        (after the cursor, then from the top again), None when there is no such quote."""
        unsure = [q.start for q in self.quotes if q.speaker is None or q.speaker.uncertain]
        if not unsure:
            return None
        later = [start for start in unsure if start > self.here]
        return self.unit_at(later[0] if later else unsure[0])

    def annotation_target(self, step: int) -> int | None:
        """`>` / `<`: the unit of the next / previous annotated passage, None when there is none
        that way."""
        starts = sorted({a.start for a in self.anchored})
        if step > 0:
            later = [s for s in starts if self.unit_at(s) > self.unit_index]
            target = later[0] if later else None
        else:
            earlier = [s for s in starts if s < self.here and self.unit_at(s) < self.unit_index]
            target = earlier[-1] if earlier else None
        return None if target is None else self.unit_at(target)

    # -- what an action applies to ----------------------------------------------------------
    def target(self) -> Passage:
        """The passage an action applies to: the selection, else the quote under the cursor,
        else the cursor's sentence."""
        if self.selection is not None:
            return Passage(*self.selection, "selection")
        return action_target(self.unit, self.quote_spans)

    def speaker_of(self, passage: Passage) -> str | None:
        """Who said the passage: a quote's speaker, or the one speaker of every quote a
        selection overlaps (None when unknown or several)."""
        if passage.kind == "quote" and passage.quote_index is not None:
            quote = self.quotes[passage.quote_index]
            return quote.speaker.canonical if quote.speaker else None
        inside = {q.speaker.canonical for q in self.quotes if q.speaker and q.start < passage.end and q.end > passage.start}
        return inside.pop() if len(inside) == 1 else None

    def new_annotation(self, passage: Passage) -> Annotation:
        """A new annotation of the passage (a quote's carries its speaker)."""
        speaker = None
        if passage.kind == "quote" and passage.quote_index is not None and passage.quote_index < len(self.quotes):
            quote = self.quotes[passage.quote_index]
            speaker = quote.speaker.canonical if quote.speaker else None
        return Annotation.for_passage(self.article, passage.start, passage.end, kind=passage.kind, speaker=speaker)

    def passage_text(self, passage: Passage, existing: Annotation | None) -> str:
        """The text a dialog shows for the passage (an orphan's own text: it is no longer in the article)."""
        if existing is not None and existing.orphan:
            return existing.text
        return self.text[passage.start : passage.end]

    # -- selection --------------------------------------------------------------------------
    def set_selection(self, start: int, end: int) -> None:
        """Select start…end (an empty range selects nothing). The anchor is left as it is."""
        self.selection = (start, end) if end > start else None

    def clear_selection(self) -> None:
        """No selection, no anchor."""
        self.anchor = None
        self.selection = None

    def toggle_selection(self) -> None:
        """`v`: start a selection at the cursor's unit, or cancel the one there is."""
        if self.selection is not None:
            self.clear_selection()
            return
        if self.units:
            self.anchor = self.unit
            self.set_selection(*self.anchor)

    def extend_word(self, step: int) -> Span | None:
        """`w` / `b`: the selection one word longer / shorter; without one, `w` selects the first
        word of the cursor's unit and `b` the unit less its last word. Moves then extend from
        there. Returns the new selection."""
        if self.selection is None and step > 0 and self.units:
            word = first_word(self.text, *self.unit)
            if word is not None:
                self.anchor = word
                self.set_selection(*word)
                return self.selection
        if self.selection is None:
            self.toggle_selection()
        if self.selection is None:
            return None
        start, end = extend_by_word(self.text, *self.selection, step)
        self.anchor = (start, end)
        self.set_selection(start, end)
        return self.selection

    def select_range(self, start: int, end: int) -> Span | None:
        """A dragged range, snapped to whole words and anchored there."""
        start, end = snap_to_words(self.text, start, end)
        self.anchor = (start, end)
        self.set_selection(start, end)
        return self.selection

    # -- search -----------------------------------------------------------------------------
    def find(self, term: str) -> list[Span]:
        """Every match of `term` in the article (the library search's matching)."""
        return find_all(self.text, term)

    def show_search(self, term: str) -> None:
        """Highlight every match of `term`; none is current yet (the box is still open)."""
        self.search.show(self.find(term), term)

    def submit_search(self, term: str) -> tuple[Span, bool] | None:
        """Enter in the search box: the first match from the cursor on becomes current. Returns
        it and whether that wrapped past the end (every match is before the cursor); None when
        nothing matched."""
        self.search.show(self.find(term), term)
        if not self.search.matches:
            return None
        self.search.before(self.here)
        return self.search.step(1)

    def open_search(self, term: str, offset: int) -> Span | None:
        """A library search hit opened the article at `offset`: its matches highlighted, the
        one there current (`n` goes to the next)."""
        self.search.show(self.find(term), term)
        self.search.at(offset)
        return self.search.matches[self.search.index] if self.search.matches else None

    # -- entities ---------------------------------------------------------------------------
    def toggle_label(self, label: str) -> None:
        """Show or hide the highlights of one entity label."""
        self.hidden_labels = self.hidden_labels ^ {label}

    # -- annotations ------------------------------------------------------------------------
    @property
    def anchored(self) -> list[Annotation]:
        """The annotations whose passage is in the text."""
        return [a for a in self.annotations if not a.orphan]

    @property
    def orphans(self) -> list[Annotation]:
        """The annotations whose passage is no longer in the text."""
        return [a for a in self.annotations if a.orphan]

    def annotations_at(self, passage: Passage) -> list[Annotation]:
        """Annotations overlapping the passage, exact matches first."""
        overlapping = [a for a in self.anchored if a.start < passage.end and a.end > passage.start]
        return sorted(overlapping, key=lambda a: (not (a.start == passage.start and a.end == passage.end), a.start))

    def annotation_for(self, passage: Passage) -> Annotation | None:
        """The annotation of exactly this passage, if there is one."""
        return next((a for a in self.anchored if a.start == passage.start and a.end == passage.end), None)

    def annotation_here(self) -> Annotation | None:
        """The annotation `e` and `d` act on in the text: one on the action's target, else one
        overlapping the cursor's sentence."""
        if not self.units:
            return None
        found = self.annotations_at(self.target()) or self.annotations_at(Passage(*self.unit, "sentence"))
        return found[0] if found else None

    def other_annotation_here(self, passage: Passage) -> Annotation | None:
        """The annotation `e` would edit here when it is not the one of `passage` (which has
        none): `t` and `n` make a new annotation on `passage`, and say so."""
        if self.annotation_for(passage) is not None:
            return None
        here = self.annotation_here()
        return here if here is not None and (here.start, here.end) != (passage.start, passage.end) else None

    def annotation(self, annotation_id: str | None) -> Annotation | None:
        """The annotation with this id (orphans included)."""
        return next((a for a in self.annotations if a.id == annotation_id), None)

    # -- quick tags -------------------------------------------------------------------------
    def quick_tag_subject(self) -> tuple[Passage, Annotation | None]:
        """What a quick-tag key applies to: the action's target and its annotation; but the
        annotation the last quick tag made, while the cursor has not moved and nothing is
        selected (so the same key again untags it, even after a selection was tagged)."""
        passage = self.target()
        existing = self.annotation_for(passage)
        last = self.last_quick_tagged()
        if self.selection is None and last is not None:
            return Passage(last.start, last.end, last.kind), last
        return passage, existing

    def remember_quick(self, annotation_id: str) -> None:
        """A quick tag made or changed this annotation, with the cursor where it is now."""
        self.last_quick = (annotation_id, self.unit_index)

    def last_quick_tagged(self) -> Annotation | None:
        """The annotation the last quick tag made or changed, while the cursor has not moved since."""
        if self.last_quick is None:
            return None
        annotation_id, unit_index = self.last_quick
        if unit_index != self.unit_index:
            return None
        return next((a for a in self.anchored if a.id == annotation_id), None)


def attributed_text(article: Article, passage: Passage, speaker: str | None) -> str:
    """A passage as one cites it: the text (a quote in quotation marks), then who said it and
    where — speaker, title, source, date — then the web address, each only when known."""
    paragraphs = re.split(r"\n\s*\n", article.text[passage.start : passage.end])
    body = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())  # paragraphs kept, lines joined
    if passage.kind == "quote":
        body = quoted(body)
    where = [speaker, quoted(one_line(article.title)) if article.title else None, article.source, article.date]
    lines = [body, "— " + ", ".join(one_line(w) for w in where if w)]
    if article.url:
        lines.append(article.url)
    return "\n".join(lines)
