from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from intake.database import Base

# The caller row and their data key sit below the contacts (intake.identity); named here as well
# for the modules that take every caller table from callers.
from intake.identity.models import Caller as Caller
from intake.identity.models import CallerKey as CallerKey


class CallerField(Base):
    """Identity vault: one encrypted field of a caller (name, address, safe times, ways to call back)."""

    __tablename__ = "vault_caller_fields"

    caller_id: Mapped[str] = mapped_column(ForeignKey("callers.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(30), primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)


class CallerPhone(Base):
    """Identity vault: a phone number, encrypted, with its keyed hash to find the caller again."""

    __tablename__ = "vault_caller_phones"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    caller_id: Mapped[str] = mapped_column(ForeignKey("callers.id"), index=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    phone_index: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CallerMerge(Base):
    """Two profiles found to be one person: who merged them, when, why, and what to restore on undo."""

    __tablename__ = "caller_merges"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    survivor_id: Mapped[str] = mapped_column(ForeignKey("callers.id"))
    merged_id: Mapped[str] = mapped_column(ForeignKey("callers.id"))
    reason: Mapped[str] = mapped_column(String(300))
    merged_by: Mapped[str] = mapped_column(String(100))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    before: Mapped[dict] = mapped_column(JSON)
    undone_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    undo_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)


class FollowUpAssignment(Base):
    """Who does a contact's follow-up when it is not the operator who took the call."""

    __tablename__ = "follow_up_assignments"

    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    operator_id: Mapped[str] = mapped_column(String(100), index=True)
    assigned_by: Mapped[str] = mapped_column(String(100))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReferralStatusChange(Base):
    """A referral's outcome as referrals reported it (codes only), for the caller's journal."""

    __tablename__ = "referral_status_changes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    referral_id: Mapped[str] = mapped_column(String(36))
    contact_id: Mapped[str] = mapped_column(String(36))
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    reason_code: Mapped[str] = mapped_column(String(40))
    actor_kind: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
