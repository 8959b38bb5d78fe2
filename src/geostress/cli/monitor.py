"""``geostress monitor``: the indicators markets watch, rendered for an 80-column terminal and wider.

:mod:`geostress.analytics.monitor` computes the indicators (a JSON-ready dict); this module only prints them.
The holders table keeps every number whole on one line (no ``1,185…``): headers are short, holder names wrap, and
the peak month is printed as ``YYYY-MM`` in a column wide enough for it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from geostress.cli.common import checked_as_of, console, friendly, plain_table, print_json, styled

#: Holders shown in the table (the top of the ranking).
TOP_N = 20


def register(app: typer.Typer) -> None:
    """Add ``monitor`` to ``app``."""
    app.command("monitor")(monitor_cmd)


@friendly
def monitor_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print every field as JSON (the text shows a selection: "
                                                         "three of CBO's projected years, say).")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Alert thresholds (TOML).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only data released on or before this date "
                                                              "(YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
) -> None:
    """The indicators markets watch: who is selling, how broadly, gold, yields, interest burden."""
    from geostress.analytics.monitor import build_monitor, load_alerts
    from geostress.data.store import period_bound

    day = None if as_of is None else checked_as_of(as_of, "--as-of")  # a day after today: a usage error, as elsewhere
    thresholds = load_alerts(config)
    report = build_monitor(as_of=period_bound(day, "--as-of", "end"), alerts=thresholds)
    if as_json:
        print_json(report)
        return
    render_monitor(report, console)


def _fmt(value: Any, spec: str = ",.1f") -> str:
    return "" if value is None else format(value, spec)


def holders_table(report: dict[str, Any], top: int = TOP_N) -> Table:
    """The major holders as a table that fits 80 columns with every number whole."""
    table = plain_table(f"Major foreign holders of Treasuries, USD bn ({report['tic_period']}; TIC)", caption=Text(
                      "m/m, y/y: change in USD bn; peak: highest month; %peak: percent below it; "
                      "cuts: months of decline in a row"), caption_justify="left")
    table.add_column("holder", justify="left", min_width=10, ratio=1, overflow="fold")
    for col in ("latest", "m/m", "y/y", "peak"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("month", justify="right", no_wrap=True, min_width=7)
    table.add_column("%peak", justify="right", no_wrap=True)
    table.add_column("cuts", justify="right", no_wrap=True)
    for h in report["holders"][:top]:
        table.add_row(Text(str(h["name"])), _fmt(h["latest"]), _fmt(h["mom"], "+,.1f"), _fmt(h["yoy"], "+,.1f"),
                      _fmt(h["peak"]), str(h["peak_period"]), _fmt(h["drawdown_pct"], "+.1f"),
                      str(h["decline_streak"]))
    return table


def gold_line(g: dict[str, Any]) -> str:
    """China's official gold as the monitor prints it: SAFE's ounces and streak, WGC's tonnes, each only when its
    series had been released by the monitor's ``--as-of`` (``""`` when neither was)."""
    parts = []
    if g.get("china_latest_moz") is not None:
        streak = ("at least " if g.get("china_streak_at_least") else "") + f"{g.get('china_streak_months')} months"
        since = f" (since {g['china_streak_since']})" if g.get("china_streak_since") else ""
        parts.append(f"{g['china_latest_moz']} Moz ({g.get('china_latest_period')}; SAFE), additions for "
                     f"{streak}{since}")
    if g.get("china_wgc_tonnes") is not None:
        parts.append(f"WGC {_fmt(g['china_wgc_tonnes'], ',.1f')} t ({g.get('china_wgc_period')})")
    return f"China official gold: {'; '.join(parts)}." if parts else ""


def stale_yields_note(yields: dict[str, Any], days: int = 31) -> str:
    """A note naming the yields whose latest date is more than ``days`` before the newest one's (FRED's files end
    at different dates, and each 1-month change is over its own month), or ``""``."""
    dates = {key: date.fromisoformat(y["date"]) for key, y in yields.items()}
    if not dates:
        return ""
    newest = max(dates.values())
    old = [key for key, when in dates.items() if (newest - when).days > days]
    if not old:
        return ""
    ends = sorted({dates[key] for key in old})
    months = (newest.year - ends[-1].year) * 12 + newest.month - ends[-1].month
    when = f"on {ends[0]:%Y-%m-%d}" if len(ends) == 1 else f"between {ends[0]:%Y-%m-%d} and {ends[-1]:%Y-%m-%d}"
    return (f"Note: the store's {' and '.join(old)} {'yield ends' if len(old) == 1 else 'yields end'} {when}, "
            f"{'about ' if months else 'less than '}{max(months, 1)} month{'s' if months > 1 else ''} before "
            f"{newest:%Y-%m-%d}; import a later release to compare them.")


