"""The per-article files of a database (`PATH.d/<article id>.json`) and what is cached of them.

Each file is a TinyDB database with two tables: `annotations` and `corrections` (speaker
corrections). Records are validated on every read; a damaged record is skipped (and left in the
file), a damaged file is moved aside (see `StoreStatus.quarantine`). What is derivable from the
files (per-article counts, tags, paths, which file holds which id) is cached in memory, and in a
summary file checked against each file's inode, mtime and size, so a start reads no article file
when nothing changed. `version()` is a token that changes with every write by any process.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any

from tui.core.annotations import Record, checked_record
from tui.core.correction_record import CORRECTIONS_TABLE, checked_correction
from tui.core.paths import dump_json, load_json
from tui.core.storage.atomic import write_atomically
from tui.core.storage.errors import CorruptDatabaseError
from tui.core.storage.status import StoreStatus
from tui.core.storage.tinydb_files import AtomicJSONStorage, Tables

StatKey = tuple[int, int, int]  # (inode, mtime_ns, size): a file unchanged since it was read

ANNOTATIONS_TABLE = "annotations"
SHARD_SUFFIX = ".json"
VERSION_FILE = ".version"
OWN_WRITES_KEPT = 10_000  # version tokens of our own writes remembered (see ShardFiles.own_writes)
JOURNAL_FILE = ".journal.json"
SUMMARY_FILE = ".summary"
SUMMARY_VERSION = 2  # 2: with speaker corrections (a summary of another version is not used)
CHECKERS = {ANNOTATIONS_TABLE: checked_record, CORRECTIONS_TABLE: checked_correction}
_SAFE_NAME = re.compile(r"[0-9A-Za-z_-]{1,64}")


def shard_dir_for(path: Path) -> Path:
    """Where the per-article files of the database `path` live."""
    return path.with_name(path.name + ".d")


def lock_path_for(path: Path) -> Path:
    """The cross-process lock file of the database `path`."""
    return path.with_name(path.name + ".lock")


def database_files(path: Path) -> tuple[Path, Path, Path]:
    """(main file, lock file, per-article folder) of the database `path`: what no output may replace."""
    return path, lock_path_for(path), shard_dir_for(path)


def shard_name(article_id: str) -> str:
    """The file name (without suffix) holding an article's annotations."""
    if _SAFE_NAME.fullmatch(article_id or ""):
        return article_id
    return "h" + sha256((article_id or "").encode("utf-8", "surrogatepass")).hexdigest()[:40]


def newer(a: Record, b: Record) -> bool:
    """Is record `a` newer than record `b` (ISO timestamps in UTC compare as strings)?"""
    return str(a.get("updated", "")) > str(b.get("updated", ""))


@dataclass
class ShardInfo:
    """What is cached of one per-article file: derivable data only, never the records.

    `ids` and `cids` are None when the info came from the summary file (ids are known once the
    file is read)."""

    key: StatKey  # (inode, mtime_ns, size) when read
    ids: set[str] | None = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)  # article id -> annotations
    tags: dict[str, int] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)
    cids: set[str] | None = field(default_factory=set)  # speaker corrections' ids
    ccount: int = 0  # speaker corrections
    cpaths: set[str] = field(default_factory=set)  # their article paths

    @classmethod
    def of(cls, key: StatKey, records: Iterable[Record], corrections: Iterable[Record] = ()) -> "ShardInfo":
        """The info of a file with these annotation and correction records."""
        info = cls(key)
        ids: set[str] = set()
        cids: set[str] = set()
        info.ids, info.cids = ids, cids
        for record in records:
            ids.add(record["id"])
            article = record.get("article_id", "")
            info.counts[article] = info.counts.get(article, 0) + 1
            for tag in record.get("tags") or ():
                info.tags[tag] = info.tags.get(tag, 0) + 1
            info.paths.add(record.get("article_path", ""))
        for record in corrections:
            cids.add(record["id"])
            info.ccount += 1
            info.cpaths.add(record.get("article_path", ""))
        return info

    def to_json(self) -> list[object]:
        """The summary file's form."""
        return [list(self.key), self.counts, self.tags, sorted(self.paths), self.ccount, sorted(self.cpaths)]

    @classmethod
    def from_json(cls, data: Any) -> "ShardInfo | None":  # a cache file's JSON, checked here
        """From the summary file (a cache: anything odd in it is simply not used)."""
        try:
            key, counts, tags, paths, ccount, cpaths = data
            key = (int(key[0]), int(key[1]), int(key[2]))
            if len(data[0]) != 3 or type(counts) is not dict or type(tags) is not dict or type(paths) is not list:
                return None
            if type(ccount) is not int or type(cpaths) is not list or not all(type(p) is str for p in cpaths):
                return None
            for value in (*counts.values(), *tags.values()):
                if type(value) is not int:
                    return None
            paths = set(paths)
            for path in paths:
                if type(path) is not str:
                    return None
            return cls(key, None, counts, tags, paths, None, ccount, set(cpaths))
        except (TypeError, ValueError, IndexError, AttributeError):
            return None


