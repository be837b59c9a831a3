"""Meetings of the Working Group: proposed by the head (or the Coordinator's office), agreed with its agenda by the National Coordinator, held, closed. Attendance is
recorded once the meeting is agreed and before it opens; opening freezes it, so the quorum every
vote is checked against cannot shift under a vote. Quorum counts the members on the meeting's
local date (see members.service).

Who: `may_schedule` (the head, or the Coordinator's office), `may_agree` (the National
Coordinator), `may_keep_record` (the secretary, the head, or the Coordinator's office): the checks
here and the pages' buttons use the same predicates."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.decisions.models import Proposal
from coordination.exchange.service import invite
from coordination.meetings import events
from coordination.meetings.models import AGREED, CLOSED, HELD, PROPOSED, Assignment, Attendance, Meeting
from coordination.meetings.rules import Presence, has_quorum, quorum_needed, takes_part
from coordination.meetings.schemas import (
    AgendaIn,
    AssignmentIn,
    AssignmentOut,
    AttendanceIn,
    AttendanceOut,
    MeetingCreate,
    MeetingOut,
    MeetingRecordOut,
    NotesIn,
    QuorumOut,
)
from coordination.members import offices
from coordination.members.models import Member
from coordination.members.service import members_on
from hotline_common.auth import Permission, Principal, not_permitted, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hotline_common.i18n_markers import N_


def quarter_of(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def meeting_day(meeting: Meeting, zone: ZoneInfo) -> date:
    """The day whose membership the meeting's quorum is counted against, in the hotline's local time."""
    return meeting.scheduled_for.astimezone(zone).date()


@dataclass(frozen=True)
class QuorumState:
    members: list[Member]
    presence: dict[str, Presence]
    replacements: dict[str, str]

    @property
    def present(self) -> int:
        return sum(1 for m in self.members if takes_part(self.presence.get(m.id, Presence.ABSENT)))

    @property
    def has_quorum(self) -> bool:
        return has_quorum(self.present, len(self.members))

    @property
    def head(self) -> str | None:
        return next((m.id for m in self.members if m.is_head), None)

    def out(self) -> QuorumOut:
        return QuorumOut(
            members=len(self.members),
            present=self.present,
            needed=quorum_needed(len(self.members)),
            has_quorum=self.has_quorum,
        )

    def refuse_without_quorum(self) -> None:
        if not self.has_quorum:
            q = self.out()
            raise Conflict(
                N_(
                    "no quorum: {present} of {members} members take part, {needed} needed; "
                    "the meeting may discuss but can adopt no proposal"
                ),
                present=q.present,
                members=q.members,
                needed=q.needed,
            )


async def get_meeting_row(session: AsyncSession, meeting_id: str, *, for_update: bool = False) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id)
    if for_update:
        query = query.with_for_update()
    meeting = await session.scalar(query)
    if meeting is None:
        raise NotFound(N_("no meeting {id}"), id=meeting_id)
    return meeting


async def quorum_state(session: AsyncSession, meeting: Meeting, zone: ZoneInfo) -> QuorumState:
    members = await members_on(session, meeting_day(meeting, zone))
    rows = (await session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))).all()
    return QuorumState(
        members=members,
        presence={a.member_id: Presence(a.presence) for a in rows},
        replacements={a.member_id: a.replacement_name for a in rows if a.replacement_name},
    )


def require_status(meeting: Meeting, *allowed: str, refusal: str) -> None:
    """`refusal`: the template saying what needs which status, with `{status}` the meeting's."""
    if meeting.status not in allowed:
        raise Conflict(refusal, status=meeting.status)


def today_in(zone: ZoneInfo) -> date:
    return utcnow().astimezone(zone).date()


async def may_schedule(session: AsyncSession, principal: Principal, day: date) -> bool:
    """Proposing a meeting: the head (DOMAIN.md §2: meetings are called by the head), or the
    Coordinator's office. They are also the ones the page warns about a quarter without a meeting."""
    return principal.can(Permission.MEETING_SCHEDULE) or await offices.is_head(session, principal, day)


def may_agree(principal: Principal) -> bool:
    """Agreeing a meeting and its agenda: the National Coordinator (DOMAIN.md §2)."""
    return principal.can(Permission.MEETING_AGREE)


async def may_keep_record(session: AsyncSession, principal: Principal, day: date) -> bool:
    """Keeping a meeting's record: the secretary, the head, or the Coordinator's office."""
    return principal.can(Permission.MEETING_RECORD) or await offices.holds_office(session, principal, day)


async def require_schedule(session: AsyncSession, principal: Principal, day: date) -> None:
    require(principal, Permission.WG_READ)
    if not await may_schedule(session, principal, day):
        raise PermissionDenied(N_("only the head of the Working Group proposes meetings"))


