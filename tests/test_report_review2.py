"""A report move killed at any step: the report folder holds the whole previous report or the whole new one.

:func:`geostress.report.publish` runs in a forked child that SIGKILLs itself before its k-th file-system step
(``os.replace``, ``os.rename``, ``os.unlink``, ``os.rmdir``: every rename, removal and folder removal of the move
and of the clean-up after it), for every k. The folder is then read back through the product (the next
``build_report``, here one that stops on a bad scenario name, or :func:`geostress.report.recover`) and must equal,
byte for byte and folder for folder, either the previous report or the new one, the user's own files included.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import geostress.report as report
from geostress.errors import GeostressError

USER = {"notes.txt": "my notes", "data/mine.csv": "a\n1\n"}
OLD = {"report.html": "<p>old page</p>", "data/a.csv": "x\n1\n", "data/old_only.csv": "y\n2\n",
       "figures/a.png": "old png", "scenario/summary.json": '{"scenario": "old"}', "oldonly/x.txt": "old only"}
NEW = {"report.html": "<p>new page</p>", "data/a.csv": "x\n10\n", "data/new_only.csv": "z\n3\n",
       "figures/a.png": "new png", "scenario/summary.json": '{"scenario": "new"}', "scenario/extra/t.bin": "new"}

#: Runs each case in a forked child that kills itself (SIGKILL) before its k-th file-system step; prints, per case,
#: the child's wait status and the steps it took when it was not killed.
CHILD = textwrap.dedent('''
    import json, os, shutil, signal, sys, traceback, uuid
    from pathlib import Path
    import geostress.report as report

    STEPS = ("replace", "rename", "unlink", "rmdir")
    answers = []
    for case in json.loads(sys.argv[1]):
        count_file = Path(case["count_file"])
        pid = os.fork()
        if pid == 0:
            try:
                out = Path(case["out"])
                work = out / f"{report.STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
                staged = work / "new"
                for rel, text in case.get("files", {}).items():
                    (staged / rel).parent.mkdir(parents=True, exist_ok=True)
                    (staged / rel).write_text(text, encoding="utf-8")
                taken = [0]
                real = {name: getattr(os, name) for name in STEPS}

                def counted(name):
                    def step(*args, **kwargs):
                        if taken[0] == case["k"]:
                            os.kill(os.getpid(), signal.SIGKILL)
                        taken[0] += 1
                        return real[name](*args, **kwargs)
                    return step

                for name in STEPS:
                    setattr(os, name, counted(name))
                if case.get("mode") == "recover":
                    report.recover(out)
                else:
                    report.publish(staged, out, work / "previous")
                    shutil.rmtree(work)  # what build_report does once the report is in place
                for name in STEPS:
                    setattr(os, name, real[name])
                count_file.write_text(str(taken[0]))
                os._exit(0)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
        answers.append(os.waitpid(pid, 0)[1])
    print(json.dumps(answers))
''')


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (``None``) under ``folder``, hidden ones too."""
    return {p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}  # fmt: skip


def _write(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def _publish_here(files: dict[str, str], out: Path, root: Path) -> None:
    """Publish a report of ``files`` into ``out`` in this process (staged beside it, as the review tests do)."""
    staged = _write(root / "staged", files)
    report.publish(staged, out, root / "backup")
    shutil.rmtree(root)


def _run_children(cases: list[dict]) -> list[int]:
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(cases)], capture_output=True, text=True,
                          timeout=300, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _read_back(out: Path, k: int) -> None:
    """What a user does next: run ``geostress report`` again (even one that stops on bad input), or recover."""
    if k % 2 == 0:
        with pytest.raises(GeostressError):
            report.build_report("no-such-scenario-preset", out, tipping=False)
    else:
        recover = getattr(report, "recover", None)
        if recover is not None:
            recover(out)


@pytest.fixture()
def before_and_after(tmp_path: Path) -> tuple[Path, dict, dict]:
    """The folder holding the user's files and the previous report; its tree then, and after the new report."""
    base = _write(tmp_path / "base", USER)
    _publish_here(OLD, base, tmp_path / "old-work")
    expected_new = tmp_path / "expected-new"
    shutil.copytree(base, expected_new)
    _publish_here(NEW, expected_new, tmp_path / "new-work")
    old_tree, new_tree = _tree(base), _tree(expected_new)
    assert old_tree != new_tree and b"old only" in old_tree.values() and "scenario/extra" in new_tree
    assert new_tree["notes.txt"] == b"my notes" and new_tree["data/mine.csv"] == b"a\n1\n"
    assert "oldonly" not in new_tree  # the previous report's own folder goes with its files
    return base, old_tree, new_tree


