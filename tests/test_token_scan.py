"""The column scans of `token_scan` find exactly the tokens a walk over the Doc finds."""

from __future__ import annotations

from tui.core.analysis.entity_names import is_name_token
from tui.core.analysis.token_scan import (
    possible_name_starts,
    token_ends,
    token_starts,
    tokens_with_dep,
    tokens_with_lower,
    tokens_with_pos,
    tokens_with_text,
)

TEXT = (
    "Jane Doe said on Monday that she would run. “We will win,” she told reporters.\n\n"
    "He said nothing. The mayor, who SAID little, spoke to Acme Corp. / AFP photo by JOHN ROE/AFP.\n\n"
    "iPhone sales said otherwise, said McDonald and van der Berg."
)


def test_the_scans_find_what_a_walk_over_the_tokens_finds(any_pipeline):
    nlp, _ = any_pipeline
    doc = nlp(TEXT)
    assert token_starts(doc) == [t.idx for t in doc]
    assert token_ends(doc) == [t.idx + len(t) for t in doc]
    assert token_ends(nlp("")) == [] and token_ends(nlp("“Ça va” 🎉")) == [t.idx + len(t) for t in nlp("“Ça va” 🎉")]
    assert tokens_with_lower(doc, {"said", "told"}) == [t.i for t in doc if t.lower_ in ("said", "told")]
    assert tokens_with_lower(doc, ("he", "she")) == [t.i for t in doc if t.lower_ in ("he", "she")]
    assert tokens_with_text(doc, ("/",)) == [t.i for t in doc if t.text == "/"]
    assert tokens_with_text(doc, {"Doe", "Nobody"}) == [t.i for t in doc if t.text == "Doe"]
    assert tokens_with_lower(doc, ()) == []


def test_the_label_scans_follow_the_parse_and_are_empty_without_one(trained, rules):
    doc = trained[0](TEXT)
    subjects = [t.i for t in doc if t.dep_ in ("nsubj", "nsubjpass")]
    assert subjects and tokens_with_dep(doc, ("nsubj", "nsubjpass")) == subjects
    proper = [t.i for t in doc if t.pos_ == "PROPN"]
    assert proper and tokens_with_pos(doc, ("PROPN",)) == proper
    bare = rules[0](TEXT)
    assert tokens_with_dep(bare, ("nsubj",)) == [] and tokens_with_pos(bare, ("PROPN",)) == []


def test_every_word_that_can_open_a_name_is_a_possible_name_start(any_pipeline):
    nlp, _ = any_pipeline
    doc = nlp(TEXT)
    starts = possible_name_starts(doc)
    assert starts == sorted(set(starts))
    assert {t.i for t in doc if is_name_token(t)} <= set(starts)
    assert all(doc[k].text[0].isupper() or doc[k].pos_ == "PROPN" for k in starts)


def test_doc_text_is_the_docs_text_and_never_a_stale_copy(any_pipeline):
    from tui.core.analysis.token_scan import TEXT_KEY, doc_text

    nlp, _ = any_pipeline
    doc = nlp(TEXT)
    assert doc_text(doc) == doc.text == TEXT
    assert doc.user_data[TEXT_KEY] == TEXT  # kept: the next read joins no tokens
    doc.user_data[TEXT_KEY] = "another document's text"
    assert doc_text(doc) == TEXT
    assert doc_text(nlp("")) == ""
