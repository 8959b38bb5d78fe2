"""The numpy standard normal quantile (AS 241) agrees with scipy's ndtri, and a market answer does not import scipy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from scipy.special import ndtri

from geostress.model.normal import standard_normal_quantile


def test_it_agrees_with_scipy_over_the_centre_and_both_tails() -> None:
    u = np.concatenate([np.linspace(0.0, 1.0, 20_001), np.logspace(-300, -1, 600), 1.0 - np.logspace(-16, -1, 600),
                        [np.nextafter(0.0, 1.0), 0.5, 0.075, 0.925]])
    ours, theirs = standard_normal_quantile(u), ndtri(u)
    finite = np.isfinite(theirs)
    np.testing.assert_array_equal(ours[~finite], theirs[~finite])  # −inf at 0, +inf at 1
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=5e-15, atol=5e-14)
    assert standard_normal_quantile(np.array([0.5]))[0] == 0.0
    assert np.isnan(standard_normal_quantile(np.array([-0.1, 1.1, np.nan]))).all()
    # the shape of what it is given, and a symmetric answer
    grid = np.random.default_rng(3).random((4, 5))
    assert standard_normal_quantile(grid).shape == (4, 5)
    np.testing.assert_allclose(standard_normal_quantile(grid), -standard_normal_quantile(1.0 - grid), atol=1e-13)


def test_a_market_impact_with_parameter_draws_imports_no_scipy(geostress_home: Path) -> None:
    """scipy.special cost ≈0.19 s of a ≈1 s `market impact` (its array-API layer imports numpy.f2py)."""
    code = ("import sys; from geostress.data.store import Store; from geostress.run.market import impact; "
            "impact(Store(), 'China', 100.0, 6, draws=200); print('scipy' in sys.modules)")
    env = {**os.environ, "GEOSTRESS_HOME": str(geostress_home)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
