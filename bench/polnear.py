"""PolNeAR's direct quotations as a quote/speaker benchmark: convert, then score Margin,
Margin rules-only and textacy side by side, per publisher.

    .venv/bin/python bench/polnear.py --data PATH [--part tune|score|all] [--systems margin,rules,textacy]
                                      [--raw | --raw-too] [--verbose] [--errors] [--limit N] [--only STEMS]
                                      [--dump DIR] [--doc-cache DIR]

PATH is a local copy of PolNeAR (github.com/networkdynamics/PolNeAR), its `data/` folder or its
`data/train` folder. Only the **train** split is read: the dev and test splits are reserved, and a
path naming them is refused. The texts are the publishers' copyright and are never committed:
this script reads them from PATH each time (`--dump DIR` writes the converted articles and gold
files in the quotes-dev layout, for `bench/analysis_speed.py --data DIR`; keep DIR outside the
repository).

Conversion rules: bench/polnear_rules.md. Split lists: bench/polnear_splits/{tune,score}.txt
(made once by `--make-splits`, fixed seed). Gold corrections: bench/polnear_corrections.json
(applied unless `--raw`).

Scoring is bench/quotes_eval.py's: a predicted piece matches a gold piece at 80% overlap; speaker
accuracy over matched pieces (canonical must contain the gold surname / head noun, or equal an
alias). "both" is speaker accuracy on the gold quotes that Margin and textacy both match. The
speaker contract (canonical never empty, a pronoun, a fragment, a date or a number) is checked on
every Margin quote.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import quotes_eval  # noqa: E402
from quotes_eval import Scores, match, textacy_predict  # noqa: E402

_speaker_ok = quotes_eval.speaker_ok


def speaker_ok(predicted, gold) -> bool:
    """quotes_eval's test; a gold speaker the text does not give is right only as unknown."""
    if not gold.get("speaker"):
        return not predicted
    # a definite description ("the senator") whose CoreNLP chain names the person: either is right
    others = [{"speaker": name, "speaker_aliases": []} for name in gold.get("speaker_names", [])]
    return any(_speaker_ok(predicted, g) for g in [gold, *others])


quotes_eval.speaker_ok = speaker_ok

SPLITS_DIR = REPO / "bench" / "polnear_splits"
CORRECTIONS = REPO / "bench" / "polnear_corrections.json"
SPLIT_SEED = 20161108
SCORE_PART_SIZE = 170

PERSONAL_PRONOUNS = {
    "he",
    "she",
    "they",
    "it",
    "i",
    "we",
    "you",
    "him",
    "her",
    "his",
    "hers",
    "their",
    "them",
    "its",
    "our",
    "us",
    "my",
    "me",
    "your",
    "himself",
    "herself",
    "itself",
    "themselves",
}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose"}
EXPLICIT_KINDS = ("name", "description", "relative", "correction")
TRUSTED_KINDS = EXPLICIT_KINDS + ("pronoun",)
SINGULAR_PERSON = {"he", "she", "him", "his", "her", "hers", "himself", "herself"}


class RefusedPath(ValueError):
    """The path is not PolNeAR's train split."""


def train_dir(path: Path) -> Path:
    """The `data/train` folder under `path`; refuses anything that names the dev or test split."""
    path = Path(path).resolve()
    if any(part.lower() in ("dev", "test") for part in path.parts):
        raise RefusedPath(f"{path}: PolNeAR's dev and test splits are reserved; use its train split only")
    for candidate in (path / "data" / "train", path / "train", path):
        if candidate.name == "train" and (candidate / "text").is_dir() and (candidate / "attributions").is_dir():
            return candidate
    raise RefusedPath(f"{path}: no PolNeAR data/train folder (text/ and attributions/) here")


# -- reading the brat files ---------------------------------------------------------------------


def read_ann(path: Path) -> list[dict]:
    """Attributions of one annotator file: {source, cue, content: [(start, end)...]}."""
    return read_ann_text(path.read_text(encoding="utf-8"))


def read_ann_text(data: str) -> list[dict]:
    spans, out = {}, []
    for line in data.splitlines():
        if line.startswith("T") and line.count("\t") >= 1:
            tid, info, *_ = line.split("\t")
            kind, ranges = info.split(" ", 1)
            spans[tid] = (kind, [tuple(int(x) for x in r.split()) for r in ranges.split(";")])
        elif line.startswith("E") and "\t" in line:
            parts = line.split("\t")[1].split()
            roles = dict(p.split(":", 1) for p in parts)
            out.append({role.rstrip("0123456789").lower(): spans.get(tid, (None, []))[1] for role, tid in roles.items()})
    return out


def choose_annotator(files: list[Path]) -> Path:
    """Several annotators' files for one article: the one with the most attributions (the
    corpus's known weakness is missed attributions), ties to the lowest annotator id."""
    return max(sorted(files), key=lambda f: (len(read_ann(f)), -sorted(files).index(f)))


def normalise(text: str) -> tuple[str, list[int]]:
    """Two apostrophes used as a quotation mark ('' in the NYT archive texts) become one straight
    double mark; returns the new text and a map old offset -> new offset."""
    out, mapping, i = [], [], 0
    while i < len(text):
        mapping.append(len(out))
        if text.startswith("''", i):
            mapping.append(len(out))
            out.append('"')
            i += 2
            continue
        out.append(text[i])
        i += 1
    mapping.append(len(out))
    return "".join(out), mapping


OPENERS, CLOSERS = "“«„", "”»"


