"""Reporting cues and their speakers, read from the words around a quotation.

Two places can hold the cue of a quoted piece:

* after it, in the same sentence: ``“...,” Jane Doe said`` (speaker, then verb),
  ``“...,” said Jane Doe`` (inverted), ``“...,” according to the report``;
* before it: ``Jane Doe told reporters, “...”``, ``She said that “...”``.

`after_cue` and `before_cue` look for a reporting verb from a fixed lexicon of inflected forms
(no lemmatizer needed) and return a `Cue`: the verb phrase as written ("told CNN", "according
to") and the token range of the speaker phrase. The speaker phrase is cut down to one mention
by `pick_mention`: with an apposition ("Jane Doe, a teacher,") the name wins over the
description. When the word before a fronted verb is neither a pronoun nor a name (participles
such as "..., stating", coordinated verbs), the subject is taken from the dependency parse if
the pipeline has one, else from the last comma-separated segment that starts with a pronoun or
a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.analysis.entity_names import (
    SPEAKER_PRONOUNS,
    TITLE_WORDS,
    is_name_token,
    name_run_ending_at,
    name_run_starting_at,
)
from tui.core.analysis.lexicon import (  # noqa: F401  (word lists live in the lexicon)
    _VERB_FORMS,
    CLAUSE_WORDS,
    DETERMINERS,
    NAME_ABBREVIATIONS,
    NOUN_LIKE_FORMS,
    OBJECT_TAKING_VERBS,
    OBJECT_WORDS,
    PREPOSITIONS,
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
        return lower == "according" and nxt == "to"
    if lower in NOUN_LIKE_FORMS and token.pos_ and token.pos_ not in ("VERB", "AUX"):
        return False
    return True


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


def after_cue(doc: Doc, lo: int, hi: int, max_speaker_tokens: int = 10, reach: int | None = None) -> Cue | None:
    """A cue in the tokens doc[lo:hi] following a closing quotation mark."""
    i = lo
    while i < hi and (doc[i].is_punct or doc[i].is_space):
        i += 1
    if i >= hi:
        return None
    if is_reporting_verb(doc[i]):  # inverted: "said Jane Doe", "according to the report"
        cs, ce = cue_extent(doc, i, hi)
        start = i + 2 if doc[i].lower_ == "according" else i + 1
        end = start
        while end < hi and not _is_stop(doc, end) and end - start < max_speaker_tokens:
            if doc[end].text == ",":  # "said Jane Doe, a teacher": the name is enough
                break
            end += 1
        parsed = dep_subject(doc, i, lo, hi)
        if parsed is not None:
            return Cue(i, cs, ce, parsed)
        if doc.has_annotation("DEP") and doc[i].lower_.endswith("ing"):
            return None  # "“…,” claiming …": the subject is before the quote (its before-cue)
        speaker = pick_mention(doc, start, end)
        if speaker and not _is_plausible_mention(doc, *speaker):
            speaker = None
        if speaker and end < hi and doc[end].text == "," and not _is_pure_name(doc, *speaker):
            # "said the group's director, Jane Doe": the name in apposition wins
            run = name_run_starting_at(doc, end + 1, hi)
            if (
                run
                and _is_pure_name(doc, *run)
                and (run[1] >= hi or doc[run[1]].is_punct or doc[run[1]].lower_ in PREPOSITIONS | {"who"})
            ):
                speaker = run
        return Cue(i, cs, ce, speaker)
    parsed_doc = doc.has_annotation("DEP")
    # with a parse, the subject may carry a long apposition: "“…,” Jane Doe, a lawyer for …, said"
    if reach is None:
        reach = 40 if parsed_doc else max_speaker_tokens + 1
    for v in range(i, min(hi, i + reach)):
        if _is_stop(doc, v):
            return None
        if is_reporting_verb(doc[v]):
            if parsed_doc and any(c.dep_ == "mark" and c.i >= lo and c.lower_ != "as" for c in doc[v].children):
                return None  # "… “riding the fence” until Roe said she …": a clause of its own
            if v - i > max_speaker_tokens and doc[v].left_edge.i > i:
                return None  # a later clause's verb ("… while Roe suggests"), not this quote's cue
            cs, ce = cue_extent(doc, v, hi)
            parsed = dep_subject(doc, v, i, hi)
            if parsed is not None:
                return Cue(v, cs, ce, parsed)
            if v - i > max_speaker_tokens:
                return None
            end = _skip_back(doc, v, i) + 1
            speaker = pick_mention(doc, i, end)
            if speaker is None or not _is_plausible_mention(doc, *speaker):
                return None
            cs, ce = cue_extent(doc, v, hi)
            return Cue(v, cs, ce, speaker)
    return None


def _is_stop(doc: Doc, k: int) -> bool:
    """A sentence-ending token; not the full stop of "Jr." or "Mr." split off by the tokenizer."""
    text = doc[k].text
    if text not in (".", ";", "!", "?", ":"):
        return False
    if text == "." and k > 0 and not doc[k - 1].whitespace_ and doc[k - 1].lower_ in NAME_ABBREVIATIONS:
        return False
    return True


def _is_plausible_mention(doc: Doc, s: int, e: int) -> bool:
    first = doc[s]
    if e - s == 1 and _is_pronoun(first):
        return True
    if first.lower_ in DETERMINERS or is_name_token(first) or first.like_num:
        return not any(doc[k].lower_ in ("is", "are", "was", "were") for k in range(s, e))
    if first.text[:1].isupper():
        return True
    # "harbour master Jane Doe said": a role word before a name
    return (
        e - s <= 6 and is_name_token(doc[e - 1]) and not any(doc[k].lower_ in ("is", "are", "was", "were") for k in range(s, e))
    )


def before_cue(doc: Doc, lo: int, hi: int) -> Cue | None:
    """A cue in the tokens doc[lo:hi] preceding an opening quotation mark: the last reporting
    verb, and its subject."""
    for v in range(hi - 1, lo - 1, -1):
        if not is_reporting_verb(doc[v]):
            continue
        cs, ce = cue_extent(doc, v, hi)
        if (
            doc.has_annotation("DEP")
            and doc[v].dep_ in ("relcl", "acl")
            and doc[v].right_edge.i < hi
            and any(not t.is_punct for t in doc[ce:hi])
        ):
            continue  # "… treated people who complained about it “…”": the clause ends before the quote
        parsed = dep_subject(doc, v, lo, hi)
        if parsed is None and doc.has_annotation("DEP") and doc[v].lower_.endswith("ing"):
            # "Doe said “…,” stating that “…”": the subject before the earlier quote
            sent_start = doc[v].sent.start
            parsed = dep_subject(doc, v, sent_start, hi)
            if parsed is not None and _inside_marks(doc, sent_start, parsed[0]):
                parsed = None
        if parsed is not None:
            return Cue(v, cs, ce, parsed)
        if doc[v].lower_ == "according":
            end = v + 2
            while end < hi and doc[end].text not in (",", ":", ".", ";"):
                end += 1
            return Cue(v, cs, ce, pick_mention(doc, v + 2, end))
        speaker = subject_before(doc, v, lo)
        if speaker is None and v + 1 < hi:
            run = name_run_starting_at(doc, v + 1, hi)
            if run and v == lo:  # "Said Jane Doe: ..."
                speaker = run
        return Cue(v, cs, ce, speaker)
    return None


def subject_before(doc: Doc, verb: int, lo: int) -> tuple[int, int] | None:
    """Token range of the subject of the reporting verb at `verb` (region starts at `lo`)."""
    parsed = dep_subject(doc, verb, lo, verb + 1)
    if parsed is not None:
        return parsed
    participle = doc[verb].lower_.endswith("ing") or (verb > lo and doc[verb - 1].lower_ == "as")
    i = _skip_back(doc, verb, lo)
    if i < lo:
        return None
    i = _skip_aside(doc, i, lo)
    if not participle:
        if _is_pronoun(doc[i]):
            return i, i + 1
        run = name_run_ending_at(doc, i, lo)
        if run and not _after_preposition(doc, run[0], lo):
            return _with_coordinated_name(doc, run, lo)
        parsed = _parsed_subject(doc, verb)
        if parsed is not None:
            return parsed
        if run or (
            doc[i].is_alpha
            and doc[i].text.islower()
            and doc[i].lower_ not in CLAUSE_WORDS
            and doc[i].pos_ in ("", "NOUN", "PROPN", "NUM", "ADJ")
        ):
            description = _description_before(doc, i, lo)
            if description is not None:
                return description
    parsed = _parsed_subject(doc, verb)
    if parsed is not None:
        return parsed
    return _clause_subject(doc, verb, lo)


def _skip_aside(doc: Doc, i: int, lo: int) -> int:
    """Step back over a party label or an aside between a name and its verb: "Jane Doe (D-Ohio)
    said", "Jane Doe, noting the figures, said" -> the last token of the name."""
    if doc[i].text == ")":
        k = i - 1
        while k > max(lo, i - 8) and doc[k].text != "(":
            k -= 1
        if doc[k].text == "(" and k - 1 >= lo:
            return _skip_aside(doc, k - 1, lo)
    comma = i if doc[i].text == "," else (i + 1 if i + 1 < len(doc) and doc[i + 1].text == "," else -1)
    if comma >= 0 and doc.has_annotation("TAG"):
        k = comma - 1
        while k > max(lo, comma - 16) and doc[k].text != ",":
            k -= 1
        if doc[k].text == "," and k + 1 < comma and doc[k + 1].tag_ in ("VBG", "VBN") and k - 1 >= lo:
            return _skip_aside(doc, k - 1, lo)
    return i


