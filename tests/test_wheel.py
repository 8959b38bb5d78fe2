"""A wheel built from the repository works from any folder: presets by name, the embedded snapshot, no checkout.

The wheel is built without build isolation (no network: setuptools comes from the dev extra) and installed into a
fresh virtual environment with ``--no-deps``; the test environment's site-packages is appended to that
environment's path for the dependencies only (a path added by a ``.pth`` line does not run that folder's own
``.pth`` files, so the editable install of the checkout stays invisible).
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the geostress wheel installed (dependencies borrowed from the test environment)."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w",
                    str(dist), str(REPO)], check=True, cwd=root, timeout=300)  # fmt: skip
    (wheel,) = dist.glob("geostress-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
                    str(wheel)], check=True, timeout=300)  # fmt: skip
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    ours = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    Path(purelib, "zz-test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    return venv


def run_outside(venv: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GEOSTRESS_", "PYTHON"))}
    env.update(GEOSTRESS_HOME=str(tmp_path / "home"), GEOSTRESS_OFFLINE="1")
    return subprocess.run([str(venv / "bin" / "geostress"), *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


def test_the_installed_package_is_the_wheel_not_the_checkout(wheel_env: Path, tmp_path: Path) -> None:
    proc = subprocess.run([str(wheel_env / "bin" / "python"), "-c", "import geostress; print(geostress.__file__)"],
                          cwd=tmp_path, capture_output=True, text=True, check=True)  # fmt: skip
    location = Path(proc.stdout.strip()).resolve()
    assert wheel_env.resolve() in location.parents and REPO not in location.parents


def test_presets_list_from_outside_the_repository(wheel_env: Path, tmp_path: Path) -> None:
    proc = run_outside(wheel_env, tmp_path, "scenarios", "list", "--json")
    assert proc.returncode == 0, proc.stderr
    names = {row["name"]: row for row in json.loads(proc.stdout)}
    assert {"baseline", "china-sells-300bn", "reserves-china-reallocates", "minerals-us-mandate"} <= set(names)
    assert names["minerals-us-mandate"]["kind"] == "minerals" and names["china-sells-300bn"]["kind"] == "scenario"
    assert all(row["packaged"] for row in names.values())


def test_a_preset_runs_by_name_from_outside_the_repository(wheel_env: Path, tmp_path: Path) -> None:
    proc = run_outside(wheel_env, tmp_path, "run", "china-sells-300bn", "--paths", "100", "--json",
                       "--out", str(tmp_path / "out"))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["scenario"] == "china-sells-300bn" and summary["ensemble"]["paths"] == 100
    assert (tmp_path / "out").is_dir() and any((tmp_path / "out").iterdir())
