"""The store's files as TinyDB sees them: a storage that reads and writes atomically, and table
changes made through TinyDB's public API (`Table.update`, `remove`, `insert_multiple`).

Changes are made on an in-memory copy of a file (`StagedStorage`), so that several files can be
prepared in full before any is put in place (see `tui.core.storage.journal`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from tui.core.annotations import Record
from tui.core.paths import dump_json, load_json
from tui.core.storage.atomic import check_not_special, write_atomically
from tui.core.storage.errors import CorruptDatabaseError

# A TinyDB file: table name -> {document id: record}.
Tables = dict[str, dict[str, Record]]
# table -> (records to put, by their "id"; ids to remove)
TableChanges = dict[str, tuple[dict[str, Record], set[str]]]


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, atomic durable writes, a clear error for damaged files."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> Tables | None:
        """The file's JSON, None when it does not exist or is empty; CorruptDatabaseError when it cannot be parsed."""
        check_not_special(self.path)
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not data.strip():
            return None
        try:
            parsed = load_json(data)
        except ValueError as exc:
            raise CorruptDatabaseError(f"{self.path} is not valid JSON ({exc})", self.path, "not valid JSON") from None
        if not isinstance(parsed, dict) or not all(isinstance(t, dict) for t in parsed.values()):
            raise CorruptDatabaseError(f"{self.path} does not hold a Margin database", self.path, "not a Margin database")
        tables: Tables = parsed
        return tables

    def write(self, data: Tables) -> None:
        """Replace the file's content atomically and durably."""
        write_atomically(self.path, dump_json(data))

    def close(self) -> None:
        """Nothing to release: every read and write opens and closes the file."""


class StagedStorage(Storage):
    """TinyDB storage holding one file's content in memory (`data`), to be written later."""

    def __init__(self, initial: Tables) -> None:
        self.data = initial

    def read(self) -> Tables:
        """The content as changed so far."""
        return self.data

    def write(self, data: Tables) -> None:
        """Keep the new content (nothing is written to disk)."""
        self.data = data

    def close(self) -> None:
        """Nothing to release."""


def _canonical_keys(table: dict[str, Record]) -> dict[str, Record]:
    """The table with every document id a decimal number, as TinyDB requires (a record under
    another key, from a hand-edited file, is kept under a new number)."""
    if all(isinstance(k, str) and k.isdigit() and str(int(k)) == k for k in table):
        return table
    numbered = {k: v for k, v in table.items() if k.isdigit() and str(int(k)) == k}
    next_id = max((int(k) for k in numbered), default=0) + 1
    out = {}
    for key, doc in table.items():
        if key in numbered:
            out[key] = doc
        else:
            out[str(next_id)] = doc
            next_id += 1
    return out


def _record_id(doc: object) -> str | None:
    value = doc.get("id") if isinstance(doc, Mapping) else None
    return value if isinstance(value, str) else None


def changed_content(data: Tables, changes: TableChanges) -> Tables:
    """The content of a file (`data`, as read) after `changes`: in each table, a record whose id
    is already there replaces it in its place (other copies of that id are removed), a new one
    is added under a new document id, and the ids to remove are taken out. Records that cannot
    be read (no id) are kept as they are."""
    staged = {
        name: {k: dict(v) if isinstance(v, dict) else v for k, v in _canonical_keys(table).items()}
        for name, table in data.items()
    }
    db = TinyDB(staged, storage=StagedStorage)
    for name, (upserts, removals) in changes.items():
        table = db.table(name, cache_size=0)
        raw = (db.storage.read() or {}).get(name, {})
        where: dict[str, list[int]] = {}
        for key, doc in raw.items():
            rid = _record_id(doc)
            if rid is not None:
                where.setdefault(rid, []).append(int(key))
        first = [keys[0] for rid, keys in where.items() if rid in upserts]
        if first:  # one update for all: each replaced in its place
            table.update(_replace_from(upserts), doc_ids=first)
        gone = [k for rid, keys in where.items() for k in (keys[1:] if rid in upserts else keys if rid in removals else ())]
        if gone:
            table.remove(doc_ids=gone)
        new = [record for rid, record in upserts.items() if rid not in where]
        if new:
            table.insert_multiple(new)
    db.close()
    return db.storage.read() or {}


def _replace_from(upserts: dict[str, Record]) -> Callable[[MutableMapping[str, Any]], None]:
    """TinyDB's update callable: a document becomes the upserted record with its id."""

    def replace(doc: MutableMapping[str, Any]) -> None:
        record = upserts[doc["id"]]
        doc.clear()
        doc.update(record)

    return replace
