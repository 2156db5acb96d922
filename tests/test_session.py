"""AnnotationSession (tui/core/session.py): the annotations of one running app, without Textual.

Each test drives the session as the app does and checks what it answers or raises; a failing
database is a store whose writes (or reads) raise StoreError, as a full disk or a lock does."""

from __future__ import annotations

import json

import pytest
from helpers import SAMPLES, SEED

from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.session import AnnotationSession, NotSaved, merged_tags
from tui.core.store import AnnotationStore, StoreError


@pytest.fixture
def article():
    return load_article(SEED)


@pytest.fixture
def session(tmp_path):
    return AnnotationSession(AnnotationStore.open(tmp_path / "db.json", explicit=True))


def failing(*_args, **_kwargs):
    raise StoreError("disk full")


def note_on(article, start=0, end=5, **kw) -> Annotation:
    return Annotation.for_passage(article, start, end, **kw)


def test_a_failed_save_is_kept_raised_and_saved_by_a_retry(session, article, monkeypatch):
    annotation = note_on(article, tags=["claim"])
    real_update = session.store.update
    monkeypatch.setattr(session.store, "update", failing)
    with pytest.raises(NotSaved) as raised:
        session.save(annotation)
    assert raised.value.annotation is annotation and "disk full" in str(raised.value)
    assert session.unsaved == {annotation.id: annotation}
    assert session.retry_unsaved() == 1  # still failing: still kept
    assert [a.id for a in session.annotations_for(article).annotations] == [annotation.id]  # shown meanwhile
    monkeypatch.setattr(session.store, "update", real_update)
    assert session.retry_unsaved() == 0
    assert session.unsaved == {} and session.store.get(annotation.id, article.id) is not None


def test_change_merges_tags_as_stored_and_reports_a_note_changed_elsewhere(session, article, tmp_path):
    base = session.save(note_on(article, tags=["claim"], note="mine"))
    other = AnnotationStore.open(tmp_path / "db.json", explicit=True)  # a second Margin
    theirs = other.get(base.id, article.id)
    theirs.tags = ["claim", "Source"]
    other.update(theirs)
    changed, conflict = session.change(base, add_tags=["SOURCE", "check"], remove_tags=["CLAIM"])
    assert conflict is None and changed.tags == ["Source", "check"]  # their tag kept, no duplicate
    assert session.store.get(base.id, article.id).tags == ["Source", "check"]

    theirs = other.get(base.id, article.id)
    theirs.note = "theirs"
    other.update(theirs)
    stored, their_note = session.change(base, note="new", note_before="mine")
    assert their_note == "theirs" and stored.note == "theirs"  # nothing saved: the caller asks
    assert session.store.get(base.id, article.id).note == "theirs"


def test_a_change_that_cannot_be_written_is_applied_and_kept(session, article, monkeypatch):
    base = session.save(note_on(article, tags=["claim"]))
    monkeypatch.setattr(session.store, "transaction", failing)
    with pytest.raises(NotSaved) as raised:
        session.change(base, add_tags=["check"], note="later")
    kept = raised.value.annotation
    assert kept.tags == ["claim", "check"] and kept.note == "later"
    assert session.unsaved[kept.id] is kept


def test_undo_restores_the_last_deleted_of_that_article(session, article):
    other_article = load_article(SAMPLES[1])
    first = session.save(note_on(article, 0, 5))
    second = session.save(note_on(article, 10, 20))
    elsewhere = session.save(note_on(other_article, 0, 5))
    for annotation in (first, second, elsewhere):
        session.delete(annotation)
    assert session.store.for_article(article.id) == []
    assert session.undo_delete(article.id).id == second.id
    assert session.undo_delete(article.id).id == first.id
    assert session.undo_delete(article.id) is None
    assert session.undo_delete().id == elsewhere.id  # any article
    assert {a.id for a in session.store.all()} == {first.id, second.id, elsewhere.id}


def test_a_delete_that_fails_raises_and_is_not_undoable(session, article, monkeypatch):
    annotation = session.save(note_on(article))
    monkeypatch.setattr(session.store, "delete", failing)
    with pytest.raises(StoreError):
        session.delete(annotation)
    assert session.deleted == [] and session.store.get(annotation.id, article.id) is not None


