"""Consent records: taken with the referral, read for the receiver only while in force, revoked (the
ciphertext deleted in the same transaction as the event) by the hotline, or expired."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Principal
from hotline_common.db import new_id, rowcount, utcnow
from referrals.consent.models import Consent
from referrals.referral import events
from referrals.referral.models import Referral
from referrals.referral.policy import Policy
from referrals.referral.schemas import ConsentIn, ConsentOut

SYSTEM_EXPIRY = "system:expired"


def _context(consent_id: str) -> str:
    return f"referral_consents.shared_data:{consent_id}"


def record(
    session: AsyncSession, policy: Policy, principal: Principal, referral: Referral, data: ConsentIn, now: datetime
) -> Consent:
    consent = Consent(
        id=new_id(),
        referral_id=referral.id,
        organisation_id=referral.organisation_id,
        fields=",".join(data.fields),
        purpose=data.purpose,
        valid_until=data.valid_until,
        taken_by=principal.subject,
        taken_at=now,
    )
    values = {k: v for k, v in data.data.items() if v}
    consent.shared_data = policy.require_cipher().encrypt(
        json.dumps(values, ensure_ascii=False), context=_context(consent.id)
    )
    session.add(consent)
    return consent


async def for_referral(session: AsyncSession, referral_id: str) -> Consent | None:
    return await session.scalar(select(Consent).where(Consent.referral_id == referral_id))


def shared_values(policy: Policy, consent: Consent | None, now: datetime) -> dict[str, str]:
    """The consented values, only while the consent is in force; only the consented keys."""
    if consent is None or not consent.active(now) or policy.cipher is None:
        return {}
    assert consent.shared_data is not None  # deleted only when the consent ends
    values = json.loads(policy.cipher.decrypt(consent.shared_data, context=_context(consent.id)))
    return {k: v for k, v in values.items() if k in consent.field_list}


def to_out(consent: Consent, now: datetime) -> ConsentOut:
    return ConsentOut(
        fields=consent.field_list,
        organisation_id=consent.organisation_id,
        purpose=consent.purpose,
        valid_until=consent.valid_until,
        taken_by=consent.taken_by,
        taken_at=consent.taken_at,
        active=consent.active(now),
        revoked_at=consent.revoked_at,
        revoked_by=consent.revoked_by,
    )


async def revoke(session: AsyncSession, referral: Referral, consent: Consent, by: str, now: datetime) -> bool:
    """Delete the shared data and write the event; False if it was already revoked (nothing written)."""
    result = await session.execute(
        update(Consent)
        .where(Consent.id == consent.id, Consent.revoked_at.is_(None))
        .values(shared_data=None, revoked_at=now, revoked_by=by)
    )
    if rowcount(result) != 1:
        return False
    await session.refresh(consent)
    await events.emit_consent_revoked(session, referral, consent)
    if referral.status != "draft":  # a draft was never announced to the partner
        await events.emit_partner_notice(
            session, referral, "consent_revoked", at=now, consented_fields=[], consent_active=False
        )
    return True


async def expire_due(session: AsyncSession, now: datetime | None = None, limit: int = 200) -> int:
    """Consents past their `valid_until` behave as revoked: their data is deleted and the event written."""
    now = now or utcnow()
    due = (
        await session.scalars(
            select(Consent).where(Consent.revoked_at.is_(None), Consent.valid_until <= now).limit(limit)
        )
    ).all()
    done = 0
    for consent in due:
        referral = await session.get(Referral, consent.referral_id)
        assert referral is not None  # the consent's foreign key
        done += await revoke(session, referral, consent, SYSTEM_EXPIRY, now)
    return done
