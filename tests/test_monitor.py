"""The monitor: indicator arithmetic on small known cases, then the real snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geostress.errors import DataError, ScenarioError
from geostress.analytics.monitor import (
    TIC_AGGREGATES,
    AlertThresholds,
    breadth_history,
    build_monitor,
    holder_stats,
    load_alerts,
    percentile_rank,
)


def monthly(values: list[float], start: str = "2024-01-31") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="ME"), dtype=float)


def test_holder_stats_on_a_known_series() -> None:
    s = monthly([100, 120, 130, 125, 126, 124, 123, 110, 109, 108, 100, 99, 98, 97])
    stats = holder_stats(s)
    assert stats["latest"] == 97 and stats["latest_period"] == "2025-02"
    assert stats["mom"] == pytest.approx(-1.0)
    assert stats["yoy"] == pytest.approx(97 - 120)  # Feb-2025 against Feb-2024
    assert stats["peak"] == 130 and stats["peak_period"] == "2024-03"
    assert stats["drawdown_pct"] == pytest.approx(100 * (97 / 130 - 1), abs=1e-3)
    assert stats["decline_streak"] == 9  # every month since the 126 of May-2024 was a fall


def test_decline_streak_counts_only_consecutive_falls() -> None:
    assert holder_stats(monthly([5, 4, 3, 4, 3, 2]))["decline_streak"] == 2
    assert holder_stats(monthly([5, 4, 3, 2]))["decline_streak"] == 3
    assert holder_stats(monthly([1, 2]))["decline_streak"] == 0
    assert holder_stats(monthly([2, 2]))["decline_streak"] == 0


def test_breadth_ranks_on_the_previous_month() -> None:
    idx = pd.date_range("2025-01-31", periods=3, freq="ME")
    holdings = pd.DataFrame(
        {"a": [10, 9, 8], "b": [8, 9, 10], "c": [1, 0.5, np.nan], "d": [0.1, 0.2, 0.1]}, index=idx
    )
    hist = breadth_history(holdings, top_n=2)
    # Feb: top-2 on Jan are a, b → a cut: 1/2. Mar: top-2 on Feb are a, b (9, 9) → a cut: 1/2.
    assert hist["share"].tolist() == [0.5, 0.5]
    hist3 = breadth_history(holdings, top_n=4)
    # Feb: a, c cut of 4; Mar: c has no value → 3 holders, a and d cut.
    assert hist3["cutters"].tolist() == [2, 2] and hist3["holders"].tolist() == [4, 3]
    assert percentile_rank(pd.Series([0.1, 0.2, 0.3, 0.4]), 0.3) == 75.0


def test_alert_file_errors_name_the_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "alerts.toml"
    bad.write_text("[alerts]\nbreadth_share = 1.5\n")
    with pytest.raises(ScenarioError, match=r"alerts.toml.*alerts\.breadth_share"):
        load_alerts(bad)
    bad.write_text("[alerts]\nbreadth_shares = 0.5\n")
    with pytest.raises(ScenarioError, match="breadth_shares.*Allowed fields"):
        load_alerts(bad)
    bad.write_text("[alerts\n")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_alerts(bad)
    good = tmp_path / "ok.toml"
    good.write_text("[alerts]\nholder_decline_streak = 2\n")
    assert load_alerts(good).holder_decline_streak == 2
    assert load_alerts(None) == AlertThresholds()


def test_a_series_break_is_no_ones_cut() -> None:
    """At a TIC break month (a benchmark-survey June) a holder cuts when the older series falls, not when the
    survey revises the level down: 'a' drops from 10 to 8 only between the two series (its older June is 11)."""
    idx = pd.date_range("2010-05-31", periods=2, freq="ME")
    holdings = pd.DataFrame({"a": [10.0, 8.0], "b": [9.0, 8.5]}, index=idx)
    prior = pd.DataFrame({"a": [np.nan, 11.0], "b": [np.nan, np.nan]}, index=idx)
    assert breadth_history(holdings, top_n=2)["cutters"].tolist() == [2]
    assert breadth_history(holdings, top_n=2, prior=prior)["cutters"].tolist() == [1]


def test_a_fall_in_market_value_is_no_ones_cut() -> None:
    """From 2012 TIC's holdings are market values: when yields rise every holding loses value. A holder cuts when
    its holdings fall below last month's grown by the month's valuation change (here −2%): 'a' loses 1% (it bought
    on net), 'b' 3% (it sold)."""
    idx = pd.date_range("2022-08-31", periods=2, freq="ME")
    holdings = pd.DataFrame({"a": [100.0, 99.0], "b": [90.0, 87.3]}, index=idx)
    assert breadth_history(holdings, top_n=2)["cutters"].tolist() == [2]
    rate = pd.Series([np.nan, -0.02], index=idx)
    assert breadth_history(holdings, top_n=2, valuation_rate=rate)["cutters"].tolist() == [1]
    assert breadth_history(holdings, top_n=2, valuation_rate=rate * 0)["cutters"].tolist() == [2]


def test_the_monitors_breadth_is_net_of_valuation_on_the_snapshot(report: dict) -> None:
    """December 2025: the top 20 of November, each cutting when its holdings fell below November's grown by the
    month's valuation change (4 years × the month-end 10-year yield's change); the SLT benchmarks of 2011 are not
    in the history."""
    from geostress.calibrate.market import FOREIGN_DURATION_YEARS, TIC_SLT_BENCHMARKS
    from geostress.data.store import Store

    store = Store()
    holders = [s for s in store.series_ids() if s.startswith("tic.mfh.")
               and s.removeprefix("tic.mfh.") not in TIC_AGGREGATES]
    wide = store.get(holders, start="2025-11-01", end="2025-12-31").pivot_table(
        index="period", columns="series_id", values="value")
    daily = store.get("fred.dgs10", start="2025-11-01", end="2025-12-31").set_index("period")["value"].dropna()
    change = (daily[:"2025-12-31"].iloc[-1] - daily[:"2025-11-30"].iloc[-1]) / 100.0
    nov, dec = wide.iloc[0], wide.iloc[1]
    top = nov[dec.notna()].nlargest(20).index
    expected = int((dec[top] < nov[top] * (1.0 - FOREIGN_DURATION_YEARS * change)).sum())
    b = report["breadth_of_selling"]
    assert b["period"] == "2025-12" and b["net_of_valuation"] is True
    assert b["cutters"] == expected and b["share"] == pytest.approx(expected / 20)
    assert change != 0.0 and expected != int((dec[top] < nov[top]).sum())  # the month's valuation decides a holder
    # beside it, the count as published and the assumed valuation change the count rests on
    assert b["cutters_as_published"] == int((dec[top] < nov[top]).sum())
    assert b["valuation_duration_years"] == FOREIGN_DURATION_YEARS
    assert b["valuation_change_pct"] == pytest.approx(-100.0 * FOREIGN_DURATION_YEARS * change, abs=5e-4)
    months = pd.period_range("2000-04", "2025-12", freq="M")
    assert b["history_months"] == len(months) - len(TIC_SLT_BENCHMARKS)


def test_a_pinned_monitor_without_the_months_yield_says_its_count_is_as_published() -> None:
    """Pinned to 2026-03-20 the store holds December 2025's TIC levels but not that month's 10-year yield: the
    count cannot be net of valuation, so it is the published one, and the words say so rather than "sold on net"."""
    from datetime import date

    from rich.console import Console

    from geostress.cli.monitor import render_monitor

    pinned = build_monitor(as_of=date(2026, 3, 20))
    b = pinned["breadth_of_selling"]
    assert b["period"] == "2025-12" and b["net_of_valuation"] is False and b["valuation_change_pct"] is None
    assert b["cutters"] == b["cutters_as_published"]
    console = Console(record=True, width=200)
    render_monitor(pinned, console)
    text = console.export_text()
    assert f"{b['cutters']}/20 of the top holders cut as published (the month's 10-year yield is not in" in text
    fired = [a["message"] for a in pinned["alerts"] if a["id"] == "breadth_share"]
    assert all("cut (as published)" in message for message in fired)


def test_the_monitor_reads_june_2011_within_the_older_series() -> None:
    """June 2011 on the snapshot: the survey revised many holders' levels, which the monitor counted as cuts."""
    from geostress.data.store import Store

    store = Store()
    wide = store.get([s for s in store.series_ids() if s.startswith("tic.mfh.")]).pivot_table(
        index="period", columns="series_id", values="value")
    older = store.get([s for s in store.series_ids() if s.startswith("tic.mfh_prior.")]).pivot_table(
        index="period", columns="series_id", values="value")
    older = older.rename(columns=lambda sid: "tic.mfh." + sid.removeprefix("tic.mfh_prior."))
    june = wide.loc["2011-05-31":"2011-06-30", [c for c in older.columns if c in wide.columns]]
    naive = breadth_history(june)["cutters"].iloc[0]
    within = breadth_history(june, prior=older.reindex(columns=june.columns))["cutters"].iloc[0]
    may, new_june = june.iloc[0], june.iloc[1]
    top = may[new_june.notna()].nlargest(20).index
    old_june = older.loc["2011-06-30"].reindex(top).fillna(new_june[top])
    assert within == int((old_june < may[top]).sum())
    assert naive == int((new_june[top] < may[top]).sum()) and naive != within


