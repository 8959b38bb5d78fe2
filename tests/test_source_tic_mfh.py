"""Source ``tic-mfh``: Treasury TIC "Major Foreign Holders of Treasury Securities".

Real-file tests read ``mfhhis01.txt`` from the shared data folder (never copied into the repository); the
current-table tests build a small file that follows ``tic_slt_table5_layout/LAYOUT.md``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geostress.data.sources import tic_mfh
from geostress.data.sources.base import PARSED_COLUMNS, UNIT_USD_BN
from geostress.errors import ParseError
from geostress.testing import assert_parse_error as module_parse_error
from geostress.testing import real_file

ORIGIN = "mfhhis01.txt"


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> bytes:
    path = shared_data / "tic_mfh_historical" / "mfhhis01.txt"
    real_file(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def release(raw: bytes) -> tic_mfh.ParsedRelease:
    return tic_mfh.parse(raw, origin=ORIGIN)


@pytest.fixture(scope="module")
def values(release: tic_mfh.ParsedRelease) -> pd.Series:
    return release.observations.set_index(["series_id", "period"])["value"]


def series(release: tic_mfh.ParsedRelease, slug: str) -> pd.Series:
    frame = release.observations
    return frame[frame["series_id"] == f"tic.mfh.{slug}"].set_index("period")["value"].sort_index()


def at(values: pd.Series, slug: str, month: str) -> float:
    return float(values[(f"tic.mfh.{slug}", pd.Period(month, "M").to_timestamp(how="end").normalize())])


def lines_of(raw: bytes) -> list[str]:
    return raw.decode("ascii").split("\n")


def line_index(lines: list[str], startswith: str, *, after: int = 0) -> int:
    """0-based index of the first line at or after ``after`` starting with ``startswith``."""
    return next(i for i in range(after, len(lines)) if lines[i].startswith(startswith))


def block_start(lines: list[str], year: int) -> int:
    """0-based index of the ``Country <year>`` row."""
    return line_index(lines, f"Country\t{year}\t")


def assert_parse_error(data: bytes, *, line: int, field: str, origin: str = "bad-mfh.txt") -> ParseError:
    return module_parse_error(tic_mfh, data, origin, line, field)


# ---------------------------------------------------------------- module contract


def test_module_contract() -> None:
    assert tic_mfh.NAME == "tic-mfh"
    assert tic_mfh.TITLE and tic_mfh.PUBLISHER
    assert "public domain" in tic_mfh.LICENSE.lower()
    queries = tic_mfh.build_queries()
    assert [q.url for q in queries] == [
        "https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/mfhhis01.txt",
        "https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/slt_table5.txt",
    ]
    assert [q.filename for q in queries] == ["mfhhis01.txt", "slt_table5.txt"]


# ---------------------------------------------------------------- the real historical file


def test_frame_shape(release: tic_mfh.ParsedRelease) -> None:
    frame = release.observations
    assert list(frame.columns) == PARSED_COLUMNS
    assert release.source == "tic-mfh"
    assert set(frame["unit"]) == {UNIT_USD_BN}
    assert pd.api.types.is_datetime64_any_dtype(frame["period"])
    assert (frame["period"] == frame["period"] + pd.offsets.MonthEnd(0)).all()  # month ends
    assert not frame.duplicated(["series_id", "period"]).any()
    assert frame["value"].notna().all()
    # the holders and totals, and the older series of the break months (tic.mfh_prior.<slug>, same slugs)
    assert frame["series_id"].str.match(r"^tic\.mfh(_prior)?\.[a-z0-9_]+$").all()


def test_vintage_from_footer(release: tic_mfh.ParsedRelease) -> None:
    assert release.vintage == date(2026, 3, 18)


@pytest.mark.parametrize(
    ("slug", "month", "expected"),
    [
        ("china_mainland", "2013-11", 1316.7),
        ("china_mainland", "2011-07", 1314.9),
        ("china_mainland", "2023-11", 782.0),
        ("china_mainland", "2025-11", 683.9),
        ("china_mainland", "2025-12", 683.5),
        ("japan", "2025-12", 1185.5),
        ("japan", "2025-11", 1202.7),
        ("japan", "2021-11", 1325.5),
        ("grand_total", "2025-12", 9271.0),
        ("grand_total", "2025-11", 9359.3),
        ("foreign_official", "2025-12", 3887.0),
        ("foreign_official_bills", "2025-12", 388.5),
        ("foreign_official_bonds_notes", "2025-12", 3498.5),
        ("united_kingdom", "2025-12", 866.0),
        ("korea_south", "2025-12", 140.6),
        ("all_other", "2025-12", 710.8),
    ],
)
def test_pinned_values(values: pd.Series, slug: str, month: str, expected: float) -> None:
    assert at(values, slug, month) == pytest.approx(expected, abs=1e-9)


def test_holder_slug_unifies_common_names_with_the_file_s_series(release: tic_mfh.ParsedRelease) -> None:
    """Names users type map onto the series the real file's rows become (aliases shared with the parser)."""
    ids = set(release.observations["series_id"])
    for name in ("China", "Mainland China", "China, Mainland", "UK", "Britain", "South Korea", "Korea, South",
                 "UAE", "  hong   kong ", "korea_south"):
        assert tic_mfh.PREFIX + tic_mfh.holder_slug(name) in ids, name


