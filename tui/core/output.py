"""Writing an output file safely: never half-written, never overwritten without permission."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from tui.core.store import fsync_dir, write_atomically


def write_output(path: Path, payload: str | bytes, force: bool = False) -> None:
    """Write `payload` to `path` atomically (a temporary file, fsynced, then moved into place).

    Without `force` an existing file is never replaced, even one created while we were writing:
    the file is put in place with a hard link, which fails if the name is taken. Raises
    FileExistsError / FileNotFoundError / OSError with a message naming the file."""
    path = Path(path).expanduser()
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder")
    if path.exists() and not force:
        raise FileExistsError(f"{path} already exists (use --force to overwrite it)")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"the folder {path.parent} does not exist")
    if force:
        write_atomically(path, data)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise FileExistsError(f"{path} already exists (use --force to overwrite it)") from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.EOPNOTSUPP):
                raise
            # A file system without hard links: the check above is the best we can do.
            if path.exists():
                raise FileExistsError(f"{path} already exists (use --force to overwrite it)") from None
            os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    fsync_dir(path.parent)
