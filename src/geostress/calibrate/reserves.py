"""Inputs of the reserve-manager model (:mod:`geostress.model.reserves`) from the store, plus stated assumptions.

From the store:

* **US Treasury buckets**: expected one-year return = the bucket's yield (carry, no expected yield change), the
  monthly average of FRED ``DGS3MO, DGS2, DGS5, DGS10, DGS30``; the covariance from the trailing 120 months of
  monthly yield changes, a bucket's return being ``−D·Δy`` (modified durations :data:`DURATIONS`), annualised.
* **China's holdings**: Treasuries from TIC's Major Foreign Holders table (``tic.mfh.china_mainland``), gold in
  tonnes from the World Gold Council / IMF IFS quarterly table (``gold.wgc.china``, interpolated to months) and
  SAFE's monthly figure in million troy ounces where it exists (``gold.safe.china``, 2025 on), valued at the World
  Bank's monthly average gold price (``worldbank.gold``, Pink Sheet, USD/troy oz), total reserves excluding gold
  from FRED ``TRESEGCNM052N`` (IMF IFS; to 2024-11).

Stated assumptions (no series in the store; every one marked ``[assumption]`` in :data:`ASSUMPTIONS` and in
docs/reserves.md): the expected return, volatility and correlations of gold, non-US sovereigns, EM local bonds, MDB bonds and cash, the holder's
limits, the freeze exposure of each asset and China's current non-Treasury mix.

References
----------
U.S. Treasury, TIC *Major Foreign Holders of Treasury Securities* (mfhhis01.txt).
World Gold Council, *Gold reserves by country* (from IMF IFS); State Administration of Foreign Exchange (SAFE),
*Official reserve assets* (monthly).
Federal Reserve Bank of St. Louis, FRED: DGS3MO, DGS2, DGS5, DGS10, DGS30, TRESEGCNM052N.
World Bank, *Commodity Price Data (The Pink Sheet)*, gold, monthly averages (LBMA PM fix to May 2025).
Erb, C. and Harvey, C. (2013), "The Golden Dilemma", Financial Analysts Journal 69(4): gold's long-run real
return near zero, volatility ≈15–20%.
IMF, *Currency Composition of Official Foreign Exchange Reserves* (COFER): USD ≈57–58%, EUR ≈20%, others ≈22%
of allocated reserves (2024).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geostress.data.store import Store
from geostress.errors import DataError, ScenarioError
from geostress.model.reserves import (ASSETS, DEFAULT_ALLY_PARTICIPATION, N_ASSETS, UST, AssetModel, Constraints,
                                      FreezeRisk)

TROY_OZ_PER_TONNE = 32_150.7466
YIELD_SERIES: dict[str, str] = {
    "ust_bills": "fred.dgs3mo", "ust_2y": "fred.dgs2", "ust_5y": "fred.dgs5", "ust_10y": "fred.dgs10",
    "ust_30y": "fred.dgs30",
}  # fmt: skip
#: Modified duration of each Treasury bucket (years) at yields near 4% [assumption: par bonds of the tenor].
DURATIONS: dict[str, float] = {"ust_bills": 0.25, "ust_2y": 1.9, "ust_5y": 4.5, "ust_10y": 8.1, "ust_30y": 16.5}
COVARIANCE_WINDOW_MONTHS = 120
MIN_WINDOW_MONTHS = 60

#: The gold price series: World Bank Pink Sheet, monthly average, USD per troy ounce (it replaced a table of
#: recalled LBMA annual averages, which were within 0.15% of the World Bank's annual means for 2012–2024 but gave
#: every month its year's average).
GOLD_PRICE_SERIES = "worldbank.gold"


@dataclass(frozen=True)
class OtherAsset:
    """Return assumptions for an asset without a return series in the store [assumption].

    ``mu = base + spread`` where ``base`` is a Treasury bucket's yield (or a constant when ``base`` is None);
    ``vol`` annual; ``rho_us`` the correlation with the 10-year Treasury bucket's return; ``global_loading`` the
    loading on a common non-US factor (residual correlation between non-US assets is the product of loadings).
    """

    base: str | None
    spread: float
    vol: float
    rho_us: float
    global_loading: float
    source: str


#: Non-Treasury assets [assumption]; spreads over the 5y Treasury yield are expected USD returns (including
#: expected currency moves), not yield differentials.
OTHER_ASSETS: dict[str, OtherAsset] = {
    "gold": OtherAsset(None, 0.025, 0.15, 0.10, 0.30,
                       "[assumption] expected nominal return 2.5% (≈ zero real return + 2.5% inflation; Erb & "
                       "Harvey 2013), volatility 15% (LBMA 2000–2024 ≈15–16%), low correlation with Treasuries"),
    "eur_sov": OtherAsset("ust_5y", -0.005, 0.08, 0.35, 0.50,
                          "[assumption] USD return of euro-area sovereigns ≈ US 5y − 0.5 pp (near-UIP with a small "
                          "negative carry), vol 8% (EURUSD ≈7–8% + duration)"),
    "other_ae_sov": OtherAsset("ust_5y", -0.003, 0.08, 0.30, 0.50,
                               "[assumption] JGB/gilt/CAD/AUD sovereigns: US 5y − 0.3 pp, vol 8%"),
    "em_local": OtherAsset("ust_5y", 0.020, 0.11, 0.10, 0.70,
                           "[assumption] EM local-currency bonds: US 5y + 2 pp after expected depreciation, vol 11% "
                           "(JPMorgan GBI-EM GD unhedged USD ≈10–12%)"),
    "mdb": OtherAsset("ust_5y", 0.0015, 0.028, 0.90, 0.00,
                      "[assumption] AAA supranational USD bonds (≈4y duration): US 5y + 15 bp, vol ≈ 2.8%, "
                      "correlation 0.9 with Treasuries"),
    "cash": OtherAsset("ust_bills", -0.001, 0.005, 0.0, 0.0,
                       "[assumption] deposits at central banks/BIS: 3-month bill − 10 bp, vol 0.5%"),
}

#: Freeze exposure by asset when the US sanctions and allies join with probability ``ally_participation``
#: [assumption]: Treasuries and USD cash 1; euro-area, other AE sovereigns and MDB bonds (World Bank, EIB,
#: ADB settle through Western custodians) the ally participation; EM local bonds 0; gold held at home 0.
ALLY_EXPOSED = ("eur_sov", "other_ae_sov", "mdb")
US_EXPOSED = ("ust_bills", "ust_2y", "ust_5y", "ust_10y", "ust_30y", "cash")


@dataclass(frozen=True)
class HolderProfile:
    """A reserve holder's limits, costs and current non-Treasury mix [assumption unless stated]."""

    name: str
    lower: dict[str, float]
    upper: dict[str, float]
    liquidity: dict[str, float]
    min_liquidity: float
    turnover_cost: dict[str, float]
    ust_split: dict[str, float]  # split of Treasury holdings over buckets
    non_ust_mix: dict[str, float]  # split of reserves that are neither Treasuries nor gold
    gold_at_home: float  # share of gold held at home (immune to the freeze)
    sales_holder: str  # market-module holder that sells