def test_peaks(release: tic_mfh.ParsedRelease) -> None:
    china = series(release, "china_mainland")
    japan = series(release, "japan")
    assert china.idxmax() == pd.Timestamp("2013-11-30") and china.max() == pytest.approx(1316.7)
    assert japan.idxmax() == pd.Timestamp("2021-11-30") and japan.max() == pytest.approx(1325.5)


def test_grand_total_coverage(release: tic_mfh.ParsedRelease) -> None:
    total = series(release, "grand_total")
    assert len(total) == 310
    expected = pd.date_range("2000-03-31", "2025-12-31", freq="ME")
    assert list(total.index) == list(expected)


def test_labels(release: tic_mfh.ParsedRelease) -> None:
    labels = dict(zip(release.observations["series_id"], release.observations["label"], strict=False))
    assert labels["tic.mfh.china_mainland"] == "China, Mainland"
    assert labels["tic.mfh.korea_south"] == "Korea, South"
    assert labels["tic.mfh.united_kingdom"] == "United Kingdom"
    assert labels["tic.mfh.grand_total"] == "Grand Total"
    assert labels["tic.mfh.foreign_official"] == "Foreign official"
    for label in labels.values():
        assert label == label.strip() and '"' not in label and not re.search(r"\d/", label)


def test_series_ids(release: tic_mfh.ParsedRelease) -> None:
    ids = set(release.observations["series_id"])
    for slug in [
        "china_mainland", "japan", "united_kingdom", "korea_south", "belgium", "luxembourg", "cayman_islands",
        "switzerland", "all_other", "grand_total", "foreign_official", "foreign_official_bills",
        "foreign_official_bonds_notes", "belgium_luxembourg", "carib_bnkng_ctrs", "oil_exporters",
    ]:
        assert f"tic.mfh.{slug}" in ids
    # no stray variants from quotes, trailing spaces or footnote markers
    assert not any(re.search(r"(korea_south_|united_kingdom_\d|belgium_5|spain_$)", i) for i in ids)
    assert not any(i.endswith(("_2", "_3", "_4", "_5")) for i in ids)


def test_renamed_and_footnoted_rows_join_one_series(release: tic_mfh.ParsedRelease, values: pd.Series) -> None:
    # "Korea, South " (2000-2002), "United Kingdom 2/" (to 2011) and "Spain " continue the same series.
    korea = series(release, "korea_south")
    assert len(korea) == 310
    assert at(values, "korea_south", "2000-12") == pytest.approx(29.6)
    assert at(values, "united_kingdom", "2011-12") == pytest.approx(114.3)
    assert at(values, "spain", "2001-12") == pytest.approx(15.6)
    # Belgium before June 2002 is Belgium-Luxembourg (footnote 5/); Luxembourg is "n.a." there (skipped).
    assert series(release, "belgium").index.min() == pd.Timestamp("2002-06-30")
    assert at(values, "belgium", "2002-06") == pytest.approx(11.3)
    assert at(values, "belgium_luxembourg", "2002-05") == pytest.approx(21.7)
    assert at(values, "belgium_luxembourg", "2000-12") == pytest.approx(29.6)
    assert series(release, "luxembourg").index.min() == pd.Timestamp("2002-06-30")


