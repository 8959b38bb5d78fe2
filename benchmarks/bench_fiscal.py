"""Fiscal engine speed and memory, with the time to draw the same random numbers as the in-run reference.

Figures (one JSON line last):

* ``stochastic_s``: 100,000 paths × 360 months, calibrated to CBO's latest baseline, fans and probabilities
  included (the numba kernel compiled and cached beforehand);
* ``draw_only_s``: drawing the same shocks, the same way (float32, blocks, two threads), and nothing else;
* ``ratio_to_draw``: stochastic_s / draw_only_s (target ≤ 2);
* ``peak_rss_mb``: the process's peak resident memory after the run (target ≤ 4,096 MB);
* ``deterministic_ms``: one deterministic 30-year run (target ≤ 10 ms), median of 200;
* ``calibration_s``: calibrating the engine to a CBO vintage (book, paths, fitted rate path).

Run: ``python benchmarks/bench_fiscal.py [--paths N]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time

import numpy as np

from geostress.calibrate.fiscal import calibrate_baseline
from geostress.calibrate.macro import estimate_shock_covariance
from geostress.data.store import Store
from geostress.run.engine import draw_paths, run_ensemble
from geostress.model.fiscal import simulate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=360)
    args = parser.parse_args()
    store = Store(tempfile.mkdtemp(prefix="geostress-bench-"))
    vintage = store.vintages("cbo.net_interest")[-1]

    start = time.perf_counter()
    calib = calibrate_baseline(store, vintage, horizon_months=args.months)
    calibration_s = time.perf_counter() - start
    macro = estimate_shock_covariance(store).macro_params()
    book, paths, params = calib.book, calib.paths, calib.params

    run_ensemble(book, paths, params, macro, n_paths=2048, seed=0)  # compile / load the cached kernel
    samples = []
    for _ in range(200):
        t = time.perf_counter()
        simulate(book, paths, params, macro)
        samples.append(time.perf_counter() - t)
    deterministic_ms = 1000 * statistics.median(samples)

    chunk = 16 * 1024
    runs, draws = [], []
    for _ in range(3):
        t = time.perf_counter()
        result = run_ensemble(book, paths, params, macro, n_paths=args.paths, seed=1, chunk_paths=chunk)
        runs.append(time.perf_counter() - t)
        t = time.perf_counter()
        buffer = np.empty((min(chunk, args.paths), args.months, 5), dtype=np.float32)
        for first in range(0, args.paths, chunk):
            count = min(chunk, args.paths - first)
            draw_paths(1, first, count, args.months, out=buffer[:count])
        draws.append(time.perf_counter() - t)
    stochastic_s, draw_s = min(runs), min(draws)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "paths": args.paths,
        "months": args.months,
        "stochastic_s": round(stochastic_s, 3),
        "draw_only_s": round(draw_s, 3),
        "ratio_to_draw": round(stochastic_s / draw_s, 3),
        "peak_rss_mb": round(peak_mb, 1),
        "deterministic_ms": round(deterministic_ms, 3),
        "calibration_s": round(calibration_s, 3),
        "exploded_paths": result.n_exploded,
    }))


if __name__ == "__main__":
    main()
