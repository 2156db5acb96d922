"""bench/ggt.py: the Gender Gap Tracker conversion on an invented workbook and article."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import ggt  # noqa: E402

ARTICLE = (
    "Jane Roe spoke to reporters on Monday.\n\n"
    "“We will build the bridge next year,” she said. “Nobody should doubt it.”\n\n"
    "The plan was called “Bridge Forward” by the city.\n\n"
    "Roe said the money was there."
)


def write_workbook(path: Path, rows: list[list[str]]) -> None:
    """A minimal .xlsx: shared strings for every cell, one sheet."""
    strings: list[str] = []
    cells_xml = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            strings.append(value)
            cells.append(f'<c r="{chr(65 + c)}{r}" t="s"><v>{len(strings) - 1}</v></c>')
        cells_xml.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/sharedStrings.xml", f"<sst {ns}>" + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{''.join(cells_xml)}</sheetData></worksheet>")


def make_data(tmp_path: Path, quotations: str) -> Path:
    stem = "5c0000000000000000000001"
    with zipfile.ZipFile(tmp_path / "rawtext.zip", "w") as z:
        z.writestr(f"rawtext/{stem}.txt", ARTICLE)
    write_workbook(
        tmp_path / "annotations.xlsx",
        [["_id", "outlet", "quotations"], [f"ObjectId({stem})", "CBC News", quotations]],
    )
    return tmp_path


def quotation(words: str, speaker: str, reference: str, near: int) -> dict:
    return {
        "speaker": speaker,
        "verb": "said",
        "quote": words,
        "quote_index": f"({near},{near + len(words)})",
        "reference": reference,
    }


def test_quoted_pieces_get_the_annotated_reference_as_speaker(tmp_path):
    both = "“We will build the bridge next year,” she said. “Nobody should doubt it.”"
    data = make_data(
        tmp_path,
        json.dumps(
            [
                quotation(both, "she", "Jane Roe", 50),  # offsets drift in the real table: found by its words
                quotation("the money was there", "Roe", "Jane Roe", 130),
            ]
        ),
    )
    corpus, left_out = ggt.load_corpus(data)
    assert left_out == 0
    ((text, gold),) = corpus.values()
    assert text == ARTICLE
    pieces = [(q["text"], q["speaker"], q["source_kind"]) for q in gold["quotes"]]
    # both pieces of the split quote; the unannotated title and the indirect speech are not gold
    assert pieces == [
        ("We will build the bridge next year,", "Jane Roe", "pronoun"),
        ("Nobody should doubt it.", "Jane Roe", "pronoun"),
    ]
    assert gold["publisher"] == "cbc-news"


def test_an_unreadable_annotation_cell_leaves_the_article_out(tmp_path):
    data = make_data(tmp_path, '[{"speaker": "she" "verb": "said"}]')
    corpus, left_out = ggt.load_corpus(data)
    assert corpus == {} and left_out == 1


def test_parts_are_fixed_and_disjoint():
    corpus = {f"{i:024x}": ("", {"publisher": "cbc" if i % 2 else "ctv", "quotes": []}) for i in range(30)}
    parts = ggt.parts(corpus)
    assert set(parts["tune"]).isdisjoint(parts["score"])
    assert len(parts["tune"]) == 14 and len(parts["score"]) == 16
    assert ggt.parts(dict(reversed(list(corpus.items())))) == parts
