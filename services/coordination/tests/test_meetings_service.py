"""Working Group members and meetings through the service layer, on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from coordination.meetings import service as meetings
from coordination.meetings.models import Meeting
from coordination.meetings.schemas import MeetingCreate
from coordination.members import service as members
from hotline.events.v1 import coordination_pb2
from hotline_common.errors import InvalidInput, PermissionDenied
from hotline_common.events.schema import outbox
from hotline_devstack.testing import principal

BAKU = ZoneInfo("Asia/Baku")


@pytest.mark.parametrize(
    "moment, quarter",
    [
        (datetime(2026, 3, 31, 19, 59, tzinfo=UTC), "2026-Q1"),  # 23:59 in Baku
        (datetime(2026, 3, 31, 20, 0, tzinfo=UTC), "2026-Q2"),  # midnight in Baku: already April
        (datetime(2026, 12, 31, 21, 0, tzinfo=UTC), "2027-Q1"),
    ],
)
def test_quarter_is_counted_in_local_time(moment, quarter):
    assert meetings.quarter_of(moment, BAKU) == quarter


async def test_members_are_listed_head_first(db):
    async with db.reader() as session:
        listed = await members.list_members(session, principal("wg_member"))
        with pytest.raises(PermissionDenied):
            await members.list_members(session, principal("operator"))
    assert listed[0].is_head and sum(m.is_head for m in listed) == 1
    assert {m.body_kind for m in listed} == {"executing_body", "ngo"}


async def test_scheduling_stores_the_meeting_and_emits_the_event(db):
    data = MeetingCreate(
        scheduled_for="2026-12-10T10:00:00+04:00", online=True, agenda=["NAP progress", " Hotline figures "]
    )
    async with db.transaction() as session:
        meeting = await meetings.schedule_meeting(session, principal("coordinator"), data, BAKU)
    assert meeting.quarter == "2026-Q4" and meeting.agenda == ["NAP progress", "Hotline figures"]
    async with db.reader() as session:
        [row] = (await session.execute(select(outbox))).all()
    event = coordination_pb2.MeetingScheduled.FromString(row.payload)
    assert (event.meeting_id, event.quarter, event.agenda_items, event.online) == (meeting.id, "2026-Q4", 2, True)


async def test_a_meeting_needs_a_place_or_to_be_online_and_a_coordinator(db):
    data = MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", agenda=["NAP"])
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await meetings.schedule_meeting(session, principal("coordinator"), data, BAKU)
    assert raised.value.problems[0].field == "place"
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await meetings.schedule_meeting(
                session, principal("wg_member"), data.model_copy(update={"online": True}), BAKU
            )
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 0
        assert await session.scalar(select(func.count()).select_from(outbox)) == 0


def test_meeting_input_is_checked_field_by_field():
    with pytest.raises(ValidationError) as raised:
        MeetingCreate(scheduled_for="2026-12-10T10:00:00", agenda=[""], colour="red")
    fields = {err["loc"][0] for err in raised.value.errors()}
    assert fields == {"scheduled_for", "agenda", "colour"}


async def test_quarterly_compliance_warns_only_when_the_quarter_has_no_meeting_and_few_weeks_left(db):
    from datetime import date

    from coordination.meetings import compliance
    from hotline_common.demo import ACCOUNT_IDS

    assert compliance.quarter_end(date(2026, 11, 5)) == date(2026, 12, 31)
    assert compliance.quarter_end(date(2026, 2, 1)) == date(2026, 3, 31)
    reader = principal("wg_member")
    async with db.reader() as session:
        early = await compliance.compliance(session, reader, BAKU, 4, today=date(2026, 10, 5))
        late = await compliance.compliance(session, reader, BAKU, 4, today=date(2026, 12, 4))
    assert (early.current_quarter, early.warning) == ("2026-Q4", False)  # 87 days left
    assert (late.days_left, late.warning) == (27, True)  # 27 days <= 4 weeks
    head = principal("wg_member", subject=ACCOUNT_IDS["head"])
    async with db.transaction() as session:
        await meetings.schedule_meeting(
            session, head, MeetingCreate(scheduled_for="2026-12-20T10:00:00+04:00", online=True, agenda=["NAP"]), BAKU
        )
    async with db.reader() as session:
        after = await compliance.compliance(session, reader, BAKU, 4, today=date(2026, 12, 4))
    assert not after.warning
    assert [(q.quarter, q.scheduled, q.held, q.compliant) for q in after.quarters] == [("2026-Q4", 1, 0, False)]


async def test_the_quarter_warning_is_sent_once_and_not_when_a_meeting_is_scheduled(db):
    from datetime import date

    from coordination.meetings import compliance

    async def warn(today):
        async with db.transaction() as session:
            return await compliance.warn_if_due(session, BAKU, 4, today=today)

    assert not await warn(date(2026, 11, 1))  # 60 days left: too early
    assert await warn(date(2026, 12, 10))  # 21 days left, nothing scheduled
    assert not await warn(date(2026, 12, 11))  # already warned this quarter
    async with db.reader() as session:
        [row] = (
            await session.execute(select(outbox).where(outbox.c.subject == "coordination.meeting.quarter_warning.v1"))
        ).all()
    event = coordination_pb2.QuarterWithoutMeeting.FromString(row.payload)
    assert (event.quarter, event.days_left, event.warning_weeks) == ("2026-Q4", 21, 4)
    async with db.transaction() as session:
        await meetings.schedule_meeting(
            session,
            principal("coordinator"),
            MeetingCreate(scheduled_for="2027-03-20T10:00:00+04:00", online=True, agenda=["NAP"]),
            BAKU,
        )
    assert not await warn(date(2027, 3, 10))  # 2027-Q1 has a meeting
