"""Export formats, validated: JSON against our schema, W3C against the Web Annotation shape,
JSONL through spaCy, Markdown and CSV read back; files written safely."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from helpers import SAMPLES as ALL_SAMPLES
from helpers import SEED, SEED_QUOTE

from tui.cli import main
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.export import SCHEMA_FILE, W3C_SCHEMA_FILE, export_annotations, export_json_document
from tui.core.output import write_output
from tui.core.passages import rule_sentences
from tui.core.store import AnnotationStore

SAMPLES = ALL_SAMPLES[:6]


def sample_annotations() -> list[Annotation]:
    """Sentences, a quote with a speaker, an orphan, across a few real articles."""
    out = []
    for n, path in enumerate(SAMPLES):
        article = load_article(path)
        for k, (start, end) in enumerate(rule_sentences(article.text)[1:6]):
            out.append(
                Annotation.for_passage(article, start, end, tags=["claim", f"t{k % 2}"], note="check =SUM(A1)" if k == 0 else "")
            )
        if n == 0:
            i = article.text.index(SEED_QUOTE)
            out.append(
                Annotation.for_passage(
                    article,
                    i,
                    i + len(SEED_QUOTE),
                    kind="quote",
                    speaker="Mike Pompeo",
                    tags=["quote"],
                    note="Pompeo denies\nthe result",
                )
            )
            out.append(
                Annotation(
                    article_id=article.id,
                    article_title=article.title,
                    article_path=str(article.path),
                    start=0,
                    end=0,
                    text="a passage since edited away",
                    orphan=True,
                    tags=["lost"],
                    text_hash=article.text_hash,
                )
            )
    return out


@pytest.fixture(scope="module")
def annotations():
    return sample_annotations()


def test_json_validates_against_the_schema(annotations):
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = json.loads(export_annotations(annotations, "json").payload)
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["$schema"] == schema["$id"] and doc["version"] == 1
    assert len(doc["annotations"]) == len(annotations)
    # The schema is not a rubber stamp.
    bad = json.loads(json.dumps(doc))
    bad["annotations"][0]["start"] = "12"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_w3c_has_the_web_annotation_shape(annotations):
    schema = json.loads(W3C_SCHEMA_FILE.read_text())
    doc = json.loads(export_annotations(annotations, "w3c").payload)
    jsonschema.Draft202012Validator(schema).validate(doc)
    items = doc["first"]["items"]
    assert doc["type"] == "AnnotationCollection" and doc["total"] == len(items) == len(annotations)
    by_text = {next(s for s in i["target"]["selector"] if s["type"] == "TextQuoteSelector")["exact"]: i for i in items}
    quote = by_text[SEED_QUOTE]
    assert "http://www.w3.org/ns/anno.jsonld" in quote["@context"]
    assert quote["id"].startswith("urn:uuid:") and quote["type"] == "Annotation"
    assert quote["target"]["source"] == SEED.resolve().as_uri()
    selectors = {s["type"]: s for s in quote["target"]["selector"]}
    position = selectors["TextPositionSelector"]
    assert load_article(SEED).text[position["start"] : position["end"]] == SEED_QUOTE
    assert len(selectors["TextQuoteSelector"]["prefix"]) == 32
    assert {(b["purpose"], b["value"]) for b in quote["body"]} == {
        ("tagging", "quote"),
        ("commenting", "Pompeo denies\nthe result"),
    }
    assert quote["motivation"] == "commenting"
    orphan = by_text["a passage since edited away"]
    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"] and orphan["margin:orphan"]


def test_jsonl_spans_load_into_spacy(annotations):
    import spacy

    nlp = spacy.blank("en")
    result = export_annotations(annotations, "jsonl")
    lines = [json.loads(line) for line in result.payload.splitlines()]
    assert len(lines) == len(SAMPLES)
    total = 0
    for line in lines:
        assert set(line) == {"text", "spans", "meta"}
        doc = nlp.make_doc(line["text"])
        for span in line["spans"]:
            char_span = doc.char_span(span["start"], span["end"], label=span["label"])
            assert char_span is not None, (line["meta"]["title"], span, line["text"][span["start"] : span["end"]])
            assert char_span.label_ == span["label"]
        doc.spans["sc"] = [doc.char_span(s["start"], s["end"], label=s["label"]) for s in line["spans"]]
        total += len(line["spans"])
    # One span per tag; the orphan is left out, and said so.
    assert total == sum(len(a.tags) for a in annotations if not a.orphan)
    # meta names the article as the other formats do: its publisher is its source, not Margin
    from tui.core.articles import load_article

    articles = {str(p): load_article(p) for p in SAMPLES}
    for line in lines:
        article = articles[line["meta"]["path"]]
        assert line["meta"]["source"] == article.source and line["meta"]["date"] == article.date
        assert line["meta"]["exported_by"] == "margin" and line["meta"]["article_id"] == article.id
    assert any("no longer in" in m for m in result.messages)


def test_jsonl_reanchors_edited_articles_and_reports_missing_files(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Headline\n\nThe council voted to close the library on Monday. Residents objected.\n", encoding="utf-8")
    article = load_article(story)
    i = article.text.index("The council")
    a = Annotation.for_passage(article, i, i + len("The council voted to close the library on Monday."), tags=["event"])
    gone = Annotation(
        article_id="f" * 16,
        article_title="Gone",
        article_path=str(tmp_path / "gone.txt"),
        start=0,
        end=4,
        text="Gone",
        tags=["x"],
    )
    story.write_text(
        "Headline\n\nIn a late session, the council met. The council voted to close the library on Monday. Residents objected.\n",
        encoding="utf-8",
    )
    result = export_annotations([a, gone], "jsonl")
    [line] = [json.loads(x) for x in result.payload.splitlines()]
    [span] = line["spans"]
    assert line["text"][span["start"] : span["end"]] == a.text and span["label"] == "event"
    assert result.messages == ["left out 1 annotation(s) of 'Gone': " + f"{tmp_path / 'gone.txt'}: no such file"]


def test_markdown_has_quotes_speakers_tags_and_notes(annotations):
    text = export_annotations(annotations, "markdown").payload
    assert f"> {SEED_QUOTE}" in text or SEED_QUOTE in text
    assert "> — Mike Pompeo" in text
    assert "**Tags:** `quote`" in text
    assert "**Note:** Pompeo denies  \nthe result" in text  # a Markdown hard line break keeps the note's lines
    assert text.count("\n## ") == len(SAMPLES)
    assert "no longer in the article" in text


def test_markdown_keeps_a_note_that_looks_like_markup_as_text(annotations):
    from dataclasses import replace

    odd = replace(annotations[0], note="<b>bold?</b> is <i>not</i> HTML\n# not a heading\n---\n> nor a quote")
    text = export_annotations([odd], "markdown").payload
    note = text[text.index("**Note:**") :].split("\n\n")[0]
    assert "&lt;b>bold?&lt;/b> is &lt;i>not&lt;/i> HTML" in note
    assert "  \n\\# not a heading  \n\\---  \n\\> nor a quote" in note  # still the note's text, not structure


def test_csv_has_the_highlight_importer_columns(annotations):
    text = export_annotations(annotations, "csv").payload
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["Highlight", "Title", "Author", "URL", "Note", "Tags", "Location", "Date"]
    assert len(rows) == len(annotations)
    quote = next(r for r in rows if r["Highlight"] == SEED_QUOTE)
    assert quote["Tags"] == "quote" and quote["URL"] == SEED.resolve().as_uri()
    assert quote["Note"] == "Pompeo denies\nthe result"
    assert int(quote["Location"]) == load_article(SEED).text.index(SEED_QUOTE)
    assert len(quote["Date"]) == 19
    assert any(r["Note"] == "'check =SUM(A1)" for r in rows) is False  # only leading formulas are neutralised
    assert all(not r["Note"].startswith("=") for r in rows)


def test_csv_gives_an_orphan_no_location(annotations):
    from dataclasses import replace

    orphan = replace(annotations[0], orphan=True, start=0, end=0)
    [row] = list(csv.DictReader(io.StringIO(export_annotations([orphan], "csv").payload)))
    assert row["Location"] == "" and row["Highlight"] == orphan.text


class _Details:
    """An article's author and URL, as an article file could give them."""

    def __init__(self, author: str, url: str) -> None:
        self.author, self.url, self.source = author, url, None


