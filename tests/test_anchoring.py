"""Re-anchoring annotations when their article's text changes."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.anchoring import find_occurrences, locate, reanchor
from tui.core.annotations import Annotation
from tui.core.articles import load_article, text_hash
from tui.core.store import AnnotationStore, annotations_for_article

_rng = random.Random(7)
# Words of random letters: distinct, and unlike each other, so a passage of a few of them
# occurs once and nothing else in the text looks like it.
VOCAB = sorted({"".join(_rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_rng.randint(4, 9))) for _ in range(400)})
FILLER = st.text(alphabet="0123456789 ,.;:!?-()\n'\"", max_size=30)  # inserted text: never looks like words


def annotate(text: str, start: int, end: int, **kw) -> Annotation:
    h = text_hash(text)
    return Annotation(
        article_id=h[:16],
        article_title="t",
        article_path="/a.txt",
        start=start,
        end=end,
        text=text[start:end],
        prefix=text[max(0, start - 32) : start],
        suffix=text[end : end + 32],
        text_hash=h,
        **kw,
    )


@st.composite
def article_and_passage(draw):
    words = draw(st.permutations(VOCAB).map(lambda p: p[: draw(st.integers(8, 60))]))
    text = " ".join(words) + "."
    first = draw(st.integers(0, len(words) - 3))
    last = draw(st.integers(first + 3, min(len(words), first + 12)))
    start = sum(len(w) + 1 for w in words[:first])
    end = start + len(" ".join(words[first:last]))
    return text, start, end


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), base=article_and_passage())
def test_edits_that_do_not_touch_the_passage_reanchor_exactly(data, base):
    text, start, end = base
    annotation = annotate(text, start, end, tags=["claim"])
    passage = text[start:end]
    for _ in range(data.draw(st.integers(1, 6))):
        if data.draw(st.booleans()):  # insert before or after the passage (touching it is allowed)
            at = data.draw(st.one_of(st.integers(0, start), st.integers(end, len(text))))
            insert = data.draw(FILLER)
            text = text[:at] + insert + text[at:]
            if at <= start:
                start, end = start + len(insert), end + len(insert)
        else:  # delete a range before or after the passage
            if data.draw(st.booleans()) and start > 0:
                a = data.draw(st.integers(0, start - 1))
                b = data.draw(st.integers(a + 1, start))
                start, end = start - (b - a), end - (b - a)
            elif end < len(text):
                a = data.draw(st.integers(end, len(text) - 1))
                b = data.draw(st.integers(a + 1, len(text)))
            else:
                continue
            text = text[:a] + text[b:]
    assert text[start:end] == passage
    moved = reanchor(annotation, text)
    assert not moved.orphan
    assert (moved.start, moved.end) == (start, end)
    assert moved.text == passage and moved.tags == ["claim"]
    assert moved.text_hash == text_hash(text) and moved.article_id == text_hash(text)[:16]
    assert moved.prefix == text[max(0, start - 32) : start] and moved.suffix == text[end : end + 32]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), base=article_and_passage())
def test_edits_that_delete_the_passage_orphan_it(data, base):
    text, start, end = base
    annotation = annotate(text, start, end, note="n")
    a = data.draw(st.integers(0, start))
    b = data.draw(st.integers(end, len(text)))
    replacement = data.draw(st.one_of(st.just(""), FILLER))
    new_text = text[:a] + replacement + text[b:]
    if data.draw(st.booleans()):  # and other edits elsewhere
        at = data.draw(st.integers(0, len(new_text)))
        new_text = new_text[:at] + data.draw(FILLER) + new_text[at:]
    orphan = reanchor(annotation, new_text)
    assert orphan.orphan
    assert (orphan.start, orphan.end) == (0, 0)
    assert orphan.text == annotation.text and orphan.note == "n" and orphan.id == annotation.id
    assert orphan.prefix == annotation.prefix and orphan.suffix == annotation.suffix


def test_position_then_exact_then_fuzzy():
    text = "Alpha beta gamma. The minister said the talks would resume next week. Delta epsilon."
    start = text.index("The minister")
    end = text.index("week.") + 5
    a = annotate(text, start, end)
    assert locate(text, a.text, a.prefix, a.suffix, start, end).method == "position"
    shifted = "Breaking: " + text
    assert locate(shifted, a.text, a.prefix, a.suffix, start, end).method == "exact"
    edited = text.replace("would resume", "will resume")
    found = reanchor(a, edited)
    assert not found.orphan and found.text == "The minister said the talks will resume next week."


def test_exact_search_prefers_the_occurrence_with_the_same_context():
    text = "He said no. Then she said: I agree. Later he said no. And the end."
    second = text.rindex("he said no")
    a = annotate(text, second, second + len("he said no"))
    edited = "Intro. " + text.replace("Then she", "Then, she")
    moved = reanchor(a, edited)
    assert moved.start == edited.rindex("he said no")


def test_a_word_changed_inside_a_long_passage_is_found_fuzzily():
    text = load_article_text()
    i = text.index("There will be a smooth transition")
    a = annotate(text, i, i + 68)
    edited = text.replace("smooth transition", "smooth and orderly transition")
    moved = reanchor(a, edited)
    assert not moved.orphan
    assert moved.text.startswith("There will be a smooth and orderly transition")


def test_orphans_come_back_when_the_passage_does():
    text = "One two three. The passage that matters is here. Four five six."
    i = text.index("The passage")
    a = annotate(text, i, i + len("The passage that matters is here."))
    orphan = reanchor(a, "One two three. Four five six.")
    assert orphan.orphan
    back = reanchor(orphan, text + " Seven.")
    assert not back.orphan and back.start == i


def test_find_occurrences_is_loose_about_quotes_dashes_and_spaces():
    text = "He said “we will win” – and  then left."
    [(s, e)] = find_occurrences(text, 'said "we will win" - and then')
    assert text[s:e] == "said “we will win” – and  then"
    assert find_occurrences("a b a b", "a b") == [(0, 3), (4, 7)]
    assert find_occurrences("abc", "zzz") == []


def load_article_text() -> str:
    from helpers import SEED

    return load_article(SEED).text


def test_annotations_for_article_reanchors_and_saves(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(
        "Title line\n\nFirst paragraph here. The mayor said the bridge will open in May. Last words.\n", encoding="utf-8"
    )
    store = AnnotationStore.open(tmp_path / "db" / "annotations.json")
    article = load_article(path)
    i = article.text.index("The mayor")
    kept = Annotation.for_passage(article, i, i + len("The mayor said the bridge will open in May."), tags=["claim"])
    j = article.text.index("Last words.")
    doomed = Annotation.for_passage(article, j, j + len("Last words."), note="ends")
    store.add(kept)
    store.add(doomed)
    path.write_text(
        "Title line\n\nA new first paragraph, longer than before. The mayor said the bridge will open in May.\n", encoding="utf-8"
    )
    edited = load_article(path)
    assert edited.id != article.id
    result = annotations_for_article(store, edited)
    assert [(a.id, a.orphan) for a in result] == [(kept.id, False), (doomed.id, True)]
    assert edited.text[result[0].start : result[0].end] == kept.text
    # Saved with the new article id and hash: the old id has nothing left.
    assert store.for_article(article.id) == []
    assert {a.id for a in store.for_article(edited.id)} == {kept.id, doomed.id}
    assert all(a.text_hash == edited.text_hash for a in store.for_article(edited.id))
    # Asking again changes nothing.
    token = store.version()
    assert [a.id for a in annotations_for_article(store, edited)] == [kept.id, doomed.id]
    assert not store.changed_since(token)
    # An orphan re-attached by hand.
    k = edited.text.index("A new first")
    fixed = result[1].reattached(edited, k, k + 5)
    store.update(fixed)
    assert not store.get(doomed.id).orphan and store.get(doomed.id).text == "A new"


def test_a_moved_file_keeps_its_annotations_under_the_new_path(tmp_path):
    old = tmp_path / "old.txt"
    old.write_text("Headline\n\nSome words here. A passage to keep.\n", encoding="utf-8")
    store = AnnotationStore.open(tmp_path / "db" / "annotations.json")
    article = load_article(old)
    i = article.text.index("A passage")
    store.add(Annotation.for_passage(article, i, i + 17, tags=["x"]))
    copy = tmp_path / "copy.txt"
    copy.write_text(old.read_text(encoding="utf-8"), encoding="utf-8")
    # A copy with the same text shows the annotations, and leaves them under the original path.
    assert [a.article_path for a in annotations_for_article(store, load_article(copy))] == [str(old.resolve())]
    new = tmp_path / "new.txt"
    old.rename(new)
    [a] = annotations_for_article(store, load_article(new))
    assert a.article_path == str(new.resolve()) and not a.orphan
    assert store.get(a.id).article_path == str(new.resolve())
