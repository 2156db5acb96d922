"""`margin analyze PATH...`: entities and quotes with character offsets (JSON or text);
`margin analyze --all`: pre-analyse a whole library into the cache, with progress, resumable;
`margin analyze CORPUS... --all --engine dask`: the same on a Dask cluster, optionally into Parquet tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.commands.common import CliError, add_debug_option, json_text, positive_int, shown_path
from tui.core.text import one_line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin analyze",
        description="Print entities and quotes of articles, with character offsets. With --all, analyse "
        "every article of your library (or of the given paths) into the cache instead, so they open "
        "with highlights at once; an interrupted run resumes where it stopped.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders")
    parser.add_argument("--format", default="json", choices=["json", "text"], help="output format (default: json)")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline to use ('rules' for none)")
    parser.add_argument("--all", action="store_true", help="pre-analyse the library (or PATHs) into the cache")
    parser.add_argument("--library", metavar="DIR", help="with --all and no PATH: the library folder")
    parser.add_argument("--jobs", type=positive_int, metavar="N", help="with --all: worker processes (default: cores, at most 4)")
    parser.add_argument(
        "--engine",
        default="local",
        choices=["local", "dask"],
        help="with --all: 'local' (processes on this machine, the default) or 'dask' (a Dask "
        "cluster; needs the corpus extra: pip install 'margin-reader[corpus]')",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: an existing scheduler (tcp://host:8786) instead of a local cluster",
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="with --engine dask and no --scheduler: local worker processes (default: cores, at most 4)",
    )
    parser.add_argument(
        "--quotes-out",
        metavar="DIR",
        help="with --engine dask: also write Parquet quote, entity and article tables to DIR "
        "(resumable; re-runs update it; `margin speakers|quotes --quotes-from DIR` read it)",
    )
    add_debug_option(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    dask_only = [
        name
        for name, value in (("--scheduler", args.scheduler), ("--workers", args.workers), ("--quotes-out", args.quotes_out))
        if value is not None
    ]
    if args.engine == "dask" and not args.all:
        raise CliError("--engine dask analyses a corpus into the cache: add --all")
    if dask_only and args.engine != "dask":
        raise CliError(f"{dask_only[0]} needs --engine dask")
    if args.all and args.engine == "dask":
        return run_dask(args)
    if args.all:
        return run_all(args)
    if not args.paths:
        raise CliError("give article files or folders, or --all for the whole library")
    from tui.core.analysis.pipeline import ModelError
    from tui.core.analysis.report import analysis_report, format_text_report
    from tui.core.analysis.service import Analyzer
    from tui.core.folders import load_articles

    articles, problems = load_articles(args.paths)
    for problem in problems:
        print(f"margin: {one_line(problem)}", file=sys.stderr)
    if not articles:
        raise CliError("no readable article among the given paths")
    for article in articles:  # how a file was read (bad bytes replaced…): its passages may differ from it
        for notice in getattr(article, "notices", ()):
            print(f"margin: {one_line(str(article.path))}: {one_line(notice)}", file=sys.stderr)
    analyzer = Analyzer(model=args.model)
    try:
        analyzer.pipeline()
    except ModelError as exc:
        raise CliError(str(exc)) from None
    print(f"margin: using spaCy pipeline {one_line(analyzer.describe())}", file=sys.stderr)
    analyses = analyzer.analyze_many([article.text for article in articles])
    reports = [analysis_report(article, analysis) for article, analysis in zip(articles, analyses)]
    if args.format == "text":
        for report in reports:  # a file name that is not UTF-8: shown escaped, not lost
            report["article"]["path"] = shown_path(report["article"]["path"])
        sys.stdout.write("".join(format_text_report(r) for r in reports))
    else:
        document = {"model": analyzer.describe(), "articles": reports}
        sys.stdout.write(json_text(document, indent=2) + "\n")
    return 1 if problems else 0


def run_all(args: argparse.Namespace) -> int:
    from tui.core.analysis.batch import analyse_all, default_jobs, pending
    from tui.core.analysis.pipeline import ModelError
    from tui.core.analysis.service import Analyzer
    from tui.core.folders import discover
    from tui.core.library import library_dir

    roots = args.paths or [str(library_dir(args.library))]
    if not args.paths and Path(roots[0]).exists() and not Path(roots[0]).is_dir():
        raise CliError(f"{roots[0]} is a file, not a library folder")
    if not args.paths and not Path(roots[0]).is_dir():
        raise CliError(
            f"your library {roots[0]} does not exist yet: add articles with `margin add`, "
            "or name folders to analyse (e.g. margin analyze --all sample_articles)"
        )
    files, problems = discover(roots)
    for problem in problems:
        print(f"margin: {one_line(problem)}", file=sys.stderr)
    analyzer = Analyzer(model=args.model)
    try:
        analyzer.pipeline()
    except ModelError as exc:
        raise CliError(str(exc)) from None
    todo, cached, unreadable = pending(files, analyzer)
    for problem in unreadable:
        print(f"margin: {one_line(problem)}", file=sys.stderr)
    jobs = max(1, args.jobs or default_jobs())
    print(
        f"margin: {len(files)} article file(s) in {', '.join(one_line(r) for r in roots)}; {cached} already analysed; "
        f"{len(todo)} to analyse with {one_line(analyzer.describe())} in {jobs} process(es)",
        file=sys.stderr,
    )
    live = sys.stderr.isatty()

    def report(progress, batch_problems) -> None:
        for problem in batch_problems:
            print(("\n" if live else "") + f"margin: {one_line(problem)}", file=sys.stderr)
        left = progress.seconds_left
        line = (
            f"margin: analysed {progress.done}/{progress.total} ({100 * progress.done / progress.total:.0f}%) · "
            f"{progress.words_per_second:,.0f} words/s" + (f" · about {left:.0f} s left" if left is not None else "")
        )
        print(("\r" + line) if live else line, end="" if live else "\n", file=sys.stderr, flush=True)

    try:
        progress = analyse_all(todo, args.model, analyzer.cache.parent, jobs, report)
    except KeyboardInterrupt:
        print("\nmargin: interrupted; finished articles are cached, run the same command to resume", file=sys.stderr)
        return 130
    if live and todo:
        print(file=sys.stderr)
    print(
        f"margin: done: {progress.done - progress.failed} analysed, {cached} were cached, "
        f"{progress.failed + len(unreadable)} failed",
        file=sys.stderr,
    )
    return 1 if (problems or unreadable or progress.failed) else 0


def run_dask(args: argparse.Namespace) -> int:
    """--all --engine dask: the corpus on a Dask cluster (tui/core/corpus.py)."""
    if args.jobs is not None:
        raise CliError("--jobs is for --engine local; with --engine dask use --workers N (or --scheduler)")
    if args.workers is not None and args.scheduler:
        raise CliError("--workers starts a local cluster; an existing --scheduler has its own workers")
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers needs at least 1")
    from tui.core.analysis.pipeline import ModelError
    from tui.core.analysis.service import Analyzer
    from tui.core.corpus import Cluster, CorpusError, analyse_corpus, default_workers, require_extra
    from tui.core.folders import walk
    from tui.core.library import library_dir

    try:
        require_extra()
    except CorpusError as exc:
        raise CliError(str(exc)) from None
    roots = args.paths or [str(library_dir(args.library))]
    if not args.paths and not Path(roots[0]).is_dir():
        raise CliError(f"your library {roots[0]} is not a folder: name the corpus folders to analyse")
    out_dir = Path(args.quotes_out).expanduser().absolute() if args.quotes_out else None
    files, problems = walk(roots)
    if out_dir is not None:  # the output folder is never part of the corpus
        files = [f for f in files if not Path(f.path).is_relative_to(out_dir)]
    for problem in problems:
        print(f"margin: {one_line(problem)}", file=sys.stderr)
    analyzer = Analyzer(model=args.model)
    if args.model:
        try:
            analyzer.pipeline()
        except ModelError as exc:
            raise CliError(str(exc)) from None
    cache_root = analyzer.cache.parent.absolute()
    live = sys.stderr.isatty()

    def started(progress) -> None:
        line = (
            f"margin: {len(files)} article file(s) in {', '.join(one_line(r) for r in roots)}; "
            f"{progress.total} to analyse with {one_line(analyzer.describe())}"
        )
        if out_dir is not None:
            line += f"; {progress.skipped} unchanged since the last run into {one_line(str(out_dir))}"
            if progress.removed:
                line += f"; rows of {progress.removed} changed or deleted article(s) removed"
        print(line, file=sys.stderr, flush=True)

    def report(progress, batch_problems) -> None:
        for problem in batch_problems:
            print(("\n" if live else "") + f"margin: {one_line(problem)}", file=sys.stderr)
        left = progress.seconds_left
        line = (
            f"margin: analysed {progress.done}/{progress.total} ({100 * progress.done / max(1, progress.total):.0f}%) · "
            f"{progress.words_per_second:,.0f} words/s" + (f" · about {left:.0f} s left" if left is not None else "")
        )
        print(("\r" + line) if live else line, end="" if live else "\n", file=sys.stderr, flush=True)

    def connected(cluster) -> None:
        where = (
            f"the Dask scheduler {one_line(args.scheduler)}"
            if args.scheduler
            else f"a local Dask cluster of {args.workers or default_workers()} worker process(es)"
        )
        count, dashboard = cluster.worker_count(), cluster.dashboard
        print(
            f"margin: {where}, {count} worker(s) connected"
            + (" (the batches wait for workers to join)" if not count else "")
            + (
                f"; dashboard: {dashboard}"
                if dashboard
                else "; no dashboard (pip install bokeh for one)"
                if not args.scheduler
                else ""
            ),
            file=sys.stderr,
            flush=True,
        )

    shown = {"people": False}

    def people(done: int, total: int) -> None:
        if not shown["people"]:
            shown["people"] = True
            print(
                f"margin: merging the speakers of the table into people (as in People, with your merges "
                f"and splits): {total} partition(s)",
                file=sys.stderr,
                flush=True,
            )

    from tui.core.people import Overrides

    overrides = Overrides().load()
    if overrides.notice:  # people.json was damaged: kept aside
        print(f"margin: {overrides.notice}", file=sys.stderr)
    try:
        # the cluster starts only when there is work; the workers use the pipeline named here (not
        # whatever each has installed): one corpus, one pipeline
        progress = analyse_corpus(
            Cluster(scheduler=args.scheduler, workers=args.workers),
            files,
            model=args.model or analyzer.planned_model()[0],
            cache_root=cache_root,
            out_dir=out_dir,
            model_name=" ".join(analyzer.planned_model()),
            report=report,
            on_started=started,
            on_connected=connected,
            overrides=overrides,
            on_people=people,
        )
    except CorpusError as exc:
        raise CliError(str(exc)) from None
    except KeyboardInterrupt:
        print("\nmargin: interrupted; finished articles are recorded, run the same command to resume", file=sys.stderr)
        return 130
    if live and progress.total:
        print(file=sys.stderr)
    print(
        f"margin: done: {progress.analysed} analysed, {progress.cached} were cached, "
        f"{progress.skipped} unchanged, {progress.failed} failed"
        + (f"; tables in {one_line(str(out_dir))}" if out_dir is not None else ""),
        file=sys.stderr,
    )
    return 1 if (problems or progress.failed) else 0
