"""Referral outcomes flowing in from referrals: each status change lands in the caller's journal
and moves the contact's referral to its newest status (the rule: service.record_referral_status_change)."""

from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import referrals_pb2
from hotline_common.events.consumer import Event, Handler
from intake.callers import service

REFERRAL_STATUS_CHANGED = "referrals.referral.status_changed.v1"


async def on_referral_status_changed(session: AsyncSession, event: Event) -> None:
    change = cast(referrals_pb2.ReferralStatusChanged, event.payload)
    tz = event.occurred_at.tzinfo
    changed_at = change.changed_at.ToDatetime(tzinfo=tz) if change.HasField("changed_at") else event.occurred_at
    await service.record_referral_status_change(
        session,
        change_id=event.id,
        referral_id=change.referral_id,
        contact_id=change.contact_id,
        from_status=change.from_status,
        to_status=change.to_status,
        reason_code=change.reason_code,
        actor_kind=change.actor_kind,
        changed_at=changed_at,
        service_type=change.service_type,
        created_at=change.created_at.ToDatetime(tzinfo=tz) if change.HasField("created_at") else changed_at,
    )


HANDLERS = [Handler(REFERRAL_STATUS_CHANGED, referrals_pb2.ReferralStatusChanged, on_referral_status_changed)]
