"""Reserve manager under freeze risk, end to end: spec → calibrate → optimise → result.

:func:`run_reserves` reads the holder's observed reserves and the Treasury curve from the store
(:mod:`geostress.calibrate.reserves`), optimises the portfolio at the requested freeze probability
(:mod:`geostress.model.reserves`), walks from today's portfolio to it at a maximum monthly pace, traces the
optimal weights as ``p`` varies and inverts the model month by month for the implied ``p`` since 2013.

:func:`treasury_sales_schedule` turns the rebalancing path into monthly Treasury sales (USD bn) and
:func:`sales_entries` into ``[[sales]]`` entries of a scenario (holder ``china_mainland_official``), the
"reserve manager reallocates" event of the Treasury-market module.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geostress.calibrate import reserves as cal
from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.model.reserves import ASSETS, UST, implied_p, optimise, rebalancing_path
from geostress.spec.reserves import ReserveSpec
from geostress.spec.scenario import ScenarioSpec, parse_scenario

@dataclass(frozen=True)
class ReserveResult:
    """Weights, the rebalancing path and the implied-p series for one holder."""

    holder: str
    p: float
    method: str
    as_of: str
    total_bn: float
    sales_holder: str
    current: dict[str, float]
    weights: dict[str, float]
    path: dict[str, dict[str, float]]
    weights_by_p: dict[float, dict[str, float]]
    implied_p: dict[str, float]
    implied_flag: dict[str, str]
    observed_ust_share: dict[str, float]
    assumptions: dict[str, str] = field(default_factory=dict)
    ust_path: tuple[float, ...] = ()  # unrounded Treasury share along the path (for the sales schedule)
    #: Gold's share of reserves in value terms by month (SAFE/WGC ounces × World Bank monthly price).
    observed_gold_share: dict[str, float] = field(default_factory=dict)
    #: The as-of month's gold holding (million troy oz), price (USD/oz) and value (USD bn).
    gold: dict[str, float] = field(default_factory=dict)

    @property
    def ust_share(self) -> float:
        return float(sum(self.weights[ASSETS[i]] for i in UST))

    @property
    def current_ust_share(self) -> float:
        return float(sum(self.current[ASSETS[i]] for i in UST))

    def to_json(self) -> dict[str, Any]:
        return {
            "holder": self.holder, "p": self.p, "method": self.method, "as_of": self.as_of,
            "total_reserves_bn": round(self.total_bn, 3), "weights": self.weights, "ust_share": self.ust_share,
            "current_weights": self.current, "current_ust_share": self.current_ust_share, "path": self.path,
            "weights_by_p": {f"{q:g}": w for q, w in self.weights_by_p.items()},
            "ust_share_by_p": {f"{q:g}": _ust(w) for q, w in self.weights_by_p.items()},
            "implied_p": self.implied_p, "implied_p_flag": self.implied_flag,
            "observed_ust_share": self.observed_ust_share, "observed_gold_share": self.observed_gold_share,
            "gold": self.gold,
            "treasury_sales_bn": [{"month": m, "amount_bn": a} for m, a in treasury_sales_schedule(self)],
            "scenario_sales": sales_entries(self), "assumptions": self.assumptions,
        }  # fmt: skip


def _ust(w: dict[str, float]) -> float:
    return float(sum(w[ASSETS[i]] for i in UST))


def _rounded(w: np.ndarray) -> dict[str, float]:
    return {a: round(float(x), 6) for a, x in zip(ASSETS, w, strict=True)}


def implied_p_series(
    store: Store | None = None, *, holder: str = "China", start: str = "2013-01-01", loss: float = 1.0,
    ally_participation: float = cal.DEFAULT_ALLY_PARTICIPATION, risk_aversion: float = 8.0,
) -> pd.DataFrame:
    """The implied annual freeze probability by month: columns ``ust_share, gold_share, p, flag``.

    Each month uses that month's Treasury curve (and the trailing covariance) and the observed Treasury share of
    reserves; no turnover cost (the inversion asks which ``p`` makes today's share optimal).
    """
    store = store or Store()
    profile = cal.holder_profile(holder)
    if profile is not cal.CHINA:  # pragma: no cover - only China has observed data wired in
        raise ScenarioError(f"implied p: no observed reserves for {holder!r}")
    obs = cal.china_observed(store, start)
    yields = cal.monthly_yields(store)
    cons = cal.constraints_for(profile)
    freeze = cal.freeze_for(profile, 0.0, loss=loss, ally_participation=ally_participation)
    rows = []
    for month, row in obs.iterrows():
        p, flag = implied_p(float(row["ust_share"]), cal.asset_model(yields, month), freeze, cons,
                            risk_aversion=risk_aversion)
        rows.append((month, float(row["ust_share"]), float(row["gold_share"]), p, flag))
    return pd.DataFrame(rows, columns=["month", "ust_share", "gold_share", "p", "flag"]).set_index("month")


def run_reserves(spec: ReserveSpec | None = None, store: Store | None = None) -> ReserveResult:
    """Calibrate, optimise and invert for ``spec`` (default: China, p = 0.02)."""
    spec = spec or ReserveSpec()
    store = store or Store()
    profile = cal.holder_profile(spec.holder)
    obs = cal.china_observed(store, spec.implied_start)
    yields = cal.monthly_yields(store)
    month = cal.as_of_month(spec.as_of, obs.index, spec.name("as_of"))
    assets = cal.asset_model(yields, month)
    cons = cal.constraints_for(profile)
    now = obs.loc[month]
    w0 = cal.current_weights(profile, float(now["ust_share"]), float(now["gold_share"]))
    freeze = cal.freeze_for(profile, spec.p, loss=spec.loss, ally_participation=spec.ally_participation)
    method_kw = {"alpha": spec.cvar_alpha, "cvar_weight": spec.cvar_weight} if spec.method == "cvar" else {}
    target = optimise(assets, freeze, cons, method=spec.method, risk_aversion=spec.risk_aversion, current=w0,
                      **method_kw)
    path = rebalancing_path(w0, target.weights, spec.max_pace)
    labels = [(month + pd.offsets.MonthEnd(k)).strftime("%Y-%m") for k in range(len(path))]
    by_p = {
        # the same method as the target, so one table (and ``ust_share_by_p``) is one method
        float(q): _rounded(optimise(assets, freeze.with_p(q), cons, method=spec.method,
                                    risk_aversion=spec.risk_aversion, current=w0, **method_kw).weights)
        for q in spec.p_grid
    }
    series = implied_p_series(store, holder=spec.holder, start=spec.implied_start, loss=spec.loss,
                              ally_participation=spec.ally_participation, risk_aversion=spec.risk_aversion)
    fmt = [m.strftime("%Y-%m") for m in series.index]
    return ReserveResult(
        holder=profile.name, p=spec.p, method=spec.method, as_of=month.strftime("%Y-%m"),
        total_bn=float(now["total_bn"]), sales_holder=profile.sales_holder, current=_rounded(w0),
        weights=_rounded(target.weights), path={m: _rounded(w) for m, w in zip(labels, path, strict=True)},
        weights_by_p=by_p, implied_p={m: round(float(p), 6) for m, p in zip(fmt, series["p"], strict=True)},
        implied_flag=dict(zip(fmt, series["flag"], strict=True)),
        observed_ust_share={m: round(float(s), 6) for m, s in zip(fmt, series["ust_share"], strict=True)},
        assumptions=dict(cal.ASSUMPTIONS), ust_path=tuple(float(x) for x in path[:, list(UST)].sum(axis=1)),
        observed_gold_share={m: round(float(s), 6) for m, s in zip(fmt, series["gold_share"], strict=True)},
        gold={"moz": round(float(now["gold_moz"]), 4), "price_usd_oz": round(float(now["gold_price"]), 2),
              "value_bn": round(float(now["gold_bn"]), 3), "share": round(float(now["gold_share"]), 6)},
    )


def treasury_sales_schedule(result: ReserveResult) -> list[tuple[str, float]]:
    """Monthly Treasury sales (USD bn, positive = sales, negative = purchases) along the rebalancing path.

    Month k sells ``(w_UST[k−1] − w_UST[k]) × total reserves`` (reserves held at the as-of total: valuation
    changes and new reserve accumulation are not modelled).
    """
    months = list(result.path)
    ust = list(result.ust_path) if len(result.ust_path) == len(months) else [_ust(result.path[m]) for m in months]
    return [(months[k], round((ust[k - 1] - ust[k]) * result.total_bn, 3)) for k in range(1, len(months))]


def sales_entries(result: ReserveResult, *, start_month: int = 1) -> list[dict[str, Any]]:
    """The sales as scenario ``[[sales]]`` entries: runs of equal monthly sales merged (``amount_bn`` is the
    run's total, sold evenly over ``months``). Purchases (negative flows) are left out: the market module's
    sales take positive amounts only.
    """
    out: list[dict[str, Any]] = []
    for k, (_, amount) in enumerate(treasury_sales_schedule(result)):
        if amount <= 1e-9:
            continue
        month = start_month + k
        last = out[-1] if out else None
        if (last is not None and last["start_month"] + last["months"] == month
                and abs(last["amount_bn"] / last["months"] - amount) <= 1e-3 * max(1.0, abs(amount))):
            last["amount_bn"] = round(last["amount_bn"] + amount, 6)
            last["months"] += 1
        else:
            out.append({"holder": result.sales_holder, "amount_bn": amount, "months": 1, "start_month": month})
    return out


#: The scenario's name of each :class:`~geostress.spec.reserves.ReserveSpec` field (``[reserves]``), for messages.
SCENARIO_NAMES: dict[str, str] = {
    "holder": "reserves.holder", "p": "reserves.freeze_probability", "method": "reserves.method",
    "risk_aversion": "reserves.risk_aversion", "max_pace": "reserves.max_pace", "as_of": "reserves.as_of",
}  # fmt: skip


def _check_path_fits(result: ReserveResult, max_pace: float, start_month: int, horizon: int) -> None:
    """Refuse a rebalancing path whose sales would run past the run's horizon, naming ``reserves.max_pace`` (the
    knob that sets the path's length) with the slowest pace that fits; the sales would otherwise be refused as
    ``[[sales]]`` entries the user never wrote."""
    sales = [k for k, (_, amount) in enumerate(treasury_sales_schedule(result)) if amount > 1e-9]
    if not sales:
        return
    last = start_month + sales[-1]
    if last <= horizon:
        return
    turnover = sum(max(result.current[a] - result.weights[a], 0.0) for a in ASSETS)  # one way, as the path's
    slowest = math.ceil(turnover / (horizon - start_month + 1) * 1e4) / 1e4  # rounded up to 0.01% a month: fits
    latest = horizon - sales[-1]
    instead = f"reserves.max_pace of at least {slowest:g}" + (
        f", or reserves.start_month of at most {latest}" if latest >= 1 else "")
    raise ScenarioError(f"[reserves]: the rebalancing path at reserves.max_pace = {max_pace:g} from "
                        f"reserves.start_month = {start_month} sells Treasuries until month {last:,}, past the run's "
                        f"horizon of {horizon} months; give {instead} (or a longer scenario.horizon_years)",
                        parameter="reserves.max_pace")


def with_reserve_sales(spec: ScenarioSpec, store: Store | None = None, *,
                       holdings_of: Callable[[str], float] | None = None) -> ScenarioSpec:
    """``spec`` with its ``[reserves]`` section turned into ``[[sales]]`` (the rebalancing path's Treasury sales).

    The reserve manager values its Treasuries from its reported reserves (SAFE) while the market block holds the
    holder's official Treasuries from TIC; when ``holdings_of`` (sector name → USD bn at the run start) is given
    and the path would sell more than the market block holds, the schedule is scaled down to those holdings (its
    shape kept), and the description says so. The returned spec has ``reserves.enabled = false`` and the sales
    appended after those the file lists, so it runs (and re-runs) exactly as computed; a spec without an enabled
    ``[reserves]`` section is returned as is.

    Raises
    ------
    ScenarioError
        Naming the ``[reserves]`` field at fault: ``reserves.start_month`` after the horizon, a path whose sales end
        past it (``reserves.max_pace``, with the slowest pace and the latest start that fit), an ``reserves.as_of``
        without data.
    """
    section = spec.reserves
    if not section.enabled:
        return spec
    horizon = 12 * spec.scenario.horizon_years
    if section.start_month > horizon:
        raise ScenarioError(f"reserves.start_month = {section.start_month} is after the run's horizon of {horizon} "
                            f"months (scenario.horizon_years = {spec.scenario.horizon_years}); give a start month "
                            f"from 1 to {horizon}", parameter="reserves.start_month")
    result = run_reserves(ReserveSpec(holder=section.holder, p=section.freeze_probability, method=section.method,
                                      risk_aversion=section.risk_aversion, max_pace=section.max_pace,
                                      as_of=section.as_of, names=SCENARIO_NAMES), store)  # fmt: skip
    _check_path_fits(result, section.max_pace, section.start_month, horizon)
    entries = sales_entries(result, start_month=section.start_month)
    total = sum(e["amount_bn"] for e in entries)
    scaled = ""
    if holdings_of is not None and entries:
        held = holdings_of(result.sales_holder)
        if total > held:
            factor = held / total * (1 - 1e-6)
            for entry in entries:
                entry["amount_bn"] = entry["amount_bn"] * factor
            scaled = f" (path of {total:,.1f}bn scaled to the {held:,.1f}bn the market block holds)"
    data = spec.model_dump()
    data["sales"] = [*data["sales"], *entries]
    data["reserves"]["enabled"] = False
    note = (f"{len(entries)} sale(s) of {sum(e['amount_bn'] for e in entries):,.1f}bn from {section.holder}'s "
            f"reserve rebalancing at a {section.freeze_probability:.1%} freeze probability{scaled}")
    data["scenario"]["description"] = (data["scenario"]["description"] + "; " if data["scenario"]["description"]
                                       else "") + note
    return parse_scenario(data, origin=f"[reserves] of {spec.name}")
