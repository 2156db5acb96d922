"""Importing annotations: Margin's JSON export, and W3C Web Annotations (ours or other tools').

`read_import_file(path)` parses and validates the whole file first; the first bad record is named
(its number, id and JSON location) in an `ImportFormatError`, and nothing is imported. The file is
streamed (ijson), so memory follows the annotations kept, not the file's size: every export
imports. Only regular files are read (a device or FIFO is refused), up to MAX_IMPORT_BYTES; a
UTF-8 byte-order mark is skipped. W3C collections whose pages are elsewhere (`first` an IRI, a
`next` page) are reported in `not_imported`. A Margin export also carries the user's speaker
decisions (`speaker_corrections`, W3C `margin:speakerCorrections`: every decision of the exported
articles, on annotated quotes or not); a file of `margin corrections export` (JSON Lines, one
checked quote a line) is read as such decisions; `margin export --format jsonl` (for training
tools, without ids, notes or times) is refused with a word on what to import instead.

`attach_to_known_articles` then ties each annotation to an article file only when that file is
one the user has: in the library, in a folder Margin has opened, already annotated in the store,
or named with `--article`. Any other path (say `file:///etc/shadow` in a hostile file) is dropped,
so no export ever reads it; the annotation is kept and re-attaches by its article id when the
user opens that article. Offsets are checked against the article text when the file is there and
has the text the annotation was made on.

Then `import_annotations` saves everything: `AnnotationStore.merge` in one all-or-nothing write,
where an annotation already stored is replaced only by a copy with a newer `updated`, and the
user's speaker decisions the file carries (its `speaker_corrections`, and quotes whose
`speaker_source` is "user") as speaker corrections where the database has none for that quote (`speaker_decisions`,
`tui.core.corrections.restore_corrections`): importing twice changes nothing. The limits of a
record are those of `tui.core.annotations`, so everything Margin writes imports back.
"""

from __future__ import annotations

import io
import os
import re
import stat
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.annotations import MAX_TAG, Annotation
from tui.core.correction_record import SpeakerCorrection
from tui.core.import_records import (  # noqa: F401 (KINDS, EPOCH re-exported)
    EPOCH,
    KINDS,
    BadRecord,
    decision_record,
    listify,
    native_record,
    native_speaker_source,
    training_line,
    w3c_record,
    w3c_speaker_source,
)

if TYPE_CHECKING:
    from tui.core.analysis.service import Analyzer
    from tui.core.articles import Article
    from tui.core.corrections import RestoredDecisions
    from tui.core.storage.store import AnnotationStore

MAX_TAG_LEN = MAX_TAG
MAX_IMPORT_BYTES = 4 * 2**30  # read limit; the file is streamed, so this is no memory bound
CHUNK = 1 << 20
# Arrays and objects nested deeper are refused before ijson sees them (its memory grows with the
# square of the depth). A Margin export nests 4 deep, a W3C export about 7; other tools' W3C a little more.
MAX_DEPTH = 64
SUPPORTED_VERSIONS = (1,)


class ImportFormatError(ValueError):
    """The file cannot be imported; the message names the file and, if any, the first bad record."""


# -- the file ---------------------------------------------------------------------------------
_NATIVE_ITEMS = "annotations"
_W3C_ITEMS = {"": "", "first.items": "/first/items", "items": "/items"}  # records' array -> JSON path
_HEADER = {
    "format",
    "version",
    "type",
    "type.item",
    "@context",
    "@context.item",
    "first",
    "first.type",
    "first.type.item",
    "first.next",
    "next",
    "total",
    "first.items",
    "items",
    "annotations",
}


_SHARED_FIELDS = ("article_id", "article_title", "article_path", "text_hash")
# The speaker decisions of a Margin export (JSON, W3C): written before the annotations.
_DECISIONS = {"speaker_corrections": "/speaker_corrections", "margin:speakerCorrections": "/margin:speakerCorrections"}
CORRECTIONS_FORMAT = "Margin speaker corrections (JSON Lines)"


