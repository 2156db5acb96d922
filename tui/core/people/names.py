"""How People compares names: folding, name keys (titles, particles, suffixes), kinds.

Pure Python: no Textual, no spaCy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

PERSON, ORGANISATION, DESCRIPTION = "person", "organisation", "description"
KINDS = (PERSON, ORGANISATION, DESCRIPTION)

ORG_LABELS = {"ORG", "NORP", "GPE", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}

# Leading words that are a title or office, not a name ("Senator Jane Doe", "Foreign Minister Doe").
TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "doctor",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "sen",
    "senator",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "assemblyman",
    "assemblywoman",
    "councilman",
    "councilwoman",
    "councillor",
    "councilor",
    "gov",
    "governor",
    "president",
    "pres",
    "vice",
    "prime",
    "minister",
    "secretary",
    "chancellor",
    "mayor",
    "judge",
    "justice",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "lieutenant",
    "capt",
    "captain",
    "sgt",
    "sergeant",
    "maj",
    "major",
    "adm",
    "admiral",
    "cmdr",
    "commander",
    "rev",
    "reverend",
    "fr",
    "father",
    "pastor",
    "bishop",
    "cardinal",
    "pope",
    "rabbi",
    "imam",
    "sheikh",
    "king",
    "queen",
    "prince",
    "princess",
    "chief",
    "commissioner",
    "ambassador",
    "officer",
    "detective",
    "inspector",
    "coach",
    "speaker",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "deputy",
    "acting",
    "former",
    "foreign",
    "finance",
    "interior",
    "defense",
    "defence",
    "health",
    "state",
    "attorney",
    "us",
    "u.s",
    "uk",
    "senior",
    "executive",
    "premier",
    "lawmaker",
    "candidate",
    "opposition",
    "leader",
}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "della", "bin", "ibn", "al", "el", "st"}
ORG_WORDS = {
    "inc",
    "corp",
    "corporation",
    "company",
    "co",
    "ltd",
    "llc",
    "plc",
    "group",
    "bank",
    "university",
    "college",
    "institute",
    "ministry",
    "department",
    "agency",
    "office",
    "council",
    "commission",
    "committee",
    "party",
    "police",
    "army",
    "government",
    "association",
    "union",
    "foundation",
    "court",
    "board",
    "service",
    "services",
    "news",
    "times",
    "post",
    "press",
    "network",
    "center",
    "centre",
    "organization",
    "organisation",
    "federation",
    "league",
    "club",
    "church",
    "house",
    "parliament",
    "congress",
    "senate",
    "administration",
    "authority",
    "bureau",
    "school",
    "hospital",
    "fund",
    "trust",
    "reuters",
    "cnn",
    "bbc",
    "nasa",
    "who",
    "un",
    "eu",
    "nato",
    "fbi",
    "cia",
}
DETERMINERS = {"a", "an", "the", "one"}
_TOKEN = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*\.?", re.UNICODE)


def fold(text: str) -> str:
    """Case, accents and curly apostrophes folded: 'José Núñez' -> 'jose nunez'."""
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def tokens(name: str) -> list[str]:
    """A name's words, folded, without full stops or a trailing possessive: "Doe's" -> ["doe"]."""
    out = []
    for raw in _TOKEN.findall(fold(name)):
        token = raw.rstrip(".")
        if token.endswith("'s"):
            token = token[:-2]
        token = token.replace(".", "") if len(token) <= 4 else token  # "U.S." -> "us"; "J." -> "j"
        if token:
            out.append(token)
    return out


def strip_titles(words: list[str]) -> tuple[list[str], list[str]]:
    """(title words, the rest): leading titles go, at least one word stays."""
    i = 0
    while i < len(words) - 1 and words[i] in TITLES:
        i += 1
    return words[:i], words[i:]


@dataclass(frozen=True)
class NameKey:
    """How a person's name compares: first name (or initial), middle names, surname, suffix."""

    first: str  # "" for a bare surname
    middle: tuple[str, ...]
    last: str
    suffix: str
    titled: bool  # a title was dropped ("Senator Doe")

    @cached_property
    def full(self) -> str:
        """The whole name key: first, middle names, surname and suffix."""
        return " ".join(w for w in (self.first, *self.middle, self.last, self.suffix) if w)

    @cached_property
    def surname(self) -> str:
        """The surname with its suffix."""
        return f"{self.last} {self.suffix}".strip()

    @property
    def is_bare(self) -> bool:
        """A surname without a first name."""
        return not self.first

    @property
    def is_initial(self) -> bool:
        """The first name is an initial."""
        return len(self.first) == 1


