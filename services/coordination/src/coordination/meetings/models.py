from datetime import datetime

from sqlalchemy import JSON, Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.database import Base
from hotline_common.db import UTCDateTime


class Meeting(Base):
    __tablename__ = "wg_meetings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str] = mapped_column(String(300))
    online: Mapped[bool] = mapped_column(Boolean)
    agenda: Mapped[list] = mapped_column(JSON)
    # Calendar quarter in the hotline's local time, e.g. 2026-Q4 (the "at least quarterly" rule).
    quarter: Mapped[str] = mapped_column(String(10), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
