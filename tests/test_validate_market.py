"""The all-QE check runs the market block (flows, roll-down, dilution, flow effect), not the closed form
β · 100 · extra / GDP, which only restates β's median (issue 14, MARKET_EVIDENCE.md §4)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from geostress.data.store import Store


def _extra_and_gdp(store: Store) -> tuple[float, float]:
    """The closed form's inputs: the Fed's Treasuries at end-2014 above Aug-2007's grown with GDP, plus the
    end-2014 MBS (USD bn), and end-2014 GDP."""
    from datetime import date

    import geostress.run.market_experiments as rm
    from geostress.calibrate.market import latest_value

    fed07 = latest_value(store, "fred.treast", date(2007, 8, 1), None)
    fed14 = latest_value(store, "fred.treast", date(2014, 12, 31), None)
    gdp07, gdp14 = rm._gdp(store, "2007-09-30"), rm._gdp(store, "2014-12-31")
    return fed14 - fed07 * gdp14 / gdp07 + rm.MBS_END_2014_BN, gdp14


def test_all_qe_flows_add_up_to_the_extra_holdings(store: Store) -> None:
    """The Fed's flows from Aug-2007 to Dec-2014 add up to its Treasuries above the pre-2008 path at end-2014 plus
    the end-2014 MBS, the ``extra`` of the closed form."""
    import geostress.run.market_experiments as rm

    f = rm.all_qe_flows(store)
    assert f.index[0].strftime("%Y-%m") == "2007-08" and f.index[-1].strftime("%Y-%m") == "2014-12"
    extra, gdp14 = _extra_and_gdp(store)
    assert f["fed_purchases"].sum() == pytest.approx(extra, rel=1e-9)
    assert f["gdp_bn"].iloc[-1] == pytest.approx(gdp14) and np.all(f["gdp_bn"] > 0)
    assert f["fed_purchases"].loc["2008-03":"2008-06"].sum() < 0  # the Fed sold Treasuries in 2008 (TREAST)


def test_all_qe_runs_the_block_with_roll_down(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The figure moves with the block's roll-down (the closed form did not); with roll-down and the flow effect
    all but off it is the closed form; at the medians six years of roll-down leave it less negative than that, still
    inside the band of Bonis, Ihrig & Wei (2017), −150 to −50 bp."""
    import geostress.run.market_experiments as rm

    extra, gdp14 = _extra_and_gdp(store)
    medians = rm._medians
    closed = -float(medians().persistent_bp_per_pp) * 100.0 * extra / gdp14
    at_medians = rm.all_qe_bp(store)
    assert -150.0 <= at_medians <= -50.0
    assert at_medians > closed + 5.0  # roll-down of the purchases of 2009–14 (the flow effect adds ≈6 bp more)

    monkeypatch.setattr(rm, "_medians", lambda **s: replace(medians(**s), rolldown_half_life_years=100.0,
                                                            fed_flow_weight=0.0))
    assert rm.all_qe_bp(store) == pytest.approx(closed, rel=0.03)  # (a 100-year half-life still takes ≈2%)
    monkeypatch.setattr(rm, "_medians", lambda **s: replace(medians(**s), rolldown_half_life_years=5.0))
    faster = rm.all_qe_bp(store)
    assert at_medians < faster < 0  # faster roll-down, less left at end-2014