@pytest.mark.timeout(600)
def test_a_publish_killed_at_any_step_leaves_the_old_or_the_new_report(before_and_after: tuple[Path, dict, dict],
                                                                       tmp_path: Path) -> None:
    base, old_tree, new_tree = before_and_after
    # a run that is not killed: how many steps a whole move takes
    dry = tmp_path / "dry"
    shutil.copytree(base, dry)
    status = _run_children([{"out": str(dry), "k": -1, "files": NEW, "count_file": str(tmp_path / "steps")}])
    assert status == [0]
    steps = int((tmp_path / "steps").read_text())
    assert _tree(dry) == new_tree
    assert steps >= 2 * len(NEW)

    cases = []
    for k in range(steps):
        out = tmp_path / f"killed-{k}"
        shutil.copytree(base, out)
        cases.append({"out": str(out), "k": k, "files": NEW, "count_file": str(tmp_path / f"steps-{k}")})
    statuses = _run_children(cases)
    assert all(os.WIFSIGNALED(s) and os.WTERMSIG(s) == signal.SIGKILL for s in statuses), statuses

    seen = set()
    mixed = []
    for k, case in enumerate(cases):
        out = Path(case["out"])
        _read_back(out, k)
        verdict = _which(_tree(out), old_tree, new_tree)
        seen.add(verdict)
        if verdict not in ("old", "new"):
            mixed.append(f"killed before step {k}: {verdict}")
    assert not mixed, f"{len(mixed)} of {steps} kill points leave neither report:\n" + "\n".join(mixed)
    assert seen == {"old", "new"}  # killed before its journal the move left the old report, after it the new one


def _which(tree: dict[str, bytes | None], old_tree: dict, new_tree: dict) -> str:
    """``old``, ``new``, or what differs from the closer of the two (hidden staging folders summed up)."""
    if tree == old_tree:
        return "old"
    if tree == new_tree:
        return "new"
    staging = sorted({r.split("/", 1)[0] for r in tree if r.startswith(report.STAGING_PREFIX)})
    shown = {r: v for r, v in tree.items() if not r.startswith(report.STAGING_PREFIX)}
    parts = []
    for name, ref in (("old", old_tree), ("new", new_tree)):
        differ = sorted(r for r in set(shown) & set(ref) if shown[r] != ref[r])
        parts.append(f"against the {name} report: extra {sorted(set(shown) - set(ref))}, missing "
                     f"{sorted(set(ref) - set(shown))}, different {differ}")
    return "; ".join(parts) + (f"; left behind: {staging}" if staging else "")


@pytest.mark.timeout(600)
def test_a_recovery_killed_at_any_step_is_finished_by_the_next(before_and_after: tuple[Path, dict, dict],
                                                               tmp_path: Path) -> None:
    """The roll-forward itself is killed at each of its steps; the next recovery still ends at the new report."""
    base, old_tree, new_tree = before_and_after
    half = tmp_path / "half"
    shutil.copytree(base, half)
    assert _run_children([{"out": str(half), "k": 8, "files": NEW, "count_file": str(tmp_path / "n")}]) == \
        [signal.SIGKILL]  # killed in the middle of its renames: a mix, and the journal that records it
    assert _which(_tree(half), old_tree, new_tree) not in ("old", "new")
    probe = tmp_path / "probe"
    shutil.copytree(half, probe)
    assert _run_children([{"out": str(probe), "k": -1, "mode": "recover", "count_file": str(tmp_path / "r")}]) == [0]
    assert _tree(probe) == new_tree
    steps = int((tmp_path / "r").read_text())
    assert steps >= 3
    cases = []
    for k in range(steps):
        out = tmp_path / f"recover-{k}"
        shutil.copytree(half, out)
        cases.append({"out": str(out), "k": k, "mode": "recover", "count_file": str(tmp_path / f"r-{k}")})
    assert _run_children(cases) == [signal.SIGKILL] * steps
    wrong = []
    for k, case in enumerate(cases):
        report.recover(case["out"])  # the next run
        tree = _tree(Path(case["out"]))
        if tree != new_tree:
            wrong.append(f"killed before step {k}: {_which(tree, old_tree, new_tree)}")
    assert not wrong, "\n".join(wrong)


