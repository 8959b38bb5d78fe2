"""Holders of the debt, the selling cascade of a coupled run, and the tipping point.

References
----------
U.S. Treasury, TIC "Major Foreign Holders of Treasury Securities"; Federal Reserve Board, Financial Accounts of the
United States (Z.1), table L.210 (the domestic split).
MARKET_EVIDENCE.md (the published range of price impact: 2–8 bp of 10-year term premium per pp of GDP of duration
moved into private hands, ≈0.6–2.7 bp per $100bn today; flow effects larger on impact, fading within months).
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
from geostress.results.ensemble import QUANTILES
from geostress.results.scenario import PublishedRange
from geostress.report.blocks import (MINUS, Block, Chart, Section, bullets, fmt, heading, minus, note, para, pct,
                                     span, stats, table)
from geostress.report.figures import band_figure, line_figure
from geostress.report.pngs import band_png, line_png
from geostress.spec.scenario import ScenarioSpec, parse_scenario
from geostress.util.words import counted

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
                 caption=f"Who holds the debt held by the public, {holders.at:%B %Y} (model sectors at the start of "
                         "the run; the total is FRED's debt held by the public, FYGFDPUN, not CBO's figure for the "
                         "debt book in Scenario and assumptions: two sources, so the totals differ a little)")
    return html, frame[["name", "group", "holdings", "source"]]


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


#: Fewest months the term-premium chart shows, and the months it keeps after the paths' last move (the chart stops
#: there when the rest of the horizon only holds the final levels: :func:`months_shown`).
CHART_MIN_MONTHS, CHART_TAIL_MONTHS = 60, 12
#: A band's month still moves when it lies further from its final value than this share of the chart's largest level.
CHART_SETTLED_SHARE = 0.05


def months_shown(frame: pd.DataFrame) -> tuple[int, int]:
    """How many months of :func:`term_premium_frame`'s ``frame`` the chart shows, and the last month that still
    moves (both counted from the run's first month as 1): the chart runs through the last month at which a
    level (each percentile, or the one path) lies more than :data:`CHART_SETTLED_SHARE` of the largest level away
    from its final value, plus :data:`CHART_TAIL_MONTHS`, at least :data:`CHART_MIN_MONTHS`, at most all. A sale in
    the first year of a 30-year run filled the first pixels of the axis (the review of the reports); the data file
    keeps every month."""
    wide = frame.pivot_table(index="month", columns="quantile", values="value_bp", sort=True)
    values = wide.to_numpy(dtype=float)
    total = values.shape[0]
    largest = float(np.nanmax(np.abs(values))) if values.size else 0.0
    if total == 0 or largest == 0.0:
        return total, 0
    moving = np.abs(values - values[-1]) > CHART_SETTLED_SHARE * largest
    last = int(np.flatnonzero(moving.any(axis=1))[-1]) + 1 if moving.any() else 0
    return min(total, max(CHART_MIN_MONTHS, last + CHART_TAIL_MONTHS)), last


#: What the "Sold" tile adds up (:attr:`geostress.run.coupled.MarketPath.sold_bn`): gross, not net, sales.
SOLD_MEANS = ("gross sales by every holder class (foreign official, foreign private, domestic private): scheduled "
              "and announced sales, liquidity shocks and the contagion block's selling, each month's sales summed "
              "with later buybacks not netted; not comparable with net figures such as TIC's")

#: Fewer paths than this and the variance shares are mostly noise: the report leaves the table out.
MIN_PATHS_FOR_DRIVERS = 1000
#: What a figure of a run of one path shows instead of a range (``paths = 0``; ``paths = 1``: one parameter draw).
ONE_PATH = "deterministic path (prior medians)"
ONE_DRAW = "one path (one parameter draw): no range"


def _band(low: float, high: float, digits: str = ",.1f", unit: str = " bp", *, what: str = "",
         prefix: str = "") -> str:  # fmt: skip
    """A 5–95% range over paths as a tile's detail: "5–95%{what}: 1.5–18.9 bp"; the single value when both ends
    print the same ("5–95%: $300bn": only that band is known, not every path)."""
    return f"5–95%{what}: {span(low, high, digits, unit=unit, prefix=prefix)}"


def _range(head: dict[str, Any], key: str, digits: str = ",.1f", unit: str = " bp", *, what: str = "",
           prefix: str = "", sign: str = "+") -> tuple[str, str]:  # fmt: skip
    """The figure and its 5–95% range over paths (``what``: over what, e.g. " over draws and macro shocks"); ""
    when the run has no range (:func:`_band`)."""
    lo, hi = head.get(f"{key}_p05"), head.get(f"{key}_p95")
    detail = "" if lo is None or hi is None else _band(lo, hi, digits, unit, what=what, prefix=prefix)
    return f"{fmt(head.get(key), sign + digits, prefix=prefix)}{unit}", detail


#: The remainder of the drivers table: the peak and the persistent effect come from the market pass alone (market and
#: contagion parameters, deterministic baseline GDP and fiscal news coefficient), which the macro shocks do not move,
#: so what the main effects leave is the parameters' interactions, effects under the estimator's screen and its error.
INTERACTIONS = "interactions and small effects"


#: Plain names of the drawn parameters (the market's :class:`geostress.model.market.MarketPriors` and the contagion
#: block's :class:`geostress.model.contagion.ContagionPriors`); the code names stay in ``data/market_drivers.csv``.
DRIVER_LABELS: dict[str, str] = {
    "persistent_bp_per_pp": "persistent effect, bp per pp of GDP (β)",
    "flow_bp_per_pp": "flow effect on impact, bp per pp of GDP (φ)",
    "flow_half_life_months": "half-life of the flow effect, months",
    "rolldown_half_life_years": "roll-down half-life of the persistent effect, years",
    "fed_flow_weight": "flow weight of the Fed's programmes",
    "supply_flow_weight": "flow weight of auctioned supply",
    "flight_to_quality": "private flight-to-quality buying, share of a liquidity sale",
    "fima_share": "FIMA repo's share of liquidity-motivated sales",
    "backstop_trigger_bp": "backstop trigger in a dash for cash, bp of flow pressure",
    "backstop_speed_per_month": "backstop speed, per month (κ)",
    "backstop_orderly_trigger_bp": "backstop trigger for orderly selling, bp of flow pressure",
    "bill_shift_share": "Treasury's shift to bills, share of the excess premium",
    "value_share": "value buyers, share of the excess premium bought",
    "run_threshold_centre": "run threshold, centre",
    "run_threshold_half_width": "run threshold, half-width",
    "run_scale": "run size, share of holdings",
    "run_speed": "run speed, share of the gap closed a month",
    "run_unwind_half_life_months": "half-life of a run's unwinding, months",
    "backstop_relief": "backstop relief, share of the run removed",
    "stress_per_bp": "run stress per bp of premium rise",
    "peer_gain": "gain of the peer channel",
    "trust_half_life_months": "half-life of distrust, months",
    "distrust_per_announcement": "distrust per announcement",
    "distrust_per_debt_pp": "distrust per pp of debt/GDP news",
    "distrust_per_100bp": "distrust per 100 bp of premium rise",
    "distrust_per_threat": "distrust per threat",
    "div_threshold_low": "diversification threshold, low end",
    "div_threshold_width": "diversification threshold, width",
    "div_scale": "diversification size, share of holdings",
    "div_pace": "diversification pace, most a month",
    "div_speed": "diversification speed, share of the gap closed a month",
    "deterrence": "deterrence of a threat (δ)",
    "threat_half_life_months": "half-life of a threat's deterrence, months",
    "freeze_per_threat_pp": "perceived freeze risk per threat, pp a year",
    "freeze_half_life_months": "half-life of the perceived freeze risk, months",
    "reserve_review_half_life_months": "reserve managers' review lag (half-life), months",
    "freeze_exposed_share": "share of official holdings that sees a freeze risk",
    "freeze_reduction_per_pp": "cut in the Treasury target per pp of freeze risk",
}


def driver_label(name: str) -> str:
    """A parameter's row in the drivers table, in words (:data:`DRIVER_LABELS`): ``persistent_bp_per_pp`` →
    "persistent effect, bp per pp of GDP (β)", ``contagion.div_threshold_low.foreign_private`` → "diversification
    threshold, low end, foreign private (contagion)"; a name not listed reads as its words."""
    if not name.startswith("contagion."):
        return DRIVER_LABELS.get(name, name.replace("_", " "))
    field, *group = name.split(".")[1:]
    parts = [DRIVER_LABELS.get(field, field.replace("_", " ")), *(GROUP_NAMES.get(g, g.replace("_", " "))
                                                                  for g in group)]
    return ", ".join(parts) + " (contagion)"


def drivers_table(result: Any) -> tuple[str, pd.DataFrame] | None:
    """Which parameters drive the peak and the persistent effect: first-order variance shares over the paths'
    parameter draws, the market's and (contagion on) the contagion block's
    (:func:`geostress.analytics.drivers.variance_decomposition`; ``None`` under :data:`MIN_PATHS_FOR_DRIVERS`
    paths)."""
    from geostress.analytics.drivers import noise_floor, variance_decomposition

    c = result.coupled
    n = np.size(c.peak_10y_change_bp)
    if not c.draws or n < MIN_PATHS_FOR_DRIVERS:
        return None
    bins = 10 if n < 5000 else 20  # ≥100 paths a bin: the estimator's noise stays near a percent
    floor = noise_floor(n, bins)  # variance_decomposition's screen: shares under it count as 0
    peak = variance_decomposition(c.draws, c.peak_10y_change_bp, bins=bins, rest=INTERACTIONS)
    persistent = variance_decomposition(c.draws, c.persistent_10y_change_bp, bins=bins, rest=INTERACTIONS)
    # ``label`` last: data/market_drivers.csv keeps its first three columns where positional readers expect them;
    # ``noise_floor``: a share of 0 there means "under this", not "no effect" (the screen counts smaller ones as 0)
    frame = pd.DataFrame({"parameter": list(peak), "peak_share": list(peak.values()),
                          "persistent_share": [persistent[k] for k in peak], "noise_floor": floor,
                          "label": [driver_label(k) for k in peak]})
    frame = frame.sort_values("peak_share", ascending=False, kind="stable").reset_index(drop=True)
    shown = frame[(frame.peak_share >= 0.01) | (frame.persistent_share >= 0.01)]
    blocks = "market and contagion" if any(k.startswith("contagion.") for k in c.draws) else "market"
    drawn = sum(1 for values in c.draws.values() if np.ptp(np.asarray(values, dtype=float)) > 0)
    caption = (f"What drives the answer: first-order variance shares over the {n:,} paths' draws of "
               f"{drawn} parameters ({blocks}; Saltelli et al. 2008), each estimated by a straight line in each "
               f"of {bins} equal-count bins. The estimator needs at least {MIN_PATHS_FOR_DRIVERS:,} paths (≥100 a "
               f"bin); at {n:,} a share under {floor:.1%} is noise and counts as 0, and rows under 1% are not "
               f"shown. The row \"{INTERACTIONS}\" is what the main effects leave: the parameters' interactions, "
               "the effects under that screen and the estimator's error (both figures come from the market pass, "
               "which the macro shocks do not move). Shares move by a few points from one sample of paths to "
               "another. The parameters' code names are in data/market_drivers.csv, with the screen in its "
               "noise_floor column.")
    html = table(["parameter", "share of the peak's variance",
                  f"share of the variance of the persistent figure (month {c.persistent_month}; its flow effect "
                  "included)"],
                 [(r.label, pct(r.peak_share), pct(r.persistent_share))
                  for r in shown.itertuples()], numeric=[False, True, True], caption=caption)
    return html, frame


def published_range(result: Any, holders: Any) -> PublishedRange | None:
    """The literature's range for the persistent effect of the scenario's sales and the contagion block's net
    official selling (:func:`geostress.run.coupled.published_range`, at the run's first-month GDP)."""
    from geostress.run.coupled import published_range as for_spec

    return for_spec(result.spec, holders, float(result.calibration.paths.gdp[0]), result.coupled)


def _bn(amount: float) -> str:
    """USD bn with a decimal below $10bn (a $0.1bn sale is not "$0bn"), whole above; "−" for a negative one."""
    return minus(f"{amount:,.1f}" if abs(amount) < 9.95 else f"{amount:,.0f}")


def _bn_range(low: float, high: float) -> str:
    """``$3.7–13bn``; one value when both ends print the same (``$50bn``, not ``$50–50bn``); amounts are not
    negative here."""
    lo, hi = _bn(low), _bn(high)
    return f"${hi}bn" if lo == hi else f"${lo}–{hi}bn"


#: The literature's scale for the peak, a flow effect (MARKET_EVIDENCE.md §1–2): no range is computed for the
#: scenario's own peak, since a flow effect depends on the sales' timing, and the block's flow coefficient is
#: calibrated to Beltran et al.'s short run (a calibration, not a test of the peak).
FLOW_EVIDENCE = ("Flow effects are larger on impact and fade within months; for the peak's scale: a $100bn one-month "
                 "fall in foreign-official demand raised the 5-year yield 40–60 bp in the short run at 2007's market, "
                 "≈19–28 bp per $100bn at today's (Beltran et al. 2013; the block's flow coefficient is calibrated "
                 "to it), and the March-2020 dash for cash moved the 10-year +64 bp in nine days before the Fed's "
                 "purchases reversed it (MARKET_EVIDENCE.md §1–2).")


def published_note(published: PublishedRange | None, one_path: bool = False, stock: str | None = None,
                   stock_bp: float | None = None) -> Block | None:  # fmt: skip
    """The published range beside the model's, or why there is none (every sale a private, flow-only one);
    ``one_path``: the run has one path (its selling is that path's, not the median path's); ``stock``: the model's
    stock effect alone at that month (its figure and range, as printed), the figure the range is for, and
    ``stock_bp`` its median, which says why when it sits below the range (:meth:`PublishedRange.below_words`)."""
    if published is None:
        return None
    lo_rule, hi_rule = (f"{b:g}" for b in published.bp_per_pp)
    rule = f"{lo_rule}–{hi_rule} bp per pp of GDP of duration moved into private hands, MARKET_EVIDENCE.md §1"
    bp = published.bp
    if bp is None:
        return note(f"No published range for the persistent effect: the ${_bn(published.scheduled_bn)}bn of "
                    "scheduled sales are all by private holders (foreign or domestic), which the market block prices "
                    "as a flow effect only, fading within months, with no persistent part; the literature's "
                    f"persistent effect ({rule}) does not apply to them.", "source")
    from_contagion = published.contagion_persistent_bn
    low, high = (x - c for x, c in zip(published.persistent_bn, from_contagion, strict=True))  # scheduled sales
    pieces = []
    if high >= 0.05:
        pieces.append(f"the {_bn_range(low, high)} of scheduled sales that the model prices as persistent (official "
                      "and Fed sales" + ("; liquidity-motivated official sales less the share the FIMA repo takes"
                                         if high > low else "") + ")")
    if from_contagion[1] > 0.0:
        month = published.persistent_month if published.persistent_month is not None else 24
        run = published.contagion_run_bn
        details = []
        if published.contagion_official_bn >= 0.05:
            details.append(f"${_bn(published.contagion_official_bn)}bn of diversification")
        if run >= 0.05:
            details.append(f"${_bn(run)}bn still sold in their liquidity run")
        where = "on the run's one path" if one_path else "on the path with the median amount"
        pieces.append(f"the {_bn_range(*from_contagion)} the contagion block's foreign officials sold on net by "
                      f"month {month} {where} ({'; '.join(details)})")
    rest = published.private_bn
    parts = [f"Published range for the persistent effect of {' and '.join(pieces)}, at today's market size: "
             f"{span(bp[0], bp[1], '.1f', unit=' bp')} ({rule})."]
    if rest >= 0.5:
        parts.append(f"The other ${rest:,.0f}bn, sold by private holders, is a flow with no persistent effect.")
    parts.append(FLOW_EVIDENCE)
    if from_contagion[1] > 0.0:
        parts.append("The model's figure for that month also carries the flow effect of the contagion block's "
                     "selling (or buying back) still under way then, which this range leaves out.")
    if stock:
        parts.append(f"The model's stock effect alone that month, the figure this range is for: {stock}.")
        below = published.below_words(stock_bp)
        if below:
            parts.append(below)
    return note(" ".join(parts), "source")


def median_line_caption(head: dict[str, Any]) -> str:
    """Why the term-premium chart's median line can peak below the peak tile (the median of each path's own
    highest month); when the two print the same, that they agree (no "can sit below" beside two equal figures);
    "" when the run has no such figures."""
    if "peak_term_premium_bp" not in head or head.get("peak_10y_change_bp") is None:
        return ""
    line, peak = fmt(head["peak_term_premium_bp"], "+,.1f"), fmt(head["peak_10y_change_bp"], "+,.1f")
    if line == peak:
        return (f" The median line is each month's median over paths; here its highest month ({line} bp) is the "
                "same as the peak above, the median of each path's own highest month.")
    return (f" The median line is each month's median over paths; its highest month ({line} bp) can sit below the "
            f"peak above ({peak} bp), the median of each path's own highest month, when paths peak in different "
            "months.")


def stock_words(persistent: float, stock: float) -> str:
    """The persistent tile's note on its stock effect and what the rest is: "the rest mostly flow" only when the
    stock effect is the smaller part of a figure of the same sign; the flow's own sign and size otherwise (the flow
    still fading, or the buying back after a run, can pull the figure below its stock effect)."""
    text = f"the stock effect alone {fmt(stock, '+,.2f')} bp"
    rest = persistent - stock
    if fmt(rest, "+,.2f") in ("+0.00", "0.00"):
        return text + ", no flow left"
    if persistent * stock >= 0 and abs(stock) < abs(persistent) and rest * persistent > 0:
        return text + ", the rest mostly flow"
    return text + f", the flow effect still under way {fmt(rest, '+,.2f')} bp"


def _years_summed(result: Any) -> int:
    """Fiscal years the added net interest is summed over: ten, or the horizon when it is shorter."""
    return min(10, len(result.deterministic.fiscal_years))


def cascade_blocks(result: Any, holders: Any) -> list[Block]:
    """Sold amounts, the cascade, the term-premium path, backstop on and off, what drives the range, and the
    published range for the persistent effect beside the model's."""
    c = result.coupled
    head = result.headline()
    sold = np.asarray(c.sold_bn, dtype=float)
    one_path = sold.size <= 1
    single = ONE_PATH if result.ensemble is None else ONE_DRAW
    frame = term_premium_frame(result)
    shown, settled = months_shown(frame)
    plot = frame.rename(columns={"value_bp": "value"}).assign(month=lambda f: pd.to_datetime(f["month"]))
    plot = plot[plot["month"] < pd.Timestamp(result.calibration.start) + pd.DateOffset(months=shown)]
    total = frame["month"].nunique()
    title = "Market term premium at 10 years, bp"
    caption = ("The 10-year term premium the market block adds, by month: a persistent effect of 2–8 bp per pp of "
               "GDP of duration moved into private hands (each path draws its own coefficient) and a flow effect "
               "on what private investors absorb after the stabilisers, fading with a ≈2-month half-life. Bands "
               "over the paths' parameter draws when the run is stochastic (the macro shocks do not move the "
               "market block).")
    if np.size(c.peak_10y_change_bp) > 1:
        caption += median_line_caption(head)
    if shown < total:
        caption += f" The chart shows the first {shown} of the run's {total} months"
        if settled:  # (0: nothing moved that far at all)
            which = "the path lies no" if frame["quantile"].nunique() == 1 else "no percentile lies"
            caption += (f": after month {settled} {which} further from where it ends than "
                        f"{CHART_SETTLED_SHARE:.0%} of the largest level")
        caption += "; the data file has every month."
    chart = Chart("term_premium", title, caption, frame,
                  band_figure(plot, "month", x_title="month", y_title="bp", digits=0),
                  lambda p: band_png(plot, "month", Path(p), title=title, x_label="month", y_label="bp"))
    peak, peak_detail = _range(head, "peak_10y_change_bp")
    persistent, persistent_detail = _range(head, "persistent_10y_change_bp", ",.2f")
    if "stock_effect_10y_bp" in head:  # the month's premium carries flow still fading: the stock effect beside it
        persistent_detail = "; ".join(filter(None, (persistent_detail, stock_words(
            head["persistent_10y_change_bp"], head["stock_effect_10y_bp"]))))
    years = _years_summed(result)
    cascade = float(np.mean(c.cascade_share))  # (the summary gives null with the contagion block off: not measured)
    # a decimal below $10bn ($4.5bn, not $4bn), whole dollars above, as the dashboard writes them
    interest_digits = ",.1f" if abs(float(head["added_net_interest_10y_bn"])) < 9.95 else ",.0f"
    interest, interest_detail = _range(head, "added_net_interest_10y_bn", interest_digits, "bn", prefix="$",
                                       sign="", what=" over draws and macro shocks")
    interest_detail = interest_detail or f"vs. no events; {single}"
    if head.get("offset_note"):
        interest_detail += "; monetary offset off: the policy rate keeps its path without the events"
    share = head.get("added_net_interest_10y_share")
    if head.get("twin_net_interest_10y_bn") and share is not None and math.isfinite(float(share)):
        # the scale: the same years' net interest without the events (the median of each path's share of it)
        interest_detail += (f"; {float(share):.2%} of the "
                            f"{fmt(float(head['twin_net_interest_10y_bn']) / 1000, ',.1f', prefix='$')}tn of net "
                            "interest without the events")
    # the tiles are the run's own stabilisers; with the backstop on, the table below adds the same paths without it
    backstop = "backstop on" if result.spec.market.backstop else "backstop off"
    sold_lo, sold_hi = np.quantile(sold, 0.05), np.quantile(sold, 0.95)
    sold_detail = (single if one_path else _band(sold_lo, sold_hi, ",.0f", "bn", prefix="$")) + "; " + SOLD_MEANS
    blocks: list[Block] = [
        heading("The cascade in this scenario"),
        stats([
            (f"Peak 10-year term premium change ({backstop})", peak, peak_detail or single),
            (f"Persistent (month {head.get('persistent_month', 24)}, {backstop})", persistent,
             persistent_detail or single),
            ("Added net interest, 10 years" if years == 10 else f"Added net interest, {years} years (the horizon)",
             interest, interest_detail),
            ("Sold" if one_path else "Sold, median", f"{fmt(float(np.median(sold)), ',.0f', prefix='$')}bn",
             sold_detail),
            ("P(cascade)", "n/a", "contagion off: no cascade to measure") if not result.spec.contagion.enabled
            else ("Cascade", "yes" if cascade >= 0.5 else "no", single)
            if one_path else ("P(cascade)", pct(cascade), "share of paths (parameter draws) that cascade"),
        ]),
    ]  # fmt: skip
    stock_figure, stock_detail = _range(head, "stock_effect_10y_bp", ",.2f")
    stock = None if "stock_effect_10y_bp" not in head else (
        f"{stock_figure} ({stock_detail})" if stock_detail else stock_figure)
    published = published_note(published_range(result, holders), one_path=one_path, stock=stock,
                               stock_bp=head.get("stock_effect_10y_bp"))
    if published is not None:
        blocks.append(published)
    buyback = buyback_note(head)
    if buyback is not None:
        blocks.append(buyback)
    if "peak_10y_change_bp_backstop_off" in head:
        blocks += backstop_blocks(head, one_path=one_path)
    elif not result.spec.market.backstop:
        blocks.append(note("The Fed's backstop is off in this run (market.backstop = false): the figures above are "
                           "the backstop-off ones, and there is no backstop-on run beside them (run the scenario "
                           "without market.backstop = false for the two side by side).", "note"))
    if "foreign_sold_bn_6m_mean" in head or "official_sold_bn_36m_mean" in head:
        blocks += threat_blocks(head, one_path=one_path)
    drivers = drivers_table(result)
    if drivers is not None:
        blocks.append(drivers[0])
    elif np.size(c.peak_10y_change_bp) > 1:
        blocks.append(note(f"Which parameters drive the answer is not shown: it needs {MIN_PATHS_FOR_DRIVERS:,} "
                           f"paths or more (this run has fewer; rerun with --paths {MIN_PATHS_FOR_DRIVERS}).",
                           "note"))
    blocks.append(chart)
    return blocks


#: How far (bp) the backstop-off persistent figure must lie below the backstop-on one for the undershoot caveat: a
#: figure the backstop barely moves (pension-announcement: −0.21 against −0.20 bp) is no buying back after a run.
UNDERSHOOT_BP = 0.5


def undershoots(head: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the backstop-off persistent median, and its 5th percentile, undershoot: it prints below zero (two
    decimals) and lies at least :data:`UNDERSHOOT_BP` below the backstop-on figure (median against median, 5th
    percentile against 5th). The dashboard applies the same rule (``dashboard.js``, ``undershoots``)."""
    key = "persistent_10y_change_bp"

    def below(on: Any, off: Any) -> bool:
        if on is None or off is None:
            return False
        return fmt(off, "+,.2f").startswith(MINUS) and on - off >= UNDERSHOOT_BP

    return (below(head.get(key), head.get(f"{key}_backstop_off")),
            below(head.get(f"{key}_p05"), head.get(f"{key}_backstop_off_p05")))


def backstop_blocks(head: dict[str, Any], *, one_path: bool = False) -> list[Block]:
    """The backstop on and off side by side (same paths and draws), the backstop's purchases, and a note when the
    backstop-off persistent figure or its 5th percentile undershoots (:func:`undershoots`): the sellers buying back
    after the run."""
    month = head.get("persistent_month", 24)
    rows = [
        ("peak 10-year change, bp", fmt(head["peak_10y_change_bp"], "+,.1f"),
         fmt(head["peak_10y_change_bp_backstop_off"], "+,.1f")),
        (f"persistent (month {month}), bp", fmt(head["persistent_10y_change_bp"], "+,.2f"),
         fmt(head["persistent_10y_change_bp_backstop_off"], "+,.2f")),
    ]
    stock = "stock_effect_10y_bp"
    if stock in head and f"{stock}_backstop_off" in head:  # the persistent figure less the flow still fading
        rows.append((f"stock effect alone (month {month}), bp", fmt(head[stock], "+,.2f"),
                     fmt(head[f"{stock}_backstop_off"], "+,.2f")))
    for key, label, digits in (("peak_10y_change_bp", "peak, 5–95%", ",.1f"),
                               ("persistent_10y_change_bp", "persistent, 5–95%", ",.2f"),
                               (stock, "stock effect alone, 5–95%", ",.2f")):
        if f"{key}_p05" in head and f"{key}_backstop_off_p05" in head:
            rows.append((label, span(head[f"{key}_p05"], head[f"{key}_p95"], digits),
                         span(head[f"{key}_backstop_off_p05"], head[f"{key}_backstop_off_p95"], digits)))
    blocks: list[Block] = [
        table(["", "backstop on", "backstop off"], rows, numeric=[False, True, True],
              caption="The Fed's market-functioning backstop on and off (same paths and draws). Its trigger and speed "
                      "are calibrated to March 2020, when ≈$1.27tn of purchases in five weeks reversed a +64 bp "
                      "rise of the 10-year yield over nine days, on a weekly experiment (geostress validate); "
                      "a run's months are monthly figures, so a spike of days reads lower in them. The trigger is "
                      "keyed to why the pressure builds: in a market-wide dash for cash (a liquidity shock) the Fed "
                      "buys from ≈10 bp of flow pressure; against orderly selling (any one holder's sale, "
                      "diversification, a solvency-type sale, FX defence) only beyond 80–110 bp of flow pressure, "
                      "a judgement set so that the rule stays idle in the 2003–2025 replay outside March 2020, as "
                      "the Fed did; for such a sale the two columns are usually the same")]
    if head.get("backstop_bn_median"):
        blocks.append(note(f"Backstop purchases{'' if one_path else ', median'}: "
                           f"${fmt(head['backstop_bn_median'], ',.0f')}bn (treated as temporary holdings: they relieve "
                           "the flow pressure, not the persistent effect).", "note"))
    if head.get("fima_bn_median"):  # liquidity sales the FIMA repo financed rather than sold (summary_figures)
        blocks.append(note(f"Financed at the FIMA repo facility instead of sold{'' if one_path else ', median'}: "
                           f"${fmt(head['fima_bn_median'], ',.0f')}bn of the liquidity sales (the officials borrow "
                           "against their Treasuries and repay later: the securities stay out of private hands).",
                           "note"))
    median, low = undershoots(head)
    if median or low:
        key = "persistent_10y_change_bp"
        if median:
            figure = (f"({fmt(head[f'{key}_backstop_off'], '+,.2f')} bp at month {month}, against "
                      f"{fmt(head[key], '+,.2f')} bp with the backstop)")
        else:
            off_range = span(head[f"{key}_backstop_off_p05"], head[f"{key}_backstop_off_p95"], ",.2f", unit=" bp")
            on_range = span(head[f"{key}_p05"], head[f"{key}_p95"], ",.2f", unit=" bp")
            figure = f"on some paths (5–95%: {off_range}, against {on_range} with the backstop)"
        blocks.append(note(
            f"The backstop-off persistent figure is below zero {figure}: after a run the sellers buy back, and "
            "without the backstop's sell-back to damp that buying the premium undershoots where it started. No "
            "published figure tests a run without the Fed: read the backstop-off column as the model's figure, "
            "not as evidence.", "note"))
    return blocks


def buyback_note(head: dict[str, Any]) -> Block | None:
    """A note when the persistent figure's range reaches below zero further than the stock effect alone: its 5th
    percentile prints below zero and lies at least :data:`UNDERSHOOT_BP` below the stock effect's. There the
    sellers bought back after their runs and the buying's flow effect, still fading in the persistent month, holds
    the premium below where it started (docs/market.md, Properties); the stock effect is the figure to set beside
    the literature's persistent estimates. None otherwise, and for a run of one path."""
    key, stock = "persistent_10y_change_bp", "stock_effect_10y_bp"
    low, stock_low = head.get(f"{key}_p05"), head.get(f"{stock}_p05")
    if low is None or stock_low is None or not fmt(low, "+,.2f").startswith(MINUS) or stock_low - low < UNDERSHOOT_BP:
        return None
    month = head.get("persistent_month", 24)
    # the stock effect's own range may dip below zero too (dash-for-cash: to −0.13 bp), just not as far
    stock_range = span(stock_low, head[f"{stock}_p95"], ",.2f", unit=" bp")
    stock_dips = fmt(stock_low, "+,.2f").startswith(MINUS)
    versus = (f"much further than the stock effect alone does ({stock_range})" if stock_dips
              else f"while the stock effect alone does not ({stock_range})")
    return note(f"The persistent figure's range reaches below zero (5–95%: "
                f"{span(low, head[f'{key}_p95'], ',.2f', unit=' bp')}) {versus}: on those paths the sellers buy "
                f"back after their runs, and that buying's flow effect, still fading in month {month}, holds the "
                "premium below where it started. The stock effect is the figure to compare with the literature's "
                "persistent estimates.", "note")


def _versus(with_it: float, without: float) -> str:
    return f"{fmt(with_it, ',.1f', prefix='$')}bn against {fmt(without, ',.1f', prefix='$')}bn"


def threat_blocks(head: dict[str, Any], *, one_path: bool = False) -> list[Block]:
    """The scenario's threats with and without them (same paths and draws): foreign holders' net selling in the 6
    months from the first threat and the officials' in the 36 months from it, mean and median (one figure on a
    run of one path), for the windows the horizon holds (:func:`geostress.run.coupled.threat_effects`), and what
    the figures say: which of the threat's two effects wins."""
    windows = (("foreign_sold_bn_6m", "foreign holders' selling in the 6 months from the threat, $bn"),
               ("official_sold_bn_36m", "foreign officials' selling in the 36 months from it, $bn"))
    rows = []
    for key, label in windows:
        for stat in ("mean",) if one_path else ("mean", "median"):
            if f"{key}_{stat}" in head:
                rows.append((label if one_path else f"{label}, {stat}", fmt(head[f"{key}_{stat}"], ",.1f"),
                             fmt(head[f"{key}_{stat}_no_threat"], ",.1f")))
    html = table(["", "with the threat", "without it"], rows, numeric=[False, True, True],
                 caption="The threat's two effects (net selling by the contagion block, scheduled sales excluded; "
                         "same paths and draws)")
    parts = ["A threat works two ways: deterrence holds back new diversification now (most on the paths that "
             "would sell most; a liquidity run's sales for cash are not deterred), while the freeze risk reserve "
             "managers come to perceive turns into slow, persistent official diversification, which starts at once "
             "on every path."]
    if "foreign_sold_bn_6m_mean" in head:
        mean, mean_no = head["foreign_sold_bn_6m_mean"], head["foreign_sold_bn_6m_mean_no_threat"]
        median, median_no = head["foreign_sold_bn_6m_median"], head["foreign_sold_bn_6m_median_no_threat"]
        average = "" if one_path else " on average"
        if fmt(mean, ",.1f") == fmt(mean_no, ",.1f"):
            parts.append(f"Here foreign holders sell about as much in the first 6 months with the threat as without "
                         f"it ({fmt(mean, ',.1f', prefix='$')}bn{average}).")
        elif mean < mean_no:
            parts.append(f"Here deterrence wins in the first 6 months: foreign holders sell less with the threat "
                         f"({_versus(mean, mean_no)}{average}).")
        else:
            parts.append(f"Here the diversification outweighs the deterrence in the first 6 months: foreign holders "
                         f"sell more with the threat ({_versus(mean, mean_no)}{average}).")
        if not one_path and fmt(median, ",.1f") != fmt(median_no, ",.1f") and (median > median_no) != (
                mean > mean_no):
            parts.append(f"The median path sells {'more' if median > median_no else 'less'} "
                         f"({_versus(median, median_no)}).")
    if "official_sold_bn_36m_mean" in head:
        mean, mean_no = head["official_sold_bn_36m_mean"], head["official_sold_bn_36m_mean_no_threat"]
        what = "" if one_path else " on average"
        word = "more" if mean > mean_no else "less" if mean < mean_no else "as much"
        parts.append(f"Over 36 months foreign officials sell {word} with the threat ({_versus(mean, mean_no)}{what}).")
    return [html, note(" ".join(parts), "note")]


def _gap_number(check_id: str, value: float) -> str:
    """A known gap's figure with the unit its check id names (``_bn``: USD bn, ``_bp``: bp; none for a ratio)."""
    text = minus(f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}")
    if check_id.endswith("_bn"):  # the sign before the dollar: −$50bn (as the report's other amounts)
        return f"−${text[1:]}bn" if text.startswith("−") else f"${text}bn"
    return text


def known_gaps_blocks(store: Store) -> list[Block]:
    """What the market block is known to miss, measured as ``geostress validate`` measures it (the market checks
    registered as known gaps), so that a reader of the cascade sees the block's limits beside its answer."""
    from geostress.validate import market as market_checks

    items = []
    for check in market_checks.CHECKS:
        if not check.known_gap:
            continue
        row = check.run(store)
        if row["passed"]:  # the gap closed (the test suite flags the label); nothing to warn about
            continue
        low, high = check.band
        value = float(row["value"])  # type: ignore[arg-type]
        unit = " bp" if check.id.endswith("_bp") else ""
        items.append(f"`{check.id}`: the model gives {_gap_number(check.id, value)}{unit} where the evidence asks "
                     f"{_gap_number(check.id, low)} to {_gap_number(check.id, high)}{unit}; {check.known_gap}.")
    if not items:
        return []
    return [note("What the market block does not reproduce (known gaps in `geostress validate`):", "warn"),
            bullets(items)]


def holders_section(store: Store, report: dict[str, Any] | None, result: Any, holders: Any, *,
                    tipping: bool = True) -> Section:  # fmt: skip
    """TIC history of the major holders (when the monitor ran), the holder groups and, for a coupled run, the
    cascade; ``tipping``: whether the report has a tipping-point section to point to (``--no-tipping``: not)."""
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
    tables: list[tuple[str, pd.DataFrame]] = [("holder_sectors", sectors)]
    if result.coupled is not None:
        blocks += cascade_blocks(result, holders)
        blocks += known_gaps_blocks(store)
        drivers = drivers_table(result)
        if drivers is not None:
            tables.append(("market_drivers", drivers[1]))
    else:
        blocks.append(note(no_market_block_note(result.spec, tipping=tipping), "note"))
    return Section("holders", "Holders and the cascade", tuple(blocks), tables=tuple(tables))


def no_market_block_note(spec: ScenarioSpec, *, tipping: bool = True) -> str:
    """What a run without the Treasury market block says about holders: nothing is sold month by month; a
    scenario with fixed ``[shocks]`` (``china_sells``: +8 bp of term premium from FY2027) moves the fiscal engine
    directly, and no figure of the run measures what those shocks add against a run without them."""
    shocks = spec.shocks
    fixed = [text for value, text in (
        (shocks.term_premium_bp, f"{shocks.term_premium_bp:+g} bp of 10-year term premium"),
        (shocks.all_rates_pp, f"{shocks.all_rates_pp:+g} pp on every yield at issue"),
        (shocks.primary_deficit_pct_gdp, f"{shocks.primary_deficit_pct_gdp:+g}% of GDP of primary deficit"),
    ) if value]  # fmt: skip
    tipping_text = ("the tipping-point section below asks how large a sale would set off a cascade." if tipping else
                    "the tipping-point section, skipped in this report (--no-tipping), would ask how large a sale "
                    "would set off a cascade.")
    if not fixed:
        return ("This scenario has no sales, announcements or contagion, so the Treasury market block is off and "
                f"nobody sells; {tipping_text}")
    start = f" from FY{shocks.start_year}" if shocks.start_year is not None else ""
    # a term-premium shock stands for a sale (china_sells): the preset that sells through the block is named
    selling = (", and a preset that sells through the block, such as `china-sells-all`, measures a sale against its "
               "no-event twin" if shocks.term_premium_bp else "")
    return (f"This scenario moves the fiscal engine by fixed shocks ({', '.join(fixed)}{start}; `[shocks]` of the "
            "scenario file), not through the Treasury market block: there is no market range, backstop or cascade "
            "here, and the run does not measure what the shocks add against a run without them (compare its "
            f"figures with the baseline's report{selling}); {tipping_text}")


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
        what = ("a what-if: this scenario" + (" with the contagion block switched on and" if contagion_added else
                                              " (its contagion block already on) with")
                + f" China's official sector selling over {WHAT_IF_MONTHS} months from the first month ("
                + own_selling(spec) + ")")
    held = float(holdings.get(holder, 0.0))
    high = min(WHAT_IF_MAX_BN, math.floor(held * 10) / 10)
    return parse_scenario(data, origin="tipping what-if"), what, 1.0, high, current


def own_selling(spec: ScenarioSpec) -> str:
    """What a scenario without a scheduled sale sells of its own, for the tipping what-if: nothing, or what its
    events and blocks (announcements, threats, liquidity shocks, contagion, reserves) sell through the market
    block, which the what-if keeps."""
    nouns = {"contagion on": "contagion block", "reserves on": "reserve managers' block"}
    events = [nouns.get(reason, reason) for reason in spec.coupled_because if reason != "sales"]
    if not events:
        return "the scenario itself has no sale and nothing that sells"
    listed = events[0] if len(events) == 1 else ", ".join(events[:-1]) + " and " + events[-1]
    return (f"the scenario has no scheduled sale, but the selling its {listed} set off goes through the market "
            "block (the Sold figure of the cascade above), and the what-if keeps it")


def no_edge(point: Any) -> str | None:
    """Why a bisection found no edge: ``"both"`` (the criterion already holds at the low end, and at the high
    end), ``"neither"`` (it holds at neither end); ``None`` when it found one
    (:attr:`geostress.run.tipping.TippingPoint.no_edge`)."""
    return None if point.edge is not None else point.no_edge


def no_edge_text(ends: str, criterion: str, low: str, high: str) -> str:
    """A bisection without an edge in words, the same in the report's tipping section and in ``geostress tipping``
    (:func:`geostress.cli.tipping.result_text`): ``ends`` is :func:`no_edge`'s ``"both"`` (already met at the low
    end, and at the high end) or ``"neither"``; ``low`` and ``high`` are the range's ends as printed."""
    if ends == "both":
        return (f"the criterion ({criterion}) is already met at the low end of the range ({low}), and at the high end "
                f"({high}): no edge in the range")
    return f"the criterion ({criterion}) holds at neither end of the range ({low}, {high}): no edge in the range"


def tipping_section(spec: ScenarioSpec, store: Store, holders: Any, *, enabled: bool = True,
                    rel_tolerance: float = 0.01) -> Section:  # fmt: skip
    """The smallest sale at which the contagion block's selling reaches the cascade measure
    (:mod:`geostress.run.tipping`)."""
    from geostress.run.tipping import clearance_text, ends_text, find_tipping_point, percent_texts

    threshold = percent_texts([], spec.contagion.cascade_threshold)[1]
    window = spec.contagion.cascade_window_months
    intro = para("A tipping point is the size of a sale beyond which the other holders' selling reaches a cascade: "
                 "the sale lifts yields and worsens the fiscal news, more holders cross their thresholds and sell "
                 "(each round less than the last: the block's loops stay below a gain of one), and their net "
                 f"selling within {counted(window, 'month')} passes {threshold} of their holdings (a cascade, "
                 "docs/contagion.md). It is found by bisection over the sale, each step one deterministic run of the "
                 "coupled model.")
    if not enabled:
        return Section("tipping", "Tipping point", (intro, note("Skipped (--no-tipping).", "warn")))
    holdings = {s.name: float(s.holdings) for s in holders.sectors}
    what_if, what, low, high, current = tipping_setup(spec, holdings)
    if high <= low:
        return Section("tipping", "Tipping point",
                       (intro, note(f"Not computed: the seller holds ${high:,.1f}bn, too little to bisect.", "warn")))
    started = time.perf_counter()
    point = find_tipping_point(what_if, "sale_bn", low, high, criterion_name="cascade", store=store,
                               tolerance=rel_tolerance * (high - low), measure_ends=True)
    seconds = time.perf_counter() - started
    distance = None if point.edge is None else point.edge - current
    seller = what_if.sales[0].holder
    ends = no_edge(point)
    how_far = f"; {far}" if (far := ends_text(point)) else ""  # without an edge: the measure at both ends
    if ends == "both":
        own = spec.liquidity_shocks or spec.announcements or spec.threats
        result = (no_edge_text(ends, "cascade", f"${low:,.0f}bn", f"${high:,.0f}bn") + how_far
                  + (" (this scenario's own events set off the cascade without a sizeable sale)" if own else ""))
        tile = ("already met", f"the run cascades at ${low:,.0f}bn, the low end of the range")
        gap = ("—", "nothing more needed: already cascading")
    elif ends == "neither":
        result = no_edge_text(ends, "cascade", f"${low:,.0f}bn", f"${high:,.0f}bn") + how_far
        tile = ("none in range", f"no cascade up to ${high:,.0f}bn")
        gap = ("—", "no edge in the range")
    else:
        result = point.note
        tile = ("none in range", point.note) if point.edge is None else (f"${point.edge:,.0f}bn",
                                                                         "smallest sale that cascades")
        gap = ("—", "") if distance is None else (
            f"{fmt(distance, '+,.0f')}bn", "already past the edge" if distance <= 0 else "more needed to tip")
    blocks: list[Block] = [
        intro,
        para(f"Knob: the sale in USD bn, {what}; bisected over {span(low, high, ',.0f', prefix='$', unit='bn')} "
             f"(at most what {seller} holds, ${holdings.get(seller, 0.0):,.1f}bn)."),
        stats([
            ("Tipping point", *tile),
            ("This scenario's sale", f"${current:,.0f}bn", seller) if spec.sales else
            ("This scenario's scheduled sale", "none", f"the what-if sells from {seller}; distance from $0"),
            ("Distance", *gap),
            ("Evaluations", str(point.evaluations), f"{seconds:.1f} s, deterministic runs"),
        ]),
        *((note(f"How clear the edge is: {clearance}.", "warn" if point.fragile else "source"),)
          if (clearance := clearance_text(point)) else ()),
        note(f"Result: {result}. Criterion: cascade (the holders' net selling by the contagion block within "
             f"{counted(what_if.contagion.cascade_window_months, 'month')} above "
             f"{percent_texts([], what_if.contagion.cascade_threshold)[1]} of their holdings). The contagion "
             f"parameters are stated priors taken at their medians (scale {what_if.contagion.scale:g}; "
             "docs/contagion.md), so the edge is indicative, not a forecast.", "source"),
    ]  # fmt: skip
    row = {"knob": "sale_bn", "holder": seller, "criterion": point.criterion, "edge_bn": point.edge,
           "current_bn": current, "distance_bn": distance, "low_bn": low, "high_bn": high,
           "evaluations": point.evaluations, "what_if": not spec.sales, "fragile": point.fragile,
           "margin": point.margin, "note": result}
    return Section("tipping", "Tipping point", tuple(blocks), tables=(("tipping", pd.DataFrame([row])),))
