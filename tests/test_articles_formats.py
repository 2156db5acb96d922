"""Reading articles: encodings, newlines, Markdown front matter, HTML, and files that cannot be read."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from tui.core import articles as articles_mod
from tui.core.article_formats import parse_date, split_front_matter
from tui.core.articles import ArticleError, load_article
from tui.core.folders import discover, load_articles

BODY = (
    "Council approves the new bridge\n\n"
    "The city council voted on Tuesday to approve a new bridge across the river, ending a debate "
    "that lasted more than a decade. “We have waited long enough,” said the mayor, Ana Pérez.\n"
)


def write(path, data: bytes):
    path.write_bytes(data)
    return path


# -- encodings and newlines -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(BODY.encode("utf-8"), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + BODY.encode("utf-8"), id="utf-8-bom"),
        pytest.param(b"\xff\xfe" + BODY.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(b"\xfe\xff" + BODY.encode("utf-16-be"), id="utf-16-be-bom"),
    ],
)
def test_unicode_encodings_decode_to_the_same_text(tmp_path, encoded):
    article = load_article(write(tmp_path / "a.txt", encoded))
    assert article.text == BODY
    assert article.title == "Council approves the new bridge"
    assert article.title_span == (0, len("Council approves the new bridge"))
    assert "\ufeff" not in article.text


def test_legacy_8bit_encoding_is_detected(tmp_path):
    text = (
        "Café owners protest\n\n"
        "Les propriétaires de cafés se sont réunis devant la mairie pour protester contre la hausse "
        "des loyers. « Nous ne pouvons plus payer », a déclaré Hélène, qui tient un café près de la gare "
        "depuis vingt ans. Les élus ont promis une réponse rapide à leurs préoccupations.\n"
    )
    article = load_article(write(tmp_path / "legacy.txt", text.encode("cp1252")))
    assert article.text == text


def test_a_western_legacy_file_is_not_read_as_central_european(tmp_path):
    text = (
        "Harbour plan approved\n\n"
        + "The mayor, José Núñez, said the old plan was naïve. " * 3
        + "At the Café crème the owners were très happy, said the señor. " * 2
        + "The council voted on Monday to approve the budget for the harbour and the schools. " * 20
        + "\n"
    )
    assert load_article(write(tmp_path / "cp1252.txt", text.encode("cp1252"))).text == text  # not "Núńez", "naďve"


def test_a_central_european_legacy_file_stays_central_european(tmp_path):
    text = "Zażółć gęślą jaźń\n\n" + "Vláda řekla, že škola bude otevřena. Příliš žluťoučký kůň úpěl ďábelské ódy. " * 5 + "\n"
    assert load_article(write(tmp_path / "cp1250.txt", text.encode("cp1250"))).text == text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_are_normalised_and_offsets_index_the_normalised_text(tmp_path, newline):
    article = load_article(write(tmp_path / "nl.txt", BODY.replace("\n", newline).encode("utf-8")))
    assert article.text == BODY
    assert "\r" not in article.text
    start = article.text.index("“We have")
    assert article.text[start : start + 8] == "“We have"
    same_as_lf = load_article(write(tmp_path / "lf.txt", BODY.encode("utf-8")))
    assert article.id == same_as_lf.id


def test_seed_style_date_line_gives_the_date_and_a_caption(tmp_path):
    text = "date 2020-11-12 Washington, DC\n\nThe State Department said on Tuesday that it was ready.\n"
    article = load_article(write(tmp_path / "d.txt", text.encode()))
    assert article.date == "2020-11-12" and article.date_from_file
    assert article.caption_span == (0, len("date 2020-11-12 Washington, DC"))
    assert article.title == "The State Department said on Tuesday that it was ready"
    assert article.source is None and article.format == "text"


def test_without_a_date_in_the_file_there_is_no_date(tmp_path):
    """The file's modification time (the day it was copied or cloned) is not the story's date."""
    path = write(tmp_path / "n.txt", BODY.encode())
    os.utime(path, (1_500_000_000, 1_500_000_000))  # 2017-07-14
    article = load_article(path)
    assert article.date is None
    assert article.date_from_file is False


# -- Markdown -------------------------------------------------------------------------------------
def test_markdown_front_matter_is_honoured_and_removed_from_the_text(tmp_path):
    md = (
        "---\n"
        'title: "Bridge vote: the council decides"\n'
        "date: 2023-04-05T09:30:00Z\n"
        "author:\n"
        "  - Jane Roe\n"
        "  - John Doe\n"
        "url: https://www.example.org/news/bridge\n"
        "tags: [a, b]\n"
        "---\n\n"
        "# Bridge vote\n\n"
        "The council *voted* on Tuesday.\n"
    )
    article = load_article(write(tmp_path / "a.md", md.encode()))
    assert article.title == "Bridge vote: the council decides"
    assert article.date == "2023-04-05" and article.date_from_file
    assert article.author == "Jane Roe, John Doe"
    assert article.url == "https://www.example.org/news/bridge"
    assert article.source == "example.org"  # no source/site key: the URL's host
    assert article.text == "# Bridge vote\n\nThe council *voted* on Tuesday.\n"
    assert article.text[slice(*article.title_span)] == "# Bridge vote"
    assert article.format == "markdown"


def test_markdown_source_key_and_heading_title_without_front_matter(tmp_path):
    with_source = load_article(write(tmp_path / "s.md", b"---\nsource: Daily Bugle\ndate: March 5, 2024\n---\nText of it.\n"))
    assert with_source.source == "Daily Bugle"
    assert with_source.date == "2024-03-05"
    plain = load_article(write(tmp_path / "h.md", b"## Storm hits coast\n\nWinds reached 120 km/h.\n"))
    assert plain.title == "Storm hits coast"
    assert plain.title_span == (0, len("## Storm hits coast"))


def test_front_matter_parser_edge_cases():
    assert split_front_matter("no front matter\n") == ({}, 0)
    assert split_front_matter("---\ntitle: unterminated\n") == ({}, 0)
    meta, start = split_front_matter("---\ntitle: 'It''s here' # comment\nsite: x # note\n---\nbody")
    assert meta == {"title": "It's here", "site": "x"}
    assert start == len("---\ntitle: 'It''s here' # comment\nsite: x # note\n---\n")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-3-5", "2024-03-05"),
        ("5 March 2024", "2024-03-05"),
        ("Tue, 05 Mar 2024 10:00:00 +0000", "2024-03-05"),
        ("2024-02-30", None),
        ("someday", None),
        ("", None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


# -- HTML -----------------------------------------------------------------------------------------
PAGE = """<html><head><meta charset="{charset}"><title>Café reopens | Example Gazette</title>
<meta property="og:site_name" content="Example Gazette"><meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><nav>Home · Sport · Weather</nav><article><h1>Café reopens</h1>
<p>The café on Main Street reopened on Tuesday after months of repairs to its roof and kitchen.</p>
<p>“We are delighted to be back,” the owner told the small crowd that had gathered outside.</p>
</article><footer>Copyright Example Gazette</footer></body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "windows-1252"])
def test_html_main_text_and_metadata(tmp_path, charset):
    path = write(tmp_path / "page.html", PAGE.format(charset=charset).encode(charset))
    article = load_article(path)
    assert article.title == "Café reopens"
    assert article.source == "Example Gazette"
    assert article.author == "Jane Roe"
    assert article.date == "2024-03-05" and article.date_from_file
    assert article.text.startswith("Café reopens\n\nThe café on Main Street reopened")
    assert article.text[slice(*article.title_span)] == "Café reopens"
    assert "Home · Sport" not in article.text and "Copyright" not in article.text
    assert "\n\n“We are delighted to be back,” the owner" in article.text
    assert article.format == "html"


