"""Where Margin keeps its files: annotations, caches, config (platformdirs, env overrides)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson
from platformdirs import user_cache_dir, user_config_dir, user_data_dir

APP_NAME = "margin"

# The sample articles shipped with the repository (next to the package).
SAMPLE_ARTICLES = Path(__file__).resolve().parents[2] / "sample_articles"


def data_dir() -> Path:
    """Where Margin keeps user data (annotations, positions): MARGIN_DATA_DIR or the platform's user data dir."""
    return Path(os.environ.get("MARGIN_DATA_DIR") or user_data_dir(APP_NAME))


def default_db_path() -> Path:
    """The annotations database: $MARGIN_DB, else annotations.json in the user data dir."""
    env = os.environ.get("MARGIN_DB")
    return Path(env).expanduser() if env else data_dir() / "annotations.json"


def cache_dir() -> Path:
    """Where Margin keeps what it can rebuild (analyses, library index, crash logs): MARGIN_CACHE_DIR or the user cache dir."""
    return Path(os.environ.get("MARGIN_CACHE_DIR") or user_cache_dir(APP_NAME))


def config_dir() -> Path:
    """Where Margin keeps its settings file: MARGIN_CONFIG_DIR or the user config dir."""
    return Path(os.environ.get("MARGIN_CONFIG_DIR") or user_config_dir(APP_NAME))


def default_export_dir() -> Path:
    """Where exports go unless the user chose a folder before: the user's documents folder, else
    downloads, else home (never the current folder, which may be a code checkout)."""
    from platformdirs import user_documents_dir, user_downloads_dir

    for finder in (user_documents_dir, user_downloads_dir):
        try:
            folder = Path(finder())
        except Exception:  # an odd platform set-up: try the next one
            continue
        if folder.is_dir():
            return folder
    return Path.home()


def dump_json(data: Any, indent: bool = False) -> bytes:
    """`data` as JSON bytes, file names that are not UTF-8 included.

    Python gives such a name's bad bytes as surrogate escapes ("caf\\udce9.txt"), which orjson
    refuses; then the standard library writes them as JSON escapes, and `load_json` reads them
    back to the same path."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:
        return json.dumps(data, ensure_ascii=True, indent=2 if indent else None).encode("ascii")


def load_json(raw: bytes) -> Any:
    """JSON written by `dump_json` (or any JSON). Raises ValueError when it is not JSON."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)
