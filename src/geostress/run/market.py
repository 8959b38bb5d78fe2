"""The price-impact block on its own: what a sale does at a date (``geostress market impact``), what history's
flows give against the ACM term premium (``geostress market replay``), and the published-figure experiments of
``geostress validate`` (MARKET_EVIDENCE.md §4).

Parameter uncertainty: ``draws`` paths, each with its own draw of :class:`~geostress.model.market.MarketPriors`
(those of a coupled run's first paths with the same seed, :func:`draws_for`); headlines are medians with 5th and
95th percentiles over the draws.

References
----------
Adrian, T., Crump, R. K. and Moench, E. (2013), "Pricing the Term Structure with Linear Regressions", *Journal of
Financial Economics* 110(1), 110–138 (the ACM term premium, FRBNY).
MARKET_EVIDENCE.md (../shared/reference): the published figures each experiment is held to.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geostress.errors import DataError, LimitError, ScenarioError
from geostress.model import market as mk
from geostress.run.limits import MAX_MARKET_DRAWS
from geostress.util.jsonable import jsonable

if TYPE_CHECKING:
    from geostress.calibrate.market import MarketAt
    from geostress.data.store import Store

#: Longest duration, years, ``market replay --duration-years`` takes (a 30-year bond's modified duration is ≈20).
MAX_REPLAY_DURATION_YEARS = 20.0
#: Flow kinds a replay can feed, and the columns of :func:`geostress.calibrate.market.replay_flows` they read.
REPLAY_FLOWS: dict[str, tuple[str, str]] = {
    "fed": ("fed_purchases", "fed_purchases"),
    "foreign_official": ("foreign_official", "official"),
    "foreign_private": ("foreign_private", "foreign_private"),
    "supply": ("supply_smoothed", "supply"),
}
QUANTILES = (0.05, 0.5, 0.95)
#: MARKET_EVIDENCE.md §3's scores for a replay [judgement]: the slope of observed on modelled 3-month changes
#: within this band, the ratio of 12-month SDs (modelled / observed) at most the bound.
REPLAY_SLOPE_BAND = (0.5, 1.5)
REPLAY_SD_RATIO_MAX = 1.0
#: Fewest months of a window whose scores are judged against those bands: three years give 33 overlapping 3-month
#: and 25 overlapping 12-month changes (a shorter window's scores are printed, not judged).
REPLAY_JUDGED_MONTHS = 36
#: Fewest parameter draws whose 5–95% range is not read between the two most extreme draws at either end: the 5th
#: percentile of K sorted draws lies at position 0.05·(K − 1), at or beyond the second-smallest draw from K = 21 on
#: (the 95th likewise). Below it ``market impact`` says so (:attr:`ImpactResult.range_note`).
MIN_RANGE_DRAWS = 21
#: The FIMA repo facility opened on 31 March 2020 (MARKET_EVIDENCE.md §2); the backstop is calibrated to that month.
FIMA_REPO_OPENED = date(2020, 3, 31)
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
DEFAULT_SEED = 20260201
#: A replay withholds its scores (modelled change, slope, its s.e., correlation, SD ratio) when a chosen flow is
#: missing (set to zero) in more than this share of the window's months [judgement]: the model then runs without
#: that flow for much of the window. The whole-window replay of ``geostress validate`` (2000–2025) misses the
#: Fed's flow in 36 of 312 months (11.5%, before TREAST starts in December 2002, when the Fed's holdings changed
#: little) and keeps its scores.
MAX_MISSING_SHARE = 0.2


def draws_for(n: int, seed: int = DEFAULT_SEED, stabilisers: mk.Stabilisers | None = None,
              priors: mk.MarketPriors | None = None) -> mk.MarketParams:
    """``n`` parameter draws (``n`` = 0: the prior medians, one path): the draws of paths 0 … n − 1 of a coupled
    run with this seed (:func:`geostress.run.seeding.draw_market`, per block of paths from ``SeedSequence``), so
    more draws extend fewer (the first 100 of 1,000 are the 100) and ``geostress run`` with the same seed and
    priors draws the same market parameters."""
    from geostress.run.seeding import draw_market

    if n < 0:
        raise ScenarioError(f"draws={n} must not be negative", parameter="draws")
    if n > MAX_MARKET_DRAWS:
        raise LimitError(f"draws={n:,} is over the limit of {MAX_MARKET_DRAWS:,} parameter draws (memory grows with "
                         "draws × months; docs/cli.md, Limits): ask for fewer, or pool runs with different seeds",
                         parameter="draws")
    priors = priors or mk.MarketPriors()
    stabilisers = stabilisers or mk.Stabilisers()
    if n == 0:
        return priors.medians(stabilisers)
    return draw_market(priors, stabilisers, seed, 0, n)


def _quantiles(values: np.ndarray) -> dict[str, float]:
    q = np.quantile(values, QUANTILES)
    return {"p05": float(q[0]), "median": float(q[1]), "p95": float(q[2])}


# -- impact -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seller:
    """Who sells: the absorption class, the most it can sell and how the name was resolved."""

    name: str
    kind: str  # "official" | "private"
    holdings_bn: float
    description: str


#: The holder groups ``--holder`` prices as a whole (besides countries and sectors; ``official`` and ``domestic``
#: are short names), what each is, and the sector groups (:attr:`geostress.model.market.SectorSpec.group`) it is
#: made of: the one table of :func:`resolve_seller` and of a scenario's sale checks
#: (:func:`geostress.run.coupled.sale_sector`, which names a group's sectors, as a scenario sells sectors).
GROUP_SECTORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "foreign_official": ("all foreign official holders", ("foreign_official",)),
    "official": ("all foreign official holders", ("foreign_official",)),
    "private": ("all private holders, foreign and domestic", ("foreign_private", "domestic")),
    "foreign_private": ("all foreign private holders", ("foreign_private",)),
    "domestic_private": ("all domestic private holders", ("domestic",)),
    "domestic": ("all domestic private holders", ("domestic",)),
}


def resolve_seller(market: MarketAt, holder: str) -> Seller:
    """``foreign_official``, ``private``, a holder sector (e.g. ``japan_official``) or any TIC country at the date
    (selling from its official holdings; TIC's spellings and common names: ``China``, ``UK``, ``South Korea``).

    Names are read by :func:`_holder_key`: case, spaces and hyphens do not matter (``Foreign-Official``,
    ``japan-official`` and ``china-mainland`` are ``foreign_official``, ``japan_official`` and ``china_mainland``).
    """
    h = market.holders
    key = _holder_key(holder)
    if key in ("foreign_official", "official"):
        return Seller(key, "official", h.foreign_official, "all foreign official holders (TIC)")
    if key in ("private", "foreign_private", "domestic_private"):
        # each sells at most what its own sectors hold: ``private`` both groups, the others their own
        groups = GROUP_SECTORS[key][1]
        held = sum(s.holdings for s in h.sectors if s.group in groups)
        who = {"private": "private investors", "foreign_private": "foreign private investors (TIC)",
               "domestic_private": "domestic private investors (Financial Accounts sectors)"}[key]
        return Seller(key, "private", float(held), f"{who} (a private-to-private sale: flow effect only)")
    names = {s.name: s for s in h.sectors}
    if key in names:
        sector = names[key]
        kind = {"foreign_official": "official", "fed": "fed"}.get(sector.group, "private")
        return Seller(key, kind, float(sector.holdings), sector.source)
    key = market.country_key(holder)
    held = market.official_holdings(key)
    total = market.tic_countries.get(key, 0.0)
    share = f" {held / total:.0%}" if total > 0 else ""
    return Seller(key, "official", held, f"TIC {market.tic_month:%b-%Y}, {key}, official share{share} [assumption]")


@dataclass(frozen=True)
class ImpactResult:
    """What a sale does (bp of the 10-year term premium; quantiles over parameter draws).

    The quantile dicts have the keys ``p05``, ``median`` and ``p95``; :meth:`to_json` gives them ``geostress run``'s
    names (``peak`` → ``peak_10y_change_bp``, ``_p05``, ``_p95``).

    Attributes
    ----------
    holder, description
        The seller's name (a TIC country slug, a holder group or a sector) and where its holdings come from.
    amount_bn, months
        USD bn sold in all, spread evenly over this many months (:attr:`amount_pp_gdp`: the amount in pp of GDP).
    at, gdp_bn
        The market's date and its nominal GDP (USD bn, annual rate).
    backstop, motive
        Whether the Fed's backstop ran, and why an official holder sells (``diversification``, ``liquidity``).
    liquidity_stress
        The market's liquidity stress in the sale's months (0 orderly, 1 a dash for cash).
    draws, seed
        Parameter draws (0: one path at the prior medians) and their seed (None with 0).
    persistent_month
        The month (1-based) the persistent effect is read.
    peak, persistent, stock_effect
        Quantiles over the draws, bp: each draw's highest month, the premium at :attr:`persistent_month`, and its
        persistent (stock) part alone then.
    path
        Month (1-based) and the 10-year term-premium change's ``p05``, ``median``, ``p95`` that month, bp.
    samples
        Per draw (arrays): ``peak``, ``persistent``.
    params
        The drawn :class:`geostress.model.market.MarketParams`.
    outside_evidence
        Why the figures extrapolate (a sale faster than :data:`EVIDENCE_MAX_FLOW_PP_GDP`, backstop purchases above
        the largest on record: :func:`evidence_warnings`, "; "-joined), or None.
    backstop_off
        With the backstop on, the same draws without it: ``peak``, ``persistent``, ``stock`` quantiles; else None.
    backstop_bn, fima_bn
        Quantiles of what the backstop bought and what the FIMA repo financed instead of sold, USD bn.
    """

    holder: str
    description: str
    amount_bn: float
    months: int
    at: date
    gdp_bn: float
    backstop: bool
    draws: int  # 0: the prior medians (one path: its 5th and 95th percentiles are the median, and to_json drops them)
    persistent_month: int
    peak: dict[str, float]
    persistent: dict[str, float]
    path: pd.DataFrame  # month, p05, median, p95 (10y term premium, bp)
    samples: dict[str, np.ndarray]  # per draw: peak, persistent
    params: mk.MarketParams
    motive: str = "diversification"  # of an official sale: diversification or liquidity (mk.MOTIVES)
    seed: int | None = DEFAULT_SEED  # of the parameter draws; None with draws 0 (the prior medians: nothing drawn)
    #: why the figures lie outside the block's evidence (a sale faster than :data:`EVIDENCE_MAX_FLOW_PP_GDP`), or None
    outside_evidence: str | None = None
    #: with the backstop on, the same draws with it off (``peak``, ``persistent``, ``stock``: quantiles as
    #: :attr:`peak`), so the two read side by side as ``geostress run``'s; None with the backstop off
    backstop_off: dict[str, dict[str, float]] | None = None
    #: quantiles over the draws of what the backstop bought and what the FIMA repo financed (USD bn, not sold)
    backstop_bn: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("p05", "median", "p95"), 0.0))
    fima_bn: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("p05", "median", "p95"), 0.0))
    #: the persistent (stock) effect alone at :attr:`persistent_month` (quantiles): ``persistent`` is the whole
    #: term premium then, the flow effect still fading in it (slow draws of the flow half-life keep more of it)
    stock_effect: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("p05", "median", "p95"), 0.0))
    #: the FIMA repo facility (it finances a share of a liquidity-motivated official sale; a diversification sale
    #: never uses it): off prices a sale at a market before 31 March 2020 as it was then
    fima: bool = True
    #: the market's liquidity stress in the sale's months, 0 (orderly selling) to 1 (a market-wide dash for cash)
    liquidity_stress: float = 0.0

    @property
    def amount_pp_gdp(self) -> float:
        """The amount sold in pp of the market date's GDP (the unit of the published range: bp per pp of GDP)."""
        return 100.0 * self.amount_bn / self.gdp_bn

    @property
    def range_note(self) -> str | None:
        """Why the 5–95% range is rough (fewer than :data:`MIN_RANGE_DRAWS` draws), or None (enough draws, or one
        path: no range)."""
        if not 1 < self.draws < MIN_RANGE_DRAWS:
            return None
        return (f"a 5–95% range from {self.draws} draws is read between the smallest draws and between the largest; "
                "a range to quote needs a few hundred draws (the default is 1,000)")

    @property
    def stabilisers_note(self) -> str | None:
        """At a market date before the stabilisers existed, that they act as they would today (None otherwise)."""
        fima = self.motive == "liquidity" and self.fima
        if self.at >= FIMA_REPO_OPENED or not (self.backstop or fima):
            return None
        which = " and ".join([*(["the backstop (calibrated to March 2020)"] if self.backstop else []),
                              *(["the FIMA repo (opened 31 March 2020)"] if fima else [])])
        both = self.backstop and fima
        off = " and ".join([*(["--backstop off"] if self.backstop else []), *(["--fima off"] if fima else [])])
        return (f"{which} {'act' if both else 'acts'} at the market of {self.at:%b %Y} as "
                f"{'they' if both else 'it'} would today; {off} prices the sale without "
                f"{'them' if both else 'it'}")

    def to_json(self) -> dict[str, Any]:
        """JSON of the result; a run of one path (``draws`` 1, or 0: the prior medians) has no range: its figures
        have no ``_p05``/``_p95`` keys and the path's months no ``p05``/``p95`` (as ``geostress run`` of one path)."""
        out: dict[str, Any] = {
            "holder": self.holder, "description": self.description, "amount_bn": self.amount_bn,
            "amount_pp_gdp": self.amount_pp_gdp, "months": self.months,
            "motive": self.motive,
            "at": self.at.isoformat(), "gdp_bn": self.gdp_bn, "backstop": "on" if self.backstop else "off",
            "fima": "on" if self.fima else "off", "liquidity_stress": self.liquidity_stress,
            "draws": self.draws, "seed": self.seed, "gdp_growth_per_year": IMPACT_GDP_GROWTH,
            "outside_evidence": self.outside_evidence,
            "range_note": self.range_note, "stabilisers_note": self.stabilisers_note,
            # (the quantity of ``geostress run``'s keys of the same name; there the fiscal engine's policy rule, the
            # monetary offset, acts on the run's yields and interest, not on these figures)
            "measure": "10-year term premium, bp (the market block; as geostress run's keys of the same name)",
            "peak_10y_change_bp": self.peak["median"], "peak_10y_change_bp_p05": self.peak["p05"],
            "peak_10y_change_bp_p95": self.peak["p95"],
            "persistent_10y_change_bp": self.persistent["median"],
            "persistent_10y_change_bp_p05": self.persistent["p05"],
            "persistent_10y_change_bp_p95": self.persistent["p95"],
            "persistent_month": self.persistent_month,
            "stock_effect_10y_bp": self.stock_effect["median"], "stock_effect_10y_bp_p05": self.stock_effect["p05"],
            "stock_effect_10y_bp_p95": self.stock_effect["p95"],
            **self._backstop_off_keys(),
            "backstop_bn_median": self.backstop_bn["median"], "backstop_bn_p05": self.backstop_bn["p05"],
            "backstop_bn_p95": self.backstop_bn["p95"], "fima_bn_median": self.fima_bn["median"],
            "fima_bn_p05": self.fima_bn["p05"], "fima_bn_p95": self.fima_bn["p95"],
            "path": [{"month": int(r.month), "p05": float(r.p05), "median": float(r.median), "p95": float(r.p95)}
                     for r in self.path.itertuples()],
        }  # fmt: skip
        if self.draws <= 1:  # one path: a value, no range (as geostress run's figures of a one-path run)
            out = {k: v for k, v in out.items() if not k.endswith(("_p05", "_p95"))}
            out["path"] = [{"month": r["month"], "median": r["median"]} for r in out["path"]]
        return out

    def _backstop_off_keys(self) -> dict[str, float]:
        """``geostress run``'s ``…_backstop_off`` keys (and their ``_p05``/``_p95``) when the backstop is on."""
        if self.backstop_off is None:
            return {}
        out = {}
        for name, figure in (("peak", "peak_10y_change_bp"), ("persistent", "persistent_10y_change_bp"),
                             ("stock", "stock_effect_10y_bp")):
            key, q = f"{figure}_backstop_off", self.backstop_off[name]
            out |= {key: q["median"], f"{key}_p05": q["p05"], f"{key}_p95": q["p95"]}
        return out


_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def _month(value: str | date, option: str, example: str, parameter: str) -> pd.Period:
    """The month of ``value``: ``YYYY-MM`` or ``YYYY-MM-DD`` (any year, so that a caller can say the month lies
    outside the store rather than fail on it), or a date.

    Raises
    ------
    ScenarioError
        Naming ``option`` (its ``parameter``, the Python name), when ``value`` is not a date in that format.
    """
    if isinstance(value, date):  # datetime and pandas' Timestamp included
        return pd.Period(year=value.year, month=value.month, freq="M")
    found = _DATE.fullmatch(str(value).strip())
    if not found:
        raise ScenarioError(f"{option} {value!r} is not a month: use YYYY-MM (or YYYY-MM-DD), e.g. {example}",
                            parameter=parameter, usage=True)
    year, month, day = int(found[1]), int(found[2]), int(found[3] or 1)
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(max(year, 1), month)[1]):
        raise ScenarioError(f"{option} {value!r} is not a date: use YYYY-MM (or YYYY-MM-DD), e.g. {example}",
                            parameter=parameter, usage=True)
    return pd.Period(year=year, month=month, freq="M")


