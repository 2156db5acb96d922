"""Writing an output file safely: never half-written, never overwritten without permission, never
through a device or FIFO, and with the permissions the user's umask gives a new file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from tui.core.storage.atomic import fsync_dir, special_kind, unlink_quietly, write_temporary


class NotRegularFileError(OSError):
    """The output path is a device, FIFO or socket: Margin writes only regular files."""


def current_umask() -> int:
    """The process's umask, read without changing it (other threads may be creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # no /proc: the classic way (briefly changes it)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """What `open(path, "w")` would give a new file: 0666 less the umask."""
    return 0o666 & ~current_umask()


def resolve_output(path: Path) -> Path:
    """Where writing `path` must go: a symlink is followed to its target (the link is kept).
    Raises IsADirectoryError, or NotRegularFileError for a device, FIFO or socket."""
    path = Path(path).expanduser()
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError:
        return target
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(f"{path} is a folder")
    if not stat.S_ISREG(mode):
        shown = f"{path} (→ {target})" if target != path else str(path)
        kind = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else special_kind(mode)
        raise NotRegularFileError(f"{shown} is {kind}, not a regular file: Margin writes exports only to regular files")
    return target


def write_output(path: Path, payload: str | bytes, force: bool = False) -> None:
    """Write `payload` to `path` atomically (a temporary file, fsynced, then moved into place).

    A symlink is written through: its target gets the new content, atomically, and the link stays.
    A device, FIFO or socket is refused (NotRegularFileError), even with `force`. A new file gets
    the umask's permissions; a replaced one keeps its own. Without `force` an existing file is never
    replaced, even one created while we were writing: the file is put in place with a hard link,
    which fails if the name is taken. Raises FileExistsError / FileNotFoundError / OSError with a
    message naming the file."""
    shown = Path(path).expanduser()
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    target = resolve_output(shown)
    exists = os.path.lexists(target)
    if exists and not force:
        raise FileExistsError(f"{shown} already exists (use --force to overwrite it)")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"the folder {target.parent} does not exist")
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode) if exists else new_file_mode()
    except OSError:
        mode = new_file_mode()
    tmp = write_temporary(target, data, mode=mode)  # the store's own atomic writer
    try:
        if force:
            resolve_output(shown)  # still not a device (it could have been swapped in meanwhile)
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise FileExistsError(f"{shown} already exists (use --force to overwrite it)") from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.EOPNOTSUPP):
                    raise
                # A file system without hard links: the check above is the best we can do.
                if os.path.lexists(target):
                    raise FileExistsError(f"{shown} already exists (use --force to overwrite it)") from None
                os.replace(tmp, target)
    finally:
        unlink_quietly(tmp)  # after a hard link, the temporary name; after a failure, the file
    fsync_dir(target.parent)
