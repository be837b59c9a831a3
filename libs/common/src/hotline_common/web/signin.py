"""Signing in with a username and password. Intake signs in with its own issuer in-process; every
other service posts the form to the issuer's token endpoint (AUTH_TOKEN_URL, intake's built-in
issuer in the embedded default) and verifies the token that comes back like any other.

Signing out ends the session at the issuer (intake: in-process; elsewhere: POST to the logout endpoint
beside the token endpoint, `.../auth/logout`, with the token), so the token is revoked everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import httpx

from hotline_common.auth import Principal
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


@runtime_checkable
class SignsInFromAddress(Protocol):
    """A sign-in that counts wrong passwords per client address too: the pages pass the browser's."""

    async def from_address(self, username: str, password: str, address: str) -> IssuedToken: ...


@runtime_checkable
class EndsSessions(Protocol):
    """A sign-in that can also end the session it started (what the pages' sign-out calls)."""

    async def end_session(self, principal: Principal) -> None: ...


WRONG_CREDENTIALS = N_("Wrong username or password")
# The issuer's login limits (intake's accounts.limits); the same msgids as its own sign-in page.
ACCOUNT_LOCKED = N_(
    "This account is locked after repeated wrong passwords. Ask the director to unlock it, or try again later."
)
ADDRESS_LIMITED = N_("Too many sign-in attempts from this address. Try again later.")


def _limited_message(answer: httpx.Response) -> str:
    """The issuer's own text when it is one of the limits' msgids (the page translates it)."""
    try:
        detail = answer.json().get("detail")
    except ValueError:
        detail = None
    return detail if detail in (ACCOUNT_LOCKED, ADDRESS_LIMITED) else ADDRESS_LIMITED


@dataclass(frozen=True)
class IssuerEndpoint:
    """Sign-in at an OAuth-style token endpoint that takes {"username", "password"} as JSON."""

    url: str
    timeout: float = 10.0

    async def __call__(self, username: str, password: str) -> IssuedToken:
        return await self.from_address(username, password, "")

    async def from_address(self, username: str, password: str, address: str) -> IssuedToken:
        if not self.url:
            raise SignInRefused(503, N_("Sign-in is not configured"))
        # The browser's address, which the issuer counts when it trusts this service as a forwarder
        # (intake: LOGIN_TRUSTED_FORWARDERS); otherwise it counts this service's own.
        headers = {"X-Forwarded-For": address} if address else {}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                # "-" for an empty field: the issuer answers "wrong password" instead of a 422.
                body = {"username": username or "-", "password": password or "-"}
                answer = await client.post(self.url, json=body, headers=headers)
        except httpx.HTTPError:
            raise SignInRefused(503, N_("Sign-in is not available now")) from None
        if answer.status_code == 429:
            raise SignInRefused(429, _limited_message(answer))
        if answer.status_code != 200:
            raise SignInRefused(401, WRONG_CREDENTIALS)
        body = answer.json()
        return IssuedToken(body["access_token"], int(body.get("expires_in", 3600)))

    def logout_url(self) -> str:
        base, _, last = self.url.rstrip("/").rpartition("/")
        return f"{base}/logout" if last == "token" and base else ""

    async def end_session(self, principal: Principal) -> None:
        url = self.logout_url()
        if not url:
            return
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                await client.post(url, headers={"Authorization": f"Bearer {principal.token}"})
        except httpx.HTTPError:
            # The cookie goes anyway; the token lives until it expires, as it would have before.
            return
