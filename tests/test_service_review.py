"""The service review's defects (tests/test_service_api.py and tests/test_dashboard.py hold the rest): error answers
that never fail to encode and never echo a long input, runs refused up front for a baseline they cannot use,
parameters named in errors, 409 texts by status, a result a worker wrote after a killed server, minerals files
chosen by file, the dashboard's axes, headline and lists, a quiet Ctrl-C.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_dashboard import (Session, apply_json, browser_session, cell, open_impact, open_scenario, price, priced,
                            run_and_wait, served)
from test_service_api import field_error, make_client, wait_for
from test_service_restart import serve_command

from geostress.spec.presets import PRESETS_DIR

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

JSON_HEADERS = {"content-type": "application/json"}
QUICK = {"scenario": {"name": "quick", "horizon_years": 5}, "simulation": {"paths": 0}}


@pytest.fixture()
def client(geostress_home: Path, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path) as c:
        yield c


# -- 1. a lone surrogate ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, body, loc", [
    ("/api/claims/check", r'{"text": "\ud800 China holds $759bn"}', ["body", "text"]),
    ("/api/runs", r'{"spec": {"scenario": {"name": "\ud800"}, "simulation": {"paths": 0}}}',
     ["body", "spec", "scenario", "name"]),
    ("/api/minerals", r'{"scenario": "\ud800"}', ["body", "scenario"]),
    ("/api/runs", r'{"spec": {"sales": [{"holder": "\ud800x", "amount_bn": 1, "months": 1}], '
                  r'"simulation": {"paths": 0}}}', ["body", "spec", "sales", 0, "holder"]),
    ("/api/runs", r'{"spec": {"simulation": {"\udfff": 1}}}', ["body", "spec", "simulation"]),
])  # fmt: skip
def test_a_lone_surrogate_is_a_422_naming_the_field(client: TestClient, path: str, body: str,
                                                     loc: list[Any]) -> None:
    response = client.post(path, content=body.encode("ascii"), headers=JSON_HEADERS)
    got, _ = field_error(response)
    assert got == loc
    response.content.decode("utf-8")  # strict UTF-8: the echo is the escape's text, not the surrogate


def test_error_answers_encode_whatever_they_echo() -> None:
    from geostress.service.routing import error_response, field_error as make_error

    plain = error_response("no run named '\ud800'", 404).body.decode("utf-8")
    assert json.loads(plain) == {"detail": "no run named '\\ud800'"}
    field = make_error(["body", "x"], "bad '\udc80' and " + repr("y" * 10_000), "scenario_error").body.decode("utf-8")
    assert "\\\\udc80" in field and "(10,000 characters)" in field and len(field) < 500


# -- 3. bounded echoes ----------------------------------------------------------------------------------------
def test_an_unknown_holder_is_not_echoed_in_full(client: TestClient) -> None:
    def sale(holder: str) -> dict[str, Any]:
        return {"spec": {"simulation": {"paths": 0}, "sales": [{"holder": holder, "amount_bn": 1, "months": 1}]}}

    huge = client.post("/api/runs", json=sale("x" * 400_000))
    loc, _ = field_error(huge)
    assert loc == ["body", "spec", "sales", 0, "holder"] and len(huge.content) < 2_000  # the schema's bound: 100
    unknown = client.post("/api/runs", json=sale("atlantis_" + "x" * 91))
    loc, msg = field_error(unknown)
    assert loc == ["body", "spec", "sales", 0, "holder"] and "atlantis_" in msg  # the field the check names


def test_messages_cut_long_quoted_inputs() -> None:
    from geostress.service.routing import MAX_ECHO_CHARS, bound_echo

    long = "unknown holder " + repr("z" * 400_000) + "; Known holders: japan_official."
    cut = bound_echo(long)
    assert len(cut) < 2 * MAX_ECHO_CHARS and "(400,000 characters)" in cut and cut.endswith("japan_official.")
    assert bound_echo("unknown holder 'abc'") == "unknown holder 'abc'"


# -- 12. nesting ----------------------------------------------------------------------------------------------
def test_a_deeply_nested_body_is_the_documented_422(client: TestClient) -> None:
    for body in ('{"spec":' + "[" * 100_000 + "]" * 100_000 + "}", '{"a":' * 5_000 + "1" + "}" * 5_000):
        loc, msg = field_error(client.post("/api/runs", content=body, headers=JSON_HEADERS))
        assert loc == ["body", 0] and "nested too deeply" in msg


# -- 7, 9. baselines and dates named ---------------------------------------------------------------------------
def test_an_unknown_baseline_is_refused_at_submission(client: TestClient) -> None:
    loc, msg = field_error(client.post("/api/runs", json={"spec": {**QUICK, "scenario": {
        "baseline": "cbo:2030-01", "horizon_years": 5}}}))
    assert loc == ["body", "spec", "scenario", "baseline"] and "cbo:2030-01" in msg and "recent vintages" in msg
    early = {**QUICK, "scenario": {"baseline": "cbo:1999-01", "horizon_years": 5}, "market": {"enabled": True}}
    loc, msg = field_error(client.post("/api/runs", json={"spec": early}))
    assert loc == ["body", "spec", "scenario", "baseline"] and "too early for the market block" in msg
    first = re.search(r"choose baseline (cbo:\d{4}-\d{2})", msg)
    assert first is not None
    assert client.get("/api/market/sectors", params={"baseline": first.group(1)}).status_code == 200
    assert client.get("/api/runs").json() == {"runs": []}  # nothing was queued


def test_errors_name_the_parameter_in_its_terms(client: TestClient) -> None:
    loc, msg = field_error(client.get("/api/series/acm.tp10", params={"start": "2021", "end": "2020"}))
    assert loc == ["query", "start"] and "datetime" not in msg and "2021-01-01" in msg and "2020-12-31" in msg
    loc, msg = field_error(client.get("/api/market/sectors", params={"baseline": "cbo:1999-01"}))
    assert loc == ["query", "baseline"] and "baseline 'cbo:1999-01'" in msg
    assert "choose a month" not in msg and re.search(r"choose baseline cbo:\d{4}-\d{2} or a later one", msg)


# -- 8. 409 texts ----------------------------------------------------------------------------------------------
def test_409s_say_a_finished_run_has_no_result(geostress_home: Path, tmp_path: Path) -> None:
    from geostress.service.jobs import JobManager, JobRecord, RunStateError, no_result_message
    from geostress.service.limits import ServiceLimits

    jobs = JobManager(tmp_path / "svc", ServiceLimits(max_workers=1, prewarm=False), geostress_home)
    try:
        texts = {}
        for status in ("queued", "failed", "cancelled", "timeout"):
            run_id = f"{len(texts):032x}"
            jobs.folder(run_id).mkdir(parents=True)
            jobs._jobs[run_id] = JobRecord(run_id, "x", status, "2026-01-01T00:00:00.000Z", error="boom")
            with pytest.raises(RunStateError) as result:
                jobs.result_bytes(run_id)
            assert str(result.value) == no_result_message(jobs._jobs[run_id])
            texts[status] = str(result.value)
            if status != "queued":
                with pytest.raises(RunStateError) as cancel:
                    jobs.cancel(run_id)
                assert " is already " not in str(cancel.value) and "has already" in str(cancel.value)
                assert "once it is done" not in texts[status] and "no result" in texts[status]
        assert "once it is done" in texts["queued"]
        assert "failed: boom" in texts["failed"] and "was cancelled" in texts["cancelled"]
        assert "stopped at the time limit" in texts["timeout"]
    finally:
        jobs.shutdown()


# -- 13. a result written after the server died ---------------------------------------------------------------
def _as_if_killed(folder: Path) -> None:
    """Make a finished run's record read as a server killed while it ran (the worker still wrote its files)."""
    record = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    record.update(status="running", finished=None, progress=0.5, message="simulating")
    (folder / "job.json").write_text(json.dumps(record), encoding="utf-8")


