"""The one entry point the UI uses to export: which formats exist, and writing a file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tui.core.annotations import Annotation
from tui.core.correction_record import SpeakerCorrection
from tui.core.export import FORMATS, REGISTRY, ExportResult, export_annotations
from tui.core.output import write_output


def available_formats() -> list[str]:
    """The export formats, Margin's own JSON first."""
    return list(FORMATS)


def extension(fmt: str) -> str:
    """The usual file-name extension of an export format (without the dot)."""
    found = REGISTRY.get(fmt)
    return found.extension if found is not None else "txt"


class NothingToExport(ValueError):
    """An export that would hold no annotation: no file is written. `left_out` says why the
    annotations there were are left out (empty when there were none)."""

    def __init__(self, left_out: list[str] | None = None) -> None:
        self.left_out = list(left_out or [])
        super().__init__("nothing to export" + (": " + "; ".join(self.left_out) if self.left_out else ": no annotations"))


def export_to_file(
    annotations: list[Annotation],
    path: Path,
    fmt: str,
    force: bool = False,
    corrections: Iterable[SpeakerCorrection] | None = None,
    decisions: Iterable[SpeakerCorrection] | None = None,
) -> ExportResult:
    """Write `annotations` as `fmt` to `path` (atomically; refuses to overwrite unless `force`).
    `corrections` (`tui.core.corrections.all_corrections(store)`) mark quotes whose speaker the
    user corrected (`speaker_source`); JSON and W3C carry the decisions of the exported articles
    (or `decisions`, as `export_annotations`). The result says how many were written and what was left out, and why.
    Raises NothingToExport, and writes nothing, when the export would hold no annotation (as
    `margin export` refuses an empty selection)."""
    if not annotations:
        raise NothingToExport()
    result = export_annotations(annotations, fmt, corrections, decisions)
    if result.count == 0:
        raise NothingToExport(result.messages)
    write_output(path, result.payload, force=force)
    return result
