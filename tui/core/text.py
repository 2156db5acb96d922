"""Making untrusted text safe to show in a terminal, one character for one character.

Article text, titles, tags and notes may contain terminal control sequences or bidi overrides.
`displayable` maps every such character to a visible placeholder of the same length (1 char),
so character offsets into the original text still index the displayed text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Quotation marks: the one set the core outside analysis/ knows (passages, reading, titles,
# anchoring, messages). The quote engine classifies double marks itself (analysis/quote_marks.py).
DOUBLE_QUOTE_MARKS = '"“”„‟«»″'  # straight, curly, low, reversed, guillemets, double prime
SINGLE_QUOTE_MARKS = "'‘’‚‛′"  # straight, curly, low, reversed, prime
QUOTE_MARKS = DOUBLE_QUOTE_MARKS + SINGLE_QUOTE_MARKS
OPENING_QUOTE_MARKS = '"“„‟«' + "'‘‚‛"  # marks a sentence or quotation can start with (straight ones both ways)
CLOSING_QUOTE_MARKS = '"”»' + "'’"  # marks that can follow a sentence's final punctuation
OPEN_QUOTE = "“"  # the marks Margin writes around a quoted text
CLOSE_QUOTE = "”"
# Every quotation mark made plain (for matching that ignores the kind of quotes).
PLAIN_QUOTES = {**dict.fromkeys(DOUBLE_QUOTE_MARKS, '"'), **dict.fromkeys(SINGLE_QUOTE_MARKS, "'")}


def quoted(text: str) -> str:
    """`text` between Margin's quotation marks: “text”."""
    return f"{OPEN_QUOTE}{text}{CLOSE_QUOTE}"


_BIDI_CONTROLS = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}
REPLACEMENT = "\ufffd"


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        table[code] = chr(0x2400 + code)  # Control Pictures: ␛ for ESC, ␇ for BEL, ␀ for NUL
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):  # C1 controls (CSI, OSC, ... as single characters)
        table[code] = REPLACEMENT
    for code in _BIDI_CONTROLS:
        table[code] = REPLACEMENT
    for code in range(0xD800, 0xE000):  # surrogates: bytes of a file name or argument that were not UTF-8
        table[code] = REPLACEMENT
    table[ord("\t")] = " "
    return table


_TABLE = _build_table()
_KEEP_NEWLINE = dict(_TABLE)
del _KEEP_NEWLINE[ord("\n")]


def _character_class(codes: Iterable[int]) -> re.Pattern[str]:
    """A regular expression matching any of `codes`, written as ranges (quick to compile)."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


_UNSAFE = _character_class(_TABLE)
_UNSAFE_BUT_NEWLINE = _character_class(_KEEP_NEWLINE)


def displayable(text: str, keep_newlines: bool = False) -> str:
    """Return `text` with controls replaced by visible placeholders; same length as `text`."""
    if not text.isascii() and (_UNSAFE_BUT_NEWLINE if keep_newlines else _UNSAFE).search(text) is None:
        return text  # nothing to replace: for text beyond ASCII, a search is 15× faster than translate
    return text.translate(_KEEP_NEWLINE if keep_newlines else _TABLE)


def one_line(text: str, limit: int | None = None) -> str:
    """A single displayable line: whitespace runs folded to one space, optionally shortened."""
    flat = " ".join(text.split())
    flat = displayable(flat)
    if limit is not None and len(flat) > limit:
        flat = flat[: max(0, limit - 1)].rstrip() + "…"
    return flat


_JSON_UNSAFE = {code: f"\\u{code:04x}" for code in list(range(0x7F, 0xA0)) + sorted(_BIDI_CONTROLS)}


def terminal_safe_json(text: str) -> str:
    """JSON text (from json.dumps) with C1 controls and bidi overrides written as \\u escapes.

    json.dumps already escapes C0 controls (ESC, BEL, ...); with ensure_ascii=False it leaves C1
    controls and bidi overrides raw, which some terminals act on. The result is equal JSON.
    """
    return text.translate(_JSON_UNSAFE)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) moved inwards past white space at both ends of text[start:end] (clamped to
    the text: offsets past its end never raise)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def inline(text: str) -> str:
    """Like `one_line` for a fragment inside a line: white-space runs become one space, but a
    space at either end is kept (so "before " + "hit" + " after" still reads as words)."""
    folded = " ".join(text.split())
    if folded and text[:1].isspace():
        folded = " " + folded
    if folded and text[-1:].isspace():
        folded += " "
    return displayable(folded)


# Spaces other than " " that web text puts between words (no-break, figure, narrow, thin, em …).
_ODD_SPACES = {code: " " for code in (0x00A0, 0x2007, 0x202F, 0x3000, *range(0x2000, 0x200B))}


def plain_spaces(text: str) -> str:
    """`text` with no-break, thin and other odd spaces made plain (" "): the tagger reads "Jane\u00a0Doe"
    as one name, and every offset stays the same (one character for one)."""
    return text.translate(_ODD_SPACES)


# Lone surrogates: how Python gives the bytes of a file name or argument that are not UTF-8.
_SURROGATES = re.compile("[\ud800-\udfff]")


def is_valid_text(text: str) -> bool:
    """Whether `text` can be written as UTF-8 (no bytes that were not UTF-8, kept as surrogates)."""
    return _SURROGATES.search(text) is None


def valid_text(text: str) -> str:
    """`text` with each byte that was not UTF-8 (a surrogate) shown as U+FFFD: safe to show and save."""
    return _SURROGATES.sub(REPLACEMENT, text)
