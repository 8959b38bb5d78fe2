"""The geostress web service: a FastAPI app (JSON API, OpenAPI at ``/openapi.json``) and the dashboard.

``create_app(...)`` builds it; ``geostress serve`` runs it on loopback. See ``docs/service.md``.
"""

from __future__ import annotations

from geostress.service.app import create_app
from geostress.service.limits import ServiceLimits

__all__ = ["ServiceLimits", "create_app"]
