"""The embedded issuer's sign-in. Production signs in through the ministry's identity provider."""

import asyncio
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common import demo
from hotline_common.auth import Role, TokenIssuer
from hotline_common.db import Database, utcnow
from hotline_common.errors import Unauthenticated
from hotline_common.web.signin import WRONG_CREDENTIALS, IssuedToken, SignInRefused
from intake.accounts.models import StaffAccount
from intake.accounts.passwords import hash_password, verify_password
from intake.accounts.schemas import Credentials, TokenOut

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


async def sign_in(session: AsyncSession, issuer: TokenIssuer | None, credentials: Credentials) -> TokenOut:
    if issuer is None:
        raise Unauthenticated("sign in through the configured identity provider")
    account = await session.scalar(select(StaffAccount).where(StaffAccount.username == credentials.username))
    # Hash even for an unknown user, so timing does not tell which usernames exist.
    stored = account.password_hash if account else "scrypt$16384$8$1$00$00"
    valid = await asyncio.to_thread(verify_password, credentials.password, stored)
    if account is None or not valid or account.disabled_at is not None:
        raise Unauthenticated("wrong username or password")
    token = issuer.issue(
        subject=account.id, role=Role(account.role), name=account.display_name, organisation_id=account.organisation_id
    )
    return TokenOut(access_token=token, expires_in=issuer.ttl_seconds, role=account.role)


@dataclass(frozen=True)
class BuiltInSignIn:
    """The pages' sign-in (a `hotline_common.web.signin.SignIn`) against the built-in issuer's own
    accounts, in-process: the same check as POST /api/v1/auth/token."""

    db: Database
    issuer: TokenIssuer | None

    async def __call__(self, username: str, password: str) -> IssuedToken:
        try:
            # "-" for an empty field: a wrong password, not a malformed request.
            credentials = Credentials(username=username or "-", password=password or "-")
            async with self.db.reader() as session:
                token = await sign_in(session, self.issuer, credentials)
        except (Unauthenticated, ValidationError):
            raise SignInRefused(401, WRONG_CREDENTIALS) from None
        return IssuedToken(token.access_token, token.expires_in)


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
