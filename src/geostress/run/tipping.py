"""Tipping points: the smallest value of a scenario knob at which a criterion is met — a cascade (the contagion
block's net selling passes its threshold, 3% of holdings within 12 months by default) or debt/GDP above a level.

The criterion is evaluated on a scenario run, by bisection over the knob. The contagion block's loop gain is kept
below 1, so no loop sustains itself: a cascade is a threshold on how much the block sells, not a runaway. Each
evaluation runs the scenario as given: its deterministic path when ``simulation.paths`` is 0 (``geostress tipping``
without ``--paths``), else its ensemble of that many paths, fiscal-only and coupled scenarios alike; the criterion
holds when it holds on at least half of the paths (:func:`criterion_share`; for ``cascade``, P(cascade) ≥ 50%):

* ``cascade`` (default): the contagion block cascades — its weighted net selling within
  ``contagion.cascade_window_months`` exceeds ``contagion.cascade_threshold`` (3%) of the three holder classes'
  holdings (:mod:`geostress.model.contagion`; the deterministic run takes every parameter at its prior median). A
  scenario with ``[contagion]`` off cannot cascade and is refused, saying how to switch it on;
* ``debt``: debt/GDP exceeds the scenario's highest ``outputs.debt_thresholds`` value within the horizon (or the
  path turns explosive).

Knobs. Any numeric field path of :mod:`geostress.spec.knobs` (``sale_bn`` is short for ``sales[0].amount_bn``).
An integer field (``contagion.cascade_window_months``) is bisected over whole numbers: the range is narrowed to
the integers inside it and the search stops when the bracket is one apart, so the edge is exact. A field the
scenario leaves unset (``None``: a ``[market]`` parameter drawn from its prior, a ``[macro]`` parameter taken
from the model) is searched like any other, each probe fixing it (on every path); its current value is then the
prior median (market) or the value the run uses (macro), and the result says so (``current_source``).

The bisection assumes the criterion flips once over the range (checked at both ends) and reports the edge, the
knob's value in the scenario as given, and the distance between them.

References
----------
Granovetter, M. (1978), "Threshold Models of Collective Behavior", AJS 83(6).
Morris, S. and Shin, H. S. (1998), "Unique Equilibrium in a Model of Self-Fulfilling Currency Attacks", AER 88(3).
"""

from __future__ import annotations

import math
import types
import typing
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.model.fiscal import SimulationOutput
from geostress.results.ensemble import ratios
from geostress.run.engine import run_block, run_scenario
from geostress.spec import knobs
from geostress.spec.scenario import ScenarioSpec
from geostress.spec.sweep import is_int_knob

CRITERIA = ("cascade", "debt")
SALE_KNOB = "sale_bn"
SALE_PATH = "sales[0].amount_bn"
SCENARIO = "scenario"  # current_source of a knob the scenario sets


def knob_path(knob: str) -> str:
    """The knob path for ``knob``: ``sale_bn`` is shorthand for ``sales[0].amount_bn``; other names are paths of
    :mod:`geostress.spec.knobs` (``contagion.scale``, ``announcements[0].intensity``)."""
    return SALE_PATH if knob == SALE_KNOB else knob


def _is_number(annotation: Any) -> bool:
    """``int``, ``float`` or an optional/union of them (not ``bool``)."""
    if annotation in (int, float):
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return bool(args) and all(a in (int, float) for a in args)
    return False


def _check_knob(spec: ScenarioSpec, knob: str) -> str:
    """The knob's path, after checking that it names a numeric field that exists in ``spec``."""
    path = knob_path(knob)
    if path.startswith("sales[") and not spec.sales:
        raise ScenarioError(f"knob {knob} needs a [[sales]] entry in the scenario")
    value = knobs.get(spec, path)  # unknown fields and indices out of range are named here
    if not _is_number(knobs.leaf_annotation(ScenarioSpec, path)) or isinstance(value, bool):
        raise ScenarioError(f"knob {knob!r} is not numeric (it is {value!r}); give a number field, e.g. "
                            "contagion.scale or sales[0].amount_bn")
    return path


def knob_value(spec: ScenarioSpec, knob: str) -> float | None:
    """The knob's numeric value in ``spec``; None when the scenario leaves it unset (see :func:`unset_value`).

    Raises
    ------
    ScenarioError
        Naming the knob when it does not exist or is not a number field.
    """
    value = knobs.get(spec, _check_knob(spec, knob))
    return None if value is None else float(value)