def quoted_regions(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Content between quotation marks inside [lo, hi), paragraph by paragraph; a quote left open
    at a paragraph end runs to that end (the multi-paragraph convention)."""
    regions = []
    pos = lo
    while pos < hi:
        nl = text.find("\n", pos, hi)
        p_end = hi if nl < 0 else nl
        open_at = None
        for i in range(pos, p_end):
            ch = text[i]
            if ch == '"':
                before = text[i - 1] if i > 0 else " "
                is_open = open_at is None and (before.isspace() or before in "([{—–-/“‘" or i == pos)
                ch = "“" if is_open else ("”" if open_at is not None else "")
            # (revision) a wrongly turned curly mark: 'the best“ and' closes, 'it ”a' opens
            after = text[i + 1] if i + 1 < p_end else " "
            before = text[i - 1] if i > pos else " "
            if ch == "“" and open_at is not None and before.isalnum() and (after.isspace() or after in ".,;:!?)"):
                ch = "”"
            elif ch == "”" and open_at is None and (before.isspace() or before in "([{") and after.isalnum():
                ch = "“"
            if ch in OPENERS and open_at is None:
                open_at = i
            elif ch in CLOSERS and open_at is not None:
                regions.append((open_at + 1, i))
                open_at = None
        if open_at is not None:
            regions.append((open_at + 1, p_end))
        pos = p_end + 1
    out = []
    for s, e in regions:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def is_title_like(content: str) -> bool:
    content = content.removesuffix(",").removesuffix(".")  # American style: “The Wire,” “Rush Hour.”
    words = [w for w in content.split() if any(c.isalnum() for c in w)]
    small = {"of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "de"}
    if len(words) > 6 or content[-1:] in ".,!?;:":
        return False
    return bool(words) and words[0][:1].isupper() and all(w[0].isupper() or w.lower() in small for w in words if w[0].isalpha())


def _join(text: str, ranges) -> str:
    return " ".join(text[s:e] for s, e in ranges).strip()


def relative_antecedent(text: str, pos: int) -> str | None:
    """The name or noun phrase a "who"/"which"/"that" source stands for: the last capitalised
    run (titles and "Jr." kept) before it in its sentence, else the words before it."""
    lo = max(text.rfind("\n", 0, pos), text.rfind(". ", 0, pos - 2)) + 1
    before = text[lo:pos].rstrip(" ,—–-")
    words = before.split()
    run = _last_capitalised_run(words)
    k = len(words) - len(run) - 1
    if len(run) == 1 and k >= 1 and words[k] == "of" and _last_capitalised_run(words[:k]):
        run = _last_capitalised_run(words[:k])  # (revision) "Sen. Jane Doe of Ohio, who": the person
    if run:
        return " ".join(run).rstrip(",")
    return " ".join(words[-3:]) or None


def _last_capitalised_run(words: list[str]) -> list[str]:
    run = []
    for w in reversed(words):
        clean = w.strip(",.()")
        if clean[:1].isupper() or clean.lower() in ("jr", "sr", "jr.", "sr."):
            run.append(w.strip(",()"))
        else:
            break
    return run[::-1]


def _is_name(phrase: str) -> bool:
    words = [w for w in phrase.split() if w.lower() not in ("of", "the", "de", "van", "von")]
    return bool(words) and all(w[:1].isupper() for w in words)


def _has_full_name(phrase: str) -> bool:
    """Two capitalised words in a row, not counting possessives ("Trump’s Virginia director": no)."""
    run = 0
    for w in phrase.split():
        if w[:1].isupper() and not w.endswith(("’s", "'s", "’")):
            run += 1
            if run >= 2:
                return True
        else:
            run = 0
    return False


def gold_speaker(source: str) -> str:
    """The speaker as our gold schema writes it: the name or head of the source span without its
    apposition or relative clause ("Jane Doe, 57, a nurse," -> "Jane Doe"; "Doe’s" -> "Doe")."""
    s = source.strip(" ,.;:—–-")
    s = re.sub(r"^(?:but|and|so|yet|or|then)\s+", "", s, flags=re.I)
    s = re.sub(r"\s+(?:himself|herself|themselves|itself)$", "", s)
    parts = [p.strip() for p in re.split(r",|\s--\s|\s—\s", s) if p.strip()]
    if len(parts) > 1 and not _has_full_name(parts[0]) and _is_name(parts[1]):
        s = parts[1]  # "her campaign manager, Jane Doe," -> the name in apposition
    elif len(parts) > 1 and _is_description(parts[0]) and _has_full_name(_cut(parts[1])) and _is_name(_cut(parts[1])):
        s = _cut(parts[1])  # (revision) "the director of the agency, Jane Doe, " -> the name
    s = re.sub(
        r"^((?:[A-Za-z]+ )?(?:[Ss]ecretary|[Mm]inister|[Dd]irector|[Gg]overnor|[Mm]ayor|[Cc]hairman|[Cc]hair|[Hh]ead|[Ss]peaker)) of ",
        lambda m: m.group(1) + " OF ",
        s,
    )  # "Secretary of State John Doe": one title
    # (revision) "former secretary of state Jane Doe", "organizing director Jane Doe": the name
    head = re.split(r",|\s\(|\s—|\s–|\s--|\swho\s|\swhich\s", s)[0].strip()
    words = head.split()
    run_start = None
    for n, w in enumerate(words):
        if w[:1].isupper() and not w.endswith(("’s", "'s", "’")):
            run_start = n if run_start is None else run_start
            continue
        if run_start is not None and n - run_start >= 2 and w in ("of", "from", "at", "in", "with"):
            words = words[:n]  # "commentator Jane Doe of the Acme Report": the person first named
            break
        run_start = None
    k = len(words)
    while k > 0 and words[k - 1][:1].isupper() and not words[k - 1].endswith(("’s", "'s", "’")):
        k -= 1
    if (
        len(words) - k >= 2
        and k > 0
        and words[k - 1][:1].islower()
        and words[k - 1] not in NAME_CONNECTORS
        and words[k - 1] not in ("to", "by", "with", "for", "from", "at", "in", "on", "about", "against", "over")
        and not words[k - 1].endswith("ed")
        and " and " not in head
    ):
        s = " ".join(words[k:])
    s = _cut(s)
    s = s.replace(" OF ", " of ")
    s = re.sub(r"(’s|'s|’|')$", "", s)
    return s or source.strip()


NAME_CONNECTORS = {"of", "for", "de", "the", "and", "van", "von", "du", "la", "le", "da", "del"}


def _cut(s: str) -> str:
    """A phrase without its apposition, relative clause or prepositional tail."""
    return re.split(r",|\s\(|\s—|\s–|\s--|\swho\s|\swhich\s|\sof\s|\sfrom\s|\sat\s|\sin\s", s)[0].strip()


def _is_description(phrase: str) -> bool:
    """A phrase opening with a determiner, a possessive or a lower-case word ("the director of ...")."""
    words = phrase.split()
    first = words[0] if words else ""
    return (
        first[:1].islower()
        or first.lower() in ("the", "a", "an", "another", "its", "his", "her", "their")
        or any(w.endswith(("’s", "'s")) for w in words)
        or any(w[:1].islower() and w not in NAME_CONNECTORS for w in words)
    )


def gold_description(source: str) -> str | None:
    """The source's leading description when its gold speaker is a name in apposition ("the
    director of the agency, Jane Doe" -> "the director"): accepted as an alias."""
    s = source.strip(" ,.;:—–-")
    s = re.sub(r"^(?:but|and|so|yet|or|then)\s+", "", s, flags=re.I)
    head = s.split(",")[0].strip()
    if "," in s and _is_description(head):
        return _cut(head)
    return None


def convert_article(stem: str, raw: str, attributions: list[dict], coref: list | None = None) -> tuple[str, dict]:
    text, m = normalise(raw)
    attrs = []
    for a in attributions:
        content = [(m[s], m[e]) for s, e in a.get("content", [])]
        source = [(m[s], m[e]) for s, e in a.get("source", [])]
        cue = [(m[s], m[e]) for s, e in a.get("cue", [])]
        if content:
            attrs.append(
                {
                    "content": content,
                    "source": source,
                    "cue": cue,
                    "at": min(s for s, _ in content),
                    "source_raw": a.get("source", []),
                }
            )
    attrs.sort(key=lambda a: a["at"])
    quotes, resolved = [], []  # resolved: (position, speaker, kind) of explicit sources
    for a in attrs:
        src = _join(text, a["source"])
        src_at = a["source"][0][0] if a["source"] else a["at"]
        low = src.lower().strip(" ,")
        kind, speaker = "name", gold_speaker(src) if src else None
        if not src:
            kind, speaker = "none", None
        elif low in RELATIVE_PRONOUNS:
            kind, speaker = "relative", relative_antecedent(text, src_at)
        elif low in PERSONAL_PRONOUNS:
            kind = "pronoun"
            speaker = None
            for at, name, k in reversed(resolved):
                if at >= src_at:
                    continue
                if low in SINGULAR_PERSON and (" and " in name or k != "name"):
                    continue
                speaker = name
                break
            if coref is not None and a["source"]:
                rs, re_ = a["source_raw"][0]
                name = coref_antecedent(coref, rs, re_)
                if name:
                    name = gold_speaker(name)
                    agree = speaker and (
                        quotes_eval.speaker_key(speaker).lower() in name.lower()
                        or quotes_eval.speaker_key(name).lower() in speaker.lower()
                    )
                    # both ways of resolving agree: trusted; else CoreNLP's answer, marked disputed
                    kind = "pronoun" if agree else "pronoun-disputed"
                    speaker = speaker if agree else name
                else:
                    kind = "pronoun-disputed"
            else:
                kind = "pronoun-disputed"
        elif src[:1].islower() or low.split()[0] in ("a", "an", "the"):
            kind = "description"
            if coref is not None and a["source"] and low.split()[0] == "the":
                # "the senator" when the article names him: his name is right too
                rs, re_ = a["source_raw"][0]
                named = coref_antecedent(coref, rs, re_, persons_only=True)
                if named and named.lower() not in low:
                    a["names"] = [gold_speaker(named)]
        if kind in ("name", "description") and speaker:
            resolved.append((src_at, speaker, kind))
        a["speaker"], a["src"], a["kind"] = speaker, src, kind
    # every quoted stretch of the text, given to the attribution whose content covers most of it
    for s, e in quoted_regions(text, 0, len(text)):
        best, best_overlap = None, 0
        for a in attrs:
            ov = sum(max(0, min(e, ce) - max(s, cs)) for cs, ce in a["content"])
            if ov > best_overlap:
                best, best_overlap = a, ov
        content = text[s:e]
        if best is None or best_overlap < min(8, e - s) // 2:
            continue
        if len([w for w in content.split() if any(c.isalnum() for c in w)]) < 2 or is_title_like(content):
            continue
        quotes.append(
            {
                "start": s,
                "end": e,
                "text": content,
                "speaker": best["speaker"],
                "source_text": best["src"] or None,
                "source_kind": best["kind"],
                "source_start": best["source"][0][0] if best["source"] else None,
                "cue": _join(text, best["cue"]) or None,
                "speaker_aliases": ([best["src"]] + [d for d in [gold_description(best["src"])] if d])
                if best["src"] and best["kind"] in ("name", "description")
                else [],
                "speaker_names": best.get("names", []),
            }
        )
    quotes.sort(key=lambda q: q["start"])
    dedup = []
    for q in quotes:
        if dedup and dedup[-1]["start"] == q["start"]:
            continue
        dedup.append(q)
    return text, {"article": stem, "publisher": stem.split("_")[0], "quotes": dedup}


def load_corpus(train: Path) -> dict[str, tuple[str, dict]]:
    by_article = defaultdict(list)
    for f in (train / "attributions").glob("*.ann"):
        by_article[f.stem.rsplit("_", 1)[0]].append(f)
    out = {}
    corefs = load_coref(train)
    for text_file in sorted((train / "text").glob("*.txt")):
        stem = text_file.stem
        files = by_article.get(stem)
        if not files:
            continue
        attributions = read_ann(choose_annotator(files))
        out[stem] = convert_article(stem, text_file.read_text(encoding="utf-8"), attributions, corefs.get(stem))
    return out


def load_coref(train: Path) -> dict[str, list]:
    """CoreNLP's coreference chains shipped with PolNeAR (`data/train/corenlp/*.xml`), as
    [[(start, end, text, representative, head NER), ...], ...] per article (raw-text offsets).
    Cached beside the data (never in the repository)."""
    folder = train / "corenlp"
    if not folder.is_dir():
        return {}
    cache = train / "margin_coref_cache.json"
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    import xml.etree.ElementTree as ET

    out = {}
    for path in sorted(folder.glob("*.xml")):
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as exc:
            print(f"warning: {path.name}: unreadable CoreNLP file ({exc}); its pronoun sources stay unmapped")
            continue
        tokens = {}
        for sent in root.iter("sentence"):
            toks = sent.find("tokens")
            if toks is None:
                continue
            sid = int(sent.get("id"))
            for tok in toks:
                tokens[(sid, int(tok.get("id")))] = (
                    int(tok.findtext("CharacterOffsetBegin")),
                    int(tok.findtext("CharacterOffsetEnd")),
                    tok.findtext("NER") or "O",
                )
        chains = []
        top = root.find("document/coreference")
        for chain in top if top is not None else ():
            mentions = []
            for m in chain.findall("mention"):
                sid, start, end, head = (int(m.findtext(k)) for k in ("sentence", "start", "end", "head"))
                if (sid, start) not in tokens or (sid, end - 1) not in tokens:
                    continue
                mentions.append(
                    (
                        tokens[(sid, start)][0],
                        tokens[(sid, end - 1)][1],
                        m.findtext("text"),
                        m.get("representative") == "true",
                        tokens.get((sid, head), (0, 0, "O"))[2],
                    )
                )
            chains.append(mentions)
        out[path.name.split(".")[0]] = chains
    cache.write_text(json.dumps(out), encoding="utf-8")
    return out


def coref_antecedent(chains: list, start: int, end: int, persons_only: bool = False) -> str | None:
    """The name a pronoun at start:end (raw offsets) stands for in CoreNLP's chains: the chain's
    representative when it is a person or organisation name, else its longest such mention."""
    for chain in chains:
        if not any(s <= start and end <= e and e - s <= end - start + 2 for s, e, *_ in chain):
            continue
        labels = ("PERSON",) if persons_only else ("PERSON", "ORGANIZATION")
        names = [m for m in chain if m[4] in labels and m[2].split()[0].lower() not in PERSONAL_PRONOUNS]
        if not names:
            return None
        representative = [m for m in names if m[3]]
        return (representative or sorted(names, key=lambda m: -len(m[2])))[0][2]
    return None


def apply_corrections(corpus: dict, corrections: list[dict]) -> int:
    """Each correction names an article and a gold quote by its character offsets in the
    converted text: {"article", "start", "end", "action": "speaker"|"drop"|"add", "speaker", "why"}."""
    applied = 0
    for c in corrections:
        if c["article"] not in corpus:
            continue
        text, gold = corpus[c["article"]]
        quotes = gold["quotes"]
        hit = [q for q in quotes if q["start"] == c["start"] and q["end"] == c["end"]]
        if c["action"] == "add" and not hit:
            quotes.append(
                {
                    "start": c["start"],
                    "end": c["end"],
                    "text": text[c["start"] : c["end"]],
                    "speaker": c["speaker"],
                    "source_kind": "correction",
                    "cue": c.get("cue"),
                    "speaker_aliases": c.get("aliases", []),
                }
            )
            quotes.sort(key=lambda q: q["start"])
        elif c["action"] == "drop" and hit:
            quotes.remove(hit[0])
        elif c["action"] == "speaker" and hit:
            hit[0]["speaker"] = c["speaker"]
            hit[0]["speaker_aliases"] = c.get("aliases", [])
            hit[0]["source_kind"] = "correction"
        else:
            continue
        applied += 1
    return applied


# -- splits ---------------------------------------------------------------------------------------


def make_splits(stems: list[str]) -> None:
    stems = sorted(stems)
    random.Random(SPLIT_SEED).shuffle(stems)
    SPLITS_DIR.mkdir(exist_ok=True)
    (SPLITS_DIR / "score.txt").write_text("\n".join(sorted(stems[:SCORE_PART_SIZE])) + "\n")
    (SPLITS_DIR / "tune.txt").write_text("\n".join(sorted(stems[SCORE_PART_SIZE:])) + "\n")


def split(part: str) -> list[str] | None:
    if part == "all":
        return None
    return (SPLITS_DIR / f"{part}.txt").read_text().split()


# -- the speaker contract -----------------------------------------------------------------------

CONTRACT_PRONOUNS = PERSONAL_PRONOUNS | RELATIVE_PRONOUNS | {"this", "these", "those", "one", "someone"}
MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}


