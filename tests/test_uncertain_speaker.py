"""A speaker Margin only guessed (low confidence) is flagged: "?" and muted text in Who said, and
italic (not bold) in the article."""

from __future__ import annotations

from dataclasses import replace

from helpers import SEED, make_app, open_article
from textual.widgets import OptionList

from tui.core.analysis.result import LOW_CONFIDENCE


async def test_a_guessed_speaker_is_marked_uncertain(tmp_path, shared_analyzer):
    app = make_app([SEED], tmp_path / "db.json", shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        analysis = reader.analysis
        sure, guessed = [q for q in analysis.quotes if q.speaker and not q.speaker.uncertain][:2]
        quotes = [
            q if q is not guessed else replace(q, speaker=replace(q.speaker, confidence=LOW_CONFIDENCE / 2))
            for q in analysis.quotes
        ]
        assert guessed.speaker is not None and not guessed.speaker.uncertain
        reader.apply_analysis(replace(analysis, quotes=quotes), place_cursor=False)
        await pilot.press("s")
        await pilot.pause()
        panel = reader.query_one("#quote-list", OptionList)
        prompts = {panel.get_option_at_index(i).id: str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)}
        index_of = {id(q): i for i, q in enumerate(analysis.quotes)}
        assert prompts[f"q{index_of[id(guessed)]}"].startswith("? ")
        assert not prompts[f"q{index_of[id(sure)]}"].startswith("?")
        marks = {(m.start, m.end): m.style for m in reader.view._layers["speakers"].marks}
        assert marks[(guessed.speaker.start, guessed.speaker.end)].italic
        assert not marks[(guessed.speaker.start, guessed.speaker.end)].bold
        assert marks[(sure.speaker.start, sure.speaker.end)].bold
