"""`margin annotate PATH --exact TEXT --tag T [--note N] [--occurrence N]`."""

from __future__ import annotations

import pytest
from helpers import SEED, SEED_QUOTE

from tui.cli import main
from tui.core.articles import load_article
from tui.core.paths import default_db_path
from tui.core.store import AnnotationStore


def stored():
    return AnnotationStore.open(default_db_path()).all()


def test_annotates_a_passage(capsys):
    assert (
        main(
            [
                "annotate",
                str(SEED),
                "--exact",
                SEED_QUOTE,
                "--tag",
                "claim, Needs check",
                "--tag",
                "claim",
                "--note",
                "Pompeo denies the result",
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    [a] = stored()
    assert out == a.id + "\n" and "added an annotation" in err
    article = load_article(SEED)
    assert a.article_id == article.id and a.text_hash == article.text_hash
    assert article.text[a.start : a.end] == SEED_QUOTE == a.text
    assert a.tags == ["claim", "Needs check"] and a.note == "Pompeo denies the result"
    assert a.prefix == article.text[a.start - 32 : a.start]


def test_the_same_passage_again_adds_tags_to_it(capsys):
    assert main(["annotate", str(SEED), "--exact", SEED_QUOTE, "--tag", "claim"]) == 0
    assert main(["annotate", str(SEED), "--exact", SEED_QUOTE, "--tag", "quote", "--note", "n"]) == 0
    [a] = stored()
    assert a.tags == ["claim", "quote"] and a.note == "n"
    assert "updated an annotation" in capsys.readouterr().err


def test_several_occurrences_take_the_first_unless_told(capsys):
    text = load_article(SEED).text
    count = text.count("Biden")
    assert count > 2
    assert main(["annotate", str(SEED), "--exact", "Biden", "--tag", "person"]) == 0
    err = capsys.readouterr().err
    assert f"occurs {count} times" in err and "--occurrence" in err
    assert main(["annotate", str(SEED), "--exact", "Biden", "--tag", "person", "--occurrence", "3"]) == 0
    starts = sorted(a.start for a in stored())
    first = text.index("Biden")
    third = text.index("Biden", text.index("Biden", first + 1) + 1)
    assert starts == [first, third]


def test_loose_quotes_match_curly_ones():
    assert main(["annotate", str(SEED), "--exact", '"There will be a smooth', "--tag", "x"]) == 0
    [a] = stored()
    assert a.text.startswith("“There will be a smooth")


@pytest.mark.parametrize(
    "args, words",
    [
        (["--exact", "no such passage anywhere", "--tag", "x"], "is not in"),
        (["--exact", "Biden", "--tag", "x", "--occurrence", "999"], "--occurrence 999: the text occurs"),
        (["--exact", "Biden"], "give at least one --tag or a --note"),
        (["--exact", "   ", "--tag", "x"], "--exact is empty"),
    ],
)
def test_errors_are_one_line(capsys, args, words):
    assert main(["annotate", str(SEED)] + args) == 1
    err = capsys.readouterr().err
    assert err.startswith("margin: error: ") and words in err and err.count("\n") == 1
    assert stored() == []


def test_missing_article_is_one_line(tmp_path, capsys):
    assert main(["annotate", str(tmp_path / "gone.txt"), "--exact", "x", "--tag", "t"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("margin: error: ") and "gone.txt" in err and err.count("\n") == 1
