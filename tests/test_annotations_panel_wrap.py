"""The reader's Annotations panel at 80×24 and 120×40: every row is fitted by the panel to the
list's real width (less its scrollbar when the rows overflow), tags, passage and note each with
a hanging indent, long words cut between whole characters, never wrapped again by the list."""

from __future__ import annotations

import pytest
from helpers import make_app, open_article, wait_until
from rich.cells import cell_len

from tui.core.annotations import Annotation
from tui.core.articles import load_article
from tui.core.store import AnnotationStore
from tui.ui.widgets.panel_list import PanelList

SENTENCES = [
    f"Sentence {n} of the council report says the harbour budget passed narrowly after a long debate "
    f"about dredging, wages and the spring reopening of the port."
    for n in range(8)
]
WIDE = "長い言葉" * 12  # one word wider than the panel
GONE = "Critics were not convinced by any of it, and said so at length in the evening session."


@pytest.fixture
def annotated(tmp_path):
    path = tmp_path / "story.txt"
    text = "A short title\n\n" + " ".join(SENTENCES) + f" {WIDE}. {GONE}\n"
    path.write_text(text, encoding="utf-8")
    article = load_article(path)
    db = tmp_path / "db.json"
    store = AnnotationStore.open(db, explicit=True)
    for n, sentence in enumerate(SENTENCES):
        start = article.text.index(sentence)
        tags = ["harbour", f"budget-and-dredging-{n}", "a-rather-long-tag-name-for-the-panel"]
        note = "A note long enough to wrap under its text in the panel, with more words after it." if n % 2 else ""
        store.add(Annotation.for_passage(article, start, start + len(sentence), tags=tags, note=note))
    wide = article.text.index(WIDE)
    store.add(Annotation.for_passage(article, wide, wide + len(WIDE), tags=[WIDE]))
    gone = article.text.index(GONE)
    store.add(Annotation.for_passage(article, gone, gone + len(GONE), tags=["reaction"]))
    path.write_text(text.replace(f" {GONE}", ""), encoding="utf-8")  # that passage becomes an orphan
    return path, db


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_annotation_rows_fit_the_panel_with_a_hanging_indent(annotated, shared_analyzer, size):
    path, db = annotated
    app = make_app([path], db, shared_analyzer)
    async with app.run_test(size=size) as pilot:
        reader = await open_article(pilot)
        await pilot.press("a")
        panel = reader.query_one("#annotation-list", PanelList)
        await wait_until(pilot, lambda: panel.option_count == 11, what="annotations")  # 10 and the orphans' heading
        await pilot.pause()
        assert app.focused is panel and panel.show_vertical_scrollbar
        region = panel.scrollable_content_region
        rows = [str(panel.get_option_at_index(i).prompt).split("\n") for i in range(panel.option_count)]
        assert all(cell_len(line) <= region.width for lines in rows for line in lines), region.width
        for i, lines in enumerate(rows):
            prompt = panel.get_option_at_index(i).prompt
            if panel.get_option_at_index(i).disabled:  # the orphans' heading
                assert lines[0].startswith("Orphans") and all(line.startswith("  ") for line in lines[1:])
                continue
            [tags] = [prompt.plain[s.start : s.end] for s in prompt.spans if "margin-heading" in str(s.style)]
            count = tags.count("\n") + 1  # the tags' lines: the first unindented, the others under it
            assert not lines[0].startswith(" ") and all(line.startswith("  ") for line in lines[1:count])
            passage = [line for line in lines[count:] if not line.lstrip().startswith("✎")]
            assert passage[0].startswith("  ") and not passage[0].startswith("   ")
            assert all(line.startswith("    ") for line in passage[1:]), lines  # under the passage text
        wide = next(lines for lines in rows if WIDE[:4] in lines[0])
        tag = [line.strip() for line in wide if "長" in line][: len(wide) - 1]
        assert len(tag) > 2 and "".join(tag).startswith("#" + WIDE[:8])  # wrapped, cut between characters
        assert any(line.lstrip().startswith("✎") for lines in rows for line in lines)
        # what the list draws: the panel's lines, none wrapped again
        expected = {line.rstrip() for lines in rows for line in lines}
        for key in ("g", "G"):
            await pilot.press(key)
            await pilot.pause()
            shown = [panel.render_line(y).text.rstrip() for y in range(region.height)]
            assert all(line in expected for line in shown if line), shown
            assert any(line.startswith("    ") for line in shown)


async def test_annotation_rows_rewrap_when_the_terminal_is_resized(annotated, shared_analyzer):
    path, db = annotated
    app = make_app([path], db, shared_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("a")
        panel = reader.query_one("#annotation-list", PanelList)
        await wait_until(pilot, lambda: panel.option_count == 11, what="annotations")
        await pilot.press("j", "j")
        chosen = panel.get_option_at_index(panel.highlighted).id
        wide = panel.scrollable_content_region.width
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        width = panel.scrollable_content_region.width
        assert width != wide
        lines = [line for i in range(panel.option_count) for line in str(panel.get_option_at_index(i).prompt).split("\n")]
        assert width - 8 < max(cell_len(line) for line in lines) <= width
        assert panel.get_option_at_index(panel.highlighted).id == chosen  # the same annotation stays highlighted
