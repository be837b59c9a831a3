from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline_common.db import UTCDateTime
from referrals.database import Base


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (Index("ix_organisations_name_id", "name", "id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # state_body, ngo, international, private_practice
    kind: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class DirectoryService(Base):
    __tablename__ = "directory_services"
    __table_args__ = (
        Index("ix_directory_type_region_name_id", "service_type", "region", "name", "id"),
        Index("ix_directory_region_name_id", "region", "name", "id"),
        Index("ix_directory_organisation", "organisation_id"),
        # The keepers' page order (directory/service.py::list_directory_page).
        Index("ix_directory_organisation_region_name_id", "organisation_id", "region", "name", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(300))
    service_type: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Stored as ",az,ru," so one LIKE finds a language on SQLite and PostgreSQL alike.
    languages: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # The canonical text of hours.py ("mon-fri 09:00-18:00"); spans per weekday in OpeningSpan.
    opening_hours: Mapped[str] = mapped_column(String(400))
    for_women: Mapped[bool] = mapped_column(Boolean, default=True)
    for_men: Mapped[bool] = mapped_column(Boolean, default=True)
    for_children: Mapped[bool] = mapped_column(Boolean, default=True)
    for_foreigners: Mapped[bool] = mapped_column(Boolean, default=True)
    # Shelters only: beds in total and free now (updated by the shelter or the hotline).
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    free_places: Mapped[int | None] = mapped_column(Integer, nullable=True)
    free_places_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    spans: Mapped[list["OpeningSpan"]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="(OpeningSpan.weekday, OpeningSpan.opens)"
    )

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class OpeningSpan(Base):
    """One opening span of one weekday, local time, minutes since midnight (closes <= 1440)."""

    __tablename__ = "directory_opening_hours"
    __table_args__ = (Index("ix_directory_hours_service_day", "service_id", "weekday", "opens"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("directory_services.id"))
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[int] = mapped_column(Integer)
    closes: Mapped[int] = mapped_column(Integer)


class DirectoryChange(Base):
    """History: who changed what in the directory, when, and the values before and after (JSON)."""

    __tablename__ = "directory_changes"
    __table_args__ = (
        Index("ix_directory_changes_entity_at", "entity_id", "at"),
        Index("ix_directory_changes_org_at", "organisation_id", "at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))  # organisation | service
    entity_id: Mapped[str] = mapped_column(String(36))
    organisation_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(30))  # created, updated, deactivated, reactivated, free_places
    actor: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(30))
    actor_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
