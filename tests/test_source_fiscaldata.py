"""Fiscal Data sources: average interest rates and MSPD Table I, from the real files, mock downloads, bad input."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from types import ModuleType

import httpx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import base, fiscaldata_mspd, fiscaldata_rates
from geostress.errors import ParseError, SourceUnavailableError

from helpers import assert_where

RATES_FILE = "us_treasury_avg_interest_rates/avg_interest_rates_2001-01_2025-05.csv"
MSPD_FILE = "mspd_securities_outstanding_2025-04/mspd_table1_summary_2025-04-30.csv"
AR = "fiscaldata.avg_rate."
MS = "fiscaldata.mspd."


def _read(shared: Path, rel: str) -> bytes:
    return (shared / rel).read_bytes()


def _values(frame: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {(r.series_id, f"{r.period:%Y-%m-%d}"): r.value for r in frame.itertuples()}


def _api_page(records: list[dict[str, str]], pages: int = 1) -> dict[str, object]:
    return {
        "data": records,
        "meta": {"count": len(records), "total-count": len(records) * pages, "total-pages": pages},
        "links": {"self": "&page%5Bnumber%5D=1&page%5Bsize%5D=10000", "prev": None, "next": None},
    }


def _csv_records(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


# =========================================================================================== average rates


def test_avg_rates_real_file(shared_data: Path) -> None:
    raw = _read(shared_data, RATES_FILE)
    release = fiscaldata_rates.parse(raw, origin=RATES_FILE)
    obs = release.observations
    assert release.source == "fiscaldata-avg-rates"
    assert release.vintage is None  # the latest record_date is not a release date
    assert list(obs.columns) == base.PARSED_COLUMNS
    assert set(obs["unit"]) == {"percent"}
    records = _csv_records(raw)
    assert len(records) == 4759
    assert len(obs) == sum(1 for r in records if r["avg_interest_rate_amt"] != "null")
    assert obs["period"].dt.is_month_end.all()
    assert obs["period"].min() == pd.Timestamp("2001-01-31") and obs["period"].max() == pd.Timestamp("2025-05-31")
    assert not obs.duplicated(["series_id", "period"]).any()
    assert obs["series_id"].str.fullmatch(r"fiscaldata\.avg_rate\.[a-z0-9_]+\.[a-z0-9_]+").all()
    values = _values(obs)
    assert values[(AR + "marketable.treasury_bills", "2025-05-31")] == 4.316
    assert values[(AR + "marketable.treasury_notes", "2025-05-31")] == 3.008
    assert values[(AR + "marketable.treasury_bonds", "2025-05-31")] == 3.278
    assert values[(AR + "marketable.total_marketable", "2025-05-31")] == 3.362
    assert values[(AR + "marketable.treasury_inflation_protected_securities_tips", "2025-05-31")] == 0.865
    assert values[(AR + "marketable.treasury_floating_rate_notes_frn", "2025-05-31")] == 4.427
    assert values[(AR + "non_marketable.total_non_marketable", "2025-05-31")] == 2.993
    assert values[(AR + "interest_bearing_debt.total_interest_bearing_debt", "2025-05-31")] == 3.294
    assert values[(AR + "marketable.total_marketable", "2024-12-31")] == 3.336
    assert values[(AR + "marketable.total_marketable", "2023-12-31")] == 3.174
    assert values[(AR + "marketable.total_marketable", "2022-12-31")] == 2.320
    assert values[(AR + "marketable.total_marketable", "2021-12-31")] == 1.432
    assert values[(AR + "marketable.total_marketable", "2001-01-31")] == 6.620
    assert values[(AR + "marketable.treasury_bills", "2001-01-31")] == 6.059
    # "TotalMarketable" (2005-07-31) is the same series; 2004-12-31 has no total-marketable row; nulls skipped
    assert values[(AR + "marketable.total_marketable", "2005-07-31")] == 4.145
    assert (AR + "marketable.total_marketable", "2004-12-31") not in values
    assert (AR + "marketable.treasury_inflation_indexed_notes", "2004-12-31") not in values
    assert not obs["series_id"].str.contains("totalmarketable").any()
    labels = dict(zip(obs["series_id"], obs["label"], strict=False))
    assert labels[AR + "marketable.total_marketable"] == "Average interest rate: Total Marketable (Marketable)"


def test_avg_rates_api_json_gives_the_same_observations(shared_data: Path) -> None:
    records = _csv_records(_read(shared_data, RATES_FILE))
    for i, r in enumerate(records):  # what the API adds
        r.update(src_line_nbr=str(i % 17 + 1), record_fiscal_year=r["record_date"][:4])
    raw = json.dumps(_api_page(records)).encode()
    from_json = fiscaldata_rates.parse(raw, origin="avg_interest_rates.json")
    from_csv = fiscaldata_rates.parse(_read(shared_data, RATES_FILE), origin=RATES_FILE)
    pd.testing.assert_frame_equal(from_json.observations, from_csv.observations)
    assert from_json.vintage is None


def test_avg_rates_website_csv_with_display_names() -> None:
    raw = (
        b'"Record Date","Security Type Description","Security Description","Average Interest Rate Amount",'
        b'"Source Line Number"\n'
        b'2025-05-31,Marketable,Treasury Bills,4.316,1\n'
        b'2025-05-31,Marketable,"Total Marketable",3.362,7\n'
    )
    obs = fiscaldata_rates.parse(raw, origin="AvgInterestRates.csv").observations
    assert _values(obs) == {
        (AR + "marketable.treasury_bills", "2025-05-31"): 4.316,
        (AR + "marketable.total_marketable", "2025-05-31"): 3.362,
    }


def test_avg_rates_query() -> None:
    (query,) = fiscaldata_rates.build_queries()
    assert query.url == "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v2/accounting/od/avg_interest_rates"
    assert query.params == {"page[size]": "10000", "sort": "-record_date"}
    (query,) = fiscaldata_rates.build_queries(start="2020-01-01")
    assert query.params["filter"] == "record_date:gte:2020-01-01"


# =========================================================================================== MSPD


MSPD_PINNED = {
    "marketable.bills.held_by_public": 6059.334,
    "marketable.bills.intragov": 0.683,
    "marketable.bills.total": 6060.018,
    "marketable.notes.held_by_public": 14902.681,
    "marketable.bonds.held_by_public": 4948.640,
    "marketable.treasury_inflation_protected_securities.held_by_public": 2026.965,
    "marketable.floating_rate_notes.held_by_public": 618.319,
    "marketable.federal_financing_bank.intragov": 4.514,
    "marketable.total_marketable.held_by_public": 28555.941,
    "nonmarketable.government_account_series.intragov": 7341.079,
    "nonmarketable.total_nonmarketable.total": 7637.799,
    "total.total_public_debt_outstanding.held_by_public": 28852.660,
    "total.total_public_debt_outstanding.intragov": 7360.896,
    "total.total_public_debt_outstanding.total": 36213.557,
}


def test_mspd_real_file(shared_data: Path) -> None:
    release = fiscaldata_mspd.parse(_read(shared_data, MSPD_FILE), origin=MSPD_FILE)
    obs = release.observations
    assert release.source == "fiscaldata-mspd" and release.vintage is None
    assert len(obs) == 14 * 3
    assert set(obs["unit"]) == {"USD bn"}
    assert set(obs["period"]) == {pd.Timestamp("2025-04-30")}
    values = {sid.removeprefix(MS): v for (sid, _), v in _values(obs).items()}
    for key, expected in MSPD_PINNED.items():
        assert values[key] == pytest.approx(expected, abs=1e-9), key
    parts = ["bills", "notes", "bonds", "treasury_inflation_protected_securities", "floating_rate_notes",
             "federal_financing_bank"]
    total = sum(values[f"marketable.{p}.held_by_public"] for p in parts)
    assert total == pytest.approx(values["marketable.total_marketable.held_by_public"], abs=0.003)
    assert values["marketable.bills.held_by_public"] / values["marketable.total_marketable.held_by_public"] == (
        pytest.approx(0.212, abs=0.001)
    )
    label = obs.loc[obs["series_id"] == MS + "marketable.bills.held_by_public", "label"].item()
    assert label == "MSPD Table I: Bills (Marketable), debt held by the public"


def test_mspd_api_json_subtotals_map_to_the_csv_ids(shared_data: Path) -> None:
    records = _csv_records(_read(shared_data, MSPD_FILE))
    api: list[dict[str, str]] = []
    for r in records:
        r = dict(r)
        if r["security_class_desc"].startswith("Total"):  # how the API writes subtotal rows
            r["security_type_desc"], r["security_class_desc"] = r["security_class_desc"], "_"
        for k in ("debt_held_public_mil_amt", "intragov_hold_mil_amt", "total_mil_amt"):
            r[k] = f"{float(r[k]):.4f}"
        r["src_line_nbr"] = "1"
        api.append(r)
    assert api[6]["security_type_desc"] == "Total Marketable" and api[6]["security_class_desc"] == "_"
    from_json = fiscaldata_mspd.parse(json.dumps(_api_page(api)).encode(), origin="mspd_table_1.json")
    from_csv = fiscaldata_mspd.parse(_read(shared_data, MSPD_FILE), origin=MSPD_FILE)
    assert set(from_json.observations["series_id"]) == set(from_csv.observations["series_id"])
    assert _values(from_json.observations) == pytest.approx(_values(from_csv.observations))


def test_mspd_api_record_as_published() -> None:
    record = {
        "record_date": "2025-02-28", "security_type_desc": "Marketable", "security_class_desc": "Bills",
        "debt_held_public_mil_amt": "6367075.3893", "intragov_hold_mil_amt": "876.32",
        "total_mil_amt": "6367951.7093", "src_line_nbr": "1", "record_fiscal_year": "2025",
        "record_fiscal_quarter": "2", "record_calendar_year": "2025", "record_calendar_quarter": "1",
        "record_calendar_month": "02", "record_calendar_day": "28",
    }
    obs = fiscaldata_mspd.parse(json.dumps(_api_page([record])).encode(), origin="mspd.json").observations
    assert _values(obs) == pytest.approx({
        (MS + "marketable.bills.held_by_public", "2025-02-28"): 6367.0753893,
        (MS + "marketable.bills.intragov", "2025-02-28"): 0.87632,
        (MS + "marketable.bills.total", "2025-02-28"): 6367.9517093,
    })


def test_mspd_website_csv_with_display_names_and_nulls() -> None:
    raw = (
        b"Record Date,Security Type Description,Security Class Description,Debt Held by the Public (in Millions),"
        b"Intragovernmental Holdings (in Millions),Total Public Debt Outstanding (in Millions)\n"
        b'2025-04-30,Marketable,Bills,"6,059,334",null,"6,060,018"\n'
    )
    obs = fiscaldata_mspd.parse(raw, origin="MSPD_SumSecty.csv").observations
    assert _values(obs) == {
        (MS + "marketable.bills.held_by_public", "2025-04-30"): 6059.334,
        (MS + "marketable.bills.total", "2025-04-30"): 6060.018,
    }


def test_mspd_query() -> None:
    (query,) = fiscaldata_mspd.build_queries()
    assert query.url == "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/debt/mspd/mspd_table_1"
    assert query.params["page[size]"] == "10000"


# =========================================================================================== downloads


def _client(handler: object) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


@pytest.mark.parametrize("module", [fiscaldata_rates, fiscaldata_mspd])
def test_download_json_200_after_503(module: ModuleType, shared_data: Path) -> None:
    rel = RATES_FILE if module is fiscaldata_rates else MSPD_FILE
    page = json.dumps(_api_page(_csv_records(_read(shared_data, rel))[:20])).encode()
    calls: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url)
        if len(calls) == 1:
            return httpx.Response(503)
        return httpx.Response(200, content=page, headers={"content-type": "application/json"})

    (query,) = module.build_queries()
    with _client(handler) as client:
        raw = base.download(query, client=client, sleep=lambda s: None)
    assert len(calls) == 2
    assert calls[1].params["page[size]"] == "10000" and calls[1].params["sort"] == "-record_date"
    release = module.parse(raw, origin=query.url)
    assert len(release.observations) > 0 and release.vintage is None


@pytest.mark.parametrize("module", [fiscaldata_rates, fiscaldata_mspd])
def test_download_failures(module: ModuleType) -> None:
    (query,) = module.build_queries()
    with _client(lambda request: httpx.Response(404)) as client:
        with pytest.raises(SourceUnavailableError, match="404"):
            base.download(query, client=client, sleep=lambda s: None)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with _client(refuse) as client:
        with pytest.raises(SourceUnavailableError, match="fiscaldata"):
            base.download(query, client=client, sleep=lambda s: None)


# =========================================================================================== bad input

RATES_HEAD = b"record_date,security_type_desc,security_desc,avg_interest_rate_amt\n"
MSPD_HEAD = (
    b"record_date,security_type_desc,security_class_desc,debt_held_public_mil_amt,intragov_hold_mil_amt,"
    b"total_mil_amt\n"
)


def _error(module: ModuleType, raw: bytes, origin: str = "bad.csv") -> ParseError:
    with pytest.raises(ParseError) as info:
        module.parse(raw, origin=origin)
    return info.value


@pytest.mark.parametrize("module", [fiscaldata_rates, fiscaldata_mspd])
def test_wrong_header(module: ModuleType) -> None:
    err = _error(module, b"observation_date,DGS10\n2020-01-01,1\n")
    assert_where(err, "bad.csv", 1, "observation_date")


def test_missing_column() -> None:
    err = _error(fiscaldata_rates, b"record_date,security_type_desc,security_desc\n2025-05-31,Marketable,Bills\n")
    assert_where(err, "bad.csv", 1, "avg_interest_rate_amt")
    head = MSPD_HEAD.replace(b",intragov_hold_mil_amt", b"")
    err = _error(fiscaldata_mspd, head + b"2025-04-30,Marketable,Bills,1,2\n")
    assert_where(err, "bad.csv", 1, "intragov_hold_mil_amt")


def test_short_row() -> None:
    err = _error(fiscaldata_rates, RATES_HEAD + b"2025-05-31,Marketable,Treasury Bills,4.316\n2025-05-31,Marketable\n")
    assert_where(err, "bad.csv", 3, "security_desc")


def test_non_numeric_cell_in_real_files(shared_data: Path) -> None:
    lines = _read(shared_data, RATES_FILE).decode().splitlines(keepends=True)
    assert lines[2] == "2025-05-31,Marketable,Treasury Notes,3.008\r\n"  # the file has CRLF line ends
    lines[2] = "2025-05-31,Marketable,Treasury Notes,3.0O8\r\n"
    err = _error(fiscaldata_rates, "".join(lines).encode(), origin=RATES_FILE)
    assert_where(err, RATES_FILE, 3, "avg_interest_rate_amt")
    assert "3.0O8" in str(err)
    lines = _read(shared_data, MSPD_FILE).decode().splitlines(keepends=True)
    lines[5] = lines[5].replace(",618319,", ",618_319x,")
    err = _error(fiscaldata_mspd, "".join(lines).encode(), origin=MSPD_FILE)
    assert_where(err, MSPD_FILE, 6, "debt_held_public_mil_amt")


def test_duplicated_date(shared_data: Path) -> None:
    lines = _read(shared_data, RATES_FILE).decode().splitlines(keepends=True)
    lines.insert(5, lines[1])  # Treasury Bills 2025-05-31 again, as line 6
    err = _error(fiscaldata_rates, "".join(lines).encode(), origin=RATES_FILE)
    assert_where(err, RATES_FILE, 6, "record_date")
    assert "first on line 2" in str(err)
    lines = _read(shared_data, MSPD_FILE).decode().splitlines(keepends=True)
    lines.append(lines[1])
    err = _error(fiscaldata_mspd, "".join(lines).encode(), origin=MSPD_FILE)
    assert_where(err, MSPD_FILE, 16, "record_date")


def test_mspd_api_subtotal_and_csv_total_in_one_file_is_a_duplicate() -> None:
    raw = MSPD_HEAD + b"2025-04-30,Marketable,Total Marketable,1,2,3\n2025-04-30,Total Marketable,_,1,2,3\n"
    assert_where(_error(fiscaldata_mspd, raw), "bad.csv", 3, "record_date")


def test_bad_date_and_empty_names() -> None:
    err = _error(fiscaldata_rates, RATES_HEAD + b"2025-05-3,Marketable,Treasury Bills,4.316\n")
    assert_where(err, "bad.csv", 2, "record_date")
    err = _error(fiscaldata_rates, RATES_HEAD + b"2025-05-31,Marketable,--,4.316\n")
    assert_where(err, "bad.csv", 2, "security_desc")
    err = _error(fiscaldata_mspd, MSPD_HEAD + b"2025-04-30,Marketable,_,1,2,3\n")
    assert_where(err, "bad.csv", 2, "security_class_desc")


@pytest.mark.parametrize(("module", "rel"), [(fiscaldata_rates, RATES_FILE), (fiscaldata_mspd, MSPD_FILE)])
def test_utf16_file(module: ModuleType, rel: str, shared_data: Path) -> None:
    text = _read(shared_data, rel).decode()
    for raw in (text.encode("utf-16"), text.encode("utf-16-be")):
        err = _error(module, raw, origin=rel)
        assert_where(err, rel, 1, "encoding")
        assert "UTF-16" in str(err)


@pytest.mark.parametrize("module", [fiscaldata_rates, fiscaldata_mspd])
@pytest.mark.parametrize("raw", [b"", b" \r\n", b"\xef\xbb\xbf"])
def test_empty_file(module: ModuleType, raw: bytes) -> None:
    assert_where(_error(module, raw), "bad.csv", 1, None)


@pytest.mark.parametrize(("module", "head"), [(fiscaldata_rates, RATES_HEAD), (fiscaldata_mspd, MSPD_HEAD)])
def test_header_only_and_empty_data(module: ModuleType, head: bytes) -> None:
    assert "no observations" in str(_error(module, head))
    assert "no observations" in str(_error(module, json.dumps(_api_page([])).encode(), origin="x.json"))


@pytest.mark.parametrize(("module", "rel"), [(fiscaldata_rates, RATES_FILE), (fiscaldata_mspd, MSPD_FILE)])
def test_truncated_json(module: ModuleType, rel: str, shared_data: Path) -> None:
    text = json.dumps(_api_page(_csv_records(_read(shared_data, rel))[:10]), indent=2)
    cut = text[: len(text) // 2]
    err = _error(module, cut.encode(), origin="page.json")
    assert err.file == "page.json" and err.line == cut.count("\n") + 1
    assert f"line {err.line}" in str(err) and "truncated" in str(err)


def test_json_bad_value_names_record_line_and_field(shared_data: Path) -> None:
    records = _csv_records(_read(shared_data, RATES_FILE))[:5]
    records[3]["avg_interest_rate_amt"] = "n/a"
    text = json.dumps(_api_page(records), indent=2)
    starts = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip() == "{"]  # document, then records
    err = _error(fiscaldata_rates, text.encode(), origin="page.json")
    assert_where(err, "page.json", starts[1 + 3], "data[3].avg_interest_rate_amt")
    del records[3]["avg_interest_rate_amt"]
    err = _error(fiscaldata_rates, json.dumps(_api_page(records)).encode(), origin="page.json")
    assert_where(err, "page.json", 1, "data[3].avg_interest_rate_amt")


def test_json_one_page_of_several_and_api_error(shared_data: Path) -> None:
    records = _csv_records(_read(shared_data, RATES_FILE))[:5]
    err = _error(fiscaldata_rates, json.dumps(_api_page(records, pages=3)).encode(), origin="page.json")
    assert_where(err, "page.json", 1, "meta.total-pages")
    answer = {"error": "Invalid Query Param", "message": "Invalid query parameter 'sort' with value '[-x]'."}
    err = _error(fiscaldata_mspd, json.dumps(answer).encode(), origin="page.json")
    assert "Invalid query parameter" in str(err) and err.line == 1
    err = _error(fiscaldata_mspd, b'{"meta": {}}', origin="page.json")
    assert_where(err, "page.json", 1, "data")


# =========================================================================================== properties


def _mutate(raw: bytes, data: st.DataObject) -> bytes:
    lines = raw.split(b"\n")
    kind = data.draw(st.sampled_from(["delete", "truncate", "junk", "duplicate"]))
    if kind == "delete":
        del lines[data.draw(st.integers(0, len(lines) - 1))]
        return b"\n".join(lines)
    if kind == "truncate":
        return raw[: data.draw(st.integers(0, len(raw)))]
    if kind == "duplicate":
        i = data.draw(st.integers(0, len(lines) - 1))
        lines.insert(data.draw(st.integers(0, len(lines))), lines[i])
        return b"\n".join(lines)
    i = data.draw(st.integers(0, len(lines) - 1))
    junk = data.draw(st.text(max_size=12)).encode("utf-8", "surrogatepass")
    cells = lines[i].split(b",")
    cells[data.draw(st.integers(0, len(cells) - 1))] = junk
    lines[i] = b",".join(cells)
    return b"\n".join(lines)


@pytest.mark.parametrize("module", [fiscaldata_rates, fiscaldata_mspd])
@settings(max_examples=50, deadline=None)
@given(raw=st.binary(max_size=2000))
def test_random_bytes_parse_or_raise_parse_error(module: ModuleType, raw: bytes) -> None:
    try:
        module.parse(raw, origin="random.bin")
    except ParseError:
        pass


@pytest.mark.parametrize(("module", "rel"), [(fiscaldata_rates, RATES_FILE), (fiscaldata_mspd, MSPD_FILE)])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_real_file_parses_or_raises_parse_error(
    module: ModuleType, rel: str, shared_data: Path, data: st.DataObject
) -> None:
    raw = _read(shared_data, rel)
    if module is fiscaldata_rates:
        raw = b"\n".join(raw.split(b"\n")[:400])  # the first ~2 years keep each example fast
    try:
        release = module.parse(_mutate(raw, data), origin=rel)
    except ParseError as exc:
        assert exc.file == rel
    else:
        assert not release.observations.duplicated(["series_id", "period"]).any()


@pytest.mark.parametrize(("module", "rel"), [(fiscaldata_rates, RATES_FILE), (fiscaldata_mspd, MSPD_FILE)])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_api_json_parses_or_raises_parse_error(
    module: ModuleType, rel: str, shared_data: Path, data: st.DataObject
) -> None:
    page = json.dumps(_api_page(_csv_records(_read(shared_data, rel))[:15]), indent=1).encode()
    try:
        module.parse(_mutate(page, data), origin="page.json")
    except ParseError:
        pass


# =========================================================================================== network


@pytest.mark.network
def test_real_download_avg_rates() -> None:
    (query,) = fiscaldata_rates.build_queries()
    release = fiscaldata_rates.parse(base.download(query), origin=query.url)
    values = _values(release.observations)
    assert values[(AR + "marketable.treasury_bills", "2025-05-31")] == 4.316
    assert release.observations["period"].max() >= pd.Timestamp("2025-05-31")


@pytest.mark.network
def test_real_download_mspd() -> None:
    (query,) = fiscaldata_mspd.build_queries(start="2025-04-01")
    release = fiscaldata_mspd.parse(base.download(query), origin=query.url)
    values = _values(release.observations)
    assert values[(MS + "marketable.bills.held_by_public", "2025-04-30")] == pytest.approx(6059.334, abs=0.001)
    assert values[(MS + "total.total_public_debt_outstanding.total", "2025-04-30")] == pytest.approx(
        36213.557, abs=0.001
    )
    assert release.vintage is None and date(2025, 4, 30) <= release.observations["period"].max().date()
