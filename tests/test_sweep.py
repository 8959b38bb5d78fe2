"""Sweeps (:mod:`geostress.run.sweep`, ``geostress sweep``): specs, plans, determinism, resume, LocalCluster and a
real scheduler with two worker processes on loopback, one of them killed mid-sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from geostress.spec.presets import PRESETS_DIR
import geostress.run.sweep as gs
from geostress.run.engine import run_scenario
from geostress.errors import GeostressError, ScenarioError
from geostress.spec.scenario import load_scenario

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
    ({"grid": {"simulation.seed": [1, 2]}}, r"field grid: knob 'simulation.seed' cannot be swept.*field seed"),
    ({"grid": {"simulation.paths": [50, 100]}}, r"'simulation.paths' cannot be swept.*paths_per_scenario"),
    ({"random": {"n": 2, "knobs": {"simulation.chunk_paths": [1024, 4096]}}},
     r"field random.knobs: knob 'simulation.chunk_paths' cannot be swept.*field chunk_paths"),
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
    # seeds: grid points share the root seed (common random numbers) unless common_random_numbers = false, which
    # spawns one SeedSequence per scenario; cheap scenarios are packed several to a chunk
    assert plan.seeds == (11, 11, 11) and plan.seeding == "common"
    own = gs.plan_sweep(*small(grid={"shocks.all_rates_pp": [0.0, 0.5, 1.0]}, common_random_numbers=False))
    expected = [int(s.generate_state(1, np.uint64)[0] >> np.uint64(1)) for s in np.random.SeedSequence(11).spawn(3)]
    assert list(own.seeds) == expected and own.seeding == "independent"
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


def _start_loopback(file: Path, workers: tuple[str, ...] = ("a", "b")) -> list[subprocess.Popen]:
    """A ``dask scheduler`` on 127.0.0.1 and single-threaded ``dask worker`` processes (no nanny), as a user starts
    them; the scheduler process first. Stop them with :func:`_stop`."""
    env = {**os.environ, "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(file)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        _wait_for(file)
        for name in workers:
            procs.append(subprocess.Popen([str(BIN / "dask"), "worker", "--scheduler-file", str(file), "--nthreads",
                                           "1", "--no-nanny", "--no-dashboard", "--name", name], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
    except BaseException:
        _stop(procs)
        raise
    return procs


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture(scope="module")
def loopback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The scheduler file of a real scheduler with two worker processes on loopback, shared by this module's tests
    (the killed-worker test starts its own)."""
    file = tmp_path_factory.mktemp("loopback") / "scheduler.json"
    procs = _start_loopback(file)
    try:
        yield file
    finally:
        _stop(procs)


@contextmanager
def _client(file: Path) -> Iterator[Any]:
    from distributed import Client

    with Client(scheduler_file=str(file), timeout=30) as client:
        client.wait_for_workers(2, timeout=30)
        yield client


def test_real_scheduler_survives_a_killed_worker(tmp_path: Path) -> None:
    from distributed import Client

    file = tmp_path / "scheduler.json"
    procs = _start_loopback(file)
    try:
        spec, base = small(grid={"shocks.all_rates_pp": [0.0, 0.5, 1.0]}, paths_per_scenario=4096, chunk_paths=1024)
        plan = gs.plan_sweep(spec, base)
        with Client(scheduler_file=str(file), timeout=30) as client:
            client.wait_for_workers(2, timeout=30)
            names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
            killed: list[tuple[str, tuple]] = []  # (worker address, its chunks in flight when it was killed)

            def kill_after_first(done: int, total: int) -> None:
                # after two chunks, kill a worker that has chunks in flight at that moment (whichever: the
                # scheduler need not have given the other one any yet, which made a fixed victim flaky)
                if done >= 2 and not killed:
                    busy = [(a, tuple(t)) for a, t in client.processing().items() if t and a in names]
                    if busy:
                        killed.append(busy[0])
                        procs[1 + ("a", "b").index(names[busy[0][0]])].send_signal(signal.SIGKILL)

            table = gs.sweep(spec, client, base=base, out=tmp_path / "out", progress=kill_after_first)
            assert killed
            victim = procs[1 + ("a", "b").index(names[killed[0][0]])]
            assert victim.wait(timeout=10) == -signal.SIGKILL
            assert killed[0][1], "the killed worker had no chunk in flight"
        assert len(list((tmp_path / "out").glob("part-*.parquet"))) == len(plan.chunks)
        assert sorted(table["chunk"].unique()) == list(range(len(plan.chunks)))
        assert not table.duplicated(["scenario_id", "path"]).any()
        assert len(table) == 3 * (4096 + 1)
        pd.testing.assert_frame_equal(table, gs.sweep(spec, "serial", base=base))
    finally:
        _stop(procs)


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


