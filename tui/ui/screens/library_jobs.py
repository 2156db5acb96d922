"""The library's background jobs and the messages they post.

Each job runs in a thread worker of the library screen and reports only by posting messages
(`post`, the screen's thread-safe `post_message`): progress, the entries loaded, quote counts, a
notice, the end. The screen changes its state when it handles them, on the UI thread; no job
touches a widget or the screen's attributes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.message import Message
from textual.timer import Timer

from tui.core.library import Entry, LibraryIndex, Progress, TextCorpus, quote_counter
from tui.core.text import one_line

if TYPE_CHECKING:
    from tui.core.feeds import FetchReport

Post = Callable[[Message], object]
Cancelled = Callable[[], bool]

PROGRESS_THRESHOLD = 20  # show the progress bar when at least this many files need parsing
PROGRESS_BYTES = 4 * 2**20  # … or when they are this large together (a few huge files take seconds)
PARTIAL_LIST_EVERY = 1.0  # seconds: while indexing, the articles read so far are listed this often
INDEXING = "Indexing {done}/{total} changed file(s)"
ANALYSING = "Analysing {done}/{total} article(s)"
FETCHING = "Fetching feeds {done}/{total}"
SAVE_DELAY = 1.5  # seconds between quote counts coming in and the index being saved


# -- messages ---------------------------------------------------------------------------------------
class Progressed(Message):
    """A job got further: show `progress` with `label` (`{done}`, `{total}` filled in)."""

    def __init__(self, progress: Progress, label: str) -> None:
        super().__init__()
        self.progress = progress
        self.label = label


class EntriesLoaded(Message):
    """The folders were walked and the index refreshed: these are the articles now (`final`
    False: the articles read so far, while a long indexing goes on)."""

    def __init__(self, entries: list[Entry], problems: list[str], final: bool = True) -> None:
        super().__init__()
        self.entries = entries
        self.problems = problems
        self.final = final


class ModelDescribed(Message):
    """The spaCy pipeline the analyses use, in one line (for the status line)."""

    def __init__(self, model: str) -> None:
        super().__init__()
        self.model = model


class QuotesCounted(Message):
    """Quote counts found by an analysis: {file path: (article id, number of quotes)}."""

    def __init__(self, counts: dict[str, tuple[str, int]]) -> None:
        super().__init__()
        self.counts = counts


class JobNotice(Message):
    """Something to tell the user (the screen shows it as a notification)."""

    def __init__(self, text: str, severity: str = "information", timeout: float | None = None) -> None:
        super().__init__()
        self.text = text
        self.severity = severity
        self.timeout = timeout


class JobFinished(Message):
    """A job with a progress bar ended: hide the bar; `rescan` asks for a new walk of the folders."""

    def __init__(self, job: str, rescan: bool = False) -> None:
        super().__init__()
        self.job = job
        self.rescan = rescan


class CorpusLoaded(Message):
    """Every article's text is read: the filter can look in texts too."""


class ArticleLoaded(Message):
    """An article chosen in the library was read: open it in the reader."""

    def __init__(self, entry: Entry, article, offset: int | None, search: str | None) -> None:
        super().__init__()
        self.entry = entry
        self.article = article
        self.offset = offset
        self.search = search


class ArticleFailed(Message):
    """An article chosen in the library could not be read: say why (and list it as a problem)."""

    def __init__(self, entry: Entry, problem: str) -> None:
        super().__init__()
        self.entry = entry
        self.problem = problem


