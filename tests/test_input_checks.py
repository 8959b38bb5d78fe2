"""Input checks of scenarios, the service and the CLI: announced sales within holdings, events that could do
nothing refused, long 422 messages kept whole, run-time scenario errors naming their file and line, the
``[market]`` field descriptions, and two usage errors (``--fed-lead``, ``monitor --as-of``)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from geostress.data.store import Store
from geostress.errors import ScenarioError
from geostress.run import coupled as cp
from geostress.service.routing import MAX_ECHO_CHARS, bound_echo
from geostress.spec.scenario import MarketSection, ScenarioSpec, blamed_on_file, load_scenario, parse_scenario

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette: "use httpx2" (the suite pins httpx)
    from fastapi.testclient import TestClient

PRESETS = Path(__file__).resolve().parents[1] / "src" / "geostress" / "scenarios"


@pytest.fixture(scope="module")
def holders(store: Store):  # type: ignore[no-untyped-def]
    return cp.holders_at_start(store, date(2025, 10, 1))


def private_bn(holders: Any) -> float:
    return sum(s.holdings for s in holders.sectors if s.group == "foreign_private")


def spec(**sections: Any) -> ScenarioSpec:
    data: dict[str, Any] = {"scenario": {"horizon_years": 2}, "simulation": {"paths": 0},
                            "contagion": {"enabled": True}}
    data.update(sections)
    return parse_scenario(data)


# -- 1. announced sales are foreign private selling: within foreign private holdings ------------------------------
def test_announcement_wave_selling_1000bn_a_month_is_refused_naming_the_field(holders: Any) -> None:
    wave = load_scenario("announcement-wave")
    cp.check_events(wave, holders)  # as shipped: accepted
    big = wave.with_overrides(**{f"announcements[{i}].amount_bn": 1000.0 for i in range(6)})
    with pytest.raises(ScenarioError) as caught:
        cp.check_events(big, holders)
    most = private_bn(holders)
    assert 5000.0 < most < 6000.0  # so that the sixth announcement is the first one past the holdings
    assert caught.value.parameter == "announcements[5].amount_bn"
    message = str(caught.value)
    assert message.startswith("announcements[5].amount_bn: announced sales up to this one add up to 6,000.0 bn")
    assert "foreign private holders' holdings of" in message and "booked as foreign private selling" in message
    assert "announce at most" in message


def test_announced_sales_count_with_the_sales_of_foreign_private_sectors(holders: Any) -> None:
    most = private_bn(holders)
    japan = next(s for s in holders.sectors if s.name == "japan_private").holdings
    sale = {"holder": "japan_private", "amount_bn": round(japan / 2, 1), "months": 12}
    room = most - sale["amount_bn"]
    cp.check_events(spec(sales=[sale], announcements=[{"month": 1, "amount_bn": min(room - 1.0, 1000.0)}]),
                    holders)  # within the holdings: accepted
    total = room + sale["amount_bn"] / 2  # more than the room the sale leaves, less than the holdings
    pieces = int(total // 1000) + 1
    too_much = [{"month": 1, "amount_bn": round(total / pieces, 1)}] * pieces
    cp.check_events(spec(announcements=too_much), holders)  # without the sale they fit
    with pytest.raises(ScenarioError) as caught:
        cp.check_events(spec(sales=[sale], announcements=too_much), holders)
    assert caught.value.parameter == f"announcements[{len(too_much) - 1}].amount_bn"
    assert f"and {sale['amount_bn']:,.1f} bn of [[sales]] by foreign private sectors" in str(caught.value)
    # an official sale is not foreign private selling: it does not count
    official = {"holder": "japan_official", "amount_bn": 500.0, "months": 12}
    cp.check_events(spec(sales=[official], announcements=too_much), holders)


# -- 2. events that would do nothing with [contagion] off -----------------------------------------------------------
def test_an_announcement_without_a_sale_is_refused_with_contagion_off() -> None:
    for extra in ({}, {"liquidity_shocks": [{"month": 1, "intensity": 5}]}):
        with pytest.raises(ScenarioError) as caught:
            parse_scenario({"scenario": {"name": "x"}, "announcements": [{"month": 1, "intensity": 50.0}], **extra})
        assert caught.value.parameter == "contagion.enabled"
        message = str(caught.value)
        assert "announcements[0] sells nothing (amount_bn = 0)" in message and "[contagion] is off" in message
        assert "set [contagion] enabled = true, give announcements[0].amount_bn" in message
    # an announced sale is sold with contagion off (the market block prices it): accepted, a shock beside it too
    sold = parse_scenario({"announcements": [{"month": 1, "amount_bn": 10.0}],
                           "liquidity_shocks": [{"month": 1, "intensity": 1.0}]})
    assert not sold.contagion.enabled
    parse_scenario({"announcements": [{"month": 1}], "contagion": {"enabled": True}})  # a signal: accepted


def test_a_private_announcement_without_a_sale_is_refused_even_with_contagion_on() -> None:
    with pytest.raises(ScenarioError) as caught:
        spec(announcements=[{"month": 1, "public": False}])
    assert caught.value.parameter == "announcements[0].amount_bn"
    assert "set public = true" in str(caught.value)
    spec(announcements=[{"month": 1, "public": False, "amount_bn": 0.1}])  # its sale: accepted


def test_every_shipped_scenario_still_loads() -> None:
    for path in sorted(PRESETS.glob("*.toml")):
        if path.stem.startswith(("minerals", "sweep")):
            continue
        load_scenario(path)


# -- 3. long 422 messages: only a long echoed value is cut -----------------------------------------------------------
@pytest.fixture()
def client(geostress_home: Path, tmp_path: Path) -> Iterator[TestClient]:
    from geostress.service import create_app
    from geostress.service.limits import ServiceLimits

    limits = ServiceLimits(max_workers=1, max_queued=2, run_timeout_s=120.0, prewarm=False)
    with TestClient(create_app(service_dir=tmp_path / "service", scenarios_dir=PRESETS, limits=limits)) as c:
        yield c


@pytest.mark.parametrize("holder", ["atlantis", "japn"])
def test_an_unknown_holder_keeps_its_list_of_names_in_the_422(client: TestClient, holder: str) -> None:
    answer = client.get("/api/market/impact", params={"holder": holder, "amount_bn": 10})
    assert answer.status_code == 422
    message = answer.json()["detail"][0]["msg"]
    assert len(message) > MAX_ECHO_CHARS and "characters)" not in message and "…" not in message
    assert f"'{holder}' is not a holder" in message
    assert "'Korea', 'South Korea'" in message and "other_domestic)." in message


def test_bound_echo_cuts_only_a_long_quoted_value() -> None:
    names = ", ".join(f"'n{i}'" for i in range(60))
    long_value = "z" * 300
    text = f"holder {long_value!r} is not a holder's name; give one of {names}"
    cut = bound_echo(text)
    assert cut == f"holder '{'z' * 40}…' (300 characters) is not a holder's name; give one of {names}"
    quoted = "it's" * 80  # repr quotes it with "…"
    assert bound_echo(f"holder {quoted!r} is unknown; " + "x" * 200).startswith(
        f'holder "{quoted[:40]}…" (320 characters) is unknown; ')
    kept = "the sector's holders' total; " + names
    assert bound_echo(kept) == kept


# -- 4. run-time scenario errors name the file (and the line) --------------------------------------------------------
def test_a_run_time_error_names_the_file_and_line_of_the_field_through_extends(tmp_path: Path) -> None:
    base = tmp_path / "b1.toml"
    base.write_text('[scenario]\nname = "b1"\n\n[[sales]]\nholder = "atlantis_official"\namount_bn = 10\n',
                    encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "b1.toml"\n[scenario]\nname = "child"\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as caught, blamed_on_file(child):
        raise ScenarioError("sales[0].holder 'atlantis_official': unknown holder", parameter="sales[0].holder")
    assert str(caught.value) == (f"{base.resolve()}, line 5 (extended by {child.resolve()}): sales[0].holder "
                                 "'atlantis_official': unknown holder")
    assert caught.value.parameter == "sales[0].holder"
    with pytest.raises(ScenarioError) as caught, blamed_on_file(child, overridden={"sales[0].amount_bn": 1}):
        raise ScenarioError("too much", parameter="sales[0].amount_bn")
    assert str(caught.value) == f"{child.resolve()} (with sales[0].amount_bn set on the command line): too much"
    with pytest.raises(ScenarioError) as caught, blamed_on_file(child):  # no event field: left as it was
        raise ScenarioError("no field")
    assert str(caught.value) == "no field"


def test_run_names_the_file_of_an_unknown_holder(geostress_home: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from geostress.cli.app import app

    monkeypatch.setenv("GEOSTRESS_OFFLINE", "1")
    monkeypatch.delenv("GEOSTRESS_DEBUG", raising=False)
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nname = "bad"\nhorizon_years = 2\n\n[[sales]]\nholder = "atlantis_official"\n'
                    'amount_bn = 10\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path), "--paths", "0", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    text = re.sub(r"\s+", " ", result.output)
    assert f"error: {path.resolve()}, line 6: sales[0].holder 'atlantis_official'" in text


# -- 5. [market] field descriptions ---------------------------------------------------------------------------------
def test_every_market_parameter_is_described_with_its_prior() -> None:
    fields = MarketSection.model_fields
    assert "not a historical norm" in (fields["value_buyers"].description or "")
    priors = {"fed_flow_weight": "0–0.2", "supply_flow_weight": "0–0.3", "flight_to_quality": "0.2–0.6",
              "fima_share": "0.3–0.8", "backstop_trigger_bp": "10–30 bp", "backstop_speed_per_month": "2.7–9",
              "bill_shift_share": "0–0.4", "value_share": "0.1–0.5"}
    for name, prior in priors.items():
        assert f"prior {prior}" in (fields[name].description or ""), name
    assert [name for name, field in fields.items() if name != "enabled" and not field.description] == []


# -- 6. usage errors ------------------------------------------------------------------------------------------------
def test_a_negative_fed_lead_and_a_future_monitor_day_are_usage_errors(geostress_home: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from geostress.cli.app import app

    monkeypatch.setenv("GEOSTRESS_OFFLINE", "1")
    runner = CliRunner()
    assert runner.invoke(app, ["market", "replay", "--fed-lead", "-1"]).exit_code == 2
    future = runner.invoke(app, ["monitor", "--as-of", "2099-01"])
    assert future.exit_code == 2 and "after today" in re.sub(r"[\s│]+", " ", future.output)


def test_a_folder_or_a_device_given_as_the_scenario_says_what_it_is(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The robustness audit's minor case: a folder or /dev/zero read "scenario file … not found"; a folder named as a
    preset still selects the preset (a preset wins)."""
    from geostress.spec.presets import resolve

    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    with pytest.raises(ScenarioError, match="scenario file adir is a folder, not a file"):
        resolve("adir")
    with pytest.raises(ScenarioError, match="scenario file /dev/zero is a device or a pipe, not a file"):
        resolve("/dev/zero")
    (tmp_path / "china-sells-300bn").mkdir()
    assert resolve("china-sells-300bn").name == "china-sells-300bn.toml"


