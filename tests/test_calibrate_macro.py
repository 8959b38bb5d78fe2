"""Macro shock covariance and rate pass-through estimated from the embedded snapshot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geostress.calibrate.macro import (
    averaging_factor,
    estimate_pass_through,
    estimate_shock_covariance,
    nearest_psd,
)
from geostress.data.store import Store
from geostress.errors import DataError
from geostress.model.fiscal import SHOCKS, MacroParams


@pytest.fixture(scope="module")
def snapshot_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The embedded snapshot over an empty home (module-scoped twin of the ``geostress_home`` fixture)."""
    return Store(tmp_path_factory.mktemp("geostress-home"))


@pytest.fixture(scope="module")
def estimate(snapshot_store: Store):
    return estimate_shock_covariance(snapshot_store)


@pytest.fixture(scope="module")
def pass_through(snapshot_store: Store):
    return estimate_pass_through(snapshot_store)


def test_covariance_is_symmetric_psd_and_matches_cholesky(estimate) -> None:
    cov, chol = estimate.covariance, estimate.chol
    assert cov.shape == chol.shape == (5, 5)
    np.testing.assert_allclose(cov, cov.T, atol=0)
    assert np.linalg.eigvalsh(cov).min() > 0
    np.testing.assert_allclose(chol @ chol.T, cov, rtol=1e-12, atol=1e-18)
    np.testing.assert_array_equal(np.triu(chol, 1), 0.0)
    assert estimate.shocks == SHOCKS
    MacroParams(shock_chol=estimate.chol)  # accepted by the model
    assert np.array_equal(estimate.macro_params().shock_chol, estimate.chol)


def test_magnitudes_are_plausible(estimate) -> None:
    std = estimate.std
    assert 0.0005 <= std["short_rate"] <= 0.0060  # 5–60 bp a month
    annual_real = 4.0 * estimate.quarterly_residual_std["real_growth"]
    assert 0.005 <= annual_real <= 0.05
    assert 0.0005 <= std["term_premium"] <= 0.0060
    assert 0.001 <= std["growth"] <= 0.01  # output-gap level, per month
    assert 0.0005 <= std["primary_balance"] <= 0.02  # share of GDP at an annual rate, per month
    corr = estimate.correlation
    assert np.all(np.abs(corr) <= 1.0 + 1e-12)
    assert corr[2, 3] < 0  # a bill-rate surprise narrows the 10y−3m spread
    assert estimate.n_obs > 100
    assert estimate.sample.startswith("1990-")


def test_deterministic_and_window(geostress_home: Path) -> None:
    store = Store()
    a = estimate_shock_covariance(store, end="2019-12-31")
    b = estimate_shock_covariance(store, end="2019-12-31")
    np.testing.assert_array_equal(a.chol, b.chol)
    assert a.sample == b.sample and a.sample.endswith("2019-12")
    assert a.method == b.method


def test_measured_split_uses_the_gdp_deflator(estimate, snapshot_store: Store) -> None:
    """CALIBRATION pins on the embedded snapshot (FRED GDP and GDPDEF, BEA; 1990Q2..2026Q1 less 2020Q1–2021Q2).

    Quarterly VAR residual s.d.: real growth 0.513%, deflator inflation 0.214% (quarterly log changes): real
    activity carries 85% of the news variance of nominal growth, against the 80% that was assumed before.
    """
    assert "GDPDEF, measured" in estimate.method and "assumption" not in estimate.method
    q = estimate.quarterly_residual_std
    assert q["real_growth"] == pytest.approx(0.00513, rel=0.03)
    assert q["inflation"] == pytest.approx(0.00214, rel=0.03)
    assert q["real_growth"] ** 2 / (q["real_growth"] ** 2 + q["inflation"] ** 2) == pytest.approx(0.853, abs=0.02)
    assert estimate.std["growth"] == pytest.approx(0.00421, rel=0.03)
    assert estimate.std["inflation"] == pytest.approx(0.00175, rel=0.03)
    pce = estimate_shock_covariance(snapshot_store, price_index="fred.pcepi")
    assert "PCEPI, measured" in pce.method
    assert pce.quarterly_residual_std["inflation"] > q["inflation"]  # PCE carries energy swings the deflator damps
    with pytest.raises(DataError, match="price_index"):
        estimate_shock_covariance(snapshot_store, price_index="fred.gdp")


def test_real_share_moves_growth_into_inflation(geostress_home: Path) -> None:
    """The fallback for a store without a price index: the assumed split."""
    store = Store()
    lo = estimate_shock_covariance(store, end="2019-12-31", price_index=None, real_share=0.6)
    hi = estimate_shock_covariance(store, end="2019-12-31", price_index=None, real_share=0.9)
    assert "assumption" in hi.method
    assert hi.std["growth"] > lo.std["growth"]
    assert hi.std["inflation"] < lo.std["inflation"]
    assert hi.std["short_rate"] == pytest.approx(lo.std["short_rate"], rel=1e-9)
    with pytest.raises(DataError, match="real_share"):
        estimate_shock_covariance(store, price_index=None, real_share=1.0)


def test_pass_through_fits(pass_through) -> None:
    m, b = pass_through.mortgage, pass_through.baa
    assert 0.7 <= m.slope <= 1.3
    assert 0.7 <= b.slope <= 1.3
    assert m.r2 > 0.8 and m.n > 400 and m.sample.startswith("1990-01")
    # CALIBRATION: "30y mortgage − 10y Treasury: mean ≈1.7 pp since 1971"
    assert pass_through.mortgage_spread_since_1971 == pytest.approx(0.017, abs=0.003)
    assert 0.015 <= pass_through.baa10y_spread_mean <= 0.035
    y10 = np.array([0.02, 0.04, 0.06])
    np.testing.assert_allclose(pass_through.mortgage_rate(y10), m.intercept + m.slope * y10)
    np.testing.assert_allclose(pass_through.baa_rate(0.04), b.intercept + b.slope * 0.04)
    assert np.all(pass_through.mortgage_rate(y10) > y10)


def test_empty_store_names_missing_series(tmp_path: Path) -> None:
    empty = Store(tmp_path, include_snapshot=False)
    with pytest.raises(DataError, match="fred.gdp"):
        estimate_shock_covariance(empty)
    with pytest.raises(DataError, match="fred.mortgage30us"):
        estimate_pass_through(empty)


def test_helpers() -> None:
    assert averaging_factor(0.0, 0.0) == pytest.approx(1.0 / 3.0)
    assert averaging_factor(1.0, 1.0) == pytest.approx(14.0 / 9.0)
    bad = np.array([[1.0, 2.0], [2.0, 1.0]])  # eigenvalues 3, −1
    fixed = nearest_psd(bad)
    assert np.linalg.eigvalsh(fixed).min() > 0
    np.linalg.cholesky(fixed)
    good = np.array([[2.0, 0.5], [0.5, 1.0]])
    np.testing.assert_array_equal(nearest_psd(good), good)
