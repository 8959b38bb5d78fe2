"""``geostress market impact|replay`` under bad or thin input: dates outside the store, flows missing for most of a
replay's window, and holders the market at a date cannot price (the embedded snapshot, no mocks)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from geostress.cli.app import app
from geostress.data.store import Store
from geostress.errors import DataError, ScenarioError
from geostress.run.market import impact, replay
from geostress.service.routing import strict_loads


def months_of(store: Store, series: str) -> tuple[str, str]:
    periods = pd.DatetimeIndex(store.get(series)["period"])
    return f"{periods.min():%Y-%m}", f"{periods.max():%Y-%m}"


@pytest.fixture()
def cli(geostress_home: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``invoke(args) -> Result``: the app in this process, on the embedded snapshot, downloads off."""
    monkeypatch.setenv("GEOSTRESS_OFFLINE", "1")
    monkeypatch.delenv("GEOSTRESS_DEBUG", raising=False)
    runner = CliRunner()
    return lambda args: runner.invoke(app, args, env={"COLUMNS": "200"})


def refused(result: Any) -> str:
    """A clean refusal (status 1, a message, no internal error): its text."""
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    return " ".join(result.output.split())


# -- 1. dates outside what the store covers -------------------------------------------------------------------
def test_replay_months_outside_the_acm_premium_name_the_option_and_the_range(store: Store) -> None:
    first, last = months_of(store, "acm.tp10")
    first = f"{pd.Period(first, 'M') + 1}"  # the replay measures changes from the month before the window
    for start, end, option in (("0000-01", "2000-01", "--from"), ("1700-01", "2000-01", "--from"),
                               ("9999-12", "9999-12", "--from"), ("2000-01", "2999-01", "--to")):
        with pytest.raises(DataError) as caught:  # the months are valid, the store does not hold them
            replay(store, start, end)
        message = str(caught.value)
        assert message.startswith(option) and f"{first} to {last}" in message
        assert "import" not in message  # importing cannot help: the months are outside the source
    replay(store, first, first, flows=["supply"])  # the first month the store covers is accepted


def test_impact_at_outside_the_market_names_the_option_and_the_range(store: Store) -> None:
    # every series the market reads must be observed: the Fed's holdings (TREAST) start last, TIC ends first
    first = max(months_of(store, s)[0] for s in ("tic.mfh.grand_total", "fred.treast", "fred.fygfdpun", "fred.gdp"))
    last = months_of(store, "tic.mfh.grand_total")[1]
    for at in ("0001-01", "0000-01", "2001-01", "9999-12"):
        with pytest.raises(DataError) as caught:
            impact(store, "China", 1.0, 1, at=at, draws=0)
        message = str(caught.value)
        assert message.startswith("--at") and f"{first} to {last}" in message and "import" not in message
    assert impact(store, "China", 1.0, 1, at=first, draws=0).at.strftime("%Y-%m") == first


def test_malformed_dates_on_the_command_line_are_messages_not_bugs(cli: Any) -> None:
    text = refused(cli(["market", "replay", "--from", "0000-01", "--to", "2000-01"]))
    assert "--from" in text and "1961-07 to" in text
    text = refused(cli(["market", "impact", "--holder", "China", "--amount-bn", "1", "--at", "0001-01"]))
    assert "--at" in text and "2002-12 to" in text


# -- 2. scores withheld when a chosen flow is missing for much of the window -------------------------------------
def test_replay_withholds_scores_when_a_flow_is_missing_in_most_months(store: Store) -> None:
    # 1980–2000: the Fed's holdings (TREAST, Dec-2002) and TIC (Mar-2000) are missing in (nearly) every month
    old = replay(store, "1980-01", "2000-06")
    assert old.missing_by_flow is not None and old.missing_by_flow["fed"] == 246 == len(old.monthly)
    for score in (old.modelled_change_bp, old.slope_3m, old.slope_3m_se, old.corr_3m, old.sd_ratio_12m):
        assert math.isnan(score)
    assert old.withheld == "flow fed missing in 246 of 246 months"
    assert np.isfinite(old.monthly["modelled_bp"]).all() and math.isfinite(old.observed_change_bp)  # rows kept
    # 2026: TIC's last month is Dec-2025, so the foreign flows are missing in every month of the window
    recent = replay(store, "2026-01", "2026-08")
    assert math.isnan(recent.modelled_change_bp) and "foreign_official missing in 8 of 8 months" in recent.withheld
    # only the chosen flows count: debt held by the public covers 1980–2000, so supply alone is scored
    supply = replay(store, "1980-01", "2000-06", flows=["supply"])
    assert supply.withheld is None and math.isfinite(supply.slope_3m) and math.isfinite(supply.modelled_change_bp)


def test_the_validated_whole_window_replay_keeps_its_scores(store: Store) -> None:
    """2000–2025 misses the Fed's flow in 36 of 312 months (11.5%, under the 20% threshold): `geostress
    validate`'s figures are unchanged."""
    whole = replay(store, "2000-01", "2025-12")
    assert whole.missing_by_flow == {"fed": 36, "foreign_official": 3, "foreign_private": 3}
    assert whole.withheld is None
    assert whole.slope_3m == pytest.approx(-0.2553, abs=5e-4)
    assert whole.sd_ratio_12m == pytest.approx(0.7122, abs=5e-4)


