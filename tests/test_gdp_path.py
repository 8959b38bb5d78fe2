"""Nominal GDP follows CBO's economic projections (issue 16): pins on the official figures in the snapshot."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geostress.calibrate import DEFAULT_NOMINAL_GROWTH
from geostress.calibrate.fiscal import nominal_gdp_path
from geostress.data.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("geostress-home"))


def test_feb2026_baseline_uses_cbo_feb2026_path(store: Store) -> None:
    path = nominal_gdp_path(store, date(2026, 2, 1))
    assert path.econ_vintage == date(2026, 2, 1)
    assert path.last_actual_year == 2025 and path.last_projected_year == 2036
    # CBO actuals: FY2025 GDP $30,362.025bn
    assert path.fiscal_year(2025) == pytest.approx(30362.025)
    # CBO Feb 2026 economic projections, calendar years 2035 $45,430.89bn and 2036 $47,146.68bn:
    # FY2036 = CY2035^¼ · CY2036^¾
    assert path.fiscal_year(2036) == pytest.approx(45430.89269**0.25 * 47146.68360**0.75, rel=1e-9)
    # CBO: $56,152bn of debt held by the public is 120% of GDP in FY2036
    assert 100 * 56152.391 / path.fiscal_year(2036) == pytest.approx(120.0, abs=0.5)
    assert path.long_run_growth == pytest.approx(47146.68360 / 45430.89269 - 1, rel=1e-9)
    assert path.fiscal_year(2038) == pytest.approx(path.fiscal_year(2036) * (1 + path.long_run_growth) ** 2)
    assert "February 2026" in path.source


def test_jan2025_baseline_uses_quarters_and_vintage_rule(store: Store) -> None:
    path = nominal_gdp_path(store, date(2025, 1, 1))
    assert path.econ_vintage == date(2025, 1, 1)
    # CBO Jan 2025 quarterly nominal GDP (SAAR): 2024Q4 29,669.56; 2025Q1–Q3 29,985.00, 30,293.90, 30,596.12
    assert path.fiscal_year(2025) == pytest.approx((29669.56 + 29985.00 + 30293.90 + 30596.12) / 4, rel=1e-6)
    assert path.last_projected_year == 2035
    # a baseline between the two economic vintages uses the earlier one (matches or precedes)
    assert nominal_gdp_path(store, date(2025, 9, 1)).econ_vintage == date(2025, 1, 1)


def test_older_baseline_falls_back_and_says_so(store: Store) -> None:
    path = nominal_gdp_path(store, date(2017, 1, 1))
    assert path.econ_vintage is None and path.last_actual_year == 2016
    assert path.long_run_growth == DEFAULT_NOMINAL_GROWTH
    assert "fallback" in path.source
    assert path.fiscal_year(2020) == pytest.approx(path.fiscal_year(2016) * 1.04**4)
    override = nominal_gdp_path(store, date(2026, 2, 1), nominal_growth=0.05)
    assert override.econ_vintage is None and "scenario" in override.source


def test_monthly_path_averages_to_fiscal_years(store: Store) -> None:
    path = nominal_gdp_path(store, date(2026, 2, 1))
    months = pd.period_range("2025-10", periods=132, freq="M")
    monthly = path.monthly(months)
    assert np.all(np.diff(np.log(monthly)) > 0)
    for i, year in enumerate(range(2026, 2037)):
        assert monthly[12 * i : 12 * (i + 1)].mean() == pytest.approx(path.fiscal_year(year), rel=1e-3)


def test_calibrated_baseline_carries_cbo_gdp(geostress_home: Path) -> None:
    from geostress.calibrate.fiscal import calibrate_baseline
    from geostress.model.fiscal import simulate

    calib = calibrate_baseline(Store(), date(2026, 2, 1), fit_years=(2026,))
    assert calib.gdp is not None and calib.gdp.econ_vintage == date(2026, 2, 1)
    out = simulate(calib.book, calib.paths, calib.params)
    gdp = out.annual_field("gdp")[0]
    assert gdp[list(out.fiscal_years).index(2036)] == pytest.approx(calib.gdp.fiscal_year(2036), rel=1e-3)


def test_run_summary_names_the_gdp_source(geostress_home: Path) -> None:
    from geostress.run.engine import run_scenario
    from geostress.spec.scenario import load_scenario

    spec = load_scenario("baseline").with_overrides(**{"simulation.paths": 0, "scenario.horizon_years": 11})
    summary = run_scenario(spec).summary()
    assert "CBO economic projections (February 2026)" in summary["gdp_source"]
    older = spec.with_overrides(**{"scenario.baseline": "cbo:2017-01"})
    assert "fallback" in run_scenario(older).summary()["gdp_source"]
