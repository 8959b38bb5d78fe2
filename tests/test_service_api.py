"""The web service API in process (TestClient) and over real loopback HTTP (uvicorn subprocess).

Runs go to real worker processes; the slow run used for cancellation, time-outs and queueing is the coupled
market loop on 20,000 paths over 50 years (about a minute), stopped long before it ends.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_service_restart import REPO, SLOW_SPEC, ServerProcess

from geostress.spec.presets import PRESETS_DIR
from geostress.data.store import Store
from geostress.run.engine import QUANTILES, run_scenario
from geostress.spec.scenario import parse_scenario
from geostress.service import ServiceLimits, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette: "use httpx2" (the suite pins httpx)
    from fastapi.testclient import TestClient

CHINA = "tic.mfh.china_mainland"
TRAVERSAL = ["../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "abc", "A" * 32, "0" * 31, "0" * 33]


def make_client(tmp_path: Path, **limits: Any) -> TestClient:
    settings = {"max_workers": 1, "max_queued": 2, "run_timeout_s": 120.0, "prewarm": False, **limits}
    app = create_app(service_dir=tmp_path / "service", scenarios_dir=PRESETS_DIR,
                     limits=ServiceLimits(**settings))
    return TestClient(app)


@pytest.fixture()
def client(geostress_home: Path, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path) as c:
        yield c


def wait_for(client: TestClient, run_id: str, states: tuple[str, ...], timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    status: dict[str, Any] = {}
    while time.monotonic() < deadline:
        status = client.get(f"/api/runs/{run_id}").json()
        if status["status"] in states:
            return status
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} never reached {states}: {status}")


def wait_running_pid(client: TestClient, run_id: str) -> int:
    jobs = client.app.state.jobs  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pid = jobs.pid(run_id)
        if pid is not None:
            return int(pid)
        time.sleep(0.02)
    raise AssertionError("the run never started a worker")


def pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def field_error(response: Any) -> tuple[list[Any], str]:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    return detail[0]["loc"], detail[0]["msg"]


# -- service, data ---------------------------------------------------------------------------------------------
def test_health_openapi_and_no_cdn_docs(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok", "version": __import__("geostress").__version__}
    spec = client.get("/openapi.json").json()
    assert "/api/runs/{run_id}/result" in spec["paths"]
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_dashboard_page_and_vendored_plotly(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    js = client.get("/static/vendor/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert "max-age=31536000" in js.headers["cache-control"]


def test_foreign_host_header_is_refused(client: TestClient) -> None:
    refused = client.get("/api/health", headers={"Host": "attacker.example"})
    assert refused.status_code == 400 and "Host" in refused.json()["detail"]
    assert client.get("/api/health", headers={"Host": "127.0.0.1.attacker.example:8000"}).status_code == 400
    for ok in ("[::1]:8000", "localhost:8000", "127.0.0.1"):
        assert client.get("/api/health", headers={"Host": ok}).status_code == 200, ok


def test_catalog_lists_the_tic_series(client: TestClient) -> None:
    series = client.get("/api/catalog").json()["series"]
    row = next(r for r in series if r["series_id"] == CHINA)
    assert row["unit"] == "USD bn" and row["start"] == "2000-03-31" and row["end"] >= "2025-12-31"
    assert row["observations"] > 300 and row["vintages"] >= 1 and len(row["latest_vintage"]) == 10


def test_series_values_equal_the_store(client: TestClient) -> None:
    body = client.get(f"/api/series/{CHINA}", params={"start": "2025-01-01", "end": "2025-12-31"}).json()
    frame = Store().get(CHINA, start="2025-01-01", end="2025-12-31")
    assert [o["value"] for o in body["observations"]] == frame["value"].tolist()
    assert [o["period"] for o in body["observations"]] == [f"{p:%Y-%m-%d}" for p in frame["period"]]
    dec = {o["period"]: o["value"] for o in body["observations"]}["2025-12-31"]
    assert dec == 683.5
    assert body["label"] == "China, Mainland" and body["unit"] == "USD bn"
    before = field_error(client.get(f"/api/series/{CHINA}", params={"as_of": "2000-01-01"}))
    assert before[0] == ["query", "as_of"] and "the store holds vintages from 2026-03-18" in before[1]


def test_series_errors(client: TestClient) -> None:
    missing = client.get("/api/series/tic.mfh.atlantis")
    assert missing.status_code == 404 and "unknown series" in missing.json()["detail"]
    loc, _ = field_error(client.get(f"/api/series/{CHINA}", params={"start": "2025-13-01"}))
    assert loc == ["query", "start"]
    loc, _ = field_error(client.get(f"/api/series/{CHINA}", params={"as_of": "yesterday"}))
    assert loc == ["query", "as_of"]
    loc, _ = field_error(client.get("/api/series/" + "x" * 161))
    assert loc == ["path", "series_id"]
    assert client.get("/api/series/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)


def test_holders_top_8(client: TestClient) -> None:
    body = client.get("/api/holders", params={"top": 8}).json()
    labels = [h["label"] for h in body["holders"]]
    assert len(labels) == 8 and "Japan" in labels and "China, Mainland" in labels
    assert not any("total" in h["series_id"] or "official" in h["series_id"] for h in body["holders"])
    assert all(len(h["values"]) == len(body["months"]) for h in body["holders"])
    assert body["months"][-1] >= "2025-12"
    china = next(h for h in body["holders"] if h["series_id"] == CHINA)
    assert china["values"][body["months"].index("2025-12")] == 683.5
    latest = [h["values"][-1] for h in body["holders"]]
    assert latest == sorted(latest, reverse=True)
    for bad in (0, 31):
        loc, _ = field_error(client.get("/api/holders", params={"top": bad}))
        assert loc == ["query", "top"]


def test_monitor_is_the_monitor_and_cached(client: TestClient) -> None:
    first = client.get("/api/monitor")
    assert first.status_code == 200
    body = first.json()
    assert body["holders"][0]["rank"] == 1 and "breadth_of_selling" in body
    start = time.perf_counter()
    again = client.get("/api/monitor")
    assert time.perf_counter() - start < 0.2 and again.content == first.content


def test_scenario_lists(client: TestClient) -> None:
    runs = client.get("/api/scenarios").json()["scenarios"]
    files = {s["file"] for s in runs}
    assert "baseline.toml" in files and "china-sells-300bn.toml" in files
    assert not any(f.startswith(("minerals-", "sweep-")) for f in files)
    assert "reserves-china-reallocates.toml" in files  # a coupled scenario, whatever its name says
    for entry in runs:
        assert parse_scenario(entry["spec"]).scenario.name == entry["name"]
    assert next(s for s in runs if s["file"] == "china-sells-300bn.toml")["coupled"] is True
    minerals = client.get("/api/minerals/scenarios").json()["scenarios"]
    assert {"name": "us-mandate", "file": "minerals-us-mandate.toml",
            "description": "US 180-day full decoupling from China-origin rare earths, all sectors"} in minerals


def test_minerals_run(client: TestClient) -> None:
    body = client.post("/api/minerals", json={"scenario": "us-mandate"}).json()
    for key in ("china_free_share_day180", "mandate_met", "compliance_month_by_sector", "shortfall_by_sector_t",
                "price_usd_kg_china_free", "subsidy_cost_usd", "monthly"):
        assert key in body
    assert body["file"] == "minerals-us-mandate.toml"
    assert len(body["monthly"]["months"]) == len(body["monthly"]["shortfall_t"])
    assert client.post("/api/minerals", json={"scenario": "atlantis"}).status_code == 404
    loc, _ = field_error(client.post("/api/minerals", json={"scenario": "../../etc/passwd"}))
    assert loc == ["body", "scenario"]


def test_claims_check(client: TestClient) -> None:
    text = "China held $683.5 billion of Treasuries in December 2025."
    claims = client.post("/api/claims/check", json={"text": text, "lang": "en"}).json()["claims"]
    hit = next(c for c in claims if c["value"] == 683.5)
    assert hit["verdict"] == "supported" and hit["series"] == CHINA
    loc, _ = field_error(client.post("/api/claims/check", json={"text": text, "lang": "fr"}))
    assert loc == ["body", "lang"]
    loc, _ = field_error(client.post("/api/claims/check", json={"text": text, "date": "0000-00-00"}))
    assert loc == ["body", "date"]  # was a 500 (found by schemathesis)
    loc, msg = field_error(client.post("/api/claims/check", json={"text": text, "date": "2999-01-01"}))
    assert loc == ["body", "date"] and "after today" in msg  # as claims check --date refuses it
    loc, _ = field_error(client.post("/api/claims/check", json={"text": "x" * 200_001}))
    assert loc == ["body", "text"]
    too_long = client.post("/api/claims/check", json={"text": "x" * 50_001})
    loc, msg = field_error(too_long)
    assert loc == ["body", "text"] and "max_claim_chars" in msg and "50,000" in msg
    assert len(too_long.content) < 2_000  # the text is not echoed back
    for blank in ("", "  \n\t "):  # refused, as the command refuses an empty file (a 200 with no claims read as
        loc, msg = field_error(client.post("/api/claims/check", json={"text": blank}))  # "nothing wrong")
        assert loc == ["body", "text"] and "empty" in msg


def test_claims_answers_are_bounded(geostress_home: Path, tmp_path: Path) -> None:
    sentence = "China held $683.5 billion of Treasuries in December 2025 and " * 30  # no full stop: one long sentence
    with make_client(tmp_path, max_claims=5) as c:
        body = c.post("/api/claims/check", json={"text": sentence, "lang": "en"}).json()
    assert len(body["claims"]) == 5 and body["truncated"] is True and body["claims_total"] > 5
    assert all(len(claim["text"]) <= 1_000 for claim in body["claims"])
    assert [claim["start"] for claim in body["claims"]] == sorted(claim["start"] for claim in body["claims"])


def test_claims_checks_wait_for_a_free_slot_then_429(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from geostress.service.routers import claims

    monkeypatch.setattr(claims, "CLAIMS_WAIT_S", 0.2)
    gate = client.app.state.context.claims_gate  # type: ignore[attr-defined]
    assert gate.acquire(timeout=5)  # a check in progress holds the only slot
    try:
        busy = client.post("/api/claims/check", json={"text": "China held $683.5 billion."})
        assert busy.status_code == 429 and "max_claim_checks" in busy.json()["detail"]
        assert busy.headers["retry-after"] == "5"
    finally:
        gate.release()
    assert client.post("/api/claims/check", json={"text": "China held $683.5 billion."}).status_code == 200


def test_kind_comes_from_content_and_user_files_are_listed(geostress_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "my-stress.toml").write_text('[scenario]\nname = "my-stress"\nhorizon_years = 10\n'
                                           '[simulation]\npaths = 0\n', encoding="utf-8")
    (folder / "rare-earths-plan.toml").write_bytes(
        (PRESETS_DIR / "minerals-us-mandate.toml").read_bytes().replace(b'name = "us-mandate"', b'name = "plan"'))
    app = create_app(service_dir=tmp_path / "service", scenarios_dir=folder,
                     limits=ServiceLimits(max_workers=1, prewarm=False))
    with TestClient(app) as c:
        runs = {s["file"] for s in c.get("/api/scenarios").json()["scenarios"]}
        minerals = {s["file"] for s in c.get("/api/minerals/scenarios").json()["scenarios"]}
        assert "my-stress.toml" in runs and "baseline.toml" in runs  # the server's folder and the presets
        assert "rare-earths-plan.toml" in minerals and "rare-earths-plan.toml" not in runs
        assert c.post("/api/minerals", json={"scenario": "plan"}).json()["file"] == "rare-earths-plan.toml"


@pytest.mark.parametrize("path, body", [
    ("/api/runs", '{"spec": {"simulation": {"paths": NaN}}}'),
    ("/api/runs", '{"spec": {"fiscal": {"fiscal_risk_premium_bp_per_pp": Infinity}}}'),
    ("/api/runs", '{"spec": {"sales": [{"holder": "japan_official", "amount_bn": -Infinity, "months": 3}]}}'),
    ("/api/claims/check", '{"text": "NaN", "lang": NaN}'),
    ("/api/minerals", '{"scenario": -Infinity}'),
])
def test_non_finite_numbers_are_422(client: TestClient, path: str, body: str) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    loc, msg = field_error(response)
    assert loc[0] == "body" and "not a JSON number" in msg
    literal = msg.split(":")[1].split()[0]
    assert body[loc[1]:].startswith(literal)  # the position points at the literal, not at text inside a string


def test_oversized_bodies_get_413(geostress_home: Path, tmp_path: Path) -> None:
    with make_client(tmp_path, max_body_bytes=4096) as c:
        big = {"text": "y" * 5000}
        assert c.post("/api/claims/check", json=big).status_code == 413

        def chunks() -> Iterator[bytes]:  # no Content-Length: the middleware counts
            yield b'{"text": "'
            for _ in range(10):
                yield b"z" * 1000
            yield b'"}'

        streamed = c.post("/api/claims/check", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413 and "4,096" in streamed.json()["detail"]
        assert c.post("/api/claims/check", json={"text": "small"}).status_code == 200


# -- runs ------------------------------------------------------------------------------------------------------
def test_bad_specs_are_422_naming_the_field(client: TestClient) -> None:
    loc, _ = field_error(client.post("/api/runs", json={"spec": {"simulation": {"paths": -1}}}))
    assert loc == ["body", "spec", "simulation", "paths"]
    loc, _ = field_error(client.post("/api/runs", json={"spec": {"simulation": {"pathz": 10}}}))
    assert loc == ["body", "spec", "simulation", "pathz"]
    loc, msg = field_error(client.post("/api/runs", json={"spec": {"simulation": {"paths": 20_001}}}))
    assert loc == ["body", "spec", "simulation", "paths"] and "20,000" in msg
    loc, _ = field_error(client.post("/api/runs", json={"spec": {"scenario": {"baseline": "ecb:2026"}}}))
    assert loc == ["body", "spec", "scenario", "baseline"]
    loc, _ = field_error(client.post("/api/runs", json={"spek": {}}))
    assert loc == ["body", "spek"]
    assert client.get("/api/runs").json() == {"runs": []}


def test_horizon_limit(geostress_home: Path, tmp_path: Path) -> None:
    with make_client(tmp_path, max_horizon_years=10) as c:
        loc, msg = field_error(c.post("/api/runs", json={"spec": {"scenario": {"horizon_years": 11}}}))
        assert loc == ["body", "spec", "scenario", "horizon_years"] and "10 years" in msg


def test_unknown_and_malformed_run_ids_are_404(client: TestClient) -> None:
    for bad in TRAVERSAL:
        for method, url in (("GET", f"/api/runs/{bad}"), ("GET", f"/api/runs/{bad}/result"),
                            ("DELETE", f"/api/runs/{bad}")):
            assert client.request(method, url).status_code == 404, (method, url)
    assert client.get("/api/runs/" + "0" * 32).status_code == 404


def test_run_result_matches_an_in_process_run(client: TestClient) -> None:
    spec = {"scenario": {"name": "api-check", "horizon_years": 12}, "simulation": {"paths": 200, "seed": 11}}
    submitted = client.post("/api/runs", json={"spec": spec})
    assert submitted.status_code == 202
    status = submitted.json()
    assert len(status["id"]) == 32 and status["status"] == "queued" and status["scenario"] == "api-check"
    final = wait_for(client, status["id"], ("done", "failed", "timeout"))
    assert final["status"] == "done", final
    assert final["progress"] == 1.0 and final["started"] and final["finished"]
    assert final["worker_startup_s"] is not None
    result = client.get(f"/api/runs/{status['id']}/result").json()
    expected = run_scenario(parse_scenario(spec))
    fan = result["fan"]
    assert fan["fiscal_years"] == [int(y) for y in expected.ensemble.fiscal_years]
    p50 = QUANTILES.index(0.50)
    for var in ("debt_to_gdp", "net_interest_to_gdp", "interest_to_revenue", "yield_10y"):
        entry = fan["variables"][var]
        assert set(entry) == {"p05", "p10", "p25", "p50", "p75", "p90", "p95", "deterministic"}
        np.testing.assert_allclose(entry["p50"], expected.ensemble.fan[var][p50], rtol=1e-12)
        np.testing.assert_allclose(entry["deterministic"], expected.ensemble.deterministic[var], rtol=1e-12)
    annual = expected.annual_frame()
    assert [r["fiscal_year"] for r in result["annual"]] == annual.index.tolist()
    np.testing.assert_allclose([r["debt"] for r in result["annual"]], annual["debt"], rtol=1e-12)
    assert result["summary"]["spec"]["simulation"]["paths"] == 200
    assert result["summary"]["ensemble"]["paths"] == 200
    assert result["market"] is None
    assert client.get("/api/runs").json()["runs"][0]["id"] == status["id"]
    assert client.delete(f"/api/runs/{status['id']}").status_code == 409


def test_a_run_without_a_name_is_baseline_only_when_it_is_the_baseline(client: TestClient) -> None:
    """A spec with sales and no name was listed as "baseline" (the default name); it is "custom" now."""
    sales = [{"holder": "china_mainland_official", "amount_bn": 100, "months": 6}]
    for spec, name in (({"scenario": {"horizon_years": 3}, "simulation": {"paths": 0}, "sales": sales}, "custom"),
                       ({"scenario": {"horizon_years": 3}, "simulation": {"paths": 0}}, "baseline"),
                       ({"scenario": {"name": "mine", "horizon_years": 3}, "simulation": {"paths": 0},
                         "sales": sales}, "mine")):
        status = client.post("/api/runs", json={"spec": spec}).json()
        assert status["scenario"] == name, (spec, status)
        assert wait_for(client, status["id"], ("done", "failed"))["status"] == "done"


def test_deterministic_coupled_run_has_market_block(client: TestClient) -> None:
    spec = {"scenario": {"name": "sell", "horizon_years": 5}, "simulation": {"paths": 0},
            "sales": [{"holder": "china_mainland_official", "amount_bn": 100, "months": 6}]}
    run_id = client.post("/api/runs", json={"spec": spec}).json()["id"]
    assert wait_for(client, run_id, ("done", "failed"))["status"] == "done"
    result = client.get(f"/api/runs/{run_id}/result").json()
    assert all(set(v) == {"deterministic"} for v in result["fan"]["variables"].values())
    market = result["market"]
    assert market["months"] == list(range(1, 61)) and len(market["term_premium_bp_p50"]) == 60
    assert market["peak_10y_change_bp"] > 0 and market["sold_bn_median"] == pytest.approx(100.0)


def test_market_impact_answers_as_the_command_and_names_the_field_it_refuses(client: TestClient) -> None:
    """``GET /api/market/impact`` is ``geostress market impact --json`` (the same function, the same draws); a bad
    holder, amount, date or motive is a 422 naming the query field, in the query's names rather than the CLI's."""
    from geostress.run.market import impact

    answer = client.get("/api/market/impact", params={"holder": "China", "amount_bn": 300, "months": 12})
    assert answer.status_code == 200
    body = answer.json()
    direct = impact(Store(), "China", 300.0, 12).to_json()
    assert body["holder"] == "china_mainland" and body["backstop"] == "on" and body["draws"] == 1000
    for key in ("peak_10y_change_bp", "peak_10y_change_bp_p95", "persistent_10y_change_bp",
                "peak_10y_change_bp_backstop_off", "stock_effect_10y_bp", "backstop_bn_median"):
        assert body[key] == pytest.approx(direct[key], rel=1e-12)
    assert len(body["path"]) == 24 and body["gdp_growth_per_year"] == direct["gdp_growth_per_year"]
    off = client.get("/api/market/impact", params={"holder": "china", "amount_bn": 300, "months": 12,
                                                   "backstop": "off", "draws": 0}).json()
    assert off["backstop"] == "off" and "peak_10y_change_bp_p05" not in off and off["seed"] is None
    few = client.get("/api/market/impact", params={"holder": "china", "amount_bn": 10, "draws": 2,
                                                   "at": "2010-06"}).json()
    assert few["range_note"].endswith("a range to quote needs a few hundred draws (the default is 1,000)")
    assert few["stabilisers_note"].endswith("as it would today; `backstop` off prices the sale without it")
    repo = client.get("/api/market/impact", params={"holder": "china", "amount_bn": 100, "draws": 0, "at": "2015-07",
                                                    "motive": "liquidity", "backstop": "off", "fima": "off"}).json()
    assert repo["fima"] == "off" and repo["fima_bn_median"] == 0.0 and few["fima"] == "on"
    # a day names its month, as the CLI's --at takes it
    day = client.get("/api/market/impact", params={"holder": "china", "amount_bn": 10, "draws": 2,
                                                   "at": "2010-06-15"}).json()
    assert day["at"] == few["at"] and day["peak_10y_change_bp"] == few["peak_10y_change_bp"]

    def refused(**query: object) -> dict[str, object]:
        response = client.get("/api/market/impact", params=query)
        assert response.status_code == 422, response.text
        return response.json()["detail"][0]

    too_much = refused(holder="china", amount_bn=10000)
    assert too_much["loc"] == ["query", "amount_bn"] and "`amount_bn` 10,000 is more than that" in too_much["msg"]
    assert "--" not in too_much["msg"]
    early = refused(holder="china", amount_bn=10, at="1990-01")
    assert early["loc"] == ["query", "at"] and "choose `at` from 2002-12" in early["msg"]
    assert "leave `at` out" in early["msg"]
    assert refused(holder="private", amount_bn=10, motive="liquidity")["loc"] == ["query", "motive"]
    assert refused(holder="nobody", amount_bn=10)["loc"] == ["query", "holder"]
    assert refused(holder="china", amount_bn="nan")["loc"] == ["query", "amount_bn"]
    assert refused(holder="china", amount_bn=10, draws=5001)["loc"] == ["query", "draws"]
    assert refused(holder="china", amount_bn=10, at="2020-13")["loc"] == ["query", "at"]
    for stress in (1.5, -0.1, "nan"):
        assert refused(holder="china", amount_bn=10, liquidity_stress=stress)["loc"] == ["query", "liquidity_stress"]


def test_market_impact_prices_a_sale_inside_a_dash_for_cash(client: TestClient) -> None:
    """``liquidity_stress`` is ``--liquidity-stress``: the same function and draws, the stress in the answer."""
    from geostress.run.market import impact

    query = {"holder": "china", "amount_bn": 300, "months": 1, "draws": 200, "liquidity_stress": 1}
    body = client.get("/api/market/impact", params=query).json()
    direct = impact(Store(), "china", 300.0, 1, draws=200, liquidity_stress=1.0).to_json()
    assert body["liquidity_stress"] == 1.0 and direct["liquidity_stress"] == 1.0
    for key in ("peak_10y_change_bp", "peak_10y_change_bp_backstop_off", "backstop_bn_median"):
        assert body[key] == pytest.approx(direct[key], rel=1e-12)
    orderly = client.get("/api/market/impact", params={**query, "liquidity_stress": 0}).json()
    assert orderly["liquidity_stress"] == 0.0 and orderly["backstop_bn_median"] < body["backstop_bn_median"]
    inert = client.get("/api/market/impact", params={**query, "backstop": "off"})
    assert inert.status_code == 422
    [detail] = inert.json()["detail"]
    assert detail["loc"] == ["query", "liquidity_stress"] and "with `backstop` off it changes nothing" in detail["msg"]


def test_an_impact_error_names_its_field_or_else_the_query() -> None:
    """The field comes from the error's ``parameter``, not from the message's wording; an error about no one
    parameter (a series the store lacks) names the query as a whole rather than blaming ``holder``."""
    import json

    from geostress.errors import DataError, ScenarioError
    from geostress.service.routers.market import impact_error

    def detail(exc: Exception) -> dict[str, Any]:
        return json.loads(impact_error(exc).body)["detail"][0]

    named = detail(DataError("--at 1990-01 is before 2002-12: choose --at from 2002-12", parameter="at"))
    assert named["loc"] == ["query", "at"]
    assert named["msg"] == "`at` 1990-01 is before 2002-12: choose `at` from 2002-12"
    assert named["type"] == "data_error"
    unnamed = detail(DataError("series fred.gdp not in the store; import it (`geostress data update`)"))
    assert unnamed["loc"] == ["query"] and "fred.gdp" in unnamed["msg"]
    assert detail(ScenarioError("--holder 'x' is bad", parameter="holder"))["type"] == "scenario_error"


def test_market_sectors_cap_the_sales(client: TestClient) -> None:
    """Holder sectors at the run start; a sale the model would refuse is a 422 at submission, not a failed run."""
    sectors = client.get("/api/market/sectors").json()
    assert sectors["baseline"] == "cbo:latest" and sectors["at"] == "2025-09-30"  # the day before FY2026 starts
    held = {sec["name"]: sec["holdings_bn"] for sec in sectors["sectors"]}
    assert 500 < held["china_mainland_official"] < 700 and held["japan_official"] > 0
    assert client.get("/api/market/sectors", params={"baseline": "cbo:1900-01"}).json()["detail"][0]["loc"] == \
        ["query", "baseline"]

    def submit(sale: dict[str, object]) -> dict[str, object]:
        spec = {"simulation": {"paths": 0}, "scenario": {"horizon_years": 5}, "sales": [sale]}
        response = client.post("/api/runs", json={"spec": spec})
        assert response.status_code == 422
        return response.json()["detail"][0]

    too_big = submit({"holder": "china_mainland_official", "amount_bn": held["china_mainland_official"] + 1})
    assert too_big["loc"] == ["body", "spec", "sales", 0, "amount_bn"] and "exceeds its holdings" in too_big["msg"]
    unknown = submit({"holder": "atlantis_official", "amount_bn": 1})
    assert "atlantis" in unknown["msg"] and "china_mainland_official" in unknown["msg"]
    assert "months" in submit({"holder": "japan_official", "amount_bn": 1, "months": 61})["msg"]  # past 5 years


def test_scenario_error_at_run_time_is_a_failed_run(client: TestClient) -> None:
    spec = {"simulation": {"paths": 0}, "scenario": {"horizon_years": 5}, "shocks": {"term_premium_bp": 50},
            "sales": [{"holder": "japan_official", "amount_bn": 1}]}
    run_id = client.post("/api/runs", json={"spec": spec}).json()["id"]
    final = wait_for(client, run_id, ("done", "failed"))
    assert final["status"] == "failed" and "term premium" in final["error"]
    assert client.get(f"/api/runs/{run_id}/result").status_code == 409


def test_cancel_a_running_run_kills_its_process(client: TestClient) -> None:
    run_id = client.post("/api/runs", json={"spec": SLOW_SPEC}).json()["id"]
    pid = wait_running_pid(client, run_id)
    assert not pid_gone(pid)
    cancelled = client.delete(f"/api/runs/{run_id}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert pid_gone(pid)
    assert client.get(f"/api/runs/{run_id}").json()["status"] == "cancelled"
    assert client.delete(f"/api/runs/{run_id}").status_code == 409
    late = client.get(f"/api/runs/{run_id}/result")
    assert late.status_code == 409 and "cancelled" in late.json()["detail"]
    # a fresh worker took the killed one's place, and runs the next run
    after = client.post("/api/runs", json={"spec": DETERMINISTIC}).json()["id"]
    assert wait_for(client, after, ("done", "failed"))["status"] == "done"
    assert client.app.state.jobs.pid(after) != pid  # type: ignore[attr-defined]


DETERMINISTIC = {"scenario": {"name": "quick", "horizon_years": 5}, "simulation": {"paths": 0}}


def test_warm_workers_serve_successive_runs_in_one_process(client: TestClient) -> None:
    jobs = client.app.state.jobs  # type: ignore[attr-defined]
    ids = [client.post("/api/runs", json={"spec": DETERMINISTIC}).json()["id"] for _ in range(3)]
    finals = [wait_for(client, run_id, ("done", "failed")) for run_id in ids]
    assert [f["status"] for f in finals] == ["done"] * 3
    pids = {jobs.pid(run_id) for run_id in ids}
    assert len(pids) == 1 and not pid_gone(pids.pop())  # one warm process, still alive, idle
    assert [w["run_id"] for w in jobs.workers()] == [None] and jobs.workers()[0]["runs"] == 3
    first = client.get(f"/api/runs/{ids[0]}/result").json()
    again = client.get(f"/api/runs/{ids[2]}/result").json()
    assert first["annual"] == again["annual"]  # a warm process gives the same answer as a fresh one


def test_workers_are_replaced_after_max_runs_and_without_warm_workers(geostress_home: Path, tmp_path: Path) -> None:
    for limits in ({"max_runs_per_worker": 1}, {"warm_workers": False}):
        with make_client(tmp_path / str(len(limits)) / next(iter(limits)), **limits) as c:
            jobs = c.app.state.jobs  # type: ignore[attr-defined]
            ids = []
            for _ in range(2):
                ids.append(c.post("/api/runs", json={"spec": DETERMINISTIC}).json()["id"])
                assert wait_for(c, ids[-1], ("done", "failed"))["status"] == "done"
            pids = [jobs.pid(run_id) for run_id in ids]
            assert pids[0] != pids[1], limits
            deadline = time.monotonic() + 10
            while not pid_gone(pids[0]) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert pid_gone(pids[0]), limits


def test_a_stuck_run_times_out(geostress_home: Path, tmp_path: Path) -> None:
    with make_client(tmp_path, run_timeout_s=1.0) as c:
        run_id = c.post("/api/runs", json={"spec": SLOW_SPEC}).json()["id"]
        pid = wait_running_pid(c, run_id)
        final = wait_for(c, run_id, ("done", "failed", "timeout", "cancelled"), timeout=30)
        assert final["status"] == "timeout" and "1 s" in final["message"]
        assert pid_gone(pid)
        deadline = time.monotonic() + 30  # a fresh worker replaces the killed one
        while not any(w["ready"] for w in c.app.state.jobs.workers()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [w["pid"] != pid for w in c.app.state.jobs.workers()] == [True]


def test_full_queue_is_429_and_queued_runs_cancel(geostress_home: Path, tmp_path: Path) -> None:
    with make_client(tmp_path, max_workers=1, max_queued=1) as c:
        running = c.post("/api/runs", json={"spec": SLOW_SPEC}).json()["id"]
        wait_running_pid(c, running)
        queued = c.post("/api/runs", json={"spec": SLOW_SPEC})
        assert queued.status_code == 202
        refused = c.post("/api/runs", json={"spec": SLOW_SPEC})
        assert refused.status_code == 429 and "queue is full" in refused.json()["detail"]
        qid = queued.json()["id"]
        early = c.get(f"/api/runs/{qid}/result")
        assert early.status_code == 409 and "queued" in early.json()["detail"]
        assert c.delete(f"/api/runs/{qid}").json()["status"] == "cancelled"
        assert c.delete(f"/api/runs/{running}").json()["status"] == "cancelled"
        statuses = [r["status"] for r in c.get("/api/runs").json()["runs"]]
        assert statuses == ["cancelled", "cancelled"]


def test_shutdown_stops_workers(geostress_home: Path, tmp_path: Path) -> None:
    with make_client(tmp_path) as c:
        run_id = c.post("/api/runs", json={"spec": SLOW_SPEC}).json()["id"]
        pid = wait_running_pid(c, run_id)
    assert pid_gone(pid)
    with make_client(tmp_path) as c:  # a restart in process sees the interrupted run
        status = c.get(f"/api/runs/{run_id}").json()
        assert status["status"] == "failed" and status["message"].startswith("interrupted")


def test_two_services_cannot_share_a_folder(geostress_home: Path, tmp_path: Path) -> None:
    from geostress.service.jobs import ServiceDirBusyError

    with make_client(tmp_path):
        with pytest.raises(ServiceDirBusyError, match="another geostress service"):
            make_client(tmp_path)
    with make_client(tmp_path) as again:  # released at shutdown
        assert again.get("/api/runs").status_code == 200


# -- over real loopback HTTP -----------------------------------------------------------------------------------
@pytest.mark.timeout(90)
def test_real_uvicorn_server_on_loopback(geostress_home: Path) -> None:
    geostress_home.mkdir(parents=True, exist_ok=True)
    server = ServerProcess(geostress_home, "--max-paths", "500")
    try:
        assert server.url.startswith("http://127.0.0.1:")
        c = server.client
        assert c.get("/api/health").json()["status"] == "ok"
        body = c.get(f"/api/series/{CHINA}", params={"start": "2025-12-01"}).json()
        assert body["observations"] == [{"period": "2025-12-31", "value": 683.5, "vintage": body["observations"][0]
                                         ["vintage"]}]
        assert c.post("/api/claims/check", content=b"{" + b" " * 1_100_000 + b"}",
                      headers={"content-type": "application/json"}).status_code == 413
        loc = c.post("/api/runs", json={"spec": {"simulation": {"paths": 501}}}).json()["detail"][0]["loc"]
        assert loc == ["body", "spec", "simulation", "paths"]
        assert c.get("/api/runs/..%2Fservice").status_code == 404
        assert c.get("/", headers={"Host": "rebind.example:80"}).status_code == 400
        assert "<html" in c.get("/").text.lower()
    finally:
        server.stop()


# -- the command -----------------------------------------------------------------------------------------------
def test_serve_refuses_a_public_address_without_allow_remote() -> None:
    from typer.testing import CliRunner

    from geostress.cli import app
    from geostress.cli.serve import is_loopback

    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--allow-remote" in result.output
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.5.0.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.2", "example.com", "::"))


def test_market_impact_answers_match_their_schema(client: TestClient) -> None:
    """Every key of ``geostress market impact --json`` is in the route's schema (``ImpactAnswer`` forbids others), so
    a key the command adds or drops shows here: backstop on and off, one path and many, a liquidity sale."""
    from geostress.service.schemas import ImpactAnswer

    for query in ({"holder": "china", "amount_bn": 300, "months": 12},
                  {"holder": "japan", "amount_bn": 50, "draws": 0, "backstop": "off"},
                  {"holder": "china", "amount_bn": 100, "motive": "liquidity", "draws": 1, "at": "2010-06"}):
        body = client.get("/api/market/impact", params=query).json()
        ImpactAnswer.model_validate(body)  # raises on a key the schema does not name, or one it needs and lacks
    schema = client.get("/openapi.json").json()["paths"]["/api/market/impact"]["get"]["responses"]["200"]
    assert schema["content"]["application/json"]["schema"]["$ref"].endswith("/ImpactAnswer")
