"""Library benchmarks: start-up at 10,000 articles vs a Textual hello world, filter latency, memory.

    .venv/bin/python bench/library_bench.py [--articles 10000] [--runs 5]

Each launch is a fresh headless process (`App.run(headless=True)`). Both are timed from the
parent's launch to the first *painted* frame (the first compositor update the app hands to its
driver, `App._display`: what a terminal would be sent), then exit; the whole process (to exit)
is timed too:

* hello   — a Textual app showing one Static.
* library — `MarginApp` on a folder of N generated articles, with the index already built
            (the usual start). "rows" = the first frame that shows the indexed rows;
            "checked" = the first frame after the walk has also confirmed nothing changed.
* cold    — the first start on the folder (index built in the worker, progress bar).

Filter latency is measured in-process with `App.run_test`: the time the screen takes to filter +
sort + update the list for one keystroke (title/source only, then with the texts read), and the
Pilot key round trip (press → processed → idle, an upper bound that includes Pilot overhead).
Peak memory is the child's ru_maxrss.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = (
    "government minister council election vote city river bridge market prices police court report "
    "said officials week year people country president union workers strike school hospital budget "
    "water energy climate storm harbour festival museum team season coach players fans victory "
    "the a of to in and on for with at by from that this was were is are be has have had will would"
).split()
SOURCES = ["Daily Bugle", "Coast Herald", "Gazette", "The Ledger", "Morning Post", None]

# Both apps are timed the same way: to the first frame the app hands to its driver (App._display
# with a compositor update: what a terminal would be sent), not to a point where data is ready.
HELLO = """
import resource, sys, time
from textual.app import App
from textual.widgets import Static

launched = float(sys.argv[1])
marks = {}

class Hello(App):
    def compose(self):
        yield Static("Hello, world")

    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if renderable is not None and "painted" not in marks:
            marks["painted"] = time.time() - launched
            self.call_later(self.exit)

app = Hello()
app.run(headless=True, size=(120, 40))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, marks["painted"])
"""

LIBRARY = """
import resource, sys, time
from pathlib import Path
from tui.core.analysis.service import Analyzer
from tui.core.store import AnnotationStore
from tui.ui.app import MarginApp
from tui.ui.screens.library import LibraryScreen

folder, db, cache, until, launched = sys.argv[1:6]
marks = {}

import tui.ui.app as _app_module

class BenchApp(MarginApp):
    CSS_PATH = str(Path(_app_module.__file__).with_name("margin.tcss"))

    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if renderable is None or not isinstance(screen, LibraryScreen) or not screen.articles:
            return
        now = time.time() - float(launched)
        marks.setdefault("rows", now)  # the first frame that shows the library's rows
        if screen.loaded:
            marks.setdefault("checked", now)  # the first frame after the walk confirmed them
        if until == "rows" or "checked" in marks:
            self.call_later(self.exit)

