"""Quote finder: cues, speakers, split and multi-paragraph quotes, marks, non-speech, robustness.

All example sentences are invented for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.analysis.pipeline import analyze_text

SEED = Path(__file__).resolve().parents[1] / "sample_articles" / "000_f8b6809fbedddc50.txt"


def quotes(pipeline, text):
    nlp, info = pipeline
    return analyze_text(text, nlp, info).quotes


def contents(found):
    return [q.text for q in found]


def by_text(found, start):
    matches = [q for q in found if q.text.startswith(start)]
    assert matches, f"no quote starting {start!r} in {contents(found)}"
    return matches[0]


# -- the seed article --------------------------------------------------------------------------

SEED_PIECES = [
    ("which is why many countries began sending messages", "according to", "the CNN report", "CNN"),
    (
        "They would prefer to be using the State Department resources,",
        "told CNN",
        "a source familiar with the matter",
        "a source familiar with the matter",
    ),
    ("There will be a smooth transition to a second Trump administration.", "replied", "Pompeo", "Mike Pompeo"),
    ("The world is watching what’s taking place. We’re gonna count all the votes,", "continued", "he", "Mike Pompeo"),
    ("When the process is complete, there’ll be electors selected.", "continued", "he", "Mike Pompeo"),
    ("The world should have every confidence", None, None, "Mike Pompeo"),
]


def test_seed_article_has_exactly_six_pieces(trained):
    found = quotes(trained, SEED.read_text(encoding="utf-8"))
    assert len(found) == 6
    assert [q.text[:20] for q in found] == [p[0][:20] for p in SEED_PIECES]


@pytest.mark.parametrize("start,cue,speaker_text,canonical", SEED_PIECES)
def test_seed_article_pieces(trained, start, cue, speaker_text, canonical):
    text = SEED.read_text(encoding="utf-8")
    quote = by_text(quotes(trained, text), start)
    assert quote.cue == cue
    assert quote.speaker is not None
    assert quote.speaker.canonical == canonical
    if speaker_text is not None:
        assert quote.speaker.text == speaker_text
        assert text[quote.speaker.start : quote.speaker.end] == speaker_text
    if cue is not None:
        assert text[quote.cue_start : quote.cue_end] == cue
    assert text[quote.start : quote.end] == quote.text


def test_seed_piece_offsets_are_content_only(trained):
    text = SEED.read_text(encoding="utf-8")
    for q in quotes(trained, text):
        assert text[q.start - 1] in '“"' and text[q.end] in '”"'


# -- cues and speakers ---------------------------------------------------------------------------


def test_cue_after_quote_with_named_speaker(trained):
    text = "The harbour will reopen next week.\n\n“We have repaired both cranes,” harbour master Olga Brandt said on Monday."
    q = by_text(quotes(trained, text), "We have repaired")
    assert q.cue == "said"
    assert "Brandt" in q.speaker.canonical


def test_inverted_cue(trained):
    text = "“The bridge is older than the town itself,” said Tomas Varga, a local historian."
    q = by_text(quotes(trained, text), "The bridge")
    assert q.cue == "said"
    assert q.speaker.text == "Tomas Varga"


def test_told_cue_keeps_the_addressee(trained):
    text = "“Nobody warned us about the flood,” a farmer from the valley told Reuters."
    q = by_text(quotes(trained, text), "Nobody warned")
    assert q.cue == "told Reuters"
    assert q.speaker.text == "a farmer from the valley"


def test_according_to_cue(trained):
    text = "Ticket sales doubled, “which surprised even the organisers,” according to the festival report."
    q = by_text(quotes(trained, text), "which surprised")
    assert q.cue == "according to"
    assert q.speaker.text == "the festival report"


def test_cue_before_quote(trained):
    text = "Asked about the delay, Marta Quill calmly replied, “The parts arrive on Friday and we start on Monday.”"
    q = by_text(quotes(trained, text), "The parts arrive")
    assert q.cue == "replied"
    assert q.speaker.canonical == "Marta Quill"


def test_pronoun_speaker_resolves_to_full_name(trained):
    text = (
        "Mayor Henrik Solberg opened the new library on Saturday.\n\n"
        "Solberg said the building had cost less than planned.\n\n"
        "“Children will have a place to read after school,” he added."
    )
    q = by_text(quotes(trained, text), "Children will")
    assert q.speaker.text == "he"
    assert q.speaker.canonical == "Henrik Solberg"


def test_short_name_links_to_full_name(trained):
    text = "Engineer Priya Raman designed the pump.\n\n“It runs on sunlight alone and needs no fuel at all,” Raman said."
    q = by_text(quotes(trained, text), "It runs")
    assert q.speaker.text == "Raman"
    assert q.speaker.canonical == "Priya Raman"


def test_split_quote_gives_two_pieces_with_one_speaker(trained):
    text = "“We lost the first match,” coach Anders Lund said. “But the team never stopped fighting.”"
    found = quotes(trained, text)
    assert contents(found) == ["We lost the first match,", "But the team never stopped fighting."]
    assert found[0].speaker.canonical == found[1].speaker.canonical
    assert "Lund" in found[1].speaker.canonical
    assert found[1].cue == "said"


def test_cueless_continuation_paragraph(trained):
    text = (
        "“The river has never been this low,” fisherman Karl Weiss said.\n\n"
        "“My father fished here for forty years and never saw the stones on the bottom.”"
    )
    q = by_text(quotes(trained, text), "My father")
    assert q.cue is None
    assert q.speaker.canonical == "Karl Weiss"


def test_multi_paragraph_quote(trained):
    text = (
        "Inspector Lena Hoff described the night of the fire.\n\n"
        "“We arrived at ten. The roof was already burning,” Hoff said. “Nobody was inside, luckily.\n\n"
        "“By midnight the wall had collapsed and we moved everyone back.”"
    )
    found = quotes(trained, text)
    assert contents(found) == [
        "We arrived at ten. The roof was already burning,",
        "Nobody was inside, luckily.",
        "By midnight the wall had collapsed and we moved everyone back.",
    ]
    assert {q.speaker.canonical for q in found} == {"Lena Hoff"}


def test_mixed_straight_and_curly_marks(trained):
    text = '“The vote was fair," she said. "We will accept the result and move on.”'
    found = quotes(trained, text)
    assert contents(found) == ["The vote was fair,", "We will accept the result and move on."]


def test_apostrophes_do_not_break_quotes(trained):
    text = "“The workers’ union won’t sign, and the company’s offer isn’t enough,” spokeswoman Ana Ruiz said."
    found = quotes(trained, text)
    assert contents(found) == ["The workers’ union won’t sign, and the company’s offer isn’t enough,"]
    assert found[0].speaker.canonical == "Ana Ruiz"


def test_nested_quote_stays_inside(trained):
    text = "“He told me ‘keep the receipts’ and then he left,” shop owner Ivo Petrov said."
    found = quotes(trained, text)
    assert contents(found) == ["He told me ‘keep the receipts’ and then he left,"]


def test_nested_double_quotes_stay_inside(trained):
    text = '"They called it "a small change" but it cost us a fortune," the baker said.'
    found = quotes(trained, text)
    assert contents(found) == ['They called it "a small change" but it cost us a fortune,']


# -- not speech ----------------------------------------------------------------------------------


def test_titles_nicknames_scare_quotes_and_single_words_are_not_speech(trained):
    text = (
        'Visitors crowded into the "Glass Palace" exhibition hall. The striker, nicknamed "The Hammer", '
        'signed a new contract. Police found several "home made" devices in the garage. '
        'The minister called the report "nonsense."'
    )
    assert quotes(trained, text) == []


def test_partial_quote_with_cue_is_speech(trained):
    text = 'Governor Ruth Okafor said the plan was "a bridge to a better future" for the region.'
    found = quotes(trained, text)
    assert contents(found) == ["a bridge to a better future"]
    assert found[0].speaker.canonical == "Ruth Okafor"


# -- robustness ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        '"',
        "“",
        "”",
        "He is 6'2\" tall.",
        "“Unclosed quote that never ends, she said",
        "Closed ” without opening,” he said.",
        '""""',
        '“” “” ""',
        "“a “b “c",
        "said said said according to",
        "“Hello,” said",
        "\n\n\n“\n\n”\n\n",
    ],
)
def test_odd_input_never_raises(trained, rules, text):
    for pipeline in (trained, rules):
        for q in quotes(pipeline, text):
            assert 0 <= q.start <= q.end <= len(text)
            assert text[q.start : q.end] == q.text


