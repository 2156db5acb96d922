"""The annotation store (a re-export of `tui.core.storage`, for callers written before the package).

Annotations and speaker corrections live in TinyDB files, one per article, written atomically
under a cross-process lock; see `tui.core.storage` for the parts.
"""

from __future__ import annotations

from tui.core.storage.anchored import TextsInLibrary, annotations_for_article, holds_text
from tui.core.storage.atomic import (
    READ_ONLY_ERRNOS,
    SpecialFileError,
    check_not_special,
    describe_os_error,
    fsync_dir,
    write_atomically,
)
from tui.core.storage.errors import CorruptDatabaseError, StoreError
from tui.core.storage.migration import META_TABLE, SCHEMA_VERSION
from tui.core.storage.shards import ANNOTATIONS_TABLE, JOURNAL_FILE, SHARD_SUFFIX, shard_dir_for, shard_name
from tui.core.storage.store import LOCK_TIMEOUT, AnnotationStore
from tui.core.storage.tinydb_files import AtomicJSONStorage

__all__ = [
    "ANNOTATIONS_TABLE",
    "JOURNAL_FILE",
    "LOCK_TIMEOUT",
    "META_TABLE",
    "READ_ONLY_ERRNOS",
    "SCHEMA_VERSION",
    "SHARD_SUFFIX",
    "AnnotationStore",
    "AtomicJSONStorage",
    "CorruptDatabaseError",
    "SpecialFileError",
    "StoreError",
    "TextsInLibrary",
    "annotations_for_article",
    "check_not_special",
    "describe_os_error",
    "fsync_dir",
    "holds_text",
    "shard_dir_for",
    "shard_name",
    "write_atomically",
]
