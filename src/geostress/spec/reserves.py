"""The reserve-manager specification (``geostress reserves``): holder, freeze probability, loss, method, pace."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from geostress.errors import ScenarioError
from geostress.model.reserves import DEFAULT_ALLY_PARTICIPATION

DEFAULT_P_GRID: tuple[float, ...] = (0.0, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.10)
#: The slowest monthly pace accepted (0.1% of reserves a month): the one-way turnover between two portfolios is at
#: most 1, so a rebalancing path is then at most :data:`MAX_PATH_MONTHS` months long (a slower pace implies a
#: schedule of millions of months: ``--pace 1e-7`` overflowed the calendar, ``1e-9`` ran out of memory).
MIN_PACE = 0.001
#: The longest rebalancing path :data:`MIN_PACE` allows, months.
MAX_PATH_MONTHS = math.ceil(1.0 / MIN_PACE)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def parse_month(value: str, name: str = "as_of") -> str:
    """``"2024-11"`` → ``"2024-11"``: a month as ``YYYY-MM``; a :class:`ScenarioError` naming ``name`` otherwise.

    Parameters
    ----------
    value
        The text given (``reserves.as_of``, ``--as-of``).
    name
        The field or option as the user knows it, for the message.
    """
    match = _MONTH.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ScenarioError(f"{name}={value!r} is not a month: give YYYY-MM with a month 01–12 (e.g. 2024-11), "
                            "or leave it out for the latest month with data", parameter=name)
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


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
        Largest one-way turnover per month, share of the portfolio (0.005 = 0.5% a month), in
        [:data:`MIN_PACE`, 1].
    as_of
        Month of the current portfolio and the yield curve (``YYYY-MM`` or a date); ``None`` = the last month with
        every input.
    p_grid
        Freeze probabilities of the weights-as-p-varies table.
    implied_start
        First month of the implied-p series.
    names
        The user's name of each field, for messages (see the attribute's comment).
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
    #: How the caller's user names each field (``{"max_pace": "--pace"}`` for the command line,
    #: ``{"max_pace": "reserves.max_pace"}`` for a scenario), so that every message names the knob that was set;
    #: a field not listed is named ``reserves: <field>``.
    names: Mapping[str, str] | None = field(default=None, compare=False, repr=False)

    def name(self, field_name: str) -> str:
        """The user's name for ``field_name`` (see :attr:`names`)."""
        return (self.names or {}).get(field_name, f"reserves: {field_name}")

    def _refuse(self, field_name: str, text: str) -> ScenarioError:
        return ScenarioError(f"{self.name(field_name)}={text}",
                             parameter=(self.names or {}).get(field_name, field_name))

    def __post_init__(self) -> None:
        if not (np.isfinite(self.p) and 0.0 <= self.p <= 1.0):
            raise self._refuse("p", f"{self.p:g} must lie in [0, 1] (an annual freeze probability)")
        if not (np.isfinite(self.loss) and 0.0 <= self.loss <= 1.0):
            raise self._refuse("loss", f"{self.loss:g} must lie in [0, 1]")
        if not (np.isfinite(self.ally_participation) and 0.0 <= self.ally_participation <= 1.0):
            raise self._refuse("ally_participation", f"{self.ally_participation:g} must lie in [0, 1]")
        if self.method not in ("mv", "cvar"):
            raise self._refuse("method", f"{self.method!r} must be 'mv' or 'cvar'")
        if not (np.isfinite(self.risk_aversion) and self.risk_aversion > 0):
            raise self._refuse("risk_aversion", f"{self.risk_aversion:g} must be a positive number (8 is the "
                                                "default)")
        if not (np.isfinite(self.max_pace) and MIN_PACE <= self.max_pace <= 1.0):
            raise self._refuse("max_pace", f"{self.max_pace:g} must lie in [{MIN_PACE:g}, 1] (the share of reserves "
                                           f"traded a month; at the slowest, {MIN_PACE:g}, any reallocation takes at "
                                           f"most {MAX_PATH_MONTHS:,} months)")
        if isinstance(self.as_of, str):
            object.__setattr__(self, "as_of", parse_month(self.as_of, self.name("as_of")))
        bad = [q for q in self.p_grid if not 0.0 <= q <= 1.0]
        if bad:
            raise ScenarioError(f"reserves: p_grid values {bad} must lie in [0, 1]")
