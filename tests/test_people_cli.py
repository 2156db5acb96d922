"""`margin speakers` and `margin quotes` (fake analyses: independent of the attribution rules),
and one run with the rules-only pipeline end to end."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.test_people_ui import ARTICLES, FakeAnalyzer
from tui.cli import main


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, (title, date, source, body) in ARTICLES.items():
        (folder / name).write_text(f"---\ntitle: {title}\ndate: {date}\nsource: {source}\n---\n{body}", encoding="utf-8")
    return folder


@pytest.fixture
def fake(monkeypatch, tmp_path):
    import tui.core.analysis.service as service

    made = []

    def factory(model=None, cache=None):
        analyzer = FakeAnalyzer(tmp_path / "cache")
        analyzer.done = shared
        made.append(analyzer)
        return analyzer

    shared: dict = {}
    monkeypatch.setattr(service, "Analyzer", factory)
    return made


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_speakers_json_analyses_what_is_missing_then_uses_the_cache(folder, fake, capsys):
    code, out, err = run(capsys, "speakers", str(folder))
    assert code == 0
    assert "read 3/3 article(s)" in err and fake[0].analysed == 3
    doc = json.loads(out)
    assert doc["articles"] == 3
    people = {p["name"]: p for p in doc["people"]}
    orla = people["Orla Fenwick"]
    assert orla == {
        "id": "person:orla fenwick",
        "name": "Orla Fenwick",
        "kind": "person",
        "variants": [
            {"name": "Orla Fenwick", "articles": 1, "quotes": 2, "reason": "the name"},
            {
                "name": "Senator Fenwick",
                "articles": 1,
                "quotes": 1,
                "reason": "surname only: the only person named Fenwick in the library",
            },
        ],
        "quotes": 3,
        "articles": 2,
        "outlets": ["Outlet A", "Outlet B"],
        "first": "2024-03-01",
        "last": "2024-05-02",
    }
    assert people["a senior official"]["kind"] == "description"
    assert [p["name"] for p in doc["people"]][0] == "Orla Fenwick"  # most quoted first
    code, out2, err = run(capsys, "speakers", str(folder))
    assert code == 0 and fake[1].analysed == 0 and "reading the quotes" not in err
    assert json.loads(out2) == doc


def test_speakers_csv(folder, fake, capsys):
    code, out, _ = run(capsys, "speakers", str(folder), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["name", "kind", "quotes", "articles", "outlets", "first", "last", "variants", "id"]
    assert rows[1] == [
        "Orla Fenwick",
        "person",
        "3",
        "2",
        "Outlet A; Outlet B",
        "2024-03-01",
        "2024-05-02",
        "Orla Fenwick; Senator Fenwick",
        "person:orla fenwick",
    ]


@pytest.mark.parametrize("name", ["orla fenwick", "Senator Fenwick", "FENWICK", "Ms. Orla Fenwick"])
def test_quotes_of_one_speaker_by_any_variant(folder, fake, capsys, name):
    code, out, _ = run(capsys, "quotes", str(folder), "--speaker", name)
    assert code == 0
    quotes = json.loads(out)["quotes"]
    assert [q["text"] for q in quotes] == [
        "We will reopen the harbour by spring,",
        "Nobody will lose their job,",
        "The budget is settled,",
    ]
    first = quotes[1]
    assert first["article"]["title"] == "Harbour to reopen" and first["article"]["source"] == "Outlet A"
    assert (first["speaker"], first["speaker_canonical"], first["person"], first["speaker_source"], first["cue"]) == (
        "she",
        "Orla Fenwick",
        "Orla Fenwick",
        "model",
        "said",
    )
    text = (folder / "a1.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert text[first["start"] : first["end"]] == first["text"]


def test_quotes_all_jsonl_and_csv(folder, fake, capsys):
    code, out, _ = run(capsys, "quotes", str(folder), "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 5
    assert [q["article"]["date"] for q in lines] == sorted(q["article"]["date"] for q in lines)
    code, out, _ = run(capsys, "quotes", str(folder), "--format", "csv", "--speaker", "ansel traske")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:8] == ["article_id", "title", "path", "date", "source", "start", "end", "text"]
    assert len(rows) == 2 and rows[1][7] == "Ships will come back," and rows[1][11] == "Ansel Traske"


def test_quotes_unknown_speaker_or_pronoun_is_an_error(folder, fake, capsys):
    code, out, err = run(capsys, "quotes", str(folder), "--speaker", "Nobody Here")
    assert code == 1 and out == "" and "no speaker named 'Nobody Here'" in err
    code, _, _ = run(capsys, "quotes", str(folder), "--speaker", "she")
    assert code == 1


def test_user_merges_apply_to_the_cli(folder, fake, capsys, tmp_path):
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "people.json").write_text(
        json.dumps({"version": 1, "merges": [["person:ansel traske", "desc:senior official"]], "splits": []})
    )
    _, out, _ = run(capsys, "speakers", str(folder))
    people = {p["name"]: p for p in json.loads(out)["people"]}
    assert "a senior official" not in people and people["Ansel Traske"]["quotes"] == 2
    assert people["Ansel Traske"]["variants"][1]["reason"] == "merged by you"


def test_no_analyse_uses_only_cached_analyses(folder, fake, capsys):
    code, out, err = run(capsys, "speakers", str(folder), "--no-analyse")
    assert code == 0 and json.loads(out)["people"] == [] and fake[0].analysed == 0
    assert "cached analyses only" in err


def test_missing_library_is_an_error(tmp_path, capsys):
    code, _, err = run(capsys, "speakers", "--library", str(tmp_path / "none"))
    assert code == 1 and "does not exist yet" in err


def test_rules_pipeline_end_to_end(folder, capsys):
    code, out, err = run(capsys, "quotes", str(folder), "--model", "rules")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["articles"] == 3
    for q in doc["quotes"]:
        assert {"article", "start", "end", "text", "cue", "speaker", "person", "person_id", "confidence"} <= set(q)


def test_same_quote_groups(folder, fake, capsys):
    (folder / "a4.md").write_text(
        "---\ntitle: Harbour plan\ndate: 2024-02-01\nsource: Outlet C\n---\n"
        "“We will reopen the harbour by spring,” Fenwick said again.\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "quotes", str(folder), "--speaker", "Orla Fenwick")
    quotes = json.loads(out)["quotes"]
    same = [q for q in quotes if q["group"]]
    assert code == 0 and len(same) == 2 and all(q["also_in"] == 1 for q in same)
    assert len({q["group"] for q in same}) == 1
    code, out, _ = run(capsys, "quotes", str(folder), "--same")
    groups = json.loads(out)["groups"]
    assert len(groups) == 1 and groups[0]["articles"] == 2
    earliest, later = groups[0]["quotes"]
    assert earliest["article"]["title"] == "Harbour plan" and earliest["differences"] == []
    assert later["differences"] == []  # the same words
    code, out, _ = run(capsys, "quotes", str(folder), "--same", "--speaker", "Ansel Traske")
    assert json.loads(out)["groups"] == []


def test_word_differences():
    from tui.core.people import word_differences

    assert word_differences("We will not sign any deal today", "We will never sign any deal") == [
        {"op": "replace", "earliest": "not", "this": "never"},
        {"op": "delete", "earliest": "today", "this": ""},
    ]


def test_quotes_same_keeps_its_grouping_and_compares_nothing_again(folder, fake, capsys, tmp_path, monkeypatch):
    (folder / "a4.md").write_text(
        "---\ntitle: Harbour plan\ndate: 2024-03-02\nsource: Outlet C\n---\n"
        "“We will reopen the harbour by spring,” Fenwick said again.\n",
        encoding="utf-8",
    )
    code, first, _ = run(capsys, "quotes", str(folder), "--same")
    assert code == 0 and json.loads(first)
    assert list((tmp_path / "cache" / "people").glob("same-quotes-*.json"))
    import rapidfuzz.fuzz

    from tui.core.people import same

    same._SHARED.clear()  # a new process: the groups come from the file

    def no_comparison(*_):
        raise AssertionError("a pair was compared again")

    monkeypatch.setattr(rapidfuzz.fuzz, "partial_ratio", no_comparison)
    code, again, _ = run(capsys, "quotes", str(folder), "--same")
    assert code == 0 and again == first


def test_quotes_same_of_other_paths_keeps_its_own_grouping(folder, fake, capsys, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "b1.md").write_text(
        "---\ntitle: Elsewhere\ndate: 2024-06-01\n---\n“Ships will come back,” said Ansel Traske.\n", encoding="utf-8"
    )
    assert run(capsys, "quotes", str(folder), "--same")[0] == 0
    assert run(capsys, "quotes", str(other), "--same")[0] == 0
    assert len(list((tmp_path / "cache" / "people").glob("same-quotes-*.json"))) == 2  # a library's is never replaced
