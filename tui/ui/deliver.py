"""Hand a worker thread's answer to a screen, only while that screen is still shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode


def deliver(node: DOMNode, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run `callback(*args, **kwargs)` on the app's thread, unless `node` has left the screen
    meanwhile (the user went back while the worker ran): its widgets are gone, the answer is dropped."""

    def run() -> None:
        if node.is_attached:
            callback(*args, **kwargs)

    node.app.call_from_thread(run)
