"""`margin annotate PATH --exact TEXT --tag T [--note N]`: annotate a passage from the shell."""

from __future__ import annotations

import argparse
import sys

from tui.commands.common import CliError, add_db_options, open_store
from tui.core.text import is_valid_text, one_line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin annotate",
        description="Tag and/or note the passage TEXT of an article, as the reader would. Prints the annotation's id. "
        "If the passage is already annotated, the tags are added to it and the note replaces its note. "
        "With --kind quote, a passage that is part of a quote (one Margin's analysis found, or a quote "
        "annotation) annotates that whole quote, and --speaker names that quote's speaker.",
    )
    parser.add_argument("path", metavar="PATH", help="the article file")
    parser.add_argument(
        "--exact",
        metavar="TEXT",
        required=True,
        help="the passage, exactly as in the article "
        "(straight or curly quotes and runs of spaces are matched loosely if there is no exact match)",
    )
    parser.add_argument("--tag", metavar="T", action="append", default=[], help="a tag (repeat, or separate with commas)")
    parser.add_argument("--note", metavar="N", help="a note")
    parser.add_argument(
        "--occurrence", metavar="N", type=int, help="which occurrence of TEXT, if it occurs several times (1 = first)"
    )
    parser.add_argument(
        "--kind", choices=["selection", "sentence", "quote"], default="selection", help="what the passage is (default: selection)"
    )
    parser.add_argument(
        "--speaker",
        metavar="NAME",
        help="with --kind quote: who said it (your word: it wins over the analysis' speaker, "
        "on every piece of the quotation that shows the same speaker, as the reader's c does)",
    )
    add_db_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tui.core.anchoring import find_occurrences
    from tui.core.annotations import Annotation, normalise_tags, note_problem, tag_problem
    from tui.core.articles import ArticleError, load_article
    from tui.core.corrections import corrections_for, speaker_problem
    from tui.core.speaker_undo import decide
    from tui.core.storage.anchored import annotations_for_article
    from tui.core.storage.errors import StoreError

    _check_valid_text(args)
    tags = normalise_tags(",".join(args.tag))
    if not tags and not args.note:
        raise CliError("give at least one --tag or a --note")
    if args.speaker is not None and args.kind != "quote":
        raise CliError("--speaker is only for quotes: add --kind quote")
    speaker = " ".join(args.speaker.split()) if args.speaker is not None else None
    problem = tag_problem(tags) or note_problem(args.note or "") or (speaker_problem(speaker) if speaker is not None else None)
    if problem:
        raise CliError(problem.rstrip("."))
    try:
        article = load_article(args.path)
    except ArticleError as exc:
        raise CliError(str(exc)) from None
    for notice in article.notices:  # bad bytes replaced, say: the passage may differ from the file
        print(f"margin: {one_line(str(args.path))}: {notice}", file=sys.stderr)
    if not args.exact.strip():
        raise CliError("--exact is empty: give the words of the passage")
    found = find_occurrences(article.text, args.exact)
    if not found:
        raise CliError(f"the text {_short(args.exact)} is not in {args.path}")
    if args.occurrence is not None and not 1 <= args.occurrence <= len(found):
        raise CliError(f"--occurrence {args.occurrence}: the text occurs {len(found)} time(s) in {args.path}")
    if len(found) > 1 and args.occurrence is None:
        print(
            f"margin: the text occurs {len(found)} times in {one_line(args.path)}; using the first "
            "(choose another with --occurrence N)",
            file=sys.stderr,
        )
    start, end = found[(args.occurrence or 1) - 1]
    passage = (start, end)
    analysis = _cached_analysis(article) if args.kind == "quote" else None
    store = open_store(args.db)
    try:
        # One read-modify-write under one hold of the lock: a concurrent `margin annotate` (or
        # the app) cannot slip its change in between and lose it.
        with store.transaction():
            annotations = [a for a in annotations_for_article(store, article, _texts_in_library(article)) if not a.orphan]
            pieces: list = []
            if args.kind == "quote":  # the passage may be part of a quote: then the quote is annotated
                pieces = _quote_pieces(article, analysis, corrections_for(store, article), annotations, start, end)
                start, end = pieces[0].start, pieces[0].end
            existing = [a for a in annotations if (a.start, a.end) == (start, end)]
            if existing:
                annotation = existing[0]
                annotation.tags = annotation.tags + [
                    t for t in tags if t.casefold() not in {x.casefold() for x in annotation.tags}
                ]
                problem = tag_problem(annotation.tags)
                if problem:
                    raise CliError(problem.rstrip("."))
                if args.note is not None:
                    annotation.note = args.note
                if speaker:
                    annotation.kind, annotation.speaker = "quote", speaker
                store.update(annotation)
                what = "updated"
            else:
                annotation = Annotation.for_passage(
                    article, start, end, kind=args.kind, speaker=speaker, tags=tags, note=args.note or ""
                )
                store.add(annotation)
                what = "added"
            if speaker:  # a speaker correction, as the reader's `c` records it
                _made, problem = decide(store, article, pieces, "speaker", speaker)
                if problem is not None:
                    raise CliError(problem.rstrip("."))
    except StoreError as exc:
        raise CliError(str(exc)) from None
    others = f" and of the {len(pieces) - 1} other piece(s) of its quotation" if speaker and len(pieces) > 1 else ""
    if (start, end) != passage:
        said = (
            f"recorded {one_line(speaker)} as the speaker of the whole quote{others}"
            if speaker
            else "the whole quote is annotated"
        )
        print(
            f"margin: {_short(article.text[passage[0] : passage[1]])} is part of the quote "
            f"{_short(article.text[start:end])} at {start}..{end}: {said}",
            file=sys.stderr,
        )
    elif others:
        print(f"margin: recorded {one_line(speaker or '')} as the speaker of this quote{others}", file=sys.stderr)
    print(
        f"margin: {what} an annotation of {_short(article.text[start:end])} at {start}..{end} in {one_line(str(article.path))}",
        file=sys.stderr,
    )
    print(annotation.id)
    return 0


