"""REST for the hotline (operators, director): referrals, their lifecycle, consent, notes, links, overdue."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from hotline_common.auth import Principal
from referrals.links import service as links
from referrals.referral import service
from referrals.referral.schemas import NoteIn, ReferralCreate, ReferralDetail, ReferralOut, StatusChange


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["referrals"])
    policy = runtime.referral_policy

    @api.post("/referrals", response_model=ReferralOut, status_code=201)
    async def create(data: ReferralCreate, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.create_referral(session, principal, data, policy)

    @api.get("/referrals", response_model=list[ReferralOut])
    async def list_(
        contact_id: Annotated[str | None, Query(max_length=36)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
            return await service.list_referrals(session, principal, contact_id=contact_id, limit=limit)

    @api.get("/referrals/overdue", response_model=list[ReferralOut])
    async def overdue(principal: Principal = Depends(runtime.current_principal)):
        """Sent, not acknowledged, past the due time: the director's board."""
        async with runtime.db.reader() as session:
            return await service.list_overdue(session, principal)

    @api.get("/referrals/{referral_id}", response_model=ReferralDetail)
    async def get(referral_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.get_detail(session, principal, referral_id, policy)

    @api.post("/referrals/{referral_id}/status", response_model=ReferralOut)
    async def change_status(
        referral_id: str, change: StatusChange, principal: Principal = Depends(runtime.current_principal)
    ):
        async with runtime.db.transaction() as session:
            return await service.change_status(session, principal, referral_id, change, policy)

    @api.post("/referrals/{referral_id}/consent/revoke", response_model=ReferralOut)
    async def revoke(referral_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.revoke_consent(session, principal, referral_id)

    @api.post("/referrals/{referral_id}/notes", status_code=204)
    async def note(referral_id: str, data: NoteIn, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            await service.add_note(session, principal, referral_id, data, policy)

    @api.post("/referrals/{referral_id}/links", status_code=201)
    async def link(referral_id: str, principal: Principal = Depends(runtime.current_principal)):
        """A one-time link for a specialist without an account; the URL is shown only in this answer."""
        async with runtime.db.transaction() as session:
            token, expires_at = await links.issue_link(session, principal, referral_id, policy)
        base = runtime.settings.public_base_url.rstrip("/")
        return {"url": f"{base}/link/{token}", "expires_at": expires_at}

    return api
