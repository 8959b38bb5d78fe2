"""Orchestration of the coupled loop: scheduled sales, announcements, threats and contagion → the Treasury market
(price impact and stabilisers) → yields → interest on rolling cohorts → deficits → fiscal news → contagion.

Order of one run on P paths (each path carries its own draw of the market and contagion parameters from their
stated priors, so the spread over paths is parameter uncertainty *and* macro shocks):

1. **Market and contagion, month by month** (:mod:`geostress.model.market`, :mod:`geostress.model.contagion`;
   a few array operations per month over P paths and 3 classes, no per-sector root finding). Each month the
   contagion block reads last month's term-premium change, last month's visible selling, fiscal news, public
   announcements, threats and whether the backstop is buying, and returns the share of each class's holdings it
   sells; scheduled sales are added; the market turns the month's flows into the 10-year term premium.
2. **The fiscal engine, whole horizon** (:func:`geostress.model.fiscal.simulate`, one compiled kernel) with that
   path of the market term premium, and its twin with the same shocks and no market (every effect is measured
   against the same path without the events).
3. **Fiscal news** (this month's change in debt/GDP against the no-event path, pp) is what the fiscal engine tells
   the contagion block. Inside the month loop it is read from the market path already known: news_t = k · d_t ·
   y_{t−1}, with d_t the baseline debt/GDP, y_{t−1} last month's 10-year yield change (bp) and k measured from the
   fiscal engine itself at each calibration (its response to a permanent +10 bp premium, :func:`news_coefficient`;
   ≈3.5e-4 pp per bp per unit of debt/GDP on the Feb-2026 baseline: the output gap, the denominator and the
   repricing of bills move debt/GDP within the month). On ``japan-also-sells`` it gives 0.115 pp of news over the
   first 24 months against the engine's 0.114, and 0.30 against 0.26 over 30 years (docs/market.md). This keeps the
   loop to one pass: the fiscal engine runs once with the market path, once for the twin.

Supply deviations (debt above the twin) are priced by the fiscal engine's credit risk premium (bp per pp of
debt/GDP), not again by the market block; the market block prices *scheduled* supply (``geostress market``) with
the same coefficient as holder sales.

With no sales, announcements or threats the market term premium is exactly zero and the scenario equals the
twin exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from geostress.errors import ScenarioError
from geostress.model import contagion as cg
from geostress.model import market as mk
from geostress.model.fiscal import MONTHLY_FIELDS, MacroParams, SimulationOutput, simulate

if TYPE_CHECKING:
    from geostress.calibrate.fiscal import CalibratedBaseline
    from geostress.calibrate.market import Holders
    from geostress.data.store import Store
    from geostress.model.fiscal import BaselinePaths
    from geostress.spec.scenario import ScenarioSpec

CHUNK_PATHS = 16_384
SERIAL_PATHS = 64  # runs of at most this many paths keep numba on the calling thread (serial_kernels)
#: Spawn keys of the parameter draws (block b of BLOCK_PATHS paths draws from SeedSequence(seed, (b, key))).
MARKET_KEY, CONTAGION_KEY = 101, 102
#: Columns of the scheduled flows: official (diversification), official (liquidity), foreign private, domestic
#: private, Fed purchases.
FLOW_COLUMNS = ("official", "official_liquidity", "foreign_private", "domestic_private", "fed_purchases")


@dataclass(frozen=True)
class CoupledOutput:
    """Per-path results of a coupled run (P paths).

    Attributes
    ----------
    scenario, twin
        Fiscal-year aggregates with the events and without them (same shocks).
    peak_10y_change_bp
        (P,) highest 10-year yield change the market block produced (term premium plus monetary offset), bp.
    persistent_10y_change_bp
        (P,) the same at :attr:`persistent_month` (24 months, or 12 after the last sale ends), bp.
    cascade_share
        (P,) 1.0 where the path cascaded (contagion's weighted net selling within its window exceeded the
        threshold), else 0.0: the mean is P(cascade) over parameter draws.
    term_premium_bp
        (P, T) market term premium at 10 years by month, bp (float32).
    sold_bn
        (P,) gross sales executed (scheduled, announced and the contagion block's; its buybacks are not netted),
        USD bn.
    monthly
        (1, T, fields) monthly detail of path 0 (filled for deterministic runs).
    backstop_bn
        (P,) Fed backstop purchases over the run, USD bn.
    draws
        Parameter name → (P,) the market parameters each path drew (for the variance decomposition).
    persistent_month
        The month (1-based) ``persistent_10y_change_bp`` is read.
    backstop_off
        The same market run with the backstop switched off (market block only: ``peak_10y_change_bp``,
        ``persistent_10y_change_bp``), ``{}`` when not asked.
    """

    scenario: SimulationOutput
    twin: SimulationOutput
    peak_10y_change_bp: np.ndarray
    cascade_share: np.ndarray
    term_premium_bp: np.ndarray
    sold_bn: np.ndarray
    monthly: np.ndarray
    persistent_10y_change_bp: np.ndarray = field(default_factory=lambda: np.zeros(0))
    backstop_bn: np.ndarray = field(default_factory=lambda: np.zeros(0))
    draws: dict[str, np.ndarray] = field(default_factory=dict)
    persistent_month: int = 24
    backstop_off: dict[str, np.ndarray] = field(default_factory=dict)


# -- spec → parameters --------------------------------------------------------------------------------------------
def stabilisers_for(spec: ScenarioSpec, backstop: bool | None = None) -> mk.Stabilisers:
    m = spec.market
    return mk.Stabilisers(
        backstop=getattr(m, "backstop", True) if backstop is None else backstop,
        fima=getattr(m, "fima", True), monetary_offset=getattr(m, "monetary_offset", True),
        bill_shift=getattr(m, "bill_shift", True), value_buyers=getattr(m, "value_buyers", True),
    )  # fmt: skip


def market_priors(spec: ScenarioSpec) -> mk.MarketPriors:
    """The stated priors with the spec's ``[market]`` overrides (a number fixes a parameter on every path)."""
    fixed = {f.name: getattr(spec.market, f.name) for f in fields(mk.MarketPriors)
             if getattr(spec.market, f.name, None) is not None}
    return mk.MarketPriors().with_overrides(**fixed)


def contagion_priors(spec: ScenarioSpec, holders: Holders) -> cg.ContagionPriors:
    c = spec.contagion
    holdings = tuple(float(x) for x in holders.class_holdings())
    return cg.ContagionPriors(enabled=bool(c.enabled), class_holdings_bn=holdings,  # type: ignore[arg-type]
                              cascade_threshold=c.cascade_threshold,
                              cascade_window_months=c.cascade_window_months).scaled(c.scale)


def _block_draws(seed: int, key: int, first: int, count: int, draw: Any) -> Any:
    """Per-path parameter draws that depend only on the seed and the path index (blocks of BLOCK_PATHS)."""
    from geostress.run.seeding import BLOCK_PATHS

    parts = []
    last = first + count
    for block in range(first // BLOCK_PATHS, (last - 1) // BLOCK_PATHS + 1):
        lo = block * BLOCK_PATHS
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block, key))))
        whole = draw(rng, BLOCK_PATHS)
        a, b = max(lo, first), min(lo + BLOCK_PATHS, last)
        parts.append((whole, a - lo, b - lo))
    return parts


