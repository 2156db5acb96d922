"""Charts of people and tags: what to plot (data only) and how a plotext-like plotter draws it.

Three charts: the most-quoted speakers (`speakers_chart`), one person's quotes over time
(`timeline_chart`: per month, or per year over a long span), and how often each tag is used
(`tags_chart`). Each is a `Chart` — labels, counts, a title and a note — that the app draws with
textual-plotext and `margin chart` with plotext, both through `draw`, which calls the methods a
plotter (plotext's module or textual-plotext's `Plot`) has in common. Nothing here imports
plotext or Textual.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from tui.core.annotations import Annotation
from tui.core.people import KINDS as PERSON_KINDS
from tui.core.people import PERSON, Person

KINDS = ("speakers", "timeline", "tags")
KINDS_ALL = PERSON_KINDS  # every kind of speaker: people, organisations, descriptions
SPEAKERS_LIMIT = 15  # bars in the most-quoted chart
TAGS_LIMIT = 20
YEARS_FROM = 48  # a span of more months than this is counted per year
_MONTH = re.compile(r"^(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Chart:
    """What a chart shows: one bar per label (in order), its count, and words around it."""

    kind: str  # "speakers" | "timeline" | "tags"
    title: str
    labels: list[str]
    values: list[int]
    value_label: str  # what a count counts ("quotes", "annotations")
    horizontal: bool  # bars along the x axis, labels on the left (rankings)
    note: str = ""  # what is left out ("3 quotes without a date")
    empty: str = "nothing to show"  # said instead of a chart without bars
    rows: list[dict[str, str | int]] = field(default_factory=list)  # the same data for scripts

    @property
    def is_empty(self) -> bool:
        """No bar to draw."""
        return not self.values or not any(self.values)


def speakers_chart(people: Iterable[Person], limit: int = SPEAKERS_LIMIT, kinds: Iterable[str] = (PERSON,)) -> Chart:
    """The `limit` most-quoted rows of `kinds` (people by default), most quoted first."""
    wanted = set(kinds)
    rows = sorted((p for p in people if p.kind in wanted), key=lambda p: (-p.quote_count, -p.articles, p.name.casefold()))
    shown = rows[:limit]
    left = len(rows) - len(shown)
    if left > 0:
        most = rows[limit].quote_count  # the most any left-out row has (ties with the last bar are possible)
        note = f"{left} more speaker(s) not shown, with {most} quote(s) or fewer"
    else:
        note = ""
    return Chart(
        "speakers",
        f"Most quoted ({len(shown)} of {len(rows)})" if left > 0 else "Most quoted",
        [_label(p.name) for p in shown],
        [p.quote_count for p in shown],
        "quotes",
        True,
        note,
        "no speaker found yet (analysed articles with quotes show their speakers here)",
        [{"name": p.name, "quotes": p.quote_count, "articles": p.articles} for p in shown],
    )


def timeline_chart(person: Person, dates: Iterable[str | None] | None = None) -> Chart:
    """`person`'s quotes per month from the first to the last (months without a quote count 0),
    or per year when that spans more than YEARS_FROM months; undated quotes are counted in the note.
    `dates`: the quotes' dates, when the caller has them (else read from the person's quotes)."""
    if dates is None:
        dates = [q.date for q in person.quotes]
    months: Counter[tuple[int, int]] = Counter()
    undated = 0
    for date in dates:
        m = _MONTH.match(date or "")
        if m is None or not 1 <= int(m.group(2)) <= 12:
            undated += 1
            continue
        months[(int(m.group(1)), int(m.group(2)))] += 1
    note = f"{undated} quote(s) without a date not shown" if undated else ""
    if not months:
        return Chart("timeline", f"{person.name}: quotes over time", [], [], "quotes", False, note, "no dated quote to show", [])
    first, last = min(months), max(months)
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if span > YEARS_FROM:
        years: Counter[int] = Counter()
        for (year, _), n in months.items():
            years[year] += n
        labels = [str(y) for y in range(first[0], last[0] + 1)]
        values = [years[y] for y in range(first[0], last[0] + 1)]
        per = "year"
    else:
        labels, values = [], []
        year, month = first
        for _ in range(span):
            labels.append(f"{year}-{month:02}")
            values.append(months[(year, month)])
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        per = "month"
    return Chart(
        "timeline",
        f"{_label(person.name, 60)}: quotes per {per}",
        labels,
        values,
        "quotes",
        False,
        note,
        "no dated quote to show",
        [{per: label, "quotes": n} for label, n in zip(labels, values)],
    )


def tag_counts(annotations: Iterable[Annotation]) -> Counter[str]:
    """How many annotations carry each tag (tags compared case-insensitively, shown as first written)."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for annotation in annotations:
        for tag in set(getattr(annotation, "tags", ()) or ()):
            key = tag.casefold()
            shown.setdefault(key, tag)
            counts[key] += 1
    return Counter({shown[k]: n for k, n in counts.items()})


