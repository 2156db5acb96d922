"""What the quote finder records about each quoted piece (`Attribution`), how far each way of
finding a speaker is trusted (`METHOD_CONFIDENCE`), the speaker contract (`speaker_problem`) and
the keys and Span extensions the `margin_quotes` component writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.analysis.lexicon import (
    FUNCTION_WORDS,
    MONTH_WORDS,
    NOT_A_SPEAKER,
)
from tui.core.analysis.quote_cue_words import (
    Cue,
)

SPAN_EXTENSIONS = (
    "margin_content",
    "margin_cue",
    "margin_cue_chars",
    "margin_speaker_chars",
    "margin_speaker_text",
    "margin_speaker_canonical",
    "margin_speaker_method",
    "margin_speaker_confidence",
    "margin_speaker_unknown_reason",
)
DEFAULT_SPANS_KEY = "margin_quotes"


def _other_keys(spans_key: str) -> tuple[str, str]:
    if spans_key == DEFAULT_SPANS_KEY:
        return "margin_speakers", "margin_quoted_other"
    return spans_key + "_speakers", spans_key + "_other"


@dataclass
class Attribution:
    """What is known about one quoted piece: its cue, whether it is speech, and its speaker and how it was found."""

    cue: Cue | None = None
    source: int = -1  # index of the piece whose cue this piece uses (itself when own), -1 none
    speaker_chars: tuple[int, int] | None = None
    speaker_text: str | None = None
    canonical: str | None = None
    is_speech: bool = False
    resolved: bool = False
    method: str = ""  # how the speaker was found (METHOD_CONFIDENCE)
    confidence: float = 0.0
    unknown_reason: str | None = None


# How a speaker was found, and how far that way is trusted (measured on PolNeAR's tuning part).
METHOD_CONFIDENCE = {
    "cue subject": 0.95,  # the named subject of the quote's own reporting verb
    "cue description": 0.85,  # a description as subject ("a spokeswoman said")
    "according to": 0.9,
    "attribution line": 0.9,  # "— Jane Doe." on the line after a paragraph of quotation
    "pronoun → name": 0.75,  # "he said": the person speaking in the passage
    "split quote": 0.95,  # the second half of “…,” she said. “…”
    "continuation": 0.8,  # a paragraph continuing a multi-paragraph quote
    "previous cue": 0.7,  # no cue: the subject of the last reporting verb before it
    "previous speaker": 0.55,  # no cue: the person speaking in the passage
    "ranker": 0.6,  # the learned ranker overrode the rules (speaker_ranker); its probability is used instead
}

# How a speaker was found, in a reader's words (the status line explains an uncertain speaker with it).
METHOD_IN_WORDS = {
    "cue subject": "subject of the reporting verb",
    "cue description": "a description",
    "according to": "according to",
    "attribution line": "the line after the quote",
    "pronoun → name": "from a pronoun",
    "split quote": "the quote's first part",
    "continuation": "the quote runs on",
    "previous cue": "the reporting verb before",
    "previous speaker": "who is speaking in the passage",
    "ranker": "a model's guess",
}


def _a_full_name(text: str) -> bool:
    """Two or three capitalised words ("Al From", "Jane Or"): a surname may be a function word."""
    written = text.split()
    return 2 <= len(written) <= 3 and all(w[:1].isupper() and w[1:].islower() for w in written)


def speaker_problem(canonical: str | None) -> str | None:
    """Why `canonical` cannot be a speaker's name or description (the speaker contract), or None."""
    text = (canonical or "").strip()
    if not text:
        return "no speaker named"
    words = text.lower().replace(",", " ").split()
    if text.lower() in NOT_A_SPEAKER:
        return "pronoun with no antecedent"
    if not any(ch.isalpha() for ch in text):
        return "not a name"
    if words[0] in MONTH_WORDS or (len(words) <= 3 and words[-1] in MONTH_WORDS):
        return "a date, not a speaker"
    if words[0] in FUNCTION_WORDS - {"the", "a", "an"} or (words[-1] in FUNCTION_WORDS and not _a_full_name(text)):
        return "no speaker named"
    if len(words) > 12:
        return "no speaker named"
    if words[-1].endswith(("'s", "’s")):
        return "no speaker named"  # "the convention’s": a possessive cut from its noun
    return None
