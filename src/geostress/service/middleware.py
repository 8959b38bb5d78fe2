"""ASGI middleware of the service: a request-body size limit and security headers.

Both are plain ASGI callables (no per-request task or thread), so they add microseconds, not milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The dashboard page may load scripts, styles and data from this server only (no CDN, no third party).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``max_bytes`` with 413, by ``Content-Length`` and by counting.

    A body without a (valid) ``Content-Length`` (e.g. chunked) is read here up to the limit and handed on whole,
    so that the application never sees more than ``max_bytes``. An oversized body is read and discarded up to
    :attr:`drain_bytes` before the 413 goes out, so that a client still uploading reads the answer instead of a
    reset connection; beyond that the connection is closed without reading further.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.drain_bytes = max(8 * max_bytes, 8 * 1024 * 1024)

    async def _refuse(self, receive: Receive, send: Send, seen: int, more: bool) -> None:
        while more and seen <= self.drain_bytes:
            message = await receive()
            if message["type"] != "http.request":
                return
            seen += len(message.get("body", b""))
            more = bool(message.get("more_body", False))
        await _send_json(send, 413, f"request body larger than the limit of {self.max_bytes:,} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await _send_json(send, 400, "invalid Content-Length header")
                    return
        if length is not None and length > self.max_bytes:
            if length > self.drain_bytes:
                await _send_json(send, 413, f"request body larger than the limit of {self.max_bytes:,} bytes")
            else:
                await self._refuse(receive, send, 0, True)
            return
        if length == 0 or (length is None and scope.get("method") in ("GET", "HEAD", "OPTIONS")):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            more = bool(message.get("more_body", False))
            if size > self.max_bytes:
                await self._refuse(receive, send, size, more)
                return
            chunks.append(chunk)
            if not more:
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeadersMiddleware:
    """Add ``nosniff``, ``no-referrer`` and frame denial to every response, and a strict CSP to HTML pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                html = any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                if html:
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def host_name(header: str) -> str:
    """The host part of a ``Host`` header: ``[::1]:8000`` → ``::1``, ``LocalHost:80`` → ``localhost``."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else ""
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostCheckMiddleware:
    """Answer 400 to requests whose ``Host`` is not one of ``allowed`` (``"*"``: any).

    A service on loopback is still reachable from a browser page through DNS rebinding (an attacker's name
    resolving to 127.0.0.1); such requests carry the attacker's host name and are refused here.
    """

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.any = "*" in allowed
        self.allowed = {host_name(h) for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), "")
        if host_name(header) in self.allowed:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "http":
            await _send_json(send, 400, "invalid Host header: this service answers to its loopback address only")
