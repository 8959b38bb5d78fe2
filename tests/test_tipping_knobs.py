"""Tipping-point bisection (:mod:`geostress.run.tipping`, ``geostress tipping``) and the knob module's messages
(:mod:`geostress.spec.knobs`): paths per evaluation, the cascade criterion without contagion, integer knobs,
knobs the scenario leaves to their priors; non-finite values, list fields without an index, removed fields."""

from __future__ import annotations

import math

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from geostress.errors import ScenarioError
from geostress.model.market import MarketPriors
from geostress.results.ensemble import ratios
from geostress.run.engine import run_scenario
from geostress.run.tipping import criterion_share, find_tipping_point, with_knob
from geostress.spec.knobs import parse_assignment, set_value
from geostress.spec.scenario import load_scenario, parse_scenario


def _cli(args: list[str]) -> object:
    from geostress.cli.tipping import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    return CliRunner().invoke(app, ["tipping", *args])


# -- the debt criterion reads the ensemble when there are paths -------------------------------------------------
def test_debt_criterion_reads_the_paths_of_a_fiscal_ensemble() -> None:
    """With paths, the edge is where half of the ensemble's paths cross the threshold, not the deterministic
    path's edge (the fiscal-only run used to read its deterministic path whatever --paths said)."""
    knob, level, tol = "shocks.all_rates_pp", 1.35, 0.02
    spec = load_scenario("baseline").with_overrides(**{"scenario.horizon_years": 12, "simulation.paths": 200,
                                                       "outputs.debt_thresholds": [level]})  # fmt: skip
    point = find_tipping_point(spec, knob, 0.0, 5.0, criterion_name="debt", tolerance=tol)
    det = find_tipping_point(spec.with_overrides(**{"simulation.paths": 0}), knob, 0.0, 5.0, criterion_name="debt",
                             tolerance=tol)  # fmt: skip
    assert point.paths == 200 and "on 200 paths" in point.note and det.paths == 0
    assert point.edge is not None and det.edge is not None and abs(point.edge - det.edge) > 0.2

    def share(value: float) -> float:  # independently: run_scenario's own paths (float32 aggregates)
        result = run_scenario(with_knob(spec, knob, value), keep_paths=True)
        return float(np.mean(np.any(result.ensemble.per_path["debt_to_gdp"] > level, axis=1)))

    assert share(point.edge) >= 0.5 > share(point.edge - tol)


# -- cascade needs the contagion block --------------------------------------------------------------------------
def test_cascade_with_contagion_off_is_refused_saying_how_to_switch_it_on() -> None:
    spec = load_scenario("china-sells-300bn")
    assert not spec.contagion.enabled
    with pytest.raises(ScenarioError, match=r"contagion block off .*no path can cascade.*\[contagion\] with "
                                            r"enabled = true.*--criterion debt"):
        find_tipping_point(spec, "sale_bn", 1.0, 600.0)
    result = _cli(["china-sells-300bn", "--knob", "sale_bn", "--range", "1", "600"])
    assert result.exit_code == 1 and "no path can cascade" in result.output  # type: ignore[attr-defined]


# -- integer knobs ----------------------------------------------------------------------------------------------
def _announcement_wave_50() -> object:
    data = load_scenario("announcement-wave").model_dump()
    data["simulation"]["paths"] = 0
    data["announcements"] = [{"month": 1, "intensity": 1.0, "amount_bn": 0.1}, {"month": 2, "intensity": 50.0}]
    return parse_scenario(data, origin="announcement-wave with 50 in month 2")


def test_integer_knob_is_bisected_over_whole_numbers_to_an_exact_edge() -> None:
    spec = _announcement_wave_50()
    knob = "contagion.cascade_window_months"
    point = find_tipping_point(spec, knob, 1, 120)  # used to probe 60.5 and fail validation
    assert point.edge is not None and float(point.edge).is_integer() and point.increasing
    assert point.evaluations <= 2 + math.ceil(math.log2(119))
    assert criterion_share(with_knob(spec, knob, point.edge), "cascade") >= 0.5
    assert criterion_share(with_knob(spec, knob, point.edge - 1), "cascade") < 0.5
    assert f"not at {int(point.edge) - 1}" in point.note
    assert with_knob(spec, knob, 7.4).contagion.cascade_window_months == 7
    with pytest.raises(ScenarioError, match="whole numbers and the range holds fewer than two"):
        find_tipping_point(spec, knob, 1.2, 1.8)


