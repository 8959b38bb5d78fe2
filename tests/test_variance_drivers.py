"""The report's variance decomposition of a coupled run: every parameter a path draws (market and contagion), the
same shares whatever the chunking, the remainder named for what it is, and an estimator that stays honest with
fifty-odd parameters."""

from __future__ import annotations

import numpy as np
import pytest

from geostress.data.store import Store
from geostress.spec.scenario import ScenarioSpec, load_scenario, parse_scenario

DISTRUST = "contagion.distrust_per_announcement"


def wave(years: int = 3) -> ScenarioSpec:
    """Six monthly public announcements with contagion on (``announcement-wave``'s events), a short horizon."""
    notes = [{"month": m, "intensity": 1.0, **({"amount_bn": 0.1} if m == 1 else {})} for m in range(1, 7)]
    return parse_scenario({"scenario": {"horizon_years": years}, "simulation": {"paths": 0},
                           "contagion": {"enabled": True}, "announcements": notes})


def test_announcement_wave_drivers_include_the_contagion_parameters(store: Store) -> None:
    """At 2,000 paths the distrust an announcement adds drives most of the peak (it was missing: the table had the
    market parameters only and put ≈95% in "macro shocks and interactions")."""
    from geostress.report.sections.market import INTERACTIONS, drivers_table
    from geostress.run.engine import run_scenario

    result = run_scenario(load_scenario("announcement-wave").with_overrides(**{"simulation.paths": 2000}),
                          store=store)
    draws = result.coupled.draws
    assert {"persistent_bp_per_pp", DISTRUST, "contagion.run_scale.foreign_official",
            "contagion.freeze_per_threat_pp"} <= set(draws)
    assert "contagion.deterrence.domestic_private" not in draws  # fixed at 0 on every path: nothing to decompose
    html, frame = drivers_table(result)
    shares = frame.set_index("parameter")
    assert shares.loc[DISTRUST, "peak_share"] > 0.4
    assert shares.peak_share.idxmax() == DISTRUST
    assert shares.loc[INTERACTIONS, "peak_share"] < 0.4
    assert "distrust per announcement (contagion)" in html and "shocks and interactions" not in html
    for column in ("peak_share", "persistent_share"):
        assert (shares[column] >= 0).all() and shares[column].sum() == pytest.approx(1.0)


def test_contagion_draws_are_the_ones_the_run_used(store: Store) -> None:
    """The named draws are the numbers the block drew (not a second draw): the packed columns are the same with
    and without them, and each named prior maps onto its packed column."""
    import geostress.run.coupled as cp
    from geostress.run.engine import scenario_inputs

    scenario = wave()
    calib, _, _, _ = scenario_inputs(scenario, store)
    priors = cp.contagion_priors(scenario, cp.holders_for(store, calib))
    named: dict[str, np.ndarray] = {}
    with_names = cp.draw_contagion(priors, 11, 1000, 100, named)
    plain = cp.draw_contagion(priors, 11, 1000, 100)
    np.testing.assert_array_equal(with_names.packed, plain.packed)
    assert all(v.shape == (100,) for v in named.values())
    np.testing.assert_array_equal(named[DISTRUST], plain.distrust_announcement)
    np.testing.assert_array_equal(named["contagion.div_scale.foreign_private"], plain.div_scale[:, 1])
    np.testing.assert_allclose(np.exp2(-1.0 / named["contagion.trust_half_life_months"]), plain.trust_decay,
                               rtol=1e-15)


def test_shares_do_not_depend_on_chunking(store: Store) -> None:
    from geostress.analytics.drivers import variance_decomposition
    from geostress.run.coupled import run_coupled_chunks
    from geostress.run.engine import scenario_inputs

    scenario = wave()
    calib, paths, macro, _ = scenario_inputs(scenario, store)
    from geostress.run.coupled import holders_for

    holders = holders_for(store, calib)
    one = run_coupled_chunks(calib, paths, macro, scenario, holders, n_paths=1500, seed=4, chunk_paths=1500)
    many = run_coupled_chunks(calib, paths, macro, scenario, holders, n_paths=1500, seed=4, chunk_paths=600)
    assert list(one.draws) == list(many.draws) and DISTRUST in one.draws
    for name in one.draws:
        np.testing.assert_array_equal(one.draws[name], many.draws[name], err_msg=name)
    for outcome in ("peak_10y_change_bp", "persistent_10y_change_bp"):
        a = variance_decomposition(one.draws, getattr(one, outcome), bins=10)
        b = variance_decomposition(many.draws, getattr(many, outcome), bins=10)
        assert a == b