# -- jobs -------------------------------------------------------------------------------------------
def refresh_index(index: LibraryIndex, analyzer: Callable[[], object], post: Post, cancelled: Cancelled) -> None:
    """Walk the folders, re-parse what changed (with progress when many did), post the entries,
    then the pipeline's name. `analyzer()` gives the analysis service: asked for only when files
    changed (their quote counts come from its cache) and after the entries are posted."""
    changes = index.changes(cancelled)
    if cancelled():
        return  # quitting: an incomplete walk must not drop entries
    stale, _gone = changes
    report = None
    if len(stale) >= PROGRESS_THRESHOLD or sum(info.size for info in stale) >= PROGRESS_BYTES:
        post(Progressed(Progress(0, len(stale), 0, sum(info.size for info in stale)), INDEXING))
        last_shown = [time.monotonic()]

        def report(p: Progress) -> None:
            post(Progressed(p, INDEXING))
            if time.monotonic() - last_shown[0] >= PARTIAL_LIST_EVERY and p.done < p.total:
                last_shown[0] = time.monotonic()  # the articles read so far, listed while the rest are read
                post(EntriesLoaded(index.articles(), index.problems, final=False))

    counter = None
    if stale:
        try:
            counter = quote_counter(analyzer())
        except Exception:  # an unusable analysis cache only leaves the Quotes column empty
            counter = None

    def list_so_far() -> None:  # a large file is next: list what was read before it
        post(EntriesLoaded(index.articles(), index.problems, final=False))

    index.refresh(counter, report, cancelled, changes=changes, before_slow=list_so_far)
    if cancelled():
        return
    entries = index.articles()
    for entry in entries:
        entry.haystack  # noqa: B018  (computed here, off the UI thread, before the first filter key)
    post(EntriesLoaded(entries, index.problems))
    try:
        model = analyzer().describe()  # type: ignore[attr-defined]
    except Exception:
        return
    if not cancelled():
        post(ModelDescribed(model))


@dataclass(frozen=True)
class Todo:
    """An article to analyse: its file and the id of the text the library knows."""

    path: str
    id: str


def analyse(todo: list[Todo], analyzer, post: Post, cancelled: Cancelled, jobs: int | None = None) -> None:
    """Analyse the articles into the cache with the core batch run (`analysis.batch.analyse_all`:
    batched, in worker processes, resumable), posting the progress and each batch's quote counts
    as they come; when `cancelled` (the user stopped it, or the app is quitting) the worker
    processes stop at once and the articles done so far stay analysed."""
    from tui.core.analysis.batch import analyse_all, default_jobs

    def report(progress, problems: list[str]) -> None:
        post(Progressed(Progress(progress.done, progress.total), ANALYSING))

    def counted(counts: dict[str, tuple[str, int]]) -> None:
        post(QuotesCounted(counts))

    paths = [Path(t.path) for t in todo]
    try:
        done = analyse_all(paths, analyzer.requested, analyzer.cache.parent, jobs or default_jobs(), report, counted, cancelled)
    except Exception as exc:  # a failing model: say so once, keep the library usable
        post(JobNotice(f"Analysis stopped: {one_line(str(exc), 200)}", "error"))
        post(JobFinished("analysis"))
        return
    post(JobFinished("analysis"))
    if cancelled():
        post(JobNotice(f"Analysis stopped after {done.done} of {done.total} article(s); those stay analysed. A resumes."))
    else:
        post(JobNotice("Analysis finished: every article opens with its highlights at once."))


def fetch(library: Path, paths: list[str], post: Post, cancelled: Cancelled) -> None:
    """`margin fetch` (the feeds into the library) with progress, then what it did in one notice
    (every failure named when all feeds failed), and a rescan when the library is the one shown:
    even when every feed failed, the articles in its folder are listed."""
    from tui.core.feeds import FeedError, FeedState, fetch_feeds

    shown = library.expanduser().resolve() in [Path(p).expanduser().resolve() for p in paths]
    try:
        state = FeedState()
        feeds = state.feeds()
        if state.notice:  # the feeds file was not understood: kept aside, said once
            post(JobNotice(state.notice, "warning", 15))
        if not feeds:
            post(JobNotice("No feeds yet: add one with `margin feeds add URL` (or import OPML: `margin feeds import FILE`)."))
            return
        report = fetch_feeds(
            library,
            state=state,
            cancelled=cancelled,
            progress=lambda done, total, _title: post(Progressed(Progress(done, total), FETCHING)),
            waiting=lambda: post(JobNotice("Another fetch is running; waiting for it to finish…")),
        )
    except (FeedError, OSError) as exc:  # a damaged feeds file, a library folder that cannot be written
        post(JobNotice(f"Feeds not fetched: {one_line(str(exc), 200)}", "error", 8))
        post(JobFinished("feeds", rescan=shown))
        return
    if cancelled():
        return
    for notice in report.notices:  # the feed items file was not understood: kept aside
        post(JobNotice(notice, "warning", 15))
    severity, seconds = ("error", 12) if report.errors else ("information", 8)
    post(JobNotice(fetch_summary(report, library, shown), severity, seconds))
    post(JobFinished("feeds", rescan=shown))


