"""People across the library: every speaker of every analysed article, one person one row.

Three layers, each cheap to redo:

1. `summarise(analysis)`: what one article says about its speakers — each speaker the analysis
   names (its `canonical`, the fullest name the article gives), its kind (person, organisation,
   description) and its quotes. Compact JSON, cached per article (`PeopleCache`, keyed by the
   article id — the text's hash — and the analyzer version), so a library of 10,000 articles
   re-summarises only new or changed articles.
2. `build_people(entries, records, overrides)`: the article-level speakers merged across articles
   into people. Names are compared without titles ("Senator", "Ms."), possessives, accents, case,
   or middle initials; a suffix ("Jr.", "III") keeps people apart; a bare surname ("Doe") or an
   initial ("J. Doe") joins the one person of the library with that surname — when several share
   it, it stays a row of its own (the text does not say which). Every merged variant says why.
3. `Overrides`: the user's own merges and splits (a small JSON file in the data dir).

Pure Python: no Textual, no spaCy.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Generic, Protocol, TypeVar

import orjson

K = TypeVar("K")


class LibraryEntry(Protocol):
    """What People needs of a library entry."""

    id: str
    path: str
    title: str
    date: str | None
    source: str | None


PEOPLE_VERSION = "1"  # the per-article summary format

PERSON, ORGANISATION, DESCRIPTION = "person", "organisation", "description"
KINDS = (PERSON, ORGANISATION, DESCRIPTION)

ORG_LABELS = {"ORG", "NORP", "GPE", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}

# Leading words that are a title or office, not a name ("Senator Jane Doe", "Foreign Minister Doe").
TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame", "lord", "lady",
    "sen", "senator", "rep", "representative", "congressman", "congresswoman", "assemblyman",
    "assemblywoman", "councilman", "councilwoman", "councillor", "councilor", "gov", "governor",
    "president", "pres", "vice", "prime", "minister", "secretary", "chancellor", "mayor", "judge",
    "justice", "gen", "general", "col", "colonel", "lt", "lieutenant", "capt", "captain", "sgt",
    "sergeant", "maj", "major", "adm", "admiral", "cmdr", "commander", "rev", "reverend", "fr",
    "father", "pastor", "bishop", "cardinal", "pope", "rabbi", "imam", "sheikh", "king", "queen",
    "prince", "princess", "chief", "commissioner", "ambassador", "officer", "detective", "inspector",
    "coach", "speaker", "chairman", "chairwoman", "chair", "director", "deputy", "acting", "former",
    "foreign", "finance", "interior", "defense", "defence", "health", "state", "attorney", "us",
    "u.s", "uk", "senior", "executive", "premier", "lawmaker", "candidate", "opposition", "leader",
}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "della", "bin", "ibn", "al", "el", "st"}
ORG_WORDS = {
    "inc", "corp", "corporation", "company", "co", "ltd", "llc", "plc", "group", "bank", "university",
    "college", "institute", "ministry", "department", "agency", "office", "council", "commission",
    "committee", "party", "police", "army", "government", "association", "union", "foundation",
    "court", "board", "service", "services", "news", "times", "post", "press", "network", "center",
    "centre", "organization", "organisation", "federation", "league", "club", "church", "house",
    "parliament", "congress", "senate", "administration", "authority", "bureau", "school", "hospital",
    "fund", "trust", "reuters", "cnn", "bbc", "nasa", "who", "un", "eu", "nato", "fbi", "cia",
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
        return " ".join(w for w in (self.first, *self.middle, self.last, self.suffix) if w)

    @cached_property
    def surname(self) -> str:
        return f"{self.last} {self.suffix}".strip()

    @property
    def is_bare(self) -> bool:
        return not self.first

    @property
    def is_initial(self) -> bool:
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


@lru_cache(maxsize=200_000)
def display_without_titles(name: str) -> str:
    """The name as written, less its leading titles: "Senator Jane Doe" -> "Jane Doe"."""
    parts = name.split()
    i = 0
    while i < len(parts) - 1 and (tokens(parts[i]) or [""])[0] in TITLES and len(tokens(parts[i])) == 1:
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
    words = tokens(text)
    while len(words) > 1 and words[0] in DETERMINERS:
        words = words[1:]
    return " ".join(words)


# -- 1. one article ------------------------------------------------------------------------------

def summarise(analysis) -> dict:
    """The article's speakers and their quotes, as a compact JSON-able record:
    {"n": quotes, "u": quotes without a speaker, "s": [[canonical, kind, full name the article
    gives or None, [mentions as written], [[start, end, text, cue, confidence, mention, method]…]]…]}"""
    labels: dict[str, str] = {}
    persons_by_surname: dict[str, set[str]] = {}
    for entity in analysis.entities:
        for name in (entity.canonical, entity.text):
            labels.setdefault(name, entity.label)
        if entity.label == "PERSON":
            key = person_key(entity.canonical)
            if key is not None and not key.is_bare:
                persons_by_surname.setdefault(key.surname, set()).add(display_without_titles(entity.canonical))
    speakers: dict[str, list] = {}
    unattributed = 0
    for quote in analysis.quotes:
        speaker = quote.speaker
        if speaker is None or not speaker.canonical.strip():
            unattributed += 1
            continue
        canonical = " ".join(speaker.canonical.split())
        row = speakers.get(canonical)
        if row is None:
            row = speakers[canonical] = [canonical, labels.get(canonical) or labels.get(speaker.text), None, [], []]
        mention = " ".join(speaker.text.split())
        if mention not in row[3]:
            row[3].append(mention)
        row[4].append([quote.start, quote.end, quote.text, quote.cue, round(float(speaker.confidence), 3),
                       mention, speaker.method])
    for row in speakers.values():
        row[1] = kind = classify(row[0], row[1], row[3])
        if kind == PERSON:
            key = person_key(row[0])
            if key is not None and key.is_bare:
                # A bare surname: the person the article itself names with it, if only one.
                names = persons_by_surname.get(key.surname, set())
                if len(names) == 1:
                    row[2] = next(iter(names))
    return {"n": len(analysis.quotes), "u": unattributed, "s": list(speakers.values())}


class PeopleCache:
    """Per-article summaries, stored in one file in the cache dir: {key: record}. A key is the
    article id (its text's hash) + the analysis version, so an edited article or a new analyzer
    gets a new summary and nothing else is redone."""

    def __init__(self, file: Path, version: str) -> None:
        self.file = Path(file)
        self.version = version
        self.records: dict[str, dict] = {}  # article id -> record
        self._new: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.generation = 0  # counts changes, so a caller can tell its rows are out of date

    @classmethod
    def for_analyzer(cls, analyzer, cache: Path | None = None) -> "PeopleCache":
        """The (not yet loaded) cache for summaries of `analyzer`'s model and the current analyzer and
        summary versions, in `cache` (default: the cache dir)."""
        from tui.core.analysis.pipeline import ANALYZER_VERSION

        if cache is None:
            from tui.core.paths import cache_dir

            cache = cache_dir()
        name, version = analyzer.planned_model()
        return cls(Path(cache) / "people" / "articles.json", f"{name}|{version}|{ANALYZER_VERSION}|{PEOPLE_VERSION}")

    def key(self, article_id: str) -> str:
        """An article's key in the file: its id and this cache's version."""
        return f"{article_id}|{self.version}"

    def load(self) -> "PeopleCache":
        """Read this version's summaries from the file (none when it is missing or damaged); returns self."""
        try:
            with _no_gc():
                data = orjson.loads(self.file.read_bytes())
        except (OSError, ValueError):
            return self
        suffix = f"|{self.version}"
        if isinstance(data, dict):
            with self.lock:
                for key, record in data.items():
                    if key.endswith(suffix) and isinstance(record, dict):
                        self.records[key[: -len(suffix)]] = record
        return self

    def get(self, article_id: str) -> dict | None:
        """The summary of an article, None when it has none yet."""
        return self.records.get(article_id)

    def put(self, article_id: str, record: dict) -> None:
        """Record an article's summary in memory (`save` writes it); `generation` counts the change."""
        with self.lock:
            self.records[article_id] = record
            self._new[article_id] = record
            self.generation += 1

    @property
    def dirty(self) -> bool:
        """Whether summaries were added since the last save."""
        return bool(self._new)

    def save(self) -> None:
        """Write the summaries (with those another process added meanwhile); never raises."""
        from tui.core.store import write_atomically

        with self.lock:
            new, self._new = self._new, {}
            mine = dict(self.records)
        suffix = f"|{self.version}"
        try:
            stored = orjson.loads(self.file.read_bytes())
            if not isinstance(stored, dict):
                stored = {}
        except (OSError, ValueError):
            stored = {}
        merged = {k: v for k, v in stored.items() if k.endswith(suffix)}  # other versions are dropped
        merged.update((k + suffix, v) for k, v in mine.items())
        merged.update((k + suffix, v) for k, v in new.items())
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.file, orjson.dumps(merged), durable=False)
        except OSError:
            pass  # a cache that cannot be written only costs time


