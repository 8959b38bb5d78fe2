"""Sections built from the store alone: what data the report stands on, and the monitor.

References
----------
U.S. Treasury, Treasury International Capital (TIC) system, "Major Foreign Holders of Treasury Securities".
Board of Governors of the Federal Reserve System, H.15 Selected Interest Rates (via FRED: DGS10, DGS30).
Congressional Budget Office, "The Budget and Economic Outlook" (baseline projections) and historical budget data.
State Administration of Foreign Exchange (SAFE), "Official reserve assets".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geostress.data.store import Store, snapshot_manifest
from geostress.report.blocks import Section, bullets, fmt, note, para, stats, table

#: What each store source is, for the vintages table (every source of :data:`geostress.data.sources.SOURCE_MODULES`).
SOURCE_NAMES: dict[str, str] = {
    "acm-term-premium": "New York Fed: ACM 10-year Treasury term premium (a model estimate), daily",
    "cbo-actuals": "CBO historical budget data (actuals)",
    "cbo-baselines": "CBO baseline budget projections (every vintage)",
    "cbo-debt-derived": "Debt held by the public for the CBO baselines that do not publish it (derived)",
    "cbo-economic": "CBO economic projections (GDP, rates, inflation), one vintage per baseline",
    "fiscaldata-avg-rates": "Treasury Fiscal Data: average interest rates on Treasury securities",
    "fiscaldata-mspd": "Treasury Fiscal Data: Monthly Statement of the Public Debt",
    "fred": "FRED (Federal Reserve H.15 yields, BEA, IMF IFS and others)",
    "gold-safe": "SAFE official reserve assets: China's gold",
    "gold-wgc": "World Gold Council: official gold holdings (IMF IFS)",
    "gold-worldbank": "World Bank Pink Sheet: monthly gold price, USD per troy ounce",
    "tic-mfh": "Treasury TIC: Major Foreign Holders of Treasury Securities",
    "treasury-auctions": "TreasuryDirect auctions: monthly counts, bill share and average term",
    "usgs-ds140": "USGS Data Series 140: US and world rare-earth statistics since 1900",
    "usgs-mcs": "USGS Mineral Commodity Summaries data release (2026 on): rare earths",
    "usgs-ree": "USGS Mineral Commodity Summaries 2025: rare earths",
    "usitc-trade": "USITC DataWeb: US trade in rare-earth compounds, metals and magnets by partner",
}


def _date(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    try:
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    except (ValueError, TypeError):
        return str(value)


def describe_source(source: str) -> str:
    """What ``source`` is: :data:`SOURCE_NAMES`, else the first line of its module's docstring (a source added
    later), else its name."""
    if source in SOURCE_NAMES:
        return SOURCE_NAMES[source]
    from geostress.data.sources import SOURCE_MODULES, get_source

    if source in SOURCE_MODULES:
        doc = (get_source(source).__doc__ or "").strip()
        if doc:
            return doc.splitlines()[0].rstrip(".")
    return source


def period_text(period: Any, vintage: Any) -> str:
    """The latest period as the table shows it: its date, marked when it ends within a month after the release it
    came in (a period stamped at its end, such as a monthly average at the month's last day, that was still under
    way when released: a partial period; projections, years ahead, are not marked)."""
    text = _date(period)
    try:
        ahead = pd.Timestamp(period).normalize() - pd.Timestamp(vintage).tz_localize(None).normalize()
    except (ValueError, TypeError):
        return text
    # within a month after the release: the period the release fell in (further ahead: a projection, not marked)
    partial = pd.Timedelta(0) < ahead <= pd.Timedelta(days=31)
    return f"{text} (partial: under way at release)" if partial else text


def vintages_frame(store: Store) -> pd.DataFrame:
    """Per source: origin (snapshot or downloaded), files, observations, series, latest vintage and period."""
    frame = store.status().copy()
    frame.insert(1, "description", [describe_source(s) for s in frame["source"]])
    return frame


def distinct_series(store: Store) -> int:
    """How many series the store holds: distinct series ids (the per-source counts of :meth:`Store.status` count an
    id stored under two sources, e.g. ``usgs-ree`` and ``usgs-mcs``, once for each, and so add up to more)."""
    frame = store.sql("SELECT count(DISTINCT series_id) AS n FROM obs")
    return int(frame["n"].iloc[0]) if len(frame) and "n" in frame else 0


def asof_section(store: Store) -> Section:
    """"Data as of": which release of each official source the numbers in the report come from."""
    frame = vintages_frame(store)
    manifest = snapshot_manifest()
    rows = [(r.source, r.description, r.origin, fmt(int(r.rows), ",d"), fmt(int(r.series), ",d"),
             _date(r.latest_vintage), period_text(r.latest_period, r.latest_vintage))
            for r in frame.itertuples(index=False)]  # fmt: skip
    newest = max((_date(v) for v in frame["latest_vintage"]), default="—")
    if store.known_by is not None:
        which = (f"this report uses the newest vintage of each released by {store.known_by:%Y-%m-%d} "
                 "(scenario.data_as_of, `geostress report --as-of`): later releases in the store are left out, as "
                 "if they had never been imported.")
    else:
        which = ("this report uses the newest vintage of each. To see the report as the data stood on an earlier "
                 "date, use `geostress report SCENARIO --as-of DATE` (`data show SERIES --as-of DATE` and "
                 "`monitor --as-of DATE` for a series or the monitor).")
    blocks = (
        para("Every number in this report is computed from official releases held in the local store, each "
             "observation tagged with the release (vintage) it came from. Revised data never overwrite earlier "
             f"releases; {which}"),
        stats([
            ("Newest release used", newest, "latest vintage across sources"),
            ("Observations", fmt(int(frame["rows"].sum()), ",d"), f"{distinct_series(store):,} series"),
            ("Embedded snapshot built", _date(manifest.get("built_at")), "shipped with the package"),
        ]),
        table(["source", "what", "origin", "observations", "series", "latest vintage", "latest period"], rows,
              numeric=[False, False, False, True, True, False, False],
              caption="Store contents by source (origin 'snapshot' = the data shipped with the package; "
                      "'store' = downloaded or imported since; 'latest period' is the date the series stamps its "
                      "last observation with: a monthly series stamps the month's last day, so a month still under "
                      "way when released is marked partial)"),
        note(f"Store folder: {store.home}. Refresh with `geostress data update` (online) or "
             "`geostress data import FILE --source NAME`; the report then uses the newest vintage.", "source"),
    )  # fmt: skip
    return Section("data", "Data as of", blocks, tables=(("vintages", frame),))


def _tiles(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    total, official = report["foreign_total"], report["foreign_official"]
    tiles = [
        ("Foreign holdings of Treasuries", f"${total['latest']:,.0f}bn",
         f"{report['tic_period']}; {fmt(total.get('yoy'), '+,.0f')}bn on a year"),
        ("Foreign official holdings", f"${official['latest']:,.0f}bn",
         f"{fmt(official.get('share_of_total_pct'), '.1f')}% of foreign holdings"),
    ]  # fmt: skip
    china = next((h for h in report["holders"] if h["series_id"].endswith("china_mainland")), None)
    if china is not None:
        tiles.append(("China (Mainland)", f"${china['latest']:,.1f}bn",
                      f"{fmt(china.get('drawdown_pct'), '+.1f')}% from the {china['peak_period']} peak"))
    b = report["breadth_of_selling"]
    verb = "sold on net" if b.get("net_of_valuation", True) else "cut (as published)"  # (no yield: not net)
    tiles.append(("Breadth of selling", f"{b['cutters']} of {b['holders']}",
                  f"top holders {verb} in {b['period']} ({b['percentile']:.0f}th percentile)"))
    y10 = report["yields"].get("10y")
    if y10:
        tiles.append(("10-year yield", f"{y10['latest']:.2f}%",
                      f"{y10['date']}; {fmt(y10.get('change_1m_bp'), '+.0f')} bp on a month"))
    actual = report["interest"].get("actual")
    if actual:
        tiles.append(("Net interest / revenue", f"{actual['pct_revenue']:.1f}%",
                      f"FY{actual['fiscal_year']}, {actual['pct_gdp']:.2f}% of GDP (CBO)"))
    gold = report["gold"]
    if gold.get("china_latest_moz") is not None:
        streak = ("≥" if gold.get("china_streak_at_least") else "") + str(gold.get("china_streak_months"))
        tiles.append(("China's official gold", f"{gold['china_latest_moz']:.2f} Moz",
                      f"{gold.get('china_latest_period')}; additions {streak} months running"))
    return tiles


def monitor_section(report: dict[str, Any], *, top: int = 12) -> Section:
    """Key indicators, alerts and the major holders' latest holdings
    (:func:`geostress.analytics.monitor.build_monitor`)."""
    alerts = report.get("alerts", [])
    holders = report["holders"][:top]
    rows = [(h["rank"], h["name"], fmt(h["latest"]), fmt(h.get("mom"), "+,.1f"), fmt(h.get("yoy"), "+,.1f"),
             f"{fmt(h['peak'])} ({h['peak_period']})", fmt(h.get("drawdown_pct"), "+.1f", suffix="%"),
             h["decline_streak"]) for h in holders]  # fmt: skip
    blocks: list[str] = [
        para("The indicators markets watch for a buyers' strike in Treasuries: who is selling, how broadly, whether "
             "official holders are moving into gold, where long yields are, and how much of federal revenue goes "
             "to interest."),
        stats(_tiles(report)),
        "<h3>Alerts</h3>",
        bullets(a["message"] for a in alerts) if alerts else para("No alert threshold is crossed."),
        note("Alert thresholds are the packaged defaults (geostress/analytics/alerts.toml); `geostress monitor "
             "--config FILE` applies others.", "note"),
        table(["#", "holder", "latest $bn", "1-month change", "12-month change", "peak $bn (month)",
               "from peak", "months of decline"], rows,
              numeric=[True, False, True, True, True, True, True, True],
              caption=f"Major foreign holders of Treasury securities, {report['tic_period']} (top {len(rows)})"),
    ]  # fmt: skip
    projected = report["interest"].get("projected")
    if projected and projected.get("by_year"):
        last = projected["by_year"][-1]
        blocks.append(para(f"CBO's {projected['baseline']} baseline projects net interest of "
                           f"${last['net_interest_bn']:,.0f}bn in FY{last['fiscal_year']}, "
                           f"{last['pct_revenue']:.1f}% of revenue."))
    blocks.append(note(
        "Sources: U.S. Treasury TIC, Major Foreign Holders of Treasury Securities (holdings by country, custody "
        "basis: holdings held through custodians in Belgium, Luxembourg or the UK count there); Federal Reserve "
        "H.15 via FRED (yields); CBO actuals and baseline projections (net interest, revenue, GDP); SAFE and "
        "World Gold Council (official gold). Breadth = share of the 20 largest holders (ranked the month before) "
        "that sold on net in the latest month: the change in holdings less, from 2012, when TIC's holdings are "
        "market values, the valuation change (4 years of duration × the month-end 10-year yield's change).", "source"))
    keys = ("rank", "name", "series_id", "latest", "latest_period", "mom", "yoy", "peak", "peak_period",
            "drawdown_pct", "decline_streak")
    frame = pd.DataFrame([{k: h.get(k) for k in keys} for h in report["holders"]], columns=list(keys))
    return Section("monitor", "Monitor", tuple(blocks), tables=(("monitor_holders", frame),))


__all__ = ["asof_section", "monitor_section", "vintages_frame"]
