"""Feeds bench: 20 local feeds × 50 items with article pages, fetched by `margin fetch`'s engine.

    .venv/bin/python bench/feeds_bench.py [--feeds 20] [--items 50] [--jobs 8]

The sites run in another process (one HTTP server per loopback address, 127.0.0.2 … 127.0.0.21,
so each feed is its own host), so the figures are Margin's side only. Measured: wall time of a
first fetch (every item's page fetched and extracted with trafilatura, saved as Markdown) and of a
second fetch (every feed answers 304), both without analysis; the second must cost < 5 % of the
first. Memory: the fetching process's peak RSS, before and after.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def serve(n_feeds: int, n_items: int, queue, stop) -> None:
    from feeds_server import Site, page, rss, story

    sites = []
    for f in range(n_feeds):
        site = Site(f"127.0.0.{2 + f}")
        items = [
            {
                "title": f"Feed {f} story {i}",
                "link": site.url(f"/a/{i}"),
                "guid": f"feed{f}-{i}",
                "pubDate": "Mon, 06 May 2024 10:00:00 GMT",
                "description": f"Summary {i}.",
            }
            for i in range(n_items)
        ]
        site.add("/feed.xml", rss(f"Feed {f}", items), ctype="application/rss+xml", etag=f'"feed{f}"', gzip=True)
        for i in range(n_items):
            site.add(f"/a/{i}", page(f"Feed {f} story {i}", story(1000 * f + i, f"Paragraph for feed {f}.")))
        sites.append(site)
    queue.put([site.url("/feed.xml") for site in sites])
    stop.wait()
    queue.put(sum(site.not_modified for site in sites))
    for site in sites:
        site.close()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    if args.feeds > 20:
        parser.error("at most 20 feeds (127.0.0.2 … 127.0.0.21)")
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        os.environ.pop(name, None)
    work = Path(tempfile.mkdtemp(prefix="margin-feeds-bench-"))
    os.environ["MARGIN_DATA_DIR"] = str(work / "data")
    os.environ["MARGIN_CACHE_DIR"] = str(work / "cache")
    library = work / "library"

    ctx = multiprocessing.get_context("spawn")
    queue, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=serve, args=(args.feeds, args.items, queue, stop), daemon=True)
    server.start()
    try:
        urls = queue.get(timeout=60)
        from tui.core.feeds import FeedState, fetch_feeds

        for url in urls:
            FeedState().add(url)
        import trafilatura  # noqa: F401  (imported before timing, as a running app has it)

        base = rss_mb()
        t0 = time.perf_counter()
        first = fetch_feeds(library, jobs=args.jobs)
        t1 = time.perf_counter()
        after_first = rss_mb()
        second = fetch_feeds(library, jobs=args.jobs)
        t2 = time.perf_counter()
        stop.set()
        not_modified = queue.get(timeout=60)
    finally:
        stop.set()
        server.join(10)
        if server.is_alive():
            server.terminate()
    errors = [r.error for r in first.feeds + second.feeds if r.error]
    files = len(list(library.glob("*.md")))
    first_s, second_s = t1 - t0, t2 - t1
    print(f"{args.feeds} feeds × {args.items} items, {args.jobs} feeds at once, one request at a time per host")
    print(
        f"first fetch:  {first_s:7.2f} s  {first.new} new articles ({files} files), {first.requests} requests"
        f" ({first.new / first_s:.0f} articles/s)"
    )
    print(
        f"second fetch: {second_s:7.3f} s  {second.new} new, {not_modified} × 304, {second.requests} requests"
        f"  = {100 * second_s / first_s:.2f} % of the first (must be < 5 %)"
    )
    print(f"memory: peak RSS {base:.0f} MB before, {after_first:.0f} MB after the first fetch, {rss_mb():.0f} MB at the end")
    state = FeedState()
    print(
        f"state: feeds.json {state.path.stat().st_size / 1024:.0f} KiB, "
        f"feeds-items.json {state.items_path.stat().st_size / 1024:.0f} KiB"
    )
    if errors:
        print(f"errors: {len(errors)}, first: {errors[0]}")
    shutil.rmtree(work, ignore_errors=True)
    ok = not errors and first.new == args.feeds * args.items and second.new == 0 and second_s < 0.05 * first_s
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
