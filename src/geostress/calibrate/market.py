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

Elasticity weights (relative; :class:`~geostress.model.market.MarketParams` scales them to the Beltran long-run
figure) are in :data:`ELASTICITY_WEIGHTS`: official holders nearly inelastic, the Fed not at all, leveraged and
total-return private holders most.

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

from dataclasses import dataclass, field, fields
from datetime import date

import numpy as np
import pandas as pd

from geostress.data.store import Store
from geostress.errors import DataError, ScenarioError
from geostress.model.market import MarketParams, SectorSpec

#: TIC rows that are aggregates or discontinued regions, not countries.
TIC_AGGREGATES = frozenset({
    "grand_total", "foreign_official", "foreign_official_bills", "foreign_official_bonds_notes", "all_other",
    "carib_bnkng_ctrs", "oil_exporters", "belgium_luxembourg",
})  # fmt: skip

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

#: Relative semi-elasticities to the term premium [assumption]; only ratios matter.
ELASTICITY_WEIGHTS: dict[str, float] = {
    "foreign_official": 0.05, "foreign_private": 1.0, "fed": 0.0,
    "banks": 0.6, "money_market_funds": 0.3, "mutual_funds": 1.0, "pensions_insurers": 0.5,
    "hedge_funds_households": 2.0, "state_local": 0.3, "other_domestic": 0.8,
}  # fmt: skip


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

    def params(self, **kwargs: float) -> MarketParams:
        """:class:`MarketParams` over these sectors; ``kwargs`` set the literature parameters."""
        return MarketParams(self.sectors, **kwargs)

    def table(self) -> pd.DataFrame:
        """One row per sector: name, group, holdings (USD bn), elasticity weight, source."""
        return pd.DataFrame([{"name": s.name, "group": s.group, "holdings": s.holdings,
                              "elasticity_weight": s.elasticity_weight, "source": s.source} for s in self.sectors])


def _latest(store: Store, series: str, at: date, as_of: date | str | None) -> float:
    frame = store.get(series, end=at, as_of=as_of)
    if frame.empty:
        raise DataError(f"series {series!r} has no observation on or before {at}; import it "
                        "(`geostress data update`) or choose a later date")
    return float(frame["value"].iloc[-1])


def build_holders(
    store: Store,
    at: date | str = date(2025, 12, 31),
    *,
    top: int = 10,
    as_of: date | str | None = None,
    domestic_shares: FinancialAccountsShares | None = None,
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
    grand = _latest(store, "tic.mfh.grand_total", at, as_of)
    official = _latest(store, "tic.mfh.foreign_official", at, as_of)
    fed = _latest(store, "fred.treast", at, as_of)
    dhp = _latest(store, "fred.fygfdpun", at, as_of)
    tic_date = pd.Timestamp(store.get("tic.mfh.grand_total", end=at, as_of=as_of)["period"].iloc[-1])
    countries = [s for s in store.series_ids() if s.startswith("tic.mfh.") and s[8:] not in TIC_AGGREGATES]
    frame = store.get(countries, start=tic_date, end=tic_date, as_of=as_of)
    frame = frame.sort_values("value", ascending=False).head(top)
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
    assumed = "official share [assumption: OFFICIAL_SHARE_ASSUMED]"
    sectors: list[SectorSpec] = []
    w = ELASTICITY_WEIGHTS
    for n, o, p in zip(names, off, priv, strict=True):
        sectors.append(SectorSpec(f"{n}_official", float(o), "foreign_official", w["foreign_official"],
                                  source=f"{tic}, {n}; {assumed}"))
        sectors.append(SectorSpec(f"{n}_private", float(p), "foreign_private", w["foreign_private"],
                                  source=f"{tic}, {n}; {assumed}"))
    sectors.append(SectorSpec("other_foreign_official", float(official - off.sum()), "foreign_official",
                              w["foreign_official"], source=f"{tic}: foreign official less the rows above"))
    sectors.append(SectorSpec("other_foreign_private", float(grand - official - priv.sum()), "foreign_private",
                              w["foreign_private"], source=f"{tic}: grand total less official less the rows above"))
    sectors.append(SectorSpec("fed", fed, "fed", w["fed"], source=f"FRED TREAST, latest on or before {at}"))
    domestic = dhp - fed - grand
    if domestic <= 0:
        raise DataError(f"debt held by the public ({dhp:,.0f}) is not larger than Fed ({fed:,.0f}) plus foreign "
                        f"({grand:,.0f}) holdings at {at}; check fred.fygfdpun")
    for name, share in shares.as_dict().items():
        sectors.append(SectorSpec(name, domestic * share, "domestic", w[name],
                                  source=f"FRED FYGFDPUN − TREAST − TIC total, × {shares.citation}"))
    return Holders(at, tuple(sectors), dhp, fed, grand, official, shares)
