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
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    wide = utf16_without_bom(data)
    if wide is not None:
        notices.append(f"read as {wide.upper()} (the file has no byte-order mark)")
        return data.decode(wide, errors="replace")
    if b"\x1b$" in data[:SAMPLE_BYTES] and data.isascii():  # ISO-2022: 7-bit, escape sequences between scripts
        try:
            return data.decode("iso2022_kr" if b"\x1b$)C" in data[:SAMPLE_BYTES] else "iso2022_jp_2")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _nearly_utf8(data):
        return _utf8_replacing(data, notices)
    if _reads_as_western(data[: SAMPLE_BYTES * 8]):
        return data.decode("cp1252", errors="replace")
    return data.decode(_detected_encoding(data) or "cp1252", errors="replace")


# What a Western (cp1252) text has beyond ASCII besides accented letters: typographic punctuation.
_WESTERN_SIGNS = frozenset("‘’‚“”„–—…•€£¥©®°±«»·¡¿§¶×÷\xa0")
_WESTERN_LETTERS = frozenset("ŒœŠšŽžŸƒ") | frozenset(chr(c) for c in range(0xC0, 0x100) if chr(c).isalpha())


def _reads_as_western(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 read as English or another Western language in cp1252:
    beyond ASCII only accented Latin letters inside words that also have plain letters (or one
    letter alone, as "à"), at most a quarter of the letters, and typographic punctuation. The
    detector guesses a short text wrongly ("Naïve résumé" as Baltic "Na’ve rķsumķ"); Cyrillic,
    Greek or Asian bytes read in cp1252 give words of accented letters only, or bytes it lacks."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    beyond = {c for c in text if ord(c) > 127}
    if not beyond <= _WESTERN_SIGNS | _WESTERN_LETTERS:
        return False
    accented = 0
    for word in _LETTER_RUNS.findall(text):
        if not word.isascii():
            if len(word) > 1 and not any(c.isascii() for c in word):
                return False
            accented += sum(1 for c in word if not c.isascii())
    return accented * 4 <= sum(1 for c in text if c.isalpha()) + 8  # (a few in a short text)


_LETTER_RUNS = re.compile(r"[^\W\d_]+")


def _detected_encoding(data: bytes) -> str | None:
    """The legacy encoding charset_normalizer reads the first MB of `data` in (a Western one when it
    reads as cleanly: English news), or None. Detected without stray control bytes (which throw the
    detector off), on whole lines; a cut through a two-byte character (a file or sample without line
    breaks) fails every Asian encoding, so without an answer it asks again one byte shorter."""
    from charset_normalizer import from_bytes

    sample = _prefix(data, 1_000_000).translate(None, STRAY_CONTROL_BYTES)
    for attempt in (sample, sample[:-1]):
        matches = from_bytes(attempt)
        best = matches.best()
        if best is None or not best.encoding:
            continue
        for match in matches:  # as clean a reading as the detector's pick: the Western one
            if match.encoding in WESTERN_ENCODINGS and match.chaos <= best.chaos and match.coherence >= best.coherence:
                return str(match.encoding)
        return str(best.encoding)
    return None


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
WIDE_BOMS = tuple(bom for bom, _ in _WIDE_BOMS)  # the byte-order marks of UTF-16 and UTF-32
SAMPLE_BYTES = 8192  # how much of a file tells whether it is text, and in what encoding when wide
# Control bytes that text does not hold (tab, newlines, vertical tab and form feed are text; DEL is not).
STRAY_CONTROL_BYTES = bytes([*(c for c in range(32) if chr(c) not in "\t\n\r\f\v"), 0x7F])


def _prefix(data: bytes, limit: int) -> bytes:
    """The first `limit` bytes or a little less, cut where no encoding has a character going on: after
    a line break in the second half, else after a space, digit or punctuation byte (below 0x40: no
    UTF-8, Big5, GBK, Shift-JIS or EUC character has one after its first byte) near the end."""
    if len(data) <= limit:
        return data
    cut = data.rfind(b"\n", limit // 2, limit)
    if cut < 0:
        cut = next((i for i in range(limit - 1, limit - 65, -1) if data[i] < 0x40), limit - 1)
    return data[: cut + 1]


def sample_text(data: bytes) -> str:
    """The text of the first `SAMPLE_BYTES` or so of `data`, decoded as `decode_text` decodes the
    whole (cut at a character's boundary)."""
    if len(data) > SAMPLE_BYTES:
        if data.startswith(WIDE_BOMS[:2]):  # UTF-32
            data = data[: SAMPLE_BYTES // 4 * 4]
        elif data.startswith(WIDE_BOMS[2:]) or utf16_without_bom(data) is not None:
            data = data[: SAMPLE_BYTES // 2 * 2]
        else:
            data = _prefix(data, SAMPLE_BYTES)
    return decode_text(data)[0]


# How much each kind of character says "text" (above 0) or "binary data read as text" (below): a
# log-likelihood ratio of its share in real articles (any script) to its share in random bytes as
# the fallback encoding reads them. Letters are weak evidence (half of cp1252 is letters), white
# space strong (1 byte in 37 of random data, 1 character in 6 of prose), control characters,
# U+FFFD, private-use and non-characters very strong the other way, and so are the symbols a
# single-byte reading of random data is full of (currency, legal and maths signs, box drawing),
# which articles use now and then. Digits, punctuation and combining marks say nothing.
_LETTER = re.compile(r"[^\W\d_]")
_SPACE = re.compile("[ \t\n\r\f\v\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Control characters (C0 but white space, DEL, C1), U+FFFD and the other specials, surrogates (a
# lone half of a UTF-16 pair), private use.
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufff0-\uffff\ud800-\udfff\ue000-\uf8ff]")
_ODD_SYMBOL = re.compile(
    "[\xa2-\xa9\xac-\xb1\xb4\xb6\xb8\xbc-\xbe\xd7\xf7\u0192\u02c6\u02dc\u2020\u2021\u2030\u20ac\u2122\u2500-\u259f]"
)
LETTER_SCORE, SPACE_SCORE, JUNK_SCORE, ODD_SCORE = 0.4, 1.7, -5.0, -3.6


def text_score(text: str) -> float:
    """How much `text` reads like writing (above 0) rather than binary data decoded as text (below 0):
    the sum over its characters (see the scores above). Random bytes score about -0.8 a character
    (-0.5 at best in 200 bytes), real text in any script +0.2 or more; a stray control character in
    a short text is outweighed by its words."""
    letters = len(_LETTER.findall(text))
    spaces = len(_SPACE.findall(text))
    junk = len(_JUNK.findall(text))
    odd = len(_ODD_SYMBOL.findall(text))
    return LETTER_SCORE * letters + SPACE_SCORE * spaces + JUNK_SCORE * junk + ODD_SCORE * odd


def looks_like_text(text: str) -> bool:
    """Whether decoded bytes are text rather than binary data (see `text_score`)."""
    return text_score(text) >= 0


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
    """ "utf-16-le" or "utf-16-be" when bytes are clearly UTF-16 text without a byte-order mark, else
    None. Mostly Latin script: a NUL in nearly every other byte, and hardly any in the rest. Another
    alphabet (Greek, Cyrillic, Arabic, Hebrew, Devanagari, Thai …) with ASCII spaces or line breaks:
    NULs at one parity only, where the bytes (the characters' blocks) take a few values, and read that
    way it is text (`text_score`), more so than its bytes without the NULs read as UTF-8 (a text with
    stray NULs). Chinese, Japanese and Korean, whose characters span too many blocks to tell them
    from binary data this way, need a byte-order mark."""
    head = data[:SAMPLE_BYTES]
    head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    even_nuls, odd_nuls = head[0::2].count(0), head[1::2].count(0)
    even, odd = even_nuls / (len(head) // 2), odd_nuls / (len(head) // 2)
    if odd >= 0.9 and even <= 0.05:
        return "utf-16-le"
    if even >= 0.9 and odd <= 0.05:
        return "utf-16-be"
    if (even_nuls == 0) == (odd_nuls == 0):
        return None
    codec, high = ("utf-16-le", head[1::2]) if odd_nuls else ("utf-16-be", head[0::2])
    if len(set(high)) > WIDE_BLOCKS:
        return None
    wide = text_score(head.decode(codec, errors="replace"))
    # Read as UTF-8 without its NULs (and tabs: Devanagari in UTF-16 is a tab every other byte).
    narrow = text_score(head.translate(None, b"\x00\t").decode("utf-8", errors="replace"))
    return codec if wide > max(0.0, narrow) else None


WIDE_BLOCKS = 8  # UTF-16 text in one alphabet: ASCII, its script, punctuation (“ ” —), a few more


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
