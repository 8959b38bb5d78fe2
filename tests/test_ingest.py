"""Updating from the live sources, with recorded responses through httpx's mock transport."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pandas as pd
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


# ---------------------------------------------------------------- hardening (issue 17)


def _cut(real: bytes) -> bytes:
    text = real.decode("utf-8")
    return text[: text.index("Department of the Treasury")].encode("utf-8")


def test_a_tic_file_cut_before_its_footer_never_gets_an_invented_vintage(
    geostress_home: Path, shared_data: Path, tmp_path: Path
) -> None:
    from geostress.data.ingest import import_file
    from geostress.errors import ParseError

    real = shared_data / "tic_mfh_historical" / "mfhhis01.txt"
    store = Store(include_snapshot=False)
    assert import_file(real, "tic-mfh", store=store).added
    cut = tmp_path / "mfhhis01.txt"
    cut.write_bytes(_cut(real.read_bytes()))
    with pytest.raises(ParseError, match="prints no release date.*cut short.*pass --vintage") as info:
        import_file(cut, "tic-mfh", store=store)
    assert str(cut) in str(info.value)
    assert len(store.batch_files()) == 1
    # given the date it was released, it is a vintage like any other (older ones never override newer ones)
    result = import_file(cut, "tic-mfh", store=store, vintage=date(2026, 2, 18))
    assert result.added and result.vintages == (date(2026, 2, 18),)
    assert store.get("tic.mfh.china_mainland")["vintage"].max() == pd.Timestamp("2026-03-18")


def test_a_vintage_that_contradicts_the_printed_date_is_refused(
    geostress_home: Path, shared_data: Path
) -> None:
    from geostress.data.ingest import import_file
    from geostress.errors import ParseError

    real = shared_data / "tic_mfh_historical" / "mfhhis01.txt"
    store = Store(include_snapshot=False)
    with pytest.raises(ParseError, match="--vintage 2026-04-01 contradicts .* 2026-03-18"):
        import_file(real, "tic-mfh", store=store, vintage=date(2026, 4, 1))
    assert store.batch_files() == []
    assert import_file(real, "tic-mfh", store=store, vintage=date(2026, 3, 18)).added


def test_update_refuses_a_download_cut_before_its_footer(geostress_home: Path, shared_data: Path) -> None:
    raw = _cut((shared_data / "tic_mfh_historical" / "mfhhis01.txt").read_bytes())

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=raw) if request.url.path.endswith("mfhhis01.txt") else httpx.Response(404)

    store = Store(include_snapshot=False)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        outcomes = update(["tic-mfh"], store=store, client=client)
    cut = next(o for o in outcomes if o.url.endswith("mfhhis01.txt"))
    assert cut.result is None and "cut short" in (cut.error or "")
    assert store.batch_files() == []


def test_a_download_of_a_source_that_prints_no_date_takes_the_download_date(
    geostress_home: Path, shared_data: Path
) -> None:
    raw = (shared_data / "us_treasury_yields_fred_monthly" / "GS10.csv").read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=raw)

    store = Store(include_snapshot=False)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        outcomes = update(["fred"], store=store, client=client, series="GS10")
    stored = [o.result for o in outcomes if o.result is not None and o.result.added]
    assert stored and all(r.vintages == (datetime.now(UTC).date(),) for r in stored)


def test_a_misspelt_holder_needs_allow_new_names(geostress_home: Path, shared_data: Path, tmp_path: Path) -> None:
    from geostress.data.ingest import import_file
    from geostress.errors import DataError, ParseError

    bad = tmp_path / "mfhhis01.txt"
    real = (shared_data / "tic_mfh_historical" / "mfhhis01.txt").read_bytes()
    bad.write_bytes(real.replace(b"\nJapan\t", "\nJap\u00e9n\t".encode("cp1252"), 1))
    store = Store(include_snapshot=False)
    with pytest.raises(ParseError, match="unknown holder 'Jap\u00e9n'.*did you mean 'Japan'"):
        import_file(bad, "tic-mfh", store=store)
    assert store.batch_files() == []
    assert import_file(bad, "tic-mfh", store=store, allow_new_names=True).added
    assert "tic.mfh.japen" in store.series_ids()
    with pytest.raises(DataError, match="--allow-new-names does not apply to source 'fred'"):
        import_file(bad, "fred", store=store, allow_new_names=True)


@pytest.mark.parametrize("path", ["/dev/zero", "/proc", "/nonexistent/mfhhis01.txt"])
def test_import_refuses_what_is_not_a_regular_file(geostress_home: Path, path: str) -> None:
    from geostress.data.ingest import import_file
    from geostress.errors import DataError

    with pytest.raises(DataError, match=f"cannot import {path}"):
        import_file(path, "tic-mfh", store=Store(include_snapshot=False))


# ---------------------------------------------------------------- the same through the command line


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GEOSTRESS_HOME": str(home), "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "geostress.cli", *args], env=env, capture_output=True, text=True,
                          timeout=180)  # fmt: skip


def test_cli_partial_dates_and_clear_date_errors(geostress_home: Path) -> None:
    nov = _cli("data", "show", "tic.mfh.china_mainland", "--start", "2013-11", "--end", "2013-11", "--json",
               home=geostress_home)  # fmt: skip
    assert nov.returncode == 0, nov.stderr
    assert [r["period"] for r in json.loads(nov.stdout)] == ["2013-11-30"]
    bad = _cli("data", "show", "tic.mfh.china_mainland", "--end", "2013-13", home=geostress_home)
    # a date that is not one is a usage error (status 2, as `run --as-of 2013-13`), whatever the data
    assert bad.returncode == 2 and "--end='2013-13' is not a date" in bad.stderr and "Traceback" not in bad.stderr
    early = _cli("data", "show", "tic.mfh.china_mainland", "--as-of", "2020", home=geostress_home)
    assert early.returncode == 1 and "Traceback" not in early.stderr
    told = " ".join(early.stderr.split())
    assert "the store holds vintages from 2026-03-18; import older releases to look back" in told


def test_cli_import_of_a_cut_or_misspelt_file(geostress_home: Path, shared_data: Path, tmp_path: Path) -> None:
    real = (shared_data / "tic_mfh_historical" / "mfhhis01.txt").read_bytes()
    cut = tmp_path / "cut.txt"
    cut.write_bytes(_cut(real))
    refused = _cli("data", "import", str(cut), "--source", "tic-mfh", home=geostress_home)
    message = " ".join(refused.stderr.split())
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "prints no release date" in message and "pass --vintage" in message
    given = _cli("data", "import", str(cut), "--source", "tic-mfh", "--vintage", "2026-02-18", home=geostress_home)
    assert given.returncode == 0 and "vintage 2026-02-18" in given.stdout
    japen = tmp_path / "japen.txt"
    japen.write_bytes(real.replace(b"\nJapan\t", "\nJap\u00e9n\t".encode("cp1252"), 1))
    refused = _cli("data", "import", str(japen), "--source", "tic-mfh", home=geostress_home)
    assert refused.returncode == 1 and "did you mean 'Japan'" in " ".join(refused.stderr.split())
    allowed = _cli("data", "import", str(japen), "--source", "tic-mfh", "--allow-new-names", home=geostress_home)
    assert allowed.returncode == 0, allowed.stderr
    zero = _cli("data", "import", "/dev/zero", "--source", "tic-mfh", home=geostress_home)
    assert zero.returncode == 1 and "not a regular file" in zero.stderr and "Traceback" not in zero.stderr


def test_cli_goes_on_past_a_damaged_batch_and_says_what_to_do(
    geostress_home: Path, shared_data: Path, tmp_path: Path
) -> None:
    newer = tmp_path / "mfhhis01.txt"
    real = (shared_data / "tic_mfh_historical" / "mfhhis01.txt").read_bytes()
    newer.write_bytes(real.replace(b"3/18/26", b"4/20/26"))
    assert _cli("data", "import", str(newer), "--source", "tic-mfh", home=geostress_home).returncode == 0
    [batch] = (geostress_home / "store" / "batches" / "tic-mfh").glob("*.parquet")
    batch.write_bytes(b"PAR1" + b"\0" * 100)  # damaged on disk
    shown = _cli("data", "show", "tic.mfh.grand_total", "--start", "2025-12", "--json", home=geostress_home)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)[0]["vintage"] == "2026-03-18"  # the snapshot's, the damaged one set aside
    warning = " ".join(shown.stderr.split())
    assert "is damaged" in warning and "quarantine" in warning and "geostress data import FILE" in warning
    again = _cli("data", "show", "tic.mfh.grand_total", "--start", "2025-12", "--json", home=geostress_home)
    assert again.returncode == 0 and again.stderr.strip() == ""  # once moved aside, no more warnings
    status = _cli("data", "status", "--json", home=geostress_home)
    [moved] = json.loads(status.stdout)["quarantined"]
    assert Path(moved).parent == geostress_home / "store" / "quarantine" / "tic-mfh"
    plain = _cli("data", "status", home=geostress_home)
    assert plain.returncode == 0 and "1 damaged store file set aside" in " ".join(plain.stderr.split())


def test_update_refuses_an_unknown_holder_unless_allowed(geostress_home: Path, shared_data: Path) -> None:
    raw = (shared_data / "tic_mfh_historical" / "mfhhis01.txt").read_bytes()
    raw = raw.replace(b"3/18/26", b"4/20/26").replace(b"\nJapan\t", "\nJap\u00e9n\t".encode("cp1252"), 1)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=raw) if request.url.path.endswith("mfhhis01.txt") else httpx.Response(404)

    store = Store(include_snapshot=False)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        refused = next(o for o in update(["tic-mfh"], store=store, client=client) if o.url.endswith("mfhhis01.txt"))
        assert refused.result is None and "did you mean 'Japan'" in (refused.error or "")
        allowed = update(["tic-mfh"], store=store, client=client, allow_new_names=True)
    assert any(o.result is not None and o.result.added for o in allowed)
    assert "tic.mfh.japen" in store.series_ids()
