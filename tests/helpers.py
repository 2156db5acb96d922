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
    await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded and app.screen.articles, what="library")
    for _ in range(row):
        await pilot.press("j")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), what="reader")
    reader = app.screen
    await wait_until(pilot, lambda: reader.analysis is not None, what="analysis")
    return reader


async def wait_until(pilot, condition, timeout: float = 30.0, what: str = "condition") -> None:
    """Let the app run until `condition()` is true (workers, screen changes), or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)
