from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends

from coordination.members import service
from coordination.members.schemas import MemberApproval, MemberOut, MemberProposal, MemberRejection, MembershipEnd
from hotline_common.auth import Principal


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["members"])

    @api.get("/members", response_model=list[MemberOut])
    async def members(
        on: date | None = None,
        status: Literal["proposed", "approved", "rejected"] | None = None,
        principal: Principal = Depends(runtime.current_principal),
    ):
        async with runtime.db.reader() as session:
            return await service.list_members(session, principal, on=on, status=status)

    @api.post("/members", response_model=MemberOut, status_code=201)
    async def propose(data: MemberProposal, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.propose_member(session, principal, data)

    @api.post("/members/{member_id}/approve", response_model=MemberOut)
    async def approve(member_id: str, data: MemberApproval, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.approve_member(session, principal, member_id, data)

    @api.post("/members/{member_id}/reject", response_model=MemberOut)
    async def reject(member_id: str, data: MemberRejection, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.reject_member(session, principal, member_id, data)

    @api.post("/members/{member_id}/end", response_model=MemberOut)
    async def end(member_id: str, data: MembershipEnd, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.end_membership(session, principal, member_id, data)

    return api