def test_the_service_refuses_an_unknown_or_a_repeated_query_parameter(tmp_path: Path) -> None:
    """The robustness audit: ``bogus=1`` was ignored and ``holder=china&holder=japan`` read as japan, so the answer
    was to a question other than the one asked. Now both are 422 naming the parameter; a list parameter may
    repeat."""
    from fastapi.testclient import TestClient

    from geostress.service.app import create_app

    with TestClient(create_app(service_dir=tmp_path / "svc")) as client:
        bogus = client.get("/api/market/impact?holder=china_mainland&amount_bn=10&amount=20")
        assert bogus.status_code == 422
        (error,) = bogus.json()["detail"]
        assert error["loc"] == ["query", "amount"] and "takes no query parameter 'amount'" in error["msg"]
        assert "amount_bn" in error["msg"]  # the names it does take, to correct the spelling
        twice = client.get("/api/market/impact?holder=china_mainland&holder=japan&amount_bn=10")
        assert twice.status_code == 422
        assert twice.json()["detail"][0]["loc"] == ["query", "holder"]
        assert "given more than once" in twice.json()["detail"][0]["msg"]


@pytest.mark.parametrize(("text", "where"), [
    ('[scenario]\nname = "x"\n\n[[market]]\nenabled = true\n', "m.toml, line 4: field market:"),
    ('[scenario]\nname = "x"\n[market]\nenabled = true\n[[sales]]\nholder = "china_mainland_official"\nmonths = 3\n',
     "m.toml, line 5: field sales[0].amount_bn: Field required"),
])
def test_an_array_table_or_a_missing_field_is_located_at_its_header(tmp_path: Path, text: str, where: str) -> None:
    """The robustness audit's minor cases: ``[[market]]`` where a table belongs, and a [[sales]] entry without its
    amount, were named without a line; now the header that opens them."""
    from geostress.spec.scenario import load_scenario

    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert where in str(caught.value)


