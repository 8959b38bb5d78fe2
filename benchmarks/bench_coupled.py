"""The coupled loop (sales, contagion, market clearing and the fiscal engine, month by month) at scale.

Figures (one JSON line last): ``coupled_s`` for ``--paths`` paths × 360 months of ``scenarios/contagion.toml``
(target ≤ 10 s for 10,000 paths), the uncoupled engine on the same paths and shocks (``uncoupled_s``, the
reference measured in the same run), their ratio, and peak memory.

Run: ``python benchmarks/bench_coupled.py [--paths N]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from geostress.spec.presets import PRESETS_DIR
from geostress.run.coupled import holders_for, run_coupled_chunks
from geostress.data.store import Store
from geostress.run.engine import run_ensemble, scenario_inputs
from geostress.spec.scenario import load_scenario

SCENARIO = PRESETS_DIR / "contagion.toml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", type=int, default=10_000)
    args = parser.parse_args()
    store = Store(tempfile.mkdtemp(prefix="geostress-bench-"))
    spec = load_scenario(SCENARIO)
    calib, paths, macro, kwargs = scenario_inputs(spec, store)
    holders = holders_for(store, calib)
    run_coupled_chunks(calib, paths, macro, spec, holders, n_paths=64, seed=0)  # compile / warm caches
    start = time.perf_counter()
    out = run_coupled_chunks(calib, paths, macro, spec, holders, n_paths=args.paths, seed=1)
    coupled_s = time.perf_counter() - start
    start = time.perf_counter()
    run_ensemble(calib.book, paths, calib.params, macro, n_paths=args.paths, seed=1)
    uncoupled_s = time.perf_counter() - start
    print(json.dumps({
        "paths": args.paths,
        "months": paths.months,
        "coupled_s": round(coupled_s, 3),
        "uncoupled_s": round(uncoupled_s, 3),
        "ratio_to_uncoupled": round(coupled_s / uncoupled_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cascade_share_mean": round(float(out.cascade_share.mean()), 4),
    }))


if __name__ == "__main__":
    main()
