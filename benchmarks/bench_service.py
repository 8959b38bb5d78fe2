"""Loopback load test of the web service, with a reference measured in the same run.

Starts the real server (``geostress serve`` under uvicorn, one process, on a free 127.0.0.1 port, a temporary
GEOSTRESS_HOME), finishes one small scenario run, then drives it with ``--clients`` concurrent httpx async clients
(default 50, each its own keep-alive connection, spread over ``--procs`` client processes, default 2) for
``--duration`` seconds (default 20) twice:

* reference: every request is ``GET /api/health`` (routing, middleware and HTTP, no work);
* mix: ``/api/catalog``, ``/api/series/<id>`` (three series/windows), ``/api/monitor`` and
  ``/api/runs/<done id>/result`` in rotation.

Figures: p50/p99 latency, requests/s and errors (non-2xx or transport errors) of both, the ratio
p50_mix / p50_health, the server's CPU use (cores) in each phase, each path's median latency from a lone
client (no load), and the worker start-up cost (launch → worker ready, cold fork server and warm) with the
run time of the same small run in the service and in this process (warm). The load generator shares the
machine with the server, so absolute figures depend on the cores; the ratio is the portable one.

Runs where users wait (issue 17): ``--runs`` (default 15) deterministic runs (``paths = 0``) and as many runs of
1,000 paths, each timed from ``POST /api/runs`` until a lone client polling every 10 ms sees ``done``, against
the same runs in a warm process here (the reference). Target: p50 of a deterministic run ≤ 0.2 s.
Prints one JSON line last.

Run: ``python benchmarks/bench_service.py [--clients 50] [--duration 20] [--runs 15] [--runs-only]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from geostress.spec.presets import PRESETS_DIR

REPO = Path(__file__).resolve().parents[1]
SMALL_SPEC = {"scenario": {"name": "bench", "horizon_years": 10}, "simulation": {"paths": 200, "seed": 5}}


def start_server(home: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    script = Path(sys.executable).with_name("geostress")
    cmd = [str(script)] if script.is_file() else [sys.executable, "-m", "geostress.cli"]
    env = dict(os.environ, GEOSTRESS_HOME=str(home), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([*cmd, "serve", "--port", "0", "--scenarios", str(PRESETS_DIR)],
                            stdout=subprocess.PIPE, stderr=open(log, "wb"), env=env)  # noqa: SIM115
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buf, deadline = b"", time.monotonic() + 60
    while b"\n" not in buf and time.monotonic() < deadline and proc.poll() is None:
        if sel.select(0.2):
            buf += os.read(proc.stdout.fileno(), 4096)
    line = buf.decode(errors="replace")
    if "http://" not in line:
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}; see {log}")
    url = "http://" + line.split("http://", 1)[1].split("/", 1)[0]
    with httpx.Client(base_url=url) as client:
        while time.monotonic() < deadline:
            try:
                if client.get("/api/health").status_code == 200:
                    return proc, url
            except httpx.TransportError:
                time.sleep(0.1)
    proc.kill()
    raise SystemExit("server never became healthy")


def finish_run(client: httpx.Client, spec: dict[str, Any]) -> dict[str, Any]:
    run_id = client.post("/api/runs", json={"spec": spec}).json()["id"]
    while (status := client.get(f"/api/runs/{run_id}").json())["status"] in ("queued", "running"):
        time.sleep(0.05)
    if status["status"] != "done":
        raise SystemExit(f"benchmark run ended {status['status']}: {status['error']}")
    return status


def timed_runs(client: httpx.Client, spec: dict[str, Any], count: int) -> list[float]:
    """Seconds from submitting ``spec`` until its run is seen ``done`` (polling every 10 ms), ``count`` times."""
    out = []
    for k in range(count):
        body = {**spec, "simulation": {**spec.get("simulation", {}), "seed": 100 + k}}
        start = time.perf_counter()
        run_id = client.post("/api/runs", json={"spec": body}).json()["id"]
        while (status := client.get(f"/api/runs/{run_id}").json())["status"] in ("queued", "running"):
            time.sleep(0.01)
        out.append(time.perf_counter() - start)
        if status["status"] != "done":
            raise SystemExit(f"benchmark run ended {status['status']}: {status['error']}")
    return out


def in_process_runs(spec: dict[str, Any], count: int) -> list[float]:
    """The same runs in this (warm) process: ``run_scenario`` plus the result file, as a worker writes it."""
    from geostress.run.engine import run_scenario
    from geostress.service.payloads import dumps, result_payload
    from geostress.spec.scenario import parse_scenario

    out = []
    for k in range(count + 1):
        body = {**spec, "simulation": {**spec.get("simulation", {}), "seed": 100 + k}}
        start = time.perf_counter()
        dumps(result_payload("0" * 32, run_scenario(parse_scenario(body))))
        if k:  # the first one warms the calibration memo
            out.append(time.perf_counter() - start)
    return out


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def under_load(pid: int, url: str, paths: list[str], clients: int, duration: float, procs: int) -> dict[str, Any]:
    """:func:`drive`, plus the server's CPU use over the phase (1.0 = one core busy)."""
    before, start = cpu_seconds(pid), time.perf_counter()
    out = drive(url, paths, clients, duration, procs)
    after, wall = cpu_seconds(pid), time.perf_counter() - start
    out["server_cpu_cores"] = None if before is None or after is None else round((after - before) / wall, 2)
    return out


