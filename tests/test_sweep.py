"""Sweeps (:mod:`geostress.run.sweep`, ``geostress sweep``): specs, plans, determinism, resume, LocalCluster and a
real scheduler with two worker processes on loopback, one of them killed mid-sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from geostress.spec.presets import PRESETS_DIR
import geostress.run.sweep as gs
from geostress.run.engine import run_scenario
from geostress.errors import ScenarioError

REPO = Path(__file__).resolve().parents[1]
DEMO = PRESETS_DIR / "sweep-demo.toml"
BIN = Path(sys.executable).parent
SMALL = {
    "name": "small",
    "base": {"scenario": {"name": "small", "horizon_years": 12}},
    "grid": {"shocks.all_rates_pp": [0.0, 1.0]},
    "paths_per_scenario": 1500,
    "chunk_paths": 512,
    "seed": 11,
}


def small(**changes: object) -> tuple[gs.SweepSpec, object]:
    return gs.parse_sweep({**SMALL, **changes})


# -- spec and plan ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("data", "match"), [
    ({"grid": {"shocks.nope": [1]}}, r"field grid: .*no field 'nope'.*allowed here: all_rates_pp"),
    ({"grid": {"shock.all_rates_pp": [1]}}, r"field grid: .*no field 'shock'; did you mean 'shocks'"),
    ({"grid": {"shocks.all_rates_pp": []}}, r"at least one value"),
    ({"chunk_paths": 1}, r"field chunk_paths"),
    ({"paths": 10}, r"field paths: Extra inputs"),
    ({"random": {"n": 2, "knobs": {"shocks.all_rates_pp": [2, 1]}}}, r"field random.knobs: .*lo 2.0 is above"),
    ({"grid": {"shocks.all_rates_pp": [0, 50]}}, r"scenario 1 \(shocks.all_rates_pp=50\).*field shocks.all_rates_pp"),
    ({"base": "missing.toml"}, r"field base: scenario file missing.toml not found"),
])  # fmt: skip
def test_spec_errors_name_the_field(data: dict, match: str) -> None:
    with pytest.raises(ScenarioError, match=match):
        spec, base = gs.parse_sweep(data, origin="bad.toml")
        gs.plan_sweep(spec, base)


def test_plan_covers_every_path_once_and_depends_on_the_spec_only() -> None:
    spec, base = small(grid={"shocks.all_rates_pp": [0.0, 0.5, 1.0]}, paths_per_scenario=1300)
    plan = gs.plan_sweep(spec, base)
    assert plan == gs.plan_sweep(spec, base)
    for sid in range(plan.n_scenarios):
        pieces = sorted((p.first, p.count) for c in plan.chunks for p in c.pieces if p.scenario_id == sid)
        covered = np.concatenate([np.arange(f, f + n) for f, n in pieces])
        assert np.array_equal(covered, np.arange(1300))
        assert sum(p.deterministic for c in plan.chunks for p in c.pieces if p.scenario_id == sid) == 1
    assert all(c.cost <= spec.chunk_paths + gs.DETERMINISTIC_COST for c in plan.chunks)
    # seeds: one SeedSequence spawned per scenario; cheap scenarios are packed several to a chunk
    expected = [int(s.generate_state(1, np.uint64)[0] >> np.uint64(1)) for s in np.random.SeedSequence(11).spawn(3)]
    assert list(plan.seeds) == expected
    det, base_det = small(paths_per_scenario=0, grid={"shocks.all_rates_pp": list(np.linspace(0, 1, 100))})
    assert len(gs.plan_sweep(det, base_det).chunks) == -(-100 // (512 // gs.DETERMINISTIC_COST))


def test_random_design_is_reproducible_and_respects_integer_fields() -> None:
    data = {"random": {"n": 50, "seed": 3, "knobs": {"shocks.term_premium_bp": [0, 100],
                                                     "shocks.start_year": [2027, 2030]}}}
    spec, base = small(**data)
    plan = gs.plan_sweep(spec, base)
    assert plan.n_scenarios == 2 * 50 and plan.knob_dtypes["shocks.start_year"] == "int64"
    values = np.array(plan.values, dtype=float)
    assert set(values[:, 2]) <= {2027, 2028, 2029, 2030} and 0 <= values[:, 1].min() <= values[:, 1].max() <= 100
    assert plan.values == gs.plan_sweep(*small(**data)).values


# -- results ---------------------------------------------------------------------------------------------------
def test_chunked_results_equal_run_scenario() -> None:
    spec, base = small()
    plan = gs.plan_sweep(spec, base)
    table = gs.sweep(spec, "serial", base=base)
    assert len(table) == 2 * (1500 + 1)
    for sid in range(2):
        result = run_scenario(plan.scenario(sid), keep_paths=True)
        rows = table[table["scenario_id"] == sid].sort_values("path")
        assert rows["path"].tolist() == list(range(-1, 1500))
        assert rows["seed"].iloc[0] == plan.seeds[sid] == result.ensemble.seed
        per_path = result.ensemble.per_path
        stoch = rows[rows["path"] >= 0]
        for column, var, year in [("debt_to_gdp_last", "debt_to_gdp", -1), ("debt_to_gdp_yr10", "debt_to_gdp", 9),
                                  ("interest_to_revenue_last", "interest_to_revenue", -1),
                                  ("yield_10y_yr10", "yield_10y", 9), ("yield_10y_last", "yield_10y", -1)]:
            assert np.array_equal(stoch[column].to_numpy(), per_path[var][:, year].astype(np.float64)), column
        det = rows[rows["path"] == -1].iloc[0]
        assert det["debt_to_gdp_last"] == result.annual_frame()["debt_to_gdp"].iloc[-1]
        assert det["shocks.all_rates_pp"] == [0.0, 1.0][sid]


def test_resume_skips_finished_chunks_and_cleans_partial_writes(tmp_path: Path) -> None:
    spec, base = small()
    out = tmp_path / "out"
    full = gs.sweep(spec, "serial", base=base, out=out)
    files = sorted(out.glob("part-*.parquet"))
    for f in files[1::2]:
        f.unlink()
    (out / ".part-000001.parquet.123.abc.tmp").write_bytes(b"half a file")
    calls: list[tuple[int, int]] = []
    again = gs.sweep(spec, "serial", base=base, out=out, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (len(files) - len(files[1::2]), len(files)) and calls[-1] == (len(files), len(files))
    pd.testing.assert_frame_equal(again, full)
    pd.testing.assert_frame_equal(pd.read_parquet(out), full)
    assert not list(out.glob(".*.tmp"))
    table, manifest = gs.load_sweep(out)
    assert manifest["fingerprint"] == gs.plan_sweep(spec, base).fingerprint
    other, other_base = small(seed=12)
    with pytest.raises(ScenarioError, match="holds a different sweep"):
        gs.sweep(other, "serial", base=other_base, out=out)


def test_cli_demo_identical_for_one_and_two_workers(tmp_path: Path) -> None:
    app = typer.Typer()
    from geostress.cli.sweep import register

    register(app)
    app.command("noop")(lambda: None)
    runner = CliRunner()
    tables = []
    for n in (1, 2):
        res = runner.invoke(app, ["sweep", str(DEMO), "--workers", str(n), "--out", str(tmp_path / f"w{n}"), "--json"])
        assert res.exit_code == 0, res.output
        tables.append(pd.read_parquet(tmp_path / f"w{n}"))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    table = tables[0]
    assert {"scenario_id", "chunk", "path", "shocks.all_rates_pp", "debt_to_gdp_last"} <= set(table.columns)
    assert table["scenario_id"].nunique() == 6 and len(table) == 6 * (4096 + 1)
    assert not table.duplicated(["scenario_id", "path"]).any()
    bad = runner.invoke(app, ["sweep", str(tmp_path / "nope.toml"), "--cluster", "serial"])
    assert bad.exit_code == 1 and "nope.toml not found" in bad.output


# -- a real scheduler and two worker processes; one is killed mid-sweep ----------------------------------------
def _wait_for(path: Path, seconds: float = 30) -> None:
    end = time.time() + seconds
    while not path.is_file():
        if time.time() > end:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.1)


def test_real_scheduler_survives_a_killed_worker(tmp_path: Path) -> None:
    from distributed import Client

    env = {**os.environ, "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    file = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(file)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        _wait_for(file)
        for name in ("a", "b"):
            procs.append(subprocess.Popen([str(BIN / "dask"), "worker", "--scheduler-file", str(file), "--nthreads",
                                           "1", "--no-nanny", "--no-dashboard", "--name", name], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        spec, base = small(grid={"shocks.all_rates_pp": [0.0, 0.5, 1.0]}, paths_per_scenario=4096, chunk_paths=1024)
        plan = gs.plan_sweep(spec, base)
        with Client(scheduler_file=str(file), timeout=30) as client:
            client.wait_for_workers(2, timeout=30)
            victim = next(a for a, w in client.scheduler_info()["workers"].items() if w["name"] == "b")
            killed: list[dict] = []

            def kill_after_first(done: int, total: int) -> None:
                if done >= 2 and not killed:
                    killed.append(client.processing())
                    procs[2].send_signal(signal.SIGKILL)

            table = gs.sweep(spec, client, base=base, out=tmp_path / "out", progress=kill_after_first)
            assert killed and procs[2].wait(timeout=10) == -signal.SIGKILL
            assert killed[0].get(victim), "the killed worker had no chunk in flight"
        assert len(list((tmp_path / "out").glob("part-*.parquet"))) == len(plan.chunks)
        assert sorted(table["chunk"].unique()) == list(range(len(plan.chunks)))
        assert not table.duplicated(["scenario_id", "path"]).any()
        assert len(table) == 3 * (4096 + 1)
        pd.testing.assert_frame_equal(table, gs.sweep(spec, "serial", base=base))
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()


def test_market_scenarios_run_whole_and_match_run_scenario() -> None:
    spec, base = gs.parse_sweep({"base": str(PRESETS_DIR / "china-sells-300bn.toml"),
                                 "paths_per_scenario": 100, "chunk_paths": 64, "seed": 5})  # fmt: skip
    plan = gs.plan_sweep(spec, base)
    assert [p.whole for c in plan.chunks for p in c.pieces] == [True]
    table = gs.sweep(spec, "serial", base=base)
    assert table["path"].tolist() == list(range(-1, 100))
    result = run_scenario(plan.scenario(0))
    median = np.quantile(table.loc[table["path"] >= 0, "debt_to_gdp_yr10"].to_numpy(np.float32), 0.5)
    assert median == pytest.approx(result.headline()["debt_gdp_10y_p50"], rel=1e-6)


def test_a_sweep_varies_an_indexed_knob_like_run_set() -> None:
    """``sales[0].amount_bn`` is a sweep knob through the same knob module as ``run --set`` and tipping."""
    from geostress.spec.knobs import set_value

    spec, base = gs.parse_sweep({"base": "china-sells-300bn", "grid": {"sales[0].amount_bn": [100.0, 200.0]},
                                 "paths_per_scenario": 0, "seed": 5})  # fmt: skip
    plan = gs.plan_sweep(spec, base)
    amounts = [plan.scenario(i).sales[0].amount_bn for i in range(plan.n_scenarios)]
    assert amounts == [100.0, 200.0]
    assert plan.scenario(1).sales == set_value(base, "sales[0].amount_bn", 200.0).sales
    with pytest.raises(ScenarioError, match=r"sales\[0\]\.amount_bm.*did you mean 'amount_bn'"):
        gs.parse_sweep({"base": "china-sells-300bn", "grid": {"sales[0].amount_bm": [1.0]}})


def test_a_killed_sweep_resumes_from_its_finished_chunks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = {**SMALL, "paths_per_scenario": 6000, "chunk_paths": 256}
    code = f"import geostress.run.sweep as gs; gs.sweep({spec!r}, 'serial', out={str(out)!r})"
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "NUMBA_NUM_THREADS": "1"})
    try:
        end = time.time() + 60
        while len(list(out.glob("part-*.parquet"))) < 3 and proc.poll() is None and time.time() < end:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    sweep_spec, base = gs.parse_sweep(spec)
    n_chunks = len(gs.plan_sweep(sweep_spec, base).chunks)
    finished = sorted(out.glob("part-*.parquet"))
    assert 3 <= len(finished) < n_chunks
    for f in finished:  # complete or absent, never half-written
        assert len(pd.read_parquet(f)) > 0
    calls: list[int] = []
    table = gs.sweep(sweep_spec, "serial", base=base, out=out, progress=lambda d, t: calls.append(d))
    assert calls[0] == len(finished) and calls[-1] == n_chunks
    assert not table.duplicated(["scenario_id", "path"]).any() and len(table) == 2 * 6001
    pd.testing.assert_frame_equal(table, gs.sweep(sweep_spec, "serial", base=base))
