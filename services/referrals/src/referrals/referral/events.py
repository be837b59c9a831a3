"""What the referral domain emits. Payloads carry the need and the receiver, no personal data."""
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import referrals_pb2
from hotline_common.events.outbox import add_event
from referrals.referral.models import Referral

REFERRAL_CREATED = "referrals.referral.created.v1"


async def emit_created(session: AsyncSession, referral: Referral) -> None:
    message = referrals_pb2.ReferralCreated(
        referral_id=referral.id, contact_id=referral.contact_id, service_id=referral.service_id,
        organisation_id=referral.organisation_id, service_type=referral.service_type,
        region=referral.region, urgency=referral.urgency,
    )
    message.created_at.FromDatetime(referral.created_at)
    await add_event(session, REFERRAL_CREATED, message)
