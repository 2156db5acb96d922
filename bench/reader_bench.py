"""Reader speed on a generated long article: first paint, cursor/page redraw, resize reflow.

    .venv/bin/python bench/reader_bench.py            # 100,000 and 2,000 words
    .venv/bin/python bench/reader_bench.py --words 50000

Runs the real app headless (Textual's run_test) with a synthetic analysis holding a few thousand
entity and quote highlights, so the figures measure Margin's rendering, not spaCy. First paint and resize are wall times until the
app is idle again; a key's cost is the CPU time it caused (see the comment in `measure`), which
includes Textual's event dispatch, layout and compositor as well as Margin's code. Only presses
that move the view or the cursor are timed (60 per key): at the end of a short article a press
that moves nothing is left out and the bench goes back to the top, untimed; the figures say how
many passes that took (1 on an article long enough for 60 pages). Goals (issue #4): first paint <= 0.5 s, move / page
<= 16 ms median and <= 50 ms max, resize <= 0.3 s. The search is "/minister" typed and
Enter, timed as CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.analysis.result import Analysis, Entity, Quote, Speaker  # noqa: E402
from tui.core.articles import load_article  # noqa: E402
from tui.core.passages import rule_sentences  # noqa: E402
from tui.core.store import AnnotationStore  # noqa: E402

WORDS = "the minister said that officials would review budget reports before the summit in March".split()
SAMPLES = 60  # moving key presses timed per key
NAMES = ["Anna Keller", "Boris Ndlovu", "Chen Wei", "Dana Ortiz", "the Ministry", "Geneva", "Reuters"]


def generate(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    paragraphs, count = [], 0
    words = int(words * 1.09)  # generated filler counts a little short of the target
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            n = rng.randint(8, 24)
            body = " ".join(rng.choice(WORDS) for _ in range(n))
            if rng.random() < 0.25:
                body = f"{rng.choice(NAMES)} told reporters that {body}"
            if rng.random() < 0.15:
                body = f"“{body.capitalize()},” said {rng.choice(NAMES)}"
            sentences.append(body[0].upper() + body[1:] + ".")
            count += n + 3
        paragraphs.append(" ".join(sentences))
    return "Generated long report\n\n" + "\n\n".join(paragraphs) + "\n"


def synthetic_analysis(text: str) -> Analysis:
    entities, quotes = [], []
    for name in NAMES:
        start = text.find(name)
        while start != -1:
            entities.append(Entity(start, start + len(name), "PERSON" if " " in name else "ORG", name, name))
            start = text.find(name, start + 1)
    start = text.find("“")
    while start != -1:
        end = text.find(",”", start)
        if end == -1:
            break
        quotes.append(Quote(start + 1, end + 1, text[start + 1 : end + 1], "said", Speaker(end + 8, end + 12, "x", "x")))
        start = text.find("“", end)
    entities.sort(key=lambda e: e.start)
    return Analysis("synthetic", "0", "bench", rule_sentences(text), entities, quotes)


class FixedAnalyzer:
    """Stands in for the spaCy analyzer: the analysis is already 'cached'."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis

    def cached(self, text: str) -> Analysis:
        return self.analysis

    def analyze(self, text: str) -> Analysis:
        return self.analysis

    def describe(self) -> str:
        return "synthetic"


async def measure(words: int) -> dict:
    from tui.ui.app import MarginApp
    from tui.ui.screens.reader import ReaderScreen

    folder = Path(tempfile.mkdtemp())
    for name in ("MARGIN_DATA_DIR", "MARGIN_CACHE_DIR", "MARGIN_CONFIG_DIR"):
        os.environ[name] = str(folder / name)
    path = folder / "long.txt"
    path.write_text(generate(words), encoding="utf-8")
    article = load_article(path)
    analysis = synthetic_analysis(article.text)
    app = MarginApp([str(path)], AnnotationStore.open(folder / "db.json"), analyzer=FixedAnalyzer(analysis))
    result = {
        "words": article.word_count,
        "chars": len(article.text),
        "highlights": len(analysis.entities) + len(analysis.quotes),
    }
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        t0 = time.perf_counter()
        screen = ReaderScreen(article)
        await app.push_screen(screen)
        await pilot.pause()
        result["first_paint_s"] = time.perf_counter() - t0
        result["visual_lines"] = len(screen.view.lines)
        for key, label in (("j", "move"), ("pagedown", "page")):
            times, skipped, passes = [], 0, 1
            await pilot.press("g")
            while len(times) < SAMPLES and skipped < 10 * SAMPLES:
                # CPU time, not wall time: Pilot's idle detection sleeps ~20 ms steps after each
                # key, while the process is otherwise idle; CPU time is the work the key caused
                # (event dispatch, Margin's handler, layout, compositor, rendering the strips).
                before = (screen.view.cursor, screen.view.scroll_y)
                t = time.process_time()
                await pilot.press(key)
                spent = (time.process_time() - t) * 1000
                if (screen.view.cursor, screen.view.scroll_y) == before:
                    skipped += 1  # at the end: a key that moves nothing is not counted
                    passes += 1
                    await pilot.press("g")  # back to the top (not timed) for more moving presses
                    continue
                times.append(spent)
            result[f"{label}_median_ms"] = statistics.median(times)
            result[f"{label}_max_ms"] = max(times)
            result[f"{label}_counted"] = len(times)
            result[f"{label}_passes"] = passes
        resize, resize_cpu = [], []
        for size in ((90, 40), (140, 50), (120, 40)):
            t, c = time.perf_counter(), time.process_time()
            await pilot.resize_terminal(*size)
            await pilot.pause()
            resize.append(time.perf_counter() - t)
            resize_cpu.append(time.process_time() - c)
        result["resize_max_s"] = max(resize)
        result["resize_cpu_max_s"] = max(resize_cpu)
        # Search as you type: "/" and a word of the text (frequent in it), then Enter; the CPU
        # time of it all (in an article over a million characters the search runs once the
        # typing pauses, so it is counted once; in a shorter one, once per letter).
        c = time.process_time()
        await pilot.press("slash", *"minister")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await pilot.pause()
        result["search_cpu_s"] = time.process_time() - c
        result["search_matches"] = len(screen.reading.search.matches)
        await pilot.press("escape")
        # Margin's own share of a redraw: rendering every visible line from scratch.
        view = screen.view
        view._cache.clear()
        t = time.perf_counter()
        for y in range(view.size.height):
            view.render_line(y)
        result["render_visible_lines_ms"] = (time.perf_counter() - t) * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="*", default=[100_000, 2_000])
    args = parser.parse_args()
    for words in args.words:
        r = asyncio.run(measure(words))
        print(
            f"{r['words']:>7} words ({r['chars']} chars, {r['visual_lines']} lines, {r['highlights']} highlights): "
            f"first paint {r['first_paint_s']:.3f} s | move median {r['move_median_ms']:.1f} ms max {r['move_max_ms']:.1f} ms | "
            f"page median {r['page_median_ms']:.1f} ms max {r['page_max_ms']:.1f} ms "
            f"({r['page_counted']} moving presses, {r['page_passes']} pass(es) from the top) | "
            f"resize max {r['resize_max_s']:.3f} s wall, {r['resize_cpu_max_s']:.3f} s CPU | "
            f"render of visible lines {r['render_visible_lines_ms']:.1f} ms | "
            f"search as typed ({r['search_matches']} matches) {r['search_cpu_s']:.2f} s CPU"
        )


if __name__ == "__main__":
    main()