def test_series_break_keeps_newer_left_column(values: pd.Series) -> None:
    # 2000: "Mar Mar" (Series II left, Series I right, "shown for comparison only").
    assert at(values, "grand_total", "2000-03") == pytest.approx(1085.0)
    assert at(values, "china_mainland", "2000-03") == pytest.approx(71.4)
    # 2011: "Jun Jun" (Series XII left, XI right).
    assert at(values, "china_mainland", "2011-06") == pytest.approx(1307.0)
    assert at(values, "china_mainland", "2011-05") == pytest.approx(1159.8)
    # 2002: "Jun Jun"
    assert at(values, "japan", "2002-06") == pytest.approx(349.2)
    assert at(values, "japan", "2002-05") == pytest.approx(317.8)


PRIOR_BREAKS = ["2000-03", *(f"{year}-06" for year in range(2002, 2012))]


def prior_at(values: pd.Series, slug: str, month: str) -> float:
    return float(values[(f"tic.mfh_prior.{slug}", pd.Period(month, "M").to_timestamp(how="end").normalize())])


def test_series_break_keeps_the_comparison_month_as_the_prior_series(
    release: tic_mfh.ParsedRelease, values: pd.Series
) -> None:
    """The right-hand column of a break month ("shown for comparison only") is kept as ``tic.mfh_prior.<slug>``,
    so that the month's change can be measured within the older series; the level stays the newer series."""
    # 2011 block, line 'For. Official': Jul 3509.6 | Jun (Series XII) 3514.6 | Jun (Series XI) 3242.0 | May 3242.8
    assert at(values, "foreign_official", "2011-06") == pytest.approx(3514.6)
    assert prior_at(values, "foreign_official", "2011-06") == pytest.approx(3242.0)
    assert at(values, "foreign_official", "2011-05") == pytest.approx(3242.8)
    assert prior_at(values, "grand_total", "2011-06") == pytest.approx(4533.6)
    assert prior_at(values, "china_mainland", "2011-06") == pytest.approx(1165.5)
    assert prior_at(values, "united_kingdom", "2011-06") == pytest.approx(347.0)
    # 2010 and 2002: Series X June 2010 2,688.7 (XI 3,071.4); Series II June 2002 630.4 (III 735.8)
    assert prior_at(values, "foreign_official", "2010-06") == pytest.approx(2688.7)
    assert prior_at(values, "foreign_official", "2002-06") == pytest.approx(630.4)
    assert prior_at(values, "japan", "2002-06") == pytest.approx(335.8)
    # 2000: "Mar Mar", Series I on the right
    assert prior_at(values, "grand_total", "2000-03") == pytest.approx(1252.1)
    # exactly the eleven break months, each with the totals; none in 2021 (one June column, no 'Series' row)
    frame = release.observations
    prior = frame[frame["series_id"].str.startswith(tic_mfh.PRIOR_PREFIX)]
    assert sorted(prior["period"].dt.strftime("%Y-%m").unique()) == PRIOR_BREAKS
    for total in ("grand_total", "foreign_official", "foreign_official_bills", "foreign_official_bonds_notes"):
        assert len(prior[prior["series_id"] == tic_mfh.PRIOR_PREFIX + total]) == len(PRIOR_BREAKS)
    assert all(label.endswith(tic_mfh.PRIOR_LABEL) for label in prior["label"])
    # Series II's June 2002 Belgium line is still Belgium-Luxembourg (footnote 5/); Luxembourg there is "n.a."
    assert prior_at(values, "belgium_luxembourg", "2002-06") == pytest.approx(22.9)
    assert ("tic.mfh_prior.belgium", pd.Timestamp("2002-06-30")) not in values.index
    assert ("tic.mfh_prior.luxembourg", pd.Timestamp("2002-06-30")) not in values.index
    # the levels are untouched: one value per holder and month, the newer series
    assert len(series(release, "grand_total")) == 310


