"""Issue 10, "Nothing lost, round two": the import, export and command-line items (4 export part,
8, 9, 10, 13, 14, 15 import half, 16, 17, 18, 19, 22). Each test failed before its fix."""

from __future__ import annotations

import http.server
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import REPO

from tui.cli import main
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.store import AnnotationStore

ARTICLE = "A Title\n\nThe vote passed late on Tuesday. The mayor resigned on Wednesday morning.\n"
SECRET = "TOP-SECRET-CONTENT root:x:0:0 password hunter2\n"


def make_article(folder: Path, name: str = "story.txt", text: str = ARTICLE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def annotate(db: Path, path: Path, exact: str, **kw) -> Annotation:
    article = load_article(path)
    start = article.text.index(exact)
    annotation = Annotation.for_passage(article, start, start + len(exact), **kw)
    AnnotationStore.open(db, explicit=True).add(annotation)
    return annotation


def native_record(path: Path, text_hash: str = "", start: int = 0, text: str = "root", **over) -> dict:
    record = {
        "id": "evil1",
        "article": {"id": "0123456789abcdef", "title": "x", "path": str(path)},
        "text": text,
        "start": start,
        "end": start + len(text),
        "kind": "selection",
        "tags": ["t"],
        "note": "",
        "created": "2024-01-01T00:00:00Z",
        "updated": "2024-01-01T00:00:00Z",
        "context": {"prefix": "", "suffix": ""},
        "text_hash": text_hash,
        "orphan": False,
    }
    record.update(over)
    return record


def native_file(tmp_path: Path, records: list[dict], name: str = "import.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"format": "margin-annotations", "version": 1, "annotations": records}), encoding="utf-8")
    return path


# -- item 4: exports never replace a device, a FIFO or a symlink -----------------------------------
# A character device or FIFO named with -o is written into, as a shell redirection would (so
# `-o /dev/stdout` works), never replaced; a FIFO that no process reads is refused, not waited on.
@pytest.mark.parametrize(
    "kind, status, says", [("null", 0, "wrote 1 annotation"), ("full", 1, "the disk is full"), ("fifo", 1, "no process reads")]
)
def test_export_force_never_replaces_special_files(tmp_path, kind, status, says, capsys):
    db = tmp_path / "db.json"
    annotate(db, make_article(tmp_path / "arts"), "The mayor resigned on Wednesday morning.", tags=["t"])
    target = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(target)
    else:
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3 if kind == "null" else 7))
    capsys.readouterr()
    assert main(["export", "--db", str(db), "-o", str(target), "--force"]) == status
    err = capsys.readouterr().err
    assert says in err
    mode = os.lstat(target).st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode), "the special file was replaced"


def test_export_force_writes_through_a_symlink(tmp_path, capsys):
    db = tmp_path / "db.json"
    annotate(db, make_article(tmp_path / "arts"), "The mayor resigned on Wednesday morning.", tags=["t"])
    real = tmp_path / "real" / "out.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["export", "--db", str(db), "-o", str(link)]) == 1  # exists: --force needed
    assert main(["export", "--db", str(db), "-o", str(link), "--force"]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text(encoding="utf-8"))["annotations"][0]["tags"] == ["t"]
    assert not [p for p in real.parent.iterdir() if p.name != "out.json"]  # no temporary left
    # a dangling link: the export goes to where it points
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "real" / "new.json")
    assert main(["export", "--db", str(db), "-o", str(dangling)]) == 0
    assert dangling.is_symlink() and (tmp_path / "real" / "new.json").is_file()


