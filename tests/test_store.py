"""The annotation store: CRUD, per-article files, versions, migration, damaged files, disk errors."""

from __future__ import annotations

import errno
import json
import os

import orjson
import pytest

from tui.core.annotations import Annotation
from tui.core.store import (
    JOURNAL_FILE,
    SCHEMA_VERSION,
    AnnotationStore,
    CorruptDatabaseError,
    StoreError,
    shard_dir_for,
    shard_name,
    write_atomically,
)


def make(n: int = 0, article: str = "a" * 16, **kw) -> Annotation:
    text = kw.pop("text", f"passage number {n}")
    start = kw.pop("start", 10 * n)
    return Annotation(
        article_id=article,
        article_title=f"Title {article[:4]}",
        article_path=f"/articles/{article}.txt",
        start=start,
        end=start + len(text),
        text=text,
        **kw,
    )


@pytest.fixture
def db(tmp_path):
    return tmp_path / "data" / "annotations.json"


def test_add_update_delete_and_reads(db):
    store = AnnotationStore.open(db)
    one = store.add(make(1, tags=["claim", "source"]))
    two = store.add(make(2, tags=["claim"]))
    other = store.add(make(3, article="b" * 16, tags=["figure"]))
    assert [a.id for a in store.for_article("a" * 16)] == [one.id, two.id]
    assert store.counts_by_article() == {"a" * 16: 2, "b" * 16: 1}
    assert store.tags() == ["claim", "figure", "source"]
    one.note = "checked"
    before = one.updated
    store.update(one)
    assert one.updated >= before
    assert store.get(one.id).note == "checked"
    assert len(store) == 3
    assert store.delete(two.id).id == two.id
    assert store.delete("missing") is None
    assert sorted(a.id for a in store.all()) == sorted([one.id, other.id])
    # Another store object (another process) sees the same.
    again = AnnotationStore.open(db)
    assert sorted(a.id for a in again.all()) == sorted([one.id, other.id])
    assert again.for_path("/articles/" + "b" * 16 + ".txt")[0].id == other.id


def test_one_file_per_article_and_main_file_holds_the_schema(db):
    store = AnnotationStore.open(db)
    store.add(make(1))
    store.add(make(2, article="b" * 16))
    shards = sorted(p.name for p in shard_dir_for(db).iterdir() if not p.name.startswith("."))
    assert shards == ["a" * 16 + ".json", "b" * 16 + ".json"]
    meta = orjson.loads(db.read_bytes())["meta"]["1"]
    assert meta["schema"] == SCHEMA_VERSION and meta["layout"] == "per-article"
    # Deleting the last annotation of an article removes its file.
    for a in store.for_article("b" * 16):
        store.delete(a.id)
    assert not (shard_dir_for(db) / ("b" * 16 + ".json")).exists()


def test_unsafe_article_ids_get_safe_file_names(db):
    store = AnnotationStore.open(db)
    weird = "../../etc/passwd"
    store.add(make(1, article=weird))
    assert "/" not in shard_name(weird) and shard_name(weird) != weird
    assert [a.article_id for a in store.for_article(weird)] == [weird]
    assert not (db.parent.parent / "etc").exists()


def test_moving_an_annotation_to_another_article_leaves_no_copy(db):
    store = AnnotationStore.open(db)
    a = store.add(make(1))
    a.article_id = "c" * 16
    store.update(a)
    assert store.for_article("a" * 16) == []
    assert [x.id for x in store.for_article("c" * 16)] == [a.id]
    assert store.counts_by_article() == {"c" * 16: 1}


def test_version_changes_with_every_write_from_any_process(db):
    store = AnnotationStore.open(db)
    other = AnnotationStore.open(db)
    token = store.version()
    assert not store.changed_since(token)
    other.add(make(1))
    assert store.changed_since(token)
    token = store.version()
    store.add(make(2))
    assert other.changed_since(token)
    # The other process's cached counts follow.
    assert other.counts_by_article() == {"a" * 16: 2}


