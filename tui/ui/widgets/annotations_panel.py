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


class AnnotationsPanel(TabPane):
    """A tag filter over the list of annotations; Enter on one posts `JumpTo` (an orphan:
    `Reattach`). The reader binds `annotations` to it."""

    annotations: var[list[Annotation]] = var(list, always_update=True)

    def __init__(self) -> None:
        super().__init__("Annotations", id="notes")
        self.tag_filter = ""

    def compose(self) -> ComposeResult:
        box = Input(placeholder="filter by tag…", id="tag-filter", select_on_focus=False)
        yield box
        rows = PanelList(id="annotation-list")
        rows.filter_box = box  # typing in the list goes to the filter
        yield rows

    @property
    def rows(self) -> PanelList:
        return self.query_one("#annotation-list", PanelList)

    def watch_annotations(self) -> None:
        self.fill()

    def fill(self, select: str | None = None) -> None:
        """The rows for the annotations that have a tag containing the filter; `select` one by id."""
        try:
            panel = self.rows
        except NoMatches:
            return  # not composed yet: filled on mount
        panel.clear_options()
        wanted = self.tag_filter.casefold()
        shown = [a for a in self.annotations if not wanted or any(wanted in t.casefold() for t in a.tags)]
        orphans_heading_shown = False
        for annotation in shown:
            if annotation.orphan and not orphans_heading_shown:
                orphans_heading_shown = True
                heading = Content.styled("Orphans", "bold $text-warning") + Content.styled(
                    " — passage no longer in the text; Enter re-attaches one to the cursor's passage", "$text-muted"
                )
                panel.add_option(Option(heading, disabled=True))
            panel.add_option(Option(annotation_label(annotation), id=annotation.id))
        if not shown:  # say why the list is empty, never a blank panel
            if self.annotations:
                why = Content("No annotation tagged ") + Content.styled(one_line(self.tag_filter, 40), "bold") + Content(".")
            else:
                why = Content("No annotations yet: t tags, n notes the passage under the cursor.")
            panel.add_option(Option(why.stylize("$text-muted"), disabled=True))
        if select is not None:
            self.select(select)

    def on_mount(self) -> None:
        self.fill()

    def select(self, annotation_id: str) -> None:
        """Highlight the row of this annotation (when the filter shows it)."""
        panel = self.rows
        for index in range(panel.option_count):
            if panel.get_option_at_index(index).id == annotation_id:
                panel.highlighted = index

    def highlighted_id(self) -> str | None:
        """The highlighted annotation's id while the list has focus, else None."""
        panel = self.rows
        if self.screen.focused is panel and panel.highlighted is not None:
            return panel.get_option_at_index(panel.highlighted).id
        return None

    @on(Input.Changed, "#tag-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.tag_filter = event.value.strip()
        self.fill()

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


def annotation_label(annotation: Annotation) -> Content:
    """An annotation's row: its tags, its passage on one line, its note (an orphan marked ⚠)."""
    tags = " ".join(f"#{one_line(t)}" for t in annotation.tags) or "(no tag)"
    # the tags in the theme's accent made readable (the raw accent is 1.4:1 in a light theme)
    label = Content.styled(tags, "bold $margin-heading") + Content("\n") + Content(one_line(annotation.text, 60))
    if annotation.orphan:
        label = Content.styled("⚠ ", "$text-warning") + label
    if annotation.note:
        label += Content("\n") + Content.styled("✎ " + one_line(annotation.note, 56), "italic $text-muted")
    return label
