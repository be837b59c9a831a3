"""Sessions of the built-in issuer: every token it signs names one (`sid`). Signing out, disabling an
account, resetting its password and "end all sessions" end them, in the same transaction as the change
and its audit entry. Intake refuses an ended session's token on the next request (it asks this table);
the other services learn it from the replicated revocation list (hotline_common.revocation), which
`EndedSessions` feeds."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Role, TokenIssuer
from hotline_common.db import Database, new_id, utcnow
from hotline_common.errors import Unauthenticated
from hotline_common.revocation import REVOKED, Revocation, RevocationList
from intake.accounts.models import SignInSession, StaffAccount

EndedWhy = Literal["signed_out", "disabled", "password_reset", "ended_by_admin"]


async def start_session(session: AsyncSession, issuer: TokenIssuer, account: StaffAccount) -> str:
    """A new session of `account` and its token."""
    now = utcnow()
    row = SignInSession(
        id=new_id(),
        account_id=account.id,
        issued_at=now,
        expires_at=now + timedelta(seconds=issuer.ttl_seconds),
    )
    session.add(row)
    return issuer.issue(
        subject=account.id,
        role=Role(account.role),
        name=account.display_name,
        organisation_id=account.organisation_id,
        session_id=row.id,
        issued_at=int(now.timestamp()),
    )


async def end_session(session: AsyncSession, session_id: str, why: EndedWhy) -> bool:
    result = await session.execute(
        update(SignInSession)
        .where(SignInSession.id == session_id, SignInSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_why=why)
    )
    return bool(getattr(result, "rowcount", 0))


async def end_all_sessions(session: AsyncSession, account: StaffAccount, why: EndedWhy) -> int:
    """End every open session of `account`, and revoke any token of it issued before now (one without
    a session too). Returns how many sessions were open."""
    now = utcnow()
    # Whole seconds, like a token's `iat`: a token signed in this same second after it still works.
    account.sessions_not_before = now.replace(microsecond=0)
    result = await session.execute(
        update(SignInSession)
        .where(SignInSession.account_id == account.id, SignInSession.ended_at.is_(None))
        .values(ended_at=now, ended_why=why)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def purge_sessions(db: Database, retention_days: int, *, now: datetime | None = None) -> int:
    """Forget sign-in sessions whose token expired more than `retention_days` ago (kept until then to
    answer "who was signed in when"; the access audit keeps what they did). How many were deleted."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    async with db.transaction() as session:
        result = await session.execute(delete(SignInSession).where(SignInSession.expires_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def _epoch(moment: datetime) -> float:
    return moment.astimezone(UTC).timestamp()


class SessionCheck:
    """Intake's revocation check (a `hotline_common.revocation.RevocationCheck`): its own tables decide
    at once for its own accounts and sessions; a subject of an external identity provider is checked
    against the replicated list like at any other service."""

    def __init__(self, db: Database, revocations: RevocationList, *, own_sessions: bool):
        self.db = db
        self.revocations = revocations
        self.own_sessions = own_sessions

    async def check(self, claims: Mapping[str, Any]) -> None:
        session_id = claims.get("sid")
        async with self.db.reader() as session:
            account = await session.get(StaffAccount, str(claims.get("sub", "")))
            if account is not None and _account_revokes(account, claims.get("iat")):
                raise Unauthenticated(REVOKED)
            if self.own_sessions and isinstance(session_id, str):
                row = await session.get(SignInSession, session_id)
                if row is None or row.ended_at is not None:
                    raise Unauthenticated(REVOKED)
                return
        if account is None:
            await self.revocations.check(claims)


def _account_revokes(account: StaffAccount, issued_at: object) -> bool:
    if account.disabled_at is not None:
        return True
    if account.sessions_not_before is None:
        return False
    return not isinstance(issued_at, int | float) or issued_at < _epoch(account.sessions_not_before)


class EndedSessions:
    """The revocations intake publishes (a `hotline_common.revocation.RevocationSource`): ended sessions
    whose tokens have not expired yet, and accounts' "not before" times of the last token lifetime."""

    def __init__(self, db: Database, token_seconds: int):
        self.db = db
        self.token_seconds = token_seconds

    async def unexpired(self, now: float) -> list[Revocation]:
        moment = datetime.fromtimestamp(now, UTC)
        async with self.db.reader() as session:
            ended = (
                await session.scalars(
                    select(SignInSession).where(SignInSession.ended_at.is_not(None), SignInSession.expires_at > moment)
                )
            ).all()
            accounts = (
                await session.scalars(
                    select(StaffAccount).where(
                        StaffAccount.sessions_not_before > moment - timedelta(seconds=self.token_seconds)
                    )
                )
            ).all()
        return [self._ended(row) for row in ended] + [self._not_before(account) for account in accounts]

    async def ended_since(self, since: float) -> list[Revocation]:
        moment = datetime.fromtimestamp(since, UTC)
        async with self.db.reader() as session:
            ended = (await session.scalars(select(SignInSession).where(SignInSession.ended_at >= moment))).all()
            accounts = (
                await session.scalars(select(StaffAccount).where(StaffAccount.sessions_not_before >= moment))
            ).all()
        return [self._ended(row) for row in ended] + [self._not_before(account) for account in accounts]

    @staticmethod
    def _ended(row: SignInSession) -> Revocation:
        return Revocation(until=math.ceil(_epoch(row.expires_at)), session_id=row.id)

    def _not_before(self, account: StaffAccount) -> Revocation:
        assert account.sessions_not_before is not None  # the queries select only those
        not_before = _epoch(account.sessions_not_before)
        return Revocation(until=not_before + self.token_seconds, subject=account.id, not_before=not_before)