def test_peak_and_persistent_do_not_depend_on_macro_shocks(store: Store) -> None:
    """What the decomposition leaves is interactions between parameters: the two figures come from the market pass,
    which the macro shocks do not reach (same parameters, other shocks: the same figures)."""
    from geostress.run.coupled import holders_for, run_coupled
    from geostress.run.engine import scenario_inputs
    from geostress.run.seeding import draw_paths

    scenario = wave()
    calib, paths, macro, _ = scenario_inputs(scenario, store)
    holders = holders_for(store, calib)
    shocks = draw_paths(3, 0, 40, paths.months)
    outs = [run_coupled(calib, paths, macro, scenario, holders, shocks=s, n_paths=40, seed=3)
            for s in (shocks, np.zeros_like(shocks), 2.0 * shocks)]
    assert np.ptp(outs[0].peak_10y_change_bp) > 0
    for out in outs[1:]:
        np.testing.assert_array_equal(out.peak_10y_change_bp, outs[0].peak_10y_change_bp)
        np.testing.assert_array_equal(out.persistent_10y_change_bp, outs[0].persistent_10y_change_bp)
        assert not np.array_equal(out.scenario.annual, outs[0].scenario.annual)  # (they reach the fiscal side)


def test_estimator_with_fifty_parameters_keeps_noise_out_of_the_shares() -> None:
    """y = x1 + x2/2 + e with 50 unused draws, 2,000 paths and 10 bins (the report's setting): the unused draws
    score ≈0 together (unscreened, their positive noise summed to ≈0.04), no share is negative and the main effects
    are recovered; the remainder is what they leave."""
    from geostress.analytics.drivers import variance_decomposition

    rng = np.random.default_rng(1)
    n = 2000
    x1, x2 = rng.random(n), rng.random(n)
    unused = {f"u{i}": rng.random(n) for i in range(50)}
    y = x1 + 0.5 * x2 + rng.normal(0.0, 0.3, n)
    var = 1 / 12 + 0.25 / 12 + 0.09
    shares = variance_decomposition({"x1": x1, "x2": x2, **unused}, y, bins=10, rest="rest")
    assert all(v >= 0 for v in shares.values())
    assert sum(shares[k] for k in unused) < 0.015
    assert shares["x1"] == pytest.approx((1 / 12) / var, abs=0.04)
    assert shares["x2"] == pytest.approx((0.25 / 12) / var, abs=0.03)
    assert sum(shares.values()) == pytest.approx(1.0) and shares["rest"] == pytest.approx(0.09 / var, abs=0.05)
    assert variance_decomposition({"x1": x1}, y, bins=10, screen=0.0)["x1"] == pytest.approx(shares["x1"])


def test_estimator_keeps_the_slope_within_each_bin() -> None:
    """y = x with x drawn like the persistent coefficient (lognormal, 90% in 2–8), 2,000 paths, 10 bins: x explains
    all of y. A mean per bin missed the slope inside each bin and gave x ≈0.92, handing the rest to the remainder
    (read as interactions); a straight line per bin recovers it. Likewise y = x1 + x2² (no interaction) leaves
    (almost) nothing to the remainder."""
    from geostress.analytics.drivers import variance_decomposition

    rng = np.random.default_rng(3)
    sigma = np.log(4.0) / (2 * 1.6448536269514722)
    x = np.exp(np.log(4.0) + sigma * rng.standard_normal(2000))
    shares = variance_decomposition({"x": x}, x, bins=10, rest="rest")
    assert shares["x"] == pytest.approx(1.0, abs=0.01) and shares["rest"] < 0.01
    x1, x2 = rng.random(2000), rng.uniform(-1.0, 1.0, 2000)
    additive = variance_decomposition({"x1": x1, "x2": x2}, x1 + x2**2, bins=10, rest="rest")
    assert additive["rest"] < 0.02
    assert additive["x1"] == pytest.approx((1 / 12) / (1 / 12 + 4 / 45), abs=0.03)
