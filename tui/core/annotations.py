"""The annotation record: a tagged and/or noted passage of an article."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone

CONTEXT_CHARS = 32  # prefix/suffix kept with each annotation, for re-anchoring


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


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


def anchor_fields(article, start: int, end: int) -> dict:
    """What ties an annotation to `article.text[start:end]`: ids, offsets, quote and context."""
    text = article.text
    return {
        "article_id": article.id,
        "article_title": article.title,
        "article_path": str(article.path),
        "start": start,
        "end": end,
        "text": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS):start],
        "suffix": text[end:end + CONTEXT_CHARS],
        "text_hash": article.text_hash,
    }


@dataclass
class Annotation:
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

    @classmethod
    def for_passage(cls, article, start: int, end: int, **kw) -> "Annotation":
        return cls(**anchor_fields(article, start, end), **kw)

    def reattached(self, article, start: int, end: int) -> "Annotation":
        """A copy anchored to `article.text[start:end]` (re-attaching an orphan by hand)."""
        from dataclasses import replace

        return replace(self, **anchor_fields(article, start, end), orphan=False, updated=now_iso())

    def to_record(self) -> dict:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict) -> "Annotation":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in record.items() if k in names})
