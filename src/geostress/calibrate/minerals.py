"""Build the rare-earth network from the packaged facts file and the store (USGS mine production, prices).

Mining capacities are the 2024 mine production by country from the store (USGS MCS 2025), split into element
groups by the facts file's estimated ore distributions. Separation and magnet stages are calibrated so that
China's share equals IEA's figures (91%, 94%) given the named non-China plants; the metal and intermediate
stages use the facts file's estimated shares. World demand by element group equals 2024 mine output.

References
----------
USGS (2025), Mineral Commodity Summaries 2025: Rare Earths. IEA (2024, 2025), Global Critical Minerals Outlook.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from geostress.data.store import Store
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


def _latest(store: Store, series: str | list[str], year: int) -> float:
    ids = [series] if isinstance(series, str) else list(series)
    frame = store.get(ids)
    frame = frame[frame["period"].dt.year == year]
    missing = set(ids) - set(frame["series_id"])
    if missing:
        raise ScenarioError(f"minerals facts: no {year} value in the store for {sorted(missing)}")
    return float(frame["value"].sum())


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


def build_network(store: Store | None = None, *, start: date | None = None, extra_nodes: tuple[Node, ...] = (),
                  extra_projects: tuple[Project, ...] = (), base_year: int | None = None) -> Calibration:
    """Calibrate the network to the facts file and the store.

    Parameters
    ----------
    store
        Observation store (default: the user's store with the embedded snapshot).
    start
        Simulation start (default the facts file's ``meta.start``); project months are measured from it.
    extra_nodes, extra_projects
        Added by a scenario (validated with the rest: unknown names, cycles, orphans).
    """
    store = store or Store()
    f = load_facts()
    year = base_year or int(f["meta"]["base_year"])
    start = start or date.fromisoformat(f["meta"]["start"])
    nodes: list[Node] = []
    mined = np.zeros(E)
    by_country: dict[str, float] = {}
    for m in f["mining"]:
        total = _latest(store, m["series"], year)
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
    dytb = sum(w * _latest(store, s, year) for w, s in zip(pr["dytb_weights"], pr["series"]["dytb"], strict=True))
    base_price = np.array([_latest(store, pr["series"]["ndpr"], year), dytb, pr["smy_usd_kg"],
                           _latest(store, pr["series"]["cela"], year)])
    elasticity = np.array([pr["elasticity"][e] for e in ELEMENTS])

    st = f["stocks"]
    stocks = np.zeros((len(REGIONS), E, 2))
    release = np.zeros((len(REGIONS), E))
    for region, months in st["months_of_use"].items():
        r = REGIONS.index(region)
        held = demand[r].sum(axis=0) * months / 12.0
        stocks[r, :, 0] = held * st["china_origin_share"]
        stocks[r, :, 1] = held * (1 - st["china_origin_share"])
        release[r] = held * 12.0 / st["release_months"]
    return Calibration(net, base_price, elasticity, stocks, release, dict(f["priority"]["weights"]), start,
                       lead_types, f, by_country)
