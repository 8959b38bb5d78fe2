"""Fiscal Data sources: average interest rates and MSPD Tables I and III, from the real files (Table III: a recorded
API response following the published schema), mock downloads, bad input."""

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

from geostress.testing import assert_where

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
    query, detail = fiscaldata_mspd.build_queries()
    assert query.url == "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/debt/mspd/mspd_table_1"
    assert query.params == {"page[size]": "10000", "sort": "-record_date"}
    assert detail.url == (
        "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/debt/mspd/mspd_table_3_market"
    )
    assert detail.filename == "mspd_table_3_market.json"
    assert detail.params["page[size]"] == "10000" and detail.params["sort"] == "-record_date"
    first = date.fromisoformat(detail.params["filter"].removeprefix("record_date:gte:"))
    today = date.today()
    assert first.day == 1 and 5 * 28 <= (today - first).days <= 7 * 31  # the last six statements or so
    assert fiscaldata_mspd._default_detail_start(date(2026, 2, 15)) == "2025-08-01"
    assert fiscaldata_mspd._default_detail_start(date(2026, 7, 31)) == "2026-01-01"
    query, detail = fiscaldata_mspd.build_queries(start="2020-01-01", detail_start="2025-01-01")
    assert query.params["filter"] == "record_date:gte:2020-01-01"
    assert detail.params["filter"] == "record_date:gte:2025-01-01"


# =========================================================================================== MSPD Table III
#
# No real Table III file is held offline: this is a recorded API response written to follow the published schema
# of v1/debt/mspd/mspd_table_3_market (field names, "null" strings, subtotal rows, pages meta).

T3 = MS + "maturing."
T3_FIELDS = (
    "record_date", "security_type_desc", "security_class1_desc", "security_class2_desc", "series_cd",
    "interest_rate_pct", "yield_pct", "issue_date", "maturity_date", "interest_pay_date_1", "interest_pay_date_2",
    "issued_amt", "inflation_adj_amt", "redeemed_amt", "outstanding_amt", "src_line_nbr", "record_fiscal_year",
)


def _t3(record_date: str, cls: str, cusip: str | None, rate: str | None, yld: str | None, issue: str | None,
        maturity: str | None, amount: str | None, line: int) -> dict[str, str | None]:
    values = {
        "record_date": record_date, "security_type_desc": "Marketable", "security_class1_desc": cls,
        "security_class2_desc": cusip, "series_cd": "null", "interest_rate_pct": rate, "yield_pct": yld,
        "issue_date": issue, "maturity_date": maturity, "interest_pay_date_1": "null",
        "interest_pay_date_2": "null", "issued_amt": amount, "inflation_adj_amt": "null", "redeemed_amt": "0",
        "outstanding_amt": amount, "src_line_nbr": str(line), "record_fiscal_year": record_date[:4],
    }
    return {k: ("null" if v is None else v) for k, v in values.items()}


def _t3_records() -> list[dict[str, str | None]]:
    apr, mar = "2025-04-30", "2025-03-31"
    bills = "Bills Maturity Value"
    records = [
        _t3(apr, bills, "912797NU7", None, "4.291", "2025-01-09", "2025-05-08", "80000.5", 1),
        _t3(apr, bills, "912797PK7", None, "4.250", "2024-11-21", "2025-05-22", "70000.25", 2),
        _t3(apr, bills, "912797QA8", None, None, "2025-03-13", "2025-06-12", "50000", 3),  # no rate, no yield
        _t3(apr, bills, "Total Unmatured Treasury Bills", None, None, None, None, "200000.75", 4),
        _t3(apr, "Notes", "912828XB1", "2.125", "2.200", "2018-04-30", "2025-04-30", "33000", 5),  # matured
        _t3(apr, "Notes", "91282CDK4", "1.250", "1.324", "2021-11-30", "2026-11-30", "60000", 6),
        _t3(apr, "Notes", "91282CJL6", "4.875", "4.930", "2023-11-30", "2026-11-30", "40000", 7),
        _t3(apr, "Notes", "91282CKS9", "4.500", "4.550", "2024-05-31", "2026-05-31", None, 8),  # no amount
        _t3(apr, "Notes", "Total Treasury Notes", None, None, None, None, "133000", 9),
        _t3(apr, "Inflation-Protected Securities", "912828S50", "0.125", "0.130", "2016-07-15", "2026-07-15",
            "45000.8", 10),
        _t3(apr, "Total Marketable", None, None, None, None, None, "378001.55", 11),
        _t3(mar, bills, "912797NU7", None, "4.291", "2025-01-09", "2025-05-08", "75000", 1),
        _t3(mar, "Total Marketable", None, None, None, None, None, "75000", 2),
    ]
    records[2]["yield_pct"] = None  # a JSON null cell as well as "null" strings
    return records


