"""Referral operations. Permission checks and rules live here, once, for every interface."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import InvalidInput, NotFound, PermissionDenied
from referrals.directory.service import get_service
from referrals.referral import events
from referrals.referral.models import Referral, ReferralTransition
from referrals.referral.schemas import ReferralCreate, ReferralOut

SENT = "sent"


def to_out(referral: Referral) -> ReferralOut:
    return ReferralOut.model_validate(referral, from_attributes=True)


async def create_referral(session: AsyncSession, principal: Principal, data: ReferralCreate) -> ReferralOut:
    require(principal, Permission.REFERRAL_CREATE)
    target = await get_service(session, data.service_id)
    if target is None:
        raise InvalidInput.single("service_id", "no such service in the directory")
    now = utcnow()
    referral = Referral(
        id=new_id(), contact_id=data.contact_id, service_id=target.id, organisation_id=target.organisation_id,
        service_type=target.service_type, region=target.region, reason=data.reason, urgency=data.urgency,
        status=SENT, created_by=principal.subject, created_at=now,
    )
    session.add(referral)
    session.add(ReferralTransition(id=new_id(), referral_id=referral.id, from_status=None, to_status=SENT,
                                   actor=principal.subject, at=now))
    await session.flush()
    await events.emit_created(session, referral)
    return to_out(referral)


def _check_can_read(principal: Principal, referral: Referral) -> None:
    if principal.can(Permission.REFERRAL_READ_ALL):
        return
    if principal.can(Permission.REFERRAL_READ_OWN_ORG) and principal.organisation_id == referral.organisation_id:
        return
    raise PermissionDenied("this referral is not addressed to your organisation")


async def get_referral(session: AsyncSession, principal: Principal, referral_id: str) -> ReferralOut:
    referral = await session.get(Referral, referral_id)
    if referral is None:
        raise NotFound("no such referral")
    _check_can_read(principal, referral)
    return to_out(referral)


async def list_referrals(session: AsyncSession, principal: Principal, *, contact_id: str | None = None,
                         limit: int = 50) -> list[ReferralOut]:
    stmt = select(Referral).order_by(Referral.created_at.desc()).limit(limit)
    if principal.can(Permission.REFERRAL_READ_ALL):
        pass
    elif principal.can(Permission.REFERRAL_READ_OWN_ORG) and principal.organisation_id:
        stmt = stmt.where(Referral.organisation_id == principal.organisation_id)
    else:
        raise PermissionDenied(f"role {principal.role} may not read referrals")
    if contact_id:
        stmt = stmt.where(Referral.contact_id == contact_id)
    return [to_out(r) for r in (await session.scalars(stmt)).all()]
