"""`margin import FILE`: read annotations exported by Margin (JSON) or W3C Web Annotations."""

from __future__ import annotations

import argparse
import sys

from tui.commands.common import CliError, add_db_options, open_store
from tui.core.text import one_line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin import",
        description="Import annotations from a Margin JSON export or a W3C Web Annotation (JSON-LD) file. "
        "The whole file is checked first: if any record is bad, nothing is imported. An annotation "
        "already stored is replaced only by a newer one, so importing twice changes nothing. Annotations "
        "are attached to an article file only when it is in your library, in a folder Margin has opened, "
        "already annotated, or named with --article; the others are kept without their file and appear "
        "when you open the article.",
    )
    parser.add_argument("file", metavar="FILE", help="the file to import")
    parser.add_argument("--dry-run", action="store_true", help="check the file and say what would change")
    parser.add_argument(
        "--article",
        action="append",
        default=[],
        metavar="PATH",
        help="an article file or folder the imported annotations may be attached to (repeatable)",
    )
    add_db_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tui.core.importing import ImportFormatError, attach_to_known_articles, known_roots, read_import_file
    from tui.core.storage.errors import StoreError

    try:
        data = read_import_file(args.file)
    except ImportFormatError as exc:
        raise CliError(str(exc)) from None
    if data.not_imported and not data.annotations:
        raise CliError(
            f"nothing imported from {args.file}: it holds no annotations, and these are not imported: "
            + "; ".join(data.not_imported)
            + " (save each page as a file and import it)"
        )
    store = open_store(args.db)
    try:
        stored_paths = set(store.counts_by_path()) if any(a.article_path for a in data.annotations) else set()
        messages = attach_to_known_articles(data, known_roots(args.article), stored_paths, str(args.file))
        added, updated, unchanged = store.merge(data.annotations, dry_run=args.dry_run)
    except ImportFormatError as exc:
        raise CliError(str(exc)) from None
    except StoreError as exc:
        raise CliError(str(exc)) from None
    for message in messages:
        print(f"margin: {one_line(message, 600)}", file=sys.stderr)
    verb = "would import" if args.dry_run else "imported"
    print(
        f"margin: {verb} {added} new and {updated} updated annotation(s) from {one_line(args.file)} ({data.fmt}); "
        f"{unchanged} kept as stored (the same, or changed here since)",
        file=sys.stderr,
    )
    if data.not_imported:
        print(
            f"margin: not imported: {one_line('; '.join(data.not_imported), 600)} (save each page as a file and import it)",
            file=sys.stderr,
        )
        return 1
    if not args.dry_run:
        from tui.core.session import mark_recovered

        done = mark_recovered(args.file)  # a recovery file: no longer pending (the app stops reminding)
        if done is not None:
            print(f"margin: the recovery file is restored; it is kept as {one_line(str(done))}", file=sys.stderr)
    return 0
