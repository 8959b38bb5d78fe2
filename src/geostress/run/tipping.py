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

Before any run both ends of the range are checked as a run would check them (the knob's bounds, a sale against
its holder's holdings): an end the scenario refuses is named with the largest (or smallest) value it accepts.

The bisection assumes the criterion flips once over the range (checked at both ends) and reports the edge, the
knob's value in the scenario as given, and which side of the edge that value is on (:attr:`TippingPoint.past_edge`:
at or above the edge when the criterion holds above it, at or below it otherwise) and by how much. The edge is known
to the search's step (the last bracket); with paths, the sampling error of that many paths is not in the step: the
binomial standard error of P at the edge (:attr:`TippingPoint.p_standard_error`) indicates it, and another seed
can move the edge by more than the step. When no edge is found, ``measure_ends`` says how far the measure got at
each end of the range (:class:`EndMeasure`).

With an edge, the measure at the probes past it says how clearly the criterion holds there, from the bisection's own
runs: the largest margin, measure / threshold − 1 (:attr:`TippingPoint.beyond`), and the far end's measure
(:attr:`TippingPoint.far_end`). The edge is fragile (:attr:`TippingPoint.fragile`, :func:`clearance_text`) when the
margin is under :data:`FRAGILE_MARGIN` (10% of the threshold) at every probe past it: the measure levels off just
above the threshold, and a slightly higher threshold removes the edge (``announcement-wave``'s second-month
announcement intensity over 0–100: at most 3.017% against 3%, a margin of 0.58%).

References
----------
Granovetter, M. (1978), "Threshold Models of Collective Behavior", AJS 83(6).
Morris, S. and Shin, H. S. (1998), "Unique Equilibrium in a Model of Self-Fulfilling Currency Attacks", AER 88(3).
"""

from __future__ import annotations

import math
import struct
import types
import typing
from dataclasses import dataclass, fields, replace
from decimal import ROUND_CEILING, Decimal
from typing import Any

import numpy as np

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.model.fiscal import SimulationOutput
from geostress.results.ensemble import ratios
from geostress.run.engine import run_block, run_scenario
from geostress.run.inputs import store_for
from geostress.spec import knobs
from geostress.spec.scenario import ScenarioSpec
from geostress.spec.sweep import is_int_knob
from geostress.util.words import counted

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
    steps = knobs.parse_path(path)
    if steps and steps[0] == "simulation":
        raise ScenarioError(
            f"knob {knob!r} cannot be searched: tipping sets how each evaluation runs itself, so the knob would "
            "compare different measures (paths) or bisect over random seeds (seed); for paths per evaluation use "
            "--paths, for the seed set [simulation] seed in the scenario file (a file with extends = \"<preset>\" "
            "builds on a preset)", parameter="knob")
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

        value = getattr(macro_for(spec, shock_estimate(store_for(spec, store))), str(name), None)
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

    store = store_for(spec, store)
    holders = holders_for(store, calibrate_for(spec, store))
    return with_reserve_sales(spec, store, holdings_of=lambda name: holders.sector(name).holdings)


def criterion_share(spec: ScenarioSpec, name: str, store: Store | None = None) -> float:
    """The share of the run's paths on which criterion ``name`` holds: its ``simulation.paths`` paths, or its
    deterministic path (a share of 0 or 1) when that is 0. Fiscal-only ensembles run in blocks of
    ``simulation.chunk_paths`` paths with the ensemble's seeding (:func:`geostress.run.engine.run_block`), so
    they are the paths :func:`run_scenario` draws."""
    return _share_and_measure(spec, name, store)[0]


def _peak_debt(out: SimulationOutput) -> float:
    """The deterministic path's peak debt/GDP within the horizon (``inf``: the path turned explosive)."""
    return math.inf if bool(np.any(out.exploded)) else float(ratios(out)["debt_to_gdp"].max())


