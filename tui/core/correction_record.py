"""The speaker-correction record: what the user decided about one quote's speaker.

Kept apart from `tui.core.corrections` (the operations) so that the store can validate these
records without importing the module that uses the store. A correction is anchored to its quote
like an annotation (exact text, 32 characters of context either side, the text's hash), so it
follows the quote when the article's text changes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields

from tui.core.annotations import CONTEXT_CHARS, MAX_ARTICLE_ID, MAX_OFFSET, MAX_SPEAKER, AnchoredArticle, Record, now_iso

VERDICTS = ("speaker", "confirmed", "not_a_quote")
CORRECTIONS_TABLE = "corrections"  # the TinyDB table, in each article's file of the store

# Not stored: recomputed from the current text each time corrections are read.
_DERIVED = ("mention_start", "mention_end", "mention_text")


@dataclass(frozen=True)
class SpeakerCorrection:
    """The user's decision on one quote's speaker.

    `verdict` is "speaker" (the user named the speaker: `speaker`), "confirmed" (the model's
    speaker, `speaker`, is right) or "not_a_quote" (`speaker` is None). `model_speaker` is what
    the analysis said when the user decided. `start`/`end` index the quote in the current
    article text once read through `tui.core.corrections.corrections_for` (re-anchored there);
    `orphan` is True when the quote is no longer in the text (kept, never dropped). The
    `mention_*` fields are where the speaker's name appears near the quote (None if nowhere)."""

    id: str
    article_id: str
    start: int
    end: int
    quote_text: str
    verdict: str
    speaker: str | None
    model_speaker: str | None
    created: str
    updated: str
    article_title: str = ""
    article_path: str = ""
    prefix: str = ""
    suffix: str = ""
    text_hash: str = ""
    orphan: bool = False
    mention_start: int | None = None
    mention_end: int | None = None
    mention_text: str | None = None

    @classmethod
    def new(
        cls,
        article: AnchoredArticle,
        start: int,
        end: int,
        verdict: str,
        speaker: str | None,
        model_speaker: str | None,
        id: str | None = None,
        created: str | None = None,
    ) -> "SpeakerCorrection":
        """A correction of the quote `article.text[start:end]`, with its context and the article's hash."""
        text = article.text
        now = now_iso()
        return cls(
            id=id or uuid.uuid4().hex,
            article_id=article.id,
            start=start,
            end=end,
            quote_text=text[start:end],
            verdict=verdict,
            speaker=speaker,
            model_speaker=model_speaker,
            created=created or now,
            updated=now,
            article_title=article.title or "",
            article_path=str(article.path or ""),
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
            text_hash=article.text_hash,
        )

    @property
    def model_right(self) -> bool:
        """Whether the model's speaker was right: confirmed, or the user named the same person."""
        if self.verdict == "confirmed":
            return True
        if self.verdict == "speaker" and self.speaker and self.model_speaker:
            return " ".join(self.speaker.split()).casefold() == " ".join(self.model_speaker.split()).casefold()
        return False

    def to_record(self) -> Record:
        """The stored form (a plain dict; the derived `mention_*` fields are left out)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _DERIVED}

    @classmethod
    def from_record(cls, record: Record) -> "SpeakerCorrection":
        """A correction from a record checked by `checked_correction`."""
        names = {f.name for f in fields(cls)} - set(_DERIVED)
        return cls(**{k: v for k, v in record.items() if k in names})


_REQUIRED_STR = ("id", "article_id", "verdict", "created", "updated")
_OPTIONAL_STR = ("article_title", "article_path", "prefix", "suffix", "text_hash")


def checked_correction(doc: object) -> tuple[Record | None, str]:
    """A stored correction made safe to load: (record, "") or (None, why it cannot be loaded)."""
    if not isinstance(doc, dict):
        return None, f"a correction is a {type(doc).__name__}, not an object"
    cid = doc.get("id")
    if not isinstance(cid, str) or not cid:
        return None, "a correction has no string 'id'"
    label = f"correction {cid[:40]!r}"
    for name in _REQUIRED_STR:
        if not isinstance(doc.get(name), str) or not doc[name]:
            return None, f"{label}: {name!r} is not a string"
    if len(doc["article_id"]) > MAX_ARTICLE_ID:
        return None, f"{label}: 'article_id' is too long"
    if doc["verdict"] not in VERDICTS:
        return None, f"{label}: verdict {doc['verdict'][:40]!r} is not one of {', '.join(VERDICTS)}"
    for name in ("start", "end"):
        value = doc.get(name)
        if type(value) is not int or not 0 <= value <= MAX_OFFSET:
            return None, f"{label}: {name!r} is {value!r}, not an offset"
    if doc["end"] < doc["start"]:
        return None, f"{label}: 'end' is before 'start'"
    if not isinstance(doc.get("quote_text"), str):
        return None, f"{label}: 'quote_text' is not a string"
    for name in ("speaker", "model_speaker"):
        value = doc.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > MAX_SPEAKER):
            return None, f"{label}: {name!r} is not a name"
    if doc["verdict"] in ("speaker", "confirmed") and not (doc.get("speaker") or "").strip():
        return None, f"{label}: a {doc['verdict']!r} correction names no speaker"
    record = {k: v for k, v in doc.items() if k not in _DERIVED}
    for name in _OPTIONAL_STR:
        value = record.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            return None, f"{label}: {name!r} is not a string"
        record[name] = value
    record.setdefault("speaker", None)
    record.setdefault("model_speaker", None)
    if not isinstance(record.setdefault("orphan", False), bool):
        return None, f"{label}: 'orphan' is not true or false"
    return record, ""
