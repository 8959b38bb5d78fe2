"""USGS DS140 rare-earth historical statistics: the real workbook, hand-made bad workbooks, properties."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from geostress.data.sources import get_source, usgs_ds140
from geostress.data.sources.base import PARSED_COLUMNS

from geostress.testing import assert_parse_error, check_parses_or_parse_error

FILE = "usgs_ds140_rare_earths_historical/usgs_ds140_rare_earths_2020.xlsx"
NAME = "usgs_ds140_rare_earths_2020.xlsx"
HEADER = ["Year", "Production", "Imports", "Exports", "Apparent consumption", "Unit value ($/t)",
          "Unit value (98$/t)", "World production"]
TITLE = [["RARE EARTHS STATISTICS1"], ["U.S. GEOLOGICAL SURVEY"], ["[All quantities in metric tons]"],
         ["Last modification: September 27, 2023"]]


def workbook(rows: list[list[object]], sheet: str = "Rare earths") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_real_workbook(shared_data: Path) -> None:
    assert get_source("usgs-ds140") is usgs_ds140
    rel = usgs_ds140.parse((shared_data / FILE).read_bytes(), origin=NAME)
    assert rel.vintage == date(2023, 9, 27)
    f = rel.observations
    assert list(f.columns) == PARSED_COLUMNS
    s = f.set_index(["series_id", "period"])["value"]
    y2020, y2011 = pd.Timestamp("2020-12-31"), pd.Timestamp("2011-12-31")
    assert s[("usgs.ree.hist.us.production", y2020)] == 39_000
    assert s[("usgs.ree.hist.us.imports", y2020)] == 7_200
    assert s[("usgs.ree.hist.us.exports", y2020)] == 39_500
    assert s[("usgs.ree.hist.us.consumption", y2020)] == 6_700
    assert s[("usgs.ree.hist.us.unit_value", y2020)] == 5_130
    assert s[("usgs.ree.hist.us.unit_value_1998usd", y2020)] == 3_230
    assert s[("usgs.ree.hist.world.mine_production", y2020)] == 243_000
    assert s[("usgs.ree.hist.us.unit_value", y2011)] == 58_100  # the China export-quota spike
    world = f[f["series_id"] == "usgs.ree.hist.world.mine_production"]
    assert len(world) == 121 and world["period"].min() == pd.Timestamp("1900-12-31")


def test_bad_inputs() -> None:
    good = [[2019, 28000, 13300, 29500, 12000, 6080, 3880, 219000], [2020, 39000, 7200, 39500, 6700, 5130, 3230, 243000]]
    assert usgs_ds140.parse(workbook(TITLE + [HEADER] + good + [["NA Not available."]]), origin=NAME).vintage == (
        date(2023, 9, 27))
    assert_parse_error(usgs_ds140, b"", NAME, 1, "workbook", "empty")
    assert_parse_error(usgs_ds140, workbook(TITLE + [HEADER] + good, sheet="Gold"), NAME, 1, "Rare earths", "no sheet")
    assert_parse_error(usgs_ds140, workbook(TITLE + good), NAME, 1, "Year", "no header row")
    assert_parse_error(usgs_ds140, workbook(TITLE + [HEADER[:-1]] + good), NAME, 5, "world production", "missing")
    assert_parse_error(usgs_ds140, workbook(TITLE + [HEADER] + good[::-1]), NAME, 7, "Year", "comes after")
    bad = [good[0], [2020, "3g000", 7200, 39500, 6700, 5130, 3230, 243000]]
    assert_parse_error(usgs_ds140, workbook(TITLE + [HEADER] + bad), NAME, 7, "Production (B)", "number")
    bad = [good[0], [2020, -1, 7200, 39500, 6700, 5130, 3230, 243000]]
    assert_parse_error(usgs_ds140, workbook(TITLE + [HEADER] + bad), NAME, 7, "Production (B)", "negative")
    bad = [good[0], [20.5, 1, 7200, 39500, 6700, 5130, 3230, 243000]]
    assert_parse_error(usgs_ds140, workbook(TITLE + [HEADER] + bad), NAME, 7, "Year", "expected a year")
    assert_parse_error(usgs_ds140, workbook(TITLE + [HEADER, [2020] + ["NA"] * 7]), NAME, 6, "Year", "no yearly rows")


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CELLS = st.one_of(st.none(), st.integers(-5, 3000), st.floats(allow_nan=True, allow_infinity=True),
                  st.text(max_size=6), st.sampled_from(["NA", "W", "Year", "2020"]))


@SETTINGS
@given(body=st.lists(st.lists(CELLS, max_size=8), max_size=6))
def test_random_workbooks(body: list[list[object]]) -> None:
    try:
        raw = workbook(TITLE + [HEADER] + body)
    except (ValueError, TypeError, IllegalCharacterError):
        return
    check_parses_or_parse_error(usgs_ds140, raw, NAME)


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_random_bytes(raw: bytes) -> None:
    check_parses_or_parse_error(usgs_ds140, raw, NAME)
