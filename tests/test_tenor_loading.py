"""The fiscal engine's term-premium tenor curve and the 5-year loading it shares with the market block (issue 14).

``market.loading_5y`` is the 5-year knot of :func:`geostress.model.fiscal.term_premium_loading`: it reaches the
interest of ``geostress run`` (it used to change no output), takes one value on every path (one tenor curve serves
them all) and defaults to the market prior's median.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.model import market as mk
from geostress.model.fiscal import (
    TEN_YEAR,
    TENOR_MONTHS,
    TENOR_NAMES,
    BaselinePaths,
    FiscalParams,
    InitialBook,
    default_loading_5y,
    simulate,
    term_premium_loading,
)
from geostress.run.engine import run_scenario
from geostress.spec.scenario import ScenarioSpec, parse_scenario

K = len(TENOR_NAMES)
FIVE_YEAR = TENOR_NAMES.index("note_5y")
CHINA = {"holder": "china_mainland_official", "amount_bn": 300, "months": 12}


# -- the curve ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("loading", [0.0, 0.3, 0.5, 0.65, 0.8, 1.0, 1.5])
def test_the_curve_passes_through_its_knots(loading: float) -> None:
    months = np.array([0, 60, 120])
    np.testing.assert_allclose(term_premium_loading(months, loading), [0.0, loading, 1.0], rtol=0, atol=1e-15)
    tenors = term_premium_loading(TENOR_MONTHS, loading)
    assert tenors[FIVE_YEAR] == pytest.approx(loading, abs=1e-15)
    assert tenors[TEN_YEAR] == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("loading", [0.0, 0.5, 0.65, 1.2])
def test_the_curve_is_linear_between_knots_and_keeps_the_flatter_rise_beyond_ten_years(loading: float) -> None:
    months = np.arange(0, 361)
    curve = term_premium_loading(months, loading)
    np.testing.assert_allclose(curve[:61], loading * months[:61] / 60.0, rtol=0, atol=1e-14)
    np.testing.assert_allclose(curve[60:121], loading + (1.0 - loading) * (months[60:121] - 60) / 60.0, atol=1e-14)
    np.testing.assert_allclose(curve[120:], 1.0 + 0.25 * (months[120:] - 120) / 240.0, rtol=0, atol=1e-14)
    assert curve[360] == pytest.approx(1.25)


def test_a_loading_of_one_half_is_the_old_straight_line() -> None:
    months = np.arange(0, 121)
    np.testing.assert_allclose(term_premium_loading(months, 0.5), months / 120.0, rtol=0, atol=1e-15)


@pytest.mark.parametrize("loading", [0.0, 0.5, 0.65, 0.8, 1.0])
def test_the_curve_is_monotone_for_loadings_up_to_one(loading: float) -> None:
    assert np.all(np.diff(term_premium_loading(np.arange(0, 361), loading)) >= 0.0)


def test_the_default_is_the_market_prior_median() -> None:
    median = mk.MarketPriors().loading_5y.median
    assert default_loading_5y() == median == pytest.approx(0.65)
    np.testing.assert_array_equal(term_premium_loading(TENOR_MONTHS), term_premium_loading(TENOR_MONTHS, median))
    assert FiscalParams(np.full(K, 1 / K)).term_premium_loading_5y == median


@pytest.mark.parametrize("bad", [-0.1, 1.6, float("nan"), float("inf")])
def test_a_loading_outside_its_bounds_is_refused(bad: float) -> None:
    with pytest.raises(ScenarioError, match="loading at 5 years"):
        term_premium_loading(TENOR_MONTHS, bad)
    with pytest.raises(ScenarioError, match="loading at 5 years"):
        FiscalParams(np.full(K, 1 / K), term_premium_loading_5y=bad)


# -- the engine ---------------------------------------------------------------------------------------------------
def _flat_paths(months: int = 36, rate: float = 0.04) -> BaselinePaths:
    return BaselinePaths(
        yields=np.full((months, K), rate), primary_deficit=np.full(months, 10.0), other_financing=np.zeros(months),
        revenue=np.full(months, 400.0), gdp=3000.0 * 1.0025 ** np.arange(months), short_rate=np.full(months, rate),
        fiscal_year=2026 + np.arange(months) // 12,
    )  # fmt: skip


def test_the_engine_prices_a_five_year_issue_at_the_loading_closed_form() -> None:
    """All borrowing at 5 years under a constant 20 bp premium: the economy reads only the 10-year yield (loading
    1 whatever the knot), so month 1's borrowing is the same for any loading and month 2's interest differs by
    borrowing × premium × Δloading / 12."""
    shares = np.zeros(K)
    shares[FIVE_YEAR] = 1.0
    book = InitialBook(np.array([1, 60, 240]), np.array([500.0, 800.0, 400.0]), np.full(3, 0.04))
    paths, premium = _flat_paths(), 20.0 / 1e4
    out = {}
    for loading in (0.5, 0.65, 0.9):
        run = simulate(book, paths, FiscalParams(shares, term_premium_loading_5y=loading), record_monthly=True,
                       market_term_premium=np.full(paths.months, premium))
        out[loading] = (run.monthly_field("interest")[0], run.monthly_field("deficit")[0])
    borrowed = 500.0 + out[0.5][1][0]  # the maturing cohort plus the first month's deficit
    for loading in (0.65, 0.9):
        assert out[loading][1][0] == out[0.5][1][0]  # month 1 does not depend on the loading
        extra = out[loading][0][1] - out[0.5][0][1]
        assert extra == pytest.approx(borrowed * premium * (loading - 0.5) / 12.0, rel=1e-12)


def test_the_loading_shapes_the_macro_term_premium_too() -> None:
    """A term-premium shock's maturity profile does not depend on its cause: the AR(1) macro premium is priced
    with the same curve (shocks on the term-premium channel only)."""
    from geostress.model.fiscal import SHOCKS, MacroParams

    chol = np.zeros((5, 5))
    chol[3, 3] = 0.002
    macro = MacroParams(shock_chol=chol)
    paths = _flat_paths(60)
    z = np.zeros((4, paths.months, len(SHOCKS)))
    z[:, :, 3] = np.random.default_rng(3).standard_normal((4, paths.months))
    book = InitialBook(np.array([1, 60]), np.array([900.0, 800.0]), np.full(2, 0.04))
    interest = {}
    for loading in (0.5, 0.65):
        run = simulate(book, paths, FiscalParams(np.full(K, 1 / K), term_premium_loading_5y=loading), macro,
                       shocks=z)
        interest[loading] = run.annual_field("interest")
    assert not np.allclose(interest[0.5], interest[0.65])


# -- the market block: one value on every path ---------------------------------------------------------------------
def test_the_loading_is_not_drawn_and_the_other_draws_are_unchanged() -> None:
    assert "loading_5y" in mk.FIXED_ON_EVERY_PATH
    assert "loading_5y" not in mk.UNCERTAIN
    assert set(mk.UNCERTAIN) == {f.name for f in fields(mk.MarketPriors)} - set(mk.FIXED_ON_EVERY_PATH)
    draws = mk.draw_params(None, np.random.default_rng(11), 500)
    np.testing.assert_array_equal(draws.loading_5y, np.full(500, mk.MarketPriors().loading_5y.median))
    fixed = mk.draw_params(mk.MarketPriors().with_overrides(loading_5y=0.9), np.random.default_rng(11), 500)
    np.testing.assert_array_equal(fixed.loading_5y, np.full(500, 0.9))
    for name in mk.UNCERTAIN:  # (the fixed parameter still takes its uniforms: nothing else moves)
        np.testing.assert_array_equal(getattr(draws, name), getattr(fixed, name), err_msg=name)
    # the stream as it was drawn when loading_5y was drawn: the same numbers for every other parameter
    rng = np.random.default_rng(11)
    for f in fields(mk.MarketPriors):
        values = getattr(mk.MarketPriors(), f.name).draw(rng, 500)
        if f.name not in mk.FIXED_ON_EVERY_PATH:
            np.testing.assert_array_equal(getattr(draws, f.name), values, err_msg=f.name)


def test_the_drivers_table_has_no_label_for_it() -> None:
    from geostress.report.sections.market import DRIVER_LABELS

    assert "loading_5y" not in DRIVER_LABELS


# -- geostress run ------------------------------------------------------------------------------------------------
def _spec(loading: float | None, paths: int = 0) -> ScenarioSpec:
    market: dict[str, object] = {} if loading is None else {"loading_5y": loading}
    return parse_scenario({"scenario": {"horizon_years": 12}, "simulation": {"paths": paths}, "sales": [CHINA],
                           "market": market})


def test_run_added_interest_follows_market_loading_5y(store: Store) -> None:
    """The knob reaches the fiscal engine: more of the premium at 5 years, more interest (it changed nothing
    before issue 14); unset, it is the prior's median."""
    added = {}
    for loading in (None, 0.0, 0.5, 0.65, 1.5):
        result = run_scenario(_spec(loading), store=store)
        expected = mk.MarketPriors().loading_5y.median if loading is None else loading
        assert result.calibration.params.term_premium_loading_5y == expected
        added[loading] = result.headline()["added_net_interest_10y_bn"]
    assert added[0.0] < added[0.5] < added[0.65] < added[1.5]
    assert added[None] == added[0.65]
    assert added[0.65] / added[0.5] == pytest.approx(1.2, abs=0.1)  # tenors under 10 years carry more


def test_every_caller_of_the_scenario_inputs_gets_the_specs_loading(store: Store) -> None:
    """The loading is applied where the calibration is handed out (as the fiscal risk premium is), so the
    validation experiments and tipping scans that call ``scenario_inputs`` price with the spec's curve too."""
    from geostress.run.engine import scenario_inputs

    for loading, expected in ((0.8, 0.8), (None, mk.MarketPriors().loading_5y.median)):
        calib, *_ = scenario_inputs(_spec(loading), store)
        assert calib.params.term_premium_loading_5y == expected


def test_a_stochastic_run_decomposes_over_drawn_parameters_only(store: Store) -> None:
    result = run_scenario(_spec(None, paths=16), store=store)
    assert result.coupled is not None
    assert "loading_5y" not in result.coupled.draws
    assert set(mk.UNCERTAIN) <= set(result.coupled.draws)
    with_knob = run_scenario(_spec(0.8, paths=16), store=store)
    assert with_knob.coupled is not None
    np.testing.assert_array_equal(with_knob.coupled.peak_10y_change_bp, result.coupled.peak_10y_change_bp)
    assert (with_knob.headline()["added_net_interest_10y_bn"] > result.headline()["added_net_interest_10y_bn"])
