"""The same quote in other articles: quotes whose words match, grouped — incrementally.

Candidates share a word 4-gram ("shingle"); each candidate pair is confirmed by rapidfuzz's
partial ratio on the normalised text, so a partial quote inside a longer one counts. `SameQuotes`
keeps the groups of every quote it has seen: an update compares only the quotes of new or
changed articles with the rest, and the groups are kept in a small file in the cache dir, so a
new session does not compare every pair again. The shingles are made only for an update that
has new quotes, and freed after it (memory stays bounded by the groups, not the shingles).

Pure Python: no Textual, no spaCy.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import orjson

from tui.core.people.index import _UnionFind
from tui.core.people.names import fold
from tui.core.people.rows import Person, PersonQuote, Unit, quote_of
from tui.core.people.summary import _no_gc

SAME_MIN_WORDS = 6  # shorter quotes ("We will win.") are too common to tell anything
SAME_SHINGLE = 4  # words per shingle
SAME_COMMON = 50  # a shingle in more quotes than this is boilerplate: not used to find candidates
SAME_SCORE = 90  # rapidfuzz partial_ratio (0-100) from which two quotes are the same words
SAME_VERSION = 1
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

QuoteKey = tuple[str, int, int]  # (article id, start, end)


def quote_words(text: str) -> list[str]:
    """Normalised words of a quote: folded, without punctuation ("We’re" -> "we", "re")."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class QuoteGroup:
    """Quotes of several articles with the same words: (person, quote) pairs, earliest first."""

    id: str
    members: list[tuple[Person, PersonQuote]]  # earliest first (undated last)

    @property
    def articles(self) -> int:
        """In how many articles the quote appears."""
        return len({q.article_id for _, q in self.members})