def _check_valid_text(args: argparse.Namespace) -> None:
    """Refuse a --tag, --note, --speaker or --exact with bytes that are not UTF-8 (the shell
    passes them as surrogates, which cannot be saved or matched), naming the option."""
    given = [("--tag", t) for t in args.tag] + [("--note", args.note), ("--speaker", args.speaker), ("--exact", args.exact)]
    for option, value in given:
        if value is not None and not is_valid_text(value):
            raise CliError(f"{option} is not valid text: it has bytes that are not UTF-8")


def _cached_analysis(article):
    """The analysis of the article when it is cached (spaCy is never run here), else None."""
    from tui.core.analysis.service import Analyzer

    return Analyzer().cached(article.text)


def _quote_pieces(article, analysis, corrections, annotations, start: int, end: int) -> list:
    """The quotes `--kind quote` on the passage start..end names, the one it is (or is part of)
    first: among the quotes of the article's cached `analysis`, those the user's speaker
    corrections add and the quote annotations, the shortest holding the passage, else the
    passage itself. A speaker named for it is recorded on it and, as the reader's `c` does, on
    the other pieces of its quotation that show the same speaker (`same_quotation`); each
    carries the analysis' own speaker, if any (for "speaker right in N of your M quotes")."""
    from tui.core.analysis.result import Quote, Speaker
    from tui.core.corrections import apply_corrections, model_speaker_at, same_quotation

    model = analysis.quotes if analysis is not None else []
    spans = [(q.start, q.end) for q in model]
    spans += [(c.start, c.end) for c in corrections if not c.orphan and c.verdict != "not_a_quote"]
    spans += [(a.start, a.end) for a in annotations if a.kind == "quote"]
    holding = [(s, e) for s, e in spans if s <= start and end <= e]
    start, end = min(holding, key=lambda span: span[1] - span[0], default=(start, end))
    found = next((q for q in model if (q.start, q.end) == (start, end)), None)
    if found is not None:
        return [found, *(q for q in same_quotation(model, apply_corrections(analysis, corrections).quotes, found) if q != found)]
    name = model_speaker_at(analysis, start, end) if analysis is not None else None
    before = Speaker(start, start, name, name) if name else None
    return [Quote(start, end, article.text[start:end], None, before)]


def _texts_in_library(article):
    """The texts of the library as Margin last indexed it (the user's library folder, and the
    article's own folder), each checked on its file when asked: annotations of a text that still
    exists there stay with it rather than move to this file's new text."""
    from pathlib import Path

    from tui.core.library import LibraryIndex, library_dir
    from tui.core.storage.anchored import TextsInLibrary

    def entries() -> dict[str, str]:  # read only if another text's annotations are at this path
        found: dict[str, str] = {}
        for root in (library_dir(), Path(article.path).parent):
            try:
                found.update((e.id, e.path) for e in LibraryIndex([root]).load() if e.id)
            except Exception:  # a cache only: without it, annotations are re-anchored as before
                pass
        return found

    return TextsInLibrary(entries, exclude=str(article.path))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
