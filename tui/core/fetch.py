"""Fetching an article from a URL: urllib with a timeout and a size cap, then text extraction.

Only http and https URLs. Every failure is a `FetchError` with one line naming the URL and why.
"""

from __future__ import annotations

import http.client
import math
import re
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from tui.core.articles import ArticleError, Parsed, normalise_newlines, parse_plain

TIMEOUT = 20.0  # seconds: the whole request (connect, headers, body), and so each read too
MAX_TIMEOUT = 600.0  # seconds: the longest time limit a request may be given
MAX_BYTES = 10 * 1024 * 1024
USER_AGENT = "Margin/0.1 (terminal news reader; +https://github.com/)"


class FetchError(Exception):
    """A URL that could not be fetched or holds no article; the message is one line."""


@dataclass
class Fetched:
    """A fetched web page: where it ended up (after redirects), its bytes and declared type."""

    url: str  # as asked
    final_url: str  # after redirects
    data: bytes
    content_type: str
    charset: str | None


def is_url(value: str) -> bool:
    """Whether a command-line argument is a web address (http or https) rather than a path."""
    return bool(re.match(r"^https?://", value.strip(), re.IGNORECASE))


def timeout_problem(seconds: float) -> str | None:
    """Why `seconds` cannot be a request's time limit (one sentence), or None: it must be a
    finite number above 0 and at most MAX_TIMEOUT (an infinite or huge one overflows the timer;
    0 or less makes every request fail, so a healthy feed would be counted as failing)."""
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_TIMEOUT:
        return f"{seconds:g} is not a time limit: give seconds above 0 and at most {MAX_TIMEOUT:g}"
    return None


class Deadline:
    """An overall deadline for one HTTP request (redirects included): when it runs out, every
    socket its opener made is shut, so a server that drips one byte a second is cut off too."""

    def __init__(self, seconds: float) -> None:
        problem = timeout_problem(seconds)
        if problem:
            raise ValueError(problem)
        self.seconds = seconds
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.expired = threading.Event()
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True

    def _expire(self) -> None:
        self.expired.set()
        with self.lock:
            for sock in self.sockets:
                shut(sock)

    def start(self) -> None:
        """Start counting (call once, when the request really begins)."""
        self.timer.start()

    def cancel(self) -> None:
        """Stop counting (the request ended)."""
        self.timer.cancel()

    @contextmanager
    def bounding(self, url: str) -> Iterator[None]:
        """Around a request's work: stop counting at the end, and say "timed out" when the
        deadline cut the connection (a failure it caused, or a body it left incomplete)."""
        timed_out = f"{url}: timed out after {self.seconds:g} s"
        try:
            yield
        except FetchError:
            if self.expired.is_set():
                raise FetchError(timed_out) from None
            raise
        finally:
            self.cancel()
        if self.expired.is_set():  # the connection was cut: what was read is not the whole body
            raise FetchError(timed_out)

    def opener(self, *handlers: type[urllib.request.BaseHandler]) -> urllib.request.OpenerDirector:
        """A urllib opener whose connections register their sockets with this deadline (a
        connection made after it ran out is shut at once); `handlers` are added."""
        deadline = self

        def register(sock: socket.socket) -> None:
            with deadline.lock:
                deadline.sockets.append(sock)
            if deadline.expired.is_set():
                shut(sock)

        class Connection(http.client.HTTPConnection):
            def connect(self) -> None:
                super().connect()
                register(self.sock)

        class SecureConnection(http.client.HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                register(self.sock)

        class Handler(urllib.request.HTTPHandler):
            def http_open(self, req: Request) -> http.client.HTTPResponse:
                return self.do_open(Connection, req)

        class SecureHandler(urllib.request.HTTPSHandler):
            def https_open(self, req: Request) -> http.client.HTTPResponse:
                return self.do_open(SecureConnection, req, context=getattr(self, "_context", None))

        return urllib.request.build_opener(Handler, SecureHandler, *handlers)


def shut(sock: socket.socket) -> None:
    """Shut a socket down for both directions (a blocked read then returns at once)."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """Fetch `url`; `timeout` bounds the whole request (a server that drips one byte a second
    is cut off when it runs out), not only each read."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FetchError(f"{url}: not an http(s) URL")
    deadline = Deadline(timeout)
    deadline.start()
    with deadline.bounding(url):
        result = _fetch(url, timeout, max_bytes, deadline.opener())
    return result


def _fetch(url: str, timeout: float, max_bytes: int, opener: urllib.request.OpenerDirector) -> Fetched:
    request = Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
            "Accept-Encoding": "identity",
        },
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{url}: too large ({int(length) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
            data = response.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise FetchError(f"{url}: too large (over {max_bytes / 1e6:.0f} MB)")
            return Fetched(
                url=url,
                final_url=response.geturl() or url,
                data=data,
                content_type=response.headers.get_content_type(),
                charset=response.headers.get_content_charset(),
            )
    except FetchError:
        raise
    except HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(f"{url}: timed out after {timeout:g} s") from None
        raise FetchError(f"{url}: cannot connect ({getattr(reason, 'strerror', None) or reason})") from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"{url}: timed out after {timeout:g} s") from None
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise FetchError(f"{url}: cannot be fetched ({type(exc).__name__}: {exc})") from None


def parse_fetched(fetched: Fetched) -> Parsed:
    """The article in a fetched page: HTML through trafilatura, plain text as it is."""
    from tui.core.article_formats import decode_html, parse_html
    from tui.core.articles import decode_bytes, looks_binary

    if fetched.content_type not in ("text/html", "application/xhtml+xml", "text/plain", "application/octet-stream"):
        raise FetchError(f"{fetched.url}: not an article page (content type {fetched.content_type})")
    if not fetched.data.strip():
        raise FetchError(f"{fetched.url}: the page is empty")
    if looks_binary(fetched.data):
        raise FetchError(f"{fetched.url}: looks like a binary file, not text")
    text = None
    if fetched.charset:
        try:
            text = fetched.data.decode(fetched.charset)
        except (LookupError, UnicodeError):  # an unknown or unusable charset label: detect instead
            text = None
    try:
        if fetched.content_type == "text/plain":
            return parse_plain(normalise_newlines(text if text is not None else decode_bytes(fetched.data)), None)
        html = text if text is not None else decode_html(fetched.data)
        parsed = parse_html(html, None, url=fetched.final_url)
    except ArticleError as exc:
        raise FetchError(f"{fetched.url}: {str(exc).split(': ', 1)[-1]}") from None
    parsed.url = fetched.url
    return parsed


def to_markdown(parsed: Parsed, fetched_at: datetime | None = None) -> str:
    """A library file for a fetched article: front matter (title, date, author, source, url) + text."""
    import json

    fetched_at = fetched_at or datetime.now(timezone.utc)
    lines = ["---"]
    for key, value in (
        ("title", parsed.title),
        ("date", parsed.date),
        ("author", parsed.author),
        ("source", parsed.source),
        ("url", parsed.url),
    ):
        if value:
            lines.append(f"{key}: {json.dumps(' '.join(str(value).split()), ensure_ascii=False)}")
    lines.append(f"fetched: {fetched_at.isoformat(timespec='seconds').replace('+00:00', 'Z')}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + parsed.text.rstrip("\n") + "\n"