def collect(
    entries: Iterable,
    analyzer,
    cache: PeopleCache,
    analyse: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch: int = 8,
) -> list[str]:
    """Summarise every entry not in `cache` yet: from the analysis cache, else (with `analyse`)
    by analysing it, `batch` articles per spaCy run. Returns problems (one line each)."""
    from tui.core.articles import ArticleError, load_article

    todo = [e for e in unique_entries(entries) if cache.get(e.id) is None]
    problems: list[str] = []
    done = 0
    total = len(todo)
    if progress is not None and total:
        progress(0, total)
    pending: list = []

    def run_pending() -> None:
        nonlocal done
        if not pending:
            return
        try:
            analyses = analyzer.analyze_many([a.text for a in pending])
        except Exception as exc:  # a failing model: stop analysing, keep what is cached
            problems.append(f"analysis failed ({type(exc).__name__}: {exc})")
            done += len(pending)
            pending.clear()
            raise _Stop from None
        for article, analysis in zip(pending, analyses):
            cache.put(article.id, summarise(analysis))
        done += len(pending)
        pending.clear()
        if progress is not None:
            progress(done, total)

    try:
        for entry in todo:
            if cancelled is not None and cancelled():
                break
            try:
                article = load_article(entry.path)
            except ArticleError as exc:
                problems.append(str(exc))
                done += 1
                continue
            if article.id != entry.id:
                done += 1  # changed since it was indexed: the next rescan lists it anew
                continue
            analysis = analyzer.cached(article.text)
            if analysis is not None:
                cache.put(article.id, summarise(analysis))
                done += 1
                if progress is not None and done % 25 == 0:
                    progress(done, total)
                continue
            if not analyse:
                done += 1
                continue
            pending.append(article)
            if len(pending) >= batch:
                run_pending()
        if not (cancelled is not None and cancelled()):
            run_pending()
    except _Stop:
        pass
    if progress is not None and total:
        progress(min(done, total), total)
    return problems


