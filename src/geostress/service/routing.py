"""What every router of the service shares: strict JSON bodies, JSON-safe validation errors, the service context.

Strict JSON
    Python's :mod:`json` reads ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON. Every route of the
    service uses :class:`StrictJSONRoute`, whose request body parser refuses them: the client gets a 422 naming
    the literal and where it stands, never a value that cannot be echoed back (that used to be a 500).

Validation errors
    :func:`validation_error_handler` answers every :class:`~fastapi.exceptions.RequestValidationError` with
    ``{"detail": [{"loc", "msg", "type", ...}]}`` made JSON-safe: non-finite numbers become text, echoed inputs
    are kept only when short, so a 200,000-character text over a limit is not sent back whole.

Context
    :class:`ServiceContext` carries what the routers need (store, job manager, limits, scenario folder, caches);
    ``create_app`` builds one and hands it to each router's ``build`` function.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from geostress.data.store import Store
from geostress.service.cache import TTLCache
from geostress.service.jobs import JobManager
from geostress.service.limits import ServiceLimits

T = TypeVar("T")
JSON = "application/json"
#: Echoed inputs longer than this (characters of their JSON text) are left out of a validation error.
MAX_ECHO_CHARS = 200
#: Seconds a claim check waits for a free slot before the answer is 429.
CLAIMS_WAIT_S = 15.0
_NON_FINITE = re.compile(r"(?<=[:\[,])\s*(-?(?:NaN|Infinity))\b")


def _refuse_constant(doc: str) -> Callable[[str], Any]:
    """A ``parse_constant`` hook for :func:`json.loads` that refuses ``NaN``/``Infinity`` (they are not JSON)."""

    def refuse(name: str) -> Any:
        match = _NON_FINITE.search(doc)
        pos = match.start(1) if match is not None else 0
        raise json.JSONDecodeError(f"{name} is not a JSON number: send finite numbers only (non-finite values "
                                   "are refused)", doc, pos)

    return refuse


def strict_loads(body: bytes | str) -> Any:
    """Parse JSON strictly: like :func:`json.loads`, but ``NaN``, ``Infinity`` and ``-Infinity`` are errors.

    Raises
    ------
    json.JSONDecodeError
        For any text that is not JSON, non-finite literals included (the message names the literal).
    """
    text = body.decode("utf-8") if isinstance(body, bytes | bytearray) else body
    return json.loads(text, parse_constant=_refuse_constant(text))


class StrictJSONRequest(Request):
    """A request whose :meth:`json` refuses non-finite numbers (:func:`strict_loads`)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_loads(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """An :class:`~fastapi.routing.APIRoute` that parses request bodies with :class:`StrictJSONRequest`.

    FastAPI turns the :class:`json.JSONDecodeError` raised for ``NaN`` into a 422 (``type = "json_invalid"``,
    ``loc = ["body", position]``) whose ``ctx.error`` names the literal.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler


def json_safe(value: Any, depth: int = 0) -> Any:
    """``value`` with non-finite floats as text (``"NaN"``, ``"Infinity"``) and anything unknown as its ``str``."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ("NaN" if math.isnan(value) else
                                                   ("Infinity" if value > 0 else "-Infinity"))
    if depth > 20:
        return "…"
    if isinstance(value, dict):
        return {str(k): json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v, depth + 1) for v in value]
    return str(value)


def _short(value: Any) -> bool:
    try:
        return len(json.dumps(value, allow_nan=False)) <= MAX_ECHO_CHARS
    except (TypeError, ValueError):
        return False


def safe_errors(errors: Any) -> list[dict[str, Any]]:
    """Validation errors as strict JSON: ``loc``, ``msg``, ``type``, ``ctx``, and ``input`` only when short."""
    out = []
    for err in errors:
        item: dict[str, Any] = {"loc": json_safe(list(err.get("loc", ()))), "msg": str(err.get("msg", "")),
                                "type": str(err.get("type", "value_error"))}
        if "ctx" in err:
            item["ctx"] = json_safe(err["ctx"])
            if item["type"] == "json_invalid" and isinstance(item["ctx"], dict) and item["ctx"].get("error"):
                item["msg"] = f"{item['msg']}: {item['ctx']['error']}"
        if "input" in err:
            echoed = json_safe(err["input"])
            if _short(echoed):
                item["input"] = echoed
        out.append(item)
    return out


async def validation_error_handler(_: Request, exc: Exception) -> JSONResponse:
    """422 with :func:`safe_errors` of a :class:`~fastapi.exceptions.RequestValidationError` (never a 500)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return JSONResponse({"detail": safe_errors(errors)}, status_code=422)


async def in_thread(func: Callable[..., T], *args: Any) -> T:
    """``func(*args)`` in a worker thread (the store keeps one DuckDB connection per thread and closes those of
    finished threads itself, see :mod:`geostress.data.store`)."""
    return await anyio.to_thread.run_sync(func, *args)


def field_error(loc: list[str | int], msg: str, kind: str, status: int = 422) -> JSONResponse:
    """One validation-style error naming the field (``loc``)."""
    return JSONResponse({"detail": [{"loc": loc, "msg": msg, "type": kind}]}, status_code=status)


def raw(body: bytes, status: int = 200) -> Response:
    """Already encoded JSON bytes as a response."""
    return Response(body, status_code=status, media_type=JSON)


@dataclass
class ServiceCaches:
    """The per-process answer caches (see ``docs/service.md``, Performance)."""

    data: TTLCache[bytes]
    scenarios: TTLCache[Any]
    minerals: TTLCache[bytes]
    index: TTLCache[Any]
    results: TTLCache[bytes]
    market: TTLCache[Any]

    def all(self) -> tuple[TTLCache[Any], ...]:
        """Every cache (e.g. to clear them in tests)."""
        return (self.data, self.scenarios, self.minerals, self.index, self.results, self.market)


@dataclass
class ServiceContext:
    """What the routers share: the store, the job manager, the limits, the scenario folder and the caches.

    Attributes
    ----------
    store
        The observation store answers are built from.
    jobs
        The :class:`~geostress.service.jobs.JobManager` running scenario runs.
    limits
        The server's :class:`~geostress.service.limits.ServiceLimits`.
    scenarios_dir
        The server's own scenario folder (``--scenarios``), offered with the packaged presets; ``None``: presets only.
    caches
        The answer caches.
    claims_gate
        Claim checks running at once (``limits.max_claim_checks``); a check that cannot start within
        :data:`CLAIMS_WAIT_S` seconds is a 429.
    """

    store: Store
    jobs: JobManager
    limits: ServiceLimits
    scenarios_dir: Path | None
    caches: ServiceCaches
    claims_gate: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(1))

    async def cached(self, cache: TTLCache[T], key: Hashable, build: Callable[[], T]) -> T:
        """The cached value for ``key``, built in a worker thread when missing (one build per key at a time)."""
        hit = cache.peek(key)
        if hit is not None:
            return hit
        return await in_thread(cache.compute, key, build)
