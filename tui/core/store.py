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
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha256
from pathlib import Path

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage

from tui.core.annotations import Annotation, now_iso

SCHEMA_VERSION = 2
ANNOTATIONS_TABLE = "annotations"
META_TABLE = "meta"
LAYOUT = "per-article"
SHARD_SUFFIX = ".json"
VERSION_FILE = ".version"
JOURNAL_FILE = ".journal.json"
LOCK_TIMEOUT = 10.0
_SAFE_NAME = re.compile(r"[0-9A-Za-z_-]{1,64}")


class StoreError(Exception):
    """The database cannot be used; the message is one clear sentence for the user."""


class CorruptDatabaseError(StoreError):
    def __init__(self, message: str, path: Path | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason or message


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, atomic durable writes, a clear error for damaged files."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self):
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
        write_atomically(self.path, orjson.dumps(data))

    def close(self) -> None:
        pass


def write_atomically(path: Path, payload: bytes, durable: bool = True) -> None:
    """Write `payload` to `path` so that readers see the old or the new content, never a mix.

    `durable=False` skips the fsyncs (for hints that may be lost in a power cut, never data)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
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
    }.get(exc.errno) or (exc.strerror or str(exc)).rstrip(".")


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
    """What is cached of one per-article file: derivable data only, never the records."""

    key: tuple  # (inode, mtime_ns, size) when read
    ids: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)  # article id -> annotations
    tags: dict[str, int] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, key: tuple, records) -> "_ShardInfo":
        info = cls(key)
        for record in records:
            info.ids.add(record.get("id"))
            article = record.get("article_id", "")
            info.counts[article] = info.counts.get(article, 0) + 1
            for tag in record.get("tags") or ():
                info.tags[tag] = info.tags.get(tag, 0) + 1
            info.paths.add(record.get("article_path", ""))
        return info


class AnnotationStore:
    """All annotations of one user. Open with `AnnotationStore.open(path, explicit=...)`."""

    def __init__(self, path: Path, explicit: bool = False) -> None:
        self.path = Path(path)
        self.dir = shard_dir_for(self.path)
        self.explicit = explicit
        self.notice: str | None = None  # set when a damaged file had to be moved aside
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)  # the main file: meta only
        self._shards: dict[str, _ShardInfo] = {}
        self._ids: dict[str, set[str]] = {}  # annotation id -> shard names holding it
        self._seen: str | None = None  # the version token the cache reflects

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, explicit: bool = False) -> "AnnotationStore":
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"the annotations database {path} is a folder; give the path of its main file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the database {path}: {describe_os_error(exc)}") from None
        store = cls(path, explicit=explicit)
        with store._locked("open"):
            store._startup()
        return store

    def _startup(self) -> None:
        self._remove_stale_temporaries()
        try:
            tables = self._db.storage.read() or {}
        except CorruptDatabaseError as exc:
            self._quarantine(self.path, exc.reason, main=True)
            tables = {}
        meta_rows = list((tables.get(META_TABLE) or {}).values())
        version = meta_rows[0].get("schema") if meta_rows else None
        if meta_rows and (not isinstance(version, int) or version < 1):
            self._quarantine(self.path, f"unknown schema {version!r}", main=True)
            tables, meta_rows, version = {}, [], None
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer Margin (schema {version}); upgrade Margin to open it"
            )
        if version is None and (tables.get(ANNOTATIONS_TABLE) or {}):
            version = 1  # annotations without meta: an early schema-1 file
        if version == 1 or (tables.get(ANNOTATIONS_TABLE) or {}):
            # Schema 1, or annotations an older Margin, still running, added to the main file
            # after the migration: move them to the per-article files too.
            self._migrate_1_to_2(tables)
        elif version is None:
            self._write_meta(created=now_iso())
        self._replay_journal()
        self._refresh(force=True)

    def _write_meta(self, created: str, **extra) -> None:
        meta = {"schema": SCHEMA_VERSION, "layout": LAYOUT, "shards": self.dir.name, "created": created, **extra}
        write_atomically(self.path, orjson.dumps({META_TABLE: {"1": meta}}))

    def _migrate_1_to_2(self, tables: dict) -> None:
        """Schema 1 kept every annotation in the main file: move them to per-article files."""
        records = list((tables.get(ANNOTATIONS_TABLE) or {}).values())
        meta_rows = list((tables.get(META_TABLE) or {}).values())
        created = (meta_rows[0].get("created") if meta_rows else None) or now_iso()
        backup = self.path.with_name(f"{self.path.name}.schema1-{_timestamp()}.bak")
        records = [r for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)]
        if records:
            shutil.copy2(self.path, backup)
            fsync_dir(backup.parent)
            self._refresh(force=True)
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
        if self.dir.is_dir():
            candidates += [p for p in self.dir.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]
        for p in candidates:
            try:
                p.unlink()
            except OSError:
                pass

    def _quarantine(self, path: Path, reason: str, main: bool = False) -> None:
        """A damaged file: refuse (explicit database) or move it aside and carry on."""
        if self.explicit:
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
        self.notice = notice if not self.notice else f"{self.notice} {notice}"

    # -- locking, versions --------------------------------------------------------------------
    @contextmanager
    def _locked(self, verb: str = "read"):
        """Hold the cross-process lock (replaying a journal left by a crash); turn I/O failures
        into one clear StoreError."""
        what = {"open": "open", "read": "read", "save": "save to"}[verb]
        try:
            with self._lock:
                if self._lock.lock_counter == 1 and (self.dir / JOURNAL_FILE).exists():
                    self._replay_journal()
                yield
        except StoreError:
            raise
        except Timeout:
            raise StoreError(f"the annotations database {self.path} is locked by another process; try again") from None
        except OSError as exc:
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

    def _bump_version(self) -> None:
        token = f"{time.time_ns():x}-{uuid.uuid4().hex[:12]}"
        try:
            write_atomically(self.dir / VERSION_FILE, token.encode("ascii"), durable=False)
        except OSError:
            token = ""
        self._seen = token or None

    # -- the per-article files ----------------------------------------------------------------
    def _shard_path(self, name: str) -> Path:
        return self.dir / f"{name}{SHARD_SUFFIX}"

    def _shard_table(self, name: str):
        return TinyDB(self._shard_path(name), storage=AtomicJSONStorage).table(ANNOTATIONS_TABLE, cache_size=0)

    def _read_shard(self, name: str) -> list[dict]:
        """The records of one per-article file (a damaged file is quarantined: then [])."""
        try:
            docs = self._shard_table(name).all()
        except CorruptDatabaseError as exc:
            self._quarantine(self._shard_path(name), exc.reason)
            self._forget(name)
            return []
        unique: dict[str, dict] = {}
        for doc in docs:  # in insertion order: a later copy of an id wins
            if isinstance(doc.get("id"), str):
                unique[doc["id"]] = dict(doc)
        return list(unique.values())

    def _stat_key(self, name: str) -> tuple | None:
        try:
            st = os.stat(self._shard_path(name))
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _forget(self, name: str) -> None:
        info = self._shards.pop(name, None)
        if info:
            for aid in info.ids:
                holders = self._ids.get(aid)
                if holders:
                    holders.discard(name)
                    if not holders:
                        del self._ids[aid]

    def _remember(self, name: str, info: _ShardInfo) -> None:
        self._forget(name)
        self._shards[name] = info
        for aid in info.ids:
            self._ids.setdefault(aid, set()).add(name)

    def _refresh(self, force: bool = False) -> None:
        """Bring the in-memory index up to date with the files (cheap when nothing changed)."""
        token = self.version()
        if not force and token and token == self._seen:
            return
        names = set()
        if self.dir.is_dir():
            for entry in os.scandir(self.dir):
                if entry.name.endswith(SHARD_SUFFIX) and not entry.name.startswith("."):
                    names.add(entry.name[: -len(SHARD_SUFFIX)])
        for name in set(self._shards) - names:
            self._forget(name)
        recent = time.time_ns() - 2_000_000_000  # files changed this recently are re-read anyway
        for name in names:
            key = self._stat_key(name)
            if key is None:
                self._forget(name)
                continue
            cached = self._shards.get(name)
            if cached is None or cached.key != key or key[1] > recent:
                records = self._read_shard(name)
                if self._stat_key(name) is None:
                    continue  # quarantined
                self._remember(name, _ShardInfo.of(key, records))
        self._seen = token or None

    def _write_shard(self, name: str, upserts: dict[str, dict], removals: set[str]) -> None:
        """One atomic rewrite of one per-article file: put `upserts`, drop `removals`."""
        kept: list[dict] = []

        def updater(docs: dict) -> None:
            placed = set()
            for doc_id in list(docs):
                aid = docs[doc_id].get("id")
                if aid in upserts and aid not in placed:
                    docs[doc_id] = upserts[aid]
                    placed.add(aid)
                elif aid in upserts or aid in removals:
                    del docs[doc_id]
            next_id = max(docs, default=0) + 1
            for aid, record in upserts.items():
                if aid not in placed:
                    docs[next_id] = record
                    next_id += 1
            kept.extend(docs.values())

        try:
            self._shard_table(name)._update_table(updater)
        except CorruptDatabaseError as exc:
            self._quarantine(self._shard_path(name), exc.reason)
            self._forget(name)
            kept.clear()
            self._shard_table(name)._update_table(updater)
        if not kept:
            try:
                os.unlink(self._shard_path(name))
            except FileNotFoundError:
                pass
            self._forget(name)
            return
        self._remember(name, _ShardInfo.of(self._stat_key(name) or (), kept))

    def _apply(self, puts: list[dict], deletes: list[str]) -> None:
        """Put records (each into its article's file, out of any other) and delete ids. Must hold
        the lock. Touching several files, it is journaled: all of it happens, or it is replayed."""
        self._refresh()
        upserts: dict[str, dict[str, dict]] = {}
        removals: dict[str, set[str]] = {}
        for record in puts:
            target = shard_name(record.get("article_id", ""))
            upserts.setdefault(target, {})[record["id"]] = record
            for other in self._ids.get(record["id"], ()):
                if other != target:
                    removals.setdefault(other, set()).add(record["id"])
        for aid in deletes:
            for holder in self._ids.get(aid, ()):
                removals.setdefault(holder, set()).add(aid)
        touched = set(upserts) | set(removals)
        if not touched:
            return
        journal = self.dir / JOURNAL_FILE
        journaled = len(touched) > 1
        try:
            if journaled:
                write_atomically(journal, orjson.dumps({"puts": puts, "deletes": deletes}))
            # Writes first, removals after: a crash in between never loses an annotation.
            for name in sorted(upserts, key=lambda n: n in removals):
                self._write_shard(name, upserts[name], removals.get(name, set()) - set(upserts[name]))
            for name, ids in removals.items():
                if name not in upserts:
                    self._write_shard(name, {}, ids)
            if journaled:
                os.unlink(journal)
        finally:
            self._bump_version()

    def _replay_journal(self) -> None:
        journal = self.dir / JOURNAL_FILE
        try:
            data = orjson.loads(journal.read_bytes())
        except FileNotFoundError:
            return
        except orjson.JSONDecodeError:
            data = None  # written atomically, so never torn; be safe anyway
        if isinstance(data, dict):
            puts = [r for r in data.get("puts") or [] if isinstance(r, dict) and isinstance(r.get("id"), str)]
            deletes = [d for d in data.get("deletes") or [] if isinstance(d, str)]
            self._refresh(force=True)
            self._apply(puts, deletes)  # idempotent; rewrites and then removes the journal
        if journal.exists():
            os.unlink(journal)

    # -- writes -------------------------------------------------------------------------------
    def add(self, annotation: Annotation) -> Annotation:
        with self._locked("save"):
            self._apply([annotation.to_record()], [])
        return annotation

    def update(self, annotation: Annotation) -> Annotation:
        annotation.updated = now_iso()
        with self._locked("save"):
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
        with self._locked("save"):
            self._refresh()
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
        with self._locked("save"):
            found = self._get(annotation_id)
            if found is not None:
                self._apply([], [annotation_id])
        return found

    # -- reads --------------------------------------------------------------------------------
    def _records(self, names) -> list[dict]:
        best: dict[str, dict] = {}
        for name in sorted(names):
            for record in self._read_shard(name):
                seen = best.get(record["id"])
                if seen is None or _newer(record, seen):
                    best[record["id"]] = record
        return list(best.values())

    def _get(self, annotation_id: str) -> Annotation | None:
        self._refresh()
        records = self._records(self._ids.get(annotation_id, ()))
        found = [r for r in records if r["id"] == annotation_id]
        return Annotation.from_record(found[0]) if found else None

    def get(self, annotation_id: str) -> Annotation | None:
        with self._locked():
            return self._get(annotation_id)

    def all(self) -> list[Annotation]:
        with self._locked():
            self._refresh()
            records = self._records(self._shards)
        return [Annotation.from_record(r) for r in records]

    def for_article(self, article_id: str) -> list[Annotation]:
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
            return len(self._ids)


def annotations_for_article(store: AnnotationStore, article) -> list[Annotation]:
    """The annotations of `article` (an `Article`), re-anchored when its text changed.

    Those saved with its id, plus those saved under the same file path for another version of
    its text: these are re-anchored (see `tui.core.anchoring`) and saved with the article's new
    id and hash, in one all-or-nothing write. Orphans (passage not found) are included, flagged
    `orphan=True`. Annotations saved with this id under a path that no longer exists (the file
    was moved or renamed) get the new path."""
    from tui.core.anchoring import reanchor

    path = str(article.path)
    own = store.for_article(article.id)
    changed: list[Annotation] = []
    result: dict[str, Annotation] = {}
    for annotation in own:
        moved_file = annotation.article_path != path and not (annotation.article_path and Path(annotation.article_path).exists())
        if moved_file or annotation.article_title != article.title:
            if moved_file:
                annotation.article_path = path
            annotation.article_title = article.title
            annotation.updated = now_iso()
            changed.append(annotation)
        result[annotation.id] = annotation
    for annotation in store.for_path(path):
        if annotation.article_id == article.id or annotation.id in result:
            continue
        moved = reanchor(annotation, article.text)
        moved.article_title = article.title
        result[moved.id] = moved
        changed.append(moved)
    if changed:
        store.save_many(changed)
    return sorted(result.values(), key=lambda a: (a.orphan, a.start, a.end))
