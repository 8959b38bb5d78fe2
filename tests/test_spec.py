"""One spec for everything: presets by name, extends, kinds from content, the knob module, reserves as sales, and a
calibration memo keyed on calibration inputs only."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.spec import knobs
from geostress.spec.documents import infer_kind, load_document
from geostress.spec.presets import PRESETS_DIR, list_presets, resolve
from geostress.spec.scenario import ScenarioSpec, load_scenario, parse_scenario


def test_every_packaged_preset_loads_as_its_kind() -> None:
    presets = list_presets()
    assert {p.name for p in presets} == {p.stem for p in PRESETS_DIR.glob("*.toml")}
    kinds = {p.name: load_document(p.path).kind for p in presets}
    assert kinds["minerals-us-mandate"] == "minerals" and kinds["sweep-demo"] == "sweep"
    assert kinds["reserves-china-reallocates"] == "scenario" and kinds["china-sells-300bn"] == "scenario"
    for name, kind in kinds.items():
        if kind == "scenario":
            assert load_scenario(name).name  # every scenario preset validates by name


def test_kind_comes_from_content_never_from_the_name(tmp_path: Path) -> None:
    odd = tmp_path / "minerals-but-really-a-scenario.toml"
    odd.write_text('[scenario]\nname = "x"\n[[sales]]\nholder = "japan_official"\namount_bn = 10\n', encoding="utf-8")
    assert load_document(odd).kind == "scenario"
    assert infer_kind({"mandate": {}}) == "minerals" and infer_kind({"base": "baseline"}) == "sweep"
    assert infer_kind({"kind": "sweep", "scenario": {}}) == "sweep"
    with pytest.raises(ScenarioError, match="kind = 'fiscal'"):
        infer_kind({"kind": "fiscal"})
    with pytest.raises(ScenarioError, match="is a minerals file.*geostress minerals"):
        load_scenario("minerals-us-mandate")


def test_names_and_paths_resolve_and_unknown_names_suggest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve("china-sells-300bn") == PRESETS_DIR / "china-sells-300bn.toml"
    assert resolve("scenarios/baseline.toml") == PRESETS_DIR / "baseline.toml"  # the old repository path
    with pytest.raises(ScenarioError, match="did you mean 'china-sells-300bn'"):
        resolve("china-sells-300")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "baseline.toml").write_text('[scenario]\nname = "my-baseline"\n', encoding="utf-8")
    monkeypatch.setenv("GEOSTRESS_SCENARIOS", str(mine))
    assert load_scenario("baseline").name == "my-baseline"  # the user's folder shadows a preset
    assert [p.packaged for p in list_presets() if p.name == "baseline"] == [False]
    # a folder that is not one is said, not skipped: its scenarios would silently give way to the presets
    for wrong, what in ((tmp_path / "missing", "does not exist"), (mine / "baseline.toml", "is a file")):
        monkeypatch.setenv("GEOSTRESS_SCENARIOS", str(wrong))
        with pytest.raises(ScenarioError, match=f"GEOSTRESS_SCENARIOS={re.escape(str(wrong))} {what}"):
            load_scenario("baseline")


def test_extends_merges_tables_and_replaces_lists(tmp_path: Path) -> None:
    child = tmp_path / "smaller.toml"
    child.write_text('extends = "china-sells-300bn"\n[scenario]\nname = "smaller"\n'
                     '[[sales]]\nholder = "china_mainland_official"\namount_bn = 50\nmonths = 6\n', encoding="utf-8")
    spec = load_scenario(child)
    base = load_scenario("china-sells-300bn")
    assert spec.name == "smaller" and spec.scenario.horizon_years == base.scenario.horizon_years
    assert spec.simulation == base.simulation and spec.market == base.market
    assert [(s.amount_bn, s.months) for s in spec.sales] == [(50.0, 6)]
    grandchild = tmp_path / "g.toml"
    grandchild.write_text('extends = "smaller.toml"\n[simulation]\npaths = 7\n', encoding="utf-8")
    assert load_scenario(grandchild).simulation.paths == 7 and load_scenario(grandchild).name == "g"  # its own: not named
    loop = tmp_path / "loop.toml"
    loop.write_text('extends = "loop.toml"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="extends forms a loop"):
        load_scenario(loop)


def test_an_error_names_the_file_that_set_the_field_and_the_nearest_field(tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    base.write_text("[fiscal]\nfiscal_risk_premum_bp_per_pp = 3\n[simulation]\npaths = -1\n", encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "base.toml"\n[simulation]\npaths = 10\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    message = str(caught.value)
    # the typo is in base.toml, which child.toml extends: the message names it, its line, and the field meant
    assert message.startswith(f"{base}, line 2 (extended by {child}): field fiscal.fiscal_risk_premum_bp_per_pp")
    assert "did you mean 'fiscal.fiscal_risk_premium_bp_per_pp'?" in message
    # a value the child sets is the child's; an entry of an array of tables is found by its index
    child.write_text('extends = "base.toml"\n[fiscal]\nfiscal_risk_premium_bp_per_pp = 300\n', encoding="utf-8")
    base.write_text("[simulation]\npaths = 10\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"^{re.escape(str(child))}, line 3: field fiscal.fiscal_risk_premium_bp_"):
        load_scenario(child)
    sales = tmp_path / "sales.toml"
    sales.write_text('[[sales]]\nholder = "japan_official"\namount_bn = 5\nmonths = 6\n\n[[sales]]\n'
                     'holder = "japan_official"\n# a comment\namount_bn = -5\nmonths = 6\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"^{re.escape(str(sales))}, line 9: field sales\[1\].amount_bn"):
        load_scenario(sales)
    # a table no scenario has, in the file itself, gets the nearest tables
    with pytest.raises(ScenarioError, match=r"field markt: .*did you mean 'market'"):
        parse_scenario({"markt": {"enabled": True}}, origin="x")


def test_knobs_get_and_set_dotted_and_indexed_paths() -> None:
    spec = load_scenario("china-sells-300bn")
    assert knobs.get(spec, "sales[0].amount_bn") == 300.0
    changed = knobs.set_many(spec, {"sales[0].amount_bn": 150, "fiscal.fiscal_risk_premium_bp_per_pp": 3.0})
    assert changed.sales[0].amount_bn == 150.0 and changed.fiscal.fiscal_risk_premium_bp_per_pp == 3.0
    assert spec.sales[0].amount_bn == 300.0  # nothing changed in place
    assert spec.with_overrides(**{"sales[0].months": 24}).sales[0].months == 24
    assert knobs.parse_assignment("sales[0].amount_bn=150") == ("sales[0].amount_bn", 150)
    assert knobs.parse_assignment("scenario.baseline=cbo:2017-01") == ("scenario.baseline", "cbo:2017-01")


@pytest.mark.parametrize(("path", "value", "match"), [
    ("sales[3].amount_bn", 1.0, r"index \[3\] is out of range \(the list has 1 entry\)"),
    ("fiscal.fiscal_risk_premum", 1.0, r"no field 'fiscal_risk_premum'; did you mean 'fiscal_risk_premium_bp_per_pp'"),
    ("fiscal.fiscal_risk_premium_bp_per_pp", 99.0, r"field fiscal.fiscal_risk_premium_bp_per_pp: .*less than or equal"),
    ("sales[0].amount_bn", -5.0, r"field sales\[0\].amount_bn: .*greater than 0"),
    ("simulation.paths[0]", 1, r"\[0\] indexes a field that is not a list"),
    ("sales..amount_bn", 1.0, r"is not a field name"),
])  # fmt: skip
def test_bad_knob_paths_and_values_name_the_path(path: str, value: object, match: str) -> None:
    with pytest.raises(ScenarioError, match=match):
        knobs.set_value(load_scenario("china-sells-300bn"), path, value)


@given(st.floats(min_value=0.0, max_value=10.0), st.integers(min_value=0, max_value=5_000_000))
def test_set_then_get_round_trips(premium: float, paths: int) -> None:
    spec = knobs.set_many(ScenarioSpec(), {"fiscal.fiscal_risk_premium_bp_per_pp": premium, "simulation.paths": paths})
    assert knobs.get(spec, "fiscal.fiscal_risk_premium_bp_per_pp") == premium
    assert knobs.get(spec, "simulation.paths") == paths


def test_calibration_memo_ignores_model_parameters(store: Store) -> None:
    """A sweep over the fiscal risk premium calibrates once, and gets the numbers a fresh calibration gives."""
    from geostress.calibrate.fiscal import calibrate_baseline, parse_baseline_spec
    from geostress.run.inputs import calibrate_for, calibration_key

    base = ScenarioSpec.model_validate({"scenario": {"horizon_years": 10}})
    other = base.with_overrides(**{"fiscal.fiscal_risk_premium_bp_per_pp": 4.0})
    assert calibration_key(base, store) == calibration_key(other, store)
    assert calibration_key(base, store) != calibration_key(base.with_overrides(**{"fiscal.target_wam_months": 80}),
                                                            store)  # fmt: skip
    memo = calibrate_for(other, store)
    fresh = calibrate_baseline(store, parse_baseline_spec("cbo:latest", store), horizon_months=120,
                               fiscal_risk_premium_bp_per_pp=4.0)  # fmt: skip
    assert memo.params.fiscal_risk_premium_bp_per_pp == 4.0
    assert memo.level_shift_by_year == pytest.approx(fresh.level_shift_by_year, abs=1e-12)


def test_reserves_feed_the_market_through_the_spec(store: Store) -> None:
    """The [reserves] section becomes sales of China's official sector: no snippet to paste by hand."""
    from geostress.run.engine import run_scenario

    spec = load_scenario("reserves-china-reallocates").with_overrides(**{"simulation.paths": 0})
    assert spec.coupled and spec.reserves.enabled and not spec.sales
    result = run_scenario(spec, store=store)
    assert not result.spec.reserves.enabled and result.spec.sales
    assert {s.holder for s in result.spec.sales} == {"china_mainland_official"}
    sold = sum(s.amount_bn for s in result.spec.sales)
    assert 100.0 < sold <= 700.0 and "reserve rebalancing" in result.spec.scenario.description
    head = result.summary()
    assert head["peak_10y_change_bp"] > 0.0
    assert head["sold_bn_median"] == pytest.approx(sold, rel=1e-3)


