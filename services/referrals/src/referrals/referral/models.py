from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from referrals.database import Base


class Referral(Base):
    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_org_created", "organisation_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # intake's contact id: a pseudonymous reference, never the caller's identity.
    contact_id: Mapped[str] = mapped_column(String(36), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("directory_services.id"))
    organisation_id: Mapped[str] = mapped_column(String(36))
    service_type: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(100))
    # The need, as the operator states it for the receiver; no identifying details.
    reason: Mapped[str] = mapped_column(String(500))
    urgency: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReferralTransition(Base):
    """Every status change: who, when, from what to what."""

    __tablename__ = "referral_transitions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_status: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
