"""Name helpers shared by the entity clean-up and the quote finder.

* `link_canonical_names` gives every name mention the fullest name it refers to within one
  document. Multi-word names are their own canonical form. A one- or two-word mention that is
  the end of a longer person name (its surname, or its first name when the tagger called the
  mention a person) links to the nearest such longer name before it ("Pompeo" -> "Mike
  Pompeo"), else to the first one after it. A slightly misspelt surname ("Fogerty" for
  "Fogarty") links too, by string-similarity ratio, and two spellings of one full name
  ("Ingo Hudum" / "Ingo Hidum") merge into the first one.
* The token helpers recognise "name-like" tokens without a tagger (capitalised words that are
  not common sentence-initial function words), so the rules-only pipeline can find speakers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz.fuzz import ratio

from tui.core.analysis.given_names import given_name_gender

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PERSONAL_PRONOUNS = {"he", "she", "they", "i", "we", "it", "him", "her", "them"}
SPEAKER_PRONOUNS = {"he", "she", "they", "i", "we", "it"}
POSSESSIVE_ENDINGS = ("'s", "’s", "'", "’")

# Capitalised words that start sentences or label roles but are not names by themselves.
CAPITALISED_NON_NAMES = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "if",
    "when",
    "while",
    "after",
    "before",
    "since",
    "as",
    "at",
    "in",
    "on",
    "of",
    "for",
    "to",
    "from",
    "with",
    "by",
    "about",
    "despite",
    "although",
    "though",
    "because",
    "however",
    "meanwhile",
    "still",
    "also",
    "then",
    "now",
    "only",
    "even",
    "many",
    "some",
    "most",
    "all",
    "other",
    "another",
    "one",
    "two",
    "three",
    "several",
    "both",
    "each",
    "every",
    "no",
    "not",
    "what",
    "who",
    "which",
    "where",
    "why",
    "how",
    "asked",
    "during",
    "following",
    "according",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "mr",
    "mrs",
    "ms",
    "dr",
    "years",
    "year",
    "today",
    "yesterday",
    # headline verbs ("… Says Minister"): third-person reporting forms that are never names
    "says",
    "tells",
    "warns",
    "urges",
    "asks",
    "adds",
    "insists",
    "argues",
    "announces",
    "declares",
    "vows",
    "pledges",
    "admits",
    "denies",
    "confirms",
    "reveals",
    "predicts",
    "recalls",
    "explains",
}

# Role words that often precede a name inside one capitalised run ("Police Chief Jane Doe").
TITLE_WORDS = {
    "president",
    "president-elect",
    "vice",
    "prime",
    "minister",
    "secretary",
    "senator",
    "sen",
    "ag",  # attorney general, in headlines ("AG Doe")
    "rep",
    "representative",
    "governor",
    "gov",
    "mayor",
    "chief",
    "police",
    "director",
    "general",
    "gen",
    "commander",
    "judge",
    "justice",
    "chancellor",
    "premier",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "bishop",
    "reverend",
    "rev",
    "professor",
    "prof",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "sir",
    "dame",
    "lord",
    "lady",
    "captain",
    "capt",
    "colonel",
    "col",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "officer",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "founder",
    "leader",
    "voter",
    "coach",
    "state",
    "former",
    "acting",
    "deputy",
    "ambassador",
    "envoy",
    "council",
    "councillor",
    "councilman",
    "speaker",
    "attorney",
    "inspector",
    "superintendent",
    "sheriff",
    "dean",
    "editor",
    "correspondent",
}


# Generation suffixes after a surname: "Jr." and "Sr." are two people.
GENERATION_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


@dataclass
class NameMention:
    """A name in the text: character offsets, the words as written and the entity label."""

    start: int
    end: int
    text: str
    label: str
    tagged_person: bool = False  # the tagger called this very mention a person
    gender: str | None = None  # "m"/"f" when a title or role word beside it says so ("Mrs. Doe")


def strip_possessive(text: str) -> str:
    """`text` without a trailing "'s" or "’s" ("Doe's" -> "Doe")."""
    for ending in POSSESSIVE_ENDINGS[:2]:
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)]
    return text


def name_words(text: str) -> list[str]:
    """The words of a name, with whitespace collapsed and a trailing possessive removed."""
    return strip_possessive(" ".join(text.split())).split(" ")


def _surname(words: list[str]) -> str:
    return words[-1].lower()


def _is_full_person(mention: NameMention) -> bool:
    return mention.label == "PERSON" and len(name_words(mention.text)) >= 2


FullName = tuple[int, NameMention, list[str]]  # (position, mention, its name words in lower case)


def _full_name_genders(full: list[FullName]) -> dict[str, str]:
    """The gender each full person name is written with (titles and role words beside its
    mentions, then a common given name); names with none or with both are left out."""
    seen: dict[str, set[str]] = {}
    for _, mention, _words in full:
        found = seen.setdefault(mention.text, set())
        if mention.gender:
            found.add(mention.gender)
    genders = {}
    for text, found in seen.items():
        if not found:
            by_name = given_name_gender(text)
            found = {by_name} if by_name else set()
        if len(found) == 1:
            genders[text] = found.pop()
    return genders


def _candidate_pool(words: tuple[str, ...], tagged_person: bool, full: list[FullName]) -> list[tuple[int, NameMention]]:
    """The full person names a mention of `words` (lower case) may abbreviate, in reading order:
    the exact matches (same last words; for a single word tagged a person, also the same given
    name), else near-spellings of the surname."""
    exact, fuzzy = [], []
    for j, candidate, c_words in full:
        if len(c_words) <= len(words):
            continue
        if len(words) == 1 and len(c_words) > 2 and c_words[-1].rstrip(".") in GENERATION_SUFFIXES:
            c_words = c_words[:-1]  # "Doe" for "Jane Q. Doe Jr." (the surname is before the suffix)
        if len(words) == 1:
            word = words[0]
            if word == c_words[-1] or (tagged_person and word == c_words[0]):
                exact.append((j, candidate))
            elif len(word) >= 5 and tagged_person and ratio(word, c_words[-1]) >= 80:
                fuzzy.append((j, candidate))
        elif c_words[-len(words) :] == list(words):
            exact.append((j, candidate))
    return exact or fuzzy


def _best_full_name(
    index: int,
    mention: NameMention,
    full: list[FullName],
    named_so_far: NameMention | None = None,
    genders: dict[str, str] | None = None,
    pools: dict[tuple[tuple[str, ...], bool], list[tuple[int, NameMention]]] | None = None,
) -> NameMention | None:
    """The fuller person name `mention` (one or two words) most plausibly abbreviates;
    `named_so_far` is whom the same bare word (with the same title gender) named last, `genders`
    the gender each full name is written with: "Mr. Doe" is never "Jane Doe" when "John Doe" is named.
    `pools` memoises `_candidate_pool` over one document's mentions."""
    words = tuple(w.lower() for w in name_words(mention.text))
    key = (words, mention.tagged_person)
    pool = pools.get(key) if pools is not None else None
    if pool is None:
        pool = _candidate_pool(words, mention.tagged_person, full)
        if pools is not None:
            pools[key] = pool
    if not pool:
        return None
    if len(words) == 1 and mention.gender and genders:
        # "Mrs. Doe" with both John and Jane Doe named: never John (a name of unknown gender may be her)
        agreeing = [(j, c) for j, c in pool if genders.get(c.text) == mention.gender]
        possible = agreeing or [(j, c) for j, c in pool if genders.get(c.text) is None]
        if not possible:
            return None  # "Mrs. Doe" where only John Doe is named in full: not him
        pool = possible
    plain = [(j, c) for j, c in pool if name_words(c.text)[-1].lower().rstrip(".") not in GENERATION_SUFFIXES]
    if plain and len(words) == 1:
        pool = plain  # "Doe" with both "Jane Doe" and "Jane Doe Jr." named: the one without the suffix
    before = [c for j, c in pool if j < index]
    if len(words) == 1 and named_so_far is not None and any(c.text == named_so_far.text for c in before):
        # "Trump" named Donald Trump before his daughter "Ivanka Trump" came in: it still does
        return named_so_far
    if len(words) == 1 and len({c.text for c in before}) > 1:
        # "Trump" after "Ivanka Trump" and her father "Donald Trump": a bare surname goes on
        # naming the person the article introduced first; a relative gets his full name
        counts = Counter(c.text for c in before)
        first: dict[str, NameMention] = {}
        for c in before:
            first.setdefault(c.text, c)
        return max(first.values(), key=lambda c: counts[c.text])  # ties: the first introduced
    return before[-1] if before else pool[0][1]


