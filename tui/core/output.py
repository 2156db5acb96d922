"""Writing an output file safely: never half-written, never overwritten without permission, never
over a file of an annotations database, never replacing a device or FIFO (a terminal or pipe the
user names on the command line is written into), and with the permissions the user's umask gives
a new file."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from tui.core.storage.atomic import fsync_dir, special_kind, unlink_quietly, write_temporary
from tui.core.storage.shards import database_files

# The annotations databases this process has opened (main files, symlinks resolved): no output
# is ever written over one of their files (`check_not_database`).
_DATABASES: set[Path] = set()


class NotRegularFileError(OSError):
    """The output path is a device, FIFO or socket that cannot be written as an output."""


class DatabaseFileError(OSError):
    """The output path is a file of an annotations database (its main file, lock or an article's file)."""


def protect_database(path: Path) -> None:
    """Never write an output over the files of the annotations database `path` (the store calls
    this when it opens one)."""
    _DATABASES.add(Path(os.path.realpath(Path(path).expanduser())))


def check_not_database(path: Path, databases: Iterable[Path] = ()) -> None:
    """Raise DatabaseFileError when writing `path` would replace a file of an annotations database:
    its main file, its lock, or anything in its per-article folder (`PATH.d/`), symlinks resolved.
    The databases are `databases` and those this process has opened."""
    shown = Path(path).expanduser()
    real = Path(os.path.realpath(shown))
    for database in {Path(os.path.realpath(Path(d).expanduser())) for d in databases} | _DATABASES:
        main, lock, folder = database_files(database)
        if real in (main, lock) or real.is_relative_to(os.path.realpath(folder)) or _same_file(real, main):
            raise DatabaseFileError(f"{shown} is part of the annotations database {main}: Margin never writes an output over it")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def is_stream(path: Path) -> bool:
    """Whether `path` (followed through symlinks) is a character device or a FIFO/pipe: written
    into directly (`write_output(..., streams=True)`), never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


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


def resolve_output(path: Path, streams: bool = False) -> Path:
    """Where writing `path` must go: a symlink is followed to its target (the link is kept).
    Raises IsADirectoryError, or NotRegularFileError for a device, FIFO or socket — except, with
    `streams`, a character device or FIFO (`/dev/stdout`, a pipe), which is returned as given."""
    path = Path(path).expanduser()
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = os.stat(path).st_mode  # followed as the kernel does: /dev/stdout is the pipe itself
    except OSError:
        return target
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(f"{path} is a folder")
    if stat.S_ISREG(mode):
        return target
    if streams and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return path
    shown = f"{path} (→ {target})" if target != path else str(path)
    kind = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else special_kind(mode)
    what = "regular files, terminals and pipes" if streams else "regular files"
    raise NotRegularFileError(f"{shown} is {kind}, not a regular file: Margin writes exports only to {what}")


def write_output(
    path: Path, payload: str | bytes, force: bool = False, streams: bool = False, databases: Iterable[Path] = ()
) -> None:
    """Write `payload` to `path` atomically (a temporary file, fsynced, then moved into place).

    A symlink is written through: its target gets the new content, atomically, and the link stays.
    A file of an annotations database (`check_not_database`, with `databases`) is refused
    (DatabaseFileError), even with `force`. A device, FIFO or socket is refused
    (NotRegularFileError), even with `force` — except, with `streams` (a path the user named on the
    command line), a character device or FIFO such as /dev/stdout or a pipe, which is written into
    directly (`write_stream`). A new file gets the umask's permissions; a replaced one keeps its
    own. Without `force` an existing file is never replaced, even one created while we were
    writing: the file is put in place with a hard link, which fails if the name is taken. Raises
    FileExistsError / FileNotFoundError / OSError with a message naming the file."""
    shown = Path(path).expanduser()
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    fd = own_descriptor(shown) if streams else None
    if fd is not None:  # `-o /dev/stdout`: what the shell opened (a file appended to, a pipe) gets it
        check_not_database(shown, databases)
        write_descriptor(fd, data)
        return
    target = resolve_output(shown, streams)
    check_not_database(shown, databases)
    if streams and is_stream(target):
        write_stream(target, data)
        return
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


_DESCRIPTOR_NAMES = re.compile(r"/dev/std(in|out|err)|/dev/fd/\d+|/proc/self/fd/\d+")


def own_descriptor(path: Path) -> int | None:
    """The file descriptor `path` names when it is one of this process's own (/dev/stdout,
    /dev/stderr, /dev/fd/N, /proc/self/fd/N) and open, else None."""
    text = str(path)
    if not _DESCRIPTOR_NAMES.fullmatch(text):
        return None
    fd = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}.get(text)
    if fd is None:
        fd = int(text.rsplit("/", 1)[1])
    try:
        os.fstat(fd)
    except OSError:
        return None
    return fd


def write_descriptor(fd: int, data: bytes) -> None:
    """Write all of `data` to the open descriptor `fd` where it stands (a file opened to append
    keeps what it held; nothing is replaced)."""
    if fd == 1:
        import sys

        sys.stdout.flush()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_stream(path: Path, data: bytes) -> None:
    """Write `data` into a character device or FIFO (/dev/stdout, a pipe, a terminal): directly,
    as a shell redirection would, never replacing it. A FIFO no process reads is refused
    (NotRegularFileError) rather than waited on."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO with no reader: opening it would block
            raise NotRegularFileError(f"{path} is a FIFO that no process reads") from None
        raise
    os.set_blocking(fd, True)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