def test_deleting_an_unsaved_annotation_only_forgets_it(session, article, monkeypatch):
    annotation = note_on(article)
    monkeypatch.setattr(session.store, "update", failing)
    with pytest.raises(NotSaved):
        session.save(annotation)
    monkeypatch.setattr(session.store, "delete", failing)  # never asked: it is not in the database
    session.delete(annotation)
    assert session.unsaved == {} and session.deleted == [annotation]


def test_changes_by_another_process_are_reported_once_and_our_own_not(session, article, tmp_path):
    session.start()
    assert not session.changed_elsewhere()
    session.save(note_on(article))
    assert not session.changed_elsewhere()  # our own write
    AnnotationStore.open(tmp_path / "db.json", explicit=True).add(note_on(article, 10, 20))
    assert session.changed_elsewhere()
    assert not session.changed_elsewhere()


def test_re_anchoring_on_reading_is_our_own_write_not_a_change_elsewhere(session, article, tmp_path):
    other = AnnotationStore.open(tmp_path / "db.json", explicit=True)
    stale = note_on(article, 0, 5)
    stale.article_id = "0" * len(article.id)  # saved for an older version of the same file's text
    other.add(stale)
    session.start()
    [moved] = session.annotations_for(article).annotations  # re-anchored and saved with the new id
    assert moved.article_id == article.id and session.store.get(moved.id, article.id) is not None
    assert not session.changed_elsewhere()  # the re-anchoring write was ours: no reload
    other.add(note_on(article, 10, 20))
    assert session.changed_elsewhere()


def test_deleting_and_correcting_a_speaker_are_our_own_writes_too(session, article):
    from tui.core.analysis.result import Quote, Speaker
    from tui.core.corrections import correct_speaker

    session.start()
    annotation = session.save(note_on(article))
    session.delete(annotation)
    start = article.text.index("“")
    speaker = Speaker(0, 0, "Jane Roe", "Jane Roe", "cue subject")
    quote = Quote(start + 1, start + 20, article.text[start + 1 : start + 20], "said", speaker)
    correct_speaker(session.store, article, quote, "John Doe")
    assert not session.changed_elsewhere()


def test_an_unreadable_store_gives_the_annotations_last_read_and_the_problem(session, article, monkeypatch):
    saved = session.save(note_on(article))
    assert session.annotations_for(article).problem is None
    monkeypatch.setattr(session.store, "for_article", failing)
    monkeypatch.setattr(session.store, "for_path", failing)
    reading = session.annotations_for(article)
    assert "disk full" in reading.problem
    assert [a.id for a in reading.annotations] == [saved.id]  # never an empty view


def test_annotations_do_not_move_to_a_file_while_the_library_still_holds_their_text(session, tmp_path):
    original = tmp_path / "a.txt"
    original.write_text("Headline\n\nThe council voted on Tuesday.\n", encoding="utf-8")
    copy = tmp_path / "b.txt"
    copy.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_article(original)
    session.save(note_on(first, 10, 21, tags=["claim"]))
    copy.write_text("Headline\n\nThe council voted on Tuesday, again.\n", encoding="utf-8")
    edited = load_article(copy)

    session.follow_library(lambda: [])
    assert session.library_article_ids() == {}

    class Entry:
        def __init__(self, article, path):
            self.id, self.path = article.id, str(path)

    session.follow_library(lambda: [Entry(first, original), Entry(edited, copy)])
    assert session.library_article_ids() == {first.id: str(original), edited.id: str(copy)}
    # a.txt still holds the text: b.txt's new text does not take its annotation
    assert session.annotations_for(edited).annotations == []
    assert len(session.annotations_for(first).annotations) == 1


def test_recovery_file_holds_every_unsaved_annotation(session, article, monkeypatch, tmp_path):
    monkeypatch.setattr(session.store, "update", failing)
    kept = []
    for start in (0, 10):
        with pytest.raises(NotSaved) as raised:
            session.save(note_on(article, start, start + 5, tags=["claim"], note="typed"))
        kept.append(raised.value.annotation.id)
    (tmp_path / "a-file").write_text("not a folder")
    assert session.write_recovery_file(tmp_path / "a-file") is None  # cannot be written: None, nothing raised
    path = session.write_recovery_file(tmp_path / "out")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(a["id"] for a in data["annotations"]) == sorted(kept)