def test_a_month_three_times_in_a_break_header_is_refused(raw: bytes) -> None:
    lines = lines_of(raw)
    i = block_start(lines, 2011) - 1  # the month row: "Dec ... Jul Jun Jun May ..."
    lines[i] = lines[i].replace("\tMay\t", "\tJun\t", 1)
    error = assert_parse_error("\n".join(lines).encode(), line=i + 1, field="Jun")
    assert "more than twice" in str(error)


def test_official_components_add_up(release: tic_mfh.ParsedRelease) -> None:
    wide = release.observations.pivot(index="period", columns="series_id", values="value")
    parts = wide[["tic.mfh.foreign_official", "tic.mfh.foreign_official_bills",
                  "tic.mfh.foreign_official_bonds_notes"]].dropna()
    assert len(parts) == 310
    gap = parts["tic.mfh.foreign_official_bills"] + parts["tic.mfh.foreign_official_bonds_notes"]
    assert (gap - parts["tic.mfh.foreign_official"]).abs().max() <= 0.2 + 1e-9


def test_crlf_parses_identically(raw: bytes, release: tic_mfh.ParsedRelease) -> None:
    crlf = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert crlf != raw
    other = tic_mfh.parse(crlf, origin=ORIGIN)
    pd.testing.assert_frame_equal(other.observations, release.observations)
    assert other.vintage == release.vintage


def test_cp1252_and_bom_accepted(raw: bytes, release: tic_mfh.ParsedRelease) -> None:
    bom = tic_mfh.parse(b"\xef\xbb\xbf" + raw, origin=ORIGIN)
    pd.testing.assert_frame_equal(bom.observations, release.observations)
    accented = raw.replace(b"\nPeru\t", "\nPer\u00fa\t".encode("cp1252"), 1)
    frame = tic_mfh.parse(accented, origin=ORIGIN).observations
    assert "tic.mfh.peru" in set(frame["series_id"])  # slugify folds the accent
    assert "Per\u00fa" in set(frame["label"])


# ---------------------------------------------------------------- the current table (slt_table5.txt)

# Layout from shared/data/tic_slt_table5_layout/LAYOUT.md; the 2026-07 values are the ones listed there.
CURRENT = (
    "Table 5: Major Foreign Holders of Treasury Securities\r\n"
    "Link: https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/slt_table5.txt\r\n"
    "\t\t\r\n"
    "Country\t2026-07\r\n"
    "Japan\t1103.9\r\n"
    "United Kingdom\t998.3\r\n"
    "All Other\t1842.4\r\n"
    "Grand Total\t9248.1\r\n"
    "Of Which: Foreign Official\t3773.1\r\n"
    "Of Which: Foreign Official Treasury Bills\t354.4\r\n"
    "Of Which: Foreign Official T-Bonds & Notes\t3418.8\r\n"
)


def test_current_table_values() -> None:
    parsed = tic_mfh.parse(CURRENT.encode("ascii"), origin="slt_table5.txt")
    frame = parsed.observations
    assert list(frame.columns) == PARSED_COLUMNS
    assert parsed.vintage is None
    assert set(frame["period"]) == {pd.Timestamp("2026-07-31")}
    got = dict(zip(frame["series_id"], frame["value"], strict=True))
    assert got == {
        "tic.mfh.japan": 1103.9,
        "tic.mfh.united_kingdom": 998.3,
        "tic.mfh.all_other": 1842.4,
        "tic.mfh.grand_total": 9248.1,
        "tic.mfh.foreign_official": 3773.1,
        "tic.mfh.foreign_official_bills": 354.4,
        "tic.mfh.foreign_official_bonds_notes": 3418.8,
    }
    assert got["tic.mfh.foreign_official_bills"] + got["tic.mfh.foreign_official_bonds_notes"] == pytest.approx(
        got["tic.mfh.foreign_official"], abs=0.2
    )


