"""The Working Group's rules through the service layer, on SQLite and PostgreSQL: dated membership,
agreeing a meeting, attendance, quorum, votes and the head's tie-break."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from coordination.decisions import service as decisions
from coordination.decisions.models import Vote
from coordination.decisions.schemas import ProposalCreate, VoteIn
from coordination.meetings import service as meetings
from coordination.meetings.models import Attendance
from coordination.meetings.schemas import AttendanceIn, MeetingCreate
from coordination.members import service as members
from coordination.members.schemas import MemberApproval, MemberProposal, MemberRejection, MembershipEnd
from hotline.events.v1 import coordination_pb2
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hotline_common.events.schema import outbox
from hotline_devstack.testing import principal

BAKU = ZoneInfo("Asia/Baku")
COORDINATOR = principal("coordinator")
MEETING_DAY = date(2026, 12, 10)


async def demo_members(db) -> list[str]:
    """The nine demo members' ids, the head first."""
    async with db.reader() as session:
        return [m.id for m in await members.list_members(session, COORDINATOR)]


async def events_of(db, subject: str) -> list[bytes]:
    async with db.reader() as session:
        return [r.payload for r in (await session.execute(select(outbox).where(outbox.c.subject == subject))).all()]


async def held_meeting(db, present: list[str], absent: list[str] = (), replaced: list[str] = ()) -> tuple[str, str]:
    """A meeting on MEETING_DAY, agreed, with attendance recorded and opened; and one proposal."""
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(
            session,
            COORDINATOR,
            MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", online=True, agenda=["NAP progress", "Shelters"]),
            BAKU,
        )
        await meetings.agree_meeting(session, COORDINATOR, meeting.id, BAKU)
        entries = [{"member_id": m, "presence": "in_person"} for m in present]
        entries += [{"member_id": m, "presence": "absent"} for m in absent]
        entries += [{"member_id": m, "presence": "replaced", "replacement_name": "Deputy"} for m in replaced]
        if entries:
            await meetings.record_attendance(session, COORDINATOR, meeting.id, AttendanceIn(entries=entries), BAKU)
        await meetings.open_meeting(session, COORDINATOR, meeting.id, BAKU)
        proposal = await decisions.add_proposal(
            session, COORDINATOR, meeting.id, ProposalCreate(agenda_item=2, text="Open a second shelter"), BAKU
        )
    return meeting.id, proposal.id


async def vote(db, meeting_id, proposal_id, member_id, choice, who=COORDINATOR):
    async with db.transaction() as session:
        return await decisions.cast_vote(
            session, who, meeting_id, proposal_id, VoteIn(member_id=member_id, choice=choice), BAKU
        )


async def decide(db, meeting_id, proposal_id):
    async with db.transaction() as session:
        return await decisions.decide_proposal(session, COORDINATOR, meeting_id, proposal_id, BAKU)


async def count(db, model) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.count()).select_from(model))


# --- membership -----------------------------------------------------------------------------


async def test_a_proposed_member_counts_only_once_approved_and_only_from_valid_from(db):
    async with db.transaction() as session:
        proposed = await members.propose_member(
            session,
            COORDINATOR,
            MemberProposal(full_name="Kamran Əzizov", body="Ədliyyə Nazirliyi", body_kind="executing_body"),
        )
        assert proposed.status == "proposed"
        assert len(await members.members_on(session, MEETING_DAY)) == 9
        approved = await members.approve_member(
            session, COORDINATOR, proposed.id, MemberApproval(valid_from=MEETING_DAY)
        )
    assert (approved.status, approved.valid_from) == ("approved", MEETING_DAY)
    async with db.reader() as session:
        assert len(await members.members_on(session, date(2026, 12, 9))) == 9
        assert len(await members.members_on(session, MEETING_DAY)) == 10
        with pytest.raises(Conflict):
            await members.approve_member(session, COORDINATOR, proposed.id, MemberApproval(valid_from=MEETING_DAY))


