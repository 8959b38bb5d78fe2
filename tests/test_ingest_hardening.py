"""Data-layer hardening: decimal commas, TIC month order, conflicting releases of one vintage, truncated CSVs,
auctions not yet held, re-imports with another --vintage, ``data show`` that matches nothing, and messages.

Every parser test runs on a real official file from the shared data folder, damaged in one place in memory (or in
a copy under ``tmp_path``).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import httpx
import pandas as pd
import pytest
from typer.testing import CliRunner

from geostress.cli.data import data_app
from geostress.data.ingest import import_file, update
from geostress.data.snapshot import SNAPSHOT_FILES
from geostress.data.sources import cbo_actuals, cbo_baselines, fred, tic_mfh, treasury_auctions
from geostress.data.sources._xlsx import number as xlsx_number
from geostress.data.sources.base import parse_number, strip_thousands
from geostress.data.store import Store
from geostress.errors import DataError, ParseError, SourceUnavailableError
from geostress.testing import assert_parse_error, assert_where

TIC = "tic_mfh_historical/mfhhis01.txt"
DGS10 = "us_rates_daily_fred_2026-08/us-10-year-treasury-yield.csv"
ACTUALS = "cbo_baseline_projections/actuals.csv"
AUCTIONS = "treasury_auctions_treasurydirect/Auctions_Query_19791115_20251215.csv"


def _line_of(raw: bytes, needle: bytes) -> int:
    assert raw.count(needle) >= 1, needle
    return raw[: raw.index(needle)].count(b"\n") + 1


def _tree_digest(home: Path) -> dict[str, str]:
    """Every file under ``home`` with its SHA-256 (the store must stay byte-identical after a refusal)."""
    return {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(home.rglob("*"))
            if p.is_file()}  # fmt: skip


# ------------------------------------------------------------------------------------------------------------
# 1. a comma is only ever a thousands separator
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, value", [("1,316.7", 1316.7), ("12,345", 12345.0), ('"9,271.0"', 9271.0),
                                         ("-1,234,567.5", -1234567.5), ("683.5", 683.5), ("1,000", 1000.0)])
def test_thousands_grouping_is_accepted(cell: str, value: float) -> None:
    assert parse_number(cell, origin="f.csv", line=3, field="v") == value
    assert xlsx_number(cell.strip('"'), origin="f.xlsx", line=3, field="v") == value


@pytest.mark.parametrize("cell", ["4,69", "683,5", "12,34,5", "1234,567", "1,2345", ",5", "1,316,7", "0,5"])
def test_a_comma_that_is_not_thousands_grouping_is_refused(cell: str) -> None:
    for call in (lambda: parse_number(cell, origin="f.csv", line=7, field="value"),
                 lambda: xlsx_number(cell, origin="f.csv", line=7, field="value"),
                 lambda: strip_thousands(cell, origin="f.csv", line=7, field="value")):  # fmt: skip
        with pytest.raises(ParseError, match="not a thousands separator") as info:
            call()
        assert_where(info.value, "f.csv", 7, "value")


def test_fred_decimal_comma_is_refused_with_line_and_field(shared_data: Path) -> None:
    raw = (shared_data / DGS10).read_bytes()
    bad = raw.replace(b"\n2026-08-20,4.69\n", b'\n2026-08-20,"4,69"\n')
    assert bad != raw
    with pytest.raises(ParseError, match="not a thousands separator") as info:
        fred.parse(bad, origin="dgs10.csv")
    assert info.value.line == _line_of(bad, b'2026-08-20,"4,69"') and info.value.field and info.value.hint


def test_tic_decimal_comma_is_refused_with_line_and_field(shared_data: Path) -> None:
    raw = (shared_data / TIC).read_bytes()
    bad = raw.replace(b"\t683.5\t", b"\t683,5\t", 1)
    err = assert_parse_error(tic_mfh, bad, "mfhhis01.txt", 12, "China, Mainland", "not a thousands separator")
    assert "Dec 2025" in str(err) and err.hint


# ------------------------------------------------------------------------------------------------------------
# 2. TIC headers run back one month at a time
# ------------------------------------------------------------------------------------------------------------


def test_tic_months_out_of_order_are_refused(shared_data: Path) -> None:
    raw = (shared_data / TIC).read_bytes()
    swapped = raw.replace(b"\tDec\tNov\tOct", b"\tNov\tDec\tOct", 1)
    err = assert_parse_error(tic_mfh, swapped, "mfhhis01.txt", 6, "Dec", "one month at a time")
    assert "Dec 2025 follows Nov 2025" in str(err)
    # a month left out of a later block is refused too (its line named)
    lines = raw.split(b"\n")
    k = next(i for i, ln in enumerate(lines) if i > 100 and ln.startswith(b"\tDec\tNov\tOct"))
    lines[k] = lines[k].replace(b"\tSep\tAug", b"\tAug\tSep", 1)
    assert_parse_error(tic_mfh, b"\n".join(lines), "mfhhis01.txt", k + 1, "Aug", "one month at a time")


def test_tic_series_break_repeats_only_side_by_side(shared_data: Path) -> None:
    raw = (shared_data / TIC).read_bytes()
    assert len(tic_mfh.parse(raw, origin="mfhhis01.txt").observations) == 12_712  # the real breaks still pass
    lines = raw.split(b"\n")
    k = next(i for i, ln in enumerate(lines) if b"\tJun\tJun\t" in ln)
    lines[k] = lines[k].replace(b"\tJul\tJun\tJun\tMay", b"\tJun\tJul\tJun\tMay", 1)
    assert_parse_error(tic_mfh, b"\n".join(lines), "mfhhis01.txt", k + 1, "Jun", "Jun 2011 follows Aug 2011")


def test_tic_current_table_months_must_run_back() -> None:
    text = (
        "Country\t2026-06\t2026-07\r\n"
        "Japan\t1100.0\t1103.9\r\n"
        "Grand Total\t9200.0\t9248.1\r\n"
    )
    assert_parse_error(tic_mfh, text.encode(), "slt_table5.txt", 1, "2026-07", "run back in time")


# ------------------------------------------------------------------------------------------------------------
# 3. one vintage of one source holds one set of values
# ------------------------------------------------------------------------------------------------------------


def test_a_damaged_tic_file_cannot_override_the_snapshot_release(geostress_home: Path, shared_data: Path,
                                                                  tmp_path: Path) -> None:
    raw = (shared_data / TIC).read_bytes()
    damaged = tmp_path / "mfhhis01.txt"
    damaged.write_bytes(raw.replace(b"\t683.5\t", b"\t683.9\t", 1))
    store = Store(geostress_home)
    before = _tree_digest(geostress_home)
    with pytest.raises(ParseError, match="683.9 here but 683.5 in the embedded snapshot") as info:
        import_file(damaged, "tic-mfh", store=store)
    assert_where(info.value, str(damaged), 12, "China, Mainland")
    assert "tic_mfh_historical/mfhhis01.txt" in str(info.value) and "2026-03-18" in str(info.value)
    assert _tree_digest(geostress_home) == before
    values = store.get("tic.mfh.china_mainland", start="2025-11", vintage="2026-03-18")["value"].tolist()
    assert values == [683.9, 683.5]  # the official Nov and Dec 2025 values are still what reads see


@pytest.mark.parametrize("typed", ["448", "44.8", "-8.1"])
def test_a_yield_with_a_lost_decimal_point_is_refused_with_its_line(geostress_home: Path, shared_data: Path,
                                                                    tmp_path: Path, typed: str) -> None:
    """A 10-year yield of 448% (or 44.8%) passed the percent bound (±1,000) and became the latest release, which
    every check and model then read; a US rate's family bound (−5 to 30) refuses it, naming the line."""
    raw = (shared_data / "us_treasury_yields_fred_monthly/GS10.csv").read_bytes()
    damaged = tmp_path / "GS10.csv"
    damaged.write_bytes(raw.replace(b"\n2026-05-01,4.48", f"\n2026-05-01,{typed}".encode(), 1))
    assert damaged.read_bytes() != raw
    store = Store(geostress_home)
    before = _tree_digest(geostress_home)
    with pytest.raises(ParseError, match=r"fred\.gs10 at 2026-05-31 is implausible: outside -5 to 30, for a US "
                                         r"interest rate") as info:
        import_file(damaged, "fred", vintage=date(2026, 7, 2), store=store)
    assert_where(info.value, str(damaged), _line_of(damaged.read_bytes(), f"2026-05-01,{typed}".encode()),
                 info.value.field)
    assert _tree_digest(geostress_home) == before  # nothing stored
    assert store.get("fred.gs10", start="2026-05", end="2026-05")["value"].tolist() == [4.48]


