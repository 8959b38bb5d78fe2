"""Market routes: the holder sectors a scenario's sales can name, and the check of a run's sales at submission."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from geostress.errors import ScenarioError
from geostress.service import schemas as s
from geostress.service import views
from geostress.service.payloads import dumps
from geostress.service.routers.responses import E422, E503
from geostress.service.routing import ServiceContext, StrictJSONRoute, field_error, in_thread, raw


def holders_for_baseline(ctx: ServiceContext, baseline: str) -> Any:
    """Holder sectors on the day before a run calibrated to ``baseline`` starts (cached until the store changes)."""
    return ctx.caches.market.compute(baseline, lambda: views.market_holders(ctx.store, baseline))


def check_events(ctx: ServiceContext, spec: Any) -> str | None:
    """The message of the error a run would fail with for its sales or announcements, else ``None``."""
    from geostress.run.coupled import check_events as check

    try:
        check(spec, holders_for_baseline(ctx, spec.scenario.baseline))
    except ScenarioError as exc:
        return str(exc)
    return None


def build(ctx: ServiceContext) -> APIRouter:
    """``GET /api/market/sectors``."""
    router = APIRouter(route_class=StrictJSONRoute, tags=["scenarios"])

    @router.get("/api/market/sectors", response_model=s.MarketSectors, responses={**E422, **E503})
    async def market_sectors(
        baseline: Annotated[str, Query(pattern=r"^cbo:(latest|\d{4}-\d{2})$",
                                       description="CBO vintage the run is calibrated to")] = "cbo:latest",
    ) -> Any:
        """Holder sectors a scenario's sales can name, with their holdings at the run's start (USD bn)."""
        try:
            holders = await in_thread(holders_for_baseline, ctx, baseline)
        except ScenarioError as exc:
            return field_error(["query", "baseline"], str(exc), "scenario_error")
        return raw(dumps(views.market_sectors_payload(holders, baseline)))

    return router