@dataclass
class ImportData:
    """What an import file holds once checked: the annotations, the format and what was not imported."""

    annotations: list[Annotation]
    fmt: str
    not_imported: list[str] = field(default_factory=list)  # what the file points to but does not hold
    positions: dict[str, int] = field(default_factory=dict)  # annotation id -> its number in the file (from 1)
    noun: str = "record"
    where: str | None = None  # JSON path of the records' array
    # ids of the quote annotations whose speaker the file says is the user's (`speaker_source`
    # "user"): the user named, corrected or confirmed it; the import restores that decision
    user_speakers: set[str] = field(default_factory=set)
    # the user's speaker decisions the file carries as records of their own: an export's
    # `speaker_corrections`, or the lines of `margin corrections export`
    corrections: list[SpeakerCorrection] = field(default_factory=list)

    def label(self, annotation_id: str) -> str:
        """'record 3 (id …) at /annotations/2': where an annotation is in the file."""
        index = self.positions.get(annotation_id)
        if index is None:
            return f"{self.noun} with id {annotation_id!r}"
        return f"{self.noun} {index} (id {annotation_id[:80]!r})" + (
            f" at {self.where}/{index - 1}" if self.where is not None else ""
        )


# A value parsed from the file by ijson (an object, array, string, number, true/false or null):
# its shape is checked by `tui.core.import_records` before anything is used.
JsonValue = Any


_MARKS = b'"[]{}\\'
_NOT_MARKS = bytes(b for b in range(256) if b not in _MARKS)
_QUOTE, _OPENING = ord('"'), frozenset(b"[{")


class _DepthCheck:
    """Follows the nesting of arrays and objects in the bytes of a JSON document, chunk by chunk,
    and raises ImportFormatError as soon as it passes MAX_DEPTH. Only bytes methods touch every
    byte: they keep quotes, brackets and backslashes, take escapes out, then pairs of quotes with
    nothing between them (which change no bracket's side of a string); Python follows the rest."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.depth = 0
        self.in_string = False
        self.carry = b""  # a backslash the last chunk ended with, its escaped character in the next

    def feed(self, data: bytes) -> None:
        """Follow the next bytes of the document."""
        chunk, self.carry = self.carry + data, b""
        if chunk.endswith(b"\\") and (len(chunk) - len(chunk.rstrip(b"\\"))) % 2:
            chunk, self.carry = chunk[:-1], b"\\"
        marks = chunk.translate(None, _NOT_MARKS)
        if b"\\" in marks:
            if b'\\"' in marks or b"\\\\" in marks:  # maybe an escaped quote or backslash: take them out
                marks = chunk.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_MARKS)
            marks = marks.replace(b"\\", b"")  # the other escapes (\n, \u…) hide no quote
        for byte in marks.replace(b'""', b""):
            if byte == _QUOTE:
                self.in_string = not self.in_string
            elif self.in_string:
                continue
            elif byte in _OPENING:
                self.depth += 1
                if self.depth > MAX_DEPTH:
                    raise ImportFormatError(
                        f"{self.name} nests arrays or objects more than {MAX_DEPTH} deep, which no export does: "
                        "it was not imported"
                    )
            else:
                self.depth -= 1


class _Reader:
    """A file-like over a byte source: the UTF-8 BOM skipped, at most `limit` bytes, nesting at
    most MAX_DEPTH deep."""

    def __init__(self, read: Callable[[int], bytes], name: str, limit: int) -> None:
        self._read, self.name, self.limit, self.total, self._first = read, name, limit, 0, True
        self._depth = _DepthCheck(name)

    def read(self, size: int = -1) -> bytes:
        data = self._read(CHUNK if size is None or size < 0 else size)
        if self._first and data:  # (ijson first reads 0 bytes, to see whether it gets bytes)
            self._first = False
            while len(data) < 3 and b"\xef\xbb\xbf".startswith(data):
                more = self._read(3 - len(data))
                if not more:
                    break
                data += more
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:] or self._read(CHUNK if size is None or size < 0 else size)
        self.total += len(data)
        if self.total > self.limit:
            raise ImportFormatError(f"{self.name} is too large to import (over {self.limit / 2**20:,.0f} MiB)")
        self._depth.feed(data)
        return data


# A new reader of the whole input from its start, each time it is called (the input is read in several passes).
Opener = Callable[[], _Reader]


def _json_error(name: str, exc: Exception) -> ImportFormatError:
    """One line naming the file and the parser's reason (its dump of the bytes left out)."""
    detail = str(exc).strip().strip("b'\"").splitlines()[0] if str(exc).strip() else type(exc).__name__
    detail = detail.split("\\n", 1)[0].rstrip(".").strip() or "not JSON"
    return ImportFormatError(f"{name} is not valid JSON ({detail})")


