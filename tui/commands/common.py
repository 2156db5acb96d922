"""What the sub-commands share: the user-facing error, database options and opening the store."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def add_db_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="annotations database: PATH holds the schema version, PATH.d/ one file per article (default: $MARGIN_DB or the user data dir)",
    )
    add_debug_option(parser)


def add_debug_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")


def resolve_db(arg: str | None) -> tuple[Path, bool]:
    """(database path, explicit?) from --db, $MARGIN_DB or the default: `~` expanded and symlinks
    resolved here, once (a symlinked database is its target, for reads, writes and the lock)."""
    from tui.core.paths import default_db_path

    if arg:
        path, explicit = Path(arg), True
    else:
        path, explicit = default_db_path(), bool(os.environ.get("MARGIN_DB"))
    return Path(os.path.realpath(path.expanduser())), explicit


def open_store(arg: str | None):
    from tui.core.storage.errors import StoreError  # not tui.core.store: re-anchoring (rapidfuzz) is not needed to open it
    from tui.core.storage.store import AnnotationStore

    path, explicit = resolve_db(arg)
    try:
        store = AnnotationStore.open(path, explicit=explicit)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    if store.notice:
        from tui.core.text import one_line

        print(f"margin: {one_line(store.notice)}", file=sys.stderr)
    return store