def contract_problem(quote) -> str | None:
    """Why a quote's speaker breaks the contract, or None."""
    speaker = quote.speaker
    if speaker is None:
        return None if getattr(quote, "speaker_unknown_reason", None) else "no speaker and no reason"
    c = (speaker.canonical or "").strip()
    words = c.lower().replace(",", " ").split()
    if not c:
        return "empty"
    if c.lower() in CONTRACT_PRONOUNS:
        return "pronoun"
    if any(ch.isdigit() for ch in c) and not any(ch.isalpha() for ch in c):
        return "number"
    if words and words[0] in MONTHS and (len(words) == 1 or words[1].strip(".").isdigit()):
        return "date"
    if words and words[-1] in {"that", "by", "to", "of", "and", "the", "a", "if", "when", "as"}:
        return "fragment"
    if words and words[0] in {"that", "which", "who", "and", "but", "to", "if", "when", "as", "because"}:
        return "fragment"
    if words and words[-1].endswith(("'s", "’s")):
        return "fragment"  # a possessive cut from its noun
    return None


# -- running the systems ------------------------------------------------------------------------


MARGIN_PIPES = ("margin_entities", "margin_quotes")


def doc_cache_path(cache: Path, stem: str, text: str, nlp, info) -> Path:
    """Where the parsed Doc of `text` is cached: per pipeline (its name and the components that
    run before Margin's, so a changed pipeline never reads stale parses) and per text."""
    import hashlib

    pipes = ",".join(p for p in nlp.pipe_names if p not in MARGIN_PIPES)
    pipeline = f"{info.name}.{hashlib.sha1(pipes.encode()).hexdigest()[:6]}"
    return cache / pipeline / f"{stem}.{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}.spacy"


