"""``parse_scenario`` names the field at fault in ``ScenarioError.parameter`` (the web service names its field
from it), as a knob path in the scenario's own dotted names, the first when several fail; the error pickles."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from geostress.errors import ScenarioError
from geostress.spec.scenario import load_scenario, parse_scenario


def _base() -> dict[str, Any]:
    return load_scenario("china-sells-300bn").model_dump()


def _refused(data: dict[str, Any]) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, origin="mine.toml")
    return caught.value


@pytest.mark.parametrize(("change", "parameter"), [
    ({"market": {"backstop_trigger_bp": -5.0}}, "market.backstop_trigger_bp"),
    ({"sales": {"amount_bn": -1.0}}, "sales[0].amount_bn"),
    ({"simulation": {"paths": -1}}, "simulation.paths"),
    ({"market": {"flow_bp_per_pp": "fast"}}, "market.flow_bp_per_pp"),
    ({"market": {"foo": 1}}, "market.foo"),
    ({"outputs": {"debt_thresholds": [1.5, 30.0]}}, "outputs.debt_thresholds"),
])  # fmt: skip
def test_one_bad_field_is_named_as_parameter(change: dict[str, dict[str, Any]], parameter: str) -> None:
    data = _base()
    for section, values in change.items():
        (data[section][0] if section == "sales" else data[section]).update(values)
    error = _refused(data)
    assert error.parameter == parameter, str(error)
    assert f"field {parameter}:" in str(error)  # the message names it the same way


def test_several_bad_fields_name_the_first_in_the_scenarios_order_and_the_error_pickles() -> None:
    data = _base()
    data["sales"][0]["months"] = 0
    data["sales"][0]["amount_bn"] = -1.0
    data["market"]["backstop_trigger_bp"] = 5000.0
    data["market"]["fima_share"] = 2.0
    error = _refused(data)
    assert error.parameter == "market.fima_share", str(error)  # [market] comes before [[sales]], fima_share first
    message = str(error)
    assert message.index("market.fima_share") < message.index("market.backstop_trigger_bp") < message.index(
        "sales[0].amount_bn") < message.index("sales[0].months")
    back = pickle.loads(pickle.dumps(error))  # errors cross process pools (the service's workers)
    assert type(back) is ScenarioError and back.parameter == "market.fima_share" and str(back) == message
    data = _base()
    data["sales"][0]["months"] = 0
    data["sales"].append(dict(data["sales"][0], months=12, amount_bn=-3.0))
    assert _refused(data).parameter == "sales[0].months"


def test_a_check_of_a_section_or_of_the_scenario_names_the_field_it_is_about() -> None:
    """Checks of a whole section or scenario are located at the section (or nowhere) by pydantic: the field they
    name is the parameter."""
    data = _base()
    data["macro"].update(is_slope=0.1, phillips_slope=0.02, rho_gap=0.99)
    assert _refused(data).parameter == "macro.is_slope"
    data = _base()
    data["market"]["monetary_offset"] = 0.1
    assert _refused(data).parameter == "market.monetary_offset"
    data = _base()
    data["threats"] = [{"month": 1, "intensity": 1.0}]  # contagion is off in china-sells-300bn
    error = _refused(data)
    assert error.parameter == "contagion.enabled" and "[contagion] is off" in str(error)
    # the same through an override: the field named, not the section
    with pytest.raises(ScenarioError) as caught:
        load_scenario("baseline").with_overrides(**{"macro.is_slope": 0.1, "macro.phillips_slope": 0.02,
                                                    "macro.rho_gap": 0.99})  # fmt: skip
    assert caught.value.parameter == "macro.is_slope"


def test_a_scenario_file_refused_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('extends = "china-sells-300bn"\n[market]\nbackstop_trigger_bp = -5\n'
                    '[contagion]\ncascade_threshold = 2.0\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.parameter == "market.backstop_trigger_bp" and str(path) in str(caught.value)


def test_run_scenario_names_the_field_a_section_check_is_about() -> None:
    """``run_scenario`` validates a dict (or a copy made with ``model_copy``) itself, before any work: the same
    field is named as by ``parse_scenario``, not the section."""
    from geostress.run.engine import run_scenario

    data = _base()
    data["threats"] = [{"month": 1, "intensity": 1.0}]  # contagion is off in china-sells-300bn
    with pytest.raises(ScenarioError) as caught:
        run_scenario(data)
    assert caught.value.parameter == "contagion.enabled"
    spec = load_scenario("baseline")
    macro = spec.macro.model_copy(update={"is_slope": 0.1, "phillips_slope": 0.02, "rho_gap": 0.99})
    with pytest.raises(ScenarioError) as caught:
        run_scenario(spec.model_copy(update={"macro": macro}))
    assert caught.value.parameter == "macro.is_slope"


def test_a_file_that_states_no_name_is_named_after_itself(tmp_path: Path) -> None:
    """A file extending a preset (or an empty one) without its own ``[scenario] name`` had the base's name, so a run
    without --out wrote into the base's folder (out/baseline) over the base's own run, and the report was titled
    after the base."""
    mine = tmp_path / "China sells.toml"
    mine.write_text('extends = "baseline"\n[shocks]\nall_rates_pp = 1.0\n', encoding="utf-8")
    assert load_scenario(mine).scenario.name == "China sells"
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert load_scenario(empty).scenario.name == "empty"
    named = tmp_path / "named.toml"
    named.write_text('extends = "baseline"\n[scenario]\nname = "my-own"\n', encoding="utf-8")
    assert load_scenario(named).scenario.name == "my-own"
    assert load_scenario("china-sells-300bn").scenario.name == "china-sells-300bn"  # presets keep theirs
    bad = tmp_path / "bad.toml"
    bad.write_text("scenario = 3\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="scenario"):
        load_scenario(bad)


@pytest.mark.parametrize(("section", "field", "text", "wanted"),
                         [("market", "backstop", "no", "true or false"),
                          ("market", "persistent_bp_per_pp", "4", "a number"),
                          ("contagion", "enabled", "yes", "true or false")])
def test_text_for_a_number_or_a_switch_is_refused(section: str, field: str, text: str, wanted: str) -> None:
    """pydantic's lax mode read "no" as false and "4" as 4.0 (the audit): a scenario file, --set and the service
    now refuse text for a number or a true/false field, naming it."""
    from geostress.spec.scenario import parse_scenario

    with pytest.raises(ScenarioError) as caught:
        parse_scenario({section: {field: text}}, origin="f.toml")
    assert caught.value.parameter == f"{section}.{field}"
    assert f"field {section}.{field}: give {wanted}, not text (got {text!r})" in str(caught.value)
