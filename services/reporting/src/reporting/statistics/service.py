"""Projection updates (from events) and statistics queries."""
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import insert_ignoring_conflict
from reporting.statistics.models import CallFact, MeetingFact, ReferralFact
from reporting.statistics.schemas import Statistics, StatisticsQuery


async def add_call(session: AsyncSession, **fact) -> None:
    await insert_ignoring_conflict(session, CallFact.__table__, fact, ["contact_id"])


async def add_referral(session: AsyncSession, **fact) -> None:
    await insert_ignoring_conflict(session, ReferralFact.__table__, fact, ["referral_id"])


async def add_meeting(session: AsyncSession, **fact) -> None:
    await insert_ignoring_conflict(session, MeetingFact.__table__, fact, ["meeting_id"])


def _in_range(column, query: StatisticsQuery):
    conditions = []
    if query.from_time:
        conditions.append(column >= query.from_time)
    if query.to_time:
        conditions.append(column < query.to_time)
    return conditions


async def _counts(session: AsyncSession, column, conditions) -> dict[str, int]:
    rows = await session.execute(select(column, func.count()).where(*conditions).group_by(column).order_by(column))
    return {key: count for key, count in rows.all()}


async def get_statistics(session: AsyncSession, principal: Principal, query: StatisticsQuery) -> Statistics:
    require(principal, Permission.STATS_READ)
    calls = _in_range(CallFact.started_at, query)
    referrals = _in_range(ReferralFact.created_at, query)
    meetings = _in_range(MeetingFact.scheduled_for, query)
    by_line = await _counts(session, CallFact.line, calls)
    by_type = await _counts(session, ReferralFact.service_type, referrals)
    newest = [await session.scalar(select(func.max(model.event_at))) for model in (CallFact, ReferralFact, MeetingFact)]
    newest = [value for value in newest if value is not None]
    return Statistics(
        calls_total=sum(by_line.values()),
        calls_by_line=by_line,
        calls_by_caller_role=await _counts(session, CallFact.caller_role, calls),
        calls_by_purpose=await _counts(session, CallFact.purpose, calls),
        referrals_total=sum(by_type.values()),
        referrals_by_service_type=by_type,
        meetings_total=await session.scalar(select(func.count()).select_from(MeetingFact).where(*meetings)) or 0,
        newest_event_at=max(newest) if newest else None,
    )