def unset_value(spec: ScenarioSpec, knob: str, store: Store | None = None) -> tuple[float | None, str]:
    """What a run uses for a knob the scenario leaves unset, and where it comes from.

    A ``[market]`` parameter: its prior median (:meth:`geostress.model.market.MarketPriors.medians`; each path
    draws it from the prior, the deterministic path takes the median). A ``[macro]`` parameter: the value the run
    uses (:func:`geostress.run.inputs.macro_for`). Otherwise ``None`` with the field's description.
    """
    from geostress.model import market as mk

    path = knob_path(knob)
    steps = knobs.parse_path(path)
    name = steps[-1]
    if len(steps) == 2 and steps[0] == "market" and name in {f.name for f in fields(mk.MarketPriors)}:
        median = float(getattr(mk.MarketPriors(), str(name)).median)
        return median, "prior median (unset in the scenario: each path draws it from the prior)"
    if len(steps) == 2 and steps[0] == "macro":
        from geostress.run.inputs import macro_for, shock_estimate

        value = getattr(macro_for(spec, shock_estimate(store or Store())), str(name), None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), "model value (unset in the scenario: the run's own)"
    described = ""
    if len(steps) == 2:  # a section's field: its description says what None means
        info = type(getattr(spec, str(steps[0]))).model_fields.get(str(name))
        described = f": {info.description}" if info is not None and info.description else ""
    return None, f"unset in the scenario (None{described}); no distance"


def with_knob(spec: ScenarioSpec, knob: str, value: float) -> ScenarioSpec:
    """``spec`` with the knob set to ``value`` (validated like any scenario; whole numbers for integer fields)."""
    path = _check_knob(spec, knob)
    setting: float | int = int(round(value)) if is_int_knob(path) else value
    return knobs.set_many(spec, {path: setting}, origin=f"knob {knob}={setting:g}")


def check_criterion(name: str, spec: ScenarioSpec | None = None) -> None:
    """Refuse an unknown criterion, and ``cascade`` on a scenario whose contagion block is off (no path can
    cascade there, so no knob value tips it)."""
    if name not in CRITERIA:
        raise ScenarioError(f"criterion {name!r} is not one of {', '.join(CRITERIA)}")
    if name == "cascade" and spec is not None and not spec.contagion.enabled:
        raise ScenarioError(
            f"criterion cascade: {spec.name} has the contagion block off ([contagion] enabled = false), so no path "
            "can cascade and no knob value tips it; switch it on in the scenario file ([contagion] with "
            "enabled = true; a file with extends = \"<preset>\" and that table builds on a preset), or use "
            "--criterion debt")


def _above(out: SimulationOutput, level: float) -> np.ndarray:
    """Per path: debt/GDP above ``level`` in some year of the horizon, or the path turned explosive."""
    return np.any(ratios(out)["debt_to_gdp"] > level, axis=1) | np.asarray(out.exploded, dtype=bool).reshape(-1)


def _runnable(spec: ScenarioSpec, store: Store) -> ScenarioSpec:
    """``spec`` with an enabled ``[reserves]`` section turned into its sales (as :func:`run_scenario` does)."""
    if not spec.reserves.enabled:
        return spec
    from geostress.run.coupled import holders_for
    from geostress.run.inputs import calibrate_for
    from geostress.run.reserves import with_reserve_sales

    holders = holders_for(store, calibrate_for(spec, store))
    return with_reserve_sales(spec, store, holdings_of=lambda name: holders.sector(name).holdings)


def criterion_share(spec: ScenarioSpec, name: str, store: Store | None = None) -> float:
    """The share of the run's paths on which criterion ``name`` holds: its ``simulation.paths`` paths, or its
    deterministic path (a share of 0 or 1) when that is 0. Fiscal-only ensembles run in blocks of
    ``simulation.chunk_paths`` paths with the ensemble's seeding (:func:`geostress.run.engine.run_block`), so
    they are the paths :func:`run_scenario` draws."""
    check_criterion(name, spec)
    store = store or Store()
    spec = _runnable(spec, store)
    if name == "cascade" or spec.coupled:
        coupled = run_scenario(spec, store=store).coupled  # of the ensemble, or of the deterministic path
        if name == "cascade":
            return float(np.mean(coupled.cascade_share)) if coupled is not None else 0.0
        if coupled is not None:
            return float(np.mean(_above(coupled.scenario, max(spec.outputs.debt_thresholds))))
    level = max(spec.outputs.debt_thresholds)
    n = spec.simulation.paths
    if n == 0:
        det = run_block(spec, store=store, deterministic=True).deterministic
        return float(np.mean(_above(det, level)))  # type: ignore[arg-type]
    hits, step = 0, spec.simulation.chunk_paths
    for first in range(0, n, step):
        block = run_block(spec, store=store, first=first, count=min(step, n - first), threads=2)
        hits += int(_above(block.paths, level).sum())  # type: ignore[arg-type]
    return hits / n


