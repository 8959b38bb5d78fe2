"""Threshold contagion: fixed point, scheduled sales, public vs private signals, Granovetter, bad input, scale."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from geostress.errors import ScenarioError
from geostress.model.contagion import (
    ContagionParams,
    NamedHolders,
    Signals,
    ThresholdDistribution,
    cascade_fixed_point,
    init_state,
    mean_field_step,
    network_from_neighbours,
    random_network,
    scheduled_sale,
    simulate,
    step,
)
from geostress.validate import REGISTRY


def test_threshold_fixed_point_check_passes() -> None:
    check = next(c for c in REGISTRY if c.id == "threshold_fixed_point")
    row = check.run(None)  # type: ignore[arg-type]  # the check ignores the store
    assert row["passed"], row
    assert check.kind == "absolute" and check.target == pytest.approx(0.3)


@pytest.mark.parametrize(("a", "b", "e"), [(0.05, 1.55, 0.2), (0.0, 2.0, 0.25), (0.1, 1.6, 0.4)])
def test_cascade_fixed_point_closed_form(a: float, b: float, e: float) -> None:
    dist = ThresholdDistribution("uniform", low=a, high=b)
    assert cascade_fixed_point(dist, e) == pytest.approx((e - a) / (b - a - 1), abs=1e-12)


def test_fixed_point_edges_and_mean_field() -> None:
    dist = ThresholdDistribution("uniform", low=0.1, high=0.9)
    assert cascade_fixed_point(dist, 0.05) == 0.0  # nobody below the signal
    assert cascade_fixed_point(ThresholdDistribution("uniform", low=0.0, high=1.0, seed_fraction=0.01)) == 1.0
    params = ContagionParams(thresholds=ThresholdDistribution("normal", mean=0.3, sd=0.1), yield_weight=0.001)
    sig = Signals(yield_change_bp=np.array([50.0, 150.0, 250.0]))
    peak = np.full(3, -np.inf)
    for _ in range(300):
        peak, frac = mean_field_step(peak, sig, params)
    expected = [cascade_fixed_point(params.thresholds, e) for e in (0.05, 0.15, 0.25)]
    np.testing.assert_allclose(frac, expected, atol=1e-6)
    agents = simulate(init_state(100_000, params, paths=3, seed=3), sig, params, months=300)
    np.testing.assert_allclose(agents.seller_fraction[-1], expected, atol=0.01)


def _holders(horizon: int = 24) -> NamedHolders:
    holdings = {"Japan": 1150.0, "China": 700.0, "Denmark pension": 25.7}
    schedule = scheduled_sale(holdings, "China", 120.0, 12, start=2, horizon=horizon)
    return NamedHolders(tuple(holdings), np.array(list(holdings.values())), schedule,
                        sensitivity=np.array([0.02, 0.1, 0.5]), trigger=np.array([0.3, 0.1, 0.05]))


def test_contagion_off_total_selling_equals_scheduled() -> None:
    holders = _holders()
    months = 24
    announced = np.zeros(months)
    announced[3] = 0.1  # "a pension fund sells $0.1bn within 7 days citing US solvency"
    signals = [Signals(yield_change_bp=80.0, debt_to_gdp_pp=10.0, public=5.0 * (t == 3), announced_sale_bn=announced[t])
               for t in range(months)]
    off = ContagionParams(enabled=False, thresholds=ThresholdDistribution("normal", mean=0.2, sd=0.1,
                                                                          seed_fraction=0.05))
    run = simulate(init_state(50_000, off, holders=holders), signals, off)
    scheduled = holders.schedule.sum(axis=0) + announced
    np.testing.assert_array_equal(run.selling[:, 0], scheduled)
    assert run.selling.sum() == pytest.approx(120.1, abs=1e-12)
    assert run.investor_selling.sum() == 0.0 and run.seller_fraction.max() == 0.0
    on = ContagionParams(thresholds=off.thresholds)
    assert simulate(init_state(50_000, on, holders=holders), signals, on).selling.sum() > 120.1


def test_public_announcement_moves_more_agents_than_private() -> None:
    params = ContagionParams(thresholds=ThresholdDistribution("normal", mean=0.5, sd=0.15), peer_global=0.0,
                             announcement_weight=0.1, public_multiplier=3.0)
    state = init_state(100_000, params, seed=7)
    public = step(state, Signals(public=1.0), params)
    private = step(state, Signals(private=1.0), params)
    assert public.seller_fraction[0] > 3 * private.seller_fraction[0] > 0
    assert public.investor_selling[0] > private.investor_selling[0]


def test_granovetter_riot_flips_on_one_threshold() -> None:
    """Granovetter (1978): thresholds 0, 1, ..., 99 of 100 → everyone riots; move the 1 to a 2 → only the
    instigator does."""
    params = ContagionParams(thresholds=ThresholdDistribution("uniform"))
    uniform = np.arange(100) / 100
    full = simulate(init_state(100, params, thresholds=uniform), Signals(), params, months=120)
    assert full.seller_fraction[-1, 0] == 1.0
    changed = uniform.copy()
    changed[1] = 2 / 100
    stalled = simulate(init_state(100, params, thresholds=changed), Signals(), params, months=120)
    assert stalled.seller_fraction[-1, 0] == 0.01


def test_network_with_dangling_indices_is_rejected_before_the_run() -> None:
    n = 50
    nb = np.random.default_rng(0).integers(0, n, size=(n, 4))
    nb[7, 2] = n  # points past the last investor
    with pytest.raises(ScenarioError, match="dangling"):
        network_from_neighbours(nb)
    good = network_from_neighbours(np.random.default_rng(0).integers(0, n, size=(n, 4)))
    bad = sp.csr_matrix((good.data, good.indices.copy(), good.indptr), shape=(n, n))
    bad.indices[5] = n + 3
    with pytest.raises(ScenarioError, match="dangling"):
        init_state(n, ContagionParams(peer_network=0.5), network=bad)
    nan = good.copy()
    nan.data[0] = np.nan
    with pytest.raises(ScenarioError, match="NaN"):
        init_state(n, ContagionParams(peer_network=0.5), network=nan)
    with pytest.raises(ScenarioError, match="network"):
        init_state(n, ContagionParams(peer_network=0.5))


def test_negative_thresholds_are_rejected() -> None:
    with pytest.raises(ScenarioError, match="negative"):
        init_state(3, ContagionParams(), thresholds=np.array([0.1, -0.2, 0.3]))
    with pytest.raises(ScenarioError, match="negative"):
        ThresholdDistribution("uniform", low=-0.1, high=0.5)
    with pytest.raises(ScenarioError, match="public_multiplier"):
        ContagionParams(public_multiplier=0.5)


def test_network_cascade_matches_watts_intuition() -> None:
    """With only neighbours' selling as the signal, one instigator tips a network whose nodes all sell once a
    single watched neighbour has sold (threshold ≤ 1/k), and tips nothing when thresholds exceed 1/k."""
    n, k = 20_000, 4
    net = random_network(n, k, seed=1)
    params = ContagionParams(peer_global=0.0, peer_network=1.0, thresholds=ThresholdDistribution("uniform"))
    low = np.full(n, 0.2)
    low[0] = 0.0
    spread = simulate(init_state(n, params, network=net, thresholds=low), Signals(), params, months=60)
    high = np.full(n, 0.3)
    high[0] = 0.0
    stuck = simulate(init_state(n, params, network=net, thresholds=high), Signals(), params, months=60)
    assert spread.seller_fraction[-1, 0] > 0.9
    assert stuck.seller_fraction[-1, 0] == 1 / n


def test_million_agents_with_network_step() -> None:
    n = 1_000_000
    params = ContagionParams(peer_global=0.5, peer_network=0.5, private_noise_sd=0.02,
                             thresholds=ThresholdDistribution("normal", mean=0.35, sd=0.15, seed_fraction=0.01))
    state = init_state(n, params, network=random_network(n, 10, seed=2), seed=2)
    total = 0.0
    for _ in range(3):
        res = step(state, Signals(yield_change_bp=30.0, public=0.5), params)
        state = res.state
        total += float(res.selling[0])
    frac = res.seller_fraction[0]
    assert 0.01 <= frac < 1.0
    assert total == pytest.approx(frac * n * params.holdings_per_agent, rel=1e-9)
