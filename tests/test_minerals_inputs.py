"""Rare-earth scenario files: odd values are refused with a message naming the field and what to give.

Each case was accepted silently, or refused with a misleading message, before (found by fuzzing
``geostress minerals`` with unseen inputs).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geostress.errors import ScenarioError
from geostress.model import minerals as m
from geostress.spec.minerals import load_minerals_spec, parse_minerals_spec

NAN, INF = float("nan"), float("inf")
MANDATE = {"regions": ["US"], "schedule": [[180, 0.0]]}


def _plant(**kw) -> dict:  # type: ignore[no-untyped-def]
    return {"new_plants": [{"id": "np1", "stage": "magnet", "country": "United States", "capacity": [1000, 0, 0, 0],
                            "lead_time_months": [1, 2, 3], **kw}]}


def _control(**kw) -> dict:  # type: ignore[no-untyped-def]
    return {"export_controls": [{"elements": ["dytb"], **kw}]}


def _refused(sections: dict, *fragments: str) -> str:
    with pytest.raises(ScenarioError) as info:
        parse_minerals_spec({"mandate": MANDATE, **sections}, origin="m.toml")
    text = str(info.value)
    assert text.startswith("m.toml: ")
    for fragment in fragments:
        assert fragment in text, text
    return text


@pytest.mark.parametrize("value", [NAN, INF, -INF, -1e9, 121.0])
def test_acceleration_must_be_finite_months_earlier(value: float) -> None:
    """nan dropped the project, inf and -1e9 ran silently."""
    _refused({"acceleration": {"iluka_eneabba": value}}, "acceleration.iluka_eneabba",
             "must be a finite number in [0, 120]", "months earlier")


@pytest.mark.parametrize(("sections", "field", "bounds"), [
    ({"stockpile": {"release": True, "scale": NAN}}, "stockpile.scale", "[0, 20]"),
    ({"stockpile": {"release": True, "start_month": NAN}}, "stockpile.start_month", "[0, 60]"),
    (_control(licensed_share=NAN), "export_controls[0].licensed_share", "[0, 1]"),
    (_control(start_month=NAN), "export_controls[0].start_month", "[0, 60]"),
    (_control(end_month=NAN), "export_controls[0].end_month", "[0, 60]"),
    ({"price_floor": {"usd_per_kg": NAN}}, "price_floor.usd_per_kg", "[0, 10,000]"),
    (_plant(capacity=[NAN, 0, 0, 0]), "new_plants[0].capacity[0]", "[0, 1,000,000]"),
    (_plant(lead_time_months=[NAN, 2, 3]), "new_plants[0].lead_time_months[0]", "[0, 120]"),
])
def test_nan_is_not_a_bound(sections: dict, field: str, bounds: str) -> None:
    """nan read as "less than or equal to 20": say a finite number in the range is wanted."""
    text = _refused(sections, f"{field}: must be a finite number in {bounds}", "(got nan)")
    assert "less than or equal" not in text and "greater than" not in text


def test_numbers_written_as_text_are_refused_as_text() -> None:
    """pydantic's lax mode would read "nan" and "1e300" as numbers: text is refused for a number field, naming it
    (and a number given as a number still meets the range check, below)."""
    _refused({"stockpile": {"scale": "nan"}}, "stockpile.scale: give a number, not text (got 'nan')")
    # a table of weights, a month, a list of lead times: each entry checked itself, naming it
    _refused({"priority": {"defence": "1e300"}}, "priority.defence: give a number, not text (got '1e300')")
    _refused(_plant(lead_time_months=[12, "12", 12]), "new_plants[0].lead_time_months[1]: give a number, not text")


def test_absurd_lead_time_refused() -> None:
    _refused(_plant(lead_time_months=[1e9, 1e9, 1e9]), "new_plants[0].lead_time_months[2]: must be a finite number")


@pytest.mark.parametrize("value", [1e300, INF, NAN, 0.0, 0.001, 1001.0])
def test_priority_weights_within_what_the_solver_handles(value: float) -> None:
    """1e300 reached HiGHS ("Status 15: Unknown"); nan and inf failed in the model without naming the field."""
    _refused({"priority": {"defence": value}}, "priority.defence", "must be a finite number in [0.01, 1,000]")


def test_priority_bounds_in_the_model_too() -> None:
    weights = np.ones(len(m.SECTORS))
    weights[0] = 1e300
    with pytest.raises(ScenarioError, match=r"priority: .*\[0\.01, 1000\].*defence=1e\+300"):
        m.Policy(np.zeros((len(m.REGIONS), len(m.SECTORS)), bool), priority=weights)


def test_priority_extremes_of_the_range_solve() -> None:
    from geostress.run.minerals import run_minerals

    spec = parse_minerals_spec({"scenario": {"years": 1, "step": "month"}, "mandate": MANDATE,
                                "priority": {"defence": 1000.0, "other_uses": 0.01}})
    assert run_minerals(spec).summary["mass_balance_residual_t"] < 1e-6


def test_control_must_end_after_it_starts() -> None:
    _refused(_control(start_month=10, end_month=2), "export_controls[0]", "end_month 2 is not after start_month 10",
             "leave it out")
    _refused(_control(start_month=6, end_month=6), "end_month 6 is not after start_month 6")
    parse_minerals_spec({"mandate": MANDATE, **_control(start_month=1, end_month=12)})


def test_control_lists_must_choose_something() -> None:
    _refused({"export_controls": [{"elements": []}]}, "export_controls[0].elements", "an empty list chooses no",
             "ndpr, dytb, smy, cela")
    _refused(_control(destinations=[]), "export_controls[0].destinations", '"all"')
    _refused(_control(sectors=[]), "export_controls[0].sectors", "defence")


def test_china_is_not_an_export_destination() -> None:
    """China's controls act on shipments out of China: destinations = ["China"] controlled nothing."""
    _refused(_control(destinations=["China"]), "export_controls[0].destinations", "China is not a destination",
             "US, Germany")
    _refused(_control(destinations=["US", "China"]), "China is not a destination")
    _refused(_control(destinations=["Atlantis"]), "export_controls[0].destinations", "unknown destinations")
    _refused(_control(sectors=["toys"]), "export_controls[0].sectors", "unknown sectors")


