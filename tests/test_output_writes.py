"""Result folders are replaced as one step: after a failure or a kill they hold the previous set or the new one.

Covers ``geostress run`` and ``geostress minerals`` (:func:`geostress.results.write_results`,
:func:`geostress.run.minerals.write_results`, both through :func:`geostress.util.staging.staged_output`), the
report's move error, and the ``--out`` option (an empty value; no empty folder left behind by bad input).
Real files on disk; kills are real ``SIGKILL``s of child processes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from geostress.cli.app import app
from geostress.errors import GeostressError
from geostress.util.staging import OUTPUT, recover, staged_output

RUN_FILES = {"summary.json", "fan.parquet", "annual.parquet", "monthly.parquet", "fan_debt_to_gdp.png",
             "fan_net_interest_to_gdp.png", "fan_interest_to_revenue.png", "fan_yield_10y.png"}
MINERALS_FILES = {"summary.json", "shortfall.csv", "prices.csv"}
USER = {"notes.txt": b"my notes"}


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (``None``) under ``folder``, hidden ones too."""
    return {p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}  # fmt: skip


def _mark(folder: Path, names: set[str]) -> dict[str, bytes | None]:
    """Make the files ``names`` of ``folder`` tell apart from any new run's (a byte appended); the tree then."""
    for name in names:
        with open(folder / name, "ab") as fh:
            fh.write(b"\0previous")
    for rel, data in USER.items():
        (folder / rel).write_bytes(data)
    return _tree(folder)


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, GEOSTRESS_HOME=str(tmp_path / "home"), COLUMNS="80")


# -- a kill at any step of the move -------------------------------------------------------------------------------
#: For k = 0, 1, ...: writes OLD into a fresh folder, then forks a child that writes NEW through staged_output and
#: SIGKILLs itself before its k-th file-system step (rename, removal); stops at the first k the child survives.
KILL_EVERY_STEP = textwrap.dedent('''
    import json, os, signal, sys
    from pathlib import Path
    from geostress.util.staging import staged_output

    root, old, new = Path(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
    STEPS = ("replace", "rename", "unlink", "rmdir")

    def write(out, files):
        with staged_output(out) as staged:
            for rel, text in files.items():
                (staged / rel).parent.mkdir(parents=True, exist_ok=True)
                (staged / rel).write_text(text, encoding="utf-8")

    statuses = []
    for k in range(200):
        out = root / f"k{k}"
        write(out, old)
        (out / "notes.txt").write_text("my notes", encoding="utf-8")
        pid = os.fork()
        if pid == 0:
            taken = [0]
            real = {name: getattr(os, name) for name in STEPS}

            def counted(name):
                def step(*args, **kwargs):
                    if taken[0] == k:
                        os.kill(os.getpid(), signal.SIGKILL)
                    taken[0] += 1
                    return real[name](*args, **kwargs)
                return step

            for name in STEPS:
                setattr(os, name, counted(name))
            write(out, new)
            os._exit(0)
        statuses.append(os.waitpid(pid, 0)[1])
        if statuses[-1] == 0:
            break
    print(json.dumps(statuses))
''')


def test_a_set_killed_at_any_step_of_its_move_is_whole_after_the_next_run(tmp_path: Path) -> None:
    """Killed before the move (its staging folder left behind) or at any rename of it: the next run (here a
    recovery, or a run that stops on bad input) leaves the previous set or the new one, byte for byte."""
    old = {"summary.json": '{"run": "old"}', "fan.parquet": "old fan", "sub/a.csv": "old a"}
    new = {"summary.json": '{"run": "new"}', "fan.parquet": "new fan", "sub/a.csv": "new a"}
    proc = subprocess.run([sys.executable, "-c", KILL_EVERY_STEP, str(tmp_path), json.dumps(old), json.dumps(new)],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    statuses = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(statuses) > 8 and statuses[-1] == 0  # every step of the move was a kill point once
    expected = {"old": old, "new": new}
    for k, status in enumerate(statuses[:-1]):
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (k, status)
        out = tmp_path / f"k{k}"
        if k % 2:
            recover(out)
        else:  # the next run finds bad input: it finishes the move first and then changes nothing
            with pytest.raises(ValueError), staged_output(out):
                raise ValueError("bad input")
        found = {rel: data for rel, data in _tree(out).items() if data is not None}
        assert found.pop("notes.txt") == b"my notes"
        assert not [p for p in out.iterdir() if p.name.startswith(".")], f"k={k}: hidden files left"
        as_text = {rel: data.decode() for rel, data in found.items()}
        assert as_text in expected.values(), f"k={k}: a mix of two runs: {as_text}"
    assert {json.loads(p.read_text())["run"] for p in tmp_path.glob("k*/summary.json")} == {"old", "new"}


# -- geostress run: the real command killed while it writes and while it moves in ---------------------------------
#: ``geostress ARGS`` in a process that SIGKILLs itself: "chart N" at its N-th fan chart (files still being
#: written), "move N" before the N-th rename or removal of its move into place.
CLI_KILLED = textwrap.dedent('''
    import os, signal, sys
    import geostress.util.staging as staging

    mode, k = sys.argv[1], int(sys.argv[2])
    taken = [0]

    def counted(real):
        def step(*args, **kwargs):
            if taken[0] == k:
                os.kill(os.getpid(), signal.SIGKILL)
            taken[0] += 1
            return real(*args, **kwargs)
        return step

    if mode == "chart":
        import geostress.results.plots as plots
        plots.fan_chart = counted(plots.fan_chart)
    elif mode == "csv":
        import pandas as pd
        pd.DataFrame.to_csv = counted(pd.DataFrame.to_csv)
    else:
        real_move_in = staging.move_in

        def move_in(*args, **kwargs):
            for name in ("replace", "rename", "unlink", "rmdir"):
                setattr(os, name, counted(getattr(os, name)))
            return real_move_in(*args, **kwargs)

        staging.move_in = move_in
    from geostress.cli.app import app
    sys.argv = ["geostress", *sys.argv[3:]]
    app()
''')


def _killed(tmp_path: Path, mode: str, k: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CLI_KILLED, mode, str(k), *args], capture_output=True, text=True,
                          env=_env(tmp_path), timeout=120)


