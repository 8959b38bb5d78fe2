"""Holder sectors of the Treasury market, from the store, for :mod:`geostress.model.market`.

At a date, :func:`build_holders` reads (latest observation on or before it):

* **Foreign holders** from TIC's Major Foreign Holders table: the grand total (``tic.mfh.grand_total``) and the
  foreign-official total (``tic.mfh.foreign_official``). TIC's country rows do *not* split official from private
  holdings, so each of the ``top`` largest country rows is split with an assumed official share
  (:data:`OFFICIAL_SHARE_ASSUMED`, each marked ``[assumption]``); the rest of the official and private totals
  form ``other_foreign_official`` / ``other_foreign_private``, so the official and grand totals match TIC exactly.
  TIC attributes holdings to the custodian's country (Belgium, Luxembourg, the Cayman Islands and the UK hold for
  third parties), which is why financial centres get low official shares.
* **The Federal Reserve** from FRED ``TREAST`` (weekly, USD bn).
* **Domestic sectors**: debt held by the public (FRED ``FYGFDPUN``, quarterly) less the Fed and foreign holdings,
  split with the shares of :class:`FinancialAccountsShares` (Federal Reserve Z.1 table L.210, recalled, marked
  ``[approximate]``).

The sectors only say who holds what (the most each can sell, and which class absorbs a sale); the price impact
is in :mod:`geostress.model.market`, in bp per pp of GDP, so it needs GDP too: :func:`market_at` gives holders,
GDP and debt at a date, :func:`replay_flows` the monthly flows of history (TIC, TREAST, FYGFDPUN) beside the ACM
term premium.

References
----------
U.S. Treasury, Treasury International Capital (TIC) System, *Major Foreign Holders of Treasury Securities*
(mfhhis01.txt), December 2025.
Congressional Research Service, RS22331, *Foreign Holdings of Federal Debt* (2025): foreign holdings ≈31% of debt
held by the public, 42% of them official.
Board of Governors of the Federal Reserve System, *Financial Accounts of the United States* (Z.1), table L.210
"Treasury Securities", 2025Q2.
Federal Reserve Bank of St. Louis, FRED series TREAST and FYGFDPUN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date

import numpy as np
import pandas as pd

from geostress.data.sources.tic_mfh import PRIOR_PREFIX, REGIONAL_SLUGS, TOTAL_SLUGS, change_within_series
from geostress.data.store import Store
from geostress.errors import DataError, ScenarioError, UnknownSeriesError
from geostress.model.market import GROUPS, SectorSpec, find_sector

#: TIC rows that are totals or regional groups, not one country (the market prices a country's sale).
TIC_AGGREGATES = TOTAL_SLUGS | REGIONAL_SLUGS

#: Assumed official share of each country's TIC holdings [assumption]: TIC publishes only the official total.
#: Reserve managers hold most of China's, India's, Saudi Arabia's and Brazil's; Japan's split between the
#: Ministry of Finance's reserves and private banks and life insurers; financial centres hold mostly in custody
#: for private investors. Countries not listed get :data:`OFFICIAL_SHARE_DEFAULT`.
OFFICIAL_SHARE_ASSUMED: dict[str, float] = {
    "china_mainland": 0.90, "india": 0.90, "saudi_arabia": 0.90, "brazil": 0.90, "japan": 0.60,
    "taiwan": 0.70, "korea_south": 0.60, "hong_kong": 0.50, "singapore": 0.60, "switzerland": 0.60,
    "norway": 0.70, "united_arab_emirates": 0.70, "kuwait": 0.80, "israel": 0.80, "mexico": 0.80,
    "thailand": 0.80, "philippines": 0.80, "canada": 0.20, "united_kingdom": 0.20, "belgium": 0.30,
    "france": 0.30, "germany": 0.30, "luxembourg": 0.10, "ireland": 0.10, "cayman_islands": 0.0,
    "bermuda": 0.0, "bahamas": 0.0, "netherlands": 0.20,
}  # fmt: skip
#: CRS RS22331 (2025): 42% of foreign holdings are official.
OFFICIAL_SHARE_DEFAULT = 0.42

@dataclass(frozen=True)
class FinancialAccountsShares:
    """Shares of domestic non-Fed holdings of Treasury securities by sector (sum to 1).

    Levels recalled from Z.1 table L.210 for 2025Q2 (USD tn, approximate): depository institutions 1.8, money
    market funds 2.6, mutual funds and ETFs 2.0, pension funds and insurers (private and state-and-local DB,
    life, property-casualty) 1.6, households and nonprofits (which include hedge funds) 4.5, state and local
    governments 1.6, other (nonfinancial business, broker-dealers, GSEs, credit unions) 2.0. [approximate]
    """

    banks: float = 0.112
    money_market_funds: float = 0.161
    mutual_funds: float = 0.124
    pensions_insurers: float = 0.099
    hedge_funds_households: float = 0.280
    state_local: float = 0.099
    other_domestic: float = 0.125
    citation: str = ("Federal Reserve Board, Financial Accounts of the United States (Z.1), table L.210 Treasury "
                     "Securities, 2025Q2 [approximate: recalled levels, verify against the release]")

    def __post_init__(self) -> None:
        values = self.as_dict()
        if any(not np.isfinite(v) or v < 0 for v in values.values()):
            raise ScenarioError("Financial Accounts shares must be finite and non-negative")
        if abs(sum(values.values()) - 1.0) > 1e-6:
            raise ScenarioError(f"Financial Accounts shares sum to {sum(values.values()):.4f}; they must sum to 1")

    def as_dict(self) -> dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in fields(self) if f.name != "citation"}


@dataclass(frozen=True, eq=False)
class Holders:
    """Treasury holders at a date, ready for :class:`~geostress.model.market.MarketParams`.

    Attributes
    ----------
    at
        The date the holdings refer to.
    sectors
        The holder sectors (USD bn), with their sources.
    debt_held_by_public, fed, foreign_total, foreign_official
        The totals read from the store, USD bn.
    domestic_shares
        The Financial Accounts split used for the domestic residual.
    """

    at: date
    sectors: tuple[SectorSpec, ...]
    debt_held_by_public: float
    fed: float
    foreign_total: float
    foreign_official: float
    domestic_shares: FinancialAccountsShares = field(default_factory=FinancialAccountsShares)

    @property
    def total(self) -> float:
        return float(sum(s.holdings for s in self.sectors))

    @property
    def official_share(self) -> float:
        """Foreign-official share of all holdings, decimal."""
        return self.foreign_official / self.total

    def table(self) -> pd.DataFrame:
        """One row per sector: name, group, holdings (USD bn), source."""
        return pd.DataFrame([{"name": s.name, "group": s.group, "holdings": s.holdings, "source": s.source}
                             for s in self.sectors])

    def sector(self, name: str) -> SectorSpec:
        """The sector called ``name`` (an unknown name raises with close matches)."""
        return find_sector(self.sectors, name)

    def class_holdings(self) -> np.ndarray:
        """(3,) holdings of the contagion block's classes (foreign official, foreign private, domestic private)."""
        by_group = {g: sum(s.holdings for s in self.sectors if s.group == g) for g in GROUPS}
        return np.array([by_group["foreign_official"], by_group["foreign_private"], by_group["domestic"]])


