"""Given names by gender: weak evidence for which person a "he" or "she" can be.

The lists are the most frequent US given names of the last century; names clearly used for both
sexes (Kelly, Leslie, Jordan, or Jean, a man's name in French) are left out. They are general
vocabulary, like the title words of `quote_coref`. A name they lack is looked up in
world_given_names.txt: given names of many countries that are nearly always given to one gender
("Marco", "Kenza"; built by bench/build_world_names.py from an openly licensed name data set). A
given name is weighed against the gender read from the text (`DocIndex._learn_name_genders`): it
outweighs one "his"/"her" that may belong to someone else, not a title or role word beside the name.
A name the world list marks weak (mostly, not nearly always, one gender's) only breaks a tie, most
often the silence of a text that never says "he" or "she" of the person.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tui.core.analysis.lexicon import (  # noqa: F401  (word lists live in the lexicon)
    FEMALE_NAMES,
    MALE_NAMES,
)


def given_name_gender(name: str, world: bool = True) -> str | None:
    """ "m" or "f" when the first word of a full name ("Jane Doe") is a common given name of that
    gender (with `world`, also one of world_given_names.txt); None for a single word, an unknown
    or a shared name."""
    words = name.replace(".", " ").split()
    if len(words) < 2:
        return None
    first = words[0].lower()
    if first in MALE_NAMES:
        return "m"
    if first in FEMALE_NAMES:
        return "f"
    return world_given_names().get(first) if world else None


def weak_given_name_gender(name: str) -> str | None:
    """ "m" or "f" when the first word of a full name is most often, though not nearly always, a
    given name of that gender (marked "m?"/"f?" in world_given_names.txt): only a tie-breaker
    when the text itself says nothing either way."""
    words = name.replace(".", " ").split()
    if len(words) < 2 or given_name_gender(name) is not None:
        return None
    return weak_world_given_names().get(words[0].lower())


WORLD_NAMES = Path(__file__).with_name("world_given_names.txt")


@cache
def world_given_names() -> dict[str, str]:
    """{given name in lower case: "f" | "m"} from world_given_names.txt (empty if it is missing)."""
    try:
        lines = WORLD_NAMES.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    pairs = (line.split() for line in lines if not line.startswith("#"))
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2 and pair[1] in ("f", "m")}


@cache
def weak_world_given_names() -> dict[str, str]:
    """{given name in lower case: "f" | "m"} for the names world_given_names.txt marks weak ("f?", "m?")."""
    try:
        lines = WORLD_NAMES.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    pairs = (line.split() for line in lines if not line.startswith("#"))
    return {pair[0]: pair[1][0] for pair in pairs if len(pair) == 2 and pair[1] in ("f?", "m?")}
