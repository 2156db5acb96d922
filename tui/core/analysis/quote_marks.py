"""Finding quoted stretches of text from the quotation marks alone.

The scanner works paragraph by paragraph on the raw characters, so it needs no tokenizer,
tagger or parser:

1. Every double quotation mark is classified as an opener or a closer. Curly and guillemet
   marks say which they are; a straight ``"`` is judged from its neighbours (space before and
   a letter after opens, a letter or punctuation before and a space or punctuation after
   closes) and, when that is ambiguous, from whether a quote is currently open. A straight
   mark right after a digit with no quote open is an inch sign and is skipped. Inside or
   beside double quotes, single marks are not structural (they are apostrophes far more often
   than quotes), so nested ``‘...’`` quotes and ``workers’ union`` both simply stay inside
   the outer quote.
   British-style text quotes with single marks (``‘...,’ she said``, doubles nested inside).
   A paragraph with no double-mark quote of its own (or whose double quotes all sit inside
   single-mark pairs) is read for single-mark pairs: an opener is ``‘`` (or a straight ``'``
   after a space, before a letter, not an elision such as ``'em``), a closer is ``’``/``'``
   after a non-space and before a space, punctuation or the paragraph end, never inside a
   word (``don’t``). A plural possessive (``towns’ roads``: ``s’`` before a lower-case word)
   closes only when no better closer follows before the next opener. Unpaired single marks
   are ignored.
2. Openers and closers are matched with a stack, which keeps nested double quotes inside
   their outer quote. A top-level pair gives one `QuotedPiece`: the content strictly
   between the marks, with surrounding spaces trimmed.
3. A quote still open at the end of a paragraph is cut at the paragraph end. When the next
   paragraph starts with an opening mark, this is the journalistic multi-paragraph quote
   convention and the two pieces are linked (`runs_on` / `continues`). Otherwise the piece is
   flagged `unclosed` and later stages may treat it more sceptically.
4. If a paragraph ends with more than one quote open (unbalanced nesting), it is re-read in
   "flat" mode where marks simply alternate open/close. Nothing here ever raises: at worst a
   mark is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.core.text import trim_span

OPENING_MARKS = "“„«‟"
CLOSING_MARKS = "”»"
AMBIGUOUS_MARKS = '"″'
ALL_DOUBLE_MARKS = OPENING_MARKS + CLOSING_MARKS + AMBIGUOUS_MARKS

_OPEN_CONTEXT = "([{—–-/" + OPENING_MARKS + "'‘"  # characters after which a mark opens
_CLOSE_CONTEXT = ".,;:!?)]}—–-…" + CLOSING_MARKS + "'’"  # characters before which a mark closes


@dataclass
class QuotedPiece:
    """One quoted passage within a paragraph: its content offsets, its marks, and how it joins neighbouring paragraphs."""

    start: int  # content start (after the opening mark and spaces)
    end: int  # content end (before the closing mark and spaces)
    open_mark: int  # index of the opening mark, or -1 when the piece starts a paragraph unopened
    close_mark: int  # index of the closing mark, or -1 when cut at the paragraph end
    paragraph: int  # index of the paragraph the piece lies in
    runs_on: bool = False  # unclosed here, continued by the next paragraph's opening mark
    continues: bool = False  # opens a paragraph that continues the previous paragraph's quote
    unclosed: bool = False  # cut at the paragraph end with no continuation
    credit: tuple[int, int] | None = None  # a name line closing the quotation ("…\nJane Doe, Acme Institute.”)

    @property
    def outer_start(self) -> int:
        """Start of the piece including its opening mark."""
        return self.open_mark if self.open_mark >= 0 else self.start

    @property
    def outer_end(self) -> int:
        """End of the piece including its closing mark."""
        return self.close_mark + 1 if self.close_mark >= 0 else self.end


_LINE_BREAK = re.compile(r"[ \t]*\n\s*")  # a line break with the spaces around it
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_OPENING_QUOTE = re.compile(r"[“\"][A-Z]")


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank-line separated, or line separated if no blank line.
    In blank-line separated text a single line break still starts a paragraph after a sentence's
    end and before an opening quotation mark ("… revel in it.\n“There’s another side …": a
    multi-paragraph quote's next paragraph, as pages copied with single breaks have it)."""
    blank_lines = _BLANK_LINE.search(text) is not None
    bounds, start = [], 0
    for match in _LINE_BREAK.finditer(text):
        single = match.group().count("\n") == 1
        if (
            blank_lines
            and single
            and not (
                text[match.start() - 1 : match.start()] in (".", "!", "?", "”", '"') and _OPENING_QUOTE.match(text, match.end())
            )
        ):
            continue
        if match.start() > start:
            bounds.append((start, match.start()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def classify_mark(text: str, i: int, lo: int, hi: int) -> str:
    """'open', 'close' or '?' for the double mark at text[i], within the paragraph [lo, hi)."""
    ch = text[i]
    before = text[i - 1] if i > lo else ""
    after = text[i + 1] if i + 1 < hi else ""
    if ch == "“" and before.isalnum() and (_is_space(after) or after in _CLOSE_CONTEXT):
        return "close"  # a wrongly turned closer: 'the best in the world“ and'
    if ch == "”" and (_is_space(before) or before in "([{") and after.isalnum():
        return "open"  # a wrongly turned opener: 'called it ”a disgrace'
    if ch in OPENING_MARKS:
        return "open"
    if ch in CLOSING_MARKS:
        return "close"
    opens = (_is_space(before) or before in _OPEN_CONTEXT) and not _is_space(after)
    closes = not _is_space(before) and (_is_space(after) or after in _CLOSE_CONTEXT)
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "?"


_DOUBLE_MARK = re.compile(f"[{re.escape(ALL_DOUBLE_MARKS)}]")


def _marks_in(text: str, lo: int, hi: int) -> list[int]:
    return [m.start() for m in _DOUBLE_MARK.finditer(text, lo, hi)]


def _pair_nested(text: str, lo: int, hi: int, marks: list[int]) -> tuple[list[tuple[int, int]], list[int]]:
    """Match marks with a stack; return top-level (open, close) pairs and the marks left open."""
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for i in marks:
        kind = classify_mark(text, i, lo, hi)
        if kind == "?" and text[i] == '"' and not stack and i > lo and text[i - 1].isdigit():
            continue  # an inch sign: 6'2"
        if kind == "?":
            kind = "close" if stack else "open"
        if kind == "open":
            stack.append(i)
        elif stack:
            opened = stack.pop()
            if not stack:
                pairs.append((opened, i))
        # a closer with nothing open is handled by the caller (paragraph continuing a quote)
    return pairs, stack


def _pair_flat(text: str, lo: int, hi: int, marks: list[int]) -> tuple[list[tuple[int, int]], list[int]]:
    """Fallback for unbalanced nesting: marks alternate open, close, open, ..."""
    pairs, opened = [], None
    for i in marks:
        if text[i] == '"' and opened is None and i > lo and text[i - 1].isdigit():
            continue
        if opened is None:
            opened = i
        else:
            pairs.append((opened, i))
            opened = None
    return pairs, ([] if opened is None else [opened])


def _stray_leading_closer(text: str, lo: int, hi: int, marks: list[int]) -> int:
    """Index of a closer that appears before any opener in the paragraph, or -1."""
    for i in marks:
        kind = classify_mark(text, i, lo, hi)
        if kind == "open":
            return -1
        if kind == "close":
            return i
        return -1
    return -1


def find_quoted_pieces(text: str) -> list[QuotedPiece]:
    """All top-level quoted stretches of `text`, in reading order."""
    pieces: list[QuotedPiece] = []
    paragraphs = paragraph_bounds(text)
    carried_open = False  # the previous paragraph ended inside a quote
    for p_index, (lo, hi) in enumerate(paragraphs):
        marks = _marks_in(text, lo, hi)
        if carried_open and marks and text[lo] not in ALL_DOUBLE_MARKS:
            # The previous quote never closed and this paragraph does not re-open it: if the
            # paragraph's first mark closes, the quote ran on without the customary opener.
            closer = _stray_leading_closer(text, lo, hi, marks)
            if closer >= 0:
                s, e = trim_span(text, lo, closer)
                if e > s:
                    pieces.append(QuotedPiece(s, e, -1, closer, p_index, continues=True))
                marks = [m for m in marks if m > closer]
        if not carried_open:
            singles = _single_pairs(text, lo, hi) if any(ch in text[lo:hi] for ch in "‘'") else []
            if _use_single_marks(singles, marks):
                for opened, closed in singles:
                    s, e = trim_span(text, opened + 1, closed)
                    if e > s:
                        pieces.append(QuotedPiece(s, e, opened, closed, p_index))
                continue
        pairs, left_open = _pair_nested(text, lo, hi, marks)
        if len(left_open) > 1:
            pairs, left_open = _pair_flat(text, lo, hi, marks)
        for opened, closed in pairs:
            s, e = trim_span(text, opened + 1, closed)
            credit = _credit_line(text, s, e)
            if credit is not None:
                e = trim_span(text, s, credit[0])[1]  # the words, without the line naming their speaker
            if e > s:
                pieces.append(QuotedPiece(s, e, opened, closed, p_index, credit=credit))
        carried_open = False
        if left_open:
            opened = left_open[0]
            s, e = trim_span(text, opened + 1, hi)
            next_opens = p_index + 1 < len(paragraphs) and _starts_with_opener(text, *paragraphs[p_index + 1])
            if e > s:
                pieces.append(QuotedPiece(s, e, opened, -1, p_index, runs_on=next_opens, unclosed=not next_opens))
            carried_open = True
        pieces.sort(key=lambda piece: piece.start)
    _link_paragraph_continuations(pieces, text, paragraphs)
    return pieces


def _credit_line(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The (start, end) of the name in a last line inside the quotation that credits it, as
    digests print a quoted passage ("…balanced budgets.\nJane Doe, Center for Policy Research."):
    after a sentence's end, a line of at most ten words whose words before any comma are all
    capitalised (a name with its titles); None otherwise."""
    cut = text.rfind("\n", s, e)
    if cut < 0 or text[s:cut].rstrip()[-1:] not in ".!?":
        return None
    line = text[cut + 1 : e].strip()
    name = line.split(",", 1)[0].rstrip(".").strip()
    words = name.split()
    if not words or len(line.split()) > 10 or not all(w[:1].isupper() for w in words) or len(words) > 6:
        return None
    if any(ch in line for ch in '“”"?!'):
        return None
    a = text.index(name, cut + 1)
    return a, a + len(name)


SINGLE_OPENERS = "‘‛"
SINGLE_CLOSERS = "’"
ELISIONS = ("em", "til", "tis", "twas", "n", "cause", "bout", "round")


def _single_opens(text: str, i: int, lo: int, hi: int) -> bool:
    ch = text[i]
    before = text[i - 1] if i > lo else ""
    after = text[i + 1] if i + 1 < hi else ""
    if ch not in SINGLE_OPENERS and ch != "'":
        return False
    if not (_is_space(before) or before in '([{—–-/"“'):
        return False
    if ch == "'":
        if not after.isalpha():
            return False
        word = re.match(r"[A-Za-z]+", text[i + 1 : i + 8])
        if word and word.group(0).lower() in ELISIONS:
            return False
    return not _is_space(after)


def _single_closes(text: str, i: int, lo: int, hi: int) -> bool:
    if text[i] not in SINGLE_CLOSERS and text[i] != "'":
        return False
    before = text[i - 1] if i > lo else ""
    after = text[i + 1] if i + 1 < hi else ""
    if _is_space(before):
        return False
    return _is_space(after) or after in '.,;:!?)]}—–-…"”'


def _possessive_like(text: str, i: int, hi: int) -> bool:
    """``s’`` followed by a lower-case word: more likely a plural possessive than a closer."""
    if i == 0 or text[i - 1] not in "sS" or i + 2 >= hi or text[i + 1] != " ":
        return False
    return text[i + 2].islower()


_SINGLE_OPEN_CHAR = re.compile(f"[{SINGLE_OPENERS}']")  # only these can open (`_single_opens`)
_SINGLE_CHAR = re.compile(f"[{SINGLE_OPENERS}{SINGLE_CLOSERS}']")  # ... or stop or close a pair


def _single_pairs(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        opener = _SINGLE_OPEN_CHAR.search(text, i, hi)
        if opener is None:
            break
        i = opener.start()
        if not _single_opens(text, i, lo, hi):
            i += 1
            continue
        chosen, fallback = -1, -1
        for mark in _SINGLE_CHAR.finditer(text, i + 1, hi):
            j = mark.start()
            if text[j] in SINGLE_OPENERS:
                break
            if _single_closes(text, j, lo, hi):
                if not _possessive_like(text, j, hi):
                    chosen = j
                    break
                if fallback < 0:
                    fallback = j
        close = chosen if chosen >= 0 else fallback
        if close < 0:
            i += 1
            continue
        pairs.append((i, close))
        i = close + 1
    return pairs


def _use_single_marks(pairs: list[tuple[int, int]], double_marks: list[int]) -> bool:
    """Single-mark pairs are the paragraph's quotes: no double marks, or all of them nested."""
    if not pairs:
        return False
    return all(any(a < m < b for a, b in pairs) for m in double_marks)


def _starts_with_opener(text: str, lo: int, hi: int) -> bool:
    return lo < hi and text[lo] in ALL_DOUBLE_MARKS and classify_mark(text, lo, lo, hi) != "close"


def _link_paragraph_continuations(pieces: list[QuotedPiece], text: str, paragraphs: list[tuple[int, int]]) -> None:
    """Mark the first piece of a paragraph that re-opens a quote the previous paragraph left open."""
    for before, after in zip(pieces, pieces[1:]):
        if before.runs_on and after.paragraph == before.paragraph + 1:
            lo = paragraphs[after.paragraph][0]
            if after.open_mark == lo:
                after.continues = True
