"""Import keeps the user's speaker decisions (`speaker_source` "user" restores a speaker
correction), Markdown shows every character of the text as it is, and the export dialog never
writes an empty export (nor proposes "all" while the library is filtered)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from helpers import make_app, open_article, wait_until
from markdown_it import MarkdownIt

from tui.cli import main
from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.corrections import (
    USER_CONFIRMED,
    USER_METHODS,
    all_corrections,
    correct_speaker,
    corrected_analysis,
    corrections_for,
    mark_not_a_quote,
)
from tui.core.export import export_annotations
from tui.core.importing import ImportFormatError, parse_import, read_import_file
from tui.core.store import AnnotationStore
from tui.ui.screens.reader import ReaderScreen
from tui.ui.widgets.reader_status import ReaderStatus

SIZE = (120, 40)

# Invented articles (no sample article's sentences).
HARBOUR = (
    "Harbour board weighs the ferry timetable\n\n"
    "The harbour board of Port Elwin met on Tuesday to discuss the winter ferry timetable.\n\n"
    '"The ferries will sail again in May, once the new pier is finished," said Dana Whitlock, the board\'s chair.\n\n'
    "Residents of the outer islands were not convinced by the plan.\n\n"
    '"We have heard promises like this every spring for ten years," said Tomas Berg, who runs the island shop.\n'
)
FERRIES = "The ferries will sail again in May"
PROMISES = "We have heard promises like this"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


async def to_quote(pilot, reader: ReaderScreen, words: str):
    """From the top, `]` until the cursor is on the quote holding `words`; that quote."""
    await pilot.press("g")
    for _ in range(40):
        quote = reader.quote_here()
        if quote is not None and words in quote.text:
            return quote
        await pilot.press("right_square_bracket")
    raise AssertionError(f"no quote with {words!r}")


def exported(db: Path, capsys, fmt: str = "json") -> str:
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", fmt]) == 0
    return capsys.readouterr().out


def sources(db: Path, capsys) -> dict[str, tuple[str | None, str | None]]:
    """FERRIES / PROMISES (the quote's first words) -> the exported (speaker, speaker_source)."""
    doc = json.loads(exported(db, capsys))
    return {first_words(a["text"]): (a["speaker"], a["speaker_source"]) for a in doc["annotations"]}


def first_words(text: str) -> str:
    return next((words for words in (FERRIES, PROMISES) if text.startswith(words)), text)


# -- 1: importing an export keeps the user's speaker decisions ---------------------------------
async def test_speaker_decisions_made_in_the_reader_survive_export_and_import(tmp_path, shared_analyzer, capsys):
    folder = tmp_path / "articles"
    path = write(folder, "harbour.txt", HARBOUR)
    first, other, third = tmp_path / "first.json", tmp_path / "other" / "annotations.json", tmp_path / "third.json"
    app = make_app([folder], first, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        await to_quote(pilot, reader, FERRIES)
        await pilot.press("c")
        await wait_until(pilot, lambda: app.screen is not reader, what="the speaker dialog")
        await pilot.press(*"Jane Roe", "enter")
        await wait_until(pilot, lambda: app.screen is reader and reader.quote_here().speaker.canonical == "Jane Roe")
        await pilot.press("1")  # a tag: the quote becomes an annotation of kind quote
        await to_quote(pilot, reader, PROMISES)
        await pilot.press("C")
        await wait_until(pilot, lambda: reader.quote_here().speaker.method == USER_CONFIRMED, what="confirmed")
        confirmed = reader.quote_here().speaker.canonical
        await pilot.press("1")
        await wait_until(pilot, lambda: len(reader.annotations) == 2, what="two annotations")
    before = sources(first, capsys)
    assert before == {FERRIES: ("Jane Roe", "user"), PROMISES: (confirmed, "user")}
    out = tmp_path / "out.json"
    assert main(["export", "--db", str(first), "-o", str(out)]) == 0

    assert main(["import", str(out), "--db", str(other), "--article", str(folder)]) == 0
    err = capsys.readouterr().err
    assert sources(other, capsys) == before  # "user" again, never "model"
    assert 'imported 2 speaker decision(s) of yours (quotes whose speaker_source is "user")' in err
    markdown = exported(other, capsys, "markdown")
    assert markdown.count("(speaker checked by you)") == 2 and "— Jane Roe (speaker checked by you)" in markdown
    store = AnnotationStore.open(other, explicit=True)
    assert sorted(c.speaker or "" for c in all_corrections(store)) == sorted(["Jane Roe", confirmed])

    token = store.version()  # the same file again: nothing changes, no second correction
    assert main(["import", str(out), "--db", str(other), "--article", str(folder)]) == 0
    assert "imported 0 speaker decision(s) of yours" in capsys.readouterr().err
    assert not store.changed_since(token) and len(all_corrections(store)) == 2

    # A database that decided otherwise on the same quote keeps its own decision, and says so.
    mine = AnnotationStore.open(third, explicit=True)
    article = load_article(path)
    quote = next(q for q in shared_analyzer.analyze(article.text).quotes if FERRIES in q.text)
    correct_speaker(mine, article, quote, "Mary Poe")
    assert main(["import", str(out), "--db", str(third), "--article", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "1 speaker decision(s) kept as stored, not as in the file" in err
    assert "Mary Poe here, Jane Roe in the file" in err
    speakers = {first_words(c.quote_text): c.speaker for c in all_corrections(mine)}
    assert speakers == {FERRIES: "Mary Poe", PROMISES: confirmed}
    assert sources(third, capsys)[FERRIES] == ("Mary Poe", "user")

    # The reader on the imported database shows both speakers as checked by the user.
    app = make_app([folder], other, shared_analyzer)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot)
        shown = await to_quote(pilot, reader, FERRIES)
        assert shown.speaker.canonical == "Jane Roe" and shown.speaker.method in USER_METHODS
        assert "said by Jane Roe ✓" in reader.query_one(ReaderStatus).text()
        shown = await to_quote(pilot, reader, PROMISES)
        assert shown.speaker.canonical == confirmed and shown.speaker.method in USER_METHODS


def _quote_annotations(store: AnnotationStore, article, analysis, *words: str) -> None:
    for quote in analysis.quotes:
        if any(w in quote.text for w in words):
            speaker = quote.speaker.canonical if quote.speaker else None
            store.add(Annotation.for_passage(article, quote.start, quote.end, kind="quote", speaker=speaker, tags=["q"]))


def test_w3c_and_not_a_quote_decisions_import_back(tmp_path, shared_analyzer, capsys):
    path = write(tmp_path / "articles", "harbour.txt", HARBOUR)
    article = load_article(path)
    analysis = shared_analyzer.analyze(article.text)
    db = tmp_path / "a.json"
    store = AnnotationStore.open(db, explicit=True)
    _quote_annotations(store, article, analysis, FERRIES, PROMISES)
    ferries = next(q for q in analysis.quotes if FERRIES in q.text)
    promises = next(q for q in analysis.quotes if PROMISES in q.text)
    correct_speaker(store, article, ferries, "Jane  Roe")
    mark_not_a_quote(store, article, promises)
    assert sources(db, capsys) == {FERRIES: ("Jane Roe", "user"), PROMISES: (None, "user")}
    for fmt, suffix in (("w3c", "jsonld"), ("json", "json")):
        out = tmp_path / f"out.{suffix}"
        out.write_text(exported(db, capsys, fmt), encoding="utf-8")
        target = tmp_path / f"to-{fmt}.json"
        assert main(["import", str(out), "--db", str(target), "--article", str(path.parent)]) == 0
        capsys.readouterr()
        assert sources(target, capsys) == {FERRIES: ("Jane Roe", "user"), PROMISES: (None, "user")}, fmt
        assert "*(You marked this as not a quote.)*" in exported(target, capsys, "markdown")
        back = AnnotationStore.open(target, explicit=True)
        assert sorted(c.verdict for c in all_corrections(back)) == ["not_a_quote", "speaker"]
        shown = corrected_analysis(back, article, analysis)
        assert not any(PROMISES in q.text for q in shown.quotes)  # not a quote: left out, as the reader does
        assert [q.speaker.canonical for q in shown.quotes if FERRIES in q.text] == ["Jane Roe"]


def _export_of_a_named_speaker(tmp_path, analyzer, capsys) -> Path:
    """An export (JSON file) of the harbour article's FERRIES quote, its speaker named "Jane Roe"."""
    path = write(tmp_path / "articles", "harbour.txt", HARBOUR)
    article = load_article(path)
    analysis = analyzer.analyze(article.text)
    db = tmp_path / "a.json"
    store = AnnotationStore.open(db, explicit=True)
    _quote_annotations(store, article, analysis, FERRIES)
    correct_speaker(store, article, next(q for q in analysis.quotes if FERRIES in q.text), "Jane Roe")
    out = tmp_path / "out.json"
    out.write_text(exported(db, capsys), encoding="utf-8")
    return out


def test_a_dry_run_says_what_it_would_restore_and_writes_nothing(tmp_path, shared_analyzer, capsys):
    out = _export_of_a_named_speaker(tmp_path, shared_analyzer, capsys)
    target = tmp_path / "b.json"
    assert main(["import", str(out), "--db", str(target), "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert all_corrections(AnnotationStore.open(target, explicit=True)) == []
    assert "would import 1 speaker decision(s) of yours" in err


def test_a_confirmation_comes_back_as_one_when_the_analysis_named_the_same_speaker(tmp_path, shared_analyzer, capsys):
    path = write(tmp_path / "articles", "harbour.txt", HARBOUR)
    article = load_article(path)
    analysis = shared_analyzer.analyze(article.text)
    promises = next(q for q in analysis.quotes if PROMISES in q.text)
    store = AnnotationStore.open(tmp_path / "a.json", explicit=True)
    _quote_annotations(store, article, analysis, PROMISES)
    from tui.core.corrections import confirm_speaker
    from tui.core.importing import speaker_decisions  # (new: what the import restores)

    confirm_speaker(store, article, promises)
    payload = export_annotations(store.all(), "json", all_corrections(store)).payload
    data = read_import_file(write(tmp_path, "out.json", payload))
    [correction], unplaced = speaker_decisions(data, shared_analyzer)
    assert unplaced == 0
    assert (correction.verdict, correction.speaker, correction.model_speaker) == (
        "confirmed",
        promises.speaker.canonical,
        promises.speaker.canonical,
    )
    [checked] = [c for c in corrections_for(store, article)]
    assert checked.model_right and correction.model_right  # "speaker right in N of M" counts it as before


def test_a_speaker_source_that_is_neither_user_nor_model_is_refused():
    doc = {
        "format": "margin-annotations",
        "version": 1,
        "annotations": [
            {
                "id": "a1",
                "article": {"id": "f" * 16, "title": "T", "path": ""},
                "text": "quay",
                "start": 0,
                "end": 4,
                "kind": "quote",
                "speaker": "Ann Lee",
                "speaker_source": "editor",
                "created": "2024-01-01T00:00:00Z",
                "updated": "2024-01-01T00:00:00Z",
            }
        ],
    }
    with pytest.raises(ImportFormatError, match="record 1 .*'speaker_source' must be"):
        parse_import(json.dumps(doc).encode())


# -- 2: Markdown shows the text exactly ------------------------------------------------------------
def _rendered_text(markdown: str) -> str:
    """What a CommonMark renderer shows: the HTML's text, tags out and references decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", MarkdownIt("commonmark").render(markdown)))


def test_markdown_shows_ampersands_brackets_and_marks_exactly_as_written(tmp_path):
    title = "Fish &amp; chips <b>tonight</b> #1 #"
    passage = "Tickets &copy; the quay *club* cost &#163;5 at C:\\docs\\<x>."
    path = write(tmp_path, "fish.md", f"---\ntitle: '{title}'\n---\nThe stall opened. {passage} It closed.\n")
    article = load_article(path)
    assert article.title == title
    start = article.text.index(passage)
    note = "<b>&amp;</b> and &lt;i&gt; stay; `ticks`, [a](link), ~~no~~, snake_case_ a\\\n2024. not a list\n=== not a heading"
    annotation = Annotation.for_passage(
        article, start, start + len(passage), kind="quote", speaker="Ann &amp; <Co>", tags=["a&amp;b", "`odd` tag"], note=note
    )
    payload = export_annotations([annotation], "markdown").payload
    shown = _rendered_text(payload)
    for original in [title, passage, "Ann &amp; <Co>", "a&amp;b", "`odd` tag", *note.split("\n")]:
        assert original in shown, (original, payload)
    assert "&lt;b>&amp;amp;&lt;/b>" in payload  # the case reported: `&amp;` written so it shows as typed


def test_an_import_that_fails_leaves_no_speaker_decision_behind(tmp_path, shared_analyzer, capsys, monkeypatch):
    out = _export_of_a_named_speaker(tmp_path, shared_analyzer, capsys)
    from tui.core.storage import store as store_module
    from tui.core.store import StoreError

    def disk_full(self, annotations, dry_run=False):
        raise StoreError("the disk is full")

    monkeypatch.setattr(store_module.AnnotationStore, "merge", disk_full)
    target = tmp_path / "b.json"
    assert main(["import", str(out), "--db", str(target)]) == 1
    assert "the disk is full" in capsys.readouterr().err
    assert all_corrections(AnnotationStore.open(target, explicit=True)) == []  # as it was


def test_markdown_names_each_articles_publisher_date_and_address_under_its_title(tmp_path):
    front = "---\ntitle: Ferry plans\ndate: 2021-03-04\nsource: Island *Gazette*\nurl: https://example.org/ferry?a=1&b=2\n---\n"
    path = write(tmp_path, "ferry.md", front + "The board met. The ferries will sail in May.\n")
    article = load_article(path)
    start = article.text.index("The ferries")
    plain = write(tmp_path, "plain.txt", "Plain story\n\nNothing is known about this one at all.\n")
    other = load_article(plain)
    annotations = [
        Annotation.for_passage(article, start, start + 10, tags=["ferry"]),
        Annotation.for_passage(other, 13, 20, tags=["plain"]),
    ]
    payload = export_annotations(annotations, "markdown").payload
    shown = _rendered_text(payload)
    assert "Island *Gazette* · 2021-03-04 · https://example.org/ferry?a=1&b=2" in shown
    plain_part = payload[payload.index("## Plain story") :]
    assert " · " not in plain_part.split("> ")[0]  # nothing known: no byline
