"""Articles: reading files of any reasonable encoding, normalising them, and finding their metadata.

The text an `Article` holds is the *normalised* text: decoded, BOM removed, CRLF/CR turned into LF.
Every character offset Margin shows, stores or exports indexes this text.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from tui.core.article_text import (
    SAMPLE_BYTES,
    STRAY_CONTROL_BYTES,
    WIDE_BOMS,
    ArticleError,
    Parsed,
    _metadata,
    decode_bytes,
    decode_text,
    looks_like_text,
    normalise_newlines,
    parse_plain,
    sample_text,
    utf16_without_bom,
)

# The names callers import from here (some re-exported from article_text).
__all__ = [
    "ARTICLE_SUFFIXES",
    "Article",
    "ArticleError",
    "HTML_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "MAX_ARTICLE_BYTES",
    "MAX_HTML_BYTES",
    "NOT_ARTICLES",
    "Parsed",
    "TEXT_SUFFIXES",
    "article_format",
    "count_words",
    "decode_bytes",
    "is_article_name",
    "load_article",
    "looks_binary",
    "normalise_newlines",
    "parse_plain",
    "read_article_bytes",
    "read_article_text",
    "text_hash",
]

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
_WORD = re.compile(r"\w+(?:['’]\w+)*")


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
    source: str | None = None  # site or publisher (else the URL's host), when the file names one
    author: str | None = None
    url: str | None = None
    format: str = "text"  # text | markdown | html
    notices: tuple[str, ...] = ()  # what the reader should know about how the file was read (bad bytes…)

    @property
    def text_hash(self) -> str:
        """The hash of this article's text (annotations keep it to notice edits)."""
        return text_hash(self.text)


def text_hash(text: str) -> str:
    """SHA-256 of a text, hex: the identity of an article's content."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


STRAY_NULS = 2  # at most this many NUL (or other control) bytes in the first 8 KiB: text with a stray NUL
BINARY = "looks like a binary file, not text"


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text: see `_binary_problem`."""
    return _binary_problem(data) is not None


def _binary_problem(data: bytes) -> str | None:
    """Why bytes are not read as an article (a binary file, or text with a stray NUL or two), or None.

    A NUL byte in the first 8 KiB is no text (but for UTF-16 or UTF-32). Otherwise the first 8 KiB
    as Margin decodes them must read like writing (`looks_like_text`): random, compressed or other
    binary data has control characters, symbols and bad bytes all over it, and few spaces, in any
    encoding it is decoded with; real text in any script has next to none of them. The common case,
    UTF-8 without control bytes, is text without decoding more than the first 8 KiB.
    """
    head = data[:SAMPLE_BYTES]
    if b"\x00" in head and not head.startswith(WIDE_BOMS) and utf16_without_bom(head) is None:
        controls = len(head) - len(head.translate(None, STRAY_CONTROL_BYTES))
        if controls > STRAY_NULS or controls * 20 > len(head):  # more than a stray byte, or in little text
            return BINARY
        nuls = data.count(0)
        return f"text with {nuls} NUL byte(s) in it (the first at byte {data.index(0):,}): remove them to open it"
    if _plain_utf8(data) or looks_like_text(head.decode("cp1252", errors="replace")):
        return None  # (read as cp1252, the way to tell most legacy files without detecting their encoding)
    return None if looks_like_text(sample_text(data)) else BINARY


def _plain_utf8(data: bytes) -> bool:
    """Whether the first 8 KiB are UTF-8 without a control byte: text, as most articles are."""
    head = data[:SAMPLE_BYTES]
    if len(head.translate(None, STRAY_CONTROL_BYTES)) != len(head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut in two by the 8 KiB is no bad byte
        return len(data) > SAMPLE_BYTES and exc.reason == "unexpected end of data" and exc.start >= SAMPLE_BYTES - 3
    return True


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
            raise ArticleError(f"{path}: too large ({mebibytes(size)}; Margin opens articles up to {mebibytes(limit)})")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:  # grew while we looked
            raise ArticleError(f"{path}: too large (over {mebibytes(limit)})")
    except ArticleError:
        raise
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except PermissionError:
        raise ArticleError(f"{path}: permission denied") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: symlink loop on some Pythons
        raise ArticleError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if not data:
        raise ArticleError(f"{path}: the file is empty")
    if not data.strip():
        raise ArticleError(f"{path}: the file has no text (only blank space)")
    problem = _binary_problem(data)
    if problem:
        raise ArticleError(f"{path}: {problem}")
    return data


def mebibytes(size: int) -> str:
    """A size in MiB for messages, rounded up (just over 32 MiB is "32.1 MiB"): "32 MiB", "33.2 MiB"."""
    mib = size / (1024 * 1024)
    return f"{mib:.0f} MiB" if mib == int(mib) else f"{math.ceil(mib * 10) / 10:.1f} MiB"


def read_article_text(path: Path) -> str:
    """Read and normalise an article file. Raises ArticleError with a one-line reason."""
    return _read_text(path)[0]


def _read_text(path: Path) -> tuple[str, list[str]]:
    """(the normalised text of an article file, notices about its bytes: see `decode_text`)."""
    text, notices = decode_text(read_article_bytes(path))
    return normalise_newlines(text), notices


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
    notices: list[str] = []
    try:
        if fmt == "html":
            from tui.core.article_formats import parse_html

            data = read_article_bytes(path, min(MAX_HTML_BYTES, MAX_ARTICLE_BYTES))
            parsed = parse_html(data, path)
        else:
            text, notices = _read_text(path)
            if fmt == "markdown":
                from tui.core.article_formats import parse_markdown

                parsed = parse_markdown(text, path)
            else:
                parsed = parse_plain(text, path)
        return _article_from(path, parsed, fmt, tuple(notices))
    except ArticleError:
        raise
    except (ValueError, LookupError, OSError, RecursionError, MemoryError) as exc:
        # a reader library choking on odd input is one bad file, never a crash of the whole app
        raise ArticleError(f"{path}: cannot be read as {fmt} ({type(exc).__name__}: {exc})") from None


def _article_from(path: Path, parsed: Parsed, fmt: str, notices: tuple[str, ...] = ()) -> Article:
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
        notices=notices,
    )


def count_words(text: str) -> int:
    """The number of words (runs of non-space characters) in a text."""
    return len(_WORD.findall(text))
