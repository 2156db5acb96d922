"""`margin fetch`: fetch every subscribed feed's new articles, full text, into the library.

One line per feed (new, updated, unchanged, or the error and its reason); the rest are fetched
when one fails. `--every 30m` fetches again and again until interrupted. Exit status 1 when a
feed failed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time

from tui.commands.common import CliError, add_debug_option, library_hint, positive_int, timeout_seconds
from tui.core.text import one_line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin fetch",
        description="Fetch your feeds (see `margin feeds`): each new item's full article text from its "
        "page, else the feed's own text, saved as Markdown in your library.",
    )
    parser.add_argument("feeds", nargs="*", metavar="URL|NAME", help="only these feeds (default: all)")
    parser.add_argument(
        "--library", nargs="?", metavar="DIR", help="library folder (default: $MARGIN_LIBRARY or the user data dir)"
    )
    parser.add_argument(
        "--retry-failed", action="store_true", help="also fetch feeds skipped after failing several times in a row"
    )
    parser.add_argument("--every", metavar="INTERVAL", help="keep running: fetch again every INTERVAL (30m, 1h, 90s)")
    parser.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=20.0,
        metavar="SECONDS",
        help="time limit for each request (default: 20, at most 600)",
    )
    parser.add_argument(
        "--jobs",
        type=positive_int,
        default=8,
        metavar="N",
        help="feeds fetched at once, one request at a time per host (default: 8)",
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="then analyse the new and updated articles into the cache (as `margin analyze --all`), so they open highlighted at once",
    )
    parser.add_argument("--model", metavar="NAME", help="with --analyze: the spaCy pipeline ('rules' for none)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary")
    parser.add_argument("--db", help=argparse.SUPPRESS)
    add_debug_option(parser)
    return parser


def parse_interval(value: str) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value or "", re.IGNORECASE)
    if not match:
        raise CliError(f"--every {one_line(value, 40)}: give a duration such as 30m, 1h or 90s")
    seconds = float(match.group(1)) * {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2).lower()]
    if seconds < 60:
        raise CliError("--every: at least one minute between fetches (be kind to the feeds' servers)")
    return seconds


def fetch_once(args) -> int:
    from tui.core.feeds import FeedError, FeedState, fetch_feeds
    from tui.core.library import library_dir

    library = library_dir(args.library)
    state = FeedState()
    try:
        feeds = state.feeds()
        if state.notice:  # the feeds file was not understood: kept aside
            print(f"margin: {one_line(state.notice, 400)}", file=sys.stderr)
        if not feeds:
            print("no feeds yet; add one with: margin feeds add URL")
            return 0
        report = fetch_feeds(
            library,
            state=state,
            timeout=args.timeout,
            jobs=args.jobs,
            retry_failed=args.retry_failed,
            only=args.feeds or None,
            waiting=lambda: print("another fetch is running; waiting for it to finish…", file=sys.stderr),
        )
    except FeedError as exc:
        raise CliError(str(exc)) from None
    for notice in report.notices:  # the items file was not understood: kept aside
        print(f"margin: {one_line(notice, 400)}", file=sys.stderr)
    for result in report.feeds:
        name = one_line(result.title, 60)
        if result.error:
            print(f"margin: {name}: error: {one_line(result.error, 400)}", file=sys.stderr)
        elif result.skipped:
            print(f"margin: {name}: skipped: {one_line(result.skipped, 400)}", file=sys.stderr)
        elif not args.quiet:
            if result.unchanged:
                print(f"{name}: unchanged")
            else:
                print(
                    f"{name}: {result.new} new"
                    + (f", {result.updated} updated" if result.updated else "")
                    + (f", {result.skipped_items} skipped" if result.skipped_items else "")
                )
        if not args.quiet:
            for note in result.notes:
                print(f"  {one_line(note, 300)}", file=sys.stderr)
    failed = len(report.errors)
    print(
        f"{report.new} new article(s), {report.updated} updated, from {len(report.feeds)} feed(s) into "
        f"{one_line(str(library))}"
        + (f"; {report.skipped_items} item(s) skipped (too little text)" if report.skipped_items else "")
        + (f"; {failed} feed(s) failed" if failed else "")
        + f" ({report.seconds:.1f} s). Open your library with: {library_hint(args.library)}"
    )
    status = 1 if failed else 0
    paths = [path for result in report.feeds for path in result.paths]
    if args.analyze and paths:
        from tui.commands.analyze import run_all

        analysed = run_all(argparse.Namespace(paths=paths, model=args.model, library=None, jobs=None))
        status = status or analysed
    return status


def run(args: argparse.Namespace) -> int:
    if not args.every:
        return fetch_once(args)
    interval = parse_interval(args.every)
    while True:
        status = fetch_once(args)
        print(f"next fetch in {args.every.strip()} (ctrl+c stops)", file=sys.stderr)
        try:
            time.sleep(interval)
        except KeyboardInterrupt:
            return status