def _t3_page(records: list[dict[str, str | None]] | None = None, pages: int = 1, indent: int | None = None) -> bytes:
    return json.dumps(_api_page(_t3_records() if records is None else records, pages), indent=indent).encode()


def _t3_csv(records: list[dict[str, str | None]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(T3_FIELDS), lineterminator="\n")
    writer.writeheader()
    writer.writerows([{k: ("" if v is None else v) for k, v in r.items()} for r in records])
    return out.getvalue().encode()


def _t3_values(frame: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    return {(r.series_id.removeprefix(T3), f"{r.period:%Y-%m-%d}", f"{r.vintage:%Y-%m-%d}"): r.value
            for r in frame.itertuples()}


T3_PINNED = {
    ("bills", "2025-05-31", "2025-04-30"): 150.00075,
    ("coupon_weighted.bills", "2025-05-31", "2025-04-30"): (4.291 * 80000.5 + 4.250 * 70000.25) / 150000.75,
    ("bills", "2025-06-30", "2025-04-30"): 50.0,
    ("notes", "2026-11-30", "2025-04-30"): 100.0,
    ("coupon_weighted.notes", "2026-11-30", "2025-04-30"): 2.7,
    ("tips", "2026-07-31", "2025-04-30"): 45.0008,
    ("coupon_weighted.tips", "2026-07-31", "2025-04-30"): 0.125,
    ("bills", "2025-05-31", "2025-03-31"): 75.0,
    ("coupon_weighted.bills", "2025-05-31", "2025-03-31"): 4.291,
}


def test_mspd_table3_aggregates_by_class_and_maturity_month() -> None:
    release = fiscaldata_mspd.parse(_t3_page(), origin="mspd_table_3_market.json")
    obs = release.observations
    assert release.source == "fiscaldata-mspd" and release.vintage == date(2025, 4, 30)
    assert list(obs.columns) == [*base.PARSED_COLUMNS, "vintage"]
    # subtotals, the matured note, the note without an amount are left out; no coupon for the unrated bill
    assert _t3_values(obs) == pytest.approx(T3_PINNED, abs=1e-12)
    assert obs["period"].dt.is_month_end.all()
    units = dict(zip(obs["series_id"], obs["unit"], strict=False))
    assert units[T3 + "bills"] == "USD bn" and units[T3 + "coupon_weighted.bills"] == "percent"
    labels = dict(zip(obs["series_id"], obs["label"], strict=False))
    assert labels[T3 + "tips"] == "MSPD Table III: marketable TIPS maturing in the month"
    assert "interest rate" in labels[T3 + "coupon_weighted.notes"]
    assert not obs.duplicated(["series_id", "period", "vintage"]).any()


def test_mspd_table3_csv_layouts_give_the_same_observations() -> None:
    records = _t3_records()
    from_json = fiscaldata_mspd.parse(_t3_page(), origin="t3.json").observations
    from_csv = fiscaldata_mspd.parse(_t3_csv(records), origin="t3.csv").observations
    pd.testing.assert_frame_equal(from_json, from_csv)
    display = (
        b'"Record Date","Security Type Description","Security Class 1 Description","Security Class 2 Description",'
        b'"Interest Rate Percent","Yield Percent","Issue Date","Maturity Date","Outstanding Amount (in Millions)"\n'
        b'2025-04-30,Marketable,Notes,91282CDK4,1.250,1.324,2021-11-30,2026-11-30,"60,000"\n'
        b'2025-04-30,Marketable,Floating Rate Notes,91282CLA6,4.412,4.400,2024-10-31,2026-10-31,28000\n'
        b'2025-04-30,Marketable,Federal Financing Bank,FFB,2.500,,2010-01-01,2026-10-01,1000\n'
    )
    obs = fiscaldata_mspd.parse(display, origin="MSPD_MktSecty.csv").observations
    assert _t3_values(obs) == pytest.approx({
        ("notes", "2026-11-30", "2025-04-30"): 60.0,
        ("coupon_weighted.notes", "2026-11-30", "2025-04-30"): 1.25,
        ("frn", "2026-10-31", "2025-04-30"): 28.0,
        ("coupon_weighted.frn", "2026-10-31", "2025-04-30"): 4.412,
        ("ffb", "2026-10-31", "2025-04-30"): 1.0,
        ("coupon_weighted.ffb", "2026-10-31", "2025-04-30"): 2.5,
    })


def test_mspd_table3_vintages_land_in_the_store(tmp_path: Path) -> None:
    from geostress.data.store import Store

    raw = _t3_page()
    store = Store(tmp_path, include_snapshot=False)
    result = store.ingest(fiscaldata_mspd.parse(raw, origin="t3.json"), raw)
    assert result.added and result.vintages == (date(2025, 3, 31), date(2025, 4, 30))
    assert store.vintages(T3 + "bills") == [date(2025, 3, 31), date(2025, 4, 30)]
    frame = store.get(T3 + "bills", vintage="2025-03-31")
    assert frame["value"].tolist() == [75.0]
    latest = store.get(T3 + "bills")
    assert latest["value"].tolist() == pytest.approx([150.00075, 50.0])


def _t3_error(records: list[dict[str, str | None]]) -> ParseError:
    return _error(fiscaldata_mspd, _t3_page(records, indent=2), origin="t3.json")


def _t3_line(records: list[dict[str, str | None]], index: int) -> int:
    text = _t3_page(records, indent=2).decode()
    starts = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip() == "{"]  # document, then records
    return starts[1 + index]


@pytest.mark.parametrize(
    ("index", "field", "value", "match"),
    [
        (1, "outstanding_amt", "70,000.2x", "expected a number"),
        (1, "outstanding_amt", "-5", "negative amount"),
        (5, "interest_rate_pct", "1.25%", "expected a number"),
        (0, "yield_pct", "n/a", "expected a number"),
        (6, "maturity_date", "2026-11-31", "expected a date"),
        (6, "maturity_date", "11/30/2026", "expected a date"),
        (6, "issue_date", "2023-13-30", "expected a date"),
        (9, "record_date", "2025-04", "expected a date"),
        (9, "security_class1_desc", "Savings Bonds Series EE", None),
        (9, "security_class1_desc", "Certificates of Indebtedness", "unknown marketable security class"),
        (9, "security_class1_desc", "null", "no security class"),
    ],
)
def test_mspd_table3_bad_value_names_record_line_and_field(index: int, field: str, value: str,
                                                          match: str | None) -> None:
    records = _t3_records()
    records[index][field] = value
    if value == "Savings Bonds Series EE":  # a known word in an unexpected class is still read by its word
        obs = fiscaldata_mspd.parse(_t3_page(records), origin="t3.json").observations
        assert (T3 + "bonds") in set(obs["series_id"])
        return
    err = _t3_error(records)
    assert_where(err, "t3.json", _t3_line(records, index), f"data[{index}].{field}")
    assert match is not None and match in str(err)


def test_mspd_table3_duplicated_record_and_missing_field() -> None:
    records = _t3_records()
    records.insert(8, dict(records[6]))
    err = _t3_error(records)
    assert_where(err, "t3.json", _t3_line(records, 8), "data[8].security_class2_desc")
    assert "appears twice" in str(err) and f"first on line {_t3_line(records, 6)}" in str(err)
    records = _t3_records()
    del records[3]["maturity_date"]
    err = _error(fiscaldata_mspd, _t3_page(records), origin="t3.json")
    assert_where(err, "t3.json", 1, "data[3].maturity_date")
    head = _t3_csv(_t3_records()).split(b"\n", 1)[0].replace(b",outstanding_amt", b"")
    err = _error(fiscaldata_mspd, head + b"\n", origin="t3.csv")
    assert_where(err, "t3.csv", 1, "outstanding_amt")


def test_mspd_table3_nothing_maturing_and_partial_page() -> None:
    only_totals = [r for r in _t3_records() if r["maturity_date"] == "null" or r["security_class2_desc"] == "null"]
    err = _error(fiscaldata_mspd, _t3_page(only_totals), origin="t3.json")
    assert "no maturing securities" in str(err) and err.file == "t3.json"
    err = _error(fiscaldata_mspd, _t3_page(pages=4), origin="t3.json")
    assert_where(err, "t3.json", 1, "meta.total-pages")
    err = _error(fiscaldata_mspd, _t3_page([]), origin="t3.json")  # no record: read as an empty Table I page
    assert "no observations" in str(err)


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

    query = module.build_queries()[0]
    with _client(handler) as client:
        raw = base.download(query, client=client, sleep=lambda s: None)
    assert len(calls) == 2
    assert calls[1].params["page[size]"] == "10000" and calls[1].params["sort"] == "-record_date"
    release = module.parse(raw, origin=query.url)
    assert len(release.observations) > 0 and release.vintage is None


@pytest.mark.parametrize("module", [fiscaldata_rates, fiscaldata_mspd])
def test_download_failures(module: ModuleType) -> None:
    query = module.build_queries()[-1]
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


@pytest.mark.parametrize("layout", ["json", "csv"])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_mutated_table3_parses_or_raises_parse_error(layout: str, data: st.DataObject) -> None:
    raw = _t3_page(indent=1) if layout == "json" else _t3_csv(_t3_records())
    try:
        release = fiscaldata_mspd.parse(_mutate(raw, data), origin="t3")
    except ParseError as exc:
        assert exc.file == "t3"
    else:
        obs = release.observations
        assert obs["value"].map(lambda v: v == v and abs(v) != float("inf")).all()
        keys = ["series_id", "period"] + (["vintage"] if "vintage" in obs.columns else [])
        assert not obs.duplicated(keys).any()
        amounts = obs[obs["series_id"].str.fullmatch(r"fiscaldata\.mspd\.maturing\.[a-z]+")]
        assert (amounts["value"] >= 0).all()


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
    query = fiscaldata_mspd.build_queries(start="2025-04-01")[0]
    release = fiscaldata_mspd.parse(base.download(query), origin=query.url)
    values = _values(release.observations)
    assert values[(MS + "marketable.bills.held_by_public", "2025-04-30")] == pytest.approx(6059.334, abs=0.001)
    assert values[(MS + "total.total_public_debt_outstanding.total", "2025-04-30")] == pytest.approx(
        36213.557, abs=0.001
    )
    assert release.vintage is None and date(2025, 4, 30) <= release.observations["period"].max().date()


@pytest.mark.network
def test_real_download_mspd_table3() -> None:
    detail = fiscaldata_mspd.build_queries(detail_start="2025-04-01")[1]
    detail = base.Query(detail.url, {**detail.params, "filter": "record_date:eq:2025-04-30"}, detail.filename)
    release = fiscaldata_mspd.parse(base.download(detail), origin=detail.url)
    obs = release.observations
    assert release.vintage == date(2025, 4, 30)
    total = obs.loc[obs["series_id"].str.fullmatch(r"fiscaldata\.mspd\.maturing\.[a-z]+"), "value"].sum()
    # everything maturing after the statement date ~ Table I total marketable (USD 28,555.9 bn held by the public
    # plus intragovernmental), give or take matured debt and rounding
    assert total == pytest.approx(28_560, rel=0.02)
    bills = obs.loc[obs["series_id"] == T3 + "bills", "value"].sum()
    assert bills == pytest.approx(6_060, rel=0.02)