def draw_market(priors: mk.MarketPriors, stabilisers: mk.Stabilisers, seed: int, first: int,
                count: int) -> mk.MarketParams:
    parts = _block_draws(seed, MARKET_KEY, first, count, lambda rng, n: mk.draw_params(priors, rng, n, stabilisers))
    values = {f.name: np.concatenate([np.asarray(getattr(p, f.name))[a:b] for p, a, b in parts])
              for f in fields(mk.MarketPriors)}
    return mk.MarketParams(**values, stabilisers=stabilisers)


def draw_contagion(priors: cg.ContagionPriors, seed: int, first: int, count: int) -> cg.ContagionDraws:
    from dataclasses import replace

    parts = _block_draws(seed, CONTAGION_KEY, first, count, lambda rng, n: cg.draw_params(priors, rng, n))
    packed = np.concatenate([d.packed[a:b] for d, a, b in parts])
    return replace(parts[0][0], packed=packed)


# -- the schedule -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Schedule:
    """(T, 5) scheduled flows (USD bn; :data:`FLOW_COLUMNS`), (T,) announcement and threat intensity."""

    flows: np.ndarray
    announcement: np.ndarray
    threat: np.ndarray
    first_month: int  # first month (1-based) with an event, 0 if none
    last_sale_month: int  # last month (1-based) of a scheduled sale, 0 if none

    @property
    def persistent_month(self) -> int:
        months = self.flows.shape[0]
        if self.last_sale_month == 0:
            return min(24, months)
        return min(months, max(self.first_month + 23, self.last_sale_month + 12))


