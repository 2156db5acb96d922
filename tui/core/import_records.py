"""Checking one imported record and turning it into an `Annotation`: Margin's JSON (`native`)
and W3C Web Annotations (`w3c`); or into a speaker decision (`SpeakerCorrection`): an item of an
export's `speaker_corrections` (`decision_record`) or a line of `margin corrections export`
(`training_line`). A record that cannot be imported raises `BadRecord` with the
reason in a few words; `tui.core.importing` names the record and where it is in the file."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from hashlib import sha256
from typing import Any, cast
from urllib.parse import unquote, urlparse

from tui.core.annotations import (  # one set of limits: what the app lets you enter is what imports
    CONTEXT_CHARS,
    MAX_ARTICLE_ID,
    MAX_CONTEXT,
    MAX_NOTE,
    MAX_OFFSET,
    MAX_PATH,
    MAX_SPEAKER,
    MAX_TAG,
    MAX_TAGS,
    MAX_TITLE,
    Annotation,
    normalise_tags,
    now_iso,
)
from tui.core.articles import MAX_ARTICLE_BYTES
from tui.core.correction_record import VERDICTS, SpeakerCorrection, checked_correction

# A passage can be as long as the article it is in (the app and `margin annotate` save any
# selection): an article holds at most MAX_ARTICLE_BYTES bytes, so at most as many characters.
MAX_PASSAGE = MAX_ARTICLE_BYTES

KINDS = ("sentence", "quote", "selection")
SPEAKER_SOURCES = ("user", "model")  # a quote's `speaker_source`: the user's decision, or the analysis' own
EPOCH = "1970-01-01T00:00:00Z"  # for W3C annotations without dates, so re-imports stay identical
_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_HASH = re.compile(r"([0-9a-f]{64})?")
_UUID_URN = re.compile(r"urn:uuid:([0-9a-fA-F-]{36})")


class BadRecord(Exception):
    """A record that cannot be imported; the message says why in a few words."""


# -- field checks -----------------------------------------------------------------------------
def _string(value: object, what: str, max_len: int, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise BadRecord(f"{what} must be a string, not {_type(value)}")
    if len(value) > max_len:
        raise BadRecord(f"{what} is too long ({len(value):,} characters; at most {max_len:,})")
    if not empty and not value:
        raise BadRecord(f"{what} is empty")
    return value


def _offset(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRecord(f"{what} must be a whole number, not {_type(value)}")
    if not 0 <= value <= MAX_OFFSET:
        raise BadRecord(f"{what} is out of range ({value})")
    return value


def _timestamp(value: object, what: str) -> str:
    """An ISO 8601 date-time, normalised to UTC seconds ('2024-05-01T12:00:00Z')."""
    if not isinstance(value, str) or len(value) > 64:
        raise BadRecord(f"{what} must be an ISO 8601 date-time string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadRecord(f"{what} is not an ISO 8601 date-time ({value!r})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tags(value: object) -> list[str]:
    if not isinstance(value, list):
        raise BadRecord(f"'tags' must be a list of strings, not {_type(value)}")
    if len(value) > MAX_TAGS:
        raise BadRecord(f"too many tags ({len(value)}; at most {MAX_TAGS})")
    for tag in value:
        _string(tag, "a tag", MAX_TAG)
    return normalise_tags(value)


def _type(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        type(None): "null",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _check_passage(text: str, start: int, end: int, orphan: bool) -> None:
    if start > end:
        raise BadRecord(f"'start' ({start}) is after 'end' ({end})")
    if not orphan and end - start != len(text):
        raise BadRecord(f"'start'..'end' ({start}..{end}) spans {end - start} characters but 'text' has {len(text)}")
    if not orphan and not text:
        raise BadRecord("'text' is empty")


# -- Margin's JSON --------------------------------------------------------------------------
def _placed(record: object, required: tuple[str, ...]) -> dict[str, Any]:
    """The fields a Margin record of a passage shares (an annotation, a speaker decision),
    checked: id, article (id, title, path), text, start, end, context, text_hash, orphan, created,
    updated — with the names of Annotation's fields. BadRecord when one cannot be imported."""
    if not isinstance(record, dict):
        raise BadRecord(f"it is {_type(record)}, not an object")
    for key in required:
        if key not in record:
            raise BadRecord(f"'{key}' is missing")
    article = record["article"]
    if not isinstance(article, dict):
        raise BadRecord(f"'article' must be an object, not {_type(article)}")
    record_id = _string(record["id"], "'id'", 64)
    if not _ID.fullmatch(record_id):
        raise BadRecord("'id' may only hold letters, digits, '-' and '_'")
    context = record.get("context") or {}
    if not isinstance(context, dict):
        raise BadRecord(f"'context' must be an object, not {_type(context)}")
    text_hash = _string(record.get("text_hash", ""), "'text_hash'", 64)
    if not _HASH.fullmatch(text_hash):
        raise BadRecord("'text_hash' must be 64 lowercase hex digits")
    orphan = record.get("orphan", False)
    if not isinstance(orphan, bool):
        raise BadRecord(f"'orphan' must be true or false, not {_type(orphan)}")
    text = _string(record["text"], "'text'", MAX_PASSAGE)
    start, end = _offset(record["start"], "'start'"), _offset(record["end"], "'end'")
    _check_passage(text, start, end, orphan)
    return {
        "id": record_id,
        "article_id": _string(article.get("id"), "'article.id'", MAX_ARTICLE_ID, empty=False),
        "article_title": _string(article.get("title", ""), "'article.title'", MAX_TITLE),
        "article_path": _string(article.get("path", ""), "'article.path'", MAX_PATH),
        "text": text,
        "start": start,
        "end": end,
        "prefix": _string(context.get("prefix", ""), "'context.prefix'", MAX_CONTEXT),
        "suffix": _string(context.get("suffix", ""), "'context.suffix'", MAX_CONTEXT),
        "text_hash": text_hash,
        "created": _timestamp(record["created"], "'created'"),
        "updated": _timestamp(record["updated"], "'updated'"),
        "orphan": orphan,
    }


