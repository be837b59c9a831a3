"""Projections: fact rows built from events, codes only (no names, phones or free text).

Each call row keeps its local (TIMEZONE) period parts, computed once when projected, so grouping by
day/week/month/quarter/year/hour is a plain GROUP BY on SQLite and PostgreSQL alike. Counting
happens at query time; `reporting rebuild` recreates every row here from the streams.
"""

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from reporting.database import Base


class CallFact(Base):
    __tablename__ = "call_facts"

    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # Pseudonymous caller id (never shown; used only to count distinct callers).
    caller_id: Mapped[str] = mapped_column(String(36), default="")
    line: Mapped[str] = mapped_column(String(20))
    caller_role: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    event_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    local_date: Mapped[str] = mapped_column(String(10), default="", index=True)
    local_week: Mapped[str] = mapped_column(String(8), default="")
    local_month: Mapped[str] = mapped_column(String(7), default="")
    local_quarter: Mapped[str] = mapped_column(String(7), default="", index=True)
    local_year: Mapped[str] = mapped_column(String(4), default="")
    local_hour: Mapped[int] = mapped_column(Integer, default=0)
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0)
    sex: Mapped[str] = mapped_column(String(20), default="")
    age_group: Mapped[str] = mapped_column(String(20), default="")
    citizenship: Mapped[str] = mapped_column(String(2), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    motive: Mapped[str] = mapped_column(String(40), default="")
    destination_country: Mapped[str] = mapped_column(String(2), default="")
    risk_level: Mapped[str] = mapped_column(String(10), default="")
    labour_industry: Mapped[str] = mapped_column(String(40), default="")
    crisis_support: Mapped[bool] = mapped_column(Boolean, default=False)
    returning_caller: Mapped[bool] = mapped_column(Boolean, default=False)
    follow_up_needed: Mapped[bool] = mapped_column(Boolean, default=False)


class CallExploitationType(Base):
    __tablename__ = "call_exploitation_types"

    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)


class CallMethodOfControl(Base):
    __tablename__ = "call_methods_of_control"

    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(60), primary_key=True)


class HighRiskAlert(Base):
    __tablename__ = "high_risk_alerts"

    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    police_report_consented: Mapped[bool] = mapped_column(Boolean, default=False)
    local_quarter: Mapped[str] = mapped_column(String(7), default="")


class ReferralFact(Base):
    __tablename__ = "referral_facts"

    referral_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_type: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[str] = mapped_column(String(36))
    region: Mapped[str] = mapped_column(String(100))
    urgency: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    event_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(30), default="")
    local_quarter: Mapped[str] = mapped_column(String(7), default="")
    acknowledgement_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(String(30), default="")
    outcome_reason: Mapped[str] = mapped_column(String(40), default="")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class MeetingFact(Base):
    __tablename__ = "meeting_facts"

    meeting_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    quarter: Mapped[str] = mapped_column(String(10))
    online: Mapped[bool] = mapped_column(Boolean)
    event_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    agenda_items: Mapped[int] = mapped_column(Integer, default=0)
    agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    members: Mapped[int] = mapped_column(Integer, default=0)
    quorum_needed: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    present: Mapped[int] = mapped_column(Integer, default=0)
    quorate: Mapped[bool] = mapped_column(Boolean, default=False)
    protocol_signed: Mapped[bool] = mapped_column(Boolean, default=False)


class DecisionFact(Base):
    __tablename__ = "decision_facts"

    proposal_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    quarter: Mapped[str] = mapped_column(String(7))
    votes_for: Mapped[int] = mapped_column(Integer)
    votes_against: Mapped[int] = mapped_column(Integer)
    abstentions: Mapped[int] = mapped_column(Integer)
    decided_by_head: Mapped[bool] = mapped_column(Boolean)


class NapMeasureFact(Base):
    """The latest state of each NAP measure (an older update arriving late changes nothing)."""

    __tablename__ = "nap_measure_facts"

    measure_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30))
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)


class NapMeasureBody(Base):
    __tablename__ = "nap_measure_bodies"

    measure_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    body: Mapped[str] = mapped_column(String(120), primary_key=True)


class CallDayCount(Base):
    """Calls of one local day by one single-valued dimension: what period reports sum up.
    Rebuilt for a day whenever a call of that day is projected (see CallDayChanged)."""

    __tablename__ = "call_day_counts"

    local_date: Mapped[str] = mapped_column(String(10), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(30), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class CallDayChanged(Base):
    """Local days whose daily counts are stale (a call of that day was projected since)."""

    __tablename__ = "call_days_changed"

    local_date: Mapped[str] = mapped_column(String(10), primary_key=True)
    # Bumped by every change of the day: the refresher clears the mark only if nothing came since.
    version: Mapped[int] = mapped_column(Integer, default=1)


class ProjectionLag(Base):
    """Per consumer: the time of the newest event included and how many were applied."""

    __tablename__ = "projection_lag"

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    newest_event_at: Mapped[datetime] = mapped_column(UTCDateTime)
    events_applied: Mapped[int] = mapped_column(Integer, default=0)


PROJECTION_TABLES = (
    CallFact,
    CallExploitationType,
    CallMethodOfControl,
    HighRiskAlert,
    ReferralFact,
    MeetingFact,
    DecisionFact,
    NapMeasureFact,
    NapMeasureBody,
    ProjectionLag,
    CallDayCount,
    CallDayChanged,
)
