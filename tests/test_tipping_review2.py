"""``geostress tipping`` after a second review: an edge on a plateau is flagged as fragile, computed from the
measure at the probes past the edge (:attr:`geostress.run.tipping.TippingPoint.fragile`), and no printed figure
is one rounded from another (a measure that rounds to its threshold, a refused value named as the limit)."""

from __future__ import annotations

import json
import re

import pytest

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.run import tipping
from geostress.run.tipping import criterion_share, find_tipping_point, with_knob
from geostress.spec.scenario import ScenarioSpec, load_scenario
from test_tipping_output import _cli, _words

WAVE_KNOB = "announcements[1].intensity"
LIQUIDITY = "liquidity_shocks[0].intensity"




def _deterministic(name: str) -> ScenarioSpec:
    return load_scenario(name).with_overrides(**{"simulation.paths": 0})


# -- 1. a plateau edge is fragile, a clear edge is not -------------------------------------------------------------
def test_announcement_wave_edge_sits_on_a_plateau_and_is_flagged_fragile(store: Store) -> None:
    """The reviewer's case: the median path's cascade measure levels off at ≈3.017% against 3%, so the edge at
    38.09 vanishes at a threshold of 3.02%; the result says so, from the probes past the edge."""
    point = find_tipping_point(_deterministic("announcement-wave"), WAVE_KNOB, 0.0, 100.0, store=store)
    assert point.edge == pytest.approx(38.0859375) and point.increasing
    assert point.fragile is True and point.margin is not None and 0 < point.margin < 0.01
    assert point.far_end is not None and point.far_end.value == 100.0
    assert point.beyond is not None and 0.03 < point.beyond.measure < 0.0302 and point.beyond.threshold == 0.03
    assert point.probes_beyond >= 2  # the far end and the probes between it and the edge
    data = point.to_json()
    assert data["fragile"] is True and data["fragile_margin"] == tipping.FRAGILE_MARGIN
    assert data["margin"] == pytest.approx(point.margin) and data["beyond_edge"]["measure"] == point.beyond.measure
    # the threshold the text names as removing the edge does remove it (rounded up, never down)
    text = tipping.clearance_text(point)
    assert text.startswith("fragile edge (") and "reached at most 3.017% against 3%" in text
    above = float(re.search(r"at a threshold above ([\d.]+)%", text).group(1)) / 100  # type: ignore[union-attr]
    assert point.beyond.measure <= above < 0.0302
    higher = _deterministic("announcement-wave").with_overrides(**{"contagion.cascade_threshold": above})
    assert criterion_share(with_knob(higher, WAVE_KNOB, point.beyond.value), "cascade", store) == 0.0
    assert find_tipping_point(higher, WAVE_KNOB, 0.0, 100.0, store=store).edge is None


def test_dash_for_cash_liquidity_edge_is_fragile_and_its_scale_edge_is_clear(store: Store) -> None:
    """dash-for-cash's liquidity intensity levels off at ≈3.12% (past full stress the runs are at their top), a
    margin under 4%; its contagion scale pushes the measure to ≈15.6% at 5: a clear edge."""
    plateau = find_tipping_point(_deterministic("dash-for-cash"), LIQUIDITY, 0.0, 3.0, store=store)
    assert plateau.edge is not None and plateau.fragile is True and 0 < plateau.margin < 0.05  # type: ignore[operator]
    clear = find_tipping_point(_deterministic("dash-for-cash"), "contagion.scale", 0.0, 5.0, store=store)
    assert clear.edge is not None and clear.fragile is False and clear.margin > 1.0  # type: ignore[operator]
    text = tipping.clearance_text(clear)
    assert text.startswith("clear edge (") and "at a threshold above" not in text


def test_a_debt_edge_is_clear_and_no_edge_has_no_flag(store: Store) -> None:
    spec = _deterministic("baseline")
    point = find_tipping_point(spec, "shocks.all_rates_pp", 0.0, 5.0, criterion_name="debt", store=store)
    assert point.edge is not None and point.fragile is False and point.beyond is not None
    assert point.beyond.threshold == max(spec.outputs.debt_thresholds) and point.beyond.measure > 2 * 2.0
    none = find_tipping_point(_deterministic("contagion"), "sale_bn", 1.0, 600.0, store=store)
    assert none.edge is None and none.fragile is None and none.margin is None and tipping.clearance_text(none) == ""
    assert none.to_json()["fragile"] is None


def test_the_cli_prints_the_flag_beside_the_threshold_and_json_carries_it() -> None:
    result = _cli(["announcement-wave", "--knob", WAVE_KNOB, "--range", "0", "100"])
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = _words(result.stdout)  # type: ignore[attr-defined]
    assert "at or above 38.0859" in text and "Fragile edge (past it the measure clears its threshold by less " \
        "than 10% of it at every probe)" in text and "reached at most 3.017% against 3%, at 100" in text
    result = _cli(["dash-for-cash", "--knob", "contagion.scale", "--range", "0", "5", "--json"])
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert data["fragile"] is False and data["margin"] > 1 and data["clearance"].startswith("clear edge")
    assert data["beyond_edge"]["value"] == data["far_end"]["value"] == 5.0


# -- 2. no figure rounded from another -----------------------------------------------------------------------------
def test_without_an_edge_a_measure_just_short_of_its_threshold_does_not_print_as_the_threshold(store: Store) -> None:
    """At a threshold of 3.02% announcement-wave's plateau (≈3.017%) has no edge; three figures printed the
    measure as "3.02%" against "a threshold of 3.02%"."""
    spec = _deterministic("announcement-wave").with_overrides(**{"contagion.cascade_threshold": 0.0302})
    point = find_tipping_point(spec, WAVE_KNOB, 0.0, 100.0, store=store, measure_ends=True)
    assert point.no_edge == "neither"
    assert "and 3.017% at the high end (announcements[1].intensity = 100), against a threshold of 3.02%" in point.note
    assert point.evaluations == 2  # the ends' measures come from the bisection's own runs (it made 2 more)


def test_a_computed_limit_is_named_as_checked_not_rounded_past_it(store: Store,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit with more than six significant figures (123.456789) was named by ``:g`` as 123.457, a value the
    scenario refuses: "use --range 1 123.457" failed again."""
    limit = 123.456789

    def accepted(spec: object, knob: str, value: float, store: object, holders: object) -> ScenarioError | None:
        return ScenarioError(f"{value:g} is too large") if value > limit else None

    monkeypatch.setattr(tipping, "_accepted", accepted)
    with pytest.raises(ScenarioError) as caught:
        find_tipping_point(_deterministic("contagion"), "sale_bn", 1.0, 500.0, store=store)
    named = re.search(r"the largest value it accepts is (\S+): use --range 1 (\S+)$", str(caught.value))
    assert named is not None and named.group(1) == named.group(2), str(caught.value)
    assert float(named.group(1)) == limit
