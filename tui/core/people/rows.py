"""The records of the people index: a voice (one name across articles), a row (`Person`), its
quotes and variants, and the user's merges and splits (`Overrides`).

Pure Python: no Textual, no spaCy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from tui.core.people.summary import LibraryEntry, SummaryQuote

if TYPE_CHECKING:
    from tui.core.people.index import PeopleIndex


@dataclass(slots=True)
class Unit:
    """One speaker of one article, with its quotes (what a timeline shows)."""

    entry: LibraryEntry  # the library entry (id, path, title, date, source)
    canonical: str
    kind: str
    full: str | None  # the full name the article gives a bare surname, if any
    mentions: list[str]
    quotes: list[SummaryQuote]
    auto_id: str = ""
    reason: str = ""


@dataclass(slots=True, eq=False)
class Voice:
    """One name of one kind across the library: in which articles (quotes in each) and how the
    articles write it; `auto_id` and `reason` say which row the automatic rules give it and why."""

    canonical: str
    kind: str
    full: str | None
    articles: dict[str, int] = field(default_factory=dict)  # article id -> quotes
    mentions: dict[str, int] = field(default_factory=dict)  # as written -> articles writing it so
    quotes: int = 0
    first: str | None = None
    last: str | None = None
    outlets: frozenset[str] = frozenset()
    auto_id: str = ""
    reason: str = ""

    def refresh(self, meta: Mapping[str, tuple[str | None, str | None]]) -> None:
        """Recount the quotes and the dates and outlets of its articles (after a change)."""
        self.quotes = sum(self.articles.values())
        dates = [d for d in (meta[a][0] for a in self.articles) if d]
        self.first, self.last = (min(dates), max(dates)) if dates else (None, None)
        self.outlets = frozenset(s for s in (meta[a][1] for a in self.articles) if s)


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
    speaker_source: str = "model"  # "user" when the user corrected or confirmed the speaker

    def to_dict(self) -> dict[str, object]:
        """The quote as a JSON-able dict, one key per field."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True)
class Variant:
    """One name merged into a row: in how many articles and quotes, and why it is there."""

    name: str  # as an article names the speaker
    articles: int
    quotes: int
    reason: str  # why it is in this row


