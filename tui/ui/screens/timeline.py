"""One person's quotes as a timeline (Enter on a row of People): date, outlet, article title, the
quote and its tags. Enter opens the article at the quote; `t` / `n` tag and note the quote right
here — the same annotations as the reader's (kind "quote", the article's speaker name)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.analysis.result import LOW_CONFIDENCE
from tui.core.annotations import Annotation
from tui.core.people import Person, PersonQuote
from tui.core.reading import plural
from tui.core.speaker_undo import SpeakerUndo
from tui.core.text import one_line
from tui.ui import theme
from tui.ui.deliver import deliver
from tui.ui.messages import ThemeChanged
from tui.ui.palette import HELP, Command, ScreenCommands
from tui.ui.screens.dialogs import fit_words
from tui.ui.screens.quote_group import QuoteGroupDialog
from tui.ui.screens.timeline_speaker import SpeakerKeys
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.widgets.panel_list import PanelList
from tui.ui.widgets.quotes_panel import hanging_lines

TIMELINE_KEYS = [
    (
        "Move and open",
        [
            ("j / ↓, k / ↑", "next / previous quote"),
            ("g / Home, G / End, PageDown, PageUp", "first, last, pages"),
            ("Enter / click", "open the article at this quote"),
        ],
    ),
    (
        "Annotate",
        [
            ("t", "tag the quote (comma-separated; Tab completes; the same annotation as in the reader)"),
            ("n", "note on the quote (ctrl+s saves, Escape cancels)"),
            ("u", "undo the last speaker decision made here (c, y) or the last delete (here or in a reader)"),
        ],
    ),
    (
        "Speaker",
        [
            (
                "c",
                "correct the speaker: pick one of the article's people (Tab completes), type a name, or mark it "
                "\u201cnot a quote\u201d (saved; wins over the analysis; the quote moves to its right person)",
            ),
            ("y", "confirm the speaker as right (counted in \u201cspeaker right in N of your M\u201d)"),
        ],
    ),
    (
        "Look",
        [
            ("v", "chart of this person's quotes over time (1 most quoted, 3 tag counts)"),
        ],
    ),
    (
        "The same quote elsewhere",
        [
            (
                "a",
                "the quote's versions in other articles (\u201calso in N\u201d): outlet, date, speaker as each article "
                "names it, the words that differ from the earliest version highlighted; Enter opens one",
            ),
        ],
    ),
    (
        "General",
        [
            ("Escape", "back to People"),
            ("ctrl+p", "command palette"),
            ("?", "this help"),
            ("q", "quit"),
        ],
    ),
]


class TimelineCommands(ScreenCommands):
    """The timeline's commands in the palette."""

    def commands(self) -> Iterable[Command]:
        screen: Any = self.screen
        yield "Open article", "The article at the highlighted quote (Enter)", screen.action_open
        yield "Tag quote", "Tag the highlighted quote, as the reader does (t)", screen.action_tag
        yield "Note on quote", "Write a note on the highlighted quote (n)", screen.action_note
        yield "Correct speaker", "Name who said the highlighted quote, or mark it not a quote (c)", screen.action_correct
        yield "Confirm speaker", "The highlighted quote's speaker is right (y)", screen.action_confirm
        yield "Chart: quotes over time", "This person's quotes per month (v)", screen.action_chart
        yield "Same quote elsewhere", "The highlighted quote's versions in other articles (a)", screen.action_also
        yield *HELP, screen.action_help


