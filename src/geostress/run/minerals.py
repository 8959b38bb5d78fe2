"""Rare-earth decoupling scenarios: the spec, the run, the verdict (CLI ``geostress minerals`` and Python API).

A scenario is a TOML file::

    [scenario]
    name = "us-mandate"
    years = 5
    step = "week"                      # or "month"

    [mandate]
    regions = ["US"]
    sectors = "all"                    # or a list
    schedule = [[180, 0.0]]            # (day, China-origin share allowed): full decoupling from day 180

    [[export_controls]]
    elements = ["dytb", "smy"]
    magnets = true
    destinations = "all"
    licensed_share = 0.25

    [stockpile]
    release = true

    [acceleration]                     # months earlier, never before a project's earliest date
    iluka_eneabba = 6

    [monte_carlo]
    draws = 200

Python (``load_minerals_spec`` lives in :mod:`geostress.spec.minerals`)::

    from geostress.spec.minerals import load_minerals_spec
    from geostress.run.minerals import run_minerals

    run_minerals(load_minerals_spec("minerals-us-mandate"))
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from geostress.calibrate.minerals import Calibration, build_network
from geostress.data.store import Store
from geostress.errors import GeostressError, ScenarioError
from geostress.model.minerals import (
    ELEMENTS, REGIONS, SECTORS, ExportControl, MineralsRun, Node, Policy, Project, draw_online_months,
    mass_balance_residual, no_mandate, nominal_online_months, simulate, stage_china_share,
)  # fmt: skip
from geostress.spec.minerals import MineralsSpec
from geostress.util.staging import staged_output
from geostress.util.suggest import did_you_mean

DAY_180 = 180.0
DAYS_PER_MONTH = 365.25 / 12.0
COMPLIANCE_TOL = 0.01  # a sector complies when China-free supply covers ≥ (1 − allowed − 1%) of its demand


def _assemble(spec: MineralsSpec, store: Store | None) -> tuple[Calibration, Policy, dict[str, float]]:
    from datetime import date

    start = date.fromisoformat(spec.scenario.start) if spec.scenario.start else None
    extra_nodes, extra_projects = [], []
    for p in spec.new_plants:
        extra_nodes.append(Node(p.id, p.stage, p.country, np.zeros(len(ELEMENTS))))
        lo, mode, hi = p.lead_time_months
        if not 0 <= lo <= mode <= hi:
            raise ScenarioError(f"new plant {p.id!r}: lead_time_months must satisfy 0 ≤ min ≤ mode ≤ max")
        if any(c < 0 for c in p.capacity):
            raise ScenarioError(f"new plant {p.id!r}: capacity must not be negative")
        extra_projects.append(Project(p.id, p.id, np.asarray(p.capacity, dtype=float), lo, lo, 12.0, 1.0,
                                      (0.0, mode - lo, hi - lo)))
    calib = build_network(store, start=start, extra_nodes=tuple(extra_nodes), extra_projects=tuple(extra_projects),
                          base_year=spec.scenario.base_year)
    known = {p.id for p in calib.network.projects}
    bad = set(spec.acceleration) - known
    if bad:  # (the spec refuses these when it is read; a spec built with model_copy skips its checks)
        raise ScenarioError(f"field acceleration: unknown projects {sorted(bad)}"
                            f"{did_you_mean(sorted(bad)[0], known)}; known: {', '.join(sorted(known))}")
    odd = {k: v for k, v in spec.acceleration.items() if not (np.isfinite(v) and v >= 0)}
    if odd:  # (the spec refuses these; a spec built with model_copy skips its checks)
        raise ScenarioError(f"acceleration: months earlier must be finite and not negative; got {odd}")
    covered = np.zeros((len(REGIONS), len(SECTORS)), dtype=bool)
    sectors = SECTORS if spec.mandate.sectors == "all" else spec.mandate.sectors
    for r in spec.mandate.regions:
        for s in sectors:
            covered[REGIONS.index(r), SECTORS.index(s)] = True
    controls = tuple(
        ExportControl(tuple(c.elements),
                      tuple(x for x in REGIONS if x != "China") if c.destinations == "all" else tuple(c.destinations),
                      SECTORS if c.sectors == "all" else tuple(c.sectors), c.magnets, c.licensed_share,
                      c.start_month, np.inf if c.end_month is None else c.end_month)
        for c in spec.export_controls)
    weights = {**calib.priority, **spec.priority}
    release = calib.release_tpy * spec.stockpile.scale if spec.stockpile.release else np.zeros_like(calib.release_tpy)
    policy = Policy(covered, tuple((d / DAYS_PER_MONTH, a) for d, a in spec.mandate.schedule), controls,
                    np.array([weights[s] for s in SECTORS]), calib.stocks * spec.stockpile.scale, release,
                    spec.stockpile.start_month)
    return calib, policy, dict(spec.acceleration)


def _step_days(step: str) -> float:
    return 7.0 if step == "week" else 365.25 / 12.0


# ---- results ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MineralsResult:
    """Everything ``geostress minerals`` prints or writes."""

    name: str
    summary: dict[str, Any]
    run: MineralsRun
    monthly: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return self.summary


def _china_free_share(run: MineralsRun, t: int, sector: int | None = None) -> float:
    cov = run.covered if sector is None else run.covered & (np.arange(len(SECTORS)) == sector)[None, :]
    dem = run.demand[t][cov].sum()
    return float(run.delivered_nc[t][cov].sum() / dem) if dem > 0 else float("nan")


def _compliance_months(run: MineralsRun) -> dict[str, int | None]:
    """Sector → first month (1-based) from which covered buyers are compliant to the end of the horizon."""
    out: dict[str, int | None] = {}
    T = len(run.months)
    for s, name in enumerate(SECTORS):
        if not run.covered[:, s].any() or run.demand[0][run.covered[:, s], s].sum() <= 0:
            continue
        ok = np.array([_china_free_share(run, t, s) >= 1.0 - run.allowed_share[t] - COMPLIANCE_TOL
                       for t in range(T)])
        bad = np.flatnonzero(~ok)
        if bad.size == 0:
            out[name] = 1
        elif bad[-1] == T - 1:
            out[name] = None
        else:
            out[name] = int(np.floor(run.months[bad[-1] + 1])) + 1
    return out


def _day180_step(run: MineralsRun) -> int:
    """First step starting on or after day 180 (the first step wholly under a day-180 rule)."""
    return _day_step(run, DAY_180)


def _day_step(run: MineralsRun, day: float) -> int:
    """First step starting on or after ``day`` (the first step wholly under a rule from that day), at most the last."""
    days = run.months * DAYS_PER_MONTH
    return int(min(np.searchsorted(days, day - 1e-9, side="left"), len(days) - 1))


def mandate_deadlines(spec: MineralsSpec, run: MineralsRun) -> list[dict[str, Any]]:
    """The mandate's verdict at each day of its schedule: ``day``, ``allowed_china_share`` (the schedule's),
    ``china_free_share`` (covered demand, the first step wholly under that day's rule) and ``met``; a day past the
    horizon's last step has ``china_free_share`` and ``met`` None (not reached). Empty without covered buyers."""
    if not run.covered.any():
        return []
    last_day = float(run.months[-1] * DAYS_PER_MONTH)
    out: list[dict[str, Any]] = []
    for day, allowed in spec.mandate.schedule:
        if day > last_day + 1e-9:
            out.append({"day": day, "allowed_china_share": allowed, "china_free_share": None, "met": None})
            continue
        share = _china_free_share(run, _day_step(run, day))
        out.append({"day": day, "allowed_china_share": allowed, "china_free_share": round(share, 4),
                    "met": bool(share >= 1.0 - allowed - COMPLIANCE_TOL)})
    return out


def mandate_verdict(deadlines: list[dict[str, Any]]) -> bool | None:
    """Met at every day of the schedule the horizon reaches (None: no covered buyer, or no such day)."""
    judged = [d["met"] for d in deadlines if d["met"] is not None]
    return all(judged) if judged else None


def deadline_words(summary: dict[str, Any]) -> str:
    """The days the verdict was judged at, for a label: ``day 180``, ``days 180 and 365``, with any day past the
    horizon said so (``day 2000 (past the horizon)``); "" without any."""
    days = [f"{d['day']:g}" + (" (past the horizon)" if d["met"] is None else "")
            for d in summary.get("mandate_deadlines", [])]
    if not days:
        return ""
    return ("day " if len(days) == 1 else "days ") + (days[0] if len(days) == 1 else
                                                     ", ".join(days[:-1]) + " and " + days[-1])


def _monthly(run: MineralsRun, values: np.ndarray) -> np.ndarray:
    """Sum a (T, ...) array into months 1..M by each step's start month."""
    m = np.floor(run.months + 1e-9).astype(int)
    out = np.zeros((m.max() + 1,) + values.shape[1:])
    np.add.at(out, m, values)
    return out


def china_free_requirement(run: MineralsRun) -> tuple[np.ndarray, np.ndarray]:
    """(T, R, S, E) covered buyers' China-free requirement and the part of it left unmet, tonnes per step.

    A covered buyer must take at least ``(1 − allowed share) × demand`` from non-China supply (the mandate lets
    China-origin cover only the allowed share); what non-China deliveries leave of that is unmet. Before the
    mandate applies (allowed share 1) and for buyers it does not cover, the requirement is zero.
    """
    need = (1.0 - run.allowed_share)[:, None, None, None] * run.demand * run.covered[None, :, :, None]
    return need, np.maximum(need - run.delivered_nc, 0.0)


def _prices(run: MineralsRun, calib: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """(months, E) global and China-free price paths, USD/kg, from the monthly shortfall share.

    The world price prices the world's unmet demand. The China-free price is the higher of the world price and a
    scarcity price of covered buyers' unmet China-free requirement as a share of that requirement
    (:func:`china_free_requirement`): material with no Chinese content can always be sold on the world market, so
    it never sells below the world price; it carries a premium over the world price only in months when covered
    buyers' requirement is scarcer than the world market, and none when the mandate requires nothing or all of it
    is met.
    """
    cap = calib.facts["prices"]["max_multiplier"]
    dem = _monthly(run, run.demand.sum(axis=(1, 2)))
    short = _monthly(run, run.shortfall.sum(axis=(1, 2)))
    need, unmet = china_free_requirement(run)
    need_c = _monthly(run, need.sum(axis=(1, 2)))
    unmet_c = _monthly(run, unmet.sum(axis=(1, 2)))

    def price(frac: np.ndarray) -> np.ndarray:
        frac = np.clip(frac, 0.0, 0.999)
        return calib.base_price[None, :] * np.minimum((1.0 - frac) ** (-1.0 / calib.elasticity[None, :]), cap)

    glob = price(np.divide(short, dem, out=np.zeros_like(dem), where=dem > 0))
    scarcity = price(np.divide(unmet_c, need_c, out=np.zeros_like(need_c), where=need_c > 0))
    return glob, np.maximum(glob, scarcity)


def summarise(spec: MineralsSpec, calib: Calibration, run: MineralsRun, floor: bool = True) -> dict[str, Any]:
    net = calib.network
    t180 = _day180_step(run)
    share180 = _china_free_share(run, t180)
    allowed180 = float(run.allowed_share[t180])
    covered_any = bool(run.covered.any())
    glob, free = _prices(run, calib)
    # subsidy: floor − market price on the named plants' separated NdPr (kg)
    f = calib.facts["prices"]
    # only a missing value takes the default: 0 is a floor of zero (nothing is paid), not "unset"
    floor_usd = f["floor_usd_kg"] if spec.price_floor.usd_per_kg is None else float(spec.price_floor.usd_per_kg)
    idx = [net.node_ids.index(n) for n in f["floor_nodes"]]
    vol_t = _monthly(run, run.node_output[:, idx, 0, :].sum(axis=(1, 2)))
    subsidy = float(np.sum(np.maximum(floor_usd - glob[:, 0], 0.0) * vol_t * 1000.0)) if floor else 0.0
    # a node (element) with no capacity at the step is not a bottleneck, it is not there yet (a plant still being
    # built): its zero-capacity row can carry a shadow price, but it is left out of the binding nodes
    has_cap = run.capacity > 1e-9
    bind = np.where(has_cap[t180], run.shadow[t180], 0.0)
    positive = bind.max(axis=1)[bind.max(axis=1) > 1e-7]
    # generic scarcity (every tonne is worth ≥ the lowest shadow price) is not a bottleneck: keep the nodes priced
    # above it and within half of the dearest
    level = max(float(positive.min()), 0.5 * float(positive.max())) if positive.size else 0.0
    binding = sorted(((float(bind[i].max()), nid) for i, nid in enumerate(net.node_ids)
                      if bind[i].max() > level + 1e-6), reverse=True)
    live = np.where(has_cap, run.shadow, 0.0)
    binding_share = {nid: round(float((live[:, i].max(axis=1) > 1e-7).mean()), 3)
                     for i, nid in enumerate(net.node_ids) if (live[:, i] > 1e-7).any()}
    months = _monthly(run, run.shortfall)  # (M, R, S, E)
    sector_short = {s: round(float(months[:, :, k].sum()), 1) for k, s in enumerate(SECTORS)}
    cov_short = {s: round(float(months[:, :, k][:, run.covered[:, k]].sum()), 1) for k, s in enumerate(SECTORS)
                 if run.covered[:, k].any()}
    deadlines = mandate_deadlines(spec, run)
    return {
        "scenario": spec.scenario.name,
        "steps": len(run.months),
        "step_days": round(run.dt_years * 365.25, 3),
        "china_free_share_day180": None if not covered_any else round(share180, 4),
        "allowed_china_share_day180": allowed180,
        # judged at each day of the schedule, not at day 180 alone: a schedule whose first rule starts on day 365
        # was "met at day 180" by a share nothing required yet
        "mandate_met": mandate_verdict(deadlines),
        "mandate_deadlines": deadlines,
        "compliance_month_by_sector": _compliance_months(run),
        "shortfall_by_sector_t": sector_short,
        "covered_shortfall_by_sector_t": cov_short,
        "shortfall_by_region_t": {r: round(float(months[:, k].sum()), 1) for k, r in enumerate(REGIONS)},
        "shortfall_by_month_t": [round(float(x), 1) for x in months.sum(axis=(1, 2, 3))],
        "binding_nodes": [n for _, n in binding],
        "binding_share_of_steps": binding_share,
        "base_year_china_share": base_year_shares(calib),
        "base_year": calib.base_year,
        "base_price_usd_kg": {e: round(float(calib.base_price[k]), 2) for k, e in enumerate(ELEMENTS)},
        "base_price_sources": calib.price_sources,
        "stock_china_origin_share": calib.stock_china_origin,
        "us_imports_usd_mn": calib.us_imports_usd_mn,
        "price_usd_kg_global": {e: [round(float(x), 2) for x in glob[:, k]] for k, e in enumerate(ELEMENTS)},
        "price_usd_kg_china_free": {e: [round(float(x), 2) for x in free[:, k]] for k, e in enumerate(ELEMENTS)},
        "subsidy_cost_usd": round(subsidy, 0),
        "mass_balance_residual_t": mass_balance_residual(net, run),
    }


def base_year_shares(calib: Calibration) -> dict[str, float]:
    """China's stage shares in the first step of an unconstrained run (no mandate, no controls, no stocks)."""
    net = calib.network
    run = simulate(net, no_mandate(), steps=1, step_days=7.0)
    return {"mining": round(stage_china_share(net, run, "mining", 0), 4),
            "separation": round(stage_china_share(net, run, "separation", 0), 4),
            "magnets": round(stage_china_share(net, run, "magnet", 0, ("ndpr", "dytb")), 4)}


# ---- Monte Carlo ------------------------------------------------------------------------------------------------
def _mc_chunk(
    args: tuple[MineralsSpec, np.ndarray, dict[str, Any] | None],
) -> list[tuple[float, dict[str, int | None]]]:
    spec, onlines, where = args  # where: the store's folder, snapshot switch and pin (Store.known_on), or None
    calib, policy, _ = _assemble(spec, Store(**where) if where else None)
    days = _step_days(spec.monte_carlo.step)
    steps = int(round(spec.scenario.years * 365.25 / days))
    cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
    out = []
    for online in onlines:
        run = simulate(calib.network, policy, steps=steps, step_days=days, online=online, cache=cache)
        out.append((_china_free_share(run, _day180_step(run)), _compliance_months(run)))
    return out


def monte_carlo(spec: MineralsSpec, store: Store | None = None, draws: int | None = None) -> dict[str, Any]:
    """Bands over project delays: china-free share at day 180 and compliance month by sector (p10/p50/p90).

    The draws run on ``[monte_carlo] step`` (monthly by default), which may differ from the deterministic run's
    step: a weekly run can find compliance within a month that a monthly run only credits from the next month's
    start. ``nominal`` gives the nominal-date figures on the draws' own step, the ones the bands bracket.
    """
    draws = spec.monte_carlo.draws if draws is None else draws
    calib, policy, shift = _assemble(spec, store)
    rng = np.random.default_rng(spec.monte_carlo.seed)
    onlines = draw_online_months(calib.network.projects, draws, rng, shift)
    # the draws read the store the deterministic run read: its folder, its snapshot switch and its pin
    home = (None if store is None else
            {"home": str(store.home), "include_snapshot": store.include_snapshot, "known_by": store.known_by})
    workers = min(spec.monte_carlo.workers, os.cpu_count() or 1, max(draws // 50, 1))
    chunks = np.array_split(onlines, workers)
    if workers > 1:
        # forkserver, not fork: the parent holds DuckDB connections (and their threads) from reading the store,
        # and a forked child that touches them crashes (BrokenProcessPool)
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
                parts = list(pool.map(_mc_chunk, [(spec, c, home) for c in chunks]))
        except BrokenProcessPool:
            raise GeostressError(
                f"a Monte Carlo worker process stopped abruptly ({draws:,} draws on {workers} workers). From a "
                "script this is most often a missing `if __name__ == \"__main__\":` guard: each worker imports the "
                "script again, so keep its top level under that guard (docs/minerals.md); else it ran out of "
                "memory. Or run in this process: [monte_carlo] workers = 1") from None
    else:
        parts = [_mc_chunk((spec, chunks[0], home))]
    results = [r for part in parts for r in part]
    share = np.array([r[0] for r in results])
    horizon = spec.scenario.years * 12 + 1  # "never within the horizon" ranks after every month
    bands: dict[str, dict[str, float | None]] = {}
    for sector in results[0][1] if results else {}:
        m = np.array([r[1][sector] if r[1][sector] is not None else horizon for r in results], dtype=float)
        q = np.percentile(m, [10, 50, 90])
        bands[sector] = {k: (None if v >= horizon else float(v)) for k, v in zip(("p10", "p50", "p90"), q)}
        bands[sector]["p_compliant_in_horizon"] = float((m < horizon).mean())
    days = _step_days(spec.monte_carlo.step)
    nominal = simulate(calib.network, policy, steps=int(round(spec.scenario.years * 365.25 / days)), step_days=days,
                       online=nominal_online_months(calib.network.projects, shift))
    return {
        "draws": draws,
        "seed": spec.monte_carlo.seed,  # the draws' seed: with the spec, what reproduces the bands
        "step": spec.monte_carlo.step,
        "china_free_share_day180": {k: float(v) for k, v in zip(("p10", "p50", "p90"),
                                                                 np.percentile(share, [10, 50, 90]))}
        if draws else {},
        "compliance_month_by_sector": bands,
        "nominal": {"china_free_share_day180": round(_china_free_share(nominal, _day180_step(nominal)), 4),
                    "compliance_month_by_sector": _compliance_months(nominal)},
    }


def _check_arguments(spec: object, monte_carlo_draws: object, floor: object) -> MineralsSpec:
    """:func:`run_minerals`'s arguments checked as the command line checks ``geostress minerals``'s: the spec (a
    preset name or TOML path is loaded), the draws (a whole number in 0..MAX_DRAWS, the CLI's limit) and ``floor``
    (True, False or None); a GeostressError naming the parameter otherwise."""
    from geostress.run.limits import MAX_MINERALS_DRAWS as MAX_DRAWS  # also `geostress minerals --draws`'s
    from geostress.errors import LimitError
    from geostress.spec.minerals import load_minerals_spec

    if isinstance(spec, str | Path):
        spec = load_minerals_spec(spec)
    elif not isinstance(spec, MineralsSpec):
        raise ScenarioError(f"spec must be a MineralsSpec, a preset name (e.g. 'minerals-us-mandate') or a TOML "
                            f"path, not {type(spec).__name__}", parameter="spec")
    if floor is not None and not isinstance(floor, bool | np.bool_):  # "no" is truthy: never read it as on
        raise ScenarioError(f"floor={floor!r} must be True, False or None (None: the spec's [price_floor] enabled)",
                            parameter="floor")
    if monte_carlo_draws is None:
        draws, name = spec.monte_carlo.draws, "spec: monte_carlo.draws"
    else:
        draws, name = monte_carlo_draws, "monte_carlo_draws"
        if isinstance(draws, bool | np.bool_) or not isinstance(draws, int | np.integer) or draws < 0:
            raise ScenarioError(f"monte_carlo_draws={draws!r} must be a whole number ≥ 0 (an int; 0: no Monte "
                                f"Carlo), at most {MAX_DRAWS:,}", parameter="monte_carlo_draws")
    if draws > MAX_DRAWS:
        raise LimitError(f"{name} = {draws:,} is over the limit of {MAX_DRAWS:,} Monte Carlo draws for one run "
                         f"(about 0.035 s of one core each; docs/cli.md, Limits); use at most {MAX_DRAWS:,}",
                         parameter="monte_carlo_draws")
    return spec


def run_minerals(spec: MineralsSpec | str | Path, store: Store | None = None, *,
                 monte_carlo_draws: int | None = None, floor: bool | None = None) -> MineralsResult:
    """Deterministic run (nominal project dates) plus optional Monte Carlo bands over delays.

    ``spec`` is a :class:`MineralsSpec` or, as for ``geostress minerals``, a preset name or TOML path
    (:func:`geostress.spec.minerals.load_minerals_spec`). ``monte_carlo_draws`` (default the spec's
    ``[monte_carlo] draws``) is at most 2,000, the command line's limit (LimitError). From 100 draws the draws run
    in worker processes (``[monte_carlo] workers``): a script must then keep its top level under
    ``if __name__ == "__main__":`` (docs/minerals.md).
    """
    spec = _check_arguments(spec, monte_carlo_draws, floor)
    if monte_carlo_draws is not None:
        monte_carlo_draws = int(monte_carlo_draws)
    if floor is not None:
        floor = bool(floor)
    calib, policy, shift = _assemble(spec, store)
    days = _step_days(spec.scenario.step)
    steps = int(round(spec.scenario.years * 365.25 / days))
    online = nominal_online_months(calib.network.projects, shift)
    run = simulate(calib.network, policy, steps=steps, step_days=days, online=online)
    summary = summarise(spec, calib, run, spec.price_floor.enabled if floor is None else floor)
    draws = spec.monte_carlo.draws if monte_carlo_draws is None else monte_carlo_draws
    if draws:
        summary["uncertainty"] = monte_carlo(spec, store, draws)
    return MineralsResult(spec.scenario.name, summary, run, {})


def write_results(result: MineralsResult, folder: str | Path) -> Path:
    """Write summary.json and monthly shortfall/price CSVs into ``folder`` (created if needed); returns it.

    The three files are written to a hidden staging folder and moved in together
    (:func:`geostress.util.staging.staged_output`): after a failure, or a kill while writing, ``folder`` holds the
    complete previous set; a kill during the final renames is completed by the next run into ``folder``.

    Raises
    ------
    GeostressError
        A file of ``folder`` cannot be replaced (a folder in its place, no permission); the message names it.
    """
    out = Path(folder)
    with staged_output(out, "results") as staged:
        _write_files(result, staged)
    return out


def _write_files(result: MineralsResult, out: Path) -> None:
    """The files of :func:`write_results`, written into ``out`` (a fresh staging folder)."""
    import pandas as pd

    (out / "summary.json").write_text(json.dumps(result.summary, indent=1, default=str), encoding="utf-8")
    run = result.run
    short = _monthly(run, run.shortfall)
    rows = [{"month": m + 1, "region": r, "sector": s, "element": e, "shortfall_t": short[m, i, j, k]}
            for m in range(short.shape[0]) for i, r in enumerate(REGIONS) for j, s in enumerate(SECTORS)
            for k, e in enumerate(ELEMENTS) if short[m, i, j, k] > 1e-9]
    pd.DataFrame(rows, columns=["month", "region", "sector", "element", "shortfall_t"]).to_csv(
        out / "shortfall.csv", index=False)
    prices = pd.DataFrame({f"{kind}_{e}": v for kind in ("global", "china_free")
                           for e, v in result.summary[f"price_usd_kg_{kind}"].items()})
    prices.insert(0, "month", np.arange(1, len(prices) + 1))
    prices.to_csv(out / "prices.csv", index=False)
