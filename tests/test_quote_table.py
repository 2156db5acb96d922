"""`margin speakers|quotes --quotes-from DIR`: a Parquet quote table (written by `margin analyze
--all --engine dask --quotes-out DIR`) read back gives the rows and people a library of the same
articles gives; and tui/core/quote_table.py's reading functions.

The table is written once for the module, by the real command on an in-process Dask cluster (one
worker thread: no worker process to start on a shared machine)."""

from __future__ import annotations

import json
import shutil
import sys

import pyarrow.parquet as pq
import pytest
from helpers import SAMPLES, write_people_articles

from tui.cli import main

SPEAKERS = [["--format", "json"], ["--format", "csv"]]
QUOTES = [
    ["--format", "json"],
    ["--format", "jsonl"],
    ["--format", "csv"],
    ["--speaker", "Novak"],
    ["--speaker", "peter novak", "--format", "csv"],
    ["--speaker", "Maria Lopez", "--format", "jsonl"],
    ["--same"],
    ["--same", "--format", "csv"],
]


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    """(corpus folder, table folder, cache dir): the people articles and three samples, analysed
    into a quote table by `margin analyze --all --engine dask --scheduler` (an in-process cluster)."""
    from distributed import Client

    root = tmp_path_factory.mktemp("quote-table")
    corpus = root / "corpus"
    write_people_articles(corpus)
    for path in SAMPLES[:3]:
        shutil.copy(path, corpus / path.name)
    out = root / "table"
    with pytest.MonkeyPatch.context() as mp:
        for name in ("MARGIN_CACHE_DIR", "MARGIN_DATA_DIR", "MARGIN_CONFIG_DIR"):
            mp.setenv(name, str(root / name.lower()))
        with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as client:
            status = main(
                [
                    "analyze",
                    str(corpus),
                    "--all",
                    "--engine",
                    "dask",
                    "--scheduler",
                    client.scheduler.address,
                    "--quotes-out",
                    str(out),
                ]
            )
    assert status == 0
    return corpus, out, root / "margin_cache_dir"


@pytest.fixture(autouse=True)
def analysed(table, monkeypatch):
    """The library side reads the analyses the table was made from (the table's own equality with a
    fresh analysis is tests/test_corpus.py's); each test keeps its own data dir (merges, splits)."""
    monkeypatch.setenv("MARGIN_CACHE_DIR", str(table[2]))


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_speakers_and_quotes_from_a_table_equal_those_from_the_library(table, capsys):
    corpus, out, _ = table
    for command, variants in (("speakers", SPEAKERS), ("quotes", QUOTES)):
        for options in variants:
            from_library = run(capsys, command, corpus, *options)
            from_table = run(capsys, command, "--quotes-from", out, *options)
            assert from_table[0] == from_library[0] == 0, (command, options, from_table[2])
            assert from_table[1] == from_library[1], (command, options)
            assert from_table[1].strip() not in ("", "[]"), (command, options)
    # the rows need the whole table: Novak of people-2.txt is Peter Novak of people-1.txt
    quotes = json.loads(run(capsys, "quotes", "--quotes-from", out, "--speaker", "Novak")[1])["quotes"]
    assert {(q["speaker_canonical"], q["person"]) for q in quotes} == {("Peter Novak", "Peter Novak"), ("Novak", "Peter Novak")}
    document = json.loads(run(capsys, "speakers", "--quotes-from", out)[1])
    assert document["articles"] == 6 and document["model"]


