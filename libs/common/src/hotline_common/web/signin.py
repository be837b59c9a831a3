"""Signing in with a username and password. Intake signs in with its own issuer in-process; every
other service posts the form to the issuer's token endpoint (AUTH_TOKEN_URL, intake's built-in
issuer in the embedded default) and verifies the token that comes back like any other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import httpx

from hotline_common.i18n_markers import N_


@dataclass
class SignInRefused(Exception):
    status: int
    message: str  # an English msgid; the page translates it


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


class SignIn(Protocol):
    async def __call__(self, username: str, password: str) -> IssuedToken: ...


WRONG_CREDENTIALS = N_("Wrong username or password")


@dataclass(frozen=True)
class IssuerEndpoint:
    """Sign-in at an OAuth-style token endpoint that takes {"username", "password"} as JSON."""

    url: str
    timeout: float = 10.0

    async def __call__(self, username: str, password: str) -> IssuedToken:
        if not self.url:
            raise SignInRefused(503, N_("Sign-in is not configured"))
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                # "-" for an empty field: the issuer answers "wrong password" instead of a 422.
                answer = await client.post(self.url, json={"username": username or "-", "password": password or "-"})
        except httpx.HTTPError:
            raise SignInRefused(503, N_("Sign-in is not available now")) from None
        if answer.status_code != 200:
            raise SignInRefused(401, WRONG_CREDENTIALS)
        body = answer.json()
        return IssuedToken(body["access_token"], int(body.get("expires_in", 3600)))
