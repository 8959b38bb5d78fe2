"""Provenance and reproducibility: the store's portable data fingerprint, a sweep that refuses to mix two data states
(a resume after an import, Dask workers on different stores), ``provenance`` in every output, ``retrieved_at`` in
UTC whatever ``TZ`` says, and how far a run of N paths is a prefix of a run of 2N (docs/fiscal.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import geostress.run.sweep as gs
from geostress.data.ingest import import_file
from geostress.data.store import Store
from geostress.errors import DataError
from test_sweep import _stop, _wait_for

BIN = Path(sys.executable).parent
GEOSTRESS = BIN / "geostress"
#: A release of FRED's TREAST that differs from the snapshot's (as a later vintage would): values from 2025 × 0.8.
CHANGED_VINTAGE = date(2026, 11, 15)
#: A 4-chunk sweep of the baseline (the reviewer's reproduction), about a second in one process.
SWEEP_TOML = 'name = "bl_c512"\nbase = "baseline"\npaths_per_scenario = 2000\nchunk_paths = 512\nseed = 7\n'


@pytest.fixture(scope="module")
def changed_treast(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the official FRED TREAST file with the values from 2025 on scaled by 0.8."""
    raw = pd.read_csv(shared_data / "us_fiscal_fred" / "TREAST.csv")
    later = raw["date"] >= "2025-01-01"
    raw.loc[later, "value"] = raw.loc[later, "value"] * 0.8
    path = tmp_path_factory.mktemp("changed") / "TREAST.csv"
    raw.to_csv(path, index=False)
    return path


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "GEOSTRESS_HOME": str(home), "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", **extra}
    env.pop("COLUMNS", None)
    return env


