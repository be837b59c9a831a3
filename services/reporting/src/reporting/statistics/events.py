"""Events reporting reacts to: each becomes one fact row (idempotent)."""
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import coordination_pb2, intake_pb2, referrals_pb2
from hotline_common.events.consumer import Event, Handler
from reporting.statistics import service


def _utc(timestamp, event: Event):
    return timestamp.ToDatetime(tzinfo=event.occurred_at.tzinfo)


async def on_contact_recorded(session: AsyncSession, event: Event) -> None:
    p: intake_pb2.ContactRecorded = event.payload
    await service.add_call(session, contact_id=p.contact_id, line=p.line, caller_role=p.caller_role,
                           purpose=p.purpose, started_at=_utc(p.started_at, event), event_at=event.occurred_at)


async def on_referral_created(session: AsyncSession, event: Event) -> None:
    p: referrals_pb2.ReferralCreated = event.payload
    await service.add_referral(session, referral_id=p.referral_id, service_type=p.service_type,
                               organisation_id=p.organisation_id, region=p.region, urgency=p.urgency,
                               created_at=_utc(p.created_at, event), event_at=event.occurred_at)


async def on_meeting_scheduled(session: AsyncSession, event: Event) -> None:
    p: coordination_pb2.MeetingScheduled = event.payload
    await service.add_meeting(session, meeting_id=p.meeting_id, scheduled_for=_utc(p.scheduled_for, event),
                              quarter=p.quarter, online=p.online, event_at=event.occurred_at)


CONSUMERS = {
    # consumer name: (producer, handlers)
    "reporting.calls": ("intake", [Handler("intake.contact.recorded.v1", intake_pb2.ContactRecorded,
                                           on_contact_recorded)]),
    "reporting.referrals": ("referrals", [Handler("referrals.referral.created.v1", referrals_pb2.ReferralCreated,
                                                  on_referral_created)]),
    "reporting.meetings": ("coordination", [Handler("coordination.meeting.scheduled.v1",
                                                    coordination_pb2.MeetingScheduled, on_meeting_scheduled)]),
}