class _Stop(Exception):
    pass


def unique_entries(entries: Iterable) -> list:
    """Readable entries, one per article id (the same text in two files counts once)."""
    seen: set[str] = set()
    out = []
    for entry in entries:
        if not getattr(entry, "id", "") or getattr(entry, "error", None) or entry.id in seen:
            continue
        seen.add(entry.id)
        out.append(entry)
    return out


# -- 2. across articles --------------------------------------------------------------------------

@dataclass(slots=True)
class Unit:
    """One speaker of one article: what gets merged."""

    entry: LibraryEntry  # the library entry (id, path, title, date, source)
    canonical: str
    kind: str
    full: str | None  # the full name the article gives a bare surname, if any
    mentions: list[str]
    quotes: list[list]
    auto_id: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PersonQuote:
    """One quote of a row, with the article it comes from and how the article names its speaker."""

    article_id: str
    path: str
    title: str
    date: str | None
    source: str | None
    start: int
    end: int
    text: str
    cue: str | None
    confidence: float
    speaker: str  # the mention as the article writes it ("he", "Doe")
    canonical: str  # the article's name for the speaker ("Jane Doe")
    method: str

    def to_dict(self) -> dict:
        """The quote as a JSON-able dict, one key per field."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True)
class Variant:
    """One name merged into a row: in how many articles and quotes, and why it is there."""

    name: str  # as an article names the speaker
    articles: int
    quotes: int
    reason: str  # why it is in this row


@dataclass
class Person:
    """One row of the people view: a speaker merged across articles, with the counts of their quotes and
    articles, their outlets, and the dates of their first and last article."""

    id: str
    name: str
    kind: str
    units: list[Unit] = field(repr=False, default_factory=list)
    quote_count: int = 0
    articles: int = 0
    outlets: list[str] = field(default_factory=list)
    first: str | None = None
    last: str | None = None
    hay: str = field(default="", repr=False)

    @property
    def variants(self) -> list[Variant]:
        """Each name this row merged, with how often and why (most quoted first)."""
        by_name: dict[str, list] = {}
        for unit in self.units:
            row = by_name.setdefault(unit.canonical, [set(), 0, unit.reason])
            row[0].add(unit.entry.id)
            row[1] += len(unit.quotes)
        out = [Variant(name, len(ids), count, reason) for name, (ids, count, reason) in by_name.items()]
        return sorted(out, key=lambda v: (-v.quotes, v.name))

    @property
    def mentions(self) -> list[str]:
        """Every way the articles refer to this row's speaker (pronouns included)."""
        seen: dict[str, None] = {}
        for unit in self.units:
            for m in unit.mentions:
                seen.setdefault(m, None)
        return list(seen)

    @property
    def quotes(self) -> list[PersonQuote]:
        """Every quote, oldest first (undated last), then by article and position."""
        out = []
        for unit in self.units:
            e = unit.entry
            for start, end, text, cue, confidence, mention, method in unit.quotes:
                out.append(PersonQuote(e.id, str(e.path), e.title, e.date, e.source, start, end, text, cue,
                                       confidence, mention, unit.canonical, method))
        out.sort(key=lambda q: (q.date is None, q.date or "", q.title, q.start))
        return out

    def to_dict(self) -> dict:
        """The row as a JSON-able dict: name, kind, variants and counts (not the quotes themselves)."""
        return {
            "id": self.id, "name": self.name, "kind": self.kind,
            "variants": [{"name": v.name, "articles": v.articles, "quotes": v.quotes, "reason": v.reason}
                         for v in self.variants],
            "quotes": self.quote_count, "articles": self.articles, "outlets": self.outlets,
            "first": self.first, "last": self.last,
        }


