"""Holders of the debt, the selling cascade of a coupled run, and the tipping point.

References
----------
U.S. Treasury, TIC "Major Foreign Holders of Treasury Securities"; Federal Reserve Board, Financial Accounts of the
United States (Z.1), table L.210 (the domestic split).
Beltran, D. O., Kretchmer, M., Marquez, J. and Thomas, C. P. (2013), "Foreign holdings of U.S. Treasuries and
U.S. Treasury yields", Journal of International Money and Finance 32(1).
Granovetter, M. (1978), "Threshold Models of Collective Behavior", American Journal of Sociology 83(6).
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geostress.data.store import Store
from geostress.run.engine import QUANTILES
from geostress.report.blocks import Block, Chart, Section, fmt, heading, note, para, pct, stats, table
from geostress.report.figures import band_figure, line_figure
from geostress.report.pngs import band_png, line_png
from geostress.spec.scenario import ScenarioSpec, parse_scenario

#: The what-if seller when the scenario has no sale of its own.
WHAT_IF_HOLDER = "china_mainland_official"
WHAT_IF_MONTHS = 12
#: Upper end of the bisection range, USD bn (capped at what the seller holds).
WHAT_IF_MAX_BN = 1500.0
GROUP_NAMES = {"foreign_official": "foreign official", "foreign_private": "foreign private",
               "fed": "Federal Reserve", "domestic": "domestic private"}  # fmt: skip


def holders_history(store: Store, report: dict[str, Any], top: int = 8) -> pd.DataFrame:
    """Monthly holdings (USD bn) of the ``top`` largest foreign holders: ``period, holder, series_id, value_bn``."""
    chosen = report["holders"][:top]
    ids = [h["series_id"] for h in chosen]
    names = {h["series_id"]: h["name"] for h in chosen}
    frame = store.get(ids).sort_values(["series_id", "period", "vintage"])
    frame = frame.drop_duplicates(["series_id", "period"], keep="last")
    out = pd.DataFrame({"period": frame["period"].dt.strftime("%Y-%m-%d"), "holder": frame["series_id"].map(names),
                        "series_id": frame["series_id"], "value_bn": frame["value"].astype(float)})
    out["rank"] = out["series_id"].map({sid: i for i, sid in enumerate(ids)})
    return out.sort_values(["rank", "period"]).drop(columns="rank").reset_index(drop=True)


def history_chart(store: Store, report: dict[str, Any]) -> Chart:
    """TIC holdings of the largest foreign holders since 2000."""
    frame = holders_history(store, report)
    order = list(dict.fromkeys(frame["holder"]))
    x = pd.to_datetime(frame["period"])
    plot = frame.assign(period=x)
    figure = line_figure(plot, "period", "holder", "value_bn", x_title="month", y_title="USD bn", order=order)
    title = f"Treasury holdings of the {len(order)} largest foreign holders, USD bn"
    caption = ("Month-end holdings of US Treasury securities by country (U.S. Treasury TIC, Major Foreign "
               "Holders). Holdings are recorded where they are held in custody: part of China's holdings sit in "
               "Belgium and Luxembourg, so the China line understates and those lines overstate.")
    return Chart("holders_history", title, caption, frame, figure,
                 lambda p: line_png(plot, "period", "holder", "value_bn", Path(p), title=title, x_label="month",
                                    y_label="USD bn", order=order))


def sectors_table(holders: Any) -> tuple[str, pd.DataFrame]:
    """Holdings by market group at the start of the run (the market block's holder sectors)."""
    frame = holders.table()
    groups = frame.groupby("group", sort=False)["holdings"].sum()
    total = float(groups.sum())
    rows = [(GROUP_NAMES.get(g, g), fmt(v, ",.0f"), pct(v / total)) for g, v in groups.items()]
    rows.append(("total", fmt(total, ",.0f"), "100.0%"))
    html = table(["holder group", "USD bn", "share"], rows, numeric=[False, True, True],
                 caption=f"Who holds the marketable debt, {holders.at:%B %Y} (model sectors at the start of the run)")
    return html, frame[["name", "group", "holdings", "elasticity_weight", "source"]]


def term_premium_frame(result: Any) -> pd.DataFrame:
    """Market term premium at 10 years by month over paths: ``month, quantile, value_bp``."""
    c = result.coupled
    tp = np.asarray(c.term_premium_bp, dtype=float)
    months = pd.date_range(pd.Timestamp(result.calibration.start), periods=tp.shape[1], freq="MS")
    if tp.shape[0] == 1:
        levels = {"deterministic": tp[0]}
    else:
        levels = {f"p{round(q * 100):02d}": np.quantile(tp, q, axis=0) for q in QUANTILES}
    parts = [pd.DataFrame({"month": months.strftime("%Y-%m-%d"), "quantile": k, "value_bp": v})
             for k, v in levels.items()]
    return pd.concat(parts, ignore_index=True)


def cascade_blocks(result: Any) -> list[Block]:
    """Sold amounts, the cascade and the term-premium path of a coupled run."""
    c = result.coupled
    head = result.headline()
    sold = np.asarray(c.sold_bn, dtype=float)
    share = np.asarray(c.cascade_share, dtype=float)
    frame = term_premium_frame(result)
    plot = frame.rename(columns={"value_bp": "value"}).assign(month=lambda f: pd.to_datetime(f["month"]))
    title = "Market term premium at 10 years, bp"
    caption = ("The term premium the Treasury market demands to absorb the sales, by month: scheduled sales, "
               "announced sales, official holders' reactions and investors joining the cascade shift holders' "
               "demand curves; the price impact follows Beltran et al. (2013): 40–60 bp at 5 years per $100bn on "
               "impact, about 20 bp in the long run. Bands over paths when the run is stochastic.")
    chart = Chart("term_premium", title, caption, frame,
                  band_figure(plot, "month", x_title="month", y_title="bp", digits=0),
                  lambda p: band_png(plot, "month", Path(p), title=title, x_label="month", y_label="bp"))
    return [
        heading("The cascade in this scenario"),
        stats([
            ("Sold, median", f"${np.median(sold):,.0f}bn",
             f"5–95%: ${np.quantile(sold, 0.05):,.0f}–{np.quantile(sold, 0.95):,.0f}bn"),
            ("Investors selling at the end", pct(float(share.mean())),
             f"cascade (≥ half selling) on {pct(float(np.mean(share >= 0.5)))} of paths"),
            ("Peak term premium", f"{fmt(head.get('peak_term_premium_bp'), ',.0f')} bp", "median path, 10 years"),
            ("Peak 10-year yield change", f"{fmt(head['peak_10y_change_bp'], ',.0f')} bp", "median, vs. no events"),
            ("Added net interest, 10 years", f"${head['added_net_interest_10y_bn']:,.0f}bn", "median, vs. no events"),
        ]),
        chart,
    ]  # fmt: skip


def holders_section(store: Store, report: dict[str, Any] | None, result: Any, holders: Any) -> Section:
    """TIC history of the major holders (when the monitor ran), the holder groups and, for a coupled run, the
    cascade."""
    sectors_html, sectors = sectors_table(holders)
    blocks: list[Block] = [
        para("Who holds the debt, who has been selling, and, when the scenario switches on the Treasury market "
             "block, how much is sold and what it does to yields."),
        history_chart(store, report) if report is not None else note("No TIC holdings history in the store.", "warn"),
        sectors_html,
        note("Foreign rows: TIC Major Foreign Holders, split between official and private holders by an assumed "
             "official share; Federal Reserve: FRED TREAST; domestic private: the remainder of debt held by the "
             "public, split with the Federal Reserve's Financial Accounts (Z.1, table L.210).", "source"),
    ]  # fmt: skip
    if result.coupled is not None:
        blocks += cascade_blocks(result)
    else:
        blocks.append(note("This scenario has no sales, announcements or contagion, so the Treasury market block "
                           "is off and nobody sells; the tipping-point section below asks how large a sale would "
                           "set off a self-sustaining cascade.", "note"))
    return Section("holders", "Holders and the cascade", tuple(blocks), tables=(("holder_sectors", sectors),))


def tipping_setup(spec: ScenarioSpec, holdings: dict[str, float]) -> tuple[ScenarioSpec, str, float, float, float]:
    """The spec to bisect, a description, the range (low, high) in USD bn and the scenario's own sale.

    The scenario itself when it has a sale (its first sale is the knob), else a what-if: the same scenario with
    China's official sector selling over 12 months. Both run deterministically with the contagion block on.
    """
    data = spec.model_dump()
    data["simulation"]["paths"] = 0
    contagion_added = not data["contagion"]["enabled"]
    data["contagion"]["enabled"] = True
    if spec.sales:
        holder, current = spec.sales[0].holder, float(spec.sales[0].amount_bn)
        what = (f"the scenario's first sale ({holder}, {fmt(current, ',.0f')}bn over {spec.sales[0].months} months)"
                + (", with the contagion block switched on" if contagion_added else ""))
    else:
        holder, current = WHAT_IF_HOLDER, 0.0
        data["sales"] = [{"holder": holder, "amount_bn": 1.0, "months": WHAT_IF_MONTHS, "start_month": 1}]
        what = (f"a what-if: this scenario with the contagion block switched on and China's official sector "
                f"selling over {WHAT_IF_MONTHS} months from the first month (the scenario itself sells nothing)")
    held = float(holdings.get(holder, 0.0))
    high = min(WHAT_IF_MAX_BN, math.floor(held * 10) / 10)
    return parse_scenario(data, origin="tipping what-if"), what, 1.0, high, current


def tipping_section(spec: ScenarioSpec, store: Store, holders: Any, *, enabled: bool = True,
                    rel_tolerance: float = 0.01) -> Section:  # fmt: skip
    """The smallest sale at which the selling cascade becomes self-sustaining (:mod:`geostress.run.tipping`)."""
    from geostress.run.tipping import find_tipping_point

    intro = para("A tipping point is the size of a sale beyond which selling feeds on itself: the sale lifts "
                 "yields and worsens the fiscal news, more investors cross their thresholds and sell, and in the "
                 "end at least half of the reactive investors sell (a Granovetter cascade). It is found by "
                 "bisection over the sale, each step one deterministic run of the coupled model.")
    if not enabled:
        return Section("tipping", "Tipping point", (intro, note("Skipped (--no-tipping).", "warn")))
    holdings = {s.name: float(s.holdings) for s in holders.sectors}
    what_if, what, low, high, current = tipping_setup(spec, holdings)
    if high <= low:
        return Section("tipping", "Tipping point",
                       (intro, note(f"Not computed: the seller holds ${high:,.1f}bn, too little to bisect.", "warn")))
    started = time.perf_counter()
    point = find_tipping_point(what_if, "sale_bn", low, high, criterion_name="cascade", store=store,
                               tolerance=rel_tolerance * (high - low))
    seconds = time.perf_counter() - started
    distance = None if point.edge is None else point.edge - current
    seller = what_if.sales[0].holder
    blocks: list[Block] = [
        intro,
        para(f"Knob: the sale in USD bn, {what}; bisected over ${low:,.0f}–{high:,.0f}bn "
             f"(at most what {seller} holds, ${holdings.get(seller, 0.0):,.1f}bn)."),
        stats([
            ("Tipping point", "none in range" if point.edge is None else f"${point.edge:,.0f}bn",
             "smallest self-sustaining sale" if point.edge is not None else point.note),
            ("This scenario's sale", f"${current:,.0f}bn", seller),
            ("Distance", "—" if distance is None else f"{distance:+,.0f}bn",
             "" if distance is None else ("already past the edge" if distance <= 0 else "more needed to tip")),
            ("Evaluations", str(point.evaluations), f"{seconds:.1f} s, deterministic runs"),
        ]),
        note(f"Result: {point.note}. Criterion: cascade (on at least half of the paths, at least half of the "
             "investor population ends up selling). The investors' thresholds, N(mean "
             f"{what_if.contagion.threshold_mean:g}, sd {what_if.contagion.threshold_sd:g}) in signal units, are an "
             "assumption (docs/contagion.md), so the edge is indicative, not a forecast.", "source"),
    ]  # fmt: skip
    row = {"knob": "sale_bn", "holder": seller, "criterion": point.criterion, "edge_bn": point.edge,
           "current_bn": current, "distance_bn": distance, "low_bn": low, "high_bn": high,
           "evaluations": point.evaluations, "what_if": not spec.sales, "note": point.note}
    return Section("tipping", "Tipping point", tuple(blocks), tables=(("tipping", pd.DataFrame([row])),))
