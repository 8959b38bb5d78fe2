"""The pin to what was known on a day (docs/data.md, "What was known on a date") on the commands that answer without a
scenario: ``market impact``, ``market replay``, ``sensitivity`` and ``minerals`` (``--as-of``, also spelt
``--data-as-of``), ``reserves`` (``--data-as-of``: its ``--as-of`` is the portfolio's month) and the service's
``GET /api/market/impact?data_as_of=``. Before, a pinned report's market, minerals and reserves figures could be
made again only from Python."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from geostress.data.ingest import import_file
from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.run.minerals import run_minerals
from geostress.spec.minerals import load_minerals_spec
from test_data_as_of import BEFORE_IMPORT, homes  # noqa: F401 - a fixture
from test_provenance import _geostress, changed_treast  # noqa: F401 - a fixture

#: (The later release of TREAST in ``homes[1]`` scales the Fed's holdings from 2025 by 0.8.)
IMPACT = ("market", "impact", "--holder", "japan", "--amount-bn", "200", "--months", "6", "--draws", "0")


@pytest.fixture(scope="module")
def gdp_homes(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a home holding only the snapshot, one holding also a release of FRED's GDP of 2026-11-15 with the values
    from 2025 on raised by 10%): ``market impact`` prices a sale in pp of GDP, and reads no Fed holdings."""
    raw = pd.read_csv(shared_data / "us_fiscal_fred" / "GDP.csv")
    raw.loc[raw["date"] >= "2025-01-01", "value"] *= 1.1
    path = tmp_path_factory.mktemp("gdp") / "GDP.csv"
    raw.to_csv(path, index=False)
    plain, updated = tmp_path_factory.mktemp("plain"), tmp_path_factory.mktemp("updated")
    import_file(path, "fred", vintage=date(2026, 11, 15), store=Store(updated))
    return plain, updated


def _json(done: Any) -> dict[str, Any]:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}


def _pinned_before_the_import(stores: tuple[Path, Path], args: tuple[str, ...], changed: str, cwd: Path,
                              ) -> dict[str, Any]:
    """``geostress ARGS --json`` on the plain home, on the updated one, and on the updated one pinned to the day
    before the import: the import changes ``changed``, the pinned answer is the plain one but for ``data_as_of``
    (the pinned answer is returned)."""
    plain, updated = stores
    before = _json(_geostress(plain, *args, "--json", cwd=cwd))
    after = _json(_geostress(updated, *args, "--json", cwd=cwd))
    pinned = _json(_geostress(updated, *args, "--json", "--as-of", BEFORE_IMPORT, cwd=cwd))
    assert after[changed] != before[changed]  # the import changes the answer
    assert _without(pinned, "data_as_of") == _without(before, "data_as_of")
    assert pinned["data_as_of"] == BEFORE_IMPORT and before["data_as_of"] is None
    return pinned


def test_market_impact_pinned_before_an_import_repeats_the_answer_made_before_it(
        gdp_homes: tuple[Path, Path], tmp_path: Path) -> None:
    _pinned_before_the_import(gdp_homes, IMPACT, "persistent_10y_change_bp", tmp_path)
    text = _geostress(gdp_homes[1], *IMPACT, "--data-as-of", "2026-11", cwd=tmp_path)
    assert text.returncode == 0 and "data as released by 2026-11-30." in text.stdout, text.stderr


def test_market_replay_pinned_before_an_import(homes: tuple[Path, Path], tmp_path: Path) -> None:  # noqa: F811
    args = ("market", "replay", "--from", "2024-01", "--to", "2025-12")
    _pinned_before_the_import(homes, args, "modelled_change_bp", tmp_path)
    # the ACM term premium was first released on 2026-08-22: a day before it is refused naming that release,
    # not "not in the store" (it is)
    early = _geostress(homes[1], *args, "--as-of", "2026-07-01", cwd=tmp_path)
    assert early.returncode == 1, early.stderr
    assert "'acm.tp10' had not been released by 2026-07-01" in early.stderr and "2026-08-22" in early.stderr
    assert "not in the store" not in early.stderr


