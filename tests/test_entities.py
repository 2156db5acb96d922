"""Entity clean-up: trimming, photo credits, canonical names, one label per name."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from tui.core.analysis.entity_names import NameMention, link_canonical_names
from tui.core.analysis.pipeline import analyze_text, load_pipeline

SEED = Path(__file__).resolve().parents[1] / "sample_articles" / "000_f8b6809fbedddc50.txt"


def entities(pipeline, text):
    nlp, info = pipeline
    return analyze_text(text, nlp, info).entities


@pytest.fixture(scope="module")
def seed_entities(trained):
    return entities(trained, SEED.read_text(encoding="utf-8"))


def test_offsets_are_exact(trained, seed_entities):
    text = SEED.read_text(encoding="utf-8")
    for e in seed_entities:
        assert text[e.start : e.end] == e.text


def test_short_forms_link_to_full_names(seed_entities):
    canon = {e.text: e.canonical for e in seed_entities}
    assert canon["Biden"] == "Joe Biden"
    assert canon["Pompeo"] == "Mike Pompeo"
    assert canon["Trump"] == "Donald Trump"


def test_one_label_per_name_in_a_document(seed_entities):
    labels = defaultdict(set)
    for e in seed_entities:
        labels[e.canonical].add(e.label)
    assert labels["Joe Biden"] == {"PERSON"}  # the tagger alone calls some "Biden" GPE/ORG
    assert labels["Mike Pompeo"] == {"PERSON"}
    assert all(len(v) == 1 for v in labels.values()), dict(labels)


def test_possessive_is_trimmed(seed_entities):
    texts = [e.text for e in seed_entities]
    assert "Business Insider" in texts
    assert not any(t.endswith(("’s", "'s")) for t in texts)


def test_photo_credit_name_is_not_an_entity(seed_entities):
    assert not any("WEISS" in e.text for e in seed_entities)
    assert not any("Getty" in e.text for e in seed_entities)  # the credit's agency is not news either
    assert any(e.text == "Joe Biden" for e in seed_entities)  # the caption's own names stay


def test_own_photo_credit(trained):
    text = "MARIA LOPEZ/AFP via Getty Images The new bridge over the river opened in Lisbon on Monday."
    found = entities(trained, text)
    assert not any("LOPEZ" in e.text for e in found)
    assert any(e.text == "Lisbon" for e in found)


def test_leading_the_is_trimmed_with_exact_offsets(trained):
    text = "Officials at the State Department met the Federal Reserve on Tuesday."
    found = entities(trained, text)
    orgs = [e for e in found if e.label == "ORG"]
    assert orgs, found
    for e in orgs:
        assert not e.text.lower().startswith("the ")
        assert text[e.start : e.end] == e.text


def test_role_word_trimmed_from_person_and_bare_surname_added(trained):
    text = (
        "Senator Margaret Okonkwo visited the flooded town on Sunday. "
        "Residents thanked Okonkwo for the visit, and Okonkwo promised new funds."
    )
    found = entities(trained, text)
    people = [e for e in found if e.label == "PERSON"]
    assert any(e.text == "Margaret Okonkwo" for e in people), found
    bare = [e for e in people if e.text == "Okonkwo"]
    assert len(bare) == 2
    assert all(e.canonical == "Margaret Okonkwo" for e in bare)


def test_a_bare_surname_links_to_the_most_named_full_name_then_the_first():
    # journalists keep the bare surname for the article's main person and give a relative
    # his full name (PolNeAR tune part: +7 speakers against "the nearest full name")
    mentions = [
        NameMention(0, 10, "Anna Berg", "PERSON"),
        NameMention(20, 30, "Lars Berg", "PERSON"),
        NameMention(40, 44, "Berg", "PERSON", tagged_person=True),
    ]
    assert link_canonical_names(mentions) == ["Anna Berg", "Lars Berg", "Anna Berg"]
    mentions = [
        NameMention(0, 10, "Anna Berg", "PERSON"),
        NameMention(20, 30, "Lars Berg", "PERSON"),
        NameMention(35, 45, "Lars Berg", "PERSON"),
        NameMention(50, 54, "Berg", "PERSON", tagged_person=True),
    ]
    assert link_canonical_names(mentions)[-1] == "Lars Berg"


def test_misspelt_surname_links_to_first_spelling():
    mentions = [
        NameMention(0, 12, "Ivan Kostova", "PERSON"),
        NameMention(30, 42, "Ivan Kostava", "PERSON"),
        NameMention(50, 57, "Kostava", "PERSON", tagged_person=True),
    ]
    assert link_canonical_names(mentions) == ["Ivan Kostova"] * 3


def test_unrelated_single_word_org_is_not_linked():
    mentions = [NameMention(0, 10, "Jane Apple", "PERSON"), NameMention(20, 26, "Google", "ORG")]
    assert link_canonical_names(mentions) == ["Jane Apple", "Google"]


def test_rules_pipeline_has_no_entities():
    nlp, info = load_pipeline("rules")
    assert analyze_text("Angela Merkel met Justin Trudeau in Berlin.", nlp, info).entities == []


def test_entities_live_on_the_doc(trained):
    nlp, _ = trained
    doc = nlp("President Joe Biden spoke in Ohio. Later, Biden flew to Texas.")
    canon = {e.text: e._.margin_canonical for e in doc.ents}
    assert canon.get("Biden") == "Joe Biden"


def test_a_department_word_before_a_title_is_not_an_organisation(trained):
    from tui.core.analysis.pipeline import analyze_text

    nlp, info = trained
    text = (
        "Interior Secretary Dana Voss toured the dam on Monday. "
        "The Interior Department said repairs would start in May, and Voss agreed."
    )
    result = analyze_text(text, nlp, info)
    for entity in result.entities:
        assert not (entity.text == "Interior" and entity.start == 0), entity


def test_a_short_form_is_listed_under_the_full_organisation(trained):
    from tui.core.analysis.pipeline import analyze_text

    nlp, info = trained
    text = (
        "The State Department sent a note on Tuesday. Officials at State said the note "
        "was routine, and the State Department declined to comment further."
    )
    result = analyze_text(text, nlp, info)
    orgs = {e.canonical for e in result.entities if e.label == "ORG"}
    assert "State" not in orgs
    shorts = [e for e in result.entities if e.text == "State"]
    assert all(e.canonical == "State Department" for e in shorts)


def test_the_agency_of_a_photo_credit_is_not_news(trained):
    from tui.core.analysis.pipeline import analyze_text

    nlp, info = trained
    text = "PAULA STERN/AFP via Getty Images Mayor Tom Reed speaks in Dover.\n\nThe council met on Friday."
    result = analyze_text(text, nlp, info)
    assert not [e for e in result.entities if "Getty" in e.text or e.text == "AFP"]
    assert any(e.text == "Tom Reed" for e in result.entities)


def test_a_demonym_before_a_name_is_not_part_of_it(trained):
    nlp, _ = trained
    doc = nlp("The harbour needs a new crane, says Ghanaian Kofi-Ansah Mensimah from Tema.")
    people = [e.text for e in doc.ents if e.label_ == "PERSON"]
    assert people == ["Kofi-Ansah Mensimah"], people


def test_a_full_name_tagged_a_person_stays_a_person_when_its_surname_is_tagged_an_organisation():
    import spacy
    from spacy.tokens import Span

    from tui.core.analysis.entities import vote_labels

    doc = spacy.blank("en")("Donald Wexford spoke . Wexford said . Wexford added . Wexford left . The Wexford Group")
    spans = [
        Span(doc, 0, 2, label="PERSON"),
        Span(doc, 4, 5, label="ORG"),
        Span(doc, 7, 8, label="ORG"),
        Span(doc, 10, 11, label="ORG"),
        Span(doc, 14, 16, label="ORG"),
    ]
    canonical = ["Donald Wexford"] * 4 + ["Wexford Group"]
    assert vote_labels(spans, canonical) == ["PERSON"] * 4 + ["ORG"]


def test_a_title_case_headline_is_no_full_name_for_the_body():
    from tui.core.analysis.entity_names import headline_end

    text = "Wexford Stands Tall On Border Plan.\n\nDonald Wexford spoke on Tuesday. Wexford said he would win."
    end = headline_end(text)
    assert text[:end] == "Wexford Stands Tall On Border Plan."
    mentions = [
        NameMention(0, 19, "Wexford Stands Tall", "PERSON"),
        NameMention(37, 51, "Donald Wexford", "PERSON"),
        NameMention(70, 77, "Wexford", "PERSON", tagged_person=True),
    ]
    assert link_canonical_names(mentions, end)[1:] == ["Donald Wexford", "Donald Wexford"]
    assert link_canonical_names(mentions)[2] == "Wexford Stands Tall"  # what a headline did before
    assert headline_end("A plain sentence that is not a headline at all.\n\nBody.") == 0


def test_a_generation_suffix_after_a_comma_keeps_father_and_son_apart(trained):
    text = (
        "“We stand with him,” Robert Kessler III, founder of the Media Center, tells the paper.\n\n"
        "His father, Robert Kessler, Jr. was a speechwriter.\n\n"
        "“It is a new day,” Kessler said.\n"
    )
    found = entities(trained, text)
    canon = {(e.text, e.start): e.canonical for e in found}
    assert canon[("Robert Kessler III", text.index("Robert Kessler III"))] == "Robert Kessler III"
    assert canon[("Robert Kessler", text.index("Robert Kessler,"))] == "Robert Kessler Jr."  # the father
    assert canon[("Kessler", text.rindex("Kessler"))] == "Robert Kessler III"  # the bare surname: the son, first named
    assert not [e for e in found if e.text.rstrip(".") in ("Jr", "Sr")]  # a suffix is no person of its own


def test_a_surname_the_tagger_called_a_product_is_the_person(trained):
    from spacy.tokens import Span

    from tui.core.analysis.entities import clean_entities

    nlp, _ = trained
    with nlp.select_pipes(disable=["margin_entities", "margin_quotes"]):
        doc = nlp("Rep. Tom Kessel of Ohio spoke on Thursday. Yet the plan is a change, Kessel said.")
    kessel = [t.i for t in doc if t.text == "Kessel"][-1]
    doc.ents = [e for e in doc.ents if not e.start <= kessel < e.end] + [Span(doc, kessel, kessel + 1, label="PRODUCT")]
    clean_entities(doc)
    (last,) = [e for e in doc.ents if e.start == kessel]
    assert (last.label_, last._.margin_canonical) == ("PERSON", "Tom Kessel")


@pytest.mark.parametrize(
    ("words", "tags", "name"),
    [
        (["Ted", "Cruz", "Refuses", "To", "Answer"], ["NNP", "NNP", "VBZ", "TO", "VB"], "Ted Cruz"),
        (["Follow", "Jeff", "Poor"], ["VB", "NNP", "NNP"], "Jeff Poor"),
        (["Hillary", "Releasing"], ["NNP", "VBG"], "Hillary"),
        (["Jeb", "Bush", "-", "spent"], ["NNP", "NNP", "HYPH", "VBD"], "Jeb Bush"),
        (["Will", "Doyle"], ["MD", "NNP"], "Will Doyle"),  # a given name, not a verb
    ],
)
def test_a_name_run_into_the_verbs_of_a_title_case_line_is_cut(words, tags, name):
    import spacy
    from spacy.tokens import Doc, Span

    from tui.core.analysis.entities import trim_entity

    doc = Doc(spacy.blank("en").vocab, words=words, tags=tags)
    trimmed = trim_entity(Span(doc, 0, len(words), label="PERSON"))
    assert trimmed is not None and trimmed.text == name


def test_a_given_name_the_tagger_mislabelled_makes_a_relative_named_in_full():
    import spacy
    from spacy.tokens import Doc, Span

    from tui.core.analysis.entities import add_missed_surnames

    words = ["Donald", "Trump", "praised", "his", "daughter", ",", "and", "Ivanka", "Trump", "spoke", "."]
    doc = Doc(spacy.blank("en").vocab, words=words)
    spans = [Span(doc, 0, 2, label="PERSON"), Span(doc, 7, 8, label="PRODUCT")]
    found, canonical = add_missed_surnames(doc, spans, ["Donald Trump", "Ivanka"])
    assert [(s.text, s.label_, name) for s, name in zip(found, canonical)] == [
        ("Donald Trump", "PERSON", "Donald Trump"),
        ("Ivanka Trump", "PERSON", "Ivanka Trump"),
    ]
    # a title before the surname is no given name: "President Trump" is Donald Trump
    words = ["Donald", "Trump", "spoke", ".", "Later", "President", "Trump", "left", "."]
    doc = Doc(spacy.blank("en").vocab, words=words)
    found, canonical = add_missed_surnames(doc, [Span(doc, 0, 2, label="PERSON")], ["Donald Trump"])
    assert [(s.text, name) for s, name in zip(found, canonical)] == [("Donald Trump", "Donald Trump"), ("Trump", "Donald Trump")]


def test_common_nouns_the_tagger_took_for_an_organisation_are_no_entity(trained):
    from tui.core.analysis.pipeline import analyze_text

    nlp, info = trained
    text = "“I will have a little smile,” said the rookie winger, younger brother of Mats Berg of the Harbour City Kings."
    names = [e.text for e in analyze_text(text, nlp, info).entities]
    assert "the rookie winger" not in names and "rookie winger" not in names


def test_a_tied_vote_over_a_name_goes_to_person():
    import spacy
    from spacy.tokens import Span

    from tui.core.analysis.entities import vote_labels

    doc = spacy.blank("en")("Nino Varga scored. Varga said so. Varga left.")
    spans = [Span(doc, 0, 2, label="GPE"), Span(doc, 4, 5, label="PERSON"), Span(doc, 8, 9, label="PERSON")]
    assert vote_labels(spans, ["Nino Varga"] * 3) == ["PERSON"] * 3


def test_a_name_cut_at_a_hyphen_is_made_whole():
    import spacy
    from spacy.tokens import Span

    from tui.core.analysis.entities import trim_entity

    doc = spacy.blank("en")("Later, SNX-Corvell applied, and Ann Lee-Hart spoke - Doe did not.")
    assert [t.text for t in doc][2:5] == ["SNX", "-", "Corvell"]
    assert trim_entity(Span(doc, 2, 3, label="ORG")).text == "SNX-Corvell"
    assert trim_entity(Span(doc, 4, 5, label="ORG")).text == "SNX-Corvell"
    assert trim_entity(Span(doc, 8, 10, label="PERSON")).text == "Ann Lee-Hart"
    hart = [t.i for t in doc if t.text == "spoke"][0]
    assert trim_entity(Span(doc, hart + 2, hart + 3, label="PERSON")).text == "Doe"  # a spaced dash joins nothing


def test_an_acronym_is_linked_to_the_name_it_shortens(trained):
    from tui.core.analysis.entities import acronyms_of
    from tui.core.analysis.pipeline import analyze_text

    assert "HRFA" in acronyms_of("Harbour, Rivers and Fisheries Agency")
    assert acronyms_of("Agency") == set()
    nlp, info = trained
    text = (
        "The Northern Ferry Workers Union called a strike on Monday.\n\n"
        "NFWU members voted 80 per cent in favour, the NFWU said. The Ministry of Coastal Affairs was silent; "
        "the MCA said nothing."
    )
    analysis = analyze_text(text, nlp, info)
    canonical = {e.text: e.canonical for e in analysis.entities}
    assert canonical["NFWU"] == "Northern Ferry Workers Union"
    assert canonical["MCA"] == "Ministry of Coastal Affairs"


def test_a_title_case_headline_names_only_what_the_body_writes_too(trained):
    runaway = "Jane Doe Wins Ferry Vote In Kelby\n\nJane Doe, who chairs the Kelby harbour board, won the vote on Monday.\n"
    names = [(e.text, e.label) for e in entities(trained, runaway) if e.end <= runaway.index("\n")]
    assert ("Jane Doe", "PERSON") in names  # cut where the body stops writing it, not left out
    assert not any("Wins" in text or "Vote" in text for text, _ in names)
    common = "Harbour Board Names Top Ferry Captain Of The Year\n\nThe harbour board of Kelby named Peter Mole captain.\n"
    assert not [e for e in entities(trained, common) if e.end <= common.index("\n") and e.label in ("PERSON", "ORG")]


def test_an_entity_never_takes_the_line_breaks_after_it(trained):
    text = "Jane Doe Wins Ferry Vote In Kelby\n\nJane Doe, who chairs the Kelby harbour board, won the vote on Monday.\n"
    found = entities(trained, text)
    assert any(e.text == "Kelby" and e.end == text.index("\n") for e in found)
    assert all(e.text == e.text.strip() and e.text == text[e.start : e.end] for e in found)


@pytest.mark.parametrize("dash", [" - ", " — ", "—"])
def test_a_dateline_is_not_part_of_the_name_after_it(trained, dash):
    text = (
        f"CLEVELAND{dash}Tobias Walsh accepted the nomination on Thursday night.\n\n"
        "Walsh spoke for an hour. His daughter Sorrel Walsh introduced him.\n\n"
        "Walsh thanked the delegates.\n"
    )
    found = entities(trained, text)
    first = found[0]
    assert (first.text, first.label, first.canonical) == ("Tobias Walsh", "PERSON", "Tobias Walsh")
    assert all(e.canonical == "Tobias Walsh" for e in found if e.text == "Walsh")
