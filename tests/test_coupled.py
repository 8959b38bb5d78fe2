"""The coupled loop: sales and contagion → market term premium → fiscal engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geostress.data.store import Store
from geostress.run.engine import run_scenario
from geostress.errors import ScenarioError
from geostress.spec.scenario import ScenarioSpec, parse_scenario


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("home"))


def spec(**sections: object) -> ScenarioSpec:
    data: dict[str, object] = {"scenario": {"horizon_years": 12}, "simulation": {"paths": 0}}
    data.update(sections)
    return parse_scenario(data)


def test_zero_sale_equals_the_fiscal_baseline_exactly(store: Store) -> None:
    plain = run_scenario(spec(), store=store)
    coupled = run_scenario(spec(market={"enabled": True}), store=store)
    assert coupled.coupled is not None
    # exactly the no-market twin (same stepper), and the whole-horizon kernel to rounding (summation order)
    np.testing.assert_array_equal(coupled.coupled.scenario.annual, coupled.coupled.twin.annual)
    np.testing.assert_allclose(coupled.deterministic.annual, plain.deterministic.annual, rtol=1e-12, atol=1e-9)
    assert coupled.headline()["peak_10y_change_bp"] == 0.0


def test_contagion_off_sells_exactly_the_schedule(store: Store) -> None:
    result = run_scenario(spec(sales=[{"holder": "china_mainland_official", "amount_bn": 120, "months": 12}],
                               announcements=[{"month": 2, "amount_bn": 0.1}]), store=store)
    assert result.coupled.sold_bn[0] == pytest.approx(120.1, abs=1e-9)
    assert result.coupled.cascade_share[0] == 0.0


@pytest.mark.parametrize("amounts", [(25.0, 50.0), (50.0, 200.0), (200.0, 400.0)])
def test_larger_sales_never_lower_yields(store: Store, amounts: tuple[float, float]) -> None:
    small, large = (run_scenario(spec(sales=[{"holder": "japan_official", "amount_bn": a, "months": 6}]),
                                 store=store) for a in amounts)
    y_small = small.deterministic.monthly_field("yield_10y")[0]
    y_large = large.deterministic.monthly_field("yield_10y")[0]
    assert np.all(y_large >= y_small - 1e-12)
    assert large.headline()["peak_10y_change_bp"] > small.headline()["peak_10y_change_bp"] > 0


def test_a_public_announcement_moves_more_investors_than_a_private_one(store: Store) -> None:
    base = {"contagion": {"enabled": True, "threshold_mean": 0.3, "threshold_sd": 0.1, "peer_global": 0.0}}
    public = run_scenario(spec(**base, announcements=[{"month": 1, "intensity": 1.0, "public": True}]), store=store)
    private = run_scenario(spec(**base, announcements=[{"month": 1, "intensity": 1.0, "public": False}]),
                           store=store)
    assert public.coupled.cascade_share[0] > private.coupled.cascade_share[0]


def test_ensemble_headline_has_the_documented_fields(store: Store) -> None:
    result = run_scenario(spec(simulation={"paths": 300, "seed": 3},
                               sales=[{"holder": "china_mainland_official", "amount_bn": 100, "months": 12}]),
                          store=store)
    head = result.summary()
    for key in ("peak_10y_change_bp", "added_net_interest_10y_bn", "debt_gdp_10y_p50", "debt_gdp_10y_p90",
                "debt_gdp_30y_p50", "cascade_share", "paths", "seed"):
        assert key in head
    assert head["paths"] == 300 and head["seed"] == 3
    assert head["debt_gdp_10y_p90"] >= head["debt_gdp_10y_p50"]
    assert head["added_net_interest_10y_bn"] > 0


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

    folder = Path(__file__).resolve().parents[1].joinpath("scenarios")
    names = ("china-sells-300bn", "china-sells-all", "pension-announcement", "contagion", "japan-also-sells",
             "reserves-china-reallocates")
    for name in names:
        assert load_scenario(folder / f"{name}.toml").coupled, name
    assert not load_scenario(folder / "baseline.toml").coupled


def test_tipping_point_bisection_brackets_the_flip(store: Store) -> None:
    from geostress.run.tipping import criterion, find_tipping_point, with_knob

    base = spec(scenario={"horizon_years": 6}, contagion={"enabled": True},
                sales=[{"holder": "china_mainland_official", "amount_bn": 100, "months": 12}])
    point = find_tipping_point(base, "sale_bn", 10, 600, store=store, tolerance=5.0)
    assert point.edge is not None and 10 < point.edge < 600 and point.increasing
    test = criterion("cascade")
    assert test(run_scenario(with_knob(base, "sale_bn", point.edge), store=store))
    assert not test(run_scenario(with_knob(base, "sale_bn", point.edge - 6.0), store=store))
    assert point.distance == pytest.approx(point.edge - 100)
    with pytest.raises(ScenarioError, match="unknown knob"):
        find_tipping_point(base, "nope.field", 0, 1, store=store)


def test_official_holders_follow_their_own_rule(store: Store) -> None:
    scenario = {"contagion": {"enabled": True, "population_bn": 0.0, "official_trigger": 0.05,
                              "official_sensitivity": 0.05},
                "sales": [{"holder": "china_mainland_official", "amount_bn": 200, "months": 6}]}
    reacting = run_scenario(spec(**scenario), store=store)
    calm = run_scenario(spec(**{**scenario, "contagion": {**scenario["contagion"], "official_sensitivity": 0.0}}),
                        store=store)
    assert calm.coupled.sold_bn[0] == pytest.approx(200.0)
    assert reacting.coupled.sold_bn[0] > 200.0  # officials added their own sales on the public news
    assert reacting.headline()["peak_10y_change_bp"] > calm.headline()["peak_10y_change_bp"]


def test_small_runs_on_the_calling_thread_give_the_same_numbers(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """serial_kernels only changes where numba runs: a small run is identical with and without the thread pool,
    and the thread setting is restored afterwards."""
    import numba

    import geostress.run.coupled as coupled

    contagion = spec(contagion={"enabled": True},
                     sales=[{"holder": "china_mainland_official", "amount_bn": 300, "months": 12}],
                     simulation={"paths": 20, "seed": 5})  # fmt: skip
    before = numba.get_num_threads()
    serial = run_scenario(contagion, store=store)
    assert numba.get_num_threads() == before
    monkeypatch.setattr(coupled, "SERIAL_PATHS", 0)  # now even one path uses the pool
    pooled = run_scenario(contagion, store=store)
    np.testing.assert_allclose(serial.coupled.scenario.annual, pooled.coupled.scenario.annual, rtol=1e-12)
    np.testing.assert_array_equal(serial.coupled.cascade_share, pooled.coupled.cascade_share)
    with coupled.serial_kernels(True):
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == before
