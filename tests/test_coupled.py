"""The coupled loop: sales, announcements and contagion → market term premium → fiscal engine."""

from __future__ import annotations

import numpy as np
import pytest

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.run.engine import run_scenario
from geostress.spec.scenario import ScenarioSpec, parse_scenario


def spec(**sections: object) -> ScenarioSpec:
    data: dict[str, object] = {"scenario": {"horizon_years": 12}, "simulation": {"paths": 0}}
    data.update(sections)
    return parse_scenario(data)


CHINA = {"holder": "china_mainland_official", "amount_bn": 300, "months": 12}


def test_zero_sale_equals_the_fiscal_baseline_exactly(store: Store) -> None:
    plain = run_scenario(spec(), store=store)
    coupled = run_scenario(spec(market={"enabled": True}), store=store)
    assert coupled.coupled is not None
    np.testing.assert_array_equal(coupled.coupled.scenario.annual, coupled.coupled.twin.annual)
    np.testing.assert_array_equal(coupled.deterministic.annual, plain.deterministic.annual)
    assert coupled.headline()["peak_10y_change_bp"] == 0.0
    assert np.all(coupled.coupled.term_premium_bp == 0.0)


def test_china_sells_300bn_is_tens_of_bp_at_most(store: Store) -> None:
    """The evidence: ≈1 bp per $100bn persistent plus a fading flow effect (MARKET_EVIDENCE.md §1)."""
    result = run_scenario(spec(sales=[CHINA]), store=store)
    head = result.headline()
    assert 3.0 < head["peak_10y_change_bp"] < 60.0
    assert 0.6 * 3 * 0.8 < head["persistent_10y_change_bp"] < 2.7 * 3
    assert head["peak_10y_change_bp_backstop_off"] >= head["peak_10y_change_bp"]
    assert 0.0 < head["added_net_interest_10y_bn"] < 150.0  # was $1,091bn with the old block
    assert result.coupled.sold_bn[0] == pytest.approx(300.0)


def test_contagion_off_sells_exactly_the_schedule(store: Store) -> None:
    result = run_scenario(spec(sales=[{**CHINA, "amount_bn": 120}], announcements=[{"month": 2, "amount_bn": 0.1}]),
                          store=store)
    assert result.coupled.sold_bn[0] == pytest.approx(120.1, abs=1e-9)
    assert result.coupled.cascade_share[0] == 0.0


@pytest.mark.parametrize("amounts", [(25.0, 50.0), (50.0, 200.0), (200.0, 700.0)])
def test_larger_sales_never_lower_yields(store: Store, amounts: tuple[float, float]) -> None:
    small, large = (run_scenario(spec(sales=[{"holder": "japan_official", "amount_bn": a, "months": 6}]),
                                 store=store) for a in amounts)
    y_small = small.deterministic.monthly_field("yield_10y")[0]
    y_large = large.deterministic.monthly_field("yield_10y")[0]
    assert np.all(y_large >= y_small - 1e-12)
    assert large.headline()["peak_10y_change_bp"] > small.headline()["peak_10y_change_bp"] > 0


def test_backstop_on_never_raises_the_peak_and_can_be_switched_off(store: Store) -> None:
    sale = {"holder": "japan_official", "amount_bn": 600, "months": 2}
    on = run_scenario(spec(sales=[sale]), store=store)
    off = run_scenario(spec(sales=[sale], market={"backstop": False}), store=store)
    assert on.headline()["peak_10y_change_bp"] < off.headline()["peak_10y_change_bp"]
    # the side-by-side figure of the backstop-on run is the backstop-off run's own figure
    assert on.headline()["peak_10y_change_bp_backstop_off"] == pytest.approx(off.headline()["peak_10y_change_bp"])
    assert on.coupled.backstop_bn[0] > 0 and off.coupled.backstop_bn[0] == 0


def test_fixed_parameters_override_the_priors(store: Store) -> None:
    low = run_scenario(spec(sales=[CHINA], market={"persistent_bp_per_pp": 2.0}), store=store)
    high = run_scenario(spec(sales=[CHINA], market={"persistent_bp_per_pp": 8.0}), store=store)
    assert high.headline()["persistent_10y_change_bp"] > 3.0 * low.headline()["persistent_10y_change_bp"]


