from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline_common.db import UTCDateTime
from referrals.database import Base


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # state_body, ngo, international, private_practice
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DirectoryService(Base):
    __tablename__ = "directory_services"
    __table_args__ = (Index("ix_directory_type_region", "service_type", "region"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(300))
    service_type: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300))
    # Stored as ",az,ru," so one LIKE finds a language on SQLite and PostgreSQL alike.
    languages: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(50))
    opening_hours: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]