def _share_and_measure(spec: ScenarioSpec, name: str, store: Store | None = None) -> tuple[float, float]:
    """From one run: :func:`criterion_share` and the criterion's measure (:attr:`EndMeasure.measure`): the share
    itself (P) with paths; on the deterministic path the cascade measure (the contagion block's peak net selling
    within its window, a share of holdings) or the peak debt/GDP within the horizon (``inf``: explosive)."""
    check_criterion(name, spec)
    store = store_for(spec, store)
    spec = _runnable(spec, store)
    level = max(spec.outputs.debt_thresholds)
    n = spec.simulation.paths
    if name == "cascade" or spec.coupled:
        coupled = run_scenario(spec, store=store).coupled  # of the ensemble, or of the deterministic path
        if name == "cascade":
            if coupled is None:
                return 0.0, 0.0
            share = float(np.mean(coupled.cascade_share))
            if n:
                return share, share
            return share, float(coupled.peak_window_share[0]) if coupled.peak_window_share.size else 0.0
        if coupled is not None:
            share = float(np.mean(_above(coupled.scenario, level)))
            return share, share if n else _peak_debt(coupled.scenario)
    if n == 0:
        det = run_block(spec, store=store, deterministic=True).deterministic
        return float(np.mean(_above(det, level))), _peak_debt(det)  # type: ignore[arg-type]
    hits, step = 0, spec.simulation.chunk_paths
    for first in range(0, n, step):
        block = run_block(spec, store=store, first=first, count=min(step, n - first), threads=2)
        hits += int(_above(block.paths, level).sum())  # type: ignore[arg-type]
    return hits / n, hits / n


#: An edge is fragile when, at every probe past it, the measure clears its threshold by less than this share of
#: the threshold (:attr:`TippingPoint.fragile`): the cascade threshold (3%) and the debt levels are conventions,
#: stated to a figure or two, and 50% of paths is "half"; one a tenth higher (3.3%, 55%) is as defensible, and if
#: it removes the edge, the edge is where the measure levels off (a plateau), not where the knob pushes it clearly
#: across.
FRAGILE_MARGIN = 0.10


def percent_texts(measures: typing.Sequence[float], threshold: float, digits: int = 3) -> tuple[list[str], str]:
    """``measures`` and ``threshold`` as percentages ("3.02%", "explosive"), to ``digits`` significant figures or
    as many more (up to ten) as it takes for each measure that differs from the threshold to read differently from
    it ("3.017%" against "3.02%", where three figures print both as "3.02%")."""
    while digits < 10 and any(m != threshold and f"{100 * m:.{digits}g}" == f"{100 * threshold:.{digits}g}"
                              for m in measures if math.isfinite(m)):  # fmt: skip
        digits += 1
    return ([("explosive" if math.isinf(m) else f"{100 * m:.{digits}g}%") for m in measures],
            f"{100 * threshold:.{digits}g}%")


