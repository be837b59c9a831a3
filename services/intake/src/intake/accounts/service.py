"""The embedded issuer's sign-in. Production signs in through the ministry's identity provider."""

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common import demo
from hotline_common.auth import Principal, Role, TokenIssuer
from hotline_common.db import Database, utcnow
from hotline_common.errors import DomainError, Unauthenticated
from hotline_common.web.signin import ACCOUNT_LOCKED, ADDRESS_LIMITED, WRONG_CREDENTIALS, IssuedToken, SignInRefused
from intake.accounts.limits import LoginLimits
from intake.accounts.models import StaffAccount
from intake.accounts.passwords import hash_password, verify_password
from intake.accounts.schemas import Credentials, TokenOut
from intake.accounts.sessions import end_session, start_session
from intake.audit.service import record_access

DEMO_ACCOUNTS = [
    ("operator", "Operator Aynur", Role.OPERATOR, None),
    ("director", "Direktor Rauf", Role.DIRECTOR, None),
    ("operator2", "Operator Elçin", Role.OPERATOR, None),
    ("partner", "Psixoloq Leyla", Role.PARTNER, demo.PARTNER_ORGANISATION_ID),
    ("coordinator", "Milli Koordinator aparatı", Role.COORDINATOR, None),
    ("wgmember", "İşçi qrupunun üzvü", Role.WG_MEMBER, None),
    ("head", "İşçi qrupunun rəhbəri", Role.WG_MEMBER, None),
    ("secretary", "İşçi qrupunun katibi", Role.WG_MEMBER, None),
    ("analyst", "Statistika şöbəsi", Role.ANALYST, None),
    ("admin", "Texniki inzibatçı", Role.ADMIN, None),
]


class SignInLimited(DomainError):
    """Too many wrong passwords: the account is locked, or the address waits (accounts.limits)."""

    http_status = 429
    grpc_code_name = "RESOURCE_EXHAUSTED"


async def sign_in(
    db: Database, issuer: TokenIssuer | None, credentials: Credentials, *, limits: LoginLimits, address: str
) -> TokenOut:
    """A token for a right password; wrong ones are counted, delayed and lock the account (accounts.limits).
    Its own transactions: a lockout is kept although the attempt is refused."""
    if issuer is None:
        raise Unauthenticated("sign in through the configured identity provider")
    if not await limits.address_allowed(address):
        raise SignInLimited(ADDRESS_LIMITED)
    async with db.transaction() as session:
        account = await session.scalar(select(StaffAccount).where(StaffAccount.username == credentials.username))
        if account is not None and account.locked_until is not None and account.locked_until > utcnow():
            # Refused before the password is looked at: a lockout is no oracle for guesses.
            raise SignInLimited(ACCOUNT_LOCKED)
        # Hash even for an unknown user, so timing does not tell which usernames exist.
        stored = account.password_hash if account else "scrypt$16384$8$1$00$00"
        valid = await asyncio.to_thread(verify_password, credentials.password, stored)
        if account is not None and valid and account.disabled_at is None:
            await limits.succeeded(credentials.username)
            token = await start_session(session, issuer, account)
            return TokenOut(access_token=token, expires_in=issuer.ttl_seconds, role=account.role)
        failure = await limits.failed(credentials.username, address)
        if failure.lock_account and account is not None:
            await lock_account(session, account, timedelta(minutes=limits.policy.lock_minutes))
    await limits.wait(failure)
    raise Unauthenticated("wrong username or password")


async def lock_account(session: AsyncSession, account: StaffAccount, duration: timedelta) -> None:
    """Lock after repeated wrong passwords, on the access audit under the account's own name (no one
    else acted); the director sees it on the staff screen and may unlock it."""
    account.locked_until = utcnow() + duration
    await record_access(
        session,
        Principal(subject=account.id, role=Role(account.role), name=account.display_name),
        action="staff.locked",
        record_type="staff",
        record_id=account.id,
        interface="http",
        reason="repeated wrong passwords",
    )


async def sign_out(session: AsyncSession, principal: Principal) -> None:
    """End the session the principal's token names (a token without one has nothing to end here)."""
    if principal.session_id:
        await end_session(session, principal.session_id, "signed_out")


@dataclass(frozen=True)
class BuiltInSignIn:
    """The pages' sign-in (a `hotline_common.web.signin.SignIn`) against the built-in issuer's own
    accounts, in-process: the same check as POST /api/v1/auth/token."""

    db: Database
    issuer: TokenIssuer | None
    limits: LoginLimits

    async def __call__(self, username: str, password: str) -> IssuedToken:
        return await self.from_address(username, password, "unknown")

    async def from_address(self, username: str, password: str, address: str) -> IssuedToken:
        try:
            # "-" for an empty field: a wrong password, not a malformed request.
            credentials = Credentials(username=username or "-", password=password or "-")
            token = await sign_in(self.db, self.issuer, credentials, limits=self.limits, address=address)
        except SignInLimited as limited:
            raise SignInRefused(429, limited.template) from None
        except (Unauthenticated, ValidationError):
            raise SignInRefused(401, WRONG_CREDENTIALS) from None
        return IssuedToken(token.access_token, token.expires_in)

    async def end_session(self, principal: Principal) -> None:
        async with self.db.transaction() as session:
            await sign_out(session, principal)


async def load_demo_accounts(session: AsyncSession) -> bool:
    if (await session.scalar(select(func.count()).select_from(StaffAccount)) or 0) > 0:
        return False
    for username, name, role, org in DEMO_ACCOUNTS:
        password_hash = await asyncio.to_thread(hash_password, f"{username}-demo")
        session.add(
            StaffAccount(
                id=demo.ACCOUNT_IDS[username],
                username=username,
                display_name=name,
                role=str(role),
                organisation_id=org,
                password_hash=password_hash,
                created_at=utcnow(),
            )
        )
    return True