def _motive(sale: Any) -> str:
    motive = getattr(sale, "motive", "diversification")
    if motive not in mk.MOTIVES:
        raise ScenarioError(f"sale by {sale.holder!r}: motive {motive!r} is not one of {', '.join(mk.MOTIVES)}")
    return motive


def schedule(spec: ScenarioSpec, holders: Holders, months: int) -> Schedule:
    """The spec's sales, announcements and threats by month.

    Raises :class:`ScenarioError` before any work for an unknown holder (with close matches), a sale larger than
    the holder's holdings, or an event after the horizon.
    """
    flows = np.zeros((months, len(FLOW_COLUMNS)))
    announcement = np.zeros(months)
    threat = np.zeros(months)
    firsts, lasts = [], []
    for sale in spec.sales:
        sector = holders.sector(sale.holder)
        if sale.amount_bn > sector.holdings * (1 + 1e-9):
            raise ScenarioError(f"sale of {sale.amount_bn:,.1f} bn by {sale.holder!r} exceeds its holdings of "
                                f"{sector.holdings:,.1f} bn; sell at most that")
        first = sale.start_month - 1
        if first + sale.months > months:
            raise ScenarioError(f"sale by {sale.holder!r} runs past the horizon of {months} months")
        col = {"foreign_official": 1 if _motive(sale) == "liquidity" else 0, "foreign_private": 2,
               "domestic": 3, "fed": 4}[sector.group]
        amount = sale.amount_bn / sale.months * (-1.0 if col == 4 else 1.0)  # a Fed sale = negative purchases
        flows[first : first + sale.months, col] += amount
        firsts.append(sale.start_month)
        lasts.append(first + sale.months)
    for note in spec.announcements:
        if note.month > months:
            raise ScenarioError(f"announcement in month {note.month} is after the horizon of {months} months")
        flows[note.month - 1, 3] += note.amount_bn  # the announced sale itself, by a private holder
        if note.public:  # a private sale is quantity only; a public one is also a signal (docs/contagion.md)
            announcement[note.month - 1] += note.intensity
        firsts.append(note.month)
    for note in getattr(spec, "threats", []) or []:
        if note.month > months:
            raise ScenarioError(f"threat in month {note.month} is after the horizon of {months} months")
        threat[note.month - 1] += note.intensity
        firsts.append(note.month)
    return Schedule(flows, announcement, threat, min(firsts) if firsts else 0, max(lasts) if lasts else 0)


# -- the loop -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MarketPath:
    """What the market-and-contagion pass gives, on P paths."""

    yield_bp: np.ndarray  # (T, P) 10y yield change handed to the fiscal engine, bp (month-major, as the kernel reads)
    tp_bp: np.ndarray  # (P, T) 10y term premium, bp (float32)
    sold_bn: np.ndarray  # (P,) gross sales (scheduled, announced, contagion; buybacks not netted)
    backstop_bn: np.ndarray  # (P,)
    cascade: np.ndarray  # (P,) bool


