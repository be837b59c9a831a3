from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from referrals.referral import service
from referrals.referral.schemas import ReferralCreate, ReferralOut


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["referrals"])

    @api.post("/referrals", response_model=ReferralOut, status_code=201)
    async def create(data: ReferralCreate, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.create_referral(session, principal, data)

    @api.get("/referrals", response_model=list[ReferralOut])
    async def list_(contact_id: Annotated[str | None, Query(max_length=36)] = None,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.list_referrals(session, principal, contact_id=contact_id, limit=limit)

    @api.get("/referrals/{referral_id}", response_model=ReferralOut)
    async def get(referral_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.get_referral(session, principal, referral_id)

    return api