def _geostress(home: Path, *args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = _env(home, COLUMNS="400", **extra)
    return subprocess.run([str(GEOSTRESS), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _import(home: Path, file: Path, cwd: Path) -> None:
    done = _geostress(home, "data", "import", str(file), "--source", "fred", "--vintage", CHANGED_VINTAGE.isoformat(),
                      cwd=cwd)
    assert done.returncode == 0, done.stderr


# -- the store's fingerprint ---------------------------------------------------------------------------------------
def test_data_fingerprint_is_portable_excludes_quarantine_and_changes_on_import(tmp_path: Path,
                                                                                changed_treast: Path) -> None:
    snapshot_only = Store(tmp_path / "empty").data_fingerprint()
    assert snapshot_only["batches"] == 0 and snapshot_only["snapshot"]
    assert snapshot_only == Store(tmp_path / "other-empty").data_fingerprint()  # no path in it
    homes = [tmp_path / "a", tmp_path / "b"]
    for home in homes:  # the same import into two homes: other paths and modification times, the same data
        import_file(changed_treast, "fred", vintage=CHANGED_VINTAGE, store=Store(home))
    a, b = (Store(h).data_fingerprint(names=True) for h in homes)
    assert a == b
    assert a["batches"] == 1 and a["snapshot"] == snapshot_only["snapshot"]
    assert a["fingerprint"] != snapshot_only["fingerprint"]
    assert a["batch_names"] == [f"fred/{p.name}" for p in Store(homes[0]).batch_files()]
    # a damaged batch is moved aside (as a read would) and is not part of what reads see
    junk = tmp_path / "c" / "store" / "batches" / "fred" / "20261115_0123456789abcdef.parquet"
    junk.parent.mkdir(parents=True)
    junk.write_bytes(b"not parquet")
    damaged = Store(tmp_path / "c")
    assert damaged.data_fingerprint() == snapshot_only
    assert damaged.quarantined_files()
    assert Store(tmp_path / "d", include_snapshot=False).data_fingerprint()["snapshot"] is None


# -- a resumed sweep never mixes two data states -------------------------------------------------------------------
def test_serial_resume_after_an_import_is_refused(tmp_path: Path, changed_treast: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    (tmp_path / "bl.toml").write_text(SWEEP_TOML, encoding="utf-8")
    first = _geostress(home, "sweep", "bl.toml", "--cluster", "serial", "--out", "out", "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["chunks"] == 4
    # the same data: a resume skips the finished chunks (as before)
    for name in ("part-000002.parquet", "part-000003.parquet"):
        (out / name).unlink()
    again = _geostress(home, "sweep", "bl.toml", "--cluster", "serial", "--out", "out", "--json", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["chunks_skipped"] == 2
    # a kill leaves two chunks; then an import changes the store: the resume is refused before any work
    kept = {p.name: p.read_bytes() for p in out.glob("part-*.parquet") if p.name < "part-000002"}
    for name in ("part-000002.parquet", "part-000003.parquet"):
        (out / name).unlink()
    _import(home, changed_treast, tmp_path)
    refused = _geostress(home, "sweep", "bl.toml", "--cluster", "serial", "--out", "out", "--json", cwd=tmp_path)
    assert refused.returncode == 1, refused.stdout  # (it resumed, mixing old-data and new-data chunks)
    now = Store(home).data_fingerprint()
    manifest = json.loads((out / "_sweep.json").read_text(encoding="utf-8"))
    before = {k: manifest["provenance"]["data"][k] for k in now}
    assert before["batches"] == 0 and before["fingerprint"] != now["fingerprint"]
    message = " ".join(refused.stderr.split())
    assert "2 of 4 chunks" in message and "other data" in message
    assert f"then snapshot {before['snapshot']}, 0 imported files (fingerprint {before['fingerprint']})" in message
    assert f"now snapshot {now['snapshot']}, 1 imported file (fingerprint {now['fingerprint']})" in message
    assert "imported since: fred/20261115_" in message
    assert "new --out" in message and "remove out" in message
    assert {p.name: p.read_bytes() for p in out.glob("part-*.parquet")} == kept  # nothing written, nothing removed
    # what the folder and the command record: the data it was started on
    assert summary["provenance"]["data"] == before
    assert manifest["provenance"]["geostress_version"] and manifest["provenance"]["baseline_vintages"]
    # into a new folder it runs on the new data, and says so
    fresh = _geostress(home, "sweep", "bl.toml", "--cluster", "serial", "--out", "out2", "--json", cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    assert json.loads(fresh.stdout)["provenance"]["data"]["fingerprint"] == now["fingerprint"]
    meta = json.loads(pq.read_schema(tmp_path / "out2" / "part-000000.parquet").metadata[b"geostress.provenance"])
    assert meta["chunk"] == 0 and meta["data"]["fingerprint"] == now["fingerprint"]


def test_a_folder_without_recorded_data_is_not_resumed(tmp_path: Path, geostress_home: Path) -> None:
    spec, base = gs.parse_sweep({"name": "old", "base": "baseline", "paths_per_scenario": 1200, "chunk_paths": 512,
                                 "seed": 3})  # fmt: skip
    out = tmp_path / "out"
    gs.sweep(spec, "serial", base=base, out=out)
    manifest = json.loads((out / gs.MANIFEST).read_text(encoding="utf-8"))
    del manifest["provenance"]  # as an older geostress wrote it
    (out / gs.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (out / "part-000002.parquet").unlink()
    with pytest.raises(DataError, match=r"did not record which data they read .* new --out, or remove"):
        gs.sweep(spec, "serial", base=base, out=out)
    assert not (out / "part-000002.parquet").exists()


# -- Dask workers on different stores -------------------------------------------------------------------------------


@pytest.fixture()
def two_homes_cluster(tmp_path: Path, changed_treast: Path) -> Iterator[tuple[Path, Path, Path]]:
    """A real ``dask scheduler`` on loopback and two ``dask worker`` processes: ``same`` on a home holding what the
    client's home holds (the snapshot only, at another path) and ``changed`` on a home with the changed TREAST
    imported. Yields (scheduler file, client home, changed home)."""
    client_home, same_home, changed_home = tmp_path / "client", tmp_path / "same", tmp_path / "changed"
    for home in (client_home, same_home):
        home.mkdir()
    _import(changed_home, changed_treast, tmp_path)
    file = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(file)], env=_env(client_home),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        _wait_for(file, 60)
        for name, home in (("same", same_home), ("changed", changed_home)):
            procs.append(subprocess.Popen([str(BIN / "dask"), "worker", "--scheduler-file", str(file), "--nthreads",
                                           "1", "--no-nanny", "--no-dashboard", "--name", name], env=_env(home),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        yield file, client_home, changed_home
    finally:
        _stop(procs)


def test_dask_workers_on_other_data_stop_the_sweep(two_homes_cluster: tuple[Path, Path, Path], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import Client

    file, client_home, changed_home = two_homes_cluster
    monkeypatch.setenv("GEOSTRESS_HOME", str(client_home))
    spec, base = gs.parse_sweep({"name": "homes", "base": "baseline", "paths_per_scenario": 4096,
                                 "chunk_paths": 512, "seed": 7})  # fmt: skip
    plan = gs.plan_sweep(spec, base)
    assert len(plan.chunks) == 8
    out = tmp_path / "out"
    with Client(scheduler_file=str(file), timeout=30) as client:
        client.wait_for_workers(2, timeout=60)
        with pytest.raises(DataError) as caught:
            gs.sweep(spec, client, base=base, out=out)
        ran = client.run(gs._worker_data, None)  # (a function the workers can import)
    message = " ".join(str(caught.value).split())
    changed = Store(changed_home).data_fingerprint()
    assert f"GEOSTRESS_HOME {changed_home}" in message and "chunk " in message
    assert f"1 imported file (fingerprint {changed['fingerprint']})" in message
    assert "0 imported files" in message and "no part file was written for it" in message
    bad = int(message.split("chunk ")[1].split()[0])
    assert not (out / plan.file_name(bad)).exists()
    # the worker on the same data at another path agrees with the client: its chunks were written
    assert sorted(v["batches"] for v in ran.values()) == [0, 1]
    for part in out.glob("part-*.parquet"):
        meta = json.loads(pq.read_schema(part).metadata[b"geostress.provenance"])
        assert meta["data"]["batches"] == 0


# -- provenance in the outputs --------------------------------------------------------------------------------------
def _run_json(home: Path, cwd: Path, out: str) -> dict:
    done = _geostress(home, "run", "baseline", "--paths", "0", "--json", "--out", out, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_run_summary_names_the_data_and_version(tmp_path: Path, changed_treast: Path) -> None:
    from geostress import __version__

    home = tmp_path / "home"
    one, two = _run_json(home, tmp_path, "r1"), _run_json(home, tmp_path, "r2")
    assert one["provenance"] == two["provenance"]  # no change: the same provenance
    for printed in (one, two):
        assert printed["baseline_vintage"] == printed["provenance"]["baseline_vintage"]  # (kept at the top)
    written = json.loads((tmp_path / "r1" / "summary.json").read_text(encoding="utf-8"))
    assert written["provenance"] == one["provenance"]
    prov = one["provenance"]
    assert prov["geostress_version"] == __version__
    assert prov["data"] == Store(home).data_fingerprint()
    _import(home, changed_treast, tmp_path)
    three = _run_json(home, tmp_path, "r3")
    assert three["provenance"]["data"]["batches"] == 1
    assert three["provenance"]["data"]["fingerprint"] != prov["data"]["fingerprint"]
    assert three["provenance"]["data"]["snapshot"] == prov["data"]["snapshot"]


def test_service_result_names_the_data(tmp_path: Path) -> None:
    from geostress.service.worker import execute

    home = tmp_path / "home"
    home.mkdir()
    folder = tmp_path / "run-1"
    folder.mkdir()
    (folder / "spec.json").write_text(json.dumps({"scenario": {"name": "svc"}, "simulation": {"paths": 0}}),
                                      encoding="utf-8")
    saved = os.environ.get("GEOSTRESS_HOME")
    try:
        assert execute(str(folder), str(home)) == 0
    finally:  # (execute sets it for its worker process)
        if saved is None:
            os.environ.pop("GEOSTRESS_HOME", None)
        else:
            os.environ["GEOSTRESS_HOME"] = saved
    result = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    prov = result["summary"]["provenance"]
    assert prov["data"] == Store(home).data_fingerprint()
    assert prov["baseline_vintage"] == result["summary"]["baseline_vintage"]


# -- retrieved_at in UTC ----------------------------------------------------------------------------------------------
def test_retrieved_at_is_utc_whatever_tz(tmp_path: Path) -> None:
    code = ("import geostress.data as gd; f = gd.get('fred.dgs10'); s = f['retrieved_at']; "
            "print(str(s.dt.tz), s.max().isoformat(), s.max().date().isoformat())")
    seen = []
    for tz in ("America/Adak", "Pacific/Kiritimati"):
        done = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path / "home", TZ=tz), capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        seen.append(done.stdout.split())
    assert seen[0] == seen[1]
    assert seen[0][0] == "UTC" and seen[0][1].endswith("+00:00")


# -- a run of N paths as a prefix of a run of 2N (docs/fiscal.md, "Seeding") ------------------------------------------
@pytest.mark.parametrize("preset", ["baseline", "china-sells-300bn", "contagion", "dash-for-cash"])
def test_n_paths_are_a_prefix_of_2n(preset: str, geostress_home: Path) -> None:
    """Fiscal-only runs: bit for bit. Coupled runs: every column bit for bit but the added net interest, a difference
    of two nearly equal float64 sums that magnifies rounding differences of about 1e-15 (docs/fiscal.md, "Seeding":
    their source is not pinned down): about 1e-12 relative, tested below 1e-11."""
    tables = {}
    for n in (100, 200):
        spec, base = gs.parse_sweep({"name": f"p{n}", "base": preset, "paths_per_scenario": n, "chunk_paths": 4096,
                                     "seed": 7})  # fmt: skip
        tables[n] = gs.sweep(spec, "serial", base=base).set_index("path").drop(columns=["chunk"])
    small, large = tables[100], tables[200].loc[tables[100].index]
    column = "added_net_interest_10y_bn"
    if preset == "baseline":
        pd.testing.assert_frame_equal(small, large, check_exact=True)
        return
    pd.testing.assert_frame_equal(small.drop(columns=[column]), large.drop(columns=[column]), check_exact=True)
    a, b = small[column].to_numpy(), large[column].to_numpy()
    rel = np.abs(a - b) / np.abs(b)
    assert rel.max() < 1e-11, rel.max()


def test_python_run_scenario_records_the_data(tmp_path: Path) -> None:
    """run_scenario itself records the provenance (the report and every Python caller get it, not only the CLI)."""
    from geostress.run.engine import run_scenario
    from geostress.spec.scenario import load_scenario

    store = Store(tmp_path / "home")
    result = run_scenario(load_scenario("china-sells-300bn").with_overrides(**{"simulation.paths": 0}), store=store)
    prov = result.summary()["provenance"]
    assert prov["data"] == store.data_fingerprint() and prov["data"]["snapshot"]
