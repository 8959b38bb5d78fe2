"""Orchestration of the coupled loop: scheduled sales, announcements, threats and contagion → the Treasury market
(price impact and stabilisers) → yields → interest on rolling cohorts → deficits → fiscal news → contagion.

Order of one run on P paths (each path carries its own draw of the market and contagion parameters from their
stated priors, so the spread over paths is parameter uncertainty *and* macro shocks):

1. **Market and contagion, month by month** (:mod:`geostress.model.market`, :mod:`geostress.model.contagion`;
   closed forms over 3 holder classes, no per-sector root finding; one compiled pass with every month of a path
   inside it, :func:`geostress.model.market_kernels.market_months`). Each month the
   contagion block reads last month's term-premium change, last month's visible selling, fiscal news, public
   announcements, threats and whether the backstop is buying, and returns the share of each class's holdings it
   sells; scheduled sales are added; the market turns the month's flows into the 10-year term premium.
2. **The fiscal engine, whole horizon** (:func:`geostress.model.fiscal.simulate`, one compiled kernel) with that
   path of the market term premium, and its twin with the same shocks and no market (every effect is measured
   against the same path without the events).
3. **Fiscal news** (this month's change in debt/GDP against the no-event path, pp) is what the fiscal engine tells
   the contagion block. Inside the month loop it is read from the market path already known: news_t = k · d_t ·
   y_{t−1}, with d_t the baseline debt/GDP, y_{t−1} last month's market term premium (bp) and k measured from the
   fiscal engine itself at each calibration (its response to a permanent +10 bp premium, :func:`news_coefficient`;
   ≈4.0e-4 pp per bp per unit of debt/GDP on the Feb-2026 baseline: the output gap, the denominator and the
   repricing of bills move debt/GDP within the month). It tracks the engine's own news within 20% over the first
   24 months (docs/market.md gives the figures; ``tests/test_coupled.py`` holds them). This keeps the loop to one
   pass: the fiscal engine runs once with the market path, once for the twin.

Supply deviations (debt above the twin) are priced by the fiscal engine's credit risk premium (bp per pp of
debt/GDP), not again by the market block; the market block prices *scheduled* supply (``geostress market``) with
the same coefficient as holder sales.

With no sales, announcements or threats the market term premium is exactly zero and the scenario equals the
twin exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from geostress.errors import ScenarioError
from geostress.model import contagion as cg
from geostress.model import market as mk
from geostress.model import market_kernels as mkk
from geostress.model.blocks import run_in_blocks
from geostress.model.fiscal import ANNUAL_FIELDS, MONTHLY_FIELDS, SHOCKS, MacroParams, SimulationOutput, simulate
from geostress.model.market_kernels import market_months
from geostress.model.priors import Prior, Uniforms
from geostress.results.coupled import CoupledOutput
from geostress.run.seeding import CONTAGION_KEY, block_draws, draw_market

if TYPE_CHECKING:
    from geostress.calibrate.fiscal import CalibratedBaseline
    from geostress.calibrate.market import Holders
    from geostress.data.store import Store
    from geostress.model.fiscal import BaselinePaths
    from geostress.results.scenario import PublishedRange
    from geostress.spec.scenario import ScenarioSpec

CHUNK_PATHS = 16_384
SERIAL_PATHS = 64  # runs of at most this many paths keep numba on the calling thread (serial_kernels)
#: Columns of the scheduled flows: official (diversification), official (liquidity), foreign private, domestic
#: private, Fed purchases (the layout the compiled pass reads, :data:`geostress.model.market_kernels.SCHEDULED_FLOWS`).
FLOW_COLUMNS = mkk.SCHEDULED_FLOWS


# -- spec → parameters --------------------------------------------------------------------------------------------
def stabilisers_for(spec: ScenarioSpec, backstop: bool | None = None) -> mk.Stabilisers:
    m = spec.market
    return mk.Stabilisers(
        backstop=getattr(m, "backstop", True) if backstop is None else backstop,
        fima=getattr(m, "fima", True), bill_shift=getattr(m, "bill_shift", True),
        value_buyers=getattr(m, "value_buyers", True),
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
                              cascade_window_months=c.cascade_window_months,
                              loop_gain_ceiling=c.loop_gain_ceiling).scaled(c.scale)


@dataclass(frozen=True)
class _NamedPrior(Prior):
    """A prior that also hands the values it draws to the streams' ``record``
    (:class:`geostress.run.seeding.BlockStreams`), under ``name``: the per-path draws of the contagion priors as
    drawn, before the block turns them into its packed columns (half-lives into decays, threshold centres and
    half-width into bounds)."""

    name: str = ""

    def draw(self, rng: Uniforms, n: int) -> np.ndarray:
        values = super().draw(rng, n)
        record = getattr(rng, "record", None)
        if record is not None:
            record[self.name] = values
        return values


def named_contagion_priors(priors: cg.ContagionPriors) -> cg.ContagionPriors:
    """``priors`` with each prior that is not fixed named for the variance decomposition: ``contagion.<field>``,
    ``contagion.<field>.<class>`` for a per-class one (:data:`geostress.model.contagion.HOLDER_CLASSES`). The
    draws are the same numbers (a :class:`_NamedPrior` draws as its :class:`Prior`)."""
    from dataclasses import replace

    def named(prior: Prior, name: str) -> Prior:
        if prior.kind == "fixed" or prior.high == prior.low:
            return prior  # (the same value on every path: nothing to decompose)
        return _NamedPrior(prior.low, prior.high, prior.kind, name)

    changes: dict[str, Any] = {}
    for f in fields(priors):
        value = getattr(priors, f.name)
        if isinstance(value, Prior):
            changes[f.name] = named(value, f"contagion.{f.name}")
        elif isinstance(value, tuple) and value and all(isinstance(p, Prior) for p in value):
            changes[f.name] = tuple(named(p, f"contagion.{f.name}.{c}") for p, c in zip(value, cg.HOLDER_CLASSES))
    return replace(priors, **changes)


def draw_contagion(priors: cg.ContagionPriors, seed: int, first: int, count: int,
                   named: dict[str, np.ndarray] | None = None) -> cg.ContagionDraws:
    """The contagion parameters of paths ``first … first + count − 1`` (by path index,
    :func:`geostress.run.seeding.block_draws`); ``named`` (a dict) also receives each prior's draws of these paths
    as drawn, under the names of :func:`named_contagion_priors` (the same draws: nothing is drawn twice)."""
    from dataclasses import replace

    record: dict[str, np.ndarray] | None = None if named is None else {}
    use = priors if record is None else named_contagion_priors(priors)
    whole, rows = block_draws(seed, CONTAGION_KEY, first, count, lambda rng, n: cg.draw_params(use, rng, n),
                               record)
    whole_rows = rows.start == 0 and rows.stop == whole.packed.shape[0]
    packed = whole.packed if whole_rows else whole.packed[rows].copy()  # (a partial block: only these rows)
    packed.flags.writeable = False  # (read-only: the draws keep it without a copy)
    if named is not None and record is not None:
        named.update({name: values[rows].copy() for name, values in record.items()})
    return replace(whole, packed=packed)


# -- the schedule -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Schedule:
    """(T, 5) scheduled flows (USD bn; :data:`FLOW_COLUMNS`), (T,) announcement and threat intensity, and (T,)
    the liquidity stress of the scenario's dash-for-cash shocks (1 = March 2020's first month)."""

    flows: np.ndarray
    announcement: np.ndarray
    threat: np.ndarray
    first_month: int  # first month (1-based) with an event, 0 if none
    last_sale_month: int  # last month (1-based) of a scheduled sale, 0 if none
    stress: np.ndarray | None = None  # (T,) liquidity stress; None: none
    #: (T,) the scheduled sales' combined amount each month, USD bn (every ``[[sales]]`` active that month, the Fed's
    #: included; announcements and the contagion block's selling are not scheduled sales); None: not given
    sales_bn: np.ndarray | None = None
    first_sale_month: int = 0  # first month (1-based) of a scheduled sale, 0 if none

    def head(self, months: int) -> Schedule:
        """The schedule's first ``months`` months (every per-month array cut; the month numbers kept)."""
        cut = lambda values: None if values is None else values[:months]  # noqa: E731
        return replace(self, flows=self.flows[:months], announcement=self.announcement[:months],
                       threat=self.threat[:months], stress=cut(self.stress), sales_bn=cut(self.sales_bn))

    @property
    def market_stress(self) -> np.ndarray:
        """(T,) the liquidity stress that sets the share of the pressure the market block's backstop meets from
        March 2020's trigger (:func:`geostress.model.market.dash_pressure`): the scenario's liquidity shocks'
        stress, at most 1 (a market-wide dash for cash). Sales never set it, whatever their motive: one holder's
        liquidity-motivated sale (FX defence, as China's reserve sales of 2015–16, which the Fed did not meet) is
        orderly selling for the backstop, and a stress that sales set would not be monotone in them (a tiny
        liquidity sale beside a large orderly one would bring the Fed in against the whole pressure)."""
        months = self.flows.shape[0]
        return np.zeros(months) if self.stress is None else np.clip(np.asarray(self.stress, dtype=float), 0.0, 1.0)

    @property
    def persistent_month_by_rule(self) -> int:
        """Month 24 of the events (the first sale, announcement or threat is month 1), or 12 months after the
        last sale ends if that is later, whether or not the run reaches it."""
        from_first = max(self.first_month, 1) + 23
        after_sales = self.last_sale_month + 12 if self.last_sale_month else 0
        return max(from_first, after_sales)

    @property
    def persistent_month(self) -> int:
        """:attr:`persistent_month_by_rule`, never past the run (then the horizon's last month:
        :func:`run_notes` says so)."""
        return min(self.flows.shape[0], self.persistent_month_by_rule)


