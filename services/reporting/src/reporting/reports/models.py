from datetime import datetime

from sqlalchemy import Boolean, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from reporting.database import Base


class ReportJob(Base):
    """One quarterly or annual report: queued, running (with progress), done (its files) or failed."""

    __tablename__ = "report_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # quarterly | annual
    period: Mapped[str] = mapped_column(String(7))  # 2026-Q3 | 2026
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(10), index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    scheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    error: Mapped[str] = mapped_column(String(300), default="")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    xlsx: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    csv: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
