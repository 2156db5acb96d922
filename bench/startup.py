"""Whole-process start-up: `margin` on an indexed 10,000-article library vs Textual's hello world.

    .venv/bin/python bench/startup.py [--articles 10000] [--runs 5] [--keep DIR] [--against CHECKOUT]

Each run is a fresh process with Textual's headless driver (TEXTUAL_DRIVER) that presses ctrl+q
as soon as the app is ready (TEXTUAL_PRESS), timed from launch to exit by the parent: Python
start-up, imports, the first frame, the key and the shutdown, the same for both. The hello world
is a Header + Static + Footer app. The library is generated (as by bench/library_bench.py) and
indexed once before timing, as on any start after the first. Runs alternate (hello, margin,
hello, …) so a busy machine slows both alike; the ratio is of the medians. The generated library
is removed afterwards, unless `--keep DIR` names a folder to keep it in (and reuse it next time).

The ratio swings by ±0.1 between runs on a busy 2-core machine (the hello world's median moves as
much as Margin's). To tell whether a change made start-up slower, `--against CHECKOUT` also runs
the Margin of another checkout (`git worktree add /tmp/before COMMIT`), interleaved with this one
on the same library (indexed by that checkout's own code, in its own data folder), and prints both
medians and their ratio.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

HELLO = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Hello(App):
    def compose(self):
        yield Header()
        yield Static("Hello, world")
        yield Footer()

Hello().run()
"""


def timed(cmd: list[str], env: dict, cwd: Path = REPO) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one child process (`python -m tui` in `cwd`
    runs the Margin of that checkout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[:3]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="generate the library here (or reuse the one there) and keep it")
    parser.add_argument("--against", metavar="CHECKOUT", type=Path, help="also time the Margin of this other checkout")
    args = parser.parse_args(argv)

    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="margin-startup-"))
    try:
        return measure(tmp, args)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def measure(tmp: Path, args: argparse.Namespace) -> int:
    from library_bench import generate

    folder = tmp / "articles"
    started = time.perf_counter()
    if not (args.keep and folder.is_dir()):
        generate(folder, args.articles)
        print(f"generated {args.articles} articles in {time.perf_counter() - started:.1f} s under {folder}")
    env = {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "TEXTUAL_PRESS": "ctrl+q",
        "MARGIN_DATA_DIR": str(tmp / "data"),
        "MARGIN_CACHE_DIR": str(tmp / "cache"),
        "MARGIN_CONFIG_DIR": str(tmp / "config"),
        "MARGIN_DB": str(tmp / "data" / "annotations.json"),
    }
    # As on a user's machine: Python caches compiled modules (some shells here set
    # PYTHONDONTWRITEBYTECODE, which makes every start compile Margin's sources again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    margin = [sys.executable, "-m", "tui", str(folder)]
    hello = [sys.executable, "-c", HELLO]
    os.environ.update({k: v for k, v in env.items() if k.startswith("MARGIN_")})
    from tui.core.library import LibraryIndex

    started = time.perf_counter()
    index = LibraryIndex([str(folder)])
    index.load()
    index.refresh()  # as the first start does in its worker: every later start reads this index
    print(f"index built in {time.perf_counter() - started:.1f} s ({len(index.articles())} articles)")
    runs: list[tuple[str, list[str], dict, Path]] = [("hello", hello, env, REPO), ("margin", margin, env, REPO)]
    if args.against:
        other = args.against.resolve()
        other_env = {**env, **{k: str(tmp / "against" / Path(v).name) for k, v in env.items() if k.startswith("MARGIN_")}}
        index = f"from tui.core.library import LibraryIndex; i = LibraryIndex([{str(folder)!r}]); i.load(); i.refresh()"
        subprocess.run([sys.executable, "-c", index], env=other_env, cwd=other, check=True, timeout=600)
        runs.append(("against", margin, other_env, other))
    for _, cmd, run_env, cwd in runs:  # warm-up: bytecode written, files in the page cache
        timed(cmd, run_env, cwd)
    wall: dict[str, list[float]] = {name: [] for name, *_ in runs}
    cpu: dict[str, list[float]] = {name: [] for name, *_ in runs}
    for _ in range(args.runs):
        for name, cmd, run_env, cwd in runs:
            w, c = timed(cmd, run_env, cwd)
            wall[name].append(w)
            cpu[name].append(c)
    for label, data in (("wall", wall), ("CPU (user+sys)", cpu)):
        h, m = statistics.median(data["hello"]), statistics.median(data["margin"])
        print(f"{label}: hello world (Header + Static + Footer) median {h:.3f} s {[round(t, 3) for t in data['hello']]}")
        print(f"{label}: margin on {args.articles} indexed articles median {m:.3f} s {[round(t, 3) for t in data['margin']]}")
        print(f"{label} ratio: {m / h:.2f}x")
        if args.against:
            a = statistics.median(data["against"])
            print(f"{label}: margin of {args.against} median {a:.3f} s {[round(t, 3) for t in data['against']]}")
            print(f"{label}: this checkout / that one: {m / a:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