def cached_analysis(stem: str, text: str, nlp, info, cache: Path):
    """Margin's analysis of `text` with spaCy's own components' output read from `cache` (a
    DocBin per article, made on first use): only Margin's components run. For iterating on the
    quote rules; the figures are the same as without the cache."""

    from spacy.tokens import DocBin

    from tui.core.analysis.pipeline import CHUNK_CHARS, _result, verbatim
    from tui.core.analysis.quotes import quotes_from_doc
    from tui.core.text import plain_spaces, trim_span

    if len(text) > CHUNK_CHARS:
        from tui.core.analysis.pipeline import analyze_text

        return analyze_text(text, nlp, info)
    plain = plain_spaces(text)  # what the app hands spaCy (pipeline.analyze_texts)
    path = doc_cache_path(cache, stem, plain, nlp, info)
    if path.exists():
        doc = next(iter(DocBin().from_disk(path).get_docs(nlp.vocab)))
    else:
        with nlp.select_pipes(disable=[p for p in MARGIN_PIPES if p in nlp.pipe_names]):
            doc = nlp(plain)
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=[doc]).to_disk(path)
    for name in MARGIN_PIPES:
        if name in nlp.pipe_names:
            doc = nlp.get_pipe(name)(doc)
    sentences = [trim_span(text, s.start_char, s.end_char) for s in doc.sents]
    from tui.core.analysis.entities import entities_from_doc

    records = verbatim(text, [(s, e) for s, e in sentences if e > s], entities_from_doc(doc), quotes_from_doc(doc))
    return _result(info, *records)


