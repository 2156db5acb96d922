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
from helpers import SEED, make_app, open_article, wait_until

from tui.cli import main
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.store import AnnotationStore, StoreError, shard_dir_for, shard_name

REPO = Path(__file__).resolve().parents[1]
SIZE = (120, 36)


def make(i: int, article: str = "a" * 16, **kw) -> Annotation:
    return Annotation(
        article_id=article,
        article_title="T",
        article_path=f"/x/{article}.txt",
        start=i,
        end=i + len(f"text{i}"),
        text=f"text{i}",
        tags=kw.pop("tags", ["t"]),
        id=f"id{i:04d}",
        **kw,
    )


def write_article(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


# -- 1. lost tags under concurrency ----------------------------------------------------------------
def test_sixteen_concurrent_annotates_keep_every_tag(tmp_path):
    article = write_article(tmp_path, "a.txt", "Title\n\nFirst sentence here. Same sentence. Last one.\n")
    db = tmp_path / "db" / "ann.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui",
                "annotate",
                str(article),
                "--exact",
                "Same sentence.",
                "--tag",
                f"t{n}",
                "--db",
                str(db),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO,
        )
        for n in range(16)
    ]
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
    done = subprocess.run(
        [sys.executable, "-m", "tui", "export", "--db", str(fifo)], capture_output=True, text=True, env=env, cwd=REPO, timeout=60
    )
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


# -- the app ------------------------------------------------------------------------------------
async def annotate_here(app, reader, db, **fields) -> Annotation:
    """Another process annotates the passage under the reader's cursor; the reader shows it."""
    passage = reader.current_target()
    annotation = Annotation.for_passage(reader.article, passage.start, passage.end, **fields)
    AnnotationStore.open(db, explicit=True).add(annotation)
    reader.on_store_changed()
    return annotation


# -- 2. the app applies the user's change, not a stale record -------------------------------------
async def test_the_tag_dialog_keeps_a_tag_added_meanwhile_by_another_process(tmp_path, shared_analyzer):
    from textual.widgets import Input

    from tui.ui.screens.dialogs import TagDialog

    db = tmp_path / "db" / "ann.json"
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        mine = await annotate_here(app, reader, db, tags=["first"])
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        other = AnnotationStore.open(db, explicit=True)
        theirs = other.get(mine.id)
        theirs.tags.append("theirs")
        other.update(theirs)
        await pilot.press(*"mine", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, TagDialog))
        await pilot.pause()
        [stored] = AnnotationStore.open(db, explicit=True).all()
        assert stored.tags == ["first", "theirs", "mine"]
        # Removing a tag in the dialog removes that one only.
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        app.screen.query_one(Input).value = "mine, "
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, TagDialog))
        await pilot.pause()
        [stored] = AnnotationStore.open(db, explicit=True).all()
        assert stored.tags == ["mine"]


async def test_a_note_changed_on_both_sides_shows_both_and_asks(tmp_path, shared_analyzer):
    from textual.widgets import Static

    from tui.ui.screens.dialogs import NoteConflictDialog, NoteDialog

    db = tmp_path / "db" / "ann.json"
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        mine = await annotate_here(app, reader, db, tags=["x"], note="old")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        other = AnnotationStore.open(db, explicit=True)
        theirs = other.get(mine.id)
        theirs.note = "THEIR NOTE"
        theirs.tags.append("theirs")
        other.update(theirs)
        await pilot.press(*" and mine", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteConflictDialog))
        shown = str(app.screen.query_one("#theirs-note", Static).render()) + str(
            app.screen.query_one("#my-note", Static).render()
        )
        assert "THEIR NOTE" in shown and "old and mine" in shown
        [stored] = AnnotationStore.open(db, explicit=True).all()
        assert stored.note == "THEIR NOTE"  # nothing saved before the answer
        await pilot.press("b")
        await wait_until(pilot, lambda: not isinstance(app.screen, NoteConflictDialog))
        await pilot.pause()
        [stored] = AnnotationStore.open(db, explicit=True).all()
        assert stored.note == "THEIR NOTE\n\nold and mine" and stored.tags == ["x", "theirs"]