def test_ensemble_headline_has_ranges_over_parameter_draws(store: Store) -> None:
    result = run_scenario(spec(simulation={"paths": 300, "seed": 3}, sales=[{**CHINA, "amount_bn": 100}]),
                          store=store)
    head = result.summary()
    for key in ("peak_10y_change_bp", "added_net_interest_10y_bn", "persistent_10y_change_bp"):
        assert head[f"{key}_p05"] <= head[key] <= head[f"{key}_p95"], key
        assert head[f"{key}_p05"] < head[f"{key}_p95"], key  # parameter uncertainty shows
    for key in ("debt_gdp_10y_p50", "debt_gdp_10y_p90", "debt_gdp_30y_p50", "cascade_share", "paths", "seed",
                "peak_10y_change_bp_backstop_off"):
        assert key in head
    assert head["paths"] == 300 and head["seed"] == 3
    assert head["added_net_interest_10y_bn"] > 0
    assert set(result.coupled.draws) >= {"persistent_bp_per_pp", "flow_bp_per_pp"}


def test_draws_do_not_depend_on_chunking(store: Store) -> None:
    from geostress.run.coupled import holders_for, run_coupled_chunks
    from geostress.run.engine import scenario_inputs

    s = spec(sales=[CHINA], scenario={"horizon_years": 3})
    calib, paths, macro, _ = scenario_inputs(s, store)
    holders = holders_for(store, calib)
    one = run_coupled_chunks(calib, paths, macro, s, holders, n_paths=2500, seed=9, chunk_paths=2500)
    many = run_coupled_chunks(calib, paths, macro, s, holders, n_paths=2500, seed=9, chunk_paths=1000)
    np.testing.assert_array_equal(one.draws["flow_bp_per_pp"], many.draws["flow_bp_per_pp"])
    np.testing.assert_allclose(one.peak_10y_change_bp, many.peak_10y_change_bp, rtol=1e-12)


