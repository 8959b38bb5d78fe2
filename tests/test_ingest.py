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


def _mutations(text: str) -> dict[str, bytes]:
    lines = text.split("\n")
    china = next(i for i, line in enumerate(lines) if line.startswith('"China, Mainland"'))
    country_header = next(i for i, line in enumerate(lines) if line.startswith("Country"))
    non_numeric = list(lines)
    non_numeric[china] = non_numeric[china].replace("683.9", "68x.9", 1)
    wrong_header = list(lines)
    wrong_header[country_header] = wrong_header[country_header].replace("Country", "Nation", 1)
    duplicated = lines[: china + 1] + [lines[china]] + lines[china + 1 :]
    missing_column = list(lines)
    missing_column[china] = "\t".join(missing_column[china].split("\t")[:5])
    return {
        "wrong header": "\n".join(wrong_header).encode(),
        "non-numeric cell": "\n".join(non_numeric).encode(),
        "duplicated month": "\n".join(duplicated).encode(),
        "missing country column": "\n".join(missing_column).encode(),
        "wrong encoding": text.encode("utf-16"),
        "empty file": b"",
        "truncated": "\n".join(lines[:30]).encode(),
    }


def test_every_kind_of_bad_file_is_refused_and_the_store_is_unchanged(
    geostress_home: Path, shared_data: Path, tmp_path: Path
) -> None:
    from geostress.data.ingest import import_file
    from geostress.errors import ParseError

    real = shared_data / "tic_mfh_historical" / "mfhhis01.txt"
    store = Store(include_snapshot=False)
    assert import_file(real, "tic-mfh", store=store).added
    before = {p: p.read_bytes() for p in store.batch_files()}
    china_before = store.get("tic.mfh.china_mainland")
    for case, raw in _mutations(real.read_text(encoding="utf-8").replace("3/18/26", "4/20/26")).items():
        bad = tmp_path / f"{case.replace(' ', '_')}.txt"
        bad.write_bytes(raw)
        with pytest.raises(ParseError) as info:
            import_file(bad, "tic-mfh", store=store)
        assert bad.name in str(info.value), case
        if case != "empty file":
            assert info.value.line is not None, case
        assert {p: p.read_bytes() for p in store.batch_files()} == before, case
        assert list((geostress_home / "store" / "batches" / "tic-mfh").glob(".*")) == [], case
    assert store.get("tic.mfh.china_mainland").equals(china_before)
