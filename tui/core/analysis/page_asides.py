"""Lines a web page sets between a story's paragraphs that are no part of it.

Copied from a news site, an article keeps its page furniture: "WATCH: Doe says …" (a video's
caption), "READ MORE: …" (a link), "Story continues below advertisement", "Article Continued
Below". Names there are nobody a "he said" in the story stands for.
"""

from __future__ import annotations

import re

_ASIDE_LINE = re.compile(
    r"(?im)^[ \t]*(?:"
    r"(?:watch|read more|related|listen|video|photos|see also|also read)(?:[ \t]+(?:below|here|more|now))?[ \t]*:[^\n]*"
    r"|article continued below|story continues below(?: advertisement)?\.?|advertisement"
    r")[ \t]*$"
)


def aside_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of `text` that is page furniture, in order."""
    return [m.span() for m in _ASIDE_LINE.finditer(text)]
