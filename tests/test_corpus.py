"""`margin analyze --all --engine dask`: a corpus on a Dask cluster, into the cache and Parquet tables.

The cluster tests share one real LocalCluster (2 worker processes, one thread each) and stay small:
the machine that runs them is shared.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from helpers import REPO, SAMPLES, write_people_articles

from tui.cli import main

NAMES = [
    ("Maria Lopez", "the city's mayor"),
    ("David Chen", "a transport economist"),
    ("Amina Okafor", "the union's spokeswoman"),
    ("Peter Novak", "the finance minister"),
]
CITIES = ["Lisbon", "Leeds", "Porto Alegre", "Gdansk", "Nairobi", "Osaka"]


def generated_article(number: int) -> str:
    """A short news story with attributed quotes, different for every `number`."""
    rng = random.Random(number)
    city = rng.choice(CITIES)
    (first, first_role), (second, second_role) = rng.sample(NAMES, 2)
    year = 2020 + number % 7
    return (
        f"{city} approves a new tram line for {year}\n\n"
        f"The council of {city} voted on Tuesday to build a tram line of {rng.randint(5, 40)} kilometres.\n\n"
        f'"We have waited for this line for twenty years, and the work starts in {year}," said {first}, '
        f"{first_role}.\n\n"
        f'{second}, {second_role}, was less sure. "The budget of {rng.randint(100, 900)} million euros will not '
        f'be enough," {second.split()[-1]} told reporters in {city}.\n\n'
        f'"Article number {number} has its own words," {first.split()[-1]} added.\n'
    )


def write_generated(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        path = folder / f"gen-{number:03d}.txt"
        path.write_text(generated_article(number), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def cluster():
    """One real local Dask cluster for the module: 2 worker processes."""
    from tui.core.corpus import Cluster

    with Cluster(workers=2) as running:
        running.client.wait_for_workers(2)
        yield running


def scheduler(cluster) -> str:
    return cluster.client.scheduler.address


def read_rows(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / table).to_pylist()


def analyze_json(paths, monkeypatch, capsys, tmp_path) -> dict:
    """`margin analyze --format json` of `paths`, with a fresh cache (a real analysis, not the
    cache the cluster wrote)."""
    fresh = tmp_path / f"json-cache-{len(list(tmp_path.iterdir()))}"
    monkeypatch.setenv("MARGIN_CACHE_DIR", str(fresh))
    capsys.readouterr()
    status = main(["analyze", "--format", "json", *map(str, paths)])
    document = json.loads(capsys.readouterr().out)
    monkeypatch.setenv("MARGIN_CACHE_DIR", str(tmp_path / "cache"))
    return {"status": status, "articles": document["articles"]}


def expected_keys(document) -> tuple[set, set]:
    """The (article id, path, start, end, text, cue, speaker canonical, speaker, method, confidence)
    of every quote and the keys of every entity of a `margin analyze --format json` document."""
    quotes, entities = set(), set()
    for report in document["articles"]:
        art = report["article"]
        for q in report["quotes"]:
            s = q["speaker"]
            attributed = s is not None and s["canonical"].strip()
            quotes.add(
                (
                    art["id"],
                    art["path"],
                    q["start"],
                    q["end"],
                    q["text"],
                    q["cue"],
                    " ".join(s["canonical"].split()) if attributed else None,
                    " ".join(s["text"].split()) if attributed else None,
                    s["method"] if attributed else None,
                    round(s["confidence"], 3) if attributed else None,
                )
            )
        for e in report["entities"]:
            entities.add((art["id"], art["path"], e["start"], e["end"], e["label"], e["text"], e["canonical"]))
    return quotes, entities


def table_keys(out: Path) -> tuple[list, list]:
    quotes = [
        (
            r["article_id"],
            r["path"],
            r["start"],
            r["end"],
            r["text"],
            r["cue"],
            r["speaker_canonical"],
            r["speaker"],
            r["method"],
            r["confidence"],
        )
        for r in read_rows(out, "quotes")
    ]
    entities = [
        (r["article_id"], r["path"], r["start"], r["end"], r["label"], r["text"], r["canonical"])
        for r in read_rows(out, "entities")
    ]
    return quotes, entities


def assert_tables_equal_analyze_json(out: Path, paths, monkeypatch, capsys, tmp_path) -> None:
    quotes, entities = table_keys(out)
    assert len(quotes) == len(set(quotes)) and len(entities) == len(set(entities))  # no row twice
    want_quotes, want_entities = expected_keys(analyze_json(paths, monkeypatch, capsys, tmp_path))
    assert set(quotes) == want_quotes
    assert set(entities) == want_entities


def assert_attributed_rows_equal_margin_quotes(out: Path, corpus: Path, monkeypatch, capsys, tmp_path) -> None:
    """The attributed rows of the quote table are the rows of `margin quotes --format csv` on the
    same articles (a fresh analysis, not the cluster's cache): every column, `person` included."""
    import csv
    import io

    monkeypatch.setenv("MARGIN_CACHE_DIR", str(tmp_path / "quotes-command-cache"))
    capsys.readouterr()
    assert main(["quotes", str(corpus), "--format", "csv"]) == 0
    listed = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    monkeypatch.setenv("MARGIN_CACHE_DIR", str(tmp_path / "cache"))
    header, rows = listed[0], listed[1:]

    def cell(value) -> str:
        return "" if value is None else str(value)

    table = [[cell(r[name]) for name in header] for r in read_rows(out, "quotes") if r["speaker"] is not None]
    assert sorted(table) == sorted(rows) and len(rows) > 40
    by_name = [dict(zip(header, row)) for row in rows]
    # People across the corpus, not the article's own name: the bare "Novak" of one article is
    # Peter Novak of another; one quote in two articles is one group
    assert any(r["speaker_canonical"] == "Novak" and r["person"] == "Peter Novak" for r in by_name)
    assert any(r["also_in"] == "1" and r["group"] for r in by_name)


def partition_files(out: Path) -> dict[str, int]:
    return {
        str(p.relative_to(out)): p.stat().st_mtime_ns for t in ("quotes", "entities", "articles") for p in (out / t).iterdir()
    }


def test_the_app_and_the_plain_commands_never_import_dask_or_pyarrow():
    code = (
        "import sys, tui.ui.app, tui.cli, tui.commands.analyze, tui.commands.speakers, tui.commands.quotes, "
        "tui.core.analysis.batch, tui.core.quote_table; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'pyarrow')); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--workers", "2"], "--workers needs --engine dask"),
        (["--quotes-out", "x"], "--quotes-out needs --engine dask"),
        (["--engine", "dask"], "add --all"),
        (["--all", "--engine", "dask", "--jobs", "2"], "use --workers"),
        (["--all", "--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "has its own workers"),
    ],
)
def test_dask_options_are_checked_before_any_work(tmp_path, capsys, args, message):
    assert main(["analyze", str(tmp_path), *args]) != 0
    assert message in capsys.readouterr().err


