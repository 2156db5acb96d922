"""The reader's key table: no two bindings of one screen share a key (but `n`, which is "next
match" while there are matches and "note" otherwise, never both at once), and `?` lists every
binding by its key cell (not by a letter found somewhere in the text)."""

from __future__ import annotations

import re

from helpers import SHOWN_KEYS

from tui.ui.screens.help import HelpScreen
from tui.ui.screens.reader import READER_KEYS, PanelList, ReaderScreen

SHOWN = SHOWN_KEYS
# One key, two actions, told apart by ReaderScreen.check_action: exactly one is ever enabled.
MODAL = {"n": {"search_step(1)", "note"}}


def key_cells(groups) -> set[str]:
    """Every key named in the help's key column, one token per key ("1 … 9" is every digit)."""
    tokens: set[str] = set()
    for _, rows in groups:
        for key_cell, _ in rows:
            for token in re.split(r"\s*(?:,|/(?=\s)|\s)\s*", key_cell.replace("1 … 9", "1 2 3 4 5 6 7 8 9")):
                if token:
                    tokens.add(token)
    return tokens


def bindings(owner) -> list[tuple[str, str]]:
    return [(key.strip(), binding.action) for binding in owner.BINDINGS for key in binding.key.split(",")]


def test_no_two_reader_bindings_share_a_key():
    for owner in (ReaderScreen, PanelList, HelpScreen):
        found = bindings(owner)
        keys = [key for key, _ in found]
        shared = {k: {a for key, a in found if key == k} for k in set(keys) if keys.count(k) > 1}
        assert {k: v for k, v in shared.items() if MODAL.get(k) != v} == {}, owner.__name__


def test_the_modal_key_is_one_action_at_a_time():
    from helpers import SEED

    from tui.core.articles import load_article
    from tui.core.reading import Reading

    screen = ReaderScreen.__new__(ReaderScreen)
    screen.reading = Reading(load_article(SEED))
    for matches in ([], [(0, 1)]):
        screen.reading.search.matches = matches
        enabled = {action for action in MODAL["n"] if screen.check_action(action.split("(")[0], ())}
        assert len(enabled) == 1, matches


def test_every_reader_binding_is_in_the_help_by_its_key():
    cells = key_cells(READER_KEYS)
    missing = [
        (key, action)
        for owner in (ReaderScreen, PanelList)
        for key, action in bindings(owner)
        if SHOWN.get(key, key) not in cells
    ]
    assert missing == []


def test_the_readme_lists_every_reader_key():
    from helpers import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Reader") : readme.index("### Where your data lives")]
    table = {
        cell for line in section.splitlines() if line.startswith("| `") for cell in re.findall(r"`([^`]+)`", line.split("|")[1])
    }
    cells = set()
    for cell in table:
        cells.update(t for t in re.split(r"\s+", cell.replace("1` … `9", "")) if t)
    cells.update(str(d) for d in range(1, 10) if "1" in cells and "9" in cells)
    missing = [(key, action) for key, action in bindings(ReaderScreen) if SHOWN.get(key, key) not in cells]
    assert missing == []
