"""The service's data routes: every catalog id fetchable, partial dates, and new data right after a CLI import."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from geostress.service import create_app
from geostress.service.cache import TTLCache

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette: "use httpx2" (the suite pins httpx)
    from fastapi.testclient import TestClient

CHINA = "tic.mfh.china_mainland"


@pytest.fixture()
def client(geostress_home: Path, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(service_dir=tmp_path / "service", store_home=geostress_home)) as c:
        yield c


def test_every_catalog_series_is_fetchable(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from geostress.service import views

    ids = [entry["series_id"] for entry in client.get("/api/catalog").json()["series"]]
    longest = sorted(ids, key=len)[-4:]
    assert len(longest[-1]) >= 81  # the two longest Fiscal Data ids, over the old limit of 80
    for sid in longest:  # really read
        answer = client.get(f"/api/series/{sid}")
        assert answer.status_code == 200 and answer.json()["series_id"] == sid
        assert answer.json()["observations"]
    # every id passes the route's validation and lookup (the store read itself is stubbed: about 0.1 s each)
    real = views.series_payload
    monkeypatch.setattr(views, "series_payload", lambda store, entry, **kw: {
        "series_id": entry["series_id"], "label": entry.get("label"), "unit": entry.get("unit"), "observations": []})
    failed = {}
    for sid in ids:
        answer = client.get(f"/api/series/{sid}", params={"start": "2025-06"})
        if answer.status_code != 200 or answer.json()["series_id"] != sid:
            failed[sid] = answer.status_code
    assert failed == {} and len(ids) > 300
    monkeypatch.setattr(views, "series_payload", real)
    assert client.get("/api/series/" + "x" * 161).status_code == 422


def test_partial_dates_mean_the_whole_period(client: TestClient) -> None:
    nov = client.get(f"/api/series/{CHINA}", params={"start": "2013-11", "end": "2013-11"}).json()
    assert nov["observations"] == [{"period": "2013-11-30", "value": 1316.7, "vintage": "2026-03-18"}]
    year = client.get(f"/api/series/{CHINA}", params={"start": "2025"}).json()["observations"]
    assert [o["period"] for o in year][:1] == ["2025-01-31"] and len(year) == 12


@pytest.mark.parametrize(("param", "value"), [("start", "2013-13"), ("end", "soon"), ("as_of", "2026-02-30")])
def test_a_bad_date_is_a_422_naming_the_parameter(client: TestClient, param: str, value: str) -> None:
    answer = client.get(f"/api/series/{CHINA}", params={param: value})
    assert answer.status_code == 422
    assert f"{param}='{value}'" in answer.text


def test_as_of_before_the_first_vintage_says_so(client: TestClient) -> None:
    answer = client.get(f"/api/series/{CHINA}", params={"as_of": "2020"})
    assert answer.status_code == 422
    assert "holds vintages from 2026-03-18" in answer.text and "import older releases" in answer.text


def test_a_cli_import_is_served_at_once(client: TestClient, geostress_home: Path, shared_data: Path,
                                       tmp_path: Path) -> None:  # fmt: skip
    params = {"start": "2025-12", "end": "2025-12"}
    before = client.get(f"/api/series/{CHINA}", params=params).json()["observations"]
    assert [o["value"] for o in before] == [683.5]
    text = (shared_data / "tic_mfh_historical" / "mfhhis01.txt").read_text(encoding="utf-8")
    newer = tmp_path / "mfhhis01.txt"
    newer.write_text(text.replace("3/18/26", "4/20/26").replace("683.5", "690.1", 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "geostress.cli", "data", "import", str(newer), "--source", "tic-mfh"],
        env={**os.environ, "GEOSTRESS_HOME": str(geostress_home)}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    after = client.get(f"/api/series/{CHINA}", params=params).json()["observations"]
    assert after == [{"period": "2025-12-31", "value": 690.1, "vintage": "2026-04-20"}]
    catalog = {e["series_id"]: e for e in client.get("/api/catalog").json()["series"]}
    assert catalog[CHINA]["latest_vintage"].startswith("2026-04-20")


def test_the_cache_drops_values_when_the_token_moves() -> None:
    token = ["a"]
    cache: TTLCache[str] = TTLCache(3600, token=lambda: token[0])
    builds: list[str] = []

    def build() -> str:
        builds.append(token[0])
        return f"built with {token[0]}"

    assert cache.compute("k", build) == "built with a"
    assert cache.compute("k", build) == "built with a" and len(builds) == 1
    token[0] = "b"
    assert cache.peek("k") is None
    assert cache.compute("k", build) == "built with b" and len(builds) == 2


def test_a_value_built_while_the_data_change_is_not_served_later() -> None:
    token = ["a"]
    cache: TTLCache[str] = TTLCache(3600, token=lambda: token[0])
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(10)
        return "old data"

    worker = threading.Thread(target=cache.compute, args=("k", slow))
    worker.start()
    started.wait(10)
    token[0] = "b"  # an import lands while the answer is being built
    release.set()
    worker.join(10)
    assert cache.peek("k") is None


EXIT_SCRIPT = """
import os, sys, time, warnings
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient
from geostress.service import ServiceLimits, create_app
app = create_app(service_dir=sys.argv[1], limits=ServiceLimits(prewarm=False, warm_workers=False))
with TestClient(app) as client:
    assert client.get("/api/catalog").status_code == 200
    time.sleep(3)
print("clean exit")
"""


def test_a_process_that_served_store_reads_exits_cleanly(geostress_home: Path, tmp_path: Path) -> None:
    """Store reads in the server's worker threads must not leave a DuckDB connection to be destroyed at thread
    end: that made the process abort at exit (status 134) although every request had succeeded."""
    env = dict(os.environ, GEOSTRESS_HOME=str(geostress_home))
    done = subprocess.run([sys.executable, "-c", EXIT_SCRIPT, str(tmp_path / "service")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "clean exit" in done.stdout and "terminate called" not in done.stderr
