"""The reader's annotations panel: this article's annotations (orphans last), filtered by tag."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.css.query import NoMatches
from textual.reactive import var
from textual.widgets import Input, OptionList, TabPane
from textual.widgets.option_list import Option

from tui.core.annotations import Annotation
from tui.core.text import one_line
from tui.ui.widgets.panel_list import PanelList
from tui.ui.widgets.panel_messages import JumpTo, Reattach
from tui.ui.widgets.quotes_panel import hanging_lines

PASSAGE_LINES = 2  # at most this many lines of an annotation's passage (then "…"), and of its note


class AnnotationsPanel(TabPane):
    """A tag filter over the list of annotations; Enter on one posts `JumpTo` (an orphan:
    `Reattach`). The reader binds `annotations` to it."""

    annotations: var[list[Annotation]] = var(list, always_update=True)

    def __init__(self) -> None:
        super().__init__("Annotations", id="notes")
        self.tag_filter = ""
        self._filled_at = (0, 0)  # the list's size the rows were wrapped for

    def compose(self) -> ComposeResult:
        box = Input(placeholder="filter by tag…", id="tag-filter", select_on_focus=False)
        yield box
        rows = PanelList(id="annotation-list")
        rows.filter_box = box  # `/` in the list goes to the filter
        yield rows

    @property
    def rows(self) -> PanelList:
        return self.query_one("#annotation-list", PanelList)

    def watch_annotations(self) -> None:
        self.fill()

    def fill(self, select: str | None = None) -> None:
        """The rows for the annotations that have a tag containing the filter, wrapped to the list's
        width (less its scrollbar when they overflow); `select` one by id, else the row highlighted
        before stays highlighted (the next one where it is gone: never a jump to the top, where
        `d` would then delete an annotation the user did not choose)."""
        try:
            panel = self.rows
        except NoMatches:
            return  # not composed yet: filled on mount
        was = panel.highlighted
        if select is None and was is not None and was < panel.option_count:
            select = panel.get_option_at_index(was).id
        self._filled_at = panel.layout_key()
        rows = self.options(panel.row_width())
        lines = sum(str(row.prompt).count("\n") + 1 for row in rows)
        if panel.row_width(lines) != panel.row_width():  # too many for the height: a scrollbar takes cells
            rows = self.options(panel.row_width(lines))
        panel.clear_options()
        panel.add_options(rows)
        if select is not None:
            self.select(select)
        if was is not None and panel.highlighted is None and panel.option_count:
            enabled = [i for i in range(panel.option_count) if not panel.get_option_at_index(i).disabled]
            if enabled:  # the row is gone (deleted, filtered out): the one now in its place
                panel.highlighted = next((i for i in enabled if i >= was), enabled[-1])

    def options(self, width: int) -> list[Option]:
        """The rows (orphans last, under a heading), every line fitted to `width` cells."""
        wanted = self.tag_filter.casefold()
        shown = [a for a in self.annotations if not wanted or any(wanted in t.casefold() for t in a.tags)]
        rows = []
        orphans_heading_shown = False
        for annotation in shown:
            if annotation.orphan and not orphans_heading_shown:
                orphans_heading_shown = True
                why = "— passage no longer in the text; Enter re-attaches one to the cursor's passage"
                lines = hanging_lines(f"Orphans {why}", width, rest="  ")
                heading = Content.styled("Orphans", "bold $text-warning") + Content.styled("\n".join(lines)[7:], "$text-muted")
                rows.append(Option(heading, disabled=True))
            rows.append(Option(annotation_label(annotation, width), id=annotation.id))
        if not shown:  # say why the list is empty, never a blank panel (a sentence the list wraps)
            if self.annotations:
                why = Content("No annotation tagged ") + Content.styled(one_line(self.tag_filter, 40), "bold") + Content(".")
            else:
                why = Content("No annotations yet: t tags, n notes the passage under the cursor.")
            rows.append(Option(why.stylize("$text-muted"), disabled=True))
        return rows

    def on_panel_list_resized(self, event: PanelList.Resized) -> None:
        event.stop()
        panel = self.rows
        if panel.layout_key() != self._filled_at:
            highlighted = panel.highlighted  # the same annotation stays highlighted
            self.fill(panel.get_option_at_index(highlighted).id if highlighted is not None else None)

    def on_mount(self) -> None:
        self.fill()

    def select(self, annotation_id: str) -> None:
        """Highlight the row of this annotation (when the filter shows it)."""
        panel = self.rows
        for index in range(panel.option_count):
            if panel.get_option_at_index(index).id == annotation_id:
                panel.highlighted = index

    def clear_filter(self) -> bool:
        """Empty the tag filter and give the list the focus; False when there was no filter."""
        box = self.query_one("#tag-filter", Input)
        if not box.value:
            return False
        box.value = ""
        self.tag_filter = ""
        self.fill()
        self.rows.focus()
        return True

    def highlighted_id(self) -> str | None:
        """The highlighted annotation's id while the list has focus, else None."""
        panel = self.rows
        if self.screen.focused is panel and panel.highlighted is not None:
            return panel.get_option_at_index(panel.highlighted).id
        return None

    @on(Input.Changed, "#tag-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        had_filter = bool(self.tag_filter)
        self.tag_filter = event.value.strip()
        self.fill()
        if had_filter != bool(self.tag_filter):
            self.screen.refresh_bindings()  # the footer's Escape: "Clear" while there is a filter

    @on(Input.Submitted, "#tag-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.rows.choose_first()

    @on(OptionList.OptionSelected, "#annotation-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        annotation = next((a for a in self.annotations if a.id == event.option.id), None)
        if annotation is not None:
            self.post_message(Reattach(annotation) if annotation.orphan else JumpTo(annotation.start))


def annotation_label(annotation: Annotation, width: int = 40) -> Content:
    """An annotation's row in `width` cells: its tags (an orphan marked ⚠), its passage, its note
    (✎), each wrapped with its continuation lines indented under its text."""
    tags = " ".join(f"#{one_line(t)}" for t in annotation.tags) or "(no tag)"
    mark = "⚠ " if annotation.orphan else ""
    tag_lines = "\n".join(hanging_lines(mark + tags, width, rest="  "))
    # the tags in the theme's accent made readable (the raw accent is 1.4:1 in a light theme)
    label = Content.styled(mark, "$text-warning") + Content.styled(tag_lines[len(mark) :], "bold $margin-heading")
    passage = hanging_lines(one_line(annotation.text, 2000), width, first="  ", rest="    ", max_lines=PASSAGE_LINES)
    label += Content("\n" + "\n".join(passage))
    if annotation.note.strip():
        note = hanging_lines("✎ " + one_line(annotation.note, 2000), width, first="  ", rest="    ", max_lines=PASSAGE_LINES)
        label += Content("\n") + Content.styled("\n".join(note), "italic $text-muted")
    return label
