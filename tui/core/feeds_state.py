"""Feed subscriptions: OPML in and out, and the state files in the data dir, written atomically.

`feeds.json` holds the subscriptions (ETags, failures); every change to it is a read-modify-write
under `feeds.json.lock`, so `margin feeds add` during a fetch loses nothing. `feeds-items.json`
(every item fetched, by each of its keys) is written only by a fetch, under `feeds.fetch.lock`.

Part of `tui.core.feeds` (which re-exports these names)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar
from urllib.parse import urlsplit

import orjson

from tui.core.feeds_parse import FeedError, canonical_url, clean, now_iso
from tui.core.storage.atomic import write_atomically

if TYPE_CHECKING:
    from filelock import FileLock

STATE_VERSION = 1
LOCK_WAIT = 600.0  # seconds a fetch waits for another one to finish

# The state files are JSON objects read from disk (checked at their top level only), so their
# values are typed Any: `feeds.json` {"version", "feeds": {url: record}}; a feed's record
# {title, site, etag, failures, …}; `feeds-items.json` {"version", "items": {id: record}, "keys": {key: id}}.
FeedsDoc = dict[str, Any]
FeedRecord = dict[str, Any]
ItemsDoc = dict[str, Any]
T = TypeVar("T")


def web_page(value: object) -> str | None:
    """`value` when it is a web page's address (http or https), else None: a feed's `site` (OPML's
    htmlUrl) is never an id such as an Atom feed's `tag:` or `urn:` URI."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": no address at all
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def read_opml(data: bytes) -> list[FeedRecord]:
    """[{url, title, site}] of every outline with an xmlUrl (categories flattened)."""
    import xml.etree.ElementTree as ET

    if b"<!ENTITY" in data[:10000].upper():
        raise FeedError("the OPML file declares entities: refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"not an OPML file ({exc})") from None
    if root.tag.lower() != "opml":
        raise FeedError(f"not an OPML file (the root element is <{clean(root.tag, 40)}>)")
    feeds = []
    for outline in root.iter():
        if not isinstance(outline.tag, str) or outline.tag.lower() != "outline":
            continue
        attrs = {k.lower(): v for k, v in outline.attrib.items()}
        url = (attrs.get("xmlurl") or "").strip()
        if url:
            feeds.append(
                {
                    "url": url,
                    "title": clean(attrs.get("title") or attrs.get("text")),
                    "site": web_page(attrs.get("htmlurl")),
                }
            )
    return feeds


def write_opml(feeds: list[FeedRecord]) -> str:
    """An OPML 2.0 document listing `feeds` (each with its url, and title and site when known)."""
    from xml.sax.saxutils import quoteattr

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        "    <title>Margin feeds</title>",
        f"    <dateCreated>{datetime.now(timezone.utc).strftime('%a, %d %b %Y %H:%M:%S GMT')}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for feed in feeds:
        title = feed.get("title") or feed["url"]
        attrs = f'type="rss" text={quoteattr(title)} title={quoteattr(title)} xmlUrl={quoteattr(feed["url"])}'
        site = web_page(feed.get("site"))
        if site:
            attrs += f" htmlUrl={quoteattr(site)}"
        lines.append(f"    <outline {attrs}/>")
    lines += ["  </body>", "</opml>"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- state


def state_path() -> Path:
    """The feeds file: `feeds.json` in the data dir."""
    from tui.core.paths import data_dir

    return data_dir() / "feeds.json"


def _empty_state() -> FeedsDoc:
    return {"version": STATE_VERSION, "feeds": {}}


def load_items(path: Path, problems: list[str] | None = None) -> ItemsDoc:
    """The items file: {"items": {id: record}, "keys": {key: id}} (empty when there is none);
    FeedError when it cannot be read or is not a JSON object. Values of the wrong type are left
    out (`_tidy_items`), the valid records kept, and what was left out is added to `problems`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {"version": STATE_VERSION, "items": {}, "keys": {}}
    except OSError as exc:
        raise FeedError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = orjson.loads(raw)
    except ValueError as exc:
        raise FeedError(
            f"{path}: not valid JSON ({exc}); move it away to start again (fetched items may then come again)"
        ) from None
    if not isinstance(data, dict):
        raise FeedError(f"{path}: not a Margin feed items file; move it away to start again (fetched items may then come again)")
    found = _tidy_items(data)
    if problems is not None:
        problems.extend(found)
    return data


# The fields of an item's record Margin reads, and their types.
_ITEM_TYPES: dict[str, tuple[type, ...]] = {
    "path": (str,),
    "feed": (str,),
    "fingerprint": (str,),
    "hash": (str,),
    "title": (str,),
    "saved": (str,),
    "updated": (str,),
}


def _tidy_items(data: ItemsDoc) -> list[str]:
    """Make the items file's content one Margin can use, in place: `items` or `keys` that is not
    an object is read as empty, an item record that is not an object is dropped (its keys still
    name it: the story stays known), a record's field of the wrong type is dropped, a key naming
    no item id (not a string) is dropped. Every record's text hash names it too, so that a story
    whose keys were lost is still known by its text. Returns what was left out (nothing: [])."""
    problems = []
    for name in ("items", "keys"):
        if not isinstance(data.get(name), dict):
            problems.append(f'"{name}" is not an object')
            data[name] = {}
    items, keys = data["items"], data["keys"]
    for item_id, record in list(items.items()):
        if not isinstance(record, dict):
            del items[item_id]
            problems.append(f"the record of item {clean(item_id, 40)} is not an object")
            continue
        for field, types in _ITEM_TYPES.items():
            value = record.get(field)
            if value is not None and not _understood(value, types):
                del record[field]
                problems.append(f"{field} of item {clean(item_id, 40)} is not understood")
    for key, item_id in list(keys.items()):
        if not isinstance(item_id, str):
            del keys[key]
            problems.append(f"the key {clean(key, 80)} does not name an item")
    for item_id, record in items.items():
        if record.get("hash"):
            keys.setdefault(f"hash:{record['hash']}", item_id)
    return problems


# The fields of a feed's record Margin reads, and the types it understands.
_RECORD_TYPES: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "site": (str,),
    "added": (str,),
    "etag": (str,),
    "modified": (str,),
    "error": (str,),
    "checked": (str,),
    "failures": (int,),
    "new": (int,),
}


def _understood(value: object, types: tuple[type, ...]) -> bool:
    """Whether a record's field has a type Margin reads (a count is a whole number from 0)."""
    if isinstance(value, bool) or not isinstance(value, types):
        return False
    return not isinstance(value, int) or value >= 0


def _tidy_feeds(feeds: dict[str, Any]) -> list[str]:
    """Make every feed record of `feeds` one Margin can use, in place: a record that is not an
    object becomes an empty one (the subscription stays), a field of the wrong type is dropped
    (read as missing). Returns what was not understood (nothing: [])."""
    problems = []
    for url, record in feeds.items():
        if not isinstance(record, dict):
            feeds[url] = {}
            problems.append(f"the record of {clean(url, 80)} is not an object")
            continue
        for name, types in _RECORD_TYPES.items():
            value = record.get(name)
            if value is not None and not _understood(value, types):
                del record[name]
                problems.append(f"{name} of {clean(url, 80)} is not understood")
    return problems


def load_state(path: Path, problems: list[str] | None = None) -> FeedsDoc:
    """The feeds file's content (an empty state when there is no file); FeedError when it cannot be read
    or is not a feeds file. Values of the wrong type are left out (`_tidy_feeds`), and what was
    left out is added to `problems`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _empty_state()
    except OSError as exc:
        raise FeedError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        state = json.loads(raw)
    except ValueError as exc:
        raise FeedError(f"{path}: not valid JSON ({exc}); move it away to start again") from None
    if not isinstance(state, dict) or not isinstance(state.get("feeds"), dict):
        raise FeedError(f"{path}: not a Margin feeds file")
    found = _tidy_feeds(state["feeds"])
    if problems is not None:
        problems.extend(found)
    return state


def save_state(path: Path, state: FeedsDoc) -> None:
    """Write the feeds file atomically (creating its folder); takes no lock: `FeedState.change` does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, orjson.dumps(state, option=orjson.OPT_INDENT_2))


class FeedState:
    """The feeds file, changed only by read-modify-write under its lock."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else state_path()
        # What the user should be told (the feeds file was not understood and was kept aside), or None.
        self.notice: str | None = None
        # Every item ever fetched, by all its keys: written only by a fetch, under the fetch lock.
        self.items_path = self.path.with_name("feeds-items.json")

    def _lock(self, timeout: float = 30.0) -> FileLock:
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path) + ".lock", timeout=timeout)

    def read(self) -> FeedsDoc:
        """The feeds file as stored now (read without the lock; one not entirely understood is
        first set right under the lock, see `change`)."""
        problems: list[str] = []
        state = load_state(self.path, problems)
        if problems:
            try:
                return self.change(lambda current: current)
            except FeedError as exc:  # not copied aside: left as it is; what could be read is used
                self.notice = str(exc)
            except OSError as exc:  # copied aside but not rewritten: left as it is too
                from tui.core.storage.atomic import describe_os_error

                self.notice = f"{self.notice} It could not be rewritten ({describe_os_error(exc)}): it is left as it is for now."
        return state

    def change(self, apply: Callable[[FeedsDoc], T]) -> T:
        """Apply `apply(state)` to the state as stored now, and save it; returns what it returns.
        A file with values not understood is first copied aside (kept) and `notice` says so; what
        could be read of it is saved. FeedError, the file untouched, when it cannot be copied."""
        from filelock import Timeout

        try:
            with self._lock():
                problems: list[str] = []
                state = load_state(self.path, problems)
                if problems:
                    self._keep_aside(problems)
                result = apply(state)
                save_state(self.path, state)
                return result
        except Timeout:
            raise FeedError(f"{self.path}: locked by another Margin for 30 s; try again") from None

    def _keep_aside(self, problems: list[str]) -> None:
        """Keep a copy of the feeds file as it is (`feeds.json.damaged-TIME`), and say so; `change`
        then writes what could be read of it in its place."""
        from tui.core.storage.atomic import describe_os_error
        from tui.core.storage.status import copy_aside

        why = problems[0] + (f" and {len(problems) - 1} more" if len(problems) > 1 else "")
        try:
            backup = copy_aside(self.path)  # a copy: the file itself stays until the new one replaces it
        except OSError as exc:
            raise FeedError(
                f"{self.path}: not understood ({why}) and cannot be copied aside ({describe_os_error(exc)}); left untouched"
            ) from None
        self.notice = (
            f"The feeds file was not entirely understood ({why}); it is kept as it was at {backup}, "
            "and every subscription was kept with what could be read of it."
        )

    def fetch_lock(self, timeout: float = LOCK_WAIT) -> FileLock:
        """The lock a fetch holds for its whole run (not taken yet; acquiring it waits up to `timeout` seconds)."""
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path.with_name("feeds.fetch.lock")), timeout=timeout)

    # -- subscriptions

    def feeds(self) -> list[FeedRecord]:
        """Every subscription: its stored record with its `url`."""
        return [dict(feed, url=url) for url, feed in self.read()["feeds"].items()]

    def find(self, state: FeedsDoc, key: str) -> str:
        """The URL of the feed named by URL or by title (case-insensitive); FeedError if none or several."""
        feeds: dict[str, FeedRecord] = state["feeds"]
        if key in feeds:
            return key
        wanted = canonical_url(key)
        for url in feeds:
            if wanted and canonical_url(url) == wanted:
                return url
        named = [url for url, feed in feeds.items() if (feed.get("title") or "").casefold() == key.strip().casefold()]
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise FeedError(f"{clean(key, 80)}: several feeds have this name; give the URL")
        raise FeedError(f"{clean(key, 80)}: no such feed (see margin feeds list)")

    def add(self, url: str, title: str | None = None, site: str | None = None) -> bool:
        """Subscribe; False when already subscribed."""

        def apply(state: FeedsDoc) -> bool:
            wanted = canonical_url(url)
            if url in state["feeds"] or any(canonical_url(u) == wanted for u in state["feeds"]):
                return False
            state["feeds"][url] = {
                "title": clean(title) or url,
                "site": site,
                "added": now_iso(),
                "etag": None,
                "modified": None,
                "failures": 0,
                "error": None,
                "checked": None,
                "new": 0,
            }
            return True

        return self.change(apply)

    def remove(self, key: str) -> FeedRecord:
        """Unsubscribe the feed named by URL or by title; returns its record (with its `url`). FeedError if
        none or several match."""

        def apply(state: FeedsDoc) -> FeedRecord:
            url = self.find(state, key)
            return dict(state["feeds"].pop(url), url=url)

        return self.change(apply)
