"""Minerals routes: the rare-earth mandate scenarios offered to clients and a deterministic run of one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from geostress.service import schemas as s
from geostress.service import views
from geostress.service.payloads import dumps
from geostress.service.routers.responses import E404, E413
from geostress.service.routing import ServiceContext, StrictJSONRoute, raw


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
        """Run one minerals scenario (deterministic, nominal project dates; about 0.3 s) and return its summary."""
        path = views.find_minerals_file(ctx.scenarios_dir, request.scenario)
        if path is None:
            known = ", ".join(e["name"] for e in views.minerals_scenarios(ctx.scenarios_dir)) or "none"
            return JSONResponse({"detail": f"no minerals scenario named {request.scenario!r}; known: {known}"},
                                status_code=404)
        key = (str(path), path.stat().st_mtime_ns)
        return raw(await ctx.cached(ctx.caches.minerals, key, lambda: dumps(views.minerals_payload(path, ctx.store))))

    return router
