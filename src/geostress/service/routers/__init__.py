"""The service's routes, one module per area; each module's ``build(ctx)`` returns its :class:`fastapi.APIRouter`.

``data`` (health, catalog, series, monitor, holders), ``scenarios`` (the scenario files offered to clients),
``market`` (holder sectors a sale can name), ``runs`` (submit, list, status, result, cancel), ``minerals``,
``claims`` and ``static`` (the dashboard page and its files). Every router uses
:class:`~geostress.service.routing.StrictJSONRoute`, so no body with ``NaN`` or ``Infinity`` reaches a model.
"""

from __future__ import annotations

from geostress.service.routers import claims, data, market, minerals, runs, scenarios, static

#: The routers in the order their routes appear in the OpenAPI document.
MODULES = (data, scenarios, market, runs, minerals, claims, static)

__all__ = ["MODULES"]
