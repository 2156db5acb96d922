"""Quote finder (placeholder until the real engine lands)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from tui.core.analysis.result import Quote


@Language.factory("margin_quotes")
def make_quote_finder(nlp: Language, name: str):
    def finder(doc: Doc) -> Doc:
        return doc

    return finder


def quotes_from_doc(doc: Doc) -> list[Quote]:
    return []