def test_tag_queries_include_unsaved_annotations_and_raise_when_unreadable(session, article, monkeypatch):
    other = load_article(SAMPLES[1])
    session.save(note_on(article, tags=["Claim"]))
    session.save(note_on(article, 10, 20, tags=["claim", "check"]))
    real_update = session.store.update
    monkeypatch.setattr(session.store, "update", failing)
    for start in (0, 10):
        with pytest.raises(NotSaved):
            session.save(note_on(other, start, start + 5, tags=["check"]))
    monkeypatch.setattr(session.store, "update", real_update)
    assert session.tag_choices() == ["check", "claim"]  # 3 uses (2 unsaved) before 2
    assert session.article_ids_tagged("CHECK") == {article.id, other.id, str(article.path), str(other.path)}
    assert session.annotation_counts()[article.id] == 2
    monkeypatch.setattr(session.store, "all", failing)
    with pytest.raises(StoreError):
        session.tag_choices()
    with pytest.raises(StoreError):
        session.article_ids_tagged("check")


def test_known_tags_are_those_in_use_then_the_palette(session, article):
    session.set_palette(["claim", "verify"])
    session.save(note_on(article, tags=["source"]))
    assert session.known_tags() == ["source", "claim", "verify"]
    assert AnnotationSession(session.store).palette() == ["claim", "verify"]  # saved


def test_the_store_notice_is_given_once(session):
    session.store.notice = "The database was migrated."
    assert session.new_notice() == "The database was migrated."
    assert session.new_notice() is None


