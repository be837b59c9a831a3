"""The partner API over REST, for agencies' own systems (a partner token: role partner, `org`)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from referrals.referral import service
from referrals.referral.schemas import NoteIn, PartnerReferralOut, StatusChange


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1/partner", tags=["partner"])
    policy = runtime.referral_policy

    @api.get("/referrals", response_model=list[PartnerReferralOut])
    async def list_(
        status: Annotated[str | None, Query(max_length=30)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.transaction() as session:  # showing consented values is logged
            return await service.partner_list(session, principal, policy, status=status, limit=limit)

    @api.get("/referrals/{referral_id}", response_model=PartnerReferralOut)
    async def get(referral_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.partner_get(session, principal, referral_id, policy)

    @api.post("/referrals/{referral_id}/status", response_model=PartnerReferralOut)
    async def change_status(
        referral_id: str, change: StatusChange, principal: Principal = Depends(runtime.current_principal)
    ):
        async with runtime.db.transaction() as session:
            return await service.partner_change_status(session, principal, referral_id, change, policy)

    @api.post("/referrals/{referral_id}/notes", response_model=PartnerReferralOut, status_code=201)
    async def note(referral_id: str, data: NoteIn, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.partner_add_note(session, principal, referral_id, data, policy)

    return api