@pytest.fixture(scope="module")
def report() -> dict:
    return build_monitor()


def test_monitor_on_the_snapshot_pins_official_values(report: dict) -> None:
    assert report["tic_period"] == "2025-12"
    holders = {h["series_id"]: h for h in report["holders"]}
    china = holders["tic.mfh.china_mainland"]
    assert china["latest"] == pytest.approx(683.5)
    assert china["mom"] == pytest.approx(683.5 - 683.9, abs=1e-6)
    assert china["peak"] == pytest.approx(1316.7) and china["peak_period"] == "2013-11"
    assert china["drawdown_pct"] == pytest.approx(100 * (683.5 / 1316.7 - 1), abs=1e-3)
    assert report["holders"][0]["name"] == "Japan" and report["holders"][0]["latest"] == pytest.approx(1185.5)
    assert report["foreign_total"]["latest"] == pytest.approx(9271.0)
    assert report["foreign_official"]["latest"] == pytest.approx(3887.0)
    b = report["breadth_of_selling"]
    assert 0 <= b["share"] <= 1 and 0 < b["percentile"] <= 100 and b["holders"] == 20
    assert b["history_months"] > 300
    json.dumps(report)  # JSON-ready


def test_monitor_gold_yields_and_interest(report: dict) -> None:
    gold = report["gold"]
    assert gold["china_latest_moz"] == pytest.approx(75.44)
    assert gold["china_streak_months"] >= 12 and gold["china_streak_at_least"] is True
    assert gold["china_wgc_tonnes"] == pytest.approx(2306.30)
    assert report["yields"]["10y"]["date"] == "2026-08-20"  # the 2026-08 FRED vintage (issue 16)
    assert set(report["yields"]) >= {"10y", "30y"}
    actual = report["interest"]["actual"]
    assert actual["fiscal_year"] == 2025
    assert actual["pct_gdp"] == pytest.approx(100 * 969.9 / 30362.0, abs=0.01)
    projected = report["interest"]["projected"]
    assert projected["baseline"] == "2026-02-01"
    by_year = {y["fiscal_year"]: y for y in projected["by_year"]}
    assert by_year[2036]["net_interest_bn"] == pytest.approx(2144, abs=1)
    # CBO (Feb 2026): net interest 4.6% of GDP in FY2036, 3.2% in FY2025 — with CBO's own GDP path (economic
    # projections Feb 2026: FY2036 GDP $46,712bn) it is 2,144.3 / 46,712 = 4.59%
    assert by_year[2036]["pct_gdp"] == pytest.approx(4.6, abs=0.1)
    assert "February 2026" in projected["gdp_source"]


