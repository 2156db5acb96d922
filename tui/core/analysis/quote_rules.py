"""The cue and speaker rules the quote finder applies to one quoted piece: cues without a
subject, colon introductions, headlines and subheadings, and the helpers that name and
link a speaker once a cue is chosen.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Token

from tui.core.analysis.entity_names import (
    NameMention,
    link_canonical_names,
    looks_like_headline,
)
from tui.core.analysis.lexicon import (
    OBLIQUE_PREPOSITIONS,
    SPEAKER_PRONOUN_WORDS,
)
from tui.core.analysis.quote_attribution import METHOD_CONFIDENCE, Attribution
from tui.core.analysis.quote_cue_parse import (
    dep_mention,
    dep_subject,
    is_thing,
)
from tui.core.analysis.quote_cue_words import (
    Cue,
    is_reporting_verb,
)
from tui.core.analysis.quote_index import (
    DocIndex,
)
from tui.core.analysis.quote_marks import QuotedPiece
from tui.core.analysis.quote_names import (
    SENTENCE_END,
)
from tui.core.analysis.quote_speech import _words


def bare_verb_cue(index: DocIndex, piece: QuotedPiece, a: int, b: int) -> Cue | None:
    """ "“…,” an angry Jane Doe retaliated." — a quote ending in a comma followed by a short clause
    of a subject and any verb (not in the reporting lexicon): that verb is the cue (parse needed)."""
    doc = index.doc
    if not doc.has_annotation("DEP") or index.text[piece.end - 1 : piece.end] != ",":
        return None
    i, j = index.tokens_within(a, b)
    while i < j and (doc[i].is_punct or doc[i].is_space):
        i += 1
    verbs = [t for t in doc[i : min(j, i + 8)] if t.pos_ == "VERB"]
    if not verbs:
        return None
    verb = verbs[0]
    subject = dep_subject(doc, verb.i, i, verb.i)
    if subject is None or any(t.pos_ not in ("DET", "ADJ") for t in doc[i : subject[0]]):
        return None  # only "an angry" may come before the subject
    if not (_strong_speaker(doc, subject) or doc[subject[0]].lower_ in ("a", "an", "the")):
        return None
    between = doc[subject[1] : verb.i]
    if any(not (t.pos_ in ("ADV", "AUX", "PART") or t.is_punct) for t in between):
        return None
    rest = [t for t in doc[verb.i + 1 : j] if not t.is_space]
    if rest and not (rest[0].is_punct or rest[0].pos_ in ("ADV", "ADP")):
        return None  # "“…,” Doe wrote in a letter" fine; "“…,” Doe built a house" is not a cue
    return Cue(verb.i, verb.i, verb.i + 1, subject)


def is_quoted_subheading(index: DocIndex, piece: QuotedPiece) -> bool:
    """A short paragraph that is nothing but a quote in single marks, with no cue: a section
    heading quoting the text below (‘Pretty cool working there.’), not a new quote."""
    lo, hi = index.paragraphs[piece.paragraph]
    if piece.open_mark < 0 or piece.close_mark < 0 or index.text[piece.open_mark] not in "‘'":
        return False
    if index.text[lo : piece.open_mark].strip() or index.text[piece.close_mark + 1 : hi].strip():
        return False
    content = index.text[piece.start : piece.end]
    words = len(_words(content))
    # a heading may run longer when it stops without a sentence's end (‘I could not vote for it in good conscience’)
    return words <= 10 or words <= 16 and content.rstrip()[-1:] not in ".!?,;:"


def is_headline(index: DocIndex) -> bool:
    """The first paragraph is a headline: one short line, most words capitalised, followed by
    more paragraphs."""
    if len(index.paragraphs) < 2:
        return False
    lo, hi = index.paragraphs[0]
    return looks_like_headline(index.text[lo:hi])


def colon_introduction(index: DocIndex, a: int, b: int) -> Cue | None:
    """ "Doe disagreed: “…”": a clause ending in a colon right before the quote, whose subject
    is a name or a personal pronoun, introduces that subject's words (parse needed)."""
    doc = index.doc
    if not doc.has_annotation("DEP") or not index.text[a:b].rstrip().endswith(":"):
        return None
    i, j = index.tokens_within(a, b)
    dash_name = _dash_name_introduction(doc, i, j)
    if dash_name is not None:
        return dash_name
    verbs = [t for t in doc[i:j] if t.pos_ in ("VERB", "AUX") and (t.dep_ == "ROOT" or not i <= t.head.i < j)]
    if not verbs:
        return _byline_introduction(doc, i, j)
    verb = verbs[-1]
    reporter = _reporting_verb_above(verb)
    if reporter is not None and reporter.i < i:
        # "Roe said this was a “fatal mistake” and that she has learned her lesson: “…”": the
        # clause before the colon is itself reported, so the words are the reporter's
        subject = dep_subject(doc, reporter.i, reporter.sent.start, j)
        if subject is not None and _strong_speaker(doc, subject):
            return Cue(reporter.i, reporter.i, reporter.i + 1, subject)
    subject = dep_subject(doc, verb.i, i, j)
    if subject is not None and is_thing(doc, doc[subject[0] : subject[1]].root):
        # "The timing of the surge does not surprise pollster Jane Doe: “…”": a thing says
        # nothing; the person it surprises, named right before the colon, does
        subject = _person_object_before_colon(doc, verb, j) or subject
    if subject is None or not _strong_speaker(doc, subject):
        return None
    return Cue(verb.i, verb.i, verb.i + 1, subject)


