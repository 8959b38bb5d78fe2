"""The coupled loop: sales, announcements and contagion → market term premium → fiscal engine."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.results.coupled import CoupledOutput
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


#: Drawn paths of the path-wise property runs (parameter draws and fiscal shocks), and their seed: both runs of a
#: comparison share it, so each path meets the same draws and shocks in both.
PROPERTY_PATHS, PROPERTY_SEED = 100, 7
#: March 2020's liquidity shock in the first month: the backstop's dash-for-cash trigger and, with contagion on, the
#: fast runs.
DASH = [{"month": 1, "intensity": 1.0}]


def drawn(**sections: object) -> ScenarioSpec:
    """:func:`spec` on PROPERTY_PATHS drawn paths with PROPERTY_SEED."""
    return spec(simulation={"paths": PROPERTY_PATHS, "seed": PROPERTY_SEED}, **sections)


def same_paths(a: CoupledOutput, b: CoupledOutput) -> None:
    """Two coupled runs met the same fiscal shocks and market draws on every path (their no-event twins agree)."""
    np.testing.assert_array_equal(a.twin.annual, b.twin.annual)
    for name in ("persistent_bp_per_pp", "flow_bp_per_pp", "backstop_trigger_bp"):
        np.testing.assert_array_equal(a.draws[name], b.draws[name], err_msg=name)


@pytest.mark.parametrize("contagion", [False, True])
def test_zero_sale_equals_the_fiscal_baseline_on_every_drawn_path(store: Store, contagion: bool) -> None:
    """No event, 100 drawn paths (parameters and fiscal shocks), contagion off and on: every path's fiscal years
    are exactly its no-event twin's and exactly the fiscal-only ensemble's with the same seed (each path's ratios),
    and the market block produced exactly nothing (no premium, sale or backstop purchase)."""
    plain = run_scenario(drawn(), store=store, keep_paths=True)
    coupled = run_scenario(drawn(market={"enabled": True}, contagion={"enabled": contagion}), store=store,
                           keep_paths=True)
    out = coupled.coupled
    assert out is not None and out.scenario.annual.shape[0] == PROPERTY_PATHS
    assert plain.coupled is None and plain.ensemble is not None and coupled.ensemble is not None
    np.testing.assert_array_equal(out.scenario.annual, out.twin.annual)
    assert np.ptp(out.scenario.annual_field("yield_10y")[:, -1]) > 0  # the shocks differ by path
    assert set(plain.ensemble.per_path) == set(coupled.ensemble.per_path) and plain.ensemble.per_path
    for name, per_path in plain.ensemble.per_path.items():
        np.testing.assert_array_equal(coupled.ensemble.per_path[name], per_path, err_msg=name)
    assert not out.term_premium_bp.any() and not out.peak_10y_change_bp.any()
    assert not out.sold_bn.any() and not out.backstop_bn.any()


def test_china_sells_300bn_is_tens_of_bp_at_most(store: Store) -> None:
    """The evidence: ≈1 bp per $100bn persistent plus a fading flow effect (MARKET_EVIDENCE.md §1)."""
    result = run_scenario(spec(sales=[CHINA]), store=store)
    head = result.headline()
    assert 3.0 < head["peak_10y_change_bp"] < 60.0
    assert 0.6 * 3 * 0.8 < head["persistent_10y_change_bp"] < 2.7 * 3
    assert head["peak_10y_change_bp_backstop_off"] >= head["peak_10y_change_bp"]
    assert 0.0 < head["added_net_interest_10y_bn"] < 150.0  # was $1,091bn with the old block
    assert result.coupled.sold_bn[0] == pytest.approx(300.0)
    # the scale beside it (calibration, not validation: the fiscal engine is fitted to CBO's baseline): the no-event
    # twin's net interest over FY2026–35 is CBO's February-2026 projection's (≈$15.0tn) within 5%
    cbo = store.get("cbo.net_interest")
    years = pd.DatetimeIndex(cbo["period"]).year
    projected = float(cbo["value"][(years >= 2026) & (years <= 2035)].sum())
    assert head["twin_net_interest_10y_bn"] == pytest.approx(projected, rel=0.05)
    assert head["added_net_interest_10y_share"] == pytest.approx(
        head["added_net_interest_10y_bn"] / head["twin_net_interest_10y_bn"], rel=1e-9)  # one path: the ratio


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


@pytest.mark.parametrize("shocks", [[], DASH], ids=["orderly", "dash"])
@pytest.mark.parametrize("contagion", [False, True])
def test_larger_sales_never_lower_any_drawn_paths_annual_yields(store: Store, contagion: bool, shocks: list) -> None:
    """Japan (official) sells $100bn or $400bn, in one month or over six, on 100 drawn paths with the same seed
    (each path the same parameter draws and fiscal shocks in both runs), contagion off and on, orderly and inside
    a dash for cash: on every path no fiscal year's 10-year yield is lower with the larger sale (to 1e-12, a
    fraction: 1e-8 bp), and neither is the peak 10-year change."""
    for months in (1, 6):
        small, large = (run_scenario(drawn(sales=[{"holder": "japan_official", "amount_bn": amount, "months": months}],
                                           contagion={"enabled": contagion}, liquidity_shocks=shocks),
                                     store=store).coupled for amount in (100.0, 400.0))
        assert small is not None and large is not None
        same_paths(small, large)
        y_small, y_large = (out.scenario.annual_field("yield_10y") for out in (small, large))
        assert y_small.shape == (PROPERTY_PATHS, 12)
        assert np.all(y_large >= y_small - 1e-12), months
        assert np.all(large.peak_10y_change_bp >= small.peak_10y_change_bp - 1e-9), months
        if contagion:  # (the contagion block sells beside the schedule on some path: it is in the comparison)
            assert np.any(large.sold_bn > 400.0 + 1e-6)


@pytest.mark.parametrize("backstop", [False, True])
def test_coupled_contagion_has_no_knife_edge_and_larger_sales_never_lower_the_peak(store: Store,
                                                                                    backstop: bool) -> None:
    """The run stress reads last month's premium rise, which the classes' own selling causes: a loop beside the
    peer channel. Drawn parameters, contagion on, a one-month official sale scanned in $25bn steps: no path's
    peak falls as the sale grows, and no step adds more contagion selling by month 12 than the loop ceiling allows
    (tenfold the step; before the price loop was bounded one $25bn step added $1,350bn with no backstop, and a
    larger sale lowered a peak by 28 bp)."""
    import geostress.run.coupled as cp
    from geostress.run.engine import scenario_inputs
    from geostress.spec.scenario import load_scenario

    scenario = load_scenario("contagion")
    calib, paths, macro, _ = scenario_inputs(scenario, store)
    holders = cp.holders_for(store, calib)
    months, n = 36, 300
    news = cp.news_coefficient(calib, paths, macro)[:months]
    gdp = np.asarray(paths.gdp, dtype=float)[:months]
    params, draws = cp.draw_parameters(scenario, holders, True, 7, 0, n)
    params = params.with_stabilisers(backstop=backstop)
    peaks, sold = [], []
    step = 25.0
    for amount in np.arange(0.0, 626.0, step):
        flows = np.zeros((months, 5))
        flows[0, 0] = amount
        sched = cp.Schedule(flows, np.zeros(months), np.zeros(months), 1, 1, None)
        mp = cp.market_pass(sched, params, draws, holders.class_holdings(), holders.total, gdp, n, news,
                            snapshots=(12,))
        peaks.append(mp.peak_bp)
        sold.append(mp.class_sold_at_bn[:, 0, :].sum(axis=1))
    assert np.diff(np.array(peaks), axis=0).min() >= 0.0
    added = np.diff(np.array(sold), axis=0).max()
    print(f"backstop {'on' if backstop else 'off'}: largest step ${added:.2f}bn by month 12")  # (docs/contagion.md)
    assert 0.0 < added <= step / (1.0 - draws.loop_gain_ceiling)


def test_no_path_flips_to_years_of_boom_and_bust_for_half_a_billion_more(store: Store) -> None:
    """The premium also feeds distrust, which the diversification targets follow: a slower loop, bounded with the
    others. Before, in `contagion` with the backstop off, one draw sold $235bn over the run for an $82.5bn sale and
    $7,460bn for $83bn (the premium swinging between +125 and −84 bp for thirty years)."""
    import geostress.run.coupled as cp
    from geostress.run.engine import scenario_inputs
    from geostress.spec.scenario import load_scenario

    scenario = load_scenario("contagion").with_overrides(**{"market.backstop": False})
    calib, paths, macro, _ = scenario_inputs(scenario, store)
    holders = cp.holders_for(store, calib)
    n = 1000
    params, draws = cp.draw_parameters(scenario, holders, True, scenario.simulation.seed, 0, n)
    news = cp.news_coefficient(calib, paths, macro)
    gross, late = [], []
    for amount in np.arange(80.0, 85.01, 0.5):
        sched = cp.schedule(scenario.with_overrides(**{"sales[0].amount_bn": float(amount)}), holders, paths.months)
        mp = cp.market_pass(sched, params, draws, holders.class_holdings(), holders.total,
                            np.asarray(paths.gdp, dtype=float), n, news)
        gross.append(mp.sold_bn)
        late.append(np.abs(mp.tp_bp[:, 120:]).max(axis=1))
    print(f"largest step ${np.diff(np.array(gross), axis=0).max():.2f}bn, premium after year ten within "
          f"{np.max(late):.1f} bp")  # (docs/contagion.md)
    assert np.diff(np.array(gross), axis=0).max() < 50.0  # (it was $7,225bn on one path)
    assert np.max(late) < 20.0  # no premium still swinging by 20 bp after year ten


def test_the_fima_switch_reaches_the_officials_run_relief(store: Store) -> None:
    """The officials' backstop relief in the contagion block is the FIMA repo facility's: with ``market.fima`` off
    their dash-for-cash run is larger (it was the same, 229.4 vs 229.5 bn: only the repo share went). And the repo
    takes no share of the run's sales again (they are calibrated on TIC's outright sales; the market block took
    0.55 of them as repo on top of the relief: $104bn of $228bn here); a scheduled liquidity sale it still does."""
    import geostress.run.coupled as cp
    from geostress.run.engine import scenario_inputs
    from geostress.spec.scenario import load_scenario

    scenario = load_scenario("dash-for-cash")
    calib, paths, macro, _ = scenario_inputs(scenario, store)
    holders = cp.holders_for(store, calib)
    sched = cp.schedule(scenario, holders, paths.months)
    params, draws = cp.draw_parameters(scenario, holders, False, None, 0, 1)
    news = cp.news_coefficient(calib, paths, macro)
    run, repo = {}, {}
    for backstop in (True, False):
        for fima in (True, False):
            mp = cp.market_pass(sched, params.with_stabilisers(fima=fima, backstop=backstop), draws,
                                holders.class_holdings(), holders.total, np.asarray(paths.gdp, dtype=float), 1,
                                news, snapshots=(3,))
            run[backstop, fima], repo[backstop, fima] = mp.official_run_at_bn[0, 0], mp.fima_held_at_bn[0, 0]
    assert run[True, False] > 1.1 * run[True, True] > 0
    # a standing facility: with the Fed's backstop off the repo still relieves the officials (it did not: 312.9 both)
    assert run[False, False] > 1.1 * run[False, True] > 0
    assert all(r == 0.0 for r in repo.values())
    sale = scenario.with_overrides(**{"sales": [{"holder": "china_mainland_official", "amount_bn": 100.0,
                                                 "motive": "liquidity"}]})
    mp = cp.market_pass(cp.schedule(sale, holders, paths.months), params, draws, holders.class_holdings(),
                        holders.total, np.asarray(paths.gdp, dtype=float), 1, news, snapshots=(3,))
    assert mp.fima_held_at_bn[0, 0] == pytest.approx(100.0 * float(params.fima_share))


def test_backstop_on_never_raises_the_peak_and_can_be_switched_off(store: Store) -> None:
    sale = {"holder": "japan_official", "amount_bn": 600, "months": 2}
    on = run_scenario(spec(sales=[sale]), store=store)
    off = run_scenario(spec(sales=[sale], market={"backstop": False}), store=store)
    assert on.headline()["peak_10y_change_bp"] < off.headline()["peak_10y_change_bp"]
    # the side-by-side figure of the backstop-on run is the backstop-off run's own figure
    assert on.headline()["peak_10y_change_bp_backstop_off"] == pytest.approx(off.headline()["peak_10y_change_bp"])
    assert on.coupled.backstop_bn[0] > 0 and off.coupled.backstop_bn[0] == 0


@pytest.mark.parametrize("shocks", [[], DASH], ids=["orderly", "dash"])
@pytest.mark.parametrize("contagion", [False, True])
def test_the_backstop_never_raises_any_drawn_paths_peak(store: Store, contagion: bool, shocks: list) -> None:
    """Japan (official) selling $600bn over two months or $100bn in one, 100 drawn paths with the same seed, the
    backstop on and off, contagion off and on, orderly and inside a dash for cash: no path's peak 10-year change is
    higher with the backstop on (to 1e-9 bp), the backstop does buy on some path, and the run's side-by-side
    backstop-off figure is, path by path, the backstop-off run's own."""
    bought = 0.0
    for sale in ({"holder": "japan_official", "amount_bn": 600, "months": 2},
                 {"holder": "japan_official", "amount_bn": 100, "months": 1}):
        sections = {"sales": [sale], "contagion": {"enabled": contagion}, "liquidity_shocks": shocks}
        on = run_scenario(drawn(**sections), store=store).coupled
        off = run_scenario(drawn(**sections, market={"enabled": True, "backstop": False}), store=store).coupled
        assert on is not None and off is not None
        same_paths(on, off)
        assert on.peak_10y_change_bp.shape == (PROPERTY_PATHS,) and not off.backstop_bn.any()
        assert np.all(on.peak_10y_change_bp <= off.peak_10y_change_bp + 1e-9), sale
        np.testing.assert_allclose(on.backstop_off["peak_10y_change_bp"], off.peak_10y_change_bp, rtol=1e-12)
        bought = max(bought, float(on.backstop_bn.max()))
    assert bought > 50.0


