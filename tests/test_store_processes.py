"""The store across processes: killed mid-write (SIGKILL), and two writers at once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tui.core.store import AnnotationStore

REPO = Path(__file__).resolve().parents[1]

# Saves annotations forever, printing "<id> <article id>" once each save has returned. Every
# third step is a multi-article batch (a journaled write); every fifth moves an earlier
# annotation to another article (a write to one file and a removal from another).
WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[3])
    from tui.core.annotations import Annotation
    from tui.core.store import AnnotationStore

    store = AnnotationStore.open(sys.argv[1], explicit=True)
    prefix = sys.argv[2]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
    saved = []

    def make(i, article):
        text = f"passage {prefix} {i} " + "x" * (i % 50)
        return Annotation(article_id=f"{article:016x}", article_title="t", article_path=f"/a/{article}.txt",
                          start=i, end=i + len(text), text=text, tags=["t"], id=f"{prefix}{i}")

    i = 0
    while i < limit:
        if i % 3 == 2:
            batch = [make(i, i % 4), make(i + 1, (i + 1) % 4 + 4)]
            store.save_many(batch)
            i += 2
        elif i % 5 == 4 and saved:
            moved = saved[i % len(saved)]
            moved.article_id = f"{(int(moved.article_id, 16) + 1) % 8:016x}"
            store.update(moved)
            batch = [moved]
            i += 1
        else:
            batch = [make(i, i % 4)]
            store.add(batch[0])
            i += 1
        saved.extend(b for b in batch if b not in saved)
        for b in batch:
            print(b.id, b.article_id, flush=True)
""")


def _writer(db: Path, prefix: str, limit: int | None = None) -> subprocess.Popen:
    args = [sys.executable, "-c", WRITER, str(db), prefix, str(REPO)] + ([str(limit)] if limit else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _check_no_duplicates(db: Path) -> None:
    """Every annotation is in exactly one per-article file."""
    import orjson

    ids = []
    for shard in (db.parent / (db.name + ".d")).glob("*.json"):
        ids += [r["id"] for r in orjson.loads(shard.read_bytes())["annotations"].values()]
    assert len(ids) == len(set(ids))


def test_killed_at_random_moments_loses_nothing_it_reported_saved(tmp_path):
    db = tmp_path / "annotations.json"
    AnnotationStore.open(db)
    rng = random.Random(os.getpid())
    reported: dict[str, str] = {}
    deadline = time.monotonic() + 3
    rounds = 0
    while time.monotonic() < deadline or rounds < 3:
        rounds += 1
        proc = _writer(db, f"r{rounds}-")
        first = proc.stdout.readline()  # it is running and saving
        assert first, proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        lines = [first] + out.split("\n")
        if not out.endswith("\n"):
            lines.pop()  # killed in the middle of printing: that last line is cut, not reported
        for line in lines:
            if line.strip():
                annotation_id, article_id = line.split()
                reported[annotation_id] = article_id
        store = AnnotationStore.open(db, explicit=True)  # opens: not damaged
        stored = {a.id: a.article_id for a in store.all()}
        missing = set(reported) - set(stored)
        assert not missing, f"round {rounds}: lost {sorted(missing)[:5]}"
        _check_no_duplicates(db)
    assert len(reported) > 20 and rounds >= 3


def test_two_processes_saving_at_once_lose_nothing(tmp_path):
    db = tmp_path / "annotations.json"
    AnnotationStore.open(db)
    n = 300
    procs = [_writer(db, prefix, limit=n) for prefix in ("p-", "q-")]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
    reported = {line.split()[0] for out, _ in outputs for line in out.splitlines()}
    stored = {a.id for a in AnnotationStore.open(db).all()}
    assert len(reported) > n
    assert reported <= stored
    _check_no_duplicates(db)


def test_a_lock_held_too_long_is_a_clear_error(tmp_path):
    from filelock import FileLock

    from tui.core import store as store_module
    from tui.core.store import StoreError

    db = tmp_path / "annotations.json"
    store = AnnotationStore.open(db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from filelock import FileLock; l = FileLock(sys.argv[1]); l.acquire(); "
            "print('held', flush=True); time.sleep(30)",
            str(db) + ".lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        store._lock = FileLock(str(db) + ".lock", timeout=0.2)
        with pytest.raises(StoreError, match="locked by another process"):
            store.counts_by_article()
    finally:
        holder.kill()
        holder.wait()
    assert store_module.LOCK_TIMEOUT >= 5
