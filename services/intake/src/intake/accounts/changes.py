"""Changes to an account of the built-in issuer, whoever may make them (the director for hotline
staff, the technical operator for every account): each ends the sessions it must end, in the same
transaction, and is written to the access audit. The callers decide who may change which account."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Principal
from hotline_common.db import utcnow
from hotline_common.errors import Conflict
from hotline_common.i18n_markers import N_
from intake.accounts.models import StaffAccount
from intake.accounts.passwords import hash_password
from intake.accounts.sessions import end_all_sessions
from intake.audit.service import record_access

OWN_ACCOUNT = N_("You cannot disable your own account")


async def audit(session: AsyncSession, principal: Principal, action: str, account: StaffAccount) -> None:
    await record_access(session, principal, action=action, record_type="staff", record_id=account.id, interface="http")


async def set_disabled(session: AsyncSession, principal: Principal, account: StaffAccount, disabled: bool) -> None:
    if disabled and account.id == principal.subject:
        raise Conflict(OWN_ACCOUNT)
    if disabled != (account.disabled_at is not None):
        account.disabled_at = utcnow() if disabled else None
        if disabled:
            await end_all_sessions(session, account, "disabled")
        await audit(session, principal, "staff.disabled" if disabled else "staff.enabled", account)


async def reset_password(session: AsyncSession, principal: Principal, account: StaffAccount, password: str) -> None:
    account.password_hash = await asyncio.to_thread(hash_password, password)
    # Whoever knew the old password may be signed in with it: those sessions end with it.
    await end_all_sessions(session, account, "password_reset")
    await audit(session, principal, "staff.password_reset", account)


async def unlock(session: AsyncSession, principal: Principal, account: StaffAccount) -> None:
    """Lift a lockout after repeated wrong passwords (the caller then clears the login limit's count)."""
    if account.locked_until is not None:
        account.locked_until = None
        await audit(session, principal, "staff.unlocked", account)


async def end_sessions(session: AsyncSession, principal: Principal, account: StaffAccount) -> None:
    """Every token of the account stops working (intake at once, elsewhere within a minute); the account
    may sign in again."""
    await end_all_sessions(session, account, "ended_by_admin")
    await audit(session, principal, "staff.sessions_ended", account)
