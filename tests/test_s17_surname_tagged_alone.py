"""A full name the tagger took for a place or an organisation ("Nino Vasquez" as GPE) is a
person's when the tagger calls its surname alone a person: the bare surname then links to it,
and a "he" can stand for him."""

from __future__ import annotations

from spacy.tokens import Span

from tui.core.analysis.entities import clean_entities


def _span(doc, words: str, label: str, nth: int = 0) -> Span:
    n = len(words.split())
    starts = [t.i for t in doc if doc[t.i : t.i + n].text == words]
    return Span(doc, starts[nth], starts[nth] + n, label=label)


TEXT = (
    "Nino Vasquez scored twice as the visitors won 4-2 on Saturday.\n\n"
    "Vasquez has four goals since the trade. The coach praised Vasquez after the game."
)


def _cleaned(trained, labels: list[tuple[str, str, int]]):
    nlp, _ = trained
    with nlp.select_pipes(disable=["margin_entities", "margin_quotes"]):
        doc = nlp(TEXT)
    doc.ents = [_span(doc, words, label, nth) for words, label, nth in labels]
    return {(e.text, e.label_, e._.margin_canonical) for e in clean_entities(doc).ents}


def test_a_full_name_taken_for_a_place_is_a_person_when_its_surname_alone_is_one(trained):
    ents = _cleaned(trained, [("Nino Vasquez", "GPE", 0), ("Vasquez", "PERSON", 1), ("Vasquez", "PERSON", 2)])
    assert ("Nino Vasquez", "PERSON", "Nino Vasquez") in ents
    assert ("Vasquez", "PERSON", "Nino Vasquez") in ents  # the bare surname names him in full


def test_not_where_the_surname_alone_is_as_often_something_else(trained):
    ents = _cleaned(trained, [("Nino Vasquez", "GPE", 0), ("Vasquez", "PERSON", 1), ("Vasquez", "GPE", 2)])
    assert not any(text == "Nino Vasquez" and label == "PERSON" for text, label, _ in ents)
