"""Charts (`v` in People and in a timeline): the most-quoted people, one person's quotes over
time, tag counts — drawn with textual-plotext, in the colours of the current theme.

The data and the drawing are `tui.core.charts` (the same as `margin chart`); this screen picks
the chart, fits it to the screen (a ranking shows as many bars as fit one row apart) and redraws
on a resize or a theme change. Under the chart, its note (what is left out); on the line above
the footer, on every chart, the hint: 1 most quoted · 2 this person over time · 3 tags.
Keys: also escape back · ? help · q quit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from tui.core import charts
from tui.core.people import Person
from tui.core.text import one_line
from tui.ui.deliver import deliver
from tui.ui.palette import HELP, Command, ScreenCommands

CHART_KEYS = [
    (
        "Charts",
        [
            ("1", "the most-quoted people (bars, as many as fit)"),
            ("2", "the chosen person's quotes over time (per month; per year over more than four years)"),
            ("3", "tag counts: how many annotations carry each tag"),
        ],
    ),
    (
        "General",
        [
            ("Escape", "back"),
            ("ctrl+p", "command palette"),
            ("?", "this help"),
            ("q", "quit"),
        ],
    ),
]
CHART_NAMES = {"speakers": "most quoted", "timeline": "quotes over time", "tags": "tag counts"}
CHART_HINT = "1 most quoted · 2 over time · 3 tags"


class ChartCommands(ScreenCommands):
    """The chart screen's commands: each chart, and help."""

    def commands(self) -> Iterable[Command]:
        screen: Any = self.screen
        yield "Chart: most quoted", "The most-quoted people as bars (1)", lambda: screen.action_show("speakers")
        if screen.person is not None:
            yield "Chart: quotes over time", "This person's quotes per month (2)", lambda: screen.action_show("timeline")
        yield "Chart: tag counts", "How many annotations carry each tag (3)", lambda: screen.action_show("tags")
        yield *HELP, screen.action_help


class ChartScreen(Screen):
    """One chart at a time; `1` / `2` / `3` switch between them."""

    COMMANDS = {ChartCommands}
    BINDINGS = [
        Binding("1", "show('speakers')", "Most quoted"),
        Binding("2", "show('timeline')", "Over time"),
        Binding("3", "show('tags')", "Tags"),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, people: Callable[[], list[Person]], person: Person | None = None, kind: str = "speakers") -> None:
        super().__init__()
        self.people = people  # the rows of People (a callable: they may still be filling in)
        self.person = person
        self.kind = kind if kind in charts.KINDS else "speakers"
        self.chart: charts.Chart | None = None
        self.annotations: list | None = None  # read from the store for the tags chart, once

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        yield Static(id="chart-title")
        with Vertical(id="chart-body"):  # the rest of the screen: the hint stays at its foot
            yield PlotextPlot(id="chart-plot")
            yield Static(id="chart-note")
        yield Static(Content(CHART_HINT), id="chart-hint")
        yield Footer()

    @property
    def plot(self) -> PlotextPlot:
        return self.query_one(PlotextPlot)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.redraw())
        self.action_show(self.kind)

    def on_resize(self) -> None:
        self.redraw()

    # -- keys ------------------------------------------------------------------------------------
    def action_show(self, kind: str) -> None:
        if kind == "timeline" and self.person is None:
            self.notify("Choose a person first: Enter on a row of People, then v in their timeline.", timeout=4, markup=False)
            return
        self.kind = kind
        if kind == "tags" and self.annotations is None:
            self._set_title("reading your annotations…")
            self.read_annotations()
            return
        self.redraw()

    @work(thread=True, exclusive=True, group="chart-tags")
    def read_annotations(self) -> None:
        from tui.core.store import StoreError

        try:
            annotations = list(self.app.store.all())
        except StoreError as exc:
            deliver(self, self.notify, one_line(str(exc), 200), severity="error", markup=False)
            annotations = []
        annotations += list(getattr(self.app, "unsaved", {}).values())
        deliver(self, self._annotations_read, annotations)

    def on_store_changed(self) -> None:
        """Another process changed the annotations: the tag counts, read anew (when read already)."""
        if self.annotations is not None:
            self.read_annotations()

    def _annotations_read(self, annotations: list) -> None:
        self.annotations = annotations
        if self.kind == "tags":
            self.redraw()

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("Chart keys", CHART_KEYS))

    def action_back(self) -> None:
        self.dismiss()

    # -- drawing ---------------------------------------------------------------------------------
    def make_chart(self) -> charts.Chart:
        """The chart of `kind`, as many bars as fit the plot's height."""
        room = charts.bars_fitting(self.room())
        if self.kind == "timeline" and self.person is not None:
            return charts.timeline_chart(self.person)
        if self.kind == "tags":
            return charts.tags_chart(self.annotations or [], limit=min(charts.TAGS_LIMIT, room))
        return charts.speakers_chart(self.people(), limit=min(charts.SPEAKERS_LIMIT, room))

    def room(self) -> int:
        """Lines the plot may take: the screen less the title, the note, the hint and the footer."""
        return max(8, self.size.height - 4)

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        chart = self.chart = self.make_chart()
        plot = self.plot
        # A ranking gets exactly the lines that put its bars one row apart; a timeline all there is.
        plot.styles.height = min(self.room(), charts.fitting_height(chart)) if chart.horizontal else "1fr"
        colour = Color.parse(self.app.theme_variables.get("primary", "#0178D4")).rgb
        plot.plt.clear_figure()
        charts.draw(plot.plt, chart, color=colour)
        if not chart.horizontal and not chart.is_empty:
            self._value_label_above_the_axis(chart)
        plot.refresh()
        self._set_title()
        note = (f"{chart.empty} ({chart.note})" if chart.note else chart.empty) if chart.is_empty else chart.note
        self.query_one("#chart-note", Static).update(Content(one_line(note or "", 300)))

    def _value_label_above_the_axis(self, chart: charts.Chart) -> None:
        """What the bars count ("quotes") at the top of the y axis, on the chart title's line
        (plotext would draw it in the bottom left corner, under the axis and the month labels);
        the title alone there when both do not fit."""
        plt = self.plot.plt
        plt.ylabel(None)
        width = self.plot.size.width or self.size.width
        axis = len(str(max(chart.values))) + 1  # the tick labels and the axis left of the bars
        title_starts = axis + (width - axis) // 2 - len(chart.title) // 2
        if title_starts >= len(chart.value_label) + 2:
            plt.title(chart.value_label)  # plotext puts the title on the left when there is an upper label
            plt.xlabel(chart.title, xside="upper")  # ... and that label in the middle

    def _set_title(self, extra: str = "") -> None:
        title = Text("Margin — chart: ", style="bold")
        title.append(CHART_NAMES[self.kind], style="bold")
        if self.kind == "timeline" and self.person is not None:
            title.append(" · ")
            title.append(one_line(self.person.name, 60))
        if extra:
            title.append(f"  ·  {extra}")
        self.query_one("#chart-title", Static).update(title)
