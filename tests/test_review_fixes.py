"""Fixes from a user's review in tmux (dark/light, 80x24 and 120x40), each driven through the UI."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input

from tui.ui.screens.speaker_dialog import SpeakerDialog


class DialogApp(App):
    """An app that only shows one dialog and keeps what it returned."""

    def __init__(self, dialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: object = "unset"

    def on_mount(self) -> None:
        self.push_screen(self.dialog, callback=lambda r: setattr(self, "result", r))


async def test_speaker_dialog_tab_completes_the_typed_name():
    app = DialogApp(SpeakerDialog("They would prefer", "a source", ["Mike Pompeo", "Joe Biden"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("M", "i")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "Mike Pompeo"
        assert isinstance(app.focused, Input)
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ("speaker", "Mike Pompeo")