def test_a_home_that_is_a_file_is_refused_by_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "homefile"
    home.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("GEOSTRESS_HOME", str(home))
    for args in (["status"], ["show", "fred.dgs10", "--start", "2026-08"]):
        result = CliRunner().invoke(data_app, args)
        assert result.exit_code == 1 and f"GEOSTRESS_HOME={home} is not a folder" in result.output, result.output
    assert home.read_text(encoding="utf-8") == "not a folder"


def test_a_second_different_file_of_the_same_vintage_is_refused(geostress_home: Path, shared_data: Path,
                                                                tmp_path: Path) -> None:
    text = (shared_data / DGS10).read_text()
    first, second = tmp_path / "a" / "dgs10.csv", tmp_path / "b" / "dgs10.csv"
    for path, value in ((first, "4.70"), (second, "4.71")):
        path.parent.mkdir()
        path.write_text(text.replace("\n2026-08-20,4.69\n", f"\n2026-08-20,{value}\n"))
    store = Store(geostress_home)
    stored = import_file(first, "fred", vintage=date(2026, 8, 23), store=store)
    assert stored.added and stored.path is not None
    before = _tree_digest(geostress_home)
    with pytest.raises(ParseError, match="4.71 here but 4.7 in the batch") as info:
        import_file(second, "fred", vintage=date(2026, 8, 23), store=store)
    text_err = str(info.value)
    assert str(second) in text_err and str(stored.path) in text_err and "--vintage" in text_err
    assert info.value.field and info.value.hint
    assert _tree_digest(geostress_home) == before
    # the same bytes again: a no-op; the second file as a release of its own date: stored
    assert not import_file(first, "fred", vintage=date(2026, 8, 23), store=store).added
    assert import_file(second, "fred", vintage=date(2026, 8, 24), store=store).added
    got = store.get("fred.dgs10", start="2026-08-20", end="2026-08-20", as_of="2026-08-23")["value"].tolist()
    assert got == [4.70]


