"""Offices within the Working Group, checked here (coordination's own rule) on top of the shared
roles: the head and the secretary sign in with the plain wg_member role.

- the head (the head member on the day, by its `subject`) proposes meetings, keeps the record and
  alone signs the protocol;
- the secretary (an Office row valid on the day) prepares meetings: drafts the agenda, records
  attendance, notes, assignments and the votes as cast; never signs, and votes only as a member;
- the National Coordinator's office (Permission.MEETING_RECORD / MEETING_SCHEDULE) may do what
  it did before offices existed."""

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.members.models import SECRETARY, Member, Office
from coordination.members.service import counts_on
from hotline_common.auth import Permission, Principal, require
from hotline_common.errors import PermissionDenied


async def head_on(session: AsyncSession, day: date) -> Member | None:
    return await session.scalar(select(Member).where(counts_on(day), Member.is_head.is_(True)))


async def is_head(session: AsyncSession, principal: Principal, day: date) -> bool:
    head = await head_on(session, day)
    return head is not None and head.subject is not None and head.subject == principal.subject


async def is_secretary(session: AsyncSession, principal: Principal, day: date) -> bool:
    held = await session.scalar(
        select(Office.id).where(
            Office.office == SECRETARY,
            Office.subject == principal.subject,
            Office.valid_from <= day,
            or_(Office.valid_to.is_(None), and_(Office.valid_to >= day)),
        )
    )
    return held is not None


async def offices_of(session: AsyncSession, principal: Principal, day: date) -> set[str]:
    found = set()
    if await is_head(session, principal, day):
        found.add("head")
    if await is_secretary(session, principal, day):
        found.add(SECRETARY)
    return found


async def require_schedule(session: AsyncSession, principal: Principal, day: date) -> None:
    """Proposing a meeting: the head (DOMAIN.md §2: meetings are called by the head), or the
    Coordinator's office."""
    require(principal, Permission.WG_READ)
    if principal.can(Permission.MEETING_SCHEDULE) or await is_head(session, principal, day):
        return
    raise PermissionDenied("only the head of the Working Group proposes meetings")


async def require_record(session: AsyncSession, principal: Principal, day: date) -> None:
    """Keeping a meeting's record: the secretary, the head, or the Coordinator's office."""
    require(principal, Permission.WG_READ)
    if principal.can(Permission.MEETING_RECORD) or await offices_of(session, principal, day):
        return
    raise PermissionDenied("only the secretary, the head or the Coordinator's office keep a meeting's record")


async def require_head(session: AsyncSession, principal: Principal, day: date) -> None:
    require(principal, Permission.WG_READ)
    if not await is_head(session, principal, day):
        raise PermissionDenied("only the head of the Working Group on the meeting's day signs its protocol")
