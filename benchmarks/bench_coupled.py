"""The coupled loop (scheduled sales, contagion and the market block in one compiled pass over blocks of paths, then
the fiscal engine's whole-horizon kernel beside its twin) against the uncoupled fiscal engine on the same paths.

Figures (one JSON line last): for ``--paths`` paths × 360 months, ``coupled_s`` of ``china-sells-300bn`` (market
block only), ``contagion_s`` of ``contagion`` (market and contagion blocks) and ``threat_s`` of ``davos-threat``
(contagion with a threat: its two effects need one more pass, 36 months without the threat), each with parameter draws per
path; ``uncoupled_s``, the uncoupled ensemble on the same paths and shocks (the reference, measured in the same
run, interleaved, fastest of ``--repeats``); the ratios (target: coupled ≤ 2× uncoupled); ``impact_1000_s``,
``geostress market impact`` with 1,000 parameter draws in this process, and ``cli_impact_s``, the same command
from the shell (a new interpreter: imports, store, draws, output; target ≤ 1 s), beside ``cli_help_s``
(``geostress --help``, the command line's bare start, measured in the same run); fastest of ``--repeats``; and peak
memory.

Run: ``python benchmarks/bench_coupled.py [--paths N]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from geostress.data.store import Store
from geostress.run.coupled import holders_for, run_coupled_chunks
from geostress.run.engine import run_ensemble, scenario_inputs
from geostress.run.market import impact
from geostress.spec.scenario import load_scenario


def _timed(func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    store = Store(tempfile.mkdtemp(prefix="geostress-bench-"))
    figures: dict[str, object] = {"paths": args.paths}
    runs = {}
    for name, key in (("china-sells-300bn", "coupled"), ("contagion", "contagion"), ("davos-threat", "threat")):
        spec = load_scenario(name)
        calib, paths, macro, _ = scenario_inputs(spec, store)
        holders = holders_for(store, calib)
        run_coupled_chunks(calib, paths, macro, spec, holders, n_paths=64, seed=0)  # compile / warm caches
        runs[key] = (lambda spec=spec, calib=calib, paths=paths, macro=macro, holders=holders:
                     run_coupled_chunks(calib, paths, macro, spec, holders, n_paths=args.paths, seed=1))
    runs["uncoupled"] = lambda: run_ensemble(calib.book, paths, calib.params, macro, n_paths=args.paths, seed=1)
    run_ensemble(calib.book, paths, calib.params, macro, n_paths=64, seed=0)
    # interleaved repeats, fastest of each: the shared machine's load changes from minute to minute
    best = {key: float("inf") for key in runs}
    for _ in range(args.repeats):
        for key, run in runs.items():
            seconds, out = _timed(run)
            best[key] = min(best[key], seconds)
            if key == "coupled":
                figures["coupled_peak_10y_bp_median"] = round(float(np.median(out.peak_10y_change_bp)), 2)
    figures["months"] = paths.months
    for key, seconds in best.items():
        figures[f"{key}_s"] = round(seconds, 3)
    uncoupled = best["uncoupled"]
    figures["ratio_to_uncoupled"] = round(best["coupled"] / uncoupled, 2)
    figures["contagion_ratio_to_uncoupled"] = round(best["contagion"] / uncoupled, 2)
    figures["threat_ratio_to_uncoupled"] = round(best["threat"] / uncoupled, 2)
    impact(store, "china_mainland", 300.0, 12, draws=1000)  # warm the store's caches
    figures["impact_1000_s"] = round(_timed(lambda: impact(store, "china_mainland", 300.0, 12, draws=1000))[0], 3)
    # from the shell: the console script beside this interpreter, on the same temporary store
    command = str(Path(sys.executable).parent / "geostress")
    env = {**os.environ, "GEOSTRESS_HOME": str(store.home)}
    shell = {"cli_impact_s": [command, "market", "impact", "--holder", "china_mainland", "--amount-bn", "300",
                              "--months", "12", "--draws", "1000", "--json"],
             "cli_help_s": [command, "--help"]}
    for key, argv in shell.items():
        figures[key] = round(min(_timed(lambda argv=argv: subprocess.run(argv, env=env, check=True,
                                                                           capture_output=True))[0]
                                 for _ in range(args.repeats)), 3)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
