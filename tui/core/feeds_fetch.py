"""Fetching every subscribed feed's new items as full articles into the library.

An item is recognised by its GUID (scoped to its feed), else its canonical URL, else the hash of
its text, across fetches and feeds. Every key of a saved item is remembered for good: an article
the user deleted from the library is never fetched again. An item whose GUID is known but whose
feed entry changed is fetched again and its file rewritten (annotations re-anchor on read).

Part of `tui.core.feeds` (which re-exports these names)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import orjson

from tui.core.feeds_http import FEED_ACCEPT, MAX_FEED_BYTES, TIMEOUT, Hosts
from tui.core.feeds_parse import (
    FeedError,
    Item,
    canonical_url,
    clean,
    file_slug,
    html_to_paragraphs,
    now_iso,
    parse_feed,
    short_digest,
)
from tui.core.feeds_state import LOCK_WAIT, STATE_VERSION, FeedRecord, FeedsDoc, FeedState, load_items, web_page
from tui.core.fetch import FetchError, timeout_problem
from tui.core.output import new_file_mode
from tui.core.storage.atomic import (
    check_not_special,
    describe_os_error,
    fsync_dir,
    unlink_quietly,
    write_atomically,
    write_temporary,
)

FAIL_LIMIT = 5  # a feed failing this many times in a row is skipped until --retry-failed
JOBS = 8  # feeds fetched at once (different hosts; one request at a time per host)
MAX_ITEMS = 200  # the first items of a feed (newest first, as feeds list them) considered per fetch
MIN_PAGE_WORDS = 20  # a page giving fewer words (a menu, a caption) has no extractable article text
# An item whose text (the page's, else the feed's; its title aside) has fewer words is no article
# and is skipped: a single word, a link label ("Read more", "Comments"), a caption. Not remembered:
# the next fetch tries it again (its page may have its text by then).
MIN_ARTICLE_WORDS = 10
# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, CJK ideographs):
# each of their characters counts as a word, so that a Chinese or Japanese text is never "one word".
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

ItemRecord = dict[str, Any]  # an item of `feeds-items.json`: {path, feed, fingerprint, hash, title, saved, …}
ArticleMeta = dict[str, str | None]  # a fetched article's front matter fields (title, author, date, url, …)


@dataclass
class FeedResult:
    """What a fetch did with one feed: items saved and rewritten, or why it was skipped or failed."""

    url: str
    title: str
    new: int = 0
    updated: int = 0
    unchanged: bool = False  # 304
    error: str | None = None
    skipped: str | None = None  # why the feed was not fetched (failed too often)
    notes: list[str] = field(default_factory=list)  # per-item problems (the item was still saved or skipped)
    skipped_items: int = 0  # items not saved: no usable text (none, or fewer than MIN_ARTICLE_WORDS words)
    paths: list[str] = field(default_factory=list)


@dataclass
class FetchReport:
    """What a fetch did: each feed's result, the HTTP requests made and the seconds taken."""

    feeds: list[FeedResult] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)  # what the user should be told (a state file not understood)

    @property
    def new(self) -> int:
        """Articles added to the library, over all feeds."""
        return sum(r.new for r in self.feeds)

    @property
    def updated(self) -> int:
        """Articles rewritten because their feed entry changed, over all feeds."""
        return sum(r.updated for r in self.feeds)

    @property
    def skipped_items(self) -> int:
        """Items not saved for want of usable text, over all feeds (each has a note saying why)."""
        return sum(r.skipped_items for r in self.feeds)

    @property
    def errors(self) -> list[FeedResult]:
        """The results of the feeds that failed."""
        return [r for r in self.feeds if r.error]


