"""What the referral domain emits. Internal events carry codes and pseudonymous ids only; the partner
notices (`referrals.partner.<org>.referral.*`) carry the reference, codes and the NAMES of the consented
fields — never a personal value or free text: values are read through the partner API, so a revocation
takes effect at once and nothing personal lingers in the stream."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.events.v1 import referrals_pb2
from hotline_common.events.outbox import add_event
from referrals.consent.models import Consent
from referrals.referral.models import Referral

REFERRAL_CREATED = "referrals.referral.created.v1"
STATUS_CHANGED = "referrals.referral.status_changed.v1"
REFERRAL_OVERDUE = "referrals.referral.overdue.v1"
CONSENT_REVOKED = "referrals.consent.revoked.v1"
PARTNER_PREFIX = "referrals.partner"


def partner_subject(organisation_id: str, event: str) -> str:
    """`event`: sent, status_changed, consent_revoked or overdue."""
    return f"{PARTNER_PREFIX}.{organisation_id}.referral.{event}.v1"


def _ts(message: Message, field: str, value: datetime | None) -> None:
    if value is not None:
        getattr(message, field).FromDatetime(value)


async def emit_created(session: AsyncSession, referral: Referral, consent_given: bool) -> None:
    message = referrals_pb2.ReferralCreated(
        referral_id=referral.id,
        contact_id=referral.contact_id,
        service_id=referral.service_id,
        organisation_id=referral.organisation_id,
        service_type=referral.service_type,
        region=referral.region,
        urgency=referral.urgency,
        status=referral.status,
        consent_given=consent_given,
        caller_id=referral.caller_id or "",
    )
    _ts(message, "created_at", referral.created_at)
    _ts(message, "acknowledgement_due_at", referral.acknowledgement_due_at)
    await add_event(session, REFERRAL_CREATED, message)


async def emit_status_changed(
    session: AsyncSession, referral: Referral, from_status: str, actor_kind: str, reason_code: str | None, at: datetime
) -> None:
    message = referrals_pb2.ReferralStatusChanged(
        referral_id=referral.id,
        contact_id=referral.contact_id,
        organisation_id=referral.organisation_id,
        service_type=referral.service_type,
        region=referral.region,
        from_status=from_status,
        to_status=referral.status,
        reason_code=reason_code or "",
        actor_kind=actor_kind,
        caller_id=referral.caller_id or "",
    )
    _ts(message, "changed_at", at)
    _ts(message, "created_at", referral.created_at)
    await add_event(session, STATUS_CHANGED, message)


async def emit_overdue(session: AsyncSession, referral: Referral) -> None:
    message = referrals_pb2.ReferralOverdue(
        referral_id=referral.id,
        contact_id=referral.contact_id,
        organisation_id=referral.organisation_id,
        urgency=referral.urgency,
        service_type=referral.service_type,
        region=referral.region,
    )
    _ts(message, "acknowledgement_due_at", referral.acknowledgement_due_at)
    _ts(message, "escalated_at", referral.overdue_escalated_at)
    await add_event(session, REFERRAL_OVERDUE, message)


async def emit_consent_revoked(session: AsyncSession, referral: Referral, consent: Consent) -> None:
    message = referrals_pb2.ConsentRevoked(
        referral_id=referral.id, consent_id=consent.id, organisation_id=referral.organisation_id
    )
    _ts(message, "revoked_at", consent.revoked_at)
    await add_event(session, CONSENT_REVOKED, message)


async def emit_partner_notice(
    session: AsyncSession,
    referral: Referral,
    event: str,
    *,
    at: datetime,
    consented_fields: list[str],
    consent_active: bool,
    from_status: str = "",
    reason_code: str | None = None,
) -> None:
    message = referrals_pb2.PartnerReferralNotice(
        referral_id=referral.id,
        reference=referral.reference,
        organisation_id=referral.organisation_id,
        status=referral.status,
        from_status=from_status,
        urgency=referral.urgency,
        service_type=referral.service_type,
        region=referral.region,
        consent_active=consent_active,
        consented_fields=consented_fields if consent_active else [],
        reason_code=reason_code or "",
    )
    _ts(message, "occurred_at", at)
    _ts(message, "acknowledgement_due_at", referral.acknowledgement_due_at)
    await add_event(session, partner_subject(referral.organisation_id, event), message)