def test_one_runner_blocks_give_the_ensemble_numbers(store: Store) -> None:
    """A sweep chunk runs blocks through the same runner: any split of the paths gives the ensemble's values."""
    import numpy as np

    from geostress.results.ensemble import ratios
    from geostress.run.engine import run_block, run_scenario

    spec = load_scenario("baseline").with_overrides(**{"scenario.horizon_years": 10, "simulation.paths": 300})
    whole = run_scenario(spec, store=store, keep_paths=True)
    a = run_block(spec, store=store, first=0, count=100)
    b = run_block(spec, store=store, first=100, count=200, deterministic=True)
    assert a.paths is not None and b.paths is not None and b.deterministic is not None and a.deterministic is None
    debt = np.concatenate([ratios(a.paths)["debt_to_gdp"], ratios(b.paths)["debt_to_gdp"]]).astype(np.float32)
    np.testing.assert_array_equal(debt, whole.ensemble.per_path["debt_to_gdp"])
    with pytest.raises(ScenarioError, match="runs whole"):
        run_block(load_scenario("china-sells-300bn"), store=store, count=10)


def test_coupled_runs_report_progress_and_keep_paths(store: Store) -> None:
    from geostress.run.engine import run_scenario

    spec = load_scenario("china-sells-300bn").with_overrides(**{"scenario.horizon_years": 5, "simulation.paths": 64})
    calls: list[tuple[int, int]] = []
    result = run_scenario(spec, store=store, progress=lambda done, total: calls.append((done, total)),
                          keep_paths=True)  # fmt: skip
    assert calls and calls[-1] == (64, 64) and all(t == 64 for _, t in calls)
    assert result.ensemble is not None and result.ensemble.per_path["debt_to_gdp"].shape[0] == 64
    assert not run_scenario(spec, store=store).ensemble.per_path  # not kept unless asked