# -- knobs left to their priors ---------------------------------------------------------------------------------
def test_a_market_knob_left_to_its_prior_is_searched_and_its_current_value_is_the_prior_median() -> None:
    knob = "market.persistent_bp_per_pp"
    spec = load_scenario("china-sells-300bn").with_overrides(**{"scenario.horizon_years": 12,
                                                                "simulation.paths": 0})  # fmt: skip
    assert spec.market.persistent_bp_per_pp is None
    assert with_knob(spec, knob, 12.5).market.persistent_bp_per_pp == 12.5
    # a threshold between the debt peaks at the ends of the range, so the edge is inside it
    peak = [float(ratios(run_scenario(with_knob(spec, knob, v)).deterministic)["debt_to_gdp"].max()) for v in (0, 50)]
    assert peak[0] < peak[1]
    spec = spec.with_overrides(**{"outputs.debt_thresholds": [0.5 * (peak[0] + peak[1])]})
    point = find_tipping_point(spec, knob, 0.0, 50.0, criterion_name="debt", tolerance=0.5)
    median = MarketPriors().persistent_bp_per_pp.median
    assert point.current == pytest.approx(median) and "prior median" in point.current_source
    assert point.edge is not None and 0.0 < point.edge < 50.0
    assert point.distance == pytest.approx(point.edge - median)
    assert criterion_share(with_knob(spec, knob, point.edge), "debt") == 1.0
    assert criterion_share(with_knob(spec, knob, point.edge - 0.5), "debt") == 0.0


# -- the knob module's messages ---------------------------------------------------------------------------------
def test_a_non_finite_value_is_refused_as_not_a_finite_number() -> None:
    spec = load_scenario("china-sells-300bn")
    path, value = parse_assignment("market.flow_bp_per_pp=nan")  # arrives as the text 'nan'
    for bad in (value, float("nan"), float("inf"), "-inf"):
        with pytest.raises(ScenarioError, match=r"market\.flow_bp_per_pp.* is not a finite number"):
            set_value(spec, path, bad)
    with pytest.raises(ScenarioError, match="holds a value that is not a finite number"):
        set_value(spec, "outputs.debt_thresholds", [1.5, float("nan")])
    assert set_value(spec, "sales[0].holder", "nan").sales[0].holder == "nan"  # text fields take any text


def test_a_list_field_without_an_index_says_to_give_one() -> None:
    spec = load_scenario("china-sells-300bn")
    with pytest.raises(ScenarioError, match=r"'sales' is a list; give the entry's index, e\.g\. "
                                            r"'sales\[0\]\.amount_bn'"):
        set_value(spec, "sales.amount_bn", 5)
    assert set_value(spec, "sales[0].amount_bn", 5).sales[0].amount_bn == 5


@pytest.mark.parametrize(("field", "value", "opening"), [("offset_share", False, "offset_share was removed"),
                                                        ("monetary_offset", 0.1, "monetary_offset = 0.1")])
def test_a_removed_market_field_gets_the_guidance_a_scenario_file_gets(field: str, value: object,
                                                                       opening: str) -> None:
    with pytest.raises(ScenarioError) as from_file:
        parse_scenario({"market": {field: 0.1}}, origin="f.toml")
    guidance = str(from_file.value).split(opening, 1)[1]
    with pytest.raises(ScenarioError, match=f"market.{field}.*{opening}") as from_knob:
        set_value(load_scenario("baseline"), f"market.{field}", value)
    assert guidance in str(from_knob.value) and "no field" not in str(from_knob.value)
    if field == "monetary_offset":  # the switch it is now
        assert set_value(load_scenario("baseline"), "market.monetary_offset", False).market.monetary_offset is False


@pytest.mark.parametrize(("text", "number"), [(".5", 0.5), ("4.", 4.0), ("+1", 1.0), ("1_000", 1000.0),
                                              ("-2.5e-3", -0.0025)])
def test_set_reads_numbers_json_does_not(text: str, number: float) -> None:
    """A number typed on the command line that JSON does not read is still a number (text is refused for a number
    field now, so reading it as text would refuse a value the user typed as a number)."""
    from geostress.spec.knobs import parse_assignment

    assert parse_assignment(f"market.persistent_bp_per_pp={text}") == ("market.persistent_bp_per_pp", number)
    assert parse_assignment("scenario.baseline=cbo:2017-01")[1] == "cbo:2017-01"
    assert parse_assignment("scenario.name=nan")[1] == "nan"  # (text: a name could be one)