@dataclass(eq=False)
class Person:
    """One row of the people view: a speaker merged across articles, with the counts of their quotes and
    articles, their outlets, and the dates of their first and last article. Its quotes are read
    from the per-article summaries only when asked for (`units`, `quotes`)."""

    id: str
    name: str
    kind: str
    voices: list[Voice] = field(repr=False, default_factory=list)
    quote_count: int = 0
    articles: int = 0
    outlets: list[str] = field(default_factory=list)
    first: str | None = None
    last: str | None = None
    hay: str = field(default="", repr=False)
    index: PeopleIndex | None = field(default=None, repr=False)
    _units: list[Unit] | None = field(default=None, repr=False)

    @property
    def units(self) -> list[Unit]:
        """Each speaker of each article merged into this row, with its quotes."""
        if self._units is None:
            self._units = self.index.units(self.voices) if self.index is not None else []
        return self._units

    @property
    def variants(self) -> list[Variant]:
        """Each name this row merged, with how often and why (most quoted first)."""
        ids_of: dict[str, set[str]] = {}
        count_of: dict[str, int] = {}
        reason_of: dict[str, str] = {}
        for voice in self.voices:
            ids_of.setdefault(voice.canonical, set()).update(voice.articles)
            count_of[voice.canonical] = count_of.get(voice.canonical, 0) + voice.quotes
            reason_of.setdefault(voice.canonical, voice.reason)
        out = [Variant(name, len(ids), count_of[name], reason_of[name]) for name, ids in ids_of.items()]
        return sorted(out, key=lambda v: (-v.quotes, v.name))

    @property
    def mentions(self) -> list[str]:
        """Every way the articles refer to this row's speaker (pronouns included)."""
        seen: dict[str, None] = {}
        for voice in self.voices:
            for m in voice.mentions:
                seen.setdefault(m, None)
        return list(seen)

    @property
    def quotes(self) -> list[PersonQuote]:
        """Every quote, oldest first (undated last), then by article and position."""
        out = [quote_of(unit, quote) for unit in self.units for quote in unit.quotes]
        out.sort(key=lambda q: (q.date is None, q.date or "", q.title, q.start))
        return out

    def to_dict(self) -> dict[str, object]:
        """The row as a JSON-able dict: name, kind, variants and counts (not the quotes themselves)."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "variants": [{"name": v.name, "articles": v.articles, "quotes": v.quotes, "reason": v.reason} for v in self.variants],
            "quotes": self.quote_count,
            "articles": self.articles,
            "outlets": self.outlets,
            "first": self.first,
            "last": self.last,
        }


class Overrides:
    """The user's merges and splits, in `people.json` in the data dir.

    split: a name (as an article writes it, case-insensitively) taken out into its own row;
    merge: two row ids made one (the first keeps its id).

    A file that is not entirely understood (not JSON, or a value of the wrong type) is never
    overwritten unkept: `load` copies it to `people.json.damaged-TIME`, keeps what could be read
    (written back at once) and says so in `notice`, for the caller to show once."""

    VERSION = 1

    def __init__(self, file: Path | None = None) -> None:
        if file is None:
            from tui.core.paths import data_dir

            file = data_dir() / "people.json"
        self.file = Path(file)
        self.merges: list[list[str]] = []
        self.splits: list[str] = []
        self.notice: str | None = None  # what the user should be told about the file, once
        self._unsafe: str | None = None  # why `save` must not overwrite the file (no copy of it could be kept)

    def load(self) -> Overrides:
        """Read the merges and splits from the file (none when it is missing); returns self. A
        damaged file is kept aside and what could be read of it is used (see `notice`)."""
        try:
            raw = self.file.read_bytes()
        except FileNotFoundError:
            return self
        except OSError as exc:
            from tui.core.storage.atomic import describe_os_error

            self._unsafe = f"{self.file} cannot be read ({describe_os_error(exc)})"
            self.notice = f"{self._unsafe}; merges and splits are not saved until it can be."
            return self
        problem = self._parse(raw)
        if problem:
            self._keep_aside(problem)
        return self

    def _parse(self, raw: bytes) -> str | None:
        """Keep the merges and splits of `raw` that are understood; returns what was not (or None)."""
        try:
            data = orjson.loads(raw)
        except ValueError:
            return "it is not valid JSON"
        if not isinstance(data, dict):
            return "it is not a JSON object"
        merges, splits = data.get("merges", []), data.get("splits", [])
        problems = [f"unknown key {key[:40]!r}" for key in data if key not in ("version", "merges", "splits")]
        if data.get("version", self.VERSION) != self.VERSION:
            problems.append(f"version {str(data.get('version'))[:20]!r}")
        if isinstance(merges, list):
            good = [m for m in merges if isinstance(m, list) and len(m) == 2 and all(isinstance(x, str) for x in m)]
            self.merges = [list(m) for m in good]
            if len(good) < len(merges):
                problems.append(f"{len(merges) - len(good)} merge(s) not a pair of names")
        else:
            problems.append("merges is not a list")
        if isinstance(splits, list):
            self.splits = [s for s in splits if isinstance(s, str)]
            if len(self.splits) < len(splits):
                problems.append(f"{len(splits) - len(self.splits)} split(s) not a name")
        else:
            problems.append("splits is not a list")
        return "; ".join(problems) or None

    def _keep_aside(self, problem: str) -> None:
        """Keep a copy of the damaged file (`people.json.damaged-TIME`), write back what was
        understood in its place, and say so in `notice`."""
        from tui.core.storage.atomic import describe_os_error
        from tui.core.storage.status import copy_aside

        try:
            backup = copy_aside(self.file)
        except OSError as exc:
            self._unsafe = f"{self.file} is damaged ({problem}) and could not be copied aside ({describe_os_error(exc)})"
            self.notice = f"{self._unsafe}; it is left untouched and merges and splits are not saved until it is fixed."
            return
        kept = f"{len(self.merges)} merge(s) and {len(self.splits)} split(s) that could be read are kept"
        self.notice = f"{self.file.name} was damaged ({problem}); it is kept as it was at {backup}; {kept}."
        try:
            self.save()
        except OSError as exc:  # the damaged file stays where it was; the copy is made
            self.notice += f" They could not be saved yet ({describe_os_error(exc)})."

    def save(self) -> None:
        """Write the merges and splits to the file, atomically (creating its folder if need be).
        OSError, the file untouched, when it was found damaged and could not be kept aside."""
        from tui.core.store import write_atomically

        if self._unsafe:
            raise OSError(f"{self._unsafe}; it was left untouched")
        self.file.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(
            self.file,
            orjson.dumps({"version": self.VERSION, "merges": self.merges, "splits": self.splits}, option=orjson.OPT_INDENT_2),
        )

    @property
    def state(self) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
        """What the rows depend on, comparable: changes whenever a merge or split does."""
        return tuple(map(tuple, self.merges)), tuple(self.splits)

    def merge(self, keep: str, other: str) -> None:
        """Make row `other` part of row `keep`, which keeps its id (in memory: `save` writes it)."""
        if keep != other and [keep, other] not in self.merges:
            self.merges.append([keep, other])

    def split(self, person: Person, variant: str) -> None:
        """Take `variant` out of `person`: undo the manual merge that brought it in, if one did;
        when it is the row's own name and merges of yours brought others in, those others stay
        together without it (the first of them keeps the row); else make it a row of its own."""
        voices = [v for v in person.voices if v.canonical.casefold() == variant.casefold()]
        sources = {v.auto_id for v in voices}
        undone = [m for m in self.merges if m[1] in sources or (m[0] in sources and m[0] != person.id)]
        if undone:
            self.merges = [m for m in self.merges if m not in undone]
            return
        brought_in = [m[1] for m in self.merges if m[0] == person.id]
        own_name = variant.casefold() == person.name.casefold() or person.id == "split:" + variant.casefold()
        if own_name and brought_in:
            self.merges = [m for m in self.merges if m[0] != person.id]
            self.merges += [[brought_in[0], other] for other in brought_in[1:]]
            return
        if variant.casefold() not in (s.casefold() for s in self.splits):
            self.splits.append(variant)

    def unsplit(self, variant: str) -> None:
        """Undo the split of `variant` (case-insensitive): it goes back to its automatic row."""
        self.splits = [s for s in self.splits if s.casefold() != variant.casefold()]


def quote_of(unit: Unit, quote: SummaryQuote) -> PersonQuote:
    """One quote of a unit's summary ([start, end, text, cue, confidence, mention, method, source?])."""
    e = unit.entry
    start, end, text, cue, confidence, mention, method = quote[:7]
    source = quote[7] if len(quote) > 7 else "model"
    return PersonQuote(
        e.id, str(e.path), e.title, e.date, e.source, start, end, text, cue, confidence, mention, unit.canonical, method, source
    )
