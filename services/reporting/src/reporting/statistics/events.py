"""Events reporting reacts to: thin handlers that turn a payload into projection facts.

Every handler also notes the event's time for its consumer (the lag shown on the dashboard).
`CONSUMERS` is the single list the runtime's durables and `reporting rebuild` both use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import cast

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import coordination_pb2, intake_pb2, referrals_pb2
from hotline_common.events.consumer import Event, Handler
from reporting.statistics import projection


def _utc(timestamp: Timestamp, event: Event) -> datetime:
    return timestamp.ToDatetime(tzinfo=event.occurred_at.tzinfo)


def _utc_or_none(message: Message, field: str, event: Event) -> datetime | None:
    return _utc(getattr(message, field), event) if message.HasField(field) else None


async def on_contact_recorded(session: AsyncSession, event: Event) -> None:
    p = cast(intake_pb2.ContactRecorded, event.payload)
    sheet = {
        "contact_id": p.contact_id,
        "revision": p.revision,
        "caller_id": p.caller_id,
        "line": p.line,
        "caller_role": p.caller_role,
        "purpose": p.purpose,
        "started_at": _utc(p.started_at, event),
        "event_at": event.occurred_at,
        "duration_seconds": p.duration_seconds,
        "sex": p.caller_sex,
        "age_group": p.caller_age_group,
        "citizenship": p.caller_citizenship,
        "country": p.caller_country,
        "region": p.caller_region,
        "language": p.caller_language,
        "motive": p.motive,
        "destination_country": p.destination_country,
        "risk_level": p.risk_level,
        "labour_industry": p.labour_industry,
        "crisis_support": p.crisis_support,
        "returning_caller": p.returning_caller,
        "follow_up_needed": p.follow_up_needed,
    }
    await projection.record_call(session, sheet, list(p.exploitation_types), list(p.methods_of_control))


async def on_high_risk_raised(session: AsyncSession, event: Event) -> None:
    p = cast(intake_pb2.HighRiskRaised, event.payload)
    raised_at = _utc_or_none(p, "raised_at", event) or event.occurred_at
    await projection.record_high_risk(session, p.contact_id, raised_at, p.police_report_consented)


async def on_referral_created(session: AsyncSession, event: Event) -> None:
    p = cast(referrals_pb2.ReferralCreated, event.payload)
    await projection.record_referral_created(
        session,
        referral_id=p.referral_id,
        service_type=p.service_type,
        organisation_id=p.organisation_id,
        region=p.region,
        urgency=p.urgency,
        created_at=_utc(p.created_at, event),
        status=p.status,
        acknowledgement_due_at=_utc_or_none(p, "acknowledgement_due_at", event),
        consent_given=p.consent_given,
        event_at=event.occurred_at,
    )


async def on_referral_status_changed(session: AsyncSession, event: Event) -> None:
    p = cast(referrals_pb2.ReferralStatusChanged, event.payload)
    changed_at = _utc_or_none(p, "changed_at", event) or event.occurred_at
    await projection.record_referral_status(
        session,
        referral_id=p.referral_id,
        to_status=p.to_status,
        changed_at=changed_at,
        reason_code=p.reason_code,
        created_at=_utc_or_none(p, "created_at", event) or changed_at,
        event_at=event.occurred_at,
        service_type=p.service_type,
        organisation_id=p.organisation_id,
        region=p.region,
    )


async def on_referral_overdue(session: AsyncSession, event: Event) -> None:
    p = cast(referrals_pb2.ReferralOverdue, event.payload)
    await projection.record_referral_overdue(
        session,
        referral_id=p.referral_id,
        escalated_at=_utc_or_none(p, "escalated_at", event) or event.occurred_at,
        acknowledgement_due_at=_utc_or_none(p, "acknowledgement_due_at", event),
        event_at=event.occurred_at,
        service_type=p.service_type,
        organisation_id=p.organisation_id,
        region=p.region,
        urgency=p.urgency,
    )


async def on_consent_revoked(session: AsyncSession, event: Event) -> None:
    p = cast(referrals_pb2.ConsentRevoked, event.payload)
    await projection.record_consent_revoked(session, p.referral_id, event.occurred_at)


async def on_meeting_scheduled(session: AsyncSession, event: Event) -> None:
    p = cast(coordination_pb2.MeetingScheduled, event.payload)
    await projection.record_meeting_scheduled(
        session,
        meeting_id=p.meeting_id,
        scheduled_for=_utc(p.scheduled_for, event),
        quarter=p.quarter,
        online=p.online,
        agenda_items=p.agenda_items,
        event_at=event.occurred_at,
    )


async def on_meeting_agreed(session: AsyncSession, event: Event) -> None:
    p = cast(coordination_pb2.MeetingAgreed, event.payload)
    await projection.record_meeting_agreed(
        session,
        meeting_id=p.meeting_id,
        scheduled_for=_utc(p.scheduled_for, event),
        quarter=p.quarter,
        online=p.online,
        agenda_items=p.agenda_items,
        members=p.members,
        quorum_needed=p.quorum_needed,
        event_at=event.occurred_at,
    )


async def on_meeting_held(session: AsyncSession, event: Event) -> None:
    p = cast(coordination_pb2.MeetingHeld, event.payload)
    await projection.record_meeting_held(
        session,
        meeting_id=p.meeting_id,
        held_at=_utc_or_none(p, "held_at", event) or event.occurred_at,
        quarter=p.quarter,
        members=p.members,
        present=p.present,
        quorate=p.quorate,
        event_at=event.occurred_at,
    )


async def on_decision_adopted(session: AsyncSession, event: Event) -> None:
    p = cast(coordination_pb2.DecisionAdopted, event.payload)
    await projection.record_decision(
        session,
        proposal_id=p.proposal_id,
        meeting_id=p.meeting_id,
        decided_at=_utc_or_none(p, "decided_at", event) or event.occurred_at,
        votes_for=p.votes_for,
        votes_against=p.votes_against,
        abstentions=p.abstentions,
        decided_by_head=p.decided_by_head,
    )


async def on_protocol_signed(session: AsyncSession, event: Event) -> None:
    p = cast(coordination_pb2.ProtocolSigned, event.payload)
    await projection.record_protocol_signed(session, p.meeting_id)


async def on_nap_measure_updated(session: AsyncSession, event: Event) -> None:
    p = cast(coordination_pb2.NapMeasureUpdated, event.payload)
    await projection.record_nap_measure(
        session,
        measure_id=p.measure_id,
        number=p.number,
        status=p.status,
        executing_bodies=list(p.executing_bodies),
        deadline=_utc_or_none(p, "deadline", event),
        updated_at=_utc_or_none(p, "updated_at", event) or event.occurred_at,
        overdue=p.overdue,
    )


def _noting(
    consumer: str, fn: Callable[[AsyncSession, Event], Awaitable[None]]
) -> Callable[[AsyncSession, Event], Awaitable[None]]:
    async def handle(session: AsyncSession, event: Event) -> None:
        await fn(session, event)
        await projection.note_event(session, consumer, event.occurred_at)

    handle.__name__ = fn.__name__
    return handle


_SUBSCRIPTIONS = {
    # consumer name: (producer, [(subject, payload type, handler)])
    "reporting.calls": (
        "intake",
        [
            ("intake.contact.recorded.v1", intake_pb2.ContactRecorded, on_contact_recorded),
            ("intake.screening.high_risk.v1", intake_pb2.HighRiskRaised, on_high_risk_raised),
        ],
    ),
    "reporting.referrals": (
        "referrals",
        [
            ("referrals.referral.created.v1", referrals_pb2.ReferralCreated, on_referral_created),
            ("referrals.referral.status_changed.v1", referrals_pb2.ReferralStatusChanged, on_referral_status_changed),
            ("referrals.referral.overdue.v1", referrals_pb2.ReferralOverdue, on_referral_overdue),
            ("referrals.consent.revoked.v1", referrals_pb2.ConsentRevoked, on_consent_revoked),
        ],
    ),
    "reporting.meetings": (
        "coordination",
        [
            ("coordination.meeting.scheduled.v1", coordination_pb2.MeetingScheduled, on_meeting_scheduled),
            ("coordination.meeting.agreed.v1", coordination_pb2.MeetingAgreed, on_meeting_agreed),
            ("coordination.meeting.held.v1", coordination_pb2.MeetingHeld, on_meeting_held),
            ("coordination.decision.adopted.v1", coordination_pb2.DecisionAdopted, on_decision_adopted),
            ("coordination.protocol.signed.v1", coordination_pb2.ProtocolSigned, on_protocol_signed),
            ("coordination.nap.measure.updated.v1", coordination_pb2.NapMeasureUpdated, on_nap_measure_updated),
        ],
    ),
}

CONSUMERS = {
    name: (producer, [Handler(subject, message_type, _noting(name, fn)) for subject, message_type, fn in handlers])
    for name, (producer, handlers) in _SUBSCRIPTIONS.items()
}
