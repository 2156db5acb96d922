"""Words beside a name that show it names a person, whatever label the tagger gave it.

The small English pipeline often calls a person's name an organisation or a place, mostly names it
has not met ("Megda Belkacemi" as ORG, "Telford" as GPE). A person who is not tagged as one is
lost to everything after: a "she" cannot stand for her and a bare surname is not linked to her full
name. The text itself often says who is a person:

- a role or title just before the name: "economist Jane Doe", "Sen. Jane Doe", "the pilot, Jane Doe,";
- an age or a person's description in apposition after it: "Jane Doe, 26,", "Jane Doe, a
  student at …", "Jane Doe, CEO of Acme";
- a relative "who" after it: "Jane Doe, who …";
- a he/she of its own in the clause it opens: "Doe says she will …", "Doe scored his first goal",
  "Doe found herself …" (an organisation is an "it").

`people_by_context` relabels such names PERSON before the mentions are linked, and with them every
mention of the same surname the tagger called something else ("For Jane Doe, Friday …" once "Doe
says she …" shows she is a person); `add_evident_people` adds full names the tagger missed.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from tui.core.analysis.entity_names import TITLE_WORDS, name_run_starting_at
from tui.core.analysis.given_names import given_name_gender
from tui.core.analysis.lexicon import ORG_HEAD_WORDS, PERSON_NOUNS, ROLE_EPITHETS
from tui.core.analysis.quote_names import looks_like_personal_name, not_a_person_name

# Role words that, written just before a name, make it a person's ("economist Jane Doe"); left
# out: words that as often stand before a company's or a team's name ("rival", "owner", "host").
ROLES_BEFORE_A_NAME = (PERSON_NOUNS | ROLE_EPITHETS) - {
    "owner", "partner", "producer", "head", "one", "member", "general", "chief", "star", "host", "anchor",
    "guard", "major", "source", "leader", "rival", "incumbent", "challenger", "investor", "donor",
    "democrat", "republican", "fan", "supporter", "opponent", "contractor", "employee", "executive",
    "official", "professional", "veteran", "resident", "citizen",
}  # fmt: skip
# Endings of words for a person's trade ("choreographer", "epidemiologist", "technician").
ROLE_ENDINGS = ("ologist", "ographer", "ician", "ist")
# Capitalised title words that also open an organisation's name ("Police", "General Motors").
ORGANISATION_TITLE_WORDS = {"police", "vice", "prime", "general", "chief", "state"}
# Labels a person's name may wrongly get and be relabelled from by a surname's evidence alone.
MISTAKEN_PERSON_LABELS = {"ORG", "GPE", "NORP"}
OWN_PRONOUNS = {"he", "she"}
OWN_POSSESSIVES = {"his", "her", "himself", "herself"}
LINKING_VERBS = {"be", "become", "remain", "seem", "stay"}


def people_by_context(spans: list[Span]) -> list[Span]:
    """`spans` (in reading order) with every name the context shows to be a person labelled
    PERSON (see the module docstring); the other spans as they were."""
    surnames = {span[-1].text for span in spans if _name_shaped(span) and shows_a_person(span)}
    taken = {k for span in spans for k in range(span.start, span.end)}
    out = []
    for span in spans:
        if span.label_ != "PERSON" and _name_shaped(span):
            own = shows_a_person(span)
            by_surname = span[-1].text in surnames and (len(span) == 1 or span.label_ in MISTAKEN_PERSON_LABELS)
            if own or by_surname:
                start = span.start - 1 if len(span) == 1 and _given_name_before(span, taken) else span.start
                span = Span(span.doc, start, span.end, label="PERSON")
        out.append(span)
    return out


def _given_name_before(surname: Span, taken: set[int]) -> bool:
    """The word before a lone surname is a given name the tagger left out ("Caleb" of "Caleb Doe"
    when only "Doe" was tagged)."""
    if surname.start == 0 or surname.start - 1 in taken:
        return False
    word = surname.doc[surname.start - 1]
    return word.is_title and word.is_alpha and given_name_gender(f"{word.text} {surname.text}") is not None


def add_evident_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """`spans` (in reading order) with the two- or three-word names the tagger missed added as
    people where the words beside them show a person ("Jane Doe, 34, could be …")."""
    taken = {k for span in spans for k in range(span.start, span.end)}
    added, i = [], 0
    while i < len(doc):
        run = name_run_starting_at(doc, i, len(doc)) if i not in taken else None
        if run is None:
            i += 1
            continue
        start, end = run
        i = end
        if end - start >= 2 and not taken.intersection(range(start, end)):
            span = Span(doc, start, end, label="PERSON")
            if _name_shaped(span) and not _opens_a_sentence_as_a_heading(span) and shows_a_person(span):
                added.append(span)
    return sorted(spans + added, key=lambda s: s.start) if added else spans


def _opens_a_sentence_as_a_heading(span: Span) -> bool:
    """A capitalised run that is a line of its own (a heading or a caption), not a name in a sentence."""
    doc = span.doc
    before = doc[span.start - 1].text if span.start > 0 else "\n"
    after = doc[span.end].text if span.end < len(doc) else "\n"
    return "\n" in before and "\n" in after


def shows_a_person(span: Span) -> bool:
    """The words right before or after the name `span` show a person (see the module docstring)."""
    return role_before(span) or _renames_a_role(span) or person_after(span) or _own_pronoun_after(span)


def _name_shaped(span: Span) -> bool:
    """One to three capitalised words, not all capitals, with no organisation or place word."""
    if not 1 <= len(span) <= 3 or len(span) != len(span.text.split()):
        return False
    if any(not t.text.replace("-", "").isalpha() or not t.text[:1].isupper() or t.is_upper for t in span):
        return False
    determiner = any(c.dep_ == "det" for c in span.root.children)
    if determiner or span.start > 0 and span.doc[span.start - 1].lower_ in ("the", "a", "an") or span[-1].tag_ == "NNPS":
        return False  # "the Wisconsin Republican", "The Chinese", "Roman Catholics": a people or a party
    if len(span) == 1:
        return span.text.lower() not in ORG_HEAD_WORDS
    return looks_like_personal_name(span.text) and not not_a_person_name(span.text)


def role_before(span: Span) -> bool:
    """A person's role or title written just before `span` ("choreographer", "Sen.", "Coach")."""
    if span.start == 0:
        return False
    before = span.doc[span.start - 1]
    word = before.lower_.rstrip(".")
    if before.is_lower:
        if before.pos_ != "NOUN":
            return False
        return word in ROLES_BEFORE_A_NAME or len(word) >= 6 and word.endswith(ROLE_ENDINGS) and not word.endswith("list")
    return before.is_title and word in TITLE_WORDS and word not in ORGANISATION_TITLE_WORDS