def _events(opener: Opener, name: str) -> Iterator[tuple[str, str, JsonValue]]:
    import ijson

    try:
        yield from ijson.parse(opener(), use_float=True)
    except ijson.JSONError as exc:
        raise _json_error(name, exc) from None


def _sniff(opener: Opener, name: str) -> tuple[str, dict[str, JsonValue], str | None]:
    """(root kind: 'map'|'list'|'lines'|'scalar', header values seen before the records, prefix of
    the records' array or None). Reads the file only up to the start of that array; 'lines' as
    soon as the first object's first key is "text" (JSON Lines, as Margin's training formats)."""
    header: dict[str, JsonValue] = {}
    records_at = None
    root = None
    for prefix, event, value in _events(opener, name):
        if root is None:
            root = "list" if event == "start_array" else "map" if event == "start_map" else "scalar"
            if root == "list":
                return root, header, ""
            if root == "scalar":
                return root, header, None
            continue
        if event == "map_key" and prefix == "" and not header and value == "text":
            return "lines", header, None  # JSON Lines of Margin's (training formats begin with "text")
        if prefix in _DECISIONS and event in ("start_array", "start_map", "string", "number", "boolean", "null"):
            header["decisions"] = prefix  # read as a whole afterwards (and refused when it is no list)
            continue
        if prefix not in _HEADER:
            continue
        if event in ("string", "number", "boolean", "null"):
            if prefix.endswith(".item"):
                header.setdefault(prefix[:-5], []).append(value)
            else:
                header[prefix] = value
        elif event == "start_map" and prefix in ("first",):
            header.setdefault("first", {})
        elif event == "start_array":
            if prefix in ("annotations", "first.items", "items"):
                records_at = prefix
                break
            header.setdefault(prefix, [])
        elif event == "start_map" and prefix in ("annotations",):
            header["annotations"] = {}
    return root or "scalar", header, records_at


def _value_at(opener: Opener, name: str, prefix: str) -> JsonValue:
    """The first value at `prefix` in the document (a streamed pass in C), or None."""
    import ijson

    try:
        for value in ijson.items(opener(), prefix, use_float=True):
            return value
    except ijson.JSONError as exc:
        raise _json_error(name, exc) from None
    return None


def _records(opener: Opener, name: str, prefix: str) -> Iterator[JsonValue]:
    import ijson

    item = f"{prefix}.item" if prefix else "item"
    try:
        yield from ijson.items(opener(), item, use_float=True)
    except ijson.JSONError as exc:
        raise _json_error(name, exc) from None


def _get(header: dict[str, JsonValue], key: str, opener: Opener, name: str, records_at: str | None) -> JsonValue:
    """A top-level header value: seen before the records, else looked up after them."""
    if key in header:
        return header[key]
    if records_at is None:
        return None  # the sniff read the whole document: it is not there
    return _value_at(opener, name, key)