async def test_a_rejection_needs_a_reason_and_a_rejected_member_never_counts(db):
    with pytest.raises(ValidationError):
        MemberRejection(reason="  ")
    async with db.transaction() as session:
        proposed = await members.propose_member(
            session, COORDINATOR, MemberProposal(full_name="Nigar Sadıqova", body="Yeni Həyat İB", body_kind="ngo")
        )
        rejected = await members.reject_member(
            session, COORDINATOR, proposed.id, MemberRejection(reason="not a specialised NGO")
        )
        assert (rejected.status, rejected.rejection_reason) == ("rejected", "not a specialised NGO")
        with pytest.raises(Conflict):
            await members.approve_member(session, COORDINATOR, proposed.id, MemberApproval(valid_from=MEETING_DAY))
        assert len(await members.members_on(session, MEETING_DAY)) == 9


async def test_only_the_coordinator_proposes_and_approves_members(db):
    data = MemberProposal(full_name="X Y", body="Body", body_kind="ngo")
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await members.propose_member(session, principal("wg_member"), data)
    async with db.transaction() as session:
        proposed = await members.propose_member(session, COORDINATOR, data)
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await members.approve_member(
                session, principal("wg_member"), proposed.id, MemberApproval(valid_from=MEETING_DAY)
            )
    with pytest.raises(NotFound):
        async with db.transaction() as session:
            await members.approve_member(session, COORDINATOR, "no-such-id", MemberApproval(valid_from=MEETING_DAY))


async def test_a_second_head_is_refused_while_the_first_is_a_member(db):
    head, *_ = await demo_members(db)
    async with db.transaction() as session:
        new_head = await members.propose_member(
            session,
            COORDINATOR,
            MemberProposal(
                full_name="Yeni Rəhbər", body="Daxili İşlər Nazirliyi", body_kind="executing_body", is_head=True
            ),
        )
    with pytest.raises(Conflict):
        async with db.transaction() as session:
            await members.approve_member(session, COORDINATOR, new_head.id, MemberApproval(valid_from=MEETING_DAY))
    async with db.transaction() as session:
        await members.end_membership(session, COORDINATOR, head, MembershipEnd(valid_to=date(2026, 12, 9)))
        await members.approve_member(session, COORDINATOR, new_head.id, MemberApproval(valid_from=MEETING_DAY))
        on_day = await members.list_members(session, COORDINATOR, on=MEETING_DAY)
    assert [m.id for m in on_day if m.is_head] == [new_head.id]


async def test_a_membership_cannot_end_before_it_began(db):
    head, *_ = await demo_members(db)
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await members.end_membership(session, COORDINATOR, head, MembershipEnd(valid_to=date(2020, 1, 1)))
    assert raised.value.problems[0].field == "valid_to"


async def test_a_past_meetings_quorum_uses_the_membership_of_its_day(db):
    ids = await demo_members(db)
    meeting_id, _ = await held_meeting(db, present=ids[:6])
    # Six of nine was a quorum on the day; a member leaving later and three joining later change nothing.
    async with db.transaction() as session:
        await members.end_membership(session, COORDINATOR, ids[8], MembershipEnd(valid_to=date(2026, 12, 31)))
        for n in range(3):
            joined = await members.propose_member(
                session, COORDINATOR, MemberProposal(full_name=f"Later {n}", body=f"Body {n}", body_kind="ngo")
            )
            await members.approve_member(session, COORDINATOR, joined.id, MemberApproval(valid_from=date(2027, 1, 1)))
    async with db.reader() as session:
        record = await meetings.get_meeting(session, COORDINATOR, meeting_id, BAKU)
    assert record.quorum.model_dump() == {"members": 9, "present": 6, "needed": 6, "has_quorum": True}


# --- meetings -------------------------------------------------------------------------------


