"""Shared fixtures: the real official files in ../shared/data and an isolated store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check behaviour, not speed: no per-example deadline (a loaded 2-core CI machine is slow).
settings.register_profile("geostress", deadline=None)
settings.load_profile("geostress")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("GEOSTRESS_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real official files; tests that need it skip with a reason when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real official files not found at {SHARED_DATA} (set GEOSTRESS_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture()
def geostress_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty GEOSTRESS_HOME for one test."""
    home = tmp_path / "geostress-home"
    monkeypatch.setenv("GEOSTRESS_HOME", str(home))
    return home
