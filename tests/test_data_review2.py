"""Data review 2: the MCS 2026 "Rare Earths (Heavy)" chapter (parsed values, the Dy/Tb price of the minerals model),
a snapshot rebuild of unchanged data is a no-op, and writers of one store home take turns across processes.

Each test fails on the code before this review: the heavy chapter was not read (the Dy/Tb price was MCS 2025's
2024 one, 370 USD/kg), every ``data snapshot build`` wrote a new version, and two imports at once both stored.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from geostress.data.sources import get_source, usgs_mcs
from geostress.data.store import Store
from geostress.errors import DataError

MCS_FILE = "usgs_mcs2026_rare_earths/usgs_mcs2026_commodities_data.csv"
MCS_VINTAGE = pd.Timestamp("2026-02-06")
GS10 = "us_treasury_yields_fred_monthly/GS10.csv"
GS10_VINTAGE = date(2026, 6, 25)


# ------------------------------------------------------------------------------- 1. the Heavy chapter, real file

def heavy_rows(shared_data: Path) -> list[dict[str, str]]:
    """The rows of chapter "RARE EARTHS (Heavy)" of the real CSV, read with the csv module (cp1252)."""
    text = (shared_data / MCS_FILE).read_bytes().decode("cp1252")
    return [r for r in csv.DictReader(io.StringIO(text)) if r["MCS chapter"] == "RARE EARTHS (Heavy)"]


def expected_id(row: dict[str, str]) -> tuple[str, pd.Timestamp]:
    """The series id and period a heavy-chapter row is stored under (the scheme in docs/data.md), written out
    independently of the parser."""
    element = row["Commodity"].lower()
    if row["Statistics"] == "Price":
        return f"usgs.ree.us.price.{element}_oxide", pd.Timestamp(f"{row['Year']}-12-31")
    if row["Statistics"] == "Import":
        return "usgs.ree.heavy.us.imports.compounds_and_metals", pd.Timestamp(f"{row['Year']}-12-31")
    if row["Statistics"] == "Net import reliance":
        return "usgs.ree.heavy.us.net_import_reliance.compounds_and_metals", pd.Timestamp(f"{row['Year']}-12-31")
    assert row["Section"] == "Import Sources" and row["Year"] == "2021–24", row
    country = {"Korea, Republic of": "korea_republic_of", "Other countries": "other"}.get(row["Country"],
                                                                                        row["Country"].lower())
    return f"usgs.ree.heavy.import_sources.{element}.{country}", pd.Timestamp("2024-12-31")


def test_every_heavy_chapter_row_is_stored_with_the_csv_value(shared_data: Path) -> None:
    rows = heavy_rows(shared_data)
    assert len(rows) == 51  # PROVENANCE.md
    frame = usgs_mcs.parse((shared_data / MCS_FILE).read_bytes(), origin="MCS2026_Commodities_Data.csv").observations
    frame = frame[frame["vintage"] == MCS_VINTAGE]
    got = {(s, p): v for s, p, v in zip(frame["series_id"], frame["period"], frame["value"], strict=True)}
    for row in rows:
        key = expected_id(row)
        assert key in got, (key, row["Statistics_detail"])
        assert got[key] == float(row["Value"].replace(",", "")), (key, row["Value"])
    heavy = frame[frame["label"].str.contains("(heavy)", regex=False)
                  | frame["series_id"].str.startswith("usgs.ree.heavy.")]
    assert len(heavy) == 51  # nothing else of the chapter, nothing twice


def test_named_heavy_rows(shared_data: Path) -> None:
    """The rows the minerals model reads, as the CSV and the chapter's PDF print them (USD/kg, FOB, 2021–2025)."""
    frame = usgs_mcs.parse((shared_data / MCS_FILE).read_bytes(), origin="x.csv").observations
    frame = frame[frame["vintage"] == MCS_VINTAGE]

    def series(sid: str) -> list[float]:
        return frame[frame["series_id"] == sid].sort_values("period")["value"].tolist()

    assert series("usgs.ree.us.price.dysprosium_oxide") == [410, 382, 330, 257, 239]
    assert series("usgs.ree.us.price.terbium_oxide") == [1340, 2050, 1300, 812, 1010]
    assert series("usgs.ree.us.price.lutetium_oxide") == [811, 814, 829, 780, 888]
    assert series("usgs.ree.heavy.us.imports.compounds_and_metals") == [71, 70, 70, 74, 100]
    unit = frame.loc[frame["series_id"] == "usgs.ree.us.price.dysprosium_oxide", "unit"]
    assert set(unit) == {"USD/kg"}
    label = frame.loc[frame["series_id"] == "usgs.ree.us.price.terbium_oxide", "label"].iloc[-1]
    assert "Terbium oxide, 99.99% minimum" in label and "estimated" in label
    assert series("usgs.ree.heavy.import_sources.erbium.germany") == [51]
    # the light chapter's series of the same names are untouched
    assert series("usgs.ree.us.net_import_reliance.compounds_and_metals")[-1] == 67


