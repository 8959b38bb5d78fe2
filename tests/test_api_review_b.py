"""The Python API review (part B): ``cbo_sensitivity``'s arguments named in Python terms, ``run_scenario`` taking a
preset name, TOML path or dict and validating the spec it is given (``model_copy`` skips validation), the store's
``series`` and date arguments (``NaT`` included) with ``parameter`` set, and the units of the results' rates."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geostress.data.store import Store, VintageError
from geostress.errors import DataError, GeostressError, ScenarioError, UnknownSeriesError

REPO = Path(__file__).resolve().parents[1]


# -- 5. cbo_sensitivity's arguments --------------------------------------------------------------------------------
@pytest.mark.parametrize(("kwargs", "parameter", "text"), [
    ({"shock_pp": "0.1"}, "shock_pp", "shock_pp='0.1'"),
    ({"shock_pp": None}, "shock_pp", "shock_pp=None"),
    ({"shock_pp": True}, "shock_pp", "shock_pp=True"),
    ({"shock_pp": float("nan")}, "shock_pp", "shock_pp=nan must be a finite number"),
    ({"shock_pp": math.inf}, "shock_pp", "shock_pp=inf must be a finite number"),
    ({"shock_pp": 50.0}, "shock_pp", "shock_pp=+50.0 pp is outside -5..+10 pp"),
    ({"spec": None}, "spec", "spec=None"),
    ({"spec": 2025}, "spec", "spec=2025"),
    ({"years": 2.5}, "years", "years=2.5 must be a whole number of fiscal years from 1 to 30"),
    ({"years": "10"}, "years", "years='10'"),
    ({"years": -3}, "years", "years=-3"),
    ({"years": 0}, "years", "years=0"),
    ({"years": 31}, "years", "years=31"),
    ({"years": 100}, "years", "years=100"),
    ({"years": True}, "years", "years=True"),
    ({"fed_reserves_bn": "3000"}, "fed_reserves_bn", "fed_reserves_bn='3000'"),
    ({"fed_reserves_bn": -1.0}, "fed_reserves_bn", "fed_reserves_bn=-1 is outside 0..20,000"),
    ({"fed_reserves_bn": float("nan")}, "fed_reserves_bn", "fed_reserves_bn=nan"),
    ({"fed_reserves_bn": 20_001}, "fed_reserves_bn", "fed_reserves_bn=20001 is outside"),
], ids=lambda v: repr(v) if not isinstance(v, dict) else ",".join(f"{k}={w!r}" for k, w in v.items()))
def test_cbo_sensitivity_names_the_python_argument(monkeypatch: pytest.MonkeyPatch, kwargs: dict, parameter: str,
                                                   text: str) -> None:
    """Item 5: a ScenarioError with ``parameter`` the Python name and a message in Python terms, before any work
    (no store is opened, nothing is calibrated)."""
    import geostress.run.sensitivity as sensitivity

    def no_work(*args: object, **kw: object) -> None:
        raise AssertionError("work started before the arguments were checked")

    monkeypatch.setattr(sensitivity, "Store", no_work)
    monkeypatch.setattr(sensitivity, "parse_baseline_spec", no_work)
    monkeypatch.setattr(sensitivity, "calibrate_baseline", no_work)
    args = {"spec": "cbo:2025-01", "shock_pp": 0.1} | kwargs
    spec, shock = args.pop("spec"), args.pop("shock_pp")
    with pytest.raises(ScenarioError) as err:
        sensitivity.cbo_sensitivity(spec, shock, **args)
    assert err.value.parameter == parameter
    assert text in str(err.value)
    assert "--all-rates +nan" not in str(err.value)


def test_cbo_sensitivity_unknown_vintage_names_spec() -> None:
    from geostress.run.sensitivity import cbo_sensitivity

    with pytest.raises(ScenarioError, match="baseline 'cbo:1900-01' is not in the store") as err:
        cbo_sensitivity("cbo:1900-01", 0.1, years=2, store=Store())
    assert err.value.parameter == "spec"
    with pytest.raises(ScenarioError, match="expected cbo:YYYY-MM") as err:
        cbo_sensitivity("garbage", 0.1, years=2, store=Store())
    assert err.value.parameter == "spec"


def test_rate_sensitivity_checks_shock_and_years_too() -> None:
    """``rate_sensitivity`` (the lower-level function) refuses the same arguments before running the model."""
    from geostress.run.sensitivity import rate_sensitivity

    for kwargs, parameter in (({"shock_pp": "0.1"}, "shock_pp"), ({"shock_pp": 0.1, "years": -3}, "years"),
                              ({"shock_pp": 0.1, "years": 2.5}, "years")):
        with pytest.raises(ScenarioError) as err:
            rate_sensitivity(object(), **kwargs)  # type: ignore[arg-type]
        assert err.value.parameter == parameter


def test_sensitivity_cli_still_ranges_years_and_reserves() -> None:
    """The command line's own range for ``--years`` is the one the Python function applies."""
    import inspect

    from geostress.cli.sensitivity import sensitivity_cmd
    from geostress.run.sensitivity import YEARS_RANGE

    source = inspect.getsource(sensitivity_cmd)
    assert f"min={YEARS_RANGE[0]}, max={YEARS_RANGE[1]}" in source


