"""The reader: one article with entity, quote and annotation highlights; tag and note by keyboard."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.analysis.result import Analysis
from tui.core.annotations import Annotation, normalise_tags
from tui.core.articles import Article
from tui.core.passages import Passage, action_target, reading_units, rule_sentences, unit_index_at
from tui.core.text import one_line
from tui.ui import theme
from tui.ui.screens.dialogs import NoteDialog, TagDialog
from tui.ui.widgets.article_view import ArticleView, Mark


class ReaderScreen(Screen):
    BINDINGS = [
        Binding("j,down", "move(1)", "Next", show=False),
        Binding("k,up", "move(-1)", "Prev", show=False),
        Binding("right_square_bracket", "quote(1)", "Next quote"),
        Binding("left_square_bracket", "quote(-1)", "Prev quote", show=False),
        Binding("t", "tag", "Tag"),
        Binding("n", "note", "Note"),
        Binding("a", "focus_annotations", "Annotations"),
        Binding("escape", "back", "Library"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article
        self.analysis: Analysis | None = None
        self.quote_spans: list[tuple[int, int]] = []
        self.units = rule_sentences(article.text)
        self.unit_index = 0
        self.annotations: list[Annotation] = []
        self.analysis_state = "analysing…"

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        article = self.article
        header = Content.styled(one_line(article.title, 200), "bold") + Content(
            f"  ·  {article.date or 'no date'}  ·  {article.word_count} words"
        )
        yield Static(header, id="reader-title")
        with Horizontal(id="reader-body"):
            yield ArticleView(self.article.text, id="article")
            with Vertical(id="side"):
                yield Label("Annotations", classes="panel-title")
                yield OptionList(id="annotation-list")
        yield Static(id="status")
        yield Footer()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        view = self.view
        marks = []
        if self.article.caption_span:
            marks.append(Mark(*self.article.caption_span, theme.CAPTION_STYLE))
        if self.article.title_span:
            marks.append(Mark(*self.article.title_span, theme.TITLE_STYLE))
        view.set_layer("caption", marks)
        view.focus()
        self.refresh_annotations()
        self._place_cursor(self._first_body_unit())
        cached = self.app.analyzer.cached(self.article.text)
        if cached is not None:
            self.apply_analysis(cached)
        else:
            self.run_analysis()
        self.update_status()

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
        self.notify(Content(f"Analysis failed: {reason}"), severity="error", markup=False)
        self.update_status()

    def apply_analysis(self, analysis: Analysis) -> None:
        current = self.units[self.unit_index] if self.units else (0, 0)
        self.analysis = analysis
        self.quote_spans = [(q.start, q.end) for q in analysis.quotes]
        sentences = analysis.sentences or rule_sentences(self.article.text)
        self.units = reading_units(self.article.text, sentences, self.quote_spans) or sentences
        view = self.view
        view.set_layer("entities", [Mark(e.start, e.end, theme.entity_style(e.label)) for e in analysis.entities])
        view.set_layer("quotes", [Mark(q.start, q.end, theme.QUOTE_STYLE) for q in analysis.quotes])
        view.set_layer(
            "speakers",
            [Mark(q.speaker.start, q.speaker.end, theme.SPEAKER_STYLE) for q in analysis.quotes if q.speaker],
        )
        self.analysis_state = f"{len(analysis.entities)} entities · {len(analysis.quotes)} quotes"
        self._place_cursor(unit_index_at(self.units, current[0]), scroll=False)
        self.update_status()

    # -- cursor ---------------------------------------------------------------------------------
    def _place_cursor(self, index: int, scroll: bool = True) -> None:
        if not self.units:
            return
        self.unit_index = max(0, min(index, len(self.units) - 1))
        start, end = self.units[self.unit_index]
        target = self.current_target()
        view = self.view
        view.set_layer(
            "focus", [Mark(target.start, target.end, theme.QUOTE_FOCUS_STYLE)] if target.kind == "quote" else []
        )
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
        return action_target(self.units[self.unit_index], self.quote_spans)

    def action_move(self, step: int) -> None:
        self._place_cursor(self.unit_index + step)

    def action_quote(self, step: int) -> None:
        if not self.quote_spans:
            self.notify("No quotes found in this article." if self.analysis else "Quotes appear when analysis finishes.")
            return
        here = self.units[self.unit_index][0]
        if step > 0:
            candidates = [q for q in self.quote_spans if q[0] > here]
            target = candidates[0] if candidates else None
        else:
            current = self.current_target()
            candidates = [q for q in self.quote_spans if q[0] < min(here, current.start)]
            target = candidates[-1] if candidates else None
        if target is None:
            self.notify("No more quotes in that direction.")
            return
        self._place_cursor(unit_index_at(self.units, target[0]))

    def on_article_view_clicked(self, message: ArticleView.Clicked) -> None:
        self._place_cursor(unit_index_at(self.units, message.offset), scroll=False)

    # -- annotations ----------------------------------------------------------------------------
    def annotation_for(self, passage: Passage) -> Annotation | None:
        for annotation in self.annotations:
            if annotation.start == passage.start and annotation.end == passage.end:
                return annotation
        return None

    def _new_annotation(self, passage: Passage) -> Annotation:
        speaker = None
        if passage.kind == "quote" and self.analysis is not None and passage.quote_index is not None:
            quote = self.analysis.quotes[passage.quote_index]
            speaker = quote.speaker.canonical if quote.speaker else None
        return Annotation.for_passage(self.article, passage.start, passage.end, kind=passage.kind, speaker=speaker)

    def action_tag(self) -> None:
        if not self.units:
            return
        passage = self.current_target()
        existing = self.annotation_for(passage)
        text = self.article.text[passage.start:passage.end]

        def done(tags: list[str] | None) -> None:
            if tags is None:
                return
            annotation = existing or self._new_annotation(passage)
            annotation.tags = normalise_tags(tags)
            if not annotation.tags and not annotation.note and existing is None:
                return
            self.app.save_annotation(annotation)
            self.refresh_annotations(select=annotation.id)

        self.app.push_screen(TagDialog(text, existing.tags if existing else [], self.app.known_tags()), done)

    def action_note(self) -> None:
        if not self.units:
            return
        passage = self.current_target()
        existing = self.annotation_for(passage)
        text = self.article.text[passage.start:passage.end]

        def done(note: str | None) -> None:
            if note is None:
                return
            annotation = existing or self._new_annotation(passage)
            if existing is None and not note:
                return
            annotation.note = note
            self.app.save_annotation(annotation)
            self.refresh_annotations(select=annotation.id)

        self.app.push_screen(NoteDialog(text, existing.note if existing else ""), done)

    def refresh_annotations(self, select: str | None = None) -> None:
        self.annotations = self.app.annotations_for(self.article)
        self.view.set_layer("annotations", [Mark(a.start, a.end, theme.ANNOTATION_STYLE) for a in self.annotations])
        panel = self.query_one("#annotation-list", OptionList)
        panel.clear_options()
        for annotation in self.annotations:
            panel.add_option(Option(self._annotation_label(annotation), id=annotation.id))
        if select is not None:
            for index, annotation in enumerate(self.annotations):
                if annotation.id == select:
                    panel.highlighted = index
        self.update_status()

    @staticmethod
    def _annotation_label(annotation: Annotation) -> Content:
        tags = " ".join(f"#{one_line(t)}" for t in annotation.tags) or "(no tag)"
        label = Content.styled(tags, "bold $accent") + Content("\n") + Content(one_line(annotation.text, 60))
        if annotation.note:
            label += Content("\n") + Content.styled("✎ " + one_line(annotation.note, 56), "italic $text-muted")
        return label

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        for annotation in self.annotations:
            if annotation.id == event.option.id:
                self._place_cursor(unit_index_at(self.units, annotation.start))
                self.view.focus()
                return

    def action_focus_annotations(self) -> None:
        self.query_one("#annotation-list", OptionList).focus()

    def action_back(self) -> None:
        if self.focused is not self.view and self.focused is not None:
            self.view.focus()
            return
        self.app.pop_screen()

    # -- status ---------------------------------------------------------------------------------
    def update_status(self) -> None:
        try:
            status = self.query_one("#status", Static)
        except Exception:
            return
        percent = int(self.view.progress() * 100) if self.view.lines else 0
        parts = [
            f"sentence {self.unit_index + 1}/{len(self.units)}",
            f"{percent}%",
            f"{len(self.annotations)} annotation(s)",
            self.analysis_state,
            f"model: {self.app.analyzer.describe()}",
        ]
        status.update(Content(" · ".join(parts)))

    def on_mouse_scroll_down(self) -> None:
        self.update_status()

    def on_mouse_scroll_up(self) -> None:
        self.update_status()