def latest_value(store: Store, series: str, at: date, as_of: date | str | None) -> float:
    """The last observation of ``series`` on or before ``at`` (as known at vintage ``as_of``); a
    :class:`DataError` saying what to do when there is none."""
    frame = store.get(series, end=at, as_of=as_of)
    if frame.empty:
        raise DataError(f"series {series!r} has no observation on or before {at}; import it "
                        "(`geostress data update`) or choose a later date")
    return float(frame["value"].iloc[-1])


@dataclass(frozen=True)
class _Snapshot:
    """The series the holders need, read in one query: latest values on or before a date and TIC's rows."""

    at: date
    values: dict[str, float]
    tic_date: pd.Timestamp
    countries: dict[str, float]
    first: dict[str, date]  # first observation of a needed series that has none in the two years to ``at``

    def latest(self, series: str) -> float:
        if series not in self.values:
            since = self.first.get(series)
            later = f"a date from {since:%Y-%m-%d}, when the series starts" if since else "a later date"
            raise DataError(f"series {series!r} has no observation in the two years to {self.at}; import it "
                            f"(`geostress data update`) or choose {later}")
        return self.values[series]


#: The series a market at a date is built from (TIC's totals, the Fed's holdings, debt held by the public, GDP):
#: the market can be priced at a month once every one of them has started.
PRICED_SERIES = ("tic.mfh.grand_total", "tic.mfh.foreign_official", "fred.treast", "fred.fygfdpun", "fred.gdp")