def _kind_and_speaker(record: dict[str, Any], kind_key: str, speaker_key: str) -> tuple[str, Any]:
    """A record's passage kind ("selection" when absent) and speaker (a name or None), checked."""
    kind = record.get(kind_key, "selection")
    if kind not in KINDS:
        raise BadRecord(f"'{kind_key}' must be one of {', '.join(KINDS)}, not {kind!r}")
    speaker = record.get(speaker_key)
    if speaker is not None:
        _string(speaker, f"'{speaker_key}'", MAX_SPEAKER)
    return kind, speaker


def native_record(record: object) -> Annotation:
    """An annotation from one record of Margin's JSON export (BadRecord when it cannot be imported)."""
    fields = _placed(record, ("id", "article", "text", "start", "end", "created", "updated"))
    record = cast(dict[str, Any], record)  # _placed checked it is an object
    kind, speaker = _kind_and_speaker(record, "kind", "speaker")
    return Annotation(
        **fields,
        kind=kind,
        speaker=speaker,
        tags=_tags(record.get("tags", [])),
        note=_string(record.get("note", ""), "'note'", MAX_NOTE),
    )


def _speaker_source(record: object, key: str) -> str | None:
    value = record.get(key) if isinstance(record, dict) else None
    if value is None or value in SPEAKER_SOURCES:
        return value
    raise BadRecord(f'{key!r} must be "user", "model" or null, not {value!r:.60}')


def native_speaker_source(record: object) -> str | None:
    """A Margin JSON record's `speaker_source`: "user" (the user named, corrected or confirmed the
    quote's speaker), "model" or None (BadRecord for any other value)."""
    return _speaker_source(record, "speaker_source")


def w3c_speaker_source(record: object) -> str | None:
    """A W3C record's `margin:speakerSource` (as `native_speaker_source`; other tools write none)."""
    return _speaker_source(record, "margin:speakerSource")


# -- W3C Web Annotation ---------------------------------------------------------------------
def listify(value: object) -> list[object]:
    """A JSON value as a list: a list as it is, null as [], anything else as [value]."""
    return value if isinstance(value, list) else [] if value is None else [value]