CHINA = HolderProfile(
    name="China",
    lower={a: 0.0 for a in ASSETS} | {"gold": 0.01, "cash": 0.02},
    upper={"ust_bills": 0.25, "ust_2y": 0.25, "ust_5y": 0.25, "ust_10y": 0.25, "ust_30y": 0.10, "gold": 0.20,
           "eur_sov": 0.35, "other_ae_sov": 0.25, "em_local": 0.05, "mdb": 0.10, "cash": 0.25},
    liquidity={"ust_bills": 1.0, "ust_2y": 1.0, "ust_5y": 1.0, "ust_10y": 1.0, "ust_30y": 0.9, "gold": 0.5,
               "eur_sov": 0.9, "other_ae_sov": 0.7, "em_local": 0.3, "mdb": 0.5, "cash": 1.0},
    min_liquidity=0.70,
    turnover_cost={"ust_bills": 0.0001, "ust_2y": 0.0002, "ust_5y": 0.0003, "ust_10y": 0.0005, "ust_30y": 0.0010,
                   "gold": 0.0020, "eur_sov": 0.0005, "other_ae_sov": 0.0010, "em_local": 0.0050, "mdb": 0.0015,
                   "cash": 0.0},
    ust_split={"ust_bills": 0.05, "ust_2y": 0.25, "ust_5y": 0.35, "ust_10y": 0.30, "ust_30y": 0.05},
    non_ust_mix={"eur_sov": 0.35, "other_ae_sov": 0.20, "em_local": 0.03, "mdb": 0.10, "cash": 0.32},
    gold_at_home=1.0,
    sales_holder="china_mainland_official",
)
HOLDERS: dict[str, HolderProfile] = {"china": CHINA}

