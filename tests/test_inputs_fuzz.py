"""Inputs a tester tried that the code took badly: knob values the schema accepted that made a run explode or stop
on NaN, internal errors (exit 70), messages that named the wrong field or option, and output that broke a pipe.

Each is now refused before any work with a message naming the field or option and what to give, or works.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from annotated_types import Ge, Gt, Le, Lt
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.spec.scenario import MAX_MACRO_LOOP_GAIN, ContagionSection, Macro, load_scenario

#: The presets every macro knob is tried on (the tester's list): fiscal only, sales, a dash for cash, contagion.
PRESETS = ("baseline", "china-sells-300bn", "dash-for-cash", "contagion")


def _bounds(model: type[Any], name: str) -> tuple[float, float]:
    """A field's accepted range from its schema (an open end ``< 1`` as 0.9999)."""
    low, high = -math.inf, math.inf
    for item in model.model_fields[name].metadata:
        if isinstance(item, Ge | Gt):
            low = float(item.ge if isinstance(item, Ge) else item.gt)
        if isinstance(item, Le):
            high = float(item.le)
        if isinstance(item, Lt):
            high = float(item.lt) - 1e-4
    return low, high


def _run_deterministic(spec: Any, store: Store) -> Any:
    from geostress.run.engine import run_scenario

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # coupled.py's "invalid value in divide" preceded the blow-up
        return run_scenario(spec, store=store)


# -- 1. macro knobs: no accepted value explodes a preset -------------------------------------------------------------
@pytest.mark.parametrize("knob", [n for n in Macro.model_fields if n != "shock_scale"])
def test_every_macro_knob_at_either_bound_keeps_every_preset_stable(knob: str, store: Store) -> None:
    """``--set macro.is_slope=0.66`` (the schema allowed 0–1) ran dash-for-cash to 817% debt/GDP, flagged exploded,
    and ``=1`` stopped contagion on "the step produced NaN or inf". Each knob at each end of its range now keeps
    every preset's deterministic path finite, unexploded and near the default's (the lower bound at 5% is a floor
    above today's policy rate: a rate shock of its own, hence the allowance)."""
    reference = {name: _run_deterministic(load_scenario(name).with_overrides(**{"simulation.paths": 0}), store)
                 .annual_frame()["debt_to_gdp"].iloc[-1] for name in PRESETS}
    for value in _bounds(Macro, knob):
        for name in PRESETS:
            spec = load_scenario(name).with_overrides(**{"simulation.paths": 0, f"macro.{knob}": value})
            result = _run_deterministic(spec, store)
            ratio = result.annual_frame()["debt_to_gdp"].to_numpy()
            assert np.all(np.isfinite(ratio)) and not bool(result.deterministic.exploded[0]), (name, knob, value)
            assert abs(ratio[-1] - reference[name]) < 0.2, (name, knob, value, ratio[-1], reference[name])


