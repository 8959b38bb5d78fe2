"""``geostress market impact|replay`` messages from the analyst's probe of 2 December 2026: the range note between
21 draws and a few hundred, countries with no official holdings, numbers echoed as typed, an empty ``--flows``,
the ``official`` group and the stabilisers note's verb (the embedded snapshot, no mocks)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from geostress.calibrate.market import market_at
from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.run.market import (MIN_RANGE_DRAWS, QUOTED_RANGE_DRAWS, impact, unknown_holder_message,
                                  without_official_holdings)
from geostress.run.replay import replay


def unboxed(text: str) -> str:
    """A usage error's text without its box and line breaks."""
    return re.sub(r"\s+", " ", re.sub("[│╭╮╰╯─]", " ", text))


SALE = ["market", "impact", "--holder", "japan", "--amount-bn", "100", "--months", "3"]


# -- 2. the range note between 21 draws and a few hundred ---------------------------------------------------------
def test_the_range_note_stays_until_a_few_hundred_draws(store: Store, cli: Any) -> None:
    """``--draws 20`` said a range to quote needs a few hundred draws; ``--draws 21`` printed its 5th and 95th
    percentiles with no note at all. From 21 draws to :data:`QUOTED_RANGE_DRAWS` the note says how far the ends
    may stand from the 5th and 95th percentiles; under 21 its words are as before."""
    few = impact(store, "japan", 100.0, 3, draws=MIN_RANGE_DRAWS - 1).range_note
    assert few == (f"a 5–95% range from {MIN_RANGE_DRAWS - 1} draws is read between the smallest draws and between "
                   "the largest; a range to quote needs a few hundred draws (the default is 1,000)")
    rough = impact(store, "japan", 100.0, 3, draws=MIN_RANGE_DRAWS).range_note
    assert rough is not None and rough.startswith(f"a 5–95% range from {MIN_RANGE_DRAWS} draws is rough: its ends "
                                                  "stand for the priors' 5th and 95th percentiles give or take 4.8 "
                                                  "percentile points (one standard error)")
    assert rough.endswith(f"a range to quote needs a few hundred draws ({QUOTED_RANGE_DRAWS} or more; the default "
                          "is 1,000)")
    last = impact(store, "japan", 100.0, 3, draws=QUOTED_RANGE_DRAWS - 1).range_note
    assert last is not None and "give or take 1.5 percentile points" in last
    assert impact(store, "japan", 100.0, 3, draws=QUOTED_RANGE_DRAWS).range_note is None
    assert json.loads(cli([*SALE, "--draws", "21", "--json"]).stdout)["range_note"] == rough
    assert "note: a 5–95% range from 21 draws is rough" in unboxed(cli([*SALE, "--draws", "21"]).stdout)


# -- 3. countries with no official holdings -----------------------------------------------------------------------
def test_countries_with_no_official_holdings_are_not_offered_as_official_sellers(store: Store) -> None:
    """Bermuda and the Cayman Islands (an assumed official share of 0%) were listed among the countries "whose
    official holdings sell", then refused as holding 0.00 bn: they are listed apart, with the holder to use."""
    market = market_at(store)
    none = without_official_holdings(market)
    assert {"bermuda", "cayman_islands"} <= set(none)
    message = unknown_holder_message(market, "nowhere")
    selling = message.split("whose official holdings sell (")[1].split(";")[0]
    assert "japan" in selling and not any(country in selling.split(", ") for country in none)
    assert (f"TIC also lists {', '.join(none)}, with no official holdings under the assumed official share (0%): "
            "price a sale by their private holders with --holder foreign_private.") in message


@pytest.mark.parametrize(("holder", "private"), [("bermuda", "foreign_private"),
                                                 ("Cayman Islands", "cayman_islands_private"),
                                                 ("cayman_islands_official", "cayman_islands_private")])
