"""`margin quotes [PATH...] [--speaker NAME]`: every attributed quote of the library (or the given
paths), one row per quote, with the person it was merged into (as in People, with your merges and
splits). `--speaker` matches the person's name or any merged variant, case-insensitively."""

from __future__ import annotations

import argparse
import json
import sys

from tui.commands.common import CliError
from tui.commands.speakers import add_source_options, load_people, write_csv, write_json
from tui.core.text import one_line, terminal_safe_json

QUOTE_COLUMNS = ["article_id", "title", "path", "date", "source", "start", "end", "text", "cue", "speaker",
                 "speaker_canonical", "person", "person_id", "kind", "speaker_source", "confidence", "method"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin quotes",
        description="One row per attributed quote of your library (or the given paths): the article, the "
        "quote's character offsets and text, its cue, the speaker as written and the person it is merged "
        "into. Articles not analysed yet are analysed first (progress on stderr).",
    )
    add_source_options(parser)
    parser.add_argument("--speaker", metavar="NAME",
                        help="only this person's quotes (their name or any merged variant, any case)")
    parser.add_argument("--format", default="json", choices=["json", "jsonl", "csv"],
                        help="output format (default: json)")
    return parser


def quote_record(person, quote) -> dict:
    return {
        "article": {"id": quote.article_id, "title": quote.title, "path": quote.path, "date": quote.date,
                    "source": quote.source},
        "start": quote.start, "end": quote.end, "text": quote.text, "cue": quote.cue,
        "speaker": quote.speaker, "speaker_canonical": quote.canonical,
        "person": person.name, "person_id": person.id, "kind": person.kind,
        "speaker_source": "model", "confidence": quote.confidence, "method": quote.method,
    }


def run(args: argparse.Namespace) -> int:
    from tui.core.people import find_person, sort_people

    people, articles, model, problems = load_people(args)
    if args.speaker is not None:
        chosen = find_person(people, args.speaker)
        if not chosen:
            raise CliError(f"no speaker named {one_line(args.speaker, 100)!r} in {articles} article(s) "
                           "(`margin speakers` lists them)")
    else:
        chosen = sort_people(people, "name")
    records = [quote_record(p, q) for p in chosen for q in p.quotes]
    records.sort(key=lambda r: (r["article"]["date"] is None, r["article"]["date"] or "", r["article"]["title"],
                                r["article"]["id"], r["start"]))
    if args.format == "csv":
        write_csv(QUOTE_COLUMNS, (
            [r["article"]["id"], r["article"]["title"], r["article"]["path"], r["article"]["date"],
             r["article"]["source"], r["start"], r["end"], r["text"], r["cue"], r["speaker"],
             r["speaker_canonical"], r["person"], r["person_id"], r["kind"], r["speaker_source"],
             r["confidence"], r["method"]]
            for r in records))
    elif args.format == "jsonl":
        for record in records:
            sys.stdout.write(terminal_safe_json(json.dumps(record, ensure_ascii=False)) + "\n")
    else:
        write_json({"model": model, "articles": articles, "quotes": records})
    return 1 if problems else 0
