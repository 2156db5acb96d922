"""What the reader's side panels ask of the reader: they post these and never call into the screen."""

from __future__ import annotations

from textual.message import Message

from tui.core.annotations import Annotation


class JumpTo(Message):
    """Put the article cursor at `offset` (a quote or an annotation chosen in a panel)."""

    def __init__(self, offset: int) -> None:
        super().__init__()
        self.offset = offset


class ToggleLabel(Message):
    """Show or hide the highlights of one entity label."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label


class ShowMentions(Message):
    """Highlight an entity's mentions (as search matches) and go to the first."""

    def __init__(self, name: str, spans: list[tuple[int, int]]) -> None:
        super().__init__()
        self.name = name
        self.spans = spans


class Reattach(Message):
    """Offer to re-attach an orphan annotation to the passage under the cursor."""

    def __init__(self, annotation: Annotation) -> None:
        super().__init__()
        self.annotation = annotation
