"""Words beside a name that show it names a person, whatever label the tagger gave it.

The small English pipeline often calls a person's name an organisation or a place, mostly names it
has not met ("Megda Belkacemi" as ORG, "Telford" as GPE). A person who is not tagged as one is
lost to everything after: a "she" cannot stand for her and a bare surname is not linked to her full
name. The text itself often says who is a person:

- a role or title just before the name: "economist Jane Doe", "Sen. Jane Doe", "the pilot, Jane Doe,";
- an age or a person's description in apposition after it: "Jane Doe, 26,", "Jane Doe, a
  student at …", "Jane Doe, CEO of Acme";
- a relative "who" after a full name: "Jane Doe, who …" (not after one word: "Chelsea, who beat …");
- a "himself" or "herself" of its own verb: "Doe found herself …" (an organisation is "itself").

A weaker sign, such as a "she" in the clause the name reports ("Acme said she had left"), is not taken:
it is as often someone else. Names of countries, states and big cities (`lexicon.PLACE_NAMES`) stay
what they are. `people_by_context` relabels such names PERSON before the mentions are linked, and
with them every mention of the same surname the tagger called something else ("For Jane Doe,
Friday …" once "Doe, 26, said" shows she is a person); `add_evident_people` adds full names the
tagger missed.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from tui.core.analysis.entity_names import TITLE_WORDS, name_run_at
from tui.core.analysis.given_names import given_name_gender
from tui.core.analysis.lexicon import ORG_HEAD_WORDS, PERSON_NOUNS, PLACE_NAMES, ROLE_EPITHETS
from tui.core.analysis.quote_names import looks_like_personal_name, not_a_person_name
from tui.core.analysis.token_scan import possible_name_starts

# Role words that, written beside a name, make it a person's ("economist Jane Doe", "Jane Doe, a
# nurse"); left out: words that as often stand beside a company's, a country's or a team's name
# ("rival", "owner", "member", "player") and trades that firms have too ("broker", "pollster").
ROLES_BESIDE_A_NAME = frozenset((PERSON_NOUNS | ROLE_EPITHETS) - {
    "owner", "partner", "producer", "head", "one", "member", "general", "chief", "star", "host", "anchor",
    "guard", "major", "source", "rival", "incumbent", "challenger", "investor", "donor",
    "democrat", "republican", "fan", "supporter", "opponent", "contractor", "employee", "executive",
    "official", "professional", "veteran", "resident", "citizen", "player", "pollster", "broker",
    "adviser", "advisor", "consultant", "trader", "miner", "agent", "builder", "grower", "lobbyist",
    "operator", "provider", "driver", "worker", "voter", "person", "man", "woman",
})  # fmt: skip
# Words before a role that make it a firm's ("market leader Acme", "fund manager Acme Capital").
FIRM_ROLE_MODIFIERS = {"market", "industry", "world", "global", "sector", "category", "fund", "asset", "investment"}
# Endings of words for a person's trade ("choreographer", "epidemiologist", "technician").
ROLE_ENDINGS = ("ologist", "ographer", "ician", "ist")
# Capitalised title words that also open an organisation's name ("Police", "General Motors").
ORGANISATION_TITLE_WORDS = {"police", "vice", "prime", "general", "chief", "state"}
# Labels a person's name may wrongly get and be relabelled from by a surname's evidence alone.
MISTAKEN_PERSON_LABELS = {"ORG", "GPE", "NORP"}
REFLEXIVES = {"himself", "herself"}


def people_by_context(spans: list[Span]) -> list[Span]:
    """`spans` (in reading order) with every name the context shows to be a person labelled
    PERSON (see the module docstring); the other spans as they were."""
    shaped = [_name_shaped(span) for span in spans]
    evident = [ok and shows_a_person(span) for ok, span in zip(shaped, spans)]
    surnames = {span[-1].text for span, shown in zip(spans, evident) if shown}
    alone = _tagged_a_person_alone(spans)
    taken = {k for span in spans for k in range(span.start, span.end)}
    out = []
    for span, ok, shown in zip(spans, shaped, evident):
        if span.label_ != "PERSON" and ok:
            by_surname = span[-1].text in surnames and (len(span) == 1 or span.label_ in MISTAKEN_PERSON_LABELS)
            # "Nino Doe" taken for a place where "Doe" alone is tagged a person: a full name
            by_surname = by_surname or len(span) > 1 and span.label_ in MISTAKEN_PERSON_LABELS and span[-1].text in alone
            if shown or by_surname:
                start = span.start - 1 if len(span) == 1 and _given_name_before(span, taken) else span.start
                span = Span(span.doc, start, span.end, label="PERSON")
        out.append(span)
    return out


def _tagged_a_person_alone(spans: list[Span]) -> set[str]:
    """Words the tagger calls a person when they stand alone ("Doe said"), at least as often as
    it calls them anything else."""
    votes: dict[str, int] = {}
    for span in spans:
        if len(span) == 1 and span.label_ in MISTAKEN_PERSON_LABELS | {"PERSON"}:
            votes[span.text] = votes.get(span.text, 0) + (1 if span.label_ == "PERSON" else -1)
    return {word for word, vote in votes.items() if vote > 0}


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
    for first in possible_name_starts(doc):  # no other word opens a name run
        if first < i or first in taken:
            continue  # inside the run found last, or in a tagged name
        run = name_run_at(doc, first)
        if run is None:
            continue
        start, end = run
        i = end
        while end - start > 2 and doc[start].lower_.rstrip(".") in TITLE_WORDS | ROLES_BESIDE_A_NAME:
            start += 1  # "Economist Jane Doe, 34,": the name without its title
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
    return role_before(span) or _renames_a_role(span) or person_after(span) or _reflexive_after(span)


def _name_shaped(span: Span) -> bool:
    """One to three capitalised words (hyphenated ones too: "Marie-Claire Doe"), not all capitals,
    with no organisation or place word, not a people, a party or a country's name."""
    words = [t for t in span if t.text not in ("-", "‐")]
    if span[0].text in ("-", "‐") or span[-1].text in ("-", "‐"):
        return False  # "-General Jane Doe": a title's tail, cut off where the entity starts
    if not 1 <= len(words) <= 3 or len(span.text.replace("-", " ").split()) != len(words):
        return False
    if any(not t.is_alpha or not t.text[:1].isupper() or t.is_upper for t in words):
        return False
    if span.text.lower() in PLACE_NAMES:
        return False  # "Kenya", "New York": places, whatever the tagger called them
    determiner = any(c.dep_ == "det" for c in span.root.children)
    if determiner or span.start > 0 and span.doc[span.start - 1].lower_ in ("the", "a", "an") or span[-1].tag_ == "NNPS":
        return False  # "the Wisconsin Republican", "The Chinese", "Roman Catholics": a people or a party
    if len(words) == 1:
        return span.text.lower() not in ORG_HEAD_WORDS
    return looks_like_personal_name(span.text.replace("-", "")) and not not_a_person_name(span.text)


