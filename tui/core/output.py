"""Writing an output file safely: never half-written, never overwritten without permission."""

from __future__ import annotations

from pathlib import Path

from tui.core.store import write_atomically


def write_output(path: Path, payload: str, force: bool = False) -> None:
    path = path.expanduser()
    if path.exists() and not force:
        raise FileExistsError(f"{path} already exists (use --force to overwrite it)")
    if not path.parent.exists():
        raise FileNotFoundError(f"the folder {path.parent} does not exist")
    write_atomically(path, payload.encode("utf-8"))