def test_a_result_the_worker_finished_after_a_kill_is_done(geostress_home: Path, tmp_path: Path) -> None:
    with make_client(tmp_path) as c:
        ids = [c.post("/api/runs", json={"spec": QUICK}).json()["id"] for _ in range(2)]
        for run_id in ids:
            assert wait_for(c, run_id, ("done", "failed"))["status"] == "done"
        original = c.get(f"/api/runs/{ids[0]}/result").content
    runs = tmp_path / "service" / "runs"
    for run_id in ids:
        _as_if_killed(runs / run_id)
    late = runs / ids[1] / "result.json"
    late.rename(runs / "held.json")  # the second worker writes its result only after the restart
    with make_client(tmp_path) as c:
        status = c.get(f"/api/runs/{ids[0]}").json()
        assert status["status"] == "done" and "after the server had stopped" in status["message"]
        assert c.get(f"/api/runs/{ids[0]}/result").content == original
        assert c.get(f"/api/runs/{ids[1]}").json()["message"].startswith("interrupted")
        assert c.get(f"/api/runs/{ids[1]}/result").status_code == 409
        (runs / "held.json").rename(late)
        assert c.get(f"/api/runs/{ids[1]}/result").status_code == 200
        assert {r["id"]: r["status"] for r in c.get("/api/runs").json()["runs"]} == dict.fromkeys(ids, "done")
    with make_client(tmp_path) as c:  # and it stays done
        assert c.get(f"/api/runs/{ids[1]}").json()["status"] == "done"


