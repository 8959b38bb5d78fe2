"""ACM 10-year term premium (NY Fed) parser on the real file in ../shared/data, bad input and properties."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import acm_term_premium as acm
from geostress.data.sources import get_source
from geostress.data.sources.base import PARSED_COLUMNS

from geostress.testing import assert_parse_error, check_parses_or_parse_error, mutations

FILE = "term_premium_acm_nyfed/ACMTP10_daily.csv"
NAME = "ACMTP10_daily.csv"
JUNK = ["", ".", "x", "1e999", "2026-13-01", "99"]


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> bytes:
    return (shared_data / FILE).read_bytes()


@pytest.fixture(scope="module")
def frame(raw: bytes) -> pd.DataFrame:
    return acm.parse(raw, origin=NAME).observations


def values(frame: pd.DataFrame, series_id: str) -> pd.Series:
    return frame[frame["series_id"] == series_id].set_index("period")["value"]


def test_registered_and_attributed() -> None:
    assert get_source("acm-term-premium") is acm
    for attr in ("NAME", "TITLE", "PUBLISHER", "LICENSE"):
        assert getattr(acm, attr)
    assert "Adrian, Crump and Moench" in acm.LICENSE and "New York" in acm.PUBLISHER
    (q,) = acm.build_queries()
    assert q.url.startswith("https://") and acm.PINNED_COMMIT in q.url and q.filename == "ACMTP10_daily.csv"
    assert "/main/" in acm.build_queries(ref="main")[0].url


def test_real_file(raw: bytes, frame: pd.DataFrame) -> None:
    assert list(frame.columns) == PARSED_COLUMNS
    daily = values(frame, "acm.tp10")
    assert len(daily) == len(raw.splitlines()) - 1 == 16_261
    assert daily.index.min() == pd.Timestamp("1961-06-14") and daily.index.max() == pd.Timestamp("2026-08-20")
    assert daily[pd.Timestamp("1961-06-14")] == 0.089406
    assert daily[pd.Timestamp("2026-08-20")] == 0.815923
    assert daily.index.is_monotonic_increasing
    assert (frame["unit"] == "percent").all()
    assert frame["label"].str.contains("Adrian, Crump and Moench").all()


def test_monthly_average(frame: pd.DataFrame) -> None:
    daily = values(frame, "acm.tp10")
    monthly = values(frame, "acm.tp10.monthly_avg")
    assert monthly.index.is_month_end.all() and len(monthly) == 783
    # the figures the provenance note gives (monthly means of this vintage)
    for month, expected in [("2024-12-31", 0.267), ("2025-06-30", 0.693), ("2025-12-31", 0.715),
                            ("2026-03-31", 0.656), ("2026-06-30", 0.588), ("2026-07-31", 0.677),
                            ("2026-08-31", 0.809), ("2013-09-30", 1.55), ("2020-03-31", -1.23)]:
        assert monthly[pd.Timestamp(month)] == pytest.approx(expected, abs=0.0051), month
    july = daily["2026-07-01":"2026-07-31"]
    assert monthly[pd.Timestamp("2026-07-31")] == pytest.approx(july.mean(), abs=5e-7)


def test_workbook_sheet_layout() -> None:
    text = (
        "DATE,ACMY01,ACMTP01,ACMTP10,ACMRNY10\n"
        "14-Jun-1961,2.9,0.01,0.089406,3.1\n"
        "15-Jun-1961,2.9,0.01,0.134230,3.1\n"
        "03-Jul-1961,2.9,0.01,.,3.1\n"
        "07/05/1961,2.9,0.01,0.2,3.1\n"
    ).encode()
    f = acm.parse(text, origin="ACM Daily.csv").observations
    daily = values(f, "acm.tp10")
    assert list(daily.index) == [pd.Timestamp("1961-06-14"), pd.Timestamp("1961-06-15"), pd.Timestamp("1961-07-05")]
    monthly = values(f, "acm.tp10.monthly_avg")
    assert monthly[pd.Timestamp("1961-06-30")] == pytest.approx((0.089406 + 0.134230) / 2)
    assert monthly[pd.Timestamp("1961-07-31")] == 0.2


def test_bad_inputs(raw: bytes) -> None:
    lines = raw.splitlines(keepends=True)
    head = lines[:40]
    assert_parse_error(acm, b"day,premium\n" + b"".join(head[1:]), NAME, 1, "day", "not an ACM")
    bad = head[:]
    bad[3] = bad[3].replace(b"1961-06-16", b"1961-16-06")
    assert_parse_error(acm, b"".join(bad), NAME, 4, "date", "expected a date")
    bad = head[:]
    bad[3] = bad[3].split(b",")[0] + b",0.1o\n"
    assert_parse_error(acm, b"".join(bad), NAME, 4, "value", "expected a number")
    assert_parse_error(acm, b"".join(head + [head[-1]]), NAME, 41, "date", "appears twice")
    assert_parse_error(acm, b"".join(head[:5] + [head[2]]), NAME, 6, "date", "dates must increase")
    bad = head[:]
    bad[3] = bad[3].split(b",")[0] + b",45.0\n"
    assert_parse_error(acm, b"".join(bad), NAME, 4, "value", "implausible")
    assert_parse_error(acm, b"", NAME, 1, "header", "empty")
    assert_parse_error(acm, b"".join(head).decode().encode("utf-16"), NAME, 1, "encoding", "UTF-16")
    assert_parse_error(acm, b"date,value\n", NAME, 2, "date", "no data rows")
    assert_parse_error(acm, b"date,value\n1961-06-14,.\n", NAME, 2, "value", "every term-premium cell is blank")
    cut = len(b"".join(head[:10])) + len(b"1961-06-2")
    assert_parse_error(acm, raw[:cut], NAME, 11, "value", "truncated")


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check_parses_or_parse_error(acm, data, NAME)


@SETTINGS
@given(data=st.data())
def test_mutations(raw: bytes, data: st.DataObject) -> None:
    head = b"".join(raw.splitlines(keepends=True)[:200])
    check_parses_or_parse_error(acm, data.draw(mutations(head, separators=b",", junk=JUNK)), NAME)
