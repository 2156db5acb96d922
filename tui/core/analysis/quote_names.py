"""Sentence boundaries in raw text (abbreviations and quotation marks allowed for) and the
checks that tell a person's name from a heading, a place or an organisation.
"""

from __future__ import annotations

import re

from tui.core.analysis.lexicon import (
    ABBREVIATIONS,
    ORG_HEAD_WORDS,
    PLACE_HEADS,
)

SENTENCE_END = ".!?"

# A party-and-state tag after a politician's name ("R-Conn.", "D-N.Y.", "I-Vt.").
PARTY_TAG = re.compile(r"^[RDI]-[A-Z]")

CLOSING_QUOTES = "”\"'’»"


def not_a_person_name(name: str) -> bool:
    """A mention the tagger called a person that cannot be one: an all-capitals heading
    ("FULL TEXT"), a street or place ("Galeana Street"), a case or title ("Doe v. Roe")."""
    words = name.split()
    if len(words) >= 2 and name.isupper():
        return True
    if PARTY_TAG.match(name):
        return True  # "R-Conn.", "D-N.Y.": a party and state tag
    if words and not any(len(part) > 1 for w in words for part in w.split(".")):
        return True  # "O.K.", "U.S.": initials alone name nobody
    if words and words[-1].lower().strip(".,") in PLACE_HEADS:
        return True
    return " v. " in name or " vs. " in name


def looks_like_personal_name(name: str) -> bool:
    """Two or three capitalised words, not an acronym, no organisation word ("Jane Q Doe")."""
    words = name.split(" ")
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and not w.isupper() and w.replace("-", "").isalpha() for w in words)
        and not any(w.lower() in ORG_HEAD_WORDS for w in words)
    )


def _is_abbreviation(text: str, dot: int) -> bool:
    k = dot
    while k > 0 and text[k - 1].isalpha():
        k -= 1
    word = text[k:dot]
    return (len(word) == 1 and word.isupper()) or word.lower() in ABBREVIATIONS


def _is_sentence_boundary(text: str, i: int, hi: int) -> bool:
    if text[i] not in SENTENCE_END or (text[i] == "." and _is_abbreviation(text, i)):
        return False
    j = i + 1
    while j < hi and text[j] in CLOSING_QUOTES:
        j += 1
    return j >= hi or text[j].isspace() or text[j] in '“"‘'


def sentence_start_before(text: str, pos: int, lo: int) -> int:
    """Start of the sentence containing `pos`, not before `lo` (closing quotes and spaces after the previous one skipped)."""
    end = pos
    while True:  # each full stop, "!" or "?" after `lo`, the last first (found by str.rfind)
        i = max(text.rfind(mark, lo + 1, end) for mark in SENTENCE_END)
        if i < 0:
            return lo
        if _is_sentence_boundary(text, i, pos + 1):
            j = i + 1
            while j < pos and (text[j] in CLOSING_QUOTES or text[j].isspace()):
                j += 1
            return j
        end = i


def sentence_end_after(text: str, pos: int, hi: int) -> int:
    """End of the sentence running from `pos` (just after its final punctuation), or `hi` if it does not end before."""
    start = pos
    while True:  # each full stop, "!" or "?" from `pos` on, the first first (found by str.find)
        found = [i for i in (text.find(mark, start, hi) for mark in SENTENCE_END) if i >= 0]
        if not found:
            return hi
        i = min(found)
        if _is_sentence_boundary(text, i, hi):
            return i + 1
        start = i + 1
