from sqlalchemy.ext.asyncio import AsyncSession

from coordination.meetings.models import Meeting
from hotline.events.v1 import coordination_pb2
from hotline_common.events.outbox import add_event

MEETING_SCHEDULED = "coordination.meeting.scheduled.v1"


async def emit_scheduled(session: AsyncSession, meeting: Meeting) -> None:
    message = coordination_pb2.MeetingScheduled(meeting_id=meeting.id, quarter=meeting.quarter,
                                                online=meeting.online, agenda_items=len(meeting.agenda))
    message.scheduled_for.FromDatetime(meeting.scheduled_for)
    await add_event(session, MEETING_SCHEDULED, message)