def _coverage(store: Store, series: Sequence[str]) -> dict[str, tuple[date, date]]:
    """First and last observation of each of ``series`` (the store's catalog, one query; a :class:`DataError` for
    a series it does not hold: :func:`geostress.calibrate.market.catalog_of`)."""
    from geostress.calibrate.market import catalog_of

    catalog = catalog_of(store, series)
    return {s: (catalog.at[s, "start"].date(), catalog.at[s, "end"].date()) for s in series}


def _check_at(store: Store, at: str | date) -> pd.Period:
    """``impact``'s ``--at`` as a month (:func:`_month`; a day names its month, read at the month's end as TIC's
    holdings are) within :func:`geostress.calibrate.market.priced_months`; a :class:`DataError` naming the option
    and those months otherwise."""
    from geostress.calibrate.market import in_store_words, priced_months

    month = _month(at, "--at", "2013-11", "at")
    months = priced_months(store)
    if month < months.first:
        raise DataError(f"--at {at} is before {months.first:%Y-%m}, the first month the market can be priced at "
                        f"({months.latest_series} starts on {months.latest_start}): {months.choose()}",
                        parameter="at")
    if month > months.last:
        raise DataError(f"--at {at} is after TIC's last month {in_store_words(store)} ({months.last:%Y-%m}), the "
                        f"last month the market can be priced at: {months.choose()}", parameter="at")
    return month


