"""``geostress market replay``: history's monthly flows (TIC foreign holdings, the Fed's Treasury holdings, debt
held by the public) through the price-impact block, against the ACM 10-year term premium, scored as
MARKET_EVIDENCE.md §3 asks (the slope of observed on modelled 3-month changes, the ratio of 12-month SDs) and by
episode.

References
----------
Adrian, T., Crump, R. K. and Moench, E. (2013), "Pricing the Term Structure with Linear Regressions", *Journal of
Financial Economics* 110(1), 110–138 (the ACM term premium, FRBNY).
MARKET_EVIDENCE.md (../shared/reference) §2–3: the episodes and the scores.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geostress.errors import DataError, ScenarioError
from geostress.model import market as mk
from geostress.run.market import holder_key, outside_range, parse_month, series_coverage, whole_number
from geostress.util.jsonable import jsonable

if TYPE_CHECKING:
    from geostress.data.store import Store

#: Longest duration, years, ``market replay --duration-years`` takes (a 30-year bond's modified duration is ≈20).
MAX_REPLAY_DURATION_YEARS = 20.0
#: Longest lead, months, ``market replay --fed-lead`` takes (announcements came up to about 18 months before the
#: purchases settled; the Fed's holdings in the store must also reach that far past ``--to``).
MAX_FED_LEAD_MONTHS = 60
#: Flow kinds a replay can feed, and the columns of :func:`geostress.calibrate.market.replay_flows` they read.
REPLAY_FLOWS: dict[str, tuple[str, str]] = {
    "fed": ("fed_purchases", "fed_purchases"),
    "foreign_official": ("foreign_official", "official"),
    "foreign_private": ("foreign_private", "foreign_private"),
    "supply": ("supply_smoothed", "supply"),
}
#: MARKET_EVIDENCE.md §3's scores for a replay [judgement]: the slope of observed on modelled 3-month changes
#: within this band, the ratio of 12-month SDs (modelled / observed) at most the bound.
REPLAY_SLOPE_BAND = (0.5, 1.5)
REPLAY_SD_RATIO_MAX = 1.0
#: Fewest months of a window whose scores are judged against those bands: three years give 33 overlapping 3-month
#: and 25 overlapping 12-month changes (a shorter window's scores are printed, not judged).
REPLAY_JUDGED_MONTHS = 36
#: Episodes the replay reports when its window covers their months: (month before, last month) (MARKET_EVIDENCE.md
#: §2). A window that starts at an episode's first month covers it: the change is then measured from the end of the
#: month before the window, where the replay starts (from zero flow pressure and stock, so an episode's modelled
#: figure depends on where the window starts).
EPISODES: dict[str, tuple[str, str]] = {
    "QE1 Treasury purchases (Mar–Oct 2009)": ("2009-02", "2009-10"),
    "QE2 (Nov 2010–Jun 2011)": ("2010-10", "2011-06"),
    "maturity extension (Sep 2011–Dec 2012)": ("2011-08", "2012-12"),
    "taper tantrum (May–Sep 2013)": ("2013-04", "2013-09"),
    "QE3 Treasury purchases (Jan 2013–Oct 2014)": ("2012-12", "2014-10"),
    "officials sell (Jul–Sep 2015)": ("2015-06", "2015-09"),
    "dash for cash (Mar–Apr 2020)": ("2020-02", "2020-04"),
    "pandemic purchases (Apr 2020–Mar 2022)": ("2020-03", "2022-03"),
    "QT and deficits (Jun 2022–Dec 2024)": ("2022-05", "2024-12"),
}
#: A replay withholds its scores (modelled change, slope, its s.e., correlation, SD ratio) when a chosen flow is
#: missing (set to zero) in more than this share of the window's months [judgement]: the model then runs without
#: that flow for much of the window. The whole-window replay of ``geostress validate`` (2000–2025) misses the
#: Fed's flow in 36 of 312 months (11.5%, before TREAST starts in December 2002, when the Fed's holdings changed
#: little) and keeps its scores.
MAX_MISSING_SHARE = 0.2
#: A modelled one-month move above this, bp, is named in the replay's note (:func:`large_moves_note`): the ACM
#: 10-year term premium moved more than 50 bp in 14 of the 312 months of 2000–2025 (month ends; its one-month
#: moves have an SD of 24.8 bp, the largest +140.6 bp in October 2008 and −104.5 bp in November 2008), so a
#: modelled month beyond it is a move history shows in about one month in twenty, mostly in 2008–2013. At the
#: prior median of φ (≈101 bp per pp of GDP absorbed in a month) it is a month's flow of about half a pp of GDP.
#: 100 bp would name only moves beyond all but two months on record and leave out most of the replay's large
#: months (July 2019's −72 bp from $183bn of foreign private purchases among them).
LARGE_MOVE_BP = 50.0
#: The ACM premium's months with a one-month move above :data:`LARGE_MOVE_BP` over 2000–2025, and all its months
#: there (the note's words; tests hold them against the store).
ACM_LARGE_MONTHS = (14, 312)
#: Most months the note names one by one (the largest moves; the rest are counted).
LARGE_MONTHS_SHOWN = 5
#: A flow's words in the note, by sign: (positive, negative), as :attr:`ReplayResult.monthly` signs them.
FLOW_WORDS: dict[str, tuple[str, str]] = {
    "foreign_official": ("foreign official sales", "foreign official purchases"),
    "foreign_private": ("foreign private sales", "foreign private purchases"),
    "fed": ("Fed purchases", "Fed sales"),
    "supply": ("net new supply", "net paydown"),
}
#: TIC level jumps the docs name that stay in the foreign flows as published (docs/market.md, the replay).
TIC_LEVEL_JUMPS: dict[str, str] = {
    "2021-06": "TIC's holdings jump $374bn in June 2021 (7,144.7 → 7,518.9 bn) with no break series beside them, "
               "so the jump stays in that month's foreign flows as published",
}


def replay_months(store: Store) -> tuple[pd.Period, pd.Period]:
    """The months a replay's ``--from`` and ``--to`` may name: the ACM term premium's, less its first (the replay
    measures changes from the end of the month before the window)."""
    first, last = series_coverage(store, ["acm.tp10"])["acm.tp10"]
    return pd.Timestamp(first).to_period("M") + 1, pd.Timestamp(last).to_period("M")


@dataclass(frozen=True)
class ReplayResult:
    """History's flows through the block against the ACM term premium.

    :meth:`to_json` names the scores as the command's JSON does (``slope_3m`` → ``slope_observed_on_modelled_3m``,
    ``sd_ratio_12m`` → ``sd_ratio_modelled_to_observed_12m``, ``months_missing`` → ``months_with_missing_flows``,
    ``withheld`` → ``scores_withheld``, ``missing_by_flow`` → ``missing_months_by_flow``, ``start``/``end`` →
    ``from``/``to``).

    Attributes
    ----------
    start, end, flows
        The window (``YYYY-MM``) and the flows fed (:data:`REPLAY_FLOWS` keys).
    monthly
        By month end: the flows fed (USD bn over the month, each positive as named: foreign net sales, the Fed's
        purchases, net new supply), ``acm_tp10_bp`` (the ACM 10-year term premium's level, bp), and ``modelled_bp`` and
        ``observed_bp``, the changes since the end of the month before the window, bp.
    modelled_change_bp, observed_change_bp
        The window's change, modelled and observed, bp.
    slope_3m, slope_3m_se, corr_3m
        The slope of observed on modelled 3-month changes, its Newey–West standard error, and their correlation.
    sd_ratio_12m
        The standard deviation of modelled 12-month changes over that of observed ones.
    months_missing, missing_by_flow, withheld
        Months with a chosen flow missing (set to zero), by flow, and why the scores are NaN (None: scored).
    episodes, episodes_left_out
        (episode, modelled change, observed change, bp) for each episode the window covers; (episode, why) for one
        it only partly covers.
    duration_years
        The duration with which valuation came out of TIC's market-value months (0: none).
    large_moves_note
        The months whose modelled one-month move is above :data:`LARGE_MOVE_BP`, and why (None: none).
    """

    start: str
    end: str
    flows: tuple[str, ...]
    monthly: pd.DataFrame  # month, flows, acm_tp10_bp (level); modelled_bp, observed_bp: changes since the month before
    modelled_change_bp: float
    observed_change_bp: float
    slope_3m: float
    slope_3m_se: float
    corr_3m: float
    sd_ratio_12m: float
    months_missing: int
    episodes: tuple[tuple[str, float, float], ...] = ()  # (episode, modelled, observed change, bp)
    missing_by_flow: dict[str, int] | None = None  # chosen flow → months outside its series (set to zero)
    withheld: str | None = None  # why the scores are NaN (withheld_reason; None: scored)
    #: episodes the window overlaps without covering all their months, and why each is left out
    episodes_left_out: tuple[tuple[str, str], ...] = ()
    #: the duration, years, with which valuation came out of TIC's market-value months (0: none; :func:`replay`
    #: always sets it, NaN otherwise)
    duration_years: float = float("nan")
    #: the months whose modelled one-month move is above :data:`LARGE_MOVE_BP` and why they read so
    #: (:func:`large_moves_note`); None when there are none
    large_moves_note: str | None = None

    @property
    def verdicts(self) -> dict[str, bool | None]:
        """The scores against MARKET_EVIDENCE §3's bands (:data:`REPLAY_SLOPE_BAND`, :data:`REPLAY_SD_RATIO_MAX`):
        ``slope_in_band`` and ``sd_ratio_within``, None where the score is n/a or the window is shorter than
        :data:`REPLAY_JUDGED_MONTHS` (a few overlapping changes are no test of the bands); and
        ``slope_told_from_zero``, whether the slope lies two standard errors or more from zero (a slope inside the
        band that is not is no evidence for it: 1980–1999's supply alone gives 1.11 with s.e. 1.64)."""
        judged = len(self.monthly) >= REPLAY_JUDGED_MONTHS and not self.withheld
        slope, sd = self.slope_3m, self.sd_ratio_12m
        low, high = REPLAY_SLOPE_BAND
        se = self.slope_3m_se
        scored = judged and math.isfinite(slope) and math.isfinite(se)
        return {"slope_in_band": bool(low <= slope <= high) if judged and math.isfinite(slope) else None,
                "slope_told_from_zero": bool(abs(slope) >= 2.0 * se) if scored else None,
                "sd_ratio_within": bool(sd <= REPLAY_SD_RATIO_MAX) if judged and math.isfinite(sd) else None}

    def to_json(self) -> dict[str, Any]:
        # ``missing``: the chosen flows outside their series that month, fed as zero (a 0.0 beside them is no flow)
        gaps = {k: f"missing_{REPLAY_FLOWS[k][0]}" for k in self.flows}
        rows = [{"month": f"{m:%Y-%m}", "modelled_bp": float(r.modelled_bp), "observed_bp": float(r.observed_bp),
                 **{k: float(getattr(r, REPLAY_FLOWS[k][0])) for k in self.flows},
                 "missing": [k for k, column in gaps.items() if bool(getattr(r, column, False))]}
                for m, r in zip(self.monthly.index, self.monthly.itertuples(), strict=True)]
        return jsonable({"from": self.start, "to": self.end, "flows": list(self.flows),
                "duration_years": self.duration_years,
                "modelled_change_bp": self.modelled_change_bp, "observed_change_bp": self.observed_change_bp,
                "slope_observed_on_modelled_3m": self.slope_3m, "slope_3m_se": self.slope_3m_se,
                "corr_3m": self.corr_3m, "sd_ratio_modelled_to_observed_12m": self.sd_ratio_12m, **self.verdicts,
                "months_with_missing_flows": self.months_missing,
                "missing_months_by_flow": dict(self.missing_by_flow or {}),
                "scores_withheld": self.withheld, "large_moves_note": self.large_moves_note,
                "episodes": [{"episode": e, "modelled_change_bp": m, "observed_change_bp": o}
                             for e, m, o in self.episodes],
                "episodes_left_out": [{"episode": e, "why": why} for e, why in self.episodes_left_out],
                "monthly": rows})  # (NaN scores as None: strict JSON, as the command prints them)


def duration_problem(duration_years: Any) -> str | None:
    """What is wrong with a replay's ``--duration-years`` (not a number, NaN, below 0 or above
    :data:`MAX_REPLAY_DURATION_YEARS`), in words naming the option; None when nothing is."""
    given = outside_range(duration_years, 0.0, MAX_REPLAY_DURATION_YEARS)
    if given is None:
        return None
    from geostress.calibrate.market import FOREIGN_DURATION_YEARS

    return (f"--duration-years {given} must be a number of years from 0 (no valuation taken out) to "
            f"{MAX_REPLAY_DURATION_YEARS:g}; the default, {FOREIGN_DURATION_YEARS:g}, is calibrated on TIC's "
            "March–May 2020 official sales")


def withheld_reason(missing_by_flow: dict[str, int], months: int) -> str | None:
    """Why a replay of ``months`` months withholds its scores: every chosen flow missing in more than
    :data:`MAX_MISSING_SHARE` of them, the most missing first (``flow fed missing in 246 of 246 months,
    foreign_official in 243 and foreign_private in 243``); None when none is."""
    over = sorted(((flow, n) for flow, n in missing_by_flow.items() if n > MAX_MISSING_SHARE * months),
                  key=lambda item: -item[1])  # (stable: ties keep the flows' order)
    if not over:
        return None
    (first, n), rest = over[0], [f"{flow} in {m}" for flow, m in over[1:]]
    text = f"flow {first} missing in {n} of {months} month{'' if months == 1 else 's'}"
    if rest:
        text += ", " + (", ".join(rest[:-1]) + " and " if len(rest) > 1 else "") + rest[-1]
    return text


def large_moves_note(monthly: pd.DataFrame, flows: Sequence[str], params: mk.MarketParams,
                     duration_years: float) -> str | None:
    """The months of a replay whose modelled one-month move is above :data:`LARGE_MOVE_BP`, and why such a month
    reads so; None when there are none.

    Each month named (the :data:`LARGE_MONTHS_SHOWN` largest, in order; the rest counted) gives its modelled and
    observed move and the chosen flows that move the premium most that month (weighted as the block weighs the
    Fed's and supply's flow effect; a second only when it moves it a third as much as the first), in USD bn and
    pp of that month's GDP; a month of foreign sales whose Fed purchases would move the premium that much, with
    ``fed`` not among ``flows``, says so (the replay sets them against holder sales first). Then why: no
    stabiliser in the replay, each month's flows priced as a surprise at φ per pp of GDP, fading with the flow
    half-life (``params``: the block's, first path); from 2012, with a foreign flow chosen, the valuation taken
    out with ``duration_years``; a TIC level jump the docs name (:data:`TIC_LEVEL_JUMPS`). ``monthly`` is
    :attr:`ReplayResult.monthly`.
    """
    step = np.diff(np.concatenate([[0.0], monthly["modelled_bp"].to_numpy()]))
    large = np.flatnonzero(np.abs(step) > LARGE_MOVE_BP)
    if not large.size:
        return None
    phi = float(np.ravel(params.flow_bp_per_pp)[0])
    half_life = float(np.ravel(params.flow_half_life_months)[0])
    weights = {"fed": float(np.ravel(params.fed_flow_weight)[0]),
               "supply": float(np.ravel(params.supply_flow_weight)[0])}
    shown = sorted(sorted(large, key=lambda i: -abs(step[i]))[:LARGE_MONTHS_SHOWN])
    observed = monthly["acm_tp10_change_bp"].to_numpy()
    months = [f"{m:%Y-%m}" for m in monthly.index]
    named = []
    for i in shown:
        row, gdp = monthly.iloc[i], float(monthly["gdp_bn"].iloc[i])
        # the flows that move the premium most that month: the Fed's and supply's flow effect is weighted
        sized = sorted(((f, float(row[REPLAY_FLOWS[f][0]])) for f in flows),
                       key=lambda item: -abs(item[1]) * weights.get(item[0], 1.0))
        top = abs(sized[0][1]) * weights.get(sized[0][0], 1.0)
        what = [f"{FLOW_WORDS[f][value < 0]} ${abs(value):,.0f}bn, {100.0 * abs(value) / gdp:.2f} pp of GDP"
                for f, value in sized[:2] if value and 3.0 * abs(value) * weights.get(f, 1.0) >= top]
        fed = float(row["fed_purchases"])
        sales = sum(value for f, value in sized if f.startswith("foreign") and value > 0)
        if "fed" not in flows and sales > 0 and 100.0 * fed / gdp * phi > LARGE_MOVE_BP:
            what.append(f"the Fed's purchases that month, ${fed:,.0f}bn, which the replay sets against holder "
                        "sales first, are not among the flows")
        flows_text = "; ".join(what) or "no chosen flow that month"
        named.append(f"{months[i]} {step[i]:+.1f} bp (observed {observed[i]:+.1f}; {flows_text})")
    more = len(large) - len(shown)
    rest = f" and {more} more month{'' if more == 1 else 's'} (the monthly rows)" if more else ""
    head, total = ACM_LARGE_MONTHS
    text = (f"modelled one-month moves above {LARGE_MOVE_BP:g} bp, a move the ACM premium made in {head} of the "
            f"{total} months of 2000–2025: {', '.join(named)}{rest}. "
            "The replay runs with no stabiliser (no backstop, no FIMA repo; docs/market.md) and prices each month's "
            f"flows as a surprise, {phi:.0f} bp per pp of GDP absorbed, fading with a {half_life:g}-month "
            "half-life, so a large move partly reverses in the months after it")
    foreign = any(f.startswith("foreign") for f in flows)
    if foreign and duration_years and any(monthly.index[i] >= pd.Timestamp("2012-01-01") for i in shown):
        text += (f"; from 2012 TIC's foreign flows are its change less valuation at {duration_years:g} years of "
                 "duration, an assumption")
    for month in dict.fromkeys(months[i] for i in shown):
        if foreign and month in TIC_LEVEL_JUMPS:
            text += f"; {TIC_LEVEL_JUMPS[month]}"
    return text


def _slope(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """OLS slope of y on x (with a constant), its standard error (Newey–West, 3 lags: overlapping changes) and
    the correlation."""
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) < 8 or np.std(x) == 0:
        return float("nan"), float("nan"), float("nan")
    xc, yc = x - x.mean(), y - y.mean()
    b = float(xc @ yc / (xc @ xc))
    e = yc - b * xc
    u = xc * e
    s = u @ u
    for lag in range(1, 4):
        s += 2 * (1 - lag / 4) * (u[lag:] @ u[:-lag])
    se = float(np.sqrt(max(s, 0.0)) / (xc @ xc))
    return b, se, float(np.corrcoef(x, y)[0, 1])


def replay(
    store: Store, start: str | date, end: str | date, *, flows: Sequence[str] | str = tuple(REPLAY_FLOWS),
    params: mk.MarketParams | None = None, duration_years: float | None = None, fed_lead_months: int = 0,
) -> ReplayResult:  # fmt: skip
    """Feed the store's monthly flows from ``start`` to ``end`` through the block (prior medians, no
    stabilisers: the Fed's actual purchases are in TREAST and official sales in TIC are already net of FIMA repo)
    and compare with the ACM 10-year term premium. ``fed_lead_months`` books the Fed's purchases that many months
    early (priced at announcement rather than settlement; :func:`geostress.calibrate.market.replay_flows`).

    ``start`` and ``end`` are months (``YYYY-MM``; a ``YYYY-MM-DD`` names its month; a :class:`ScenarioError`
    otherwise) inside the ACM term premium's months (:func:`replay_months`; a :class:`DataError` otherwise). When
    a chosen flow is missing in more than :data:`MAX_MISSING_SHARE` (20%) of the window's months, the scores
    (modelled change, slope, its s.e., correlation, SD ratio) are NaN and ``withheld`` names every such flow and
    the months it misses (:func:`withheld_reason`); the monthly rows are kept. ``fed_lead_months`` needs ``fed``
    among the flows (a :class:`ScenarioError` otherwise: it would change nothing).

    Months whose modelled one-month move is above :data:`LARGE_MOVE_BP` are named, with why they read so, in
    ``large_moves_note`` (:func:`large_moves_note`; no modelled number changes).

    Episodes (:data:`EPISODES`) are reported when the window covers all their months, a window that starts at an
    episode's first month included (its change is then measured from the end of the month before the window,
    where both paths start at zero); an episode the window only partly covers is in ``episodes_left_out`` with
    the reason. The model starts from zero flow pressure and stock at the end of the month before the window, so
    an episode's modelled change depends on where the window starts (the flow effects of the months before it,
    and the stock's roll-down, are not in a window that starts at the episode).

    Parameters
    ----------
    store
        The observation store: TIC holdings, FRED TREAST, debt held by the public, GDP, DGS10 and the ACM premium.
    start, end
        The window's first and last months.
    flows
        Which of :data:`REPLAY_FLOWS` to feed (``fed``, ``foreign_official``, ``foreign_private``, ``supply``), as
        names or one comma-separated string (``"fed,supply"``); case, spaces and hyphens do not matter, blank
        names are skipped, and none at all (``""``) is a :class:`ScenarioError` saying ``--flows`` is empty.
    params
        The block's parameters (default: the prior medians with no stabiliser).
    duration_years
        Duration used to take valuation out of TIC's holdings where they are market values, from 2012 (default
        :data:`geostress.calibrate.market.FOREIGN_DURATION_YEARS`; 0: none; at most
        :data:`MAX_REPLAY_DURATION_YEARS`; ``--duration-years``).
    fed_lead_months
        Months by which the Fed's purchases are booked early (a whole number, 0 to :data:`MAX_FED_LEAD_MONTHS`;
        the Fed's holdings must reach that far past ``end``).

    Returns
    -------
    ReplayResult
        Modelled and observed changes, the scores against MARKET_EVIDENCE §3's bands, episodes and monthly rows.

    Raises
    ------
    ScenarioError, DataError
        As above; each names the option and what to give, and carries the parameter (``start``, ``end``,
        ``flows``, ``fed_lead_months``).

    References
    ----------
    Adrian, Crump & Moench (2013), "Pricing the term structure with linear regressions", JFE 110(1) (the ACM term
    premium); ../shared/reference/MARKET_EVIDENCE.md §3 (the scores).
    """
    from geostress.calibrate.market import FOREIGN_DURATION_YEARS, replay_flows

    start_month = parse_month(start, "--from", "2000-01", "start")
    end_month = parse_month(end, "--to", "2000-01", "end")
    low, high = replay_months(store)
    for option, name, value, month in (("--from", "start", start, start_month), ("--to", "end", end, end_month)):
        if not low <= month <= high:
            raise DataError(f"{option} {value} is outside the months a replay can use ({low:%Y-%m} to {high:%Y-%m}: "
                            "the ACM term premium's months in the store, less the first, as changes are measured "
                            f"from the month before the window): choose {option} in that range", parameter=name)
    if start_month > end_month:
        raise ScenarioError(f"--from {start_month:%Y-%m} is after --to {end_month:%Y-%m} (months compared): choose "
                            "--from on or before --to", parameter="start")
    start, end = f"{start_month:%Y-%m}", f"{end_month:%Y-%m}"
    typed = flows if isinstance(flows, str) else ",".join(map(str, flows))
    # "fed,supply" as --flows writes it; blanks ("fed,,supply", a trailing comma) name nothing
    given = [f for f in (flows.split(",") if isinstance(flows, str) else list(flows)) if str(f).strip()]
    if not given:
        raise ScenarioError(f"--flows {typed!r} is empty: name one or more of {','.join(REPLAY_FLOWS)}, "
                            "comma-separated (e.g. --flows fed,supply), or leave --flows out for all four",
                            parameter="flows")
    flows = [holder_key(f) for f in given]  # as --holder: case, spaces and hyphens do not matter
    unknown = [typed for typed, f in zip(given, flows, strict=True) if f not in REPLAY_FLOWS]
    if unknown:
        which = ", ".join(repr(u) for u in unknown)
        raise ScenarioError(f"--flows {','.join(given)} ({which} unknown): choose from {','.join(REPLAY_FLOWS)}",
                            parameter="flows")
    flows = tuple(dict.fromkeys(flows))  # each flow once (``fed,fed`` is ``fed``)
    if not (whole_number(fed_lead_months) and 0 <= fed_lead_months <= MAX_FED_LEAD_MONTHS):
        shown = int(fed_lead_months) if whole_number(fed_lead_months) else repr(fed_lead_months)
        raise ScenarioError(f"--fed-lead {shown} must be a whole number of months from 0 to {MAX_FED_LEAD_MONTHS}",
                            parameter="fed_lead_months")
    fed_lead_months = int(fed_lead_months)  # (numpy's unsigned 3 would turn into 253 when negated below)
    if fed_lead_months and "fed" not in flows:
        raise ScenarioError(f"--fed-lead {fed_lead_months} books the Fed's purchases early, but --flows "
                            f"{','.join(flows)} has no fed flow: add fed to --flows, or leave --fed-lead out",
                            parameter="fed_lead_months")
    duration_years = FOREIGN_DURATION_YEARS if duration_years is None else duration_years
    problem = duration_problem(duration_years)
    if problem:
        raise ScenarioError(problem, parameter="duration_years")
    duration_years = float(duration_years) + 0.0  # −0 is 0
    frame = replay_flows(store, start, end, fed_lead_months=fed_lead_months, duration_years=duration_years)
    params = params or mk.MarketPriors().medians(mk.Stabilisers.none())
    series = {REPLAY_FLOWS[f][1]: frame[REPLAY_FLOWS[f][0]].to_numpy() for f in flows}
    response = mk.respond(params, series, frame["gdp_bn"].to_numpy(), len(frame), n_paths=1)
    # months in which a chosen flow is outside its series (set to zero; flows not chosen do not count)
    gaps = frame[[f"missing_{REPLAY_FLOWS[f][0]}" for f in flows]]
    missing = int(gaps.any(axis=1).sum())
    by_flow = {f: int(n) for f, n in zip(flows, gaps.sum(axis=0), strict=True) if n}
    out = frame.copy()
    out["modelled_bp"] = response.tp_10y_bp[0]
    # both from the end of the month before the window: the model starts at zero there, before the first flows
    out["observed_bp"] = frame["acm_tp10_change_bp"].cumsum()
    m = np.concatenate([[0.0], out["modelled_bp"].to_numpy()])
    o = np.concatenate([[0.0], out["observed_bp"].to_numpy()])
    d3m, d3o = m[3:] - m[:-3], o[3:] - o[:-3]
    slope, se, corr = _slope(d3m, d3o)
    d12m, d12o = m[12:] - m[:-12], o[12:] - o[:-12]
    sd = float(np.std(d12m) / np.std(d12o)) if len(d12o) > 2 and np.std(d12o) > 0 else float("nan")
    modelled = float(m[-1])
    withheld = withheld_reason(by_flow, len(frame))
    if withheld:
        modelled = slope = se = corr = sd = float("nan")
    episodes, left_out = [], []
    # path values at the end of each month, the month before the window included (both paths start at zero there)
    ends = pd.period_range(start_month - 1, end_month, freq="M")
    for name, (before, last) in EPISODES.items():
        first_month, last_month = pd.Period(before, "M") + 1, pd.Period(last, "M")
        if first_month >= start_month and last_month <= end_month:
            i, j = ends.get_loc(first_month - 1), ends.get_loc(last_month)
            change = float("nan") if withheld else float(m[j] - m[i])  # (withheld: a score too)
            episodes.append((name, change, float(o[j] - o[i])))
        elif first_month <= end_month and last_month >= start_month:  # overlaps the window without fitting in it
            why = (f"the window starts after the episode's first month ({first_month:%Y-%m})"
                   if first_month < start_month else
                   f"the window ends before the episode's last month ({last_month:%Y-%m})")
            left_out.append((name, f"{why}: choose --from {first_month:%Y-%m} or earlier and --to {last_month:%Y-%m} "
                                   "or later to include it"))
    return ReplayResult(f"{frame.index[0]:%Y-%m}", f"{frame.index[-1]:%Y-%m}", tuple(flows), out,
                        modelled, float(o[-1]), slope, se, corr, sd, missing, tuple(episodes), by_flow, withheld,
                        tuple(left_out), duration_years, large_moves_note(out, flows, params, duration_years))


def replay_scores(store: Store) -> ReplayResult:
    """The whole-window replay, 2000-01 to 2025-12 (Fed flows from TREAST's start in Dec-2002)."""
    return replay(store, "2000-01", "2025-12")


__all__ = ["ReplayResult", "replay", "replay_months", "replay_scores"]
