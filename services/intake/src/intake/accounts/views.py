"""The built-in issuer's API: tokens for a username and password, and its public keys."""

from typing import Any

from fastapi import APIRouter

from hotline_common.web.deps import Db
from intake.accounts import service
from intake.accounts.schemas import Credentials, TokenOut
from intake.deps import Issuer

router = APIRouter(tags=["auth"])


@router.post("/api/v1/auth/token", response_model=TokenOut)
async def token(credentials: Credentials, db: Db, issuer: Issuer) -> TokenOut:
    async with db.reader() as session:
        return await service.sign_in(session, issuer, credentials)


@router.get("/.well-known/jwks.json", include_in_schema=False)
async def jwks(issuer: Issuer) -> dict[str, list[dict[str, Any]]]:
    return issuer.jwks() if issuer else {"keys": []}