def test_other_bytes_with_the_same_values_are_no_conflict(geostress_home: Path, shared_data: Path,
                                                          tmp_path: Path) -> None:
    crlf = tmp_path / "dgs10.csv"
    crlf.write_bytes((shared_data / DGS10).read_bytes().replace(b"\n", b"\r\n"))
    result = import_file(crlf, "fred", vintage=date(2026, 8, 22), store=Store(geostress_home))
    assert result.added  # same release as the snapshot's, same values: nothing to refuse


# ------------------------------------------------------------------------------------------------------------
# 5. a CSV cut inside its last line (sources whose official CSVs always end with a newline)
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["fred", "cbo-actuals", "cbo-baselines"])
def test_every_real_file_of_the_checked_sources_ends_with_a_newline(shared_data: Path, source: str) -> None:
    paths = {spec.path for spec in SNAPSHOT_FILES if spec.source == source}
    paths |= {str(p.relative_to(shared_data)) for p in shared_data.glob("*fred*/*.csv")} if source == "fred" else set()
    assert paths
    for rel in paths:
        assert (shared_data / rel).read_bytes().endswith(b"\n"), rel


def test_cbo_actuals_cut_inside_the_last_value_is_refused(shared_data: Path) -> None:
    raw = (shared_data / ACTUALS).read_bytes()
    cut = raw[: raw.index(b"969.938") + 3]
    err = assert_parse_error(cbo_actuals, cut, "actuals.csv", cut.count(b"\n") + 1, "actual_value", "truncated")
    assert "download" in (err.hint or "")
    assert cbo_actuals.parse(raw, origin="actuals.csv").observations["value"].max() > 0  # the whole file passes


