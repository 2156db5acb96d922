"""People index speed on a generated library: 10,000 articles, about 60,000 quotes.

    .venv/bin/python bench/people_bench.py [--articles 10000] [--no-ui]

Measures: summarising every analysis (what a first build does per article), the per-article
cache written and read back, one rebuild of the index from the cache (what opening the People
view costs), a rebuild after 10 articles changed, sorting and one filter keystroke, and (unless
--no-ui) the People view in a headless app: open until the rows show, and a filter keystroke.
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
from tui.core.people import PeopleCache, build_people, filter_people, sort_people, summarise  # noqa: E402

FIRST = ["Orla", "Ansel", "Marta", "Dayo", "Ilse", "Tobias", "Renata", "Paulo", "Zofia", "Ezra", "Noor", "Kasimir",
         "Leontyne", "Hale", "Wren", "Saoirse", "Bram", "Ines", "Taavi", "Yusra"]
LAST = ["Fenwick", "Traske", "Oyelaran", "Marrow", "Quill", "Castellane", "Brzeczek", "Vance", "Okafor", "Lindqvist",
        "Harrowgate", "Mbeki-Stone", "Delacroix", "Pemberton", "Szabo", "Achterberg", "Moreau", "Kowalczyk"]
TITLES = ["", "", "", "Senator ", "Ms. ", "Mr. ", "Dr. ", "Minister "]
ORGS = ["Halvorsen Shipping Corp", "Velmont Ministry of Ports", "Brightwater Police", "Northgate University"]
DESCS = ["a senior official", "a spokeswoman", "a source familiar with the matter", "the company's spokesman"]
OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKL"]
_syllables = random.Random(3)
# 3,000 made-up words, the most common ones drawn most (Zipf-like), so quotes rarely share 4 words
VOCABULARY = ["".join(_syllables.choice(["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "be", "do"])
                      for _ in range(_syllables.randint(1, 4))) for _ in range(3000)]
VOCABULARY = [w for i, w in enumerate(VOCABULARY) for _ in range(max(1, 30 // (i + 1)))]


def generated(n_articles: int, quotes_per: int = 6, seed: int = 7):
    rng = random.Random(seed)
    people = [f"{f} {last}" for f in FIRST for last in LAST]  # 360 full names
    entries, analyses, earlier = [], [], []
    for i in range(n_articles):
        entries.append(SimpleNamespace(id=f"{i:016x}", path=f"/lib/{i:05}.txt", title=f"Generated article {i}",
                                       date=f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
                                       source=rng.choice(OUTLETS), error=None))
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
            quotes.append(Quote(position, position + len(text), text, "said",
                                Speaker(position + len(text) + 3, position + len(text) + 10, mention, canonical,
                                        "cue subject", round(rng.random(), 2))))
            if label:
                entities.append(Entity(position, position + 5, label, canonical, canonical))
            position += len(text) + 40
        analyses.append(Analysis("bench", "1", "1", [], entities, quotes))
    return entries, analyses


def timed(fn, repeat: int = 1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--no-ui", action="store_true")
    args = parser.parse_args()
    entries, analyses = generated(args.articles)
    n_quotes = sum(len(a.quotes) for a in analyses)
    print(f"{len(entries):,} articles, {n_quotes:,} quotes")
    records, t = timed(lambda: {e.id: summarise(a) for e, a in zip(entries, analyses)})
    print(f"summarise every analysis (first build, per article): {t:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        cache = PeopleCache(Path(tmp) / "people" / "articles.json", "bench")
        for key, record in records.items():
            cache.put(key, record)
        _, t = timed(cache.save)
        size = (Path(tmp) / "people" / "articles.json").stat().st_size
        print(f"cache written: {t:.3f} s ({size / 1e6:.1f} MB)")
        loaded, t = timed(lambda: PeopleCache(Path(tmp) / "people" / "articles.json", "bench").load(), 3)
        print(f"cache read back: {t:.3f} s")
        people, t = timed(lambda: build_people(entries, loaded.records), 3)
        print(f"index built from the cache: {t:.3f} s ({len(people):,} rows)")
        changed = dict(loaded.records)
        for e, a in zip(entries[:10], analyses[-10:]):
            changed[e.id] = summarise(a)
        _, t = timed(lambda: build_people(entries, changed), 3)
        print(f"rebuild after 10 articles changed (10 summaries + merge): {t:.3f} s")
        rows, t = timed(lambda: sort_people(people, "quotes"), 5)
        print(f"sort by quotes: {t * 1000:.1f} ms")
        _, t = timed(lambda: filter_people(rows, "fen"), 5)
        print(f"filter keystroke (core): {t * 1000:.1f} ms")
        _, t = timed(lambda: people[0].quotes, 5)
        print(f"one person's timeline ({people[0].quote_count:,} quotes): {t * 1000:.1f} ms")
        from tui.core.people import same_quotes

        groups, t = timed(lambda: same_quotes(people))
        distinct = {id(g): g for g in groups.values()}
        print(f"same-quote grouping of every quote: {t:.2f} s ({len(distinct):,} groups, {len(groups):,} quotes in them)")
        if not args.no_ui:
            asyncio.run(ui_bench(Path(tmp), entries, loaded))


async def ui_bench(tmp: Path, entries, cache) -> None:
    import os

    os.environ["MARGIN_DATA_DIR"] = str(tmp / "data")
    os.environ["MARGIN_CONFIG_DIR"] = str(tmp / "config")
    from tui.ui.screens.people import PeopleScreen, PeopleSource

    source = PeopleSource(entries=lambda: entries, analyzer=None, cache=cache, analyse=False)
    from textual.app import App

    class Bench(App):
        def on_mount(self) -> None:
            self.started = time.perf_counter()
            self.push_screen(PeopleScreen(source))

    app = Bench()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = None
        while True:
            screen = app.screen
            if isinstance(screen, PeopleScreen) and screen.ready:
                break
            await pilot.pause(0.01)
        print(f"People view open, rows on screen: {screen.ready_at - app.started:.3f} s")
        await pilot.press("slash")
        times = []
        for key in "fenw":
            start = time.perf_counter()
            await pilot.press(key)
            times.append(time.perf_counter() - start)
        print(f"filter keystroke in the view (press to screen): median {statistics.median(times) * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms")
        applied = []
        for needle in ("f", "fe", "fen", "fenw"):
            screen.filter_text = needle
            start = time.perf_counter()
            screen.apply()
            applied.append(time.perf_counter() - start)
        print(f"filter keystroke, the view's own work (filter, rows, header, detail, status): "
              f"median {statistics.median(applied) * 1000:.1f} ms")
        await pilot.press("escape", "escape")
        start = time.perf_counter()
        await pilot.press("j")
        print(f"a key that only moves the cursor (press to screen, for comparison): "
              f"{(time.perf_counter() - start) * 1000:.1f} ms")
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