class _FakeSource:
    def __init__(self, author: str, url: str) -> None:
        self.article = _Details(author, url)

    def get(self, path, hashes=()):
        return self.article, None


TEXT_COLUMNS = ["Highlight", "Title", "Author", "URL", "Note", "Tags"]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_formulas_in_every_text_column(prefix):
    from tui.core.formats.tabular import export_csv

    value = {column: f'{prefix}HYPERLINK("http://x.invalid/{column}")' for column in TEXT_COLUMNS}
    annotation = Annotation(
        article_id="a" * 16,
        article_title=value["Title"],
        article_path="/articles/a.txt",
        start=0,
        end=len(value["Highlight"]),
        text=value["Highlight"],
        note=value["Note"],
        tags=[value["Tags"]],
    )
    payload = export_csv([annotation], _FakeSource(value["Author"], value["URL"])).payload
    row = next(csv.DictReader(io.StringIO(payload, newline="")))
    for column in TEXT_COLUMNS:
        if column == "Tags" and prefix == "\r":  # a tag with a line break is in double quotes: no formula either
            assert row[column] == '"' + value[column].replace('"', '""') + '"'
            continue
        assert row[column] == "'" + value[column], column
    # Text that only contains a formula character later is left as it is.
    plain = Annotation(
        article_id="a" * 16,
        article_title="A title = fine",
        article_path="/articles/a.txt",
        start=0,
        end=4,
        text="1+1=2",
        note="check =SUM(A1)",
        tags=["x-y"],
    )
    row = next(
        csv.DictReader(io.StringIO(export_csv([plain], _FakeSource("Jane @Doe", "https://x.invalid/=")).payload, newline=""))
    )
    assert [row[c] for c in TEXT_COLUMNS] == [
        "1+1=2",
        "A title = fine",
        "Jane @Doe",
        "https://x.invalid/=",
        "check =SUM(A1)",
        "x-y",
    ]


