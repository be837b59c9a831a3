"""Projections: one fact row per event, codes only. Counting happens at query time."""
from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from reporting.database import Base


class CallFact(Base):
    __tablename__ = "call_facts"

    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    line: Mapped[str] = mapped_column(String(20))
    caller_role: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    event_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ReferralFact(Base):
    __tablename__ = "referral_facts"

    referral_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_type: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[str] = mapped_column(String(36))
    region: Mapped[str] = mapped_column(String(100))
    urgency: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    event_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class MeetingFact(Base):
    __tablename__ = "meeting_facts"

    meeting_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    quarter: Mapped[str] = mapped_column(String(10))
    online: Mapped[bool] = mapped_column(Boolean)
    event_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
