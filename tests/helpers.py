"""What tests share besides fixtures: the sample paths, making an app on a test database, opening
an article through the library, waiting for a condition. Import from here (`from helpers import …`),
not from conftest."""

from __future__ import annotations

import asyncio
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "sample_articles" / "000_f8b6809fbedddc50.txt"
SEED_QUOTE = "There will be a smooth transition to a second Trump administration."
# The bundled sample articles (the seed first), without the folder's README.
SAMPLES = sorted(p for p in (REPO / "sample_articles").iterdir() if p.suffix in (".txt", ".md") and p.stem != "README")


def make_app(paths, db, analyzer=None, tmp_path=None):
    """A MarginApp on `paths` with its own annotations database at `db`."""
    from tui.core.analysis.service import Analyzer
    from tui.core.store import AnnotationStore
    from tui.ui.app import MarginApp

    store = AnnotationStore.open(db, explicit=True)
    analyzer = analyzer or Analyzer(cache=(tmp_path or Path(db).parent) / "cache")
    return MarginApp(paths=[str(p) for p in paths], store=store, analyzer=analyzer)


async def open_article(pilot, row: int = 0):
    """From the library, open the article at `row` and wait for its analysis."""
    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.reader import ReaderScreen

    app = pilot.app
    await wait_until(
        pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded and app.screen.articles, what="library"
    )
    for _ in range(row):
        await pilot.press("j")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
    reader = app.screen
    await wait_until(pilot, lambda: reader.analysis is not None, what="analysis")
    return reader


async def run_palette_command(pilot, name: str) -> None:
    """Open the command palette, type `name`, and press Enter once its top hit is that command
    (the palette searches in the background: Enter before then picks a stale hit, or nothing)."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), what="the command palette")
    palette = pilot.app.screen
    await pilot.press(*name)

    def top_hit_is_it() -> bool:
        hits = palette.query_one(CommandList)
        if hits.highlighted is None:
            return False
        return name.casefold() in str(hits.get_option_at_index(hits.highlighted).prompt).casefold()

    await wait_until(pilot, top_hit_is_it, what=f"the palette's hit for {name!r}")
    await pilot.press("enter")


async def wait_until(pilot, condition, timeout: float = 30.0, what: str = "condition") -> None:
    """Let the app run until `condition()` is true (workers, screen changes), or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


# -- corpora (tests/test_corpus.py, tests/test_quote_table.py) ------------------------------------

PEOPLE_ARTICLES = {
    # Peter Novak named in full: the person a bare "Novak" elsewhere is merged into
    "people-1.txt": (
        "Leeds weighs a new budget\n\n"
        "The city council of Leeds met on Monday to weigh the budget for next year.\n\n"
        '"The budget of four hundred million euros will not be enough for the trams," said Peter Novak, '
        "the finance minister.\n\n"
        '"The new tram line will change how this city moves for a whole generation," said Maria Lopez, '
        "the city's mayor.\n"
    ),
    # only the surname: People merges it into Peter Novak (the only Novak of the corpus)
    "people-2.txt": (
        "Taxes to rise in Leeds\n\n"
        "Families in Leeds will pay more next year, the council said on Friday.\n\n"
        '"Taxes will rise next year for every family in the city, and nobody likes that," Mr. Novak told '
        "reporters on Friday.\n"
    ),
    # the same quote as in people-1.txt, in another article: one group, also in one other article
    "people-3.txt": (
        "Porto Alegre looks at Leeds\n\n"
        "Planners in Porto Alegre studied the tram plans of Leeds this week.\n\n"
        '"The new tram line will change how this city moves for a whole generation," said Maria Lopez, '
        "the city's mayor, in a speech quoted by local papers.\n"
    ),
}


def write_people_articles(folder: Path) -> list[Path]:
    """Three short articles whose People rows need the whole corpus: a bare surname merged into the
    full name another article gives, and one quote in two articles."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in PEOPLE_ARTICLES.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def write_quote_table(corpus: Path, out: Path, analyse) -> Path:
    """A quote table of the article files in `corpus`, as `margin analyze --all --engine dask
    --quotes-out OUT` writes it (one partition of each table, the manifest, the People columns
    filled), each article analysed by `analyse(text) -> Analysis` in this process: no cluster, no
    spaCy. Returns `out`."""
    import orjson

    from tui.core.articles import load_article
    from tui.core.people import summarise
    from tui.core.quote_table import (
        MANIFEST,
        MANIFEST_VERSION,
        TABLES,
        article_row,
        article_rows,
        entity_rows,
        fill_people_columns,
        schemas,
        write_partition,
    )

    rows: dict[str, list] = {table: [] for table in TABLES}
    articles = {}
    for path in sorted(p for p in corpus.iterdir() if p.is_file()):
        article = load_article(path)
        analysis = analyse(article.text)
        summary = summarise(analysis)
        rows["quotes"].extend(article_rows(article, analysis, summary))
        rows["entities"].extend(entity_rows(article, analysis))
        rows["articles"].append(article_row(article, analysis, summary))
        articles[str(article.path)] = {"id": article.id, "hash": article.text_hash, "partition": "part-0.parquet"}
    for table, schema in schemas().items():
        (out / table).mkdir(parents=True, exist_ok=True)
        write_partition(out / table / "part-0.parquet", rows[table], schema)
    manifest = {"version": MANIFEST_VERSION, "model": "fake 1", "rewrite": [], "people": None, "articles": articles}
    (out / MANIFEST).write_bytes(orjson.dumps(manifest))
    fill_people_columns(out)
    return out


# Textual key names as the README and the `?` tables write them (the key-table tests).
SHOWN_KEYS = {
    "slash": "/",
    "question_mark": "?",
    "escape": "Escape",
    "enter": "Enter",
    "down": "↓",
    "up": "↑",
    "pagedown": "PageDown",
    "pageup": "PageUp",
    "home": "Home",
    "end": "End",
    "space": "Space",
    "tab": "Tab",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "right_curly_bracket": "}",
    "left_curly_bracket": "{",
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "exclamation_mark": "!",
}
