"""Speaker corrections: a record of their own kind in the store that wins over the analysis and
survives re-analysis, edits of the article, restarts and two processes; exported with
`speaker_source` and as training JSONL."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import orjson
import pytest
from helpers import SEED, SEED_QUOTE

from tui.cli import main
from tui.core.analysis.result import Analysis, Quote, Speaker
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.corrections import (
    USER_CORRECTED,
    all_corrections,
    apply_corrections,
    confirm_speaker,
    correct_speaker,
    corrected_analysis,
    correction_stats,
    corrections_for,
    mark_not_a_quote,
    quotation_pieces,
    remove_correction,
    retry_unsaved_corrections,
    speaker_source,
    stats_line,
)
from tui.core.export import SCHEMA_FILE, export_annotations
from tui.core.storage import store as store_module
from tui.core.store import AnnotationStore, StoreError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "seed.txt"
    shutil.copy(SEED, path)
    return path


@pytest.fixture(scope="module")
def seed_analysis(tmp_path_factory):
    from tui.core.analysis.service import Analyzer

    return Analyzer(cache=tmp_path_factory.mktemp("cache")).analyze(load_article(SEED).text)


def quote_at(analysis: Analysis, text: str) -> Quote:
    return next(q for q in analysis.quotes if q.text.startswith(text[:40]))


def model_quote(article, words: str, speaker: str = "Mike Pompeo") -> Quote:
    """A quote of `article` as the analysis would give it (for tests that need no spaCy)."""
    i = article.text.index(words)
    return Quote(i, i + len(words), words, "said", Speaker(i - 20, i - 10, "he", speaker, "pronoun → name", 0.5))


def test_a_correction_wins_over_the_analysis_and_says_so(tmp_path, article_file, seed_analysis):
    store = AnnotationStore.open(tmp_path / "db.json")
    article = load_article(article_file)
    quote = quote_at(seed_analysis, SEED_QUOTE)
    assert speaker_source(quote) == "model"
    other = seed_analysis.quotes[0]
    correction = correct_speaker(store, article, quote, "  Jane   Doe ")
    assert (correction.verdict, correction.speaker, correction.model_speaker) == ("speaker", "Jane Doe", "Mike Pompeo")
    shown = apply_corrections(seed_analysis, corrections_for(store, article))
    fixed = next(q for q in shown.quotes if (q.start, q.end) == (quote.start, quote.end))
    assert fixed.speaker.canonical == "Jane Doe" and fixed.speaker.method == USER_CORRECTED
    assert speaker_source(fixed) == "user"
    assert [speaker_source(q) for q in shown.quotes].count("user") == 1
    assert next(q for q in shown.quotes if q.start == other.start) == other  # the others untouched
    # Deciding again on the same quote replaces the decision (one record per quote).
    confirm_speaker(store, article, other)
    mark_not_a_quote(store, article, quote)
    corrections = corrections_for(store, article)
    assert sorted(c.verdict for c in corrections) == ["confirmed", "not_a_quote"]
    assert correction.id in {c.id for c in corrections}
    shown = apply_corrections(seed_analysis, corrections)
    assert (quote.start, quote.end) not in {(q.start, q.end) for q in shown.quotes}
    assert len(shown.quotes) == len(seed_analysis.quotes) - 1
    assert speaker_source(next(q for q in shown.quotes if q.start == other.start)) == "user"
    assert correction_stats(corrections) == (1, 2)
    remove_correction(store, article, correction.id)
    assert [c.verdict for c in corrections_for(store, article)] == ["confirmed"]
    # Corrections are not annotations.
    assert store.for_article(article.id) == [] and len(store) == 0


def test_names_are_checked(tmp_path, article_file):
    store = AnnotationStore.open(tmp_path / "db.json")
    article = load_article(article_file)
    quote = model_quote(article, SEED_QUOTE)
    for bad in ("", "   ", "x" * 501):
        with pytest.raises(ValueError):
            correct_speaker(store, article, quote, bad)
    no_speaker = Quote(quote.start, quote.end, quote.text, None, None, speaker_unknown_reason="no cue")
    with pytest.raises(ValueError, match="no speaker"):
        confirm_speaker(store, article, no_speaker)
    assert corrections_for(store, article) == []


def test_corrected_analysis_is_what_the_reader_shows(tmp_path, article_file, seed_analysis):
    store = AnnotationStore.open(tmp_path / "db.json")
    article = load_article(article_file)
    assert corrected_analysis(store, article, seed_analysis) == seed_analysis
    mark_not_a_quote(store, article, quote_at(seed_analysis, SEED_QUOTE))
    shown = corrected_analysis(store, article, seed_analysis)
    assert len(shown.quotes) == len(seed_analysis.quotes) - 1
    assert stats_line(corrections_for(store, article)) == "speaker right in 0 of your 1 corrected or confirmed quote"
    assert stats_line([]) == "no corrected or confirmed quotes yet"


def test_stats_count_the_model_right_when_the_user_agrees():
    from tui.core.correction_record import SpeakerCorrection

    def make(verdict, speaker, model):
        return SpeakerCorrection("i", "a", 0, 1, "q", verdict, speaker, model, "t", "t")

    corrections = [
        make("confirmed", "A", "A"),
        make("speaker", "jane  doe", "Jane Doe"),
        make("speaker", "B", "A"),
        make("not_a_quote", None, "A"),
        make("speaker", "C", None),
    ]
    assert correction_stats(corrections) == (2, 5)


def test_corrections_survive_reanalysis(tmp_path, article_file, seed_analysis, monkeypatch):
    from tui.core.analysis import service
    from tui.core.analysis.service import Analyzer

    store = AnnotationStore.open(tmp_path / "db.json")
    article = load_article(article_file)
    analyzer = Analyzer(cache=tmp_path / "cache")
    first = analyzer.analyze(article.text)
    correct_speaker(store, article, quote_at(first, SEED_QUOTE), "Jane Doe")
    monkeypatch.setattr(service, "ANALYZER_VERSION", "corrections-test")  # a new analyzer: the cache is cold
    assert analyzer.cached(article.text) is None
    again = analyzer.analyze(article.text)
    assert analyzer.cached(article.text) is not None
    shown = apply_corrections(again, corrections_for(AnnotationStore.open(tmp_path / "db.json"), article))
    assert quote_at(shown, SEED_QUOTE).speaker.canonical == "Jane Doe"
    # A re-analysis that shifts the quote's edges a little still gets the correction.
    moved = [
        Quote(q.start + 1, q.end, q.text[1:], q.cue, q.speaker) if q.text.startswith(SEED_QUOTE[:20]) else q for q in again.quotes
    ]
    shifted = apply_corrections(Analysis(again.model, again.model_version, "8", quotes=moved), corrections_for(store, article))
    assert quote_at(shifted, SEED_QUOTE[1:]).speaker.canonical == "Jane Doe"
    # A re-analysis that no longer finds the quote: the user's quote comes back.
    gone = Analysis(again.model, again.model_version, "8", quotes=[q for q in again.quotes if SEED_QUOTE[:20] not in q.text])
    back = apply_corrections(gone, corrections_for(store, article))
    assert quote_at(back, SEED_QUOTE).speaker.canonical == "Jane Doe"
    assert speaker_source(quote_at(back, SEED_QUOTE)) == "user"


def test_corrections_follow_the_quote_when_the_article_is_edited(tmp_path, article_file):
    db = tmp_path / "db.json"
    store = AnnotationStore.open(db)
    article = load_article(article_file)
    kept = correct_speaker(store, article, model_quote(article, SEED_QUOTE), "Jane Doe")
    doomed_text = article.text[article.text.index("The world is watching") :].split("”")[0]
    doomed = mark_not_a_quote(store, article, model_quote(article, doomed_text))
    # Insert a paragraph at the top and delete the second quote.
    text = article_file.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines.insert(2, "An editor's note added later, long enough to move every offset.\n")
    article_file.write_text("\n".join(lines).replace(doomed_text, "(removed)"), encoding="utf-8")
    edited = load_article(article_file)
    assert edited.id != article.id
    corrections = corrections_for(AnnotationStore.open(db), edited)  # a restart, too
    by_id = {c.id: c for c in corrections}
    moved = by_id[kept.id]
    assert edited.text[moved.start : moved.end] == SEED_QUOTE and moved.start > kept.start
    assert moved.article_id == edited.id and not moved.orphan
    assert by_id[doomed.id].orphan and by_id[doomed.id].quote_text == doomed_text  # kept, never dropped
    # Stored under the new text's id, gone from the old one's file.
    again = AnnotationStore.open(db)
    assert {r["id"] for r in again.correction_records(edited.id)} == {kept.id, doomed.id}
    assert again.correction_records(article.id) == []
    # The orphan is not applied; the moved one is.
    analysis = Analysis("m", "1", "7", quotes=[model_quote(edited, SEED_QUOTE)])
    assert apply_corrections(analysis, corrections).quotes[0].speaker.canonical == "Jane Doe"


def test_corrections_survive_a_restart_and_damaged_records_are_skipped_and_kept(tmp_path, article_file):
    db = tmp_path / "db.json"
    article = load_article(article_file)
    made = correct_speaker(AnnotationStore.open(db), article, model_quote(article, SEED_QUOTE), "Jane Doe")
    shard = db.parent / "db.json.d" / f"{article.id}.json"
    data = orjson.loads(shard.read_bytes())
    data["corrections"]["99"] = {"id": "bad", "article_id": article.id, "verdict": "maybe"}
    shard.write_bytes(orjson.dumps(data))
    store = AnnotationStore.open(db)
    assert [c.id for c in corrections_for(store, article)] == [made.id]
    assert "damaged speaker correction" in store.notice
    # Another save keeps the damaged record in the file, untouched.
    correct_speaker(store, article, model_quote(article, SEED_QUOTE), "John Roe")
    assert orjson.loads(shard.read_bytes())["corrections"]["99"]["verdict"] == "maybe"
    assert [c.speaker for c in all_corrections(AnnotationStore.open(db))] == ["John Roe"]


def test_annotation_writes_keep_the_corrections_of_the_same_article(tmp_path, article_file):
    db = tmp_path / "db.json"
    store = AnnotationStore.open(db)
    article = load_article(article_file)
    correct_speaker(store, article, model_quote(article, SEED_QUOTE), "Jane Doe")
    i = article.text.index(SEED_QUOTE)
    annotation = store.add(Annotation.for_passage(article, i, i + 10, tags=["x"]))
    store.delete(annotation.id)
    assert [c.speaker for c in corrections_for(AnnotationStore.open(db), article)] == ["Jane Doe"]
    remove_correction(store, article, corrections_for(store, article)[0].id)
    assert not (db.parent / "db.json.d" / f"{article.id}.json").exists()  # nothing left: the file goes


def test_a_read_only_database_keeps_corrections_in_memory(tmp_path, article_file, monkeypatch):
    db = tmp_path / "db.json"
    article = load_article(article_file)
    confirm_speaker(AnnotationStore.open(db), article, model_quote(article, "The world is watching"))

    def read_only(lock):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(store_module, "_acquire", read_only)
    store = AnnotationStore.open(db)
    assert store.read_only
    made = correct_speaker(store, article, model_quote(article, SEED_QUOTE), "Jane Doe")
    assert "kept in memory" in store.notice
    assert sorted(c.verdict for c in corrections_for(store, article)) == ["confirmed", "speaker"]
    assert len(all_corrections(store)) == 2
    assert retry_unsaved_corrections(store) == 1  # still read-only
    saved = next(c for c in corrections_for(store, article) if c.verdict == "confirmed")
    with pytest.raises(StoreError, match="read-only"):
        remove_correction(store, article, saved.id)
    monkeypatch.undo()
    assert retry_unsaved_corrections(store) == 0
    assert made.id in {c.id for c in corrections_for(AnnotationStore.open(db), article)}


WRITER = textwrap.dedent("""
    import re
    import sys
    sys.path.insert(0, sys.argv[3])
    from tui.core.analysis.result import Quote
    from tui.core.annotations import Annotation
    from tui.core.articles import load_article
    from tui.core.corrections import correct_speaker
    from tui.core.store import AnnotationStore

    store = AnnotationStore.open(sys.argv[1], explicit=True)
    article = load_article(sys.argv[2])
    words = [m.span() for m in re.finditer(r"\\S+", article.text)]
    prefix = sys.argv[4]
    for i in range(60):
        start, end = words[i + 5]
        if prefix == "c":
            correct_speaker(store, article, Quote(start, end, article.text[start:end], None, None), f"Speaker {i}")
        else:
            store.add(Annotation.for_passage(article, start, end, tags=[f"t{i}"], id=f"{prefix}{i}"))
        print(i, flush=True)
