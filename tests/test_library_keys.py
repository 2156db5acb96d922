"""The library's key table: no two bindings share a key, and `?` lists every binding by its key
cell (not by a letter found somewhere in the text)."""

from __future__ import annotations

import re

from tui.ui.screens.library import LIBRARY_KEYS, LibraryList, LibraryScreen

SHOWN = {"slash": "/", "question_mark": "?", "escape": "Escape", "enter": "Enter", "down": "↓", "up": "↑",
         "pagedown": "PageDown", "pageup": "PageUp", "home": "Home", "end": "End"}


def key_cells() -> set[str]:
    """Every key named in the help's key column, one token per key."""
    tokens: set[str] = set()
    for _, rows in LIBRARY_KEYS:
        for key_cell, _ in rows:
            tokens.update(t for t in re.split(r"\s*(?:,|/(?=\s)|\s)\s*", key_cell) if t)
    return tokens


def bindings() -> list[tuple[str, str]]:
    found = []
    for owner in (LibraryScreen, LibraryList):
        for binding in owner.BINDINGS:
            for key in binding.key.split(","):
                found.append((key.strip(), binding.action))
    return found


def test_no_two_library_bindings_share_a_key():
    keys = [key for key, _ in bindings()]
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def test_every_library_binding_is_in_the_help_by_its_key():
    cells = key_cells()
    missing = [(key, action) for key, action in bindings() if SHOWN.get(key, key) not in cells]
    assert missing == []
