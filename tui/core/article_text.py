"""What every article reader shares: the error, the parsed form, decoding and the plain-text
metadata (title line, dateline, caption). `tui.core.articles` (the article and its files) and
`tui.core.article_formats` (Markdown and HTML) both build on this module, and neither imports
the other at import time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date as date_type
from pathlib import Path

from tui.core.text import OPENING_QUOTE_MARKS

Span = tuple[int, int]  # (start, end) offsets into an article's text
TITLE_MAX_CHARS = 160
DERIVED_TITLE_CHARS = 200  # the first sentence, whole in most articles (screens shorten it)

# The end of a title's first sentence: final punctuation, then a capital or an opening quotation mark.
_FIRST_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z" + re.escape(OPENING_QUOTE_MARKS) + "])")
_WORD_CHARACTER = re.compile(r"\w")
_DATE_LINE = re.compile(r"^\s*date[:\s]\s*(\d{4}-\d{2}-\d{2})\b\s*(.*)$", re.IGNORECASE)


# Single-byte encodings of Western European text, preferred when a legacy file reads as cleanly in
# them as in the detector's first guess (which, on a tie, is often Central European cp1250:
# "José Núñez" would read "José Núńez").
WESTERN_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")


class ArticleError(Exception):
    """An article file that cannot be read; the message names the file and the reason."""


def decode_bytes(data: bytes) -> str:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16/32 with BOM, else the detected legacy encoding."""
    return decode_text(data)[0]


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """(text, notices): the decoded bytes (as `decode_bytes`) and one line for each thing the
    reader should know: bytes that were not valid UTF-8, UTF-16 without a byte-order mark, NUL
    bytes. Each bad byte sequence and each NUL is shown as U+FFFD."""
    notices: list[str] = []
    text = _decode(data, notices)
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "\ufffd")
        notices.append(f"{nuls} NUL byte(s) in the file are shown as \ufffd")
    return text, notices


def _decode(data: bytes, notices: list[str]) -> str:
    """The text of `data` (see `decode_bytes`); what the reader should know is added to `notices`."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _utf8_replacing(data[3:], notices)
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    wide = utf16_without_bom(data)
    if wide is not None:
        notices.append(f"read as {wide.upper()} (the file has no byte-order mark)")
        return data.decode(wide, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _nearly_utf8(data):
        return _utf8_replacing(data, notices)
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:1_000_000])
    best = matches.best()
    if best is None or not best.encoding:
        return data.decode("cp1252", errors="replace")
    for match in matches:  # as clean a reading as the detector's pick: the Western one (English news)
        if match.encoding in WESTERN_ENCODINGS and match.chaos <= best.chaos and match.coherence >= best.coherence:
            return data.decode(match.encoding, errors="replace")
    return data.decode(best.encoding, errors="replace")


# A valid UTF-8 sequence of two to four bytes (no overlong forms, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII = bytes(range(128))


def _nearly_utf8(data: bytes) -> bool:
    """Whether bytes that are not valid UTF-8 are UTF-8 but for a few bad bytes (a character cut
    short, a stray byte): at least twice as many valid multi-byte sequences as bytes outside them.
    A Latin-1 or cp1252 file has hardly any valid sequences, so it is not taken for UTF-8."""
    rest, sequences = _UTF8_MULTIBYTE.subn(b"", data)
    stray = len(rest.translate(None, _ASCII))  # the bytes of 128 and above outside valid sequences
    return 2 * stray <= sequences


def _utf8_replacing(data: bytes, notices: list[str]) -> str:
    """UTF-8 with each invalid byte sequence shown as U+FFFD, and a notice saying how many there were."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad:
        notices.append(f"the file is UTF-8 but for {bad} invalid byte sequence(s), shown as \ufffd")
    return text


def utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when bytes are clearly UTF-16 text without a byte-order mark
    (mostly Latin script: a NUL in nearly every other byte, and hardly any in the rest), else None."""
    head = data[:8192]
    head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0) / (len(head) // 2), head[1::2].count(0) / (len(head) // 2)
    if odd >= 0.9 and even <= 0.05:
        return "utf-16-le"
    if even >= 0.9 and odd <= 0.05:
        return "utf-16-be"
    return None


def normalise_newlines(text: str) -> str:
    """CRLF and CR newlines turned into LF; nothing else changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


def _lines_with_offsets(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _metadata(text: str) -> tuple[str, Span | None, Span | None, str | None]:
    """(title, title_span, caption_span, date) from the first non-empty line(s)."""
    lines = [(o, line) for o, line in _lines_with_offsets(text) if line.strip()]
    # A line with no word in it ("---" of a front matter block left open, "* * *") is no title.
    lines = [(o, line) for o, line in lines if _WORD_CHARACTER.search(line)] or lines
    title = None
    title_span = caption_span = None
    date = None
    if not lines:
        return "(empty)", None, None, None
    first_offset, first = lines[0]
    span = _stripped_span(first_offset, first)
    match = _DATE_LINE.match(first)
    if match:
        date = _calendar_date(match.group(1))
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


def _calendar_date(text: str) -> str | None:
    """`text` (YYYY-MM-DD) when it is a real calendar date, else None ("2020-02-30" is not)."""
    try:
        return date_type.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _stripped_span(offset: int, line: str) -> tuple[int, int]:
    start = offset + (len(line) - len(line.lstrip()))
    return start, offset + len(line.rstrip())


def _is_title_line(text: str, offset: int, line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("# "):
        return True
    if len(stripped) > TITLE_MAX_CHARS:
        return False
    after = text[offset + len(line) : offset + len(line) + 2]
    followed_by_blank = after == "\n\n" or after == "\n" and offset + len(line) + 1 >= len(text)
    ends_like_sentence = stripped.endswith((".", ",", ";", ":")) and not stripped.endswith("...")
    return followed_by_blank and not ends_like_sentence


def _derived_title(paragraph: str) -> str:
    """A title from the first sentence of the body, cut at a word boundary."""
    sentence = _FIRST_SENTENCE_END.split(paragraph.strip(), maxsplit=1)[0]
    sentence = " ".join(sentence.split())
    if len(sentence) <= DERIVED_TITLE_CHARS:
        return sentence.rstrip(".")
    cut = sentence[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