async def test_agreeing_a_meeting_emits_the_event_once_and_only_the_coordinator_may(db):
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(
            session,
            COORDINATOR,
            MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", place="Bakı", agenda=["NAP"]),
            BAKU,
        )
    assert meeting.status == "proposed"
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await meetings.agree_meeting(session, principal("wg_member"), meeting.id, BAKU)
    async with db.transaction() as session:
        agreed = await meetings.agree_meeting(session, COORDINATOR, meeting.id, BAKU)
    assert agreed.status == "agreed" and agreed.agreed_at is not None
    with pytest.raises(Conflict):
        async with db.transaction() as session:
            await meetings.agree_meeting(session, COORDINATOR, meeting.id, BAKU)
    [payload] = await events_of(db, "coordination.meeting.agreed.v1")
    event = coordination_pb2.MeetingAgreed.FromString(payload)
    assert (event.meeting_id, event.members, event.quorum_needed, event.agenda_items) == (meeting.id, 9, 6, 1)


async def test_attendance_waits_for_agreement_and_names_a_non_member(db):
    ids = await demo_members(db)
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(
            session,
            COORDINATOR,
            MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", online=True, agenda=["NAP"]),
            BAKU,
        )
    entries = AttendanceIn(entries=[{"member_id": ids[0], "presence": "online"}])
    with pytest.raises(Conflict):
        async with db.transaction() as session:
            await meetings.record_attendance(session, COORDINATOR, meeting.id, entries, BAKU)
    async with db.transaction() as session:
        await meetings.agree_meeting(session, COORDINATOR, meeting.id, BAKU)
    bad = AttendanceIn(
        entries=[{"member_id": ids[0], "presence": "online"}, {"member_id": "stranger", "presence": "in_person"}]
    )
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await meetings.record_attendance(session, COORDINATOR, meeting.id, bad, BAKU)
    assert raised.value.problems[0].field == "entries.1.member_id"
    assert await count(db, Attendance) == 0
    with pytest.raises(ValidationError):
        AttendanceIn(entries=[{"member_id": ids[0], "presence": "by_proxy"}])


# --- quorum and votes -----------------------------------------------------------------------


async def test_without_quorum_the_vote_is_refused_and_nothing_is_adopted(db):
    ids = await demo_members(db)
    meeting_id, proposal_id = await held_meeting(db, present=ids[:5], absent=ids[5:])
    with pytest.raises(Conflict, match="no quorum: 5 of 9 members take part, 6 needed"):
        await vote(db, meeting_id, proposal_id, ids[0], "for")
    with pytest.raises(Conflict, match="no quorum"):
        await decide(db, meeting_id, proposal_id)
    assert await count(db, Vote) == 0
    assert await events_of(db, "coordination.decision.adopted.v1") == []


async def test_a_tie_is_broken_by_the_heads_vote_and_the_decision_is_emitted(db):
    ids = await demo_members(db)
    head = ids[0]
    meeting_id, proposal_id = await held_meeting(db, present=ids[:6], absent=ids[6:])
    for member, choice in [
        (head, "for"),
        (ids[1], "for"),
        (ids[2], "against"),
        (ids[3], "against"),
        (ids[4], "abstain"),
    ]:
        await vote(db, meeting_id, proposal_id, member, choice)
    decided = await decide(db, meeting_id, proposal_id)
    assert (
        decided.outcome,
        decided.votes_for,
        decided.votes_against,
        decided.abstentions,
        decided.decided_by_head,
    ) == ("adopted", 2, 2, 1, True)
    assert {v.member_id: v.choice for v in decided.votes}[head] == "for"
    [payload] = await events_of(db, "coordination.decision.adopted.v1")
    event = coordination_pb2.DecisionAdopted.FromString(payload)
    assert (
        event.proposal_id,
        event.agenda_item,
        event.votes_for,
        event.votes_against,
        event.abstentions,
        event.members,
        event.present,
        event.decided_by_head,
    ) == (proposal_id, 2, 2, 2, 1, 9, 6, True)
    with pytest.raises(Conflict, match="already decided"):
        await decide(db, meeting_id, proposal_id)
    with pytest.raises(Conflict, match="already decided"):
        await vote(db, meeting_id, proposal_id, ids[5], "for")


