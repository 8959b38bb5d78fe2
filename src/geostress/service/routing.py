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
from fastapi.dependencies.utils import field_annotation_is_sequence
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
#: A quoted text (``'…'`` or ``"…"``, as Python's ``repr`` writes one) in an error message: every one is matched,
#: short ones too, so that the closing quote of one is never read as the opening quote of the next (the text between
#: two quoted items is not a quoted item); a quote inside a word (``holder's``) neither opens nor closes one.
#: :func:`bound_echo` shortens those longer than :data:`MAX_ECHO_CHARS` (an echoed input).
_QUOTED = re.compile(r"(?<![\w'\"\\])(?:'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\")(?!\w)")
_SURROGATE = re.compile("[\ud800-\udfff]")
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
    """Parse JSON strictly: like :func:`json.loads`, but ``NaN``, ``Infinity`` and ``-Infinity`` are errors, and
    so is nesting deeper than Python's parser can follow (thousands of ``[`` or ``{``).

    Raises
    ------
    json.JSONDecodeError
        For any text that is not JSON, non-finite literals and too-deep nesting included (the message says which).
    """
    text = body.decode("utf-8") if isinstance(body, bytes | bytearray) else body
    try:
        return json.loads(text, parse_constant=_refuse_constant(text))
    except RecursionError:
        raise json.JSONDecodeError("arrays and objects nested too deeply to read (no request of this service "
                                   "needs more than a few levels)", text, 0) from None


class StrictJSONRequest(Request):
    """A request whose :meth:`json` refuses non-finite numbers (:func:`strict_loads`)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_loads(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """An :class:`~fastapi.routing.APIRoute` that parses request bodies with :class:`StrictJSONRequest` and refuses
    query parameters the endpoint does not take, or one it takes once given twice (:meth:`query_problem`).

    FastAPI turns the :class:`json.JSONDecodeError` raised for ``NaN`` into a 422 (``type = "json_invalid"``,
    ``loc = ["body", position]``) whose ``ctx.error`` names the literal. FastAPI itself ignores an unknown query
    parameter (``bogus=1``, a misspelt ``amount=10``: the answer would be for the default) and reads the last of
    repeated ones (``holder=china&holder=japan``): both would answer a question other than the one asked.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        takes = self.query_names()

        async def strict_handler(request: Request) -> Response:
            problem = query_problem(request, takes)
            if problem is not None:
                raise RequestValidationError([problem])
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler

    def query_names(self) -> dict[str, bool]:
        """The query parameters this endpoint takes (its own and its dependencies'), each with whether it may
        repeat (a list)."""
        names: dict[str, bool] = {}
        stack = [self.dependant]
        while stack:
            dependant = stack.pop()
            for param in dependant.query_params:
                names[param.alias] = field_annotation_is_sequence(param.field_info.annotation)
            stack.extend(dependant.dependencies)
        return names


def query_problem(request: Request, takes: dict[str, bool]) -> dict[str, Any] | None:
    """The validation error of the first query parameter of ``request`` the endpoint does not take (``takes``:
    :meth:`StrictJSONRoute.query_names`), or of one given more than once that does not repeat; None when all
    fit."""
    for name in dict.fromkeys(request.query_params.keys()):
        if name not in takes:
            listed = ", ".join(sorted(takes)) if takes else "none"
            return {"type": "extra_forbidden", "loc": ["query", name], "input": request.query_params[name],
                    "msg": f"this endpoint takes no query parameter {name!r} (it takes: {listed}); check the "
                           "spelling or leave it out"}
        if not takes[name] and len(request.query_params.getlist(name)) > 1:
            return {"type": "repeated", "loc": ["query", name], "input": request.query_params.getlist(name),
                    "msg": f"{name!r} is given more than once; give it once"}
    return None


