"""Run routes: submit a scenario run, list runs, read a run's status and result, cancel it."""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Body
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from geostress.service import schemas as s
from geostress.service.routers.market import baseline_problem, events_problem, pinned_problem
from geostress.service.routers.responses import E404, E409, E413, E429
from geostress.service.routing import ServiceContext, StrictJSONRoute, field_error, in_thread, raw

RunId = Annotated[str, PathParam(description="run id (32 hexadecimal digits)")]


#: The name of a run whose spec changes something (sales, a market or fiscal setting) but states no name.
UNNAMED_RUN = "custom"


def build(ctx: ServiceContext) -> APIRouter:
    """The run routes over ``ctx.jobs``."""
    router = APIRouter(route_class=StrictJSONRoute, tags=["runs"])
    jobs, limits = ctx.jobs, ctx.limits

    @router.post("/api/runs", status_code=202, response_model=s.RunStatus, responses={**E413, **E429})
    async def submit_run(request: Annotated[s.RunRequest, Body()]) -> Any:
        """Queue a scenario run (a :class:`~geostress.spec.scenario.ScenarioSpec`; every field optional)."""
        spec = request.spec
        if "name" not in spec.scenario.model_fields_set and spec.model_fields_set - {"simulation", "scenario"}:
            # a spec with events or settings but no name is not the baseline its default name says ("custom")
            spec = spec.with_overrides(**{"scenario.name": UNNAMED_RUN})
        if spec.simulation.paths > limits.max_paths:
            return field_error(["body", "spec", "simulation", "paths"],
                               f"at most {limits.max_paths:,} paths per run on this server (limit max_paths); "
                               f"got {spec.simulation.paths:,}", "limit_exceeded")
        if spec.scenario.horizon_years > limits.max_horizon_years:
            return field_error(["body", "spec", "scenario", "horizon_years"],
                               f"at most {limits.max_horizon_years} years per run on this server "
                               f"(limit max_horizon_years); got {spec.scenario.horizon_years}", "limit_exceeded")
        if spec.scenario.data_as_of is not None:  # checked on the data of that day
            pinned = await in_thread(pinned_problem, ctx, spec)
            if pinned is not None:
                return field_error(pinned[0], pinned[1], "scenario_error")
            status = await anyio.to_thread.run_sync(jobs.submit, spec)
            return JSONResponse(status, status_code=202)
        problem = await in_thread(baseline_problem, ctx, spec.scenario.baseline, spec.coupled)
        if problem is not None:
            return field_error(["body", "spec", "scenario", "baseline"], problem, "scenario_error")
        if spec.sales or spec.announcements:
            events = await in_thread(events_problem, ctx, spec)
            if events is not None:
                return field_error(events[0], events[1], "scenario_error")
        status = await anyio.to_thread.run_sync(jobs.submit, spec)
        return JSONResponse(status, status_code=202)

    @router.get("/api/runs", response_model=s.RunList)
    async def list_runs() -> Any:
        """Every run this server knows, newest first."""
        return {"runs": jobs.runs()}

    @router.get("/api/runs/{run_id}", response_model=s.RunStatus, responses=E404)
    async def run_status(run_id: RunId) -> Any:
        """Status and progress of one run."""
        return jobs.get(run_id)

    @router.get("/api/runs/{run_id}/result", response_model=s.RunResult, responses={**E404, **E409})
    async def run_result(run_id: RunId) -> Any:
        """The result of a finished run: summary, fan charts, the deterministic annual table, the market block."""
        if jobs.get(run_id)["status"] != "done":
            jobs.result_bytes(run_id)  # raises the 409 that says the status
        return raw(await ctx.cached(ctx.caches.results, run_id, lambda: jobs.result_bytes(run_id)))

    @router.delete("/api/runs/{run_id}", response_model=s.RunStatus, responses={**E404, **E409})
    async def cancel_run(run_id: RunId) -> Any:
        """Cancel a queued or running run (its worker process is stopped and replaced)."""
        return await anyio.to_thread.run_sync(jobs.cancel, run_id)

    return router
