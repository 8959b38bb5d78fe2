"""The price-impact block on its own: what a sale does at a date (``geostress market impact``), and the pieces
the replay (:mod:`geostress.run.replay`), the published-figure experiments (:mod:`geostress.run.market_experiments`)
and the coupled loop share with it: parameter draws, holders, month parsing and the evidence warnings.

Parameter uncertainty: ``draws`` paths, each with its own draw of :class:`~geostress.model.market.MarketPriors`
(those of a coupled run's first paths with the same seed, :func:`draws_for`); headlines are medians with 5th and
95th percentiles over the draws.

References
----------
MARKET_EVIDENCE.md (../shared/reference): the published figures the block is calibrated and validated against.
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

if TYPE_CHECKING:
    from geostress.calibrate.market import MarketAt
    from geostress.data.store import Store

QUANTILES = (0.05, 0.5, 0.95)
#: Fewest parameter draws whose 5–95% range is not read between the two most extreme draws at either end: the 5th
#: percentile of K sorted draws lies at position 0.05·(K − 1), at or beyond the second-smallest draw from K = 21 on
#: (the 95th likewise). Below it ``market impact`` says so (:attr:`ImpactResult.range_note`).
MIN_RANGE_DRAWS = 21
#: Fewest parameter draws whose 5–95% range :attr:`ImpactResult.range_note` calls fit to quote. The draw read as
#: the 5th percentile of K draws is the p-th of the priors' distribution with p's standard error
#: √(0.05 · 0.95 / K): ±4.8 percentiles at K = 21 (the read end may lie anywhere from the 0.2nd to the 9.8th
#: percentile), ±2.2 at 100 and ±1.5 at 200 (3.5th to 6.5th), ±0.7 at the default 1,000 (the 95th likewise).
#: From 200 on the ends are read to within about 1.5 percentiles [judgement: "a few hundred draws"].
QUOTED_RANGE_DRAWS = 200
#: The FIMA repo facility opened on 31 March 2020 (MARKET_EVIDENCE.md §2); the backstop is calibrated to that month.
FIMA_REPO_OPENED = date(2020, 3, 31)
DEFAULT_SEED = 20260201


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

    Names are read by :func:`holder_key`: case, spaces and hyphens do not matter (``Foreign-Official``,
    ``japan-official`` and ``china-mainland`` are ``foreign_official``, ``japan_official`` and ``china_mainland``).
    """
    h = market.holders
    key = holder_key(holder)
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
        """How rough the 5–95% range is below :data:`QUOTED_RANGE_DRAWS` draws, or None (that many draws or more,
        or one path: no range). Under :data:`MIN_RANGE_DRAWS` the range is read between the two most extreme
        draws at either end; from there to :data:`QUOTED_RANGE_DRAWS` each end is read among a few draws, so the
        note gives how far from the 5th and 95th percentiles its ends may stand (one standard error)."""
        if self.draws <= 1 or self.draws >= QUOTED_RANGE_DRAWS:
            return None
        if self.draws < MIN_RANGE_DRAWS:
            return (f"a 5–95% range from {self.draws} draws is read between the smallest draws and between the "
                    "largest; a range to quote needs a few hundred draws (the default is 1,000)")
        spread = 100.0 * math.sqrt(0.05 * 0.95 / self.draws)  # one standard error of the percentile read, points
        return (f"a 5–95% range from {self.draws} draws is rough: its ends stand for the priors' 5th and 95th "
                f"percentiles give or take {spread:.1f} percentile points (one standard error), so another seed "
                f"moves them; a range to quote needs a few hundred draws ({QUOTED_RANGE_DRAWS:,} or more; the "
                "default is 1,000)")

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
                f"{'they' if both else 'it'} would today; {off} {'price' if both else 'prices'} the sale without "
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


def parse_month(value: str | date, option: str, example: str, parameter: str) -> pd.Period:
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


def series_coverage(store: Store, series: Sequence[str]) -> dict[str, tuple[date, date]]:
    """First and last observation of each of ``series`` (the store's catalog, one query; a :class:`DataError` for
    a series it does not hold: :func:`geostress.calibrate.market.catalog_of`)."""
    from geostress.calibrate.market import catalog_of

    catalog = catalog_of(store, series)
    return {s: (catalog.at[s, "start"].date(), catalog.at[s, "end"].date()) for s in series}


