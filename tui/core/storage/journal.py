"""Writing records into the per-article files, all or nothing, and finishing what a crash cut short.

Every file a change touches is first written in full to a temporary file beside it (its new
content made through TinyDB's API, see `tinydb_files.changed_content`). Only when all are written
(and, for a change of several files, a journal naming them) are they renamed into place. A
failure before that (a full disk) changes nothing and leaves nothing to replay; a crash while
renaming is finished by whichever process takes the lock next (`replay`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from tui.core.annotations import Record, checked_record
from tui.core.correction_record import CORRECTIONS_TABLE, checked_correction
from tui.core.paths import dump_json, load_json
from tui.core.storage.atomic import fsync_dir, unlink_quietly, write_atomically, write_temporary
from tui.core.storage.shards import ANNOTATIONS_TABLE, JOURNAL_FILE, ShardFiles, ShardInfo, shard_name
from tui.core.storage.tinydb_files import TableChanges, changed_content

JOURNAL_VERSION = 2


def prepare(files: ShardFiles, name: str, changes: TableChanges) -> tuple[str | None, list[Record], list[Record]]:
    """Write the new content of one per-article file to a temporary file: (its path, or None when
    the file ends up empty; the annotation and correction records it then holds). Nothing
    visible changes yet."""
    data = changed_content(files.read_raw(name), changes)
    if not any(data.values()):
        return None, [], []
    data.setdefault(ANNOTATIONS_TABLE, {})
    tmp = write_temporary(files.path(name), dump_json(data))
    records = [r for r in (checked_record(d)[0] for d in data[ANNOTATIONS_TABLE].values()) if r is not None]
    table = data.get(CORRECTIONS_TABLE) or {}
    corrections = [r for r in (checked_correction(d)[0] for d in table.values()) if r is not None]
    return tmp, records, corrections


def _changes(
    files: ShardFiles,
    puts: Sequence[Record],
    deletes: Sequence[str],
    cputs: Sequence[Record],
    cdeletes: Sequence[tuple[str, str]],
) -> dict[str, TableChanges]:
    """File name -> what changes in each of its tables."""
    changes: dict[str, TableChanges] = {}

    def change(name: str, table: str) -> tuple[dict[str, Record], set[str]]:
        return changes.setdefault(name, {}).setdefault(table, ({}, set()))

    for table, index, records in ((ANNOTATIONS_TABLE, files.ids, puts), (CORRECTIONS_TABLE, files.cids, cputs)):
        for record in records:
            target = shard_name(record.get("article_id", ""))
            change(target, table)[0][record["id"]] = record
            for other in index.get(record["id"], ()):
                if other != target:
                    change(other, table)[1].add(record["id"])
    for aid in deletes:
        for holder in files.ids.get(aid, ()):
            change(holder, ANNOTATIONS_TABLE)[1].add(aid)
    for article_id, cid in cdeletes:
        for holder in files.cids.get(cid, set()) | {shard_name(article_id)}:
            change(holder, CORRECTIONS_TABLE)[1].add(cid)
    for tables in changes.values():
        for upserts, removals in tables.values():
            removals -= set(upserts)
    return changes


def apply(
    files: ShardFiles,
    puts: Sequence[Record],
    deletes: Sequence[str],
    cputs: Sequence[Record] = (),
    cdeletes: Sequence[tuple[str, str]] = (),
) -> None:
    """Put annotation records (each into its article's file, out of any other it is known in)
    and delete annotation ids; `cputs` and `cdeletes` ((article id, correction id)) do the same
    for speaker corrections. The caller holds the lock. All or nothing (see the module)."""
    cache_current = files.cache_is_current()
    changes = _changes(files, puts, deletes, cputs, cdeletes)
    if not changes:
        return
    files.dir.mkdir(parents=True, exist_ok=True)
    journal = files.dir / JOURNAL_FILE
    prepared: list[tuple[str, str | None, list[Record], list[Record]]] = []
    try:
        for name in sorted(changes):
            prepared.append((name, *prepare(files, name, changes[name])))
        if len(prepared) > 1:
            replace = [[Path(tmp).name, name] for name, tmp, _, _ in prepared if tmp]
            unlink = [name for name, tmp, _, _ in prepared if not tmp]
            write_atomically(journal, dump_json({"v": JOURNAL_VERSION, "replace": replace, "unlink": unlink}))
    except BaseException:
        for _, tmp, _, _ in prepared:
            if tmp:
                unlink_quietly(tmp)
        raise
    try:
        for name, tmp, _, _ in prepared:
            if tmp:
                os.replace(tmp, files.path(name))
            else:
                try:
                    os.unlink(files.path(name))
                except FileNotFoundError:
                    pass
        fsync_dir(files.dir)
        if len(prepared) > 1:
            os.unlink(journal)
        for name, tmp, records, corrections in prepared:
            key = files.stat_key(name) if tmp else None
            if key is not None:
                files.remember(name, ShardInfo.of(key, records, corrections))
            else:
                files.forget(name)
        files.status.read_only = None
        if len(prepared) > 1:  # an import: keep the summary current, so no process reads every file
            if not files.scanned:
                files.load_summary()
            files.save_summary()
    finally:
        files.bump_version(cache_current)


def _plain_name(value: object) -> bool:
    return isinstance(value, str) and bool(value) and Path(value).name == value and value not in (".", "..")


def replay(files: ShardFiles) -> None:
    """Finish an operation a crash interrupted after it was prepared in full."""
    journal = files.dir / JOURNAL_FILE
    try:
        data = load_json(journal.read_bytes())
    except FileNotFoundError:
        return
    except ValueError:
        data = None  # written atomically, so never torn; be safe anyway
    if isinstance(data, dict) and data.get("v") == JOURNAL_VERSION:
        for item in data.get("replace") or []:
            if isinstance(item, list) and len(item) == 2 and all(_plain_name(x) for x in item):
                tmp, name = item
                try:
                    os.replace(files.dir / tmp, files.path(name))
                except FileNotFoundError:
                    pass  # already in place
        for name in data.get("unlink") or []:
            if _plain_name(name):
                raw = files.read_raw(name)
                annotations = files.valid_records(name, raw.get(ANNOTATIONS_TABLE, {}))
                if not annotations and not files.valid_records(name, raw.get(CORRECTIONS_TABLE, {}), CORRECTIONS_TABLE):
                    try:
                        os.unlink(files.path(name))
                    except FileNotFoundError:
                        pass
        fsync_dir(files.dir)
    elif isinstance(data, dict):  # written by an older Margin: roll it forward as it would
        puts = [r for r in (checked_record(r)[0] for r in data.get("puts") or []) if r is not None]
        deletes = [d for d in data.get("deletes") or [] if isinstance(d, str)]
        journal.unlink()
        files.know_all_ids()
        apply(files, puts, deletes)
    try:
        os.unlink(journal)
    except FileNotFoundError:
        pass
    files.seen = None
