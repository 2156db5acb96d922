"""`margin feeds add|list|remove|import|export`: your feed subscriptions.

`margin fetch` (tui.commands.fetch_feeds) fetches them into the library. The subscriptions, with
each feed's ETag and failures and every item already fetched, are kept in feeds.json in the data
dir. Feed titles and URLs are untrusted text: printed through `one_line`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.commands.common import CliError, add_debug_option, check_output, output_file, timeout_seconds, write_output_file
from tui.core.text import one_line


class _Parser(argparse.ArgumentParser):
    def parse_args(self, args=None, namespace=None):
        """`margin --library [DIR] feeds …`: the global option lands before the action, where its
        optional value would swallow the action's name; the feeds do not use it, so it goes."""
        args = list(args or [])
        i = 0
        while i < len(args) and args[i] not in ACTIONS:
            if args[i] == "--library":
                takes_value = i + 1 < len(args) and args[i + 1] not in ACTIONS and not args[i + 1].startswith("-")
                del args[i : i + 2 if takes_value else i + 1]
            else:
                i += 1
        return super().parse_args(args, namespace)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="margin feeds",
        description="Feed subscriptions (RSS, Atom, JSON Feed). `margin fetch` fetches their new "
        "articles, full text, into your library.",
    )
    _tolerate_globals(parser, top=True)
    sub = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=argparse.ArgumentParser)
    sub.required = True
    add = sub.add_parser("add", help="subscribe to a feed, or to the feed a web page links to")
    add.add_argument("url", metavar="URL")
    add.add_argument("--name", help="the feed's name (default: its title)")
    add.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=20.0,
        metavar="SECONDS",
        help="time limit for each request (default: 20, at most 600)",
    )
    sub.add_parser("list", help="your feeds, with when each was fetched and any failure")
    remove = sub.add_parser("remove", help="unsubscribe (the articles already fetched stay in the library)")
    remove.add_argument("feed", metavar="URL|NAME")
    imp = sub.add_parser("import", help="subscribe to every feed of an OPML file")
    imp.add_argument("file", metavar="FILE.opml")
    exp = sub.add_parser("export", help="your feeds as OPML (stdout, or -o FILE)")
    exp.add_argument(
        "-o",
        "--output",
        type=output_file,
        metavar="FILE",
        help="write to FILE (atomically; not over an existing file without --force; - for stdout)",
    )
    exp.add_argument("--force", action="store_true", help="overwrite FILE")
    for p in (add, remove, imp, exp, sub.choices["list"]):
        _tolerate_globals(p)
    return parser


def _tolerate_globals(parser: argparse.ArgumentParser, top: bool = False) -> None:
    """Margin's global options may come with any sub-command; these ones do not use them."""
    names = {a for action in parser._actions for a in action.option_strings}
    if "--debug" not in names:
        add_debug_option(parser)
    for option, nargs in (("--db", None), ("--model", None), ("--library", "?")):
        if option == "--library" and top:
            continue  # taken out before parsing
        if option not in names:
            parser.add_argument(option, nargs=nargs, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from tui.core.feeds import FeedError, FeedState

    state = FeedState()
    try:
        return ACTIONS[args.action](args, state)
    except FeedError as exc:
        raise CliError(str(exc)) from None
    finally:
        if state.notice:  # the feeds file was not understood: kept aside
            print(f"margin: {one_line(state.notice, 400)}", file=sys.stderr)


def _add(args, state) -> int:
    from tui.commands.add import url_problem
    from tui.core.feeds import discover
    from tui.core.fetch import FetchError, is_url

    url = args.url.strip()
    if not is_url(url):
        raise CliError(f"{one_line(url, 200)}: only http:// and https:// addresses can be subscribed to")
    problem = url_problem(url)
    if problem:
        raise CliError(problem)
    try:
        feed_url, doc = discover(url, timeout=args.timeout)
    except FetchError as exc:
        raise CliError(str(exc)) from None
    title = args.name or doc.title
    if not state.add(feed_url, title, doc.link):
        print(f"already subscribed: {one_line(feed_url, 200)}")
        return 0
    via = f" (found on {one_line(url, 200)})" if feed_url != url else ""
    print(
        f"subscribed: {one_line(title, 100)} — {one_line(feed_url, 200)}{via}; {len(doc.items)} item(s) now. "
        "Fetch them with: margin fetch"
    )
    return 0


def _list(args, state) -> int:
    from tui.core.feeds import FAIL_LIMIT

    feeds = state.feeds()
    if not feeds:
        print("no feeds yet; add one with: margin feeds add URL")
        return 0
    for feed in feeds:
        line = f"{one_line(feed.get('title') or feed['url'], 60)}  {one_line(feed['url'], 200)}"
        if feed.get("checked"):
            line += f"  (fetched {feed['checked']})"
        failures = feed.get("failures") or 0
        if failures >= FAIL_LIMIT:
            line += f"  FAILING: {failures} times in a row, skipped until `margin fetch --retry-failed` — {one_line(feed.get('error') or '', 200)}"
        elif failures:
            line += f"  last fetch failed: {one_line(feed.get('error') or '', 200)}"
        print(line)
    print(f"{len(feeds)} feed(s)")
    return 0


def _remove(args, state) -> int:
    feed = state.remove(args.feed)
    print(
        f"unsubscribed: {one_line(feed.get('title') or feed['url'], 100)} — {one_line(feed['url'], 200)} "
        "(its articles stay in your library)"
    )
    return 0


def _import(args, state) -> int:
    from tui.commands.add import url_problem
    from tui.core.feeds import FeedError, read_opml
    from tui.core.fetch import is_url

    path = Path(args.file).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        feeds = read_opml(data)
    except FeedError as exc:
        raise CliError(f"{path}: {exc}") from None
    added = already = bad = 0
    for feed in feeds:
        if not is_url(feed["url"]):
            print(f"margin: skipped {one_line(feed['url'], 200)}: not an http(s) address", file=sys.stderr)
            bad += 1
        elif url_problem(feed["url"]):
            print(f"margin: skipped {url_problem(feed['url'])}", file=sys.stderr)
            bad += 1
        elif state.add(feed["url"], feed["title"], feed["site"]):
            added += 1
        else:
            already += 1
    others = []
    if already:
        others.append(f"{already} already subscribed")
    if bad:
        others.append(f"{bad} skipped")
    if added:
        print(
            f"{added} feed(s) added from {one_line(str(path))}"
            + "".join(f", {o}" for o in others)
            + ". Fetch them with: margin fetch"
        )
    else:  # nothing new to fetch: no suggestion to
        print(f"no feed added from {one_line(str(path))}: " + (", ".join(others) or "it lists no feed"))
    return 1 if bad else 0


def _export(args, state) -> int:
    from tui.core.feeds import write_opml

    check_output(args.output, args.force, args.db)
    text = write_opml(state.feeds())
    if not args.output:
        sys.stdout.write(text)
        return 0
    write_output_file(args.output, text, args.force, args.db)
    print(f"{len(state.feeds())} feed(s) written to {one_line(args.output)}", file=sys.stderr)
    return 0


ACTIONS = {"add": _add, "list": _list, "remove": _remove, "import": _import, "export": _export}