def replay_months(store: Store) -> tuple[pd.Period, pd.Period]:
    """The months a replay's ``--from`` and ``--to`` may name: the ACM term premium's, less its first (the replay
    measures changes from the end of the month before the window)."""
    first, last = _coverage(store, ["acm.tp10"])["acm.tp10"]
    return pd.Timestamp(first).to_period("M") + 1, pd.Timestamp(last).to_period("M")


def _spans(months: Sequence[pd.Period], most: int = 4) -> str:
    """Runs of consecutive months as text: ``2007-01 to 2018-12, 2020-03``."""
    runs: list[tuple[pd.Period, pd.Period]] = []
    for month in sorted(set(months)):
        if runs and month == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    text = ", ".join(f"{a:%Y-%m} to {b:%Y-%m}" if a != b else f"{a:%Y-%m}" for a, b in runs[:most])
    return text + (f" and {len(runs) - most} more spans" if len(runs) > most else "")


#: Holder groups ``--holder`` accepts besides countries and sectors (``official`` is short for
#: ``foreign_official``), in the order messages list them.
HOLDER_GROUPS: tuple[str, ...] = ("foreign_official", "private", "foreign_private", "domestic_private")
#: TIC rows that are aggregates (:data:`geostress.calibrate.market.TIC_AGGREGATES`), not countries: what each is and
#: what ``--holder`` takes instead (``foreign_official`` is itself a holder group).
AGGREGATE_ROWS: dict[str, tuple[str, str]] = {
    "grand_total": ("TIC's total of all foreign holders",
                    "price its parts one at a time with --holder foreign_official and --holder foreign_private"),
    "foreign_official_bills": ("TIC's foreign official holdings of bills, a part of the foreign official total",
                               "use --holder foreign_official"),
    "foreign_official_bonds_notes": ("TIC's foreign official holdings of notes and bonds, a part of the foreign "
                                     "official total", "use --holder foreign_official"),
    "all_other": ("TIC's row for every country it does not list on its own",
                  "use --holder foreign_official (all foreign official holders) or name a country TIC lists"),
    "oil_exporters": ("TIC's row for the oil exporters together",
                      "use --holder foreign_official (all foreign official holders), or, at a month from 2012-01, "
                      "an oil exporter TIC lists on its own (saudi_arabia, kuwait, united_arab_emirates)"),
    "carib_bnkng_ctrs": ("TIC's row for the Caribbean banking centres together",
                         "they hold mostly for private investors: use --holder foreign_private, or, at a month from "
                         "2012-01, a centre TIC lists on its own (cayman_islands, bermuda)"),
    "belgium_luxembourg": ("TIC's row for Belgium and Luxembourg together",
                           "name belgium or luxembourg, with --at 2002-06 or later"),
}


def _holder_key(holder: str) -> str:
    """``holder`` as :func:`resolve_seller` first reads it, and as a scenario's sale holder is read: the series slug
    (``Foreign-Official`` → ``foreign_official``, ``China  Mainland`` → ``china_mainland``; empty text stays as
    typed, for the message). :func:`replay` reads its ``--flows`` names the same way."""
    from geostress.data.sources.base import slugify

    return slugify(holder) or holder


def accepted_holders(market: MarketAt) -> dict[str, list[str]]:
    """Every name ``--holder`` takes at ``market``'s date, by kind: ``groups`` (:data:`HOLDER_GROUPS` and
    ``official``), ``countries`` (TIC's country rows at its month, as slugs), ``aliases`` (common names of those
    countries, :data:`geostress.data.sources.tic_mfh.NAME_ALIASES`, as written there) and ``sectors`` (the holder
    sectors of the market)."""
    from geostress.data.sources.tic_mfh import NAME_ALIASES, holder_slug

    countries = sorted(market.tic_countries)
    aliases = [a for a in NAME_ALIASES if holder_slug(a) in market.tic_countries and _holder_key(a) not in countries]
    return {"groups": [*HOLDER_GROUPS, "official"], "countries": countries, "aliases": aliases,
            "sectors": [s.name for s in market.holders.sectors]}


def unknown_holder_message(market: MarketAt, holder: str) -> str:
    """Why ``--holder`` cannot be priced at ``market``'s date and what to give instead: close matches among every
    accepted name and alias (:func:`accepted_holders`; :func:`geostress.util.suggest.did_you_mean`), then the
    accepted names by kind."""
    from geostress.data.sources.tic_mfh import holder_slug
    from geostress.util.suggest import did_you_mean

    names = accepted_holders(market)
    # compared as resolve_seller reads a name (lower case, ``_`` for spaces and hyphens): an alias suggested that
    # way resolves
    spelled = {_holder_key(a): a for a in names["aliases"] if holder_slug(_holder_key(a)) == holder_slug(a)}
    known = dict.fromkeys([*names["groups"], *names["countries"], *spelled, *names["sectors"]])
    hint = did_you_mean(_holder_key(holder), known)
    tic = f"{market.tic_month:%Y-%m}"
    return (f"--holder {holder!r} is not a holder at {market.at:%Y-%m}{hint or '.'} Give a holder group "
            f"({', '.join(HOLDER_GROUPS)}), a country TIC lists at {tic}, whose official holdings sell "
            f"({', '.join(names['countries'])}; or by a common name: {', '.join(map(repr, names['aliases']))}), or a "
            f"holder sector ({', '.join(names['sectors'])}).")


def _seller(store: Store, market: MarketAt, holder: str) -> Seller:
    """:func:`resolve_seller`, with errors that name ``--holder`` and say what to do: for a TIC aggregate (Oil
    Exporters, Grand Total), that it is one and what to use instead; for a TIC country without a row at the
    market's TIC month (Russia after 2018), the months its rows cover; otherwise close matches among every accepted
    name and the accepted names (:func:`unknown_holder_message`)."""
    from geostress.calibrate.market import TIC_AGGREGATES
    from geostress.data.sources.tic_mfh import holder_slug

    try:
        return resolve_seller(market, holder)
    except ScenarioError:
        known = set(store.series_ids())
        for key in dict.fromkeys((_holder_key(holder), holder_slug(holder))):
            if key in HOLDER_GROUPS:  # a spelling only the slug reads (TIC's foreign official row is the group)
                return resolve_seller(market, key)
            if f"tic.mfh.{key}" not in known:
                continue
            frame = store.get(f"tic.mfh.{key}")
            months = list(pd.DatetimeIndex(frame["period"]).to_period("M"))
            tic_month = pd.Timestamp(market.tic_month).to_period("M")
            if key in TIC_AGGREGATES:
                what, instead = AGGREGATE_ROWS.get(key, (f"TIC's aggregate row {key}", "use --holder "
                                                         "foreign_official or name a country TIC lists"))
                at = [v for m, v in zip(months, frame["value"], strict=True) if m == tic_month]
                held = (f"${at[0]:,.1f}bn at {tic_month:%Y-%m}" if at else
                        f"its rows cover {_spans(months)}, not {tic_month:%Y-%m}")
                raise ScenarioError(f"--holder {holder!r} is {what}, an aggregate ({held}), not one country: "
                                    f"market impact prices a country, a holder group or a holder sector; "
                                    f"{instead}", parameter="holder") from None
            raise ScenarioError(f"--holder {holder!r}: TIC has no row for {key} at {tic_month:%Y-%m} (the TIC month "
                                f"of the market at {market.at:%Y-%m}); its rows cover {_spans(months)}: choose --at "
                                "in those months", parameter="holder") from None
        raise ScenarioError(unknown_holder_message(market, holder), parameter="holder") from None


