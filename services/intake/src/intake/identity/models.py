from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from intake.database import Base


class Caller(Base):
    """A caller's pseudonymous profile: the code the operator says aloud, danger flags (codes), who
    looks after them. No identity here; that lives in the vault tables under the caller's own key."""

    __tablename__ = "callers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    status: Mapped[str] = mapped_column(String(12))  # active | merged | destroyed
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("callers.id"), nullable=True)
    danger_flags: Mapped[list] = mapped_column(JSON)
    assigned_operator_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    destroyed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CallerKey(Base):
    """The caller's data key, wrapped by the service keyring. Deleting this row destroys the caller's
    identity for good: the vault rows (and every backup of them) can no longer be decrypted."""

    __tablename__ = "caller_keys"

    caller_id: Mapped[str] = mapped_column(ForeignKey("callers.id"), primary_key=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
