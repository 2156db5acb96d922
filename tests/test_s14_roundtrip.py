"""What Margin exports, Margin imports: every speaker decision survives `margin export` (JSON,
W3C) → `margin import`, annotated quote or not; `margin import` reads `margin corrections
export` back (and says what to use for `--format jsonl`); the CSV's Tags split back exactly and
its Author is never the publisher. Invented texts only; no spaCy (quotes are made by hand)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli import main
from tui.core.analysis.result import Quote, Speaker
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.corrections import all_corrections, confirm_speaker, correct_speaker, mark_not_a_quote
from tui.core.export import SCHEMA_FILE, W3C_SCHEMA_FILE, export_annotations
from tui.core.store import AnnotationStore

# Invented articles (no sample article's sentences).
PIER = (
    "Pier plan splits the island council\n\n"
    "The council of Port Elwin met on Tuesday to discuss the new pier.\n\n"
    '"The pier will open in May," said Dana Whitlock, the council\'s chair. "We have waited long enough."\n\n'
    '"We have heard promises like this every spring," said Tomas Berg, who runs the island shop.\n\n'
    '"The ferry is late again," a passenger told the meeting.\n'
)
GULLS = "Gulls return early\n\nBirdwatchers on the north cape counted the first gulls.\n\n" + (
    '"They are three weeks early this year," said Ines Varga, a volunteer.\n'
)
OPEN, WAITED, PROMISES, FERRY, EARLY = (
    "The pier will open in May,",
    "We have waited long enough.",
    "We have heard promises like this every spring,",
    "The ferry is late again,",
    "They are three weeks early this year,",
)


def quote_of(article, words: str, speaker: str | None = None) -> Quote:
    """A quote of `article` made by hand (as the analysis would find it), said by `speaker`."""
    start = article.text.index(words)
    said = None if speaker is None else Speaker(0, 0, speaker, speaker, "cue subject", 0.9)
    return Quote(start, start + len(words), words, "said", said)


def make_decisions(tmp_path: Path) -> tuple[Path, Path]:
    """(the articles' folder, a database) with four decisions, one on an annotated quote: a
    corrected speaker (annotated), a confirmation on both pieces of a split quote, and "not a
    quote" on an article that has no annotation at all."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "pier.txt").write_text(PIER, encoding="utf-8")
    (folder / "gulls.txt").write_text(GULLS, encoding="utf-8")
    pier, gulls = load_article(folder / "pier.txt"), load_article(folder / "gulls.txt")
    db = tmp_path / "first.json"
    store = AnnotationStore.open(db, explicit=True)
    promises = quote_of(pier, PROMISES, "Tomas Berg")
    correct_speaker(store, pier, promises, "Tom Berg")
    store.add(Annotation.for_passage(pier, promises.start, promises.end, kind="quote", speaker="Tom Berg", tags=["q"]))
    confirm_speaker(store, pier, quote_of(pier, OPEN, "Dana Whitlock"))
    confirm_speaker(store, pier, quote_of(pier, WAITED, "Dana Whitlock"))
    mark_not_a_quote(store, gulls, quote_of(gulls, EARLY, "Ines Varga"))
    return folder, db


def decided(db: Path) -> dict[str, tuple[str, str | None, int, int]]:
    """The database's decisions: quote -> (verdict, speaker, start, end)."""
    store = AnnotationStore.open(db, explicit=True)
    return {c.quote_text: (c.verdict, c.speaker, c.start, c.end) for c in all_corrections(store)}


# -- 1: export → import keeps every speaker decision ---------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_every_speaker_decision_survives_export_and_import_into_a_fresh_database(tmp_path, capsys, fmt):
    folder, db = make_decisions(tmp_path)
    before = decided(db)
    assert len(before) == 4
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--db", str(db), "--format", fmt, "-o", str(out)]) == 0
    assert "wrote 1 annotation(s) and 4 speaker decision(s)" in capsys.readouterr().err

    fresh = tmp_path / "fresh.json"
    assert main(["import", str(out), "--db", str(fresh), "--article", str(folder)]) == 0
    assert "imported 4 speaker decision(s) of yours" in capsys.readouterr().err
    assert decided(fresh) == before

    store = AnnotationStore.open(fresh, explicit=True)
    token = store.version()  # twice: nothing changes
    assert main(["import", str(out), "--db", str(fresh), "--article", str(folder)]) == 0
    assert "imported 0 speaker decision(s) of yours" in capsys.readouterr().err
    assert not store.changed_since(token) and decided(fresh) == before


