"""The membership API: who counts on a day, proposals, the Coordinator's decisions, ends."""

from typing import Literal

from fastapi import APIRouter

from coordination.members import service
from coordination.members.schemas import MemberApproval, MemberOut, MemberProposal, MemberRejection, MembershipEnd
from hotline_common.web.deps import CurrentPrincipal, Db
from hotline_common.web.inputs import Day

router = APIRouter(prefix="/api/v1", tags=["members"])


@router.get("/members", response_model=list[MemberOut])
async def members(
    principal: CurrentPrincipal,
    db: Db,
    on: Day | None = None,
    status: Literal["proposed", "approved", "rejected"] | None = None,
) -> list[MemberOut]:
    async with db.reader() as session:
        return await service.list_members(session, principal, on=on, status=status)


@router.post("/members", response_model=MemberOut, status_code=201)
async def propose(data: MemberProposal, principal: CurrentPrincipal, db: Db) -> MemberOut:
    async with db.transaction() as session:
        return await service.propose_member(session, principal, data)


@router.post("/members/{member_id}/approve", response_model=MemberOut)
async def approve(member_id: str, data: MemberApproval, principal: CurrentPrincipal, db: Db) -> MemberOut:
    async with db.transaction() as session:
        return await service.approve_member(session, principal, member_id, data)


@router.post("/members/{member_id}/reject", response_model=MemberOut)
async def reject(member_id: str, data: MemberRejection, principal: CurrentPrincipal, db: Db) -> MemberOut:
    async with db.transaction() as session:
        return await service.reject_member(session, principal, member_id, data)


@router.post("/members/{member_id}/end", response_model=MemberOut)
async def end(member_id: str, data: MembershipEnd, principal: CurrentPrincipal, db: Db) -> MemberOut:
    async with db.transaction() as session:
        return await service.end_membership(session, principal, member_id, data)