#: The largest monthly flow the block's evidence covers, pp of GDP: the Fed bought ≈$1,266bn of Treasuries from
#: 11 March to 15 April 2020 (FRED TREAST; ../shared/reference/MARKET_EVIDENCE.md §2), ≈6 pp of GDP in five weeks.
#: A sale faster than this a month (in pp of the market date's GDP) extrapolates the block's linear price impact
#: beyond anything it was held to: ``market impact`` says so (:func:`outside_evidence`).
EVIDENCE_MAX_FLOW_PP_GDP = 6.0
#: Nominal GDP growth a year over a ``market impact`` horizon, from the market date on: the persistent effect is
#: divided by GDP as it grows (the dilution). CBO's February-2026 economic projections grow nominal GDP 4.0% a year
#: from 2025 to 2035 (``cbo.econ.gdp``: $30,705bn to $45,431bn; tests hold the figure against the store's).
IMPACT_GDP_GROWTH = 0.04
#: The months ``market impact --months`` accepts.
MIN_MONTHS, MAX_MONTHS = 1, 240


def typed_number(value: float) -> str:
    """A number as given, compactly: up to ten significant digits (``615.151``, ``300``, ``1e+308``, never 309
    digits), −0 as 0."""
    return f"{float(value) + 0.0:,.10g}"


#: The largest purchase on record, USD bn: the Fed's Treasury purchases from 11 March to 15 April 2020 (FRED TREAST;
#: MARKET_EVIDENCE.md §2), ≈:data:`EVIDENCE_MAX_FLOW_PP_GDP` pp of that year's GDP. The backstop rule is calibrated to
#: March 2020; when it buys more than this (in pp of GDP) its figures extrapolate that calibration
#: (:func:`evidence_warnings`).
BACKSTOP_RECORD_BN = 1266.0


#: Backstop purchases (USD bn, median) above which an orderly sale's figures are flagged: the Fed has never bought
#: against orderly selling (:func:`evidence_warnings`).
ORDERLY_BACKSTOP_NOTE_BN = 0.5


def evidence_warnings(monthly_sales_bn: Any, gdp_bn: Any, backstop_bn: float | None = None,
                      backstop_gdp_bn: float | None = None, *, what: str = "the sale is",
                      pace_gdp: str = "", backstop_gdp: str = "", orderly: bool = False) -> list[str]:
    """Why figures lie outside the block's evidence, in words (an empty list: within it). The one rule of
    ``geostress market impact`` (:attr:`ImpactResult.outside_evidence`) and ``geostress run`` (the summary's
    ``outside_evidence``, :func:`geostress.run.coupled.run_notes`):

    * **pace**: the scheduled sales' combined flow in a month (``monthly_sales_bn``, USD bn by month: every sale
      active that month added) above :data:`EVIDENCE_MAX_FLOW_PP_GDP` pp of ``gdp_bn`` (a number, or GDP by month
      as an array of the same length: each month's sales against that month's GDP); the fastest month is named
      when there are several;
    * **backstop size**: with the backstop on, its purchases ``backstop_bn`` (USD bn, over the run) above the
      largest purchase on record (:data:`BACKSTOP_RECORD_BN`, ≈:data:`EVIDENCE_MAX_FLOW_PP_GDP` pp of GDP in
      March 2020), in pp of ``backstop_gdp_bn``: the backstop-on figures extrapolate its March-2020 calibration;
    * **orderly backstop**: with ``orderly`` (no market-wide liquidity stress in the run), a backstop that buys at
      all (``backstop_bn`` above $0.5bn): the Fed has never met orderly selling, so the backstop-on figures rest on
      the orderly trigger, a judgement (:attr:`geostress.model.market.MarketParams.backstop_orderly_trigger_bp`).

    ``what`` opens the pace's sentence; ``pace_gdp`` and ``backstop_gdp`` (e.g. " (of the run's GDP that
    month)") say which GDP the percentages are of."""
    out: list[str] = []
    flows = np.atleast_1d(np.asarray(monthly_sales_bn, dtype=float))
    if flows.size:
        pace = 100.0 * np.abs(flows) / np.broadcast_to(np.asarray(gdp_bn, dtype=float), flows.shape)
        fastest = int(np.argmax(pace))
        if pace[fastest] > EVIDENCE_MAX_FLOW_PP_GDP:
            when = " a month" if flows.size == 1 else f" in month {fastest + 1}"
            out.append(f"{what} {pace[fastest]:,.2f} pp of GDP{when}{pace_gdp}, faster than the largest "
                       f"flow in the block's evidence (the Fed's ≈${BACKSTOP_RECORD_BN:,.0f}bn of Treasuries in the "
                       f"five weeks from 11 March 2020, ≈{EVIDENCE_MAX_FLOW_PP_GDP:g} pp of GDP; MARKET_EVIDENCE.md "
                       "§2): the figures extrapolate a linear model beyond it (spread the sale over more months to "
                       "stay within it)")
    if backstop_bn is not None and backstop_gdp_bn:
        size = 100.0 * float(backstop_bn) / float(backstop_gdp_bn)
        if size > EVIDENCE_MAX_FLOW_PP_GDP:
            out.append(f"the backstop buys ${float(backstop_bn):,.0f}bn, {size:,.1f} pp of GDP{backstop_gdp}, "
                       f"{size / EVIDENCE_MAX_FLOW_PP_GDP:,.1f}× the largest purchase on record in pp of GDP (the "
                       f"Fed's ≈${BACKSTOP_RECORD_BN:,.0f}bn in the five weeks from 11 March 2020, "
                       f"≈{EVIDENCE_MAX_FLOW_PP_GDP:g} pp of that year's GDP; MARKET_EVIDENCE.md §2; the record is "
                       "compared in pp of GDP, as the block prices): the backstop-on figures "
                       "extrapolate its March-2020 calibration, and the backstop-off figures leave all of it to "
                       "private buyers, also beyond the record")
    if orderly and backstop_bn is not None and float(backstop_bn) > ORDERLY_BACKSTOP_NOTE_BN:
        out.append(f"the backstop buys ${float(backstop_bn):,.0f}bn against orderly selling (no market-wide dash for "
                   "cash), which the Fed has never done: the flow pressure passes the backstop's orderly trigger, a "
                   "judgement (80–110 bp; docs/market.md), so read the backstop-off figures beside these")
    return out


#: The months the Fed bought Treasuries to restore market functioning (from 12 March 2020; TREAST +$1,266bn to
#: 15 April): the backstop rule's purchases then are not idle.
FED_BACKSTOP_MONTHS = ("2020-03", "2020-04")
#: Months of market-wide liquidity stress on record (:data:`FED_BACKSTOP_MONTHS`); a stated stress over more months
#: of a sale extrapolates that episode.
DASH_FOR_CASH_MONTHS_ON_RECORD = len(FED_BACKSTOP_MONTHS)


