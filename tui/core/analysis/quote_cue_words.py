"""The reporting cue itself: the `Cue` record, which words are reporting verbs, how far a cue
reaches ("told CNN", "according to") and which mention of a speaker phrase is the speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.analysis.entity_names import (
    SPEAKER_PRONOUNS,
    TITLE_WORDS,
    name_run_starting_at,
)
from tui.core.analysis.lexicon import (
    DETERMINERS,
    NOUN_LIKE_FORMS,
    OBJECT_TAKING_VERBS,
    OBJECT_WORDS,
    PARTICLE_CUES,
    REPORTING_VERBS,
    SKIPPABLE_BEFORE_VERB,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass
class Cue:
    """A reporting cue: the verb, the cue's token range as written, and the speaker mention's token range if any."""

    verb: int  # token index of the reporting verb (or of "according")
    cue_start: int  # token range of the cue as written
    cue_end: int
    speaker: tuple[int, int] | None  # token range of the speaker mention


def is_reporting_verb(token: Token) -> bool:
    """Whether `token` is a reporting verb ("said", "told") used as a verb, or the "according" of "according to"."""
    lower = token.lower_
    if lower not in REPORTING_VERBS:
        nxt = token.doc[token.i + 1].lower_ if token.i + 1 < len(token.doc) else ""
        if lower in ("put", "puts") and nxt == "it":
            return True  # "as Jane Doe put it, “…”"
        if (lower, nxt) in PARTICLE_CUES and token.pos_ in ("", "VERB"):
            return True  # "Doe pointed out", "Roe shot back", "she went on"
        if lower in ("read", "reads") and token.pos_ in ("", "VERB"):
            return _reads_as_cue(token)
        return lower == "according" and nxt == "to"
    if lower in NOUN_LIKE_FORMS and token.pos_ and token.pos_ not in ("VERB", "AUX"):
        return False
    return True


CLOSING_MARKS = ("”", '"', "’", "'")


def _reads_as_cue(token: Token) -> bool:
    """ "“…,” read the email", "“…,” the statement read.", "The sign reads: “…”": "read" reports
    a text's words only right beside a quotation or before a colon, never "she read the book"."""
    doc, i = token.doc, token.i
    before = [t for t in doc[max(0, i - 5) : i] if not t.is_space]
    after = doc[i + 1].text if i + 1 < len(doc) else ""
    if len(before) >= 2 and before[-1].text in CLOSING_MARKS and before[-2].text in (",", "!", "?"):
        return True  # inverted, right after the quote
    if after == ":":
        return True
    return after in (".", ",") and any(t.text in CLOSING_MARKS for t in before)


def cue_extent(doc: Doc, verb: int, hi: int) -> tuple[int, int]:
    """Token range of the cue: the verb, plus "to" after "according", plus the addressee
    after "told"/"called" when it is a name or a short object ("told CNN", "told reporters")."""
    token = doc[verb]
    if token.lower_ == "according":
        return verb, min(verb + 2, hi)
    end = verb + 1
    if token.lower_ in OBJECT_TAKING_VERBS and end < hi:
        run = name_run_starting_at(doc, end, hi)
        if run:
            return verb, run[1]
        if doc[end].lower_ in OBJECT_WORDS - DETERMINERS:
            return verb, end + 1
        # "told parents:", "told a news conference:": a short addressee ending the clause
        for k in range(end, min(hi, end + 4)):
            t = doc[k]
            if t.text in (":", ",") or t.text in '“"‘':
                if k > end and not doc[end].lower_ == "that":
                    return verb, k
                break
            if not t.is_alpha or t.lower_ in ("that", "how", "what", "why", "when", "if", "about") or is_reporting_verb(t):
                break
    return verb, end


def _is_adverb(token: Token) -> bool:
    return token.lower_ in SKIPPABLE_BEFORE_VERB or (token.lower_.endswith("ly") and token.pos_ in ("", "ADV"))


def _skip_back(doc: Doc, i: int, lo: int) -> int:
    """Index of the last token before i that is not an adverb, auxiliary or comma."""
    i -= 1
    while i >= lo and (_is_adverb(doc[i]) or doc[i].text in (",",)):
        i -= 1
    return i


def _is_pronoun(token: Token) -> bool:
    return token.lower_ in SPEAKER_PRONOUNS


def pick_mention(doc: Doc, lo: int, hi: int) -> tuple[int, int] | None:
    """The best single mention in the speaker phrase doc[lo:hi]: a pure name segment of an
    apposition wins; otherwise the first comma-separated segment (a description)."""
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    if hi <= lo:
        return None
    segments, start = [], lo
    for i in range(lo, hi + 1):
        if i == hi or doc[i].text in (",", "(", ")", "—", "–"):
            if i > start:
                segments.append((start, i))
            start = i + 1
    if not segments:
        return None
    for s, e in segments:
        if _is_pure_name(doc, s, e):
            return s, e
    return segments[0]


def _is_pure_name(doc: Doc, s: int, e: int) -> bool:
    run = name_run_starting_at(doc, s, e)
    return run is not None and run[1] == e and any(doc[i].lower_ not in TITLE_WORDS for i in range(s, e))