def fetch_summary(report: FetchReport, library: Path, shown: bool) -> str:
    """What a fetch did, in one notice: new, updated and skipped articles, and the feeds that
    failed with their reasons (a few of them, and how many more)."""
    from tui.core.feeds import FAIL_LIMIT

    failed = report.errors
    fetched = [r for r in report.feeds if not r.skipped]  # skipped: failing too often, not tried
    reasons = "; ".join(f"{one_line(r.title, 40)}: {one_line(r.error or '', 160)}" for r in failed[:3])
    if len(failed) > 3:
        reasons += f"; and {len(failed) - 3} more (`margin feeds list`)"
    if failed and len(failed) == len(fetched) and not (report.new or report.updated):
        message = f"Feeds not fetched: {'the feed' if len(failed) == 1 else f'all {len(failed)} feeds'} failed — {reasons}"
    else:
        message = f"Feeds: {report.new} new article(s), {report.updated} updated"
        if report.skipped_items:
            message += f", {report.skipped_items} item(s) skipped (too little text)"
        if failed:
            message += f"; {len(failed)} of {len(fetched)} feed(s) failed — {reasons}"
        if (report.new or report.updated) and not shown:
            message += f" (in {one_line(str(library), 80)}: open it with `margin --library`)"
    given_up = len(report.feeds) - len(fetched)
    if given_up:
        message += f". {given_up} feed(s) not tried, failing {FAIL_LIMIT} times in a row: `margin fetch --retry-failed`"
    return message


def read_texts(corpus: TextCorpus, entries: list[Entry], post: Post, cancelled: Cancelled) -> None:
    """Read every article's text for the text filter; post CorpusLoaded when all are in."""
    if corpus.load(entries, None, cancelled) and not cancelled():
        post(CorpusLoaded())


def open_entry(entry: Entry, offset: int | None, search: str | None, post: Post, cancelled: Cancelled) -> None:
    """Read the article of `entry`; post ArticleLoaded, or ArticleFailed with the reason (nothing
    when a newer open replaced this one)."""
    from tui.core.articles import ArticleError, load_article

    try:
        article = load_article(entry.path)
    except ArticleError as exc:
        if not cancelled():
            post(ArticleFailed(entry, str(exc)))
        return
    if not cancelled():
        post(ArticleLoaded(entry, article, offset, search))


