"""The reader's state without a screen (tui.core.reading): moves, selection, search, the target of
an action, the annotation under the cursor, quick-tag keys."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui.core.analysis.result import Analysis, Quote, Speaker
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.library import find_hits
from tui.core.passages import Passage
from tui.core.reading import (
    QuickTagEffect,
    Reading,
    attributed_text,
    extend_by_word,
    find_all,
    palette_tag,
    quick_tag_effect,
    snap_to_words,
)

TEXT = (
    "A Title Line\n\n"
    "First para one. First para two.\n\n"
    'The mayor said, "We will rebuild the town." Then she left.\n\n'
    "Third para: the town council met. Council members agreed.\n"
)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "town.txt"
    path.write_text(TEXT, encoding="utf-8")
    return load_article(path)


def analysed(article) -> Reading:
    """A reading with one quote (the mayor's), spoken by 'Mayor Jones'."""
    text = article.text
    start = text.index("We will")
    end = text.index("town.") + len("town.")
    speaker = Speaker(text.index("mayor"), text.index("mayor") + 5, "mayor", "Mayor Jones")
    quote = Quote(start, end, text[start:end], "said", speaker)
    reading = Reading(article)
    reading.set_analysis(Analysis("rules", "0", "t", [], [], [quote]))
    return reading


def unit_text(reading: Reading) -> str:
    return reading.text[slice(*reading.unit)]


def go(reading: Reading, index: int | None) -> None:
    assert index is not None
    reading.place(index)


def go_to(reading: Reading, words: str) -> None:
    reading.place(reading.unit_at(reading.text.index(words)))


def test_starts_past_the_title_and_steps_by_sentence(article):
    reading = Reading(article)
    reading.place(reading.first_body_unit())
    assert unit_text(reading) == "First para one."
    go(reading, reading.step_target(1))
    assert unit_text(reading) == "First para two."
    go(reading, reading.step_target(-1))
    assert unit_text(reading) == "First para one."
    reading.place(reading.step_target(-100))
    assert reading.unit_index == 0  # clamped, not wrapped


def test_paragraph_moves_and_their_ends(article):
    reading = Reading(article)
    go_to(reading, "First para two.")
    go(reading, reading.paragraph_target(1))
    assert unit_text(reading).startswith("The mayor said")
    go(reading, reading.paragraph_target(-1))
    assert unit_text(reading) == "First para one."
    go(reading, reading.edge_target(1))
    assert reading.paragraph_target(1) is None  # in the last paragraph: nowhere further
    go(reading, reading.edge_target(-1))
    assert reading.unit_index == 0 and reading.paragraph_target(-1) is None


def test_quote_moves_and_the_quote_is_the_target(article):
    reading = analysed(article)
    quote = reading.quotes[0]
    reading.place(0)
    go(reading, reading.quote_target(1))
    target = reading.target()
    assert (target.start, target.end, target.kind, target.quote_index) == (quote.start, quote.end, "quote", 0)
    assert reading.quote_target(1) is None  # one quote only
    go(reading, reading.edge_target(1))
    assert reading.quote_target(-1) == reading.unit_at(quote.start)
    assert reading.speaker_of(target) == "Mayor Jones"
    new = reading.new_annotation(target)
    assert (new.start, new.end, new.kind, new.speaker) == (quote.start, quote.end, "quote", "Mayor Jones")


def test_units_follow_the_analysis_and_the_wanted_offset_brings_the_cursor_back(article):
    reading = Reading(article)
    offset = article.text.index("rebuild")
    reading.place(reading.unit_at(offset), wanted=offset)
    assert reading.wanted_offset == offset
    before = len(reading.units)
    quote = analysed(article).quotes[0]
    reading.set_analysis(Analysis("rules", "0", "t", [], [], [quote]))
    assert len(reading.units) > before  # the sentence is cut at the quote
    reading.place(reading.unit_at(reading.wanted_offset), wanted=reading.wanted_offset, moved=False)
    start, end = reading.unit
    assert start <= offset < end and reading.target().kind == "quote"


def test_a_selection_stays_anchored_and_every_move_extends_it(article):
    reading = Reading(article)
    go_to(reading, "First para one.")
    first = reading.unit
    reading.toggle_selection()
    assert reading.selection == first
    go(reading, reading.step_target(1))
    assert reading.selection == (first[0], reading.unit[1])
    go(reading, reading.step_target(-1))
    assert reading.selection == first  # back to the anchor: shrinks again
    assert reading.target() == Passage(*first, "selection")
    reading.place(reading.unit_index + 1, moved=False)  # a redraw, not a move
    assert reading.selection == first
    reading.toggle_selection()  # v again cancels
    assert reading.selection is None and reading.anchor is None


def test_word_extend_and_shrink(article):
    reading = Reading(article)
    go_to(reading, "First para one.")
    start = reading.here
    reading.clear_selection()
    reading.anchor = (start, start + len("First"))
    reading.set_selection(*reading.anchor)
    assert reading.extend_word(1) == (start, start + len("First para"))
    assert reading.extend_word(1) == (start, start + len("First para one."))  # with its full stop
    assert reading.extend_word(-1) == (start, start + len("First para"))
    assert reading.extend_word(-1) == (start, start + len("First"))
    assert reading.extend_word(-1) == (start, start + len("First"))  # never less than a word
    assert extend_by_word("one two", 0, 3, 1) == (0, 7)


def test_w_without_a_selection_selects_the_first_word_of_the_cursor_unit(article):
    reading = Reading(article)
    go_to(reading, "First para one.")
    start, end = reading.unit
    assert reading.extend_word(1) == (start, start + len("First"))
    assert reading.anchor == reading.selection
    assert reading.extend_word(1) == (start, start + len("First para"))


def test_b_without_a_selection_takes_the_unit_less_its_last_word(article):
    reading = Reading(article)
    go_to(reading, "First para one.")
    start, end = reading.unit
    assert reading.extend_word(-1) == (start, start + len("First para"))


def test_a_dragged_range_snaps_to_whole_words(article):
    reading = Reading(article)
    text = reading.text
    inside = text.index("mayor") + 2
    assert reading.select_range(inside, inside + 8) == (text.index("mayor"), text.index("said") + 4)
    assert snap_to_words("abc def", 1, 5) == (0, 7)
    assert reading.anchor == reading.selection


def test_search_uses_the_library_search_and_steps_with_wrap(article):
    reading = Reading(article)
    text = reading.text
    assert find_all(text, "TOWN") == [(s, e) for s, e, *_ in find_hits(text, "TOWN", limit=100)]
    assert len(find_all(text, "town")) == 2 and find_all(text, "") == []
    go_to(reading, "Third para")
    reading.show_search("town")  # typing: highlighted, none current
    assert reading.search.index == -1 and len(reading.search.matches) == 2
    found = reading.submit_search("town")  # Enter: the first match from the cursor on
    assert found == (reading.search.matches[1], False) and reading.search.index == 1
    go_to(reading, "Council members")
    assert reading.submit_search("town") == (reading.search.matches[0], True)  # all before: wraps to the top
    reading.search.index = 1
    span, wrapped = reading.search.step(1)
    assert (span, wrapped) == (reading.search.matches[0], True)
    span, wrapped = reading.search.step(-1)
    assert (span, wrapped) == (reading.search.matches[1], True)
    assert reading.submit_search("nowhere") is None and reading.search.matches == []


def test_escape_in_the_search_box_restores_the_search_before(article):
    reading = Reading(article)
    reading.submit_search("para")
    saved = reading.search.snapshot()
    reading.show_search("council")
    assert reading.search.term == "council"
    reading.search.restore(saved)
    assert reading.search.snapshot() == saved and reading.search.term == "para"
    reading.search.clear()
    assert reading.search.matches == [] and reading.search.step(1) is None


def test_a_library_hit_opens_with_its_match_current(article):
    reading = Reading(article)
    second = reading.text.index("town council")
    assert reading.open_search("town", second + 2) == (second, second + 4)
    assert reading.search.matches[reading.search.index] == (second, second + 4)


def test_annotations_under_the_cursor_and_next_previous(article):
    reading = Reading(article)
    text = reading.text
    outer_start = text.index("First para one.")
    outer = Annotation.for_passage(article, outer_start, outer_start + len("First para one."), tags=["a"])
    inner = Annotation.for_passage(article, outer_start + 6, outer_start + 10, tags=["b"])
    later = Annotation.for_passage(article, text.index("Third"), text.index("Third") + 5, tags=["c"])
    orphan = Annotation.for_passage(article, 0, 5, tags=["gone"])
    orphan.orphan = True
    reading.annotations = [later, inner, outer, orphan]
    assert reading.orphans == [orphan] and orphan not in reading.anchored
    reading.place(reading.unit_at(outer_start))
    assert reading.annotations_at(reading.target()) == [outer, inner]  # the exact match first
    assert reading.annotation_for(reading.target()) is outer
    assert reading.annotation_here() is outer
    assert reading.annotation(orphan.id) is orphan
    go(reading, reading.annotation_target(1))
    assert reading.here == reading.units[reading.unit_at(later.start)][0]
    assert reading.annotation_target(1) is None
    go(reading, reading.annotation_target(-1))
    assert reading.unit_index == reading.unit_at(outer_start)
    assert reading.annotation_target(-1) is None


def test_what_a_quick_tag_key_does(article):
    assert palette_tag(["claim", "source"], 2) == "source"
    assert palette_tag(["claim"], 2) is None and palette_tag(["claim"], 0) is None
    annotation = Annotation.for_passage(article, 0, 5, tags=["Claim"])
    assert quick_tag_effect(annotation, "other") is QuickTagEffect.TAG
    assert quick_tag_effect(annotation, "claim") is QuickTagEffect.DELETE  # the last tag, no note
    annotation.note = "kept"
    assert quick_tag_effect(annotation, "claim") is QuickTagEffect.UNTAG
    annotation.note = ""
    annotation.tags = ["claim", "source"]
    assert quick_tag_effect(annotation, "CLAIM") is QuickTagEffect.UNTAG


def test_the_same_quick_key_again_finds_the_annotation_it_made(article):
    reading = Reading(article)
    go_to(reading, "First para one.")
    reading.select_range(reading.here, reading.here + 5)
    passage, existing = reading.quick_tag_subject()
    assert passage.kind == "selection" and existing is None
    made = reading.new_annotation(passage)
    reading.annotations = [made]
    reading.remember_quick(made.id)
    reading.clear_selection()  # tagging a selection ends it
    passage, existing = reading.quick_tag_subject()
    assert existing is made and (passage.start, passage.end) == (made.start, made.end)
    go(reading, reading.step_target(1))  # moved: the key applies to the new place
    passage, existing = reading.quick_tag_subject()
    assert existing is None and passage.kind == "sentence"


def test_hidden_labels_toggle(article):
    reading = Reading(article)
    reading.toggle_label("PERSON")
    reading.toggle_label("ORG")
    reading.toggle_label("PERSON")
    assert reading.hidden_labels == {"ORG"}


def test_a_passage_as_cited(article):
    reading = analysed(article)
    go(reading, reading.quote_target(1))
    cited = attributed_text(article, reading.target(), "Mayor Jones")
    assert cited.splitlines() == ["“We will rebuild the town.”", "— Mayor Jones, “A Title Line”"]


def test_a_selection_over_two_paragraphs_is_cited_as_two_paragraphs(article):
    text = "Harbour news\n\nThe harbour froze.\nIt was cold.\n\nShips waited.\n"
    start, end = text.index("The harbour"), text.index("waited.") + len("waited.")
    cited = attributed_text(replace(article, text=text), Passage(start, end, "selection"), None)
    assert cited.split("\n\n")[:2] == ["The harbour froze. It was cold.", "Ships waited.\n— “A Title Line”"]


def test_an_article_without_sentences_has_nowhere_to_go(article):
    reading = Reading(replace(article, text="   \n", title_span=None, caption_span=None))
    assert reading.units == [] and reading.place(0) is False
    assert reading.annotation_here() is None and reading.unit == (0, 0)
    reading.toggle_selection()
    assert reading.selection is None and reading.extend_word(1) is None
