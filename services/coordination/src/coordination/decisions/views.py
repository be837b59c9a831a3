"""The decisions API: proposals under a meeting's agenda items, votes, and the decision."""

from fastapi import APIRouter

from coordination.decisions import service
from coordination.decisions.schemas import ProposalCreate, ProposalOut, VoteIn
from coordination.deps import Zone
from hotline_common.web.deps import CurrentPrincipal, Db

router = APIRouter(prefix="/api/v1/meetings/{meeting_id}/proposals", tags=["decisions"])


@router.get("", response_model=list[ProposalOut])
async def proposals(meeting_id: str, principal: CurrentPrincipal, db: Db) -> list[ProposalOut]:
    async with db.reader() as session:
        return await service.list_proposals(session, principal, meeting_id)


@router.post("", response_model=ProposalOut, status_code=201)
async def propose(
    meeting_id: str, data: ProposalCreate, principal: CurrentPrincipal, db: Db, zone: Zone
) -> ProposalOut:
    async with db.transaction() as session:
        return await service.add_proposal(session, principal, meeting_id, data, zone)


@router.post("/{proposal_id}/votes", response_model=ProposalOut, status_code=201)
async def vote(
    meeting_id: str, proposal_id: str, data: VoteIn, principal: CurrentPrincipal, db: Db, zone: Zone
) -> ProposalOut:
    async with db.transaction() as session:
        return await service.cast_vote(session, principal, meeting_id, proposal_id, data, zone)


@router.post("/{proposal_id}/decide", response_model=ProposalOut)
async def decide(meeting_id: str, proposal_id: str, principal: CurrentPrincipal, db: Db, zone: Zone) -> ProposalOut:
    async with db.transaction() as session:
        return await service.decide_proposal(session, principal, meeting_id, proposal_id, zone)
