"""`AnnotationStore`: the facade over the store package — opening, the lock, and the operations.

The database the user names (`--db PATH`, `$MARGIN_DB`, default `annotations.json` in the data
dir) is the *main file*; it holds the schema version (`migration`). Annotations and speaker
corrections live beside it, in `PATH.d/`, one TinyDB file per article (`shards`), so saving one
annotation rewrites one small file however many are stored.

- Files are written atomically and durably (`atomic`); a change of several files is journaled
  and finished by the next process after a crash (`journal`).
- Every operation holds a cross-process file lock (`PATH.lock`), so two Margin processes never
  lose each other's writes.
- `version()` is a cheap token (one small file read) that changes with every write by any
  process: poll it and compare, or call `changed_since(token)`; `changed_by_others(token, current)`
  leaves this store's own writes out (was it another process?).
- A file that cannot be parsed is moved aside with a timestamp (never deleted) and the store
  carries on with a fresh one (`notice` says so in one sentence), unless the caller named the
  database explicitly, in which case `CorruptDatabaseError` is raised, naming the file and what
  to do, and nothing is touched. A damaged main file beside its per-article folder holds only
  the schema record: it is moved aside and rebuilt even then (a caller that only reads leaves
  it and reads the folder). A main file holding another program's tables is never overwritten.
  A caller that only reads (an export) opens it with `keep_damaged` and without `create`: a
  damaged article file is then skipped and left untouched, and listed in `damaged`, and no
  database is created.
- Every database opened is protected from output writers (`tui.core.output.protect_database`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from tinydb import TinyDB

from tui.core.annotations import Annotation, Record, now_iso
from tui.core.correction_record import CORRECTIONS_TABLE, SpeakerCorrection, checked_correction
from tui.core.output import protect_database
from tui.core.storage import journal, migration
from tui.core.storage.atomic import READ_ONLY_ERRNOS, SpecialFileError, check_not_special, describe_os_error
from tui.core.storage.errors import StoreError
from tui.core.storage.shards import JOURNAL_FILE, ShardFiles, lock_path_for, newer, shard_dir_for, shard_name
from tui.core.storage.status import StoreStatus
from tui.core.storage.tinydb_files import AtomicJSONStorage

LOCK_TIMEOUT = 10.0


def _acquire(lock: FileLock) -> None:
    """Take the cross-process lock (tests inject EROFS here, as a read-only mount does)."""
    lock.acquire()


class AnnotationStore:
    """All annotations (and speaker corrections) of one user. Open with `AnnotationStore.open(path, explicit=...)`.

    Opening reads the main file only; per-article files are read when an operation needs them
    (an article's annotations read one file; counts and tags come from a summary cache checked
    against each file's inode, mtime and size), so the cost follows the articles touched."""

    def __init__(self, path: Path, explicit: bool = False, keep_damaged: bool = False) -> None:
        self.path = Path(path)
        self.dir = shard_dir_for(self.path)
        self.explicit = explicit
        self._status = StoreStatus(self.path, self.dir, explicit, keep_damaged)
        protect_database(self.path)  # no export or chart is ever written over its files
        self._files = ShardFiles(self.dir, self._status)
        self._lock = FileLock(str(lock_path_for(self.path)), timeout=LOCK_TIMEOUT)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)  # the main file: meta only
        # Speaker corrections that could not be saved (a read-only database): kept here, shown,
        # and saved by `tui.core.corrections.retry_unsaved_corrections` when the disk allows it.
        self.unsaved_corrections: dict[str, SpeakerCorrection] = {}

    @property
    def notice(self) -> str | None:
        """What the user should be told (a damaged file moved aside, a read-only disk), or None."""
        return self._status.notice

    @notice.setter
    def notice(self, value: str | None) -> None:
        self._status.notice = value

    @property
    def damaged(self) -> dict[Path, str]:
        """With `keep_damaged`: the per-article files found damaged (path -> why), skipped and left
        untouched; reads give everything the other files hold."""
        return dict(self._status.damaged)

    @property
    def read_only(self) -> str | None:
        """Why the database cannot be written now, or None."""
        return self._status.read_only

    @read_only.setter
    def read_only(self, value: str | None) -> None:
        self._status.read_only = value

    def add_notice(self, notice: str) -> None:
        """Add a sentence to `notice`."""
        self._status.add_notice(notice)

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
        except OSError as exc:  # a symlink loop, a folder that cannot be searched
            raise StoreError(f"cannot open the annotations database {path}: {describe_os_error(exc)}") from None
        return path

    @classmethod
    def open(cls, path: str | Path, explicit: bool = False, keep_damaged: bool = False, create: bool = True) -> "AnnotationStore":
        """Open (or create) the database at `path`; `explicit` when the user named it (a damaged
        file is then an error, not moved aside); `keep_damaged` for a caller that only reads
        (exports): a damaged article file is skipped, left untouched and listed in `damaged`.
        Without `create` (callers that only read) no folder and no main file is created."""
        path = cls.resolve(path)
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                if not path.parent.is_dir():
                    raise StoreError(f"cannot create the folder for the database {path}: {describe_os_error(exc)}") from None
        store = cls(path, explicit=explicit, keep_damaged=keep_damaged)
        with store._locked("open"):
            migration.start(store._files, store._db.storage, create=create)
        return store

    # -- locking, versions --------------------------------------------------------------------
    def transaction(self) -> AbstractContextManager[None]:
        """Hold the lock across several operations: a read-modify-write done inside it is one
        change that no other process can interleave with (the lock is re-entrant)."""
        return self._locked("save")

    @contextmanager
    def _locked(self, verb: str = "read") -> Iterator[None]:
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
                    self._status.set_read_only(exc)
                if verb == "save":
                    raise StoreError(f"cannot save to the annotations database {self.path}: {describe_os_error(exc)}") from None
                locked = False
            try:
                if locked and self._lock.lock_counter == 1 and (self.dir / JOURNAL_FILE).exists():
                    try:
                        journal.replay(self._files)
                    except OSError as exc:
                        if verb == "save":
                            raise
                        if exc.errno in READ_ONLY_ERRNOS:
                            self._status.set_read_only(exc)
                yield
            finally:
                if locked:
                    self._lock.release()
        except StoreError:
            raise
        except OSError as exc:
            if exc.errno in READ_ONLY_ERRNOS:
                self._status.set_read_only(exc)
            raise StoreError(f"cannot {what} the annotations database {self.path}: {describe_os_error(exc)}") from None

    def version(self) -> str:
        """A token that changes whenever any process changes the database (cheap: poll it)."""
        return self._files.version()

    def changed_by_others(self, token: str, current: str) -> bool:
        """Has another process (or another store object) changed the database between the
        versions `token` and `current` (both given by `version()`)? This store's writes do not count."""
        return self._files.changed_by_others(token, current)

    def changed_since(self, token: str) -> bool:
        """Has the database changed (by this or another process) since `version()` gave `token`?"""
        return self.version() != token

    # -- writes -------------------------------------------------------------------------------
    def add(self, annotation: Annotation) -> Annotation:
        """Store a new annotation (one transaction); returns it."""
        with self._locked("save"):
            journal.apply(self._files, [annotation.to_record()], [])
        return annotation

    def update(self, annotation: Annotation) -> Annotation:
        """Store a changed annotation with a new `updated` time (one transaction); returns it."""
        annotation.updated = now_iso()
        with self._locked("save"):
            self._get(annotation.id, annotation.article_id)  # where it is stored now
            journal.apply(self._files, [annotation.to_record()], [])
        return annotation

    def save_many(self, annotations: list[Annotation]) -> None:
        """Save several annotations at once, all or nothing (as they are: `updated` is kept)."""
        if annotations:
            with self._locked("save"):
                journal.apply(self._files, [a.to_record() for a in annotations], [])

    def merge(self, annotations: list[Annotation], dry_run: bool = False) -> tuple[int, int, int]:
        """Import: save each annotation unless a copy at least as new (`updated`) is stored, in one
        all-or-nothing write. Returns (added, updated, unchanged); importing twice changes nothing."""
        added = replaced = unchanged = 0
        puts = []
        with self._locked("read" if dry_run else "save"):
            self._files.know_all_ids()
            holders: set[str] = set()
            for annotation in annotations:
                holders |= self._files.ids.get(annotation.id, set())
            stored = {r["id"]: r for r in self._files.best(holders)}
            for annotation in annotations:
                record = annotation.to_record()
                old = stored.get(annotation.id)
                if old is None:
                    added += 1
                elif newer(record, old):
                    replaced += 1
                else:
                    unchanged += 1
                    continue
                puts.append(record)
            if puts and not dry_run:
                journal.apply(self._files, puts, [])
        return added, replaced, unchanged

    def delete(self, annotation_id: str) -> Annotation | None:
        """Delete an annotation; returns what was deleted, or None when there was no such annotation."""
        with self._locked("save"):
            found = self._get(annotation_id)
            if found is not None:
                journal.apply(self._files, [], [annotation_id])
        return found

    # -- speaker corrections: records of their own kind, in each article's file ----------------
    def save_corrections(self, puts: Sequence[Record], deletes: Sequence[tuple[str, str]] = ()) -> None:
        """Put speaker-correction records (each into its article's file, out of any other) and
        delete (article id, correction id) pairs, all in one all-or-nothing write. The records are
        validated first (ValueError for one that could not be read back)."""
        for record in puts:
            checked, why = checked_correction(record)
            if checked is None:
                raise ValueError(why)
        if puts or deletes:
            with self._locked("save"):
                journal.apply(self._files, [], [], list(puts), list(deletes))

    def correction_records(self, article_id: str) -> list[Record]:
        """The stored speaker corrections of one article (reads only its file)."""
        with self._locked():
            records = self._files.best([shard_name(article_id)], CORRECTIONS_TABLE)
        return [r for r in records if r["article_id"] == article_id]

    def correction_records_on_path(self, article_path: str) -> list[Record]:
        """Speaker corrections stored under this article file path (any text version of it)."""
        with self._locked():
            self._files.refresh()
            names = [n for n, info in self._files.infos.items() if article_path in info.cpaths]
            records = self._files.best(names, CORRECTIONS_TABLE)
        return [r for r in records if r.get("article_path") == article_path]

    def all_correction_records(self) -> list[Record]:
        """Every stored speaker correction (reads only the files that hold some)."""
        with self._locked():
            self._files.refresh()
            return self._files.best([n for n, info in self._files.infos.items() if info.ccount], CORRECTIONS_TABLE)

    # -- reads --------------------------------------------------------------------------------
    def _get(self, annotation_id: str, article_id: str | None = None) -> Annotation | None:
        """Look where the id was last seen and in its article's file (re-reading those); without
        `article_id`, then in every file (reading the files not read yet)."""
        for attempt in (0, 1):
            if attempt:
                if article_id is not None:
                    return None
                self._files.know_all_ids()
            names = set(self._files.ids.get(annotation_id, ()))
            if article_id is not None:
                names.add(shard_name(article_id))
            found = [r for r in self._files.best(names) if r["id"] == annotation_id]
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
            self._files.refresh()
            records = self._files.best(list(self._files.infos))
        return [Annotation.from_record(r) for r in records]

    def for_article(self, article_id: str) -> list[Annotation]:
        """The annotations of one article (reads only its file)."""
        with self._locked():
            rows = [r for r in self._files.read(shard_name(article_id))[0] if r.get("article_id") == article_id]
        return sorted((Annotation.from_record(r) for r in rows), key=lambda a: (a.start, a.end))

    def for_path(self, article_path: str) -> list[Annotation]:
        """Annotations stored under this article file path (any text version of it)."""
        with self._locked():
            self._files.refresh()
            names = [n for n, info in self._files.infos.items() if article_path in info.paths]
            rows = [r for r in self._files.best(names) if r.get("article_path") == article_path]
        return sorted((Annotation.from_record(r) for r in rows), key=lambda a: (a.article_id, a.start, a.end))

    def counts_by_article(self) -> dict[str, int]:
        """Article id -> number of annotations, from the summary (no article file read when it is current)."""
        with self._locked():
            self._files.refresh()
            counts: dict[str, int] = {}
            for info in self._files.infos.values():
                for article, n in info.counts.items():
                    counts[article] = counts.get(article, 0) + n
        return counts

    def counts_by_path(self) -> dict[str, int]:
        """Number of annotations per article file path (whatever text version they were made on)."""
        with self._locked():
            self._files.refresh()
            counts: dict[str, int] = {}
            for info in self._files.infos.values():
                total = sum(info.counts.values())
                for path in info.paths:
                    counts[path] = counts.get(path, 0) + total
        return counts

    def tags(self) -> list[str]:
        """Every tag in use, most used first."""
        with self._locked():
            self._files.refresh()
            counts: dict[str, int] = {}
            for info in self._files.infos.values():
                for tag, n in info.tags.items():
                    counts[tag] = counts.get(tag, 0) + n
        return sorted(counts, key=lambda t: (-counts[t], t.casefold()))

    def __len__(self) -> int:
        with self._locked():
            self._files.refresh()
            return sum(sum(info.counts.values()) for info in self._files.infos.values())
