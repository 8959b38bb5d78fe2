"""The command line's words follow its figures: what the coupled headline of ``geostress run`` is over (medians,
one deterministic path, contagion off, a short horizon), ``market impact`` with one draw, and ``tipping`` without
an edge. The tables are checked row by row (:func:`geostress.cli.headline.coupled_headline`), the commands' text
with its whitespace collapsed, so that nothing here depends on the console's width."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

#: A coupled headline of several paths, as ``ScenarioResult.headline()`` gives it (davos-threat, 500 paths).
STOCHASTIC: dict[str, Any] = {
    "debt_gdp_10y_p50": 1.172, "debt_gdp_10y_p90": 1.482, "debt_gdp_30y_p50": 1.708, "horizon_years": [2035, 2055],
    "paths": 500, "seed": 1, "peak_10y_change_bp": 5.8, "added_net_interest_10y_bn": 10.0, "cascade_share": 0.002,
    "sold_bn_median": 125.0, "peak_term_premium_bp": 3.6, "peak_10y_change_bp_p05": 1.7,
    "peak_10y_change_bp_p95": 18.9, "persistent_10y_change_bp": 2.3, "persistent_10y_change_bp_p05": -1.1,
    "persistent_10y_change_bp_p95": 7.6, "added_net_interest_10y_bn_p05": 3.0, "added_net_interest_10y_bn_p95": 34.0,
    "persistent_month": 24, "cascade_probability": 0.002, "backstop_bn_median": 0.0,
    "peak_10y_change_bp_backstop_off": 5.8, "persistent_10y_change_bp_backstop_off": 2.3,
    "foreign_sold_bn_6m_mean": 26.1, "foreign_sold_bn_6m_median": 10.3, "foreign_sold_bn_6m_mean_no_threat": 33.2,
    "foreign_sold_bn_6m_median_no_threat": 8.8,
}  # fmt: skip


def one_path(head: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = {k: v for k, v in head.items() if not k.endswith(("_p05", "_p95"))}
    out.update(paths=0, debt_gdp_10y_p90=out["debt_gdp_10y_p50"], **changes)
    return out


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# -- 5. geostress run: what the market headline is over -----------------------------------------------------------
def test_stochastic_headline_says_which_figures_are_not_medians() -> None:
    from geostress.cli.headline import RANGES_NOTE, coupled_headline

    shown = coupled_headline(STOCHASTIC, contagion=True, fiscal_years=30)
    assert "500 paths: medians unless the row says otherwise" in shown.title and shown.ranges
    rows = {name: (unit, value, spread) for name, unit, value, spread in shown.rows(STOCHASTIC)}
    assert rows["peak 10y change (median of path peaks)"][1:] == ("5.8", "1.7 – 18.9")
    assert rows["peak of the monthly median 10y term-premium path"][1] == "3.60"  # beside it, named apart (bp below 10: 2 dp)
    assert rows["debt/GDP FY2035, 90th percentile"][1] == "148.2%"
    assert rows["P(cascade), share of paths"][1] == "0.2%"
    assert "foreign selling, 6 months from threat, mean" in rows
    assert "foreign selling, 6 months, no threat, median" in rows
    assert "persistent 10y change (month 24)" in rows and "persistent month" not in rows
    assert "over the macro shocks" in RANGES_NOTE and "parameter draws" in RANGES_NOTE


def test_one_deterministic_path_has_no_medians_percentiles_or_ranges() -> None:
    """``--paths 0``: the old table was titled "medians over paths" and had a "90th pct." row of the one path."""
    from geostress.cli.headline import coupled_headline

    head = one_path(STOCHASTIC, cascade_probability=0.0)
    shown = coupled_headline(head, contagion=True, fiscal_years=30)
    assert "deterministic path at the prior medians" in shown.title and "medians unless" not in shown.title
    assert not shown.ranges
    names = [name for name, *_ in shown.rows(head)]
    assert not [n for n in names if re.search(r"median|mean|90th|percentile|pct", n)], names
    assert names.count("debt/GDP FY2035") == 1 and "peak 10y change" in names
    assert "foreign selling, 6 months from threat" in names and "foreign selling, 6 months, no threat" in names
    rows = {name: value for name, _, value, _ in shown.rows(head)}
    assert rows["cascade"] == "no"


def test_contagion_off_prints_no_cascade_probability_and_a_short_horizon_names_its_years() -> None:
    from geostress.cli.headline import coupled_headline

    head = one_path(STOCHASTIC, cascade_probability=0.0, horizon_years=[2030, 2030])
    shown = coupled_headline(head, contagion=False, fiscal_years=5)
    rows = {name: (unit, value) for name, unit, value, _ in shown.rows(head)}
    assert rows["cascade"] == ("", "n/a (contagion off)")
    assert "added net interest, the horizon's 5 years" in rows and "added net interest, 10 years" not in rows
    assert [n for n in rows if n.startswith("debt/GDP")] == ["debt/GDP FY2030"]  # one year, once


def test_run_text_and_json_of_a_coupled_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            geostress_home: Path) -> None:  # fmt: skip
    """china-sells-300bn (contagion off) on one path: the text prints n/a for the cascade, the JSON null (not
    measured, where it once said 0.0, which a script reads as "no cascade")."""
    from geostress.cli.app import app

    monkeypatch.chdir(tmp_path)
    preset = str(resources.files("geostress.scenarios").joinpath("china-sells-300bn.toml"))
    runner = CliRunner()
    text = runner.invoke(app, ["run", preset, "--paths", "0", "--out", str(tmp_path / "o")])
    assert text.exit_code == 0, text.output
    assert "n/a (contagion off)" in text.stdout and "0.0%" not in text.stdout.split("deterministic only")[-1]
    assert "90th" not in text.stdout and "medians over paths" not in words(text.stdout)
    data = runner.invoke(app, ["run", preset, "--paths", "0", "--out", str(tmp_path / "o"), "--json"])
    summary = json.loads(data.stdout)
    assert summary["cascade_probability"] is None and summary["cascade_share"] is None
    assert {"peak_term_premium_bp", "peak_10y_change_bp", "debt_gdp_10y_p90", "persistent_month"} <= set(summary)
    assert "peak_10y_change_bp_p05" not in summary  # one path: no range keys, as before


# -- 6. market impact with one draw -------------------------------------------------------------------------------
def test_impact_with_one_draw_has_no_range_keys(store: Any) -> None:
    from geostress.run.market import impact

    one = impact(store, "japan", 100.0, 3, draws=1).to_json()
    assert not [k for k in one if k.endswith(("_p05", "_p95"))]
    assert one["peak_10y_change_bp"] > 0 and one["draws"] == 1
    assert set(one["path"][0]) == {"month", "median"}
    two = impact(store, "japan", 100.0, 3, draws=2).to_json()
    assert {"peak_10y_change_bp_p05", "peak_10y_change_bp_p95", "persistent_10y_change_bp_p05",
            "persistent_10y_change_bp_p95"} <= set(two)
    assert set(two["path"][0]) == {"month", "p05", "median", "p95"}


def test_impact_text_with_one_draw_says_no_range(geostress_home: Path) -> None:
    from geostress.cli.app import app

    runner = CliRunner()
    args = ["market", "impact", "--holder", "japan", "--amount-bn", "100", "--months", "3"]
    result = runner.invoke(app, [*args, "--draws", "1"])
    assert result.exit_code == 0, result.output
    assert "one draw: no range" in words(result.stdout) and "5th pct" not in result.stdout
    data = json.loads(runner.invoke(app, [*args, "--draws", "1", "--json"]).stdout)
    assert "peak_10y_change_bp_p05" not in data and "persistent_10y_change_bp_p95" not in data
    assert "5th pct" in runner.invoke(app, [*args, "--draws", "20"]).stdout
    # --draws 0 (one path at the prior medians) as --draws 1: no range in the text or the JSON
    result = runner.invoke(app, [*args, "--draws", "0"])
    assert result.exit_code == 0, result.output
    assert "no draws: no range" in words(result.stdout) and "5th pct" not in result.stdout
    data = json.loads(runner.invoke(app, [*args, "--draws", "0", "--json"]).stdout)
    assert not [k for k in data if k.endswith(("_p05", "_p95"))] and set(data["path"][0]) == {"month", "median"}


# -- 2. tipping without an edge -----------------------------------------------------------------------------------
def test_tipping_text_says_which_end() -> None:
    from geostress.cli.tipping import result_text

    base = {"edge": None, "criterion": "cascade", "low": 1.0, "high": 600.0, "ends": ()}
    both = SimpleNamespace(**base, no_edge="both",
                           note="the criterion already holds at the low end and at the high end: no edge in the range")
    neither = SimpleNamespace(**base, no_edge="neither",
                              note="the criterion holds at neither end: no edge in the range")
    assert result_text(both).startswith("the criterion (cascade) is already met at the low end of the range (1)")
    assert "holds at neither end of the range (1, 600)" in result_text(neither)
    assert "both ends" not in result_text(both) + result_text(neither)
    found = SimpleNamespace(**{**base, "edge": 12.0}, no_edge=None, note="the cascade measure is reached at or above 12")
    assert result_text(found) == found.note


def test_tipping_words_come_from_one_place() -> None:
    """The CLI and the report's tipping section say a missing edge in the same words
    (:func:`geostress.report.sections.market.no_edge_text`)."""
    from geostress.cli.tipping import result_text
    from geostress.report.sections.market import no_edge_text

    for ends in ("both", "neither"):
        point = SimpleNamespace(edge=None, criterion="cascade", low=1.0, high=600.0, no_edge=ends, note="", ends=())
        assert result_text(point) == no_edge_text(ends, "cascade", "1", "600")
    assert no_edge_text("neither", "cascade", "$1bn", "$600bn") == (
        "the criterion (cascade) holds at neither end of the range ($1bn, $600bn): no edge in the range")


def test_tipping_command_without_an_edge(geostress_home: Path) -> None:
    from geostress.cli.app import app

    result = CliRunner().invoke(app, ["tipping", "contagion", "--knob", "sale_bn", "--range", "1", "600"])
    assert result.exit_code == 0, result.output
    text = words(result.stdout)
    assert "holds at neither end" in text and "does not hold at both ends" not in text
    data = json.loads(CliRunner().invoke(app, ["tipping", "contagion", "--knob", "sale_bn", "--range", "1", "600",
                                               "--json"]).stdout)
    assert data["edge"] is None and data["no_edge"] == "neither" and "holds at neither end" in data["note"]


def test_a_headline_row_prints_its_value_and_range_in_one_format() -> None:
    """`dash-for-cash`'s persistent row read "0.0205   -1.5 – 0.688" (three significant figures beside one decimal)
    and its added interest "4  2 – 9": a row's figures now share one format, from its largest figure (bp below 10
    to two decimals, USD bn below 10 to one, as the report)."""
    from geostress.cli.headline import headline_rows

    head = {"persistent_10y_change_bp": 0.0205, "persistent_10y_change_bp_p05": -1.5,
            "persistent_10y_change_bp_p95": 0.688, "added_net_interest_10y_bn": 4.43,
            "added_net_interest_10y_bn_p05": 2.3, "added_net_interest_10y_bn_p95": 9.2,
            "peak_10y_change_bp": 22.25, "peak_10y_change_bp_p05": 12.7, "peak_10y_change_bp_p95": 32.0,
            "backstop_bn_median": 636.2}
    rows = {name: (value, spread) for name, _, value, spread in headline_rows(head)}
    assert ("0.02", "-1.50 – 0.69") in rows.values()
    assert ("4.4", "2.3 – 9.2") in rows.values()
    assert ("22.2", "12.7 – 32.0") in rows.values()
    assert ("636", "") in rows.values()


def test_a_coupled_headline_says_what_its_bp_measure() -> None:
    """A journalist read "peak 10y change" as the 10-year yield: the table says under it that its bp figures are the
    market block's 10-year term premium, for a run of one path as for a run of several."""
    from rich.console import Console

    from geostress.cli.headline import MEASURE_NOTE, coupled_headline

    for head in (STOCHASTIC, one_path(STOCHASTIC)):
        shown = coupled_headline(head, contagion=True, fiscal_years=30)
        out = Console(width=200, record=True)
        out.print(shown.table(head))
        assert MEASURE_NOTE in words(out.export_text())
    assert "10-year term premium" in MEASURE_NOTE and "yield" in MEASURE_NOTE


def test_run_words_its_probabilities_as_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   geostress_home: Path) -> None:  # fmt: skip
    """The text names each probability in words (the report's), where it printed the JSON keys
    (``p_interest_revenue_gt_25pct`` with no year); the JSON keeps the keys."""
    from geostress.cli.app import app
    from geostress.results.ensemble import probability_label

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["run", "baseline", "--paths", "20", "--seed", "3", "--set", "scenario.horizon_years=6"]
    text = runner.invoke(app, [*args, "--out", str(tmp_path / "t")])
    assert text.exit_code == 0, text.output
    data = runner.invoke(app, [*args, "--out", str(tmp_path / "j"), "--json"])
    probabilities = json.loads(data.stdout)["ensemble"]["probabilities"]
    assert "p_debt_gt_150pct_by_2031" in probabilities and "p_not_stabilising" in probabilities
    shown = words(text.stdout)
    for key, value in probabilities.items():
        assert key not in shown
        assert f"{probability_label(key)} {value:.1%}" in shown, (key, shown)
    assert "Debt/GDP above 150% in some year by FY2031" in shown
