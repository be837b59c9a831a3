from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordination.database import Base
from hotline_common.db import UTCDateTime

# proposed → agreed (by the National Coordinator) → held (in session: votes taken) → closed.
PROPOSED = "proposed"
AGREED = "agreed"
HELD = "held"
CLOSED = "closed"


class Meeting(Base):
    __tablename__ = "wg_meetings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str] = mapped_column(String(300))
    online: Mapped[bool] = mapped_column(Boolean)
    agenda: Mapped[list[str]] = mapped_column(JSON)
    # Calendar quarter in the hotline's local time, e.g. 2026-Q4 (the "at least quarterly" rule).
    quarter: Mapped[str] = mapped_column(String(10), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=PROPOSED)
    agreed_by: Mapped[str | None] = mapped_column(String(100))
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The discussion as the secretary or the head wrote it down; part of the protocol.
    notes: Mapped[str] = mapped_column(Text, default="")
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Attendance(Base):
    """One member's presence at one meeting. Only the approved member themselves counts (DOMAIN.md
    §2: the Coordinator approves each member individually). A delegated replacement is recorded
    (presence `replaced`, with the replacement's name) for the protocol, but takes no part: it
    does not count towards quorum and cannot vote."""

    __tablename__ = "wg_attendance"

    meeting_id: Mapped[str] = mapped_column(String(36), ForeignKey("wg_meetings.id"), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36), ForeignKey("wg_members.id"), primary_key=True)
    # in_person, online, replaced or absent (rules.Presence)
    presence: Mapped[str] = mapped_column(String(20))
    replacement_name: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Assignment(Base):
    """A task the meeting gave: what, who owns it (a body or a member), by when."""

    __tablename__ = "wg_assignments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(String(36), ForeignKey("wg_meetings.id"), index=True)
    agenda_item: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(2000))
    owner: Mapped[str] = mapped_column(String(300))
    deadline: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuarterWarning(Base):
    """A quarter the head and the Coordinator were warned about (sent once per quarter)."""

    __tablename__ = "wg_quarter_warnings"

    quarter: Mapped[str] = mapped_column(String(10), primary_key=True)
    days_left: Mapped[int] = mapped_column(Integer)
    warned_at: Mapped[datetime] = mapped_column(UTCDateTime)