# -- 3. editing keeps what the user did not edit ------------------------------------------------------
async def test_editing_keeps_tabs_controls_and_commas_in_tags(tmp_path, shared_analyzer):
    from textual.widgets import Input, TextArea

    from tui.ui.screens.dialogs import NoteDialog, TagDialog

    db = tmp_path / "db" / "ann.json"
    raw_note = "col1\tcol2\r\x07end\x1b[31m"
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        mine = await annotate_here(app, reader, db, tags=["Smith, John", "a\tb"], note=raw_note)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        assert app.screen.query_one(Input).value == "Smith, John, a b, "
        await pilot.press(*"extra", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, TagDialog))
        await pilot.pause()
        assert AnnotationStore.open(db, explicit=True).get(mine.id).tags == ["Smith, John", "a\tb", "extra"]
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        area = app.screen.query_one(TextArea)
        assert "\t" not in area.text and "\x1b" not in area.text and "\x07" not in area.text  # shown safely
        await pilot.press(*" plus")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, NoteDialog))
        await pilot.pause()
        assert AnnotationStore.open(db, explicit=True).get(mine.id).note == raw_note + " plus"


# -- 15. one tag length limit, where tags are typed ----------------------------------------------------
async def test_a_tag_over_the_limit_is_refused_in_the_tag_box(tmp_path, shared_analyzer):
    from tui.core import annotations
    from tui.ui.screens.dialogs import TagDialog

    limit = annotations.MAX_TAG
    db = tmp_path / "db" / "ann.json"
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        app.screen.query_one("#tag-input").value = "x" * (limit + 1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TagDialog)  # still open, with a message
        assert any(f"at most {limit} characters" in str(n.message) for n in app._notifications)
        app.screen.query_one("#tag-input").value = "x" * limit
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, TagDialog))
        await pilot.pause()
    assert [a.tags for a in AnnotationStore.open(db, explicit=True).all()] == [["x" * limit]]
    assert main(["annotate", str(SEED), "--exact", "Pompeo", "--tag", "y" * (limit + 1), "--db", str(db)]) == 1


# -- 7. read-only, from the start and mid-session ---------------------------------------------------------
async def test_a_read_only_database_shows_everything_and_keeps_changes_in_memory(tmp_path, shared_analyzer, monkeypatch):
    db = tmp_path / "db" / "ann.json"
    article = load_article(SEED)
    start = article.text.index("The State Department has several")
    saved = Annotation.for_passage(article, start, start + 20, tags=["saved"])
    AnnotationStore.open(db, explicit=True).add(saved)
    faults = DiskFaults(db.parent, monkeypatch)
    faults.set(errno.EROFS)
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        assert [a.id for a in reader.annotations] == [saved.id]
        await wait_until(pilot, lambda: any("cannot be saved" in str(n.message) for n in app._notifications))
        await pilot.press("1")
        await pilot.pause()
        assert len(reader.annotations) == 2 and len(app.unsaved) == 1
        faults.set(None)  # writable again: the change is saved on the next try
        app.retry_unsaved()
        assert not app.unsaved
    assert len(AnnotationStore.open(db, explicit=True).all()) == 2