def parse_stream(opener: Opener, name: str = "the input") -> ImportData:
    """Parse and validate a whole export read through `opener()` (a new binary reader each call,
    from the start); ImportFormatError if anything is wrong."""
    root, header, records_at = _sniff(opener, name)
    if root == "lines":
        return _json_lines(opener, name)
    not_imported: list[str] = []
    collection_total = None
    source_of = w3c_speaker_source
    if root == "list":
        records, where, parse, fmt, noun = _records(opener, name, ""), "", w3c_record, "W3C Web Annotation", "annotation"
    elif root != "map":
        raise ImportFormatError(f"{name} is neither a Margin export nor W3C Web Annotations")
    elif (
        records_at == _NATIVE_ITEMS
        or "format" in header
        or (records_at is None and "annotations" in header and "type" not in header)
    ):
        fmt_name = _get(header, "format", opener, name, records_at)
        if fmt_name != "margin-annotations":
            why = "it has no 'format'" if fmt_name is None else f"its 'format' is {fmt_name!r}"
            raise ImportFormatError(f'{name} is not a Margin export ({why}; a Margin export says "margin-annotations")')
        version = _get(header, "version", opener, name, records_at)
        if version not in SUPPORTED_VERSIONS or isinstance(version, bool):
            raise ImportFormatError(
                f"{name} is a Margin export of version {version!r}, which this Margin cannot read (it reads version "
                f"{', '.join(map(str, SUPPORTED_VERSIONS))})"
            )
        if records_at != _NATIVE_ITEMS:
            raise ImportFormatError(f"{name}: 'annotations' must be a list")
        records, where, parse, fmt, noun = (
            _records(opener, name, _NATIVE_ITEMS),
            "/annotations",
            native_record,
            "Margin JSON",
            "record",
        )
        source_of = native_speaker_source
    else:
        types = listify(_get(header, "type", opener, name, records_at))
        contexts = listify(_get(header, "@context", opener, name, records_at))
        if not {"Annotation", "AnnotationCollection", "AnnotationPage"} & set(types):
            raise ImportFormatError(f"{name} is neither a Margin export nor W3C Web Annotations")
        if "http://www.w3.org/ns/anno.jsonld" not in contexts:
            raise ImportFormatError(f"{name}: '@context' must include http://www.w3.org/ns/anno.jsonld")
        parse, fmt, noun = w3c_record, "W3C Web Annotation", "annotation"
        total = header.get("total")
        if "Annotation" in types:
            records, where = iter([_value_at(opener, name, "")]), None
        elif "AnnotationCollection" in types:
            total = _get(header, "total", opener, name, records_at)
            collection_total = total if isinstance(total, int) and not isinstance(total, bool) else None
            first = header.get("first") if "first" in header else _get(header, "first", opener, name, records_at)
            if isinstance(first, str):
                not_imported.append(
                    f"the annotations of this collection are on pages elsewhere (first page: {first})"
                    + (f"; it says it holds {total}" if isinstance(total, int) else "")
                )
            nxt = (
                header.get("first.next")
                if "first.next" in header
                else (_value_at(opener, name, "first.next") if records_at else None)
            )
            if isinstance(nxt, str):
                not_imported.append(
                    f"the annotations on the collection's next pages (next page: {nxt}"
                    + (f"; the collection holds {total}" if isinstance(total, int) else "")
                    + ")"
                )
            records, where = (
                (_records(opener, name, "first.items"), "/first/items") if records_at == "first.items" else (iter(()), None)
            )
        else:  # AnnotationPage
            nxt = header.get("next") if "next" in header else (_value_at(opener, name, "next") if records_at else None)
            if isinstance(nxt, str):
                not_imported.append(f"the annotations on the next pages (next page: {nxt})")
            records, where = (_records(opener, name, "items"), "/items") if records_at == "items" else (iter(()), None)
    out: list[Annotation] = []
    first_seen: dict[str, int] = {}
    shared: dict[str, str] = {}
    user_speakers: set[str] = set()
    for index, record in enumerate(records, 1):
        raw_id = record.get("id") if isinstance(record, dict) else None
        label = f"{noun} {index}"
        if isinstance(raw_id, str):
            label += f" (id {raw_id[:80]!r})"
        if where is not None:
            label += f" at {where}/{index - 1}"
        try:
            annotation = parse(record)
            user_speaker = source_of(record) == "user" and annotation.kind == "quote"
        except BadRecord as exc:
            raise ImportFormatError(f"{name}: {label}: {exc}") from None
        if annotation.id in first_seen:
            raise ImportFormatError(f"{name}: {label}: the same id as {noun} {first_seen[annotation.id]}")
        first_seen[annotation.id] = index
        if user_speaker:
            user_speakers.add(annotation.id)
        for key in _SHARED_FIELDS:  # one copy of each article's id, title, path and hash: less memory
            value = getattr(annotation, key)
            setattr(annotation, key, shared.setdefault(value, value))
        out.append(annotation)
    if collection_total is not None and collection_total > len(out) and not not_imported:
        not_imported.append(
            f"{collection_total - len(out)} of the {collection_total} annotations the collection "
            "says it holds, which are not in this file"
        )
    decisions = [] if root == "list" else _decisions(opener, name, header, records_at, fmt)
    return ImportData(out, fmt, not_imported, first_seen, noun, where, user_speakers, decisions)


