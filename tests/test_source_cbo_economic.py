"""CBO economic projections (Feb-2026 calendar-year, Jan-2025 quarterly): real files, vintages, bad input, properties."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import cbo_economic as cbo
from geostress.data.sources import get_source
from geostress.data.sources.base import PARSED_COLUMNS
from geostress.data.store import Store
from geostress.errors import DataError

from geostress.testing import assert_parse_error, check_parses_or_parse_error, mutations

CY = "cbo_economic_projections_2026-02/Annual_CY_February2026.csv"
QUARTERLY = "cbo_economic_projections_2025-01/CBO_Quarterly_January2025.csv"


@pytest.fixture(scope="module")
def cy_raw(shared_data: Path) -> bytes:
    return (shared_data / CY).read_bytes()


@pytest.fixture(scope="module")
def q_raw(shared_data: Path) -> bytes:
    return (shared_data / QUARTERLY).read_bytes()


def values(frame: pd.DataFrame, sid: str) -> pd.Series:
    sub = frame[frame["series_id"] == sid]
    assert len(sub), sid
    return sub.set_index("period")["value"]


def test_registered_and_queries() -> None:
    assert get_source("cbo-economic") is cbo
    queries = cbo.build_queries()
    assert [q.filename for q in queries] == ["Annual_CY_February2026.csv", "CBO_Quarterly_January2025.csv"]
    assert cbo.build_queries(vintage="2025-01")[0].filename == "CBO_Quarterly_January2025.csv"
    with pytest.raises(DataError, match="known: 2026-02, 2025-01"):
        cbo.build_queries(vintage="2024-06")


def test_vintage_from_name() -> None:
    assert cbo.vintage_from_name("/a/Annual_CY_February2026.csv") == date(2026, 2, 1)
    assert cbo.vintage_from_name("CBO_Quarterly_January2025.csv") == date(2025, 1, 1)
    assert cbo.vintage_from_name("https://x/Quarterly_June2024.csv") == date(2024, 6, 1)
    assert cbo.vintage_from_name("econ.csv") is None


def test_calendar_year_file(cy_raw: bytes) -> None:
    rel = cbo.parse(cy_raw, origin=CY)
    assert rel.vintage == date(2026, 2, 1) and rel.source == "cbo-economic"
    f = rel.observations
    assert list(f.columns) == PARSED_COLUMNS
    assert set(f["series_id"]) == {f"cbo.econ.{v}" for v in cbo.VARIABLES}
    gdp = values(f, "cbo.econ.gdp")
    assert gdp.index.min() == pd.Timestamp("1949-12-31") and gdp.index.max() == pd.Timestamp("2036-12-31")
    # the table of the provenance note (calendar-year values of the February 2026 projections)
    table = {
        2025: (30705.2, 23830.3, 128.85, 322.38, 4.29, 4.06, 4.21, 4.27),
        2026: (32274.2, 24393.8, 132.30, 331.81, 4.13, 3.33, 3.45, 4.56),
        2030: (37742.5, 26199.4, 144.05, 364.33, 4.34, 3.18, 3.39, 4.30),
        2036: (47146.7, 29105.5, 161.98, 416.54, 4.39, 3.12, 3.33, 4.17),
    }
    names = ["gdp", "real_gdp", "gdp_price_index", "cpiu", "treasury_note_rate_10yr", "treasury_bill_rate_3mo",
             "fed_funds_rate", "unemployment_rate"]
    for year, expected in table.items():
        for name, value in zip(names, expected, strict=True):
            assert values(f, f"cbo.econ.{name}")[pd.Timestamp(f"{year}-12-31")] == pytest.approx(value, abs=0.051)
    assert (f.loc[f["series_id"] == "cbo.econ.gdp", "unit"] == "USD bn").all()
    assert (f.loc[f["series_id"] == "cbo.econ.cpiu", "unit"] == "index 1982-84=100").all()


def test_quarterly_file(q_raw: bytes) -> None:
    rel = cbo.parse(q_raw, origin=QUARTERLY)
    assert rel.vintage == date(2025, 1, 1)
    f = rel.observations
    gdp_q = values(f, "cbo.econ.gdp.q")
    assert len(gdp_q) == 348 and gdp_q.index.is_quarter_end.all()
    assert gdp_q[pd.Timestamp("2024-06-30")] == 29016.7
    # calendar-year averages of the quarters: the provenance note's table
    for var, year, expected in [("gdp", 2025, 30441.1), ("gdp", 2026, 31640.6), ("gdp", 2035, 44345.4),
                                ("real_gdp", 2030, 25990.7), ("treasury_note_rate_10yr", 2026, 3.94),
                                ("treasury_bill_rate_3mo", 2035, 3.02), ("fed_funds_rate", 2025, 4.02)]:
        assert values(f, f"cbo.econ.{var}")[pd.Timestamp(f"{year}-12-31")] == pytest.approx(expected, abs=0.051)
    annual = values(f, "cbo.econ.gdp")
    assert annual[pd.Timestamp("2025-12-31")] == pytest.approx(gdp_q["2025"].mean())
    assert "average of CBO's quarterly values" in f.loc[f["series_id"] == "cbo.econ.gdp", "label"].iloc[0]


def test_fiscal_year_file() -> None:
    raw = b"date,gdp,real_gdp,gdp_price_index,treasury_note_rate_10yr\n2025,30000,23000,128,4.2\n2026,31000,NA,131,4.1\n"
    f = cbo.parse(raw, origin="Annual_FY_February2026.csv").observations
    assert set(f["series_id"]) == {"cbo.econ.gdp.fy", "cbo.econ.real_gdp.fy", "cbo.econ.gdp_price_index.fy",
                                   "cbo.econ.treasury_note_rate_10yr.fy"}
    assert set(f["period"]) == {pd.Timestamp("2025-09-30"), pd.Timestamp("2026-09-30")}
    assert len(f) == 7  # the NA is skipped


def test_snapshot_vintages(geostress_home: Path) -> None:
    store = Store()
    assert store.vintages("cbo.econ.gdp") == [date(2025, 1, 1), date(2026, 2, 1)]
    jan25 = store.get("cbo.econ.gdp", vintage="2025-01-01").set_index("period")["value"]
    feb26 = store.get("cbo.econ.gdp", vintage="2026-02-01").set_index("period")["value"]
    assert jan25.index.max() == pd.Timestamp("2035-12-31") and feb26.index.max() == pd.Timestamp("2036-12-31")
    assert feb26[pd.Timestamp("2030-12-31")] > jan25[pd.Timestamp("2030-12-31")]
    assert store.get("cbo.econ.treasury_note_rate_10yr", as_of="2025-06-30")["vintage"].max() == pd.Timestamp(
        "2025-01-01"
    )


def test_bad_inputs(cy_raw: bytes) -> None:
    lines = cy_raw.splitlines(keepends=True)
    name = "Annual_CY_February2026.csv"
    head = lines[:12]
    assert_parse_error(cbo, b"year,gnp\n1949,272\n", name, 1, "year", "not a CBO economic-projections")
    assert_parse_error(cbo, b"year,gdp\n1949,272\n", name, 1, "date", "missing column")
    no_rate = b"date,gdp,real_gdp,gdp_price_index\n1949,272,2,12\n"
    assert_parse_error(cbo, no_rate, name, 1, "treasury_note_rate_10yr", "missing column")
    bad = head[:]
    bad[3] = b"19x1" + bad[3][4:]
    assert_parse_error(cbo, b"".join(bad), name, 4, "date", "expected a year")
    bad = head[:]
    bad[3] = b"1951q1" + bad[3][4:]
    assert_parse_error(cbo, b"".join(bad), name, 4, "date", "mixes quarters and years")
    assert_parse_error(cbo, b"".join(head + [head[5]]), name, 13, "date", "appears twice")
    bad = head[:]
    cells = bad[3].split(b",")
    cells[1] = b"3o1.2"
    bad[3] = b",".join(cells)
    assert_parse_error(cbo, b"".join(bad), name, 4, "gdp", "expected a number")
    assert_parse_error(cbo, b"", name, 1, "date", "empty")
    assert_parse_error(cbo, b"".join(head).decode().encode("utf-16"), name, 1, "encoding", "UTF-16")
    cut = len(b"".join(head[:6])) + len(b"1954,3")
    assert_parse_error(cbo, cy_raw[:cut], name, 7, "gnp", "truncated")
    assert_parse_error(cbo, b"date,gdp,real_gdp,gdp_price_index,treasury_note_rate_10yr\n1950,NA,NA,NA,NA\n",
                       name, 2, "gdp", "every cell")


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    check_parses_or_parse_error(cbo, raw, "Annual_CY_February2026.csv")


@SETTINGS
@given(data=st.data())
def test_mutations(cy_raw: bytes, q_raw: bytes, data: st.DataObject) -> None:
    raw, name = data.draw(st.sampled_from([(cy_raw, CY), (q_raw, QUARTERLY)]))
    head = b"".join(raw.splitlines(keepends=True)[:30])
    junk = ["", "NA", "x", "1e999", "2025q5", "2025"]
    check_parses_or_parse_error(cbo, data.draw(mutations(head, separators=b",", junk=junk)), name)