@dataclass(frozen=True)
class EndMeasure:
    """The criterion's measure at one knob value: at an end of a range without an edge, or at a probe past the
    edge (:attr:`TippingPoint.beyond`, :attr:`TippingPoint.far_end`).

    Attributes
    ----------
    value
        The knob's value there.
    measure
        With paths, the share of paths on which the criterion holds (P); on the deterministic path, the cascade
        measure (the contagion block's peak net selling within its window, a share of the three classes'
        holdings) or the peak debt/GDP within the horizon (``inf``: explosive).
    threshold
        What ``measure`` must pass: 0.5 for P, else the scenario's cascade threshold or debt level at that value.
    label
        The measure in words ("P(cascade)", "the contagion block's peak net selling within 12 months (a share of
        holdings)", "peak debt/GDP within the horizon").
    """

    value: float
    measure: float
    threshold: float
    label: str

    def text(self) -> str:
        """The measure as a percentage ("1.23%", "0.00012%", "explosive")."""
        if math.isinf(self.measure):
            return "explosive"
        return f"{100 * self.measure:.3g}%"

    @property
    def margin(self) -> float:
        """By how much the measure clears the threshold, a share of the threshold: measure / threshold − 1
        (negative: short of it; ``inf`` for an explosive path or a threshold of 0 that is passed)."""
        if math.isinf(self.measure) or self.threshold <= 0:
            return math.inf if self.measure > self.threshold else -math.inf
        return self.measure / self.threshold - 1.0

    def to_json(self) -> dict[str, object]:
        margin = self.margin
        return {"value": self.value, "measure": None if math.isinf(self.measure) else self.measure,
                "explosive": math.isinf(self.measure), "threshold": self.threshold, "label": self.label,
                "margin": margin if math.isfinite(margin) else None}


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
    step: float | None = None  # the search's last bracket (0: an integer knob's exact edge); None without an edge
    p_at_edge: float | None = None  # with paths: the share of paths on which the criterion holds at the edge
    ends: tuple[EndMeasure, ...] = ()  # without an edge, when asked (measure_ends): the measure at low and high
    beyond: EndMeasure | None = None  # with an edge: the probe past it where the measure clears its threshold most
    far_end: EndMeasure | None = None  # with an edge: the measure at the range's end past it (high when increasing)
    probes_beyond: int = 0  # with an edge: the probes past it (where the criterion held), the far end among them

    @property
    def distance(self) -> float | None:
        """The edge less the current value (its sign alone does not say the side: see :attr:`past_edge`)."""
        return None if self.edge is None or self.current is None else self.edge - self.current

    @property
    def past_edge(self) -> bool | None:
        """Whether the current value is on the side of the edge where the criterion holds: at or above the edge
        when it holds above it (:attr:`increasing`), at or below it otherwise. Without an edge: True inside a
        range where it holds at both ends, False inside one where it holds at neither; None outside the range or
        with no current value."""
        if self.current is None:
            return None
        if self.edge is None:
            if self.no_edge in ("both", "neither") and self.low <= self.current <= self.high:
                return self.no_edge == "both"
            return None
        return self.current >= self.edge if self.increasing else self.current <= self.edge

    @property
    def margin(self) -> float | None:
        """With an edge: the largest margin by which the measure cleared its threshold at the probes past the edge
        (the far end of the range among them), a share of the threshold (:attr:`EndMeasure.margin`; ``inf``: an
        explosive path); None without an edge."""
        return None if self.beyond is None else self.beyond.margin

    @property
    def fragile(self) -> bool | None:
        """With an edge: whether the measure cleared its threshold by less than :data:`FRAGILE_MARGIN` (a share of
        the threshold) at every probe past the edge, the far end of the range included. A threshold that much
        higher would then hold at none of them: the edge sits where the measure levels off, just above the
        threshold (a plateau), and moves a long way or vanishes with a slightly different threshold. None without
        an edge."""
        margin = self.margin
        return None if margin is None else margin < FRAGILE_MARGIN

    @property
    def p_standard_error(self) -> float | None:
        """With paths, one binomial standard error of P at the edge, sqrt(p(1 − p)/paths): an indication of the
        sampling error the search step leaves out."""
        if self.p_at_edge is None or not self.paths:
            return None
        return math.sqrt(self.p_at_edge * (1.0 - self.p_at_edge) / self.paths)

    def to_json(self) -> dict[str, object]:
        return {"knob": self.knob, "criterion": self.criterion, "edge": self.edge, "current": self.current,
                "current_source": self.current_source, "distance": self.distance, "past_edge": self.past_edge,
                "position": position_text(self), "range": [self.low, self.high],
                "holds_above_edge": self.increasing, "search_step": self.step, "p_at_edge": self.p_at_edge,
                "p_standard_error": self.p_standard_error,
                "evaluations": self.evaluations, "paths": self.paths, "no_edge": self.no_edge,
                "ends": [end.to_json() for end in self.ends] or None,
                "beyond_edge": None if self.beyond is None else self.beyond.to_json(),
                "far_end": None if self.far_end is None else self.far_end.to_json(),
                "margin": self.margin if self.margin is None or math.isfinite(self.margin) else None,
                "fragile": self.fragile, "fragile_margin": FRAGILE_MARGIN, "clearance": clearance_text(self) or None,
                "note": self.note}


