"""Treasury market block: clearing, monotonicity, the Beltran and IMF calibration, holders from the store."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from geostress.calibrate.market import FinancialAccountsShares, build_holders
from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.model.market import (
    LOADING_5Y,
    MarketInputs,
    MarketParams,
    SectorSpec,
    clear_market,
    initial_state,
    respond,
    step,
)
from geostress.validate import run_all

TOY = (
    SectorSpec("official", 3900.0, "foreign_official", 0.05),
    SectorSpec("foreign_private", 5400.0, "foreign_private", 1.0),
    SectorSpec("fed", 4200.0, "fed", 0.0),
    SectorSpec("banks", 2000.0, "domestic", 0.6),
    SectorSpec("hedge_funds_households", 15400.0, "domestic", 2.0),
)
PARAMS = MarketParams(TOY)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("market-store"))  # reads the embedded snapshot


@pytest.fixture(scope="module")
def holders(store: Store):  # type: ignore[no-untyped-def]
    return build_holders(store)


def _tp_after(sales: np.ndarray, supply_dev: np.ndarray | float = 0.0) -> np.ndarray:
    return step(initial_state(PARAMS, sales.shape[0]), MarketInputs(sales, supply_dev), PARAMS).tp_10y_bp


# -- clearing -----------------------------------------------------------------------------------------------------
def test_clearing_solves_supply_equals_demand_on_many_paths() -> None:
    rng = np.random.default_rng(7)
    n, h, eps = 5000, PARAMS.holdings, PARAMS.semi_elasticity
    supply = h.sum() + rng.normal(0.0, 800.0, n)
    trust = rng.uniform(0.8, 1.1, (n, h.size))
    sold = rng.uniform(0.0, 0.2, (n, h.size)) * h
    x = clear_market(supply, h, eps, trust, sold)
    demand = np.sum(trust * h * np.exp(eps * x[:, None]) - sold, axis=1)
    assert x.shape == (n,)
    assert np.max(np.abs(demand - supply)) < 1e-6
    for i in range(0, n, 1000):  # agrees with scipy's scalar Brent
        ref = brentq(lambda v, i=i: np.sum(trust[i] * h * np.exp(eps * v) - sold[i]) - supply[i], -1e4, 1e4,
                     xtol=1e-12)
        assert x[i] == pytest.approx(ref, abs=1e-6)


def test_zero_sale_gives_exactly_zero() -> None:
    assert np.all(clear_market(np.full(3, PARAMS.holdings.sum()), PARAMS.holdings, PARAMS.semi_elasticity) == 0.0)
    state = initial_state(PARAMS, 4)
    for _ in range(3):
        state = step(state, MarketInputs(np.zeros(len(TOY)), 0.0), PARAMS)
    for part in (state.tp_10y_bp, state.tp_5y_bp, state.flow_bp, state.cleared_bp, state.stock_bp):
        assert np.all(part == 0.0)
    assert np.all(state.official_share == PARAMS.official_share0)
    assert np.all(respond(PARAMS, {"official": 0.0}, months=5) == 0.0)


@settings(max_examples=150, deadline=None)
@given(
    sector=st.integers(0, len(TOY) - 1),
    a=st.floats(0.0, 1.0),
    b=st.floats(0.0, 1.0),
    other=st.floats(-0.1, 0.1),
    supply=st.floats(-3000.0, 3000.0),
)
def test_larger_sales_never_lower_yields(sector: int, a: float, b: float, other: float, supply: float) -> None:
    small, large = sorted((a, b))
    sales = np.full((2, len(TOY)), other) * PARAMS.holdings * 0.1
    sales[0, sector] = small * PARAMS.holdings[sector]
    sales[1, sector] = large * PARAMS.holdings[sector]
    tp = _tp_after(sales, supply)
    assert tp[1] >= tp[0] - 1e-9
    # ... and in every later month too
    state = step(initial_state(PARAMS, 2), MarketInputs(sales, supply), PARAMS)
    for _ in range(6):
        state = step(state, MarketInputs(0.0, supply), PARAMS)
        assert state.tp_10y_bp[1] >= state.tp_10y_bp[0] - 1e-9


@settings(max_examples=150, deadline=None)
@given(a=st.floats(-5000.0, 5000.0), b=st.floats(-5000.0, 5000.0), sale=st.floats(0.0, 500.0))
def test_more_supply_never_lowers_yields(a: float, b: float, sale: float) -> None:
    small, large = sorted((a, b))
    sales = PARAMS.sales_vector({"official": sale})
    tp = _tp_after(np.tile(sales, (2, 1)), np.array([small, large]))
    assert tp[1] >= tp[0] - 1e-9


# -- calibration --------------------------------------------------------------------------------------------------
def test_beltran_checks_pass(store: Store) -> None:
    results = run_all(store, ids=["beltran_5y_impact_bp", "beltran_5y_longrun_bp"])
    assert [r["id"] for r in results] == ["beltran_5y_impact_bp", "beltran_5y_longrun_bp"]
    assert all(r["passed"] for r in results), results
    impact, longrun = (float(r["value"]) for r in results)  # type: ignore[arg-type]
    assert 40.0 <= impact <= 60.0 and 15.0 <= longrun <= 25.0


@pytest.mark.parametrize(("impact", "longrun"), [(40.0, 15.0), (50.0, 20.0), (60.0, 25.0), (45.0, 20.0)])
def test_impact_and_longrun_are_set_by_parameters(holders, impact: float, longrun: float) -> None:  # type: ignore
    params = holders.params(impact_5y_bp_per_100bn=impact, longrun_5y_bp_per_100bn=longrun)
    path = respond(params, {"foreign_official": 100.0}, months=48)
    assert path[0, 1] == pytest.approx(impact, rel=0.01)
    assert path[-1, 1] == pytest.approx(longrun, rel=0.01)
    assert np.all(np.diff(path[:, 1]) <= 1e-12)  # the price pressure decays monotonically
    assert np.allclose(path[:, 1], LOADING_5Y * path[:, 0])


def test_flow_pressure_half_life(holders) -> None:  # type: ignore[no-untyped-def]
    params = holders.params(flow_half_life_months=4.0)
    state = step(initial_state(params, 1), MarketInputs(params.sales_vector({"foreign_official": 100.0})), params)
    first = state.flow_bp[0]
    for _ in range(4):
        state = step(state, MarketInputs(), params)
    assert state.flow_bp[0] == pytest.approx(first / 2.0, rel=1e-12)


@pytest.mark.parametrize("k", [2.0, 2.2, 2.4])
def test_stock_effect_bp_per_pp_of_official_share(holders, k: float) -> None:  # type: ignore[no-untyped-def]
    params = holders.params(stock_bp_per_pp=k)
    supply_dev = params.holdings.sum() * 0.08  # official holders keep their bonds: their share falls ≈1 pp
    state = step(initial_state(params, 1), MarketInputs(0.0, supply_dev), params)
    fall_pp = 100.0 * (params.official_share0 - state.official_share[0])
    assert 0.8 < fall_pp < 1.2
    assert state.stock_bp[0] / fall_pp == pytest.approx(k, rel=1e-9)


def test_parameters_outside_documented_ranges_are_refused() -> None:
    for kwargs in ({"impact_5y_bp_per_100bn": 70.0}, {"stock_bp_per_pp": 2.5}, {"longrun_5y_bp_per_100bn": 5.0},
                   {"impact_5y_bp_per_100bn": 40.0, "longrun_5y_bp_per_100bn": 45.0},
                   {"flow_half_life_months": float("nan")}):
        with pytest.raises(ScenarioError):
            MarketParams(TOY, **kwargs)


# -- holders from the store ---------------------------------------------------------------------------------------
def test_holders_match_the_published_totals(holders, store: Store) -> None:  # type: ignore[no-untyped-def]
    table = holders.table()
    official = table.loc[table.group == "foreign_official", "holdings"].sum()
    foreign = table.loc[table.group.str.startswith("foreign"), "holdings"].sum()
    assert official == pytest.approx(3887.0, abs=1e-6)  # TIC Dec-2025 (CALIBRATION.md §C)
    assert foreign == pytest.approx(9271.0, abs=1e-6)
    assert holders.total == pytest.approx(holders.debt_held_by_public, rel=1e-12)
    assert table.loc[table.name == "fed", "holdings"].item() == holders.fed > 4000.0
    assert (table.holdings >= 0).all() and table.name.is_unique and table.source.str.len().gt(0).all()
    assert {"japan_official", "china_mainland_official", "china_mainland_private"} <= set(table.name)
    assert 0.10 < holders.official_share < 0.15
    assert "L.210" in FinancialAccountsShares().citation


# -- bad inputs ---------------------------------------------------------------------------------------------------
def test_selling_more_than_owned_is_refused() -> None:
    sales = PARAMS.sales_vector({"official": 3900.5})
    with pytest.raises(ScenarioError, match="holds only"):
        step(initial_state(PARAMS, 1), MarketInputs(sales), PARAMS)
    state = step(initial_state(PARAMS, 1), MarketInputs(PARAMS.sales_vector({"official": 3000.0})), PARAMS)
    with pytest.raises(ScenarioError, match="'official' sells"):
        step(state, MarketInputs(PARAMS.sales_vector({"official": 1000.0})), PARAMS)


def test_unknown_holder_suggests_close_matches(holders) -> None:  # type: ignore[no-untyped-def]
    params = holders.params()
    with pytest.raises(ScenarioError, match="did you mean: china_mainland_") as err:
        params.sales_vector({"China": 10.0})
    assert "china_mainland_private" in str(err.value) and "china_mainland_official" in str(err.value)
    with pytest.raises(ScenarioError, match="did you mean"):
        params.index("japan_oficial")


def test_negative_elasticity_and_nan_are_refused() -> None:
    with pytest.raises(ScenarioError, match="must not be negative"):
        SectorSpec("x", 100.0, "domestic", -0.5)
    with pytest.raises(ScenarioError, match="finite"):
        SectorSpec("x", float("nan"), "domestic", 0.5)
    with pytest.raises(ScenarioError, match="group"):
        SectorSpec("x", 100.0, "aliens", 0.5)
    with pytest.raises(ScenarioError, match="negative"):
        clear_market(100.0, np.array([100.0]), np.array([-1e-4]))
    with pytest.raises(ScenarioError, match="NaN"):
        clear_market(np.array([100.0, np.nan]), np.array([100.0]), np.array([1e-4]))
    with pytest.raises(ScenarioError, match="NaN"):
        step(initial_state(PARAMS, 2), MarketInputs(np.full(len(TOY), np.nan)), PARAMS)
    with pytest.raises(ScenarioError, match="finite"):
        PARAMS.sales_vector({"official": float("nan")})
    with pytest.raises(ScenarioError, match="do not fit"):
        step(initial_state(PARAMS, 2), MarketInputs(np.zeros(3)), PARAMS)
    with pytest.raises(ScenarioError, match="positive elasticity"):
        MarketParams((SectorSpec("fed", 100.0, "fed", 0.0),))


def test_market_that_cannot_clear_raises() -> None:
    # Supply falls below what the inelastic holder keeps whatever the price: no term premium clears the market.
    params = MarketParams((SectorSpec("a", 1e4, "foreign_official", 0.0), SectorSpec("b", 1e4, "domestic", 1.0)))
    with pytest.raises(ScenarioError, match="cannot clear"):
        step(initial_state(params, 1), MarketInputs(0.0, -15000.0), params)


def test_trust_scales_demand_like_a_sale_in_the_clearing_part() -> None:
    trust = np.ones(len(TOY))
    trust[0] = 0.9  # official holders lose trust: demand 10% lower, 390 bn, at every term premium
    by_trust = step(initial_state(PARAMS, 1), MarketInputs(0.0, 0.0, trust), PARAMS)
    by_sale = step(initial_state(PARAMS, 1), MarketInputs(PARAMS.sales_vector({"official": 390.0})), PARAMS)
    assert by_trust.tp_10y_bp[0] > 0.0
    assert by_trust.flow_bp[0] == 0.0  # a trust shift is not a sale: no one-month price pressure
    assert by_trust.cleared_bp[0] == pytest.approx(by_sale.cleared_bp[0], rel=1e-3)
    assert by_trust.fiscal_market_tp[0] == pytest.approx(by_trust.tp_10y_bp[0] / 1e4)
