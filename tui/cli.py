"""Margin's command line: `margin [PATH...]` opens the reader; `margin export`, `margin analyze`."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from tui import __version__

COMMANDS = ("export", "analyze")


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def _db_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="annotations database (default: $MARGIN_DB or the user data dir)")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")


def _open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin",
        description="A keyboard-first terminal reader for news articles: entities, quotes, tags and notes.",
        epilog="Other commands: margin export --help, margin analyze --help.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (default: the sample articles)")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline to use (default: the best installed English one; 'rules' for none)")
    parser.add_argument("--version", action="version", version=f"margin {__version__}")
    _db_args(parser)
    return parser


def _export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="margin export", description="Write annotations as JSON (stdout by default).")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--format", default="json", choices=["json"], help="output format (default: json)")
    parser.add_argument("--article", metavar="ID|PATH", help="only this article (its id or file path)")
    parser.add_argument("--tag", metavar="TAG", help="only annotations with this tag")
    parser.add_argument("--force", action="store_true", help="overwrite an existing output file")
    _db_args(parser)
    return parser


def _analyze_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="margin analyze", description="Print entities and quotes of articles, with character offsets.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    parser.add_argument("--format", default="json", choices=["json", "text"], help="output format (default: json)")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline to use")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    return parser


def resolve_db(arg: str | None) -> tuple[Path, bool]:
    """(database path, explicit?) from --db, $MARGIN_DB or the default."""
    from tui.core.paths import default_db_path

    if arg:
        return Path(arg).expanduser(), True
    return default_db_path(), bool(os.environ.get("MARGIN_DB"))


def open_store(arg: str | None):
    from tui.core.store import AnnotationStore, StoreError

    path, explicit = resolve_db(arg)
    try:
        store = AnnotationStore.open(path, explicit=explicit)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    if store.notice:
        print(f"margin: {store.notice}", file=sys.stderr)
    return store


def run_open(args: argparse.Namespace) -> int:
    from tui.core.paths import SAMPLE_ARTICLES

    paths = args.paths or [str(SAMPLE_ARTICLES)]
    missing = [p for p in paths if not Path(p).expanduser().exists()]
    if missing and len(missing) == len(paths):
        raise CliError(f"no such file or folder: {missing[0]}")
    store = open_store(args.db)
    from tui.ui.app import MarginApp

    app = MarginApp(paths=paths, store=store, model=args.model)
    app.run()
    return app.return_code or 0


def run_export(args: argparse.Namespace) -> int:
    from tui.core.export import export_json_document
    from tui.core.output import write_output

    store = open_store(args.db)
    annotations = store.all()
    if args.article:
        wanted = args.article
        as_path = str(Path(wanted).expanduser().resolve())
        annotations = [a for a in annotations if a.article_id == wanted or a.article_path == as_path]
    if args.tag:
        annotations = [a for a in annotations if args.tag.casefold() in (t.casefold() for t in a.tags)]
    import json

    payload = json.dumps(export_json_document(annotations), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        try:
            write_output(Path(args.output), payload, force=args.force)
        except (OSError, FileExistsError) as exc:
            raise CliError(str(exc)) from None
        print(f"margin: wrote {len(annotations)} annotation(s) to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(payload)
    return 0


def run_analyze(args: argparse.Namespace) -> int:
    from tui.core.analysis.pipeline import ModelError
    from tui.core.analysis.report import analysis_report, format_text_report
    from tui.core.analysis.service import Analyzer
    from tui.core.articles import load_articles

    articles, problems = load_articles(args.paths)
    for problem in problems:
        print(f"margin: {problem}", file=sys.stderr)
    if not articles:
        raise CliError("no readable article among the given paths")
    analyzer = Analyzer(model=args.model)
    try:
        analyzer.pipeline()
    except ModelError as exc:
        raise CliError(str(exc)) from None
    print(f"margin: using spaCy pipeline {analyzer.describe()}", file=sys.stderr)
    reports = [analysis_report(article, analyzer.analyze(article.text)) for article in articles]
    if args.format == "text":
        sys.stdout.write("".join(format_text_report(r) for r in reports))
    else:
        import json

        sys.stdout.write(json.dumps({"model": analyzer.describe(), "articles": reports}, ensure_ascii=False, indent=2) + "\n")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        command, rest = argv[0], argv[1:]
        parser = {"export": _export_parser, "analyze": _analyze_parser}[command]()
        runner = {"export": run_export, "analyze": run_analyze}[command]
    else:
        parser, rest, runner = _open_parser(), argv, run_open
    args = parser.parse_args(rest)
    try:
        return runner(args)
    except CliError as exc:
        print(f"margin: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # never a bare traceback in the user's face
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            print(f"margin: error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
