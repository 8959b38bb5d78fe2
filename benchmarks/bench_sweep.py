"""Sweep scaling, per-chunk overhead and throughput against a plain serial loop (one JSON line last).

Figures:

* ``scaling``: one ensemble sweep (``--scenarios`` × ``--paths`` paths, chunks of ``--chunk`` paths) on a warm
  LocalCluster of 1 and of 2 single-threaded workers: seconds each and the speed-up;
* ``overhead_ms_per_chunk``: on a 1-worker cluster, (wall time − the time the worker spent computing chunks, from
  dask's task stream) / chunks: scheduling, result transfer and client work; ``overhead_share`` is that over one
  chunk's compute time (target < 5%); ``in_process_same_chunks_s`` runs the same chunks in this process;
* ``throughput``: a 10,000-scenario deterministic sweep (all-rates shock × term premium, 100 × 100) on 2 workers,
  scenarios per second, against a plain serial loop of :func:`geostress.run.engine.run_scenario` over the same
  scenarios in one process (timed on ``--serial-sample`` of them and extrapolated; the engine remembers the
  calibration, so each call pays the run and its set-up, not a new calibration), and the ratio; also the same
  10,000 scenarios through the sweep's serial path in this process (``--cluster serial``), and that ratio
  (parallel speed-up net of overhead).

Run: ``python benchmarks/bench_sweep.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # the serial reference uses one core, like one worker

from distributed import Client, get_task_stream  # noqa: E402

import geostress.run.sweep as gs  # noqa: E402
from geostress.run.engine import run_scenario  # noqa: E402


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenarios", type=int, default=4)
    parser.add_argument("--paths", type=int, default=32_768)
    parser.add_argument("--chunk", type=int, default=8192)
    parser.add_argument("--grid", type=int, default=100, help="grid side: grid² deterministic scenarios")
    parser.add_argument("--serial-sample", type=int, default=20)
    args = parser.parse_args()

    ens, ens_base = gs.parse_sweep({
        "name": "bench-ensemble", "base": {}, "paths_per_scenario": args.paths, "chunk_paths": args.chunk, "seed": 1,
        "grid": {"shocks.all_rates_pp": [round(i / max(args.scenarios - 1, 1), 4) for i in range(args.scenarios)]},
    })  # fmt: skip
    n = args.grid
    det, det_base = gs.parse_sweep({
        "name": "bench-10k", "base": {}, "paths_per_scenario": 0, "seed": 2,
        "grid": {"shocks.all_rates_pp": [round(2.0 * i / n, 4) for i in range(n)],
                 "shocks.term_premium_bp": [round(200.0 * i / n, 3) for i in range(n)]},
    })  # fmt: skip
    ens_plan, det_plan = gs.plan_sweep(ens, ens_base), gs.plan_sweep(det, det_base)

    # in-process reference for the same chunks (warm: calibration cached, kernel compiled)
    gs.sweep(ens, "serial", base=ens_base)
    serial_chunks_s = min(timed(lambda: gs.sweep(ens, "serial", base=ens_base)) for _ in range(2))

    scaling: dict[str, float] = {}
    overhead_ms = 0.0
    for workers in (1, 2):
        with gs.local_cluster(workers) as cluster, Client(cluster) as client:
            gs.sweep(ens, client, base=ens_base)  # warm: workers calibrate and load the kernel
            runs = []
            for _ in range(2):
                with get_task_stream(client) as stream:
                    wall = timed(lambda: gs.sweep(ens, client, base=ens_base))
                compute = sum(s["stop"] - s["start"] for task in stream.data for s in task["startstops"]
                              if s["action"] == "compute")
                runs.append((wall, compute))
            best, compute = min(runs)
            scaling[f"workers_{workers}_s"] = round(best, 3)
            if workers == 1:  # wall time not spent inside a chunk: scheduling, transfer, client work
                overhead_ms = 1000 * (best - compute) / len(ens_plan.chunks)
                chunk_compute_s = compute / len(ens_plan.chunks)
            else:
                gs.sweep(det, client, base=det_base)  # warm the deterministic path too
                sweep_10k_s = timed(lambda: gs.sweep(det, client, base=det_base))
    scaling["speedup"] = round(scaling["workers_1_s"] / scaling["workers_2_s"], 3)

    sample = [det_plan.scenario(i) for i in range(0, det_plan.n_scenarios, det_plan.n_scenarios // args.serial_sample)]
    run_scenario(sample[0])
    serial_each = timed(lambda: [run_scenario(s) for s in sample]) / len(sample)
    serial_total = serial_each * det_plan.n_scenarios
    gs.sweep(det, "serial", base=det_base)
    cached_s = timed(lambda: gs.sweep(det, "serial", base=det_base))  # same chunks, this process, cached calibration
    print(json.dumps({
        "cpus": os.cpu_count(),
        "ensemble": {"scenarios": args.scenarios, "paths": args.paths, "chunk_paths": args.chunk,
                     "chunks": len(ens_plan.chunks)},
        "scaling": scaling,
        "in_process_same_chunks_s": round(serial_chunks_s, 3),
        "overhead_ms_per_chunk": round(overhead_ms, 2),
        "chunk_compute_s": round(chunk_compute_s, 4),
        "overhead_share": round(overhead_ms / 1000 / chunk_compute_s, 4),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "throughput": {
            "scenarios": det_plan.n_scenarios, "chunks": len(det_plan.chunks),
            "sweep_s_2_workers": round(sweep_10k_s, 3),
            "sweep_scenarios_per_s": round(det_plan.n_scenarios / sweep_10k_s, 1),
            "serial_loop_s_per_scenario": round(serial_each, 4),
            "serial_loop_s_extrapolated": round(serial_total, 1),
            "ratio": round(serial_total / sweep_10k_s, 1),
            "serial_cached_calibration_s": round(cached_s, 3),
            "ratio_vs_cached_serial": round(cached_s / sweep_10k_s, 2),
        },
    }))


if __name__ == "__main__":
    main()
