"""CBO baselines and actuals parsers, on the real files in ../shared/data (read there, never copied)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import cbo_actuals, cbo_baselines
from geostress.data.sources.base import PARSED_COLUMNS, Query
from geostress.errors import ParseError

from geostress.testing import assert_parse_error, check_parses_or_parse_error, mutations

FOLDER = "cbo_baseline_projections"


# ---------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------


#: Junk written into one cell by :func:`helpers.mutations`.
JUNK = ["", "NA", "x", "1e999", "-", "nan"]


def value(frame: pd.DataFrame, series_id: str, period: str, **where: object) -> float:
    sel = (frame["series_id"] == series_id) & (frame["period"] == pd.Timestamp(period))
    for col, want in where.items():
        sel &= frame[col] == want
    hits = frame.loc[sel, "value"]
    assert len(hits) == 1, (series_id, period, where, len(hits))
    return float(hits.iloc[0])


# ---------------------------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baselines_raw(shared_data: Path) -> bytes:
    return (shared_data / FOLDER / "baselines.csv").read_bytes()


@pytest.fixture(scope="module")
def baselines(baselines_raw: bytes):
    return cbo_baselines.parse(baselines_raw, origin="baselines.csv")


@pytest.fixture(scope="module")
def head_raw(baselines_raw: bytes) -> bytes:
    """Header and the first 300 data lines."""
    return b"".join(baselines_raw.splitlines(keepends=True)[:301])


@pytest.fixture(scope="module")
def actuals_raw(shared_data: Path) -> bytes:
    return (shared_data / FOLDER / "actuals.csv").read_bytes()


@pytest.fixture(scope="module")
def gdp_raw(shared_data: Path) -> bytes:
    return (shared_data / FOLDER / "actual_GDP.csv").read_bytes()


@pytest.fixture(scope="module")
def actuals(actuals_raw: bytes):
    return cbo_actuals.parse(actuals_raw, origin="actuals.csv")


# ---------------------------------------------------------------------------------------------------------------
# module contract
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [cbo_baselines, cbo_actuals])
def test_module_attributes(module) -> None:
    for attr in ("NAME", "TITLE", "PUBLISHER", "LICENSE"):
        assert isinstance(getattr(module, attr), str) and getattr(module, attr)
    queries = module.build_queries()
    assert queries and all(isinstance(q, Query) and q.url.startswith("https://") for q in queries)


def test_queries() -> None:
    (q,) = cbo_baselines.build_queries()
    assert q.url.endswith("/input_data/baselines.csv") and "US-CBO/eval-projections" in q.url
    assert cbo_baselines.PINNED_COMMIT in q.url
    (q,) = cbo_baselines.build_queries(ref="main")
    assert "/main/" in q.url
    names = [q.filename for q in cbo_actuals.build_queries()]
    assert names == ["actuals.csv", "actual_GDP.csv"]


# ---------------------------------------------------------------------------------------------------------------
# baselines.csv on the real file
# ---------------------------------------------------------------------------------------------------------------


def test_baselines_frame_shape(baselines, baselines_raw: bytes) -> None:
    frame = baselines.observations
    assert baselines.source == "cbo-baselines"
    assert list(frame.columns) == PARSED_COLUMNS + ["vintage"]
    assert pd.api.types.is_datetime64_any_dtype(frame["period"])
    assert pd.api.types.is_datetime64_any_dtype(frame["vintage"])
    assert len(frame) == len(baselines_raw.splitlines()) - 1
    assert (frame["unit"] == "USD bn").all()
    assert ((frame["period"].dt.month == 9) & (frame["period"].dt.day == 30)).all()
    assert "projected_year_number" not in frame.columns


def test_baselines_vintages(baselines, baselines_raw: bytes) -> None:
    dates = {row["baseline_date"] for row in csv.DictReader(io.StringIO(baselines_raw.decode()))}
    frame = baselines.observations
    assert frame["vintage"].nunique() == len(dates)
    assert baselines.vintage == date(2026, 2, 1) == max(date.fromisoformat(d) for d in dates)


def test_baselines_series_ids(baselines) -> None:
    ids = set(baselines.observations["series_id"])
    for sid in (
        "cbo.debt",
        "cbo.deficit",
        "cbo.outlays",
        "cbo.revenue",
        "cbo.net_interest",
        "cbo.revenue.individual_income_taxes",
        "cbo.revenue.payroll_taxes",
        "cbo.outlays.social_security",
        "cbo.outlays.medicare",
        "cbo.outlays.defense_discretionary",
        "cbo.outlays.total_mandatory",
    ):
        assert sid in ids
    assert all(s.startswith("cbo.") and not s.startswith("cbo.actual") for s in ids)


def test_baselines_feb_2026_pins(baselines) -> None:
    f = baselines.observations
    feb = {"vintage": pd.Timestamp("2026-02-01")}
    assert value(f, "cbo.net_interest", "2026-09-30", **feb) == pytest.approx(1039.0, abs=0.05)
    assert value(f, "cbo.net_interest", "2030-09-30", **feb) == pytest.approx(1431.8, abs=0.05)
    assert value(f, "cbo.net_interest", "2036-09-30", **feb) == pytest.approx(2144, abs=0.5)
    assert value(f, "cbo.debt", "2036-09-30", **feb) == pytest.approx(56152.4, abs=0.05)
    assert value(f, "cbo.deficit", "2026-09-30", **feb) == pytest.approx(-1859.2, abs=0.05)
    assert value(f, "cbo.deficit", "2036-09-30", **feb) == pytest.approx(-3102.5, abs=0.05)
    latest = f[f["vintage"] == pd.Timestamp("2026-02-01")]
    assert latest["period"].min() == pd.Timestamp("2026-09-30")
    assert latest["period"].max() == pd.Timestamp("2036-09-30")


def test_baselines_same_period_in_many_vintages(baselines) -> None:
    f = baselines.observations
    fy2030 = f[(f["series_id"] == "cbo.net_interest") & (f["period"] == pd.Timestamp("2030-09-30"))]
    assert fy2030["vintage"].nunique() == len(fy2030) > 5


# ---------------------------------------------------------------------------------------------------------------
# actuals.csv and actual_GDP.csv on the real files
# ---------------------------------------------------------------------------------------------------------------


def test_actuals_pins(actuals) -> None:
    f = actuals.observations
    assert actuals.source == "cbo-actuals" and actuals.vintage is None
    assert "vintage" not in f.columns
    assert value(f, "cbo.actual.debt", "2025-09-30") == pytest.approx(30172.4, abs=0.05)
    assert value(f, "cbo.actual.net_interest", "2024-09-30") == pytest.approx(879.9, abs=0.05)
    assert value(f, "cbo.actual.net_interest", "2025-09-30") == pytest.approx(969.9, abs=0.05)
    ids = set(f["series_id"])
    for sid in ("cbo.actual.deficit", "cbo.actual.outlays", "cbo.actual.revenue", "cbo.actual.revenue.customs_duties",
                "cbo.actual.outlays.social_security", "cbo.actual.outlays.student_loan_forgiveness"):
        assert sid in ids
    assert (f["unit"] == "USD bn").all()


def test_actual_gdp(gdp_raw: bytes) -> None:
    release = cbo_actuals.parse(gdp_raw, origin="actual_GDP.csv")
    f = release.observations
    assert set(f["series_id"]) == {"cbo.actual.gdp"}
    assert value(f, "cbo.actual.gdp", "2025-09-30") == pytest.approx(30362.0, abs=0.05)
    assert len(f) == 44 and f["period"].min() == pd.Timestamp("1982-09-30")


def test_actuals_and_baselines_share_names(actuals, baselines) -> None:
    actual = {s.removeprefix("cbo.actual.") for s in actuals.observations["series_id"]}
    projected = {s.removeprefix("cbo.") for s in baselines.observations["series_id"]}
    assert projected <= actual | {"outlays.fannie_freddie"}


# ---------------------------------------------------------------------------------------------------------------
# bad input: baselines.csv
# ---------------------------------------------------------------------------------------------------------------


def test_baselines_wrong_header(head_raw: bytes) -> None:
    lines = head_raw.splitlines(keepends=True)
    bad = b"a,b,c,d,e,f,g,h,i\n" + b"".join(lines[1:])
    assert_parse_error(cbo_baselines, bad, "baselines.csv", 1, "component", "missing column")


def test_baselines_non_numeric(head_raw: bytes) -> None:
    lines = head_raw.splitlines(keepends=True)
    lines[4] = lines[4].replace(b",2029.0", b",20x9.0")
    assert_parse_error(cbo_baselines, b"".join(lines), "baselines.csv", 5, "value", "20x9")


def test_baselines_bad_date_and_year_and_component(head_raw: bytes) -> None:
    lines = head_raw.splitlines(keepends=True)
    bad = lines[:]
    bad[9] = bad[9].replace(b"1985-02-01", b"1985-13-01")
    assert_parse_error(cbo_baselines, b"".join(bad), "baselines.csv", 10, "baseline_date")
    bad = lines[:]
    bad[9] = bad[9].replace(b",1987,", b",19x7,")
    assert_parse_error(cbo_baselines, b"".join(bad), "baselines.csv", 10, "projected_fiscal_year")
    bad = lines[:]
    bad[9] = bad[9].replace(b"debt,", b"debts,", 1)
    assert_parse_error(cbo_baselines, b"".join(bad), "baselines.csv", 10, "component", "unknown component")


def test_baselines_duplicated_period(head_raw: bytes) -> None:
    lines = head_raw.splitlines(keepends=True)
    bad = b"".join(lines + [lines[3]])
    assert_parse_error(cbo_baselines, bad, "baselines.csv", 302, "projected_fiscal_year", "appears twice.*line 4")


def test_baselines_missing_column(head_raw: bytes) -> None:
    rows = [ln.rsplit(b",", 1)[0] + b"\n" for ln in head_raw.splitlines()]
    assert_parse_error(cbo_baselines, b"".join(rows), "baselines.csv", 1, "value", "missing column 'value'")


def test_baselines_utf16(head_raw: bytes) -> None:
    bad = head_raw.decode("utf-8").encode("utf-16")
    assert_parse_error(cbo_baselines, bad, "baselines.csv", 1, "encoding", "UTF-16")
    bad = head_raw.decode("utf-8").encode("utf-16-le")  # no byte-order mark
    assert_parse_error(cbo_baselines, bad, "baselines.csv", 1, "encoding")


def test_baselines_latin1(head_raw: bytes) -> None:
    lines = head_raw.splitlines(keepends=True)
    lines[6] = lines[6].replace(b"debt,", "débt,".encode("latin-1"), 1)
    assert_parse_error(cbo_baselines, b"".join(lines), "baselines.csv", 7, "encoding", "utf-8")


def test_baselines_empty() -> None:
    assert_parse_error(cbo_baselines, b"", "baselines.csv", 1, "header", "empty")
    assert_parse_error(cbo_baselines, b"  \n\n", "baselines.csv", 1, "header", "empty")


def test_baselines_header_only(head_raw: bytes) -> None:
    header = head_raw.splitlines(keepends=True)[0]
    assert_parse_error(cbo_baselines, header, "baselines.csv", 2, "component", "no data rows")


def test_baselines_truncated(head_raw: bytes) -> None:
    lines = head_raw.splitlines(keepends=True)
    cut = len(b"".join(lines[:199])) + len(b"debt,Total,To")
    assert_parse_error(cbo_baselines, head_raw[:cut], "baselines.csv", 200, "baseline_date", "truncated")


def test_baselines_extra_cell(head_raw: bytes) -> None:
    lines = head_raw.splitlines(keepends=True)
    lines[20] = lines[20].rstrip(b"\n") + b",9\n"
    assert_parse_error(cbo_baselines, b"".join(lines), "baselines.csv", 21, "column 10 (no header)")


def test_baselines_not_bytes() -> None:
    with pytest.raises(ParseError, match="baselines.csv"):
        cbo_baselines.parse("component,category", origin="baselines.csv")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------------
# bad input: actuals.csv and actual_GDP.csv
# ---------------------------------------------------------------------------------------------------------------


def test_actuals_wrong_header(actuals_raw: bytes) -> None:
    lines = actuals_raw.splitlines(keepends=True)
    bad = b"x,y,z\n" + b"".join(lines[1:])
    assert_parse_error(cbo_actuals, bad, "actuals.csv", 1, "header", "unrecognised header")


def test_actuals_non_numeric(actuals_raw: bytes) -> None:
    lines = actuals_raw.splitlines(keepends=True)
    lines[2] = lines[2].replace(b"1507.26", b"15O7.26")
    assert_parse_error(cbo_actuals, b"".join(lines), "actuals.csv", 3, "actual_value", "15O7")


def test_actuals_duplicated_period(actuals_raw: bytes) -> None:
    lines = actuals_raw.splitlines(keepends=True)
    bad = b"".join(lines[:10] + [lines[5]] + lines[10:])
    assert_parse_error(cbo_actuals, bad, "actuals.csv", 11, "fiscal_year", "appears twice.*line 6")


def test_actuals_missing_column(actuals_raw: bytes) -> None:
    rows = [b",".join(ln.split(b",")[:3] + ln.split(b",")[4:]) + b"\n" for ln in actuals_raw.splitlines()]
    assert_parse_error(cbo_actuals, b"".join(rows), "actuals.csv", 1, "fiscal_year", "missing column")


def test_actuals_utf16_empty_truncated(actuals_raw: bytes) -> None:
    assert_parse_error(cbo_actuals, actuals_raw.decode().encode("utf-16"), "actuals.csv", 1, "encoding")
    assert_parse_error(cbo_actuals, b"", "actuals.csv", 1, "header", "empty")
    lines = actuals_raw.splitlines(keepends=True)
    cut = len(b"".join(lines[:99])) + len(b"outlay,Mand")
    assert_parse_error(cbo_actuals, actuals_raw[:cut], "actuals.csv", 100, "subcategory", "truncated")


def test_gdp_bad_inputs(gdp_raw: bytes) -> None:
    lines = gdp_raw.splitlines(keepends=True)
    assert_parse_error(cbo_actuals, b"year,GDP\n" + b"".join(lines[1:]), "actual_GDP.csv", 1, "fiscal_year")
    bad = lines[:]
    bad[3] = b"1984,n/a?\n"
    assert_parse_error(cbo_actuals, b"".join(bad), "actual_GDP.csv", 4, "GDP", "expected a number")
    assert_parse_error(cbo_actuals, b"".join(lines + [lines[-1]]), "actual_GDP.csv", 46, "fiscal_year", "twice")
    assert_parse_error(cbo_actuals, b"".join(lines[:20]) + b"2001", "actual_GDP.csv", 21, "GDP", "truncated")
    assert_parse_error(cbo_actuals, gdp_raw.decode().encode("utf-16"), "actual_GDP.csv", 1, "encoding")


# ---------------------------------------------------------------------------------------------------------------
# properties: random bytes and mutations never raise anything but ParseError
# ---------------------------------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(raw=st.binary(max_size=600))
def test_baselines_random_bytes(raw: bytes) -> None:
    check_parses_or_parse_error(cbo_baselines, raw, "baselines.csv", exact_columns=False)


@SETTINGS
@given(data=st.data())
def test_baselines_mutations(head_raw: bytes, data: st.DataObject) -> None:
    check_parses_or_parse_error(cbo_baselines, data.draw(mutations(head_raw, separators=b",|", junk=JUNK)), "baselines.csv", exact_columns=False)


@SETTINGS
@given(raw=st.binary(max_size=600))
def test_actuals_random_bytes(raw: bytes) -> None:
    check_parses_or_parse_error(cbo_actuals, raw, "actuals.csv", exact_columns=False)


@SETTINGS
@given(data=st.data())
def test_actuals_mutations(actuals_raw: bytes, gdp_raw: bytes, data: st.DataObject) -> None:
    raw = data.draw(st.sampled_from([actuals_raw, gdp_raw]))
    check_parses_or_parse_error(cbo_actuals, data.draw(mutations(raw, separators=b",|", junk=JUNK)), "actuals.csv", exact_columns=False)
