"""``geostress market impact|replay`` under bad or thin input: dates outside the store, flows missing for most of a
replay's window, and holders the market at a date cannot price (the embedded snapshot, no mocks)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from geostress.data.store import Store
from geostress.errors import DataError, ScenarioError
from geostress.run.market import impact
from geostress.run.replay import replay
from geostress.service.routing import strict_loads
from geostress.testing import real_file


def months_of(store: Store, series: str) -> tuple[str, str]:
    periods = pd.DatetimeIndex(store.get(series)["period"])
    return f"{periods.min():%Y-%m}", f"{periods.max():%Y-%m}"


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
    # a month that is not one is a usage error (status 2, as `run --as-of 2026-13`), not one of the data (1)
    for args in (["market", "impact", "--holder", "China", "--amount-bn", "1", "--at", "2025-13"],
                 ["market", "replay", "--from", "2025-13", "--to", "2026-01"], ["data", "show", "fred.dgs10",
                                                                                 "--start", "2013-13"]):
        wrong = cli(args)
        assert wrong.exit_code == 2 and "is not a date" in wrong.output and "Traceback" not in wrong.output, args


# -- 2. scores withheld when a chosen flow is missing for much of the window -------------------------------------
def test_replay_withholds_scores_when_a_flow_is_missing_in_most_months(store: Store) -> None:
    # 1980–2000: the Fed's holdings (TREAST, Dec-2002) and TIC (Mar-2000) are missing in (nearly) every month
    old = replay(store, "1980-01", "2000-06")
    assert old.missing_by_flow is not None and old.missing_by_flow["fed"] == 246 == len(old.monthly)
    for score in (old.modelled_change_bp, old.slope_3m, old.slope_3m_se, old.corr_3m, old.sd_ratio_12m):
        assert math.isnan(score)
    # every flow missing too often is named, most missing first
    assert old.withheld == "flow fed missing in 246 of 246 months, foreign_official in 243 and foreign_private in 243"
    assert np.isfinite(old.monthly["modelled_bp"]).all() and math.isfinite(old.observed_change_bp)  # rows kept
    # 2026: TIC's last month is Dec-2025, so the foreign flows are missing in every month of the window
    recent = replay(store, "2026-01", "2026-08")
    assert math.isnan(recent.modelled_change_bp) and "foreign_official missing in 8 of 8 months" in recent.withheld
    # only the chosen flows count: debt held by the public covers 1980–2000, so supply alone is scored
    supply = replay(store, "1980-01", "2000-06", flows=["supply"])
    assert supply.withheld is None and math.isfinite(supply.slope_3m) and math.isfinite(supply.modelled_change_bp)


def test_the_validated_whole_window_replay_keeps_its_scores(store: Store) -> None:
    """2000–2025 misses the Fed's flow in 36 of 312 months (11.5%, under the 20% threshold) and the foreign flows
    in 5 (TIC starts in March 2000; the SLT benchmarks of September and December 2011): `geostress validate`'s
    figures are these."""
    whole = replay(store, "2000-01", "2025-12")
    assert whole.missing_by_flow == {"fed": 36, "foreign_official": 5, "foreign_private": 5}
    assert whole.withheld is None
    # (−0.2553 and 0.7122 before June 2002–2011's flows were measured within one TIC series; −0.2470 and 0.7021
    # while valuation was also taken out of the pre-2012 changes, which are net transactions)
    assert whole.slope_3m == pytest.approx(-0.1341, abs=5e-4)
    assert whole.sd_ratio_12m == pytest.approx(0.6627, abs=5e-4)


def test_withheld_scores_are_null_in_json_and_na_in_text(cli: Any) -> None:
    window = ["market", "replay", "--from", "1980-01", "--to", "2000-06"]
    result = cli([*window, "--json"])
    assert result.exit_code == 0, result.output
    data = strict_loads(result.output)  # NaN or Infinity would raise
    for key in ("modelled_change_bp", "slope_observed_on_modelled_3m", "slope_3m_se", "corr_3m",
                "sd_ratio_modelled_to_observed_12m"):
        assert data[key] is None, key
    assert data["scores_withheld"].startswith("flow fed missing in 246 of 246 months, ") and len(data["monthly"]) == 246
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
    # (two decimals, rounded down: the figure shown is the largest amount accepted)
    with pytest.raises(ScenarioError, match=f"domestic_private holds {math.floor(domestic * 100) / 100:,.2f} bn"):
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
    # a name TIC never lists: no close match, and the message lists the names --holder takes
    with pytest.raises(ScenarioError, match=r"^--holder 'Atlantis' is not a holder at .*\. Give a holder group"):
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


# -- 5. TIC's series breaks: a month's flow is measured within one series ---------------------------------------
#: TIC mfhhis01.txt, 'For. Official' (USD bn): May 2011 3,242.8 (Series XI), June 2011 3,242.0 on Series XI
#: ("shown for comparison only") and 3,514.6 on Series XII (the level), July 2011 3,509.6 (Series XII).
MAY_2011, JUNE_2011_OLD, JUNE_2011_NEW, JULY_2011 = 3242.8, 3242.0, 3514.6, 3509.6


def test_the_june_2011_official_flow_is_the_old_series_change(store: Store) -> None:
    """June 2011's flow is June(old) − May, not June(new) − May (a $272bn "purchase" that is the benchmark
    survey's revision of the level); July's is July − June(new) as usual; the level stays the new series."""
    from geostress.calibrate.market import replay_flows

    bare = replay_flows(store, "2011-05", "2011-07", duration_years=0.0)  # no valuation: minus the change itself
    assert bare.loc["2011-06-30", "foreign_official"] == pytest.approx(-(JUNE_2011_OLD - MAY_2011), abs=1e-6)
    assert bare.loc["2011-07-31", "foreign_official"] == pytest.approx(-(JULY_2011 - JUNE_2011_NEW), abs=1e-6)
    # with the valuation change removed (4 years × +13 bp of DGS10 on $3.2tn: ≈ −$17bn) it stays a few $bn of it
    flows = replay_flows(store, "2011-05", "2011-07")
    assert abs(flows.loc["2011-06-30", "foreign_official"]) < 25.0  # was −288.7
    assert store.get("tic.mfh.foreign_official", start="2011-06", end="2011-06")["value"].item() == JUNE_2011_NEW


def test_no_benchmark_june_carries_a_fake_flow(store: Store) -> None:
    """Every June 2002–2011 once carried a foreign-official "purchase" of $37–345bn and a private "sale" of
    $17–287bn, the jump between two TIC series; measured within one series none is over $100bn."""
    from geostress.calibrate.market import replay_flows

    flows = replay_flows(store, "2002-01", "2011-12")
    june = flows[flows.index.month == 6]
    assert len(june) == 10
    assert june["foreign_official"].abs().max() < 100.0
    assert june["foreign_private"].abs().max() < 100.0


def test_the_whole_window_replay_reads_the_prior_series_from_the_snapshot(store: Store, shared_data: Path) -> None:
    """The embedded snapshot holds the older series of each break month, as our own parser reads it from the
    official file (rebuilt by the ingest code, not copied)."""
    from geostress.data.sources import tic_mfh

    path = shared_data / "tic_mfh_historical" / "mfhhis01.txt"
    real_file(path)
    parsed = tic_mfh.parse(path.read_bytes(), origin=str(path)).observations
    parsed = parsed[parsed["series_id"].str.startswith(tic_mfh.PRIOR_PREFIX)]
    stored = store.get(sorted(set(parsed["series_id"])))
    assert len(stored) == len(parsed) == 369
    merged = parsed.merge(stored, on=["series_id", "period"], suffixes=("", "_stored"))
    assert len(merged) == len(parsed) and (merged["value"] == merged["value_stored"]).all()


# -- 6. episodes: a window that is exactly an episode shows it ------------------------------------------------------
def test_a_window_that_is_exactly_an_episode_reports_it(store: Store) -> None:
    for start, end, name in (("2013-05", "2013-09", "taper tantrum (May–Sep 2013)"),
                             ("2009-03", "2009-10", "QE1 Treasury purchases (Mar–Oct 2009)"),
                             ("2010-11", "2011-06", "QE2 (Nov 2010–Jun 2011)")):
        result = replay(store, start, end)
        assert [e[0] for e in result.episodes] == [name], (start, end)
        _, modelled, observed = result.episodes[0]
        # measured from the end of the month before the window, where both paths start at zero
        assert modelled == pytest.approx(result.modelled_change_bp)
        assert observed == pytest.approx(result.observed_change_bp)
    # inside a longer window the episode runs from its own month before, as before
    whole = {e[0]: e[2] for e in replay(store, "2000-01", "2025-12").episodes}
    assert whole["taper tantrum (May–Sep 2013)"] == pytest.approx(replay(store, "2013-05", "2013-09").observed_change_bp)


def test_an_episode_the_window_cuts_is_left_out_with_the_reason(store: Store, cli: Any) -> None:
    result = replay(store, "2013-06", "2013-12")  # starts inside the taper tantrum and inside QE3
    assert result.episodes == ()
    why = dict(result.episodes_left_out)
    assert set(why) == {"taper tantrum (May–Sep 2013)", "QE3 Treasury purchases (Jan 2013–Oct 2014)"}
    assert "starts after the episode's first month (2013-05)" in why["taper tantrum (May–Sep 2013)"]
    assert "ends before" in replay(store, "2013-01", "2013-08").episodes_left_out[0][1]
    data = strict_loads(cli(["market", "replay", "--from", "2013-06", "--to", "2013-12", "--json"]).output)
    assert data["episodes"] == [] and {e["episode"] for e in data["episodes_left_out"]} == set(why)
    exact = strict_loads(cli(["market", "replay", "--from", "2013-05", "--to", "2013-09", "--json"]).output)
    assert [e["episode"] for e in exact["episodes"]] == ["taper tantrum (May–Sep 2013)"]
    text = " ".join(cli(["market", "replay", "--from", "2013-06", "--to", "2013-12"]).output.split())
    assert "episode left out: taper tantrum (May–Sep 2013)" in text


# -- 5. every refusal names the parameter it is about ----------------------------------------------------------
def test_every_refusal_carries_the_parameter_it_is_about(store: Store) -> None:
    """The error's ``parameter`` is the Python name of the argument at fault (the service's query field comes from
    it, not from the message's wording): the amount, not the holder the message names first."""
    cases = [
        (lambda: impact(store, "China", 10_000.0, 12, draws=0), "amount_bn"),
        (lambda: impact(store, "China", float("nan"), 12, draws=0), "amount_bn"),
        (lambda: impact(store, "China", 10.0, 0, draws=0), "months"),
        (lambda: impact(store, "China", 10.0, 241, draws=0), "months"),
        (lambda: impact(store, "China", 10.0, 1, motive="panic", draws=0), "motive"),
        (lambda: impact(store, "private", 10.0, 1, motive="liquidity", draws=0), "motive"),
        (lambda: impact(store, "Atlantis", 10.0, 1, draws=0), "holder"),
        (lambda: impact(store, "Russia", 1.0, 1, draws=0), "holder"),
        (lambda: impact(store, "China", 10.0, 1, at="1990-01", draws=0), "at"),
        (lambda: impact(store, "China", 10.0, 1, at="2020-13", draws=0), "at"),
        (lambda: impact(store, "China", 10.0, 1, draws=-1), "draws"),
        # from Python, a value of the wrong type is refused before it fails deep inside (a TypeError before)
        (lambda: impact(store, "China", 10.0, 12.0, draws=0), "months"),
        (lambda: impact(store, "China", 10.0, True, draws=0), "months"),
        (lambda: impact(store, "China", 10.0, float("nan"), draws=0), "months"),
        (lambda: impact(store, "China", 10.0, 12, draws=2.5), "draws"),
        (lambda: impact(store, "China", 10.0, 12, draws=5, seed=-1), "seed"),
        (lambda: impact(store, "China", "300", 12, draws=0), "amount_bn"),
        (lambda: impact(store, None, 10.0, 12, draws=0), "holder"),  # type: ignore[arg-type]
        (lambda: replay(store, "2020", "2020-12"), "start"),
        (lambda: replay(store, "2000-01", "2999-01"), "end"),
        (lambda: replay(store, "2020-04", "2020-03"), "start"),
        (lambda: replay(store, "2020-01", "2020-03", flows=["gold"]), "flows"),
        (lambda: replay(store, "2020-01", "2020-03", flows=["supply"], fed_lead_months=3), "fed_lead_months"),
        (lambda: replay(store, "2025-01", "2025-12", fed_lead_months=12), "fed_lead_months"),
        (lambda: replay(store, "2000-03", "2001-10", fed_lead_months=3), "fed_lead_months"),
        # a lead past the calendar's last year failed in pandas' date arithmetic; a float or str one in numpy
        (lambda: replay(store, "2020-01", "2025-12", fed_lead_months=100_000), "fed_lead_months"),
        (lambda: replay(store, "2013-05", "2013-09", fed_lead_months=2.5), "fed_lead_months"),
        (lambda: replay(store, "2013-05", "2013-09", fed_lead_months="3"), "fed_lead_months"),
        (lambda: replay(store, "2013-05", "2013-09", fed_lead_months=True), "fed_lead_months"),
        (lambda: replay(store, "2013-05", "2013-09", fed_lead_months=np.int64(61)), "fed_lead_months"),
        (lambda: impact(store, "China", 10.0, 1, motive=3, draws=0), "motive"),  # type: ignore[arg-type]
    ]
    for call, parameter in cases:
        with pytest.raises((ScenarioError, DataError)) as caught:
            call()
        assert caught.value.parameter == parameter, (parameter, str(caught.value))


