"""SVG snapshots of People, a timeline, a same-quote group with its differences and a chart (fake
analyses: fixed speakers). Update with `./dev test tests/test_people_snapshots.py --snapshot-update`
after an intended visual change."""

from __future__ import annotations

from helpers import wait_until
from test_people_ui import app_for, library, open_people  # noqa: F401  (the fixture too)

SIZE = (100, 30)


def test_people_view(snap_compare, library, tmp_path):  # noqa: F811
    app, _ = app_for(library, tmp_path)

    async def ready(pilot):
        await open_people(pilot)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_timeline(snap_compare, library, tmp_path):  # noqa: F811
    from tui.ui.screens.timeline import TimelineScreen

    (library / "a4.md").write_text(
        "---\ntitle: Harbour plan\ndate: 2024-03-02\nsource: Outlet C\n---\n"
        "“We will reopen the harbour by spring,” Fenwick said again.\n",
        encoding="utf-8",
    )
    app, _ = app_for(library, tmp_path)

    async def ready(pilot):
        screen = await open_people(pilot)
        await wait_until(pilot, lambda: screen.same is not None, what="same quotes")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TimelineScreen), what="timeline")
        await pilot.press("j", "t", *"promise", "enter")
        await wait_until(pilot, lambda: pilot.app.screen.annotations, what="annotation")
        await pilot.app.workers.wait_for_complete()  # the reload after the save, which rewrites the status
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_chart_most_quoted(snap_compare, library, tmp_path):  # noqa: F811
    from tui.ui.screens.chart import ChartScreen

    app, _ = app_for(library, tmp_path)

    async def ready(pilot):
        await open_people(pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChartScreen) and pilot.app.screen.chart, what="chart")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


GROUP_VERSIONS = {  # file -> (title, date, outlet, quote, speaker as the article names it)
    "g1.md": (
        "Port plan announced",
        "2024-02-10",
        "Outlet A",
        "The harbour will reopen by spring and every job at the port will be kept,",
        "Orla Fenwick",
    ),
    "g2.md": ("Harbour date set", "2024-02-12", "Outlet B", "The harbour will reopen by spring and every job,", "Orla Fenwick"),
    "g3.md": (
        "Port jobs promised",
        "2024-02-14",
        "Outlet C",
        "The harbour will reopen by summer and every job at the port will be kept safe,",
        "Tomas Reyes",
    ),
}


def test_quote_group_with_differences(snap_compare, library, tmp_path, monkeypatch):  # noqa: F811
    """The same quote in three articles (`a` in a timeline): the second version stops early (its
    missing words struck through), the third changes a word and adds one (highlighted) and is
    attributed to someone else (its 'said by' line)."""
    import test_people_ui

    from tui.ui.screens.quote_group import QuoteGroupDialog
    from tui.ui.screens.timeline import TimelineScreen

    for name, (title, date, outlet, quote, speaker) in GROUP_VERSIONS.items():
        monkeypatch.setitem(test_people_ui.SPEAKERS, quote, (speaker, speaker))
        (library / name).write_text(
            f"---\ntitle: {title}\ndate: {date}\nsource: {outlet}\n---\n“{quote}” said {speaker}.\n", encoding="utf-8"
        )
    app, _ = app_for(library, tmp_path)

    async def ready(pilot):
        screen = await open_people(pilot)
        await wait_until(pilot, lambda: screen.same is not None, what="same quotes")
        assert screen.rows_widget.current.name == "Orla Fenwick"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TimelineScreen), what="timeline")
        timeline = pilot.app.screen
        target = next(i for i, q in enumerate(timeline.quotes) if q.text == GROUP_VERSIONS["g1.md"][3])
        await pilot.press(*["j"] * target, "a")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, QuoteGroupDialog), what="the group")
        assert len(pilot.app.screen.group.members) == 3
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(120, 40), run_before=ready)
