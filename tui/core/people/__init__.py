"""People across the library: every speaker of every analysed article, one person one row.

Layers, each cheap to redo (the modules of this package):

1. `summary`: what one article says about its speakers (`summarise`), cached per article
   (`PeopleCache`) and collected for a library (`collect`, analysing what is missing).
2. `index`: the speakers merged across articles into people (`PeopleIndex`, incremental and kept
   on disk; `build_people` for a one-off list), with the user's merges and splits (`Overrides`).
   How names compare lives in `names`.
3. `views`: sorting, the filter, finding a person by a name.
4. `same`: the same quote in other articles, grouped incrementally, and word differences.

Pure Python: no Textual, no spaCy. Everything public is importable from `tui.core.people`.
"""

from __future__ import annotations

from tui.core.people.index import INDEX_VERSION, PeopleIndex, build_people
from tui.core.people.names import (
    DESCRIPTION,
    KINDS,
    ORGANISATION,
    PERSON,
    NameKey,
    classify,
    display_without_titles,
    fold,
    person_key,
    phrase_key,
    strip_titles,
    tokens,
)
from tui.core.people.rows import Overrides, Person, PersonQuote, Unit, Variant, Voice
from tui.core.people.same import (
    SAME_COMMON,
    SAME_MIN_WORDS,
    SAME_SCORE,
    SAME_SHINGLE,
    QuoteGroup,
    SameQuotes,
    diff_spans,
    quote_words,
    same_quotes,
    word_differences,
)
from tui.core.people.summary import PEOPLE_VERSION, LibraryEntry, PeopleCache, collect, summarise, unique_entries
from tui.core.people.views import SORTS, default_roots, filter_people, find_person, library_entries, sort_people

__all__ = [
    "DESCRIPTION",
    "INDEX_VERSION",
    "KINDS",
    "ORGANISATION",
    "PEOPLE_VERSION",
    "PERSON",
    "SAME_COMMON",
    "SAME_MIN_WORDS",
    "SAME_SCORE",
    "SAME_SHINGLE",
    "SORTS",
    "LibraryEntry",
    "NameKey",
    "Overrides",
    "PeopleCache",
    "PeopleIndex",
    "Person",
    "PersonQuote",
    "QuoteGroup",
    "SameQuotes",
    "Unit",
    "Variant",
    "Voice",
    "build_people",
    "classify",
    "collect",
    "default_roots",
    "diff_spans",
    "display_without_titles",
    "filter_people",
    "find_person",
    "fold",
    "library_entries",
    "person_key",
    "phrase_key",
    "quote_words",
    "same_quotes",
    "sort_people",
    "strip_titles",
    "summarise",
    "tokens",
    "unique_entries",
    "word_differences",
]
