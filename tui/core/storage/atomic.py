"""Writing files atomically and durably: the one implementation behind the store, settings,
caches and exports (`tui.core.output`).

A file is written to a temporary file in the same folder, flushed and fsynced, then renamed over
the old one (`os.replace`) and the folder fsynced: a crash at any moment leaves the old or the
new content, never a torn file. Devices, FIFOs and sockets are never read or replaced.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


class SpecialFileError(OSError):
    """A path that is a device, FIFO or socket: Margin never reads or replaces it."""


def special_kind(mode: int) -> str:
    """What a non-regular file is, in a few words ("a FIFO", "a character device", …)."""
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_not_special(path: Path) -> None:
    """Raise SpecialFileError if `path` (followed through symlinks) is a device, FIFO or socket."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
        return
    kind = special_kind(st.st_mode)
    raise SpecialFileError(errno.EINVAL, f"{path} is {kind}, not a regular file; it was left untouched")


def describe_os_error(exc: OSError) -> str:
    """An OSError as a few plain words."""
    return {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EROFS: "the disk is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EIO: "input/output error (the disk may be failing)",
        errno.ELOOP: "a symbolic link in its path loops back on itself",
    }.get(exc.errno or 0) or (exc.strerror or str(exc)).rstrip(".")


def _write_payload(handle: BinaryIO, payload: bytes) -> None:
    """The one place where Margin writes a file's bytes (tests inject ENOSPC / EROFS here)."""
    handle.write(payload)


def unlink_quietly(path: str | Path) -> None:
    """Remove a file if it is there; never raises."""
    try:
        os.unlink(path)
    except OSError:
        pass


def write_temporary(path: Path, payload: bytes, durable: bool = True, mode: int | None = None) -> str:
    """Write `payload` to a new temporary file beside `path` (with permissions `mode` when given);
    returns its path. Nothing is left behind on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            _write_payload(handle, payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
    except BaseException:
        unlink_quietly(tmp)
        raise
    return tmp


def write_atomically(path: Path, payload: bytes, durable: bool = True) -> None:
    """Write `payload` to `path` so that readers see the old or the new content, never a mix.

    A symlink is written through (its target is replaced, the link stays); a device, FIFO or
    socket is refused (SpecialFileError), never replaced. `durable=False` skips the fsyncs (for
    hints that may be lost in a power cut, never data)."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    check_not_special(path)
    tmp = write_temporary(path, payload, durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        unlink_quietly(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk (after a rename), where the platform allows it."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