HEADLINE_SMALL_WORDS = {"a", "an", "the", "of", "in", "on", "for", "to", "at", "and", "or", "but", "by", "with", "from", "as"}


def looks_like_headline(line: str, share: float = 0.75) -> bool:
    """One short line with at least `share` of its content words capitalised ("Doe Stands Tall On
    Border Plan.")."""
    words = [w.strip("‘’'\"“”:,.") for w in line.split()]
    words = [w for w in words if w[:1].isalpha()]
    if "\n" in line.strip() or not 3 <= len(words) <= 25:
        return False
    content = [w for w in words if w.lower() not in HEADLINE_SMALL_WORDS]
    return bool(content) and sum(w[0].isupper() for w in content) >= share * len(content)


def headline_end(text: str) -> int:
    """Where a title-case headline opening `text` ends (its first line, when more follows, nearly
    every content word capitalised), else 0: such words fool the tagger ("Doe Stands Tall" tagged
    a person), while a first sentence full of names ("Vice Admiral Jane Q. Doe visited …") is not one."""
    end = text.find("\n")
    if end < 0 or not text[end:].strip() or not looks_like_headline(text[:end], share=0.9):
        return 0
    return end


def link_canonical_names(mentions: list[NameMention], headline: int = 0) -> list[str]:
    """Canonical (fullest) name for each mention, in the same order. Mentions in reading order;
    full names in a headline ending at `headline` are not taken as what body mentions stand for."""
    body_names = {m.text for m in mentions if m.start >= headline}
    full = [
        (i, m, [w.lower() for w in name_words(m.text)])
        for i, m in enumerate(mentions)
        if _is_full_person(m) and (m.start >= headline or m.text in body_names)
    ]
    canonical = []
    named_by_word: dict[str, NameMention] = {}  # whom a bare surname has named so far (per title gender)
    genders = _full_name_genders(full)
    pools: dict[tuple[tuple[str, ...], bool], list[tuple[int, NameMention]]] = {}
    for i, mention in enumerate(mentions):
        text = strip_possessive(" ".join(mention.text.split()))
        target = None
        if len(name_words(text)) <= 2 and (mention.label in ("PERSON", "ORG", "GPE", "NORP") or mention.tagged_person):
            key = f"{text}|{mention.gender or ''}"
            target = _best_full_name(i, mention, full, named_by_word.get(key), genders, pools)
            if target is not None and len(name_words(text)) == 1:
                named_by_word[key] = target
        canonical.append(strip_possessive(" ".join(target.text.split())) if target is not None else text)
    _merge_spelling_variants(mentions, canonical)
    return canonical