def test_the_snapshot_holds_both_editions_of_the_dy_price() -> None:
    store = Store(include_snapshot=True, home=Path("/nonexistent-geostress-home"))
    dy = store.get("usgs.ree.us.price.dysprosium_oxide")
    assert dy[dy["period"].dt.year == 2025]["value"].tolist() == [239.0]
    assert dy[dy["period"].dt.year == 2024]["value"].tolist() == [257.0]  # MCS 2026's revision
    old = store.get("usgs.ree.us.price.dysprosium_oxide", as_of=date(2026, 2, 5))
    assert old[old["period"].dt.year == 2024]["value"].tolist() == [260.0]  # as MCS 2025 printed it
    assert old["period"].dt.year.max() == 2024


def test_the_dytb_basket_is_computed_from_the_2025_csv_prices(shared_data: Path) -> None:
    from geostress.calibrate.minerals import build_network, load_facts
    from geostress.model.minerals import ELEMENTS

    price = {r["Commodity"]: float(r["Value"].replace(",", "")) for r in heavy_rows(shared_data)
             if r["Statistics"] == "Price" and r["Year"] == "2025"}
    weights = load_facts()["prices"]["dytb_weights"]
    assert weights == [0.8, 0.2]
    calib = build_network()
    dytb = float(calib.base_price[ELEMENTS.index("dytb")])
    assert dytb == pytest.approx(0.8 * price["Dysprosium"] + 0.2 * price["Terbium"])
    assert dytb == pytest.approx(393.2)
    assert calib.price_sources["dytb"] == ("usgs.ree.us.price.dysprosium_oxide (2025); "
                                           "usgs.ree.us.price.terbium_oxide (2025)")
    # the 2024 base still reads MCS 2025 (Dy 260, Tb 810)
    old = build_network(base_year=2024)
    assert float(old.base_price[ELEMENTS.index("dytb")]) == pytest.approx(0.8 * 260 + 0.2 * 810)


# ------------------------------------------------------------------------ 2. a rebuild of unchanged data: no-op