def _check_at(store: Store, at: str | date) -> pd.Period:
    """``impact``'s ``--at`` as a month (:func:`parse_month`; a day names its month, read at the month's end as TIC's
    holdings are) within :func:`geostress.calibrate.market.priced_months`; a :class:`DataError` naming the option
    and those months otherwise."""
    from geostress.calibrate.market import in_store_words, priced_months

    month = parse_month(at, "--at", "2013-11", "at")
    months = priced_months(store)
    if month < months.first:
        raise DataError(f"--at {at} is before {months.first:%Y-%m}, the first month the market can be priced at "
                        f"({months.latest_series} starts on {months.latest_start}): {months.choose()}",
                        parameter="at")
    if month > months.last:
        raise DataError(f"--at {at} is after TIC's last month {in_store_words(store)} ({months.last:%Y-%m}), the "
                        f"last month the market can be priced at: {months.choose()}", parameter="at")
    return month


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


def holder_key(holder: str) -> str:
    """``holder`` as :func:`resolve_seller` first reads it, and as a scenario's sale holder is read: the series slug
    (``Foreign-Official`` → ``foreign_official``, ``China  Mainland`` → ``china_mainland``; empty text stays as
    typed, for the message). :func:`geostress.run.replay.replay` reads its ``--flows`` names the same way."""
    from geostress.data.sources.base import slugify

    return slugify(holder) or holder


def accepted_holders(market: MarketAt) -> dict[str, list[str]]:
    """Every name ``--holder`` takes at ``market``'s date, by kind: ``groups`` (:data:`HOLDER_GROUPS` and
    ``official``), ``countries`` (TIC's country rows at its month, as slugs), ``aliases`` (common names of those
    countries, :data:`geostress.data.sources.tic_mfh.NAME_ALIASES`, as written there) and ``sectors`` (the holder
    sectors of the market)."""
    from geostress.data.sources.tic_mfh import NAME_ALIASES, holder_slug

    countries = sorted(market.tic_countries)
    aliases = [a for a in NAME_ALIASES if holder_slug(a) in market.tic_countries and holder_key(a) not in countries]
    return {"groups": [*HOLDER_GROUPS, "official"], "countries": countries, "aliases": aliases,
            "sectors": [s.name for s in market.holders.sectors]}


def without_official_holdings(market: MarketAt) -> list[str]:
    """TIC's countries at ``market``'s month that have no official holdings to sell: their assumed official share
    is 0% (:data:`geostress.calibrate.market.OFFICIAL_SHARE_ASSUMED`: Bermuda, the Cayman Islands, the Bahamas) or
    TIC's row is 0; as slugs, sorted."""
    return [c for c in sorted(market.tic_countries) if market.official_holdings(c) <= 0.0]


def unknown_holder_message(market: MarketAt, holder: str) -> str:
    """Why ``--holder`` cannot be priced at ``market``'s date and what to give instead: close matches among every
    accepted name and alias (:func:`accepted_holders`; :func:`geostress.util.suggest.did_you_mean`), then the
    accepted names by kind: the holder groups (``official`` beside ``foreign_official``), the countries whose
    official holdings sell, and apart from them those with none (:func:`without_official_holdings`)."""
    from geostress.data.sources.tic_mfh import holder_slug
    from geostress.util.suggest import did_you_mean

    names = accepted_holders(market)
    # compared as resolve_seller reads a name (lower case, ``_`` for spaces and hyphens): an alias suggested that
    # way resolves
    spelled = {holder_key(a): a for a in names["aliases"] if holder_slug(holder_key(a)) == holder_slug(a)}
    known = dict.fromkeys([*names["groups"], *names["countries"], *spelled, *names["sectors"]])
    hint = did_you_mean(holder_key(holder), known)
    tic = f"{market.tic_month:%Y-%m}"
    none = without_official_holdings(market)
    selling = [c for c in names["countries"] if c not in none]
    aliases = [a for a in names["aliases"] if holder_slug(a) not in none]
    groups = ", ".join("foreign_official or official" if g == "foreign_official" else g for g in HOLDER_GROUPS)
    apart = (f" TIC also lists {', '.join(none)}, with no official holdings under the assumed official share (0%): "
             "price a sale by their private holders with --holder foreign_private." if none else "")
    return (f"--holder {holder!r} is not a holder at {market.at:%Y-%m}{hint or '.'} Give a holder group "
            f"({groups}), a country TIC lists at {tic}, whose official holdings sell "
            f"({', '.join(selling)}; or by a common name: {', '.join(map(repr, aliases))}), or a "
            f"holder sector ({', '.join(names['sectors'])}).{apart}")


