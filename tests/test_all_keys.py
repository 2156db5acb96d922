"""Every screen's keys (issue 14): found by walking `tui.ui.screens`, each `Screen`/`ModalScreen`
with bindings must (a) bind no key twice, (b) have every key in the README's "All keys" table,
in its own column (dialogs: named in the Dialogs column), and (c) where it has a `?` help table,
have every key in that table's key cells.

A new screen fails here until it is added to `COLUMN` (and to `HELP_TABLES` or `NO_HELP`)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from helpers import REPO, SHOWN_KEYS
from textual.binding import Binding
from textual.screen import Screen

import tui.ui.screens

# Textual key names as the README and the help write them.
SHOWN = SHOWN_KEYS

# One key, two bindings of one screen, never both enabled at once (the screen's check_action tells
# them apart; tests/test_reader_keys_table.py::test_the_modal_key_is_one_action_at_a_time checks it).
MODAL = {("ReaderScreen", "n"): {"search_step(1)", "note"}}  # "next match" while there are matches, else "note"

# Where each screen's keys are in the README table: a column, or a name in the Dialogs column.
COLUMN = {
    "LibraryScreen": "Library",
    "ReaderScreen": "Reader",
    "PeopleScreen": "People",
    "TimelineScreen": "Timeline",
    "ChartScreen": "Chart",
    "HelpScreen": "Help",
    "PeopleTableScreen": "People",
    "TableTimelineScreen": "Timeline",  # over a quote table: same keys
    "SpeakerDialog": "speaker",
    "TagDialog": "tag",
    "NoteDialog": "note",
    "NoteConflictDialog": "conflict",
    "ConfirmDialog": "confirm",
    "ExportDialog": "export",
    "QuoteGroupDialog": "group",
    "LibrarySearchScreen": "search",
    "PickPersonDialog": "merge",
    "PickVariantDialog": "split",
    "TagFilterDialog": "tag filter",
}
COLUMNS = {"Library", "Reader", "People", "Timeline", "Chart", "Help"}

# The screens with a `?` help table: module and constant.
HELP_TABLES = {
    "LibraryScreen": ("tui.ui.screens.library_keys", "LIBRARY_KEYS"),
    "ReaderScreen": ("tui.ui.screens.reader_keys", "READER_KEYS"),
    "PeopleScreen": ("tui.ui.screens.people_help", "PEOPLE_KEYS"),
    "TimelineScreen": ("tui.ui.screens.timeline", "TIMELINE_KEYS"),
    "ChartScreen": ("tui.ui.screens.chart", "CHART_KEYS"),
    "PeopleTableScreen": ("tui.ui.screens.people_help", "PEOPLE_KEYS"),
    "TableTimelineScreen": ("tui.ui.screens.timeline", "TIMELINE_KEYS"),
}
DIALOG = "a dialog: `?` is not bound there; its few keys show in its footer or its text"
NO_HELP = {
    "HelpScreen": "it is the `?` window itself",
    "LibrarySearchScreen": "the library's ctrl+f search: Escape and ↓ show in its footer",
    **{
        name: DIALOG
        for name in (
            "SpeakerDialog",
            "TagDialog",
            "NoteDialog",
            "NoteConflictDialog",
            "ConfirmDialog",
            "ExportDialog",
            "QuoteGroupDialog",
            "PickPersonDialog",
            "PickVariantDialog",
            "TagFilterDialog",
        )
    },
}


def screens() -> dict[str, type[Screen]]:
    """Every Screen subclass defined in a module of tui.ui.screens."""
    found: dict[str, type[Screen]] = {}
    for module_info in pkgutil.iter_modules(tui.ui.screens.__path__):
        module = importlib.import_module(f"tui.ui.screens.{module_info.name}")
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Screen) and obj.__module__ == module.__name__:
                found[name] = obj
    return found


def bindings(screen: type) -> list[tuple[str, str]]:
    """(key, action) of every binding the screen's own classes declare (not Textual's defaults)."""
    found = []
    for cls in screen.__mro__:
        if cls.__module__.startswith("tui.") and "BINDINGS" in cls.__dict__:
            for binding in cls.__dict__["BINDINGS"]:
                key, action = (binding.key, binding.action) if isinstance(binding, Binding) else binding[:2]
                found += [(k.strip(), action) for k in key.split(",")]
    return found


def with_bindings() -> dict[str, type[Screen]]:
    return {name: cls for name, cls in screens().items() if bindings(cls)}


def tokens(text: str) -> set[str]:
    """The keys in `backticks` of a README cell ("1` … `9" is every digit)."""
    keys = set(re.findall(r"`([^`]+)`", text))
    if "1" in keys and "9" in keys and "…" in text:
        keys.update(str(d) for d in range(1, 10))
    return keys


def readme_table() -> dict[str, set[str]]:
    """Column (or dialog name) → the keys the README's "All keys" table lists for it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("### All keys")
    section = readme[start : readme.index("\n### ", start + 1)]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    header, *rows = rows
    listed: dict[str, set[str]] = {}
    for row in rows:
        row_keys = tokens(row[0])
        for column, cell in zip(header[1:], row[1:]):
            if not cell:
                continue
            parts = cell.split(";") if column == "Dialogs" else [cell]
            for part in parts:
                keys = (tokens(part) & row_keys) or row_keys  # "`s` sort": only s of the row's keys
                names = [n.strip() for n in part.rsplit(":", 1)[1].split(",")] if column == "Dialogs" else [column]
                if names == ["all"]:
                    names = [name for name in COLUMN.values() if name not in COLUMNS]
                for name in names:
                    listed.setdefault(name, set()).update(keys)
    return listed


