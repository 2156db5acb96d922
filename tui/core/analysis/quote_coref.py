"""What a speaker pronoun can refer to: gender, number and kind of the candidates.

`quote_index.DocIndex.resolve_pronoun` picks the antecedent of a subject pronoun; this module
supplies the linguistic filters it uses:

* **Gender of people.** Lexical evidence next to a mention of the name: a gendered title or
  role word before it ("Mrs", "spokeswoman Jane Doe", "businessman John Roe") or as the head of
  an apposition after it ("Jane Doe, a mother of three,"), and a possessive ``his``/``her``
  later in the same sentence when that sentence names no other person ("Mayor Jane Doe and her
  challenger"). The resolver adds what it learns itself: a person an unambiguous ``he``/``she``
  referred to keeps that gender, so a later ``she`` skips a man named more recently.
* **Kind of a description.** A noun phrase subject ("The ministry", "a police spokesman",
  "Leaders of the union") is a *person* (singular role noun, "spokeswoman" with its gender),
  a *group* (plural head: "they") or an *organisation* (organisation noun or ORG entity:
  "it", or "they").
* **Subject noun phrases.** With a dependency parse, every nominal subject outside quotes is a
  candidate for ``it``/``they`` ("The ministry praised the officers. “...,” it said").

No rule names a particular person or organisation; the word lists are closed-class English
vocabulary (titles, kinship and role nouns).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.analysis.lexicon import (  # noqa: F401  (word lists live in the lexicon)
    COLLECTIVE_PLURALS,
    FEMININE_WORDS,
    GENERIC_ORG_NOUNS,
    MASCULINE_WORDS,
    ORGANISATION_NOUNS,
    PERSON_NOUNS,
    PRONOUN_GENDER,
    REPORTING_VERBS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SENTENCE_STOP = {".", "!", "?"}


def word_gender(word: str) -> str | None:
    """ "m" or "f" when `word` is a masculine or feminine title or noun ("Mr.", "mother"), else None."""
    w = word.lower().rstrip(".")
    if w in MASCULINE_WORDS:
        return "m"
    if w in FEMININE_WORDS:
        return "f"
    return None


def gender_near_mention(doc: Doc, s: int, e: int) -> str | None:
    """Gender evidence right around the mention doc[s:e]: a title or role word just before
    it, or the head of an apposition after it."""
    for k in range(s - 1, max(-1, s - 4), -1):
        token = doc[k]
        gender = word_gender(token.text)
        if gender:
            return gender
        if token.is_punct or not token.text[:1].isupper():
            break  # only a run of capitalised title words is read ("Labour MP Mrs Doe")
    # "Jane Doe, a mother of three," / "John Roe, the group's chairman,"
    if e < len(doc) and doc[e].text == ",":
        for k in range(e + 1, min(len(doc), e + 7)):
            if doc[k].is_punct:
                break
            g = word_gender(doc[k].text)
            if g:
                return g
            if doc[k].lower_ in ("of", "for", "at", "in", "from", "who", "which", "whose"):
                break
    return None


def possessive_gender_after(doc: Doc, s: int, e: int, hi: int) -> str | None:
    """A possessive "his"/"her" later in the sentence of a mention (caller checks that the
    sentence names nobody else in between)."""
    verb = doc[e - 1].head if doc[e - 1].dep_ in ("nsubj", "nsubjpass") else None
    if verb is None and _clause_subject_is_a_person(doc, doc[e - 1]):
        return None  # "Roe welcomed Doe into his circle": a possessive is likelier the subject's
    before = {t.lower_ for t in doc[doc[s].sent.start : s] if t.lower_ in ("his", "her")}
    found = None
    for k in range(e, min(hi, len(doc))):
        t = doc[k]
        if t.text in SENTENCE_STOP or t.text in '“"':
            break
        if verb is not None and t.i == verb.i and t.lower_ in REPORTING_VERBS and any(c.dep_ == "ccomp" for c in t.children):
            return None  # "Doe said the scandal was only the latest in her career": what Doe reports is about others
        if t.lower_ in before:
            continue  # "his campaign against Roe and his years in office": the same "his" as before Roe
        if t.lower_ in ("his", "her") and _governed_by_other_subject(doc, k, s, e):
            continue  # "Doe …, the morning after the senator cemented her status": the senator's
        gender = "m" if t.lower_ == "his" else ("f" if t.lower_ == "her" and _is_possessive_her(doc, k) else None)
        if gender and found and gender != found:
            return None  # "Doe ignored her call to admit his mistake": both, so neither tells
        found = found or gender
    return found


def _clause_subject_is_a_person(doc: Doc, token: Token) -> bool:
    """The nearest clause above `token` that has a subject has a person (a name or a personal
    pronoun) as that subject ("Roe, inviting Doe into his circle": Roe)."""
    if not doc.has_annotation("DEP") or token.head is token:
        return False
    subject = _nearest_subject(token.head, steps=12, verbs_only=True)
    return subject is not None and (subject.ent_type_ == "PERSON" or subject.lower_ in ("he", "she", "i", "we", "they"))


def _governed_by_other_subject(doc: Doc, k: int, s: int, e: int) -> bool:
    """The clause holding the possessive at `k` has a subject of its own named after the
    mention `s:e` ("Doe …, after the senator cemented her status"): the possessive is likelier
    that subject's."""
    if not doc.has_annotation("DEP"):
        return False
    subject = _nearest_subject(doc[k].head, steps=6, verbs_only=False)
    return subject is not None and e <= subject.i < k and subject.pos_ in ("NOUN", "PROPN")