def test_corpus_tables_equal_margin_analyze_json_and_a_rerun_is_a_no_op(cluster, tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "sample_articles", corpus / "samples")
    write_generated(corpus / "generated", 10)
    write_people_articles(corpus / "people")
    out = tmp_path / "tables"
    command = ["analyze", str(corpus), "--all", "--engine", "dask", "--scheduler", scheduler(cluster), "--quotes-out", str(out)]
    assert main(command) == 0
    err = capsys.readouterr().err
    articles = len(SAMPLES) + 10 + 3
    assert f"{articles} to analyse" in err and f"done: {articles} analysed" in err
    assert "2 worker(s) connected" in err and f"dashboard: {cluster.dashboard}" in err
    assert_tables_equal_analyze_json(out, [corpus], monkeypatch, capsys, tmp_path)
    ids = {r["article_id"] for r in read_rows(out, "quotes")}
    assert len(ids) >= articles - 2  # nearly every article has quotes: the comparison is not vacuous
    # the folder reads as one table with the documented columns
    from tui.commands.quotes import QUOTE_COLUMNS as QUOTES_COMMAND_COLUMNS
    from tui.core.corpus import ARTICLE_COLUMNS, ENTITY_COLUMNS

    assert pq.read_table(out / "quotes").schema.names == QUOTES_COMMAND_COLUMNS  # the columns of `margin quotes`
    assert pq.read_table(out / "entities").schema.names == ENTITY_COLUMNS
    assert pq.read_table(out / "articles").schema.names == ARTICLE_COLUMNS
    assert len(read_rows(out, "articles")) == articles
    assert_attributed_rows_equal_margin_quotes(out, corpus, monkeypatch, capsys, tmp_path)
    # the cache is filled: the local engine finds every article analysed
    assert main(["analyze", str(corpus), "--all", "--jobs", "1"]) == 0
    assert f"{articles} already analysed; 0 to analyse" in capsys.readouterr().err

    before = partition_files(out), (out / "manifest.json").read_bytes()
    assert main(command) == 0
    err = capsys.readouterr().err
    assert "; 0 to analyse" in err and f"{articles} unchanged" in err and "done: 0 analysed" in err
    assert "connected" not in err  # nothing to do: the cluster is not even contacted
    assert (partition_files(out), (out / "manifest.json").read_bytes()) == before


def test_the_dashboard_link_answers(cluster):
    import urllib.request

    link = cluster.dashboard
    assert link is not None and link.startswith("http://")
    with urllib.request.urlopen(link, timeout=30) as response:
        assert response.status == 200 and b"Dask" in response.read()