def test_contagion_plugs_in_through_its_step(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop hands the contagion block its signals and sells what it returns (share × class holdings)."""
    from geostress.model import contagion as cg
    from geostress.run import coupled

    seen: list[cg.Signals] = []

    def fake_step(state, signals, draws):  # type: ignore[no-untyped-def]
        seen.append(signals)
        share = np.zeros((state.n_paths, 3))
        share[:, 1] = 0.001 if (len(seen) - 1) % 144 == 1 else 0.0  # foreign private sell 0.1% in month 2 of each pass
        return state, share

    monkeypatch.setattr(coupled.cg, "step", fake_step)
    result = run_scenario(spec(contagion={"enabled": True}, sales=[{**CHINA, "amount_bn": 60, "months": 1}],
                               announcements=[{"month": 1, "intensity": 1.0}]), store=store)
    holders = coupled.holders_for(store, result.calibration)
    expected = 60.0 + 0.001 * holders.class_holdings()[1]
    assert result.coupled.sold_bn[0] == pytest.approx(expected)
    assert np.asarray(seen[0].announcement) == 1.0 and np.asarray(seen[1].announcement) == 0.0
    assert float(np.asarray(seen[1].d_tp_10y_bp)[0]) > 0  # month 1's sale raised the premium
    assert float(np.asarray(seen[1].peer_sell_share)[0]) == pytest.approx(60.0 / holders.total)


@pytest.mark.parametrize(
    ("sales", "message"),
    [
        ([{"holder": "china", "amount_bn": 10}], "did you mean"),
        ([{"holder": "china_mainland_official", "amount_bn": 5000}], "exceeds its holdings"),
        ([{"holder": "japan_official", "amount_bn": 10, "months": 12, "start_month": 150}], "past the horizon"),
    ],
)
def test_bad_sales_are_refused_before_the_run(store: Store, sales: list, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        run_scenario(spec(sales=sales), store=store)


def test_shipped_coupled_scenarios_are_coupled() -> None:
    from geostress.spec.scenario import load_scenario

    names = ("china-sells-300bn", "china-sells-all", "pension-announcement", "contagion", "japan-also-sells",
             "reserves-china-reallocates")
    for name in names:
        assert load_scenario(name).coupled, name
    assert not load_scenario("baseline").coupled


def test_small_runs_on_the_calling_thread_give_the_same_numbers(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """serial_kernels only changes where numba runs: a small run is identical with and without the thread pool,
    and the thread setting is restored afterwards."""
    import numba

    import geostress.run.coupled as coupled

    run = spec(contagion={"enabled": True}, sales=[CHINA], simulation={"paths": 20, "seed": 5})
    before = numba.get_num_threads()
    serial = run_scenario(run, store=store)
    assert numba.get_num_threads() == before
    monkeypatch.setattr(coupled, "SERIAL_PATHS", 0)  # now even one path uses the pool
    pooled = run_scenario(run, store=store)
    np.testing.assert_allclose(serial.coupled.scenario.annual, pooled.coupled.scenario.annual, rtol=1e-12)
    np.testing.assert_array_equal(serial.coupled.cascade_share, pooled.coupled.cascade_share)
    with coupled.serial_kernels(True):
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == before


def test_fiscal_news_read_inside_the_loop_tracks_the_fiscal_engine(store: Store) -> None:
    """news_t = k · d_t · y_{t−1} against the engine's own monthly change in debt/GDP for the same market path."""
    from geostress.model.fiscal import simulate
    from geostress.run import coupled
    from geostress.run.engine import scenario_inputs

    s = spec(sales=[CHINA, {"holder": "japan_official", "amount_bn": 200, "months": 12, "start_month": 7}])
    calib, paths, macro, _ = scenario_inputs(s, store)
    holders = coupled.holders_for(store, calib)
    sched = coupled.schedule(s, holders, paths.months)
    params = coupled.market_priors(s).medians(coupled.stabilisers_for(s))
    path = coupled.market_pass(sched, params, None, holders.class_holdings(), holders.total, paths.gdp, 1).yield_bp[:, 0]
    base = simulate(calib.book, paths, calib.params, macro, record_monthly=True)
    bumped = simulate(calib.book, paths, calib.params, macro, record_monthly=True, market_term_premium=path / 1e4)
    ratio = lambda o: o.monthly_field("debt")[0] / o.monthly_field("gdp")[0]  # noqa: E731
    engine = np.diff(100.0 * (ratio(bumped) - ratio(base)), prepend=0.0)
    k = coupled.news_coefficient(calib, paths, macro)
    proxy = k * np.concatenate([[0.0], path[:-1]])
    assert 2e-4 < k[0] / (calib.book.total / paths.gdp[0]) < 6e-4
    assert proxy[:24].sum() == pytest.approx(engine[:24].sum(), rel=0.2)
    assert proxy.sum() == pytest.approx(engine.sum(), rel=0.3)


def test_market_pass_in_blocks_equals_one_pass_row_for_row(store: Store) -> None:
    """Blocks of paths on two threads give exactly the one pass's answer (contagion on, parameters drawn)."""
    from dataclasses import fields

    import geostress.run.coupled as cp
    from geostress.run.engine import scenario_inputs
    from geostress.spec.scenario import load_scenario

    scenario = load_scenario("contagion")
    calib, paths, macro, _ = scenario_inputs(scenario, store)
    holders = cp.holders_for(store, calib)
    n = cp.MARKET_BLOCK_PATHS + 123
    sched = cp.schedule(scenario, holders, paths.months)
    params = cp.draw_market(cp.market_priors(scenario), cp.stabilisers_for(scenario), 7, 0, n)
    draws = cp.draw_contagion(cp.contagion_priors(scenario, holders), 7, 0, n)
    news = cp.news_coefficient(calib, paths, macro)
    gdp = np.asarray(paths.gdp, dtype=float)
    args = (sched, params, draws, holders.class_holdings(), holders.total, gdp, n, news)
    whole, blocks = cp.market_pass(*args), cp.market_pass_blocks(*args)
    assert np.ptp(whole.yield_bp[-1]) > 0  # the draws differ by path
    for f in fields(cp.MarketPath):
        np.testing.assert_array_equal(getattr(blocks, f.name), getattr(whole, f.name), err_msg=f.name)