def _motive(sale: Any) -> str:
    motive = getattr(sale, "motive", "diversification")
    if motive not in mk.MOTIVES:
        raise ScenarioError(f"sale by {sale.holder!r}: motive {motive!r} is not one of {', '.join(mk.MOTIVES)}")
    return motive


def schedule(spec: ScenarioSpec, holders: Holders, months: int) -> Schedule:
    """The spec's sales, announcements, threats and liquidity shocks by month (a shock of intensity ``x`` in month
    ``m`` is ``x`` times March 2020's stress path from ``m`` on: :data:`geostress.model.contagion.MARCH_2020_STRESS`).

    Raises :class:`ScenarioError` before any work for an unknown holder (with close matches), a sale (or sales
    by one holder together) larger than the holder's holdings, announced sales (booked as foreign private selling)
    that with the foreign private sectors' sales exceed foreign private holdings, or an event after the horizon;
    its ``parameter`` names the field (``sales[0].holder``, ``announcements[2].amount_bn``).
    """
    flows = np.zeros((months, len(FLOW_COLUMNS)))
    sales_bn = np.zeros(months)
    announcement = np.zeros(months)
    threat = np.zeros(months)
    firsts, lasts, sale_firsts = [], [], []
    sold: dict[str, float] = {}  # each holder's sales so far: together they cannot exceed its holdings
    for i, sale in enumerate(spec.sales):
        sector = sale_sector(holders, sale.holder, i)
        if _motive(sale) == "liquidity" and sector.group != "foreign_official":
            from geostress.run.market import liquidity_motive_message

            raise ScenarioError(liquidity_motive_message(
                "fed" if sector.group == "fed" else "private", f'sales[{i}].motive = "liquidity"',
                f"sales[{i}].holder {sale.holder!r}", f"sales[{i}].motive",
                "an official sector, e.g. japan_official or china_mainland_official"), parameter=f"sales[{i}].motive")
        most = math.floor(sector.holdings * 100.0) / 100.0  # two decimals, down: the largest amount accepted
        # which holdings: the latest data on or before the day before the run starts, not the latest month that
        # `market impact` prices at (the two figures differ and must not read as a contradiction)
        when = (f"on {str(holders.at)[:10]}, the day before the run starts (the latest data on or before that day; "
                "`market impact` uses the latest month instead)")
        if mk.exceeds_holdings(sale.amount_bn, sector.holdings):
            raise ScenarioError(f"sale of {sale.amount_bn:,.1f} bn by {sale.holder!r} exceeds its holdings of "
                                f"{most:,.2f} bn {when}; sell at most that", parameter=f"sales[{i}].amount_bn")
        sold[sector.name] = sold.get(sector.name, 0.0) + sale.amount_bn
        if mk.exceeds_holdings(sold[sector.name], sector.holdings):
            raise ScenarioError(f"sales by {sale.holder!r} add up to {sold[sector.name]:,.1f} bn, more than its "
                                f"holdings of {most:,.2f} bn {when}; sell at most that in all",
                                parameter=f"sales[{i}].amount_bn")
        first = sale.start_month - 1
        if first + sale.months > months:
            raise ScenarioError(past_horizon_message(sale, i, months), parameter=f"sales[{i}].months")
        col = {"foreign_official": mkk.F_LIQUIDITY if _motive(sale) == "liquidity" else mkk.F_OFFICIAL,
               "foreign_private": mkk.F_FOREIGN_PRIVATE, "domestic": mkk.F_DOMESTIC_PRIVATE,
               "fed": mkk.F_FED}[sector.group]
        amount = sale.amount_bn / sale.months * (-1.0 if col == mkk.F_FED else 1.0)  # a Fed sale: negative buying
        flows[first : first + sale.months, col] += amount
        sales_bn[first : first + sale.months] += sale.amount_bn / sale.months
        firsts.append(sale.start_month)
        sale_firsts.append(sale.start_month)
        lasts.append(first + sale.months)
    # an announced sale is booked as foreign private selling: together with the [[sales]] of foreign private sectors
    # it cannot exceed what foreign private holders hold
    private = [s for s in holders.sectors if s.group == "foreign_private"]
    private_bn = sum(s.holdings for s in private)
    private_sold = sum(sold.get(s.name, 0.0) for s in private)
    announced = 0.0
    for i, note in enumerate(spec.announcements):
        if note.month > months:
            raise ScenarioError(event_past_horizon_message("announcement", "announcements", i, note.month, months),
                                parameter=f"announcements[{i}].month")
        announced += note.amount_bn
        if note.amount_bn > 0.0 and mk.exceeds_holdings(announced + private_sold, private_bn):
            raise ScenarioError(announced_sales_message(i, announced, private_sold, private_bn, holders.at),
                                parameter=f"announcements[{i}].amount_bn")
        # the announced sale itself, by a foreign private holder (as the Danish pension fund's; the market block
        # prices the two private columns alike)
        flows[note.month - 1, mkk.F_FOREIGN_PRIVATE] += note.amount_bn
        if note.public:  # a private sale is quantity only; a public one is also a signal (docs/contagion.md)
            announcement[note.month - 1] += note.intensity
        firsts.append(note.month)
    for i, note in enumerate(getattr(spec, "threats", []) or []):
        if note.month > months:
            raise ScenarioError(event_past_horizon_message("threat", "threats", i, note.month, months),
                                parameter=f"threats[{i}].month")
        threat[note.month - 1] += note.intensity
        firsts.append(note.month)
    stress = np.zeros(months)
    for i, shock in enumerate(getattr(spec, "liquidity_shocks", []) or []):
        if shock.month > months:
            raise ScenarioError(event_past_horizon_message("liquidity shock", "liquidity_shocks", i, shock.month,
                                                           months), parameter=f"liquidity_shocks[{i}].month")
        profile = np.asarray(cg.MARCH_2020_STRESS)[: months - shock.month + 1]
        stress[shock.month - 1 : shock.month - 1 + len(profile)] += shock.intensity * profile
        firsts.append(shock.month)
    return Schedule(flows, announcement, threat, min(firsts) if firsts else 0, max(lasts) if lasts else 0, stress,
                    sales_bn, min(sale_firsts) if sale_firsts else 0)


