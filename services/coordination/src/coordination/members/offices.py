"""Offices within the Working Group, coordination's own rule on top of the shared roles: the head
and the secretary sign in with the plain wg_member role.

- the head (the head member on the day, by its `subject`) proposes meetings, keeps the record and
  alone signs the protocol;
- the secretary (an Office row valid on the day) prepares meetings: drafts the agenda, records
  attendance, notes, assignments and the votes as cast; never signs, and votes only as a member;
- the National Coordinator's office (Permission.MEETING_RECORD / MEETING_SCHEDULE) may do what
  it did before offices existed.

Who may do what is decided by the `may_…` predicates of each domain's service (e.g.
`meetings.service.may_keep_record`), built on these facts; the service's checks and the pages use
the same predicates."""

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.members.models import SECRETARY, Member, Office
from coordination.members.service import counts_on
from hotline_common.auth import Principal

HEAD = "head"


async def head_on(session: AsyncSession, day: date) -> Member | None:
    head: Member | None = await session.scalar(select(Member).where(counts_on(day), Member.is_head.is_(True)))
    return head


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


async def offices_of(session: AsyncSession, principal: Principal, day: date) -> list[str]:
    """The offices the principal holds on `day` (shown beside their name), in a fixed order."""
    found = []
    if await is_head(session, principal, day):
        found.append(HEAD)
    if await is_secretary(session, principal, day):
        found.append(SECRETARY)
    return found


async def holds_office(session: AsyncSession, principal: Principal, day: date) -> bool:
    """The head or the secretary on `day`."""
    return bool(await offices_of(session, principal, day))