def tags_chart(annotations: Iterable[Annotation], limit: int = TAGS_LIMIT) -> Chart:
    """The `limit` most used tags of `annotations`, most used first."""
    counts = tag_counts(annotations)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    shown = ranked[:limit]
    left = len(ranked) - len(shown)
    return Chart(
        "tags",
        f"Tags ({len(shown)} of {len(ranked)})" if left > 0 else "Tags",
        [_label("#" + t) for t, _ in shown],
        [n for _, n in shown],
        "annotations",
        True,
        f"{left} more tag(s) not shown, each used {shown[-1][1] if shown else 0} time(s) or fewer" if left > 0 else "",
        "no tag yet (tag a passage or a quote with t)",
        [{"tag": t, "annotations": n} for t, n in shown],
    )


def _label(text: str, width: int = 28) -> str:
    """A bar's label on one line, cut to `width` characters (control characters made spaces)."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def ticks(top: int, most: int = 6) -> list[int]:
    """Whole-number ticks from 0 to at least `top`, at most about `most` of them."""
    top = max(1, top)
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = candidate
        if top / candidate <= most - 1:
            break
    else:
        step = -(-top // (most - 1))
    end = -(-top // step) * step
    return list(range(0, end + 1, step))


def fitting_height(chart: Chart) -> int:
    """The plot height (lines) that gives a horizontal chart one row per bar and a blank row between
    (title, frame, ticks and axis label included); 20 for a vertical one."""
    if not chart.horizontal:
        return 20
    return 2 * max(1, len(chart.labels)) + 4


def bars_fitting(height: int) -> int:
    """How many horizontal bars a plot `height` lines high shows one row apart."""
    return max(1, (height - 4) // 2)


class Plotter(Protocol):
    """What `draw` uses of plotext: its module, or textual-plotext's `Plot` (they share these methods)."""

    def clear_data(self) -> None: ...  # noqa: D102
    def title(self, label: str) -> None: ...  # noqa: D102
    def xticks(self, ticks: list[int], labels: list[str]) -> None: ...  # noqa: D102
    def yticks(self, ticks: list[int], labels: list[str]) -> None: ...  # noqa: D102
    def xlabel(self, label: str) -> None: ...  # noqa: D102
    def ylabel(self, label: str) -> None: ...  # noqa: D102
    def xlim(self, left: float, right: float) -> None: ...  # noqa: D102
    def bar(self, *args: object, **kwargs: object) -> None: ...  # noqa: D102


def draw(plt: Plotter, chart: Chart, color: str | tuple[int, int, int] | None = None) -> None:
    """Draw `chart` with `plt` — plotext's module or textual-plotext's `Plot` (the methods they
    share): bars in `color` (a plotext colour name or an (r, g, b) tuple; default plotext's)."""
    plt.clear_data()
    plt.title(chart.title)
    if chart.is_empty:
        plt.xticks([], [])
        plt.yticks([], [])
        return
    extra = {"color": color} if color is not None else {}
    if chart.horizontal:
        # plotext draws the first bar at the bottom: reversed, the largest is on top.
        # Thin bars on a plot of `fitting_height` rows: one row per bar, a blank row between.
        plt.bar(list(reversed(chart.labels)), list(reversed(chart.values)), orientation="horizontal", width=0.1, **extra)
        marks = ticks(max(chart.values))
        plt.xticks(marks, [str(m) for m in marks])
        plt.xlabel(chart.value_label)
    else:
        positions = list(range(1, len(chart.labels) + 1))
        plt.bar(positions, chart.values, width=0.6, **extra)
        plt.xlim(0.4, len(positions) + 0.6)  # a lone month stays a bar, not the whole width
        step = max(1, -(-len(positions) // 8))  # at most about 8 labels under the bars
        plt.xticks(positions[::step], chart.labels[::step])
        marks = ticks(max(chart.values))
        plt.yticks(marks, [str(m) for m in marks])
        plt.ylabel(chart.value_label)