# -- scenarios on a real scheduler: reserves, a single scenario, events checked first, the market's columns ------
RESERVES_ONLY = {"scenario": {"name": "res-only", "horizon_years": 12}, "simulation": {"paths": 200, "seed": 7},
                 "reserves": {"enabled": True, "holder": "China"}}  # fmt: skip
MARKET_COLUMNS = ["peak_10y_change_bp", "persistent_10y_change_bp", "stock_effect_10y_bp",
                  "added_net_interest_10y_bn", "cascade", "backstop_bn", "sold_bn"]  # fmt: skip


def _market_per_path(result: Any) -> dict[str, np.ndarray]:
    """The market columns a sweep should hold for a coupled ``run_scenario`` result (one value per path)."""
    c = result.coupled
    i10 = min(9, len(c.scenario.fiscal_years) - 1)
    extra = c.scenario.annual_field("interest") - c.twin.annual_field("interest")
    return {"peak_10y_change_bp": c.peak_10y_change_bp, "persistent_10y_change_bp": c.persistent_10y_change_bp,
            "stock_effect_10y_bp": c.stock_effect_10y_bp,
            "added_net_interest_10y_bn": extra[:, : i10 + 1].sum(axis=1), "cascade": c.cascade_share,
            "backstop_bn": c.backstop_bn, "sold_bn": c.sold_bn}  # fmt: skip


def test_a_reserves_only_scenario_sweeps_like_run_scenario(loopback: Path) -> None:
    """Only ``[reserves]`` on (no sales in the file): its rebalancing becomes sales, so the rows depend on the freeze
    probability and equal run_scenario's paths (they used to be the baseline's, or missing)."""
    spec, base = gs.parse_sweep({"name": "s9", "base": RESERVES_ONLY, "paths_per_scenario": 200, "seed": 7,
                                 "common_random_numbers": True,
                                 "grid": {"reserves.freeze_probability": [0.0, 0.05]}})  # fmt: skip
    plan = gs.plan_sweep(spec, base)
    with _client(loopback) as client:
        table = gs.sweep(spec, client, base=base)
        # run_scenario on the same workers, both at once (each [reserves] run optimises the reserves, ~5 s)
        results = client.gather([client.submit(run_scenario, plan.scenario(sid), keep_paths=True, pure=False)
                                 for sid in range(2)])  # fmt: skip
    rows = {sid: table[table["scenario_id"] == sid].sort_values("path") for sid in range(2)}
    for sid, result in enumerate(results):
        assert rows[sid]["path"].tolist() == list(range(-1, 200))
        stoch = rows[sid][rows[sid]["path"] >= 0]
        for var in ("debt_to_gdp", "yield_10y"):
            assert np.array_equal(stoch[f"{var}_last"].to_numpy(), result.ensemble.per_path[var][:, -1].astype(float))
        det = rows[sid][rows[sid]["path"] == -1].iloc[0]
        assert det["debt_to_gdp_last"] == pytest.approx(result.annual_frame()["debt_to_gdp"].iloc[-1], rel=1e-12)
        if result.coupled is not None:
            for column, values in _market_per_path(result).items():
                assert np.array_equal(stoch[column].to_numpy(), np.asarray(values, dtype=float)), column
    assert not np.array_equal(rows[0]["debt_to_gdp_last"].to_numpy(), rows[1]["debt_to_gdp_last"].to_numpy())
    # a zero freeze probability sells nothing (market figures 0); 5% sells
    assert (rows[0][MARKET_COLUMNS].to_numpy() == 0).all() and (rows[1]["sold_bn"] > 0).all()


