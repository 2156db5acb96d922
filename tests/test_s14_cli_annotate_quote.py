"""`margin annotate --kind quote [--speaker NAME]` on a passage that is part of a quote: the quote
Margin's analysis found (or a quote annotation already stored) gets the speaker, as the reader's
`c` gives it, instead of a second, overlapping quote. Invented article text only."""

from __future__ import annotations

import json
import os

from tui.cli import main
from tui.core.articles import load_article
from tui.core.corrections import all_corrections
from tui.core.store import AnnotationStore

HARBOUR = (
    "Harbour plan splits council\n\n"
    "The council met on Monday. “We will rebuild the harbour wall before the winter storms arrive,” "
    "said Mayor Jane Doe. Others disagreed.\n\n"
    "Rob Lane, a fisherman, said: “Nobody asked us about the plan at all.”\n"
)
WALL = "We will rebuild the harbour wall before the winter storms arrive,"
DAM = (
    "Dam safety questioned\n\n"
    "Engineers inspected the dam on Friday.\n\n"
    "“The old wall will hold through the spring floods,” said Jane Doe, the chief engineer. "
    "“It was built to last a century and it still stands.”\n\n"
    "Others were less sure.\n"
)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def analysed(tmp_path, capsys, name: str, text: str):
    """The article file, analysed by `margin analyze` (its analysis is then cached)."""
    path = tmp_path / "arts" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "analyze", str(path))
    assert code == 0, err
    return path, json.loads(out)["articles"][0]["quotes"]


def stored():
    store = AnnotationStore.open(os.environ["MARGIN_DB"])
    return store.all(), all_corrections(store)


def quote_rows(capsys, path) -> list[dict]:
    code, out, err = run(capsys, "quotes", str(path), "--format", "jsonl", "--no-analyse")
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_a_speaker_for_part_of_a_quote_the_analysis_found_is_that_quotes_speaker(tmp_path, capsys):
    path, quotes = analysed(tmp_path, capsys, "harbour.txt", HARBOUR)
    [wall] = [q for q in quotes if q["text"] == WALL]
    assert wall["speaker"]["canonical"] == "Jane Doe"
    argv = ["annotate", str(path), "--exact", "rebuild the harbour wall", "--kind", "quote", "--speaker", "Rob Lane"]
    code, out, err = run(capsys, *argv, "--tag", "claim")
    assert code == 0, err
    assert "is part of the quote 'We will rebuild the harbour wall" in err
    assert f"at {wall['start']}..{wall['end']}: recorded Rob Lane as the speaker of the whole quote" in err
    first_id = out.strip()
    code, out, err = run(capsys, *argv, "--tag", "harbour")  # again: nothing is added twice
    assert code == 0 and out.strip() == first_id and "updated an annotation" in err
    annotations, corrections = stored()
    [annotation] = annotations
    assert (annotation.start, annotation.end, annotation.kind, annotation.speaker) == (
        wall["start"],
        wall["end"],
        "quote",
        "Rob Lane",
    )
    assert annotation.tags == ["claim", "harbour"]
    [correction] = corrections
    assert (correction.start, correction.end, correction.verdict) == (wall["start"], wall["end"], "speaker")
    assert (correction.speaker, correction.model_speaker) == ("Rob Lane", "Jane Doe")
    rows = quote_rows(capsys, path)
    assert [(r["text"], r["person"], r["speaker_source"]) for r in rows] == [
        (WALL, "Rob Lane", "user"),
        ("Nobody asked us about the plan at all.", "Rob Lane", "model"),
    ]
    code, out, err = run(capsys, "export")
    [exported] = json.loads(out)["annotations"]
    assert (exported["text"], exported["speaker"], exported["speaker_source"]) == (WALL, "Rob Lane", "user")


def test_each_piece_of_the_quotation_gets_the_speaker_as_in_the_reader(tmp_path, capsys):
    path, quotes = analysed(tmp_path, capsys, "dam.txt", DAM)
    first, second = quotes  # "“…,” said Jane Doe. “…”": one quotation in two pieces
    assert second["speaker"]["method"] == "split quote" and first["speaker"]["canonical"] == "Jane Doe"
    code, out, err = run(
        capsys,
        "annotate",
        str(path),
        "--exact",
        "built to last a century",
        "--kind",
        "quote",
        "--speaker",
        "Rob Lane",
        "--tag",
        "t",
    )
    assert code == 0, err
    assert "recorded Rob Lane as the speaker of the whole quote and of the 1 other piece(s) of its quotation" in err
    annotations, corrections = stored()
    assert [(a.start, a.end) for a in annotations] == [(second["start"], second["end"])]
    assert sorted((c.start, c.end, c.speaker) for c in corrections) == [
        (first["start"], first["end"], "Rob Lane"),
        (second["start"], second["end"], "Rob Lane"),
    ]
    assert {(r["text"], r["person"]) for r in quote_rows(capsys, path)} == {
        (first["text"], "Rob Lane"),
        (second["text"], "Rob Lane"),
    }


def test_part_of_a_quote_annotation_already_stored_names_that_quotes_speaker(tmp_path, capsys):
    path = tmp_path / "letter.txt"  # no quotation marks: no analysis finds this quote; the user said it is one
    path.write_text("Letters\n\nThe ferries will sail again in May and the fares will stay the same.\n", encoding="utf-8")
    whole = "The ferries will sail again in May and the fares will stay the same."
    code, out, err = run(
        capsys, "annotate", str(path), "--exact", whole, "--kind", "quote", "--speaker", "Ann Smith", "--tag", "a"
    )
    assert code == 0, err
    for _ in range(2):
        code, out, err = run(
            capsys,
            "annotate",
            str(path),
            "--exact",
            "the fares will stay",
            "--kind",
            "quote",
            "--speaker",
            "Omar Reyes",
            "--tag",
            "b",
        )
        assert code == 0 and "recorded Omar Reyes as the speaker of the whole quote" in err
    annotations, corrections = stored()
    text = load_article(path).text
    assert [(text[a.start : a.end], a.speaker, a.tags) for a in annotations] == [(whole, "Omar Reyes", ["a", "b"])]
    assert [(text[c.start : c.end], c.speaker) for c in corrections] == [(whole, "Omar Reyes")]


def test_kind_quote_without_a_speaker_annotates_the_whole_quote(tmp_path, capsys):
    path, quotes = analysed(tmp_path, capsys, "harbour.txt", HARBOUR)
    code, out, err = run(capsys, "annotate", str(path), "--exact", "the plan at all", "--kind", "quote", "--tag", "t")
    assert code == 0 and "the whole quote is annotated" in err
    [annotation], corrections = stored()
    assert (annotation.text, annotation.kind, corrections) == ("Nobody asked us about the plan at all.", "quote", [])


def test_a_passage_outside_every_quote_is_annotated_as_given(tmp_path, capsys):
    path, quotes = analysed(tmp_path, capsys, "harbour.txt", HARBOUR)
    code, out, err = run(
        capsys, "annotate", str(path), "--exact", "Others disagreed.", "--kind", "quote", "--speaker", "Jane Doe", "--tag", "t"
    )
    assert code == 0 and "part of the quote" not in err
    [annotation], [correction] = stored()
    assert annotation.text == correction.quote_text == "Others disagreed." and correction.speaker == "Jane Doe"
    assert len(quote_rows(capsys, path)) == 3  # the two quotes and the one the user named
