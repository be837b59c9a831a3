from fastapi import APIRouter

from intake.accounts import service
from intake.accounts.schemas import Credentials, TokenOut


def router(runtime) -> APIRouter:
    api = APIRouter(tags=["auth"])

    @api.post("/api/v1/auth/token", response_model=TokenOut)
    async def token(credentials: Credentials):
        async with runtime.db.reader() as session:
            return await service.sign_in(session, runtime.issuer, credentials)

    @api.get("/.well-known/jwks.json", include_in_schema=False)
    async def jwks():
        return runtime.issuer.jwks() if runtime.issuer else {"keys": []}

    return api