# -- the screen's side: the workers, and the handlers that change its state on the UI thread -------
class LibraryJobs:
    """Mixed into LibraryScreen: starts the jobs above in thread workers and handles their
    messages (the screen provides `index`, `entries`, `paths`, `apply`, `_show_entries`, …)."""

    # -- loading: jobs in workers post messages; their handlers change the state --------------------
    @work(thread=True, exclusive=True, group="library")
    def load(self) -> None:
        """Walk the folders and refresh the index (library_refresh_index)."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        app = self.app
        refresh_index(self.index, lambda: app.analyzer, self.post_message, lambda: worker.is_cancelled)

    def on_entries_loaded(self, message: EntriesLoaded) -> None:
        if message.final:
            self._job_done()
        self._show_entries(message.entries, message.problems, message.final)

    def on_model_described(self, message: ModelDescribed) -> None:
        self.model = message.model
        self._update_status()

    def on_progressed(self, message: Progressed) -> None:
        self._show_progress(message.progress, message.label)

    def on_job_notice(self, message: JobNotice) -> None:
        severity = message.severity if message.severity in ("information", "warning", "error") else "information"
        self.notify(message.text, severity=severity, timeout=message.timeout, markup=False)  # type: ignore[arg-type]

    def on_job_finished(self, message: JobFinished) -> None:
        self._job_done()
        if message.job == "analysis":
            self.analysis_state = None
            # Repaint the whole screen once the toasts of the run have gone: after a run stopped
            # mid-batch (its worker processes killed) the cells under the expired toasts were left
            # unpainted in a real terminal (seen in tmux, not reproducible under Pilot) until the
            # next key.
            self.set_timer(self.app.NOTIFICATION_TIMEOUT + 0.5, self._repaint_all)
            self._save_index(self.index.snapshot())
            self.apply()
        elif message.rescan:
            self.action_rescan()
        else:
            self._update_status()

    def on_quotes_counted(self, message: QuotesCounted) -> None:
        """Quote counts from an analysis: into the entries and the index (on the UI thread)."""
        for path, (article_id, quotes) in message.counts.items():
            entry = self.index.entries.get(path)
            if entry is not None and entry.id == article_id and entry.quotes != quotes:
                entry.quotes = quotes
                self.index.update(entry)
        self.apply()
        self._save_index_soon()

    _save_timer: Timer | None = None

    def _save_index_soon(self) -> None:
        """Save the index within a second or two: counts come batch by batch, and a run stopped
        by quitting keeps those already in (one write for many batches)."""
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save_index_now)

    def _save_index_now(self) -> None:
        self._save_timer = None
        self._save_index(self.index.snapshot())

    def _repaint_all(self) -> None:
        self.app.refresh(repaint=True, layout=True)

    def _job_done(self) -> None:
        self.progress = None
        self._hide_progress()

    def _show_progress(self, progress: Progress, label: str = INDEXING) -> None:
        self.progress = progress
        row, label_widget, bar = self._progress_row()
        row.set_class(True, "visible")
        if progress.bytes_total:  # the bar measures bytes: a huge file is most of the work
            bar.update(total=progress.bytes_total, progress=progress.bytes_done)
        else:
            bar.update(total=progress.total, progress=progress.done)
        label_widget.update(Content(label.format(done=progress.done, total=progress.total)))
        self._update_status()

    # analysis: None (not running), "running" or "stopping" (asked to stop, its processes ending)
    analysis_state: str | None = None

    def action_analyse_all(self) -> None:
        """A: analyse every article not analysed yet; A again while it runs: stop it."""
        if self.analysis_state == "stopping":
            self.notify("Stopping the analysis…", timeout=2, markup=False)
            return  # a new run now would start its processes beside the ending ones
        if self.analysis_state == "running":
            self.analysis_state = "stopping"
            for worker in self.workers:
                if worker.node is self and worker.group == "library-analysis":
                    worker.cancel()
            self.notify("Stopping the analysis; the articles done so far stay analysed.", timeout=3, markup=False)
            return
        todo = [Todo(e.path, e.id) for e in self.entries if e.quotes is None]
        if not todo:
            self.notify("Every article is analysed already.", markup=False)
            return
        self.notify(f"Analysing {len(todo)} article(s) in the background; you can keep reading (A again stops).", markup=False)
        self.analysis_state = "running"
        self._show_progress(Progress(0, len(todo)), ANALYSING)
        self._analyse(todo)

    @work(thread=True, exclusive=True, group="library-analysis")
    def _analyse(self, todo: list[Todo]) -> None:
        """Pre-analyse articles (library_analyse: the core batch run, in worker processes;
        the UI never waits), filling the Quotes column; each result is cached as it is done, so
        an interrupted run resumes."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        analyse(todo, self.app.analyzer, self.post_message, lambda: worker.is_cancelled)

    def action_fetch_feeds(self) -> None:
        from tui.core.library import library_dir

        self.notify("Fetching your feeds in the background; you can keep reading.", timeout=3, markup=False)
        self._fetch_feeds(library_dir())

    @work(thread=True, exclusive=True, group="library-feeds")
    def _fetch_feeds(self, library: Path) -> None:
        """`margin fetch` in this worker (library_fetch); then a rescan shows the new articles."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        fetch(library, self.paths, self.post_message, lambda: worker.is_cancelled)

    def action_rescan(self) -> None:
        self.notify("Rescanning the folders for new, changed and removed articles…", timeout=2, markup=False)
        self.loaded = False
        self._update_status()
        self.load()

    @work(thread=True, group="library-save")
    def _save_index(self, records: list) -> None:
        self.index.save(records)  # a snapshot: the index may change meanwhile in the load worker
