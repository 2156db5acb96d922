"""What the store tells its user: notices (one sentence each), read-only state, and damaged
files moved aside (never deleted)."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from tui.core.storage.atomic import describe_os_error, fsync_dir
from tui.core.storage.errors import CorruptDatabaseError


def timestamp() -> str:
    """Local time to the second, for the names of files moved aside or backed up."""
    return f"{datetime.now():%Y%m%dT%H%M%S}"


def name_aside(path: Path, label: str) -> Path:
    """A free name beside `path` for keeping it aside: `NAME.LABEL-TIME` (then `-2`, `-3`…, so an
    earlier one is never overwritten)."""
    backup = path.with_name(f"{path.name}.{label}-{timestamp()}")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.name}.{label}-{timestamp()}-{n}")
    return backup


def copy_aside(path: Path) -> Path:
    """Copy a file Margin could not entirely understand to `NAME.damaged-TIME` (the file itself
    stays until the caller writes what it understood in its place); the copy's path. OSError."""
    backup = name_aside(path, "damaged")
    shutil.copy2(path, backup)
    return backup


class StoreStatus:
    """The state of one open database that every part of the store shares: the main file's path,
    whether the user named it (`explicit`), why it cannot be written (`read_only`, or None) and
    the notice to show (`notice`, or None). With `keep_damaged` (commands that only read), a
    damaged per-article file is neither moved aside nor an error: it is left untouched, skipped,
    and listed in `damaged` (its path -> why it cannot be read)."""

    def __init__(self, path: Path, shard_dir: Path, explicit: bool, keep_damaged: bool = False) -> None:
        self.path = path
        self.shard_dir = shard_dir
        self.explicit = explicit
        self.keep_damaged = keep_damaged
        self.damaged: dict[Path, str] = {}
        self.notice: str | None = None
        self.read_only: str | None = None

    def add_notice(self, notice: str) -> None:
        """Add a sentence to the notice."""
        self.notice = notice if not self.notice else f"{self.notice} {notice}"

    def set_read_only(self, exc: OSError) -> None:
        """The database cannot be written (`exc` says why): say so once."""
        reason = describe_os_error(exc)
        if self.read_only != reason:
            self.read_only = reason
            self.add_notice(
                f"The annotations database {self.path} cannot be written ({reason}): it is open read-only; "
                "everything can be shown and exported, but changes cannot be saved."
            )

    def quarantine(self, path: Path, reason: str, main: bool = False) -> None:
        """A damaged file: refuse (explicit database, read-only disk), saying which file and what
        to do, or move it aside and carry on."""
        if self.explicit or self.read_only:
            if main:
                message = (
                    f"the annotations database {path} is damaged ({reason}); it was left untouched: "
                    f"rename it (for example to {path.name}.damaged; nothing in it is lost) to start a new database there, or name another one with --db"
                )
            else:
                message = (
                    f"the annotations file of one article, {path}, is damaged ({reason}); it was left untouched, "
                    "and that article's annotations cannot be saved until it is renamed "
                    f"(for example to {path.name}.damaged; nothing in it is lost): the article then starts afresh, the others are not affected"
                )
            raise CorruptDatabaseError(message, path, reason)
        self.move_aside(path, reason, main)

    def move_aside(self, path: Path, reason: str, main: bool = False) -> None:
        """Move a damaged file to `PATH.corrupt-TIME` (never deleted) and say so in the notice."""
        backup = name_aside(path, "corrupt")
        os.replace(path, backup)
        fsync_dir(path.parent)
        if not main:
            notice = f"The annotations file of one article was damaged; it was moved to {backup} and that article starts afresh."
        elif self.shard_dir.is_dir():
            notice = (
                f"The annotations database index was damaged ({reason}); it was moved to {backup} and rebuilt "
                f"(annotations are kept per article in {self.shard_dir} and were not affected)."
            )
        else:
            notice = f"The annotations database was damaged; it was moved to {backup} and a new one started."
        self.add_notice(notice)
