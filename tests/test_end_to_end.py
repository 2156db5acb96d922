"""The foundation path through the real UI: library → reader → tag + note a quote → restart → export."""

from __future__ import annotations

import json

from helpers import SEED_QUOTE, make_app, open_article, wait_until
from textual.widgets import OptionList

from tui.cli import main
from tui.ui.screens.library import LibraryScreen


async def test_tag_and_note_a_quote_then_export(tmp_path, seed_path, capsys):
    db = tmp_path / "annotations.json"
    app = make_app([seed_path], db, tmp_path=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        text = reader.article.text
        for _ in range(len(reader.units)):
            target = reader.current_target()
            if text[target.start : target.end] == SEED_QUOTE:
                break
            await pilot.press("j")
        target = reader.current_target()
        assert text[target.start : target.end] == SEED_QUOTE
        assert target.kind == "quote"

        await pilot.press("t")
        await pilot.press(*"claim")
        await pilot.press("enter")
        await pilot.press("n")
        await pilot.press(*"Pompeo denies the result")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [a.tags for a in reader.annotations] == [["claim"]]
        assert reader.annotations[0].note == "Pompeo denies the result"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="back to library")

    # A new app on the same database finds the annotation and lists it.
    app2 = make_app([seed_path], db, tmp_path=tmp_path)
    async with app2.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        panel = reader.query_one("#annotation-list", OptionList)
        assert panel.option_count == 1
        prompt = str(panel.get_option_at_index(0).prompt)
        assert "#claim" in prompt and "There will be a smooth" in prompt

    capsys.readouterr()
    assert main(["export", "--db", str(db)]) == 0
    exported = json.loads(capsys.readouterr().out)
    [record] = exported["annotations"]
    assert record["text"] == SEED_QUOTE
    assert record["tags"] == ["claim"]
    assert record["note"] == "Pompeo denies the result"
    assert seed_path.read_text(encoding="utf-8")[record["start"] : record["end"]] == SEED_QUOTE
    assert record["kind"] == "quote"
    assert record["article"]["path"] == str(seed_path.resolve())
    assert record["article"]["date"] == "2020-11-12"  # the article's own details travel with it
    assert record["created"].endswith("Z") and record["updated"].endswith("Z")
