"""Typed FastAPI dependencies. Handlers declare what they need (`principal: CurrentPrincipal`,
`db: Db`); the runtime that provides it is the one built at start (`app.state.runtime`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from fastapi import Depends, Request

from hotline_common.auth import SESSION_COOKIE, Permission, Principal, require, token_from_header
from hotline_common.db import Database
from hotline_common.errors import Unauthenticated

if TYPE_CHECKING:
    from hotline_common.runtime import ServiceRuntime

R = TypeVar("R", bound="ServiceRuntime[Any]")


def runtime_of(request: Request) -> ServiceRuntime[Any]:
    runtime: ServiceRuntime[Any] = request.app.state.runtime
    return runtime


def typed_runtime(kind: type[R]) -> Callable[[Request], R]:
    """A dependency giving a service its own runtime class, typed."""

    def dependency(request: Request) -> R:
        runtime = request.app.state.runtime
        if not isinstance(runtime, kind):
            raise TypeError(f"the app's runtime is a {type(runtime).__name__}, not a {kind.__name__}")
        return runtime

    return dependency


def presented_token(request: Request) -> str | None:
    """A bearer token, or the pages' session cookie."""
    return token_from_header(request.headers.get("authorization")) or request.cookies.get(SESSION_COOKIE)


async def current_principal(request: Request) -> Principal:
    token = presented_token(request)
    if not token:
        raise Unauthenticated("sign in first: bearer token or session cookie required")
    return await runtime_of(request).verifier.verify(token)


def database(request: Request) -> Database:
    return runtime_of(request).db


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
Db = Annotated[Database, Depends(database)]


def permitted(permission: Permission) -> Callable[[Principal], Awaitable[Principal]]:
    """A route's gate: the principal, refused (403) unless it holds `permission`, before the body is
    validated, so a refused caller never learns the body's rules from a 422. The service's own check
    stays: this only answers first."""

    async def gate(principal: CurrentPrincipal) -> Principal:
        return require(principal, permission)

    return gate