def test_monitor_market_gauges_pin_official_values(report: dict) -> None:
    """Issue 16 gauges, each pinned on the official file in the snapshot."""
    m = report["markets"]
    # ACM (FRBNY) 10-year term premium: 0.815923% on 2026-08-20, 0.686392% on 2026-07-20 (a model estimate)
    tp = m["term_premium_10y"]
    assert tp["date"] == "2026-08-20" and tp["latest"] == pytest.approx(0.8159, abs=1e-4)
    assert tp["change_1m_bp"] == pytest.approx(13.0) and "ACM" in tp["label"]
    # FRED DFII10 2.35% on 2026-08-20; T10YIE 2.34% on 2026-08-21 (2026-08-22 vintage)
    assert m["real_yield_10y"]["latest"] == pytest.approx(2.35) and m["real_yield_10y"]["date"] == "2026-08-20"
    assert m["breakeven_10y"]["latest"] == pytest.approx(2.34) and m["breakeven_10y"]["date"] == "2026-08-21"
    # FRED DTWEXBGS 118.90 on 2026-08-14, 120.64 on 2025-08-14
    dollar = m["dollar_broad"]
    assert dollar["latest"] == pytest.approx(118.90)
    assert dollar["change_12m_pct"] == pytest.approx(100 * (118.90 / 120.64 - 1), abs=0.01)
    # CPI-U (BLS via FRED, 2026-07-30 vintage): June 2026 332.568, June 2025 321.435
    cpi = m["cpi_inflation_12m"]
    assert cpi["period"] == "2026-06" and cpi["latest_pct"] == pytest.approx(100 * (332.568 / 321.435 - 1), abs=0.01)
    gold = report["gold"]
    # World Bank Pink Sheet gold: $4,228/oz in June 2026, $3,353 in June 2025
    assert gold["price_usd_oz"] == pytest.approx(4228.0) and gold["price_period"] == "2026-06"
    assert gold["price_yoy_pct"] == pytest.approx(100 * (4228 / 3353 - 1), abs=0.01)
    # SAFE 75.44 Moz at end-June 2026 × $4,228/oz = $318.96bn
    assert gold["china_value_bn"] == pytest.approx(75.44 * 4228 / 1000, abs=0.01)
    assert gold["china_value_price_period"] == "2026-06"