@pytest.mark.parametrize(("country", "hint"), [("Atlantis", "unknown country 'Atlantis'"),
                                               ("china", "did you mean 'China'"),
                                               ("PRC", "write 'China'"), ("Hong Kong", "write 'China'")])
def test_new_plant_country_must_be_known(country: str, hint: str) -> None:
    """An unknown country counted as non-China: a misspelt China plant made China-free output."""
    _refused(_plant(country=country), "new_plants[0].country", hint)


@pytest.mark.parametrize("country", ["United States", "US", "Australia", "China", "RoW"])
def test_new_plant_known_countries(country: str) -> None:
    parse_minerals_spec({"mandate": MANDATE, **_plant(country=country)})


def test_new_plant_lead_times_ordered() -> None:
    _refused(_plant(lead_time_months=[3, 2, 1]), "new_plants[0]", "min ≤ mode ≤ max")


@pytest.mark.parametrize("start", ["1900-01-01", "2100-01-01", "2024-12-31", "2027-01-01"])
def test_start_within_the_data(start: str) -> None:
    _refused({"scenario": {"start": start}}, "field scenario", f"start {start} is outside the data",
             "between 2025-01-01 and 2026-12-31")


def test_start_within_the_data_follows_the_base_year() -> None:
    parse_minerals_spec({"scenario": {"start": "2025-10-01", "base_year": 2024}})  # the 2024 base, default start
    parse_minerals_spec({"scenario": {"start": "2026-12-31"}})
    _refused({"scenario": {"start": "2026-06-01", "base_year": 2024}}, "between 2024-01-01 and 2025-12-31")


@pytest.mark.parametrize(("text", "field"), [
    ("[stockpile]\nrelease = true\nscale = true\n", "stockpile.scale"),
    ("[acceleration]\niluka_eneabba = true\n", "acceleration.iluka_eneabba"),
    ("[priority]\ndefence = true\n", "priority.defence"),
    ("[[export_controls]]\nelements = [\"dytb\"]\nlicensed_share = false\n", "export_controls[0].licensed_share"),
    ("[[new_plants]]\nid = \"a\"\nstage = \"magnet\"\ncountry = \"Japan\"\ncapacity = [true, 0, 0, 0]\n"
     "lead_time_months = [1, 2, 3]\n", "new_plants[0].capacity"),
    ("[mandate]\nregions = [\"US\"]\nschedule = [[180, true]]\n", "mandate.schedule"),
])
def test_true_is_not_a_number_in_a_file(tmp_path: Path, text: str, field: str) -> None:
    """``scale = true`` ran as 1.0; scenario files refuse true/false for numbers, and so do minerals files."""
    path = tmp_path / "m.toml"
    path.write_text('kind = "minerals"\n' + text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_minerals_spec(path)
    assert field in str(info.value) and "not true or false" in str(info.value)


def test_nan_in_a_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('kind = "minerals"\n[stockpile]\nrelease = true\nscale = nan\n[acceleration]\n'
                    'iluka_eneabba = inf\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_minerals_spec(path)
    text = str(info.value)
    assert str(path) in text and "stockpile.scale: must be a finite number in [0, 20]" in text
    assert "acceleration.iluka_eneabba: must be a finite number in [0, 120]" in text


def test_the_presets_still_load() -> None:
    from geostress.spec.presets import PRESETS_DIR

    for path in sorted(PRESETS_DIR.glob("minerals-*.toml")):
        load_minerals_spec(path)