def _merge_spelling_variants(mentions: list[NameMention], canonical: list[str]) -> None:
    """Two-word person names with the same first name and a near-identical surname are one
    person, named as first introduced ("Ingo Hudum" ... "Ingo Hidum")."""
    first_seen: list[tuple[str, list[str]]] = []  # (name, its words)
    seen: set[str] = set()
    for i, mention in enumerate(mentions):
        if mention.label != "PERSON":
            continue
        words = canonical[i].split(" ")
        for earlier, e_words in first_seen:
            if (
                earlier != canonical[i]
                and len(e_words) == len(words) >= 2
                and e_words[:-1] == words[:-1]
                and len(words[-1]) >= 4
                and ratio(words[-1].lower(), e_words[-1].lower()) >= 75
            ):
                old = canonical[i]
                for k in range(len(canonical)):
                    if canonical[k] == old:
                        canonical[k] = earlier
                break
        else:
            if canonical[i] not in seen:
                seen.add(canonical[i])
                first_seen.append((canonical[i], words))


# --- token-level helpers (work without a tagger) -------------------------------------------


def is_name_token(token: Token) -> bool:
    """A capitalised word that is not a common function word, or a tagged proper noun."""
    text = token.text
    if not text or not text[0].isalpha():
        return False
    if token.pos_ == "PROPN":
        return True
    if not text[0].isupper():
        return False
    return text.lower().rstrip(".") not in CAPITALISED_NON_NAMES


