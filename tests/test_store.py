"""The vintaged store: vintages kept, idempotent imports, as_of, atomic writes that survive kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geostress.data.sources.base import ParsedRelease, make_frame
from geostress.data.store import Store, VintageError, period_bound
from geostress.errors import DataError, ParseError, UnknownSeriesError


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
    with pytest.raises(VintageError, match="holds vintages from 2025-04-15; import older releases"):
        store.get("test.series", as_of="2025-01-01")


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
        check=False, env={**env, "GEOSTRESS_DEBUG_WRITE_DELAY": "0"},
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


# ---------------------------------------------------------------- dates as people type them (issue 16)


def monthly_store(values: list[float], vintage: date = date(2025, 6, 15)) -> Store:
    store = Store(include_snapshot=False)
    rel, raw = release(values, vintage)
    store.ingest(rel, raw)
    return store


def test_partial_dates_mean_the_whole_period(geostress_home: Path) -> None:
    store = monthly_store([1.0, 2.0, 3.0, 4.0])  # Jan..Apr 2025, stored at month ends
    feb = store.get("test.series", start="2025-02", end="2025-02")
    assert feb["period"].tolist() == [pd.Timestamp("2025-02-28")]
    assert store.get("test.series", end="2025-03")["value"].tolist() == [1.0, 2.0, 3.0]
    assert store.get("test.series", start="2025")["value"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert store.get("test.series", start="2025-Q2")["value"].tolist() == [4.0]
    assert store.get("test.series", end="2025Q1")["value"].tolist() == [1.0, 2.0, 3.0]
    # a full date is that day: 2025-02-01 is before February's month-end observation
    assert store.get("test.series", end="2025-02-01")["value"].tolist() == [1.0]
    # as_of partial: everything released by the end of that month
    assert len(store.get("test.series", as_of="2025-06")) == 4


def test_partial_dates_through_the_python_api(geostress_home: Path) -> None:
    import geostress.data as gd

    monthly_store([1.0, 2.0, 3.0])
    frame = gd.get("test.series", start="2025-02", end="2025-02")
    assert frame["value"].tolist() == [2.0]


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"start": "2025-13"}, "start='2025-13'"),
        ({"end": "20x5"}, "end='20x5'"),
        ({"as_of": "yesterday"}, "as_of='yesterday'"),
        ({"start": "2025-02-30"}, "start='2025-02-30'"),
        ({"end": "2025-Q5"}, "end='2025-Q5'"),
    ],
)
def test_bad_dates_name_the_parameter(geostress_home: Path, kwargs: dict[str, str], named: str) -> None:
    store = monthly_store([1.0])
    with pytest.raises(DataError, match=named.replace("(", r"\(")):
        store.get("test.series", **kwargs)


def test_start_after_end_is_refused(geostress_home: Path) -> None:
    with pytest.raises(DataError, match="is after end"):
        monthly_store([1.0]).get("test.series", start="2025-03", end="2025-02")


def test_partial_vintage_picks_the_one_release_of_that_month(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    for values, vint in (([1.0, 2.0], date(2025, 4, 15)), ([1.5, 2.5], date(2025, 5, 15))):
        rel, raw = release(values, vint)
        store.ingest(rel, raw)
    assert store.get("test.series", vintage="2025-04")["value"].tolist() == [1.0, 2.0]
    with pytest.raises(DataError, match="matches 2 releases: 2025-04-15, 2025-05-15"):
        store.get("test.series", vintage="2025")
    with pytest.raises(DataError, match="matches no release"):
        store.get("test.series", vintage="2024-04")


# ---------------------------------------------------------------- vintages are never invented


def bare(values: list[float], *, printed: date | None = None, hint: str = "") -> tuple[ParsedRelease, bytes]:
    rel, raw = release(values, date(2025, 4, 15))
    return ParsedRelease(rel.observations, source="test-src", vintage=printed, missing_vintage_hint=hint), raw


def test_a_file_without_a_release_date_needs_one(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    rel, raw = bare([1.0])
    with pytest.raises(ParseError, match="prints no release date.*pass --vintage") as info:
        store.ingest(rel, raw, origin="series.csv")
    assert info.value.file == "series.csv" and info.value.field == "release date"
    assert store.batch_files() == []
    assert store.ingest(rel, raw, vintage=date(2025, 3, 1)).vintages == (date(2025, 3, 1),)


def test_a_download_of_a_source_that_prints_no_date_takes_the_download_date(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    rel, raw = bare([1.0])
    when = datetime(2025, 7, 1, 12, tzinfo=UTC)
    assert store.ingest(rel, raw, retrieved_at=when, downloaded=True).vintages == (date(2025, 7, 1),)
    # ... but not a file of a source that normally prints one (cut short): never the download date
    cut, raw2 = bare([2.0], hint="the footer is missing")
    with pytest.raises(ParseError, match="the footer is missing.*pass --vintage"):
        store.ingest(cut, raw2 + b"x", retrieved_at=when, downloaded=True)


def test_the_printed_date_wins_and_a_contradicting_vintage_is_refused(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    rel, raw = bare([1.0], printed=date(2025, 4, 15))
    contradicts = "--vintage 2025-05-01 contradicts the release date printed in the file, 2025-04-15"
    with pytest.raises(ParseError, match=contradicts):
        store.ingest(rel, raw, vintage=date(2025, 5, 1))
    assert store.batch_files() == []
    assert store.ingest(rel, raw, vintage=date(2025, 4, 15)).vintages == (date(2025, 4, 15),)


@pytest.mark.parametrize("when", [date(9999, 12, 31), date(1850, 1, 1)])
def test_implausible_release_dates_are_refused(geostress_home: Path, when: date) -> None:
    rel, raw = bare([1.0], printed=when)
    with pytest.raises(ParseError, match=f"release date {when:%Y-%m-%d}.*implausible"):
        Store(include_snapshot=False).ingest(rel, raw)


@pytest.mark.parametrize(
    ("value", "unit", "why"),
    [
        (1e308, "USD bn", "outside"),
        (float("inf"), "percent", "not a finite number"),
        (-3.0, "tonnes", "negative"),
        (5000.0, "percent", r"outside \(-1000.0, 1000.0\)"),
        (-1.0, "USD/troy oz", "negative"),
        (-0.5, "index 2017=100", "negative"),
        (2e13, "widgets", "outside"),
    ],
)
def test_implausible_values_are_refused_naming_series_and_period(
    geostress_home: Path, value: float, unit: str, why: str
) -> None:
    rows = [("test.series", "Test series", pd.Timestamp("2025-01-31"), 1.0, unit),
            ("test.series", "Test series", pd.Timestamp("2025-02-28"), value, unit)]  # fmt: skip
    rel = ParsedRelease(make_frame(rows), source="test-src", vintage=date(2025, 4, 15))
    store = Store(include_snapshot=False)
    with pytest.raises(ParseError, match=f"test.series at 2025-02-28 is implausible.*{why}") as info:
        store.ingest(rel, b"raw", origin="bad.csv")
    assert info.value.file == "bad.csv" and info.value.field == "Test series"
    assert store.batch_files() == []


def test_range_errors_name_the_line_when_the_parser_recorded_it(geostress_home: Path) -> None:
    rows = [("test.series", "Test series", pd.Timestamp("2025-01-31"), 1.0, "percent"),
            ("test.series", "Test series", pd.Timestamp("2025-02-28"), 1e308, "percent")]  # fmt: skip
    lines = {("test.series", pd.Timestamp("2025-01-31")): 7, ("test.series", pd.Timestamp("2025-02-28")): 8}
    rel = ParsedRelease(make_frame(rows), source="test-src", vintage=date(2025, 4, 15), line_of=lines)
    with pytest.raises(ParseError, match="bad.csv, line 8, field 'Test series': value 1e\\+308") as info:
        Store(include_snapshot=False).ingest(rel, b"raw", origin="bad.csv")
    assert info.value.line == 8


def test_periods_outside_1700_2200_are_refused(geostress_home: Path) -> None:
    frame = make_frame([("test.series", "Test series", pd.Timestamp("2025-01-31"), 1.0, "USD bn")])
    frame["period"] = frame["period"].astype(object)
    frame.loc[0, "period"] = date(2999, 12, 31)
    rel = ParsedRelease(frame, source="test-src", vintage=date(2025, 4, 15))
    with pytest.raises(ParseError, match="period 2999-12-31 .* outside 1700-2200"):
        Store(include_snapshot=False).ingest(rel, b"raw", origin="bad.csv")


# ---------------------------------------------------------------- as_of before the store's first vintage


def test_as_of_before_every_vintage_says_when_the_store_starts(geostress_home: Path) -> None:
    store = monthly_store([1.0, 2.0], vintage=date(2025, 6, 15))
    with pytest.raises(VintageError, match="the store holds vintages from 2025-06-15; import older releases"):
        store.get("test.series", as_of="2024-12-31")
    # an as_of that only the window empties is not an error: nothing in that window, that is all
    assert store.get("test.series", as_of="2025-06-30", start="2030").empty


# ---------------------------------------------------------------- damaged batches, stale temporary files


def test_a_damaged_batch_is_quarantined_and_the_rest_still_reads(
    geostress_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store(include_snapshot=False)
    good, raw1 = release([1.0, 2.0], date(2025, 4, 15))
    newer, raw2 = release([1.5, 2.5, 3.5], date(2025, 5, 15))
    store.ingest(good, raw1)
    damaged = store.ingest(newer, raw2).path
    assert damaged is not None
    data = damaged.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])  # cut in the middle: no Parquet footer
    token = store.change_token()

    fresh = Store(include_snapshot=False)  # another command, later
    with caplog.at_level("WARNING", logger="geostress.data.store"):
        frame = fresh.get("test.series")
    assert frame["value"].tolist() == [1.0, 2.0]  # the intact vintage
    assert not damaged.exists()
    [note] = fresh.quarantined
    assert note.moved_to.is_file() and note.moved_to.read_bytes() == data[: len(data) // 2]
    assert note.moved_to.parent == geostress_home / "store" / "quarantine" / "test-src"
    text = note.moved_to.with_suffix(".txt").read_text(encoding="utf-8")
    assert "geostress data import FILE --source NAME" in text and str(damaged) in text
    assert "is damaged" in caplog.text and "Import the official file it came from again" in caplog.text
    assert fresh.change_token() != token
    # the same bytes import again once the damaged batch is gone
    assert fresh.ingest(newer, raw2).added


def test_a_batch_with_foreign_columns_is_quarantined(geostress_home: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    store = monthly_store([1.0])
    alien = store.batches_dir / "test-src" / "20250101_0000000000000000.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), alien)
    assert store.get("test.series")["value"].tolist() == [1.0]
    assert not alien.exists() and "columns" in store.quarantined[0].reason


def test_stale_temporary_files_are_removed_by_the_next_import(geostress_home: Path) -> None:
    store = monthly_store([1.0])
    folder = store.batches_dir / "test-src"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = folder / f".20250615_abc.parquet.{dead.pid}-0123abcd.tmp"
    live = folder / f".20250615_def.parquet.{os.getppid()}-4567cdef.tmp"  # a writer that is still running
    old = folder / ".20250615_ghi.parquet.89abcdef.tmp"  # the older naming, no process id
    fresh = folder / f".20250615_jkl.parquet.{dead.pid}-89abcdef.tmp"  # gone, but touched seconds ago: kept
    for path in (stale, live, old, fresh):
        path.write_bytes(b"PAR1 half written")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    os.utime(stale, (time.time() - 120, time.time() - 120))
    os.utime(live, (time.time() - 120, time.time() - 120))
    rel, raw = release([1.0, 2.0], date(2025, 7, 1))
    store.ingest(rel, raw)
    assert not stale.exists() and not old.exists()
    assert live.exists() and fresh.exists()


def test_change_token_follows_imports(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    empty = store.change_token()
    rel, raw = release([1.0], date(2025, 4, 15))
    store.ingest(rel, raw)
    once = store.change_token()
    assert once != empty and Store(include_snapshot=False).change_token() == once
    store.ingest(rel, raw)  # the same bytes: nothing changes
    assert store.change_token() == once


# ---------------------------------------------------------------- the snapshot swaps atomically (real SIGKILL)

BUILD = """
import sys
from datetime import date
from pathlib import Path
from geostress.data.snapshot import SnapshotFile, build_snapshot
spec = SnapshotFile("fred", "GS10.csv", date(2026, 6, 25), "test")
build_snapshot(Path(sys.argv[1]), out_dir=Path(sys.argv[2]), files=(spec,))
"""


def _fred_copy(shared_data: Path, folder: Path, *, bump: float = 0.0) -> Path:
    """A copy of FRED's GS10.csv in ``folder``, its last value raised by ``bump``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = (shared_data / "us_treasury_yields_fred_monthly" / "GS10.csv").read_text(encoding="utf-8").splitlines()
    day, value = lines[-1].split(",")
    lines[-1] = f"{day},{float(value) + bump:.2f}"
    (folder / "GS10.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _consistent(out: Path) -> tuple[float, set[str]]:
    """The last GS10 value the snapshot under ``out`` serves; asserts its data file and manifest match."""
    from geostress.data.store import snapshot_manifest, snapshot_paths

    data, manifest = snapshot_paths(out)
    assert data is not None and manifest is not None and data.parent == manifest.parent
    shas = {str(entry["sha256"]) for entry in snapshot_manifest(out)["files"]}  # type: ignore[union-attr]
    store = Store(out.parent / "home", snapshot_dir=out)
    frame = store.get("fred.gs10")
    assert set(frame["sha256"]) == shas
    return float(frame["value"].iloc[-1]), shas


@pytest.mark.parametrize(
    ("env", "step"),
    [("GEOSTRESS_DEBUG_WRITE_DELAY", "writing the data file"), ("GEOSTRESS_DEBUG_SNAPSHOT_PAUSE", "before CURRENT")],
)
def test_kill_9_during_a_snapshot_build_leaves_the_previous_snapshot(
    shared_data: Path, tmp_path: Path, env: str, step: str
) -> None:
    from geostress.data.snapshot import SnapshotFile, build_snapshot

    out = tmp_path / "snapshot"
    old_dir = _fred_copy(shared_data, tmp_path / "old")
    build_snapshot(old_dir, out_dir=out, files=(SnapshotFile("fred", "GS10.csv", date(2026, 6, 25)),))
    before, old_shas = _consistent(out)
    current = (out / "CURRENT").read_text()

    new_dir = _fred_copy(shared_data, tmp_path / "new", bump=1.0)
    proc = subprocess.Popen(
        [sys.executable, "-c", BUILD, str(new_dir), str(out)],
        env={**os.environ, env: "30"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def reached() -> bool:
        if env == "GEOSTRESS_DEBUG_WRITE_DELAY":  # a half-written data file in the hidden build folder
            return any(p.stat().st_size > 0 for p in out.glob(".building-*/.observations.parquet.*.tmp"))
        return any((p / "manifest.json").is_file() for p in out.glob("v*") if p.name != current.strip())

    deadline = time.monotonic() + 60
    while not reached():
        assert proc.poll() is None, f"the build finished before it could be killed ({step})"
        assert time.monotonic() < deadline, f"the build never reached the step {step!r}"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    assert (out / "CURRENT").read_text() == current
    assert _consistent(out) == (before, old_shas)

    # the next build goes through and removes what the killed one left behind
    build_snapshot(new_dir, out_dir=out, files=(SnapshotFile("fred", "GS10.csv", date(2026, 6, 25)),))
    after, new_shas = _consistent(out)
    assert after == pytest.approx(before + 1.0) and new_shas != old_shas
    assert sorted(p.name for p in out.iterdir()) == ["CURRENT", (out / "CURRENT").read_text().strip()]


def test_a_build_replaces_the_older_flat_layout(shared_data: Path, tmp_path: Path) -> None:
    from geostress.data.snapshot import SnapshotFile, build_snapshot, clean_snapshot_dir

    out = tmp_path / "snapshot"
    data_dir = _fred_copy(shared_data, tmp_path / "data")
    spec = SnapshotFile("fred", "GS10.csv", date(2026, 6, 25))
    build_snapshot(data_dir, out_dir=out, files=(spec,))
    version = out / (out / "CURRENT").read_text().strip()
    # the flat layout of older builds, plus leftovers of a dead build and an old version
    for name in ("observations.parquet", "manifest.json"):
        (out / name).write_bytes((version / name).read_bytes())
    (out / "v20200101T000000-00000000").mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / f".building-{dead.pid}-0123abcd").mkdir()
    removed = {p.name for p in clean_snapshot_dir(out)}
    assert removed == {"observations.parquet", "manifest.json", "v20200101T000000-00000000",
                       f".building-{dead.pid}-0123abcd"}  # fmt: skip
    _consistent(out)
    # a folder with only the flat layout is still read
    flat = tmp_path / "flat"
    flat.mkdir()
    for name in ("observations.parquet", "manifest.json"):
        (flat / name).write_bytes((version / name).read_bytes())
    _consistent(flat)


def test_a_snapshot_over_the_size_limit_changes_nothing(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geostress.data import snapshot

    out = tmp_path / "snapshot"
    data_dir = _fred_copy(shared_data, tmp_path / "data")
    spec = snapshot.SnapshotFile("fred", "GS10.csv", date(2026, 6, 25))
    snapshot.build_snapshot(data_dir, out_dir=out, files=(spec,))
    listing = sorted(p.name for p in out.iterdir())
    monkeypatch.setattr(snapshot, "SNAPSHOT_LIMIT_BYTES", 100)
    with pytest.raises(DataError, match="over the 5 MB limit"):
        snapshot.build_snapshot(_fred_copy(shared_data, tmp_path / "new", bump=1.0), out_dir=out, files=(spec,))
    assert sorted(p.name for p in out.iterdir()) == listing


def test_a_batch_with_a_wrongly_typed_column_is_quarantined(geostress_home: Path) -> None:
    import pyarrow.parquet as pq

    store = monthly_store([1.0])
    [batch] = store.batch_files()
    table = pq.read_table(batch)
    odd = table.set_column(table.schema.get_field_index("value"), "value", table.column("value").cast("string"))
    alien = batch.with_name("20250101_1111111111111111.parquet")
    pq.write_table(odd, alien)
    assert store.get("test.series")["value"].tolist() == [1.0]
    assert not alien.exists() and "wrong type" in store.quarantined[0].reason


# ---------------------------------------------------------------- property: partial dates bracket their period

@given(st.dates(min_value=date(1700, 1, 1), max_value=date(2200, 12, 31)))
def test_period_bound_full_dates_are_themselves_and_partials_bracket_them(day: date) -> None:
    assert period_bound(day.isoformat(), "start", "start") == day == period_bound(day.isoformat(), "end", "end")
    for text in (f"{day:%Y}", f"{day:%Y-%m}", f"{day.year}Q{(day.month - 1) // 3 + 1}"):
        first, last = period_bound(text, "start", "start"), period_bound(text, "end", "end")
        assert first is not None and last is not None
        assert first <= day <= last
        assert (last + pd.Timedelta(days=1)).day == 1 and first.day == 1  # whole months


@given(st.text(max_size=12))
def test_period_bound_refuses_any_other_text_naming_the_parameter(text: str) -> None:
    try:
        value = period_bound(text, "--start", "start")
    except DataError as exc:
        assert "--start=" in str(exc)
    else:
        assert value is not None and 1000 <= value.year <= 9999


def test_a_batch_moved_away_by_another_process_between_queries_is_not_an_error(geostress_home: Path) -> None:
    store = Store(include_snapshot=False)
    for values, vint in (([1.0, 2.0], date(2025, 4, 15)), ([1.5, 2.5], date(2025, 5, 15))):
        rel, raw = release(values, vint)
        store.ingest(rel, raw)
    assert store.get("test.series")["value"].tolist() == [1.5, 2.5]  # the view over both files is kept
    newest = store.batch_files()[-1]
    other = Store(include_snapshot=False)  # as if another command quarantined it
    other.quarantine(newest, "test")
    assert store.get("test.series")["value"].tolist() == [1.0, 2.0]


def test_two_snapshot_builds_at_once_leave_one_consistent_snapshot(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    dirs = [_fred_copy(shared_data, tmp_path / f"data{i}", bump=float(i)) for i in range(3)]
    procs = [subprocess.Popen([sys.executable, "-c", BUILD, str(d), str(out)], stderr=subprocess.PIPE, text=True)
             for d in dirs]  # fmt: skip
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
    value, _ = _consistent(out)  # one build's data file with its own manifest
    base = float((dirs[0] / "GS10.csv").read_text(encoding="utf-8").split()[-1].split(",")[1])
    assert any(value == pytest.approx(base + i) for i in range(3))
    assert sorted(p.name for p in out.iterdir()) == ["CURRENT", (out / "CURRENT").read_text().strip()]


THREAD_EXIT_SCRIPT = """
import sys, threading
from geostress.data import store as store_module
from geostress.data.store import Store
store = Store(sys.argv[1])
done = []
def read():
    done.append(len(store.get("fred.dgs10")))
for _ in range(3):
    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
alive = [t for t in store_module._OPEN if t.is_alive()]
print("rows", done, "open", len(store_module._OPEN), "alive", len(alive))
"""


def test_connections_of_finished_threads_are_closed_and_the_process_exits_cleanly(tmp_path: Path) -> None:
    """Each thread's DuckDB connection is registered by the store: a finished thread's one is closed by the next
    thread that opens one (never destroyed as its thread ends), the rest at exit; the process exits with 0."""
    done = subprocess.run([sys.executable, "-c", THREAD_EXIT_SCRIPT, str(tmp_path / "home")],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    rows, open_count = done.stdout.split("open")
    assert rows.count(",") == 2 and "[0" not in rows  # three reads, each found the series
    assert open_count.split()[0] == "1"  # only the last thread's connection is still open
    assert "terminate called" not in done.stderr
