"""Projections from events and the statistics over them, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest

from hotline.events.v1 import coordination_pb2, intake_pb2, referrals_pb2
from hotline_common.errors import InvalidInput, PermissionDenied
from hotline_common.events.consumer import Event
from hotline_devstack.testing import principal
from reporting.statistics import events, service
from reporting.statistics.schemas import StatisticsQuery

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
AFTER = datetime(2027, 1, 5, tzinfo=UTC)  # 2026-Q4 has ended


def event(payload, n: int, at: datetime = T0) -> Event:
    return Event(
        id=f"0190a000-0000-7000-8000-{n:012d}", subject="x", producer="p", seq=n, occurred_at=at, payload=payload
    )


def call(n: int, purpose: str, day: int) -> Event:
    payload = intake_pb2.ContactRecorded(
        contact_id=f"c{n}", line="152" if n % 2 else "562-21-12", caller_role="victim", purpose=purpose
    )
    payload.started_at.FromDatetime(T0.replace(day=day))
    return event(payload, n, T0.replace(day=day, hour=9))


async def handle(session, subject: str, event_: Event) -> None:
    """The handler the consumers run for `subject` (here applied in a test transaction)."""
    handler = next(h for _, handlers in events.CONSUMERS.values() for h in handlers if h.subject == subject)
    await handler.fn(session, event_)


async def test_statistics_count_each_fact_once_and_honour_the_period(db):
    async with db.transaction() as session:
        for n, (purpose, day) in enumerate([("information", 1), ("information", 2), ("report_trafficking", 20)], 1):
            await handle(session, "intake.contact.recorded.v1", call(n, purpose, day))
        await handle(session, "intake.contact.recorded.v1", call(1, "information", 1))  # replayed: counted once
        referral = referrals_pb2.ReferralCreated(
            referral_id="r1", service_type="shelter", organisation_id="o", region="Baku", urgency="urgent"
        )
        referral.created_at.FromDatetime(T0)
        await handle(session, "referrals.referral.created.v1", event(referral, 10))
        meeting = coordination_pb2.MeetingScheduled(meeting_id="m1", quarter="2026-Q4")
        meeting.scheduled_for.FromDatetime(T0)
        await handle(session, "coordination.meeting.scheduled.v1", event(meeting, 11))

    director, analyst = principal("director"), principal("analyst")
    async with db.reader() as session:
        suppressed = await service.get_statistics(session, analyst, StatisticsQuery(), now=AFTER)
        while_open = await service.get_statistics(session, analyst, StatisticsQuery(), now=T0.replace(day=25))
        everything = await service.get_statistics(session, director, StatisticsQuery())
        first_week = await service.get_statistics(
            session, director, StatisticsQuery(from_time=T0.replace(day=1, hour=0), to_time=T0.replace(day=8, hour=0))
        )
        with pytest.raises(PermissionDenied):
            await service.get_statistics(session, principal("operator"), StatisticsQuery())
    # Three calls are fewer than k: the analyst gets the exact total but no breakdown.
    assert suppressed.calls_total == 3 and suppressed.calls_by_purpose == {} and suppressed.calls_by_line == {}
    # Before the quarter has ended the suppressed reader sees none of it.
    assert while_open.calls_total == 0 and while_open.referrals_total == 0
    assert everything.calls_total == 3
    assert everything.calls_by_purpose == {"information": 2, "report_trafficking": 1}
    assert everything.calls_by_line == {"152": 2, "562-21-12": 1}
    assert everything.referrals_by_service_type == {"shelter": 1} and everything.meetings_total == 1
    assert everything.newest_event_at == T0.replace(day=20, hour=9)
    assert first_week.calls_total == 2 and first_week.calls_by_purpose == {"information": 2}


async def test_empty_projections_answer_zeroes(db):
    async with db.reader() as session:
        stats = await service.get_statistics(session, principal("coordinator"), StatisticsQuery())
    assert stats.calls_total == 0 and stats.calls_by_line == {} and stats.newest_event_at is None


async def test_a_suppressed_reader_gets_whole_quarters_that_have_ended(db):
    async with db.transaction() as session:
        await handle(session, "intake.contact.recorded.v1", call(1, "information", 1))
    half_hour = StatisticsQuery(
        from_time=datetime(2026, 11, 1, 8, 30, tzinfo=UTC), to_time=datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    )
    async with db.reader() as session:
        coverage = await service.closed_quarters(session, half_hour, now=AFTER)
        # Baku is UTC+4: half an hour of 1 November widens to the local quarter, 20:00 UTC the day before.
        assert coverage.quarters == ["2026-Q4"]
        assert coverage.query.from_time == datetime(2026, 9, 30, 20, 0, tzinfo=UTC)
        assert coverage.query.to_time == datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
        # A period of the open quarter is refused, naming the latest quarter that has ended.
        with pytest.raises(InvalidInput) as refused:
            await service.closed_quarters(session, half_hour, now=datetime(2026, 12, 2, tzinfo=UTC))
        assert refused.value.problems[0].field == "to_time" and refused.value.problems[0].params == {
            "quarter": "2026-Q3"
        }
        # A period running into the open quarter keeps the quarters that have ended.
        spanning = StatisticsQuery(
            from_time=datetime(2026, 8, 1, tzinfo=UTC), to_time=datetime(2026, 12, 1, tzinfo=UTC)
        )
        assert (await service.closed_quarters(session, spanning, now=datetime(2026, 12, 2, tzinfo=UTC))).quarters == [
            "2026-Q3"
        ]
        # No period: every quarter from the first call's to the latest that has ended.
        assert (
            await service.closed_quarters(session, StatisticsQuery(), now=datetime(2027, 7, 1, tzinfo=UTC))
        ).quarters == [
            "2026-Q4",
            "2027-Q1",
            "2027-Q2",
        ]
        # The boundary: the quarter ends at local midnight, 20:00 UTC.
        assert (
            await service.closed_quarters(session, StatisticsQuery(), now=datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
        ).quarters == ["2026-Q4"]
        assert (
            await service.closed_quarters(session, StatisticsQuery(), now=datetime(2026, 12, 31, 19, 59, tzinfo=UTC))
        ).quarters == []
