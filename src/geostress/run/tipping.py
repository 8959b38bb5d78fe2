"""Tipping points: the smallest value of a scenario knob at which the loop becomes self-sustaining.

"Self-sustaining" is a criterion on a scenario run, evaluated by bisection over the knob:

* ``cascade`` (default): the contagion block cascades on at least half of the paths — its weighted net selling
  within 12 months exceeds ``contagion.cascade_threshold`` (3%) of the three holder classes' holdings
  (:mod:`geostress.model.contagion`; the deterministic run takes every parameter at its prior median);
* ``debt``: on at least half of the paths, debt/GDP exceeds the scenario's highest ``outputs.debt_thresholds``
  value within the horizon (or the path turns explosive).

The bisection assumes the criterion flips once over the range (checked at both ends) and reports the edge, the
knob's value in the scenario as given, and the distance between them.

References
----------
Granovetter, M. (1978), "Threshold Models of Collective Behavior", AJS 83(6).
Morris, S. and Shin, H. S. (1998), "Unique Equilibrium in a Model of Self-Fulfilling Currency Attacks", AER 88(3).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from geostress.data.store import Store
from geostress.results.ensemble import ratios
from geostress.run.engine import run_scenario
from geostress.errors import ScenarioError
from geostress.spec import knobs
from geostress.spec.scenario import ScenarioSpec

CRITERIA = ("cascade", "debt")
SALE_KNOB = "sale_bn"
SALE_PATH = "sales[0].amount_bn"


def knob_path(knob: str) -> str:
    """The knob path for ``knob``: ``sale_bn`` is shorthand for ``sales[0].amount_bn``; other names are paths of
    :mod:`geostress.spec.knobs` (``contagion.scale``, ``announcements[0].intensity``)."""
    return SALE_PATH if knob == SALE_KNOB else knob


def knob_value(spec: ScenarioSpec, knob: str) -> float:
    """The knob's numeric value in ``spec`` (a :class:`ScenarioError` naming the knob when absent or not numeric)."""
    path = knob_path(knob)
    if path.startswith("sales[") and not spec.sales:
        raise ScenarioError(f"knob {knob} needs a [[sales]] entry in the scenario")
    value = knobs.get(spec, path)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ScenarioError(f"knob {knob!r} is not numeric (it is {value!r})")
    return float(value)


def with_knob(spec: ScenarioSpec, knob: str, value: float) -> ScenarioSpec:
    """``spec`` with the knob set to ``value`` (validated like any scenario)."""
    knob_value(spec, knob)
    return knobs.set_many(spec, {knob_path(knob): value}, origin=f"knob {knob}={value:g}")


def criterion(name: str) -> Callable[[object], bool]:
    """The self-sustaining test of ``name`` on a :class:`~geostress.run.engine.ScenarioResult`."""
    if name not in CRITERIA:
        raise ScenarioError(f"criterion {name!r} is not one of {', '.join(CRITERIA)}")

    def cascade(result: object) -> bool:
        c = result.coupled  # type: ignore[attr-defined]
        if c is None:
            raise ScenarioError("criterion cascade needs the contagion block: set [contagion] enabled = true")
        return bool(np.mean(c.cascade_share >= 0.5) >= 0.5)

    def debt(result: object) -> bool:
        out = result.coupled.scenario if result.coupled is not None else result.deterministic  # type: ignore[attr-defined]
        level = max(result.spec.outputs.debt_thresholds)  # type: ignore[attr-defined]
        above = np.any(ratios(out)["debt_to_gdp"] > level, axis=1) | out.exploded
        return bool(np.mean(above) >= 0.5)

    return cascade if name == "cascade" else debt


@dataclass(frozen=True)
class TippingPoint:
    """Where the criterion flips, and how far the scenario as given is from it."""

    knob: str
    criterion: str
    edge: float | None  # None: no flip within the range
    current: float
    low: float
    high: float
    increasing: bool  # True: the criterion holds above the edge
    evaluations: int
    note: str

    @property
    def distance(self) -> float | None:
        return None if self.edge is None else self.edge - self.current

    def to_json(self) -> dict[str, object]:
        return {"knob": self.knob, "criterion": self.criterion, "edge": self.edge, "current": self.current,
                "distance": self.distance, "range": [self.low, self.high], "holds_above_edge": self.increasing,
                "evaluations": self.evaluations, "note": self.note}


def find_tipping_point(
    spec: ScenarioSpec,
    knob: str,
    low: float,
    high: float,
    *,
    criterion_name: str = "cascade",
    tolerance: float | None = None,
    store: Store | None = None,
    max_evaluations: int = 30,
) -> TippingPoint:
    """Bisect ``knob`` over [``low``, ``high``] for the value where ``criterion_name`` starts to hold."""
    if not low < high:
        raise ScenarioError(f"--range {low:g} {high:g}: the low end must be below the high end")
    store = store or Store()
    test = criterion(criterion_name)
    current = knob_value(spec, knob)
    tol = tolerance if tolerance is not None else (high - low) / 1000.0
    evaluations = 0

    def holds(value: float) -> bool:
        nonlocal evaluations
        evaluations += 1
        return test(run_scenario(with_knob(spec, knob, value), store=store))

    at_low, at_high = holds(low), holds(high)
    if at_low == at_high:
        state = "holds" if at_low else "does not hold"
        return TippingPoint(knob, criterion_name, None, current, low, high, True, evaluations,
                            f"the criterion {state} at both ends: no edge in the range")
    increasing = at_high
    lo, hi = low, high
    while hi - lo > tol and evaluations < max_evaluations:
        mid = 0.5 * (lo + hi)
        if holds(mid) == increasing:
            hi = mid
        else:
            lo = mid
    edge = hi if increasing else lo
    side = "at or above" if increasing else "at or below"
    return TippingPoint(knob, criterion_name, edge, current, low, high, increasing, evaluations,
                        f"the loop is self-sustaining ({criterion_name}) {side} {edge:g} (±{hi - lo:.3g})")