def seconds_between(a: str, b: str) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(b.replace("Z", "+00:00")) - datetime.fromisoformat(a.replace("Z", "+00:00"))
            ).total_seconds()


async def _drive(url: str, paths: list[str], clients: int, first: int, stop_at: float) -> dict[str, Any]:
    """``clients`` concurrent loops over ``paths`` until ``stop_at`` (``time.time()``): latencies and errors."""
    latencies: dict[str, list[float]] = {p: [] for p in paths}
    errors = 0
    kinds: dict[str, int] = {}

    async def one(index: int) -> None:
        nonlocal errors
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as client:
            i = index
            while time.time() < stop_at:
                path = paths[i % len(paths)]
                i += 1
                start = time.perf_counter()
                try:
                    response = await client.get(path)
                    await response.aread()
                    ok = response.status_code < 400
                    kind = f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    ok = False
                    kind = type(exc).__name__
                took = time.perf_counter() - start
                if ok:
                    latencies[path].append(took)
                else:
                    errors += 1
                    kinds[kind] = kinds.get(kind, 0) + 1

    await asyncio.gather(*(one(first + k) for k in range(clients)))
    return {"latencies": latencies, "errors": errors, "error_kinds": kinds}


def _drive_process(url: str, paths: list[str], clients: int, first: int, stop_at: float) -> dict[str, Any]:
    return asyncio.run(_drive(url, paths, clients, first, stop_at))