def gs10_copy(shared_data: Path, folder: Path, *, bump: float = 0.0) -> Path:
    """A copy of FRED's GS10.csv (a small real file) in ``folder``, its last value raised by ``bump``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = (shared_data / GS10).read_text(encoding="utf-8").splitlines()
    day, value = lines[-1].split(",")
    lines[-1] = f"{day},{float(value) + bump:.2f}"
    (folder / "GS10.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def listing(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in sorted(out.rglob("*"))}


def test_a_rebuild_with_the_same_content_leaves_the_current_version(shared_data: Path, tmp_path: Path) -> None:
    from geostress.data.snapshot import SnapshotFile, build_snapshot

    out = tmp_path / "snapshot"
    spec = (SnapshotFile("fred", "GS10.csv", GS10_VINTAGE, "test"),)
    data = gs10_copy(shared_data, tmp_path / "data")
    first = build_snapshot(data, out_dir=out, files=spec)
    assert first["unchanged"] is False
    before = listing(out)
    time.sleep(1.1)  # a new build time (the version name has seconds): only the content may decide
    second = build_snapshot(data, out_dir=out, files=spec)
    assert second["unchanged"] is True and second["version"] == first["version"]
    assert listing(out) == before  # nothing written, CURRENT untouched
    assert second["built_at"] == first["built_at"]
    # a changed value is new content: a new version
    third = build_snapshot(gs10_copy(shared_data, tmp_path / "new", bump=1.0), out_dir=out, files=spec)
    assert third["unchanged"] is False and third["version"] != first["version"]
    assert (out / "CURRENT").read_text().strip() == third["version"]
    # and so is a changed note (manifest content), though the data are the same
    fourth = build_snapshot(tmp_path / "new", out_dir=out, files=(SnapshotFile("fred", "GS10.csv", GS10_VINTAGE,
                                                                               "other note"),))
    assert fourth["unchanged"] is False


def test_the_command_says_the_snapshot_is_unchanged(shared_data: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from geostress.cli.app import app
    from geostress.data import snapshot

    out = tmp_path / "snapshot"
    real = snapshot.build_snapshot
    spec = (snapshot.SnapshotFile("fred", "GS10.csv", GS10_VINTAGE, "test"),)
    monkeypatch.setattr(snapshot, "build_snapshot", lambda data_dir: real(data_dir, out_dir=out, files=spec))
    data = gs10_copy(shared_data, tmp_path / "data")
    runner = CliRunner()
    first = runner.invoke(app, ["data", "snapshot", "build", "--from", str(data)], env={"COLUMNS": "200"})
    assert first.exit_code == 0 and "Snapshot:" in first.output, first.output
    version = (out / "CURRENT").read_text().strip()
    second = runner.invoke(app, ["data", "snapshot", "build", "--from", str(data)], env={"COLUMNS": "200"})
    assert second.exit_code == 0, second.output
    text = " ".join(second.output.split())
    assert "Snapshot unchanged" in text and version in text and "nothing was written" in text
    assert (out / "CURRENT").read_text().strip() == version


# ------------------------------------------------------------- 3. writers of one home take turns across processes

IMPORT = """
import json, sys, time
from datetime import date
from pathlib import Path
from geostress.data.sources import get_source
from geostress.data.store import Store
from geostress.errors import DataError
home, file, ready, go = (Path(a) for a in sys.argv[1:5])
raw = file.read_bytes()
release = get_source("fred").parse(raw, origin=str(file))
store = Store(home, include_snapshot=False)
ready.write_text("1")
while not go.exists():
    time.sleep(0.005)
try:
    res = store.ingest(release, raw, vintage=date(2026, 6, 25), origin=str(file))
    print(json.dumps({"stored": res.added, "rows": res.rows, "reason": res.reason}))
except DataError as exc:
    print(json.dumps({"error": str(exc)}))
