"""The annotation store: TinyDB on a crash-safe storage, shared safely between processes.

- `AtomicJSONStorage` (TinyDB's storage extension point) writes a temporary file in the same
  folder, flushes and fsyncs it, then `os.replace`s it over the database: a crash at any moment
  leaves either the old or the new file, never a torn one.
- Every store operation holds a cross-process file lock and re-reads the file, so two Margin
  processes never lose each other's writes.
- A database that cannot be parsed is moved aside (never deleted) and a fresh one started,
  unless the caller asked for that exact file, in which case `CorruptDatabaseError` is raised.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import orjson
from filelock import FileLock, Timeout
from tinydb import Query, TinyDB
from tinydb.storages import Storage

from tui.core.annotations import Annotation, now_iso

SCHEMA_VERSION = 1
ANNOTATIONS_TABLE = "annotations"
META_TABLE = "meta"


class StoreError(Exception):
    """The database cannot be used; the message is one clear sentence for the user."""


class CorruptDatabaseError(StoreError):
    pass


class AtomicJSONStorage(Storage):
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
            raise CorruptDatabaseError(f"{self.path} is not valid JSON ({exc})") from None
        if not isinstance(parsed, dict):
            raise CorruptDatabaseError(f"{self.path} does not hold a Margin database")
        return parsed

    def write(self, data) -> None:
        write_atomically(self.path, orjson.dumps(data))

    def close(self) -> None:
        pass


def write_atomically(path: Path, payload: bytes) -> None:
    """Write `payload` to `path` so that readers see the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


class AnnotationStore:
    """All annotations of one user. Open with `AnnotationStore.open(path, explicit=...)`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.notice: str | None = None  # set when the database had to be moved aside
        self._lock = FileLock(str(self.path) + ".lock", timeout=10)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._table = self._db.table(ANNOTATIONS_TABLE, cache_size=0)

    @classmethod
    def open(cls, path: str | Path, explicit: bool = False) -> "AnnotationStore":
        path = Path(path).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the database {path}: {exc.strerror or exc}") from None
        store = cls(path)
        try:
            with store._locked():
                store._check_schema()
        except CorruptDatabaseError as exc:
            if explicit:
                raise CorruptDatabaseError(
                    f"the annotations database {path} is damaged ({exc}); it was left untouched"
                ) from None
            backup = path.with_name(f"{path.name}.corrupt-{datetime.now():%Y%m%dT%H%M%S}")
            os.replace(path, backup)
            store = cls(path)
            with store._locked():
                store._check_schema()
            store.notice = f"The annotations database was damaged; it was moved to {backup} and a new one started."
        return store

    @contextmanager
    def _locked(self):
        """Hold the cross-process lock; turn I/O failures into one clear StoreError."""
        try:
            with self._lock:
                yield
        except StoreError:
            raise
        except Timeout:
            raise StoreError(f"the database {self.path} is locked by another process; try again") from None
        except OSError as exc:
            raise StoreError(f"cannot write the database {self.path}: {exc.strerror or exc}") from None

    def _check_schema(self) -> None:
        meta = self._db.table(META_TABLE, cache_size=0)
        rows = meta.all()
        if not rows:
            meta.insert({"schema": SCHEMA_VERSION, "created": now_iso()})
            return
        version = rows[0].get("schema")
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer Margin (schema {version}); upgrade Margin to open it"
            )

    # -- writes -------------------------------------------------------------------------------
    def add(self, annotation: Annotation) -> Annotation:
        with self._locked():
            self._table.insert(annotation.to_record())
        return annotation

    def update(self, annotation: Annotation) -> Annotation:
        annotation.updated = now_iso()
        with self._locked():
            found = self._table.update(annotation.to_record(), Query().id == annotation.id)
            if not found:
                self._table.insert(annotation.to_record())
        return annotation

    def delete(self, annotation_id: str) -> Annotation | None:
        with self._locked():
            rows = self._table.search(Query().id == annotation_id)
            self._table.remove(Query().id == annotation_id)
        return Annotation.from_record(rows[0]) if rows else None

    # -- reads --------------------------------------------------------------------------------
    def all(self) -> list[Annotation]:
        with self._locked():
            rows = self._table.all()
        return [Annotation.from_record(r) for r in rows]

    def for_article(self, article_id: str) -> list[Annotation]:
        with self._locked():
            rows = self._table.search(Query().article_id == article_id)
        return sorted((Annotation.from_record(r) for r in rows), key=lambda a: (a.start, a.end))

    def counts_by_article(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for annotation in self.all():
            counts[annotation.article_id] = counts.get(annotation.article_id, 0) + 1
        return counts

    def tags(self) -> list[str]:
        """Every tag in use, most used first."""
        counts: dict[str, int] = {}
        for annotation in self.all():
            for tag in annotation.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts, key=lambda t: (-counts[t], t.casefold()))