def test_cli_run_by_name_with_set_and_a_bad_set(tmp_path: Path, geostress_home: Path) -> None:
    import json

    from typer.testing import CliRunner

    from geostress.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["run", "china-sells-300bn", "--paths", "0", "--json", "--out", str(tmp_path / "a"),
                             "--set", "sales[0].amount_bn=150", "--set", "scenario.horizon_years=5"])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    summary = json.loads(ok.stdout[ok.stdout.index("{"):])
    assert summary["fiscal_years"][1] - summary["fiscal_years"][0] == 4
    bad = runner.invoke(app, ["run", "china-sells-300bn", "--paths", "0", "--set", "sales[0].amount=150"])
    assert bad.exit_code != 0 and "sales[0].amount" in bad.output and "amount_bn" in bad.output
    assert "Traceback" not in bad.output
    listing = runner.invoke(app, ["scenarios", "show", "davos-threat", "--json"])
    assert listing.exit_code == 0 and json.loads(listing.stdout)["kind"] == "scenario"


def test_an_option_and_a_set_of_the_same_field_must_agree(tmp_path: Path, geostress_home: Path) -> None:
    import json

    from typer.testing import CliRunner

    from geostress.cli import app

    runner = CliRunner()
    for args, named in ((["--paths", "0", "--set", "simulation.paths=100"], "simulation.paths=100"),
                        (["--paths", "0", "--seed", "3", "--set", "simulation.seed=4"], "simulation.seed=4"),
                        (["--paths", "0", "--as-of", "2026-07", "--set", "scenario.data_as_of=2026-08-31"],
                         "scenario.data_as_of=2026-08-31")):
        out = tmp_path / named.split("=")[0]
        refused = runner.invoke(app, ["run", "baseline", *args, "--out", str(out)])
        assert refused.exit_code == 2 and named in refused.output and "disagree" in refused.output, refused.output
        assert not out.exists()  # refused before any work
    # the same value twice is no conflict: a month and its last day are one day
    same = runner.invoke(app, ["run", "baseline", "--paths", "0", "--as-of", "2026-07", "--json", "--out",
                               str(tmp_path / "same"), "--set", "scenario.data_as_of=2026-07-31",
                               "--set", "simulation.paths=0"])
    assert same.exit_code == 0, same.output
    assert json.loads(same.stdout[same.stdout.index("{"):])["data_as_of"] == "2026-07-31"


