"""Terminal output at 80 and 120 columns: every line fits, numbers and dates are never cut, words are not broken.

Each table is rendered with ``rich.console.Console(width=W, record=True)`` and read back as plain text.
"""

from __future__ import annotations

import ast
import inspect
import io
import json
import re
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

WIDTHS = (80, 120)


def render(width: int, *renderables: Any, draw: Any = None) -> str:
    """Plain text of ``renderables`` (or of ``draw(console)``) on a console ``width`` columns wide."""
    console = Console(width=width, record=True, color_system=None, markup=False, file=io.StringIO())
    if draw is not None:
        draw(console)
    for r in renderables:
        console.print(r)
    return console.export_text()


def assert_fits(text: str, width: int) -> None:
    too_long = [line for line in text.splitlines() if len(line.rstrip()) > width]
    assert not too_long, f"lines wider than {width}: {too_long[:3]}"
    assert "…" not in text, f"something was cut short at {width} columns:\n{text}"


def assert_whole(text: str, pieces: list[str]) -> None:
    """Each piece (a number, a date, a word) appears unbroken on one line."""
    missing = [p for p in pieces if p not in text]
    assert not missing, f"cut or missing: {missing}\n{text}"


@pytest.fixture(scope="module")
def monitor_report() -> dict[str, Any]:
    from geostress.analytics.monitor import build_monitor

    return build_monitor()


@pytest.mark.parametrize("width", WIDTHS)
def test_monitor_keeps_every_number_whole(monitor_report: dict[str, Any], width: int) -> None:
    from geostress.cli.monitor import render_monitor

    text = render(width, draw=lambda c: render_monitor(monitor_report, c))
    assert_fits(text, width)
    japan = next(h for h in monitor_report["holders"] if h["name"] == "Japan")
    assert_whole(text, [f"{japan['latest']:,.1f}", f"{japan['peak']:,.1f}", japan["peak_period"], "China, Mainland",
                        "Breadth of selling"])
    for h in monitor_report["holders"][:20]:
        assert f"{h['latest']:,.1f}" in text and h["peak_period"] in text


def test_monitor_rendering_lives_in_the_cli() -> None:
    import geostress.analytics.monitor as analytics_monitor

    assert not hasattr(analytics_monitor, "render_monitor")
    imported = {node.module or "" for node in ast.walk(ast.parse(inspect.getsource(analytics_monitor)))
                if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(ast.parse(inspect.getsource(analytics_monitor)))
                 if isinstance(node, ast.Import) for a in node.names}
    assert not any(name.split(".")[0] == "rich" for name in imported)


@pytest.mark.parametrize("width", WIDTHS)
def test_data_catalog_keeps_dates_whole(width: int) -> None:
    from geostress.cli.data import catalog_table
    from geostress.data import catalog

    frame = catalog()
    text = render(width, catalog_table(frame, width))
    assert_fits(text, width)
    sample = frame.iloc[:40]
    assert_whole(text, [f"{d:%Y-%m-%d}" for d in sample["start"]] + [f"{d:%Y-%m-%d}" for d in sample["end"]])
    short_ids = [s for s in sample["series_id"] if len(s) <= 24]
    assert_whole(text, short_ids)
    words = {w for label in sample["label"].dropna() for w in re.findall(r"[A-Za-z]{4,14}", str(label))}
    assert_whole(text, sorted(words))  # labels wrap between words, never inside one


@pytest.mark.parametrize("width", WIDTHS)
def test_data_status_keeps_source_names_whole(width: int) -> None:
    from geostress.cli.common import frame_table
    from geostress.data.store import Store

    frame = Store().status().rename(columns={"latest_vintage": "vintage", "latest_period": "up to"})
    text = render(width, frame_table(frame))
    assert_fits(text, width)
    assert_whole(text, list(frame["source"]) + [f"{d:%Y-%m-%d}" for d in frame["vintage"]])


@pytest.fixture(scope="module")
def reserves_result() -> Any:
    from geostress.run.reserves import run_reserves
    from geostress.spec.reserves import ReserveSpec

    return run_reserves(ReserveSpec())


@pytest.mark.parametrize("width", WIDTHS)
def test_reserves_weights_fit(reserves_result: Any, width: int) -> None:
    from geostress.cli.reserves import _LABELS, weights_table

    text = render(width, weights_table(reserves_result, 0.02, "mv"))
    assert_fits(text, width)
    assert_whole(text, [*_LABELS.values(), "Treasuries", "0.25%", "10%"])
    assert_whole(text, [f"{100 * reserves_result.weights[a]:.1f}" for a in _LABELS])


