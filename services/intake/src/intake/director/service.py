"""The director's supervision: calls in progress and follow-ups due, reassigning them, the access
audit in readable form, staff accounts. Shows codes and names of staff, never a caller's identity."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import uuid6
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.referrals.v1 import referrals_pb2
from hotline_common.auth import ROLE_PERMISSIONS, Permission, Principal, require
from hotline_common.db import insert_ignoring_conflict, new_id, utcnow
from hotline_common.errors import Conflict, InvalidInput, NotFound
from intake.accounts import changes
from intake.accounts.models import StaffAccount
from intake.accounts.passwords import hash_password
from intake.audit.models import AccessAuditEntry
from intake.audit.schemas import BREAK_GLASS_SUFFIX
from intake.audit.service import list_entries, record_access
from intake.callers import tables
from intake.callers.models import Caller, FollowUpAssignment
from intake.director.schemas import (
    AssignmentOut,
    AuditRow,
    Board,
    CallInProgress,
    FollowUpDue,
    OverdueReferral,
    StaffIn,
    StaffOut,
)
from intake.draft.models import CallDraft

# Follow-ups due within this window (and every overdue one) are on the board.
DUE_WINDOW = timedelta(hours=24)
BOARD_LIMIT = 200
# The hotline's own staff: the roles that take calls. The director manages their accounts and assigns
# work to them; partner, Working Group and technical accounts are the admin's.
HOTLINE_ROLES = tuple(str(role) for role, granted in ROLE_PERMISSIONS.items() if Permission.CONTACT_RECORD in granted)


def require_supervisor(principal: Principal) -> Principal:
    return require(principal, Permission.HOTLINE_SUPERVISE)


def may_supervise(principal: Principal) -> bool:
    """Whether pages offer the director's actions (assigning a caller, the board, staff accounts)."""
    return principal.can(Permission.HOTLINE_SUPERVISE)


def may_toggle(principal: Principal, account: StaffOut) -> bool:
    """Whether the staff page offers disabling (or enabling) this account: a hotline account, not one's own."""
    return may_supervise(principal) and account.role in HOTLINE_ROLES and account.id != principal.subject


def _draft_started(draft_id: str) -> datetime:
    """A draft's id is a UUIDv7: its first 48 bits are the moment the call was picked up."""
    millis = uuid6.UUID(draft_id).int >> 80
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


async def _names(session: AsyncSession) -> dict[str, str]:
    return dict((await session.execute(select(StaffAccount.id, StaffAccount.display_name))).tuples().all())


async def board(session: AsyncSession, principal: Principal) -> Board:
    require_supervisor(principal)
    now = utcnow()
    names = await _names(session)
    drafts = (
        await session.scalars(
            select(CallDraft)
            .where(CallDraft.closed_at.is_(None))
            .order_by(CallDraft.updated_at.desc())
            .limit(BOARD_LIMIT)
        )
    ).all()
    calls = [
        CallInProgress(
            draft_id=d.id,
            operator_id=d.operator_id,
            operator_name=names.get(d.operator_id, d.operator_id),
            started_at=_draft_started(d.id),
            last_saved_at=d.updated_at,
        )
        for d in drafts
    ]
    c = tables.contacts.c
    rows = (
        await session.execute(
            select(c.id, c.caller_id, c.operator_id, c.follow_up_due_at, Caller.code, FollowUpAssignment.operator_id)
            .select_from(tables.contacts)
            .outerjoin(Caller, Caller.id == c.caller_id)
            .outerjoin(FollowUpAssignment, FollowUpAssignment.contact_id == c.id)
            .where(
                c.follow_up_needed.is_(True),
                c.follow_up_done_at.is_(None),
                or_(c.follow_up_due_at.is_(None), c.follow_up_due_at <= now + DUE_WINDOW),
            )
            .order_by(c.follow_up_due_at)
            .limit(BOARD_LIMIT)
        )
    ).all()
    follow_ups = []
    for contact_id, caller_id, taker, due_at, code, assignee in rows:
        who = assignee or taker
        follow_ups.append(
            FollowUpDue(
                contact_id=contact_id,
                caller_id=caller_id,
                caller_code=code,
                due_at=due_at,
                overdue=bool(due_at and due_at < now),
                operator_id=who,
                operator_name=names.get(who, who),
                reassigned=assignee is not None,
            )
        )
    break_glass = await session.scalar(
        select(func.count())
        .select_from(AccessAuditEntry)
        .where(AccessAuditEntry.at >= now - timedelta(hours=24), AccessAuditEntry.action.like(f"%{BREAK_GLASS_SUFFIX}"))
    )
    return Board(now=now, calls_in_progress=calls, follow_ups_due=follow_ups, break_glass_last_day=break_glass or 0)