def test_the_removed_monetary_offset_share_says_what_replaced_it() -> None:
    """The share ``m`` the block once took off the 10-year is gone: ``offset_share`` is refused, and so is a number
    for ``monetary_offset``, now the switch of the fiscal engine's policy rule (true or false)."""
    from geostress.spec.scenario import parse_scenario

    with pytest.raises(ScenarioError, match="offset_share was removed: the monetary offset is the fiscal engine's "
                                            "policy rule .* switched by monetary_offset = true or false"):
        parse_scenario({"market": {"offset_share": 0.1}})
    with pytest.raises(ScenarioError, match=r"monetary_offset = 0\.1: the share of the premium it once took off the "
                                            r"10-year was removed; it is now a switch: true .* or false"):
        parse_scenario({"market": {"monetary_offset": 0.1}})
    assert parse_scenario({"market": {"monetary_offset": False}}).market.monetary_offset is False
    assert parse_scenario({}).market.monetary_offset is True


def test_market_enabled_false_cannot_switch_off_a_block_that_events_run() -> None:
    """``--set market.enabled=false`` on a scenario with sales was ignored (the block ran anyway): an override
    that asks for it is refused naming the field and what to do. The default (and a file's ``enabled = false``,
    which ``scenarios show`` and saved runs write for every scenario) is not an override and still loads."""
    from geostress.spec.scenario import parse_scenario

    with pytest.raises(ScenarioError) as caught:
        load_scenario("china-sells-300bn").with_overrides(**{"market.enabled": False})
    message = str(caught.value)
    assert message.startswith("overrides: market.enabled = false cannot switch the market block off"), message
    assert "(here: sales)" in message and "run `baseline`" in message
    with pytest.raises(ScenarioError, match=r"market\.enabled = false.*here: liquidity shocks, contagion on"):
        knobs.set_many(load_scenario("dash-for-cash"), {"market.enabled": False, "simulation.paths": 0})
    assert not load_scenario("baseline").with_overrides(**{"market.enabled": False}).coupled  # nothing runs it
    dash = load_scenario("dash-for-cash")  # enabled left at false, the block runs on its events
    assert dash.coupled and dash.with_overrides(**{"simulation.paths": 0}).coupled  # other overrides: fine
    assert parse_scenario(dash.model_dump(mode="json")).coupled  # a saved run's full specification reloads
    assert load_scenario("china-sells-300bn").with_overrides(**{"market.enabled": True}).coupled
    # a table that sets it is the same override; one that leaves it out is not
    with pytest.raises(ScenarioError, match=r"market\.enabled = false cannot switch"):
        knobs.set_many(load_scenario("china-sells-300bn"), {"market": {"enabled": False}})
    assert not knobs.set_many(load_scenario("china-sells-300bn"), {"market": {"backstop": False}}).market.backstop


