"""`margin [PATH...]`: open the library (default: the bundled sample articles) in the terminal UI."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui import __version__
from tui.commands.common import CliError, add_db_options, open_store


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin",
        description="A keyboard-first terminal reader for news articles: entities, quotes, tags and notes.",
        epilog="Commands: margin export --help, margin analyze --help.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (default: the sample articles)")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline to use (default: the best installed English one; 'rules' for none)")
    parser.add_argument("--version", action="version", version=f"margin {__version__}")
    add_db_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tui.core.paths import SAMPLE_ARTICLES

    paths = args.paths or [str(SAMPLE_ARTICLES)]
    missing = [p for p in paths if not Path(p).expanduser().exists()]
    if len(missing) == len(paths):
        raise CliError(f"no such file or folder: {missing[0]}")
    store = open_store(args.db)
    from tui.ui.app import MarginApp

    app = MarginApp(paths=paths, store=store, model=args.model, debug=args.debug)
    app.run()
    return app.return_code or 0
