"""Sign-in for referrals' own pages (partner portal, directory): the form's username and password
go to the issuer's token endpoint (AUTH_TOKEN_URL, intake's built-in issuer by default), and the
token that comes back is verified here like any other."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from hotline_common.auth import Principal


@dataclass
class SignInRefused(Exception):
    status: int
    message: str  # an English msgid; the page translates it


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    token: str
    expires_in: int


async def sign_in_at_issuer(runtime, username: str, password: str) -> SignedIn:
    if not runtime.settings.auth_token_url:
        raise SignInRefused(503, "Sign-in is not configured")
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            # "-" for an empty field: the issuer answers "wrong password" instead of a 422.
            answer = await client.post(
                runtime.settings.auth_token_url, json={"username": username or "-", "password": password or "-"}
            )
    except httpx.HTTPError:
        raise SignInRefused(503, "Sign-in is not available now") from None
    if answer.status_code != 200:
        raise SignInRefused(401, "Wrong username or password")
    body = answer.json()
    principal = await runtime.verifier.verify(body["access_token"])
    return SignedIn(principal, body["access_token"], int(body.get("expires_in", 3600)))
