"""USGS MCS 2026 data release (rare earths): the real CSV, the v1.3 revision as a later vintage, the MCS 2025 base
kept as an earlier vintage, bad input and properties."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geostress.data.sources import get_source, usgs_mcs
from geostress.data.store import Store

from geostress.testing import assert_parse_error, check_parses_or_parse_error, mutations

FILE = "usgs_mcs2026_rare_earths/usgs_mcs2026_commodities_data.csv"
NAME = "MCS2026_Commodities_Data.csv"


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> bytes:
    return (shared_data / FILE).read_bytes()


@pytest.fixture(scope="module")
def frame(raw: bytes) -> pd.DataFrame:
    release = usgs_mcs.parse(raw, origin=NAME)
    assert release.vintage == date(2026, 2, 6) and release.source == "usgs-mcs"
    return release.observations


@pytest.fixture(scope="module")
def ree_lines(raw: bytes) -> list[bytes]:
    """Header and the rare-earths rows of the real file (cp1252 bytes)."""
    lines = raw.splitlines(keepends=True)
    return [lines[0]] + [ln for ln in lines[1:] if ln.startswith(b"RARE EARTHS,")]


def value(frame: pd.DataFrame, sid: str, year: int, vintage: str = "2026-02-06") -> float:
    hit = frame[(frame["series_id"] == sid) & (frame["period"] == pd.Timestamp(f"{year}-12-31"))
                & (frame["vintage"] == pd.Timestamp(vintage))]
    assert len(hit) == 1, (sid, year, vintage)
    return float(hit["value"].iloc[0])


def test_registered() -> None:
    assert get_source("usgs-mcs") is usgs_mcs
    (q,) = usgs_mcs.build_queries()
    assert q.url.startswith("https://") and q.filename == NAME


def test_real_file_pins(frame: pd.DataFrame) -> None:
    # NdPr oxide, annual average $/kg, 2021-2025 (the provenance note)
    ndpr = "usgs.ree.us.price.neodymium_praseodymium_oxide"
    assert [value(frame, ndpr, y) for y in range(2021, 2026)] == [92, 124, 75, 55, 69]
    assert value(frame, "usgs.ree.us.net_import_reliance.compounds_and_metals", 2025) == 67
    assert value(frame, "usgs.ree.us.net_import_reliance.compounds_and_metals", 2021) == 95  # '>95'
    for country, y2024, y2025 in [("china", 270_000, 270_000), ("united_states", 45_500, 51_000),
                                  ("australia", 29_000, 29_000), ("burma", 27_000, 22_000),
                                  ("thailand", 2_100, 4_800), ("world", 380_000, 390_000)]:
        assert value(frame, f"usgs.ree.mine_production.{country}", 2024) == y2024
        assert value(frame, f"usgs.ree.mine_production.{country}", 2025) == y2025
    for country, reserves in [("china", 44e6), ("australia", 6.3e6), ("russia", 3.8e6), ("vietnam", 3.5e6),
                              ("united_states", 1.9e6), ("greenland", 1.5e6)]:
        assert value(frame, f"usgs.ree.reserves.{country}", 2025) == reserves
    shares = frame[frame["series_id"].str.startswith("usgs.ree.import_sources.")]
    assert dict(zip(shares["series_id"].str.rsplit(".", n=1).str[-1], shares["value"], strict=True)) == {
        "china": 71, "malaysia": 13, "japan": 5, "estonia": 5, "other": 6}
    assert (shares["period"] == pd.Timestamp("2024-12-31")).all()
    # zeros ("—"), net exporter ("E") and NA are not observations
    assert "usgs.ree.mine_production.canada" not in set(frame["series_id"])
    assert "usgs.ree.reserves.india" not in set(frame["series_id"])
    assert "usgs.ree.us.net_import_reliance.mineral_concentrates" not in set(frame["series_id"])


def test_v13_revision_is_a_later_vintage(frame: pd.DataFrame) -> None:
    assert value(frame, "usgs.ree.reserves.brazil", 2025) == 21e6
    assert value(frame, "usgs.ree.reserves.brazil", 2025, "2026-05-27") == 11e6
    assert value(frame, "usgs.ree.reserves.world", 2025) == 85e6
    assert value(frame, "usgs.ree.reserves.world", 2025, "2026-05-27") == 75e6
    label = frame.loc[frame["vintage"] == pd.Timestamp("2026-05-27"), "label"]
    assert label.str.contains("v1.3").all()
    assert (frame["vintage"] == pd.Timestamp("2026-05-27")).sum() == 2


def test_revision_not_applied_to_a_corrected_file(ree_lines: list[bytes]) -> None:
    fixed = [ln.replace(b'"21,000,000"', b'"11,000,000"') for ln in ree_lines]
    f = usgs_mcs.parse(b"".join(fixed), origin=NAME).observations
    brazil = f[f["series_id"] == "usgs.ree.reserves.brazil"]
    assert brazil["value"].tolist() == [11e6] and (brazil["vintage"] == pd.Timestamp("2026-02-06")).all()


def test_snapshot_keeps_mcs2025_as_earlier_vintage(geostress_home: Path) -> None:
    store = Store()
    assert store.vintages("usgs.ree.mine_production.china") == [date(2025, 1, 31), date(2026, 2, 6)]
    old = store.get("usgs.ree.mine_production.australia", as_of="2025-12-31").set_index("period")["value"]
    new = store.get("usgs.ree.mine_production.australia").set_index("period")["value"]
    assert old[pd.Timestamp("2024-12-31")] == 13_000  # MCS 2025
    assert new[pd.Timestamp("2024-12-31")] == 29_000  # revised in MCS 2026
    assert new[pd.Timestamp("2025-12-31")] == 29_000
    brazil = lambda as_of: store.get("usgs.ree.reserves.brazil", start="2025-12-31", as_of=as_of)["value"].tolist()  # noqa: E731
    assert brazil("2026-03-01") == [21e6] and brazil(None) == [11e6]


def test_salient_measure_names() -> None:
    assert usgs_mcs.salient_measure("Imports: Metals: Ferrocerium, alloys") == "imports.metals.ferrocerium_alloys"
    assert usgs_mcs.salient_measure("Price, average, dollars per kilogram: Cerium oxide, 99.5% minimum") == (
        "price.cerium_oxide")
    assert usgs_mcs.salient_measure("Consumption, apparent, compounds and metals") == "consumption"
    assert usgs_mcs.salient_measure("Stockpile") is None


def test_bad_inputs(ree_lines: list[bytes]) -> None:
    head = ree_lines[:25]

    def replaced(i: int, old: bytes, new: bytes) -> bytes:
        rows = head[:]
        assert old in rows[i]
        rows[i] = rows[i].replace(old, new, 1)
        return b"".join(rows)

    assert_parse_error(usgs_mcs, b"Chapter,Amount\nRARE EARTHS,1\n", NAME, 1, "Chapter", "not a USGS MCS")
    assert_parse_error(usgs_mcs, replaced(0, b"Statistics_detail", b"Detail"), NAME, 1, "Statistics_detail",
                       "missing column")
    assert_parse_error(usgs_mcs, replaced(1, b",2021,", b",20x1,"), NAME, 2, "Year", "expected a year")
    assert_parse_error(usgs_mcs, replaced(1, b'"42,400"', b'"42,4OO"'), NAME, 2, "Value", "expected a number")
    assert_parse_error(usgs_mcs, replaced(1, b"metric tons", b"short tons"), NAME, 2, "Unit", "unknown unit")
    assert_parse_error(usgs_mcs, replaced(1, b"Salient Statistics", b"Supply Statistics"), NAME, 2, "Section",
                       "unknown section")
    assert_parse_error(usgs_mcs, replaced(1, b"Production: Mineral", b"Stockpile: Mineral"), NAME, 2,
                       "Statistics_detail", "unknown salient")
    assert_parse_error(usgs_mcs, b"".join(head + [head[3]]), NAME, 26, "Year", "appears twice")
    other = [ln.replace(b"RARE EARTHS,", b"ZINC,") for ln in head]
    assert_parse_error(usgs_mcs, b"".join(other), NAME, 2, "MCS chapter", "no rows of chapter")
    assert_parse_error(usgs_mcs, b"", NAME, 1, "MCS chapter", "empty")
    cut = len(b"".join(head[:10])) + 30
    assert_parse_error(usgs_mcs, b"".join(head)[:cut], NAME, 11, "Commodity", "truncated")


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check_parses_or_parse_error(usgs_mcs, data, NAME, exact_columns=False)


@SETTINGS
@given(data=st.data())
def test_mutations(ree_lines: list[bytes], data: st.DataObject) -> None:
    raw = b"".join(ree_lines[:60])
    junk = ["", "NA", "W", "E", ">95", "x", "1e999", "2021–24", "2021–19"]
    check_parses_or_parse_error(usgs_mcs, data.draw(mutations(raw, separators=b",", junk=junk)), NAME,
                                exact_columns=False)