def test_cpi_inflation_skips_a_missing_month() -> None:
    from geostress.analytics.monitor import cpi_inflation_12m

    months = pd.period_range("2024-10", "2025-10", freq="M").to_timestamp(how="end").normalize()
    cpi = pd.Series(np.linspace(100.0, 103.0, len(months)), index=months)
    assert cpi_inflation_12m(cpi) == (pytest.approx(3.0), "2025-10")
    # October 2025 was not published: the latest month with a year-earlier twin has none → no figure
    assert cpi_inflation_12m(cpi.drop(months[-1])) == (None, "")
    assert cpi_inflation_12m(pd.Series(dtype=float, index=pd.DatetimeIndex([]))) == (None, "")


def test_as_of_before_any_tic_release_is_a_clear_error() -> None:
    # the TIC file in the snapshot was released on 2026-03-18: nothing from it was known in January 2026
    with pytest.raises(DataError, match="2026-01-31"):
        build_monitor(as_of=pd.Timestamp("2026-01-31").date())


def test_jsonable_makes_strict_json() -> None:
    """NaN and infinities become null, numpy values plain Python, so json.dumps(allow_nan=False) accepts it."""
    import json

    import numpy as np

    from geostress.util.jsonable import jsonable

    raw = {"a": np.float32(1.5), np.int64(3): [np.nan, np.inf, 2], "t": (np.bool_(True), "x"), "arr": np.arange(2)}
    out = jsonable(raw)
    assert out == {"a": 1.5, 3: [None, None, 2], "t": [True, "x"], "arr": [0, 1]}
    assert json.loads(json.dumps(out, allow_nan=False)) == {"a": 1.5, "3": [None, None, 2], "t": [True, "x"],
                                                           "arr": [0, 1]}


def test_an_alert_file_without_an_alerts_table_is_refused(tmp_path: Path) -> None:
    """A misspelt table or thresholds at the top of the file had been ignored: the defaults fired without a word."""
    bad = tmp_path / "alerts.toml"
    for body, words in (("[alert]\nholder_drawdown_pct = -60\n", "unknown key 'alert'"),
                        ("holder_drawdown_pct = -60\n", "unknown key 'holder_drawdown_pct'"),
                        ("", r"no \[alerts\] table")):
        bad.write_text(body)
        with pytest.raises(ScenarioError, match=words) as caught:
            load_alerts(bad)
        assert "alerts.toml" in str(caught.value)


def test_as_of_before_a_later_series_leaves_its_block_out(report: dict) -> None:
    """At the TIC file's release day (2026-03-18) the quarterly NIPA interest series (first released in the store on
    2026-06-25) was not yet out: that block is left out, the rest is as it stood then."""
    early = build_monitor(as_of=pd.Timestamp("2026-03-18").date())
    assert early["tic_period"] == report["tic_period"] == "2025-12"
    assert "quarterly_nipa" in report["interest"] and "quarterly_nipa" not in early["interest"]
    assert early["interest"]["actual"] == report["interest"]["actual"]  # CBO's actuals were out by then
    assert early["holders"] == report["holders"]
    assert early["yields"]["10y"]["date"] < report["yields"]["10y"]["date"]


def test_the_text_names_yields_that_end_months_before_the_others() -> None:
    from geostress.cli.monitor import stale_yields_note

    yields = {"3m": {"date": "2025-11-24"}, "10y": {"date": "2026-08-20"}, "30y": {"date": "2025-11-24"}}
    note = stale_yields_note(yields)
    assert "3m and 30y yields end on 2025-11-24" in note and "about 9 months before 2026-08-20" in note
    assert stale_yields_note({"2y": {"date": "2026-08-01"}, "10y": {"date": "2026-08-20"}}) == ""
    assert stale_yields_note({}) == ""


def test_the_gold_line_leaves_out_what_was_not_yet_released() -> None:
    """At --as-of 2026-03 SAFE's monthly gold (first in the store on 2026-07-07) was not out, WGC's was: the line
    had printed "None Moz (None), additions for None months (since None)"."""
    from geostress.cli.monitor import gold_line

    early = build_monitor(as_of=pd.Timestamp("2026-03-31").date())
    assert "china_latest_moz" not in early["gold"] and early["gold"]["china_wgc_tonnes"] > 0
    assert gold_line(early["gold"]) == "China official gold: WGC 2,306.3 t (2025-12)."
    assert "None" not in gold_line({"china_latest_moz": 75.44, "china_latest_period": "2026-06",
                                    "china_streak_months": 17, "china_streak_since": None})
    assert gold_line({}) == ""