def test_the_backstop_trigger_follows_the_scenarios_liquidity_stress(store: Store) -> None:
    """The market's stress is the scenario's liquidity shocks' (up to 1: the backstop's dash-for-cash trigger) and
    nothing else: China's $300bn over three months meets the orderly trigger (no purchase) for diversification and
    for dollars alike (one holder's FX defence is not a dash for cash), a tiny liquidity-motivated sale beside it
    changes nothing (a stress that sales set would bring the Fed in against the whole pressure and lower the
    premium), a liquidity shock brings the Fed in (with the contagion block off too), and so does a lower orderly
    trigger (``market.backstop_orderly_trigger_bp``)."""
    from geostress.run import coupled as cp
    from geostress.run.engine import scenario_inputs

    fast = dict(CHINA, months=3)
    tiny = {"holder": "japan_official", "amount_bn": 0.01, "months": 3, "motive": "liquidity"}
    shocked = spec(sales=[dict(fast, motive="liquidity")], liquidity_shocks=[{"month": 20, "intensity": 2.0}],
                   contagion={"enabled": True})
    calib, paths, _, _ = scenario_inputs(shocked, store)
    stress = cp.schedule(shocked, cp.holders_for(store, calib), paths.months).market_stress
    assert not stress[:19].any() and not stress[22:].any()
    np.testing.assert_allclose(stress[19:22], [1.0, 1.0, 0.4])  # (2 × March 2020's 1, 0.5, 0.2, at most 1)
    orderly = run_scenario(spec(sales=[fast]), store=store)
    fx = run_scenario(spec(sales=[dict(fast, motive="liquidity")]), store=store)
    beside = run_scenario(spec(sales=[fast, tiny]), store=store)
    # (contagion off: the shock acts through the backstop alone, the sale priced inside a dash for cash)
    dash = run_scenario(spec(sales=[fast], liquidity_shocks=[{"month": 1, "intensity": 1.0}]), store=store)
    low = run_scenario(spec(sales=[fast], market={"backstop_orderly_trigger_bp": 20.0}), store=store)
    assert orderly.coupled.backstop_bn[0] == 0.0 and fx.coupled.backstop_bn[0] == 0.0
    assert beside.coupled.backstop_bn[0] == 0.0
    assert beside.headline()["peak_10y_change_bp"] >= orderly.headline()["peak_10y_change_bp"]
    assert dash.coupled.backstop_bn[0] > 50.0 and low.coupled.backstop_bn[0] > 50.0
    assert low.headline()["peak_10y_change_bp"] < orderly.headline()["peak_10y_change_bp"] - 5.0


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