def margin_predictions(texts: dict[str, str], model: str | None, cache: Path | None = None):
    from tui.core.analysis.pipeline import analyze_text, load_pipeline

    nlp, info = load_pipeline(model)
    preds, records, seconds = {}, {}, 0.0
    for stem, text in texts.items():
        t0 = time.perf_counter()
        if cache is not None:
            analysis = cached_analysis(stem, text, nlp, info, cache)
        else:
            analysis = analyze_text(text, nlp, info)
        seconds += time.perf_counter() - t0
        records[stem] = analysis.quotes
        preds[stem] = [
            {
                "start": q.start,
                "end": q.end,
                "cue": q.cue,
                "speaker": q.speaker.text if q.speaker else None,
                "canonical": q.speaker.canonical if q.speaker else None,
                "method": getattr(q.speaker, "method", None) if q.speaker else None,
                "confidence": getattr(q.speaker, "confidence", None) if q.speaker else None,
            }
            for q in analysis.quotes
        ]
    return preds, records, info, seconds


def textacy_predictions(texts: dict[str, str], model_name: str):
    import spacy
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load(model_name)
    preds, seconds = {}, 0.0
    for stem, text in texts.items():
        t0 = time.perf_counter()
        try:
            preds[stem] = textacy_predict(text, nlp, direct_quotations)
        except Exception:
            preds[stem] = []
        seconds += time.perf_counter() - t0
    return preds, seconds


