from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from referrals.database import Base


class Consent(Base):
    """The caller's consent for one referral: which fields, with which organisation, for what, until
    when, taken by whom and when. The consented values are one encrypted JSON blob, deleted on revocation
    or expiry; the record itself stays (it is the proof of what was agreed)."""

    __tablename__ = "referral_consents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), unique=True)
    organisation_id: Mapped[str] = mapped_column(String(36))
    fields: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(String(300))
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_by: Mapped[str] = mapped_column(String(100))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    shared_data: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(100), nullable=True)

    @property
    def field_list(self) -> list[str]:
        return [f for f in self.fields.split(",") if f]

    def active(self, now: datetime) -> bool:
        """Expired consent behaves as revoked."""
        return self.revoked_at is None and self.shared_data is not None and self.valid_until > now


class SharedDataRead(Base):
    """One showing of consented values outside the hotline (partner user or link holder): who, which
    referral, which fields (names only), through which channel, when. Only ever inserted; the hotline
    reads it with the referral."""

    __tablename__ = "shared_data_reads"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"))
    reader: Mapped[str] = mapped_column(String(100))
    reader_kind: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    fields: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
