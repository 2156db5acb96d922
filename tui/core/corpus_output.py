"""The output folder of a corpus run (tui/core/corpus.py), and which files a run has to do.

The folder holds manifest.json, the quotes/, entities/ and articles/ partitions
(tui/core/quote_table.py) and a lock; `plan` compares the files found with the manifest.
Split from `tui.core.corpus`, which re-exports these names; this module does not import it.
Needs the `corpus` extra only where it says so (filelock, pyarrow: imported when used).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from tui.core.quote_table import MANIFEST, MANIFEST_VERSION, TABLES, parquet_bytes, shown_path
from tui.core.text import is_valid_text

if TYPE_CHECKING:
    from tui.core.folders import FileInfo


class CorpusError(Exception):
    """The run cannot start (missing extra, unreachable scheduler, output folder in use...)."""


class Output:
    """The output folder: manifest.json, the quotes/, entities/ and articles/ partitions, and a lock.
    `articles` maps each article's exact path (a file name that is not UTF-8 as Python gives it:
    bad bytes as surrogates) to its entry; manifest.json holds such a path with a JSON escape per
    bad byte ("caf\\udce9.txt", as `margin export` writes it), the tables as `shown_path` gives it.
    `people` is the fingerprint of the merges and splits the People columns were last filled with
    (None: to be filled)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.manifest_path = self.folder / MANIFEST
        self.articles: dict[str, dict[str, Any]] = {}
        self.rewrite: list[str] = []
        self.model: str | None = None
        self.people: str | None = None
        self._lock: Any = None

    def open(self) -> None:
        """Create the folder and its tables, take its lock and read the manifest. CorpusError when the folder
        is a file, in use by another run, or has a manifest that cannot be read or is from another version."""
        from filelock import FileLock, Timeout

        if self.folder.exists() and not self.folder.is_dir():
            raise CorpusError(f"{self.folder} is a file, not a folder")
        for table in TABLES:
            (self.folder / table).mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(self.folder / ".margin-corpus.lock"))
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise CorpusError(f"{self.folder} is in use by another `margin analyze --engine dask` run") from None
        from tui.core.paths import load_json

        try:
            data = load_json(self.manifest_path.read_bytes())
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as exc:
            raise CorpusError(f"{self.manifest_path}: cannot be read ({exc}); remove the folder to start again") from None
        if data and data.get("version") != MANIFEST_VERSION:
            raise CorpusError(f"{self.manifest_path}: written by another version of Margin; use a new folder")
        self.articles = dict(data.get("articles", {}))
        self.rewrite = list(data.get("rewrite", []))
        self.model = data.get("model")
        self.people = data.get("people")

    def close(self) -> None:
        """Release the folder's lock, if held."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def save(self) -> None:
        """Write the manifest, atomically (a path that is not UTF-8 as JSON escapes, \\udcNN)."""
        from tui.core.store import write_atomically

        document = {
            "version": MANIFEST_VERSION,
            "model": self.model,
            "rewrite": self.rewrite,
            "people": self.people,
            "articles": self.articles,
        }
        try:
            payload = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # orjson refuses surrogates; the standard library escapes them (load_json reads them back)
            payload = json.dumps(document, sort_keys=True).encode("ascii")
        write_atomically(self.manifest_path, payload)

    def partitions(self) -> set[str]:
        """The partition file names the manifest records."""
        return {entry["partition"] for entry in self.articles.values()}

    def forget(self, paths: set[str]) -> None:
        """Drop `paths` from the manifest and from their partitions (journaled, so an interrupted
        clean-up is finished by the next run)."""
        touched = {self.articles[p]["partition"] for p in paths if p in self.articles}
        for path in paths:
            self.articles.pop(path, None)
        self.rewrite = sorted(set(self.rewrite) | touched)
        if paths:
            self.people = None  # other articles, other people
        if touched:
            self.save()
        self.finish_rewrites()

    def finish_rewrites(self) -> None:
        """Finish the journaled clean-up: remove from each partition to rewrite the rows of articles no
        longer in the manifest (a partition left empty is deleted), then save the emptied journal."""
        if not self.rewrite:
            return
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        from tui.core.store import write_atomically

        members: dict[str, set[str]] = {}
        for path, entry in self.articles.items():
            held = members.setdefault(entry["partition"], set())
            held.add(shown_path(path))  # as the tables hold it
            if "\\" in path and is_valid_text(path):
                held.add(path)  # a table written before paths were escaped holds it as it is
        for partition in self.rewrite:
            keep = members.get(partition, set())
            for table in TABLES:
                file = self.folder / table / partition
                if not keep:
                    file.unlink(missing_ok=True)
                    continue
                try:
                    data = pq.read_table(file)
                except FileNotFoundError:
                    continue
                import pyarrow as pa

                kept = data.filter(pc.is_in(data["path"], value_set=pa.array(sorted(keep), pa.string())))
                if kept.num_rows != data.num_rows:
                    write_atomically(file, parquet_bytes(kept))
        self.rewrite = []
        self.save()

    def remove_orphans(self) -> int:
        """Remove partitions the manifest does not name, and leftover temporary files."""
        known = self.partitions()
        removed = 0
        for table in TABLES:
            for file in (self.folder / table).iterdir():
                orphan = file.name.endswith(".parquet") and not file.name.startswith(".") and file.name not in known
                leftover = file.name.startswith(".") and file.name.endswith(".tmp")
                if orphan or leftover:
                    file.unlink(missing_ok=True)
                    removed += orphan
        return removed


@dataclass(frozen=True)
class Plan:
    """What a run has to do: the files to analyse, how many are skipped, the manifest paths to forget."""

    todo: list[tuple[str, int]]  # (resolved path, size)
    skipped: int
    gone: set[str]  # in the manifest, to be forgotten (deleted or changed)


def plan(files: Iterable[FileInfo], output: Output | None) -> Plan:
    """Which files to analyse: every file without an output folder; with one, those new or changed
    (by size and modification time) since the manifest recorded them."""
    todo, skipped, seen, gone = [], 0, set(), set()
    for info in files:
        try:
            path = str(Path(info.path).resolve())
        except (OSError, RuntimeError):
            path = os.path.abspath(info.path)
        if path in seen:
            continue
        seen.add(path)
        entry = output.articles.get(path) if output else None
        if entry is not None and entry.get("size") == info.size and entry.get("mtime_ns") == info.mtime_ns:
            skipped += 1
            continue
        if entry is not None:
            gone.add(path)  # changed: its old rows go before the new ones are written
        todo.append((path, info.size))
    if output is not None:
        gone |= set(output.articles) - seen  # deleted, or no longer under the given folders
    return Plan(todo, skipped, gone)
