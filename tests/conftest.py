"""Shared fixtures: geostress.testing (store on the snapshot, real official files, a fresh home), the browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from geostress.testing import in_ci

pytest_plugins = ["geostress.testing"]

# Property tests check behaviour, not speed: no per-example deadline (a loaded 2-core CI machine is slow).
settings.register_profile("geostress", deadline=None)
settings.load_profile("geostress")

REPO = Path(__file__).resolve().parents[1]
#: Debian's chromium (apt-get install chromium; .ci/run installs it). Playwright never downloads a browser here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]  # fmt: skip
#: Screenshots saved by the browser tests.
ARTIFACTS = Path(os.environ.get("GEOSTRESS_TEST_ARTIFACTS") or REPO / "out" / "test-artifacts")


@pytest.fixture()
def cli(geostress_home: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``invoke(args) -> Result``: the app in this process, on the embedded snapshot, downloads off, 200 columns
    (a test file may define its own ``cli``)."""
    from typer.testing import CliRunner

    from geostress.cli.app import app

    monkeypatch.setenv("GEOSTRESS_OFFLINE", "1")
    monkeypatch.delenv("GEOSTRESS_DEBUG", raising=False)
    runner = CliRunner()
    return lambda args: runner.invoke(app, args, env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright; skipped when it is not installed (failed under ``CI``)."""
    if not CHROMIUM.is_file():
        message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium; see .ci/run)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (dev extra) is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder for test artifacts such as screenshots (``$GEOSTRESS_TEST_ARTIFACTS``, default out/test-artifacts)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def checker() -> Any:
    """One claims :class:`geostress.analytics.claims.check.Checker` for the session (it caches the store's series;
    tests/test_claims.py keeps its own)."""
    from geostress.analytics.claims.check import Checker

    return Checker()
