"""`margin quotes|speakers` with no readable article (an empty folder, a folder of unreadable
files, an empty library, a quote table of no article): as `margin analyze`, a one-line message on
stderr, nothing on stdout and exit status 1 — never an empty list with status 0."""

from __future__ import annotations

import pytest

from tui.cli import main

COMMANDS = [["quotes"], ["quotes", "--format", "csv"], ["quotes", "--same"], ["speakers"], ["speakers", "--format", "csv"]]


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", COMMANDS)
def test_an_empty_folder_is_an_error(tmp_path, capsys, command):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, *command, empty, "--model", "rules")
    assert (code, out, err) == (1, "", "margin: error: no readable article among the given paths\n")
    assert run(capsys, "analyze", empty)[::2] == (1, err)  # the same as `margin analyze`


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_of_unreadable_files_names_them_and_is_an_error(tmp_path, capsys, command):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "noise.txt").write_bytes(b"\x00\x01\x02\x03binary")
    code, out, err = run(capsys, *command, folder, "--no-analyse")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"margin: {folder / 'noise.txt'}: looks like a binary file, not text",
        "margin: error: no readable article among the given paths",
    ]


def test_an_empty_library_is_an_error(tmp_path, capsys, monkeypatch):
    library = tmp_path / "library"
    library.mkdir()
    monkeypatch.setenv("MARGIN_LIBRARY", str(library))
    for command in (["quotes"], ["speakers"]):
        code, out, err = run(capsys, *command)
        assert (code, out, err) == (1, "", f"margin: error: no readable article in your library {library}\n")


def test_a_quote_table_of_no_article_is_an_error(tmp_path, capsys):
    from distributed import Client

    empty, out = tmp_path / "empty", tmp_path / "tables"
    empty.mkdir()
    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as client:
        argv = ["analyze", empty, "--all", "--engine", "dask", "--scheduler", client.scheduler.address, "--quotes-out", out]
        assert run(capsys, *argv)[0] == 0
    for command in (["quotes"], ["speakers"]):
        code, stdout, err = run(capsys, *command, "--quotes-from", out)
        assert (code, stdout, err) == (1, "", f"margin: error: no article in the quote table {out}\n")
