"""Importing annotations: Margin's JSON export, and W3C Web Annotations (ours or other tools').

`read_import(path)` parses and validates the whole file first; the first bad record is named
(its number, id and JSON location) in an `ImportFormatError`, and nothing is imported. Then
`AnnotationStore.merge` saves everything in one all-or-nothing write, where an annotation
already stored is replaced only by a copy with a newer `updated`: importing twice changes
nothing.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path
from urllib.parse import unquote, urlparse

import orjson

from tui.core.annotations import Annotation, normalise_tags

MAX_IMPORT_BYTES = 256 * 1024 * 1024
MAX_TEXT = 100_000
MAX_NOTE = 100_000
MAX_TAGS = 100
MAX_TAG = 200
MAX_TITLE = 2000
MAX_PATH = 4096
MAX_CONTEXT = 1000
MAX_SPEAKER = 500
MAX_ARTICLE_ID = 128
MAX_OFFSET = 2**31 - 1
SUPPORTED_VERSIONS = (1,)
KINDS = ("sentence", "quote", "selection")
EPOCH = "1970-01-01T00:00:00Z"  # for W3C annotations without dates, so re-imports stay identical

_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_HASH = re.compile(r"([0-9a-f]{64})?")
_UUID_URN = re.compile(r"urn:uuid:([0-9a-fA-F-]{36})")


class ImportFormatError(ValueError):
    """The file cannot be imported; the message names the file and, if any, the first bad record."""


class _Bad(Exception):
    pass


# -- field checks -----------------------------------------------------------------------------
def _string(value, what: str, max_len: int, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{what} must be a string, not {_type(value)}")
    if len(value) > max_len:
        raise _Bad(f"{what} is too long ({len(value):,} characters; at most {max_len:,})")
    if not empty and not value:
        raise _Bad(f"{what} is empty")
    return value


def _offset(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"{what} must be a whole number, not {_type(value)}")
    if not 0 <= value <= MAX_OFFSET:
        raise _Bad(f"{what} is out of range ({value})")
    return value


def _timestamp(value, what: str) -> str:
    """An ISO 8601 date-time, normalised to UTC seconds ('2024-05-01T12:00:00Z')."""
    if not isinstance(value, str) or len(value) > 64:
        raise _Bad(f"{what} must be an ISO 8601 date-time string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{what} is not an ISO 8601 date-time ({value!r})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tags(value) -> list[str]:
    if not isinstance(value, list):
        raise _Bad(f"'tags' must be a list of strings, not {_type(value)}")
    if len(value) > MAX_TAGS:
        raise _Bad(f"too many tags ({len(value)}; at most {MAX_TAGS})")
    for tag in value:
        _string(tag, "a tag", MAX_TAG)
    return normalise_tags(value)


def _type(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _check_passage(text: str, start: int, end: int, orphan: bool) -> None:
    if start > end:
        raise _Bad(f"'start' ({start}) is after 'end' ({end})")
    if not orphan and end - start != len(text):
        raise _Bad(f"'start'..'end' ({start}..{end}) spans {end - start} characters but 'text' has {len(text)}")
    if not orphan and not text:
        raise _Bad("'text' is empty")


# -- Margin's JSON --------------------------------------------------------------------------
def _native(record) -> Annotation:
    if not isinstance(record, dict):
        raise _Bad(f"it is {_type(record)}, not an object")
    for key in ("id", "article", "text", "start", "end", "created", "updated"):
        if key not in record:
            raise _Bad(f"'{key}' is missing")
    article = record["article"]
    if not isinstance(article, dict):
        raise _Bad(f"'article' must be an object, not {_type(article)}")
    annotation_id = _string(record["id"], "'id'", 64)
    if not _ID.fullmatch(annotation_id):
        raise _Bad("'id' may only hold letters, digits, '-' and '_'")
    context = record.get("context") or {}
    if not isinstance(context, dict):
        raise _Bad(f"'context' must be an object, not {_type(context)}")
    kind = record.get("kind", "selection")
    if kind not in KINDS:
        raise _Bad(f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    speaker = record.get("speaker")
    if speaker is not None:
        _string(speaker, "'speaker'", MAX_SPEAKER)
    text_hash = _string(record.get("text_hash", ""), "'text_hash'", 64)
    if not _HASH.fullmatch(text_hash):
        raise _Bad("'text_hash' must be 64 lowercase hex digits")
    orphan = record.get("orphan", False)
    if not isinstance(orphan, bool):
        raise _Bad(f"'orphan' must be true or false, not {_type(orphan)}")
    text = _string(record["text"], "'text'", MAX_TEXT)
    start, end = _offset(record["start"], "'start'"), _offset(record["end"], "'end'")
    _check_passage(text, start, end, orphan)
    return Annotation(
        id=annotation_id,
        article_id=_string(article.get("id"), "'article.id'", MAX_ARTICLE_ID, empty=False),
        article_title=_string(article.get("title", ""), "'article.title'", MAX_TITLE),
        article_path=_string(article.get("path", ""), "'article.path'", MAX_PATH),
        text=text,
        start=start,
        end=end,
        kind=kind,
        speaker=speaker,
        tags=_tags(record.get("tags", [])),
        note=_string(record.get("note", ""), "'note'", MAX_NOTE),
        prefix=_string(context.get("prefix", ""), "'context.prefix'", MAX_CONTEXT),
        suffix=_string(context.get("suffix", ""), "'context.suffix'", MAX_CONTEXT),
        text_hash=text_hash,
        created=_timestamp(record["created"], "'created'"),
        updated=_timestamp(record["updated"], "'updated'"),
        orphan=orphan,
    )


# -- W3C Web Annotation ---------------------------------------------------------------------
def _listify(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _w3c_id(iri: str, own) -> str:
    if isinstance(own, str) and _ID.fullmatch(own):
        return own
    match = _UUID_URN.fullmatch(iri)
    if match:
        return match.group(1).replace("-", "").lower()
    return sha256(iri.encode("utf-8")).hexdigest()[:32]


def _path_from_source(source: str) -> str:
    parsed = urlparse(source)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    return ""


def _w3c(record) -> Annotation:
    if not isinstance(record, dict):
        raise _Bad(f"it is {_type(record)}, not an object")
    if "Annotation" not in _listify(record.get("type")):
        raise _Bad(f"'type' must be 'Annotation', not {record.get('type')!r}")
    iri = _string(record.get("id"), "'id'", MAX_PATH, empty=False)
    targets = [t for t in _listify(record.get("target")) if isinstance(t, dict)]
    if not targets:
        raise _Bad("'target' is missing or not an object")
    target = next((t for t in targets if t.get("selector")), targets[0])
    source = _string(target.get("source"), "'target.source'", MAX_PATH, empty=False)
    quote = position = None
    for selector in _listify(target.get("selector")):
        if not isinstance(selector, dict):
            raise _Bad(f"a selector must be an object, not {_type(selector)}")
        if selector.get("type") == "TextQuoteSelector" and quote is None:
            quote = selector
        elif selector.get("type") == "TextPositionSelector" and position is None:
            position = selector
    if quote is None:
        raise _Bad("the target has no TextQuoteSelector")
    text = _string(quote.get("exact"), "'TextQuoteSelector.exact'", MAX_TEXT)
    prefix = _string(quote.get("prefix", ""), "'TextQuoteSelector.prefix'", MAX_CONTEXT)
    suffix = _string(quote.get("suffix", ""), "'TextQuoteSelector.suffix'", MAX_CONTEXT)
    orphan = record.get("margin:orphan", position is None)
    if not isinstance(orphan, bool):
        raise _Bad(f"'margin:orphan' must be true or false, not {_type(orphan)}")
    if position is not None:
        start = _offset(position.get("start"), "'TextPositionSelector.start'")
        end = _offset(position.get("end"), "'TextPositionSelector.end'")
    else:
        start = end = 0
        orphan = True
    _check_passage(text, start, end, orphan)
    tags: list[str] = []
    notes: list[str] = []
    for body in _listify(record.get("body")):
        if not isinstance(body, dict):
            raise _Bad(f"a body must be an object, not {_type(body)}")
        if "value" not in body:
            continue  # a body by reference (SpecificResource, IRI): nothing Margin can keep
        value = _string(body.get("value"), "a body's 'value'", MAX_NOTE)
        if body.get("purpose") == "tagging":
            tags.append(_string(value, "a tag", MAX_TAG))
        elif value:  # any non-empty comment, even one of only whitespace, is the user's note
            notes.append(value)
    if len(tags) > MAX_TAGS:
        raise _Bad(f"too many tags ({len(tags)}; at most {MAX_TAGS})")
    note = _string("\n\n".join(notes), "the note", MAX_NOTE)
    text_hash = _string(record.get("margin:textHash", ""), "'margin:textHash'", 64)
    if not _HASH.fullmatch(text_hash):
        raise _Bad("'margin:textHash' must be 64 lowercase hex digits")
    article_id = record.get("margin:articleId")
    if article_id is None:
        article_id = text_hash[:16] if text_hash else "u" + sha256(source.encode("utf-8")).hexdigest()[:15]
    kind = record.get("margin:kind", "selection")
    if kind not in KINDS:
        raise _Bad(f"'margin:kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    speaker = record.get("margin:speaker")
    if speaker is not None:
        _string(speaker, "'margin:speaker'", MAX_SPEAKER)
    created = _timestamp(record["created"], "'created'") if "created" in record else EPOCH
    updated = _timestamp(record["modified"], "'modified'") if "modified" in record else created
    return Annotation(
        id=_w3c_id(iri, record.get("margin:id")),
        article_id=_string(article_id, "'margin:articleId'", MAX_ARTICLE_ID, empty=False),
        article_title=_string(record.get("margin:articleTitle", source), "'margin:articleTitle'", MAX_TITLE),
        article_path=_string(record.get("margin:articlePath", _path_from_source(source)), "'margin:articlePath'", MAX_PATH),
        text=text,
        start=start,
        end=end,
        kind=kind,
        speaker=speaker,
        tags=normalise_tags(tags),
        note=note,
        prefix=prefix,
        suffix=suffix,
        text_hash=text_hash,
        created=created,
        updated=updated,
        orphan=orphan,
    )


# -- the file ---------------------------------------------------------------------------------
def _w3c_items(doc) -> tuple[list, str] | None:
    """The annotations of a W3C document and the JSON path of their list, or None."""
    if isinstance(doc, list):
        return doc, ""
    if not isinstance(doc, dict):
        return None
    types = _listify(doc.get("type"))
    if "Annotation" in types:
        return [doc], None
    if "AnnotationCollection" in types:
        page = doc.get("first")
        if isinstance(page, dict) and isinstance(page.get("items"), list):
            return page["items"], "/first/items"
        return [], None
    if "AnnotationPage" in types and isinstance(doc.get("items"), list):
        return doc["items"], "/items"
    return None


def parse_import(data: bytes, name: str = "the input") -> tuple[list[Annotation], str]:
    """(annotations, format name) from the bytes of an export; ImportFormatError if anything is wrong."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ImportFormatError(f"{name} is not valid JSON ({exc})") from None
    if isinstance(doc, dict) and "format" in doc:
        if doc.get("format") != "margin-annotations":
            raise ImportFormatError(f"{name} is not a Margin export (format {doc.get('format')!r})")
        version = doc.get("version")
        if version not in SUPPORTED_VERSIONS or isinstance(version, bool):
            raise ImportFormatError(
                f"{name} is a Margin export of version {version!r}, which this Margin cannot read (it reads version "
                f"{', '.join(map(str, SUPPORTED_VERSIONS))})"
            )
        records = doc.get("annotations")
        if not isinstance(records, list):
            raise ImportFormatError(f"{name}: 'annotations' must be a list")
        parse, where, fmt, noun = _native, "/annotations", "Margin JSON", "record"
    else:
        found = _w3c_items(doc)
        if found is None:
            raise ImportFormatError(f"{name} is neither a Margin export nor W3C Web Annotations")
        if isinstance(doc, dict):
            contexts = _listify(doc.get("@context"))
            if "http://www.w3.org/ns/anno.jsonld" not in contexts:
                raise ImportFormatError(f"{name}: '@context' must include http://www.w3.org/ns/anno.jsonld")
        records, where = found
        parse, fmt, noun = _w3c, "W3C Web Annotation", "annotation"
    out: list[Annotation] = []
    first_seen: dict[str, int] = {}
    for index, record in enumerate(records, 1):
        raw_id = record.get("id") if isinstance(record, dict) else None
        label = f"{noun} {index} of {len(records)}"
        if isinstance(raw_id, str):
            label += f" (id {raw_id[:80]!r})"
        if where is not None:
            label += f" at {where}/{index - 1}"
        try:
            annotation = parse(record)
        except _Bad as exc:
            raise ImportFormatError(f"{name}: {label}: {exc}") from None
        if annotation.id in first_seen:
            raise ImportFormatError(f"{name}: {label}: the same id as {noun} {first_seen[annotation.id]}")
        first_seen[annotation.id] = index
        out.append(annotation)
    return out, fmt


def read_import(path: str | Path) -> tuple[list[Annotation], str]:
    path = Path(path).expanduser()
    try:
        if path.is_dir():
            raise ImportFormatError(f"{path} is a folder")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportFormatError(f"{path} is too large to import ({size / 1e6:.0f} MB; at most {MAX_IMPORT_BYTES // 2**20} MiB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFormatError(f"{path}: no such file") from None
    except PermissionError:
        raise ImportFormatError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ImportFormatError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return parse_import(data, str(path))
