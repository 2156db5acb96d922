"""Speaker corrections the database could not take (read-only): retried, and on the way out
written to a recovery file that the next start reads back (`AnnotationSession` inherits this).

Annotations that could not be saved go to an importable export (`margin import`); speaker
corrections come back on their own: `recover_corrections` at start saves them (and removes the
file), or keeps them in memory again while the database still cannot be written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.storage.errors import StoreError
from tui.core.text import one_line

if TYPE_CHECKING:
    from tui.core.correction_record import SpeakerCorrection
    from tui.core.storage.store import AnnotationStore

CORRECTIONS_RECOVERY = "unsaved-speaker-corrections-"  # recovery files: this, a time stamp, .json
CORRECTIONS_RECOVERY_FORMAT = "margin speaker corrections recovery"


class CorrectionRecovery:
    """The speaker corrections kept in memory (`store.unsaved_corrections`): retried, written to
    a recovery file, read back. Needs `self.store`; keeps `self._recovered`."""

    store: AnnotationStore
    _recovered: list[Path]

    # -- speaker corrections kept in memory (a read-only database) ---------------------------------
    @property
    def unsaved_corrections(self) -> int:
        """How many speaker corrections are kept in memory only (the database cannot be written)."""
        return len(self.store.unsaved_corrections)

    def retry_corrections(self) -> int:
        """Save the speaker corrections kept in memory; how many are still unsaved. Once all are
        saved, the recovery files they came back from (`recover_corrections`) are removed."""
        from tui.core.corrections import retry_unsaved_corrections

        still = retry_unsaved_corrections(self.store)
        if not still:
            self._remove_recovered()
        return still

    def write_corrections_recovery_file(self, folder: Path | None = None) -> Path | None:
        """Write the speaker corrections kept in memory to a recovery file (in the data dir unless
        `folder`), read back by `recover_corrections` at the next start; its path, or None when
        it cannot be written. The recovery files they came back from are then removed (this one
        holds them all)."""
        import orjson

        from tui.core.storage.atomic import write_atomically

        folder = folder if folder is not None else self._data_dir()
        path = folder / f"{CORRECTIONS_RECOVERY}{datetime.now():%Y%m%d-%H%M%S}.json"
        records = [c.to_record() for c in self.store.unsaved_corrections.values()]
        payload = {"format": CORRECTIONS_RECOVERY_FORMAT, "database": self._db_name(), "corrections": records}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(path, orjson.dumps(payload, option=orjson.OPT_INDENT_2))
        except Exception:  # whatever stops it, the caller keeps the corrections and says so
            return None
        self._remove_recovered(keep=path)
        return path

    def recover_corrections(self, folder: Path | None = None) -> tuple[int, str | None]:
        """Bring back the speaker corrections an earlier run wrote to recovery files (data dir
        unless `folder`): saved now and the files removed; on a database that cannot be written
        they are kept in memory (shown, retried) and the files stay until they are saved. A
        correction changed since in the database (a newer `updated`) is left as stored.
        Returns (how many came back, a problem with a file or None)."""
        folder = folder if folder is not None else self._data_dir()
        try:
            files = sorted(folder.glob(f"{CORRECTIONS_RECOVERY}*.json"))
        except OSError:
            return 0, None
        if not files:
            return 0, None
        import orjson

        from tui.core.correction_record import SpeakerCorrection, checked_correction

        found: dict[str, SpeakerCorrection] = {}
        problem = None
        for file in files:
            try:
                payload = orjson.loads(file.read_bytes())
                records = payload["corrections"] if isinstance(payload, dict) else None
                if not isinstance(records, list):
                    raise ValueError("no list of corrections")
                if payload.get("database") not in (None, self._db_name()):
                    continue  # another database's (`--db`): it comes back when that one is opened
            except (OSError, ValueError, KeyError) as exc:
                problem = f"{file}: cannot be read ({one_line(str(exc), 100)}); left in place"
                continue
            self._recovered.append(file)
            for record in records:
                checked, _ = checked_correction(record)
                if checked is not None:
                    correction = SpeakerCorrection.from_record(checked)
                    if correction.id not in found or found[correction.id].updated < correction.updated:
                        found[correction.id] = correction
        newer = self._newer_in_store(found.values())
        wanted = [c for c in found.values() if c.id not in newer]
        for correction in wanted:
            self.store.unsaved_corrections[correction.id] = correction
        self.retry_corrections()
        return len(wanted), problem

    def _newer_in_store(self, corrections: Iterable[SpeakerCorrection]) -> set[str]:
        """Ids of `corrections` whose stored version is as new or newer."""
        newer: set[str] = set()
        by_article: dict[str, dict[str, str]] = {}
        for correction in corrections:
            if correction.article_id not in by_article:
                try:
                    records = self.store.correction_records(correction.article_id)
                except StoreError:
                    records = []
                by_article[correction.article_id] = {r["id"]: r.get("updated", "") for r in records}
            stored = by_article[correction.article_id].get(correction.id)
            if stored is not None and stored >= correction.updated:
                newer.add(correction.id)
        return newer

    def _remove_recovered(self, keep: Path | None = None) -> None:
        for file in self._recovered:
            if file != keep:
                try:
                    file.unlink(missing_ok=True)
                except OSError:
                    pass
        self._recovered = [keep] if keep is not None else []

    def _db_name(self) -> str:
        return str(Path(self.store.path).resolve())

    @staticmethod
    def _data_dir() -> Path:
        from tui.core.paths import data_dir

        return data_dir()
