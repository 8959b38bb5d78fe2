"""TreasuryDirect Auction Query export: monthly counts, bill share, average term; bad input; properties."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import get_source, treasury_auctions as ta
from geostress.data.sources.base import PARSED_COLUMNS

from geostress.testing import assert_parse_error, check_parses_or_parse_error, mutations

FILE = "treasury_auctions_treasurydirect/Auctions_Query_19791115_20251215.csv"
NAME = "Auctions_Query_19791115_20251215.csv"


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> bytes:
    return (shared_data / FILE).read_bytes()


@pytest.fixture(scope="module")
def series(raw: bytes) -> pd.Series:
    rel = ta.parse(raw, origin=NAME)
    assert rel.source == "treasury-auctions" and rel.vintage is None
    assert list(rel.observations.columns) == PARSED_COLUMNS
    return rel.observations.set_index(["series_id", "period"])["value"]


def test_registered() -> None:
    assert get_source("treasury-auctions") is ta
    (q,) = ta.build_queries()
    assert q.filename == NAME and q.url.startswith("https://")


def test_real_file(series: pd.Series, raw: bytes) -> None:
    counts = {k: series[f"treasury.auctions.count.{k}"] for k in ("bill", "note", "bond", "all")}
    # every data row is one auction: 8,079 bills, 2,269 notes, 432 bonds (the provenance note), of which three
    # (a bill, a note and a bond of December 2025) were only announced when the file was taken: no price, no
    # results, not counted
    assert counts["bill"].sum() == 8_078 and counts["note"].sum() == 2_268 and counts["bond"].sum() == 431
    assert counts["all"].sum() == len(raw.splitlines()) - 1 - 3 == 10_777
    assert (counts["bill"] + counts["note"] + counts["bond"] == counts["all"]).all()
    months = counts["all"].index
    assert months.min() == pd.Timestamp("1979-10-31") and months.max() == pd.Timestamp("2025-12-31")
    assert len(months) == 555 and months.is_month_end.all()
    nov = pd.Timestamp("2025-11-30")
    assert counts["all"][nov] == 34 and counts["bill"][nov] == 25
    assert series[("treasury.auctions.bill_share", nov)] == pytest.approx(100 * 25 / 34, abs=1e-6)
    assert 9 < series[("treasury.auctions.avg_term_years.coupons", nov)] < 11
    reopen = series["treasury.auctions.count.reopenings"]
    assert reopen[nov] == 2 and reopen.sum() > 500
    assert (reopen <= counts["note"] + counts["bond"]).all()


def test_is_reopening() -> None:
    assert ta.is_reopening("9-Year 11-Month") and ta.is_reopening("29-Year 10-Month")
    assert not ta.is_reopening("10-Year") and not ta.is_reopening("13-Week") and not ta.is_reopening("42-Day")


def test_bad_inputs(raw: bytes) -> None:
    lines = raw.splitlines(keepends=True)
    head = lines[:30]

    def replaced(i: int, old: bytes, new: bytes) -> bytes:
        rows = head[:]
        assert old in rows[i], rows[i]
        rows[i] = rows[i].replace(old, new, 1)
        return b"".join(rows)

    assert_parse_error(ta, b"ID,Kind\n1,Bill\n", NAME, 1, "ID", "not a TreasuryDirect")
    assert_parse_error(ta, replaced(0, b"Maturity Date", b"Maturity"), NAME, 1, "Maturity Date", "missing column")
    assert_parse_error(ta, replaced(1, b",Bond,", b",TIPS,"), NAME, 2, "Security Type", "unknown security type")
    assert_parse_error(ta, replaced(1, b"2025-12-11", b"2025-13-11"), NAME, 2, "Auction Date", "YYYY-MM-DD")
    assert_parse_error(ta, replaced(1, b"2055-11-15", b"2025-11-15"), NAME, 2, "Maturity Date", "out of order")
    assert_parse_error(ta, replaced(1, b"912810UP1", b"912810UP"), NAME, 2, "CUSIP", "9-character")
    assert_parse_error(ta, b"".join(head + [head[5]]), NAME, 31, "CUSIP", "appears twice")
    assert_parse_error(ta, b"", NAME, 1, "CUSIP", "empty")
    assert_parse_error(ta, b"".join(head).decode("utf-8-sig").encode("utf-16"), NAME, 1, "encoding", "UTF-16")
    cut = len(b"".join(head[:10])) + 25
    assert_parse_error(ta, raw[:cut], NAME, 11, "Issue Date", "truncated")


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check_parses_or_parse_error(ta, data, NAME)


@SETTINGS
@given(data=st.data())
def test_mutations(raw: bytes, data: st.DataObject) -> None:
    head = b"".join(raw.splitlines(keepends=True)[:120])
    junk = ["", "null", "Bill", "TIPS", "2025-02-30", "x"]
    check_parses_or_parse_error(ta, data.draw(mutations(head, separators=b",", junk=junk)), NAME)
