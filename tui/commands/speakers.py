"""`margin speakers [PATH...]`: every speaker across the library (or the given files and folders),
one row per person — name variants merged as in the app's People view (`P`), with your merges
and splits. Uses the analysis cache; articles not analysed yet are analysed first (progress on
stderr). `--quotes-from DIR` reads a Parquet quote table (`margin analyze --all --engine dask
--quotes-out DIR`; tui/core/quote_table.py) instead, with the same output. `margin quotes`
(tui/commands/quotes.py) shares the loading code here."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from tui.commands.common import CliError, add_debug_option, json_text
from tui.core.text import displayable, one_line

PEOPLE_COLUMNS = ["name", "kind", "quotes", "articles", "outlets", "first", "last", "variants", "id"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (default: your library)")
    parser.add_argument("--library", metavar="DIR", help="with no PATH: the library folder")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline to use ('rules' for none)")
    parser.add_argument("--no-analyse", action="store_true", help="use only articles analysed already (never run spaCy)")
    parser.add_argument(
        "--quotes-from",
        metavar="DIR",
        help="read a Parquet quote table written by `margin analyze --all --engine dask "
        "--quotes-out DIR` instead of a library (needs the corpus extra)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="annotations database whose speaker corrections apply (read only; default: $MARGIN_DB or the user data dir)",
    )
    add_debug_option(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin speakers",
        description="One row per person quoted in your library (or the given paths): name, kind (person, "
        "organisation, description), the name variants merged into it, quotes, articles, outlets, first "
        "and last date. Articles not analysed yet are analysed first (progress on stderr).",
    )
    add_source_options(parser)
    parser.add_argument("--format", default="json", choices=["json", "csv"], help="output format (default: json)")
    return parser


def load_people(args: argparse.Namespace):
    """(people, number of articles, model description, problems) for the paths or library of `args`,
    or for the quote table `args.quotes_from`. A CliError (exit status 1) when there is no
    readable article, as in `margin analyze`."""
    if getattr(args, "quotes_from", None):
        return load_people_from_table(args)
    from tui.core.analysis.pipeline import ModelError
    from tui.core.analysis.service import Analyzer
    from tui.core.library import LibraryIndex, library_dir
    from tui.core.people import PeopleCache, collect, unique_entries

    roots = args.paths or [str(library_dir(args.library))]
    if not args.paths and not Path(roots[0]).is_dir():
        raise CliError(
            f"your library {roots[0]} does not exist yet: add articles with `margin add`, "
            "or name files or folders (e.g. margin speakers sample_articles)"
        )
    index = LibraryIndex(roots)
    index.load()
    index.refresh()
    entries = unique_entries(index.articles())
    problems = list(index.problems)
    for problem in problems:
        print(f"margin: {one_line(problem)}", file=sys.stderr)
    if not entries:  # as `margin analyze`: nothing to list is an error, not an empty list
        where = "among the given paths" if args.paths else f"in your library {one_line(roots[0])}"
        raise CliError(f"no readable article {where}")
    analyzer = Analyzer(model=args.model)
    cache = PeopleCache.for_analyzer(analyzer).load()
    missing = sum(1 for e in entries if cache.get(e.id) is None)
    live = sys.stderr.isatty()
    if missing:
        print(
            f"margin: {len(entries)} article(s); reading the quotes of {missing} "
            f"({'cached analyses only' if args.no_analyse else 'analysing those not analysed yet'})",
            file=sys.stderr,
        )
        if not args.no_analyse:
            try:
                analyzer.planned_model()
                if args.model:
                    analyzer.pipeline()
            except ModelError as exc:
                raise CliError(str(exc)) from None
    shown = {"last": -1}

    def progress(done: int, total: int) -> None:
        if done == shown["last"]:
            return
        shown["last"] = done
        line = f"margin: read {done}/{total} article(s) ({100 * done / max(1, total):.0f}%)"
        print(("\r" + line) if live else line, end="" if live else "\n", file=sys.stderr, flush=True)

    try:
        failures = collect(entries, analyzer, cache, analyse=not args.no_analyse, progress=progress)
    finally:
        if cache.dirty:
            cache.save()
    if live and missing:
        print(file=sys.stderr)
    for problem in failures:
        print(f"margin: {one_line(problem)}", file=sys.stderr)
    people = corrected_people(entries, cache.records, load_overrides(), read_corrections(args))
    return people, len(entries), analyzer.describe(), problems + failures


def read_corrections(args: argparse.Namespace) -> list:
    """The user's speaker corrections (`corrections.all_corrections`), read once, without writing:
    none when the database does not exist (it is not created). A database that cannot be read is a
    warning on stderr (the analysis' speakers are shown), or an error when named with --db; a
    damaged article file in it is named on stderr, skipped and left untouched."""
    from tui.commands.common import open_store, report_store_problems, resolve_db
    from tui.core.storage.errors import StoreError

    path, _explicit = resolve_db(getattr(args, "db", None))
    if not path.exists():
        if getattr(args, "db", None):
            raise CliError(f"--db {one_line(str(path))}: no such annotations database")
        return []
    try:
        store = open_store(getattr(args, "db", None), keep_damaged=True)  # a damaged file is skipped, untouched
        from tui.core.corrections import all_corrections

        corrections = all_corrections(store)
        report_store_problems(store)
        return corrections
    except (CliError, StoreError) as exc:
        if getattr(args, "db", None):
            raise CliError(str(exc)) from None
        print(f"margin: your speaker corrections are not applied: {one_line(str(exc))}", file=sys.stderr)
        return []


def corrected_people(entries, records, overrides, corrections: list):
    """People of `entries` (summaries `records`) with the user's merges and splits and speaker
    corrections applied, as the People view builds them (`PeopleIndex.update` with the
    corrections: a corrected quote moves to its person, "not a quote" is left out, and the
    quotes the user decided carry speaker_source "user"). A correction applies to the article
    id it was saved with (the reader re-anchors it when an article's text changes)."""
    from tui.core.people import PeopleIndex

    index = PeopleIndex(records=lambda: records)
    index.update(entries, records, corrections)
    return index.people(overrides)


def load_people_from_table(args: argparse.Namespace):
    """`load_people` for `--quotes-from DIR`: the People rows of a Parquet quote table, with the
    user's merges and splits."""
    if args.paths or args.library or args.model or args.no_analyse:
        given = (
            "PATH"
            if args.paths
            else next(
                o for o, v in (("--library", args.library), ("--model", args.model), ("--no-analyse", args.no_analyse)) if v
            )
        )
        raise CliError(f"--quotes-from reads a table analysed already: {given} cannot go with it")
    from tui.core.quote_table import QuoteTable, QuoteTableError

    corrections = read_corrections(args)
    try:
        table = QuoteTable(args.quotes_from)
        entries, records = table.entries_and_records()
    except QuoteTableError as exc:
        raise CliError(str(exc)) from None
    if not entries:
        raise CliError(f"no article in the quote table {one_line(str(table.folder))}")
    people = corrected_people(entries, records, load_overrides(), corrections)
    return people, table.articles, table.model or "?", []


def load_overrides():
    """Your People merges and splits; a people.json kept aside as damaged is said on stderr."""
    from tui.core.people import Overrides

    overrides = Overrides().load()
    if overrides.notice:
        print(f"margin: {one_line(overrides.notice, 400)}", file=sys.stderr)
    return overrides


def csv_cell(value, tty: bool) -> str:
    text = "" if value is None else str(value)
    if tty:
        text = displayable(text, keep_newlines=True)  # no escape sequence reaches the terminal
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(header: list[str], rows) -> None:
    tty = sys.stdout.isatty()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v, tty) for v in row])
    sys.stdout.write(buffer.getvalue())


def write_json(document) -> None:
    """Write `document` to stdout as indented JSON (`json_text`: a path that is not UTF-8 escaped, as `margin export` does)."""
    sys.stdout.write(json_text(document, indent=2) + "\n")


def run(args: argparse.Namespace) -> int:
    from tui.core.people import sort_people

    people, articles, model, problems = load_people(args)
    people = sort_people(people, "quotes")
    if args.format == "csv":
        write_csv(
            PEOPLE_COLUMNS,
            (
                [
                    p.name,
                    p.kind,
                    p.quote_count,
                    p.articles,
                    "; ".join(p.outlets),
                    p.first,
                    p.last,
                    "; ".join(v.name for v in p.variants),
                    p.id,
                ]
                for p in people
            ),
        )
    else:
        write_json({"model": model, "articles": articles, "people": [p.to_dict() for p in people]})
    return 1 if problems else 0
