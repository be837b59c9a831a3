from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from intake.database import Base


class Contact(Base):
    """The statistical record sheet of one call or message: codes only, never identity."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_started_at", "started_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    line: Mapped[str] = mapped_column(String(20))
    caller_role: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    operator_id: Mapped[str] = mapped_column(String(100))


class ContactNote(Base):
    """Identity vault: the operator's free-text note, encrypted (AES-GCM) and bound to its contact."""

    __tablename__ = "vault_contact_notes"

    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)


class ContactReferral(Base):
    """A referral made for this contact; written when referrals answers and healed from its events."""

    __tablename__ = "contact_referrals"

    referral_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    service_id: Mapped[str] = mapped_column(String(36))
    service_type: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
