"""The reader: one article with entity, quote and annotation highlights, annotated by keyboard.

What the reader knows (units, cursor, selection, search, annotations) and what each key means
live in `tui.core.reading.Reading`; this screen maps keys to it (`reader_keys.py`), redraws the
article view from it, and shows the rest through reactive attributes bound to the status line
and the side panels (`tui/ui/widgets/`), which answer with messages (`JumpTo`, `ToggleLabel`, …).
It talks to the store and the analyzer only through `MarginApp` methods.
"""

from __future__ import annotations

import threading

from rich.style import Style
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, TabbedContent
from textual.worker import get_current_worker

from tui.core.analysis.result import Analysis
from tui.core.annotations import Annotation
from tui.core.articles import Article
from tui.core.passages import Passage
from tui.core.reading import Reading, plural
from tui.core.speaker_undo import SpeakerUndo
from tui.core.text import one_line
from tui.ui import theme
from tui.ui.deliver import deliver
from tui.ui.palette import ReaderCommands
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.reader_annotate import ReaderAnnotating
from tui.ui.screens.reader_keys import READER_BINDINGS, READER_KEYS
from tui.ui.screens.reader_search import ReaderSearching
from tui.ui.screens.reader_speakers import ReaderSpeakers
from tui.ui.widgets.annotations_panel import AnnotationsPanel
from tui.ui.widgets.article_view import ArticleView, Mark
from tui.ui.widgets.entities_panel import EntitiesPanel
from tui.ui.widgets.panel_list import PanelList
from tui.ui.widgets.panel_messages import JumpTo, ToggleLabel
from tui.ui.widgets.quotes_panel import QuotesPanel
from tui.ui.widgets.reader_footer import ReaderFooter
from tui.ui.widgets.reader_status import ReaderStatus
from tui.ui.widgets.reader_title import ReaderTitle

__all__ = ["READER_KEYS", "PanelList", "ReaderScreen"]

NARROW_WIDTH = 90  # below this many columns the side panel starts hidden
COMPACT_WIDTH = 100  # below this many columns the footer drops its padding (as the library's)
Span = tuple[int, int]


class AnalysisStopped(Exception):
    """Raised from the analysis progress callback when Margin quits (ends a reader's worker)."""