def test_export_json_document_is_unchanged_api(annotations):
    doc = export_json_document(annotations[:1])
    assert doc["format"] == "margin-annotations" and doc["annotations"][0]["id"] == annotations[0].id


def test_write_output_never_overwrites_without_force(tmp_path):
    target = tmp_path / "out.json"
    write_output(target, "one")
    with pytest.raises(FileExistsError, match="--force"):
        write_output(target, "two")
    assert target.read_text() == "one"
    write_output(target, "three", force=True)
    assert target.read_text() == "three"
    with pytest.raises(FileNotFoundError):
        write_output(tmp_path / "nope" / "x.json", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


@pytest.mark.parametrize("fmt", ["json", "w3c", "jsonl", "markdown", "csv"])
def test_cli_export_every_format(tmp_path, capsys, fmt):
    db = tmp_path / "db" / "annotations.json"
    store = AnnotationStore.open(db)
    for a in sample_annotations():
        store.add(a)
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--db", str(db), "--format", fmt, "-o", str(out), "--tag", "quote"]) == 0
    assert out.exists() and SEED_QUOTE in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", fmt, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == f"margin: error: {out} already exists (use --force to overwrite it)\n"
    assert main(["export", "--db", str(db), "--format", fmt, "-o", str(out), "--force", "--article", str(SEED)]) == 0


def test_cli_export_to_a_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["export", "-o", str(tmp_path / "no" / "such" / "out.json")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("margin: error: the folder") and err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["json", "w3c", "jsonl", "markdown", "csv"])
def test_export_keeps_a_file_name_that_is_not_utf8(tmp_path, capsys, fmt):
    """caf\\xe9.txt: JSON formats give the exact path back (a \\udcNN escape), Markdown shows the bad
    byte as \\xNN (as `margin quotes --format csv`), never as U+FFFD; the file URL is exact."""
    import os

    folder = tmp_path / "arts"
    folder.mkdir()
    path = os.fsdecode(os.path.join(os.fsencode(folder), b"caf\xe9.txt"))
    with open(os.fsencode(path), "w", encoding="utf-8") as handle:
        handle.write("Cafe reopens\n\n\u201cWe kept every chair of the old place,\u201d said Jane Doe, its owner.\n")
    article = load_article(path)
    start = article.text.index("We kept")
    db = tmp_path / "db" / "annotations.json"
    AnnotationStore.open(db).add(Annotation.for_passage(article, start, start + 12, tags=["cafe"]))
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--db", str(db), "--format", fmt, "-o", str(out)]) == 0
    assert main(["export", "--db", str(db), "--format", fmt]) == 0
    stdout = capsys.readouterr().out
    for text in (out.read_text(encoding="utf-8"), stdout):
        assert "\ufffd" not in text
        if fmt == "json":
            assert json.loads(text)["annotations"][0]["article"]["path"] == path
        elif fmt == "w3c":
            item = json.loads(text)["first"]["items"][0]
            assert item["margin:articlePath"] == path and item["target"]["source"].endswith("/caf%E9.txt")
        elif fmt == "jsonl":
            assert json.loads(text)["meta"]["path"] == path
        elif fmt == "markdown":
            assert f"`{folder}/caf\\xe9.txt`" in text
        else:
            assert next(csv.DictReader(io.StringIO(text)))["URL"].endswith("/caf%E9.txt")
