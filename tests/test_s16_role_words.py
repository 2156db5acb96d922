"""A capitalised role word in front of a surname ("Donor Doe", "AG Doe") is not a given name:
the bare surname links to the person the body names in full."""

from __future__ import annotations

from spacy.tokens import Span

from tui.core.analysis.entities import clean_entities, trim_entity


def _person(doc, words: str) -> Span:
    first = words.split()[0]
    start = next(t.i for t in doc if t.text == first)
    return Span(doc, start, start + len(words.split()), label="PERSON")


def test_a_role_word_before_a_surname_is_trimmed_from_a_person(trained):
    nlp, _ = trained
    doc = nlp.make_doc("Party Donor Kellerman, Former AG Mukerjee and Hunter Vasquez met.")
    assert trim_entity(_person(doc, "Donor Kellerman")).text == "Kellerman"
    assert trim_entity(_person(doc, "AG Mukerjee")).text == "Mukerjee"
    assert trim_entity(_person(doc, "Hunter Vasquez")).text == "Hunter Vasquez"  # a given name that is also a noun stays


def test_the_bare_surname_then_names_the_person_in_full(trained):
    nlp, _ = trained
    text = "Party Donor Kellerman Says It Could be Close.\n\nTop party donor Samuel Kellerman said so. Kellerman left."
    with nlp.select_pipes(disable=["margin_entities", "margin_quotes"]):
        doc = nlp(text)
    doc.ents = [_person(doc, "Donor Kellerman"), _person(doc, "Samuel Kellerman")]
    clean_entities(doc)
    names = {(e.text, e._.margin_canonical) for e in doc.ents if e.label_ == "PERSON"}
    assert ("Kellerman", "Samuel Kellerman") in names
    assert all(canonical != "Donor Kellerman" for _, canonical in names)
