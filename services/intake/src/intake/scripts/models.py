from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline_common.db import UTCDateTime
from intake.database import Base


class AdviceScript(Base):
    """A guided advice script for one purpose, destination ("" = any) and language."""

    __tablename__ = "advice_scripts"
    __table_args__ = (UniqueConstraint("purpose", "destination_country", "language", name="uq_advice_scripts_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    destination_country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(5))
    current_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AdviceScriptVersion(Base):
    """Each edit is a new version; old versions stay, since contacts name the one they followed."""

    __tablename__ = "advice_script_versions"
    __table_args__ = (UniqueConstraint("script_id", "version", name="uq_advice_script_versions"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    script_id: Mapped[str] = mapped_column(ForeignKey("advice_scripts.id"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
