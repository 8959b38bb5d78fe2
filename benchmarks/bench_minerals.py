"""Rare-earth network speed (one JSON line last).

* ``deterministic_weekly_s``: one 5-year weekly deterministic run of the US-mandate scenario (260 LPs; target ≤ 2 s),
  best of 3;
* ``monte_carlo_s``: ``--draws`` Monte Carlo draws over project delays (default 1,000, monthly steps, 2 worker
  processes; target ≤ 60 s), LP solutions memoised by right-hand side within each worker;
* ``lp_ms``: mean time per weekly LP.

Run: ``python benchmarks/bench_minerals.py [--draws N] [--workers W]``.
"""

from __future__ import annotations

import argparse
import json
import time

from geostress.spec.presets import PRESETS_DIR
from geostress.run.minerals import monte_carlo, run_minerals
from geostress.spec.minerals import load_minerals_spec

SCENARIO = PRESETS_DIR / "minerals-us-mandate.toml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    spec = load_minerals_spec(SCENARIO)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        result = run_minerals(spec, monte_carlo_draws=0)
        runs.append(time.perf_counter() - t)
    det = min(runs)
    spec = spec.model_copy(update={"monte_carlo": spec.monte_carlo.model_copy(update={"workers": args.workers})})
    t = time.perf_counter()
    mc = monte_carlo(spec, draws=args.draws)
    mc_s = time.perf_counter() - t
    print(json.dumps({
        "deterministic_weekly_s": round(det, 3),
        "steps": result.summary["steps"],
        "lp_ms": round(1000 * det / result.summary["steps"], 3),
        "draws": args.draws,
        "workers": args.workers,
        "monte_carlo_s": round(mc_s, 2),
        "china_free_share_day180_band": mc["china_free_share_day180"],
    }))


if __name__ == "__main__":
    main()
