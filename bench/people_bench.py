"""People index speed on a generated library: 10,000 articles, about 60,000 quotes.

    .venv/bin/python bench/people_bench.py [--articles 10000] [--no-ui]

Measures: summarising every analysis (what a first build does per article), the per-article
cache written and read back, the people index built from every summary, saved and read back,
brought up to date after 10 articles changed (incremental), sorting and one filter keystroke,
the same-quote grouping (first time, unchanged, after 10 changed articles, in a new session),
and (unless --no-ui) the People view in a headless app: the first session ever (no index yet),
a new session opening from the index until the rows show, and filter keystrokes (wall time of a
Pilot press, and the process CPU time it cost).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.analysis.result import Analysis, Entity, Quote, Speaker  # noqa: E402
from tui.core.people import (  # noqa: E402
    PeopleCache,
    PeopleIndex,
    build_people,
    filter_people,
    same_quotes,
    sort_people,
    summarise,
)

FIRST = [
    "Orla",
    "Ansel",
    "Marta",
    "Dayo",
    "Ilse",
    "Tobias",
    "Renata",
    "Paulo",
    "Zofia",
    "Ezra",
    "Noor",
    "Kasimir",
    "Leontyne",
    "Hale",
    "Wren",
    "Saoirse",
    "Bram",
    "Ines",
    "Taavi",
    "Yusra",
]
LAST = [
    "Fenwick",
    "Traske",
    "Oyelaran",
    "Marrow",
    "Quill",
    "Castellane",
    "Brzeczek",
    "Vance",
    "Okafor",
    "Lindqvist",
    "Harrowgate",
    "Mbeki-Stone",
    "Delacroix",
    "Pemberton",
    "Szabo",
    "Achterberg",
    "Moreau",
    "Kowalczyk",
]
TITLES = ["", "", "", "Senator ", "Ms. ", "Mr. ", "Dr. ", "Minister "]
ORGS = ["Halvorsen Shipping Corp", "Velmont Ministry of Ports", "Brightwater Police", "Northgate University"]
DESCS = ["a senior official", "a spokeswoman", "a source familiar with the matter", "the company's spokesman"]
OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKL"]
_syllables = random.Random(3)
# 3,000 made-up words, the most common ones drawn most (Zipf-like), so quotes rarely share 4 words
VOCABULARY = [
    "".join(
        _syllables.choice(["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "be", "do"]) for _ in range(_syllables.randint(1, 4))
    )
    for _ in range(3000)
]
VOCABULARY = [w for i, w in enumerate(VOCABULARY) for _ in range(max(1, 30 // (i + 1)))]


def generated(n_articles: int, quotes_per: int = 6, seed: int = 7):
    rng = random.Random(seed)
    people = [f"{f} {last}" for f in FIRST for last in LAST]  # 360 full names
    entries, analyses, earlier = [], [], []
    for i in range(n_articles):
        entries.append(
            SimpleNamespace(
                id=f"{i:016x}",
                path=f"/lib/{i:05}.txt",
                title=f"Generated article {i}",
                date=f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
                source=rng.choice(OUTLETS),
                error=None,
            )
        )
        quotes, entities, position = [], [], 0
        for _ in range(quotes_per):
            roll = rng.random()
            if roll < 0.75:
                full = rng.choice(people)
                canonical = rng.choice(TITLES) + (full if rng.random() < 0.8 else full.split()[-1])
                label = "PERSON"
            elif roll < 0.88:
                canonical, label = rng.choice(ORGS), "ORG"
            else:
                canonical, label = rng.choice(DESCS), None
            if earlier and rng.random() < 0.08:  # the same words carried by another article
                text = rng.choice(earlier)
                if rng.random() < 0.5:
                    text = " ".join(text.split()[: max(6, len(text.split()) // 2)])  # truncated
            else:
                text = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(8, 30)))
                if len(earlier) < 5000:
                    earlier.append(text)
            mention = rng.choice([canonical, "he", "she", canonical.split()[-1]])
            quotes.append(
                Quote(
                    position,
                    position + len(text),
                    text,
                    "said",
                    Speaker(
                        position + len(text) + 3,
                        position + len(text) + 10,
                        mention,
                        canonical,
                        "cue subject",
                        round(rng.random(), 2),
                    ),
                )
            )
            if label:
                entities.append(Entity(position, position + 5, label, canonical, canonical))
            position += len(text) + 40
        analyses.append(Analysis("bench", "1", "1", [], entities, quotes))
    return entries, analyses


CPU: list[float] = []  # the CPU time of the last `timed` (the machine may be shared: wall time varies)


def timed(fn, repeat: int = 1):
    """(result, median wall time); the median CPU time is left in CPU[-1]."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU.append(statistics.median(cpu))
    return result, statistics.median(times)


def rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--no-ui", action="store_true")
    parser.add_argument("--ui-only", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--phase", default="first", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ui_only:
        import json

        tmp = Path(args.ui_only)
        entries = [SimpleNamespace(**e) for e in json.loads((tmp / "entries.json").read_text())]
        asyncio.run(ui_bench(tmp, entries, tmp / "people" / "articles.json", args.phase))
        return
    entries, analyses = generated(args.articles)
    n_quotes = sum(len(a.quotes) for a in analyses)
    print(f"{len(entries):,} articles, {n_quotes:,} quotes")
    records, t = timed(lambda: {e.id: summarise(a) for e, a in zip(entries, analyses)})
    print(f"summarise every analysis (first build, per article): {t:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["MARGIN_CACHE_DIR"] = str(Path(tmp) / "cache")  # same-quotes-*.json goes there, not to yours
        cache = PeopleCache(Path(tmp) / "people" / "articles.json", "bench")
        for key, record in records.items():
            cache.put(key, record)
        _, t = timed(cache.save)
        size = (Path(tmp) / "people" / "articles.json").stat().st_size
        print(f"cache written: {t:.3f} s ({size / 1e6:.1f} MB)")
        loaded, t = timed(lambda: PeopleCache(Path(tmp) / "people" / "articles.json", "bench").load(), 3)
        print(f"cache read back: {t:.3f} s")
        people, t = timed(lambda: build_people(entries, loaded.records), 3)
        print(f"index built from the summaries (all articles): {t:.3f} s ({len(people):,} rows)")
        index = PeopleIndex("bench", records=lambda: loaded.records)
        index.update(entries, loaded.records)
        people = index.people()
        _, t = timed(lambda: index.save(loaded.index_file))
        print(f"index saved: {t * 1000:.0f} ms ({loaded.index_file.stat().st_size / 1e6:.1f} MB)")
        again, t = timed(lambda: PeopleIndex("bench").load(loaded.index_file), 3)
        _, t2 = timed(lambda: PeopleIndex("bench").load(loaded.index_file).people(), 3)
        print(
            f"index read back: {t * 1000:.0f} ms; read back and merged into rows: {t2 * 1000:.0f} ms (CPU {CPU[-1] * 1000:.0f} ms)"
        )
        changed = dict(loaded.records)
        for e, a in zip(entries[:10], analyses[-10:]):
            changed[e.id] = summarise(a)
        moved = [SimpleNamespace(**{**vars(e), "id": e.id + "x"}) for e in entries[:10]]
        for e, new in zip(entries[:10], moved):
            changed[new.id] = changed[e.id]
        newer = moved + entries[10:]

        def incremental():
            index.update(newer, changed)
            rows = index.people()
            index.update(entries, loaded.records)  # back, for the next repeat
            return rows

        _, t = timed(incremental, 3)
        print(
            f"index after 10 articles changed (incremental: 10 out, 10 in, rows merged), twice: {t * 1000:.0f} ms "
            f"(CPU {CPU[-1] * 1000:.0f} ms)"
        )
        rows, t = timed(lambda: sort_people(people, "quotes"), 5)
        print(f"sort by quotes: {t * 1000:.1f} ms")
        _, t = timed(lambda: filter_people(rows, "fen"), 5)
        print(f"filter keystroke (core): {t * 1000:.1f} ms")
        _, t = timed(lambda: people[0].quotes, 5)
        print(f"one person's timeline ({people[0].quote_count:,} quotes): {t * 1000:.1f} ms")
        same_file = Path(tmp) / "same.json"
        before = rss_mb()
        groups, t = timed(lambda: same_quotes(people, file=same_file))
        distinct = {id(g): g for g in groups.values()}
        print(
            f"same-quote grouping of every quote, first time: {t:.2f} s, CPU {CPU[-1]:.2f} s ({len(distinct):,} groups, "
            f"{len(groups):,} quotes in them; peak RSS {before:.0f} -> {rss_mb():.0f} MB)"
        )
        _, t = timed(lambda: same_quotes(people, file=same_file))
        print(f"same-quote grouping again, nothing changed: {t:.2f} s, CPU {CPU[-1]:.2f} s")
        index.update(newer, changed)
        changed_people = index.people()
        from tui.core.people import same as same_module

        _, t = timed(lambda: same_quotes(changed_people, file=same_file))
        shared = same_module._SHARED[str(same_file)]
        print(f"same-quote grouping after 10 articles changed: {t:.2f} s, CPU {CPU[-1]:.2f} s ({shared.compared} pairs compared)")
        same_module._SHARED.clear()
        _, t = timed(lambda: same_quotes(changed_people, file=same_file))
        print(
            f"same-quote grouping in a new session, nothing changed (groups and shingles read from disk): {t:.2f} s, "
            f"CPU {CPU[-1]:.2f} s ({same_module._SHARED[str(same_file)].compared} pairs compared)"
        )
        index.update(entries, loaded.records)
        back = index.people()
        same_module._SHARED.clear()
        _, t = timed(lambda: same_quotes(back, file=same_file))
        print(
            f"same-quote grouping in a new session after 10 articles changed: {t:.2f} s, CPU {CPU[-1]:.2f} s "
            f"({same_module._SHARED[str(same_file)].compared} pairs compared)"
        )
        if not args.no_ui:
            # The view in a process of its own, as a new session would be (this one holds every
            # analysis and quote of the bench, which a garbage collection pass would walk).
            import json
            import subprocess

            (Path(tmp) / "entries.json").write_text(json.dumps([vars(e) for e in entries]))
            for phase in ("first", "open", "open", "open", "keys"):
                subprocess.run([sys.executable, __file__, "--ui-only", tmp, "--phase", phase], check=True)


async def ui_bench(tmp: Path, entries, cache_file: Path, phase: str) -> None:
    import os

    os.environ["MARGIN_DATA_DIR"] = str(tmp / "data")
    os.environ["MARGIN_CONFIG_DIR"] = str(tmp / "config")
    from textual.app import App

    from tui.core.people import same as same_module
    from tui.ui.screens import people as people_screen
    from tui.ui.screens.people import PeopleScreen, PeopleSource

    class Bench(App):
        def __init__(self, screen_factory) -> None:
            super().__init__()
            self.screen_factory = screen_factory

        def on_mount(self) -> None:
            self.started, self.started_cpu = time.perf_counter(), time.process_time()
            self.push_screen(self.screen_factory())

    def fresh_session() -> PeopleSource:
        people_screen._INDEXES.clear()
        same_module._SHARED.clear()
        return PeopleSource(entries=lambda: entries, analyzer=None, cache=PeopleCache(cache_file, "bench"), analyse=False)

    async def settled(pilot, app) -> PeopleScreen:
        while not (isinstance(app.screen, PeopleScreen) and app.screen.same is not None):
            await pilot.pause(0.02)
        return app.screen

    if phase == "first":
        await first_session(tmp, cache_file, Bench, fresh_session, settled)
    elif phase == "open":
        source = fresh_session()
        app = Bench(lambda: PeopleScreen(source))
        async with app.run_test(size=(120, 40)) as pilot:
            while not (isinstance(app.screen, PeopleScreen) and app.screen.ready):
                await pilot.pause(0.005)
            screen = app.screen
            print(
                f"People view open in a new session (its own process, from the index on disk), rows on screen: "
                f"{screen.ready_at - app.started:.3f} s, CPU {screen.ready_cpu - app.started_cpu:.3f} s "
                f"({len(screen.people):,} rows)"
            )
            await settled(pilot, app)
    else:
        await keys(Bench, fresh_session, settled)
    print(f"peak RSS of the {phase} process: {rss_mb():.0f} MB")


async def first_session(tmp: Path, cache_file: Path, Bench, fresh_session, settled) -> None:
    from tui.ui.screens.people import PeopleScreen

    cache_file.with_name("index.json").unlink()  # the first session ever: no index yet
    source = fresh_session()
    app = Bench(lambda: PeopleScreen(source))
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, PeopleScreen) and app.screen.people):
            await pilot.pause(0.01)
        first_rows = time.perf_counter() - app.started
        await settled(pilot, app)
        print(
            f"People view, first session ever (no index on disk): rows on screen after {first_rows:.3f} s "
            "(summaries read, index built; saved in the background)"
        )


