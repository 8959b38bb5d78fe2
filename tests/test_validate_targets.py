"""Each derived target of ``geostress validate`` is recomputed from its official file by the script beside the
checks (``geostress.validate.targets``), so a target cannot drift from its source."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geostress.validate import REGISTRY
from geostress.validate.targets import PUBLISHED_ONLY, derive

TARGETS = {check.id: check for check in REGISTRY}


def test_every_derived_target_matches_its_official_file(shared_data: Path) -> None:
    derived = derive(shared_data)
    assert len(derived) >= 8
    for check_id, value in derived.items():
        check = TARGETS[check_id]
        assert check.target == pytest.approx(value, rel=1e-4, abs=1e-9), (check_id, check.target, value)


def test_every_check_is_either_derived_or_published(shared_data: Path) -> None:
    """Fiscal, reserves and minerals targets are accounted for: derived from a file or quoted from a publication."""
    derived = set(derive(shared_data))
    domains = ("cbo_", "reserves_tic", "reserves_safe", "usgs_", "iea_", "china_magnet", "mortgage_")
    covered = {c for c in TARGETS if c.startswith(domains)}
    assert covered <= derived | set(PUBLISHED_ONLY), sorted(covered - derived - set(PUBLISHED_ONLY))
    assert set(PUBLISHED_ONLY) <= set(TARGETS)


def test_the_script_prints_one_json_line(shared_data: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "geostress.validate.targets", str(shared_data)],
                          capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == pytest.approx(derive(shared_data))
    bad = subprocess.run([sys.executable, "-m", "geostress.validate.targets", "/nonexistent"], capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert bad.returncode == 2 and "not a folder" in bad.stderr
