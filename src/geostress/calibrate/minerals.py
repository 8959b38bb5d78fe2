"""Build the rare-earth network from the packaged facts file and the store (USGS mine production, prices, trade).

Mining capacities are the base year's mine production by country from the store, split into element groups by
the facts file's estimated ore distributions: base year 2025 from USGS MCS 2026 (default), or the 2024 base as
MCS 2025 printed it (``base_year=2024``, read as of the day before MCS 2026 appeared; ``as_of`` picks the base
year in force). Separation and magnet stages are calibrated so that China's share equals IEA's figures (91%,
94%) given the named non-China plants; the metal and intermediate stages use the facts file's estimated shares.
World demand by element group equals base-year mine output. Base prices are the store's base-year oxide prices
(USGS), the Dy/Tb group weighting Dy and Tb oxide (MCS 2026's "Rare Earths (Heavy)" chapter for 2025). The US
stock's China-origin share is China's share of US imports of compounds and metals (USGS); US imports by partner
(USITC DataWeb: HTS 2846 compounds, 2805 metals, 8505 magnets) and reserves by country (with MCS 2026's v1.3
revision) are reported with the calibration.

References
----------
USGS (2025, 2026), Mineral Commodity Summaries 2025 and 2026: Rare Earths, and (2026) Rare Earths (Heavy)
(ScienceBase data release, v1.0 and the v1.3 revision of 27 May 2026). U.S. International Trade Commission,
DataWeb, U.S. imports for consumption by partner, HTS 2846, 2805, 8505. IEA (2024, 2025), Global Critical Minerals
Outlook.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from geostress.data.store import PIN_WHERE, Store, VintageError
from geostress.errors import ScenarioError
from geostress.model.minerals import ELEMENTS, REGIONS, SECTORS, Network, Node, Project

E = len(ELEMENTS)


@cache
def load_facts() -> dict[str, Any]:
    """The packaged facts file (``geostress/data/facts/minerals.toml``) as a dict."""
    text = resources.files("geostress.data").joinpath("facts/minerals.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _months_between(start: date, when: str) -> float:
    d = date.fromisoformat(when)
    return (d.year - start.year) * 12 + (d.month - start.month) + (d.day - start.day) / 30.44


def _latest(store: Store, series: str | list[str], year: int, as_of: date | None = None) -> float:
    ids = [series] if isinstance(series, str) else list(series)
    frame = store.get(ids, as_of=as_of)
    frame = frame[frame["period"].dt.year == year]
    missing = set(ids) - set(frame["series_id"])
    if missing:
        raise ScenarioError(f"minerals facts: no {year} value in the store for {sorted(missing)}")
    return float(frame["value"].sum())


def _at_or_before(store: Store, series: str, year: int, as_of: date | None) -> tuple[float, int]:
    """The value of ``series`` in ``year``, or in the latest earlier year the store holds (value, year used)."""
    frame = store.get(series, as_of=as_of)
    frame = frame[frame["period"].dt.year <= year]
    if frame.empty:
        raise ScenarioError(f"minerals facts: no value of {series} in or before {year} in the store")
    row = frame.sort_values("period").iloc[-1]
    return float(row["value"]), int(row["period"].year)


def dytb_price(store: Store, series: list[str], weights: list[float], year: int,
               as_of: date | None = None) -> tuple[float, str]:
    """The Dy/Tb group's base price: the weighted oxide prices of the latest year, up to ``year``, that the store
    holds for every one of ``series`` (so Dy and Tb are never mixed across years), and where it comes from.

    Parameters
    ----------
    store
        Observation store.
    series
        Price series ids (``usgs.ree.us.price.dysprosium_oxide``, ``usgs.ree.us.price.terbium_oxide``).
    weights
        One weight per series (the facts file's ``dytb_weights``, 0.8 and 0.2).
    year
        Base year; a later year is never used.
    as_of
        Read the store as known on this date (``None``: latest vintages).

    Returns
    -------
    tuple[float, str]
        The weighted price (USD/kg) and ``"series (year); ..."``.

    Raises
    ------
    ScenarioError
        A series has no value in or before ``year``, the series share no year, or the weights do not match.

    References
    ----------
    USGS (2026), Mineral Commodity Summaries 2026, "Rare Earths (Heavy)": Dy oxide (99.5% min) 239 and Tb oxide
    (99.99% min) 1,010 USD/kg in 2025 (estimated; FOB, Argus and Asian Metal), data release
    https://doi.org/10.5066/P1WKQ63T. USGS (2025), Mineral Commodity Summaries 2025, "Rare Earths": 2024 Dy 260,
    Tb 810 USD/kg.
    """
    if len(weights) != len(series):
        raise ScenarioError(f"minerals facts: prices.dytb_weights has {len(weights)} weights for {len(series)} "
                            "series in prices.series.dytb; give one weight per series")
    years: list[set[int]] = []
    for sid in series:
        frame = store.get(sid, as_of=as_of)
        held = {int(y) for y in frame["period"].dt.year if y <= year}
        if not held:
            raise ScenarioError(f"minerals facts: no value of {sid} in or before {year} in the store")
        years.append(held)
    common = set.intersection(*years)
    if not common:
        raise ScenarioError(f"minerals facts: {', '.join(series)} share no year up to {year} in the store, so the "
                            "Dy/Tb price would mix years; check the store's usgs.ree.us.price.* series")
    used = max(common)
    total = sum(w * _latest(store, sid, used, as_of) for w, sid in zip(weights, series, strict=True))
    return float(total), "; ".join(f"{sid} ({used})" for sid in series)


def base_year_for(as_of: date | None = None, facts: dict[str, Any] | None = None) -> int:
    """The base year in force at ``as_of``: the latest whose MCS release date is on or before it (default: latest).

    Raises
    ------
    ScenarioError
        ``as_of`` is before every base year's release.
    """
    f = facts or load_facts()
    released = {int(y): date.fromisoformat(v["released"]) for y, v in f["meta"]["base_years"].items()}
    if as_of is None:
        return max(released)
    known = [y for y, d in released.items() if d <= as_of]
    if not known:
        raise ScenarioError(f"minerals: no base year released by {as_of}; the first ({min(released)}) appeared "
                            f"{released[min(released)]}: read the data as of that day or later")
    return max(known)


def store_as_of(base_year: int, as_of: date | None = None, facts: dict[str, Any] | None = None) -> date | None:
    """The date the store is read at for ``base_year``: the day before the next base year's release (so an older
    base reads the figures as first printed, not later revisions), or ``as_of`` if earlier; ``None`` = latest."""
    f = facts or load_facts()
    years = sorted(int(y) for y in f["meta"]["base_years"])
    if base_year not in years:
        raise ScenarioError(f"minerals: base_year={base_year} is not a vintage of the facts file; choose one of "
                            f"{', '.join(map(str, years))}")
    later = [y for y in years if y > base_year]
    cut = None
    if later:
        cut = date.fromisoformat(f["meta"]["base_years"][str(later[0])]["released"]) - timedelta(days=1)
    if as_of is not None and (cut is None or as_of < cut):
        return as_of
    return cut


def _released(store: Store, ids: list[str], as_of: date | None) -> pd.DataFrame:
    """``store.get(ids, as_of=as_of)``, empty when nothing of them had been released by ``as_of``."""
    try:
        return store.get(ids, as_of=as_of)
    except VintageError:
        return pd.DataFrame(columns=["series_id", "period", "value"]).astype({"period": "datetime64[ns]"})


#: USITC headings reported by partner: HTS 2846 rare-earth compounds, 2805 metals (with alkali metals), 8505
#: permanent magnets (and electromagnets).
USITC_HEADINGS = {"compounds": "hts2846", "metals": "hts2805", "magnets": "hts8505"}


def us_imports_by_partner(store: Store, year: int, as_of: date | None = None) -> dict[str, dict[str, float]]:
    """US imports for consumption by partner in ``year`` (USD mn, customs value), per USITC heading.

    Each heading maps partner slug → value, with ``partners18`` the sum over the 18 partners of the DataWeb
    extract (not a world total) and ``china_share`` China's share of that sum.

    References
    ----------
    U.S. International Trade Commission, DataWeb, imports for consumption, HTS 2846, 2805, 8505.
    """
    out: dict[str, dict[str, float]] = {}
    ids = store.series_ids()
    for name, hts in USITC_HEADINGS.items():
        prefix = f"usitc.imports.{hts}.value."
        wanted = [i for i in ids if i.startswith(prefix)]
        if not wanted:
            continue
        frame = _released(store, wanted, as_of)
        frame = frame[frame["period"].dt.year == year]
        if frame.empty:
            continue
        values = {sid.removeprefix(prefix): float(v) for sid, v in zip(frame["series_id"], frame["value"],
                                                                      strict=True)}
        if values.get("partners18"):
            values["china_share"] = values.get("china", 0.0) / values["partners18"]
        out[name] = values
    return out


@dataclass(frozen=True)
class Calibration:
    """The calibrated network plus base prices and the facts behind them."""

    network: Network
    base_price: np.ndarray  # (E,) USD/kg
    elasticity: np.ndarray  # (E,)
    stocks: np.ndarray  # (R, E, 2) t
    release_tpy: np.ndarray  # (R, E)
    priority: dict[str, float]
    start: date
    lead_types: dict[str, str]
    facts: dict[str, Any]
    mining_by_country_t: dict[str, float]
    base_year: int = 0
    #: Date the store was read at (``None``: latest vintages).
    read_as_of: date | None = None
    #: Where each base price comes from: element group → "series (year)".
    price_sources: dict[str, str] = field(default_factory=dict)
    #: NdPr oxide price by year (USD/kg, USGS MCS 2026: 2021–25).
    ndpr_price_history: dict[int, float] = field(default_factory=dict)
    #: Reserves by country (t REO) as known at ``read_as_of`` (MCS 2026 v1.3 revision when latest).
    reserves_t: dict[str, float] = field(default_factory=dict)
    #: US imports by partner in the base year (USD mn) per heading (:func:`us_imports_by_partner`).
    us_imports_usd_mn: dict[str, dict[str, float]] = field(default_factory=dict)
    #: China-origin share of each region's stock (data for the US, the facts file's estimate otherwise).
    stock_china_origin: dict[str, float] = field(default_factory=dict)


def build_network(store: Store | None = None, *, start: date | None = None, extra_nodes: tuple[Node, ...] = (),
                  extra_projects: tuple[Project, ...] = (), base_year: int | None = None,
                  as_of: date | None = None) -> Calibration:
    """Calibrate the network to the facts file and the store.

    Parameters
    ----------
    store
        Observation store (default: the user's store with the embedded snapshot).
    start
        Simulation start (default the facts file's ``meta.start``); project months are measured from it.
    extra_nodes, extra_projects
        Added by a scenario (validated with the rest: unknown names, cycles, orphans).
    base_year
        2025 (MCS 2026) or 2024 (MCS 2025 as first printed); default the facts file's, or the one in force at
        ``as_of``.
    as_of
        Read the store as known on this date (and, without ``base_year``, use the base year released by then);
        default the day ``store`` is pinned to (:meth:`~geostress.data.store.Store.known_on`), if any.
    """
    store = store or Store()
    f = load_facts()
    if as_of is None:  # a store pinned to a day (Store.known_on) reads the base year released by then
        as_of = store.known_by
    if base_year is None:
        year = base_year_for(as_of, f) if as_of is not None else int(f["meta"]["base_year"])
    else:
        year = int(base_year)
        entry = f["meta"]["base_years"].get(str(year))
        released = date.fromisoformat(entry["released"]) if entry else None
        if as_of is not None and released is not None and released > as_of:
            mcs = entry["mcs"].split(" (")[0]
            raise ScenarioError(f"minerals: base_year = {year} ({mcs}) was released on {released}, after "
                                f"{as_of}, the day the data are read as of ({PIN_WHERE}): read them as of "
                                f"{released} or later, or leave base_year out for the base year in force then",
                                parameter="base_year")
    read_at = store_as_of(year, as_of, f)
    start = start or date.fromisoformat(f["meta"]["start"])
    nodes: list[Node] = []
    mined = np.zeros(E)
    by_country: dict[str, float] = {}
    for m in f["mining"]:
        total = _latest(store, m["series"], year, read_at)
        split = np.asarray(m["split"], dtype=float)
        if abs(split.sum() - 1) > 1e-6:
            raise ScenarioError(f"minerals facts: mining {m['id']!r} split sums to {split.sum():.4f}, not 1")
        cap = total * split
        mined += cap
        by_country[m["id"]] = total
        nodes.append(Node(m["id"], "mining", m["country"], cap, feeds=tuple(m["feeds"]) if "feeds" in m else None,
                          growth=float(m.get("growth", 0.0))))
    world = mined  # base-year demand by element equals mine output

    sep = f["separation"]
    named = np.zeros(E)
    for p in sep["plants"]:
        cap = np.asarray(p["capacity"], dtype=float)
        named += cap
        nodes.append(Node(p["id"], "separation", p["country"], cap))
    target_nc = (1 - sep["china_share"]) * world.sum()
    residual = target_nc - named.sum()
    if residual < 0:
        raise ScenarioError("minerals facts: named non-China separation exceeds the non-China share")
    room = np.maximum(world - named, 0.0)
    resid = residual * room / room.sum()
    nodes.append(Node(sep["residual"]["id"], "separation", sep["residual"]["country"], resid))
    nodes.append(Node("sep.china", "separation", "China", np.maximum(world - named - resid, 0.0),
                      growth=sep["china_growth"]))

    magnet_el = np.array([1.0, 1.0, 0.0, 0.0])
    other_el = 1.0 - magnet_el
    met = f["metal"]
    for nid, share in met["shares"].items():
        nodes.append(Node(nid, "metal", met["countries"][nid], share * world * magnet_el,
                          growth=met["china_growth"] if met["countries"][nid] == "China" else 0.0))
    nodes.append(Node("metal.compounds_route", "metal", "pass-through", np.where(other_el > 0, np.inf, 0.0),
                      passthrough=True))
    mag = f["magnet"]
    nc_share = sum(mag["shares"].values())
    if abs(nc_share - (1 - mag["china_share"])) > 1e-9:
        raise ScenarioError("minerals facts: magnet shares do not add to 1 − China's share")
    nodes.append(Node("mag.china", "magnet", "China", mag["china_share"] * world * magnet_el,
                      growth=mag["china_growth"]))
    for nid, share in mag["shares"].items():
        nodes.append(Node(nid, "magnet", mag["countries"][nid], share * world * magnet_el))
    for nid, country in mag["new_nodes"]:
        stage = "metal" if nid.startswith("metal.") else "magnet"
        nodes.append(Node(nid, stage, country, np.zeros(E)))
    inter = f["intermediate"]
    for nid, share in inter["shares"].items():
        country = inter["countries"][nid]
        nodes.append(Node(nid, "magnet", country, share * world * other_el,
                          growth=inter["china_growth"] if country == "China" else 0.0))
    nodes.extend(extra_nodes)

    lead = f["lead_times"]
    projects, lead_types = [], {}
    for p in f["projects"]:
        lo, mode, hi = lead[p["lead"]]
        projects.append(Project(p["id"], p["node"], np.asarray(p["capacity"], dtype=float),
                                _months_between(start, p["online"]), _months_between(start, p["earliest"]),
                                float(p["ramp_months"]), float(lead["p_late"]), (lo, mode, hi)))
        lead_types[p["id"]] = p["lead"]
    projects.extend(extra_projects)

    dem = f["demand"]
    demand = np.zeros((len(REGIONS), len(SECTORS), E))
    for e, el in enumerate(ELEMENTS):
        shares = dem["sectors"][el]
        if abs(sum(shares.values()) - 1) > 1e-6:
            raise ScenarioError(f"minerals facts: demand sector shares for {el} do not sum to 1")
        for sector, s_share in shares.items():
            reg = dem["regions"].get(sector, dem["regions"]["default"])
            for region, r_share in reg.items():
                demand[REGIONS.index(region), SECTORS.index(sector), e] = world[e] * s_share * r_share
    net = Network(tuple(nodes), tuple(projects), demand, float(dem["growth"]))

    pr = f["prices"]
    series = {**pr["series"], **pr.get(f"series_{year}", {})}
    sources: dict[str, str] = {}
    dytb, dytb_sources = dytb_price(store, series["dytb"], pr["dytb_weights"], year, read_at)
    sources["dytb"] = dytb_sources
    ndpr = _latest(store, series["ndpr"], year, read_at)
    cela = _latest(store, series["cela"], year, read_at)
    sources.update(ndpr=f"{series['ndpr']} ({year})", cela=f"{series['cela']} ({year})", smy="estimate")
    base_price = np.array([ndpr, dytb, pr["smy_usd_kg"], cela])
    history_frame = _released(store, [pr["ndpr_history_series"]], read_at) if (
        pr["ndpr_history_series"] in set(store.series_ids())) else None
    history = {} if history_frame is None or history_frame.empty else {
        int(p.year): float(v) for p, v in zip(history_frame["period"], history_frame["value"], strict=True)
        if p.year <= year}
    elasticity = np.array([pr["elasticity"][e] for e in ELEMENTS])

    st = f["stocks"]
    stocks = np.zeros((len(REGIONS), E, 2))
    release = np.zeros((len(REGIONS), E))
    origin: dict[str, float] = {}
    for region, months in st["months_of_use"].items():
        r = REGIONS.index(region)
        share = float(st["china_origin_share"])
        sid = st.get("china_origin_series", {}).get(region)
        if sid is not None and sid in set(store.series_ids()):
            share = _at_or_before(store, sid, year, read_at)[0] / 100.0
        origin[region] = share
        held = demand[r].sum(axis=0) * months / 12.0
        stocks[r, :, 0] = held * share
        stocks[r, :, 1] = held * (1 - share)
        release[r] = held * 12.0 / st["release_months"]
    reserves_ids = [i for i in store.series_ids() if i.startswith("usgs.ree.reserves.")]
    reserves: dict[str, float] = {}
    if reserves_ids:
        rf = _released(store, reserves_ids, read_at)
        rf = rf[rf["period"].dt.year == rf["period"].dt.year.max()] if len(rf) else rf
        reserves = {sid.removeprefix("usgs.ree.reserves."): float(v) for sid, v in zip(rf["series_id"], rf["value"],
                                                                                       strict=True)}
    return Calibration(net, base_price, elasticity, stocks, release, dict(f["priority"]["weights"]), start,
                       lead_types, f, by_country, base_year=year, read_as_of=read_at, price_sources=sources,
                       ndpr_price_history=history, reserves_t=reserves,
                       us_imports_usd_mn=us_imports_by_partner(store, year, read_at), stock_china_origin=origin)