@pytest.mark.parametrize("head_choice", ["against", "abstain", None])
async def test_a_tie_the_head_did_not_carry_is_not_adopted(db, head_choice):
    ids = await demo_members(db)
    meeting_id, proposal_id = await held_meeting(db, present=ids[:6])
    if head_choice:
        await vote(db, meeting_id, proposal_id, ids[0], head_choice)
    others = ["for", "for"] if head_choice == "against" else ["for", "against"]
    for member, choice in zip(ids[1:], others + (["against"] if head_choice == "against" else []), strict=False):
        await vote(db, meeting_id, proposal_id, member, choice)
    decided = await decide(db, meeting_id, proposal_id)
    assert decided.outcome == "not_adopted" and decided.votes_for == decided.votes_against
    assert decided.decided_by_head == (head_choice == "against")
    assert await events_of(db, "coordination.decision.adopted.v1") == []


async def test_zero_votes_cast_is_not_adopted(db):
    ids = await demo_members(db)
    meeting_id, proposal_id = await held_meeting(db, present=ids)
    await vote(db, meeting_id, proposal_id, ids[1], "abstain")
    decided = await decide(db, meeting_id, proposal_id)
    assert (decided.outcome, decided.votes_for, decided.votes_against, decided.abstentions) == ("not_adopted", 0, 0, 1)


async def test_who_may_vote(db):
    ids = await demo_members(db)
    async with db.transaction() as session:
        outsider = await members.propose_member(
            session,
            COORDINATOR,
            MemberProposal(full_name="Not Yet", body="Body", body_kind="ngo", subject="user-outsider"),
        )
    meeting_id, proposal_id = await held_meeting(db, present=ids[:7], absent=ids[7:8])

    await vote(db, meeting_id, proposal_id, ids[1], "for")
    with pytest.raises(Conflict, match="already voted"):
        await vote(db, meeting_id, proposal_id, ids[1], "against")
    with pytest.raises(Conflict, match="not recorded as present"):
        await vote(db, meeting_id, proposal_id, ids[7], "for")  # recorded absent
    with pytest.raises(Conflict, match="not recorded as present"):
        await vote(db, meeting_id, proposal_id, ids[8], "for")  # no attendance recorded
    with pytest.raises(Conflict, match="not a member of the Working Group on 2026-12-10"):
        await vote(db, meeting_id, proposal_id, outsider.id, "for")  # proposed, never approved
    with pytest.raises(InvalidInput) as raised:
        await vote(db, meeting_id, proposal_id, "no-such-member", "for")
    assert raised.value.problems[0].field == "member_id"
    with pytest.raises(PermissionDenied):
        await vote(db, meeting_id, proposal_id, ids[2], "for", who=principal("wg_member", subject="someone"))
    with pytest.raises(PermissionDenied):
        await vote(db, meeting_id, proposal_id, ids[2], "for", who=principal("operator"))

    async with db.reader() as session:
        [stored] = (await session.scalars(select(Vote))).all()
    assert (stored.member_id, stored.choice, stored.recorded_by) == (ids[1], "for", COORDINATOR.subject)


async def test_a_member_linked_to_a_sign_in_votes_as_themselves(db):
    async with db.transaction() as session:
        proposed = await members.propose_member(
            session,
            COORDINATOR,
            MemberProposal(full_name="Linked Member", body="Body", body_kind="ngo", subject="user-linked"),
        )
        await members.approve_member(session, COORDINATOR, proposed.id, MemberApproval(valid_from=date(2026, 1, 1)))
    ids = await demo_members(db)
    meeting_id, proposal_id = await held_meeting(db, present=ids[:7])  # 7 of 10 is a quorum
    voted = await vote(
        db, meeting_id, proposal_id, proposed.id, "for", who=principal("wg_member", subject="user-linked")
    )
    assert [(v.member_id, v.recorded_by) for v in voted.votes] == [(proposed.id, "user-linked")]


