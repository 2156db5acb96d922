"""Bad input around the annotations database: a `--db` that is not a Margin database, does not
exist or loops, and a damaged main or article file. Each test failed before its fix."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.annotations import Annotation
from tui.core.store import AnnotationStore, shard_dir_for

OTHER_APPS = [
    '{"_default": {"1": {"title": "my other TinyDB app data"}}}',
    '{"items": {"a": {"b": 1}}}',
]


def note(n: int = 1, article: str = "a" * 16) -> Annotation:
    """An invented annotation."""
    text = f"an invented passage {n}"
    return Annotation(
        article_id=article, article_title="Invented", article_path="", start=0, end=len(text), text=text, tags=["t"]
    )


def listing(folder: Path) -> list[str]:
    """Every path under `folder`, relative, sorted (to see that nothing was created)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# -- 1: a JSON file that is not a Margin database is refused and left as it was -----------------
@pytest.mark.parametrize("content", OTHER_APPS)
@pytest.mark.parametrize("command", [["export"], ["chart", "tags"], ["corrections", "export"]])
def test_a_reading_command_refuses_another_programs_json_and_leaves_it(tmp_path, capsys, content, command):
    other = tmp_path / "other.json"
    other.write_text(content)
    assert main([*command, "--db", str(other)]) == 1
    err = capsys.readouterr().err
    assert "not a Margin annotations database" in err and err.count("\n") == 1
    assert other.read_text() == content


@pytest.mark.parametrize("content", OTHER_APPS)
def test_import_refuses_another_programs_json_as_its_database(tmp_path, capsys, content):
    other = tmp_path / "other.json"
    other.write_text(content)
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps({"format": "margin-annotations", "version": 1, "annotations": []}))
    assert main(["import", str(backup), "--db", str(other)]) == 1
    assert "not a Margin annotations database" in capsys.readouterr().err
    assert other.read_text() == content


def test_an_empty_json_file_becomes_a_database_only_for_a_command_that_writes(tmp_path, capsys):
    empty = tmp_path / "empty.json"
    empty.write_text("{}")
    assert main(["export", "--db", str(empty)]) == 0
    assert empty.read_text() == "{}"
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps({"format": "margin-annotations", "version": 1, "annotations": []}))
    assert main(["import", str(backup), "--db", str(empty)]) == 0
    assert '"schema"' in empty.read_text()


# -- 1: a --db that does not exist is an error for commands that only read ----------------------
@pytest.mark.parametrize("command", [["export"], ["chart", "tags"], ["corrections", "export"]])
def test_a_mistyped_db_is_refused_and_nothing_is_created(tmp_path, capsys, command):
    typo = tmp_path / "newdir" / "sub" / "typo.json"
    dangling = tmp_path / "link.json"
    dangling.symlink_to(tmp_path / "nowhere" / "target.json")
    before = listing(tmp_path)
    for db in (typo, dangling):
        assert main([*command, "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert "no database at" in err and err.count("\n") == 1
    assert listing(tmp_path) == before


def test_export_of_a_default_database_not_made_yet_is_empty_and_creates_nothing(tmp_path, capsys):
    assert not Path(os.environ["MARGIN_DB"]).exists()
    assert main(["export"]) == 0
    assert json.loads(capsys.readouterr().out)["annotations"] == []
    assert not Path(os.environ["MARGIN_DB"]).parent.exists()


def test_a_symlink_loop_as_db_is_one_clear_line(tmp_path, capsys):
    loop = tmp_path / "loop1.txt"
    loop.symlink_to("loop1.txt")
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps({"format": "margin-annotations", "version": 1, "annotations": []}))
    for command in (["export"], ["import", str(backup)]):
        assert main([*command, "--db", str(loop)]) == 1
        err = capsys.readouterr().err
        assert "loops" in err and "OSError" not in err and "--debug" not in err and err.count("\n") == 1


# -- 5: a damaged database says what to do ---------------------------------------------------
def damaged_main(tmp_path: Path) -> tuple[Path, bytes]:
    """A database of two annotations whose main file was cut to 40 bytes."""
    db = tmp_path / "ann.json"
    store = AnnotationStore.open(db, explicit=True)
    store.add(note(1))
    store.add(note(2, article="b" * 16))
    cut = db.read_bytes()[:40]
    db.write_bytes(cut)
    return db, cut


def test_a_damaged_main_file_is_rebuilt_by_a_command_that_saves(tmp_path, capsys):
    db, cut = damaged_main(tmp_path)
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps({"format": "margin-annotations", "version": 1, "annotations": []}))
    assert main(["import", str(backup), "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert "rebuilt" in err and str(shard_dir_for(db)) in err
    [aside] = tmp_path.glob("ann.json.corrupt-*")
    assert aside.read_bytes() == cut
    assert len(AnnotationStore.open(db, explicit=True).all()) == 2


def test_a_damaged_main_file_is_left_alone_by_export_which_reads_the_annotations(tmp_path, capsys):
    db, cut = damaged_main(tmp_path)
    assert main(["export", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)["annotations"]) == 2
    assert "left untouched" in captured.err and str(shard_dir_for(db)) in captured.err
    assert db.read_bytes() == cut and not list(tmp_path.glob("*.corrupt-*"))


def test_a_damaged_main_file_without_article_files_says_how_to_go_on(tmp_path, capsys):
    db = tmp_path / "ann.json"
    db.write_bytes(b'{"meta": {"1": {"sch')
    assert main(["export", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "rename it" in err and err.count("\n") == 1
    assert db.read_bytes() == b'{"meta": {"1": {"sch'


def test_a_damaged_article_file_is_named_with_the_way_forward(tmp_path, capsys):
    db = tmp_path / "ann.json"
    AnnotationStore.open(db, explicit=True).add(note(1))
    [shard] = shard_dir_for(db).glob("*.json")
    shard.write_bytes(b'{"annotations": {"1": ')
    recovery = tmp_path / "unsaved-annotations-1.json"
    record = note(2).to_record()
    exported = {
        "id": record["id"],
        "article": {"id": record["article_id"], "title": "Invented", "path": ""},
        **{k: record[k] for k in ("text", "start", "end", "created", "updated", "tags")},
    }
    recovery.write_text(json.dumps({"format": "margin-annotations", "version": 1, "annotations": [exported]}))
    assert main(["import", str(recovery), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert str(shard) in err and "renamed" in err and err.count("\n") == 1
    assert shard.read_bytes() == b'{"annotations": {"1": '
