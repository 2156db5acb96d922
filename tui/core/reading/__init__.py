"""What the reader knows about one article, and the pure operations on it (no Textual).

`Reading` holds the reading units, the cursor, the selection and its anchor, the offset the
reader wants to come back to, the search and its matches, the hidden entity labels and the
article's annotations. Its methods answer what a key means: where a move goes, what an action
applies to, which annotation lies under the cursor, what a quick-tag key does. The reader screen
(`tui/ui/screens/reader.py`) maps keys to these methods and redraws.
"""

from __future__ import annotations

from tui.core.reading.quick_tags import QuickTagEffect, palette_tag, quick_tag_effect
from tui.core.reading.search import Search, find_all
from tui.core.reading.state import Reading, attributed_text, paragraph_starts, plural
from tui.core.reading.words import extend_by_word, snap_to_words

__all__ = [
    "QuickTagEffect",
    "Reading",
    "Search",
    "attributed_text",
    "extend_by_word",
    "find_all",
    "palette_tag",
    "paragraph_starts",
    "plural",
    "quick_tag_effect",
    "snap_to_words",
]
