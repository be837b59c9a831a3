"""The built-in issuer's API: tokens for a username and password, service tokens for a client id and
secret (accounts.clients), and its public keys."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response

from hotline_common.web.deps import CurrentPrincipal, Db
from intake.accounts import service
from intake.accounts.clients import FormRoute, service_token
from intake.accounts.limits import client_address
from intake.accounts.schemas import Credentials, TokenOut
from intake.deps import Issuer, LoginLimiter, ServiceClients, ServiceIssuer, Settings

router = APIRouter(tags=["auth"])


async def client_credentials_token(
    clients: ServiceClients,
    issuer: ServiceIssuer,
    grant_type: Annotated[str, Form(max_length=50)],
    client_id: Annotated[str, Form(min_length=1, max_length=100)],
    client_secret: Annotated[str, Form(min_length=1, max_length=200)],
) -> TokenOut:
    """A service's own token (OAuth 2 client credentials), for its calls to the other services."""
    return service_token(clients, issuer, grant_type, client_id, client_secret)


# Added before the JSON sign-in: this route matches only form-encoded bodies (clients.FormRoute).
router.add_api_route(
    "/api/v1/auth/token",
    client_credentials_token,
    methods=["POST"],
    response_model=TokenOut,
    route_class_override=FormRoute,
    include_in_schema=False,
)


@router.post("/api/v1/auth/token", response_model=TokenOut)
async def token(
    credentials: Credentials, request: Request, db: Db, issuer: Issuer, limits: LoginLimiter, settings: Settings
) -> TokenOut:
    address = client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        settings.login_trusted_forwarders,
    )
    return await service.sign_in(db, issuer, credentials, limits=limits, address=address)


@router.post("/api/v1/auth/logout", status_code=204)
async def logout(principal: CurrentPrincipal, db: Db) -> Response:
    """End the bearer's own session: its token is refused from now on, on every service."""
    async with db.transaction() as session:
        await service.sign_out(session, principal)
    return Response(status_code=204)


@router.get("/.well-known/jwks.json", include_in_schema=False)
async def jwks(issuer: Issuer) -> dict[str, list[dict[str, Any]]]:
    return issuer.jwks() if issuer else {"keys": []}