def test_sensitivity_pinned_before_an_import(homes: tuple[Path, Path], tmp_path: Path) -> None:  # noqa: F811
    """The Fed's share of the debt (TREAST) sets how much of the extra interest comes back in remittances."""
    _pinned_before_the_import(homes, ("sensitivity",), "fed_share_of_debt", tmp_path)
    early = _geostress(homes[1], "sensitivity", "--as-of", "2025-06-30", cwd=tmp_path)
    assert early.returncode == 1 and "had not been released by 2025-06-30" in early.stderr, early.stderr


def test_minerals_pinned_before_mcs_2026_uses_the_base_year_released_by_then(tmp_path: Path) -> None:
    """Pinned before USGS MCS 2026 (6 February 2026) the run stood on MCS 2025's base year 2024; it failed
    ("no 2025 value in the store")."""
    spec = load_minerals_spec("minerals-us-mandate")
    pinned = run_minerals(spec, Store(tmp_path / "home").known_on("2026-01-15"), monte_carlo_draws=0).summary
    as_2024 = run_minerals(spec.model_copy(update={"scenario": spec.scenario.model_copy(update={"base_year": 2024})}),
                           Store(tmp_path / "home"), monte_carlo_draws=0).summary
    assert pinned["base_year"] == 2024
    assert pinned["china_free_share_day180"] == as_2024["china_free_share_day180"]
    assert pinned["base_year_china_share"] == as_2024["base_year_china_share"]
    latest = run_minerals(spec, Store(tmp_path / "home"), monte_carlo_draws=0).summary
    assert latest["base_year"] == 2025