def over_holdings_error(market: MarketAt, seller: Seller, holder: str, amount_bn: float) -> ScenarioError:
    """The error of a sale of ``amount_bn`` larger than ``seller``'s holdings, naming the largest amount accepted
    (two decimals, rounded down) and what to do; ``holder`` as the user gave it.

    A TIC country sells its official holdings, an assumed share of its row: the message gives the row, the share
    and the private sale to price instead. A country or sector with no holdings at all (an assumed official share
    of 0%: Bermuda, the Cayman Islands) says so, with the holder to use instead, as an error about ``holder``: no
    amount of it can be sold."""
    own = (f"{seller.name.removesuffix('_official')}_private" if seller.name.endswith("_official") else
           f"{seller.name}_private")  # the country's private holdings, where the holders list them
    sectors = {sector.name: sector.holdings for sector in market.holders.sectors}
    at = f"{market.at:%Y-%m}"
    most = math.floor(seller.holdings_bn * 100.0) / 100.0  # two decimals, down: the largest amount accepted
    if seller.holdings_bn <= 0.0 and seller.kind == "official":
        country = seller.name.removesuffix("_official") if seller.name not in market.tic_countries else seller.name
        total = market.tic_countries.get(country)
        private = f"--holder {own}" if sectors.get(own, 0.0) > 0.0 else "--holder foreign_private"
        countries = [c for c in market.tic_countries if c not in without_official_holdings(market)]
        example = max(countries, key=market.official_holdings, default="japan")
        held = (f"TIC's {total:,.1f} bn are all private under its assumed official share of 0% [assumption]"
                if total else "it holds no Treasuries")
        return ScenarioError(f"--holder {holder} has no official holdings at {at}: {held} (price a private sale "
                             f"with {private}), so --amount-bn {typed_number(amount_bn)} cannot be sold from "
                             f"official holdings; to sell official holdings, name a country that has them (e.g. "
                             f"--holder {example})",
                             parameter="holder")
    whose = f"{seller.name} holds"
    if seller.name in market.tic_countries:  # a country sells from its official holdings, an assumed share
        total = market.tic_countries[seller.name]
        share = seller.holdings_bn / total if total > 0 else 0.0
        private = f"--holder {own}" if own in sectors else "--holder private"
        whose = (f"{seller.name}'s official holdings (TIC's {total:,.1f} bn × an assumed official share of "
                 f"{share:.0%}; the rest is private: price a private sale with {private}) are")
    return ScenarioError(f"{whose} {most:,.2f} bn at {at}; --amount-bn {typed_number(amount_bn)} is more than "
                         "that: sell at most that", parameter="amount_bn")


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
        for key in dict.fromkeys((holder_key(holder), holder_slug(holder))):
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
                      pace_gdp: str = "", backstop_gdp: str = "", orderly_bn: float | None = None,
                      between_bn: float | None = None, stress: Any = None,
                      weaker: str = "a lower stated stress brings the Fed in later") -> list[str]:
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
    * **orderly backstop**: purchases made against orderly selling (no market-wide liquidity stress), ``orderly_bn``
      (USD bn), above $0.5bn: the Fed has never met orderly selling, so the backstop-on figures rest on the orderly
      trigger, a judgement (:attr:`geostress.model.market.MarketParams.backstop_orderly_trigger_bp`);
    * **partial stress**: purchases made against the share of the pressure that a liquidity stress between 0 and 1
      hands to March 2020's trigger (beyond the runs' own selling, which that trigger meets at any stress),
      ``between_bn``, above $0.5bn, naming those months' stress (``stress``: by month, or one number for every
      month of a sale): how much of the rest of the pressure the Fed meets as a dash for cash at a partial stress
      is a judgement between the orderly one and March 2020's calibration, so ``weaker`` (in ``geostress run``: a
      weaker shock meets less of the other selling; for one sale, a lower stated stress brings the Fed in
      later).

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
    if orderly_bn is not None and float(orderly_bn) > ORDERLY_BACKSTOP_NOTE_BN:
        out.append(f"the backstop buys ${float(orderly_bn):,.0f}bn against orderly selling (no market-wide dash for "
                   "cash), which the Fed has never done: the flow pressure passes the backstop's orderly trigger, a "
                   "judgement (80–110 bp; docs/market.md), so read the backstop-off figures beside these")
    levels = np.atleast_1d(np.asarray(0.0 if stress is None else stress, dtype=float))
    between = np.flatnonzero((levels > 0.0) & (levels < 1.0))
    if between.size and between_bn is not None and float(between_bn) > ORDERLY_BACKSTOP_NOTE_BN:
        if levels.size == 1:
            at = f"at liquidity stress {levels[0]:g}"
        else:
            shown = ", ".join(f"{levels[i]:g} in month {i + 1}" for i in between[:4])
            at = f"in the months whose liquidity stress is {shown}{' and more' if between.size > 4 else ''}"
        out.append(f"the backstop buys ${float(between_bn):,.0f}bn {at}, between orderly selling (0) and a dash for "
                   "cash (1): it meets the pressure from the orderly judgement (purchases from 80–110 bp) and the "
                   "share of it that the stress hands to March 2020's trigger (from 5–15 bp), and that share is a "
                   f"judgement, so {weaker}; read the backstop-off figures beside these")
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

    :func:`evidence_warnings`' pace, backstop size, and with ``backstop_bn`` a backstop that buys at all against
    orderly selling (``stress`` 0) or, at a stress between 0 and 1, against the share of the sale's pressure that
    the stress hands to March 2020's trigger; and a stress above 0 held over more than
    :data:`DASH_FOR_CASH_MONTHS_ON_RECORD` months, longer than the one dash for cash on record."""
    found = evidence_warnings(np.array([amount_bn / months]), gdp_bn, backstop_bn, gdp_bn,
                              backstop_gdp=" (of the market date's GDP; the median over the draws)",
                              orderly_bn=backstop_bn if stress == 0.0 else None,
                              between_bn=backstop_bn if 0.0 < stress < 1.0 else None, stress=stress)
    if stress > 0.0 and months > DASH_FOR_CASH_MONTHS_ON_RECORD:
        found.append(f"the liquidity stress is held over all {months} months of the sale, where the one dash for cash "
                     f"on record lasted weeks and the Fed reversed it within 2–4 weeks (March–April 2020; "
                     "MARKET_EVIDENCE.md §2): the backstop-on figures extrapolate that episode")
    return "; ".join(found) or None


def whole_number(value: Any) -> bool:
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
    if not whole_number(months):
        return ScenarioError(f"--months {months!r} must be a whole number of months ({MIN_MONTHS}..{MAX_MONTHS}), "
                             "e.g. 12", parameter="months")
    for name, value in (("draws", draws), ("seed", seed)):
        if not whole_number(value) or value < 0:
            return ScenarioError(f"{name}={value!r} must be a whole number ≥ 0", parameter=name)
    if not np.isfinite(amount_bn) or amount_bn < 0:
        return ScenarioError(f"--amount-bn {typed_number(amount_bn)} must be a non-negative number: give the USD bn "
                             "sold, e.g. 300", parameter="amount_bn")
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        fix = (f"a sale takes at least {MIN_MONTHS} month" if months < MIN_MONTHS else
               f"spread the sale over at most {MAX_MONTHS}")
        return ScenarioError(f"--months {months} must lie in {MIN_MONTHS}..{MAX_MONTHS}: {fix}", parameter="months")
    if not isinstance(motive, str) or motive.strip().lower() not in mk.MOTIVES:
        return ScenarioError(f"--motive {motive!r} is not one of {', '.join(mk.MOTIVES)}", parameter="motive")
    given = outside_range(liquidity_stress, 0.0, 1.0)
    if given is not None:
        return ScenarioError(f"--liquidity-stress {given} must be a number from 0 (orderly selling) to 1 (a "
                             "market-wide dash for cash, as in March 2020)", parameter="liquidity_stress")
    return None


def outside_range(value: Any, low: float, high: float) -> str | None:
    """``value`` as a message should echo it when it is not a number (a bool is not) within ``low``..``high``
    (NaN is not): the fewest significant digits that read back as the same float, so 1.00000000001 does not read
    as the 1 it is refused beside and −0.1 does not read as −0.10000000000000001; None when it is one."""
    number = not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating)
    if number and low <= value <= high:
        return None
    if not number:
        return repr(value)
    value = float(value) + 0.0  # −0 is 0
    if not math.isfinite(value):
        return str(value)  # nan, inf, -inf
    return next(text for digits in range(1, 18) if float(text := f"{value:.{digits}g}") == value)


def stress_without_backstop(stress: float) -> str:
    """Why ``--liquidity-stress`` above 0 cannot go with ``--backstop off``: the one message of the command, the
    Python call and the service."""
    return (f"--liquidity-stress {stress:g} sets what the backstop meets and nothing else, so with --backstop off it "
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
        whatever its motive) to 1 (the sale meets a market-wide dash for cash, as in March 2020): the share of
        the sale's pressure the backstop meets from its March-2020 trigger rather than its orderly one
        (:func:`geostress.model.market.dash_pressure`), 0 again after the sale, as a scenario's
        ``[[liquidity_shocks]]`` do (docs/market.md).

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
    motive = motive.strip().lower()  # any case, as the command line takes it
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
        raise over_holdings_error(market, seller, holder, amount_bn)
    read = persistent_month(months)
    horizon = read
    schedule = mk.sale_schedule(amount_bn, months, horizon)
    key = {"official": "official_liquidity" if motive == "liquidity" else "official",
           "private": "foreign_private", "fed": "fed_purchases"}[seller.kind]
    flows = {key: -schedule if seller.kind == "fed" else schedule}
    # one holder's sale, whatever its motive, is orderly selling for the backstop (its orderly trigger,
    # mk.dash_pressure) unless the user states a market-wide liquidity stress in the sale's months
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


__all__ = ["ImpactResult", "impact", "resolve_seller"]