@pytest.mark.parametrize(("path", "value", "words"), [
    ("market.persistent_bp_per_pp", True, "give a number, not true or false (got True)"),
    ("simulation.seed", True, "give a number, not true or false (got True)"),
    ("sales[0].amount_bn", False, "give a number, not true or false (got False)"),
    ("market.backstop", 1, "give true or false, not a number (got 1)"),
    ("contagion.enabled", 0.0, "give true or false, not a number (got 0.0)"),
    ("outputs.debt_thresholds", [True, 2.0], "give a number, not true or false"),
    ("market.persistent_bp_per_pp", np.bool_(True), "give a number, not true or false (got True)"),  # numpy's too
    ("market.backstop", np.float64(1.0), "give true or false, not a number (got 1.0)"),
    ("market.backstop", np.int64(1), "give true or false, not a number (got 1)"),
])
def test_a_boolean_is_not_a_number_nor_a_number_a_boolean(path: str, value: object, words: str) -> None:
    """pydantic reads ``true`` as 1.0 and ``1`` as true: ``--set market.persistent_bp_per_pp=true`` ran with
    β = 1. The field is named and the value refused, by every route into a scenario (here: the knob module)."""
    spec = load_scenario("china-sells-300bn")
    with pytest.raises(ScenarioError) as caught:
        knobs.set_value(spec, path, value)
    message = str(caught.value)
    assert f"field {path}: {words}" in message, message


def test_a_scenario_file_with_a_boolean_for_a_number_is_refused_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[market]\npersistent_bp_per_pp = true\nbackstop = 1\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(bad)
    message = str(caught.value)
    assert "field market.persistent_bp_per_pp: give a number, not true or false (got True)" in message
    assert "field market.backstop: give true or false, not a number (got 1)" in message
    good = tmp_path / "good.toml"
    good.write_text("[market]\npersistent_bp_per_pp = 4\nbackstop = false\n", encoding="utf-8")
    assert load_scenario(good).market.persistent_bp_per_pp == 4.0  # an integer is a number


@pytest.mark.parametrize(("design", "words"), [
    ({"paths_per_scenario": True}, "field paths_per_scenario: give a number"),
    ({"seed": True}, "field seed: give a number"),
    ({"random": {"n": 2, "knobs": {"shocks.term_premium_bp": [True, 5]}}}, "field random.knobs: give a number"),
    ({"common_random_numbers": 1}, "field common_random_numbers: give true or false"),
])
def test_a_sweep_refuses_true_for_a_number_in_its_own_fields(design: dict[str, object], words: str) -> None:
    """A sweep's own fields go through the same strict model as a scenario's (they read ``true`` as 1)."""
    from geostress.spec.sweep import parse_sweep

    with pytest.raises(ScenarioError, match=re.escape(words)):
        parse_sweep({"base": "china_sells", **design})


def test_a_sale_holder_reads_case_spaces_and_hyphens_as_the_sector_id() -> None:
    """``market impact --holder`` takes ``china-mainland``; a scenario's sale refused
    ``china-mainland-official`` as an unknown holder."""
    spec = load_scenario("china-sells-300bn")
    for typed in ("China-Mainland-Official", "china mainland official", " CHINA_MAINLAND_OFFICIAL "):
        assert knobs.set_value(spec, "sales[0].holder", typed).sales[0].holder == "china_mainland_official"


def test_an_override_error_carries_the_knob_path_it_is_about() -> None:
    """A caller that handles errors in code reads the path from ``parameter`` rather than from the message: the
    path typed (an unknown field, a NaN) or the first field the model refuses, as a knob path."""
    from geostress.errors import ScenarioError
    from geostress.spec.scenario import load_scenario

    spec = load_scenario("china-sells-300bn")
    for change, parameter in (({"market.persistant_bp_per_pp": 3}, "market.persistant_bp_per_pp"),
                              ({"sales[0].amount_bn": float("nan")}, "sales[0].amount_bn"),
                              ({"sales[0].amount_bn": -5}, "sales[0].amount_bn"),
                              ({"simulation.paths": -1}, "simulation.paths"),
                              ({"market.enabled": False}, "market.enabled")):  # (a whole-scenario check)
        with pytest.raises(ScenarioError) as caught:
            spec.with_overrides(**change)
        assert caught.value.parameter == parameter, (change, str(caught.value))