def _w3c_id(iri: str, own: object) -> str:
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


def w3c_record(record: object) -> Annotation:
    """An annotation from one W3C Web Annotation (BadRecord when it cannot be imported)."""
    if not isinstance(record, dict):
        raise BadRecord(f"it is {_type(record)}, not an object")
    if "Annotation" not in listify(record.get("type")):
        raise BadRecord(f"'type' must be 'Annotation', not {record.get('type')!r}")
    iri = _string(record.get("id"), "'id'", MAX_PATH, empty=False)
    targets = [t for t in listify(record.get("target")) if isinstance(t, dict)]
    if not targets:
        raise BadRecord("'target' is missing or not an object")
    target = next((t for t in targets if t.get("selector")), targets[0])
    source = _string(target.get("source"), "'target.source'", MAX_PATH, empty=False)
    quote = position = None
    for selector in listify(target.get("selector")):
        if not isinstance(selector, dict):
            raise BadRecord(f"a selector must be an object, not {_type(selector)}")
        if selector.get("type") == "TextQuoteSelector" and quote is None:
            quote = selector
        elif selector.get("type") == "TextPositionSelector" and position is None:
            position = selector
    if quote is None:
        raise BadRecord("the target has no TextQuoteSelector")
    text = _string(quote.get("exact"), "'TextQuoteSelector.exact'", MAX_PASSAGE)
    prefix = _string(quote.get("prefix", ""), "'TextQuoteSelector.prefix'", MAX_CONTEXT)
    suffix = _string(quote.get("suffix", ""), "'TextQuoteSelector.suffix'", MAX_CONTEXT)
    orphan = record.get("margin:orphan", position is None)
    if not isinstance(orphan, bool):
        raise BadRecord(f"'margin:orphan' must be true or false, not {_type(orphan)}")
    if position is not None:
        start = _offset(position.get("start"), "'TextPositionSelector.start'")
        end = _offset(position.get("end"), "'TextPositionSelector.end'")
    else:
        if not text:  # a quote selector alone, with no words: nothing to show or anchor
            raise BadRecord("'text' is empty ('TextQuoteSelector.exact' has no words and there is no position)")
        start = end = 0
        orphan = True
    _check_passage(text, start, end, orphan)
    tags: list[str] = []
    notes: list[str] = []
    for body in listify(record.get("body")):
        if not isinstance(body, dict):
            raise BadRecord(f"a body must be an object, not {_type(body)}")
        if "value" not in body:
            continue  # a body by reference (SpecificResource, IRI): nothing Margin can keep
        value = _string(body.get("value"), "a body's 'value'", MAX_NOTE)
        if body.get("purpose") == "tagging":
            tags.append(_string(value, "a tag", MAX_TAG))
        elif value:  # any non-empty comment, even one of only whitespace, is the user's note
            notes.append(value)
    if len(tags) > MAX_TAGS:
        raise BadRecord(f"too many tags ({len(tags)}; at most {MAX_TAGS})")
    note = _string("\n\n".join(notes), "the note", MAX_NOTE)
    text_hash = _string(record.get("margin:textHash", ""), "'margin:textHash'", 64)
    if not _HASH.fullmatch(text_hash):
        raise BadRecord("'margin:textHash' must be 64 lowercase hex digits")
    article_id = record.get("margin:articleId")
    if article_id is None:
        article_id = text_hash[:16] if text_hash else "u" + sha256(source.encode("utf-8")).hexdigest()[:15]
    kind, speaker = _kind_and_speaker(record, "margin:kind", "margin:speaker")
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


# -- the user's speaker decisions -----------------------------------------------------------
def _decision(fields: dict[str, object]) -> SpeakerCorrection:
    """A SpeakerCorrection from checked fields, its verdict and speaker checked as the store does."""
    record, why = checked_correction(fields)
    if record is None:
        raise BadRecord(why.split(": ", 1)[-1])
    return SpeakerCorrection.from_record(record)