class Overrides:
    """The user's merges and splits, in `people.json` in the data dir.

    split: a name (as an article writes it, case-insensitively) taken out into its own row;
    merge: two row ids made one (the first keeps its id)."""

    VERSION = 1

    def __init__(self, file: Path | None = None) -> None:
        if file is None:
            from tui.core.paths import data_dir

            file = data_dir() / "people.json"
        self.file = Path(file)
        self.merges: list[list[str]] = []
        self.splits: list[str] = []

    def load(self) -> "Overrides":
        """Read the merges and splits from the file (none when it is missing or damaged); returns self."""
        try:
            data = orjson.loads(self.file.read_bytes())
        except (OSError, ValueError):
            return self
        if isinstance(data, dict):
            self.merges = [[str(a), str(b)] for a, b in (m for m in data.get("merges", [])
                                                          if isinstance(m, list) and len(m) == 2)]
            self.splits = [str(s) for s in data.get("splits", []) if isinstance(s, str)]
        return self

    def save(self) -> None:
        """Write the merges and splits to the file, atomically (creating its folder if need be)."""
        from tui.core.store import write_atomically

        self.file.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.file, orjson.dumps(
            {"version": self.VERSION, "merges": self.merges, "splits": self.splits}, option=orjson.OPT_INDENT_2))

    def merge(self, keep: str, other: str) -> None:
        """Make row `other` part of row `keep`, which keeps its id (in memory: `save` writes it)."""
        if keep != other and [keep, other] not in self.merges:
            self.merges.append([keep, other])

    def split(self, person: Person, variant: str) -> None:
        """Take `variant` out of `person`: undo the manual merge that brought it in, if one did;
        else make it a row of its own."""
        units = [u for u in person.units if u.canonical.casefold() == variant.casefold()]
        sources = {u.auto_id for u in units}
        undone = [m for m in self.merges if m[1] in sources or (m[0] in sources and m[0] != person.id)]
        if undone:
            self.merges = [m for m in self.merges if m not in undone]
            return
        if variant.casefold() not in (s.casefold() for s in self.splits):
            self.splits.append(variant)

    def unsplit(self, variant: str) -> None:
        """Undo the split of `variant` (case-insensitive): it goes back to its automatic row."""
        self.splits = [s for s in self.splits if s.casefold() != variant.casefold()]


def _units(entries, records) -> list[Unit]:
    units = []
    for entry in unique_entries(entries):
        record = records.get(entry.id)
        if not record:
            continue
        for canonical, kind, full, mentions, quotes in record.get("s", ()):
            units.append(Unit(entry, canonical, kind if kind in KINDS else PERSON, full, mentions, quotes))
    return units