@pytest.fixture(scope="module")
def baseline_result(store: Any) -> Any:
    from geostress.run.engine import run_scenario
    from geostress.spec.scenario import load_scenario

    return run_scenario(load_scenario("baseline").with_overrides(**{"simulation.paths": 0}), store=store)


@pytest.mark.timeout(240)
def test_geostress_run_killed_while_writing_or_moving_in_leaves_one_whole_set(baseline_result: Any,
                                                                             tmp_path: Path) -> None:
    from geostress.results import write_results

    out = tmp_path / "res"
    write_results(baseline_result, out)  # the previous run
    assert {p.name for p in out.iterdir()} == RUN_FILES
    before = _mark(out, RUN_FILES)
    common = ["run", "china-sells-300bn", "--paths", "0", "--out", str(out)]

    # killed while drawing its third chart: the folder's files are the previous run's, byte for byte
    killed = _killed(tmp_path, "chart", 2, *common)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    visible = {rel: data for rel, data in _tree(out).items() if not rel.startswith(".")}
    assert visible == before
    assert [p for p in out.iterdir() if p.name.startswith(OUTPUT.prefix)]  # its staging folder, left by the kill

    # killed in the middle of its renames: the next run (here its recovery step) completes the new set
    killed = _killed(tmp_path, "move", 6, *common)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (out / OUTPUT.journal).is_file()  # the kill did land inside the move
    recover(out)
    after = _tree(out)
    assert set(after) == RUN_FILES | set(USER)  # no journal, no staging folder of either killed run
    assert after["notes.txt"] == USER["notes.txt"]
    assert all(after[name] != before[name] for name in RUN_FILES)  # every file is the new run's
    assert json.loads(after["summary.json"])["scenario"] == "china-sells-300bn"


# -- failures midway: the previous set is left byte for byte --------------------------------------------------------
def test_a_folder_in_the_way_of_the_last_chart_changes_nothing_and_is_named(baseline_result: Any,
                                                                           tmp_path: Path) -> None:
    """The audit: a folder where ``fan_yield_10y.png`` goes made the run fail after 7 files were replaced."""
    from geostress.results import write_results

    out = tmp_path / "res"
    write_results(baseline_result, out)
    (out / "fan_yield_10y.png").unlink()
    (out / "fan_yield_10y.png" / "inside").mkdir(parents=True)
    before = _mark(out, RUN_FILES - {"fan_yield_10y.png"})
    with pytest.raises(GeostressError) as caught:
        write_results(baseline_result, out)
    message = str(caught.value)
    assert f"{out / 'fan_yield_10y.png'}: Is a directory" in message
    assert "remove or rename" in message and "staging" not in message
    assert _tree(out) == before


