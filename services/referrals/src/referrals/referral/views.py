"""REST for the hotline (operators, director): referrals, their lifecycle, consent, notes, links, overdue."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from hotline_common.web.deps import CurrentPrincipal, Db
from referrals.deps import PublicBaseUrl, ReferralPolicy
from referrals.links import service as links
from referrals.referral import service
from referrals.referral.schemas import NoteIn, ReferralCreate, ReferralDetail, ReferralOut, StatusChange

router = APIRouter(prefix="/api/v1", tags=["referrals"])


@router.post("/referrals", response_model=ReferralOut, status_code=201)
async def create(data: ReferralCreate, principal: CurrentPrincipal, db: Db, policy: ReferralPolicy) -> ReferralOut:
    async with db.transaction() as session:
        return await service.create_referral(session, principal, data, policy)


@router.get("/referrals", response_model=list[ReferralOut])
async def list_(
    principal: CurrentPrincipal,
    db: Db,
    policy: ReferralPolicy,
    contact_id: Annotated[str | None, Query(max_length=36)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ReferralOut]:
    async with db.reader() as session:
        return await service.list_referrals(session, principal, policy, contact_id=contact_id, limit=limit)


@router.get("/referrals/overdue", response_model=list[ReferralOut])
async def overdue(principal: CurrentPrincipal, db: Db, policy: ReferralPolicy) -> list[ReferralOut]:
    """Sent, not acknowledged, past the due time: the director's board."""
    async with db.reader() as session:
        return await service.list_overdue(session, principal, policy=policy)


@router.get("/referrals/{referral_id}", response_model=ReferralDetail)
async def get(referral_id: str, principal: CurrentPrincipal, db: Db, policy: ReferralPolicy) -> ReferralDetail:
    async with db.reader() as session:
        return await service.get_detail(session, principal, referral_id, policy)


@router.post("/referrals/{referral_id}/status", response_model=ReferralOut)
async def change_status(
    referral_id: str, change: StatusChange, principal: CurrentPrincipal, db: Db, policy: ReferralPolicy
) -> ReferralOut:
    async with db.transaction() as session:
        return await service.change_status(session, principal, referral_id, change, policy)


@router.post("/referrals/{referral_id}/consent/revoke", response_model=ReferralOut)
async def revoke(referral_id: str, principal: CurrentPrincipal, db: Db, policy: ReferralPolicy) -> ReferralOut:
    async with db.transaction() as session:
        return await service.revoke_consent(session, principal, referral_id, policy)


@router.post("/referrals/{referral_id}/notes", status_code=204)
async def note(referral_id: str, data: NoteIn, principal: CurrentPrincipal, db: Db, policy: ReferralPolicy) -> None:
    async with db.transaction() as session:
        await service.add_note(session, principal, referral_id, data, policy)


@router.post("/referrals/{referral_id}/links", status_code=201, response_model=None)
async def link(
    referral_id: str, principal: CurrentPrincipal, db: Db, policy: ReferralPolicy, base: PublicBaseUrl
) -> dict[str, str | datetime]:
    """A one-time link for a specialist without an account; the URL is shown only in this answer."""
    async with db.transaction() as session:
        token, expires_at = await links.issue_link(session, principal, referral_id, policy)
    return {"url": f"{base}/link/{token}", "expires_at": expires_at}
