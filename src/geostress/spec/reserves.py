"""The reserve-manager specification (``geostress reserves``): holder, freeze probability, loss, method, pace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from geostress.calibrate.reserves import DEFAULT_ALLY_PARTICIPATION
from geostress.errors import ScenarioError

DEFAULT_P_GRID: tuple[float, ...] = (0.0, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.10)


@dataclass(frozen=True)
class ReserveSpec:
    """What to compute.

    Attributes
    ----------
    holder
        A modelled reserve holder (``"China"``).
    p
        Annual freeze probability in [0, 1].
    loss
        Share L of exposed assets lost in a freeze, in [0, 1].
    ally_participation
        Exposure of euro-area/other advanced-economy sovereigns and MDB bonds (allies join the freeze), [0, 1].
    method
        ``"mv"`` (mean–variance) or ``"cvar"`` (mean–CVaR LP) for the target weights; the implied-p inversion
        and the weights-by-p table always use mean–variance.
    risk_aversion
        γ of the mean–variance objective [assumption: 8].
    max_pace
        Largest one-way turnover per month, share of the portfolio (0.005 = 0.5% a month).
    as_of
        Month of the current portfolio and the yield curve; ``None`` = the last month with every input.
    p_grid
        Freeze probabilities of the weights-as-p-varies table.
    implied_start
        First month of the implied-p series.
    """

    holder: str = "China"
    p: float = 0.02
    loss: float = 1.0
    ally_participation: float = DEFAULT_ALLY_PARTICIPATION
    method: str = "mv"
    risk_aversion: float = 8.0
    max_pace: float = 0.005
    as_of: str | date | None = None
    p_grid: tuple[float, ...] = DEFAULT_P_GRID
    implied_start: str = "2013-01-01"
    cvar_alpha: float = 0.95
    cvar_weight: float = 1.0

    def __post_init__(self) -> None:
        if not (np.isfinite(self.p) and 0.0 <= self.p <= 1.0):
            raise ScenarioError(f"reserves: p={self.p} must lie in [0, 1] (an annual freeze probability)")
        if not (np.isfinite(self.loss) and 0.0 <= self.loss <= 1.0):
            raise ScenarioError(f"reserves: loss={self.loss} must lie in [0, 1]")
        if not 0.0 <= self.ally_participation <= 1.0:
            raise ScenarioError(f"reserves: ally_participation={self.ally_participation} must lie in [0, 1]")
        if self.method not in ("mv", "cvar"):
            raise ScenarioError(f"reserves: method {self.method!r} must be 'mv' or 'cvar'")
        if not (np.isfinite(self.risk_aversion) and self.risk_aversion > 0):
            raise ScenarioError(f"reserves: risk_aversion={self.risk_aversion} must be positive")
        if not 0.0 < self.max_pace <= 1.0:
            raise ScenarioError(f"reserves: max_pace={self.max_pace} must lie in (0, 1] (share per month)")
        bad = [q for q in self.p_grid if not 0.0 <= q <= 1.0]
        if bad:
            raise ScenarioError(f"reserves: p_grid values {bad} must lie in [0, 1]")
