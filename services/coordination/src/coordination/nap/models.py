from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordination.database import Base
from hotline_common.db import UTCDateTime

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)


class Measure(Base):
    """One measure of the National Action Plan. `status` follows the bodies' reports: done when every
    executing body's latest report is done, in progress once any body reported, else not started."""

    __tablename__ = "nap_measures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    text: Mapped[str] = mapped_column(Text)
    executing_bodies: Mapped[list[str]] = mapped_column(JSON)
    recommended_institutions: Mapped[list[str]] = mapped_column(JSON)
    deadline: Mapped[date] = mapped_column(Date)
    indicators: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=NOT_STARTED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class Progress(Base):
    """One executing body's report on one measure; reports accumulate (the latest per body counts)."""

    __tablename__ = "nap_progress"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(36), ForeignKey("nap_measures.id"), index=True)
    body: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    reported_by: Mapped[str] = mapped_column(String(100))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Evidence(Base):
    """A document attached to a report, kept in the database (same backups, access checks and
    transaction as the report it belongs to); at most EVIDENCE_MAX_BYTES each."""

    __tablename__ = "nap_evidence"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    progress_id: Mapped[str] = mapped_column(String(36), ForeignKey("nap_progress.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
