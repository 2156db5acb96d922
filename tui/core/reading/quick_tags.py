"""What a quick-tag key (1 … 9) does: which tag it stands for, and whether it tags, untags or
removes the annotation (untagging the last tag of an annotation without a note deletes it, so
that `u` brings it back whole)."""

from __future__ import annotations

from enum import Enum

from tui.core.annotations import Annotation


class QuickTagEffect(Enum):
    """What pressing a quick-tag key does to the annotation it applies to."""

    TAG = "tag"  # add the tag (to the annotation, or a new one)
    UNTAG = "untag"  # remove the tag; other tags or a note remain
    DELETE = "delete"  # the tag was all there was: delete the annotation


def palette_tag(palette: list[str], number: int) -> str | None:
    """The tag of key `number` (1-based) in the palette, None when the palette is shorter."""
    if not 1 <= number <= len(palette):
        return None
    return palette[number - 1]


def quick_tag_effect(annotation: Annotation, tag: str) -> QuickTagEffect:
    """The effect of the key for `tag` on `annotation` (compared case-insensitively)."""
    key = tag.casefold()
    if key not in (t.casefold() for t in annotation.tags):
        return QuickTagEffect.TAG
    remaining = [t for t in annotation.tags if t.casefold() != key]
    return QuickTagEffect.UNTAG if remaining or annotation.note else QuickTagEffect.DELETE