def position_text(point: TippingPoint, value: str = "") -> str:
    """Which side of the edge the current value is on, in words: "the scenario's value 1 is already past the edge
    by 0.14", "… is short of the edge by 37.3" (``value``: how to name the value; by default "the scenario's
    value X", or "KNOB = X, the prior median (…)," for a value the scenario leaves unset)."""
    if point.current is None:
        return f"{point.knob} is {point.current_source}"
    if not value:
        value = (f"the scenario's value {point.current:g}" if point.current_source == SCENARIO else
                 f"{point.knob} = {point.current:g}, the {point.current_source},")
    past, distance = point.past_edge, point.distance
    if distance is None:
        if past is None:
            return f"{value} is outside the range"
        return (f"{value} lies in the range, where the criterion already holds: past any edge" if past else
                f"{value} lies in the range, where the criterion does not hold: short of any edge")
    if distance == 0:  # an integer knob's exact edge, or a value the search landed on
        return f"{value} is at the edge, where the criterion already holds"
    words = (f"{value} is already past the edge by {abs(distance):g}" if past else
             f"{value} is short of the edge by {abs(distance):g}")
    # the edge is where the criterion was seen to hold; the true edge lies within one step on the other side of it,
    # so only a value in that step (short of the reported edge by less than the step) is on an unsettled side
    if point.step and not past and abs(distance) < point.step:
        words += f" (within the search step of {point.step:.3g}: the side is not settled)"
    return words


def ends_text(point: TippingPoint) -> str:
    """How far the measure got at the two ends of a range without an edge (:attr:`TippingPoint.ends`), in words,
    each end named with its knob: "P(cascade) was 0% at the low end (sale_bn = 1) and 12% at the high end
    (sale_bn = 600), against a threshold of 50% on 200 paths"; "" when not measured."""
    if len(point.ends) != 2:
        return ""
    a, b = point.ends
    low, high = f"{point.knob} = {a.value:g}", f"{point.knob} = {b.value:g}"  # a bare "(1)" had no unit
    if a.label == b.label and a.threshold == b.threshold:
        (at_a, at_b), threshold = percent_texts([a.measure, b.measure], a.threshold)
        against = threshold + (f" on {counted(point.paths, 'path')}" if point.paths else "")
        return (f"{a.label} was {at_a} at the low end ({low}) and {at_b} at the high end ({high}), against a "
                f"threshold of {against}")
    (at_a,), low_threshold = percent_texts([a.measure], a.threshold)
    (at_b,), high_threshold = percent_texts([b.measure], b.threshold)
    return (f"{a.label} was {at_a} against a threshold of {low_threshold} at the low end ({low}), and "
            f"{b.label} {at_b} against {high_threshold} at the high end ({high})")


def _percent_up(share: float, digits: int) -> str:
    """``share`` as a percentage rounded up (never down) to ``digits`` significant figures: a figure at or above
    it, so that "a threshold above it" is a threshold above the share itself ("3.018%" for 3.01723%)."""
    exact = Decimal(repr(100 * share))
    if exact <= 0:
        return f"{100 * share:.{digits}g}%"
    up = exact.quantize(Decimal(1).scaleb(exact.adjusted() - digits + 1), rounding=ROUND_CEILING)
    return f"{float(up):.{digits}g}%"