def test_the_months_a_market_can_be_priced_at_agree_from_the_catalog_and_from_a_vintage(store: Store) -> None:
    """One rule for the months a market can be priced at (the latest start of the market's series to TIC's last
    month), whether read from the store's catalog or, at a vintage, from the series themselves."""
    from datetime import date

    from geostress.calibrate.market import PRICED_SERIES, priced_months

    now = priced_months(store)
    first = max(months_of(store, s)[0] for s in PRICED_SERIES)
    assert (f"{now.first:%Y-%m}", f"{now.last:%Y-%m}") == (first, months_of(store, "tic.mfh.grand_total")[1])
    assert months_of(store, now.latest_series)[0] == first
    at_vintage = priced_months(store, as_of=date.today())
    assert (at_vintage.first, at_vintage.last, at_vintage.latest_series) == (now.first, now.last, now.latest_series)
    assert now.choose() == f"choose --at from {first} to {now.last:%Y-%m}, or leave --at out for the latest market"


def test_the_python_api_keeps_the_commands_limits(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """``impact`` and ``run_scenario`` refuse what the commands refuse, before any work (a student's 10,000,000
    draws from Python were killed for memory; a 600,000-path coupled run ran): a LimitError naming the parameter.
    (The limits are lowered here, so that without the checks the calls would run and the test fail cleanly.)"""
    import geostress.run.market as run_market
    from geostress.errors import LimitError
    from geostress.run.engine import LIMITS, run_scenario
    from geostress.spec.scenario import load_scenario

    monkeypatch.setattr(run_market, "MAX_MARKET_DRAWS", 50)
    with pytest.raises(LimitError, match=r"^draws=51 is over the limit of 50 parameter draws") as caught:
        impact(store, "China", 100.0, 12, draws=51)
    assert caught.value.parameter == "draws"
    monkeypatch.setitem(LIMITS, "coupled", 20)
    small = load_scenario("china-sells-300bn").with_overrides(**{"simulation.paths": 21})
    with pytest.raises(LimitError, match=r"^simulation.paths = 21 is over the limit of 20") as caught:
        run_scenario(small, store=store)
    assert caught.value.parameter == "simulation.paths"
    # market_at past TIC's end, however far: the same clean refusal (a date beyond two years named a data import)
    from geostress.calibrate.market import market_at

    with pytest.raises(DataError, match=r"^--at 2099-01 is after TIC's last month in the store") as late:
        market_at(store, "2099-01")
    assert late.value.parameter == "at"


def test_replay_reads_its_flows_as_names_or_as_one_comma_separated_string(store: Store) -> None:
    """``flows="fed,supply"`` is the two flows, as ``--flows fed,supply`` (it was split into characters)."""
    named = replay(store, "2013-05", "2013-09", flows=["fed", "supply"])
    typed = replay(store, "2013-05", "2013-09", flows="fed, Supply")
    assert typed.flows == named.flows == ("fed", "supply")
    assert typed.modelled_change_bp == named.modelled_change_bp



def test_a_countrys_sale_says_the_official_share_it_assumes(store: Store) -> None:
    """The seller's description gives the assumed official share of the country's TIC row (only the refusal of a
    too-large sale named it before)."""
    sale = impact(store, "China", 100.0, 12, draws=0)
    share = sale.to_json()["description"].split("official share ")[1].split("%")[0]
    from geostress.calibrate.market import market_at

    market = market_at(store)
    official, total = market.official_holdings("china_mainland"), market.tic_countries["china_mainland"]
    assert int(share) == round(100 * official / total)


def test_a_replay_without_scores_gives_strict_json_from_python(store: Store) -> None:
    """``to_json()`` is the command's JSON: a score that cannot be computed (one month: no 3-month change) is None,
    not NaN, which strict JSON readers reject."""
    import json

    payload = replay(store, "2020-03", "2020-03").to_json()
    assert payload["slope_observed_on_modelled_3m"] is None
    json.dumps(payload, allow_nan=False)


def test_no_set_of_countries_holds_more_than_tics_official_total(store: Store) -> None:
    """Each country's official holdings are an assumed share of its TIC row; those outside the top countries are
    scaled down together where their shares would add up to more than TIC's official total leaves (at 2025-12
    they added up to $74bn more)."""
    from geostress.calibrate.market import OFFICIAL_SHARE_ASSUMED, OFFICIAL_SHARE_DEFAULT, market_at

    for at in ("2025-12", "2015-06", "2005-06"):
        market = market_at(store, at)
        total = sum(market.official_holdings(country) for country in market.tic_countries)
        assert total <= market.holders.foreign_official + 1e-6, at
    market = market_at(store, "2005-06")  # room to spare: the assumed share stands unscaled
    row = market.tic_countries["mexico"]
    assert market.official_holdings("mexico") == pytest.approx(row * OFFICIAL_SHARE_ASSUMED.get("mexico",
                                                                                               OFFICIAL_SHARE_DEFAULT))


def test_a_holder_typed_as_the_start_of_a_name_is_suggested_first(store: Store) -> None:
    """A short name is far from a long one by difflib's ratio: 'saudi' was told "did you mean 'spain'?"."""
    from geostress.util.suggest import close_matches

    for typed, expected in (("saudi", "saudi_arabia"), ("Emirates", "united_arab_emirates")):
        with pytest.raises(ScenarioError, match=rf"did you mean '{expected}'") as caught:
            impact(store, typed, 10.0, 1, draws=0)
        assert caught.value.parameter == "holder"
    assert close_matches("jap", ["japan", "jamaica"]) == ["japan"]
    assert close_matches("ja", ["japan"]) == []  # two characters begin too many words to mean one
    assert close_matches("fred.dgs1", ["fred.dgs10", "fred.dgs2"])[0] == "fred.dgs10"


def test_the_motive_is_read_in_any_case_from_python_as_from_the_command_line(store: Store) -> None:
    """``motive="Liquidity"`` is the liquidity motive, as ``--motive Liquidity`` is."""
    assert impact(store, "China", 300.0, 1, motive=" Liquidity", draws=0).motive == "liquidity"


def test_a_numpy_unsigned_lead_is_the_same_lead(store: Store) -> None:
    """numpy's unsigned 3 passed the check and turned into 253 when the lead was negated (every Fed month missing);
    it is read as the whole number it is."""
    plain = replay(store, "2009-01", "2012-12", fed_lead_months=3)
    unsigned = replay(store, "2009-01", "2012-12", fed_lead_months=np.uint8(3))
    assert unsigned.withheld is None and unsigned.slope_3m == plain.slope_3m
    with pytest.raises(ScenarioError, match=r"--fed-lead 61 must be"):
        replay(store, "2009-01", "2012-12", fed_lead_months=np.int64(61))
