"""`?`: every key of the current screen, grouped, in two aligned columns that wrap cleanly."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
        Binding("space,pagedown,ctrl+f", "page(1)", "Page down", show=False),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False),
        Binding("g,home", "edge(-1)", "Top", show=False),
        Binding("G,end", "edge(1)", "Bottom", show=False),
    ]

    def __init__(self, title: str, groups: list[tuple[str, list[tuple[str, str]]]], subtitle: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.subtitle = subtitle  # a line under the title (the reader: the spaCy pipeline in use)
        self.groups = groups

    STACK_BELOW = 24  # cells left for the descriptions under which a key goes on a line of its own

    def compose(self) -> ComposeResult:
        key_width = self.key_width = min(32, max(len(key) for _, keys in self.groups for key, _ in keys) + 4)
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Content.styled(self.title_text, "bold") + Content("   (Escape closes)"))
            if self.subtitle:
                yield Static(Content.styled(self.subtitle, "$text-muted"), id="help-subtitle")
            for group, keys in self.groups:
                yield Static(Content.styled(group, "bold $margin-heading"), classes="help-group")
                for key, what in keys:
                    with Horizontal(classes="help-row"):
                        label = Label(Content.styled(key, "bold"), classes="help-key")
                        label.styles.width = key_width
                        yield label
                        yield Label(Content(what), classes="help-what")

    def on_mount(self) -> None:
        # The messages shown till now are dismissed (as vim's :help clears its message line): a
        # toast would cover the help's last lines, however far it is scrolled.
        self.app.clear_notifications()

    def on_resize(self) -> None:
        """A narrow terminal: each key on its own line, its description under it (else beside it)."""
        dialog = self._scroller
        stacked = dialog.scrollable_content_region.width - self.key_width < self.STACK_BELOW
        dialog.set_class(stacked, "stacked")
        for label in self.query(".help-key"):
            label.styles.width = "1fr" if stacked else self.key_width

    @property
    def _scroller(self) -> VerticalScroll:
        return self.query_one("#help-dialog", VerticalScroll)

    def action_scroll(self, step: int) -> None:
        """`j` / `k` as in less: one line."""
        self._scroller.scroll_relative(y=step, animate=False, immediate=True)

    def action_page(self, step: int) -> None:
        scroller = self._scroller
        scroller.scroll_relative(y=step * max(1, scroller.scrollable_content_region.height - 1), animate=False, immediate=True)

    def action_edge(self, step: int) -> None:
        scroller = self._scroller
        scroller.scroll_to(y=0 if step < 0 else scroller.max_scroll_y, animate=False, immediate=True)

    def action_dismiss(self) -> None:
        self.dismiss(None)
