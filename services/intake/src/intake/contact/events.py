"""What contacts emit and which events they react to. Emitted payloads carry codes only."""
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import intake_pb2, referrals_pb2
from hotline_common.events.consumer import Event, Handler
from hotline_common.events.outbox import add_event
from intake.contact.models import Contact

CONTACT_RECORDED = "intake.contact.recorded.v1"
REFERRAL_CREATED = "referrals.referral.created.v1"


async def emit_recorded(session: AsyncSession, contact: Contact) -> None:
    message = intake_pb2.ContactRecorded(
        contact_id=contact.id, line=contact.line, caller_role=contact.caller_role, purpose=contact.purpose,
        operator_id=contact.operator_id,
    )
    message.started_at.FromDatetime(contact.started_at)
    message.recorded_at.FromDatetime(contact.recorded_at)
    await add_event(session, CONTACT_RECORDED, message)


async def on_referral_created(session: AsyncSession, event: Event) -> None:
    from intake.contact import service  # service emits through this module; import on use

    referral: referrals_pb2.ReferralCreated = event.payload
    await service.link_referral(
        session, contact_id=referral.contact_id, referral_id=referral.referral_id, service_id=referral.service_id,
        service_type=referral.service_type, urgency=referral.urgency, status="sent",
        created_at=referral.created_at.ToDatetime(tzinfo=event.occurred_at.tzinfo),
    )


HANDLERS = [Handler(REFERRAL_CREATED, referrals_pb2.ReferralCreated, on_referral_created)]
