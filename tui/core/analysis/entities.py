"""Entity clean-up: the `margin_entities` pipeline component.

It runs after the statistical NER and rewrites `doc.ents` in four passes:

1. Trim each entity: a leading "the"/"The" (except for titles of works), a leading role word
   of a person ("Voter", "Senator"), and a trailing
   possessive ("Business Insider’s" -> "Business Insider") or punctuation are dropped, so
   offsets always point at the name itself.
2. Relabel as a person a name the words beside it show to be one ("economist Jane Doe", "Jane
   Doe, 26,"; `person_evidence.people_by_context`), and as an organisation a lone word taken for
   a person that opens a company's or a team's name ("Acme" beside "Acme Electronics"); drop
   junk: entities inside a photo credit ("JANE DOE/AFP via Getty Images": the photographer's
   name is not an organisation), a department word tagged ORG that opens an office title
   ("State" in "State Secretary Jane Doe"), and entities with no letter in them when they claim
   to be a name.
3. Link mentions to the fullest name of the same entity in the document
   (`entity_names.link_canonical_names`: "Pompeo" -> "Mike Pompeo").
   Bare surnames the tagger missed are added when the full name is known ("Doe said"); a one-word
   organisation is linked to the two-word one it shortens ("State" -> "State Department").
4. Vote: all mentions sharing a canonical name get the label most of them received, so a
   name is not PERSON in one sentence and GPE in the next. Mentions of the full name count
   double, since the tagger is more reliable on them.

The canonical name is stored in the `Span._.margin_canonical` extension (kept by spaCy per
character range, so it survives re-creating the span from `doc.ents`).
"""

from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span, Token