def test_your_merges_and_splits_apply_to_a_table_and_refill_its_person_column(table, capsys):
    """A split in People (people.json) changes `--quotes-from` as it changes the library; the next
    `margin analyze` of the corpus fills the table's person column again, without any analysis."""
    from tui.core.people import Overrides

    corpus, out, _ = table

    def novak_people() -> set:
        return {
            (r["speaker_canonical"], r["person_id"])
            for r in pq.read_table(out / "quotes").to_pylist()
            if r["speaker_canonical"] in ("Novak", "Peter Novak")
        }

    before = run(capsys, "quotes", "--quotes-from", out, "--speaker", "Novak", "--format", "csv")[1]
    overrides = Overrides().load()
    overrides.splits.append("Novak")
    overrides.save()
    try:
        for options in (["--speaker", "Novak", "--format", "csv"], ["--format", "json"]):
            assert run(capsys, "quotes", "--quotes-from", out, *options)[1] == run(capsys, "quotes", corpus, *options)[1]
        after = run(capsys, "quotes", "--quotes-from", out, "--speaker", "Novak", "--format", "csv")[1]
        assert after != before and "split:novak" in after

        assert novak_people() == {("Novak", "person:peter novak"), ("Peter Novak", "person:peter novak")}
        code, _, err = run(
            capsys, "analyze", corpus, "--all", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--quotes-out", out
        )
        assert code == 0 and "0 to analyse" in err and "merging the speakers" in err  # no cluster needed
        assert novak_people() == {("Novak", "split:novak"), ("Peter Novak", "person:peter novak")}
        mtimes = {p: p.stat().st_mtime_ns for p in (out / "quotes").iterdir()}
        code, _, err = run(
            capsys, "analyze", corpus, "--all", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--quotes-out", out
        )
        assert code == 0 and "merging" not in err  # nothing changed: nothing rewritten
        assert {p: p.stat().st_mtime_ns for p in (out / "quotes").iterdir()} == mtimes
    finally:
        overrides.splits.remove("Novak")
        overrides.save()
        assert (
            run(capsys, "analyze", corpus, "--all", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--quotes-out", out)[
                0
            ]
            == 0
        )  # the module's table as it was, for the other tests
        assert novak_people() == {("Novak", "person:peter novak"), ("Peter Novak", "person:peter novak")}


def test_read_quote_table_streams_the_recorded_partitions(table):
    from tui.core.quote_table import QUOTE_COLUMNS, QuoteTable, read_quote_table

    _, out, _ = table
    rows = read_quote_table(out)
    assert iter(rows) is rows  # an iterator: rows are read as they are asked for
    listed = list(rows)
    assert listed and all(list(r) == QUOTE_COLUMNS for r in listed)
    assert sorted(listed, key=str) == sorted(pq.read_table(out / "quotes").to_pylist(), key=str)
    # a partition the manifest does not record (a stopped run's) is not read
    stray = out / "quotes" / "part-stray.parquet"
    shutil.copy(next((out / "quotes").iterdir()), stray)
    try:
        assert len(list(read_quote_table(out))) == len(listed)
        assert QuoteTable(out).articles == 6
    finally:
        stray.unlink()


def test_people_from_a_table_are_what_the_people_builder_returns(table):
    from tui.core.people import Person, build_people
    from tui.core.quote_table import QuoteTable, people_from_quote_table

    _, out, _ = table
    people = people_from_quote_table(out)
    assert people and all(isinstance(p, Person) for p in people)
    entries, records = QuoteTable(out).entries_and_records()
    expected = build_people(entries, records)
    assert sorted(p.to_dict()["id"] for p in people) == sorted(p.id for p in expected)
    novak = next(p for p in people if p.id == "person:peter novak")
    assert {q.canonical for q in novak.quotes} == {"Novak", "Peter Novak"}


def test_what_is_not_a_quote_table_gets_a_clear_message(table, tmp_path, capsys):
    _, out, _ = table
    not_a_table = tmp_path / "plain"
    not_a_table.mkdir()
    (tmp_path / "file.txt").write_text("x")
    other_version = tmp_path / "old"
    other_version.mkdir()
    (other_version / "manifest.json").write_text('{"version": 1, "articles": {}}')
    cases = [
        (not_a_table, "is not a quote table (no manifest.json)"),
        (tmp_path / "missing", "no such folder"),
        (tmp_path / "file.txt", "a file, not a folder"),
        (other_version, "written by another version of Margin"),
    ]
    for folder, message in cases:
        for command in ("speakers", "quotes"):
            code, stdout, err = run(capsys, command, "--quotes-from", folder)
            assert code == 1 and stdout == "" and message in err and "Traceback" not in err, (folder, err)
    damaged = tmp_path / "damaged"
    shutil.copytree(out, damaged)
    next((damaged / "articles").iterdir()).write_bytes(b"not parquet")
    code, stdout, err = run(capsys, "quotes", "--quotes-from", damaged)
    assert code == 1 and "cannot be read as Parquet" in err and "Traceback" not in err


def test_quotes_from_and_a_library_do_not_mix(table, capsys):
    corpus, out, _ = table
    for options in ([corpus], ["--library", corpus], ["--no-analyse"], ["--model", "rules"]):
        code, _, err = run(capsys, "quotes", "--quotes-from", out, *options)
        assert code == 1 and "cannot go with it" in err


def test_without_pyarrow_the_message_says_what_to_install(table, monkeypatch, capsys):
    _, out, _ = table
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` raises ImportError
    for command in ("speakers", "quotes"):
        code, stdout, err = run(capsys, command, "--quotes-from", out)
        assert code == 1 and stdout == ""
        assert "needs pyarrow: pip install 'margin-reader[corpus]'" in err