def test_an_import_never_overrides_a_decision_the_database_made_on_a_quote_without_annotation(tmp_path, capsys):
    folder, db = make_decisions(tmp_path)
    out = tmp_path / "out.json"
    assert main(["export", "--db", str(db), "-o", str(out)]) == 0
    mine = tmp_path / "mine.json"
    pier = load_article(folder / "pier.txt")
    correct_speaker(AnnotationStore.open(mine, explicit=True), pier, quote_of(pier, WAITED, "Dana Whitlock"), "Ann Lee")
    capsys.readouterr()
    assert main(["import", str(out), "--db", str(mine), "--article", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "imported 3 speaker decision(s)" in err and "1 speaker decision(s) kept as stored, not as in the file" in err
    assert decided(mine)[WAITED][:2] == ("speaker", "Ann Lee")


def test_the_exports_carry_the_decisions_and_still_validate(tmp_path, capsys):
    _, db = make_decisions(tmp_path)
    store = AnnotationStore.open(db, explicit=True)
    document = json.loads(export_annotations(store.all(), "json", all_corrections(store)).payload)
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).validate(document)
    carried = {d["text"]: d for d in document["speaker_corrections"]}
    assert set(carried) == {PROMISES, OPEN, WAITED}  # this export's article only (the gulls have no annotation)
    assert (carried[OPEN]["verdict"], carried[OPEN]["speaker"]) == ("confirmed", "Dana Whitlock")
    assert document["annotations"][0]["speaker_source"] == "user"  # the field as before
    w3c = json.loads(export_annotations(store.all(), "w3c", all_corrections(store)).payload)
    jsonschema.Draft202012Validator(json.loads(W3C_SCHEMA_FILE.read_text())).validate(w3c)
    assert {d["text"] for d in w3c["margin:speakerCorrections"]} == set(carried)
    for bad in (document["speaker_corrections"][0], w3c["margin:speakerCorrections"][0]):
        bad["verdict"] = "maybe"  # the schemas say what a decision is
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).validate(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json.loads(W3C_SCHEMA_FILE.read_text())).validate(w3c)
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--article", str(tmp_path / "articles" / "gulls.txt")]) == 0
    only = json.loads(capsys.readouterr().out)  # an article with decisions and no annotation
    assert only["annotations"] == [] and [d["verdict"] for d in only["speaker_corrections"]] == ["not_a_quote"]


def test_an_orphan_decision_survives_the_round_trip_too(tmp_path, capsys):
    folder, db = make_decisions(tmp_path)
    (folder / "gulls.txt").write_text(GULLS.replace(EARLY, "They came back at last,"), encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["export", "--db", str(db), "-o", str(out)]) == 0
    [orphan] = [d for d in json.loads(out.read_text())["speaker_corrections"] if d["orphan"]]
    assert orphan["text"] == EARLY and orphan["start"] == orphan["end"] == 0
    fresh = tmp_path / "fresh.json"
    for _ in range(2):
        assert main(["import", str(out), "--db", str(fresh), "--article", str(folder)]) == 0
    assert len(decided(fresh)) == 4 and decided(fresh)[EARLY][0] == "not_a_quote"


