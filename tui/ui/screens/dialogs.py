"""Small modal dialogs: tag input with completion, note editor, note conflict, confirmation.

What is shown is made safe (control characters as visible placeholders, tabs as spaces); what is
returned is what the user wrote plus their change: text they did not edit comes back exactly as
it was stored (`restore_edit`, `parse_tags`)."""

from __future__ import annotations

from difflib import SequenceMatcher

from rich.cells import cell_len, chop_cells
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Static, TextArea

from tui.core.annotations import Annotation, normalise_tags, note_problem, tag_problem
from tui.core.text import displayable, one_line


def parse_tags(value: str, existing: list[str]) -> list[str]:
    """The tags in the tag box's `value`: an existing tag still shown whole (as `displayable`
    shows it) is that tag exactly as stored, commas inside it included ("Smith, John"); the rest
    is split at commas."""
    shown = sorted(((displayable(t), t) for t in existing if t), key=lambda pair: -len(pair[0]))
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and value[i] == " ":
            i += 1
        if i >= n:
            break
        for disp, raw in shown:
            if value.startswith(disp, i):
                j = i + len(disp)
                rest = value[j:].lstrip(" ")
                if not rest or rest.startswith(","):
                    out.append(raw)
                    i = j + (len(value[j:]) - len(rest)) + 1
                    break
        else:
            j = value.find(",", i)
            j = n if j < 0 else j
            out.append(value[i:j])
            i = j + 1
    return out


def restore_edit(raw: str, shown: str, edited: str) -> str:
    """`edited` (the editor's text, which started as `shown` = displayable(`raw`), one character
    for one) with every character the user left alone put back as it was in `raw`: a tab shown
    as a space, a control character shown as its placeholder, stay what they were."""
    if edited == shown:
        return raw
    start = 0
    limit = min(len(shown), len(edited))
    while start < limit and shown[start] == edited[start]:
        start += 1
    end = 0
    while end < limit - start and shown[len(shown) - 1 - end] == edited[len(edited) - 1 - end]:
        end += 1
    middle_shown = shown[start : len(shown) - end]
    middle_edited = edited[start : len(edited) - end]
    out = [raw[:start]]
    offset = start
    for op, i1, i2, j1, j2 in SequenceMatcher(None, middle_shown, middle_edited, autojunk=False).get_opcodes():
        out.append(raw[offset + i1 : offset + i2] if op == "equal" else middle_edited[j1:j2])
    out.append(raw[len(raw) - end :] if end else "")
    return "".join(out)


DIALOG_TEXT_CELLS = 70  # a dialog's text width: 76 columns less its border and padding (margin.tcss)
TAG_HINT_CELLS = 30  # a known tag is shortened to this in the dialog's hint


def fit_words(text: str, width: int) -> str:
    """`text` if it fits in `width` cells, else cut at the last word that fits, with "…" (a single
    word too long for the width is cut where it must be)."""
    if cell_len(text) <= width:
        return text
    room = max(1, width - 1)
    cut = chop_cells(text, room)[0]  # whole characters only (a wide one, a letter and its accent)
    if " " in cut.strip() and not text[len(cut)].isspace():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip(" ,;:·-–—") + "…"


def passage_heading(prefix: str, passage: str) -> Content:
    """ "Tag passage: …" on one line: the passage cut at a word, with "…" when it is longer."""
    return Content(prefix) + Content(fit_words(one_line(passage), DIALOG_TEXT_CELLS - len(prefix)))


KNOWN_TAGS_SHOWN = 12  # at most this many known tags are named in the tag dialog's hint


def known_tags_hint(tags: list[str]) -> str:
    """ "Known tags: a, b, c … and 5 more: Tab completes" — each tag shortened, the line at most
    two lines of the dialog (a very long tag never breaks the layout), and never a silent cut:
    the tags left out are counted (completion finds them all)."""
    if not tags:
        return "Known tags: none yet"
    room = 2 * DIALOG_TEXT_CELLS - 12  # two lines, less what wrapping at a word may lose
    shown: list[str] = []
    for i, tag in enumerate(tags[:KNOWN_TAGS_SHOWN]):
        left = len(tags) - i - 1
        more = f" … and {left} more: Tab completes" if left else ""
        text = "Known tags: " + ", ".join([*shown, fit_words(one_line(tag), TAG_HINT_CELLS)]) + more
        if cell_len(text) > room and shown:
            break
        shown.append(fit_words(one_line(tag), TAG_HINT_CELLS))
    left = len(tags) - len(shown)
    return "Known tags: " + ", ".join(shown) + (f" … and {left} more: Tab completes" if left else "")