@dataclass(frozen=True)
class PricedMonths:
    """The months a market can be priced at: from ``first``, when every one of :data:`PRICED_SERIES` has started
    (``latest_series`` is the one that starts last, on ``latest_start``), to ``last``, TIC's last month."""

    first: pd.Period
    last: pd.Period
    latest_series: str
    latest_start: date

    def choose(self, option: str = "--at") -> str:
        """What to give instead, in words naming ``option``."""
        return (f"choose {option} from {self.first:%Y-%m} to {self.last:%Y-%m}, or leave {option} out for the latest "
                "market")


def catalog_of(store: Store, series: Sequence[str]) -> pd.DataFrame:
    """The store's catalog indexed by series id, once every one of ``series`` is in it; else a :class:`DataError`
    naming the missing ones (for a pinned store, :meth:`~geostress.data.store.Store.refuse_unreleased` first: a
    series released after its day is named with its release, the last released of them)."""
    catalog = store.catalog().set_index("series_id")
    missing = [s for s in series if s not in catalog.index]
    store.refuse_unreleased(*missing)
    if missing:
        raise DataError(f"series {', '.join(missing)} not in the store; import it (`geostress data update`)")
    return catalog


def priced_months(store: Store, as_of: date | str | None = None) -> PricedMonths:
    """The months a market can be priced at (:class:`PricedMonths`), from the store's catalog (one query), or at
    vintage ``as_of`` from the series themselves; a :class:`DataError` for a series the store lacks."""
    if as_of is None:
        catalog = catalog_of(store, PRICED_SERIES)
        starts = {s: catalog.at[s, "start"].date() for s in PRICED_SERIES}
        end = catalog.at["tic.mfh.grand_total", "end"].date()
    else:
        periods = {s: store.get(s, as_of=as_of)["period"] for s in PRICED_SERIES}
        empty = [s for s, p in periods.items() if p.empty]
        if empty:
            raise DataError(f"series {', '.join(empty)} has no observation at vintage {as_of}; import it (`geostress "
                            "data update`) or choose a later as_of")
        starts = {s: pd.Timestamp(p.min()).date() for s, p in periods.items()}
        end = pd.Timestamp(periods["tic.mfh.grand_total"].max()).date()
    latest = max(starts, key=lambda series: starts[series])
    return PricedMonths(pd.Timestamp(starts[latest]).to_period("M"), pd.Timestamp(end).to_period("M"), latest,
                        starts[latest])


def _snapshot(store: Store, at: date, as_of: date | str | None) -> _Snapshot:
    countries = [s for s in store.series_ids() if s.startswith("tic.mfh.") and s[8:] not in TIC_AGGREGATES]
    start = (pd.Timestamp(at) - pd.DateOffset(years=2)).date()
    frame = store.get([*PRICED_SERIES, *countries], start=start, end=at, as_of=as_of)
    frame = frame.sort_values(["series_id", "period"], kind="stable")
    last = frame.groupby("series_id", sort=False).tail(1)
    values = dict(zip(last["series_id"], last["value"].astype(float), strict=True))
    grand = frame[frame["series_id"] == "tic.mfh.grand_total"]
    if grand.empty:
        try:  # the months every series the market needs covers: from the latest start to TIC's end
            months = priced_months(store, as_of)
            covers = f"({months.first:%Y-%m} to {months.last:%Y-%m})"
        except DataError:
            covers = "(none in the store)"
        raise DataError(f"series 'tic.mfh.grand_total' has no observation in the two years to {at}; import it "
                        f"(`geostress data update`) or choose a month the market's series all cover {covers}")
    tic_date = pd.Timestamp(grand["period"].iloc[-1])
    rows = frame[(frame["period"] == tic_date) & frame["series_id"].isin(countries)]
    first = {}
    for series in (s for s in PRICED_SERIES if s not in values):  # for the error message only
        whole = store.get(series, as_of=as_of)
        if not whole.empty:
            first[series] = pd.Timestamp(whole["period"].min()).date()
    return _Snapshot(at, values, tic_date, {sid[8:]: float(v) for sid, v in
                                            zip(rows["series_id"], rows["value"], strict=True)}, first)


