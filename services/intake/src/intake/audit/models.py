from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from intake.database import Base


class AccessAuditEntry(Base):
    """Append-only: who read which caller's record, when, and why. No interface edits or deletes it."""

    __tablename__ = "access_audit"
    __table_args__ = (Index("ix_access_audit_record", "record_type", "record_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(30))
    action: Mapped[str] = mapped_column(String(50))
    record_type: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[str] = mapped_column(String(36))
    interface: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(300))
