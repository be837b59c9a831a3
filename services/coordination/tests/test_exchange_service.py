"""Information and experience exchange through the service layer, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coordination.exchange import service as exchange
from coordination.exchange.schemas import LibraryIn, MessageIn
from coordination.meetings import service as meetings
from coordination.meetings.schemas import MeetingCreate
from hotline_common.demo import ACCOUNT_IDS
from hotline_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hotline_devstack.testing import principal

BAKU = ZoneInfo("Asia/Baku")
HEAD = principal("wg_member", subject=ACCOUNT_IDS["head"])
SECRETARY = principal("wg_member", subject=ACCOUNT_IDS["secretary"])
MEMBER = principal("wg_member", subject=ACCOUNT_IDS["wgmember"])
OUTSIDER = principal("wg_member", subject="not-a-participant")


async def send(db, who, **fields):
    async with db.transaction() as session:
        return await exchange.send_message(session, who, MessageIn(**{"title": "T", "body": "B", **fields}), BAKU)


async def test_participants_are_linked_members_and_the_secretary(db):
    async with db.reader() as session:
        people = {p.subject for p in await exchange.participants(session, MEMBER, BAKU)}
    assert people == {ACCOUNT_IDS["head"], ACCOUNT_IDS["wgmember"], ACCOUNT_IDS["secretary"]}


async def test_a_message_reaches_only_its_recipients_with_read_receipts_and_replies(db):
    sent = await send(db, MEMBER, recipients=[ACCOUNT_IDS["head"]], confidentiality="confidential")
    assert [(r.recipient, r.read_at) for r in sent.receipts] == [(ACCOUNT_IDS["head"], None)]
    with pytest.raises(NotFound):  # the secretary is not a recipient: not even its existence shows
        async with db.transaction() as session:
            await exchange.read_message(session, SECRETARY, sent.id, BAKU)
    async with db.transaction() as session:
        opened = await exchange.read_message(session, HEAD, sent.id, BAKU)
    assert opened.read_at is not None and opened.receipts == []  # receipts are the sender's
    async with db.transaction() as session:
        await exchange.send_message(session, HEAD, MessageIn(title="Re: T", body="Agreed"), BAKU, reply_to=sent.id)
    async with db.transaction() as session:
        mine = await exchange.read_message(session, MEMBER, sent.id, BAKU)
    assert mine.receipts[0].read_at is not None and [r.body for r in mine.replies] == ["Agreed"]
    async with db.reader() as session:
        assert [m.title for m in await exchange.inbox(session, SECRETARY, BAKU)] == []


async def test_to_all_addresses_every_other_participant_and_bad_recipients_are_named(db):
    sent = await send(db, SECRETARY, to_all=True)
    assert {r.recipient for r in sent.receipts} == {ACCOUNT_IDS["head"], ACCOUNT_IDS["wgmember"]}
    with pytest.raises(InvalidInput) as raised:
        await send(db, MEMBER, recipients=[ACCOUNT_IDS["head"], "stranger"])
    assert raised.value.problems[0].field == "recipients.1"
    with pytest.raises(InvalidInput):
        await send(db, MEMBER, recipients=[])
    with pytest.raises(PermissionDenied):
        await send(db, OUTSIDER, to_all=True)


async def test_a_proposal_goes_onto_the_next_proposed_meeting_in_one_action(db):
    proposal = await send(db, MEMBER, title="Joint training for labour inspectors", to_all=True, is_proposal=True)
    plain = await send(db, MEMBER, to_all=True)
    with pytest.raises(Conflict, match="propose a meeting first"):
        async with db.transaction() as session:
            await exchange.put_on_agenda(session, SECRETARY, proposal.id, BAKU)
    soon = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(
            session, HEAD, MeetingCreate(scheduled_for=soon, online=True, agenda=["NAP"]), BAKU
        )
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await exchange.put_on_agenda(session, MEMBER, proposal.id, BAKU)
    with pytest.raises(Conflict, match="marked as a proposal"):
        async with db.transaction() as session:
            await exchange.put_on_agenda(session, SECRETARY, plain.id, BAKU)
    async with db.transaction() as session:
        assert await exchange.put_on_agenda(session, SECRETARY, proposal.id, BAKU) == meeting.id
    with pytest.raises(Conflict, match="already on the agenda"):
        async with db.transaction() as session:
            await exchange.put_on_agenda(session, HEAD, proposal.id, BAKU)
    async with db.reader() as session:
        record = await meetings.get_meeting(session, MEMBER, meeting.id, BAKU)
    assert record.agenda == ["NAP", "Joint training for labour inspectors"]


async def test_the_library_is_searchable_per_body_unicode_aware(db):
    async with db.transaction() as session:
        await exchange.add_library_item(
            session,
            MEMBER,
            LibraryIn(
                title="Qurbanların müəyyənləşdirilməsi",
                kind="practice",
                description="Şəhər polisi ilə iş",
                body="Əmək Nazirliyi",
            ),
            None,
            BAKU,
        )
        await exchange.add_library_item(
            session,
            SECRETARY,
            LibraryIn(
                title="Shelter standards", kind="document", description="Minimum standards", body="Səhiyyə Nazirliyi"
            ),
            ("standards.txt", "text/plain", b"rules"),
            BAKU,
        )
        with pytest.raises(PermissionDenied):
            await exchange.add_library_item(
                session, OUTSIDER, LibraryIn(title="X", kind="document", description="Y", body="Z"), None, BAKU
            )
    async with db.reader() as session:
        found = await exchange.search_library(session, MEMBER, query="ŞƏHƏR")
        by_body = await exchange.search_library(session, MEMBER, body="Səhiyyə Nazirliyi")
        both_words = await exchange.search_library(session, MEMBER, query="minimum shelter")
        [item] = by_body
        assert (await exchange.library_file(session, MEMBER, item.id)).content == b"rules"
    assert [i.title for i in found] == ["Qurbanların müəyyənləşdirilməsi"]
    assert [i.title for i in both_words] == ["Shelter standards"]


async def test_agreeing_a_meeting_sends_the_invitation_to_every_participant(db):
    coordinator = principal("coordinator")
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(
            session,
            HEAD,
            MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", place="Bakı", agenda=["NAP", "Sığınacaqlar"]),
            BAKU,
        )
        await meetings.agree_meeting(session, coordinator, meeting.id, BAKU)
    for who in (HEAD, SECRETARY, MEMBER):
        async with db.reader() as session:
            [invitation] = await exchange.inbox(session, who, BAKU)
        assert invitation.title == "İclasa dəvət: 2026-12-10 10:00" and "2. Sığınacaqlar" in invitation.body