def build_holders(
    store: Store,
    at: date | str = date(2025, 12, 31),
    *,
    top: int = 10,
    as_of: date | str | None = None,
    domestic_shares: FinancialAccountsShares | None = None,
    _data: _Snapshot | None = None,
) -> Holders:
    """Holder sectors at ``at`` (latest observation of each series on or before it).

    Parameters
    ----------
    store
        The observation store.
    at
        Reference date.
    top
        Number of TIC country rows split into their own official and private sectors.
    as_of
        Use only vintages released on or before this date.
    domestic_shares
        Override the Financial Accounts split.
    """
    at = pd.Timestamp(at).date()
    shares = domestic_shares or FinancialAccountsShares()
    data = _data or _snapshot(store, at, as_of)
    grand, official = data.latest("tic.mfh.grand_total"), data.latest("tic.mfh.foreign_official")
    fed, dhp = data.latest("fred.treast"), data.latest("fred.fygfdpun")
    tic_date = data.tic_date
    frame = pd.DataFrame({"series_id": [f"tic.mfh.{k}" for k in data.countries],
                          "value": list(data.countries.values())})
    frame = frame.sort_values("value", ascending=False, kind="stable").head(top)
    names = [sid[8:] for sid in frame["series_id"]]
    amounts = frame["value"].to_numpy(float)
    off = np.array([OFFICIAL_SHARE_ASSUMED.get(n, OFFICIAL_SHARE_DEFAULT) for n in names]) * amounts
    priv = amounts - off
    # Keep TIC's totals exact: scale the assumed splits down if they overshoot either total.
    if off.sum() > official:
        off *= official / off.sum()
        priv = amounts - off
    if priv.sum() > grand - official:
        priv *= (grand - official) / priv.sum()
        off = amounts - priv
    if off.sum() > official + 1e-9 or amounts.sum() > grand + 1e-9:
        raise DataError(f"TIC country rows at {tic_date.date()} exceed the foreign totals; check the store")
    month = tic_date.strftime("%b-%Y")
    tic = f"TIC Major Foreign Holders, {month}"
    sectors: list[SectorSpec] = []
    for n, o, p in zip(names, off, priv, strict=True):
        # the share assumed for the country (before any scaling to TIC's totals), in words a reader can check
        assumed = f"official share {OFFICIAL_SHARE_ASSUMED.get(n, OFFICIAL_SHARE_DEFAULT):.0%} [assumption]"
        sectors.append(SectorSpec(f"{n}_official", float(o), "foreign_official", source=f"{tic}, {n}; {assumed}"))
        sectors.append(SectorSpec(f"{n}_private", float(p), "foreign_private", source=f"{tic}, {n}; {assumed}"))
    sectors.append(SectorSpec("other_foreign_official", float(official - off.sum()), "foreign_official",
                              source=f"{tic}: foreign official less the rows above"))
    sectors.append(SectorSpec("other_foreign_private", float(grand - official - priv.sum()), "foreign_private",
                              source=f"{tic}: grand total less official less the rows above"))
    sectors.append(SectorSpec("fed", fed, "fed", source=f"FRED TREAST, latest on or before {at}"))
    domestic = dhp - fed - grand
    if domestic <= 0:
        raise DataError(f"debt held by the public ({dhp:,.0f}) is not larger than Fed ({fed:,.0f}) plus foreign "
                        f"({grand:,.0f}) holdings at {at}; check fred.fygfdpun")
    for name, share in shares.as_dict().items():
        sectors.append(SectorSpec(name, domestic * share, "domestic",
                                  source=f"FRED FYGFDPUN − TREAST − TIC total, × {shares.citation}"))
    return Holders(at, tuple(sectors), dhp, fed, grand, official, shares)


# -- the market at a date -----------------------------------------------------------------------------------------
#: Modified duration of foreign holdings used to take valuation changes out of TIC's month-on-month changes, on the
#: 10-year yield's change [calibrated on one episode: with month-end yields (FRED DGS10) 4 years gives $241bn of
#: official net sales Mar–May 2020 from TIC's −$159bn change, against Weiss (2022)'s ≈$244bn; bills are 6–10% of
#: official holdings since 2012 (tic.mfh.foreign_official_bills), so ≈4⅓ years on the notes and bonds. The replay's
#: slope from 2012 turns on it (docs/market.md)].
FOREIGN_DURATION_YEARS = 4.0
#: First month whose change in TIC's holdings is market value to market value: from January 2012 form SLT reports
#: foreign holdings of notes and bonds at market value every month. Before, the MFH table added net transactions
#: (form S) to the last benchmark (the end-June survey), so a month's change within one series holds no valuation
#: change; Treasury's note on the new methodology calls its rolling estimate of the latest month, net transactions
#: added to the last SLT value, "similar to the previous MFH methodology".
TIC_MARKET_VALUE_FROM = pd.Timestamp("2012-01-31")
#: TIC's two SLT benchmarks of 2011 (footnotes 16/ and 17/ of mfhhis01.txt): September 2011's SLT level replaced
#: the end-June survey plus July–August transactions, December 2011's September's SLT plus October–November
#: transactions. The file gives no older series beside them, so the change into them mixes the month's
#: transactions, the valuation since the last benchmark and the benchmark's revision of the level (at the June
#: surveys, where both series are given, the revision alone reached $383bn of foreign-official holdings in 2010):
#: a flow that cannot be told apart, missing in the replay.
TIC_SLT_BENCHMARKS = (pd.Timestamp("2011-09-30"), pd.Timestamp("2011-12-31"))


