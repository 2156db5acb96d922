"""Entity clean-up (placeholder until the real component lands)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from tui.core.analysis.result import Entity


@Language.factory("margin_entities")
def make_entity_cleaner(nlp: Language, name: str):
    def cleaner(doc: Doc) -> Doc:
        return doc

    return cleaner


def entities_from_doc(doc: Doc) -> list[Entity]:
    return [Entity(e.start_char, e.end_char, e.label_, e.text, e.text) for e in doc.ents]