def test_a_store_tells_its_own_writes_from_another_process_s(db):
    store = AnnotationStore.open(db)
    other = AnnotationStore.open(db)
    token = store.version()
    first = store.add(make(1))
    store.add(make(2))
    store.delete(first.id)
    assert store.changed_since(token) and not store.changed_by_others(token, store.version())
    assert other.changed_by_others(token, other.version())  # for the other process, all three are news
    token = store.version()
    store.add(make(3))
    other.add(make(4))  # another process's write between two of ours
    store.add(make(5))
    assert store.changed_by_others(token, store.version())


def test_migrates_a_schema_1_database(db):
    records = [make(i, article=("a" if i % 2 else "b") * 16).to_record() for i in range(6)]
    v1 = {
        "meta": {"1": {"schema": 1, "created": "2024-01-01T00:00:00Z"}},
        "annotations": {str(i + 1): r for i, r in enumerate(records)},
    }
    db.parent.mkdir(parents=True)
    db.write_text(json.dumps(v1))
    store = AnnotationStore.open(db)
    assert sorted(a.id for a in store.all()) == sorted(r["id"] for r in records)
    assert store.counts_by_article() == {"a" * 16: 3, "b" * 16: 3}
    main = orjson.loads(db.read_bytes())
    assert main["meta"]["1"]["schema"] == 2 and "annotations" not in main
    assert main["meta"]["1"]["created"] == "2024-01-01T00:00:00Z"
    backups = list(db.parent.glob("annotations.json.schema1-*.bak"))
    assert len(backups) == 1 and json.loads(backups[0].read_text()) == v1
    # Opening again changes nothing.
    assert len(AnnotationStore.open(db)) == 6


def test_a_newer_schema_is_refused(db):
    db.parent.mkdir(parents=True)
    db.write_text(json.dumps({"meta": {"1": {"schema": 99}}}))
    with pytest.raises(StoreError, match="newer Margin"):
        AnnotationStore.open(db)


def test_damaged_database_is_moved_aside_and_a_fresh_one_started(db):
    db.parent.mkdir(parents=True)
    db.write_bytes(b'{"annotations": {"1": {"id": ')
    store = AnnotationStore.open(db, explicit=False)
    assert store.notice and "damaged" in store.notice and "moved to" in store.notice
    assert store.notice.count(".") >= 1 and "\n" not in store.notice
    [backup] = db.parent.glob("annotations.json.corrupt-*")
    assert backup.read_bytes() == b'{"annotations": {"1": {"id": '
    store.add(make(1))
    assert len(AnnotationStore.open(db)) == 1


def test_damaged_database_named_explicitly_is_refused_and_left_untouched(db):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"\x00\x01 not json")
    with pytest.raises(CorruptDatabaseError) as info:
        AnnotationStore.open(db, explicit=True)
    assert "damaged" in str(info.value) and "left untouched" in str(info.value) and str(db) in str(info.value)
    assert db.read_bytes() == b"\x00\x01 not json"
    assert not list(db.parent.glob("*.corrupt-*"))


def test_damaged_index_keeps_the_annotations(db):
    store = AnnotationStore.open(db)
    store.add(make(1))
    db.write_text("[1, 2")
    again = AnnotationStore.open(db)
    assert "index" in again.notice and len(again) == 1


def test_damaged_article_file_is_moved_aside(db):
    store = AnnotationStore.open(db)
    store.add(make(1))
    store.add(make(2, article="b" * 16))
    shard = shard_dir_for(db) / ("a" * 16 + ".json")
    shard.write_text("{oops")
    again = AnnotationStore.open(db)  # opening reads no article file (item 20 of issue 10): reading does
    assert [a.article_id for a in again.all()] == ["b" * 16]
    assert "one article" in again.notice
    assert list(shard_dir_for(db).glob("*.corrupt-*"))
    with pytest.raises(CorruptDatabaseError):
        shard.write_text("{oops")
        AnnotationStore.open(db, explicit=True).all()