def tic_change_is_market_value(months: pd.DatetimeIndex) -> np.ndarray:
    """Whether TIC's change in holdings into each month end is market value to market value.

    True from :data:`TIC_MARKET_VALUE_FROM` on, where a valuation change is in the change and must come out of it
    to leave net purchases; False before, where the MFH table's change is net transactions (taking a valuation
    change out of it would book the yield's move as a purchase or sale). The benchmarks of 2011
    (:data:`TIC_SLT_BENCHMARKS`) are before it, and :func:`replay_flows` counts them as missing.

    References
    ----------
    U.S. Treasury, "New Methodology for Estimating Major Foreign Holders of Treasury Securities" (29 February 2012),
    https://home.treasury.gov/data/treasury-international-capital-tic-system-home-page/help-files/estimating-holdings-of-treasury-securities;
    TIC, *Major Foreign Holders of Treasury Securities* (mfhhis01.txt), footnotes 6/ to 17/.
    """
    return np.asarray(months >= TIC_MARKET_VALUE_FROM)


def tic_valuation_rate(yield_10y: pd.Series, duration_years: float = FOREIGN_DURATION_YEARS) -> pd.Series:
    """The valuation change TIC's change in holdings holds each month, as a share of last month's holdings.

    ``−duration_years`` × the change in ``yield_10y`` (percent, at month ends: TIC's holdings are month-end
    positions) where the change is market value to market value (:func:`tic_change_is_market_value`), 0 where it
    is net transactions. A holder's net purchases are its change in holdings less this share of its holdings the
    month before (:func:`replay_flows`; the monitor's breadth of selling).
    """
    change = yield_10y.diff() / 100.0
    return (-duration_years * change).where(tic_change_is_market_value(yield_10y.index), 0.0)


@dataclass(frozen=True, eq=False)
class MarketAt:
    """What the price-impact block needs at a date: holders, GDP and debt held by the public (USD bn).

    Attributes
    ----------
    holders
        Holder sectors at the date.
    gdp_bn
        Nominal GDP at an annual rate, the latest quarter on or before the date (FRED ``GDP``).
    tic_countries
        Every TIC country row at the TIC month used: name → holdings, USD bn.
    tic_month
        The TIC month used (the latest on or before the date).
    """

    holders: Holders
    gdp_bn: float
    tic_countries: dict[str, float]
    tic_month: date

    @property
    def at(self) -> date:
        return self.holders.at

    def country_key(self, country: str) -> str:
        """The TIC row a country's name stands for (``"China"``, ``"UK"``, ``"South Korea"``, ``"korea_south"``:
        TIC's spellings and common names, :func:`geostress.data.sources.tic_mfh.holder_slug`); an unknown name
        raises with close matches and the list."""
        from geostress.data.sources.tic_mfh import NAME_ALIASES, holder_slug
        from geostress.util.suggest import did_you_mean

        key = country.strip().lower().replace(" ", "_").replace(",", "")
        if key in self.tic_countries:
            return key
        alias = holder_slug(country)
        if alias in self.tic_countries:
            return alias

        known = sorted(self.tic_countries)
        aliases = sorted(a for a in NAME_ALIASES if holder_slug(a) in self.tic_countries)
        # aliases as the key above reads a name, where that spelling resolves (not "korea_republic_of")
        spelled = [s for s in (a.strip().lower().replace(" ", "_").replace(",", "") for a in aliases)
                   if holder_slug(s) in self.tic_countries]
        hint = did_you_mean(key, dict.fromkeys([*known, *spelled]))
        raise ScenarioError(f"{country!r} is not a country TIC lists at {self.tic_month:%Y-%m}{hint or '.'} Name one "
                            f"of {', '.join(known)}, or a common name ({', '.join(map(repr, aliases))}).")

    def official_holdings(self, country: str) -> float:
        """A TIC country's official holdings: its TIC row × its assumed official share, USD bn.

        The top countries' split is the one :func:`build_holders` made (scaled to TIC's official total); other
        countries get :data:`OFFICIAL_SHARE_ASSUMED` or :data:`OFFICIAL_SHARE_DEFAULT` [assumption], scaled down
        together where their sum would exceed what TIC's official total leaves after the top countries
        (``other_foreign_official``; at 2025-12 by 4%), so that no set of countries holds more than TIC's total.
        """
        key = self.country_key(country)
        names = {s.name: s for s in self.holders.sectors}
        if f"{key}_official" in names:
            return float(names[f"{key}_official"].holdings)
        assumed = {k: v * OFFICIAL_SHARE_ASSUMED.get(k, OFFICIAL_SHARE_DEFAULT) for k, v in self.tic_countries.items()
                   if f"{k}_official" not in names}
        left = names["other_foreign_official"].holdings if "other_foreign_official" in names else sum(assumed.values())
        total = sum(assumed.values())
        return float(assumed[key] * (min(1.0, max(left, 0.0) / total) if total > 0 else 1.0))


