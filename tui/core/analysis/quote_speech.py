"""Speech or not: whether a quoted piece is someone's words, or a title, a label, a scare
quote or a name in quotation marks.
"""

from __future__ import annotations

from bisect import bisect_left

from tui.core.analysis.lexicon import (
    LABEL_WORDS,
    NOT_NOUN_STARTS,
    NOUN_CONTINUATION_STOPWORDS,
    OBLIQUE_PREPOSITIONS,
)
from tui.core.analysis.quote_index import (
    DocIndex,
)
from tui.core.analysis.quote_marks import QuotedPiece
from tui.core.analysis.quote_names import (
    CLOSING_QUOTES,
    SENTENCE_END,
)


def _words(text: str) -> list[str]:
    return [w for w in text.split() if any(ch.isalnum() for ch in w)]


def is_standalone(text: str, piece: QuotedPiece, lo_p: int) -> bool:
    """The quote is a sentence of its own: it opens its paragraph or follows a sentence end,
    and ends with sentence punctuation (or a comma before a cue)."""
    before = text[lo_p : piece.outer_start].rstrip()
    opens_sentence = not before or before[-1] in SENTENCE_END + ":" + CLOSING_QUOTES
    return opens_sentence


def is_label_like(index: DocIndex, piece: QuotedPiece) -> bool:
    """Plainly not speech whatever cue follows: a quoted single word, or a short Title Case
    title or name inside a sentence ("the book “Stadium Dreams,” said ...")."""
    content = index.text[piece.start : piece.end]
    words = _words(content)
    if piece.continues or is_standalone(index.text, piece, index.paragraphs[piece.paragraph][0]):
        return False
    return len(words) < 2 or is_title_like(words, content.removesuffix(","))


def is_title_like(words: list[str], content: str) -> bool:
    """Whether the quoted words look like a title: at most six, capitalised except small words, no final punctuation."""
    if content[-1:] in ".,!?;:":
        return False
    head, colon, rest = content.partition(": ")
    if colon and ":" not in rest:
        # "The Fixers: Eddie Mannix and the Studio System": a short title and its subtitle
        return len(_words(head)) <= 5 and _title_cased(_words(head)) and len(_words(rest)) <= 12 and _title_cased(_words(rest))
    return len(words) <= 6 and _title_cased(words)


# Words a title leaves in lower case ("The Lead with Jake Tapper", "Orange is the New Black").
TITLE_SMALL_WORDS = {
    "of",
    "the",
    "and",
    "a",
    "an",
    "in",
    "on",
    "for",
    "to",
    "at",
    "de",
    "with",
    "from",
    "by",
    "or",
    "vs",
    "vs.",
    "over",
    "is",
    "as",
    "into",
    "up",
}


def _title_cased(words: list[str]) -> bool:
    """Every word capitalised but the small ones, the first one too."""
    if not words or not words[0][:1].isupper():
        return False
    return all(w[0].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words if w[0].isalpha())


# Words ending a verb phrase, never a modifier before a noun ("running around", "fumbled into").
PARTICLES = OBLIQUE_PREPOSITIONS | {"around", "up", "down", "out", "off", "away", "back", "along", "over"}


def modifies_following_noun(index: DocIndex, piece: QuotedPiece) -> bool:
    """A short quote used as a modifier: several “home made” bombs."""
    if piece.close_mark < 0 or index.text[piece.end - 1] in ".,!?;:":
        return False
    inner = index.text[piece.start : piece.end].split()
    if inner and (inner[0].lower() in ("a", "an", "the") or inner[-1].lower() in PARTICLES):
        return False  # "feels “a lot stronger” thanks to …", "“fumbled into” medicine": no modifier
    i, j = index.tokens_within(piece.outer_end, min(len(index.text), piece.outer_end + 40))
    if i >= j:
        return False
    token = index.doc[i]
    if (
        not token.is_alpha
        or not token.text.islower()
        or token.lower_ in NOUN_CONTINUATION_STOPWORDS
        or token.lower_ in OBLIQUE_PREPOSITIONS
        or token.lower_ in NOT_NOUN_STARTS
    ):
        return False
    return token.pos_ in ("", "NOUN", "ADJ", "PROPN")


# Label words that name a term rather than report someone calling something so.
NAMING_WORDS = {"so-called", "known", "titled", "entitled", "named", "nicknamed", "billed"}


def follows_label_word(index: DocIndex, piece: QuotedPiece, words: set[str] = LABEL_WORDS) -> bool:
    """Whether one of the three words before the quote names it ("dubbed", "known as"): a name, not speech."""
    before = index.text[max(0, piece.outer_start - 30) : piece.outer_start].lower().split()
    return any(w.strip(",") in words for w in before[-3:])


def names_a_work(index: DocIndex, piece: QuotedPiece) -> bool:
    """The quote is a noun phrase's head or name: after a possessive, a determiner, an adjective,
    a noun or a preposition ("NBC’s “Meet the Press”", "the low-rated “Rush Hour”")."""
    j = bisect_left(index.starts, piece.open_mark) - 1
    while j >= 0 and index.doc[j].is_space:
        j -= 1
    if j < 0:
        return False
    token = index.doc[j]
    return token.lower_ in (
        "'s",
        "’s",
        "the",
        "a",
        "an",
        "on",
        "of",
        "in",
        "show",
        "series",
        "book",
        "film",
        "movie",
        "song",
    ) or (token.pos_ in ("DET", "ADJ", "NOUN", "PROPN") and token.dep_ != "nsubj")


def looks_like_speech(index: DocIndex, piece: QuotedPiece, has_cue: bool) -> bool:
    """Whether the piece is something said, rather than a title, a term or a name in quotation marks."""
    content = index.text[piece.start : piece.end]
    words = _words(content)
    if len(words) < 2:
        return False
    lo_p = index.paragraphs[piece.paragraph][0]
    standalone = is_standalone(index.text, piece, lo_p) or piece.continues
    if not standalone and is_title_like(words, content.removesuffix(",").removesuffix(".")):
        return False  # on “Fox News Sunday.”: the full stop is the sentence's, set inside the marks
    if not standalone and len(words) <= 3 and modifies_following_noun(index, piece):
        return False
    if not standalone and len(words) <= 4 and follows_label_word(index, piece, NAMING_WORDS):
        # its so-called “fiscal multipliers”: a term named, even in a sentence with a cue (not
        # "dubbed him “the little senator”", someone's words)
        return False
    if has_cue and is_title_like(words, content.removesuffix(",").removesuffix(".")) and names_a_work(index, piece):
        return False  # said on NBC’s “Meet the Press.”: the cue is not about the title
    if has_cue:
        return True
    if not piece.continues and is_title_like(words, content.removesuffix(",").removesuffix(".")):
        return False  # “Rush Hour,” a new series — a title, even opening the sentence
    if standalone:
        return True
    return len(words) >= 4 and content.rstrip(CLOSING_QUOTES)[-1:] in SENTENCE_END and not follows_label_word(index, piece)