def test_a_random_range_past_a_fields_limit_is_named_as_the_range() -> None:
    """The robustness audit: a [random.knobs] range of [0, 5000] for a field that takes at most 10 failed as one
    scenario's error with its drawn value; now the range is refused before any scenario, naming it."""
    from geostress.run.sweep import plan_sweep
    from geostress.spec.sweep import parse_sweep

    data = {"name": "rr", "base": "baseline", "paths_per_scenario": 10,
            "random": {"n": 3, "knobs": {"shocks.all_rates_pp": [0, 5000]}}}
    spec, base = parse_sweep(data)
    with pytest.raises(ScenarioError) as caught:
        plan_sweep(spec, base)
    assert caught.value.parameter == "random.knobs.shocks.all_rates_pp"
    assert "the range [0, 5000] reaches 5000.0, which the scenario refuses" in str(caught.value)
    data["random"]["knobs"]["shocks.all_rates_pp"] = [0, 2]
    assert len(plan_sweep(*parse_sweep(data)).values) == 3


def test_report_names_the_scenario_file_and_line_of_an_event_error(tmp_path: Path) -> None:
    """As `run` does: an unknown holder found when the report runs the scenario is named with its file and line."""
    from geostress.cli import app

    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nname = "x"\nhorizon_years = 3\n[market]\nenabled = true\n[[sales]]\n'
                    'holder = "atlantis_official"\namount_bn = 10\nmonths = 3\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(path), "--paths", "0", "--no-tipping", "--out",
                                      str(tmp_path / "rep")])
    assert result.exit_code == 1, result.output
    assert f"{path}, line 7: sales[0].holder 'atlantis_official'" in " ".join(result.output.split())
    assert not (tmp_path / "rep").exists()  # nothing left behind


