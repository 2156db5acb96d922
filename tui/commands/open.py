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
        epilog="Commands (each has --help): margin add (files or URLs into your library), margin export, "
        "margin import, margin annotate, margin analyze, margin feeds (subscriptions), margin fetch (your feeds "
        "into your library), margin speakers and margin quotes (who said what across articles), "
        "margin chart (most-quoted people, one person's quotes over time, tag counts), "
        "margin corrections export (your speaker corrections as training JSONL). "
        "With no PATH Margin opens the bundled sample articles; "
        "`margin --library` opens your library folder ($MARGIN_LIBRARY or the user data dir).",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="article files or folders: .txt, .md, .html (default: the sample articles)"
    )
    parser.add_argument(
        "--library",
        nargs="?",
        const="",
        default=None,
        metavar="DIR",
        help="open your library (the folder `margin add` fills; DIR overrides $MARGIN_LIBRARY and the default)",
    )
    parser.add_argument(
        "--model", metavar="NAME", help="spaCy pipeline to use (default: the best installed English one; 'rules' for none)"
    )
    parser.add_argument(
        "--quotes-from",
        metavar="DIR",
        help="open on the People view over a Parquet quote table "
        "(made by `margin analyze --all --engine dask --quotes-out DIR`; needs the corpus extra)",
    )
    parser.add_argument("--version", action="version", version=f"margin {__version__}")
    add_db_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tui.core.paths import SAMPLE_ARTICLES

    if args.library is not None:
        from tui.core.library import library_dir

        library = library_dir(args.library or None)
        try:
            library.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"{library}: the library folder cannot be created ({exc.strerror or exc})") from None
        paths = [str(library)] + list(args.paths)
    else:
        paths = args.paths or [str(SAMPLE_ARTICLES)]
    missing = [p for p in paths if not Path(p).expanduser().exists()]
    if len(missing) == len(paths):
        raise CliError(f"no such file or folder: {missing[0]}")
    if args.model:
        check_model_name(args.model)
    if args.quotes_from:
        from tui.core.quote_table import QuoteTable, QuoteTableError

        try:
            QuoteTable(Path(args.quotes_from).expanduser())
        except QuoteTableError as exc:
            raise CliError(str(exc)) from None
    check_terminal()
    import gc

    # Start-up makes a few hundred thousand objects that live as long as the app (Textual's
    # classes, the library index) and next to no garbage: the cyclic GC would only walk them,
    # again and again. It is off until the first frame is on screen; then what exists is frozen
    # (never walked again) and the GC is on (MarginApp.on_mount).
    gc.disable()
    try:
        store = open_store(args.db)
        from tui.ui.app import MarginApp

        app = MarginApp(paths=paths, store=store, model=args.model, debug=args.debug, quotes_from=args.quotes_from)
        app.run()
    finally:
        gc.enable()
    # Everything is saved and closed by now. What is left (the index of a large library, every
    # widget) is freed as the interpreter exits: frozen, the exit's garbage collections skip it
    # instead of walking it several times (~90 ms at 10,000 articles, bench/startup.py).
    gc.freeze()
    return app.return_code or 0


def check_terminal() -> None:
    """The reader needs a terminal on stdin and stdout, unless a Textual driver is set in the
    environment (TEXTUAL_DRIVER, as headless runs set one): without one it would spin."""
    import os
    import sys

    if os.environ.get("TEXTUAL_DRIVER"):
        return
    streams = {"stdin": sys.stdin, "stdout": sys.stdout}
    missing = [name for name, stream in streams.items() if stream is None or not _isatty(stream)]
    if missing:
        raise CliError(
            f"the reader needs a terminal, and {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not one; "
            "scripts can use margin export, import, annotate or analyze"
        )


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (ValueError, OSError):
        return False


def check_model_name(name: str) -> None:
    """Refuse an unknown --model before the UI starts (without importing spaCy)."""
    import importlib.util

    from tui.core.analysis.pipeline import RULES_MODEL, installed_english_pipelines

    if name == RULES_MODEL or Path(name).expanduser().is_dir():
        return
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        installed = ", ".join(installed_english_pipelines()) or "none"
        raise CliError(
            f"no spaCy pipeline named {name!r} is installed (installed English pipelines: {installed}; 'rules' runs without one)"
        )
