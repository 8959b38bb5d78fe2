"""Downloads of the sources that had no download test: recorded responses through httpx's mock transport.

The mock serves the real official files of ``../shared/data`` (never copied into the repository) at the addresses
each source's ``build_queries()`` gives, and 404 for anything else; ``update`` must store them, pin a real value,
and do nothing on a second identical update. The current TIC table (``slt_table5.txt``) has no real copy in the
data folder: it is served as the small file the TIC tests build from ``tic_slt_table5_layout/LAYOUT.md``.

One ``network`` test per source downloads the live file (skipped by default: ``pytest -m network``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
import pandas as pd
import pytest

from geostress.data import ingest
from geostress.data.sources import base, get_source
from geostress.data.store import Store
from geostress.errors import SourceUnavailableError

from test_source_tic_mfh import CURRENT as TIC_CURRENT

GOLD = "central_bank_gold_reserves"
CBO = "cbo_baseline_projections"


def _files(name: str, shared: Path) -> dict[str, bytes]:
    """Filename of each query of source ``name`` → the real bytes to serve."""
    real = {
        "baselines.csv": f"{CBO}/baselines.csv",
        "actuals.csv": f"{CBO}/actuals.csv",
        "actual_GDP.csv": f"{CBO}/actual_GDP.csv",
        "wgc_reserves.csv": f"{GOLD}/wgc_reserves.csv",
        "gold_history.csv": f"{GOLD}/gold_history.csv",
        "mcs2025-rare-earths.marker-text.md": "usgs_mcs2025_rare_earths/mcs2025-rare-earths.marker-text.md",
        "mfhhis01.txt": "tic_mfh_historical/mfhhis01.txt",
    }
    out = {name: (shared / rel).read_bytes() for name, rel in real.items()}
    out["slt_table5.txt"] = TIC_CURRENT.encode("ascii")
    return out


#: Source → (build_queries options, series, period, vintage or None, expected value, tolerance).
CASES: dict[str, tuple[dict[str, str], str, str, str | None, float, float]] = {
    "cbo-baselines": ({}, "cbo.net_interest", "2036-09-30", "2026-02-01", 2144.3, 0.5),
    "cbo-actuals": ({}, "cbo.actual.net_interest", "2025-09-30", None, 969.9, 0.05),
    "gold-wgc": ({}, "gold.wgc.china", "2025-12-31", None, 2306.30, 1e-9),
    "gold-safe": ({"mirror": "github"}, "gold.safe.china", "2026-06-30", None, 75.44, 1e-9),
    "usgs-ree": ({}, "usgs.ree.mine_production.china", "2024-12-31", "2025-01-31", 270_000, 1e-9),
    "tic-mfh": ({}, "tic.mfh.china_mainland", "2025-12-31", "2026-03-18", 683.5, 1e-9),
}


def _server(files: dict[str, bytes], queries: list[base.Query]) -> tuple[Callable[..., httpx.Response], list[str]]:
    routes = {q.url: files[q.filename] for q in queries}
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url.copy_with(query=None))
        seen.append(url)
        if url in routes:
            return httpx.Response(200, content=routes[url])
        return httpx.Response(404)

    return handler, seen


def _update(
    name: str, store: Store, handler: Callable[..., httpx.Response], **options: str
) -> list[ingest.UpdateOutcome]:
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        return ingest.update([name], store=store, client=client, **options)


@pytest.mark.parametrize(
    "name", list(CASES)
)
def test_update_stores_the_recorded_release_once(name: str, shared_data: Path, tmp_path: Path) -> None:
    options, series, period, vintage, expected, tol = CASES[name]
    queries = get_source(name).build_queries(**options)
    handler, seen = _server(_files(name, shared_data), queries)
    store = Store(tmp_path, include_snapshot=False)

    outcomes = _update(name, store, handler, **options)
    assert [o.url for o in outcomes] == [q.url for q in queries]
    assert sorted(set(seen)) == sorted(q.url for q in queries)
    for o in outcomes:
        assert o.error is None and o.result is not None and o.result.added, o
        assert o.result.source == name and o.result.rows > 0
    batches = {p: p.read_bytes() for p in store.batch_files()}
    assert len(batches) == len(queries)

    frame = store.get(series, vintage=vintage) if vintage else store.get(series)
    got = frame.set_index("period")["value"]
    assert got[pd.Timestamp(period)] == pytest.approx(expected, abs=tol)
    if vintage is not None:
        assert date.fromisoformat(vintage) in store.vintages(series)

    again = _update(name, store, handler, **options)
    assert all(o.result is not None and not o.result.added and o.result.reason == "already imported" for o in again)
    assert {p: p.read_bytes() for p in store.batch_files()} == batches


def test_update_tic_current_table_lands_next_to_the_history(shared_data: Path, tmp_path: Path) -> None:
    handler, _ = _server(_files("tic-mfh", shared_data), get_source("tic-mfh").build_queries())
    store = Store(tmp_path, include_snapshot=False)
    _update("tic-mfh", store, handler)
    japan = store.get("tic.mfh.japan").set_index("period")["value"]
    assert japan[pd.Timestamp("2026-07-31")] == 1103.9  # from slt_table5.txt
    assert pd.Timestamp("2025-12-31") in japan.index  # from mfhhis01.txt
    assert store.get("tic.mfh.grand_total").set_index("period")["value"][pd.Timestamp("2026-07-31")] == 9248.1


def test_update_gold_safe_mirror_when_the_options_reach_build_queries(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = get_source("gold-safe")
    queries = module.build_queries(mirror="github")
    monkeypatch.setattr(module, "build_queries", lambda **options: queries)  # what update should ask for
    handler, _ = _server(_files("gold-safe", shared_data), queries)
    store = Store(tmp_path, include_snapshot=False)
    (outcome,) = _update("gold-safe", store, handler)
    assert outcome.result is not None and outcome.result.added
    assert store.get("gold.safe.china").set_index("period")["value"][pd.Timestamp("2026-06-30")] == 75.44
    (again,) = _update("gold-safe", store, handler)
    assert again.result is not None and not again.result.added


def test_update_gold_safe_official_page_is_unreachable_without_the_mirror(tmp_path: Path) -> None:
    handler, seen = _server({}, [])
    store = Store(tmp_path, include_snapshot=False)
    with pytest.raises(SourceUnavailableError, match="offline"):
        _update("gold-safe", store, handler)
    assert seen == [get_source("gold-safe").SAFE_PAGE] and store.batch_files() == []


def test_update_one_missing_file_is_reported_and_the_rest_stored(shared_data: Path, tmp_path: Path) -> None:
    files = _files("cbo-actuals", shared_data)
    queries = get_source("cbo-actuals").build_queries()
    handler, _ = _server(files, queries[:1])  # actual_GDP.csv answers 404
    outcomes = _update("cbo-actuals", Store(tmp_path, include_snapshot=False), handler)
    assert outcomes[0].result is not None and outcomes[0].result.added
    assert outcomes[1].result is None and outcomes[1].unreachable and "404" in (outcomes[1].error or "")


# ------------------------------------------------------------------------------------------------ retries


def _flaky(
    files: dict[str, bytes], queries: list[base.Query], failures: int = 1
) -> tuple[Callable[..., httpx.Response], dict[str, int]]:
    routes = {q.url: files[q.filename] for q in queries}
    calls: dict[str, int] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url.copy_with(query=None))
        calls[url] = calls.get(url, 0) + 1
        if url not in routes:
            return httpx.Response(404)
        if calls[url] <= failures:
            return httpx.Response(503)
        return httpx.Response(200, content=routes[url])

    return handler, calls


@pytest.mark.parametrize("name", list(CASES))
def test_download_retries_503_then_200(name: str, shared_data: Path) -> None:
    options = CASES[name][0]
    queries = get_source(name).build_queries(**options)
    files = _files(name, shared_data)
    handler, calls = _flaky(files, queries, failures=2)
    slept: list[float] = []
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        for q in queries:
            raw = base.download(q, client=client, sleep=slept.append)
            assert raw == files[q.filename]
    assert all(calls[q.url] == 3 for q in queries)
    assert slept == [1.0, 2.0] * len(queries)  # exponential back-off


def test_update_retries_503_then_200(shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ``update`` passes no ``sleep`` to ``download`` (so it would really sleep 1 s): wrap it to sleep instantly.
    slept: list[float] = []
    monkeypatch.setattr(ingest, "download", functools.partial(base.download, sleep=slept.append))
    queries = get_source("gold-wgc").build_queries()
    handler, calls = _flaky(_files("gold-wgc", shared_data), queries)
    store = Store(tmp_path, include_snapshot=False)
    (outcome,) = _update("gold-wgc", store, handler)
    assert outcome.result is not None and outcome.result.added
    assert calls == {queries[0].url: 2} and slept == [1.0]
    assert store.get("gold.wgc.china").set_index("period")["value"][pd.Timestamp("2025-12-31")] == 2306.30


def test_download_gives_up_after_the_retries() -> None:
    (query,) = get_source("gold-wgc").build_queries()
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(503)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(SourceUnavailableError, match="answered HTTP 503"):
            base.download(query, client=client, sleep=lambda s: None)
    assert len(calls) == 4  # one try and three retries


# ------------------------------------------------------------------------------------------------ network


@pytest.mark.network
@pytest.mark.parametrize(
    "name", list(CASES)
)
def test_real_download(name: str, tmp_path: Path) -> None:
    options, series, period, vintage, expected, tol = CASES[name]
    vintage = vintage if name == "cbo-baselines" else None  # other files may be republished; read the latest
    store = Store(tmp_path, include_snapshot=False)
    outcomes = ingest.update([name], store=store, **options)
    assert all(o.result is not None for o in outcomes), [o.error for o in outcomes]
    if name == "tic-mfh":  # the history file is the published one; the current table changes monthly
        assert store.get("tic.mfh.grand_total")["period"].max() >= pd.Timestamp("2026-01-31")
    frame = store.get(series, vintage=vintage) if vintage else store.get(series)
    got = frame.set_index("period")["value"]
    assert got[pd.Timestamp(period)] == pytest.approx(expected, abs=max(tol, abs(expected) * 0.01))
