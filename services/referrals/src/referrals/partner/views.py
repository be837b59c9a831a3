"""The partner API over REST, for agencies' own systems (a partner token: role partner, `org`)."""

from typing import Annotated

from fastapi import APIRouter, Query

from hotline_common.web.deps import CurrentPrincipal, Db
from referrals.deps import ReferralPolicy
from referrals.referral import service
from referrals.referral.schemas import NoteIn, PartnerReferralOut, StatusChange

router = APIRouter(prefix="/api/v1/partner", tags=["partner"])


@router.get("/referrals", response_model=list[PartnerReferralOut])
async def list_(
    principal: CurrentPrincipal,
    db: Db,
    policy: ReferralPolicy,
    status: Annotated[str | None, Query(max_length=30)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[PartnerReferralOut]:
    async with db.transaction() as session:  # showing consented values is logged
        return await service.partner_list(session, principal, policy, status=status, limit=limit)


@router.get("/referrals/{referral_id}", response_model=PartnerReferralOut)
async def get(referral_id: str, principal: CurrentPrincipal, db: Db, policy: ReferralPolicy) -> PartnerReferralOut:
    async with db.transaction() as session:
        return await service.partner_get(session, principal, referral_id, policy)


@router.post("/referrals/{referral_id}/status", response_model=PartnerReferralOut)
async def change_status(
    referral_id: str, change: StatusChange, principal: CurrentPrincipal, db: Db, policy: ReferralPolicy
) -> PartnerReferralOut:
    async with db.transaction() as session:
        return await service.partner_change_status(session, principal, referral_id, change, policy)


@router.post("/referrals/{referral_id}/notes", response_model=PartnerReferralOut, status_code=201)
async def note(
    referral_id: str, data: NoteIn, principal: CurrentPrincipal, db: Db, policy: ReferralPolicy
) -> PartnerReferralOut:
    async with db.transaction() as session:
        return await service.partner_add_note(session, principal, referral_id, data, policy)