def _decisions(
    opener: Opener, name: str, header: dict[str, JsonValue], records_at: str | None, fmt: str
) -> list[SpeakerCorrection]:
    """The speaker decisions of a Margin export (`speaker_corrections`, W3C
    `margin:speakerCorrections`), checked. Margin writes them before the annotations, where the
    first pass saw them; in any other file they are looked for once more after the records (a
    streamed pass in C: under a second for 160 MB), so none is ever skipped."""
    key = "speaker_corrections" if fmt == "Margin JSON" else "margin:speakerCorrections"
    if header.get("decisions") != key and records_at is None:  # the first pass read the whole file
        return []
    items = _value_at(opener, name, key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ImportFormatError(f"{name}: {key!r} must be a list")
    out: list[SpeakerCorrection] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items, 1):
        raw_id = item.get("id") if isinstance(item, dict) else None
        label = f"speaker correction {index}" + (f" (id {raw_id[:80]!r})" if isinstance(raw_id, str) else "")
        label += f" at {_DECISIONS[key]}/{index - 1}"
        try:
            decision = decision_record(item)
        except BadRecord as exc:
            raise ImportFormatError(f"{name}: {label}: {exc}") from None
        _add_once(out, seen, decision, index, f"{name}: {label}: the same id as speaker correction")
    return out


def _add_once(out: list[SpeakerCorrection], seen: dict[str, int], decision: SpeakerCorrection, index: int, repeated: str) -> None:
    """Append `decision` (the `index`-th of its file); ImportFormatError "`repeated` N" when its id came before."""
    if decision.id in seen:
        raise ImportFormatError(f"{repeated} {seen[decision.id]}")
    seen[decision.id] = index
    out.append(decision)


def _json_lines(opener: Opener, name: str) -> ImportData:
    """A file of JSON Lines: the speaker decisions of `margin corrections export`, one checked
    quote a line. `margin export --format jsonl` (for training tools: no ids, notes or times) is
    refused, saying which formats import."""
    import ijson

    out: list[SpeakerCorrection] = []
    seen: dict[str, int] = {}
    try:
        for index, record in enumerate(ijson.items(opener(), "", multiple_values=True, use_float=True), 1):
            label = f"line {index}"
            if not (isinstance(record, dict) and "answer" in record):
                if index == 1 and isinstance(record, dict) and "spans" in record:
                    raise ImportFormatError(
                        f"{name} is a `margin export --format jsonl` file (text and tag spans for training tools: "
                        "no ids, notes or times), which cannot be imported: export with `--format json` (or w3c) "
                        "to import annotations"
                    )
                if index == 1:
                    raise ImportFormatError(f"{name} is neither a Margin export nor W3C Web Annotations")
                raise ImportFormatError(f"{name}: {label}: not a checked quote of `margin corrections export`")
            try:
                decision = training_line(record)
            except BadRecord as exc:
                raise ImportFormatError(f"{name}: {label}: {exc}") from None
            _add_once(out, seen, decision, index, f"{name}: {label}: the same correction_id as line")
    except ijson.JSONError as exc:
        raise _json_error(name, exc) from None
    return ImportData([], CORRECTIONS_FORMAT, noun="line", corrections=out)


def parse_import(data: bytes, name: str = "the input") -> tuple[list[Annotation], str]:
    """(annotations, format name) from the bytes of an export; ImportFormatError if anything is wrong."""
    result = parse_stream(lambda: _Reader(io.BytesIO(data).read, name, MAX_IMPORT_BYTES), name)
    return result.annotations, result.fmt


