"""The people index: the article-level speakers merged across articles into people, incrementally.

A `Voice` is one name of one kind across the library ("Senator Doe" as a person, with the full
name an article gives it, if any): in which articles and how many quotes. `PeopleIndex` keeps the
voices up to date article by article (`update` adds new articles and drops gone or changed ones;
nothing else is redone) and is persisted next to the per-article summaries, so opening People
reads one small file instead of every summary. `PeopleIndex.people(overrides)` merges the voices
into rows: names are compared without titles ("Senator", "Ms."), possessives, accents, case, or
middle initials; a suffix ("Jr.", "III") keeps people apart; a bare surname ("Doe") or an initial
("J. Doe") joins the one person of the library with that surname — when several share it, it
stays a row of its own (the text does not say which). Every merged variant says why. The merge
works on voices (a few thousand in a library of 10,000 articles), not on quotes.

Pure Python: no Textual, no spaCy.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import orjson

from tui.core.people.corrected import corrected_summary, corrections_by_article, fingerprint
from tui.core.people.names import (
    DESCRIPTION,
    KINDS,
    ORGANISATION,
    PERSON,
    SUFFIXES,
    NameKey,
    display_without_titles,
    fold,
    person_key,
    phrase_key,
    tokens,
)
from tui.core.people.rows import Overrides, Person, Unit, Voice
from tui.core.people.summary import LibraryEntry, Summary, _no_gc, unique_entries

if TYPE_CHECKING:
    from tui.core.correction_record import SpeakerCorrection

K = TypeVar("K")
INDEX_VERSION = 2


class PeopleIndex:
    """The voices of every summarised article of a library, kept up to date article by article.

    `update(entries, records, corrections)` drops articles that left the library (or whose date or
    outlet changed) and adds the summarised ones not in it yet; an article whose speaker
    corrections changed is indexed again with them applied; `people(overrides)` merges the voices
    into rows (reused until the index or the overrides change); `save` / `load` keep it in a
    small file. `records` (a callable) gives the per-article summaries when quotes are asked for."""

    def __init__(self, version: str = "", records: Callable[[], Mapping[str, Summary]] | None = None) -> None:
        self.version = version
        self.records = records or (lambda: {})
        self.voices: dict[tuple[str, str, str | None], Voice] = {}
        self.meta: dict[str, tuple[str | None, str | None]] = {}  # article id -> (date, outlet)
        self.entries: dict[str, LibraryEntry] = {}  # article id -> the library entry
        self._mentions_of: dict[str, list[tuple[Voice, list[str]]]] = {}  # article id -> its voices' mentions
        self._stale: set[Voice] = set()  # voices whose mentions must be recounted from the summaries
        self.generation = 0  # counts changes
        self.saved_generation = 0
        self._rows: tuple[tuple[int, object], list[Person]] | None = None
        self.lock = threading.RLock()  # a worker updates it while the screen reads quotes
        self.corrected: dict[str, str] = {}  # article id -> fingerprint of the corrections applied
        self.corrections: dict[str, list[SpeakerCorrection]] = {}  # article id -> its corrections (once known)
        self._corrected_records: dict[str, tuple[str, Summary, Summary]] = {}

    # -- keeping it up to date -------------------------------------------------------------------
    def _update_locked(
        self,
        entries: Iterable[LibraryEntry],
        records: Mapping[str, Summary],
        corrections: Iterable[SpeakerCorrection] | None = None,
    ) -> int:
        """Bring the index to `entries`: returns how many articles were added, dropped or indexed
        again. An article without a summary in `records` yet is left out (added by a later
        update). `corrections` (the user's speaker corrections, all of them; None: not known
        now, keep what was applied) are applied to the articles they belong to."""
        wanted = {e.id: e for e in unique_entries(entries)}
        self.entries = wanted
        changed = 0
        if corrections is not None:
            self.corrections = corrections_by_article(corrections)
        with _no_gc():
            for article_id in [a for a, meta in self.meta.items() if (e := wanted.get(a)) is None or (e.date, e.source) != meta]:
                self._remove(article_id)
                changed += 1
            if corrections is not None:
                for article_id in set(self.corrected) | set(self.corrections):
                    if article_id in self.meta and self.corrected.get(article_id, "") != fingerprint(
                        self.corrections.get(article_id, ())
                    ):
                        record = records.get(article_id)
                        if record is not None:  # else: when the summaries are read
                            self._remove(article_id)
                            self._add(wanted[article_id], record)
                            changed += 1
            for article_id, entry in wanted.items():
                if article_id not in self.meta:
                    record = records.get(article_id)
                    if record is not None:
                        self._add(entry, record)
                        changed += 1
            if self._stale and records:
                self._recount_mentions(records)
        if changed:
            self.generation += 1
        return changed

    def record(self, article_id: str, records: Mapping[str, Summary] | None = None) -> Summary | None:
        """The article's summary as the user corrected it (None when it has none)."""
        raw = (records if records is not None else self.records()).get(article_id)
        mine = self.corrections.get(article_id)
        if raw is None or not mine:
            return raw
        digest = fingerprint(mine)
        cached = self._corrected_records.get(article_id)
        if cached is None or cached[0] != digest or cached[1] is not raw:
            cached = self._corrected_records[article_id] = (digest, raw, corrected_summary(raw, mine))
        return cached[2]

    def _replace_locked(self, entry: LibraryEntry, record: Summary) -> None:
        """Index `record` for `entry` in place of what the index had for it (a corrected article)."""
        if entry.id in self.meta:
            self._remove(entry.id)
        self.entries[entry.id] = entry
        self._add(entry, record)
        self.generation += 1

    def _add(self, entry: LibraryEntry, record: Summary) -> None:
        article_id = entry.id
        self.meta[article_id] = (entry.date, entry.source)
        mine = self.corrections.get(article_id)
        if mine:
            record = corrected_summary(record, mine)
            self.corrected[article_id] = fingerprint(mine)
        else:
            self.corrected.pop(article_id, None)
        voiced: list[tuple[Voice, list[str]]] = []
        for row in record.get("s", ()):
            canonical, kind, full, mentions, quotes = row[:5]
            if not quotes:
                continue
            kind = kind if kind in KINDS else PERSON
            key = (canonical, kind, full)
            voice = self.voices.get(key)
            if voice is None:
                voice = self.voices[key] = Voice(canonical, kind, full)
            voice.articles[article_id] = voice.articles.get(article_id, 0) + len(quotes)
            for m in mentions:
                voice.mentions[m] = voice.mentions.get(m, 0) + 1
            voice.quotes += len(quotes)
            if entry.date:
                voice.first = entry.date if voice.first is None else min(voice.first, entry.date)
                voice.last = entry.date if voice.last is None else max(voice.last, entry.date)
            if entry.source and entry.source not in voice.outlets:
                voice.outlets = voice.outlets | {entry.source}
            voiced.append((voice, list(mentions)))
        self._mentions_of[article_id] = voiced

    def _remove(self, article_id: str) -> None:
        known = self._mentions_of.pop(article_id, None)
        if known is not None:
            voices = [v for v, _ in known]
        else:  # read from the file: which voices, but not what this article wrote, is known
            voices = [v for v in self.voices.values() if article_id in v.articles]
            self._stale.update(voices)
        for voice, written in known or ((v, ()) for v in voices):
            voice.articles.pop(article_id, None)
            for m in written:
                left = voice.mentions.get(m, 0) - 1
                if left > 0:
                    voice.mentions[m] = left
                else:
                    voice.mentions.pop(m, None)
            if not voice.articles:
                self.voices.pop((voice.canonical, voice.kind, voice.full), None)
                self._stale.discard(voice)
        del self.meta[article_id]
        self.corrected.pop(article_id, None)
        for voice in voices:
            if voice.articles:
                voice.refresh(self.meta)

    def _recount_mentions(self, records: Mapping[str, Summary]) -> None:
        """Recount the mentions of the voices that lost an article read from the file."""
        for voice in list(self._stale):
            counts: dict[str, int] = {}
            for article_id in voice.articles:
                record = self.record(article_id, records)
                if record is None:
                    return  # the summaries are not read yet: later
                for row in record.get("s", ()):
                    if row[0] == voice.canonical and row[2] == voice.full:
                        for m in row[3]:
                            counts[m] = counts.get(m, 0) + 1
            voice.mentions = counts
            self._stale.discard(voice)

    @property
    def dirty(self) -> bool:
        """Whether the index changed since it was loaded or saved."""
        return self.generation != self.saved_generation

    # -- rows ------------------------------------------------------------------------------------
    def _people_locked(self, overrides: Overrides | None = None) -> list[Person]:
        """The voices merged into rows (no particular order); the same list while nothing changed."""
        state = overrides.state if overrides is not None else None
        if self._rows is not None and self._rows[0] == (self.generation, state):
            return self._rows[1]
        with _no_gc():
            rows = _build(self, list(self.voices.values()), overrides)
        self._rows = ((self.generation, state), rows)
        return rows

    def _units_locked(self, voices: Iterable[Voice]) -> list[Unit]:
        """Each article's speaker behind `voices`, with its quotes (from the summaries)."""
        records = self.records()
        out = []
        for voice in voices:
            for article_id in voice.articles:
                entry = self.entries.get(article_id)
                record = self.record(article_id, records)
                if entry is None or record is None:
                    continue
                for canonical, _kind, full, mentions, quotes in (row[:5] for row in record.get("s", ())):
                    if canonical == voice.canonical and full == voice.full:
                        out.append(Unit(entry, canonical, voice.kind, full, mentions, quotes, voice.auto_id, voice.reason))
                        break
        return out

    # -- on disk ---------------------------------------------------------------------------------
    def _save_locked(self, file: Path) -> None:
        """Write the index (article ids, dates, outlets, voices) to `file`; never raises."""
        from tui.core.store import write_atomically

        order = {a: i for i, a in enumerate(self.meta)}
        voices = []
        for v in self.voices.values():
            counts: list[int] = []
            for article_id, n in v.articles.items():
                counts += (order[article_id], n)
            voices.append([v.canonical, v.kind, v.full, counts, v.mentions, v.first, v.last, sorted(v.outlets)])
        document = {
            "format": INDEX_VERSION,
            "version": self.version,
            "articles": [[a, d, s] for a, (d, s) in self.meta.items()],
            "voices": voices,
            "corrected": self.corrected,
        }
        try:
            Path(file).parent.mkdir(parents=True, exist_ok=True)
            write_atomically(Path(file), orjson.dumps(document), durable=False)
            self.saved_generation = self.generation
        except OSError:
            pass  # a cache that cannot be written only costs time

    def load(self, file: Path) -> PeopleIndex:
        """Read the index from `file` when it is of this version (else it stays empty); returns self."""
        try:
            with _no_gc():
                data = orjson.loads(Path(file).read_bytes())
                if data.get("format") != INDEX_VERSION or data.get("version") != self.version:
                    return self
                self._read(data)
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            self.__init__(self.version, self.records)  # type: ignore[misc]  # a damaged file: start afresh
        return self

    def _read(self, data: dict[str, Any]) -> None:  # the index file's JSON (its shape checked by `load`)
        ids = []
        meta = self.meta
        for article_id, date, source in data["articles"]:
            ids.append(article_id)
            meta[article_id] = (date, source)
        voices = self.voices
        for canonical, kind, full, counts, mentions, first, last, outlets in data["voices"]:
            numbers = counts[1::2]
            articles = dict(zip(map(ids.__getitem__, counts[0::2]), numbers))
            voices[(canonical, kind, full)] = Voice(
                canonical, kind, full, articles, mentions, sum(numbers), first, last, frozenset(outlets)
            )
        self.corrected = {str(a): str(f) for a, f in data.get("corrected", {}).items() if a in meta}
        self.generation = self.saved_generation = 1

    def update(
        self,
        entries: Iterable[LibraryEntry],
        records: Mapping[str, Summary],
        corrections: Iterable[SpeakerCorrection] | None = None,
    ) -> int:
        """Bring the index to `entries`: returns how many articles were added, dropped or indexed
        again. An article without a summary in `records` yet is left out (added by a later
        update). `corrections` (the user's speaker corrections, all of them; None: not known
        now, keep what was applied) are applied to the articles they belong to."""
        with self.lock:
            return self._update_locked(entries, records, corrections)

    def replace(self, entry: LibraryEntry, record: Summary) -> None:
        """Index `record` for `entry` in place of what the index had for it."""
        with self.lock:
            self._replace_locked(entry, record)

    def people(self, overrides: Overrides | None = None) -> list[Person]:
        """The voices merged into rows (no particular order); the same list while nothing changed."""
        with self.lock:
            return self._people_locked(overrides)

    def units(self, voices: Iterable[Voice]) -> list[Unit]:
        """Each article's speaker behind `voices`, with its quotes (from the summaries, corrected)."""
        with self.lock:
            return self._units_locked(voices)

    def save(self, file: Path) -> None:
        """Write the index (article ids, dates, outlets, voices, corrections applied) to `file`; never raises."""
        with self.lock:
            self._save_locked(file)


