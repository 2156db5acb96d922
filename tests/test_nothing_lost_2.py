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
    return Annotation(article_id=article, article_title="T", article_path=f"/x/{article}.txt", start=i, end=i + 5,
                      text=f"text{i}", tags=kw.pop("tags", ["t"]), id=f"id{i:04d}", **kw)


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