async def _hotline_staff(session: AsyncSession, operator_id: str) -> None:
    """The new assignee must be a hotline account (when this intake keeps the accounts itself)."""
    known = (
        await session.execute(select(StaffAccount.role).where(StaffAccount.id == operator_id))
    ).scalar_one_or_none()
    has_accounts = await session.scalar(select(StaffAccount.id).limit(1))
    if has_accounts and known not in HOTLINE_ROLES:
        raise InvalidInput.single("operator_id", "not an operator or director account")


async def reassign_follow_up(
    session: AsyncSession, principal: Principal, contact_id: str, operator_id: str
) -> AssignmentOut:
    require_supervisor(principal)
    await _hotline_staff(session, operator_id)
    c = tables.contacts.c
    row = (
        await session.execute(select(c.follow_up_needed, c.follow_up_done_at).where(c.id == contact_id))
    ).one_or_none()
    if row is None:
        raise NotFound("no such contact")
    if not row.follow_up_needed or row.follow_up_done_at is not None:
        raise Conflict("this contact has no open follow-up")
    now = utcnow()
    values = {
        "contact_id": contact_id,
        "operator_id": operator_id,
        "assigned_by": principal.subject,
        "assigned_at": now,
    }
    if not await insert_ignoring_conflict(session, FollowUpAssignment.__table__, values, ["contact_id"]):
        assignment = await session.get(FollowUpAssignment, contact_id)
        assert assignment is not None  # the insert conflicted with it
        assignment.operator_id, assignment.assigned_by, assignment.assigned_at = operator_id, principal.subject, now
    return AssignmentOut(id=contact_id, operator_id=operator_id, assigned_by=principal.subject, assigned_at=now)


async def reassign_caller(
    session: AsyncSession, principal: Principal, caller_id: str, operator_id: str
) -> AssignmentOut:
    require_supervisor(principal)
    await _hotline_staff(session, operator_id)
    caller = await session.get(Caller, caller_id)
    if caller is None:
        raise NotFound("no such caller profile")
    if caller.status != "active":
        raise Conflict("this profile is {status}", status=caller.status)
    caller.assigned_operator_id = operator_id
    now = utcnow()
    caller.last_activity_at = now
    return AssignmentOut(id=caller_id, operator_id=operator_id, assigned_by=principal.subject, assigned_at=now)


async def staff(session: AsyncSession, principal: Principal) -> list[StaffOut]:
    require_supervisor(principal)
    rows = (await session.scalars(select(StaffAccount).order_by(StaffAccount.role, StaffAccount.username))).all()
    return [StaffOut.model_validate(a, from_attributes=True) for a in rows]


async def assignable_staff(session: AsyncSession, principal: Principal) -> list[StaffOut]:
    """The hotline accounts a follow-up or a caller can be assigned to."""
    return [s for s in await staff(session, principal) if s.role in HOTLINE_ROLES]


# Staff accounts of the built-in issuer. The director manages the hotline's own staff (operators and
# directors); partner, Working Group and technical accounts are the admin's. Every change is written to
# the access audit, so who gave whom access stays on the hash chain.


async def add_staff(session: AsyncSession, principal: Principal, data: StaffIn) -> StaffOut:
    require_supervisor(principal)
    if await session.scalar(select(StaffAccount.id).where(StaffAccount.username == data.username)):
        raise Conflict("username {username} is taken", username=data.username)
    account = StaffAccount(
        id=new_id(),
        username=data.username,
        display_name=data.display_name,
        role=data.role,
        organisation_id=None,
        password_hash=await asyncio.to_thread(hash_password, data.password),
        created_at=utcnow(),
    )
    session.add(account)
    await record_access(
        session, principal, action="staff.created", record_type="staff", record_id=account.id, interface="http"
    )
    return StaffOut.model_validate(account, from_attributes=True)