def build_people(
    entries: Iterable[LibraryEntry], records: Mapping[str, Summary], overrides: Overrides | None = None
) -> list[Person]:
    """Every speaker of the summarised `entries`, merged into people (no particular order)."""
    index = PeopleIndex(records=lambda: records)
    index.update(entries, records)
    return index.people(overrides)


def _assign(voices: list[Voice]) -> None:
    """Give every voice its automatic row id and the reason it is there."""
    persons: list[tuple[Voice, NameKey]] = []
    for voice in voices:
        if voice.kind == ORGANISATION:
            voice.auto_id, voice.reason = "org:" + phrase_key(voice.canonical), "the name"
        elif voice.kind == DESCRIPTION:
            voice.auto_id, voice.reason = "desc:" + phrase_key(voice.canonical), "the same description"
        else:
            key = person_key(voice.full or voice.canonical)
            if key is None:
                voice.auto_id, voice.reason = "desc:" + phrase_key(voice.canonical), "the same description"
                continue
            persons.append((voice, key))
    # Full names ("Jane Doe", "Senator Jane A. Doe"): one row per first + middle + surname + suffix.
    by_surname: dict[str, set[tuple[str, str]]] = {}  # surname -> (full key, suffix): a father and son both
    for _voice, key in persons:
        if key.first and len(key.first) > 1:
            by_surname.setdefault(key.last, set()).add((key.full, key.suffix))
    for voice, key in persons:
        if voice.full:
            voice.auto_id = "person:" + key.full
            voice.reason = f"a surname the article gives in full as {voice.full}"
        elif key.first and len(key.first) > 1:
            voice.auto_id = "person:" + key.full
            voice.reason = "the name with a title" if key.titled else "the name"
        else:
            candidates = sorted(full for full, suffix in by_surname.get(key.last, ()) if not key.suffix or suffix == key.suffix)
            if key.is_initial:
                candidates = [c for c in candidates if c.startswith(key.first)]
            what = f"{key.first.upper()}. {key.surname.title()}" if key.is_initial else key.surname.title()
            if len(candidates) == 1:
                voice.auto_id = "person:" + candidates[0]
                voice.reason = (
                    f"initial and surname: the only {what} in the library"
                    if key.is_initial
                    else f"surname only: the only person named {what} in the library"
                )
            else:
                voice.auto_id = "person:" + key.full
                voice.reason = (
                    f"not merged: {len(candidates)} people could be {what}"
                    if candidates
                    else ("initial and surname" if key.is_initial else "surname only")
                )