def _after_preposition(doc: Doc, start: int, lo: int) -> bool:
    k = start - 1
    while k >= lo and doc[k].lower_ in ("the", "a", "an"):
        k -= 1
    return k >= lo and doc[k].lower_ in PREPOSITIONS


def _with_coordinated_name(doc: Doc, run: tuple[int, int], lo: int) -> tuple[int, int]:
    """ "NASA and ESA said": both names."""
    s, e = run
    if s - 2 >= lo and doc[s - 1].lower_ == "and":
        prev = name_run_ending_at(doc, s - 2, lo)
        if prev:
            return prev[0], e
    return s, e


def _description_before(doc: Doc, i: int, lo: int) -> tuple[int, int] | None:
    """The noun phrase ending at token i, back to the clause start; with an apposition
    ("Jane Doe, a teacher, said") the name segment is preferred."""
    start = i
    while (
        start - 1 >= lo
        and doc[start - 1].text not in (",", ";", ":", "—", "–", "(")
        and doc[start - 1].lower_ not in CLAUSE_WORDS
    ):
        start -= 1
    segment = (start, i + 1)
    if start - 1 >= lo and doc[start - 1].text == ",":
        prev = name_run_ending_at(doc, start - 2, lo) if start - 2 >= lo else None
        if prev and _is_pure_name(doc, *prev) and (prev[0] == lo or doc[prev[0] - 1].is_punct or doc[prev[0] - 1].is_sent_start):
            return prev
    if not (doc[start].lower_ in DETERMINERS or is_name_token(doc[start]) or doc[start].text[:1].isupper()):
        return None
    return segment