def clean_text(text: str) -> str:
    """``text`` that UTF-8 can encode: a lone surrogate (``\\ud800``, which JSON escapes may carry but UTF-8
    cannot) becomes the six characters of its escape."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def bound_echo(text: str) -> str:
    """``text`` with every quoted part longer than :data:`MAX_ECHO_CHARS` characters (an echoed input, such as an
    unknown holder's name) cut to its first 40 characters and its length: an error never sends a long input back."""

    def shorten(match: re.Match[str]) -> str:
        quote = match.group(0)[0]
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        if len(inner) < MAX_ECHO_CHARS:
            return match.group(0)
        return f"{quote}{inner[:40]}…{quote} ({len(inner):,} characters)"

    if len(text) <= MAX_ECHO_CHARS:
        return clean_text(text)
    return clean_text(_QUOTED.sub(shorten, text))


def json_safe(value: Any, depth: int = 0) -> Any:
    """``value`` with non-finite floats as text (``"NaN"``, ``"Infinity"``), lone surrogates in text escaped
    (:func:`clean_text`) and anything unknown as its ``str``."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ("NaN" if math.isnan(value) else
                                                   ("Infinity" if value > 0 else "-Infinity"))
    if depth > 20:
        return "…"
    if isinstance(value, dict):
        return {clean_text(str(k)): json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v, depth + 1) for v in value]
    return clean_text(str(value))


def _short(value: Any) -> bool:
    try:
        return len(json.dumps(value, allow_nan=False)) <= MAX_ECHO_CHARS
    except (TypeError, ValueError):
        return False


def safe_errors(errors: Any) -> list[dict[str, Any]]:
    """Validation errors as strict JSON: ``loc``, ``msg``, ``type``, ``ctx``, and ``input`` only when short."""
    out = []
    for err in errors:
        item: dict[str, Any] = {"loc": json_safe(list(err.get("loc", ()))), "msg": bound_echo(str(err.get("msg", ""))),
                                "type": clean_text(str(err.get("type", "value_error")))}
        if "ctx" in err:
            item["ctx"] = json_safe(err["ctx"])
            if item["type"] == "json_invalid" and isinstance(item["ctx"], dict) and item["ctx"].get("error"):
                item["msg"] = bound_echo(f"{item['msg']}: {item['ctx']['error']}")
        if "input" in err:
            echoed = json_safe(err["input"])
            if _short(echoed):
                item["input"] = echoed
        out.append(item)
    return out


class ErrorResponse(JSONResponse):
    """A JSON error answer that never fails to encode: its content passes through :func:`json_safe` (lone
    surrogates escaped, non-finite numbers as text) and every text through :func:`bound_echo`."""

    def render(self, content: Any) -> bytes:
        return json.dumps(_bounded(json_safe(content)), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")


def _bounded(value: Any) -> Any:
    if isinstance(value, str):
        return bound_echo(value)
    if isinstance(value, dict):
        return {k: _bounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_bounded(v) for v in value]
    return value


def error_response(detail: Any, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    """``{"detail": detail}`` as an :class:`ErrorResponse`."""
    return ErrorResponse({"detail": detail}, status_code=status, headers=headers)


async def validation_error_handler(_: Request, exc: Exception) -> JSONResponse:
    """422 with :func:`safe_errors` of a :class:`~fastapi.exceptions.RequestValidationError` (never a 500)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return error_response(safe_errors(errors), 422)


async def in_thread(func: Callable[..., T], *args: Any) -> T:
    """``func(*args)`` in a worker thread (the store keeps one DuckDB connection per thread and closes those of
    finished threads itself, see :mod:`geostress.data.store`)."""
    return await anyio.to_thread.run_sync(func, *args)


def field_error(loc: list[str | int], msg: str, kind: str, status: int = 422) -> JSONResponse:
    """One validation-style error naming the field (``loc``); its message safe to encode and its echoes bounded."""
    return error_response([{"loc": loc, "msg": msg, "type": kind}], status)


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