def _assign(units: list[Unit]) -> None:
    """Give every unit its automatic row id and the reason it is there."""
    persons: list[tuple[Unit, NameKey]] = []
    for unit in units:
        if unit.kind == ORGANISATION:
            unit.auto_id, unit.reason = "org:" + phrase_key(unit.canonical), "the name"
        elif unit.kind == DESCRIPTION:
            unit.auto_id, unit.reason = "desc:" + phrase_key(unit.canonical), "the same description"
        else:
            key = person_key(unit.full or unit.canonical)
            if key is None:
                unit.auto_id, unit.reason = "desc:" + phrase_key(unit.canonical), "the same description"
                continue
            persons.append((unit, key))
    # Full names ("Jane Doe", "Senator Jane A. Doe"): one row per first + middle + surname + suffix.
    by_surname: dict[str, set[tuple[str, str]]] = {}  # surname -> (full key, suffix): a father and son both
    for _unit, key in persons:
        if not key.is_bare and not key.is_initial:
            by_surname.setdefault(key.last, set()).add((key.full, key.suffix))
    for unit, key in persons:
        if unit.full:
            unit.auto_id = "person:" + key.full
            unit.reason = f"a surname the article gives in full as {unit.full}"
        elif not key.is_bare and not key.is_initial:
            unit.auto_id = "person:" + key.full
            unit.reason = "the name with a title" if key.titled else "the name"
        else:
            candidates = sorted(full for full, suffix in by_surname.get(key.last, ())
                                if not key.suffix or suffix == key.suffix)
            if key.is_initial:
                candidates = [c for c in candidates if c.startswith(key.first)]
            what = f"{key.first.upper()}. {key.surname.title()}" if key.is_initial else key.surname.title()
            if len(candidates) == 1:
                unit.auto_id = "person:" + candidates[0]
                unit.reason = (f"initial and surname: the only {what} in the library" if key.is_initial
                               else f"surname only: the only person named {what} in the library")
            else:
                unit.auto_id = "person:" + key.full
                unit.reason = (f"not merged: {len(candidates)} people could be {what}" if candidates
                               else ("initial and surname" if key.is_initial else "surname only"))


class _UnionFind(Generic[K]):
    """Disjoint sets of keys: `union` joins two sets, `find` names a key's set."""

    def __init__(self) -> None:
        self.parent: dict[K, K] = {}

    def find(self, x: K) -> K:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, keep: K, other: K) -> None:
        a, b = self.find(keep), self.find(other)
        if a != b:
            self.parent[b] = a


def build_people(entries, records: dict[str, dict], overrides: Overrides | None = None) -> list[Person]:
    """Every speaker of the summarised `entries`, merged into people (no particular order)."""
    with _no_gc():
        return _build(entries, records, overrides)


class _no_gc:
    """Tens of thousands of objects are made and all kept: a collection pass meanwhile only walks them."""

    def __enter__(self):
        import gc

        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        import gc

        if self.was:
            gc.enable()


def _build(entries, records, overrides) -> list[Person]:
    units = _units(entries, records)
    _assign(units)
    row_of = [u.auto_id for u in units]
    if overrides is not None and overrides.splits:
        splits = {s.casefold() for s in overrides.splits}
        for i, unit in enumerate(units):
            if unit.canonical.casefold() in splits:
                row_of[i] = "split:" + unit.canonical.casefold()
                unit.reason = "split off by you"
    if overrides is not None and overrides.merges:
        uf: _UnionFind[str] = _UnionFind()
        for keep, other in overrides.merges:
            uf.union(keep, other)
        for i, row in enumerate(row_of):
            root = uf.find(row)
            if root != row:
                row_of[i] = root
                units[i].reason = "merged by you"
    rows: dict[str, list[Unit]] = {}
    for unit, row in zip(units, row_of):
        rows.setdefault(row, []).append(unit)
    return [_person(row, members) for row, members in rows.items()]


@lru_cache(maxsize=200_000)
def _has_given_name(name: str) -> bool:
    """More than a surname (and suffix): "Jane Doe" rather than "Doe" or "Doe Jr."."""
    words = tokens(name)
    return len(words) - (1 if words and words[-1] in SUFFIXES else 0) > 1


