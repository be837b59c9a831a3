"""Builds a protocol document (see canonical.py for its serialisation) from a meeting's record."""

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.decisions.models import Proposal, Vote
from coordination.meetings.models import Assignment, Meeting
from coordination.meetings.rules import Presence, quorum_needed
from coordination.meetings.service import meeting_day, quorum_state
from coordination.protocols.canonical import FORMAT, date_text, utc_text

QUORUM_RULE = "3*present >= 2*members"
MAJORITY_RULE = (
    "simple majority of votes cast (for > against; abstentions not counted); on a tie the side "
    "the head voted on wins; a tie the head did not break, or no votes cast, is not adopted"
)


async def build(
    session: AsyncSession,
    meeting: Meeting,
    zone: ZoneInfo,
    *,
    protocol_id: str,
    signer: dict[str, Any],
    supersedes: str | None,
    correction_reason: str | None,
) -> dict[str, Any]:
    state = await quorum_state(session, meeting, zone)
    names = {m.id: m for m in state.members}
    head = next((m for m in state.members if m.is_head), None)
    attendance = [
        {
            "member_id": m.id,
            "full_name": m.full_name,
            "body": m.body,
            "presence": str(state.presence.get(m.id, Presence.ABSENT)),
            "replacement_name": state.replacements.get(m.id),
        }
        for m in sorted(state.members, key=lambda m: (m.full_name, m.id))
    ]
    proposals = []
    for p in (
        await session.scalars(
            select(Proposal)
            .where(Proposal.meeting_id == meeting.id)
            .order_by(Proposal.agenda_item, Proposal.created_at, Proposal.id)
        )
    ).all():
        votes = (await session.scalars(select(Vote).where(Vote.proposal_id == p.id))).all()
        votes = sorted(votes, key=lambda v: (names[v.member_id].full_name if v.member_id in names else "", v.member_id))
        proposals.append(
            {
                "proposal_id": p.id,
                "agenda_item": p.agenda_item,
                "text": p.text,
                "outcome": p.outcome or "undecided",
                "votes_for": p.votes_for,
                "votes_against": p.votes_against,
                "abstentions": p.abstentions,
                "decided_by_head": p.decided_by_head,
                "decided_at": utc_text(p.decided_at),
                "votes": [
                    {
                        "member_id": v.member_id,
                        "full_name": names[v.member_id].full_name if v.member_id in names else None,
                        "choice": v.choice,
                    }
                    for v in votes
                ],
            }
        )
    assignments = (
        await session.scalars(
            select(Assignment)
            .where(Assignment.meeting_id == meeting.id)
            .order_by(Assignment.agenda_item, Assignment.created_at, Assignment.id)
        )
    ).all()
    return {
        "format": FORMAT,
        "protocol_id": protocol_id,
        "meeting": {
            "meeting_id": meeting.id,
            "scheduled_for": utc_text(meeting.scheduled_for),
            "local_date": date_text(meeting_day(meeting, zone)),
            "place": meeting.place,
            "online": meeting.online,
            "quarter": meeting.quarter,
            "held_at": utc_text(meeting.held_at),
            "closed_at": utc_text(meeting.closed_at),
            "agreed_by": meeting.agreed_by,
            "agreed_at": utc_text(meeting.agreed_at),
        },
        "head": None if head is None else {"member_id": head.id, "full_name": head.full_name, "body": head.body},
        "attendance": attendance,
        "quorum": {
            "members": len(state.members),
            "present": state.present,
            "needed": quorum_needed(len(state.members)),
            "has_quorum": state.has_quorum,
            "rule": QUORUM_RULE,
            "majority_rule": MAJORITY_RULE,
        },
        "agenda": [{"number": i, "title": title} for i, title in enumerate(meeting.agenda, start=1)],
        "notes": meeting.notes or "",
        "proposals": proposals,
        "assignments": [
            {"agenda_item": a.agenda_item, "text": a.text, "owner": a.owner, "deadline": date_text(a.deadline)}
            for a in assignments
        ],
        "supersedes": supersedes,
        "correction_reason": correction_reason,
        "signer": signer,
    }
