"""Reading units: sentences cut at quotes and paragraph breaks; what an action applies to."""

from tui.core.passages import action_target, reading_units, rule_sentences, unit_index_at

TEXT = 'Officials met on Monday. The mayor said, "We will rebuild. It will take years," and left.\n\nNext paragraph here.'


def spans_of(text, spans):
    return [text[s:e] for s, e in spans]


def test_rule_sentences_split_on_punctuation_and_paragraphs():
    assert spans_of(TEXT, rule_sentences(TEXT)) == [
        "Officials met on Monday.",
        'The mayor said, "We will rebuild.',
        'It will take years," and left.',
        "Next paragraph here.",
    ]


def test_units_cut_at_quote_boundaries_and_drop_lone_marks():
    quote_start = TEXT.index("We will")
    quote_end = TEXT.index('," and') + 1
    sentences = [
        (0, 24),
        (25, len('Officials met on Monday. The mayor said, "We will rebuild. It will take years," and left.')),
        (TEXT.index("Next"), len(TEXT)),
    ]
    units = reading_units(TEXT, sentences, [(quote_start, quote_end)])
    assert spans_of(TEXT, units) == [
        "Officials met on Monday.",
        "The mayor said,",
        "We will rebuild. It will take years,",
        "and left.",
        "Next paragraph here.",
    ]
    quote_unit = units[2]
    target = action_target(quote_unit, [(quote_start, quote_end)])
    assert (target.kind, target.start, target.end) == ("quote", quote_start, quote_end)
    assert action_target(units[1], [(quote_start, quote_end)]).kind == "sentence"


def test_units_never_span_a_paragraph_break():
    text = "Heading without full stop\n\nBody sentence one. Body two."
    units = reading_units(text, [(0, len(text))], [])
    assert spans_of(text, units) == ["Heading without full stop", "Body sentence one. Body two."]


def test_unit_index_at_finds_the_containing_or_previous_unit():
    units = [(0, 5), (7, 10), (12, 20)]
    assert unit_index_at(units, 0) == 0
    assert unit_index_at(units, 8) == 1
    assert unit_index_at(units, 11) == 1
    assert unit_index_at(units, 100) == 2
    assert unit_index_at([], 3) == 0