def in_store_words(store: Store) -> str:
    """``"in the store"``, or for a store pinned to a day ``"released by 2026-11-14"``: where a last month was
    looked for, as a message says it."""
    return "in the store" if store.known_by is None else f"released by {store.known_by:%Y-%m-%d}"


def market_at(store: Store, at: date | str | None = None, *, as_of: date | str | None = None) -> MarketAt:
    """Holders, GDP and TIC country rows at ``at`` (default: the latest TIC month in the store).

    Parameters
    ----------
    store
        The observation store.
    at
        A date, or ``YYYY-MM`` for that month's end; default the latest TIC month.
    as_of
        Read the store as it stood at this vintage date (default: the latest vintages).

    Returns
    -------
    MarketAt
        The holder sectors (:func:`build_holders`), nominal GDP (FRED ``GDP``, the latest quarter on or before
        ``at``), TIC's country rows at its month and that month.

    Raises
    ------
    DataError
        ``at`` after TIC's last month in the store, however far (naming ``--at``, with ``parameter`` ``at``), or a
        series the market needs with no observation in the two years to ``at``.
    """
    asked = at is not None
    if store.known_by is not None:  # a pinned store: a series released after its day, the last released named
        catalog_of(store, PRICED_SERIES)
    if at is None:
        at = pd.Timestamp(store.get("tic.mfh.grand_total", start="2020-01", as_of=as_of)["period"].iloc[-1]).date()
    if isinstance(at, str) and len(at) == 7:  # YYYY-MM: the month's end
        at = (pd.Timestamp(at) + pd.offsets.MonthEnd(0)).date()
    at = pd.Timestamp(at).date()

    def after_tic(last: pd.Period) -> DataError:
        return DataError(f"--at {at:%Y-%m} is after TIC's last month {in_store_words(store)} ({last:%Y-%m}): "
                         f"choose --at {last:%Y-%m} or earlier, or leave --at out for the latest market",
                         parameter="at")

    try:
        data = _snapshot(store, at, as_of)
    except DataError:  # past TIC's end by more than the two years the snapshot reads: the same clean refusal
        last = priced_months(store, as_of).last if asked else None
        if last is not None and pd.Timestamp(at).to_period("M") > last:
            raise after_tic(last) from None
        raise
    if asked and data.tic_date.to_period("M") < pd.Timestamp(at).to_period("M"):
        raise after_tic(data.tic_date.to_period("M"))
    holders = build_holders(store, at, as_of=as_of, _data=data)
    return MarketAt(holders, data.latest("fred.gdp"), data.countries, data.tic_date.date())


# -- history for the replay ---------------------------------------------------------------------------------------
def month_end_series(frame: pd.DataFrame) -> pd.Series:
    """A store frame's values at month ends (the last observation in each month; NaN for a month without one)."""
    series = pd.Series(frame["value"].to_numpy(float), index=pd.DatetimeIndex(frame["period"]))
    return series.resample("ME").last()


