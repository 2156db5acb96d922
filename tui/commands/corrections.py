"""`margin corrections export [-o FILE]`: the speaker corrections as spaCy/Prodigy-style JSONL
(`margin import FILE` reads them back)."""

from __future__ import annotations

import argparse
import sys

from tui.commands.common import (
    CliError,
    add_db_options,
    check_output,
    is_terminal,
    open_store_to_read,
    output_file,
    report_store_problems,
    write_output_file,
)
from tui.core.text import one_line, terminal_safe_json


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin corrections",
        description="Your speaker corrections (quotes whose speaker you named, confirmed, or marked as not a quote).",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = sub.add_parser(
        "export",
        help="write them as spaCy/Prodigy-style JSONL (one line per checked quote)",
        description="Write one JSON line per checked quote: the paragraph as `text`, the quote (QUOTE) and where it "
        "names the speaker (SPEAKER) as `spans`, `answer` accept (speaker named or confirmed) or reject (not a "
        "quote), and `meta` (speaker, model_speaker, verdict, article). `margin import FILE` reads the file "
        "back (your decisions, where this database has none on the quote).",
    )
    export.add_argument("-o", "--output", type=output_file, metavar="FILE", help="write to FILE instead of stdout (- for stdout)")
    export.add_argument("--force", action="store_true", help="overwrite an existing output file")
    add_db_options(parser)
    # The same options after the action too (not resetting what was given before it).
    export.add_argument(
        "--db", metavar="PATH", default=argparse.SUPPRESS, help="annotations database (default: $MARGIN_DB or the user data dir)"
    )
    export.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors")
    return parser


def run(args: argparse.Namespace) -> int:
    from tui.core.corrections import all_corrections, stats_line
    from tui.core.formats.training import export_corrections_jsonl
    from tui.core.storage.errors import StoreError

    check_output(args.output, args.force, args.db)  # before any work
    store = open_store_to_read(args.db)  # a --db that does not exist is refused, never created
    try:
        corrections = all_corrections(store) if store is not None else []
    except StoreError as exc:
        raise CliError(str(exc)) from None
    damaged = report_store_problems(store)  # the other articles' corrections are exported; exit status 1
    result = export_corrections_jsonl(corrections)
    for message in result.messages:
        print(f"margin: {one_line(message, 400)}", file=sys.stderr)
    summary = stats_line(corrections)
    if args.output:
        payload = terminal_safe_json(result.payload) if is_terminal(args.output) else result.payload
        write_output_file(args.output, payload, args.force, args.db)
        print(f"margin: wrote {result.count} checked quote(s) to {one_line(args.output)} ({summary})", file=sys.stderr)
    else:
        sys.stdout.write(terminal_safe_json(result.payload) if sys.stdout.isatty() else result.payload)
        print(f"margin: {result.count} checked quote(s) ({summary})", file=sys.stderr)
    return 1 if damaged else 0