def test_html_without_article_text_is_a_one_line_error(tmp_path):
    path = write(tmp_path / "blank.htm", b"<html><head><title>x</title></head><body></body></html>")
    with pytest.raises(ArticleError, match=r"blank\.htm: no article text"):
        load_article(path)


# -- files that cannot be read --------------------------------------------------------------------
def test_unreadable_inputs_give_one_line_messages_and_the_rest_loads(tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    folder.mkdir()
    write(folder / "good.txt", BODY.encode())
    write(folder / "empty.txt", b"")
    write(folder / "blank.md", b"   \n\n")
    write(folder / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" + bytes(range(256)))
    write(folder / "huge.txt", b"word " * 300)
    monkeypatch.setattr(articles_mod, "MAX_ARTICLE_BYTES", 1000)
    loaded, problems = load_articles([folder, tmp_path / "missing.txt"])
    assert [a.path.name for a in loaded] == ["good.txt"]
    reasons = {p.split(": ", 1)[0].rsplit("/", 1)[-1]: p.split(": ", 1)[1] for p in problems}
    assert reasons["empty.txt"] == "the file is empty"
    assert reasons["blank.md"] == "the file has no text (only blank space)"
    assert reasons["binary.txt"] == "looks like a binary file, not text"
    assert reasons["huge.txt"].startswith("too large")
    assert reasons["missing.txt"] == "no such file or folder"
    assert all("\n" not in p for p in problems)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_an_article_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = {}
    thread = threading.Thread(target=lambda: result.update(r=load_articles([fifo])), daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "reading a FIFO blocked"
    loaded, problems = result["r"]
    assert loaded == [] and problems == [f"{fifo}: not a regular file"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlink_loops_do_not_hang_discovery(tmp_path):
    folder = tmp_path / "lib"
    (folder / "sub").mkdir(parents=True)
    write(folder / "sub" / "a.txt", BODY.encode())
    os.symlink(folder, folder / "sub" / "loop")  # a folder loop
    os.symlink(folder / "self.txt", folder / "self.txt")  # a file loop
    files, problems = discover([folder])
    assert [f.name for f in files] == ["a.txt"]  # the looping link is named as a problem, not listed
    assert len(problems) == 1 and "self.txt" in problems[0]
    loaded, problems = load_articles([folder])
    assert [a.path.name for a in loaded] == ["a.txt"]
    assert len(problems) == 1 and "self.txt" in problems[0]


def test_short_western_files_in_cp1252_read_right_and_other_alphabets_still_do(tmp_path):
    """A short cp1252 file was left to the detector, which read "Naïve résumé" as Baltic
    ("Na’ve rķsumķ") and "José Martí" as Arabic forms; Cyrillic and Greek legacy files still read
    in their own encodings."""
    from tui.core.articles import load_article

    cases = [
        ("Naïve résumé\n\nShe said the résumé was naïve.\n", "cp1252"),
        ("José Martí\n\nA poet.\n", "cp1252"),
        ("Café é\n\nOpen late.\n", "cp1252"),
        ("São Paulo\n\nA cidade é ótima, não é? “Sim”, disse ela — às vezes.\n", "cp1252"),
        ("Müller\n\nEr sagte: „Wir sind bereit.“ Die Straße ist zu.\n", "cp1252"),
        ("Новости дня\n\nПравительство объявило о новых мерах поддержки.\n", "cp1251"),
        ("Ειδήσεις\n\nΗ κυβέρνηση ανακοίνωσε νέα μέτρα στήριξης σήμερα.\n", "cp1253"),
    ]
    for n, (text, encoding) in enumerate(cases):
        path = tmp_path / f"article-{n}.txt"
        path.write_bytes(text.encode(encoding))
        article = load_article(path)
        assert article.text.strip() == text.strip(), (encoding, article.text)
