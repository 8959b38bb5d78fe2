"""Orchestration of the coupled loop: holders' sales and contagion → market term premium → yields → interest on
rolling cohorts → deficits → fiscal news → signal → more selling.

Each month, on every path:

1. the fiscal engine advances with last month's market term premium (a one-month lag keeps the loop explicit);
   a twin engine with the same shocks and no market runs beside it, so every effect is measured against the
   same path without the events (common random numbers);
2. the investors' signal mixes visible selling (the seller fraction), the 10-year yield change, fiscal news
   (debt/GDP and interest/revenue above the twin) and announcements, public ones weighted up
   (:mod:`geostress.model.contagion`, mean-field: with common signals the sellers are exactly those whose
   threshold lies below the highest signal seen so far);
3. the named official holders (the top TIC countries' official sectors) follow their own rule: beyond any
   scheduled sale, each sells ``official_sensitivity`` of what it still holds per month per unit of public signal
   above ``official_trigger`` (a reserve manager reacting to the same public news, more slowly than private
   money);
4. scheduled sales, announced sales, the officials' and the investors' new selling shift the holders' demand
   curves and the market clears (:mod:`geostress.model.market`), giving next month's term premium.

Supply deviations (more debt than the twin) are priced by the fiscal engine's risk premium (bp per pp of
debt/GDP), not again by the market block, to avoid counting the same channel twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from geostress.errors import ScenarioError
from geostress.model import contagion_legacy as cg  # issue 14: until the loop calls model.contagion
from geostress.model import market as mk
from geostress.model.fiscal import (
    DEBT,
    MONTHLY_FIELDS,
    RUN_RATE,
    FiscalStepper,
    MacroParams,
    SimulationOutput,
)

if TYPE_CHECKING:
    from geostress.calibrate.fiscal import CalibratedBaseline
    from geostress.calibrate.market import Holders
    from geostress.data.store import Store
    from geostress.model.fiscal import BaselinePaths
    from geostress.spec.scenario import ScenarioSpec

CHUNK_PATHS = 4096
SERIAL_PATHS = 64  # runs of at most this many paths keep numba on the calling thread (serial_kernels)
#: Market groups whose holders sell when investors' thresholds are crossed (the reactive, private money).
REACTIVE_GROUPS = ("foreign_private", "domestic")


@dataclass(frozen=True)
class CoupledOutput:
    """Per-path results of a coupled run (P paths).

    Attributes
    ----------
    scenario, twin
        Fiscal-year aggregates with the events and without them (same shocks).
    peak_10y_change_bp
        (P,) highest 10-year yield excess over the twin, bp.
    cascade_share
        (P,) share of the investor population selling at the end.
    term_premium_bp
        (P, T) market term premium at 10 years by month, bp (float32).
    sold_bn
        (P,) total sales executed (scheduled, announced and contagion), USD bn.
    monthly
        (1, T, fields) monthly detail of path 0 (filled for deterministic runs).
    """

    scenario: SimulationOutput
    twin: SimulationOutput
    peak_10y_change_bp: np.ndarray
    cascade_share: np.ndarray
    term_premium_bp: np.ndarray
    sold_bn: np.ndarray
    monthly: np.ndarray


def market_params(spec: ScenarioSpec, holders: Holders) -> mk.MarketParams:
    m = spec.market
    return holders.params(
        impact_5y_bp_per_100bn=m.impact_5y_bp_per_100bn, longrun_5y_bp_per_100bn=m.longrun_5y_bp_per_100bn,
        stock_bp_per_pp=m.stock_bp_per_pp, flow_half_life_months=m.flow_half_life_months,
    )  # fmt: skip


def contagion_params(spec: ScenarioSpec) -> cg.ContagionParams:
    c = spec.contagion
    return cg.ContagionParams(
        peer_global=c.peer_global, yield_weight=c.yield_weight, debt_weight=c.debt_weight,
        interest_weight=c.interest_weight, announcement_weight=c.announcement_weight,
        public_multiplier=c.public_multiplier, sell_fraction=c.sell_fraction, enabled=c.enabled,
        thresholds=cg.ThresholdDistribution(kind="normal", mean=c.threshold_mean, sd=c.threshold_sd),
    )  # fmt: skip


def schedule(spec: ScenarioSpec, params: mk.MarketParams, months: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(T, S) scheduled sales, (T,) announced sales and (T, 2) announcement intensity (public, private).

    Raises :class:`ScenarioError` before any work for an unknown holder (with close matches), a sale larger than
    the holder's holdings, or an event after the horizon.
    """
    sales = np.zeros((months, len(params.names)))
    for sale in spec.sales:
        index = params.index(sale.holder)
        held = params.holdings[index]
        if sale.amount_bn > held * (1 + 1e-9):
            raise ScenarioError(f"sale of {sale.amount_bn:,.1f} bn by {sale.holder!r} exceeds its holdings of "
                                f"{held:,.1f} bn; sell at most that")
        first = sale.start_month - 1
        if first + sale.months > months:
            raise ScenarioError(f"sale by {sale.holder!r} runs past the horizon of {months} months")
        sales[first : first + sale.months, index] += sale.amount_bn / sale.months
    announced = np.zeros(months)
    intensity = np.zeros((months, 2))
    for note in spec.announcements:
        if note.month > months:
            raise ScenarioError(f"announcement in month {note.month} is after the horizon of {months} months")
        announced[note.month - 1] += note.amount_bn
        intensity[note.month - 1, 0 if note.public else 1] += note.intensity
    return sales, announced, intensity


