"""Feed subscriptions: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed (plain JSON), OPML, and
fetching every feed's new items as full articles into the library.

State lives in the data dir, written atomically: `feeds.json` (subscriptions, ETags, failures)
and `feeds-items.json` (every item fetched, by each of its keys). A fetch holds
`feeds.fetch.lock` for its whole run (two fetches at once never duplicate an article) and is the
only writer of the items file; every change to `feeds.json` is a read-modify-write under
`feeds.json.lock`, so `margin feeds add` during a fetch loses nothing.

An item is recognised by its GUID (scoped to its feed), else its canonical URL, else the hash of
its text, across fetches and feeds. Every key of a saved item is remembered for good: an article
the user deleted from the library is never fetched again. An item whose GUID is known but whose
feed entry changed is fetched again and its file rewritten (annotations re-anchor on read).

No Textual here: the CLI and the library screen call `fetch_feeds` with a progress callback.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import orjson

from tui.core.feeds_http import FEED_ACCEPT, MAX_FEED_BYTES, TIMEOUT, Hosts, Response, get
from tui.core.fetch import FetchError

STATE_VERSION = 1
FAIL_LIMIT = 5  # a feed failing this many times in a row is skipped until --retry-failed
JOBS = 8  # feeds fetched at once (different hosts; one request at a time per host)
MAX_ITEMS = 200  # the first items of a feed (newest first, as feeds list them) considered per fetch
MIN_PAGE_WORDS = 20  # a page giving fewer words (a menu, a caption) has no extractable article text
LOCK_WAIT = 600.0  # seconds a fetch waits for another one to finish
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
              "application/rdf+xml", "application/x-rss+xml", "text/xml", "application/xml")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref_src)$", re.IGNORECASE)


class FeedError(Exception):
    """A user-facing failure of a feeds command (one line)."""


# ---------------------------------------------------------------- small helpers

def clean(value: object, limit: int = 400) -> str:
    """One line without control characters (feed text is untrusted)."""
    text = _CONTROLS.sub("\ufffd", " ".join(str(value or "").split()))
    return text[:limit]


def now_iso() -> str:
    """The current UTC time in ISO 8601 to the second: "2024-05-01T12:00:00Z"."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def canonical_url(url: str | None) -> str | None:
    """The URL an item is recognised by: scheme and host lower-cased, default port, fragment and
    tracking parameters (utm_*, fbclid, …) dropped."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        return None
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _slug(title: str, limit: int = 60) -> str:
    slug = re.sub(r"[^\w]+", "-", title.lower(), flags=re.ASCII).strip("-")
    return slug[:limit].rstrip("-") or "article"


def _digest(value: str, n: int = 10) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:n]


class _TextExtractor(HTMLParser):
    """Text of an HTML fragment (a feed's content): one paragraph per block element."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
              "article", "pre", "ul", "ol", "table", "figure", "figcaption", "hr", "dd", "dt"}
    SKIP = {"script", "style", "noscript", "template", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_paragraphs(html: str) -> list[str]:
    """The text of an HTML fragment (or of plain text) as cleaned one-line paragraphs, empty ones left out."""
    if "<" not in html:
        lines = html.split("\n")
    else:
        extractor = _TextExtractor()
        try:
            extractor.feed(html)
            extractor.close()
        except Exception:  # html.parser is lenient; anything odd is just text
            return [clean(html, 100_000)] if html.strip() else []
        lines = "".join(extractor.parts).split("\n")
    return [p for p in (clean(line, 100_000) for line in lines) if p]


# ---------------------------------------------------------------- parsing feeds

@dataclass
class Item:
    """One entry of a feed, as parsed."""

    guid: str | None
    link: str | None
    title: str
    author: str | None
    date: str | None  # ISO date
    content: str  # HTML or text, as the feed gives it (content, else summary)

    @property
    def fingerprint(self) -> str:
        """What changes when the feed updates the item."""
        return _digest("\n".join([self.title, self.content, self.link or ""]), 16)


@dataclass
class FeedDoc:
    """A parsed feed: its title, its site's link, its items and its format."""

    title: str
    link: str | None
    items: list[Item]
    kind: str  # rss20, atom10, json, …


def _web_link(base: str, link) -> str | None:
    """An item's link resolved against the feed's address; only http(s) (never file:, javascript:)."""
    if not link:
        return None
    url = urljoin(base, str(link).strip())
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def _iso_date(value) -> str | None:
    if not value:
        return None
    if isinstance(value, time.struct_time):
        try:
            return time.strftime("%Y-%m-%d", value)
        except (ValueError, OverflowError):
            return None
    from tui.core.article_formats import parse_date

    return parse_date(value)


def _is_json(response: Response) -> bool:
    if response.content_type in ("application/feed+json", "application/json"):
        return True
    head = response.data[:256].lstrip()
    return head.startswith(b"{")


def parse_json_feed(data: bytes, base: str) -> FeedDoc:
    """A JSON Feed document, item links resolved against `base`; raises FetchError when it is not one."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FetchError(f"{base}: not a feed (invalid JSON: {clean(exc, 120)})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FetchError(f"{base}: not a feed (JSON without a jsonfeed.org version)")
    raw_items = doc.get("items")
    if not isinstance(raw_items, list):
        raise FetchError(f"{base}: not a feed (JSON Feed without items)")
    items = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            continue
        authors = raw.get("authors") or ([raw["author"]] if isinstance(raw.get("author"), dict) else []) \
            or doc.get("authors") or ([doc["author"]] if isinstance(doc.get("author"), dict) else [])
        names = [clean(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
        link = raw.get("url") or raw.get("external_url")
        content = raw.get("content_html") or raw.get("content_text") or raw.get("summary") or ""
        guid = raw.get("id")
        items.append(Item(
            guid=clean(guid, 2000) if guid not in (None, "") else None,
            link=_web_link(base, link),
            title=clean(raw.get("title")),
            author=", ".join(names) or None,
            date=_iso_date(raw.get("date_published") or raw.get("date_modified")),
            content=str(content),
        ))
    return FeedDoc(title=clean(doc.get("title")) or base, link=doc.get("home_page_url"), items=items, kind="json")


def parse_feed(response: Response) -> FeedDoc:
    """A fetched feed (RSS, Atom or JSON Feed), item links resolved against the feed's URL.
    Raises FetchError when the document is not a feed."""
    base = response.final_url
    if _is_json(response):
        return parse_json_feed(response.data, base)
    import feedparser

    headers = {"content-location": base, "content-type": response.headers.get("content-type", "application/xml")}
    parsed = feedparser.parse(io.BytesIO(response.data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        why = f": {clean(reason, 160)}" if reason else ""
        raise FetchError(f"{response.url}: not a feed{why}")
    feed = parsed.feed
    items = []
    for entry in parsed.entries:
        content = ""
        if entry.get("content"):
            content = max((c.get("value") or "" for c in entry.content), key=len)
        if not content:
            content = entry.get("summary") or entry.get("description") or ""
        link = entry.get("link")
        guid = entry.get("id")
        items.append(Item(
            guid=clean(guid, 2000) if guid else None,
            link=_web_link(base, link),
            title=clean(entry.get("title")),
            author=clean(entry.get("author")) or None,
            date=_iso_date(entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("published")),
            content=content,
        ))
    return FeedDoc(title=clean(feed.get("title")) or base, link=feed.get("link"), items=items,
                   kind=parsed.get("version") or "feed")


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag != "link":
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        kind = a.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and a.get("href") and kind in FEED_TYPES:
            self.links.append((kind, a["href"]))


def feed_links(html: str, base: str) -> list[str]:
    """The feeds an HTML page links to with <link rel="alternate" type="…">, in page order."""
    finder = _LinkFinder()
    try:
        finder.feed(html[:2_000_000])
        finder.close()
    except Exception:
        pass
    out: list[str] = []
    for _kind, href in finder.links:
        url = urljoin(base, href.strip())
        if url not in out and urlsplit(url).scheme in ("http", "https"):
            out.append(url)
    return out


def _looks_like_html(response: Response) -> bool:
    if response.content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = response.data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def discover(url: str, timeout: float = TIMEOUT) -> tuple[str, FeedDoc]:
    """(feed URL, parsed feed) for `url`: a feed itself, or a web page that links to one."""
    response = get(url, timeout=timeout, max_bytes=MAX_FEED_BYTES, accept=FEED_ACCEPT)
    if _looks_like_html(response):
        from tui.core.article_formats import decode_html

        links = feed_links(decode_html(response.data), response.final_url)
        if not links:
            raise FetchError(f"{url}: a web page that links to no feed (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed)")
        problems = []
        for link in links:
            try:
                feed = get(link, timeout=timeout, max_bytes=MAX_FEED_BYTES, accept=FEED_ACCEPT)
                return link, parse_feed(feed)
            except FetchError as exc:
                problems.append(str(exc))
        raise FetchError(problems[0])
    return url, parse_feed(response)


# ---------------------------------------------------------------- OPML

def read_opml(data: bytes) -> list[dict]:
    """[{url, title, site}] of every outline with an xmlUrl (categories flattened)."""
    import xml.etree.ElementTree as ET

    if b"<!ENTITY" in data[:10000].upper():
        raise FeedError("the OPML file declares entities: refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"not an OPML file ({exc})") from None
    if root.tag.lower() != "opml":
        raise FeedError(f"not an OPML file (the root element is <{clean(root.tag, 40)}>)")
    feeds = []
    for outline in root.iter():
        if not isinstance(outline.tag, str) or outline.tag.lower() != "outline":
            continue
        attrs = {k.lower(): v for k, v in outline.attrib.items()}
        url = (attrs.get("xmlurl") or "").strip()
        if url:
            feeds.append({"url": url, "title": clean(attrs.get("title") or attrs.get("text")),
                          "site": (attrs.get("htmlurl") or "").strip() or None})
    return feeds


def write_opml(feeds: list[dict]) -> str:
    """An OPML 2.0 document listing `feeds` (each with its url, and title and site when known)."""
    from xml.sax.saxutils import quoteattr

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', "  <head>",
             "    <title>Margin feeds</title>",
             f"    <dateCreated>{datetime.now(timezone.utc).strftime('%a, %d %b %Y %H:%M:%S GMT')}</dateCreated>",
             "  </head>", "  <body>"]
    for feed in feeds:
        title = feed.get("title") or feed["url"]
        attrs = f'type="rss" text={quoteattr(title)} title={quoteattr(title)} xmlUrl={quoteattr(feed["url"])}'
        if feed.get("site"):
            attrs += f" htmlUrl={quoteattr(feed['site'])}"
        lines.append(f"    <outline {attrs}/>")
    lines += ["  </body>", "</opml>"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- state

def state_path() -> Path:
    """The feeds file: `feeds.json` in the data dir."""
    from tui.core.paths import data_dir

    return data_dir() / "feeds.json"


def _empty_state() -> dict:
    return {"version": STATE_VERSION, "feeds": {}}


def load_items(path: Path) -> dict:
    """The items file: {"items": {id: record}, "keys": {key: id}} (empty when there is none)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {"version": STATE_VERSION, "items": {}, "keys": {}}
    except OSError as exc:
        raise FeedError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = orjson.loads(raw)
    except ValueError as exc:
        raise FeedError(f"{path}: not valid JSON ({exc}); move it away to start again (fetched items may then come again)") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), dict) or not isinstance(data.get("keys"), dict):
        raise FeedError(f"{path}: not a Margin feed items file")
    return data