def score(corpus, stems, preds) -> tuple[dict, dict, dict]:
    """Overall and per-publisher Scores, and {(stem, gold index): speaker right} over matches."""
    overall, per_pub, hits = Scores(), defaultdict(Scores), {}
    for stem in stems:
        text, gold = corpus[stem]
        spans = [(q["start"], q["end"], q) for q in gold["quotes"]]
        pred = preds.get(stem, [])
        overall.add(stem, pred, spans, text)
        per_pub[gold["publisher"]].add(stem, pred, spans, text)
        for i, j in match(pred, spans, 0.8):
            hits[(stem, j)] = speaker_ok(pred[i]["canonical"], spans[j][2])
    return overall, dict(per_pub), hits


def _given_names_clash(predicted: str, gold: str) -> bool:
    """Both are given names and a surname, the same surname, and no given name in common
    ("Bill Clinton" / "Hillary Clinton"; an initial, a title or a shortened given name is no clash)."""
    from tui.core.analysis.entities import DEMONYMS
    from tui.core.analysis.entity_names import TITLE_WORDS
    from tui.core.analysis.lexicon import PARTY_WORDS

    def name(text: str) -> list[str]:
        words = [w for w in text.replace(".", " ").replace(",", " ").split() if w[:1].isupper()]
        return [w for w in words if not any(w.lower() in known for known in (TITLE_WORDS, PARTY_WORDS, DEMONYMS))]

    a, b = name(predicted), name(gold)
    if len(a) < 2 or len(b) < 2 or a[-1].lower() != b[-1].lower():
        return False
    given_a = {w.lower()[:3] for w in a[:-1] if len(w) > 1}
    given_b = {w.lower()[:3] for w in b[:-1] if len(w) > 1}
    return bool(given_a and given_b) and not given_a & given_b  # "Sandy"/"Sandra", "Ohio Gov. John": shared


def print_error_kinds(corpus, stems, preds) -> None:
    """Margin's remaining errors, counted by kind (quote finding, then speakers by method), and
    the speaker accuracy of each method on the matched quotes."""
    kinds = Counter()
    by_method: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])  # method -> [quotes, right]
    clashes = 0
    trust: list[tuple[float, bool]] = []  # (confidence, right) for every matched quote with a speaker
    for stem in stems:
        text, gold = corpus[stem]
        spans = [(q["start"], q["end"], q) for q in gold["quotes"]]
        pred = preds.get(stem, [])
        pairs = match(pred, spans, 0.8)
        loose = {j for _, j in match(pred, spans, 0.3)}
        got_gold, got_pred = {j for _, j in pairs}, {i for i, _ in pairs}
        for j, (_s, _e, q) in enumerate(spans):
            if j in got_gold:
                continue
            words = len(q["text"].split())
            if j in loose:
                kinds["missed: found with other bounds"] += 1
            elif words <= 4:
                kinds["missed: short partial quote (<= 4 words)"] += 1
            else:
                kinds["missed: longer quote"] += 1
        for i, p in enumerate(pred):
            if i in got_pred:
                continue
            content = text[p["start"] : p["end"]]
            if any(s <= p["start"] < e or p["start"] <= s < p["end"] for s, e, _ in spans):
                continue  # counted above as other bounds
            words = [w for w in content.split() if w[:1].isalpha()]
            if words and all(w[:1].isupper() for w in words):
                kinds["extra: title-case string"] += 1
            elif len(content.split()) <= 4:
                kinds["extra: short quoted phrase"] += 1
            else:
                kinds["extra: longer quote (often real speech no annotator marked)"] += 1
        for i, j in pairs:
            q, p = spans[j][2], pred[i]
            by_method[p["method"] or "(none)"][0] += 1
            if p["canonical"] is not None:
                trust.append((p["confidence"] or 0.0, speaker_ok(p["canonical"], q)))
            if speaker_ok(p["canonical"], q):
                by_method[p["method"] or "(none)"][1] += 1
                if _given_names_clash(p["canonical"], q["speaker"]):
                    clashes += 1
                    if os.environ.get("MARGIN_SHOW_CLASHES"):
                        print(f"  clash: {p['canonical']!r} for {q['speaker']!r} ({stem} @{q['start']})")
                continue
            source = "trusted gold" if q["source_kind"] in TRUSTED_KINDS else f"{q['source_kind']} gold"
            if p["canonical"] is None:
                kinds[f"speaker unknown ({source})"] += 1
            else:
                kinds[f"speaker wrong via {p['method'] or '?'} ({source})"] += 1
    print("\nMargin's remaining errors by kind:")
    for kind, n in kinds.most_common():
        print(f"  {n:>5}  {kind}")
    print(
        f"\nscored right by surname although both full names differ in the given name "
        f'("Bill Clinton" for "Hillary Clinton"; the speaker rule cannot see these): {clashes}'
    )
    print("\nMargin's speaker accuracy by method (matched quotes):")
    for method, (n, right) in sorted(by_method.items(), key=lambda kv: -kv[1][0]):
        print(f"  {n:>5}  {right / n:.3f}  {method}")
    if trust:
        print_confidence(trust)


def auc(scores, right) -> float:
    """The probability that a right speaker's confidence is above a wrong one's (ties count half)."""
    pos = [s for s, ok in zip(scores, right) if ok]
    neg = [s for s, ok in zip(scores, right) if not ok]
    if not pos or not neg:
        return float("nan")
    above = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg)
    return above / (len(pos) * len(neg))


def calibration_error(scores, right, bins: int = 10) -> float:
    """Expected calibration error: |mean confidence - accuracy| per tenth, weighted by its size."""
    groups: defaultdict[int, list[tuple[float, bool]]] = defaultdict(list)
    for s, ok in zip(scores, right):
        groups[min(bins - 1, max(0, int(s * bins)))].append((s, ok))
    total = sum(abs(sum(s for s, _ in g) / len(g) - sum(ok for _, ok in g) / len(g)) * len(g) for g in groups.values())
    return total / max(1, len(scores))


