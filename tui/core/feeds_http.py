"""Polite HTTP for feeds: conditional GET, gzip, a redirect limit, an overall deadline per request,
size limits, at most one request at a time per host, and robots.txt for article pages.

Built on `tui.core.fetch` (the same opener that `margin add` uses: sockets registered so that a
deadline can cut a server that drips bytes). Every failure is a `FetchError` with one line.
"""

from __future__ import annotations

import gzip
import http.client
import socket
import threading
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import Request
from urllib.robotparser import RobotFileParser

from tui.core.fetch import USER_AGENT, Deadline, Fetched, FetchError

TIMEOUT = 20.0  # seconds for the whole request: connecting, redirects, headers and body
MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_PAGE_BYTES = 10 * 1024 * 1024
MAX_ROBOTS_BYTES = 512 * 1024
MAX_REDIRECTS = 5

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.5, */*;q=0.1"
)
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"


@dataclass
class Response:
    """An HTTP answer: a success with its body (unzipped), or a 304 with headers only (names lower-cased)."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int  # 200 or 304
    data: bytes = b""
    content_type: str = ""
    charset: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def fetched(self) -> Fetched:
        """As `tui.core.fetch` returns it, for `parse_fetched` (trafilatura)."""
        return Fetched(
            url=self.url, final_url=self.final_url, data=self.data, content_type=self.content_type, charset=self.charset
        )


class HTTPStatusError(FetchError):
    """The server answered with an error status (`code`)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers: `get` follows them itself, each hop under its host's lock."""

    def redirect_request(self, req: Request, fp: object, code: int, msg: str, headers: object, newurl: str) -> Request | None:
        return None


@dataclass
class _Redirect:
    location: str


def _gunzip(data: bytes, max_bytes: int, url: str) -> bytes:
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decoder.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise FetchError(f"{url}: the gzip body is damaged ({exc})") from None
    if len(out) > max_bytes:
        raise FetchError(f"{url}: too large once unzipped (over {max_bytes / 1e6:.0f} MB)")
    return out


def get(
    url: str,
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_PAGE_BYTES,
    accept: str = PAGE_ACCEPT,
    etag: str | None = None,
    modified: str | None = None,
    lock_for: Callable[[str], AbstractContextManager[None]] | None = None,
) -> Response:
    """GET `url` within `timeout` seconds in all (redirects included: at most MAX_REDIRECTS, http(s)
    only). With `etag`/`modified` the request is conditional: an unchanged resource is a Response
    with status 304 and no data. `lock_for(url)` is held around each request (one per host); the
    deadline starts once the first one is held."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FetchError(f"{url}: not an http(s) URL")
    deadline = Deadline(timeout)
    opener = deadline.opener(_NoRedirects)
    with deadline.bounding(url):
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            with lock_for(current) if lock_for else nullcontext():
                if hop == 0:
                    deadline.start()
                answer = _get(current, timeout, max_bytes, accept, etag, modified, opener)
            if isinstance(answer, Response):
                answer.url = url
                result = answer
                break
            following = urljoin(current, answer.location)
            if urlsplit(following).scheme.lower() not in ("http", "https"):
                raise FetchError(f"{url}: redirected to an address that is not http(s)")
            current = following
        else:
            raise FetchError(f"{url}: too many redirects (more than {MAX_REDIRECTS})")
    return result


def _get(
    url: str,
    timeout: float,
    max_bytes: int,
    accept: str,
    etag: str | None,
    modified: str | None,
    opener: urllib.request.OpenerDirector,
) -> Response | _Redirect:
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    try:
        with opener.open(Request(url, headers=headers), timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{url}: too large ({int(length) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
            data = response.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise FetchError(f"{url}: too large (over {max_bytes / 1e6:.0f} MB)")
            if (response.headers.get("Content-Encoding") or "").strip().lower() in ("gzip", "x-gzip"):
                data = _gunzip(data, max_bytes, url)
            return Response(
                url=url,
                final_url=response.geturl() or url,
                status=response.status,
                data=data,
                content_type=response.headers.get_content_type(),
                charset=response.headers.get_content_charset(),
                headers={k.lower(): v for k, v in response.headers.items()},
            )
    except FetchError:
        raise
    except HTTPError as exc:
        if exc.code == 304:
            return Response(
                url=url, final_url=exc.geturl() or url, status=304, headers={k.lower(): v for k, v in (exc.headers or {}).items()}
            )
        location = exc.headers.get("Location") if exc.headers and exc.code in (301, 302, 303, 307, 308) else None
        if location:
            return _Redirect(location.strip())
        raise HTTPStatusError(f"{url}: HTTP {exc.code} {one_reason(exc.reason)}", exc.code) from None
    except URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(f"{url}: timed out after {timeout:g} s") from None
        raise FetchError(f"{url}: cannot connect ({getattr(reason, 'strerror', None) or reason})") from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"{url}: timed out after {timeout:g} s") from None
    except (http.client.HTTPException, OSError, ValueError, EOFError, gzip.BadGzipFile) as exc:
        raise FetchError(f"{url}: cannot be fetched ({type(exc).__name__}: {exc})") from None


def one_reason(reason: object) -> str:
    """An HTTP reason phrase as one line of at most 200 characters."""
    return " ".join(str(reason or "").split())[:200]


def host_of(url: str) -> str:
    """The lower-cased host name of `url`; "" when it has none or cannot be parsed."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


class Hosts:
    """At most one request at a time per host, and robots.txt per host (fetched once per run)."""

    def __init__(self, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self._locks: dict[str, threading.Lock] = {}
        self._robots: dict[str, RobotFileParser | bool] = {}
        self._guard = threading.Lock()
        self.requests = 0

    def lock(self, url: str) -> threading.Lock:
        """The lock of `url`'s host (made on first use): held around each request to that host."""
        host = host_of(url)
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def get(
        self,
        url: str,
        *,
        max_bytes: int = MAX_PAGE_BYTES,
        accept: str = PAGE_ACCEPT,
        etag: str | None = None,
        modified: str | None = None,
    ) -> Response:
        """`get` with this run's timeout, holding each hop's host lock; every request is counted in `requests`."""

        @contextmanager
        def hold(hop_url: str) -> Iterator[None]:
            with self.lock(hop_url):
                with self._guard:
                    self.requests += 1
                yield

        return get(url, timeout=self.timeout, max_bytes=max_bytes, accept=accept, etag=etag, modified=modified, lock_for=hold)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets Margin fetch `url`. No robots.txt (4xx) allows everything; a
        robots.txt that cannot be read (5xx, no connection, timeout) allows nothing (RFC 9309)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        robots_lock = self._robots_lock(origin)
        with robots_lock:  # one fetch of robots.txt per origin, however many threads ask
            rules = self._robots.get(origin)
            if rules is None:
                rules = self._load_robots(origin)
                self._robots[origin] = rules
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(USER_AGENT, url)

    def _robots_lock(self, origin: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault("robots " + origin, threading.Lock())

    def _load_robots(self, origin: str) -> RobotFileParser | bool:
        try:
            response = self.get(origin + "/robots.txt", max_bytes=MAX_ROBOTS_BYTES, accept="text/plain, */*;q=0.1")
        except HTTPStatusError as exc:
            return 400 <= exc.code < 500
        except FetchError:
            return False
        parser = RobotFileParser()
        text = response.data.decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return parser
