from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from intake.database import Base


class CallDraft(Base):
    """What an operator has typed for a call not yet recorded, saved as they type. The fields
    (a note may identify the caller) are one AES-GCM blob bound to the draft's id."""

    __tablename__ = "call_drafts"
    __table_args__ = (Index("ix_call_drafts_operator_open", "operator_id", "closed_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    operator_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when the call is recorded from this draft; a closed draft is never offered again.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    contact_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
