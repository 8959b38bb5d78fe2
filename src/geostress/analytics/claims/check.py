"""Verdicts for extracted claims against the vintaged store, each citing series, period, vintage and source.

* ``supported``: the official figure for the claimed holder, measure and period agrees within the rounding of the
  number as printed (levels: half a unit of the last digit + 0.05 bn; changes: + 0.1 bn, both months being
  rounded);
* ``revised``: it does not agree with the current figure, but the article predates the revision of that year's
  TIC block and the gap is within a revision's size (≤ 1 % of the level; a percentage change: the same 1 %
  carried through); ``reason`` says by how much and since when. A level that is instead, within the rounding of
  its digits, another nearby month's published figure is ``wrong_period``, not ``revised``. When the store holds
  the vintage known at the article's date (``Store.get(..., as_of=)``), the claim is compared with that vintage
  instead;
* ``contradicted`` with a ``reason``: ``wrong_unit`` (the digits fit at another scale), ``level_as_change``,
  ``wrong_period`` (the same holder's figure for a month near the claimed one, or the latest release at the
  article's date; a month published by then), ``wrong_holder`` (another holder's figure that month),
  ``projection_as_actual`` (a CBO projection stated as the outcome), ``wrong_value``;
* ``not_checkable`` with the reason (no series, no data for the period, a partial check).

Derived claims (ranks, "lowest since", streaks, "below $1 trillion since", changes in percent, growth rates) are
recomputed from the stored series.

References
----------
U.S. Treasury, TIC "Major Foreign Holders of Treasury Securities", historical file ``mfhhis01.txt`` (footer: the
date each year's block was last revised). SAFE official reserve assets (gold, monthly). World Gold Council, World
official gold holdings (quarterly, from IMF IFS). CBO, historical budget data and baseline projections.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pandas as pd

from geostress.analytics.claims.dates import PUBLICATION_LAG, month_end
from geostress.analytics.claims.extract import Claim
from geostress.data.sources.tic_mfh import REGIONAL_SLUGS, TOTAL_SLUGS, change_within_series
from geostress.data.store import Store
from geostress.errors import DataError

#: Date each TIC year block was last revised, from the footer of ``mfhhis01.txt`` (release of 2026-03-18).
#: The store keeps one vintage of the historical file, so a claim about a month in a block revised after the
#: article's date may quote the first release (verdict ``revised``).
TIC_BLOCK_REVISED: dict[int, date] = {
    2025: date(2026, 3, 18), 2024: date(2026, 1, 15), 2023: date(2026, 1, 15), 2022: date(2025, 3, 19),
    2021: date(2023, 11, 16), 2020: date(2023, 11, 16), 2019: date(2020, 8, 17), 2018: date(2020, 3, 16),
    2017: date(2019, 1, 31), 2016: date(2019, 3, 15), 2015: date(2018, 3, 15), 2014: date(2017, 12, 15),
    2013: date(2016, 5, 16), 2011: date(2018, 8, 15), 2010: date(2018, 8, 15), 2007: date(2018, 8, 15),
    2006: date(2018, 8, 15),
}  # fmt: skip
REVISION_SHARE = 0.01  # a first release within 1 % of the revised level is taken as revised, not wrong
LEVEL_SLACK = 0.05  # bn: the official figure is itself rounded to 0.1 bn
#: A whole number of billions written in 億 (8800億, 6,580亿美元): the digit after the billions is a zero.
_WHOLE_BILLIONS_IN_YI = re.compile(r"(?<![.\d])\d[\d,]*0\s*[億亿](?![萬万億亿兆])")
CHANGE_SLACK = 0.1  # bn: a change between two rounded levels
BOUND_SCALE = 100.0  # "more than X" / "less than X" agrees only with an official figure within this factor of X
#: A bound ("more than $1 trillion", 超过1万亿, nearly, at least, 不足) is the figure itself, not a rounded one: the
#: rounding of its last digit (half a trillion in "$1 trillion") does not widen it; only this share of it does.
BOUND_REL_TOL = 0.005
MIN_LEVEL = 1.0  # bn: a holder's stated level below this is a figure at another scale (or not a level at all)
MOZ_PER_TONNE = 0.0321507466  # million troy ounces in a metric tonne
#: Aggregates in the TIC table that are not holders of their own (excluded from ranks).
TIC_AGGREGATES = TOTAL_SLUGS | REGIONAL_SLUGS  # a claim names a country, never a total or a regional group
#: thread shorthand: "10Y", "2yr", "UST 10s" (not "2s10s"); it ends at a Latin letter or digit, not a Chinese one
_SHORT = r"(?<![A-Za-z0-9_.$]){n}(?:y|yr|s)(?![A-Za-z0-9_.%-])"
TENORS = [("dgs10", "gs10", r"10\s*年期|十年期|10-year|ten-year|10-yr|10y\b|" + _SHORT.format(n=10)),
          ("dgs2", "gs2", r"2\s*年期|兩年期|两年期|2-year|two-year|2-yr|2y\b|" + _SHORT.format(n=2)),
          ("dgs30", None, r"30\s*年期|三十年期|30-year|thirty-year|30-yr|30y\b|" + _SHORT.format(n=30)),
          ("dgs5", None, r"5\s*年期|五年期|5-year|five-year|5-yr|" + _SHORT.format(n=5)),
          ("dgs3mo", "tb3ms", r"3\s*個?个?月期|三個?个?月期|3-month|three-month")]  # fmt: skip
#: Words saying a yield is an average (of a month's or a year's quotes), so that it is checked to its rounding.
AVERAGE_WORDS = r"averag|\bmean\b|平均|均值|年均|月均"

#: Monthly series that are the average of their daily series' quotes of the month (FRED / H.15: "averages of
#: business days"; checked on the store by tests/test_claims_daily_average.py). A month they lack is checked against
#: that average when the daily quotes cover the month; so is a month of a tenor with no monthly series (dgs30, dgs5:
#: the same H.15 constant-maturity averages). TB3MS is not: a 3-month bill on a discount basis, not DGS3MO's
#: bond-equivalent constant maturity (0.1–0.3 pp apart since 2023, up to 0.9 pp).
DAILY_AVERAGE_OF = frozenset({"gs10", "gs2"})
#: A yield's move in basis points agrees within its rounding plus this slack (bp): the closes an article quotes may be
#: another source's (a market close, not H.15's reading), a basis point or so apart at either end.
MOVE_SLACK_BP = 1.5
#: A daily figure (a close, a one-session move) that is another session's within this many sessions of the stated
#: day is a date error (``wrong_period``); a monthly one, another month's within :data:`NEIGHBOUR_MONTHS`.
NEIGHBOUR_SESSIONS = 1
NEIGHBOUR_MONTHS = 1
MISSING_QUOTES = 2  # weekdays of a month without a quote beyond federal holidays (Good Friday; 2012-10-30; 2018-12-05)


_RESULT_FIELDS = ("measure", "verdict", "reason", "official_value", "official_period", "series", "vintage", "source",
                  "note", "period", "period_note", "day", "period_start")


@dataclass
class Series:
    """One stored series as a pandas Series indexed by period (monthly ``Period`` or the date)."""

    sid: str
    values: pd.Series
    vintage: str
    source: str
    d: dict[pd.Period, float] = field(default_factory=dict)  # the same values, for fast lookups
    changes: pd.Series | None = field(default=None, repr=False)  # month-on-month changes, once asked (Checker)

    def __post_init__(self) -> None:
        if not self.d:
            self.d = dict(zip(self.values.index, self.values.to_numpy(float), strict=True))


def _monthly(frame: pd.DataFrame, sid: str) -> Series | None:
    part = frame[frame["series_id"] == sid]
    if part.empty:
        return None
    idx = pd.PeriodIndex(pd.to_datetime(part["period"]), freq="M")
    values = pd.Series(part["value"].to_numpy(float), index=idx).sort_index()
    values = values[~values.index.duplicated(keep="last")]
    return Series(sid, values, pd.Timestamp(part["vintage"].max()).strftime("%Y-%m-%d"), str(part["source"].iloc[-1]))


@functools.lru_cache(maxsize=64)
def _federal_holidays(year: int) -> pd.DatetimeIndex:
    """US federal holidays of a year (observed dates): weekdays the bond market is normally shut."""
    from pandas.tseries.holiday import USFederalHolidayCalendar

    return USFederalHolidayCalendar().holidays(pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31))


def exact_tol(stated: float, published: float) -> float:
    """The tolerance of a figure stated to half-unit ``stated`` against an official figure that is exact to
    half-unit ``published`` (SAFE's whole 万盎司; WGC's tonnes to 0.01; their differences).

    Stated to the source's own digit, the figure is the official one: it must match (0). Stated more coarsely, it is
    a rounding of it: its own half unit. Stated more finely, it may be the unrounded figure: the source's half unit.
    """
    if math.isclose(stated, published, rel_tol=1e-6):
        return 0.0
    return max(stated, published)


def bound_tol(tol: float, claimed: float, qualifier: str | None) -> float:
    """The tolerance of a claim stated with ``qualifier``: ``tol``, at most :data:`BOUND_REL_TOL` of the figure for a
    bound (more than, at least, less than, nearly).

    Parameters
    ----------
    tol : float
        The tolerance from the figure's rounding and the official figure's.
    claimed : float
        The figure stated.
    qualifier : str or None
        The claim's qualifier.

    Returns
    -------
    float
        The tolerance to apply.
    """
    if qualifier in ("more_than", "at_least", "less_than", "nearly"):
        return min(tol, BOUND_REL_TOL * abs(claimed) + 0.01)
    return tol


def matches(claimed: float, official: float, tol: float, qualifier: str | None) -> bool:
    """Whether ``official`` agrees with a claim stated with ``qualifier`` (more than, nearly …) within ``tol``.

    A bound more than :data:`BOUND_SCALE` times off the official figure says nothing about it ("more than 100,000"
    of a $683.5bn holding is a figure at another scale, or about something else): it never agrees. A bound's
    tolerance is at most :data:`BOUND_REL_TOL` of the figure: "more than $1 trillion" is not $969.9bn, though "$1
    trillion" alone rounds it.
    """
    tol = bound_tol(tol, claimed, qualifier)
    if claimed < 0 and qualifier in ("more_than", "at_least", "less_than", "nearly"):
        # "fell by more than $50 billion" (−50): the bound is on the size of the fall
        claimed, official = -claimed, -official
    if qualifier in ("more_than", "at_least"):
        return official >= claimed - tol and (claimed <= 0 or official <= claimed * BOUND_SCALE)
    if qualifier == "less_than":
        return official <= claimed + tol and (official <= 0 or claimed <= official * BOUND_SCALE)
    if qualifier == "nearly":
        return claimed * 0.97 - tol <= official <= claimed + tol
    return abs(official - claimed) <= tol + 1e-9


class Checker:
    """Checks claims against a :class:`~geostress.data.store.Store` (series read once and cached).

    ``article_date`` is the date the text was published: it decides which release a relative or missing period
    means, whether a gap can be a later revision, and which vintage ``as_of`` selects.
    """

    def __init__(self, store: Store | None = None, *, article_date: date | None = None) -> None:
        self.store = store or Store()
        self.article_date = article_date
        self._frames: dict[str, pd.DataFrame] = {}
        self._series: dict[tuple[str, bool], Series | None] = {}
        self._id_list: list[str] | None = None
        self._countries: list[str] | None = None
        self._latest: dict[tuple[str, str], pd.Period] = {}
        self._memo: dict[tuple[object, ...], dict[str, object]] = {}
        self._table: dict[pd.Period, dict[str, float]] = {}
        self.dispatch: dict[str, Callable[[Claim], None]] = {
            "holdings_level": self._level, "holdings_peak": self._peak, "monthly_change": self._change,
            "annual_change": self._change,
            "monthly_change_pct": self._change_pct, "annual_change_pct": self._change_pct,
            "decline_from_peak_pct": self._decline_from_peak, "rank": self._rank,
            "lowest_since": self._since, "highest_since": self._since, "below_threshold_since": self._threshold_since,
            "above_threshold_since": self._threshold_since, "rank1_since": self._rank1_since,
            "first_below_since": self._first_since, "first_above_since": self._first_since,
            "record_high": self._record, "streak_months_increase": self._streak, "streak_months_decline": self._streak,
            "streak_months_above_threshold": self._streak_above, "streak_months_below_threshold": self._streak_above,
            "streak_months": self._gold_streak,
            "monthly_change_direction": self._direction, "gold_reserves_moz": self._gold,
            "gold_reserves_tonnes": self._gold, "gold_monthly_change_moz": self._gold_change,
            "gold_monthly_change_tonnes": self._gold_change, "net_interest": self._net_interest,
            "net_interest_pct_gdp": self._interest_ratio, "net_interest_pct_revenue": self._interest_ratio,
            "net_interest_growth_pct": self._interest_growth, "net_interest_cagr_pct": self._interest_growth,
            "debt_held_by_public": self._debt_held_by_public, "debt_pct_gdp": self._interest_ratio,
            "deficit": self._deficit, "deficit_pct_gdp": self._interest_ratio, "customs_duties": self._customs,
            "ree_mine_production": self._usgs, "ree_reserves": self._usgs,
            "yield": self._yield, "yield_move": self._yield_move,
        }  # fmt: skip

    def set_article_date(self, article_date: date | None) -> None:
        """Check the next claims as of another article date (the series read so far are kept)."""
        if article_date == self.article_date:
            return
        self.article_date = article_date
        self._latest.clear()
        self._memo.clear()
        self._frames = {k: v for k, v in self._frames.items() if not k.endswith("|True")}
        self._series = {k: v for k, v in self._series.items() if not k[1]}

    # -- data ------------------------------------------------------------------------------------------------------
    def _family_frame(self, prefix: str, as_of: bool) -> pd.DataFrame:
        key = f"{prefix}|{as_of}"
        if key not in self._frames:
            ids = [s for s in self._ids() if s.startswith(prefix)]
            try:
                frame = self.store.get(ids, as_of=self.article_date if as_of else None) if ids else pd.DataFrame()
            except DataError:
                frame = pd.DataFrame()
            self._frames[key] = frame if not frame.empty else pd.DataFrame(columns=["series_id"])
        return self._frames[key]

    def _ids(self) -> list[str]:
        if self._id_list is None:
            self._id_list = self.store.series_ids()
        return self._id_list

    def series(self, sid: str, *, known_then: bool = False) -> Series | None:
        """A monthly series (``known_then``: only vintages released by the article's date)."""
        key = (sid, known_then)
        if key not in self._series:
            if known_then and self.article_date is None:
                self._series[key] = None
            else:
                parts = sid.split(".")
                prefix = ".".join(parts[: max(1, len(parts) - 1)][:2]) + "."
                self._series[key] = _monthly(self._family_frame(prefix, known_then), sid)
        return self._series[key]

    def _tic(self, key: str | None) -> Series | None:
        return self.series(f"tic.mfh.{key}") if key else None

    def _latest_release(self, s: Series, family: str = "tic") -> pd.Period:
        """The last period published by the article's date (the store's last period when it is unknown)."""
        if self.article_date is None:
            return s.values.index[-1]
        lag = pd.Timedelta(days=PUBLICATION_LAG[family])
        ok = [p for p in s.d if pd.Timestamp(month_end(p.year, p.month)) + lag <= pd.Timestamp(
            self.article_date)]
        return ok[-1] if ok else s.values.index[0]

    def _period(self, claim: Claim, s: Series, family: str = "tic") -> pd.Period | None:
        if claim.period is None and claim.extra.get("month_only"):
            latest = self._latest_release(s, family)
            same = [q for q in s.values.index if q.month == claim.extra["month_only"] and q <= latest]
            if same:
                claim.period = str(same[-1])
                claim.period_note = ((claim.period_note + "; ") if claim.period_note else "") + (
                    f"read as the latest {same[-1].strftime('%B')} in the data ({same[-1]})")
                return same[-1]
        if claim.period is None and claim.extra.get("months_back"):
            # the base of a comparison ("down from $759.0 billion a year earlier") in a text that dates nothing
            p = self._latest_release(s, family) - int(claim.extra["months_back"])
            claim.period = str(p)
            claim.period_note = ((claim.period_note + "; ") if claim.period_note else "") + (
                f"{claim.extra['months_back']} month(s) before the latest release at the article's date ({p})")
            return p
        if claim.period is None:
            p = self._latest_release(s, family)
            claim.period = str(p)
            claim.period_note = ((claim.period_note + "; ") if claim.period_note else "") + (
                f"no period stated: compared with the latest release at the article's date ({p})"
                if self.article_date else f"no period stated and no article date: compared with the latest data ({p})")
            return p
        if claim.period.startswith("FY"):
            return pd.Period(f"{claim.period[2:]}-09", freq="M")
        if len(claim.period) == 4:
            inside = s.values[s.values.index.year == int(claim.period)]
            return inside.index[-1] if len(inside) else None
        return pd.Period(claim.period, freq="M")

    def _cite(self, claim: Claim, s: Series, period: pd.Period | str, value: object) -> None:
        claim.series = s.sid
        claim.official_period = str(period)
        claim.official_value = round(float(value), 4) if isinstance(value, float | int) else value
        claim.vintage = s.vintage
        claim.source = f"{s.source}: {s.sid} {period} (vintage {s.vintage})"

    def _revisable(self, years: Iterable[int]) -> date | None:
        """The revision date after the article of any of these TIC year blocks, or None."""
        if self.article_date is None:
            return None
        later = [TIC_BLOCK_REVISED[y] for y in years if y in TIC_BLOCK_REVISED and TIC_BLOCK_REVISED[y] >
                 self.article_date]
        return max(later) if later else None

    @staticmethod
    def _fail(claim: Claim, reason: str, note: str) -> None:
        claim.verdict, claim.reason = "contradicted", reason
        claim.note = note if not claim.note else f"{claim.note}; {note}"

    def _not(self, claim: Claim, reason: str) -> None:
        claim.verdict, claim.reason = "not_checkable", reason

    # -- verdicts ----------------------------------------------------------------------------------------------------
    def check(self, claim: Claim) -> Claim:
        """Fill in the verdict, official value, period, vintage and source of one claim (in place; returned)."""
        fn = self.dispatch.get(claim.measure or "")
        key = None
        if fn is not None:
            key = (claim.measure, claim.holder_key, claim.gold_key, repr(claim.value), claim.unit, claim.period,
                   claim.qualifier, claim.precision, claim.fuzz, claim.day, claim.period_start, claim.note,
                   claim.period_note, repr(sorted(claim.extra.items())),
                   claim.text if claim.measure == "yield" else None)
            done = self._memo.get(key)
            if done is not None:  # the same claim checked before in this text: the same verdict
                claim.__dict__.update(done)  # the result fields (plain attributes of the dataclass)
                return claim
        if fn is None:
            claim.verdict = "not_checkable"
            claim.reason = claim.reason or f"no stored series for this claim ({claim.measure or 'unlinked'})"
            return claim
        stated, note, period_note = claim.period, claim.note, claim.period_note
        try:
            fn(claim)
            self._not_yet_published(claim, stated is None, note, period_note)
        except (ValueError, KeyError, IndexError, TypeError, ZeroDivisionError) as exc:  # reported, never raised
            claim.verdict, claim.reason = "not_checkable", f"could not check: {exc}"
        if key is not None:
            self._memo[key] = {name: getattr(claim, name) for name in _RESULT_FIELDS}
        return claim

    def _not_yet_published(self, claim: Claim, unstated: bool, note: str | None, period_note: str | None) -> None:
        """A monthly figure (TIC holdings and their changes, ranks, records; SAFE's gold) whose month had not been
        published by the article's date — a month after the article, or one whose release came later, or, with no
        month stated, an article older than the series — cannot be checked against what was known then: the
        store's figure for it came out later (the same idea as a vintage "known then", applied to the period)."""
        # the monthly families by the series the check read (TIC's, SAFE's gold), not by a list of measures: CBO's
        # fiscal years are checked against the projection known then, yields and USGS's years by their own dates
        series = claim.series or ""
        if self.article_date is None or claim.measure is None or not series.startswith(("tic.", "gold.safe.")):
            return
        p = claim.period or ""
        if re.fullmatch(r"\d{4}", p) and int(p) > self.article_date.year:
            p = f"{p}-01"  # a whole year after the article's
        elif not re.fullmatch(r"\d{4}-\d{2}", p):
            return
        family = "gold" if series.startswith("gold.") else "tic"
        year, month = int(p[:4]), int(p[5:7])
        released = month_end(year, month) + timedelta(days=PUBLICATION_LAG[family])
        if released <= self.article_date:
            return
        who = "SAFE" if family == "gold" else "TIC"
        claim.verdict = "not_checkable"
        claim.reason = (f"the store has no figure published by the article's date ({self.article_date}): no period "
                        f"stated, and the earliest {who} month it holds ({claim.period}) came out later"
                        if unstated else
                        f"the store has no figure for {claim.period} by the article's date ({self.article_date}): "
                        f"{who} first published it after that date")
        claim.official_value = claim.official_period = claim.series = claim.vintage = claim.source = None
        claim.note = note  # the reading's own note; the comparison with a later figure is dropped
        if unstated:
            claim.period, claim.period_note = None, period_note

    def check_all(self, claims: Iterable[Claim]) -> Iterator[Claim]:
        """Check every claim (a generator)."""
        for claim in claims:
            yield self.check(claim)

    def _numeric(self, claim: Claim, official: float, tol: float, *, level: float, years: set[int], s: Series,
                 period: pd.Period, what: str = "level", bound: float | None = None,
                 alternatives: Callable[[], tuple[str, str] | None] | None = None,
                 other_period: Callable[[], tuple[str, str] | None] | None = None) -> None:
        """Supported / revised / contradicted for a number against its official value.

        ``other_period`` names another month whose figure the claim states (within the rounding of its digits):
        that is a date error (``wrong_period``), tried before ``revised`` — a revision explains a figure near the
        stated month's, not one that is exactly a neighbouring month's.
        """
        self._cite(claim, s, period, official)
        value = float(claim.value)
        tol = bound_tol(tol, value, claim.qualifier)
        if matches(value, official, tol, claim.qualifier):
            claim.verdict = "supported"
            return
        known = self._known_then(claim, s.sid, period, what)
        if known is not None and matches(value, known, tol, claim.qualifier):
            claim.verdict = "supported"
            claim.note = f"agrees with the vintage known at the article's date ({known:,.2f}); revised since"
            return
        gap = value - official
        revised_on = self._revisable(years)
        limit = REVISION_SHARE * abs(level) if bound is None else bound
        if revised_on is not None and abs(gap) <= limit + tol:
            elsewhere = other_period() if other_period else None
            if elsewhere is not None:
                self._fail(claim, *elsewhere)
                return
            claim.verdict = "revised"
            share = f" ({100 * abs(gap) / abs(level):.2f}% of the level)" if bound is None else ""
            blocks = "/".join(str(y) for y in sorted(years))
            were = "blocks were" if len(years) > 1 else "block was"
            claim.reason = (f"first release: the {blocks} TIC {were} last revised on {revised_on}, after the article "
                            f"({self.article_date}); the current figure differs by {gap:+,.2f}{share}. The store "
                            f"holds only the revised figures, so it cannot tell a first release from an error for "
                            f"{period}")
            return
        alt = alternatives() if alternatives else None
        if alt is None and claim.note and "impossible magnitude" in claim.note:
            alt = ("wrong_unit", f"the official {what} for {period} is {official:,.2f}")
        if alt:
            self._fail(claim, *alt)
        else:
            self._fail(claim, "wrong_value", f"the official {what} for {period} is {official:,.2f}")

    def _known_then(self, claim: Claim, sid: str, period: pd.Period, what: str) -> float | None:
        s = self.series(sid, known_then=True)
        if s is None or period not in s.d:
            return None
        if what == "level":
            return float(s.d[period])
        return None

    # TIC holdings ------------------------------------------------------------------------------------------------
    def _holder_series(self, claim: Claim) -> tuple[Series, pd.Period] | None:
        s = self._tic(claim.holder_key)
        if s is None:
            self._not(claim, f"{claim.holder} is a single institution, not a holder in the TIC table (which counts "
                             "countries' residents): nothing official to check its figure against" if claim.holder
                      else "no holder named")
            return None
        p = self._period(claim, s)
        if p is None or p not in s.d:
            self._not(claim, f"no data for {claim.period} ({s.sid} covers {s.values.index[0]}–{s.values.index[-1]})")
            claim.series = s.sid
            return None
        return s, p

    @staticmethod
    def _wrong_unit(claim: Claim, s: Series, p: pd.Period, tol: float) -> tuple[str, str] | None:
        """``wrong_unit`` when the digits of the claim are the official level at another scale (萬億 for 億)."""
        value = float(claim.value)
        for factor, words in ((1e-3, "a thousand times too large"), (1e3, "a thousand times too small"),
                              (1e-4, "ten thousand times too large (萬億 for 億?)"),
                              (1e4, "ten thousand times too small")):
            if abs(value * factor - float(s.d[p])) <= max(tol * factor, tol):
                return "wrong_unit", (f"the digits match the official {s.d[p]:,.1f} bn for {p}, but the unit "
                                      f"makes it {words}")
        return None

    def _wrong_level(self, claim: Claim, s: Series, p: pd.Period, tol: float) -> tuple[str, str] | None:
        value = float(claim.value)
        unit = self._wrong_unit(claim, s, p, tol)
        if unit is not None:
            return unit
        elsewhere = None if claim.extra.get("round_figure") else self._other_month_level(claim, s, p, tol)
        if elsewhere is not None:
            return elsewhere
        for key, v in self._countries_at(p).items():
            if key != claim.holder_key and abs(value - v) <= tol:
                return "wrong_holder", (f"the figure is {key}'s for {p} ({v:,.1f}); {claim.holder}'s is "
                                        f"{s.d[p]:,.1f} (a copied line?)")
        return None

    def _other_month_level(self, claim: Claim, s: Series, p: pd.Period, tol: float, *, family: str = "tic",
                           factor: float = 1.0, unit: str = "") -> tuple[str, str] | None:
        """``wrong_period`` when the figure is, within ``tol``, the same series' value (times ``factor``) for a month
        within three of ``p`` or for the latest release at the article's date (never any month since 1953), and
        that month had been published by the article's date (a figure not yet out cannot have been copied); None
        otherwise."""
        value = float(claim.value)
        digits = ",.1f" if s.sid.startswith("tic.") else ",.2f"
        latest = self._latest_release(s, family)
        # (and the same month a year before: a year-old figure given as the month's, "$759 billion" for December
        # 2025 when 759.0 is December 2024's)
        near = [p + k for k in (-1, 1, -2, 2, -3, 3, -12)] + [latest]
        bound = claim.qualifier in ("more_than", "at_least", "less_than")
        for q in near:
            if q not in s.d or q == p or q > latest:
                continue
            if bound and matches(value, float(s.d[q]) * factor, tol, claim.qualifier):
                # "topped $9.35 trillion in December" when November's 9,359.3 tops it and December's 9,271.0 not
                return "wrong_period", (f"the bound holds for {q} ({s.d[q] * factor:{digits}}{unit}), not for {p} "
                                        f"({s.d[p] * factor:{digits}}{unit})")
            if not bound and abs(value - float(s.d[q]) * factor) <= tol + 1e-9:
                return "wrong_period", (f"the figure is the official level for {q} ({s.d[q] * factor:{digits}}{unit}); "
                                        f"for {p} it is {s.d[p] * factor:{digits}}{unit}")
        return None

    def _country_keys(self) -> list[str]:
        if self._countries is None:
            self._countries = [i.split(".")[-1] for i in self._ids() if i.startswith("tic.mfh.") and
                               i.split(".")[-1] not in TIC_AGGREGATES]
        return self._countries

    def _level(self, claim: Claim) -> None:
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        tol = claim.precision + LEVEL_SLACK
        if 0 < abs(float(claim.value)) < MIN_LEVEL <= float(s.d[p]):
            # under $1bn for a holder whose holdings are billions: another scale ("4773万美元"), else no level at all
            self._cite(claim, s, p, float(s.d[p]))
            unit = self._wrong_unit(claim, s, p, tol)
            if unit is not None:
                self._fail(claim, *unit)
            else:
                self._not(claim, f"{claim.value:,} bn is not a plausible level for {claim.holder} (official "
                                 f"{s.d[p]:,.1f} bn): a figure at another scale or about something else")
            return
        window = [p + k for k in sorted(range(-claim.fuzz, claim.fuzz + 1), key=abs)]
        for q in window:
            if q in s.d and matches(float(claim.value), float(s.d[q]), tol, claim.qualifier):
                p = q
                break
        self._numeric(claim, float(s.d[p]), tol, level=float(s.d[p]), years={p.year}, s=s, period=p,
                      alternatives=lambda: self._wrong_level(claim, s, p, tol),
                      other_period=lambda: (self._other_month_level(claim, s, p, tol)
                                            if claim.qualifier in (None, "approx", "more_than", "at_least", "less_than")
                                            and not claim.extra.get("round_figure") else None))

    def _peak(self, claim: Claim) -> None:
        """A peak: the highest level up to the latest release; a stated month must be the peak's month."""
        s = self._tic(claim.holder_key)
        if s is None:
            self._not(claim, f"no TIC series for {claim.holder or 'an unnamed holder'}")
            return
        own = bool(claim.extra.get("own_period")) and claim.period is not None
        end = self._latest_release(s)
        upto = s.values[s.values.index <= end]
        top_p = upto.idxmax()
        top = float(upto.max())
        tol = claim.precision + LEVEL_SLACK
        self._cite(claim, s, top_p, top)
        if not matches(float(claim.value), top, tol, claim.qualifier):
            self._fail(claim, "wrong_value", f"the peak up to {end} was {top:,.1f} in {top_p}")
        elif own and len(claim.period or "") == 7 and abs((top_p - pd.Period(claim.period, freq="M")).n) > claim.fuzz:
            self._fail(claim, "wrong_period", f"the peak ({top:,.1f}) was in {top_p}, not {claim.period}")
        else:
            claim.verdict = "supported"
            claim.note = f"the highest level up to {end}: {top:,.1f} in {top_p}"

    def _change_pair(self, claim: Claim) -> tuple[Series, pd.Period, int, pd.Period] | None:
        """(series, period, lag, base period) of a monthly or annual change claim; None (and a not_checkable
        verdict) when the holder's series or the base month is missing."""
        found = self._holder_series(claim)
        if found is None:
            return None
        s, p = found
        lag = 12 if claim.measure.startswith("annual_") else 1
        stated = claim.extra.get("base_period")
        if stated:  # "down $75.5 billion from December 2024", 較9月: the change from the month the text names
            named = pd.Period(stated, freq="M")
            if named < p:
                lag = (p - named).n
                if lag == 12 and claim.measure.startswith("monthly_"):  # "since the end of 2024", in December 2025
                    claim.measure = claim.measure.replace("monthly_", "annual_", 1)
        elif claim.extra.get("span_months"):  # "over the past five years" with no month stated: back from p
            lag = int(claim.extra["span_months"])
            self._span_note(claim, p - lag, p)
        base = p - lag
        if base not in s.d:
            self._not(claim, f"no data for {base} in {s.sid}")
            return None
        return s, p, lag, base

    @staticmethod
    def _span_note(claim: Claim, base: pd.Period, p: pd.Period) -> None:
        """Say in ``claim.period_note`` which months a change stated over a span runs between, where the extractor
        could not (no month stated: "fell 36% over the past five years" checked against the latest release)."""
        months = int(claim.extra["span_months"])
        said = f"change over {months} months: {base} → {p}"
        text = claim.extra.get("span_text")
        stated = f"change over {months} months ('{text}')"
        note = claim.period_note or ""
        if stated in note:
            claim.period_note = note.replace(stated, f"{said} ('{text}')", 1)
        elif said not in note:
            claim.period_note = f"{note}; {said}" if note else said

    def _older(self, s: Series) -> Series | None:
        """TIC's older series at the break months of holder series ``s`` (``tic.mfh_prior.*``), if any."""
        return self.series(s.sid.replace("tic.mfh.", "tic.mfh_prior.", 1)) if s.sid.startswith("tic.mfh.") else None

    def _changes(self, s: Series) -> pd.Series:
        """Month-on-month changes of ``s``, a TIC break month's within the older series (June(old) − May: the
        survey's revision of the level is no one's sale; :func:`geostress.data.sources.tic_mfh.
        change_within_series`)."""
        if s.changes is None:  # (every change claim and its alternatives read them: computed once per series)
            older = self._older(s)
            s.changes = change_within_series(s.values, older.values if older is not None else s.values.iloc[:0])
        return s.changes

    def _change_over(self, s: Series, base: pd.Period, p: pd.Period) -> float:
        """The change of ``s`` from ``base`` to ``p``: the sum of its monthly changes (:meth:`_changes`)."""
        changes = self._changes(s)
        return float(changes[(changes.index > base) & (changes.index <= p)].sum())

    def _change(self, claim: Claim) -> None:
        pair = self._change_pair(claim)
        if pair is None:
            return
        s, p, lag, base = pair
        official = self._change_over(s, base, p)
        tol = claim.precision + CHANGE_SLACK
        value = float(claim.value)

        def other_period() -> tuple[str, str] | None:
            """``wrong_period`` when the change is, within its rounding, the official one of a nearby month that had
            been published by the article's date ("12月比11月少了38亿" when −3.8 is November's change)."""
            latest = self._latest_release(s)
            for q in [p + k for k in (-1, 1, -2, 2)] + [latest]:
                if q in s.d and q - lag in s.d and q != p and q <= latest and abs(
                        value - self._change_over(s, q - lag, q)) <= tol:
                    return "wrong_period", f"the change is the official one for {q}; for {p} it is {official:+,.1f}"
            return None

        def alternatives() -> tuple[str, str] | None:
            if abs(abs(value) - float(s.d[p])) <= tol + LEVEL_SLACK + REVISION_SHARE * float(s.d[p]):
                return "level_as_change", f"{abs(value):,.1f} is the level for {p}, not its change ({official:+,.1f})"
            return other_period()

        what = {1: "monthly change", 12: "annual change"}.get(lag, f"change since {base}")
        # a rise reported as a fall (or the reverse) is not a revision's size, whatever the level
        flipped = value * official < 0 and abs(official) > tol
        self._numeric(claim, official, tol, level=float(s.d[p]), years={p.year, base.year}, s=s, period=p,
                      what=what, alternatives=alternatives, bound=-1.0 - tol if flipped else None,
                      other_period=other_period)
        if flipped and claim.verdict == "contradicted" and claim.reason == "wrong_value":
            claim.note = f"{claim.note}; the official change went the other way ({official:+,.1f})"
        claim.source = f"{s.source}: {s.sid} {base} → {p}, recomputed (vintage {s.vintage})"

    def _change_pct(self, claim: Claim) -> None:
        pair = self._change_pair(claim)
        if pair is None:
            return
        s, p, lag, base = pair
        ratio = float(s.d[p] / s.d[base])
        official = 100 * (ratio - 1)
        tol = claim.precision + 0.01
        bound = 100 * REVISION_SHARE * (1 + ratio)  # both levels revised by up to 1 %
        what = "percentage change" if lag in (1, 12) else f"percentage change since {base}"

        def other_period() -> tuple[str, str] | None:
            """``wrong_period`` when the percentage is, within its rounding, that of a nearby month published by the
            article's date ("jumped 12.7% in December" when +12.67% is November's change)."""
            if base != p - lag or claim.qualifier not in (None, "approx"):
                return None
            latest = self._latest_release(s)
            for q in [p + k for k in (-1, 1, -2, 2)]:
                if q in s.d and q - lag in s.d and q <= latest and s.d[q - lag] and abs(
                        float(claim.value) - 100 * (s.d[q] / s.d[q - lag] - 1)) <= tol:
                    return "wrong_period", (f"{100 * (s.d[q] / s.d[q - lag] - 1):+.2f}% is the change for {q}; for "
                                            f"{p} it is {official:+.2f}%")
            return None

        self._numeric(claim, round(official, 3), tol, level=float(s.d[p]), years={p.year, base.year}, s=s,
                      period=p, what=what, bound=bound, alternatives=other_period, other_period=other_period)
        claim.source = f"{s.source}: {s.sid} {base} {s.d[base]:,.1f} → {p} {s.d[p]:,.1f}, recomputed"

    def _decline_from_peak(self, claim: Claim) -> None:
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        upto = s.values[s.values.index <= p]
        if claim.period_start and len(claim.period_start) == 7:
            peak_p = pd.Period(claim.period_start, freq="M")
        else:
            peak_p = upto.idxmax()
        peak = float(s.d[peak_p])
        official = 100 * (1 - float(s.d[p]) / peak)
        tol = claim.precision + 0.01
        self._numeric(claim, round(official, 3), tol, level=float(s.d[p]), years={p.year, peak_p.year}, s=s,
                      period=p, what="fall from the peak", bound=100 * REVISION_SHARE * float(s.d[p]) / peak)
        claim.source = (f"{s.source}: {s.sid} peak {peak_p} {peak:,.1f} → {p} {s.d[p]:,.1f}, recomputed "
                        f"(vintage {s.vintage})")

    def _countries_at(self, p: pd.Period) -> dict[str, float]:
        if p not in self._table:
            out = {}
            for key in self._country_keys():
                s = self._tic(key)
                if s is not None and p in s.d:
                    out[key] = float(s.d[p])
            self._table[p] = out
        return self._table[p]

    def _rank(self, claim: Claim) -> None:
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        table = self._countries_at(p)
        mine = table.get(claim.holder_key or "")
        if mine is None:
            self._not(claim, f"{claim.holder} is not among the countries in the TIC table for {p}")
            return
        above = sum(v > mine for v in table.values())
        ties = sum(v == mine for v in table.values()) - 1
        self._cite(claim, s, p, above + 1)
        claim.source = f"{s.source}: ranks of {len(table)} countries in the TIC table for {p} (vintage {s.vintage})"
        if above + 1 <= int(claim.value) <= above + 1 + ties:
            claim.verdict = "supported"
            if ties:
                claim.note = f"tied at {mine:,.1f} with {ties} other holder(s)"
        else:
            self._fail(claim, "wrong_value", f"{claim.holder} ranked {above + 1} in {p} ({mine:,.1f})")

    def _since(self, claim: Claim) -> None:
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        v = float(s.d[p])
        prior = s.values[s.values.index < p]
        low = claim.measure == "lowest_since"
        hits = prior[prior <= v] if low else prior[prior >= v]
        what = "lowest" if low else "highest"
        if hits.empty:
            self._cite(claim, s, p, "no earlier month")
            self._fail(claim, "wrong_value", f"{p} ({v:,.1f}) is the {what} in the whole series (from "
                                             f"{s.values.index[0]})")
            return
        last = hits.index[-1]
        if claim.unit == "years":
            years = (p - last).n / 12
            self._cite(claim, s, p, round(years, 1))
            claim.official_period = str(last)
            ok = abs(years - float(claim.value)) <= 1.0
            note = f"{p} ({v:,.1f}) is the {what} since {last} ({s.d[last]:,.1f}), {years:.1f} years before"
        else:
            self._cite(claim, s, p, str(last))
            if len(str(claim.value)) == 4:  # "the lowest since 2009": the year of that month
                ok = int(str(claim.value)) in (last.year, (last + 1).year)
            else:  # "since Oct 2008": the last lower month, or the month after it (the period starting then)
                ok = pd.Period(str(claim.value), freq="M") in (last, last + 1)
            side = "below" if low else "above"
            note = f"{p} ({v:,.1f}): the last month at or {side} it was {last} ({s.d[last]:,.1f})"
        claim.source = f"{s.source}: {s.sid} up to {p}, recomputed (vintage {s.vintage})"
        if ok:
            claim.verdict, claim.note = "supported", note
        else:
            self._fail(claim, "wrong_period", note)

    def _run_start(self, flags: pd.Series) -> pd.Period | None:
        """First period of the run of True ending at the last element (None when the last is False)."""
        if flags.empty or not bool(flags.iloc[-1]):
            return None
        start = flags.index[-1]
        for q, ok in zip(reversed(flags.index), reversed(flags.to_numpy()), strict=True):
            if not ok:
                break
            start = q
        return start

    def _threshold_since(self, claim: Claim) -> None:
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        threshold = float(claim.extra.get("threshold") or 0)
        upto = s.values[s.values.index <= p]
        flags = upto < threshold if claim.measure == "below_threshold_since" else upto > threshold
        start = self._run_start(flags)
        self._cite(claim, s, p, str(start) if start is not None else "not in a run")
        side = "below" if claim.measure == "below_threshold_since" else "above"
        if start is None:
            self._fail(claim, "wrong_value", f"{p} ({s.d[p]:,.1f}) is not {side} {threshold:,.0f}")
        elif str(start) == str(claim.value):
            claim.verdict = "supported"
            claim.note = f"{side} {threshold:,.0f} every month from {start} to {p}"
        else:
            self._fail(claim, "wrong_period", f"{side} {threshold:,.0f} since {start}, not {claim.value}")

    def _first_since(self, claim: Claim) -> None:
        """A threshold crossed for the first time since a date ("fell below $700 billion in July for the first time
        since 2008"): the level is past the threshold in the claim's month, and the last month past it before the
        current run was in the year (or the month) stated. When the text says the threshold was crossed that month
        ("fell below", 跌破) the run must start then."""
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        threshold = float(claim.extra.get("threshold") or 0)
        below = claim.measure == "first_below_since"
        side = "below" if below else "above"
        upto = s.values[s.values.index <= p]
        flags = upto < threshold if below else upto > threshold
        start = self._run_start(flags)
        claim.source = f"{s.source}: {s.sid} up to {p}, recomputed (vintage {s.vintage})"
        if start is None:
            self._cite(claim, s, p, float(s.d[p]))
            self._fail(claim, "wrong_value", f"{p} ({s.d[p]:,.1f}) is not {side} {threshold:,.0f}")
            return
        earlier = upto[upto.index < start]
        hits = earlier[earlier < threshold] if below else earlier[earlier > threshold]
        if hits.empty:
            self._cite(claim, s, p, "never before")
            self._fail(claim, "wrong_period", f"{side} {threshold:,.0f} from {start}: never before in the series "
                                              f"(from {s.values.index[0]})")
            return
        last = hits.index[-1]
        self._cite(claim, s, p, str(last))
        stated = str(claim.value)
        ok = int(stated) == last.year if len(stated) == 4 else pd.Period(stated, freq="M") in (last, last + 1)
        note = (f"{side} {threshold:,.0f} from {start} ({s.d[start]:,.1f}); the last month {side} it before that "
                f"was {last} ({s.d[last]:,.1f})")
        if ok and claim.extra.get("crossed") and start != p:
            self._fail(claim, "wrong_period", f"{note}: it crossed in {start}, not {p}")
        elif ok:
            claim.verdict, claim.note = "supported", note
        else:
            self._fail(claim, "wrong_period", note)

    def _rank1_since(self, claim: Claim) -> None:
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        periods = [q for q in s.d if q <= p]
        flags = pd.Series([max(self._countries_at(q).items(), key=lambda kv: kv[1])[0] == claim.holder_key
                           for q in periods[-240:]], index=periods[-240:])
        start = self._run_start(flags)
        self._cite(claim, s, p, str(start) if start is not None else "not the largest")
        if start is not None and str(start) == str(claim.value):
            claim.verdict, claim.note = "supported", f"the largest holder every month from {start} to {p}"
        else:
            self._fail(claim, "wrong_period", f"the largest holder since {start}" if start else
                       f"{claim.holder} was not the largest holder in {p}")

    def _record(self, claim: Claim) -> None:
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        prior = s.values[s.values.index < p]
        top = float(prior.max()) if len(prior) else float("-inf")
        self._cite(claim, s, p, float(s.d[p]))
        if float(s.d[p]) > top:
            claim.verdict, claim.note = "supported", f"{p} ({s.d[p]:,.1f}) above every earlier month (max {top:,.1f})"
        else:
            self._fail(claim, "wrong_value", f"{p} ({s.d[p]:,.1f}) is below the earlier high {top:,.1f} "
                                             f"({prior.idxmax()})")

    def _streak_len(self, s: Series, end: pd.Period, up: bool) -> tuple[int, bool]:
        """Consecutive monthly increases (or decreases) of ``s`` ending at ``end`` (a TIC break month's change read
        within the older series, :meth:`_changes`); and whether the run reaches the data's first change (so it may
        be longer)."""
        changes = self._changes(s)
        diffs = changes[changes.index <= end].dropna()
        n = 0
        for d in reversed(diffs.to_numpy()):
            if (d > 0) if up else (d < 0):
                n += 1
            else:
                break
        return n, n == len(diffs)

    def _streak(self, claim: Claim) -> None:
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        end = p - 1 if claim.extra.get("prior") else p
        up = claim.measure == "streak_months_increase"
        n, censored = self._streak_len(s, end, up)
        self._cite(claim, s, end, n)
        claim.source = f"{s.source}: {s.sid} monthly changes up to {end}, recomputed (vintage {s.vintage})"
        what = "increases" if up else "declines"
        claimed = int(claim.value)
        at_least = claim.qualifier in ("more_than", "at_least") and n >= claimed
        if n == claimed or (censored and n < claimed) or at_least:
            claim.verdict = "supported"
            claim.note = f"{n} consecutive monthly {what} to {end}"
        else:  # a count of months is not subject to a level's revision band: a wrong count is wrong
            self._fail(claim, "wrong_value", f"{n} consecutive monthly {what} to {end} in the current data")

    def _streak_above(self, claim: Claim) -> None:
        found = self._holder_series(claim)
        if found is None:
            return
        s, p = found
        threshold = float(claim.extra.get("threshold") or 0)
        upto = s.values[s.values.index <= p]
        below = claim.measure == "streak_months_below_threshold"
        start = self._run_start(upto < threshold if below else upto >= threshold)
        n = 0 if start is None else (p - start).n + 1
        self._cite(claim, s, p, n)
        side = "below" if below else "at or above"
        if n == int(claim.value):
            claim.verdict, claim.note = "supported", f"{side} {threshold:,.0f} every month from {start} to {p}"
        else:
            self._fail(claim, "wrong_value", f"{n} months {side} {threshold:,.0f} to {p}")

    def _direction(self, claim: Claim) -> None:
        s = self._tic(claim.holder_key)
        if s is None:
            self._not(claim, f"no TIC series for {claim.holder}")
            return
        signs = []
        for per in claim.extra.get("periods", []):
            q = pd.Period(per, freq="M")
            if q not in s.d or q - 1 not in s.d:
                self._not(claim, f"no data for {q} in {s.sid}")
                return
            signs.append((per, float(s.d[q] - s.d[q - 1])))
        self._cite(claim, s, claim.period or "", ", ".join(f"{per} {d:+,.1f}" for per, d in signs))
        want_up = claim.value == "up"
        wrong = [per for per, d in signs if (d > 0) != want_up or d == 0]
        if wrong:
            self._fail(claim, "wrong_value", f"the change went the other way in {', '.join(wrong)}")
        else:
            claim.verdict = "supported"

    # gold --------------------------------------------------------------------------------------------------------
    def _gold_series(self, claim: Claim) -> tuple[Series, pd.Period, float] | None:
        """SAFE monthly ounces for China, else WGC quarterly tonnes; with the factor to the claim's unit."""
        moz = claim.unit == "million troy oz"
        if claim.holder_key == "china_mainland":
            s = self.series("gold.safe.china")
            if s is not None:
                p = self._period(claim, s, "gold")
                if p is not None and p in s.d:
                    return s, p, 1.0 if moz else 1 / MOZ_PER_TONNE
        s = self.series(f"gold.wgc.{claim.gold_key}") if claim.gold_key else None
        if s is None:
            self._not(claim, f"no gold series for {claim.holder or 'an unnamed holder'}")
            return None
        p = self._period(claim, s, "gold")
        if p is None or p not in s.d:
            self._not(claim, f"no gold data for {claim.period} ({s.sid} is quarterly, {s.values.index[0]}–"
                             f"{s.values.index[-1]})")
            return None
        return s, p, MOZ_PER_TONNE if moz else 1.0

    def _gold(self, claim: Claim) -> None:
        found = self._gold_series(claim)
        if found is None:
            return
        s, p, factor = found
        official = float(s.d[p]) * factor
        # SAFE publishes whole 万盎司 (0.01 Moz), WGC tonnes to 0.01: exact in their own unit; converted to the
        # other unit the source's rounding adds to the claim's
        tol = exact_tol(claim.precision, 0.005) if factor == 1.0 else claim.precision + 0.005 * factor
        self._cite(claim, s, p, round(official, 4))
        if matches(float(claim.value), official, tol, claim.qualifier):
            claim.verdict = "supported"
            return
        elsewhere = (self._other_month_level(claim, s, p, tol, family="gold", factor=factor, unit=f" {claim.unit}")
                     if claim.qualifier in (None, "approx") else None)
        if elsewhere is not None:  # "11月末为7409万盎司" when 74.09 is October's figure
            self._fail(claim, *elsewhere)
        else:
            self._fail(claim, "wrong_value", f"official {official:,.2f} {claim.unit} for {p}")

    def _gold_change(self, claim: Claim) -> None:
        found = self._gold_series(claim)
        if found is None:
            return
        s, p, factor = found
        base = p - 1
        stated = claim.extra.get("base_period")
        if stated and pd.Period(stated, freq="M") < p:  # 比去年底增加, "since the end of last year": from that month
            base = pd.Period(stated, freq="M")
        elif not stated and claim.extra.get("span_months"):  # "up 11.5 million ounces over the past five years"
            base = p - int(claim.extra["span_months"])
            self._span_note(claim, base, p)
        if base not in s.d:
            self._not(claim, f"no gold data for {base} in {s.sid} (the change needs that month)")
            return
        official = float(s.d[p] - s.d[base]) * factor
        # a difference of two exact figures is exact; converted, each month's rounding adds to the claim's
        tol = exact_tol(claim.precision, 0.005) if factor == 1.0 else claim.precision + 0.01 * factor
        self._cite(claim, s, p, round(official, 4))
        claim.source = f"{s.source}: {s.sid} {base} → {p}, recomputed (vintage {s.vintage})"
        what = "change" if base == p - 1 else f"change since {base}"
        value = float(claim.value)
        if matches(value, official, tol, claim.qualifier):
            claim.verdict = "supported"
            return
        if base == p - 1 and claim.qualifier in (None, "approx"):
            # 1月末…按月增加三萬盎司 when +3万 is December's change: a date error
            latest = self._latest_release(s, "gold")
            for q in [p + k for k in (-1, 1, -2, 2)]:
                if q in s.d and q - 1 in s.d and q <= latest and abs(
                        value - (s.d[q] - s.d[q - 1]) * factor) <= tol + 1e-9:
                    self._fail(claim, "wrong_period", f"the change is the official one for {q} "
                                                      f"({(s.d[q] - s.d[q - 1]) * factor:+,.2f} {claim.unit}); for "
                                                      f"{p} it is {official:+,.2f}")
                    return
        self._fail(claim, "wrong_value", f"official {what} {official:+,.2f} {claim.unit} for {p}")

    def _gold_streak(self, claim: Claim) -> None:
        s = self.series("gold.safe.china") if claim.holder_key == "china_mainland" else None
        if s is None:
            self._not(claim, "monthly gold data are held for China only (SAFE)")
            return
        p = self._period(claim, s, "gold")
        if p is None or p not in s.d:
            self._not(claim, f"no gold data for {claim.period}")
            return
        n, censored = self._streak_len(s, p, True)
        self._cite(claim, s, p, n)
        if n >= int(claim.value) and not (censored and n < int(claim.value)) and n == int(claim.value):
            claim.verdict = "supported"
        elif censored and n < int(claim.value):
            self._not(claim, f"partial: every month in the monthly data ({s.values.index[0]}–{p}) rose ({n} "
                             f"additions); earlier months are only quarterly, so the first {int(claim.value) - n} "
                             "cannot be checked")
        else:
            self._fail(claim, "wrong_value", f"{n} consecutive monthly additions to {p}")

    # fiscal --------------------------------------------------------------------------------------------------------
    def _fy(self, claim: Claim, sid: str) -> tuple[Series, pd.Period] | None:
        s = self.series(sid)
        if s is None:
            self._not(claim, f"no series {sid} in the store")
            return None
        if claim.period is None:
            p = self._latest_release(s, "default")
            claim.period = f"FY{p.year}"
            claim.period_note = f"no fiscal year stated: the latest actual at the article's date (FY{p.year})"
        p = self._period(claim, s)
        if p is None or p not in s.d:
            self._not(claim, f"no actual for {claim.period} in {sid}")
            return None
        return s, p

    def _projection(self, claim: Claim, sid: str, sign: float = 1.0) -> bool:
        """A fiscal year with no actual yet: compare with CBO's latest baseline known at the article's date."""
        frame = self._fiscal_year_releases(claim, sid, sign)
        if frame is None:
            return False
        if self.article_date is not None:
            frame = frame[frame["vintage"] <= pd.Timestamp(self.article_date)]
        return self._against_baseline(claim, sid, frame, claim.precision + LEVEL_SLACK, "CBO projects",
                                      lambda v: f"{claim.period} has no actual yet: compared with CBO's projection "
                                                f"of {v}")

    def _cbo_baseline(self, claim: Claim, sid: str, sign: float = 1.0) -> bool:
        """A figure the text gives as CBO's projection ("CBO projected in January 2025 that net interest would total
        $952 billion in fiscal 2025"): against the baseline of the month stated (else the latest known at the
        article's date). False when the store holds no such baseline."""
        frame = self._fiscal_year_releases(claim, sid, sign)
        if frame is None:
            return False
        made = str(claim.extra["cbo_projection"])
        vintages = pd.to_datetime(frame["vintage"])
        if made != "latest":
            frame = frame[vintages.dt.to_period("M") == pd.Period(made, freq="M")]
        elif self.article_date is not None:
            frame = frame[vintages <= pd.Timestamp(self.article_date)]
        # CBO's baseline tables print whole billions
        return self._against_baseline(claim, sid, frame, max(claim.precision + LEVEL_SLACK, 0.5), None,
                                      lambda v: f"stated as CBO's projection: compared with its baseline of {v}")

    def _fiscal_year_releases(self, claim: Claim, sid: str, sign: float = 1.0) -> pd.DataFrame | None:
        """Every release of ``sid``'s figure for the claim's fiscal year (None: no fiscal year, or no such series),
        times ``sign`` (-1: CBO's deficits are negative balances)."""
        if not claim.period or not claim.period.startswith("FY"):
            return None
        try:
            frame = self.store.get(sid, all_vintages=True)
        except DataError:
            return None
        frame = frame[pd.to_datetime(frame["period"]) == pd.Timestamp(f"{claim.period[2:]}-09-30")]
        return frame.assign(value=sign * frame["value"]) if sign != 1.0 else frame

    def _against_baseline(self, claim: Claim, sid: str, frame: pd.DataFrame, tol: float, words: str | None,
                          note: Callable[[str], str]) -> bool:
        """Judge the claim against the newest baseline in ``frame`` (False when it is empty): ``words`` opens the
        mismatch's reason (None: "CBO's baseline of <vintage> projects"), ``note(vintage)`` is the claim's note."""
        if frame.empty:
            return False
        row = frame.sort_values("vintage").iloc[-1]
        official = float(row["value"])
        claim.series, claim.official_period, claim.official_value = sid, claim.period, round(official, 3)
        claim.vintage = f"{pd.Timestamp(row['vintage']):%Y-%m-%d}"
        claim.source = f"{row['source']}: {sid} {claim.period}, baseline of {claim.vintage} (a projection)"
        claim.note = note(claim.vintage)
        opening = words if words is not None else f"CBO's baseline of {claim.vintage} projects"
        if matches(float(claim.value), official, tol, claim.qualifier):
            claim.verdict = "supported"
        else:
            self._fail(claim, "wrong_value", f"{opening} {official:,.1f} for {claim.period}")
        return True

    def _fiscal_level(self, claim: Claim, actual_id: str, projection_id: str, what: str,
                      alternatives: Callable[[Series, pd.Period, float, float], tuple[str, str] | None] | None = None,
                      sign: float = 1.0) -> None:
        """A fiscal-year figure: CBO's latest projection known at the article's date when the year has no actual
        yet, else the fiscal year's actual (``alternatives(s, p, official, tol)``: another reading of a mismatch)."""
        if claim.unit == "USD bn" and _WHOLE_BILLIONS_IN_YI.search(claim.quote):
            # 8800億, 6580亿: CBO prints whole billions, so a whole number of billions written in 億 is its figure
            # translated ("$880 billion"): rounded to the billion, as the English figure is
            claim.precision = max(claim.precision, 0.5)
        if claim.extra.get("cbo_projection") and self._cbo_baseline(claim, projection_id, sign):
            return
        s0 = self.series(actual_id)
        fiscal_year = claim.period is not None and claim.period.startswith("FY")
        not_over = fiscal_year and self.article_date is not None and self.article_date <= date(
            int(str(claim.period)[2:]), 9, 30)  # the year had not ended at the article's date: no outcome known
        no_actual = s0 is not None and fiscal_year and pd.Period(f"{str(claim.period)[2:]}-09", freq="M") not in s0.d
        if no_actual and not not_over and self.article_date is not None:
            # "closed the books on fiscal 2026 …, early tallies put the deficit at $1.83 trillion" (October 2026):
            # the year is over, so the text states its outcome; CBO's projection is not that outcome
            self._not(claim, f"{claim.period} had ended at the article's date, but the year's actual is not yet in "
                             f"the store ({actual_id}): an outcome is not checked against CBO's projection")
            return
        if (s0 is not None and fiscal_year and (not_over or no_actual) and self._projection(claim, projection_id,
                                                                                             sign)):
            if claim.extra.get("stated_as_outcome") and not_over:
                # "Net interest reached $1.04 trillion in fiscal 2026" in March 2026: the year is not over, so no
                # outcome can be observed — a projection stated as the outcome
                claim.note = (f"{claim.period} has not ended at the article's date, so it has no outcome yet: CBO's "
                              f"baseline of {claim.vintage} projects {claim.official_value:,.1f}")
                if claim.verdict == "supported":
                    claim.note += f"; {claim.value:,.0f} is that projection, stated as the outcome"
                    claim.verdict, claim.reason = "contradicted", "projection_as_actual"
            return
        found = self._fy(claim, actual_id)
        if found is None:
            return
        s, p = found
        official = sign * float(s.d[p])
        tol = bound_tol(claim.precision + LEVEL_SLACK, float(claim.value), claim.qualifier)
        self._numeric(claim, official, tol, level=official, years=set(), s=s, period=p, what=what,
                      alternatives=(lambda: alternatives(s, p, official, tol)) if alternatives else None)
        claim.official_period = claim.period

    def _stated_projection(self, claim: Claim, projection_id: str, sign: float = 1.0,
                           ) -> Callable[[Series, pd.Period, float, float], tuple[str, str] | None]:
        """A mismatch with the actual that is one of CBO's projections for the year: ``projection_as_actual``."""
        def projection(s: Series, p: pd.Period, official: float, tol: float) -> tuple[str, str] | None:
            try:
                frame = self.store.get(projection_id, all_vintages=True)
            except DataError:
                return None
            frame = frame[pd.to_datetime(frame["period"]).dt.to_period("M") == p]
            if self.article_date is not None:
                frame = frame[frame["vintage"] <= pd.Timestamp(self.article_date)]
            for _i, row in frame.sort_values("vintage", ascending=False).iterrows():
                # (CBO's baseline tables print whole billions: 9520億 is its 952)
                if abs(float(claim.value) - sign * float(row["value"])) <= max(tol, 0.5):
                    return "projection_as_actual", (f"{claim.value:,.0f} is CBO's projection for {claim.period} from "
                                                    f"the {row['vintage']:%Y-%m} baseline; the actual is "
                                                    f"{official:,.1f}")
            return None

        return projection

    def _net_interest(self, claim: Claim) -> None:
        self._fiscal_level(claim, "cbo.actual.net_interest", "cbo.net_interest", "net interest",
                           self._stated_projection(claim, "cbo.net_interest"))

    def _deficit(self, claim: Claim) -> None:
        """The federal budget's deficit for a fiscal year (CBO's actuals; a year without one: CBO's projection), a
        positive figure: CBO's balances are negative."""
        if claim.period and not claim.period.startswith("FY"):
            self._not(claim, f"a deficit for {claim.period}: the store holds the federal deficit by fiscal year "
                             "(CBO), not by month")
            return
        self._fiscal_level(claim, "cbo.actual.deficit", "cbo.deficit", "deficit",
                           self._stated_projection(claim, "cbo.deficit", -1.0), sign=-1.0)

    def _usgs(self, claim: Claim) -> None:
        """A rare-earth tonnage (mine production or reserves, tonnes of rare-earth oxide) against USGS's Mineral
        Commodity Summaries for the calendar year stated, else the latest year published by the article's date;
        USGS prints rounded estimates, so the figure agrees within its own rounding plus 1 %."""
        sid = str(claim.extra.get("series") or "")
        s = self.series(sid, known_then=True) if self.article_date is not None else self.series(sid)
        if s is None:
            self._not(claim, f"no series {sid} in the store (at the article's date)")
            return
        if claim.period is None:
            p = s.values.index[-1]
            claim.period_note = f"no year stated: USGS's latest year published by the article's date ({p.year})"
        else:
            year = int(str(claim.period)[:4])
            p = pd.Period(f"{year}-12", freq="M")
            if p not in s.d:
                self._not(claim, f"no USGS figure for {year} in {sid} (at the article's date)")
                return
        claim.period = str(p.year)
        official = float(s.d[p])

        def tolerance(figure: float) -> float:  # the claim's rounding plus 1% (USGS prints rounded estimates)
            return claim.precision + 0.01 * abs(figure)

        what = "rare-earth mine production" if claim.measure == "ree_mine_production" else "rare-earth reserves"
        self._numeric(claim, official, tolerance(official), level=official, years=set(), s=s, period=p, what=what)
        claim.official_period = str(p.year)
        if claim.verdict == "contradicted" and claim.reason == "wrong_value":
            # USGS's figure for the year before or after (38萬噸 for 2025's world output when 380,000 t is 2024's)
            for q in (p - 12, p + 12):
                if q in s.d and abs(float(claim.value) - float(s.d[q])) <= tolerance(float(s.d[q])):
                    claim.reason = "wrong_period"
                    claim.note = (f"{claim.note}; " if claim.note else "") + (
                        f"the figure is USGS's for {q.year} ({float(s.d[q]):,.0f} t); for {p.year} it is "
                        f"{official:,.0f} t")
                    break

    def _customs(self, claim: Claim) -> None:
        """Customs duties collected in a fiscal year (CBO's actual revenues; a year without one: CBO's projection)."""
        if claim.period and not claim.period.startswith("FY"):
            self._not(claim, f"customs duties for {claim.period}: the store holds them by fiscal year (CBO), not by "
                             "month")
            return
        self._fiscal_level(claim, "cbo.actual.revenue.customs_duties", "cbo.revenue.customs_duties",
                           "customs duties", self._stated_projection(claim, "cbo.revenue.customs_duties"))

    def _debt_held_by_public(self, claim: Claim) -> None:
        """Debt held by the public at the end of a fiscal year (CBO's actuals; a year without one yet: CBO's latest
        projection known at the article's date). A month other than September is not a fiscal year's end."""
        if claim.period and not claim.period.startswith("FY"):
            if len(claim.period) == 7 and claim.period.endswith("-09"):
                claim.period = f"FY{claim.period[:4]}"
            else:
                self._not(claim, f"debt held by the public in {claim.period}: the store holds it at the end of each "
                                 "fiscal year (CBO), not by month or day")
                return
        self._fiscal_level(claim, "cbo.actual.debt", "cbo.debt", "debt held by the public (end of fiscal year)")

    def _interest_ratio(self, claim: Claim) -> None:
        """Net interest (or debt held by the public, ``debt_pct_gdp``) as a share of GDP or revenue: CBO's actuals
        for the fiscal year, recomputed."""
        numerator = {"debt_pct_gdp": "cbo.actual.debt", "deficit_pct_gdp": "cbo.actual.deficit"}
        found = self._fy(claim, numerator.get(claim.measure or "", "cbo.actual.net_interest"))
        if found is None:
            return
        s, p = found
        denom_id = "cbo.actual.revenue" if claim.measure == "net_interest_pct_revenue" else "cbo.actual.gdp"
        d = self.series(denom_id)
        if d is None or p not in d.d:
            self._not(claim, f"no {denom_id} for {claim.period}")
            return
        official = 100 * abs(float(s.d[p])) / float(d.d[p])  # (a deficit: CBO's balance is negative)
        tol = claim.precision + 0.005
        self._cite(claim, s, claim.period or str(p), round(official, 3))
        claim.source = f"{s.source}: {s.sid} / {denom_id} {claim.period}, recomputed (vintage {s.vintage})"
        if matches(float(claim.value), official, tol, claim.qualifier):
            claim.verdict = "supported"
        else:
            self._fail(claim, "wrong_value", f"{official:.2f}% in {claim.period}")

    def _interest_growth(self, claim: Claim) -> None:
        found = self._fy(claim, "cbo.actual.net_interest")
        if found is None:
            return
        s, p = found
        span = claim.extra.get("growth_years")
        if (not claim.period_start or not claim.period_start.startswith("FY")) and span:
            claim.period_start = f"FY{p.year - int(span)}"  # "from the previous fiscal year", "over three years"
        if not claim.period_start or not claim.period_start.startswith("FY"):
            self._not(claim, "a growth rate without a starting year")
            return
        p0 = pd.Period(f"{claim.period_start[2:]}-09", freq="M")
        if p0 not in s.d or p0 >= p:
            self._not(claim, f"no actual for {claim.period_start}")
            return
        ratio = float(s.d[p] / s.d[p0])
        years = (p - p0).n // 12
        official = 100 * (ratio ** (1 / years) - 1) if claim.measure == "net_interest_cagr_pct" else 100 * (ratio - 1)
        tol = claim.precision + 0.01
        self._cite(claim, s, f"{claim.period_start}..{claim.period}", round(official, 3))
        claim.source = (f"{s.source}: {s.sid} {claim.period_start} {s.d[p0]:,.1f} → {claim.period} "
                        f"{s.d[p]:,.1f}, recomputed (vintage {s.vintage})")
        if matches(float(claim.value), official, tol, claim.qualifier):
            claim.verdict = "supported"
        else:
            self._fail(claim, "wrong_value", f"{official:.1f}% from {claim.period_start} to {claim.period}")

    # yields --------------------------------------------------------------------------------------------------------
    @staticmethod
    def _tenor(claim: Claim) -> tuple[str, str | None] | None:
        """The tenor of a yield figure, ``(daily series, monthly series or None)``: the one named right after it
        ("against 3.81% for the 2-year"), else the one named last before it, else in the sentence, else the one named
        last in the sentence before (noted); None when none is named."""
        before = str(claim.extra.get("text_before") or "")
        named = [(m.end(), daily, monthly) for daily, monthly, pat in TENORS for m in re.finditer(pat, before, re.I)]
        after = str(claim.extra.get("text_after") or "")
        own = [(daily, monthly) for daily, monthly, pat in TENORS
               if re.match(rf"\s*(?:for|on|of|in)\s+(?:the\s+)?(?:{pat})", after, re.I)]
        if own:  # "The 10-year averaged 4.29%, against 3.81% for the 2-year": the tenor the figure is given for
            tenor: tuple[str, str | None] | None = own[0]
        elif named:  # "10年期…4.18%，30年期…4.86%": each figure takes the tenor named last before it
            _end, daily, monthly = max(named)
            tenor = (daily, monthly)
        else:
            tenor = next(((daily, monthly) for daily, monthly, pat in TENORS if re.search(pat, claim.text, re.I)),
                         None)
        prev = str(claim.extra.get("sentence_before") or "")
        if tenor is None and prev:  # a sentence naming no instrument: the tenor named last in the sentence before
            carried = [(m.end(), daily, monthly) for daily, monthly, pat in TENORS
                       for m in re.finditer(pat, prev, re.I)]
            if carried:
                tenor = max(carried)[1:]
                claim.note = ((claim.note + "; ") if claim.note else "") + "tenor carried from the sentence before"
        return tenor

    def _yield(self, claim: Claim) -> None:
        tenor = self._tenor(claim)
        if tenor is None:
            self._not(claim, "a yield without a tenor the store holds (10-year, 2-year, 30-year, 5-year, 3-month)")
            return
        daily, monthly = tenor
        if claim.extra.get("week"):
            self._week_yield(claim, daily)
            return
        if claim.period is None and self.article_date is not None:  # "now": the last quote by the article's date
            try:
                frame = self.store.get(f"fred.{daily}", end=self.article_date)
            except DataError:
                frame = pd.DataFrame()
            if not frame.empty:
                last = pd.Timestamp(frame["period"].iloc[-1])
                claim.period, claim.day = f"{last:%Y-%m}", last.day
                claim.period_note = f"no date stated: the last quote by the article's date ({last:%Y-%m-%d})"
        averaged = False  # compared with the average of a month's daily quotes (the monthly series lacks it)
        if claim.day is not None and claim.period:
            try:
                frame = self.store.get(f"fred.{daily}")
            except DataError:
                frame = pd.DataFrame()
            day = pd.Timestamp(f"{claim.period}-{claim.day:02d}")
            row = frame[pd.to_datetime(frame["period"]) == day] if not frame.empty else frame
            before = claim.extra.get("session_before")
            if before and not frame.empty:  # "the day before": the last quote before the sentence's day (a holiday)
                earlier = frame[pd.to_datetime(frame["period"]) < pd.Timestamp(str(before))]
                row = earlier.iloc[-1:] if not earlier.empty else earlier
                if not row.empty:
                    day = pd.Timestamp(row["period"].iloc[-1])
                    claim.period, claim.day = f"{day:%Y-%m}", day.day
            if row.empty:
                self._not(claim, f"no {daily} quote for {day:%Y-%m-%d}")
                return
            official = float(row["value"].iloc[-1])
            claim.series, claim.official_period, claim.official_value = f"fred.{daily}", f"{day:%Y-%m-%d}", official
            claim.vintage = f"{pd.Timestamp(row['vintage'].iloc[-1]):%Y-%m-%d}"
            claim.source = f"fred: fred.{daily} {day:%Y-%m-%d} (vintage {claim.vintage})"
        elif claim.period and (len(claim.period) == 4 or claim.extra.get("year_end") and claim.period.endswith("-12")) \
                and (yearly := self._whole_year(claim, daily, monthly)) is not None:
            if yearly is False:  # not checkable (the reason given)
                return
            official, tol = yearly
            if matches(float(claim.value), official, tol, claim.qualifier):
                claim.verdict, claim.reason = "supported", claim.note
            else:
                self._fail(claim, "wrong_value", f"official {official:.2f}%")
            return
        else:
            s = self.series(f"fred.{monthly}") if monthly else None
            if s is not None:
                p = self._period(claim, s, "default")
            else:
                p = pd.Period(claim.period, freq="M") if claim.period and len(claim.period) == 7 else None
            averaged = s is None or p is None or p not in s.d
            if averaged:
                average = self._daily_average(claim, daily, monthly, s, p)
                if average is None:
                    return
                official = average
            else:
                official = float(s.d[p])
                self._cite(claim, s, p, official)
                claim.note = "a monthly average: a quote on one day may differ by a few tenths"
        # a month's figure may be any quote of the month (a few tenths from its average), unless the text says it
        # is the average ("averaged 4.27% in February", 2月平均为4.21%): then to its rounding, as for a whole year
        said = claim.day is None and re.search(AVERAGE_WORDS, claim.text, re.I) is not None
        tol = claim.precision + 0.005 + (0.0 if claim.day is not None else 0.01 if said else 0.15)
        if said and not averaged:
            claim.note = "a monthly average, stated as one: checked to its rounding"
        if matches(float(claim.value), official, tol, claim.qualifier):
            claim.verdict = "supported"
            if claim.day is None and averaged:  # say what it was compared with ("average of the 22 daily …")
                claim.reason = claim.note
            return
        if said and not averaged and s is not None and p is not None and claim.qualifier in (None, "approx"):
            # "averaged 3.54% in February" when 3.54 is January's average (February's 3.47): a date error
            known = pd.Period(self.article_date, freq="M") - 1 if self.article_date is not None else p + 2
            for q in (p - 1, p + 1, p - 2, p + 2):
                if q in s.d and q <= known and abs(float(claim.value) - s.d[q]) <= claim.precision + 0.005 + 1e-9:
                    self._fail(claim, "wrong_period", f"{claim.value}% is the average for {q} ({s.d[q]:.2f}%); "
                                                      f"for {p} it is {official:.2f}%")
                    return
        elsewhere = None
        if claim.qualifier in (None, "approx") and not claim.extra.get("round_figure"):
            elsewhere = (self._other_session_level(claim, daily, tol) if claim.day is not None else
                         self._other_month_yield(claim, s, p, tol) if not (said or averaged) and s is not None and
                         p is not None else None)  # a stated average: the months around were tried above
        if elsewhere is not None:
            self._fail(claim, "wrong_period", elsewhere)
            return
        self._fail(claim, "wrong_value", f"official {official:.2f}%")

    def _other_session_level(self, claim: Claim, daily: str, tol: float) -> str | None:
        """A close stated for one day that is, within ``tol`` (the day's own tolerance), the close of a session within
        :data:`NEIGHBOUR_SESSIONS` of it published by the article's date (the nearest such): that session named; None
        otherwise."""
        frame = self._daily_frame(daily)
        days = list(frame["day"])
        stated = pd.Timestamp(str(claim.official_period))
        if stated not in days:
            return None
        i = days.index(stated)
        when = pd.Timestamp(self.article_date) if self.article_date is not None else None
        values = frame["value"].astype(float).to_numpy()
        for k in sorted(range(-NEIGHBOUR_SESSIONS, NEIGHBOUR_SESSIONS + 1), key=lambda k: (abs(k), k)):
            j = i + k
            if k == 0 or j < 0 or j >= len(days) or (when is not None and days[j] > when):
                continue
            if abs(float(claim.value) - values[j]) <= tol + 1e-9:
                return (f"{claim.value}% is the close of {days[j]:%Y-%m-%d}; on {stated:%Y-%m-%d} it was "
                        f"{values[i]:.2f}%")
        return None

    def _other_month_yield(self, claim: Claim, s: Series, p: pd.Period, tol: float) -> str | None:
        """A month's yield that is, within ``tol`` (the month's own tolerance), the average of a month within
        :data:`NEIGHBOUR_MONTHS` of it published by the article's date: that month named; None otherwise."""
        known = pd.Period(self.article_date, freq="M") - 1 if self.article_date is not None else p + NEIGHBOUR_MONTHS
        for k in sorted(range(-NEIGHBOUR_MONTHS, NEIGHBOUR_MONTHS + 1), key=lambda k: (abs(k), k)):
            q = p + k
            if k != 0 and q in s.d and q <= known and abs(float(claim.value) - s.d[q]) <= tol + 1e-9:
                return f"{claim.value}% is the average for {q} ({s.d[q]:.2f}%); for {p} it is {s.d[p]:.2f}%"
        return None

    def _whole_year(self, claim: Claim, daily: str, monthly: str | None) -> tuple[float, float] | bool | None:
        """A yield over a whole year ("averaged 4.3% in 2025", 2025年全年平均): ``(official, tolerance)`` against
        the average of the year's 12 monthly values, or at the year's end ("ended 2025 at", 2025年底) against the
        year's last daily close. False: not checkable (the verdict and reason set); None: no daily quote of the
        year's end, checked against December as any month."""
        year = int(claim.period[:4])
        when = pd.Timestamp(self.article_date) if self.article_date is not None else None
        if claim.extra.get("year_end"):
            return self._year_end_close(claim, daily, year, when)
        s = self.series(f"fred.{monthly}") if monthly else None
        name = s.sid if s is not None else f"fred.{daily}"
        if when is not None and pd.Timestamp(year, 12, 31) >= when:  # the year is not over: never a part of it
            over = [p for p in (s.d if s is not None else ()) if p.year == year and p.end_time < when]
            have = (f"{name} has {len(over)} monthly values of {year} for the months over by then, {over[0]}.."
                    f"{over[-1]} (average "
                    f"{sum(s.d[p] for p in over) / len(over):.2f}%)") if over and s is not None else (
                    f"{name} has no monthly value of {year} by then" if s is not None else
                    f"no monthly series for this tenor ({daily})")
            self._not(claim, f"{year} is not over at the article's date ({when:%Y-%m-%d}): the average of its 12 "
                             f"months is not known; {have}")
            return False
        values, from_daily, vintages = [], [], []
        for month in pd.period_range(f"{year}-01", f"{year}-12", freq="M"):
            if s is not None and month in s.d:
                values.append(float(s.d[month]))
                continue
            part = replace(claim, period=str(month), extra=dict(claim.extra), note=None)
            average = self._daily_average(part, daily, monthly, s, month)  # a month the monthly series lacks
            if average is None:
                self._not(claim, f"the average of {year} needs its 12 months: {part.reason}")
                return False
            values.append(average)
            from_daily.append(str(month))
            vintages.append(str(part.vintage))
        official = sum(values) / 12
        vintage = max(([s.vintage] if s is not None and len(from_daily) < 12 else []) + vintages)
        what = f"average of the 12 monthly values of {year}"
        claim.note = f"{what} ({name})" + (
            f"; each the average of the month's daily fred.{daily} values" if len(from_daily) == 12 else
            f"; {', '.join(from_daily)}: the average of the daily fred.{daily} values" if from_daily else "")
        claim.series, claim.official_period, claim.official_value = name, str(year), round(official, 4)
        claim.vintage = vintage
        claim.source = f"fred: {name} {what} (vintage {vintage})"
        # "averaged 4.3% in 2025" states the average: its rounding (and 0.01 for weighting months, not days);
        # a yield "in 2025" without the word may be any quote of the year, as a month's figure may be
        said = re.search(AVERAGE_WORDS, claim.text, re.I)
        return official, claim.precision + 0.005 + (0.01 if said else 0.15)

    def _year_end_close(self, claim: Claim, daily: str, year: int,
                        when: pd.Timestamp | None) -> tuple[float, float] | bool | None:
        try:
            frame = self.store.get(f"fred.{daily}")
        except DataError:
            frame = pd.DataFrame(columns=["period", "value", "vintage"])
        days = pd.to_datetime(frame["period"])
        inside = frame[days.dt.year == year] if len(frame) else frame
        if inside.empty:  # no daily series for that year: December's monthly average, as any month
            claim.period = f"{year}-12"
            return None
        open_days = pd.bdate_range(f"{year}-12-01", f"{year}-12-31").difference(_federal_holidays(year))
        if when is not None and open_days[-1] >= when:
            self._not(claim, f"{year} is not over at the article's date ({when:%Y-%m-%d}): its last daily close "
                             f"(fred.{daily}) is not known yet")
            return False
        last = pd.Timestamp(inside["period"].iloc[-1])
        if len(open_days[open_days > last]) > 1:
            self._not(claim, f"fred.{daily} has no close of the last sessions of {year} (its last value of {year} "
                             f"is on {last:%Y-%m-%d})")
            return False
        official = float(inside["value"].iloc[-1])
        claim.series, claim.official_period, claim.official_value = f"fred.{daily}", f"{last:%Y-%m-%d}", official
        claim.vintage = f"{pd.Timestamp(inside['vintage'].iloc[-1]):%Y-%m-%d}"
        claim.note = f"the year's end: the last daily close of {year} (fred.{daily} {last:%Y-%m-%d})"
        claim.source = f"fred: fred.{daily} {last:%Y-%m-%d}, the last daily close of {year} (vintage {claim.vintage})"
        return official, claim.precision + 0.005

    def _daily_average(self, claim: Claim, daily: str, monthly: str | None, s: Series | None,
                       p: pd.Period | None) -> float | None:
        """The average of the daily quotes of month ``p`` (cited), for a month the monthly series lacks; None (and a
        not_checkable verdict naming the daily series) when they do not cover the whole month by the article's date
        (a month not over then, the store's last days, a gap) or the monthly series is not their average."""
        missing = f"no data for {claim.period} in {s.sid}" if s is not None else (
            f"no monthly series for this tenor ({daily})")
        if p is None or len(str(claim.period or "")) != 7 or (monthly is not None and monthly not in DAILY_AVERAGE_OF):
            if p is not None and monthly is not None and monthly not in DAILY_AVERAGE_OF:
                missing += f" (the daily fred.{daily} is on another basis than {s.sid if s else monthly}: not averaged)"
            self._not(claim, missing)
            return None
        start, end = p.start_time, p.end_time.normalize()
        when = pd.Timestamp(self.article_date) if self.article_date is not None else None
        if when is not None and start > when:  # a month after the article: a projection, never hindsight
            self._not(claim, missing)
            return None
        try:
            frame = self.store.get(f"fred.{daily}")
        except DataError:
            frame = pd.DataFrame(columns=["period", "value", "vintage"])
        days = pd.to_datetime(frame["period"])
        month = frame[(days >= start) & (days <= end)]
        got = pd.DatetimeIndex(pd.to_datetime(month["period"]))
        if when is not None and end >= when:
            known = month[got <= when]
            seen = pd.DatetimeIndex(pd.to_datetime(known["period"]))
            have = (f"fred.{daily} has {len(known)} daily values of {p} by then, {seen.min():%Y-%m-%d}.."
                    f"{seen.max():%Y-%m-%d} (average {known['value'].astype(float).mean():.2f}%)") if len(known) else (
                    f"fred.{daily} has no daily value of {p} by then")
            self._not(claim, f"{missing}; {p} is not over at the article's date ({when:%Y-%m-%d}): {have}")
            return None
        open_days = pd.bdate_range(start, end).difference(_federal_holidays(p.year))
        lacking = open_days.difference(got)
        if got.empty or days.min() > open_days[0] or days.max() < open_days[-1] or len(lacking) > MISSING_QUOTES:
            span = f", {got.min():%Y-%m-%d}..{got.max():%Y-%m-%d}" if len(got) else ""
            self._not(claim, f"{missing}; fred.{daily} does not cover all of {p} ({len(got)} daily values{span})")
            return None
        official = float(month["value"].astype(float).mean())
        why = (f"the monthly {s.sid} ends {s.values.index[-1]}" if s is not None and p > s.values.index[-1] else
               f"the monthly {s.sid} has no {p}" if s is not None else "no monthly series for this tenor")
        claim.note = f"average of the {len(month)} daily fred.{daily} values of {p} ({why})"
        claim.series, claim.official_period, claim.official_value = f"fred.{daily}", str(p), round(official, 4)
        claim.vintage = f"{pd.Timestamp(month['vintage'].max()):%Y-%m-%d}"
        claim.source = f"fred: {claim.note} (vintage {claim.vintage})"
        return official

    def _week_yield(self, claim: Claim, daily: str) -> None:
        """A yield quoted in a week ("last week", 上周, "earlier this week"): supported when it is one of that
        week's daily closes (within its rounding), contradicted with the week's range otherwise."""
        start, end = (pd.Timestamp(x) for x in claim.extra["week"])
        try:
            frame = self.store.get(f"fred.{daily}")
        except DataError:
            frame = pd.DataFrame()
        days = pd.to_datetime(frame["period"]) if not frame.empty else pd.Series(dtype="datetime64[ns]")
        week = frame[(days >= start) & (days <= end)] if not frame.empty else frame
        if week.empty:
            self._not(claim, f"no {daily} quote from {start:%Y-%m-%d} to {end:%Y-%m-%d}")
            return
        closes = week["value"].astype(float).to_numpy()
        value = float(claim.value)
        nearest = min(range(len(closes)), key=lambda i: abs(closes[i] - value))
        official = float(closes[nearest])
        claim.series, claim.official_value = f"fred.{daily}", official
        claim.official_period = f"{pd.Timestamp(week['period'].iloc[nearest]):%Y-%m-%d}"
        claim.vintage = f"{pd.Timestamp(week['vintage'].max()):%Y-%m-%d}"
        claim.source = f"fred: fred.{daily} {start:%Y-%m-%d}..{end:%Y-%m-%d} daily closes (vintage {claim.vintage})"
        tol = claim.precision + 0.005
        if any(matches(value, float(c), tol, claim.qualifier) for c in closes):
            claim.verdict = "supported"
            claim.note = f"the close of {claim.official_period}"
        else:
            self._fail(claim, "wrong_value", f"the {daily} closes from {start:%Y-%m-%d} to {end:%Y-%m-%d} ranged "
                                             f"{closes.min():.2f}%–{closes.max():.2f}%")

    # yield moves in basis points ----------------------------------------------------------------------------------
    def _daily_frame(self, daily: str) -> pd.DataFrame:
        """The daily series ``fred.<daily>`` with its dates parsed (``day``), empty when the store lacks it."""
        key = f"daily|{daily}"
        if key not in self._frames:
            try:
                frame = self.store.get(f"fred.{daily}")
            except DataError:
                frame = pd.DataFrame(columns=["period", "value", "vintage"])
            frame = frame.assign(day=pd.to_datetime(frame["period"])).sort_values("day").reset_index(drop=True)
            self._frames[key] = frame
        return self._frames[key]

    def _move_point(self, point: dict[str, str], daily: str, monthly: str | None) -> tuple[str, float] | str:
        """One end of a move: ``(label, yield in %)`` from the store, or the reason it has none. ``point`` is
        ``{"day": D}`` (that day's close), ``{"before": D}`` (the last close before D), ``{"on_or_before": D}``,
        ``{"latest": …}`` (the last close by the article's date) or ``{"month": M}`` (the month's average)."""
        kind, value = next(iter(point.items()))
        when = pd.Timestamp(self.article_date) if self.article_date is not None else None
        if kind == "month":
            s = self.series(f"fred.{monthly}") if monthly else None
            p = pd.Period(value, freq="M")
            if s is None or p not in s.d or (when is not None and p.end_time > when):
                return f"no monthly average of {daily} for {value} by the article's date"
            return f"{p} average ({s.sid})", float(s.d[p])
        frame = self._daily_frame(daily)
        days = frame["day"]
        if kind == "latest":
            if when is None:
                return "no article date: the move's end is not known"
            kind, value = "on_or_before", f"{when:%Y-%m-%d}"
        day = pd.Timestamp(value)
        if when is not None and day > when and kind != "before":
            return f"{value} is after the article's date"
        rows = frame[days == day] if kind == "day" else frame[days < day] if kind == "before" else frame[days <= day]
        if rows.empty or (kind != "day" and (day - rows["day"].iloc[-1]).days > 7):
            return f"no fred.{daily} close for {value}"
        return f"{rows['day'].iloc[-1]:%Y-%m-%d}", float(rows["value"].iloc[-1])

    def _yield_move(self, claim: Claim) -> None:
        """A yield's move in basis points (``extra``: ``move_from``, ``move_to``, see
        :func:`geostress.analytics.claims.moves.yield_move_claims`) against the store's closes (or monthly averages)
        at its two ends: supported within the figure's rounding plus :data:`MOVE_SLACK_BP` (2 bp for a whole number of
        basis points: the article's closes may be another source's); ``wrong_period`` when it is, within the same
        tolerance, the move of a session within :data:`NEIGHBOUR_SESSIONS` of the stated one (a one-session move
        only), else ``wrong_value``."""
        tenor = self._tenor(claim)
        if tenor is None:
            self._not(claim, "a yield's move without a tenor the store holds (10-year, 2-year, 30-year, 5-year, "
                             "3-month)")
            return
        daily, monthly = tenor
        ends = [self._move_point(claim.extra[k], daily, monthly) for k in ("move_from", "move_to")]
        missing = [e for e in ends if isinstance(e, str)]
        if missing:
            self._not(claim, f"a yield's move: {missing[0]}")
            return
        (label0, v0), (label1, v1) = ends  # type: ignore[misc]
        official = round(100 * (v1 - v0), 2)
        tol = claim.precision + MOVE_SLACK_BP
        monthly_ends = "average" in label0
        claim.series = f"fred.{monthly}" if monthly_ends else f"fred.{daily}"
        claim.official_value, claim.official_period = official, f"{label0}..{label1}"
        claim.period_start = label0
        claim.vintage = self._vintage_of(claim.series)
        claim.source = (f"fred: {claim.series} {label0} {v0:.2f}% → {label1} {v1:.2f}%, {official:+.0f} bp "
                        f"(vintage {claim.vintage})")
        sign = int(claim.extra.get("direction") or 0)
        value = float(claim.value)
        if matches(value if sign else abs(value), official if sign else abs(official), tol, claim.qualifier):
            claim.verdict = "supported"
            if not sign:
                claim.note = "no direction stated: the size of the move is checked"
            return
        if sign and value * official < 0 and matches(abs(value), abs(official), tol, claim.qualifier):
            self._fail(claim, "wrong_value", f"the yield moved the other way: {official:+.0f} bp")
            return
        elsewhere = self._other_session_move(claim, daily, label0, label1, value if sign else None, tol)
        if elsewhere is not None:
            self._fail(claim, "wrong_period", elsewhere)
            return
        self._fail(claim, "wrong_value", f"the official move is {official:+.0f} bp ({v0:.2f}% → {v1:.2f}%)")

    def _vintage_of(self, sid: str) -> str | None:
        """The vintage a move was read at: the monthly series' (``fred.gs*``, ``fred.tb*``), or the newest of the
        daily series' releases."""
        if sid.startswith("fred.gs") or sid.startswith("fred.tb"):
            s = self.series(sid)
            return s.vintage if s is not None else None
        frame = self._daily_frame(sid.split(".", 1)[1])
        return f"{pd.Timestamp(frame['vintage'].max()):%Y-%m-%d}" if len(frame) else None

    def _other_session_move(self, claim: Claim, daily: str, label0: str, label1: str, signed: float | None,
                            tol: float) -> str | None:
        """For a one-session move (its two ends consecutive closes): the nearest session within
        :data:`NEIGHBOUR_SESSIONS` of the stated one, published by the article's date, whose move is the stated one
        (within ``tol``; its size only when no direction is stated); None otherwise."""
        frame = self._daily_frame(daily)
        days = list(frame["day"])
        try:
            i0, i1 = days.index(pd.Timestamp(label0)), days.index(pd.Timestamp(label1))
        except ValueError:
            return None
        if i1 != i0 + 1:
            return None
        values = frame["value"].astype(float).to_numpy()
        when = pd.Timestamp(self.article_date) if self.article_date is not None else None
        for k in sorted(range(-NEIGHBOUR_SESSIONS, NEIGHBOUR_SESSIONS + 1), key=lambda k: (abs(k), k)):
            j = i1 + k
            if k == 0 or j < 1 or j >= len(days) or (when is not None and days[j] > when):
                continue
            move = round(100 * (values[j] - values[j - 1]), 2)
            stated = signed if signed is not None else abs(float(claim.value))
            if matches(stated, move if signed is not None else abs(move), tol, claim.qualifier):
                return (f"{move:+.0f} bp is the move of {days[j]:%Y-%m-%d} ({values[j - 1]:.2f}% → {values[j]:.2f}%); "
                        f"on {label1} it was {100 * (values[i1] - values[i0]):+.0f} bp")
        return None


def check_claims(claims: Iterable[Claim], store: Store | None = None, *,
                 article_date: date | None = None) -> list[Claim]:
    """Check every claim (see :class:`Checker`)."""
    checker = Checker(store, article_date=article_date)
    return list(checker.check_all(claims))


def _check_text_arguments(text: object, lang: object) -> None:
    """Refuse a ``text`` that is not a str and a ``lang`` that is not auto, zh or en (InputError naming it)."""
    from geostress.analytics.claims.reading import InputError

    if not isinstance(text, str):
        hint = " (decode bytes first, e.g. text.decode('utf-8'), or use geostress.analytics.claims.reading." \
               "read_article for a file)" if isinstance(text, bytes | bytearray) else ""
        raise InputError(f"text must be a str, not {type(text).__name__}{hint}", parameter="text")
    if not isinstance(lang, str) or lang not in ("auto", "zh", "en"):
        raise InputError(f"lang must be 'auto', 'zh' or 'en', not {lang!r}", parameter="lang")


def _article_date(value: object) -> date | None:
    """``check_text``'s ``article_date`` as a date: a date, datetime, pandas Timestamp, numpy datetime64 or text
    ``YYYY-MM-DD`` (the command line's ``--date``); ``None`` passes through; anything else is an InputError naming
    ``article_date`` (never silently ignored)."""
    import numpy as np

    from geostress.analytics.claims.reading import InputError
    from geostress.data.store import period_bound

    if value is None:
        return None
    if isinstance(value, str):
        from geostress.analytics.claims.dates import parse_iso_date

        try:
            return parse_iso_date(value.strip())
        except ValueError:
            raise InputError(f"article_date={value[:40]!r} is not a date; give it as YYYY-MM-DD (or a date, "
                             "datetime or pandas Timestamp)", parameter="article_date") from None
    if isinstance(value, date | pd.Timestamp | np.datetime64) or value is pd.NaT:
        try:
            day = period_bound(value, "article_date")
        except DataError:
            day = None
        if day is not None and not pd.isna(day):  # pd.NaT is a datetime whose .date() is NaT
            return day
        raise InputError(f"article_date={value!r} is not a date (NaT); give a date, datetime, pandas Timestamp "
                         "or YYYY-MM-DD text, or None to read it from the text", parameter="article_date")
    raise InputError(f"article_date must be a date, datetime, pandas Timestamp or YYYY-MM-DD text, not "
                     f"{type(value).__name__} ({str(value)[:40]!r})", parameter="article_date")


def check_text(text: str, store: Store | None = None, *, article_date: date | str | None = None, lang: str = "auto",
               checker: Checker | None = None) -> tuple[list[Claim], date | None]:
    """Extract and check every claim of one article: ``(claims, article date used)``.

    The article's date is ``article_date``, else a dateline or full date near the top of the text, else unknown
    (relative months then stay unresolved and a missing period is compared with the latest data, flagged).
    """
    from geostress.analytics.claims.dates import find_article_date
    from geostress.analytics.claims.extract import extract_claims

    _check_text_arguments(text, lang)
    when = _article_date(article_date) or find_article_date(text)
    if checker is None:
        checker = Checker(store, article_date=when)
    checker.set_article_date(when)
    claims = list(checker.check_all(extract_claims(text, lang=lang, article_date=when)))
    if when is None:
        for c in claims:
            if c.period is None or (c.period_note and "no year" in c.period_note):
                c.note = ((c.note + "; ") if c.note else "") + "article date unknown (give --date)"
    return claims, when