async def test_votes_only_while_the_meeting_is_held(db):
    ids = await demo_members(db)
    meeting_id, proposal_id = await held_meeting(db, present=ids)
    async with db.transaction() as session:
        await meetings.close_meeting(session, COORDINATOR, meeting_id, BAKU)
    with pytest.raises(Conflict, match="meeting is closed"):
        await vote(db, meeting_id, proposal_id, ids[0], "for")
    with pytest.raises(Conflict, match="meeting is closed"):
        async with db.transaction() as session:
            await decisions.add_proposal(
                session, COORDINATOR, meeting_id, ProposalCreate(agenda_item=1, text="Late"), BAKU
            )


async def test_a_proposal_names_an_existing_agenda_item(db):
    ids = await demo_members(db)
    meeting_id, _ = await held_meeting(db, present=ids)
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await decisions.add_proposal(
                session, COORDINATOR, meeting_id, ProposalCreate(agenda_item=3, text="X"), BAKU
            )
    assert raised.value.problems[0].field == "agenda_item"
    async with db.reader() as session:
        assert len(await decisions.list_proposals(session, principal("wg_member"), meeting_id)) == 1


async def test_a_delegated_replacement_neither_counts_towards_quorum_nor_votes(db):
    ids = await demo_members(db)
    # Five in person and four replaced: 3*5 < 2*9, no quorum although nine people sit in the room.
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(
            session,
            COORDINATOR,
            MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", online=True, agenda=["NAP"]),
            BAKU,
        )
        await meetings.agree_meeting(session, COORDINATOR, meeting.id, BAKU)
        entries = [{"member_id": m, "presence": "in_person"} for m in ids[:5]]
        entries += [{"member_id": m, "presence": "replaced", "replacement_name": "Deputy"} for m in ids[5:]]
        record = await meetings.record_attendance(session, COORDINATOR, meeting.id, AttendanceIn(entries=entries), BAKU)
    assert (record.quorum.present, record.quorum.has_quorum) == (5, False)
    assert {a.replacement_name for a in record.attendance if a.presence == "replaced"} == {"Deputy"}
    # With quorum (six in person), a replaced member's vote is refused.
    meeting_id, proposal_id = await held_meeting(db, present=ids[:6], replaced=ids[6:])
    with pytest.raises(Conflict, match="not recorded as present"):
        await vote(db, meeting_id, proposal_id, ids[7], "for")


async def test_offices_the_secretary_keeps_the_record_but_neither_agrees_nor_votes_and_the_head_votes_only_as_self(db):
    from hotline_common.demo import ACCOUNT_IDS

    head = principal("wg_member", subject=ACCOUNT_IDS["head"])
    secretary = principal("wg_member", subject=ACCOUNT_IDS["secretary"])
    ids = await demo_members(db)
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(
            session, head, MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", online=True, agenda=["NAP"]), BAKU
        )
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await meetings.agree_meeting(session, secretary, meeting.id, BAKU)
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await meetings.agree_meeting(session, head, meeting.id, BAKU)
    async with db.transaction() as session:
        await meetings.agree_meeting(session, COORDINATOR, meeting.id, BAKU)
        await meetings.record_attendance(
            session,
            secretary,
            meeting.id,
            AttendanceIn(entries=[{"member_id": m, "presence": "online"} for m in ids]),
            BAKU,
        )
        await meetings.open_meeting(session, secretary, meeting.id, BAKU)
        proposal = await decisions.add_proposal(
            session, secretary, meeting.id, ProposalCreate(agenda_item=1, text="X"), BAKU
        )
    with pytest.raises(PermissionDenied):  # the head enters only the head's own vote
        await vote(db, meeting.id, proposal.id, ids[3], "for", who=head)
    await vote(db, meeting.id, proposal.id, ids[0], "for", who=head)
    await vote(db, meeting.id, proposal.id, ids[3], "against", who=secretary)  # a show of hands, recorded
    payloads = await events_of(db, "coordination.meeting.held.v1")
    held = coordination_pb2.MeetingHeld.FromString(payloads[0])
    assert (held.meeting_id, held.members, held.present, held.quorate) == (meeting.id, 9, 9, True)


