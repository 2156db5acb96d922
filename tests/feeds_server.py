"""Local web sites for the feeds tests and bench: one threaded HTTP server per loopback address
(127.0.0.1, 127.0.0.2, … act as different hosts), with routes, ETag / Last-Modified (304s are
counted), gzip, redirects, a server that hangs until released, and a count of requests in flight
per host (at most one at a time is what Margin promises)."""

from __future__ import annotations

import gzip as gzip_mod
import http.server
import threading
from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass
class Route:
    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    location: str | None = None
    hang: bool = False


class Site:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter = Counter()
        self.not_modified = 0
        self.active = 0
        self.max_active = 0
        self.release = threading.Event()
        self.delay = 0.0  # seconds each answer waits: requests that overlap are then seen to
        self._lock = threading.Lock()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):  # noqa: N802
                with site._lock:
                    site.hits[self.path] += 1
                    site.active += 1
                    site.max_active = max(site.max_active, site.active)
                try:
                    status, headers, body = site._respond(self)
                finally:
                    # no longer in flight once the answer starts: the client can only send its
                    # next request after reading this one, so it never overlaps this count
                    with site._lock:
                        site.active -= 1
                if status is None:
                    return
                try:
                    self.send_response(status)
                    for name, value in headers:
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str | bytes = b"", **kwargs) -> str:
        self.routes[path] = Route(body=body.encode("utf-8") if isinstance(body, str) else body, **kwargs)
        return self.url(path)

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _respond(self, handler) -> tuple[int | None, list[tuple[str, str]], bytes]:
        """(status, headers, body) for a request; status None: say nothing (a hanging server)."""
        if self.delay:
            self.release.wait(self.delay)
        route = self.routes.get(handler.path.split("#")[0])
        if route is None:
            return 404, [("Content-Type", "text/plain")], b"not here"
        if route.hang:  # headers never come until the test ends
            self.release.wait(30)
            return None, [], b""
        if route.location:
            return (route.status if route.status in (301, 302, 303, 307, 308) else 302), [("Location", route.location)], b""
        if (route.etag and handler.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and not route.etag and handler.headers.get("If-Modified-Since") == route.last_modified
        ):
            with self._lock:
                self.not_modified += 1
            return 304, [], b""
        body = route.body
        headers = [("Content-Type", route.ctype)]
        if route.etag:
            headers.append(("ETag", route.etag))
        if route.last_modified:
            headers.append(("Last-Modified", route.last_modified))
        if route.gzip and "gzip" in (handler.headers.get("Accept-Encoding") or ""):
            body = gzip_mod.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        return route.status, headers, body


# ---------------------------------------------------------------- documents


def page(title: str, paragraphs: list[str], site_name: str = "Coast Herald") -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta property="og:site_name" content="{escape(site_name)}"></head><body><nav>Menu Home Sport</nav>'
        f"<article><h1>{escape(title)}</h1>{body}</article><footer>Copyright</footer></body></html>"
    )


def story(n: int, extra: str = "") -> list[str]:
    return [
        f"Story number {n}: the harbour council met on Monday night to discuss the new sea wall, officials said, "
        f"and the debate went on until well after midnight. {extra}".strip(),
        f"“We cannot wait another winter for this,” the mayor told reporters after the vote on item {n}, "
        "adding that the works would start in the spring if the budget allowed it.",
        "Residents who attended the meeting said they were relieved, though several questioned the cost "
        "of the project and asked for an independent review of the engineering plans.",
    ]


def rss(title: str, items: list[dict], link: str = "http://example.org/") -> str:
    out = [
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>{escape(link)}</link><description>test</description>"
    ]
    for item in items:
        out.append("<item>")
        for key in ("title", "link", "guid", "author", "pubDate", "description"):
            if item.get(key) is not None:
                out.append(f"<{key}>{escape(item[key])}</{key}>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "".join(out)


def atom(title: str, entries: list[dict]) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id><updated>2024-05-01T10:00:00Z</updated>"
    ]
    for entry in entries:
        out.append(
            f"<entry><title>{escape(entry['title'])}</title><id>{escape(entry['id'])}</id>"
            f'<link rel="alternate" href="{escape(entry["link"])}"/>'
            f"<updated>{entry.get('updated', '2024-05-01T10:00:00Z')}</updated>"
            f"<author><name>{escape(entry.get('author', 'Ann Writer'))}</name></author>"
        )
        if entry.get("content"):
            out.append(f'<content type="html">{escape(entry["content"])}</content>')
        out.append("</entry>")
    out.append("</feed>")
    return "".join(out)
