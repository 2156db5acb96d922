"""Speaker decisions made on one screen (a reader, a timeline), kept so that `u` can take the
last one back.

A decision ("Jane Doe said it", "the speaker shown is right", "not a quote", or forgetting an
earlier decision) is saved on every piece of a quotation at once (`decide`); `SpeakerUndo`
remembers, per step, what each piece had before, and `undo` restores it: the earlier decision
comes back, or none when there was none. Pieces may belong to different articles (a timeline
lists one person's quotes across the library).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.core import corrections
from tui.core.analysis.result import Quote
from tui.core.annotations import AnchoredArticle
from tui.core.correction_record import SpeakerCorrection
from tui.core.storage.errors import StoreError
from tui.core.storage.store import AnnotationStore

VERDICTS = ("speaker", "confirmed", "not_a_quote")


@dataclass(frozen=True)
class DecisionPiece:
    """One quote a decision was saved on: its article, the quote as shown, the decision it had
    before (None: the analysis' own speaker) and the id of the one saved ("": the step forgot
    `earlier`, so undoing saves it back)."""

    article: AnchoredArticle
    quote: Quote
    earlier: SpeakerCorrection | None
    made_id: str


def decide(
    store: AnnotationStore, article: AnchoredArticle, pieces: Sequence[Quote], verdict: str, name: str | None = None
) -> tuple[list[DecisionPiece], str | None]:
    """Save `verdict` ("speaker" with `name`, "confirmed" or "not_a_quote") on each of `pieces`
    of `article`, in order. Stops at the first piece that cannot be saved: returns what was
    saved and that problem in one sentence (None when all were)."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    made: list[DecisionPiece] = []
    for piece in pieces:
        try:
            earlier = corrections.correction_for_quote(corrections.corrections_for(store, article), piece)
            if verdict == "not_a_quote":
                saved = corrections.mark_not_a_quote(store, article, piece)
            elif verdict == "confirmed":
                saved = corrections.confirm_speaker(store, article, piece)
            else:
                saved = corrections.correct_speaker(store, article, piece, name or "")
        except (ValueError, StoreError) as exc:
            return made, str(exc)
        made.append(DecisionPiece(article, piece, earlier, saved.id))
    return made, None


def forget(store: AnnotationStore, article: AnchoredArticle, quote: Quote) -> DecisionPiece | None:
    """Forget the user's decision on `quote` (the analysis' speaker shows again): the piece to
    remember for undoing, or None when there was no decision. Raises StoreError."""
    found = corrections.correction_for_quote(corrections.corrections_for(store, article), quote)
    if found is None:
        return None
    corrections.remove_correction(store, article, found.id)
    return DecisionPiece(article, quote, found, "")


def _take_back(store: AnnotationStore, piece: DecisionPiece) -> None:
    """Put `piece`'s quote back as it was before its decision (raises ValueError/StoreError)."""
    earlier, article, quote = piece.earlier, piece.article, piece.quote
    if earlier is not None and not piece.made_id:  # a decision forgotten: saved back as it was
        corrections.restore_correction(store, earlier)
    elif earlier is None:
        corrections.remove_correction(store, article, piece.made_id)
    elif earlier.verdict == "confirmed":
        corrections.confirm_speaker(store, article, quote)
    elif earlier.verdict == "speaker":
        corrections.correct_speaker(store, article, quote, earlier.speaker or "")
    else:
        corrections.mark_not_a_quote(store, article, quote)


class SpeakerUndo:
    """The speaker decisions made on one screen, last last, each a list of pieces."""

    def __init__(self) -> None:
        self._steps: list[list[DecisionPiece]] = []

    def __bool__(self) -> bool:
        return bool(self._steps)

    def __len__(self) -> int:
        return len(self._steps)

    def record(self, pieces: Sequence[DecisionPiece]) -> None:
        """Remember one step (nothing when `pieces` is empty)."""
        if pieces:
            self._steps.append(list(pieces))

    def undo(self, store: AnnotationStore) -> Quote | None:
        """Take back the last step on every piece, last piece first; returns its first quote (None
        when there is nothing to undo). When a piece cannot be taken back, raises ValueError or
        StoreError and keeps the pieces not yet taken back as the last step, for another try."""
        if not self._steps:
            return None
        step = self._steps.pop()
        for n, piece in enumerate(reversed(step)):
            try:
                _take_back(store, piece)
            except (ValueError, StoreError):
                self._steps.append(step[: len(step) - n])
                raise
        return step[0].quote