def outside_evidence(amount_bn: float, months: int, gdp_bn: float, backstop_bn: float | None = None, *,
                     stress: float = 0.0) -> str | None:
    """Why a sale of ``amount_bn`` over ``months`` at liquidity stress ``stress`` lies outside the block's evidence,
    in words joined by "; "; None within it.

    :func:`evidence_warnings`' pace and backstop size, and with ``backstop_bn`` a backstop that buys at all against
    orderly selling (``stress`` 0); at a stress between 0 and 1 one that buys on a trigger interpolated between the
    orderly judgement and March 2020's calibration; a stress above 0 held over more than
    :data:`DASH_FOR_CASH_MONTHS_ON_RECORD` months, longer than the one dash for cash on record."""
    found = evidence_warnings(np.array([amount_bn / months]), gdp_bn, backstop_bn, gdp_bn,
                              backstop_gdp=" (of the market date's GDP; the median over the draws)",
                              orderly=stress == 0.0)
    if 0.0 < stress < 1.0 and backstop_bn is not None and float(backstop_bn) > ORDERLY_BACKSTOP_NOTE_BN:
        found.append(f"the backstop buys ${float(backstop_bn):,.0f}bn at liquidity stress {stress:g}, between orderly "
                     "selling (0) and a dash for cash (1): its trigger is interpolated between the orderly judgement "
                     "(purchases from 80–110 bp) and March 2020's calibration (from 5–15 bp), itself a judgement, "
                     "so read the backstop-off figures beside these")
    if stress > 0.0 and months > DASH_FOR_CASH_MONTHS_ON_RECORD:
        found.append(f"the liquidity stress is held over all {months} months of the sale, where the one dash for cash "
                     f"on record lasted weeks and the Fed reversed it within 2–4 weeks (March–April 2020; "
                     "MARKET_EVIDENCE.md §2): the backstop-on figures extrapolate that episode")
    return "; ".join(found) or None


