"""The report review's defects (numbers as in the review): writing into a folder that holds a report (1, 2), the fan
tiles (3, 4), the tipping what-if's words (5), what "Sold" is (6), the rare-earth price chart (7), the as-of claim (8),
the yield caption (9), the two debt totals (10), the reserves' month (11) and the small print (12).

Reports are built deterministically (``paths = 0``, no tipping point) on the embedded snapshot; most checks read a
section's blocks as text.
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from geostress.data.store import Store
from geostress.report import MANIFEST_FILE, REPORT_FILE, build_report, publish
from geostress.report.sections import market, policy, scenario
from geostress.report.sections.data import asof_section, period_text
from geostress.run.coupled import holders_for
from geostress.run.engine import run_scenario
from geostress.spec.scenario import load_scenario


def as_text(blocks: object) -> str:
    """Blocks (or one HTML string) as plain text, as tests/test_report_wording.py reads them."""
    parts = [blocks] if isinstance(blocks, str) else [b for b in blocks if isinstance(b, str)]  # type: ignore
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", " ".join(parts))))


def _files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) → its SHA-256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def _spec(name: str, **overrides: object):  # noqa: ANN202
    return load_scenario(name).with_overrides(**{"simulation.paths": 0, **overrides})


def _staging(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".geostress-report-staging-")]


@pytest.fixture(scope="module")
def old_report(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of a coupled scenario (it has data/term_premium.csv, which the baseline's report has not)."""
    out = tmp_path_factory.mktemp("old") / "report"
    build_report(_spec("china-sells-300bn"), out, store=store, tipping=False)
    assert (out / "data" / "term_premium.csv").is_file() and (out / MANIFEST_FILE).is_file()
    return out