@contextmanager
def serial_kernels(serial: bool) -> Iterator[None]:
    """Run numba's parallel kernels on the calling thread only while ``serial`` (numba's setting is per thread).

    A run with a handful of paths gains nothing from the thread pool, yet wakes it for each of the model's kernels
    every month; on a busy machine those wake-ups cost seconds per run (a tipping-point bisection on two loaded
    cores: 14 s with the pool, 2.8 s without).
    """
    if not serial:
        yield
        return
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(before)


def run_coupled(
    calib: CalibratedBaseline,
    paths: BaselinePaths,
    macro: MacroParams,
    spec: ScenarioSpec,
    holders: Holders,
    *,
    shocks: np.ndarray | None,
    n_paths: int,
    yield_shift: np.ndarray | float = 0.0,
    record: bool = False,
) -> CoupledOutput:
    """Run the coupled loop on ``n_paths`` paths (``shocks`` (P, T, 5) or None for the deterministic path)."""
    params = market_params(spec, holders)
    cparams = contagion_params(spec)
    months = paths.months
    sales_plan, announced, intensity = schedule(spec, params, months)
    groups = np.array([s.group for s in params.sectors])
    reactive = np.isin(groups, REACTIVE_GROUPS) & (params.holdings > 0)
    weights = np.where(reactive, params.holdings, 0.0)
    weights = weights / weights.sum()
    population = spec.contagion.population_bn if cparams.enabled else 0.0
    official = groups == "foreign_official"
    sensitivity = spec.contagion.official_sensitivity if cparams.enabled else 0.0
    trigger = spec.contagion.official_trigger
    book, fparams = calib.book, calib.params
    scenario = FiscalStepper(book, paths, fparams, macro, n_paths=n_paths, yield_shift=yield_shift)
    twin = FiscalStepper(book, paths, fparams, macro, n_paths=n_paths, yield_shift=yield_shift)
    state = mk.initial_state(params, n_paths)
    peak_signal = np.full(n_paths, -np.inf)
    fraction = np.zeros(n_paths)
    peak_dy = np.zeros(n_paths)
    sold = np.zeros(n_paths)
    tp_paths = np.zeros((n_paths, months), dtype=np.float32)
    monthly = np.zeros((1 if record else 0, months, len(MONTHLY_FIELDS)))
    with serial_kernels(n_paths <= SERIAL_PATHS):
        for t in range(months):
            z = None if shocks is None else shocks[:, t]
            base = twin.step(0.0, z).copy()
            out = scenario.step(state.fiscal_market_tp, z)
            if record:
                monthly[0, t, :8] = out[0]
                monthly[0, t, 7] = scenario.state[0, RUN_RATE] * 12.0 / scenario.state[0, DEBT]
                monthly[0, t, 8] = out[0, 7]
            dy = (out[:, 6] - base[:, 6]) * 1e4
            np.maximum(peak_dy, dy, out=peak_dy)
            signals = cg.Signals(
                yield_change_bp=dy,
                debt_to_gdp_pp=100.0 * (scenario.debt_to_gdp - twin.debt_to_gdp),
                interest_to_revenue_pp=100.0 * (out[:, 1] / out[:, 4] - base[:, 1] / base[:, 4]),
                public=intensity[t, 0],
                private=intensity[t, 1],
            )
            new_selling = np.zeros(n_paths)
            if population > 0:
                peak_signal, new_fraction = cg.mean_field_step(peak_signal, signals, cparams)
                new_selling = population * cparams.sell_fraction * np.maximum(new_fraction - fraction, 0.0)
                fraction = new_fraction
            month_sales = sales_plan[t][None, :] + (new_selling + announced[t])[:, None] * weights[None, :]
            if sensitivity > 0:  # the officials' own rule, on what they still hold after any scheduled sale
                level = cg.public_signal(fraction, signals, cparams)
                share = np.clip(sensitivity * (level - trigger), 0.0, 1.0)
                left = np.maximum(state.holdings[:, official] - month_sales[:, official], 0.0)
                month_sales[:, official] += share[:, None] * left
            month_sales = np.minimum(month_sales, state.holdings)  # nobody sells more than it holds
            sold += month_sales.sum(axis=1)
            state = mk.step(state, mk.MarketInputs(sales=month_sales), params)
            tp_paths[:, t] = state.tp_10y_bp
    return CoupledOutput(scenario.output(), twin.output(), peak_dy, fraction, tp_paths, sold, monthly)