def _parsed_subject(doc: Doc, verb: int) -> tuple[int, int] | None:
    """Subject from the dependency parse, climbing from a participle/complement to its head."""
    if not doc.has_annotation("DEP"):
        return None
    token = doc[verb]
    for _ in range(4):
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return _mention_from_head(doc, child)
        if token.dep_ in ("advcl", "xcomp", "conj", "pcomp", "prep", "ccomp") and token.head is not token:
            token = token.head
        else:
            break
    return None


def _mention_from_head(doc: Doc, head: Token) -> tuple[int, int]:
    if _is_pronoun(head):
        return head.i, head.i + 1
    if head.ent_type_:
        s = e = head.i
        while s > 0 and doc[s].ent_iob_ == "I":
            s -= 1
        while e + 1 < len(doc) and doc[e + 1].ent_iob_ == "I":
            e += 1
        return s, e + 1
    for child in head.children:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            return _mention_from_head(doc, child)
    left = head.left_edge.i
    right = head.i + 1
    return left, right


def _clause_subject(doc: Doc, verb: int, lo: int) -> tuple[int, int] | None:
    """Rules-only fallback: the last comma segment before the verb that opens with a pronoun or
    a name ("After the meeting, he spoke briefly, stating ...")."""
    boundaries = [lo] + [k + 1 for k in range(lo, verb) if doc[k].text in (",", ";", ":")]
    for start in reversed(boundaries):
        if start >= verb:
            continue
        if _is_pronoun(doc[start]):
            return start, start + 1
        if doc[start].lower_ in ("a", "an", "the", "one", "another") and start == lo:
            # "A member of the delegation, speaking on condition of anonymity, said"
            end = next((k for k in range(start, verb) if doc[k].text in (",", ";", ":")), verb)
            if 2 <= end - start <= 8 and not any(is_reporting_verb(doc[k]) for k in range(start, end)):
                return start, end
        run = name_run_starting_at(doc, start, verb)
        if run and run[1] - run[0] > 1:
            return run
        if run:
            # "Local historian Jane Doe, whose ..., said": a lone capitalised opener is often
            # an adjective; a full name right after it in the segment is the subject
            end = next((k for k in range(start, verb) if doc[k].text in (",", ";", ":")), verb)
            k = run[1]
            while k < end:
                inner = name_run_starting_at(doc, k, end)
                if inner and inner[1] - inner[0] >= 2 and _is_pure_name(doc, *inner):
                    return inner
                k = inner[1] if inner else k + 1
            return run
    return None


