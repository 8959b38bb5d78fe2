"""Calibrate the fiscal engine to the store: the initial cohort book, CBO baseline paths, and the rate path.

* **Initial book.** Shares of marketable debt held by the public by security type come from the Monthly Statement
  of the Public Debt (Table I); each type is spread over its original tenors with stock weights proportional to
  recent auction sizes times tenor (a steady state), remaining maturities uniform over each tenor. A cohort's
  coupon is the market yield of its tenor in the month it was issued (FRED history), shifted per security type so
  the book's average rate equals Treasury's published average interest rate for that type (Fiscal Data) in the
  month before the start. TIPS are carried as nominal securities whose cost is their real rate plus an inflation
  accrual (:data:`TIPS_INFLATION_ACCRUAL`); floating-rate notes as 13-week bills, since their coupon resets with
  the 13-week bill. The book is scaled to CBO's actual debt held by the public at the start.
* **Baseline paths.** CBO's baseline of one vintage gives, by fiscal year, the primary deficit (deficit less net
  interest), other means of financing (change in debt less the deficit) and revenue; each year is spread evenly
  over its months. Nominal GDP follows CBO's own projection (:func:`nominal_gdp_path`): the economic projections
  of the vintage that matches or precedes the baseline (January 2025 or February 2026), by fiscal year, and beyond
  their last year CBO's final-year growth; baselines older than January 2025 have no economic projections in the
  store and keep the fallback, the last actual fiscal-year GDP grown at 4.0% a year
  (:data:`geostress.calibrate.DEFAULT_NOMINAL_GROWTH`). A scenario may still set a constant ``nominal_growth``.
  Beyond CBO's window the primary deficit and revenue stay at their last share of GDP.
* **Rate path.** CBO does not publish its rate path in our data, so it is inferred: the yield curve observed in
  the month before the start (FRED) is shifted by one level per fiscal year, fitted year by year (Brent's method)
  so that the engine's interest bill equals CBO's net interest in that year. Years after the fitted ones keep the
  last fitted level. This is the calibration step of the CBO validation checks.

References
----------
U.S. Treasury, Monthly Statement of the Public Debt, Table I; Fiscal Data, Average Interest Rates on U.S.
Treasury Securities. Congressional Budget Office, baseline projections (all vintages) and actuals; *The Budget and Economic Outlook*,
economic projections (January 2025; February 2026).
Treasury auction sizes (2025): 2y $69bn, 3y $58bn, 5y $70bn, 7y $44bn monthly; 10y $42bn, 20y $13bn,
30y $25bn a month on average including reopenings (TreasuryDirect auction results) [approximate].
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from geostress.calibrate import DEFAULT_NOMINAL_GROWTH
from geostress.data.store import PIN_WHERE, Store
from geostress.errors import DataError, ScenarioError, UnknownSeriesError
from geostress.model.fiscal import (
    TENOR_MONTHS,
    TENOR_NAMES,
    BaselinePaths,
    FiscalParams,
    InitialBook,
    simulate,
    with_reference,
)

TIPS_INFLATION_ACCRUAL = 0.023  # expected CPI inflation accrued on TIPS principal (assumption, ≈ breakevens 2025)
DEFAULT_FED_RESERVES_BN = 3000.0  # reserve balances ≈ $3tn (CALIBRATION.md, CBO 2025)
#: The month the Fed began paying interest on reserves: the maintenance periods from 9 October 2008 (Board of
#: Governors, press release of 6 October 2008, under the Emergency Economic Stabilization Act of 2008). Before it a
#: rise in the short rate cost the Fed nothing on reserves.
INTEREST_ON_RESERVES_FROM = date(2008, 10, 1)


def fed_reserves_at(start: date) -> float:
    """Reserve balances the Fed pays interest on over a run starting ``start``, USD bn (one figure for the whole
    horizon): none for a run starting before :data:`INTEREST_ON_RESERVES_FROM`, :data:`DEFAULT_FED_RESERVES_BN`
    (today's size) from then on. The store holds no reserve-balance series, so a run starting in 2008–2019, when
    balances were ≈$0.8–2.8tn, takes today's size; give ``[fiscal] fed_reserves_bn`` to set it."""
    return 0.0 if start < INTEREST_ON_RESERVES_FROM else DEFAULT_FED_RESERVES_BN

#: Stock weights within each security type over original tenors (months), from auction sizes × tenor.
TYPE_TENORS: dict[str, dict[int, float]] = {
    "bills": {1: 0.35, 3: 0.25, 6: 0.25, 12: 0.15},
    "notes": {24: 69 * 24, 36: 58 * 36, 60: 70 * 60, 84: 44 * 84, 120: 42 * 120},
    "bonds": {240: 13 * 240, 360: 25 * 360},
    "tips": {60: 0.25, 120: 0.55, 360: 0.20},
    "frn": {3: 1.0},
}
MSPD_TYPES = {
    "bills": "fiscaldata.mspd.marketable.bills.held_by_public",
    "notes": "fiscaldata.mspd.marketable.notes.held_by_public",
    "bonds": "fiscaldata.mspd.marketable.bonds.held_by_public",
    "tips": "fiscaldata.mspd.marketable.treasury_inflation_protected_securities.held_by_public",
    "frn": "fiscaldata.mspd.marketable.floating_rate_notes.held_by_public",
}
AVG_RATE_TYPES = {
    "bills": "fiscaldata.avg_rate.marketable.treasury_bills",
    "notes": "fiscaldata.avg_rate.marketable.treasury_notes",
    "bonds": "fiscaldata.avg_rate.marketable.treasury_bonds",
    "tips": "fiscaldata.avg_rate.marketable.treasury_inflation_protected_securities_tips",
    "frn": "fiscaldata.avg_rate.marketable.treasury_floating_rate_notes_frn",
}
#: Relative gross issuance over :data:`TENOR_NAMES`: within bills, the weekly auction pattern; within coupons,
#: auction sizes × auctions a year (2025). The split between bills and coupons is set from data by
#: :func:`default_issuance`.
AUCTION_MIX = np.array([0.30, 0.26, 0.16, 0.06, 0.055, 0.045, 0.055, 0.034, 0.023, 0.006, 0.012])
BILLS = TENOR_MONTHS <= 12


def steady_state_bill_share(issuance: np.ndarray) -> float:
    """Bills' share of the stock that a constant issuance mix converges to (stock ∝ issuance × tenor)."""
    stock = np.asarray(issuance) * TENOR_MONTHS
    return float(stock[BILLS].sum() / stock.sum())


def default_issuance(store: Store) -> np.ndarray:
    """The default issuance mix: :data:`AUCTION_MIX` with bills scaled so that the stock it converges to keeps the
    bill share of marketable debt held by the public in the latest Monthly Statement of the Public Debt
    (21.2% on 30 April 2025), i.e. debt management keeps today's maturity structure."""
    bills = float(store.get(MSPD_TYPES["bills"])["value"].iloc[-1])
    total = sum(float(store.get(sid)["value"].iloc[-1]) for sid in MSPD_TYPES.values())
    target = bills / total
    scale = brentq(lambda k: steady_state_bill_share(np.where(BILLS, k, 1.0) * AUCTION_MIX) - target, 1e-3, 1e3)
    mix = np.where(BILLS, scale, 1.0) * AUCTION_MIX
    return mix / mix.sum()

#: Observed points of the curve (months → series ids, daily first, then monthly fallback).
CURVE_POINTS: dict[int, tuple[str, ...]] = {
    3: ("fred.dgs3mo", "fred.tb3ms"),
    24: ("fred.dgs2", "fred.gs2"),
    60: ("fred.dgs5",),
    120: ("fred.dgs10", "fred.gs10"),
    360: ("fred.dgs30",),
}


def fiscal_year_of(day: pd.Timestamp | date) -> int:
    """US federal fiscal year (October–September) containing ``day``."""
    ts = pd.Timestamp(day)
    return ts.year + 1 if ts.month >= 10 else ts.year


def yield_history(store: Store) -> pd.DataFrame:
    """Monthly average yields (decimal) at :data:`TENOR_MONTHS`, interpolated linearly in maturity.

    The observed points are 3 months, 2, 5, 10 and 30 years (FRED, daily averaged by month, monthly series where
    the daily ones start later). Before a point's series starts, it is filled from its neighbours' spread at the
    first common month (held constant), which matters only for cohorts issued before 1977.
    """
    columns = {}
    for months, ids in CURVE_POINTS.items():
        frame = store.get(list(ids))
        monthly = (
            frame.assign(month=frame["period"].dt.to_period("M"))
            .pivot_table(index="month", columns="series_id", values="value", aggfunc="mean")
        )
        series = monthly[ids[0]] if ids[0] in monthly else monthly[ids[-1]]
        for fallback in ids[1:]:
            if fallback in monthly:
                series = series.combine_first(monthly[fallback])
        columns[months] = series / 100.0
    curve = pd.DataFrame(columns).sort_index()
    for months in (60, 360, 24):
        missing = curve[months].isna()
        if missing.any():
            near = 120 if months != 24 else 3
            first = curve[months].first_valid_index()
            spread = curve.at[first, months] - curve.at[first, near]
            curve.loc[missing, months] = curve.loc[missing, near] + spread
    curve = curve.dropna()
    points = np.array(sorted(CURVE_POINTS), dtype=float)
    values = curve[sorted(CURVE_POINTS)].to_numpy()
    table = np.vstack([np.interp(TENOR_MONTHS.astype(float), points, row) for row in values])
    return pd.DataFrame(table, index=curve.index, columns=list(TENOR_NAMES))


def _latest_on_or_before(frame: pd.DataFrame, when: pd.Timestamp) -> pd.Series:
    before = frame[frame.index <= when.to_period("M")] if isinstance(frame.index, pd.PeriodIndex) else frame[frame.index <= when]
    return before.iloc[-1] if len(before) else frame.iloc[0]


TARGET_WAM_MONTHS = 72.0  # weighted average maturity of marketable debt, 2025 (Treasury; CALIBRATION.md)


def initial_book(
    store: Store, start: date, total_debt_bn: float, *, target_wam_months: float = TARGET_WAM_MONTHS
) -> InitialBook:
    """The marketable debt held by the public at ``start``, as cohorts (see the module docstring).

    Within a tenor, older cohorts are smaller: issue sizes grew with the debt. The growth rate of issue sizes is
    solved (Brent) so that the book's weighted average maturity equals ``target_wam_months``.
    """
    inputs = _book_inputs(store, pd.Timestamp(start))

    def wam_gap(growth: float) -> float:
        return _assemble_book(inputs, total_debt_bn, growth).weighted_average_maturity - target_wam_months

    lo, hi = -0.10, 0.40
    if wam_gap(lo) > 0 or wam_gap(hi) < 0:
        raise ScenarioError(f"a weighted average maturity of {target_wam_months} months is out of reach of the "
                            "MSPD shares and tenors; choose 40..110 months")
    return _assemble_book(inputs, total_debt_bn, brentq(wam_gap, lo, hi, xtol=1e-8))


@dataclass(frozen=True)
class _TypeInputs:
    share: float  # of marketable debt held by the public
    target_rate: float | None  # Fiscal Data average rate, decimal
    remaining: list[np.ndarray]  # per original tenor
    weights: np.ndarray  # stock weight per original tenor
    rates: list[np.ndarray]  # market yield at issue per cohort


def _book_inputs(store: Store, start: pd.Timestamp) -> dict[str, _TypeInputs]:
    curve = yield_history(store)
    first = curve.index[0]
    out = {}
    for kind, tenors in TYPE_TENORS.items():
        held = store.get(MSPD_TYPES[kind])
        if held.empty:
            raise DataError(f"series {MSPD_TYPES[kind]} (MSPD) is empty; import a Monthly Statement of the Public Debt")
        rate = store.get(AVG_RATE_TYPES[kind], end=start)
        remaining, rates = [], []
        for tenor in tenors:
            column = TENOR_NAMES[int(np.argmin(np.abs(TENOR_MONTHS - tenor)))]
            left = np.arange(1, tenor + 1)
            issued = [max(start.to_period("M") - int(tenor - m) - 1, first) for m in left]
            remaining.append(left)
            rates.append(curve[column].reindex(issued, method="ffill").to_numpy())
        weights = np.array(list(tenors.values()), dtype=float)
        out[kind] = _TypeInputs(
            share=float(held["value"].iloc[-1]),
            target_rate=float(rate["value"].iloc[-1]) / 100.0 if len(rate) else None,
            remaining=remaining,
            weights=weights / weights.sum(),
            rates=rates,
        )
    return out


def _assemble_book(inputs: dict[str, _TypeInputs], total_debt_bn: float, growth: float) -> InitialBook:
    total_share = sum(i.share for i in inputs.values())
    remaining_all, principal_all, coupon_all = [], [], []
    for kind, inp in inputs.items():
        pri_k = []
        for left, weight in zip(inp.remaining, inp.weights, strict=True):
            sizes = np.exp(-growth * (left[-1] - left) / 12.0)  # older cohorts (shorter remaining) were smaller
            pri_k.append(weight * sizes / sizes.sum())
        rem, pri, cpn = np.concatenate(inp.remaining), np.concatenate(pri_k), np.concatenate(inp.rates)
        if kind == "tips":  # TIPS coupons are real: nominal yields less expected inflation
            cpn = cpn - TIPS_INFLATION_ACCRUAL
        if inp.target_rate is not None:
            cpn = cpn + (inp.target_rate - np.sum(pri * cpn) / np.sum(pri))
        if kind == "tips":  # their cost to the budget is the real coupon plus the inflation accrual
            cpn = cpn + TIPS_INFLATION_ACCRUAL
        remaining_all.append(rem)
        principal_all.append(pri * inp.share / total_share * total_debt_bn)
        coupon_all.append(cpn)
    return InitialBook(np.concatenate(remaining_all), np.concatenate(principal_all), np.concatenate(coupon_all))


@dataclass(frozen=True)
class CboBaseline:
    """One CBO baseline vintage, by fiscal year (USD bn)."""

    vintage: date
    fiscal_years: np.ndarray
    deficit: np.ndarray  # positive = deficit
    net_interest: np.ndarray
    debt: np.ndarray
    revenue: np.ndarray
    start_debt: float  # debt held by the public at the end of the year before the first
    last_actual_gdp: float
    last_actual_year: int
    #: The debt path is derived by geostress (source ``cbo-debt-derived``): CBO did not publish it in this baseline.
    debt_derived: bool = False

    @property
    def primary_deficit(self) -> np.ndarray:
        return self.deficit - self.net_interest

    @property
    def other_financing(self) -> np.ndarray:
        previous = np.concatenate([[self.start_debt], self.debt[:-1]])
        return self.debt - previous - self.deficit


def cbo_vintages(store: Store) -> list[date]:
    """Baseline vintages with net interest, deficit, debt and revenue (debt derived where CBO did not publish it,
    see :mod:`geostress.data.sources.cbo_debt_derived`: all 88 baselines with the other three)."""
    sets = [set(store.vintages(s)) for s in ("cbo.net_interest", "cbo.deficit", "cbo.debt", "cbo.revenue")]
    return sorted(set.intersection(*sets))


def parse_baseline_spec(spec: str, store: Store) -> date:
    """``cbo:YYYY-MM`` (or ``cbo:latest``) → the vintage date; a :class:`ScenarioError` lists the choices."""
    available = cbo_vintages(store)
    text = spec.removeprefix("cbo:")
    if text == "latest":
        return available[-1]
    try:
        wanted = pd.Period(text, freq="M")
    except (ValueError, TypeError):
        raise ScenarioError(f"baseline {spec!r}: expected cbo:YYYY-MM (e.g. cbo:2025-01) or cbo:latest") from None
    for vintage in available:
        if pd.Period(vintage, freq="M") == wanted:
            return vintage
    recent = ", ".join(f"{v:%Y-%m}" for v in available[-12:])
    near = [v for v in available if v.year == wanted.year] or [
        v for v in available if abs(v.year - wanted.year) == 1]
    partial = _partial_vintage(store, wanted)
    what = (f"baseline {spec!r} is in the store without {partial}, so it cannot drive a run" if partial
            else f"baseline {spec!r} is not in the store")
    if not partial and store.known_by is not None and any(
            pd.Period(v, freq="M") == wanted for v in cbo_vintages(store.unpinned())):
        what = (f"baseline {spec!r} was published after {store.known_by:%Y-%m-%d}, the day the data are pinned to "
                f"({PIN_WHERE}): choose a later day or a baseline published by then")
    if near:
        listing = ", ".join(f"cbo:{v:%Y-%m}" for v in near)
        which = (f"vintages of {wanted.year}" if near[0].year == wanted.year
                 else f"none in {wanted.year}; vintages of the years either side")
        raise ScenarioError(f"{what}; {which}: {listing}; recent vintages: {recent}")
    raise ScenarioError(f"{what}; recent vintages: {recent} (and earlier, from {available[0]:%Y-%m})")


#: The projections a baseline needs, by store series, in words.
BASELINE_SERIES = {"cbo.net_interest": "net interest", "cbo.deficit": "deficits", "cbo.debt": "debt",
                   "cbo.revenue": "revenue"}


def _partial_vintage(store: Store, wanted: pd.Period) -> str:
    """What a CBO vintage of the month ``wanted`` lacks, in words ("deficits and revenue"), when the store holds
    some of :data:`BASELINE_SERIES` for it but not all; "" when it holds none (no such vintage) or all."""
    held = {sid: any(pd.Period(v, freq="M") == wanted for v in store.vintages(sid)) for sid in BASELINE_SERIES}
    if not any(held.values()) or all(held.values()):
        return ""
    missing = [BASELINE_SERIES[sid] for sid, ok in held.items() if not ok]
    return (", ".join(missing[:-1]) + " and " + missing[-1]) if len(missing) > 1 else missing[0]


def _by_fiscal_year(frame: pd.DataFrame) -> pd.Series:
    """Values indexed by fiscal year (periods are FY ends, 30 September)."""
    return frame.set_index(frame["period"].dt.year)["value"]


def load_cbo_baseline(store: Store, vintage: date) -> CboBaseline:
    """Read one CBO vintage; years are those the vintage projects with every component present."""
    frames = {name: store.get(f"cbo.{name}", vintage=vintage) for name in ("deficit", "net_interest", "debt", "revenue")}
    parts = {name: _by_fiscal_year(frame) for name, frame in frames.items()}
    # debt of a baseline that did not publish it is derived (cbo_debt_derived); the source column says so
    debt_derived = bool(len(frames["debt"])) and set(frames["debt"]["source"]) == {"cbo-debt-derived"}
    table = pd.DataFrame(parts).dropna().sort_index()
    if table.empty:
        raise DataError(f"CBO baseline {vintage} lacks deficit, net interest, debt or revenue projections")
    first = int(table.index[0])
    actual_debt = _by_fiscal_year(store.get("cbo.actual.debt"))
    if first - 1 in actual_debt.index:
        start_debt = float(actual_debt[first - 1])
    else:  # before CBO's actuals begin: back out from the first projected year
        start_debt = float(table["debt"].iloc[0] + table["deficit"].iloc[0])
    gdp = _by_fiscal_year(store.get("cbo.actual.gdp"))
    known = gdp[gdp.index < first]
    if known.empty:
        raise DataError(f"no actual GDP before FY{first} in the store (cbo.actual.gdp)")
    return CboBaseline(
        vintage=vintage,
        fiscal_years=table.index.to_numpy(dtype=np.int64),
        deficit=-table["deficit"].to_numpy(),
        net_interest=table["net_interest"].to_numpy(),
        debt=table["debt"].to_numpy(),
        revenue=table["revenue"].to_numpy(),
        start_debt=start_debt,
        last_actual_gdp=float(known.iloc[-1]),
        last_actual_year=int(known.index[-1]),
        debt_derived=debt_derived,
    )


#: CBO economic-projection series of nominal GDP (calendar years) and its quarterly twin (January 2025 only).
CBO_ECON_GDP = "cbo.econ.gdp"
CBO_ECON_GDP_Q = "cbo.econ.gdp.q"


@dataclass(frozen=True)
class NominalGdpPath:
    """Nominal GDP by fiscal year for one run: actual, then CBO's projection, then CBO's long-run growth.

    Attributes
    ----------
    by_year
        Fiscal year → nominal GDP (USD bn, the fiscal-year total at an annual rate, i.e. the mean of its four
        quarters' SAAR values).
    last_actual_year
        Last fiscal year taken from CBO's actuals (``cbo.actual.gdp``).
    econ_vintage
        Vintage of CBO's economic projections used, ``None`` for the constant-growth fallback.
    last_projected_year
        Last fiscal year CBO's projection covers (``last_actual_year`` with the fallback).
    long_run_growth
        Annual growth applied after ``last_projected_year``: CBO's growth in its final projected calendar year,
        or the constant growth of the fallback.
    source
        One line saying where the path comes from (printed by reports and the monitor).
    """

    by_year: dict[int, float]
    last_actual_year: int
    econ_vintage: date | None
    last_projected_year: int
    long_run_growth: float
    source: str

    def fiscal_year(self, year: int) -> float:
        """GDP of fiscal ``year``, extended at :attr:`long_run_growth` past the last year held."""
        if year in self.by_year:
            return self.by_year[year]
        last = max(self.by_year)
        if year > last:
            return self.by_year[last] * (1.0 + self.long_run_growth) ** (year - last)
        raise DataError(f"no nominal GDP for FY{year}: the path starts in FY{min(self.by_year)}")

    def monthly(self, months: pd.PeriodIndex) -> np.ndarray:
        """Monthly GDP (annual rate) along ``months``: log-linear between fiscal-year means placed mid-year.

        A fiscal year's mean sits at the middle of its twelve months (between March and April); months in between
        are interpolated in logs, so the path is smooth and each year's monthly values average close to its
        fiscal-year figure (exactly so for constant growth, up to the curvature of the exponential).
        """
        def position(period: pd.Period) -> float:  # fiscal years, 0 = middle of the FY ending in year 0
            fy = period.year + 1 if period.month >= 10 else period.year
            return fy + ((period.month - 10) % 12 - 5.5) / 12.0

        where = np.array([position(p) for p in months])
        lo = int(np.floor(where.min())) - 1
        hi = int(np.ceil(where.max())) + 1
        years = np.arange(lo, hi + 1)
        logs = np.log([self.fiscal_year(int(y)) for y in years])
        return np.exp(np.interp(where, years.astype(float), logs))


def _cbo_fiscal_year_gdp(quarterly: pd.DataFrame, annual: pd.DataFrame) -> dict[int, float]:
    """CBO's nominal GDP by fiscal year from one vintage of economic projections (quarterly rows, maybe none,
    and calendar-year rows).

    With quarterly figures (January 2025) a fiscal year is the mean of its four quarters (Q4 of the previous
    calendar year and Q1–Q3); with calendar years only (February 2026) it is ``CY(y−1)^¼ · CY(y)^¾``, the
    fiscal-year mean of a path growing at a constant rate within each year (checked against the January 2025
    quarters: within 0.1%).
    """
    if len(quarterly):
        q = quarterly.set_index(quarterly["period"].dt.to_period("Q"))["value"].astype(float)
        fy = pd.Series(q.to_numpy(), index=[p.year + 1 if p.quarter == 4 else p.year for p in q.index])
        counts = fy.groupby(level=0).count()
        means = fy.groupby(level=0).mean()[counts == 4]
        return {int(y): float(v) for y, v in means.items()}
    cy = dict(zip(annual["period"].dt.year.astype(int), annual["value"].astype(float), strict=True))
    return {y: cy[y - 1] ** 0.25 * cy[y] ** 0.75 for y in sorted(cy) if y - 1 in cy}


def nominal_gdp_path(
    store: Store, baseline: date, *, last_actual_year: int | None = None, nominal_growth: float | None = None
) -> NominalGdpPath:
    """Nominal GDP by fiscal year for a run on CBO baseline ``baseline`` (see the module docstring).

    Parameters
    ----------
    store
        The observation store.
    baseline
        The CBO baseline vintage; CBO's economic projections of the latest vintage on or before it are used
        (``cbo.econ.gdp``: 2025-01-01 and 2026-02-01 in the snapshot).
    last_actual_year
        Last fiscal year of actual GDP to use (default: the last fiscal year in ``cbo.actual.gdp`` that ended
        before ``baseline``).
    nominal_growth
        A constant growth rate instead of CBO's projection (an override; also the fallback's rate when given).

    Returns
    -------
    NominalGdpPath
        Actual GDP to ``last_actual_year``, then CBO's fiscal-year projection (its levels, not rescaled to the
        actuals: CBO's own debt-to-GDP ratios use them), then CBO's growth in its final projected year.
        Baselines earlier than every economic-projection vintage (before January 2025) fall back to the last
        actual grown at :data:`geostress.calibrate.DEFAULT_NOMINAL_GROWTH` (documented assumption) and say so in
        :attr:`NominalGdpPath.source`.

    Raises
    ------
    geostress.errors.DataError
        No actual GDP before the baseline.

    References
    ----------
    Congressional Budget Office, *The Budget and Economic Outlook: 2025 to 2035* (January 2025) and *2026 to
    2036* (February 2026), economic projections (nominal GDP, calendar years and quarters).
    """
    actual_frame = store.get("cbo.actual.gdp")
    actual = dict(zip(actual_frame["period"].dt.year.astype(int), actual_frame["value"].astype(float), strict=True))
    if last_actual_year is None:
        known = [y for y in actual if date(y, 9, 30) < baseline]  # fiscal years ended before the baseline
        if not known:
            raise DataError(f"no actual GDP before the {baseline} baseline in the store (cbo.actual.gdp)")
        last_actual_year = max(known)
    if last_actual_year not in actual:
        raise DataError(f"no actual GDP for FY{last_actual_year} in the store (cbo.actual.gdp)")
    history = {y: v for y, v in actual.items() if y <= last_actual_year}
    # every release of CBO's economic projections in one read (each store query reads the files again)
    try:
        releases = store.get([CBO_ECON_GDP, CBO_ECON_GDP_Q], all_vintages=True)
    except UnknownSeriesError:  # a store without the quarterly (or any) projections
        held = set(store.series_ids())
        releases = store.get(CBO_ECON_GDP, all_vintages=True) if CBO_ECON_GDP in held else pd.DataFrame()
    annual_rows = releases[releases["series_id"] == CBO_ECON_GDP] if len(releases) else releases
    econ_vintages = sorted(v for v in {ts.date() for ts in annual_rows["vintage"]} if v <= baseline) if len(
        annual_rows) else []
    if nominal_growth is not None or not econ_vintages:
        growth = DEFAULT_NOMINAL_GROWTH if nominal_growth is None else nominal_growth
        why = ("set by the scenario" if nominal_growth is not None else
               f"fallback: no CBO economic projections on or before the {baseline:%Y-%m} baseline")
        return NominalGdpPath(history, last_actual_year, None, last_actual_year, growth,
                              f"FY{last_actual_year} actual GDP grown {growth:.1%} a year ({why})")
    econ = max(econ_vintages)
    of_econ = releases[releases["vintage"] == pd.Timestamp(econ)]
    annual = of_econ[of_econ["series_id"] == CBO_ECON_GDP]
    cbo_fy = _cbo_fiscal_year_gdp(of_econ[of_econ["series_id"] == CBO_ECON_GDP_Q], annual)
    projected = {y: v for y, v in cbo_fy.items() if y > last_actual_year}
    if not projected:
        raise DataError(f"CBO's {econ} economic projections end before FY{last_actual_year + 1}")
    cy = annual.sort_values("period")["value"].astype(float).to_numpy()
    long_run = float(cy[-1] / cy[-2] - 1.0)
    last_year = max(projected)
    source = (f"CBO economic projections ({econ:%B %Y}) to FY{last_year}, then {long_run:.2%} a year (CBO's growth "
              f"in its last projected year); actual to FY{last_actual_year}")
    return NominalGdpPath({**history, **projected}, last_actual_year, econ, last_year, long_run, source)


@dataclass(frozen=True)
class CalibratedBaseline:
    """Everything a run needs, calibrated to one CBO vintage."""

    cbo: CboBaseline
    start: date
    book: InitialBook
    paths: BaselinePaths
    params: FiscalParams
    level_shift_by_year: dict[int, float] = field(default_factory=dict)
    fit_years: tuple[int, ...] = ()
    misfit_bn: dict[int, float] = field(default_factory=dict)  # years CBO's net interest could not be matched
    start_curve: np.ndarray = field(default_factory=lambda: np.zeros(len(TENOR_NAMES)))
    #: Where the nominal GDP path comes from (:func:`nominal_gdp_path`).
    gdp: NominalGdpPath | None = None

    @property
    def fiscal_years(self) -> np.ndarray:
        return np.unique(self.paths.fiscal_year)


def _monthly_paths(
    cbo: CboBaseline, start: date, months: int, curve: np.ndarray, gdp_path: NominalGdpPath
) -> BaselinePaths:
    month_index = pd.period_range(pd.Timestamp(start), periods=months, freq="M")
    fy = np.array([m.year + 1 if m.month >= 10 else m.year for m in month_index], dtype=np.int64)
    gdp = gdp_path.monthly(month_index)
    by_year = {int(y): i for i, y in enumerate(cbo.fiscal_years)}
    last = len(cbo.fiscal_years) - 1
    last_fy_gdp = gdp_path.fiscal_year(int(cbo.fiscal_years[last]))
    pd_share = cbo.primary_deficit[last] / last_fy_gdp
    rev_share = cbo.revenue[last] / last_fy_gdp
    primary, other, revenue = np.empty(months), np.zeros(months), np.empty(months)
    for t, year in enumerate(fy):
        i = by_year.get(int(year))
        if i is not None:
            primary[t] = cbo.primary_deficit[i] / 12.0
            other[t] = cbo.other_financing[i] / 12.0
            revenue[t] = cbo.revenue[i] / 12.0
        else:
            primary[t] = pd_share * gdp[t] / 12.0
            revenue[t] = rev_share * gdp[t] / 12.0
    yields = np.tile(curve, (months, 1))
    return BaselinePaths(yields, primary, other, revenue, gdp, yields[:, 1].copy(), fy)


def shift_rates(paths: BaselinePaths, shift_by_year: dict[int, float]) -> BaselinePaths:
    """``paths`` with each fiscal year's yields (and short rate) moved by that year's level shift."""
    shift = np.array([shift_by_year.get(int(y), 0.0) for y in paths.fiscal_year])
    return replace(paths, yields=paths.yields + shift[:, None], short_rate=paths.short_rate + shift)


def fit_rate_path(
    book: InitialBook,
    paths: BaselinePaths,
    params: FiscalParams,
    targets: dict[int, float],
    *,
    bracket: tuple[float, float] = (-0.10, 0.15),
    misfits: dict[int, float] | None = None,
) -> dict[int, float]:
    """Level shifts by fiscal year making the engine's interest equal ``targets`` (USD bn), fitted in order.

    Years without a target keep the last fitted shift. No shift takes a yield at issue below zero (the bracket's
    lower end is raised to minus the curve's lowest yield): US Treasury yields at issue have not been materially
    below zero (the 3-month bill's lowest month-end, 2020–21 and 2011–15, ≈0.0%). A year that cannot be matched
    within that range keeps the nearest bound, and its gap (model − CBO, USD bn) is recorded in ``misfits`` when
    a dict is passed: CBO's 2001–02 projections of paying the debt down, where net interest falls faster than any
    rate path on the existing book allows, and the first years of most vintages of 2009–2017 and 2020–21, when bill
    rates were near zero and CBO's net interest (net of the government's interest income) lies below what the
    book pays at zero-rate new issues; before this floor the fit reached −2 to −9 pp there (a 10-year yield of
    −1.5% in FY2015 for the January-2015 vintage).
    """
    years = [int(y) for y in np.unique(paths.fiscal_year)]
    fiscal_years = np.unique(paths.fiscal_year)
    shifts: dict[int, float] = {}
    misfits = {} if misfits is None else misfits
    bracket = (max(bracket[0], -float(np.min(paths.yields))), bracket[1])
    last = 0.0
    for year in years:
        if year not in targets:
            shifts[year] = last
            continue
        col = int(np.searchsorted(fiscal_years, year))

        def gap(level: float, year: int = year, col: int = col) -> float:
            trial = shift_rates(paths, {**shifts, **{y: level for y in years if y >= year}})
            out = simulate(book, trial, params)
            return float(out.annual_field("interest")[0, col]) - targets[year]

        lo, hi = bracket
        g_lo, g_hi = gap(lo), gap(hi)
        if g_lo > 0 or g_hi < 0:  # out of reach (e.g. CBO's surplus-era paydown): keep the nearest fit
            last = lo if g_lo > 0 else hi
            misfits[year] = g_lo if g_lo > 0 else g_hi
        else:
            last = brentq(gap, lo, hi, xtol=1e-10)
        shifts[year] = last
    return shifts


FED_HOLDINGS = "fred.treast"


def fed_share(store: Store, start: date, debt_bn: float) -> float:
    """The Federal Reserve's Treasury holdings (FRED TREAST, last week before ``start``) over the debt held by the
    public; 0 when the store has no holdings before ``start`` (before December 2002: see
    :func:`fed_holdings_from`)."""
    held = store.get(FED_HOLDINGS, end=pd.Timestamp(start) - pd.Timedelta(days=1))
    return float(held["value"].iloc[-1]) / debt_bn if len(held) else 0.0


def fed_holdings_from(store: Store) -> tuple[date, float] | None:
    """The first observation of the Fed's Treasury holdings in the store (FRED TREAST: 18 December 2002, USD bn),
    or ``None`` when the store has none. A run starting on or before it gets :func:`fed_share` 0: the Fed's share
    of any extra interest is then not offset, and the added deficit is overstated by that share."""
    try:
        held = store.get(FED_HOLDINGS)
    except UnknownSeriesError:
        return None
    if not len(held):
        return None
    first = held.sort_values("period").iloc[0]
    return pd.Timestamp(first["period"]).date(), float(first["value"])


def run_start(cbo: CboBaseline) -> date:
    """First day of a run calibrated to ``cbo``: 1 October before its first projected fiscal year."""
    return date(int(cbo.fiscal_years[0]) - 1, 10, 1)


def calibrate_baseline(
    store: Store,
    vintage: date,
    *,
    horizon_months: int | None = None,
    fit_years: tuple[int, ...] | None = None,
    nominal_growth: float | None = None,
    issuance_shares: np.ndarray | None = None,
    fiscal_risk_premium_bp_per_pp: float = 2.0,
    fed_reserves_bn: float | None = None,
    fed_share_of_debt: float | None = None,
    target_wam_months: float = TARGET_WAM_MONTHS,
) -> CalibratedBaseline:
    """Calibrate the engine to CBO baseline ``vintage`` (see the module docstring).

    Parameters
    ----------
    horizon_months
        Months to simulate from the start of the vintage's first projected fiscal year (default: to the end of
        its last projected year).
    fit_years
        Fiscal years whose net interest the rate path is fitted to (default: every projected year).
    nominal_growth
        ``None`` (default): nominal GDP follows CBO's projection (:func:`nominal_gdp_path`); a number: constant
        growth from the last actual fiscal year instead.
    fed_reserves_bn
        Reserve balances the Fed pays interest on, USD bn; ``None`` (default): :func:`fed_reserves_at` the run's
        start (none before October 2008).
    """
    cbo = load_cbo_baseline(store, vintage)
    start = run_start(cbo)
    months = horizon_months or 12 * len(cbo.fiscal_years)
    curve_table = yield_history(store)
    start_curve = _latest_on_or_before(curve_table, pd.Timestamp(start) - pd.offsets.MonthBegin(1)).to_numpy()
    book = initial_book(store, start, cbo.start_debt, target_wam_months=target_wam_months)
    params = FiscalParams(
        issuance_shares if issuance_shares is not None else default_issuance(store),
        fiscal_risk_premium_bp_per_pp=fiscal_risk_premium_bp_per_pp,
        fed_reserves_bn=fed_reserves_at(start) if fed_reserves_bn is None else fed_reserves_bn,
        fed_share_of_debt=fed_share(store, start, cbo.start_debt) if fed_share_of_debt is None else fed_share_of_debt,
    )
    gdp_path = nominal_gdp_path(store, vintage, last_actual_year=cbo.last_actual_year, nominal_growth=nominal_growth)
    paths = _monthly_paths(cbo, start, months, start_curve, gdp_path)
    years = tuple(int(y) for y in cbo.fiscal_years) if fit_years is None else tuple(fit_years)
    targets = {int(y): float(v) for y, v in zip(cbo.fiscal_years, cbo.net_interest, strict=True) if int(y) in years}
    misfits: dict[int, float] = {}
    shifts = fit_rate_path(book, paths, params, targets, misfits=misfits)
    fitted = with_reference(shift_rates(paths, shifts), book, params)
    return CalibratedBaseline(cbo, start, book, fitted, params, level_shift_by_year=shifts, fit_years=years,
                              misfit_bn=misfits, start_curve=start_curve, gdp=gdp_path)