@lru_cache(maxsize=200_000)
def person_key(name: str) -> NameKey | None:
    """How a person's name compares (titles dropped, middle initials ignored); None for a name without words."""
    words = tokens(name)
    titles, words = strip_titles(words)
    if not words:
        return None
    suffix = ""
    if len(words) > 1 and words[-1] in SUFFIXES:
        suffix, words = words[-1], words[:-1]
    if len(words) == 1 or words[0] in PARTICLES:
        return NameKey("", (), " ".join(words), suffix, bool(titles))
    first, last = words[0], words[-1]
    # Surname particles belong to the surname ("Jane van der Berg" -> surname "van der berg").
    k = len(words) - 1
    while k > 1 and words[k - 1] in PARTICLES:
        k -= 1
    last = " ".join(words[k:])
    middle = tuple(w for w in words[1:k] if len(w) > 1)  # middle initials do not tell people apart
    return NameKey(first, middle, last, suffix, bool(titles))


MALE_TITLES = {"mr", "sir", "lord"}
FEMALE_TITLES = {"mrs", "ms", "miss", "lady", "dame"}


def title_gender(name: str) -> str | None:
    """ "m" or "f" when the name opens with a title of that gender ("Ms. Doe"), else None."""
    titles, _rest = strip_titles(tokens(name))
    if any(t in FEMALE_TITLES for t in titles):
        return "f"
    if any(t in MALE_TITLES for t in titles):
        return "m"
    return None


@lru_cache(maxsize=200_000)
def display_without_titles(name: str) -> str:
    """The name as written, less its leading titles: "Senator Jane Doe" -> "Jane Doe"."""
    parts = name.split()
    i = 0
    while i < len(parts) - 1:
        words = tokens(parts[i])
        if len(words) != 1 or words[0] not in TITLES:
            break
        i += 1
    return " ".join(parts[i:])


FUNCTION_WORDS = {"of", "and", "for", "the", "de", "&", "du", "la", "on", "in"}
PERSONAL_PRONOUNS = {"he", "she", "him", "her", "his"}
PRONOUNS = PERSONAL_PRONOUNS | {"they", "them", "it", "we", "i", "you", "us"}


def classify(canonical: str, label: str | None, mentions: Iterable[str] = ()) -> str:
    """person / organisation / description: the entity label when the article has one; an
    article that calls the speaker "he" or "she" means a person (small models label some names
    ORG); a lower-case phrase, or "The …" with a lower-case word, is a description."""
    stripped = canonical.strip()
    if not stripped:
        return DESCRIPTION
    words = stripped.split()
    lowered = [w for w in words[1:] if w[:1].islower() and fold(w) not in FUNCTION_WORDS | PARTICLES]
    if label == "PERSON":
        return PERSON
    if words[0] in DETERMINERS and len(words) > 1 and words[1][:1].isupper() and not lowered:
        return classify(" ".join(words[1:]), label, mentions) if len(words) > 2 else ORGANISATION  # "the Acme Corp"
    if not stripped[0].isupper():
        return DESCRIPTION
    if words[0].casefold() in DETERMINERS and (len(words) == 1 or lowered):
        return DESCRIPTION  # "The company's spokeswoman", "The launch director of Atlantis"
    gendered = any(fold(m) in PERSONAL_PRONOUNS for m in mentions)
    org_word = any(t in ORG_WORDS for t in tokens(stripped))
    if gendered and not org_word and not lowered and len(words) <= 5:
        return PERSON
    if label in ORG_LABELS:
        return ORGANISATION
    if org_word or words[0].casefold() == "the":
        return ORGANISATION  # "The Associated Press"
    if len(words) > 6 or len(lowered) > 1:
        return DESCRIPTION
    return PERSON


@lru_cache(maxsize=200_000)
def phrase_key(text: str) -> str:
    """A phrase's folded words without leading determiners: "The Acme Corp" -> "acme corp"."""
    words = tokens(text)
    while len(words) > 1 and words[0] in DETERMINERS:
        words = words[1:]
    return " ".join(words)