def test_a_writer_failing_midway_leaves_the_previous_run(baseline_result: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import geostress.results.plots as plots
    from geostress.results import write_results

    out = tmp_path / "res"
    write_results(baseline_result, out)
    before = _mark(out, RUN_FILES)
    real, drawn = plots.fan_chart, []

    def third_fails(result: Any, variable: str, path: Path, **kwargs: Any) -> Path:
        drawn.append(variable)
        if len(drawn) == 3:
            raise OSError(28, "No space left on device", str(path))
        return real(result, variable, path, **kwargs)

    monkeypatch.setattr(plots, "fan_chart", third_fails)
    with pytest.raises(OSError, match="No space"):
        write_results(baseline_result, out)
    assert _tree(out) == before  # no staging folder either
    fresh, drawn[:] = tmp_path / "new" / "res", []
    with pytest.raises(OSError, match="No space"):
        write_results(baseline_result, fresh)
    assert not (tmp_path / "new").exists()  # the folders this call made are gone again


# -- geostress minerals ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def minerals_result(store: Any) -> Any:
    from geostress.run.minerals import run_minerals

    return run_minerals("minerals-us-mandate", store, monte_carlo_draws=0)


def test_minerals_failing_midway_or_blocked_leaves_the_previous_files(minerals_result: Any, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import geostress.run.minerals as minerals

    out = tmp_path / "min"
    assert minerals.write_results(minerals_result, out) == out
    assert {p.name for p in out.iterdir()} == MINERALS_FILES
    before = _mark(out, MINERALS_FILES)

    def broken(*args: Any) -> Any:  # after summary.json is written, before shortfall.csv
        raise RuntimeError("broken midway")

    with monkeypatch.context() as patch:
        patch.setattr(minerals, "_monthly", broken)
        with pytest.raises(RuntimeError, match="broken midway"):
            minerals.write_results(minerals_result, out)
    assert _tree(out) == before
    (out / "prices.csv").unlink()
    (out / "prices.csv").mkdir()
    before = _tree(out)
    with pytest.raises(GeostressError, match=r"prices\.csv: Is a directory.*remove or rename") as caught:
        minerals.write_results(minerals_result, out)
    assert str(out / "prices.csv") in str(caught.value)
    assert _tree(out) == before


def test_geostress_minerals_killed_while_writing_leaves_the_previous_files(minerals_result: Any,
                                                                          tmp_path: Path) -> None:
    from geostress.run.minerals import write_results

    out = write_results(minerals_result, tmp_path / "min")  # the previous run
    before = _mark(out, MINERALS_FILES)
    args = ["minerals", "minerals-us-mandate", "--draws", "0", "--out", str(out)]
    killed = _killed(tmp_path, "csv", 0, *args)  # the audit: a 0-byte shortfall.csv beside the old summary
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert {rel: data for rel, data in _tree(out).items() if not rel.startswith(".")} == before
    write_results(minerals_result, out)  # the next run cleans the killed run's staging folder up
    assert {p.name for p in out.iterdir()} == MINERALS_FILES | set(USER)


# -- the report's move error names the file in the way ------------------------------------------------------------
def test_a_report_move_blocked_by_a_folder_names_the_target_not_the_staging_path(tmp_path: Path) -> None:
    import geostress.report as report

    out = tmp_path / "rep"
    (out / "figures" / "fan_yield_10y.png" / "inside").mkdir(parents=True)
    with pytest.raises(GeostressError) as caught:
        with staged_output(out, "report", report.REPORT_STAGING, move=report.publish) as staged:
            (staged / "data").mkdir()  # moved in before figures/, then back: no empty data/ is left
            (staged / "data" / "a.csv").write_text("x\n1\n", encoding="utf-8")
            (staged / "figures").mkdir()
            (staged / "figures" / "fan_yield_10y.png").write_bytes(b"png")
            (staged / report.REPORT_FILE).write_text("<p>page</p>", encoding="utf-8")
    message = str(caught.value)
    assert f"{out / 'figures' / 'fan_yield_10y.png'}: Is a directory" in message
    assert "remove or rename" in message and "staging" not in message and "choose a folder" not in message
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "figures", "figures/fan_yield_10y.png", "figures/fan_yield_10y.png/inside"]


# -- --out ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("words", [["run", "baseline", "--paths", "0"], ["report", "baseline", "--paths", "0"],
                                   ["sweep", "no-such-sweep.toml"], ["minerals", "minerals-us-mandate"]])
def test_an_empty_out_is_a_usage_error_naming_the_option(words: list[str], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "summary.json").write_text("the user's own", encoding="utf-8")
    result = CliRunner().invoke(app, [*words, "--out", ""], env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.output
    assert "'--out'" in result.output and "empty folder name" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]
    assert (tmp_path / "summary.json").read_text(encoding="utf-8") == "the user's own"


def test_bad_input_found_after_the_folder_was_made_leaves_no_folder(tmp_path: Path, geostress_home: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit: an unknown holder, found once the run started, left ``out/<name>/`` empty behind."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "BAD.toml").write_text('[scenario]\nname = "bad-holder"\n\n[[sales]]\nholder = "atlantis_official"\n'
                                       'amount_bn = 10\nmonths = 1\n\n[market]\nenabled = true\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "BAD.toml", "--paths", "0"], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "atlantis_official" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BAD.toml"]