async def test_saved_annotations_stay_in_view_when_the_disk_turns_read_only(tmp_path, shared_analyzer, monkeypatch):
    db = tmp_path / "db" / "ann.json"
    app = make_app([SEED], db, shared_analyzer)
    faults = DiskFaults(db.parent, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await pilot.press("1")
        await pilot.pause()
        [first] = reader.annotations
        faults.set(errno.EROFS)
        await pilot.press("j", "j", "2")
        await pilot.pause()
        assert first.id in [a.id for a in reader.annotations] and len(reader.annotations) == 2
        reader.on_store_changed()
        assert first.id in [a.id for a in reader.annotations]


# -- 11. records of the wrong shape in the app ----------------------------------------------------------
async def test_an_article_with_damaged_records_opens(tmp_path, shared_analyzer):
    db = tmp_path / "db" / "ann.json"
    article = load_article(SEED)
    good = Annotation.for_passage(article, 100, 120, tags=["good"])
    AnnotationStore.open(db, explicit=True).add(good)
    shard = shard_dir_for(db) / f"{shard_name(article.id)}.json"
    data = orjson.loads(shard.read_bytes())
    record = data["annotations"]["1"]
    data["annotations"].update({"2": {**record, "id": "s", "start": "5"}, "3": "x", "abc": {**record, "id": "t", "tags": "x"}})
    data["meta"] = {"1": "x"}
    shard.write_bytes(orjson.dumps(data))
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        assert [a.id for a in reader.annotations] == [good.id]
        await wait_until(pilot, lambda: any("damaged annotation record" in str(n.message) for n in app._notifications))
        await pilot.press("1")
        await pilot.pause()
        assert len(reader.annotations) == 2
    assert orjson.loads(shard.read_bytes())["annotations"]["3"] == "x"  # left in the file


# -- 21. annotations follow their text -------------------------------------------------------------------------
def test_an_overwritten_file_leaves_annotations_on_the_copy_of_its_text(tmp_path):
    from tui.core.store import annotations_for_article

    lib = tmp_path / "lib"
    lib.mkdir()
    old_text = "Old story\n\nThe mayor said the bridge would open in May. Nobody believed it.\n"
    a = write_article(lib, "a.txt", old_text)
    write_article(lib, "copy.txt", old_text)
    old = load_article(a)
    store = AnnotationStore.open(tmp_path / "ann.json", explicit=True)
    start = old.text.index("Nobody")
    note = Annotation.for_passage(old, start, start + 6, tags=["doubt"])
    store.add(note)
    write_article(lib, "a.txt", "New story\n\nSomething else entirely happened today.\n")
    new = load_article(a)
    copy = load_article(lib / "copy.txt")
    assert annotations_for_article(store, new, keep_ids={new.id, copy.id}) == []
    [kept] = annotations_for_article(store, copy)
    assert (kept.id, kept.orphan, kept.article_id) == (note.id, False, old.id)
    assert kept.article_path == str(lib / "copy.txt")  # a.txt no longer holds its text
    assert annotations_for_article(store, new) == []  # and the new text no longer claims it


async def test_the_app_keeps_annotations_with_the_copy_of_an_overwritten_file(tmp_path, shared_analyzer):
    from tui.ui.screens.library import LibraryScreen

    lib = tmp_path / "lib"
    lib.mkdir()
    old_text = "Old story\n\nThe mayor said the bridge would open in May. Nobody believed it.\n"
    a = write_article(lib, "a.txt", old_text)
    db = tmp_path / "db" / "ann.json"
    old = load_article(a)
    start = old.text.index("Nobody")
    note = Annotation.for_passage(old, start, start + 6, tags=["doubt"])
    AnnotationStore.open(db, explicit=True).add(note)
    write_article(lib, "a.txt", "New story\n\nSomething else entirely happened today.\n")
    write_article(lib, "b-copy.txt", old_text)
    app = make_app([lib], db, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded and app.screen.articles)
        rows = [e.path for e in app.screen.articles]
        reader = await open_article(pilot, rows.index(str(a)))
        assert reader.annotations == []
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        reader = await open_article(pilot, rows.index(str(lib / "b-copy.txt")))
        assert [(x.id, x.orphan) for x in reader.annotations] == [(note.id, False)]


# -- 20. opening is lazy: the cost follows the articles touched ----------------------------------------
def test_one_annotate_reads_only_the_article_files_it_touches(tmp_path, monkeypatch):
    from tui.core.store import AtomicJSONStorage

    db = tmp_path / "db" / "ann.json"
    AnnotationStore.open(db, explicit=True).save_many([make(i, article=f"{i:016x}") for i in range(40)])
    shards = shard_dir_for(db)
    for file in shards.glob("*.json"):
        os.utime(file, (1_000_000_000, 1_000_000_000))  # not "just written" (those are always re-read)
    AnnotationStore.open(db, explicit=True).counts_by_article()  # the library was shown once
    reads: list[Path] = []
    real = AtomicJSONStorage.read

    def counting(self):
        reads.append(self.path)
        return real(self)

    monkeypatch.setattr(AtomicJSONStorage, "read", counting)
    assert main(["annotate", str(SEED), "--exact", "Pompeo", "--tag", "x", "--db", str(db)]) == 0
    assert main(["annotate", str(SEED), "--exact", "Pompeo", "--tag", "y", "--db", str(db)]) == 0
    assert {p.name for p in reads if p.parent == shards} == {f"{load_article(SEED).id}.json"}


def test_an_operation_interrupted_after_it_was_prepared_is_finished_by_the_next_process(tmp_path, monkeypatch):
    db = tmp_path / "db" / "ann.json"
    store = AnnotationStore.open(db, explicit=True)
    real_replace = os.replace
    calls = []

    def crash_after_one(src, dst, *args, **kwargs):  # the process dies after the first rename
        if str(dst).endswith(".json") and ".d" in str(dst) and not os.path.basename(dst).startswith("."):
            calls.append(dst)
            if len(calls) > 1:
                raise KeyboardInterrupt
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", crash_after_one)
    with pytest.raises(KeyboardInterrupt):
        store.save_many([make(n, article=f"{n:016x}") for n in range(4)])
    monkeypatch.setattr(os, "replace", real_replace)
    assert (shard_dir_for(db) / ".journal.json").exists()
    assert sorted(a.id for a in AnnotationStore.open(db, explicit=True).all()) == [f"id{n:04d}" for n in range(4)]
    assert not (shard_dir_for(db) / ".journal.json").exists() and not list(shard_dir_for(db).glob(".*.tmp"))


def test_a_stale_library_entry_does_not_stop_an_edited_article_taking_its_annotations(tmp_path):
    from tui.core.store import TextsInLibrary, annotations_for_article

    lib = tmp_path / "lib"
    lib.mkdir()
    a = write_article(lib, "a.txt", "Story\n\nThe mayor said the bridge would open in May. Nobody believed it.\n")
    old = load_article(a)
    store = AnnotationStore.open(tmp_path / "ann.json", explicit=True)
    start = old.text.index("Nobody")
    store.add(Annotation.for_passage(old, start, start + 6, tags=["doubt"]))
    write_article(lib, "a.txt", "Story\n\nThe mayor said the bridge would open in June. Nobody believed it.\n")
    copy = write_article(lib, "copy.txt", "Something else now.\n")  # listed with the old text's id, since changed
    edited = load_article(a)
    texts = TextsInLibrary({old.id: str(a), "other": str(copy)}, exclude=str(a))
    assert old.id not in TextsInLibrary({old.id: str(copy)})
    [moved] = annotations_for_article(store, edited, texts)
    assert (moved.article_id, moved.orphan, edited.text[moved.start : moved.end]) == (edited.id, False, "Nobody")


def test_margin_annotate_leaves_annotations_with_the_indexed_copy_of_their_text(tmp_path):
    from tui.core.library import LibraryIndex

    lib = tmp_path / "lib"
    lib.mkdir()
    old_text = "Old story\n\nThe mayor said the bridge would open in May. Nobody believed it.\n"
    a = write_article(lib, "a.txt", old_text)
    write_article(lib, "copy.txt", old_text)
    LibraryIndex([lib]).refresh()  # Margin has shown this folder once
    db = tmp_path / "db" / "ann.json"
    assert main(["annotate", str(a), "--exact", "Nobody", "--tag", "doubt", "--db", str(db)]) == 0
    old_id = load_article(a).id
    write_article(lib, "a.txt", "New story\n\nSomething else entirely happened today.\n")
    assert main(["annotate", str(a), "--exact", "Something", "--tag", "x", "--db", str(db)]) == 0
    stored = {x.tags[0]: x for x in AnnotationStore.open(db, explicit=True).all()}
    assert (stored["doubt"].article_id, stored["doubt"].orphan) == (old_id, False)


async def test_the_note_conflict_dialog_fits_80_by_24_centred_with_its_whole_question(tmp_path, shared_analyzer):
    from textual.widgets import Button, Label

    from tui.ui.screens.dialogs import NoteConflictDialog, NoteDialog

    db = tmp_path / "db" / "ann.json"
    app = make_app([SEED], db, shared_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        mine = await annotate_here(app, reader, db, tags=["x"], note="old")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        other = AnnotationStore.open(db, explicit=True)
        theirs = other.get(mine.id)
        theirs.note = "\n".join(f"their line {i}" for i in range(15))
        other.update(theirs)
        await pilot.press(*" and mine", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteConflictDialog))
        await pilot.pause()
        dialog = app.screen.query_one("#conflict-dialog")
        screen = app.screen.region
        assert screen.contains_region(dialog.region)
        assert abs(dialog.region.x - (screen.width - dialog.region.right)) <= 1  # centred
        title = app.screen.query_one(".dialog-title", Label)
        assert title.region.height >= 2 and dialog.region.contains_region(title.region)  # wrapped, not cut
        for button in app.screen.query(Button):
            assert dialog.region.contains_region(button.region)