def _reporting_verb_above(verb: Token) -> Token | None:
    """The reporting verb whose reported clause `verb` heads (climbing coordinated clauses:
    "said that …, and that she has learned"), or None."""
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    if verb.dep_ == "ccomp" and is_reporting_verb(verb.head):
        return verb.head
    return None


def _person_object_before_colon(doc: Doc, verb: Token, j: int) -> tuple[int, int] | None:
    """The verb's object when it is a person's name that ends the clause right before the colon."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.ent_type_ == "PERSON":
            end = child.i + 1
            while end < j and doc[end].ent_iob_ == "I":
                end += 1
            rest = doc[end:j]
            if all(t.is_punct or t.is_space for t in rest):
                start = child.i
                while start > 0 and doc[start].ent_iob_ == "I":
                    start -= 1
                return start, end
    return None


def _byline_introduction(doc: Doc, i: int, j: int) -> Cue | None:
    """ "HEADLINE—“A title,” by the Times' Jane Doe: “…”": a digest's byline before a colon
    introduces an excerpt of the named writer's article (the outlet when no person is named)."""
    k = i
    while k < j and (doc[k].is_punct or doc[k].is_space):
        k += 1
    if k >= j or doc[k].lower_ != "by":
        return None
    people = [t for t in doc[k + 1 : j] if t.ent_type_ == "PERSON"]
    names = people or [t for t in doc[k + 1 : j] if t.ent_type_ in ("ORG", "NORP") or t.pos_ == "PROPN"]
    if not names:
        return None
    e = names[-1].i + 1
    s = e - 1
    while s - 1 > k and doc[s].ent_iob_ == "I":
        s -= 1  # back to the start of the entity
    return Cue(k, k, k + 1, (s, e))


def _dash_name_introduction(doc: Doc, i: int, j: int) -> Cue | None:
    """ "A DIGEST HEADLINE - Jane Doe: “…”": a person's name after a dash, right before the
    colon that introduces the quote, is the writer of the excerpt."""
    end = j
    while end > i and (doc[end - 1].is_space or doc[end - 1].text in (":", "“", '"')):
        end -= 1
    if not any(t.text == ":" for t in doc[end:j]):
        return None
    s = end
    while s > i and doc[s - 1].ent_type_ == "PERSON":
        s -= 1
    if s == end or s - 1 < i or doc[s - 1].text not in ("-", "—", "–", "--"):
        return None
    return Cue(s - 1, s - 1, s, (s, end))


def _strong_speaker(doc: Doc, mention: tuple[int, int] | None) -> bool:
    """A mention that names someone: a name, a personal pronoun."""
    if mention is None:
        return False
    return any(
        t.ent_type_ in ("PERSON", "ORG", "NORP") or t.pos_ == "PROPN" or t.lower_ in SPEAKER_PRONOUN_WORDS
        for t in doc[mention[0] : mention[1]]
    )


