"""The reader: one article with entity, quote and annotation highlights, annotated by keyboard.

The screen keeps the reading state (units, cursor, selection, search) and talks to the core only
through `MarginApp` methods and pure functions of `tui.core`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from rich.cells import cell_len
from rich.style import Style
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets._footer import FooterKey
from textual.widgets.option_list import Option

from tui.core.analysis.result import Analysis
from tui.core.annotations import Annotation, normalise_tags, tag_changes
from tui.core.articles import Article
from tui.core.passages import Passage, action_target, reading_units, rule_sentences, unit_index_at
from tui.core.text import one_line
from tui.ui import theme
from tui.ui.screens.dialogs import ConfirmDialog, NoteConflictDialog, NoteDialog, TagDialog, ask_tag_change, fit_words
from tui.ui.screens.help import HelpScreen
from tui.ui.widgets.article_view import ArticleView, Mark

NARROW_WIDTH = 90  # below this many columns the side panel starts hidden
COMPACT_WIDTH = 100  # below this many columns the footer drops its padding (as the library's)
QUOTE_LINES = 6  # at most this many lines per quote in the who-said panel (then "…")
_WORD = re.compile(r"\w+(?:['’]\w+)*[^\w\s]*")  # a word with the punctuation right after it

# Every key of the reader, grouped, for the help screen (kept next to BINDINGS on purpose).
READER_KEYS = [
    ("Move", [
        ("j / ↓, k / ↑", "next / previous sentence (or quote piece)"),
        ("J / }, K / {", "next / previous paragraph"),
        ("] / [", "next / previous quote"),
        ("> / <", "next / previous annotation"),
        ("g / Home, G / End", "top / bottom"),
        ("z", "centre the cursor's line in the view (as vim's zz)"),
        ("PageDown / Space, PageUp", "page down / up"),
        ("mouse", "click places the cursor, drag selects, wheel scrolls"),
    ]),
    ("Select", [
        ("v", "start a selection at the cursor (v again cancels); every move extends it"),
        ("w / b", "extend / shrink the selection by a word"),
        ("Escape", "cancel the selection or the search"),
    ]),
    ("Annotate (selection, else the quote under the cursor, else the sentence)", [
        ("t", "tag (comma-separated, Tab completes known tags)"),
        ("1 … 9", "quick tag from your palette (the same key again removes it)"),
        ("P", "edit the quick-tag palette"),
        ("n", "note (ctrl+s saves, Escape cancels)"),
        ("e", "edit the annotation under the cursor"),
        ("d / u", "delete the annotation under the cursor / undo the last delete"),
        ("y", "copy the passage with its attribution (speaker, title, source, date, web address)"),
    ]),
    ("Find", [
        ("/", "search in the article, matches highlighted as you type; Enter goes to the first, Escape cancels"),
        ("n / N", "next / previous match, wrapping at the end (while a search or an entity's mentions are highlighted)"),
        ("a", "annotations panel: Enter jumps; typing (or /) filters it by tag"),
        ("s", "who said what panel"),
        ("E", "entities panel: Enter on an entity highlights its mentions; on a label, shows / hides that label"),
        ("W", "People: every speaker across the library, each one's quotes as a timeline"),
        ("p", "show / hide the side panel"),
        ("j / k, g / G, Enter", "in a panel's list: move its highlight (the text's cursor stays), choose"),
    ]),
    ("General", [
        ("x", "export annotations"),
        ("ctrl+p", "command palette"),
        ("?", "this help"),
        ("Escape", "back to the library"),
        ("q", "quit"),
    ]),
]


class PanelList(OptionList):
    """A side-panel list: while it has focus, `j` / `k` / `g` / `G` move its highlight (not the
    article cursor). In the annotations list, typing other letters goes to its filter box."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]
    # keys that keep their reader meaning in the annotations list (the rest of the letters filter)
    PASS_THROUGH = set("jkgGedu?qaspEPxnt")

    class Resized(Message):
        """The list's width changed (the who-said list re-wraps its quotes)."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def on_key(self, event) -> None:
        if self.id != "annotation-list" or not event.is_printable or not event.character:
            return
        if event.character in self.PASS_THROUGH or event.character.isdigit():
            return
        event.stop()
        event.prevent_default()
        box = self.screen.query_one("#tag-filter", Input)
        if event.character != "/":  # `/` only moves to the filter box
            box.value += event.character
        self.screen.set_focus(box)  # at once: the next key typed goes to the box too
        box.cursor_position = len(box.value)


class ReaderFooter(Footer):
    """The footer, dropping its less important keys (all of them in `?`) when the line is too
    short for every key, so the ones that matter most always show: at 80 columns, with
    "n Next match" and "N Prev match" in it too, Tag, Search, Help, Back and Quit stay."""

    LESS_IMPORTANT = ("export", "quote(1)")  # dropped first, in this order
    PALETTE_CELLS = 14  # the command palette key on the right

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]

        def cells(key: FooterKey) -> int:
            spacing = 1 if self.compact else 3  # a compact footer: one space between keys
            return cell_len(key.key_display) + 1 + cell_len(key.description) + spacing

        meaning = getattr(self.screen, "escape_meaning", None)
        for key in keys:
            if key.action == "back" and meaning is not None:
                key.description = meaning()  # what Escape does now
        room = self.app.size.width - self.PALETTE_CELLS
        dropped: set[str] = set()
        for action in self.LESS_IMPORTANT:
            if sum(cells(k) for k in keys if k.action not in dropped) <= room:
                break
            dropped.add(action)
        shown = [w for w in widgets if not (isinstance(w, FooterKey) and w.action in dropped)]
        self.styles.grid_size_columns = max(1, len([k for k in keys if k.action not in dropped]))
        yield from shown


class ReaderScreen(Screen):
    DEFAULT_CSS = """
    ReaderScreen #side:focus-within { border-left: vkey $accent; }
    ReaderScreen PanelList:focus { background-tint: $foreground 5%; }
    """
    BINDINGS = [
        Binding("j,down", "move(1)", "Next", show=False),
        Binding("k,up", "move(-1)", "Prev", show=False),
        Binding("J,right_curly_bracket", "paragraph(1)", "Paragraph", show=False),
        Binding("K,left_curly_bracket", "paragraph(-1)", "Paragraph up", show=False),
        Binding("g,home", "edge(-1)", "Top", show=False),
        Binding("G,end", "edge(1)", "Bottom", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("right_square_bracket", "quote(1)", "Next quote"),
        Binding("left_square_bracket", "quote(-1)", "Prev quote", show=False),
        Binding("greater_than_sign", "annotation(1)", "Next annotation", show=False),
        Binding("less_than_sign", "annotation(-1)", "Prev annotation", show=False),
        Binding("z", "centre", "Centre", show=False),
        Binding("y", "copy", "Copy", show=False),
        Binding("v", "select", "Select", show=False),
        Binding("w", "word(1)", "Word", show=False),
        Binding("b", "word(-1)", "Word back", show=False),
        Binding("t", "tag", "Tag"),
        # `n` / `N` step through matches while a search or an entity's mentions are highlighted
        # (the footer then says so), else `n` writes a note: one key, two modes, never both at once.
        Binding("n", "search_step(1)", "Next match"),
        Binding("n", "note", "Note"),
        Binding("N", "search_step(-1)", "Prev match"),
        Binding("e", "edit", "Edit", show=False),
        Binding("d", "delete", "Delete", show=False),
        Binding("u", "undo", "Undo", show=False),
        Binding("slash", "search", "Search"),
        Binding("a", "panel('notes')", "Notes", show=False),
        Binding("s", "panel('quotes')", "Who said", show=False),
        Binding("E", "panel('entities')", "Entities", show=False),
        Binding("p", "toggle_panel", "Panel", show=False),
        Binding("P", "edit_palette", "Palette", show=False),
        Binding("W", "app.people", "People", show=False),
        Binding("x", "export", "Export"),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
    ] + [Binding(str(i), f"quick_tag({i})", f"Quick tag {i}", show=False) for i in range(1, 10)]

    def __init__(self, article: Article, start_offset: int | None = None, search: str | None = None) -> None:
        super().__init__()
        self.article = article
        self.start_offset = start_offset
        self.initial_search = search  # a library search hit: its words highlighted, n goes to the next one
        self._search_before: tuple[str, list[tuple[int, int]], int] | None = None  # restored by Escape
        self.analysis: Analysis | None = None
        self.quote_spans: list[tuple[int, int]] = []
        self.units = rule_sentences(article.text)
        self.unit_index = 0
        self.annotations: list[Annotation] = []
        self.analysis_state = "analysing…"
        self.selection: tuple[int, int] | None = None
        self._selection_anchor: tuple[int, int] | None = None
        self.search_term = ""
        self.matches: list[tuple[int, int]] = []
        self.match_index = -1
        self.hidden_labels: set[str] = set()
        self.tag_filter = ""
        self._wanted_offset = 0
        self._focus: tuple[int, int] | None = None
        self._panel_chosen = False
        self._status_text = ""
        self._quote_panel_filled_at = 0
        self._entity_panel_filled_at = 0
        self._last_quick: tuple[str, int] | None = None  # (annotation id, cursor unit) of the last quick tag
        # where each paragraph's text begins (its first non-blank character; blank lines are no paragraph)
        self.paragraph_starts = [m.start(1) for m in re.finditer(r"(?m)^[ \t]*(\S)", article.text)]

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        header = self._header(self.app.size.width)
        yield Static(header, id="reader-title")
        with Horizontal(id="reader-body"):
            yield ArticleView(self.article.text, id="article")
            with TabbedContent(id="side", initial="notes"):
                with TabPane("Annotations", id="notes"):
                    yield Input(placeholder="filter by tag…", id="tag-filter", select_on_focus=False)
                    yield PanelList(id="annotation-list")
                with TabPane("Who said", id="quotes"):
                    yield PanelList(id="quote-list")
                with TabPane("Entities", id="entities"):
                    yield PanelList(id="entity-list")
        yield Input(placeholder="search in the article (Enter; Escape cancels)", id="search")
        yield Static(id="status")
        yield ReaderFooter()

    def _header(self, width: int) -> Content:
        """The title with the room it needs (cut at a word when it must be), then the date, source
        and length — the length, then the source, go first on a narrow line. The spaCy pipeline is
        in the status line and in `?`."""
        article = self.article
        details = [article.date or "no date", getattr(article, "source", None), f"{article.word_count:,} words"]
        details = [one_line(d, 40) for d in details if d]
        title = one_line(article.title)
        room = width - 2  # the line's padding
        while len(details) > 1 and cell_len(title) + cell_len(" · " + " · ".join(details)) > room \
                and cell_len(" · " + " · ".join(details)) > room * 0.4:
            details.pop()
        tail = " · " + " · ".join(details)
        return Content.styled(fit_words(title, max(20, room - cell_len(tail))), "bold") + Content.styled(tail, "not bold")

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def hl(self) -> theme.Highlights:
        current = self.app.current_theme
        return theme.highlights(current.dark, current)

    def on_theme_changed(self) -> None:
        """Re-colour every layer for the new theme (dark and light themes get their own styles)."""
        self._show_caption()
        if self.analysis is not None:
            self.apply_analysis(self.analysis, place_cursor=False)
        self.view.cursor_style = self.hl.cursor
        self._focus = None
        self._place_cursor(self.unit_index, scroll=False, wanted=self._wanted_offset, moved=False)
        if self.selection:
            self._set_selection(*self.selection)
        self.view.set_layer("search", [Mark(s, e, self.hl.search) for s, e in self.matches])
        self.refresh_annotations()

    def _show_caption(self) -> None:
        marks = []
        if self.article.caption_span:
            marks.append(Mark(*self.article.caption_span, self.hl.caption))
        if self.article.title_span:
            marks.append(Mark(*self.article.title_span, self.hl.title))
        self.view.set_layer("caption", marks)

    def on_mount(self) -> None:
        self.app.steady_cursors(self)
        view = self.view
        view.cursor_style = self.hl.cursor
        self._show_caption()
        view.focus()
        self.refresh_annotations()
        cached = self.app.analyzer.cached(self.article.text)
        if cached is not None:
            self.apply_analysis(cached, place_cursor=False)
        else:
            self.run_analysis()
        self.call_after_refresh(self.app.settle_memory)
        start = self.start_offset if self.start_offset is not None else self.app.reading_position(self.article)
        if start is None:
            self._place_cursor(self._first_body_unit())
        else:
            self._place_cursor(unit_index_at(self.units, start), wanted=start)
        if self.initial_search and self.start_offset is not None:
            self._show_matches(find_all(self.article.text, self.initial_search), self.initial_search)
            starts = [m[0] for m in self.matches]
            self.match_index = max(0, bisect_right(starts, self.start_offset) - 1) if self.matches else -1
            if self.matches:
                self.view.scroll_to_range(*self.matches[self.match_index])
            self.update_status()

    def on_unmount(self) -> None:
        self.remember_position()

    def remember_position(self) -> None:
        if self.units:
            self.app.remember_position(self.article, self._wanted_offset)

    # -- analysis -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="analysis")
    def run_analysis(self) -> None:
        try:
            result = self.app.analyzer.analyze(self.article.text)
        except Exception as exc:  # the reader keeps working without highlights
            self.app.call_from_thread(self._analysis_failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self.apply_analysis, result)

    def _analysis_failed(self, reason: str) -> None:
        self.analysis_state = "analysis failed"
        self.notify(f"Analysis failed: {one_line(reason, 200)}", severity="error", markup=False)
        self.update_status()

    def apply_analysis(self, analysis: Analysis, place_cursor: bool = True) -> None:
        self.analysis = analysis
        self.quote_spans = [(q.start, q.end) for q in analysis.quotes]
        sentences = analysis.sentences or rule_sentences(self.article.text)
        self.units = reading_units(self.article.text, sentences, self.quote_spans) or sentences
        view = self.view
        view.set_layer("quotes", [Mark(q.start, q.end, self.hl.quote) for q in analysis.quotes])
        # An uncertain speaker (a low-confidence guess) is drawn italic, not bold, in the text.
        uncertain = self.hl.speaker + Style(bold=False, italic=True)
        view.set_layer(
            "speakers",
            [Mark(q.speaker.start, q.speaker.end, uncertain if q.speaker.uncertain else self.hl.speaker)
             for q in analysis.quotes if q.speaker],
        )
        self._show_entities()
        self._fill_quote_panel()
        self._fill_entity_panel()
        self.analysis_state = f"{plural(len(analysis.entities), 'entity', 'entities')} · {plural(len(analysis.quotes), 'quote')}"
        if analysis.model == "rules":
            self.analysis_state += " (rules only: no entities)"
        if place_cursor:  # highlights arrived from the worker: keep the reader where they were
            self.call_after_refresh(self.app.settle_memory)
            self._place_cursor(unit_index_at(self.units, self._wanted_offset), scroll=False, wanted=self._wanted_offset, moved=False)
        else:
            self.update_status()

    def _show_entities(self) -> None:
        if self.analysis is None:
            return
        self.view.set_layer(
            "entities",
            [
                Mark(e.start, e.end, theme.entity_style(e.label))
                for e in self.analysis.entities
                if e.label not in self.hidden_labels
            ],
        )

    # -- cursor and movement --------------------------------------------------------------------
    def _place_cursor(self, index: int, scroll: bool = True, wanted: int | None = None, moved: bool = True) -> None:
        """Put the cursor on unit `index`. A real move (`moved`) extends a selection; a redraw
        (new analysis, new theme) leaves the selection exactly as it is."""
        if not self.units:
            return
        self.unit_index = max(0, min(index, len(self.units) - 1))
        start, end = self.units[self.unit_index]
        self._wanted_offset = start if wanted is None else wanted
        if moved and self._selection_anchor is not None:
            a_start, a_end = self._selection_anchor
            self._set_selection(min(a_start, start), max(a_end, end))
        target = self.current_target()
        view = self.view
        focus = (target.start, target.end) if target.kind == "quote" else None
        if focus != self._focus:  # redraw the quote focus only when it changes
            self._focus = focus
            view.set_layer("focus", [Mark(*focus, self.hl.quote_focus)] if focus else [])
        view.set_cursor(start, end, scroll=scroll)
        self.update_status()

    def _first_body_unit(self) -> int:
        """Start on the first sentence of the body, past a title or caption line."""
        skip_to = max((span[1] for span in (self.article.title_span, self.article.caption_span) if span), default=0)
        for index, (start, _) in enumerate(self.units):
            if start >= skip_to:
                return index
        return 0

    def current_target(self) -> Passage:
        if self.selection is not None:
            return Passage(*self.selection, "selection")
        return action_target(self.units[self.unit_index], self.quote_spans)

    def action_move(self, step: int) -> None:
        self._place_cursor(self.unit_index + step)

    def action_paragraph(self, step: int) -> None:
        here = self.units[self.unit_index][0]
        starts = self.paragraph_starts
        if step > 0:
            i = bisect_right(starts, here)
            target = starts[i] if i < len(starts) else None
        else:
            i = bisect_left(starts, here) - 1
            target = starts[i] if i >= 0 else None
        if target is not None:
            self._place_cursor(self._first_unit_from(target))

    def _first_unit_from(self, offset: int) -> int:
        """The first unit that starts at or after `offset` (else the last one)."""
        index = unit_index_at(self.units, offset)
        if self.units and self.units[index][0] < offset and index + 1 < len(self.units):
            index += 1
        return index

    def action_edge(self, step: int) -> None:
        self._place_cursor(0 if step < 0 else len(self.units) - 1)

    def action_page(self, step: int) -> None:
        view = self.view
        height = max(1, view.scrollable_content_region.height - 2)
        line = max(0, min(len(view.lines) - 1, int(view.scroll_y) + step * height))
        view.scroll_to(y=line, animate=False, immediate=True)
        offset = view.lines[line][0] if view.lines else 0
        index = unit_index_at(self.units, offset)
        if self.units and self.units[index][0] < offset and index + 1 < len(self.units):
            index += 1
        self._place_cursor(index, scroll=False)

    def action_quote(self, step: int) -> None:
        if not self.quote_spans:
            self.notify("No quotes found in this article." if self.analysis else "Quotes appear when analysis finishes.")
            return
        here = self.units[self.unit_index][0]
        if step > 0:
            candidates = [q for q in self.quote_spans if q[0] > here]
            target = candidates[0] if candidates else None
        else:
            current = action_target(self.units[self.unit_index], self.quote_spans)
            candidates = [q for q in self.quote_spans if q[0] < min(here, current.start)]
            target = candidates[-1] if candidates else None
        if target is None:
            self.notify("No more quotes in that direction.")
            return
        self._place_cursor(unit_index_at(self.units, target[0]))

    def action_annotation(self, step: int) -> None:
        """`>` / `<`: the cursor to the next / previous annotated passage."""
        here = self.units[self.unit_index][0] if self.units else 0
        starts = sorted({a.start for a in self.anchored})
        if not starts:
            self.notify("No annotations in this article yet.")
            return
        if step > 0:
            later = [s for s in starts if unit_index_at(self.units, s) > self.unit_index]
            target = later[0] if later else None
        else:
            earlier = [s for s in starts if s < here and unit_index_at(self.units, s) < self.unit_index]
            target = earlier[-1] if earlier else None
        if target is None:
            self.notify("No more annotations in that direction.")
            return
        self._place_cursor(unit_index_at(self.units, target))
        shown = self.annotations_at(Passage(*self.units[self.unit_index], "sentence"))
        if shown:  # and the panel's row with it
            self.refresh_annotations(select=shown[0].id)

    def action_centre(self) -> None:
        """`z`: the cursor's line in the middle of the view (vim's `zz`)."""
        self.view.centre_range(*self.view.cursor)
        self.update_status()

    def action_copy(self) -> None:
        """`y`: the passage under the cursor (selection, quote or sentence) with its attribution,
        to the clipboard through the terminal (OSC 52)."""
        if not self.units:
            return
        passage = self.current_target()
        text = attributed_text(self.article, passage, self._speaker_of(passage))
        self.app.copy_to_clipboard(text)
        what = {"quote": "the quote", "selection": "the selection"}.get(passage.kind, "the sentence")
        self.notify(f"Copied {what} with its attribution ({len(text):,} characters). "
                    "If nothing arrives, your terminal does not let programs set the clipboard (OSC 52).",
                    markup=False, timeout=4)

    def _speaker_of(self, passage: Passage) -> str | None:
        if self.analysis is None:
            return None
        if passage.kind == "quote" and passage.quote_index is not None:
            quote = self.analysis.quotes[passage.quote_index]
            return quote.speaker.canonical if quote.speaker else None
        inside = {q.speaker.canonical for q in self.analysis.quotes  # a selection within one speaker's quotes
                  if q.speaker and q.start < passage.end and q.end > passage.start}
        return inside.pop() if len(inside) == 1 else None

    def on_article_view_clicked(self, message: ArticleView.Clicked) -> None:
        self.view.focus()
        self._place_cursor(unit_index_at(self.units, message.offset), scroll=False)

    def on_article_view_drag_selected(self, message: ArticleView.DragSelected) -> None:
        start, end = self._snap_to_words(message.start, message.end)
        self._selection_anchor = (start, end)
        self._set_selection(start, end)
        self.update_status()

    # -- selection ------------------------------------------------------------------------------
    def _set_selection(self, start: int, end: int) -> None:
        had = self.selection is not None
        self.selection = (start, end) if end > start else None
        if had != (self.selection is not None):
            self.refresh_bindings()  # the footer's Escape
        self.view.set_layer("selection", [Mark(start, end, self.hl.selection)] if self.selection else [])

    def _clear_selection(self) -> None:
        self._selection_anchor = None
        self._set_selection(0, 0)
        self.update_status()

    def _snap_to_words(self, start: int, end: int) -> tuple[int, int]:
        text = self.article.text
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        return start, end

    def action_select(self) -> None:
        """`v` starts a selection at the cursor's sentence; `v` again cancels it. While a
        selection exists, every move extends it (it always stays anchored where it began)."""
        if self.selection is not None:
            self._clear_selection()
            return
        self._selection_anchor = self.units[self.unit_index]
        self._set_selection(*self._selection_anchor)
        self.update_status()

    def action_word(self, step: int) -> None:
        if self.selection is None:
            self.action_select()
        start, end = self.selection
        text = self.article.text
        if step > 0:
            match = _WORD.search(text, end)
            if match:
                end = match.end()
        else:
            words = [m for m in _WORD.finditer(text, start, end)]
            if len(words) > 1:
                end = words[-2].end()
        self._selection_anchor = (start, end)  # moving on extends from here
        self._set_selection(start, end)
        self.view.scroll_to_range(end - 1, end)
        self.update_status()

    # -- annotations ----------------------------------------------------------------------------
    @property
    def anchored(self) -> list[Annotation]:
        return [a for a in self.annotations if not a.orphan]

    @property
    def orphans(self) -> list[Annotation]:
        return [a for a in self.annotations if a.orphan]

    def annotations_at(self, passage: Passage) -> list[Annotation]:
        """Annotations overlapping the passage, exact matches first."""
        overlapping = [a for a in self.anchored if a.start < passage.end and a.end > passage.start]
        return sorted(overlapping, key=lambda a: (not (a.start == passage.start and a.end == passage.end), a.start))

    def annotation_for(self, passage: Passage) -> Annotation | None:
        for annotation in self.anchored:
            if annotation.start == passage.start and annotation.end == passage.end:
                return annotation
        return None

    def _new_annotation(self, passage: Passage) -> Annotation:
        speaker = None
        if passage.kind == "quote" and self.analysis is not None and passage.quote_index is not None:
            quote = self.analysis.quotes[passage.quote_index]
            speaker = quote.speaker.canonical if quote.speaker else None
        return Annotation.for_passage(self.article, passage.start, passage.end, kind=passage.kind, speaker=speaker)

    def _save(self, annotation: Annotation) -> None:
        self.app.save_annotation(annotation)
        if self.selection is not None:
            self._clear_selection()
        self.refresh_annotations(select=annotation.id)

    def _passage_text(self, passage: Passage, existing: Annotation | None) -> str:
        return existing.text if existing is not None and existing.orphan else self.article.text[passage.start:passage.end]

    def _change(self, passage: Passage, existing: Annotation | None, add_tags=(), remove_tags=(),
                note: str | None = None, note_before: str = "", then=None) -> None:
        """Apply a change to the stored annotation (or a new one); if its note was changed
        elsewhere meanwhile, show both notes and ask which to keep. `then(annotation)` follows."""
        base = existing if existing is not None else self._new_annotation(passage)
        annotation, theirs = self.app.change_annotation(base, list(add_tags), list(remove_tags), note, note_before)
        if theirs is None:
            self._saved(annotation)
            if then is not None:
                then(annotation)
            return

        def decided(choice: str | None) -> None:
            mine = note or ""
            chosen = {"mine": mine, "both": f"{theirs.rstrip()}\n\n{mine}" if theirs.strip() else mine}.get(choice, theirs)
            self._change(passage, annotation, add_tags, remove_tags, chosen, theirs, then)

        self.app.push_screen(NoteConflictDialog(self._passage_text(passage, existing), theirs, note or ""), decided)

    def _saved(self, annotation: Annotation) -> None:
        if self.selection is not None:
            self._clear_selection()
        self.refresh_annotations(select=annotation.id)

    def _edit_tags(self, passage: Passage, existing: Annotation | None) -> None:
        ask_tag_change(self.app, self._passage_text(passage, existing), list(existing.tags) if existing else [],
                       lambda added, removed: self._change(passage, existing, added, removed), new=existing is None)

    def _edit_note(self, passage: Passage, existing: Annotation | None) -> None:
        text = self._passage_text(passage, existing)
        before = existing.note if existing else ""

        def done(note: str | None) -> None:
            if note is None:
                return
            if existing is None and not note:
                return
            self._change(passage, existing, note=note, note_before=before)

        self.app.push_screen(NoteDialog(text, before), done)

    def action_tag(self) -> None:
        if self.units:
            passage = self.current_target()
            self._edit_tags(passage, self.annotation_for(passage))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n` is "next match" while there are matches, else "note" (the footer shows which)."""
        if action == "search_step":
            return bool(self.matches)
        if action == "note":
            return not self.matches
        return True

    def _show_matches(self, matches: list[tuple[int, int]], term: str) -> None:
        self.matches = matches
        self.search_term = term
        self.match_index = -1
        self.view.set_layer("search", [Mark(s, e, self.hl.search) for s, e in matches])
        self.refresh_bindings()

    def action_note(self) -> None:
        if self.units:
            passage = self.current_target()
            self._edit_note(passage, self.annotation_for(passage))

    def action_quick_tag(self, number: int) -> None:
        palette = self.app.palette()
        if number > len(palette) or not self.units:
            self.notify(f"No quick tag {number}: press P to edit the palette.")
            return
        tag = palette[number - 1]
        passage = self.current_target()
        existing = self.annotation_for(passage)
        last = self._last_quick_tagged()
        if self.selection is None and last is not None:  # the key again, cursor not moved: that annotation
            existing, passage = last, Passage(last.start, last.end, last.kind)
        annotation = self.app.stored_version(existing) if existing else self._new_annotation(passage)
        if tag.casefold() in (t.casefold() for t in annotation.tags):  # the same key again: untag
            remaining = [t for t in annotation.tags if t.casefold() != tag.casefold()]
            if not remaining and not annotation.note:
                self.app.delete_annotation(annotation)  # as it was, tag included: u restores it whole
                self.refresh_annotations()
            else:
                self._change(passage, annotation, remove_tags=[tag],
                             then=lambda saved: setattr(self, "_last_quick", (saved.id, self.unit_index)))
            self.notify(f"Untagged #{one_line(tag)} (press {number} again to tag)", markup=False, timeout=2)
            return
        self._change(passage, existing, add_tags=[tag],
                     then=lambda saved: setattr(self, "_last_quick", (saved.id, self.unit_index)))
        self.notify(f"Tagged #{one_line(tag)}", markup=False, timeout=2)

    def _last_quick_tagged(self) -> Annotation | None:
        """The annotation the last quick tag made or changed, while the cursor has not moved
        since (a quick tag on a selection clears the selection: the same key again finds it)."""
        if self._last_quick is None:
            return None
        annotation_id, unit_index = self._last_quick
        if unit_index != self.unit_index:
            return None
        return next((a for a in self.anchored if a.id == annotation_id), None)

    def action_edit_palette(self) -> None:
        def done(tags: list[str] | None) -> None:
            if tags is not None:
                wanted = normalise_tags(tags)
                saved = self.app.set_palette(wanted)
                message = "Quick tags: " + ", ".join(f"{i}={one_line(t)}" for i, t in enumerate(saved, 1))
                if len(wanted) > len(saved):
                    message += f" (keys 1–9: {len(wanted) - len(saved)} more left out)"
                self.notify(message, markup=False, severity="warning" if len(wanted) > len(saved) else "information")
                self.update_status()

        self.app.push_screen(
            TagDialog("quick-tag palette (keys 1–9, in order)", self.app.palette(), self.app.known_tags(), title="Edit"),
            done,
        )

    def _annotation_under_cursor(self) -> Annotation | None:
        """The annotation `e` and `d` act on: the highlighted row when the notes list has focus
        (orphans included), else the annotation under the article cursor."""
        panel = self.query_one("#annotation-list", OptionList)
        if self.focused is panel and panel.highlighted is not None:
            option_id = panel.get_option_at_index(panel.highlighted).id
            return next((a for a in self.annotations if a.id == option_id), None)
        if not self.units:
            return None
        found = self.annotations_at(self.current_target())
        if not found:
            found = self.annotations_at(Passage(*self.units[self.unit_index], "sentence"))
        return found[0] if found else None

    def action_edit(self) -> None:
        shown = self._annotation_under_cursor()
        if shown is None:
            self.notify("No annotation under the cursor.")
            return
        passage = Passage(shown.start, shown.end, shown.kind)

        def tags_done(tags: list[str] | None) -> None:
            if tags is TagDialog.CANCELLED:
                return  # Escape: the whole edit is cancelled
            if tags is not None:
                added, removed = tag_changes(shown.tags, tags)
                if added or removed:
                    self._change(passage, shown, added, removed, then=lambda saved: self._edit_note(passage, saved))
                    return
            self._edit_note(passage, self.app.stored_version(shown))

        text = self._passage_text(passage, shown)
        self.app.push_screen(TagDialog(text, shown.tags, self.app.known_tags(), report_cancel=True), tags_done)

    def action_delete(self) -> None:
        annotation = self._annotation_under_cursor()
        if annotation is None:
            self.notify("No annotation under the cursor.")
            return
        if self.app.delete_annotation(annotation):
            self.refresh_annotations()
            self.notify(f"Deleted “{one_line(annotation.text, 40)}” — u undoes", markup=False)

    def action_undo(self) -> None:
        annotation = self.app.undo_delete(self.article)
        if annotation is None:
            self.notify("Nothing to undo in this article.")
            return
        self.refresh_annotations(select=annotation.id)
        tags = " ".join(f"#{one_line(t)}" for t in annotation.tags)
        what = f"“{one_line(annotation.text, 50)}”" + (f" {tags}" if tags else "")
        if annotation.orphan:
            self.notify(f"Restored {what} (an orphan: see the annotations panel)", markup=False)
            return
        self._jump_to(annotation.start)
        self.notify(f"Restored {what}", markup=False)

    def refresh_annotations(self, select: str | None = None) -> None:
        self.annotations = self.app.annotations_for(self.article)
        self.view.set_layer("annotations", [Mark(a.start, a.end, self.hl.annotation) for a in self.anchored])
        panel = self.query_one("#annotation-list", OptionList)
        panel.clear_options()
        wanted = self.tag_filter.casefold()
        shown = [a for a in self.annotations if not wanted or any(wanted in t.casefold() for t in a.tags)]
        orphans_heading_shown = False
        for annotation in shown:
            if annotation.orphan and not orphans_heading_shown:
                orphans_heading_shown = True
                heading = Content.styled("Orphans", "bold $warning") + Content.styled(
                    " — passage no longer in the text; Enter re-attaches one to the cursor's passage", "$text-muted"
                )
                panel.add_option(Option(heading, disabled=True))
            panel.add_option(Option(self._annotation_label(annotation), id=annotation.id))
        if select is not None:
            for index in range(panel.option_count):
                if panel.get_option_at_index(index).id == select:
                    panel.highlighted = index
        self.update_status()

    def on_store_changed(self) -> None:
        """Another process changed the annotations: show the current state."""
        if not self.query(ArticleView):
            return  # not composed yet: it reads the current annotations when it mounts
        self.refresh_annotations()

    @staticmethod
    def _annotation_label(annotation: Annotation) -> Content:
        tags = " ".join(f"#{one_line(t)}" for t in annotation.tags) or "(no tag)"
        label = Content.styled(tags, "bold $accent") + Content("\n") + Content(one_line(annotation.text, 60))
        if annotation.orphan:
            label = Content.styled("⚠ ", "$warning") + label
        if annotation.note:
            label += Content("\n") + Content.styled("✎ " + one_line(annotation.note, 56), "italic $text-muted")
        return label

    @on(Input.Changed, "#tag-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.tag_filter = event.value.strip()
        self.refresh_annotations()

    @on(Input.Submitted, "#tag-filter")
    def _filter_submitted(self) -> None:
        self.action_panel("notes")

    @on(OptionList.OptionSelected, "#annotation-list")
    def _annotation_chosen(self, event: OptionList.OptionSelected) -> None:
        for annotation in self.annotations:
            if annotation.id == event.option.id:
                if annotation.orphan:
                    self._offer_reattach(annotation)
                else:
                    self._jump_to(annotation.start)
                return

    def _offer_reattach(self, orphan: Annotation) -> None:
        passage = self.current_target()
        here = one_line(self.article.text[passage.start:passage.end], 60)

        def decided(yes: bool | None) -> None:
            if yes:
                self._save(orphan.reattached(self.article, passage.start, passage.end))
                self.view.focus()

        self.app.push_screen(
            ConfirmDialog(f"Re-attach “{one_line(orphan.text, 40)}” to “{here}”?", yes="Re-attach", no="Cancel"), decided
        )

    def _jump_to(self, offset: int) -> None:
        self._place_cursor(unit_index_at(self.units, offset))
        self.view.focus()

    # -- who said what, entities ----------------------------------------------------------------
    def _fill_quote_panel(self) -> None:
        panel = self.query_one("#quote-list", OptionList)
        highlighted = panel.highlighted  # kept when the list is re-wrapped
        panel.clear_options()
        if self.analysis is None:
            return
        by_speaker: dict[str, list[int]] = {}
        for index, quote in enumerate(self.analysis.quotes):
            name = quote.speaker.canonical if quote.speaker else "(unattributed)"
            by_speaker.setdefault(name, []).append(index)
        width = self._quote_panel_width()
        for name, indices in sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold())):
            count = f" · {plural(len(indices), 'quote')}"  # always on the speaker's line, never cut
            speaker = fit_words(one_line(name), max(8, width - len(count)))
            heading = Content.styled(speaker, f"bold {self.hl.quote_colour}") + Content.styled(count, "$text-muted")
            panel.add_option(Option(heading, disabled=True))
            for index in indices:
                quote = self.analysis.quotes[index]
                cue = f"[{one_line(quote.cue)}] " if quote.cue else ""
                unsure = quote.speaker is not None and quote.speaker.uncertain
                first = "? " if unsure else "  "  # a guessed speaker: marked, and the quote in muted text
                lines = hanging_lines(f"{cue}“{one_line(quote.text)}”", width, first=first, rest="    ", max_lines=QUOTE_LINES)
                text = "\n".join(lines)
                prompt = Content.styled(text, "$text-muted") if unsure else Content(text)
                panel.add_option(Option(prompt, id=f"q{index}"))
        if highlighted is not None and highlighted < panel.option_count:
            panel.highlighted = highlighted
        self._quote_panel_filled_at = width

    def _quote_panel_width(self, list_id: str = "#quote-list") -> int:
        """The cells a row of a panel list has (its width as laid out, else as it will be)."""
        panel = self.query_one(list_id, OptionList)
        width = panel.scrollable_content_region.width
        return width if width >= 12 else 34

    def on_panel_list_resized(self) -> None:
        if self.analysis is None:
            return
        if self._quote_panel_width() != self._quote_panel_filled_at:
            self._fill_quote_panel()
        if self._quote_panel_width("#entity-list") != self._entity_panel_filled_at:
            self._fill_entity_panel()

    @on(OptionList.OptionSelected, "#quote-list")
    def _quote_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.analysis and event.option.id:
            self._jump_to(self.analysis.quotes[int(event.option.id[1:])].start)

    def _entity_groups(self) -> dict[str, dict[str, list]]:
        groups: dict[str, dict[str, list]] = {}
        for entity in self.analysis.entities if self.analysis else []:
            groups.setdefault(entity.label, {}).setdefault(entity.canonical, []).append(entity)
        return groups

    def _fill_entity_panel(self) -> None:
        """Each label is a row of its own (Enter shows / hides its highlights), then its entities,
        each once with its number of mentions (Enter highlights them)."""
        panel = self.query_one("#entity-list", OptionList)
        highlighted = panel.highlighted
        groups = self._entity_groups()
        width = self._entity_panel_filled_at = self._quote_panel_width("#entity-list")
        panel.clear_options()
        for label in sorted(groups):
            shown = label not in self.hidden_labels
            colour = theme.ENTITY_COLOURS.get(label, theme.DEFAULT_ENTITY_COLOUR)
            hidden = "" if shown else "  (hidden)"
            meaning = fit_words(theme.LABEL_MEANINGS.get(label, ""), max(8, width - len(label) - 3 - len(hidden)))
            heading = (  # one line: the meaning cut at a word when the panel is narrow
                Content.styled(f" {label} ", f"#000000 on {colour}" if shown else "strike $text-muted")
                + Content.styled(f" {meaning}", "$text-muted")
                + Content.styled(hidden, "italic $text-muted")
            )
            panel.add_option(Option(heading, id=f"label\x00{label}"))
            names = groups[label]
            for name, mentions in sorted(names.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold())):
                panel.add_option(Option(Content(f"  {one_line(name, 28)}  ×{len(mentions)}"), id=f"{label}\x00{name}"))
        if highlighted is not None and highlighted < panel.option_count:
            panel.highlighted = highlighted

    def toggle_label(self, label: str) -> None:
        self.hidden_labels ^= {label}
        self._show_entities()
        self._fill_entity_panel()

    @on(OptionList.OptionSelected, "#entity-list")
    def _entity_chosen(self, event: OptionList.OptionSelected) -> None:
        label, _, name = (event.option.id or "").partition("\x00")
        if label == "label":
            self.toggle_label(name)
            return
        mentions = self._entity_groups().get(label, {}).get(name, [])
        self._show_matches([(m.start, m.end) for m in mentions], name)
        if self.matches:
            self.action_search_step(1)

    def action_panel(self, pane: str) -> None:
        side = self.query_one("#side", TabbedContent)
        side.display = True
        self._panel_chosen = True
        side.active = pane
        target = {"notes": "#annotation-list", "quotes": "#quote-list", "entities": "#entity-list"}[pane]
        panel = self.query_one(target, OptionList)
        self.set_focus(panel)  # at once: keys typed right after go to the list
        if panel.highlighted is None and panel.option_count:
            panel.action_first()

    def action_toggle_panel(self) -> None:
        side = self.query_one("#side", TabbedContent)
        side.display = not side.display
        self._panel_chosen = True  # the user decides from now on, whatever the width
        self.view.focus()

    def on_resize(self, event) -> None:
        """On a narrow terminal the text comes first: the side panel hides until asked for, the
        footer drops its padding (as the library's), and the title takes what room there is."""
        if not self._panel_chosen:
            self.query_one("#side", TabbedContent).display = event.size.width >= NARROW_WIDTH
        footer = self.query_one(ReaderFooter)
        footer.compact = event.size.width < COMPACT_WIDTH
        footer.refresh(recompose=True)  # which keys fit
        self.query_one("#reader-title", Static).update(self._header(event.size.width))

    # -- search ---------------------------------------------------------------------------------
    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        self._search_before = (self.search_term, self.matches, self.match_index)
        box.display = True
        box.value = self.search_term
        self.set_focus(box)  # at once: keys typed right after `/` go to the box, not the reader
        box.select_all()  # typing replaces the last search; → keeps and edits it

    @on(Input.Changed, "#search")
    def _search_typed(self, event: Input.Changed) -> None:
        """Incremental search (as vim's incsearch and less): every match highlighted while
        typing, the view on the first one from the cursor on (the cursor moves on Enter)."""
        if not event.input.display:
            return
        self._show_matches(find_all(self.article.text, event.value), event.value)
        if self.matches:
            here = self.units[self.unit_index][0] if self.units else 0
            index = bisect_left([m[0] for m in self.matches], here) % len(self.matches)
            self.view.scroll_to_range(*self.matches[index])
        else:
            self.view.scroll_to_range(*self.view.cursor)
        self.update_status()

    def _cancel_search_box(self) -> None:
        """Escape in the search box: back to the search there was before `/`, and the cursor."""
        box = self.query_one("#search", Input)
        box.display = False
        if self._search_before is not None:
            term, matches, index = self._search_before
            self._show_matches(matches, term)
            self.match_index = index
        self.view.scroll_to_range(*self.view.cursor)
        self.view.focus()
        self.update_status()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.input.display = False
        self._search_before = None
        self.view.focus()
        self._show_matches(find_all(self.article.text, event.value), event.value)
        if not self.matches:
            self.notify(f"Not found: {one_line(event.value, 40)}", markup=False)
            self.update_status()
            return
        here = self.units[self.unit_index][0] if self.units else 0
        self.match_index = bisect_left([m[0] for m in self.matches], here) - 1
        self.action_search_step(1)

    def action_search_step(self, step: int) -> None:
        if not self.matches:
            return
        index = self.match_index + step
        if self.match_index >= 0 and not 0 <= index < len(self.matches):  # wraps, as vim says
            self.notify("Search hit BOTTOM, continuing at TOP" if step > 0 else "Search hit TOP, continuing at BOTTOM",
                        timeout=2)
        self.match_index = index % len(self.matches)
        start, end = self.matches[self.match_index]
        self._place_cursor(unit_index_at(self.units, start), scroll=False)
        self.view.scroll_to_range(start, end)
        self.update_status()

    def _clear_search(self) -> None:
        self._show_matches([], self.search_term)
        self.update_status()

    # -- general --------------------------------------------------------------------------------
    def action_help(self) -> None:
        pipeline = f"spaCy pipeline: {one_line(self.app.analyzer.describe(), 80)}"
        self.app.push_screen(HelpScreen("Reader keys", READER_KEYS + [("Quick tags", self._palette_keys())], pipeline))

    def _palette_keys(self) -> list[tuple[str, str]]:
        return [(str(i), f"tag #{one_line(tag)}") for i, tag in enumerate(self.app.palette(), 1)]

    def action_export(self) -> None:
        self.app.action_export()

    def escape_meaning(self) -> str:
        """What Escape does now (the footer says it): the same order as `action_back`."""
        try:
            if self.query_one("#search", Input).display:
                return "Cancel"
        except Exception:
            return "Back"
        if self.focused is not self.view and self.focused is not None:
            return "To text"
        if self.selection is not None:
            return "Cancel"
        if self.matches:
            return "Clear"
        return "Back"

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            self._cancel_search_box()
            return
        if self.focused is not self.view and self.focused is not None:
            self.view.focus()
            return
        if self.selection is not None:
            self._clear_selection()
            return
        if self.matches:
            self._clear_search()
            return
        self.remember_position()
        self.app.pop_screen()

    # -- status ---------------------------------------------------------------------------------
    def update_status(self) -> None:
        try:
            status = self.query_one("#status", Static)
        except Exception:
            return
        parts = [self.view.position_label(), f"sentence {self.unit_index + 1}/{len(self.units)}"]
        if self.selection:
            parts.append(f"selected {self.selection[1] - self.selection[0]} chars (t n 1–9; Esc)")
        if self.matches and self.match_index < 0:  # typing a search: how many so far
            parts.append(f"“{one_line(self.search_term, 20)}”: {plural(len(self.matches), 'match', 'matches')}")
        elif self.matches:
            parts.append(f"“{one_line(self.search_term, 20)}” {self.match_index + 1}/{len(self.matches)} (n N; Esc)")
        orphans = len(self.orphans)
        parts.append(plural(len(self.annotations) - orphans, "annotation") + (f" + {plural(orphans, 'orphan')}" if orphans else ""))
        parts.append(self.analysis_state)
        text = " · ".join(parts)
        if self.analysis is not None and self.analysis.model != "rules":  # the pipeline, where there is room
            model = f" · {one_line(self.app.analyzer.describe(), 40)}"
            if cell_len(text + model) <= self.size.width - 2:
                text += model
        if text != self._status_text:  # an unchanged status costs no redraw
            self._status_text = text
            status.update(Content(text))

    def on_article_view_moved(self) -> None:
        self.update_status()


