"""Charts: the data (tui.core.charts), the chart screen by keys (v in People and a timeline; 1 / 2
/ 3; ?), and `margin chart speakers|timeline NAME|tags [--output FILE]` (fake analyses)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from helpers import wait_until
from test_people_cli import fake, folder, run  # noqa: F401  (fixtures)
from test_people_ui import app_for, library, open_people  # noqa: F401  (the fixture too)

from tui.core import charts
from tui.core.people import Person


def person(name: str, quotes: int, kind: str = "person", articles: int = 1) -> Person:
    return Person(f"person:{name.casefold()}", name, kind, quote_count=quotes, articles=articles)


# -- the data ------------------------------------------------------------------------------------
def test_speakers_chart_ranks_people_and_says_what_is_left_out():
    people = [
        person("Orla Fenwick", 3),
        person("Ansel Traske", 5),
        person("a senior official", 9, "description"),
        person("Zofia Quill", 3, articles=2),
        person("Bram Moreau", 1),
    ]
    chart = charts.speakers_chart(people, limit=3)
    assert chart.labels == ["Ansel Traske", "Zofia Quill", "Orla Fenwick"]  # ties: more articles first
    assert chart.values == [5, 3, 3] and chart.horizontal
    assert chart.note == "1 more speaker(s) not shown, with 1 quote(s) or fewer"
    tied = charts.speakers_chart(people, limit=2)  # Orla Fenwick has as many quotes as the last bar shown
    assert tied.note == "2 more speaker(s) not shown, with 3 quote(s) or fewer"
    assert "a senior official" not in chart.labels  # people only, unless asked
    assert charts.speakers_chart(people, kinds=charts.KINDS_ALL).labels[0] == "a senior official"
    assert charts.speakers_chart([]).is_empty


def test_timeline_chart_counts_months_with_gaps_and_undated_quotes():
    who = person("Orla Fenwick", 5)
    chart = charts.timeline_chart(who, ["2024-01-05", "2024-03-30", "2024-03-01", None, "sometime"])
    assert chart.labels == ["2024-01", "2024-02", "2024-03"]
    assert chart.values == [1, 0, 2]
    assert chart.note == "2 quote(s) without a date not shown"
    long = charts.timeline_chart(who, ["2010-05-01", "2024-02-01", "2024-03-01"])
    assert long.labels[0] == "2010" and long.labels[-1] == "2024" and long.values[-1] == 2  # per year
    assert charts.timeline_chart(who, [None]).is_empty


def test_tags_chart_counts_annotations_per_tag_case_insensitively():
    notes = [SimpleNamespace(tags=["promise", "Budget"]), SimpleNamespace(tags=["Promise"]), SimpleNamespace(tags=[])]
    chart = charts.tags_chart(notes)
    assert chart.labels == ["#promise", "#Budget"] and chart.values == [2, 1]


def test_tags_left_out_are_said_to_be_used_no_more_than_those_shown():
    once_each = [SimpleNamespace(tags=[f"tag{n}"]) for n in range(5)]
    assert charts.tags_chart(once_each, limit=2).note == "3 more tag(s) not shown, each used 1 time(s) or fewer"
    assert charts.tags_chart(once_each, limit=5).note == ""


def test_labels_lose_control_characters_and_ticks_are_whole_numbers():
    chart = charts.speakers_chart([person("Evil\x1b[31m Name\nhere", 2)])
    assert "\x1b" not in chart.labels[0] and "\n" not in chart.labels[0]
    assert charts.ticks(4) == [0, 1, 2, 3, 4]
    assert charts.ticks(47) == [0, 10, 20, 30, 40, 50]
    assert charts.bars_fitting(charts.fitting_height(charts.speakers_chart([person("A B", 1)] * 7))) == 7


# -- the chart screen ----------------------------------------------------------------------------
async def test_v_in_people_shows_the_most_quoted_and_1_2_3_switch_charts(library, tmp_path):  # noqa: F811
    from tui.ui.screens.chart import ChartScreen
    from tui.ui.screens.help import HelpScreen
    from tui.ui.screens.people import PeopleScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart, what="chart")
        screen = app.screen
        assert screen.chart.kind == "speakers"
        assert screen.chart.labels[0] == "Orla Fenwick" and screen.chart.values[0] == 3
        assert "Orla Fenwick" in app.screen.plot.plt.build()  # drawn by textual-plotext
        await pilot.press("2")
        assert screen.chart.kind == "timeline" and screen.chart.labels == ["2024-03", "2024-04", "2024-05"]
        assert screen.chart.values == [2, 0, 1]
        await pilot.press("3")
        await wait_until(pilot, lambda: screen.chart.kind == "tags", what="tags chart")
        assert screen.chart.is_empty and "no tag yet" in str(screen.query_one("#chart-note").render())
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and app.screen.title_text == "Chart keys"
        await pilot.press("escape")
        await pilot.press("1")
        assert screen.chart.kind == "speakers"
        await pilot.press("escape")
        assert isinstance(app.screen, PeopleScreen)


async def test_tags_chart_counts_the_tags_given_in_a_timeline(library, tmp_path):  # noqa: F811
    from tui.ui.screens.chart import ChartScreen
    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        await pilot.press("t", *"promise", "enter")
        await pilot.press("j", "t", *"promise", "enter")
        await pilot.press("v")  # from a timeline: this person's quotes over time
        await wait_until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart, what="chart")
        assert app.screen.chart.kind == "timeline" and sum(app.screen.chart.values) == 3
        await pilot.press("3")
        await wait_until(pilot, lambda: app.screen.chart.kind == "tags" and app.screen.chart.values, what="tags")
        assert app.screen.chart.labels == ["#promise"] and app.screen.chart.values == [2]
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)


async def test_chart_follows_the_theme_and_fits_a_small_screen(library, tmp_path):  # noqa: F811
    from tui.ui.screens.chart import ChartScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_people(pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart, what="chart")
        screen = app.screen
        dark = screen.plot.plt.build()
        app.theme = "textual-light"
        await pilot.pause(0.1)
        light = screen.plot.plt.build()
        assert light != dark  # the bars take the light theme's colour
        assert screen.plot.size.height <= 24 - 3
        assert len(screen.chart.labels) <= charts.bars_fitting(24 - 3)


def test_chart_keys_collide_with_nothing_and_are_all_in_help():
    from tui.ui.screens.chart import CHART_KEYS, ChartScreen

    keys = [k for b in ChartScreen.BINDINGS for k in b.key.split(",")]
    assert len(keys) == len(set(keys))
    documented = {key for _, rows in CHART_KEYS for key, _ in rows}
    names = {"escape": "Escape", "question_mark": "?"}
    assert all(names.get(k, k) in documented for k in keys)


# -- margin chart --------------------------------------------------------------------------------
def test_margin_chart_speakers_writes_plain_text_to_a_file(folder, fake, capsys, tmp_path):  # noqa: F811
    out_file = tmp_path / "speakers.txt"
    code, out, err = run(capsys, "chart", "speakers", str(folder), "--output", str(out_file))
    assert code == 0 and out == "" and "chart written to" in err
    text = out_file.read_text(encoding="utf-8")
    assert "\x1b" not in text
    assert "Most quoted" in text and "Orla Fenwick" in text and "Ansel Traske" in text
    assert text.index("Orla Fenwick") < text.index("Ansel Traske")  # the most quoted on top
    code, _, err = run(capsys, "chart", "speakers", str(folder), "--output", str(out_file))
    assert code == 1 and "already exists (use --force to overwrite it)" in err
    code, _, _ = run(capsys, "chart", "speakers", str(folder), "--output", str(out_file), "--force")
    assert code == 0


def test_margin_chart_timeline_to_a_pipe_has_no_escape_codes(folder, fake, capsys):  # noqa: F811
    code, out, _ = run(capsys, "chart", "timeline", "senator fenwick", str(folder), "--width", "70")
    assert code == 0
    assert "\x1b" not in out
    assert "Orla Fenwick: quotes per month" in out and "2024-03" in out
    assert max(len(line) for line in out.splitlines()) <= 70
    code, _, err = run(capsys, "chart", "timeline", "Nobody Here", str(folder))
    assert code == 1 and "no speaker named 'Nobody Here'" in err


def test_margin_chart_tags_counts_the_databases_tags(capsys, tmp_path):
    from tui.core.annotations import Annotation
    from tui.core.articles import load_article
    from tui.core.store import AnnotationStore

    db = tmp_path / "ann.json"
    store = AnnotationStore.open(db, explicit=True)
    (tmp_path / "x.txt").write_text("One two three. Four five six.\n", encoding="utf-8")
    article = load_article(tmp_path / "x.txt")
    for start, end, tags in ((0, 14, ["promise"]), (15, 29, ["promise", "budget"])):
        store.add(Annotation.for_passage(article, start, end, tags=tags))
    code, out, _ = run(capsys, "chart", "tags", "--db", str(db), "--width", "60")
    assert code == 0 and "#promise" in out and "#budget" in out and "\x1b" not in out
    AnnotationStore.open(tmp_path / "empty.json", explicit=True)
    code, out, _ = run(capsys, "chart", "tags", "--db", str(tmp_path / "empty.json"))
    assert code == 0 and "no tag yet" in out


def test_margin_chart_puts_many_bars_one_row_apart_however_short_the_terminal(capsys, tmp_path, monkeypatch):
    import os

    from tui.core.annotations import Annotation
    from tui.core.articles import load_article
    from tui.core.store import AnnotationStore

    monkeypatch.setattr(os, "get_terminal_size", lambda *_: os.terminal_size((80, 24)))
    db = tmp_path / "ann.json"
    (tmp_path / "x.txt").write_text("One two three. Four five six.\n", encoding="utf-8")
    tags = [f"tag{n:02}" for n in range(1, 15)]
    AnnotationStore.open(db, explicit=True).add(Annotation.for_passage(load_article(tmp_path / "x.txt"), 0, 14, tags=tags))
    code, out, _ = run(capsys, "chart", "tags", "--db", str(db), "--width", "50")
    rows = [line for line in out.splitlines() if "┤" in line or line.lstrip().startswith("│")]
    labelled = [i for i, line in enumerate(rows) if "#tag" in line]
    assert code == 0 and len(labelled) == 14
    assert all(b - a == 2 for a, b in zip(labelled, labelled[1:]))  # a blank row between bars, no bar two rows tall


async def test_the_command_palette_opens_a_chart_from_people(library, tmp_path):  # noqa: F811
    from tui.ui.screens.chart import ChartScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"chart tag counts")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart, what="chart")
        await wait_until(pilot, lambda: app.screen.chart.kind == "tags", what="the tags chart")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_over_time_chart_puts_what_it_counts_atop_the_y_axis(library, tmp_path, size):  # noqa: F811
    """Chart 2 says what its bars count ("quotes") at the top of the y axis, on its title's line,
    not under the axis (plotext's place, beside the month labels)."""
    from rich.text import Text

    from tui.ui.screens.chart import ChartScreen
    from tui.ui.screens.timeline import TimelineScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=size) as pilot:
        await open_people(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen), what="timeline")
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart, what="chart")
        screen = app.screen
        assert screen.chart.kind == "timeline"
        await pilot.pause()
        drawn = Text.from_ansi(screen.plot.plt.build()).plain
        lines = [line.rstrip() for line in drawn.splitlines()]
        lines = [line for line in lines if line.strip()]
        assert lines[0].startswith("quotes ") and screen.chart.title in lines[0]
        assert "┌" in lines[1] and "└" in lines[-2]  # the label, then the axis box
        assert "quotes" not in "\n".join(lines[1:])


