"""Common English given names by gender: weak evidence for which person a "he" or "she" can be.

The lists are the most frequent US given names of the last century; names clearly used for both
sexes (Kelly, Leslie, Jordan, or Jean, a man's name in French) are left out. They are general
vocabulary, like the title words of `quote_coref`. A given name is weighed against the gender read
from the text (`DocIndex._learn_name_genders`): it outweighs one "his"/"her" that may belong to
someone else, not a title or role word beside the name.
"""

from __future__ import annotations

from tui.core.analysis.lexicon import (  # noqa: F401  (word lists live in the lexicon)
    FEMALE_NAMES,
    MALE_NAMES,
)


def given_name_gender(name: str) -> str | None:
    """ "m" or "f" when the first word of a full name ("Jane Doe") is a common given name of that
    gender; None for a single word, an unknown or a shared name."""
    words = name.replace(".", " ").split()
    if len(words) < 2:
        return None
    first = words[0].lower()
    if first in MALE_NAMES:
        return "m"
    if first in FEMALE_NAMES:
        return "f"
    return None
