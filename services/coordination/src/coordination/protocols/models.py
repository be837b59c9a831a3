from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordination.database import Base
from hotline_common.db import UTCDateTime


class SigningKey(Base):
    """One Ed25519 key of one head. Rotation retires the current key and makes a new one; retired
    keys keep their public half (and so old protocols still verify) but never sign again."""

    __tablename__ = "wg_signing_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # Raw private key sealed with the service's SIGNING_KEYRING (AES-GCM, bound to this row's id);
    # emptied when the key is retired.
    private_key_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Protocol(Base):
    """A signed protocol: inserted once, never updated or deleted (service rule and DB triggers).
    A correction is a new row whose supersedes_id names the protocol it corrects."""

    __tablename__ = "wg_protocols"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(String(36), ForeignKey("wg_meetings.id"), index=True)
    supersedes_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("wg_protocols.id"), unique=True)
    correction_reason: Mapped[str | None] = mapped_column(String(1000))
    body: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(36), ForeignKey("wg_signing_keys.id"))
    signed_by: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
