"""Data routes: health, the catalog, one series, the monitor and the TIC holders' history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi import Path as PathParam

from geostress import __version__
from geostress.errors import DataError, UnknownSeriesError
from geostress.service import schemas as s
from geostress.service import views
from geostress.service.payloads import dumps
from geostress.service.routers.responses import E404, E422, E503
from geostress.service.routing import ServiceContext, StrictJSONRoute, field_error, raw

_DATE = "YYYY, YYYY-MM or YYYY-MM-DD"


def build(ctx: ServiceContext) -> APIRouter:
    """The data routes over ``ctx.store`` (answers cached until the store changes)."""
    router = APIRouter(route_class=StrictJSONRoute, tags=["data"])
    store, caches = ctx.store, ctx.caches

    async def catalog_index() -> dict[str, dict[str, Any]]:
        def index() -> Any:
            return {e["series_id"]: e for e in views.catalog_records(store)}

        return await ctx.cached(caches.index, "catalog-index", index)  # type: ignore[no-any-return]

    @router.get("/api/health", response_model=s.Health, tags=["service"])
    async def health() -> Any:
        """Liveness and version."""
        return {"status": "ok", "version": __version__}

    @router.get("/api/catalog", response_model=s.Catalog, responses=E503)
    async def catalog() -> Any:
        """Every series in the store: label, source, unit, coverage, observation count, latest vintage."""
        return raw(await ctx.cached(caches.data, "catalog",
                                    lambda: dumps({"series": views.catalog_records(store)})))

    @router.get("/api/series/{series_id}", response_model=s.SeriesOut, responses={**E404, **E503})
    async def series(
        series_id: Annotated[str, PathParam(pattern=s.SERIES_ID_PATTERN, description="e.g. tic.mfh.china_mainland")],
        start: Annotated[str | None, Query(max_length=16, description=f"first period: {_DATE} "
                                           "(2013 = from 1 January 2013)")] = None,
        end: Annotated[str | None, Query(max_length=16, description=f"last period: {_DATE} "
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
                return field_error(["query", name], str(exc), "date_error")
        start_d, end_d, as_of_d = bounds["start"], bounds["end"], bounds["as_of"]
        if start_d is not None and end_d is not None and start_d > end_d:
            return field_error(["query", "start"], f"start={start} (from {start_d:%Y-%m-%d}) is after end={end} "
                               f"(through {end_d:%Y-%m-%d}): nothing lies between them; give a start on or before "
                               "the end", "date_error")
        index = await catalog_index()
        entry = index.get(series_id)
        if entry is None:
            raise UnknownSeriesError(series_id, index)
        key = ("series", series_id, start_d, end_d, as_of_d)
        return raw(await ctx.cached(caches.data, key, lambda: dumps(
            views.series_payload(store, entry, start=start_d, end=end_d, as_of=as_of_d))))

    @router.get("/api/monitor", response_model=dict[str, Any], responses={**E422, **E503})
    async def monitor() -> Any:
        """The monitor (``geostress monitor --json``): holders, breadth of selling, gold, yields, interest."""
        from geostress.analytics.monitor import build_monitor

        return raw(await ctx.cached(caches.data, "monitor", lambda: dumps(build_monitor(store=store))))

    @router.get("/api/holders", response_model=s.Holders, responses=E503)
    async def holders(top: Annotated[int, Query(ge=1, le=30, description="how many holders")] = 8) -> Any:
        """Monthly TIC holdings (USD bn) of the ``top`` largest foreign holders at the latest month."""
        return raw(await ctx.cached(caches.data, ("holders", top),
                                    lambda: dumps(views.holders_payload(store, top))))

    return router
