"""What ``geostress tipping`` says about its result (:mod:`geostress.run.tipping`): which side of the edge the
scenario is on (``past_edge``), the search step against the sampling error of a few paths, how far the measure got
at both ends when there is no edge, and the limits and range ends it refuses before any run."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.results.ensemble import ratios
from geostress.run.coupled import holders_for
from geostress.run.engine import run_scenario
from geostress.run.inputs import calibrate_for
from geostress.run.tipping import criterion_share, find_tipping_point, with_knob
from geostress.spec.scenario import load_scenario

LIQUIDITY = "liquidity_shocks[0].intensity"


def _cli(args: list[str]) -> object:
    from geostress.cli.tipping import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    return CliRunner().invoke(app, ["tipping", *args])


def _words(text: str) -> str:
    return " ".join(text.split())  # the console folds long lines


def _dash(paths: int = 0) -> object:
    return load_scenario("dash-for-cash").with_overrides(**{"simulation.paths": paths})


# -- 1. the side of the edge, in words and as past_edge -------------------------------------------------------------
def test_a_knob_that_tips_downwards_is_past_the_edge_below_it(store: Store) -> None:
    """dash-for-cash cascades at a threshold at or below ≈0.031 and has 0.03: already past the edge, though the
    distance (edge − current) is positive; the old text printed only "distance +0.00107"."""
    from geostress.run.tipping import position_text

    point = find_tipping_point(_dash(), "contagion.cascade_threshold", 0.005, 0.1, store=store)
    assert point.edge is not None and not point.increasing and point.distance is not None and point.distance > 0
    assert point.past_edge is True and point.to_json()["past_edge"] is True
    assert position_text(point) == f"the scenario's value 0.03 is already past the edge by {point.distance:g}"
    assert criterion_share(_dash(), "cascade", store) == 1.0  # the scenario as given does cascade


def test_a_knob_that_tips_upwards_says_past_or_short_and_the_cli_says_it_in_words(store: Store) -> None:
    from geostress.run.tipping import position_text

    point = find_tipping_point(_dash(), LIQUIDITY, 0.0, 3.0, tolerance=0.05, store=store)
    assert point.increasing and point.distance is not None and point.distance < 0 and point.past_edge is True
    short = find_tipping_point(_dash(), LIQUIDITY, 1.5, 3.0, store=store)  # holds at both ends: in the range
    assert short.edge is None and short.past_edge is None  # 1 is outside [1.5, 3]
    result = _cli(["dash-for-cash", "--knob", LIQUIDITY, "--range", "0", "3", "--json"])
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert data["past_edge"] is True and data["distance"] < 0 and "already past the edge by" in data["position"]
    wave = load_scenario("announcement-wave").with_overrides(**{"simulation.paths": 0})
    up = find_tipping_point(wave, "announcements[1].intensity", 0.0, 100.0, tolerance=2.0, store=store)
    assert up.past_edge is False and position_text(up).startswith("the scenario's value 1 is short of the edge by")


# -- 2. the search step is not the sampling error --------------------------------------------------------------------
def test_with_paths_the_step_is_labelled_and_the_sampling_error_indicated(store: Store) -> None:
    spec = _dash(paths=8)
    point = find_tipping_point(spec, LIQUIDITY, 0.0, 3.0, tolerance=0.1, store=store)
    assert point.edge is not None and point.p_at_edge is not None and point.step is not None
    assert point.p_at_edge == criterion_share(with_knob(spec, LIQUIDITY, point.edge), "cascade", store) >= 0.5
    se = math.sqrt(point.p_at_edge * (1 - point.p_at_edge) / 8)
    assert point.p_standard_error == pytest.approx(se)
    assert f"search step ±{point.step:.3g}" in point.note
    assert "not included: the sampling error of 8 paths" in point.note
    data = point.to_json()
    assert data["p_standard_error"] == pytest.approx(se) and data["search_step"] == point.step


def test_one_path_is_one_path_and_few_paths_are_warned_about() -> None:
    result = _cli(["dash-for-cash", "--knob", LIQUIDITY, "--range", "0", "3", "--paths", "1"])
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = _words(result.stdout)  # type: ignore[attr-defined]
    assert "on 1 path (" in text and "1 paths" not in text and "search step ±" in text
    assert "fewer than 100 paths the edge is noisy" in _words(result.stderr)  # type: ignore[attr-defined]


# -- 3. no edge: how far the measure got at both ends ----------------------------------------------------------------
def test_without_an_edge_the_cascade_measure_is_given_at_both_ends(store: Store) -> None:
    """Thresholds of 4–10% are all above dash-for-cash's peak net selling (≈3.1%): no edge, and each end says
    how far the measure got; a threshold a little below it cascades, one a little above does not."""
    spec, knob = _dash(), "contagion.cascade_threshold"
    point = find_tipping_point(spec, knob, 0.04, 0.1, store=store, measure_ends=True)
    assert point.no_edge == "neither" and len(point.ends) == 2
    assert [end.threshold for end in point.ends] == [0.04, 0.1]
    peak = point.ends[0].measure
    assert 0.03 < peak < 0.035 and point.ends[1].measure == pytest.approx(peak, rel=2e-3)
    assert criterion_share(spec.with_overrides(**{knob: peak * 0.998}), "cascade", store) == 1.0
    assert criterion_share(spec.with_overrides(**{knob: peak * 1.002}), "cascade", store) == 0.0
    assert (f"was {100 * peak:.3g}% against a threshold of 4% at the low end (contagion.cascade_threshold = 0.04)"
            in point.note)
    assert point.to_json()["ends"][0]["measure"] == peak  # type: ignore[index]


def test_without_an_edge_the_debt_peak_or_p_is_given_at_both_ends(store: Store) -> None:
    spec = load_scenario("baseline").with_overrides(**{"simulation.paths": 0, "scenario.horizon_years": 10})
    point = find_tipping_point(spec, "shocks.all_rates_pp", 0.0, 0.1, criterion_name="debt", store=store,
                               measure_ends=True)  # fmt: skip
    assert point.no_edge == "neither" and point.past_edge is False
    for end in point.ends:
        run = run_scenario(with_knob(spec, "shocks.all_rates_pp", end.value), store=store).deterministic
        assert end.measure == pytest.approx(float(np.max(ratios(run)["debt_to_gdp"])))
        assert end.threshold == max(spec.outputs.debt_thresholds) > end.measure
    assert "peak debt/GDP within the horizon was" in point.note and "against a threshold of" in point.note
    result = _cli(["contagion", "--knob", "sale_bn", "--range", "1", "600", "--paths", "10"])
    assert "P(cascade) was 0% at the low end (sale_bn = 1)" in _words(result.stdout)  # type: ignore[attr-defined]


# -- 4. limits and range ends, before any run -----------------------------------------------------------------------
def test_a_coupled_scenario_cites_the_coupled_path_limit() -> None:
    result = _cli(["contagion", "--knob", "sale_bn", "--range", "1", "600", "--paths", "10000000"])
    assert result.exit_code == 1  # type: ignore[attr-defined]
    text = _words(result.output)  # type: ignore[attr-defined]
    assert "over the limit of 500,000 paths for one coupled run" in text and "5,000,000" not in text


def test_a_range_end_the_scenario_refuses_names_range_and_the_largest_value_accepted(store: Store) -> None:
    spec = load_scenario("contagion")
    held = holders_for(store, calibrate_for(spec, store)).sector(spec.sales[0].holder).holdings
    with pytest.raises(ScenarioError, match=r"^--range 1 1000: the scenario refuses the high end .*exceeds its "
                                            r"holdings.*the largest value it accepts is ([\d.]+): use --range 1 \1$"):
        find_tipping_point(spec, "sale_bn", 1.0, 1000.0, store=store)
    result = _cli(["contagion", "--knob", "sale_bn", "--range", "1", "1000"])
    text = _words(result.output)  # type: ignore[attr-defined]
    best = float(text.split("the largest value it accepts is ")[1].split(":")[0])
    assert held - 0.01 < best <= held
    wave = load_scenario("announcement-wave")
    with pytest.raises(ScenarioError, match=r"largest value it accepts is 100: use --range 0 100$"):
        find_tipping_point(wave, "announcements[1].intensity", 0.0, 1000.0, store=store)
    with pytest.raises(ScenarioError, match=r"smallest value it accepts is 0: use --range 0 50$"):
        find_tipping_point(wave, "announcements[1].intensity", -5.0, 50.0, store=store)
    with pytest.raises(ScenarioError, match=r"largest value it accepts is 120: use --range 1 120$"):
        find_tipping_point(wave, "contagion.cascade_window_months", 1, 500, store=store)
    # a strict bound is approached, never reached: named as one (it suggested "use --range 0.1 1", refused again)
    base = load_scenario("baseline")
    with pytest.raises(ScenarioError, match=r"it accepts values below 1 only: end the range there$"):
        find_tipping_point(base, "fiscal.fed_share_of_debt", 0.1, 1.5, criterion_name="debt", store=store)
    with pytest.raises(ScenarioError, match=r"it accepts values above 0 only: start the range there$"):
        find_tipping_point(wave, "contagion.cascade_threshold", -1.0, 0.1, store=store)
    # both ends refused: each with its own reason
    with pytest.raises(ScenarioError) as caught:
        find_tipping_point(base, "fiscal.fiscal_risk_premium_bp_per_pp", -2.0, 12.0, criterion_name="debt",
                           store=store)
    low, high = str(caught.value).split("; high end 12: ")
    assert "low end -2: " in low and "greater than or equal to 0" in low and "less than or equal to 10" in high


def test_a_value_short_of_the_edge_by_less_than_the_step_is_unsettled_and_one_past_it_is_not() -> None:
    """The reported edge is where the criterion was seen to hold; the true edge lies within one step short of it. A
    value at or past the reported edge is past it for sure; one short of it by less than a step is not settled."""
    from geostress.run.tipping import TippingPoint, position_text

    def point(current: float, increasing: bool) -> TippingPoint:
        return TippingPoint("k", "cascade", 10.0, current, 0.0, 20.0, increasing, 12, "", step=0.5)

    assert position_text(point(10.2, True)).endswith("already past the edge by 0.2")
    assert position_text(point(9.8, True)).endswith("short of the edge by 0.2 (within the search step of 0.5: the "
                                                    "side is not settled)")
    assert position_text(point(9.8, False)).endswith("already past the edge by 0.2")
    assert position_text(point(10.2, False)).endswith("(within the search step of 0.5: the side is not settled)")
    assert "not settled" not in position_text(point(12.0, True))
