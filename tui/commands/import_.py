"""`margin import FILE`: read annotations exported by Margin (JSON) or W3C Web Annotations."""

from __future__ import annotations

import argparse
import sys

from tui.core.text import one_line
from tui.commands.common import CliError, add_db_options, open_store


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin import",
        description="Import annotations from a Margin JSON export or a W3C Web Annotation (JSON-LD) file. "
        "The whole file is checked first: if any record is bad, nothing is imported. An annotation "
        "already stored is replaced only by a newer one, so importing twice changes nothing.",
    )
    parser.add_argument("file", metavar="FILE", help="the file to import")
    parser.add_argument("--dry-run", action="store_true", help="check the file and say what would change")
    add_db_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tui.core.importing import ImportFormatError, read_import
    from tui.core.store import StoreError

    try:
        annotations, fmt = read_import(args.file)
    except ImportFormatError as exc:
        raise CliError(str(exc)) from None
    store = open_store(args.db)
    try:
        added, updated, unchanged = store.merge(annotations, dry_run=args.dry_run)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    verb = "would import" if args.dry_run else "imported"
    print(
        f"margin: {verb} {added} new and {updated} updated annotation(s) from {one_line(args.file)} ({fmt}); "
        f"{unchanged} already up to date",
        file=sys.stderr,
    )
    return 0
