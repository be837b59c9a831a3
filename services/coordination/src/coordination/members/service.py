"""Working Group membership: proposals, the National Coordinator's approval or rejection, and
dated validity. A member counts on day D when approved and valid_from <= D <= valid_to (an open
valid_to counts forever). At most one head counts on any day.

Who: `may_propose_members` (entering a body's proposal) and `may_decide_members` (approving,
rejecting, ending a membership): the National Coordinator's office; the pages use the same."""

from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.members.models import APPROVED, PROPOSED, REJECTED, SECRETARY, Member, Office
from coordination.members.schemas import MemberApproval, MemberOut, MemberProposal, MemberRejection, MembershipEnd
from hotline_common.auth import Permission, Principal, not_permitted, require
from hotline_common.db import new_id, utcnow
from hotline_common.demo import ACCOUNT_IDS
from hotline_common.errors import Conflict, InvalidInput, NotFound
from hotline_common.i18n_markers import N_

# Demo members count from just after the Cabinet approved the rules (2023-05).
DEMO_MEMBERSHIP_FROM = date(2023, 6, 1)

# A demo Working Group: NAP executing bodies and specialised NGOs; the head leads the anti-trafficking department.
DEMO_MEMBERS = [
    ("Rəşad Məmmədov", "Daxili İşlər Nazirliyi, İnsan alverinə qarşı mübarizə baş idarəsi", "executing_body", True),
    ("Günel Əliyeva", "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi", "executing_body", False),
    ("Elçin Həsənov", "Xarici İşlər Nazirliyi", "executing_body", False),
    ("Nərmin Quliyeva", "Səhiyyə Nazirliyi", "executing_body", False),
    ("Tural İsmayılov", "Elm və Təhsil Nazirliyi", "executing_body", False),
    ("Səbinə Kərimova", "Ailə, Qadın və Uşaq Problemləri üzrə Dövlət Komitəsi", "executing_body", False),
    ("Aysel Rzayeva", "Təmiz Dünya İctimai Birliyi", "ngo", False),
    ("Orxan Babayev", "Dövlət Miqrasiya Xidməti", "executing_body", False),
    ("Lalə Nəsirova", "Psixoloji Dəstək Mərkəzi", "ngo", False),
]
# Demo sign-ins linked to the demo Group: the `head` login is the head member, `wgmember` the
# second member; the `secretary` login holds the secretary's office without being a member.
DEMO_SUBJECTS = {0: ACCOUNT_IDS["head"], 1: ACCOUNT_IDS["wgmember"]}
DEMO_SECRETARY = ("Kamran Əsgərov", ACCOUNT_IDS["secretary"])


def counts_on(day: date) -> ColumnElement[bool]:
    """SQL condition: the member counts on `day`."""
    return and_(
        Member.status == APPROVED, Member.valid_from <= day, or_(Member.valid_to.is_(None), Member.valid_to >= day)
    )


def counts(member: Member, day: date) -> bool:
    return (
        member.status == APPROVED
        and member.valid_from is not None
        and member.valid_from <= day
        and (member.valid_to is None or day <= member.valid_to)
    )


async def members_on(session: AsyncSession, day: date) -> list[Member]:
    return list((await session.scalars(select(Member).where(counts_on(day)))).all())


async def list_members(
    session: AsyncSession, principal: Principal, on: date | None = None, status: str | None = None
) -> list[MemberOut]:
    require(principal, Permission.WG_READ)
    query = select(Member).order_by(Member.is_head.desc(), Member.full_name)
    if on is not None:
        query = query.where(counts_on(on))
    if status is not None:
        query = query.where(Member.status == status)
    return [MemberOut.model_validate(m, from_attributes=True) for m in (await session.scalars(query)).all()]


async def _get(session: AsyncSession, member_id: str) -> Member:
    member = await session.get(Member, member_id)
    if member is None:
        raise NotFound(N_("no member {id}"), id=member_id)
    return member


async def _check_subject_free(session: AsyncSession, subject: str | None, member_id: str | None = None) -> None:
    if subject is None:
        return
    holder = await session.scalar(select(Member.id).where(Member.subject == subject))
    if holder is not None and holder != member_id:
        raise InvalidInput.single("subject", N_("this user is already linked to another member"))


def may_propose_members(principal: Principal) -> bool:
    """Entering a body's or an NGO's proposal of its representative: the Coordinator's office."""
    return principal.can(Permission.WG_MEMBER_PROPOSE)


