"""`margin chart speakers|timeline NAME|tags [--output FILE.txt]`: People's charts in the shell.

speakers: the most-quoted people of the library (or the given paths), as bars; timeline NAME: one
person's quotes per month (per year over a long span); tags: how many annotations carry each tag.
Drawn with plotext as text: colours only on a terminal, plain text (no escape sequences) when
the output is a file or a pipe, or with `--output` / `--plain`. The data and the drawing are
`tui.core.charts`, the same as the app's chart screen (`v` in People and a timeline).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys

from tui.commands.common import (
    CliError,
    add_db_options,
    check_output,
    open_store_to_read,
    output_file,
    report_store_problems,
    write_output_file,
)
from tui.commands.speakers import add_source_options, load_people
from tui.core.text import one_line

_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin chart",
        description="Charts of your library as text: the most-quoted people, one person's quotes over time, "
        "tag counts. Plain text when written to a file or a pipe.",
    )
    sub = parser.add_subparsers(dest="chart", metavar="CHART", required=True)
    speakers = sub.add_parser(
        "speakers",
        help="the most-quoted people (bars)",
        description="The most-quoted people of your library (or PATHs), as bars.",
    )
    add_source_options(speakers)
    speakers.add_argument("--limit", type=int, default=15, metavar="N", help="how many people (default 15)")
    speakers.add_argument(
        "--all-kinds", action="store_true", help="organisations and descriptions ('a spokeswoman') too, not only people"
    )
    timeline = sub.add_parser(
        "timeline",
        help="one person's quotes over time",
        description="One person's quotes per month (per year over more than four years). "
        "NAME matches any merged variant, case-insensitively, as in `margin quotes --speaker`.",
    )
    timeline.add_argument("name", metavar="NAME", help="the person (any name variant)")
    add_source_options(timeline)
    tags = sub.add_parser(
        "tags",
        help="how many annotations carry each tag",
        description="How many of your annotations carry each tag (the most used first).",
    )
    tags.add_argument("--limit", type=int, default=20, metavar="N", help="how many tags (default 20)")
    add_db_options(tags)
    for each in (speakers, timeline, tags):
        each.add_argument(
            "-o", "--output", type=output_file, metavar="FILE", help="write the chart (plain text) to FILE (- for stdout)"
        )
        each.add_argument("--force", action="store_true", help="overwrite an existing output file")
        each.add_argument("--plain", action="store_true", help="no colours even on a terminal")
        each.add_argument("--width", type=int, metavar="COLUMNS", help="width (default: the terminal's, or 80)")
        each.add_argument("--height", type=int, metavar="LINES", help="height (default: fits the chart)")
    return parser


def make_chart(args: argparse.Namespace):
    from tui.core import charts

    if args.chart == "tags":
        if args.limit < 1:
            raise CliError("--limit must be 1 or more")
        store = open_store_to_read(args.db)  # a --db that does not exist is refused, never created
        annotations = store.all() if store is not None else []
        return charts.tags_chart(annotations, limit=args.limit), report_store_problems(store)
    people, _articles, _model, problems = load_people(args)
    if args.chart == "speakers":
        if args.limit < 1:
            raise CliError("--limit must be 1 or more")
        kinds = charts.KINDS_ALL if args.all_kinds else ("person",)
        return charts.speakers_chart(people, limit=args.limit, kinds=kinds), len(problems)
    from tui.core.people import find_person

    found = find_person(people, args.name)
    if not found:
        raise CliError(f"no speaker named {one_line(args.name, 100)!r} (`margin speakers` lists them)")
    if len(found) > 1:
        names = ", ".join(one_line(p.name, 40) for p in found[:5])
        raise CliError(f"{one_line(args.name, 100)!r} could be {len(found)} people ({names}): give the full name")
    return charts.timeline_chart(found[0]), len(problems)


def render(chart, width: int, height: int | None, colour: bool) -> str:
    """The chart as text, `width` columns wide: plotext with colours, or plain."""
    import plotext as plt

    from tui.core import charts

    if height is None:
        height = charts.fitting_height(chart)
    plt.clear_figure()
    plt.limitsize(False, False)  # the size asked for, not the terminal's (a pipe has none: 24 lines)
    plt.plotsize(max(30, width), max(8, height))
    plt.theme("pro" if colour else "clear")
    charts.draw(plt, chart, color="cyan" if colour else None)
    text = plt.build()
    plt.clear_figure()
    if not colour:
        text = _ESCAPE.sub("", text)
    lines = [line.rstrip() for line in text.splitlines()]
    if chart.is_empty:
        lines = [chart.title, "", chart.empty]
    if chart.note:
        lines += ["", chart.note]
    return "\n".join(lines).rstrip("\n") + "\n"


def run(args: argparse.Namespace) -> int:
    to_file = bool(args.output)
    colour = not to_file and not args.plain and sys.stdout.isatty()
    width = args.width
    if width is None:  # not `args.width or …`: --width 0 is refused, not the default
        width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() and not to_file else 80
    if width < 30 or (args.height is not None and args.height < 8):
        raise CliError("a chart needs at least 30 columns (--width) and 8 lines (--height)")
    check_output(args.output, args.force, args.db)  # before any work (the chart may analyse articles)
    chart, problems = make_chart(args)
    text = render(chart, min(width, 400), args.height, colour)
    if to_file:
        write_output_file(args.output, text, args.force, args.db)
        print(f"margin: chart written to {one_line(args.output, 200)}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if problems else 0
