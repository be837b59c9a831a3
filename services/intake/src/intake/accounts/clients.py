"""The built-in issuer's service clients: the OAuth 2 client-credentials grant (RFC 6749 §4.4) at
POST /api/v1/auth/token, for the other services' own identities (hotline_common.service_identity).

SERVICE_CLIENTS_FILE has one `client_id:sha256:<hex>` line per service (`make run` and the chart's
secret make it). A client gets a short-lived token with role `service` and `sub` = its client id.
The request is a form (`grant_type=client_credentials&client_id=…&client_secret=…`), as every OAuth 2
client sends it; the JSON username/password body of the same endpoint is the staff's sign-in.
"""

from __future__ import annotations

import hmac

from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from hotline_common.auth import Role, TokenIssuer
from hotline_common.errors import Unauthenticated
from hotline_common.service_identity import SERVICE_TOKEN_TTL_SECONDS, secret_digest
from hotline_common.settings import read_setting_file
from intake.accounts.schemas import TokenOut
from intake.settings import IntakeSettings

FORM = b"application/x-www-form-urlencoded"


class ServiceClients:
    def __init__(self, digests: dict[str, str]):
        self._digests = digests

    @classmethod
    def from_settings(cls, settings: IntakeSettings) -> ServiceClients:
        if not settings.service_clients_file:
            return cls({})
        text = read_setting_file("SERVICE_CLIENTS_FILE", settings.service_clients_file).decode()
        digests: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            client_id, _, digest = line.strip().partition(":")
            if not client_id or not digest.startswith("sha256:"):
                raise SystemExit(
                    f"Configuration error: SERVICE_CLIENTS_FILE line {number}: expected client_id:sha256:<hex>"
                )
            digests[client_id] = digest
        return cls(digests)

    def authenticate(self, client_id: str, client_secret: str) -> bool:
        # Compared even for an unknown client, so timing does not tell which clients exist.
        expected = self._digests.get(client_id, "sha256:")
        return hmac.compare_digest(secret_digest(client_secret), expected) and client_id in self._digests


def service_token(
    clients: ServiceClients, issuer: TokenIssuer | None, grant_type: str, client_id: str, client_secret: str
) -> TokenOut:
    if issuer is None:
        raise Unauthenticated("service tokens come from the configured identity provider")
    if grant_type != "client_credentials" or not clients.authenticate(client_id, client_secret):
        raise Unauthenticated("unknown client or wrong client secret")
    token = issuer.issue(subject=client_id, role=Role.SERVICE, name=client_id)
    return TokenOut(access_token=token, expires_in=issuer.ttl_seconds, role=str(Role.SERVICE))


def build_service_issuer(settings: IntakeSettings) -> TokenIssuer | None:
    """Signs service tokens (short-lived); None when an external identity provider issues tokens."""
    if not settings.auth_signing_key_file:
        return None
    return TokenIssuer(
        read_setting_file("AUTH_SIGNING_KEY_FILE", settings.auth_signing_key_file),
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        ttl_seconds=SERVICE_TOKEN_TTL_SECONDS,
    )


class FormRoute(APIRoute):
    """Matches only form-encoded requests, so the JSON sign-in at the same path stays as it is."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.NONE:
            return match, child
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
        return (match, child) if content_type.split(b";")[0].strip() == FORM else (Match.NONE, {})
