"""`margin analyze PATH...`: entities and quotes with character offsets (JSON or text)."""

from __future__ import annotations

import argparse
import json
import sys

from tui.commands.common import CliError, add_debug_option
from tui.core.text import one_line, terminal_safe_json


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="margin analyze", description="Print entities and quotes of articles, with character offsets.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    parser.add_argument("--format", default="json", choices=["json", "text"], help="output format (default: json)")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline to use ('rules' for none)")
    add_debug_option(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tui.core.analysis.pipeline import ModelError
    from tui.core.analysis.report import analysis_report, format_text_report
    from tui.core.analysis.service import Analyzer
    from tui.core.articles import load_articles

    articles, problems = load_articles(args.paths)
    for problem in problems:
        print(f"margin: {one_line(problem)}", file=sys.stderr)
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
        document = {"model": analyzer.describe(), "articles": reports}
        sys.stdout.write(terminal_safe_json(json.dumps(document, ensure_ascii=False, indent=2)) + "\n")
    return 1 if problems else 0