def test_an_event_error_caused_on_the_command_line_is_not_blamed_on_a_line_of_the_file(tmp_path: Path) -> None:
    """The second review: a --set of an event (or of the horizon) can be what the run's check refuses, so the file
    is named with those settings and no line; an error about no event field (the store's baseline) is not
    prefixed with the file at all."""
    from geostress.cli import app

    runner = CliRunner()
    moved = runner.invoke(app, ["run", "china-sells-300bn", "--paths", "0", "--out", str(tmp_path / "a"),
                                "--set", "sales[0].start_month=400"])
    assert moved.exit_code == 1
    text = " ".join(moved.output.split())
    assert "china-sells-300bn.toml (with sales[0].start_month set on the command line):" in text
    assert ", line " not in text
    baseline = runner.invoke(app, ["run", "baseline", "--paths", "0", "--out", str(tmp_path / "b"),
                                   "--set", "scenario.baseline=cbo:2030-01"])
    assert baseline.exit_code != 0
    assert "error: baseline 'cbo:2030-01' is not in the store" in " ".join(baseline.output.split())
    assert "baseline.toml" not in baseline.output


def test_the_service_puts_an_announcement_error_on_the_announcement(tmp_path: Path) -> None:
    """The second review: the 422 of an announced sale over foreign private holdings was located at ``sales``."""
    from fastapi.testclient import TestClient

    from geostress.service.app import create_app

    spec = {"scenario": {"name": "x", "horizon_years": 3}, "simulation": {"paths": 0},
            "market": {"enabled": True}, "sales": [{"holder": "china_mainland_official", "amount_bn": 10,
                                                    "months": 1}],
            "announcements": [{"month": 1, "amount_bn": 9000.0}]}
    with TestClient(create_app(service_dir=tmp_path / "svc")) as client:
        answer = client.post("/api/runs", json={"spec": spec})
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["detail"]
    assert error["loc"] == ["body", "spec", "announcements", 0, "amount_bn"], error


def test_a_file_where_a_report_folder_goes_is_named_as_what_blocks(tmp_path: Path) -> None:
    """The second review: ``out/scenario`` a file was reported as ``out/scenario/annual.parquet`` in the way."""
    from geostress.util.staging import staged_output

    out = tmp_path / "rp"
    out.mkdir()
    (out / "scenario").write_text("mine", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        with staged_output(out) as staged:
            (staged / "scenario").mkdir()
            (staged / "scenario" / "annual.parquet").write_text("new", encoding="utf-8")
    message = str(caught.value)
    assert f"remove or rename {out / 'scenario'}, which is in the way" in message, message
    assert (out / "scenario").read_text(encoding="utf-8") == "mine"
