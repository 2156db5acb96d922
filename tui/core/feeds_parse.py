"""Reading feeds: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed (plain JSON), finding a
page's feeds, and the small cleaning helpers every feeds module uses (feed text is untrusted).

Part of `tui.core.feeds` (which re-exports these names)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from tui.core.feeds_http import FEED_ACCEPT, MAX_FEED_BYTES, TIMEOUT, Response, get
from tui.core.fetch import FetchError

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/x-rss+xml",
    "text/xml",
    "application/xml",
)
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


def file_slug(title: str, limit: int = 60) -> str:
    """A file name stem from a title: lower-case ASCII words joined by "-" ("article" when none)."""
    slug = re.sub(r"[^\w]+", "-", title.lower(), flags=re.ASCII).strip("-")
    return slug[:limit].rstrip("-") or "article"


def short_digest(value: str, n: int = 10) -> str:
    """The first `n` hex digits of the SHA-256 of `value`."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:n]


class _TextExtractor(HTMLParser):
    """Text of an HTML fragment (a feed's content): one paragraph per block element."""

    BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "section",
        "article",
        "pre",
        "ul",
        "ol",
        "table",
        "figure",
        "figcaption",
        "hr",
        "dd",
        "dt",
    }
    SKIP = {"script", "style", "noscript", "template", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
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
        return short_digest("\n".join([self.title, self.content, self.link or ""]), 16)


@dataclass
class FeedDoc:
    """A parsed feed: its title, its site's link, its items and its format."""

    title: str
    link: str | None  # the site's web page (http or https), None when the feed gives none
    items: list[Item]
    kind: str  # rss20, atom10, json, …


def _web_link(base: str, link: object) -> str | None:
    """An item's link resolved against the feed's address; only http(s) (never file:, javascript:)."""
    if not link:
        return None
    url = urljoin(base, str(link).strip())
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def _iso_date(value: object) -> str | None:
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


def _string(value: object) -> str | None:
    """A JSON Feed field as text: a string as it is, anything else (a list, an object) as missing."""
    return value if isinstance(value, str) else None


def _one_per_guid(items: list[Item]) -> list[Item]:
    """The items with the first one of each GUID (a feed listing one GUID twice lists one item:
    the first, the newest as feeds list them)."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item.guid is None or item.guid not in seen:
            out.append(item)
        if item.guid is not None:
            seen.add(item.guid)
    return out


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
        authors = (
            raw.get("authors")
            or ([raw["author"]] if isinstance(raw.get("author"), dict) else [])
            or doc.get("authors")
            or ([doc["author"]] if isinstance(doc.get("author"), dict) else [])
        )
        if not isinstance(authors, list):
            authors = []
        names = [clean(a["name"]) for a in authors if isinstance(a, dict) and _string(a.get("name"))]
        link = _string(raw.get("url")) or _string(raw.get("external_url"))
        content = _string(raw.get("content_html")) or _string(raw.get("content_text")) or _string(raw.get("summary")) or ""
        guid = raw.get("id")
        if isinstance(guid, (int, float)) and not isinstance(guid, bool):
            guid = str(guid)  # the spec asks readers to take a number as its text
        items.append(
            Item(
                guid=clean(guid, 2000) if isinstance(guid, str) and guid else None,
                link=_web_link(base, link),
                title=clean(_string(raw.get("title"))),
                author=", ".join(names) or None,
                date=_iso_date(_string(raw.get("date_published")) or _string(raw.get("date_modified"))),
                content=content,
            )
        )
    title = clean(_string(doc.get("title"))) or base
    link = _web_link(base, _string(doc.get("home_page_url")))
    return FeedDoc(title=title, link=link, items=_one_per_guid(items), kind="json")


def _why_not_a_feed(data: bytes, reason: object) -> str:
    """Why a document is no feed, in words: a web page, or where its XML goes wrong."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "a web page, not RSS, Atom or JSON Feed; give the address of the site's feed"
    where = re.match(r"<unknown>:(\d+):(\d+): (.*)", str(reason or ""))
    if where:
        return f"not RSS, Atom or JSON Feed: its XML breaks at line {where[1]}, column {where[2]}: {clean(where[3], 100)}"
    return f"not RSS, Atom or JSON Feed: {clean(reason, 160)}" if reason else "not RSS, Atom or JSON Feed"


def _site_link(base: str, links: object) -> str | None:
    """The feed's web page: its first alternate link that is no feed (RSS `<link>`, Atom
    `<link rel="alternate">`), http(s) only; None when it gives none. Never feedparser's
    `feed.link`, which falls back to an Atom feed's id (often a `tag:` or `urn:` URI)."""
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, dict) or (link.get("rel") or "alternate") != "alternate":
            continue
        if (link.get("type") or "").lower().split(";")[0].strip() in FEED_TYPES:
            continue
        url = _web_link(base, link.get("href"))
        if url:
            return url
    return None


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
        raise FetchError(f"{response.url}: not a feed ({_why_not_a_feed(response.data, parsed.get('bozo_exception'))})")
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
        items.append(
            Item(
                guid=clean(guid, 2000) if guid else None,
                link=_web_link(base, link),
                title=clean(entry.get("title")),
                author=clean(entry.get("author")) or None,
                date=_iso_date(entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("published")),
                content=content,
            )
        )
    return FeedDoc(
        title=clean(feed.get("title")) or base,
        link=_site_link(base, feed.get("links")),
        items=_one_per_guid(items),
        kind=parsed.get("version") or "feed",
    )


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
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
            raise FetchError(f'{url}: a web page that links to no feed (no <link rel="alternate"> to RSS, Atom or JSON Feed)')
        problems = []
        for link in links:
            try:
                feed = get(link, timeout=timeout, max_bytes=MAX_FEED_BYTES, accept=FEED_ACCEPT)
                return link, parse_feed(feed)
            except FetchError as exc:
                problems.append(str(exc))
        raise FetchError(problems[0])
    return url, parse_feed(response)
