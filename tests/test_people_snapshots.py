"""SVG snapshots of People and a timeline (fake analyses: fixed speakers). Update with
`./dev test tests/test_people_snapshots.py --snapshot-update` after an intended visual change."""

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
