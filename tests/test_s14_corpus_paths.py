"""A corpus file whose name is not valid UTF-8 (caf\\xe9.txt) in `margin analyze --all --engine dask
--quotes-out`: analysed like any other, never failing the other articles of its batch; its exact
path survives the manifest (a \\udcNN JSON escape) and the tables (`path` as \\xNN, a backslash as
\\\\, as `margin quotes --format csv` shows it), and `--quotes-from` gives it back exactly. Invented
article texts only; an in-process Dask cluster (no worker process to start)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tui.cli import main

CAFE = (
    "Cafe on the square reopens\n\n"
    "The cafe on the old square opened its doors again on Monday after a long winter.\n\n"
    "\u201cWe kept every table and every chair of the old place,\u201d said Jane Doe, its owner.\n"
)
BAKERY = (
    "Bakery raises its prices\n\n"
    "The bakery on Mill Lane will charge more for bread from next week.\n\n"
    "\u201cFlour has never cost us this much,\u201d said Tom Baker, who runs it.\n"
)


@pytest.fixture(scope="module")
def scheduler():
    """The address of an in-process Dask cluster (one worker thread) for the module."""
    from distributed import Client

    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as client:
        yield client.scheduler.address


@pytest.fixture
def corpus(tmp_path):
    """(folder, exact path of caf\\xe9.txt, path of bakery.txt): the bad name made from bytes."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    cafe = os.fsdecode(os.path.join(os.fsencode(folder), b"caf\xe9.txt"))
    with open(os.fsencode(cafe), "w", encoding="utf-8") as handle:
        handle.write(CAFE)
    bakery = folder / "bakery.txt"
    bakery.write_text(BAKERY, encoding="utf-8")
    return folder, cafe, str(bakery)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    out.encode("utf-8")  # valid UTF-8: a lone surrogate raises here
    return code, out, err


def analyse(capsys, scheduler, folder, out) -> tuple[int, str]:
    code, _, err = run(
        capsys, "analyze", folder, "--all", "--engine", "dask", "--scheduler", scheduler, "--quotes-out", out, "--model", "rules"
    )
    return code, err


