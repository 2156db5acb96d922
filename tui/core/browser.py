"""Opening an article's web address in the user's graphical browser, when there is one."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit


def is_web_address(url: str | None) -> bool:
    """Only http(s) addresses are opened: an article file may carry any string as its URL."""
    if not url or any(ord(c) < 32 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def has_graphical_browser() -> bool:
    """Whether a browser can open in its own window. Without one (a server, SSH), Python's
    `webbrowser` would start a text browser inside the terminal Margin is drawing in."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> bool:
    """Open `url` in a graphical browser; False when it cannot be (the caller shows the URL)."""
    if not is_web_address(url) or not has_graphical_browser():
        return False
    import webbrowser

    try:
        return bool(webbrowser.open(url, new=2))
    except Exception:  # a broken browser set-up is the same as none
        return False