def load_state(path: Path) -> dict:
    """The feeds file's content (an empty state when there is no file); FeedError when it cannot be read
    or is not a feeds file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _empty_state()
    except OSError as exc:
        raise FeedError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        state = json.loads(raw)
    except ValueError as exc:
        raise FeedError(f"{path}: not valid JSON ({exc}); move it away to start again") from None
    if not isinstance(state, dict) or not isinstance(state.get("feeds"), dict):
        raise FeedError(f"{path}: not a Margin feeds file")
    return state


def save_state(path: Path, state: dict) -> None:
    """Write the feeds file atomically (creating its folder); takes no lock: `FeedState.change` does."""
    from tui.core.store import write_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, orjson.dumps(state, option=orjson.OPT_INDENT_2))


class FeedState:
    """The feeds file, changed only by read-modify-write under its lock."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else state_path()
        # Every item ever fetched, by all its keys: written only by a fetch, under the fetch lock.
        self.items_path = self.path.with_name("feeds-items.json")

    def _lock(self, timeout: float = 30.0):
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path) + ".lock", timeout=timeout)

    def read(self) -> dict:
        """The feeds file as stored now (read without the lock)."""
        return load_state(self.path)

    def change(self, apply: Callable[[dict], object]):
        """Apply `apply(state)` to the state as stored now, and save it; returns what it returns."""
        from filelock import Timeout

        try:
            with self._lock():
                state = load_state(self.path)
                result = apply(state)
                save_state(self.path, state)
                return result
        except Timeout:
            raise FeedError(f"{self.path}: locked by another Margin for 30 s; try again") from None

    def fetch_lock(self, timeout: float = LOCK_WAIT):
        """The lock a fetch holds for its whole run (not taken yet; acquiring it waits up to `timeout` seconds)."""
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path.with_name("feeds.fetch.lock")), timeout=timeout)

    # -- subscriptions

    def feeds(self) -> list[dict]:
        """Every subscription: its stored record with its `url`."""
        return [dict(feed, url=url) for url, feed in self.read()["feeds"].items()]

    def find(self, state: dict, key: str) -> str:
        """The URL of the feed named by URL or by title (case-insensitive); FeedError if none or several."""
        if key in state["feeds"]:
            return key
        wanted = canonical_url(key)
        for url in state["feeds"]:
            if wanted and canonical_url(url) == wanted:
                return url
        named = [url for url, feed in state["feeds"].items() if (feed.get("title") or "").casefold() == key.strip().casefold()]
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise FeedError(f"{clean(key, 80)}: several feeds have this name; give the URL")
        raise FeedError(f"{clean(key, 80)}: no such feed (see margin feeds list)")

    def add(self, url: str, title: str | None = None, site: str | None = None) -> bool:
        """Subscribe; False when already subscribed."""

        def apply(state: dict) -> bool:
            wanted = canonical_url(url)
            if url in state["feeds"] or any(canonical_url(u) == wanted for u in state["feeds"]):
                return False
            state["feeds"][url] = {"title": clean(title) or url, "site": site, "added": now_iso(),
                                   "etag": None, "modified": None, "failures": 0, "error": None,
                                   "checked": None, "new": 0}
            return True

        return self.change(apply)

    def remove(self, key: str) -> dict:
        """Unsubscribe the feed named by URL or by title; returns its record (with its `url`). FeedError if
        none or several match."""
        def apply(state: dict) -> dict:
            url = self.find(state, key)
            return dict(state["feeds"].pop(url), url=url)

        return self.change(apply)


