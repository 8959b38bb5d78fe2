"""A new user's review (README, help and messages as pasted from a fresh clone): each defect fixed as a rule.

Items are numbered as in the review: 2 ``report --minerals`` resolves as ``geostress minerals`` does; 3 the README
says how to run ``geostress`` from the clone's venv; 4 the API's unit wording; 6 which holdings a run's refusal
quotes; 7 the report's series count; 8 the error format; 9 counts in words; 10 no ``<bool>`` on flags; 11 example
paths that work; 14 where partial dates apply; 15 out-of-range ``reserves`` options are usage errors. Fast: nothing
here runs a scenario or builds a report.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from geostress.data.store import Store
from geostress.errors import ScenarioError, SourceUnavailableError

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture()
def cli(geostress_home: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``invoke(args) -> Result``: the app in this process, on the embedded snapshot, downloads off."""
    from geostress.cli.app import app

    monkeypatch.setenv("GEOSTRESS_OFFLINE", "1")
    monkeypatch.delenv("GEOSTRESS_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # help on one line per option
    runner = CliRunner()
    return lambda args: runner.invoke(app, args)


def assert_one_error_line(stderr: str) -> str:
    """docs/cli.md: one line on standard error, ``error: `` and the message, with no empty line before it."""
    assert stderr.startswith("error: "), repr(stderr[:200])
    assert stderr.strip("\n").count("\n") == 0, repr(stderr)
    return stderr


# -- 2. report --minerals: one resolver with `geostress minerals` ----------------------------------------------------
@pytest.fixture()
def captured_minerals(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Stub the report's builder (no scenario run): record the minerals scenario it would run."""
    import geostress.report as report

    seen: dict[str, Any] = {}

    def fake_build(spec: Any, origin: str, store: Any, out: Path, checked: Any, claims_file: Any, minerals: Any,
                   tipping: bool, step: Any, blame: Any = None) -> Path:
        seen["minerals"] = minerals
        page = out / "report.html"
        page.write_text("<html></html>", encoding="utf-8")
        return page

    monkeypatch.setattr(report, "_build", fake_build)
    return seen


@pytest.mark.parametrize("reference", ["minerals-us-mandate", "minerals-g7-mandate",
                                       "scenarios/minerals-us-mandate.toml", "minerals-g7-mandate.toml"])
def test_report_minerals_takes_what_the_minerals_command_takes(reference: str, tmp_path: Path,
                                                               captured_minerals: dict[str, Any]) -> None:
    from geostress.report import build_report
    from geostress.spec.minerals import load_minerals_spec
    from geostress.spec.presets import resolve

    build_report("baseline", tmp_path / "r", minerals_path=reference, tipping=False, paths=0)
    path, spec = captured_minerals["minerals"]
    assert Path(path) == resolve(reference)  # the one resolver `geostress minerals NAME` uses
    assert spec == load_minerals_spec(reference)


def test_report_minerals_unknown_name_suggests_and_gives_no_example_that_fails(
    cli: Any, tmp_path: Path, captured_minerals: dict[str, Any]
) -> None:
    result = cli(["report", "baseline", "--out", str(tmp_path / "r"), "--minerals", "minerals-us-mandat"])
    assert result.exit_code == 1, result.output
    message = words(assert_one_error_line(result.stderr))
    assert message.startswith("error: --minerals: ") and "'minerals-us-mandate'" in message
    assert "scenarios/" not in message  # the old example path, which did not work
    assert "minerals" not in captured_minerals


def test_report_minerals_of_another_kind_is_refused_before_any_work(
    cli: Any, tmp_path: Path, captured_minerals: dict[str, Any]
) -> None:
    """``--minerals baseline`` (a fiscal scenario): refused naming the option, before the run (it was found out
    after it, and the message did not say which option)."""
    result = cli(["report", "baseline", "--out", str(tmp_path / "r"), "--minerals", "baseline"])
    assert result.exit_code == 1, result.output
    message = words(assert_one_error_line(result.stderr))
    assert message.startswith("error: --minerals: ") and "is a scenario file, not a minerals file" in message
    assert "minerals" not in captured_minerals and not (tmp_path / "r").exists()


def test_report_cli_passes_a_minerals_preset_name(cli: Any, tmp_path: Path,
                                                  captured_minerals: dict[str, Any]) -> None:
    from geostress.spec.presets import PRESETS_DIR

    result = cli(["report", "baseline", "--out", str(tmp_path / "r"), "--minerals", "minerals-g7-mandate",
                  "--no-tipping", "--paths", "0"])
    assert result.exit_code == 0, result.output
    assert Path(captured_minerals["minerals"][0]) == PRESETS_DIR / "minerals-g7-mandate.toml"


# -- 3. README: how to run geostress after make demo -------------------------------------------------------------------
def test_readme_says_how_to_run_geostress_from_the_clones_venv() -> None:
    quick = README.split("## Quick start", 1)[1].split("## Command line", 1)[0]
    assert "source .venv/bin/activate" in quick and ".venv/bin/geostress" in quick
    command_line = README.split("## Command line", 1)[1].split("```", 1)[0]
    assert "source .venv/bin/activate" in command_line  # said before the first block of commands
    # a bare `python -m ...` fails in a fresh shell (no `python` on PATH, or one without geostress)
    assert not re.search(r"(?<![/\w])python -m geostress", README), "use .venv/bin/python -m ..."


# -- 4. the API's description gives the units the data have ------------------------------------------------------------
def test_openapi_description_says_yields_are_percent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect

    from geostress.service import app as service_app

    source = words(inspect.getsource(service_app))
    assert "ratios and yields are fractions" not in source
    description = re.search(r'description="(.*?)",\s*\)', inspect.getsource(service_app), flags=re.S)
    assert description is not None
    text = words(re.sub(r'"\s*"', "", description.group(1)))
    assert "yields in percent" in text and "fractions (0.045 = 4.5%)" in text


# -- 6. a run's refusal says which holdings it quotes ------------------------------------------------------------------
def test_a_sale_over_the_holdings_says_the_figure_is_at_the_runs_start(store: Store) -> None:
    from geostress.run.coupled import check_events, holders_for
    from geostress.run.inputs import calibrate_for
    from geostress.spec.scenario import load_scenario

    spec = load_scenario("china-sells-300bn").with_overrides(**{"sales[0].amount_bn": 5000})
    holders = holders_for(store, calibrate_for(spec, store))
    with pytest.raises(ScenarioError) as caught:
        check_events(spec, holders)
    message = str(caught.value)
    day = f"{holders.at:%Y-%m-%d}"
    assert re.search(rf"holdings of [0-9,.]+ bn on {day}, the day before the run starts", message), message
    assert "market impact" in message  # why `market impact` may quote another figure
    assert message.endswith("sell at most that")


# -- 7. the report header counts distinct series --------------------------------------------------------------------
def test_report_counts_distinct_series_ids(store: Store) -> None:
    from geostress.report.sections.data import asof_section, distinct_series

    distinct = distinct_series(store)
    assert distinct == store.catalog()["series_id"].nunique()
    assert int(store.status()["series"].sum()) > distinct  # ids stored under two sources: the old figure was larger
    html = "".join(b for b in asof_section(store).blocks if isinstance(b, str))
    assert f'<div class="stat-detail">{distinct:,} series</div>' in html


# -- 8. the error format -----------------------------------------------------------------------------------------
def test_data_update_unknown_source_is_one_error_line(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEOSTRESS_OFFLINE")
    result = cli(["data", "update", "tic"])
    assert result.exit_code == 1
    assert "unknown source 'tic'" in assert_one_error_line(result.stderr)


def test_data_update_offline_is_an_error_line(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from geostress.data import ingest

    def offline(*args: Any, **kwargs: Any) -> Any:
        raise SourceUnavailableError("no official source could be reached; check the connection and try again")

    monkeypatch.delenv("GEOSTRESS_OFFLINE")
    monkeypatch.setattr(ingest, "update", offline)
    result = cli(["data", "update"])
    assert result.exit_code == 1
    assert assert_one_error_line(result.stderr).startswith("error: offline: no official source could be reached")


def test_data_update_with_geostress_offline_is_an_error_line(cli: Any) -> None:
    result = cli(["data", "update"])
    assert result.exit_code == 1
    assert "GEOSTRESS_OFFLINE is set" in assert_one_error_line(result.stderr)


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_an_unreadable_toml_file_is_named_with_advice_not_the_systems_words(kind: str, cli: Any,
                                                                             tmp_path: Path) -> None:
    target = tmp_path / "alerts.toml"
    if kind == "folder":
        target.mkdir()
    result = cli(["monitor", "--config", str(target)])
    assert result.exit_code == 1
    message = words(assert_one_error_line(result.stderr))
    assert str(target) in message
    assert "Errno" not in message and "No such file or directory:" not in message
    assert {"missing": "check the path", "folder": "give a TOML file"}[kind] in message


def test_the_toml_reader_words_for_each_failure(tmp_path: Path) -> None:
    from geostress.util.tomlfile import read_toml

    bad = tmp_path / "latin1.toml"
    bad.write_bytes("name = 'caf\xe9'\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"not UTF-8 text; save it as UTF-8"):
        read_toml(bad)
    with pytest.raises(ScenarioError, match=r"^cannot read sweep .*nope\.toml: no such file; check the path"):
        read_toml(tmp_path / "nope.toml", what="sweep")


# -- 9. counts in words ------------------------------------------------------------------------------------------
def test_one_claim_is_singular(cli: Any, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The 10-year Treasury yield averaged 5.2% in July 2026.\n", encoding="utf-8")
    result = cli(["claims", "check", str(article), "--date", "2026-08-25"])
    assert result.exit_code == 0, result.output
    assert "1 claim (article date" in words(result.stdout) and "1 claims" not in result.stdout
    page = tmp_path / "a.html"
    result = cli(["claims", "check", str(article), "--date", "2026-08-25", "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert "(1 claim)" in result.stderr
    assert "<p>1 claim:" in page.read_text(encoding="utf-8")


def test_report_claims_section_counts_in_words(store: Store, tmp_path: Path) -> None:
    from geostress.report.sections.claims import check_article, claims_section

    article = tmp_path / "a.txt"
    article.write_text("The 10-year Treasury yield averaged 5.2% in July 2026.\n", encoding="utf-8")
    claims, encoding = check_article(article, store)
    assert len(claims) == 1
    html = "".join(b for b in claims_section(claims, article, encoding).blocks if isinstance(b, str))
    tiles = re.findall(r'stat-value">([0-9,]+)</div><div class="stat-detail">(\w+)<', html)
    assert tiles and all(detail == ("claim" if value == "1" else "claims") for value, detail in tiles), tiles


# -- 10. flags show no value type in help ------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [["data", "status"], ["report"], ["run"], ["--help"]])
def test_help_shows_no_bool_on_flags(cli: Any, command: list[str]) -> None:
    result = cli([*command, "--help"] if command != ["--help"] else command)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout and "--help" in result.stdout


# -- 11. example paths that exist ----------------------------------------------------------------------------------
def test_help_gives_no_scenarios_folder_example_and_report_takes_a_preset(cli: Any) -> None:
    for name in ("report", "sweep", "tipping", "run"):
        result = cli([name, "--help"])
        assert result.exit_code == 0, result.output
        assert "scenarios/" not in result.stdout, name
        assert "preset" in result.stdout, name
    assert "<path>" not in cli(["report", "--help"]).stdout.split("--out")[0]  # the scenario: a name or a file


# -- 14. partial dates: the README says where they apply ----------------------------------------------------------
def test_readme_does_not_promise_partial_dates_to_the_market_commands(cli: Any) -> None:
    text = words(README)
    assert "market replay --from 2012-01" in text and "market impact --at 2013-12" in text
    result = cli(["market", "replay", "--from", "2012", "--to", "2012-12"])
    assert result.exit_code != 0  # as the README now says: a month, not a year


# -- 15. out-of-range reserves options are usage errors ----------------------------------------------------------
@pytest.mark.parametrize(("args", "option"), [(["--p", "2"], "--p"), (["--loss", "5"], "--loss"),
                                              (["--allies", "5"], "--allies"), (["--pace", "0"], "--pace"),
                                              (["--method", "x"], "--method")])
def test_reserves_option_out_of_range_is_a_usage_error_naming_it(cli: Any, args: list[str], option: str) -> None:
    result = cli(["reserves", *args])
    assert result.exit_code == 2, result.output
    assert f"{option}=" in words(result.output)


def test_readme_minerals_example_in_report_line_is_a_preset() -> None:
    assert "--minerals FILE" not in README


def test_a_preset_name_may_be_spelt_with_either_dash_or_underscore() -> None:
    """The presets' names mix "-" and "_" (high_rates beside china-sells-300bn): `run high-rates` had been refused."""
    from geostress.spec.presets import resolve

    assert resolve("high-rates") == resolve("high_rates")
    assert resolve("china_sells_300bn") == resolve("china-sells-300bn")
    assert resolve("china_sells").name == "china_sells.toml"  # an exact name wins
    assert resolve("china-sells").name == "china_sells.toml"
