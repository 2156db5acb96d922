"""Readers for the richer article formats: Markdown with front matter, and HTML pages.

Each returns a `Parsed` (see `tui.core.articles`): the normalised text that every offset indexes,
and the metadata the file gives (title, date, author, source, url). trafilatura is imported only
when an HTML article is read, so the library's start-up never pays for it.
"""

from __future__ import annotations

import json
import re
from datetime import date as Date
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from tui.core.article_text import (
    ArticleError,
    Parsed,
    _metadata,
    _stripped_span,
    decode_bytes,
    normalise_newlines,
)

_FRONT_MATTER_OPEN = re.compile(r"\A---[ \t]*\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_TEXT_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y", "%B %d %Y")

SOURCE_KEYS = ("source", "site", "site_name", "sitename", "publisher", "publication", "outlet")
URL_KEYS = ("url", "link", "canonical_url", "canonical", "source_url")
DATE_KEYS = ("date", "published", "published_at", "pubdate", "created")


def parse_date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) from a front-matter or metadata value, or None."""
    if value is None:
        return None
    if isinstance(value, (Date, datetime)):
        return value.isoformat()[:10]
    text = str(value).strip().strip("'\"").strip()
    if not text:
        return None
    match = _ISO_DATE.search(text)
    if match:
        try:
            return Date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
        except ValueError:
            return None
    for fmt in _TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date().isoformat()  # RFC 2822, as in feeds and mail
    except (TypeError, ValueError, IndexError):
        return None


_SINGLE_QUOTED = re.compile(r"^'((?:[^']|'')*)'\s*(?:#.*)?$")
_DOUBLE_QUOTED = re.compile(r'^("(?:[^"\\]|\\.)*")\s*(?:#.*)?$')


def _scalar(raw: str) -> str:
    """A YAML scalar, the common cases: plain (with a trailing # comment), 'single', "double", [a, b]."""
    value = raw.strip()
    if value.startswith("[") and value.endswith("]"):  # a flow list: keep the items, comma-joined
        return ", ".join(_scalar(item) for item in value[1:-1].split(",") if item.strip())
    match = _DOUBLE_QUOTED.match(value)
    if match:
        try:
            return str(json.loads(match.group(1))).strip()  # JSON escapes are YAML's too
        except ValueError:
            return match.group(1)[1:-1].strip()
    match = _SINGLE_QUOTED.match(value)
    if match:
        return match.group(1).replace("''", "'").strip()
    if value.startswith("#"):
        return ""
    if " #" in value:
        value = value.split(" #", 1)[0]
    return value.strip()


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """(metadata, offset where the body starts). A tiny YAML subset: `key: value` and `- item` lists."""
    opening = _FRONT_MATTER_OPEN.match(text)
    if opening is None:
        return {}, 0
    close = _FRONT_MATTER_CLOSE.search(text, opening.end())
    if close is None:
        return {}, 0
    block = text[opening.end() : close.start()]
    meta: dict[str, str] = {}
    key = None
    for line in block.split("\n"):
        match = _KEY_VALUE.match(line)
        if match:
            key = match.group(1).lower().replace("-", "_")
            meta[key] = _scalar(match.group(2))
        elif key and line.strip().startswith("- "):  # a block list under the last key
            item = _scalar(line.strip()[2:])
            meta[key] = f"{meta[key]}, {item}" if meta.get(key) else item
    end = close.end()
    if text[end : end + 1] == "\n":
        end += 1
    return meta, end


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = meta.get(key)
        if value:
            return value
    return None


def parse_markdown(text: str, path: Path | None = None) -> Parsed:
    """A Markdown article: YAML front matter honoured, body kept verbatim (offsets index it)."""
    meta, body_start = split_front_matter(text)
    body = text[body_start:]
    # Leading blank lines are dropped so the article starts with its first line of text.
    body = body.lstrip("\n")
    if not body.strip():
        raise ArticleError(f"{path}: the file has no text")
    title, title_span, caption_span, date = _metadata(body)
    heading = _first_heading(body)
    if heading:
        title, title_span = heading
    if meta.get("title"):  # the front matter wins; the first line keeps its heading style
        title = meta["title"]
    date = parse_date(_first(meta, DATE_KEYS)) or date
    author = meta.get("author") or meta.get("authors") or meta.get("byline")
    url = _first(meta, URL_KEYS)
    source = _first(meta, SOURCE_KEYS) or _host(url)  # never the author: a writer is not an outlet
    return Parsed(
        text=body,
        title=title,
        title_span=title_span,
        caption_span=caption_span,
        date=date,
        source=source,
        author=author,
        url=url,
    )


def _first_heading(body: str) -> tuple[str, tuple[int, int]] | None:
    """The first non-empty line when it is a `#` heading: (title, span of the line)."""
    offset = 0
    for line in body.split("\n"):
        if line.strip():
            match = _HEADING.match(line)
            if match and match.group(1):
                return match.group(1), _stripped_span(offset, line)
            return None
        offset += len(line) + 1
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if host and host.startswith("www."):
        host = host[4:]
    return host or None


def decode_html(data: bytes) -> str:
    """HTML bytes to text: a BOM or `<meta charset>` when it decodes cleanly, else detection."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        match = _META_CHARSET.search(data[:4096])
        if match:
            try:
                return data.decode(match.group(1).decode("ascii"))
            except (LookupError, UnicodeError):  # an unknown or unusable charset label: detect instead
                pass
    return decode_bytes(data)


_CHAR_REF = re.compile(r"&#(?:([0-9]{1,8})|[xX]([0-9a-fA-F]{1,8}));?")
_RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _char_ref(match: re.Match[str]) -> str:
    code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    if 0x80 <= code <= 0x9F:  # as browsers do (HTML's numeric reference rules): the Windows-1252 character
        try:
            return bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            return "\ufffd"
    if code in (0x09, 0x0A, 0x0D) or not (code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF):
        return str(match.group(0))
    return "\ufffd"


def sanitise_html(html: str) -> str:
    """HTML without control characters, raw or as numeric references (`&#27;`): the HTML parser
    refuses a page holding one, and they must not reach the article text (a terminal would act
    on them). Each becomes U+FFFD; `&#128;`–`&#159;` become their Windows-1252 characters, as in
    browsers."""
    if "&#" in html:
        html = _CHAR_REF.sub(_char_ref, html)
    return _RAW_CONTROLS.sub("\ufffd", html)


def parse_html(data: bytes | str, path: Path | None = None, url: str | None = None) -> Parsed:
    """An HTML page: main text, title, author, date and site extracted with trafilatura.

    The article text is the title line, a blank line, then the paragraphs separated by blank lines.
    """
    html = data if isinstance(data, str) else decode_html(data)
    html = sanitise_html(normalise_newlines(html))
    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=False)
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken pages
        raise ArticleError(f"{path or url}: the HTML could not be parsed ({type(exc).__name__})") from None
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    paragraphs = [" ".join(p.split()) for p in _RAW_CONTROLS.sub("\ufffd", normalise_newlines(body)).split("\n")]
    paragraphs = [p for p in paragraphs if p]
    title = " ".join(_RAW_CONTROLS.sub("\ufffd", getattr(doc, "title", None) or "").split()) if doc is not None else ""
    if not paragraphs:
        raise ArticleError(f"{path or url}: no article text found in the HTML")
    if title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if title:
        text = title + "\n\n" + "\n\n".join(paragraphs)
        title_span = (0, len(title))
    else:
        text = "\n\n".join(paragraphs)
        title_span = None
        title = _metadata(text)[0]
    author = getattr(doc, "author", None) or None
    page_url = url or getattr(doc, "url", None) or None
    source = getattr(doc, "sitename", None) or _host(page_url) or getattr(doc, "hostname", None)  # never the author
    return Parsed(
        text=text,
        title=title,
        title_span=title_span,
        caption_span=None,
        date=parse_date(getattr(doc, "date", None)),
        source=source,
        author=author,
        url=page_url,
    )
