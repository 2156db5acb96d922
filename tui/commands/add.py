"""`margin add PATH|URL...`: copy article files, or fetch web pages, into your library folder.

The library folder is --library DIR, else $MARGIN_LIBRARY, else <user data dir>/library; open it
with `margin --library`. Files are checked (readable, text, not empty) before they are copied; an
article whose text is already in the library is not added twice. A URL is fetched (timeout and
size cap), its article text extracted, and saved as Markdown with front matter (title, date,
author, source, url). Each file or URL that fails gets one line on stderr; the rest are added.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
from pathlib import Path

from tui.commands.common import CliError, add_debug_option, library_hint, timeout_seconds
from tui.core.text import one_line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin add",
        description="Add articles to your library: text, Markdown or HTML files, folders of them, or "
        "http(s) URLs (fetched and extracted). Open the library with `margin --library`.",
    )
    parser.add_argument("sources", nargs="+", metavar="PATH|URL", help="article files, folders or web addresses")
    parser.add_argument("--library", metavar="DIR", help="library folder (default: $MARGIN_LIBRARY or the user data dir)")
    parser.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=20.0,
        metavar="SECONDS",
        help="per-URL time limit for the whole request: connecting, headers and page (default: 20, at most 600)",
    )
    add_debug_option(parser)
    return parser


def _slug(title: str, limit: int = 60) -> str:
    slug = re.sub(r"[^\w]+", "-", title.lower(), flags=re.ASCII).strip("-")
    return slug[:limit].rstrip("-") or "article"


def _free_name(folder: Path, name: str) -> Path:
    candidate = folder / name
    stem, suffix = os.path.splitext(name)
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def url_problem(url: str) -> str | None:
    """Why `url` (an http(s) address) cannot be fetched as written, one line, or None: Python's URL
    parser refuses it ("http://[::1", a port that is not a number) or it names no host."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return f"{one_line(url, 200)}: not a valid URL ({exc})"
    if not parts.hostname:
        return f"{one_line(url, 200)}: not a valid URL (no host name)"
    return None


class Adder:
    def __init__(self, library: Path, out=None, err=None) -> None:
        from tui.core.library import LibraryIndex

        self.library = library
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.index = LibraryIndex([library])
        self.index.load()
        self.index.refresh()  # warm: also makes the next `margin --library` start at once
        self.known = {e.text_hash: e.path for e in self.index.articles()}
        self.added: list[Path] = []
        self.problems: list[str] = []

    def problem(self, message: str) -> None:

        self.problems.append(message)
        print(f"margin: {one_line(message, 400)}", file=self.err)

    def _duplicate(self, article) -> bool:
        from tui.core.text import one_line

        existing = self.known.get(article.text_hash)
        if existing is None:
            return False
        print(f"already in the library: {one_line(article.title, 80)} ({one_line(str(existing))})", file=self.out)
        return True

    def _added(self, article, dest: Path) -> None:
        from tui.core.text import one_line

        self.known[article.text_hash] = str(dest)
        self.added.append(dest)
        print(f"added: {one_line(article.title, 80)} → {one_line(str(dest))}", file=self.out)

    def add_file(self, path: Path) -> None:
        from tui.core.articles import ArticleError, is_article_name, load_article

        if not is_article_name(path.name):
            self.problem(f"{path}: not an article file (Margin reads .txt, .md and .html; README and LICENSE files are skipped)")
            return
        try:
            article = load_article(path)
        except ArticleError as exc:
            self.problem(str(exc))
            return
        if self._duplicate(article):
            return
        try:
            if path.resolve().is_relative_to(self.library.resolve()):
                print(f"already in the library folder: {one_line(str(path))}", file=self.out)
                return
            dest = _free_name(self.library, path.name)
            shutil.copyfile(path, dest)
        except OSError as exc:
            self.problem(f"{path}: cannot be copied into {self.library} ({exc.strerror or exc})")
            return
        self._added(article, dest)

    def add_url(self, url: str, timeout: float) -> None:
        from tui.core.articles import ArticleError, load_article
        from tui.core.fetch import FetchError, fetch, parse_fetched, to_markdown

        problem = url_problem(url)
        if problem:
            self.problem(problem)
            return
        try:
            parsed = parse_fetched(fetch(url, timeout=timeout))
        except FetchError as exc:
            self.problem(str(exc))
            return
        body = to_markdown(parsed)
        digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        dest = _free_name(self.library, f"{_slug(parsed.title or 'article')}-{digest}.md")
        tmp = dest.with_name(f".{dest.stem}.partial{dest.suffix}")  # same suffix: read back as Markdown
        try:
            tmp.write_text(body, encoding="utf-8")
            article = load_article(tmp)  # the saved file must read back as the article
            if self._duplicate(article):
                tmp.unlink()
                return
            os.replace(tmp, dest)
        except (OSError, ArticleError) as exc:
            tmp.unlink(missing_ok=True)
            self.problem(f"{url}: cannot be saved in {self.library} ({getattr(exc, 'strerror', None) or exc})")
            return
        self._added(article, dest)


def run(args: argparse.Namespace) -> int:
    from tui.core.fetch import is_url
    from tui.core.folders import discover
    from tui.core.library import library_dir

    library = library_dir(args.library)
    try:
        library.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"{library}: the library folder cannot be created ({exc.strerror or exc})") from None
    adder = Adder(library)
    for source in args.sources:
        if is_url(source):
            adder.add_url(source.strip(), args.timeout)
            continue
        scheme = re.match(r"^([a-z][a-z0-9+.-]*)://", source.strip(), re.IGNORECASE)
        if scheme:
            adder.problem(f"{one_line(source)}: only http:// and https:// addresses can be fetched")
            continue
        files, problems = discover([source])
        for message in problems:
            adder.problem(message)
        if not files and not problems:
            adder.problem(f"{source}: no article files (.txt, .md, .html) in this folder")
        for path in files:
            adder.add_file(path)
    print(
        f"{len(adder.added)} article(s) added to {one_line(str(library))}"
        + (f"; {len(adder.problems)} could not be added" if adder.problems else "")
        + f". Open your library with: {library_hint(args.library)}",
        file=sys.stdout,
    )
    return 1 if adder.problems else 0