def print_confidence(trust: list[tuple[float, bool]]) -> None:
    """How well the speakers' confidence tells right from wrong, and what the reader's flag catches."""
    from tui.core.analysis.result import LOW_CONFIDENCE

    scores, right = [s for s, _ in trust], [ok for _, ok in trust]
    flagged = [ok for s, ok in trust if s < LOW_CONFIDENCE]
    errors = len(right) - sum(right)
    print(
        f"\nconfidence of the {len(trust)} matched speakers: AUC {auc(scores, right):.3f}, "
        f"Brier {sum((s - ok) ** 2 for s, ok in trust) / len(trust):.4f}, ECE {calibration_error(scores, right):.3f}; "
        f"flagged uncertain (< {LOW_CONFIDENCE}): {len(flagged)}, {len(flagged) - sum(flagged)} of them wrong "
        f"({len(flagged) - sum(flagged)} of {errors} errors)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--part", default="tune", choices=["tune", "score", "all"])
    parser.add_argument("--systems", default="margin,rules,textacy")
    parser.add_argument("--raw", action="store_true", help="without bench/polnear_corrections.json")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles of the part")
    parser.add_argument("--dump", type=Path, help="write converted articles/gold here (outside the repo)")
    parser.add_argument("--make-splits", action="store_true")
    parser.add_argument("--errors", action="store_true", help="count Margin's remaining errors by kind")
    parser.add_argument(
        "--doc-cache",
        type=Path,
        help="keep spaCy's parses here (outside the repo) and rerun "
        "only Margin's components: for iterating (seconds are then not comparable)",
    )
    parser.add_argument("--raw-too", action="store_true", help="also score the same predictions against the raw gold")
    parser.add_argument("--only", help="comma-separated article stems (within the part)")
    args = parser.parse_args(argv)

    try:
        train = train_dir(args.data)
    except RefusedPath as exc:
        print(f"polnear: {exc}", file=sys.stderr)
        return 2
    corpus = load_corpus(train)
    raw_corpus = load_corpus(train) if args.raw_too and not args.raw else None
    if args.make_splits:
        make_splits(list(corpus))
        print(f"wrote {SPLITS_DIR}/tune.txt and score.txt")
        return 0
    corrections = [] if args.raw else json.loads(CORRECTIONS.read_text(encoding="utf-8"))["corrections"]
    applied = apply_corrections(corpus, corrections)
    wanted = split(args.part)
    stems = [s for s in corpus if wanted is None or s in wanted]
    if args.only:
        only = set(args.only.split(","))
        stems = [s for s in stems if s in only]
    if args.limit:
        stems = stems[:: max(1, len(stems) // args.limit)][: args.limit]  # every publisher
    if args.dump:
        if REPO in args.dump.resolve().parents:
            print("polnear: --dump must be outside the repository (the texts are not ours)", file=sys.stderr)
            return 2
        (args.dump / "articles").mkdir(parents=True, exist_ok=True)
        (args.dump / "gold").mkdir(parents=True, exist_ok=True)
        for stem in stems:
            text, gold = corpus[stem]
            (args.dump / "articles" / f"{stem}.txt").write_text(text, encoding="utf-8")
            (args.dump / "gold" / f"{stem}.json").write_text(json.dumps(gold, indent=1), encoding="utf-8")
    n_gold = sum(len(corpus[s][1]["quotes"]) for s in stems)
    kinds = Counter(q["source_kind"] for s in stems for q in corpus[s][1]["quotes"])
    print(
        f"PolNeAR train, part {args.part}: {len(stems)} articles, {n_gold} gold quote pieces "
        f"(sources: {dict(kinds)}); corrections applied: {applied}{' (raw)' if args.raw else ''}"
    )

    texts = {s: corpus[s][0] for s in stems}
    cache = args.doc_cache
    if cache is not None and REPO in cache.resolve().parents:
        print("polnear: --doc-cache must be outside the repository (the texts are not ours)", file=sys.stderr)
        return 2
    systems = [s for s in args.systems.split(",") if s]
    results, all_hits, margin_records, info = {}, {}, {}, None
    for system in systems:
        if system == "margin":
            preds, margin_records, info, secs = margin_predictions(texts, None, cache)
        elif system == "rules":
            preds, _, _, secs = margin_predictions(texts, "rules", cache)
        elif system == "textacy":
            try:
                if info is None:
                    from tui.core.analysis.pipeline import installed_english_pipelines

                    name = installed_english_pipelines()[0]
                else:
                    name = info.name
                preds, secs = textacy_predictions(texts, name)
            except ImportError:
                print("textacy not installed: pip install -e '.[bench]'")
                continue
        else:
            parser.error(f"unknown system {system}")
        overall, per_pub, hits = score(corpus, stems, preds)
        overall.seconds = secs
        results[system] = (overall, per_pub, preds)
        all_hits[system] = hits

    names = {"margin": "Margin", "rules": "rules-only", "textacy": "textacy"}
    metrics = ["precision", "recall", "F1", "speaker acc", "cue acc", "predicted", "seconds"]
    print()
    print(f"{'metric':<14}" + "".join(f"{names[s]:>12}" for s in results))
    for mname in metrics:
        cells = []
        for s in results:
            v = results[s][0].row()[mname]
            cells.append(f"{v:>12.3f}" if isinstance(v, float) else f"{v:>12}")
        print(f"{mname:<14}" + "".join(cells))

    def kind_of(key):
        return corpus[key[0]][1]["quotes"][key[1]]["source_kind"]

    def acc(hits, keys):
        return sum(hits[k] for k in keys) / len(keys) if keys else 0.0

    subsets = {"spk explicit": EXPLICIT_KINDS, "spk trusted": TRUSTED_KINDS}
    notes = {
        "spk explicit": "gold source a name or description (no pronoun)",
        "spk trusted": "explicit + pronoun sources both resolutions agree on",
    }
    for label, kinds in subsets.items():
        cells = "".join(f"{acc(all_hits[s], [k for k in all_hits[s] if kind_of(k) in kinds]):>12.3f}" for s in results)
        print(f"{label:<14}{cells}   ({notes[label]})")
    if "margin" in all_hits and "textacy" in all_hits:
        both = set(all_hits["margin"]) & set(all_hits["textacy"])
        for label, keys in (
            ("both found", list(both)),
            ("both explicit", [k for k in both if kind_of(k) in EXPLICIT_KINDS]),
            ("both trusted", [k for k in both if kind_of(k) in TRUSTED_KINDS]),
        ):
            cols = {"margin": acc(all_hits["margin"], keys), "textacy": acc(all_hits["textacy"], keys)}
            print(
                f"{label:<14}"
                + "".join(f"{cols[s]:>12.3f}" if s in cols else f"{'':>12}" for s in results)
                + f"   (speaker acc on the {len(keys)} gold quotes both match)"
            )
    if "margin" in all_hits:  # accuracy by the kind of gold source
        by_kind = defaultdict(list)
        for (stem, j), ok in all_hits["margin"].items():
            by_kind[corpus[stem][1]["quotes"][j]["source_kind"]].append(ok)
        print(
            "Margin speaker acc by gold source kind: "
            + ", ".join(f"{k} {sum(v) / len(v):.3f} ({len(v)})" for k, v in sorted(by_kind.items()))
        )

    print()
    pubs = sorted({corpus[s][1]["publisher"] for s in stems})
    header = f"{'publisher':<14}" + "".join(f"{names[s] + ' F1':>16}{names[s] + ' spk':>16}" for s in results)
    print(header)
    for pub in pubs:
        cells = []
        for s in results:
            row = results[s][1][pub].row() if pub in results[s][1] else None
            cells.append(f"{row['F1']:>16.3f}{row['speaker acc']:>16.3f}" if row else f"{'-':>16}{'-':>16}")
        print(f"{pub:<14}" + "".join(cells))

    if raw_corpus is not None:  # the same predictions against the gold without corrections
        print("\nwithout bench/polnear_corrections.json (raw gold):")
        print(f"{'':<14}" + "".join(f"{names[s] + ' F1':>16}{names[s] + ' spk':>16}" for s in results))
        raw_rows = {s: score(raw_corpus, stems, results[s][2]) for s in results}
        print(
            f"{'all':<14}"
            + "".join(f"{raw_rows[s][0].row()['F1']:>16.3f}{raw_rows[s][0].row()['speaker acc']:>16.3f}" for s in results)
        )
        for pub in pubs:
            cells = []
            for s in results:
                row = raw_rows[s][1][pub].row() if pub in raw_rows[s][1] else None
                cells.append(f"{row['F1']:>16.3f}{row['speaker acc']:>16.3f}" if row else f"{'-':>16}{'-':>16}")
            print(f"{pub:<14}" + "".join(cells))
        if "margin" in raw_rows and "textacy" in raw_rows:
            both = set(raw_rows["margin"][2]) & set(raw_rows["textacy"][2])
            print(
                f"{'both found':<14}{acc(raw_rows['margin'][2], list(both)):>16.3f}{acc(raw_rows['textacy'][2], list(both)):>16.3f}"
                f"   (Margin, textacy on the {len(both)} gold quotes both match)"
            )

    if margin_records:
        problems = Counter()
        examples = []
        for stem, quotes in margin_records.items():
            for q in quotes:
                why = contract_problem(q)
                if why:
                    problems[why] += 1
                    examples.append(f"{stem}: {why}: {q.speaker.canonical if q.speaker else None!r}")
        print()
        print(
            f"speaker contract: {sum(problems.values())} problem(s) in "
            f"{sum(len(v) for v in margin_records.values())} Margin quotes {dict(problems)}"
        )
        if args.verbose:
            for e in examples[:50]:
                print("  " + e)
    if args.errors and "margin" in results:
        print_error_kinds(corpus, stems, results["margin"][2])
    if args.verbose and "margin" in results:
        print("\nMargin mistakes:")
        for line in results["margin"][0].mistakes:
            if ": speaker " not in line:
                print("  " + line)
        print("\nMargin speaker mistakes (gold source kind, source as written, predicted, method):")
        preds = results["margin"][2]
        for stem in stems:
            text, gold = corpus[stem]
            spans = [(q["start"], q["end"], q) for q in gold["quotes"]]
            for i, j in match(preds[stem], spans, 0.8):
                q, p = spans[j][2], preds[stem][i]
                if not speaker_ok(p["canonical"], q):
                    print(
                        f"  {stem} @{q['start']}: [{q['source_kind']}] {q.get('source_text')!r} -> gold {q['speaker']!r}; "
                        f"Margin {p['canonical']!r} ({p['speaker']!r}, {p.get('method')}): {q['text'][:50]!r}"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
