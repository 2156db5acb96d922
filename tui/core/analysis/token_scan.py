"""Finding a document's tokens by word or dependency label without making a Token per word.

Iterating a spaCy `Doc` builds a new `Token` object for every word, each time; scanning a
2,000-word article that way for the few "said" or "she" in it costs more than what is done with
them. These functions read one attribute column (`Doc.to_array`, in C) and return the indices of
the matching tokens in reading order, so only those tokens are ever made.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from spacy.attrs import DEP, IDX, LENGTH, LOWER, ORTH, POS

if TYPE_CHECKING:
    import numpy
    from spacy.strings import StringStore
    from spacy.tokens import Doc


def _indices_where(doc: Doc, attribute: int, values: Iterable[str]) -> list[int]:
    import numpy

    column = doc.to_array(attribute)
    keys = _string_keys(frozenset(values), doc.vocab.strings)
    found: list[int] = numpy.flatnonzero(numpy.isin(column, keys)).tolist()
    return found


_KEYS: dict[frozenset[str], numpy.ndarray] = {}  # a word list's keys, worked out once


def _string_keys(values: frozenset[str], strings: StringStore) -> numpy.ndarray:
    """The keys spaCy stores `values` under: a label spaCy knows is a symbol id, any other string
    its hash; both are the same in every pipeline of one spaCy version, so they are kept."""
    import numpy

    keys = _KEYS.get(values)
    if keys is None:
        if len(_KEYS) > 64:  # callers pass a few fixed word lists; never grow without bound
            _KEYS.clear()
        keys = _KEYS[values] = numpy.array([strings[value] for value in values], dtype=numpy.uint64)
    return keys


def tokens_with_lower(doc: Doc, words: Iterable[str]) -> list[int]:
    """Indices of the tokens whose lower-case form is one of `words` (lower case)."""
    return _indices_where(doc, LOWER, words)


def tokens_with_text(doc: Doc, words: Iterable[str]) -> list[int]:
    """Indices of the tokens written exactly as one of `words`."""
    return _indices_where(doc, ORTH, words)


def tokens_with_dep(doc: Doc, labels: Iterable[str]) -> list[int]:
    """Indices of the tokens whose dependency label is one of `labels` (none without a parser)."""
    if not doc.has_annotation("DEP"):
        return []
    return _indices_where(doc, DEP, labels)


TEXT_KEY = "margin_text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, which spaCy joins from every token on each read, joined once per document and
    kept in `doc.user_data` (a Doc's text never changes once it is tokenised)."""
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str) or len(text) != _text_length(doc):  # none yet, or not this doc's
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


def _text_length(doc: Doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)


def possible_name_starts(doc: Doc, text: str | None = None, starts: list[int] | None = None) -> list[int]:
    """Indices of the tokens that may open a name run (`entity_names.name_run_starting_at`): a
    word written with a capital, or one tagged a proper noun. `text`/`starts`: `doc.text` and
    `token_starts(doc)` when the caller has them."""
    text = doc_text(doc) if text is None else text
    starts = token_starts(doc) if starts is None else starts
    return sorted(capitalised_tokens(text, starts).union(tokens_with_pos(doc, ("PROPN",))))


def capitalised_tokens(text: str, starts: list[int]) -> set[int]:
    """Indices of the tokens (starting at the character offsets `starts` of `text`) whose first
    character is upper case (`str.isupper`). Reads the first characters as one array of code
    points: an A-Z is upper case, any other character below 128 is not, and only the few others
    are asked one by one."""
    import numpy

    if not starts:
        return set()
    codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
    first = codes[numpy.asarray(starts, dtype=numpy.int64)]
    found: set[int] = set(numpy.flatnonzero((first >= 65) & (first <= 90)).tolist())
    for k in numpy.flatnonzero(first >= 128).tolist():
        if chr(int(first[k])).isupper():
            found.add(k)
    return found


def token_starts(doc: Doc) -> list[int]:
    """The character offset of every token, in order."""
    starts: list[int] = doc.to_array(IDX).tolist()
    return starts


def token_ends(doc: Doc) -> list[int]:
    """The character offset just after every token, in order."""
    columns = doc.to_array([IDX, LENGTH])
    ends: list[int] = (columns[:, 0] + columns[:, 1]).tolist() if len(doc) else []
    return ends


def tokens_with_pos(doc: Doc, tags: Iterable[str]) -> list[int]:
    """Indices of the tokens whose coarse part of speech is one of `tags` (none without a tagger)."""
    if not doc.has_annotation("POS"):
        return []
    return _indices_where(doc, POS, tags)
