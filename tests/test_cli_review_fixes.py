"""The command-line review: outputs never over the database, damaged article files skipped and
named, time limits and counts checked by argparse, no author as source, a speaker given with
`margin annotate` is the user's, `-o -` and `-o /dev/stdout`, a closed pipe exits 0, one `group`
column, the library hint names the folder, the schema's `date`. Each test failed before its fix.
Invented article text only."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from feeds_server import rss
from helpers import REPO
from test_feeds_cli import site  # noqa: F401  (the fixture)
from test_nothing_lost_cli import annotate, make_article
from test_people_cli import fake, folder, run  # noqa: F401  (fixtures)

from tui.cli import main
from tui.core.articles import load_article
from tui.core.export import SCHEMA_FILE
from tui.core.feeds import FeedState
from tui.core.store import AnnotationStore

PASSAGE = "The mayor resigned on Wednesday morning."


def annotated_db(tmp_path: Path, db: Path | None = None) -> Path:
    """A database (at `db`, default tmp_path/db/ann.json) with one annotation on each of two articles."""
    db = db or tmp_path / "db" / "ann.json"
    arts = tmp_path / "arts"
    annotate(db, make_article(arts, "one.txt"), PASSAGE, tags=["one"])
    other = "Other news\n\nThe ferry sailed late on Friday. The harbour closed at noon.\n"
    annotate(db, make_article(arts, "two.txt", other), "The harbour closed at noon.", tags=["two"])
    return db


def shards(db: Path) -> list[Path]:
    return sorted(db.with_name(db.name + ".d").glob("*.json"))


def snapshot(db: Path) -> dict[str, bytes]:
    files = [db, *shards(db)]
    return {str(p): p.read_bytes() for p in files}


# -- 1: no output is ever written over the annotations database ----------------------------------
@pytest.mark.parametrize(
    "command",
    [
        ["export", "--force", "-o", "{db}"],
        ["export", "--force", "-o", "{shard}"],
        ["export", "-o", "{db}.d/new.json"],
        ["export", "--force", "-o", "{db}.lock"],
        ["export", "--force", "-o", "{link}"],
        ["export", "--force", "-o", "{db}.d/../ann.json"],
        ["chart", "tags", "--force", "-o", "{db}"],
        ["corrections", "export", "--force", "-o", "{shard}"],
        ["feeds", "export", "--force", "-o", "{shard}"],
    ],
)
def test_no_output_is_written_over_the_database(tmp_path, monkeypatch, command, capsys):
    db = annotated_db(tmp_path)
    monkeypatch.setenv("MARGIN_DB", str(db))  # feeds export has no --db of its own
    link = tmp_path / "innocent.json"
    link.symlink_to(db)
    before = snapshot(db)
    values = {"db": str(db), "shard": str(shards(db)[0]), "link": str(link)}
    capsys.readouterr()
    assert main([arg.format(**values) for arg in command]) == 1
    err = capsys.readouterr().err
    assert "is part of the annotations database" in err and err.count("\n") == 1
    assert snapshot(db) == before
    assert not (db.with_name(db.name + ".d") / "new.json").exists()


def test_a_store_once_opened_is_protected_from_any_output_writer(tmp_path):
    from tui.core.output import DatabaseFileError, write_output

    db = annotated_db(tmp_path)
    AnnotationStore.open(db, explicit=True)  # as the app does: its export dialog passes no database
    before = snapshot(db)
    with pytest.raises(DatabaseFileError):
        write_output(shards(db)[0], "{}", force=True)
    assert snapshot(db) == before


# -- 2: a damaged article file: the rest is exported, the file is named and left untouched -------
@pytest.mark.parametrize("explicit", [True, False])
def test_export_skips_a_damaged_article_file_and_names_it(tmp_path, monkeypatch, explicit, capsys):
    if explicit:
        db = annotated_db(tmp_path)
        argv = ["export", "--db", str(db)]
    else:  # the default database: a damaged file used to be moved aside by a mere export
        monkeypatch.delenv("MARGIN_DB")
        db = annotated_db(tmp_path, tmp_path / "data" / "annotations.json")
        argv = ["export"]
    damaged = next(p for p in shards(db) if '"one"' in p.read_text(encoding="utf-8"))
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    torn = damaged.read_bytes()
    capsys.readouterr()
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert [a["tags"] for a in json.loads(out)["annotations"]] == [["two"]]
    assert err.count(str(damaged)) == 1 and "damaged" in err
    assert damaged.read_bytes() == torn
    assert not list(damaged.parent.glob("*.corrupt-*"))
    assert main(["corrections", "export", *argv[1:]]) == 1  # the other read-only export too


# -- 3: time limits and counts are checked by argparse -------------------------------------------
@pytest.mark.parametrize("value", ["inf", "1e12", "0", "-3", "nan", "601"])
@pytest.mark.parametrize("command", [["add", "http://127.0.0.1:9/x"], ["fetch"], ["feeds", "add", "http://127.0.0.1:9/x"]])
def test_timeouts_must_be_finite_positive_and_sane(command, value, capsys):
    with pytest.raises(SystemExit) as stop:
        main([*command, "--timeout", value])
    assert stop.value.code == 2
    assert "--timeout" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-1"])
def test_fetch_jobs_must_be_positive(value, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["fetch", "--jobs", value])
    assert stop.value.code == 2 and "--jobs" in capsys.readouterr().err


def test_a_refused_timeout_leaves_a_healthy_feed_alone(site, tmp_path, capsys):  # noqa: F811
    from tui.core.feeds import fetch_feeds

    site.add("/feed.xml", rss("Coast Herald", []), ctype="application/rss+xml")
    FeedState().add(site.url("/feed.xml"), "Coast Herald")
    with pytest.raises(SystemExit):
        main(["fetch", "--library", str(tmp_path / "lib"), "--timeout", "0"])
    with pytest.raises(ValueError):  # the domain refuses it too, before anything is recorded
        fetch_feeds(tmp_path / "lib", timeout=float("inf"))
    [feed] = FeedState().feeds()
    assert not feed.get("failures") and not feed.get("checked")
    assert site.hits["/feed.xml"] == 0


def test_chart_width_0_is_refused_like_width_5(tmp_path, capsys):
    db = annotated_db(tmp_path)
    for width in ("5", "0"):
        assert main(["chart", "tags", "--db", str(db), "--width", width]) == 1
        captured = capsys.readouterr()
        assert "at least 30 columns" in captured.err and captured.out == ""


# -- 4: an author is not a source ----------------------------------------------------------------
AUTHORED_MD = (
    "---\ntitle: Ships return\nauthor: Nell Corrigan\ndate: 2024-04-02\n---\n“Ships will come back,” said Ansel Traske.\n"
)
AUTHORED_HTML = (
    '<html><head><title>Ships return</title><meta name="author" content="Nell Corrigan"></head><body><article>'
    "<h1>Ships return</h1><p>The harbour board met on Tuesday to talk about the ferries and the winter timetable.</p>"
    "<p>“Ships will come back,” said Ansel Traske, who chairs the board, after the meeting ended.</p></article></body></html>"
)


def test_an_author_without_a_source_gives_no_source(tmp_path, fake, capsys):  # noqa: F811
    arts = tmp_path / "arts"
    md = make_article(arts, "ships.md", AUTHORED_MD)
    html = make_article(arts, "ships.html", AUTHORED_HTML)
    for path in (md, html):
        article = load_article(path)
        assert (article.source, article.author) == (None, "Nell Corrigan")
    db = tmp_path / "db.json"
    annotate(db, md, "Ships will come back,", tags=["t"])
    assert main(["export", "--db", str(db)]) == 0
    [record] = json.loads(capsys.readouterr().out)["annotations"]
    assert (record["article"]["source"], record["article"]["author"]) == (None, "Nell Corrigan")
    code, out, _ = run(capsys, "quotes", str(md))
    assert code == 0 and json.loads(out)["quotes"][0]["article"]["source"] is None
    code, out, _ = run(capsys, "speakers", str(md))
    assert code == 0 and json.loads(out)["people"][0]["outlets"] == []


# -- 5: a speaker given with `margin annotate` is the user's ------------------------------------
QUOTED = "Harbour news\n\n“The ferries will sail again in May,” said Ansel Traske on Tuesday.\n"


def test_annotate_speaker_is_the_users_and_only_for_quotes(tmp_path, capsys):
    path = make_article(tmp_path / "arts", "ferries.txt", QUOTED)
    db = tmp_path / "db.json"
    base = ["annotate", str(path), "--db", str(db), "--exact", "The ferries will sail again in May,", "--tag", "t"]
    for kind in ([], ["--kind", "sentence"], ["--kind", "selection"]):
        assert main([*base, *kind, "--speaker", "Jane Doe"]) == 1
        assert "--speaker is only for quotes" in capsys.readouterr().err
    assert not db.exists() or AnnotationStore.open(db).all() == []
    assert main([*base, "--kind", "quote", "--speaker", "Jane  Doe"]) == 0
    capsys.readouterr()
    for fmt, key in (("json", "speaker_source"), ("w3c", "margin:speakerSource")):
        assert main(["export", "--db", str(db), "--format", fmt]) == 0
        document = json.loads(capsys.readouterr().out)
        [record] = document["annotations"] if fmt == "json" else document["first"]["items"]
        assert record[key] == "user"
    assert main(["export", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)["annotations"][0]["speaker"] == "Jane Doe"


# -- 6: `-o -` is stdout, `-o ''` an error, `-o /dev/stdout` into a pipe works -------------------
def test_output_dash_is_stdout_and_an_empty_name_is_an_error(tmp_path, monkeypatch, capsys):
    db = annotated_db(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--db", str(db), "-o", "-"]) == 0
    assert len(json.loads(capsys.readouterr().out)["annotations"]) == 2
    assert not (tmp_path / "-").exists()
    with pytest.raises(SystemExit) as stop:
        main(["export", "--db", str(db), "-o", ""])
    assert stop.value.code == 2 and "empty" in capsys.readouterr().err


def test_output_to_dev_stdout_writes_into_the_pipe(tmp_path, capsys):
    db = annotated_db(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "tui", "export", "--db", str(db), "-o", "/dev/stdout"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["annotations"]) == 2
    with socket.socket(socket.AF_UNIX) as server:  # a socket is still refused, never replaced
        server.bind(str(tmp_path / "sock"))
        assert main(["export", "--db", str(db), "-o", str(tmp_path / "sock"), "--force"]) == 1
    assert "not a regular file" in capsys.readouterr().err
    assert stat.S_ISSOCK(os.lstat(tmp_path / "sock").st_mode)


def test_output_to_dev_stdout_appended_to_a_file_keeps_what_the_file_held(tmp_path):
    db = annotated_db(tmp_path)
    log = tmp_path / "log.txt"
    log.write_text("previous line\n")
    with log.open("a") as appended:
        done = subprocess.run(
            [sys.executable, "-m", "tui", "export", "--db", str(db), "-o", "/dev/stdout", "--format", "csv"],
            cwd=REPO,
            stdout=appended,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    lines = log.read_text().splitlines()
    assert lines[0] == "previous line" and lines[1].startswith("Highlight,") and len(lines) == 4


def test_output_to_a_fifo_a_process_reads_is_written(tmp_path):
    db = annotated_db(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    for _ in range(600):  # until `cat` waits in its open of the FIFO for a writer
        if Path(f"/proc/{reader.pid}/wchan").read_text() == "wait_for_partner":
            break
        time.sleep(0.05)
    try:
        assert main(["export", "--db", str(db), "-o", str(fifo), "--format", "csv"]) == 0
        out, _ = reader.communicate(timeout=60)
    finally:
        reader.kill()
    assert out.decode().startswith("Highlight,") and len(out.decode().splitlines()) == 3


# -- 7: a closed stdout pipe is success, quietly --------------------------------------------------
def test_a_reader_that_stops_early_is_not_a_failure(tmp_path):
    lines = [f"“The ferry number {i} will sail at dawn,” said Jane Doe.\n" for i in range(800)]  # more than a pipe holds
    diary = make_article(tmp_path / "arts", "diary.txt", "Harbour diary\n\n" + "\n".join(lines))
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "quotes", str(diary), "--model", "rules", "--format", "jsonl"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert json.loads(process.stdout.readline())["speaker"] == "Jane Doe"
    process.stdout.close()  # as `| head -1` does
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert "Exception" not in err and "Broken" not in err and "error" not in err


def test_a_closed_pipe_exits_0_for_any_command(monkeypatch):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["feeds", "export"]) == 0


# -- 8: `quotes --same --format csv` has one `group` column ---------------------------------------
def test_same_quotes_csv_has_one_group_column(folder, fake, capsys):  # noqa: F811
    (folder / "a4.md").write_text(
        "---\ntitle: Harbour plan\ndate: 2024-02-01\nsource: Outlet C\n---\n"
        "“We will reopen the harbour by spring,” Fenwick said again.\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "quotes", str(folder), "--same", "--format", "csv")
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and header.count("group") == 1 and header[-1] == "differences"
    groups = {row[header.index("group")] for row in rows}
    assert len(rows) == 2 and len(groups) == 1 and groups.pop().startswith("q:")


# -- 9: the library hint names the folder given --------------------------------------------------
def test_add_and_fetch_say_how_to_open_the_library_given(site, tmp_path, capsys):  # noqa: F811
    library = tmp_path / "my library"
    article = make_article(tmp_path / "arts")
    assert main(["add", str(article), "--library", str(library)]) == 0
    assert f"Open your library with: margin --library '{library}'" in capsys.readouterr().out
    site.add("/feed.xml", rss("Coast Herald", []), ctype="application/rss+xml")
    FeedState().add(site.url("/feed.xml"), "Coast Herald")
    assert main(["fetch", "--library", str(library)]) == 0
    assert f"Open your library with: margin --library '{library}'" in capsys.readouterr().out


# -- 10: the schema says what an undated article's date is ---------------------------------------
def test_schema_says_an_undated_article_has_date_null(tmp_path, capsys):
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    article = schema["$defs"]["annotation"]["properties"]["article"]["properties"]
    assert "file's date" not in article["date"]["description"] and "null" in article["date"]["description"]
    db = annotated_db(tmp_path)
    os.utime(tmp_path / "arts" / "one.txt", (1e9, 1e9))  # a file's time is not a story's date
    assert main(["export", "--db", str(db)]) == 0
    document = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert [a["article"]["date"] for a in document["annotations"]] == [None, None]
