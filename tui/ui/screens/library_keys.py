"""The library's keys, grouped, for its help screen (`?`); tests/test_library_keys.py checks that
every binding is listed by its key."""

from __future__ import annotations

LIBRARY_KEYS = [
    (
        "Move and open",
        [
            ("j / ↓, k / ↑", "next / previous article"),
            ("g / Home, G / End, PageDown, PageUp", "first, last, pages"),
            ("Enter / click", "open the article"),
        ],
    ),
    (
        "Find",
        [
            ("/", "filter as you type on title, source, file name and text (Enter returns to the list)"),
            ("s", "cycle the sort: date → title → source → most annotated"),
            ("S", "reverse the sort order"),
            ("t", "show only articles with annotations tagged …"),
            ("ctrl+f", "search every article; Enter on a hit opens the article there"),
            ("Escape", "clear the filters"),
        ],
    ),
    (
        "General",
        [
            ("x", "export annotations: all, or those of the articles shown when filtered (format and file)"),
            ("o", "open the article's web address in the browser (where no browser can open, over SSH: copied to the clipboard)"),
            ("m", "mark the article as read, or as new again (the Read column: new, the furthest % read, ✓)"),
            ("p", "show / hide the files that could not be opened, with the reason"),
            ("r", "rescan the folders"),
            (
                "A",
                "analyse every article in the background (fills the Quotes column; articles then open highlighted at once); A again stops it",
            ),
            ("P", "people: every speaker across the library, their quotes as a timeline (merge, split, tag, note)"),
            ("F", "fetch your feeds (`margin feeds`) into your library in the background, then rescan; new articles show as new"),
            ("ctrl+p", "command palette"),
            ("?", "this help"),
            ("q", "quit"),
        ],
    ),
]
