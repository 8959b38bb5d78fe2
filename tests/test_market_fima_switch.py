"""``market impact --fima on|off``: the FIMA repo facility is a stabiliser like the backstop, switchable, so a
liquidity sale at a market before it opened (31 March 2020) can be priced as it was then (docs/market.md)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.run.market import impact

#: China's reserve sales of 2015 (MARKET_EVIDENCE.md §2: officials sold $159bn), as a reviewer priced them.
SALE_2015 = {"holder": "foreign_official", "amount_bn": 159.0, "months": 3, "at": "2015-07"}


def test_fima_off_prices_the_whole_liquidity_sale(store: Store) -> None:
    on = impact(store, **SALE_2015, motive="liquidity", backstop=False, draws=200)
    off = impact(store, **SALE_2015, motive="liquidity", backstop=False, draws=200, fima=False)
    assert on.fima_bn["median"] > 0.0 and off.fima_bn == {"p05": 0.0, "median": 0.0, "p95": 0.0}
    # the same draws: the repo takes part of the sale off the market, so without it no draw's peak is lower
    assert np.all(off.samples["peak"] >= on.samples["peak"] - 1e-9)
    assert off.peak["median"] > on.peak["median"]
    assert on.to_json()["fima"] == "on" and off.to_json()["fima"] == "off"
    assert "--fima off prices the sale without it" in (on.stabilisers_note or "")
    assert off.stabilisers_note is None  # before March 2020, with neither stabiliser on, nothing acts "as today"
    both = impact(store, **SALE_2015, motive="liquidity", draws=0)
    assert "--backstop off and --fima off price the sale without them" in (both.stabilisers_note or "")


def test_a_diversification_sale_never_uses_the_repo(store: Store) -> None:
    on = impact(store, **SALE_2015, draws=50)
    off = impact(store, **SALE_2015, draws=50, fima=False)
    assert on.peak == off.peak and on.persistent == off.persistent and on.fima_bn["median"] == 0.0


def test_the_switch_is_a_bool_from_python_and_on_or_off_on_the_command_line(store: Store, cli: Any) -> None:  # noqa: F811
    with pytest.raises(ScenarioError, match=r"fima='off' must be True or False .*--fima on\|off") as caught:
        impact(store, **SALE_2015, motive="liquidity", fima="off")  # type: ignore[arg-type]
    assert caught.value.parameter == "fima"
    args = ["market", "impact", "--holder", "foreign_official", "--amount-bn", "159", "--months", "3", "--at",
            "2015-07", "--motive", "liquidity", "--draws", "20"]
    bad = cli([*args, "--fima", "maybe"])
    assert bad.exit_code == 2 and "--fima must be on or off" in " ".join(bad.output.split())
    text = cli([*args, "--fima", "off"])
    assert text.exit_code == 0 and "FIMA repo off" in text.stdout and "FIMA repo finances" not in text.stdout
    data = json.loads(cli([*args, "--fima", "off", "--json"]).stdout)
    assert data["fima"] == "off" and data["fima_bn_median"] == 0.0
    cased = [*args[:-4], "--motive", "Liquidity", "--draws", "20", "--fima", "OFF", "--backstop", "On", "--json"]
    lower = [*args, "--fima", "off", "--backstop", "on", "--json"]
    assert json.loads(cli(cased).stdout) == json.loads(cli(lower).stdout)  # --motive, as --backstop: any case