"""


def import_at_once(home: Path, files: list[Path], tmp_path: Path, delay: float = 1.5) -> list[dict[str, object]]:
    """Import ``files`` into ``home`` from one process each, released at the same moment; each writes its batch
    slowly (``GEOSTRESS_DEBUG_WRITE_DELAY``), so on unguarded code the writes overlap."""
    go = tmp_path / "go"
    readies = [tmp_path / f"ready{i}" for i in range(len(files))]
    env = {**os.environ, "GEOSTRESS_DEBUG_WRITE_DELAY": str(delay)}
    procs = [subprocess.Popen([sys.executable, "-c", IMPORT, str(home), str(f), str(r), str(go)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f, r in zip(files, readies, strict=True)]
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in readies):
        assert all(p.poll() is None for p in procs), [p.communicate()[1][-2000:] for p in procs]
        assert time.monotonic() < deadline, "the importing processes never got ready"
        time.sleep(0.02)
    go.write_text("1")
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr[-2000:]
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def single_import(file: Path, home: Path) -> pd.DataFrame:
    raw = file.read_bytes()
    store = Store(home, include_snapshot=False)
    store.ingest(get_source("fred").parse(raw, origin=str(file)), raw, vintage=GS10_VINTAGE)
    return store.get("fred.gs10").drop(columns=["retrieved_at"])


def test_two_processes_importing_one_file_at_once_store_it_once(shared_data: Path, tmp_path: Path) -> None:
    file = gs10_copy(shared_data, tmp_path / "data") / "GS10.csv"
    home = tmp_path / "home"
    results = import_at_once(home, [file, file], tmp_path)
    stored = [r for r in results if r.get("stored")]
    assert len(stored) == 1, results  # unguarded, both processes found no batch and both wrote one
    (other,) = [r for r in results if not r.get("stored")]
    assert "already imported" in str(other["reason"]) and other["rows"] == 0
    store = Store(home, include_snapshot=False)
    assert len(store.batch_files()) == 1
    assert not list((home / "store" / "batches").rglob("*.tmp"))
    pd.testing.assert_frame_equal(store.get("fred.gs10").drop(columns=["retrieved_at"]),
                                  single_import(file, tmp_path / "reference"))


def test_two_conflicting_files_of_one_vintage_at_once_store_one(shared_data: Path, tmp_path: Path) -> None:
    """Two copies of one release that differ in one value, imported at once: one is stored, the other refused as
    a conflicting release of the same vintage (unguarded, neither saw the other and both were stored, so the
    later retrieval silently won)."""
    files = [gs10_copy(shared_data, tmp_path / f"data{i}", bump=float(i)) / "GS10.csv" for i in range(2)]
    home = tmp_path / "home"
    results = import_at_once(home, files, tmp_path)
    winners = [i for i, r in enumerate(results) if r.get("stored")]
    assert len(winners) == 1, results
    (loser,) = [r for r in results if "error" in r]
    assert "one vintage holds one set of values" in str(loser["error"])
    store = Store(home, include_snapshot=False)
    assert len(store.batch_files()) == 1
    pd.testing.assert_frame_equal(store.get("fred.gs10").drop(columns=["retrieved_at"]),
                                  single_import(files[winners[0]], tmp_path / "reference"))


def test_a_writer_that_cannot_get_the_lock_stops_and_readers_go_on(shared_data: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    home = tmp_path / "home"
    first = gs10_copy(shared_data, tmp_path / "data") / "GS10.csv"
    single_import(first, home)
    store = Store(home, include_snapshot=False)
    before = store.batch_files()
    lock = home / "store"  # the folder itself is locked: no lock file
    monkeypatch.setenv("GEOSTRESS_WRITE_LOCK_TIMEOUT", "0.3")
    raw = (gs10_copy(shared_data, tmp_path / "later") / "GS10.csv").read_bytes() + b"2100-01-01,1.00\n"
    release = get_source("fred").parse(raw, origin="later/GS10.csv")
    holder = os.open(lock, os.O_RDONLY)
    try:  # as another process in the middle of an import
        fcntl.flock(holder, fcntl.LOCK_EX)
        started = time.monotonic()
        with pytest.raises(DataError) as info:
            store.ingest(release, raw, vintage=date(2026, 7, 1))
        assert 0.25 <= time.monotonic() - started < 10
        text = str(info.value)
        assert str(home) in text and str(lock) in text and "GEOSTRESS_WRITE_LOCK_TIMEOUT" in text
        assert "nothing was written" in text
        # readers do not wait for the writer
        started = time.monotonic()
        assert len(store.get("fred.gs10")) > 100
        assert time.monotonic() - started < 5
    finally:
        os.close(holder)  # releases the lock
    assert store.batch_files() == before
    # once the lock is free the import goes through
    assert store.ingest(release, raw, vintage=date(2026, 7, 1)).added


def test_a_bad_lock_timeout_is_refused_naming_the_variable(shared_data: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    file = gs10_copy(shared_data, tmp_path / "data") / "GS10.csv"
    raw = file.read_bytes()
    monkeypatch.setenv("GEOSTRESS_WRITE_LOCK_TIMEOUT", "soon")
    with pytest.raises(DataError, match="GEOSTRESS_WRITE_LOCK_TIMEOUT='soon'"):
        Store(tmp_path / "home", include_snapshot=False).ingest(get_source("fred").parse(raw, origin="GS10.csv"),
                                                                raw, vintage=GS10_VINTAGE)