def test_a_single_scenario_sweep_keeps_its_seed(loopback: Path) -> None:
    """``sweep(scenario_spec)`` is the scenario's ensemble in chunks: its own seed, run_scenario's paths."""
    spec = gs.parse_sweep({"base": {"scenario": {"name": "one", "horizon_years": 12},
                                    "simulation": {"paths": 300, "seed": 4242}}})[1]  # fmt: skip
    with _client(loopback) as client:
        table = gs.sweep(spec, client)
    result = run_scenario(spec, keep_paths=True)
    assert set(table["seed"]) == {4242} and result.ensemble.seed == 4242
    stoch = table[table["path"] >= 0].sort_values("path")
    assert np.array_equal(stoch["debt_to_gdp_yr10"].to_numpy(), result.ensemble.per_path["debt_to_gdp"][:, 9]
                          .astype(float))  # fmt: skip
    median = np.quantile(stoch["debt_to_gdp_yr10"].to_numpy(np.float32), 0.5)
    assert median == pytest.approx(result.headline()["debt_gdp_10y_p50"], rel=1e-6)
    # a sweep file without knobs is the same: its seed (default: the base's) is the scenario's
    no_knobs, base = gs.parse_sweep({"base": "baseline", "seed": 99, "paths_per_scenario": 10})
    assert gs.plan_sweep(no_knobs, base).seeds == (99,)
    assert gs.plan_sweep(*gs.parse_sweep({"base": "baseline"})).seeds == (base.simulation.seed,)


def test_events_are_checked_before_any_chunk_runs(loopback: Path, tmp_path: Path) -> None:
    """A misspelt holder in scenario 1 stops the sweep before chunk 0 is written, naming the scenario."""
    spec, base = gs.parse_sweep({"name": "s4", "base": "china-sells-300bn", "paths_per_scenario": 20, "seed": 7,
                                 "grid": {"sales[0].holder": ["china_mainland_official", "chna_official"]}})
    out = tmp_path / "out"
    with _client(loopback) as client:
        with pytest.raises(ScenarioError, match=r"^s4: scenario 1 \(sales\[0\]\.holder='chna_official'\): (sales\[0\]\."
                                                r"holder 'chna_official': )?unknown holder 'chna_official'; did you "
                                                r"mean: .*china_mainland_official"):
            gs.sweep(spec, client, base=base, out=out)
    assert not list(out.glob("*"))
    too_much, base = gs.parse_sweep({"name": "big", "base": "china-sells-300bn", "paths_per_scenario": 0,
                                     "grid": {"sales[0].amount_bn": [100.0, 5000.0]}})
    with pytest.raises(ScenarioError, match=r"big: scenario 1 \(sales\[0\]\.amount_bn=5000\.0\): sale of 5,000\.0 bn "
                                            r"by 'china_mainland_official' exceeds its holdings"):
        gs.check_scenarios(gs.plan_sweep(too_much, base))


def test_market_columns_per_path_and_nan_for_fiscal_only(loopback: Path, tmp_path: Path) -> None:
    """Coupled scenarios carry the market block's per-path figures (run_scenario's arrays); fiscal-only ones NaN,
    and a folder mixing both reads as one table."""
    base = load_scenario("china-sells-300bn").model_dump(mode="json") | {"scenario": {"name": "c", "horizon_years": 12}}
    spec, base_spec = gs.parse_sweep({"name": "mk", "base": base, "paths_per_scenario": 100, "seed": 3,
                                      "grid": {"sales[0].amount_bn": [150.0, 300.0]}})  # fmt: skip
    plan = gs.plan_sweep(spec, base_spec)
    with _client(loopback) as client:
        table = gs.sweep(spec, client, base=base_spec, out=tmp_path / "mk")
    assert list(table.columns[-len(MARKET_COLUMNS):]) == MARKET_COLUMNS
    for sid in range(2):
        rows = table[table["scenario_id"] == sid].sort_values("path")
        scenario = plan.scenario(sid)
        for column, values in _market_per_path(run_scenario(scenario)).items():
            assert np.array_equal(rows.loc[rows["path"] >= 0, column].to_numpy(), np.asarray(values, float)), column
        det = _market_per_path(run_scenario(scenario.with_overrides(**{"simulation.paths": 0})))
        for column, values in det.items():
            assert rows.loc[rows["path"] == -1, column].iloc[0] == float(np.asarray(values).reshape(-1)[0]), column
    sold = table[table["path"] >= 0].groupby("scenario_id")["sold_bn"].median()
    assert sold[0] < sold[1] and table["peak_10y_change_bp"].notna().all()
    # fiscal-only (market off, no events) and coupled (market on, nothing to price) in one folder
    mixed, mixed_base = gs.parse_sweep({"base": {"scenario": {"horizon_years": 12}}, "paths_per_scenario": 30,
                                        "chunk_paths": 64, "grid": {"market.enabled": [False, True]}})
    out = tmp_path / "mixed"
    gs.sweep(mixed, "serial", base=mixed_base, out=out)
    assert len(list(out.glob("part-*.parquet"))) == 2
    both = pd.read_parquet(out)
    assert (both[MARKET_COLUMNS].dtypes == "float64").all()
    assert both.loc[both["scenario_id"] == 0, MARKET_COLUMNS].isna().all().all()
    assert (both.loc[both["scenario_id"] == 1, MARKET_COLUMNS] == 0).all().all()


