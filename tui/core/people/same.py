"""The same quote in other articles: quotes whose words match, grouped — incrementally.

Candidates share a word 4-gram ("shingle"); each candidate pair is confirmed by rapidfuzz's
partial ratio on the normalised text, so a partial quote inside a longer one counts. `SameQuotes`
keeps the groups of every quote it has seen and the shingles of their words (two sorted numpy
arrays: a few bytes per shingle, bounded memory, nothing for the garbage collector to walk); an
update compares only the quotes of new or changed articles with the rest (a binary search in the
arrays finds their candidates). Groups and shingles are kept in the cache dir, one pair of
files per folder of articles (`same-quotes-SCOPE.json` and `.npz`), so a new session compares
only what is new since.

Pure Python: no Textual, no spaCy.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from tui.core.people.index import _UnionFind
from tui.core.people.names import fold
from tui.core.people.rows import Person, PersonQuote, Unit, quote_of
from tui.core.people.summary import SummaryQuote, _no_gc

if TYPE_CHECKING:
    import numpy as np
else:

    class _Numpy:
        """numpy, imported when first used (opening People does not wait for it)."""

        def __getattr__(self, name: str):
            import numpy

            return getattr(numpy, name)

    np = _Numpy()

SAME_MIN_WORDS = 6  # shorter quotes ("We will win.") are too common to tell anything
SAME_SHINGLE = 4  # words per shingle
SAME_COMMON = 50  # a shingle in more quotes than this is boilerplate: not used to find candidates
SAME_SCORE = 90  # rapidfuzz partial_ratio (0-100) from which two quotes are the same words
SAME_VERSION = 3
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# An editor's insertion inside a quote ("the MDC [Movement for Democratic Change]", "SADC
# (Southern African Development Community)") is not the speaker's words: left out when comparing.
_INSERTION = re.compile(r"\[[^\[\]]{0,200}\]|\([^()]{0,200}\)")

QuoteKey = tuple[str, int, int]  # (article id, start, end)


def quote_words(text: str) -> list[str]:
    """Normalised words of a quote: folded, without punctuation ("We’re" -> "we", "re")."""
    return _WORD.findall(fold(text))


def spoken_words(text: str) -> list[str]:
    """The words of a quote that compare with other versions: `quote_words` without an editor's
    insertions in brackets or parentheses."""
    return quote_words(_INSERTION.sub(" ", text))


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
    """The groups of every quote seen so far, and the shingles of their words (two numpy arrays,
    sorted by shingle: a few bytes per shingle, nothing for the garbage collector to walk);
    `update` compares only new quotes (and those whose group lost a member) with the others."""

    def __init__(self) -> None:
        self.position: dict[QuoteKey, int] = {}  # quote -> item number
        self.keys: list[QuoteKey] = []
        self.checksums: list[int] = []
        self.alive: list[bool] = []
        self.indexed: list[bool] = []  # its shingles are in the arrays
        self.shingles = np.zeros(0, dtype=np.int64)  # sorted shingle hashes ...
        self.items = np.zeros(0, dtype=np.int32)  # ... and the item each belongs to
        self.uf: _UnionFind[int] = _UnionFind()
        self.generation = 0
        self.saved_generation = 0
        self.compared = 0  # pairs compared by rapidfuzz in the last update
        self._grouped: dict[int, int] | None = None

    def update(self, quotes: list[tuple[str, int, int, str]]) -> int:
        """Bring the groups to `quotes` ((article id, start, end, text) each): quotes no longer there
        leave their groups (whose other members are compared again), new ones are compared with
        the quotes sharing a shingle. Returns how many quotes were new or gone."""
        with _no_gc():
            now: dict[QuoteKey, str] = {(a, s, e): t for a, s, e, t in quotes}
            position, alive, checksums = self.position, self.alive, self.checksums
            gone = [i for k, i in position.items() if alive[i] and (k not in now or checksums[i] != _checksum(now[k]))]
            recheck: set[int] = self._forget(gone) if gone else set()
            new = [self._add(key) for key in now if (i := position.get(key)) is None or not alive[i]]
            for i in new:
                self.checksums[i] = _checksum(now[self.keys[i]])
            if new or recheck:
                texts = _Texts(now, self.keys)
                unread = [i for i in range(len(self.keys)) if self.alive[i] and not self.indexed[i]]
                todo = set(new) | {i for i in recheck if self.alive[i]}
                if len(todo) * 4 > len(now):  # most quotes are new (a first run): one pass over all shingles
                    self.compared = self._compare_all(todo, sorted(set(unread) | set(new)), texts)
                else:
                    self._merge({i: texts.shingles(i) for i in unread if i not in todo})
                    self.compared = self._compare_some(todo, texts)
                self._grouped = None
        if new or gone:
            self.generation += 1
        return len(new) + len(gone)

    def _add(self, key: QuoteKey) -> int:
        i = len(self.keys)
        self.position[key] = i
        self.keys.append(key)
        self.checksums.append(0)
        self.alive.append(True)
        self.indexed.append(False)
        return i

    def _merge(self, shingles_of: dict[int, np.ndarray]) -> None:
        """Put these items' shingles into the sorted arrays."""
        if not shingles_of:
            return
        hashes = [self.shingles, *shingles_of.values()]
        owners = [self.items, *(np.full(len(h), i, dtype=np.int32) for i, h in shingles_of.items())]
        shingles, items = np.concatenate(hashes), np.concatenate(owners)
        order = np.argsort(shingles, kind="stable")
        self.shingles, self.items = shingles[order], items[order]
        for i in shingles_of:
            self.indexed[i] = True

    def _candidates(self, hashes: np.ndarray) -> np.ndarray:
        """The items sharing one of `hashes` (shingles shared by more than SAME_COMMON quotes left out)."""
        if not len(hashes) or not len(self.shingles):
            return np.zeros(0, dtype=np.int32)
        lo = np.searchsorted(self.shingles, hashes, side="left")
        hi = np.searchsorted(self.shingles, hashes, side="right")
        keep = (hi - lo >= 1) & (hi - lo <= SAME_COMMON)
        if not keep.any():
            return np.zeros(0, dtype=np.int32)
        return np.unique(np.concatenate([self.items[a:b] for a, b in zip(lo[keep], hi[keep])]))

    def _compare_some(self, todo: set[int], texts: _Texts) -> int:
        """Compare each quote of `todo` with the quotes sharing a shingle (those of the arrays and
        each other); then add their shingles to the arrays. Returns the pairs compared."""
        from rapidfuzz import fuzz

        mine = {a: texts.shingles(a) for a in sorted(todo)}
        self._merge({a: h for a, h in mine.items() if not self.indexed[a]})
        checked: set[tuple[int, int]] = set()
        keys, alive, find, ratio = self.keys, self.alive, self.uf.find, fuzz.partial_ratio
        compared = 0
        for a, hashes in mine.items():
            text = texts.text(a)
            if text is None:
                continue
            for b in self._candidates(hashes).tolist():
                if b == a or not alive[b] or keys[b][0] == keys[a][0]:
                    continue
                pair = (a, b) if a < b else (b, a)
                if pair in checked:
                    continue
                checked.add(pair)
                other = texts.text(b)
                if other is None or find(a) == find(b):
                    continue
                compared += 1
                if ratio(text, other) >= SAME_SCORE:
                    self.uf.union(a, b)
        return compared

    def _compare_all(self, todo: set[int], unindexed: list[int], texts: _Texts) -> int:
        """Index `unindexed`, then compare, shingle by shingle, every pair sharing one of which one
        is in `todo`. Returns the pairs compared."""
        from rapidfuzz import fuzz

        self._merge({i: texts.shingles(i) for i in unindexed})
        shingles, items = self.shingles, self.items
        if not len(shingles):
            return 0
        starts = np.flatnonzero(np.r_[True, shingles[1:] != shingles[:-1]])
        ends = np.r_[starts[1:], len(shingles)]
        sizes = ends - starts
        runs = (sizes >= 2) & (sizes <= SAME_COMMON)
        checked: set[tuple[int, int]] = set()
        keys, alive, find, ratio = self.keys, self.alive, self.uf.find, fuzz.partial_ratio
        compared = 0
        for start, end in zip(starts[runs].tolist(), ends[runs].tolist()):
            members = items[start:end].tolist()
            for x, a in enumerate(members):
                if not alive[a]:
                    continue
                for b in members[x + 1 :]:
                    if not alive[b] or keys[b][0] == keys[a][0] or (a not in todo and b not in todo):
                        continue
                    pair = (a, b) if a < b else (b, a)
                    if pair in checked:
                        continue
                    checked.add(pair)
                    if find(a) == find(b):
                        continue
                    mine, theirs = texts.text(a), texts.text(b)
                    if mine is None or theirs is None:
                        continue
                    compared += 1
                    if ratio(mine, theirs) >= SAME_SCORE:
                        self.uf.union(a, b)
        return compared

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
        """Write the quotes seen and their groups to `file`, and their shingles next to it (`.npz`);
        never raises."""
        from tui.core.store import write_atomically

        live = [i for i in range(len(self.keys)) if self.alive[i]]
        number = np.full(len(self.keys), -1, dtype=np.int64)
        number[live] = np.arange(len(live))
        groups: dict[int, list[int]] = {}
        for i, root in self.grouped().items():
            groups.setdefault(root, []).append(int(number[i]))
        quotes = [[*self.keys[i], self.checksums[i], self.indexed[i]] for i in live]
        stamp = _stamp(quotes)  # which quotes the arrays number
        document = {
            "version": SAME_VERSION,
            "quotes": quotes,
            "groups": [g for g in groups.values() if len(g) > 1],
            "stamp": stamp,
        }
        renumbered = number[self.items] if len(self.items) else np.zeros(0, dtype=np.int64)
        keep = renumbered >= 0
        try:
            Path(file).parent.mkdir(parents=True, exist_ok=True)
            buffer = io.BytesIO()
            np.savez(
                buffer,
                shingles=self.shingles[keep],
                items=renumbered[keep].astype(np.int32),
                stamp=np.array([stamp], dtype=np.int64),
            )
            write_atomically(_arrays_file(file), buffer.getvalue(), durable=False)
            write_atomically(Path(file), orjson.dumps(document), durable=False)
            self.saved_generation = self.generation
        except OSError:
            pass

    def load(self, file: Path) -> SameQuotes:
        """Read the quotes, groups and shingles kept in `file` (nothing when it is missing, damaged or
        of another version; the shingles are made again when their file is missing)."""
        try:
            data = orjson.loads(Path(file).read_bytes())
            if data.get("version") != SAME_VERSION:
                return self
            with _no_gc():
                for article_id, start, end, checksum, indexed in data["quotes"]:
                    i = self._add((str(article_id), int(start), int(end)))
                    self.checksums[i] = int(checksum)
                    self.indexed[i] = bool(indexed)
                for group in data["groups"]:
                    for other in group[1:]:
                        self.uf.union(int(group[0]), int(other))
            try:
                with np.load(_arrays_file(file)) as arrays:
                    shingles, items = arrays["shingles"].astype(np.int64), arrays["items"].astype(np.int32)
                    stamp = int(arrays["stamp"][0])
                if stamp != data.get("stamp") or len(shingles) != len(items):
                    raise ValueError("shingles of other quotes (another process wrote one of the files)")
                self.shingles, self.items = shingles, items
            except (OSError, ValueError, KeyError):
                self.indexed = [False] * len(self.keys)  # made again at the next update with new quotes
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            self.__init__()  # type: ignore[misc]  # a damaged file: compare afresh
        return self