def drive(url: str, paths: list[str], clients: int, duration: float, procs: int) -> dict[str, Any]:
    """The load: ``clients`` clients split over ``procs`` client processes (one asyncio loop each)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    shares = [clients // procs + (1 if k < clients % procs else 0) for k in range(procs)]
    firsts = [sum(shares[:k]) for k in range(procs)]
    with ProcessPoolExecutor(procs, mp_context=get_context("spawn")) as pool:
        list(pool.map(abs, range(procs)))  # start the client processes before the clock runs
        began = time.perf_counter()
        stop_at = time.time() + duration
        parts = list(pool.map(_drive_process, [url] * procs, [paths] * procs, shares, firsts, [stop_at] * procs))
        elapsed = time.perf_counter() - began
    latencies = {p: [x for part in parts for x in part["latencies"][p]] for p in paths}
    errors = sum(part["errors"] for part in parts)
    kinds: dict[str, int] = {}
    for part in parts:
        for kind, n in part["error_kinds"].items():
            kinds[kind] = kinds.get(kind, 0) + n
    every = sorted(x for v in latencies.values() for x in v)
    count = len(every)

    def q(p: float) -> float:
        return every[min(int(p * count), count - 1)] if count else float("nan")

    return {
        "requests": count + errors, "errors": errors, "error_kinds": kinds, "rps": (count + errors) / elapsed,
        "p50_ms": 1e3 * q(0.50), "p99_ms": 1e3 * q(0.99),
        "p50_by_path_ms": {p: round(1e3 * statistics.median(v), 2) for p, v in latencies.items() if v},
    }


def idle_latency(url: str, paths: list[str], repeat: int = 100) -> dict[str, float]:
    """Median latency (ms) of each path from one client with nothing else running."""
    out = {}
    with httpx.Client(base_url=url, timeout=30.0) as client:
        for path in paths:
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                client.get(path).read()
                samples.append(time.perf_counter() - start)
            out[path] = round(1e3 * statistics.median(samples), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of each load phase")
    parser.add_argument("--procs", type=int, default=2, help="client processes the clients are spread over")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each kind (deterministic, 1,000 paths)")
    parser.add_argument("--runs-only", action="store_true", help="skip the two load phases")
    args = parser.parse_args()
    deterministic = {"scenario": {"name": "bench-deterministic"}, "simulation": {"paths": 0}}
    thousand = {"scenario": {"name": "bench-1000"}, "simulation": {"paths": 1000}}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        proc, url = start_server(home, Path(tmp) / "server.log")
        try:
            with httpx.Client(base_url=url, timeout=120.0) as client:
                cold = finish_run(client, SMALL_SPEC)
                warm = finish_run(client, {**SMALL_SPEC, "simulation": {"paths": 200, "seed": 6}})
                run_id = warm["id"]
                catalog = {e["series_id"]: e for e in client.get("/api/catalog").json()["series"]}
                as_of = catalog["tic.mfh.japan"]["latest_vintage"]  # a date the store has a release by
                mix = ["/api/catalog", "/api/series/tic.mfh.china_mainland",
                       "/api/series/fred.dgs10?start=2024-01-01", f"/api/series/tic.mfh.japan?as_of={as_of}",
                       "/api/monitor", f"/api/runs/{run_id}/result"]
                answers = {p: client.get(p) for p in mix}  # also warms the caches
                failing = {p: a.status_code for p, a in answers.items() if a.status_code != 200}
                if failing:
                    raise SystemExit(f"the mix has paths that do not answer 200: {failing}")
                sizes = {p: len(a.content) for p, a in answers.items()}
                det_service = timed_runs(client, deterministic, args.runs)
                k_service = timed_runs(client, thousand, args.runs)
            idle = idle_latency(url, ["/api/health", *mix])
            if not args.runs_only:
                health = under_load(proc.pid, url, ["/api/health"], args.clients, args.duration, args.procs)
                loaded = under_load(proc.pid, url, mix, args.clients, args.duration, args.procs)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)

    os.environ["GEOSTRESS_HOME"] = tempfile.mkdtemp()
    from geostress.run.engine import run_scenario
    from geostress.spec.scenario import parse_scenario

    spec = parse_scenario(SMALL_SPEC)
    run_scenario(spec)
    start = time.perf_counter()
    run_scenario(spec)
    in_process = time.perf_counter() - start
    det_local = in_process_runs(deterministic, args.runs)
    k_local = in_process_runs(thousand, args.runs)
    med = statistics.median
    service_run = seconds_between(warm["started"], warm["finished"])
    print(f"deterministic run through /api/runs: p50 {med(det_service):.3f} s (max {max(det_service):.3f}) vs "
          f"{med(det_local):.3f} s in a warm process; 1,000 paths: p50 {med(k_service):.3f} s vs "
          f"{med(k_local):.3f} s")
    print(f"worker start-up: {cold['worker_startup_s']:.3f} s (first run), {warm['worker_startup_s']:.3f} s "
          f"(next); the same run: {service_run:.2f} s in the service vs {in_process:.2f} s in a warm process")
    runs = {
        "runs": args.runs,
        "deterministic_run_p50_s": round(med(det_service), 4),
        "deterministic_run_max_s": round(max(det_service), 4),
        "deterministic_in_process_p50_s": round(med(det_local), 4),
        "deterministic_ratio_service_to_in_process": round(med(det_service) / med(det_local), 2),
        "paths1000_run_p50_s": round(med(k_service), 4),
        "paths1000_in_process_p50_s": round(med(k_local), 4),
        "paths1000_ratio_service_to_in_process": round(med(k_service) / med(k_local), 2),
        "worker_startup_first_s": cold["worker_startup_s"], "worker_startup_next_s": warm["worker_startup_s"],
        "service_run_s": round(service_run, 3), "in_process_warm_run_s": round(in_process, 3),
        "cpu_count": os.cpu_count(),
    }  # fmt: skip
    if args.runs_only:
        print(json.dumps(runs))
        return
    print(f"health: {health['requests']:,} requests, p50 {health['p50_ms']:.1f} ms, p99 {health['p99_ms']:.1f} ms, "
          f"{health['rps']:.0f}/s, {health['errors']} errors, server CPU {health['server_cpu_cores']} cores")
    print(f"mix:    {loaded['requests']:,} requests, p50 {loaded['p50_ms']:.1f} ms, p99 {loaded['p99_ms']:.1f} ms, "
          f"{loaded['rps']:.0f}/s, {loaded['errors']} errors, server CPU {loaded['server_cpu_cores']} cores")
    for path, ms in loaded["p50_by_path_ms"].items():
        short = path if len(path) < 45 else path[:20] + "…" + path[-10:]
        print(f"  {short:<45} p50 {ms:7.1f} ms under load, {idle[path]:6.2f} ms alone  ({sizes[path]:,} bytes)")
    figures = {
        "clients": args.clients, "client_processes": args.procs, "duration_s": args.duration,
        "idle_p50_ms_health": idle["/api/health"],
        "idle_p50_ms_mix": round(statistics.median(idle[p] for p in mix), 2),
        "health_p50_ms": round(health["p50_ms"], 2), "health_p99_ms": round(health["p99_ms"], 2),
        "health_rps": round(health["rps"], 1), "health_errors": health["errors"],
        "mix_p50_ms": round(loaded["p50_ms"], 2), "mix_p99_ms": round(loaded["p99_ms"], 2),
        "mix_rps": round(loaded["rps"], 1), "mix_errors": loaded["errors"], "mix_requests": loaded["requests"],
        "error_kinds": {**health["error_kinds"], **loaded["error_kinds"]},
        "ratio_p50_mix_to_health": round(loaded["p50_ms"] / health["p50_ms"], 2),
        "health_server_cpu_cores": health["server_cpu_cores"], "mix_server_cpu_cores": loaded["server_cpu_cores"],
        **runs,
    }  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