class _UnionFind(Generic[K]):
    """Disjoint sets of keys: `union` joins two sets, `find` names a key's set."""

    def __init__(self) -> None:
        self.parent: dict[K, K] = {}

    def find(self, x: K) -> K:
        """The key naming `x`'s set."""
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, keep: K, other: K) -> None:
        """Join the sets of `keep` and `other`; the set keeps `keep`'s name."""
        a, b = self.find(keep), self.find(other)
        if a != b:
            self.parent[b] = a


def _build(index: PeopleIndex, voices: list[Voice], overrides: Overrides | None) -> list[Person]:
    _assign(voices)
    row_of = [v.auto_id for v in voices]
    if overrides is not None and overrides.splits:
        splits = {s.casefold() for s in overrides.splits}
        for i, voice in enumerate(voices):
            if voice.canonical.casefold() in splits:
                row_of[i] = "split:" + voice.canonical.casefold()
                voice.reason = "split off by you"
    if overrides is not None and overrides.merges:
        uf: _UnionFind[str] = _UnionFind()
        for keep, other in overrides.merges:
            uf.union(keep, other)
        for i, row in enumerate(row_of):
            root = uf.find(row)
            if root != row:
                row_of[i] = root
                voices[i].reason = "merged by you"
    rows: dict[str, list[Voice]] = {}
    for voice, row in zip(voices, row_of):
        rows.setdefault(row, []).append(voice)
    return [_person(index, row, members) for row, members in rows.items()]