def _verdict(value: object) -> str:
    if value not in VERDICTS:
        raise BadRecord(f"'verdict' must be one of {', '.join(VERDICTS)}, not {value!r:.60}")
    return str(value)


def _name(value: object, what: str) -> str | None:
    return None if value is None else " ".join(_string(value, what, MAX_SPEAKER).split()) or None


def decision_record(record: object) -> SpeakerCorrection:
    """A speaker decision from one item of a Margin export's `speaker_corrections` (W3C:
    `margin:speakerCorrections`; see `tui.core.formats.decisions`), BadRecord when it cannot be imported."""
    fields = _placed(record, ("id", "article", "text", "start", "end", "verdict", "created", "updated"))
    record = cast(dict[str, Any], record)  # _placed checked it is an object
    fields["quote_text"] = fields.pop("text")
    return _decision(
        {
            **fields,
            "verdict": _verdict(record["verdict"]),
            "speaker": _name(record.get("speaker"), "'speaker'"),
            "model_speaker": _name(record.get("model_speaker"), "'model_speaker'"),
        }
    )


def training_line(record: object) -> SpeakerCorrection:
    """A speaker decision from one line of `margin corrections export` (spaCy/Prodigy JSONL; see
    `tui.core.formats.training`), BadRecord when it cannot be imported. A line with `meta.text_start`
    (where its `text` starts in the article) has the quote's offsets; an older one without it is
    an orphan with no text version (`text_hash` ""), to be anchored on its quote and context in
    the article's file (`tui.core.importing.attach_to_known_articles`)."""
    if not isinstance(record, dict):
        raise BadRecord(f"it is {_type(record)}, not an object")
    meta = record.get("meta")
    if not isinstance(meta, dict):
        raise BadRecord(f"'meta' must be an object, not {_type(meta)}")
    text = _string(record.get("text"), "'text'", MAX_PASSAGE)
    spans = [s for s in listify(record.get("spans")) if isinstance(s, dict) and s.get("label") == "QUOTE"]
    if len(spans) != 1:
        raise BadRecord("it has no QUOTE span (one per line)")
    q_start, q_end = (
        _offset(spans[0].get("start"), "the QUOTE span's 'start'"),
        _offset(spans[0].get("end"), "the QUOTE span's 'end'"),
    )
    if not q_start < q_end <= len(text):
        raise BadRecord(f"the QUOTE span ({q_start}..{q_end}) is not in 'text' ({len(text)} characters)")
    text_hash = _string(meta.get("text_hash", ""), "'meta.text_hash'", 64)
    if not _HASH.fullmatch(text_hash):
        raise BadRecord("'meta.text_hash' must be 64 lowercase hex digits")
    text_start = meta.get("text_start")
    placed = text_start is not None and bool(text_hash)
    at = _offset(text_start, "'meta.text_start'") if placed else 0
    raw_id = meta.get("correction_id")
    now = now_iso()
    return _decision(
        {
            "id": raw_id if isinstance(raw_id, str) and _ID.fullmatch(raw_id) else uuid.uuid4().hex,
            "article_id": _string(meta.get("article_id"), "'meta.article_id'", MAX_ARTICLE_ID, empty=False),
            "article_title": _string(meta.get("title") or "", "'meta.title'", MAX_TITLE),
            "article_path": _string(meta.get("path") or "", "'meta.path'", MAX_PATH),
            "start": at + q_start if placed else 0,
            "end": at + q_end if placed else 0,
            "quote_text": text[q_start:q_end],
            "verdict": _verdict(meta.get("verdict")),
            "speaker": _name(meta.get("speaker"), "'meta.speaker'"),
            "model_speaker": _name(meta.get("model_speaker"), "'meta.model_speaker'"),
            "created": _timestamp(meta["created"], "'meta.created'") if "created" in meta else now,
            "updated": _timestamp(meta["updated"], "'meta.updated'") if "updated" in meta else now,
            "prefix": text[max(0, q_start - CONTEXT_CHARS) : q_start],
            "suffix": text[q_end : q_end + CONTEXT_CHARS],
            "text_hash": text_hash if placed else "",
            "orphan": not placed,
        }
    )
