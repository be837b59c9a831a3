from sqlalchemy.ext.asyncio import AsyncSession

from coordination.decisions.models import Proposal
from hotline.events.v1 import coordination_pb2
from hotline_common.events.outbox import add_event

DECISION_ADOPTED = "coordination.decision.adopted.v1"


async def emit_adopted(session: AsyncSession, proposal: Proposal, *, members: int, present: int) -> None:
    message = coordination_pb2.DecisionAdopted(
        meeting_id=proposal.meeting_id,
        proposal_id=proposal.id,
        agenda_item=proposal.agenda_item,
        votes_for=proposal.votes_for,
        votes_against=proposal.votes_against,
        abstentions=proposal.abstentions,
        members=members,
        present=present,
        decided_by_head=proposal.decided_by_head,
    )
    assert proposal.decided_at is not None  # emitted once the proposal is decided
    message.decided_at.FromDatetime(proposal.decided_at)
    await add_event(session, DECISION_ADOPTED, message)