async def keys(Bench, fresh_session, settled) -> None:
    from tui.ui.screens.people import PeopleScreen

    source = fresh_session()
    app = Bench(lambda: PeopleScreen(source))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot, app)
        drawn: list[float] = []  # when the app put a frame out (headless: the frame is made, not written)
        display = app._display

        def timed_display(screen_, renderable):
            display(screen_, renderable)
            if renderable is not None:
                drawn.append(time.perf_counter())

        app._display = timed_display
        await pilot.press("slash")
        times, cpu, frames, first = [], [], [], []
        for key in "fenw" + "\b" * 4 + "fenw":
            key = "backspace" if key == "\b" else key
            drawn.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            first.append(drawn[0] - start)
            frames.append(drawn[-1] - start)
        print(
            f"filter keystroke, key to the first frame after it (the filtered rows drawn): median "
            f"{statistics.median(first) * 1000:.1f} ms, max {max(first) * 1000:.1f} ms; to the last frame it caused: "
            f"median {statistics.median(frames) * 1000:.1f} ms"
        )
        print(
            f"filter keystroke in the view (Pilot press until the screen is idle): median "
            f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; CPU per keystroke: median "
            f"{statistics.median(cpu) * 1000:.1f} ms, max {max(cpu) * 1000:.1f} ms"
        )
        applied = []
        for needle in ("f", "fe", "fen", "fenw"):
            screen.filter_text = needle
            start = time.perf_counter()
            screen.apply()
            applied.append(time.perf_counter() - start)
        print(
            f"filter keystroke, the view's own work (filter, rows, header, detail, status): "
            f"median {statistics.median(applied) * 1000:.1f} ms"
        )
        await pilot.press("escape", "escape")
        start, start_cpu = time.perf_counter(), time.process_time()
        await pilot.press("j")
        print(
            f"a key that only moves the cursor (for comparison): {(time.perf_counter() - start) * 1000:.1f} ms, "
            f"CPU {(time.process_time() - start_cpu) * 1000:.1f} ms"
        )
        await pilot.press("escape")  # back: the rows stay built in memory
        await pilot.pause(0.1)
        started = time.perf_counter()
        second = PeopleScreen(source)
        app.push_screen(second)
        while not second.ready:
            await pilot.pause(0.005)
        print(f"People view opened again in the same session: {second.ready_at - started:.3f} s")


if __name__ == "__main__":
    main()
