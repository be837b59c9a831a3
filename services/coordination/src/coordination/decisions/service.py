"""Proposals under agenda items, the votes of present members, and the decision (rules.decide).

Refusals, in the order they are checked for a vote:
- unknown member id: 422 on member_id; a member voting as someone else: 403 (only the secretary
  or the Coordinator's office record another member's vote, as cast by a show of hands);
- meeting not held (not yet opened, or closed), or proposal already decided: 409;
- no quorum: 409 naming present, members and needed; nothing can be adopted without quorum;
- not a member on the meeting's date, or not present (absent / no attendance recorded): 409;
- a second vote by the same member on the same proposal: 409 (the first vote stands; votes are
  not replaced, so the record shows exactly what was cast).
"""

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.decisions import events
from coordination.decisions.models import ADOPTED, NOT_ADOPTED, Proposal, Vote
from coordination.decisions.schemas import ProposalCreate, ProposalOut, VoteIn, VoteOut
from coordination.meetings.models import AGREED, HELD, PROPOSED
from coordination.meetings.rules import Choice, Presence, decide, takes_part
from coordination.meetings.service import get_meeting_row, meeting_day, quorum_state, require_status
from coordination.members import offices
from coordination.members.models import Member
from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied


async def _proposal(session: AsyncSession, meeting_id: str, proposal_id: str, *, for_update: bool = False) -> Proposal:
    query = select(Proposal).where(Proposal.id == proposal_id, Proposal.meeting_id == meeting_id)
    if for_update:
        query = query.with_for_update()
    proposal = await session.scalar(query)
    if proposal is None:
        raise NotFound(f"no proposal {proposal_id} in meeting {meeting_id}")
    return proposal


async def _votes(session: AsyncSession, proposal_id: str) -> list[Vote]:
    return list(
        (
            await session.scalars(
                select(Vote).where(Vote.proposal_id == proposal_id).order_by(Vote.cast_at, Vote.member_id)
            )
        ).all()
    )


async def _undecided_with_quorum(
    session: AsyncSession, meeting_id: str, proposal_id: str, zone: ZoneInfo, *, doing: str
):
    """What voting and deciding both need: a held meeting, an undecided proposal (locked), quorum."""
    meeting = await get_meeting_row(session, meeting_id)
    proposal = await _proposal(session, meeting_id, proposal_id, for_update=True)
    require_status(meeting, HELD, doing=doing)
    if proposal.outcome is not None:
        raise Conflict(f"the proposal was already decided ({proposal.outcome})")
    state = await quorum_state(session, meeting, zone)
    state.refuse_without_quorum()
    return meeting, proposal, state


def _out(proposal: Proposal, votes: list[Vote]) -> ProposalOut:
    out = ProposalOut.model_validate(proposal, from_attributes=True)
    out.votes = [VoteOut.model_validate(v, from_attributes=True) for v in votes]
    return out


async def add_proposal(
    session: AsyncSession, principal: Principal, meeting_id: str, data: ProposalCreate, zone: ZoneInfo
) -> ProposalOut:
    meeting = await get_meeting_row(session, meeting_id)
    await offices.require_record(session, principal, meeting_day(meeting, zone))
    require_status(meeting, PROPOSED, AGREED, HELD, doing="adding a proposal")
    if data.agenda_item > len(meeting.agenda):
        raise InvalidInput.single("agenda_item", f"the agenda has {len(meeting.agenda)} items")
    proposal = Proposal(
        id=new_id(),
        meeting_id=meeting.id,
        agenda_item=data.agenda_item,
        text=data.text,
        created_by=principal.subject,
        created_at=utcnow(),
    )
    session.add(proposal)
    await session.flush()
    return _out(proposal, [])


async def list_proposals(session: AsyncSession, principal: Principal, meeting_id: str) -> list[ProposalOut]:
    require(principal, Permission.WG_READ)
    await get_meeting_row(session, meeting_id)
    rows = (
        await session.scalars(
            select(Proposal)
            .where(Proposal.meeting_id == meeting_id)
            .order_by(Proposal.agenda_item, Proposal.created_at)
        )
    ).all()
    return [_out(p, await _votes(session, p.id)) for p in rows]


async def _records_votes(session: AsyncSession, principal: Principal, meeting_id: str, zone: ZoneInfo) -> bool:
    if principal.can(Permission.MEETING_RECORD):
        return True
    meeting = await get_meeting_row(session, meeting_id)
    return await offices.is_secretary(session, principal, meeting_day(meeting, zone))


async def cast_vote(
    session: AsyncSession, principal: Principal, meeting_id: str, proposal_id: str, data: VoteIn, zone: ZoneInfo
) -> ProposalOut:
    require(principal, Permission.WG_VOTE)
    member = await session.get(Member, data.member_id)
    if member is None:
        raise InvalidInput.single("member_id", "no such member")
    # The Coordinator's office or the secretary may record any member's vote; a member votes only
    # as themselves (the head included: the head does not enter others' votes).
    if member.subject != principal.subject and not await _records_votes(session, principal, meeting_id, zone):
        raise PermissionDenied("a member may vote only as themselves")
    meeting, proposal, state = await _undecided_with_quorum(session, meeting_id, proposal_id, zone, doing="voting")
    if member.id not in {m.id for m in state.members}:
        raise Conflict(f"member {member.id} is not a member of the Working Group on {meeting_day(meeting, zone)}")
    if not takes_part(state.presence.get(member.id, Presence.ABSENT)):
        raise Conflict(f"member {member.id} is not recorded as present and cannot vote")
    if await session.get(Vote, (proposal.id, member.id)) is not None:
        raise Conflict(f"member {member.id} has already voted on this proposal; a vote is not replaced")
    session.add(
        Vote(
            proposal_id=proposal.id,
            member_id=member.id,
            choice=data.choice,
            recorded_by=principal.subject,
            cast_at=utcnow(),
        )
    )
    await session.flush()
    return _out(proposal, await _votes(session, proposal.id))


async def decide_proposal(
    session: AsyncSession, principal: Principal, meeting_id: str, proposal_id: str, zone: ZoneInfo
) -> ProposalOut:
    """Closes the vote and records the outcome; an adopted proposal emits decision.adopted."""
    await offices.require_record(session, principal, meeting_day(await get_meeting_row(session, meeting_id), zone))
    _meeting, proposal, state = await _undecided_with_quorum(session, meeting_id, proposal_id, zone, doing="deciding")
    votes = await _votes(session, proposal.id)
    result = decide({v.member_id: Choice(v.choice) for v in votes}, state.head)
    proposal.outcome = ADOPTED if result.adopted else NOT_ADOPTED
    proposal.votes_for, proposal.votes_against = result.votes_for, result.votes_against
    proposal.abstentions, proposal.decided_by_head = result.abstentions, result.decided_by_head
    proposal.decided_by, proposal.decided_at = principal.subject, utcnow()
    await session.flush()
    if result.adopted:
        await events.emit_adopted(session, proposal, members=len(state.members), present=state.present)
    return _out(proposal, votes)