# -- 8 and 9. run_scenario's spec -----------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [None, 3, 2.5, b"baseline", ["baseline"]], ids=repr)
def test_run_scenario_refuses_what_is_not_a_spec(bad: object) -> None:
    from geostress.run.engine import run_scenario

    with pytest.raises(ScenarioError, match=r"spec must be a ScenarioSpec, a preset name") as err:
        run_scenario(bad)  # type: ignore[arg-type]
    assert err.value.parameter == "spec"


def test_run_scenario_reads_a_preset_name_a_path_and_a_dict(tmp_path: Path) -> None:
    """Item 8: the preset name and TOML path that sweep() and build_report() take, and a dict (parse_scenario)."""
    from geostress.run.engine import _checked_spec
    from geostress.spec.scenario import load_scenario

    base = load_scenario("baseline")
    assert _checked_spec("baseline") == base
    assert _checked_spec(base.model_dump()) == base
    path = tmp_path / "mine.toml"
    path.write_text('[scenario]\nname = "mine"\n[simulation]\npaths = 0\n')
    assert _checked_spec(path).name == "mine" and _checked_spec(str(path)).simulation.paths == 0
    assert _checked_spec(base) is base  # a valid spec runs as given: the same numbers


def test_run_scenario_names_spec_for_an_unknown_preset_and_the_field_of_a_dict() -> None:
    from geostress.run.engine import run_scenario

    with pytest.raises(GeostressError, match="no-such-preset") as err:
        run_scenario("no-such-preset")
    assert err.value.parameter == "spec"
    with pytest.raises(ScenarioError, match=r"simulation\.paths") as err:
        run_scenario({"simulation": {"paths": -1}})
    assert err.value.parameter == "simulation.paths"
    with pytest.raises(ScenarioError, match="bogus") as err:
        run_scenario({"bogus": 1})
    assert err.value.parameter == "bogus"


def test_run_scenario_validates_a_model_copy() -> None:
    """Item 9: ``model_copy(update=...)`` skips validation; paths=-7 ran as a deterministic-only run
    (``ensemble=None``) and a dict in place of a section failed deep in the engine."""
    from geostress.run.engine import _checked_spec, run_scenario
    from geostress.spec.scenario import ScenarioSpec, load_scenario

    base = load_scenario("baseline")
    bad = base.model_copy(update={"simulation": base.simulation.model_copy(update={"paths": -7})})
    with pytest.raises(ScenarioError, match=r"simulation\.paths.*with_overrides") as err:
        run_scenario(bad)
    assert err.value.parameter == "simulation.paths"
    # a section given as a plain dict is validated into the section
    fixed = _checked_spec(base.model_copy(update={"simulation": {"paths": 100}}))
    assert isinstance(fixed, ScenarioSpec) and fixed.simulation.paths == 100
    assert fixed == base.with_overrides(**{"simulation.paths": 100, "simulation.seed": fixed.simulation.seed})
    assert "with_overrides" in (ScenarioSpec.__doc__ or "")