def sale_sector(holders: Holders, holder: str, index: int) -> mk.SectorSpec:
    """The holder sector a scenario's ``sales[index].holder`` names; a :class:`ScenarioError` that says what to
    name otherwise. A scenario sells sectors (``japan_official``, ``banks``), never a group or a country as such:

    * a holder group ``market impact --holder`` takes (``foreign_official``, ``foreign_private``, ``private``):
      the sectors that make it up, with their holdings (list one sale per sector);
    * a country (``Japan``, ``China``, ``UK``: TIC's names and common names): its sectors, the official one first
      (what ``market impact --holder`` sells for a country);
    * anything else: close matches and the known sectors (:func:`geostress.model.market.find_sector`).
    """
    from geostress.data.sources.tic_mfh import holder_slug
    from geostress.run.market import GROUP_SECTORS

    try:
        return holders.sector(holder)
    except ScenarioError as unknown:
        names = {s.name: s for s in holders.sectors}
        key = holder.strip().lower().replace("-", "_").replace(" ", "_")
        where = f"sales[{index}].holder {holder!r}"
        if key in GROUP_SECTORS:  # a holder group market impact prices as a whole: name its sectors
            what, groups = GROUP_SECTORS[key]
            parts = [s for s in holders.sectors if s.group in groups]
            total = sum(s.holdings for s in parts)
            listed = ", ".join(f"{s.name} ({s.holdings:,.1f} bn)" for s in parts)
            raise ScenarioError(
                f"{where} is a holder group ({what}, {total:,.1f} bn), not a sector: a scenario's [[sales]] name "
                f"sectors (`geostress market impact --holder {key}` prices the group as a whole). Its sectors and "
                f"their holdings: {listed}. List one [[sales]] per sector (to sell the group evenly, give each its "
                "share of the amount by holdings)", parameter=f"sales[{index}].holder") from None
        try:
            country = holder_slug(holder)
        except Exception:  # (a name holder_slug cannot read is not a country)
            country = ""
        own = [n for n in (f"{country}_official", f"{country}_private") if country and n in names]
        if own:
            official = f"{country}_official"
            words = [f"{official} for its official holdings ({names[official].holdings:,.1f} bn; what "
                     f"`geostress market impact --holder {holder}` sells)" if official in names else "",
                     f"{country}_private for its private holdings ({names[f'{country}_private'].holdings:,.1f} bn)"
                     if f"{country}_private" in names else ""]
            raise ScenarioError(f"{where} is a country, not a sector: a scenario's [[sales]] name sectors; did you "
                                f"mean {' or '.join(w for w in words if w)}?",
                                parameter=f"sales[{index}].holder") from None
        rest = [n for n in ("other_foreign_official", "other_foreign_private") if n in names]
        other = (f" (a country with no sectors of its own above is part of {' and '.join(rest)}, every foreign "
                 "holder not listed)" if rest else "")
        raise ScenarioError(f"{where}: {unknown}{other}", parameter=f"sales[{index}].holder") from None


def announced_sales_message(index: int, announced: float, sold: float, holdings: float, at: Any) -> str:
    """Why ``announcements[index].amount_bn`` is refused: the announced sales up to it (``announced``, USD bn) and
    the [[sales]] of foreign private sectors (``sold``) add up to more than foreign private holders'
    ``holdings`` on ``at``, the class an announced sale is booked to."""
    most = max(math.floor((holdings - sold) * 100.0) / 100.0, 0.0)
    with_sales = f" and {sold:,.1f} bn of [[sales]] by foreign private sectors" if sold > 0.0 else ""
    return (f"announcements[{index}].amount_bn: announced sales up to this one add up to {announced:,.1f} bn"
            f"{with_sales}, more than foreign private holders' holdings of {math.floor(holdings * 100.0) / 100.0:,.2f}"
            f" bn on {str(at)[:10]}, the day before the run starts (an announced sale is booked as foreign private "
            f"selling); announce at most {most:,.2f} bn in all (lower announcements[{index}].amount_bn)")


def event_past_horizon_message(kind: str, key: str, index: int, month: int, months: int) -> str:
    """Why an event (an announcement, a threat, a liquidity shock) in ``month`` does not fit a horizon of ``months``
    months, and the settings that would hold it."""
    years = math.ceil(month / 12)
    return (f"{kind} in month {month} is after the horizon of {months} months ({key}[{index}].month); give "
            f"{key}[{index}].month = {months} or less, or set scenario.horizon_years = {years} or more")


def past_horizon_message(sale: Any, index: int, months: int) -> str:
    """Why ``sales[index]`` does not fit a horizon of ``months`` months, and the settings that would hold it: the
    latest start month for its length, the most months from its start, or the horizon in years."""
    from geostress.spec.scenario import ScenarioMeta

    end = sale.start_month - 1 + sale.months
    most_years = ScenarioMeta.model_fields["horizon_years"].metadata
    limit = next((getattr(m, "le", None) for m in most_years if getattr(m, "le", None) is not None), None)
    years = math.ceil(end / 12)
    fixes = []
    if sale.months <= months:
        fixes.append(f"start it by month {months - sale.months + 1} (sales[{index}].start_month)")
    if sale.start_month <= months:
        most = months - sale.start_month + 1
        fixes.append(f"spread it over at most {most} month{'s' if most > 1 else ''} from month {sale.start_month} "
                     f"(sales[{index}].months)")
    if limit is None or years <= limit:
        fixes.append(f"set scenario.horizon_years = {years} or more")
    return (f"sale by {sale.holder!r} (sales[{index}]: {sale.months} months from month {sale.start_month}, to month "
            f"{end}) runs past the horizon of {months} months; {', or '.join(fixes) or 'shorten it'}")


