"""A footer that keeps the keys that matter most on one line, whatever the width."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class FittingFooter(Footer):
    """The footer, dropping its less important keys (all of them in `?`), in the order of
    `less_important` (actions), when the line is too short for every key and the palette key
    (then, on a very narrow terminal, the last keys but the first);
    compact (one space between keys) below `compact_below` columns. Its screen calls `fit()` on a
    resize."""

    LESS_IMPORTANT: tuple[str, ...] = ()  # dropped first, in this order
    PALETTE_CELLS = 14  # the command palette key on the right
    COMPACT_BELOW = 100
    SPACING = (1, 2)  # the cells between two keys: compact, not compact

    def __init__(self, less_important: tuple[str, ...] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        if less_important is not None:
            self.LESS_IMPORTANT = less_important

    def fit(self, width: int) -> None:
        """Lay the keys out again for a screen `width` columns wide."""
        self.compact = width < self.COMPACT_BELOW
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]

        def cells(key: FooterKey) -> int:
            spacing = self.SPACING[0] if self.compact else self.SPACING[1]
            return cell_len(key.key_display) + 1 + cell_len(key.description) + spacing

        meaning = getattr(self.screen, "key_meaning", None)
        for key in keys:
            now = meaning(key.action) if meaning is not None else None
            if now:
                key.description = now  # what the key does now ("Escape: To text", "/: Filter")
        room = self.app.size.width - self.PALETTE_CELLS
        dropped: set[str] = set()
        for action in self.LESS_IMPORTANT:
            if sum(cells(k) for k in keys if k.action not in dropped) <= room:
                break
            dropped.add(action)
        # still too long (a very narrow terminal): the last keys go too, `?` (which lists them all) last
        last_resort = [k for k in reversed(keys[1:]) if k.action != "help"] + [k for k in keys[1:] if k.action == "help"]
        for key in last_resort:
            if sum(cells(k) for k in keys if k.action not in dropped) <= room:
                break
            dropped.add(key.action)
        shown = [w for w in widgets if not (isinstance(w, FooterKey) and w.action in dropped)]
        self.styles.grid_size_columns = max(1, len([k for k in keys if k.action not in dropped]))
        yield from shown