def test_the_package_docstring_names_a_callable() -> None:
    """``geostress.sweep`` is the module; the docstring names ``geostress.sweep.sweep``, which is the function."""
    import re

    import geostress

    named = re.findall(r"``(geostress(?:\.\w+)+)\(", geostress.__getattr__.__doc__ or "")
    assert named
    for dotted in named:
        obj: Any = geostress
        for part in dotted.split(".")[1:]:
            obj = getattr(obj, part)
        assert callable(obj) and not isinstance(obj, type(geostress)), dotted
    assert geostress.sweep.sweep is gs.sweep


# -- limits, out of memory, re-running a failed sweep, common random numbers -----------------------------------
def _cli() -> typer.Typer:
    app = typer.Typer()
    from geostress.cli.sweep import register

    register(app)
    app.command("noop")(lambda: None)
    return app


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_market_sweep_over_the_coupled_run_limit_is_refused_before_any_work(tmp_path: Path) -> None:
    """A sweep runs a coupled scenario's paths in one chunk, so the limit of a coupled run applies: refused before
    planning any chunk or creating the folder, naming the sweep file's field (it used to run out of memory later,
    telling the user to lower a --paths that sweep does not have)."""
    from geostress.run.limits import MAX_PATHS
    from geostress.run.sweep import check_sweep_paths

    limit = MAX_PATHS["coupled"]
    spec, base = gs.parse_sweep({"name": "bad8", "base": "contagion", "paths_per_scenario": 2 * limit, "seed": 5})
    with pytest.raises(GeostressError, match=rf"^x.toml: paths_per_scenario = {2 * limit:,} is over the limit of "
                                             rf"{limit:,} paths for a scenario with the market block \(its one "
                                             r"scenario here\): a sweep runs such a scenario's paths together"):
        check_sweep_paths(gs.plan_sweep(spec, base), spec, "x.toml")
    # at the limit, and fiscal-only scenarios (split into chunks) above it, pass
    at, at_base = gs.parse_sweep({"base": "contagion", "paths_per_scenario": limit, "chunk_paths": 1_048_576})
    check_sweep_paths(gs.plan_sweep(at, at_base), at, "x.toml")
    fiscal, fiscal_base = gs.parse_sweep({"base": "baseline", "paths_per_scenario": 2 * limit,
                                          "chunk_paths": 1_048_576})
    check_sweep_paths(gs.plan_sweep(fiscal, fiscal_base), fiscal, "x.toml")
    # the Python API refuses it too, before any chunk runs or any file is written
    with pytest.raises(GeostressError, match=r"^bad8: paths_per_scenario = ") as caught:
        gs.sweep(spec, "serial", base=base, out=tmp_path / "api")
    assert not (tmp_path / "api").exists() and caught.value.parameter == "paths_per_scenario"
    # one scenario's ensemble passed from Python: its own simulation.paths, not a sweep file's field
    from geostress.spec.scenario import load_scenario

    alone = load_scenario("contagion").with_overrides(**{"simulation.paths": limit + 1})
    with pytest.raises(GeostressError, match=r"the scenario's simulation.paths = .* Set simulation.paths to at most")\
            as caught:
        gs.sweep(alone, "serial")
    assert caught.value.parameter == "simulation.paths"
    # the command: the base's own simulation.paths when the file sets none; a mixed grid names a coupled scenario
    sweep_file = _write(tmp_path / "big.toml", f'name = "big"\n[base]\nsimulation.paths = {limit + 1}\n'
                                               '[grid]\n"market.enabled" = [false, true]\n')
    res = CliRunner().invoke(_cli(), ["sweep", str(sweep_file), "--cluster", "serial", "--out", str(tmp_path / "o")])
    assert res.exit_code == 1
    text = " ".join(res.output.split())
    assert (f"the base scenario's simulation.paths (the sweep file sets no paths_per_scenario) = {limit + 1:,} is "
            f"over the limit of {limit:,}") in text
    assert "(1 of 2 scenarios, e.g. scenario 1 (market.enabled=True) here)" in text
    assert "Set paths_per_scenario to at most" in text and "--paths" not in text
    assert not (tmp_path / "o").exists()


