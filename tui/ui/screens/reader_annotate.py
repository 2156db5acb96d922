"""The reader's annotations: shown as stored now (also after another process's change, or back
from People or a timeline), the annotation keys (t, n, 1 … 9, P, e, d, u, y) and re-attaching an
orphan. What a key applies to comes from `tui.core.reading.Reading`, the records from `MarginApp`."""

from __future__ import annotations

from dataclasses import replace

from textual.screen import ModalScreen

from tui.core.annotations import Annotation, normalise_tags, tag_changes
from tui.core.passages import Passage
from tui.core.reading import QuickTagEffect, attributed_text, palette_tag, quick_tag_effect
from tui.core.text import one_line
from tui.ui.screens.dialogs import ConfirmDialog, NoteConflictDialog, NoteDialog, TagDialog, ask_tag_change, new_beside
from tui.ui.widgets.annotations_panel import AnnotationsPanel
from tui.ui.widgets.article_view import ArticleView, Mark
from tui.ui.widgets.panel_messages import Reattach


class ReaderAnnotating:
    """The annotations shown and annotating from the reader, mixed into `ReaderScreen` (which
    provides `reading`, `article`, `view`, `hl`, the `annotations` reactive, `_clear_selection`,
    `_jump_to`, `_undo_order`, `_edit_undo`, `undo_speaker` and `show_corrections`)."""

    _edit_undo: list[tuple[Annotation | None, Annotation]]  # (before, after) of each change made here

    # -- the annotations shown ----------------------------------------------------------------
    def refresh_annotations(self, select: str | None = None) -> None:
        """The article's annotations as stored now: the view's layer, the panel, the status."""
        self.annotations = self.app.annotations_for(self.article)
        if select is not None:
            self.query_one(AnnotationsPanel).select(select)

    def watch_annotations(self, annotations: list[Annotation]) -> None:
        self.reading.annotations = annotations
        self.view.set_layer("annotations", [Mark(a.start, a.end, self.hl.annotation) for a in self.reading.anchored])

    def on_store_changed(self) -> None:
        """Another process changed the annotations (or speaker corrections): show the current state."""
        if not self.query(ArticleView):
            return  # not composed yet: it reads the current annotations when it mounts
        self.refresh_annotations()  # the panel keeps its highlighted row
        self.show_corrections()

    def on_screen_suspend(self) -> None:
        self._covered = not isinstance(self.app.screen, ModalScreen)  # People, a timeline: not a dialog

    def on_screen_resume(self) -> None:
        """Back from a full screen (People, a timeline, which can tag this article's quotes, and
        where the app's StoreChanged went): the annotations as stored now, the panel's row kept.
        Back from anything (a dialog too): the speaker corrections as stored now."""
        self.show_corrections()
        if self._covered:
            self._covered = False
            self.refresh_annotations()  # the panel keeps its highlighted row

    def _change(
        self,
        passage: Passage,
        existing: Annotation | None,
        add_tags=(),
        remove_tags=(),
        note: str | None = None,
        note_before: str = "",
        then=None,
    ) -> None:
        """Apply a change to the stored annotation (or a new one); if its note was changed
        elsewhere meanwhile, show both notes and ask which to keep. `then(annotation)` follows."""
        base = existing if existing is not None else self.reading.new_annotation(passage)
        before = replace(existing, tags=list(existing.tags)) if existing is not None else None  # for `u`
        annotation, theirs = self.app.change_annotation(base, list(add_tags), list(remove_tags), note, note_before)
        if theirs is None and annotation.empty:
            self._emptied(annotation, existing)
            return
        if theirs is None:
            self._remember_edit(before, annotation)
            self._saved(annotation)
            if then is not None:
                then(annotation)
            return

        def decided(choice: str | None) -> None:
            mine = note or ""
            chosen = {"mine": mine, "both": f"{theirs.rstrip()}\n\n{mine}" if theirs.strip() else mine}.get(choice, theirs)
            self._change(passage, annotation, add_tags, remove_tags, chosen, theirs, then)

        self.app.push_screen(NoteConflictDialog(self.reading.passage_text(passage, existing), theirs, note or ""), decided)

    def _remember_edit(self, before: Annotation | None, after: Annotation) -> None:
        """A change saved (tags, note): `u` takes it back, as it does a delete."""
        if before is not None and (before.tags, before.note) == (after.tags, after.note):
            return  # nothing changed
        self._edit_undo.append((before, after))
        self._undo_order.append("edit")

    def undo_edit(self) -> None:
        """Take back the last change of tags or note made in this reader."""
        before, after = self._edit_undo.pop()
        done, now = self.app.revert_annotation(after, before)
        if not done:
            self._edit_undo.append((before, after))
            self._undo_order.append("edit")
            return
        self.refresh_annotations(select=now.id if now is not None else None)
        what = f"“{one_line(after.text, 40)}”"
        if before is None:
            self.notify(f"Undone: {what} is not annotated any more", markup=False)
        else:
            tags = " ".join(f"#{one_line(t)}" for t in before.tags)
            self.notify(f"Undone: {what} has its tags and note as before" + (f" ({tags})" if tags else ""), markup=False)
        if not after.orphan:
            self._jump_to(after.start)

    def _emptied(self, annotation: Annotation, existing: Annotation | None) -> None:
        """The change took the last tag and the note away: the annotation is gone (as `d` does)."""
        if self.reading.selection is not None:
            self._clear_selection()
        self.refresh_annotations()
        if existing is not None and self.app.was_just_deleted(annotation):
            self._undo_order.append("annotation")
            self.notify(f"Deleted “{one_line(annotation.text, 40)}”: no tag or note left — u undoes", markup=False)

    def _saved(self, annotation: Annotation) -> None:
        if self.reading.selection is not None:
            self._clear_selection()
        self.refresh_annotations(select=annotation.id)

    def _edit_tags(self, passage: Passage, existing: Annotation | None, aside: str = "") -> None:
        ask_tag_change(
            self.app,
            self.reading.passage_text(passage, existing),
            list(existing.tags) if existing else [],
            lambda added, removed: self._change(passage, existing, added, removed),
            new=existing is None,
            aside=aside,
        )

    def _edit_note(
        self, passage: Passage, existing: Annotation | None, remove_tags: list[str] | None = None, aside: str = ""
    ) -> None:
        """The note editor; `remove_tags` (every tag, from `e`) are removed with the note saved,
        or alone when it is cancelled."""
        before = existing.note if existing else ""

        def done(note: str | None) -> None:
            if remove_tags:
                self._change(passage, existing, remove_tags=remove_tags, note=note, note_before=before)
                return
            if note is None or (existing is None and not note):
                return
            self._change(passage, existing, note=note, note_before=before)

        self.app.push_screen(NoteDialog(self.reading.passage_text(passage, existing), before, aside), done)

    def action_tag(self) -> None:
        if self.reading.units:
            passage = self.reading.target()
            aside = new_beside(passage.kind, self.reading.other_annotation_here(passage))
            self._edit_tags(passage, self.reading.annotation_for(passage), aside)

    def action_note(self) -> None:
        if self.reading.units:
            passage = self.reading.target()
            aside = new_beside(passage.kind, self.reading.other_annotation_here(passage))
            self._edit_note(passage, self.reading.annotation_for(passage), aside=aside)

    def action_quick_tag(self, number: int) -> None:
        tag = palette_tag(self.app.palette(), number)
        if tag is None or not self.reading.units:
            self.notify(f"No quick tag {number}: press P to edit the palette.")
            return
        passage, existing = self.reading.quick_tag_subject()
        annotation = self.app.stored_version(existing) if existing else self.reading.new_annotation(passage)
        effect = quick_tag_effect(annotation, tag)

        def remember(saved: Annotation) -> None:  # the same key again finds it
            self.reading.remember_quick(saved.id)

        if effect is QuickTagEffect.TAG:
            self._change(passage, existing, add_tags=[tag], then=remember)
            self.notify(f"Tagged #{one_line(tag)}", markup=False, timeout=2)
            return
        if effect is QuickTagEffect.DELETE:
            if self.app.delete_annotation(annotation):  # as it was, tag included: u restores it whole
                self._undo_order.append("annotation")
            self.refresh_annotations()
        else:
            self._change(passage, annotation, remove_tags=[tag], then=remember)
        self.notify(f"Untagged #{one_line(tag)} (press {number} again to tag)", markup=False, timeout=2)

    def action_edit_palette(self) -> None:
        def done(tags: list[str] | None) -> None:
            if tags is not None:
                wanted = normalise_tags(tags)
                saved = self.app.set_palette(wanted)
                message = "Quick tags: " + ", ".join(f"{i}={one_line(t)}" for i, t in enumerate(saved, 1))
                if not wanted:
                    message = "An empty palette is the default one. " + message
                if len(wanted) > len(saved):
                    message += f" (keys 1–9: {len(wanted) - len(saved)} more left out)"
                self.notify(message, markup=False, severity="warning" if len(wanted) > len(saved) else "information")

        self.app.push_screen(
            TagDialog("quick-tag palette (keys 1–9, in order)", self.app.palette(), self.app.known_tags(), title="Edit"),
            done,
        )

    def _annotation_under_cursor(self) -> Annotation | None:
        """The annotation `e` and `d` act on: the highlighted row when the notes list has focus
        (orphans included), else the annotation under the article cursor."""
        chosen = self.query_one(AnnotationsPanel).highlighted_id()
        if chosen is not None:
            return self.reading.annotation(chosen)
        return self.reading.annotation_here()

    def action_edit(self) -> None:
        shown = self._annotation_under_cursor()
        if shown is None:
            self.notify("No annotation under the cursor.")
            return
        passage = Passage(shown.start, shown.end, shown.kind)

        def tags_done(tags: list[str] | None) -> None:
            if tags is TagDialog.CANCELLED:
                return  # Escape: the whole edit is cancelled
            if tags is not None:
                added, removed = tag_changes(shown.tags, tags)
                if not tags and not self.app.stored_version(shown).note.strip():
                    # no tag left and no note yet: the note decides whether anything is kept
                    self._edit_note(passage, shown, removed)
                    return
                if added or removed:
                    self._change(passage, shown, added, removed, then=lambda saved: self._edit_note(passage, saved))
                    return
            self._edit_note(passage, self.app.stored_version(shown))

        text = self.reading.passage_text(passage, shown)
        self.app.push_screen(TagDialog(text, shown.tags, self.app.known_tags(), report_cancel=True), tags_done)

    def action_delete(self) -> None:
        annotation = self._annotation_under_cursor()
        if annotation is None:
            self.notify("No annotation under the cursor.")
            return
        if self.app.delete_annotation(annotation):
            self._undo_order.append("annotation")
            self.refresh_annotations()
            self.notify(f"Deleted “{one_line(annotation.text, 40)}” — u undoes", markup=False)

    def action_undo(self) -> None:
        """`u`: undo the last change made in this reader — a delete, tags or a note changed (`t`,
        `n`, `e`, quick tags), or a speaker decision (`c`, `C`) — else the last delete made elsewhere."""
        last = self._undo_order.pop() if self._undo_order else None
        if last == "speaker":
            self.undo_speaker()
            return
        if last == "edit":
            self.undo_edit()
            return
        annotation = self.app.undo_delete(self.article)
        if annotation is None:
            self.notify("Nothing to undo in this article.")
            return
        self.refresh_annotations(select=annotation.id)
        tags = " ".join(f"#{one_line(t)}" for t in annotation.tags)
        what = f"“{one_line(annotation.text, 50)}”" + (f" {tags}" if tags else "")
        if annotation.orphan:
            self.notify(f"Restored {what} (an orphan: see the annotations panel)", markup=False)
            return
        self._jump_to(annotation.start)
        self.notify(f"Restored {what}", markup=False)

    def on_reattach(self, message: Reattach) -> None:
        orphan = message.annotation
        passage = self.reading.target()
        here = one_line(self.article.text[passage.start : passage.end], 60)

        def decided(yes: bool | None) -> None:
            if yes:
                reattached = orphan.reattached(self.article, passage.start, passage.end)
                self.app.save_annotation(reattached)
                self._saved(reattached)
                self.view.focus()

        self.app.push_screen(
            ConfirmDialog(f"Re-attach “{one_line(orphan.text, 40)}” to “{here}”?", yes="Re-attach", no="Cancel"), decided
        )

    def action_copy(self) -> None:
        """`y`: the passage under the cursor (selection, quote or sentence) with its attribution,
        to the clipboard through the terminal (OSC 52)."""
        if not self.reading.units:
            return
        passage = self.reading.target()
        text = attributed_text(self.article, passage, self.reading.speaker_of(passage))
        self.app.copy_to_clipboard(text)
        what = {"quote": "the quote", "selection": "the selection"}.get(passage.kind, "the sentence")
        self.notify(
            f"Copied {what} with its attribution ({len(text):,} characters). "
            "If nothing arrives, your terminal does not let programs set the clipboard (OSC 52).",
            markup=False,
            timeout=4,
        )
