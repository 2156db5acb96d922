"""Score Margin's quote finder (and textacy's, if installed) on the quotes-dev set.

    .venv/bin/python bench/quotes_eval.py [--data DIR] [--model NAME|rules] [--verbose]

DIR defaults to the quotes-dev set; `--data bench/quotes_challenge` scores the challenge set
(invented texts for structures the dev set lacks, built by bench/quotes_challenge/build.py).
A gold piece with no closing mark (a paragraph of a multi-paragraph quote) runs to the end of
its paragraph.

Matching: a predicted piece matches a gold piece when they overlap by at least 80% of the
longer one's characters (F1 at 0.3 overlap is printed too). Speaker accuracy is measured over
matched quotes: the predicted speaker's canonical name must contain the gold speaker's surname
(names) or head noun (descriptions), or equal one of the gold aliases. Cue accuracy (also over
matched quotes) is loose: the predicted cue words appear in the gold cue or vice versa. Continuation accuracy
is over gold quotes with no cue: matched, no cue predicted, and the right speaker. The seed
article's six expected pieces are checked as well.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "quotes-dev"
SEED = REPO / "sample_articles" / "000_f8b6809fbedddc50.txt"

# The seed article's six direct-quote pieces: (start of content, cue, speaker text, canonical must contain)
SEED_EXPECTED = [
    ("which is why many countries began sending messages to State over the weekend,", "according to", "the CNN report", "CNN"),
    ("They would prefer to be using the State Department resources,", "told CNN", "a source familiar with the matter", "source"),
    ("There will be a smooth transition to a second Trump administration.", "replied", "Pompeo", "Mike Pompeo"),
    ("The world is watching what’s taking place. We’re gonna count all the votes,", "continued", "he", "Mike Pompeo"),
    (
        "When the process is complete, there’ll be electors selected. There’s a process. The Constitution lays it out pretty clearly.",
        "continued",
        "he",
        "Mike Pompeo",
    ),
    ("The world should have every confidence that the transition necessary", None, None, "Mike Pompeo"),
]

NAME_STOPWORDS = {"and", "of", "the", "de", "van", "von"}
NAME_TITLES = {
    "representative",
    "senator",
    "admiral",
    "president",
    "governor",
    "general",
    "secretary",
    "judge",
    "justice",
    "mayor",
    "professor",
    "speaker",
    "vice",
    "former",
    "the",
}
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
HEAD_CUT_WORDS = {"of", "for", "from", "with", "at", "in", "on", "familiar", "who", "which", "that", "by", "and"}


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    longer = max(a[1] - a[0], b[1] - b[0])
    return inter / longer if longer else 0.0


def speaker_key(gold_speaker: str) -> str:
    """Surname of a name, or head noun of a description."""
    words = gold_speaker.replace(",", " ").split()
    content = [w for w in words if w.lower() not in NAME_STOPWORDS and w.lower() not in NAME_SUFFIXES]
    if content and all(w[0].isupper() for w in content):
        return content[-1]
    head = []
    for w in words:
        if w.lower() in HEAD_CUT_WORDS:
            break
        head.append(w)
    return (head or words)[-1]


def speaker_ok(predicted: str | None, gold: dict) -> bool:
    if not predicted:
        return False
    key = speaker_key(gold["speaker"]).lower()
    aliases = {a.lower() for a in gold.get("speaker_aliases", [])} | {gold["speaker"].lower()}
    if predicted.lower() in aliases:
        return True
    # a son and his father are two people: "Jane Doe Jr." is not "Jane Doe" (a bare "Doe" passes)
    if (
        _suffix(predicted) != _suffix(gold["speaker"])
        and _full_name(gold["speaker"])
        and (_suffix(predicted) or len(predicted.split()) > 1)
    ):
        return False
    return key in predicted.lower()


def _full_name(name: str) -> bool:
    """A given name and a surname at least ("Mr. Doe" and "Senator Doe" are not: they fit a son too)."""
    words = [w for w in name.replace(",", " ").split() if not w.endswith(".") and w.lower() not in NAME_TITLES]
    return len(words) >= 2


def _suffix(name: str) -> str | None:
    last = name.replace(",", " ").split()[-1:]
    return last[0].lower().rstrip(".") if last and last[0].lower() in NAME_SUFFIXES else None


def cue_ok(predicted: str | None, gold: str | None) -> bool:
    """Loose cue match: both absent, or the predicted words appear in the gold cue ("said" in
    "said that"; textacy's cues are compared the same way)."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    return predicted.lower() in gold.lower() or gold.lower() in predicted.lower()


def load_dev(data: Path) -> list[tuple[str, str, dict]]:
    items = []
    for article in sorted((data / "articles").glob("*.txt")):
        gold = json.loads((data / "gold" / (article.stem + ".json")).read_text(encoding="utf-8"))
        items.append((article.stem, article.read_text(encoding="utf-8"), gold))
    return items


def gold_spans(text: str, gold: dict) -> list[tuple[int, int, dict]]:
    """Locate each gold quote in the text, in reading order."""
    spans, cursor = [], 0
    for q in gold["quotes"]:
        i = text.find(q["text"], cursor)
        if i < 0:
            i = text.find(q["text"])
        spans.append((i, i + len(q["text"]), q))
        cursor = i + 1
    return spans


def match(pred: list[dict], gold: list[tuple[int, int, dict]], threshold: float) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by overlap: (pred index, gold index) pairs."""
    candidates = []
    for i, p in enumerate(pred):
        for j, (gs, ge, _) in enumerate(gold):
            ov = overlap((p["start"], p["end"]), (gs, ge))
            if ov >= threshold:
                candidates.append((ov, i, j))
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class Scores:
    def __init__(self):
        self.n_pred = self.n_gold = self.tp = self.tp_loose = 0
        self.speaker_hits = self.cueless = self.cueless_hits = self.cue_hits = 0
        self.errors = 0
        self.seconds = 0.0
        self.mistakes: list[str] = []

    def add(self, name: str, pred: list[dict], gold: list[tuple[int, int, dict]], text: str) -> None:
        self.n_pred += len(pred)
        self.n_gold += len(gold)
        pairs = match(pred, gold, 0.8)
        self.tp += len(pairs)
        self.tp_loose += len(match(pred, gold, 0.3))
        matched_gold = {j for _, j in pairs}
        matched_pred = {i for i, _ in pairs}
        for i, j in pairs:
            g = gold[j][2]
            ok = speaker_ok(pred[i]["canonical"], g)
            self.speaker_hits += ok
            self.cue_hits += cue_ok(pred[i]["cue"], g["cue"])
            if not ok:
                self.mistakes.append(f"{name}: speaker {pred[i]['canonical']!r} for gold {g['speaker']!r}: {g['text'][:50]!r}")
        for j, (_, _, g) in enumerate(gold):
            if g["cue"] is None:
                self.cueless += 1
                hit = [i for i, jj in pairs if jj == j]
                if hit and pred[hit[0]]["cue"] is None and speaker_ok(pred[hit[0]]["canonical"], g):
                    self.cueless_hits += 1
            if j not in matched_gold:
                self.mistakes.append(f"{name}: missed {g['text'][:60]!r}")
        for i, p in enumerate(pred):
            if i not in matched_pred:
                self.mistakes.append(f"{name}: spurious {text[p['start'] : p['end']][:60]!r}")

    def row(self) -> dict:
        p, r, f = prf(self.tp, self.n_pred, self.n_gold)
        _, _, f_loose = prf(self.tp_loose, self.n_pred, self.n_gold)
        return {
            "precision": p,
            "recall": r,
            "F1": f,
            "F1@0.3": f_loose,
            "speaker acc": self.speaker_hits / self.tp if self.tp else 0.0,
            "cue acc": self.cue_hits / self.tp if self.tp else 0.0,
            "cue-less acc": self.cueless_hits / self.cueless if self.cueless else 0.0,
            "predicted": self.n_pred,
            "errors": self.errors,
            "seconds": self.seconds,
        }


def margin_predict(text: str, nlp, info) -> list[dict]:
    from tui.core.analysis.pipeline import analyze_text

    out = []
    for q in analyze_text(text, nlp, info).quotes:
        out.append(
            {
                "start": q.start,
                "end": q.end,
                "cue": q.cue,
                "speaker": q.speaker.text if q.speaker else None,
                "canonical": q.speaker.canonical if q.speaker else None,
            }
        )
    return out


def textacy_predict(text: str, nlp_plain, direct_quotations) -> list[dict]:
    doc = nlp_plain(text)
    out = []
    for speaker, cue, content in direct_quotations(doc):
        s, e = content.start_char, content.end_char
        while s < e and (text[s] in "\"“”'‘’«» " or text[s].isspace()):
            s += 1
        while e > s and (text[e - 1] in "\"“”'‘’«» " or text[e - 1].isspace()):
            e -= 1
        speaker_text = " ".join(t.text for t in speaker) if speaker else None
        out.append(
            {
                "start": s,
                "end": e,
                "cue": " ".join(t.text for t in cue) or None,
                "speaker": speaker_text,
                "canonical": speaker_text,
            }
        )
    return out


def check_seed(nlp, info) -> list[str]:
    """Problems with the seed article's six pieces (empty list: all right)."""
    text = SEED.read_text(encoding="utf-8")
    pred = margin_predict(text, nlp, info)
    problems = []
    if len(pred) != len(SEED_EXPECTED):
        problems.append(f"expected {len(SEED_EXPECTED)} pieces, got {len(pred)}")
    for content, cue, speaker_text, canonical in SEED_EXPECTED:
        found = [p for p in pred if text[p["start"] : p["end"]].startswith(content)]
        if not found:
            problems.append(f"missing {content[:40]!r}")
            continue
        p = found[0]
        if p["cue"] != cue:
            problems.append(f"{content[:30]!r}: cue {p['cue']!r} != {cue!r}")
        if speaker_text is not None and p["speaker"] != speaker_text:
            problems.append(f"{content[:30]!r}: speaker {p['speaker']!r} != {speaker_text!r}")
        if not p["canonical"] or canonical.lower() not in p["canonical"].lower():
            problems.append(f"{content[:30]!r}: canonical {p['canonical']!r} lacks {canonical!r}")
    return problems


def print_table(rows: dict[str, dict]) -> None:
    metrics = ["precision", "recall", "F1", "F1@0.3", "speaker acc", "cue acc", "cue-less acc", "predicted", "errors", "seconds"]
    names = list(rows)
    print(f"{'metric':<14}" + "".join(f"{n:>12}" for n in names))
    for m in metrics:
        cells = []
        for n in names:
            v = rows[n].get(m)
            cells.append(f"{'-':>12}" if v is None else (f"{v:>12.3f}" if isinstance(v, float) else f"{v:>12}"))
        print(f"{m:<14}" + "".join(cells))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", default=None, help="pipeline name (default: best installed)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every mistake")
    args = parser.parse_args(argv)

    from tui.core.analysis.pipeline import load_pipeline

    nlp, info = load_pipeline(args.model)
    items = load_dev(args.data)
    print(
        f"data: {args.data} ({len(items)} articles, {sum(len(g['quotes']) for _, _, g in items)} gold quotes); pipeline: {info.description}"
    )

    margin = Scores()
    for name, text, gold in items:
        t0 = time.perf_counter()
        try:
            pred = margin_predict(text, nlp, info)
        except Exception as exc:  # counted, never fatal
            margin.errors += 1
            print(f"margin failed on {name}: {exc!r}")
            pred = []
        margin.seconds += time.perf_counter() - t0
        margin.add(name, pred, gold_spans(text, gold), text)
    rows = {"Margin": margin.row()}

    try:
        import spacy
        from textacy.extract.triples import direct_quotations
    except Exception:
        print("textacy not installed (pip install textacy==0.13.0)")
        direct_quotations = None
    if direct_quotations is not None and info.is_trained:
        plain = spacy.load(info.name)
        tx = Scores()
        for name, text, gold in items:
            t0 = time.perf_counter()
            try:
                pred = textacy_predict(text, plain, direct_quotations)
            except Exception as exc:
                tx.errors += 1
                if args.verbose:
                    print(f"textacy failed on {name}: {exc!r}")
                pred = []
            tx.seconds += time.perf_counter() - t0
            tx.add(name, pred, gold_spans(text, gold), text)
        rows["textacy"] = tx.row()

    print()
    print_table(rows)
    problems = check_seed(nlp, info)
    print()
    print("seed article (6 pieces): " + ("all right" if not problems else "; ".join(problems)))
    if args.verbose:
        print("\nMargin mistakes:")
        for m in margin.mistakes:
            print("  " + m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