# -- 1. a failed write leaves the previous report whole -----------------------------------------------------------
def test_a_failed_build_leaves_the_previous_report_as_it_was(old_report: Path, store: Store, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The review: the CSV step failed after scenario/ had been replaced, leaving china-sells-300bn's run beside
    the baseline's page. Now nothing in the folder changes until everything is written."""
    import geostress.report as report

    out = tmp_path / "again"
    shutil.copytree(old_report, out)
    before = _files(out)
    real = report.write_assets

    def write_then_fail(sections: object, folder: Path) -> object:
        real(sections, folder)  # type: ignore[arg-type]
        raise OSError(errno.EPERM, "Operation not permitted", str(folder / "data"))

    monkeypatch.setattr(report, "write_assets", write_then_fail)
    with pytest.raises(OSError, match="not permitted"):
        build_report(_spec("baseline"), out, store=store, tipping=False)
    assert _files(out) == before
    assert json.loads((out / "scenario" / "summary.json").read_text(encoding="utf-8"))["scenario"] == \
        "china-sells-300bn"
    assert not _staging(out)


def _staged(root: Path, files: dict[str, str]) -> Path:
    staged = root / "staged"
    for rel, text in files.items():
        (staged / rel).parent.mkdir(parents=True, exist_ok=True)
        (staged / rel).write_text(text, encoding="utf-8")
    return staged


def test_a_failed_move_puts_the_previous_files_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that cannot be replaced while the new report is moved in (the review's read-only data/): every file
    already moved or removed goes back."""
    out = tmp_path / "out"
    publish(_staged(tmp_path / "a", {"report.html": "old", "data/x.csv": "old x", "data/gone.csv": "old gone",
                                     "scenario/summary.json": "old s"}), out, tmp_path / "a" / "backup")
    before = _files(out)
    real = os.replace

    def refuse_data(src: object, dst: object) -> None:
        if Path(str(dst)).parent == out / "data" and "staged" in str(src):
            raise PermissionError(errno.EPERM, "Operation not permitted", str(dst))
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", refuse_data)
    with pytest.raises(PermissionError):
        publish(_staged(tmp_path / "b", {"report.html": "new", "data/x.csv": "new x",
                                         "scenario/summary.json": "new s"}), out, tmp_path / "b" / "backup")
    monkeypatch.undo()
    assert _files(out) == before


# -- 2. a successful write leaves no file of the previous report ---------------------------------------------------
def test_a_new_report_removes_the_previous_reports_files_and_nothing_else(old_report: Path, store: Store,
                                                                          tmp_path: Path) -> None:  # fmt: skip
    out = tmp_path / "again"
    shutil.copytree(old_report, out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "data" / "mine.csv").write_text("a\n1\n", encoding="utf-8")
    build_report(_spec("baseline"), out, store=store, tipping=False)
    assert not (out / "data" / "term_premium.csv").exists() and not (out / "figures" / "term_premium.png").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "data" / "mine.csv").is_file()  # the user's file, not the report's
    listed = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))["files"]
    present = set(_files(out)) - {MANIFEST_FILE, "notes.txt", "data/mine.csv"}
    assert set(listed) == present and REPORT_FILE in listed
    assert json.loads((out / "scenario" / "summary.json").read_text(encoding="utf-8"))["scenario"] == "baseline"
    assert not _staging(out)


def test_a_report_written_before_manifests_is_cleaned_by_what_its_page_links(tmp_path: Path) -> None:
    """A folder of a report written before the manifest existed: its page's data/ and figures/ links are its
    files (tipping.csv after --no-tipping in the review); other files stay."""
    out = tmp_path / "out"
    page = ('<meta name="generator" content="geostress report"><a href="data/tipping.csv">t</a>'
            '<a href="figures/term_premium.png">p</a><a href="data/kept.csv">k</a>')
    for rel, text in {"report.html": page, "data/tipping.csv": "x", "figures/term_premium.png": "x",
                      "data/kept.csv": "old", "data/mine.csv": "mine", "figures/mine.png": "mine"}.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    publish(_staged(tmp_path, {"report.html": "new", "data/kept.csv": "new"}), out, tmp_path / "backup")
    assert _files(out).keys() == {"report.html", "data/kept.csv", "data/mine.csv", "figures/mine.png", MANIFEST_FILE}
    assert (out / "data" / "kept.csv").read_text(encoding="utf-8") == "new"


def test_a_manifest_naming_paths_outside_the_folder_removes_nothing_there(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    out.mkdir()
    (out / MANIFEST_FILE).write_text(json.dumps({"files": ["../outside.txt", str(outside), "report.html"]}),
                                     encoding="utf-8")
    publish(_staged(tmp_path, {"report.html": "new"}), out, tmp_path / "backup")
    assert outside.read_text(encoding="utf-8") == "keep"


# -- 3 and 4. the fan tiles ------------------------------------------------------------------------------------------
def test_no_shock_value_is_the_same_fiscal_year_as_the_median_on_a_long_horizon(store: Store) -> None:
    result = run_scenario(load_scenario("baseline").with_overrides(
        **{"simulation.paths": 20, "scenario.horizon_years": 40}), store=store)
    y10, y30 = result.headline()["horizon_years"]
    annual = result.annual_frame()
    assert y30 != annual.index[-1]  # 40 years: the tile's year is not the last
    text = as_text(scenario.fan_section(result).blocks)
    right = f"{100 * annual.at[y30, 'debt_to_gdp']:.1f}%"
    assert f"Debt/GDP FY{y30}, median" in text and f"no-shock path {right}" in text
    # 4: the net-interest tile is a median of that year too, labelled so, with the no-shock figure named as such
    fan = scenario.fan_frame(result, "net_interest_to_gdp")
    median = fan[(fan["quantile"] == "p50") & (fan["fiscal_year"] == y30)]["value"].iloc[0]
    assert f"Net interest/GDP FY{y30}, median {100 * median:.1f}%" in text
    assert f"no-shock path {100 * annual.at[y30, 'net_interest_to_gdp']:.1f}%" in text


def test_a_short_horizon_has_one_debt_tile_per_year(store: Store) -> None:
    result = run_scenario(load_scenario("baseline").with_overrides(
        **{"simulation.paths": 20, "scenario.horizon_years": 5}), store=store)
    y10, y30 = result.headline()["horizon_years"]
    assert y10 == y30
    assert as_text(scenario.fan_section(result).blocks).count(f"Debt/GDP FY{y10}") == 1


# -- 5. the tipping what-if says what the scenario does -------------------------------------------------------------
HOLDINGS = {"china_mainland_official": 629.3}


@pytest.mark.parametrize("preset", ["dash-for-cash", "davos-threat"])
def test_tipping_what_if_does_not_say_a_selling_scenario_sells_nothing(preset: str) -> None:
    spec = load_scenario(preset)
    assert spec.contagion.enabled and not spec.sales
    what = market.tipping_setup(spec, HOLDINGS)[1]
    assert "sells nothing" not in what and "switched on" not in what
    assert "no scheduled sale" in what and "already on" in what and "Sold figure" in what


def test_tipping_what_if_for_the_baseline_switches_contagion_on() -> None:
    what = market.tipping_setup(load_scenario("baseline"), HOLDINGS)[1]
    assert "with the contagion block switched on" in what and "nothing that sells" in what


def test_tipping_tile_shows_no_scheduled_sale_not_zero(store: Store) -> None:
    spec = load_scenario("dash-for-cash")
    holders = holders_for(store, run_scenario(_spec("dash-for-cash", **{"scenario.horizon_years": 2}),
                                              store=store).calibration)
    text = as_text(market.tipping_section(spec, store, holders).blocks)
    assert "This scenario's sale $0bn" not in text and "This scenario's scheduled sale none" in text


# -- 6, 12a, 12b. the cascade tiles ---------------------------------------------------------------------------------
def test_sold_is_defined_as_gross_sales_by_every_holder(store: Store) -> None:
    result = run_scenario(_spec("china-sells-300bn", **{"scenario.horizon_years": 3}), store=store)
    text = as_text(market.cascade_blocks(result, holders_for(store, result.calibration)))
    assert "gross sales by every holder class" in text and "domestic private" in text
    assert "buybacks not netted" in text


def test_median_line_says_can_sit_below_only_when_the_two_figures_differ() -> None:
    same = market.median_line_caption({"peak_term_premium_bp": 18.06, "peak_10y_change_bp": 18.1})
    assert "can sit below" not in same and "(+18.1 bp) is the same as the peak above" in same
    differ = market.median_line_caption({"peak_term_premium_bp": 3.5, "peak_10y_change_bp": 5.7})
    assert "(+3.5 bp) can sit below the peak above (+5.7 bp)" in differ


def test_rest_mostly_flow_only_when_it_is() -> None:
    assert market.stock_words(2.17, 0.54).endswith("the rest mostly flow")
    dash = market.stock_words(0.02, 0.05)  # dash-for-cash: the stock effect exceeds the figure
    assert "mostly flow" not in dash and "the flow effect still under way −0.03 bp" in dash


# -- 7. the rare-earth price chart ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("year", "edition"), [(2025, 2026), (2024, 2025)])
def test_price_chart_names_the_base_year_and_is_not_called_a_premium(year: int, edition: int) -> None:
    summary = {"base_year": year, "price_usd_kg_global": {"ndpr": [69.1, 86.9]},
               "price_usd_kg_china_free": {"ndpr": [69.0, 69.0]}}
    caption = policy._price_chart(summary).caption
    assert f"the {year} price (USGS Mineral Commodity Summaries {edition})" in caption
    assert "premium covered buyers pay" not in caption and "can sit below the global one" not in caption
    assert "never sits below the global one" in caption  # docs/minerals.md, Prices: max(world, China-free scarcity)
    assert f"Mineral Commodity Summaries {edition} (mine production and prices for {year}" in policy._usgs(year)


# -- 8, 12f. data as of ---------------------------------------------------------------------------------------------
def test_the_report_names_the_one_way_to_rebuild_it_as_of_an_earlier_date(store: Store) -> None:
    text = as_text(asof_section(store).blocks)
    assert "can be rebuilt as the data stood" not in text  # an earlier wording promised what nothing did
    assert "geostress report SCENARIO --as-of DATE" in text and "data show SERIES --as-of DATE" in text
    pinned = as_text(asof_section(store.known_on("2026-07-15")).blocks)  # tests/test_data_as_of.py: it does so
    assert "newest vintage of each released by 2026-07-15" in pinned and "--as-of DATE" not in pinned


def test_a_month_under_way_at_release_is_marked_partial() -> None:
    assert period_text(pd.Timestamp("2026-08-31"), pd.Timestamp("2026-08-22")).endswith("(partial: under way at "
                                                                                        "release)")
    assert period_text(pd.Timestamp("2036-09-30"), pd.Timestamp("2026-02-01")) == "2036-09-30"  # a projection
    assert period_text(pd.Timestamp("2025-12-31"), pd.Timestamp("2026-03-18")) == "2025-12-31"


# -- 9, 10. the yield caption and the two debt totals ---------------------------------------------------------------
def test_yield_caption_says_fitted_and_debt_totals_are_labelled(store: Store) -> None:
    result = run_scenario(_spec("baseline", **{"scenario.horizon_years": 3}), store=store)
    yield_caption = scenario.fan_chart_block(result, "yield_10y").caption
    assert "CBO's projected rate path" not in yield_caption
    assert "fitted so that the engine's net interest matches CBO's" in yield_caption
    assert "do not take account of data observed after that month" in yield_caption
    text = as_text(scenario.scenario_section(result, "test").blocks)
    assert "marketable debt held by the public" not in text
    assert "debt held by the public at the end of FY2025 (CBO), marketable and non-marketable" in text
    caption = as_text(market.sectors_table(holders_for(store, result.calibration))[0])
    assert "Who holds the marketable debt" not in caption and "FYGFDPUN" in caption


# -- 11. the reserves' month ----------------------------------------------------------------------------------------
def test_reserves_section_says_its_month_and_what_the_sale_is_measured_against(store: Store) -> None:
    from geostress.run.reserves import run_reserves

    result = run_reserves(None, store)
    text = as_text(policy.reserves_section(result, tic_month="2025-12").blocks)
    assert f"This section is as of {result.as_of}" in text and f"Treasury share, {result.as_of}" in text
    assert "Treasury share today" not in text
    assert "not against the TIC figures of 2025-12" in text and "China's Treasuries then: $" in text


# -- 12c, 12d, 12e, 12g. the small print ----------------------------------------------------------------------------
def test_no_tipping_note_does_not_point_to_a_skipped_section() -> None:
    spec = load_scenario("baseline")
    assert "the tipping-point section below asks" in market.no_market_block_note(spec)
    skipped = market.no_market_block_note(spec, tipping=False)
    assert "section below asks" not in skipped and "skipped in this report (--no-tipping)" in skipped
    shocks = market.no_market_block_note(load_scenario("china_sells"), tipping=False)
    assert "section below asks" not in shocks and "skipped" in shocks


def test_os_error_message_does_not_repeat_itself() -> None:
    from geostress.cli.common import describe_os_error

    text = describe_os_error(PermissionError(errno.EPERM, "Operation not permitted", "/x/data"))
    assert text == "/x/data: Operation not permitted; choose a folder you can write to"
    text = describe_os_error(OSError(errno.EROFS, "Read-only file system", "/x"))
    assert text.lower().count("read-only") == 1


def test_missing_claims_file_leaves_no_empty_output_folder(tmp_path: Path, geostress_home: Path) -> None:
    from geostress.cli import app

    out = tmp_path / "new" / "report"
    result = CliRunner().invoke(app, ["report", "baseline", "--out", str(out), "--paths", "0", "--no-tipping",
                                      "--claims", str(tmp_path / "nope.txt")])  # fmt: skip
    assert result.exit_code == 1 and "nope.txt" in result.stderr
    assert not out.exists()


def test_minerals_default_is_described_as_the_code_finds_it() -> None:
    import typing

    from geostress.cli.report import report_cmd

    hints = typing.get_type_hints(report_cmd.__wrapped__, include_extras=True)  # type: ignore[attr-defined]
    text = hints["minerals"].__metadata__[0].help
    assert "beside the scenario file, else the packaged preset minerals-us-mandate" in text
    assert "if found" not in text
    docs = (Path(__file__).resolve().parents[1] / "docs" / "report.md").read_text(encoding="utf-8")
    assert "beside the scenario file, else the packaged preset `minerals-us-mandate`" in docs
