"""Re-anchoring annotations after their article's text changed.

An annotation carries three selectors: the quote (its exact text, plus up to 32 characters of
prefix and suffix), the position (start, end) and the hash of the text they refer to. When the
article's text changes, `reanchor` finds the passage again, trying in order:

1. the position: the same offsets still hold the quote, with the same context;
2. exact search: every occurrence of the quote, scored by how well the prefix and suffix match
   and how close it is to the old position (the best one wins);
3. fuzzy search (rapidfuzz): the best approximate match of the quote near the old position and
   in the whole text, its boundaries refined, scored on quote, prefix, suffix and distance.

Below the thresholds the annotation becomes an *orphan*: kept with its quote and flagged, never
dropped and never attached to a passage that merely looks a bit like it.

Everything here is pure: no I/O, no store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from tui.core.annotations import CONTEXT_CHARS, Annotation, now_iso
from tui.core.text import PLAIN_QUOTES

# Fuzzy matches must resemble the quote at least this much (0..1, rapidfuzz's normalised Indel
# similarity), more for short quotes where chance matches are likelier ...
QUOTE_MIN_SIMILARITY = 0.80
SHORT_QUOTE_CHARS = 24
SHORT_QUOTE_MIN_SIMILARITY = 0.90
# ... and score this much overall (quote 0.6, prefix 0.15, suffix 0.15, distance 0.1).
FUZZY_MIN_SCORE = 0.70
MAX_OCCURRENCES = 2000  # exact occurrences scored (the nearest to the old position)
FUZZY_WINDOW = 20_000  # chars either side of the old position searched first
FUZZY_GLOBAL_MAX_CHARS = 2_000_000  # whole-text fuzzy search only for texts up to this size


@dataclass(frozen=True)
class Anchor:
    """Where a passage was found in a text: its offsets and how it was found."""

    start: int
    end: int
    method: str  # "position" | "exact" | "fuzzy"
    score: float  # 0..1


def _sim(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return Indel.normalized_similarity(a, b)


def _context_scores(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[float, float]:
    """How well the stored prefix/suffix match the text around start..end (0..1 each).

    An empty stored prefix (suffix) means the passage began (ended) the text: neutral 0.5 if it
    no longer does."""
    pre = _sim(prefix, text[max(0, start - len(prefix)) : start]) if prefix else (1.0 if start == 0 else 0.5)
    suf = _sim(suffix, text[end : end + len(suffix)]) if suffix else (1.0 if end == len(text) else 0.5)
    return pre, suf


def _distance_score(text: str, start: int, old_start: int) -> float:
    return 1.0 - min(1.0, abs(start - old_start) / max(len(text), 1))


def locate(text: str, quote: str, prefix: str, suffix: str, start: int, end: int) -> Anchor | None:
    """Where `quote` (with that context, once at start..end) is in `text` now, or None."""
    if not quote:
        return None
    # 1. Position.
    if text[start:end] == quote:
        pre, suf = _context_scores(text, start, end, prefix, suffix)
        if pre == 1.0 and suf == 1.0:
            return Anchor(start, end, "position", 1.0)
    # 2. Exact occurrences.
    occurrences = []
    i = text.find(quote)
    while i != -1:
        occurrences.append(i)
        i = text.find(quote, i + 1)
    if occurrences:
        if len(occurrences) > MAX_OCCURRENCES:
            occurrences = sorted(occurrences, key=lambda o: abs(o - start))[:MAX_OCCURRENCES]
        best = None
        for o in occurrences:
            pre, suf = _context_scores(text, o, o + len(quote), prefix, suffix)
            score = 0.4 * pre + 0.4 * suf + 0.2 * _distance_score(text, o, start)
            if best is None or score > best.score:
                best = Anchor(o, o + len(quote), "exact", score)
        return best
    # 3. Fuzzy.
    return _fuzzy(text, quote, prefix, suffix, start)


def _fuzzy(text: str, quote: str, prefix: str, suffix: str, old_start: int) -> Anchor | None:
    regions = []
    lo = max(0, old_start - FUZZY_WINDOW)
    hi = min(len(text), old_start + len(quote) + FUZZY_WINDOW)
    regions.append((lo, hi))
    if (lo > 0 or hi < len(text)) and len(text) <= FUZZY_GLOBAL_MAX_CHARS:
        regions.append((0, len(text)))
    candidates: set[tuple[int, int]] = set()
    for r_lo, r_hi in regions:
        region = text[r_lo:r_hi]
        # The quote alone, and the quote in its context (which places it when the quote itself
        # changed more than its surroundings); offset = where the quote starts in the needle.
        for needle, offset in ((quote, 0), (prefix + quote + suffix, len(prefix))):
            found = fuzz.partial_ratio_alignment(needle, region)
            if found is None or found.score == 0:
                continue
            s = min(len(text), r_lo + found.dest_start + offset)
            candidates.add((s, min(len(text), s + len(quote))))
    best: Anchor | None = None
    min_sim = SHORT_QUOTE_MIN_SIMILARITY if len(quote) < SHORT_QUOTE_CHARS else QUOTE_MIN_SIMILARITY
    for s, e in candidates:
        s, e = _refine(text, quote, s, e)
        quote_sim = _sim(quote, text[s:e])
        if quote_sim < min_sim:
            continue
        pre, suf = _context_scores(text, s, e, prefix, suffix)
        score = 0.6 * quote_sim + 0.15 * pre + 0.15 * suf + 0.1 * _distance_score(text, s, old_start)
        if score >= FUZZY_MIN_SCORE and (best is None or score > best.score):
            best = Anchor(s, e, "fuzzy", score)
    return best


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Move start and end (a little) to where the text is most like the quote."""
    slack = max(4, min(64, len(quote) // 4))
    for _ in range(2):
        start = max(
            range(max(0, start - slack), min(end, start + slack) + 1),
            key=lambda s: (_sim(quote, text[s:end]), -abs(s - start)),
        )
        end = max(
            range(max(start, end - slack), min(len(text), end + slack) + 1),
            key=lambda e: (_sim(quote, text[start:e]), -abs(e - end)),
        )
    # Whitespace at the edges is never part of a passage.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def reanchor(annotation: Annotation, new_text: str) -> Annotation:
    """`annotation` anchored in `new_text`: a copy with new offsets, context, hash and article id,
    or an orphan copy (offsets 0..0, quote kept) when the passage cannot be found."""
    from tui.core.articles import text_hash

    new_hash = text_hash(new_text)
    anchor = locate(new_text, annotation.text, annotation.prefix, annotation.suffix, annotation.start, annotation.end)
    changes: dict[str, object] = {"text_hash": new_hash, "article_id": new_hash[:16]}
    if anchor is None:
        changes.update(orphan=True, start=0, end=0)
    else:
        s, e = anchor.start, anchor.end
        changes.update(
            orphan=False,
            start=s,
            end=e,
            text=new_text[s:e],
            prefix=new_text[max(0, s - CONTEXT_CHARS) : s],
            suffix=new_text[e : e + CONTEXT_CHARS],
        )
    result = replace(annotation, **changes)  # type: ignore[arg-type]
    if result != annotation:
        result.updated = now_iso()
    return result


_FOLD = str.maketrans({**PLAIN_QUOTES, "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " ", "…": "."})


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` with typographic quotes/dashes made plain and whitespace runs made one space, and
    for each character of the result the offset in `text` it came from."""
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if in_space:
                continue
            in_space = True
            ch = " "
        else:
            in_space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def find_occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Every (start, end) of `needle` in `text`; if there is none, of `needle` ignoring the kind of
    quotes and dashes and the amount of whitespace (so `--exact 'he said "no"'` finds “no”)."""
    found: list[tuple[int, int]] = []
    if not needle:
        return found
    i = text.find(needle)
    while i != -1:
        found.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    if found:
        return found
    folded_text, where = _folded(text)
    folded_needle = _folded(needle.strip())[0]
    if not folded_needle:
        return found
    i = folded_text.find(folded_needle)
    while i != -1:
        last = i + len(folded_needle) - 1
        found.append((where[i], where[last] + 1))
        i = folded_text.find(folded_needle, i + 1)
    return found
