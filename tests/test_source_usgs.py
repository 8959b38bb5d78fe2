"""USGS MCS 2025 rare-earths parser on the real Markdown extraction in ../shared/data (read there, never copied)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import usgs_ree
from geostress.data.sources.base import PARSED_COLUMNS, Query
from geostress.errors import ParseError

import geostress.testing as helpers

FILE = "mcs2025-rare-earths.marker-text.md"


# ---------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------


def assert_parse_error(raw: bytes, line: int, field: str, match: str | None = None, origin: str = FILE) -> ParseError:
    """``usgs_ree.parse`` raises a ParseError naming ``origin``, ``line`` and ``field``."""
    return helpers.assert_parse_error(usgs_ree, raw, origin, line, field, match)


def line_no(raw: bytes, startswith: str) -> int:
    """1-based number of the first line that starts with ``startswith``."""
    for i, ln in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if ln.startswith(startswith):
            return i
    raise AssertionError(startswith)


def replace_line(raw: bytes, startswith: str, old: str, new: str) -> bytes:
    lines = raw.decode("utf-8").splitlines(keepends=True)
    i = line_no(raw, startswith) - 1
    assert old in lines[i]
    lines[i] = lines[i].replace(old, new, 1)
    return "".join(lines).encode("utf-8")


#: Junk written into one cell by :func:`helpers.mutations`.
JUNK = ["", "NA", "E", "—", ">5", "12", "1212,000", "1,2,3", "0"]


def get(frame: pd.DataFrame, series_id: str, year: int) -> float:
    hits = frame.loc[(frame["series_id"] == series_id) & (frame["period"] == pd.Timestamp(year, 12, 31)), "value"]
    assert len(hits) == 1, (series_id, year)
    return float(hits.iloc[0])


# ---------------------------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> bytes:
    return (shared_data / "usgs_mcs2025_rare_earths" / FILE).read_bytes()


@pytest.fixture(scope="module")
def release(raw: bytes):
    return usgs_ree.parse(raw, origin=FILE)


@pytest.fixture(scope="module")
def frame(release) -> pd.DataFrame:
    return release.observations


# ---------------------------------------------------------------------------------------------------------------
# module contract
# ---------------------------------------------------------------------------------------------------------------


def test_module_attributes() -> None:
    for attr in ("NAME", "TITLE", "PUBLISHER", "LICENSE"):
        assert isinstance(getattr(usgs_ree, attr), str) and getattr(usgs_ree, attr)
    (q,) = usgs_ree.build_queries()
    assert isinstance(q, Query) and q.url.startswith("https://") and q.url.endswith("mcs2025-rare-earths.md")
    (q,) = usgs_ree.build_queries(format="pdf")
    assert q.url == "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf"


def test_release(release, frame: pd.DataFrame) -> None:
    assert release.source == "usgs-ree"
    assert release.vintage == date(2025, 1, 31)
    assert list(frame.columns) == PARSED_COLUMNS
    assert frame["period"].dt.is_year_end.all()
    assert frame["series_id"].str.fullmatch(r"usgs\.ree\.[a-z0-9_.]+").all()


# ---------------------------------------------------------------------------------------------------------------
# footnote markers fused onto numbers
# ---------------------------------------------------------------------------------------------------------------

NOTES = {n: "note" for n in range(1, 15)}


@pytest.mark.parametrize(
    ("cell", "number", "note"),
    [
        ("1216,000", "16,000", 12),
        ("14270,000", "270,000", 14),
        ("14255,000", "255,000", 14),
        ("1213,000", "13,000", 12),
        ("12310", "310", 12),  # no comma: more than three digits cannot stand alone
        ("12130", "130", 12),
        ("45,000", "45,000", None),
        ("390,000", "390,000", None),
        ("140", "140", None),
        ("1,900,000", "1,900,000", None),
        ("135,700,000", "135,700,000", None),  # well formed alone: resolved in context (footnote 13 names Australia)
    ],
)
def test_strip_footnote(cell: str, number: str, note: int | None) -> None:
    assert usgs_ree.strip_footnote(cell, NOTES) == (number, note)


def test_well_formed() -> None:
    for good in ("1", "20", "999", "1,000", "16,000", "5,700,000", "0", "99.5"):
        assert usgs_ree.is_well_formed(good), good
    for bad in ("1216,000", "12310", "1,00", "16,0000", ",000", "01", "1,000,00", "x"):
        assert not usgs_ree.is_well_formed(bad), bad


def test_fused_footnotes_resolved_in_the_table(frame: pd.DataFrame) -> None:
    # rule 1 (grouping position)
    assert get(frame, "usgs.ree.mine_production.australia", 2023) == 16_000
    assert get(frame, "usgs.ree.mine_production.china", 2024) == 270_000
    assert get(frame, "usgs.ree.mine_production.malaysia", 2023) == 310
    # rule 2 (footnote established in the row / column / named in the footnote)
    assert get(frame, "usgs.ree.mine_production.nigeria", 2023) == 7_200
    assert get(frame, "usgs.ree.mine_production.thailand", 2023) == 3_600
    assert get(frame, "usgs.ree.mine_production.madagascar", 2023) == 2_100
    assert get(frame, "usgs.ree.mine_production.madagascar", 2024) == 2_000
    assert get(frame, "usgs.ree.reserves.australia", 2024) == 5_700_000
    # a cell that only looks like a marker stays as it is
    assert get(frame, "usgs.ree.mine_production.brazil", 2023) == 140
    label = frame.loc[frame["series_id"] == "usgs.ree.mine_production.china", "label"].iloc[0]
    assert "Production quota" in label


# ---------------------------------------------------------------------------------------------------------------
# pins from PROVENANCE.md
# ---------------------------------------------------------------------------------------------------------------


def test_world_production_and_reserves(frame: pd.DataFrame) -> None:
    for country, value in {
        "china": 270_000,
        "united_states": 45_000,
        "burma": 31_000,
        "australia": 13_000,
        "nigeria": 13_000,
        "thailand": 13_000,
        "india": 2_900,
        "russia": 2_500,
        "world": 390_000,
    }.items():
        assert get(frame, f"usgs.ree.mine_production.{country}", 2024) == value, country
    assert get(frame, "usgs.ree.mine_production.world", 2023) == 376_000
    for country, value in {
        "china": 44_000_000,
        "brazil": 21_000_000,
        "india": 6_900_000,
        "australia": 5_700_000,
        "russia": 3_800_000,
        "vietnam": 3_500_000,
        "united_states": 1_900_000,
    }.items():
        assert get(frame, f"usgs.ree.reserves.{country}", 2024) == value, country
    world = frame[frame["series_id"] == "usgs.ree.reserves.world"]
    assert world["value"].iloc[0] == 90_000_000 and ">90,000,000" in world["label"].iloc[0]
    prod = frame[frame["series_id"].str.startswith("usgs.ree.mine_production.")]
    assert (prod["unit"] == "metric tons REO").all()
    # "—" (zero) and "NA" are skipped
    assert "usgs.ree.mine_production.canada" not in set(frame["series_id"])
    assert "usgs.ree.reserves.burma" not in set(frame["series_id"])


def test_us_salient_statistics(frame: pd.DataFrame) -> None:
    assert get(frame, "usgs.ree.us.production.mineral_concentrates", 2024) == 45_000
    assert get(frame, "usgs.ree.us.production.mineral_concentrates", 2020) == 39_000
    assert get(frame, "usgs.ree.us.imports.compounds", 2022) == 10_700
    assert get(frame, "usgs.ree.us.exports.metals.ferrocerium_alloys", 2022) == 1_520
    assert get(frame, "usgs.ree.us.consumption", 2024) == 6_600
    assert get(frame, "usgs.ree.us.price.neodymium_oxide", 2022) == 134
    assert get(frame, "usgs.ree.us.price.terbium_oxide", 2021) == 1_346
    assert get(frame, "usgs.ree.us.employment", 2024) == 570
    units = frame.drop_duplicates("series_id").set_index("series_id")["unit"]
    assert units["usgs.ree.us.price.dysprosium_oxide"] == "USD/kg"
    assert units["usgs.ree.us.employment"] == "persons"
    assert units["usgs.ree.us.net_import_reliance.compounds_and_metals"] == "percent"
    assert units["usgs.ree.us.imports.compounds"] == "metric tons REO"
    # "—" skipped: no 2020 compounds-and-metals production
    compounds = frame[frame["series_id"] == "usgs.ree.us.production.compounds_and_metals"]
    assert sorted(compounds["period"].dt.year) == [2021, 2022, 2023, 2024]


def test_net_import_reliance(frame: pd.DataFrame) -> None:
    sid = "usgs.ree.us.net_import_reliance.compounds_and_metals"
    assert [get(frame, sid, y) for y in range(2020, 2025)] == [100, 95, 95, 95, 80]
    label = frame.loc[frame["series_id"] == sid, "label"].iloc[0]
    assert "'>95'" in label and "recorded as 95" in label
    # "E" (net exporter) for every year: no series at all
    assert not frame["series_id"].str.startswith("usgs.ree.us.net_import_reliance.mineral").any()


def test_import_sources(frame: pd.DataFrame) -> None:
    shares = {c: get(frame, f"usgs.ree.import_sources.{c}", 2023) for c in ("china", "malaysia", "japan", "estonia", "other")}
    assert shares == {"china": 70, "malaysia": 13, "japan": 6, "estonia": 5, "other": 6}
    assert frame[frame["series_id"].str.startswith("usgs.ree.import_sources.")]["unit"].eq("percent").all()
    label = frame.loc[frame["series_id"] == "usgs.ree.import_sources.china", "label"].iloc[0]
    assert "hong kong" in label.lower() and "2020–2023" in label


# ---------------------------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------------------------


def test_wrong_header(raw: bytes) -> None:
    bad = replace_line(raw, "| Salient Statistics", "| 2022   |", "| 20x2   |")
    assert_parse_error(bad, 7, "Salient Statistics header, column 4", "expected a year")
    bad = replace_line(raw, "### **RARE EARTHS1**", "RARE EARTHS", "COBALT")
    bad = bad.replace(b"### **RARE EARTHS**", b"### **COBALT**")
    assert_parse_error(bad, 1, "title", "RARE EARTHS")


def test_non_numeric_cell(raw: bytes) -> None:
    n = line_no(raw, "| United States ")
    bad = replace_line(raw, "| United States ", "45,000", "4x,000")
    assert_parse_error(bad, n, "United States, Mine production 2024", "4x,000")
    n = line_no(raw, "| Compounds                ")
    bad = replace_line(raw, "| Compounds                ", "10,700", "10.7k")
    assert_parse_error(bad, n, "Imports: Compounds 2022", "10.7k")


def test_unresolvable_footnote(raw: bytes) -> None:
    # footnote 14 removed from the list: "14255,000" can no longer be read
    lines = raw.decode().splitlines(keepends=True)
    lines = [ln for ln in lines if not ln.startswith("14Production quota")]
    n = line_no(raw, "| China ")
    assert_parse_error("".join(lines).encode(), n, "China, Mine production 2023", "no listed footnote")


def test_world_total_check(raw: bytes) -> None:
    n = line_no(raw, "| World total")
    bad = replace_line(raw, "| Madagascar ", "122,000", "522,000")
    assert_parse_error(bad, n, "World total (rounded), Mine production 2024", "add up to")


def test_duplicated_period(raw: bytes) -> None:
    lines = raw.decode().splitlines(keepends=True)
    i = line_no(raw, "| China ") - 1
    bad = "".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :]).encode()
    assert_parse_error(bad, i + 2, "China", r"appears twice \(first on line 73\)")
    i = line_no(raw, "| Compounds                ") - 1
    bad = "".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :]).encode()
    assert_parse_error(bad, i + 2, "Imports: Compounds 2020", "usgs.ree.us.imports.compounds")


def test_missing_column(raw: bytes) -> None:
    lines = raw.decode().splitlines(keepends=True)
    start, end = line_no(raw, "|                       | Mine productione"), line_no(raw, "| World total")
    for i in range(start - 1, end):
        lines[i] = re.sub(r"[^|]*\|\s*$", "", lines[i].rstrip("\n")).rstrip() + "\n"
    assert_parse_error("".join(lines).encode(), start, "Reserves", "no 'Reserves' column")
    # one cell missing in a row
    lines = raw.decode().splitlines(keepends=True)
    i = line_no(raw, "| India ") - 1
    lines[i] = "| India | 2,900 | 2,900 |\n"
    assert_parse_error("".join(lines).encode(), i + 1, "India", "expected 4 cells, found 3")


def test_wrong_encoding(raw: bytes) -> None:
    assert_parse_error(raw.decode().encode("utf-16"), 1, "encoding", "UTF-16")
    n = line_no(raw, "| World total")
    bad = replace_line(raw, "| World total", "World", "World\udcff".encode("utf-8", "surrogateescape").decode("latin-1"))
    bad = bad.replace("World\u00ff".encode(), b"World\xff")
    assert_parse_error(bad, n, "encoding", "utf-8")


def test_empty_and_pdf() -> None:
    assert_parse_error(b"", 1, "header", "empty")
    assert_parse_error(b"\n \n", 1, "header", "empty")
    assert_parse_error(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 1, "header", "PDF", origin="mcs2025-rare-earths.pdf")


def test_truncated(raw: bytes) -> None:
    n = line_no(raw, "| Madagascar ")
    text = raw.decode()
    cut = text.index("| Madagascar ") + len("| Madagascar            | 122,1")
    assert_parse_error(text[:cut].encode(), n, "Madagascar", "expected 4 cells, found 2")
    cut = text.index("| Malaysia ")  # cut between rows: the table has no World total row
    assert_parse_error(text[:cut].encode(), n, "World total", "does not end with the 'World total' row")
    cut = text.index("**Import Sources")
    assert_parse_error(text[:cut].encode(), text[:cut].count("\n"), "Import Sources", "not found")


# ---------------------------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check_parses_or_parse_error(raw: bytes) -> None:
    helpers.check_parses_or_parse_error(usgs_ree, raw, FILE)


@SETTINGS
@given(raw=st.binary(max_size=800))
def test_random_bytes(raw: bytes) -> None:
    check_parses_or_parse_error(raw)


@SETTINGS
@given(text=st.text(max_size=400))
def test_random_text_with_title(text: str) -> None:
    check_parses_or_parse_error(("### **RARE EARTHS1**\n| Salient Statistics—United States: | 2024e |\n" + text).encode())


@SETTINGS
@given(data=st.data())
def test_mutations(raw: bytes, data: st.DataObject) -> None:
    check_parses_or_parse_error(data.draw(helpers.mutations(raw, separators=b"|;", junk=JUNK)))
