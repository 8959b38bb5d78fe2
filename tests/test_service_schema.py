"""Property-based API tests generated from the service's own OpenAPI document (schemathesis 4).

Every operation is called with generated inputs; checks: no 5xx, every status code and content type is
documented, and every documented response body matches its schema. Strings may hold NUL bytes and any UTF-8
character (``allow_x00``, ``codec``). Schemathesis only generates JSON, which has no NaN or Infinity, so a second
test draws bodies of every POST operation from the same document and puts non-finite numbers into them (at a
number, at any other value, or as the whole body), as a client writing with ``allow_nan`` would: each is a 422.
Runs are kept tiny (at most 16 paths, one worker, a short queue and time limit), so most generated submissions
are refused with 422 or 429 by design.

The app is built when the module is imported (schemathesis reads the schema then), on a temporary
GEOSTRESS_HOME of its own; ``schemathesis.pytest.from_fixture`` would avoid that but does not work with pytest 9.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from geostress.spec.presets import PRESETS_DIR
from geostress.service import ServiceLimits, create_app

REPO = Path(__file__).resolve().parents[1]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HOME = Path(tempfile.mkdtemp(prefix="geostress-schema-"))
LIMITS = ServiceLimits(max_paths=16, max_horizon_years=50, run_timeout_s=20.0, max_queued=1, max_workers=1,
                       max_body_bytes=300_000, prewarm=False)
APP = create_app(service_dir=HOME / "service", scenarios_dir=PRESETS_DIR, store_home=HOME, limits=LIMITS)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.generation.update(allow_x00=True, codec="utf-8")
POST_OPERATIONS = ["/api/runs", "/api/claims/check", "/api/minerals"]
NON_FINITE = [math.nan, math.inf, -math.inf]

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette: "use httpx2" (the suite pins httpx)
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module", autouse=True)
def _stop_workers() -> Iterator[None]:
    yield
    APP.state.jobs.shutdown()
    shutil.rmtree(HOME, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_conforms_to_its_openapi(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


def _slots(value: object, path: tuple[object, ...] = ()) -> list[tuple[tuple[object, ...], bool]]:
    """Every place in a JSON value (its path, and whether a number stands there)."""
    out = [(path, isinstance(value, int | float) and not isinstance(value, bool))]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _slots(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _slots(item, (*path, index))
    return out


def _put(value: object, path: tuple[object, ...], new: float) -> object:
    if not path:
        return new
    head, *rest = path
    if isinstance(value, dict):
        return {**value, head: _put(value[head], tuple(rest), new)}
    assert isinstance(value, list) and isinstance(head, int)
    return [_put(item, tuple(rest), new) if i == head else item for i, item in enumerate(value)]


@pytest.mark.parametrize("path", POST_OPERATIONS)
def test_non_finite_numbers_anywhere_are_422(path: str) -> None:
    operation = schema[path]["POST"]

    @given(case=operation.as_strategy(), data=st.data())
    @settings(max_examples=30, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    def check(case: schemathesis.Case, data: st.DataObject) -> None:
        body = case.body if isinstance(case.body, dict | list) else {}
        slots = _slots(body)
        numbers = [p for p, is_number in slots if is_number]
        where = data.draw(st.sampled_from(numbers) if numbers and data.draw(st.booleans()) else
                          st.sampled_from([p for p, _ in slots]))
        sent = json.dumps(_put(body, where, data.draw(st.sampled_from(NON_FINITE))), allow_nan=True)
        response = client.post(path, content=sent, headers={"content-type": "application/json"})
        assert response.status_code == 422, (sent[:300], response.status_code, response.text[:300])
        detail = json.loads(response.text, parse_constant=lambda name: pytest.fail(f"{name} in the answer"))
        assert detail["detail"][0]["type"] == "json_invalid" and "not a JSON number" in detail["detail"][0]["msg"]

    with TestClient(APP) as client:
        check()


def test_openapi_names_every_route() -> None:
    paths = set(schema.raw_schema["paths"]) if hasattr(schema, "raw_schema") else set()
    expected = {"/api/health", "/api/catalog", "/api/series/{series_id}", "/api/monitor", "/api/holders",
                "/api/scenarios", "/api/minerals/scenarios", "/api/minerals", "/api/runs", "/api/runs/{run_id}",
                "/api/runs/{run_id}/result", "/api/claims/check", "/api/market/sectors", "/api/market/impact"}
    assert expected <= paths


def test_real_run_responses_match_the_schema() -> None:
    """Generated ids never hit a finished run: check a real status and result against the document."""
    import time
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette: "use httpx2" (the suite pins httpx)
        from fastapi.testclient import TestClient

    spec = {"scenario": {"name": "schema-check", "horizon_years": 5}, "simulation": {"paths": 16},
            "sales": [{"holder": "japan_official", "amount_bn": 50, "months": 3}]}
    with TestClient(APP) as client:
        submitted = client.post("/api/runs", json={"spec": spec})
        while submitted.status_code == 429:  # a generated run may still hold the only worker
            time.sleep(0.2)
            submitted = client.post("/api/runs", json={"spec": spec})
        schema.find_operation_by_label("POST /api/runs").validate_response(submitted)
        run_id = submitted.json()["id"]
        deadline = time.monotonic() + 60
        while (status := client.get(f"/api/runs/{run_id}")).json()["status"] in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert status.json()["status"] == "done", status.json()
        schema.find_operation_by_label("GET /api/runs/{run_id}").validate_response(status)
        result = client.get(f"/api/runs/{run_id}/result")
        assert result.json()["market"] is not None
        schema.find_operation_by_label("GET /api/runs/{run_id}/result").validate_response(result)
        listing = client.get("/api/runs")
        schema.find_operation_by_label("GET /api/runs").validate_response(listing)
