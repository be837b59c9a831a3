"""Projection updates, one function per fact an event states (called by the thin handlers in events.py).

Rules: a call sheet with a higher revision replaces the earlier one (a lower or equal one changes
nothing); referral facts accumulate the lifecycle (first acknowledgement, the outcome, overdue,
consent revoked) whatever order replays bring them in; a NAP measure keeps its newest state.
Every function is safe to run twice for the same event (the inbox already prevents that; these
rules also keep a replay through a fresh inbox exact).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, case, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.db import insert_ignoring_conflict, rowcount
from reporting.database import Base
from reporting.statistics.models import (
    CallDayChanged,
    CallExploitationType,
    CallFact,
    CallMethodOfControl,
    DecisionFact,
    HighRiskAlert,
    MeetingFact,
    NapMeasureBody,
    NapMeasureFact,
    ProjectionLag,
    ReferralFact,
)
from reporting.statistics.periods import local_parts, quarter_of

# Referral statuses: the first move out of "sent" by the partner is the acknowledgement; these end it.
ACKNOWLEDGING = frozenset({"acknowledged", "accepted", "in_progress", "declined"})
# The referrals service's final statuses (referral/lifecycle.py FINAL), and older spellings.
OUTCOMES = frozenset({"declined", "completed", "closed_unreachable", "withdrawn", "closed", "expired"})


def _table(model: type[Base]) -> Table:
    """A model's table, for Core statements (SQLAlchemy types `__table__` as any FromClause)."""
    return cast(Table, model.__table__)


async def note_event(session: AsyncSession, consumer: str, occurred_at: datetime) -> None:
    """Keep the newest event time each consumer has included (the lag the dashboard shows).
    One UPDATE in the steady state; the first event of a consumer inserts its row."""
    table = _table(ProjectionLag)
    newest = case((table.c.newest_event_at < occurred_at, occurred_at), else_=table.c.newest_event_at)
    result = await session.execute(
        update(table)
        .where(table.c.consumer == consumer)
        .values(events_applied=table.c.events_applied + 1, newest_event_at=newest)
    )
    if rowcount(result) == 0 and not await insert_ignoring_conflict(
        session, table, {"consumer": consumer, "newest_event_at": occurred_at, "events_applied": 1}, ["consumer"]
    ):
        await note_event(session, consumer, occurred_at)  # inserted by a concurrent transaction meanwhile


async def record_call(
    session: AsyncSession, sheet: Mapping[str, Any], exploitation_types: list[str], methods_of_control: list[str]
) -> bool:
    """Insert the sheet, or replace an older revision of it. False if a newer one is already there.
    (Core statements on the tables: this is the hottest path of the projection.)"""
    calls, types, controls = _table(CallFact), _table(CallExploitationType), _table(CallMethodOfControl)
    contact_id = sheet["contact_id"]
    existing = (
        await session.execute(select(calls.c.revision, calls.c.local_date).where(calls.c.contact_id == contact_id))
    ).first()
    if existing is not None:
        if existing.revision >= sheet["revision"]:
            return False
        for table in (calls, types, controls):
            await session.execute(delete(table).where(table.c.contact_id == contact_id))
        await _day_changed(session, existing.local_date)
    parts = local_parts(sheet["started_at"])
    await session.execute(insert(calls).values(**sheet, **parts))
    await _day_changed(session, parts["local_date"])
    if exploitation_types:
        await session.execute(
            insert(types), [{"contact_id": contact_id, "code": code} for code in sorted(set(exploitation_types))]
        )
    if methods_of_control:
        await session.execute(
            insert(controls), [{"contact_id": contact_id, "code": code} for code in sorted(set(methods_of_control))]
        )
    return True


async def _day_changed(session: AsyncSession, local_date: str) -> None:
    """Mark the day's daily counts stale (one UPDATE once the day is marked)."""
    table = _table(CallDayChanged)
    result = await session.execute(
        update(table).where(table.c.local_date == local_date).values(version=table.c.version + 1)
    )
    if rowcount(result) == 0 and not await insert_ignoring_conflict(
        session, table, {"local_date": local_date, "version": 1}, ["local_date"]
    ):
        await _day_changed(session, local_date)


async def record_high_risk(session: AsyncSession, contact_id: str, raised_at: datetime, police: bool) -> None:
    await insert_ignoring_conflict(
        session,
        HighRiskAlert.__table__,
        {
            "contact_id": contact_id,
            "raised_at": raised_at,
            "police_report_consented": police,
            "local_quarter": quarter_of(raised_at),
        },
        ["contact_id"],
    )


async def _referral(session: AsyncSession, referral_id: str) -> ReferralFact | None:
    return await session.get(ReferralFact, referral_id)


async def _ensure_referral(
    session: AsyncSession, referral_id: str, *, event_at: datetime, created_at: datetime, **known: str
) -> ReferralFact:
    """The referral's row; a lifecycle event replayed before its creation makes it from what it carries."""
    fact = await _referral(session, referral_id)
    if fact is None:
        fact = ReferralFact(
            referral_id=referral_id,
            created_at=created_at,
            event_at=event_at,
            local_quarter=quarter_of(created_at),
            status="",
            outcome="",
            outcome_reason="",
            overdue=False,
            consent_given=False,
            consent_revoked=False,
            **{k: known.get(k) or "" for k in ("service_type", "organisation_id", "region", "urgency")},
        )
        session.add(fact)
    return fact