# -- the dependency parse first ------------------------------------------------------------------

RELATIVE_WORDS = {"who", "that", "which", "whom"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# climbing from a participle or complement to the verb that carries the subject
CLIMB_DEPS = ("advcl", "xcomp", "conj", "pcomp", "ccomp", "prep")
MENTION_RIGHT_DEPS = ("amod", "prep", "pobj", "acl", "compound", "nummod", "case", "poss")


def _inside_marks(doc: Doc, lo: int, i: int) -> bool:
    """Is token i inside a quotation opened after token lo (an odd number of marks before it)?"""
    text = doc.text[doc[lo].idx : doc[i].idx]
    return (text.count('"') + text.count("“") + text.count("”")) % 2 == 1


def dep_subject(doc: Doc, verb: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker of the reporting verb at `verb` read from the dependency parse, within
    doc[lo:hi]: the verb's subject (climbing from "…, saying" / "was quoted as saying" to the
    verb that has one); "according to X" -> X; a relative pronoun ("Doe, who said") -> the noun
    it attaches to. Never the verb's object. None without a parse or when nothing fits."""
    if not doc.has_annotation("DEP"):
        return None
    token = doc[verb]
    if token.lower_ == "according":
        for child in doc[verb + 1].children if verb + 1 < len(doc) else ():
            if child.dep_ == "pobj" and lo <= child.i < hi:
                return dep_mention(doc, child, lo, hi)
        return None
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        if not subjects:
            # "Jane Doe, noting the figures, said": the subject parsed under the participle
            for child in token.children:
                if child.dep_ == "advcl" and child.i < token.i and child.tag_ in ("VBG", "VBN"):
                    subjects = [c for c in child.children if c.dep_ in SUBJECT_DEPS and c.i < child.i]
                    if subjects:
                        break
        if not subjects and token.dep_ == "relcl" and token.head.pos_ in ("PROPN", "NOUN") and lo <= token.head.i < hi:
            return dep_mention(doc, token.head, lo, hi)  # "the group that said"
        agents = [c for c in token.children if c.dep_ == "agent"]
        if agents and token.lower_ not in ("quoted",) and any(c.dep_ == "nsubjpass" for c in token.children):
            # "Doe was asked by Roe whether …": Roe speaks, Doe is addressed
            objects = [c for c in agents[0].children if c.dep_ == "pobj" and lo <= c.i < hi]
            if objects and objects[0].pos_ in ("PROPN", "NOUN", "PRON"):
                return dep_mention(doc, objects[0], lo, hi)
        if (
            subjects
            and token.i != verb
            and token.dep_ == "ccomp"
            and is_reporting_verb(token.head)
            and is_reporting_verb(doc[verb])
        ):
            # "Doe said that Roe was right, adding …" / "Doe said it was early but added":
            # a reporting verb hanging in the reported clause belongs to the one reporting
            token = token.head
            continue
        if (
            subjects
            and token.i == verb
            and token.dep_ == "ccomp"
            and is_reporting_verb(token.head)
            and _is_thing(doc, subjects[0])
            and any(c.dep_ in SUBJECT_DEPS for c in token.head.children)
        ):
            # "Doe said that the plan should reiterate “…”": a thing reports nothing; Doe speaks
            token = token.head
            continue
        if subjects:
            subject = subjects[0]
            people = [c for c in subjects[1:] if c.ent_type_ == "PERSON" and lo <= c.i < hi]
            if subject.ent_type_ != "PERSON" and people:
                # two subjects parsed: "wrote the ambassador at the time, Jane Doe"; a dateline
                # "Paris (AFP) – Jane Doe has said": the person
                subject = people[0]
            if subject.lower_ in RELATIVE_WORDS and token.dep_ == "relcl":
                subject = token.head
            if subject.pos_ == "PRON" and subject.lower_ in RELATIVE_WORDS:
                return None
            if not lo <= subject.i < hi or subject.pos_ not in ("PROPN", "NOUN", "PRON"):
                return None
            if subject.pos_ == "PRON" and not _is_pronoun(subject):
                return None  # "this", "everyone", "something"
            mention = dep_mention(doc, subject, lo, hi)
            if mention and subject.pos_ == "NOUN" and not subject.ent_type_:
                mention = _name_beside(doc, mention, lo, hi) or mention
            for conj in subject.children:  # "NASA and ESA said": both
                if mention and conj.dep_ == "conj" and conj.ent_type_ and conj.i < hi:
                    mention = (mention[0], max(mention[1], conj.i + 1))
                    while mention[1] < hi and doc[mention[1]].ent_iob_ == "I":
                        mention = (mention[0], mention[1] + 1)
            return mention
        if token.dep_ in CLIMB_DEPS and token.head is not token:
            token = token.head
        else:
            break
    return None


def _is_thing(doc: Doc, token: Token) -> bool:
    """A common-noun subject that is neither a person, a group nor an organisation ("the plan")."""
    from tui.core.analysis.quote_coref import description_kind

    if token.pos_ != "NOUN" or token.ent_type_:
        return False
    return description_kind(doc, token.left_edge.i, token.i + 1)[0] == "thing"


def _name_beside(doc: Doc, mention: tuple[int, int], lo: int, hi: int) -> tuple[int, int] | None:
    """A person's name in apposition to a description the parser did not link: "Jane Doe, the
    chairwoman of the party, recalled" / "the chairwoman, Jane Doe, recalled" -> Jane Doe."""
    s, e = mention
    k = s - 1
    if k - 1 >= lo and doc[k].text == "," and doc[k - 1].ent_type_ == "PERSON":
        end = k
        start = end - 1
        while start > lo and doc[start - 1].ent_type_ == "PERSON" and doc[start].ent_iob_ == "I":
            start -= 1
        return start, end
    comma = e
    while comma < min(hi, e + 5) and doc[comma].text != "," and doc[comma].is_lower and doc[comma].pos_ in ("ADP", "DET", "NOUN"):
        comma += 1  # "the director at the time, Jane Doe"
    if comma + 1 < hi and doc[comma].text == "," and doc[comma + 1].ent_type_ == "PERSON":
        start = end = comma + 1
        while end < hi and doc[end].ent_type_ == "PERSON" and (end == start or doc[end].ent_iob_ == "I"):
            end += 1
        if end >= hi or doc[end].is_punct:
            return start, end
    return None


def dep_mention(doc: Doc, head: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """The mention headed by `head`: a named entity, a name with its compounds, else the noun
    phrase (left modifiers, and right modifiers such as "familiar with the matter"); a
    description with a name in apposition ("the minister, Jane Doe,") gives the name."""
    if _is_pronoun(head):
        return head.i, head.i + 1
    if head.pos_ == "NOUN" and head.dep_ == "appos" and head.head.pos_ == "PROPN" and lo <= head.head.i < hi:
        return dep_mention(doc, head.head, lo, hi)  # "Doe, a native who writes": Doe
    for child in head.children:
        if child.dep_ == "appos" and lo <= child.i < hi and child.ent_type_ == "PERSON" and not head.ent_type_:
            return dep_mention(doc, child, lo, hi)
        if child.dep_ == "appos" and child.i == head.i + 1 and child.pos_ == "PROPN" and head.pos_ == "NOUN" and child.i < hi:
            return child.left_edge.i, child.right_edge.i + 1  # "the newspaper Acme Daily": the name
    if head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        s = e = head.i
        while s > lo and doc[s].ent_iob_ == "I":
            s -= 1
        while e + 1 < hi and doc[e + 1].ent_iob_ == "I":
            e += 1
        s, e = s, e + 1
        if doc[e - 1].ent_type_ == "PERSON" or head.ent_type_ == "PERSON":
            # "White House spokesman Josh Earnest": the entity only
            while e - s > 1 and doc[s].lower_ in ("the", "a"):
                s += 1
            while (
                s - 1 >= lo
                and doc[s - 1].is_alpha
                and doc[s - 1].is_lower
                and doc[s - 1].pos_ in ("NOUN", "PROPN", "VERB")
                and (doc[s - 1].dep_ in ("compound", "dobj", "nmod") or s <= doc[s - 1].head.i < e)
            ):
                s -= 1  # "guide Jane Doe"
            return s, e
        # an organisation or place: keep a noun it names ("the Clinton campaign")
        return _noun_phrase(doc, head, lo, hi)
    return _noun_phrase(doc, head, lo, hi)


def _noun_phrase(doc: Doc, head: Token, lo: int, hi: int) -> tuple[int, int] | None:
    s = head.i
    for child in head.lefts:
        if child.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case", "predet") and child.i >= lo:
            s = min(s, child.left_edge.i if child.left_edge.i >= lo else child.i)
    e = head.i + 1
    for child in head.rights:
        if child.dep_ in ("amod", "prep", "acl", "compound", "case") and child.right_edge.i < hi:
            if child.dep_ == "acl" and not child.text.endswith(("ed", "iar")):
                continue
            e = max(e, child.right_edge.i + 1)
        elif child.dep_ in ("case",):
            e = max(e, child.i + 1)
        else:
            break
    while e > s + 1 and (doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    while s < e - 1 and (doc[s].is_punct or doc[s].is_space):
        s += 1
    if e - s > 14:
        return head.i, head.i + 1
    return s, e