#: Every stated assumption with its source, for docs and the JSON output.
ASSUMPTIONS: dict[str, str] = {
    "ust_expected_return": "the bucket's yield (carry), no expected yield change",
    "ust_duration": "modified durations " + ", ".join(f"{k} {v}" for k, v in DURATIONS.items()),
    **{f"{k}_return_risk": v.source for k, v in OTHER_ASSETS.items()},
    "freeze_exposure": "US assets and USD cash 1; EUR/other AE sovereigns and MDB bonds = ally participation "
                       f"(default {DEFAULT_ALLY_PARTICIPATION}); EM local 0; gold at home 0 (Russia 2022: gold in "
                       "Moscow stayed usable)",
    "freeze_loss": "L = 1: frozen assets unusable over the one-year horizon (Bank of Russia's ≈$300bn immobilised "
                   "since Feb 2022)",
    "china_limits": "concentration caps, liquidity scores and floor 0.70, turnover costs 0 (cash) to 50 bp (EM local): judgement",
    "china_mix": "Treasury split bills 5% / 2y 25% / 5y 35% / 10y 30% / 30y 5%; non-Treasury, non-gold reserves "
                 "35% EUR, 20% other AE, 3% EM, 10% MDB, 32% cash (COFER-like, judgement)",
    "china_ust_holdings": "all of TIC's China (Mainland) row counted as official reserves (custody via Belgium "
                          "and others is not added back)",
}


def holder_profile(holder: str) -> HolderProfile:
    """The profile of ``holder`` (case-insensitive); an unknown name is a :class:`ScenarioError` listing them."""
    key = holder.strip().lower().replace(" ", "_")
    if key not in HOLDERS:
        raise ScenarioError(f"reserve holder {holder!r} is not modelled; available: "
                            f"{', '.join(p.name for p in HOLDERS.values())}")
    return HOLDERS[key]


def _vec(d: dict[str, float]) -> np.ndarray:
    return np.array([d.get(a, 0.0) for a in ASSETS], dtype=float)


def constraints_for(profile: HolderProfile) -> Constraints:
    return Constraints(_vec(profile.lower), _vec(profile.upper), _vec(profile.liquidity), profile.min_liquidity,
                       _vec(profile.turnover_cost))


def freeze_for(profile: HolderProfile, p: float, *, loss: float = 1.0,
               ally_participation: float = DEFAULT_ALLY_PARTICIPATION) -> FreezeRisk:
    if not 0.0 <= ally_participation <= 1.0:
        raise ScenarioError(f"ally_participation={ally_participation} must lie in [0, 1]")
    exposure = {a: 1.0 for a in US_EXPOSED} | {a: ally_participation for a in ALLY_EXPOSED}
    exposure["gold"] = 1.0 - profile.gold_at_home  # gold held abroad is exposed
    return FreezeRisk(p, loss, _vec(exposure))


# -- store readers ------------------------------------------------------------------------------------------------
def monthly_yields(store: Store) -> pd.DataFrame:
    """Monthly average yields (decimal) of the five Treasury buckets, one column per bucket."""
    frame = store.get(list(YIELD_SERIES.values()))
    if frame.empty:
        raise DataError("no Treasury yields in the store (fred.dgs3mo … fred.dgs30); run `geostress data update`")
    wide = frame.pivot_table(index="period", columns="series_id", values="value")
    monthly = wide.resample("ME").mean() / 100.0
    return monthly.rename(columns={v: k for k, v in YIELD_SERIES.items()})[list(YIELD_SERIES)]