def test_current_table_several_months_and_footer() -> None:
    # Synthetic numbers for the older months (not official values): checks column order, month ends, quoted
    # thousands, blank cells and a release date in a footer.
    text = (
        "Table 5: Major Foreign Holders of Treasury Securities\r\n"
        "Link: https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/slt_table5.txt\r\n"
        "\t\t\t\r\n"
        "Country\t2026-07\t2026-06\t2026-02\r\n"
        'Japan\t1103.9\t1100.0\t"1,090.5"\r\n'
        '"China, Mainland"\t\t700.0\t701.0\r\n'
        "United Kingdom\t998.3\t\t\r\n"
        "All Other\t1842.4\t1800.0\t1790.0\r\n"
        "Grand Total\t9248.1\t9200.0\t9100.0\r\n"
        "Of Which: Foreign Official\t3773.1\t3700.0\t3650.0\r\n"
        "Of Which: Foreign Official Treasury Bills\t354.4\t350.0\t340.0\r\n"
        "Of Which: Foreign Official T-Bonds & Notes\t3418.8\t3350.0\t3310.0\r\n"
        "\t\t\t\r\n"
        "Department of the Treasury/Federal Reserve Board\t\t\t\r\n"
        "9/16/26\t\t\t\r\n"
        "1/ Footnote text that is ignored.\t\t\t\r\n"
    )
    parsed = tic_mfh.parse(text.encode("ascii"), origin="slt_table5.txt")
    japan = series(parsed, "japan")
    assert japan.to_dict() == {
        pd.Timestamp("2026-02-28"): 1090.5,
        pd.Timestamp("2026-06-30"): 1100.0,
        pd.Timestamp("2026-07-31"): 1103.9,
    }
    assert len(series(parsed, "china_mainland")) == 2  # blank cell skipped
    assert len(series(parsed, "united_kingdom")) == 1
    assert len(series(parsed, "foreign_official_bonds_notes")) == 3
    assert parsed.vintage == date(2026, 9, 16)


def test_current_table_errors() -> None:
    bad = CURRENT.replace("United Kingdom\t998.3", "United Kingdom\t99x.3").encode("ascii")
    error = assert_parse_error(bad, line=6, field="United Kingdom", origin="slt_table5.txt")
    assert "2026-07" in str(error)
    bad = CURRENT.replace("Country\t2026-07", "Country\t2026-07\t2026-07").encode("ascii")
    assert_parse_error(bad, line=4, field="2026-07", origin="slt_table5.txt")
    bad = CURRENT.replace("Grand Total\t9248.1\r\n", "").encode("ascii")
    assert_parse_error(bad, line=10, field="Grand Total", origin="slt_table5.txt")


# ---------------------------------------------------------------- bad input


def test_wrong_header_no_country_row(raw: bytes) -> None:
    lines = lines_of(raw)
    i = block_start(lines, 2025)
    lines[i] = lines[i].replace("Country", "Nation", 1)
    assert_parse_error("\n".join(lines).encode(), line=i + 1, field="Country")


def test_wrong_header_no_month_row(raw: bytes) -> None:
    lines = lines_of(raw)
    i = block_start(lines, 2013)
    lines[i - 1] = lines[i - 1].replace("Dec", "Foo").replace("Nov", "Bar")
    assert_parse_error("\n".join(lines).encode(), line=i + 1, field="Country")


def test_not_a_tic_table() -> None:
    assert_parse_error(b"date,value\n2025-01-01,3\n", line=1, field="Country")


def test_non_numeric_cell(raw: bytes) -> None:
    lines = lines_of(raw)
    start = block_start(lines, 2013)
    i = line_index(lines, '"China, Mainland"', after=start)
    assert "\t1316.7\t" in lines[i]
    lines[i] = lines[i].replace("\t1316.7\t", "\t12x.4\t", 1)
    error = assert_parse_error("\n".join(lines).encode(), line=i + 1, field="China, Mainland")
    assert "12x.4" in str(error) and "Nov 2013" in str(error)


