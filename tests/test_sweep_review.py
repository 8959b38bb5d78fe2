"""Review of ``geostress sweep`` and ``geostress tipping`` (defects 1–15 of the review): the range limit of a huge
``--range`` end, random-design bounds, a sweep file's relative base, corrupt part files on resume, ``simulation.*``
knobs in tipping, text for numbers and true/false, design errors that name the sweep, planning once, the
``max_scenarios`` message, counts in words, no empty line before errors, ``--workers`` with serial, no empty output
folder left behind, ``tipping --paths -1`` and wording."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

import geostress.run.sweep as gs
from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.run.coupled import holders_for
from geostress.run.inputs import calibrate_for
from geostress.run.tipping import TippingPoint, criterion_words, find_tipping_point, position_text
from geostress.spec.scenario import load_scenario
from geostress.spec.sweep import load_sweep_spec

REPO = Path(__file__).resolve().parents[1]
#: Five deterministic scenarios of a 5-year horizon, packed four to a chunk: two chunks, fast.
TINY = {
    "name": "tiny",
    "base": {"scenario": {"name": "tiny", "horizon_years": 5}},
    "grid": {"shocks.all_rates_pp": [0.0, 0.5, 1.0, 1.5, 2.0]},
    "paths_per_scenario": 0,
    "chunk_paths": 64,
    "seed": 3,
}
TINY_TOML = """name = "tiny"
paths_per_scenario = 0
chunk_paths = 64
seed = 3
[base.scenario]
name = "tiny"
horizon_years = 5
[grid]
"shocks.all_rates_pp" = [0.0, 0.5, 1.0, 1.5, 2.0]
"""


def _words(text: str) -> str:
    return " ".join(text.split())


def _sweep_app() -> typer.Typer:
    from geostress.cli.sweep import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    return app


def _tipping(args: list[str]) -> object:
    from geostress.cli.tipping import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    return CliRunner().invoke(app, ["tipping", *args])


def _plan(data: dict, origin: str = "bad.toml") -> gs.SweepPlan:
    spec, base = gs.parse_sweep(data, origin=origin)
    return gs.plan_sweep(spec, base)


# -- 1. a huge --range end: the real limit, never a one-point range -------------------------------------------------
def test_a_huge_range_end_finds_the_real_limit_and_never_suggests_equal_ends(store: Store) -> None:
    spec = load_scenario("contagion")
    held = holders_for(store, calibrate_for(spec, store)).sector(spec.sales[0].holder).holdings
    for high in (1e9, 1e30, 1e308):
        with pytest.raises(ScenarioError, match=r"the largest value it accepts is ([\d.]+): use --range 1 \1$") as e:
            find_tipping_point(spec, "sale_bn", 1.0, high, store=store)
        best = float(str(e.value).split("accepts is ")[1].split(":")[0])
        assert held - 0.01 < best <= held, (high, best)
    with pytest.raises(ScenarioError, match=r"the smallest value it accepts is 0.8: use --range 0.8 0.9$"):
        find_tipping_point(spec, "contagion.loop_gain_ceiling", -1e30, 0.9, store=store)
    with pytest.raises(ScenarioError, match=r"it accepts values below 1 only: end the range there$"):
        find_tipping_point(spec, "contagion.loop_gain_ceiling", 0.85, 1e30, store=store)
    # the accepted end is itself the limit: no "use --range 0.8 0.8", which would be refused again
    with pytest.raises(ScenarioError) as caught:
        find_tipping_point(spec, "contagion.loop_gain_ceiling", -5.0, 0.8, store=store)
    assert "--range 0.8 0.8" not in str(caught.value)
    assert str(caught.value).endswith("the smallest value it accepts is 0.8, the high end itself, so no range is "
                                      "left; give a high end above 0.8")
    # an integer knob from a huge end
    wave = load_scenario("announcement-wave")
    with pytest.raises(ScenarioError, match=r"largest value it accepts is 120: use --range 1 120$"):
        find_tipping_point(wave, "contagion.cascade_window_months", 1, 1e30, store=store)
    # a non-finite end is refused naming --range, before any search
    for low, high, end in ((1.0, float("inf"), "high end inf"), (float("-inf"), 1.0, "low end -inf"),
                           (1.0, float("nan"), "high end nan")):
        with pytest.raises(ScenarioError, match=rf"^--range .*: the {end} is not a finite number"):
            find_tipping_point(spec, "sale_bn", low, high, store=store)


# -- 2. [random] bounds: clear errors naming the file, random.knobs and the knob ------------------------------------
@pytest.mark.parametrize(("knobs", "match"), [
    ({"shocks.all_rates_pp": [0, float("inf")]}, r"hi inf is not a finite number"),
    ({"shocks.all_rates_pp": [float("-inf"), 1]}, r"lo -inf is not a finite number"),
    ({"shocks.all_rates_pp": [0, float("nan")]}, r"hi nan is not a finite number"),
    ({"shocks.all_rates_pp": [-1e308, 1e308]}, r"too wide to draw from"),
    ({"scenario.horizon_years": [10.5, 10.7]}, r"takes whole numbers and the range \[10.5, 10.7\] holds none; widen"),
    ({"scenario.horizon_years": [0, 1e30]}, r"takes whole numbers and the range .* goes beyond"),
])  # fmt: skip
def test_random_bounds_that_cannot_be_drawn_are_clear_errors(knobs: dict, match: str) -> None:
    knob = next(iter(knobs))
    data = {"name": "r", "base": "baseline", "paths_per_scenario": 0, "random": {"n": 3, "knobs": knobs}}
    with pytest.raises(ScenarioError, match=rf"^bad.toml: field random.knobs: knob '{re.escape(knob)}'.*{match}"):
        _plan(data)


def test_random_bounds_holding_one_whole_number_draw_it() -> None:
    plan = _plan({"name": "r", "base": "baseline", "paths_per_scenario": 0,
                  "random": {"n": 3, "knobs": {"scenario.horizon_years": [10.5, 11.2]}}})
    assert [v for (v,) in plan.values] == [11, 11, 11]


# -- 3. a relative base is relative to the sweep file, never the current folder -------------------------------------
def test_a_relative_base_is_read_next_to_the_sweep_file_never_from_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    (tmp_path / "sub").mkdir()
    (tmp_path / "baseline.toml").write_text('[scenario]\nname = "cwd-custom"\nhorizon_years = 7\n', encoding="utf-8")
    sweep_file = tmp_path / "sub" / "sw.toml"
    sweep_file.write_text('name = "rel"\nbase = "baseline.toml"\npaths_per_scenario = 0\n', encoding="utf-8")
    for cwd in (tmp_path, tmp_path / "sub"):
        monkeypatch.chdir(cwd)
        _, base = load_sweep_spec(sweep_file.relative_to(cwd))
        assert base.scenario.name == "baseline" and base.scenario.horizon_years == 30  # the preset, from both
    (tmp_path / "sub" / "baseline.toml").write_text('[scenario]\nname = "next-to-it"\nhorizon_years = 6\n',
                                                    encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, base = load_sweep_spec("sub/sw.toml")
    assert base.scenario.name == "next-to-it"
    # a path that is not a preset and not next to the sweep file: not found, naming where it was looked for
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.toml").write_text('[scenario]\nname = "x"\n', encoding="utf-8")
    sweep_file.write_text('name = "rel"\nbase = "other/x.toml"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"field base: scenario file other/x.toml not found next to the sweep "
                                            rf"file \(no {re.escape(str(tmp_path / 'sub' / 'other' / 'x.toml'))}\)"):
        load_sweep_spec("sub/sw.toml")


# -- 5. a corrupt part file on resume: its chunk is redone --------------------------------------------------------
def test_a_corrupt_part_file_is_redone_on_resume(tmp_path: Path) -> None:
    spec, base = gs.parse_sweep(TINY)
    out = tmp_path / "out"
    full = gs.sweep(spec, "serial", base=base, out=out)
    parts = sorted(out.glob("part-*.parquet"))
    assert len(parts) == 2
    parts[1].write_bytes(parts[1].read_bytes()[:100])  # cut short
    (out / "part-000000.parquet").write_bytes(b"")  # empty
    calls: list[tuple[int, int]] = []
    again = gs.sweep(spec, "serial", base=base, out=out, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 2)  # neither counted as done
    pd.testing.assert_frame_equal(again, full)
    pd.testing.assert_frame_equal(pd.read_parquet(out), full)


# -- 4. tipping refuses simulation.* knobs -------------------------------------------------------------------------
@pytest.mark.parametrize(("knob", "hint"), [("simulation.paths", "--paths"), ("simulation.seed", "seed"),
                                            ("simulation.chunk_paths", "--paths")])
def test_tipping_refuses_simulation_knobs_pointing_to_paths_or_the_seed(knob: str, hint: str) -> None:
    with pytest.raises(ScenarioError, match=rf"^knob '{knob}' cannot be searched: .*{re.escape(hint)}"):
        find_tipping_point(load_scenario("dash-for-cash"), knob, 0, 60)
    result = _tipping(["baseline", "--knob", knob, "--range", "0", "1000", "--criterion", "debt"])
    assert result.exit_code == 1 and "cannot be searched" in _words(result.output)  # type: ignore[attr-defined]


# -- 6. text for numbers and true/false --------------------------------------------------------------------------
@pytest.mark.parametrize(("changes", "match"), [
    ({"common_random_numbers": "no"}, r"field common_random_numbers: give true or false, not text"),
    ({"common_random_numbers": "off"}, r"field common_random_numbers: give true or false, not text"),
    ({"grid": {"market.backstop": ["yes"]}}, r"field grid: knob 'market.backstop': value 'yes': give true or false"),
    ({"grid": {"shocks.all_rates_pp": ["1.5", 1]}}, r"field grid: knob 'shocks.all_rates_pp': value '1.5': give a "
                                                    r"number, not text"),
    ({"paths_per_scenario": "10"}, r"field paths_per_scenario: give a number, not text"),
    ({"random": {"n": 2, "knobs": {"shocks.all_rates_pp": ["0", 1]}}}, r"field random.knobs: give a number"),
])  # fmt: skip
def test_text_is_refused_for_numbers_and_true_false(changes: dict, match: str) -> None:
    with pytest.raises(ScenarioError, match=rf"^bad.toml: .*{match}"):
        _plan({**TINY, **changes})


def test_text_knobs_still_take_text() -> None:
    spec, _ = gs.parse_sweep({"name": "h", "base": "china-sells-300bn", "paths_per_scenario": 0,
                              "grid": {"sales[0].holder": ["china_mainland_official"]}})
    assert spec.grid == {"sales[0].holder": ["china_mainland_official"]}


# -- 7. a list index out of range names the sweep and the scenario ------------------------------------------------
def test_a_list_index_out_of_range_names_the_sweep_and_the_scenario() -> None:
    with pytest.raises(ScenarioError, match=r"^b20: scenario 0 \(sales\[5\].amount_bn=1\): knob path "
                                            r"'sales\[5\].amount_bn': index \[5\] is out of range") as caught:
        _plan({"name": "b20", "base": "baseline", "paths_per_scenario": 0, "grid": {"sales[5].amount_bn": [1, 2]}})
    assert caught.value.parameter == "sales[5].amount_bn"


# -- 8. the command plans once ------------------------------------------------------------------------------------
def test_the_command_plans_the_sweep_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = gs.plan_sweep

    def counting(*args: object, **kwargs: object) -> gs.SweepPlan:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gs, "plan_sweep", counting)
    file = tmp_path / "tiny.toml"
    file.write_text(TINY_TOML, encoding="utf-8")
    res = CliRunner().invoke(_sweep_app(), ["sweep", str(file), "--cluster", "serial", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert len(calls) == 1


# -- 9. max_scenarios is a documented field, and the limit says what to do -----------------------------------------
def test_max_scenarios_is_named_as_a_sweep_file_field_with_its_ceiling() -> None:
    data = {**TINY, "grid": {"shocks.all_rates_pp": [0.0] * 2000, "shocks.term_premium_bp": [0.0] * 2000}}
    with pytest.raises(ScenarioError, match=r"4,000,000 scenarios exceed max_scenarios = 1,000,000: set "
                                            r"max_scenarios, a field of the sweep file \(at most 10,000,000\), to "
                                            r"allow more, or split the grid"):
        gs.parse_sweep(data, origin="huge.toml")
    text = (REPO / "docs" / "sweep.md").read_text(encoding="utf-8")
    assert "max_scenarios" in text and "description" in text


# -- 10. counts agree with their nouns ---------------------------------------------------------------------------
def test_counts_of_one_are_singular(tmp_path: Path) -> None:
    spec = load_scenario("dash-for-cash").with_overrides(**{"contagion.cascade_window_months": 1})
    assert "within 1 month)" in criterion_words(spec, "cascade")
    assert "1 months" not in criterion_words(spec, "cascade")
    sweep_spec, base = gs.parse_sweep(TINY)
    out = tmp_path / "out"
    out.mkdir()
    (out / gs.MANIFEST).write_text("{not json", encoding="utf-8")
    (out / "part-000000.parquet").write_bytes(b"x")
    with pytest.raises(ScenarioError, match=r"holds 1 part file; remove"):
        gs.sweep(sweep_spec, "serial", base=base, out=out)


# -- 11. no empty line before an error, none after a success --------------------------------------------------------
def test_sweep_errors_start_stderr_and_a_success_writes_nothing_there(tmp_path: Path) -> None:
    file = tmp_path / "tiny.toml"
    file.write_text(TINY_TOML, encoding="utf-8")
    out = str(tmp_path / "o")
    ok = CliRunner().invoke(_sweep_app(), ["sweep", str(file), "--cluster", "serial", "--out", out])
    assert ok.exit_code == 0, ok.output
    assert ok.stderr == ""
    other = tmp_path / "other.toml"
    other.write_text(TINY_TOML.replace("seed = 3", "seed = 4"), encoding="utf-8")
    bad = CliRunner().invoke(_sweep_app(), ["sweep", str(other), "--cluster", "serial", "--out", out])
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: ") and "holds a different sweep" in bad.stderr


# -- 12. --workers with --cluster serial ---------------------------------------------------------------------------
def test_workers_with_a_serial_cluster_is_a_usage_error(tmp_path: Path) -> None:
    file = tmp_path / "tiny.toml"
    file.write_text(TINY_TOML, encoding="utf-8")
    res = CliRunner().invoke(_sweep_app(), ["sweep", str(file), "--cluster", "serial", "--workers", "2",
                                            "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "--workers applies to --cluster local only" in _words(res.output)
    assert not (tmp_path / "o").exists()


# -- 13. a sweep refused before it writes leaves no empty folder -------------------------------------------------------
def test_a_refused_sweep_leaves_no_empty_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "s4.toml"
    file.write_text('name = "s4"\nbase = "china-sells-300bn"\npaths_per_scenario = 0\n[grid]\n'
                    '"sales[0].holder" = ["chna_official"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(_sweep_app(), ["sweep", str(file), "--cluster", "serial", "--out", "deep/o"])
    assert res.exit_code == 1 and "s4: scenario 0" in _words(res.output)
    assert not (tmp_path / "deep").exists()
    res = CliRunner().invoke(_sweep_app(), ["sweep", str(file), "--cluster", "serial"])  # default: out/s4
    assert res.exit_code == 1
    assert not (tmp_path / "out").exists()
    # a scheduler that cannot be reached (connect's own test waits for it: tests/test_cli_hardening.py)
    import geostress.cli.sweep as cli_sweep
    from geostress.errors import GeostressError

    def unreachable(address: str) -> object:
        raise GeostressError(f"--cluster {address}: cannot reach a dask scheduler there")

    monkeypatch.setattr(cli_sweep, "connect", unreachable)
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(TINY_TOML, encoding="utf-8")
    res = CliRunner().invoke(_sweep_app(), ["sweep", str(tiny), "--cluster", "tcp://127.0.0.1:1", "--out", "o_un"])
    assert res.exit_code == 1 and "cannot reach" in res.output
    assert not (tmp_path / "o_un").exists()
    (tmp_path / "kept").mkdir()  # a folder that was there before stays
    res = CliRunner().invoke(_sweep_app(), ["sweep", str(file), "--cluster", "serial", "--out", "kept"])
    assert res.exit_code == 1 and (tmp_path / "kept").is_dir()


# -- 14. tipping --paths -1 is a usage error ------------------------------------------------------------------------
def test_tipping_negative_paths_is_a_usage_error() -> None:
    result = _tipping(["contagion", "--knob", "sale_bn", "--range", "1", "600", "--paths", "-1"])
    assert result.exit_code == 2 and "--paths" in result.output  # type: ignore[attr-defined]


# -- 15. wording ---------------------------------------------------------------------------------------------------
def test_wording_sweep_file_start_of_range_and_an_edge_at_the_current_value(store: Store) -> None:
    res = CliRunner().invoke(_sweep_app(), ["sweep", "nope-not-here.toml"])
    assert res.exit_code == 1
    assert _words(res.output).startswith("error: sweep file nope-not-here.toml not found; give a path to a sweep "
                                         "file (TOML)")
    with pytest.raises(ScenarioError, match=r"it accepts values above 0 only: start the range there$"):
        find_tipping_point(load_scenario("contagion"), "sale_bn", -5.0, 600.0, store=store)
    point = TippingPoint("contagion.cascade_window_months", "cascade", 12, 12, 1, 24, False, 6, "", step=0)
    assert position_text(point) == "the scenario's value 12 is at the edge, where the criterion already holds"
    assert "by 0" not in json.dumps(point.to_json())


def test_the_cascade_threshold_figure_in_the_docs_comes_with_the_command_that_gives_it(store: Store) -> None:
    text = _words((REPO / "docs" / "contagion.md").read_text(encoding="utf-8"))
    match = re.search(r"also \"already past the edge\", by ([\d.]+) \(`geostress tipping dash-for-cash --knob "
                      r"contagion.cascade_threshold --range ([\d.]+) ([\d.]+)`", text)
    assert match, "the figure comes with the command that reproduces it"
    figure, low, high = match.groups()
    point = find_tipping_point(load_scenario("dash-for-cash").with_overrides(**{"simulation.paths": 0}),
                               "contagion.cascade_threshold", float(low), float(high), store=store)
    assert position_text(point).endswith(f"already past the edge by {figure}")