def test_a_coupled_run_takes_the_specs_chunk_size_and_gives_the_same_paths(store: Store) -> None:
    """``simulation.chunk_paths`` sets the coupled run's chunks as it does the fiscal ensemble's (it was ignored):
    2,500 paths in chunks of 1,024 report progress three times and give the default chunking's paths."""
    from geostress.run.engine import run_scenario

    base = spec(sales=[CHINA], scenario={"horizon_years": 3}, simulation={"paths": 2500, "seed": 4})
    small = base.with_overrides(**{"simulation.chunk_paths": 1024})
    calls: list[tuple[int, int]] = []
    chunked = run_scenario(small, store=store, progress=lambda done, total: calls.append((done, total)))
    whole = run_scenario(base, store=store)
    assert calls == [(1024, 2500), (2048, 2500), (2500, 2500)]
    assert chunked.coupled is not None and whole.coupled is not None
    np.testing.assert_array_equal(chunked.coupled.peak_10y_change_bp, whole.coupled.peak_10y_change_bp)


def test_parameter_draws_are_each_blocks_own_generator(store: Store) -> None:
    """Paths draw their parameters from their seeding block's generator, whatever range of paths is asked for: a
    range's draws are the rows of a wider range's, and block 2's are what its own generator gives alone."""
    import geostress.run.coupled as cp
    from geostress.model import contagion as cg
    from geostress.run.engine import scenario_inputs
    from geostress.run.seeding import BLOCK_PATHS
    from geostress.spec.scenario import load_scenario

    scenario = load_scenario("contagion")
    calib, _, _, _ = scenario_inputs(scenario, store)
    priors = cp.contagion_priors(scenario, cp.holders_for(store, calib))
    wide = cp.draw_contagion(priors, 5, 0, 3 * BLOCK_PATHS)
    part = cp.draw_contagion(priors, 5, BLOCK_PATHS - 7, BLOCK_PATHS + 20)
    np.testing.assert_array_equal(part.packed, wide.packed[BLOCK_PATHS - 7 : 2 * BLOCK_PATHS + 13])
    alone = np.random.Generator(np.random.PCG64(np.random.SeedSequence(5, spawn_key=(2, cp.CONTAGION_KEY))))
    np.testing.assert_array_equal(cg.draw_params(priors, alone, BLOCK_PATHS).packed, wide.packed[2 * BLOCK_PATHS :])
    stab, mpriors = cp.stabilisers_for(scenario), cp.market_priors(scenario)
    m_wide, m_part = cp.draw_market(mpriors, stab, 5, 0, 3000), cp.draw_market(mpriors, stab, 5, 1500, 33)
    for name in cp.mk.UNCERTAIN:
        np.testing.assert_array_equal(getattr(m_part, name), np.asarray(getattr(m_wide, name))[1500:1533])