def _claim(**fields: Any) -> SimpleNamespace:
    base = {"quote": "中国持有美国国债7594亿美元", "holder": "China, Mainland", "measure": "holdings_level",
            "period": "2024-06", "verdict": "contradicted", "official_value": 780.2, "official_period": "2024-06",
            "reason": "the official figure differs by -20.80 (2.67% of the level), more than the tolerance "
                      "of one percent; first release unchanged", "source": "tic-mfh: tic.mfh.china_mainland "
                      "2024-06 (vintage 2026-03-18)"}
    base.update(fields)
    return SimpleNamespace(**base)


@pytest.mark.parametrize("width", WIDTHS)
def test_claims_read_as_blocks_without_broken_words(width: int) -> None:
    from geostress.cli.claims_view import claims_view

    claims = [_claim(note="the figure is the official level for 2024-05 (759.4)",
                     period_note="'June' read as 2024-06 (article date 2024-08-20)"),
              _claim(quote="[/]$1.146 trillion [[sales]]", verdict="not_checkable", official_value=None,
                     reason="no official series for this measure", source="")]
    text = render(width, claims_view(claims, "2 claims"))
    assert_fits(text, width)
    # the note says why (a contradicted claim's reason alone is a code such as wrong_period), as --json and --html do
    words = set(re.findall(r"[A-Za-z_]{3,}", " ".join(f"{c.reason} {c.source} {c.measure} {getattr(c, 'note', '')} "
                                                      f"{getattr(c, 'period_note', '')}" for c in claims)))
    assert_whole(text, sorted(words) + ["780.2 (2024-06)", "contradicted", "not_checkable",
                                        "[/]$1.146 trillion [[sales]]", "中国持有美国国债7594亿美元"])


@pytest.mark.parametrize("width", WIDTHS)
def test_market_headline_is_generic_and_fits(width: int) -> None:
    from geostress.cli.headline import headline_rows, headline_table

    head = {"peak_10y_change_bp": 16.2, "peak_10y_change_bp_p05": 10.1, "peak_10y_change_bp_p95": 31.4,
            "persistent_10y_change_bp": 3.2, "added_net_interest_10y_bn": 1234.5, "sold_bn_median": 300.0,
            "cascade_share": 0.125, "cascade_probability": 0.125, "a_figure_added_next_year_bp": 7.0, "paths": 100}
    rows = headline_rows(head, skip=["paths"])  # (cascade_share: cascade_probability's old name, shown once)
    assert [r[0] for r in rows] == ["peak 10y change", "persistent 10y change", "added net interest 10y",
                                    "sold median", "cascade probability", "a figure added next year"]
    text = render(width, headline_table(head, "Market", skip=["paths"]))
    assert_fits(text, width)
    assert_whole(text, ["16.2", "10.1 – 31.4", "1,234", "300", "12.5%", "a figure added next year"])


def test_a_coupled_run_prints_its_market_headline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  geostress_home: Path) -> None:
    from geostress.cli.app import app

    monkeypatch.chdir(tmp_path)
    preset = str(resources.files("geostress.scenarios").joinpath("china-sells-300bn.toml"))
    result = CliRunner().invoke(app, ["run", preset, "--paths", "0", "--out", str(tmp_path / "o")],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    for figure in ("peak 10y change", "persistent 10y change", "added net interest, 10 years", "sold (gross)",
                   "cascade"):
        assert figure in text
    assert (tmp_path / "o" / "summary.json").is_file()


def test_progress_off_a_terminal_is_a_line_per_step_and_per_tenth(capsys: pytest.CaptureFixture[str]) -> None:
    from geostress.cli.common import PathProgress, steps

    with PathProgress("x[/]", 1000) as progress:
        progress.stage("calibrating")
        for done in range(0, 1001, 25):
            progress.paths(done, 1000)
        progress.stage("writing results")
    with steps("Preparing the report") as step:
        step("Running baseline")
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "… x[/]: calibrating" and lines[-3] == "… x[/]: writing results"
    assert [line for line in lines if line.endswith(" paths")] == [f"… x[/]: {d:,}/1,000 paths" for d in
                                                                   range(0, 1001, 100)]
    assert lines[-2:] == ["… Preparing the report", "… Running baseline"]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_scenario_names_are_never_broken(width: int, geostress_home: Path) -> None:
    """``scenarios list`` prints each preset's name whole on one line (names are copied into commands; at 80 and 120
    columns ``minerals-us-mandate-accelerated`` once broke after ``accelera``), and every line fits (at 60 columns
    each description goes under its name rather than being cut)."""
    from geostress.cli.app import app
    from geostress.cli.scenarios import _entries, scenarios_table

    rows = _entries()
    names = [row["name"] for row in rows]
    assert "minerals-us-mandate-controls-stockpile" in names
    text = render(width, scenarios_table(rows, width))
    starts = [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith(" ")]
    assert set(names) <= set(starts)
    assert_fits(text, width)
    assert "monthly public sale" in " ".join(text.split())  # the descriptions are all there
    assert CliRunner().invoke(app, ["scenarios", "list"]).exit_code == 0  # (the command prints the same table)