store = AnnotationStore.open(db, explicit=True)
app = BenchApp(paths=[folder], store=store, analyzer=Analyzer(cache=Path(cache)))
app.run(headless=True, size=(120, 40))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, marks["rows"], marks.get("checked", marks["rows"]))
print(int("spacy" in sys.modules), int("trafilatura" in sys.modules))
"""


def generate(folder: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize()
        paras = []

        def sentence() -> str:
            return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."

        for _ in range(rng.randint(4, 10)):
            paras.append(" ".join(sentence() for _ in range(rng.randint(2, 5))))
        sub = folder / f"{i // 1000:02}"
        sub.mkdir(exist_ok=True)
        if i % 3 == 0:
            source = rng.choice(SOURCES)
            front = f'---\ntitle: "{title}"\ndate: 20{rng.randint(10, 24)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}\n'
            front += f"source: {source}\n---\n\n" if source else "---\n\n"
            (sub / f"{i:05}.md").write_text(front + title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
        else:
            head = f"date 20{rng.randint(10, 24)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02} Somewhere\n\n" if i % 2 else ""
            (sub / f"{i:05}.txt").write_text(head + title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")


def child(script: str, args: list[str], env: dict) -> tuple[float, list[str]]:
    start = time.perf_counter()
    args = [*args, repr(time.time())]
    done = subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=REPO, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr}")
    return elapsed, done.stdout.split()


async def filter_latency(folder: Path, tmp: Path, env: dict) -> dict:
    os.environ.update(env)
    from tui.core.analysis.service import Analyzer
    from tui.core.store import AnnotationStore
    from tui.ui.app import MarginApp
    from tui.ui.screens.library import LibraryScreen

    store = AnnotationStore.open(tmp / "db-filter.json", explicit=True)
    app = MarginApp(paths=[str(folder)], store=store, analyzer=Analyzer(cache=tmp / "cache"))
    out: dict = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, LibraryScreen) and app.screen.loaded):
            await pilot.pause(0.05)
        screen = app.screen
        timings: list[float] = []
        real_apply = screen.apply

        def timed_apply():
            t0 = time.perf_counter()
            real_apply()
            screen.rows_widget._render_lines_for_bench = [
                screen.rows_widget.render_line(y) for y in range(screen.rows_widget.size.height)
            ]
            timings.append(time.perf_counter() - t0)

        screen.apply = timed_apply
        await pilot.press("slash")
        keys = list("council")
        round_trips = []
        for key in keys:
            t0 = time.perf_counter()
            await pilot.press(key)
            round_trips.append(time.perf_counter() - t0)
        out["title_only_apply_ms"] = [round(t * 1000, 1) for t in timings[-len(keys) :]]
        out["title_only_pilot_ms"] = [round(t * 1000, 1) for t in round_trips]
        while not screen.corpus_ready:
            await pilot.pause(0.05)
        from tui.core.library import TextCorpus

        t0 = time.perf_counter()
        TextCorpus().load(list(screen.entries))  # what the worker did after the first keystroke
        out["read_all_texts_s"] = round(time.perf_counter() - t0, 2)
        await pilot.press("escape", "slash")
        timings.clear()
        round_trips = []
        for key in "harbour":
            t0 = time.perf_counter()
            await pilot.press(key)
            round_trips.append(time.perf_counter() - t0)
        out["with_text_apply_ms"] = [round(t * 1000, 1) for t in timings[-7:]]
        out["with_text_pilot_ms"] = [round(t * 1000, 1) for t in round_trips]
        out["shown_after_filter"] = len(screen.articles)
    return out


async def pilot_baseline() -> list[float]:
    """The same Pilot key round trip into a one-Input app: Pilot's own overhead, to subtract."""
    from textual.app import App
    from textual.widgets import Input

    class OneInput(App):
        def compose(self):
            yield Input()

    app = OneInput()
    trips = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        for key in "council":
            t0 = time.perf_counter()
            await pilot.press(key)
            trips.append(round((time.perf_counter() - t0) * 1000, 1))
    return trips


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="margin-bench-"))
    try:
        run(tmp, args)
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def run(tmp: Path, args: argparse.Namespace) -> None:
    folder = tmp / "articles"
    t0 = time.perf_counter()
    generate(folder, args.articles)
    print(f"generated {args.articles} articles in {time.perf_counter() - t0:.1f} s under {folder}")
    env = dict(
        os.environ,
        MARGIN_DATA_DIR=str(tmp / "data"),
        MARGIN_CACHE_DIR=str(tmp / "cache"),
        MARGIN_CONFIG_DIR=str(tmp / "config"),
        PYTHONPATH=str(REPO),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine: compiled modules are cached
    lib_args = [str(folder), str(tmp / "db.json"), str(tmp / "cache"), "checked"]

    cold, out = child(LIBRARY, lib_args, env)
    print(f"cold start (index built for {args.articles} files): {cold:.2f} s, peak RSS {int(out[0]) / 1024:.0f} MiB")

    hello, library_rows, library_checked = [], [], []
    hello_rss = lib_rss = 0
    flags = None
    hello_exit, library_exit = [], []
    for _ in range(args.runs):
        elapsed, out = child(HELLO, [], env)
        hello_exit.append(elapsed)
        hello.append(float(out[1]))
        hello_rss = max(hello_rss, int(out[0]))
        elapsed, out = child(LIBRARY, lib_args, env)
        library_exit.append(elapsed)
        library_rows.append(float(out[1]))
        library_checked.append(float(out[2]))
        lib_rss = max(lib_rss, int(out[0]))
        flags = out[3:]
    h, r, c = statistics.median(hello), statistics.median(library_rows), statistics.median(library_checked)
    he, le = statistics.median(hello_exit), statistics.median(library_exit)
    print("launch (parent spawns the process) to the first painted frame, medians:")
    print(f"  hello world painted:          {h:.3f} s  (runs: {', '.join(f'{x:.3f}' for x in hello)})")
    print(
        f"  library rows painted:         {r:.3f} s  = {r / h:.2f}x hello  (runs: {', '.join(f'{x:.3f}' for x in library_rows)})"
    )
    print(f"  library walk checked, painted: {c:.3f} s  = {c / h:.2f}x hello")
    print(
        f"  whole process (to exit after that frame): hello {he:.3f} s, library {le:.3f} s = {le / he:.2f}x"
        "  (bench/startup.py: the same with TEXTUAL_PRESS ctrl+q and a Header + Static + Footer hello)"
    )
    print(f"spaCy imported: {'yes' if flags[0] == '1' else 'no'}; trafilatura imported: {'yes' if flags[1] == '1' else 'no'}")
    print(f"peak RSS: hello {hello_rss / 1024:.0f} MiB, library {lib_rss / 1024:.0f} MiB (index of {args.articles})")

    latency = asyncio.run(filter_latency(folder, tmp, env))
    print("filter keystroke, screen work (filter+sort+list update+render visible rows), ms:")
    print(f"  title/source only: {latency['title_only_apply_ms']}")
    print(
        f"  with article text: {latency['with_text_apply_ms']}  (after reading every text once: {latency['read_all_texts_s']} s, in a worker)"
    )
    print("filter keystroke, Pilot round trip (upper bound), ms:")
    print(f"  title/source only: {latency['title_only_pilot_ms']}")
    print(f"  with article text: {latency['with_text_pilot_ms']}")
    baseline = asyncio.run(pilot_baseline())
    latency["pilot_baseline_ms"] = baseline
    print(f"  the same Pilot round trip into a bare Input app (Pilot's own cost): {baseline}")
    import resource

    print(
        f"peak RSS of the filter run (texts of {args.articles} articles in memory): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print(json.dumps({"hello_s": h, "rows_s": r, "checked_s": c, "cold_s": cold, **latency}))


if __name__ == "__main__":
    main()
