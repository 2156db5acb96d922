"""Lines a web page sets between a story's paragraphs that are no part of it.

Copied from a news site, an article keeps its page furniture: "WATCH: Doe says …" (a video's
caption), "READ MORE: …" (a link), "Story continues below advertisement", "Article Continued
Below", a call to action in brackets ("(Subscribe to our podcast with Jane Doe.)"), an author's
"Follow Jane Doe on Twitter @janedoe". Names there are nobody a "he said" in the story stands for.
"""

from __future__ import annotations

import re

_ASIDE_LINE = re.compile(
    r"(?im)^[ \t]*(?:"
    r"(?:watch|read more|related|listen|video|photos|see also|also read)(?:[ \t]+(?:below|here|more|now))?[ \t]*:[^\n]*"
    r"|article continued below|story continues below(?: advertisement)?\.?|advertisement"
    r"|[(\[](?:subscribe|sign up|follow|click|read|watch|listen|download)\b[^\n()\[\]]*[)\]]\.?"
    r"|follow[ \t][^\n]{1,60}?[ \t]on[ \t](?:twitter|facebook|instagram|threads|bluesky)\b[^\n]*"
    r")[ \t]*$"
)


def aside_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of `text` that is page furniture, in order."""
    return [m.span() for m in _ASIDE_LINE.finditer(text)]