def links_forward(text: str, piece: QuotedPiece) -> bool:
    """Can the words after the closing mark be this quote's cue? Not when the quote ended its
    sentence and a new capitalised sentence starts ("….” He said …" introduces what follows)."""
    last = text[piece.end - 1]
    after = text[piece.outer_end : piece.outer_end + 4].lstrip(" \t")
    if after.startswith(","):
        return True
    if last in SENTENCE_END and last != "?" and last != "!":
        return after[:1].islower()
    if last in "?!":
        return after[:1].islower() or after[:1] == ","
    return True


# -- speakers -----------------------------------------------------------------------------------


def _copy_speaker(src: Attribution, dst: Attribution, method: str = "continuation") -> None:
    dst.speaker_chars, dst.speaker_text, dst.canonical = src.speaker_chars, src.speaker_text, src.canonical
    if src.canonical:
        dst.method = method
        dst.confidence = min(src.confidence, METHOD_CONFIDENCE[method])
    dst.unknown_reason = src.unknown_reason


def _set_method(index: DocIndex, attribution: Attribution, a: int, b: int, fallback: str | None = None) -> None:
    """How a speaker mention at a:b was turned into `attribution.canonical`."""
    text = index.text[a:b]
    cue = attribution.cue
    if fallback:
        method = fallback
    elif text.lower() in SPEAKER_PRONOUN_WORDS:
        method = "pronoun → name"
    elif cue is not None and index.doc[cue.verb].lower_ == "according":
        method = "according to"
    elif index.names_within(a, b):
        method = "cue subject"
    else:
        method = "cue description"
    attribution.method = method
    attribution.confidence = METHOD_CONFIDENCE[method]


def _is_adverb_mention(doc: Doc, s: int, e: int) -> bool:
    """A lone sentence adverb taken for a speaker ("Indeed", "Hastily"): tagged ADV and no
    entity (needs a tagger)."""
    if e - s != 1:
        return False
    token = doc[s]
    return not token.ent_type_ and token.pos_ == "ADV"


def relative_antecedent(index: DocIndex, pos: int) -> tuple[int, int] | None:
    """Characters of what a relative pronoun at `pos` stands for ("Jane Doe, who said"): the
    noun its clause attaches to in the parse, else the name just before it."""
    doc = index.doc
    k = bisect_left(index.starts, pos)
    if doc.has_annotation("DEP") and k < len(doc):
        verb = doc[k].head
        if verb.dep_ == "relcl" and verb.head.pos_ in ("PROPN", "NOUN"):
            mention = dep_mention(doc, verb.head, 0, k)
            if mention:
                return index.chars(mention)
    names = index.names_within(max(0, pos - 80), pos)
    if names and not index.text[names[-1].end : pos].strip(" ,"):
        return names[-1].start, names[-1].end
    return None


def _is_head_name(index: DocIndex, mention: NameMention, a: int, b: int) -> bool:
    """Not a modifier inside a description: not after a preposition ("director of X") and not
    followed by a lower-case noun ("the X report")."""
    if mention.start > a and index.after_preposition(mention.start):
        return False
    following = index.text[mention.end : b].split()
    if following and following[0][:1] in "’'" and (len(following) > 1 or len(following[0]) > 2):
        return False  # "Jane Doe’s spokeswoman": a description, not Jane Doe
    return not following or not following[0][:1].islower() or following[0].lower() in OBLIQUE_PREPOSITIONS


def _covers(mention: NameMention, a: int, b: int, text: str) -> bool:
    outside = (text[a : mention.start] + text[mention.end : b]).strip().lower()
    return outside in ("", "the")


def _link_bare_name(index: DocIndex, text: str, pos: int) -> str:
    """A name the tagger missed: link it to a fuller person name in the document."""
    people = [m for m in index.names if m.label == "PERSON"]
    probe = NameMention(pos, pos + len(text), text, "PERSON", tagged_person=True)
    ordered = sorted(people + [probe], key=lambda m: m.start)
    names = link_canonical_names([NameMention(m.start, m.end, m.text, "PERSON", m is probe) for m in ordered])
    return names[ordered.index(probe)]


def _gaps_between_quotes(index: DocIndex, a: int, b: int) -> list[tuple[int, int]]:
    gaps, cursor = [], a
    for start, end in index.quote_ranges:
        if end <= a or start >= b:
            continue
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < b:
        gaps.append((cursor, b))
    return gaps
