"""Shared fixtures. Every test runs with its own data, cache and config dirs: never the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import SEED
from hypothesis import settings

# In CI, property tests run a fixed set of examples (no flaky reds); locally they explore anew.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path):
    """Margin's dirs under tmp_path, set with a MonkeyPatch of their own: a test's
    `monkeypatch.undo()` (undoing its own patches) must not send the rest of the test to the
    user's real dirs (one such test wrote reading positions to ~/.local/share/margin)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, sub in (("MARGIN_DATA_DIR", "data"), ("MARGIN_CACHE_DIR", "cache"), ("MARGIN_CONFIG_DIR", "config")):
            patch.setenv(name, str(tmp_path / sub))
        patch.setenv("MARGIN_DB", str(tmp_path / "data" / "annotations.json"))
        yield tmp_path


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
