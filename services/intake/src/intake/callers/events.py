"""Referral outcomes flowing in from referrals: each status change lands in the caller's journal
and moves the contact's referral to its newest status (codes only, whatever order events arrive in)."""

from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import referrals_pb2
from hotline_common.db import insert_ignoring_conflict
from hotline_common.events.consumer import Event, Handler
from intake.callers import tables
from intake.callers.models import ReferralStatusChange

REFERRAL_STATUS_CHANGED = "referrals.referral.status_changed.v1"


async def on_referral_status_changed(session: AsyncSession, event: Event) -> None:
    from intake.contact.models import ContactReferral

    change = cast(referrals_pb2.ReferralStatusChanged, event.payload)
    if await session.scalar(select(tables.contacts.c.id).where(tables.contacts.c.id == change.contact_id)) is None:
        return  # a referral of a contact this intake does not hold
    tz = event.occurred_at.tzinfo
    changed_at = change.changed_at.ToDatetime(tzinfo=tz) if change.HasField("changed_at") else event.occurred_at
    await insert_ignoring_conflict(
        session,
        ReferralStatusChange.__table__,
        {
            "id": event.id,
            "referral_id": change.referral_id,
            "contact_id": change.contact_id,
            "from_status": change.from_status,
            "to_status": change.to_status,
            "reason_code": change.reason_code,
            "actor_kind": change.actor_kind,
            "changed_at": changed_at,
        },
        ["id"],
    )
    # The created event may not have arrived yet: the link starts from what this event knows.
    created_at = change.created_at.ToDatetime(tzinfo=tz) if change.HasField("created_at") else changed_at
    await insert_ignoring_conflict(
        session,
        ContactReferral.__table__,
        {
            "referral_id": change.referral_id,
            "contact_id": change.contact_id,
            "service_id": "",
            "service_type": change.service_type,
            "urgency": "",
            "status": change.to_status,
            "created_at": created_at,
        },
        ["referral_id"],
    )
    newest = (
        await session.scalars(
            select(ReferralStatusChange.to_status)
            .where(ReferralStatusChange.referral_id == change.referral_id)
            .order_by(ReferralStatusChange.changed_at.desc(), ReferralStatusChange.id.desc())
            .limit(1)
        )
    ).one()
    referral = await session.get(ContactReferral, change.referral_id)
    assert referral is not None  # inserted above if it was not there
    referral.status = newest


HANDLERS = [Handler(REFERRAL_STATUS_CHANGED, referrals_pb2.ReferralStatusChanged, on_referral_status_changed)]
