"""Per-quote speaker confidence (tui/core/analysis/speaker_confidence.py): the weights, what it
changes (confidence only, never who), its switches, and the reader's flag driven by it.

All example sentences are invented for these tests.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import make_app, open_article, wait_until
from rich.cells import cell_len
from textual.widgets import OptionList

from tui.core.analysis import speaker_confidence
from tui.core.analysis.pipeline import analyze_text
from tui.core.analysis.quote_attribution import METHOD_CONFIDENCE
from tui.core.analysis.result import LOW_CONFIDENCE
from tui.ui.widgets.reader_status import ReaderStatus

TEXT = (
    "The harbour board met on Tuesday to decide the fate of the old ferry.\n\n"
    "“We cannot keep patching her up,” said Jane Doe, who chairs the board.\n\n"
    "Peter Mole, the ferry's captain, disagreed. “She has ten good years left,” he said.\n\n"
    "“Nobody asked the people who ride her every day,” a passenger said.\n\n"
    "Mary Roe, a board member, needed no persuading. “Sell it and buy two small boats.”"
)


def _speakers(text, trained, monkeypatch, flag):
    monkeypatch.setenv("MARGIN_SPEAKER_CONFIDENCE", flag)
    nlp, info = trained
    return [(q.text, q.speaker) for q in analyze_text(text, nlp, info).quotes if q.speaker]


def test_weights_file_loads_and_names_known_features():
    data = json.loads(speaker_confidence.WEIGHTS.read_text(encoding="utf-8"))
    assert set(data["weights"]) <= set(speaker_confidence.FEATURES)
    weights = speaker_confidence.load_weights()
    assert weights is not None and np.all(np.isfinite(weights))
    # the more the ranker prefers the rules' pick, the surer: the model must have learned that much
    assert weights[speaker_confidence.INDEX["pick_logit"]] > 0


def test_a_missing_or_broken_weights_file_means_no_model(tmp_path):
    assert speaker_confidence.load_weights(str(tmp_path / "absent.json")) is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert speaker_confidence.load_weights(str(broken)) is None


def test_confidence_is_per_quote_and_never_changes_who(trained, monkeypatch):
    calibrated = _speakers(TEXT, trained, monkeypatch, "1")
    fixed = _speakers(TEXT, trained, monkeypatch, "0")
    assert [(t, s.canonical, s.method) for t, s in calibrated] == [(t, s.canonical, s.method) for t, s in fixed]
    assert len(calibrated) >= 4
    for (_, mine), (_, plain) in zip(calibrated, fixed):
        assert 0.0 < mine.confidence < 1.0
        assert plain.confidence == round(METHOD_CONFIDENCE[plain.method], 2)  # the switch: the method's own
    assert [s.confidence for _, s in calibrated] != [s.confidence for _, s in fixed]
    by_text = {t: s for t, s in calibrated}
    named = by_text["We cannot keep patching her up,"]
    described = by_text["Nobody asked the people who ride her every day,"]
    assert (named.method, described.method) == ("cue subject", "cue description")
    assert named.confidence > described.confidence  # a named subject is surer than a passer-by


def test_without_weights_or_without_a_parse_the_method_confidence_stays(trained, rules, monkeypatch):
    monkeypatch.setattr(speaker_confidence, "load_weights", lambda: None)
    for _, speaker in _speakers(TEXT, trained, monkeypatch, "1"):
        assert speaker.confidence == round(METHOD_CONFIDENCE[speaker.method], 2)
    monkeypatch.undo()
    nlp, info = rules  # rules-only mode: no dependency parse, no candidates to weigh
    monkeypatch.setenv("MARGIN_SPEAKER_CONFIDENCE", "1")
    for quote in analyze_text(TEXT, nlp, info).quotes:
        if quote.speaker:
            assert quote.speaker.confidence == round(METHOD_CONFIDENCE[quote.speaker.method], 2)


@pytest.mark.parametrize("x_change, direction", [("gender_clashes", -1), ("name_after", 1)])
def test_the_model_reads_its_features_the_documented_way(x_change, direction):
    weights = speaker_confidence.load_weights()
    assert weights is not None
    x = np.zeros(len(speaker_confidence.FEATURES))
    x[speaker_confidence.INDEX["bias"]] = 1.0
    x[speaker_confidence.INDEX["method=pronoun → name"]] = 1.0
    before = speaker_confidence.probability(x, weights)
    x[speaker_confidence.INDEX[x_change]] = 1.0
    after = speaker_confidence.probability(x, weights)
    assert (after - before) * direction > 0


@pytest.fixture
def ferry_app(tmp_path, shared_analyzer):
    """The app on one article: TEXT under a headline."""
    article = tmp_path / "ferry.txt"
    article.write_text("Ferry to be sold\n\n" + TEXT + "\n", encoding="utf-8")
    return make_app([article], tmp_path / "db.json", shared_analyzer)


async def test_the_reader_flags_exactly_the_speakers_below_the_threshold(ferry_app):
    app = ferry_app
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        quotes = reader.analysis.quotes
        await pilot.press("s")
        panel = reader.query_one("#quote-list", OptionList)
        await wait_until(pilot, lambda: panel.option_count >= len(quotes), what="who said")
        prompts = {panel.get_option_at_index(i).id: str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)}
        flagged = {i for i, q in enumerate(quotes) if prompts.get(f"q{i}", "").startswith("? ")}
        expected = {i for i, q in enumerate(quotes) if q.speaker and q.speaker.confidence < LOW_CONFIDENCE}
        assert expected and len(expected) < len([q for q in quotes if q.speaker])  # some flagged, not all
        assert flagged == expected
        # the status line says why: how the speaker was found and how sure Margin is
        await pilot.press("escape")
        unsure = quotes[min(expected)]
        sure = next(q for i, q in enumerate(quotes) if q.speaker and i not in expected)
        for quote in (unsure, sure):
            for _ in range(2 * len(quotes) + 2):
                here = reader.quote_here()
                if here is quote:
                    break
                forward = here is None or here.start < quote.start
                await pilot.press("right_square_bracket" if forward else "left_square_bracket")
            assert reader.quote_here() is quote
            status = reader.query_one(ReaderStatus).text()
            if quote is unsure:
                percent = round(quote.speaker.confidence * 100)
                assert f"said by {quote.speaker.canonical}? ({percent} % sure: " in status
            else:
                assert f"said by {quote.speaker.canonical}" in status and "% sure" not in status


async def test_exclamation_mark_visits_every_unsure_speaker_and_wraps(ferry_app):
    app = ferry_app
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        quotes = reader.analysis.quotes
        unsure = [q for q in quotes if q.speaker is None or q.speaker.uncertain]
        assert unsure and len(unsure) < len(quotes)
        visited = []
        for _ in range(len(unsure) + 1):
            await pilot.press("exclamation_mark")
            visited.append(reader.quote_here())
        assert visited[:-1] == unsure  # in reading order, only those
        assert visited[-1] is unsure[0]  # and from the top again
        # once the user has confirmed them, none is left to check
        for quote in unsure:
            while reader.quote_here() is not quote:
                await pilot.press("exclamation_mark")
            await pilot.press("C")
            await pilot.pause()
        before = reader.reading.unit_index
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert reader.reading.unit_index == before
        assert any("No speaker to check" in str(n.message) for n in app._notifications)


async def test_at_80_columns_an_unsure_speaker_is_cut_short_not_left_out(ferry_app):
    async with ferry_app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        quote = reader.quote_here()
        assert quote is not None and quote.speaker is not None and quote.speaker.uncertain
        status = reader.query_one(ReaderStatus)
        full, drawn = status.text(), status.render().plain
        assert cell_len(drawn) <= status.size.width < cell_len(full)
        assert f"said by {quote.speaker.canonical}?" in drawn