def test_a_local_cluster_runs_no_more_market_scenarios_at_once_than_fit_in_memory() -> None:
    """Each local worker holds one coupled scenario's paths: the default worker count keeps them within one
    command's memory budget (fiscal-only sweeps and small coupled ones keep the usual default)."""
    from geostress.run.limits import BYTES_PER_PATH, MEMORY_BUDGET_BYTES
    from geostress.cli.sweep import default_workers

    def plan(base: str, paths: int) -> gs.SweepPlan:
        return gs.plan_sweep(*gs.parse_sweep({"base": base, "paths_per_scenario": paths, "chunk_paths": 1_048_576,
                                              "grid": {"shocks.all_rates_pp": [0.0, 0.5, 1.0, 1.5]}}))

    big = int(0.4 * MEMORY_BUDGET_BYTES / BYTES_PER_PATH["coupled"])  # two fit, not three
    assert default_workers(plan("contagion", big), cpus=8) == 2
    assert default_workers(plan("contagion", 1000), cpus=8) is None
    assert default_workers(plan("baseline", big), cpus=8) is None


#: Run in a child process: warm up (imports, numba, calibration), then cap the address space a little above what
#: the process has used, so a coupled chunk of many paths really runs out of memory (a MemoryError, not a mock).
_CAPPED = """
import resource, sys
import geostress.run.sweep as gs
gs.sweep({{"base": "china-sells-300bn", "paths_per_scenario": 4, "seed": 5}}, "serial")
peak = int(open("/proc/self/status").read().split("VmPeak:")[1].split()[0]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (peak + {headroom}, resource.getrlimit(resource.RLIMIT_AS)[1]))
{then}
"""
_HEADROOM = 400_000_000  # bytes above the warm peak; the chunk below needs about 1.2 GB (20 KB a path)


