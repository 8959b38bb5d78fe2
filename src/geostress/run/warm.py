"""Compile the compiled kernels once, ahead of the first real run: ``python -m geostress.run.warm``.

numba compiles each kernel on its first call and caches the machine code on disk beside the module. On a fresh
install that first call is slow — the fiscal ensemble kernel alone takes about a minute on a 2-core machine — and
it lands on whoever runs first: a user's first scenario, or a web-service worker whose run then looks stuck.
``make test`` runs this first, so that the suite's runs (and the service workers it starts) find the kernels
cached; users can run it after installing. A warm cache makes it a few seconds.
"""

from __future__ import annotations

import tempfile
import time

import numpy as np


def warm() -> dict[str, float]:
    """Run the smallest calls that compile every kernel a scenario run uses; returns seconds per step.

    Steps: a fiscal-only scenario with a few paths (the deterministic and the ensemble kernels), a coupled one
    without and one with the contagion block (the market pass, both versions), and the contagion block's
    month-by-month step (its validation experiments).
    """
    from geostress.data.store import Store
    from geostress.model import contagion as cg
    from geostress.run.engine import run_scenario
    from geostress.spec.scenario import parse_scenario

    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="geostress-warm-") as home:
        store = Store(home)
        sale = {"holder": "china_mainland_official", "amount_bn": 100, "months": 6}
        specs = {
            "fiscal": {},
            "market": {"sales": [sale]},
            "contagion": {"sales": [sale], "contagion": {"enabled": True}},
        }
        for name, extra in specs.items():
            start = time.perf_counter()
            spec = parse_scenario({"scenario": {"name": f"warm-{name}", "horizon_years": 3},
                                   "simulation": {"paths": 8, "seed": 0}, **extra})
            run_scenario(spec, store=store)
            seconds[name] = time.perf_counter() - start
        start = time.perf_counter()
        draws = cg.draw_params(None, np.random.default_rng(0), 4)
        cg.step(cg.init_state(4), cg.Signals(liquidity_stress=1.0), draws)
        seconds["contagion_step"] = time.perf_counter() - start
    return seconds


def main() -> None:
    seconds = warm()
    print("kernels compiled or loaded from the cache: "
          + ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items()))


if __name__ == "__main__":
    main()