@pytest.mark.parametrize(("knob", "value", "bound"), [
    ("is_slope", 0.66, "0.1"), ("is_slope", 1.0, "0.1"), ("phillips_slope", 0.04, "0.02"), ("rho_gap", 0.999, "0.99"),
    ("rho_inflation", 0.995, "0.99"),
])  # fmt: skip
def test_a_macro_value_past_its_bound_is_refused_naming_the_field(knob: str, value: float, bound: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario("dash-for-cash").with_overrides(**{f"macro.{knob}": value})
    message = str(caught.value)
    assert f"field macro.{knob}: Input should be less than or equal to {bound}" in message, message
    assert caught.value.parameter == f"macro.{knob}"
    described = Macro.model_fields[knob].description or ""
    assert f"at most {bound}" in described  # the reason sits in the field's description (scenarios show, schema)


def test_macro_values_each_within_range_but_together_explosive_are_refused_with_values_that_pass() -> None:
    """is_slope 0.1 and phillips_slope 0.02 are each accepted (and stable alone) but together make the gap–inflation
    loop diverge: refused before the run, naming both and giving a value of each that is accepted."""
    spec = load_scenario("baseline")
    with pytest.raises(ScenarioError) as caught:
        spec.with_overrides(**{"macro.is_slope": 0.1, "macro.phillips_slope": 0.02})
    message = str(caught.value)
    assert "macro.is_slope, macro.phillips_slope: together" in message, message
    found = dict(re.findall(r"macro\.(\w+) at most ([0-9.]+)", message))
    assert set(found) == {"is_slope", "phillips_slope"}
    ok = spec.with_overrides(**{"macro.is_slope": float(found["is_slope"]), "macro.phillips_slope": 0.02})
    assert ok.macro.loop_gain() <= MAX_MACRO_LOOP_GAIN
    # the knob an override set is the one named, even when the file set another
    with pytest.raises(ScenarioError, match=r"^overrides: field macro: macro\.rho_inflation: together"):
        ok.with_overrides(**{"macro.rho_inflation": 0.99})
    assert Macro().loop_gain() == pytest.approx(0.03 * 0.005 / (0.03 * 0.03))  # the defaults: ≈0.17


@given(rho_x=st.floats(0.0, 0.99), rho_pi=st.floats(0.0, 0.99), beta=st.floats(0.0, 0.1), kappa=st.floats(0.0, 0.02))
def test_the_loop_gain_is_below_one_exactly_when_the_gap_inflation_loop_converges(
    rho_x: float, rho_pi: float, beta: float, kappa: float,
) -> None:
    """Closed form behind the joint bound: with the policy rate held, ``x' = ρₓx + βπ`` and ``π' = ρ_π π + κx'``
    converge (spectral radius < 1) exactly when ``βκ / ((1 − ρₓ)(1 − ρ_π)) < 1``."""
    gain = Macro.model_construct(is_slope=beta, phillips_slope=kappa, rho_gap=rho_x, rho_inflation=rho_pi).loop_gain()
    matrix = np.array([[rho_x, beta], [kappa * rho_x, rho_pi + kappa * beta]])
    radius = float(np.abs(np.linalg.eigvals(matrix)).max())
    if abs(gain - 1.0) > 1e-6:
        assert (radius < 1.0) == (gain < 1.0), (gain, radius)


# -- 2./3. the reserves section of a scenario ----------------------------------------------------------------------
def test_a_reserves_as_of_that_is_not_a_month_is_refused_naming_the_field(geostress_home: Path) -> None:
    """``--set reserves.as_of=2013-13`` was an internal error (DateParseError, exit 70)."""
    from geostress.cli import app

    with pytest.raises(ScenarioError, match=r"field reserves\.as_of: '2013-13' is not a month: give YYYY-MM"):
        load_scenario("reserves-china-reallocates").with_overrides(**{"reserves.as_of": "2013-13"})
    out = CliRunner().invoke(app, ["run", "reserves-china-reallocates", "--paths", "0", "--out",
                                   str(geostress_home / "o"), "--set", "reserves.as_of=2013-13"])
    assert out.exit_code == 1 and "reserves.as_of" in out.output and "internal error" not in out.output, out.output
    assert load_scenario("reserves-china-reallocates").with_overrides(**{"reserves.as_of": "2020-1"}).reserves.as_of \
        == "2020-01"


def test_a_reserves_pace_too_slow_names_max_pace_not_a_sale_the_user_never_wrote(store: Store) -> None:
    """``--set reserves.max_pace=0.0001`` was refused as ``sales[0].months`` (4198): the sales the section becomes.
    Below the slowest pace the field says so; a pace whose path ends past the horizon names max_pace (and
    start_month) with values that fit, and the pace it gives runs."""
    from geostress.run.reserves import with_reserve_sales

    spec = load_scenario("reserves-china-reallocates").with_overrides(**{"simulation.paths": 0})
    with pytest.raises(ScenarioError, match=r"field reserves\.max_pace: Input should be greater than or equal to "
                                            r"0\.001 \(got 0\.0001\)"):
        spec.with_overrides(**{"reserves.max_pace": 0.0001})
    slow = spec.with_overrides(**{"reserves.max_pace": 0.001})
    with pytest.raises(ScenarioError) as caught:
        with_reserve_sales(slow, store)
    message = str(caught.value)
    assert caught.value.parameter == "reserves.max_pace" and "sales[" not in message, message
    assert "past the run's horizon of 360 months; give reserves.max_pace of at least" in message, message
    suggested = re.search(r"reserves\.max_pace of at least ([0-9.]+)", message)
    assert suggested is not None, message
    pace = float(suggested.group(1))
    sold = with_reserve_sales(slow.with_overrides(**{"reserves.max_pace": pace}), store).sales
    assert sold and max(s.start_month + s.months - 1 for s in sold) <= 360
    late = spec.with_overrides(**{"reserves.start_month": 300})
    with pytest.raises(ScenarioError, match=r"reserves\.start_month = 300 sells .* or reserves\.start_month of at "
                                            r"most \d+"):
        with_reserve_sales(late, store)
    with pytest.raises(ScenarioError, match=r"reserves\.start_month = 400 is after the run's horizon of 360 months"):
        with_reserve_sales(spec.with_overrides(**{"reserves.start_month": 400}), store)


# -- 4. "sell at most that" must be an amount that is accepted -------------------------------------------------------
def test_the_most_a_sale_may_be_is_an_amount_that_is_accepted(store: Store) -> None:
    """china-sells-300bn with 20,000bn said "exceeds its holdings of 629.3 bn; sell at most that", but 629.3 was
    refused (629.28 runs): the figure must be the largest accepted amount (docs/cli.md: two decimals, rounded
    down)."""
    from geostress.run.coupled import check_events, holders_for
    from geostress.run.inputs import calibrate_for

    spec = load_scenario("china-sells-300bn").with_overrides(**{"sales[0].amount_bn": 20_000})
    holders = holders_for(store, calibrate_for(spec, store))
    with pytest.raises(ScenarioError) as caught:
        check_events(spec, holders)
    figure = re.search(r"holdings of ([0-9,.]+) bn", str(caught.value))
    assert figure is not None, str(caught.value)
    most = float(figure.group(1).replace(",", ""))
    check_events(spec.with_overrides(**{"sales[0].amount_bn": most}), holders)


# -- 5. shocks.start_year outside the run ----------------------------------------------------------------------------
def test_a_shock_start_year_outside_the_run_is_refused_naming_the_field() -> None:
    spec = load_scenario("baseline").with_overrides(**{"shocks.term_premium_bp": 50, "shocks.start_year": 2100})
    with pytest.raises(ScenarioError) as caught:
        spec.check_shock_years(2026, 2055)
    message = str(caught.value)
    assert message.startswith("shocks.start_year = 2100 is after the run's last fiscal year: the run covers "
                              "FY2026–FY2055"), message
    assert "give a year from 2026 to 2055, or leave it out" in message and caught.value.parameter == "shocks.start_year"
    with pytest.raises(ScenarioError, match="is before the run's first fiscal year"):
        spec.with_overrides(**{"shocks.start_year": 2020}).check_shock_years(2026, 2055)
    for year in (2026, 2040, 2055):
        spec.with_overrides(**{"shocks.start_year": year}).check_shock_years(2026, 2055)
    load_scenario("baseline").check_shock_years(2026, 2055)  # none given: the shocks start with the run


def test_a_run_with_a_shock_start_year_past_its_horizon_is_refused(store: Store) -> None:
    """``--set shocks.start_year=2100`` ran as the baseline (the shocks never started)."""
    from geostress.run.engine import run_scenario

    spec = load_scenario("baseline").with_overrides(**{"simulation.paths": 0, "shocks.term_premium_bp": 50,
                                                       "shocks.start_year": 2100})
    with pytest.raises(ScenarioError, match=r"shocks\.start_year = 2100"):
        run_scenario(spec, store=store)


# -- 6. one bound for contagion.loop_gain_ceiling --------------------------------------------------------------------
def test_the_loop_gain_ceiling_schema_accepts_exactly_what_the_run_accepts() -> None:
    """The schema allowed [0, 1) but the run refused anything below 0.8 (the peer channel's highest gain)."""
    from geostress.model.contagion import ContagionPriors

    low, high = _bounds(ContagionSection, "loop_gain_ceiling")
    assert low == ContagionPriors().peer_gain.high
    for value in np.linspace(low, high, 7):
        ContagionPriors(loop_gain_ceiling=float(value))  # every value the schema accepts, the model accepts
    with pytest.raises(ScenarioError, match=r"field contagion\.loop_gain_ceiling: Input should be greater than or "
                                            r"equal to 0\.8 \(got 0\.5\)"):
        load_scenario("contagion").with_overrides(**{"contagion.loop_gain_ceiling": 0.5})
    with pytest.raises(ScenarioError):
        ContagionPriors(loop_gain_ceiling=low - 0.01)  # and below it, the model refuses too


# -- 7. scenarios show pipes as JSON ---------------------------------------------------------------------------------
def test_scenarios_show_is_not_wrapped_when_piped(tmp_path: Path) -> None:
    """Without ``--json``, ``scenarios show`` wrapped the JSON's long strings at the terminal's width, so piping it
    (``| tail -n +2 | jq``) read invalid JSON."""
    env = dict(os.environ, COLUMNS="40", GEOSTRESS_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "geostress.cli", "scenarios", "show", "reserves-china-reallocates"],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    header, _, body = out.stdout.partition("\n")
    assert header.startswith("reserves-china-reallocates (scenario): ") and header.endswith(".toml")
    spec = json.loads(body)
    assert spec["reserves"]["enabled"] is True and len(spec["scenario"]["description"]) > 40


def test_contagion_on_an_explosive_fiscal_path_is_refused_with_what_to_change(store: Store) -> None:
    """A 5% lower bound, a 10 bp/pp risk premium and no fiscal response explode the baseline itself: the contagion
    block's fiscal news was NaN and the run stopped on "the step produced NaN or inf"; now it names the settings."""
    from geostress.run.engine import run_scenario

    spec = load_scenario("contagion").with_overrides(**{
        "simulation.paths": 0, "macro.lower_bound": 0.05, "fiscal.fiscal_risk_premium_bp_per_pp": 10,
        "macro.fiscal_response": 0})
    with pytest.raises(ScenarioError, match=r"fiscal settings alone put debt/GDP on an explosive path.*"
                                            r"fiscal\.fiscal_risk_premium_bp_per_pp"):
        run_scenario(spec, store=store)