def read_import_file(path: str | Path) -> ImportData:
    """Parse and validate the export in the regular file `path`, streamed."""
    path = Path(path).expanduser()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))  # a FIFO must not block
    except FileNotFoundError:
        raise ImportFormatError(f"{path}: no such file") from None
    except PermissionError:
        raise ImportFormatError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ImportFormatError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ImportFormatError(f"{path} is a folder")
        if not stat.S_ISREG(mode):
            kind = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a socket"
            raise ImportFormatError(f"{path} is {kind}, not a regular file: Margin imports only regular files")
        size = os.fstat(fd).st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportFormatError(
                f"{path} is too large to import ({size / 2**20:,.0f} MiB; at most {MAX_IMPORT_BYTES / 2**20:,.0f} MiB)"
            )

        def opener() -> _Reader:
            os.lseek(fd, 0, os.SEEK_SET)
            return _Reader(lambda n: os.read(fd, n), str(path), MAX_IMPORT_BYTES)

        try:
            return parse_stream(opener, str(path))
        except OSError as exc:
            raise ImportFormatError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def read_import(path: str | Path) -> tuple[list[Annotation], str]:
    """The annotations of an import file and its format; raises ImportFormatError naming the first bad record."""
    result = read_import_file(path)
    return result.annotations, result.fmt


# -- which articles an import may attach to ---------------------------------------------------
def known_roots(named: list[str] | None = None, library: Path | None = None) -> list[Path]:
    """Article files and folders the user has: the library, every set of paths Margin has opened
    (the library indexes in the cache dir), and the paths named on the command line."""
    import orjson

    from tui.core.library import library_dir
    from tui.core.paths import cache_dir

    roots = [library or library_dir(None)] + [Path(p).expanduser() for p in named or []]
    try:
        indexes = list((cache_dir() / "library").glob("index-*.json"))
    except OSError:
        indexes = []
    for index in indexes:
        try:
            with open(index, "rb") as handle:
                head = handle.read(1 << 16)  # "roots" come first: no need to read every entry
            match = re.search(rb'"roots":(\[[^\]]*\])', head)
            roots += [Path(r) for r in orjson.loads(match.group(1)) if isinstance(r, str)] if match else []
        except (OSError, ValueError):
            continue
    resolved = []
    for root in roots:
        try:
            resolved.append(Path(os.path.realpath(root)))
        except (OSError, ValueError):
            continue
    return resolved


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def attach_to_known_articles(data: ImportData, roots: list[Path], stored_paths: set[str], name: str) -> list[str]:
    """Keep each annotation's (and speaker decision's) article path only when it is an article
    the user has (under `roots`, or already annotated in the store); drop it otherwise, so no
    export reads that file. Checks offsets against the article's text when the file holds the
    text they were made on. Returns messages (what was detached); ImportFormatError for offsets
    that do not fit."""
    from tui.core.anchoring import reanchor
    from tui.core.articles import ArticleError, load_article

    def known(path: str) -> bool:
        try:
            real = Path(os.path.realpath(Path(path).expanduser())) if os.path.isabs(path) else None
        except (OSError, ValueError):
            real = None
        return path in stored_paths or (real is not None and _under(real, roots))

    by_path: dict[str, list[Annotation]] = {}
    for annotation in data.annotations:
        if annotation.article_path:
            by_path.setdefault(annotation.article_path, []).append(annotation)
    detached = 0
    detached_paths: list[str] = []
    anchored_now: dict[int, Annotation] = {}
    for path, group in by_path.items():
        if not known(path):
            for annotation in group:
                annotation.article_path = ""
            detached += len(group)
            detached_paths.append(path)
            continue
        try:
            article = load_article(path)
        except (ArticleError, OSError, ValueError):
            continue  # the user's article, gone or unreadable: kept as it is, re-anchored when it is back
        text = article.text
        for annotation in group:
            if annotation.orphan or annotation.text_hash != article.text_hash:
                # no offsets (a W3C quote selector alone), or offsets into another version of the
                # text: anchored now on its quote and context, as opening the article would
                # (its `updated` kept: anchoring is no change of the user's, and an import never
                # wins over a note written here since)
                anchored = replace(reanchor(annotation, text), updated=annotation.updated)
                if not anchored.orphan:
                    if annotation.article_title in ("", annotation.article_path) or "://" in annotation.article_title:
                        anchored.article_title = article.title
                    anchored_now[id(annotation)] = anchored
                continue
            label = data.label(annotation.id)
            if annotation.end > len(text):
                raise ImportFormatError(
                    f"{name}: {label}: 'start'..'end' ({annotation.start}..{annotation.end}) are past the end of "
                    f"the article text ({len(text):,} characters in {path})"
                )
            if text[annotation.start : annotation.end] != annotation.text:
                raise ImportFormatError(
                    f"{name}: {label}: the article text at 'start'..'end' ({annotation.start}..{annotation.end}) "
                    f"is not the annotation's 'text' (in {path})"
                )
    data.annotations = [anchored_now.get(id(a), a) for a in data.annotations]
    messages = []
    if detached:
        shown = ", ".join(detached_paths[:3]) + (f" and {len(detached_paths) - 3} more" if len(detached_paths) > 3 else "")
        messages.append(
            f"{detached} annotation(s) name article files that are not in your library ({shown}): imported without "
            "the file, they appear when you open the article (to attach them now, add the file with `margin add` "
            "or name it with --article PATH)"
        )
    dropped = _attach_decisions(data, known, name)
    if dropped:
        messages.append(
            f"{dropped} speaker decision(s) name article files that are not in your library: imported without the file, "
            "they apply when you open the article (to attach them now, name the file with --article PATH)"
        )
    return messages