def _lead_problem(store: Store, lead: int, last: pd.Timestamp, lead_end: pd.Timestamp,
                  as_of: date | str | None) -> str:
    """Why ``--fed-lead`` cannot book the Fed's purchases ``lead`` months early for a window ending ``last``
    (TREAST must reach ``lead_end``), and what to give instead: a later ``--to`` when the window ends before TREAST
    starts, an earlier ``--to`` or a shorter lead when it ends too close to TREAST's last month."""
    frame = store.get("fred.treast", as_of=as_of)
    held = month_end_series(frame) if not frame.empty else pd.Series(dtype=float)
    says = f"--fed-lead {lead} needs the Fed's holdings (fred.treast) to {lead_end:%Y-%m}"
    if held.empty:
        return f"{says}; the store has none: leave --fed-lead out, or import it (`geostress data update`)"
    first, final = held.index[0], held.index[-1]
    if lead_end < first:
        earliest = first - pd.offsets.MonthEnd(lead)
        return (f"{says}, but they start in {first:%Y-%m}: choose --to from {earliest:%Y-%m} on, or leave "
                f"--fed-lead out (the Fed's flow is then missing before {first:%Y-%m}, and counted as missing)")
    latest = final - pd.offsets.MonthEnd(lead)
    longest = (final.year - last.year) * 12 + final.month - last.month
    fixes = ([f"--to by {latest:%Y-%m}"] if latest >= first else []) + (
        [f"a lead of at most {longest}"] if longest > 0 else [])
    fix = " or ".join(fixes) if fixes else "leave --fed-lead out"
    return f"{says}; the store has them from {first:%Y-%m} to {final:%Y-%m}: choose {fix}"