class SameQuotes:
    """The shingles and groups of every quote seen so far; `update` compares only new quotes."""

    def __init__(self) -> None:
        self.position: dict[QuoteKey, int] = {}  # quote -> item number
        self.keys: list[QuoteKey] = []
        self.checksums: list[int] = []
        self.texts: list[str | None] = []  # normalised words; None: too short, or not made now
        self.alive: list[bool] = []
        self.postings: dict[int, list[int]] = {}
        self.indexed: list[bool] = []  # its shingles are in `postings`
        self.uf: _UnionFind[int] = _UnionFind()
        self.generation = 0
        self.saved_generation = 0
        self.compared = 0  # pairs compared by rapidfuzz in the last update
        self._grouped: dict[int, int] | None = None

    def update(self, quotes: list[tuple[str, int, int, str]]) -> int:
        """Bring the groups to `quotes` ((article id, start, end, text) each): quotes no longer there
        leave their groups (which are re-checked), new ones are compared with the quotes sharing
        a shingle. Returns how many quotes were new or gone."""
        with _no_gc():
            now: dict[QuoteKey, str] = {(a, s, e): t for a, s, e, t in quotes}
            gone = [
                i for k, i in self.position.items() if self.alive[i] and (k not in now or self.checksums[i] != _checksum(now[k]))
            ]
            recheck: set[int] = set()
            if gone:
                recheck = self._forget(gone)
            new: dict[int, set[int]] = {}  # new quote -> its shingles
            unread = [
                (i, text)
                for key, text in now.items()
                if (i := self.position.get(key)) is not None and self.alive[i] and not self.indexed[i]
            ]
            for key, text in now.items():
                i = self.position.get(key)
                if i is None or not self.alive[i]:
                    i = self._add(key, text)
                    new[i] = self._index(i, text)
            if new or recheck:
                for i, text in unread:  # read from the file: their shingles, no comparison needed
                    self._index(i, text)
            todo = set(new) | {i for i in recheck if self.alive[i]}
            if len(todo) * 4 > len(now):  # most quotes are new (a first run): walk the postings once
                self.compared = self._compare_all(todo)
            else:
                self.compared = self._compare_some(todo, new)
            self._grouped = None
            if new or recheck:
                self._drop_shingles()
        if new or gone:
            self.generation += 1
        return len(new) + len(gone)

    def _drop_shingles(self) -> None:
        """Free the shingles and normalised texts (the bulk of the memory); the next update with
        new quotes makes them again (a fraction of a second for 60,000 quotes)."""
        self.postings = {}
        self.texts = [None] * len(self.keys)
        self.indexed = [False] * len(self.keys)

    def _compare_some(self, todo: set[int], shingles_of: dict[int, set[int]]) -> int:
        """Compare each quote of `todo` with the quotes sharing a shingle; returns pairs compared."""
        from rapidfuzz import fuzz

        checked: set[tuple[int, int]] = set()
        items, keys, alive, postings = self.texts, self.keys, self.alive, self.postings
        find, ratio = self.uf.find, fuzz.partial_ratio
        compared = 0
        for a in sorted(todo):
            mine = items[a]
            if mine is None:
                continue
            article = keys[a][0]
            shingles = shingles_of.get(a)
            for shingle in shingles if shingles is not None else _shingles(mine.split()):
                members = postings.get(shingle)
                if members is None or len(members) < 2 or len(members) > SAME_COMMON:
                    continue
                for b in members:
                    theirs = items[b]
                    if b == a or theirs is None or not alive[b] or keys[b][0] == article:
                        continue
                    pair = (a, b) if a < b else (b, a)
                    if pair in checked:
                        continue
                    checked.add(pair)
                    if find(a) == find(b):
                        continue
                    compared += 1
                    if ratio(mine, theirs) >= SAME_SCORE:
                        self.uf.union(a, b)
        return compared

    def _compare_all(self, todo: set[int]) -> int:
        """Compare, posting by posting, every pair of quotes sharing a shingle of which one is in `todo`."""
        from rapidfuzz import fuzz

        checked: set[tuple[int, int]] = set()
        items, keys, alive = self.texts, self.keys, self.alive
        find, ratio = self.uf.find, fuzz.partial_ratio
        compared = 0
        for members in self.postings.values():
            if len(members) < 2 or len(members) > SAME_COMMON:
                continue
            for x, a in enumerate(members):
                mine = items[a]
                if mine is None or not alive[a]:
                    continue
                article = keys[a][0]
                for b in members[x + 1 :]:
                    theirs = items[b]
                    if theirs is None or not alive[b] or keys[b][0] == article or (a not in todo and b not in todo):
                        continue
                    pair = (a, b) if a < b else (b, a)
                    if pair in checked:
                        continue
                    checked.add(pair)
                    if find(a) == find(b):
                        continue
                    compared += 1
                    if ratio(mine, theirs) >= SAME_SCORE:
                        self.uf.union(a, b)
        return compared

    def _add(self, key: QuoteKey, text: str) -> int:
        i = len(self.keys)
        self.position[key] = i
        self.keys.append(key)
        self.checksums.append(_checksum(text))
        self.texts.append(None)
        self.alive.append(True)
        self.indexed.append(False)
        return i

    def _index(self, i: int, text: str) -> set[int]:
        """Put quote `i`'s shingles in the postings; returns them."""
        words = quote_words(text)
        self.indexed[i] = True
        if len(words) < SAME_MIN_WORDS:
            return set()
        self.texts[i] = " ".join(words)
        postings = self.postings
        shingles = _shingles(words)
        for shingle in shingles:
            members = postings.get(shingle)
            if members is None:
                postings[shingle] = [i]
            elif len(members) <= SAME_COMMON:  # past it the shingle is not used: bounded memory
                members.append(i)
        return shingles

    def grouped(self) -> dict[int, int]:
        """{quote number: its group's root} for the quotes in a group (not the single ones)."""
        if self._grouped is None:
            find = self.uf.find
            grouped = {i: find(i) for i in list(self.uf.parent) if self.alive[i]}
            for root in set(grouped.values()):
                grouped[root] = root
            self._grouped = grouped
        return self._grouped

    def _forget(self, gone: list[int]) -> set[int]:
        """Take `gone` out; the other members of their groups are made single again (to re-check)."""
        gone_set = set(gone)
        roots = {self.uf.find(i) for i in gone}
        members = [i for i in range(len(self.keys)) if self.alive[i] and self.uf.find(i) in roots]
        for i in [*members, *gone_set]:
            self.uf.parent.pop(i, None)
        for i in gone_set:
            self.alive[i] = False
            self.texts[i] = None
        return {i for i in members if i not in gone_set}

    def groups(self, quotes: Iterable[tuple[QuoteKey, Callable[[], tuple[Person, PersonQuote]]]]) -> dict[QuoteKey, QuoteGroup]:
        """{(article id, start, end): its group} for the grouped quotes among `quotes` (each its
        key and a callable making its (person, quote): only grouped ones are made)."""
        grouped, position = self.grouped(), self.position
        by_root: dict[int, list[tuple[Person, PersonQuote]]] = {}
        for key, make in quotes:
            i = position.get(key)
            root = grouped.get(i) if i is not None else None
            if root is not None:
                by_root.setdefault(root, []).append(make())
        out: dict[QuoteKey, QuoteGroup] = {}
        for members in by_root.values():
            if len({q.article_id for _, q in members}) < 2:
                continue
            ordered = sorted(members, key=lambda pq: (pq[1].date is None, pq[1].date or "", pq[1].article_id, pq[1].start))
            first = ordered[0][1]
            group = QuoteGroup(f"q:{first.article_id}:{first.start}", ordered)
            for _, quote in ordered:
                out[(quote.article_id, quote.start, quote.end)] = group
        return out

    # -- on disk ---------------------------------------------------------------------------------
    def save(self, file: Path) -> None:
        """Write the quotes seen and their groups to `file`; never raises."""
        from tui.core.store import write_atomically

        live = [i for i in range(len(self.keys)) if self.alive[i]]
        number = {i: n for n, i in enumerate(live)}
        groups: dict[int, list[int]] = {}
        for i, root in self.grouped().items():
            groups.setdefault(root, []).append(number[i])
        document = {
            "version": SAME_VERSION,
            "quotes": [[*self.keys[i], self.checksums[i]] for i in live],
            "groups": [g for g in groups.values() if len(g) > 1],
        }
        try:
            Path(file).parent.mkdir(parents=True, exist_ok=True)
            write_atomically(Path(file), orjson.dumps(document), durable=False)
            self.saved_generation = self.generation
        except OSError:
            pass

    def load(self, file: Path) -> SameQuotes:
        """Read the quotes and groups of `file` (nothing when it is missing, damaged or of another
        version); their shingles are made on the next `update`, without comparing them again."""
        try:
            data = orjson.loads(Path(file).read_bytes())
            if data.get("version") != SAME_VERSION:
                return self
            with _no_gc():
                for article_id, start, end, checksum in data["quotes"]:
                    key = (str(article_id), int(start), int(end))
                    self.position[key] = len(self.keys)
                    self.keys.append(key)
                    self.checksums.append(int(checksum))
                    self.texts.append(None)
                    self.alive.append(True)
                    self.indexed.append(False)
                for group in data["groups"]:
                    for other in group[1:]:
                        self.uf.union(int(group[0]), int(other))
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            self.__init__()  # type: ignore[misc]  # a damaged file: compare afresh
        return self


