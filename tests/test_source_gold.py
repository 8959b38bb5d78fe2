"""Gold reserve parsers (WGC quarterly by country, SAFE China monthly) on the real files in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import gold_safe, gold_wgc
from geostress.data.sources.base import PARSED_COLUMNS, Query

from geostress.testing import assert_parse_error, check_parses_or_parse_error, mutations

FOLDER = "central_bank_gold_reserves"


# ---------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------


#: Junk written into one cell by :func:`helpers.mutations`.
JUNK = ["", "NA", "x", "-5", "1e999", "2025-13"]


def series(frame: pd.DataFrame, series_id: str) -> pd.Series:
    sub = frame[frame["series_id"] == series_id]
    assert len(sub), series_id
    return sub.set_index("period")["value"]


# ---------------------------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wgc_raw(shared_data: Path) -> bytes:
    return (shared_data / FOLDER / "wgc_reserves.csv").read_bytes()


@pytest.fixture(scope="module")
def wgc(wgc_raw: bytes):
    return gold_wgc.parse(wgc_raw, origin="wgc_reserves.csv")


@pytest.fixture(scope="module")
def derived_raw(shared_data: Path) -> bytes:
    return (shared_data / FOLDER / "china_gold_safe_monthly_derived.csv").read_bytes()


@pytest.fixture(scope="module")
def history_raw(shared_data: Path) -> bytes:
    return (shared_data / FOLDER / "gold_history.csv").read_bytes()


# ---------------------------------------------------------------------------------------------------------------
# module contract
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [gold_wgc, gold_safe])
def test_module_attributes(module) -> None:
    for attr in ("NAME", "TITLE", "PUBLISHER", "LICENSE"):
        assert isinstance(getattr(module, attr), str) and getattr(module, attr)
    queries = module.build_queries()
    assert queries and all(isinstance(q, Query) and q.url.startswith("https://") for q in queries)


def test_queries() -> None:
    (q,) = gold_safe.build_queries()
    assert q.url == "https://www.safe.gov.cn/en/2021/0203/1799.html"
    (q,) = gold_safe.build_queries(mirror="github")
    assert q.url.endswith("/data/gold_history.csv")
    (q,) = gold_wgc.build_queries()
    assert q.url.endswith("/data/wgc_reserves.csv") and q.filename == "wgc_reserves.csv"


# ---------------------------------------------------------------------------------------------------------------
# WGC quarterly reserves
# ---------------------------------------------------------------------------------------------------------------


def test_wgc_china_pins(wgc) -> None:
    assert wgc.source == "gold-wgc" and wgc.vintage is None
    china = series(wgc.observations, "gold.wgc.china")
    assert china[pd.Timestamp("2024-12-31")] == pytest.approx(2279.56)
    assert china[pd.Timestamp("2025-12-31")] == pytest.approx(2306.30)
    assert china[pd.Timestamp("2000-03-31")] == pytest.approx(395.01)
    assert china[pd.Timestamp("2025-09-30")] == pytest.approx(2303.51)
    # 2,306.30 t = 74.15 Moz, as SAFE publishes for end-December 2025
    assert round(china[pd.Timestamp("2025-12-31")] * gold_wgc.OZ_PER_TONNE / 1e6, 2) == 74.15


def test_wgc_frame(wgc, wgc_raw: bytes) -> None:
    f = wgc.observations
    assert list(f.columns) == PARSED_COLUMNS
    assert len(f) == len(wgc_raw.splitlines()) - 1
    assert (f["unit"] == "tonnes").all()
    assert f["period"].dt.is_month_end.all() and f["period"].dt.month.isin([3, 6, 9, 12]).all()
    assert f["series_id"].str.fullmatch(r"gold\.wgc\.[a-z0-9_]+").all()


def test_wgc_name_map(wgc) -> None:
    ids = set(wgc.observations["series_id"])
    for sid in ("gold.wgc.china", "gold.wgc.united_states", "gold.wgc.russia", "gold.wgc.taiwan", "gold.wgc.hong_kong"):
        assert sid in ids
    for raw_slug in ("united_states_of_america", "russian_federation", "taiwan_china", "hong_kong_sar"):
        assert f"gold.wgc.{raw_slug}" not in ids
    assert gold_wgc.country_slug("Taiwan, China") == "taiwan"
    assert gold_wgc.country_slug("Germany") == "germany"
    label = wgc.observations.loc[wgc.observations["series_id"] == "gold.wgc.united_states", "label"].iloc[0]
    assert "United States of America" in label


def test_wgc_latest_quarter_incomplete(wgc) -> None:
    us = series(wgc.observations, "gold.wgc.united_states")
    assert us.index.max() == pd.Timestamp("2025-09-30")


def test_wgc_bad_inputs(wgc_raw: bytes) -> None:
    lines = wgc_raw.splitlines(keepends=True)
    name = "wgc_reserves.csv"
    # wrong header
    assert_parse_error(gold_wgc, b"Quarter,Nation,Tonnes\n" + b"".join(lines[1:50]), name, 1, "Date", "missing column")
    # non-numeric cell
    bad = lines[:50]
    bad[2] = bad[2].replace(b"395.01", b"395.0l")
    assert_parse_error(gold_wgc, b"".join(bad), name, 3, "Tonnes", "expected a number, found '395.0l'")
    # bad month
    bad = lines[:50]
    bad[2] = bad[2].replace(b"2000-03", b"2000-3x")
    assert_parse_error(gold_wgc, b"".join(bad), name, 3, "Date", "YYYY-MM")
    # negative holding
    bad = lines[:50]
    bad[2] = bad[2].replace(b"395.01", b"-395.01")
    assert_parse_error(gold_wgc, b"".join(bad), name, 3, "Tonnes", "negative")
    # duplicated period (China 2000-03 twice)
    assert_parse_error(gold_wgc, b"".join(lines[:50] + [lines[2]]), name, 51, "Date", r"appears twice \(first on line 3\)")
    # two names that map to one slug in the same quarter are a duplicate too
    alias = lines[2].replace(b"China", b'"China, P.R.: Mainland"')
    assert_parse_error(gold_wgc, b"".join(lines[:50] + [alias]), name, 51, "Date", "gold.wgc.china")
    # missing column
    rows = [b",".join(ln.split(b",")[:1] + ln.split(b",")[-1:]) for ln in lines[:50]]
    assert_parse_error(gold_wgc, b"".join(rows), name, 1, "Country", "missing column")
    # wrong encoding
    assert_parse_error(gold_wgc, b"".join(lines[:50]).decode().encode("utf-16"), name, 1, "encoding", "UTF-16")
    # empty
    assert_parse_error(gold_wgc, b"", name, 1, "header", "empty")
    # truncated in the middle of a line
    cut = len(b"".join(lines[:30])) + len(b"2002-0")
    assert_parse_error(gold_wgc, wgc_raw[:cut], name, 31, "Country", "truncated")


def test_wgc_blank_tonnes_skipped(wgc_raw: bytes) -> None:
    lines = wgc_raw.splitlines(keepends=True)[:20]
    lines[2] = lines[2].replace(b"395.01", b"")
    f = gold_wgc.parse(b"".join(lines), origin="w.csv").observations
    assert len(f) == 18 and "gold.wgc.china" not in set(f["series_id"])


# ---------------------------------------------------------------------------------------------------------------
# SAFE China monthly
# ---------------------------------------------------------------------------------------------------------------


def test_safe_derived_pins(derived_raw: bytes) -> None:
    release = gold_safe.parse(derived_raw, origin="china_gold_safe_monthly_derived.csv")
    assert release.source == "gold-safe" and release.vintage is None
    f = release.observations
    assert set(f["series_id"]) == {"gold.safe.china"} and (f["unit"] == "million troy oz").all()
    china = series(f, "gold.safe.china")
    assert china[pd.Timestamp("2025-12-31")] == 74.15
    assert china[pd.Timestamp("2026-06-30")] == 75.44
    assert china[pd.Timestamp("2025-01-31")] == 73.45
    assert china.index.min() == pd.Timestamp("2025-01-31") and china.index.max() == pd.Timestamp("2026-06-30")
    assert f["period"].dt.is_month_end.all()


def test_safe_history_matches_derived(derived_raw: bytes, history_raw: bytes) -> None:
    derived = series(gold_safe.parse(derived_raw, origin="derived.csv").observations, "gold.safe.china")
    history = gold_safe.parse(history_raw, origin="gold_history.csv").observations
    from_history = series(history, "gold.safe.china")
    assert len(from_history) == len(derived) == 18
    pd.testing.assert_series_equal(from_history.sort_index(), derived.sort_index())


def test_safe_history_shift_and_quarter_ends_match_wgc(history_raw: bytes, wgc) -> None:
    china = series(gold_safe.parse(history_raw, origin="gold_history.csv").observations, "gold.safe.china")
    # the row labelled 2026-01-30 (2,306.32 t) is the end-December 2025 stock
    assert china[pd.Timestamp("2025-12-31")] == 74.15
    wgc_china = series(wgc.observations, "gold.wgc.china")
    for quarter in ("2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"):
        q = pd.Timestamp(quarter)
        assert china[q] == round(wgc_china[q] * gold_wgc.OZ_PER_TONNE / 1e6, 2)


def test_safe_history_other_countries(history_raw: bytes) -> None:
    f = gold_safe.parse(history_raw, origin="gold_history.csv").observations
    national = f[f["series_id"].str.startswith("gold.national.")]
    assert set(national["series_id"]) == {
        f"gold.national.{c}" for c in ("india", "poland", "turkey", "russia", "germany", "kazakhstan", "uzbekistan")
    }
    assert (national["unit"] == "tonnes").all()
    india = series(f, "gold.national.india")
    assert india[pd.Timestamp("2025-02-21")] == pytest.approx(908.52)  # Report_Date as given (a Friday)
    assert "unchecked" in national["label"].iloc[0]


def test_safe_tonnes_to_moz() -> None:
    assert gold_safe.tonnes_to_moz(2306.32) == 74.15
    assert gold_safe.tonnes_to_moz(2284.55) == 73.45


def test_safe_unrecognised_layouts() -> None:
    html = b"<!DOCTYPE html><html><body>Official reserve assets</body></html>"
    err = assert_parse_error(gold_safe, html, "1799.html", 1, "header", "HTML")
    assert "XLS" in str(err) and "parser" in str(err)
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200)
    err = assert_parse_error(gold_safe, xls, "reserves.xls", 1, "header", "XLS")
    assert "dedicated XLS parser" in str(err)
    assert_parse_error(gold_safe, b"Date,Country,Tonnes\n2025-03,China,1\n", "other.csv", 1, "header", "unrecognised layout")


def test_safe_derived_bad_inputs(derived_raw: bytes) -> None:
    lines = derived_raw.splitlines(keepends=True)
    name = "china_gold_safe_monthly_derived.csv"
    # wrong header (recognised as the derived layout, but the value column is misnamed)
    header = lines[0].replace(b"gold_million_troy_oz_recomputed", b"gold_moz")
    assert_parse_error(gold_safe, header + b"".join(lines[1:]), name, 1, "gold_million_troy_oz_recomputed")
    # non-numeric
    bad = lines[:]
    bad[5] = bad[5].replace(b",73.83,", b",73.8.3,")
    assert_parse_error(gold_safe, b"".join(bad), name, 6, "gold_million_troy_oz_recomputed", "73.8.3")
    # duplicated period
    assert_parse_error(gold_safe, b"".join(lines + [lines[3]]), name, 20, "inferred_reference_month_end", "twice")
    # missing column (the month)
    rows = [b",".join(ln.split(b",")[:3]) + b"\n" for ln in derived_raw.splitlines()]
    assert_parse_error(gold_safe, b"".join(rows), name, 1, "inferred_reference_month_end", "missing column")
    # wrong encoding, empty, truncated
    assert_parse_error(gold_safe, derived_raw.decode().encode("utf-16"), name, 1, "encoding")
    assert_parse_error(gold_safe, b"", name, 1, "header", "empty")
    cut = len(b"".join(lines[:7])) + len(b"2025-07-31,2298.55")
    assert_parse_error(gold_safe, derived_raw[:cut], name, 8, "gold_million_troy_oz_recomputed", "truncated")


def test_safe_history_bad_inputs(history_raw: bytes) -> None:
    lines = history_raw.splitlines(keepends=True)
    name = "gold_history.csv"
    header = b"Date_Scraped,Country,Reported,Gold_Tonnes\n"
    assert_parse_error(gold_safe, header + b"".join(lines[1:]), name, 1, "Report_Date", "missing column")
    bad = lines[:]
    bad[3] = bad[3].replace(b"2292.33", b"two thousand")
    assert_parse_error(gold_safe, b"".join(bad), name, 4, "Gold_Tonnes", "two thousand")
    bad = lines[:]
    bad[3] = bad[3].replace(b"2025-04-30", b"2025-04-31")
    assert_parse_error(gold_safe, b"".join(bad), name, 4, "Report_Date", "YYYY-MM-DD")
    # two China rows in the same report month are the same reference month
    bad = lines[:]
    bad[4] = bad[4].replace(b"2025-05-30", b"2025-04-01")
    assert_parse_error(gold_safe, b"".join(bad), name, 5, "Report_Date", "2025-03-31 of series gold.safe.china")
    assert_parse_error(gold_safe, b"".join(lines + [lines[100]]), name, len(lines) + 1, "Report_Date", "twice")
    rows = [b",".join(ln.split(b",")[:3]) + b"\n" for ln in history_raw.splitlines()]
    assert_parse_error(gold_safe, b"".join(rows), name, 1, "Gold_Tonnes", "missing column")
    assert_parse_error(gold_safe, history_raw.decode().encode("utf-16"), name, 1, "encoding")
    cut = len(b"".join(lines[:40])) + len(b"2026-02-24 13:16:45,Kaz")
    assert_parse_error(gold_safe, history_raw[:cut], name, 41, "Report_Date", "truncated")


# ---------------------------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(raw=st.binary(max_size=600))
def test_wgc_random_bytes(raw: bytes) -> None:
    check_parses_or_parse_error(gold_wgc, raw, "wgc_reserves.csv")


@SETTINGS
@given(data=st.data())
def test_wgc_mutations(wgc_raw: bytes, data: st.DataObject) -> None:
    head = b"".join(wgc_raw.splitlines(keepends=True)[:400])
    check_parses_or_parse_error(gold_wgc, data.draw(mutations(head, separators=b",", junk=JUNK)), "wgc_reserves.csv")


@SETTINGS
@given(raw=st.binary(max_size=600))
def test_safe_random_bytes(raw: bytes) -> None:
    check_parses_or_parse_error(gold_safe, raw, "gold_history.csv")


@SETTINGS
@given(data=st.data())
def test_safe_mutations(derived_raw: bytes, history_raw: bytes, data: st.DataObject) -> None:
    raw = data.draw(st.sampled_from([derived_raw, history_raw]))
    check_parses_or_parse_error(gold_safe, data.draw(mutations(raw, separators=b",", junk=JUNK)), "gold_history.csv")
