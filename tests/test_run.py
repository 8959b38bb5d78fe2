"""Scenario files and ``geostress run``: shipped scenarios load, bad ones fail clearly, runs write every output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geostress.spec.presets import PRESETS_DIR
from geostress.errors import ScenarioError
from geostress.results import FAN_COLUMNS, load_fan
from geostress.spec.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]
# fiscal / market scenarios; minerals-*.toml and sweep-*.toml have their own specs (test_minerals, test_sweep)
SCENARIOS = [p for p in sorted((PRESETS_DIR).glob("*.toml")) if not p.stem.startswith(("minerals-", "sweep-"))]
GEOSTRESS = shutil.which("geostress", path=str(Path(sys.executable).parent)) or "geostress"
EXPECTED_FILES = (
    "fan.parquet", "annual.parquet", "monthly.parquet", "summary.json",
    "fan_debt_to_gdp.png", "fan_net_interest_to_gdp.png", "fan_interest_to_revenue.png", "fan_yield_10y.png",
)  # fmt: skip
FAN_VARS = ("debt_to_gdp", "net_interest_to_gdp", "interest_to_revenue", "yield_10y")


def geostress(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GEOSTRESS_HOME": str(home), "COLUMNS": "160"}
    return subprocess.run([GEOSTRESS, *args], env=env, capture_output=True, text=True, timeout=180)


# -- scenario files --------------------------------------------------------------------------------------------
def test_scenarios_folder_ships_the_five_scenarios() -> None:
    names = {p.stem for p in SCENARIOS}
    assert {"baseline", "china_sells", "high_rates", "fiscal_slippage", "laubach_premium"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_shipped_scenario_loads(path: Path) -> None:
    spec = load_scenario(path)
    assert spec.scenario.baseline == "cbo:latest"
    assert spec.scenario.horizon_years == 30
    assert spec.simulation.paths == 10_000


def test_shipped_scenarios_set_their_shock() -> None:
    by_stem = {p.stem: load_scenario(p) for p in SCENARIOS}
    assert by_stem["china_sells"].shocks.term_premium_bp > 0 and by_stem["china_sells"].shocks.start_year == 2027
    assert by_stem["high_rates"].shocks.all_rates_pp == 1.0
    assert by_stem["fiscal_slippage"].shocks.primary_deficit_pct_gdp == 1.0
    assert by_stem["fiscal_slippage"].shocks.start_year == 2027
    assert by_stem["laubach_premium"].fiscal.fiscal_risk_premium_bp_per_pp == 3.5


BAD = {
    "unknown_field": ("[shocks]\nterm_premium = 40\n", r"shocks\.term_premium"),
    "out_of_range": ("[fiscal]\nfiscal_risk_premium_bp_per_pp = 25\n", r"fiscal\.fiscal_risk_premium_bp_per_pp"),
    "shares_sum": ("[fiscal.issuance_shares]\nbill_4w = 0.5\nnote_10y = 0.4\n", r"fiscal\.issuance_shares.*sum to 1"),
    "horizon_60": ("[scenario]\nhorizon_years = 60\n", r"scenario\.horizon_years.*50"),
    "bad_toml": ("[scenario\nname = 'x'\n", r"not valid TOML"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_scenario_names_file_and_field(case: str, tmp_path: Path) -> None:
    text, field = BAD[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=field) as info:
        load_scenario(path)
    assert str(path) in str(info.value)


def test_override_out_of_range_is_a_scenario_error() -> None:
    spec = load_scenario(PRESETS_DIR / "baseline.toml")
    with pytest.raises(ScenarioError, match=r"simulation\.paths"):
        spec.with_overrides(**{"simulation.paths": -1})


# -- geostress run ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("geostress-home")


@pytest.fixture(scope="module")
def run_dirs(tmp_path_factory: pytest.TempPathFactory, home: Path) -> tuple[Path, Path]:
    """The baseline run twice with the same seed (2,048 paths each)."""
    dirs = []
    for tag in ("a", "b"):
        out = tmp_path_factory.mktemp(f"run-{tag}")
        proc = geostress("run", str(PRESETS_DIR / "baseline.toml"), "--paths", "2048", "--seed", "7",
                         "--out", str(out), home=home)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        dirs.append(out)
    return dirs[0], dirs[1]


def test_run_writes_every_file(run_dirs: tuple[Path, Path]) -> None:
    out = run_dirs[0]
    for name in EXPECTED_FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert not list(out.glob(".*.tmp")), "temporary files left behind"
    assert (out / "fan_debt_to_gdp.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_summary_json_parses(run_dirs: tuple[Path, Path]) -> None:
    summary = json.loads((run_dirs[0] / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"] == "baseline"
    assert summary["ensemble"]["paths"] == 2048 and summary["ensemble"]["seed"] == 7
    assert summary["spec"]["simulation"]["paths"] == 2048
    assert 0.5 < summary["deterministic"]["debt_to_gdp_last"] < 5.0
    assert all(0.0 <= p <= 1.0 for p in summary["ensemble"]["probabilities"].values())


def test_fan_parquet_is_tidy_and_ordered(run_dirs: tuple[Path, Path]) -> None:
    fan = load_fan(run_dirs[0] / "fan.parquet")
    assert list(fan.columns) == list(FAN_COLUMNS)
    assert set(fan["variable"]) == set(FAN_VARS)
    assert set(fan["quantile"]) == {"p05", "p10", "p25", "p50", "p75", "p90", "p95", "deterministic"}
    wide = fan.pivot_table(index=["variable", "period"], columns="quantile", values="value")
    assert len(wide) == 4 * 30
    assert not wide.isna().any().any()
    order = ["p05", "p10", "p25", "p50", "p75", "p90", "p95"]
    assert (np.diff(wide[order].to_numpy(), axis=1) >= 0).all()


def test_annual_and_monthly_tables(run_dirs: tuple[Path, Path]) -> None:
    annual = pd.read_parquet(run_dirs[0] / "annual.parquet")
    assert annual["fiscal_year"].tolist() == list(range(2026, 2056))
    monthly = pd.read_parquet(run_dirs[0] / "monthly.parquet")
    assert len(monthly) == 360
    assert {"month", "fiscal_year", "debt", "interest", "yield_10y", "avg_rate"} <= set(monthly.columns)
    assert monthly["month"].iloc[0] == pd.Timestamp("2025-10-01")
    assert monthly["fiscal_year"].iloc[0] == 2026 and monthly["fiscal_year"].iloc[-1] == 2055
    # the last month's debt is the fiscal year's end-of-year debt
    assert monthly["debt"].iloc[-1] == pytest.approx(annual["debt"].iloc[-1])


def test_same_seed_gives_identical_fans(run_dirs: tuple[Path, Path]) -> None:
    a, b = (load_fan(d) for d in run_dirs)
    pd.testing.assert_frame_equal(a, b)


def test_paths_zero_runs_deterministic_only(tmp_path: Path, home: Path) -> None:
    out = tmp_path / "det"
    proc = geostress("run", str(PRESETS_DIR / "china_sells.toml"), "--paths", "0", "--out", str(out),
                     "--json", home=home)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["scenario"] == "china-sells" and "ensemble" not in summary
    # no market block, so no twin: its +8 bp adds interest, which this run does not measure (it printed 0.0)
    assert {k: summary[k] for k in ("peak_10y_change_bp", "added_net_interest_10y_bn", "cascade_share")} == {
        "peak_10y_change_bp": None, "added_net_interest_10y_bn": None, "cascade_share": None}
    for name in EXPECTED_FILES:
        assert (out / name).is_file(), name
    fan = load_fan(out)
    assert set(fan["quantile"]) == {"deterministic"}
    assert set(FAN_VARS) <= set(fan["variable"])


def test_run_bad_scenario_is_one_line_error(tmp_path: Path, home: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[shocks]\nall_rates_pp = 50\n", encoding="utf-8")
    proc = geostress("run", str(bad), "--out", str(tmp_path / "out"), home=home)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    message = " ".join(proc.stderr.split())
    assert "shocks.all_rates_pp" in message and "bad.toml" in message
    assert not (tmp_path / "out").exists()


def test_calibration_is_remembered_until_the_data_change(geostress_home: Path, shared_data: Path) -> None:
    """The engine calibrates once per store contents and calibration inputs; an import makes it calibrate again."""
    from geostress.data.ingest import import_file
    from geostress.data.store import Store
    from geostress.run.inputs import calibrate_for
    from geostress.spec.scenario import parse_scenario

    store = Store()
    spec = parse_scenario({"scenario": {"horizon_years": 5}})
    first = calibrate_for(spec, store)
    assert calibrate_for(spec, store) is first
    assert calibrate_for(spec.with_overrides(**{"simulation.paths": 7}), store) is first  # not a calibration input
    assert calibrate_for(spec.with_overrides(**{"fiscal.nominal_growth": 0.05}), store) is not first
    release = geostress_home.parent / "mfhhis01.txt"  # the real file, one byte longer: a new batch, same data
    release.write_bytes((shared_data / "tic_mfh_historical" / "mfhhis01.txt").read_bytes() + b"\n")
    assert import_file(release, "tic-mfh", store=store).added
    again = calibrate_for(spec, store)
    assert again is not first
    np.testing.assert_allclose(again.book.principal, first.book.principal)  # TIC does not enter the fiscal book


def test_a_report_names_the_fixed_shocks_of_a_scenario_without_the_market_block() -> None:
    """``china_sells`` moves the engine by +8 bp of term premium from FY2027: its report said "nobody sells"."""
    from geostress.report.sections.market import no_market_block_note

    text = no_market_block_note(load_scenario("china_sells"))
    assert "+8 bp of 10-year term premium from FY2027" in text and "china-sells-all" in text
    assert "does not measure what the shocks add" in text
    assert no_market_block_note(load_scenario("baseline")).startswith("This scenario has no sales")
    high_rates = no_market_block_note(load_scenario("high_rates"))
    assert "+1 pp on every yield at issue" in high_rates and "china-sells-all" not in high_rates  # no sale in it


def test_a_surplus_era_baseline_says_where_its_figures_stop_meaning_anything() -> None:
    """January 2001: CBO projected surpluses that pay the debt down; carried past its window they take debt held by
    the public below zero (FY2013), and CBO's net interest falls faster than any non-negative rate path gives from
    FY2006. The summary names both (the text output prints them) where it had printed −3.6% yields silently."""
    from geostress.run.engine import run_scenario

    spec = load_scenario("baseline").with_overrides(**{"scenario.baseline": "cbo:2001-01", "simulation.paths": 0})
    result = run_scenario(spec)
    summary = result.summary()
    assert summary["deterministic"]["debt_below_zero_from"] == 2013  # type: ignore[index]
    misfit = summary["calibration_misfit_bn"]
    assert isinstance(misfit, dict) and "2006" in misfit and all(v > 0 for v in misfit.values())
    assert float(result.annual_frame()["yield_10y"].min()) >= -1e-12
    today = run_scenario(load_scenario("baseline").with_overrides(**{"simulation.paths": 0})).summary()
    assert today["calibration_misfit_bn"] == {}
    assert today["deterministic"]["debt_below_zero_from"] is None  # type: ignore[index]
