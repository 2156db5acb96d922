"""The annotation store: TinyDB on a crash-safe storage, one file per article, shared between processes.

Layout (schema 2). The database the user names (`--db PATH`, `$MARGIN_DB`, default
`annotations.json` in the data dir) is the *main file*; it holds the schema version. Annotations
live beside it, in `PATH.d/`, one TinyDB file per article (`<article id>.json`), so saving one
annotation rewrites one small file however many are stored. A schema-1 database (every
annotation inside the main file) is migrated automatically on open; a copy of the old file is
kept next to it.

- `AtomicJSONStorage` (TinyDB's storage extension point) writes a temporary file in the same
  folder, flushes and fsyncs it, then `os.replace`s it over the old one and fsyncs the folder: a
  crash at any moment leaves either the old or the new file, never a torn one.
- Every operation holds a cross-process file lock (`PATH.lock`), so two Margin processes never
  lose each other's writes. An operation touching several files (moving re-anchored
  annotations, imports, migration) first writes a journal; whoever takes the lock next after a
  crash replays it, so such operations happen entirely or (until replayed) not at all.
- `version()` is a cheap token (one small file read) that changes with every write by any
  process: poll it and compare, or call `changed_since(token)`.
- A file that cannot be parsed is moved aside with a timestamp (never deleted) and the store
  carries on with a fresh one (`notice` says so in one sentence), unless the caller named the
  database explicitly, in which case `CorruptDatabaseError` is raised and nothing is touched.
- What is derivable (per-article counts, tags, the id → file index) is cached in memory only.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
import time
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha256
from pathlib import Path

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage

from tui.core.annotations import Annotation, checked_record, now_iso
from tui.core.correction_record import CORRECTIONS_TABLE, SpeakerCorrection, checked_correction

SCHEMA_VERSION = 2
ANNOTATIONS_TABLE = "annotations"
META_TABLE = "meta"
LAYOUT = "per-article"
SHARD_SUFFIX = ".json"
VERSION_FILE = ".version"
JOURNAL_FILE = ".journal.json"
SUMMARY_FILE = ".summary"
SUMMARY_VERSION = 2  # 2: with speaker corrections (a summary of another version is not used)
READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
LOCK_TIMEOUT = 10.0
_SAFE_NAME = re.compile(r"[0-9A-Za-z_-]{1,64}")


class StoreError(Exception):
    """The database cannot be used; the message is one clear sentence for the user."""


class CorruptDatabaseError(StoreError):
    """A database file cannot be parsed; `path` and `reason` say which and why."""
    def __init__(self, message: str, path: Path | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason or message


class SpecialFileError(OSError):
    """A path that is a device, FIFO or socket: Margin never reads or replaces it."""


def check_not_special(path: Path) -> None:
    """Raise SpecialFileError if `path` (followed through symlinks) is a device, FIFO or socket."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
        return
    kind = ("a character device" if stat.S_ISCHR(st.st_mode) else "a block device" if stat.S_ISBLK(st.st_mode)
            else "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
    raise SpecialFileError(errno.EINVAL, f"{path} is {kind}, not a regular file; it was left untouched")


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, atomic durable writes, a clear error for damaged files."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self):
        """The file's JSON, None when it does not exist or is empty; CorruptDatabaseError when it cannot be parsed."""
        check_not_special(self.path)
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not data.strip():
            return None
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise CorruptDatabaseError(f"{self.path} is not valid JSON ({exc})", self.path, "not valid JSON") from None
        if not isinstance(parsed, dict) or not all(isinstance(t, dict) for t in parsed.values()):
            raise CorruptDatabaseError(
                f"{self.path} does not hold a Margin database", self.path, "not a Margin database"
            )
        return parsed

    def write(self, data) -> None:
        """Replace the file's content atomically and durably."""
        write_atomically(self.path, orjson.dumps(data))

    def close(self) -> None:
        """Nothing to release: every read and write opens and closes the file."""
        pass


def _write_payload(handle, payload: bytes) -> None:
    """The one place where the store writes bytes (tests inject ENOSPC / EROFS here)."""
    handle.write(payload)


def _acquire(lock: FileLock) -> None:
    """Take the cross-process lock (tests inject EROFS here, as a read-only mount does)."""
    lock.acquire()


def _write_temporary(path: Path, payload: bytes, durable: bool = True) -> str:
    """Write `payload` to a new temporary file beside `path`; returns its path (removed on failure)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_payload(handle, payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return tmp


def write_atomically(path: Path, payload: bytes, durable: bool = True) -> None:
    """Write `payload` to `path` so that readers see the old or the new content, never a mix.

    A symlink is written through (its target is replaced, the link stays); a device, FIFO or
    socket is refused (SpecialFileError), never replaced. `durable=False` skips the fsyncs (for
    hints that may be lost in a power cut, never data)."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    check_not_special(path)
    tmp = _write_temporary(path, payload, durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk (after a rename), where the platform allows it."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def describe_os_error(exc: OSError) -> str:
    """An OSError as a few plain words."""
    return {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EROFS: "the disk is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EIO: "input/output error (the disk may be failing)",
    }.get(exc.errno or 0) or (exc.strerror or str(exc)).rstrip(".")


def shard_dir_for(path: Path) -> Path:
    """Where the per-article files of the database `path` live."""
    return path.with_name(path.name + ".d")


def shard_name(article_id: str) -> str:
    """The file name (without suffix) holding an article's annotations."""
    if _SAFE_NAME.fullmatch(article_id or ""):
        return article_id
    return "h" + sha256((article_id or "").encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _timestamp() -> str:
    return f"{datetime.now():%Y%m%dT%H%M%S}"


def _newer(a: dict, b: dict) -> bool:
    """Is record `a` newer than record `b` (ISO timestamps in UTC compare as strings)?"""
    return str(a.get("updated", "")) > str(b.get("updated", ""))


@dataclass
class _ShardInfo:
    """What is cached of one per-article file: derivable data only, never the records.

    `ids` is None when the info came from the summary file (ids are known once the file is read)."""

    key: tuple  # (inode, mtime_ns, size) when read
    ids: set[str] | None = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)  # article id -> annotations
    tags: dict[str, int] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)
    cids: set[str] | None = field(default_factory=set)  # speaker corrections' ids (None: from the summary)
    ccount: int = 0  # speaker corrections
    cpaths: set[str] = field(default_factory=set)  # their article paths

    @classmethod
    def of(cls, key: tuple, records, corrections=()) -> "_ShardInfo":
        info = cls(key)
        ids = info.ids if info.ids is not None else set()
        info.ids = ids
        cids = info.cids if info.cids is not None else set()
        info.cids = cids
        for record in corrections:
            cids.add(record.get("id"))
            info.ccount += 1
            info.cpaths.add(record.get("article_path", ""))
        for record in records:
            ids.add(record.get("id"))
            article = record.get("article_id", "")
            info.counts[article] = info.counts.get(article, 0) + 1
            for tag in record.get("tags") or ():
                info.tags[tag] = info.tags.get(tag, 0) + 1
            info.paths.add(record.get("article_path", ""))
        return info

    def to_json(self) -> list:
        return [list(self.key), self.counts, self.tags, sorted(self.paths), self.ccount, sorted(self.cpaths)]

    @classmethod
    def from_json(cls, data) -> "_ShardInfo | None":
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


class AnnotationStore:
    """All annotations of one user. Open with `AnnotationStore.open(path, explicit=...)`.

    Opening reads the main file only; per-article files are read when an operation needs them
    (an article's annotations read one file; counts and tags come from a summary cache checked
    against each file's inode, mtime and size), so the cost follows the articles touched."""

    def __init__(self, path: Path, explicit: bool = False) -> None:
        self.path = Path(path)
        self.dir = shard_dir_for(self.path)
        self.explicit = explicit
        self.notice: str | None = None  # set when a damaged file had to be moved aside
        self.read_only: str | None = None  # why the database cannot be written now, or None
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)  # the main file: meta only
        self._shards: dict[str, _ShardInfo] = {}
        self._ids: dict[str, set[str]] = {}  # annotation id -> shard names holding it (files read so far)
        self._cids: dict[str, set[str]] = {}  # speaker correction id -> shard names holding it
        # Speaker corrections that could not be saved (a read-only database): kept here, shown,
        # and saved by `tui.core.corrections.retry_unsaved_corrections` when the disk allows it.
        self.unsaved_corrections: dict[str, SpeakerCorrection] = {}
        self._scanned = False  # does `_shards` cover every file of the folder?
        self._seen: str | None = None  # the version token the cache reflects
        self._bad_reported: set[tuple] = set()

    # -- opening ------------------------------------------------------------------------------
    @staticmethod
    def resolve(path: str | Path) -> Path:
        """The database path as used everywhere: `~` expanded, symlinks resolved (a symlinked
        database is its target), special files (devices, FIFOs, sockets) refused."""
        path = Path(os.path.realpath(Path(path).expanduser()))
        if path.is_dir():
            raise StoreError(f"the annotations database {path} is a folder; give the path of its main file")
        try:
            check_not_special(path)
        except SpecialFileError as exc:
            raise StoreError(f"the annotations database {exc.strerror}; give the path of a regular file") from None
        return path

    @classmethod
    def open(cls, path: str | Path, explicit: bool = False) -> "AnnotationStore":
        """Open (or create) the database at `path`; `explicit` when the user named it (a damaged file is then an error, not moved aside)."""
        path = cls.resolve(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if not path.parent.is_dir():
                raise StoreError(f"cannot create the folder for the database {path}: {describe_os_error(exc)}") from None
        store = cls(path, explicit=explicit)
        with store._locked("open"):
            store._startup()
        return store

    def _startup(self) -> None:
        if not self.read_only:
            self._replay_journal()  # first: its prepared files look like stale temporaries
            self._remove_stale_temporaries()
        try:
            tables = self._db.storage.read() or {}
        except CorruptDatabaseError as exc:
            self._quarantine(self.path, exc.reason, main=True)
            tables = {}
        meta_rows = list((tables.get(META_TABLE) or {}).values())
        if meta_rows and not isinstance(meta_rows[0], dict):
            self._quarantine(self.path, "its schema record is not an object", main=True)
            tables, meta_rows = {}, []
        version = meta_rows[0].get("schema") if meta_rows else None
        if meta_rows and (not isinstance(version, int) or version < 1):
            self._quarantine(self.path, f"unknown schema {version!r}", main=True)
            tables, meta_rows, version = {}, [], None
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer Margin (schema {version}); upgrade Margin to open it"
            )
        if self.read_only:
            return  # nothing can be migrated or created: read what is there
        if version is None and (tables.get(ANNOTATIONS_TABLE) or {}):
            version = 1  # annotations without meta: an early schema-1 file
        try:
            if version == 1 or (tables.get(ANNOTATIONS_TABLE) or {}):
                # Schema 1, or annotations an older Margin, still running, added to the main file
                # after the migration: move them to the per-article files too.
                self._migrate_1_to_2(tables)
            elif version is None:
                self._write_meta(created=now_iso())
        except OSError as exc:
            if exc.errno not in READ_ONLY_ERRNOS:
                raise
            self._set_read_only(exc)

    def _write_meta(self, created: str, **extra) -> None:
        meta = {"schema": SCHEMA_VERSION, "layout": LAYOUT, "shards": self.dir.name, "created": created, **extra}
        write_atomically(self.path, orjson.dumps({META_TABLE: {"1": meta}}))

    def _migrate_1_to_2(self, tables: dict) -> None:
        """Schema 1 kept every annotation in the main file: move them to per-article files."""
        records = list((tables.get(ANNOTATIONS_TABLE) or {}).values())
        meta_rows = list((tables.get(META_TABLE) or {}).values())
        created = (meta_rows[0].get("created") if meta_rows else None) or now_iso()
        backup = self.path.with_name(f"{self.path.name}.schema1-{_timestamp()}.bak")
        if records:
            shutil.copy2(self.path, backup)
            fsync_dir(backup.parent)
        checked = [checked_record(r) for r in records]
        records = [r for r, _ in checked if r is not None]
        bad = [why for r, why in checked if r is None]
        if bad:
            self._add_notice(f"{len(bad)} damaged annotation record(s) of {self.path} were skipped ({bad[0]}); "
                             f"the file as it was is kept at {backup}.")
        if records:
            self._know_all_ids()
            holders = set().union(*(self._ids.get(r["id"], set()) for r in records))
            stored = {r["id"]: r for r in self._records(holders)}
            self._apply([r for r in records if r["id"] not in stored or _newer(r, stored[r["id"]])], [])
        self._write_meta(created=created, migrated_from=1, migrated=now_iso())

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a process killed mid-write (we hold the lock: none is live)."""
        candidates = []
        try:
            candidates += [p for p in self.path.parent.iterdir()
                           if p.name.startswith(f".{self.path.name}.") and p.name.endswith(".tmp")]
        except OSError:
            pass
        try:
            with os.scandir(self.dir) as entries:
                candidates += [Path(e.path) for e in entries if e.name.startswith(".") and e.name.endswith(".tmp")]
        except OSError:
            pass
        for p in candidates:
            try:
                p.unlink()
            except OSError:
                pass

    def _quarantine(self, path: Path, reason: str, main: bool = False) -> None:
        """A damaged file: refuse (explicit database) or move it aside and carry on."""
        if self.explicit or self.read_only:
            raise CorruptDatabaseError(
                f"the annotations database {path} is damaged ({reason}); it was left untouched", path, reason
            )
        backup = path.with_name(f"{path.name}.corrupt-{_timestamp()}")
        n = 1
        while backup.exists():
            n += 1
            backup = path.with_name(f"{path.name}.corrupt-{_timestamp()}-{n}")
        os.replace(path, backup)
        fsync_dir(path.parent)
        if not main:
            notice = f"The annotations file of one article was damaged; it was moved to {backup} and that article starts afresh."
        elif self.dir.is_dir():
            notice = (f"The annotations database index was damaged; it was moved to {backup} and rebuilt "
                      "(annotations are kept per article and were not affected).")
        else:
            notice = f"The annotations database was damaged; it was moved to {backup} and a new one started."
        self._add_notice(notice)

    def _add_notice(self, notice: str) -> None:
        self.notice = notice if not self.notice else f"{self.notice} {notice}"

    def _set_read_only(self, exc: OSError) -> None:
        reason = describe_os_error(exc)
        if self.read_only != reason:
            self.read_only = reason
            self._add_notice(
                f"The annotations database {self.path} cannot be written ({reason}): it is open read-only; "
                "everything can be shown and exported, but changes cannot be saved."
            )

    # -- locking, versions --------------------------------------------------------------------
    def transaction(self):
        """Hold the lock across several operations: a read-modify-write done inside it is one
        change that no other process can interleave with (the lock is re-entrant)."""
        return self._locked("save")

    @contextmanager
    def _locked(self, verb: str = "read"):
        """Hold the cross-process lock (replaying a journal left by a crash); turn I/O failures
        into one clear StoreError. On a read-only disk (the lock file cannot be opened for
        writing) reads go on without the lock (no process can write there) and saves fail."""
        what = {"open": "open", "read": "read", "save": "save to"}[verb]
        try:
            locked = True
            try:
                _acquire(self._lock)
            except Timeout:
                raise StoreError(f"the annotations database {self.path} is locked by another process; try again") from None
            except OSError as exc:
                if exc.errno not in READ_ONLY_ERRNOS and not isinstance(exc, SpecialFileError):
                    raise
                if exc.errno in READ_ONLY_ERRNOS:
                    self._set_read_only(exc)
                if verb == "save":
                    raise StoreError(f"cannot save to the annotations database {self.path}: {describe_os_error(exc)}") from None
                locked = False
            try:
                if locked and self._lock.lock_counter == 1 and (self.dir / JOURNAL_FILE).exists():
                    try:
                        self._replay_journal()
                    except OSError as exc:
                        if verb == "save":
                            raise
                        if exc.errno in READ_ONLY_ERRNOS:
                            self._set_read_only(exc)
                yield
            finally:
                if locked:
                    self._lock.release()
        except StoreError:
            raise
        except OSError as exc:
            if exc.errno in READ_ONLY_ERRNOS:
                self._set_read_only(exc)
            raise StoreError(f"cannot {what} the annotations database {self.path}: {describe_os_error(exc)}") from None

    def version(self) -> str:
        """A token that changes whenever any process changes the database (cheap: poll it)."""
        try:
            return (self.dir / VERSION_FILE).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""

    def changed_since(self, token: str) -> bool:
        """Has the database changed (by this or another process) since `version()` gave `token`?"""
        return self.version() != token

    def _bump_version(self, cache_current: bool) -> None:
        token = f"{time.time_ns():x}-{uuid.uuid4().hex[:12]}"
        try:
            write_atomically(self.dir / VERSION_FILE, token.encode("ascii"), durable=False)
        except OSError:
            token = ""
        self._seen = (token or None) if cache_current else None

    # -- the per-article files ----------------------------------------------------------------
    def _shard_path(self, name: str) -> Path:
        return self.dir / f"{name}{SHARD_SUFFIX}"

    def _read_raw(self, name: str) -> dict:
        """The parsed content of one per-article file ({} if absent). A file that is not JSON or
        not shaped as one is quarantined (then {}), or refused for an explicit database."""
        path = self._shard_path(name)
        try:
            data = AtomicJSONStorage(path).read() or {}
            table = data.get(ANNOTATIONS_TABLE, {})
            if not isinstance(table, dict):
                raise CorruptDatabaseError(f"{path} does not hold annotations", path, "not a Margin database")
        except CorruptDatabaseError as exc:
            self._quarantine(path, exc.reason)
            self._forget(name)
            return {}
        return data

    def _valid_records(self, name: str, table: dict, kind: str = ANNOTATIONS_TABLE) -> list[dict]:
        """The loadable records of a table; damaged ones are skipped (kept in the file) with a notice."""
        unique: dict[str, dict] = {}
        bad: list[str] = []
        check = checked_correction if kind == CORRECTIONS_TABLE else checked_record
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
                self._add_notice(
                    f"{len(bad)} damaged {what}(s) in {self._shard_path(name)} were skipped and left "
                    f"in the file untouched ({bad[0]})."
                )
        return list(unique.values())

    def _read_shard(self, name: str) -> list[dict]:
        """The annotation records of one per-article file (a damaged file is quarantined: then
        []); the file's summary and ids are remembered."""
        return self._read_tables(name)[0]

    def _read_tables(self, name: str) -> tuple[list[dict], list[dict]]:
        """(annotation records, speaker correction records) of one per-article file."""
        key = self._stat_key(name)
        if key is None:
            self._forget(name)
            return [], []
        data = self._read_raw(name)
        records = self._valid_records(name, data.get(ANNOTATIONS_TABLE, {}))
        corrections = self._valid_records(name, data.get(CORRECTIONS_TABLE, {}), CORRECTIONS_TABLE)
        if self._stat_key(name) is not None:
            self._remember(name, _ShardInfo.of(key, records, corrections))
        return records, corrections

    def _stat_key(self, name: str) -> tuple | None:
        try:
            st = os.stat(self._shard_path(name))
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _forget(self, name: str) -> None:
        info = self._shards.pop(name, None)
        if info is None:
            return
        for index, ids in ((self._ids, info.ids), (self._cids, info.cids)):
            for aid in ids or ():
                holders = index.get(aid)
                if holders:
                    holders.discard(name)
                    if not holders:
                        del index[aid]

    def _remember(self, name: str, info: _ShardInfo) -> None:
        self._forget(name)
        self._shards[name] = info
        for aid in info.ids or ():
            self._ids.setdefault(aid, set()).add(name)
        for cid in info.cids or ():
            self._cids.setdefault(cid, set()).add(name)

    def _load_summary(self) -> None:
        try:
            data = orjson.loads((self.dir / SUMMARY_FILE).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return
        if not isinstance(data, dict) or data.get("v") != SUMMARY_VERSION or not isinstance(data.get("shards"), dict):
            return
        for name, entry in data["shards"].items():
            info = _ShardInfo.from_json(entry)
            if info is not None and isinstance(name, str) and name not in self._shards:
                self._shards[name] = info

    def _save_summary(self) -> None:
        """The summary of every file (derivable: checked against each file's stat on use)."""
        if self.read_only:
            return
        payload = orjson.dumps({"v": SUMMARY_VERSION, "shards": {n: i.to_json() for n, i in self._shards.items() if i.key}})
        try:
            write_atomically(self.dir / SUMMARY_FILE, payload, durable=False)
        except OSError:
            pass

    def _refresh(self, force: bool = False) -> None:
        """Bring the summary of every file up to date (cheap when nothing changed: a stat per file)."""
        token = self.version()
        if not force and self._scanned and token and token == self._seen:
            return
        if not self._scanned:
            self._load_summary()
        keys: dict[str, tuple] = {}
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
        for name in set(self._shards) - set(keys):
            self._forget(name)
        recent = time.time_ns() - 2_000_000_000  # files changed this recently are re-read anyway
        reread = 0
        for name, key in keys.items():
            cached = self._shards.get(name)
            if cached is None or cached.key != key or key[1] > recent:
                if cached is None or cached.key != key:
                    reread += 1
                self._read_shard(name)
        self._scanned = True
        self._seen = token or None
        if reread:
            self._save_summary()

    def _know_all_ids(self) -> None:
        """Read the files whose ids are not known yet (for imports and lookups of unknown ids)."""
        self._refresh()
        for name in [n for n, info in self._shards.items() if info.ids is None or info.cids is None]:
            self._read_shard(name)

    @staticmethod
    def _merge_table(table, upserts: dict[str, dict], removals: set[str]) -> dict:
        """A TinyDB table (doc id -> record) with `upserts` put (in their place, or under new doc
        ids) and the records of `removals` taken out."""
        docs = dict(table) if isinstance(table, dict) else {}
        placed = set()
        for key in list(docs):
            doc = docs[key]
            aid = doc.get("id") if isinstance(doc, dict) else None
            if aid in upserts and aid not in placed:
                docs[key] = upserts[aid]
                placed.add(aid)
            elif aid is not None and (aid in upserts or aid in removals):
                del docs[key]
        next_id = max((int(k) for k in docs if k.isdigit()), default=0) + 1
        for aid, record in upserts.items():
            if aid not in placed:
                while str(next_id) in docs:
                    next_id += 1
                docs[str(next_id)] = record
                next_id += 1
        return docs

    def _prepare_shard(self, name: str, changes: dict[str, tuple[dict[str, dict], set[str]]]):
        """Write the new content of one per-article file to a temporary file: (tmp path or None
        when the file ends up empty, its annotation records, its correction records). `changes`:
        table -> (upserts by id, ids to remove). Nothing visible changes yet."""
        data = self._read_raw(name)
        for table, (upserts, removals) in changes.items():
            data[table] = self._merge_table(data.get(table, {}), upserts, removals)
        if not any(data.values()):
            return None, [], []
        data.setdefault(ANNOTATIONS_TABLE, {})
        tmp = _write_temporary(self._shard_path(name), orjson.dumps(data))
        records = [r for r in (checked_record(d)[0] for d in data[ANNOTATIONS_TABLE].values()) if r is not None]
        corrections = [r for r in (checked_correction(d)[0] for d in (data.get(CORRECTIONS_TABLE) or {}).values())
                       if r is not None]
        return tmp, records, corrections

    def _apply(self, puts: list[dict], deletes: list[str], cputs: Sequence[dict] = (),
               cdeletes: Sequence[tuple[str, str]] = ()) -> None:
        """Put records (each into its article's file, out of any other it is known in) and delete
        ids; `cputs` and `cdeletes` ((article id, correction id)) do the same for speaker
        corrections. Must hold the lock. All or nothing: every new file is written to a temporary
        file first; only when all are written (and, for several files, a journal naming them) are
        they renamed into place. A failure before that (a full disk) changes nothing and leaves
        nothing to replay; a crash while renaming is finished by the next process."""
        cache_current = bool(self._seen) and self.version() == self._seen
        changes: dict[str, dict[str, tuple[dict[str, dict], set[str]]]] = {}

        def change(name: str, table: str) -> tuple[dict[str, dict], set[str]]:
            return changes.setdefault(name, {}).setdefault(table, ({}, set()))

        for table, index, records in ((ANNOTATIONS_TABLE, self._ids, puts), (CORRECTIONS_TABLE, self._cids, cputs)):
            for record in records:
                target = shard_name(record.get("article_id", ""))
                change(target, table)[0][record["id"]] = record
                for other in index.get(record["id"], ()):
                    if other != target:
                        change(other, table)[1].add(record["id"])
        for aid in deletes:
            for holder in self._ids.get(aid, ()):
                change(holder, ANNOTATIONS_TABLE)[1].add(aid)
        for article_id, cid in cdeletes:
            for holder in self._cids.get(cid, set()) | {shard_name(article_id)}:
                change(holder, CORRECTIONS_TABLE)[1].add(cid)
        for tables in changes.values():
            for upserts, removals in tables.values():
                removals -= set(upserts)
        touched = sorted(changes)
        if not touched:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        journal = self.dir / JOURNAL_FILE
        prepared: list[tuple[str, str | None, list[dict], list[dict]]] = []
        try:
            for name in touched:
                prepared.append((name, *self._prepare_shard(name, changes[name])))
            if len(prepared) > 1:
                write_atomically(journal, orjson.dumps({
                    "v": 2,
                    "replace": [[Path(tmp).name, name] for name, tmp, _, _ in prepared if tmp],
                    "unlink": [name for name, tmp, _, _ in prepared if not tmp],
                }))
        except BaseException:
            for _, tmp, _, _ in prepared:
                if tmp:
                    try:
                        os.unlink(tmp)
                    except OSError:
                        pass
            raise
        try:
            for name, tmp, _, _ in prepared:
                if tmp:
                    os.replace(tmp, self._shard_path(name))
                else:
                    try:
                        os.unlink(self._shard_path(name))
                    except FileNotFoundError:
                        pass
            fsync_dir(self.dir)
            if len(prepared) > 1:
                os.unlink(journal)
            for name, tmp, records, corrections in prepared:
                if tmp:
                    self._remember(name, _ShardInfo.of(self._stat_key(name) or (), records, corrections))
                else:
                    self._forget(name)
            self.read_only = None
            if len(prepared) > 1:  # an import: keep the summary current, so no process reads every file
                if not self._scanned:
                    self._load_summary()
                self._save_summary()
        finally:
            self._bump_version(cache_current)

    def _replay_journal(self) -> None:
        """Finish an operation a crash interrupted after it was prepared in full."""
        journal = self.dir / JOURNAL_FILE
        try:
            data = orjson.loads(journal.read_bytes())
        except FileNotFoundError:
            return
        except orjson.JSONDecodeError:
            data = None  # written atomically, so never torn; be safe anyway
        if isinstance(data, dict) and data.get("v") == 2:
            for item in data.get("replace") or []:
                if (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
                        and all(x and Path(x).name == x and x not in (".", "..") for x in item)):
                    tmp, name = item
                    try:
                        os.replace(self.dir / tmp, self._shard_path(name))
                    except FileNotFoundError:
                        pass  # already in place
            for name in data.get("unlink") or []:
                if isinstance(name, str) and name and Path(name).name == name and name not in (".", ".."):
                    raw = self._read_raw(name)
                    if not self._valid_records(name, raw.get(ANNOTATIONS_TABLE, {})) and not self._valid_records(
                            name, raw.get(CORRECTIONS_TABLE, {}), CORRECTIONS_TABLE):
                        try:
                            os.unlink(self._shard_path(name))
                        except FileNotFoundError:
                            pass
            fsync_dir(self.dir)
        elif isinstance(data, dict):  # written by an older Margin: roll it forward as it would
            puts = [r for r in (checked_record(r)[0] for r in data.get("puts") or []) if r is not None]
            deletes = [d for d in data.get("deletes") or [] if isinstance(d, str)]
            journal.unlink()
            self._know_all_ids()
            self._apply(puts, deletes)
        try:
            os.unlink(journal)
        except FileNotFoundError:
            pass
        self._seen = None

    # -- writes -------------------------------------------------------------------------------
    def add(self, annotation: Annotation) -> Annotation:
        """Store a new annotation (one transaction); returns it."""
        with self._locked("save"):
            self._apply([annotation.to_record()], [])
        return annotation

    def update(self, annotation: Annotation) -> Annotation:
        """Store a changed annotation with a new `updated` time (one transaction); returns it."""
        annotation.updated = now_iso()
        with self._locked("save"):
            self._get(annotation.id, annotation.article_id)  # where it is stored now
            self._apply([annotation.to_record()], [])
        return annotation

    def save_many(self, annotations: list[Annotation]) -> None:
        """Save several annotations at once, all or nothing (as they are: `updated` is kept)."""
        if annotations:
            with self._locked("save"):
                self._apply([a.to_record() for a in annotations], [])

    def merge(self, annotations: list[Annotation], dry_run: bool = False) -> tuple[int, int, int]:
        """Import: save each annotation unless a copy at least as new (`updated`) is stored, in one
        all-or-nothing write. Returns (added, updated, unchanged); importing twice changes nothing."""
        added = replaced = unchanged = 0
        puts = []
        with self._locked("read" if dry_run else "save"):
            self._know_all_ids()
            holders = set()
            for annotation in annotations:
                holders |= self._ids.get(annotation.id, set())
            stored = {r["id"]: r for r in self._records(holders)}
            for annotation in annotations:
                record = annotation.to_record()
                old = stored.get(annotation.id)
                if old is None:
                    added += 1
                elif _newer(record, old):
                    replaced += 1
                else:
                    unchanged += 1
                    continue
                puts.append(record)
            if puts and not dry_run:
                self._apply(puts, [])
        return added, replaced, unchanged

    def delete(self, annotation_id: str) -> Annotation | None:
        """Delete an annotation; returns what was deleted, or None when there was no such annotation."""
        with self._locked("save"):
            found = self._get(annotation_id)
            if found is not None:
                self._apply([], [annotation_id])
        return found

    # -- speaker corrections: records of their own kind, in each article's file ----------------
    def save_corrections(self, puts: Sequence[dict], deletes: Sequence[tuple[str, str]] = ()) -> None:
        """Put speaker-correction records (each into its article's file, out of any other) and
        delete (article id, correction id) pairs, all in one all-or-nothing write. The records are
        validated first (ValueError for one that could not be read back)."""
        for record in puts:
            checked, why = checked_correction(record)
            if checked is None:
                raise ValueError(why)
        if puts or deletes:
            with self._locked("save"):
                self._apply([], [], list(puts), list(deletes))

    def _correction_records(self, names) -> list[dict]:
        best: dict[str, dict] = {}
        for name in sorted(names):
            for record in self._read_tables(name)[1]:
                seen = best.get(record["id"])
                if seen is None or _newer(record, seen):
                    best[record["id"]] = record
        return list(best.values())

    def correction_records(self, article_id: str) -> list[dict]:
        """The stored speaker corrections of one article (reads only its file)."""
        with self._locked():
            return [r for r in self._correction_records([shard_name(article_id)]) if r["article_id"] == article_id]

    def correction_records_on_path(self, article_path: str) -> list[dict]:
        """Speaker corrections stored under this article file path (any text version of it)."""
        with self._locked():
            self._refresh()
            names = [n for n, info in self._shards.items() if article_path in info.cpaths]
            return [r for r in self._correction_records(names) if r.get("article_path") == article_path]

    def all_correction_records(self) -> list[dict]:
        """Every stored speaker correction (reads only the files that hold some)."""
        with self._locked():
            self._refresh()
            return self._correction_records([n for n, info in self._shards.items() if info.ccount])

    # -- reads --------------------------------------------------------------------------------
    def _records(self, names) -> list[dict]:
        best: dict[str, dict] = {}
        for name in sorted(names):
            for record in self._read_shard(name):
                seen = best.get(record["id"])
                if seen is None or _newer(record, seen):
                    best[record["id"]] = record
        return list(best.values())

    def _get(self, annotation_id: str, article_id: str | None = None) -> Annotation | None:
        """Look where the id was last seen and in its article's file (re-reading those); without
        `article_id`, then in every file (reading the files not read yet)."""
        for attempt in (0, 1):
            if attempt:
                if article_id is not None:
                    return None
                self._know_all_ids()
            names = set(self._ids.get(annotation_id, ()))
            if article_id is not None:
                names.add(shard_name(article_id))
            records = self._records(names)
            found = [r for r in records if r["id"] == annotation_id]
            if found:
                return Annotation.from_record(found[0])
        return None

    def get(self, annotation_id: str, article_id: str | None = None) -> Annotation | None:
        """The annotation as stored now, or None. Give its `article_id` when known: then only
        the files where it can be are read."""
        with self._locked():
            return self._get(annotation_id, article_id)

    def all(self) -> list[Annotation]:
        """Every stored annotation (reads every article file)."""
        with self._locked():
            self._refresh()
            records = self._records(list(self._shards))
        return [Annotation.from_record(r) for r in records]

    def for_article(self, article_id: str) -> list[Annotation]:
        """The annotations of one article (reads only its file)."""
        with self._locked():
            rows = [r for r in self._read_shard(shard_name(article_id)) if r.get("article_id") == article_id]
        return sorted((Annotation.from_record(r) for r in rows), key=lambda a: (a.start, a.end))

    def for_path(self, article_path: str) -> list[Annotation]:
        """Annotations stored under this article file path (any text version of it)."""
        with self._locked():
            self._refresh()
            names = [n for n, info in self._shards.items() if article_path in info.paths]
            rows = [r for r in self._records(names) if r.get("article_path") == article_path]
        return sorted((Annotation.from_record(r) for r in rows), key=lambda a: (a.article_id, a.start, a.end))

    def counts_by_article(self) -> dict[str, int]:
        """Article id -> number of annotations, from the summary (no article file read when it is current)."""
        with self._locked():
            self._refresh()
            counts: dict[str, int] = {}
            for info in self._shards.values():
                for article, n in info.counts.items():
                    counts[article] = counts.get(article, 0) + n
        return counts

    def counts_by_path(self) -> dict[str, int]:
        """Number of annotations per article file path (whatever text version they were made on)."""
        with self._locked():
            self._refresh()
            counts: dict[str, int] = {}
            for info in self._shards.values():
                total = sum(info.counts.values())
                for path in info.paths:
                    counts[path] = counts.get(path, 0) + total
        return counts

    def tags(self) -> list[str]:
        """Every tag in use, most used first."""
        with self._locked():
            self._refresh()
            counts: dict[str, int] = {}
            for info in self._shards.values():
                for tag, n in info.tags.items():
                    counts[tag] = counts.get(tag, 0) + n
        return sorted(counts, key=lambda t: (-counts[t], t.casefold()))

    def __len__(self) -> int:
        with self._locked():
            self._refresh()
            return sum(sum(info.counts.values()) for info in self._shards.values())


def annotations_for_article(store: AnnotationStore, article, keep_ids=None) -> list[Annotation]:
    """The annotations of `article` (an `Article`), re-anchored when its text changed.

    Those saved with its id, plus those saved under the same file path for another version of
    its text: these are re-anchored (see `tui.core.anchoring`) and saved with the article's new
    id and hash, in one all-or-nothing write — unless their own text still exists (its id is in
    `keep_ids`, e.g. a `TextsInLibrary`): annotations follow the text, so an article
    file overwritten with another article leaves them on the copy of the old text. Orphans
    (passage not found) are included, flagged `orphan=True`. Annotations saved with this id
    under a path that no longer holds their text (the file was moved, renamed or overwritten)
    get the new path. If the changes cannot be saved (a read-only disk), they are shown anyway."""
    from tui.core.anchoring import reanchor

    keep_ids = keep_ids if keep_ids is not None else ()
    path = str(article.path)
    own = store.for_article(article.id)
    changed: list[Annotation] = []
    result: dict[str, Annotation] = {}
    holds: dict[str, bool] = {}
    for annotation in own:
        old_path = annotation.article_path
        if old_path != path and old_path not in holds:
            holds[old_path] = _holds_text(old_path, article.id)
        moved_file = old_path != path and not holds[old_path]
        if moved_file or annotation.article_title != article.title:
            if moved_file:
                annotation.article_path = path
            annotation.article_title = article.title
            annotation.updated = now_iso()
            changed.append(annotation)
        result[annotation.id] = annotation
    for annotation in store.for_path(path):
        if annotation.article_id == article.id or annotation.id in result or annotation.article_id in keep_ids:
            continue
        moved = reanchor(annotation, article.text)
        moved.article_title = article.title
        result[moved.id] = moved
        changed.append(moved)
    if changed:
        try:
            store.save_many(changed)
        except StoreError:
            if not store.read_only:
                raise
    return sorted(result.values(), key=lambda a: (a.orphan, a.start, a.end))


class TextsInLibrary:
    """`article_id in texts`: does a library file other than `exclude` still hold that text?
    Built from the library's (possibly stale) entries {id: path}; each answer checks the file."""

    def __init__(self, entries, exclude: str = "") -> None:
        self._source = entries  # {id: path}, or a function giving it (called when first asked)
        self._exclude = exclude
        self._entries: dict[str, str] | None = None
        self._checked: dict[str, bool] = {}

    @property
    def entries(self) -> dict[str, str]:
        """Article id -> library path, without `exclude` (taken from the source once, when first asked)."""
        if self._entries is None:
            source = self._source() if callable(self._source) else self._source
            self._entries = {aid: p for aid, p in source.items() if p != self._exclude}
        return self._entries

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str) or article_id not in self.entries:
            return False
        if article_id not in self._checked:
            self._checked[article_id] = _holds_text(self.entries[article_id], article_id, unknown=False)
        return self._checked[article_id]


def holds_text(path: str, article_id: str, unknown: bool = True) -> bool:
    """Does the file at `path` still hold the text of `article_id`? (`unknown` when it cannot be read.)"""
    return _holds_text(path, article_id, unknown)


def _holds_text(path: str, article_id: str, unknown: bool = True) -> bool:
    """Does the file at `path` still hold the text of `article_id`?"""
    if not path or not Path(path).exists():
        return False
    try:
        from tui.core.articles import load_article

        return load_article(path).id == article_id
    except Exception:
        return unknown  # cannot tell