def test_out_of_memory_names_the_sweep_field_and_a_corrected_file_reruns_in_place(tmp_path: Path) -> None:
    """A chunk that runs out of memory names the sweep file and paths_per_scenario (not run's --paths); a sweep
    stopped before any chunk finished leaves nothing behind (not even its manifest), so the corrected file runs
    into the same --out: no "holds a different sweep"."""
    out = tmp_path / "sweeps" / "bad8"
    sweep_file = _write(tmp_path / "bad8.toml", 'name = "bad8"\nbase = "china-sells-300bn"\n'
                                                'paths_per_scenario = 60000\nseed = 5\n')
    then = (f"from geostress.cli import app\napp(['sweep', {str(sweep_file)!r}, '--cluster', 'serial', '--out', "
            f"{str(out)!r}])")
    proc = subprocess.run([sys.executable, "-c", _CAPPED.format(headroom=_HEADROOM, then=then)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NUMBA_NUM_THREADS": "1"})
    text = " ".join(proc.stderr.split())
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert text.startswith(f"error: {sweep_file}: bad8: out of memory in chunk 0 (scenario 0; 60,000 paths); lower "
                           "paths_per_scenario (now 60,000) in the sweep file"), text
    assert "--paths" not in text
    assert not (tmp_path / "sweeps").exists()  # no manifest of a sweep with no chunk, no folder the command made
    _write(sweep_file, sweep_file.read_text().replace("60000", "20"))
    res = CliRunner().invoke(_cli(), ["sweep", str(sweep_file), "--cluster", "serial", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    table, manifest = gs.load_sweep(out)
    assert manifest["paths_per_scenario"] == 20 and len(table) == 21


def test_a_folder_with_another_sweeps_chunks_is_refused_and_left_intact(tmp_path: Path) -> None:
    """Finished chunks of another sweep are never replaced: the refusal says what to do, the files stay as they
    were (bytes and all)."""
    spec, base = small(paths_per_scenario=100)
    out = tmp_path / "out"
    gs.sweep(spec, "serial", base=base, out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    other, other_base = small(paths_per_scenario=50)
    with pytest.raises(ScenarioError, match=rf"^{out} holds a different sweep \('small', 1 of 1 chunks done\); "
                                            rf"remove {out} or choose another --out"):
        gs.sweep(other, "serial", base=other_base, out=out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # the same sweep file written by an earlier format (its results differ): the message says so
    import json

    from geostress.run.sweep import FORMAT_VERSION

    manifest = json.loads((out / gs.MANIFEST).read_text(encoding="utf-8"))
    (out / gs.MANIFEST).write_text(json.dumps({**manifest, "format": FORMAT_VERSION - 1, "fingerprint": "old"}),
                                   encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"\(it was written by an earlier geostress, format {FORMAT_VERSION - 1}, "
                                            rf"now {FORMAT_VERSION}, whose results differ\)$"):
        gs.sweep(spec, "serial", base=base, out=out)
    (out / gs.MANIFEST).unlink()
    with pytest.raises(ScenarioError, match=rf"holds part files but no {gs.MANIFEST}; remove {out} or choose"):
        gs.sweep(other, "serial", base=other_base, out=out)


def test_out_of_memory_on_a_real_worker_names_the_sweep_field(tmp_path: Path) -> None:
    """The same on a real scheduler: the worker's MemoryError comes back as the sweep's message (its own scheduler
    and worker, capped through client.run, so the module's shared workers keep their memory)."""
    from distributed import Client

    file = tmp_path / "scheduler.json"
    procs = _start_loopback(file, ("a",))
    try:
        spec, base = gs.parse_sweep({"name": "big", "base": "china-sells-300bn", "paths_per_scenario": 60_000,
                                     "seed": 5, "grid": {"sales[0].amount_bn": [300.0]}})  # fmt: skip
        with Client(scheduler_file=str(file), timeout=30) as client:
            client.wait_for_workers(1, timeout=30)
            code = _CAPPED.format(headroom=_HEADROOM, then="")
            client.run(exec, code, {"__name__": "capped"})  # warm up, then cap this worker's address space
            with pytest.raises(gs.SweepMemoryError, match=r"^big: out of memory in chunk 0 \(scenario 0 "
                                                          r"\(sales\[0\]\.amount_bn=300\.0\); 60,000 paths\); lower "
                                                          r"paths_per_scenario \(now 60,000\)"):
                gs.sweep(spec, client, base=base, out=tmp_path / "out")
        assert not any((tmp_path / "out").iterdir())  # no chunk finished: no manifest left either
    finally:
        _stop(procs)


# common random numbers: grid points share their draws by default
def test_grid_points_share_their_draws_by_default(loopback: Path) -> None:
    """Two grid points with the same knob value give the same paths, on a real scheduler with other chunks than a
    serial run (they used to get different seeds, so a grid's differences mixed noise with the knob's effect)."""
    grid = {"shocks.all_rates_pp": [0.0, 0.0, 1.0]}
    spec, base = small(grid=grid, paths_per_scenario=700, chunk_paths=256)
    with _client(loopback) as client:
        table = gs.sweep(spec, client, base=base)
    other_chunks, _ = small(grid=grid, paths_per_scenario=700, chunk_paths=1024)
    serial = gs.sweep(other_chunks, "serial", base=base)
    rows = [t[t["scenario_id"] == i].sort_values("path").reset_index(drop=True)[["path", *gs.RESULT_COLUMNS]]
            for t in (table, serial) for i in range(3)]  # fmt: skip
    pd.testing.assert_frame_equal(rows[0], rows[1])  # same knob value, same draws
    for i in range(3):  # any chunking, any worker
        pd.testing.assert_frame_equal(rows[i], rows[3 + i])
    assert (rows[2]["debt_to_gdp_last"] > rows[0]["debt_to_gdp_last"]).all()  # +1 pp raises debt on every path
    assert set(table["seed"]) == {11}
    own_seeds, _ = small(grid=grid, paths_per_scenario=700, common_random_numbers=False)
    own = gs.sweep(own_seeds, "serial", base=base)
    a, b = (own[(own["scenario_id"] == i) & (own["path"] >= 0)]["debt_to_gdp_last"].to_numpy() for i in (0, 1))
    assert not np.array_equal(a, b)


def test_market_grid_points_share_prior_draws_and_random_draws_keep_their_own_seeds(tmp_path: Path) -> None:
    """Coupled grid points share the market block's per-path prior draws too; a [random] draw keeps its own seed
    (shared by the grid points combined with it); the command says how the scenarios are seeded."""
    spec, base = gs.parse_sweep({"name": "mk", "base": "china-sells-300bn", "paths_per_scenario": 40, "seed": 3,
                                 "grid": {"sales[0].amount_bn": [300.0, 300.0, 600.0]}})  # fmt: skip
    table = gs.sweep(spec, "serial", base=base)
    same = [table[table["scenario_id"] == i].drop(columns=["scenario_id", "chunk"]).reset_index(drop=True)
            for i in (0, 1)]
    pd.testing.assert_frame_equal(same[0], same[1])
    sold = table[table["path"] >= 0].groupby("scenario_id")["sold_bn"]
    assert (sold.min()[2] > sold.max()[0])  # the larger sale sells more on every path
    mixed, mixed_base = small(random={"n": 3, "seed": 1, "knobs": {"shocks.term_premium_bp": [0, 100]}})
    plan = gs.plan_sweep(mixed, mixed_base)
    spawned = [int(s.generate_state(1, np.uint64)[0] >> np.uint64(1)) for s in np.random.SeedSequence(11).spawn(3)]
    assert plan.seeding == "per_draw" and plan.seeds == tuple(spawned * 2)  # 2 grid points × 3 draws
    only_random = gs.plan_sweep(*small(grid={}, random={"n": 3, "seed": 1,
                                                        "knobs": {"shocks.term_premium_bp": [0, 100]}}))
    assert only_random.seeds == tuple(spawned)  # as before: one seed per draw
    assert gs.plan_sweep(*small(common_random_numbers=True, random=mixed.random)).seeds == (11,) * 6
    sweep_file = _write(tmp_path / "s.toml", 'name = "s"\nbase = "baseline"\npaths_per_scenario = 0\n'
                                             '[grid]\n"shocks.all_rates_pp" = [0.0, 1.0]\n')
    for extra, words in [("", "seeds: common random numbers: every scenario draws the same paths (seed "),
                         ("common_random_numbers = false\n", "differences between scenarios include sampling noise; "
                                                             "set common_random_numbers = true")]:
        _write(sweep_file, extra + sweep_file.read_text().replace("common_random_numbers = false\n", ""))
        res = CliRunner().invoke(_cli(), ["sweep", str(sweep_file), "--cluster", "serial",
                                          "--out", str(tmp_path / f"o{len(extra)}")])
        assert res.exit_code == 0, res.output
        assert words in " ".join(res.output.split())


def test_a_second_sweep_into_a_folder_being_written_is_refused(tmp_path: Path) -> None:
    """While a sweep writes into a folder it holds an exclusive lock on it (on the folder itself): a second one
    started there is refused and touches nothing; once the lock is released (the first sweep ends or dies) it runs.
    A finished sweep's folder that the reader cannot write to still reads back (the lock needs no file)."""
    import fcntl
    import os

    spec, base = small(paths_per_scenario=100)
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)  # as a sweep in another process holds it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ScenarioError, match=rf"^{out}: another sweep is writing into it; wait for it to finish, "
                                                r"or choose another --out$"):
            gs.sweep(spec, "serial", base=base, out=out)
        assert list(out.iterdir()) == []  # no manifest, no chunk
    finally:
        os.close(fd)
    table = gs.sweep(spec, "serial", base=base, out=out)
    assert len(table) > 0 and (out / gs.MANIFEST).is_file()
    out.chmod(0o555)  # read-only: the finished sweep reads back (every chunk is done: nothing to write)
    try:
        assert gs.sweep(spec, "serial", base=base, out=out).equals(table)
    finally:
        out.chmod(0o755)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"is a file, not a folder: choose a folder for --out"):
        gs.sweep(spec, "serial", base=base, out=tmp_path / "a-file")
