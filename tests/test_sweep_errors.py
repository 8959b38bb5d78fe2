"""Errors a sweep file's values cause only once a scenario of its design is built, checked or run (an event past the
horizon, a negative intensity, a list index the base lacks, a baseline the store or the market's series do not
cover, a ``[reserves]`` start after the horizon) name the sweep file, then the sweep, the scenario and its knob
values, then the problem as a run of that scenario states it; nothing is left in ``--out`` (docs/sweep.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_sweep_review import _sweep_app, _words
from typer.testing import CliRunner

import geostress.run.sweep as gs
from geostress.errors import DataError, GeostressError, ScenarioError

#: A coupled base of a 5-year horizon (60 months) with a sale, an announcement and a threat; no paths.
COUPLED_BASE = """[scenario]
name = "b"
horizon_years = 5
[simulation]
paths = 0
[contagion]
enabled = true
[[announcements]]
month = 1
intensity = 1.0
amount_bn = 0.1
[[sales]]
holder = "china_mainland_official"
amount_bn = 300
months = 12
[[threats]]
month = 1
intensity = 1.0
"""
#: A fiscal-only base: its scenarios run in chunks of many scenarios (no market block).
FISCAL_BASE = """[scenario]
name = "f"
horizon_years = 5
[simulation]
paths = 0
"""


def _sweep_file(folder: Path, name: str, base: str, grid: str) -> Path:
    """``folder/<name>.toml``, a sweep over ``base`` (a file written beside it) with the ``[grid]`` line ``grid``."""
    (folder / "base.toml").write_text(base, encoding="utf-8")
    file = folder / f"{name}.toml"
    file.write_text(f'name = "{name}"\nbase = "base.toml"\npaths_per_scenario = 0\n\n[grid]\n{grid}\n',
                    encoding="utf-8")
    return file


#: (sweep name, base, grid line, the label of the scenario refused, words of the lower-level message)
CASES = [
    ("late-sale", COUPLED_BASE, '"sales[0].start_month" = [1, 90]', "scenario 1 (sales[0].start_month=90)",
     "runs past the horizon of 60 months; start it by month 49 (sales[0].start_month)"),
    ("late-signal", COUPLED_BASE, '"announcements[0].month" = [1, 500]', "scenario 1 (announcements[0].month=500)",
     "announcement in month 500 is after the horizon of 60 months"),
    ("negative", COUPLED_BASE, '"threats[0].intensity" = [1.0, -0.5]', "scenario 1 (threats[0].intensity=-0.5)",
     "field threats[0].intensity: Input should be greater than or equal to 0 (got -0.5)"),
    ("no-entry", COUPLED_BASE, '"sales[3].amount_bn" = [100, 200]', "scenario 0 (sales[3].amount_bn=100)",
     "index [3] is out of range (the list has 1 entry)"),
    ("too-much", COUPLED_BASE, '"sales[0].amount_bn" = [100, 5000]', "scenario 1 (sales[0].amount_bn=5000)",
     "sale of 5,000.0 bn by 'china_mainland_official' exceeds its holdings"),
    ("not-a-number", COUPLED_BASE, '"sales[0].amount_bn" = [100, nan]', "scenario 1 (sales[0].amount_bn=nan)",
     "nan is not a finite number"),
    # the market's series start in 2002-12: a 1999 baseline's run starts before them (a DataError, once unnamed)
    ("early-market", COUPLED_BASE, '"scenario.baseline" = ["cbo:latest", "cbo:1999-01"]',
     "scenario 1 (scenario.baseline='cbo:1999-01')",
     "the market block cannot start the run of baseline 'cbo:1999-01' on 1998-10-01: series 'tic.mfh.grand_total' "
     "has no observation"),
    # a fiscal-only scenario's baseline was read only in its chunk, after the manifest was written
    ("no-vintage", FISCAL_BASE, '"scenario.baseline" = ["cbo:latest", "cbo:2030-01"]',
     "scenario 1 (scenario.baseline='cbo:2030-01')", "baseline 'cbo:2030-01' is not in the store; recent vintages:"),
]  # fmt: skip


@pytest.mark.parametrize("name, base, grid, label, words", CASES, ids=[c[0] for c in CASES])
def test_the_command_names_the_sweep_file_the_scenario_and_the_value(tmp_path: Path, name: str, base: str,
                                                                     grid: str, label: str, words: str) -> None:
    file = _sweep_file(tmp_path, name, base, grid)
    out = tmp_path / "runs" / "o"
    res = CliRunner().invoke(_sweep_app(), ["sweep", str(file), "--cluster", "serial", "--out", str(out)])
    text = _words(res.output)
    assert res.exit_code == 1, text
    assert text.startswith(f"error: {file}: {name}: {label}: "), text
    assert words in text, text
    assert "Traceback" not in res.output
    assert not (tmp_path / "runs").exists()  # refused before any chunk: no folder, no manifest


def test_the_baseline_the_market_cannot_start_says_what_to_change_and_keeps_its_class(tmp_path: Path) -> None:
    file = _sweep_file(tmp_path, "early", COUPLED_BASE, '"scenario.baseline" = ["cbo:1999-01"]')
    with pytest.raises(DataError) as caught:
        gs.sweep(file, "serial", out=tmp_path / "o")
    text = str(caught.value)
    assert text.startswith(f"{file}: early: scenario 0 (scenario.baseline='cbo:1999-01'): the market block cannot "
                           "start the run of baseline 'cbo:1999-01' on 1998-10-01: "), text
    assert text.endswith("; in the sweep file, give scenario.baseline a vintage whose run the market's series cover "
                         "(a later one, or cbo:latest)"), text
    assert not (tmp_path / "o").exists()  # refused before the folder is made


def test_the_python_call_names_the_file_and_keeps_the_error_s_class_and_parameter(tmp_path: Path) -> None:
    """``sweep(path)`` names the file as the command does; a sweep given as data still names its ``name`` only."""
    file = _sweep_file(tmp_path, "late", COUPLED_BASE, '"sales[0].start_month" = [1, 90]')
    with pytest.raises(ScenarioError) as caught:
        gs.sweep(file, "serial")
    assert str(caught.value).startswith(f"{file}: late: scenario 1 (sales[0].start_month=90): sale by ")
    assert caught.value.parameter == "sales[0].months"  # (the run's own: the check names the sale's months)
    spec, base = gs.load_sweep_spec(file)
    assert spec.source == str(file) and spec.where == f"{file}: late"
    as_data, base = gs.parse_sweep({"name": "late", "base": str(tmp_path / "base.toml"), "paths_per_scenario": 0,
                                    "grid": {"sales[0].start_month": [1, 90]}})
    assert as_data.source is None and as_data.where == "late"
    first = {"grid": {"sales[0].start_month": [1]}}  # the file is named in messages, not in the fingerprint
    assert (gs.plan_sweep(spec.model_copy(update=first), base).fingerprint
            == gs.plan_sweep(as_data.model_copy(update=first), base).fingerprint)
    with pytest.raises(ScenarioError, match=r"^late: scenario 1 \(sales\[0\]\.start_month=90\): sale by "):
        gs.sweep(as_data, "serial", base=base)


def test_a_random_range_the_scenario_refuses_names_the_file(tmp_path: Path) -> None:
    file = tmp_path / "wide.toml"
    file.write_text('name = "wide"\nbase = "baseline"\npaths_per_scenario = 0\n[random]\nn = 2\n[random.knobs]\n'
                    '"shocks.all_rates_pp" = [0, 5000]\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"^{file}: wide: field random\.knobs: knob 'shocks\.all_rates_pp': "
                                            r"the range \[0, 5000\] reaches 5000"):
        gs.plan_sweep(*gs.load_sweep_spec(file))


def test_a_scenario_refused_as_it_runs_names_the_file_and_chunk_and_leaves_nothing(tmp_path: Path) -> None:
    """``[reserves]`` is turned into sales only as its scenario runs: a start after the horizon is refused in the
    chunk, named like the others (with the chunk), and the manifest of a sweep with no chunk done is removed."""
    file = tmp_path / "late-reserves.toml"
    file.write_text('name = "late-reserves"\nbase = "reserves-china-reallocates"\npaths_per_scenario = 0\n[grid]\n'
                    '"reserves.start_month" = [500]\n', encoding="utf-8")
    out = tmp_path / "runs" / "o"
    res = CliRunner().invoke(_sweep_app(), ["sweep", str(file), "--cluster", "serial", "--out", str(out)])
    text = _words(res.output)
    assert res.exit_code == 1, text
    assert text.startswith(f"error: {file}: late-reserves: chunk 0, scenario 0 (reserves.start_month=500): "
                           "reserves.start_month = 500 is after the run's horizon of 360 months"), text
    assert not (tmp_path / "runs").exists()


def test_a_chunk_s_error_keeps_its_class_and_finished_chunks_keep_the_manifest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The error of the chunk is the run's own (class, parameter) with the sweep file, chunk and scenario before
    it; a folder with a finished chunk keeps its manifest and part (the sweep resumes there); a dask worker hands
    the error back rather than raising it (no retries of a refusal, no worker traceback)."""
    file = tmp_path / "two.toml"
    file.write_text('name = "two"\npaths_per_scenario = 0\nchunk_paths = 64\n[base.scenario]\nname = "t"\n'
                    'horizon_years = 5\n[grid]\n"shocks.all_rates_pp" = [0.0, 0.5, 1.0, 1.5, 2.0]\n',
                    encoding="utf-8")
    real = gs._block_rows

    def refuse_the_last(spec: Any, *args: Any, **kwargs: Any) -> Any:
        if spec.shocks.all_rates_pp == 2.0:
            raise ScenarioError("shocks.all_rates_pp = 2 refused here; give less", parameter="shocks.all_rates_pp")
        return real(spec, *args, **kwargs)

    monkeypatch.setattr(gs, "_block_rows", refuse_the_last)
    spec, base = gs.load_sweep_spec(file)
    plan = gs.plan_sweep(spec, base)
    assert len(plan.chunks) == 2  # four scenarios in chunk 0, the refused one in chunk 1
    returned, _, _ = gs._chunk_task(plan, 1, None)
    assert isinstance(returned, ScenarioError)
    out = tmp_path / "o"
    with pytest.raises(ScenarioError) as caught:
        gs.sweep(file, "serial", out=out)
    assert str(caught.value) == (f"{file}: two: chunk 1, scenario 4 (shocks.all_rates_pp=2.0): shocks.all_rates_pp "
                                 "= 2 refused here; give less")
    assert caught.value.parameter == "shocks.all_rates_pp"
    assert sorted(p.name for p in out.iterdir()) == [gs.MANIFEST, "part-000000.parquet"]

    # refused in the first chunk: nothing finished, so no manifest stays either
    monkeypatch.setattr(gs, "_block_rows", lambda *a, **k: (_ for _ in ()).throw(DataError("no data here")))
    fresh = tmp_path / "fresh"
    with pytest.raises(DataError, match=rf"^{file}: two: chunk 0, scenario 0 \(shocks\.all_rates_pp=0\.0\): no data"):
        gs.sweep(file, "serial", out=fresh)
    assert not any(fresh.iterdir())


def test_errors_of_the_file_itself_already_named_it(tmp_path: Path) -> None:
    """Pinned: a value the sweep file's own check refuses (text for a number, a misspelt key) names the file and
    the field, before any scenario is built."""
    for grid, words in (('"sales[0].amount_bn" = [100, "lots"]',
                         "field grid: knob 'sales[0].amount_bn': value 'lots': give a number, not text"),
                        ('"sales[0].amout_bn" = [100]', "field grid: knob path 'sales[0].amout_bn': no field "
                                                        "'amout_bn'; did you mean 'amount_bn'?")):
        file = _sweep_file(tmp_path, "typo", COUPLED_BASE, grid)
        with pytest.raises(GeostressError) as caught:
            gs.load_sweep_spec(file)
        assert str(caught.value).startswith(f"{file}: {words}"), str(caught.value)
