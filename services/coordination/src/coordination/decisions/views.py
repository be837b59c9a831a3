from fastapi import APIRouter, Depends

from coordination.decisions import service
from coordination.decisions.schemas import ProposalCreate, ProposalOut, VoteIn
from hotline_common.auth import Principal


def router(runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1/meetings/{meeting_id}/proposals", tags=["decisions"])

    @api.get("", response_model=list[ProposalOut])
    async def proposals(meeting_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.reader() as session:
            return await service.list_proposals(session, principal, meeting_id)

    @api.post("", response_model=ProposalOut, status_code=201)
    async def propose(meeting_id: str, data: ProposalCreate, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.add_proposal(session, principal, meeting_id, data, runtime.zone)

    @api.post("/{proposal_id}/votes", response_model=ProposalOut, status_code=201)
    async def vote(
        meeting_id: str, proposal_id: str, data: VoteIn, principal: Principal = Depends(runtime.current_principal)
    ):
        async with runtime.db.transaction() as session:
            return await service.cast_vote(session, principal, meeting_id, proposal_id, data, runtime.zone)

    @api.post("/{proposal_id}/decide", response_model=ProposalOut)
    async def decide(meeting_id: str, proposal_id: str, principal: Principal = Depends(runtime.current_principal)):
        async with runtime.db.transaction() as session:
            return await service.decide_proposal(session, principal, meeting_id, proposal_id, runtime.zone)

    return api
