"""The one entry point the UI uses to export: which formats exist, and writing a file."""

from __future__ import annotations

import json
from pathlib import Path

from tui.core.export import export_json_document
from tui.core.output import write_output

_EXTENSIONS = {"json": "json", "w3c": "jsonld", "jsonl": "jsonl", "markdown": "md", "csv": "csv"}


def available_formats() -> list[str]:
    try:
        from tui.core.export import FORMATS  # the full set, once the export formats land
    except ImportError:
        return ["json"]
    return list(FORMATS)


def extension(fmt: str) -> str:
    return _EXTENSIONS.get(fmt, "txt")


def render(annotations, fmt: str) -> str:
    try:
        from tui.core.export import render_export
    except ImportError:
        if fmt != "json":
            raise ValueError(f"unknown export format {fmt!r}") from None
        return json.dumps(export_json_document(annotations), ensure_ascii=False, indent=2) + "\n"
    return render_export(annotations, fmt)


def export_to_file(store, path: Path, fmt: str, force: bool = False) -> int:
    annotations = store.all()
    write_output(path, render(annotations, fmt), force=force)
    return len(annotations)