def published_range(spec: ScenarioSpec, holders: Holders, gdp_bn: float,
                    coupled: CoupledOutput | None = None) -> PublishedRange | None:
    """The literature's range for the persistent effect of ``spec``'s sales at GDP ``gdp_bn``: its sales mapped to
    the market's buckets by :func:`schedule` (only what the block prices as persistent counts) and, given the run's
    ``coupled`` output with the contagion block on, the officials' median net selling by the contagion block by the
    persistent month on the path with the median amount (:attr:`CoupledOutput.official_sold_persistent_bn`; the
    FIMA repo takes no share of the block's runs), priced by
    :func:`geostress.results.scenario.published_persistent_range`; read by the report and the dashboard's API."""
    from geostress.results.scenario import published_persistent_range

    flows = schedule(spec, holders, 12 * spec.scenario.horizon_years).flows
    diversification, run = _median_official_selling(coupled)
    return published_persistent_range(flows, FLOW_COLUMNS, float(gdp_bn), market_priors(spec),
                                      stabilisers_for(spec), contagion_official_bn=diversification,
                                      contagion_run_bn=run,
                                      persistent_month=None if coupled is None else coupled.persistent_month)


#: Fiscal years the headline's added net interest is summed over (``added_net_interest_10y_bn``).
INTEREST_WINDOW_YEARS = 10
#: Months a sale's flow effect is given to settle before the persistent effect is read (the rule of
#: :attr:`Schedule.persistent_month_by_rule` and of ``geostress market impact``).
SETTLING_MONTHS = 12
#: The note of a run with the monetary offset off (:func:`run_notes`).
OFFSET_OFF_NOTE = ("the monetary offset is off (market.monetary_offset = false): the policy rate keeps the path it "
                   "takes without the events, so the run's yields and added interest carry no policy easing against "
                   "the premium")
#: The note of a run with the Fed's backstop off (:func:`run_notes`).
BACKSTOP_OFF_NOTE = ("the Fed's backstop is off (market.backstop = false): the market figures are the backstop-off "
                     "ones, with no backstop-on run beside them")


def run_notes(sched: Schedule, gdp_bn: np.ndarray, fiscal_year: Any, backstop_bn: np.ndarray,
              monetary_offset: bool = True, backstop_on: bool = True, *,
              by_stress: np.ndarray | None = None) -> dict[str, str | None]:
    """The notes of a coupled run's summary, in words or None (:attr:`CoupledOutput.notes`):

    ``outside_evidence``
        :func:`geostress.run.market.evidence_warnings`, the rule of ``geostress market impact``: the scheduled
        sales' combined pace each month in pp of the run's GDP that month, and the backstop's median purchases over
        the paths in pp of the run's GDP in the first month of the events, and what the backstop buys (the median
        over the paths) against orderly selling and against the share of a partial liquidity stress beyond the
        runs' own selling (``by_stress``, (P, 3): purchases by the response that set them, orderly, partial share,
        dash for cash; without it the whole purchase counts as orderly when the run has no liquidity stress, and
        neither is flagged when it has some); "; "-joined.
    ``persistent_note``
        When the horizon ends before :attr:`Schedule.persistent_month_by_rule` (month 24 of the events, or
        :data:`SETTLING_MONTHS` after the last sale ends): the persistent figure is read at the horizon's last
        month, with flow effect still in it (inside a sale it can equal the peak).
    ``interest_window_note``
        When the scheduled sales start after the added-interest window (the first :data:`INTEREST_WINDOW_YEARS`
        fiscal years: ``$0`` there is the window's, not a result) or run past its end (only their part inside it
        counts).
    ``offset_note``
        When the monetary offset is off (``[market] monetary_offset = false``): the policy rate keeps its path
        without the events, so the run's yields and interest carry no policy easing against the premium.
    ``backstop_note``
        When the Fed's backstop is off (``[market] backstop = false``): the figures are the backstop-off ones, and
        no backstop-on run is made beside them (a run with the backstop on gets the backstop-off figures beside its
        own instead).
    """
    from geostress.run.market import evidence_warnings

    months = sched.flows.shape[0]
    gdp = np.broadcast_to(np.asarray(gdp_bn, dtype=float), (months,))
    sales = sched.sales_bn if sched.sales_bn is not None else np.zeros(months)
    backstop = float(np.median(backstop_bn)) if np.size(backstop_bn) else None
    if by_stress is not None and np.size(by_stress):
        orderly, between = (float(np.median(np.asarray(by_stress)[:, k])) for k in (0, 1))
    else:  # (no split: the whole purchase is orderly only where no month has a liquidity stress)
        orderly, between = (backstop if not sched.market_stress.any() else None), None
    start = gdp[max(sched.first_month, 1) - 1]
    warnings = evidence_warnings(sales if sales.any() else np.zeros(0), gdp, backstop, start,
                                 what="the scheduled sales together sell",
                                 pace_gdp=" (in pp of the run's GDP that month)",
                                 backstop_gdp=" (of the run's GDP in the first month of the events; the median over "
                                              "the paths)", orderly_bn=orderly, between_bn=between,
                                 stress=sched.market_stress, weaker="a weaker shock meets less of the other selling")
    notes: dict[str, str | None] = {"outside_evidence": "; ".join(warnings) or None,
                                    "persistent_note": None, "interest_window_note": None,
                                    "offset_note": None if monetary_offset else OFFSET_OFF_NOTE,
                                    "backstop_note": None if backstop_on else BACKSTOP_OFF_NOTE}
    read, rule, last = sched.persistent_month, sched.persistent_month_by_rule, sched.last_sale_month
    if sched.first_month and read < rule:
        if last and read <= last:
            where = f"inside the scheduled sales (the last ends in month {last}): they still hold their flow effect " \
                    "and can equal the peak"
        elif last and read < last + SETTLING_MONTHS:
            where = (f"{read - last} months after the last sale ends (month {last}), not the {SETTLING_MONTHS} its "
                     "flow effect is given to settle: part of the flow effect is still in it")
        else:
            where = (f"in month {read - sched.first_month + 1} of the events, before their month 24: part of the "
                     "flow effect is still in it")
        notes["persistent_note"] = (
            f"the persistent figures are read in month {read}, the horizon's last, {where}; the rule reads them in "
            f"month {rule} (month 24 of the events, or {SETTLING_MONTHS} months after the last sale ends), past the "
            "horizon: lengthen scenario.horizon_years or start the sales earlier to read them there")
    years = np.asarray(fiscal_year)
    window = np.unique(years)[:INTEREST_WINDOW_YEARS]
    if sched.first_sale_month and window.size:
        end = int(np.flatnonzero(np.isin(years, window))[-1]) + 1  # the window's last month (1-based)
        span = f"FY{int(window[0])}–FY{int(window[-1])}, months 1–{end} of the run"
        first = sched.first_sale_month
        if first > end:
            notes["interest_window_note"] = (
                f"the scheduled sales start in month {first} (FY{int(years[first - 1])}), after the added-interest "
                f"window ({span}): its $0 is the window's, not a result of the sales (their cost falls in later "
                "years; start them earlier to see it)")
        elif last > end:
            notes["interest_window_note"] = (
                f"the scheduled sales run to month {last} (FY{int(years[last - 1])}), past the end of the "
                f"added-interest window ({span}): the added net interest counts only their part inside it")
    if 0 < window.size < INTEREST_WINDOW_YEARS:  # a horizon under ten fiscal years: the "10y" keys read its end
        first_year, last_year = int(window[0]), int(window[-1])
        if window.size > 1:
            covered, summed = f"{window.size} fiscal years (FY{first_year}–FY{last_year})", f"sum those {window.size}"
        else:
            covered, summed = f"1 fiscal year (FY{first_year})", "are that year's"
        short = (f"the horizon covers {covered}, fewer than {INTEREST_WINDOW_YEARS}: added_net_interest_10y_bn and "
                 f"twin_net_interest_10y_bn (and the share of one in the other) {summed}, and the _10y debt "
                 f"figures are FY{last_year}'s; lengthen scenario.horizon_years to "
                 f"{INTEREST_WINDOW_YEARS} or more for ten-year figures")
        notes["interest_window_note"] = "; ".join(filter(None, (notes["interest_window_note"], short)))
    return notes