def breadth_basis(b: dict[str, Any]) -> str:
    """What the breadth counted, in words after "of the top holders": "sold on net of an assumed valuation change
    (4 years × the 10-year yield's change: −0.64% of holdings; 14 cut as published)"; "sold on net" in a month of
    net transactions (before 2012), where the published change is the net purchase; "cut as published (…)" when the
    month's 10-year yield is not in the data (a pinned ``--as-of``), so no valuation change came out."""
    if b.get("valuation_duration_years") is None:
        return "sold on net"
    if not b.get("net_of_valuation"):
        return ("cut as published (the month's 10-year yield is not in the data read, so no valuation change came "
                "out)")
    return (f"sold on net of an assumed valuation change ({b['valuation_duration_years']:g} years × the 10-year "
            f"yield's change: {b['valuation_change_pct']:+.2f}% of holdings; {b['cutters_as_published']} cut as "
            "published)")


def render_monitor(report: dict[str, Any], out: Console) -> None:
    """Print the monitor report of :func:`geostress.analytics.monitor.build_monitor` on ``out``."""
    out.print(holders_table(report))
    b, tot, off = report["breadth_of_selling"], report["foreign_total"], report["foreign_official"]
    out.print(Text(
        f"Breadth of selling ({b['period']}): {b['cutters']}/{b['holders']} of the top holders {breadth_basis(b)} "
        f"(share {b['share']:.0%}, {b['percentile']:.0f}th percentile of {b['history_months']} months, whose "
        f"mean share is {b['history_mean']:.0%})."
    ))
    out.print(Text(
        f"Foreign total {tot['latest']:,.1f} (y/y {_fmt(tot['yoy'], '+,.1f')}); foreign official "
        f"{off['latest']:,.1f} = {off['share_of_total_pct']:.1f}% of the total (y/y {_fmt(off['yoy'], '+,.1f')})."
    ))
    g = report["gold"]
    gold = gold_line(g)
    if gold:
        out.print(Text(gold))
    if "price_usd_oz" in g:
        value = ("" if g.get("china_value_bn") is None else
                 f"; China's gold worth ${g['china_value_bn']:,.1f}bn at the {g['china_value_price_period']} price")
        out.print(Text(f"Gold ${g['price_usd_oz']:,.0f}/oz ({g['price_period']} average, World Bank; y/y "
                       f"{_fmt(g.get('price_yoy_pct'), '+.1f')}%){value}."))
    for key, y in report["yields"].items():
        out.print(Text(f"{key} Treasury yield {y['latest']:.2f}% on {y['date']} (1-month change "
                       f"{_fmt(y['change_1m_bp'], '+.0f')} bp)"))
    stale = stale_yields_note(report["yields"])
    if stale:
        out.print(Text(stale, style="dim"))
    m = report.get("markets", {})
    for key in ("term_premium_10y", "real_yield_10y", "breakeven_10y"):
        if key in m:
            x = m[key]
            out.print(Text(f"{x['label']} {x['latest']:.2f}% on {x['date']} (1-month change "
                           f"{_fmt(x['change_1m_bp'], '+.0f')} bp)"))
    if "dollar_broad" in m:
        x = m["dollar_broad"]
        out.print(Text(f"Broad dollar index {x['latest']:.2f} on {x['date']} (1 month "
                       f"{_fmt(x['change_1m_pct'], '+.1f')}%, 12 months {_fmt(x['change_12m_pct'], '+.1f')}%)"))
    if m.get("cpi_inflation_12m", {}).get("latest_pct") is not None:
        x = m["cpi_inflation_12m"]
        out.print(Text(f"CPI inflation {x['latest_pct']:.1f}% over the 12 months to {x['period']} (CPI-U)"))
    interest = report["interest"]
    if "actual" in interest:
        a = interest["actual"]
        out.print(Text(f"Net interest FY{a['fiscal_year']}: ${a['net_interest_bn']:,.0f}bn = {a['pct_gdp']:.2f}% of "
                       f"GDP, {a['pct_revenue']:.1f}% of revenue (CBO actuals)."))
    if "quarterly_nipa" in interest:
        q = interest["quarterly_nipa"]
        out.print(Text(f"Federal interest payments {q['interest_payments_pct_gdp']:.2f}% of GDP in the quarter of "
                       f"{q['period']} (BEA NIPA, annual rate)."))
    if "projected" in interest:
        p = interest["projected"]
        years = p["by_year"]
        sel = [years[0], years[len(years) // 2], years[-1]] if years else []
        text = "; ".join(
            f"FY{y['fiscal_year']} ${y['net_interest_bn']:,.0f}bn ({y['pct_revenue']:.1f}% of revenue"
            + ("" if y["pct_gdp"] is None else f", {y['pct_gdp']:.1f}% of GDP") + ")"
            for y in sel
        )
        out.print(Text(f"CBO baseline {p['baseline']}: {text}."))
    if report["alerts"]:
        out.print(styled(("Alerts", "bold")))
        for a in report["alerts"]:
            out.print(styled(("• ", "yellow"), str(a["message"]), (f"  [{a['id']}]", "dim")))
    else:
        out.print("No alert thresholds crossed.")
