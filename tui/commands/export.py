"""`margin export`: write annotations (JSON by default) to stdout or a file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tui.commands.common import CliError, add_db_options, open_store


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="margin export", description="Write annotations as JSON (stdout by default).")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--format", default="json", choices=["json"], help="output format (default: json)")
    parser.add_argument("--article", metavar="ID|PATH", help="only this article (its id or file path)")
    parser.add_argument("--tag", metavar="TAG", help="only annotations with this tag")
    parser.add_argument("--force", action="store_true", help="overwrite an existing output file")
    add_db_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tui.core.export import export_json_document
    from tui.core.output import write_output

    store = open_store(args.db)
    annotations = store.all()
    if args.article:
        as_path = str(Path(args.article).expanduser().resolve())
        annotations = [a for a in annotations if a.article_id == args.article or a.article_path == as_path]
    if args.tag:
        wanted = args.tag.casefold()
        annotations = [a for a in annotations if wanted in (t.casefold() for t in a.tags)]
    payload = json.dumps(export_json_document(annotations), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        try:
            write_output(Path(args.output), payload, force=args.force)
        except OSError as exc:
            raise CliError(str(exc)) from None
        print(f"margin: wrote {len(annotations)} annotation(s) to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(payload)
    return 0
