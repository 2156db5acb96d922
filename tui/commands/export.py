"""`margin export`: write annotations (JSON by default) to stdout or a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

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
from tui.core.text import displayable, one_line, terminal_safe_json

if TYPE_CHECKING:
    from tui.core.correction_record import SpeakerCorrection

FORMATS = ("json", "w3c", "jsonl", "markdown", "csv")  # keep in step with tui.core.export.FORMATS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin export",
        description="Write annotations to stdout or a file. Formats: json (Margin's own, the default; "
        "`margin import` reads it back), w3c (W3C Web Annotation JSON-LD), jsonl (one article per line "
        "with tag spans, for Prodigy/spaCy), markdown, csv (for highlight importers).",
    )
    parser.add_argument("-o", "--output", type=output_file, metavar="FILE", help="write to FILE instead of stdout (- for stdout)")
    parser.add_argument("--format", default="json", choices=FORMATS, help="output format (default: json)")
    parser.add_argument("--article", metavar="ID|PATH", help="only this article (its id or file path)")
    parser.add_argument("--tag", metavar="TAG", help="only annotations with this tag")
    parser.add_argument("--force", action="store_true", help="overwrite an existing output file")
    add_db_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tui.core.corrections import all_corrections
    from tui.core.export import DECISION_FORMATS, export_annotations
    from tui.core.storage.errors import StoreError

    check_output(args.output, args.force, args.db)  # before any work
    store = open_store_to_read(args.db)  # a --db that does not exist is refused, never created
    try:
        annotations = store.all() if store is not None else []
        corrections = all_corrections(store) if store is not None else []
    except StoreError as exc:
        raise CliError(str(exc)) from None
    damaged = report_store_problems(store)  # the other articles are exported; exit status 1
    # The speaker decisions JSON and W3C carry: all of them (articles without annotations too),
    # those of --article, or (with --tag) those of the articles exported.
    decisions: list[SpeakerCorrection] | None = corrections
    if args.article:
        as_path = str(Path(args.article).expanduser().resolve())
        annotations = [a for a in annotations if a.article_id == args.article or a.article_path == as_path]
        decisions = [c for c in corrections if c.article_id == args.article or c.article_path == as_path]
    if args.tag:
        wanted = " ".join(args.tag.split()).casefold()
        annotations = [a for a in annotations if wanted in (t.casefold() for t in a.tags)]
        decisions = None
    if not annotations and (args.article or args.tag) and not (decisions and args.format in DECISION_FORMATS):
        asked = " and ".join(f"{what} {value!r}" for what, value in (("article", args.article), ("tag", args.tag)) if value)
        raise CliError(f"no annotations match {asked}: nothing exported (`margin export` without filters exports everything)")
    result = export_annotations(annotations, args.format, corrections, decisions)
    for message in result.messages:
        print(f"margin: {one_line(message, 400)}", file=sys.stderr)
    if args.output:
        payload = for_terminal(result.payload, args.format) if is_terminal(args.output) else result.payload
        write_output_file(args.output, payload, args.force, args.db)
        carried = f" and {result.decisions} speaker decision(s)" if result.decisions else ""
        print(f"margin: wrote {result.count} annotation(s){carried} to {one_line(args.output)}", file=sys.stderr)
    elif args.format in JSON_FORMATS:
        sys.stdout.write(terminal_safe_json(result.payload) if sys.stdout.isatty() else result.payload)
    else:  # text on stdout is shown, whether straight or through a pipe (`| less -R`, `| cat`)
        sys.stdout.write(visible_text(result.payload))
    return 1 if damaged else 0


JSON_FORMATS = ("json", "w3c", "jsonl")


def for_terminal(payload: str, fmt: str) -> str:
    """What a terminal may be shown: JSON formats with controls escaped (the same JSON); text
    formats with controls as visible placeholders (`visible_text`)."""
    if fmt in JSON_FORMATS:
        return terminal_safe_json(payload)
    return visible_text(payload)


def visible_text(payload: str) -> str:
    """Markdown or CSV for stdout or a terminal: control characters as visible placeholders (␛,
    ␀, as `margin analyze` shows them), newlines, tabs and CSV's CRLF line ends kept. A file
    written with -o keeps the exact text (JSON formats escape controls themselves)."""
    return "\r\n".join(
        "\t".join(displayable(part, keep_newlines=True) for part in line.split("\t")) for line in payload.split("\r\n")
    )