def role_before(span: Span) -> bool:
    """A person's role or title written just before `span`, and part of its noun phrase
    ("choreographer Jane Doe", "Sen. Jane Doe", "Coach Doe"; not "the lawyer Acme hired")."""
    if span.start == 0:
        return False
    before = span.doc[span.start - 1]
    word = before.lower_.rstrip(".")
    if before.dep_ not in ("compound", "appos", "nmod", "amod") or not span.start <= before.head.i < span.end:
        return False
    if before.is_lower:
        if before.pos_ != "NOUN" or span.start > 1 and span.doc[span.start - 2].lower_ in FIRM_ROLE_MODIFIERS:
            return False
        return word in ROLES_BESIDE_A_NAME or len(word) >= 6 and word.endswith(ROLE_ENDINGS) and not word.endswith("list")
    return before.is_title and word in TITLE_WORDS and word not in ORGANISATION_TITLE_WORDS


def _renames_a_role(span: Span) -> bool:
    """The name is in apposition to a person's role written before it: "The pilot, Jane Doe,"."""
    head = span.root.head
    after_comma = span.start > 0 and span.doc[span.start - 1].text == ","  # not "The lawyer Acme hired"
    return (
        after_comma
        and span.root.dep_ == "appos"
        and head.i < span.start
        and head.pos_ == "NOUN"
        and head.lower_ in ROLES_BESIDE_A_NAME
    )


def person_after(span: Span) -> bool:
    """An age, a "who" (after a full name) or a person's description in apposition right after
    `span` ("Jane Doe, 26,", "Jane Doe, who", "Jane Doe, a student at …", "Jane Doe, CEO of Acme")."""
    doc = span.doc
    k = span.end
    if k + 1 >= len(doc) or doc[k].text != ",":
        return False
    first = doc[k + 1]
    if first.text.isascii() and first.text.isdigit() and 0 < int(first.text) < 120:
        return k + 2 < len(doc) and doc[k + 2].text in (",", ".")
    if first.lower_ == "who":
        return len(span) > 1  # "Chelsea, who beat …": a team can be a "who"
    for token in doc[k + 1 : min(len(doc), k + 7)]:
        if token.is_punct or token.lower_ in ("of", "at", "for", "with", "in", "who", "and"):
            break
        if token.lower_ in ROLES_BESIDE_A_NAME and token.pos_ in ("NOUN", "PROPN"):
            firm = token.i > 0 and doc[token.i - 1].lower_ in FIRM_ROLE_MODIFIERS  # "Acme, the market leader"
            return not firm and token.dep_ == "appos" and span.start <= token.head.i < span.end
    return False


def _reflexive_after(span: Span) -> bool:
    """The name is the subject of a verb whose "himself" or "herself" follows: "Doe found herself …"."""
    head = span.root
    if head.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = head.head
    return any(t.lower_ in REFLEXIVES and t.head.i == verb.i for t in span.doc[span.end : min(len(span.doc), verb.i + 4)])
