"""Bad input through `margin import` and `margin export`: deeply nested JSON, a passage longer
than 100,000 characters, control characters in text exports. Each test failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.core import importing
from tui.core.annotations import Annotation
from tui.core.store import AnnotationStore

NOTE = "n\u001b]52;c;aGk=\u0007\u0000 and \u009b31m"
TAGS = ["red\x1b[31m", "nul\x00tag"]


def export_document(*records: dict) -> dict:
    """A Margin JSON export holding `records`."""
    return {"format": "margin-annotations", "version": 1, "annotations": list(records)}


def record(text: str = "an invented passage", **over) -> dict:
    """One record of Margin's JSON export (invented)."""
    return {
        "id": "rec1",
        "article": {"id": "0123456789abcdef", "title": "Invented", "path": ""},
        "text": text,
        "start": 0,
        "end": len(text),
        "created": "2024-01-01T00:00:00Z",
        "updated": "2024-01-01T00:00:00Z",
        **over,
    }


# -- 2: nesting deeper than any export is refused before the parser follows it ------------------
@pytest.mark.parametrize(
    "payload",
    [
        "[" * 2000 + "]" * 2000,
        json.dumps(export_document(record(note="x"))).replace('"x"', "[" * 1000 + "]" * 1000),
        '{"format": "margin-annotations", "padding": ' + '{"a": ' * 500 + "1" + "}" * 500 + ', "annotations": []}',
    ],
    ids=["arrays", "inside-a-record", "objects-before-the-records"],
)
def test_deep_nesting_is_refused_with_a_clear_message(tmp_path, capsys, payload):
    deep = tmp_path / "deep.json"
    deep.write_text(payload)
    assert main(["import", str(deep)]) == 1
    err = capsys.readouterr().err
    assert f"more than {importing.MAX_DEPTH} deep" in err and err.count("\n") == 1


def test_the_parser_never_sees_what_is_nested_too_deep(tmp_path, monkeypatch, capsys):
    """The depth is checked on the bytes as they are read: ijson (whose memory grows with the
    square of the depth) is handed nothing past the limit; brackets, quotes and escapes inside
    strings are no nesting."""
    handed: list[int] = []
    read = importing._Reader.read

    def counting(self, size=-1):
        data = read(self, size)
        handed.append(len(data))
        return data

    monkeypatch.setattr(importing._Reader, "read", counting)
    deep = (b"[" + b" " * 100) * 3000 + b"]" * 3000  # small: the code before the fix parsed it all
    with pytest.raises(importing.ImportFormatError, match="deep"):
        importing.parse_import(deep, "deep.json")
    assert sum(handed) < len(deep) // 2
    tricky = '[[[{ "\\" \\\\" ' * 40 + "]]]}} \\\\"
    export = tmp_path / "tricky.json"
    export.write_text(json.dumps(export_document(record(note=tricky, tags=["[[[[" * 30]))))
    assert main(["import", str(export)]) == 0, capsys.readouterr().err
    [stored] = AnnotationStore.open(tmp_path / "data" / "annotations.json", explicit=True).all()
    assert stored.note == tricky


# -- 3: what Margin saves, its import takes back ---------------------------------------------
def test_a_passage_longer_than_100000_characters_round_trips(tmp_path, capsys):
    long_text = ("An invented sentence goes on. " * 4000)[:119_999]
    db = tmp_path / "db.json"
    AnnotationStore.open(db, explicit=True).add(
        Annotation(article_id="f" * 16, article_title="Long", article_path="", start=0, end=len(long_text), text=long_text)
    )
    for fmt in ("json", "w3c"):
        out = tmp_path / f"export-{fmt}.json"
        assert main(["export", "--db", str(db), "--format", fmt, "-o", str(out)]) == 0
        fresh = tmp_path / f"fresh-{fmt}.json"
        assert main(["import", str(out), "--db", str(fresh)]) == 0, capsys.readouterr().err
        [back] = AnnotationStore.open(fresh, explicit=True).all()
        assert back.text == long_text
    from tui.core.articles import MAX_ARTICLE_BYTES  # a passage is at most an article: a cap stays
    from tui.core.import_records import MAX_PASSAGE

    assert MAX_PASSAGE == MAX_ARTICLE_BYTES
    too_long = tmp_path / "too-long.json"
    too_long.write_text(json.dumps(export_document(record(text="x" * (MAX_ARTICLE_BYTES + 1)))))
    with pytest.raises(importing.ImportFormatError, match="too long"):
        importing.read_import(too_long)


# -- 4: controls in markdown and CSV on stdout are shown, not acted on -----------------------
@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A database holding one annotation with control characters in its note and tags."""
    db = tmp_path / "hostile.json"
    AnnotationStore.open(db, explicit=True).add(
        Annotation(
            article_id="e" * 16,
            article_title="Invented",
            article_path="",
            start=0,
            end=14,
            text="a\tpassage here",
            tags=TAGS,
            note=NOTE + "\nsecond line",
        )
    )
    return db


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_text_exports_on_stdout_show_controls_as_placeholders_and_files_keep_them(hostile_db, tmp_path, capsys, fmt):
    assert main(["export", "--db", str(hostile_db), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\x00\x9b")
    assert "␛]52;c;aGk=␇␀" in out and "red␛[31m" in out and "nul␀tag" in out
    assert "a\tpassage" in out and "second line" in out
    if fmt == "csv":
        assert out.count("\r\n") >= 2 and "␍" not in out
    exact = tmp_path / f"out.{fmt}"
    assert main(["export", "--db", str(hostile_db), "--format", fmt, "-o", str(exact)]) == 0
    text = exact.read_text(encoding="utf-8")
    assert "]52;c;aGk=\u0007" in text and "red\x1b[31m" in text  # a file is data: kept exactly


@pytest.mark.parametrize("exact", [""])
def test_a_w3c_quote_selector_with_no_words_is_refused(exact):
    """An empty passage has nothing to show or anchor: it used to become an empty orphan."""
    from tui.core.importing import ImportFormatError, parse_import

    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "urn:x:1",
        "target": {"source": "https://example.invalid/a", "selector": {"type": "TextQuoteSelector", "exact": exact}},
    }
    with pytest.raises(ImportFormatError, match="'text' is empty"):
        parse_import(json.dumps(doc).encode())
