"""The rare-earth mandate verdict and the reserve manager's allocation under freeze risk.

References
----------
U.S. Geological Survey (2025), Mineral Commodity Summaries: Rare Earths; IEA (2024), Global Critical Minerals
Outlook (separation and magnet shares); see docs/minerals.md for every capacity and project.
Erb, C. B. and Harvey, C. R. (2013), "The Golden Dilemma", Financial Analysts Journal 69(4); IMF International
Financial Statistics via FRED (China's reserves excluding gold); see docs/reserves.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from geostress.report.blocks import Block, Chart, Section, fmt, note, para, pct, stats, table
from geostress.report.figures import bar_figure, line_figure
from geostress.report.pngs import bar_png, line_png

DEFAULT_MINERALS = "minerals-us-mandate.toml"
ASSET_LABELS = {
    "ust_bills": "UST bills", "ust_2y": "UST 2y", "ust_5y": "UST 5y", "ust_10y": "UST 10y", "ust_30y": "UST 30y",
    "gold": "gold (at home)", "eur_sov": "EUR sovereigns", "other_ae_sov": "other AE sovereigns",
    "em_local": "EM local", "mdb": "MDB bonds", "cash": "cash",
}  # fmt: skip


def find_minerals_spec(scenario_file: Path | None, cwd: Path | None = None) -> Path | None:
    """``minerals-us-mandate.toml`` beside the scenario file (a user's own copy), else the packaged preset."""
    from geostress.spec.presets import PRESETS_DIR

    places = [] if scenario_file is None else [scenario_file.parent / DEFAULT_MINERALS]
    places.append(PRESETS_DIR / DEFAULT_MINERALS)
    return next((p for p in places if p.is_file()), None)


def minerals_skipped(reason: str) -> Section:
    """The section when no minerals scenario is run."""
    return Section("minerals", "Rare-earth verdict", (note(reason, "warn"),))


def _shortfall_chart(s: dict[str, Any]) -> Chart:
    rows = [{"sector": sector.replace("_", " "), "measure": measure, "tonnes": float(s[key].get(sector, 0.0))}
            for sector in s["shortfall_by_sector_t"]
            for measure, key in (("covered buyers", "covered_shortfall_by_sector_t"),
                                 ("all buyers", "shortfall_by_sector_t"))]  # fmt: skip
    frame = pd.DataFrame(rows)
    title = "Rare-earth shortfall by sector over the horizon, tonnes"
    caption = ("Demand that cannot be met, summed over the horizon, by sector: for the buyers the mandate covers, "
               "and for all buyers worldwide (the mandate redirects non-China supply to covered buyers).")
    return Chart("minerals_shortfall", title, caption, frame,
                 bar_figure(frame, "sector", "measure", "tonnes", y_title="tonnes", digits=0),
                 lambda p: bar_png(frame, "sector", "measure", "tonnes", Path(p), title=title, y_label="tonnes"))


def _price_chart(s: dict[str, Any]) -> Chart:
    parts = [pd.DataFrame({"month": range(1, len(v) + 1), "market": market, "usd_per_kg": v})
             for market, v in (("global", s["price_usd_kg_global"]["ndpr"]),
                               ("China-free", s["price_usd_kg_china_free"]["ndpr"]))]  # fmt: skip
    frame = pd.concat(parts, ignore_index=True)
    title = "NdPr oxide price, USD/kg"
    base = s.get("base_year")
    start = ("the base-year price" if base is None else
             f"the {base} price (USGS Mineral Commodity Summaries {int(base) + 1})")
    caption = (f"Monthly price of NdPr oxide (the magnet elements), both lines starting from {start}. Global: the "
               "world market's price, which rises as the world's unmet demand grows. China-free: the price of "
               "material with no Chinese content for the buyers the mandate covers: the world price, or more when "
               "their unmet China-free requirement is scarcer than the world market. Such material can always be "
               "sold on the world market, so the China-free line never sits below the global one; the two lines "
               "coincide in months when the mandate requires nothing or all of it is met (docs/minerals.md, "
               "Prices).")
    return Chart("minerals_price", title, caption, frame,
                 line_figure(frame, "month", "market", "usd_per_kg", x_title="month of the scenario",
                             y_title="USD/kg", digits=1),
                 lambda p: line_png(frame, "month", "market", "usd_per_kg", Path(p), title=title,
                                    x_label="month of the scenario", y_label="USD/kg"))


def _usgs(base_year: Any) -> str:
    """The USGS edition the base year's production and prices come from (MCS of year Y + 1 reports year Y)."""
    if base_year is None:
        return "USGS Mineral Commodity Summaries (mine production and prices of the base year)"
    return (f"USGS Mineral Commodity Summaries {int(base_year) + 1} (mine production and prices for {base_year}; "
            "a price that edition does not print comes from the one before, docs/minerals.md)")


def minerals_section(result: Any, source: Path) -> Section:
    """Verdict of a rare-earth decoupling mandate (:func:`geostress.run.minerals.run_minerals`)."""
    s = result.summary
    share, allowed = s["china_free_share_day180"], s["allowed_china_share_day180"]
    required = None if allowed is None else 1.0 - allowed
    from geostress.run.minerals import deadline_words

    met, when = s["mandate_met"], deadline_words(s)
    by = s["base_year_china_share"]
    judged = [d for d in s.get("mandate_deadlines", []) if d["met"] is not None]
    if met is None:
        verdict = ("No verdict: the scenario's mandate covers no buyer, or none of its days falls within the "
                   "horizon.")
    elif [d["day"] for d in judged] == [180.0]:
        verdict = (f"Verdict: the mandate is {'met' if met else 'not met'} at day 180. "
                   + ("" if share is None else f"{pct(share)} of covered demand can be China-free, against "
                      f"{pct(required)} required."))  # fmt: skip
    else:  # judged at the schedule's own days: each day's share against what that day's rule requires
        verdict = (f"Verdict: the mandate is {'met' if met else 'not met'} at {when}: " + "; ".join(
            f"day {d['day']:g}: {pct(d['china_free_share'])} China-free against {pct(1.0 - d['allowed_china_share'])}"
            " required" for d in judged) + ".")
    rows = [(sector.replace("_", " "), "never (to the horizon)" if month is None else str(month),
             fmt(s["covered_shortfall_by_sector_t"].get(sector, 0.0), ",.0f"),
             fmt(s["shortfall_by_sector_t"].get(sector, 0.0), ",.0f"))
            for sector, month in s["compliance_month_by_sector"].items()]  # fmt: skip
    blocks: list[Block] = [
        para(f"Rare-earth scenario {result.name!r} ({source.name}): can buyers covered by a mandate stop using "
             f"rare earths mined, separated, refined or made in China by {when or 'day 180'}, who runs short, and "
             "what does the NdPr price floor cost?"),
        note(verdict, "source" if met is None else "verdict-ok" if met else "verdict-fail"),
        stats([
            ("China-free share, day 180", pct(share), f"allowed China share {pct(allowed)}"),
            ("China's share today", f"{pct(by['mining'], 0)} / {pct(by['separation'], 0)} / {pct(by['magnets'], 0)}",
             "mining / separation / magnets"),
            ("Price-floor subsidy", f"${s['subsidy_cost_usd'] / 1e6:,.0f}m",
             "the NdPr floor's cost over the horizon, paid with or without the mandate"),
            ("Binding nodes, day 180", str(len(s["binding_nodes"])), ", ".join(s["binding_nodes"][:3])),
        ]),
        table(["sector", "compliant from month", "covered shortfall (t)", "world shortfall (t)"], rows,
              numeric=[False, True, True, True], caption="Covered sectors: first month compliant and shortfall"),
        _shortfall_chart(s),
        _price_chart(s),
        note(f"Sources: {_usgs(s.get('base_year'))}; IEA Global Critical "
             "Minerals Outlook (China's 91% of separation, 94% of sintered magnets); company and government "
             "announcements for the project pipeline (docs/minerals.md). One linear programme per step routes "
             "supply from mine to magnet, tracking China origin at every stage.", "source"),
    ]  # fmt: skip
    return Section("minerals", "Rare-earth verdict", tuple(blocks))


def _weights_chart(result: Any) -> Chart:
    rows = [{"asset": ASSET_LABELS.get(a, a), "portfolio": name, "weight": float(w[a])}
            for name, w in ((f"current ({result.as_of})", result.current),
                            (f"optimal at p = {result.p:g}", result.weights)) for a in w]  # fmt: skip
    frame = pd.DataFrame(rows)
    title = f"{result.holder}'s reserves: current and optimal allocation"
    caption = (f"Shares of {result.holder}'s reserves (${result.total_bn:,.0f}bn, {result.as_of}) by asset: "
               f"today's estimate and the mean–variance optimum when US and allied assets may be frozen with "
               f"annual probability p = {result.p:g}, losing all exposed value (the Russia 2022 precedent).")
    return Chart("reserves_allocation", title, caption, frame,
                 bar_figure(frame, "asset", "portfolio", "weight", y_title="share of reserves", y_suffix="%",
                            scale=100.0),
                 lambda p: bar_png(frame, "asset", "portfolio", "weight", Path(p), title=title,
                                   y_label="share of reserves", scale=100.0, y_suffix="%"))


def _implied_chart(result: Any) -> Chart:
    frame = pd.DataFrame({"month": list(result.implied_p), "implied_p": list(result.implied_p.values()),
                          "flag": [result.implied_flag[m] for m in result.implied_p],
                          "observed_ust_share": [result.observed_ust_share[m] for m in result.implied_p]})
    plot = pd.DataFrame({"month": pd.to_datetime(frame["month"]), "series": "implied p",
                         "value": frame["implied_p"] * 100.0})
    title = "Implied annual freeze probability, % a year"
    caption = ("The freeze probability at which the model's optimal Treasury share equals the share China "
               "actually holds, month by month: a market-implied gauge of how much sanction risk China's "
               "reserve managers act as if they see. Flagged months (in the data) sit at the range's ends.")
    return Chart("reserves_implied_p", title, caption, frame,
                 line_figure(plot, "month", "series", "value", x_title="month", y_title="% a year",
                             y_suffix="%", digits=2),
                 lambda p: line_png(plot, "month", "series", "value", Path(p), title=title, x_label="month",
                                    y_label="% a year", y_suffix="%"))


def as_of_note(result: Any, tic_month: str | None = None) -> str:
    """When the reserves section stands: its month (:attr:`ReserveResult.as_of`, the latest month in which every
    input is in the store), China's Treasuries then, and that the implied sale is measured against those, not
    against the later TIC figures elsewhere in the report (``tic_month``: the monitor's TIC month)."""
    share = result.observed_ust_share.get(result.as_of, result.current_ust_share)
    held = float(share) * float(result.total_bn)
    text = (f"This section is as of {result.as_of}: the latest month in which all its inputs are in the store "
            "(China's TIC holdings, its gold, its reserves excluding gold from IMF International Financial "
            "Statistics via FRED, and the gold price). China's Treasuries then: "
            f"${held:,.0f}bn ({pct(share)} of ${result.total_bn:,.0f}bn of reserves). The implied sales are "
            "measured against those holdings")
    if tic_month and str(tic_month)[:7] != result.as_of:
        text += f", not against the TIC figures of {tic_month} in the Monitor and the Holders sections"
    return text + "."


def reserves_section(result: Any, *, tic_month: str | None = None) -> Section:
    """China's reserve allocation, current versus optimal under freeze risk
    (:func:`geostress.run.reserves.run_reserves`); ``tic_month``: the month of the TIC data elsewhere in the
    report, named beside the section's own month."""
    from geostress.run.reserves import treasury_sales_schedule

    sales = sum(a for _, a in treasury_sales_schedule(result))
    last = list(result.implied_p)[-1] if result.implied_p else None
    assumptions = table(["item", "value"], list(result.assumptions.items()))
    blocks: list[Block] = [
        para("How a reserve manager facing the risk that its dollar assets are frozen would hold its reserves, "
             "and how far today's holdings are from that."),
        stats([
            (f"Treasury share, {result.as_of}", pct(result.current_ust_share), f"{result.holder}, {result.as_of}"),
            (f"Optimal at p = {result.p:g}", pct(result.ust_share),
             {"mv": "mean–variance", "cvar": "mean–CVaR"}.get(result.method, result.method) + " optimum"),
            ("Implied sales of Treasuries", f"${sales:,.0f}bn",
             f"from {result.as_of}, walking to the optimum at the maximum pace"),
            ("Implied p, latest", "—" if last is None else pct(result.implied_p[last], 2), last or ""),
        ]),
        note(as_of_note(result, tic_month), "note"),
        _weights_chart(result),
        _implied_chart(result),
        f"<details><summary>Assumptions ({len(result.assumptions)})</summary>{assumptions}</details>",
        note("Sources: reserves excluding gold from IMF International Financial Statistics via FRED; Treasuries "
             "from TIC Major Foreign Holders; gold from SAFE and the World Gold Council; Treasury yields from the "
             "Federal Reserve H.15; return and risk assumptions as listed (docs/reserves.md).", "source"),
    ]  # fmt: skip
    return Section("reserves", "Reserves", tuple(blocks))


def unavailable(section_id: str, title: str, reason: str) -> Section:
    """A section that could not be computed, with the reason."""
    return Section(section_id, title, (note(f"Not available: {reason}", "warn"),))


__all__ = ["find_minerals_spec", "minerals_section", "minerals_skipped", "reserves_section", "unavailable"]
