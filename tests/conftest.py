"""Shared fixtures. Every test runs with its own data, cache and config dirs: never the user's."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "sample_articles" / "000_f8b6809fbedddc50.txt"
SEED_QUOTE = "There will be a smooth transition to a second Trump administration."


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    for name, sub in (("MARGIN_DATA_DIR", "data"), ("MARGIN_CACHE_DIR", "cache"), ("MARGIN_CONFIG_DIR", "config")):
        monkeypatch.setenv(name, str(tmp_path / sub))
    monkeypatch.setenv("MARGIN_DB", str(tmp_path / "data" / "annotations.json"))
    return tmp_path


@pytest.fixture
def seed_path() -> Path:
    return SEED


async def wait_until(pilot, condition, timeout: float = 30.0, what: str = "condition") -> None:
    """Let the app run until `condition()` is true (workers, screen changes), or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)
