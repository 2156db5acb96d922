"""The command line: help, version, model choice, errors as one line, the `analyze` format."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import REPO, SEED, SEED_QUOTE

from tui import __version__
from tui.cli import main
from tui.core.storage.store import AnnotationStore


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"margin {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--model NAME" in out and "--db PATH" in out


def test_python_dash_m_runs_the_same_program():
    done = subprocess.run([sys.executable, "-m", "tui", "--version"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"margin {__version__}"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["/no/such/place"], "no such file or folder: /no/such/place"),
        (["--model", "not_a_pipeline", str(SEED)], "no spaCy pipeline named 'not_a_pipeline' is installed"),
        (["export", "-o", "/no/such/folder/out.json"], "the folder /no/such/folder does not exist"),
        (["analyze", "/no/such/file.txt"], "no readable article among the given paths"),
    ],
)
def test_errors_are_one_clear_line(argv, message, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_analyze_json_is_the_documented_format(capsys):
    assert main(["analyze", str(SEED)]) == 0
    captured = capsys.readouterr()
    assert "using spaCy pipeline" in captured.err
    document = json.loads(captured.out)
    [report] = document["articles"]
    text = SEED.read_text(encoding="utf-8")
    assert set(report) == {"article", "model", "entities", "quotes"}
    for entity in report["entities"]:
        assert set(entity) == {"start", "end", "label", "text", "canonical"}
        assert text[entity["start"] : entity["end"]] == entity["text"]
    quote = next(q for q in report["quotes"] if q["text"] == SEED_QUOTE)
    assert text[quote["start"] : quote["end"]] == SEED_QUOTE
    assert quote["cue"] == "replied"
    assert quote["speaker"]["canonical"] == "Mike Pompeo"
    assert text[quote["speaker"]["start"] : quote["speaker"]["end"]] == quote["speaker"]["text"]


def test_analyze_without_a_trained_pipeline_says_so(tmp_path, capsys):
    assert main(["analyze", "--model", "rules", "--format", "text", str(SEED)]) == 0
    captured = capsys.readouterr()
    assert "rules only" in captured.err
    assert "quotes: 6" in captured.out


def test_analyze_output_is_terminal_safe(tmp_path, capsys):
    path = tmp_path / "evil.txt"
    path.write_text("Title\n\n“Stop \x1b[2J\u202e now,” said Ann Lee.\n", encoding="utf-8")
    assert main(["analyze", "--format", "text", str(path)]) == 0
    text_out = capsys.readouterr().out
    assert "\x1b" not in text_out and "\u202e" not in text_out
    assert main(["analyze", str(path)]) == 0
    json_out = capsys.readouterr().out
    assert "\x1b" not in json_out and "\u202e" not in json_out
    assert "\u202e" in json.loads(json_out)["articles"][0]["quotes"][0]["text"]  # escaped, not lost


def test_export_to_a_terminal_shows_no_raw_controls(tmp_path):
    import os
    import pty

    article = tmp_path / "a.txt"
    article.write_text("Title \x1b]0;T\x07\n\nBad \x1b[31mred\u202e text here.\n", encoding="utf-8")
    env = dict(os.environ, MARGIN_DB=str(tmp_path / "db.json"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "annotate",
            str(article),
            "--exact",
            "Bad \x1b[31mred\u202e text",
            "--tag",
            "t",
            "--note",
            "x\x1b[2Jy\x9b",
        ],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    for fmt in ("json", "w3c", "markdown", "csv"):
        leader, follower = pty.openpty()
        done = subprocess.run(
            [sys.executable, "-m", "tui", "export", "--format", fmt],
            cwd=REPO,
            env=env,
            stdout=follower,
            stderr=subprocess.PIPE,
            timeout=60,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        os.close(leader)
        assert done.returncode == 0
        assert b"\x1b" not in shown and "\u202e".encode() not in shown and b"\xc2\x9b" not in shown, fmt
        assert b"red" in shown, fmt
    piped = subprocess.run([sys.executable, "-m", "tui", "export"], cwd=REPO, env=env, capture_output=True, timeout=60)
    assert json.loads(piped.stdout)["annotations"][0]["note"] == "x\x1b[2Jy\x9b"  # exact when not a terminal


def test_export_gives_offsets_into_the_current_text_of_an_edited_article(tmp_path, capsys):
    article = tmp_path / "story.txt"
    article.write_text("Title\n\nThe vote passed. The mayor resigned.\n", encoding="utf-8")
    db = str(tmp_path / "db.json")
    assert main(["annotate", str(article), "--exact", "The mayor resigned.", "--tag", "t", "--db", db]) == 0
    article.write_text("Title\n\nA new first sentence. The vote passed. The mayor resigned.\n", encoding="utf-8")
    capsys.readouterr()
    for fmt in ("json", "w3c"):
        assert main(["export", "--format", fmt, "--db", db]) == 0
        document = json.loads(capsys.readouterr().out)
        text = article.read_text(encoding="utf-8")
        if fmt == "json":
            [record] = document["annotations"]
            start, end = record["start"], record["end"]
        else:
            [item] = document["first"]["items"] if "first" in document else document["items"]
            [position] = [s for s in item["target"]["selector"] if s["type"] == "TextPositionSelector"]
            start, end = position["start"], position["end"]
        assert text[start:end] == "The mayor resigned."


def test_add_refuses_addresses_it_cannot_fetch(tmp_path, capsys):
    assert main(["add", "--library", str(tmp_path / "lib"), "ftp://example.org/story"]) == 1
    assert "only http:// and https:// addresses can be fetched" in capsys.readouterr().err


def test_analyze_all_without_a_library_says_what_to_do(tmp_path, capsys):
    assert main(["analyze", "--all", "--library", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "does not exist yet" in err and "margin add" in err


def test_add_refuses_files_the_library_would_not_list(tmp_path, capsys):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"x")
    assert main(["add", "--library", str(tmp_path / "lib"), str(pdf)]) == 1
    assert "not an article file" in capsys.readouterr().err


def test_help_names_every_command(capsys):
    from tui.cli import COMMANDS

    try:
        main(["--help"])
    except SystemExit:
        pass
    shown = " ".join(capsys.readouterr().out.split())
    assert [name for name in COMMANDS if f"margin {name}" not in shown] == []


def test_a_global_option_the_command_does_not_take_is_named(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(tmp_path / "db.json"), "add", str(SEED)])
    assert stop.value.code == 2
    assert "--db does not apply to `margin add`" in capsys.readouterr().err
    assert not (tmp_path / "db.json").exists()


def test_global_options_before_a_command_with_actions_reach_the_action(tmp_path, capsys):
    db = tmp_path / "db.json"
    assert main(["--db", str(db), "chart", "tags", "--width", "40"]) == 1  # reading: a --db that is not there
    assert "no database at" in capsys.readouterr().err and not db.exists()  # reached the action; nothing created
    AnnotationStore.open(db, explicit=True)
    assert main(["--db", str(db), "chart", "tags", "--width", "40"]) == 0
    assert "no tag yet" in capsys.readouterr().out
    assert main(["--db", str(db), "--debug", "feeds", "list"]) == 0
    capsys.readouterr()
    assert main(["--library", "feeds", "add", "ftp://example.invalid/feed"]) == 1  # a value-less --library first
    assert "only http:// and https://" in capsys.readouterr().err  # the address reached `feeds add`


def test_global_options_moved_to_the_action_are_the_actions():
    import argparse

    from tui.cli import _after_the_action

    parser = argparse.ArgumentParser()
    actions = parser.add_subparsers(dest="action")
    tags = actions.add_parser("tags")
    tags.add_argument("--db")
    parser.add_argument("--db")
    assert _after_the_action(parser, ["--db", "tags"], ["--db", "tags", "tags"]) == ["tags", "--db", "tags"]
    assert parser.parse_args(["tags", "--db", "x"]).db == "x"
