"""Contagion speed and memory: the same threshold model in Mesa 3.x and in geostress, side by side, and a
million investors on a network.

Figures (one JSON line last):

* per N (10,000 and 100,000, or ``--n``): ``mesa_seconds``, ``geostress_seconds`` and ``ratio`` for the same
  model — N agents, thresholds U[0, 1] with 1% instigators at 0 (same draws for both), each agent sells once the
  global seller fraction (last step's) reaches its threshold, 100 steps; both must end at the same seller count
  (target ratio ≥ 100 at N = 100,000);
* ``network_1m_seconds``, ``network_1m_peak_mb``: 1,000,000 investors × 120 months, each watching 10 others
  (sparse CSR), the full signal (global and network peer selling, yields, announcements, private noise), network
  built and validated inside the timing (targets ≤ 5 s, ≤ 2,048 MB peak resident memory).

``mesa_seconds`` is ``null`` (with ``mesa_error``) when Mesa is not installed (``pip install -e '.[bench]'``).

Run: ``python benchmarks/bench_contagion.py [--n N]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np

from geostress.model.contagion import (
    ContagionParams,
    Signals,
    ThresholdDistribution,
    init_state,
    random_network,
    simulate,
    step,
)

STEPS = 100


def _thresholds(n: int, seed: int = 0) -> np.ndarray:
    th = np.random.default_rng(seed).uniform(0.0, 1.0, n)
    th[: n // 100] = 0.0
    return th


def _mesa_model() -> tuple[type, str | None]:
    try:
        import mesa
    except ImportError as exc:  # pragma: no cover - depends on the environment
        return type(None), f"mesa not importable ({exc}); install with pip install -e '.[bench]'"

    class Investor(mesa.Agent):
        def __init__(self, model: mesa.Model, threshold: float) -> None:
            super().__init__(model)
            self.threshold = threshold
            self.sold = False

        def step(self) -> None:
            if not self.sold and self.model.fraction >= self.threshold:
                self.sold = True
                self.model.new_sellers += 1

    class ThresholdModel(mesa.Model):
        def __init__(self, thresholds: np.ndarray, seed: int = 0) -> None:
            super().__init__(seed=seed)
            self.n = len(thresholds)
            self.sellers = 0
            self.fraction = 0.0
            self.new_sellers = 0
            Investor.create_agents(self, self.n, thresholds.tolist())

        def step(self) -> None:
            self.fraction = self.sellers / self.n  # every agent sees last step's global seller fraction
            self.new_sellers = 0
            self.agents.do("step")
            self.sellers += self.new_sellers

    return ThresholdModel, None


def compare(n: int) -> dict[str, object]:
    """Mesa vs geostress on the same thresholds; times exclude building the agents in both."""
    th = _thresholds(n)
    params = ContagionParams(thresholds=ThresholdDistribution("uniform"), peer_global=1.0)
    state = init_state(n, params, thresholds=th)
    simulate(state, Signals(), params, months=2)  # warm-up
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        out = simulate(state, Signals(), params, months=STEPS)
        runs.append(time.perf_counter() - t)
    geo_s = min(runs)
    geo_sellers = int(np.count_nonzero(out.state.investors.sold[0]))

    model_cls, error = _mesa_model()
    mesa_s: float | None = None
    mesa_sellers = None
    if error is None:
        model = model_cls(th)
        t = time.perf_counter()
        for _ in range(STEPS):
            model.step()
        mesa_s = time.perf_counter() - t
        mesa_sellers = model.sellers
    row: dict[str, object] = {
        "n": n,
        "mesa_seconds": None if mesa_s is None else round(mesa_s, 4),
        "geostress_seconds": round(geo_s, 5),
        "ratio": None if mesa_s is None else round(mesa_s / geo_s, 1),
        "final_seller_fraction": geo_sellers / n,
        "same_result": None if mesa_sellers is None else mesa_sellers == geo_sellers,
    }
    if error is not None:
        row["mesa_error"] = error
    return row


def network_million(n: int = 1_000_000, months: int = 120, k: int = 10) -> dict[str, object]:
    params = ContagionParams(peer_global=0.4, peer_network=0.4, private_noise_sd=0.03,
                             thresholds=ThresholdDistribution("normal", mean=0.35, sd=0.15, seed_fraction=0.005))
    # compile (or load the cached) network kernel on a small case first
    small = init_state(100, params, network=random_network(100, k))
    step(small, Signals(), params)
    signals = [Signals(yield_change_bp=min(t, 24) * 2.0, debt_to_gdp_pp=0.2 * t, public=1.0 * (t == 6))
               for t in range(months)]
    t = time.perf_counter()
    state = init_state(n, params, network=random_network(n, k, seed=1), seed=1)
    run = simulate(state, signals, params)
    seconds = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"network_1m_seconds": round(seconds, 3), "network_1m_peak_mb": round(peak_mb, 1),
            "network_1m_final_fraction": round(float(run.seller_fraction[-1, 0]), 4),
            "network_1m_selling_bn": round(float(run.selling.sum()), 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--skip-network", action="store_true")
    args = parser.parse_args()
    out: dict[str, object] = {}
    if not args.skip_network:  # first, so its peak memory is not Mesa's
        out.update(network_million())
    rows = [compare(n) for n in args.n]
    for row in rows:
        print(json.dumps(row))
    last = rows[-1]
    out = {"mesa_seconds": last["mesa_seconds"], "geostress_seconds": last["geostress_seconds"],
           "ratio": last["ratio"], "n": last["n"], "by_n": rows, **out}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
