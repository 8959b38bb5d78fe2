"""USITC DataWeb trade workbooks (rare-earth headings): the real files, hand-made bad workbooks, properties."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from geostress.data.sources import get_source, usitc_trade
from geostress.data.sources.base import PARSED_COLUMNS

from geostress.testing import assert_parse_error, check_parses_or_parse_error

FOLDER = "usitc_dataweb_critical_minerals_trade"
IMPORTS = "us_imports_for_consumption_1993-2026.xlsx"
EXPORTS = "us_domestic_exports_1993-2026.xlsx"
HEAD = ["Data Type", "Country", "HTS Number", "Description", "Quantity Description"]


@pytest.fixture(scope="module")
def imports(shared_data: Path) -> pd.Series:
    rel = usitc_trade.parse((shared_data / FOLDER / IMPORTS).read_bytes(), origin=IMPORTS)
    assert rel.vintage == date(2026, 7, 10) and rel.source == "usitc-trade"
    assert list(rel.observations.columns) == PARSED_COLUMNS
    return rel.observations.set_index(["series_id", "period"])["value"]


def workbook(sheets: dict[str, list[list[object]]], flow: str = "Imports For Consumption") -> bytes:
    book = openpyxl.Workbook()
    params = book.active
    params.title = "Query Parameters"
    params.append(["Download Date", datetime(2026, 7, 10, 16, 57)])
    params.append(["Step 1: Trade Flow and Classification System"])
    params.append(["Trade Flow", flow])
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        ws.append(["Imports For Consumption|Annual + Year-To-Date Data from Jan - Apr"])
        ws.append(["Data Row Count", len(rows)])
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def small(value_rows: list[list[object]] | None = None, **override: list[list[object]]) -> bytes:
    years = ["2024", "2025", "2026"]
    ytd = ["2025_Year_to_date", "2026_Year_to_date"]
    value_rows = value_rows or [
        ["Customs Value", "China", "2846", "RARE-EARTH COMPOUNDS", "Value for: kilograms", 112_644_992, 100_698_766, 5e6],
        ["Customs Value", "China", "8505", "MAGNETS", "Value for: number", 415_224_516, 344_128_552, 1e6],
        ["Customs Value", "China", "8505", "MAGNETS", "Value for: kilograms", 71_690_142, 74_061_130, 1e6],
        ["Customs Value", "Japan", "8505", "MAGNETS", "Value for: kilograms", 1e6, 2e6, 0],
        ["Customs Value", "China", "2601", "IRON ORES", "Value for: metric tons", 9, 9, 9],
        ["Total: ", "", "", "", "", "1", "2", "3"],
    ]
    sheets = {
        "Customs Value": [HEAD + years, *value_rows],
        "Customs Value YTD": [HEAD + ytd, ["Customs Value", "China", "2846", "X", "Value for: kilograms", 4e7, 9.6e7]],
        "First Unit of Quantity": [HEAD + years, ["First Unit of Quantity", "China", "2846", "X", "kilograms", 1e7, 1.2e7, 0],
                                   ["First Unit of Quantity", "China", "8505", "X", "number", 8e8, 7e8, 0]],
    }
    sheets.update({k.replace("_", " "): v for k, v in override.items()})
    return workbook(sheets)


def test_registered() -> None:
    assert get_source("usitc-trade") is usitc_trade
    assert [q.filename for q in usitc_trade.build_queries()] == [IMPORTS, EXPORTS]
    assert [q.filename for q in usitc_trade.build_queries(flow="exports")] == [EXPORTS]
    assert usitc_trade.partner_slug("Myanmar (Burma)") == "myanmar_burma"
    assert usitc_trade.partner_slug("Democratic Republic of the Congo") == "dr_congo"


def test_real_imports(imports: pd.Series) -> None:
    y24, y25 = pd.Timestamp("2024-12-31"), pd.Timestamp("2025-12-31")
    # the provenance note: customs value, USD mn, China / sum of the 18 partners
    assert imports[("usitc.imports.hts2846.value.china", y24)] == pytest.approx(112.6, abs=0.05)
    assert imports[("usitc.imports.hts2846.value.partners18", y24)] == pytest.approx(150.8, abs=0.05)
    assert imports[("usitc.imports.hts2846.value.china", y25)] == pytest.approx(100.7, abs=0.05)
    assert imports[("usitc.imports.hts2846.value.partners18", y25)] == pytest.approx(155.9, abs=0.05)
    assert imports[("usitc.imports.hts8505.value.china", y24)] == pytest.approx(486.9, abs=0.05)
    assert imports[("usitc.imports.hts8505.value.partners18", y24)] == pytest.approx(746.4, abs=0.05)
    assert imports[("usitc.imports.hts8505.value.china", y25)] == pytest.approx(418.2, abs=0.05)
    assert imports[("usitc.imports.hts8505.value.partners18", y25)] == pytest.approx(702.2, abs=0.05)
    assert imports[("usitc.imports.hts2846.tonnes.china", y25)] == pytest.approx(12_047.397)
    assert imports[("usitc.imports.hts2846.value_jan_apr.china", pd.Timestamp("2026-04-30"))] == pytest.approx(96.366817)
    ids = {sid for sid, _ in imports.index}
    assert not any(".hts8505.tonnes." in s for s in ids)  # 8505 quantities are in several units
    assert not any(".hts2601." in s for s in ids)  # other headings are left out
    assert pd.Timestamp("2026-12-31") not in {p for _, p in imports.index}  # 2026 full-year column is Jan-Apr
    years = {p.year for s, p in imports.index if s == "usitc.imports.hts2846.value.china"}
    assert years == set(range(1993, 2026))


def test_real_exports(shared_data: Path) -> None:
    f = usitc_trade.parse((shared_data / FOLDER / EXPORTS).read_bytes(), origin=EXPORTS).observations
    assert f["series_id"].str.startswith("usitc.exports.").all()
    assert "usitc.exports.hts2846.value.china" in set(f["series_id"])


def test_small_workbook() -> None:
    f = usitc_trade.parse(small(), origin="s.xlsx").observations.set_index(["series_id", "period"])["value"]
    y24 = pd.Timestamp("2024-12-31")
    assert f[("usitc.imports.hts8505.value.china", y24)] == pytest.approx(486.914658)  # summed over units
    assert f[("usitc.imports.hts8505.value.partners18", y24)] == pytest.approx(487.914658)
    assert f[("usitc.imports.hts2846.tonnes.china", y24)] == 10_000
    assert f[("usitc.imports.hts2846.value_jan_apr.china", pd.Timestamp("2025-04-30"))] == 40


def test_bad_inputs() -> None:
    name = "q.xlsx"
    assert_parse_error(usitc_trade, b"", name, 1, "workbook", "empty")
    assert_parse_error(usitc_trade, workbook({}, flow="General Imports"), name, 3, "Query Parameters: Trade Flow",
                       "unknown trade flow")
    no_ytd = workbook({"Customs Value": [HEAD + ["2024"]], "First Unit of Quantity": [HEAD + ["2024"]]})
    assert_parse_error(usitc_trade, no_ytd, name, 1, "Customs Value YTD", "no sheet")
    bad_head = [["Data Type", "Partner", "HTS Number", "Description", "Quantity Description", "2024"]]
    assert_parse_error(usitc_trade, small(Customs_Value=bad_head), name, 3, "Customs Value: Country", "expected column")
    assert_parse_error(usitc_trade, small(Customs_Value=[HEAD + ["y2024"]]), name, 3, "Customs Value", "no year columns")
    rows = [["Customs Value", "China", "2846", "X", "Value for: kilograms", "1,2x", 1, 1]]
    assert_parse_error(usitc_trade, small(rows), name, 4, "Customs Value: 2024", "expected a number")
    rows = [["Customs Value", "China", "2846", "X", "Value for: kilograms", -1, 1, 1]]
    assert_parse_error(usitc_trade, small(rows), name, 4, "Customs Value: 2024", "negative")
    rows = [["Customs Value", "China", "2846", "X", "Value for: kilograms", 1, 1, 1]] * 2
    assert_parse_error(usitc_trade, small(rows), name, 5, "Customs Value: Country", "appears twice")
    rows = [["Customs Value", "", "2846", "X", "Value for: kilograms", 1, 1, 1]]
    assert_parse_error(usitc_trade, small(rows), name, 4, "Customs Value: Country", "empty country")


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CELLS = st.one_of(st.none(), st.integers(-5, 10**9), st.floats(allow_nan=True, allow_infinity=True),
                  st.text(max_size=6), st.sampled_from(["2846", "8505", "China", "Total: ", "kilograms"]))


@SETTINGS
@given(body=st.lists(st.lists(CELLS, max_size=8), max_size=5))
def test_random_value_sheets(body: list[list[object]]) -> None:
    try:
        raw = small([r for r in body])
    except (ValueError, TypeError, IllegalCharacterError):
        return
    check_parses_or_parse_error(usitc_trade, raw, "q.xlsx")


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_random_bytes(raw: bytes) -> None:
    check_parses_or_parse_error(usitc_trade, raw, "q.xlsx")
