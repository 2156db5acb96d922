"""Build tui/core/analysis/world_given_names.txt: given names of many countries with the gender
they are nearly always (or, marked weak, mostly) given to, for telling a "he" from a "she" when
the common US given names of `given_names` say nothing ("Marco Bellini", "Kenza Tarek", "Hamish
Doe"). A weak name ("m?"/"f?": given to one gender in at least WEAK_SHARE, less than SHARE of its
counts) only breaks a tie in the text's own evidence (quote_index.DocIndex._learn_name_genders).

Source: the name data of the `nomquamgender` package (MIT licence, © 2022 Ian Van Buskirk;
https://github.com/ianvanbuskirk/nomquamgender), which gathers, for each given name, how often it
was given to women and to men across many national and international name lists. Only what the
file needs is kept: a name counted at least MIN_COUNT times, given to one gender in at least
SHARE of them, written in letters only, and not a word Margin reads as something else (a title,
an organisation word, a month, a people, a place (`lexicon.PLACE_NAMES`) or an English function
word: "General", "Georgia", "India", "Any").

    pip download --no-deps nomquamgender==0.1.4 -d /tmp/nqg && unzip -o /tmp/nqg/*.whl -d /tmp/nqg
    python bench/build_world_names.py --data /tmp/nqg/nomquamgender/name_data.json \
        --licence /tmp/nqg/nomquamgender-0.1.4.dist-info/LICENSE

The file is committed; run this again only to change the rules above.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spacy.lang.en.stop_words import STOP_WORDS  # noqa: E402

from tui.core.analysis.entities import DEMONYMS  # noqa: E402
from tui.core.analysis.entity_names import TITLE_WORDS  # noqa: E402
from tui.core.analysis.lexicon import MONTH_WORDS, ORG_HEAD_WORDS, PERSON_NOUNS, PLACE_NAMES  # noqa: E402

OUT = REPO / "tui" / "core" / "analysis" / "world_given_names.txt"
VERSION = "nomquamgender 0.1.4"  # the release the data file was built from
MIN_COUNT = 1000
SHARE = 0.97
WEAK_SHARE = 0.8  # a name given to one gender this often is weak evidence ("f?"): a tie-breaker only


def keep(name: str, counts: int, share_female: float) -> str | None:
    """'f' or 'm' when `name` goes into the file, 'f?' or 'm?' for weak evidence, else None."""
    if counts < MIN_COUNT or not name.isalpha() or len(name) < 2:
        return None
    if name in TITLE_WORDS or name in ORG_HEAD_WORDS or name in MONTH_WORDS or name in PERSON_NOUNS:
        return None
    if name in DEMONYMS or name in PLACE_NAMES or name in STOP_WORDS:
        return None
    if share_female >= SHARE:
        return "f"
    if share_female <= 1 - SHARE:
        return "m"
    if share_female >= WEAK_SHARE:
        return "f?"
    if share_female <= 1 - WEAK_SHARE:
        return "m?"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="nomquamgender's name_data.json")
    parser.add_argument("--licence", type=Path, required=True, help="nomquamgender's LICENSE (from its .dist-info)")
    args = parser.parse_args(argv)
    data = json.loads(args.data.read_text(encoding="utf-8"))
    rows = []
    for name, (_sources, counts, share_female, *_rest) in data.items():
        gender = keep(name, counts, share_female)
        if gender:
            rows.append(f"{name} {gender}")
    notice = [f"#   {line}".rstrip() for line in args.licence.read_text(encoding="utf-8").splitlines()]
    digest = hashlib.sha256(args.data.read_bytes()).hexdigest()
    header = [
        "# Given names of many countries and the gender they are nearly always given to (one per line:",
        "# the name in lower case, then f or m; f? or m? for a name most often but not nearly always",
        "# given to that gender, weak evidence only). Built by bench/build_world_names.py from the name data of",
        "# the nomquamgender package (https://github.com/ianvanbuskirk/nomquamgender), under its licence:",
        *notice,
        f"# From {VERSION}, name_data.json SHA-256 {digest}.",
        f"# Kept: counted at least {MIN_COUNT} times, given to one gender in at least {SHARE:.0%} of them",
        f"# (weak: at least {WEAK_SHARE:.0%}).",
    ]
    OUT.write_text("\n".join(header + sorted(rows)) + "\n", encoding="utf-8")
    print(f"{len(rows)} names -> {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
