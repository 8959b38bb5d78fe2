"""The command line, run as a user runs it: the installed console script in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GEOSTRESS = shutil.which("geostress", path=str(Path(sys.executable).parent)) or "geostress"


def run(*args: str, home: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GEOSTRESS_HOME": str(home), "COLUMNS": "160"}
    proc = subprocess.run([GEOSTRESS, *args], env=env, capture_output=True, text=True, timeout=180)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_data_show_json_pins_tic_values(geostress_home: Path) -> None:
    proc = run("data", "show", "tic.mfh.china_mainland", "--start", "2013-11-01", "--end", "2013-11-30", "--json",
               home=geostress_home)
    records = json.loads(proc.stdout)
    assert records == [
        {"period": "2013-11-30", "value": 1316.7, "unit": "USD bn", "vintage": "2026-03-18", "source": "tic-mfh"}
    ]
    dec = json.loads(run("data", "show", "tic.mfh.grand_total", "--start", "2025-12-01", "--json",
                         home=geostress_home).stdout)
    assert [r["value"] for r in dec] == [9271.0]


def test_unknown_series_exits_non_zero_with_suggestions(geostress_home: Path) -> None:
    proc = run("data", "show", "tic.mfh.china", home=geostress_home, check=False)
    assert proc.returncode == 1
    assert "did you mean" in proc.stderr and "tic.mfh.china_mainland" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_import_malformed_file_names_file_line_and_field(geostress_home: Path, shared_data: Path, tmp_path: Path) -> None:
    real = (shared_data / "tic_mfh_historical" / "mfhhis01.txt").read_text(encoding="utf-8")
    lines = real.split("\n")
    target = next(i for i, line in enumerate(lines) if line.startswith('"China, Mainland"'))
    lines[target] = lines[target].replace("683.9", "68x.9", 1)
    bad = tmp_path / "mfhhis01.txt"
    bad.write_text("\n".join(lines), encoding="utf-8")
    proc = run("data", "import", str(bad), "--source", "tic-mfh", home=geostress_home, check=False)
    assert proc.returncode == 1
    message = " ".join(proc.stderr.split())
    assert str(bad) in message.replace(" ", "") or "mfhhis01.txt" in message
    assert f"line {target + 1}" in message and "68x.9" in message
    assert not (geostress_home / "store" / "batches").exists() or not any(
        (geostress_home / "store" / "batches").rglob("*.parquet")
    )


def test_import_twice_then_status(geostress_home: Path, shared_data: Path, tmp_path: Path) -> None:
    real = shared_data / "tic_mfh_historical" / "mfhhis01.txt"
    copy = tmp_path / "release.txt"
    copy.write_bytes(real.read_bytes().replace(b"3/18/26", b"4/20/26"))
    first = run("data", "import", str(copy), "--source", "tic-mfh", home=geostress_home)
    assert "Imported" in first.stdout
    second = run("data", "import", str(copy), "--source", "tic-mfh", home=geostress_home)
    assert "Nothing changed" in second.stdout
    same_as_snapshot = run("data", "import", str(real), "--source", "tic-mfh", home=geostress_home)
    assert "already in the embedded snapshot" in same_as_snapshot.stdout
    status = json.loads(run("data", "status", "--json", home=geostress_home).stdout)
    origins = {(s["source"], s["origin"]) for s in status["sources"]}
    assert ("tic-mfh", "store") in origins and ("tic-mfh", "snapshot") in origins
    vint = json.loads(run("data", "show", "tic.mfh.japan", "--start", "2025-12-01", "--json", home=geostress_home).stdout)
    assert vint[0]["vintage"] == "2026-04-20"


def test_monitor_json_has_the_documented_fields(geostress_home: Path) -> None:
    report = json.loads(run("monitor", "--json", home=geostress_home).stdout)
    holder = report["holders"][0]
    for key in ("name", "latest", "latest_period", "mom", "yoy", "peak", "peak_period", "drawdown_pct", "decline_streak"):
        assert key in holder
    assert set(report["breadth_of_selling"]) >= {"share", "percentile"}
    assert set(report["gold"]) >= {"china_latest_moz", "china_streak_months"}
    assert report["yields"] and report["interest"]


def test_monitor_table_and_bad_config(geostress_home: Path, tmp_path: Path) -> None:
    table = run("monitor", home=geostress_home)
    assert "China, Mainland" in table.stdout and "Breadth of selling" in table.stdout
    bad = tmp_path / "alerts.toml"
    bad.write_text("[alerts]\nyield_1m_change_bp = -3\n")
    proc = run("monitor", "--config", str(bad), home=geostress_home, check=False)
    assert proc.returncode == 1 and "yield_1m_change_bp" in proc.stderr


def test_update_offline_says_so_and_keeps_the_snapshot(geostress_home: Path) -> None:
    env_home = geostress_home
    proc = subprocess.run(
        [GEOSTRESS, "data", "update", "tic-mfh"],
        env={**os.environ, "GEOSTRESS_HOME": str(env_home), "GEOSTRESS_OFFLINE": "1"},
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1 and "snapshot stays in use" in proc.stderr
    show = run("data", "show", "tic.mfh.japan", "--start", "2025-12-01", "--json", home=env_home)
    assert json.loads(show.stdout)[0]["value"] == 1185.5


@pytest.mark.parametrize("args", [["data", "show", "fred.dgs10", "--start", "not-a-date"], ["data", "import", "x", "--source", "nope"]])
def test_bad_parameters_are_named(geostress_home: Path, args: list[str]) -> None:
    proc = run(*args, home=geostress_home, check=False)
    assert proc.returncode != 0
    assert "--start" in proc.stderr or "unknown source 'nope'" in proc.stderr