class _Texts:
    """The normalised words and shingles of the quotes of one update, made when first asked for."""

    def __init__(self, now: dict[QuoteKey, str], keys: list[QuoteKey]) -> None:
        self.now = now
        self.keys = keys
        self._texts: dict[int, str | None] = {}

    def text(self, i: int) -> str | None:
        """Quote `i`'s normalised words, or None when it is too short to compare."""
        if i not in self._texts:
            words = spoken_words(self.now.get(self.keys[i], ""))
            self._texts[i] = " ".join(words) if len(words) >= SAME_MIN_WORDS else None
        return self._texts[i]

    def shingles(self, i: int) -> np.ndarray:
        """Quote `i`'s shingle hashes (none when it is too short)."""
        text = self.text(i)
        if text is None:
            return np.zeros(0, dtype=np.int64)
        return np.fromiter(_shingles(text.split()), dtype=np.int64)


def _stamp(quotes: list[list[object]]) -> int:
    """A digest of the quotes list: the arrays are used only with the list they were saved with."""
    return zlib.crc32(orjson.dumps(quotes))


def _arrays_file(file: Path) -> Path:
    return Path(file).with_suffix(".npz")


def _checksum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _shingles(words: list[str]) -> set[int]:
    """The hashes of a quote's runs of SAME_SHINGLE words (stable across processes: kept on disk)."""
    crc32 = zlib.crc32
    encoded = [w.encode("utf-8", "surrogatepass") for w in words]
    return {crc32(b" ".join(encoded[i : i + SAME_SHINGLE])) for i in range(len(encoded) - SAME_SHINGLE + 1)}