def replay_flows(
    store: Store, start: date | str, end: date | str, *, duration_years: float = FOREIGN_DURATION_YEARS,
    as_of: date | str | None = None, fed_lead_months: int = 0,
) -> pd.DataFrame:  # fmt: skip
    """Monthly flows of history and the observed ACM term premium, month ends from ``start`` to ``end``.

    Columns (USD bn per month unless stated): ``foreign_official`` and ``foreign_private`` net sales (minus
    TIC's month-on-month change in holdings; from January 2012, where TIC's holdings are market values
    (:func:`tic_change_is_market_value`; before, the MFH table's change is net transactions), valuation removed
    with ``duration_years`` × the change in the 10-year yield between month ends, FRED ``DGS10``, as TIC's
    holdings are month-end positions; the SLT benchmarks of September and December 2011
    (:data:`TIC_SLT_BENCHMARKS`) missing; at TIC's series
    breaks — June 2002 to June 2011, where the file gives June on the new series and on the old one — the change
    is measured within one series, June(old) − May, by :func:`change_within_series`);
    ``fed_purchases`` (change in FRED ``TREAST``, month-end); ``supply`` (change in FRED ``FYGFDPUN``, quarterly,
    spread evenly over the quarter's months) and ``supply_smoothed`` (its trailing 12-month mean: coupon sizes
    change at refundings, bills absorb the surprises); ``gdp_bn`` (FRED ``GDP``, interpolated); ``acm_tp10_bp``
    (ACM 10-year term premium at the month's last business day, bp; Adrian, Crump & Moench 2013) and
    ``acm_tp10_change_bp``, its change over the month (the first month's from the end of the month before the
    window, where the flows start). Every series is read with enough history before the window and a quarter
    after it that a month's flows do not depend on the window around it. A month outside a flow's series (TIC
    before March 2000, TREAST before December 2002, debt after its last quarter: the 12-month mean needs twelve
    months of it; TIC's SLT benchmarks of 2011) has a zero flow and ``True`` in ``missing_<column>``.
    ``fed_lead_months`` > 0
    books the Fed's purchases that many months before they settle (``fed_purchases`` at month t is TREAST's
    change in month t + lead), as a market that prices announced programmes would; TREAST must then reach
    ``lead`` months past ``end``.
    """
    if fed_lead_months < 0:
        raise ScenarioError(f"--fed-lead {fed_lead_months}: give a number of months ≥ 0", parameter="fed_lead_months")
    # history before the window: the month before it (changes) and twelve months more (supply's trailing mean)
    # with a quarter to spare; a quarter after it (quarterly debt and GDP are spread over, or interpolated into,
    # the window's months): a month's flows are then the same whatever window holds it
    first = pd.Timestamp(start) - pd.offsets.MonthEnd(1) - pd.offsets.MonthEnd(16)
    last = pd.Timestamp(end) + pd.offsets.MonthEnd(0)
    after = last + pd.offsets.MonthEnd(3)
    months = pd.date_range(pd.Timestamp(start) + pd.offsets.MonthEnd(0), last, freq="ME")
    if len(months) < 1:
        raise ScenarioError(f"replay window {start} .. {end} holds no month end")

    def get(series: str, until: pd.Timestamp = last, *, optional: bool = False) -> pd.Series:
        frame = store.get(series, start=first.date(), end=until.date(), as_of=as_of)
        if frame.empty:
            # a flow whose series starts after the window (TIC before March 2000, TREAST before December 2002) is
            # missing there (a zero flow, counted in ``missing``); a series not in the store at all is an error
            if optional and not store.get(series, as_of=as_of).empty:
                return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
            raise DataError(f"series {series!r} has no data between {first.date()} and {until.date()}; import it "
                            "(`geostress data update`)")
        return month_end_series(frame)

    official = get("tic.mfh.foreign_official", optional=True)
    grand = get("tic.mfh.grand_total", optional=True)

    def prior(series: str) -> pd.Series:
        # the older series at TIC's break months (none outside them; none in a store without TIC's history file)
        try:
            frame = store.get(series, start=first.date(), end=last.date(), as_of=as_of)
        except UnknownSeriesError:
            frame = pd.DataFrame()
        return pd.Series(dtype=float, index=pd.DatetimeIndex([])) if frame.empty else month_end_series(frame)

    official_prior = prior(PRIOR_PREFIX + "foreign_official")
    private_prior = prior(PRIOR_PREFIX + "grand_total") - official_prior
    yield_10y = get("fred.dgs10", optional=True)  # month-end, as TIC's holdings are (GS10 is a monthly average)
    lead_end = last + pd.offsets.MonthEnd(fed_lead_months)
    treast = get("fred.treast", lead_end, optional=True)
    if fed_lead_months and (treast.empty or treast.index[-1] < lead_end):
        raise DataError(_lead_problem(store, fed_lead_months, last, lead_end, as_of), parameter="fed_lead_months")
    debt = get("fred.fygfdpun", after, optional=True)
    gdp = get("fred.gdp", after)
    acm = get("acm.tp10")
    idx = pd.date_range(first, last, freq="ME")
    # booked ``lead`` months early by date (a positional shift would leave the months before TREAST's first
    # observation empty even where their month + lead is known)
    fed = treast.diff().shift(-fed_lead_months, freq="ME").reindex(idx)
    official, grand, yield_10y, treast, acm = (s.reindex(idx) for s in (official, grand, yield_10y, treast, acm))
    private = grand - official
    # valuation only where TIC's change is market value to market value (tic_change_is_market_value)
    rate = tic_valuation_rate(yield_10y, duration_years)
    revalue = lambda held: rate * held.shift(1)  # noqa: E731
    out = pd.DataFrame(index=idx)
    # across a TIC series break the month's change is measured within the older series (change_within_series)
    out["foreign_official"] = -(change_within_series(official, official_prior) - revalue(official))
    out["foreign_private"] = -(change_within_series(private, private_prior) - revalue(private))
    # the SLT benchmarks of 2011: transactions, valuation and the level's revision in one change (missing)
    out.loc[out.index.isin(TIC_SLT_BENCHMARKS), ["foreign_official", "foreign_private"]] = np.nan
    out["fed_purchases"] = fed
    quarterly = debt.dropna()
    per_month = (quarterly.diff() / 3.0).reindex(quarterly.index.union(idx)).bfill(limit=2).reindex(idx)
    out["supply"] = per_month
    # coupon auction sizes change at quarterly refundings and bills absorb the surprises (TBAC's "regular and
    # predictable"): the replay's supply is the trailing 12-month average of net borrowing [judgement]; a month
    # whose twelve are not all known is missing (not an average of the months that are)
    out["supply_smoothed"] = per_month.rolling(12, min_periods=12).mean()
    gdp_q = gdp.dropna()
    out["gdp_bn"] = gdp_q.reindex(gdp_q.index.union(idx)).interpolate("time").ffill().bfill().reindex(idx)
    out["acm_tp10_bp"] = 100.0 * acm
    out["acm_tp10_change_bp"] = 100.0 * acm.diff()  # the first month's from the end of the month before the window
    out = out.loc[months]
    if out["acm_tp10_bp"].isna().any():
        gap = out.index[out["acm_tp10_bp"].isna()][0]
        raise DataError(f"ACM term premium (acm.tp10) missing at {gap:%Y-%m}; choose a window it covers")
    if np.isnan(out["acm_tp10_change_bp"].iloc[0]):
        raise DataError(f"ACM term premium (acm.tp10) missing at {months[0] - pd.offsets.MonthEnd(1):%Y-%m}: the "
                        "replay measures changes from the end of the month before the window; start it a month later")
    flows = ["foreign_official", "foreign_private", "fed_purchases", "supply", "supply_smoothed"]
    for column in flows:
        out[f"missing_{column}"] = out[column].isna()
    out[flows] = out[flows].fillna(0.0)
    out.index.name = "month"
    return out