async def test_the_tags_chart_follows_another_process_s_tags(library, tmp_path):  # noqa: F811
    from tui.core.annotations import Annotation
    from tui.core.articles import load_article
    from tui.core.store import AnnotationStore
    from tui.ui.screens.chart import ChartScreen

    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await pilot.press("v", "3")
        await wait_until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.annotations is not None, what="tags")
        screen = app.screen
        assert screen.chart.is_empty
        article = load_article(next(library.iterdir()))
        other = AnnotationStore.open(tmp_path / "data" / "ann.json", explicit=True)  # `margin import` meanwhile
        other.add(Annotation.for_passage(article, 0, 5, tags=["imported"]))
        app.check_store_changes()  # what the app's timer does
        await wait_until(pilot, lambda: screen.chart.labels == ["#imported"], what="the new tag in the chart")


async def test_a_person_quoted_only_without_dates_is_told_how_many_quotes_are_left_out(library, tmp_path):  # noqa: F811
    from tui.ui.screens.chart import ChartScreen

    (library / "a9.md").write_text("---\ntitle: Undated\nsource: Outlet C\n---\n“A quote with no date.”\n", encoding="utf-8")
    app, _ = app_for(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        screen.rows_widget.move_to([p.name for p in screen.shown].index("Nobody"))
        await pilot.press("v", "2")
        await wait_until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart.kind == "timeline", what="chart")
        note = str(app.screen.query_one("#chart-note").render())
        assert "no dated quote to show" in note and "1 quote(s) without a date not shown" in note
