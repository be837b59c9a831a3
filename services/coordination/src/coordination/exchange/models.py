from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordination.database import Base
from hotline_common.db import UTCDateTime

CONFIDENTIALITY = ("public", "internal", "confidential")
KINDS = ("document", "practice")


class Message(Base):
    """Operational information from one participant to chosen participants or to all."""

    __tablename__ = "wg_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sender: Mapped[str] = mapped_column(String(100), index=True)
    sender_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    confidentiality: Mapped[str] = mapped_column(String(20))
    to_all: Mapped[bool] = mapped_column(Boolean)
    reply_to: Mapped[str | None] = mapped_column(String(36), ForeignKey("wg_messages.id"))
    # A proposal for the Group; once put on an agenda, the meeting it went to.
    is_proposal: Mapped[bool] = mapped_column(Boolean)
    agenda_meeting_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("wg_meetings.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Recipient(Base):
    """One addressee of one message; read_at is the read receipt."""

    __tablename__ = "wg_message_recipients"

    message_id: Mapped[str] = mapped_column(String(36), ForeignKey("wg_messages.id"), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(100), primary_key=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LibraryItem(Base):
    """A document or a practice a body shares with the others (experience exchange)."""

    __tablename__ = "wg_library"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(String(300), index=True)
    filename: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(100))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