def front_matter(meta: ArticleMeta) -> str:
    """The front matter block of a fetched article: each known field of `meta`, cleaned and quoted."""
    lines = ["---"]
    for key in ("title", "author", "date", "source", "url", "feed", "guid", "fetched"):
        value = meta.get(key)
        if value:
            lines.append(f"{key}: {json.dumps(clean(value, 2000), ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


class Fetcher:
    """One run over the subscribed feeds. Use `fetch_feeds`."""

    def __init__(
        self,
        state: FeedState,
        library: Path,
        *,
        timeout: float = TIMEOUT,
        jobs: int = JOBS,
        retry_failed: bool = False,
        only: list[str] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.state_file = state
        self.library = Path(library)
        self.timeout = timeout
        self.jobs = max(1, jobs)
        self.retry_failed = retry_failed
        self.only = only
        self.progress = progress
        self.cancelled = cancelled or (lambda: False)
        self.hosts = Hosts(timeout)
        self.lock = threading.Lock()  # guards self.items / self.keys / self.pending
        self.items: dict[str, ItemRecord] = {}
        self.keys: dict[str, str] = {}
        self.pending: set[str] = set()
        self.done = 0
        self.total = 0
        self.statuses: dict[str, FeedRecord] = {}  # feed URL -> what this run learnt (ETag, failures, …)
        self.dirty = False  # items changed since the last save
        self.save_lock = threading.Lock()

    # -- the run

    def run(self) -> FetchReport:
        """Fetch the feeds, saving the state as articles arrive and at the end; returns the report. FeedError
        when a state file cannot be read or an `only` key names no feed (or several)."""
        started = time.monotonic()
        snapshot = self.state_file.read()
        problems: list[str] = []
        stored = load_items(self.state_file.items_path, problems)
        self.items = stored["items"]
        self.keys = stored["keys"]
        feeds = snapshot["feeds"]
        urls = list(feeds)
        if self.only:
            urls = [self.state_file.find(snapshot, key) for key in self.only]
        report = FetchReport()
        if problems:
            report.notices.append(self._keep_items_aside(problems))
            self.dirty = True  # what could be read is written back at the end: said once
        self.total = len(urls)
        self._progress(0, self.total, "")
        try:
            with ThreadPoolExecutor(max_workers=min(self.jobs, max(1, self.total))) as pool:
                futures = [pool.submit(self._one, url, dict(feeds[url])) for url in urls]
                for future in futures:
                    result = future.result()
                    report.feeds.append(result)
        finally:
            self._save(final=True)
        report.requests = self.hosts.requests
        report.seconds = time.monotonic() - started
        return report

    def _keep_items_aside(self, problems: list[str]) -> str:
        """Copy the items file as it is (`feeds-items.json.damaged-TIME`) before what could be read
        of it replaces it; what to tell the user. FeedError, nothing fetched, when it cannot be copied."""
        from tui.core.storage.status import copy_aside

        path = self.state_file.items_path
        why = problems[0] + (f" and {len(problems) - 1} more" if len(problems) > 1 else "")
        try:
            backup = copy_aside(path)
        except OSError as exc:
            raise FeedError(
                f"{path}: not understood ({why}) and cannot be copied aside ({describe_os_error(exc)}); left untouched"
            ) from None
        return (
            f"The feed items file was not entirely understood ({why}): what was not understood is ignored, "
            f"every other record kept; it is kept as it was at {backup}."
        )

    def _progress(self, done: int, total: int, label: str) -> None:
        if self.progress:
            try:
                self.progress(done, total, label)
            except Exception:  # a display going away (the app quitting) never stops the fetch mid-write
                pass

    def _one(self, url: str, feed: FeedRecord) -> FeedResult:
        result = FeedResult(url=url, title=feed.get("title") or url)
        status: FeedRecord = {}
        try:
            if self.cancelled():
                result.skipped = "cancelled"
            elif feed.get("failures", 0) >= FAIL_LIMIT and not self.retry_failed:
                result.skipped = (
                    f"failed {feed['failures']} times in a row (last: {feed.get('error')}); "
                    "`margin fetch --retry-failed` tries it again"
                )
            else:
                self._fetch_feed(url, feed, result, status)
        except FetchError as exc:
            result.error = clean(exc, 400)
        except Exception as exc:  # one feed's surprise is never the whole run's end
            result.error = clean(f"{url}: {type(exc).__name__}: {exc}", 400)
        if result.error:
            status.update(failures=feed.get("failures", 0) + 1, error=result.error, checked=now_iso())
        with self.lock:
            self.statuses[url] = status
        if result.new or result.updated:
            self._save()  # what is in the library is in the state file at once (an interrupted fetch loses nothing)
        with self.lock:
            self.done += 1
            done = self.done
        self._progress(done, self.total, result.title)
        return result

    def _save(self, final: bool = False) -> None:
        """Write the items (when they changed) and the feeds' statuses (at the end: a run whose
        feeds all answer 304 writes the small feeds file once). The subscriptions are merged:
        a feed added or removed meanwhile by `margin feeds` stays so."""
        with self.save_lock:
            with self.lock:
                dirty, self.dirty = self.dirty, False
                payload = orjson.dumps({"version": STATE_VERSION, "items": self.items, "keys": self.keys}) if dirty else None
                statuses = dict(self.statuses) if final else {}
            if payload is not None:
                write_atomically(self.state_file.items_path, payload)
            if statuses:

                def apply(state: FeedsDoc) -> None:
                    for url, status in statuses.items():
                        if status and url in state["feeds"]:
                            state["feeds"][url].update(status)

                self.state_file.change(apply)

    def _fetch_feed(self, url: str, feed: FeedRecord, result: FeedResult, status: FeedRecord) -> None:
        response = self.hosts.get(
            url, max_bytes=MAX_FEED_BYTES, accept=FEED_ACCEPT, etag=feed.get("etag"), modified=feed.get("modified")
        )
        status.update(failures=0, error=None, checked=now_iso())
        if response.status == 304:
            result.unchanged = True
            return
        doc = parse_feed(response)
        title = doc.title if doc.title != response.final_url else (feed.get("title") or doc.title)
        result.title = title
        status.update(title=title, etag=response.headers.get("etag"), modified=response.headers.get("last-modified"))
        site = doc.link or web_page(feed.get("site"))  # the feed's own web page first; never an id
        if site != feed.get("site"):
            status["site"] = site
        for item in doc.items[:MAX_ITEMS]:
            if self.cancelled():
                break
            try:
                self._item(url, title, item, result)
            except FetchError as exc:
                result.notes.append(clean(exc, 300))
        status["new"] = result.new

    # -- one item

    def _claim(self, feed_url: str, item: Item) -> tuple[str, str | None, list[str]]:
        """('new' | 'update' | 'seen' | 'busy', item id, keys). Reserves the keys of a new item."""
        keys = []
        if item.guid:
            keys.append(f"guid:{feed_url} {item.guid}")
        link = canonical_url(item.link)
        if link:
            keys.append(f"url:{link}")
        if not keys:
            keys.append(f"hash:{short_digest(item.title + chr(10) + item.content, 64)}")
        with self.lock:
            for key in keys:
                item_id = self.keys.get(key)
                if item_id is not None:
                    record = self.items.get(item_id, {})
                    for other in keys:  # the story under its other names too
                        if other not in self.keys:
                            self.keys[other] = item_id
                            self.dirty = True
                    same_feed = record.get("feed") == feed_url
                    if same_feed and (key.startswith("guid:") or not item.guid) and record.get("fingerprint") != item.fingerprint:
                        return "update", item_id, keys
                    return "seen", item_id, keys
            if any(key in self.pending for key in keys):
                return "busy", None, keys  # the same story, being fetched from another feed now
            self.pending.update(keys)
            return "new", None, keys

    def _item(self, feed_url: str, feed_title: str, item: Item, result: FeedResult) -> None:
        verdict, item_id, keys = self._claim(feed_url, item)
        if verdict in ("seen", "busy"):
            return
        if verdict == "update":
            with self.lock:
                record = self.items.get(item_id or "", {})
                if not Path(record.get("path") or "").is_file():  # deleted by the user: not even fetched
                    record["fingerprint"] = item.fingerprint
                    self.dirty = True
                    return
        try:
            text, meta, final_url = self._article(feed_url, feed_title, item, result)
            with self.lock:
                if verdict == "update":
                    self._update(item_id, item, text, meta, result)
                    return
                if text is None:
                    return
                extra = [f"url:{u}" for u in {canonical_url(final_url)} if u and f"url:{u}" not in keys]
                hash_key = f"hash:{_text_hash(text)}"
                existing = self.keys.get(hash_key)
                if existing is not None:  # the same text under another address
                    for key in keys + extra:
                        self.keys.setdefault(key, existing)
                    self.dirty = True
                    return
                path = self._write_new(item, text, meta, keys)
                item_id = short_digest(keys[0], 16)
                self.items[item_id] = {
                    "path": str(path),
                    "feed": feed_url,
                    "fingerprint": item.fingerprint,
                    "hash": _text_hash(text),
                    "title": meta.get("title"),
                    "saved": now_iso(),
                }
                for key in keys + extra + [hash_key]:
                    self.keys[key] = item_id
                self.dirty = True
                result.new += 1
                result.paths.append(str(path))
        finally:
            with self.lock:
                self.pending.difference_update(keys)

    def _article(
        self, feed_url: str, feed_title: str, item: Item, result: FeedResult
    ) -> tuple[str | None, ArticleMeta, str | None]:
        """(text or None, front matter, final URL): the page's article text through trafilatura,
        else the feed's own content; None (counted as skipped, with the reason) when neither
        gives `MIN_ARTICLE_WORDS` words."""
        from tui.core.fetch import parse_fetched

        parsed = None
        final_url = item.link
        page_problem = None  # why the page's text is not used
        if item.link:
            try:
                if not self.hosts.allowed(item.link):
                    page_problem = f"{clean(item.link, 200)}: robots.txt disallows it"
                else:
                    response = self.hosts.get(item.link)
                    final_url = response.final_url
                    parsed = parse_fetched(response.fetched())
            except FetchError as exc:
                page_problem = clean(exc, 300)
        title = item.title or (parsed.title if parsed else "") or "(untitled)"
        meta = {
            "title": title,
            "author": item.author or (parsed.author if parsed else None),
            "date": item.date or (parsed.date if parsed else None),
            "source": feed_title,
            "url": item.link or final_url,
            "feed": feed_url,
            "guid": item.guid,
            "fetched": now_iso(),
        }
        paragraphs = html_to_paragraphs(item.content)
        if paragraphs and paragraphs[0] == title:
            paragraphs = paragraphs[1:]
        feed_words = sum(text_words(p) for p in paragraphs)
        if parsed is not None:
            page_words = text_words(parsed.text) - text_words(parsed.title or "")
            if page_words >= max(MIN_PAGE_WORDS, feed_words):
                return parsed.text.rstrip("\n") + "\n", meta, final_url
            gives = "less text than the feed" if page_words >= MIN_PAGE_WORDS else "no article text"
            page_problem = f"{clean(item.link, 200)}: the page gives {gives}"
        if feed_words < MIN_ARTICLE_WORDS:
            feed_gives = f"only {feed_words} word(s)" if paragraphs else "no text"
            result.notes.append(
                f"{page_problem or clean(title, 200) + ': no web page'}, and the feed gives {feed_gives} "
                f"(an article has {MIN_ARTICLE_WORDS} words at least); skipped"
            )
            result.skipped_items += 1
            return None, meta, final_url
        if page_problem:
            result.notes.append(f"{page_problem}; the feed's text is used")
        return title + "\n\n" + "\n\n".join(paragraphs) + "\n", meta, final_url

    def _write_new(self, item: Item, text: str, meta: ArticleMeta, keys: list[str]) -> Path:
        self.library.mkdir(parents=True, exist_ok=True)
        # The name follows from the item, so a fetch cut short before its state was saved
        # rewrites the same file next time rather than adding a second copy.
        path = self.library / f"{file_slug(meta['title'] or '')}-{short_digest(keys[0], 8)}.md"
        _write_file(path, front_matter(meta) + text)
        return path

    def _update(self, item_id: str | None, item: Item, text: str | None, meta: ArticleMeta, result: FeedResult) -> None:
        record = self.items.get(item_id) if item_id else None
        if item_id is None or record is None:
            return
        record["fingerprint"] = item.fingerprint
        self.dirty = True
        path = Path(record.get("path") or "")
        if text is None or not path.is_file():  # deleted by the user: never brought back
            return
        new_hash = _text_hash(text)
        if new_hash == record.get("hash"):
            return
        _write_file(path, front_matter(meta) + text)
        record["hash"] = new_hash
        record["updated"] = now_iso()
        self.keys.setdefault(f"hash:{new_hash}", item_id)
        result.updated += 1
        result.paths.append(str(path))


def text_words(text: str) -> int:
    """The number of words of `text`, each character of a script written without spaces (Chinese,
    Japanese, Thai…) counting as one."""
    from tui.core.articles import count_words

    return count_words(_UNSPACED.sub(" \\g<0> ", text))


def _text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def _write_file(path: Path, content: str) -> None:
    """Write an article file atomically (the old or the new text, never a torn file); FetchError if it cannot be.

    A new file gets the permissions the umask gives (as `margin add` and any editor would: 644
    under umask 022), not those of the private temporary file; a rewritten one keeps its own."""
    try:
        if path.is_symlink():  # written through, as `write_atomically` does: the link stays
            path = Path(os.path.realpath(path))
        check_not_special(path)
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = new_file_mode()
        tmp = write_temporary(path, content.encode("utf-8"), mode=mode)
        try:
            os.replace(tmp, path)
        except BaseException:
            unlink_quietly(tmp)
            raise
        fsync_dir(path.parent)
    except OSError as exc:
        raise FetchError(f"{path}: cannot be written ({describe_os_error(exc)})") from None


def fetch_feeds(
    library: Path,
    *,
    state: FeedState | None = None,
    timeout: float = TIMEOUT,
    jobs: int = JOBS,
    retry_failed: bool = False,
    only: list[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    wait: float = LOCK_WAIT,
    waiting: Callable[[], None] | None = None,
) -> FetchReport:
    """Fetch every subscribed feed (or `only` those) into `library`, holding the fetch lock.

    `progress(done, total, feed title)` is called from worker threads. `waiting()` is called once
    when another fetch holds the lock (this one then waits up to `wait` seconds). ValueError,
    before anything is fetched or recorded, for a `timeout` no request could keep (0, infinite…):
    every feed would fail and count a failure."""
    from filelock import Timeout

    problem = timeout_problem(timeout)
    if problem:
        raise ValueError(problem)
    state = state or FeedState()
    lock = state.fetch_lock(wait)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if waiting:
            waiting()
        deadline = time.monotonic() + wait
        while True:  # in short steps, so that a cancelled fetch (the app quitting) stops waiting
            if cancelled and cancelled():
                return FetchReport()
            try:
                lock.acquire(timeout=min(0.5, max(0.0, deadline - time.monotonic())))
                break
            except Timeout:
                if time.monotonic() >= deadline:
                    raise FeedError(f"another fetch has been running for over {wait:g} s; try again later") from None
    try:
        return Fetcher(
            state,
            library,
            timeout=timeout,
            jobs=jobs,
            retry_failed=retry_failed,
            only=only,
            progress=progress,
            cancelled=cancelled,
        ).run()
    finally:
        lock.release()