def test_a_torn_or_foreign_result_is_not_adopted(geostress_home: Path, tmp_path: Path) -> None:
    with make_client(tmp_path) as c:
        run_id = c.post("/api/runs", json={"spec": QUICK}).json()["id"]
        assert wait_for(c, run_id, ("done", "failed"))["status"] == "done"
    folder = tmp_path / "service" / "runs" / run_id
    _as_if_killed(folder)
    result = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    (folder / "result.json").write_text(json.dumps({**result, "id": "0" * 32}), encoding="utf-8")
    with make_client(tmp_path) as c:
        assert c.get(f"/api/runs/{run_id}").json()["status"] == "failed"


# -- 2. minerals files with the same name ----------------------------------------------------------------------
def _duplicate_minerals(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = (PRESETS_DIR / "minerals-us-mandate.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^description = .*$", 'description = "my edited copy: 50% allowed at day 180"', text)
    text = re.sub(r"(?m)^schedule = .*$", "schedule = [[180, 0.5]]", text)
    assert "[[180, 0.5]]" in text
    (folder / "my-us-mandate.toml").write_text(text, encoding="utf-8")


def test_minerals_files_declaring_one_name_are_chosen_by_file(geostress_home: Path, tmp_path: Path) -> None:
    from geostress.service import ServiceLimits, create_app

    _duplicate_minerals(tmp_path / "mine")
    app = create_app(service_dir=tmp_path / "service", scenarios_dir=tmp_path / "mine",
                     limits=ServiceLimits(max_workers=1, prewarm=False))
    with TestClient(app) as c:
        listed = [s for s in c.get("/api/minerals/scenarios").json()["scenarios"] if s["name"] == "us-mandate"]
        assert sorted(s["file"] for s in listed) == ["minerals-us-mandate.toml", "my-us-mandate.toml"]
        mine = c.post("/api/minerals", json={"scenario": "my-us-mandate"}).json()
        preset = c.post("/api/minerals", json={"scenario": "minerals-us-mandate"}).json()
        assert mine["file"] == "my-us-mandate.toml" and mine["allowed_china_share_day180"] == 0.5
        assert preset["file"] == "minerals-us-mandate.toml" and preset["allowed_china_share_day180"] == 0.0
        loc, msg = field_error(c.post("/api/minerals", json={"scenario": "us-mandate"}))
        assert loc == ["body", "scenario"] and "minerals-us-mandate" in msg and "my-us-mandate" in msg
        missing = c.post("/api/minerals", json={"scenario": "atlantis"})
        assert missing.status_code == 404
        known = missing.json()["detail"]
        assert "minerals-us-mandate (us-mandate)" in known and "my-us-mandate (us-mandate)" in known
        assert c.post("/api/minerals", json={"scenario": "g7-mandate"}).status_code == 200  # a unique name


def test_binding_nodes_say_how_many_more() -> None:
    from geostress.cli.minerals import list_some

    nodes = [f"sep.{i}" for i in range(25)]
    assert list_some(nodes) == ", ".join(nodes[:6]) + " … and 19 more"
    assert list_some(nodes[:6]) == ", ".join(nodes[:6]) and list_some([]) == "none"


# -- 14. a quiet Ctrl-C ----------------------------------------------------------------------------------------
@pytest.mark.timeout(120)
def test_ctrl_c_stops_the_server_without_tracebacks(geostress_home: Path, tmp_path: Path) -> None:
    geostress_home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, GEOSTRESS_HOME=str(geostress_home), PYTHONUNBUFFERED="1")
    log = tmp_path / "serve.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen([*serve_command(), "serve", "--port", "0", "--service-dir", str(tmp_path / "svc")],
                                stdout=subprocess.PIPE, stderr=err, env=env, cwd=tmp_path, start_new_session=True)
        try:
            assert proc.stdout is not None
            url = re.search(rb"http://[^/]+/", proc.stdout.readline()).group(0).decode()  # type: ignore[union-attr]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # a warm worker is up and idle
                try:
                    run = httpx.post(f"{url}api/runs", json={"spec": QUICK}, timeout=10).json()["id"]
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            while httpx.get(f"{url}api/runs/{run}", timeout=10).json()["status"] not in ("done", "failed"):
                assert time.monotonic() < deadline
                time.sleep(0.1)
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
            proc.wait(60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text and "KeyboardInterrupt" not in text and "idle worker" not in text, text


# -- the dashboard: 2, 4, 5, 6, 15 ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def review_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real service in a uvicorn thread on 127.0.0.1, its scenario folder holding a second "us-mandate"."""
    home = tmp_path_factory.mktemp("review-home")
    env = pytest.MonkeyPatch()
    env.setenv("GEOSTRESS_HOME", str(home))
    from geostress.service import ServiceLimits, create_app

    _duplicate_minerals(home / "mine")
    app = create_app(service_dir=home / "service", scenarios_dir=home / "mine", store_home=home,
                     limits=ServiceLimits(max_paths=2_000, run_timeout_s=120, max_workers=1))
    try:
        yield from served(app, "review-uvicorn")
    finally:
        env.undo()
        shutil.rmtree(home / "service", ignore_errors=True)


@pytest.fixture()
def review(browser: Any, review_url: str) -> Iterator[Session]:
    yield from browser_session(browser, review_url)


def test_dashboard_minerals_runs_the_file_chosen(review: Session) -> None:
    page = review.page
    page.goto(f"{review.base}/")
    page.click("#tab-minerals")
    page.wait_for_selector("#minerals-scenario:not([disabled])")
    page.wait_for_selector("#verdict:not([hidden])")
    options = page.locator("#minerals-scenario option").all_inner_texts()
    assert len(options) == len(set(options))  # duplicate names are told apart
    mine = page.locator('#minerals-scenario option[data-file="my-us-mandate.toml"]')
    assert mine.get_attribute("value") == "my-us-mandate" and "my-us-mandate.toml" in mine.inner_text()
    before = page.inner_text("#verdict")
    page.select_option("#minerals-scenario", "my-us-mandate")
    page.wait_for_function("(b) => document.getElementById('verdict').innerText !== b", arg=before)
    assert "vs 50.0% required" in page.inner_text("#verdict")
    assert "50.0%" in page.inner_text("#verdict").split("Allowed China-origin share")[1].split("\n")[1]
    g7 = page.locator('#minerals-scenario option[data-file="minerals-g7-mandate.toml"]').get_attribute("value")
    before = page.inner_text("#verdict")
    page.select_option("#minerals-scenario", g7)
    page.wait_for_function("(b) => document.getElementById('verdict').innerText !== b", arg=before)
    nodes = httpx.post(f"{review.base}/api/minerals", json={"scenario": g7}, timeout=60).json()["binding_nodes"]
    shown = page.inner_text("[data-testid=binding-nodes]")
    if len(nodes) > 6:
        assert shown.endswith(f"… and {len(nodes) - 6} more")
    review.assert_no_errors()


def test_dashboard_impact_ticks_read_differently(review: Session) -> None:
    open_impact(review)
    for amount, draws in (("5", "200"), ("0.25", "0")):
        query = price(review, amount_bn=amount, draws=draws)
        priced(review, query)
        ticks = review.page.evaluate(
            "() => Array.from(document.querySelectorAll('#chart-impact .ytick text')).map(t => t.textContent)")
        assert len(ticks) >= 2 and len(ticks) == len(set(ticks)), (amount, ticks)
    review.assert_no_errors()


def test_dashboard_headline_short_horizon_and_interest_range(review: Session) -> None:
    page = review.page
    open_scenario(review)
    page.select_option("#preset", "china-sells-300bn")
    page.select_option("#paths", "500")

    def five_years(spec: dict[str, Any]) -> None:
        spec.setdefault("scenario", {})["horizon_years"] = 5

    apply_json(review, five_years)
    run_id = run_and_wait(review, None)
    labels = page.locator("#headline tr td:first-child").all_inner_texts()
    debt_rows = [label for label in labels if label.startswith("Debt/GDP FY") and label.endswith("median")]
    assert len(debt_rows) == 1, labels
    summary = httpx.get(f"{review.base}/api/runs/{run_id}/result", timeout=30).json()["summary"]
    lo, hi = summary["added_net_interest_10y_bn_p05"], summary["added_net_interest_10y_bn_p95"]

    def usd(x: float) -> str:
        return f"{x:,.1f}" if abs(x) < 9.95 else f"{x:,.0f}"

    expected = f"${usd(lo)}–{usd(hi)}bn" if lo >= 0 and hi >= 0 else None
    shown = cell(review, "interest-range", 1)
    if expected is not None:
        assert shown == expected
    review.assert_no_errors()