@lru_cache(maxsize=200_000)
def _has_given_name(name: str) -> bool:
    """More than a surname (and suffix): "Jane Doe" rather than "Doe" or "Doe Jr."."""
    words = tokens(name)
    return len(words) - (1 if words and words[-1] in SUFFIXES else 0) > 1


def _person(index: PeopleIndex, row: str, voices: list[Voice]) -> Person:
    kinds: Counter[str] = Counter()
    names: Counter[str] = Counter()
    written: dict[str, None] = {}
    outlets: set[str] = set()
    firsts, lasts = [], []
    count = 0
    for voice in voices:
        n = voice.quotes
        count += n
        kinds[voice.kind] += n
        name = voice.full or voice.canonical
        # The row's own name comes from the voices that are there by the automatic rules.
        weight = n + (1_000_000 if voice.auto_id == row else 0)
        names[display_without_titles(name) if voice.kind == PERSON else name] += weight
        written.setdefault(voice.canonical, None)
        outlets |= voice.outlets
        if voice.first:
            firsts.append(voice.first)
            lasts.append(voice.last)
    if len(voices) == 1:
        articles = len(voices[0].articles)
    else:
        ids: set[str] = set()
        for voice in voices:
            ids.update(voice.articles)
        articles = len(ids)
    kind = kinds.most_common(1)[0][0]
    if row.startswith("split:"):  # the name the user split off, as written (others may be merged in since)
        own = row[len("split:") :]
        name = next((v.canonical for v in voices if v.canonical.casefold() == own), voices[0].canonical)
    elif kind == PERSON:  # the fullest form, then the most quoted
        name = max(names, key=lambda n: (_has_given_name(n), names[n], len(n), n))
    else:
        name = max(names, key=lambda n: (names[n], -len(n), n))
    person = Person(
        row,
        name,
        kind,
        voices,
        count,
        articles,
        sorted(outlets, key=str.casefold),
        min(firsts) if firsts else None,
        max(x for x in lasts if x) if firsts else None,
        index=index,
    )
    person.hay = fold("\n".join([name, *names, *written]))
    return person