def _checksum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _shingles(words: list[str]) -> set[int]:
    return {hash(tuple(words[i : i + SAME_SHINGLE])) for i in range(len(words) - SAME_SHINGLE + 1)}


_SHARED: dict[str, SameQuotes] = {}
_LOCK = threading.Lock()


def same_quotes(people: list[Person], file: Path | None | bool = True) -> dict[QuoteKey, QuoteGroup]:
    """Quotes whose words appear in another article too (fuzzy: partial quotes inside longer ones
    count), grouped: {(article id, start, end): its group}. Incremental: the grouping is kept per
    process and in `file` (default: `same-quotes.json` in the cache dir; False: not kept on disk),
    and only the quotes of new or changed articles are compared."""
    if file is True:
        from tui.core.paths import cache_dir

        file = cache_dir() / "people" / "same-quotes.json"
    with _no_gc():
        spans: list[tuple[str, int, int, str]] = []
        makers = []
        for person in people:
            for unit in person.units:
                for raw in unit.quotes:
                    spans.append((unit.entry.id, raw[0], raw[1], raw[2]))
                    makers.append(partial(_made, person, unit, raw))
        with _LOCK:
            key = str(file) if file else ""
            same = _SHARED.get(key) if file else None
            if same is None:
                same = SameQuotes().load(file) if file else SameQuotes()
                if file:
                    _SHARED[key] = same
            same.update(spans)
            if file and same.generation != same.saved_generation:
                same.save(file)
            return same.groups(((a, s, e), make) for (a, s, e, _), make in zip(spans, makers))


def _made(person: Person, unit: Unit, raw: list) -> tuple[Person, PersonQuote]:
    return person, quote_of(unit, raw)


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
                pieces.append((other[position : b[j1][0]], "same"))
                position = b[j1][0]
            pieces.append((earliest[a[i1][0] : a[i2 - 1][1]], "missing"))
        if j1 < j2:
            start, end = b[j1][0], b[j2 - 1][1]
            if position < start:
                pieces.append((other[position:start], "same"))
            pieces.append((other[start:end], "same" if op == "equal" else "changed"))
            position = end
    if position < len(other):
        pieces.append((other[position:], "same"))
    return pieces