def test_unclosed_quote_degrades_to_paragraph_end(trained):
    text = (
        "“We will rebuild the school before winter,” the principal said. “Every classroom will be ready\n\nThe work starts now."
    )
    found = quotes(trained, text)
    assert found[0].text == "We will rebuild the school before winter,"
    assert found[1].text == "Every classroom will be ready"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ab .,\n\"“”‘’'Hes aid")), max_size=80))
def test_random_marks_never_raise(rules, text):
    for q in quotes(rules, text):
        assert text[q.start : q.end] == q.text
        if q.speaker is not None and q.speaker.end > q.speaker.start:
            assert text[q.speaker.start : q.speaker.end] == q.speaker.text


# -- rules-only pipeline -------------------------------------------------------------------------


def test_rules_pipeline_finds_quotes_and_speakers(rules):
    nlp, info = rules
    assert not info.is_trained
    text = (
        "Professor Elena Marsh led the dig.\n\n"
        "“We found the wall on the third day,” Marsh said. “Nobody expected it to be Roman.”\n\n"
        "“It changes the history of the valley,” she added."
    )
    found = quotes(rules, text)
    assert contents(found) == [
        "We found the wall on the third day,",
        "Nobody expected it to be Roman.",
        "It changes the history of the valley,",
    ]
    assert [q.cue for q in found] == ["said", "said", "added"]
    assert all(q.speaker.canonical == "Elena Marsh" for q in found)


def test_rules_pipeline_handles_seed(rules):
    found = quotes(rules, SEED.read_text(encoding="utf-8"))
    assert len(found) == 6
    assert found[2].cue == "replied" and found[2].speaker.text == "Pompeo"
    assert found[5].cue is None


def test_results_live_on_the_doc(trained):
    nlp, _ = trained
    doc = nlp("“The museum opens at nine,” guide Pia Holm said.")
    spans = doc.spans["margin_quotes"]
    assert len(spans) == 1
    assert spans[0]._.margin_cue == "said"
    assert spans[0]._.margin_speaker.text == "guide Pia Holm"  # the mention as written
    assert spans[0]._.margin_speaker_canonical == "Pia Holm"
    assert doc.text[slice(*spans[0]._.margin_content)] == "The museum opens at nine,"
