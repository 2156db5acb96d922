"""The reader's entities panel: each label (Enter shows / hides its highlights), then its
entities with their numbers of mentions (Enter highlights the mentions)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.css.query import NoMatches
from textual.reactive import var
from textual.widgets import OptionList, TabPane
from textual.widgets.option_list import Option

from tui.core.analysis.result import Analysis, Entity
from tui.core.text import one_line
from tui.ui import theme
from tui.ui.screens.dialogs import fit_words
from tui.ui.widgets.panel_list import PanelList
from tui.ui.widgets.panel_messages import ShowMentions, ToggleLabel


class EntitiesPanel(TabPane):
    """Labels and entities of `analysis`, hidden labels struck through (both bound by the
    reader); Enter posts `ToggleLabel` on a label, `ShowMentions` on an entity."""

    analysis: var[Analysis | None] = var(None, always_update=True)
    hidden_labels: var[frozenset[str]] = var(frozenset)

    def __init__(self) -> None:
        super().__init__("Entities", id="entities")
        self._filled_at = (0, 0)  # the list's size the rows were fitted to

    def compose(self) -> ComposeResult:
        yield PanelList(id="entity-list")

    def watch_analysis(self) -> None:
        self.fill()

    def watch_hidden_labels(self) -> None:
        self.fill()

    def groups(self) -> dict[str, dict[str, list[Entity]]]:
        """label → canonical name → mentions."""
        groups: dict[str, dict[str, list[Entity]]] = {}
        for entity in self.analysis.entities if self.analysis else []:
            groups.setdefault(entity.label, {}).setdefault(entity.canonical, []).append(entity)
        return groups

    def fill(self) -> None:
        """Each label is a row of its own, then its entities, each once with its number of mentions."""
        try:
            panel = self.query_one("#entity-list", PanelList)
        except NoMatches:
            return
        highlighted = panel.highlighted
        groups = self.groups()
        panel.clear_options()
        self._filled_at = panel.layout_key()
        if not groups:  # say why the list is empty, never a blank panel
            if self.analysis is None:
                why = "The people, places and organisations named show once the article is analysed."
            elif self.analysis.model == "rules":
                why = "No names: the rules-only analysis finds quotes, not entities (install an English spaCy pipeline)."
            else:
                why = "No names found in this article."
            panel.add_option(Option(Content(why).stylize("$text-muted"), disabled=True))
            return
        # one line a label and one an entity: the width they have (less a scrollbar when they do not fit)
        width = panel.row_width(len(groups) + sum(len(names) for names in groups.values()))
        for label in sorted(groups):
            shown = label not in self.hidden_labels
            colour = theme.entity_colour(label, panel.styles.background.hex)
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
                count = f"×{len(mentions)}"
                room = max(6, min(28, width - 4 - len(count)))  # one line: a long name is cut, never wrapped
                panel.add_option(Option(Content(f"  {one_line(name, room)}  {count}"), id=f"{label}\x00{name}"))
        if highlighted is not None and highlighted < panel.option_count:
            panel.highlighted = highlighted

    def on_panel_list_resized(self, event: PanelList.Resized) -> None:
        event.stop()
        if self.analysis is not None and self.query_one("#entity-list", PanelList).layout_key() != self._filled_at:
            self.fill()

    @on(OptionList.OptionSelected, "#entity-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        label, _, name = (event.option.id or "").partition("\x00")
        if label == "label":
            self.post_message(ToggleLabel(name))
            return
        mentions = self.groups().get(label, {}).get(name, [])
        self.post_message(ShowMentions(name, [(m.start, m.end) for m in mentions]))
