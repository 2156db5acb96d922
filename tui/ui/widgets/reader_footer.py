"""The reader's footer: the keys that matter most always show, whatever the width."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


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
