from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

import grpc

from coordination.meetings import service
from coordination.meetings.schemas import MeetingCreate
from hotline.coordination.v1 import coordination_pb2
from hotline_common.grpc_server import principal_from_context

if TYPE_CHECKING:
    from coordination.runtime import CoordinationRuntime


async def schedule_meeting(
    runtime: CoordinationRuntime,
    request: coordination_pb2.ScheduleMeetingRequest,
    context: grpc.aio.ServicerContext[coordination_pb2.ScheduleMeetingRequest, coordination_pb2.Meeting],
) -> coordination_pb2.Meeting:
    principal = await principal_from_context(context, runtime.verifier)
    data = MeetingCreate(
        scheduled_for=request.scheduled_for.ToDatetime(tzinfo=UTC) if request.HasField("scheduled_for") else None,
        place=request.place,
        online=request.online,
        agenda=list(request.agenda),
    )
    async with runtime.db.transaction() as session:
        meeting = await service.schedule_meeting(session, principal, data, runtime.zone)
    message = coordination_pb2.Meeting(
        id=meeting.id, place=meeting.place, online=meeting.online, agenda=meeting.agenda, quarter=meeting.quarter
    )
    message.scheduled_for.FromDatetime(meeting.scheduled_for)
    return message