def test_duplicated_month_row(raw: bytes) -> None:
    lines = lines_of(raw)
    i = line_index(lines, "Japan\t", after=block_start(lines, 2025))
    lines.insert(i + 1, lines[i])
    error = assert_parse_error("\n".join(lines).encode(), line=i + 2, field="Japan")
    assert "twice" in str(error)


def test_duplicated_month_in_header(raw: bytes) -> None:
    lines = lines_of(raw)
    i = block_start(lines, 2024) - 1  # the month row
    lines[i] = lines[i].replace("\tNov\t", "\tDec\t", 1)
    assert_parse_error("\n".join(lines).encode(), line=i + 1, field="Dec")


def test_duplicated_block(raw: bytes) -> None:
    lines = lines_of(raw)
    start = block_start(lines, 2025) - 1
    end = block_start(lines, 2024) - 1
    doubled = lines[:end] + lines[start:end] + lines[end:]
    # the first repeated value row is the Japan row of the copy
    japan = line_index(doubled, "Japan\t", after=end)
    assert_parse_error("\n".join(doubled).encode(), line=japan + 1, field="Japan")


def test_missing_column(raw: bytes) -> None:
    lines = lines_of(raw)
    i = line_index(lines, "Japan\t", after=block_start(lines, 2011))
    lines[i] = lines[i].rsplit("\t", 1)[0]  # drop the January 2011 cell (this block has no trailing tab)
    error = assert_parse_error("\n".join(lines).encode(), line=i + 1, field="Japan")
    assert "missing country column" in str(error)


def test_shifted_value_outside_header(raw: bytes) -> None:
    lines = lines_of(raw)
    i = line_index(lines, "Japan\t", after=block_start(lines, 2025))
    lines[i] = lines[i].replace("Japan\t", "Japan\t\t", 1)
    assert_parse_error("\n".join(lines).encode(), line=i + 1, field="Japan")


def test_utf16_file(raw: bytes) -> None:
    assert_parse_error(raw.decode("ascii").encode("utf-16"), line=1, field="encoding")
    assert_parse_error(raw.decode("ascii").encode("utf-16-le"), line=1, field="encoding")


def test_undecodable_bytes(raw: bytes) -> None:
    bad = raw.replace(b"Japan", b"Jap\x81n", 1)  # 0x81: neither UTF-8 nor cp1252
    assert_parse_error(bad, line=10, field="encoding")


def test_empty_file() -> None:
    assert_parse_error(b"", line=1, field="Country")
    assert_parse_error(b"  \r\n\t\t\n", line=1, field="Country")


def test_truncated_file(raw: bytes) -> None:
    first_30 = b"".join(raw.splitlines(keepends=True)[:30])
    error = assert_parse_error(first_30, line=30, field="Grand Total")
    assert "truncated" in str(error)


def test_block_with_header_but_no_rows(raw: bytes) -> None:
    lines = lines_of(raw)
    i = block_start(lines, 2025)
    cut = "\n".join(lines[: i + 2]).encode()  # month row, Country row, dashes
    assert_parse_error(cut, line=i + 2, field="Grand Total")


# ---------------------------------------------------------------- robustness


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_only_parse_error(data: bytes) -> None:
    try:
        tic_mfh.parse(data, origin="random.bin")
    except ParseError as exc:
        assert "random.bin" in str(exc)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_mutated_real_file_only_parse_error(raw: bytes, data: st.DataObject) -> None:
    lines = raw.split(b"\n")
    kind = data.draw(st.sampled_from(["delete", "swap_tab", "drop_tab", "add_tab", "truncate"]))
    if kind == "delete":
        del lines[data.draw(st.integers(0, len(lines) - 1))]
        mutated = b"\n".join(lines)
    elif kind == "truncate":
        mutated = raw[: data.draw(st.integers(0, len(raw)))]
    else:
        tabs = [m.start() for m in re.finditer(b"\t", raw)]
        pos = data.draw(st.sampled_from(tabs))
        if kind == "swap_tab":  # exchange the cells on both sides of a tab
            start = max(raw.rfind(b"\t", 0, pos), raw.rfind(b"\n", 0, pos)) + 1
            ends = [e for e in (raw.find(b"\t", pos + 1), raw.find(b"\n", pos + 1)) if e >= 0]
            end = min(ends, default=len(raw))
            left, right = raw[start:pos], raw[pos + 1 : end]
            mutated = raw[:start] + right + b"\t" + left + raw[end:]
        elif kind == "drop_tab":
            mutated = raw[:pos] + b" " + raw[pos + 1 :]
        else:
            mutated = raw[:pos] + b"\t\t" + raw[pos + 1 :]
    try:
        parsed = tic_mfh.parse(mutated, origin="mutated.txt")
    except ParseError as exc:
        assert "mutated.txt" in str(exc)
    else:
        assert list(parsed.observations.columns) == PARSED_COLUMNS


