"""The monitor: indicators markets watch, computed from the store.

Who is selling (each major foreign holder's latest holdings, changes, peak, drawdown and streak of declines), how
broadly (the share of the top-20 holders that sold on net in the latest month — the change in holdings less its
valuation change where TIC's holdings are market values, from 2012 — and where that share stands in its own
history: the demonstration-effect gauge), foreign official versus total, China's official gold (ounces and their
value at the World Bank monthly gold price), 10- and 30-year yields, market gauges (the ACM 10-year term premium,
the 10-year real yield and breakeven, the broad dollar index, CPI inflation over 12 months), and the federal
interest burden, actual and CBO-projected. Alert thresholds come from a TOML file.

This module returns data only; :mod:`geostress.cli.monitor` prints it.

References
----------
U.S. Treasury, Treasury International Capital (TIC) system, "Major Foreign Holders of Treasury Securities".
Congressional Budget Office, baseline budget projections (every vintage) and actuals.
State Administration of Foreign Exchange (SAFE), "Official reserve assets"; World Gold Council / IMF IFS.
Board of Governors of the Federal Reserve System, H.15 (FRED DGS10, DGS30, DFII10), H.10 (DTWEXBGS); FRED T10YIE.
Adrian, T., Crump, R. K. and Moench, E. (2013), "Pricing the Term Structure with Linear Regressions", *Journal of
Financial Economics* 110(1), 110–138; Federal Reserve Bank of New York, ACM term premium (a model estimate).
World Bank, Commodity Price Data (Pink Sheet), gold, monthly average. BLS, CPI-U (FRED CPIAUCSL).
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from geostress.calibrate.market import (
    FOREIGN_DURATION_YEARS,
    TIC_SLT_BENCHMARKS,
    tic_change_is_market_value,
    tic_valuation_rate,
)
from geostress.data.sources.tic_mfh import PRIOR_PREFIX, TOTAL_SLUGS
from geostress.data.store import Store, VintageError
from geostress.errors import DataError, ScenarioError
from geostress.util.jsonable import jsonable
from geostress.util.tomlfile import parse_toml, read_toml

TIC_PREFIX = "tic.mfh."
#: TIC rows that are totals or sub-totals, not holders. The regional groups some years list as rows
#: (:data:`geostress.data.sources.tic_mfh.REGIONAL_SLUGS`) are holders and rank as TIC's table ranks them.
TIC_AGGREGATES = TOTAL_SLUGS
TOP_N = 20


class AlertThresholds(BaseModel):
    """Alert thresholds; each alert fires when the indicator is at or beyond its threshold."""

    model_config = ConfigDict(extra="forbid")

    holder_drawdown_pct: float = Field(-40.0, le=0, description="Drawdown from peak of a top-20 holder, percent")
    holder_decline_streak: int = Field(6, ge=1, description="Consecutive monthly declines of a top-20 holder")
    breadth_share: float = Field(0.7, ge=0, le=1, description="Share of the top-20 holders selling on "
                                 "net in a month (valuation taken out)")
    breadth_percentile: float = Field(90.0, ge=0, le=100, description="Historical percentile of that share")
    yield_1m_change_bp: float = Field(50.0, gt=0, description="One-month change in the 10y or 30y yield, bp")
    interest_pct_revenue: float = Field(18.0, gt=0, description="Net interest as percent of revenue")
    china_gold_streak_months: int = Field(12, ge=1, description="Consecutive months of official gold additions")


def load_alerts(path: Path | None) -> AlertThresholds:
    """Read alert thresholds from a TOML file (an ``[alerts]`` table); the packaged defaults when ``path`` is None.

    Raises
    ------
    ScenarioError
        The file cannot be read, is not TOML, or names an unknown field or a value out of range; the message
        names the file and the field.
    """
    if path is None:
        origin = "the packaged alerts.toml"
        doc = parse_toml(resources.files("geostress.analytics").joinpath("alerts.toml").read_text(encoding="utf-8"),
                         origin)
    else:
        origin = str(path)
        doc = read_toml(path, what="alert thresholds")
    others = [key for key in doc if key != "alerts"]
    if others:  # a misspelt table ([alert]) or thresholds outside it would otherwise be ignored without a word
        allowed = ", ".join(AlertThresholds.model_fields)
        raise ScenarioError(f"{origin}: unknown {'key' if len(others) == 1 else 'keys'} "
                            f"{', '.join(repr(k) for k in others)} at the top of the file; put the thresholds in "
                            f"an [alerts] table ({allowed})")
    if "alerts" not in doc:
        raise ScenarioError(f"{origin}: no [alerts] table; put the thresholds to change in one (see the packaged "
                            "alerts.toml)")
    table = doc["alerts"]
    if not isinstance(table, dict):
        raise ScenarioError(f"{origin}: 'alerts' must be a table ([alerts])")
    try:
        return AlertThresholds(**table)
    except ValidationError as exc:
        problems = "; ".join(
            f"field alerts.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        allowed = ", ".join(AlertThresholds.model_fields)
        raise ScenarioError(f"{origin}: {problems}. Allowed fields: {allowed}") from None


# -- indicators ------------------------------------------------------------------------------------------------
def holder_stats(series: pd.Series) -> dict[str, Any]:
    """Latest level, changes, peak, drawdown and decline streak of one monthly holdings series (period index)."""
    s = series.dropna().sort_index()
    index = s.index
    values = s.to_numpy(dtype=float)
    latest_period = index[-1]
    latest = float(values[-1])
    positions = {p: i for i, p in enumerate(index)}

    def ago(months: int) -> float | None:
        at = positions.get((latest_period - pd.offsets.MonthEnd(months)).normalize())
        return None if at is None else float(values[at])

    prev, year = ago(1), ago(12)
    streak = 0
    for d in np.diff(values)[::-1]:
        if not d < 0:
            break
        streak += 1
    top = int(np.argmax(values))  # the first month at the peak, as Series.idxmax
    peak_period = index[top]
    peak = float(values[top])
    return {
        "latest": latest,
        "latest_period": f"{latest_period:%Y-%m}",
        "mom": None if prev is None else round(latest - prev, 3),
        "mom_pct": None if not prev else round(100 * (latest / prev - 1), 3),
        "yoy": None if year is None else round(latest - year, 3),
        "yoy_pct": None if not year else round(100 * (latest / year - 1), 3),
        "peak": peak,
        "peak_period": f"{peak_period:%Y-%m}",
        "drawdown_pct": round(100 * (latest / peak - 1), 3) if peak else None,
        "decline_streak": streak,
    }


def breadth_history(holdings: pd.DataFrame, top_n: int = TOP_N, prior: pd.DataFrame | None = None,
                    valuation_rate: pd.Series | None = None) -> pd.DataFrame:
    """Share of the top-``top_n`` holders (ranked on the previous month) that cut holdings in each month.

    Parameters
    ----------
    holdings
        Months × holders (country rows only), values in USD bn.
    prior
        Months × holders, the same columns: TIC's older series at its break months (the benchmark-survey Junes
        of 2002–2011, ``tic.mfh_prior.*``), NaN elsewhere. At a break month a holder cuts when the older series'
        value is below last month's (June(old) < May), so the survey's revision of the level is no one's cut.
    valuation_rate
        By month (the holdings' index), the valuation change the month's change in holdings holds, as a share of
        last month's holdings (:func:`geostress.calibrate.market.tic_valuation_rate`; NaN counts as 0). A holder
        cuts when its holdings fall below last month's grown by it: a sale net of valuation, so a rise in yields
        that lowers every market value is no one's cut. None: the change as published.

    Returns
    -------
    pandas.DataFrame
        Indexed by month: ``cutters``, ``holders`` and ``share``.
    """
    ordered = holdings.sort_index()
    values = ordered.to_numpy(dtype=float)
    prev, cur = values[:-1], values[1:]
    both = ~np.isnan(prev) & ~np.isnan(cur)
    compared = cur
    if prior is not None and not prior.empty:
        older = prior.reindex(index=ordered.index, columns=ordered.columns).to_numpy(dtype=float)[1:]
        compared = np.where(np.isnan(older), cur, older)
    ranked = np.where(both, prev, -np.inf)
    order = np.argsort(-ranked, axis=1)[:, :top_n]
    rows = np.arange(len(prev))[:, None]
    in_top = both[rows, order]
    grown = np.ones((len(prev), 1))
    if valuation_rate is not None:
        grown = 1.0 + np.nan_to_num(valuation_rate.reindex(ordered.index).to_numpy(dtype=float)[1:, None])
    cut = (compared[rows, order] < prev[rows, order] * grown) & in_top
    n = in_top.sum(axis=1)
    frame = pd.DataFrame(
        {"cutters": cut.sum(axis=1), "holders": n}, index=holdings.sort_index().index[1:]
    )
    frame = frame[frame["holders"] > 0]
    frame["share"] = frame["cutters"] / frame["holders"]
    return frame


def percentile_rank(history: pd.Series, value: float) -> float:
    """Percent of observations in ``history`` at or below ``value`` (0–100)."""
    return float(100.0 * (history <= value + 1e-12).mean())


def _last_change(series: pd.Series, months: int = 1) -> tuple[float, float | None, pd.Timestamp]:
    s = series.dropna().sort_index()
    latest_date = s.index[-1]
    earlier = s[s.index <= latest_date - pd.DateOffset(months=months)]
    change = None if earlier.empty else round(100 * (float(s.iloc[-1]) - float(earlier.iloc[-1])), 1)
    return float(s.iloc[-1]), change, latest_date


def _increase_streak(series: pd.Series) -> tuple[int, bool, str | None]:
    s = series.dropna().sort_index()
    streak = 0
    for d in s.diff().to_numpy()[::-1]:
        if not d > 0:
            break
        streak += 1
    censored = streak == len(s) - 1  # every month in the data is an addition: the streak began earlier
    since = None if streak == 0 else f"{s.index[-streak]:%Y-%m}"
    return streak, censored, since


#: Series the monitor reads besides the TIC holders (each only when the store holds it).
OTHER_SERIES = ("gold.safe.china", "gold.wgc.china", "fred.dgs3mo", "fred.dgs2", "fred.dgs10", "fred.dgs30",
                "cbo.actual.net_interest", "cbo.actual.gdp", "cbo.actual.revenue", "fred.a091rc1q027sbea",
                "fred.gdp", "worldbank.gold")
#: Market gauges: key → (series id, unit, label). Daily percent series report a 1-month change in bp.
MARKET_SERIES: dict[str, tuple[str, str, str]] = {
    "term_premium_10y": ("acm.tp10", "percent", "10-year term premium (ACM model estimate, FRBNY)"),
    "real_yield_10y": ("fred.dfii10", "percent", "10-year TIPS real yield"),
    "breakeven_10y": ("fred.t10yie", "percent", "10-year breakeven inflation"),
    "dollar_broad": ("fred.dtwexbgs", "index Jan 2006=100", "nominal broad U.S. dollar index"),
    "cpi": ("fred.cpiaucsl", "index 1982-84=100", "CPI-U, all items (SA)"),
}
#: Troy ounces per million troy ounces over USD per USD bn: value (USD bn) = Moz × USD/oz / 1000.
MOZ_TIMES_USD_PER_OZ_TO_BN = 1e6 / 1e9
PROJECTION_SERIES = ("cbo.net_interest", "cbo.revenue")


class _Reads:
    """Every series the monitor reads, fetched from the store in one query and handed out per series.

    :meth:`get` returns exactly what ``store.get(series, as_of=as_of)`` returns (same rows, order and types); a
    series with no rows in the window is read on its own, so the store's own errors (e.g. an ``as_of`` before
    its first vintage) are raised as before. One query instead of one per series: each store query reads the
    Parquet files again, which is most of the monitor's time.
    """

    def __init__(self, store: Store, ids: list[str], as_of: date | None) -> None:
        self.store, self.as_of = store, as_of
        try:
            frame = store.get(ids, as_of=as_of) if ids else pd.DataFrame()
        except VintageError:  # nothing released by as_of: each read below raises the store's own error
            frame = pd.DataFrame()
        self.frame = frame
        self.rows: dict[str, tuple[int, int]] = {}  # series id → its run of rows in ``frame``
        if len(frame):
            sids = frame["series_id"].to_numpy(dtype=object)
            cuts = np.flatnonzero(sids[1:] != sids[:-1]) + 1  # the frame is sorted by series_id, period
            for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(sids)], strict=True):
                self.rows[str(sids[lo])] = (int(lo), int(hi))

    def get(self, series: str | list[str]) -> pd.DataFrame:
        ids = [series] if isinstance(series, str) else list(series)
        if any(sid not in self.rows for sid in ids):
            return self.store.get(series, as_of=self.as_of)
        # each run is sorted by period, so the runs in id order are sorted by (series_id, period) as get sorts;
        # runs that follow each other in the frame (all of TIC's, say) are one slice, not pieces put back together
        runs = [self.rows[sid] for sid in sorted(set(ids))]
        if all(a[1] == b[0] for a, b in zip(runs, runs[1:])):
            return self.frame.iloc[runs[0][0] : runs[-1][1]].reset_index(drop=True)
        return pd.concat([self.frame.iloc[lo:hi] for lo, hi in runs]).reset_index(drop=True)


def build_monitor(
    *, store: Store | None = None, as_of: date | None = None, alerts: AlertThresholds | None = None
) -> dict[str, Any]:
    """Compute every monitor indicator; a JSON-ready dict (see the module docstring)."""
    store = store or Store()
    thresholds = alerts or load_alerts(None)
    ids = store.series_ids()
    tic_ids = [s for s in ids if s.startswith(TIC_PREFIX)]
    prior_ids = [s for s in ids if s.startswith(PRIOR_PREFIX)]
    known = set(ids)
    market_ids = [sid for sid, _, _ in MARKET_SERIES.values()]
    reads = _Reads(store, tic_ids + prior_ids + [s for s in (*OTHER_SERIES, *market_ids) if s in known], as_of)
    tic = reads.get(tic_ids) if tic_ids else pd.DataFrame()
    if tic.empty:
        when = "" if as_of is None else f" released by {as_of:%Y-%m-%d}"
        raise DataError(f"no TIC holdings data{when}; import a TIC file or choose a later --as-of")
    labels = tic.groupby("series_id")["label"].last()
    wide = tic.pivot_table(index="period", columns="series_id", values="value")
    latest_period = wide[f"{TIC_PREFIX}grand_total"].dropna().index.max()
    countries = [c for c in wide.columns if c.removeprefix(TIC_PREFIX) not in TIC_AGGREGATES]
    current = [c for c in countries if pd.notna(wide.at[latest_period, c])]

    holders = []
    for sid in current:
        stats = holder_stats(wide[sid])
        holders.append({"name": labels[sid], "series_id": sid, **stats})
    holders.sort(key=lambda h: -h["latest"])
    for rank, h in enumerate(holders, start=1):
        h["rank"] = rank

    prior = reads.get(prior_ids) if prior_ids else pd.DataFrame()
    older = pd.DataFrame() if prior.empty else prior.pivot_table(index="period", columns="series_id", values="value")
    older = older.rename(columns=lambda sid: TIC_PREFIX + sid.removeprefix(PRIOR_PREFIX))
    valuation = _valuation_rate(reads, ids, wide.index)
    history = breadth_history(wide[countries], prior=older.reindex(columns=countries), valuation_rate=valuation)
    # TIC's SLT benchmarks of 2011: the change into them holds a revision of the level no one bought or sold
    history = history.drop(index=[m for m in TIC_SLT_BENCHMARKS if m in history.index])
    last = history.iloc[-1]
    month = history.index[-1]
    market_value = bool(tic_change_is_market_value(pd.DatetimeIndex([month]))[0])
    rate = None if valuation is None else valuation.get(month)
    # the latest month's count as TIC publishes the levels, beside the count net of the assumed valuation change
    published = breadth_history(wide.loc[:month, countries].iloc[-2:])["cutters"]
    breadth = {
        "period": f"{history.index[-1]:%Y-%m}",
        "share": round(float(last["share"]), 4),
        "cutters": int(last["cutters"]),
        "holders": int(last["holders"]),
        "percentile": round(percentile_rank(history["share"], float(last["share"])), 1),
        "history_mean": round(float(history["share"].mean()), 4),
        "history_months": len(history),
        # whether the latest month's cuts are net of valuation (a market-value month with its 10-year yield known)
        "net_of_valuation": not market_value or (rate is not None and bool(pd.notna(rate))),
        "cutters_as_published": int(published.iloc[-1]) if len(published) else None,
        "valuation_duration_years": FOREIGN_DURATION_YEARS if market_value else None,
        # the month's valuation change as a share of last month's holdings (−duration × the yield's change), percent
        "valuation_change_pct": round(100.0 * float(rate), 3) if market_value and rate is not None and pd.notna(rate)
        else None,
    }

    total = holder_stats(wide[f"{TIC_PREFIX}grand_total"])
    official = holder_stats(wide[f"{TIC_PREFIX}foreign_official"])
    official["share_of_total_pct"] = round(100 * official["latest"] / total["latest"], 2)

    report: dict[str, Any] = {
        "as_of": None if as_of is None else as_of.isoformat(),
        "tic_period": f"{latest_period:%Y-%m}",
        "holders": holders,
        "breadth_of_selling": breadth,
        "foreign_total": total,
        "foreign_official": official,
        "gold": _gold(reads, ids),
        "yields": _yields(reads, ids),
        "markets": _markets(reads, ids),
        "interest": _interest(store, reads, ids, as_of),
    }
    report["alerts"] = evaluate_alerts(report, thresholds)
    return jsonable(report)


def _valuation_rate(reads: _Reads, ids: list[str], months: pd.Index) -> pd.Series | None:
    """TIC's valuation change by month (share of last month's holdings,
    :func:`geostress.calibrate.market.tic_valuation_rate`) from the month-end 10-year yield (FRED DGS10, the last
    business day's), at ``months``; None when the store has no DGS10 released by the monitor's ``as_of``."""
    daily = _released(reads, "fred.dgs10") if "fred.dgs10" in ids else None
    if daily is None:
        return None
    # the last observation of each month, as the replay reads it (calibrate.market.month_end_series)
    return tic_valuation_rate(daily.resample("ME").last()).reindex(pd.DatetimeIndex(months))


def _released_frame(reads: _Reads, series: list[str]) -> pd.DataFrame | None:
    """The series wide (one column each, by period, rows where all are known), or ``None`` when any of them had
    nothing released by the monitor's ``as_of`` (the block that needs them is left out, as for an older store)."""
    try:
        frame = reads.get(series)
    except VintageError:
        return None
    if frame.empty or set(frame["series_id"]) != set(series):
        return None
    wide = frame.pivot_table(index="period", columns="series_id", values="value").dropna()
    return None if wide.empty else wide


def _released(reads: _Reads, sid: str) -> pd.Series | None:
    """One series as values by period, or ``None`` when nothing of it was released by the monitor's ``as_of``."""
    try:
        frame = reads.get(sid)
    except VintageError:
        return None
    return None if frame.empty else frame.set_index("period")["value"].astype(float).sort_index()


def _gold(reads: _Reads, ids: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    safe = _released(reads, "gold.safe.china") if "gold.safe.china" in ids else None
    if safe is not None:
        streak, censored, since = _increase_streak(safe)
        out.update(
            china_latest_moz=float(safe.iloc[-1]),
            china_latest_period=f"{safe.index[-1]:%Y-%m}",
            china_mom_moz=round(float(safe.iloc[-1] - safe.iloc[-2]), 3) if len(safe) > 1 else None,
            china_streak_months=streak,
            china_streak_since=since,
            china_streak_at_least=censored,
            source="SAFE official reserve assets (monthly)",
        )
    wgc = _released(reads, "gold.wgc.china") if "gold.wgc.china" in ids else None
    if wgc is not None:
        out.update(china_wgc_tonnes=float(wgc.iloc[-1]), china_wgc_period=f"{wgc.index[-1]:%Y-%m}")
    price = _released(reads, "worldbank.gold") if "worldbank.gold" in ids else None
    if price is not None:
        year_ago = price[price.index <= price.index[-1] - pd.DateOffset(months=12)]
        out.update(
            price_usd_oz=float(price.iloc[-1]),
            price_period=f"{price.index[-1]:%Y-%m}",
            price_yoy_pct=None if year_ago.empty else round(100 * (float(price.iloc[-1]) / float(year_ago.iloc[-1]) - 1), 2),
            price_source="World Bank Pink Sheet, gold, monthly average (USD/troy oz)",
        )
        if safe is not None:
            # value the latest SAFE holding at the price of the same month (or the latest month priced before it)
            priced = price[price.index.to_period("M") <= safe.index[-1].to_period("M")]
            if len(priced):
                out.update(
                    china_value_bn=round(float(safe.iloc[-1]) * float(priced.iloc[-1]) * MOZ_TIMES_USD_PER_OZ_TO_BN, 2),
                    china_value_price_period=f"{priced.index[-1]:%Y-%m}",
                )
    return out


def cpi_inflation_12m(cpi: pd.Series) -> tuple[float | None, str]:
    """Twelve-month CPI inflation in percent at the latest month that has the same month a year earlier.

    Months are matched by calendar month, so a month missing from the index (October 2025: the CPI was not
    published during the federal shutdown) gives no figure rather than a 13- or 11-month change.

    Parameters
    ----------
    cpi
        Monthly index levels, indexed by period.

    Returns
    -------
    rate, month
        ``100 · (P_t / P_{t−12} − 1)`` rounded to 2 decimals and ``"YYYY-MM"`` of ``t``; ``(None, "")`` when
        no month has its year-earlier twin.

    References
    ----------
    U.S. Bureau of Labor Statistics, CPI-U (FRED CPIAUCSL).
    """
    s = cpi.dropna().sort_index()
    by_month = dict(zip(s.index.to_period("M"), s.to_numpy(dtype=float), strict=True))
    for month in sorted(by_month, reverse=True):
        earlier = by_month.get(month - 12)
        if earlier:
            return round(100.0 * (by_month[month] / earlier - 1.0), 2), f"{month:%Y-%m}"
    return None, ""


def _markets(reads: _Reads, ids: list[str]) -> dict[str, Any]:
    """Market gauges of :data:`MARKET_SERIES` that the store holds (analytics only: numbers, no text layout)."""
    out: dict[str, Any] = {}
    held = set(ids)
    for key, (sid, unit, label) in MARKET_SERIES.items():
        if sid not in held:
            continue
        series = _released(reads, sid)
        if series is None:
            continue
        if key == "cpi":
            rate, month = cpi_inflation_12m(series)
            out["cpi_inflation_12m"] = {"latest_pct": rate, "period": month, "series_id": sid, "label": label}
            continue
        level, change, when = _last_change(series)
        entry: dict[str, Any] = {"latest": round(level, 4), "date": f"{when:%Y-%m-%d}", "unit": unit,
                                 "series_id": sid, "label": label}
        if unit == "percent":
            entry["change_1m_bp"] = change
        else:  # an index: percent changes over a month and a year
            s = series.dropna().sort_index()
            for name, months in (("change_1m_pct", 1), ("change_12m_pct", 12)):
                earlier = s[s.index <= when - pd.DateOffset(months=months)]
                entry[name] = None if earlier.empty else round(100 * (level / float(earlier.iloc[-1]) - 1), 2)
        out[key] = entry
    return out


def _yields(reads: _Reads, ids: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tenor in ("3mo", "2", "10", "30"):
        sid = f"fred.dgs{tenor}"
        series = _released(reads, sid) if sid in ids else None
        if series is None:
            continue
        level, change, when = _last_change(series)
        key = f"{tenor}m" if tenor == "3mo" else f"{tenor}y"
        key = "3m" if tenor == "3mo" else key
        out[key] = {"latest": level, "date": f"{when:%Y-%m-%d}", "change_1m_bp": change}
    return out


def _interest(store: Store, reads: _Reads, ids: list[str], as_of: date | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    need = {"cbo.actual.net_interest", "cbo.actual.gdp", "cbo.actual.revenue"}
    wide = _released_frame(reads, sorted(need)) if need <= set(ids) else None
    if wide is not None:
        row = wide.iloc[-1]
        out["actual"] = {
            "fiscal_year": int(wide.index[-1].year),
            "net_interest_bn": float(row["cbo.actual.net_interest"]),
            "pct_gdp": round(100 * row["cbo.actual.net_interest"] / row["cbo.actual.gdp"], 2),
            "pct_revenue": round(100 * row["cbo.actual.net_interest"] / row["cbo.actual.revenue"], 2),
            "source": "CBO actuals",
        }
    nipa = ["fred.a091rc1q027sbea", "fred.gdp"]
    qw = _released_frame(reads, nipa) if set(nipa) <= set(ids) else None
    if qw is not None:
        out["quarterly_nipa"] = {
            "period": f"{qw.index[-1]:%Y-%m}",
            "interest_payments_pct_gdp": round(100 * qw["fred.a091rc1q027sbea"].iloc[-1] / qw["fred.gdp"].iloc[-1], 2),
            "source": "BEA NIPA via FRED (federal interest payments, SAAR / GDP)",
        }
    if set(PROJECTION_SERIES) <= set(ids):
        # every release of both in one query; the latest release of net interest (by as_of) is the baseline
        releases = store.get(list(PROJECTION_SERIES), all_vintages=True)
        held = releases.loc[releases["series_id"] == "cbo.net_interest", "vintage"]
        vintages = sorted(v for v in {pd.Timestamp(x).date() for x in held.unique()} if as_of is None or v <= as_of)
        if vintages:
            latest = vintages[-1]
            frame = releases[releases["vintage"] == pd.Timestamp(latest)]
            pw = frame.pivot_table(index="period", columns="series_id", values="value").dropna()
            gdp, gdp_source = _projected_gdp(store, reads, ids, latest, [int(p.year) for p in pw.index])
            out["projected"] = {
                "baseline": latest.isoformat(),
                "by_year": [
                    {
                        "fiscal_year": int(p.year),
                        "net_interest_bn": float(r["cbo.net_interest"]),
                        "pct_revenue": round(100 * r["cbo.net_interest"] / r["cbo.revenue"], 2),
                        "pct_gdp": None if gdp is None else round(100 * r["cbo.net_interest"] / gdp[int(p.year)], 2),
                    }
                    for p, r in pw.iterrows()
                ],
                "gdp_source": gdp_source,
                "note": (
                    "GDP is not in CBO's baseline budget file: percent of GDP uses actual fiscal-year GDP where "
                    f"known, else {gdp_source}."
                ),
            }
    return out


def _projected_gdp(
    store: Store, reads: _Reads, ids: list[str], baseline: date, years: list[int]
) -> tuple[dict[int, float] | None, str]:
    """Fiscal-year GDP for the projected years of ``baseline``: actual where known, else CBO's own path.

    The path is :func:`geostress.calibrate.fiscal.nominal_gdp_path` (CBO's economic projections of the vintage
    that matches or precedes the baseline, then CBO's last-year growth; the constant-growth fallback before
    January 2025), the same GDP the fiscal engine runs on.
    """
    from geostress.calibrate.fiscal import nominal_gdp_path

    known = _released(reads, "cbo.actual.gdp") if "cbo.actual.gdp" in ids else None
    if known is None:
        return None, ""
    actual = {int(period.year): float(value) for period, value in known.items()}
    try:
        path = nominal_gdp_path(store, baseline)
    except DataError:
        return None, ""
    return {y: actual.get(y, path.fiscal_year(y)) for y in years}, path.source


def evaluate_alerts(report: dict[str, Any], t: AlertThresholds) -> list[dict[str, Any]]:
    """Alerts that fire for ``report`` under thresholds ``t``."""
    fired: list[dict[str, Any]] = []

    def fire(alert_id: str, message: str, value: float, threshold: float) -> None:
        fired.append({"id": alert_id, "message": message, "value": value, "threshold": threshold})

    for h in report["holders"][:TOP_N]:
        if h["drawdown_pct"] is not None and h["drawdown_pct"] <= t.holder_drawdown_pct:
            fire("holder_drawdown", f"{h['name']} is {-h['drawdown_pct']:.1f}% below its {h['peak_period']} peak",
                 h["drawdown_pct"], t.holder_drawdown_pct)
        if h["decline_streak"] >= t.holder_decline_streak:
            fire("holder_decline_streak", f"{h['name']} has cut for {h['decline_streak']} months in a row",
                 h["decline_streak"], t.holder_decline_streak)
    b = report["breadth_of_selling"]
    if b["share"] >= t.breadth_share:
        verb = "sold on net" if b.get("net_of_valuation", True) else "cut (as published)"
        fire("breadth_share", f"{b['cutters']} of the top {b['holders']} holders {verb} in {b['period']}",
             b["share"], t.breadth_share)
    if b["percentile"] >= t.breadth_percentile:
        fire("breadth_percentile", f"selling breadth at its {b['percentile']:.0f}th historical percentile",
             b["percentile"], t.breadth_percentile)
    for key, y in report["yields"].items():
        change = y.get("change_1m_bp")
        if key in ("10y", "30y") and change is not None and abs(change) >= t.yield_1m_change_bp:
            fire(f"yield_{key}_move", f"{key} yield moved {change:+.0f} bp in a month", change, t.yield_1m_change_bp)
    actual = report["interest"].get("actual")
    if actual and actual["pct_revenue"] >= t.interest_pct_revenue:
        fire("interest_revenue", f"net interest took {actual['pct_revenue']:.1f}% of revenue in FY{actual['fiscal_year']}",
             actual["pct_revenue"], t.interest_pct_revenue)
    g = report["gold"]
    if g.get("china_streak_months", 0) >= t.china_gold_streak_months:
        fire("china_gold_streak", f"China has added gold for {g['china_streak_months']} months in a row",
             g["china_streak_months"], t.china_gold_streak_months)
    return fired
