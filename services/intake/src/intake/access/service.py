"""Who reads a caller's identity-bearing data, and on what grounds: one decision for a call's sheet,
note and agency, a caller's journal and profile, and the values shared with a partner, on every
interface (REST, pages, gRPC). A reader linked to the call or the caller reads with the link as the
audited purpose; anyone else states a reason (break-glass), the read is flagged to the director and,
like every read, written to the audit chain in the transaction of the read."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal
from hotline_common.errors import InvalidInput, PermissionDenied
from intake.audit.schemas import BREAK_GLASS_SUFFIX
from intake.audit.service import record_access
from intake.callers.models import FollowUpAssignment
from intake.contact.models import Contact
from intake.identity.models import Caller

BREAK_GLASS_MIN_REASON = 10
MAX_REASON = 300  # the audit entry's column
MERGED = "merged"

# The purpose an audit entry records for a reader with a link (when they state none of their own).
SUPERVISION = "director's supervision"
OWN_CALL = "the operator of the call"
ASSIGNED_FOLLOW_UP = "the follow-up is assigned to them"
LINKED_CALLER = "linked to the caller"


class BreakGlassRequired(PermissionDenied):
    """A read of a record one has no link to needs a stated reason."""

    def __init__(self, field: str = "reason"):
        super().__init__(
            "you have no contact with and no assignment to this caller: state why you open their record "
            "({field}, at least {minimum} characters); the director will see it",
            field=field,
            minimum=BREAK_GLASS_MIN_REASON,
        )
        self.field = field


def is_supervisor(principal: Principal) -> bool:
    # The director supervises every open case.
    return principal.can(Permission.HOTLINE_SUPERVISE)


async def root_of(session: AsyncSession, caller: Caller) -> Caller:
    """The profile a merged one now lives in (merges can chain)."""
    seen = set()
    while caller.status == MERGED and caller.merged_into_id and caller.id not in seen:
        seen.add(caller.id)
        into = await session.get(Caller, caller.merged_into_id)
        if into is None:
            break
        caller = into
    return caller


async def group_of(session: AsyncSession, caller: Caller) -> list[Caller]:
    """The profile and every profile merged into it (directly or through another)."""
    group, frontier = [caller], [caller.id]
    while frontier:
        merged = (
            await session.scalars(select(Caller).where(Caller.merged_into_id.in_(frontier), Caller.status == MERGED))
        ).all()
        group += merged
        frontier = [c.id for c in merged]
    return group


async def linked_group(session: AsyncSession, caller: Caller) -> list[Caller]:
    """The caller first, then every profile it is one person with (its survivor and what merged into it)."""
    root = await root_of(session, caller)
    return [caller, *(c for c in await group_of(session, root) if c.id != caller.id)]


async def has_link(session: AsyncSession, principal: Principal, group: list[Caller]) -> bool:
    """A contact of theirs with this caller, or the caller (or one of their follow-ups) assigned to them."""
    me = principal.subject
    if any(c.assigned_operator_id == me or c.created_by == me for c in group):
        return True
    ids = [c.id for c in group]
    own_contact = exists().where(Contact.caller_id.in_(ids), Contact.operator_id == me)
    own_follow_up = exists().where(
        FollowUpAssignment.operator_id == me,
        FollowUpAssignment.contact_id == Contact.id,
        Contact.caller_id.in_(ids),
    )
    return bool(await session.scalar(select(or_(own_contact, own_follow_up))))


async def follow_up_operator(session: AsyncSession, contact: Contact) -> str:
    """Who does the call's follow-up: the director's assignee, else the operator who took the call."""
    assignee = await session.scalar(
        select(FollowUpAssignment.operator_id).where(FollowUpAssignment.contact_id == contact.id)
    )
    return assignee or contact.operator_id


async def caller_grounds(session: AsyncSession, principal: Principal, group: list[Caller]) -> str:
    """The reader's link to a caller (their purpose), "" without one."""
    if is_supervisor(principal):
        return SUPERVISION
    return LINKED_CALLER if await has_link(session, principal, group) else ""


async def contact_grounds(session: AsyncSession, principal: Principal, contact: Contact) -> str:
    """The reader's link to a call (their purpose), "" without one: the call's operator, the
    follow-up's assignee, or a link to the caller the call belongs to."""
    if is_supervisor(principal):
        return SUPERVISION
    if contact.operator_id == principal.subject:
        return OWN_CALL
    if await follow_up_operator(session, contact) == principal.subject:
        return ASSIGNED_FOLLOW_UP
    caller = await session.get(Caller, contact.caller_id) if contact.caller_id else None
    if caller is not None and await has_link(session, principal, await linked_group(session, caller)):
        return LINKED_CALLER
    return ""


async def grant_read(
    session: AsyncSession,
    principal: Principal,
    record: Contact | list[Caller],
    *,
    action: str,
    interface: str,
    reason: str = "",
    reason_field: str = "reason",
    purpose: str = "",
) -> bool:
    """The one decision for a read of identity-bearing data: a call (`Contact`) or a caller (their
    profile group, first the one read). Writes the audit entry (flagged when break-glass) or raises
    BreakGlassRequired naming `reason_field`. The entry records the stated reason, else what the
    read is for (`purpose`) and the reader's link. True when the read is break-glass."""
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON:
        raise InvalidInput.single(reason_field, "at most {maximum} characters", maximum=MAX_REASON)
    if isinstance(record, Contact):
        grounds = await contact_grounds(session, principal, record)
        record_type, record_id = "contact", record.id
    else:
        grounds = await caller_grounds(session, principal, record)
        record_type, record_id = "caller", record[0].id
    break_glass = not grounds
    if break_glass and len(reason) < BREAK_GLASS_MIN_REASON:
        raise BreakGlassRequired(reason_field)
    await record_access(
        session,
        principal,
        action=action + BREAK_GLASS_SUFFIX if break_glass else action,
        record_type=record_type,
        record_id=record_id,
        interface=interface,
        reason=reason or (f"{purpose} ({grounds})" if purpose else grounds),
    )
    return break_glass
