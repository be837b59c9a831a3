from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy import false as sql_false
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
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    duration_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Pseudonymous caller profile id; None for an anonymous caller (the default).
    caller_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    caller_sex: Mapped[str] = mapped_column(String(20), default="")
    caller_age_group: Mapped[str] = mapped_column(String(20), default="")
    caller_citizenship: Mapped[str] = mapped_column(String(2), default="")
    caller_country: Mapped[str] = mapped_column(String(2), default="")
    caller_region: Mapped[str] = mapped_column(String(40), default="")
    caller_language: Mapped[str] = mapped_column(String(5), default="")
    motive: Mapped[str] = mapped_column(String(30), default="")
    destination_country: Mapped[str] = mapped_column(String(2), default="")
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    risk_level: Mapped[str] = mapped_column(String(10), default="none")
    police_report: Mapped[str] = mapped_column(String(20), default="")
    exploitation_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    labour_industry: Mapped[str] = mapped_column(String(30), default="")
    state_at_start: Mapped[str] = mapped_column(String(20), default="")
    state_at_end: Mapped[str] = mapped_column(String(20), default="")
    crisis_support: Mapped[bool] = mapped_column(Boolean, default=False)
    tactics: Mapped[list[str]] = mapped_column(JSON, default=list)
    advice_given: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Directory entry ids (referrals' services) the caller was told about.
    services_informed: Mapped[list[str]] = mapped_column(JSON, default=list)
    follow_up_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    follow_up_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    script_version_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)


class ContactNote(Base):
    """Identity vault: the operator's free-text note, encrypted (AES-GCM) and bound to its contact."""

    __tablename__ = "vault_contact_notes"

    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    # The caller whose own key sealed it (a linked call); None = the service keyring (anonymous call).
    sealed_by: Mapped[str | None] = mapped_column(String(36), default=None)


class ContactAgency(Base):
    """Identity vault: the recruiting agency's name as the caller gave it (free text), encrypted."""

    __tablename__ = "vault_contact_agencies"

    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    # The caller whose own key sealed it (a linked call); None = the service keyring (anonymous call).
    sealed_by: Mapped[str | None] = mapped_column(String(36), default=None)


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
    # The caller's consent let personal data go to the organisation (until revoked from the journal).
    consent_shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_false())