def _nearest_subject(head: Token, steps: int, verbs_only: bool) -> Token | None:
    """The subject of `head` or of the nearest word above it that has one (looking at `steps`
    words at most; with `verbs_only`, at verbs only), or None."""
    for _ in range(steps):
        if not verbs_only or head.pos_ in ("VERB", "AUX"):
            subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                return subjects[0]
        if head.head is head:
            return None
        head = head.head
    return None


def _is_possessive_her(doc: Doc, k: int) -> bool:
    token = doc[k]
    if token.tag_:
        return token.tag_ == "PRP$"
    nxt = doc[k + 1] if k + 1 < len(doc) else None
    return (
        nxt is not None
        and nxt.is_alpha
        and nxt.text.islower()
        and nxt.lower_ not in ("of", "to", "for", "with", "at", "in", "on", "and", "that", "as", "by", "from", "the", "a", "an")
    )


def head_token(doc: Doc, s: int, e: int) -> Token | None:
    """Head of the noun phrase doc[s:e]: from the parse, else the last word before a
    preposition, comma or relative word."""
    if doc.has_annotation("DEP"):
        for k in range(s, e):
            head = doc[k].head
            if head.i < s or head.i >= e or head.i == k:
                if doc[k].pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                    return doc[k]
    end = e
    for k in range(s, e):
        if doc[k].lower_ in ("of", "for", "from", "at", "in", "with", "who", "which", "that", ",", "(", "on"):
            end = k
            break
    k = end - 1
    while k > s and (doc[k].is_punct or doc[k].text in ("'s", "’s", "'", "’")):
        k -= 1
    return doc[k] if k >= s else None


def is_plural(token: Token) -> bool:
    """Whether `token` stands for several people or things (a plural tag or ending, or a collective like "police")."""
    lower = token.lower_
    if lower in COLLECTIVE_PLURALS:
        return True
    if token.tag_:
        return token.tag_ in ("NNS", "NNPS")
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and lower not in ORGANISATION_NOUNS


def description_kind(doc: Doc, s: int, e: int, entity_label: str | None = None) -> tuple[str, str | None]:
    """("person" | "group" | "org" | "thing", gender) of the noun phrase doc[s:e]."""
    if entity_label == "PERSON":
        return "person", None
    head = head_token(doc, s, e)
    if head is None:
        return "thing", None
    lower = head.lower_
    gender = word_gender(lower)
    if head.ent_type_ in ("ORG",) or entity_label in ("ORG", "GPE", "NORP") and not gender:
        return ("group" if head.ent_type_ == "NORP" and is_plural(head) else "org"), None
    if is_plural(head):
        return "group", None
    if gender or lower in PERSON_NOUNS:
        return "person", gender
    if lower in ORGANISATION_NOUNS:
        return "org", None
    return "thing", None


def modifies_common_noun(token: Token) -> bool:
    """A name word used as a modifier of a common noun ("Coal miners", "Doe supporters", "the
    Roe campaign"): the phrase is about the noun, so the name is not its subject."""
    return token.dep_ == "compound" and token.head.pos_ == "NOUN" and token.head.i > token.i


def pronoun_accepts(pronoun: str, kind: str, gender: str | None) -> bool:
    """Can this pronoun refer to a candidate of this kind and gender?"""
    pronoun = pronoun.lower()
    if pronoun in ("he", "she"):
        return kind in ("person", "either") and (gender is None or gender == PRONOUN_GENDER[pronoun])
    if pronoun == "it":
        return kind in ("org", "thing", "either")
    if pronoun == "they":
        return kind in ("group", "org", "either")
    return kind in ("person", "either")


def subject_phrase(doc: Doc, head: Token) -> tuple[int, int]:
    """Token range of a parsed nominal subject: determiners, modifiers and "of"-phrases, not
    relative clauses or appositions ("Leaders of the union, who met on Monday," -> "Leaders of
    the union")."""
    s = head.left_edge.i
    e = head.i + 1
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "at", "from", "in"):
            e = child.right_edge.i + 1
        elif child.dep_ in ("compound", "amod", "case"):
            e = child.right_edge.i + 1
        else:
            break
    while s < e and (doc[s].is_punct or doc[s].is_space):
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    return s, e


PERSON_PLURAL_ENDINGS = ("ers", "ors", "ists", "ants", "ents", "ians", "ees")


def lexical_sentence_subject(doc: Doc, s: int, e: int) -> tuple[int, int, str] | None:
    """Without a parser: a sentence opening with an organisation or group noun phrase
    ("The ministry praised ...", "Protesters gathered ...") -> (start, end, kind)."""
    i = s
    while i < e and (doc[i].is_space or doc[i].is_punct):
        i += 1
    start = i
    if i < e and doc[i].lower_ in ("the", "a", "an", "its", "their"):
        i += 1
    for k in range(i, min(e, i + 3)):
        token = doc[k]
        if not token.is_alpha:
            return None
        following = doc[k + 1] if k + 1 < e else None
        if following is None or not following.is_alpha or not following.text.islower():
            continue
        lower = token.lower_
        if lower in ORGANISATION_NOUNS or lower in COLLECTIVE_PLURALS:
            return start, k + 1, ("group" if lower in COLLECTIVE_PLURALS else "org")
        if lower.endswith(PERSON_PLURAL_ENDINGS) or (lower.endswith("s") and lower[:-1] in PERSON_NOUNS):
            return start, k + 1, "group"
    return None
