"""Feed subscriptions: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed (plain JSON), OPML, and
fetching every feed's new items as full articles into the library.

State lives in the data dir, written atomically: `feeds.json` (subscriptions, ETags, failures)
and `feeds-items.json` (every item fetched, by each of its keys). A fetch holds
`feeds.fetch.lock` for its whole run (two fetches at once never duplicate an article) and is the
only writer of the items file; every change to `feeds.json` is a read-modify-write under
`feeds.json.lock`, so `margin feeds add` during a fetch loses nothing.

The work is in three modules; this one gathers their public names:

- `tui.core.feeds_parse`: parsing feeds and finding a page's feeds (`parse_feed`, `discover`);
- `tui.core.feeds_state`: subscriptions, OPML and the state files (`FeedState`, `read_opml`);
- `tui.core.feeds_fetch`: one fetch run writing articles into the library (`fetch_feeds`).
  HTTP, robots.txt and per-host politeness are in `tui.core.feeds_http`.

No Textual here: the CLI and the library screen call `fetch_feeds` with a progress callback.
"""

from __future__ import annotations

from tui.core.feeds_fetch import (
    FAIL_LIMIT,
    JOBS,
    MAX_ITEMS,
    MIN_ARTICLE_WORDS,
    MIN_PAGE_WORDS,
    FeedResult,
    Fetcher,
    FetchReport,
    fetch_feeds,
    front_matter,
)
from tui.core.feeds_http import MAX_FEED_BYTES, TIMEOUT
from tui.core.feeds_parse import (
    FEED_TYPES,
    FeedDoc,
    FeedError,
    Item,
    canonical_url,
    clean,
    discover,
    feed_links,
    html_to_paragraphs,
    now_iso,
    parse_feed,
    parse_json_feed,
)
from tui.core.feeds_state import (
    LOCK_WAIT,
    STATE_VERSION,
    FeedState,
    load_items,
    load_state,
    read_opml,
    save_state,
    state_path,
    web_page,
    write_opml,
)
from tui.core.fetch import FetchError

__all__ = [
    "FAIL_LIMIT",
    "FEED_TYPES",
    "JOBS",
    "LOCK_WAIT",
    "MAX_FEED_BYTES",
    "MAX_ITEMS",
    "MIN_ARTICLE_WORDS",
    "MIN_PAGE_WORDS",
    "STATE_VERSION",
    "TIMEOUT",
    "FeedDoc",
    "FeedError",
    "FeedResult",
    "FeedState",
    "FetchError",
    "FetchReport",
    "Fetcher",
    "Item",
    "canonical_url",
    "clean",
    "discover",
    "feed_links",
    "fetch_feeds",
    "front_matter",
    "html_to_paragraphs",
    "load_items",
    "load_state",
    "now_iso",
    "parse_feed",
    "parse_json_feed",
    "read_opml",
    "save_state",
    "state_path",
    "web_page",
    "write_opml",
]
