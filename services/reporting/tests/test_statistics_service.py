"""Projections from events and the statistics over them, on SQLite and PostgreSQL."""
from datetime import datetime, timezone

import pytest

from hotline.events.v1 import coordination_pb2, intake_pb2, referrals_pb2
from hotline_common.devstack.testing import migrated_database, principal
from hotline_common.errors import PermissionDenied
from hotline_common.events.consumer import Event
from reporting.database import MIGRATIONS_DIR
from reporting.statistics import events, service
from reporting.statistics.schemas import StatisticsQuery

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)


def event(payload, n: int, at: datetime = T0) -> Event:
    return Event(id=f"0190a000-0000-7000-8000-{n:012d}", subject="x", producer="p", seq=n, occurred_at=at,
                 payload=payload)


def call(n: int, purpose: str, day: int) -> Event:
    payload = intake_pb2.ContactRecorded(contact_id=f"c{n}", line="152" if n % 2 else "562-21-12",
                                         caller_role="victim", purpose=purpose)
    payload.started_at.FromDatetime(T0.replace(day=day))
    return event(payload, n, T0.replace(day=day, hour=9))


@pytest.fixture
async def db(database_url):
    database = await migrated_database(MIGRATIONS_DIR, database_url)
    yield database
    await database.dispose()


async def test_statistics_count_each_fact_once_and_honour_the_period(db):
    async with db.transaction() as session:
        for n, (purpose, day) in enumerate([("information", 1), ("information", 2), ("report_trafficking", 20)], 1):
            await events.on_contact_recorded(session, call(n, purpose, day))
        await events.on_contact_recorded(session, call(1, "information", 1))  # replayed: counted once
        referral = referrals_pb2.ReferralCreated(referral_id="r1", service_type="shelter", organisation_id="o",
                                                 region="Baku", urgency="urgent")
        referral.created_at.FromDatetime(T0)
        await events.on_referral_created(session, event(referral, 10))
        meeting = coordination_pb2.MeetingScheduled(meeting_id="m1", quarter="2026-Q4")
        meeting.scheduled_for.FromDatetime(T0)
        await events.on_meeting_scheduled(session, event(meeting, 11))

    analyst = principal("analyst")
    async with db.reader() as session:
        everything = await service.get_statistics(session, analyst, StatisticsQuery())
        first_week = await service.get_statistics(session, analyst, StatisticsQuery(
            from_time=T0.replace(day=1, hour=0), to_time=T0.replace(day=8, hour=0)))
        with pytest.raises(PermissionDenied):
            await service.get_statistics(session, principal("operator"), StatisticsQuery())
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