async def record_referral_created(
    session: AsyncSession,
    *,
    referral_id: str,
    service_type: str,
    organisation_id: str,
    region: str,
    urgency: str,
    created_at: datetime,
    status: str,
    acknowledgement_due_at: datetime | None,
    consent_given: bool,
    event_at: datetime,
) -> None:
    fact = await _ensure_referral(session, referral_id, event_at=event_at, created_at=created_at)
    fact.service_type, fact.organisation_id, fact.region, fact.urgency = service_type, organisation_id, region, urgency
    fact.created_at, fact.local_quarter = created_at, quarter_of(created_at)
    fact.acknowledgement_due_at = acknowledgement_due_at
    fact.consent_given = consent_given
    if not fact.status:
        fact.status = status or "sent"
    fact.event_at = max(fact.event_at, event_at)


async def record_referral_status(
    session: AsyncSession,
    *,
    referral_id: str,
    to_status: str,
    changed_at: datetime,
    reason_code: str,
    created_at: datetime,
    event_at: datetime,
    **known: str,
) -> None:
    fact = await _ensure_referral(session, referral_id, event_at=event_at, created_at=created_at, **known)
    if to_status in ACKNOWLEDGING and (fact.acknowledged_at is None or changed_at < fact.acknowledged_at):
        fact.acknowledged_at = changed_at
    # A referral reopened and closed again: the latest outcome and its time count.
    if to_status in OUTCOMES and (fact.outcome_at is None or changed_at >= fact.outcome_at):
        fact.outcome, fact.outcome_reason, fact.outcome_at = to_status, reason_code, changed_at
    if event_at >= fact.event_at or not fact.status:
        fact.status = to_status
    fact.event_at = max(fact.event_at, event_at)


async def record_referral_overdue(
    session: AsyncSession,
    *,
    referral_id: str,
    escalated_at: datetime,
    acknowledgement_due_at: datetime | None,
    event_at: datetime,
    **known: str,
) -> None:
    fact = await _ensure_referral(
        session, referral_id, event_at=event_at, created_at=acknowledgement_due_at or escalated_at, **known
    )
    fact.overdue = True
    if fact.overdue_at is None or escalated_at < fact.overdue_at:
        fact.overdue_at = escalated_at
    fact.event_at = max(fact.event_at, event_at)


async def record_consent_revoked(session: AsyncSession, referral_id: str, event_at: datetime) -> None:
    await session.execute(
        update(ReferralFact).where(ReferralFact.referral_id == referral_id).values(consent_revoked=True)
    )


async def _meeting(
    session: AsyncSession, meeting_id: str, *, scheduled_for: datetime, quarter: str, event_at: datetime
) -> MeetingFact:
    fact = await session.get(MeetingFact, meeting_id)
    if fact is None:
        fact = MeetingFact(
            meeting_id=meeting_id,
            scheduled_for=scheduled_for,
            quarter=quarter,
            online=False,
            event_at=event_at,
            agenda_items=0,
            agreed=False,
            members=0,
            quorum_needed=0,
            held=False,
            present=0,
            quorate=False,
            protocol_signed=False,
        )
        session.add(fact)
    fact.event_at = max(fact.event_at, event_at)
    return fact


async def record_meeting_scheduled(
    session: AsyncSession,
    *,
    meeting_id: str,
    scheduled_for: datetime,
    quarter: str,
    online: bool,
    agenda_items: int,
    event_at: datetime,
) -> None:
    fact = await _meeting(session, meeting_id, scheduled_for=scheduled_for, quarter=quarter, event_at=event_at)
    fact.scheduled_for, fact.quarter, fact.online, fact.agenda_items = scheduled_for, quarter, online, agenda_items


async def record_meeting_agreed(
    session: AsyncSession,
    *,
    meeting_id: str,
    scheduled_for: datetime,
    quarter: str,
    online: bool,
    agenda_items: int,
    members: int,
    quorum_needed: int,
    event_at: datetime,
) -> None:
    fact = await _meeting(session, meeting_id, scheduled_for=scheduled_for, quarter=quarter, event_at=event_at)
    fact.scheduled_for, fact.quarter, fact.online, fact.agenda_items = scheduled_for, quarter, online, agenda_items
    fact.agreed, fact.members, fact.quorum_needed = True, members, quorum_needed


async def record_meeting_held(
    session: AsyncSession,
    *,
    meeting_id: str,
    held_at: datetime,
    quarter: str,
    members: int,
    present: int,
    quorate: bool,
    event_at: datetime,
) -> None:
    fact = await _meeting(session, meeting_id, scheduled_for=held_at, quarter=quarter, event_at=event_at)
    fact.held, fact.held_at, fact.quarter = True, held_at, quarter
    fact.members, fact.present, fact.quorate = members, present, quorate


async def record_decision(session: AsyncSession, **decision: Any) -> None:
    decision["quarter"] = quarter_of(decision["decided_at"])
    await insert_ignoring_conflict(session, DecisionFact.__table__, decision, ["proposal_id"])


async def record_protocol_signed(session: AsyncSession, meeting_id: str) -> None:
    await session.execute(update(MeetingFact).where(MeetingFact.meeting_id == meeting_id).values(protocol_signed=True))


async def record_nap_measure(
    session: AsyncSession,
    *,
    measure_id: str,
    number: str,
    status: str,
    executing_bodies: list[str],
    deadline: datetime | None,
    updated_at: datetime,
    overdue: bool,
) -> None:
    current = await session.get(NapMeasureFact, measure_id)
    if current is not None and current.updated_at > updated_at:
        return  # an older state arriving late
    if current is None:
        current = NapMeasureFact(measure_id=measure_id)
        session.add(current)
    current.number, current.status, current.deadline = number, status, deadline
    current.updated_at, current.overdue = updated_at, overdue
    await session.flush()
    await session.execute(delete(NapMeasureBody).where(NapMeasureBody.measure_id == measure_id))
    bodies = sorted(set(executing_bodies))
    if bodies:
        await session.execute(insert(NapMeasureBody), [{"measure_id": measure_id, "body": b} for b in bodies])