def market_pass(
    sched: Schedule, params: mk.MarketParams, cdraws: cg.ContagionDraws | None, class_holdings: np.ndarray,
    total_holdings: float, gdp: np.ndarray, n_paths: int, news_per_bp: np.ndarray | None = None,
) -> MarketPath:  # fmt: skip
    """Step the market (and contagion, when ``cdraws`` is given) over the horizon on ``n_paths`` paths.

    ``news_per_bp`` (T,): fiscal news (pp of debt/GDP) per bp of last month's 10-year yield change, k · d_t
    (:func:`news_coefficient`); ``None`` gives no fiscal news.
    """
    months = sched.flows.shape[0]
    state = mk.initial_state(n_paths)
    packed = np.vstack(mk.pack(params, 1.0, n_paths))
    cstate = cg.init_state(n_paths, cdraws.cascade_window) if cdraws is not None else None
    yield_bp = np.zeros((months, n_paths))  # month-major: contiguous rows while stepping, as the fiscal kernel reads
    tp_bp = np.zeros((months, n_paths), dtype=np.float32)
    sold = np.zeros(n_paths)
    held = np.tile(class_holdings, (n_paths, 1))  # what each class still holds (contagion sells from it)
    last_tp = np.zeros(n_paths)
    prev_tp = np.zeros(n_paths)
    visible = np.zeros(n_paths)
    flows = np.zeros((n_paths if cstate is not None else 1, 6))
    last_yield = np.zeros(n_paths)
    month_sold = np.zeros(n_paths)
    gross = np.zeros(n_paths)
    for t in range(months):
        f = sched.flows[t]
        flows[:, :4] = f[:4]
        flows[:, 4] = f[4]
        month_sold[:] = f[:4].sum() - f[4]
        gross[:] = np.maximum(f[:4], 0.0).sum() + max(-f[4], 0.0)
        if cstate is not None:
            signals = cg.Signals(
                d_tp_10y_bp=last_tp - prev_tp, peer_sell_share=visible / total_holdings,
                fiscal_news=0.0 if news_per_bp is None else news_per_bp[t] * last_yield,
                announcement=float(sched.announcement[t]), threat=float(sched.threat[t]),
                backstop_active=state.backstop_active.astype(float),
            )  # fmt: skip
            cstate, share = cg.step(cstate, signals, cdraws)
            mk.add_class_sales(share, class_holdings, held, flows, month_sold, gross)
        mk.advance_inplace(state, flows, packed, float(gdp[t]))
        if cstate is not None:
            prev_tp, last_tp = last_tp, state.tp_10y_bp.copy()
            visible = month_sold.copy()
        sold += gross
        np.add(state.tp_10y_bp, state.offset_bp, out=yield_bp[t])
        tp_bp[t] = state.tp_10y_bp
        last_yield = yield_bp[t]
    cascade = np.zeros(n_paths, dtype=bool)
    if cstate is not None:
        cascade = cstate.peak_window_sold > cdraws.cascade_threshold
    return MarketPath(yield_bp, np.ascontiguousarray(tp_bp.T), sold,
                      np.array(state.backstop_bn), cascade)


#: Paths per block of the market pass on many paths: each block runs its month loop with the serial kernels (its
#: state fits in cache) and the blocks share the cores. Measured on 2 cores for ``contagion``: 45–55 µs a path in
#: blocks of 4,096–8,192, against 110–190 µs for 16,384 paths or more in one pass with the parallel kernels (each
#: month then streams every path's state through memory and wakes the thread pool).
MARKET_BLOCK_PATHS = 4_096


def market_pass_blocks(
    sched: Schedule, params: mk.MarketParams, cdraws: cg.ContagionDraws | None, class_holdings: np.ndarray,
    total_holdings: float, gdp: np.ndarray, n_paths: int, news_per_bp: np.ndarray | None = None,
    *, threads: int = 2,
) -> MarketPath:  # fmt: skip
    """:func:`market_pass` over blocks of :data:`MARKET_BLOCK_PATHS` paths on ``threads`` threads (the kernels
    release the GIL); paths do not interact, so the result is the one pass's, row for row."""
    if n_paths <= MARKET_BLOCK_PATHS or threads < 2:
        return market_pass(sched, params, cdraws, class_holdings, total_holdings, gdp, n_paths, news_per_bp)
    from concurrent.futures import ThreadPoolExecutor

    def block(first: int) -> MarketPath:
        rows = slice(first, min(first + MARKET_BLOCK_PATHS, n_paths))
        return market_pass(sched, params.take(rows), None if cdraws is None else cdraws.take(rows), class_holdings,
                           total_holdings, gdp, rows.stop - rows.start, news_per_bp)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = list(pool.map(block, range(0, n_paths, MARKET_BLOCK_PATHS)))
    return MarketPath(*(np.concatenate([getattr(part, f.name) for part in parts], axis=1 if f.name == "yield_bp" else 0)
                        for f in fields(MarketPath)))


