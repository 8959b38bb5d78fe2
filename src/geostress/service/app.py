"""The FastAPI application: JSON API under ``/api``, the dashboard at ``/`` and its files under ``/static``.

Build it with :func:`create_app`; ``geostress serve`` runs it with uvicorn on loopback. Every answer that costs
more than a few milliseconds and changes only when data are imported (catalog, monitor, holders, series,
minerals) is cached per process for a few minutes; scenario runs go to worker processes
(:class:`~geostress.service.jobs.JobManager`).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from fastapi import Body, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

from geostress import __version__
from geostress.data.store import Store, VintageError, default_home
from geostress.errors import (
    DataError,
    GeostressError,
    ScenarioError,
    SourceUnavailableError,
    StoreError,
    UnknownSeriesError,
)
from geostress.service import schemas as s
from geostress.service import views
from geostress.service.cache import TTLCache
from geostress.service.jobs import JobManager, QueueFullError, RunStateError, UnknownRunError
from geostress.service.limits import ServiceLimits
from geostress.service.middleware import BodyLimitMiddleware, HostCheckMiddleware, SecurityHeadersMiddleware
from geostress.service.payloads import dumps

log = logging.getLogger("geostress.service")
T = TypeVar("T")

STATIC_DIR = Path(__file__).resolve().parent / "static"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "testserver")
DATA_TTL_S = 300.0
SCENARIO_TTL_S = 10.0
JSON = "application/json"

RunId = Annotated[str, PathParam(description="run id (32 hexadecimal digits)")]
E404 = {404: {"model": s.ErrorOut, "description": "Unknown id"}}
E409 = {409: {"model": s.ErrorOut, "description": "Not in a state that allows this"}}
E422 = {422: {"model": s.ValidationErrorOut, "description": "Invalid input; `loc` names the field"}}
E429 = {429: {"model": s.ErrorOut, "description": "The run queue is full"}}
E503 = {503: {"model": s.ErrorOut, "description": "The data store cannot be read"}}
E413 = {413: {"model": s.ErrorOut, "description": "Request body too large"},
        400: {"model": s.ErrorOut, "description": "The body is not UTF-8 JSON"}}


def _plotly_js() -> Path | None:
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


def _default_scenarios() -> Path | None:
    folder = Path("scenarios")
    return folder.resolve() if folder.is_dir() else None


def _missing_dashboard() -> str:
    return ("<!doctype html><html lang=en><head><meta charset=utf-8><title>geostress</title></head><body>"
            "<h1>geostress service</h1><p>The dashboard files are missing from this installation "
            "(geostress/service/static/index.html). The JSON API is at <code>/api</code>; its OpenAPI "
            "description is at <a href=/openapi.json>/openapi.json</a>.</p></body></html>")


def _field_error(loc: list[str | int], msg: str, kind: str) -> JSONResponse:
    return JSONResponse({"detail": [{"loc": loc, "msg": msg, "type": kind}]}, status_code=422)


def _install_error_handlers(app: FastAPI) -> None:
    """Map the package's errors to 4xx JSON (503 when the store itself cannot be read)."""

    def detail(status: int, headers: dict[str, str] | None = None) -> Callable[[Request, Exception], Any]:
        async def handler(_: Request, exc: Exception) -> JSONResponse:
            return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)

        return handler

    app.add_exception_handler(UnknownSeriesError, detail(404))
    app.add_exception_handler(UnknownRunError, detail(404))
    app.add_exception_handler(RunStateError, detail(409))
    app.add_exception_handler(QueueFullError, detail(429, {"Retry-After": "10"}))
    app.add_exception_handler(StoreError, detail(503))
    app.add_exception_handler(SourceUnavailableError, detail(503))

    async def scenario_error(_: Request, exc: Exception) -> JSONResponse:
        return _field_error(["body"], str(exc), "scenario_error")

    async def data_error(_: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, VintageError):  # as_of before every vintage the store holds
            return _field_error(["query", "as_of"], str(exc), "vintage_error")
        return _field_error(["query"], str(exc), "data_error")

    async def other_error(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    app.add_exception_handler(ScenarioError, scenario_error)
    app.add_exception_handler(DataError, data_error)
    app.add_exception_handler(GeostressError, other_error)


def create_app(
    *,
    service_dir: Path | str | None = None,
    scenarios_dir: Path | str | None = None,
    limits: ServiceLimits | None = None,
    store_home: Path | str | None = None,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """Build the geostress web service.

    Parameters
    ----------
    service_dir
        The service's own folder for run records and results (default ``<GEOSTRESS_HOME>/service``).
    scenarios_dir
        Folder of scenario TOML files offered by ``/api/scenarios`` and ``/api/minerals/scenarios``
        (default ``./scenarios`` when it exists). Clients choose files from it by name only.
    limits
        Per-run and per-request limits (:class:`~geostress.service.limits.ServiceLimits`).
    store_home
        ``GEOSTRESS_HOME`` of the observation store (default :func:`~geostress.data.store.default_home`).
    allowed_hosts
        Accepted ``Host`` headers (default: loopback names only, which also defeats DNS rebinding); ``["*"]``
        accepts any.

    Returns
    -------
    fastapi.FastAPI
        The application; ``app.state.jobs`` is its :class:`~geostress.service.jobs.JobManager`.
    """
    home = Path(store_home) if store_home is not None else default_home()
    limits = limits or ServiceLimits()
    folder = Path(service_dir) if service_dir is not None else home / "service"
    scenarios = Path(scenarios_dir).resolve() if scenarios_dir is not None else _default_scenarios()
    jobs = JobManager(folder, limits, home)
    store = Store(home)
    # answers built from the store are dropped as soon as its change token moves (an import in another process)
    changed = store.change_token
    data_cache: TTLCache[bytes] = TTLCache(DATA_TTL_S, max_entries=512, token=changed)
    scenario_cache: TTLCache[Any] = TTLCache(SCENARIO_TTL_S, max_entries=8)
    minerals_cache: TTLCache[bytes] = TTLCache(DATA_TTL_S, max_entries=32, token=changed)
    index_cache: TTLCache[Any] = TTLCache(DATA_TTL_S, max_entries=4, token=changed)
    result_cache: TTLCache[bytes] = TTLCache(DATA_TTL_S, max_entries=32)  # finished results never change
    market_cache: TTLCache[Any] = TTLCache(DATA_TTL_S, max_entries=8, token=changed)  # holders by CBO baseline

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        jobs.start()
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(jobs.shutdown)

    app = FastAPI(
        title="geostress", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
        description="Official data with vintages, the monitor, scenario runs and claim checks. All JSON; ratios "
                    "and yields are fractions (0.045 = 4.5%), levels USD bn.",
    )  # fmt: skip
    app.state.jobs = jobs
    app.state.limits = limits
    app.state.store = store
    app.state.scenarios_dir = scenarios
    app.state.caches = (data_cache, scenario_cache, minerals_cache, index_cache, result_cache, market_cache)
    app.add_middleware(BodyLimitMiddleware, max_bytes=limits.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HostCheckMiddleware, allowed=list(allowed_hosts or LOOPBACK_HOSTS))
    _install_error_handlers(app)

    async def cached(cache: TTLCache[T], key: Any, build: Callable[[], T]) -> T:
        hit = cache.peek(key)
        if hit is not None:
            return hit
        return await anyio.to_thread.run_sync(cache.compute, key, build)

    async def catalog_index() -> dict[str, dict[str, Any]]:
        def build() -> Any:
            return {e["series_id"]: e for e in views.catalog_records(store)}

        return await cached(index_cache, "catalog-index", build)  # type: ignore[no-any-return]

    def raw(body: bytes, status: int = 200) -> Response:
        return Response(body, status_code=status, media_type=JSON)

    # -- data ----------------------------------------------------------------------------------------------
    @app.get("/api/health", response_model=s.Health, tags=["service"])
    async def health() -> Any:
        """Liveness and version."""
        return {"status": "ok", "version": __version__}

    @app.get("/api/catalog", response_model=s.Catalog, responses=E503, tags=["data"])
    async def catalog() -> Any:
        """Every series in the store: label, source, unit, coverage, observation count, latest vintage."""
        return raw(await cached(data_cache, "catalog",
                                lambda: dumps({"series": views.catalog_records(store)})))

    @app.get("/api/series/{series_id}", response_model=s.SeriesOut, responses={**E404, **E503}, tags=["data"])
    async def series(
        series_id: Annotated[str, PathParam(pattern=s.SERIES_ID_PATTERN, description="e.g. tic.mfh.china_mainland")],
        start: Annotated[str | None, Query(max_length=16, description="first period: YYYY, YYYY-MM or YYYY-MM-DD "
                                           "(2013 = from 1 January 2013)")] = None,
        end: Annotated[str | None, Query(max_length=16, description="last period: YYYY, YYYY-MM or YYYY-MM-DD "
                                         "(2013-11 = through 30 November 2013)")] = None,
        as_of: Annotated[str | None, Query(max_length=16, description="only releases on or before this date "
                                           "(2026-03 = by 31 March 2026)")] = None,
    ) -> Any:
        """Observations of one series (each period's latest value released on or before ``as_of``).

        Partial dates mean their whole period, inclusive: ``start=2013-11&end=2013-11`` is November 2013.
        """
        from geostress.data.store import period_bound

        bounds = {}
        for name, text, side in (("start", start, "start"), ("end", end, "end"), ("as_of", as_of, "end")):
            try:
                bounds[name] = period_bound(text, name, side)  # type: ignore[arg-type]
            except DataError as exc:
                return _field_error(["query", name], str(exc), "date_error")
        start_d, end_d, as_of_d = bounds["start"], bounds["end"], bounds["as_of"]
        index = await catalog_index()
        entry = index.get(series_id)
        if entry is None:
            raise UnknownSeriesError(series_id, index)
        key = ("series", series_id, start_d, end_d, as_of_d)
        return raw(await cached(data_cache, key, lambda: dumps(
            views.series_payload(store, entry, start=start_d, end=end_d, as_of=as_of_d))))

    @app.get("/api/monitor", response_model=dict[str, Any], responses={**E422, **E503}, tags=["data"])
    async def monitor() -> Any:
        """The monitor (``geostress monitor --json``): holders, breadth of selling, gold, yields, interest."""
        from geostress.analytics.monitor import build_monitor

        return raw(await cached(data_cache, "monitor", lambda: dumps(build_monitor(store=store))))

    @app.get("/api/holders", response_model=s.Holders, responses=E503, tags=["data"])
    async def holders(top: Annotated[int, Query(ge=1, le=30, description="how many holders")] = 8) -> Any:
        """Monthly TIC holdings (USD bn) of the ``top`` largest foreign holders at the latest month."""
        return raw(await cached(data_cache, ("holders", top), lambda: dumps(views.holders_payload(store, top))))

    # -- scenarios -----------------------------------------------------------------------------------------
    @app.get("/api/scenarios", response_model=s.ScenarioList, tags=["scenarios"])
    async def scenario_list() -> Any:
        """The fiscal and market scenario files of the server's scenarios folder, with their specifications."""
        items = await cached(scenario_cache, "runs", lambda: views.run_scenarios(scenarios))
        return raw(dumps({"scenarios": items}))

    @app.get("/api/minerals/scenarios", response_model=s.MineralsScenarioList, tags=["minerals"])
    async def minerals_list() -> Any:
        """The rare-earth mandate scenario files (``minerals-*.toml``) of the server's scenarios folder."""
        items = await cached(scenario_cache, "minerals", lambda: views.minerals_scenarios(scenarios))
        return raw(dumps({"scenarios": items}))

    @app.post("/api/minerals", response_model=s.MineralsSummary, responses={**E404, **E413}, tags=["minerals"])
    async def minerals_run(request: s.MineralsRequest) -> Any:
        """Run one minerals scenario (deterministic, nominal project dates; about 0.3 s) and return its summary."""
        path = views.find_minerals_file(scenarios, request.scenario)
        if path is None:
            known = ", ".join(e["name"] for e in views.minerals_scenarios(scenarios)) or "none"
            return JSONResponse({"detail": f"no minerals scenario named {request.scenario!r}; known: {known}"},
                                status_code=404)
        key = (path.name, path.stat().st_mtime_ns)
        return raw(await cached(minerals_cache, key, lambda: dumps(views.minerals_payload(path, store))))

    def holders_for_baseline(baseline: str) -> Any:
        return market_cache.compute(baseline, lambda: views.market_holders(store, baseline))

    def check_events(spec: Any) -> str | None:
        """The message of the error the run would fail with for its sales or announcements, else ``None``."""
        from geostress.run.coupled import check_events as check

        try:
            check(spec, holders_for_baseline(spec.scenario.baseline))
        except ScenarioError as exc:
            return str(exc)
        return None

    @app.get("/api/market/sectors", response_model=s.MarketSectors, responses={**E422, **E503}, tags=["scenarios"])
    async def market_sectors(
        baseline: Annotated[str, Query(pattern=r"^cbo:(latest|\d{4}-\d{2})$",
                                       description="CBO vintage the run is calibrated to")] = "cbo:latest",
    ) -> Any:
        """Holder sectors a scenario's sales can name, with their holdings at the run's start (USD bn)."""
        try:
            holders = await anyio.to_thread.run_sync(holders_for_baseline, baseline)
        except ScenarioError as exc:
            return _field_error(["query", "baseline"], str(exc), "scenario_error")
        return raw(dumps(views.market_sectors_payload(holders, baseline)))

    # -- runs ----------------------------------------------------------------------------------------------
    @app.post("/api/runs", status_code=202, response_model=s.RunStatus, responses={**E413, **E429},
              tags=["runs"])
    async def submit_run(request: Annotated[s.RunRequest, Body()]) -> Any:
        """Queue a scenario run (a :class:`~geostress.spec.scenario.ScenarioSpec`; every field optional)."""
        spec = request.spec
        if spec.simulation.paths > limits.max_paths:
            return _field_error(["body", "spec", "simulation", "paths"],
                                f"at most {limits.max_paths:,} paths per run on this server (limit max_paths); "
                                f"got {spec.simulation.paths:,}", "limit_exceeded")
        if spec.scenario.horizon_years > limits.max_horizon_years:
            return _field_error(["body", "spec", "scenario", "horizon_years"],
                                f"at most {limits.max_horizon_years} years per run on this server "
                                f"(limit max_horizon_years); got {spec.scenario.horizon_years}", "limit_exceeded")
        if spec.sales or spec.announcements:
            problem = await anyio.to_thread.run_sync(check_events, spec)
            if problem is not None:
                return _field_error(["body", "spec", "sales" if spec.sales else "announcements"], problem,
                                    "scenario_error")
        status = await anyio.to_thread.run_sync(jobs.submit, spec)
        return JSONResponse(status, status_code=202)

    @app.get("/api/runs", response_model=s.RunList, tags=["runs"])
    async def list_runs() -> Any:
        """Every run this server knows, newest first."""
        return {"runs": jobs.runs()}

    @app.get("/api/runs/{run_id}", response_model=s.RunStatus, responses=E404, tags=["runs"])
    async def run_status(run_id: RunId) -> Any:
        """Status and progress of one run."""
        return jobs.get(run_id)

    @app.get("/api/runs/{run_id}/result", response_model=s.RunResult, responses={**E404, **E409}, tags=["runs"])
    async def run_result(run_id: RunId) -> Any:
        """The result of a finished run: summary, fan charts, the deterministic annual table, the market block."""
        if jobs.get(run_id)["status"] != "done":
            jobs.result_bytes(run_id)  # raises the 409 that says the status
        return raw(await cached(result_cache, run_id, lambda: jobs.result_bytes(run_id)))

    @app.delete("/api/runs/{run_id}", response_model=s.RunStatus, responses={**E404, **E409}, tags=["runs"])
    async def cancel_run(run_id: RunId) -> Any:
        """Cancel a queued or running run (its worker process is stopped)."""
        return await anyio.to_thread.run_sync(jobs.cancel, run_id)

    # -- claims --------------------------------------------------------------------------------------------
    @app.post("/api/claims/check", response_model=s.ClaimsOut, responses=E413, tags=["claims"])
    async def claims_check(request: s.ClaimsRequest) -> Any:
        """Extract the quantities a text states (English or Chinese) and check each against the store."""
        payload = await anyio.to_thread.run_sync(views.claims_payload, request.text, request.lang, store, request.date)
        return raw(dumps(payload))

    # -- dashboard -----------------------------------------------------------------------------------------
    plotly_js = _plotly_js()

    @app.get("/", include_in_schema=False)
    async def dashboard() -> Response:
        index = STATIC_DIR / "index.html"
        if index.is_file():
            return FileResponse(index, media_type="text/html; charset=utf-8",
                                headers={"Cache-Control": "no-cache"})
        return HTMLResponse(_missing_dashboard())

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    async def plotly() -> Response:
        if plotly_js is None:
            return JSONResponse({"detail": "plotly is not installed"}, status_code=404)
        return FileResponse(plotly_js, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=31536000, immutable"})

    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app

