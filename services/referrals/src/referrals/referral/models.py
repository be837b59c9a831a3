from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
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
    # The need, as the operator states it for the receiver: free text, so encrypted (FieldCipher,
    # need_context) like the consented values; read it with referral.service.need_of.
    need: Mapped[bytes] = mapped_column(LargeBinary)
    urgency: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # intake's caller (journal) id, for outcome feedback; pseudonymous.
    caller_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    # Set when the referral is sent: created_at/sent time + the urgency's acknowledgement time.
    acknowledgement_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set once, by the overdue check, when the escalation event is written.
    overdue_escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The reason code of the last decline / withdrawal / closing.
    reason_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def reference(self) -> str:
        """The short number a partner quotes on the phone (the random tail of the UUIDv7)."""
        return "R-" + self.id.replace("-", "")[-10:].upper()


def need_context(referral_id: str) -> str:
    """The associated data binding a referral's encrypted need to its row."""
    return f"referrals.need:{referral_id}"


class ReferralTransition(Base):
    """Every status change: who, when, from what to what."""

    __tablename__ = "referral_transitions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_status: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # hotline, partner, link or system (see lifecycle.py).
    actor_kind: Mapped[str] = mapped_column(String(20), default="hotline")
    reason_code: Mapped[str | None] = mapped_column(String(40), nullable=True)


class ReferralNote(Base):
    """A note between the partner and the hotline; the body is encrypted (FieldCipher)."""

    __tablename__ = "referral_notes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    author: Mapped[str] = mapped_column(String(100))
    author_kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