from tui.core.analysis.entity_names import (
    GENERATION_SUFFIXES,
    TITLE_WORDS,
    NameMention,
    headline_end,
    link_canonical_names,
    name_words,
)
from tui.core.analysis.given_names import given_name_gender
from tui.core.analysis.lexicon import PERSON_NOUNS
from tui.core.analysis.person_evidence import add_evident_people, people_by_context, shows_a_person
from tui.core.analysis.quote_coref import gender_near_mention
from tui.core.analysis.result import Entity
from tui.core.analysis.token_scan import capitalised_tokens, doc_text, token_starts, tokens_with_text

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "LAW", "LANGUAGE"}
# Labels the tagger gives a bare surname by mistake ("Cole said" as a PRODUCT).
MISTAKEN_SURNAME_LABELS = {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE", "FAC"}
PHOTO_AGENCIES = {
    "afp",
    "ap",
    "reuters",
    "getty",
    "epa",
    "bloomberg",
    "xinhua",
    "anadolu",
    "pool",
    "shutterstock",
    "ap/shutterstock",
    "efe",
}
POSSESSIVE_TOKENS = {"'s", "’s", "'", "’"}
# Department words that open an office title ("State Secretary", "Health Minister"): such a word
# tagged ORG right before a title word is part of the person's title, not an organisation.
DEPARTMENT_WORDS = {
    "state",
    "defense",
    "defence",
    "health",
    "interior",
    "treasury",
    "justice",
    "energy",
    "commerce",
    "labor",
    "labour",
    "education",
    "agriculture",
    "transportation",
    "transport",
    "homeland",
    "foreign",
    "home",
    "finance",
    "economy",
    "trade",
    "environment",
    "housing",
    "culture",
    "war",
    "navy",
    "army",
}
# A one-word ORG is the short form of a two-word ORG of the same document ending in one of these
# ("State" → "State Department", "Labour" → "Labour Party"): both are listed once, by the longer.
SHORT_FORM_HEADS = {"department", "ministry", "party", "office"}
# Last words of a company's full name that its first word alone stands for ("Acme Electronics" ->
# "Acme"), unlike a product or a branch ("Acme Maps").
COMPANY_NAME_ENDINGS = {
    "electronics", "corp", "corp.", "corporation", "inc", "inc.", "group", "holdings", "technologies",
    "industries", "motors", "airlines", "systems", "pharmaceuticals", "labs", "enterprises", "ltd", "ltd.",
    "co", "co.", "company", "limited", "plc",
}  # fmt: skip
# Words for where someone is from, written before a name ("Ivorian Jean-Jules Doe").
DEMONYMS = set(
    """british irish scottish welsh english french dutch polish danish swedish finnish turkish spanish
    israeli iraqi pakistani afghan somali thai swiss greek ivorian nigerian brazilian kenyan zimbabwean
    chilean korean indian italian russian syrian iranian canadian egyptian ethiopian ghanaian algerian
    tunisian libyan sudanese senegalese chinese japanese vietnamese lebanese congolese cameroonian
    ugandan tanzanian rwandan zambian mozambican angolan malian american mexican colombian venezuelan
    argentine argentinian peruvian cuban haitian jamaican german austrian hungarian romanian bulgarian
    serbian croatian bosnian albanian ukrainian belarusian armenian palestinian jordanian saudi yemeni
    qatari emirati omani kuwaiti bahraini indonesian malaysian filipino australian norwegian belgian
    portuguese nepali bangladeshi""".split()
)

# Fine-grained tags of a capitalised sentence opener that is not part of a name: a participle
# ("Telling", "Informed"), an adverb ("Indeed"), a preposition or conjunction.
OPENER_TAGS = {"VBG", "VBN", "RB", "IN", "CC"}


def install_extensions() -> None:
    """`Span._.margin_canonical` (idempotent; called by the factory)."""
    if not Span.has_extension("margin_canonical"):
        Span.set_extension("margin_canonical", default=None)


class EntityCleaner(Pipe):
    """The `margin_entities` component: trims, filters, links and relabels `doc.ents`."""

    def __init__(self, nlp: Language, name: str = "margin_entities"):
        self.name = name
        install_extensions()

    def __call__(self, doc: Doc) -> Doc:
        """Clean the entities of `doc` in place and return it."""
        return clean_entities(doc)


@Language.factory("margin_entities", assigns=["doc.ents", "span._.margin_canonical"], requires=["doc.ents"])
def make_entity_cleaner(nlp: Language, name: str) -> EntityCleaner:
    """The spaCy factory of the `margin_entities` component."""
    return EntityCleaner(nlp, name)


def clean_entities(doc: Doc) -> Doc:
    """Trim, filter, link and relabel `doc.ents` in place, setting each entity's canonical name; returns `doc`."""
    credit_tokens = photo_credit_name_tokens(doc)
    tagged = doc.ents  # built afresh on each read: read once
    person_words = {
        t.text for ent in tagged if ent.label_ == "PERSON" and (len(ent) > 1 or not ent[0].is_sent_start) for t in ent
    }
    kept: list[Span] = []
    for ent in tagged:
        span = trim_entity(ent)
        if span is None or _is_junk(span, credit_tokens, person_words):
            continue
        kept.append(span)
    kept = _bodies_by_first_word(people_by_context(add_evident_people(doc, kept)))
    headline = headline_end(doc_text(doc))
    kept = _without_unconfirmed_headline_names(kept, headline)
    canonical = link_canonical_names(_name_mentions(kept), headline)
    with_surnames, canonical = add_missed_surnames(doc, kept, canonical)
    if with_surnames is not kept:
        # link again: a bare surname goes on naming whom it named before ("Vale" stays Dana
        # Vale after her son Peter Vale comes in), also where the tagger missed it
        kept = with_surnames
        canonical = link_canonical_names(_name_mentions(kept), headline)
    canonical = link_acronyms(kept, link_short_forms(kept, canonical))
    labels = vote_labels(kept, canonical)
    final = [Span(doc, s.start, s.end, label=label) for s, label in zip(kept, labels)]
    doc.ents = final
    for span, name in zip(final, canonical):
        span._.margin_canonical = name
    return doc


def _bodies_by_first_word(spans: list[Span]) -> list[Span]:
    """One-word names tagged a person that open an organisation's or a place's longer name in the
    same text and no person's, relabelled ORG: "Edmonton responded" beside "Edmonton Oilers" (a
    team), "Acme said" beside "Acme Electronics" (the company, linked to its full name later)."""
    bodies = {s[0].text for s in spans if len(s) > 1 and s.label_ in ("ORG", "GPE")}
    people = {t.text for s in spans if len(s) > 1 and s.label_ == "PERSON" for t in s}
    people |= {s.text for s in spans if len(s) == 1 and shows_a_person(s)}  # "Coach Edmonton said"
    people |= {s.text for s in spans if len(s) == 1 and given_name_gender(f"{s.text} Doe")}  # "Jackson said"
    return [
        Span(s.doc, s.start, s.end, label="ORG") if len(s) == 1 and s.label_ == "PERSON" and s.text in bodies - people else s
        for s in spans
    ]


def _generation_suffix(span: Span) -> str:
    """The " Jr." when a person's name is followed by a generation suffix the entity left out
    ("Brent Doe, Jr. was his father", "Brent Doe III"): part of who he is, not of the highlight."""
    doc, k = span.doc, span.end
    if span.label_ != "PERSON" or len(span) < 2 or name_words(span.text)[-1].lower().rstrip(".") in GENERATION_SUFFIXES:
        return ""
    if k < len(doc) and doc[k].text == "," and not doc[k - 1].whitespace_:
        k += 1
    if k >= len(doc) or doc[k].text.lower().rstrip(".") not in GENERATION_SUFFIXES or not doc[k].text[0].isupper():
        return ""
    word = doc[k].text
    if word.lower().startswith(("jr", "sr")) and not word.endswith("."):
        word += "."
    return " " + word


# Tags of verbs (and "Will", "May") that a title-case line runs into a name.
HEADLINE_VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"}


def trim_entity(ent: Span) -> Span | None:
    """`ent` without a leading "the" (names) or role words (people: "Voter Jane Doe"), nor punctuation,
    line breaks or a possessive at its edges; None when nothing is left."""
    start, end = ent.start, ent.end
    label = ent.label_
    if label in NAME_LABELS and (cut := _after_dateline(ent.doc, start, end)) > start:
        start = cut
        if label != "PERSON" and given_name_gender(ent.doc[start:end].text):
            label = "PERSON"  # the tagger judged "CLEVELAND - John Doe" as a whole
    if ent.label_ in NAME_LABELS and end - start > 1 and ent.doc[start].lower_ == "the":
        start += 1
    while ent.label_ == "PERSON" and end - start > 1 and (_is_title(ent.doc[start]) or _is_role_noun(ent.doc[start])):
        start += 1  # "Voter Jane Doe", "Donor Doe" (a title-case headline) -> "Jane Doe", "Doe": the role is not the name
    while ent.label_ in NAME_LABELS and end > start and _capitalised_opener(ent.doc[start]):
        start += 1  # "Telling Jane Doe …", "Conceding …", "Indeed …": a sentence's first word, not a name
    if ent.label_ == "PERSON" and end - start >= 3 and _demonym(ent.doc[start]):
        start += 1  # "Ivorian Jean-Jules Doe": where he is from, not his name
    if ent.label_ == "PERSON":
        start, end = _without_headline_verbs(ent.doc, start, end)
    while end > start and (ent.doc[end - 1].text in POSSESSIVE_TOKENS or ent.doc[end - 1].is_punct or ent.doc[end - 1].is_space):
        end -= 1
    while end > start and (ent.doc[start].is_punct or ent.doc[start].is_space):
        start += 1
    if end <= start:
        return None
    if ent.label_ in NAME_LABELS:
        start, end = _across_hyphens(ent.doc, start, end)
    return Span(ent.doc, start, end, label=label)


def _after_dateline(doc: Doc, start: int, end: int) -> int:
    """Where a name starts after an upper-case dateline the tagger took into it ("CLEVELAND - Jane
    Doe", "NEW YORK — Acme Corp"): the token after the dash, else `start`."""
    for k in range(start + 1, min(end - 1, start + 5)):
        token = doc[k]
        if token.text not in ("-", "—", "–"):
            continue
        spaced = doc[k - 1].whitespace_ or token.text != "-"
        words = [t for t in doc[start:k] if t.is_alpha]
        if spaced and words and all(t.text.isupper() and len(t) > 1 for t in words) and doc[k + 1].text[:1].isupper():
            return k + 1
        return start
    return start


def _across_hyphens(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A name the tagger cut at a hyphen ("SNX" of "SNX-Corvell"): the capitalised words joined
    to it by hyphens with no space are part of it."""

    def joinable(k: int) -> bool:
        return 0 <= k < len(doc) and doc[k].is_alpha and doc[k].text[:1].isupper() and not doc[k].ent_type_

    while (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and joinable(end + 1)
    ):
        end += 2
    while (
        start >= 2
        and doc[start - 1].text == "-"
        and not doc[start - 2].whitespace_
        and not doc[start - 1].whitespace_
        and joinable(start - 2)
    ):
        start -= 2
    return start, end


def _without_unconfirmed_headline_names(spans: list[Span], headline: int) -> list[Span]:
    """A person or organisation the title-case headline seems to name is kept only as far as the
    body writes it too: its opening words that the body also writes with a capital (opening a
    sentence only as part of a name) — "Jane Doe Wins Ferry Vote" -> "Jane Doe"; a person with
    none ("Leader Pulls Out") or an organisation not written whole ("Harbour Board" where the body
    says "harbour board") is left out. The headline's capitals fool the tagger."""
    if not headline or not spans:
        return spans
    doc = spans[0].doc
    starts = token_starts(doc)
    capitalised = capitalised_tokens(doc_text(doc), starts)
    body_words = set()
    for k in capitalised:
        if starts[k] >= headline:
            t = doc[k]
            if t.is_alpha and (not t.is_sent_start or k + 1 in capitalised):
                body_words.add(t.text)
    kept = []
    for span in spans:
        if span.start_char >= headline or span.label_ not in ("PERSON", "ORG"):
            kept.append(span)
            continue
        end = span.start
        while end < span.end and (span.doc[end].text in body_words or not span.doc[end].text[:1].isupper()):
            end += 1
        while end > span.start and span.doc[end - 1].text not in body_words:
            end -= 1  # no trailing "of" or "'s" left dangling
        if end == span.end or (end > span.start and span.label_ == "PERSON"):  # a cut organisation is another one
            kept.append(span if end == span.end else Span(span.doc, span.start, end, label=span.label_))
    return kept


def _without_headline_verbs(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A person's name run on into the verbs of a title-case line ("Follow Jane Doe", "Jane Doe
    Refuses To Answer"): the tagged verbs before the name (not "Will", a given name too) and
    everything from the first verb after it are cut."""
    while end - start > 1 and doc[start].tag_ in HEADLINE_VERB_TAGS - {"MD"} and doc[start + 1].tag_ == "NNP":
        start += 1
    for k in range(start + 1, end):
        if doc[k].tag_ in HEADLINE_VERB_TAGS:
            return start, k
    return start, end


def _demonym(token: Token) -> bool:
    """A word for where someone is from ("Ivorian", "Zimbabwean", "Japanese"), not a given name."""
    return token.text[:1].isupper() and token.text.lower() in DEMONYMS


def _capitalised_opener(token: Token) -> bool:
    """A sentence's first word capitalised only by its place: a participle or an adverb."""
    starts = token.i == 0 or token.is_sent_start or token.doc[token.i - 1].text in ("\n", "\n\n", "“", '"')
    return starts and token.tag_ in OPENER_TAGS and token.text[:1].isupper() and not token.text.isupper()


def _is_title(token: Token) -> bool:
    return token.text[:1].isupper() and token.lower_.rstrip(".") in TITLE_WORDS


def _is_role_noun(token: Token) -> bool:
    """A capitalised common noun for a person's role ("Donor", "Strategist") that is no one's given
    name ("Hunter Doe" keeps "Hunter")."""
    return (
        token.text[:1].isupper()
        and token.lower_ in PERSON_NOUNS
        and token.i + 1 < len(token.doc)
        and given_name_gender(f"{token.text} {token.doc[token.i + 1].text}") is None
    )


def _name_mentions(spans: list[Span]) -> list[NameMention]:
    return [
        NameMention(
            s.start_char,
            s.end_char,
            s.text + _generation_suffix(s),
            s.label_,
            tagged_person=s.label_ == "PERSON",
            gender=gender_near_mention(s.doc, s.start, s.end) if s.label_ == "PERSON" else None,
        )
        for s in spans
    ]


def add_missed_surnames(doc: Doc, spans: list[Span], canonical: list[str]) -> tuple[list[Span], list[str]]:
    """Tag bare surnames the NER missed ("Doe said") when the document names that person in
    full elsewhere: same capitalised word as the last word of a multi-word person name. Returns
    the very lists given when it changes nothing (so the caller need not link names again)."""
    surnames: dict[str, str] = {}
    for span, name in zip(spans, canonical):
        words = name.split(" ")
        if len(words) >= 3 and words[-1].lower().rstrip(".") in GENERATION_SUFFIXES:
            words = words[:-1]  # "Doe" of "Jane Doe Jr."
        if span.label_ == "PERSON" and len(words) >= 2 and len(words[-1]) >= 3 and words[-1][:1].isupper():
            surnames.setdefault(words[-1], name)
    if not surnames:
        return spans, canonical
    # a surname the tagger called a product or a work ("Cole said", tagged PRODUCT) is retagged
    mislabelled = {
        n for n, span in enumerate(spans) if len(span) == 1 and span.label_ in MISTAKEN_SURNAME_LABELS and span.text in surnames
    }
    if mislabelled:
        spans = [span for n, span in enumerate(spans) if n not in mislabelled]
        canonical = [name for n, name in enumerate(canonical) if n not in mislabelled]
    covered: dict[int, int] = {}  # token -> the span holding it
    for n, span in enumerate(spans):
        covered.update(dict.fromkeys(range(span.start, span.end), n))
    added, replaced = [], set()
    for k in tokens_with_text(doc, surnames):
        token = doc[k]
        full = surnames[token.text]
        if token.i in covered:
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].text[:1].isupper() and doc[token.i + 1].is_alpha:
            continue  # part of a longer capitalised run: another name
        given = _given_name_before(doc, token, spans, covered)
        if given is not None:
            # "Ivanka Trump" with "Ivanka" tagged a product: a relative, named in full
            if given.i in covered:
                replaced.add(covered[given.i])
            added.append((Span(doc, given.i, token.i + 1, label="PERSON"), f"{given.text} {token.text}"))
            continue
        added.append((Span(doc, token.i, token.i + 1, label="PERSON"), full))
    if not added:
        return spans, canonical  # the very lists given when nothing changed: no second linking
    spans = [span for n, span in enumerate(spans) if n not in replaced]
    canonical = [name for n, name in enumerate(canonical) if n not in replaced]
    merged = sorted(list(zip(spans, canonical)) + added, key=lambda pair: pair[0].start)
    return [s for s, _ in merged], [c for _, c in merged]


def _given_name_before(doc: Doc, surname: Token, spans: list[Span], covered: dict[int, int]) -> Token | None:
    """The capitalised word right before a bare surname that is a given name the tagger missed
    or mislabelled ("Ivanka Trump", "Ivanka" tagged PRODUCT), not a title ("President Trump"),
    nor a sentence's first word or part of another name."""
    if surname.i == 0:
        return None
    word = doc[surname.i - 1]
    if not (word.is_alpha and word.text[:1].isupper() and not word.text.isupper()) or word.is_sent_start:
        return None
    if word.lower_ in TITLE_WORDS or word.lower_ in DEMONYMS:
        return None
    if word.i in covered:
        span = spans[covered[word.i]]
        return word if len(span) == 1 and span.label_ in MISTAKEN_SURNAME_LABELS else None
    return word if word.pos_ == "PROPN" else None


def _is_junk(span: Span, credit_tokens: set[int], person_words: set[str]) -> bool:
    if any(i in credit_tokens for i in range(span.start, span.end)):
        return True
    if _opening_modifier(span, person_words):
        return True
    if _part_of_a_title(span):
        return True
    if span.label_ in NAME_LABELS and not any(ch.isalpha() for ch in span.text):
        return True
    if span.label_ in NAME_LABELS and not any(ch.isupper() for t in span if t.lower_ not in ("the", "a", "an") for ch in t.text):
        return True  # "the rookie winger" tagged an organisation: common nouns, no name
    if span.label_ == "PERSON" and all(t.lower_.rstrip(".") in GENERATION_SUFFIXES for t in span if not t.is_punct):
        return True  # "Jr." after "Brent Doe," tagged a person of its own
    return span.text.isspace()


def _opening_modifier(span: Span, person_words: set[str]) -> bool:
    """A lone capitalised word opening a sentence as the modifier of a common noun ("Coal miners
    are …") that the document never otherwise uses in a person's name: not a person."""
    token = span[0]
    if span.label_ != "PERSON" or len(span) != 1 or not (token.i == 0 or token.is_sent_start):
        return False
    return token.dep_ == "compound" and token.head.pos_ == "NOUN" and token.text not in person_words


def _part_of_a_title(span: Span) -> bool:
    """A one-word ORG such as "State" in "State Secretary Jane Doe": the department word of a title."""
    if span.label_ != "ORG" or len(span) != 1 or span.end >= len(span.doc):
        return False
    return span[0].lower_ in DEPARTMENT_WORDS and _is_title(span.doc[span.end])


def link_short_forms(spans: list[Span], canonical: list[str]) -> list[str]:
    """Canonical names with one-word ORG mentions linked to the two-word ORG they shorten
    ("State" → "State Department" when the document names the State Department, "Acme" → "Acme
    Electronics")."""
    longer: dict[str, str] = {}
    opening: dict[str, set[str]] = {}  # first word -> the longer organisation names it opens
    for span, name in zip(spans, canonical):
        words = name.split()
        if span.label_ == "ORG" and len(words) > 1:
            opening.setdefault(words[0], set()).add(name)
        if span.label_ == "ORG" and len(words) == 2 and words[1].lower() in SHORT_FORM_HEADS:
            longer.setdefault(words[0], name)
    for word, names in opening.items():
        if word in longer or len(names) != 1:
            continue  # never "Acme" beside both "Acme Motors" and "Acme Steel"
        name = next(iter(names))
        words = name.split()
        if len(words) == 2 and words[1].lower() in COMPANY_NAME_ENDINGS:
            longer[word] = name
    if not longer:
        return canonical
    return [longer.get(name, name) if span.label_ == "ORG" and " " not in name else name for span, name in zip(spans, canonical)]


ACRONYM_SMALL_WORDS = {"of", "and", "the", "for", "on", "in", "&"}


def acronyms_of(name: str) -> set[str]:
    """The initials a name may be shortened to ("Northern Ferry Workers Union" -> NFWU,
    "Harbour, Rivers and Fisheries Agency" -> HRFA, "Ministry of Coastal Affairs" -> MCA or MOCA); empty for a name of fewer than two capitalised words."""
    words = [w.strip(",.()") for w in name.split()]
    words = [w for w in words if w]
    capitalised = [w for w in words if w[:1].isupper()]
    if len(capitalised) < 2:
        return set()
    return {
        "".join(w[0].upper() for w in capitalised),
        "".join(w[0].upper() for w in words if w.lower() not in {"and", "&"}),
        "".join(w[0].upper() for w in words),
    }


def link_acronyms(spans: list[Span], canonical: list[str]) -> list[str]:
    """Canonical names with an acronym mention ("NFWU", "MCA") linked to the organisation name
    the document spells out with those initials, when exactly one does."""
    spelled: dict[str, set[str]] = {}
    for span, name in zip(spans, canonical):
        if span.label_ in ("ORG", "GPE", "FAC", "NORP") and " " in name:
            for acronym in acronyms_of(name):
                spelled.setdefault(acronym, set()).add(name)
    if not spelled:
        return canonical
    out = []
    for name in canonical:
        full = spelled.get(name) if name.isalpha() and name.isupper() and len(name) >= 2 else None
        out.append(next(iter(full)) if full and len(full) == 1 else name)
    return out


def photo_credit_name_tokens(doc: Doc) -> set[int]:
    """Token indices of the names in photo credits ("JANE DOE/AFP", "Jane Doe/Getty Images")."""
    found: set[int] = set()
    for k in tokens_with_text(doc, ("/",)):
        token = doc[k]
        if token.i == 0 or token.i + 1 >= len(doc):
            continue
        if doc[token.i + 1].lower_ not in PHOTO_AGENCIES:
            continue
        i = token.i - 1
        while i >= 0 and doc[i].text[:1].isupper() and not doc[i].is_sent_start and token.i - i <= 4:
            found.add(i)
            i -= 1
        if i >= 0 and doc[i].text[:1].isupper() and token.i - i <= 4:
            found.add(i)  # a credit at the very start of a sentence
        # The agency itself, and "via Getty Images" after it: the credit, not news about them.
        j = token.i + 1
        found.add(j)
        if j + 1 < len(doc) and doc[j + 1].lower_ == "via":
            k = j + 2
            while k < len(doc) and k - j <= 4 and doc[k].text[:1].isupper():
                found.add(k)
                if doc[k].lower_ in ("images", "photos", "pictures"):
                    break
                k += 1
    return found


def vote_labels(spans: list[Span], canonical: list[str]) -> list[str]:
    """One label per canonical name: the weighted majority over its mentions."""
    votes: dict[str, Counter[str]] = {}
    for span, name in zip(spans, canonical):
        if span.label_ not in NAME_LABELS:
            continue
        weight = 2 if " ".join(name_words(span.text)) == name and len(span) > 1 else 1
        votes.setdefault(name, Counter())[span.label_] += weight
    # "Donald Trump" tagged a person once and "Trump" an organisation five times ("Trump said"):
    # a full name tagged a person stays a person when it has a common US given name (not one of
    # the world list, which holds words such as "Hardy" or "Mercy") or the words beside it show
    # a person ("economist Jane Doe", person_evidence)
    people = {
        name
        for span, name in zip(spans, canonical)
        if span.label_ == "PERSON" and span.text == name and (given_name_gender(name, world=False) or shows_a_person(span))
    }
    labels = []
    for span, name in zip(spans, canonical):
        if span.label_ in NAME_LABELS and name in people:
            labels.append("PERSON")
        elif span.label_ in NAME_LABELS and name in votes:
            # a tie goes to PERSON: "Nino Doe" taken for a place once, "Doe" for a person twice
            labels.append(max(votes[name].items(), key=lambda kv: (kv[1], kv[0] == "PERSON"))[0])
        else:
            labels.append(span.label_)
    return labels


def entities_from_doc(doc: Doc) -> list[Entity]:
    """The entities of a processed doc as Entity records, with their canonical names (the text when unlinked)."""
    out = []
    for ent in doc.ents:
        canonical = ent._.margin_canonical or ent.text
        out.append(Entity(ent.start_char, ent.end_char, ent.label_, ent.text, canonical))
    return out