def _person(row: str, units: list[Unit]) -> Person:
    kinds: Counter[str] = Counter()
    names: Counter[str] = Counter()
    written: dict[str, None] = {}
    ids: set[str] = set()
    outlets: dict[str, None] = {}
    dates = []
    count = 0
    for unit in units:
        n = len(unit.quotes)
        count += n
        kinds[unit.kind] += n
        name = unit.full or unit.canonical
        # The row's own name comes from the units that are there by the automatic rules.
        weight = n + (1_000_000 if unit.auto_id == row else 0)
        names[display_without_titles(name) if unit.kind == PERSON else name] += weight
        written.setdefault(unit.canonical, None)
        ids.add(unit.entry.id)
        if unit.entry.source:
            outlets.setdefault(unit.entry.source, None)
        if unit.entry.date:
            dates.append(unit.entry.date)
    kind = kinds.most_common(1)[0][0]
    if row.startswith("split:"):  # the name the user split off, as written
        name = units[0].canonical
    elif kind == PERSON:  # the fullest form, then the most quoted
        name = max(names, key=lambda n: (_has_given_name(n), names[n], len(n), n))
    else:
        name = max(names, key=lambda n: (names[n], -len(n), n))
    person = Person(row, name, kind, units, count, len(ids), sorted(outlets, key=str.casefold),
                    min(dates) if dates else None, max(dates) if dates else None)
    person.hay = fold("\n".join([name, *names, *written]))
    return person


# -- 3. views ------------------------------------------------------------------------------------

SORTS = ("quotes", "name", "latest")


def sort_people(people: list[Person], how: str) -> list[Person]:
    """`people` in the order `how` names: "name" (alphabetical), "latest" (latest article first, undated
    last), else the most quoted first (then the most articles); ties by name."""
    by_name = sorted(people, key=lambda p: (fold(p.name), p.id))
    if how == "name":
        return by_name
    if how == "latest":
        return sorted(by_name, key=lambda p: (p.last is not None, p.last or ""), reverse=True)
    return sorted(by_name, key=lambda p: (-p.quote_count, -p.articles))


def filter_people(people: list[Person], needle: str) -> list[Person]:
    """People whose name or any merged variant contains `needle` (case- and accent-insensitive)."""
    needle = fold(needle.strip())
    if not needle:
        return people
    return [p for p in people if needle in p.hay]


def find_person(people: list[Person], name: str) -> list[Person]:
    """Rows that `name` designates, case- and accent-insensitively: the row's name or a merged
    variant; else a mention as an article writes it ("Pompeo", "Ms. Doe"); else the same name
    without titles ("Senator Jane Doe" finds Jane Doe), or a bare surname every row of that
    surname ("Doe": each Doe)."""
    wanted = fold(" ".join(name.split()))
    if not wanted:
        return []
    exact = [p for p in people if fold(p.name) == wanted
             or any(fold(u.canonical) == wanted or (u.full and fold(u.full) == wanted) for u in p.units)]
    if exact:
        return exact
    if wanted in PRONOUNS:
        return []
    mentioned = [p for p in people if any(fold(m) == wanted for u in p.units for m in u.mentions)]
    if mentioned:
        return mentioned
    key = person_key(name)
    if key is None:
        return []
    found = []
    for p in people:
        if p.kind != PERSON:
            continue
        other = person_key(p.name)
        if other is None:
            continue
        if key.is_bare and other.last == key.last and (not key.suffix or other.suffix == key.suffix):
            found.append(p)
        elif not key.is_bare and other.full == key.full:
            found.append(p)
    return found


def library_entries(roots: list[str]) -> tuple[list, list[str]]:
    """The library index's entries for `roots` (incremental: only changed files are read)."""
    from tui.core.library import LibraryIndex

    index = LibraryIndex(roots)
    index.load()
    index.refresh()
    return index.articles(), index.problems


def default_roots() -> list[str]:
    from tui.core.library import library_dir

    return [str(library_dir())]


__all__ = [
    "Overrides", "PeopleCache", "Person", "PersonQuote", "Variant", "build_people", "classify", "collect",
    "filter_people", "find_person", "person_key", "sort_people", "summarise",
]


# -- 4. the same quote in other articles ---------------------------------------------------------

