"""Stated priors for uncertain model parameters, drawn per path (shared by the market and contagion blocks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from geostress.errors import ScenarioError
from geostress.model.normal import standard_normal_quantile

#: Highest gain of the contagion block's peer channel (its prior, ``ContagionPriors.peer_gain``, is uniform on
#: [0, this]); a scenario's ``[contagion] loop_gain_ceiling`` must be at least this. Here, in a module without the
#: compiled kernels, so that the scenario schema can read it without loading them.
PEER_GAIN_HIGH = 0.8

PRIOR_KINDS: tuple[str, ...] = ("uniform", "lognormal", "fixed")
#: Standard normal 95th percentile: a lognormal prior's 5th–95th percentiles are its median × exp(∓ Z95 σ).
Z95 = 1.6448536269514722


class Uniforms(Protocol):
    """Where draws take their uniforms: a :class:`numpy.random.Generator`, or anything with its ``random(n)``
    (e.g. the runner's streams that draw many seeding blocks at once, each from its own generator)."""

    def random(self, size: int) -> np.ndarray: ...


@dataclass(frozen=True)
class Prior:
    """A stated prior for one parameter, written as its 90% range.

    Attributes
    ----------
    low, high
        ``"uniform"``: the support [low, high]. ``"lognormal"``: the 5th and 95th percentiles (median √(low·high));
        both > 0. ``"fixed"``: ``low`` (= ``high``) on every path.
    kind
        ``"uniform"``, ``"lognormal"`` or ``"fixed"``. Every kind consumes exactly ``n`` uniforms per draw, so the
        other parameters' draws do not depend on which kind one parameter has.
    """

    low: float
    high: float
    kind: str = "uniform"

    def __post_init__(self) -> None:
        if self.kind not in PRIOR_KINDS:
            raise ScenarioError(f"prior kind {self.kind!r} is not one of {', '.join(PRIOR_KINDS)}")
        if not (np.isfinite(self.low) and np.isfinite(self.high)):
            raise ScenarioError(f"prior [{self.low}, {self.high}] must be finite numbers")
        if self.high < self.low:
            raise ScenarioError(f"prior: high = {self.high} is below low = {self.low}")
        if self.kind == "lognormal" and self.low <= 0:
            raise ScenarioError(f"lognormal prior needs positive percentiles, got low = {self.low}")

    @classmethod
    def fixed(cls, value: float) -> Prior:
        """The same ``value`` on every path."""
        return cls(value, value, "fixed")

    @property
    def median(self) -> float:
        if self.kind == "lognormal":
            return float(np.sqrt(self.low * self.high))
        if self.kind == "fixed":
            return float(self.low)
        return 0.5 * (self.low + self.high)

    def draw(self, rng: Uniforms, n: int) -> np.ndarray:
        """``n`` draws (float64), from exactly ``n`` uniforms whatever the kind."""
        u = rng.random(n)
        if self.kind == "fixed" or self.high == self.low:
            return np.full(n, float(self.low))
        if self.kind == "uniform":
            return self.low + (self.high - self.low) * u
        sigma = np.log(self.high / self.low) / (2.0 * Z95)
        return np.exp(np.log(self.median) + sigma * standard_normal_quantile(u))
