"""Static routes: the dashboard page, plotly.js from the installed ``plotly`` package, and the dashboard's files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from geostress.service.routing import ServiceContext, StrictJSONRoute

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def plotly_js() -> Path | None:
    """``plotly.min.js`` of the installed ``plotly`` package, if any."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


def missing_dashboard() -> str:
    """The page served when the dashboard files are not installed."""
    return ("<!doctype html><html lang=en><head><meta charset=utf-8><title>geostress</title></head><body>"
            "<h1>geostress service</h1><p>The dashboard files are missing from this installation "
            "(geostress/service/static/index.html). The JSON API is at <code>/api</code>; its OpenAPI "
            "description is at <a href=/openapi.json>/openapi.json</a>.</p></body></html>")


def build(ctx: ServiceContext) -> APIRouter:
    """``/`` and ``/static/vendor/plotly.min.js`` (the other files under ``/static`` are mounted by the app)."""
    del ctx  # the dashboard needs nothing from the service's state
    router = APIRouter(route_class=StrictJSONRoute, include_in_schema=False)
    vendor = plotly_js()

    @router.get("/")
    async def dashboard() -> Response:
        index = STATIC_DIR / "index.html"
        if index.is_file():
            return FileResponse(index, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})
        return HTMLResponse(missing_dashboard())

    @router.get("/static/vendor/plotly.min.js")
    async def plotly() -> Response:
        if vendor is None:
            return JSONResponse({"detail": "plotly is not installed"}, status_code=404)
        return FileResponse(vendor, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=31536000, immutable"})

    return router
