"""The FastAPI application: JSON API under ``/api``, the dashboard at ``/`` and its files under ``/static``.

Build it with :func:`create_app`; ``geostress serve`` runs it with uvicorn on loopback. The routes live in
:mod:`geostress.service.routers`, one module per area (data, scenarios, market, runs, minerals, claims, static);
this module wires them to one :class:`~geostress.service.routing.ServiceContext` (store, job manager, limits,
scenario folder, caches), the middleware and the error handlers. Every answer that costs more than a few
milliseconds and changes only when data are imported (catalog, monitor, holders, series, minerals) is cached per
process; scenario runs go to warm worker processes (:class:`~geostress.service.jobs.JobManager`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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
from geostress.service.cache import TTLCache
from geostress.service.jobs import JobManager, QueueFullError, RunStateError, UnknownRunError
from geostress.service.limits import ServiceLimits
from geostress.service.middleware import BodyLimitMiddleware, HostCheckMiddleware, SecurityHeadersMiddleware
from geostress.service.routers import MODULES
from geostress.service.routers.static import STATIC_DIR
from geostress.service.routing import (
    ServiceCaches,
    ServiceContext,
    error_response,
    field_error,
    validation_error_handler,
)

log = logging.getLogger("geostress.service")

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "testserver")
DATA_TTL_S = 300.0
SCENARIO_TTL_S = 10.0

__all__ = ["LOOPBACK_HOSTS", "STATIC_DIR", "create_app"]


def _default_scenarios() -> Path | None:
    folder = Path("scenarios")
    return folder.resolve() if folder.is_dir() else None


def _install_error_handlers(app: FastAPI) -> None:
    """Map the package's errors to 4xx JSON (503 when the store itself cannot be read); validation errors to a
    JSON-safe 422."""

    def detail(status: int, headers: dict[str, str] | None = None) -> Callable[[Request, Exception], Any]:
        async def handler(_: Request, exc: Exception) -> JSONResponse:
            return error_response(str(exc), status, headers)

        return handler

    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(UnknownSeriesError, detail(404))
    app.add_exception_handler(UnknownRunError, detail(404))
    app.add_exception_handler(RunStateError, detail(409))
    app.add_exception_handler(QueueFullError, detail(429, {"Retry-After": "10"}))
    app.add_exception_handler(StoreError, detail(503))
    app.add_exception_handler(SourceUnavailableError, detail(503))

    async def scenario_error(_: Request, exc: Exception) -> JSONResponse:
        return field_error(["body"], str(exc), "scenario_error")

    async def data_error(_: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, VintageError):  # as_of before every vintage the store holds
            return field_error(["query", "as_of"], str(exc), "vintage_error")
        return field_error(["query"], str(exc), "data_error")

    async def other_error(_: Request, exc: Exception) -> JSONResponse:
        return error_response(str(exc), 400)

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
        A folder of the server's own scenario TOML files, offered by ``/api/scenarios`` and
        ``/api/minerals/scenarios`` with the packaged presets (its files shadow presets of the same name; default
        ``./scenarios`` when it exists). A file's kind comes from its content. Clients choose by name only.
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
    caches = ServiceCaches(
        data=TTLCache(DATA_TTL_S, max_entries=512, token=changed),
        scenarios=TTLCache(SCENARIO_TTL_S, max_entries=8),
        minerals=TTLCache(DATA_TTL_S, max_entries=32, token=changed),
        index=TTLCache(DATA_TTL_S, max_entries=4, token=changed),
        results=TTLCache(DATA_TTL_S, max_entries=32),  # finished results never change
        market=TTLCache(DATA_TTL_S, max_entries=64, token=changed),  # holders and vintages by CBO baseline
    )
    ctx = ServiceContext(store, jobs, limits, scenarios, caches,
                         claims_gate=threading.BoundedSemaphore(limits.max_claim_checks))

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
                    "in run results and summaries are fractions (0.045 = 4.5%); series read from the store, yields "
                    "included, are in the units the store holds and each row names (yields in percent: 4.69 = "
                    "4.69%), levels USD bn. Numbers in request bodies must be finite (NaN and Infinity are refused "
                    "with 422).",
    )  # fmt: skip
    app.state.context = ctx
    app.state.jobs = jobs
    app.state.limits = limits
    app.state.store = store
    app.state.scenarios_dir = scenarios
    app.state.caches = caches.all()
    app.add_middleware(BodyLimitMiddleware, max_bytes=limits.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HostCheckMiddleware, allowed=list(allowed_hosts or LOOPBACK_HOSTS))
    _install_error_handlers(app)
    for module in MODULES:
        app.include_router(module.build(ctx))
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