def test_reading_position_by_text_then_by_path(session, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    article = load_article(path)
    assert session.reading_position(article) is None
    session.remember_position(article, 120)
    assert session.reading_position(article) == 120
    path.write_text("Short now\n\nOnly this.\n", encoding="utf-8")  # edited: another text, same file
    edited = load_article(path)
    assert edited.id != article.id
    assert session.reading_position(edited) == len(edited.text)  # by its path, within the new text
    assert session.reading_position(load_article(SEED)) == 120  # the same text in another file: by its text


def test_merged_tags_adds_and_removes_in_any_case():
    assert merged_tags(["Claim", "check"], add=["CHECK", "source"], remove=["claim"]) == ["check", "source"]


def test_annotations_on_exact_passages_with_the_unsaved_ones(session, article, monkeypatch):
    other = load_article(SAMPLES[1])
    on_quote = session.save(note_on(article, 10, 20, tags=["claim"]))
    session.save(note_on(article, 10, 21, tags=["near"]))  # not the same passage
    real_update = session.store.update
    monkeypatch.setattr(session.store, "update", failing)
    with pytest.raises(NotSaved) as raised:
        session.save(note_on(other, 0, 5, tags=["typed"]))
    monkeypatch.setattr(session.store, "update", real_update)
    spans = {(article.id, 10, 20), (other.id, 0, 5), (other.id, 30, 40)}
    found = session.annotations_on(spans)
    assert {key: a.id for key, a in found.items()} == {
        (article.id, 10, 20): on_quote.id,
        (other.id, 0, 5): raised.value.annotation.id,
    }


# -- speaker corrections kept in memory (a read-only database) ---------------------------------------
def _read_only_store(db, monkeypatch):
    import errno

    from tui.core.storage import store as store_module

    def read_only(lock):
        raise OSError(errno.EROFS, "Read-only file system")

    writable = store_module._acquire
    monkeypatch.setattr(store_module, "_acquire", read_only)
    store = AnnotationStore.open(db, explicit=True)
    assert store.read_only
    store.writable = lambda: monkeypatch.setattr(store_module, "_acquire", writable)  # the disk is back
    return store


def _seed_quote(article):
    from helpers import SEED_QUOTE

    from tui.core.analysis.result import Quote, Speaker

    i = article.text.index(SEED_QUOTE)
    return Quote(i, i + len(SEED_QUOTE), SEED_QUOTE, "said", Speaker(i - 20, i - 10, "he", "Mike Pompeo", "pronoun", 0.5))


def test_retry_unsaved_also_saves_the_speaker_corrections_kept_in_memory(tmp_path, article, monkeypatch):
    from tui.core.corrections import correct_speaker, corrections_for

    db = tmp_path / "db.json"
    AnnotationStore.open(db, explicit=True).add(note_on(article))  # the database exists
    session = AnnotationSession(_read_only_store(db, monkeypatch))
    correct_speaker(session.store, article, _seed_quote(article), "Jane Doe")
    assert session.unsaved_corrections == 1
    assert session.retry_unsaved() == 0 and session.unsaved_corrections == 1  # still read-only: kept
    session.store.writable()
    assert session.retry_unsaved() == 0 and session.unsaved_corrections == 0
    stored = corrections_for(AnnotationStore.open(db, explicit=True), article)
    assert [(c.verdict, c.speaker) for c in stored] == [("speaker", "Jane Doe")]


def test_unsaved_corrections_go_to_a_recovery_file_and_come_back_at_the_next_start(tmp_path, article, monkeypatch):
    from tui.core.corrections import correct_speaker, corrections_for

    db = tmp_path / "db.json"
    AnnotationStore.open(db, explicit=True).add(note_on(article))
    folder = tmp_path / "data"
    first = AnnotationSession(store := _read_only_store(db, monkeypatch))
    made = correct_speaker(first.store, article, _seed_quote(article), "Jane Doe")
    path = first.write_corrections_recovery_file(folder)
    assert path is not None and path.parent == folder
    assert json.loads(path.read_text())["corrections"][0]["speaker"] == "Jane Doe"

    # The next start, still read-only: back in memory (shown), the file kept.
    second = AnnotationSession(AnnotationStore.open(db, explicit=True))
    assert second.store.read_only
    assert second.recover_corrections(folder) == (1, None)
    assert second.unsaved_corrections == 1 and path.exists()
    assert [c.speaker for c in corrections_for(second.store, article)] == ["Jane Doe"]
    # ...quitting again writes one file holding them, and removes the one they came from
    again = second.write_corrections_recovery_file(folder)
    assert again is not None and sorted(folder.iterdir()) == [again]

    # A start that can write: saved, the file removed.
    store.writable()
    third = AnnotationSession(AnnotationStore.open(db, explicit=True))
    assert third.recover_corrections(folder) == (1, None)
    assert third.unsaved_corrections == 0 and list(folder.iterdir()) == []
    stored = corrections_for(AnnotationStore.open(db, explicit=True), article)
    assert [(c.id, c.speaker) for c in stored] == [(made.id, "Jane Doe")]


def test_a_recovered_correction_never_overwrites_a_newer_one_nor_another_databases(tmp_path, article):
    from dataclasses import replace

    from tui.core.corrections import correct_speaker, corrections_for

    db = tmp_path / "db.json"
    folder = tmp_path / "data"
    session = AnnotationSession(AnnotationStore.open(db, explicit=True))
    made = correct_speaker(session.store, article, _seed_quote(article), "Jane Doe")
    session.store.unsaved_corrections[made.id] = replace(made, speaker="Old Name", updated="2000-01-01T00:00:00Z")
    assert session.write_corrections_recovery_file(folder) is not None
    session.store.unsaved_corrections.clear()
    other = AnnotationSession(AnnotationStore.open(tmp_path / "other.json", explicit=True))
    assert other.recover_corrections(folder) == (0, None)  # another database's file: left alone
    assert len(list(folder.iterdir())) == 1
    assert session.recover_corrections(folder) == (0, None)  # the stored one is newer
    assert [c.speaker for c in corrections_for(session.store, article)] == ["Jane Doe"]
    (folder / "unsaved-speaker-corrections-broken.json").write_text("{not json")
    count, problem = session.recover_corrections(folder)
    assert count == 0 and "cannot be read" in problem


def test_a_change_leaving_no_tag_and_no_note_deletes_the_annotation_undoably(session, article):
    tagged = session.save(note_on(article, 0, 5, tags=["claim"]))
    noted = session.save(note_on(article, 10, 20, note="check this"))
    emptied, theirs = session.change(tagged, remove_tags=["claim"])
    assert theirs is None and emptied.empty
    emptied, _ = session.change(noted, note=" \n", note_before="check this")
    assert emptied.empty
    assert session.store.for_article(article.id) == []
    restored = session.undo_delete(article.id)
    assert (restored.id, restored.note) == (noted.id, "check this")  # as it was before the change
    restored = session.undo_delete(article.id)
    assert (restored.id, restored.tags) == (tagged.id, ["claim"])
    nothing, _ = session.change(note_on(article, 30, 40), note="")  # a new empty one: never stored
    assert nothing.empty and len(session.store.for_article(article.id)) == 2 and session.undo_delete(article.id) is None


def test_undo_onto_a_passage_annotated_again_meanwhile_joins_the_two(session, article):
    first = session.save(note_on(article, 0, 5, tags=["claim"], note="check"))
    session.delete(first)
    again = session.save(note_on(article, 0, 5, tags=["source"]))
    restored = session.undo_delete(article.id)
    assert restored.id == again.id
    [stored] = session.store.for_article(article.id)
    assert (stored.id, stored.tags, stored.note) == (again.id, ["source", "claim"], "check")


def test_emptying_an_annotation_when_the_database_cannot_be_written_keeps_it(session, article, monkeypatch):
    older = session.save(note_on(article, 30, 40, tags=["older"]))
    session.delete(older)
    tagged = session.save(note_on(article, 0, 5, tags=["claim"]))
    monkeypatch.setattr(session.store, "transaction", failing)
    with pytest.raises(StoreError):
        session.change(tagged, remove_tags=["claim"])
    assert session.unsaved == {} and [a.id for a in session.deleted] == [older.id]  # nothing pretends to be deleted
    monkeypatch.undo()
    session.retry_unsaved()
    [stored] = session.store.for_article(article.id)
    assert (stored.id, stored.tags) == (tagged.id, ["claim"])


def test_an_unsaved_annotation_emptied_is_forgotten_and_undoable(session, article, monkeypatch):
    monkeypatch.setattr(session.store, "update", failing)
    with pytest.raises(NotSaved):
        session.save(note_on(article, 0, 5, tags=["claim"]))
    [unsaved] = session.unsaved.values()
    monkeypatch.undo()
    emptied, _ = session.change(unsaved, remove_tags=["claim"])
    assert emptied.empty and session.unsaved == {} and session.store.for_article(article.id) == []
    assert session.undo_delete(article.id).tags == ["claim"]


def test_undo_joins_a_note_unsaved_meanwhile_and_never_drops_either_note(session, article, monkeypatch):
    first = session.save(note_on(article, 0, 5, tags=["claim"], note="ok"))
    session.delete(first)
    again = session.save(note_on(article, 0, 5, tags=["source"]))
    monkeypatch.setattr(session.store, "transaction", failing)
    with pytest.raises(NotSaved):
        session.change(again, note="look at this, typed while the disk was full")
    monkeypatch.undo()
    restored = session.undo_delete(article.id)
    [stored] = session.store.for_article(article.id)
    assert restored.id == stored.id == again.id and session.unsaved == {}
    assert stored.tags == ["source", "claim"]
    assert stored.note == "look at this, typed while the disk was full\n\nok"  # "ok" is in it, not lost as a substring


def test_an_undo_that_cannot_be_written_keeps_one_annotation_for_the_passage(session, article, monkeypatch):
    first = session.save(note_on(article, 0, 5, tags=["claim"], note="ok\n\nsecond paragraph"))
    session.delete(first)
    again = session.save(note_on(article, 0, 5, tags=["source"], note="ok\n\nsecond paragraph"))
    monkeypatch.setattr(session.store, "update", failing)
    with pytest.raises(NotSaved):
        session.undo_delete(article.id)
    monkeypatch.undo()
    assert list(session.unsaved) == [again.id]
    session.retry_unsaved()
    [stored] = session.store.for_article(article.id)
    assert (stored.id, stored.tags) == (again.id, ["source", "claim"])
    assert stored.note == "ok\n\nsecond paragraph"  # a note of several paragraphs already there: not added twice