class TagSuggester(Suggester):
    """Completes the tag being typed (after the last comma) from the tags already used."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        head, _, current = value.rpartition(",")
        current_stripped = current.lstrip()
        if not current_stripped:
            return None
        typed = {t.strip().casefold() for t in head.split(",")}
        for tag in self.tags:
            if tag.casefold().startswith(current_stripped.casefold()) and tag.casefold() not in typed:
                prefix = value[: len(value) - len(current_stripped)]
                return prefix + tag
        return None


class TagInput(Input):
    """An Input where Tab accepts the completion (and otherwise moves focus as usual)."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def action_complete(self) -> None:
        suggestion = self._suggestion
        if suggestion and len(suggestion) > len(self.value):
            self.value = suggestion
            self.cursor_position = len(suggestion)
        else:
            self.screen.focus_next()


class TagDialog(ModalScreen[list[str] | None]):
    """Asks for one or more comma-separated tags. Returns the raw list, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    CANCELLED: list[str] = []  # returned (by identity) for Escape when `report_cancel` is set

    def __init__(
        self,
        passage: str,
        existing: list[str],
        known_tags: list[str],
        title: str = "Tag passage",
        report_cancel: bool = False,
        aside: str = "",
    ) -> None:
        super().__init__()
        self.aside = aside  # a line under the box: "a new annotation on this sentence; e edits …"
        self.report_cancel = report_cancel
        self.title_text = title
        # Existing tags come first and the cursor after them, so typing adds a tag (never replaces);
        # control characters show as visible placeholders.
        self.shown_value = displayable(", ".join(existing) + ", ") if existing else ""
        self.passage = passage
        self.existing = existing
        self.known_tags = known_tags

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog", classes="dialog"):
            yield Label(passage_heading(f"{self.title_text}: ", self.passage), classes="dialog-title")
            yield TagInput(
                value=self.shown_value,
                select_on_focus=False,
                placeholder="tags, comma-separated (Tab or → completes)",
                suggester=TagSuggester(self.known_tags),
                id="tag-input",
            )
            if self.aside:
                yield Label(Content(self.aside), classes="dialog-hint dialog-aside")
            yield Label(Content(known_tags_hint(self.known_tags)), classes="dialog-hint")

    def on_mount(self) -> None:
        self.app.steady_cursors(self)
        box = self.query_one(Input)
        box.focus()
        box.cursor_position = len(box.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not self.existing and not normalise_tags(parse_tags(event.value, [])):  # nothing typed
            if self.report_cancel:  # editing (`e`) a note without tags: on to the note, nothing changed
                self.dismiss(None)
                return
            self.notify("Type a tag first (Escape cancels).", severity="warning", timeout=4)
            return
        if event.value == self.shown_value:  # nothing edited: keep the tags exactly as stored
            self.dismiss(None)
            return
        tags = parse_tags(event.value, self.existing)
        new = normalise_tags([t for t in tags if t not in self.existing])
        kept = [t for t in tags if t in self.existing]
        problem = tag_problem(new) or tag_problem(normalise_tags(kept + new))
        if problem:
            self.notify(problem, severity="error", timeout=8, markup=False)
            return
        self.dismiss(tags)

    def action_cancel(self) -> None:
        self.dismiss(self.CANCELLED if self.report_cancel else None)


def new_beside(kind: str, other: Annotation | None) -> str:
    """The line `t` and `n` show when the cursor is in another annotation than the passage they
    make a new one on: which one `e` would edit instead."""
    if other is None:
        return ""
    return f"A new annotation on this {kind}; e edits the one under the cursor: “{one_line(other.text, 50)}”"


NOTE_HINT = "ctrl+s save · Esc cancel · ctrl+z undo · ctrl+y redo · F7 select all"


class NoteDialog(ModalScreen[str | None]):
    """A multi-line note editor: Tab types a tab (as Enter a line break), ctrl+s saves, Escape cancels
    (asking first if text would be lost). The editor is the dialog's only field, so Tab has no other
    place to go to, and ctrl+s and Escape work whatever the editor holds."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, passage: str, note: str, aside: str = "") -> None:
        super().__init__()
        self.aside = aside  # a line under the editor: "a new annotation on this sentence; e edits …"
        self.passage = passage
        self.raw = note
        self.original = displayable(note, keep_newlines=True)  # controls shown as visible placeholders
        self.save_requested = False

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label(passage_heading("Note on: ", self.passage), classes="dialog-title")
            area = TextArea(self.original, id="note-input", soft_wrap=True, show_line_numbers=False, tab_behavior="indent")
            area.indent_type = "tabs"  # Tab types a tab character, not spaces
            yield area
            if self.aside:
                yield Label(Content(self.aside), classes="dialog-hint dialog-aside")
            # How to leave the editor, where Tab is a character, and its keys nobody guesses (ctrl+a
            # goes to the line's start, as in a shell): one line at 80 columns. The snapshots hold it.
            yield Label(NOTE_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.app.steady_cursors(self)
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def is_changed(self) -> bool:
        return self.query_one(TextArea).text.strip() != self.original.strip()

    def action_save(self) -> None:
        # ctrl+s is a priority binding: it runs before keys (or a paste) the editor has not taken
        # in yet, as when typing fast while spaCy keeps the app busy. Reading the text from the
        # editor's own queue, after them, saves everything typed before ctrl+s.
        self.save_requested = True  # quitting meanwhile waits for it (MarginApp.action_quit)
        self.query_one(TextArea).call_later(self._save)

    def after_typed_keys(self, callback) -> None:
        """Run `callback` once the editor has taken in every key typed so far."""
        self.query_one(TextArea).call_later(callback)

    def action_cancel(self) -> None:
        self.query_one(TextArea).call_later(self._cancel)  # after the keys typed before Escape, too

    def _save(self) -> None:
        if self.app.screen is not self:
            return  # closed already (a second ctrl+s), or a question is open over it
        text = self.query_one(TextArea).text
        if text == self.original:  # nothing edited: keep the stored note byte for byte
            self.dismiss(None)
            return
        note = restore_edit(self.raw, self.original, text)
        # Blank lines typed before and white space after the note are dropped (unless the stored
        # note itself has them: what was stored is kept as it was).
        if not self.raw.startswith("\n"):
            note = note.lstrip("\n")
        if self.raw == self.raw.rstrip():
            note = note.rstrip()
        problem = note_problem(note)
        if problem:
            self.notify(problem, severity="error", timeout=8, markup=False)
            return
        self.dismiss(note)

    def _cancel(self) -> None:
        if self.app.screen is not self:
            return
        if not self.is_changed:
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard the changes to this note?", yes="Discard", no="Keep editing"), decided)


class NoteConflictDialog(ModalScreen[str | None]):
    """The note was changed elsewhere (another Margin, `margin import`) while it was edited here:
    shows both and asks which to keep — "mine", "theirs" or "both" (theirs, then mine)."""

    AUTO_FOCUS = "#both"
    BINDINGS = [
        Binding("m", "answer('mine')", "Keep mine"),
        Binding("t", "answer('theirs')", "Keep theirs"),
        Binding("b,escape", "answer('both')", "Keep both"),
    ]

    def __init__(self, passage: str, theirs: str, mine: str) -> None:
        super().__init__()
        self.passage = passage
        self.theirs = theirs
        self.mine = mine

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-dialog", classes="dialog"):
            yield Label(
                Content("The note on ")
                + Content(one_line(self.passage, 50))
                + Content(" was changed elsewhere while you edited it. Keep which?"),
                classes="dialog-title",
            )
            yield Label(Content("Stored now (theirs):"), classes="dialog-hint")
            with VerticalScroll(classes="conflict-note"):
                yield Static(Content(displayable(self.theirs, keep_newlines=True) or "(empty)"), id="theirs-note")
            yield Label(Content("Yours:"), classes="dialog-hint")
            with VerticalScroll(classes="conflict-note"):
                yield Static(Content(displayable(self.mine, keep_newlines=True) or "(empty)"), id="my-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Keep mine (m)"), id="mine")
                yield Button(Content("Keep theirs (t)"), id="theirs")
                yield Button(Content("Keep both (b)"), id="both", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_answer(self, value: str) -> None:
        self.dismiss(value)


class ConfirmDialog(ModalScreen[bool]):
    AUTO_FOCUS = "#no"  # Enter on a question about discarding or overwriting keeps things as they are
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Label(Content(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(f"{self.yes} (y)"), id="yes", variant="error")
                yield Button(Content(f"{self.no} (n)"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


def ask_tag_change(app, text: str, before: list[str], on_change, new: bool, aside: str = "") -> None:
    """Ask for tags on `text` (a passage): `on_change(added, removed)` runs when the user changed
    them; a new annotation (`new`) is made only when at least one tag was typed."""
    from tui.core.annotations import tag_changes

    def done(tags: list[str] | None) -> None:
        if tags is None:
            return
        added, removed = tag_changes(before, tags)
        if (added or removed) and not (new and not added):
            on_change(added, removed)

    app.push_screen(TagDialog(text, before, app.known_tags(), aside=aside), done)
