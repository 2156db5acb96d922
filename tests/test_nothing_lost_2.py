"""Issue 10, "Nothing lost, round two": the store, the CLI's database handling and the app's saves.

Tests run as root (as CI does): devices and FIFOs are made with mknod/mkfifo in a temporary dir;
full and read-only disks are simulated by injecting ENOSPC / EROFS in the storage layer."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from conftest import SEED, make_app, open_article, wait_until
from tui.cli import main
from tui.core import store as store_module
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.store import AnnotationStore, StoreError, shard_dir_for, shard_name

REPO = Path(__file__).resolve().parents[1]
SIZE = (120, 36)


def make(i: int, article: str = "a" * 16, **kw) -> Annotation:
    return Annotation(article_id=article, article_title="T", article_path=f"/x/{article}.txt", start=i,
                      end=i + len(f"text{i}"), text=f"text{i}", tags=kw.pop("tags", ["t"]), id=f"id{i:04d}", **kw)


def write_article(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


# -- 1. lost tags under concurrency ----------------------------------------------------------------
def test_sixteen_concurrent_annotates_keep_every_tag(tmp_path):
    article = write_article(tmp_path, "a.txt", "Title\n\nFirst sentence here. Same sentence. Last one.\n")
    db = tmp_path / "db" / "ann.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-m", "tui", "annotate", str(article), "--exact", "Same sentence.",
                               "--tag", f"t{n}", "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env, cwd=REPO)
             for n in range(16)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    stored = AnnotationStore.open(db, explicit=True).all()
    assert len(stored) == 1
    assert sorted(stored[0].tags) == sorted(f"t{n}" for n in range(16))


# -- fault injection: a full or read-only disk under the database folder ------------------------------
class DiskFaults:
    """Make writes under `root` fail with `errno` (ENOSPC, EROFS) once `after` files were created."""

    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def __init__(self, root: Path, monkeypatch) -> None:
        import tempfile

        self.root = str(root)
        self.errno: int | None = None
        self.after = 0
        real_open, real_mkstemp, real_replace, real_unlink = os.open, tempfile.mkstemp, os.replace, os.unlink

        def inside(path) -> bool:
            return os.path.abspath(os.fsdecode(path)).startswith(self.root)

        def fail():
            raise OSError(self.errno, os.strerror(self.errno))

        def fake_open(path, flags, *args, **kwargs):
            if self.errno and inside(path) and flags & self.WRITE_FLAGS and self.after <= 0:
                if self.errno != errno.ENOSPC or not os.path.exists(path):  # a full disk still opens files
                    fail()
            return real_open(path, flags, *args, **kwargs)

        def fake_mkstemp(*args, **kwargs):
            if self.errno and inside(kwargs.get("dir") or ""):
                if self.after <= 0:
                    fail()
                self.after -= 1
            return real_mkstemp(*args, **kwargs)

        def fake_replace(src, dst, *args, **kwargs):
            if self.errno == errno.EROFS and inside(dst):
                fail()
            return real_replace(src, dst, *args, **kwargs)

        def fake_unlink(path, *args, **kwargs):
            if self.errno == errno.EROFS and inside(path):
                fail()
            return real_unlink(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(tempfile, "mkstemp", fake_mkstemp)
        monkeypatch.setattr(os, "replace", fake_replace)
        monkeypatch.setattr(os, "unlink", fake_unlink)

    def set(self, code: int | None, after: int = 0) -> None:
        self.errno, self.after = code, after


def export_ids(db: Path, capsys) -> list[str]:
    capsys.readouterr()
    assert main(["export", "--db", str(db)]) == 0
    return sorted(a["id"] for a in json.loads(capsys.readouterr().out)["annotations"])


def import_file(tmp_path: Path, annotations: list[Annotation]) -> Path:
    from tui.core.export import export_annotations

    path = tmp_path / "import.json"
    path.write_text(export_annotations(annotations, "json").payload, encoding="utf-8")
    return path


# -- 4. special files as the database ------------------------------------------------------------
@pytest.mark.parametrize("device", [(1, 3), (1, 7)], ids=["null", "full"])
def test_a_device_as_database_is_refused_and_left_alone(tmp_path, capsys, device):
    dev = tmp_path / "dev"
    os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(*device))
    assert main(["export", "--db", str(dev)]) == 1
    err = capsys.readouterr().err
    assert "character device" in err and "not a regular file" in err
    assert main(["annotate", str(SEED), "--exact", "Pompeo", "--tag", "x", "--db", str(dev)]) == 1
    assert stat.S_ISCHR(os.stat(dev).st_mode) and os.stat(dev).st_rdev == os.makedev(*device)
    assert not (tmp_path / "dev.d").exists()


def test_a_fifo_as_database_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "tui", "export", "--db", str(fifo)], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=60)
    assert done.returncode == 1 and "FIFO" in done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_symlink_to_a_device_is_refused_too(tmp_path, capsys):
    dev = tmp_path / "dev"
    os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    (tmp_path / "link.json").symlink_to(dev)
    assert main(["export", "--db", str(tmp_path / "link.json")]) == 1
    assert (tmp_path / "link.json").is_symlink() and stat.S_ISCHR(os.stat(dev).st_mode)


# -- 5. a symlinked database ---------------------------------------------------------------------
def test_a_symlinked_database_is_its_target(tmp_path, capsys):
    real = tmp_path / "real" / "ann.json"
    store = AnnotationStore.open(real, explicit=True)
    store.add(make(1))
    (tmp_path / "link").mkdir()
    link = tmp_path / "link" / "ann.json"
    link.symlink_to(real)
    assert export_ids(link, capsys) == ["id0001"]
    assert main(["annotate", str(SEED), "--exact", "Pompeo", "--tag", "x", "--db", str(link)]) == 0
    assert len(AnnotationStore.open(real, explicit=True).all()) == 2
    assert link.is_symlink()
    assert sorted(p.name for p in (tmp_path / "link").iterdir()) == ["ann.json"]  # no second store beside the link


# -- 6. a disk that fills during an import ----------------------------------------------------------
def test_a_failed_import_is_rolled_back_and_never_replayed(tmp_path, capsys, monkeypatch):
    db = tmp_path / "db" / "ann.json"
    store = AnnotationStore.open(db, explicit=True)
    store.add(make(1))
    incoming = [make(10 + n, article=f"{n:016x}") for n in range(6)]
    source = import_file(tmp_path, incoming)
    faults = DiskFaults(db.parent, monkeypatch)
    faults.set(errno.ENOSPC, after=2)  # the disk fills after two files of the import
    assert main(["import", str(source), "--db", str(db)]) == 1
    assert "disk is full" in capsys.readouterr().err
    faults.set(errno.ENOSPC)  # still full: reads work
    assert export_ids(db, capsys) == ["id0001"]
    assert main(["annotate", str(SEED), "--exact", "Pompeo", "--tag", "x", "--db", str(db)]) == 1
    faults.set(None)  # space freed: the failed import is not applied later
    assert export_ids(db, capsys) == ["id0001"]
    assert main(["annotate", str(SEED), "--exact", "Pompeo", "--tag", "x", "--db", str(db)]) == 0
    assert len(export_ids(db, capsys)) == 2
    assert not list(shard_dir_for(db).glob(".*.tmp")) and not (shard_dir_for(db) / ".journal.json").exists()
    assert main(["import", str(source), "--db", str(db)]) == 0  # and it can be done again, whole
    assert len(export_ids(db, capsys)) == 8


# -- 7. a read-only database ------------------------------------------------------------------------
def test_a_read_only_database_is_shown_and_exported(tmp_path, capsys, monkeypatch):
    db = tmp_path / "db" / "ann.json"
    store = AnnotationStore.open(db, explicit=True)
    store.add(make(1))
    store.add(make(2, article="b" * 16))
    faults = DiskFaults(db.parent, monkeypatch)
    faults.set(errno.EROFS)
    assert export_ids(db, capsys) == ["id0001", "id0002"]
    capsys.readouterr()
    ro = AnnotationStore.open(db, explicit=True)
    assert ro.read_only and "cannot be saved" in ro.notice
    assert [a.id for a in ro.for_article("a" * 16)] == ["id0001"]
    assert ro.counts_by_article() == {"a" * 16: 1, "b" * 16: 1}
    with pytest.raises(StoreError, match="read-only"):
        ro.add(make(3))
    assert main(["annotate", str(SEED), "--exact", "Pompeo", "--tag", "x", "--db", str(db)]) == 1
    assert "read-only" in capsys.readouterr().err


# -- 11. valid JSON with the wrong shapes --------------------------------------------------------------
def test_records_of_the_wrong_shape_are_skipped_never_a_crash(tmp_path):
    db = tmp_path / "ann.json"
    store = AnnotationStore.open(db, explicit=True)
    good = make(1)
    store.add(good)
    shard = shard_dir_for(db) / f"{shard_name(good.article_id)}.json"
    data = orjson.loads(shard.read_bytes())
    record = data["annotations"]["1"]
    data["annotations"]["x"] = {**record, "id": "other"}  # a non-numeric record id: still loaded
    data["annotations"]["2"] = {**record, "id": "bad", "start": "5"}
    data["annotations"]["3"] = "x"
    data["meta"] = {"1": "x"}
    shard.write_bytes(orjson.dumps(data))
    again = AnnotationStore.open(db, explicit=True)
    assert sorted(a.id for a in again.for_article(good.article_id)) == ["id0001", "other"]
    assert "2 damaged annotation record(s)" in again.notice
    again.add(make(5))  # writing the file keeps the damaged records, untouched
    kept = orjson.loads(shard.read_bytes())
    assert kept["annotations"]["2"]["start"] == "5" and kept["annotations"]["3"] == "x"
    assert sorted(a.id for a in again.all()) == ["id0001", "id0005", "other"]


@pytest.mark.parametrize("content", [{"meta": {"1": "x"}}, {"meta": {"1": {"schema": "2"}}}])
def test_a_main_file_of_the_wrong_shape_is_a_clear_error_or_moved_aside(tmp_path, content):
    db = tmp_path / "ann.json"
    db.write_bytes(orjson.dumps(content))
    with pytest.raises(StoreError, match="damaged"):
        AnnotationStore.open(db, explicit=True)
    assert orjson.loads(db.read_bytes()) == content
    store = AnnotationStore.open(db)  # the default database: moved aside, a new one started
    assert "damaged" in store.notice and len(store) == 0


def test_damaged_schema_1_records_are_skipped_and_kept_in_a_copy(tmp_path):
    db = tmp_path / "ann.json"
    good = make(1).to_record()
    db.write_bytes(orjson.dumps({"annotations": {"1": "x", "2": good, "z": {**good, "id": "b", "end": None}}}))
    store = AnnotationStore.open(db, explicit=True)
    assert [a.id for a in store.all()] == ["id0001"]
    assert "2 damaged annotation record(s)" in store.notice
    [backup] = tmp_path.glob("ann.json.schema1-*.bak")
    assert orjson.loads(backup.read_bytes())["annotations"]["1"] == "x"
