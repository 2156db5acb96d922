"""The analysis result: plain, serialisable records with character offsets into the article text.

Every offset is a Python string index into `Article.text` (the normalised text the reader shows).
These records are what the UI, the cache, `margin analyze` and exports consume; nothing outside
`tui.core.analysis` sees a spaCy `Doc`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

AnalysisRecord = dict[str, Any]  # `Analysis.to_dict` data as cached in JSON: values are checked as they are read


@dataclass(frozen=True)
class Entity:
    """A named entity: its character offsets, label, text as written and canonical name."""

    start: int
    end: int
    label: str
    text: str
    canonical: str  # the fullest name of this entity in the document ("Pompeo" -> "Mike Pompeo")


LOW_CONFIDENCE = 0.75  # below this a speaker is shown as uncertain (the reader dims it and adds "?")


@dataclass(frozen=True)
class Speaker:
    """Who said a quote: the mention in the text, the name or description it stands for, and how sure that is."""

    start: int
    end: int
    text: str  # the mention as written ("he", "Pompeo", "a source familiar with the matter")
    canonical: str  # the resolved name ("Mike Pompeo") or description; never empty or a pronoun
    method: str = ""  # how it was found: "cue subject", "pronoun → name", "continuation", ...
    confidence: float = 1.0  # 0..1; below LOW_CONFIDENCE the reader shows it as uncertain

    @property
    def uncertain(self) -> bool:
        """Whether the attribution is a guess the reader should flag (confidence below LOW_CONFIDENCE)."""
        return self.confidence < LOW_CONFIDENCE


@dataclass(frozen=True)
class Quote:
    """A direct quotation: its content offsets, its reporting cue and its speaker (or why none is given)."""

    start: int  # content only: strictly between the quotation marks, surrounding spaces trimmed
    end: int
    text: str
    cue: str | None  # reporting words as written ("said", "told CNN", "according to"), or None
    speaker: Speaker | None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_unknown_reason: str | None = None  # set when speaker is None: why no speaker is given


@dataclass(frozen=True)
class Analysis:
    """The analysis of one article: the pipeline that produced it, and its sentences, entities and quotes."""

    model: str  # pipeline name, e.g. "en_core_web_sm" or "rules (no trained pipeline)"
    model_version: str
    analyzer_version: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def to_dict(self) -> AnalysisRecord:
        """The analysis as plain dicts and lists (the cache format)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: AnalysisRecord) -> "Analysis":
        """The analysis from `to_dict` data; raises KeyError or TypeError when the data is malformed."""
        quotes = []
        for q in data.get("quotes", []):
            q = dict(q)
            spk = q.pop("speaker", None)
            quotes.append(Quote(**q, speaker=Speaker(**spk) if spk else None))
        return cls(
            model=data["model"],
            model_version=data["model_version"],
            analyzer_version=data["analyzer_version"],
            sentences=[tuple(s) for s in data.get("sentences", [])],
            entities=[Entity(**e) for e in data.get("entities", [])],
            quotes=quotes,
        )