SAME_MIN_WORDS = 6  # shorter quotes ("We will win.") are too common to tell anything
SAME_SHINGLE = 4  # words per shingle
SAME_COMMON = 50  # a shingle in more quotes than this is boilerplate: not used to find candidates
SAME_SCORE = 90  # rapidfuzz partial_ratio (0-100) from which two quotes are the same words
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def quote_words(text: str) -> list[str]:
    """Normalised words of a quote: folded, without punctuation ("We’re" -> "we", "re")."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class QuoteGroup:
    id: str
    members: list[tuple[Person, PersonQuote]]  # earliest first (undated last)

    @property
    def articles(self) -> int:
        return len({q.article_id for _, q in self.members})


def same_quotes(people: list[Person]) -> dict[tuple[str, int, int], QuoteGroup]:
    """Quotes whose words appear in another article too (fuzzy: partial quotes inside longer ones
    count), grouped: {(article id, start, end): its group}. Candidates share word 4-grams; each
    pair is confirmed by rapidfuzz's partial ratio on the normalised text."""
    from rapidfuzz import fuzz

    with _no_gc():
        items: list[tuple[Person, PersonQuote, str]] = []
        postings: dict[int, list[int]] = {}
        for person in people:
            for quote in person.quotes:
                words = quote_words(quote.text)
                if len(words) < SAME_MIN_WORDS:
                    continue
                index = len(items)
                items.append((person, quote, " ".join(words)))
                for shingle in {hash(tuple(words[i:i + SAME_SHINGLE])) for i in range(len(words) - SAME_SHINGLE + 1)}:
                    postings.setdefault(shingle, []).append(index)
        uf: _UnionFind[int] = _UnionFind()
        checked: set[tuple[int, int]] = set()
        for members in postings.values():
            if len(members) < 2 or len(members) > SAME_COMMON:
                continue
            for a_pos, a in enumerate(members):
                for b in members[a_pos + 1:]:
                    if items[a][1].article_id == items[b][1].article_id or (a, b) in checked:
                        continue
                    checked.add((a, b))
                    if uf.find(a) == uf.find(b):
                        continue
                    if fuzz.partial_ratio(items[a][2], items[b][2]) >= SAME_SCORE:
                        uf.union(a, b)
        groups: dict[int, list[int]] = {}
        for i in range(len(items)):
            groups.setdefault(uf.find(i), []).append(i)
        out: dict[tuple[str, int, int], QuoteGroup] = {}
        for members in groups.values():
            if len(members) < 2:
                continue
            ordered = sorted(((items[i][0], items[i][1]) for i in members),
                             key=lambda pq: (pq[1].date is None, pq[1].date or "", pq[1].article_id, pq[1].start))
            first = ordered[0][1]
            group = QuoteGroup(f"q:{first.article_id}:{first.start}", ordered)
            for _, quote in ordered:
                out[(quote.article_id, quote.start, quote.end)] = group
        return out


def word_differences(earliest: str, other: str) -> list[dict]:
    """Word-level differences of `other` from `earliest` (normalised words): each
    {"op": "replace" | "delete" | "insert", "earliest": words, "this": words}."""
    from difflib import SequenceMatcher

    a, b = quote_words(earliest), quote_words(other)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            out.append({"op": op, "earliest": " ".join(a[i1:i2]), "this": " ".join(b[j1:j2])})
    return out


def diff_spans(earliest: str, other: str) -> list[tuple[str, str]]:
    """`other` as (piece, what) pieces for display, compared word by word with `earliest`
    (normalised): what is "same", "changed" (words not in the earliest version) or "missing"
    (words of the earliest version left out here; the piece is those words)."""
    from difflib import SequenceMatcher

    def words(text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]

    a, b = words(earliest), words(other)
    pieces: list[tuple[str, str]] = []
    position = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(a=[w for *_, w in a], b=[w for *_, w in b], autojunk=False).get_opcodes():
        if op in ("replace", "delete") and i1 < i2:
            if j1 < len(b) and position < b[j1][0] and op == "delete":
                pieces.append((other[position:b[j1][0]], "same"))
                position = b[j1][0]
            pieces.append((earliest[a[i1][0]:a[i2 - 1][1]], "missing"))
        if j1 < j2:
            start, end = b[j1][0], b[j2 - 1][1]
            if position < start:
                pieces.append((other[position:start], "same"))
            pieces.append((other[start:end], "same" if op == "equal" else "changed"))
            position = end
    if position < len(other):
        pieces.append((other[position:], "same"))
    return pieces
