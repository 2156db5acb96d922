"""The user's speaker corrections applied to an article's summary: People as the user corrected it.

A quote whose speaker the user named moves to that speaker (a new speaker of the article when
the article had none of that name); one the user confirmed stays and is marked as checked; one
marked "not a quote" is left out; a correction whose quote the analysis no longer finds adds the
quote back with the user's speaker. Quotes the user decided carry "user" as their 8th field
(`speaker_source`); the others are the analysis' ("model"). Matching a correction to a quote is
`tui.core.corrections.match_corrections` (same offsets first, then the largest overlap).

Pure Python: no Textual, no spaCy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from tui.core.correction_record import SpeakerCorrection
from tui.core.people.names import classify
from tui.core.people.summary import Summary, SummaryQuote, SummaryRow

USER = "user"


def corrections_by_article(corrections: Iterable[SpeakerCorrection]) -> dict[str, list[SpeakerCorrection]]:
    """The corrections that apply (not orphans), grouped by article id."""
    out: dict[str, list[SpeakerCorrection]] = {}
    for correction in corrections:
        if not getattr(correction, "orphan", False):
            out.setdefault(correction.article_id, []).append(correction)
    return out


def fingerprint(corrections: Iterable[SpeakerCorrection]) -> str:
    """A short digest of an article's corrections: changes when any of them does ("" for none)."""
    parts = sorted(repr((c.id, c.start, c.end, c.verdict, c.speaker, c.updated, c.mention_text)) for c in corrections)
    if not parts:
        return ""
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def corrected_summary(record: Summary, corrections: list[SpeakerCorrection]) -> Summary:
    """`record` (an article's summary, see `summarise`) with `corrections` applied; `record` is not changed."""
    from tui.core.corrections import USER_CONFIRMED, USER_CORRECTED, match_corrections

    if not corrections:
        return record
    rows = [[row[0], row[1], row[2], list(row[3]), list(row[4])] for row in record.get("s", ())]
    spans, where = [], []
    for r, row in enumerate(rows):
        for q, quote in enumerate(row[4]):
            spans.append((quote[0], quote[1]))
            where.append((r, q))
    matched = match_corrections(spans, corrections)
    by_name = {row[0].casefold(): row for row in rows}
    moved: list[tuple[SummaryRow, SummaryQuote]] = []  # (row, quote) to add
    drop: set[tuple[int, int]] = set()
    dropped = 0
    for index, correction in matched.items():
        r, q = where[index]
        quote = rows[r][4][q]
        if correction.verdict == "not_a_quote":
            drop.add((r, q))
            dropped += 1
            continue
        name = " ".join((correction.speaker or "").split())
        if correction.verdict == "confirmed" and name.casefold() == rows[r][0].casefold():
            rows[r][4][q] = [*quote[:4], 1.0, quote[5], USER_CONFIRMED, USER]
            continue
        if not name:
            continue
        drop.add((r, q))
        method = USER_CONFIRMED if correction.verdict == "confirmed" else USER_CORRECTED
        mention = correction.mention_text or name
        moved.append((_row(by_name, rows, name, mention), [*quote[:4], 1.0, mention, method, USER]))
    used = {c.id for c in matched.values()}
    for correction in corrections:
        name = " ".join((correction.speaker or "").split())
        if correction.id in used or correction.verdict == "not_a_quote" or not name:
            continue
        method = USER_CONFIRMED if correction.verdict == "confirmed" else USER_CORRECTED
        mention = correction.mention_text or name
        quote = [correction.start, correction.end, correction.quote_text, None, 1.0, mention, method, USER]
        moved.append((_row(by_name, rows, name, mention), quote))
    for r, row in enumerate(rows):
        row[4] = [quote for q, quote in enumerate(row[4]) if (r, q) not in drop]
    for row, quote in moved:
        row[4].append(quote)
        if quote[5] not in row[3]:
            row[3].append(quote[5])
    for row in rows:
        row[4].sort(key=lambda quote: (quote[0], quote[1]))
    return {**record, "n": max(0, int(record.get("n", 0)) - dropped), "s": [row for row in rows if row[4]]}


def _row(by_name: dict[str, SummaryRow], rows: list[SummaryRow], name: str, mention: str) -> SummaryRow:
    """The article's speaker row named `name` (case-insensitively), made when there is none."""
    row = by_name.get(name.casefold())
    if row is None:
        row = [name, classify(name, None, ()), None, [], []]
        rows.append(row)
        by_name[name.casefold()] = row
    return row
