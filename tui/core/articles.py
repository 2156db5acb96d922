"""Articles: reading files of any reasonable encoding, normalising them, and finding their metadata.

The text an `Article` holds is the *normalised* text: decoded, BOM removed, CRLF/CR turned into LF.
Every character offset Margin shows, stores or exports indexes this text.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES
# Files in an article folder that describe the folder rather than being articles.
NOT_ARTICLES = {"readme", "license", "licence", "changelog", "copying", "authors", "notice"}


def is_article_name(name: str) -> bool:
    """Whether a file found while walking a folder should be listed as an article."""
    stem, suffix = os.path.splitext(name)
    return not name.startswith(".") and suffix.lower() in ARTICLE_SUFFIXES and stem.lower() not in NOT_ARTICLES
MAX_ARTICLE_BYTES = 32 * 1024 * 1024  # larger files are refused with a message, not loaded
MAX_HTML_BYTES = 16 * 1024 * 1024  # HTML extraction is slower: a lower cap
TITLE_MAX_CHARS = 160
DERIVED_TITLE_CHARS = 200  # the first sentence, whole in most articles (screens shorten it)

_DATE_LINE = re.compile(r"^\s*date[:\s]\s*(\d{4}-\d{2}-\d{2})\b\s*(.*)$", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:['’]\w+)*")


class ArticleError(Exception):
    """An article file that cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class Article:
    """One article as Margin reads it: the normalised text every offset indexes, and its metadata."""
    id: str  # content hash of the normalised text (stable across moves and renames)
    path: Path
    title: str
    date: str | None  # ISO date the file gives (front matter, dateline, HTML metadata), else None
    text: str
    title_span: tuple[int, int] | None  # the title line inside `text`, shown as a heading
    caption_span: tuple[int, int] | None  # a dateline/caption line, shown dimmed
    word_count: int
    date_from_file: bool = True
    source: str | None = None  # site, publisher or author, when the file names one
    author: str | None = None
    url: str | None = None
    format: str = "text"  # text | markdown | html

    @property
    def text_hash(self) -> str:
        """The hash of this article's text (annotations keep it to notice edits)."""
        return text_hash(self.text)


def text_hash(text: str) -> str:
    """SHA-256 of a text, hex: the identity of an article's content."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def decode_bytes(data: bytes) -> str:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16/32 with BOM, else the detected legacy encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    return data.decode("cp1252", errors="replace")


def normalise_newlines(text: str) -> str:
    """CRLF and CR newlines turned into LF; nothing else changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_binary(data: bytes) -> bool:
    """Whether bytes look like a binary file: a NUL byte in the first 8 KiB (UTF-16 with a BOM excepted)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head


def read_article_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of an article file. Raises ArticleError with a one-line reason.

    Only regular files are read (a FIFO or device named `x.txt` would block forever).
    """
    limit = MAX_ARTICLE_BYTES if limit is None else limit
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ArticleError(f"{path}: is a folder, not an article file")
        if not stat.S_ISREG(info.st_mode):
            raise ArticleError(f"{path}: not a regular file")
        size = info.st_size
        if size > limit:
            raise ArticleError(
                f"{path}: too large ({size / 1e6:.0f} MB; Margin opens articles up to "
                f"{limit // (1024 * 1024)} MiB)"
            )
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:  # grew while we looked
            raise ArticleError(f"{path}: too large (over {limit // (1024 * 1024)} MiB)")
    except ArticleError:
        raise
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except PermissionError:
        raise ArticleError(f"{path}: permission denied") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: symlink loop on some Pythons
        raise ArticleError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if not data.strip():
        raise ArticleError(f"{path}: the file is empty")
    if looks_binary(data):
        raise ArticleError(f"{path}: looks like a binary file, not text")
    return data


def read_article_text(path: Path) -> str:
    """Read and normalise an article file. Raises ArticleError with a one-line reason."""
    return normalise_newlines(decode_bytes(read_article_bytes(path)))


def article_format(path: Path) -> str:
    """The reader for a file, by its suffix: "markdown", "html" or "text"."""
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "text"


