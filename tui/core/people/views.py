"""Views of the people rows: sorting, the as-you-type filter, finding a person by a name.

Pure Python: no Textual, no spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.people.names import PERSON, PRONOUNS, fold, person_key
from tui.core.people.rows import Person

if TYPE_CHECKING:
    from tui.core.library import Entry

SORTS = ("quotes", "name", "latest")


def sort_people(people: list[Person], how: str) -> list[Person]:
    """`people` in the order `how` names: "name" (alphabetical), "latest" (latest article first, undated
    last), else the most quoted first (then the most articles); ties by name."""
    by_name = sorted(people, key=lambda p: (fold(p.name), p.id))
    if how == "name":
        return by_name
    if how == "latest":
        return sorted(by_name, key=lambda p: (p.last is not None, p.last or ""), reverse=True)
    return sorted(by_name, key=lambda p: (-p.quote_count, -p.articles))


def filter_people(people: list[Person], needle: str) -> list[Person]:
    """People whose name or any merged variant contains `needle` (case- and accent-insensitive)."""
    needle = fold(needle.strip())
    if not needle:
        return people
    return [p for p in people if needle in p.hay]


def find_person(people: list[Person], name: str) -> list[Person]:
    """Rows that `name` designates, case- and accent-insensitively: the row's name or a merged
    variant; else a mention as an article writes it ("Pompeo", "Ms. Doe"); else the same name
    without titles ("Senator Jane Doe" finds Jane Doe), or a bare surname every row of that
    surname ("Doe": each Doe)."""
    wanted = fold(" ".join(name.split()))
    if not wanted:
        return []
    exact = [
        p
        for p in people
        if fold(p.name) == wanted or any(fold(v.canonical) == wanted or (v.full and fold(v.full) == wanted) for v in p.voices)
    ]
    if exact:
        return exact
    if wanted in PRONOUNS:
        return []
    mentioned = [p for p in people if any(fold(m) == wanted for v in p.voices for m in v.mentions)]
    if mentioned:
        return mentioned
    key = person_key(name)
    if key is None:
        return []
    found = []
    for p in people:
        if p.kind != PERSON:
            continue
        other = person_key(p.name)
        if other is None:
            continue
        if key.is_bare and other.last == key.last and (not key.suffix or other.suffix == key.suffix):
            found.append(p)
        elif not key.is_bare and other.full == key.full:
            found.append(p)
    return found


def library_entries(roots: list[str]) -> tuple[list[Entry], list[str]]:
    """The library index's entries for `roots` (incremental: only changed files are read)."""
    from tui.core.library import LibraryIndex

    index = LibraryIndex(roots)
    index.load()
    index.refresh()
    return index.articles(), index.problems


def default_roots() -> list[str]:
    """The default library folder, as a list of roots."""
    from tui.core.library import library_dir

    return [str(library_dir())]
