"""`margin import`: round trips, idempotence, newer wins, and malformed input rejected whole."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core.annotations import Annotation, normalise_tags
from tui.core.articles import MAX_ARTICLE_BYTES
from tui.core.export import export_annotations, export_json_document
from tui.core.importing import ImportFormatError, parse_import
from tui.core.store import AnnotationStore

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
STAMP = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)).map(
    lambda d: d.replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
)


@st.composite
def annotations(draw):
    text = draw(TEXT)
    orphan = draw(st.booleans())
    start = 0 if orphan else draw(st.integers(0, 10**6))
    created = draw(STAMP)
    return Annotation(
        id=draw(st.one_of(st.uuids().map(lambda u: u.hex), st.from_regex(r"[A-Za-z0-9_-]{1,40}", fullmatch=True))),
        article_id=draw(
            st.one_of(
                st.from_regex(r"[0-9a-f]{16}", fullmatch=True), st.text(min_size=1, max_size=30).filter(lambda s: "\x00" not in s)
            )
        ),
        article_title=draw(st.text(max_size=40)),
        article_path=draw(st.one_of(st.just(""), st.from_regex(r"/[a-z/]{1,30}\.txt", fullmatch=True))),
        start=start,
        end=start if orphan else start + len(text),
        text=text,
        tags=normalise_tags(draw(st.lists(st.text(min_size=1, max_size=20), max_size=4))),
        note=draw(st.text(max_size=60)),
        kind=draw(st.sampled_from(["sentence", "quote", "selection"])),
        speaker=draw(st.one_of(st.none(), st.text(max_size=20))),
        prefix=draw(st.text(max_size=32)),
        suffix=draw(st.text(max_size=32)),
        text_hash=draw(st.one_of(st.just(""), st.from_regex(r"[0-9a-f]{64}", fullmatch=True))),
        created=created,
        updated=max(created, draw(STAMP)),
        orphan=orphan,
    )


def unique(items: list[Annotation]) -> list[Annotation]:
    seen = {}
    for a in items:
        seen.setdefault(a.id, a)
    return list(seen.values())


@pytest.mark.parametrize("fmt", ["json", "w3c"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(items=st.lists(annotations(), max_size=8).map(unique))
def test_export_then_import_round_trips(fmt, items):
    with tempfile.TemporaryDirectory() as tmp:
        store = AnnotationStore.open(Path(tmp) / "annotations.json")
        parsed, _ = parse_import(export_annotations(items, fmt).payload.encode("utf-8"))
        assert store.merge(parsed) == (len(items), 0, 0)
        back = {a.id: a for a in store.all()}
        assert back == {a.id: a for a in items}
        # Importing again changes nothing.
        token = store.version()
        assert store.merge(parsed) == (0, 0, len(items))
        assert not store.changed_since(token)


def make(n: int, **kw) -> Annotation:
    text = f"passage {n}"
    return Annotation(
        article_id="a" * 16,
        article_title="T",
        article_path="/a.txt",
        start=n * 20,
        end=n * 20 + len(text),
        text=text,
        created="2024-01-01T00:00:00Z",
        **kw,
    )


def write_export(path: Path, items: list[Annotation]) -> dict:
    doc = export_json_document(items)
    path.write_text(json.dumps(doc))
    return doc


def test_cli_import_is_idempotent_and_newer_wins(tmp_path, capsys):
    db = tmp_path / "db" / "annotations.json"
    store = AnnotationStore.open(db)
    local = store.add(make(1, note="local", updated="2024-06-01T00:00:00Z"))
    older = make(1, note="older", updated="2024-05-01T00:00:00Z")
    older.id = local.id
    newer = make(2, note="new", updated="2024-06-01T00:00:00Z")
    file = tmp_path / "in.json"
    write_export(file, [older, newer])
    assert main(["import", str(file), "--db", str(db)]) == 0
    assert "1 new and 0 updated" in capsys.readouterr().err
    assert store.get(local.id).note == "local"  # the stored copy is newer: kept
    assert main(["import", str(file), "--db", str(db)]) == 0
    assert "0 new and 0 updated" in capsys.readouterr().err
    newest = make(1, note="newest", updated="2025-01-01T00:00:00Z")
    newest.id = local.id
    write_export(file, [newest])
    assert main(["import", str(file), "--db", str(db), "--dry-run"]) == 0
    assert "would import 0 new and 1 updated" in capsys.readouterr().err
    assert store.get(local.id).note == "local"
    assert main(["import", str(file), "--db", str(db)]) == 0
    assert store.get(local.id).note == "newest"


def _doc(records) -> dict:
    return {"format": "margin-annotations", "version": 1, "annotations": records}


def _good(n=1) -> dict:
    return export_json_document([make(n)])["annotations"][0]


def _with(**changes) -> dict:
    record = _good(2)
    for key, value in changes.items():
        if value is ...:
            del record[key]
        else:
            record[key] = value
    return record


MALFORMED = [
    (b"{not json", "is not valid JSON"),
    (b'{"a": \x8e\xc4\x01 junk', "is not valid JSON (lexical error: invalid char in json text)"),  # no dump of the bytes
    (json.dumps({"annotations": []}).encode(), "it has no 'format'"),
    (b"[1, 2]", "annotation 1 at /0"),
    (json.dumps({"format": "something-else"}).encode(), "is not a Margin export"),
    (json.dumps({"format": "margin-annotations", "version": 2, "annotations": []}).encode(), "version 2"),
    (json.dumps({"format": "margin-annotations", "version": 1, "annotations": {}}).encode(), "must be a list"),
    (json.dumps({"hello": "world"}).encode(), "neither a Margin export nor W3C"),
    (json.dumps(_doc([_good(1), "text"])).encode(), "record 2 at /annotations/1: it is a string"),
    (json.dumps(_doc([_good(1), _with(start="3")])).encode(), "record 2 (id '"),
    (json.dumps(_doc([_good(1), _with(start="3")])).encode(), "'start' must be a whole number, not a string"),
    (json.dumps(_doc([_good(1), _with(start=-1)])).encode(), "'start' is out of range"),
    (json.dumps(_doc([_good(1), _with(start=50, end=40)])).encode(), "'start' (50) is after 'end' (40)"),
    (json.dumps(_doc([_good(1), _with(end=10**6)])).encode(), "but 'text' has 9"),
    (json.dumps(_doc([_good(1), _with(tags="claim")])).encode(), "'tags' must be a list"),
    (json.dumps(_doc([_good(1), _with(tags=["x"] * 101)])).encode(), "too many tags"),
    (json.dumps(_doc([_good(1), _with(note="x" * 100_001)])).encode(), "'note' is too long (100,001 characters"),
    (
        json.dumps(_doc([_good(1), _with(text="y" * (MAX_ARTICLE_BYTES + 1), end=40 + MAX_ARTICLE_BYTES + 1)])).encode(),
        "'text' is too long",
    ),
    (json.dumps(_doc([_good(1), _with(updated="yesterday")])).encode(), "'updated' is not an ISO 8601 date-time"),
    (json.dumps(_doc([_good(1), _with(article=...)])).encode(), "'article' is missing"),
    (json.dumps(_doc([_good(1), _with(id="../../x")])).encode(), "'id' may only hold"),
    (json.dumps(_doc([_good(1), _with(kind="poem")])).encode(), "'kind' must be one of"),
    (json.dumps(_doc([_good(1), _with(orphan="yes")])).encode(), "'orphan' must be true or false"),
    (json.dumps(_doc([_good(1), _with(text_hash="xyz")])).encode(), "'text_hash' must be 64"),
]


@pytest.mark.parametrize("data, words", MALFORMED)
def test_malformed_input_is_rejected_naming_the_first_bad_record(data, words):
    with pytest.raises(ImportFormatError) as info:
        parse_import(data, "in.json")
    assert words in str(info.value), str(info.value)
    assert str(info.value).startswith("in.json")


def test_duplicate_ids_are_rejected():
    first = _good(1)
    again = dict(_good(3), id=first["id"])
    with pytest.raises(ImportFormatError, match="record 2 .*the same id as record 1"):
        parse_import(json.dumps(_doc([first, again])).encode(), "in.json")


def test_nothing_is_imported_when_one_record_is_bad(tmp_path, capsys):
    db = tmp_path / "db" / "annotations.json"
    file = tmp_path / "in.json"
    good = [export_json_document([make(n)])["annotations"][0] for n in range(5)]
    file.write_text(json.dumps(_doc(good + [dict(good[0], id="other", start=True)])))
    assert main(["import", str(file), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"margin: error: {file}: record 6 (id 'other') at /annotations/5:") and err.count("\n") == 1
    assert AnnotationStore.open(db).all() == []


def test_missing_file_is_one_line(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.json")]) == 1
    assert capsys.readouterr().err == f"margin: error: {tmp_path / 'nope.json'}: no such file\n"


def test_imports_w3c_from_another_tool(tmp_path):
    """A Hypothesis-style annotation: list target, no position, a markdown comment body."""
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "https://hypothes.is/a/AbCdEf123",
        "created": "2024-03-01T10:00:00.123+01:00",
        "modified": "2024-03-02T10:00:00.000+00:00",
        "body": [
            {"type": "TextualBody", "value": "Is this *right*?", "format": "text/markdown"},
            {"type": "TextualBody", "value": "claim", "purpose": "tagging"},
        ],
        "target": [
            {
                "source": "file:///news/story%201.txt",
                "selector": [{"type": "TextQuoteSelector", "exact": "the bridge", "prefix": "said ", "suffix": " will"}],
            }
        ],
    }
    [a], fmt = parse_import(json.dumps(doc).encode())
    assert fmt == "W3C Web Annotation"
    assert a.text == "the bridge" and a.tags == ["claim"] and a.note == "Is this *right*?"
    assert a.orphan and a.article_path == "/news/story 1.txt"
    assert a.created == "2024-03-01T09:00:00Z" and a.updated == "2024-03-02T10:00:00Z"
    [b], _ = parse_import(json.dumps(doc).encode())
    assert b.id == a.id  # a stable id: importing twice changes nothing
    store = AnnotationStore.open(tmp_path / "annotations.json")
    assert store.merge([a]) == (1, 0, 0) and store.merge([b]) == (0, 0, 1)


def test_imported_orphans_attach_when_their_article_is_opened(tmp_path):
    from tui.core.articles import load_article
    from tui.core.store import annotations_for_article

    story = tmp_path / "story.txt"
    story.write_text("Title\n\nThe mayor said the bridge will open in May.\n", encoding="utf-8")
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "urn:x:1",
        "target": {
            "source": story.resolve().as_uri(),
            "selector": {"type": "TextQuoteSelector", "exact": "the bridge will open"},
        },
    }
    store = AnnotationStore.open(tmp_path / "annotations.json")
    store.merge(parse_import(json.dumps(doc).encode())[0])
    article = load_article(story)
    [a] = annotations_for_article(store, article)
    assert not a.orphan and article.text[a.start : a.end] == "the bridge will open"


def test_a_w3c_quote_selector_is_anchored_at_import_in_the_article_named(tmp_path, capsys):
    story = tmp_path / "story.md"
    story.write_text('---\ntitle: "Harbour Bridge"\n---\nThe mayor said the bridge will open in May.\n', encoding="utf-8")
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "urn:x:1",
        "body": [{"type": "TextualBody", "value": "promise", "purpose": "tagging"}],
        "target": {"source": story.resolve().as_uri(), "selector": {"type": "TextQuoteSelector", "exact": "the bridge"}},
    }
    file = tmp_path / "w3c.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    db = tmp_path / "db" / "annotations.json"
    assert main(["import", str(file), "--db", str(db), "--article", str(story)]) == 0
    capsys.readouterr()
    assert main(["export", "--db", str(db)]) == 0
    [a] = json.loads(capsys.readouterr().out)["annotations"]
    assert not a["orphan"] and a["article"]["title"] == "Harbour Bridge"
    assert a["start"] > 0 and "the bridge" == a["text"]


def test_a_record_changed_here_since_is_reported_kept_not_up_to_date(tmp_path, capsys):
    story = tmp_path / "story.txt"
    story.write_text("Title\n\nThe mayor said the bridge will open in May.\n", encoding="utf-8")
    db = tmp_path / "db" / "annotations.json"
    assert main(["annotate", str(story), "--exact", "the bridge", "--tag", "x", "--db", str(db)]) == 0
    export = tmp_path / "out.json"
    assert main(["export", "--db", str(db), "-o", str(export)]) == 0
    assert main(["annotate", str(story), "--exact", "the bridge", "--note", "newer here", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["import", str(export), "--db", str(db)]) == 0
    assert (
        "0 new and 0 updated" in (err := capsys.readouterr().err) and "1 kept as stored (the same, or changed here since)" in err
    )


def test_re_importing_an_anchored_w3c_record_never_overwrites_a_note_written_since(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("tui.core.anchoring.now_iso", lambda: "2999-01-01T00:00:00Z")  # anchoring is no newer change
    story = tmp_path / "story.md"
    story.write_text('---\ntitle: "Harbour Bridge"\n---\nThe mayor said the bridge will open in May.\n', encoding="utf-8")
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "urn:x:1",
        "modified": "2024-01-01T00:00:00Z",
        "body": [{"type": "TextualBody", "value": "promise", "purpose": "tagging"}],
        "target": {"source": story.resolve().as_uri(), "selector": {"type": "TextQuoteSelector", "exact": "the bridge"}},
    }
    file = tmp_path / "w3c.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    db = tmp_path / "db" / "annotations.json"
    args = ["import", str(file), "--db", str(db), "--article", str(story)]
    assert main(args) == 0
    assert main(["annotate", str(story), "--exact", "the bridge", "--note", "MY NOTE", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(args) == 0
    assert "0 new and 0 updated" in capsys.readouterr().err
    [kept] = AnnotationStore.open(db, explicit=True).all()
    assert kept.note == "MY NOTE"