def test_minerals_cli_names_the_day_in_its_outputs(tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "m"
    payload = _json(_geostress(home, "minerals", "minerals-us-mandate", "--draws", "0", "--json", "--out", str(out),
                               "--as-of", "2026-01-15", cwd=tmp_path))
    assert payload["data_as_of"] == "2026-01-15"
    assert json.loads((out / "summary.json").read_text())["data_as_of"] == "2026-01-15"
    text = _geostress(home, "minerals", "minerals-us-mandate", "--draws", "0", "--out", str(out), "--data-as-of",
                      "2026-01-15", cwd=tmp_path)
    assert text.returncode == 0 and "(data as released by 2026-01-15)" in text.stdout, text.stderr
    early = _geostress(home, "minerals", "minerals-us-mandate", "--draws", "0", "--out", str(tmp_path / "e"),
                       "--as-of", "2025-01-15", cwd=tmp_path)
    assert early.returncode == 1 and "no base year released by 2025-01-15" in early.stderr, early.stderr


def test_reserves_data_as_of(tmp_path: Path) -> None:
    home = tmp_path / "home"
    pinned = _json(_geostress(home, "reserves", "--json", "--data-as-of", "2026-09-30", cwd=tmp_path))
    whole = _json(_geostress(home, "reserves", "--json", cwd=tmp_path))
    assert pinned["data_as_of"] == "2026-09-30" and whole["data_as_of"] is None
    assert pinned["as_of"] == whole["as_of"]  # (--as-of, the portfolio's month, is another option)
    text = _geostress(home, "reserves", "--data-as-of", "2026-09-30", cwd=tmp_path)
    assert text.returncode == 0 and "data as released by 2026-09-30" in " ".join(text.stdout.split()), text.stderr
    early = _geostress(home, "reserves", "--data-as-of", "2026-04-01", cwd=tmp_path)
    assert early.returncode == 1 and "'gold.safe.china' had not been released by 2026-04-01" in early.stderr


@pytest.mark.parametrize("command", [
    ("market", "impact", "--holder", "japan", "--amount-bn", "10"),
    ("market", "replay", "--from", "2020-01", "--to", "2020-12"),
    ("sensitivity",),
    ("minerals", "minerals-us-mandate", "--draws", "0"),
    ("reserves",),
])
def test_a_bad_or_future_day_is_a_usage_error_naming_the_option(command: tuple[str, ...], tmp_path: Path) -> None:
    option = "--data-as-of" if command[0] == "reserves" else "--as-of"
    tomorrow = f"{datetime.now(UTC).date() + timedelta(days=1)}"
    for day, words in (("2026-13", "'2026-13' is not a date"), (tomorrow, f"{tomorrow} is after today")):
        out = ("--out", str(tmp_path / "m")) if command[0] == "minerals" else ()
        done = _geostress(tmp_path / "home", *command, option, day, *out, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        flat = " ".join(done.stderr.replace("│", " ").split())
        assert words in flat and option in flat, flat
        assert not (tmp_path / "m").exists()  # refused before any work


def test_service_impact_reads_the_data_of_a_day(gdp_homes: tuple[Path, Path], tmp_path: Path) -> None:
    from geostress.service.app import create_app
    from geostress.service.limits import ServiceLimits
    from geostress.service.schemas import ImpactAnswer

    plain, updated = gdp_homes
    query = {"holder": "japan", "amount_bn": 200, "months": 6, "draws": 0}
    cli = _json(_geostress(plain, *IMPACT, "--json", cwd=tmp_path))
    app = create_app(service_dir=tmp_path / "service", store_home=updated, limits=ServiceLimits(prewarm=False))
    with TestClient(app) as client:
        pinned = client.get("/api/market/impact", params={**query, "data_as_of": BEFORE_IMPORT})
        assert pinned.status_code == 200, pinned.text
        ImpactAnswer.model_validate(pinned.json())
        assert _without(pinned.json(), "data_as_of") == _without(cli, "data_as_of")
        assert pinned.json()["data_as_of"] == BEFORE_IMPORT
        future = client.get("/api/market/impact", params={**query, "data_as_of": "2999-01-01"})
        assert future.status_code == 422 and future.json()["detail"][0]["loc"] == ["query", "data_as_of"]
        early = client.get("/api/market/impact", params={**query, "data_as_of": "2026-03-01"})
        assert early.status_code == 422 and early.json()["detail"][0]["loc"] == ["query", "data_as_of"], early.text
        assert "had not been released by 2026-03-01" in early.json()["detail"][0]["msg"]


def test_the_refusals_name_the_binding_release_and_the_option_of_every_command(tmp_path: Path) -> None:
    """A review of the pin: the first-release refusal named the first series read (TIC, released 2026-03-18), so a
    pin to that day failed again on the next (TREAST, FYGFDPUN: 2026-06-25); it said '--as-of', which is the
    portfolio's month on `reserves`; and a minerals file with base_year 2025 pinned before MCS 2026 said 'no 2025
    value in the store'."""
    home = tmp_path / "home"
    first = _geostress(home, *IMPACT, "--as-of", "2025-06", cwd=tmp_path)
    assert first.returncode == 1
    named = first.stderr.split("'")[1]
    release = first.stderr.split("its release of ")[1][:10]
    again = _geostress(home, *IMPACT, "--as-of", release, "--json", cwd=tmp_path)
    assert again.returncode == 0, (named, again.stderr)  # the day named is one from which the command runs
    reserves = _geostress(home, "reserves", "--data-as-of", "2026-07-06", cwd=tmp_path)
    assert "or --data-as-of on the command line" in reserves.stderr and "--as-of)" not in reserves.stderr
    spec = load_minerals_spec("minerals-us-mandate")
    pinned = Store(home).known_on("2026-02-05")
    with pytest.raises(ScenarioError, match=r"base_year = 2025 \(MCS 2026\) was released on 2026-02-06, after "
                                            r"2026-02-05") as caught:
        run_minerals(spec.model_copy(update={"scenario": spec.scenario.model_copy(update={"base_year": 2025})}),
                     pinned, monte_carlo_draws=0)
    assert caught.value.parameter == "base_year"


def test_at_past_the_pinned_data_says_released_by_the_day(tmp_path: Path) -> None:
    from geostress.calibrate.market import in_store_words

    assert in_store_words(Store(tmp_path / "home")) == "in the store"
    assert in_store_words(Store(tmp_path / "home").known_on("2026-11-14")) == "released by 2026-11-14"
    done = _geostress(tmp_path / "home", *IMPACT, "--at", "2026-01", "--as-of", "2026-11-14", cwd=tmp_path)
    assert done.returncode != 0 and "TIC's last month released by 2026-11-14 (2025-12)" in done.stderr, done.stderr
