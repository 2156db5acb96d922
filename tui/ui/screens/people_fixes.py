"""People's corrections: merge two rows (`m`), split a name off a row (`x`), and rebuild the rows
after a speaker correction made in a timeline.

A mixin of `PeopleScreen` (tui/ui/screens/people.py): it uses the screen's `source`, `people`,
`shown`, `rows_widget` and `apply`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work

from tui.core.people import PERSON, Overrides, Person
from tui.core.text import one_line
from tui.ui.deliver import deliver
from tui.ui.screens.people_dialogs import PickPersonDialog, PickVariantDialog


class PeopleFixes:
    """The merge, split and rebuild actions of the People screen (mixed into `PeopleScreen`)."""

    # Provided by PeopleScreen (a Textual Screen).
    app: Any
    source: Any
    people: list[Person]
    shown: list[Person]
    _sorted: Any
    rows_widget: Any
    notify: Any
    apply: Any

    def corrected(self, then: Callable[[list[Person]], None] | None = None) -> None:
        """A speaker correction was saved (in a timeline): rebuild the rows with it (only its
        article is indexed again), then call `then` with the new rows."""
        self.source.refresh_corrections()
        current = self.rows_widget.current
        self._corrected_worker(then, current.id if current else None)

    @work(thread=True, exclusive=True, group="people-corrected")
    def _corrected_worker(self, then, keep: str | None) -> None:
        people = self.source.build()
        deliver(self, self._rebuilt, people, keep)
        if then is not None:
            deliver(self, then, people)
        self.source.save()

    def action_merge(self) -> None:
        person = self.rows_widget.current
        if person is None:
            return
        if len(self.people) < 2:
            self.notify("There is no other row to merge with.", timeout=3, markup=False)
            return

        def picked(other_id: str | None) -> None:
            if other_id is None:
                return
            other = next((p for p in self.people if p.id == other_id), None)
            keep, gone = person, other
            if other is not None and other.kind == PERSON and person.kind != PERSON:
                keep, gone = other, person  # a person merged into a description keeps the person's name
            overrides = self.source.load_overrides()
            overrides.merge(keep.id, gone.id if gone is not None else other_id)
            if self._save_overrides(overrides):
                merged, into = one_line(gone.name if gone else other_id, 60), one_line(keep.name, 60)
                if gone is not None and gone.kind != keep.kind:
                    # "a senior official" into Jane Doe may be right, an organisation into a person
                    # seldom is: say what was joined, louder, with the way back
                    self.notify(
                        f"Merged the {gone.kind} “{merged}” into the {keep.kind} “{into}”: "
                        "rows of two kinds (x splits it off again).",
                        severity="warning",
                        timeout=6,
                        markup=False,
                    )
                else:
                    self.notify(f"Merged “{merged}” into “{into}” (x splits it off again).", timeout=4, markup=False)
            self._rebuild(keep.id)

        self.app.push_screen(PickPersonDialog(person, self.people), picked)

    def action_split(self) -> None:
        person = self.rows_widget.current
        if person is None:
            return
        if len(person.variants) < 2:
            self.notify(
                f"“{one_line(person.name, 60)}” has one name only: nothing to split off (m merges rows).", timeout=4, markup=False
            )
            return

        def picked(variant: str | None) -> None:
            if variant is None:
                return
            overrides = self.source.load_overrides()
            overrides.split(person, variant)
            if self._save_overrides(overrides):
                self.notify(
                    f"“{one_line(variant, 60)}” is split off into a row of its own (m merges it back).", timeout=4, markup=False
                )
            self._rebuild(person.id)

        self.app.push_screen(PickVariantDialog(person), picked)

    def _save_overrides(self, overrides: Overrides) -> bool:
        try:
            overrides.save()
        except OSError as exc:
            self.notify(
                f"Not saved ({one_line(str(exc), 150)}); the change holds until you quit.",
                severity="error",
                timeout=8,
                markup=False,
            )
            return False
        return True

    def _rebuild(self, keep: str | None) -> None:
        self._rebuild_worker(keep)

    @work(thread=True, exclusive=True, group="people-rebuild")
    def _rebuild_worker(self, keep: str | None) -> None:
        people = self.source.build()
        deliver(self, self._rebuilt, people, keep)

    def _rebuilt(self, people: list[Person], keep: str | None) -> None:
        self.people = people
        self._sorted = None
        widget = self.rows_widget
        self.apply()
        if keep is not None:
            for i, person in enumerate(self.shown):
                if person.id == keep:
                    widget.move_to(i)
                    break
