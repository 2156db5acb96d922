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

from dataclasses import dataclass  # noqa: F401  (re-exported: quote_cues offered every name it imported)
from typing import TYPE_CHECKING

from tui.core.analysis.entity_names import (  # noqa: F401
    SPEAKER_PRONOUNS,
    TITLE_WORDS,
    is_name_token,
    name_run_ending_at,
    name_run_starting_at,
)
from tui.core.analysis.lexicon import (  # noqa: F401  (word lists live in the lexicon)
    _VERB_FORMS,
    ANONYMOUS_NOUNS,
    CLAUSE_WORDS,
    COLLECTIVE_PLURALS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    NAME_ABBREVIATIONS,
    NOUN_LIKE_FORMS,
    OBJECT_TAKING_VERBS,
    OBJECT_WORDS,
    ORGANISATION_NOUNS,
    PERSON_NOUNS,
    PREPOSITIONS,
    REPORTING_VERBS,
    SKIPPABLE_BEFORE_VERB,
)

# quote_cue_words and quote_cue_parse were split out of this module: every name it defined stays importable from here.
from tui.core.analysis.quote_cue_parse import (  # noqa: F401  (re-exported)
    CLIMB_DEPS,
    MENTION_RIGHT_DEPS,
    RELATIVE_WORDS,
    SUBJECT_DEPS,
    _inside_marks,
    _name_beside,
    _noun_phrase,
    across_paragraphs,
    dep_mention,
    dep_subject,
    is_thing,
    parse_path,
)
from tui.core.analysis.quote_cue_words import (  # noqa: F401  (re-exported)
    Cue,
    _is_adverb,
    _is_pronoun,
    _is_pure_name,
    _skip_back,
    cue_extent,
    is_reporting_verb,
    pick_mention,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


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
            return Cue(i, cs, ce, _apposed_name(doc, parsed, hi) or parsed)
        if doc.has_annotation("DEP") and doc[i].lower_.endswith("ing"):
            return None  # "“…,” claiming …": the subject is before the quote (its before-cue)
        speaker = pick_mention(doc, start, end)
        if speaker and not _is_plausible_mention(doc, *speaker):
            speaker = None
        if speaker and end < hi and doc[end].text == ",":
            speaker = _apposed_name(doc, speaker, hi) or speaker
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
            # "“…,” Jane Doe, the mayor's former chief of staff, said": the parse lost the
            # subject in the apposition
            long_subject = parsed_doc and v - i > max_speaker_tokens and doc[v].dep_ == "ROOT"
            opening = (_opening_person(doc, v, i) or _opening_description(doc, v, i)) if long_subject else None
            if opening is not None and i <= opening[0] <= i + 4 and not any(t.is_punct for t in doc[i : opening[0]]):
                return Cue(v, *cue_extent(doc, v, hi), opening)
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


def _apposed_name(doc: Doc, speaker: tuple[int, int], hi: int) -> tuple[int, int] | None:
    """The name set after a description in apposition ("said the group's director, Jane Doe",
    "said his best friend at college, John Roe, who …"), or None."""
    s, e = speaker
    if e >= hi or doc[e].text != "," or _is_pure_name(doc, s, e):
        return None
    run = name_run_starting_at(doc, e + 1, hi)
    if (
        run
        and _is_pure_name(doc, *run)
        and (run[1] >= hi or doc[run[1]].is_punct or doc[run[1]].lower_ in PREPOSITIONS | {"who"})
    ):
        return run
    return None


def _opening_description(doc: Doc, verb: int, lo: int) -> tuple[int, int] | None:
    """ "“…,” an intelligence source, who was not authorized to speak, told Acme News": a short
    description opening the clause, with a "who" clause before the verb the parse left without
    a subject."""
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.i >= lo for c in doc[verb].children):
        return None
    if doc[lo].lower_ not in ("a", "an", "the", "one", "another"):
        return None
    comma = next((k for k in range(lo + 1, min(verb, lo + 7)) if doc[k].is_punct), None)
    if comma is None or doc[comma].text != "," or comma + 1 >= verb or doc[comma + 1].lower_ not in ("who", "whose"):
        return None
    return (lo, comma) if doc[comma - 1].pos_ == "NOUN" else None