# ---------------------------------------------------------------- fetching

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
    paths: list[str] = field(default_factory=list)


@dataclass
class FetchReport:
    """What a fetch did: each feed's result, the HTTP requests made and the seconds taken."""

    feeds: list[FeedResult] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    @property
    def new(self) -> int:
        """Articles added to the library, over all feeds."""
        return sum(r.new for r in self.feeds)

    @property
    def updated(self) -> int:
        """Articles rewritten because their feed entry changed, over all feeds."""
        return sum(r.updated for r in self.feeds)

    @property
    def errors(self) -> list[FeedResult]:
        """The results of the feeds that failed."""
        return [r for r in self.feeds if r.error]


def front_matter(meta: dict) -> str:
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

    def __init__(self, state: FeedState, library: Path, *, timeout: float = TIMEOUT, jobs: int = JOBS,
                 retry_failed: bool = False, only: list[str] | None = None,
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> None:
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
        self.items: dict = {}
        self.keys: dict = {}
        self.pending: set[str] = set()
        self.done = 0
        self.total = 0
        self.statuses: dict[str, dict] = {}  # feed URL -> what this run learnt (ETag, failures, …)
        self.dirty = False  # items changed since the last save
        self.save_lock = threading.Lock()

    # -- the run

    def run(self) -> FetchReport:
        """Fetch the feeds, saving the state as articles arrive and at the end; returns the report. FeedError
        when a state file cannot be read or an `only` key names no feed (or several)."""
        started = time.monotonic()
        snapshot = self.state_file.read()
        stored = load_items(self.state_file.items_path)
        self.items = stored["items"]
        self.keys = stored["keys"]
        feeds = snapshot["feeds"]
        urls = list(feeds)
        if self.only:
            urls = [self.state_file.find(snapshot, key) for key in self.only]
        report = FetchReport()
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

    def _progress(self, done: int, total: int, label: str) -> None:
        if self.progress:
            try:
                self.progress(done, total, label)
            except Exception:  # a display going away (the app quitting) never stops the fetch mid-write
                pass

    def _one(self, url: str, feed: dict) -> FeedResult:
        result = FeedResult(url=url, title=feed.get("title") or url)
        status: dict = {}
        try:
            if self.cancelled():
                result.skipped = "cancelled"
            elif feed.get("failures", 0) >= FAIL_LIMIT and not self.retry_failed:
                result.skipped = (f"failed {feed['failures']} times in a row (last: {feed.get('error')}); "
                                  "`margin fetch --retry-failed` tries it again")
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
                from tui.core.store import write_atomically

                write_atomically(self.state_file.items_path, payload)
            if statuses:
                def apply(state: dict) -> None:
                    for url, status in statuses.items():
                        if status and url in state["feeds"]:
                            state["feeds"][url].update(status)

                self.state_file.change(apply)

    def _fetch_feed(self, url: str, feed: dict, result: FeedResult, status: dict) -> None:
        response = self.hosts.get(url, max_bytes=MAX_FEED_BYTES, accept=FEED_ACCEPT,
                                  etag=feed.get("etag"), modified=feed.get("modified"))
        status.update(failures=0, error=None, checked=now_iso())
        if response.status == 304:
            result.unchanged = True
            return
        doc = parse_feed(response)
        title = doc.title if doc.title != response.final_url else (feed.get("title") or doc.title)
        result.title = title
        status.update(title=title, etag=response.headers.get("etag"), modified=response.headers.get("last-modified"))
        if doc.link and not feed.get("site"):
            status["site"] = doc.link
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
            keys.append(f"hash:{_digest(item.title + chr(10) + item.content, 64)}")
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
                item_id = _digest(keys[0], 16)
                self.items[item_id] = {"path": str(path), "feed": feed_url, "fingerprint": item.fingerprint,
                                       "hash": _text_hash(text), "title": meta.get("title"), "saved": now_iso()}
                for key in keys + extra + [hash_key]:
                    self.keys[key] = item_id
                self.dirty = True
                result.new += 1
                result.paths.append(str(path))
        finally:
            with self.lock:
                self.pending.difference_update(keys)

    def _article(self, feed_url: str, feed_title: str, item: Item, result: FeedResult):
        """(text or None, front matter, final URL): the page's article text through trafilatura,
        else the feed's own content."""
        from tui.core.fetch import parse_fetched

        parsed = None
        final_url = item.link
        if item.link:
            try:
                if not self.hosts.allowed(item.link):
                    result.notes.append(f"{clean(item.link, 200)}: robots.txt disallows it; the feed's text is used")
                else:
                    response = self.hosts.get(item.link)
                    final_url = response.final_url
                    parsed = parse_fetched(response.fetched())
            except FetchError as exc:
                result.notes.append(f"{clean(exc, 300)}; the feed's text is used")
        title = item.title or (parsed.title if parsed else "") or "(untitled)"
        meta = {"title": title, "author": item.author or (parsed.author if parsed else None),
                "date": item.date or (parsed.date if parsed else None), "source": feed_title,
                "url": item.link or final_url, "feed": feed_url, "guid": item.guid, "fetched": now_iso()}
        paragraphs = html_to_paragraphs(item.content)
        if paragraphs and paragraphs[0] == title:
            paragraphs = paragraphs[1:]
        if parsed is not None:
            from tui.core.articles import count_words

            page_words = count_words(parsed.text) - count_words(parsed.title or "")
            feed_words = sum(count_words(p) for p in paragraphs)
            if page_words >= max(MIN_PAGE_WORDS, feed_words):
                return parsed.text.rstrip("\n") + "\n", meta, final_url
            result.notes.append(f"{clean(item.link, 200)}: the page gives {'less text than the feed' if page_words >= MIN_PAGE_WORDS else 'no article text'}; the feed's text is used")
        if not paragraphs:
            result.notes.append(f"{clean(item.link or title, 200)}: no article text on the page nor in the feed; skipped")
            return None, meta, final_url
        return title + "\n\n" + "\n\n".join(paragraphs) + "\n", meta, final_url

    def _write_new(self, item: Item, text: str, meta: dict, keys: list[str]) -> Path:
        self.library.mkdir(parents=True, exist_ok=True)
        # The name follows from the item, so a fetch cut short before its state was saved
        # rewrites the same file next time rather than adding a second copy.
        path = self.library / f"{_slug(meta['title'])}-{_digest(keys[0], 8)}.md"
        _write_file(path, front_matter(meta) + text)
        return path

    def _update(self, item_id: str | None, item: Item, text: str | None, meta: dict, result: FeedResult) -> None:
        record = self.items.get(item_id) if item_id else None
        if record is None:
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


def _text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def _write_file(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FetchError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def fetch_feeds(library: Path, *, state: FeedState | None = None, timeout: float = TIMEOUT, jobs: int = JOBS,
                retry_failed: bool = False, only: list[str] | None = None,
                progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] | None = None,
                wait: float = LOCK_WAIT, waiting: Callable[[], None] | None = None) -> FetchReport:
    """Fetch every subscribed feed (or `only` those) into `library`, holding the fetch lock.

    `progress(done, total, feed title)` is called from worker threads. `waiting()` is called once
    when another fetch holds the lock (this one then waits up to `wait` seconds)."""
    from filelock import Timeout

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
        return Fetcher(state, library, timeout=timeout, jobs=jobs, retry_failed=retry_failed, only=only,
                       progress=progress, cancelled=cancelled).run()
    finally:
        lock.release()