""")


def test_two_processes_writing_corrections_and_annotations_lose_nothing(tmp_path, article_file):
    db = tmp_path / "db.json"
    AnnotationStore.open(db)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(article_file), str(REPO), prefix],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for prefix in ("c", "a")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert len(out.split()) == 60
    store = AnnotationStore.open(db)
    article = load_article(article_file)
    speakers = {c.speaker for c in corrections_for(store, article)}
    assert speakers == {f"Speaker {i}" for i in range(60)}
    assert len(store.for_article(article.id)) == 60


def test_export_carries_speaker_source(tmp_path, article_file, capsys):
    db = tmp_path / "db.json"
    store = AnnotationStore.open(db)
    article = load_article(article_file)
    corrected = model_quote(article, SEED_QUOTE)
    plain = model_quote(article, "The world is watching")
    correct_speaker(store, article, corrected, "Jane Doe")
    for q in (corrected, plain):
        store.add(Annotation.for_passage(article, q.start, q.end, kind="quote", speaker="Mike Pompeo", tags=["q"]))
    store.add(Annotation.for_passage(article, 0, 5, tags=["s"]))
    capsys.readouterr()
    assert main(["export", "--db", str(db)]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).validate(doc)
    got = {a["text"][:20]: (a["speaker"], a["speaker_source"]) for a in doc["annotations"]}
    assert got[SEED_QUOTE[:20]] == ("Jane Doe", "user")
    assert got["The world is watchin"] == ("Mike Pompeo", "model")
    assert got[article.text[:5]] == (None, None)
    annotations = store.all()
    corrections = all_corrections(store)
    w3c = json.loads(export_annotations(annotations, "w3c", corrections).payload)
    sources = {i["target"]["selector"][0]["exact"][:20]: i["margin:speakerSource"] for i in w3c["first"]["items"]}
    assert sources[SEED_QUOTE[:20]] == "user" and sources["The world is watchin"] == "model"
    markdown = export_annotations(annotations, "markdown", corrections).payload
    assert "— Jane Doe (speaker checked by you)" in markdown and "— Mike Pompeo\n" in markdown
    # Exported JSON imports back.
    out = tmp_path / "out.json"
    out.write_text(export_annotations(annotations, "json", corrections).payload, encoding="utf-8")
    assert main(["import", str(out), "--db", str(tmp_path / "other.json")]) == 0


def test_corrections_export_jsonl_for_training(tmp_path, article_file, capsys):
    spacy = pytest.importorskip("spacy")
    db = tmp_path / "db.json"
    store = AnnotationStore.open(db)
    article = load_article(article_file)
    correct_speaker(store, article, model_quote(article, SEED_QUOTE), "Mike Pompeo")
    mark_not_a_quote(store, article, model_quote(article, "The world is watching"))
    confirm_speaker(store, article, model_quote(article, "When the process is complete"))
    out = tmp_path / "train.jsonl"
    capsys.readouterr()
    assert main(["corrections", "export", "-o", str(out), "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert "wrote 3 checked quote(s)" in err and "(speaker right in 2 of your 3 corrected or confirmed quotes)" in err
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["answer"] for line in lines] == ["accept", "reject", "accept"]
    nlp = spacy.blank("en")
    quotes = []
    for line in lines:
        doc = nlp.make_doc(line["text"])
        labels = {}
        for span in line["spans"]:
            assert doc.char_span(span["start"], span["end"]) is not None
            labels[span["label"]] = line["text"][span["start"] : span["end"]]
        if line["answer"] == "accept":
            assert "Pompeo" in labels["SPEAKER"]
            assert line["meta"]["speaker"] == "Mike Pompeo"
        else:
            assert "SPEAKER" not in labels and line["meta"]["speaker"] is None
        quotes.append(labels["QUOTE"])
    assert quotes[0] == SEED_QUOTE and quotes[1].startswith("The world is watching")
    assert quotes[2].startswith("When the process is complete")
    assert [line["meta"]["verdict"] for line in lines] == ["speaker", "not_a_quote", "confirmed"]
    # Refuses to overwrite; an edited article is re-anchored; a missing one is reported.
    assert main(["corrections", "export", "-o", str(out), "--db", str(db)]) == 1
    article_file.write_text("A new first line.\n\n" + article_file.read_text(encoding="utf-8"), encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db), "corrections", "export"]) == 0
    again = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["text"] for line in again] == [line["text"] for line in lines]
    article_file.unlink()
    assert main(["corrections", "export", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "left out 3 correction(s)" in captured.err


def test_the_pieces_of_one_quotation_are_the_split_quote_chain():
    def piece(start: int, method: str | None) -> Quote:
        speaker = Speaker(0, 3, "Roe", "Jane Roe", method) if method else None
        return Quote(start, start + 5, "words", "said", speaker)

    # “…,” Roe said. “…” “…” | a new quotation, its split piece | one with no speaker
    quotes = [
        piece(0, "cue subject"),
        piece(10, "split quote"),
        piece(20, "split quote"),
        piece(30, "previous cue"),
        piece(40, "split quote"),
        piece(50, None),
    ]
    assert [q.start for q in quotation_pieces(quotes, quotes[1])] == [0, 10, 20]
    assert [q.start for q in quotation_pieces(quotes, quotes[0])] == [0, 10, 20]
    assert [q.start for q in quotation_pieces(quotes, quotes[3])] == [30, 40]
    assert [q.start for q in quotation_pieces(quotes, quotes[5])] == [50]
    elsewhere = piece(99, "cue subject")
    assert quotation_pieces(quotes, elsewhere) == [elsewhere]
