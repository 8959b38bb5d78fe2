"""The monetary offset as a switch (issue 14, "Stabilisers, each switchable"): ``[market] monetary_offset = false``
holds the fiscal engine's policy rate on the path it takes without the market's events, so the rule no longer
answers the output gap and inflation the premium moves. The market block's own figures do not change; the run's
yields and interest do, and the run says so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from geostress.cli import app
from geostress.data.store import Store
from geostress.run.coupled import OFFSET_OFF_NOTE
from geostress.run.engine import run_scenario
from geostress.spec.scenario import ScenarioSpec, parse_scenario

CHINA = {"holder": "china_mainland_official", "amount_bn": 300, "months": 12}


def spec(offset: bool, paths: int = 0, **simulation: int) -> ScenarioSpec:
    return parse_scenario({"scenario": {"horizon_years": 12}, "simulation": {"paths": paths, "seed": 7, **simulation},
                           "market": {"enabled": True, "monetary_offset": offset}, "sales": [CHINA]})


def test_a_run_in_several_chunks_says_the_offset_is_off_too(store: Store) -> None:
    """The notes of a run split into chunks are made again from the whole run: they kept the offset's note only
    with one chunk (the reviewer's case: 2,000 paths in chunks of 1,024; here two chunks)."""
    head = run_scenario(spec(False, 2_048, chunk_paths=1_024), store=store).headline()
    assert head["offset_note"] == OFFSET_OFF_NOTE and head["backstop_note"] is None


@pytest.mark.parametrize("paths", [0, 200])
def test_without_the_offset_the_premium_costs_more_interest_and_the_market_figures_stay(store: Store,
                                                                                      paths: int) -> None:
    on = run_scenario(spec(True, paths), store=store).headline()
    off = run_scenario(spec(False, paths), store=store).headline()
    for key in ("peak_10y_change_bp", "persistent_10y_change_bp"):  # the block's term premium: no policy in it
        assert off[key] == on[key]
    # the rule eases against the premium's drag on the economy; held on the no-event path, it does not
    assert off["added_net_interest_10y_bn"] > on["added_net_interest_10y_bn"] > 0
    assert on["offset_note"] is None and off["offset_note"] == OFFSET_OFF_NOTE
    if paths:
        assert off["added_net_interest_10y_bn_p05"] <= off["added_net_interest_10y_bn"] <= \
            off["added_net_interest_10y_bn_p95"]


def test_a_run_without_events_is_the_baseline_with_the_offset_on_or_off(store: Store) -> None:
    """No events, no market effect to offset: the switch changes nothing (the twin is the run)."""
    base = {"scenario": {"horizon_years": 5}, "simulation": {"paths": 50, "seed": 3}}
    runs = [run_scenario(parse_scenario({**base, "market": {"monetary_offset": o}}), store=store)
            for o in (True, False)]
    fans = [r.ensemble.fan for r in runs]
    assert fans[0].keys() == fans[1].keys()
    for name in fans[0]:
        np.testing.assert_array_equal(fans[0][name], fans[1][name])


def test_the_cli_says_the_offset_is_off(tmp_path: Path, geostress_home: Path) -> None:
    result = CliRunner().invoke(app, ["run", "china-sells-300bn", "--paths", "0", "--out", str(tmp_path), "--set",
                                      "market.monetary_offset=false", "--set", "scenario.horizon_years=12"])
    assert result.exit_code == 0, result.output
    assert "note: the monetary offset is off (market.monetary_offset = false)" in " ".join(result.output.split())
