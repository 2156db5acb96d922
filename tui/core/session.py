"""AnnotationSession: what one running Margin knows about the annotations beyond the store.

The store holds what is saved. A session adds what a person editing annotations needs while the
app runs: annotations whose save failed (kept in memory, retried, written to a recovery file on
the way out), the deleted ones (for undo), the store's change token (to notice another process's
changes), the annotations last read (shown when the store cannot be read now), re-anchoring an
article's annotations on read, the tag queries of the library, the quick-tag palette and the
reading positions.

No Textual: every method returns a result or raises; the app only shows them. A failed save
raises `NotSaved` *after* keeping the annotation, so nothing typed is ever dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tui.core import settings
from tui.core.annotations import Annotation, now_iso
from tui.core.session_recovery import CorrectionRecovery
from tui.core.storage.errors import StoreError
from tui.core.text import one_line

if TYPE_CHECKING:
    from tui.core.export import ExportResult
    from tui.core.storage.store import AnnotationStore


RECOVERY_PREFIX = "unsaved-annotations-"  # recovery files: this, a time stamp, .json (in the data dir)


def pending_recovery_files(folder: Path | None = None) -> list[Path]:
    """The annotations recovery files not imported yet (in the data dir unless `folder`), oldest first."""
    if folder is None:
        from tui.core.paths import data_dir

        folder = data_dir()
    try:
        return sorted(folder.glob(f"{RECOVERY_PREFIX}*.json"))
    except OSError:
        return []


def mark_recovered(path: Path) -> Path | None:
    """After `path` was imported: a recovery file of the data dir is renamed `….json.imported`
    (kept, no longer pending); its new path, or None when it is no such file or cannot be renamed."""
    path = Path(path).expanduser().absolute()
    if path not in [p.absolute() for p in pending_recovery_files()]:
        return None
    done = path.with_name(path.name + ".imported")
    try:
        path.rename(done)
    except OSError:
        return None
    return done


class NotSaved(Exception):
    """The database could not be written: `annotation` is kept in memory and retried later."""

    def __init__(self, annotation: Annotation, reason: str) -> None:
        super().__init__(f"Not saved yet ({one_line(reason)}); kept in memory and retried.")
        self.annotation = annotation


class ArticleLike(Protocol):
    """What the session needs of an article: its id (text hash), file path, title and text."""

    @property
    def id(self) -> str: ...  # noqa: D102

    @property
    def title(self) -> str: ...  # noqa: D102

    @property
    def path(self) -> Path: ...  # noqa: D102

    @property
    def text(self) -> str: ...  # noqa: D102


class LibraryText(Protocol):
    """A library entry as the session sees it: the id of its text and its file path."""

    @property
    def id(self) -> str: ...  # noqa: D102

    @property
    def path(self) -> str: ...  # noqa: D102


@dataclass
class Reading:
    """An article's annotations as read now; `problem` says why the store could not be read
    (then the annotations are those last read, never an empty view)."""

    annotations: list[Annotation]
    problem: str | None = None


class AnnotationSession(CorrectionRecovery):
    """The annotations of one running app: the store plus what is not (yet) in it."""

    def __init__(self, store: AnnotationStore) -> None:
        self.store = store
        self.unsaved: dict[str, Annotation] = {}  # annotations whose save failed, retried later
        self.deleted: list[Annotation] = []  # for undo, across articles, last deleted last
        self._token = ""
        self._last_read: dict[str, dict[str, Annotation]] = {}  # article id -> annotations last read
        self._notice_shown: str | None = None
        self._palette: list[str] | None = None
        self._library: Callable[[], Iterable[LibraryText]] = list
        self._recovered: list[Path] = []  # recovery files whose corrections came back, not yet saved

    # -- changes made elsewhere -------------------------------------------------------------------
    def start(self) -> None:
        """Take the store's change token now: later changes by other processes are noticed."""
        self._token = self.store.version()

    def changed_elsewhere(self) -> bool:
        """Whether another process (a second Margin, `margin import`) changed the database since
        the last call; each change is reported once."""
        current = self.store.version()
        elsewhere = self.store.changed_by_others(self._token, current)
        self._token = current
        return elsewhere

    def new_notice(self) -> str | None:
        """The store's notice (a migration, a read-only database…), once; None if already given."""
        notice = self.store.notice
        if notice and notice != self._notice_shown:
            self._notice_shown = notice
            return notice
        return None

    # -- reading ----------------------------------------------------------------------------------
    def follow_library(self, entries: Callable[[], Iterable[LibraryText]]) -> None:
        """Where the library's texts come from (`entries()` gives id and path of each article)."""
        self._library = entries

    def library_article_ids(self) -> dict[str, str]:
        """{id (text hash): file path} of the articles in the library: annotations follow their
        text, so those of a text still in the library are never moved to another file's new text."""
        return {entry.id: entry.path for entry in self._library() if entry.id}

    def annotations_for(self, article: ArticleLike) -> Reading:
        """The article's annotations: re-anchored if its text changed; orphans (passage no longer
        found) included with `orphan=True`; unsaved ones included too. If the database cannot be
        read now, the annotations last read, with the problem."""
        from tui.core.storage.anchored import TextsInLibrary, annotations_for_article  # rapidfuzz: not at start-up

        problem = None
        try:
            texts = TextsInLibrary(self.library_article_ids(), exclude=str(article.path))
            saved = {a.id: a for a in annotations_for_article(self.store, article, texts)}
            self._last_read[article.id] = saved
        except StoreError as exc:
            problem = str(exc)
            saved = dict(self._last_read.get(article.id, {}))
        saved.update({a.id: a for a in self.unsaved.values() if a.article_id == article.id})
        return Reading(sorted(saved.values(), key=lambda a: (a.orphan, a.start, a.end)), problem)

    def stored_version(self, annotation: Annotation) -> Annotation:
        """The annotation as stored now (another process may have changed it since it was shown)."""
        if annotation.id in self.unsaved:
            return self.unsaved[annotation.id]
        try:
            stored = self.store.get(annotation.id, annotation.article_id)
        except StoreError:
            stored = None
        return stored or annotation

    def annotations_on(self, spans: Iterable[tuple[str, int, int]]) -> dict[tuple[str, int, int], Annotation]:
        """The annotation (not orphaned) on each of these exact passages, (article id, start, end),
        stored or unsaved; an article whose annotations cannot be read now is left out."""
        wanted = set(spans)
        found: dict[tuple[str, int, int], Annotation] = {}
        for article_id in {span[0] for span in wanted}:
            try:
                stored = self.store.for_article(article_id)
            except StoreError:
                continue
            found.update(((a.article_id, a.start, a.end), a) for a in stored if not a.orphan)
        found.update(
            ((a.article_id, a.start, a.end), a) for a in list(self.unsaved.values()) if not a.orphan
        )  # a copy: read in a worker thread
        return {key: annotation for key, annotation in found.items() if key in wanted}

    def annotation_counts(self) -> dict[str, int]:
        """Annotations per article id, and per article file path (so an article whose file was
        edited since, and whose annotations are re-anchored only when it is opened, still counts);
        {} when the database cannot be read."""
        try:
            counts = self.store.counts_by_path()
            counts.update(self.store.counts_by_article())
        except StoreError:
            return {}
        return counts

    # -- writing ----------------------------------------------------------------------------------
    def save(self, annotation: Annotation) -> Annotation:
        """Save now. Raises NotSaved (the annotation kept in memory, retried later) on failure."""
        try:
            self.store.update(annotation)
        except StoreError as exc:
            self.unsaved[annotation.id] = annotation
            raise NotSaved(annotation, str(exc)) from None
        self.unsaved.pop(annotation.id, None)
        self.retry_unsaved()
        return annotation

    def change(
        self,
        base: Annotation,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
        note: str | None = None,
        note_before: str = "",
    ) -> tuple[Annotation, str | None]:
        """Apply the user's change to the annotation *as stored now*, in one read-modify-write
        under the store's lock: tags added and removed, the note replaced. Another process's
        change in between is kept. A change that leaves no tag and no note deletes the stored
        annotation (`u` restores it as it was: `undo_delete`) and saves nothing new; the returned
        annotation is then `empty` (if the database cannot be written then, StoreError is raised
        and the annotation stays as it is). Returns (the annotation, None), or — when the stored note was
        changed elsewhere since `note_before` and differs from `note` — (the stored annotation,
        its note) without saving anything: the caller asks which note to keep.

        `base` is the annotation as the user saw it (or a new one, not stored yet). If the
        database cannot be written, the change is applied to what is known, kept unsaved, and
        NotSaved is raised (its `annotation` is the changed one)."""

        def apply(current: Annotation) -> str | None:
            if note is not None and current.note != note and current.note != note_before:
                return current.note
            current.tags = merged_tags(current.tags, add_tags, remove_tags)
            if note is not None:
                current.note = note
            return None

        try:
            with self.store.transaction():
                current = self.unsaved.get(base.id) or self.store.get(base.id, base.article_id)
                if current is None:  # a new annotation: unless another process just made one there
                    current = next(
                        (
                            a
                            for a in self.store.for_article(base.article_id)
                            if not a.orphan and (a.start, a.end) == (base.start, base.end)
                        ),
                        base,
                    )
                before = replace(current, tags=list(current.tags))
                theirs = apply(current)
                if theirs is not None:
                    return current, theirs
                if not current.empty:
                    self.store.update(current)
                elif self.store.delete(current.id) is not None or self.unsaved.pop(current.id, None) is not None:
                    self.deleted.append(before)  # `u` brings back its tags and note
        except StoreError as exc:
            kept = self.unsaved.get(base.id) or base
            current = replace(kept, tags=list(kept.tags))
            theirs = apply(current)
            if theirs is not None:
                return kept, theirs
            if current.empty:
                raise StoreError(str(exc)) from None  # not deleted: it stays as it is, nothing lost
            current.updated = now_iso()
            self.unsaved[current.id] = current
            raise NotSaved(current, str(exc)) from None
        self.unsaved.pop(current.id, None)
        self.retry_unsaved()
        return current, None

    def revert(self, after: Annotation, before: Annotation | None) -> Annotation | None:
        """Take back one change (`u` after `t`, `n`, a quick tag): the annotation `after` as stored
        now gets `before`'s tags and note again, or — `before` None: the change made it — is
        deleted (not remembered for `undo_delete`: this was the undo). Returns the annotation as
        it is now (None: deleted or gone). Raises StoreError when the database cannot be written."""
        with self.store.transaction():
            current = self.unsaved.get(after.id) or self.store.get(after.id, after.article_id)
            if current is None:
                return None
            if before is None:
                self.store.delete(current.id)
                self.unsaved.pop(current.id, None)
                return None
            current.tags, current.note = list(before.tags), before.note
            if current.empty:
                self.store.delete(current.id)
                return None
            self.store.update(current)
        self.unsaved.pop(current.id, None)
        return current

    def delete(self, annotation: Annotation) -> None:
        """Delete it (an unsaved one is only forgotten); remembered for `undo_delete`. Raises
        StoreError when the database cannot be written (nothing is deleted then)."""
        if annotation.id in self.unsaved and self.store.get(annotation.id, annotation.article_id) is None:
            self.unsaved.pop(annotation.id)
        else:
            self.store.delete(annotation.id)
            self.unsaved.pop(annotation.id, None)
        self.deleted.append(annotation)

    def undo_delete(self, article_id: str | None = None) -> Annotation | None:
        """Restore the last deleted annotation (of that article, if given); None if there is none.
        When another annotation now covers exactly its passage, that one gets the restored tags and
        note instead (one annotation per passage), read and written under the store's lock.
        Raises NotSaved when it is restored but cannot be saved yet (kept in memory)."""
        for index in range(len(self.deleted) - 1, -1, -1):
            annotation = self.deleted[index]
            if article_id is None or annotation.article_id == article_id:
                del self.deleted[index]
                restored = annotation
                try:
                    with self.store.transaction():
                        restored = self._joined_with_one_there(annotation)
                        self.store.update(restored)
                except StoreError as exc:
                    if restored is annotation:  # the store could not even be read: join what is known
                        restored = self._joined_with_one_there(annotation, stored=False)
                    self.unsaved[restored.id] = restored  # one annotation for the passage, saved later
                    raise NotSaved(restored, str(exc)) from None
                self.unsaved.pop(restored.id, None)
                self.retry_unsaved()
                return restored
        return None

    def _joined_with_one_there(self, restored: Annotation, stored: bool = True) -> Annotation:
        """`restored`, or a copy of the annotation (as stored, or as changed here and not saved yet;
        `stored` False: the unsaved ones only) that now covers exactly its passage, with the restored
        tags and note added."""
        if restored.orphan:
            return restored
        here = {a.id: a for a in self.store.for_article(restored.article_id)} if stored else {}
        here.update({a.id: a for a in self.unsaved.values() if a.article_id == restored.article_id})
        there = next(
            (
                a
                for a in here.values()
                if not a.orphan and a.id != restored.id and (a.start, a.end) == (restored.start, restored.end)
            ),
            None,
        )
        if there is None:
            return restored
        joined = replace(there, tags=merged_tags(there.tags, restored.tags, ()))  # a copy: a failed write changes nothing
        note = restored.note.strip()
        if note and f"\n\n{note}\n\n" not in f"\n\n{joined.note.strip()}\n\n":
            joined.note = f"{joined.note.rstrip()}\n\n{restored.note}" if joined.note.strip() else restored.note
        return joined

    def retry_unsaved(self) -> int:
        """Try to save what could not be saved (annotations, and speaker corrections kept in
        memory: `retry_corrections`); the number of annotations still unsaved."""
        for annotation in list(self.unsaved.values()):
            try:
                self.store.update(annotation)
            except StoreError:
                break
            self.unsaved.pop(annotation.id, None)
        if self.store.unsaved_corrections:
            self.retry_corrections()
        return len(self.unsaved)

    def write_recovery_file(self, folder: Path | None = None) -> Path | None:
        """Write the unsaved annotations as an importable JSON export (in the data dir unless
        `folder`); its path, or None when it cannot be written."""
        from tui.core.export import export_annotations
        from tui.core.storage.atomic import write_atomically

        if folder is None:
            from tui.core.paths import data_dir

            folder = data_dir()
        path = folder / f"{RECOVERY_PREFIX}{datetime.now():%Y%m%d-%H%M%S}.json"
        try:
            payload = export_annotations(list(self.unsaved.values()), "json").payload
            write_atomically(path, payload.encode("utf-8"))
        except Exception:  # whatever stops it, the caller keeps the annotations and says so
            return None
        return path

    # -- the library's queries --------------------------------------------------------------------
    def everything(self) -> list[Annotation]:
        """Every annotation, stored and unsaved. Raises StoreError."""
        annotations = {a.id: a for a in self.store.all()}
        annotations.update(self.unsaved)
        return list(annotations.values())

    def tag_choices(self) -> list[str]:
        """Every tag in use, spellings merged case-insensitively, most used first (for filters).
        Raises StoreError."""
        from tui.core.library import tag_choices

        return tag_choices(self.store.all() + list(self.unsaved.values()))

    def article_ids_tagged(self, tag: str) -> set[str]:
        """Ids and file paths of the articles with an annotation tagged `tag` (any case). Raises
        StoreError."""
        wanted = tag.casefold()
        annotations = self.store.all() + list(self.unsaved.values())
        tagged = [a for a in annotations if any(t.casefold() == wanted for t in a.tags)]
        return {a.article_id for a in tagged} | {a.article_path for a in tagged}

    def known_tags(self) -> list[str]:
        """Tags in use (those the database can give now), then the palette's others."""
        try:
            tags = self.store.tags()
        except StoreError:
            tags = []
        return tags + [t for t in self.palette() if t not in tags]

    def export(
        self,
        path: Path,
        fmt: str,
        force: bool = False,
        article: ArticleLike | None = None,
        articles: set[str] | None = None,
    ) -> ExportResult:
        """Export every annotation, those of `article`, or those of the articles whose id or path
        is in `articles`, to `path`, with the speaker corrections; returns the ExportResult.
        Raises StoreError, ExportError or OSError."""
        from tui.core import exporting
        from tui.core.corrections import all_corrections

        if article is not None:
            annotations = self.annotations_for(article).annotations
        else:
            annotations = self.everything()
            if articles is not None:
                annotations = [a for a in annotations if a.article_id in articles or a.article_path in articles]
        return exporting.export_to_file(annotations, path, fmt, force=force, corrections=all_corrections(self.store))

    # -- the quick-tag palette and reading positions ----------------------------------------------
    def palette(self) -> list[str]:
        """The quick-tag palette (keys 1–9), as saved."""
        if self._palette is None:
            self._palette = settings.load_palette()
        return self._palette

    def set_palette(self, tags: list[str]) -> list[str]:
        """Save a new palette; returns it as saved. Raises OSError (the old one stays)."""
        self._palette = settings.save_palette(tags)
        return self._palette

    @staticmethod
    def reading_position(article: ArticleLike) -> int | None:
        """Where the reader left this article: by its text, else (an edited file) by its path."""
        offset = settings.load_position(article.id)
        if offset is None:
            offset = settings.load_position(f"path:{article.path}")
        return None if offset is None else min(offset, len(article.text))

    @staticmethod
    def remember_position(article: ArticleLike, offset: int, shown_to: int = 0) -> None:
        """Remember the reader's position, and how far the article is read: up to the end of the
        cursor's paragraph (on the last paragraph, read through), or further when the text shown
        on screen reaches further (`shown_to`; an article seen whole is read through)."""
        settings.save_position(article.id, offset)
        settings.save_position(f"path:{article.path}", offset)
        text = article.text
        end = text.find("\n\n", offset)
        read_to = max(len(text) if end < 0 else end, shown_to)
        if read_to >= len(text.rstrip()):
            read_to = len(text)
        settings.save_progress(article.id, round(100 * read_to / max(1, len(text))))


def merged_tags(tags: Sequence[str], add: Iterable[str] = (), remove: Iterable[str] = ()) -> list[str]:
    """`tags` without those in `remove` and with those of `add` not already there (any case)."""
    removed = {t.casefold() for t in remove}
    kept = [t for t in tags if t.casefold() not in removed]
    present = {t.casefold() for t in kept}
    for tag in add:
        if tag.casefold() not in present:
            present.add(tag.casefold())
            kept.append(tag)
    return kept