def attributed_text(article: Article, passage: Passage, speaker: str | None) -> str:
    """A passage as one cites it: the text (a quote in quotation marks), then who said it and
    where — speaker, title, source, date — then the web address, each only when known."""
    body = " ".join(article.text[passage.start:passage.end].split())
    if passage.kind == "quote":
        body = f"“{body}”"
    where = [speaker, f"“{one_line(article.title)}”" if article.title else None,
             getattr(article, "source", None), article.date]
    lines = [body, "— " + ", ".join(one_line(w) for w in where if w)]
    if getattr(article, "url", None):
        lines.append(article.url)
    return "\n".join(lines)


def hanging_lines(text: str, width: int, first: str = "", rest: str = "  ", max_lines: int | None = None) -> list[str]:
    """`text` word-wrapped to `width` cells, the first line indented by `first` and the others by
    `rest` (a hanging indent); at most `max_lines`, the last ending in "…" when text was left out."""
    lines: list[str] = []
    indent, line = first, ""
    for word in text.split():
        if line and cell_len(f"{indent}{line} {word}") > width:
            lines.append(indent + line)
            indent, line = rest, word
        else:
            line = f"{line} {word}" if line else word
        while cell_len(indent + line) > width and len(line) > 1:  # a word longer than a line
            room = max(1, width - cell_len(indent))
            lines.append(indent + line[:room])
            indent, line = rest, line[room:]
    if line:
        lines.append(indent + line)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        indent = first if max_lines == 1 else rest
        lines[-1] = indent + fit_words(lines[-1][len(indent):] + "…", width - cell_len(indent))
    return lines


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def find_all(text: str, term: str) -> list[tuple[int, int]]:
    """Case-insensitive matches of `term` in `text` as (start, end) offsets."""
    if not term:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(term), text, re.IGNORECASE)]