# -- item 8: an import cannot make exports read arbitrary local files ---------------------------
def test_imported_annotation_on_an_unknown_file_does_not_leak_it_into_exports(tmp_path, capsys):
    secret = make_article(tmp_path / "private", "secret.txt", SECRET)
    db = tmp_path / "db.json"
    native = native_file(tmp_path, [native_record(secret, text="root", start=0)])
    w3c = tmp_path / "w3c.json"
    w3c.write_text(
        json.dumps(
            {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "Annotation",
                "id": "urn:x:1",
                "body": [{"type": "TextualBody", "value": "t", "purpose": "tagging"}],
                "target": {
                    "source": secret.as_uri(),
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": "root"},
                        {"type": "TextPositionSelector", "start": 0, "end": 4},
                    ],
                },
            }
        ),
        encoding="utf-8",
    )
    for source in (native, w3c):
        assert main(["import", str(source), "--db", str(db)]) == 0
        assert "not in your library" in capsys.readouterr().err
    for fmt in ("json", "jsonl", "w3c", "markdown", "csv"):
        assert main(["export", "--db", str(db), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "TOP-SECRET" not in out and "hunter2" not in out and "password" not in out, fmt
    stored = AnnotationStore.open(db, explicit=True).all()
    assert len(stored) == 2 and all(a.article_path == "" for a in stored)  # kept, but attached to no file


def test_import_attaches_to_articles_in_the_library_or_named(tmp_path, capsys):
    library = tmp_path / "data" / "library"
    in_library = make_article(library, "story.txt")
    elsewhere = make_article(tmp_path / "elsewhere", "other.txt")
    article = load_article(in_library)
    start = article.text.index("The mayor")
    db = tmp_path / "db.json"
    records = [
        native_record(in_library, article.text_hash, start, "The mayor", id="a1"),
        native_record(elsewhere, article.text_hash, start, "The mayor", id="a2"),
    ]
    source = native_file(tmp_path, records)
    assert main(["import", str(source), "--db", str(db), "--article", str(elsewhere)]) == 0
    paths = {a.id: a.article_path for a in AnnotationStore.open(db, explicit=True).all()}
    assert paths == {"a1": str(in_library), "a2": str(elsewhere)}


# -- item 9: argparse's messages go through the sanitiser -----------------------------------------
def test_argparse_errors_carry_no_raw_escape_sequences(tmp_path):
    evil = "x\x1b]0;pwned\x07\x1b[2J.json"
    for argv in (["export", evil], ["import", "f.json", evil], [evil, "--nosuch"], ["export", "--format", evil]):
        done = subprocess.run([sys.executable, "-m", "tui", *argv], cwd=REPO, capture_output=True, timeout=60)
        assert done.returncode == 2
        assert b"\x1b" not in done.stderr and b"\x07" not in done.stderr, argv
        assert "error" in done.stderr.decode()


# -- item 10: offsets past the end ------------------------------------------------------------------
def test_offsets_past_the_end_are_refused_at_import_and_never_crash_an_export(tmp_path, capsys):
    library = tmp_path / "data" / "library"
    path = make_article(library)
    article = load_article(path)
    db = tmp_path / "db.json"
    bad = native_file(tmp_path, [native_record(path, article.text_hash, 1_000_000, "The mayor")])
    assert main(["import", str(bad), "--db", str(db)]) == 1
    assert "past the end" in capsys.readouterr().err
    assert len(AnnotationStore.open(db, explicit=True)) == 0
    # a store that holds such offsets anyway (an older import): every export still works
    AnnotationStore.open(db, explicit=True).add(
        Annotation(
            article_id=article.id,
            article_title=article.title,
            article_path=str(path),
            start=1_000_000,
            end=1_000_009,
            text="The mayor",
            tags=["t"],
            text_hash=article.text_hash,
        )
    )
    for fmt in ("json", "jsonl", "w3c", "markdown", "csv"):
        assert main(["export", "--db", str(db), "--format", fmt]) == 0, fmt
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    [span] = json.loads(line)["spans"]
    assert article.text[span["start"] : span["end"]] == "The mayor"


# -- item 13: an overall deadline for a fetch -------------------------------------------------------
class _Drip(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            self.wfile.write(b"<html><body><p>")
            while not self.server.stopping:
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_add_gives_up_on_a_slow_drip_server(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.stopping = False
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/slow"
        done = subprocess.run(
            [sys.executable, "-m", "tui", "add", url, "--timeout", "1", "--library", str(tmp_path / "lib")],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.stopping = True
        server.shutdown()
        server.server_close()
    assert done.returncode == 1
    assert "timed out" in done.stderr


# -- item 14: non-regular files are not imported ----------------------------------------------------
def test_import_refuses_devices_and_fifos(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    zero = tmp_path / "zero"
    os.mknod(zero, 0o666 | stat.S_IFCHR, os.makedev(1, 5))
    for path in (fifo, zero):
        done = subprocess.run(
            [sys.executable, "-m", "tui", "import", str(path), "--db", str(tmp_path / "db.json")],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1
        assert "not a regular file" in done.stderr, done.stderr


def test_import_reads_with_a_size_limit(tmp_path, monkeypatch):
    from tui.core import importing

    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", 1000)
    path = native_file(tmp_path, [native_record(tmp_path / "x.txt", id=f"i{n}") for n in range(20)])
    with pytest.raises(importing.ImportFormatError, match="too large"):
        importing.read_import(path)


# -- item 15: everything the app can produce imports back -----------------------------------------
def test_every_export_of_a_database_made_through_the_store_imports_back(tmp_path, capsys):
    """Annotations at the app's limits (longest tag, most tags, longest note and passage), with
    control characters, tabs and commas, exported in each format `margin import` reads."""
    from tui.core import importing
    from tui.core.annotations import MAX_NOTE, MAX_TAG, MAX_TAGS, MAX_TEXT

    library = tmp_path / "data" / "library"
    long_text = ("Word " * MAX_TEXT)[: MAX_TEXT - 4] + "end."
    path = make_article(
        library, "story.txt", "A Title\n\nThe mayor resigned.\t\x1b[31m Smith, John said so.\n\n" + long_text + "\n"
    )
    db = tmp_path / "db.json"
    tag = "x" * importing.MAX_TAG_LEN
    assert importing.MAX_TAG_LEN == MAX_TAG  # one limit: the app's
    note = "tab\there\r\nand \x1b[2J"
    annotate(db, path, "The mayor resigned.", tags=[tag, "Smith, John"], note=note + "n" * (MAX_NOTE - len(note)))
    annotate(db, path, long_text, tags=[f"t{n}" for n in range(MAX_TAGS)], kind="quote", speaker="Smith, John")
    annotate(db, path, "\x1b[31m Smith", note="")
    before = sorted((a.to_record() for a in AnnotationStore.open(db, explicit=True).all()), key=lambda r: r["id"])
    for fmt in ("json", "w3c"):
        out = tmp_path / f"export.{fmt}"
        assert main(["export", "--db", str(db), "--format", fmt, "-o", str(out)]) == 0
        fresh = tmp_path / f"fresh-{fmt}.json"
        capsys.readouterr()
        assert main(["import", str(out), "--db", str(fresh)]) == 0, capsys.readouterr().err
        after = sorted((a.to_record() for a in AnnotationStore.open(fresh, explicit=True).all()), key=lambda r: r["id"])
        assert after == before, fmt


# -- item 16: global options before the sub-command; no terminal, no app --------------------------
def test_global_options_work_before_the_subcommand(tmp_path, capsys):
    db = tmp_path / "db.json"
    annotate(db, make_article(tmp_path / "arts"), "The mayor resigned on Wednesday morning.", tags=["t"])
    out = tmp_path / "out.json"
    assert main(["--db", str(db), "export", "-o", str(out)]) == 0
    assert main(["--db", str(db), "import", str(out)]) == 0
    assert main([f"--db={db}", "--debug", "export", "--format", "csv"]) == 0
    assert "The mayor resigned" in capsys.readouterr().out


def test_the_app_refuses_to_start_without_a_terminal(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    done = subprocess.run(
        [sys.executable, "-m", "tui", str(REPO / "sample_articles")],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "terminal" in done.stderr


# -- item 17: streamed import, paged collections ---------------------------------------------------
def test_an_export_larger_than_256_mib_imports(tmp_path):
    """A generated W3C export over 256 MiB (few records, long notes, so the test stays quick)."""
    big = tmp_path / "big.jsonld"
    note = "n" * 99_000
    count = 2800
    with big.open("w", encoding="utf-8") as handle:
        handle.write(
            '{"@context": ["http://www.w3.org/ns/anno.jsonld"], "type": "AnnotationCollection", '
            f'"total": {count}, "first": {{"type": "AnnotationPage", "items": ['
        )
        for n in range(count):
            handle.write(
                ("," if n else "")
                + json.dumps(
                    {
                        "id": f"urn:x:{n}",
                        "type": "Annotation",
                        "margin:articleId": f"abc{n % 50}",
                        "margin:orphan": True,
                        "body": [{"type": "TextualBody", "value": note, "purpose": "commenting"}],
                        "target": {
                            "source": "https://example.invalid/a",
                            "selector": [{"type": "TextQuoteSelector", "exact": "x"}],
                        },
                    }
                )
            )
        handle.write("]}}")
    assert big.stat().st_size > 256 * 2**20
    done = subprocess.run(
        [sys.executable, "-m", "tui", "import", str(big), "--db", str(tmp_path / "db.json")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert f"imported {count} new" in done.stderr
    big.unlink()
    assert len(AnnotationStore.open(tmp_path / "db.json", explicit=True)) == count


@pytest.mark.parametrize(
    "collection, says",
    [
        ({"first": "https://example.invalid/page1"}, "https://example.invalid/page1"),
        (
            {"first": {"type": "AnnotationPage", "items": [], "next": "https://example.invalid/page2"}},
            "https://example.invalid/page2",
        ),
    ],
)
def test_paged_w3c_collections_say_what_was_not_imported(tmp_path, collection, says, capsys):
    path = tmp_path / "paged.json"
    path.write_text(
        json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "total": 5, **collection}),
        encoding="utf-8",
    )
    assert main(["import", str(path), "--db", str(tmp_path / "db.json")]) == 1
    err = capsys.readouterr().err
    assert "not imported" in err and says in err


# -- item 18: an export filter that matches nothing -------------------------------------------------
def test_export_of_an_article_that_matches_nothing_says_so(tmp_path, capsys):
    db = tmp_path / "db.json"
    annotate(db, make_article(tmp_path / "arts"), "The mayor resigned on Wednesday morning.", tags=["t"])
    assert main(["export", "--db", str(db), "--article", "nosuch"]) == 1
    assert "no annotations" in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--tag", "nosuch"]) == 1
    assert main(["export", "--db", str(db), "--tag", "t"]) == 0


# -- item 19: files follow the user's umask ----------------------------------------------------------
def test_exported_and_added_files_follow_the_umask(tmp_path):
    db = tmp_path / "db.json"
    annotate(db, make_article(tmp_path / "arts"), "The mayor resigned on Wednesday morning.", tags=["t"])
    code = (
        "import os, sys; os.umask(0o027); from tui.cli import main; "
        f"sys.exit(main(['export', '--db', {str(db)!r}, '-o', {str(tmp_path / 'out.json')!r}]) or "
        f"main(['add', {str(tmp_path / 'arts' / 'story.txt')!r}, '--library', {str(tmp_path / 'lib')!r}]))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, capture_output=True, timeout=60)
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o640
    [added] = (tmp_path / "lib").glob("*.txt")
    assert stat.S_IMODE(added.stat().st_mode) == 0o640


# -- item 22: a BOM in an import file; a control character reference in HTML ----------------------
def test_an_import_file_with_a_utf8_bom_imports(tmp_path, capsys):
    path = native_file(tmp_path, [native_record(tmp_path / "x.txt", orphan=True)])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert main(["import", str(path), "--db", str(tmp_path / "db.json")]) == 0


def test_html_with_a_control_character_reference_is_read(tmp_path):
    from tui.core.article_formats import parse_html

    body = "Some long enough article text here. " * 20
    html = (
        f"<html><head><title>T</title></head><body><article><p>{body}&#27;[31m end &#x9b; &#7;.</p>"
        f"<p>{body}</p></article></body></html>"
    )
    parsed = parse_html(html)
    assert "end" in parsed.text
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in parsed.text)


def test_a_collection_holding_fewer_annotations_than_its_total_says_so(tmp_path, capsys):
    from tui.core.annotations import Annotation as A
    from tui.core.formats.w3c import export_w3c_document

    document = export_w3c_document([A(article_id="a", article_title="t", article_path="", start=0, end=1, text="x")])
    document["total"] = 3
    path = tmp_path / "short.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["import", str(path), "--db", str(tmp_path / "db.json")]) == 1
    err = capsys.readouterr().err
    assert "imported 1 new" in err and "not imported: 2 of the 3" in err


def test_exports_never_read_a_file_that_is_not_one_of_your_articles(tmp_path, capsys):
    """A store that already names such a file (an import made before imports were checked)."""
    secret = make_article(tmp_path / "etc", "shadow", SECRET)
    db = tmp_path / "db.json"
    AnnotationStore.open(db, explicit=True).add(
        Annotation(
            article_id="0123456789abcdef",
            article_title="x",
            article_path=str(secret),
            start=0,
            end=4,
            text="root",
            tags=["t"],
            text_hash="0" * 64,
        )
    )
    for fmt in ("json", "jsonl", "w3c", "markdown", "csv"):
        assert main(["export", "--db", str(db), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "TOP-SECRET" not in out and "hunter2" not in out and "password" not in out, fmt