class TimelineScreen(SpeakerKeys, Screen):
    COMMANDS = {TimelineCommands}
    BINDINGS = [
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
        Binding("g", "edge(-1)", "First", show=False),
        Binding("G", "edge(1)", "Last", show=False),
        Binding("t", "tag", "Tag"),
        Binding("n", "note", "Note"),
        Binding("a", "also", "Also in"),
        Binding("c", "correct", "Speaker"),
        Binding("y", "confirm", "Right"),
        Binding("v", "chart", "Chart"),
        Binding("u", "undo", "Undo", show=False),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, person: Person, same=None, people=None, corrected=None) -> None:
        super().__init__()
        self.person = person
        self.people_of = people or (lambda: [self.person])  # -> the rows of People
        self.corrected = corrected  # People rebuilds after a correction: corrected(then(rows))
        self.same = same or (lambda: None)  # -> {(article id, start, end): QuoteGroup} or None
        self.quotes: list[PersonQuote] = person.quotes
        self.entries = {unit.entry.id: unit.entry for unit in person.units}
        self.annotations: dict[tuple[str, int, int], Annotation] = {}
        self.speaker_undo = SpeakerUndo()  # the speaker decisions made here
        self.undo_order: list[str] = []  # what `u` undoes next: "annotation" or "speaker"
        self._width = 0  # the cells the rows are wrapped to
        self._filled_at = (0, 0)  # the list's size they were wrapped for
        self._muted_for = ("", "dim")  # (theme, its readable secondary colour)

    def compose(self) -> ComposeResult:
        yield Static(id="timeline-title")
        yield PanelList(id="timeline-quotes")
        yield Static(id="timeline-status")
        yield FittingFooter(less_important=("confirm", "note"))  # at 80 columns: Right dropped (in ?)

    @property
    def options(self) -> PanelList:
        return self.query_one("#timeline-quotes", PanelList)

    def on_mount(self) -> None:
        self._title()
        self.fill(0)
        self.options.mark_cursor = True
        self.options.focus()
        self._status()
        self.load_annotations()

    def on_theme_changed(self, message: ThemeChanged) -> None:
        """Another theme: the rows again, in its readable secondary colour."""
        for i, quote in enumerate(self.quotes):
            self.options.replace_option_prompt_at_index(i, self.prompt(quote))

    def _muted(self) -> str:
        """The current theme's readable secondary text colour (Margin's, raised to AA)."""
        name = self.app.theme
        if self._muted_for[0] != name:
            self._muted_for = (name, theme.readable_variables_for(self.app.current_theme).get("text-muted") or "dim")
        return self._muted_for[1]

    def _title(self) -> None:
        """The person, their quotes and articles, the dates: in short words when the long ones do
        not fit the screen's width, the dates left out when even those do not, the name cut last."""
        person, width = self.person, (self.size.width or self.app.size.width) - 1
        dates = ""
        if person.first:
            dates = person.first + (f" – {person.last}" if person.last != person.first else "")
        long = f"{len(self.quotes)} quote(s) in {person.articles} article(s)"
        short = f"{plural(len(self.quotes), 'quote')}, {plural(person.articles, 'article')}"
        name = one_line(person.name, 80)
        tails = [[long, dates], [short, dates], [short]]
        for parts in tails:
            tail = "".join(f"  ·  {part}" for part in parts if part)
            if cell_len(f"Margin — {name}{tail}") <= width:
                break
        name = fit_words(name, max(12, width - cell_len(f"Margin — {tail}")))
        title = Text("Margin — ", style="bold")
        title.append(name, style="bold")
        title.append(tail)
        self.query_one("#timeline-title", Static).update(title)

    def on_resize(self) -> None:
        self._title()
        self.query_one(FittingFooter).fit(self.app.size.width)

    def row_width(self, lines: int = 0) -> int:
        """The cells a row has when the list holds `lines` lines: the list's content width (before
        it is laid out: the screen's less the list's padding), less its scrollbar when they overflow."""
        options = self.options
        width, height = options.content_region.width, options.content_region.height
        width -= options.get_component_styles("option-list--option").padding.width  # the ▶'s cell
        if width < 12:
            width, height = max(12, self.app.size.width - options.styles.gutter.width), self.app.size.height - 3
        if lines > height > 0:
            width -= options.styles.scrollbar_size_vertical
        return width

    def fill(self, keep: int | None = None) -> None:
        """The rows wrapped to the list's width with a hanging indent, so the list never wraps them
        again; the highlighted row (or row `keep`) stays highlighted."""
        options = self.options
        index = options.highlighted if keep is None else keep
        self._filled_at = options.layout_key()
        self._width = self.row_width()
        prompts = [self.prompt(q) for q in self.quotes]
        lines = sum(len(p.plain.split("\n")) for p in prompts)
        if self.row_width(lines) != self._width:  # too many for the height: the scrollbar takes cells
            self._width = self.row_width(lines)
            prompts = [self.prompt(q) for q in self.quotes]
        options.clear_options()
        options.add_options([Option(p, id=str(i)) for i, p in enumerate(prompts)])
        if self.quotes and index is not None:
            options.highlighted = max(0, min(index, len(self.quotes) - 1))

    def on_panel_list_resized(self, event: PanelList.Resized) -> None:
        event.stop()
        if self.options.layout_key() != self._filled_at:
            self.fill()

    def _status(self, extra: str = "") -> None:
        shown = {(q.article_id, q.start, q.end) for q in self.quotes}
        tagged = sum(1 for key in self.annotations if key in shown)  # a quote moved to another person: not here
        parts = [f"{len(self.quotes)} quote(s)", f"{tagged} annotated"]
        if extra:
            parts.append(extra)
        parts.append("Enter opens the article at the quote")
        self.query_one("#timeline-status", Static).update(Content(" · ".join(parts)))

    def prompt(self, quote: PersonQuote) -> Text:
        """A quote's row, every line fitted to the list's width: date, outlet and title on the first;
        then the quote, what introduced it, other articles carrying it, its tags and note, each
        wrapped with its continuation lines indented under its text."""
        width = self._width or self.row_width()
        date = quote.date or "no date"
        source = one_line(quote.source or "no outlet", 40)
        room = width - cell_len(f"{date}    —  ")  # for the outlet and the title
        source = fit_words(source, max(4, min(cell_len(source), room - min(20, room // 2))))
        muted = self._muted()
        text = Text()
        text.append(date, style="bold" if quote.date else muted)
        text.append("  ")
        text.append(source, style="italic")
        text.append("  —  ")
        text.append(fit_words(one_line(quote.title, 200), max(1, width - text.cell_len)))
        text.append_text(_wrapped(f"“{one_line(quote.text, 2000)}”", width, "  ", "   "))
        said = f"{one_line(quote.cue or 'no cue', 40)} · as written: {one_line(quote.speaker, 40)}"
        if quote.canonical not in (self.person.name, quote.speaker):
            said += f" ({one_line(quote.canonical, 40)})"
        if quote.speaker_source == "user":
            said += " · speaker checked by you"
        elif quote.confidence < LOW_CONFIDENCE:
            said += f" · uncertain speaker ({quote.confidence:.2f})"
        text.append_text(_wrapped(said, width, style=muted))
        groups = self.same()
        group = groups.get((quote.article_id, quote.start, quote.end)) if groups else None
        if group is not None:
            others = [(p, q) for p, q in group.members if q.article_id != quote.article_id]
            seen: dict[str, None] = {}
            for p, q in others:
                seen.setdefault(
                    f"{one_line(q.source or 'no outlet', 30)} {q.date or 'no date'}"
                    + (f" ({one_line(q.canonical, 30)})" if p is not self.person else ""),
                    None,
                )
            heading = f"also in {group.articles - 1} other article(s):"
            listed = ", ".join(list(seen)[:4]) + (" …" if len(seen) > 4 else "")
            text.append_text(_wrapped(f"{heading} {listed}", width, bold=heading))
        annotation = self.annotations.get((quote.article_id, quote.start, quote.end))
        if annotation is not None:
            if annotation.tags:
                text.append_text(_wrapped(" ".join("#" + one_line(t, 40) for t in annotation.tags), width, style="bold"))
            if annotation.note.strip():
                text.append_text(_wrapped(f"note: {one_line(annotation.note, 200)}", width, bold="note:"))
        return text

    @work(thread=True, exclusive=True, group="timeline-annotations")
    def load_annotations(self) -> None:
        """The annotations on these quotes (exact passage, not orphaned), stored or unsaved."""
        found = self.app.session.annotations_on((q.article_id, q.start, q.end) for q in self.quotes)
        if not get_current_worker().is_cancelled:  # a newer load started: its answer is the one to show
            deliver(self, self._annotations_loaded, found)

    def _annotations_loaded(self, found: dict) -> None:
        changed = {key for key in found.keys() | self.annotations.keys() if found.get(key) != self.annotations.get(key)}
        self.annotations = found
        for i, quote in enumerate(self.quotes):
            if (quote.article_id, quote.start, quote.end) in changed:  # tagged, changed, or deleted meanwhile
                self.options.replace_option_prompt_at_index(i, self.prompt(quote))
        self._status()

    def on_store_changed(self) -> None:
        self.load_annotations()

    _read_meanwhile = False  # an article was opened from here: back, its speaker decisions may have changed

    def on_screen_resume(self) -> None:
        self.load_annotations()  # tagged or noted in the reader meanwhile
        if self._read_meanwhile and self.corrected is not None:
            self._read_meanwhile = False
            self.corrected(self._rows_changed)  # speakers corrected or confirmed in the reader

    # -- keys ------------------------------------------------------------------------------------
    @property
    def current(self) -> PersonQuote | None:
        index = self.options.highlighted
        return self.quotes[index] if index is not None and 0 <= index < len(self.quotes) else None

    def action_cursor(self, step: int) -> None:
        if step > 0:
            self.options.action_cursor_down()
        else:
            self.options.action_cursor_up()

    def action_edge(self, where: int) -> None:
        if where > 0:
            self.options.action_last()
        else:
            self.options.action_first()

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("Timeline keys", TIMELINE_KEYS))

    def action_back(self) -> None:
        self.dismiss()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_quote(self.quotes[int(event.option.id)])

    def action_open(self) -> None:
        quote = self.current
        if quote is not None:
            self.open_quote(quote)

    def open_quote(self, quote: PersonQuote) -> None:
        """The reader, on the article, at the quote (through the library, which keeps its Quotes
        column and reading state up to date)."""
        from tui.ui.screens.library import LibraryScreen

        self._read_meanwhile = True
        library = next((s for s in self.app.screen_stack if isinstance(s, LibraryScreen)), None)
        entry = self.entries.get(quote.article_id)
        if library is not None and entry is not None:
            library.open_entry(entry, quote.start)
            return
        self._open_directly(quote)

    def _open_directly(self, quote: PersonQuote) -> None:
        from tui.core.articles import ArticleError, load_article
        from tui.ui.screens.reader import ReaderScreen

        try:
            article = load_article(quote.path)
        except ArticleError as exc:
            self.notify(one_line(str(exc), 200), severity="error", markup=False)
            return
        self.app.push_screen(ReaderScreen(article, start_offset=quote.start))

    def action_chart(self) -> None:
        from tui.ui.screens.chart import ChartScreen

        self.app.push_screen(ChartScreen(self.people_of, self.person, "timeline"))

    def action_also(self) -> None:
        """The versions of the current quote in other articles, with their differences."""
        quote = self.current
        if quote is None:
            return
        groups = self.same()
        if groups is None:
            self.notify("Still looking for the same quotes in other articles; try again in a moment.", timeout=3, markup=False)
            return
        group = groups.get((quote.article_id, quote.start, quote.end))
        if group is None:
            self.notify("No other article carries this quote.", timeout=3, markup=False)
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                person, version = group.members[index]
                entry = next((u.entry for u in person.units if u.entry.id == version.article_id), None)
                if entry is not None:
                    self.entries.setdefault(version.article_id, entry)
                self.open_quote(version)

        self.app.push_screen(QuoteGroupDialog(group, quote), chosen)

    # -- annotating ------------------------------------------------------------------------------
    def _target(self):
        """(quote, article, annotation on it or None), or None (said why) when it cannot be annotated."""
        from tui.core.articles import ArticleError, load_article

        quote = self.current
        if quote is None:
            return None
        try:
            article = load_article(quote.path)
        except ArticleError as exc:
            self.notify(one_line(str(exc), 200), severity="error", markup=False)
            return None
        if article.id != quote.article_id or article.text[quote.start : quote.end] != quote.text:
            self.notify(
                "This article changed since it was analysed: open it (Enter) to annotate its quotes.",
                severity="warning",
                timeout=6,
                markup=False,
            )
            return None
        existing = next(
            (a for a in self.app.annotations_for(article) if not a.orphan and (a.start, a.end) == (quote.start, quote.end)), None
        )
        return quote, article, existing

    def _base(self, quote: PersonQuote, article, existing: Annotation | None) -> Annotation:
        if existing is not None:
            return existing
        return Annotation.for_passage(article, quote.start, quote.end, kind="quote", speaker=quote.canonical)

    def action_tag(self) -> None:
        from tui.ui.screens.dialogs import ask_tag_change

        target = self._target()
        if target is None:
            return
        quote, article, existing = target
        ask_tag_change(
            self.app,
            quote.text,
            list(existing.tags) if existing else [],
            lambda added, removed: self._change(quote, article, existing, added, removed),
            new=existing is None,
        )

    def action_note(self) -> None:
        from tui.ui.screens.dialogs import NoteDialog

        target = self._target()
        if target is None:
            return
        quote, article, existing = target
        before = existing.note if existing else ""

        def done(note: str | None) -> None:
            if note is None or (existing is None and not note):
                return
            self._change(quote, article, existing, note=note, note_before=before)

        self.app.push_screen(NoteDialog(quote.text, before), done)

    def _change(
        self,
        quote: PersonQuote,
        article,
        existing: Annotation | None,
        add_tags=(),
        remove_tags=(),
        note: str | None = None,
        note_before: str = "",
    ) -> None:
        """Apply the change to the annotation as stored now (the app's read-modify-write); a note
        changed elsewhere meanwhile: show both and ask which to keep, as the reader does."""
        from tui.ui.screens.dialogs import NoteConflictDialog

        base = self._base(quote, article, existing)
        annotation, theirs = self.app.change_annotation(base, list(add_tags), list(remove_tags), note, note_before)
        if theirs is None:
            self._saved(quote, annotation)
            if annotation.empty and existing is not None and self.app.was_just_deleted(annotation):
                self.undo_order.append("annotation")
                self.notify("No tag or note left: the annotation is deleted — u undoes.")
            return

        def decided(choice: str | None) -> None:
            mine = note or ""
            chosen = {"mine": mine, "both": f"{theirs.rstrip()}\n\n{mine}" if theirs.strip() else mine}.get(choice, theirs)
            self._change(quote, article, annotation, add_tags, remove_tags, chosen, theirs)

        self.app.push_screen(NoteConflictDialog(quote.text, theirs, note or ""), decided)

    def action_undo(self) -> None:
        """`u`: take back the last speaker decision made here when it came after the last delete
        made here; else restore the last annotation deleted, here or in a reader."""
        if self.undo_order and self.undo_order.pop() == "speaker":
            self.undo_speaker()
            return
        annotation = self.app.undo_delete()
        if annotation is None:
            self.notify("Nothing to undo.")
            return
        self.load_annotations()
        tags = " ".join(f"#{one_line(t)}" for t in annotation.tags)
        self.notify(f"Restored “{one_line(annotation.text, 50)}”" + (f" {tags}" if tags else ""), markup=False)

    def _saved(self, quote: PersonQuote, annotation: Annotation) -> None:
        key = (quote.article_id, quote.start, quote.end)
        if annotation.tags or annotation.note.strip():
            self.annotations[key] = annotation
        else:
            self.annotations.pop(key, None)
        for i, q in enumerate(self.quotes):
            if (q.article_id, q.start, q.end) == key:
                self.options.replace_option_prompt_at_index(i, self.prompt(q))
        self._status("saved")


def _wrapped(words: str, width: int, first: str = "  ", rest: str = "    ", style: str = "", bold: str = "") -> Text:
    """A new line of the row: `words` wrapped to `width` cells, its continuation lines indented
    under its text (`rest`), cut between whole characters; `bold` its opening words."""
    lines = hanging_lines(words, width, first=first, rest=rest)
    text = Text("\n" + "\n".join(lines), style=style)
    if bold and lines and lines[0][len(first) :].startswith(bold):
        text.stylize("bold", 1 + len(first), 1 + len(first) + len(bold))
    return text


__all__ = ["TIMELINE_KEYS", "QuoteGroupDialog", "TimelineScreen"]