def clearance_text(point: TippingPoint) -> str:
    """How clearly the measure passes its threshold past the edge, in words ("" without an edge): whether the edge
    is fragile (:attr:`TippingPoint.fragile`: a margin under :data:`FRAGILE_MARGIN` at every probe past it), the
    largest margin seen at those probes (:attr:`TippingPoint.beyond`) and the far end's measure, e.g. "fragile
    edge (past it the measure clears its threshold by less than 10% of it at every probe): the contagion block's
    peak net selling within 12 months (a share of holdings) reached at most 3.017% against 3%, at 100 (a margin
    of 0.58% of the threshold); at a threshold above 3.018% the criterion holds at none of the 6 probes past the
    edge". The measure is given to four significant figures, and the threshold that removes the edge is rounded
    up, so that it is above the measure itself."""
    best, far = point.beyond, point.far_end
    if best is None or far is None:
        return ""
    rule = f"{FRAGILE_MARGIN:.0%} of it"
    if math.isinf(best.measure):
        return (f"clear edge (past it the measure clears its threshold by {rule} or more at some probe): "
                f"{best.label} turned explosive at {best.value:g}")
    (at_best, at_far), threshold = percent_texts([best.measure, far.measure], best.threshold, digits=4)
    if best.threshold != far.threshold:
        at_far += f" against {percent_texts([far.measure], far.threshold, digits=4)[1]}"
    where = f"at {best.value:g}" + ("" if far.value == best.value else f"; {at_far} at the far end, {far.value:g}")
    share = 100 * best.margin
    margin = f"a margin of {share:.2g}% of the threshold" if share < 10 else f"a margin of {share:,.0f}% of it"
    if not point.fragile:
        return (f"clear edge (past it the measure clears its threshold by {rule} or more at some probe): "
                f"{best.label} reached {at_best} against {threshold}, {where} ({margin})")
    text = (f"fragile edge (past it the measure clears its threshold by less than {rule} at every probe): "
            f"{best.label} reached at most {at_best} against {threshold}, {where} ({margin})")
    path = knob_path(point.knob)
    if path != "contagion.cascade_threshold" and not path.startswith("outputs.debt_thresholds"):
        text += (f"; at a threshold above {_percent_up(best.measure, 4)} the criterion holds at none of the "
                 f"{counted(point.probes_beyond, 'probe')} past the edge")
    return text


def _accepted(spec: ScenarioSpec, knob: str, value: float, store: Store, holders: Any) -> ScenarioError | None:
    """The :class:`ScenarioError` a run of ``spec`` with the knob at ``value`` would fail with before any work
    (the knob's bounds, a sale against its holder's holdings, an event after the horizon), else None."""
    from geostress.run.coupled import check_events

    try:
        probe = with_knob(spec, knob, value)
        if holders is not None:
            check_events(_runnable(probe, store), holders)
    except ScenarioError as exc:
        return exc
    return None


_SIGN = 1 << 63


def _ordinal(x: float) -> int:
    """The position of the finite float ``x`` among all floats (order-preserving: adjacent floats are one apart),
    so that bisecting over positions halves the floats left in a bracket at every step, from any finite bracket."""
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    return -(bits & (_SIGN - 1)) if bits & _SIGN else bits


def _from_ordinal(n: int) -> float:
    """The float at position ``n`` (:func:`_ordinal`)."""
    return float(struct.unpack("<d", struct.pack("<Q", n if n >= 0 else (-n) | _SIGN))[0])


def _limit(spec: ScenarioSpec, knob: str, good: float, bad: float, store: Store, holders: Any,
           integer: bool) -> float:  # fmt: skip
    """The value nearest ``bad`` that the scenario accepts, between ``good`` (accepted) and ``bad`` (refused): by
    bisection on the checks of :func:`_accepted` (no runs), then the roundest decimal accepted near it.

    Floats are bisected over their positions among all floats (:func:`_ordinal`), so any finite bracket, 1 to 1e308
    included, narrows to a relative width of 1e-12 in at most 64 steps (halving the values would need a thousand
    from 1e308); whole numbers are bisected down to a bracket one apart."""
    if integer:
        good, bad = int(good), int(bad)
        while abs(bad - good) > 1:
            mid = good + (bad - good) // 2
            if _accepted(spec, knob, mid, store, holders) is None:
                good = mid
            else:
                bad = mid
        return good
    lo, hi = _ordinal(float(good)), _ordinal(float(bad))
    while abs(hi - lo) > 1:
        g, b = _from_ordinal(lo), _from_ordinal(hi)
        if abs(b - g) <= 1e-12 * max(1.0, abs(g), abs(b)):
            break
        mid = lo + (hi - lo) // 2
        if _accepted(spec, knob, _from_ordinal(mid), store, holders) is None:
            lo = mid
        else:
            hi = mid
    good = _from_ordinal(lo)
    near = 1e-6 * max(1.0, abs(good))
    for decimals in range(-6, 16):  # the roundest value near the limit that is still accepted (100, not 99.99…)
        short = float(round(good, decimals))
        if abs(short - good) <= near and _accepted(spec, knob, short, store, holders) is None:
            return short
    return good


