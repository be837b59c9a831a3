from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.database import Base
from hotline_common.db import UTCDateTime


class Member(Base):
    """An approved member of the Working Group, representing an executing body or an NGO."""

    __tablename__ = "wg_members"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(300))
    # executing_body or ngo
    body_kind: Mapped[str] = mapped_column(String(30))
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime)