def test_cli_says_so_in_one_line(db, capsys, monkeypatch):
    from tui.cli import main

    db.parent.mkdir(parents=True)
    db.write_text("garbage")
    assert main(["export", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("margin: error: ") and err.count("\n") == 1 and "damaged" in err
    monkeypatch.delenv("MARGIN_DB")
    monkeypatch.setattr("tui.core.paths.default_db_path", lambda: db)
    assert main(["export"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("margin: The annotations database was damaged")
    assert list(db.parent.glob("annotations.json.corrupt-*"))


@pytest.mark.parametrize(
    "code, words",
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "the disk is read-only"), (errno.EACCES, "permission denied")],
)
def test_disk_errors_are_one_clear_store_error(db, monkeypatch, code, words):
    store = AnnotationStore.open(db)
    store.add(make(1))

    def failing_fsync(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(StoreError) as info:
        store.add(make(2))
    assert str(info.value) == f"cannot save to the annotations database {db}: {words}"
    monkeypatch.undo()
    # Nothing half-written: the old content is intact, no temporary file is left.
    assert [a.text for a in AnnotationStore.open(db).all()] == ["passage number 1"]
    assert not [p for p in shard_dir_for(db).iterdir() if p.name.endswith(".tmp")]


def test_write_atomically_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "f.json"
    write_atomically(target, b"old")

    def boom(*a):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_an_interrupted_multi_article_write_is_replayed(db):
    store = AnnotationStore.open(db)
    a = store.add(make(1))
    moved = make(1, article="c" * 16)
    moved.id = a.id
    moved.updated = "2999-01-01T00:00:00Z"
    new = make(2, article="d" * 16)
    # As if the process died after writing the journal, before touching the files.
    journal = shard_dir_for(db) / JOURNAL_FILE
    write_atomically(journal, orjson.dumps({"puts": [moved.to_record(), new.to_record()], "deletes": []}))
    # The next lock holder (here: the next operation of a running store) replays it.
    assert store.counts_by_article() == {"c" * 16: 1, "d" * 16: 1}
    assert not journal.exists()


def test_stale_temporary_files_are_cleaned_up(db):
    AnnotationStore.open(db).add(make(1))
    stale = shard_dir_for(db) / (".aaaaaaaaaaaaaaaa.json.x1y2.tmp")
    stale.write_text("partial")
    AnnotationStore.open(db)
    assert not stale.exists()


def test_save_many_keeps_updated_and_is_one_operation(db):
    store = AnnotationStore.open(db)
    batch = [make(i, article=f"{i % 3:016x}", updated="2020-01-01T00:00:00Z") for i in range(9)]
    token = store.version()
    store.save_many(batch)
    assert store.changed_since(token)
    assert {a.updated for a in store.all()} == {"2020-01-01T00:00:00Z"}
    assert not (shard_dir_for(db) / JOURNAL_FILE).exists()


def test_annotations_an_old_margin_adds_after_the_migration_are_moved_too(db):
    store = AnnotationStore.open(db)
    kept = store.add(make(1, note="new", updated="2030-01-01T00:00:00Z"))
    main = orjson.loads(db.read_bytes())
    stale = dict(kept.to_record(), note="stale", updated="2020-01-01T00:00:00Z")
    late = make(2).to_record()
    main["annotations"] = {"1": stale, "2": late}  # an old process inserting into the main file
    db.write_bytes(orjson.dumps(main))
    again = AnnotationStore.open(db)
    assert {a.id: a.note for a in again.all()} == {kept.id: "new", late["id"]: ""}
    assert "annotations" not in orjson.loads(db.read_bytes())


# -- the storage package's parts ------------------------------------------------------------------
def test_table_changes_go_through_tinydb_and_keep_what_cannot_be_read():
    from tui.core.storage.tinydb_files import changed_content

    data = {
        "annotations": {
            "1": {"id": "a", "v": 1},
            "2": ["not", "a", "record"],  # damaged: kept as it is
            "3": {"id": "b", "v": 1},
            "4": {"id": "a", "v": 0},  # a second copy of "a"
            "x7": {"id": "c", "v": 1},  # hand-edited key: kept under a number
        },
        "other": {"1": {"kept": True}},
    }
    out = changed_content(data, {"annotations": ({"a": {"id": "a", "v": 2}, "d": {"id": "d", "v": 1}}, {"b"})})
    table = out["annotations"]
    assert table["1"] == {"id": "a", "v": 2}  # replaced in its place
    assert table["2"] == ["not", "a", "record"]
    assert "3" not in table and "4" not in table  # removed; the other copy of "a" too
    assert sorted(d["id"] for d in table.values() if isinstance(d, dict)) == ["a", "c", "d"]
    assert all(k.isdigit() for k in table)
    assert out["other"] == {"1": {"kept": True}}
    assert list(data["annotations"]) == ["1", "2", "3", "4", "x7"]  # the input is not changed
    assert data["annotations"]["1"] == {"id": "a", "v": 1}


def test_a_record_under_a_hand_edited_key_survives_a_save(db):
    store = AnnotationStore.open(db)
    one = store.add(make(1))
    shard = shard_dir_for(db) / f"{shard_name(one.article_id)}.json"
    data = orjson.loads(shard.read_bytes())
    data["annotations"] = {"first": data["annotations"]["1"]}
    shard.write_bytes(orjson.dumps(data))
    two = store.add(make(2))
    stored = AnnotationStore.open(db).for_article(one.article_id)
    assert [(a.id, a.text) for a in stored] == [(one.id, one.text), (two.id, two.text)]


def test_a_summary_from_an_older_margin_is_not_trusted(db):
    store = AnnotationStore.open(db)
    store.save_many([make(i, article=f"{i % 2:016x}") for i in range(4)])
    summary = shard_dir_for(db) / ".summary"
    old = orjson.loads(summary.read_bytes())
    # Margin before speaker corrections wrote version 1, without their counts; its numbers here are wrong.
    old = {"v": 1, "shards": {n: [e[0], {"0" * 16: 99}, {}, []] for n, e in old["shards"].items()}}
    summary.write_bytes(orjson.dumps(old))
    assert AnnotationStore.open(db).counts_by_article() == {f"{0:016x}": 2, f"{1:016x}": 2}


def test_deleting_the_last_annotation_keeps_a_file_with_speaker_corrections(db):
    from tui.core.correction_record import SpeakerCorrection

    store = AnnotationStore.open(db)
    one = store.add(make(1))
    correction = SpeakerCorrection(
        "c1",
        one.article_id,
        10,
        26,
        "passage number 1",
        "not_a_quote",
        None,
        None,
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00Z",
        article_path=one.article_path,
    )
    store.save_corrections([correction.to_record()])
    store.delete(one.id)
    assert [r["id"] for r in AnnotationStore.open(db).correction_records(one.article_id)] == ["c1"]
    with pytest.raises(ValueError, match="verdict"):
        store.save_corrections([dict(correction.to_record(), verdict="maybe")])
    # A journal naming the file to remove (an interrupted operation) spares it: it still holds a correction.
    journal = shard_dir_for(db) / JOURNAL_FILE
    write_atomically(journal, orjson.dumps({"v": 2, "replace": [], "unlink": [shard_name(one.article_id)]}))
    assert [r["id"] for r in AnnotationStore.open(db).all_correction_records()] == ["c1"]
    store.save_corrections([], [(one.article_id, "c1")])
    assert not (shard_dir_for(db) / f"{shard_name(one.article_id)}.json").exists()


def test_one_atomic_writer_for_exports_settings_and_the_store():
    import inspect

    from tui.core import output, settings
    from tui.core.storage import atomic, tinydb_files

    assert "write_temporary" in inspect.getsource(output.write_output)
    assert settings.write_atomically is atomic.write_atomically
    assert "write_atomically" in inspect.getsource(tinydb_files.AtomicJSONStorage.write)
