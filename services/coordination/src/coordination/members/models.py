from datetime import date, datetime

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.database import Base
from hotline_common.db import UTCDateTime

PROPOSED = "proposed"
APPROVED = "approved"
REJECTED = "rejected"


class Member(Base):
    """A representative of an executing body or an NGO: proposed by the body, approved (or rejected)
    by the National Coordinator. Only approved members count, and only from valid_from to valid_to
    (both inclusive), so a past meeting's quorum uses the membership of its own day."""

    __tablename__ = "wg_members"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(300))
    # executing_body or ngo
    body_kind: Mapped[str] = mapped_column(String(30))
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=PROPOSED)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    # The signed-in user this member is (the token's `sub`); lets a member vote as themselves.
    subject: Mapped[str | None] = mapped_column(String(100), unique=True)
    # Unknown (null) for members entered before proposals were recorded.
    proposed_by: Mapped[str | None] = mapped_column(String(100))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(String(500))


SECRETARY = "secretary"


class Office(Base):
    """An office within the Working Group held by a signed-in user (token `sub`) over dated days.
    The head's office follows the head member (Member.is_head with its subject); the secretary's
    is held here: the secretary prepares meetings but neither signs nor votes unless a member."""

    __tablename__ = "wg_offices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(100), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    assigned_by: Mapped[str] = mapped_column(String(100))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
