"""World Bank Pink Sheet monthly gold price: the real workbook, small hand-made workbooks for bad input, properties."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import IllegalCharacterError
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import get_source
from geostress.data.sources import gold_worldbank as wb
from geostress.data.sources.base import PARSED_COLUMNS

from geostress.testing import assert_parse_error, check_parses_or_parse_error

FILE = "gold_price_worldbank_monthly/CMO-Historical-Data-Monthly.xlsx"
NAME = "CMO-Historical-Data-Monthly.xlsx"


@pytest.fixture(scope="module")
def release(shared_data: Path):
    return wb.parse((shared_data / FILE).read_bytes(), origin=NAME)


def workbook(rows: list[list[object]], sheet: str = "Monthly Prices") -> bytes:
    """A small XLSX whose sheet ``sheet`` holds ``rows`` (row 1 first)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


HEAD: list[list[object]] = [
    ["World Bank Commodity Price Data (The Pink Sheet)"],
    ["monthly prices in nominal US dollars, 1960 to present"],
    [None],
    ["Updated on July 02, 2026"],
    [None, "Crude oil, average", "Gold", "Platinum"],
    [None, "($/bbl)", "($/troy oz)", "($/troy oz)"],
]


def test_registered() -> None:
    assert get_source("gold-worldbank") is wb
    (q,) = wb.build_queries()
    assert q.url.startswith("https://") and q.filename == NAME
    assert wb.build_queries(url="https://example.org/x.xlsx")[0].url == "https://example.org/x.xlsx"
    assert "CC BY 4.0" in wb.LICENSE


def test_real_workbook(release) -> None:
    assert release.source == "gold-worldbank" and release.vintage == date(2026, 7, 2)
    f = release.observations
    assert list(f.columns) == PARSED_COLUMNS and set(f["series_id"]) == {"worldbank.gold"}
    assert set(f["unit"]) == {"USD/troy oz"}
    gold = f.set_index("period")["value"]
    assert len(gold) == 798 and gold.index.is_month_end.all() and gold.index.is_monotonic_increasing
    assert gold.index[0] == pd.Timestamp("1960-01-31") and gold.index[-1] == pd.Timestamp("2026-06-30")
    # the figures of the provenance note (the workbook rounds to whole dollars)
    for month, price in [("1960-01-31", 35), ("2024-12-31", 2648), ("2025-06-30", 3353), ("2025-12-31", 4309),
                         ("2026-02-28", 5020), ("2026-06-30", 4228)]:
        assert gold[pd.Timestamp(month)] == price, month
    assert gold.idxmax() == pd.Timestamp("2026-02-28")


def test_small_workbook_and_blank_months() -> None:
    raw = workbook(HEAD + [["1960M01", 1.6, 35.27, 84], ["1960M02", 1.6, None, 84], ["1960M03", 1.6, "..", 84]])
    rel = wb.parse(raw, origin="small.xlsx")
    assert rel.observations["value"].tolist() == [35.27] and rel.vintage == date(2026, 7, 2)
    no_date = workbook(HEAD[4:] + [["1960M01", 1.6, 35.27, 84]])
    assert wb.parse(no_date, origin="n.xlsx").vintage is None


def test_bad_inputs(shared_data: Path) -> None:
    good = [["1960M01", 1.6, 35.0, 84], ["1960M02", 1.6, 35.0, 84]]
    assert_parse_error(wb, b"", NAME, 1, "workbook", "empty")
    assert_parse_error(wb, b"Date,Price\n1960-01,35\n", NAME, 1, "workbook", "not an XLSX")
    assert_parse_error(wb, b"\xd0\xcf\x11\xe0" + bytes(100), NAME, 1, "workbook", "legacy Excel")
    real = (shared_data / FILE).read_bytes()
    assert_parse_error(wb, real[: len(real) // 2], NAME, 1, "workbook", "damaged or truncated")
    assert_parse_error(wb, workbook(HEAD + good, sheet="Prices"), NAME, 1, "Monthly Prices", "no sheet")
    no_gold = [r[:2] for r in HEAD] + [r[:2] for r in good]
    assert_parse_error(wb, workbook(no_gold), NAME, 1, "Gold", "no 'Gold' column")
    kg = [*HEAD[:5], [None, "($/bbl)", "($/kg)", "($/troy oz)"]]
    assert_parse_error(wb, workbook(kg + good), NAME, 6, "Gold (C)", "unit")
    assert_parse_error(wb, workbook(HEAD + [good[0], ["1960-02", 1.6, 35, 84]]), NAME, 8, "month (A)", "1960M01")
    assert_parse_error(wb, workbook(HEAD + [good[0], ["1960M13", 1.6, 35, 84]]), NAME, 8, "month (A)")
    assert_parse_error(wb, workbook(HEAD + good + [good[1]]), NAME, 9, "month (A)", "appears twice")
    assert_parse_error(wb, workbook(HEAD + good[::-1]), NAME, 8, "month (A)", "out of order")
    assert_parse_error(wb, workbook(HEAD + [good[0], ["1960M02", 1.6, "35,o", 84]]), NAME, 8, "Gold (C)", "number")
    assert_parse_error(wb, workbook(HEAD + [good[0], ["1960M02", 1.6, -35, 84]]), NAME, 8, "Gold (C)", "positive")
    assert_parse_error(wb, workbook(HEAD + [["1960M01", 1.6, None, 84]]), NAME, 7, "Gold (C)", "no gold prices")


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CELLS = st.one_of(st.none(), st.integers(-10, 10_000), st.floats(allow_nan=True, allow_infinity=True),
                  st.text(max_size=8), st.sampled_from(["1960M01", "2026M06", "..", "($/troy oz)", "Gold"]))


@SETTINGS
@given(data=st.data())
def test_random_workbooks(data: st.DataObject) -> None:
    """Any sheet of random cells after a valid or random header: observations or a ParseError, nothing else."""
    head = data.draw(st.sampled_from([HEAD, HEAD[4:], []]))
    body = data.draw(st.lists(st.lists(CELLS, min_size=0, max_size=4), max_size=8))
    try:
        raw = workbook(head + body)
    except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some characters: not the parser's concern
        return
    check_parses_or_parse_error(wb, raw, NAME)


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_random_bytes(raw: bytes) -> None:
    check_parses_or_parse_error(wb, raw, NAME)


@SETTINGS
@given(cut=st.integers(min_value=1, max_value=2000))
def test_truncated_small_workbook(cut: int) -> None:
    raw = workbook(HEAD + [["1960M01", 1.6, 35.0, 84]])
    check_parses_or_parse_error(wb, raw[: max(1, len(raw) - cut)], NAME)