def _renames_a_role(span: Span) -> bool:
    """The name is in apposition to a person's role written before it: "The pilot, Jane Doe,"."""
    head = span.root.head
    return span.root.dep_ == "appos" and head.i < span.start and head.pos_ == "NOUN" and head.lower_ in ROLES_BEFORE_A_NAME


def person_after(span: Span) -> bool:
    """An age, a "who" or a person's description in apposition right after `span` ("Jane Doe,
    26,", "Jane Doe, who", "Jane Doe, a student at …", "Jane Doe, CEO of Acme")."""
    doc = span.doc
    k = span.end
    if k + 1 >= len(doc) or doc[k].text != ",":
        return False
    first = doc[k + 1]
    if first.text.isdigit() and 0 < int(first.text) < 120:
        return k + 2 < len(doc) and doc[k + 2].text in (",", ".")
    if first.lower_ == "who":
        return True
    for token in doc[k + 1 : min(len(doc), k + 7)]:
        if token.is_punct or token.lower_ in ("of", "at", "for", "with", "in", "who", "and"):
            break
        if token.lower_ in PERSON_NOUNS | ROLE_EPITHETS and token.pos_ in ("NOUN", "PROPN"):
            return token.dep_ == "appos" and span.start <= token.head.i < span.end
    return False


def _own_pronoun_after(span: Span) -> bool:
    """The name is the subject of a verb right after it whose clause speaks of it as he or she:
    "Doe says she …", "Doe scored his first goal", "Doe found herself …"."""
    doc = span.doc
    head = span.root
    if head.dep_ not in ("nsubj", "nsubjpass") or not span.end < len(doc) or doc[span.end].pos_ not in ("VERB", "AUX"):
        return False
    if doc[span.end].lemma_ in LINKING_VERBS:
        return False  # "Clarkston became his home": a place can be something of his
    for token in doc[span.end + 1 : min(len(doc), span.end + 5)]:
        if token.is_punct or token.ent_type_:
            return False
        if token.lower_ in OWN_PRONOUNS and token.dep_ in ("nsubj", "nsubjpass"):
            return True
        if token.lower_ in OWN_POSSESSIVES and (token.lower_ != "her" or token.tag_ == "PRP$"):
            return True  # not "Doe told her": an object is someone else
    return False
