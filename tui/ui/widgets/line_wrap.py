"""Greedy word wrap of an article into visual lines, as (start, end) offsets into its text.

A line ends before the first word that would pass the width (a word wider than the whole width
is cut by cells); the spaces after a word stay on its line. Most paragraphs of real text are
made of characters one cell wide separated by plain spaces: those are wrapped a line at a time
with `str.rfind` (a 20 MB article in a fraction of a second), the rest a word at a time. Both
give the same lines (tested).
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size

_TOKEN = re.compile(r"\S+\s*|\s+")
_NOT_SPACE = re.compile(r"[^ ]")
_OTHER_ASCII_SPACE = re.compile(r"[\t\r\x0b\x0c\x1c-\x1f]")


def _one_cell_characters() -> frozenset[str]:
    """Non-ASCII characters that are one cell wide and not white space (Latin, Greek, Cyrillic,
    punctuation such as curly quotes and dashes, currency and letterlike signs, control pictures)."""
    ranges = ((0xA0, 0x52F), (0x1E00, 0x1FFF), (0x2010, 0x205E), (0x20A0, 0x214F), (0x2400, 0x243F))
    chosen = set()
    for low, high in ranges:
        for code in range(low, high + 1):
            character = chr(code)
            if not character.isspace() and get_character_cell_size(character) == 1:
                chosen.add(character)
    return frozenset(chosen) | frozenset(map(chr, range(0x21, 0x7F))) | {" "}


_ONE_CELL = _one_cell_characters()


def cells(s: str) -> int:
    """Terminal cells of `s` (an ASCII string counts one per character)."""
    return len(s) if s.isascii() else cell_len(s)


def wrap_text(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of `text` (paragraphs split on '\\n') into (start, end) visual lines."""
    width = max(4, width)
    lines: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        if not paragraph:
            lines.append((offset, offset))
        elif _uniform(paragraph):
            _wrap_uniform(paragraph, offset, width, lines)
        else:
            wrap_paragraph(paragraph, offset, width, lines)
        offset += len(paragraph) + 1
    return lines


def _uniform(paragraph: str) -> bool:
    """Every character one cell wide (as `cells` counts them) and the only white space ' '."""
    if paragraph.isascii():
        return _OTHER_ASCII_SPACE.search(paragraph) is None
    return _ONE_CELL.issuperset(paragraph)


def _wrap_uniform(paragraph: str, base: int, width: int, lines: list[tuple[int, int]]) -> None:
    """`wrap_paragraph` for a `_uniform` paragraph, a line per step instead of a word."""
    end = len(paragraph)
    start = 0
    while start + width < end:
        limit = start + width  # a word ending at or before `limit` fits
        if paragraph[limit] == " ":
            next_word = _NOT_SPACE.search(paragraph, limit)
            if next_word is None:
                break  # only spaces after this line's words
            cut = next_word.start()
        else:
            space = paragraph.rfind(" ", start, limit)
            if space < 0:  # the line's first word is wider than the line: cut it by cells
                wrap_paragraph(paragraph[start:], base + start, width, lines)
                return
            cut = space + 1  # the word crossing `limit` starts the next line
        lines.append((base + start, base + cut))
        start = cut
    lines.append((base + start, base + end))


def wrap_paragraph(paragraph: str, base: int, width: int, lines: list[tuple[int, int]]) -> None:
    """Wrap one paragraph (no '\\n') a word at a time, appending its lines, offset by `base`."""
    line_start = 0
    used = 0
    for match in _TOKEN.finditer(paragraph):
        token = match.group()
        word = token.rstrip()
        word_cells = cells(word)
        if used and used + word_cells > width:
            lines.append((base + line_start, base + match.start()))
            line_start, used = match.start(), 0
        if word_cells > width:  # a very long word: split it by cells
            pos = match.start()
            for ch_index, ch in enumerate(word):
                ch_cells = cells(ch)
                if used + ch_cells > width and used:
                    lines.append((base + line_start, base + pos + ch_index))
                    line_start, used = pos + ch_index, 0
                used += ch_cells
            used += cells(token[len(word) :])
        else:
            used += cells(token)
    lines.append((base + line_start, base + len(paragraph)))
