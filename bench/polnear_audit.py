"""Tally of the blind audit of the read PolNeAR gold (`bench/polnear_audit.json`).

240 tune-part pieces were drawn at random, 120 among those where Margin's speaker disagreed with
the read gold and 120 among those where it agreed, and read by a person who saw the article only.
This prints, per group, how often the reader agrees with the gold and with Margin, and the speaker
accuracy those rates imply for the whole tune part (a sure reader's answer taken as the truth).

    .venv/bin/python bench/polnear_audit.py [--right N --wrong M]

N and M are the tune part's counts of right and wrong speakers when the sample was drawn (the
defaults are those of the fourth session's run).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from polnear import speaker_ok  # noqa: E402


def tally(pieces: list[dict]) -> dict[str, Counter]:
    """{group: Counter of verdicts} for the audited pieces."""
    out: dict[str, Counter] = {}
    for p in pieces:
        reader, verdicts = p["reader"], out.setdefault(p["group"], Counter())
        if reader["not_a_quote"]:
            verdicts["reader: not a quote"] += 1
        elif not reader["sure"]:
            verdicts["reader unsure"] += 1
        else:
            said = [reader["speaker"], *reader["aliases"]]
            gold_ok = any(speaker_ok(s, p["gold"]) for s in said if s)
            margin_ok = speaker_ok(p["margin"], {"speaker": reader["speaker"], "speaker_aliases": reader["aliases"]})
            verdicts[f"gold {'=' if gold_ok else '≠'} reader, Margin {'=' if margin_ok else '≠'} reader"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--right", type=int, default=5473, help="tune pieces Margin had right when sampled")
    parser.add_argument("--wrong", type=int, default=523, help="tune pieces Margin had wrong when sampled")
    parser.add_argument(
        "--file",
        type=Path,
        default=REPO / "bench" / "polnear_audit.json",
        help="the audit to tally (bench/polnear_audit_score.json: the scoring part, --right 1383 --wrong 117)",
    )
    args = parser.parse_args(argv)
    pieces = json.loads(args.file.read_text())["pieces"]
    groups = tally(pieces)
    share = {}
    for group in ("right", "wrong"):
        verdicts = groups.get(group, Counter())
        print(f"Margin {group} by the read gold ({sum(verdicts.values())} read):")
        for verdict, n in sorted(verdicts.items()):
            print(f"  {verdict:42s} {n:4d}")
        sure = sum(n for v, n in verdicts.items() if v.startswith("gold"))
        margin_right = sum(n for v, n in verdicts.items() if v.endswith("Margin = reader"))
        share[group] = margin_right / sure if sure else 0.0
        print(f"  Margin right by the reader: {margin_right}/{sure} = {share[group]:.3f}")
    total = args.right + args.wrong
    estimate = (args.right * share["right"] + args.wrong * share["wrong"]) / total
    print(f"speaker accuracy by the read gold: {args.right / total:.3f}; estimated by the readers: {estimate:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