async def test_the_secretary_drafts_the_agenda_until_the_coordinator_agrees_it(db):
    from coordination.meetings.schemas import AgendaIn
    from hotline_common.demo import ACCOUNT_IDS

    head = principal("wg_member", subject=ACCOUNT_IDS["head"])
    secretary = principal("wg_member", subject=ACCOUNT_IDS["secretary"])
    member = principal("wg_member", subject=ACCOUNT_IDS["wgmember"])
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(
            session, head, MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", online=True, agenda=["NAP"]), BAKU
        )
        await decisions.add_proposal(session, secretary, meeting.id, ProposalCreate(agenda_item=1, text="X"), BAKU)
        drafted = await meetings.set_agenda(session, secretary, meeting.id, AgendaIn(agenda=["NAP", "Shelters"]), BAKU)
    assert drafted.agenda == ["NAP", "Shelters"]
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await meetings.set_agenda(session, member, meeting.id, AgendaIn(agenda=["Mine"]), BAKU)
    async with db.transaction() as session:
        await decisions.add_proposal(session, secretary, meeting.id, ProposalCreate(agenda_item=2, text="Y"), BAKU)
    with pytest.raises(InvalidInput) as raised:  # item 2 carries a proposal
        async with db.transaction() as session:
            await meetings.set_agenda(session, secretary, meeting.id, AgendaIn(agenda=["Only one"]), BAKU)
    assert raised.value.problems[0].field == "agenda"
    async with db.transaction() as session:
        await meetings.agree_meeting(session, COORDINATOR, meeting.id, BAKU)
    with pytest.raises(Conflict, match="agreed"):
        async with db.transaction() as session:
            await meetings.set_agenda(session, head, meeting.id, AgendaIn(agenda=["Late change"]), BAKU)


async def test_who_may_take_each_step_is_one_predicate_for_the_service_and_the_pages(db):
    """The pages show a step's form by the same predicate the service checks it with."""
    from coordination.exchange import service as exchange
    from coordination.members import offices
    from coordination.nap import service as nap
    from coordination.protocols import service as protocols
    from hotline_common.demo import ACCOUNT_IDS

    people = {
        "head": principal("wg_member", subject=ACCOUNT_IDS["head"]),
        "secretary": principal("wg_member", subject=ACCOUNT_IDS["secretary"]),
        "member": principal("wg_member", subject=ACCOUNT_IDS["wgmember"]),
        "coordinator": COORDINATOR,
    }
    table = {}
    async with db.reader() as session:
        for name, who in people.items():
            table[name] = (
                await meetings.may_schedule(session, who, MEETING_DAY),
                meetings.may_agree(who),
                await meetings.may_keep_record(session, who, MEETING_DAY),
                await decisions.may_record_votes(session, who, MEETING_DAY),
                await protocols.may_sign(session, who, MEETING_DAY),
                await nap.may_edit(session, who, BAKU),
                await exchange.may_set_agenda(session, who, BAKU),
                members.may_decide_members(who),
                tuple(await offices.offices_of(session, who, MEETING_DAY)),
            )
    assert table == {
        # schedule, agree, keep the record, record votes, sign, edit the NAP, set the agenda, decide members
        "head": (True, False, True, False, True, True, True, False, ("head",)),
        "secretary": (False, False, True, True, False, True, True, False, ("secretary",)),
        "member": (False, False, False, False, False, False, False, False, ()),
        "coordinator": (True, True, True, True, False, True, True, True, ()),
    }
    secretary = people["secretary"]
    with pytest.raises(PermissionDenied, match="only the head of the Working Group proposes meetings"):
        async with db.transaction() as session:
            await meetings.schedule_meeting(
                session,
                secretary,
                MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", online=True, agenda=["X"]),
                BAKU,
            )
    with pytest.raises(PermissionDenied) as refused:
        async with db.transaction() as session:
            await members.end_membership(session, secretary, "any", MembershipEnd(valid_to="2027-01-01"))
    # The API's English is what it was (`hotline_common.auth.require`'s words); pages translate the template.
    assert refused.value.message == "role wg_member may not wg:member_approve"
    assert refused.value.template == "role {role} may not {permission}"