def _attach_decisions(data: ImportData, known: Callable[[str], bool], name: str) -> int:
    """`attach_to_known_articles` for the speaker decisions the file carries: a path that is not
    `known` dropped (how many is returned); in a file there with another version of the text (or
    for a decision with no place yet), anchored now on its quote and context; otherwise its
    offsets checked (ImportFormatError)."""
    from tui.core.articles import ArticleError, load_article
    from tui.core.corrections import reanchor_correction

    dropped = 0
    loaded: dict[str, Article | None] = {}
    out: list[SpeakerCorrection] = []
    for index, decision in enumerate(data.corrections, 1):
        path = decision.article_path
        if path and not known(path):
            out.append(replace(decision, article_path=""))
            dropped += 1
            continue
        if path and path not in loaded:
            try:
                loaded[path] = load_article(path)
            except (ArticleError, OSError, ValueError):
                loaded[path] = None
        article = loaded.get(path) if path else None
        if article is None:
            out.append(decision)
            continue
        text = article.text
        if decision.orphan or decision.text_hash != article.text_hash:
            placed = replace(reanchor_correction(decision, article), updated=decision.updated)
            out.append(decision if placed.orphan else placed)
            continue
        if decision.end > len(text) or text[decision.start : decision.end] != decision.quote_text:
            raise ImportFormatError(
                f"{name}: speaker correction {index} (id {decision.id[:80]!r}): the article text at 'start'..'end' "
                f"({decision.start}..{decision.end}) is not its quote (in {path})"
            )
        out.append(decision)
    data.corrections = out
    return dropped


# -- the user's speaker decisions ---------------------------------------------------------------
def speaker_decisions(data: ImportData, analyzer: Analyzer | None = None) -> tuple[list[SpeakerCorrection], int]:
    """The user's speaker decisions the file carries — its `speaker_corrections` (as they are),
    and its quotes exported with `speaker_source` "user" that none of those is on — as speaker
    corrections, and how many cannot be (no place in its article's text: an orphan annotation, or
    a line of `margin corrections export` that could not be anchored in its article). Call after
    `attach_to_known_articles` (offsets checked, only the user's article paths kept).

    For a quote annotation, a speaker of null (or blank) is "not a quote"; a name is the speaker
    the user named, or confirmed when the analysis names the same one (its cache, read by
    `analyzer`, by default the one `margin annotate` reads: spaCy is never run here). The
    annotation says only that the speaker is the user's; a speaker correction says all."""
    from tui.core.correction_record import checked_correction
    from tui.core.corrections import match_corrections

    records = [c for c in data.corrections if not (c.orphan and not c.text_hash)]  # (never placed anywhere)
    unplaced = len(data.corrections) - len(records)
    by_article: dict[str, list[SpeakerCorrection]] = {}
    for record in records:
        by_article.setdefault(record.article_id, []).append(record)

    def carried(annotation: Annotation) -> bool:
        """Whether one of the file's speaker corrections is on this quote annotation."""
        of_article = by_article.get(annotation.article_id, [])
        if annotation.orphan:
            return any(c.orphan and c.quote_text == annotation.text for c in of_article)
        return bool(match_corrections([(annotation.start, annotation.end)], of_article))

    wanted = [a for a in data.annotations if a.id in data.user_speakers and not carried(a)]
    if not wanted:
        return records, unplaced
    placed = [a for a in wanted if not a.orphan]
    models = _model_speakers(placed, analyzer) if placed else {}
    out: list[SpeakerCorrection] = []
    for annotation in placed:
        name = " ".join((annotation.speaker or "").split())
        model = models.get(annotation.id)
        if not name:
            verdict, speaker = "not_a_quote", None
        else:
            verdict = "confirmed" if model is not None and model.casefold() == name.casefold() else "speaker"
            speaker = name
        correction = SpeakerCorrection(
            id=uuid.uuid4().hex,
            article_id=annotation.article_id,
            start=annotation.start,
            end=annotation.end,
            quote_text=annotation.text,
            verdict=verdict,
            speaker=speaker,
            model_speaker=model,
            created=annotation.updated,
            updated=annotation.updated,
            article_title=annotation.article_title,
            article_path=annotation.article_path,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
            text_hash=annotation.text_hash,
        )
        if checked_correction(correction.to_record())[0] is not None:
            out.append(correction)
    return records + out, unplaced + len(wanted) - len(out)


