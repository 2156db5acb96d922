"""A file name that is not UTF-8 in what `margin quotes` and `margin analyze` print: JSON keeps the
exact path (a \\udcNN escape, as `margin export` writes it), CSV and text show each bad byte as
\\xNN; the output is valid UTF-8 and nothing crashes. Invented article text only."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from tui.cli import main
from tui.commands.common import json_text, shown_path

ARTICLE = "Cafe owner speaks\n\n“We will never close the doors of this place,” said Jane Doe on Sunday.\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    out.encode("utf-8")  # valid UTF-8 (a lone surrogate raises here)
    return code, out, err


@pytest.fixture
def cafe(tmp_path):
    """A folder holding one article whose file name has a byte that is not UTF-8 (caf\\xe9.txt)."""
    folder = tmp_path / "arts"
    folder.mkdir()
    path = os.path.join(str(folder), os.fsdecode(b"caf\xe9.txt"))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(ARTICLE)
    return folder, path


def test_quotes_json_and_jsonl_keep_the_exact_path(cafe, capsys):
    folder, path = cafe
    code, out, err = run(capsys, "quotes", str(folder), "--model", "rules")
    assert code == 0, err
    [quote] = json.loads(out)["quotes"]
    assert quote["article"]["path"] == path and os.fsencode(quote["article"]["path"]).endswith(b"/caf\xe9.txt")
    assert "caf\\udce9.txt" in out  # the escape `margin export` writes too
    code, out, err = run(capsys, "quotes", str(folder), "--model", "rules", "--format", "jsonl")
    assert code == 0 and json.loads(out)["article"]["path"] == path


def test_quotes_csv_shows_the_bad_byte_escaped(cafe, capsys):
    folder, path = cafe
    code, out, err = run(capsys, "quotes", str(folder), "--model", "rules", "--format", "csv")
    assert code == 0, err
    [header, row] = list(csv.reader(io.StringIO(out)))
    assert row[header.index("path")] == str(folder) + "/caf\\xe9.txt"


def test_analyze_prints_such_a_path_in_json_and_text(cafe, capsys):
    folder, path = cafe
    code, out, err = run(capsys, "analyze", path, "--model", "rules")
    assert code == 0, err
    assert json.loads(out)["articles"][0]["article"]["path"] == path
    code, out, err = run(capsys, "analyze", path, "--model", "rules", "--format", "text")
    assert code == 0 and out.startswith(f"# Cafe owner speaks  ({folder}/caf\\xe9.txt)")


def test_shown_path_is_unambiguous():
    bad = os.fsdecode(b"/a/caf\xe9.txt")
    assert shown_path(bad) == "/a/caf\\xe9.txt"
    assert shown_path("/a/caf\\xe9.txt") == "/a/caf\\\\xe9.txt"  # a name that is written so is told apart
    assert shown_path("/a/café «x».txt") == "/a/café «x».txt"


def test_json_text_escapes_only_what_utf8_cannot_hold():
    bad = os.fsdecode(b"/a/caf\xe9.txt")
    text = json_text({"path": bad, "name": "José \x85"})
    assert text == '{"path": "/a/caf\\udce9.txt", "name": "José \\u0085"}'
    assert json.loads(text) == {"path": bad, "name": "José \x85"}
