"""Shared fixtures. Every test runs with its own data, cache and config dirs: never the user's."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI, property tests run a fixed set of examples (no flaky reds); locally they explore anew.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "sample_articles" / "000_f8b6809fbedddc50.txt"
SEED_QUOTE = "There will be a smooth transition to a second Trump administration."
# The bundled sample articles (the seed first), without the folder's README.
SAMPLES = sorted(p for p in (REPO / "sample_articles").iterdir() if p.suffix in (".txt", ".md") and p.stem != "README")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    for name, sub in (("MARGIN_DATA_DIR", "data"), ("MARGIN_CACHE_DIR", "cache"), ("MARGIN_CONFIG_DIR", "config")):
        monkeypatch.setenv(name, str(tmp_path / sub))
    monkeypatch.setenv("MARGIN_DB", str(tmp_path / "data" / "annotations.json"))
    return tmp_path


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def trained():
    """The trained English pipeline `./dev` installs, with Margin's components: (nlp, info).
    Its absence is a broken set-up, so this fails rather than skips."""
    from tui.core.analysis.pipeline import load_pipeline

    nlp, info = load_pipeline()
    assert info.is_trained, "no trained English pipeline installed: run ./dev setup"
    return nlp, info


@pytest.fixture(scope="session")
def rules():
    """Margin's pipeline without a trained model (sentences and quotes by rules): (nlp, info)."""
    from tui.core.analysis.pipeline import load_pipeline

    return load_pipeline("rules")


@pytest.fixture(scope="session", params=["trained", "rules"])
def any_pipeline(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def shared_analyzer(tmp_path_factory):
    """One loaded pipeline for the UI tests (loading spaCy per test would dominate the run)."""
    from tui.core.analysis.service import Analyzer

    analyzer = Analyzer(cache=tmp_path_factory.mktemp("analysis-cache"))
    analyzer.pipeline()
    return analyzer


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