@pytest.mark.parametrize(
    ("sales", "message"),
    [
        ([{"holder": "china", "amount_bn": 10}], "did you mean"),
        ([{"holder": "china_mainland_official", "amount_bn": 5000}], "exceeds its holdings"),
        ([{"holder": "china_mainland_official", "amount_bn": 600}, {"holder": "china_mainland_official",
                                                                    "amount_bn": 600, "start_month": 13}],
         "add up to 1,200.0 bn"),
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


def test_the_engine_gets_the_whole_premium_and_its_policy_rule_is_the_only_offset(store: Store) -> None:
    """The market block hands the fiscal engine its term premium once, with no offset of its own: in the first month
    (before the smoothed policy rule has moved) the engine's 10-year yield rises by exactly the premium; later its
    policy rule, answering the output gap and inflation the premium moves, takes off a little: the monetary
    offset."""
    from geostress.model.fiscal import MONTHLY_FIELDS, simulate
    from geostress.run import coupled
    from geostress.run.engine import scenario_inputs

    s = spec(sales=[CHINA])
    calib, paths, macro, _ = scenario_inputs(s, store)
    holders = coupled.holders_for(store, calib)
    out = coupled.run_coupled(calib, paths, macro, s, holders, shocks=None, n_paths=1)
    premium = out.term_premium_bp[0].astype(float)
    base = simulate(calib.book, paths, calib.params, macro, record_monthly=True)
    bumped = simulate(calib.book, paths, calib.params, macro, record_monthly=True,
                      market_term_premium=premium / 1e4)
    rise = 1e4 * (bumped.monthly[0, :, MONTHLY_FIELDS.index("yield_10y")]
                  - base.monthly[0, :, MONTHLY_FIELDS.index("yield_10y")])
    assert rise[0] == pytest.approx(premium[0], abs=1e-6)
    assert out.peak_10y_change_bp[0] == pytest.approx(premium.max(), rel=1e-6)
    offset = rise[18:60] - premium[18:60]  # the policy rule's part (and the small fiscal risk premium)
    assert np.all(offset < 0.0) and np.all(offset > -0.15 * premium[18:60])


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
    passed = coupled.market_pass(sched, params, None, holders.class_holdings(), holders.total, paths.gdp, 1)
    path = passed.premium[:, 0] * 1e4
    base = simulate(calib.book, paths, calib.params, macro, record_monthly=True)
    bumped = simulate(calib.book, paths, calib.params, macro, record_monthly=True, market_term_premium=path / 1e4)
    ratio = lambda o: o.monthly_field("debt")[0] / o.monthly_field("gdp")[0]  # noqa: E731
    engine = np.diff(100.0 * (ratio(bumped) - ratio(base)), prepend=0.0)
    k = coupled.news_coefficient(calib, paths, macro)
    proxy = k * np.concatenate([[0.0], path[:-1]])
    assert 2e-4 < k[0] / (calib.book.total / paths.gdp[0]) < 6e-4
    assert proxy[:24].sum() == pytest.approx(engine[:24].sum(), rel=0.2)
    assert proxy.sum() == pytest.approx(engine.sum(), rel=0.3)


def _market_pass_month_by_month(sched, params, cdraws, class_holdings, total_holdings, gdp, n_paths, news_per_bp,
                                kept: dict | None = None, keep_month: int = 0):
    """Reference for the fused pass: the blocks' public month steps (market.advance_inplace, contagion.step) in a
    Python loop over months, class sales added in numpy. ``kept`` (a dict) receives each class's net selling, the
    officials' run position and the FIMA repo outstanding (USD bn) at the end of month ``keep_month`` (1-based),
    with the contagion block."""
    import geostress.run.coupled as cp
    from geostress.model import contagion as cg
    from geostress.model import market as mk

    months = sched.flows.shape[0]
    state = mk.initial_state(n_paths)
    if cdraws is not None:  # (the draws as the pass uses them: FIMA relief, the price-loop bound)
        cdraws = cp.pass_draws(cdraws, params, class_holdings, gdp)
    packed = np.vstack(mk.pack(params, 1.0, n_paths))
    cstate = cg.init_state(n_paths, cdraws.cascade_window) if cdraws is not None else None
    tp_bp = np.zeros((months, n_paths))
    stock_bp = np.zeros((months, n_paths))  # the persistent (stock) effect alone, each month
    sold, held = np.zeros(n_paths), np.tile(class_holdings, (n_paths, 1))
    last_tp, prev_tp, visible = (np.zeros(n_paths) for _ in range(3))
    for t in range(months):
        f = sched.flows[t]
        flows = np.zeros((n_paths, 8))
        flows[:, :5] = f
        month_sold = np.full(n_paths, f[:4].sum() - f[4])
        gross = np.full(n_paths, np.maximum(f[:4], 0.0).sum() + max(-f[4], 0.0))
        if cstate is not None:
            signals = cg.Signals(d_tp_10y_bp=last_tp - prev_tp, peer_sell_share=visible / total_holdings,
                                 fiscal_news=news_per_bp[t] * last_tp, announcement=float(sched.announcement[t]),
                                 threat=float(sched.threat[t]), backstop_active=state.backstop_active,
                                 fima_active=state.fima_active,
                                 liquidity_stress=0.0 if sched.stress is None else float(sched.stress[t]))
            run_before = cstate.core[:, cg.S_RUN:cg.S_RUN + 3].copy()  # each class's run position
            cstate, share = cg.step(cstate, signals, cdraws)
            amount = np.minimum(share * class_holdings, held)
            held -= amount
            flows[:, [0, 2, 3]] += amount
            run_sold = (cstate.core[:, cg.S_RUN:cg.S_RUN + 3] - run_before) * class_holdings  # the runs
            flows[:, [0, 2, 3]] -= run_sold
            flows[:, 6] += run_sold[:, 0]  # (Flows.official_run: no FIMA repo share)
            flows[:, 7] += run_sold[:, 1:].sum(axis=1)  # (Flows.private_run)
            month_sold += amount.sum(axis=1)
            gross += np.where(amount > 0.0, amount, 0.0).sum(axis=1)
        mk.advance_inplace(state, flows, packed, float(gdp[t]), float(sched.market_stress[t]))
        if cstate is not None:
            prev_tp, last_tp, visible = last_tp, state.tp_10y_bp.copy(), month_sold
        sold += gross
        tp_bp[t] = state.tp_10y_bp
        stock_bp[t] = state.persistent_bp
        if kept is not None and cstate is not None and t == keep_month - 1:
            kept["sold"] = class_holdings - held
            kept["run"] = cstate.core[:, cg.S_RUN] * class_holdings[0]
            kept["repo"] = state.fima_held_bn.copy()
    cascade = cstate.peak_window_sold > cdraws.cascade_threshold if cstate is not None else np.zeros(n_paths, bool)
    read = sched.persistent_month - 1
    return (tp_bp / 1e4, np.max(tp_bp, axis=0, initial=0.0), tp_bp[read], stock_bp[read], tp_bp.T.astype(np.float32),
            sold, state.backstop_bn, cascade)


def test_market_pass_rejects_zero_gdp_or_holdings(store: Store) -> None:
    """The compiled pass divides by GDP and by total holdings (giving inf, not an error): it checks them first."""
    import geostress.run.coupled as cp
    from geostress.run.engine import scenario_inputs
    from geostress.spec.scenario import load_scenario

    scenario = load_scenario("contagion")
    calib, paths, _, _ = scenario_inputs(scenario, store)
    holders = cp.holders_for(store, calib)
    sched = cp.schedule(scenario, holders, paths.months)
    params = cp.market_priors(scenario).medians(cp.stabilisers_for(scenario))
    draws = cp.draw_contagion(cp.contagion_priors(scenario, holders), 7, 0, 4)
    gdp = np.asarray(paths.gdp, dtype=float).copy()
    gdp[5] = 0.0
    with pytest.raises(ScenarioError, match="GDP must be positive"):
        cp.market_pass(sched, params, draws, holders.class_holdings(), holders.total, gdp, 4)
    with pytest.raises(ScenarioError, match="holdings are 0.0 bn"):
        cp.market_pass(sched, params, draws, holders.class_holdings(), 0.0, np.asarray(paths.gdp, dtype=float), 4)


@pytest.mark.parametrize("name", ["contagion", "davos-threat", "china-sells-300bn", "dash-for-cash"])
def test_fused_market_pass_equals_the_month_by_month_steps(store: Store, name: str) -> None:
    """The one-kernel pass gives the month-by-month loop's answer on every path (parameters drawn per path;
    contagion with fiscal news, announcements and threats where the scenario has them)."""
    import geostress.run.coupled as cp
    from geostress.run.engine import scenario_inputs
    from geostress.spec.scenario import load_scenario

    scenario = load_scenario(name)
    calib, paths, macro, _ = scenario_inputs(scenario, store)
    holders = cp.holders_for(store, calib)
    n = 257
    sched = cp.schedule(scenario, holders, paths.months)
    params = cp.draw_market(cp.market_priors(scenario), cp.stabilisers_for(scenario), 7, 0, n)
    on = scenario.contagion.enabled
    draws = cp.draw_contagion(cp.contagion_priors(scenario, holders), 7, 0, n) if on else None
    news = cp.news_coefficient(calib, paths, macro) if on else np.zeros(paths.months)
    gdp = np.asarray(paths.gdp, dtype=float)
    args = (sched, params, draws, holders.class_holdings(), holders.total, gdp, n, news)
    fused = cp.market_pass(*args)
    reference = _market_pass_month_by_month(*args)
    assert np.ptp(fused.premium[-1]) > 0  # the draws differ by path
    fields = ("premium", "peak_bp", "persistent_bp", "stock_bp", "tp_bp", "sold_bn", "backstop_bn", "cascade")
    for field, expected in zip(fields, reference, strict=True):
        np.testing.assert_allclose(getattr(fused, field), expected, rtol=1e-12, atol=1e-9, err_msg=field)


@pytest.mark.parametrize("name", ["dash-for-cash", "davos-threat"])
def test_snapshots_keep_each_class_selling_and_the_officials_run_as_the_month_by_month_steps(
        store: Store, name: str) -> None:
    """What the pass keeps at a month (the threat's windows, the persistent month of the published range) is what the
    month-by-month loop holds then: each class's net selling, the officials' liquidity-run position and the FIMA
    repo outstanding."""
    import geostress.run.coupled as cp
    from geostress.run.engine import scenario_inputs
    from geostress.spec.scenario import load_scenario

    scenario = load_scenario(name)
    calib, paths, macro, _ = scenario_inputs(scenario, store)
    holders = cp.holders_for(store, calib)
    n, month = 131, 24
    sched = cp.schedule(scenario, holders, paths.months)
    params, draws = cp.draw_parameters(scenario, holders, True, 5, 0, n)
    news = cp.news_coefficient(calib, paths, macro)
    args = (sched, params, draws, holders.class_holdings(), holders.total, np.asarray(paths.gdp, dtype=float), n, news)
    fused = cp.market_pass(*args, snapshots=(0, month))
    kept: dict = {}
    _market_pass_month_by_month(*args, kept=kept, keep_month=month)
    assert fused.class_sold_at_bn is not None and fused.official_run_at_bn is not None
    np.testing.assert_allclose(fused.class_sold_at_bn[:, 1], kept["sold"], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(fused.official_run_at_bn[:, 1], kept["run"], rtol=1e-12, atol=1e-9)
    assert fused.fima_held_at_bn is not None
    np.testing.assert_allclose(fused.fima_held_at_bn[:, 1], kept["repo"], rtol=1e-12, atol=1e-9)
    assert not fused.class_sold_at_bn[:, 0].any() and not fused.official_run_at_bn[:, 0].any()  # month 0
    assert np.median(kept["sold"][:, 0]) > 1.0  # the officials do sell by then


def test_a_run_keeps_the_officials_selling_run_and_repo_at_its_persistent_month(store: Store) -> None:
    """run_coupled's per-path figures behind the published range are the pass's at the persistent month (not
    another snapshot's): each equals a pass of the same draws that keeps that month alone; on the median path of a
    dash for cash the run has unwound into a position the repo no longer finances, all of it priced."""
    import geostress.run.coupled as cp
    from geostress.run.engine import scenario_inputs
    from geostress.spec.scenario import load_scenario

    scenario = load_scenario("dash-for-cash")
    calib, paths, macro, _ = scenario_inputs(scenario, store)
    holders = cp.holders_for(store, calib)
    n = 97
    shocks = np.zeros((n, paths.months, 5), dtype=np.float32)
    out = cp.run_coupled(calib, paths, macro, scenario, holders, shocks=shocks, n_paths=n, seed=11)
    sched = cp.schedule(scenario, holders, paths.months)
    params, draws = cp.draw_parameters(scenario, holders, True, 11, 0, n)
    alone = cp.market_pass(sched, params, draws, holders.class_holdings(), holders.total,
                           np.asarray(paths.gdp, dtype=float), n, cp.news_coefficient(calib, paths, macro),
                           snapshots=(out.persistent_month,))
    assert alone.class_sold_at_bn is not None and alone.official_run_at_bn is not None
    assert alone.fima_held_at_bn is not None
    np.testing.assert_array_equal(out.official_sold_persistent_bn, alone.class_sold_at_bn[:, 0, 0])
    np.testing.assert_array_equal(out.official_run_persistent_bn, alone.official_run_at_bn[:, 0])
    published = cp.published_range(scenario, holders, float(paths.gdp[0]), out)
    assert published is not None and published.contagion_run_bn > 1.0
    middle = np.argsort(out.official_sold_persistent_bn, kind="stable")[(n - 1) // 2]
    net = out.official_sold_persistent_bn[middle]
    assert published.contagion_persistent_bn[0] == pytest.approx(net)  # (the repo takes no share of the runs)


def test_persistent_month_counts_from_the_first_event_of_any_kind(store: Store) -> None:
    """The persistent effect is read 24 months into the events: an announcement (or threat) in month 36 and no
    sale is read in month 59, not month 24, before anything happened; a sale keeps its 12 months after it ends."""
    import geostress.run.coupled as cp
    from geostress.spec.scenario import load_scenario

    holders = cp.holders_at_start(store, date(2026, 1, 1))
    late = load_scenario("pension-announcement").with_overrides(**{"announcements[0].month": 36})
    assert cp.schedule(late, holders, 360).persistent_month == 59
    assert cp.schedule(load_scenario("pension-announcement"), holders, 360).persistent_month == 24
    assert cp.schedule(load_scenario("china-sells-300bn"), holders, 360).persistent_month == 24


def test_a_liquidity_shock_sets_off_the_fast_runs_and_the_backstop_meets_them(store: Store) -> None:
    """``[[liquidity_shocks]]`` feed March 2020's stress path to the contagion block inside the coupled loop, so the
    fast-run priors act (in the other shipped scenarios no liquidity stress reaches them, docs/contagion.md): a
    larger run scale raises the peak, and the backstop, which meets the runs, lowers it a great deal."""
    from dataclasses import replace

    import geostress.model.market as mk
    import geostress.run.coupled as cp
    from geostress.model.priors import Prior
    from geostress.run.engine import scenario_inputs
    from geostress.spec.scenario import load_scenario

    spec = load_scenario("dash-for-cash")
    calib, paths, _, _ = scenario_inputs(spec, store)
    holders = cp.holders_for(store, calib)
    months, n = 36, 300
    sched = cp.schedule(spec, holders, months)
    np.testing.assert_allclose(sched.stress[:4], [1.0, 0.5, 0.2, 0.0])
    gdp = np.asarray(paths.gdp, dtype=float)[:months]
    base = cp.contagion_priors(spec, holders)

    def peak(priors: object, backstop: bool = True) -> float:
        params = cp.draw_market(cp.market_priors(spec), mk.Stabilisers(backstop=backstop), 7, 0, n)
        draws = cp.draw_contagion(priors, 7, 0, n)
        return float(np.median(cp.market_pass(sched, params, draws, holders.class_holdings(), holders.total, gdp,
                                              n).peak_bp))

    def run_scale_at(end: str) -> object:
        return replace(base, run_scale=tuple(Prior(getattr(p, end), getattr(p, end), "fixed") for p in base.run_scale))

    low, high = peak(run_scale_at("low")), peak(run_scale_at("high"))
    assert high > 1.1 * low > 0.0  # (the backstop meets most of the difference)
    assert peak(run_scale_at("high"), backstop=False) > 1.5 * peak(run_scale_at("low"), backstop=False)
    assert peak(base, backstop=False) > 3.0 * peak(base)
    late = spec.with_overrides(**{"liquidity_shocks[0].month": 500})
    with pytest.raises(ScenarioError, match="liquidity shock in month 500 is after the horizon"):
        cp.schedule(late, holders, months)


def test_a_threat_shows_both_effects_with_and_without_it_on_the_same_paths(store: Store) -> None:
    """The Davos warning amid a wave of announcements (``davos-threat``'s schedule, five years): the run reports the
    threat's two effects against the same paths without it — less foreign selling by month 6 on average
    (deterrence), more official selling by month 36 (the perceived freeze risk) — and a run without a threat
    reports none."""
    wave = [{"month": m, "intensity": 1.0, "amount_bn": 0.1} for m in range(1, 7)]
    common = {"simulation": {"paths": 400, "seed": 5}, "contagion": {"enabled": True}, "announcements": wave}
    warned = run_scenario(spec(**common, threats=[{"month": 1, "intensity": 1.0}]), store=store).headline()
    assert warned["foreign_sold_bn_6m_mean"] < 0.95 * warned["foreign_sold_bn_6m_mean_no_threat"]
    assert warned["official_sold_bn_36m_mean"] > 2.0 * warned["official_sold_bn_36m_mean_no_threat"]
    plain = run_scenario(spec(**common), store=store).headline()
    assert "foreign_sold_bn_6m_mean" not in plain


def test_threat_effects_are_read_from_the_threats_month_and_only_for_windows_the_horizon_holds(store: Store) -> None:
    """A threat in month 40 of a five-year run: its short-run window (months 40–45) is read from its month, against
    the same scenario without the threat on the same paths and draws (the no-threat figure is that scenario's
    selling over those months); the 36-month window does not fit the horizon and is not reported."""
    from geostress.run import coupled
    from geostress.run.engine import scenario_inputs

    wave = [{"month": m, "intensity": 1.0, "amount_bn": 0.1} for m in range(36, 42)]
    common = {"scenario": {"horizon_years": 5}, "simulation": {"paths": 0}, "contagion": {"enabled": True},
              "announcements": wave}
    warned = parse_scenario({**common, "threats": [{"month": 40, "intensity": 1.0}]})
    plain = parse_scenario(common)
    calib, paths, macro, _ = scenario_inputs(warned, store)
    holders = coupled.holders_for(store, calib)
    params, cdraws = coupled.draw_parameters(warned, holders, True, 11, 0, 300)
    news = coupled.news_coefficient(calib, paths, macro)
    gdp = np.asarray(paths.gdp, dtype=float)
    sched = coupled.schedule(warned, holders, paths.months)
    assert coupled.threat_windows(sched) == (39, 45)  # the month before the threat, the end of the 6-month window
    run = coupled.market_pass(sched, params, cdraws, holders.class_holdings(), holders.total, gdp, 300, news,
                              snapshots=coupled.threat_windows(sched))
    effects = coupled.threat_effects(sched, params, cdraws, holders.class_holdings(), holders.total, gdp, 300, news,
                                     run.class_sold_at_bn)
    assert set(effects) == {"foreign_sold_bn_6m", "foreign_sold_bn_6m_no_threat"}

    def sold_by(s: ScenarioSpec, month: int) -> np.ndarray:  # foreign selling by the end of ``month``, cut pass
        from dataclasses import replace

        sched = coupled.schedule(s, holders, paths.months)
        cut = replace(sched.head(month), stress=None)
        passed = coupled.market_pass(cut, params, cdraws, holders.class_holdings(), holders.total, gdp[:month],
                                     300, news[:month])
        return passed.class_sold_bn[:, :2].sum(axis=1)

    for s, key in ((plain, "foreign_sold_bn_6m_no_threat"), (warned, "foreign_sold_bn_6m")):
        np.testing.assert_allclose(effects[key], sold_by(s, 45) - sold_by(s, 39), atol=1e-9)
    assert not np.allclose(effects["foreign_sold_bn_6m"], effects["foreign_sold_bn_6m_no_threat"])


def test_the_market_pass_is_causal_so_a_cut_pass_gives_the_first_months(store: Store) -> None:
    """threat_effects reads selling by month 6 and 36 from passes cut at those months: the first months of a pass
    do not depend on the months after them."""
    from geostress.run import coupled
    from geostress.run.engine import scenario_inputs

    s = spec(contagion={"enabled": True}, sales=[CHINA], threats=[{"month": 2, "intensity": 1.0}],
             announcements=[{"month": 1, "intensity": 2.0, "amount_bn": 0.1}])
    calib, paths, macro, _ = scenario_inputs(s, store)
    holders = coupled.holders_for(store, calib)
    sched = coupled.schedule(s, holders, paths.months)
    params, cdraws = coupled.draw_parameters(s, holders, True, 3, 0, 50)
    news = coupled.news_coefficient(calib, paths, macro)
    gdp = np.asarray(paths.gdp, dtype=float)
    full = coupled.market_pass(sched, params, cdraws, holders.class_holdings(), holders.total, gdp, 50, news)
    cut = sched.head(6)
    short = coupled.market_pass(cut, params, cdraws, holders.class_holdings(), holders.total, gdp[:6], 50, news[:6])
    np.testing.assert_array_equal(short.tp_bp, full.tp_bp[:, :6])