# -- 8, 7 and 13. the store's series and dates ----------------------------------------------------------------------
@pytest.mark.parametrize("series", [None, 123, ["fred.dgs10", 3], b"fred.dgs10"], ids=repr)
def test_get_refuses_a_series_that_is_not_an_id(store: Store, series: object) -> None:
    with pytest.raises(DataError, match="parameter series=") as err:
        store.get(series)  # type: ignore[arg-type]
    assert err.value.parameter == "series"


def test_module_get_and_vintages_name_series(geostress_home: Path) -> None:
    import geostress.data as gd

    for call in (lambda: gd.get(None), lambda: gd.vintages(None), lambda: gd.vintages(123)):
        with pytest.raises(DataError) as err:
            call()
        assert err.value.parameter == "series"


def test_unknown_series_names_series(store: Store) -> None:
    for call in (lambda: store.get("fred.dgs11"), lambda: store.get(["fred.dgs10", "fred.dgs11"]),
                 lambda: store.vintages("fred.dgs11"), lambda: store.get("fred.dgs11", vintage="2025-11")):
        with pytest.raises(UnknownSeriesError, match="fred.dgs10") as err:
            call()
        assert err.value.parameter == "series"


@pytest.mark.parametrize("name", ["start", "end", "as_of", "vintage"])
def test_unreadable_dates_set_parameter(store: Store, name: str) -> None:
    with pytest.raises(DataError, match=f"parameter {name}='garbage' is not a date") as err:
        store.get("fred.dgs10", **{name: "garbage"})
    assert err.value.parameter == name


@pytest.mark.parametrize("missing", [pd.NaT, np.datetime64("NaT")], ids=["pd.NaT", "np.datetime64(NaT)"])
@pytest.mark.parametrize("name", ["start", "end", "as_of", "vintage"])
def test_nat_is_refused_not_read_as_a_bound_that_matches_nothing(store: Store, name: str, missing: object) -> None:
    """Item 13: ``start=pd.NaT`` returned 0 rows without an error."""
    with pytest.raises(DataError, match=f"parameter {name}=NaT is not a date") as err:
        store.get("fred.dgs10", **{name: missing})
    assert err.value.parameter == name


def test_as_of_before_the_first_vintage_names_as_of(store: Store) -> None:
    with pytest.raises(VintageError) as err:
        store.get("fred.dgs10", as_of="1990")
    assert err.value.parameter == "as_of"


def test_valid_series_arguments_still_work(store: Store) -> None:
    one = store.get("fred.dgs10", start="2020", end="2020-03")
    assert len(one) and set(one["series_id"]) == {"fred.dgs10"}
    for same in (("fred.dgs10",), np.array(["fred.dgs10"]), pd.Index(["fred.dgs10"])):
        assert store.get(same, start="2020", end="2020-03").equals(one)
    assert store.get("fred.dgs10", start=pd.Timestamp("2020-01-01"), end=np.datetime64("2020-03-31")).equals(one)


# -- 10. units -----------------------------------------------------------------------------------------------------
def test_results_and_docs_state_that_model_rates_are_fractions() -> None:
    """Item 10: ``annual_frame``/``to_frame`` give yields as fractions (0.0402) where the store gives percent."""
    from geostress.results.scenario import ScenarioResult

    for method in (ScenarioResult.annual_frame, ScenarioResult.to_frame):
        doc = " ".join((method.__doc__ or "").split())
        assert "fraction" in doc and "percent" in doc, method.__name__
    for name in ("docs/fiscal.md", "docs/sweep.md", "README.md"):
        text = " ".join((REPO / name).read_text().split())
        assert re.search(r"fractions? \(0\.04", text), name
