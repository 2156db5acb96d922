"""`margin import FILE`: read annotations exported by Margin (JSON) or W3C Web Annotations, and
the speaker decisions of `margin corrections export`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.commands.common import CliError, add_db_options, open_store
from tui.core.text import one_line

if TYPE_CHECKING:
    from tui.core.correction_record import SpeakerCorrection
    from tui.core.importing import ImportOutcome


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin import",
        description="Import annotations from a Margin JSON export or a W3C Web Annotation (JSON-LD) file, "
        "or speaker decisions from `margin corrections export`. "
        "The whole file is checked first: if any record is bad, nothing is imported. An annotation "
        "already stored is replaced only by a newer one, so importing twice changes nothing. Your speaker "
        'decisions (an export\'s speaker_corrections, quotes whose speaker_source is "user", the lines of '
        "`margin corrections export`) come back, unless this database has another on that "
        "quote (which is kept). Annotations "
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
    from tui.core.importing import (
        CORRECTIONS_FORMAT,
        ImportFormatError,
        attach_to_known_articles,
        import_annotations,
        known_roots,
        read_import_file,
    )
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
        with_paths = any(a.article_path for a in data.annotations) or any(c.article_path for c in data.corrections)
        stored_paths = set(store.counts_by_path()) if with_paths else set()
        messages = attach_to_known_articles(data, known_roots(args.article), stored_paths, str(args.file))
        outcome = import_annotations(store, data, dry_run=args.dry_run)
    except ImportFormatError as exc:
        raise CliError(str(exc)) from None
    except StoreError as exc:
        raise CliError(str(exc)) from None
    for message in messages:
        print(f"margin: {one_line(message, 600)}", file=sys.stderr)
    verb = "would import" if args.dry_run else "imported"
    print(
        f"margin: {verb} {outcome.added} new and {outcome.updated} updated annotation(s) from {one_line(args.file)} "
        f"({data.fmt}); {outcome.unchanged} kept as stored (the same, or changed here since)",
        file=sys.stderr,
    )
    for line in decision_lines(outcome, verb, corrections_file=data.fmt == CORRECTIONS_FORMAT):
        print(f"margin: {line}", file=sys.stderr)
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


def decision_lines(outcome: ImportOutcome, verb: str, corrections_file: bool = False) -> list[str]:
    """The summary of the user's speaker decisions an import carried (an export's
    speaker_corrections and quotes with `speaker_source` "user", or the checked quotes of
    `margin corrections export`), in the importer's words: restored, kept as stored, not imported."""
    decisions = outcome.decisions
    if not (decisions.added or decisions.same or decisions.differ or outcome.unplaced):
        return []
    what = "checked quotes of `margin corrections export`" if corrections_file else 'quotes whose speaker_source is "user"'
    lines = [f"{verb} {len(decisions.added)} speaker decision(s) of yours ({what}); {decisions.same} kept as stored (the same)"]
    if decisions.differ:

        def said(correction: SpeakerCorrection) -> str:
            return "not a quote" if correction.verdict == "not_a_quote" else one_line(correction.speaker or "", 60)

        shown = "; ".join(
            f"“{one_line(given.quote_text, 50)}”: {said(kept)} here, {said(given)} in the file"
            for given, kept in decisions.differ[:3]
        )
        more = f" and {len(decisions.differ) - 3} more" if len(decisions.differ) > 3 else ""
        lines.append(
            f"{len(decisions.differ)} speaker decision(s) kept as stored, not as in the file: this database has "
            f"another decision on the same quote ({shown}{more})"
        )
    if outcome.unplaced:
        hint = " (name the article file with --article PATH)" if corrections_file else ""
        lines.append(
            f"{outcome.unplaced} speaker decision(s) not imported: their quote has no place in its article's text "
            f"(an orphan){hint}"
        )
    return lines
