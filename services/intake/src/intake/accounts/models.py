from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from intake.database import Base


class StaffAccount(Base):
    """Accounts of the embedded issuer. With an external identity provider this table stays empty."""

    __tablename__ = "staff_accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    organisation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Disabled accounts cannot sign in; they stay, because the access audit names them.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Issue 12: tokens of this account issued before this moment are revoked everywhere (a reset, a
    # disabling, "end all sessions"), and repeated wrong passwords lock it until `locked_until`.
    sessions_not_before: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SignInSession(Base):
    """One sign-in of the built-in issuer: its token's `sid`. Ending it revokes the token at intake at
    once and, through the replicated revocation list, at every other service within a minute."""

    __tablename__ = "sign_in_sessions"
    __table_args__ = (
        Index("ix_sign_in_sessions_account", "account_id"),
        Index("ix_sign_in_sessions_ended", "ended_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(36))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # signed_out, disabled, password_reset, ended_by_admin
    ended_why: Mapped[str | None] = mapped_column(String(30), nullable=True)