def may_decide_members(principal: Principal) -> bool:
    """Approving or rejecting a proposed member, ending a membership: the National Coordinator."""
    return principal.can(Permission.WG_MEMBER_APPROVE)


def require_decide(principal: Principal) -> None:
    if not may_decide_members(principal):
        raise not_permitted(principal, Permission.WG_MEMBER_APPROVE)


def require_propose(principal: Principal) -> None:
    if not may_propose_members(principal):
        raise not_permitted(principal, Permission.WG_MEMBER_PROPOSE)


async def propose_member(session: AsyncSession, principal: Principal, data: MemberProposal) -> MemberOut:
    require_propose(principal)
    await _check_subject_free(session, data.subject)
    member = Member(
        id=new_id(),
        full_name=data.full_name,
        body=data.body,
        body_kind=data.body_kind,
        is_head=data.is_head,
        subject=data.subject,
        status=PROPOSED,
        proposed_by=principal.subject,
        proposed_at=utcnow(),
    )
    session.add(member)
    await session.flush()
    return MemberOut.model_validate(member, from_attributes=True)


async def _head_overlapping(session: AsyncSession, member: Member, start: date, end: date | None) -> str | None:
    """Another approved head whose validity overlaps [start, end]."""
    query = select(Member.id).where(
        Member.status == APPROVED,
        Member.is_head.is_(True),
        Member.id != member.id,
        or_(Member.valid_to.is_(None), Member.valid_to >= start),
    )
    if end is not None:
        query = query.where(Member.valid_from <= end)
    other: str | None = await session.scalar(query)
    return other


async def _proposal_to_decide(session: AsyncSession, principal: Principal, member_id: str) -> Member:
    """A proposed member the Coordinator may now approve or reject (each only once)."""
    require_decide(principal)
    member = await _get(session, member_id)
    if member.status != PROPOSED:
        raise Conflict(N_("member {id} is already {status}"), id=member_id, status=member.status)
    return member


async def approve_member(
    session: AsyncSession, principal: Principal, member_id: str, data: MemberApproval
) -> MemberOut:
    member = await _proposal_to_decide(session, principal, member_id)
    if member.is_head and await _head_overlapping(session, member, data.valid_from, None):
        raise Conflict(N_("another head is a member on these dates; end their membership first"))
    member.status, member.valid_from = APPROVED, data.valid_from
    member.decided_by, member.approved_at = principal.subject, utcnow()
    await session.flush()
    return MemberOut.model_validate(member, from_attributes=True)


async def reject_member(
    session: AsyncSession, principal: Principal, member_id: str, data: MemberRejection
) -> MemberOut:
    member = await _proposal_to_decide(session, principal, member_id)
    member.status, member.rejection_reason = REJECTED, data.reason
    member.decided_by, member.rejected_at = principal.subject, utcnow()
    await session.flush()
    return MemberOut.model_validate(member, from_attributes=True)


async def end_membership(session: AsyncSession, principal: Principal, member_id: str, data: MembershipEnd) -> MemberOut:
    require_decide(principal)
    member = await _get(session, member_id)
    if member.status != APPROVED:
        raise Conflict(N_("member {id} is {status}, not approved"), id=member_id, status=member.status)
    if member.valid_to is not None:
        raise Conflict(N_("membership already ended on {day}"), day=member.valid_to)
    assert member.valid_from is not None  # set when the membership was approved
    if data.valid_to < member.valid_from:
        raise InvalidInput.single("valid_to", N_("must not be before valid_from ({day})"), day=member.valid_from)
    member.valid_to = data.valid_to
    await session.flush()
    return MemberOut.model_validate(member, from_attributes=True)


async def load_demo_members(session: AsyncSession) -> bool:
    if (await session.scalar(select(func.count()).select_from(Member)) or 0) > 0:
        return False
    now = utcnow()
    for index, (full_name, body, kind, is_head) in enumerate(DEMO_MEMBERS):
        session.add(
            Member(
                id=new_id(),
                full_name=full_name,
                body=body,
                body_kind=kind,
                is_head=is_head,
                subject=DEMO_SUBJECTS.get(index),
                status=APPROVED,
                valid_from=DEMO_MEMBERSHIP_FROM,
                proposed_at=now,
                approved_at=now,
            )
        )
    name, subject = DEMO_SECRETARY
    session.add(
        Office(
            id=new_id(),
            office=SECRETARY,
            subject=subject,
            full_name=name,
            valid_from=DEMO_MEMBERSHIP_FROM,
            assigned_by="demo",
            assigned_at=now,
        )
    )
    return True
