"""Searching the library: the as-you-type text filter and the `/` search across articles.

Split from `tui.core.library` (which re-exports these names, so callers import them from there).
This module does not import `tui.core.library`: the index imports it, not the other way round.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from tui.core.articles import article_format, load_article, read_article_text
from tui.core.library_entry import Entry, Progress


class TextCorpus:
    """Lower-cased article texts for the as-you-type text filter, read on demand, by path."""

    def __init__(self) -> None:
        import threading

        self.texts: dict[str, str] = {}
        self.hashes: dict[str, str] = {}
        self.lock = threading.Lock()
        # Every text in one string ("\0" between them) with each text's start and path: one C-speed
        # scan finds which articles contain a word, instead of one scan per article.
        self._joined: tuple[str, list[int], list[str]] = ("", [], [])

    def load(
        self,
        entries: list[Entry],
        progress: Callable[[Progress], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> bool:
        """Read every entry's text not yet read; True when all are in (not cancelled)."""
        with self.lock:
            return self._load(entries, progress, cancelled)

    def _load(
        self, entries: Iterable[Entry], progress: Callable[[Progress], None] | None, cancelled: Callable[[], bool] | None
    ) -> bool:
        todo = [e for e in entries if e.ok and self.hashes.get(e.path) != e.text_hash]
        last = 0.0
        slice_start = time.monotonic()
        for n, entry in enumerate(todo, 1):
            if cancelled is not None and cancelled():
                return False
            try:
                text = searchable_text(Path(entry.path))
            except Exception:
                continue
            self.texts[entry.path] = text
            self.hashes[entry.path] = entry.text_hash
            if time.monotonic() - slice_start > 0.004:
                # Yield the GIL regularly: the UI thread keeps answering keys while this reads.
                time.sleep(0.002)
                slice_start = time.monotonic()
            now = time.monotonic()
            if progress is not None and (now - last > 0.1 or n == len(todo)):
                last = now
                progress(Progress(n, len(todo)))
        if todo or len(self._joined[1]) != len(self.texts):
            self._join()
        return True

    def _join(self) -> None:
        starts, paths, position = [], [], 0
        for path, text in self.texts.items():
            starts.append(position)
            paths.append(path)
            position += len(text) + 1
        self._joined = ("\0".join(self.texts.values()), starts, paths)

    def paths_containing(self, needle: str) -> set[str]:
        """Paths of the read texts that contain the lower-cased `needle`."""
        from bisect import bisect_right

        blob, starts, paths = self._joined
        found: set[str] = set()
        position = 0
        while (hit := blob.find(needle, position)) >= 0:
            k = bisect_right(starts, hit) - 1
            found.add(paths[k])
            position = starts[k + 1] if k + 1 < len(starts) else len(blob)
        return found

    def contains(self, entry: Entry, needle: str) -> bool:
        """Whether the read text of `entry` contains the lower-cased `needle`."""
        text = self.texts.get(entry.path)
        return text is not None and needle in text


def searchable_text(path: Path) -> str:
    """What the text filter searches, lower-cased: a plain-text or Markdown file's own text as it
    is (no parsing: tens of microseconds a file), an HTML file's extracted text."""
    if article_format(path) == "html":
        return load_article(path).text.lower()
    return read_article_text(path).lower()


def matches(entry: Entry, needle: str, corpus: TextCorpus | None = None) -> bool:
    """Whether an entry matches a lower-cased filter string (title, source, file name, text)."""
    return needle in entry.haystack or (corpus is not None and corpus.contains(entry, needle))


def filter_entries(entries: list[Entry], needle: str, corpus: TextCorpus | None = None) -> list[Entry]:
    """The entries that `matches` a lower-cased needle, in order (one tight loop: this runs on
    every keystroke of the library filter, over tens of thousands of entries)."""
    if "\0" in needle:
        return []
    in_text = corpus.paths_containing(needle) if corpus is not None else set()
    return [e for e in entries if needle in e.haystack or e.path in in_text]


