"""Reader sentences: the parser's splits inside a line and after no closing punctuation are joined
(after a short title it cut a name in two: "Jane | Doe said, …"); splits at line breaks stay."""

from __future__ import annotations

from tui.core.analysis.pipeline import joined_sentences


def sentences_of(analyzer, text: str) -> list[str]:
    return [text[s:e] for s, e in analyzer.analyze(text).sentences]


def test_a_name_after_a_short_title_is_not_cut_in_two(shared_analyzer):
    text = 'T\n\nJane Doe said, "hi there."'
    assert sentences_of(shared_analyzer, text) == ["T", 'Jane Doe said, "hi there."']


def test_only_splits_within_a_line_and_without_closing_punctuation_are_joined():
    parts = ["LONDON —", "The ferry ran late.", "Then it sank", "A caption line", "“Go,”", "she said"]
    text = "LONDON — The ferry ran late. Then it sank\nA caption line\n“Go,” she said"
    cuts = []
    for part in parts:
        start = text.index(part, cuts[-1][1] if cuts else 0)
        cuts.append((start, start + len(part)))
    joined = [text[s:e] for s, e in joined_sentences(text, cuts)]
    assert joined == ["LONDON — The ferry ran late.", "Then it sank", "A caption line", "“Go,” she said"]