def test_fred_and_cbo_baselines_cut_short_are_refused(shared_data: Path) -> None:
    raw = (shared_data / DGS10).read_bytes()
    cut = raw[:-3]  # "2026-08-20,4.6"
    assert_parse_error(fred, cut, "dgs10.csv", cut.count(b"\n") + 1, "value", "truncated")
    base = (shared_data / "cbo_baseline_projections/baselines.csv").read_bytes()[:200_000]
    base = base[: base.rindex(b"\n") - 2]  # inside the last value of a complete row
    assert_parse_error(cbo_baselines, base, "baselines.csv", base.count(b"\n") + 1, "value", "truncated")


# ------------------------------------------------------------------------------------------------------------
# 7. treasury auctions: only auctions held are counted
# ------------------------------------------------------------------------------------------------------------


def test_announced_auctions_without_results_are_not_counted(shared_data: Path) -> None:
    raw = (shared_data / AUCTIONS).read_bytes()
    obs = treasury_auctions.parse(raw, origin="auctions.csv").observations.set_index(["series_id", "period"])
    dec = pd.Timestamp("2025-12-31")
    # the export runs to 2025-12-11, but the 2025-12-09 and 2025-12-11 auctions were announced only (no price,
    # no results): 10 auctions were held in December by the export, 9 bills and the 3-year note of 12-08
    assert obs.loc[("treasury.auctions.count.all", dec), "value"] == 10
    assert obs.loc[("treasury.auctions.count.bill", dec), "value"] == 9
    assert obs.loc[("treasury.auctions.count.bond", dec), "value"] == 0
    assert obs.loc[("treasury.auctions.bill_share", dec), "value"] == pytest.approx(90.0)
    assert obs.loc[("treasury.auctions.count.all", pd.Timestamp("2025-11-30")), "value"] == 34
    # the same row with its results published counts
    lines = raw.split(b"\n")
    lines[1] = lines[1].replace(b",null,A_20251204_2.pdf,null,null,A_20251204_2.xml,null",
                                b",99.5,A_20251204_2.pdf,R_20251211_1.pdf,null,A_20251204_2.xml,R_20251211_1.xml")
    held = treasury_auctions.parse(b"\n".join(lines), origin="auctions.csv").observations
    held = held.set_index(["series_id", "period"])
    assert held.loc[("treasury.auctions.count.bond", dec), "value"] == 1


# ------------------------------------------------------------------------------------------------------------
# 8. a re-import never ignores a --vintage silently
# ------------------------------------------------------------------------------------------------------------


