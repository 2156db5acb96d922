"""Quote and speaker figures on the Gender Gap Tracker's hand-annotated Canadian news articles.

A second corpus nobody tuned Margin on: 98 articles of 2018-2019 (CBC News, CTV News, Global News,
HuffPost Canada, National Post, The Globe and Mail, Toronto Star; 14 each) whose quotations were
annotated by hand at Simon Fraser University for the Gender Gap Tracker (sfu-discourse-lab/
GenderGapTracker). Each annotated quotation has its text, its speaker as written ("she",
"Lonechild") and the person it refers to ("Darian Lonechild"). Nothing of the corpus is committed
(the texts are the publishers' copyright); get its two files from that repository's history:

    git show fe82ba213b6acfac66c83181ba45ecb088a3c908:NLP/evaluation/src/rawtext.zip > DIR/rawtext.zip
    git show "fe82ba213b6acfac66c83181ba45ecb088a3c908:NLP/evaluation/src/eval/AnnotationTable_byArticle_withReplacementArticles.xlsx" > DIR/annotations.xlsx

and run `python bench/ggt.py --data DIR [--part tune|score|all] [--systems margin,textacy] [-v]`.

Conversion (the same gold shape as bench/polnear.py, scored by the same rules):
* The article text is the `rawtext.zip` file of the article's id. The annotation offsets drift
  from that text, so each annotated quotation is found by its words, nearest to its offset.
* A quoted stretch of the text (bench/polnear.py's `quoted_regions`) is a gold quote piece when
  an annotated quotation covers at least half of it; that quotation's `reference` is the speaker
  (else its speaker as written). Indirect speech has no quotation marks and is not scored.
  Single quoted words and short Title Case titles are no quotes (as in PolNeAR's conversion).
* One article's annotation cell is not valid JSON: it is left out and counted.
* Parts: within each outlet, articles sorted by the SHA-1 of their id; the first 7 are `tune`,
  the last 7 `score` (never read to decide a change).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polnear  # noqa: E402  (its scoring rules and speaker test)

REPO = Path(__file__).resolve().parents[1]
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PER_OUTLET_TUNE = 7


def read_sheet(path: Path) -> list[dict[str, str]]:
    """The first worksheet of an .xlsx file as rows of {header: cell text} (stdlib only)."""
    with zipfile.ZipFile(path) as book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{SHEET_NS}t")) for si in root.iter(f"{SHEET_NS}si")]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{SHEET_NS}row"):
        cells = {}
        for c in row.iter(f"{SHEET_NS}c"):
            column = re.match(r"[A-Z]+", c.get("r", "")).group(0)
            value = c.find(f"{SHEET_NS}v")
            if c.get("t") == "s" and value is not None:
                cells[column] = shared[int(value.text)]
            elif c.get("t") == "inlineStr":
                cells[column] = "".join(t.text or "" for t in c.iter(f"{SHEET_NS}t"))
            elif value is not None:
                cells[column] = value.text or ""
        rows.append(cells)
    header = rows[0]
    return [{header[k]: v for k, v in r.items() if k in header} for r in rows[1:]]


def read_texts(path: Path) -> dict[str, str]:
    """Article texts by id from rawtext.zip (or a folder of `<id>.txt`)."""
    if path.is_dir():
        return {p.stem: p.read_text(encoding="utf-8") for p in path.rglob("*.txt")}
    with zipfile.ZipFile(path) as z:
        return {Path(n).stem: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".txt")}


def locate(text: str, words: str, near: int) -> tuple[int, int] | None:
    """Where `words` occur in `text`, the occurrence nearest to offset `near`; whitespace may differ."""
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    if not pattern:
        return None
    hits = [m.span() for m in re.finditer(pattern, text)]
    return min(hits, key=lambda h: abs(h[0] - near)) if hits else None


def speaker_kind(written: str) -> str:
    low = written.lower().strip()
    if low in polnear.PERSONAL_PRONOUNS or low in polnear.RELATIVE_PRONOUNS:
        return "pronoun"
    if not written[:1].isupper() or low.split()[:1] in (["the"], ["a"], ["an"]):
        return "description"
    return "name"


def convert_article(stem: str, outlet: str, text: str, quotations: list[dict]) -> dict:
    """Gold quote pieces of one article (bench/polnear.py's gold shape)."""
    annotated = []
    for q in quotations:
        offsets = re.findall(r"\d+", q.get("quote_index") or "")
        span = locate(text, q.get("quote") or "", int(offsets[0]) if offsets else 0)
        if span:
            annotated.append((span, q))
    quotes = []
    for s, e in polnear.quoted_regions(text, 0, len(text)):
        content = text[s:e]
        if len([w for w in content.split() if any(c.isalnum() for c in w)]) < 2 or polnear.is_title_like(content):
            continue
        best, best_overlap = None, 0
        for (qs, qe), q in annotated:
            ov = max(0, min(e, qe) - max(s, qs))
            if ov > best_overlap:
                best, best_overlap = q, ov
        if best is None or best_overlap < (e - s) // 2:
            continue
        written = (best.get("speaker") or "").strip()
        reference = (best.get("reference") or "").strip()
        speaker = reference or (polnear.gold_speaker(written) if written else None)
        kind = speaker_kind(written) if written else "none"
        quotes.append(
            {
                "start": s,
                "end": e,
                "text": content,
                "speaker": speaker,
                "source_text": written or None,
                "source_kind": kind,
                "cue": (best.get("verb") or "").strip() or None,
                "speaker_aliases": [written] if kind == "name" and written else [],
                "speaker_names": [],
            }
        )
    return {"article": stem, "publisher": outlet, "quotes": quotes}


def load_corpus(data: Path) -> tuple[dict[str, tuple[str, dict]], int]:
    """{article id: (text, gold)} and the number of articles left out (unreadable annotations)."""
    sheet = next(p for p in [data / "annotations.xlsx", *data.glob("*.xlsx")] if p.exists())
    texts_at = data / "rawtext.zip" if (data / "rawtext.zip").exists() else data / "rawtext"
    texts = read_texts(texts_at)
    corpus, left_out = {}, 0
    for row in read_sheet(sheet):
        found = re.search(r"[0-9a-f]{24}", row.get("_id", ""))
        if not found or found.group(0) not in texts:
            left_out += 1
            continue
        stem = found.group(0)
        try:
            quotations = json.loads(row.get("quotations") or "[]")
        except json.JSONDecodeError:
            left_out += 1
            continue
        outlet = re.sub(r"\W+", "-", row.get("outlet", "?").strip().lower())
        corpus[stem] = (texts[stem], convert_article(stem, outlet, texts[stem], quotations))
    return corpus, left_out


def parts(corpus: dict[str, tuple[str, dict]]) -> dict[str, list[str]]:
    """The fixed tune/score parts: per outlet, by the SHA-1 of the article id."""
    by_outlet = defaultdict(list)
    for stem, (_text, gold) in corpus.items():
        by_outlet[gold["publisher"]].append(stem)
    out = {"tune": [], "score": []}
    for stems in by_outlet.values():
        ordered = sorted(stems, key=lambda s: hashlib.sha1(s.encode()).hexdigest())
        out["tune"] += ordered[:PER_OUTLET_TUNE]
        out["score"] += ordered[PER_OUTLET_TUNE:]
    out["all"] = list(corpus)
    return {part: sorted(stems) for part, stems in out.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with rawtext.zip and the .xlsx table")
    parser.add_argument("--part", default="tune", choices=["tune", "score", "all"])
    parser.add_argument("--systems", default="margin,textacy")
    parser.add_argument("--doc-cache", type=Path, help="keep spaCy's parses here (outside the repository)")
    parser.add_argument("--errors", action="store_true", help="count Margin's remaining errors by kind")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    if args.doc_cache is not None and REPO in args.doc_cache.resolve().parents:
        print("ggt: --doc-cache must be outside the repository (the texts are not ours)", file=sys.stderr)
        return 2

    corpus, left_out = load_corpus(args.data)
    stems = sorted(parts(corpus)[args.part])
    kinds = Counter(q["source_kind"] for s in stems for q in corpus[s][1]["quotes"])
    n_gold = sum(len(corpus[s][1]["quotes"]) for s in stems)
    print(
        f"Gender Gap Tracker annotations, part {args.part}: {len(stems)} articles, {n_gold} gold quote pieces "
        f"(speaker as written: {dict(kinds)}); {left_out} article(s) left out (unreadable annotations)"
    )
    texts = {s: corpus[s][0] for s in stems}
    results = {}
    for system in [s for s in args.systems.split(",") if s]:
        if system in ("margin", "rules"):
            preds, _records, info, _secs = polnear.margin_predictions(
                texts, None if system == "margin" else "rules", args.doc_cache
            )
        elif system == "textacy":
            from tui.core.analysis.pipeline import installed_english_pipelines

            preds, _secs = polnear.textacy_predictions(texts, installed_english_pipelines()[0])
        else:
            parser.error(f"unknown system {system}")
        results[system] = (*polnear.score(corpus, stems, preds), preds)

    print(f"\n{'metric':<14}" + "".join(f"{s:>12}" for s in results))
    for metric in ("precision", "recall", "F1", "speaker acc", "predicted"):
        row = [results[s][0].row()[metric] for s in results]
        print(f"{metric:<14}" + "".join(f"{v:>12.3f}" if isinstance(v, float) else f"{v:>12}" for v in row))
    if "margin" in results and "textacy" in results:
        hits_m, hits_t = results["margin"][2], results["textacy"][2]
        both = set(hits_m) & set(hits_t)
        if both:
            print(
                f"{'both found':<14}{sum(hits_m[k] for k in both) / len(both):>12.3f}"
                f"{sum(hits_t[k] for k in both) / len(both):>12.3f}   (speaker acc on the {len(both)} quotes both match)"
            )
    if "margin" in results:
        by_kind = defaultdict(list)
        for (stem, j), ok in results["margin"][2].items():
            by_kind[corpus[stem][1]["quotes"][j]["source_kind"]].append(ok)
        print(
            "Margin speaker acc by speaker as written: "
            + ", ".join(f"{k} {sum(v) / len(v):.3f} ({len(v)})" for k, v in sorted(by_kind.items()))
        )
        print(f"\n{'outlet':<22}{'F1':>8}{'speaker':>9}")
        for outlet, sc in sorted(results["margin"][1].items()):
            print(f"{outlet:<22}{sc.row()['F1']:>8.3f}{sc.row()['speaker acc']:>9.3f}")
        if args.errors:
            polnear.print_error_kinds(corpus, stems, results["margin"][3])
        if args.verbose:
            preds = results["margin"][3]
            print("\nMargin mistakes:")
            for line in results["margin"][0].mistakes:
                if ": speaker " not in line:
                    print("  " + line)
            print("\nMargin speaker mistakes (speaker as written, gold, predicted, method):")
            for stem in stems:
                text, gold = corpus[stem]
                spans = [(q["start"], q["end"], q) for q in gold["quotes"]]
                for i, j in polnear.match(preds[stem], spans, 0.8):
                    q, p = spans[j][2], preds[stem][i]
                    if not polnear.speaker_ok(p["canonical"], q):
                        print(
                            f"  {stem} @{q['start']}: [{q['source_kind']}] {q['source_text']!r} -> gold {q['speaker']!r}; "
                            f"Margin {p['canonical']!r} ({p['speaker']!r}, {p.get('method')}): {q['text'][:50]!r}"
                        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
