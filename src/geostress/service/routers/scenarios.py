"""Scenario routes: the fiscal and market scenarios offered to clients (packaged presets plus the server's folder)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from geostress.service import schemas as s
from geostress.service import views
from geostress.service.payloads import dumps
from geostress.service.routing import ServiceContext, StrictJSONRoute, raw


def build(ctx: ServiceContext) -> APIRouter:
    """``GET /api/scenarios``."""
    router = APIRouter(route_class=StrictJSONRoute, tags=["scenarios"])

    @router.get("/api/scenarios", response_model=s.ScenarioList)
    async def scenario_list() -> Any:
        """The fiscal and market scenarios: the packaged presets and the server's own folder, with their specs."""
        items = await ctx.cached(ctx.caches.scenarios, "runs", lambda: views.run_scenarios(ctx.scenarios_dir))
        return raw(dumps({"scenarios": items}))

    return router
