"""Bad input from the file system and the shell, outside the UI: file names that are not UTF-8,
arguments with such bytes, URLs that cannot be parsed, damaged encodings, impossible dates."""

from __future__ import annotations

import json
import os

import pytest

from tui.cli import main
from tui.core.library import LibraryIndex

ARTICLE = 'Cafe owner speaks\n\nJane Doe said, "We will never close the doors of this place."\n'


def bad_name(folder, stem: bytes = b"caf\xe9") -> str:
    """A path in `folder` whose file name is not UTF-8 (as os gives it: with a surrogate escape)."""
    return os.path.join(str(folder), os.fsdecode(stem + b".txt"))


def is_valid_text(text: str) -> bool:
    """Whether `text` can be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- 1. file names and arguments that are not UTF-8 -------------------------------------------------
def test_a_file_name_that_is_not_utf8_goes_through_the_index_and_back(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    path = bad_name(folder)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(ARTICLE)
    with open(bad_name(folder, b"empty\xff"), "wb"):
        pass
    index = LibraryIndex([folder], cache=tmp_path / "cache")
    assert index.refresh() == (2, 0)
    again = LibraryIndex([folder], cache=tmp_path / "cache")
    assert {e.path for e in again.load()} == {path, bad_name(folder, b"empty\xff")}
    assert again.refresh() == (0, 0)  # the same paths: nothing re-parsed
    [article] = again.articles()
    assert article.title == "Cafe owner speaks"
    [broken] = [e for e in again.entries.values() if e.error]
    assert is_valid_text(broken.title) and is_valid_text(broken.error or "")


def test_add_such_a_file_then_the_library_and_quotes_work(tmp_path, capsys):
    source = tmp_path / "src"
    source.mkdir()
    path = bad_name(source)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(ARTICLE)
    library = tmp_path / "library"
    code, out, err = run(capsys, "add", "--library", str(library), path)
    assert code == 0 and "1 article(s) added" in out and is_valid_text(out)
    code, out, err = run(capsys, "quotes", "--library", str(library), "--model", "rules", "--format", "csv")
    assert code == 0 and "Jane Doe" in out and is_valid_text(out)
    assert [e.title for e in LibraryIndex([library]).load()] == ["Cafe owner speaks"]


@pytest.mark.parametrize("option", ["--tag", "--note", "--speaker", "--exact"])
def test_annotate_refuses_an_argument_that_is_not_utf8(tmp_path, capsys, option):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    argv = {"--tag": ["--tag"], "--note": ["--tag", "x", "--note"], "--speaker": ["--tag", "x", "--kind", "quote", "--speaker"]}
    args = (
        ["annotate", str(path), "--exact", "Jane Doe"] + argv.get(option, ["--tag", "x", "--exact"]) + [os.fsdecode(b"bad\xff")]
    )
    code, out, err = run(capsys, *args)
    assert code != 0 and f"{option} is not valid text" in err and "Error" not in err


def test_annotations_of_a_file_whose_name_is_not_utf8_are_saved_and_exported(tmp_path, capsys):
    path = bad_name(tmp_path)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(ARTICLE)
    db = str(tmp_path / "db.json")
    code, out, err = run(capsys, "annotate", path, "--exact", "Jane Doe", "--tag", "x", "--db", db)
    assert code == 0, err
    code, out, err = run(capsys, "export", "--db", db)
    assert code == 0, err
    [record] = json.loads(out)["annotations"]
    assert record["tags"] == ["x"] and json.loads(out)["annotations"][0]["article"]["path"] == path  # the same file
    for fmt in ("markdown", "csv", "w3c", "jsonl"):  # to a file: every format writes
        target = tmp_path / f"out.{fmt}"
        code, out, err = run(capsys, "export", "--db", db, "--format", fmt, "-o", str(target))
        assert code == 0 and target.stat().st_size > 0, (fmt, err)


# -- 2. URLs that Python's parser refuses -------------------------------------------------------------
def test_add_reports_a_url_that_cannot_be_parsed_and_adds_the_rest(tmp_path, capsys):
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("Harbour report\n\nThe harbour opened on Monday.\n", encoding="utf-8")
    second.write_text("Market news\n\nPrices at the market rose.\n", encoding="utf-8")
    library = tmp_path / "library"
    code, out, err = run(capsys, "add", "--library", str(library), str(first), "http://[::1", str(second))
    assert code == 1
    assert "http://[::1: not a valid URL" in err and "ValueError" not in err
    assert "2 article(s) added" in out and "1 could not be added" in out
    assert sorted(p.name for p in library.iterdir()) == ["first.txt", "second.txt"]


def test_feeds_add_reports_a_url_that_cannot_be_parsed(capsys):
    code, out, err = run(capsys, "feeds", "add", "http://[::1")
    assert code != 0 and "http://[::1: not a valid URL" in err and "ValueError" not in err


# -- 3. UTF-8 with a bad byte or two -----------------------------------------------------------------
def test_utf8_with_a_cut_character_is_read_as_utf8_and_says_so(tmp_path):
    from tui.core.articles import load_article

    path = tmp_path / "cut.txt"
    body = "Café owner speaks\n\n“We will never close,” said José Núñez of Zürich. Ça va."
    path.write_bytes(body.encode() + "é".encode()[:1])
    article = load_article(path)
    assert article.title == "Café owner speaks" and article.text == body + "\ufffd"
    assert article.notices == ("the file is UTF-8 but for 1 invalid byte sequence(s), shown as \ufffd",)


@pytest.mark.parametrize("codec", ["cp1252", "latin_1"])
def test_a_legacy_file_is_still_read_in_its_encoding(tmp_path, codec):
    from tui.core.articles import load_article

    path = tmp_path / "legacy.txt"
    body = "Café owner speaks\n\nJosé Núñez of Zürich said the café will stay open. Ça va, señor."
    path.write_bytes(body.encode(codec))
    article = load_article(path)
    assert article.text == body and article.notices == ()


def test_annotate_says_when_bad_bytes_were_replaced(tmp_path, capsys):
    path = tmp_path / "cut.txt"
    path.write_bytes("Café owner speaks\n\nJosé Núñez of Zürich spoke.".encode() + b"\xc3")
    code, out, err = run(capsys, "annotate", str(path), "--exact", "Núñez", "--tag", "x")
    assert code == 0 and "invalid byte sequence(s)" in err


# -- 4. impossible dates in a dateline ---------------------------------------------------------------
@pytest.mark.parametrize("line", ["date 9999-99-99 x", "date 2020-02-30", "Date: 2021-13-01 London"])
def test_an_impossible_dateline_date_is_no_date(tmp_path, line):
    from tui.core.articles import load_article

    path = tmp_path / "dated.txt"
    path.write_text(f"{line}\n\nThe council met on Monday.\n", encoding="utf-8")
    assert load_article(path).date is None
    path.write_text("date 2020-02-29 London\n\nThe council met on Monday.\n", encoding="utf-8")
    assert load_article(path).date == "2020-02-29"  # a real date is kept


# -- 5. messages about odd files ------------------------------------------------------------------------
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(tmp_path, codec):
    from tui.core.articles import load_article

    path = tmp_path / "wide.txt"
    path.write_bytes("Harbour report\n\nThe harbour opened on Monday, said José.\n".encode(codec))
    article = load_article(path)
    assert article.title == "Harbour report" and "José" in article.text
    assert article.notices == (f"read as {codec.upper()} (the file has no byte-order mark)",)


def test_a_stray_nul_is_named_and_a_binary_file_still_refused(tmp_path):
    from tui.core.articles import ArticleError, load_article

    path = tmp_path / "nul.txt"
    path.write_bytes(b"Harbour report\n\nThe harbour\x00 opened on Monday.\n")
    with pytest.raises(ArticleError, match=r"text with 1 NUL byte\(s\) in it \(the first at byte 27\): remove them"):
        load_article(path)
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")  # many NULs: a binary file
    with pytest.raises(ArticleError, match="looks like a binary file, not text"):
        load_article(path)
    path.write_bytes(b"\x00\x01binary")  # few control bytes, but in next to no text: binary too
    with pytest.raises(ArticleError, match="looks like a binary file, not text"):
        load_article(path)


def test_a_nul_past_the_first_8_kib_is_replaced_and_said(tmp_path):
    from tui.core.articles import load_article

    path = tmp_path / "late.txt"
    path.write_bytes(b"Harbour report\n\n" + b"The harbour opened. " * 500 + b"\x00 End.\n")
    article = load_article(path)
    assert article.text.endswith("\ufffd End.\n")
    assert article.notices == ("1 NUL byte(s) in the file are shown as \ufffd",)


def test_a_file_of_blank_space_says_so(tmp_path):
    from tui.core.articles import ArticleError, load_article

    path = tmp_path / "blank.txt"
    path.write_text("  \n\t\n\n", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"has no text \(only blank space\)"):
        load_article(path)


def test_too_large_says_one_unit(tmp_path, monkeypatch):
    from tui.core import articles
    from tui.core.articles import ArticleError, load_article

    monkeypatch.setattr(articles, "MAX_ARTICLE_BYTES", 1024 * 1024)
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 220_000)  # 1.05 MiB
    with pytest.raises(ArticleError, match=r"too large \(1\.1 MiB; Margin opens articles up to 1 MiB\)"):
        load_article(path)


def test_an_unclosed_front_matter_block_is_not_the_title(tmp_path):
    from tui.core.articles import load_article

    path = tmp_path / "open.md"
    path.write_text("---\ntitle: Harbour report\n\nThe harbour opened on Monday.\n", encoding="utf-8")
    article = load_article(path)
    assert article.title != "---" and "Harbour report" in article.title


def test_analyze_says_when_bad_bytes_of_a_utf8_file_were_replaced(tmp_path, capsys):
    path = tmp_path / "cut.txt"
    path.write_bytes("Café owner speaks\n\nJosé Núñez opened the café.\n".encode("utf-8") + "é".encode("utf-8")[:1])
    code, out, err = run(capsys, "analyze", str(path), "--model", "rules")
    assert code == 0 and "cut.txt: the file is UTF-8 but for 1 invalid byte sequence(s)" in err
