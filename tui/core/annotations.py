"""The annotation record: a tagged and/or noted passage of an article."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from tui.core.text import quoted


class ArticleRef(Protocol):
    """What re-anchoring annotations needs of an article (an `Article`): its id (text hash), file path, title and text."""

    @property
    def id(self) -> str: ...  # noqa: D102

    @property
    def path(self) -> Path: ...  # noqa: D102

    @property
    def title(self) -> str: ...  # noqa: D102

    @property
    def text(self) -> str: ...  # noqa: D102


class AnchoredArticle(ArticleRef, Protocol):
    """What anchoring a new passage needs of an article (an `Article`): an `ArticleRef` and the whole text's hash."""

    @property
    def text_hash(self) -> str: ...  # noqa: D102


# An annotation's stored form: a JSON object (TinyDB, exports, recovery files), checked by `checked_record`.
Record = dict[str, Any]

CONTEXT_CHARS = 32  # prefix/suffix kept with each annotation, for re-anchoring

# Limits of one annotation: what the app lets you type, what `margin annotate` accepts, what
# `margin import` accepts (one place, so that everything Margin writes imports back).
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


def now_iso() -> str:
    """The current time as ISO 8601 in UTC, to the second (`created` / `updated`)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


TAG_QUOTES = (('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"))


def unquoted(tag: str) -> str:
    """`tag` without the quotation marks typed around it: '"boycott"' -> 'boycott' ("'90s" stays)."""
    tag = tag.strip()
    while len(tag) > 2 and (tag[0], tag[-1]) in TAG_QUOTES:
        tag = tag[1:-1].strip()
    return tag


def normalise_tags(raw: str | list[str]) -> list[str]:
    """'claim, Claim ,  needs check' -> ['claim', 'needs check'] (order kept, case-insensitive dedupe)."""
    items = raw.split(",") if isinstance(raw, str) else raw
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        tag = " ".join(str(item).split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return out


def typed_tags(tags: list[str], before: list[str]) -> list[str]:
    """The tags from the tag box: those already on the annotation exactly as stored (tabs,
    commas and all), new ones normalised and without quotation marks around them ('"boycott"' is
    boycott); no tag twice (case-insensitively)."""
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        for item in [tag] if tag in before else normalise_tags([unquoted(tag)]):
            if item.casefold() not in seen:
                seen.add(item.casefold())
                out.append(item)
    return out


def tag_changes(before: list[str], typed: list[str]) -> tuple[list[str], list[str]]:
    """(added, removed): what the user changed, comparing the tag box's tags with those before."""
    tags = typed_tags(typed, before)
    return [t for t in tags if t not in before], [t for t in before if t not in tags]


def tag_problem(tags: list[str]) -> str | None:
    """Why these tags cannot be saved (one sentence), or None."""
    for tag in tags:
        if len(tag) > MAX_TAG:
            return f"A tag can have at most {MAX_TAG} characters (this one has {len(tag)}): {quoted(tag[:30] + '…')}"
    if len(tags) > MAX_TAGS:
        return f"An annotation can have at most {MAX_TAGS} tags (this one would have {len(tags)})."
    return None


def note_problem(note: str) -> str | None:
    """Why `note` cannot be saved (one sentence), or None when it can."""
    if len(note) > MAX_NOTE:
        return f"A note can have at most {MAX_NOTE:,} characters (this one has {len(note):,})."
    return None


_STR_FIELDS = ("article_title", "article_path", "text", "note", "kind", "prefix", "suffix", "text_hash", "created", "updated")


def checked_record(doc: object) -> tuple[Record | None, str]:
    """A stored record made safe to load: (record, "") or (None, why it cannot be loaded).

    Missing optional fields get their defaults; a field of the wrong type makes the record bad."""
    if not isinstance(doc, dict):
        return None, f"a record is a {type(doc).__name__}, not an object"
    aid = doc.get("id")
    if not isinstance(aid, str) or not aid:
        return None, "a record has no string 'id'"
    if not isinstance(doc.get("article_id"), str) or not doc["article_id"]:
        return None, f"record {aid[:40]!r}: 'article_id' is not a string"
    for name in ("start", "end"):
        value = doc.get(name)
        if type(value) is not int or not 0 <= value <= MAX_OFFSET:
            return None, f"record {aid[:40]!r}: {name!r} is {value!r}, not an offset"
    if doc["end"] < doc["start"]:
        return None, f"record {aid[:40]!r}: 'end' is before 'start'"
    if not isinstance(doc.get("text"), str):
        return None, f"record {aid[:40]!r}: 'text' is not a string"
    record = dict(doc)
    for name in _STR_FIELDS:
        if name in record and not isinstance(record[name], str):
            if record[name] is None and name not in ("text",):
                record[name] = ""
                continue
            return None, f"record {aid[:40]!r}: {name!r} is not a string"
    record.setdefault("article_title", "")
    record.setdefault("article_path", "")
    tags = record.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return None, f"record {aid[:40]!r}: 'tags' is not a list of strings"
    record["tags"] = list(tags)
    if record.get("speaker") is not None and not isinstance(record["speaker"], str):
        return None, f"record {aid[:40]!r}: 'speaker' is not a string"
    if not isinstance(record.get("orphan", False), bool):
        return None, f"record {aid[:40]!r}: 'orphan' is not true or false"
    return record, ""


def anchor_fields(article: AnchoredArticle, start: int, end: int) -> Record:
    """What ties an annotation to `article.text[start:end]`: ids, offsets, quote and context."""
    text = article.text
    return {
        "article_id": article.id,
        "article_title": article.title,
        "article_path": str(article.path),
        "start": start,
        "end": end,
        "text": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
        "text_hash": article.text_hash,
    }


@dataclass
class Annotation:
    """A tagged and/or noted passage of an article: offsets, exact text, context and article hash (for re-anchoring), kind, speaker, tags, note, times."""

    article_id: str
    article_title: str
    article_path: str
    start: int
    end: int
    text: str
    tags: list[str] = field(default_factory=list)
    note: str = ""
    kind: str = "sentence"  # sentence | quote | selection
    speaker: str | None = None  # for quotes: the canonical speaker name
    prefix: str = ""
    suffix: str = ""
    text_hash: str = ""  # hash of the article text the offsets refer to
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created: str = field(default_factory=now_iso)
    updated: str = ""
    # True when re-anchoring after an edit of the article could not find the passage any more:
    # the annotation is kept (never dropped), with its quote, until re-attached by hand.
    orphan: bool = False

    def __post_init__(self) -> None:
        if not self.updated:
            self.updated = self.created

    @property
    def empty(self) -> bool:
        """No tag and no note (blank lines only): nothing left to keep."""
        return not self.tags and not self.note.strip()

    @classmethod
    def for_passage(cls, article: AnchoredArticle, start: int, end: int, **kw: Any) -> "Annotation":
        """A new annotation of `article.text[start:end]`, with its context and the article's hash."""
        return cls(**anchor_fields(article, start, end), **kw)

    def reattached(self, article: AnchoredArticle, start: int, end: int) -> "Annotation":
        """A copy anchored to `article.text[start:end]` (re-attaching an orphan by hand)."""
        from dataclasses import replace

        return replace(self, **anchor_fields(article, start, end), orphan=False, updated=now_iso())

    def to_record(self) -> Record:
        """The stored form (a plain dict for TinyDB and exports)."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: Record) -> "Annotation":
        """An annotation from its stored form (missing optional fields get their defaults)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in record.items() if k in names})
