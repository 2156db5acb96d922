"""Opening a database: the main file's schema, migrating older layouts, and tidying up after a crash.

Layout (schema 2): the main file holds only the schema record (`meta` table); annotations and
speaker corrections live in `PATH.d/`, one file per article. A schema-1 database (every
annotation inside the main file) is migrated on open, a copy of the old file kept beside it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tinydb.storages import Storage

from tui.core.annotations import Record, checked_record, now_iso
from tui.core.paths import dump_json
from tui.core.storage import journal
from tui.core.storage.atomic import READ_ONLY_ERRNOS, fsync_dir, unlink_quietly, write_atomically
from tui.core.storage.errors import CorruptDatabaseError, StoreError
from tui.core.storage.shards import ANNOTATIONS_TABLE, ShardFiles, newer
from tui.core.storage.status import StoreStatus, timestamp

SCHEMA_VERSION = 2
META_TABLE = "meta"
LAYOUT = "per-article"


def write_meta(path: Path, shard_dir: Path, created: str, **extra: str | int) -> None:
    """Write the main file: the schema record only."""
    meta = {"schema": SCHEMA_VERSION, "layout": LAYOUT, "shards": shard_dir.name, "created": created, **extra}
    write_atomically(path, dump_json({META_TABLE: {"1": meta}}))


def start(files: ShardFiles, main: Storage, create: bool = True) -> None:
    """Open the database (the caller holds the lock): finish an interrupted operation, remove
    stale temporary files, check the schema, migrate or create the main file (not without
    `create`: a caller that only reads). A main file that holds another program's data is
    refused (or, for the default database, moved aside), never overwritten."""
    status = files.status
    if not status.read_only:
        journal.replay(files)  # first: its prepared files look like stale temporaries
        remove_stale_temporaries(status.path, files.dir)
    try:
        tables = main.read() or {}
    except CorruptDatabaseError as exc:
        damaged_main(files, exc.reason, create)
        tables = {}
    meta_rows = list((tables.get(META_TABLE) or {}).values())
    if not meta_rows and (foreign := foreign_tables(tables)):
        refuse_foreign(status, foreign)
        tables = {}
    if meta_rows and not isinstance(meta_rows[0], dict):
        status.quarantine(status.path, "its schema record is not an object", main=True)
        tables, meta_rows = {}, []
    version = meta_rows[0].get("schema") if meta_rows else None
    if meta_rows and (not isinstance(version, int) or version < 1):
        status.quarantine(status.path, f"unknown schema {version!r}", main=True)
        tables, meta_rows, version = {}, [], None
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise StoreError(f"{status.path} was written by a newer Margin (schema {version}); upgrade Margin to open it")
    if status.read_only:
        return  # nothing can be migrated or created: read what is there
    if version is None and (tables.get(ANNOTATIONS_TABLE) or {}):
        version = 1  # annotations without meta: an early schema-1 file
    try:
        if version == 1 or (tables.get(ANNOTATIONS_TABLE) or {}):
            # Schema 1, or annotations an older Margin, still running, added to the main file
            # after the migration: move them to the per-article files too.
            migrate_1_to_2(files, tables)
        elif version is None and create:
            write_meta(status.path, files.dir, created=now_iso())
    except OSError as exc:
        if exc.errno not in READ_ONLY_ERRNOS:
            raise
        status.set_read_only(exc)


def foreign_tables(tables: dict[str, dict[str, Record]]) -> list[str]:
    """The tables of a main file without a schema record that Margin never writes there and that
    hold records (another program's TinyDB file); empty tables do not count."""
    return sorted(name for name, table in tables.items() if name not in (META_TABLE, ANNOTATIONS_TABLE) and table)


def refuse_foreign(status: StoreStatus, names: list[str]) -> None:
    """A main file holding another program's tables: refused, left untouched (the default
    database, in Margin's own folder, is moved aside and a new one started)."""
    listed = ", ".join(repr(n) for n in names[:5]) + (", …" if len(names) > 5 else "")
    reason = f"not a Margin database: it holds the table(s) {listed}"
    if status.explicit or status.read_only:
        raise StoreError(
            f"{status.path} is not a Margin annotations database (it holds the table(s) {listed}); "
            "it was left untouched: give the path of a Margin database, or of a file that does not exist yet"
        )
    status.quarantine(status.path, reason, main=True)


def damaged_main(files: ShardFiles, reason: str, create: bool) -> None:
    """The main file cannot be parsed. It only holds the schema record, which Margin rebuilds,
    when the annotations are in the per-article folder: a caller that saves moves it aside and
    writes a new one (even for a database the user named); a caller that only reads leaves it
    untouched and reads the folder. Otherwise `StoreStatus.quarantine` decides (refuse or move aside)."""
    status = files.status
    if not files.dir.is_dir():
        status.quarantine(status.path, reason, main=True)
        return
    if create and not status.read_only:
        status.move_aside(status.path, reason, main=True)
        return
    status.add_notice(
        f"The annotations database {status.path} is damaged ({reason}) and was left untouched; the annotations "
        f"are kept per article in {files.dir} and were read from there (opening Margin, or any command that saves, rebuilds it)."
    )


def migrate_1_to_2(files: ShardFiles, tables: dict[str, dict[str, Record]]) -> None:
    """Schema 1 kept every annotation in the main file: move them to per-article files."""
    path = files.status.path
    records = list((tables.get(ANNOTATIONS_TABLE) or {}).values())
    meta_rows = list((tables.get(META_TABLE) or {}).values())
    created = (meta_rows[0].get("created") if meta_rows else None) or now_iso()
    backup = path.with_name(f"{path.name}.schema1-{timestamp()}.bak")
    if records:
        shutil.copy2(path, backup)
        fsync_dir(backup.parent)
    checked = [checked_record(r) for r in records]
    records = [r for r, _ in checked if r is not None]
    bad = [why for r, why in checked if r is None]
    if bad:
        files.status.add_notice(
            f"{len(bad)} damaged annotation record(s) of {path} were skipped ({bad[0]}); the file as it was is kept at {backup}."
        )
    if records:
        files.know_all_ids()
        holders = set().union(*(files.ids.get(r["id"], set()) for r in records))
        stored = {r["id"]: r for r in files.best(holders)}
        journal.apply(files, [r for r in records if r["id"] not in stored or newer(r, stored[r["id"]])], [])
    write_meta(path, files.dir, created=created, migrated_from=1, migrated=now_iso())


def remove_stale_temporaries(path: Path, shard_dir: Path) -> None:
    """Temporary files left by a process killed mid-write (the caller holds the lock: none is live)."""
    candidates: list[Path] = []
    try:
        candidates += [p for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.") and p.name.endswith(".tmp")]
    except OSError:
        pass
    try:
        candidates += [p for p in shard_dir.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]
    except OSError:
        pass
    for p in candidates:
        unlink_quietly(p)
