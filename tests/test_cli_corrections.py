"""`margin speakers` and `margin quotes` apply the user's speaker corrections as the People view
does (fake analyses): a corrected quote moves to its person with speaker_source "user", "not a
quote" disappears, and the commands never write to the store."""

from __future__ import annotations

import json
import os

from test_people_cli import fake, folder, run  # noqa: F401  (fixtures)
from test_people_ui import FakeAnalyzer

from tui.core.articles import load_article
from tui.core.corrections import correct_speaker, mark_not_a_quote
from tui.core.store import AnnotationStore


def decide(where, name: str, quote_text: str, speaker: str | None, db=None):
    """Correct (or, with speaker None, mark as not a quote) one quote through the core API."""
    store = AnnotationStore.open(db or os.environ["MARGIN_DB"], explicit=True)
    article = load_article(where / name)
    quote = next(q for q in FakeAnalyzer._analyse(article.text).quotes if q.text == quote_text)
    if speaker is None:
        mark_not_a_quote(store, article, quote)
    else:
        correct_speaker(store, article, quote, speaker)


def records(db) -> dict:
    """The database's record files (the main file and its per-article files; not the lock or the
    store's own read caches, dot files) with their bytes and modification times."""
    found = [db] + [p for p in db.with_name(db.name + ".d").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(found) > 1
    return {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in found}


def people_of(out: str) -> dict:
    return {p["name"]: p for p in json.loads(out)["people"]}


def test_a_correction_moves_the_quote_in_quotes_and_speakers(folder, fake, capsys):  # noqa: F811
    code, out, _ = run(capsys, "speakers", str(folder))
    before = people_of(out)
    assert before["Orla Fenwick"]["quotes"] == 3 and before["Ansel Traske"]["quotes"] == 1
    decide(folder, "a1.md", "Nobody will lose their job,", "Ansel Traske")
    code, out, _ = run(capsys, "speakers", str(folder))
    after = people_of(out)
    assert code == 0
    assert after["Orla Fenwick"]["quotes"] == 2 and after["Ansel Traske"]["quotes"] == 2
    assert after["Ansel Traske"]["articles"] == 2
    code, out, _ = run(capsys, "quotes", str(folder))
    quotes = {q["text"]: q for q in json.loads(out)["quotes"]}
    moved = quotes["Nobody will lose their job,"]
    assert (moved["person"], moved["speaker_canonical"], moved["speaker_source"]) == ("Ansel Traske", "Ansel Traske", "user")
    assert quotes["Ships will come back,"]["speaker_source"] == "model"
    code, out, _ = run(capsys, "quotes", str(folder), "--speaker", "ansel traske", "--format", "jsonl")
    assert sorted(json.loads(line)["text"] for line in out.splitlines()) == [
        "Nobody will lose their job,",
        "Ships will come back,",
    ]


def test_not_a_quote_disappears(folder, fake, capsys):  # noqa: F811
    decide(folder, "a2.md", "We are done here,", None)
    code, out, _ = run(capsys, "speakers", str(folder))
    assert code == 0 and "a senior official" not in people_of(out)
    code, out, _ = run(capsys, "quotes", str(folder), "--format", "jsonl")
    texts = [json.loads(line)["text"] for line in out.splitlines()]
    assert len(texts) == 4 and "We are done here," not in texts


def test_db_option_names_the_store_and_nothing_is_written(folder, fake, capsys, tmp_path):  # noqa: F811
    other = tmp_path / "other" / "ann.json"
    decide(folder, "a3.md", "Ships will come back,", "Orla Fenwick", db=other)
    code, out, _ = run(capsys, "speakers", str(folder))  # the default store has no corrections
    assert code == 0 and people_of(out)["Ansel Traske"]["quotes"] == 1
    assert not os.path.exists(os.environ["MARGIN_DB"])  # a missing default store is not created
    files = records(other)
    code, out, _ = run(capsys, "speakers", str(folder), "--db", str(other))
    assert code == 0 and "Ansel Traske" not in people_of(out) and people_of(out)["Orla Fenwick"]["quotes"] == 4
    assert records(other) == files  # the store's records: not rewritten
    code, _, err = run(capsys, "speakers", str(folder), "--db", str(tmp_path / "nowhere.json"))
    assert code == 1 and "no such annotations database" in err and "Traceback" not in err


def test_corrections_apply_to_a_quote_table_too(folder, fake, capsys, tmp_path):  # noqa: F811
    from helpers import write_quote_table

    table = write_quote_table(folder, tmp_path / "table", FakeAnalyzer._analyse)
    decide(folder, "a1.md", "Nobody will lose their job,", "Ansel Traske")
    decide(folder, "a2.md", "We are done here,", None)
    code, out, _ = run(capsys, "speakers", "--quotes-from", str(table))
    people = people_of(out)
    assert code == 0 and people["Ansel Traske"]["quotes"] == 2 and "a senior official" not in people
    code, out, _ = run(capsys, "quotes", "--quotes-from", str(table), "--speaker", "Ansel Traske")
    moved = next(q for q in json.loads(out)["quotes"] if q["text"] == "Nobody will lose their job,")
    assert (moved["person"], moved["speaker_source"]) == ("Ansel Traske", "user")