def test_withheld_scores_are_null_in_json_and_na_in_text(cli: Any) -> None:
    window = ["market", "replay", "--from", "1980-01", "--to", "2000-06"]
    result = cli([*window, "--json"])
    assert result.exit_code == 0, result.output
    data = strict_loads(result.output)  # NaN or Infinity would raise
    for key in ("modelled_change_bp", "slope_observed_on_modelled_3m", "slope_3m_se", "corr_3m",
                "sd_ratio_modelled_to_observed_12m"):
        assert data[key] is None, key
    assert data["scores_withheld"] == "flow fed missing in 246 of 246 months" and len(data["monthly"]) == 246
    text = " ".join(cli(window).output.split())
    # (the console's width is fixed when the CLI is first imported: at 80 columns a cell's end wraps onto the next
    # line, after the end of a wrapped label)
    assert text.count("n/a (flow fed missing") == 3 and "1.47" not in text
    # nor the withheld modelled path: the year ends show what was observed only (they were "1980 +14/+52; …")
    assert "modelled n/a: flow fed missing in 246 of 246 months" in text and "+14/+52" not in text
    episodes = strict_loads(cli(["market", "replay", "--from", "1990-01", "--to", "2025-12", "--json"]).output)
    assert episodes["episodes"] and all(e["modelled_change_bp"] is None for e in episodes["episodes"])


# -- 3. replay dates: a month is required, and months are compared ----------------------------------------------
def test_replay_dates_need_a_month_and_compare_months(store: Store) -> None:
    for start, end, option in (("2020", "2020-12", "--from"), ("2020-01", "2020", "--to"),
                               ("2020-1", "2020-12", "--from")):
        with pytest.raises(ScenarioError, match=f"^{option} .* is not a month: use YYYY-MM"):
            replay(store, start, end)
    # two days of one month: that month, not "--from is after --to"
    march = replay(store, "2020-03-15", "2020-03-10", flows=["supply"])
    assert (march.start, march.end, len(march.monthly)) == ("2020-03", "2020-03", 1)
    with pytest.raises(ScenarioError, match="--from 2020-04 is after --to 2020-03"):
        replay(store, "2020-04-01", "2020-03-31")


# -- 4. who can sell what --------------------------------------------------------------------------------------
def test_private_sales_are_capped_at_the_sellers_own_holdings(store: Store) -> None:
    from geostress.calibrate.market import market_at
    from geostress.run.market import resolve_seller

    market = market_at(store)
    by_group = market.holders.table().groupby("group")["holdings"].sum()
    domestic, foreign = float(by_group["domestic"]), float(by_group["foreign_private"])
    assert resolve_seller(market, "domestic_private").holdings_bn == pytest.approx(domestic)
    assert resolve_seller(market, "foreign_private").holdings_bn == pytest.approx(foreign)
    assert resolve_seller(market, "private").holdings_bn == pytest.approx(domestic + foreign)
    # domestic sectors hold ≈$17.4tn: a $20tn domestic sale is refused, though all private holdings exceed it
    assert domestic < 20_000 < domestic + foreign
    with pytest.raises(ScenarioError, match=f"domestic_private holds {domestic:,.1f} bn"):
        impact(store, "domestic_private", 20_000.0, 12, market=market, draws=0)
    with pytest.raises(ScenarioError, match="foreign_private holds"):
        impact(store, "foreign_private", foreign + 1.0, 12, market=market, draws=0)
    assert impact(store, "domestic_private", domestic, 12, market=market, draws=0).amount_bn == domestic


def test_a_tic_country_without_a_row_at_the_month_says_which_months_it_has(store: Store) -> None:
    first, last = months_of(store, "tic.mfh.russia")  # Russia left TIC's major holders after 2018
    with pytest.raises(ScenarioError) as caught:
        impact(store, "Russia", 1.0, 1, draws=0)
    message = str(caught.value)
    assert "no row for russia at" in message and f"{first} to {last}" in message and "--at" in message
    assert "australia" not in message
    assert impact(store, "Russia", 1.0, 1, at="2010-01", draws=0).holder == "russia"
    with pytest.raises(ScenarioError, match="did you mean"):  # a name TIC never lists still gets suggestions
        impact(store, "Atlantis", 1.0, 1, draws=0)


def test_booking_the_feds_purchases_early_leaves_only_the_months_before_its_data_empty(store: Store) -> None:
    """With --fed-lead N a month's Fed flow is TREAST's change N months later: every month from N months before
    TREAST's first change has one (the shift is by date; it once moved values along TREAST's own dates and left the
    N months before its start empty as well)."""
    from geostress.calibrate.market import replay_flows

    plain = replay_flows(store, "2000-01", "2024-12")
    early = replay_flows(store, "2000-01", "2024-12", fed_lead_months=18)
    assert int(plain["missing_fed_purchases"].sum()) == 36  # 2000-01 … 2002-12: TREAST starts in December 2002
    assert int(early["missing_fed_purchases"].sum()) == 36 - 18
    np.testing.assert_array_equal(early["fed_purchases"].to_numpy()[:-18][18:],
                                  plain["fed_purchases"].to_numpy()[18:][18:])