async def require_record(session: AsyncSession, principal: Principal, day: date) -> None:
    require(principal, Permission.WG_READ)
    if not await may_keep_record(session, principal, day):
        raise PermissionDenied(N_("only the secretary, the head or the Coordinator's office keep a meeting's record"))


async def require_record_of(session: AsyncSession, principal: Principal, meeting_id: str, zone: ZoneInfo) -> None:
    """Refuses whoever may not keep this meeting's record (a page asks before reading its form)."""
    require(principal, Permission.WG_READ)
    await require_record(session, principal, meeting_day(await get_meeting_row(session, meeting_id), zone))


async def schedule_meeting(
    session: AsyncSession, principal: Principal, data: MeetingCreate, zone: ZoneInfo
) -> MeetingOut:
    await require_schedule(session, principal, today_in(zone))
    if not data.online and not data.place:
        raise InvalidInput.single("place", N_("give a place, or mark the meeting as online"))
    meeting = Meeting(
        id=new_id(),
        scheduled_for=data.scheduled_for,
        place=data.place,
        online=data.online,
        agenda=list(data.agenda),
        quarter=quarter_of(data.scheduled_for, zone),
        created_by=principal.subject,
        created_at=utcnow(),
        status=PROPOSED,
    )
    session.add(meeting)
    await session.flush()
    await events.emit_scheduled(session, meeting)
    return MeetingOut.model_validate(meeting, from_attributes=True)


async def get_meeting(session: AsyncSession, principal: Principal, meeting_id: str, zone: ZoneInfo) -> MeetingRecordOut:
    require(principal, Permission.WG_READ)
    meeting = await get_meeting_row(session, meeting_id)
    state = await quorum_state(session, meeting, zone)
    attendance = [
        AttendanceOut(member_id=k, presence=v, replacement_name=state.replacements.get(k))
        for k, v in sorted(state.presence.items())
    ]
    assignments = (
        await session.scalars(
            select(Assignment)
            .where(Assignment.meeting_id == meeting.id)
            .order_by(Assignment.agenda_item, Assignment.created_at)
        )
    ).all()
    return MeetingRecordOut(
        **MeetingOut.model_validate(meeting, from_attributes=True).model_dump(),
        attendance=attendance,
        quorum=state.out(),
        notes=meeting.notes or "",
        assignments=[AssignmentOut.model_validate(a, from_attributes=True) for a in assignments],
    )


async def agree_meeting(session: AsyncSession, principal: Principal, meeting_id: str, zone: ZoneInfo) -> MeetingOut:
    """The National Coordinator agrees the meeting and its agenda (DOMAIN.md §2); the invitations
    go out to the participants as a message, in the same transaction."""
    if not may_agree(principal):
        raise not_permitted(principal, Permission.MEETING_AGREE)
    meeting = await get_meeting_row(session, meeting_id, for_update=True)
    require_status(meeting, PROPOSED, refusal=N_("meeting is {status}; agreeing needs it proposed"))
    meeting.status, meeting.agreed_by, meeting.agreed_at = AGREED, principal.subject, utcnow()
    await session.flush()
    members = await members_on(session, meeting_day(meeting, zone))
    await events.emit_agreed(session, meeting, len(members))
    await invite(session, principal, meeting, zone)
    return MeetingOut.model_validate(meeting, from_attributes=True)


async def record_attendance(
    session: AsyncSession, principal: Principal, meeting_id: str, data: AttendanceIn, zone: ZoneInfo
) -> MeetingRecordOut:
    meeting = await get_meeting_row(session, meeting_id, for_update=True)
    day = meeting_day(meeting, zone)
    await require_record(session, principal, day)
    require_status(meeting, AGREED, refusal=N_("meeting is {status}; recording attendance needs it agreed"))
    member_ids = {m.id for m in await members_on(session, day)}
    seen: set[str] = set()
    for index, entry in enumerate(data.entries):
        if entry.member_id not in member_ids:
            raise InvalidInput.single(
                f"entries.{index}.member_id", N_("not a member of the Working Group on {day}"), day=day
            )
        if entry.member_id in seen:
            raise InvalidInput.single(f"entries.{index}.member_id", N_("listed twice"))
        seen.add(entry.member_id)
    existing = {
        a.member_id: a
        for a in (await session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))).all()
    }
    now = utcnow()
    for entry in data.entries:
        row = existing.get(entry.member_id)
        if row is None:
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    member_id=entry.member_id,
                    presence=entry.presence,
                    replacement_name=entry.replacement_name,
                    recorded_by=principal.subject,
                    recorded_at=now,
                )
            )
        else:
            row.presence, row.replacement_name = entry.presence, entry.replacement_name
            row.recorded_by, row.recorded_at = principal.subject, now
    await session.flush()
    return await get_meeting(session, principal, meeting_id, zone)


