"""Command-palette providers: each screen lists its own commands through its `COMMANDS`.

A screen declares `COMMANDS = {LibraryCommands}` (Textual merges it with the app's providers
while that screen is shown); the app no longer guesses a screen's commands from the actions it
happens to have. `ScreenCommands.commands()` gives (name, help, callback) triples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

Command = tuple[str, str, Callable[[], Any]]
HELP = ("Help: every key of this screen", "Grouped, with what each does")


class ScreenCommands(Provider):
    """A provider for the commands of one screen (`self.screen`), listed by `commands()`."""

    def commands(self) -> Iterable[Command]:
        """(name, help, callback) of each command; none by default."""
        return ()

    async def discover(self) -> Hits:
        for name, help_text, callback in sorted(self.commands(), key=lambda c: c[0]):
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class LibraryCommands(ScreenCommands):
    """The library's commands."""

    def commands(self) -> Iterable[Command]:
        screen: Any = self.screen
        yield "Open article", "Open the highlighted article", screen.action_open
        yield *HELP, screen.action_help


class ReaderCommands(ScreenCommands):
    """The reader's commands (`ReaderScreen.COMMANDS`)."""

    def commands(self) -> Iterable[Command]:
        screen: Any = self.screen
        yield "Toggle side panel", "Show or hide the notes / who said what / entities panel", screen.action_toggle_panel
        yield "Notes panel", "This article's annotations (a)", lambda: screen.action_panel("notes")
        yield "Who said what", "Each speaker with their quotes (s)", lambda: screen.action_panel("quotes")
        yield "Entities", "People, organisations, places… with mention counts (E)", lambda: screen.action_panel("entities")
        yield (
            "Correct the speaker",
            "Who said the quote under the cursor: a name, one of the article's people, or not a quote (c)",
            screen.action_correct_speaker,
        )
        yield (
            "Confirm the speaker",
            "The speaker shown for the quote under the cursor is right (C)",
            screen.action_confirm_speaker,
        )
        yield (
            "Forget the speaker correction",
            "Margin's own speaker again for the quote under the cursor (undoes c / C, whenever made)",
            screen.action_forget_speaker,
        )
        yield (
            "Same quote elsewhere",
            "The quote under the cursor in other articles, with their differences (o)",
            screen.action_also_in,
        )
        yield "Back to the library", "Close this article", screen.action_back
        yield *HELP, screen.action_help