# ---------------------------------------------------------------- hardening (issue 17): vintages, ranges, names


def cut_before_footer(raw: bytes) -> bytes:
    """The real file cut after its last year block, before the footer that prints the release date."""
    lines = lines_of(raw)
    footer = next(i for i, line in enumerate(lines) if line.startswith("Department of the Treasury"))
    return "\n".join(lines[:footer]).encode("ascii")


def test_a_file_cut_before_its_footer_has_no_vintage_and_says_why(raw: bytes) -> None:
    parsed = tic_mfh.parse(cut_before_footer(raw), origin=ORIGIN)
    assert parsed.vintage is None
    assert "cut short" in parsed.missing_vintage_hint and "Department of the Treasury" in parsed.missing_vintage_hint
    assert len(parsed.observations) > 10_000  # every block is still there
    # the current table never prints one: no hint, the download date may serve
    assert tic_mfh.parse(CURRENT.encode("ascii"), origin="slt_table5.txt").missing_vintage_hint == ""


def test_a_misspelt_holder_is_refused_with_close_matches(raw: bytes) -> None:
    lines = lines_of(raw)
    japan = line_index(lines, "Japan\t")
    bad = raw.replace(b"\nJapan\t", "\nJap\u00e9n\t".encode("cp1252"), 1)  # one damaged byte
    error = assert_parse_error(bad, line=japan + 1, field="Jap\u00e9n")
    assert "did you mean 'Japan'" in str(error) and "--allow-new-names" in str(error)
    allowed = tic_mfh.parse(bad, origin=ORIGIN, allow_new_names=True).observations
    assert "tic.mfh.japen" in set(allowed["series_id"])


def test_an_unheard_of_holder_is_refused_without_suggestions(raw: bytes) -> None:
    lines = lines_of(raw)
    row = line_index(lines, "Chile\t")
    bad = raw.replace(b"\nChile\t", b"\nAtlantis\t", 1)
    error = assert_parse_error(bad, line=row + 1, field="Atlantis")
    assert "did you mean" not in str(error)


@pytest.mark.parametrize(
    ("cell", "why"), [("-12.5", "negative"), ("1e308", "over 50,000"), ("60000", "over 50,000")]
)
def test_implausible_holdings_are_refused(raw: bytes, cell: str, why: str) -> None:
    lines = lines_of(raw)
    japan = line_index(lines, "Japan\t")
    lines[japan] = lines[japan].replace("1185.5", cell, 1)
    error = assert_parse_error("\n".join(lines).encode(), line=japan + 1, field="Japan")
    assert why in str(error) and "Dec 2025" in str(error)


def test_implausible_years_are_refused(raw: bytes) -> None:
    lines = lines_of(raw)
    header = block_start(lines, 2025)
    lines[header] = lines[header].replace("2025", "9999", 1)
    assert_parse_error("\n".join(lines).encode(), line=header + 1, field="Dec")
    current = CURRENT.replace("2026-07", "9999-07")
    assert_parse_error(current.encode("ascii"), line=4, field="9999-07", origin="slt_table5.txt")


def test_an_implausible_release_date_is_refused(raw: bytes) -> None:
    lines = lines_of(raw)
    footer = next(i for i, line in enumerate(lines) if "3/18/26" in line)
    lines[footer] = lines[footer].replace("3/18/26", "3/18/9999")
    error = assert_parse_error("\n".join(lines).encode(), line=footer + 1, field="release date")
    assert "implausible" in str(error)