class ReaderScreen(ReaderSpeakers, ReaderSearching, ReaderAnnotating, Screen):
    DEFAULT_CSS = """
    ReaderScreen #side:focus-within { border-left: vkey $accent; }
    ReaderScreen PanelList:focus { background-tint: $foreground 5%; }
    """
    BINDINGS = READER_BINDINGS
    COMMANDS = {ReaderCommands}

    # What the status line and the panels show (bound to them in `compose`).
    analysis: var[Analysis | None] = var(None, always_update=True, init=False)
    annotations: var[list[Annotation]] = var(list, always_update=True, init=False)
    hidden_labels: var[frozenset[str]] = var(frozenset, init=False)
    position: var[str] = var("")
    sentence: var[tuple[int, int]] = var((0, 0))
    selected: var[int] = var(0)
    search_status: var[tuple[str, int, int]] = var(("", -1, 0))
    analysis_state: var[str] = var("analysing…")
    pipeline: var[str] = var("")
    quote_note: var[str] = var("")  # the quote under the cursor: its speaker, "also in N"
    also_in: var[dict[tuple[int, int], int]] = var(dict, init=False)  # quote span -> other articles carrying it

    def __init__(self, article: Article, start_offset: int | None = None, search: str | None = None) -> None:
        super().__init__()
        self.article = article
        self.reading = Reading(article)
        self.start_offset = start_offset
        self.initial_search = search  # a library search hit: its words highlighted, n goes to the next one
        self._search_before: tuple[str, list[Span], int] | None = None  # restored by Escape
        self._panel_chosen = False
        self._covered = False  # a full screen (not a dialog) was shown over the reader
        self._drawn: dict[str, object] = {}  # what the view shows now (cursor, focus, selection, search)
        self._undo_order: list[str] = []  # what `u` undoes next: "annotation" or "speaker"
        self._speaker_undo = SpeakerUndo()  # the speaker decisions made here, last last
        self._edit_undo: list = []  # the changes of tags and notes made here, last last

    # -- what the reading knows, for the app and the tests ------------------------------------
    @property
    def units(self) -> list[Span]:
        return self.reading.units

    @property
    def unit_index(self) -> int:
        return self.reading.unit_index

    @property
    def selection(self) -> Span | None:
        return self.reading.selection

    @property
    def matches(self) -> list[Span]:
        return self.reading.search.matches

    @property
    def match_index(self) -> int:
        return self.reading.search.index

    @property
    def anchored(self) -> list[Annotation]:
        return self.reading.anchored

    @property
    def orphans(self) -> list[Annotation]:
        return self.reading.orphans

    def current_target(self) -> Passage:
        return self.reading.target()

    def annotations_at(self, passage: Passage) -> list[Annotation]:
        return self.reading.annotations_at(passage)

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ReaderTitle(self.article, self.app.size.width, id="reader-title")
        with Horizontal(id="reader-body"):
            yield ArticleView(self.article.text, id="article")
            with TabbedContent(id="side", initial="notes"):
                yield AnnotationsPanel().data_bind(ReaderScreen.annotations)
                yield QuotesPanel().data_bind(ReaderScreen.analysis, ReaderScreen.also_in)
                yield EntitiesPanel().data_bind(ReaderScreen.analysis, ReaderScreen.hidden_labels)
        yield Input(placeholder="search in the article (Enter; Escape cancels)", id="search")
        yield ReaderStatus(id="status").data_bind(
            ReaderScreen.position,
            ReaderScreen.sentence,
            ReaderScreen.quote_note,
            ReaderScreen.selected,
            ReaderScreen.search_status,
            ReaderScreen.annotations,
            ReaderScreen.analysis_state,
            ReaderScreen.pipeline,
        )
        yield ReaderFooter()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def hl(self) -> theme.Highlights:
        current = self.app.current_theme
        return theme.highlights(current.dark, current)

    def on_mount(self) -> None:
        self.app.steady_cursors(self)
        hl = self.hl
        self.view.set_cursor_colours(hl.cursor, hl.gutter)
        self._show_caption()
        self.view.focus()
        self.refresh_annotations()
        for notice in getattr(self.article, "notices", ()):  # how the file was read (bad bytes replaced…)
            self.notify(notice, title=one_line(self.article.title, 60), severity="warning", timeout=10, markup=False)
        cached = self.app.analyzer.cached(self.article.text)
        if cached is not None:
            self.apply_analysis(cached, place_cursor=False)
        else:
            self.run_analysis()
        self.call_after_refresh(self.app.settle_memory)
        reading = self.reading
        start = self.start_offset if self.start_offset is not None else self.app.reading_position(self.article)
        if start is None:
            self._go(reading.first_body_unit())
        else:
            self._go(reading.unit_at(start), wanted=start)
        if self.initial_search and self.start_offset is not None:
            found = reading.open_search(self.initial_search, self.start_offset)
            self._redraw(scroll=False)
            if found:
                self.view.scroll_to_range(*found)

    def on_theme_changed(self) -> None:
        """Re-colour every layer for the new theme (dark and light themes get their own styles)."""
        self._show_caption()
        if self.analysis is not None:
            self.analysis = self.analysis  # every highlight layer and panel again
        hl = self.hl
        self.view.set_cursor_colours(hl.cursor, hl.gutter)
        self._drawn.clear()
        self._go(self.reading.unit_index, scroll=False, wanted=self.reading.wanted_offset, moved=False)
        self.refresh_annotations()

    def _show_caption(self) -> None:
        marks = []
        if self.article.caption_span:
            marks.append(Mark(*self.article.caption_span, self.hl.caption))
        if self.article.title_span:
            marks.append(Mark(*self.article.title_span, self.hl.title))
        self.view.set_layer("caption", marks)

    def on_unmount(self) -> None:
        self.remember_position()

    def _remember_by_paragraph(self) -> None:
        """Save the position (and how far the article is read) when the cursor enters another
        paragraph, so a terminal closed mid-article (no unmount) loses at most a paragraph."""
        if not self.reading.units:
            return
        paragraph = self.article.text.find("\n\n", self.reading.unit[0])
        if paragraph != self._drawn.get("remembered_paragraph"):
            self._drawn["remembered_paragraph"] = paragraph
            self.remember_position()

    def remember_position(self) -> None:
        if self.reading.units:
            self.app.remember_position(self.article, self.reading.wanted_offset, self._shown_to)

    # -- analysis -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="analysis")
    def run_analysis(self) -> None:
        app, worker = self.app, get_current_worker()  # the reader may close while spaCy works

        def progress(done: int, total: int) -> None:  # a long article: how far spaCy has come
            if app.stop_analysis.is_set():
                raise AnalysisStopped  # Margin is quitting: stop between two batches
            if done >= total or worker.is_cancelled:
                return
            try:
                deliver(self, self._analysing, done * 100 // max(1, total))
            except Exception:
                pass  # telling the progress never stops the analysis: it is cached for the next time

        # spaCy runs in a daemon thread this worker waits on: when Margin quits, the worker ends
        # at once (Textual waits for its workers) and the interpreter does not wait for the batch
        # spaCy is in (10 s on a busy machine); the analysis itself stops at its next batch.
        outcome: dict[str, object] = {}
        finished = threading.Event()
        text = self.article.text

        def analyse() -> None:
            try:
                outcome["result"] = app.analyzer.analyze(text, progress)
            except BaseException as exc:  # told to the worker below
                outcome["error"] = exc
            finally:
                finished.set()

        threading.Thread(target=analyse, name="margin-reader-analysis", daemon=True).start()
        while not finished.wait(0.1):
            if app.stop_analysis.is_set():
                return
        error = outcome.get("error")
        if isinstance(error, AnalysisStopped):
            return
        if error is not None:  # the reader keeps working without highlights
            if not worker.is_cancelled:
                deliver(self, self._analysis_failed, f"{type(error).__name__}: {error}")
            return
        if not worker.is_cancelled:
            deliver(self, self.apply_analysis, outcome["result"])

    def _analysing(self, percent: int) -> None:
        if self.analysis is None:
            self.analysis_state = f"analysing… {percent} %"

    def _analysis_failed(self, reason: str) -> None:
        self.analysis_state = "analysis failed"
        self.notify(f"Analysis failed: {one_line(reason, 200)}", severity="error", markup=False)

    def apply_analysis(self, analysis: Analysis, place_cursor: bool = True) -> None:
        """Show the model's `analysis` as the user corrected it (speaker corrections win)."""
        self._model_analysis = analysis
        shown = self.corrected(analysis)
        self.analysis = shown
        self.show_analysis_state(shown)
        self.pipeline = "" if analysis.model == "rules" else one_line(self.app.analyzer.describe(), 40)
        self.look_for_same_quotes()
        if place_cursor:  # highlights arrived from the worker: keep the reader where they were
            self.call_after_refresh(self.app.settle_memory)
            wanted = self.reading.wanted_offset
            self._go(self.reading.unit_at(wanted), scroll=False, wanted=wanted, moved=False)

    def show_analysis_state(self, analysis: Analysis) -> None:
        state = f"{plural(len(analysis.entities), 'entity', 'entities')} · {plural(len(analysis.quotes), 'quote')}"
        self.analysis_state = state + (" (rules only: no entities)" if analysis.model == "rules" else "")

    def show_same(self) -> None:
        """The same-quote groups arrived: "also in N" in the panel and the status line."""
        self.also_in = {span: group.articles - 1 for span, group in (self.same or {}).items()}
        self.quote_note = self.quote_note_for(self.quote_here())

    def watch_analysis(self, analysis: Analysis | None) -> None:
        """New units from the analysis, and its quote, speaker and entity highlights."""
        if analysis is None:
            return
        from tui.core.corrections import USER_METHODS  # imported with the analysis (`corrected`)

        self.reading.set_analysis(analysis)
        hl = self.hl
        uncertain = hl.speaker + Style(bold=False, italic=True)  # a low-confidence guess: italic, not bold
        checked = hl.speaker + Style(underline=True)  # the user decided it (c, C): underlined
        self.view.set_layer("quotes", [Mark(q.start, q.end, hl.quote) for q in analysis.quotes])
        self.view.set_layer(
            "speakers",
            [
                Mark(
                    q.speaker.start,
                    q.speaker.end,
                    checked if q.speaker.method in USER_METHODS else uncertain if q.speaker.uncertain else hl.speaker,
                )
                for q in analysis.quotes
                if q.speaker
            ],
        )
        self._show_entities()
        self.sentence = (self.reading.unit_index + 1, len(self.reading.units))

    def watch_hidden_labels(self, hidden: frozenset[str]) -> None:
        self.reading.hidden_labels = hidden
        self._show_entities()

    def _show_entities(self) -> None:
        if self.analysis is not None:
            hidden = self.reading.hidden_labels
            # the theme in force now (the view's own style may not have caught up with a theme just chosen)
            page = self.app.get_css_variables().get("surface") or self.view.styles.background.hex
            styles = {label: theme.entity_style(label, page) for label in {e.label for e in self.analysis.entities}}
            self.view.set_layer(
                "entities",
                [Mark(e.start, e.end, styles[e.label]) for e in self.analysis.entities if e.label not in hidden],
            )

    # -- drawing what the reading knows ------------------------------------------------------------
    def _go(self, index: int, scroll: bool = True, wanted: int | None = None, moved: bool = True) -> None:
        """The cursor to unit `index` (a real move extends a selection), then redraw."""
        self.reading.place(index, wanted, moved)
        self._redraw(scroll)

    def _redraw(self, scroll: bool = True) -> None:
        """Bring the view and the reactive attributes in line with the reading: only the layers
        that changed are drawn again (`scroll`: the cursor is scrolled into view)."""
        reading, view, drawn, hl = self.reading, self.view, self._drawn, self.hl
        if drawn.get("selection", ()) != reading.selection:
            if (drawn.get("selection") is None) != (reading.selection is None):
                self.refresh_bindings()  # the footer's Escape
            drawn["selection"] = reading.selection
            view.set_layer("selection", [Mark(*reading.selection, hl.selection)] if reading.selection else [])
        search = reading.search
        if drawn.get("matches", ()) is not search.matches:
            drawn["matches"] = search.matches
            view.set_spans("search", search.matches, hl.search)
            self.refresh_bindings()  # `n`: next match or note
        if reading.units:
            target = reading.target()
            focus = (target.start, target.end) if target.kind == "quote" else None
            if drawn.get("focus", ()) != focus:  # the quote under the cursor, drawn when it changes
                drawn["focus"] = focus
                view.set_layer("focus", [Mark(*focus, hl.quote_focus)] if focus else [])
            if scroll or drawn.get("cursor") != reading.unit:
                drawn["cursor"] = reading.unit
                view.set_cursor(*reading.unit, scroll=scroll)
        self.sentence = (reading.unit_index + 1, len(reading.units))
        self._remember_by_paragraph()
        self.quote_note = self.quote_note_for(self.quote_here())
        self.selected = reading.selection[1] - reading.selection[0] if reading.selection else 0
        self.search_status = (search.term, search.index, len(search.matches))

    _shown_to = 0  # the furthest the text in view has reached (how far the article is read)

    def on_article_view_moved(self) -> None:
        view = self.view
        self.position = view.position_label()
        self._shown_to = max(self._shown_to, view.bottom_offset())

    # -- moves ----------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self._go(self.reading.step_target(step))

    def action_paragraph(self, step: int) -> None:
        target = self.reading.paragraph_target(step)
        if target is not None:
            self._go(target)

    def action_edge(self, step: int) -> None:
        self._go(self.reading.edge_target(step))

    def action_page(self, step: int) -> None:
        view = self.view
        height = max(1, view.scrollable_content_region.height - 2)
        line = max(0, min(len(view.lines) - 1, int(view.scroll_y) + step * height))
        view.scroll_to(y=line, animate=False, immediate=True)
        offset = view.lines[line][0] if view.lines else 0
        self._go(self.reading.first_unit_from(offset), scroll=False)

    def action_quote(self, step: int) -> None:
        if not self.reading.quote_spans:
            self.notify("No quotes found in this article." if self.analysis else "Quotes appear when analysis finishes.")
            return
        target = self.reading.quote_target(step)
        if target is None:
            self.notify("No more quotes in that direction.")
            return
        self._go(target)

    def action_unsure_quote(self) -> None:
        """`!`: the cursor to the next quote whose speaker is unknown or uncertain (wrapping)."""
        if self.analysis is None:
            self.notify("Quotes appear when analysis finishes.")
            return
        target = self.reading.unsure_quote_target()
        if target is None:
            self.notify("No speaker to check: every quote's speaker is named with confidence or decided by you.")
            return
        self._go(target)

    def action_annotation(self, step: int) -> None:
        """`>` / `<`: the cursor to the next / previous annotated passage."""
        reading = self.reading
        if not reading.anchored:
            self.notify("No annotations in this article yet.")
            return
        target = reading.annotation_target(step)
        if target is None:
            self.notify("No more annotations in that direction.")
            return
        self._go(target)
        shown = reading.annotations_at(Passage(*reading.unit, "sentence"))
        if shown:  # and the panel's row with it
            self.refresh_annotations(select=shown[0].id)

    def action_centre(self) -> None:
        """`z`: the cursor's line in the middle of the view (vim's `zz`)."""
        self.view.centre_range(*self.view.cursor)

    def on_article_view_clicked(self, message: ArticleView.Clicked) -> None:
        self.view.focus()
        self._go(self.reading.unit_at(message.offset), scroll=False)

    def on_jump_to(self, message: JumpTo) -> None:
        self._jump_to(message.offset)

    def _jump_to(self, offset: int) -> None:
        self._go(self.reading.unit_at(offset))
        self.view.focus()

    # -- selection ------------------------------------------------------------------------------
    def action_select(self) -> None:
        """`v` starts a selection at the cursor's sentence; `v` again cancels it. While a
        selection exists, every move extends it (it always stays anchored where it began)."""
        self.reading.toggle_selection()
        self._redraw(scroll=False)

    def action_word(self, step: int) -> None:
        selection = self.reading.extend_word(step)
        self._redraw(scroll=False)
        if selection is not None:
            self.view.scroll_to_range(selection[1] - 1, selection[1])

    def on_article_view_drag_selected(self, message: ArticleView.DragSelected) -> None:
        self.reading.select_range(message.start, message.end)
        self._redraw(scroll=False)

    def _clear_selection(self) -> None:
        self.reading.clear_selection()
        self._redraw(scroll=False)

    # -- panels ---------------------------------------------------------------------------------
    def action_panel(self, pane: str) -> None:
        side = self.query_one("#side", TabbedContent)
        side.display = True
        self._panel_chosen = True
        side.active = pane
        side.get_pane(pane).query_one(PanelList).choose_first()

    def action_toggle_panel(self) -> None:
        side = self.query_one("#side", TabbedContent)
        side.display = not side.display
        self._panel_chosen = True  # the user decides from now on, whatever the width
        self.view.focus()

    def on_toggle_label(self, message: ToggleLabel) -> None:
        self.reading.toggle_label(message.label)
        self.hidden_labels = self.reading.hidden_labels

    def on_resize(self, event: events.Resize) -> None:
        """On a narrow terminal the text comes first: the side panel hides until asked for, the
        footer drops its padding (as the library's), and the title takes what room there is."""
        if not self._panel_chosen:
            self.query_one("#side", TabbedContent).display = event.size.width >= NARROW_WIDTH
        footer = self.query_one(ReaderFooter)
        footer.compact = event.size.width < COMPACT_WIDTH
        footer.refresh(recompose=True)  # which keys fit
        self.query_one(ReaderTitle).show(event.size.width)

    # -- general --------------------------------------------------------------------------------
    def action_help(self) -> None:
        pipeline = f"spaCy pipeline: {one_line(self.app.analyzer.describe(), 80)}"
        self.app.push_screen(HelpScreen("Reader keys", READER_KEYS + [("Quick tags", self._palette_keys())], pipeline))

    def _palette_keys(self) -> list[tuple[str, str]]:
        return [(str(i), f"tag #{one_line(tag)}") for i, tag in enumerate(self.app.palette(), 1)]

    def action_export(self) -> None:
        """`x`: the export dialog, offering this article's annotations or all."""
        from tui.ui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog(self.article))

    def key_meaning(self, action: str) -> str | None:
        """What the footer key bound to `action` does now, when that depends on the state."""
        if action == "back":
            return self.escape_meaning()
        if action == "search" and self.focused is not None and self.focused.id == "annotation-list":
            return "Filter"  # `/` in the annotations list filters it by tag
        return None

    def escape_meaning(self) -> str:
        """What Escape does now (the footer says it): the same order as `action_back`."""
        try:
            if self.query_one("#search", Input).display:
                return "Cancel"
        except Exception:
            return "Back"
        if self.focused is not None and self.focused.id == "tag-filter" and self.query_one(AnnotationsPanel).tag_filter:
            return "Clear"
        if self.focused is not self.view and self.focused is not None:
            return "To text"
        if self.reading.selection is not None:
            return "Cancel"
        if self.matches:
            return "Clear"
        return "Back"

    def action_back(self) -> None:
        if self.query_one("#search", Input).display:
            self._cancel_search_box()
        elif self.focused is not None and self.focused.id == "tag-filter" and self.query_one(AnnotationsPanel).clear_filter():
            pass  # the filter is emptied and the list has the focus: a second Escape goes to the text
        elif self.focused is not self.view and self.focused is not None:
            self.view.focus()
        elif self.reading.selection is not None:
            self._clear_selection()
        elif self.matches:
            self._clear_search()
        else:
            self.remember_position()
            self.app.pop_screen()
