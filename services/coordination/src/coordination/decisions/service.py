"""Proposals under agenda items, the votes of present members, and the decision (rules.decide).

Refusals, in the order they are checked for a vote:
- unknown member id: 422 on member_id; a member voting as someone else: 403 (only the secretary
  or the Coordinator's office record another member's vote, as cast by a show of hands);
- meeting not held (not yet opened, or closed), or proposal already decided: 409;
- no quorum: 409 naming present, members and needed; nothing can be adopted without quorum;
- not a member on the meeting's date, or not present (absent / no attendance recorded): 409;
- a second vote by the same member on the same proposal: 409 (the first vote stands; votes are
  not replaced, so the record shows exactly what was cast).

Who records another member's vote: `may_record_votes` (the secretary, or the Coordinator's
office); who votes as themselves on a proposal now: `may_cast_own_vote`. The pages use the same."""

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.decisions import events
from coordination.decisions.models import ADOPTED, NOT_ADOPTED, Proposal, Vote
from coordination.decisions.schemas import ProposalCreate, ProposalOut, VoteIn, VoteOut
from coordination.meetings.models import AGREED, HELD, PROPOSED, Meeting
from coordination.meetings.rules import Choice, Presence, decide, takes_part
from coordination.meetings.schemas import MeetingRecordOut
from coordination.meetings.service import (
    QuorumState,
    get_meeting_row,
    meeting_day,
    quorum_state,
    require_record,
    require_status,
)
from coordination.members import offices
from coordination.members.models import Member
from coordination.members.schemas import MemberOut
from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hotline_common.i18n_markers import N_


async def _proposal(session: AsyncSession, meeting_id: str, proposal_id: str, *, for_update: bool = False) -> Proposal:
    query = select(Proposal).where(Proposal.id == proposal_id, Proposal.meeting_id == meeting_id)
    if for_update:
        query = query.with_for_update()
    proposal = await session.scalar(query)
    if proposal is None:
        raise NotFound(N_("no proposal {id} in meeting {meeting}"), id=proposal_id, meeting=meeting_id)
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
    session: AsyncSession, meeting_id: str, proposal_id: str, zone: ZoneInfo, *, refusal: str
) -> tuple[Meeting, Proposal, QuorumState]:
    """What voting and deciding both need: a held meeting, an undecided proposal (locked), quorum.
    `refusal`: what a meeting not held is told (see require_status)."""
    meeting = await get_meeting_row(session, meeting_id)
    proposal = await _proposal(session, meeting_id, proposal_id, for_update=True)
    require_status(meeting, HELD, refusal=refusal)
    if proposal.outcome is not None:
        raise Conflict(N_("the proposal was already decided ({outcome})"), outcome=proposal.outcome)
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
    await require_record(session, principal, meeting_day(meeting, zone))
    require_status(
        meeting,
        PROPOSED,
        AGREED,
        HELD,
        refusal=N_("meeting is {status}; adding a proposal needs it proposed or agreed or held"),
    )
    if data.agenda_item > len(meeting.agenda):
        raise InvalidInput.single("agenda_item", N_("the agenda has {count} items"), count=len(meeting.agenda))
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


async def may_record_votes(session: AsyncSession, principal: Principal, day: date) -> bool:
    """Recording another member's vote as cast by a show of hands: the secretary of the meeting's
    day, or the Coordinator's office. A member (the head included) votes only as themselves."""
    return principal.can(Permission.MEETING_RECORD) or await offices.is_secretary(session, principal, day)


def may_cast_own_vote(meeting: MeetingRecordOut, me: MemberOut | None, proposal: ProposalOut) -> bool:
    """The member `me` may vote as themselves on `proposal` now: the meeting is held, the proposal
    undecided, `me` takes part in the meeting and has not voted on it yet."""
    if me is None or meeting.status != HELD or proposal.outcome is not None:
        return False
    presence = next((a.presence for a in meeting.attendance if a.member_id == me.id), Presence.ABSENT)
    return takes_part(presence) and all(v.member_id != me.id for v in proposal.votes)


async def cast_vote(
    session: AsyncSession, principal: Principal, meeting_id: str, proposal_id: str, data: VoteIn, zone: ZoneInfo
) -> ProposalOut:
    require(principal, Permission.WG_VOTE)
    member = await session.get(Member, data.member_id)
    if member is None:
        raise InvalidInput.single("member_id", N_("no such member"))
    if member.subject != principal.subject and not await may_record_votes(
        session, principal, meeting_day(await get_meeting_row(session, meeting_id), zone)
    ):
        raise PermissionDenied(N_("a member may vote only as themselves"))
    meeting, proposal, state = await _undecided_with_quorum(
        session, meeting_id, proposal_id, zone, refusal=N_("meeting is {status}; voting needs it held")
    )
    if member.id not in {m.id for m in state.members}:
        raise Conflict(
            N_("member {id} is not a member of the Working Group on {day}"),
            id=member.id,
            day=meeting_day(meeting, zone),
        )
    if not takes_part(state.presence.get(member.id, Presence.ABSENT)):
        raise Conflict(N_("member {id} is not recorded as present and cannot vote"), id=member.id)
    if await session.get(Vote, (proposal.id, member.id)) is not None:
        raise Conflict(N_("member {id} has already voted on this proposal; a vote is not replaced"), id=member.id)
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
    await require_record(session, principal, meeting_day(await get_meeting_row(session, meeting_id), zone))
    _meeting, proposal, state = await _undecided_with_quorum(
        session, meeting_id, proposal_id, zone, refusal=N_("meeting is {status}; deciding needs it held")
    )
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
