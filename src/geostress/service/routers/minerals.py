"""Minerals routes: the rare-earth mandate scenarios offered to clients and a deterministic run of one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from geostress.service import schemas as s
from geostress.service import views
from geostress.service.payloads import dumps
from geostress.service.routers.responses import E404, E413
from geostress.service.routing import ServiceContext, StrictJSONRoute, error_response, field_error, in_thread, raw


def build(ctx: ServiceContext) -> APIRouter:
    """``GET /api/minerals/scenarios`` and ``POST /api/minerals``."""
    router = APIRouter(route_class=StrictJSONRoute, tags=["minerals"])

    @router.get("/api/minerals/scenarios", response_model=s.MineralsScenarioList)
    async def minerals_list() -> Any:
        """The rare-earth mandate scenarios: the packaged presets and the server's own folder."""
        items = await ctx.cached(ctx.caches.scenarios, "minerals", lambda: views.minerals_scenarios(ctx.scenarios_dir))
        return raw(dumps({"scenarios": items}))

    @router.post("/api/minerals", response_model=s.MineralsSummary, responses={**E404, **E413})
    async def minerals_run(request: s.MineralsRequest) -> Any:
        """Run one minerals scenario, chosen by its id (file stem; a declared name works when only one file declares
        it) (deterministic, nominal project dates; about 0.3 s) and return its summary."""
        found = await in_thread(views.find_minerals_files, ctx.scenarios_dir, request.scenario)
        if not found:
            entries = await in_thread(views.minerals_scenarios, ctx.scenarios_dir)
            known = ", ".join(views.scenario_label(e) for e in entries) or "none"
            return error_response(f"no minerals scenario {request.scenario!r}; known (by id, with the declared "
                                  f"name where it differs): {known}", 404)
        if len(found) > 1:
            files = ", ".join(path.stem for _, path in found)
            return field_error(["body", "scenario"], f"{len(found)} files declare the scenario name "
                               f"{request.scenario!r} ({files}); send the id (file stem) of the one you mean",
                               "ambiguous_name")
        path = found[0][1]
        key = (str(path), path.stat().st_mtime_ns)
        return raw(await ctx.cached(ctx.caches.minerals, key, lambda: dumps(views.minerals_payload(path, ctx.store))))

    return router