def test_a_file_name_that_is_not_utf8_is_analysed_and_its_path_survives(corpus, scheduler, tmp_path, capsys):
    folder, cafe, bakery = corpus
    out = tmp_path / "tables"
    code, err = analyse(capsys, scheduler, folder, out)
    assert code == 0 and "done: 2 analysed" in err and "0 failed" in err, err
    shown = str(folder) + "/caf\\xe9.txt"
    for table in ("quotes", "entities", "articles"):
        paths = {r["path"] for r in pq.read_table(out / table).to_pylist()}
        assert paths <= {shown, bakery}, table
    assert {r["path"] for r in pq.read_table(out / "articles").to_pylist()} == {shown, bakery}
    manifest = json.loads((out / "manifest.json").read_bytes())
    assert sorted(manifest["articles"]) == sorted([cafe, bakery])  # json.loads gives the exact path back

    code, err = analyse(capsys, scheduler, folder, out)  # the manifest read back: nothing to do again
    assert code == 0 and "0 to analyse" in err and "2 unchanged" in err, err

    code, stdout, _ = run(capsys, "quotes", "--quotes-from", out)
    paths = {q["article"]["path"] for q in json.loads(stdout)["quotes"]}
    assert code == 0 and paths == {cafe, bakery}
    assert os.fsencode(cafe) in {os.fsencode(p) for p in paths}
    code, stdout, _ = run(capsys, "quotes", "--quotes-from", out, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert code == 0 and {r["path"] for r in rows} == {shown, bakery}
    code, stdout, _ = run(capsys, "speakers", "--quotes-from", out)
    assert code == 0 and {p["name"] for p in json.loads(stdout)["people"]} >= {"Jane Doe", "Tom Baker"}

    from tui.core.quote_table import QuoteTable, read_quote_table

    assert {r["path"] for r in read_quote_table(out)} == {cafe, bakery}
    entries, _ = QuoteTable(out).entries_and_records()
    assert {e.path for e in entries} == {cafe, bakery}

    os.unlink(os.fsencode(cafe))  # its rows go, and only its rows
    code, err = analyse(capsys, scheduler, folder, out)
    assert code == 0 and "rows of 1 changed or deleted article(s) removed" in err, err
    for table in ("quotes", "articles"):
        assert {r["path"] for r in pq.read_table(out / table).to_pylist()} == {bakery}
    assert list(json.loads((out / "manifest.json").read_bytes())["articles"]) == [bakery]


def test_table_paths_are_unambiguous_and_give_the_exact_path_back():
    from tui.core.quote_table import exact_path, shown_path

    bad = os.fsdecode(b"/a/caf\xe9/\xff\xfe.txt")
    assert shown_path(bad) == "/a/caf\\xe9/\\xff\\xfe.txt"
    for path in (bad, "/a/caf\\xe9.txt", "/a/b\\\\c\\", "/a/Jos\u00e9 \u201cx\u201d.txt", os.fsdecode(b"/a/\\\xe9\\x")):
        assert exact_path(shown_path(path)) == path
        shown_path(path).encode("utf-8")  # what a Parquet string column holds
    assert shown_path("/a/caf\\xe9.txt") != shown_path(bad)  # a name written so is told apart


def batch(tmp_path, *texts: str) -> list[str]:
    folder = tmp_path / "batch"
    folder.mkdir()
    paths = []
    for number, text in enumerate(texts):
        path = folder / f"a{number}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def test_an_article_the_analysis_fails_on_costs_only_itself(tmp_path, monkeypatch):
    from tui.core import corpus_worker

    poisoned = CAFE.replace("Monday", "Monday POISON")
    paths = batch(tmp_path, BAKERY, poisoned, CAFE.replace("winter", "cold winter"))
    real = corpus_worker.CorpusAnalyzer.analyze_many

    def analyze_many(self, texts, progress=None):
        if any("POISON" in t for t in texts):
            raise RuntimeError("the pipeline choked")
        return real(self, texts, progress)

    monkeypatch.setattr(corpus_worker.CorpusAnalyzer, "analyze_many", analyze_many)
    out = tmp_path / "tables"
    for table in ("quotes", "entities", "articles"):
        (out / table).mkdir(parents=True)
    records = corpus_worker.analyse_batch(paths, "rules", str(tmp_path / "cache"), str(out), "part-x.parquet")
    status = {Path(r["path"]).name: r["status"] for r in records}
    assert status == {"a0.txt": "analysed", "a1.txt": "failed", "a2.txt": "analysed"}
    assert "the pipeline choked" in next(r["problem"] for r in records if r["status"] == "failed")
    stored = {Path(r["path"]).name for r in pq.read_table(out / "articles" / "part-x.parquet").to_pylist()}
    assert stored == {"a0.txt", "a2.txt"}


def test_an_article_whose_rows_cannot_be_stored_costs_only_itself(tmp_path, monkeypatch):
    from tui.core import corpus_worker

    paths = batch(tmp_path, BAKERY, CAFE)
    real = corpus_worker.article_row

    def article_row(article, analysis, summary):
        row = real(article, analysis, summary)
        if "Cafe" in article.title:
            row["title"] += "\udce9"  # what a Parquet string column cannot hold
        return row

    monkeypatch.setattr(corpus_worker, "article_row", article_row)
    out = tmp_path / "tables"
    for table in ("quotes", "entities", "articles"):
        (out / table).mkdir(parents=True)
    records = corpus_worker.analyse_batch(paths, "rules", str(tmp_path / "cache"), str(out), "part-x.parquet")
    assert [r["status"] for r in records] == ["analysed", "failed"]
    for table in ("quotes", "articles"):
        assert {Path(r["path"]).name for r in pq.read_table(out / table / "part-x.parquet").to_pylist()} == {"a0.txt"}


def test_removing_an_article_keeps_the_rows_of_the_others_whatever_their_names(tmp_path):
    """The clean-up after a deleted article matches the tables' form of the paths (caf\\xe9, a\\\\b),
    and still the plain form a table written before paths were escaped holds (o\\ld)."""
    from tui.core.corpus_output import Output
    from tui.core.quote_table import schemas, shown_path, write_partition

    cafe, new, old, gone = os.fsdecode(b"/x/caf\xe9.txt"), "/x/a\\b.txt", "/x/o\\ld.txt", "/x/gone.txt"
    stored = [shown_path(cafe), shown_path(new), old, gone]
    output = Output(tmp_path / "tables")
    output.open()
    try:
        write_partition(output.folder / "articles" / "part-0.parquet", [{"path": p} for p in stored], schemas()["articles"])
        output.articles = {p: {"partition": "part-0.parquet"} for p in (cafe, new, old, gone)}
        output.forget({gone})
    finally:
        output.close()
    rows = pq.read_table(output.folder / "articles" / "part-0.parquet").to_pylist()
    assert [r["path"] for r in rows] == stored[:3]
    assert sorted(json.loads((output.folder / "manifest.json").read_bytes())["articles"]) == sorted([cafe, new, old])
