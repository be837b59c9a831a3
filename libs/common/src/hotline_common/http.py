"""FastAPI plumbing: domain errors as HTTP statuses (422 names the field), health endpoints,
request logs without URLs' query strings, tracing, and the security headers and CSRF/origin check
of every response (hotline_common.web.security). (The principal and the page kit: hotline_common.web.)"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hotline_common.errors import DomainError, InvalidInput, Unauthenticated, problems_body
from hotline_common.web.inputs import JsonTextGuard
from hotline_common.web.security import SecurityMiddleware

log = logging.getLogger("hotline.http")


health = APIRouter(include_in_schema=False)


@health.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "alive"}


@health.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    checks = await request.app.state.readiness()
    ready = all(checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


def create_app(
    title: str, readiness: Callable[[], Awaitable[dict[str, bool]]], *, service: str = "", https: bool = False
) -> FastAPI:
    """`service` keys the pages' CSRF tokens (a token of one service is none of another's);
    `https`: the service is served over https (its own origin is https://host)."""
    app = FastAPI(title=title, docs_url="/docs", openapi_url="/openapi.json")
    app.state.service_name = service

    @app.exception_handler(DomainError)
    async def on_domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        if isinstance(exc, InvalidInput):
            return JSONResponse(problems_body(exc), status_code=exc.http_status)  # 422, or 413 for an upload
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
        return JSONResponse({"detail": exc.message}, status_code=exc.http_status, headers=headers)

    @app.exception_handler(ValidationError)
    async def on_validation_error(_request: Request, exc: ValidationError) -> JSONResponse:
        return JSONResponse(problems_body(InvalidInput.from_pydantic(exc)), status_code=422)

    app.state.readiness = readiness
    app.include_router(health)

    app.add_middleware(JsonTextGuard)  # inside the CSRF check: a refused request is not read further
    app.add_middleware(SecurityMiddleware, service=service, https=https)
    app.add_middleware(RequestLog)
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz")
    return app


class RequestLog:
    """One log line per request with the route template (never the URL: query strings may carry
    search terms). Plain ASGI: BaseHTTPMiddleware costs a task and a stream per request."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/healthz", "/readyz"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = scope.get("route")
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": getattr(route, "path", "unmatched"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