def test_the_training_jsonl_export_is_refused_with_a_word_on_what_imports(tmp_path, capsys):
    folder, db = make_decisions(tmp_path)
    gulls = load_article(folder / "gulls.txt")
    AnnotationStore.open(db, explicit=True).add(Annotation.for_passage(gulls, 0, 5, tags=["g"]))  # two articles: two lines
    out = tmp_path / "out.jsonl"
    assert main(["export", "--db", str(db), "--format", "jsonl", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["import", str(out), "--db", str(tmp_path / "b.json")]) == 1
    err = capsys.readouterr().err
    assert "--format jsonl" in err and "--format json" in err and "trailing garbage" not in err


# -- 2: `margin import` reads `margin corrections export` ----------------------------------------
def test_margin_import_reads_back_what_margin_corrections_export_wrote(tmp_path, capsys):
    folder, db = make_decisions(tmp_path)
    before = decided(db)
    out = tmp_path / "corrections.jsonl"
    assert main(["corrections", "export", "--db", str(db), "-o", str(out)]) == 0
    fresh = tmp_path / "fresh.json"
    capsys.readouterr()
    assert main(["import", str(out), "--db", str(fresh), "--article", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "imported 4 speaker decision(s) of yours" in err and "not valid JSON" not in err
    assert decided(fresh) == before
    store = AnnotationStore.open(fresh, explicit=True)
    token = store.version()
    assert main(["import", str(out), "--db", str(fresh), "--article", str(folder)]) == 0
    assert "imported 0 speaker decision(s) of yours" in capsys.readouterr().err
    assert not store.changed_since(token)


def test_an_older_corrections_export_is_anchored_on_its_quotes_in_the_article_files(tmp_path, capsys):
    folder, db = make_decisions(tmp_path)
    out = tmp_path / "corrections.jsonl"
    assert main(["corrections", "export", "--db", str(db), "-o", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    for line in lines:  # as written before `text_start` and the rest were added to `meta`
        for key in ("text_start", "text_hash", "created", "updated"):
            del line["meta"][key]
    out.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(out), "--db", str(tmp_path / "no-files.json")]) == 0  # no file to find them in
    assert "4 speaker decision(s) not imported" in capsys.readouterr().err
    fresh = tmp_path / "fresh.json"
    assert main(["import", str(out), "--db", str(fresh), "--article", str(folder)]) == 0
    assert "imported 4 speaker decision(s) of yours" in capsys.readouterr().err
    assert {q: d[:2] for q, d in decided(fresh).items()} == {q: d[:2] for q, d in decided(db).items()}


# -- 3: CSV -------------------------------------------------------------------------------------
def _csv_rows(annotations: list[Annotation]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(export_annotations(annotations, "csv").payload, newline="")))


def _tags_of(cell: str) -> list[str]:
    """The tags of a Tags cell, by the documented rule: the cell is one line of CSV, ", " between tags."""
    return next(csv.reader(io.StringIO(cell, newline=""), skipinitialspace=True), [])


def _tagged(tmp_path: Path, *tag_lists: list[str]) -> list[Annotation]:
    path = tmp_path / "pier.txt"
    path.write_text(PIER, encoding="utf-8")
    article = load_article(path)
    return [Annotation.for_passage(article, k, k + 3, tags=tags) for k, tags in enumerate(tag_lists)]


def test_csv_tags_split_back_exactly(tmp_path):
    tag_lists = [["sel", "boycott", "a\\", "b"], ["sel", "boycott", "a, b"], ['say "no"', "x"], ["claim", "needs check"]]
    rows = _csv_rows(_tagged(tmp_path, *tag_lists))
    assert [_tags_of(row["Tags"]) for row in rows] == tag_lists
    assert rows[0]["Tags"] != rows[1]["Tags"]
    assert rows[3]["Tags"] == "claim, needs check"  # plain tags read as before


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12), max_size=5))
def test_any_tags_split_back_from_the_tags_cell(tags):
    from tui.core.formats.tabular import split_tags_cell, tags_cell

    assert split_tags_cell(tags_cell(tags)) == tags


def test_csv_author_is_the_author_never_the_publisher(tmp_path):
    front = "---\ntitle: Pier plan\nsource: Wikinews\nurl: https://news.example/pier\n---\n"
    (tmp_path / "a.md").write_text(front + "The council met.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(front.replace("source:", "author: Jo Reyes\nsource:") + "The council met.\n", encoding="utf-8")
    rows = _csv_rows([Annotation.for_passage(load_article(tmp_path / n), 0, 3, tags=["t"]) for n in ("a.md", "b.md")])
    assert sorted(row["Author"] for row in rows) == ["", "Jo Reyes"]


@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_decisions_written_after_the_annotations_are_imported_and_bad_ones_refused(tmp_path, capsys, fmt):
    """A file whose decisions come after its records (another tool re-wrote it, keys in another
    order) loses none of them; decisions that are not a list, or not decisions, are refused
    before anything is saved, never skipped in silence."""
    folder, db = make_decisions(tmp_path)
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--db", str(db), "--format", fmt, "-o", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    key = "speaker_corrections" if fmt == "json" else "margin:speakerCorrections"
    decisions = document.pop(key)
    out.write_text(json.dumps({**document, key: decisions}), encoding="utf-8")  # now after the records
    fresh = tmp_path / "fresh.json"
    capsys.readouterr()
    assert main(["import", str(out), "--db", str(fresh), "--article", str(folder)]) == 0
    assert "imported 4 speaker decision(s) of yours" in capsys.readouterr().err
    assert decided(fresh) == decided(db)

    for bad, says in ((5, "must be a list"), ([{"id": "x"}], "'article' is missing")):
        out.write_text(json.dumps({**document, key: bad}), encoding="utf-8")
        empty = tmp_path / f"empty-{says[:4]}.json"
        assert main(["import", str(out), "--db", str(empty), "--article", str(folder)]) == 1
        assert says in capsys.readouterr().err
        assert decided(empty) == {}  # all or nothing: not even the annotation
        assert not list(AnnotationStore.open(empty, explicit=True).all())
