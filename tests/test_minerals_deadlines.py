"""The minerals verdict is judged at the days of the mandate's own schedule (docs/minerals.md, Outputs): it was taken
at day 180 whatever the schedule, so a mandate whose first rule starts on day 365 was "met at day 180" by a share
nothing required yet. Also: a file extending a preset is named after itself, and a schedule must say something."""

from __future__ import annotations

from pathlib import Path

import pytest

from geostress.errors import ScenarioError
from geostress.report.sections.policy import minerals_section
from geostress.run.minerals import COMPLIANCE_TOL, run_minerals
from geostress.spec.minerals import load_minerals_spec
from test_report_review import as_text


def _spec_file(folder: Path, name: str, mandate: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f'extends = "minerals-us-mandate"\n[mandate]\n{mandate}\n', encoding="utf-8")
    return path


def test_a_later_deadline_is_judged_on_its_own_day(tmp_path: Path) -> None:
    late = run_minerals(_spec_file(tmp_path, "late", "schedule = [[365, 0.0]]"))
    (day,) = late.summary["mandate_deadlines"]
    assert day["day"] == 365.0 and day["allowed_china_share"] == 0.0 and day["met"] is False
    assert 0.0 < day["china_free_share"] < 1.0 - COMPLIANCE_TOL
    assert late.summary["mandate_met"] is False  # at day 180 nothing was required: the old verdict said "met"
    text = as_text(minerals_section(late, tmp_path / "late.toml").blocks)
    assert f"not met at day 365: day 365: {100 * day['china_free_share']:.1f}% China-free against 100.0% required" \
        in text


def test_every_day_of_a_stepped_schedule_must_be_met(tmp_path: Path) -> None:
    stepped = run_minerals(_spec_file(tmp_path, "stepped", "schedule = [[180, 0.5], [365, 0.0]]")).summary
    first, second = stepped["mandate_deadlines"]
    assert first["met"] is True and second["met"] is False and stepped["mandate_met"] is False
    assert first["china_free_share"] == stepped["china_free_share_day180"]


def test_the_presets_verdict_is_the_day_180_test() -> None:
    s = run_minerals("minerals-us-mandate").summary
    assert [d["day"] for d in s["mandate_deadlines"]] == [180.0]
    assert s["mandate_met"] is (s["china_free_share_day180"] >= 1.0 - s["allowed_china_share_day180"] - COMPLIANCE_TOL)


def test_no_mandate_gives_no_verdict(tmp_path: Path) -> None:
    none = run_minerals(_spec_file(tmp_path, "none", "regions = []\nschedule = []")).summary
    assert none["mandate_met"] is None and none["mandate_deadlines"] == []
    assert none["subsidy_cost_usd"] > 0.0  # the price floor is paid with or without a mandate (docs/minerals.md)


@pytest.mark.parametrize(("mandate", "words"), [
    ("schedule = []", r"mandate.regions \['US'\] with no mandate.schedule: nothing is required"),
    ("schedule = [[180, 0.0], [180, 0.5]]", r"mandate.schedule: day 180 appears more than once"),
])  # fmt: skip
def test_a_schedule_that_says_nothing_or_twice_is_refused(tmp_path: Path, mandate: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=words):
        load_minerals_spec(_spec_file(tmp_path, "bad", mandate))


def test_a_file_extending_a_preset_is_named_after_itself(tmp_path: Path) -> None:
    spec = load_minerals_spec(_spec_file(tmp_path, "my-mandate", "schedule = [[365, 0.0]]"))
    assert spec.scenario.name == "my-mandate"  # not the preset's "us-mandate": its folder was the preset's
    assert load_minerals_spec("minerals-us-mandate").scenario.name == "us-mandate"
