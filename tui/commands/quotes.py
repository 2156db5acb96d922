"""`margin quotes [PATH...] [--speaker NAME]`: every attributed quote of the library (or the given
paths), one row per quote, with the person it was merged into (as in People, with your merges and
splits). `--speaker` matches the person's name or any merged variant, case-insensitively.
`--quotes-from DIR` reads a Parquet quote table instead of a library (see speakers.py). The
user's speaker corrections apply as in People (speakers.py `read_corrections`): a corrected
quote is under its right person with speaker_source "user", "not a quote" is left out."""

from __future__ import annotations

import argparse
import sys

from tui.commands.common import CliError, json_text, shown_path
from tui.commands.speakers import add_source_options, load_people, write_csv, write_json
from tui.core.quote_table import QUOTE_COLUMNS  # the Parquet quote table has the same columns
from tui.core.text import one_line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin quotes",
        description="One row per attributed quote of your library (or the given paths): the article, the "
        "quote's character offsets and text, its cue, the speaker as written and the person it is merged "
        "into. Articles not analysed yet are analysed first (progress on stderr).",
    )
    add_source_options(parser)
    parser.add_argument(
        "--speaker", metavar="NAME", help="only this person's quotes (their name or any merged variant, any case)"
    )
    parser.add_argument(
        "--same",
        action="store_true",
        help="the same quote in other articles: one object per group, earliest first, "
        "with each version's word differences from the earliest",
    )
    parser.add_argument("--format", default="json", choices=["json", "jsonl", "csv"], help="output format (default: json)")
    return parser


def quote_record(person, quote, groups=None) -> dict:
    """The JSON record of one quote: the row of `quote_table.quote_row` (the columns of the CSV
    and of the Parquet quote table), its article's fields under "article"."""
    from tui.core.quote_table import quote_row

    group = groups.get((quote.article_id, quote.start, quote.end)) if groups is not None else None
    row = quote_row(person, quote, group)
    record = {
        "article": {
            "id": row.pop("article_id"),
            "title": row.pop("title"),
            "path": row.pop("path"),  # exact: a name that is not UTF-8 is escaped where it is written
            "date": row.pop("date"),
            "source": row.pop("source"),
        }
    }
    record.update(row)
    return record


def csv_row(record: dict) -> list:
    """A JSON record (`quote_record`) as the CSV row of QUOTE_COLUMNS (the path as `shown_path` shows it)."""
    article = record["article"]
    return [article["id"], article["title"], shown_path(article["path"]), article["date"], article["source"]] + [
        record[name] for name in QUOTE_COLUMNS[5:]
    ]


def run(args: argparse.Namespace) -> int:
    from tui.core.people import find_person, sort_people

    people, articles, model, problems = load_people(args)
    if args.speaker is not None:
        chosen = find_person(people, args.speaker)
        if not chosen:
            raise CliError(
                f"no speaker named {one_line(args.speaker, 100)!r} in {articles} article(s) (`margin speakers` lists them)"
            )
    else:
        chosen = sort_people(people, "name")
    from tui.core.people import same_quotes

    groups = same_quotes(people)
    if args.same:
        return write_groups(args, chosen, groups, model, articles, problems)
    records = [quote_record(p, q, groups) for p in chosen for q in p.quotes]
    records.sort(
        key=lambda r: (
            r["article"]["date"] is None,
            r["article"]["date"] or "",
            r["article"]["title"],
            r["article"]["id"],
            r["start"],
        )
    )
    if args.format == "csv":
        write_csv(QUOTE_COLUMNS, (csv_row(r) for r in records))
    elif args.format == "jsonl":
        for record in records:
            sys.stdout.write(json_text(record) + "\n")
    else:
        write_json({"model": model, "articles": articles, "quotes": records})
    return 1 if problems else 0


def write_groups(args, chosen, groups, model, articles, problems) -> int:
    """--same: each group (of the chosen people's quotes) once, its quotes earliest first, each with
    its word differences from the earliest."""
    from tui.core.people import word_differences

    wanted = {(q.article_id, q.start, q.end) for p in chosen for q in p.quotes}
    seen: dict[str, object] = {}
    for key, group in groups.items():
        if key in wanted and group.id not in seen:
            seen[group.id] = group
    ordered = sorted(seen.values(), key=lambda g: (g.members[0][1].date is None, g.members[0][1].date or "", g.id))
    documents = []
    for group in ordered:
        earliest = group.members[0][1].text
        quotes = []
        for person, quote in group.members:
            record = quote_record(person, quote, groups)
            record["differences"] = word_differences(earliest, quote.text)
            quotes.append(record)
        documents.append({"id": group.id, "articles": group.articles, "quotes": quotes})
    if args.format == "csv":  # QUOTE_COLUMNS hold the group's id already (`group`): one column, not two
        write_csv(
            QUOTE_COLUMNS + ["differences"],
            (
                [*csv_row(r), "; ".join(f"{x['op']}: {x['earliest']!r} -> {x['this']!r}" for x in r["differences"])]
                for d in documents
                for r in d["quotes"]
            ),
        )
    elif args.format == "jsonl":
        for document in documents:
            sys.stdout.write(json_text(document) + "\n")
    else:
        write_json({"model": model, "articles": articles, "groups": documents})
    return 1 if problems else 0