def test_a_local_cluster_prints_its_dashboard_link_before_the_progress(tmp_path, capsys):
    """margin starts a LocalCluster of its own (one worker, the rules-only pipeline: cheap to start)."""
    corpus = tmp_path / "corpus"
    write_generated(corpus, 2, start=300)
    assert main(["analyze", str(corpus), "--all", "--engine", "dask", "--workers", "1", "--model", "rules"]) == 0
    lines = capsys.readouterr().err.splitlines()
    connected = next(i for i, line in enumerate(lines) if "connected" in line)
    assert "a local Dask cluster of 1 worker process(es), 1 worker(s) connected; dashboard: http://" in lines[connected]
    assert any(line.startswith("margin: analysed 2/2") for line in lines[connected + 1 :])


def test_changed_deleted_and_bad_articles(cluster, tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    generated = write_generated(corpus, 6)
    for path in SAMPLES[:2]:
        shutil.copy(path, corpus / path.name)
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path / "tables"
    command = ["analyze", str(corpus), "--all", "--engine", "dask", "--scheduler", scheduler(cluster), "--quotes-out", str(out)]
    assert main(command) == 1  # the bad article is reported, the rest analysed
    err = capsys.readouterr().err
    assert "broken.txt: looks like a binary file" in err and "done: 8 analysed" in err and "1 failed" in err
    assert str(corpus / "broken.txt") not in {r["path"] for r in read_rows(out, "quotes")}

    from tui.core.articles import load_article

    changed, deleted = generated[1], generated[2]
    old_changed_id, deleted_id = load_article(changed).id, load_article(deleted).id
    changed.write_text(generated_article(99), encoding="utf-8")
    deleted.unlink()
    (corpus / "broken.txt").unlink()
    assert main(command) == 0
    err = capsys.readouterr().err
    assert "1 to analyse" in err and "6 unchanged" in err and "rows of 2 changed or deleted article(s) removed" in err
    rows = read_rows(out, "quotes") + read_rows(out, "entities") + read_rows(out, "articles")
    assert not {r["article_id"] for r in rows} & {old_changed_id, deleted_id}
    assert str(deleted) not in {r["path"] for r in rows}
    assert_tables_equal_analyze_json(out, [corpus], monkeypatch, capsys, tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(manifest["articles"]) == sorted(str(p.resolve()) for p in corpus.iterdir())


def test_a_run_stopped_before_its_manifest_leaves_no_duplicate_rows(cluster, tmp_path, monkeypatch, capsys):
    """Partitions written by a run that stopped before recording them are removed, and their
    articles done again: no row twice."""
    from tui.core.corpus import analyse_corpus
    from tui.core.folders import walk

    corpus = tmp_path / "corpus"
    write_generated(corpus, 4)
    out = tmp_path / "tables"
    files, _ = walk([corpus])
    analyse_corpus(cluster.client, files, model=None, cache_root=tmp_path / "cache", out_dir=out)
    (out / "manifest.json").unlink()  # as if the run was killed before its manifest was written
    assert (
        main(["analyze", str(corpus), "--all", "--engine", "dask", "--scheduler", scheduler(cluster), "--quotes-out", str(out)])
        == 0
    )
    assert "4 to analyse" in capsys.readouterr().err
    assert_tables_equal_analyze_json(out, [corpus], monkeypatch, capsys, tmp_path)


def test_another_pipeline_replaces_the_rows_rather_than_mixing_them(cluster, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write_generated(corpus, 3, start=50)
    out = tmp_path / "tables"
    command = ["analyze", str(corpus), "--all", "--engine", "dask", "--scheduler", scheduler(cluster), "--quotes-out", str(out)]
    assert main(command) == 0
    assert {r["label"] for r in read_rows(out, "entities")}  # the trained pipeline finds entities
    capsys.readouterr()
    assert main(command + ["--model", "rules"]) == 0
    err = capsys.readouterr().err
    assert "3 to analyse" in err and "done: 3 analysed" in err
    assert read_rows(out, "entities") == []  # rules only: no entities, and none left from the other run
    assert len({r["article_id"] for r in read_rows(out, "quotes")}) == 3
    assert json.loads((out / "manifest.json").read_text())["model"].startswith("rules")


def test_a_worker_killed_mid_run_loses_no_article(cluster, tmp_path, monkeypatch, capsys):
    from tui.core.corpus import analyse_corpus
    from tui.core.folders import walk

    corpus = tmp_path / "corpus"
    write_generated(corpus, 12, start=200)
    out = tmp_path / "tables"
    client = cluster.client
    killed: list[int] = []

    def kill_a_busy_worker(progress, problems) -> None:
        if killed:
            return
        busy = [address for address, keys in client.processing().items() if keys]
        if not busy:
            return
        pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    files, _ = walk([corpus])
    progress = analyse_corpus(
        client, files, model=None, cache_root=tmp_path / "cache", out_dir=out, report=kill_a_busy_worker, max_articles=1
    )
    assert killed, "no worker was busy after the first batch: nothing was killed"
    assert progress.failed == 0 and progress.done == 12
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["articles"]) == 12
    assert_tables_equal_analyze_json(out, [corpus], monkeypatch, capsys, tmp_path)
    client.wait_for_workers(2)  # the nanny restarted the killed worker
    assert killed[0] not in client.run(os.getpid).values()
