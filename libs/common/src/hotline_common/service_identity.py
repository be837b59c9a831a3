"""Service identity: the services call each other's gRPC methods as themselves.

Each service holds an OAuth 2 client secret (SERVICE_CLIENT_SECRET_FILE) and gets short-lived
tokens with role `service` and `sub` = its name from the issuer's token endpoint (the
client-credentials grant); intake, when it is the built-in issuer, signs its own. A call made for
a user carries both tokens - the service's in `authorization`, the user's in `hotline-on-behalf-of`
- so the receiver knows which service asks, and applies the user's permissions and audit.
A user's token alone never passes a service-to-service method.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import httpx

from hotline_common.auth import Permission, Principal, Role, TokenIssuer, TokenVerifier, token_from_header
from hotline_common.errors import DependencyUnavailable, PermissionDenied, Unauthenticated
from hotline_common.settings import read_setting_file

if TYPE_CHECKING:
    from hotline_common.settings import ServiceSettings

ON_BEHALF_OF = "hotline-on-behalf-of"
SERVICE_TOKEN_TTL_SECONDS = 300
REFRESH_MARGIN_SECONDS = 60  # a cached token this close to expiry is replaced before use

Metadata = tuple[tuple[str, str], ...]


class ServiceTokens(Protocol):
    """Where a service gets its own current token."""

    async def token(self) -> str: ...


class _Cached:
    """A token and when to stop using it; refreshed under a lock so concurrent calls fetch once."""

    def __init__(self) -> None:
        self._token = ""
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self, fetch: _Fetch) -> str:
        async with self._lock:
            if not self._token or time.monotonic() >= self._renew_at:
                token, lifetime = await fetch()
                self._token = token
                self._renew_at = time.monotonic() + max(lifetime - REFRESH_MARGIN_SECONDS, lifetime / 2)
            return self._token


class _Fetch(Protocol):
    async def __call__(self) -> tuple[str, float]: ...


class SelfSignedTokens:
    """intake's own tokens, signed in-process by the built-in issuer."""

    def __init__(self, issuer: TokenIssuer, service: str):
        self.issuer = issuer
        self.service = service
        self._cache = _Cached()

    async def _fetch(self) -> tuple[str, float]:
        token = self.issuer.issue(subject=self.service, role=Role.SERVICE, name=self.service)
        return token, float(self.issuer.ttl_seconds)

    async def token(self) -> str:
        return await self._cache.get(self._fetch)


class ClientCredentialsTokens:
    """Tokens from an OAuth 2 token endpoint (intake's built-in issuer, or Keycloak's) for a client id
    and secret, cached until shortly before they expire."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,  # tests: the issuer's app in-process
    ):
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self._timeout = timeout
        self._transport = transport
        self._cache = _Cached()

    async def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self._secret}
        try:
            async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
                answer = await client.post(self.token_url, data=form)
            answer.raise_for_status()
            body = answer.json()
            return str(body["access_token"]), float(body.get("expires_in") or SERVICE_TOKEN_TTL_SECONDS)
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise DependencyUnavailable(
                f"the token endpoint did not give {self.client_id} a service token ({type(exc).__name__})"
            ) from None

    async def token(self) -> str:
        return await self._cache.get(self._fetch)


def tokens_from_settings(name: str, settings: ServiceSettings) -> ServiceTokens | None:
    """The client-credentials source the settings describe; None when no client secret is set."""
    if not settings.service_client_secret_file:
        return None
    url = settings.service_token_url or settings.auth_token_url
    if not url:
        raise SystemExit("Configuration error: SERVICE_TOKEN_URL (or AUTH_TOKEN_URL) is needed for service tokens")
    secret = read_setting_file("SERVICE_CLIENT_SECRET_FILE", settings.service_client_secret_file).decode().strip()
    if not secret:
        raise SystemExit(
            f"Configuration error: SERVICE_CLIENT_SECRET_FILE: {settings.service_client_secret_file} is empty"
        )
    return ClientCredentialsTokens(url, settings.service_client_id or name, secret)


def missing_tokens(name: str, purposes: list[str]) -> SystemExit:
    return SystemExit(
        f"Configuration error: SERVICE_CLIENT_SECRET_FILE: {name} needs a service identity to {', '.join(purposes)}"
    )


class NoServiceIdentity:
    """Stands in when no identity is configured: a runtime refuses to serve then (missing_tokens);
    in-process tests that never call another service still build."""

    def __init__(self, name: str):
        self.name = name

    async def token(self) -> str:
        raise DependencyUnavailable(f"{self.name} has no service identity (SERVICE_CLIENT_SECRET_FILE)")


async def call_metadata(tokens: ServiceTokens, on_behalf_of: Principal | None = None) -> Metadata:
    """gRPC metadata of a call a service makes: its own token, and the user's when it acts for one."""
    metadata: list[tuple[str, str]] = [("authorization", f"Bearer {await tokens.token()}")]
    if on_behalf_of is not None:
        metadata.append((ON_BEHALF_OF, f"Bearer {on_behalf_of.token}"))
    return tuple(metadata)


@dataclass(frozen=True)
class Caller:
    """Who a call comes from. `principal` is whose permissions apply: the user a service acts for,
    or the direct caller. `service` is the calling service's name, when a service token came."""

    principal: Principal
    service: str | None = None

    def require_service(self, allowed: Collection[str]) -> str:
        """The calling service, if it is one of `allowed`; a user's token (alone) is refused."""
        if self.service is None:
            raise PermissionDenied("only another service of the system may call this method")
        if self.service not in allowed:
            raise PermissionDenied("service {service} may not call this method", service=self.service)
        return self.service


async def caller_from_metadata(metadata: Mapping[str, str | bytes], verifier: TokenVerifier) -> Caller:
    direct = await _verified(metadata, "authorization", verifier)
    if direct is None:
        raise Unauthenticated("missing bearer token in 'authorization' metadata")
    acting_for = await _verified(metadata, ON_BEHALF_OF, verifier)
    if not direct.can(Permission.SERVICE_CALLS):
        if ON_BEHALF_OF in metadata:
            raise PermissionDenied("only a service acts on a user's behalf")
        return Caller(direct)
    if acting_for is None:
        return Caller(direct, direct.subject)
    if acting_for.can(Permission.SERVICE_CALLS):
        raise PermissionDenied("a service acts for a user, not for another service")
    return Caller(acting_for, direct.subject)


async def _verified(metadata: Mapping[str, str | bytes], key: str, verifier: TokenVerifier) -> Principal | None:
    if key not in metadata:
        return None
    value = metadata[key]  # bytes only for keys ending in -bin
    token = token_from_header(value if isinstance(value, str) else None)
    if token is None:
        raise Unauthenticated(f"'{key}' metadata must be 'Bearer <token>'")
    return await verifier.verify(token)


def secret_digest(secret: str) -> str:
    """How the issuer keeps a client's secret: `sha256:<hex>`. A service secret is 256 random bits,
    so a plain hash suffices (a password's slow hash guards guessable secrets, which these are not)."""
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)
