"""bench/polnear.py: only PolNeAR's train split is read; the conversion rules on invented texts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import polnear  # noqa: E402


def make_split(root: Path, name: str) -> Path:
    d = root / "data" / name
    (d / "text").mkdir(parents=True)
    (d / "attributions").mkdir(parents=True)
    return d


@pytest.mark.parametrize("name", ["dev", "test"])
def test_reserved_splits_are_refused(tmp_path, name):
    d = make_split(tmp_path, name)
    for path in (d, d / "text", d.parent):
        with pytest.raises(polnear.RefusedPath):
            polnear.train_dir(path)
    assert polnear.main(["--data", str(d)]) == 2


def test_only_the_train_folder_is_used(tmp_path):
    train = make_split(tmp_path, "train")
    make_split(tmp_path, "dev")
    assert polnear.train_dir(tmp_path) == train.resolve()
    assert polnear.train_dir(tmp_path / "data") == train.resolve()
    assert polnear.train_dir(train) == train.resolve()
    with pytest.raises(polnear.RefusedPath):
        polnear.train_dir(tmp_path / "elsewhere")


def _ann(text: str, parts: list[tuple[str, str]]) -> str:
    """Brat lines for attributions given as (source, content) substrings of text."""
    lines, t = [], 0
    for e, (source, content) in enumerate(parts, 1):
        s = text.index(source)
        c = text.index(content)
        lines.append(f"T{t + 1}\tSource {s} {s + len(source)}\t{source}")
        lines.append(f"T{t + 2}\tContent {c} {c + len(content)}\t{content}")
        lines.append(f"E{e}\tAttribution:T{t + 2} Content:T{t + 2} Source:T{t + 1}")
        t += 2
    return "\n".join(lines) + "\n"


def test_conversion_rules(tmp_path):
    text = (
        "Mayor Ada Brook, 61, a former nurse, spoke on Friday.\n\n"
        "“The clinic stays open,” she said.\n\n"
        "It was Tom Reyes, who said ''we will fund it,'' who won the vote.\n\n"
        "The hall was named “Brook Hall” last year."
    )
    raw = polnear.read_ann_text(
        _ann(
            text,
            [
                ("Mayor Ada Brook, 61, a former nurse,", "spoke"),
                ("she", "“The clinic stays open,”"),
                ("who", "''we will fund it,''"),
            ],
        )
    )
    converted, gold = polnear.convert_article("x_2016-01-01_y", text, raw)
    assert "''" not in converted and '"we will fund it,"' in converted
    quotes = gold["quotes"]
    assert [q["text"] for q in quotes] == ["The clinic stays open,", "we will fund it,"]
    assert quotes[0]["speaker"] == "Mayor Ada Brook" and quotes[0]["source_kind"] == "pronoun-disputed"
    assert quotes[1]["speaker"] == "Tom Reyes" and quotes[1]["source_kind"] == "relative"
    for q in quotes:
        assert converted[q["start"] : q["end"]] == q["text"]
    # a coreference chain that agrees with the nearest source makes the pronoun trusted
    she = text.index("she said")
    chain = [[(6, 15, "Ada Brook", True, "PERSON"), (she, she + 3, "she", False, "O")]]
    _, gold = polnear.convert_article("x_2016-01-01_y", text, raw, chain)
    assert gold["quotes"][0]["source_kind"] == "pronoun" and "Brook" in gold["quotes"][0]["speaker"]
    other = [[(40, 45, "Jo Ng", True, "PERSON"), (she, she + 3, "she", False, "O")]]
    _, gold = polnear.convert_article("x_2016-01-01_y", text, raw, other)
    assert gold["quotes"][0]["source_kind"] == "pronoun-disputed" and gold["quotes"][0]["speaker"] == "Jo Ng"


def test_gold_speaker_is_the_name_of_the_source():
    assert polnear.gold_speaker("Jane Doe, 57, a nurse from Ohio,") == "Jane Doe"
    assert polnear.gold_speaker("her campaign manager, Jane Doe,") == "Jane Doe"
    assert polnear.gold_speaker("Doe’s") == "Doe"
    assert polnear.gold_speaker("But a spokesman for the party") == "a spokesman for the party"
    # revisions: a name in apposition to a description, a role before a full name
    assert polnear.gold_speaker("the director of the Regional Water Board, Jane Doe,") == "Jane Doe"
    assert polnear.gold_speaker("former secretary of state Jane Doe, who spoke first") == "Jane Doe"
    assert polnear.gold_speaker("Ohio Valley University professor Jane Doe") == "Jane Doe"
    assert polnear.gold_speaker("Jane Doe of the Acme Policy Report") == "Jane Doe"
    assert polnear.gold_speaker("conservative columnist Jane Doe of the weekly Acme Review") == "Jane Doe"
    assert polnear.gold_speaker("a letter sent to The Daily Acme") == "a letter sent to The Daily Acme"
    assert polnear.gold_description("the director of the Regional Water Board, Jane Doe,") == "the director"


def test_relative_source_skips_a_place_after_of():
    text = "On Monday Sen. Jane Doe of Ohio, who chairs the panel, spoke."
    assert polnear.relative_antecedent(text, text.index("who")) == "Jane Doe"


def test_wrongly_turned_curly_marks_in_the_gold():
    text = "She called it “reckless“ in a statement, and “a gift to the rich.”"
    assert [text[s:e] for s, e in polnear.quoted_regions(text, 0, len(text))] == ["reckless", "a gift to the rich."]


def test_splits_and_corrections_are_committed():
    tune = (REPO / "bench" / "polnear_splits" / "tune.txt").read_text().split()
    score = (REPO / "bench" / "polnear_splits" / "score.txt").read_text().split()
    assert len(score) >= 150 and len(tune) + len(score) == 840 and not set(tune) & set(score)
    corrections = json.loads((REPO / "bench" / "polnear_corrections.json").read_text(encoding="utf-8"))
    for c in corrections["corrections"]:
        assert c["article"] in tune + score and c["action"] in ("speaker", "drop", "add") and c["why"]


def test_the_audit_tally_separates_gold_errors_from_margin_errors():
    import polnear_audit

    def piece(group, gold, margin, reader, sure=True, not_a_quote=False):
        return {
            "group": group,
            "gold": {"speaker": gold, "speaker_aliases": []},
            "margin": margin,
            "reader": {"speaker": reader, "aliases": [], "sure": sure, "not_a_quote": not_a_quote},
        }

    verdicts = polnear_audit.tally(
        [
            piece("wrong", "Jane Roe", "John Doe", "Jane Roe"),  # Margin's mistake
            piece("wrong", "Acme Daily", "John Doe", "John Doe"),  # the gold's mistake
            piece("wrong", "Jane Roe", "John Doe", "Roe", sure=False),
            piece("right", "John Doe", "Doe", "John Doe"),
            piece("right", "John Doe", "John Doe", None, not_a_quote=True),
        ]
    )
    assert verdicts["wrong"] == {
        "gold = reader, Margin ≠ reader": 1,
        "gold ≠ reader, Margin = reader": 1,
        "reader unsure": 1,
    }
    assert verdicts["right"] == {"gold = reader, Margin = reader": 1, "reader: not a quote": 1}


def test_the_audit_file_is_committed_and_read_blind():
    data = json.loads((REPO / "bench" / "polnear_audit.json").read_text())
    assert len(data["pieces"]) == 240
    assert {p["group"] for p in data["pieces"]} == {"right", "wrong"}
    assert all(p["article"] in set(polnear.split("tune")) for p in data["pieces"])


def test_the_scoring_part_audit_is_committed_and_tallied():
    import polnear_audit

    data = json.loads((REPO / "bench" / "polnear_audit_score.json").read_text())
    pieces = data["pieces"]
    assert len(pieces) == 120 and all(p["article"] in set(polnear.split("score")) for p in pieces)
    assert sorted(p["group"] for p in pieces) == ["right"] * 60 + ["wrong"] * 60
    verdicts = polnear_audit.tally(pieces)
    assert sum(verdicts["right"].values()) == sum(verdicts["wrong"].values()) == 60
