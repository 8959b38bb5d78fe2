"""Updating from the live sources, with recorded responses through httpx's mock transport."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from geostress.data.ingest import update
from geostress.data.store import Store
from geostress.errors import SourceUnavailableError


def test_update_stores_a_recorded_tic_release(geostress_home: Path, shared_data: Path) -> None:
    raw = (shared_data / "tic_mfh_historical" / "mfhhis01.txt").read_bytes().replace(b"3/18/26", b"4/20/26")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("mfhhis01.txt"):
            return httpx.Response(200, content=raw)
        return httpx.Response(404)

    store = Store(include_snapshot=False)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        outcomes = update(["tic-mfh"], store=store, client=client)
    assert any(u.endswith("mfhhis01.txt") for u in seen)
    stored = [o for o in outcomes if o.result is not None]
    assert len(stored) == 1 and stored[0].result.added
    failed = [o for o in outcomes if o.result is None]
    assert all("404" in (o.error or "") for o in failed)
    assert store.vintages("tic.mfh.china_mainland")[-1].isoformat() == "2026-04-20"


def test_update_offline_raises_and_leaves_the_store_alone(geostress_home: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("network unreachable", request=request)

    store = Store(include_snapshot=False)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(
        SourceUnavailableError, match="offline"
    ):
        update(["tic-mfh", "cbo-baselines"], store=store, client=client)
    assert store.batch_files() == []