def load_article(path: str | Path) -> Article:
    """Read one article file (.txt, .md with front matter, .html). Raises ArticleError."""
    path = Path(path)
    fmt = article_format(path)
    try:
        if fmt == "html":
            from tui.core.article_formats import parse_html

            data = read_article_bytes(path, min(MAX_HTML_BYTES, MAX_ARTICLE_BYTES))
            parsed = parse_html(data, path)
        else:
            text = read_article_text(path)
            if fmt == "markdown":
                from tui.core.article_formats import parse_markdown

                parsed = parse_markdown(text, path)
            else:
                parsed = parse_plain(text, path)
        return _article_from(path, parsed, fmt)
    except ArticleError:
        raise
    except (ValueError, LookupError, OSError, RecursionError, MemoryError) as exc:
        # a reader library choking on odd input is one bad file, never a crash of the whole app
        raise ArticleError(f"{path}: cannot be read as {fmt} ({type(exc).__name__}: {exc})") from None


@dataclass
class Parsed:
    """What a format reader found: the normalised text and whatever metadata the file gives."""

    text: str
    title: str | None = None
    title_span: tuple[int, int] | None = None
    caption_span: tuple[int, int] | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None


def parse_plain(text: str, path: Path | None = None) -> Parsed:
    """Title, dateline and caption of a plain-text article (its first lines), the text unchanged."""
    if not text.strip():
        raise ArticleError(f"{path}: the file has no text")
    title, title_span, caption_span, date = _metadata(text)
    return Parsed(text=text, title=title, title_span=title_span, caption_span=caption_span, date=date)


def _article_from(path: Path, parsed: Parsed, fmt: str) -> Article:
    text = parsed.text
    if not text.strip():
        raise ArticleError(f"{path}: the file has no text")
    title = parsed.title
    if not title:
        title = _metadata(text)[0]
    # Only a date the file states: a file's modification time (often the day it was copied or
    # cloned) would be a misleading date for the story, so an undated article has no date.
    date = parsed.date
    date_from_file = date is not None
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        resolved = path.absolute()
    return Article(
        id=text_hash(text)[:16],
        path=resolved,
        title=" ".join(title.split())[:400] or "(untitled)",
        date=date,
        text=text,
        title_span=parsed.title_span,
        caption_span=parsed.caption_span,
        word_count=count_words(text),
        date_from_file=date_from_file,
        source=parsed.source,
        author=parsed.author,
        url=parsed.url,
        format=fmt,
    )


def count_words(text: str) -> int:
    """The number of words (runs of non-space characters) in a text."""
    return len(_WORD.findall(text))


def _lines_with_offsets(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _metadata(text: str):
    """(title, title_span, caption_span, date) from the first non-empty line(s)."""
    lines = [(o, line) for o, line in _lines_with_offsets(text) if line.strip()]
    title = None
    title_span = caption_span = None
    date = None
    if not lines:
        return "(empty)", None, None, None
    first_offset, first = lines[0]
    span = _stripped_span(first_offset, first)
    match = _DATE_LINE.match(first)
    if match:
        date = match.group(1)
        caption_span = span
        body = lines[1:]
    elif _is_title_line(text, first_offset, first):
        title = first.strip().lstrip("#").strip()
        title_span = span
        body = lines[1:]
    else:
        body = lines
    if title is None:
        title = _derived_title(body[0][1] if body else first)
    return title, title_span, caption_span, date


def _stripped_span(offset: int, line: str) -> tuple[int, int]:
    start = offset + (len(line) - len(line.lstrip()))
    return start, offset + len(line.rstrip())


def _is_title_line(text: str, offset: int, line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("# "):
        return True
    if len(stripped) > TITLE_MAX_CHARS:
        return False
    after = text[offset + len(line): offset + len(line) + 2]
    followed_by_blank = after == "\n\n" or after == "\n" and offset + len(line) + 1 >= len(text)
    ends_like_sentence = stripped.endswith((".", ",", ";", ":")) and not stripped.endswith("...")
    return followed_by_blank and not ends_like_sentence


def _derived_title(paragraph: str) -> str:
    """A title from the first sentence of the body, cut at a word boundary."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"‘'])", paragraph.strip(), maxsplit=1)[0]
    sentence = " ".join(sentence.split())
    if len(sentence) <= DERIVED_TITLE_CHARS:
        return sentence.rstrip(".")
    cut = sentence[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
