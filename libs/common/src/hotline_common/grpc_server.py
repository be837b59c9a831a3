"""gRPC plumbing: an aio server with the standard health service and reflection, domain errors
mapped to status codes, the caller of a method (a user, or a service - see service_identity), and
channels for calling other services.

Every method needs a credential; only health and reflection answer without one: probes and
tooling use them, and they reveal which methods exist, never data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any, TypeVar, cast

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from pydantic import ValidationError

from hotline_common.auth import Principal, TokenVerifier
from hotline_common.errors import DependencyUnavailable, DomainError, InvalidInput
from hotline_common.service_identity import Caller, Metadata, ServiceTokens, call_metadata, caller_from_metadata

Request = TypeVar("Request")
Response = TypeVar("Response")


class DomainErrorInterceptor(grpc.aio.ServerInterceptor):
    """Turns the domain errors of service.py into gRPC statuses, the same way for every method."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Request, Response] | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Request, Response] | None:
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        # grpc-stubs type method handlers as the sync API's; under grpc.aio they are coroutines.
        inner = cast(
            Callable[[Request, grpc.aio.ServicerContext[Request, Response]], Awaitable[Response]], handler.unary_unary
        )

        async def unary(request: Request, context: grpc.aio.ServicerContext[Request, Response]) -> Response:
            try:
                return await inner(request, context)
            except ValidationError as exc:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, InvalidInput.from_pydantic(exc).message)
            except DomainError as exc:
                await context.abort(getattr(grpc.StatusCode, exc.grpc_code_name), exc.message)

        return grpc.unary_unary_rpc_method_handler(
            unary,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


# (add_XServicer_to_server, servicer, full service name)
Registration = tuple[Callable[[Any, grpc.aio.Server], None], object, str]


def build_grpc_server(
    host: str,
    port: int,
    registrations: list[Registration],
) -> tuple[grpc.aio.Server, health.aio.HealthServicer, list[str]]:
    server = grpc.aio.server(interceptors=[DomainErrorInterceptor()], options=[("grpc.so_reuseport", 0)])
    names: list[str] = []
    for add, servicer, name in registrations:
        add(servicer, server)
        names.append(name)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names += [health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME]
    reflection.enable_server_reflection(names, server)
    server.add_insecure_port(f"{host}:{port}")
    return server, health_servicer, names


async def caller_from_context(context: grpc.aio.ServicerContext[Request, Response], verifier: TokenVerifier) -> Caller:
    """Who calls: a user with their token, or a service with its own (and the user's it acts for)."""
    return await caller_from_metadata(dict(context.invocation_metadata() or ()), verifier)


async def principal_from_context(
    context: grpc.aio.ServicerContext[Request, Response], verifier: TokenVerifier
) -> Principal:
    """For user-facing methods: the user, calling directly or through a service acting for them."""
    return (await caller_from_context(context, verifier)).principal


async def service_from_context(
    context: grpc.aio.ServicerContext[Request, Response], verifier: TokenVerifier, allowed: Collection[str]
) -> Caller:
    """For service-to-service methods: only a service token of one of `allowed` passes."""
    caller = await caller_from_context(context, verifier)
    caller.require_service(allowed)
    return caller


class ServiceChannel:
    """One long-lived channel per target: connections are set up once, not per request. Every call
    on it carries this service's token (and the user's it acts for)."""

    def __init__(self, target: str, tokens: ServiceTokens):
        self.target = target
        self.tokens = tokens
        self.channel = grpc.aio.insecure_channel(target)

    async def metadata(self, on_behalf_of: Principal | None = None) -> Metadata:
        return await call_metadata(self.tokens, on_behalf_of)

    async def close(self) -> None:
        await self.channel.close()


async def call_upstream(
    call: Callable[..., Awaitable[Response]],
    request: object,
    *,
    metadata: tuple[tuple[str, str], ...],
    timeout: float = 5.0,
    service: str,
) -> Response:
    """Call another service; its domain statuses come back as the same domain errors."""
    try:
        return await call(request, metadata=metadata, timeout=timeout)
    except grpc.aio.AioRpcError as exc:
        code = exc.code()
        detail = exc.details() or ""
        if code == grpc.StatusCode.INVALID_ARGUMENT:
            raise InvalidInput.single(*_split_field(detail)) from None
        for error_cls in DomainError.__subclasses__():
            if error_cls.grpc_code_name == code.name and error_cls is not InvalidInput:
                raise error_cls(detail) from None
        raise DependencyUnavailable(f"{service} did not answer ({code.name})") from None


def _split_field(detail: str) -> tuple[str, str]:
    field, sep, reason = detail.partition(": ")
    return (field, reason) if sep else ("request", detail)