def _whole(value: Any) -> bool:
    """Whether ``value`` is a whole number of Python's or numpy's integer types (not a bool, not a float)."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def impact_option_problem(amount_bn: float, months: int, motive: str, *, holder: Any = "", draws: Any = 0,
                          seed: Any = 0, liquidity_stress: Any = 0.0) -> ScenarioError | None:
    """What is wrong with :func:`impact`'s amount, months, motive, liquidity stress (and, from Python, the types of
    ``holder``, ``draws`` and ``seed``), as the error to raise (its message names the option and what to give, its
    ``parameter`` the parameter); None when nothing is (the CLI refuses the same values as usage errors before it
    reads the store)."""
    if not isinstance(holder, str):
        return ScenarioError(f"holder {holder!r} must be a name (a str), e.g. 'china_mainland' or 'foreign_official'",
                             parameter="holder")
    if isinstance(amount_bn, bool) or not isinstance(amount_bn, int | float | np.integer | np.floating):
        return ScenarioError(f"--amount-bn {amount_bn!r} must be a number of USD bn, e.g. 300", parameter="amount_bn")
    if not _whole(months):
        return ScenarioError(f"--months {months!r} must be a whole number of months ({MIN_MONTHS}..{MAX_MONTHS}), "
                             "e.g. 12", parameter="months")
    for name, value in (("draws", draws), ("seed", seed)):
        if not _whole(value) or value < 0:
            return ScenarioError(f"{name}={value!r} must be a whole number ≥ 0", parameter=name)
    if not np.isfinite(amount_bn) or amount_bn < 0:
        return ScenarioError(f"--amount-bn {typed_number(amount_bn)} must be a non-negative number: give the USD bn "
                             "sold, e.g. 300", parameter="amount_bn")
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        fix = (f"a sale takes at least {MIN_MONTHS} month" if months < MIN_MONTHS else
               f"spread the sale over at most {MAX_MONTHS}")
        return ScenarioError(f"--months {months} must lie in {MIN_MONTHS}..{MAX_MONTHS}: {fix}", parameter="months")
    if motive not in mk.MOTIVES:
        return ScenarioError(f"--motive {motive!r} is not one of {', '.join(mk.MOTIVES)}", parameter="motive")
    given = outside_range(liquidity_stress, 0.0, 1.0)
    if given is not None:
        return ScenarioError(f"--liquidity-stress {given} must be a number from 0 (orderly selling) to 1 (a "
                             "market-wide dash for cash, as in March 2020)", parameter="liquidity_stress")
    return None


def outside_range(value: Any, low: float, high: float) -> str | None:
    """``value`` as a message should echo it when it is not a number (a bool is not) within ``low``..``high``
    (NaN is not): every digit it has, so 1.00000000001 does not read as the 1 it is refused beside; None when it
    is one."""
    number = not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating)
    if number and low <= value <= high:
        return None
    return f"{float(value):.17g}" if number else repr(value)


def stress_without_backstop(stress: float) -> str:
    """Why ``--liquidity-stress`` above 0 cannot go with ``--backstop off``: the one message of the command, the
    Python call and the service."""
    return (f"--liquidity-stress {stress:g} sets the backstop's trigger and nothing else, so with --backstop off it "
            "changes nothing: leave --liquidity-stress out, or price the sale with --backstop on (whose answer also "
            "gives the backstop-off figures)")


def liquidity_motive_message(kind: str, motive: str, holder: str, leave: str, official: str) -> str:
    """Why a liquidity motive cannot go with a holder of ``kind`` (``private`` or ``fed``), and what to do: the one
    message of ``market impact --motive liquidity`` and of a scenario's ``[[sales]] motive = "liquidity"``
    (:func:`geostress.run.coupled.schedule`). ``motive`` and ``holder`` name the inputs as the user gave them,
    ``leave`` the option or field to leave out, ``official`` the official holders to sell from instead."""
    who = "the Federal Reserve" if kind == "fed" else "a private holder"
    return (f"{motive} applies to official holders only (FX defence, a dash for cash: private flight-to-quality "
            f"buying and the FIMA repo facility meet part of the sale); {holder} is {who}: leave {leave} out, or "
            f"sell from an official holder ({official})")


def persistent_month(months: int) -> int:
    """The month (1-based) the persistent effect is read: 24, or 12 months after a longer sale ends."""
    return max(24, months + 12)


def impact(
    store: Store, holder: str, amount_bn: float, months: int, *, at: date | str | None = None,
    backstop: bool = True, draws: int = 1000, seed: int = DEFAULT_SEED, motive: str = "diversification",
    market: MarketAt | None = None, fima: bool = True, liquidity_stress: float = 0.0,
) -> ImpactResult:  # fmt: skip
    """What a sale of ``amount_bn`` spread evenly over ``months`` months by ``holder`` does to the 10-year term
    premium, at the market of ``at`` (``geostress market impact``; docs/market.md).

    Parameters
    ----------
    store
        The observation store: TIC holdings, the Fed's holdings, debt held by the public and GDP at ``at``.
    holder
        A TIC country at that month (its official holdings sell, an assumed share of TIC's row), a holder group
        (``foreign_official``, ``private``, ``foreign_private``, ``domestic_private``) or a holder sector; case,
        spaces and hyphens do not matter (:func:`resolve_seller`).
    amount_bn
        USD bn sold in all (≥ 0, at most the seller's holdings).
    months
        Months the sale is spread over, :data:`MIN_MONTHS` to :data:`MAX_MONTHS`.
    at
        The market's month (``YYYY-MM``; a ``YYYY-MM-DD`` or a date names its month); default the latest TIC month.
    backstop
        The Fed's market-functioning backstop; when on, the same draws also run without it (``…_backstop_off``).
    draws
        Parameter draws from the market priors (:func:`draws_for`; 0: one path at the prior medians).
    seed
        Root of the draws' ``SeedSequence``.
    motive
        ``diversification`` or ``liquidity`` (official holders only: flight-to-quality buying and the FIMA repo
        meet part of the sale).
    market
        A market already built by :func:`geostress.calibrate.market.market_at` (``at`` is then not read).
    fima
        The FIMA repo facility (a liquidity-motivated official sale only): off prices a sale at a market before it
        opened (31 March 2020) as it was then; a diversification sale never uses it.
    liquidity_stress
        The market's liquidity stress in the sale's months, 0 (orderly selling, the default: one holder's sale,
        whatever its motive) to 1 (the sale meets a market-wide dash for cash, as in March 2020); it sets the
        backstop's trigger (:func:`geostress.model.market.backstop_trigger`), 0 again after the sale, as a
        scenario's ``[[liquidity_shocks]]`` do (docs/market.md).

    Returns
    -------
    ImpactResult
        The peak and the persistent change (at :func:`persistent_month`) with their 5th and 95th percentiles over
        the draws, the stock effect alone, what the backstop and the FIMA repo took, and the path by month.

    Raises
    ------
    ScenarioError, DataError
        A value the block cannot price (a negative amount, a sale larger than the holdings, a holder TIC does not
        list at the month, a month outside the store): the message names the option and what to give, the error's
        ``parameter`` the parameter.
    LimitError
        More than :data:`geostress.run.limits.MAX_MARKET_DRAWS` draws (``parameter`` ``draws``).

    References
    ----------
    ../shared/reference/MARKET_EVIDENCE.md §1 (the persistent and flow effects) and §2 (March 2020, the backstop).
    """
    from geostress.calibrate.market import market_at

    problem = impact_option_problem(amount_bn, months, motive, holder=holder, draws=draws, seed=seed,
                                    liquidity_stress=liquidity_stress)
    if problem:
        raise problem
    liquidity_stress = float(liquidity_stress) + 0.0  # −0 is 0
    for name, switch in (("backstop", backstop), ("fima", fima)):
        if not isinstance(switch, bool | np.bool_):  # "off" is truthy: never read a str (or 0/1) as the switch on
            raise ScenarioError(f"{name}={switch!r} must be True or False (the command line's --{name} on|off)",
                                parameter=name)
    backstop, fima = bool(backstop), bool(fima)
    if liquidity_stress and not backstop:
        raise ScenarioError(stress_without_backstop(liquidity_stress), parameter="liquidity_stress")
    amount_bn = float(amount_bn) + 0.0  # −0 is 0
    if market is None:
        if at is not None:
            at = f"{_check_at(store, at):%Y-%m}"  # YYYY-MM: the month's end
        market = market_at(store, at)
    seller = _seller(store, market, holder)
    if motive == "liquidity" and seller.kind != "official":
        raise ScenarioError(liquidity_motive_message(seller.kind, "--motive liquidity", f"--holder {holder}",
                                                     "--motive", "a TIC country or foreign_official"),
                            parameter="motive")
    if mk.exceeds_holdings(amount_bn, seller.holdings_bn):
        whose = f"{seller.name} holds"
        if seller.name in market.tic_countries:  # a country sells from its official holdings, an assumed share
            total = market.tic_countries[seller.name]
            share = seller.holdings_bn / total if total > 0 else 0.0
            own = f"{seller.name}_private"  # the country's private holdings, where the holders list them
            private = (f"--holder {own}" if any(sector.name == own for sector in market.holders.sectors) else
                       "--holder private")
            whose = (f"{seller.name}'s official holdings (TIC's {total:,.1f} bn × an assumed official share of "
                     f"{share:.0%}; the rest is private: price a private sale with {private}) are")
        most = math.floor(seller.holdings_bn * 100.0) / 100.0  # two decimals, down: the largest amount accepted
        raise ScenarioError(f"{whose} {most:,.2f} bn at {market.at:%Y-%m}; --amount-bn {typed_number(amount_bn)} "
                            "is more than that: sell at most that", parameter="amount_bn")
    read = persistent_month(months)
    horizon = read
    schedule = mk.sale_schedule(amount_bn, months, horizon)
    key = {"official": "official_liquidity" if motive == "liquidity" else "official",
           "private": "foreign_private", "fed": "fed_purchases"}[seller.kind]
    flows = {key: -schedule if seller.kind == "fed" else schedule}
    # one holder's sale, whatever its motive, is orderly selling for the backstop (its orderly trigger,
    # mk.backstop_trigger) unless the user states a market-wide liquidity stress in the sale's months
    stress = np.where(np.arange(horizon) < months, liquidity_stress, 0.0)
    params = draws_for(draws, seed, mk.Stabilisers(backstop=backstop, fima=fima))
    gdp = market.gdp_bn * (1.0 + IMPACT_GDP_GROWTH) ** (np.arange(horizon) / 12.0)  # the dilution as GDP grows
    response = mk.respond(params, flows, gdp, horizon, stress=stress)
    tp = response.tp_10y_bp
    peak = tp.max(axis=1)
    persistent = tp[:, read - 1]
    off = None
    if backstop:  # the same draws without the backstop, side by side (as geostress run's ``…_backstop_off``)
        without = mk.respond(params.with_stabilisers(backstop=False), flows, gdp, horizon, stress=stress)
        tp_off = without.tp_10y_bp
        off = {"peak": _quantiles(tp_off.max(axis=1)), "persistent": _quantiles(tp_off[:, read - 1]),
               "stock": _quantiles(without.persistent_bp[:, read - 1])}
    q = np.quantile(tp, QUANTILES, axis=0)
    path = pd.DataFrame({"month": np.arange(1, horizon + 1), "p05": q[0], "median": q[1], "p95": q[2]})
    return ImpactResult(seller.name, seller.description, amount_bn, months, market.at, market.gdp_bn,
                        backstop, draws, read, _quantiles(peak), _quantiles(persistent), path,
                        {"peak": peak, "persistent": persistent}, params, motive, seed if draws else None,
                        outside_evidence(amount_bn, months, market.gdp_bn,
                                         float(np.median(response.backstop_bn[:, -1])) if backstop else None,
                                         stress=liquidity_stress), off,
                        _quantiles(response.backstop_bn[:, -1]), _quantiles(response.fima_bn[:, -1]),
                        _quantiles(response.persistent_bp[:, read - 1]), fima, liquidity_stress)


# -- replay -------------------------------------------------------------------------------------------------------
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

    @property
    def verdicts(self) -> dict[str, bool | None]:
        """The scores against MARKET_EVIDENCE §3's bands (:data:`REPLAY_SLOPE_BAND`, :data:`REPLAY_SD_RATIO_MAX`):
        ``slope_in_band`` and ``sd_ratio_within``, None where the score is n/a or the window is shorter than
        :data:`REPLAY_JUDGED_MONTHS` (a few overlapping changes are no test of the bands)."""
        judged = len(self.monthly) >= REPLAY_JUDGED_MONTHS and not self.withheld
        slope, sd = self.slope_3m, self.sd_ratio_12m
        low, high = REPLAY_SLOPE_BAND
        return {"slope_in_band": bool(low <= slope <= high) if judged and math.isfinite(slope) else None,
                "sd_ratio_within": bool(sd <= REPLAY_SD_RATIO_MAX) if judged and math.isfinite(sd) else None}

    def to_json(self) -> dict[str, Any]:
        rows = [{"month": f"{m:%Y-%m}", "modelled_bp": float(r.modelled_bp), "observed_bp": float(r.observed_bp),
                 **{k: float(getattr(r, REPLAY_FLOWS[k][0])) for k in self.flows}}
                for m, r in zip(self.monthly.index, self.monthly.itertuples(), strict=True)]
        return jsonable({"from": self.start, "to": self.end, "flows": list(self.flows),
                "duration_years": self.duration_years,
                "modelled_change_bp": self.modelled_change_bp, "observed_change_bp": self.observed_change_bp,
                "slope_observed_on_modelled_3m": self.slope_3m, "slope_3m_se": self.slope_3m_se,
                "corr_3m": self.corr_3m, "sd_ratio_modelled_to_observed_12m": self.sd_ratio_12m, **self.verdicts,
                "months_with_missing_flows": self.months_missing,
                "missing_months_by_flow": dict(self.missing_by_flow or {}),
                "scores_withheld": self.withheld,
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
        names or one comma-separated string (``"fed,supply"``); case, spaces and hyphens do not matter.
    params
        The block's parameters (default: the prior medians with no stabiliser).
    duration_years
        Duration used to take valuation out of TIC's holdings where they are market values, from 2012 (default
        :data:`geostress.calibrate.market.FOREIGN_DURATION_YEARS`; 0: none; at most
        :data:`MAX_REPLAY_DURATION_YEARS`; ``--duration-years``).
    fed_lead_months
        Months by which the Fed's purchases are booked early.

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

    start_month, end_month = _month(start, "--from", "2000-01", "start"), _month(end, "--to", "2000-01", "end")
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
    given = flows.split(",") if isinstance(flows, str) else list(flows)  # "fed,supply" as --flows writes it
    flows = [_holder_key(f) for f in given]  # as --holder: case, spaces and hyphens do not matter
    unknown = [typed for typed, f in zip(given, flows, strict=True) if f not in REPLAY_FLOWS]
    if unknown or not flows:
        which = f" ({', '.join(repr(u) for u in unknown)} unknown)" if unknown else ""
        raise ScenarioError(f"--flows {','.join(given)}{which}: choose from {','.join(REPLAY_FLOWS)}",
                            parameter="flows")
    flows = tuple(dict.fromkeys(flows))  # each flow once (``fed,fed`` is ``fed``)
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
                        tuple(left_out), duration_years)


# -- published-figure experiments (MARKET_EVIDENCE.md §4) ---------------------------------------------------------
def _medians(**switches: bool) -> mk.MarketParams:
    return mk.MarketPriors().medians(mk.Stabilisers(**{k: switches.get(k, False) for k in
                                                       ("backstop", "fima", "bill_shift", "value_buyers")}))


def _gdp(store: Store, at: str) -> float:
    from geostress.calibrate.market import latest_value

    return latest_value(store, "fred.gdp", pd.Timestamp(at).date(), None)


def qe2_bp(store: Store) -> float:
    """The Fed buys $600bn over 8 months at the market of Nov-2010: 10y term premium at the end, bp
    (Williams 2013: −15 to −25)."""
    gdp = _gdp(store, "2010-11-30")
    r = mk.respond(_medians(), {"fed_purchases": mk.sale_schedule(600.0, 8, 8)}, gdp, 8)
    return float(r.tp_10y_bp[0, -1])


#: Federal Reserve agency MBS holdings, end-2014, USD bn (H.4.1, ≈$1.74tn) [secondary: not in the store].
MBS_END_2014_BN = 1740.0
#: The Fed's first MBS purchases (QE1, January 2009): the MBS are booked evenly from this month to end-2014
#: [judgement: their monthly path is not in the store; booked on H.4.1's year-end holdings instead, or over the
#: whole window, the experiment gives within ±2.5 bp of this].
MBS_FIRST_MONTH = "2009-01"
#: The pre-2008 path starts from the Fed's Treasury holdings on this date (FRED TREAST, weekly), grown with GDP.
ALL_QE_ANCHOR = date(2007, 8, 1)


def all_qe_flows(store: Store) -> pd.DataFrame:
    """Monthly inputs of the all-QE experiment, month ends from Aug-2007 (the anchor of the pre-2008 path) to
    Dec-2014: ``treasury_excess_bn`` (the Fed's month-end Treasury holdings, FRED TREAST, above Aug-2007's grown
    with nominal GDP, the level), ``fed_purchases`` (its monthly change plus the MBS of the month; the first month's
    from zero at the anchor, so the flows add up to the excess at end-2014 plus :data:`MBS_END_2014_BN`) and
    ``gdp_bn`` (FRED GDP at quarter ends, interpolated by date, as the replay does)."""
    from geostress.calibrate.market import latest_value, month_end_series

    months = pd.date_range(pd.Timestamp(ALL_QE_ANCHOR) + pd.offsets.MonthEnd(0), "2014-12-31", freq="ME")
    fed07 = latest_value(store, "fred.treast", ALL_QE_ANCHOR, None)
    gdp07 = _gdp(store, "2007-09-30")
    treast = month_end_series(store.get("fred.treast", start=ALL_QE_ANCHOR, end=months[-1].date())).reindex(months)
    quarters = store.get("fred.gdp", start=date(2007, 1, 1), end=date(2015, 3, 31))
    q = pd.Series(quarters["value"].to_numpy(float), index=pd.DatetimeIndex(quarters["period"]))
    gdp = q.reindex(q.index.union(months)).interpolate("time").reindex(months)
    if treast.isna().any() or gdp.isna().any():
        raise DataError("the all-QE experiment needs FRED TREAST and GDP for every month from Aug-2007 to Dec-2014; "
                        "import them (`geostress data update`)")
    excess = treast - fed07 * gdp / gdp07
    mbs = pd.Series(np.where(months >= pd.Timestamp(MBS_FIRST_MONTH), 1.0, 0.0), index=months)
    mbs *= MBS_END_2014_BN / mbs.sum()
    return pd.DataFrame({"treasury_excess_bn": excess,
                         "fed_purchases": np.diff(np.r_[0.0, excess.to_numpy()]) + mbs.to_numpy(),
                         "gdp_bn": gdp})


def all_qe_bp(store: Store) -> float:
    """The Fed's holdings of 2008–14 through the block: month by month from Aug-2007 to Dec-2014, the Fed buys its
    Treasury holdings above their pre-2008 path (Aug-2007 holdings growing with nominal GDP; FRED TREAST) and its
    agency MBS (≈$1.74tn at end-2014, H.4.1, not in the store [secondary], booked evenly from January 2009), with
    roll-down, dilution by the GDP of each month and the flow effect, as :func:`qe2_bp` runs its purchases (prior
    medians, no stabilisers): 10y term premium at end-2014, bp (Bonis, Ihrig & Wei 2017: ≈ −100 for ≈$4.5tn).

    With no roll-down the persistent part would be the closed form β · 100 · extra / GDP(end-2014) (≈ −72 bp at
    the median β); purchases made from 2009 have partly rolled down by end-2014, so the block gives less."""
    f = all_qe_flows(store)
    r = mk.respond(_medians(), {"fed_purchases": f["fed_purchases"].to_numpy()}, f["gdp_bn"].to_numpy(), len(f))
    return float(r.tp_10y_bp[0, -1])


#: The maturities IMF WP/17/174 reads the holder-mix effect at: 2–3 years (24–36 months).
STOCK_SHARE_MONTHS = np.arange(24, 37)


def stock_share_bp(store: Store, tenor_months: np.ndarray | None = None) -> float:
    """+1 pp of foreign-official share of marketable Treasuries (today's holders), bought from private hands: the
    persistent term premium 36 months on, bp, at the maturities of IMF WP/17/174's estimate (−2.0 to −2.4 bp at 2–3
    years): the 10-year premium times the tenor loading (:func:`geostress.model.fiscal.term_premium_loading`)
    averaged over ``tenor_months`` (default :data:`STOCK_SHARE_MONTHS`; ``np.array([120])``: the 10-year).

    The 1 pp is of marketable debt held by the public: debt held by the public (FRED FYGFDPUN) times the marketable
    share of it in Treasury's Monthly Statement of the Public Debt (98.97% in April 2025).

    References
    ----------
    IMF (2017), "Uphill Capital Flows and the International Monetary System", Working Paper 17/174: a 1 pp rise
    in foreign official holdings relative to marketable securities lowers the term premium by 2.0–2.4 bp at
    maturities of 2–3 years (its abstract).
    """
    from geostress.calibrate.market import market_at
    from geostress.model.fiscal import term_premium_loading

    m = market_at(store)
    marketable = (store.get("fiscaldata.mspd.marketable.total_marketable.held_by_public")["value"].iloc[-1]
                  / store.get("fiscaldata.mspd.total.total_public_debt_outstanding.held_by_public")["value"].iloc[-1])
    amount = 0.01 * m.holders.debt_held_by_public * float(marketable)
    r = mk.respond(_medians(), {"official": np.r_[-amount, np.zeros(35)]}, m.gdp_bn, 36)
    months = STOCK_SHARE_MONTHS if tenor_months is None else np.asarray(tenor_months)
    return float(r.tp_10y_bp[0, -1] * term_premium_loading(months).mean())


def debt_supply_bp(store: Store) -> float:
    """Supply +1 pp of GDP (today), issued at the default mix: persistent 10y term premium, bp, 24 months on
    (CBO 2–3; Laubach 3–4 per pp of debt/GDP). The fiscal engine's separate credit premium is not included."""
    from geostress.calibrate.market import market_at

    m = market_at(store)
    r = mk.respond(_medians(), {"supply": np.r_[0.01 * m.gdp_bn, np.zeros(23)]}, m.gdp_bn, 24)
    return float(r.tp_10y_bp[0, -1])


def beltran_2007(store: Store) -> tuple[float, float]:
    """$100bn one-month fall in foreign-official demand at the market of Dec-2007, no stabilisers: 5y term
    premium on impact and 36 months on, bp (Beltran et al. 2013: 40–60 short run, ≈20 long run)."""
    gdp = _gdp(store, "2007-12-31")
    p = _medians()
    r = mk.respond(p, {"official": np.r_[100.0, np.zeros(35)]}, gdp, 36)
    tp5 = np.asarray(p.loading_5y) * r.tp_10y_bp[0]
    return float(tp5[0]), float(tp5[-1])


def march_2020(store: Store, backstop: bool = True, params: mk.MarketParams | None = None) -> dict[str, Any]:
    """The dash for cash, weekly: TIC's valuation-adjusted foreign net sales of March 2020 spread over the three
    weeks from 9 March, April's over April's weeks, official sales liquidity-motivated and outright (TIC's sales
    are net of any repo, so the FIMA repo takes no share of them again: :attr:`geostress.model.market.Flows.
    official_run`; private flight-to-quality buying meets part), with the backstop rule (not the Fed's observed
    purchases). Returns the 10y term-premium path by week, its peak, its level in week 4 and the backstop's
    purchases (USD bn). ``params``: the block's parameters, stabilisers included (``backstop`` then must be left
    at its default; default: the prior medians with the backstop, when ``backstop``, and the FIMA repo; for another
    trigger, ``dataclasses.replace(medians, backstop_trigger_bp=30)`` where ``medians`` is
    ``MarketPriors().medians(Stabilisers(backstop=True, fima=True, bill_shift=False, value_buyers=False))``)."""
    from geostress.calibrate.market import replay_flows

    if params is not None and not backstop:
        raise ScenarioError("march_2020: give the backstop's switch in params (its stabilisers), not with "
                            "backstop=False beside params", parameter="backstop")

    f = replay_flows(store, "2020-03", "2020-04")
    weeks = 9
    official = np.zeros(weeks)
    private = np.zeros(weeks)
    official[0:3] = f["foreign_official"].iloc[0] / 3.0
    private[0:3] = f["foreign_private"].iloc[0] / 3.0
    official[4:8] = f["foreign_official"].iloc[1] / 4.0
    private[4:8] = f["foreign_private"].iloc[1] / 4.0
    gdp = float(f["gdp_bn"].iloc[0])
    p = params if params is not None else _medians(backstop=backstop, fima=True)
    # a dash for cash throughout (the backstop's dash-for-cash trigger, mk.backstop_trigger)
    r = mk.respond(p, {"official_run": official, "foreign_private": private}, gdp, weeks, dt_months=12 / 52,
                   stress=1.0)
    path = r.tp_10y_bp[0]
    return {"path_bp": path, "peak_bp": float(path.max()), "week4_bp": float(path[3]),
            "backstop_bn": float(r.backstop_bn[0, -1]), "fima_bn": float(r.fima_bn[0, -1]),
            "sales_bn": float(official.sum() + private.sum())}


def _backstop_replay(store: Store, params: mk.MarketParams) -> tuple[mk.Response, pd.DatetimeIndex, np.ndarray]:
    """The replay's flows (all four, the Fed's actual purchases among them) from TREAST's first month (Dec-2002:
    before it the Fed's flow is missing) to 2025-12 through the block with ``params``, :data:`FED_BACKSTOP_MONTHS`
    at liquidity stress 1 (the record's one dash for cash) and every other month at 0 (orderly: the backstop's
    orderly trigger, :func:`geostress.model.market.backstop_trigger`). Returns the response, the months and the
    dash-for-cash mask."""
    from geostress.calibrate.market import FOREIGN_DURATION_YEARS, replay_flows

    frame = replay_flows(store, "2000-01", "2025-12", duration_years=FOREIGN_DURATION_YEARS)
    frame = frame[~frame["missing_fed_purchases"].to_numpy()]  # (the leading months before TREAST)
    series = {REPLAY_FLOWS[f][1]: frame[REPLAY_FLOWS[f][0]].to_numpy() for f in REPLAY_FLOWS}
    dash = frame.index.to_period("M").isin(pd.PeriodIndex(FED_BACKSTOP_MONTHS, freq="M"))
    response = mk.respond(params, series, frame["gdp_bn"].to_numpy(), len(frame), n_paths=1,
                          stress=dash.astype(float))
    return response, frame.index, dash


def backstop_replay_bn(store: Store) -> pd.Series:
    """What the backstop rule buys, month by month (USD bn), when the replay's flows run with the rule on at the
    prior medians (no other stabiliser; :func:`_backstop_replay`). The Fed made no market-functioning purchase in
    those months but :data:`FED_BACKSTOP_MONTHS`, which the series leaves out (their flows carry its own)."""
    response, months, dash = _backstop_replay(store, _medians(backstop=True))
    out = pd.Series(np.diff(response.backstop_bn[0], prepend=0.0), index=months, name="backstop_bn")
    return out[~dash]


def orderly_replay_pressure_bp(store: Store) -> pd.Series:
    """The flow pressure (bp) the same replay builds at the prior medians with no stabiliser, month by month,
    :data:`FED_BACKSTOP_MONTHS` left out: what the backstop's orderly trigger must stay above for the rule to stay
    idle where the Fed did (its highest, 75.6 bp in Oct-2016; docs/market.md)."""
    response, months, dash = _backstop_replay(store, _medians())
    return pd.Series(response.flow_bp[0], index=months, name="flow_bp")[~dash]


def replay_scores(store: Store) -> ReplayResult:
    """The whole-window replay, 2000-01 to 2025-12 (Fed flows from TREAST's start in Dec-2002)."""
    return replay(store, "2000-01", "2025-12")


__all__ = ["ImpactResult", "ReplayResult", "impact", "replay", "resolve_seller"]


# -- which parameters drive the answer ----------------------------------------------------------------------------
def variance_decomposition(draws: dict[str, np.ndarray], outcome: np.ndarray, bins: int = 20,
                           rest: str = "other (shocks, interactions)", screen: float = 3.0) -> dict[str, float]:
    """First-order variance shares (Sobol main effects) of ``outcome`` over per-path parameter ``draws``.

    Each parameter's share is Var(E[y | x_i]) / Var(y), the conditional mean estimated by a straight line fitted
    in each of ``bins`` equal-count bins of x_i (a bin's mean alone would miss the slope within it and hand that
    part of the parameter's effect to the remainder: ≈8% of a share of 1 at 10 bins), minus the variance such a
    fit shows for pure noise: (k − 1)/(n − 1) of Var(y) on average (the mean of its R² with no effect) for its
    k = 2 · ``bins`` coefficients, with a standard deviation of √(2(k − 1))/n (:func:`noise_floor`). A share
    below ``screen`` such standard deviations counts as 0 (indistinguishable from the estimator's noise: ≈0.9% at
    2,000 paths and 10 bins, 0.3% at 10,000 paths and 20 bins for the default 3); without the screen each of
    many irrelevant parameters would keep its share of positive noise, and with 50 of them at 2,000 paths their
    sum (several percent) would be taken from the remainder. The screen also drops real effects smaller than it,
    which then count in the remainder. Fixed parameters score 0. ``rest`` names what the main effects leave:
    1 − their sum (parameters' interactions, screened small effects, the estimator's error, and whatever else
    moves ``outcome``; name it after what that is).

    Parameters
    ----------
    draws
        Parameter name → (n,) the value each path drew.
    outcome
        (n,) the outcome on each path.
    bins
        Equal-count bins per parameter (fewer than 4 paths a bin: every share 0, the rest 1).
    rest
        The key of the remainder.
    screen
        Standard deviations of the pure-noise share a share must exceed to count (0: none screened).

    Returns
    -------
    dict
        Parameter name → share (≥ 0), in the order of ``draws``, then ``rest``; the shares sum to 1 unless the
        main effects alone exceed it (then the rest is 0).

    References
    ----------
    Saltelli, A. et al. (2008), *Global Sensitivity Analysis: The Primer*, Wiley, ch. 4 (first-order indices).
    """
    y = np.asarray(outcome, dtype=float)
    n = y.size
    total = float(np.var(y))
    out: dict[str, float] = {}
    if n < 4 * bins or total <= 0:
        return {name: 0.0 for name in draws} | {rest: 1.0 if total > 0 else 0.0}
    k = 2 * bins  # a level and a slope per bin
    noise = (k - 1) / (n - 1)
    floor = noise_floor(n, bins, screen)
    sizes = np.array([len(part) for part in np.array_split(np.arange(n), bins)])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    which = np.repeat(np.arange(bins), sizes)
    for name, x in draws.items():
        x = np.asarray(x, dtype=float)
        if np.ptp(x) == 0:
            out[name] = 0.0
            continue
        order = np.argsort(x, kind="stable")
        xs, ys = x[order], y[order]
        x_mean = np.add.reduceat(xs, starts) / sizes
        y_mean = np.add.reduceat(ys, starts) / sizes
        dx, dy = xs - x_mean[which], ys - y_mean[which]
        sxx, sxy = np.add.reduceat(dx * dx, starts), np.add.reduceat(dx * dy, starts)
        flat = sxx <= 1e-12 * np.maximum(np.add.reduceat(xs * xs, starts), 1e-300)  # one value in the bin
        slope_part = np.where(flat, 0.0, sxy * sxy / np.where(flat, 1.0, sxx))  # the fitted line's spread
        explained = float(np.sum(sizes * (y_mean - y.mean()) ** 2) + np.sum(slope_part)) / n
        share = explained / total - noise
        out[name] = share if share > floor else 0.0
    out[rest] = max(1.0 - sum(out.values()), 0.0)
    return out


def noise_floor(n: int, bins: int, screen: float = 3.0) -> float:
    """The share :func:`variance_decomposition` screens out with ``n`` paths and ``bins`` bins: ``screen``
    standard deviations of a pure-noise share, √(2(k − 1))/n for k = 2 · ``bins`` fitted coefficients."""
    return screen * float(np.sqrt(2.0 * (2 * bins - 1))) / n
