"""Accuracy of the claims checker on the development set of real news (``../shared/claims-dev``).

Runs the checker on every text with its ``published`` date and scores it against the hand annotations: only
claims annotated ``supported``, ``revised`` or ``contradicted`` are scorable. A gold claim is *found* when the
checker reports a claim whose span overlaps the gold quote (its first occurrence); when several do, the one of the
same measure is taken (one quote can carry a level and a rank), else the one overlapping most. It is *right* when
that claim's verdict is the gold verdict.

Prints one line per miss (``--verbose``), then as its last line one JSON object: ``scored``, ``found``,
``accuracy``, accuracy per language and per measure (with counts), and for the claims the annotation does not score
(no official series, a different concept, a partial or ambiguous check) how many the checker reports and how many
of those it calls ``not_checkable``.

Run: ``python benchmarks/bench_claims_accuracy.py [DIR] [--verbose]``.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from datetime import date
from pathlib import Path

from geostress.analytics.claims.check import Checker, check_text

SCORED = {"supported", "revised", "contradicted"}
ALIASES = {"gold_tonnes": "gold_reserves_tonnes", "streak_months_increase_prior": "streak_months_increase"}
DEFAULT_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "claims-dev"


def score(folder: Path, verbose: bool = False) -> dict[str, object]:
    """Found share and accuracy over every annotated text in ``folder``."""
    checker = Checker()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # scored, found, right
    for sidecar in sorted(folder.glob("*.json")):
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        text = sidecar.with_suffix(".txt").read_text(encoding="utf-8")
        published = date.fromisoformat(meta["published"])
        claims, _when = check_text(text, article_date=published, checker=checker)
        lang = meta["language"]
        for gold in meta["claims"]:
            start = text.find(gold["quote"])
            end = start + len(gold["quote"])
            cands = [c for c in claims if c.start < end and start < c.end]
            if gold["verdict"] not in SCORED:  # not checked / not judged / partial / ambiguous in the annotation
                t = totals["unscored"]
                t[0] += 1
                t[1] += bool(cands)
                t[2] += bool(cands) and all(c.verdict == "not_checkable" for c in cands)
                continue
            measure = ALIASES.get(gold["measure"], gold["measure"])
            same = [c for c in cands if c.measure == measure]
            pick = max(same or cands, key=lambda c: min(c.end, end) - max(c.start, start), default=None)
            right = pick is not None and pick.verdict == gold["verdict"]
            for key in ("all", f"lang:{lang}", f"measure:{gold['measure']}"):
                t = totals[key]
                t[0] += 1
                t[1] += pick is not None
                t[2] += right
            if not right and verbose:
                got = "NOT FOUND" if pick is None else (f"{pick.verdict} ({pick.measure}, {pick.value} {pick.unit}, "
                                                        f"{pick.period}, official {pick.official_value}, "
                                                        f"{pick.reason or pick.note or ''})")
                print(f"MISS {sidecar.stem}: {gold['quote']!r} gold={gold['verdict']} ({gold['measure']}, "
                      f"{gold['period']}) -> {got}")
    n, found, right = totals["all"]
    by = {k.split(":", 1)[1]: {"n": v[0], "accuracy": round(v[2] / v[0], 3)} for k, v in sorted(totals.items())
          if k.startswith("lang:")}
    bm = {k.split(":", 1)[1]: {"n": v[0], "accuracy": round(v[2] / v[0], 3)} for k, v in sorted(totals.items())
          if k.startswith("measure:")}
    un = totals["unscored"]
    return {"scored": n, "found": round(found / n, 3) if n else 0.0, "accuracy": round(right / n, 3) if n else 0.0,
            "right": right, "accuracy_by_language": by, "accuracy_by_measure": bm,
            "unscored": {"n": un[0], "reported": un[1], "all_not_checkable": un[2]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    args = parser.parse_args()
    folder = args.folder.resolve()
    if not folder.is_dir():
        raise SystemExit(f"{folder}: no such folder; give the claims development set (texts + JSON sidecars)")
    print(json.dumps(score(folder, verbose=args.verbose), ensure_ascii=False))


if __name__ == "__main__":
    main()
