"""The store's errors: each message is one clear sentence for the user."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The database cannot be used; the message is one clear sentence for the user."""


class CorruptDatabaseError(StoreError):
    """A database file cannot be parsed; `path` and `reason` say which and why."""

    def __init__(self, message: str, path: Path | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason or message