def is_name_connector(doc: Doc, i: int) -> bool:
    """Tokens allowed inside a name: hyphens ("Jean-Jules", "Hae-young") and particles."""
    token = doc[i]
    if token.text in ("-", "‐") and 0 < i < len(doc) - 1 and not token.whitespace_ and not doc[i - 1].whitespace_:
        return True
    return token.text in ("van", "von", "de", "da", "del", "der", "bin", "al", "la", "le", "du")


def name_run_ending_at(doc: Doc, i: int, lo: int = 0) -> tuple[int, int] | None:
    """Token range [start, i+1) of the capitalised name run ending at token i, if any."""
    if i < lo or not _name_part(doc, i):
        return None
    start = i
    while start - 1 >= lo and (
        _name_part(doc, start - 1) or (is_name_connector(doc, start - 1) and start - 2 >= lo and _name_part(doc, start - 2))
    ):
        start -= 1
    while start < i and not is_name_token(doc[start]):
        start += 1
    return start, i + 1


def name_run_starting_at(doc: Doc, i: int, hi: int) -> tuple[int, int] | None:
    """Token range [i, end) of the capitalised name run starting at token i, if any."""
    if i >= hi or not is_name_token(doc[i]):
        return None
    end = i + 1
    while end < hi and (_name_part(doc, end) or (is_name_connector(doc, end) and end + 1 < hi and _name_part(doc, end + 1))):
        end += 1
    while end - 1 > i and not is_name_token(doc[end - 1]) and not _hyphen_tail(doc, end - 1):
        end -= 1
    return i, end


RUNS_KEY = "margin_name_runs"


def name_run_at(doc: Doc, i: int) -> tuple[int, int] | None:
    """`name_run_starting_at(doc, i, len(doc))`, remembered in `doc.user_data`: the entity
    clean-up and the quote finder both look for the name runs of every capitalised word, and a
    Doc's words and tags no longer change once Margin's components run."""
    runs = doc.user_data.get(RUNS_KEY)
    if not isinstance(runs, dict) or runs.get(-1) != len(doc):  # none yet, or not this doc's
        runs = doc.user_data[RUNS_KEY] = {-1: len(doc)}
    if i not in runs:
        runs[i] = name_run_starting_at(doc, i, len(doc))
    run = runs[i]
    return None if run is None else (run[0], run[1])  # (a list once the Doc went through bytes)


def _hyphen_tail(doc: Doc, i: int) -> bool:
    """The lower-case second half of a hyphenated name ("Hae-young")."""
    return (
        i >= 2
        and doc[i - 1].text == "-"
        and not doc[i - 1].whitespace_
        and doc[i].text[:1].isalpha()
        and not doc[i - 2].whitespace_
        and is_name_token(doc[i - 2])
    )


def _name_part(doc: Doc, i: int) -> bool:
    return is_name_token(doc[i]) or _hyphen_tail(doc, i)
