"""The reader's footer: the keys that matter most always show, whatever the width."""

from __future__ import annotations

from tui.ui.widgets.fitting_footer import FittingFooter


class ReaderFooter(FittingFooter):
    """The reader's footer: at 80 columns, with "n Next match" and "N Prev match" in it too, Tag,
    Search, Help, Back and Quit stay (Export and Next quote are dropped first)."""

    LESS_IMPORTANT = ("export", "quote(1)")  # dropped first, in this order
    SPACING = (1, 3)  # room to spare when not compact
