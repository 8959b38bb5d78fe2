"""The vintaged store: vintages kept, idempotent imports, as_of, atomic writes that survive kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from geostress.data.sources.base import ParsedRelease, make_frame
from geostress.data.store import Store
from geostress.errors import DataError, UnknownSeriesError


def release(values: list[float], vintage: date, source: str = "test-src") -> tuple[ParsedRelease, bytes]:
    periods = pd.date_range("2025-01-31", periods=len(values), freq="ME")
    rows = [("test.series", "Test series", p, v, "USD bn") for p, v in zip(periods, values, strict=True)]
    raw = (f"{vintage}:" + ",".join(map(str, values))).encode()
    return ParsedRelease(make_frame(rows), source=source, vintage=vintage), raw


def test_new_release_adds_a_vintage_and_as_of_reproduces_the_past(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    first, raw1 = release([1.0, 2.0, 3.0], date(2025, 4, 15))
    second, raw2 = release([1.0, 2.5, 3.0, 4.0], date(2025, 5, 15))
    assert store.ingest(first, raw1).added
    assert store.ingest(second, raw2).added
    assert store.vintages("test.series") == [date(2025, 4, 15), date(2025, 5, 15)]
    now = store.get("test.series")
    assert now["value"].tolist() == [1.0, 2.5, 3.0, 4.0]
    then = store.get("test.series", as_of="2025-04-30")
    assert then["value"].tolist() == [1.0, 2.0, 3.0]
    assert set(then["vintage"].dt.date) == {date(2025, 4, 15)}
    every = store.get("test.series", all_vintages=True)
    assert len(every) == 7
    exact = store.get("test.series", vintage="2025-04-15")
    assert exact["value"].tolist() == [1.0, 2.0, 3.0]
    assert store.get("test.series", as_of="2025-01-01").empty


def test_importing_the_same_bytes_twice_changes_nothing(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    rel, raw = release([1.0, 2.0], date(2025, 4, 15))
    assert store.ingest(rel, raw).added
    files = {p: p.stat().st_mtime_ns for p in store.batch_files()}
    again = store.ingest(rel, raw)
    assert not again.added and again.reason == "already imported"
    assert {p: p.stat().st_mtime_ns for p in store.batch_files()} == files


def test_unknown_series_suggests_close_matches(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    rel, raw = release([1.0], date(2025, 4, 15))
    store.ingest(rel, raw)
    with pytest.raises(UnknownSeriesError, match="did you mean: test.series"):
        store.get("test.seris")


def test_bad_date_parameter_is_named(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    rel, raw = release([1.0], date(2025, 4, 15))
    store.ingest(rel, raw)
    with pytest.raises(DataError, match="as_of='yesterday'"):
        store.get("test.series", as_of="yesterday")


def test_catalog_lists_coverage_and_latest_vintage(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    for values, vint in (([1.0, 2.0], date(2025, 4, 15)), ([1.0, 2.0, 3.0], date(2025, 5, 15))):
        rel, raw = release(values, vint)
        store.ingest(rel, raw)
    row = store.catalog().set_index("series_id").loc["test.series"]
    assert row["observations"] == 3 and row["vintages"] == 2
    assert row["latest_vintage"] == pd.Timestamp("2025-05-15")
    assert row["start"] == pd.Timestamp("2025-01-31") and row["end"] == pd.Timestamp("2025-03-31")


def _new_release_of(real: bytes) -> bytes:
    """The TIC file as a later release: a new footer date and one revised value."""
    text = real.decode("utf-8")
    assert "3/18/26" in text
    return text.replace("3/18/26", "4/20/26").replace("683.5", "690.1", 1).encode("utf-8")


def test_kill_9_mid_write_leaves_the_previous_vintage_intact(
    geostress_home: Path, shared_data: Path, tmp_path: Path
) -> None:
    real = shared_data / "tic_mfh_historical" / "mfhhis01.txt"
    from geostress.data import import_file

    first = import_file(real, "tic-mfh", store=Store(include_snapshot=False))
    assert first.added
    newer = tmp_path / "mfhhis01.txt"
    newer.write_bytes(_new_release_of(real.read_bytes()))

    env = {**os.environ, "GEOSTRESS_HOME": str(geostress_home), "GEOSTRESS_DEBUG_WRITE_DELAY": "30"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "geostress.cli", "data", "import", str(newer), "--source", "tic-mfh"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    batch_dir = geostress_home / "store" / "batches" / "tic-mfh"
    deadline = time.monotonic() + 60

    def half_written() -> list[Path]:  # the writer flushes a row group, then sleeps: data on disk, no footer yet
        return [p for p in batch_dir.iterdir() if p.name.endswith(".tmp") and p.stat().st_size > 0]

    while not (batch_dir.is_dir() and half_written()):
        assert proc.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline, "no half-written temporary file appeared within 60 s"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    store = Store(include_snapshot=False)
    assert store.vintages("tic.mfh.china_mainland") == [date(2026, 3, 18)]
    dec = store.get("tic.mfh.china_mainland", start="2025-12-31", end="2025-12-31")
    assert dec["value"].tolist() == [683.5]

    # The same import, run to completion, adds the new vintage; as_of still reproduces the old one.
    done = subprocess.run(
        [sys.executable, "-m", "geostress.cli", "data", "import", str(newer), "--source", "tic-mfh"],
        env={**env, "GEOSTRESS_DEBUG_WRITE_DELAY": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    store = Store(include_snapshot=False)
    assert store.vintages("tic.mfh.china_mainland") == [date(2026, 3, 18), date(2026, 4, 20)]
    assert store.get("tic.mfh.china_mainland", start="2025-12-31", end="2025-12-31")["value"].tolist() == [690.1]
    old = store.get("tic.mfh.china_mainland", start="2025-12-31", end="2025-12-31", as_of="2026-03-31")
    assert old["value"].tolist() == [683.5]