@contextmanager
def serial_kernels(serial: bool) -> Iterator[None]:
    """Run numba's parallel kernels on the calling thread only while ``serial`` (numba's setting is per thread).

    A run with a handful of paths gains nothing from the thread pool, yet wakes it for each kernel; on a busy
    machine those wake-ups cost seconds per run.
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


def news_coefficient(calib: CalibratedBaseline, paths: BaselinePaths, macro: MacroParams) -> np.ndarray:
    """(T,) fiscal news per bp of market yield: k · d_t, k measured from the fiscal engine (deterministic path).

    k is the mean over the first ten years of the monthly change in debt/GDP (pp) per bp of a permanent +10 bp
    market premium, per unit of baseline debt/GDP; d_t is the baseline debt/GDP at the start of month t.
    """
    months = paths.months
    base = simulate(calib.book, paths, calib.params, macro, record_monthly=True)
    bumped = simulate(calib.book, paths, calib.params, macro, record_monthly=True,
                      market_term_premium=np.full(months, 10.0 / 1e4))
    d = base.monthly_field("debt")[0] / base.monthly_field("gdp")[0]
    gap = 100.0 * (bumped.monthly_field("debt")[0] / bumped.monthly_field("gdp")[0] - d)
    news = np.diff(gap, prepend=0.0)
    window = min(120, months)
    k = float(np.mean(news[:window] / (10.0 * d[:window])))
    start = np.concatenate([[calib.book.total / paths.gdp[0]], d[:-1]])
    return k * start


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
    first_path: int = 0,
    seed: int | None = None,
    backstop_off: bool = False,
) -> CoupledOutput:
    """Run the coupled loop on ``n_paths`` paths (``shocks`` (P, T, 5) or None for the deterministic path).

    The deterministic path (``shocks`` None) uses the prior medians of every market and contagion parameter;
    stochastic paths draw them per path (``seed``, ``first_path``: the draws depend only on the seed and the
    path's index). ``backstop_off`` also runs the market block with the backstop switched off (for the
    side-by-side figures).
    """
    months = paths.months
    sched = schedule(spec, holders, months)
    stab = stabilisers_for(spec)
    priors = market_priors(spec)
    seed = spec.simulation.seed if seed is None else seed
    cpriors = contagion_priors(spec, holders)
    contagion_on = bool(spec.contagion.enabled)
    if shocks is None:
        params = priors.medians(stab)
        cdraws = cg.median_draws(cpriors, n_paths) if contagion_on else None
    else:
        params = draw_market(priors, stab, seed, first_path, n_paths)
        cdraws = draw_contagion(cpriors, seed, first_path, n_paths) if contagion_on else None
    class_holdings = holders.class_holdings()
    gdp = np.asarray(paths.gdp, dtype=float)
    book, fparams = calib.book, calib.params
    events = sched.first_month > 0
    common = dict(shocks=shocks, yield_shift=yield_shift)
    news = news_coefficient(calib, paths, macro) if contagion_on and events else None
    with serial_kernels(n_paths <= SERIAL_PATHS):
        twin = simulate(book, paths, fparams, macro, record_monthly=record, **common)
        mp = market_pass_blocks(sched, params, cdraws, class_holdings, holders.total, gdp, n_paths, news)
        scenario = twin
        if events:
            scenario = simulate(book, paths, fparams, macro, record_monthly=record,
                                market_term_premium=mp.yield_bp / 1e4, premium_by_month=True, **common)
        off: dict[str, np.ndarray] = {}
        read = sched.persistent_month
        if backstop_off and events:
            off_params = params.with_stabilisers(backstop=False)
            mp_off = market_pass_blocks(sched, off_params, cdraws, class_holdings, holders.total, gdp, n_paths, news)
            off = {"peak_10y_change_bp": np.max(mp_off.yield_bp, axis=0, initial=0.0),
                   "persistent_10y_change_bp": mp_off.yield_bp[read - 1].copy()}
    monthly = np.zeros((1 if record else 0, months, len(MONTHLY_FIELDS)))
    if record:
        monthly[0] = scenario.monthly[0]
    strip = lambda o: SimulationOutput(o.annual, np.zeros((0, months, len(MONTHLY_FIELDS))),  # noqa: E731
                                       o.fiscal_years, o.exploded, o.explode_month)
    draws = {name: np.broadcast_to(np.asarray(getattr(params, name), dtype=float), (n_paths,)).copy()
             for name in mk.UNCERTAIN} if shocks is not None else {}
    return CoupledOutput(
        strip(scenario), strip(twin), np.max(mp.yield_bp, axis=0, initial=0.0), mp.cascade.astype(float),
        mp.tp_bp, mp.sold_bn, monthly, mp.yield_bp[read - 1].copy(), mp.backstop_bn, draws, read, off,
    )  # fmt: skip


def holders_for(store: Store, calib: CalibratedBaseline) -> Holders:
    """Holder sectors as of the month before the run starts."""
    return holders_at_start(store, calib.start)


def holders_at_start(store: Store, start: date) -> Holders:
    """Holder sectors on the day before a run that starts on ``start``."""
    from geostress.calibrate.market import build_holders

    return build_holders(store, at=start - timedelta(days=1))


def check_events(spec: ScenarioSpec, holders: Holders) -> None:
    """Raise the :class:`ScenarioError` a run would raise for the spec's sales, announcements and threats,
    without running it (the checks of :func:`schedule`)."""
    schedule(spec, holders, 12 * spec.scenario.horizon_years)


def run_coupled_chunks(
    calib: CalibratedBaseline, paths: BaselinePaths, macro: MacroParams, spec: ScenarioSpec, holders: Holders, *,
    n_paths: int, seed: int, yield_shift: np.ndarray | float = 0.0, chunk_paths: int = CHUNK_PATHS,
    backstop_off: bool = False, progress: Callable[[int, int], None] | None = None,
) -> CoupledOutput:  # fmt: skip
    """:func:`run_coupled` over chunks of paths with the ensemble's block seeding (same shocks as uncoupled;
    parameter draws by path index, so the answer does not depend on the chunk size); ``progress(done, total)``
    after each chunk, like the fiscal ensemble."""
    from geostress.run.seeding import draw_paths

    if n_paths < 1:
        raise ScenarioError("coupled ensemble needs at least one path")
    from concurrent.futures import ThreadPoolExecutor

    months = paths.months
    parts = []
    starts = list(range(0, n_paths, chunk_paths))

    def draw(first: int) -> np.ndarray:
        return draw_paths(seed, first, min(chunk_paths, n_paths - first), months)

    # the next chunk's shocks are drawn in the background while this chunk runs (as the uncoupled ensemble does)
    with ThreadPoolExecutor(max_workers=1) as background:
        pending = background.submit(draw, starts[0])
        for i, first in enumerate(starts):
            shocks = pending.result()
            if i + 1 < len(starts):
                pending = background.submit(draw, starts[i + 1])
            parts.append(run_coupled(calib, paths, macro, spec, holders, shocks=shocks, n_paths=shocks.shape[0],
                                     yield_shift=yield_shift, first_path=first, seed=seed,
                                     backstop_off=backstop_off))
            if progress is not None:
                progress(first + shocks.shape[0], n_paths)
    if len(parts) == 1:
        return parts[0]

    def join(outputs: list[SimulationOutput]) -> SimulationOutput:
        return SimulationOutput(np.concatenate([o.annual for o in outputs]), outputs[0].monthly,
                                outputs[0].fiscal_years, np.concatenate([o.exploded for o in outputs]),
                                np.concatenate([o.explode_month for o in outputs]))

    cat = lambda name: np.concatenate([getattr(p, name) for p in parts])  # noqa: E731
    return CoupledOutput(
        join([p.scenario for p in parts]), join([p.twin for p in parts]), cat("peak_10y_change_bp"),
        cat("cascade_share"), cat("term_premium_bp"), cat("sold_bn"), parts[0].monthly,
        cat("persistent_10y_change_bp"), cat("backstop_bn"),
        {k: np.concatenate([p.draws[k] for p in parts]) for k in parts[0].draws},
        parts[0].persistent_month,
        {k: np.concatenate([p.backstop_off[k] for p in parts]) for k in parts[0].backstop_off},
    )  # fmt: skip


__all__ = ["CoupledOutput", "check_events", "holders_for", "run_coupled", "run_coupled_chunks", "schedule"]