def asset_model(yields: pd.DataFrame, month: pd.Timestamp | str) -> AssetModel:
    """Expected returns and covariance as of ``month`` from a :func:`monthly_yields` frame and the assumptions."""
    month = pd.Timestamp(month) + pd.offsets.MonthEnd(0)
    history = yields.loc[:month]
    if history.empty or month not in history.index or history.loc[month].isna().any():
        raise DataError(f"Treasury yields are missing for {month:%Y-%m} (a bucket has no observation)")
    now = history.loc[month]
    changes = history.diff().iloc[-COVARIANCE_WINDOW_MONTHS:].dropna()
    if len(changes) < MIN_WINDOW_MONTHS:
        raise DataError(f"only {len(changes)} complete months of yield changes before {month:%Y-%m}; need "
                        f"{MIN_WINDOW_MONTHS}")
    dur = np.array([DURATIONS[b] for b in YIELD_SERIES])
    ust_cov = 12.0 * np.cov((-changes.to_numpy() * dur).T)
    n_ust = len(UST)
    i10 = list(YIELD_SERIES).index("ust_10y")
    sd10 = float(np.sqrt(ust_cov[i10, i10]))
    cov_with_f = ust_cov[:, i10] / sd10  # cov(UST bucket, standardised 10y return)
    others = [a for a in ASSETS if a not in YIELD_SERIES]
    sig = np.array([OTHER_ASSETS[a].vol for a in others])
    rho = np.array([OTHER_ASSETS[a].rho_us for a in others])
    load = np.array([OTHER_ASSETS[a].global_loading for a in others])
    a_vec = rho * sig  # loading on the standardised 10y return
    resid_sd = sig * np.sqrt(1.0 - rho**2)
    resid_corr = np.outer(load, load)
    np.fill_diagonal(resid_corr, 1.0)
    cov = np.zeros((N_ASSETS, N_ASSETS))
    cov[:n_ust, :n_ust] = ust_cov
    cov[:n_ust, n_ust:] = np.outer(cov_with_f, a_vec)
    cov[n_ust:, :n_ust] = cov[:n_ust, n_ust:].T
    cov[n_ust:, n_ust:] = np.outer(a_vec, a_vec) + resid_corr * np.outer(resid_sd, resid_sd)
    mu = np.zeros(N_ASSETS)
    mu[:n_ust] = now.to_numpy()
    for j, a in enumerate(others):
        spec = OTHER_ASSETS[a]
        mu[n_ust + j] = (0.0 if spec.base is None else float(now[spec.base])) + spec.spread
    return AssetModel(mu, 0.5 * (cov + cov.T))


def gold_price_monthly(store: Store) -> pd.Series:
    """Monthly average gold price (USD per troy ounce) indexed by month end, from the World Bank Pink Sheet.

    Returns
    -------
    pandas.Series
        ``worldbank.gold`` by month end (the LBMA PM fix average to May 2025, the spot average from June 2025:
        a series break the World Bank notes).

    Raises
    ------
    geostress.errors.DataError
        The store holds no gold price.

    References
    ----------
    World Bank, *Commodity Price Data (The Pink Sheet)*, monthly prices, gold ($/troy oz).
    """
    if GOLD_PRICE_SERIES not in set(store.series_ids()):
        raise DataError(f"no gold price in the store ({GOLD_PRICE_SERIES}); run `geostress data update` or use a "
                        "store that includes the embedded snapshot")
    price = store.get(GOLD_PRICE_SERIES).set_index("period")["value"].astype(float)
    price.index = pd.DatetimeIndex(price.index) + pd.offsets.MonthEnd(0)
    return price.sort_index()


