"""The events contacts react to (what they emit: intake.contact.outbox)."""

from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import referrals_pb2
from hotline_common.events.consumer import Event, Handler
from intake.contact import service

REFERRAL_CREATED = "referrals.referral.created.v1"


async def on_referral_created(session: AsyncSession, event: Event) -> None:
    referral = cast(referrals_pb2.ReferralCreated, event.payload)
    await service.link_referral(
        session,
        contact_id=referral.contact_id,
        referral_id=referral.referral_id,
        service_id=referral.service_id,
        # Referrals creates drafts as well as sent referrals; an older producer left the field empty.
        service_type=referral.service_type,
        urgency=referral.urgency,
        status=referral.status or "sent",
        created_at=referral.created_at.ToDatetime(tzinfo=event.occurred_at.tzinfo),
        consent_shared=referral.consent_given,
    )


HANDLERS = [Handler(REFERRAL_CREATED, referrals_pb2.ReferralCreated, on_referral_created)]