def _median_official_selling(coupled: CoupledOutput | None) -> tuple[float, float]:
    """The contagion block's net official selling by the persistent month on the path with the median amount,
    USD bn, as the market block prices it: diversification, and what the liquidity run still holds sold (all of it
    in the persistent stock: the FIMA repo takes no share of the block's runs,
    :attr:`geostress.model.market.Flows.official_run`); each at least 0; ``(0, 0)`` without the contagion
    block."""
    sold = None if coupled is None else coupled.official_sold_persistent_bn
    run = None if coupled is None else coupled.official_run_persistent_bn
    if sold is None or run is None or np.size(sold) == 0:
        return 0.0, 0.0
    middle = int(np.argsort(sold, kind="stable")[(np.size(sold) - 1) // 2])
    net = max(float(sold[middle]), 0.0)
    in_run = min(max(float(run[middle]), 0.0), net)
    return net - in_run, in_run


# -- the loop -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MarketPath:
    """What the market-and-contagion pass gives, on P paths."""

    premium: np.ndarray  # (T, P) 10y term premium as a decimal (bp / 1e4), month-major: what the fiscal engine reads
    peak_bp: np.ndarray  # (P,) highest 10y term premium (at least 0), bp
    persistent_bp: np.ndarray  # (P,) the 10y term premium in the schedule's persistent month, bp
    stock_bp: np.ndarray  # (P,) the persistent (stock) effect alone then, bp (the flow still fading left out)
    tp_bp: np.ndarray  # (P, T) 10y term premium, bp (float32)
    sold_bn: np.ndarray  # (P,) gross sales (scheduled, announced, contagion; buybacks not netted)
    backstop_bn: np.ndarray  # (P,)
    cascade: np.ndarray  # (P,) bool
    class_sold_bn: np.ndarray | None = None  # (P, 3) net selling by the contagion block per class (None: it is off)
    class_sold_at_bn: np.ndarray | None = None  # (P, K, 3) the same by the end of each of ``snapshots``' months
    official_run_at_bn: np.ndarray | None = None  # (P, K) the officials' liquidity-run position then, USD bn
    fima_held_at_bn: np.ndarray | None = None  # (P, K) the FIMA repo outstanding then, USD bn
    peak_window_share: np.ndarray | None = None  # (P,) the cascade measure (None: contagion off)
    fima_bn: np.ndarray | None = None  # (P,) official sales financed at the FIMA repo instead of sold, USD bn
    #: (P, 3) the backstop's purchases against orderly selling, the share of a partial stress, a dash for cash
    backstop_by_stress_bn: np.ndarray | None = None


def pass_draws(cdraws: cg.ContagionDraws, params: mk.MarketParams, class_holdings: np.ndarray,
               gdp: np.ndarray) -> cg.ContagionDraws:
    """The contagion draws as the market pass uses them: the run stress's and distrust's price loops kept a
    contraction (:func:`geostress.model.contagion.bound_price_loop`). The market's steepest price per share sold
    is its flow and persistent coefficients, per pp of GDP, times the classes' holdings over the first month's GDP
    (so a pass cut short keeps the same draws), before any stabiliser (so the backstop-on and backstop-off runs of
    a scenario keep the same draws too). (The officials' relief needs no change here: it reads the FIMA repo's
    intensity, 0 with ``market.fima`` off, :attr:`geostress.model.market.MarketState.fima_active`.)
    """
    price = np.asarray(params.flow_bp_per_pp, dtype=float) + np.asarray(params.persistent_bp_per_pp, dtype=float)
    holdings = float(np.sum(class_holdings))
    return cg.bound_price_loop(cdraws, price * 100.0 * holdings / float(np.asarray(gdp, dtype=float).ravel()[0]))


def market_pass(
    sched: Schedule, params: mk.MarketParams, cdraws: cg.ContagionDraws | None, class_holdings: np.ndarray,
    total_holdings: float, gdp: np.ndarray, n_paths: int, news_per_bp: np.ndarray | None = None,
    tp_out: np.ndarray | None = None, scratch: np.ndarray | None = None, snapshots: tuple[int, ...] = (),
) -> MarketPath:  # fmt: skip
    """Step the market (and contagion, when ``cdraws`` is given) over the horizon on ``n_paths`` paths.

    One compiled pass (:data:`geostress.model.market_kernels.market_months`): every month of a block of paths
    inside the kernel, the blocks spread over numba's threads. ``news_per_bp`` (T,): fiscal news (pp of debt/GDP)
    per bp of last month's market term premium, k · d_t (:func:`news_coefficient`); ``None`` gives no fiscal
    news. ``tp_out`` ((P, T) float32) receives the term premium (a new array by default); ``scratch``, a flat
    float64 array of at least T × P, holds the month-major premium (``MarketPath.premium`` is then a view on it; a
    new array by default). ``snapshots``: months (1-based; 0 = before the first) at whose end each class's net
    selling is also kept (``MarketPath.class_sold_at_bn``; with the contagion block), with the officials'
    liquidity-run position (``MarketPath.official_run_at_bn``) and the FIMA repo outstanding
    (``MarketPath.fima_held_at_bn``).

    Raises
    ------
    ScenarioError
        When GDP is not positive in some month, total holdings are not positive (with the contagion block), or the
        contagion block meets a negative signal or produces NaN or inf.
    """
    months = sched.flows.shape[0]
    # (the compiled pass divides by both: a zero would give inf there, not an error)
    if not (np.all(np.asarray(gdp) > 0) and np.all(np.isfinite(gdp))):
        raise ScenarioError("market pass: GDP must be positive and finite in every month; check the baseline paths")
    if cdraws is not None and not total_holdings > 0:
        raise ScenarioError(f"market pass: total Treasury holdings are {total_holdings} bn; they must be positive "
                            "(check the holders table)")
    flows = np.ascontiguousarray(sched.flows, dtype=float)
    sales, fed = flows[:, : mkk.F_FED], flows[:, mkk.F_FED]  # (the Fed's column last: its purchases, not sales)
    net = sales.sum(axis=1) - fed
    gross = np.maximum(sales, 0.0).sum(axis=1) + np.maximum(-fed, 0.0)
    news = np.zeros(months) if news_per_bp is None else np.ascontiguousarray(news_per_bp, dtype=float)
    packed = np.vstack(mk.pack(params, 1.0, n_paths))
    on = cdraws is not None
    holdings = np.asarray(class_holdings, dtype=float)
    if on:
        cdraws = pass_draws(cdraws, params, holdings, gdp)
    cq = cdraws.packed if on else np.zeros((1, cg.N_DRAW_COLUMNS))
    weights = cdraws.weights if on else np.zeros(3)
    window = np.zeros((1, cdraws.cascade_window if on else 1))  # (the kernel reads its width: its ring is its own)
    core, held = np.zeros((n_paths, cg.N_STATE_COLUMNS)), np.empty((n_paths, 3))
    if scratch is None or scratch.dtype != np.float64 or scratch.ndim != 1 or scratch.size < months * n_paths:
        scratch = np.empty(months * n_paths)
    premium = scratch[: months * n_paths].reshape(months, n_paths)  # month-major, as the fiscal kernel reads it
    peak, persistent, stock = np.empty(n_paths), np.empty(n_paths), np.empty(n_paths)
    tp_bp = np.empty((n_paths, months), dtype=np.float32) if tp_out is None else tp_out
    if tp_bp.shape != (n_paths, months) or tp_bp.dtype != np.float32 or not tp_bp.flags.c_contiguous:
        raise ScenarioError(f"tp_out must be a C-contiguous float32 array of shape {(n_paths, months)}")
    sold = np.empty(n_paths)
    by_stress = np.empty((n_paths, 3))  # the backstop's purchases: orderly, partial-stress share, dash for cash
    state = mk.MarketState(*(np.empty(n_paths) for _ in range(mk.N_STATE_FIELDS)))
    stress = np.zeros(months) if sched.stress is None else np.asarray(sched.stress, dtype=float)
    if any(not 0 <= m <= months for m in snapshots):
        raise ScenarioError(f"market pass: snapshot months {snapshots} must lie in 0..{months}")
    snap_at = np.array([m - 1 for m in snapshots if m > 0], dtype=np.int64)  # the kernel's 0-based months
    snap_held = np.empty((n_paths, len(snap_at), 5))
    args = (flows, net, gross, np.asarray(sched.announcement, dtype=float), np.asarray(sched.threat, dtype=float),
            stress, np.ascontiguousarray(sched.market_stress, dtype=float), np.asarray(gdp, dtype=float), news,
            packed, cq, weights, holdings, float(total_holdings),
            sched.persistent_month - 1, window, core, held, snap_at, snap_held, premium, peak, persistent, stock,
            tp_bp, sold, by_stress, *state)
    kernel = market_months[on]
    bad = run_in_blocks(lambda first, last: kernel(*args, first, last), n_paths)
    if bad:
        raise ScenarioError("contagion: the step produced NaN or inf or met a negative signal; check the draws "
                            "and the scenario's announcements and threats")
    cascade = core[:, cg.S_PEAK] > cdraws.cascade_threshold if on else np.zeros(n_paths, dtype=bool)
    class_sold = holdings - held if on else None
    sold_at = run_at = repo_at = None
    if on and snapshots:
        sold_at = np.zeros((n_paths, len(snapshots), 3))  # month 0: nothing sold yet
        run_at, repo_at = np.zeros((n_paths, len(snapshots))), np.zeros((n_paths, len(snapshots)))
        later = [i for i, m in enumerate(snapshots) if m > 0]
        sold_at[:, later, :] = holdings - snap_held[:, :, :3]
        run_at[:, later] = snap_held[:, :, 3]
        repo_at[:, later] = snap_held[:, :, 4]
    return MarketPath(premium, peak, persistent, stock, tp_bp, sold, state.backstop_bn, cascade, class_sold,
                      sold_at, run_at, repo_at, core[:, cg.S_PEAK].copy() if on else None, state.fima_bn.copy(),
                      by_stress)


#: Windows, from the month of the first threat, over which its two effects are read (docs/contagion.md): foreign
#: holders' selling in the first 6 months (less on average: deterrence) and the officials' in the first 36 (more: the
#: perceived freeze risk they diversify away).
THREAT_SHORT_MONTHS, THREAT_LONG_MONTHS = 6, 36


def threat_windows(sched: Schedule) -> tuple[int, ...]:
    """The months (1-based) at whose end a threat's effects are read (:func:`threat_effects`): the month before the
    first threat, then the ends of the windows the horizon holds; ``()`` without a threat."""
    threat = np.asarray(sched.threat)
    if not np.any(threat > 0):
        return ()
    first = int(np.argmax(threat > 0))  # months before the first threat
    ends = [first + w for w in (THREAT_SHORT_MONTHS, THREAT_LONG_MONTHS) if first + w <= sched.flows.shape[0]]
    return (first, *ends) if ends else ()


def threat_effects(
    sched: Schedule, params: mk.MarketParams, cdraws: cg.ContagionDraws, class_holdings: np.ndarray,
    total_holdings: float, gdp: np.ndarray, n_paths: int, news_per_bp: np.ndarray | None,
    with_threat: np.ndarray,
) -> dict[str, np.ndarray]:  # fmt: skip
    """A scenario's threats, with them and without them, on the same paths and draws: (P,) net selling by the
    contagion block (scheduled sales excluded; buybacks netted), USD bn, over windows that start with the month of
    the first threat — foreign holders' (officials and foreign private) over :data:`THREAT_SHORT_MONTHS` months
    (``foreign_sold_bn_6m``) and the officials' over :data:`THREAT_LONG_MONTHS` (``official_sold_bn_36m``), each
    also ``…_no_threat``. A window the horizon cuts short is left out (not reported under its name for fewer
    months); no threat, no figures.

    ``with_threat`` (P, K, 3) is the run's own pass's selling at :func:`threat_windows` (the first K snapshots of
    its ``market_pass``, which keeps the persistent month after them); the run without the threat is one more
    pass, cut at the last window's end
    (the pass is causal: a month's selling does not depend on later months): 36 months of a 360-month run.
    """
    at = threat_windows(sched)
    if not at:
        return {}
    last = at[-1]
    cut = replace(sched.head(last), threat=np.zeros(last))
    plain = market_pass(cut, params, cdraws, class_holdings, total_holdings, np.asarray(gdp)[:last], n_paths,
                        None if news_per_bp is None else news_per_bp[:last], snapshots=at).class_sold_at_bn
    if plain is None:  # (cannot happen: cdraws is given, so the contagion block is on)
        raise ScenarioError("threat effects need the contagion block on")
    out: dict[str, np.ndarray] = {}
    first = at[0]
    for k, end in enumerate(at[1:], start=1):
        key, classes = (("foreign_sold_bn_6m", [0, 1]) if end - first == THREAT_SHORT_MONTHS
                        else ("official_sold_bn_36m", [0]))
        for suffix, sold in (("", with_threat), ("_no_threat", plain)):
            out[key + suffix] = (sold[:, k] - sold[:, 0])[:, classes].sum(axis=1)
    return out


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


def news_coefficient(calib: CalibratedBaseline, paths: BaselinePaths, macro: MacroParams,
                     monetary_offset: bool = True) -> np.ndarray:
    """(T,) fiscal news per bp of market yield: k · d_t, k measured from the fiscal engine (deterministic path).

    k is the mean over the first ten years of the monthly change in debt/GDP (pp) per bp of a permanent +10 bp
    market premium, per unit of baseline debt/GDP; d_t is the baseline debt/GDP at the start of month t. Without
    the ``monetary_offset`` the premium's run holds the policy path of the run without it.

    Raises
    ------
    ScenarioError
        When the fiscal settings alone make the deterministic path explode (before any market event): the news
        the contagion block reads would not be finite.
    """
    months = paths.months
    base = simulate(calib.book, paths, calib.params, macro, record_monthly=True, record_policy=not monetary_offset)
    bumped = simulate(calib.book, paths, calib.params, macro, record_monthly=True,
                      market_term_premium=np.full(months, 10.0 / 1e4), policy_deviation=base.policy)
    if bool(base.exploded[0]) or bool(bumped.exploded[0]):
        raise ScenarioError("the scenario's fiscal settings alone put debt/GDP on an explosive path (the deterministic "
                            "path without any sale, announcement or threat, or with a 10 bp premium, passes the "
                            "explosive threshold), so the market and contagion blocks have no finite fiscal news to "
                            "read; lower fiscal.fiscal_risk_premium_bp_per_pp or macro.lower_bound, or raise "
                            "macro.fiscal_response (`geostress run baseline --paths 0` with the same --set shows the "
                            "explosion)")
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
    parameters: tuple[mk.MarketParams, cg.ContagionDraws | None] | None = None,
    news_per_bp: np.ndarray | None = None,
    term_premium_out: np.ndarray | None = None,
    scratch: np.ndarray | None = None,
    annual_out: tuple[np.ndarray, np.ndarray] | None = None,
    named_draws: dict[str, np.ndarray] | None = None,
) -> CoupledOutput:
    """Run the coupled loop on ``n_paths`` paths (``shocks`` (P, T, 5) or None for the deterministic path).

    The deterministic path (``shocks`` None) uses the prior medians of every market and contagion parameter;
    stochastic paths draw them per path (``seed``, ``first_path``: the draws depend only on the seed and the
    path's index). ``backstop_off`` also runs the market block with the backstop switched off (for the
    side-by-side figures). ``parameters`` (the :func:`draw_parameters` of these paths) and ``news_per_bp`` (the
    :func:`news_coefficient` of this calibration) skip that work when the caller has done it already;
    ``term_premium_out`` ((P, T) float32) receives the term premium by path and month, ``annual_out`` the
    scenario's and the twin's fiscal-year aggregates (as :func:`geostress.model.fiscal.simulate`'s);
    ``scratch`` (flat float64, at least T × P) holds the month-major market premium (reused across chunks, it
    saves a fresh allocation's page faults each time). ``named_draws``: the contagion priors' draws of these paths
    that came with ``parameters`` (``draw_parameters(..., named=...)``), for :attr:`CoupledOutput.draws`; without
    them a run given ``parameters`` decomposes over the market parameters only.
    """
    months = paths.months
    sched = schedule(spec, holders, months)
    contagion_on = bool(spec.contagion.enabled)
    offset = bool(getattr(spec.market, "monetary_offset", True))
    if parameters is None:
        named_draws = {}
        parameters = draw_parameters(spec, holders, shocks is not None, seed, first_path, n_paths, named=named_draws)
    params, cdraws = parameters
    class_holdings = holders.class_holdings()
    gdp = np.asarray(paths.gdp, dtype=float)
    book, fparams = calib.book, calib.params
    events = sched.first_month > 0
    common = dict(shocks=shocks, yield_shift=yield_shift)
    news = None
    if contagion_on and events:
        news = news_coefficient(calib, paths, macro, offset) if news_per_bp is None else news_per_bp
    scenario_out, twin_out = (None, None) if annual_out is None else annual_out
    with serial_kernels(n_paths <= SERIAL_PATHS):
        # without the monetary offset the scenario holds the twin's policy path (the rule answers the shocks only)
        twin = simulate(book, paths, fparams, macro, record_monthly=record, annual_out=twin_out,
                        record_policy=events and not offset, **common)
        windows = threat_windows(sched) if cdraws is not None else ()
        read = sched.persistent_month
        # the threat's windows, then the persistent month (the officials' selling the published range reads)
        mp = market_pass(sched, params, cdraws, class_holdings, holders.total, gdp, n_paths, news,
                         tp_out=term_premium_out, scratch=scratch,
                         snapshots=(*windows, read) if cdraws is not None else ())
        scenario = twin
        if events:
            scenario = simulate(book, paths, fparams, macro, record_monthly=record, annual_out=scenario_out,
                                market_term_premium=mp.premium, premium_by_month=True, policy_deviation=twin.policy,
                                **common)
        elif scenario_out is not None:
            scenario_out[:] = twin.annual
        off: dict[str, np.ndarray] = {}
        if backstop_off and events:
            off_params = params.with_stabilisers(backstop=False)
            mp_off = market_pass(sched, off_params, cdraws, class_holdings, holders.total, gdp, n_paths, news)
            off = {"peak_10y_change_bp": mp_off.peak_bp, "persistent_10y_change_bp": mp_off.persistent_bp,
                   "stock_effect_10y_bp": mp_off.stock_bp}
        threat: dict[str, np.ndarray] = {}
        sold_at = mp.class_sold_at_bn
        if windows and sold_at is not None:
            threat = threat_effects(sched, params, cdraws, class_holdings, holders.total, gdp, n_paths, news,
                                    sold_at[:, : len(windows)])
        official_persistent = None if sold_at is None else sold_at[:, -1, 0].copy()
        official_run = None if mp.official_run_at_bn is None else mp.official_run_at_bn[:, -1].copy()
    monthly = np.zeros((1 if record else 0, months, len(MONTHLY_FIELDS)))
    if record:
        monthly[0] = scenario.monthly[0]
    strip = lambda o: SimulationOutput(o.annual, np.zeros((0, months, len(MONTHLY_FIELDS))),  # noqa: E731
                                       o.fiscal_years, o.exploded, o.explode_month)
    draws: dict[str, np.ndarray] = {}
    if shocks is not None:  # every parameter a path drew: the market's, and the contagion block's when it is on
        draws = {name: np.broadcast_to(np.asarray(getattr(params, name), dtype=float), (n_paths,)).copy()
                 for name in mk.UNCERTAIN}
        if cdraws is not None:
            draws.update(named_draws or {})
    return CoupledOutput(
        strip(scenario), strip(twin), mp.peak_bp, mp.cascade.astype(float), mp.tp_bp, mp.sold_bn, monthly,
        mp.persistent_bp, mp.backstop_bn, draws, read, off, threat, official_persistent, official_run,
        mp.stock_bp, np.zeros(n_paths) if mp.peak_window_share is None else mp.peak_window_share,
        run_notes(sched, gdp, paths.fiscal_year, mp.backstop_bn, offset, bool(getattr(spec.market, "backstop", True)),
                  by_stress=mp.backstop_by_stress_bn)
        if events else {},
        np.zeros(n_paths) if mp.fima_bn is None else mp.fima_bn,
        mp.backstop_by_stress_bn,
    )  # fmt: skip


def draw_parameters(spec: ScenarioSpec, holders: Holders, stochastic: bool, seed: int | None, first_path: int,
                    n_paths: int, named: dict[str, np.ndarray] | None = None,
                    ) -> tuple[mk.MarketParams, cg.ContagionDraws | None]:
    """The market and contagion parameters of paths ``first_path`` … ``first_path + n_paths − 1``: drawn per path
    from the priors (``stochastic``; they depend only on the seed and the path's index) or the prior medians.
    ``named`` (a dict) receives the contagion priors' draws as drawn (:func:`draw_contagion`), when drawn."""
    stab = stabilisers_for(spec)
    priors = market_priors(spec)
    cpriors = contagion_priors(spec, holders)
    contagion_on = bool(spec.contagion.enabled)
    if not stochastic:
        return priors.medians(stab), cg.median_draws(cpriors, n_paths) if contagion_on else None
    seed = spec.simulation.seed if seed is None else seed
    return (draw_market(priors, stab, seed, first_path, n_paths),
            draw_contagion(cpriors, seed, first_path, n_paths, named) if contagion_on else None)


def holders_for(store: Store, calib: CalibratedBaseline) -> Holders:
    """Holder sectors as of the month before the run starts."""
    return holders_at_start(store, calib.start)


def holders_at_start(store: Store, start: date) -> Holders:
    """Holder sectors on the day before a run that starts on ``start``."""
    from geostress.calibrate.market import build_holders

    return build_holders(store, at=start - timedelta(days=1))


def check_events(spec: ScenarioSpec, holders: Holders) -> None:
    """Raise the :class:`ScenarioError` a run would raise for the spec's sales, announcements (their amounts
    included), threats and liquidity shocks, without running it (the checks of :func:`schedule`)."""
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
    # two shock buffers, reused (chunk i runs on one while chunk i + 1 is drawn into the other), and the term
    # premium of every path written in place: no fresh pages per chunk, no copies at the end
    size = min(chunk_paths, n_paths)
    buffers = [np.empty((size, months, len(SHOCKS)), dtype=np.float32) for _ in range(min(2, len(starts)))]
    term_premium = np.empty((n_paths, months), dtype=np.float32)
    scratch = np.empty(months * size)  # the market premium, month-major, one chunk at a time
    shape = (len(np.unique(np.asarray(paths.fiscal_year))), len(ANNUAL_FIELDS))
    scenario_annual, twin_annual = np.empty((n_paths, *shape)), np.empty((n_paths, *shape))

    def draw(i: int) -> tuple[np.ndarray, tuple[mk.MarketParams, cg.ContagionDraws | None], dict[str, np.ndarray]]:
        first = starts[i]
        count = min(chunk_paths, n_paths - first)
        shocks = draw_paths(seed, first, count, months, out=buffers[i % 2][:count])
        named: dict[str, np.ndarray] = {}
        return shocks, draw_parameters(spec, holders, True, seed, first, count, named=named), named

    sched = schedule(spec, holders, months)
    events = sched.first_month > 0
    news = (news_coefficient(calib, paths, macro, spec.market.monetary_offset)
            if spec.contagion.enabled and events else None)
    # the next chunk's shocks and parameters are drawn in the background while this chunk runs (as the uncoupled
    # ensemble draws its shocks)
    with ThreadPoolExecutor(max_workers=1) as background:
        pending = background.submit(draw, 0)
        for i, first in enumerate(starts):
            shocks, parameters, named = pending.result()
            if i + 1 < len(starts):
                pending = background.submit(draw, i + 1)
            parts.append(run_coupled(calib, paths, macro, spec, holders, shocks=shocks, n_paths=shocks.shape[0],
                                     yield_shift=yield_shift, first_path=first, seed=seed,
                                     backstop_off=backstop_off, parameters=parameters, news_per_bp=news,
                                     term_premium_out=term_premium[first : first + shocks.shape[0]], scratch=scratch,
                                     annual_out=(scenario_annual[first : first + shocks.shape[0]],
                                                 twin_annual[first : first + shocks.shape[0]]),
                                     named_draws=named))
            if progress is not None:
                progress(first + shocks.shape[0], n_paths)
    if len(parts) == 1:
        return parts[0]

    def join(outputs: list[SimulationOutput], annual: np.ndarray) -> SimulationOutput:
        return SimulationOutput(annual, outputs[0].monthly, outputs[0].fiscal_years,
                                np.concatenate([o.exploded for o in outputs]),
                                np.concatenate([o.explode_month for o in outputs]))

    cat = lambda name: np.concatenate([getattr(p, name) for p in parts])  # noqa: E731
    by_stress = None if parts[0].backstop_by_stress_bn is None else cat("backstop_by_stress_bn")
    return CoupledOutput(
        join([p.scenario for p in parts], scenario_annual), join([p.twin for p in parts], twin_annual),
        cat("peak_10y_change_bp"),
        cat("cascade_share"), term_premium, cat("sold_bn"), parts[0].monthly,
        cat("persistent_10y_change_bp"), cat("backstop_bn"),
        {k: np.concatenate([p.draws[k] for p in parts]) for k in parts[0].draws},
        parts[0].persistent_month,
        {k: np.concatenate([p.backstop_off[k] for p in parts]) for k in parts[0].backstop_off},
        {k: np.concatenate([p.threat[k] for p in parts]) for k in parts[0].threat},
        None if parts[0].official_sold_persistent_bn is None else cat("official_sold_persistent_bn"),
        None if parts[0].official_run_persistent_bn is None else cat("official_run_persistent_bn"),
        cat("stock_effect_10y_bp"), cat("peak_window_share"),
        run_notes(sched, np.asarray(paths.gdp, dtype=float), paths.fiscal_year, cat("backstop_bn"),
                  spec.market.monetary_offset, spec.market.backstop, by_stress=by_stress) if events else {},
        cat("fima_bn"), by_stress,
    )  # fmt: skip


__all__ = ["CoupledOutput", "check_events", "holders_for", "run_coupled", "run_coupled_chunks", "schedule"]