def _model_speakers(annotations: list[Annotation], analyzer: Analyzer | None) -> dict[str, str]:
    """Annotation id -> the analysis' own speaker of its quote, where the article's file is
    there with the text the annotation indexes and its analysis is cached."""
    from tui.core.articles import ArticleError, load_article
    from tui.core.corrections import model_speaker_at

    by_path: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        if annotation.article_path:
            by_path.setdefault(annotation.article_path, []).append(annotation)
    found: dict[str, str] = {}
    for path, group in by_path.items():
        try:
            article = load_article(path)
        except (ArticleError, OSError, ValueError):
            continue
        if analyzer is None:
            from tui.core.analysis.service import Analyzer

            analyzer = Analyzer()
        analysis = analyzer.cached(article.text)
        if analysis is None:
            continue
        for annotation in group:
            name = model_speaker_at(analysis, annotation.start, annotation.end)
            if name is not None and annotation.text_hash == article.text_hash:
                found[annotation.id] = name
    return found


@dataclass
class ImportOutcome:
    """What an import did (or, in a dry run, would do)."""

    added: int  # annotations new here
    updated: int  # annotations replaced by a newer copy
    unchanged: int  # annotations kept as stored (the same, or changed here since)
    decisions: RestoredDecisions  # the user's speaker decisions restored, already here, or kept as here
    unplaced: int = 0  # speaker decisions on quotes with no place in their article's text (orphans)


def import_annotations(
    store: AnnotationStore, data: ImportData, dry_run: bool = False, analyzer: Analyzer | None = None
) -> ImportOutcome:
    """Save what `data` holds (after `attach_to_known_articles`): its annotations (`merge`: newer
    `updated` wins) and the user's speaker decisions it carries (`speaker_decisions`; a quote that
    already has a decision here keeps it). Nothing is written with `dry_run`; importing twice
    changes nothing. Raises StoreError."""
    from tui.core.corrections import restore_corrections
    from tui.core.storage.errors import StoreError

    corrections, unplaced = speaker_decisions(data, analyzer)
    if dry_run:
        added, updated, unchanged = store.merge(data.annotations, dry_run=True)
        decisions = restore_corrections(store, corrections, dry_run=True)
        return ImportOutcome(added, updated, unchanged, decisions, unplaced)
    with store.transaction():  # one hold of the lock: no other process changes anything in between
        decisions = restore_corrections(store, corrections)
        try:
            added, updated, unchanged = store.merge(data.annotations)
        except BaseException:
            # the store writes corrections and annotations apart: take back the decisions just
            # saved, so a failed import leaves the database as it was
            if decisions.added:
                try:
                    store.save_corrections([], [(c.article_id, c.id) for c in decisions.added])
                except (StoreError, OSError):
                    pass
            raise
    return ImportOutcome(added, updated, unchanged, decisions, unplaced)
