from sqlalchemy.ext.asyncio import AsyncSession

from coordination.meetings.models import Meeting, QuarterWarning
from coordination.meetings.rules import quorum_needed
from hotline.events.v1 import coordination_pb2
from hotline_common.events.outbox import add_event

MEETING_SCHEDULED = "coordination.meeting.scheduled.v1"
MEETING_AGREED = "coordination.meeting.agreed.v1"
MEETING_HELD = "coordination.meeting.held.v1"
QUARTER_WARNING = "coordination.meeting.quarter_warning.v1"


async def emit_scheduled(session: AsyncSession, meeting: Meeting) -> None:
    message = coordination_pb2.MeetingScheduled(
        meeting_id=meeting.id, quarter=meeting.quarter, online=meeting.online, agenda_items=len(meeting.agenda)
    )
    message.scheduled_for.FromDatetime(meeting.scheduled_for)
    await add_event(session, MEETING_SCHEDULED, message)


async def emit_agreed(session: AsyncSession, meeting: Meeting, members: int) -> None:
    message = coordination_pb2.MeetingAgreed(
        meeting_id=meeting.id,
        quarter=meeting.quarter,
        online=meeting.online,
        agenda_items=len(meeting.agenda),
        members=members,
        quorum_needed=quorum_needed(members),
    )
    message.scheduled_for.FromDatetime(meeting.scheduled_for)
    await add_event(session, MEETING_AGREED, message)


async def emit_held(session: AsyncSession, meeting: Meeting, *, members: int, present: int, quorate: bool) -> None:
    message = coordination_pb2.MeetingHeld(
        meeting_id=meeting.id, quarter=meeting.quarter, members=members, present=present, quorate=quorate
    )
    assert meeting.held_at is not None  # emitted once the meeting is held
    message.held_at.FromDatetime(meeting.held_at)
    await add_event(session, MEETING_HELD, message)


async def emit_quarter_warning(session: AsyncSession, warning: QuarterWarning, warning_weeks: int) -> None:
    message = coordination_pb2.QuarterWithoutMeeting(
        quarter=warning.quarter, days_left=warning.days_left, warning_weeks=warning_weeks
    )
    message.warned_at.FromDatetime(warning.warned_at)
    await add_event(session, QUARTER_WARNING, message)
