"""One-line JSON errors and the request limits enforced before a handler runs.

Every error a client sees is ``{"error": "<one line>", "status": N}`` with the matching HTTP
status: 400 malformed request, 401 no or unknown token, 403 token without the role or writes
disabled, 404 unknown path or id, 405 method, 406 no acceptable format, 413 body or document count
too large, 422 well-formed but invalid parameters, 429 too many requests, 503 busy or timed out.
Stack traces go to the server log, never to the client.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("eventwire.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_body(status: int, message: str) -> bytes:
    return orjson.dumps({"error": " ".join(message.split()), "status": status})


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(status, message), status_code=status, media_type="application/json", headers=headers)


def _where(loc: tuple[Any, ...]) -> str:
    parts = [str(x) for x in loc if x not in ("query", "path", "body", "header")]
    kind = loc[0] if loc else ""
    name = ".".join(parts) or "request"
    return f"{kind} parameter {name!r}" if kind in ("query", "path", "header") else name


def validation_message(exc: RequestValidationError) -> tuple[int, str]:
    """The status and one line for FastAPI's validation errors (the first one, and how many
    more there are); a body that is not JSON is a 400."""
    errors = list(exc.errors())
    if not errors:
        return 422, "invalid request"
    first = errors[0]
    if first.get("type") == "json_invalid":
        return 400, f"request body is not valid JSON ({first.get('ctx', {}).get('error', 'parse error')})"
    msg = f"{_where(tuple(first.get('loc', ())))}: {first.get('msg', 'invalid')}"
    if first.get("input") is not None and isinstance(first.get("input"), str | int | float):
        msg += f" (got {str(first['input'])[:60]!r})"
    if len(errors) > 1:
        msg += f"; and {len(errors) - 1} more problem(s)"
    return 422, msg


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        status, message = validation_message(exc)
        return error_response(status, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        elif exc.status_code == 405:
            message = f"method {request.method} not allowed on {request.url.path}"
        return error_response(exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        ref = uuid.uuid4().hex[:12]
        log.error("internal error %s on %s %s", ref, request.method, request.url.path, exc_info=exc)
        return error_response(500, f"internal error (reference {ref} in the server log)")


class BodyLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` with 413: at once when Content-Length says so,
    else as soon as the streamed body passes the limit (nothing more is read)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = f"request body larger than {self.max_bytes} bytes"
        for key, value in scope.get("headers") or ():
            if key == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await _send_error(send, 400, "Content-Length is not a number")
                    return
                if length > self.max_bytes:
                    await _send_error(send, 413, too_big)
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _send_error(send, 413, too_big)


class _BodyTooLarge(Exception):
    pass


class RateLimitMiddleware:
    """A token bucket per client address for ``/api/`` paths: ``rate`` requests a second,
    bursts of ``burst``; over it, 429 with Retry-After.  ``rate`` 0 switches it off."""

    def __init__(self, app: ASGIApp, rate: float, burst: int, max_clients: int = 10_000) -> None:
        self.app = app
        self.rate = rate
        self.burst = max(1, burst)
        self.max_clients = max_clients
        self.buckets: dict[str, tuple[float, float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.rate <= 0 or not str(scope.get("path", "")).startswith("/api/"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        now = time.monotonic()
        tokens, last = self.buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens < 1.0:
            wait = math.ceil((1.0 - tokens) / self.rate)
            self.buckets[client] = (tokens, now)
            await _send_error(send, 429, f"too many requests from {client}: at most {self.rate:g} a second",
                              {"retry-after": str(wait)})  # fmt: skip
            return
        if len(self.buckets) >= self.max_clients and client not in self.buckets:
            self.buckets.clear()  # bounded memory: forget everyone rather than grow
        self.buckets[client] = (tokens - 1.0, now)
        await self.app(scope, receive, send)


async def _send_error(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    body = error_body(status, message)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