@dataclass
class Hit:
    """A library-search hit: where, in which article, with a line of context around it."""

    entry: Entry
    start: int
    end: int
    before: str
    match: str
    after: str
    more: int = 0  # on an article's last hit shown: how many more its text holds (not listed)


# A straight or curly apostrophe or quotation mark in a search matches any of its kind: pasted
# text has the curly ones ("Doe’s"), a keyboard types the straight ones ("Doe's").
QUOTE_KINDS = {c: kind for kind in ("'’‘", '"“”') for c in kind}
QUOTE_PAIRS = (('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"))


def search_phrase(query: str) -> str:
    """The phrase a search looks for: `query` without quotation marks around it ("free and fair");
    "" when there is nothing between them (`""`)."""
    phrase = query.strip()
    if len(phrase) >= 2 and (phrase[0], phrase[-1]) in QUOTE_PAIRS:
        phrase = phrase[1:-1].strip()
    return phrase


def hit_pattern(query: str) -> str:
    """The regular expression of a search for `query` (a straight or curly apostrophe or quotation
    mark matches any of its kind); searched case-insensitively."""
    return "".join(f"[{QUOTE_KINDS[c]}]" if c in QUOTE_KINDS else re.escape(c) for c in query)


def find_hits(text: str, query: str, limit: int = 20, context: int = 40) -> list[tuple[int, int, str, str, str]]:
    """Case-insensitive hits of `query` in `text`: (start, end, before, match, after), offsets into
    `text`; a straight or curly apostrophe or quotation mark matches any of its kind."""
    if not query:
        return []
    out = []
    for match in re.finditer(hit_pattern(query), text, re.IGNORECASE):
        start, end = match.span()
        before = text[max(0, start - context) : start]
        after = text[end : end + context]
        out.append((start, end, before, text[start:end], after))
        if len(out) >= limit:
            break
    return out


def count_hits(text: str, query: str) -> int:
    """How many times `query` occurs in `text`, case-insensitively (as `find_hits` finds them)."""
    return sum(1 for _ in re.finditer(hit_pattern(query), text, re.IGNORECASE)) if query else 0


SEARCH_MAX_ARTICLES = 200  # articles listed by one library search (the first ones, in the library's order)
SEARCH_PER_ARTICLE = 5  # hits listed per article (the others are counted)
SEARCH_CONTEXT = 160  # characters kept each side of a hit: the list cuts them to the screen's width


def search(
    entries: list[Entry],
    query: str,
    corpus: TextCorpus | None = None,
    max_articles: int = SEARCH_MAX_ARTICLES,
    per_article: int = SEARCH_PER_ARTICLE,
    cancelled: Callable[[], bool] | None = None,
) -> list[Hit]:
    """Hits of `query` across the library, in the order of `entries`: at most `per_article` per
    article (the last one says how many `more` there are) in the first `max_articles` articles
    that have any. Reads the texts it needs. Quotation marks around `query` are left out."""
    query = search_phrase(query)
    needle = query.lower()
    exact = not any(c in QUOTE_KINDS for c in query)  # else the lower-cased texts cannot rule an article out
    hits: list[Hit] = []
    found = 0
    for entry in entries:
        if cancelled is not None and cancelled():
            break
        if not entry.ok:
            continue
        if exact and corpus is not None and entry.path in corpus.texts and not corpus.contains(entry, needle):
            continue  # the lower-cased text rules it out without reading the file
        try:
            article = load_article(entry.path)
        except Exception:
            continue
        spots = find_hits(article.text, query, per_article, context=SEARCH_CONTEXT)
        if not spots:
            continue
        found += 1
        for start, end, before, match, after in spots:
            hits.append(Hit(entry, start, end, before, match, after))
        if len(spots) == per_article:
            hits[-1].more = count_hits(article.text, query) - per_article
        if found >= max_articles:
            break
    return hits
