"""User settings (config dir) and per-article reading positions (data dir), as small JSON files.

Both are written atomically. A damaged file is ignored (defaults are used) and moved aside on the
next write, so a bad settings file never stops Margin.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from tui.core.annotations import normalise_tags
from tui.core.paths import config_dir, data_dir, dump_json, load_json
from tui.core.storage.atomic import write_atomically

DEFAULT_PALETTE = ["claim", "evidence", "opinion", "question", "follow-up", "source", "error", "important", "background"]
PALETTE_SIZE = 9
MAX_POSITIONS = 5000


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = load_json(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def config_file() -> Path:
    """The settings file (quick-tag palette, theme, export choices)."""
    return config_dir() / "config.json"


def load_palette() -> list[str]:
    """The quick-tag palette: keys 1-9 apply these tags."""
    raw = _read_json(config_file()).get("palette")
    if isinstance(raw, list):
        tags = normalise_tags([str(t) for t in raw])[:PALETTE_SIZE]
        if tags:
            return tags
    return list(DEFAULT_PALETTE)


def _move_aside_if_damaged(path: Path) -> None:
    """A settings file that is not a JSON object is kept, renamed, before a new one is written."""
    try:
        data = load_json(path.read_bytes())
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict):
        try:
            os.replace(path, path.with_name(f"{path.name}.damaged-{datetime.now():%Y%m%dT%H%M%S}"))
        except OSError:
            pass


def save_palette(tags: list[str]) -> list[str]:
    """Save the quick-tag palette (normalised, at most nine tags); returns what was saved."""
    tags = normalise_tags(tags)[:PALETTE_SIZE] or list(DEFAULT_PALETTE)
    _move_aside_if_damaged(config_file())
    config = _read_json(config_file())
    config["palette"] = tags
    write_atomically(config_file(), dump_json(config, indent=True))
    return tags


def load_setting(name: str) -> object:
    """One value of the config file (None when absent or the file is damaged)."""
    return _read_json(config_file()).get(name)


def save_setting(name: str, value: object) -> None:
    """Save one setting; a settings file that cannot be written only means it is forgotten."""
    _move_aside_if_damaged(config_file())
    config = _read_json(config_file())
    config[name] = value
    try:
        write_atomically(config_file(), dump_json(config, indent=True))
    except OSError:
        pass  # a setting that cannot be saved is only forgotten next time


def positions_file() -> Path:
    """The file of reading positions (article id or path -> character offset)."""
    return data_dir() / "positions.json"


def load_position(article_id: str) -> int | None:
    """Where the reader's cursor was (a character offset) when this article was last left."""
    value = _read_json(positions_file()).get(article_id)
    return value if isinstance(value, int) and value >= 0 else None


def save_position(article_id: str, offset: int) -> None:
    """Remember where the reader's cursor was in an article (the oldest positions are dropped beyond a limit)."""
    positions = _read_json(positions_file())
    positions.pop(article_id, None)
    positions[article_id] = int(offset)
    while len(positions) > MAX_POSITIONS:  # oldest first (insertion order)
        positions.pop(next(iter(positions)))
    try:
        write_atomically(positions_file(), dump_json(positions))
    except OSError:
        pass  # losing a reading position is not worth an error


def progress_file() -> Path:
    """The file of reading progress (article id -> furthest percentage read)."""
    return data_dir() / "reading.json"


def load_progress() -> dict[str, int]:
    """How far each opened article was read: article id -> the furthest percentage reached
    (0–100). An article not in it has never been opened (unread)."""
    data = _read_json(progress_file())
    return {key: value for key, value in data.items() if isinstance(value, int) and 0 <= value <= 100}


def save_progress(article_id: str, percent: int) -> dict[str, int]:
    """Record that `article_id` was read to `percent` (the furthest point is kept); returns all."""
    progress = load_progress()
    progress[article_id] = max(progress.get(article_id, 0), max(0, min(100, int(percent))))
    while len(progress) > MAX_POSITIONS:
        progress.pop(next(iter(progress)))
    try:
        write_atomically(progress_file(), dump_json(progress))
    except OSError:
        pass  # losing reading progress is not worth an error
    return progress


def forget_progress(article_id: str) -> None:
    """Mark an article unread again."""
    progress = load_progress()
    if progress.pop(article_id, None) is not None:
        try:
            write_atomically(progress_file(), dump_json(progress))
        except OSError:
            pass
