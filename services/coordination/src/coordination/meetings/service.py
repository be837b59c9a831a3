"""Meetings of the Working Group. Agreement, attendance, quorum and votes come with the
coordination issue; scheduling is here so the quarterly rule can be counted."""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from coordination.meetings import events
from coordination.meetings.models import Meeting
from coordination.meetings.schemas import MeetingCreate, MeetingOut
from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import InvalidInput


def quarter_of(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


async def schedule_meeting(session: AsyncSession, principal: Principal, data: MeetingCreate,
                           zone: ZoneInfo) -> MeetingOut:
    require(principal, Permission.MEETING_SCHEDULE)
    if not data.online and not data.place:
        raise InvalidInput.single("place", "give a place, or mark the meeting as online")
    meeting = Meeting(id=new_id(), scheduled_for=data.scheduled_for, place=data.place, online=data.online,
                      agenda=list(data.agenda), quarter=quarter_of(data.scheduled_for, zone),
                      created_by=principal.subject, created_at=utcnow())
    session.add(meeting)
    await session.flush()
    await events.emit_scheduled(session, meeting)
    return MeetingOut.model_validate(meeting, from_attributes=True)
