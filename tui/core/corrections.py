"""Speaker corrections: the user's word on who said a quote, which wins over the analysis.

A correction is a record of its own kind in the store (the `corrections` table of each article's
file; see `tui.core.store`), not a tag annotation, with the store's guarantees: one transaction
under the cross-process lock, atomic writes, journaled moves, validated on load (a damaged record
is skipped and left in the file). It is anchored to its quote like an annotation (exact text,
context, text hash), so it survives re-analysis (it never depends on the analysis cache) and
edits of the article (re-anchored when read, moved to the new text's id; an orphan when the quote
is gone, kept and never dropped).

How callers learn where a quote's speaker comes from: `apply_corrections` returns ordinary
`Quote`s; a quote whose speaker the user decided carries a `Speaker` whose `method` is
`USER_CORRECTED` (the user named someone) or `USER_CONFIRMED` (the user confirmed the model's
speaker). `speaker_source(quote)` reads that: "user" or "model".

On a read-only database a new correction is kept in memory (`store.unsaved_corrections`), shown
like a saved one, and a notice says it is not saved; `retry_unsaved_corrections(store)` saves
what it can later.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace

from tui.core.analysis.result import Analysis, Quote, Speaker
from tui.core.anchoring import locate
from tui.core.annotations import CONTEXT_CHARS, MAX_SPEAKER, AnchoredArticle, now_iso
from tui.core.correction_record import VERDICTS, SpeakerCorrection, checked_correction
from tui.core.storage.anchored import holds_text
from tui.core.storage.errors import StoreError
from tui.core.storage.store import AnnotationStore

__all__ = [
    "USER_CONFIRMED",
    "USER_CORRECTED",
    "VERDICTS",
    "RestoredDecisions",
    "SpeakerCorrection",
    "all_corrections",
    "apply_corrections",
    "confirm_speaker",
    "correct_speaker",
    "corrected_analysis",
    "correction_for_quote",
    "correction_stats",
    "corrections_for",
    "mark_not_a_quote",
    "quotation_pieces",
    "match_corrections",
    "model_speaker_at",
    "remove_correction",
    "restore_corrections",
    "retry_unsaved_corrections",
    "same_decision",
    "same_quotation",
    "speaker_problem",
    "speaker_source",
    "stats_line",
]

USER_CORRECTED = "user correction"  # Speaker.method of a speaker the user named
USER_CONFIRMED = "user confirmed"  # Speaker.method of a model speaker the user confirmed
SPLIT_PIECE = "split quote"  # Speaker.method of a piece that continues the quotation before it
USER_METHODS = (USER_CORRECTED, USER_CONFIRMED)
MIN_OVERLAP = 0.5  # a correction applies to a quote whose span overlaps it this much (of their union)
MENTION_WINDOW = 600  # characters around a quote searched for the speaker's name


# -- reading -----------------------------------------------------------------------------------
def speaker_source(quote: Quote) -> str:
    """Where `quote`'s speaker comes from: "user" when the user decided this quote's speaker (corrected or confirmed), else "model"."""
    return "user" if quote.speaker is not None and quote.speaker.method in USER_METHODS else "model"


def corrections_for(
    store: AnnotationStore, article: AnchoredArticle, keep_ids: Container[str] | None = None
) -> list[SpeakerCorrection]:
    """The speaker corrections of `article`, re-anchored to its current text.

    Those saved with its id, plus those saved under its file path for another version of its
    text (unless that text still exists: its id is in `keep_ids`): these are re-anchored and
    saved with the article's new id (orphans, whose quote is gone, are kept with `orphan=True`).
    Unsaved ones (a read-only database) are included. Sorted by position, orphans last."""
    keep_ids = keep_ids if keep_ids is not None else ()
    path = str(article.path)
    found: dict[str, SpeakerCorrection] = {}
    moved: list[SpeakerCorrection] = []
    deletes: list[tuple[str, str]] = []
    holds: dict[str, bool] = {}
    for record in store.correction_records(article.id):
        correction = SpeakerCorrection.from_record(record)
        old = correction.article_path
        if old != path or correction.article_title != article.title:
            if old != path and old not in holds:
                holds[old] = holds_text(old, article.id)
            if old == path or not holds[old]:
                correction = replace(correction, article_path=path, article_title=article.title or "")
                moved.append(correction)
        found[correction.id] = correction
    for record in store.correction_records_on_path(path):
        correction = SpeakerCorrection.from_record(record)
        if correction.article_id == article.id or correction.id in found or correction.article_id in keep_ids:
            continue
        deletes.append((correction.article_id, correction.id))
        correction = reanchor_correction(correction, article)
        found[correction.id] = correction
        moved.append(correction)
    if moved:
        try:
            store.save_corrections([c.to_record() for c in moved], deletes)
        except StoreError:
            if not store.read_only:
                raise
    for unsaved in store.unsaved_corrections.values():
        if unsaved.article_id == article.id:
            found[unsaved.id] = unsaved
    result = [with_mention(c, article.text) for c in found.values()]
    return sorted(result, key=lambda c: (c.orphan, c.start, c.end, c.id))


def all_corrections(store: AnnotationStore) -> list[SpeakerCorrection]:
    """Every speaker correction, as stored (offsets not re-anchored), with the unsaved ones."""
    found = {r["id"]: SpeakerCorrection.from_record(r) for r in store.all_correction_records()}
    found.update(store.unsaved_corrections)
    return sorted(found.values(), key=lambda c: (c.article_id, c.start, c.end, c.id))


def reanchor_correction(correction: SpeakerCorrection, article: AnchoredArticle) -> SpeakerCorrection:
    """`correction` anchored in `article`'s text (new offsets, context, hash and id), or an orphan
    copy (offsets 0..0, quote kept) when its quote cannot be found there."""
    text = article.text
    anchor = None
    if correction.quote_text:
        anchor = locate(text, correction.quote_text, correction.prefix, correction.suffix, correction.start, correction.end)
    moved = replace(
        correction,
        article_id=article.id,
        text_hash=article.text_hash,
        article_path=str(article.path),
        article_title=article.title or "",
        updated=now_iso(),
    )
    if anchor is None:
        return replace(moved, orphan=True, start=0, end=0)
    s, e = anchor.start, anchor.end
    return replace(
        moved,
        orphan=False,
        start=s,
        end=e,
        quote_text=text[s:e],
        prefix=text[max(0, s - CONTEXT_CHARS) : s],
        suffix=text[e : e + CONTEXT_CHARS],
    )


def with_mention(correction: SpeakerCorrection, text: str) -> SpeakerCorrection:
    """`correction` with `mention_*` set to the nearest place near its quote where `text` names
    its speaker (the full name, else the last word of it), or unset."""
    span = (
        None
        if correction.orphan or not correction.speaker
        else find_mention(text, correction.speaker, correction.start, correction.end)
    )
    if span is None:
        return replace(correction, mention_start=None, mention_end=None, mention_text=None)
    return replace(correction, mention_start=span[0], mention_end=span[1], mention_text=text[span[0] : span[1]])


def find_mention(text: str, name: str, start: int, end: int) -> tuple[int, int] | None:
    """The nearest occurrence of `name` (or its last word) outside the quote start..end, within
    MENTION_WINDOW characters of it; None if there is none."""
    lo, hi = max(0, start - MENTION_WINDOW), min(len(text), end + MENTION_WINDOW)
    words = name.split()
    for needle in dict.fromkeys([" ".join(words), words[-1] if words else ""]):
        if len(needle) < 2:
            continue
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in needle.split()) + r"(?!\w)", re.IGNORECASE)
        spans = [(m.start() + lo, m.end() + lo) for m in pattern.finditer(text[lo:hi])]
        spans = [s for s in spans if s[1] <= start or s[0] >= end]
        if spans:
            return min(spans, key=lambda s: min(abs(s[0] - end), abs(start - s[1])))
    return None


# -- matching corrections to quotes ------------------------------------------------------------
def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if inter > 0 and union > 0 else (1.0 if a == b else 0.0)


def match_corrections(spans: list[tuple[int, int]], corrections: Iterable[SpeakerCorrection]) -> dict[int, SpeakerCorrection]:
    """Index of a span -> the correction that applies to it: the same offsets first, then the
    largest overlap (at least MIN_OVERLAP of their union); each used once, orphans never."""
    result: dict[int, SpeakerCorrection] = {}
    pending = [c for c in corrections if not c.orphan]
    by_span = {span: i for i, span in reversed(list(enumerate(spans)))}
    for correction in list(pending):
        i = by_span.get((correction.start, correction.end))
        if i is not None and i not in result:
            result[i] = correction
            pending.remove(correction)
    for correction in pending:
        scored = [(_overlap(span, (correction.start, correction.end)), i) for i, span in enumerate(spans) if i not in result]
        best = max(scored, default=(0.0, -1))
        if best[0] >= MIN_OVERLAP:
            result[best[1]] = correction
    return result


def correction_for_quote(corrections: Iterable[SpeakerCorrection], quote: Quote) -> SpeakerCorrection | None:
    """The correction (of one article's `corrections`) that applies to `quote`, or None."""
    return match_corrections([(quote.start, quote.end)], corrections).get(0)


def quotation_pieces(quotes: Sequence[Quote], quote: Quote) -> list[Quote]:
    """The pieces of the quotation `quote` belongs to, in reading order and itself included,
    among the analysis' own `quotes` (in reading order): a piece whose speaker was found as a
    "split quote" continues the piece before it ("“…,” she said. “…”"). Only `quote` when it
    is not among them."""
    spans = [(q.start, q.end) for q in quotes]
    if (quote.start, quote.end) not in spans:
        return [quote]

    def continues(k: int) -> bool:
        speaker = quotes[k].speaker
        return speaker is not None and speaker.method == SPLIT_PIECE

    first = last = spans.index((quote.start, quote.end))
    while first > 0 and continues(first):
        first -= 1
    while last + 1 < len(quotes) and continues(last + 1):
        last += 1
    return list(quotes[first : last + 1])


def same_quotation(model: Sequence[Quote], shown: Sequence[Quote], quote: Quote) -> list[Quote]:
    """What a speaker named for `quote` (one of the analysis' own quotes `model`) is recorded
    on, as the reader's `c` does: `quote` and the other pieces of its quotation
    (`quotation_pieces`) that show the same speaker as it among `shown` (the quotes as the user
    corrected them), in reading order."""
    shown_at = {(q.start, q.end): q for q in shown}

    def said_by(q: Quote) -> str | None:
        seen = shown_at.get((q.start, q.end), q)
        return seen.speaker.canonical if seen.speaker is not None else None

    name = said_by(quote)
    return [p for p in quotation_pieces(model, quote) if (p.start, p.end) == (quote.start, quote.end) or said_by(p) == name]


def _user_speaker(correction: SpeakerCorrection, model: Speaker | None, at: int) -> Speaker:
    name = correction.speaker or ""
    if correction.verdict == "confirmed" and model is not None and model.canonical.casefold() == name.casefold():
        return replace(model, canonical=name, method=USER_CONFIRMED, confidence=1.0)
    method = USER_CONFIRMED if correction.verdict == "confirmed" else USER_CORRECTED
    if correction.mention_start is not None and correction.mention_end is not None:
        return Speaker(correction.mention_start, correction.mention_end, correction.mention_text or name, name, method, 1.0)
    return Speaker(at, at, name, name, method, 1.0)  # named nowhere near: no mention to mark


def apply_corrections(analysis: Analysis, corrections: Iterable[SpeakerCorrection]) -> Analysis:
    """The analysis as the user corrected it: a quote the user named a speaker for, or confirmed,
    gets that speaker (`speaker_source` "user"); one marked "not a quote" is left out; the others
    are unchanged ("model"). A correction whose quote the analysis no longer finds (but whose
    passage is still in the text) adds that quote back with the user's speaker."""
    corrections = [c for c in corrections if not c.orphan]
    if not corrections:
        return analysis
    matched = match_corrections([(q.start, q.end) for q in analysis.quotes], corrections)
    quotes: list[Quote] = []
    for i, quote in enumerate(analysis.quotes):
        correction = matched.get(i)
        if correction is None:
            quotes.append(quote)
        elif correction.verdict != "not_a_quote":
            speaker = _user_speaker(correction, quote.speaker, quote.start)
            quotes.append(replace(quote, speaker=speaker, speaker_unknown_reason=None))
    used = {c.id for c in matched.values()}
    for correction in corrections:
        if correction.id not in used and correction.verdict != "not_a_quote":
            speaker = _user_speaker(correction, None, correction.start)
            quotes.append(Quote(correction.start, correction.end, correction.quote_text, None, speaker))
    quotes.sort(key=lambda q: (q.start, q.end))
    return replace(analysis, quotes=quotes)


def corrected_analysis(
    store: AnnotationStore, article: AnchoredArticle, analysis: Analysis, keep_ids: Container[str] | None = None
) -> Analysis:
    """`analysis` of `article` as the user corrected it: `apply_corrections` with the article's
    corrections (re-anchored; `keep_ids` as for `corrections_for`). What the reader and a
    timeline show. A database that cannot be read leaves the analysis as it is."""
    try:
        corrections = corrections_for(store, article, keep_ids)
    except StoreError:
        return analysis
    return apply_corrections(analysis, corrections)


def stats_line(corrections: Iterable[SpeakerCorrection]) -> str:
    """The figure in words: "speaker right in 47 of your 52 corrected or confirmed quotes"."""
    right, checked = correction_stats(corrections)
    if not checked:
        return "no corrected or confirmed quotes yet"
    noun = "quote" if checked == 1 else "quotes"
    return f"speaker right in {right} of your {checked} corrected or confirmed {noun}"


def correction_stats(corrections: Iterable[SpeakerCorrection]) -> tuple[int, int]:
    """(model right, checked) over the quotes the user checked: "speaker right in 47 of your 52
    corrected or confirmed quotes". Checked = every correction (named, confirmed, not a quote);
    right = confirmed, or named the same person the model named."""
    corrections = list(corrections)
    return sum(1 for c in corrections if c.model_right), len(corrections)


# -- writing -----------------------------------------------------------------------------------
def speaker_problem(name: str) -> str | None:
    """Why `name` cannot be a speaker's name (one sentence), or None."""
    if not name.strip():
        return "Type the speaker's name (or mark the quote as not a quote)."
    if len(name) > MAX_SPEAKER:
        return f"A speaker's name can have at most {MAX_SPEAKER} characters (this one has {len(name)})."
    return None


def _model_name(quote: Quote) -> str | None:
    speaker = quote.speaker
    return speaker.canonical if speaker is not None and speaker.method not in USER_METHODS else None


def _decide(
    store: AnnotationStore, article: AnchoredArticle, quote: Quote, verdict: str, speaker: str | None
) -> SpeakerCorrection:
    if not (0 <= quote.start <= quote.end <= len(article.text)):
        raise ValueError("the quote is not in this article's text")
    with_text = article.text[quote.start : quote.end]
    try:
        with store.transaction():
            existing = correction_for_quote(corrections_for(store, article), quote)
            correction = _decided(article, quote, with_text, verdict, speaker, existing)
            store.save_corrections([correction.to_record()])
            store.unsaved_corrections.pop(correction.id, None)
    except StoreError:
        if not store.read_only:
            raise
        existing = correction_for_quote(corrections_for(store, article), quote)
        correction = _decided(article, quote, with_text, verdict, speaker, existing)
        _keep_unsaved(store, correction)
    return with_mention(correction, article.text)


def _decided(
    article: AnchoredArticle,
    quote: Quote,
    with_text: str,
    verdict: str,
    speaker: str | None,
    existing: SpeakerCorrection | None,
) -> SpeakerCorrection:
    model = existing.model_speaker if existing is not None else _model_name(quote)
    if verdict == "confirmed":  # what is shown is right: the model's speaker, or the user's own earlier
        speaker = quote.speaker.canonical if quote.speaker is not None else model
        if not speaker:
            raise ValueError("this quote has no speaker to confirm; name one instead")
        if not model or model.casefold() != speaker.casefold():
            verdict = "speaker"
    correction = SpeakerCorrection.new(
        article,
        quote.start,
        quote.end,
        verdict,
        speaker,
        model,
        id=existing.id if existing else None,
        created=existing.created if existing else None,
    )
    checked, why = checked_correction(correction.to_record())
    if checked is None or with_text != correction.quote_text:
        raise ValueError(why or "the quote is not in this article's text")
    return correction


def _keep_unsaved(store: AnnotationStore, correction: SpeakerCorrection) -> None:
    store.unsaved_corrections[correction.id] = correction
    n = len(store.unsaved_corrections)
    store.notice = ((store.notice + " ") if store.notice and "speaker correction(s)" not in store.notice else "") + (
        f"{n} speaker correction(s) are kept in memory only: the annotations database cannot be written "
        f"({store.read_only}); they will be saved when it can."
    )


def correct_speaker(store: AnnotationStore, article: AnchoredArticle, quote: Quote, speaker: str) -> SpeakerCorrection:
    """Record that `speaker` said `quote` (of `article`); replaces an earlier decision on it.
    ValueError (one sentence) for a name that cannot be saved."""
    name = " ".join(speaker.split())
    problem = speaker_problem(name)
    if problem:
        raise ValueError(problem)
    return _decide(store, article, quote, "speaker", name)


def confirm_speaker(store: AnnotationStore, article: AnchoredArticle, quote: Quote) -> SpeakerCorrection:
    """Record that the analysis' speaker of `quote` is right (ValueError when it names none)."""
    return _decide(store, article, quote, "confirmed", None)


def mark_not_a_quote(store: AnnotationStore, article: AnchoredArticle, quote: Quote) -> SpeakerCorrection:
    """Record that `quote` is not a quotation (it is then left out wherever quotes are shown)."""
    return _decide(store, article, quote, "not_a_quote", None)


def remove_correction(store: AnnotationStore, article: AnchoredArticle, correction_id: str) -> None:
    """Forget a correction (the analysis' speaker shows again). An unsaved one is only
    forgotten; a saved one on a read-only database raises StoreError."""
    if store.unsaved_corrections.pop(correction_id, None) is not None:
        if not any(r["id"] == correction_id for r in store.correction_records(article.id)):
            return
    store.save_corrections([], [(article.id, correction_id)])


def restore_correction(store: AnnotationStore, correction: SpeakerCorrection) -> None:
    """Save a forgotten correction back exactly as it was (its verdict, speaker and the model's
    speaker then): undoing "forget". Raises StoreError when the database cannot be written."""
    store.save_corrections([correction.to_record()])


def model_speaker_at(analysis: Analysis, start: int, end: int) -> str | None:
    """The analysis' own speaker of the quote at start..end (the quote overlapping it most, at
    least MIN_OVERLAP of their union), or None."""
    best, name = 0.0, None
    for quote in analysis.quotes:
        overlap = _overlap((quote.start, quote.end), (start, end))
        if quote.speaker is not None and quote.speaker.method not in USER_METHODS and overlap > best:
            best, name = overlap, quote.speaker.canonical
    return name if best >= MIN_OVERLAP else None


def same_decision(a: SpeakerCorrection, b: SpeakerCorrection) -> bool:
    """Whether two corrections decide the same: both "not a quote", or both give the quote the
    same speaker (named or confirmed; case and spacing aside)."""
    if "not_a_quote" in (a.verdict, b.verdict):
        return a.verdict == b.verdict

    def name(c: SpeakerCorrection) -> str:
        return " ".join((c.speaker or "").split()).casefold()

    return name(a) == name(b)


@dataclass
class RestoredDecisions:
    """What `restore_corrections` did (or, in a dry run, would do)."""

    added: list[SpeakerCorrection] = field(default_factory=list)  # saved: the quote had no decision here
    same: int = 0  # the quote already had the same decision here
    # (the one given, the one kept): the quote already had another decision here (or earlier in
    # what was given), which is kept — never overwritten
    differ: list[tuple[SpeakerCorrection, SpeakerCorrection]] = field(default_factory=list)


def restore_corrections(
    store: AnnotationStore, corrections: Iterable[SpeakerCorrection], dry_run: bool = False
) -> RestoredDecisions:
    """Save speaker decisions made elsewhere (an import's `speaker_corrections`, and its quotes
    whose `speaker_source` is "user") where the database has none for their quote. A quote that
    already has a decision here keeps it: the same decision is counted in `same`, another in
    `differ`. A decision whose id the database holds (on any version of the article; an orphan's
    only way to be known) is that decision, kept as it is here. One all-or-nothing write (none
    with `dry_run`), so restoring the same decisions twice adds nothing. Raises StoreError (the
    database cannot be read or written)."""
    result = RestoredDecisions()
    by_article: dict[str, list[SpeakerCorrection]] = {}
    for correction in corrections:
        by_article.setdefault(correction.article_id, []).append(correction)
    if not by_article:
        return result
    with nullcontext() if dry_run else store.transaction():
        by_id = {r["id"]: SpeakerCorrection.from_record(r) for r in store.all_correction_records()}
        by_id.update(store.unsaved_corrections)
        for article_id, given in by_article.items():
            stored = [SpeakerCorrection.from_record(r) for r in store.correction_records(article_id)]
            stored += [c for c in store.unsaved_corrections.values() if c.article_id == article_id]
            taken: list[SpeakerCorrection] = []
            for correction in given:
                span = [(correction.start, correction.end)]
                here = match_corrections(span, stored).get(0) or by_id.get(correction.id)
                earlier = None
                if here is None:
                    earlier = match_corrections(span, taken).get(0) or next((c for c in taken if c.id == correction.id), None)
                if here is not None:
                    if same_decision(correction, here):
                        result.same += 1
                    else:
                        result.differ.append((correction, here))
                elif earlier is None:
                    taken.append(correction)
                elif not same_decision(correction, earlier):  # two records of one quote in what was given
                    result.differ.append((correction, earlier))
            result.added += taken
        if result.added and not dry_run:
            store.save_corrections([c.to_record() for c in result.added])
    return result


def retry_unsaved_corrections(store: AnnotationStore) -> int:
    """Save the corrections kept in memory (a read-only database); how many are still unsaved."""
    pending = list(store.unsaved_corrections.values())
    if pending:
        try:
            store.save_corrections([c.to_record() for c in pending])
        except StoreError:
            return len(store.unsaved_corrections)
        for correction in pending:
            store.unsaved_corrections.pop(correction.id, None)
    return len(store.unsaved_corrections)
