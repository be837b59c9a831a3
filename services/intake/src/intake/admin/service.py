"""The technical operator's accounts of the built-in issuer (PRODUCT.md: `admin` = "organisations,
accounts, keys; no case content").

Any account may be disabled, enabled, unlocked and have all its sessions ended: a departing partner
employee is cut off at once. Creating an account and resetting a password are only for roles that read
no case data; hotline staff (the roles that read calls) are the director's (intake.director), so the
technical operator can never sign in as someone who reads calls. Every change is on the access audit's
hash chain under the same actions as the director's, and the revocation machinery (end_all_sessions,
disabled_at) makes it hold at intake at once and elsewhere within a minute."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hotline_common.i18n_markers import N_
from intake.accounts import changes
from intake.accounts.models import StaffAccount
from intake.accounts.passwords import hash_password
from intake.admin.roles import ADMIN_ROLES, PERSON_ROLES, belongs_to_organisation
from intake.admin.schemas import AccountIn, AccountOut

HOTLINE_STAFF_ONLY = N_("Accounts of hotline staff (role {role}) are created and reset by the director only")
NOT_A_PERSON = N_("Role {role} is not a person's: a service signs in with its own identity")
NO_SUCH_ACCOUNT = N_("No such account")
TAKEN = N_("Username {username} is taken")
NEEDS_ORGANISATION = N_("A partner account needs the id of its organisation in the directory")
NO_ORGANISATION = N_("Only a partner account belongs to an organisation")


def require_accounts_admin(principal: Principal) -> Principal:
    return require(principal, Permission.ACCOUNTS_MANAGE)


def may_create_or_reset(role: str) -> bool:
    """Whether the technical operator may create accounts of `role` and reset their passwords."""
    return role in ADMIN_ROLES


def may_disable(principal: Principal, account: AccountOut) -> bool:
    """Whether the accounts page offers disabling this account (not one's own); enabling is always offered."""
    return account.disabled or account.id != principal.subject


def _out(account: StaffAccount) -> AccountOut:
    locked_until = account.locked_until
    return AccountOut(
        id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        organisation_id=account.organisation_id,
        created_at=account.created_at,
        disabled=account.disabled_at is not None,
        disabled_at=account.disabled_at,
        locked=locked_until is not None and locked_until > utcnow(),
        locked_until=locked_until,
    )


def _refuse_role(role: str) -> None:
    if role not in PERSON_ROLES:
        raise PermissionDenied(NOT_A_PERSON, role=role)
    if not may_create_or_reset(role):
        raise PermissionDenied(HOTLINE_STAFF_ONLY, role=role)


def _check_organisation(data: AccountIn) -> None:
    """A partner's account names its organisation, and no other account does. (Intake keeps no copy of
    referrals' directory and referrals has no method to look an organisation up, so the id is checked
    for its form, not for its existence.)"""
    belongs = belongs_to_organisation(data.role)
    if belongs and data.organisation_id is None:
        raise InvalidInput.single("organisation_id", NEEDS_ORGANISATION)
    if not belongs and data.organisation_id is not None:
        raise InvalidInput.single("organisation_id", NO_ORGANISATION)


async def _account(session: AsyncSession, account_id: str) -> StaffAccount:
    account = await session.get(StaffAccount, account_id)
    if account is None:
        raise NotFound(NO_SUCH_ACCOUNT)
    return account


async def accounts(session: AsyncSession, principal: Principal) -> list[AccountOut]:
    """Every account of the built-in issuer, by role then username."""
    require_accounts_admin(principal)
    rows = (await session.scalars(select(StaffAccount).order_by(StaffAccount.role, StaffAccount.username))).all()
    return [_out(account) for account in rows]


async def create_account(session: AsyncSession, principal: Principal, data: AccountIn) -> AccountOut:
    require_accounts_admin(principal)
    _refuse_role(data.role)
    _check_organisation(data)
    if await session.scalar(select(StaffAccount.id).where(StaffAccount.username == data.username)):
        raise Conflict(TAKEN, username=data.username)
    account = StaffAccount(
        id=new_id(),
        username=data.username,
        display_name=data.display_name,
        role=data.role,
        organisation_id=data.organisation_id,
        password_hash=await asyncio.to_thread(hash_password, data.password),
        created_at=utcnow(),
    )
    session.add(account)
    await changes.audit(session, principal, "staff.created", account)
    return _out(account)


async def set_disabled(session: AsyncSession, principal: Principal, account_id: str, disabled: bool) -> AccountOut:
    require_accounts_admin(principal)
    account = await _account(session, account_id)
    await changes.set_disabled(session, principal, account, disabled)
    return _out(account)


async def reset_password(session: AsyncSession, principal: Principal, account_id: str, password: str) -> AccountOut:
    require_accounts_admin(principal)
    account = await _account(session, account_id)
    _refuse_role(account.role)
    await changes.reset_password(session, principal, account, password)
    return _out(account)


async def unlock(session: AsyncSession, principal: Principal, account_id: str) -> AccountOut:
    """Lift a lockout after repeated wrong passwords (the caller then clears the login limit's count)."""
    require_accounts_admin(principal)
    account = await _account(session, account_id)
    await changes.unlock(session, principal, account)
    return _out(account)


async def end_sessions(session: AsyncSession, principal: Principal, account_id: str) -> AccountOut:
    require_accounts_admin(principal)
    account = await _account(session, account_id)
    await changes.end_sessions(session, principal, account)
    return _out(account)