def _opening_person(doc: Doc, verb: int, lo: int) -> tuple[int, int] | None:
    """ "Jane Doe, now 81 and retired in Dover, Del., said": when the parse gives the verb no
    subject, a person's name opening the clause (after titles or a short description: "Ohio
    delegate Jane Doe") and followed by an apposition is it."""
    if not doc.has_annotation("DEP") or any(c.dep_ in ("nsubj", "nsubjpass") for c in doc[verb].children):
        return None
    start = max(lo, doc[verb].sent.start)
    while start < verb and (doc[start].is_punct or doc[start].is_space or doc[start].lower_.rstrip(".") in TITLE_WORDS):
        start += 1
    # "Texas delegate Bill Eastland, …": a short description of nouns and adjectives before the name
    described = start
    while (
        described < min(verb, start + 4)
        and doc[described].pos_ in ("NOUN", "PROPN", "ADJ")
        and doc[described].ent_type_ != "PERSON"
    ):
        described += 1
    if described > start and described < verb and doc[described].ent_iob_ == "B" and doc[described].ent_type_ == "PERSON":
        start = described
    run = name_run_starting_at(doc, start, verb)
    if run is None or run[1] >= verb or doc[run[1]].text != "," or verb - run[1] > 30:
        return None
    return run if any(t.ent_type_ == "PERSON" for t in doc[run[0] : run[1]]) else None


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
    """A cue in the tokens doc[lo:hi] preceding an opening quotation mark: the reporting verb
    the quote depends on in the parse, else the last reporting verb, and its subject."""
    order = list(range(hi - 1, lo - 1, -1))
    governing = _governing_reporting_verb(doc, lo, hi)
    if governing is not None:
        order.remove(governing)
        order.insert(0, governing)
    for v in order:
        if not is_reporting_verb(doc[v]) or _quoted_word(doc, v):
            continue
        cs, ce = cue_extent(doc, v, hi)
        if (
            doc.has_annotation("DEP")
            and doc[v].dep_ in ("relcl", "acl")
            and doc[v].right_edge.i < hi
            and any(not t.is_punct for t in doc[ce:hi])
            and not _introduces(doc, hi)
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


def _introduces(doc: Doc, hi: int) -> bool:
    """The words before the quotation opening at token `hi` end on a comma or colon ("Roe, who
    declared in the spin room, “…”"): they introduce it."""
    k = hi - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    return k >= 0 and doc[k].text in (",", ":")


def _quoted_word(doc: Doc, i: int) -> bool:
    """Token i stands alone between quotation marks (agents would be “screaming”): a quoted word, not a cue."""
    return 0 < i < len(doc) - 1 and doc[i - 1].text in "“\"‘'" and doc[i + 1].text in "”\"’'"


def _governing_reporting_verb(doc: Doc, lo: int, hi: int) -> int | None:
    """The nearest reporting verb in doc[lo:hi] on the parse path from the quote opening at
    `hi` up to its root ("Doe insisted, as critics noted, that “…”": insisted), or None. A verb
    whose subject is a thing gives way to a reporting verb above it with a speaker for subject:
    in "a source said the files suggested the thieves wanted “…”", the source speaks."""
    if not doc.has_annotation("DEP") or hi + 1 >= len(doc):
        return None
    verbs = [k for k in parse_path(doc, hi + 1) if lo <= k < hi and is_reporting_verb(doc[k])]
    if not verbs:
        return None
    for inner, outer in zip(verbs, verbs[1:]):
        if doc[inner].lemma_.lower() in TEXT_VERBS:
            break  # "a sign that read “…”": the thing's own words
        if _said_by_a_thing(doc, inner, lo, hi) is not True or _said_by_a_thing(doc, outer, lo, hi) is not False:
            break  # the outer verb must have a subject, and one that can speak
        verbs[0] = outer
    return verbs[0]


TEXT_VERBS = {"say", "read", "state", "write"}  # what a sign, a headline or a page does with its words


def _said_by_a_thing(doc: Doc, verb: int, lo: int, hi: int) -> bool | None:
    """Whether the subject of the reporting verb is an inanimate common noun ("the files", "the
    data": no name, no pronoun, no person, group or organisation noun); None without a subject."""
    from tui.core.analysis.quote_coref import word_gender

    subject = dep_subject(doc, verb, lo, hi)
    if subject is None:
        return None
    head = doc[subject[0] : subject[1]].root
    lemma = head.lemma_.lower()
    return (
        head.pos_ == "NOUN"
        and not any(t.ent_type_ for t in doc[subject[0] : subject[1]])
        and lemma not in PERSON_NOUNS
        and lemma not in ORGANISATION_NOUNS
        and lemma not in COLLECTIVE_PLURALS
        and lemma not in ANONYMOUS_NOUNS
        and word_gender(lemma) is None
    )


def subject_before(doc: Doc, verb: int, lo: int) -> tuple[int, int] | None:
    """Token range of the subject of the reporting verb at `verb` (region starts at `lo`)."""
    parsed = dep_subject(doc, verb, lo, verb + 1)
    if parsed is not None:
        return parsed
    opening = _opening_person(doc, verb, lo)
    if opening is not None:
        return opening
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
        if doc[k].text == "," and k + 1 < comma and doc[k + 1].tag_ in ("VBG", "VBN", "VBD") and k - 1 >= lo:
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
            if child.dep_ in ("nsubj", "nsubjpass") and not across_paragraphs(doc, child.i, token.i):
                return _mention_from_head(doc, child)
        if (
            token.dep_ in ("advcl", "xcomp", "conj", "pcomp", "prep", "ccomp")
            and token.head is not token
            and not across_paragraphs(doc, token.head.i, token.i)
        ):
            token = token.head
        elif token.dep_ == "acl" and token.head.dep_ == "dobj" and token.head.lower_ in DOCUMENT_NOUNS:
            token = token.head.head  # "Doe and Roe issued a statement describing it as “…”": its issuers
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
        for conj in head.children:  # "Doe and Roe issued a statement": both
            if conj.dep_ == "conj" and conj.ent_type_ == head.ent_type_ and conj.i > e:
                e = conj.i
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
            return _person_after_title(doc, run, verb) or run
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


def _person_after_title(doc: Doc, run: tuple[int, int], verb: int) -> tuple[int, int] | None:
    """ "Acme Daily columnist Jane Doe wrote": an organisation's name, one to three lower-case
    role words, then a person's name — the person is the subject, not the organisation."""
    if any(t.ent_type_ == "PERSON" for t in doc[run[0] : run[1]]):
        return None
    k = run[1]
    while k < min(verb, run[1] + 3) and doc[k].is_alpha and doc[k].is_lower and doc[k].pos_ == "NOUN":
        k += 1
    if k == run[1]:
        return None
    person = name_run_starting_at(doc, k, verb)
    if person and any(t.ent_type_ == "PERSON" for t in doc[person[0] : person[1]]):
        return person
    return None