def help_cells(groups) -> set[str]:
    """Every key named in a help table's key column, one token per key ("1 … 9" is every digit)."""
    found: set[str] = set()
    for _, rows in groups:
        for key_cell, _ in rows:
            cell = key_cell.replace("1 … 9", "1 2 3 4 5 6 7 8 9")
            found.update(t for t in re.split(r"\s*(?:,|/(?=\s)|\s)\s*", cell) if t)
    return found


def test_every_screen_with_keys_is_known():
    found = set(with_bindings())
    assert found - set(COLUMN) == set(), "add the new screen to COLUMN and the README's All keys table"
    assert found - set(HELP_TABLES) - set(NO_HELP) == set(), "give the new screen a ? table, or say why not"
    assert {"LibraryScreen", "ReaderScreen", "PeopleScreen", "TimelineScreen", "ChartScreen"} <= found


def test_no_screen_binds_a_key_twice():
    shared = {}
    for name, cls in with_bindings().items():
        found = bindings(cls)
        keys = [key for key, _ in found]
        for key in {k for k in keys if keys.count(k) > 1}:
            actions = {action for k, action in found if k == key}
            if MODAL.get((name, key)) != actions:
                shared[(name, key)] = actions
    assert shared == {}, shared


def test_the_readme_table_lists_every_key_of_every_screen():
    listed = readme_table()
    missing = [
        (name, SHOWN.get(key, key), action)
        for name, cls in with_bindings().items()
        for key, action in bindings(cls)
        if SHOWN.get(key, key) not in listed.get(COLUMN[name], set())
    ]
    assert missing == [], missing


def test_every_key_is_in_its_screens_help():
    found = with_bindings()
    missing = []
    for name, (module, constant) in HELP_TABLES.items():
        cells = help_cells(getattr(importlib.import_module(module), constant))
        missing += [
            (name, SHOWN.get(key, key), action) for key, action in bindings(found[name]) if SHOWN.get(key, key) not in cells
        ]
    assert missing == [], missing


# The widgets with keys of their own, and where they live (their keys count as that screen's).
WIDGETS = {
    "LibraryList": ["Library"],  # a CursorList: j k ↓ ↑ g G Home End PageDown PageUp, and Enter
    "PeopleList": ["People"],  # a CursorList, and Enter
    "CursorList": ["Library", "People"],
    "PanelList": ["Reader"],  # the side panels' j k g G
    "TagInput": ["tag", "speaker"],  # Tab completes
}


def widgets() -> dict[str, type]:
    """Every widget class of tui.ui declaring BINDINGS (screens aside)."""
    from textual.widget import Widget

    import tui.ui

    found: dict[str, type] = {}
    for module_info in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        module = importlib.import_module(module_info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, Widget)
                and not issubclass(obj, Screen)
                and obj.__module__ == module.__name__
                and "BINDINGS" in obj.__dict__
            ):
                found[name] = obj
    return found


def test_the_readme_table_lists_every_widget_key_where_it_lives():
    found = widgets()
    assert set(found) - set(WIDGETS) == set(), "say in WIDGETS where the new widget's keys are used"
    listed = readme_table()
    missing = [
        (name, column, SHOWN.get(key, key))
        for name, cls in found.items()
        for column in WIDGETS[name]
        for key, _ in bindings(cls)
        if SHOWN.get(key, key) not in listed.get(column, set())
    ]
    assert missing == [], missing