def holders_for(store: Store, calib: CalibratedBaseline) -> Holders:
    """Holder sectors as of the month before the run starts."""
    return holders_at_start(store, calib.start)


def holders_at_start(store: Store, start: date) -> Holders:
    """Holder sectors on the day before a run that starts on ``start``."""
    from geostress.calibrate.market import build_holders

    return build_holders(store, at=start - timedelta(days=1))


def check_events(spec: ScenarioSpec, holders: Holders) -> None:
    """Raise the :class:`ScenarioError` a run would raise for the spec's sales and announcements, without running
    it: unknown holders, sales above holdings, events after the horizon (the checks of :func:`schedule`)."""
    schedule(spec, market_params(spec, holders), 12 * spec.scenario.horizon_years)


def run_coupled_chunks(
    calib: CalibratedBaseline, paths: BaselinePaths, macro: MacroParams, spec: ScenarioSpec, holders: Holders, *,
    n_paths: int, seed: int, yield_shift: np.ndarray | float = 0.0, chunk_paths: int = CHUNK_PATHS,
) -> CoupledOutput:  # fmt: skip
    """:func:`run_coupled` over chunks of paths with the ensemble's block seeding (same shocks as uncoupled)."""
    from geostress.run.engine import draw_paths

    if n_paths < 1:
        raise ScenarioError("coupled ensemble needs at least one path")
    months = paths.months
    parts = []
    for first in range(0, n_paths, chunk_paths):
        count = min(chunk_paths, n_paths - first)
        shocks = draw_paths(seed, first, count, months)
        parts.append(run_coupled(calib, paths, macro, spec, holders, shocks=shocks, n_paths=count,
                                 yield_shift=yield_shift))
    if len(parts) == 1:
        return parts[0]

    def join(outputs: list[SimulationOutput]) -> SimulationOutput:
        return SimulationOutput(np.concatenate([o.annual for o in outputs]), outputs[0].monthly,
                                outputs[0].fiscal_years, np.concatenate([o.exploded for o in outputs]),
                                np.concatenate([o.explode_month for o in outputs]))

    return CoupledOutput(
        join([p.scenario for p in parts]), join([p.twin for p in parts]),
        np.concatenate([p.peak_10y_change_bp for p in parts]), np.concatenate([p.cascade_share for p in parts]),
        np.concatenate([p.term_premium_bp for p in parts]), np.concatenate([p.sold_bn for p in parts]),
        parts[0].monthly,
    )  # fmt: skip


__all__ = ["CoupledOutput", "run_coupled", "run_coupled_chunks", "schedule"]