async def open_meeting(session: AsyncSession, principal: Principal, meeting_id: str, zone: ZoneInfo) -> MeetingOut:
    """The meeting is held: attendance is frozen, votes may be taken. Without quorum it may still be
    held for discussion; votes are refused then. Emits meeting.held with counts only."""
    meeting = await get_meeting_row(session, meeting_id, for_update=True)
    await require_record(session, principal, meeting_day(meeting, zone))
    require_status(meeting, AGREED, refusal=N_("meeting is {status}; holding the meeting needs it agreed"))
    meeting.status, meeting.held_at = HELD, utcnow()
    await session.flush()
    state = await quorum_state(session, meeting, zone)
    await events.emit_held(
        session, meeting, members=len(state.members), present=state.present, quorate=state.has_quorum
    )
    return MeetingOut.model_validate(meeting, from_attributes=True)


async def close_meeting(session: AsyncSession, principal: Principal, meeting_id: str, zone: ZoneInfo) -> MeetingOut:
    """Closes the record. Proposals never decided stay undecided (not put to the vote)."""
    meeting = await get_meeting_row(session, meeting_id, for_update=True)
    await require_record(session, principal, meeting_day(meeting, zone))
    require_status(meeting, HELD, refusal=N_("meeting is {status}; closing needs it held"))
    meeting.status, meeting.closed_at = CLOSED, utcnow()
    await session.flush()
    return MeetingOut.model_validate(meeting, from_attributes=True)


async def set_agenda(
    session: AsyncSession, principal: Principal, meeting_id: str, data: AgendaIn, zone: ZoneInfo
) -> MeetingRecordOut:
    """The secretary (or the head) drafts the agenda until the Coordinator agrees it; an agreed
    agenda is what the Coordinator agreed, so it no longer changes. Items carrying proposals stay."""
    meeting = await get_meeting_row(session, meeting_id, for_update=True)
    await require_record(session, principal, meeting_day(meeting, zone))
    require_status(meeting, PROPOSED, refusal=N_("meeting is {status}; changing the agenda needs it proposed"))
    used = set((await session.scalars(select(Proposal.agenda_item).where(Proposal.meeting_id == meeting.id))).all())
    if used and max(used) > len(data.agenda):
        raise InvalidInput.single(
            "agenda", N_("item {item} carries a proposal; keep at least {item} items"), item=max(used)
        )
    meeting.agenda = list(data.agenda)
    await session.flush()
    return await get_meeting(session, principal, meeting_id, zone)


async def write_notes(
    session: AsyncSession, principal: Principal, meeting_id: str, data: NotesIn, zone: ZoneInfo
) -> MeetingRecordOut:
    """The discussion notes, written while the meeting is held or after it closed; a signed
    protocol keeps the notes it was signed with (a later edit needs a correcting protocol)."""
    meeting = await get_meeting_row(session, meeting_id, for_update=True)
    await require_record(session, principal, meeting_day(meeting, zone))
    require_status(meeting, HELD, CLOSED, refusal=N_("meeting is {status}; writing notes needs it held or closed"))
    meeting.notes = data.notes
    await session.flush()
    return await get_meeting(session, principal, meeting_id, zone)


async def add_assignment(
    session: AsyncSession, principal: Principal, meeting_id: str, data: AssignmentIn, zone: ZoneInfo
) -> MeetingRecordOut:
    meeting = await get_meeting_row(session, meeting_id, for_update=True)
    await require_record(session, principal, meeting_day(meeting, zone))
    require_status(
        meeting, HELD, CLOSED, refusal=N_("meeting is {status}; recording an assignment needs it held or closed")
    )
    if data.agenda_item > len(meeting.agenda):
        raise InvalidInput.single("agenda_item", N_("the agenda has {count} items"), count=len(meeting.agenda))
    if data.deadline < meeting_day(meeting, zone):
        raise InvalidInput.single("deadline", N_("must not be before the meeting's day"))
    session.add(
        Assignment(
            id=new_id(),
            meeting_id=meeting.id,
            agenda_item=data.agenda_item,
            text=data.text,
            owner=data.owner,
            deadline=data.deadline,
            created_by=principal.subject,
            created_at=utcnow(),
        )
    )
    await session.flush()
    return await get_meeting(session, principal, meeting_id, zone)


async def list_meetings(session: AsyncSession, principal: Principal) -> list[MeetingOut]:
    require(principal, Permission.WG_READ)
    rows = (await session.scalars(select(Meeting).order_by(Meeting.scheduled_for.desc()))).all()
    return [MeetingOut.model_validate(m, from_attributes=True) for m in rows]