def test_a_country_with_no_official_holdings_says_so_and_what_to_sell_instead(store: Store, holder: str,
                                                                             private: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        impact(store, holder, 10.0, 1, draws=0)
    message, error = str(caught.value), caught.value
    assert message.startswith(f"--holder {holder} has no official holdings at 2025-12: TIC's ")
    assert "are all private under its assumed official share of 0% [assumption]" in message
    assert f"(price a private sale with --holder {private})" in message
    assert "name a country that has them (e.g. --holder " in message
    assert "sell at most that" not in message and "0.00 bn" not in message
    assert error.parameter == "holder"
    suggested = re.search(r"e\.g\. --holder (\w+)\)", message)
    assert suggested is not None and impact(store, suggested[1], 10.0, 1, draws=0).amount_bn == 10.0
    assert impact(store, private, 10.0, 1, draws=0).amount_bn == 10.0  # the private sale suggested runs


# -- 4. numbers echoed as typed; an empty --flows ----------------------------------------------------------------
def test_the_liquidity_stress_is_echoed_as_typed(cli: Any) -> None:
    text = unboxed(cli([*SALE, "--liquidity-stress", "-0.1"]).output)
    assert "--liquidity-stress -0.1 must be a number from 0" in text and "0.10000000000000001" not in text
    near = unboxed(cli([*SALE, "--liquidity-stress", "1.00000000001"]).output)
    assert "--liquidity-stress 1.00000000001 must be" in near  # every digit it needs, not rounded to 1


@pytest.mark.parametrize(("option", "typed", "give"), [
    ("--amount-bn", "1e400", "give the USD bn sold, e.g. 300"),
    ("--amount-bn", "-1e400", "give the USD bn sold, e.g. 300"),
    ("--liquidity-stress", "1e999", "give a number from 0 (orderly selling) to 1 (a dash for cash)"),
])
def test_a_number_too_large_for_a_float_is_echoed_as_typed(cli: Any, option: str, typed: str, give: str) -> None:
    args = [*SALE, option, typed] if option != "--amount-bn" else [*SALE[:4], option, typed]
    result = cli(args)
    assert result.exit_code == 2
    text = unboxed(result.output)
    assert (f"Invalid value for {option}: {typed} is too large to be a finite number (a float holds up to about "
            f"±1.8e308): {give}") in text
    assert "inf is not" not in text


def test_a_replay_duration_too_large_for_a_float_is_echoed_as_typed(cli: Any) -> None:
    result = cli(["market", "replay", "--duration-years", "1e400"])
    assert result.exit_code == 2
    assert ("Invalid value for --duration-years: 1e400 is too large to be a finite number"
            in unboxed(result.output))


def test_nan_and_inf_still_say_not_a_finite_number(cli: Any) -> None:
    for typed in ("nan", "inf", "-inf"):
        result = cli([*SALE[:4], "--amount-bn", typed])
        assert result.exit_code == 2
        assert (f"Invalid value for --amount-bn: {typed} is not a finite number: give the USD bn sold"
                in unboxed(result.output))


@pytest.mark.parametrize("typed", ["", ",", " , "])
def test_an_empty_flows_is_called_empty(store: Store, cli: Any, typed: str) -> None:
    result = cli(["market", "replay", "--from", "2020-01", "--to", "2020-03", "--flows", typed])
    text = unboxed(result.output)
    assert result.exit_code == 1
    assert (f"--flows {typed!r} is empty: name one or more of fed,foreign_official,foreign_private,supply, "
            "comma-separated (e.g. --flows fed,supply), or leave --flows out for all four") in text
    with pytest.raises(ScenarioError, match=r"^--flows '' is empty") as caught:
        replay(store, "2020-01", "2020-03", flows=[])
    assert caught.value.parameter == "flows"
    # blanks beside a flow name nothing, as before
    assert replay(store, "2020-01", "2020-03", flows="fed,,supply").flows == ("fed", "supply")


# -- 5. the official group; the stabilisers note's verb ----------------------------------------------------------
def test_the_unknown_holder_message_lists_the_official_group(store: Store) -> None:
    message = unknown_holder_message(market_at(store), "nowhere")
    assert "Give a holder group (foreign_official or official, private, foreign_private, domestic_private)" in message
    assert impact(store, "official", 10.0, 1, draws=0).holder == "official"  # the short name the message lists


def test_the_stabilisers_note_agrees_with_two_options(store: Store) -> None:
    both = impact(store, "china", 100.0, 1, at="2019-06", draws=0, motive="liquidity").stabilisers_note
    assert both is not None and both.endswith("--backstop off and --fima off price the sale without them")
    one = impact(store, "china", 100.0, 1, at="2019-06", draws=0).stabilisers_note
    assert one is not None and one.endswith("--backstop off prices the sale without it")