def _figure(value: float) -> str:
    """``value`` compactly (``:g``, six significant figures) when that is the value itself, else in full
    (``repr``): a limit of 123.456789 is named as such, not as 123.457, a value past it."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def _check_range(spec: ScenarioSpec, knob: str, low: float, high: float, store: Store, integer: bool) -> None:
    """Refuse, before any run, a range whose end the scenario refuses, naming ``--range`` and the largest (or
    smallest) value it accepts when the other end is accepted."""
    holders = None
    store = store_for(spec, store)
    if spec.coupled and (spec.sales or spec.announcements or spec.threats or spec.reserves.enabled):
        from geostress.run.coupled import holders_for
        from geostress.run.inputs import calibrate_for

        holders = holders_for(store, calibrate_for(spec, store))
    refused = {"low": _accepted(spec, knob, low, store, holders), "high": _accepted(spec, knob, high, store, holders)}
    reason = {end: str(error).rstrip(".") for end, error in refused.items() if error is not None}
    if len(reason) == 2:
        raise ScenarioError(f"--range {low:g} {high:g}: the scenario refuses both ends (low end {low:g}: "
                            f"{reason['low']}; high end {high:g}: {reason['high']}); give a range it accepts",
                            parameter="value_range")
    for end, value, other in (("high", high, low), ("low", low, high)):
        if end not in reason:
            continue
        best = _limit(spec, knob, other, value, store, holders, integer)
        bound = float(round(best, 6))  # a strict bound (lt=1, gt=0) is approached, never reached: name it
        shown = _figure(bound)  # the figure checked, not one rounded again (123.456789 printed as 123.457)
        most = "largest" if end == "high" else "smallest"
        edge = "end" if end == "high" else "start"
        if _accepted(spec, knob, bound, store, holders) is None and bound != other and (bound < other) == (
                end == "low"):
            fixed = f"{low:g} {shown}" if end == "high" else f"{shown} {high:g}"
            fix = f"the {most} value it accepts is {shown}: use --range {fixed}"
        elif _accepted(spec, knob, bound, store, holders) is None:  # the other end is itself the limit
            side = "low" if end == "high" else "high"
            fix = (f"the {most} value it accepts is {other:g}, the {side} end itself, so no range is left; "
                   f"give a {side} end {'below' if end == 'high' else 'above'} {other:g}")
        else:
            fix = f"it accepts values {'below' if end == 'high' else 'above'} {shown} only: {edge} the range there"
        raise ScenarioError(f"--range {low:g} {high:g}: the scenario refuses the {end} end ({reason[end]}); {fix}",
                            parameter="value_range")


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
    measure_ends: bool = False,
) -> TippingPoint:
    """Bisect ``knob`` over [``low``, ``high``] for the value where ``criterion_name`` starts to hold.

    Each evaluation runs ``spec`` with the knob set (its ``simulation.paths`` paths, or the deterministic path):
    see the module docstring. Integer knobs are bisected over whole numbers down to a bracket one apart.

    Parameters
    ----------
    measure_ends
        When no edge is found, say how far the criterion got at both ends (:class:`EndMeasure`: P with paths, on
        the deterministic path the cascade measure or the peak debt/GDP), from the runs already made. With an
        edge, the measure past it is always given (:attr:`TippingPoint.beyond`, :attr:`TippingPoint.far_end`,
        :attr:`TippingPoint.fragile`), from the same runs.

    Raises
    ------
    ScenarioError
        Before any run: a range that is empty (or holds fewer than two whole numbers for an integer knob), an end
        of it the scenario refuses (naming the largest or smallest value accepted), a knob that is not a number
        field, an unknown criterion, or ``cascade`` with the contagion block off.
    """
    for end, value in (("low", low), ("high", high)):
        if not math.isfinite(value):
            raise ScenarioError(f"--range {low:g} {high:g}: the {end} end {value:g} is not a finite number; give "
                                "finite ends (nan, inf and -inf are refused)", parameter="value_range")
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
    _check_range(spec, knob, low, high, store, integer)
    tol = tolerance if tolerance is not None else (high - low) / 1000.0
    if integer:
        tol = max(1, tol)
    shares: dict[float, float] = {}
    measures: dict[float, EndMeasure] = {}

    def holds(value: float) -> bool:
        probe = with_knob(spec, knob, value)
        shares[value], measure = _share_and_measure(probe, criterion_name, store)
        measures[value] = EndMeasure(value, measure, *_measure_terms(probe, criterion_name))
        return shares[value] >= 0.5

    paths = spec.simulation.paths
    at_low, at_high = holds(low), holds(high)
    if at_low == at_high:
        where = "already holds at the low end and at the high end" if at_low else "holds at neither end"
        point = TippingPoint(knob, criterion_name, None, current, low, high, True, len(shares),
                             f"the criterion {where}: no edge in the range", source, paths,
                             "both" if at_low else "neither", ends=(measures[low], measures[high]) if measure_ends
                             else ())
        more = ends_text(point)
        return point if not more else replace(point, note=f"{point.note}; {more}")
    increasing = at_high
    lo, hi = low, high
    while hi - lo > tol and len(shares) < max_evaluations:
        mid = (lo + hi) // 2 if integer else 0.5 * (lo + hi)
        if holds(mid) == increasing:
            hi = mid
        else:
            lo = mid
    edge = hi if increasing else lo
    side = "at or above" if increasing else "at or below"
    step = hi - lo
    p_edge = shares[edge] if paths else None
    if integer and step == 1:
        precision, step = f"exact: not at {lo if increasing else hi}", 0
    else:
        precision = f"search step ±{step:.3g}"
    past = [measures[value] for value, share in shares.items() if share >= 0.5]  # the far end among them
    point = TippingPoint(knob, criterion_name, edge, current, low, high, increasing, len(shares), "", source, paths,
                         step=step, p_at_edge=p_edge, beyond=max(past, key=lambda m: m.margin),
                         far_end=measures[high if increasing else low], probes_beyond=len(past))
    if point.p_standard_error is not None:
        precision += (f"; not included: the sampling error of {counted(paths, 'path')}, P = {p_edge:.3g} "
                      f"± {point.p_standard_error:.2g} at the edge, one binomial standard error")
    return replace(point, note=f"{criterion_words(spec, criterion_name, knob)} at {knob} {side} {edge:g} "
                               f"({precision})")


def _measure_terms(probe: ScenarioSpec, name: str) -> tuple[float, str]:
    """The threshold and the label of the criterion's measure on a run of ``probe`` (:class:`EndMeasure`): 0.5 and
    P with paths, else the cascade threshold and the block's peak net selling, or the highest debt level and the
    peak debt/GDP."""
    if name == "cascade":
        if probe.simulation.paths:
            return 0.5, "P(cascade)"
        return probe.contagion.cascade_threshold, (
            f"the contagion block's peak net selling within "
            f"{counted(probe.contagion.cascade_window_months, 'month')} (a share of holdings)")
    level = max(probe.outputs.debt_thresholds)
    if probe.simulation.paths:
        return 0.5, f"P(debt/GDP above {100 * level:.3g}%)"
    return level, "peak debt/GDP within the horizon"


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
                   f"holdings within {counted(c.cascade_window_months, 'month')}")
        if paths:
            return f"P(cascade) reaches 50% on {counted(paths, 'path')} (a path cascades when {measure})"
        return f"the cascade measure is reached on the deterministic path ({measure})"
    level = f"{100 * max(spec.outputs.debt_thresholds):.3g}%"
    if paths:
        return f"P(debt/GDP passes {level} within the horizon) reaches 50% on {counted(paths, 'path')}"
    return f"debt/GDP passes {level} within the horizon on the deterministic path"