def test_recover_of_a_folder_with_nothing_to_finish_changes_nothing(before_and_after: tuple[Path, dict, dict],
                                                                    tmp_path: Path) -> None:
    base, old_tree, _ = before_and_after
    assert report.recover(base) is False
    assert _tree(base) == old_tree
    assert report.recover(tmp_path / "missing") is False and not (tmp_path / "missing").exists()


def test_a_live_runs_staging_folder_is_not_removed(before_and_after: tuple[Path, dict, dict]) -> None:
    """Recovery removes only staging folders of ended runs: one whose run holds its lock (or whose process is
    alive) stays."""
    base, old_tree, _ = before_and_after
    live = base / f"{report.STAGING_PREFIX}{os.getpid()}-abc"
    (live / "new").mkdir(parents=True)
    held = report._hold_work(live)
    try:
        report.recover(base)
        assert live.is_dir()
    finally:
        if held is not None:
            os.close(held)
    report.recover(base)  # the same folder once its run let go: removed (this process is its "pid")
    assert _tree(base) == old_tree


def test_a_journal_that_is_not_ours_is_named_with_what_to_do(before_and_after: tuple[Path, dict, dict]) -> None:
    base, _, _ = before_and_after
    (base / report.JOURNAL_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(GeostressError, match=r"\.geostress-report-journal\.json is not a journal.*remove the file"):
        report.recover(base)


#: ``geostress report`` in a child that SIGKILLs itself before the k-th file-system step of its move into place.
CLI_CHILD = textwrap.dedent('''
    import os, signal, sys
    import geostress.report as report

    k = int(sys.argv[1])
    taken = [0]
    real_publish = report.publish

    def counted(real):
        def step(*args, **kwargs):
            if taken[0] == k:
                os.kill(os.getpid(), signal.SIGKILL)
            taken[0] += 1
            return real(*args, **kwargs)
        return step

    def publish(*args, **kwargs):
        for name in ("replace", "rename", "unlink", "rmdir"):
            setattr(os, name, counted(getattr(os, name)))
        return real_publish(*args, **kwargs)

    report.publish = publish
    from geostress.cli import app
    sys.argv = ["geostress", *sys.argv[2:]]
    app()
''')


@pytest.mark.timeout(300)
def test_geostress_report_killed_while_moving_in_is_whole_after_the_next_run(tmp_path: Path) -> None:
    """The real command: a coupled scenario's report, then the baseline's killed in the middle of its renames,
    then a `geostress report` that stops on a missing --claims file: the folder holds the whole baseline report."""
    out = tmp_path / "rep"
    env = dict(os.environ, GEOSTRESS_HOME=str(tmp_path / "home"))
    common = ["--paths", "0", "--no-tipping", "--out", str(out)]
    first = subprocess.run([sys.executable, "-c", CLI_CHILD, "-1", "report", "china-sells-300bn", *common],
                           capture_output=True, text=True, env=env, timeout=240)
    assert first.returncode == 0, first.stderr
    assert (out / "data" / "term_premium.csv").is_file()
    _write(out, USER)
    killed = subprocess.run([sys.executable, "-c", CLI_CHILD, "12", "report", "baseline", *common],
                            capture_output=True, text=True, env=env, timeout=240)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    missing = tmp_path / "no-such-article.txt"  # found missing inside build_report, after its recovery
    again = subprocess.run([sys.executable, "-c", CLI_CHILD, "-1", "report", "baseline", "--claims", str(missing),
                            *common], capture_output=True, text=True, env=env, timeout=240)
    assert again.returncode != 0 and "no-such-article.txt" in again.stdout + again.stderr
    listed = json.loads((out / report.MANIFEST_FILE).read_text(encoding="utf-8"))["files"]
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert present == {*listed, report.MANIFEST_FILE, *USER}  # no staging folder, journal or stale file
    assert json.loads((out / "scenario" / "summary.json").read_text(encoding="utf-8"))["scenario"] == "baseline"
    assert "Stress report: baseline" in (out / report.REPORT_FILE).read_text(encoding="utf-8")
    assert not (out / "data" / "term_premium.csv").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes"
