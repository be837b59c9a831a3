from sqlalchemy.ext.asyncio import AsyncSession

from coordination.meetings.models import Meeting
from coordination.meetings.rules import quorum_needed
from hotline.events.v1 import coordination_pb2
from hotline_common.events.outbox import add_event

MEETING_SCHEDULED = "coordination.meeting.scheduled.v1"
MEETING_AGREED = "coordination.meeting.agreed.v1"


async def emit_scheduled(session: AsyncSession, meeting: Meeting) -> None:
    message = coordination_pb2.MeetingScheduled(meeting_id=meeting.id, quarter=meeting.quarter,
                                                online=meeting.online, agenda_items=len(meeting.agenda))
    message.scheduled_for.FromDatetime(meeting.scheduled_for)
    await add_event(session, MEETING_SCHEDULED, message)


async def emit_agreed(session: AsyncSession, meeting: Meeting, members: int) -> None:
    message = coordination_pb2.MeetingAgreed(meeting_id=meeting.id, quarter=meeting.quarter, online=meeting.online,
                                             agenda_items=len(meeting.agenda), members=members,
                                             quorum_needed=quorum_needed(members))
    message.scheduled_for.FromDatetime(meeting.scheduled_for)
    await add_event(session, MEETING_AGREED, message)