def china_observed(store: Store, start: str = "2013-01-01") -> pd.DataFrame:
    """China's reserves by month from ``start``: Treasuries, gold and totals (USD bn) and their shares.

    Columns ``ust_bn, gold_moz, gold_price, gold_bn, fx_ex_gold_bn, total_bn, ust_share, gold_share``; gold is
    valued at the month's World Bank average price (:func:`gold_price_monthly`), so ``gold_share`` is gold's share
    of reserves in value terms; rows only where every input exists (TIC, gold, FRED reserves, the gold price).
    """
    tic = store.get("tic.mfh.china_mainland", start=start).set_index("period")["value"]
    fx = store.get("fred.tresegcnm052n", start=start).set_index("period")["value"]
    wgc = store.get("gold.wgc.china", start="2012-01-01").set_index("period")["value"] * TROY_OZ_PER_TONNE / 1e6
    safe = store.get("gold.safe.china").set_index("period")["value"]
    months = pd.date_range(pd.Timestamp(start) + pd.offsets.MonthEnd(0), tic.index.max(), freq="ME")
    gold = wgc.reindex(wgc.index.union(months)).interpolate(method="time").reindex(months)
    gold.loc[gold.index.isin(safe.index)] = safe.reindex(gold.index[gold.index.isin(safe.index)])
    out = pd.DataFrame({"ust_bn": tic.reindex(months), "gold_moz": gold, "fx_ex_gold_bn": fx.reindex(months)})
    out["gold_price"] = gold_price_monthly(store).reindex(months)
    out["gold_bn"] = out["gold_moz"] * out["gold_price"] / 1000.0
    out["total_bn"] = out["fx_ex_gold_bn"] + out["gold_bn"]
    out["ust_share"] = out["ust_bn"] / out["total_bn"]
    out["gold_share"] = out["gold_bn"] / out["total_bn"]
    out = out.dropna()
    if out.empty:
        raise DataError("no month with China's TIC holdings, gold and FRED TRESEGCNM052N together in the store")
    out.index.name = "month"
    return out


def current_weights(profile: HolderProfile, ust_share: float, gold_share: float) -> np.ndarray:
    """Current weights from the observed Treasury and gold shares and the profile's assumed splits."""
    w = np.zeros(N_ASSETS)
    for b, s in profile.ust_split.items():
        w[ASSETS.index(b)] = ust_share * s
    w[ASSETS.index("gold")] = gold_share
    rest = 1.0 - ust_share - gold_share
    total_mix = sum(profile.non_ust_mix.values())
    for a, s in profile.non_ust_mix.items():
        w[ASSETS.index(a)] = rest * s / total_mix
    return w


def as_of_month(value: str | date | None, available: pd.DatetimeIndex, name: str = "as-of month") -> pd.Timestamp:
    """The month to use: ``value`` rounded to its month end, or the last available one.

    A :class:`ScenarioError` naming ``name`` (the field or option the user set: ``reserves.as_of``, ``--as-of``)
    when ``value`` is not a date or its month has no data; the message gives the months that have.
    """
    if value is None:
        return available.max()
    try:
        month = pd.Timestamp(value) + pd.offsets.MonthEnd(0)
    except (ValueError, TypeError, OverflowError):
        month = pd.NaT
    if pd.isna(month):
        raise ScenarioError(f"{name}={value!r} is not a month: give YYYY-MM (e.g. {available.max():%Y-%m}), or "
                            "leave it out for the latest month with data", parameter=name)
    if month not in available:
        raise ScenarioError(f"{name}={month:%Y-%m} has no data: give a month from {available.min():%Y-%m} to "
                            f"{available.max():%Y-%m}, or leave it out for the latest", parameter=name)
    return month


def freeze_reduction_per_pp(implied: pd.DataFrame, months: int = 12) -> float:
    """The reserve block's Treasury response to perceived freeze risk along the observed path: relative cut of the
    Treasury share of reserves per percentage point of implied annual freeze probability.

    ``implied`` is :func:`geostress.run.reserves.implied_p_series` (columns ``ust_share`` and ``p``, decimal). The
    slope compares the means of the first and last ``months`` months: ``(1 − s_last/s_first) / (100·(p_last −
    p_first))``. With the store of 2026 (China, Jan-2013 to Nov-2024) the share falls from ≈35% to ≈22% while p
    rises from ≈0.5% to ≈1.4%: ≈0.4 per pp. It calibrates the threat → diversification link of
    :mod:`geostress.model.contagion` (``ContagionPriors.freeze_reduction_per_pp``).
    """
    if len(implied) < 2 * months or not {"ust_share", "p"} <= set(implied.columns):
        raise DataError(f"freeze_reduction_per_pp needs at least {2 * months} months with ust_share and p")
    first, last = implied.iloc[:months], implied.iloc[-months:]
    dp_pp = 100.0 * float(last["p"].mean() - first["p"].mean())
    if dp_pp <= 0:
        raise DataError(f"implied freeze probability did not rise ({dp_pp:+.3f} pp): no slope to calibrate")
    return (1.0 - float(last["ust_share"].mean()) / float(first["ust_share"].mean())) / dp_pp