class ShardFiles:
    """The folder of per-article files: reading and validating them, and the cache of what they
    hold. Callers hold the store's lock."""

    def __init__(self, folder: Path, status: StoreStatus) -> None:
        self.dir = folder
        self.status = status
        self.infos: dict[str, ShardInfo] = {}
        self.ids: dict[str, set[str]] = {}  # annotation id -> file names holding it (files read so far)
        self.cids: dict[str, set[str]] = {}  # speaker correction id -> file names holding it
        self.scanned = False  # does `infos` cover every file of the folder?
        self.seen: str | None = None  # the version token the cache reflects
        self.own_writes: dict[str, str] = {}  # version token before each of our writes -> the one after
        self._bad_reported: set[tuple[str, str, int, str]] = set()

    def path(self, name: str) -> Path:
        """The file holding the records of the file name `name`."""
        return self.dir / f"{name}{SHARD_SUFFIX}"

    # -- versions ------------------------------------------------------------------------------
    def version(self) -> str:
        """A token that changes whenever any process changes the database (cheap: poll it)."""
        try:
            return (self.dir / VERSION_FILE).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""

    def cache_is_current(self) -> bool:
        """Does the cache reflect the last write of any process?"""
        return bool(self.seen) and self.version() == self.seen

    def bump_version(self, cache_current: bool) -> None:
        """Give the database a new version token (after a write), remembering which token it
        replaced: a chain of our own writes is then told apart from another process's."""
        before = self.version()
        token = f"{time.time_ns():x}-{uuid.uuid4().hex[:12]}"
        try:
            write_atomically(self.dir / VERSION_FILE, token.encode("ascii"), durable=False)
        except OSError:
            token = ""
        self.seen = (token or None) if cache_current else None
        if token:
            if len(self.own_writes) >= OWN_WRITES_KEPT:
                self.own_writes.clear()  # a long session: older writes are long reported
            self.own_writes[before] = token

    def changed_by_others(self, token: str, current: str) -> bool:
        """Has another process written between the versions `token` and `current`? Our own
        writes between them (each recorded with the token it replaced, under the lock) do not count."""
        seen: set[str] = set()
        while token != current and token in self.own_writes and token not in seen:
            seen.add(token)
            token = self.own_writes[token]
        return token != current

    # -- reading -------------------------------------------------------------------------------
    def parse(self, name: str) -> Tables:
        """The parsed content of one per-article file ({} if absent); CorruptDatabaseError for a
        file that is not JSON or not shaped as one (nothing is done to it)."""
        path = self.path(name)
        data = AtomicJSONStorage(path).read() or {}
        if not isinstance(data.get(ANNOTATIONS_TABLE, {}), dict):
            raise CorruptDatabaseError(f"{path} does not hold annotations", path, "not a Margin database")
        return data

    def read_raw(self, name: str) -> Tables:
        """The parsed content of one per-article file ({} if absent). A file that is not JSON or
        not shaped as one is quarantined (then {}), or refused for an explicit database."""
        try:
            return self.parse(name)
        except CorruptDatabaseError as exc:
            self.status.quarantine(self.path(name), exc.reason)
            self.forget(name)
            return {}

    def valid_records(self, name: str, table: object, kind: str = ANNOTATIONS_TABLE) -> list[Record]:
        """The loadable records of a table; damaged ones are skipped (kept in the file) with a notice."""
        unique: dict[str, Record] = {}
        bad: list[str] = []
        check = CHECKERS[kind]
        if not isinstance(table, dict):
            table = {}
            bad.append(f"its {kind!r} table is not an object")
        for doc in table.values():  # in insertion order: a later copy of an id wins
            record, why = check(doc)
            if record is None:
                bad.append(why)
            else:
                unique[record["id"]] = record
        if bad:
            key = (name, kind, len(bad), bad[0])
            if key not in self._bad_reported:
                self._bad_reported.add(key)
                what = "speaker correction" if kind == CORRECTIONS_TABLE else "annotation record"
                self.status.add_notice(
                    f"{len(bad)} damaged {what}(s) in {self.path(name)} were skipped and left in the file untouched ({bad[0]})."
                )
        return list(unique.values())

    def read(self, name: str) -> tuple[list[Record], list[Record]]:
        """(annotation records, speaker correction records) of one per-article file (a damaged
        file is quarantined, or only reported with `status.keep_damaged`: then nothing); the
        file's info and ids are remembered."""
        key = self.stat_key(name)
        if key is None:
            self.forget(name)
            return [], []
        if self.status.keep_damaged:  # a damaged file is reported in `status.damaged`, left untouched
            try:
                data = self.parse(name)
            except CorruptDatabaseError as exc:
                self.status.damaged[self.path(name)] = exc.reason
                self.forget(name)
                return [], []
            self.status.damaged.pop(self.path(name), None)
        else:
            data = self.read_raw(name)
        records = self.valid_records(name, data.get(ANNOTATIONS_TABLE, {}))
        corrections = self.valid_records(name, data.get(CORRECTIONS_TABLE, {}), CORRECTIONS_TABLE)
        if self.stat_key(name) is not None:
            self.remember(name, ShardInfo.of(key, records, corrections))
        return records, corrections

    def best(self, names: Iterable[str], kind: str = ANNOTATIONS_TABLE) -> list[Record]:
        """The records of `kind` in these files, the newest copy of each id."""
        best: dict[str, Record] = {}
        which = 1 if kind == CORRECTIONS_TABLE else 0
        for name in sorted(names):
            for record in self.read(name)[which]:
                seen = best.get(record["id"])
                if seen is None or newer(record, seen):
                    best[record["id"]] = record
        return list(best.values())

    def stat_key(self, name: str) -> StatKey | None:
        """(inode, mtime_ns, size) of a file, or None when it does not exist."""
        try:
            st = os.stat(self.path(name))
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    # -- the cache -----------------------------------------------------------------------------
    def forget(self, name: str) -> None:
        """Drop what is cached of a file."""
        info = self.infos.pop(name, None)
        if info is None:
            return
        for index, ids in ((self.ids, info.ids), (self.cids, info.cids)):
            for aid in ids or ():
                holders = index.get(aid)
                if holders:
                    holders.discard(name)
                    if not holders:
                        del index[aid]

    def remember(self, name: str, info: ShardInfo) -> None:
        """Cache what a file holds."""
        self.forget(name)
        self.infos[name] = info
        for aid in info.ids or ():
            self.ids.setdefault(aid, set()).add(name)
        for cid in info.cids or ():
            self.cids.setdefault(cid, set()).add(name)

    def load_summary(self) -> None:
        """Take the summary file's infos for the files not known yet."""
        try:
            data = load_json((self.dir / SUMMARY_FILE).read_bytes())
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("v") != SUMMARY_VERSION or not isinstance(data.get("shards"), dict):
            return
        for name, entry in data["shards"].items():
            info = ShardInfo.from_json(entry)
            if info is not None and isinstance(name, str) and name not in self.infos:
                self.infos[name] = info

    def save_summary(self) -> None:
        """The summary of every file (derivable: checked against each file's stat on use)."""
        if self.status.read_only:
            return
        payload = dump_json({"v": SUMMARY_VERSION, "shards": {n: i.to_json() for n, i in self.infos.items() if i.key}})
        try:
            write_atomically(self.dir / SUMMARY_FILE, payload, durable=False)
        except OSError:
            pass

    def refresh(self, force: bool = False) -> None:
        """Bring the info of every file up to date (cheap when nothing changed: a stat per file)."""
        token = self.version()
        if not force and self.scanned and token and token == self.seen:
            return
        if not self.scanned:
            self.load_summary()
        keys: dict[str, StatKey] = {}
        try:
            with os.scandir(self.dir) as entries:
                for entry in entries:
                    if entry.name.endswith(SHARD_SUFFIX) and not entry.name.startswith("."):
                        try:
                            st = entry.stat()
                        except FileNotFoundError:
                            continue
                        keys[entry.name[: -len(SHARD_SUFFIX)]] = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            pass
        for name in set(self.infos) - set(keys):
            self.forget(name)
        recent = time.time_ns() - 2_000_000_000  # files changed this recently are re-read anyway
        reread = 0
        for name, key in keys.items():
            cached = self.infos.get(name)
            if cached is None or cached.key != key or key[1] > recent:
                if cached is None or cached.key != key:
                    reread += 1
                self.read(name)
        self.scanned = True
        self.seen = token or None
        if reread:
            self.save_summary()

    def know_all_ids(self) -> None:
        """Read the files whose ids are not known yet (for imports and lookups of unknown ids)."""
        self.refresh()
        for name in [n for n, info in self.infos.items() if info.ids is None or info.cids is None]:
            self.read(name)