@dataclass(frozen=True)
class TippingPoint:
    """Where the criterion flips, and how far the scenario as given is from it."""

    knob: str
    criterion: str
    edge: float | None  # None: no flip within the range
    current: float | None  # None: unset in the scenario, with no value to stand for it (current_source says)
    low: float
    high: float
    increasing: bool  # True: the criterion holds above the edge
    evaluations: int
    note: str
    current_source: str = SCENARIO
    paths: int = 0  # paths per evaluation (0: the deterministic path)
    no_edge: str | None = None  # no flip: "both" (it holds at both ends: already at the low end), "neither"

    @property
    def distance(self) -> float | None:
        return None if self.edge is None or self.current is None else self.edge - self.current

    def to_json(self) -> dict[str, object]:
        return {"knob": self.knob, "criterion": self.criterion, "edge": self.edge, "current": self.current,
                "current_source": self.current_source, "distance": self.distance, "range": [self.low, self.high],
                "holds_above_edge": self.increasing, "evaluations": self.evaluations, "paths": self.paths,
                "no_edge": self.no_edge, "note": self.note}


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
    """Bisect ``knob`` over [``low``, ``high``] for the value where ``criterion_name`` starts to hold.

    Each evaluation runs ``spec`` with the knob set (its ``simulation.paths`` paths, or the deterministic path):
    see the module docstring. Integer knobs are bisected over whole numbers down to a bracket one apart.

    Raises
    ------
    ScenarioError
        Before any run: a range that is empty (or holds fewer than two whole numbers for an integer knob), a knob
        that is not a number field, an unknown criterion, or ``cascade`` with the contagion block off.
    """
    if not low < high:
        raise ScenarioError(f"--range {low:g} {high:g}: the low end must be below the high end")
    current = knob_value(spec, knob)
    check_criterion(criterion_name, spec)
    store = store or Store()
    source = SCENARIO
    if current is None:
        current, source = unset_value(spec, knob, store)
    integer = is_int_knob(knob_path(knob))
    if integer:
        low_i, high_i = math.ceil(low), math.floor(high)
        if not low_i < high_i:
            raise ScenarioError(f"--range {low:g} {high:g}: knob {knob} takes whole numbers and the range holds "
                                "fewer than two; widen it")
        low, high = low_i, high_i
    tol = tolerance if tolerance is not None else (high - low) / 1000.0
    if integer:
        tol = max(1, tol)
    evaluations = 0

    def holds(value: float) -> bool:
        nonlocal evaluations
        evaluations += 1
        return criterion_share(with_knob(spec, knob, value), criterion_name, store) >= 0.5

    paths = spec.simulation.paths
    at_low, at_high = holds(low), holds(high)
    if at_low == at_high:
        where = "already holds at the low end and at the high end" if at_low else "holds at neither end"
        return TippingPoint(knob, criterion_name, None, current, low, high, True, evaluations,
                            f"the criterion {where}: no edge in the range", source, paths,
                            "both" if at_low else "neither")
    increasing = at_high
    lo, hi = low, high
    while hi - lo > tol and evaluations < max_evaluations:
        mid = (lo + hi) // 2 if integer else 0.5 * (lo + hi)
        if holds(mid) == increasing:
            hi = mid
        else:
            lo = mid
    edge = hi if increasing else lo
    side = "at or above" if increasing else "at or below"
    if integer and hi - lo == 1:
        precision = f"exact: not at {lo if increasing else hi}"
    else:
        precision = f"±{hi - lo:.3g}"
    return TippingPoint(knob, criterion_name, edge, current, low, high, increasing, evaluations,
                        f"{criterion_words(spec, criterion_name, knob)} at {knob} {side} {edge:g} ({precision})",
                        source, paths)


def criterion_words(spec: ScenarioSpec, criterion_name: str, knob: str = "") -> str:
    """What :func:`find_tipping_point` finds the edge of, in words, for ``spec`` as given (its paths and
    thresholds): "the cascade measure is reached on the deterministic path (…)", "P(cascade) reaches 50% on
    2,000 paths (…)", or the same of debt/GDP above its level. A knob that moves the threshold itself is not
    quoted at the scenario's value."""
    paths = spec.simulation.paths
    if criterion_name == "cascade":
        c = spec.contagion
        moved = knob_path(knob) in ("contagion.cascade_threshold", "contagion.cascade_window_months")
        measure = ("the contagion block's net selling passes its threshold share of holdings within its window"
                   if moved else f"the contagion block's net selling passes {100 * c.cascade_threshold:.3g}% of "
                   f"holdings within {c.cascade_window_months} months")
        if paths:
            return f"P(cascade) reaches 50% on {paths:,} paths (a path cascades when {measure})"
        return f"the cascade measure is reached on the deterministic path ({measure})"
    level = f"{100 * max(spec.outputs.debt_thresholds):.3g}%"
    if paths:
        return f"P(debt/GDP passes {level} within the horizon) reaches 50% on {paths:,} paths"
    return f"debt/GDP passes {level} within the horizon on the deterministic path"