_SHARED: dict[str, SameQuotes] = {}
_LOCK = threading.Lock()


def same_quotes(people: list[Person], file: Path | None | bool = True) -> dict[QuoteKey, QuoteGroup]:
    """Quotes whose words appear in another article too (fuzzy: partial quotes inside longer ones
    count), grouped: {(article id, start, end): its group}. Incremental: the grouping is kept per
    process and in `file` (False: not kept on disk; default: `same-quotes-SCOPE.json` in the
    cache dir, SCOPE naming the folder that holds the articles — a library, the paths given to a
    command, a corpus each keep their own), and only the quotes of new or changed articles are
    compared."""
    with _no_gc():
        spans: list[tuple[str, int, int, str]] = []
        makers = []
        folders: set[str] = set()
        for person in people:
            for unit in person.units:
                folders.add(os.path.dirname(str(unit.entry.path)))
                for raw in unit.quotes:
                    spans.append((unit.entry.id, raw[0], raw[1], raw[2]))
                    makers.append(partial(_made, person, unit, raw))
        if file is True:
            from tui.core.paths import cache_dir

            file = cache_dir() / "people" / f"same-quotes-{_scope(folders)}.json"
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


def _scope(folders: set[str]) -> str:
    """A short name for the folder holding all of `folders` (the same library: the same name)."""
    try:
        common = os.path.commonpath(sorted(folders)) if folders else ""
    except ValueError:  # different drives
        common = "\n".join(sorted(folders))
    return hashlib.blake2b(common.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def _made(person: Person, unit: Unit, raw: SummaryQuote) -> tuple[Person, PersonQuote]:
    return person, quote_of(unit, raw)


def word_differences(earliest: str, other: str) -> list[dict[str, str]]:
    """Word-level differences of `other` from `earliest` (normalised words): each
    {"op": "replace" | "delete" | "insert", "earliest": words, "this": words}."""
    from difflib import SequenceMatcher

    a, b = quote_words(earliest), quote_words(other)
    out: list[dict[str, str]] = []
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
