"""Contagion speed: the block's month, over (paths, 3 classes), against the uncoupled fiscal engine on the same paths.

The coupled loop must cost ≤ 2× the uncoupled fiscal engine (issue 14), and the contagion block is one of its
three parts (fiscal, market, contagion), so its share of that budget is small. Figures (one JSON line last):

* ``contagion_s``: ``--paths`` paths × 360 months of :func:`geostress.model.contagion.step` in chunks of 4,096
  paths, each path with its own parameter draw (``draw_params`` included) and per-path
  signals (term-premium change, fiscal news) of the size the coupled loop passes;
* ``fiscal_s``: the uncoupled fiscal engine (``run_ensemble``) on the same number of paths and months, measured in
  the same run (the reference);
* ``ratio_to_fiscal``: contagion_s / fiscal_s (target ≤ 0.25: a quarter of the fiscal engine);
* ``contagion_cpu_s``, ``fiscal_cpu_s``, ``cpu_ratio_to_fiscal``: the same in CPU seconds of the process (all
  threads), the steadier figure on a shared machine (``load_average_1m`` says how shared it was);
* ``ns_per_path_month``: contagion_s per path-month;
* ``step_overhead_us``: one step on 64 paths (the fixed cost per call);
* ``agents_1m_s``: the agent-based check of the mean field (1,000,000 investors' thresholds drawn, sorted and
  counted against 27 signal levels), kept out of the hot loop.

Run: ``python benchmarks/bench_contagion.py [--paths N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time

import numpy as np

from geostress.model import contagion as cg

CHUNK = 4096


def run_contagion(n_paths: int, months: int, seed: int = 1) -> tuple[float, float]:
    """(wall, CPU) seconds for ``n_paths`` × ``months`` of the block, chunked like the coupled loop."""
    children = np.random.SeedSequence(seed).spawn((n_paths + CHUNK - 1) // CHUNK)
    sig_rng = np.random.default_rng(seed + 1)
    d_tp = sig_rng.normal(0.0, 8.0, (months, CHUNK))  # bp a month, as the market block passes (per path)
    fiscal = sig_rng.normal(0.02, 0.1, (months, CHUNK))  # pp of debt/GDP a month (per path)
    start, cpu = time.perf_counter(), time.process_time()
    for k, first in enumerate(range(0, n_paths, CHUNK)):
        count = min(CHUNK, n_paths - first)
        draws = cg.draw_params(None, np.random.default_rng(children[k]), count)
        state = cg.init_state(count)
        peer = 0.0
        for t in range(months):
            sig = cg.Signals(d_tp_10y_bp=d_tp[t, :count], peer_sell_share=peer, fiscal_news=fiscal[t, :count],
                             announcement=1.0 if t == 0 else 0.0)
            state, sell = cg.step(state, sig, draws)
            peer = 1e-3
        cg.cascade_probability(state, draws=draws)
    return time.perf_counter() - start, time.process_time() - cpu


def run_fiscal(n_paths: int, months: int) -> tuple[float, float]:
    from geostress.calibrate.fiscal import calibrate_baseline
    from geostress.calibrate.macro import estimate_shock_covariance
    from geostress.data.store import Store
    from geostress.run.engine import run_ensemble

    store = Store(tempfile.mkdtemp(prefix="geostress-bench-"))
    calib = calibrate_baseline(store, store.vintages("cbo.net_interest")[-1], horizon_months=months)
    macro = estimate_shock_covariance(store).macro_params()
    run_ensemble(calib.book, calib.paths, calib.params, macro, n_paths=2048, seed=0)  # compile / load the kernel
    runs = []
    for _ in range(2):
        t, cpu = time.perf_counter(), time.process_time()
        run_ensemble(calib.book, calib.paths, calib.params, macro, n_paths=n_paths, seed=1)
        runs.append((time.perf_counter() - t, time.process_time() - cpu))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=360)
    parser.add_argument("--skip-fiscal", action="store_true", help="no reference run (no store needed)")
    args = parser.parse_args()

    run_contagion(2 * CHUNK, 3)  # compile / load the cached kernels
    contagion_s, contagion_cpu = min(run_contagion(args.paths, args.months) for _ in range(2))
    fiscal_s, fiscal_cpu = (None, None) if args.skip_fiscal else run_fiscal(args.paths, args.months)

    small = cg.draw_params(None, np.random.default_rng(0), 64)
    state = cg.init_state(64)
    samples = []
    for _ in range(500):
        t = time.perf_counter()
        state, _ = cg.step(state, cg.Signals(d_tp_10y_bp=3.0), small)
        samples.append(time.perf_counter() - t)

    t = time.perf_counter()
    cg.agent_shares(0.2, 0.7, np.linspace(0.0, 1.2, 27), 1_000_000, np.random.default_rng(3))
    agents_s = time.perf_counter() - t

    print(json.dumps({
        "paths": args.paths,
        "months": args.months,
        "contagion_s": round(contagion_s, 3),
        "fiscal_s": None if fiscal_s is None else round(fiscal_s, 3),
        "ratio_to_fiscal": None if fiscal_s is None else round(contagion_s / fiscal_s, 3),
        "contagion_cpu_s": round(contagion_cpu, 3),
        "fiscal_cpu_s": None if fiscal_cpu is None else round(fiscal_cpu, 3),
        "cpu_ratio_to_fiscal": None if fiscal_cpu is None else round(contagion_cpu / fiscal_cpu, 3),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "ns_per_path_month": round(1e9 * contagion_s / (args.paths * args.months), 1),
        "step_overhead_us": round(1e6 * statistics.median(samples), 1),
        "agents_1m_s": round(agents_s, 3),
    }))


if __name__ == "__main__":
    main()
