"""The roles of ``geostress validate``'s checks: every check has one, the JSON rows carry it, the table groups by it,
and a check that reproduces its own calibration is labelled calibration (issue 14: "Keep calibration identities
labelled as calibration, apart from validation")."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from geostress.data.store import Store
from geostress.validate import REGISTRY, Check, run_all
from geostress.validate.registry import CALIBRATION_PREFIX, ROLES

#: One cheap check of each of four roles (the table test runs them through the CLI).
SAMPLE = {"usgs_china_mining_share_2025": "validation", "calibration_market_march_2020_week4_bp": "calibration",
          "closed_form": "property", "reserves_tic_china_2025_12": "data"}  # fmt: skip


def test_every_check_has_a_known_role_and_calibration_ids_say_so() -> None:
    for check in REGISTRY:
        assert check.role in ROLES, check.id
        assert check.id.startswith(CALIBRATION_PREFIX) == (check.role == "calibration"), check.id
        if check.source.startswith("["):  # a check whose source carries a tag: the tag names its role
            assert check.source[1:].startswith(check.role), (check.id, check.source[:40])
    roles = {c.id: c.role for c in REGISTRY}
    assert {i: roles[i] for i in SAMPLE} == SAMPLE
    assert roles["contagion_check_tic2020_unwind_gap"] == "consistency"
    # the market checks against the studies β's prior is centred on read that prior back: consistency, not validation
    for check in ("market_qe2_10y_bp", "market_all_qe_10y_bp", "market_stock_share_bp", "market_debt_supply_bp"):
        assert roles[check] == "consistency", check
    assert roles["contagion_property_no_knife_edge_max_step"] == "property"


def test_a_role_that_contradicts_the_id_is_refused() -> None:
    def compute(_: Store) -> float:
        return 0.0

    with pytest.raises(ValueError, match="calibration"):
        Check("market_x", 0.0, 1.0, "", compute, role="calibration")
    with pytest.raises(ValueError, match="calibration"):
        Check("calibration_x", 0.0, 1.0, "", compute, role="validation")
    with pytest.raises(ValueError, match="not one of"):
        Check("x", 0.0, 1.0, "", compute, role="known gap")  # a known gap is a status, not a role
    assert Check("calibration_x", 0.0, 1.0, "", compute).role == "calibration"
    assert Check("x_property_y", 0.0, 1.0, "", compute).role == "property"
    assert Check("x", 0.0, 1.0, "", compute).role == "validation"


def test_march_2020_peak_is_a_calibration_check(store: Store) -> None:
    """The backstop's trigger and speed are set so that the weekly March-2020 experiment peaks in +30–100 bp
    (MarketParams.backstop_trigger_bp): its peak is a calibration identity, not validation. Same band, same
    computation as before the rename."""
    from geostress.run.market_experiments import march_2020

    checks = {c.id: c for c in REGISTRY}
    assert "market_march_2020_peak_bp" not in checks
    peak = checks["calibration_market_march_2020_peak_bp"]
    assert peak.role == "calibration" and peak.band == (30.0, 100.0) and peak.kind == "absolute"
    (row,) = run_all(store, ids=[peak.id])
    assert row["role"] == "calibration" and row["passed"]
    assert row["value"] == pytest.approx(march_2020(store)["peak_bp"], abs=1e-12)


def test_json_rows_carry_the_role(store: Store) -> None:
    rows = run_all(store, ids=list(SAMPLE))
    assert {r["id"]: r["role"] for r in rows} == SAMPLE
    assert all(list(r) == ["id", "role", "target", "value", "tolerance", "kind", "band", "passed", "known_gap"]
               for r in rows)
    for r in rows:  # the band from the target and the tolerance as its kind reads it
        width = r["tolerance"] if r["kind"] == "absolute" else r["tolerance"] * abs(r["target"])
        assert r["kind"] in ("relative", "absolute") and r["band"] == [r["target"] - width, r["target"] + width]


def test_cli_json_and_table_show_the_role(geostress_home) -> None:  # type: ignore[no-untyped-def]
    from geostress.cli.app import app

    runner = CliRunner()
    ids = [arg for i in SAMPLE for arg in ("--id", i)]
    out = runner.invoke(app, ["validate", "--json", *ids])
    assert out.exit_code == 0, out.output
    assert {r["id"]: r["role"] for r in json.loads(out.stdout)} == SAMPLE
    text = runner.invoke(app, ["validate", *ids])
    assert text.exit_code == 0, text.output
    words = " ".join(text.stdout.split())  # the console wraps long lines at any width
    assert "Validation against published figures" not in words  # the old title, over calibration rows too
    heads = {role: words.find(f"{role.capitalize()} — {ROLES[role]}") for role in SAMPLE.values()}
    assert all(at >= 0 for at in heads.values()), heads
    assert heads["validation"] < heads["calibration"] < heads["property"] < heads["data"]  # ROLES' order
    assert "Consistency —" not in words  # a role with no row chosen has no table
    # each short id sits in its role's table (between its heading and the next)
    assert heads["validation"] < words.find("usgs_china_mining_share_2025") < heads["calibration"]
    assert heads["property"] < words.find("closed_form") < heads["data"] < words.find("reserves_tic_china_2025_12")
    assert "4 of 4 pass (validation 1 of 1; calibration 1 of 1; property 1 of 1; data 1 of 1)" in words


def test_an_unknown_check_id_is_an_error_naming_close_ids(store: Store) -> None:
    """From Python as from the command line: an id no check has is refused before any check runs, with close ids
    (``run_all(ids=["market_qe2"])`` returned an empty list)."""
    from geostress.errors import ScenarioError

    with pytest.raises(ScenarioError, match=r"^no check has the id 'market_qe2'; did you mean 'market_qe2_10y_bp'"):
        run_all(store, ids=["market_qe2"])
    with pytest.raises(ScenarioError, match=r"^no check has the id 'market_qe2'"):  # a string is ids, not letters
        run_all(store, ids="market_qe2")
    with pytest.raises(ScenarioError, match=r"^ids=\[\] names no check"):
        run_all(store, ids=[])