async def _hotline_account(session: AsyncSession, account_id: str) -> StaffAccount:
    account = await session.get(StaffAccount, account_id)
    if account is None or account.role not in HOTLINE_ROLES:
        raise NotFound("no such hotline staff account")
    return account


async def set_staff_disabled(session: AsyncSession, principal: Principal, account_id: str, disabled: bool) -> StaffOut:
    require_supervisor(principal)
    account = await _hotline_account(session, account_id)
    await changes.set_disabled(session, principal, account, disabled)
    return StaffOut.model_validate(account, from_attributes=True)


async def reset_staff_password(session: AsyncSession, principal: Principal, account_id: str, password: str) -> StaffOut:
    require_supervisor(principal)
    account = await _hotline_account(session, account_id)
    await changes.reset_password(session, principal, account, password)
    return StaffOut.model_validate(account, from_attributes=True)


async def unlock_staff(session: AsyncSession, principal: Principal, account_id: str) -> StaffOut:
    """Lift a lockout after repeated wrong passwords (the caller also clears the account's count)."""
    require_supervisor(principal)
    account = await _hotline_account(session, account_id)
    await changes.unlock(session, principal, account)
    return StaffOut.model_validate(account, from_attributes=True)


def is_locked(account: StaffOut) -> bool:
    """Whether the staff page shows the account as locked (and offers unlocking it)."""
    return account.locked_until is not None and account.locked_until > utcnow()


async def end_staff_sessions(session: AsyncSession, principal: Principal, account_id: str) -> StaffOut:
    """ "End all sessions": every token of the account stops working (intake at once, elsewhere within a
    minute); the account may sign in again."""
    require_supervisor(principal)
    account = await _hotline_account(session, account_id)
    await changes.end_sessions(session, principal, account)
    return StaffOut.model_validate(account, from_attributes=True)


async def audit(
    session: AsyncSession,
    principal: Principal,
    *,
    break_glass_only: bool = False,
    before_seq: int | None = None,
    limit: int = 100,
) -> list[AuditRow]:
    entries = await list_entries(
        session, principal, break_glass_only=break_glass_only, before_seq=before_seq, limit=limit
    )
    names = await _names(session)
    caller_ids = {e.record_id for e in entries if e.record_type == "caller"}
    codes = dict(
        (await session.execute(select(Caller.id, Caller.code).where(Caller.id.in_(caller_ids)))).tuples().all()
    )
    return [
        AuditRow(
            seq=e.seq,
            at=e.at,
            actor_id=e.actor_id,
            actor_name=names.get(e.actor_id, e.actor_id),
            actor_role=e.actor_role,
            action=e.action,
            record_type=e.record_type,
            record_id=e.record_id,
            caller_code=codes.get(e.record_id),
            interface=e.interface,
            reason=e.reason,
            break_glass=e.break_glass,
        )
        for e in entries
    ]


def check_can_supervise(principal: Principal) -> None:
    """Before asking referrals on the director's behalf."""
    require_supervisor(principal)


async def overdue_referrals(
    session: AsyncSession, principal: Principal, found: referrals_pb2.ReferralList
) -> list[OverdueReferral]:
    """Referrals' overdue list (a ReferralList), with the caller code intake knows for each contact."""
    require_supervisor(principal)
    c = tables.contacts.c
    contact_ids = {r.contact_id for r in found.referrals}
    callers = dict(
        (
            await session.execute(
                select(c.id, Caller.id)
                .select_from(tables.contacts)
                .join(Caller, Caller.id == c.caller_id)
                .where(c.id.in_(contact_ids))
            )
        )
        .tuples()
        .all()
    )
    codes = dict(
        (await session.execute(select(Caller.id, Caller.code).where(Caller.id.in_(set(callers.values())))))
        .tuples()
        .all()
    )
    out = []
    for r in found.referrals:
        caller_id = callers.get(r.contact_id)
        out.append(
            OverdueReferral(
                referral_id=r.id,
                reference=r.reference,
                contact_id=r.contact_id,
                caller_id=caller_id,
                caller_code=codes.get(caller_id) if caller_id is not None else None,
                service_type=r.service_type,
                urgency=r.urgency,
                region=r.region,
                status=r.status,
                escalated=r.HasField("overdue_escalated_at"),
                acknowledgement_due_at=(
                    r.acknowledgement_due_at.ToDatetime(tzinfo=UTC) if r.HasField("acknowledgement_due_at") else None
                ),
            )
        )
    return out