def test_reimport_with_another_vintage_says_it_was_ignored(geostress_home: Path, shared_data: Path,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "dgs10.csv"
    path.write_text((shared_data / DGS10).read_text().replace("\n2026-08-20,4.69\n", "\n2026-08-20,4.70\n"))
    store = Store(geostress_home)
    assert import_file(path, "fred", vintage=date(2026, 8, 25), store=store).added
    again = import_file(path, "fred", vintage=date(2026, 8, 26), store=store)
    assert not again.added and again.vintages == (date(2026, 8, 25),)
    assert "as vintage 2026-08-25" in again.reason and "--vintage 2026-08-26 given was ignored" in again.reason
    same = import_file(path, "fred", vintage=date(2026, 8, 25), store=store)
    assert not same.added and same.reason == "already imported"
    snap = import_file(shared_data / DGS10, "fred", vintage=date(2026, 8, 23), store=store)
    assert "embedded snapshot as vintage 2026-08-22" in snap.reason and "2026-08-23 given was ignored" in snap.reason


def test_reimport_of_a_snapshot_file_still_checks_the_vintage(geostress_home: Path, shared_data: Path) -> None:
    store = Store(geostress_home)
    before = _tree_digest(geostress_home)
    with pytest.raises(ParseError, match="2026-03-19 contradicts the release date printed in the file, 2026-03-18"):
        import_file(shared_data / TIC, "tic-mfh", vintage=date(2026, 3, 19), store=store)
    with pytest.raises(ParseError, match="in the future") as info:
        import_file(shared_data / DGS10, "fred", vintage=date(2099, 1, 1), store=store)
    assert "--vintage" in (info.value.hint or "")
    assert _tree_digest(geostress_home) == before
    assert not import_file(shared_data / TIC, "tic-mfh", vintage=date(2026, 3, 18), store=store).added


# ------------------------------------------------------------------------------------------------------------
# 9 and 11. data show that matches nothing; messages
# ------------------------------------------------------------------------------------------------------------


def test_show_an_unknown_vintage_lists_the_vintages_held(geostress_home: Path) -> None:
    result = CliRunner().invoke(data_app, ["show", "tic.mfh.china_mainland", "--vintage", "2026-01-16"])
    assert result.exit_code == 1
    assert "matches no release" in result.output and "2026-03-18" in result.output
    with pytest.raises(DataError, match="holds 2026-03-18"):
        Store(geostress_home).get("tic.mfh.china_mainland", vintage="2026-01-16")


def test_show_an_empty_window_says_nothing_matched(geostress_home: Path) -> None:
    result = CliRunner().invoke(data_app, ["show", "tic.mfh.china_mainland", "--start", "2030"])
    assert result.exit_code == 0
    assert "no observation of tic.mfh.china_mainland matched --start 2030" in result.output
    assert "2025-12-31" in result.output and "vintages 2026-03-18" in result.output
    as_json = CliRunner().invoke(data_app, ["show", "tic.mfh.china_mainland", "--start", "2030", "--json"])
    assert as_json.exit_code == 0 and "[]" in as_json.output


def test_a_catalog_filter_that_matches_nothing_says_so(geostress_home: Path) -> None:
    result = CliRunner().invoke(data_app, ["catalog", "zzzz"])
    assert result.exit_code == 0 and "no series id contains 'zzzz'" in result.output  # not an empty table
    assert "from" not in result.output and "unit" not in result.output  # no table header
    found = CliRunner().invoke(data_app, ["catalog", "dgs10"])
    assert "fred.dgs10" in found.output and "no series id" not in found.output


def test_start_after_end_is_named_without_a_python_repr(geostress_home: Path) -> None:
    result = CliRunner().invoke(data_app, ["show", "fred.dgs10", "--start", "2026", "--end", "2025"])
    assert result.exit_code != 0 and "datetime" not in result.output and "--start" in result.output
    with pytest.raises(DataError, match=r"start=2026-01-01 is after end=2025-12-31") as info:
        Store(geostress_home).get("fred.dgs10", start=date(2026, 1, 1), end=date(2025, 12, 31))
    assert "datetime" not in str(info.value)


def test_a_partial_vintage_on_import_is_refused_without_suggesting_it(geostress_home: Path, tmp_path: Path) -> None:
    for given in ("2025-11", "2025-13-01"):
        result = CliRunner().invoke(data_app, ["import", str(tmp_path / "x.csv"), "--source", "fred",
                                               "--vintage", given])
        assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
        assert "YYYY-MM or" not in result.output and "partial date" not in result.output


def test_messages_have_no_double_period_and_say_what_to_do(shared_data: Path, tmp_path: Path) -> None:
    raw = (shared_data / TIC).read_bytes()
    no_footer = raw[: raw.index(b"Department of the Treasury")]
    release = tic_mfh.parse(no_footer, origin="mfhhis01.txt")
    with pytest.raises(ParseError) as info:
        Store(tmp_path, include_snapshot=False).ingest(release, no_footer, origin="mfhhis01.txt")
    assert ".." not in str(info.value) and "--vintage" in str(info.value)
    actuals = (shared_data / ACTUALS).read_bytes().replace(b",969.938", b",n/a9", 1)
    with pytest.raises(ParseError, match="n/a9") as bad:
        cbo_actuals.parse(actuals, origin="actuals.csv")
    assert bad.value.hint


def test_offline_message_does_not_ask_whether_offline(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(SourceUnavailableError) as info:
            update(["tic-mfh"], store=Store(tmp_path, include_snapshot=False), client=client)
    assert "offline?" not in str(info.value) and "network" in str(info.value)
